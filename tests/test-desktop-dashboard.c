/* test-desktop-dashboard.c — the 统计 page in the real window, in Simplified Chinese
 *
 * Needs a display: run it under `xvfb-run -a`. Opens the demo community in the real
 * window, goes to the dashboard as Alt+4 does, and checks that the page shows what
 * sm_dashboard_compute() computes on the same replica: every figure's text, every chart
 * row, for last month over the community, one grid, and a custom period. Renders the page
 * in zh_CN (the catalog of the build tree) at 1280×800 and 360×720 to PNG files in the
 * build folder and checks they are not blank and the charts fit the narrow window. On
 * 100,000 households it measures how long the figures take to show and the longest the
 * UI thread went without running meanwhile (the computation runs in a worker thread).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "sanmen-core.h"
#include "sm-settings.h"
#include "sm-test-gtk.h"
#include "sm-test-replica.h"
#include "sm-window.h"

/* The demo's "now": 2026-11-01T09:00:00+08:00. */
static GDateTime *
demo_now (void)
{
  SmDemoOptions options;

  sm_demo_options_init (&options);
  return g_date_time_new_from_unix_utc (options.now_unix);
}

static GDateTime *
local_day (int year,
           int month,
           int day)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("+08:00");

  return g_date_time_new (zone, year, month, day, 0, 0, 0);
}

/* ---------------------------------------------------------------- waiting */

static gboolean
page_idle (gpointer data)
{
  SmDashboardPage *page = data;

  return !sm_dashboard_page_get_busy (page) && sm_dashboard_page_get_dashboard (page) != NULL;
}

/* Counts the computations the page finishes, to wait for the next one. */
typedef struct {
  SmDashboardPage *page;
  guint            done;
  guint            waited;
} Runs;

static void
busy_cb (SmDashboardPage *page,
         GParamSpec      *pspec,
         Runs            *runs)
{
  if (!sm_dashboard_page_get_busy (page))
    runs->done++;
}

static gboolean
next_run_done (gpointer data)
{
  Runs *runs = data;

  return runs->done > runs->waited && page_idle (runs->page);
}

static void
wait_for_next_run (Runs       *runs,
                   const char *what)
{
  sm_test_wait_for (next_run_done, runs, what);
  runs->waited = runs->done;
}

/* The dashboard, reached as Alt+4 reaches it. */
static SmDashboardPage *
open_dashboard (SmWindow *window)
{
  SmDashboardPage *page;

  g_assert_false (sm_window_get_dashboard_shown (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "dashboard"));
  g_assert_true (sm_window_get_dashboard_shown (window));

  page = sm_window_get_dashboard_page (window);
  sm_test_wait_for (sm_test_widget_laid_out, page, "the dashboard page");
  return page;
}

static GtkLabel *
find_error_label (GtkWidget *page)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  sm_test_collect_widgets (page, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (labels, i), "error"))
      return g_ptr_array_index (labels, i);

  g_assert_not_reached ();
}

/* Scrolls the dashboard down to its charts. */
static void
scroll_to_charts (SmDashboardPage *page)
{
  GtkWidget *chart = GTK_WIDGET (sm_dashboard_page_get_chart (page, "workers"));
  GtkWidget *scrolled = gtk_widget_get_ancestor (chart, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  graphene_point_t point;

  g_assert_true (gtk_widget_compute_point (chart, gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled)),
                                           &GRAPHENE_POINT_INIT (0, 0), &point));
  gtk_adjustment_set_value (adjustment, point.y - 40);
}

/* ---------------------------------------------------------------- checks */

static SmDashboard *
core_figures_with (SmStore    *store,
                   const char *grid_id,
                   GDateTime  *from,
                   GDateTime  *to,
                   GDateTime  *now,
                   guint       knock_days,
                   guint       care_days,
                   guint       target_minutes)
{
  g_autoptr(GError) error = NULL;
  SmDashboardOptions options;
  SmDashboard *dashboard;

  sm_dashboard_options_init (&options);
  options.knock_days = knock_days;
  options.care_days = care_days;
  options.response_target_seconds = target_minutes * 60;
  options.grid_id = grid_id;
  options.from = from;
  options.to = to;
  options.now = now;
  dashboard = sm_dashboard_compute (store, &options, &error);
  g_assert_no_error (error);

  return dashboard;
}

static void
assert_figure (SmDashboardPage *page,
               const char      *name,
               char            *expected)
{
  g_assert_cmpstr (sm_dashboard_page_get_figure_text (page, name), ==, expected);
  g_free (expected);
}

static char *
count_text (guint n)
{
  return g_strdup_printf ("%u", n);
}

static void
assert_chart_row (SmBarChart *chart,
                  guint       index,
                  const char *label,
                  const char *value)
{
  g_autofree char *text = sm_bar_chart_dup_row_text (chart, index);
  g_autofree char *expected = g_strdup_printf (_("%s: %s"), label, value);

  g_assert_cmpstr (text, ==, expected);
}

/* With the schema's defaults: 7 days, 30 days, 5 minutes. */
static SmDashboard *
core_figures (SmStore    *store,
              const char *grid_id,
              GDateTime  *from,
              GDateTime  *to,
              GDateTime  *now)
{
  return core_figures_with (store, grid_id, from, to, now, 7, 30, 5);
}

/* What the page shows is what the core computes, figure by figure and row by row. */
static void
assert_page_shows (SmDashboardPage   *page,
                   const SmDashboard *e)
{
  const SmDashboard *shown = sm_dashboard_page_get_dashboard (page);
  SmBarChart *chart;

  g_assert_nonnull (shown);
  g_assert_cmpuint (shown->visits, ==, e->visits);
  g_assert_cmpuint (shown->demands, ==, e->demands);
  g_assert_cmpuint (shown->overdue, ==, e->overdue);

  assert_figure (page, "knock-rate", sm_dashboard_format_percent (sm_dashboard_knock_rate (e)));
  assert_figure (page, "care-rate", sm_dashboard_format_percent (sm_dashboard_care_rate (e)));
  assert_figure (page, "drop-ins", g_strdup_printf ("%.2f", sm_dashboard_drop_ins_per_household (e)));
  assert_figure (page, "visits", count_text (e->visits));
  assert_figure (page, "demands", count_text (e->demands));
  assert_figure (page, "response-median", sm_dashboard_format_minutes (e->median_response_minutes));
  assert_figure (page, "response-p90", sm_dashboard_format_minutes (e->p90_response_minutes));
  assert_figure (page, "target-rate", sm_dashboard_format_percent (sm_dashboard_target_rate (e)));
  assert_figure (page, "resolution-rate", sm_dashboard_format_percent (sm_dashboard_resolution_rate (e)));
  assert_figure (page, "satisfaction-rate", sm_dashboard_format_percent (sm_dashboard_satisfaction_rate (e)));
  assert_figure (page, "overdue", count_text (e->overdue));

  chart = sm_dashboard_page_get_chart (page, "workers");
  g_assert_cmpuint (sm_bar_chart_get_n_rows (chart), ==, e->workers->len);
  for (guint i = 0; i < e->workers->len; i++)
    {
      SmDashboardCount *c = g_ptr_array_index (e->workers, i);
      g_autofree char *value = count_text (c->count);

      assert_chart_row (chart, i, c->key, value);
    }

  chart = sm_dashboard_page_get_chart (page, "categories");
  g_assert_cmpuint (sm_bar_chart_get_n_rows (chart), ==, e->categories->len);
  for (guint i = 0; i < e->categories->len; i++)
    {
      SmDashboardCount *c = g_ptr_array_index (e->categories, i);
      g_autofree char *value = count_text (c->count);

      assert_chart_row (chart, i, c->key, value);
    }

  chart = sm_dashboard_page_get_chart (page, "statuses");
  g_assert_cmpuint (sm_bar_chart_get_n_rows (chart), ==, e->demands > 0 ? SM_DASHBOARD_N_STATUSES : 0);
  for (guint s = 0; e->demands > 0 && s < SM_DASHBOARD_N_STATUSES; s++)
    {
      const SmField *field = sm_table_lookup_field (sm_schema_lookup_table ("demand"), "status");
      g_autofree char *value = count_text (e->by_status[s]);

      assert_chart_row (chart, s, sm_field_get_enum_label (field, sm_dashboard_status_name (s)), value);
    }

  chart = sm_dashboard_page_get_chart (page, "levels");
  for (guint l = 0; e->resolved > 0 && l < SM_DASHBOARD_LEVEL_UNSET; l++)
    {
      const SmField *field = sm_table_lookup_field (sm_schema_lookup_table ("demand"), "level");
      g_autofree char *percent = sm_dashboard_format_percent (sm_dashboard_level_share (e, l));
      g_autofree char *value = g_strdup_printf (_("%s (%u)"), percent, e->by_level[l]);

      assert_chart_row (chart, l, sm_field_get_enum_label (field, sm_dashboard_level_name (l)), value);
    }
}

/* ---------------------------------------------------------------- tests */

static void
test_figures (void)
{
  g_autoptr(SmTestReplica) replica = sm_test_replica_new ("dashboard", 400, 4, 0);
  g_autoptr(GDateTime) now = demo_now ();
  g_autoptr(GDateTime) october = local_day (2026, 10, 1);
  g_autoptr(GDateTime) november = local_day (2026, 11, 1);
  g_autoptr(GDateTime) september_15 = local_day (2026, 9, 15);
  g_autoptr(GDateTime) october_16 = local_day (2026, 10, 16);
  g_autoptr(SmDashboard) expected = NULL;
  g_autoptr(GDate) first = g_date_new_dmy (15, G_DATE_SEPTEMBER, 2026);
  g_autoptr(GDate) last = g_date_new_dmy (15, G_DATE_OCTOBER, 2026);
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  SmDashboardPage *page;
  SmWindow *window;
  GtkLabel *error_label;
  double light, dark;

  window = sm_test_open_window (replica->store, 1280, 800);
  page = open_dashboard (window);
  sm_test_wait_for (page_idle, page, "this month's figures");

  /* Last month, as the demo's office sees it on 2026-11-01. */
  sm_dashboard_page_set_now (page, now);
  sm_dashboard_page_set_period (page, SM_DASHBOARD_PERIOD_LAST_MONTH);
  g_assert_true (sm_dashboard_page_get_busy (page));
  sm_test_wait_for (page_idle, page, "last month's figures");
  expected = core_figures (replica->store, NULL, october, november, now);
  g_assert_cmpuint (expected->visits, >, 0);
  g_assert_cmpuint (expected->demands, >, 0);
  assert_page_shows (page, expected);
  sm_test_render_to_png (GTK_WIDGET (window), "dashboard-zh_CN-1280x800.png");
  scroll_to_charts (page);
  light = sm_test_render_to_png (GTK_WIDGET (window), "dashboard-zh_CN-1280x800-charts.png");

  /* The charts take their colours from the style: dark follows the dark scheme. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  dark = sm_test_render_to_png (GTK_WIDGET (window), "dashboard-zh_CN-1280x800-charts-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  g_assert_cmpfloat (dark, <, light / 2);

  /* One grid. */
  sm_dashboard_page_set_grid_id (page, replica->grid_id);
  sm_test_wait_for (page_idle, page, "one grid's figures");
  g_clear_pointer (&expected, sm_dashboard_free);
  expected = core_figures (replica->store, replica->grid_id, october, november, now);
  assert_page_shows (page, expected);
  sm_test_render_to_png (GTK_WIDGET (window), "dashboard-zh_CN-1280x800-grid.png");

  /* A custom period, 2026-09-15 to 2026-10-15 inclusive; back to every grid. */
  sm_dashboard_page_set_grid_id (page, NULL);
  sm_dashboard_page_set_custom_period (page, first, last);
  sm_test_wait_for (page_idle, page, "the custom period's figures");
  g_clear_pointer (&expected, sm_dashboard_free);
  expected = core_figures (replica->store, NULL, september_15, october_16, now);
  assert_page_shows (page, expected);

  /* Typed in, as from the keyboard: a date that does not exist is refused with a reason,
   * a good one (Enter in the second field) shows its figures. */
  sm_test_collect_widgets (GTK_WIDGET (page), GTK_TYPE_ENTRY, entries);
  g_assert_cmpuint (entries->len, ==, 2);
  error_label = find_error_label (GTK_WIDGET (page));
  gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (entries, 0)), "2026-02-30");
  g_signal_emit_by_name (g_ptr_array_index (entries, 0), "activate");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  g_assert_cmpstr (gtk_label_get_text (error_label), !=, "");
  g_assert_false (sm_dashboard_page_get_busy (page));

  gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (entries, 0)), "2026-10-01");
  gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (entries, 1)), "2026-10-31");
  g_signal_emit_by_name (g_ptr_array_index (entries, 1), "activate");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  g_assert_true (sm_dashboard_page_get_busy (page));
  sm_test_wait_for (page_idle, page, "the typed period's figures");
  g_clear_pointer (&expected, sm_dashboard_free);
  expected = core_figures (replica->store, NULL, october, november, now);
  assert_page_shows (page, expected);

  /* The office changes its windows and target (Preferences): the page shown follows. */
  {
    g_autoptr(GSettings) settings = sm_settings_new ();
    Runs runs = { page, 0, 0 };
    gulong handler = g_signal_connect (page, "notify::busy", G_CALLBACK (busy_cb), &runs);

    g_assert_nonnull (settings);
    g_settings_set_uint (settings, "new-resident-knock-days", 3);
    wait_for_next_run (&runs, "the figures with a 3-day knock window");
    g_settings_set_uint (settings, "difficulty-visit-days", 10);
    wait_for_next_run (&runs, "the figures with a 10-day care window");
    g_settings_set_uint (settings, "response-target-minutes", 2);
    wait_for_next_run (&runs, "the figures with a 2-minute target");
    g_clear_pointer (&expected, sm_dashboard_free);
    expected = core_figures_with (replica->store, NULL, october, november, now, 3, 10, 2);
    assert_page_shows (page, expected);
    g_assert_cmpuint (sm_dashboard_page_get_dashboard (page)->within_target, ==, expected->within_target);
    g_assert_cmpuint (sm_dashboard_page_get_dashboard (page)->new_knocked, ==, expected->new_knocked);
    g_assert_cmpuint (sm_dashboard_page_get_dashboard (page)->difficulty_visited, ==, expected->difficulty_visited);

    g_settings_reset (settings, "new-resident-knock-days");
    g_settings_reset (settings, "difficulty-visit-days");
    g_settings_reset (settings, "response-target-minutes");
    wait_for_next_run (&runs, "the figures with the default windows");
    g_signal_handler_disconnect (page, handler);
  }

  sm_test_destroy_window (window);
}

static void
test_narrow (void)
{
  g_autoptr(SmTestReplica) replica = sm_test_replica_new ("dashboard", 400, 4, 0);
  g_autoptr(GDateTime) now = demo_now ();
  SmDashboardPage *page;
  SmBarChart *chart;
  SmWindow *window;

  window = sm_test_open_window (replica->store, 360, 720);
  page = open_dashboard (window);
  sm_dashboard_page_set_now (page, now);
  sm_dashboard_page_set_period (page, SM_DASHBOARD_PERIOD_LAST_30_DAYS);
  sm_test_wait_for (page_idle, page, "the last 30 days' figures");

  /* Nothing wider than the window: the charts reflow, labels above their bars. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (page)), <=, 360);
  chart = sm_dashboard_page_get_chart (page, "workers");
  g_assert_cmpuint (sm_bar_chart_get_n_rows (chart), >, 0);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (chart)), <=, 360);
  {
    int narrow_height, wide_height;

    gtk_widget_measure (GTK_WIDGET (chart), GTK_ORIENTATION_VERTICAL, 300, &narrow_height, NULL, NULL, NULL);
    gtk_widget_measure (GTK_WIDGET (chart), GTK_ORIENTATION_VERTICAL, 800, &wide_height, NULL, NULL, NULL);
    g_assert_cmpint (narrow_height, >, wide_height);
  }
  sm_test_render_to_png (GTK_WIDGET (window), "dashboard-zh_CN-360x720.png");
  scroll_to_charts (page);
  sm_test_render_to_png (GTK_WIDGET (window), "dashboard-zh_CN-360x720-charts.png");

  sm_test_destroy_window (window);
}

/* The UI thread keeps running while a big community's figures are computed. */
typedef struct {
  gint64 last;
  gint64 longest;
  guint  ticks;
} Stall;

static gboolean
stall_cb (gpointer data)
{
  Stall *stall = data;
  gint64 now = g_get_monotonic_time ();

  stall->longest = MAX (stall->longest, now - stall->last);
  stall->last = now;
  stall->ticks++;
  return G_SOURCE_CONTINUE;
}

static void
test_performance (void)
{
  guint n_households = g_test_slow () ? 100000 : 20000;
  gint64 start = g_get_monotonic_time ();
  g_autoptr(SmTestReplica) replica = sm_test_replica_new ("dashboard", n_households, n_households / 2500, 0);
  g_autoptr(GDateTime) now = demo_now ();
  g_autoptr(GDateTime) october = local_day (2026, 10, 1);
  g_autoptr(GDateTime) november = local_day (2026, 11, 1);
  g_autoptr(SmDashboard) expected = NULL;
  Stall stall = { 0, };
  SmDashboardPage *page;
  SmWindow *window;
  gint64 shown_us, call_us;
  guint source;

  g_test_message ("%u households made in %.1f s", n_households,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);

  window = sm_test_open_window (replica->store, 1280, 800);
  page = open_dashboard (window);
  sm_dashboard_page_set_now (page, now);
  sm_test_wait_for (page_idle, page, "the first figures");

  source = g_timeout_add (5, stall_cb, &stall);
  start = stall.last = g_get_monotonic_time ();
  sm_dashboard_page_set_period (page, SM_DASHBOARD_PERIOD_LAST_MONTH);
  call_us = g_get_monotonic_time () - start;
  g_assert_true (sm_dashboard_page_get_busy (page));
  sm_test_wait_for (page_idle, page, "last month's figures");
  shown_us = g_get_monotonic_time () - start;
  g_source_remove (source);
  /* The gaps before the first tick and after the last count too. */
  stall.longest = MAX (stall.longest, start + shown_us - stall.last);

  g_test_message ("%u households, last month of the community: figures shown in %.1f ms;"
                  " choosing the period took %.2f ms of the UI thread; the UI thread ran %u"
                  " times meanwhile, the longest gap %.1f ms (frames drawn in software here)",
                  n_households, shown_us / 1000.0, call_us / 1000.0, stall.ticks,
                  stall.longest / 1000.0);

  expected = core_figures (replica->store, NULL, october, november, now);
  assert_page_shows (page, expected);

  /* Choosing the period hands the work to the worker thread and returns: had it computed
   * on the UI thread, the call would have taken all the time. (The gaps between ticks are
   * reported, not asserted: under Xvfb GTK draws each frame in software, and one frame can
   * take as long as the computation.) */
  if (shown_us > 20000)
    g_assert_cmpint (call_us, <, shown_us / 2);

  sm_test_destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  /* The client in Simplified Chinese, from the build tree's catalog. */
  if (!sm_test_init_zh_CN (&argc, &argv))
    return 1;
  /* The performance test computes the figures of 100 000 households. */
  sm_test_set_wait_timeout (120);

  g_test_add_func ("/desktop/dashboard/figures", test_figures);
  g_test_add_func ("/desktop/dashboard/narrow", test_narrow);
  g_test_add_func ("/desktop/dashboard/performance", test_performance);

  return g_test_run ();
}
