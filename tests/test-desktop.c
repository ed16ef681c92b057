/* test-desktop.c — the desktop client's window over a real demo replica
 *
 * Needs a display: run it under `xvfb-run -a` (or with one from the runner). It opens a
 * replica made by sm_demo_populate_store() in a temporary folder, shows the real window,
 * checks the 住户 list against the store, searches by a resident's pinyin initials as if
 * typed, renders the window to PNG files in the build folder at 1280×800 and 360×720, and
 * measures the time to the first list shown and per keystroke on a larger replica.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "sanmen-core.h"
#include "sm-household-model.h"
#include "sm-household-row.h"
#include "sm-pinyin.h"
#include "sm-search-result.h"
#include "sm-test-util.h"
#include "sm-window.h"

#define GRID_INDEX 1
/* How long any wait for the window may take before the test fails. */
#define WAIT_TIMEOUT_US (20 * G_USEC_PER_SEC)

typedef struct {
  char    *dir;
  SmStore *store;
  char    *grid_id;
} Replica;

static void
replica_free (Replica *replica)
{
  g_clear_object (&replica->store);
  if (replica->dir != NULL)
    sm_test_remove_tree (replica->dir);
  g_free (replica->dir);
  g_free (replica->grid_id);
  g_free (replica);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Replica, replica_free)

static Replica *
replica_new (guint n_households,
             guint n_grids)
{
  Replica *replica = g_new0 (Replica, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  SmDemoOptions options;

  replica->dir = g_dir_make_tmp ("sanmen-desktop-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (replica->dir, "replica.db", NULL);
  replica->store = sm_store_open (path, &error);
  g_assert_no_error (error);

  sm_demo_options_init (&options);
  options.n_households = n_households;
  options.n_grids = n_grids;
  sm_demo_populate_store (replica->store, &options, &error);
  g_assert_no_error (error);

  replica->grid_id = sm_demo_grid_id (GRID_INDEX);

  return replica;
}

/* The main loop wakes up at least this often while a test waits on it. */
static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

typedef gboolean (*Condition) (gpointer data);

typedef struct {
  GtkWidget *widget;
  int        width;
  int        height;
} SizeWait;

static gboolean size_reached (gpointer data);

static void
wait_for (Condition   condition,
          gpointer    data,
          const char *what)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT_US;
  guint tick = g_timeout_add (5, tick_cb, NULL);

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline && condition == size_reached)
        g_error ("Timed out waiting for %s (now %d×%d)", what,
                 gtk_widget_get_width (((SizeWait *) data)->widget),
                 gtk_widget_get_height (((SizeWait *) data)->widget));
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, TRUE);
    }

  g_source_remove (tick);
}

/* The first household row with a title that is mapped and laid out, depth first. */
static SmHouseholdRow *
find_shown_row (GtkWidget *widget)
{
  if (SM_IS_HOUSEHOLD_ROW (widget) && gtk_widget_get_mapped (widget)
      && gtk_widget_get_width (widget) > 0
      && *sm_household_row_get_title (SM_HOUSEHOLD_ROW (widget)) != '\0')
    return SM_HOUSEHOLD_ROW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      SmHouseholdRow *row = find_shown_row (child);

      if (row != NULL)
        return row;
    }

  return NULL;
}

static gboolean
list_shown (gpointer data)
{
  return find_shown_row (GTK_WIDGET (data)) != NULL;
}

static gboolean
size_reached (gpointer data)
{
  SizeWait *wait = data;

  return gtk_widget_get_mapped (wait->widget)
         && gtk_widget_get_width (wait->widget) == wait->width
         && gtk_widget_get_height (wait->widget) == wait->height;
}

static SmWindow *
show_window (SmStore *store,
             int      width,
             int      height,
             gint64  *out_shown_us)
{
  gint64 start = g_get_monotonic_time ();
  SmWindow *window = sm_window_new (NULL, store);
  SizeWait wait = { GTK_WIDGET (window), width, height };

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));

  wait_for (list_shown, window, "the household list");
  if (out_shown_us != NULL)
    *out_shown_us = g_get_monotonic_time () - start;

  /* Without a compositor the surface keeps a few pixels of client-side border around
   * the window: grow the default size by that much so the window itself has the size. */
  if (!size_reached (&wait))
    gtk_window_set_default_size (GTK_WINDOW (window),
                                 2 * width - gtk_widget_get_width (GTK_WIDGET (window)),
                                 2 * height - gtk_widget_get_height (GTK_WIDGET (window)));
  wait_for (size_reached, &wait, "the window size");

  return window;
}

static void
destroy_window (SmWindow *window)
{
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  while (window != NULL)
    g_main_context_iteration (NULL, FALSE);
}

/* Renders @widget as it is now, checks that it is not one flat colour and saves it. */
static void
render_to_png (GtkWidget  *widget,
               const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  gsize stride = (gsize) width * 4;
  guint32 first;
  gsize n_different = 0;

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_cmpint (gdk_texture_get_width (texture), ==, width);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, height);

  pixels = g_malloc (stride * (gsize) height);
  gdk_texture_download (texture, pixels, stride);
  first = ((guint32 *) pixels)[0];
  for (gsize i = 0; i < (gsize) width * (gsize) height; i++)
    if (((guint32 *) pixels)[i] != first)
      n_different++;

  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("%s: %d×%d, %" G_GSIZE_FORMAT " pixels differ from the first", path, width,
                  height, n_different);
  g_assert_cmpuint (n_different, >, (gsize) width * (gsize) height / 100);
}

typedef struct {
  SmHouseholdList *list;
  const char      *query;
} QueryWait;

static gboolean
query_shown (gpointer data)
{
  QueryWait *wait = data;

  return g_strcmp0 (sm_household_list_get_query (wait->list), wait->query) == 0;
}

/* Types @text into the search entry one character at a time, waiting for each result
 * list; returns the slowest keystroke in microseconds. */
static gint64
type_query (SmHouseholdList *list,
            const char      *text,
            GArray          *times)
{
  GtkEditable *entry = sm_household_list_get_search_entry (list);
  gint64 slowest = 0;
  glong n_chars = g_utf8_strlen (text, -1);

  gtk_search_entry_set_search_delay (GTK_SEARCH_ENTRY (entry), 0);
  gtk_editable_set_text (entry, "");
  for (glong i = 1; i <= n_chars; i++)
    {
      g_autofree char *prefix = g_utf8_substring (text, 0, i);
      QueryWait wait = { list, prefix };
      gint64 start = g_get_monotonic_time ();
      gint64 took;

      gtk_editable_set_text (entry, prefix);
      wait_for (query_shown, &wait, "search results");
      took = g_get_monotonic_time () - start;
      slowest = MAX (slowest, took);
      if (times != NULL)
        g_array_append_val (times, took);
    }

  return slowest;
}

static gboolean
results_contain (GListModel *model,
                 const char *id)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SmSearchResult) result = g_list_model_get_item (model, i);

      if (g_strcmp0 (sm_search_result_get_id (result), id) == 0)
        return TRUE;
    }

  return FALSE;
}

/* A resident of @grid_id whose pinyin initials find them among the first results. */
static void
pick_resident (Replica  *replica,
               char    **out_id,
               char    **out_name,
               char    **out_initials)
{
  g_autoptr(SmPinyin) pinyin = NULL;
  g_autoptr(GPtrArray) households = NULL;
  g_autoptr(GError) error = NULL;

  pinyin = sm_pinyin_new (&error);
  g_assert_no_error (error);
  households = sm_store_list_households (replica->store, replica->grid_id, NULL, 0, 50, &error);
  g_assert_no_error (error);

  for (guint h = 0; h < households->len; h++)
    {
      SmRecord *household = g_ptr_array_index (households, h);
      g_autoptr(GPtrArray) residents = NULL;

      residents = sm_store_list_residents (replica->store, sm_record_get_id (household), &error);
      g_assert_no_error (error);

      for (guint r = 0; r < residents->len; r++)
        {
          SmRecord *resident = g_ptr_array_index (residents, r);
          const char *name = sm_record_get_string (resident, "name");
          g_autofree char *syllables = NULL;
          g_autofree char *initials = NULL;
          g_autoptr(GPtrArray) hits = NULL;

          g_assert_true (sm_pinyin_convert (pinyin, name, &syllables, &initials));
          if (strlen (initials) < 3)
            continue;
          hits = sm_store_search (replica->store, initials, 50, &error);
          g_assert_no_error (error);
          for (guint i = 0; i < hits->len; i++)
            {
              SmSearchHit *hit = g_ptr_array_index (hits, i);

              if (g_str_equal (hit->id, sm_record_get_id (resident)))
                {
                  *out_id = g_strdup (hit->id);
                  *out_name = g_strdup (name);
                  *out_initials = g_steal_pointer (&initials);
                  return;
                }
            }
        }
    }

  g_error ("No resident of %s is found by the pinyin initials of their name", replica->grid_id);
}

static void
test_households (void)
{
  g_autoptr(Replica) replica = replica_new (2000, 4);
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *resident_id = NULL;
  g_autofree char *name = NULL;
  g_autofree char *initials = NULL;
  SmHouseholdList *list;
  GListModel *model;
  SmWindow *window;
  gint64 shown_us;

  /* Every household of the grid, straight from the store. */
  expected = sm_store_list_households (replica->store, replica->grid_id, NULL, 0, G_MAXUINT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (expected->len, >, 0);

  window = show_window (replica->store, 1280, 800, &shown_us);
  g_test_message ("2,000 households: window created to first list shown in %.1f ms",
                  shown_us / 1000.0);
  list = sm_window_get_household_list (window);

  /* The list browses the selected grid (the first by name), paged. */
  sm_household_list_set_grid_id (list, replica->grid_id);
  model = sm_household_list_get_model (list);
  g_assert_true (SM_IS_HOUSEHOLD_MODEL (model));
  g_assert_cmpstr (sm_household_model_get_grid_id (SM_HOUSEHOLD_MODEL (model)), ==, replica->grid_id);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, expected->len);
  wait_for (list_shown, window, "the household list of the grid");
  {
    g_autoptr(SmRecord) first = g_list_model_get_item (model, 0);
    g_autoptr(SmRecord) last = g_list_model_get_item (model, expected->len - 1);

    g_assert_cmpstr (sm_record_get_id (first), ==,
                     sm_record_get_id (g_ptr_array_index (expected, 0)));
    g_assert_cmpstr (sm_record_get_id (last), ==,
                     sm_record_get_id (g_ptr_array_index (expected, expected->len - 1)));
    g_assert_null (g_list_model_get_item (model, expected->len));
  }
  render_to_png (GTK_WIDGET (window), "desktop-1280x800.png");

  /* Typing a resident's pinyin initials finds them; clearing brings the grid back. */
  pick_resident (replica, &resident_id, &name, &initials);
  g_test_message ("searching “%s” for %s", initials, name);
  type_query (list, initials, NULL);
  g_assert_true (results_contain (sm_household_list_get_model (list), resident_id));
  wait_for (list_shown, window, "the search results");
  render_to_png (GTK_WIDGET (window), "desktop-1280x800-search.png");

  gtk_editable_set_text (sm_household_list_get_search_entry (list), "");
  g_assert_null (sm_household_list_get_query (list));
  g_assert_true (sm_household_list_get_model (list) == model);
  wait_for (list_shown, window, "the household list after the search");

  /* A query that matches nothing says so rather than showing an empty list. */
  type_query (list, "qqqqxz", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (sm_household_list_get_model (list)), ==, 0);
  gtk_editable_set_text (sm_household_list_get_search_entry (list), "");

  destroy_window (window);

  /* Phone width: the sidebar folds away and the list still shows. */
  window = show_window (replica->store, 360, 720, NULL);
  render_to_png (GTK_WIDGET (window), "desktop-360x720.png");
  destroy_window (window);
}

static void
test_performance (void)
{
  const guint n_households = 100000;
  g_autoptr(Replica) replica = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *resident_id = NULL;
  g_autofree char *name = NULL;
  g_autofree char *initials = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 shown_us, page_us, slowest;
  SmHouseholdList *list;
  GListModel *model;
  SmWindow *window;
  guint n_items;

  replica = replica_new (n_households, 4);
  g_test_message ("%u households in 4 grids made in %.1f s", n_households,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);

  window = show_window (replica->store, 1280, 800, &shown_us);
  list = sm_window_get_household_list (window);
  model = sm_household_list_get_model (list);
  n_items = g_list_model_get_n_items (model);
  g_test_message ("%u households: window created to first list shown in %.1f ms "
                  "(grid of %u households)", n_households, shown_us / 1000.0, n_items);
  /* Only the pages the view showed were read, not the whole grid. GTK 4.8's list view
   * keeps up to 200 rows around what it shows, which can span two or three pages. */
  g_assert_cmpuint (sm_household_model_get_n_page_loads (SM_HOUSEHOLD_MODEL (model)), <=, 3);
  g_assert_cmpuint (n_items, >, 10 * SM_HOUSEHOLD_MODEL_PAGE_SIZE);

  /* The last page of the grid, not read yet: the worst page read while scrolling. */
  start = g_get_monotonic_time ();
  g_object_unref (g_list_model_get_item (model, n_items - 1));
  page_us = g_get_monotonic_time () - start;
  g_test_message ("reading the last page of %u (offset %u): %.2f ms",
                  SM_HOUSEHOLD_MODEL_PAGE_SIZE, n_items - 1, page_us / 1000.0);

  pick_resident (replica, &resident_id, &name, &initials);
  for (glong i = 1; i <= (glong) strlen (initials); i++)
    {
      g_autofree char *prefix = g_strndup (initials, (gsize) i);
      g_autoptr(GPtrArray) hits = NULL;
      g_autoptr(GError) error = NULL;

      start = g_get_monotonic_time ();
      hits = sm_store_search (replica->store, prefix, 200, &error);
      g_assert_no_error (error);
      g_test_message ("sm_store_search (“%s”, 200): %u hits in %.2f ms", prefix, hits->len,
                      (g_get_monotonic_time () - start) / 1000.0);
    }
  /* Twice: the first keystroke of a session also opens ICU and warms SQLite's cache. */
  type_query (list, initials, NULL);
  gtk_editable_set_text (sm_household_list_get_search_entry (list), "");
  slowest = type_query (list, initials, times);
  g_assert_true (results_contain (sm_household_list_get_model (list), resident_id));
  for (guint i = 0; i < times->len; i++)
    g_test_message ("keystroke %u of “%s”: %.2f ms", i + 1, initials,
                    g_array_index (times, gint64, i) / 1000.0);
  g_test_message ("%u households: per-keystroke search update, slowest %.2f ms",
                  n_households, slowest / 1000.0);

  /* Back from the search, the grid shows again without reading every page. */
  gtk_editable_set_text (sm_household_list_get_search_entry (list), "");
  wait_for (list_shown, window, "the household list after the search");
  g_assert_cmpuint (sm_household_model_get_n_page_loads (SM_HOUSEHOLD_MODEL (model)), <=, 8);
  destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  /* The accessibility bus needs a session bus, which a test runner seldom has; GTK warns
   * without one, and warnings are fatal here. */
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_printerr ("test-desktop: cannot open a display (DISPLAY=%s, WAYLAND_DISPLAY=%s); "
                  "run it under xvfb-run -a\n",
                  g_getenv ("DISPLAY") ? g_getenv ("DISPLAY") : "(unset)",
                  g_getenv ("WAYLAND_DISPLAY") ? g_getenv ("WAYLAND_DISPLAY") : "(unset)");
      return 1;
    }
  adw_init ();
  /* Render settled states, not the middle of a leaflet's fold. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  {
    /* What AdwApplication does for the real client: load the resource's style.css. */
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/org/sanmen/Sanmen/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  g_test_add_func ("/desktop/window/households", test_households);
  g_test_add_func ("/desktop/window/performance", test_performance);

  return g_test_run ();
}
