/* test-desktop-today.c — the Today page (今日) of the real window over a real replica
 *
 * Needs a display: run it under `xvfb-run -a` (meson does). A replica made by
 * sm_demo_populate_store() with its history ending now, plus records the tests write,
 * opened in the real window: the Today page is the first page shown and lists exactly what
 * the store's Today queries return (counts included); activating an item opens its
 * household; a visit recorded there, or arriving in the store while the page shows, takes
 * the household off its list; a demand ages past the response target on the page's clock
 * (moved by the test, not slept through) and is marked late in words; the settings change
 * what is due. It renders the page in zh_CN at 1280×800 and 360×720 to PNG files in the
 * build folder. `-m perf` adds the figures at 100,000 households.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "sanmen-core.h"
#include "sm-test-gtk.h"
#include "sm-test-replica.h"
#include "sm-today-page.h"
#include "sm-visit-dialog.h"
#include "sm-window.h"

/* The demo community with its history ending now, so that today's reminders are real. */
static SmTestReplica *
today_replica_new (guint n_households)
{
  return sm_test_replica_new ("today", n_households, 4, g_get_real_time () / G_USEC_PER_SEC);
}

/* ---------------------------------------------------------------- waiting on the window */

/* A row of the Today page is mapped and laid out. */
static gboolean
today_shown (gpointer data)
{
  return sm_test_find_shown (GTK_WIDGET (data), SM_TYPE_TODAY_ROW, NULL) != NULL;
}

static SmWindow *
show_window (SmStore *store,
             int      width,
             int      height,
             gint64  *out_shown_us)
{
  return sm_test_show_window (store, width, height, NULL, today_shown, "the Today page",
                              out_shown_us);
}

/* ---------------------------------------------------------------- what the store says */

/* The records the store lists for @kind as of @now, the first @limit, and how many in all. */
static GPtrArray *
store_list (SmStore     *store,
            SmTodayPage *page,
            SmTodayKind  kind,
            GDateTime   *now,
            guint        limit,
            guint       *out_total)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *records;

  switch (kind)
    {
    case SM_TODAY_KIND_CARE:
      records = sm_store_list_difficulty_unvisited (store, NULL,
                                                    sm_today_page_get_setting (page, "difficulty-visit-days"),
                                                    now, limit, out_total, &error);
      break;
    case SM_TODAY_KIND_KNOCK:
      records = sm_store_list_new_not_knocked (store, NULL,
                                               sm_today_page_get_setting (page, "new-resident-knock-days"),
                                               now, limit, out_total, &error);
      break;
    case SM_TODAY_KIND_FOLLOW_UP:
      records = sm_store_list_follow_ups_due (store, NULL, now, limit, out_total, &error);
      break;
    case SM_TODAY_KIND_DEMAND:
    default:
      records = sm_store_list_demands_awaiting_response (store, NULL, limit, out_total, &error);
      break;
    }
  g_assert_no_error (error);

  return records;
}

static const char * const kind_names[] = { "care", "knock", "follow-up", "demand" };

/* The page shows exactly what the store lists: the same records in the same order, one
 * row each, the same count beside the heading. */
static void
assert_page_matches_store (SmTodayPage *page,
                           SmStore     *store)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  for (guint kind = 0; kind < SM_TODAY_N_KINDS; kind++)
    {
      GListModel *items = sm_today_page_get_items (page, kind);
      SmTodaySection *section = sm_today_page_get_section (page, kind);
      guint n_items = g_list_model_get_n_items (items);
      g_autoptr(GPtrArray) expected = NULL;
      g_autofree char *count = NULL;
      guint total = 0;

      expected = store_list (store, page, kind, now, n_items < SM_TODAY_PAGE_STEP ? SM_TODAY_PAGE_STEP : n_items, &total);
      count = g_strdup_printf ("%u", total);
      g_assert_cmpuint (sm_today_page_get_total (page, kind), ==, total);
      g_assert_cmpstr (sm_today_section_get_count_text (section), ==, count);
      g_assert_cmpuint (n_items, ==, expected->len);

      for (guint i = 0; i < n_items; i++)
        {
          g_autoptr(SmTodayItem) item = g_list_model_get_item (items, i);
          SmTodayRow *row = sm_today_section_get_row (section, i);

          g_assert_cmpint (sm_today_item_get_kind (item), ==, kind);
          g_assert_cmpstr (sm_record_get_id (sm_today_item_get_record (item)), ==,
                           sm_record_get_id (g_ptr_array_index (expected, i)));
          g_assert_nonnull (row);
          g_assert_true (sm_today_row_get_item (row) == item);
          g_assert_cmpstr (sm_today_row_get_status_text (row), !=, "");
        }
      g_assert_null (sm_today_section_get_row (section, n_items));
      g_test_message ("%s: %u shown of %u", kind_names[kind], n_items, total);
    }
}

typedef struct {
  SmTodayPage *page;
  SmTodayKind  kind;
  const char  *id;
} ItemWait;

static gboolean
page_lists (SmTodayPage *page,
            SmTodayKind  kind,
            const char  *id)
{
  GListModel *items = sm_today_page_get_items (page, kind);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(SmTodayItem) item = g_list_model_get_item (items, i);

      if (g_strcmp0 (sm_record_get_id (sm_today_item_get_record (item)), id) == 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean
item_gone (gpointer data)
{
  ItemWait *wait = data;

  return !page_lists (wait->page, wait->kind, wait->id);
}

static gboolean
item_listed (gpointer data)
{
  ItemWait *wait = data;

  return page_lists (wait->page, wait->kind, wait->id);
}

/* The row of the page that shows the record @id, or NULL. */
static SmTodayRow *
find_row (SmTodayPage *page,
          SmTodayKind  kind,
          const char  *id)
{
  SmTodaySection *section = sm_today_page_get_section (page, kind);
  SmTodayRow *row;

  for (guint i = 0; (row = sm_today_section_get_row (section, i)) != NULL; i++)
    if (g_strcmp0 (sm_record_get_id (sm_today_item_get_record (sm_today_row_get_item (row))), id) == 0)
      return row;

  return NULL;
}

static char *
iso_utc (gint64 unix_seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_seconds);

  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
}

/* A demand reported @seconds_ago before @now_unix, with its report event. */
static char *
add_demand (SmStore    *store,
            const char *grid_id,
            const char *household_id,
            const char *title,
            gint64      reported_unix)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *at = iso_utc (reported_unix);
  g_autofree char *event = NULL;
  char *id;

  id = sm_store_create_with (store, "demand", grid_id, &error,
                             "household_id", g_variant_new_string (household_id),
                             "source", g_variant_new_string ("visit"),
                             "category", g_variant_new_string ("设施维修"),
                             "title", g_variant_new_string (title),
                             "reported_at", g_variant_new_string (at), NULL);
  g_assert_no_error (error);
  event = sm_store_create_with (store, "demand_event", grid_id, &error,
                                "demand_id", g_variant_new_string (id),
                                "at", g_variant_new_string (at),
                                "actor", g_variant_new_string ("worker-01"),
                                "action", g_variant_new_string ("report"), NULL);
  g_assert_no_error (error);

  return id;
}

static SmRecord *
first_household (SmStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) grids = sm_store_list_grids (store, &error);
  g_autoptr(GPtrArray) households = NULL;

  g_assert_no_error (error);
  households = sm_store_list_households (store, sm_record_get_id (grids->pdata[0]), NULL, 0, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (households->len, ==, 1);

  return g_object_ref (households->pdata[0]);
}

/* ---------------------------------------------------------------- the tests */

/* Today is the first page, and shows exactly what the store lists; rows say how long, and
 * opening one opens its household. */
static void
test_lists (void)
{
  g_autoptr(SmTestReplica) replica = today_replica_new (400);
  g_autoptr(SmRecord) household = first_household (replica->store);
  g_autofree char *demand = NULL;
  SmTodayPage *page;
  SmWindow *window;
  gboolean never_seen = FALSE, days_seen = FALSE;

  /* A demand waiting two minutes: on time. */
  demand = add_demand (replica->store, sm_record_get_grid_id (household), sm_record_get_id (household),
                       "楼道灯不亮", g_get_real_time () / G_USEC_PER_SEC - 120);

  window = show_window (replica->store, 1280, 800, NULL);
  page = sm_window_get_today_page (window);
  g_assert_cmpstr (sm_window_get_page (window), ==, "today");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page)));
  g_assert_nonnull (sm_today_page_get_subtitle (page));
  assert_page_matches_store (page, replica->store);

  /* The demo has something in every section but the demands, where ours waits. */
  for (guint kind = 0; kind < SM_TODAY_N_KINDS; kind++)
    g_assert_cmpuint (sm_today_page_get_total (page, kind), >, 0);
  {
    SmTodayRow *row = find_row (page, SM_TODAY_KIND_DEMAND, demand);

    g_assert_nonnull (row);
    g_assert_false (sm_today_row_get_late (row));
    g_assert_cmpstr (sm_today_row_get_title (row), ==, "楼道灯不亮");
    g_assert_nonnull (strstr (sm_today_row_get_subtitle (row), sm_record_get_string (household, "address")));
    g_assert_true (g_str_has_prefix (sm_today_row_get_status_text (row), "Waiting 2 min")
                   || g_str_has_prefix (sm_today_row_get_status_text (row), "Waiting 3 min"));
  }

  /* Households in difficulty: days since the last visit where someone was met, or never. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    SmTodaySection *section = sm_today_page_get_section (page, SM_TODAY_KIND_CARE);
    SmTodayRow *row;

    for (guint i = 0; (row = sm_today_section_get_row (section, i)) != NULL; i++)
      {
        SmTodayItem *item = sm_today_row_get_item (row);
        g_autofree char *last = sm_store_dup_last_met_visit_at (replica->store,
                                                                sm_record_get_id (sm_today_item_get_record (item)), NULL);
        g_autofree char *expected = NULL;
        int days;

        g_assert_cmpstr (sm_today_item_get_last_visit_at (item), ==, last);
        if (last == NULL)
          {
            g_assert_cmpstr (sm_today_row_get_status_text (row), ==, "Never visited");
            never_seen = TRUE;
            continue;
          }
        days = sm_today_days_between (last, now);
        g_assert_cmpint (days, >=, 30);
        expected = g_strdup_printf ("%d days since the last visit", days);
        g_assert_cmpstr (sm_today_row_get_status_text (row), ==, expected);
        days_seen = TRUE;
      }
    g_assert_true (never_seen || days_seen);
  }

  /* "Show More" reads the next page of follow-ups; the demo has more than one page. */
  {
    SmTodaySection *section = sm_today_page_get_section (page, SM_TODAY_KIND_FOLLOW_UP);
    GtkWidget *more = sm_test_find_widget (GTK_WIDGET (section), GTK_TYPE_BUTTON);
    guint total = sm_today_page_get_total (page, SM_TODAY_KIND_FOLLOW_UP);

    g_assert_cmpuint (total, >, SM_TODAY_PAGE_STEP);
    g_assert_cmpuint (g_list_model_get_n_items (sm_today_page_get_items (page, SM_TODAY_KIND_FOLLOW_UP)), ==,
                      SM_TODAY_PAGE_STEP);
    g_assert_true (gtk_widget_get_visible (more));
    g_signal_emit_by_name (more, "clicked");
    g_assert_cmpuint (g_list_model_get_n_items (sm_today_page_get_items (page, SM_TODAY_KIND_FOLLOW_UP)), ==,
                      MIN (total, 2 * SM_TODAY_PAGE_STEP));
    g_assert_cmpuint (sm_today_page_get_total (page, SM_TODAY_KIND_FOLLOW_UP), ==, total);
    assert_page_matches_store (page, replica->store);
  }

  /* Activating a row (click, Enter) opens the household, or the demand; back is Today
   * again. */
  for (guint kind = 0; kind < SM_TODAY_N_KINDS; kind++)
    {
      SmTodayRow *row = sm_today_section_get_row (sm_today_page_get_section (page, kind), 0);
      SmTodayItem *item = sm_today_row_get_item (row);
      g_autofree char *household_id = g_strdup (sm_today_item_get_household_id (item));

      g_assert_nonnull (household_id);
      g_signal_emit_by_name (row, "activate");
      if (kind == SM_TODAY_KIND_DEMAND)
        {
          SmRecord *opened = sm_today_item_get_record (item);

          g_assert_true (sm_window_get_demand_shown (window));
          g_assert_cmpstr (sm_demand_page_get_demand_id (sm_window_get_demand_page (window)), ==,
                           sm_record_get_id (opened));
        }
      else
        {
          g_assert_true (sm_window_get_household_shown (window));
          g_assert_cmpstr (sm_household_page_get_household_id (sm_window_get_household_page (window)), ==,
                           household_id);
        }
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL));
      g_assert_false (sm_window_get_household_shown (window));
      g_assert_false (sm_window_get_demand_shown (window));
      g_assert_cmpstr (sm_window_get_page (window), ==, "today");
    }

  /* Alt+2 and Alt+1: to the households and back; the shortcuts window lists both. */
  {
    g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/org/sanmen/Sanmen/gtk/help-overlay.ui");
    GtkWidget *overlay = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));
    const char *wanted[] = { "<Alt>1", "<Alt>2" };

    for (guint i = 0; i < G_N_ELEMENTS (wanted); i++)
      {
        gboolean found = FALSE;

        for (GtkWidget *w = overlay; w != NULL && !found; )
          {
            /* Depth-first over the shortcuts window's widgets. */
            if (GTK_IS_SHORTCUTS_SHORTCUT (w))
              {
                g_autofree char *accelerator = NULL;

                g_object_get (w, "accelerator", &accelerator, NULL);
                found = g_strcmp0 (accelerator, wanted[i]) == 0;
              }
            if (gtk_widget_get_first_child (w) != NULL)
              w = gtk_widget_get_first_child (w);
            else
              {
                while (w != NULL && w != overlay && gtk_widget_get_next_sibling (w) == NULL)
                  w = gtk_widget_get_parent (w);
                w = (w == NULL || w == overlay) ? NULL : gtk_widget_get_next_sibling (w);
              }
          }
        g_assert_true (found);
      }
    gtk_window_destroy (GTK_WINDOW (overlay));
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "households"));
  g_assert_cmpstr (sm_window_get_page (window), ==, "households");
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (page)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "today"));
  g_assert_cmpstr (sm_window_get_page (window), ==, "today");

  sm_test_destroy_window (window);
}

/* A visit recorded from the household page takes the household off Today when the page
 * shows again; one arriving in the store (a sync, another dialog) while Today shows takes
 * it off by itself. */
static void
test_record_visit (void)
{
  g_autoptr(SmTestReplica) replica = today_replica_new (400);
  g_autoptr(GError) error = NULL;
  g_autofree char *care_id = NULL;
  g_autofree char *knock_id = NULL;
  g_autofree char *visit_id = NULL;
  g_autofree char *follow_up_visit = NULL;
  g_autofree char *follow_up_household = NULL;
  SmHouseholdPage *household_page;
  SmVisitDialog *dialog;
  SmTodayPage *page;
  SmWindow *window;
  guint care_total, knock_total;

  window = show_window (replica->store, 1280, 800, NULL);
  page = sm_window_get_today_page (window);
  household_page = sm_window_get_household_page (window);
  care_total = sm_today_page_get_total (page, SM_TODAY_KIND_CARE);
  knock_total = sm_today_page_get_total (page, SM_TODAY_KIND_KNOCK);
  g_assert_cmpuint (care_total, >, 0);
  g_assert_cmpuint (knock_total, >, 0);

  /* A household in difficulty, overdue: open it from Today and record a care visit. */
  {
    SmTodayRow *row = sm_today_section_get_row (sm_today_page_get_section (page, SM_TODAY_KIND_CARE), 0);

    care_id = g_strdup (sm_record_get_id (sm_today_item_get_record (sm_today_row_get_item (row))));
    g_signal_emit_by_name (row, "activate");
  }
  g_assert_true (sm_window_get_household_shown (window));
  dialog = sm_household_page_record_visit (household_page);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (sm_visit_dialog_get_kind (dialog), ==, "care");
  g_assert_cmpstr (sm_visit_dialog_get_outcome (dialog), ==, "met");
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_true (sm_visit_dialog_save (dialog));
  while (dialog != NULL)
    g_main_context_iteration (NULL, FALSE);

  /* Hidden under the household, Today has not read yet; shown again, it has. */
  g_assert_true (page_lists (page, SM_TODAY_KIND_CARE, care_id));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-list", NULL));
  g_assert_false (page_lists (page, SM_TODAY_KIND_CARE, care_id));
  g_assert_cmpuint (sm_today_page_get_total (page, SM_TODAY_KIND_CARE), ==, care_total - 1);
  assert_page_matches_store (page, replica->store);

  /* A new resident knocked on, written to the store while Today shows. */
  {
    SmTodayRow *row = sm_today_section_get_row (sm_today_page_get_section (page, SM_TODAY_KIND_KNOCK), 0);
    SmRecord *household = sm_today_item_get_record (sm_today_row_get_item (row));
    g_autofree char *now = iso_utc (g_get_real_time () / G_USEC_PER_SEC);
    ItemWait wait = { page, SM_TODAY_KIND_KNOCK, NULL };

    knock_id = g_strdup (sm_record_get_id (household));
    wait.id = knock_id;
    visit_id = sm_store_create_with (replica->store, "visit", sm_record_get_grid_id (household), &error,
                                     "household_id", g_variant_new_string (knock_id),
                                     "kind", g_variant_new_string ("knock"),
                                     "visited_at", g_variant_new_string (now),
                                     "worker_id", g_variant_new_string ("worker-01"),
                                     "outcome", g_variant_new_string ("met"), NULL);
    g_assert_no_error (error);
    sm_test_wait_for (item_gone, &wait, "the knocked household to leave Today");
    g_assert_cmpuint (sm_today_page_get_total (page, SM_TODAY_KIND_KNOCK), ==, knock_total - 1);
  }

  /* A follow-up answered by a visit to its household. */
  {
    SmTodayRow *row = sm_today_section_get_row (sm_today_page_get_section (page, SM_TODAY_KIND_FOLLOW_UP), 0);
    SmRecord *visit = sm_today_item_get_record (sm_today_row_get_item (row));
    g_autofree char *now = iso_utc (g_get_real_time () / G_USEC_PER_SEC);
    g_autofree char *answer = NULL;
    ItemWait wait = { page, SM_TODAY_KIND_FOLLOW_UP, NULL };

    follow_up_visit = g_strdup (sm_record_get_id (visit));
    follow_up_household = g_strdup (sm_record_get_string (visit, "household_id"));
    wait.id = follow_up_visit;
    answer = sm_store_create_with (replica->store, "visit", sm_record_get_grid_id (visit), &error,
                                   "household_id", g_variant_new_string (follow_up_household),
                                   "kind", g_variant_new_string ("drop_in"),
                                   "visited_at", g_variant_new_string (now),
                                   "worker_id", g_variant_new_string ("worker-01"),
                                   "outcome", g_variant_new_string ("met"), NULL);
    g_assert_no_error (error);
    sm_test_wait_for (item_gone, &wait, "the answered follow-up to leave Today");
  }
  assert_page_matches_store (page, replica->store);

  sm_test_destroy_window (window);
}

typedef struct {
  gint64 ms;
} FakeClock;

static guint64
fake_clock (gpointer user_data)
{
  return (guint64) ((FakeClock *) user_data)->ms;
}

typedef struct {
  SmTodayPage *page;
  const char  *id;
  gboolean     late;
} LateWait;

static gboolean
late_is (gpointer data)
{
  LateWait *wait = data;
  SmTodayRow *row = find_row (wait->page, SM_TODAY_KIND_DEMAND, wait->id);

  return row != NULL && sm_today_row_get_late (row) == wait->late;
}

static gboolean
has_css_class_deep (GtkWidget  *widget,
                    const char *css_class)
{
  if (gtk_widget_has_css_class (widget, css_class))
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_css_class_deep (child, css_class))
      return TRUE;

  return FALSE;
}

typedef struct {
  SmTodayPage *page;
  const char  *subtitle;
} SubtitleWait;

static gboolean
subtitle_changed (gpointer data)
{
  SubtitleWait *wait = data;

  return g_strcmp0 (sm_today_page_get_subtitle (wait->page), wait->subtitle) != 0;
}

typedef struct {
  SmTodayPage *page;
  SmTodayKind  kind;
  guint        total;
} TotalWait;

static gboolean
total_changed (gpointer data)
{
  TotalWait *wait = data;

  return sm_today_page_get_total (wait->page, wait->kind) != wait->total;
}

/* Demands age on the page's clock, second by second, and are marked late past the
 * response target, in words and in red; an answer takes them off; the target is a
 * setting. No sleeping: the records carry their times and the test moves the clock. */
static void
test_demand_late (void)
{
  g_autoptr(SmTestReplica) replica = today_replica_new (400);
  g_autoptr(SmRecord) household = first_household (replica->store);
  g_autoptr(GError) error = NULL;
  g_autofree char *fresh = NULL;
  g_autofree char *old = NULL;
  g_autofree char *accept = NULL;
  FakeClock clock = { g_get_real_time () / 1000 };
  const char *grid = sm_record_get_grid_id (household);
  GSettings *settings;
  SmTodayPage *page;
  SmWindow *window;
  SmTodayRow *row;

  window = show_window (replica->store, 1280, 800, NULL);
  page = sm_window_get_today_page (window);
  sm_today_page_set_clock_func (page, fake_clock, &clock);
  settings = sm_today_page_get_settings (page);
  /* The build's compiled schema, found through GSETTINGS_SCHEMA_DIR (tests/meson.build). */
  g_assert_nonnull (settings);
  g_assert_cmpuint (sm_today_page_get_setting (page, "response-target-minutes"), ==, 5);

  /* Reported 4 minutes ago: on time. Reported 12 minutes ago: late. */
  fresh = add_demand (replica->store, grid, sm_record_get_id (household), "噪音扰民", clock.ms / 1000 - 4 * 60);
  old = add_demand (replica->store, grid, sm_record_get_id (household), "下水道堵塞", clock.ms / 1000 - 12 * 60);
  {
    ItemWait wait = { page, SM_TODAY_KIND_DEMAND, old };

    sm_test_wait_for (item_listed, &wait, "the new demands on Today");
  }
  g_assert_true (page_lists (page, SM_TODAY_KIND_DEMAND, fresh));
  assert_page_matches_store (page, replica->store);

  row = find_row (page, SM_TODAY_KIND_DEMAND, fresh);
  g_assert_false (sm_today_row_get_late (row));
  g_assert_cmpstr (sm_today_row_get_status_text (row), ==, "Waiting 4 min");
  g_assert_false (has_css_class_deep (GTK_WIDGET (row), "late"));
  row = find_row (page, SM_TODAY_KIND_DEMAND, old);
  g_assert_true (sm_today_row_get_late (row));
  g_assert_cmpstr (sm_today_row_get_status_text (row), ==, "Late: waiting 12 min");
  g_assert_true (has_css_class_deep (GTK_WIDGET (row), "late"));

  /* A minute and a half later (on the page's clock) the fresh one is late too: the page
   * ticks by itself, without reading the store. */
  clock.ms += 90 * 1000;
  {
    LateWait wait = { page, fresh, TRUE };

    sm_test_wait_for (late_is, &wait, "the demand to turn late");
  }
  row = find_row (page, SM_TODAY_KIND_DEMAND, fresh);
  g_assert_cmpstr (sm_today_row_get_status_text (row), ==, "Late: waiting 5 min");
  g_assert_true (has_css_class_deep (GTK_WIDGET (row), "late"));
  sm_test_wait_for_frame (GTK_WIDGET (window));
  sm_test_render_to_png (GTK_WIDGET (window), "today-demands-1280x800.png");

  /* A longer target, set in the settings: neither is late any more. */
  g_settings_set_uint (settings, "response-target-minutes", 15);
  {
    LateWait wait = { page, old, FALSE };

    sm_test_wait_for (late_is, &wait, "the new target to apply");
  }
  g_assert_false (sm_today_row_get_late (find_row (page, SM_TODAY_KIND_DEMAND, fresh)));
  g_assert_cmpstr (sm_today_row_get_status_text (find_row (page, SM_TODAY_KIND_DEMAND, old)), ==,
                   "Waiting 13 min");
  g_settings_reset (settings, "response-target-minutes");

  /* Accepted: answered, it leaves the list. */
  accept = sm_store_create_with (replica->store, "demand_event", grid, &error,
                                 "demand_id", g_variant_new_string (fresh),
                                 "at", g_variant_new_string ("2026-11-24T00:00:00Z"),
                                 "actor", g_variant_new_string ("worker-01"),
                                 "action", g_variant_new_string ("accept"), NULL);
  g_assert_no_error (error);
  {
    ItemWait wait = { page, SM_TODAY_KIND_DEMAND, fresh };

    sm_test_wait_for (item_gone, &wait, "the accepted demand to leave Today");
  }
  g_assert_true (page_lists (page, SM_TODAY_KIND_DEMAND, old));

  /* At midnight the page reads again by itself: a day later on its clock, the date in the
   * header moves and the demand has waited a day. */
  {
    g_autofree char *today = g_strdup (sm_today_page_get_subtitle (page));
    SubtitleWait wait = { page, today };

    clock.ms += 24 * 3600 * 1000;
    sm_test_wait_for (subtitle_changed, &wait, "the next day on Today");
    g_assert_cmpstr (sm_today_row_get_status_text (find_row (page, SM_TODAY_KIND_DEMAND, old)), ==,
                     "Late: waiting 1 day");
  }

  /* The visit interval is a setting too: a year makes fewer households overdue. */
  {
    TotalWait wait = { page, SM_TODAY_KIND_CARE, 0 };

    sm_today_page_set_clock_func (page, NULL, NULL);
    wait.total = sm_today_page_get_total (page, SM_TODAY_KIND_CARE);
    g_settings_set_uint (settings, "difficulty-visit-days", 365);
    sm_test_wait_for (total_changed, &wait, "the new visit interval to apply");
    g_assert_cmpuint (sm_today_page_get_total (page, SM_TODAY_KIND_CARE), <, wait.total);
    assert_page_matches_store (page, replica->store);
    g_settings_reset (settings, "difficulty-visit-days");
  }

  sm_test_destroy_window (window);
}

/* The page in Simplified Chinese, as a grid worker sees it, at desktop and phone width. */
static void
test_render_zh_cn (void)
{
  g_autoptr(SmTestReplica) replica = today_replica_new (400);
  g_autoptr(SmRecord) household = first_household (replica->store);
  g_autofree char *saved = g_strdup (setlocale (LC_ALL, NULL));
  g_autofree char *late = NULL, *fresh = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  SmWindow *window;

  late = add_demand (replica->store, sm_record_get_grid_id (household), sm_record_get_id (household),
                     "电梯停运，老人无法下楼", now - 9 * 60);
  fresh = add_demand (replica->store, sm_record_get_grid_id (household), sm_record_get_id (household),
                      "楼道堆放杂物", now - 2 * 60);

  if (setlocale (LC_ALL, "zh_CN.UTF-8") == NULL)
    {
      g_test_fail_printf ("no zh_CN.UTF-8 locale (Debian: locales, then locale-gen; quickstart makes it)");
      return;
    }

  window = show_window (replica->store, 1280, 800, NULL);
  /* Chinese from the catalog and the C library: the window's title, the weekday. */
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "三门走访");
  g_assert_nonnull (strstr (sm_today_page_get_subtitle (sm_window_get_today_page (window)), "星期"));
  {
    SmTodaySection *care = sm_today_page_get_section (sm_window_get_today_page (window), SM_TODAY_KIND_CARE);

    /* The difficulty tags, labels of the core's schema: 独居老人, 低保, … */
    g_assert_false (g_str_is_ascii (sm_today_row_get_subtitle (sm_today_section_get_row (care, 0))));
  }
  sm_test_wait_for_frame (GTK_WIDGET (window));
  sm_test_render_to_png (GTK_WIDGET (window), "today-1280x800.png");
  sm_test_destroy_window (window);

  window = show_window (replica->store, 360, 720, NULL);
  g_assert_true (adw_leaflet_get_folded (ADW_LEAFLET (sm_test_find_widget (GTK_WIDGET (window), ADW_TYPE_LEAFLET))));
  g_assert_cmpstr (sm_window_get_page (window), ==, "today");
  sm_test_wait_for_frame (GTK_WIDGET (window));
  sm_test_render_to_png (GTK_WIDGET (window), "today-360x720.png");
  sm_test_destroy_window (window);

  setlocale (LC_ALL, saved);
}

/* -m perf: the Today queries and the window's start at 100,000 households. */
static void
test_performance (void)
{
  const guint n_households = 100000;
  g_autoptr(SmTestReplica) replica = NULL;
  g_autoptr(GDateTime) now = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 shown_us;
  SmWindow *window;

  if (!g_test_perf ())
    {
      g_test_skip ("a performance test: run with -m perf");
      return;
    }

  replica = today_replica_new (n_households);
  g_test_message ("%u households made in %.1f s", n_households,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  now = g_date_time_new_now_utc ();

  window = show_window (replica->store, 1280, 800, &shown_us);
  g_test_message ("%u households: window created to Today shown in %.1f ms", n_households,
                  shown_us / 1000.0);

  for (guint kind = 0; kind < SM_TODAY_N_KINDS; kind++)
    {
      gint64 best = G_MAXINT64;
      guint total = 0;

      /* The best of three: the first also warms SQLite's cache. */
      for (guint run = 0; run < 3; run++)
        {
          g_autoptr(GPtrArray) records = NULL;

          start = g_get_monotonic_time ();
          records = store_list (replica->store, sm_window_get_today_page (window), kind, now,
                                SM_TODAY_PAGE_STEP, &total);
          best = MIN (best, g_get_monotonic_time () - start);
        }
      g_test_message ("%s: %u due, first %u and the count in %.2f ms", kind_names[kind], total,
                      SM_TODAY_PAGE_STEP, best / 1000.0);
    }

  start = g_get_monotonic_time ();
  sm_today_page_refresh (sm_window_get_today_page (window));
  g_test_message ("a whole refresh of the page (queries, items, rows): %.1f ms",
                  (g_get_monotonic_time () - start) / 1000.0);

  sm_test_destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *localedir = NULL;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  /* The catalogs this build made (po/), for the zh_CN render. */
  localedir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* GLib decides once, at the first g_dgettext() (core's _()), whether to translate at
   * all: not when the text domain has no catalog for the locale of that moment, as in
   * C.UTF-8. Let it decide under zh_CN, so that the render test can switch to it. */
  if (setlocale (LC_ALL, "zh_CN.UTF-8") != NULL)
    {
      g_dgettext (GETTEXT_PACKAGE, "Household");
      setlocale (LC_ALL, "");
    }

  if (!sm_test_gtk_init ("test-desktop-today"))
    return 1;

  g_test_add_func ("/desktop/today/lists", test_lists);
  g_test_add_func ("/desktop/today/record-visit", test_record_visit);
  g_test_add_func ("/desktop/today/demand-late", test_demand_late);
  g_test_add_func ("/desktop/today/render-zh-cn", test_render_zh_cn);
  g_test_add_func ("/desktop/today/performance", test_performance);

  return g_test_run ();
}
