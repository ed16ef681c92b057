/* test-desktop.c — the desktop client's window over a real demo replica
 *
 * Needs a display: run it under `xvfb-run -a` (or with one from the runner). It opens a
 * replica made by sm_demo_populate_store() in a temporary folder, shows the real window,
 * checks the 住户 list against the store, searches by a resident's pinyin initials as if
 * typed, renders the window to PNG files in the build folder at 1280×800 and 360×720, and
 * measures the time to the first list shown and per keystroke on a larger replica. It opens
 * households' pages by activating rows, and records visits through the visit dialog.
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
#include "sm-test-gtk.h"
#include "sm-test-replica.h"
#include "sm-visit-dialog.h"
#include "sm-visit-row.h"
#include "sm-window.h"

static gboolean
has_title (gpointer row)
{
  return *sm_household_row_get_title (SM_HOUSEHOLD_ROW (row)) != '\0';
}

/* A household row with a title is mapped and laid out. */
static gboolean
list_shown (gpointer data)
{
  return sm_test_find_shown (GTK_WIDGET (data), SM_TYPE_HOUSEHOLD_ROW, has_title) != NULL;
}

/* The window opens on Today; these tests are about the households. */
static SmWindow *
show_window (SmStore *store,
             int      width,
             int      height,
             gint64  *out_shown_us)
{
  return sm_test_show_window (store, width, height, "households", list_shown,
                              "the household list", out_shown_us);
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
      sm_test_wait_for (query_shown, &wait, "search results");
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
pick_resident (SmTestReplica  *replica,
               char          **out_id,
               char          **out_name,
               char          **out_initials)
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
  g_autoptr(SmTestReplica) replica = sm_test_replica_new ("desktop", 2000, 4, 0);
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
  sm_test_wait_for (list_shown, window, "the household list of the grid");
  {
    g_autoptr(SmRecord) first = g_list_model_get_item (model, 0);
    g_autoptr(SmRecord) last = g_list_model_get_item (model, expected->len - 1);

    g_assert_cmpstr (sm_record_get_id (first), ==,
                     sm_record_get_id (g_ptr_array_index (expected, 0)));
    g_assert_cmpstr (sm_record_get_id (last), ==,
                     sm_record_get_id (g_ptr_array_index (expected, expected->len - 1)));
    g_assert_null (g_list_model_get_item (model, expected->len));
  }
  sm_test_render_to_png (GTK_WIDGET (window), "desktop-1280x800.png");

  /* Typing a resident's pinyin initials finds them; clearing brings the grid back. */
  pick_resident (replica, &resident_id, &name, &initials);
  g_test_message ("searching “%s” for %s", initials, name);
  type_query (list, initials, NULL);
  g_assert_true (results_contain (sm_household_list_get_model (list), resident_id));
  sm_test_wait_for (list_shown, window, "the search results");
  sm_test_render_to_png (GTK_WIDGET (window), "desktop-1280x800-search.png");

  gtk_editable_set_text (sm_household_list_get_search_entry (list), "");
  g_assert_null (sm_household_list_get_query (list));
  g_assert_true (sm_household_list_get_model (list) == model);
  sm_test_wait_for (list_shown, window, "the household list after the search");

  /* A query that matches nothing says so rather than showing an empty list. */
  type_query (list, "qqqqxz", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (sm_household_list_get_model (list)), ==, 0);
  gtk_editable_set_text (sm_household_list_get_search_entry (list), "");

  sm_test_destroy_window (window);

  /* Phone width: the sidebar folds away and the list still shows. */
  window = show_window (replica->store, 360, 720, NULL);
  sm_test_render_to_png (GTK_WIDGET (window), "desktop-360x720.png");
  sm_test_destroy_window (window);
}

static void
test_performance (void)
{
  const guint n_households = 100000;
  g_autoptr(SmTestReplica) replica = NULL;
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

  replica = sm_test_replica_new ("desktop", n_households, 4, 0);
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
  sm_test_wait_for (list_shown, window, "the household list after the search");
  g_assert_cmpuint (sm_household_model_get_n_page_loads (SM_HOUSEHOLD_MODEL (model)), <=, 8);
  sm_test_destroy_window (window);
}

/* ---------------------------------------------------------------- household page, visits */

/* The resident rows of a household page, in order. */
static void
collect_resident_rows (GtkWidget *widget,
                       GPtrArray *rows)
{
  if (ADW_IS_ACTION_ROW (widget) && gtk_widget_has_css_class (widget, "resident-row"))
    g_ptr_array_add (rows, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_resident_rows (child, rows);
}

/* The households' list view; not the grid drop-down's, which is a list view too. */
static GtkWidget *
find_household_view (GtkWidget *widget)
{
  if (GTK_IS_LIST_VIEW (widget) && gtk_widget_has_css_class (widget, "rich-list"))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_household_view (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Activates the row at @position of the household list, as a click or Enter does. */
static void
activate_row (SmWindow *window,
              guint     position)
{
  GtkWidget *view = find_household_view (GTK_WIDGET (sm_window_get_household_list (window)));

  g_assert_nonnull (view);
  g_signal_emit_by_name (view, "activate", position);
}

static char *
tomorrow (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, 1);

  return g_date_time_format (then, "%Y-%m-%d");
}

static gboolean
has_tag (SmRecord *household)
{
  const SmTable *table = sm_record_get_table (household);

  for (guint i = 0; i < table->n_fields; i++)
    if ((table->fields[i].flags & SM_FIELD_FLAG_TAG) && sm_record_get_bool (household, table->fields[i].name))
      return TRUE;

  return FALSE;
}

static void
test_household_page (void)
{
  g_autoptr(SmTestReplica) replica = sm_test_replica_new ("desktop", 400, 4, 0);
  g_autoptr(GPtrArray) households = NULL;
  g_autoptr(GPtrArray) residents = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *resident_id = NULL;
  g_autofree char *name = NULL;
  g_autofree char *initials = NULL;
  SmHouseholdList *list;
  SmHouseholdPage *page;
  SmRecord *household = NULL;
  const char *raw_phone = NULL;
  gboolean masked_phone_shown = FALSE;
  guint position = 0;
  SmWindow *window;

  households = sm_store_list_households (replica->store, replica->grid_id, NULL, 0, G_MAXUINT, &error);
  g_assert_no_error (error);

  /* A household with a resident who has a phone, to see it masked. */
  for (guint h = 0; h < households->len && household == NULL; h++)
    {
      g_clear_pointer (&residents, g_ptr_array_unref);
      residents = sm_store_list_residents (replica->store,
                                           sm_record_get_id (g_ptr_array_index (households, h)),
                                           &error);
      g_assert_no_error (error);
      for (guint r = 0; r < residents->len && household == NULL; r++)
        if ((raw_phone = sm_record_get_string (g_ptr_array_index (residents, r), "phone")))
          {
            household = g_ptr_array_index (households, h);
            position = h;
          }
    }
  g_assert_nonnull (household);

  window = show_window (replica->store, 1280, 800, NULL);
  list = sm_window_get_household_list (window);
  page = sm_window_get_household_page (window);
  sm_household_list_set_grid_id (list, replica->grid_id);
  sm_test_wait_for (list_shown, window, "the household list of the grid");
  g_assert_false (sm_window_get_household_shown (window));

  activate_row (window, position);
  g_assert_true (sm_window_get_household_shown (window));
  g_assert_cmpstr (sm_household_page_get_household_id (page), ==, sm_record_get_id (household));
  g_assert_cmpstr (sm_household_page_get_title (page), ==, sm_record_get_string (household, "address"));
  sm_test_wait_for (sm_test_widget_laid_out, page, "the household page");

  /* The residents the store holds, each shown once, phones and ID numbers masked. */
  g_assert_cmpuint (g_list_model_get_n_items (sm_household_page_get_residents (page)), ==, residents->len);
  collect_resident_rows (GTK_WIDGET (page), rows);
  g_assert_cmpuint (rows->len, ==, residents->len);
  for (guint i = 0; i < rows->len; i++)
    {
      SmRecord *resident = g_ptr_array_index (residents, i);
      const char *title = adw_preferences_row_get_title (g_ptr_array_index (rows, i));
      const char *subtitle = adw_action_row_get_subtitle (g_ptr_array_index (rows, i));
      const char *phone = sm_record_get_string (resident, "phone");
      const char *id_number = sm_record_get_string (resident, "id_number");

      g_assert_cmpstr (title, ==, sm_record_get_string (resident, "name"));
      if (phone != NULL)
        {
          g_autofree char *masked = sm_record_dup_display (resident, "phone");

          g_assert_nonnull (strstr (subtitle, masked));
          g_assert_nonnull (strchr (masked, '*'));
          g_assert_null (strstr (subtitle, phone));
          masked_phone_shown = TRUE;
        }
      if (id_number != NULL)
        g_assert_null (strstr (subtitle, id_number));
    }
  g_assert_true (masked_phone_shown);
  g_assert_nonnull (raw_phone);

  /* The timeline is the store's visits, newest first. */
  {
    g_autoptr(GPtrArray) visits = sm_store_list_visits (replica->store, sm_record_get_id (household), &error);
    GListModel *shown = sm_household_page_get_visits (page);

    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (shown), ==, visits->len);
    for (guint i = 1; i < visits->len; i++)
      g_assert_cmpstr (sm_record_get_string (g_ptr_array_index (visits, i - 1), "visited_at"), >=,
                       sm_record_get_string (g_ptr_array_index (visits, i), "visited_at"));
  }
  sm_test_render_to_png (GTK_WIDGET (window), "household-1280x800.png");

  /* Back to the list (what Escape, Alt+Left and the back button do). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "win.show-list", NULL));
  g_assert_false (sm_window_get_household_shown (window));
  sm_test_wait_for (list_shown, window, "the household list after the household");

  /* A search result opens its household too: a resident's, for a resident. */
  pick_resident (replica, &resident_id, &name, &initials);
  type_query (list, initials, NULL);
  {
    g_autoptr(SmSearchResult) first = g_list_model_get_item (sm_household_list_get_model (list), 0);

    g_assert_nonnull (first);
    activate_row (window, 0);
    g_assert_true (sm_window_get_household_shown (window));
    g_assert_cmpstr (sm_household_page_get_household_id (page), ==,
                     sm_record_get_id (sm_search_result_get_household (first)));
  }
  gtk_widget_activate_action (GTK_WIDGET (page), "win.show-list", NULL);
  gtk_editable_set_text (sm_household_list_get_search_entry (list), "");
  sm_test_destroy_window (window);

  /* Phone width: the page alone, with its back button. */
  window = show_window (replica->store, 360, 720, NULL);
  list = sm_window_get_household_list (window);
  sm_household_list_set_grid_id (list, replica->grid_id);
  activate_row (window, position);
  page = sm_window_get_household_page (window);
  sm_test_wait_for (sm_test_widget_laid_out, page, "the household page at phone width");
  sm_test_render_to_png (GTK_WIDGET (window), "household-360x720.png");
  sm_test_destroy_window (window);
}

/* Opens the visit dialog on @household_id's page and checks the kind it preselects. */
static SmVisitDialog *
open_visit_dialog (SmWindow   *window,
                   const char *household_id,
                   const char *expected_kind)
{
  SmHouseholdPage *page = sm_window_get_household_page (window);
  SmVisitDialog *dialog;

  sm_window_show_household (window, household_id);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "household.record-visit", NULL));
  dialog = NULL;
  for (GList *l = gtk_window_list_toplevels (); l != NULL; l = g_list_delete_link (l, l))
    if (SM_IS_VISIT_DIALOG (l->data))
      dialog = l->data;
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_cmpstr (sm_visit_dialog_get_kind (dialog), ==, expected_kind);
  g_assert_cmpstr (sm_visit_dialog_get_outcome (dialog), ==, "met");
  g_assert_null (sm_visit_dialog_get_follow_up_on (dialog));

  return dialog;
}

static void
close_dialog (SmVisitDialog *dialog)
{
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  /* What Escape and Cancel do. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL));
  while (dialog != NULL)
    g_main_context_iteration (NULL, FALSE);
}

/* Records a visit of the kind offered for @household through the dialog, and checks the
 * store has it. */
static void
save_visit (SmWindow   *window,
            SmStore    *store,
            SmRecord   *household,
            const char *kind,
            const char *notes)
{
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;
  SmVisitDialog *dialog;
  SmRecord *visit;

  before = sm_store_list_visits (store, sm_record_get_id (household), &error);
  g_assert_no_error (error);
  dialog = open_visit_dialog (window, sm_record_get_id (household), kind);
  gtk_editable_set_text (sm_visit_dialog_get_notes_entry (dialog), notes);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_true (sm_visit_dialog_save (dialog));
  while (dialog != NULL)
    g_main_context_iteration (NULL, FALSE);

  after = sm_store_list_visits (store, sm_record_get_id (household), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, ==, before->len + 1);
  visit = g_ptr_array_index (after, 0);
  g_assert_cmpstr (sm_record_get_string (visit, "kind"), ==, kind);
  g_assert_cmpstr (sm_record_get_string (visit, "outcome"), ==, "met");
  g_assert_cmpstr (sm_record_get_string (visit, "notes"), ==, notes);
  g_assert_null (sm_record_get_string (visit, "follow_up_on"));
}

static void
test_visit_dialog (void)
{
  g_autoptr(SmTestReplica) replica = sm_test_replica_new ("desktop", 400, 4, 0);
  g_autoptr(GPtrArray) households = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_follow_up = tomorrow ();
  SmRecord *new_household = NULL;
  SmRecord *care_household = NULL;
  SmRecord *drop_in_household = NULL;
  SmHouseholdPage *page;
  SmVisitDialog *dialog;
  SmVisitRow *first_row;
  SmRecord *visit;
  SmWindow *window;
  gint64 start;

  households = sm_store_list_households (replica->store, replica->grid_id, NULL, 0, G_MAXUINT, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < households->len; i++)
    {
      SmRecord *h = g_ptr_array_index (households, i);
      gboolean is_new = g_strcmp0 (sm_record_get_string (h, "tenure"), "new") == 0;

      if (is_new && new_household == NULL)
        new_household = h;
      else if (!is_new && has_tag (h) && care_household == NULL)
        care_household = h;
      else if (!is_new && !has_tag (h) && drop_in_household == NULL)
        drop_in_household = h;
    }
  g_assert_nonnull (new_household);
  g_assert_nonnull (care_household);
  g_assert_nonnull (drop_in_household);

  window = show_window (replica->store, 1280, 800, NULL);
  page = sm_window_get_household_page (window);

  /* The kind preselected from the household; Cancel writes nothing. */
  before = sm_store_list_visits (replica->store, sm_record_get_id (new_household), &error);
  g_assert_no_error (error);
  close_dialog (open_visit_dialog (window, sm_record_get_id (new_household), "knock"));
  after = sm_store_list_visits (replica->store, sm_record_get_id (new_household), &error);
  g_assert_cmpuint (after->len, ==, before->len);
  g_clear_pointer (&before, g_ptr_array_unref);
  g_clear_pointer (&after, g_ptr_array_unref);

  /* 敲门 and 上门, saved as offered: someone met. */
  save_visit (window, replica->store, new_household, "knock", "新住户，已登记家庭成员");
  save_visit (window, replica->store, care_household, "care", "送米面油，身体尚好");

  /* 串门, with more picked and typed. */
  dialog = open_visit_dialog (window, sm_record_get_id (drop_in_household), "drop_in");

  /* Not at home schedules a revisit tomorrow; another outcome takes it back. */
  sm_visit_dialog_set_outcome (dialog, "not_home");
  g_assert_cmpstr (sm_visit_dialog_get_follow_up_on (dialog), ==, expected_follow_up);
  sm_visit_dialog_set_outcome (dialog, "declined");
  g_assert_null (sm_visit_dialog_get_follow_up_on (dialog));
  sm_visit_dialog_set_outcome (dialog, "not_home");
  g_assert_cmpstr (sm_visit_dialog_get_follow_up_on (dialog), ==, expected_follow_up);

  before = sm_store_list_visits (replica->store, sm_record_get_id (drop_in_household), &error);
  g_assert_no_error (error);

  /* A store error shows in the dialog, which stays open with what was typed. The calendar
   * only picks real dates; a date that does not exist, set through the API, is refused. */
  gtk_editable_set_text (sm_visit_dialog_get_notes_entry (dialog), "敲了三次门，邻居说出差了");
  sm_visit_dialog_set_follow_up_on (dialog, "2026-02-30");
  g_assert_false (sm_visit_dialog_save (dialog));
  g_assert_nonnull (sm_visit_dialog_get_error_message (dialog));
  g_test_message ("store error shown: %s", sm_visit_dialog_get_error_message (dialog));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_cmpstr (gtk_editable_get_text (sm_visit_dialog_get_notes_entry (dialog)), ==,
                   "敲了三次门，邻居说出差了");
  g_assert_cmpstr (sm_visit_dialog_get_outcome (dialog), ==, "not_home");
  after = sm_store_list_visits (replica->store, sm_record_get_id (drop_in_household), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, ==, before->len);
  g_clear_pointer (&after, g_ptr_array_unref);
  sm_visit_dialog_set_follow_up_on (dialog, expected_follow_up);

  gtk_editable_set_text (sm_visit_dialog_get_companions_entry (dialog), "楼栋长王芳");
  sm_test_wait_for (sm_test_widget_laid_out, dialog, "the visit dialog");
  sm_test_render_to_png (GTK_WIDGET (dialog), "visit-dialog.png");

  /* Enter in a text row saves (the dialog's default widget is Save); the dialog opens with
   * the focus in the notes. */
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (dialog)),
                                         GTK_WIDGET (sm_visit_dialog_get_notes_entry (dialog))));
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  start = g_get_monotonic_time ();
  gtk_widget_activate_default (GTK_WIDGET (sm_visit_dialog_get_notes_entry (dialog)));
  while (dialog != NULL)
    g_main_context_iteration (NULL, FALSE);
  /* Most of it is GtkButton's press animation before "clicked", not the save. */
  g_test_message ("Enter to visit saved, dialog closed and timeline reloaded: %.1f ms",
                  (g_get_monotonic_time () - start) / 1000.0);

  /* One more visit in the store, with what was picked and typed. */
  after = sm_store_list_visits (replica->store, sm_record_get_id (drop_in_household), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, ==, before->len + 1);
  visit = g_ptr_array_index (after, 0);
  g_assert_cmpstr (sm_record_get_string (visit, "household_id"), ==, sm_record_get_id (drop_in_household));
  g_assert_cmpstr (sm_record_get_grid_id (visit), ==, sm_record_get_grid_id (drop_in_household));
  g_assert_cmpstr (sm_record_get_string (visit, "kind"), ==, "drop_in");
  g_assert_cmpstr (sm_record_get_string (visit, "outcome"), ==, "not_home");
  g_assert_cmpstr (sm_record_get_string (visit, "follow_up_on"), ==, expected_follow_up);
  g_assert_cmpstr (sm_record_get_string (visit, "worker_id"), ==, "local");
  g_assert_cmpstr (sm_record_get_string (visit, "notes"), ==, "敲了三次门，邻居说出差了");
  g_assert_cmpstr (sm_record_get_string (visit, "companions"), ==, "楼栋长王芳");
  g_assert_null (sm_record_get_string (visit, "met_names"));
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$",
                                       sm_record_get_string (visit, "visited_at"), 0, 0));

  /* The timeline shows it first. */
  {
    g_autoptr(SmRecord) shown = g_list_model_get_item (sm_household_page_get_visits (page), 0);

    g_assert_cmpuint (g_list_model_get_n_items (sm_household_page_get_visits (page)), ==, after->len);
    g_assert_cmpstr (sm_record_get_id (shown), ==, sm_record_get_id (visit));
  }
  sm_test_wait_for (sm_test_widget_laid_out, page, "the household page after the visit");
  first_row = SM_VISIT_ROW (sm_test_find_widget (GTK_WIDGET (page), SM_TYPE_VISIT_ROW));
  g_assert_nonnull (first_row);
  g_assert_cmpstr (sm_record_get_id (sm_visit_row_get_visit (first_row)), ==, sm_record_get_id (visit));
  sm_test_wait_for_frame (GTK_WIDGET (window));
  sm_test_render_to_png (GTK_WIDGET (window), "household-visit-1280x800.png");

  sm_test_destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  if (!sm_test_gtk_init ("test-desktop"))
    return 1;

  g_test_add_func ("/desktop/window/households", test_households);
  g_test_add_func ("/desktop/household/page", test_household_page);
  g_test_add_func ("/desktop/household/record-visit", test_visit_dialog);
  g_test_add_func ("/desktop/window/performance", test_performance);

  return g_test_run ();
}
