/* test-dashboard.c — the office's figures (统计)
 *
 * Two checks. On the demo community, every figure of sm_dashboard_compute() against an
 * independent computation written here: its own sqlite3 connection to the replica file,
 * other query shapes (joins and GROUP BY where the core uses correlated subqueries, rows
 * brought back and decided in C with GDateTime where the core compares in SQL), statuses
 * replayed from the events rather than read from the derived column. And on a small
 * replica made by hand, the exact answers worked out on paper, with the edge cases: a
 * demand never responded to, a reopened one, a level left unset, records on the bounds of
 * the period, a deleted household and demand, an empty period and a grid with nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "sanmen-core.h"
#include "sm-demand-status.h"
#include "sm-test-util.h"

#define LOCAL_ZONE "+08:00"

static GDateTime *
local_time (int year, int month, int day, int hour, int minute)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (LOCAL_ZONE);

  return g_date_time_new (zone, year, month, day, hour, minute, 0);
}

static GDateTime *
parse (const char *stamp)
{
  GDateTime *time = g_date_time_new_from_iso8601 (stamp, NULL);

  g_assert_nonnull (time);
  return time;
}

static void
assert_same_double (double actual,
                    double expected)
{
  if (isnan (expected))
    g_assert_true (isnan (actual));
  else
    g_assert_cmpfloat_with_epsilon (actual, expected, 1e-9);
}

/* ---------------------------------------------------------------- the independent figures */

typedef struct {
  char  *category;
  guint  count;
} CategoryCount;

static int
compare_category (gconstpointer a,
                  gconstpointer b)
{
  const SmDashboardCount *x = *(SmDashboardCount **) a, *y = *(SmDashboardCount **) b;

  if (x->count != y->count)
    return x->count < y->count ? 1 : -1;
  return strcmp (x->key, y->key);
}

static void
count_free (SmDashboardCount *count)
{
  g_free (count->key);
  g_free (count);
}

static sqlite3_stmt *
prepare (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  return stmt;
}

static void
bind_scope (sqlite3_stmt *stmt,
            const char   *grid_id)
{
  if (grid_id)
    sqlite3_bind_text (stmt, 1, grid_id, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 1);
}

static char *
utc_text (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

static GDate *
local_date_of (GDateTime *time)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (LOCAL_ZONE);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (time, zone);

  return g_date_new_dmy ((GDateDay) g_date_time_get_day_of_month (local),
                         (GDateMonth) g_date_time_get_month (local),
                         (GDateYear) g_date_time_get_year (local));
}

/* Knock coverage, decided in C: moved-in dates and visit times compared as local dates. */
static void
expect_knocks (sqlite3                  *db,
               const SmDashboardOptions *options,
               GDateTime                *now,
               SmDashboard              *expected)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (LOCAL_ZONE);
  sqlite3_stmt *households = prepare (db,
    "SELECT id, moved_in FROM household WHERE tenure = 'new' AND moved_in IS NOT NULL"
    " AND coalesce (_deleted, 0) = 0 AND coalesce (?1, grid_id) = grid_id");
  sqlite3_stmt *knocks = prepare (db,
    "SELECT visited_at FROM visit WHERE household_id = ?1 AND kind = 'knock'"
    " AND outcome = 'met' AND coalesce (_deleted, 0) = 0");

  bind_scope (households, options->grid_id);
  while (sqlite3_step (households) == SQLITE_ROW)
    {
      const char *moved_in = (const char *) sqlite3_column_text (households, 1);
      int y, m, d;
      g_autoptr(GDateTime) midnight = NULL;
      g_autoptr(GDateTime) window_end = NULL;
      g_autoptr(GDate) moved = NULL;
      gboolean knocked = FALSE;

      g_assert_cmpint (sscanf (moved_in, "%d-%d-%d", &y, &m, &d), ==, 3);
      midnight = g_date_time_new (zone, y, m, d, 0, 0, 0);
      if (g_date_time_compare (midnight, options->from) < 0 ||
          g_date_time_compare (midnight, options->to) >= 0)
        continue;

      expected->new_households++;
      moved = g_date_new_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y);

      sqlite3_bind_text (knocks, 1, (const char *) sqlite3_column_text (households, 0), -1, SQLITE_TRANSIENT);
      while (sqlite3_step (knocks) == SQLITE_ROW)
        {
          g_autoptr(GDateTime) at = parse ((const char *) sqlite3_column_text (knocks, 0));
          g_autoptr(GDate) day = local_date_of (at);
          int days = g_date_days_between (moved, day);

          if (days >= 0 && days <= (int) options->knock_days)
            knocked = TRUE;
        }
      sqlite3_reset (knocks);

      window_end = g_date_time_add_days (midnight, (int) options->knock_days + 1);
      if (knocked)
        expected->new_knocked++;
      else if (g_date_time_compare (now, window_end) < 0)
        expected->new_pending++;
    }

  sqlite3_finalize (households);
  sqlite3_finalize (knocks);
}

/* Care and drop-in coverage: joins and GROUP BY. */
static void
expect_care_and_drop_ins (sqlite3                  *db,
                          const SmDashboardOptions *options,
                          GDateTime                *now,
                          SmDashboard              *expected)
{
  GDateTime *end = g_date_time_compare (options->to, now) < 0 ? options->to : now;
  g_autoptr(GDateTime) start = g_date_time_add (end, -(GTimeSpan) options->care_days * G_TIME_SPAN_DAY);
  g_autofree char *start_text = utc_text (start);
  g_autofree char *end_text = utc_text (end);
  g_autofree char *from_text = utc_text (options->from);
  g_autofree char *to_text = utc_text (options->to);
  sqlite3_stmt *stmt;

  stmt = prepare (db,
    "SELECT h.id, count (v.id) FROM household h LEFT JOIN visit v ON v.household_id = h.id"
    " AND v.outcome = 'met' AND coalesce (v._deleted, 0) = 0"
    " AND v.visited_at BETWEEN ?2 AND ?3 AND v.visited_at <> ?3"
    " WHERE coalesce (h._deleted, 0) = 0 AND coalesce (?1, h.grid_id) = h.grid_id"
    " AND max (coalesce (h.tag_elderly_alone, 0), coalesce (h.tag_low_income, 0),"
    "  coalesce (h.tag_disabled, 0), coalesce (h.tag_serious_illness, 0),"
    "  coalesce (h.tag_unemployed, 0), coalesce (h.tag_left_behind_child, 0)) = 1"
    " GROUP BY h.id");
  bind_scope (stmt, options->grid_id);
  sqlite3_bind_text (stmt, 2, start_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, end_text, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      expected->difficulty_households++;
      if (sqlite3_column_int (stmt, 1) > 0)
        expected->difficulty_visited++;
    }
  sqlite3_finalize (stmt);

  stmt = prepare (db,
    "SELECT count (*) FROM household WHERE tenure = 'existing'"
    " AND coalesce (_deleted, 0) = 0 AND coalesce (?1, grid_id) = grid_id");
  bind_scope (stmt, options->grid_id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  expected->existing_households = (guint) sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  stmt = prepare (db,
    "SELECT count (*), count (DISTINCT v.household_id) FROM visit v"
    " JOIN household h ON h.id = v.household_id"
    " WHERE h.tenure = 'existing' AND coalesce (h._deleted, 0) = 0"
    " AND coalesce (?1, h.grid_id) = h.grid_id AND v.kind = 'drop_in' AND v.outcome = 'met'"
    " AND coalesce (v._deleted, 0) = 0 AND v.visited_at >= ?2 AND v.visited_at < ?3");
  bind_scope (stmt, options->grid_id);
  sqlite3_bind_text (stmt, 2, from_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, to_text, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  expected->drop_ins = (guint) sqlite3_column_int (stmt, 0);
  expected->existing_dropped_in = (guint) sqlite3_column_int (stmt, 1);
  sqlite3_finalize (stmt);
}

static void
expect_visits (sqlite3                  *db,
               const SmDashboardOptions *options,
               SmDashboard              *expected)
{
  g_autofree char *from_text = utc_text (options->from);
  g_autofree char *to_text = utc_text (options->to);
  sqlite3_stmt *stmt = prepare (db,
    "SELECT coalesce (worker_id, ''), count (*), sum (kind = 'knock'), sum (kind = 'drop_in'),"
    " sum (kind = 'care') FROM visit WHERE coalesce (?1, grid_id) = grid_id"
    " AND coalesce (_deleted, 0) = 0 AND visited_at >= ?2 AND visited_at < ?3"
    " GROUP BY worker_id ORDER BY 2 DESC, 1");

  bind_scope (stmt, options->grid_id);
  sqlite3_bind_text (stmt, 2, from_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, to_text, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      SmDashboardCount *count = g_new0 (SmDashboardCount, 1);

      count->key = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      count->count = (guint) sqlite3_column_int (stmt, 1);
      for (guint k = 0; k < SM_DASHBOARD_N_KINDS; k++)
        {
          count->by_kind[k] = (guint) sqlite3_column_int (stmt, 2 + (int) k);
          expected->visits_by_kind[k] += count->by_kind[k];
        }
      expected->visits += count->count;
      g_ptr_array_add (expected->workers, count);
    }
  sqlite3_finalize (stmt);
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* Every demand of the scope, its events replayed in time order here. */
static void
expect_demands (sqlite3                  *db,
                const SmDashboardOptions *options,
                GDateTime                *now,
                SmDashboard              *expected)
{
  static const char * const levels[] = { "building", "area", "community", "escalated" };
  static const char * const statuses[] = { "reported", "accepted", "handling", "supervising", "resolved", "evaluated" };
  g_autoptr(GHashTable) categories = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) seconds = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *demands = prepare (db,
    "SELECT id, category, level, reported_at, due_at FROM demand"
    " WHERE coalesce (_deleted, 0) = 0 AND coalesce (?1, grid_id) = grid_id");
  sqlite3_stmt *events = prepare (db,
    "SELECT action, at, satisfaction FROM demand_event WHERE demand_id = ?1"
    " AND coalesce (_deleted, 0) = 0 ORDER BY at, id");

  bind_scope (demands, options->grid_id);
  while (sqlite3_step (demands) == SQLITE_ROW)
    {
      g_autoptr(GDateTime) reported = parse ((const char *) sqlite3_column_text (demands, 3));
      const char *due = (const char *) sqlite3_column_text (demands, 4);
      const char *level = (const char *) sqlite3_column_text (demands, 2);
      const char *status = "reported";
      g_autoptr(GDateTime) responded = NULL;
      g_autofree char *satisfaction = NULL;
      gboolean in_cohort, resolved;

      sqlite3_bind_text (events, 1, (const char *) sqlite3_column_text (demands, 0), -1, SQLITE_TRANSIENT);
      while (sqlite3_step (events) == SQLITE_ROW)
        {
          const char *action = (const char *) sqlite3_column_text (events, 0);
          const char *sat = (const char *) sqlite3_column_text (events, 2);
          const char *next = sm_demand_status_transition (status, action, sat);

          if (g_str_equal (action, "evaluate") && sat != NULL)
            {
              g_free (satisfaction);
              satisfaction = g_strdup (sat);
            }

          if (next == NULL)
            continue;
          if (responded == NULL &&
              (g_str_equal (action, "accept") || g_str_equal (action, "handle") ||
               g_str_equal (action, "resolve") ||
               (g_str_equal (action, "escalate") && !g_str_equal (status, "supervising"))))
            responded = parse ((const char *) sqlite3_column_text (events, 1));
          status = next;
        }
      sqlite3_reset (events);

      resolved = g_str_equal (status, "resolved") || g_str_equal (status, "evaluated");

      if (due != NULL && !resolved)
        {
          g_autoptr(GDateTime) due_at = parse (due);

          if (g_date_time_compare (due_at, now) < 0)
            {
              expected->overdue++;
              if (g_str_equal (status, "supervising"))
                expected->overdue_supervising++;
            }
        }

      in_cohort = g_date_time_compare (reported, options->from) >= 0 &&
                  g_date_time_compare (reported, options->to) < 0;
      if (!in_cohort)
        continue;

      expected->demands++;
      {
        const char *category = (const char *) sqlite3_column_text (demands, 1);
        SmDashboardCount *count = g_hash_table_lookup (categories, category);

        if (count == NULL)
          {
            count = g_new0 (SmDashboardCount, 1);
            count->key = g_strdup (category);
            g_hash_table_insert (categories, count->key, count);
            g_ptr_array_add (expected->categories, count);
          }
        count->count++;
      }

      for (guint s = 0; s < G_N_ELEMENTS (statuses); s++)
        if (g_str_equal (statuses[s], status))
          expected->by_status[s]++;

      if (resolved)
        {
          guint l = SM_DASHBOARD_LEVEL_UNSET;

          expected->resolved++;
          for (guint i = 0; level != NULL && i < G_N_ELEMENTS (levels); i++)
            if (g_str_equal (levels[i], level))
              l = i;
          expected->by_level[l]++;
        }

      if (responded != NULL)
        {
          gint64 s = MAX (g_date_time_difference (responded, reported) / G_TIME_SPAN_SECOND, 0);

          g_array_append_val (seconds, s);
          if (s <= (gint64) options->response_target_seconds)
            expected->within_target++;
        }

      if (satisfaction != NULL)
        {
          expected->evaluated++;
          if (g_str_equal (satisfaction, "satisfied"))
            expected->satisfied++;
          else if (g_str_equal (satisfaction, "basic"))
            expected->basic++;
          else
            expected->unsatisfied++;
        }
    }
  sqlite3_finalize (demands);
  sqlite3_finalize (events);

  g_ptr_array_sort (expected->categories, compare_category);

  expected->responded = seconds->len;
  g_array_sort (seconds, compare_int64);
  if (seconds->len == 0)
    {
      expected->median_response_minutes = NAN;
      expected->p90_response_minutes = NAN;
    }
  else
    {
      /* Nearest rank, in floating point this time. */
      guint median = (guint) ceil (0.5 * seconds->len);
      guint p90 = (guint) ceil (0.9 * seconds->len - 1e-9);

      expected->median_response_minutes = g_array_index (seconds, gint64, MAX (median, 1) - 1) / 60.0;
      expected->p90_response_minutes = g_array_index (seconds, gint64, MAX (p90, 1) - 1) / 60.0;
    }
}

static SmDashboard *
expect (const char               *path,
        const SmDashboardOptions *options)
{
  SmDashboard *expected = g_new0 (SmDashboard, 1);
  g_autoptr(GDateTime) now = options->now ? g_date_time_ref (options->now) : g_date_time_new_now_utc ();
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);

  expected->workers = g_ptr_array_new_with_free_func ((GDestroyNotify) count_free);
  expected->categories = g_ptr_array_new_with_free_func ((GDestroyNotify) count_free);

  expect_knocks (db, options, now, expected);
  expect_care_and_drop_ins (db, options, now, expected);
  expect_visits (db, options, expected);
  expect_demands (db, options, now, expected);

  sqlite3_close (db);
  return expected;
}

static void
assert_counts_equal (GPtrArray *actual,
                     GPtrArray *expected)
{
  g_assert_cmpuint (actual->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      SmDashboardCount *a = g_ptr_array_index (actual, i), *e = g_ptr_array_index (expected, i);

      g_assert_cmpstr (a->key, ==, e->key);
      g_assert_cmpuint (a->count, ==, e->count);
      for (guint k = 0; k < SM_DASHBOARD_N_KINDS; k++)
        g_assert_cmpuint (a->by_kind[k], ==, e->by_kind[k]);
    }
}

static void
assert_dashboards_equal (const SmDashboard *a,
                         const SmDashboard *e)
{
  g_assert_cmpuint (a->new_households, ==, e->new_households);
  g_assert_cmpuint (a->new_knocked, ==, e->new_knocked);
  g_assert_cmpuint (a->new_pending, ==, e->new_pending);
  g_assert_cmpuint (a->difficulty_households, ==, e->difficulty_households);
  g_assert_cmpuint (a->difficulty_visited, ==, e->difficulty_visited);
  g_assert_cmpuint (a->existing_households, ==, e->existing_households);
  g_assert_cmpuint (a->drop_ins, ==, e->drop_ins);
  g_assert_cmpuint (a->existing_dropped_in, ==, e->existing_dropped_in);

  g_assert_cmpuint (a->visits, ==, e->visits);
  for (guint k = 0; k < SM_DASHBOARD_N_KINDS; k++)
    g_assert_cmpuint (a->visits_by_kind[k], ==, e->visits_by_kind[k]);
  assert_counts_equal (a->workers, e->workers);

  g_assert_cmpuint (a->demands, ==, e->demands);
  assert_counts_equal (a->categories, e->categories);
  for (guint s = 0; s < SM_DASHBOARD_N_STATUSES; s++)
    g_assert_cmpuint (a->by_status[s], ==, e->by_status[s]);
  g_assert_cmpuint (a->responded, ==, e->responded);
  g_assert_cmpuint (a->within_target, ==, e->within_target);
  assert_same_double (a->median_response_minutes, e->median_response_minutes);
  assert_same_double (a->p90_response_minutes, e->p90_response_minutes);
  g_assert_cmpuint (a->resolved, ==, e->resolved);
  for (guint l = 0; l < SM_DASHBOARD_N_LEVELS; l++)
    g_assert_cmpuint (a->by_level[l], ==, e->by_level[l]);
  g_assert_cmpuint (a->evaluated, ==, e->evaluated);
  g_assert_cmpuint (a->satisfied, ==, e->satisfied);
  g_assert_cmpuint (a->basic, ==, e->basic);
  g_assert_cmpuint (a->unsatisfied, ==, e->unsatisfied);

  g_assert_cmpuint (a->overdue, ==, e->overdue);
  g_assert_cmpuint (a->overdue_supervising, ==, e->overdue_supervising);
}

/* ---------------------------------------------------------------- fixtures */

typedef struct {
  char    *dir;
  char    *path;
  SmStore *store;
} Fixture;

static void
fixture_open (Fixture *fx)
{
  g_autoptr(GError) error = NULL;

  fx->dir = g_dir_make_tmp ("sanmen-dashboard-XXXXXX", &error);
  g_assert_no_error (error);
  fx->path = g_build_filename (fx->dir, "replica.db", NULL);
  fx->store = sm_store_open (fx->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  g_assert_finalize_object (fx->store);
  sm_test_remove_tree (fx->dir);
  g_free (fx->dir);
  g_free (fx->path);
}

/* ---------------------------------------------------------------- the demo community */

static void
demo_set_up (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  SmDemoOptions options;

  fixture_open (fx);
  sm_demo_options_init (&options);
  options.seed = 20261101;
  g_assert_true (sm_demo_populate_store (fx->store, &options, &error));
  g_assert_no_error (error);
}

/* The figures for @options, which the independent computation must agree with. */
static SmDashboard *
compute_with (Fixture                  *fx,
              const SmDashboardOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SmDashboard) expected = NULL;
  SmDashboard *dashboard;

  dashboard = sm_dashboard_compute (fx->store, options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (dashboard);

  expected = expect (fx->path, options);
  assert_dashboards_equal (dashboard, expected);

  return dashboard;
}

static void
check_demo (Fixture    *fx,
            const char *grid_id,
            GDateTime  *from,
            GDateTime  *to,
            guint       knock_days,
            guint       care_days)
{
  g_autoptr(GDateTime) now = local_time (2026, 11, 1, 9, 0);
  g_autoptr(SmDashboard) actual = NULL;
  g_autofree char *from_text = g_date_time_format_iso8601 (from);
  SmDashboardOptions options;

  sm_dashboard_options_init (&options);
  options.grid_id = grid_id;
  options.from = from;
  options.to = to;
  options.now = now;
  options.knock_days = knock_days;
  options.care_days = care_days;

  actual = compute_with (fx, &options);
  g_test_message ("%s %s: %u new (%u knocked, %u pending), %u in difficulty (%u visited),"
                  " %u drop-ins, %u visits by %u workers, %u demands (%u responded, %u resolved,"
                  " %u evaluated), %u overdue",
                  grid_id ? grid_id : "all", from_text,
                  actual->new_households, actual->new_knocked, actual->new_pending,
                  actual->difficulty_households, actual->difficulty_visited, actual->drop_ins,
                  actual->visits, actual->workers->len, actual->demands, actual->responded,
                  actual->resolved, actual->evaluated, actual->overdue);
}

static void
test_demo_figures (Fixture       *fx,
                   gconstpointer  data)
{
  g_autoptr(GDateTime) october = local_time (2026, 10, 1, 0, 0);
  g_autoptr(GDateTime) november = local_time (2026, 11, 1, 0, 0);
  g_autoptr(GDateTime) summer = local_time (2026, 6, 1, 0, 0);
  g_autoptr(GDateTime) future = local_time (2026, 12, 1, 0, 0);
  g_autoptr(GDateTime) odd_from = local_time (2026, 9, 14, 13, 30);
  g_autoptr(GDateTime) odd_to = local_time (2026, 10, 29, 7, 45);
  g_autoptr(GError) error = NULL;
  g_autoptr(SmDashboard) whole = NULL;
  SmDashboardOptions options;

  /* A month, the community and one grid. */
  check_demo (fx, NULL, october, november, 7, 30);
  check_demo (fx, "grid-02", october, november, 7, 30);
  /* Five months, other windows. */
  check_demo (fx, NULL, summer, november, 14, 60);
  check_demo (fx, "grid-03", summer, november, 3, 10);
  /* A period running past now (this month so far), and one cut mid-day. */
  check_demo (fx, NULL, november, future, 7, 30);
  check_demo (fx, "grid-01", odd_from, odd_to, 7, 30);

  /* The demo has something to count in every figure: a test over zeros proves little. */
  sm_dashboard_options_init (&options);
  options.from = summer;
  options.to = november;
  options.now = november;
  whole = sm_dashboard_compute (fx->store, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (whole->new_households, >, 0);
  g_assert_cmpuint (whole->new_knocked, >, 0);
  g_assert_cmpuint (whole->new_knocked, <, whole->new_households);
  g_assert_cmpuint (whole->difficulty_visited, >, 0);
  g_assert_cmpuint (whole->difficulty_visited, <, whole->difficulty_households);
  g_assert_cmpuint (whole->drop_ins, >, 0);
  g_assert_cmpuint (whole->workers->len, >, 1);
  g_assert_cmpuint (whole->categories->len, >, 1);
  g_assert_cmpuint (whole->responded, >, whole->within_target);
  g_assert_cmpuint (whole->within_target, >, 0);
  g_assert_cmpuint (whole->resolved, >, 0);
  g_assert_cmpuint (whole->resolved, <, whole->demands);
  /* The demo evaluates again after an unsatisfied verdict, so its latest verdicts are
   * satisfied or basic; the replica made by hand has an unsatisfied one. */
  g_assert_cmpuint (whole->satisfied, >, 0);
  g_assert_cmpuint (whole->basic, >, 0);
  g_assert_cmpuint (whole->overdue, >, 0);
  for (guint l = 0; l < SM_DASHBOARD_LEVEL_UNSET; l++)
    g_assert_cmpuint (whole->by_level[l], >, 0);
  g_assert_cmpfloat (whole->median_response_minutes, <=, whole->p90_response_minutes);
}

/* ---------------------------------------------------------------- a replica made by hand */

static char *
create (SmStore    *store,
        const char *table,
        const char *grid_id,
        ...)
{
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                        (GDestroyNotify) g_variant_unref);
  g_autoptr(GError) error = NULL;
  const char *field;
  char *id;
  va_list args;

  va_start (args, grid_id);
  while ((field = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);

      /* "" stands for a field left out, so calls can choose fields inline. */
      if (*field == '\0')
        continue;
      if (g_str_has_prefix (field, "tag_"))
        g_hash_table_insert (values, (gpointer) field, g_variant_ref_sink (g_variant_new_boolean (TRUE)));
      else
        g_hash_table_insert (values, (gpointer) field, g_variant_ref_sink (g_variant_new_string (value)));
    }
  va_end (args);

  id = sm_store_create (store, table, grid_id, values, &error);
  g_assert_no_error (error);
  return id;
}

static char *
household (SmStore    *store,
           const char *grid_id,
           const char *address,
           const char *tenure,
           const char *moved_in,
           const char *tag)
{
  return create (store, "household", grid_id, "address", address, "tenure", tenure,
                 moved_in ? "moved_in" : "", moved_in, tag ? tag : "", "1", NULL);
}

static void
visit (SmStore    *store,
       const char *grid_id,
       const char *household_id,
       const char *kind,
       const char *at,
       const char *worker,
       const char *outcome)
{
  G_GNUC_UNUSED g_autofree char *id = create (store, "visit", grid_id, "household_id", household_id,
                                "kind", kind, "visited_at", at, "worker_id", worker,
                                "outcome", outcome, NULL);
}

static char *
demand (SmStore    *store,
        const char *grid_id,
        const char *category,
        const char *level,
        const char *reported_at,
        const char *due_at)
{
  char *id = create (store, "demand", grid_id, "source", "phone", "category", category,
                     "title", category, "reported_at", reported_at,
                     "due_at", due_at, level ? "level" : "", level, NULL);

  g_free (create (store, "demand_event", grid_id, "demand_id", id, "at", reported_at,
                  "actor", "w1", "action", "report", NULL));
  return id;
}

static void
event (SmStore    *store,
       const char *grid_id,
       const char *demand_id,
       const char *action,
       const char *at,
       const char *satisfaction)
{
  g_free (create (store, "demand_event", grid_id, "demand_id", demand_id, "at", at,
                  "actor", "w1", "action", action,
                  satisfaction ? "satisfaction" : "", satisfaction, NULL));
}

static void
hand_set_up (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  SmStore *s;
  char *h1, *h2, *h3, *h4, *h5, *h6, *h7, *h8, *h9, *h10;
  char *d1, *d2, *d3, *d4, *d5, *d6, *d7, *d8;

  fixture_open (fx);
  s = fx->store;

  /* New residents of October in g1 (the period is October, China time). */
  h1 = household (s, "g1", "1-101", "new", "2026-10-10", NULL);
  visit (s, "g1", h1, "knock", "2026-10-17T20:00:00+08:00", "w1", "met");      /* day 7: in time */
  h2 = household (s, "g1", "1-102", "new", "2026-10-10", NULL);
  visit (s, "g1", h2, "knock", "2026-10-18T08:00:00+08:00", "w1", "met");      /* day 8: late */
  h3 = household (s, "g1", "1-103", "new", "2026-10-31", NULL);                /* window open */
  h4 = household (s, "g1", "1-104", "new", "2026-09-30", NULL);                /* before */
  visit (s, "g1", h4, "knock", "2026-09-30T10:00:00+08:00", "w1", "met");
  h5 = household (s, "g1", "1-105", "new", "2026-10-01", NULL);
  visit (s, "g1", h5, "knock", "2026-10-02T10:00:00+08:00", "w1", "not_home"); /* nobody met */

  /* Existing residents, two in difficulty. */
  h6 = household (s, "g1", "2-201", "existing", NULL, "tag_low_income");
  visit (s, "g1", h6, "care", "2026-10-05T10:00:00+08:00", "w1", "met");
  visit (s, "g1", h6, "drop_in", "2026-10-06T10:00:00+08:00", "w2", "met");
  visit (s, "g1", h6, "drop_in", "2026-10-07T10:00:00+08:00", "w2", "not_home");
  h7 = household (s, "g1", "2-202", "existing", NULL, "tag_elderly_alone");
  visit (s, "g1", h7, "care", "2026-09-20T10:00:00+08:00", "w2", "met");       /* too long ago */
  h8 = household (s, "g1", "2-203", "existing", NULL, NULL);
  visit (s, "g1", h8, "drop_in", "2026-10-15T10:00:00+08:00", "w2", "met");
  visit (s, "g1", h8, "drop_in", "2026-10-31T23:30:00+08:00", "w1", "met");    /* last half hour */
  visit (s, "g1", h8, "drop_in", "2026-11-01T00:30:00+08:00", "w2", "met");    /* after */
  h9 = household (s, "g2", "9-901", "existing", NULL, NULL);
  visit (s, "g2", h9, "drop_in", "2026-10-08T10:00:00+08:00", "w3", "met");
  h10 = household (s, "g1", "2-204", "existing", NULL, "tag_disabled");
  visit (s, "g1", h10, "care", "2026-10-09T10:00:00+08:00", "w2", "met");
  g_assert_true (sm_store_delete (s, "household", h10, &error));
  g_assert_no_error (error);

  /* Demands. */
  d1 = demand (s, "g1", "环境卫生", "building", "2026-10-03T09:00:00+08:00", "2026-10-06T09:00:00+08:00");
  event (s, "g1", d1, "accept", "2026-10-03T09:03:00+08:00", NULL);            /* 180 s */
  event (s, "g1", d1, "handle", "2026-10-03T11:00:00+08:00", NULL);
  event (s, "g1", d1, "resolve", "2026-10-04T11:00:00+08:00", NULL);
  event (s, "g1", d1, "evaluate", "2026-10-05T11:00:00+08:00", "satisfied");

  d2 = demand (s, "g1", "环境卫生", "area", "2026-10-04T10:00:00+08:00", "2026-11-10T10:00:00+08:00");
  event (s, "g1", d2, "accept", "2026-10-04T10:10:00+08:00", NULL);            /* 600 s */
  event (s, "g1", d2, "resolve", "2026-10-06T10:00:00+08:00", NULL);
  event (s, "g1", d2, "evaluate", "2026-10-07T10:00:00+08:00", "unsatisfied"); /* reopened */

  d3 = demand (s, "g1", "设施维修", "escalated", "2026-10-05T10:00:00+08:00", "2026-10-25T10:00:00+08:00");
  event (s, "g1", d3, "accept", "2026-10-05T10:05:00+08:00", NULL);            /* 300 s: on target */
  event (s, "g1", d3, "escalate", "2026-10-06T10:00:00+08:00", NULL);
  event (s, "g1", d3, "resolve", "2026-10-20T10:00:00+08:00", NULL);

  d4 = demand (s, "g1", "邻里纠纷", "community", "2026-10-20T10:00:00+08:00", "2026-10-25T10:00:00+08:00");
  /* never responded to, overdue */

  d5 = demand (s, "g1", "其他", "building", "2026-09-25T10:00:00+08:00", "2026-09-28T10:00:00+08:00");
  event (s, "g1", d5, "accept", "2026-09-25T10:01:00+08:00", NULL);
  event (s, "g1", d5, "supervise", "2026-09-29T10:00:00+08:00", NULL);         /* overdue, 督办 */

  d6 = demand (s, "g1", "设施维修", NULL, "2026-10-10T10:00:00+08:00", "2026-10-13T10:00:00+08:00");
  event (s, "g1", d6, "handle", "2026-10-10T10:01:00+08:00", NULL);            /* 60 s */
  event (s, "g1", d6, "resolve", "2026-10-11T10:00:00+08:00", NULL);
  event (s, "g1", d6, "evaluate", "2026-10-12T10:00:00+08:00", "basic");

  d7 = demand (s, "g1", "其他", "building", "2026-10-11T10:00:00+08:00", "2026-10-12T10:00:00+08:00");
  g_assert_true (sm_store_delete (s, "demand", d7, &error));
  g_assert_no_error (error);

  d8 = demand (s, "g2", "其他", "area", "2026-10-12T10:00:00+08:00", "2026-10-30T10:00:00+08:00");
  event (s, "g2", d8, "handle", "2026-10-12T10:20:00+08:00", NULL);            /* 1200 s */

  g_free (h1); g_free (h2); g_free (h3); g_free (h4); g_free (h5);
  g_free (h6); g_free (h7); g_free (h8); g_free (h9); g_free (h10);
  g_free (d1); g_free (d2); g_free (d3); g_free (d4); g_free (d5);
  g_free (d6); g_free (d7); g_free (d8);
}

/* The figures of @grid_id (NULL: the community) from @from to @to, on 2026-11-05. */
static SmDashboard *
compute (Fixture    *fx,
         const char *grid_id,
         GDateTime  *from,
         GDateTime  *to)
{
  g_autoptr(GDateTime) now = local_time (2026, 11, 5, 12, 0);
  SmDashboardOptions options;

  sm_dashboard_options_init (&options);
  options.grid_id = grid_id;
  options.from = from;
  options.to = to;
  options.now = now;

  return compute_with (fx, &options);
}

/* The figures of October 2026, the month of the hand-made data. */
static SmDashboard *
compute_october (Fixture    *fx,
                 const char *grid_id)
{
  g_autoptr(GDateTime) from = local_time (2026, 10, 1, 0, 0);
  g_autoptr(GDateTime) to = local_time (2026, 11, 1, 0, 0);

  return compute (fx, grid_id, from, to);
}

static void
assert_count (GPtrArray  *counts,
              guint       index,
              const char *key,
              guint       count)
{
  SmDashboardCount *c = g_ptr_array_index (counts, index);

  g_assert_cmpstr (c->key, ==, key);
  g_assert_cmpuint (c->count, ==, count);
}

static void
test_hand_grid (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(SmDashboard) d = compute_october (fx, "g1");
  SmDashboardCount *w;

  /* h1 knocked on day 7, h2 on day 8, h5 not met, h3 still has time, h4 before. */
  g_assert_cmpuint (d->new_households, ==, 4);
  g_assert_cmpuint (d->new_knocked, ==, 1);
  g_assert_cmpuint (d->new_pending, ==, 1);
  assert_same_double (sm_dashboard_knock_rate (d), 1.0 / 3);

  /* h6 visited on 10-05 (window from 10-02 00:00 China time); h7 too long ago; h10 deleted. */
  g_assert_cmpuint (d->difficulty_households, ==, 2);
  g_assert_cmpuint (d->difficulty_visited, ==, 1);
  assert_same_double (sm_dashboard_care_rate (d), 0.5);

  /* h6 once (not the closed door), h8 twice (not the one after midnight). */
  g_assert_cmpuint (d->existing_households, ==, 3);
  g_assert_cmpuint (d->drop_ins, ==, 3);
  g_assert_cmpuint (d->existing_dropped_in, ==, 2);
  assert_same_double (sm_dashboard_drop_ins_per_household (d), 1.0);

  /* Visits are work done: the care visit to h10 counts though h10 was deleted since. */
  g_assert_cmpuint (d->visits, ==, 9);
  g_assert_cmpuint (d->visits_by_kind[SM_DASHBOARD_KNOCK], ==, 3);
  g_assert_cmpuint (d->visits_by_kind[SM_DASHBOARD_DROP_IN], ==, 4);
  g_assert_cmpuint (d->visits_by_kind[SM_DASHBOARD_CARE], ==, 2);
  g_assert_cmpuint (d->workers->len, ==, 2);
  w = g_ptr_array_index (d->workers, 0);
  g_assert_cmpstr (w->key, ==, "w1");
  g_assert_cmpuint (w->count, ==, 5);
  g_assert_cmpuint (w->by_kind[SM_DASHBOARD_KNOCK], ==, 3);
  g_assert_cmpuint (w->by_kind[SM_DASHBOARD_DROP_IN], ==, 1);
  g_assert_cmpuint (w->by_kind[SM_DASHBOARD_CARE], ==, 1);
  assert_count (d->workers, 1, "w2", 4);

  g_assert_cmpuint (d->demands, ==, 5);
  g_assert_cmpuint (d->categories->len, ==, 3);
  assert_count (d->categories, 0, "环境卫生", 2);
  assert_count (d->categories, 1, "设施维修", 2);
  assert_count (d->categories, 2, "邻里纠纷", 1);
  g_assert_cmpuint (d->by_status[SM_DASHBOARD_REPORTED], ==, 1);
  g_assert_cmpuint (d->by_status[SM_DASHBOARD_ACCEPTED], ==, 0);
  g_assert_cmpuint (d->by_status[SM_DASHBOARD_HANDLING], ==, 1);
  g_assert_cmpuint (d->by_status[SM_DASHBOARD_SUPERVISING], ==, 0);
  g_assert_cmpuint (d->by_status[SM_DASHBOARD_RESOLVED], ==, 1);
  g_assert_cmpuint (d->by_status[SM_DASHBOARD_EVALUATED], ==, 2);

  /* 60, 180, 300, 600 s; d4 never answered. */
  g_assert_cmpuint (d->responded, ==, 4);
  g_assert_cmpuint (d->within_target, ==, 3);
  assert_same_double (sm_dashboard_target_rate (d), 3.0 / 5);
  assert_same_double (d->median_response_minutes, 3.0);
  assert_same_double (d->p90_response_minutes, 10.0);

  g_assert_cmpuint (d->resolved, ==, 3);
  assert_same_double (sm_dashboard_resolution_rate (d), 3.0 / 5);
  g_assert_cmpuint (d->by_level[SM_DASHBOARD_LEVEL_BUILDING], ==, 1);
  g_assert_cmpuint (d->by_level[SM_DASHBOARD_LEVEL_AREA], ==, 0);
  g_assert_cmpuint (d->by_level[SM_DASHBOARD_LEVEL_COMMUNITY], ==, 0);
  g_assert_cmpuint (d->by_level[SM_DASHBOARD_LEVEL_ESCALATED], ==, 1);
  g_assert_cmpuint (d->by_level[SM_DASHBOARD_LEVEL_UNSET], ==, 1);
  assert_same_double (sm_dashboard_level_share (d, SM_DASHBOARD_LEVEL_BUILDING), 0.5);
  assert_same_double (sm_dashboard_level_share (d, SM_DASHBOARD_LEVEL_AREA), 0.0);
  assert_same_double (sm_dashboard_level_share (d, SM_DASHBOARD_LEVEL_ESCALATED), 0.5);

  g_assert_cmpuint (d->evaluated, ==, 3);
  g_assert_cmpuint (d->satisfied, ==, 1);
  g_assert_cmpuint (d->basic, ==, 1);
  g_assert_cmpuint (d->unsatisfied, ==, 1);
  assert_same_double (sm_dashboard_satisfaction_rate (d), 2.0 / 3);

  /* d4 (October) and d5 (September, under 督办); not the resolved d1 nor the deleted d7. */
  g_assert_cmpuint (d->overdue, ==, 2);
  g_assert_cmpuint (d->overdue_supervising, ==, 1);
}

static void
test_hand_community (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(SmDashboard) d = compute_october (fx, NULL);

  /* g2 adds h9's drop-in by w3 and d8 (1200 s, handling, overdue since 10-30). */
  g_assert_cmpuint (d->existing_households, ==, 4);
  g_assert_cmpuint (d->drop_ins, ==, 4);
  g_assert_cmpuint (d->visits, ==, 10);
  g_assert_cmpuint (d->workers->len, ==, 3);
  assert_count (d->workers, 2, "w3", 1);
  g_assert_cmpuint (d->demands, ==, 6);
  g_assert_cmpuint (d->responded, ==, 5);
  g_assert_cmpuint (d->within_target, ==, 3);
  assert_same_double (d->median_response_minutes, 5.0);   /* rank 3 of 60 180 300 600 1200 */
  assert_same_double (d->p90_response_minutes, 20.0);     /* rank 5 */
  g_assert_cmpuint (d->overdue, ==, 3);
  g_assert_cmpuint (d->categories->len, ==, 4);
  assert_count (d->categories, 2, "其他", 1);
  assert_count (d->categories, 3, "邻里纠纷", 1);
}

static void
test_hand_empty (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(GDateTime) from = local_time (2026, 1, 1, 0, 0);
  g_autoptr(GDateTime) to = local_time (2026, 2, 1, 0, 0);
  g_autoptr(GDateTime) october = local_time (2026, 10, 1, 0, 0);
  g_autoptr(GDateTime) november = local_time (2026, 11, 1, 0, 0);
  g_autoptr(SmDashboard) d = compute (fx, "g1", from, to);
  g_autoptr(SmDashboard) nothing = NULL;
  g_autoptr(SmDashboard) instant = NULL;

  /* A period with nothing in it: counts are zero and rates have no value... */
  g_assert_cmpuint (d->new_households, ==, 0);
  g_assert_cmpuint (d->visits, ==, 0);
  g_assert_cmpuint (d->workers->len, ==, 0);
  g_assert_cmpuint (d->demands, ==, 0);
  g_assert_cmpuint (d->categories->len, ==, 0);
  g_assert_true (isnan (sm_dashboard_knock_rate (d)));
  g_assert_true (isnan (sm_dashboard_target_rate (d)));
  g_assert_true (isnan (sm_dashboard_resolution_rate (d)));
  g_assert_true (isnan (sm_dashboard_satisfaction_rate (d)));
  g_assert_true (isnan (sm_dashboard_level_share (d, SM_DASHBOARD_LEVEL_BUILDING)));
  g_assert_true (isnan (d->median_response_minutes));
  g_assert_true (isnan (d->p90_response_minutes));
  /* ...but the households in difficulty and the overdue demands are there all the same. */
  g_assert_cmpuint (d->difficulty_households, ==, 2);
  g_assert_cmpuint (d->difficulty_visited, ==, 0);
  assert_same_double (sm_dashboard_care_rate (d), 0.0);
  g_assert_cmpuint (d->existing_households, ==, 3);
  assert_same_double (sm_dashboard_drop_ins_per_household (d), 0.0);
  g_assert_cmpuint (d->overdue, ==, 2);

  /* A grid without a single record. */
  nothing = compute (fx, "g3", october, november);
  g_assert_cmpuint (nothing->existing_households, ==, 0);
  g_assert_cmpuint (nothing->overdue, ==, 0);
  g_assert_true (isnan (sm_dashboard_care_rate (nothing)));
  g_assert_true (isnan (sm_dashboard_drop_ins_per_household (nothing)));

  /* An empty period, from == to. */
  instant = compute (fx, "g1", october, october);
  g_assert_cmpuint (instant->visits, ==, 0);
  g_assert_cmpuint (instant->demands, ==, 0);
}

/* Other windows and another response target, as the office may set them. */
static void
test_hand_settings (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(GDateTime) from = local_time (2026, 10, 1, 0, 0);
  g_autoptr(GDateTime) to = local_time (2026, 11, 1, 0, 0);
  g_autoptr(GDateTime) now = local_time (2026, 11, 5, 12, 0);
  g_autoptr(SmDashboard) d = NULL;
  SmDashboardOptions options;

  sm_dashboard_options_init (&options);
  g_assert_cmpuint (options.knock_days, ==, 7);
  g_assert_cmpuint (options.care_days, ==, 30);
  g_assert_cmpuint (options.response_target_seconds, ==, 300);

  options.grid_id = "g1";
  options.from = from;
  options.to = to;
  options.now = now;
  options.knock_days = 8;                 /* h2, knocked on day 8, is in time now */
  options.care_days = 45;                 /* from 09-16: h7's care visit of 09-20 counts */
  options.response_target_seconds = 600;  /* d2's 600 s is on target */

  d = compute_with (fx, &options);

  g_assert_cmpuint (d->new_households, ==, 4);
  g_assert_cmpuint (d->new_knocked, ==, 2);
  g_assert_cmpuint (d->new_pending, ==, 1);
  g_assert_cmpuint (d->difficulty_visited, ==, 2);
  g_assert_cmpuint (d->within_target, ==, 4);
  assert_same_double (sm_dashboard_target_rate (d), 4.0 / 5);
}

/* Inside a caller's transaction the figures see its uncommitted writes and leave it open. */
static void
test_hand_in_transaction (Fixture       *fx,
                          gconstpointer  data)
{
  g_autoptr(GDateTime) from = local_time (2026, 10, 1, 0, 0);
  g_autoptr(GDateTime) to = local_time (2026, 11, 1, 0, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(SmDashboard) d = NULL;
  g_autofree char *extra = NULL;
  SmDashboardOptions options;

  g_assert_true (sm_store_begin (fx->store, &error));
  extra = demand (fx->store, "g1", "其他", NULL, "2026-10-15T10:00:00+08:00", "2026-12-01T10:00:00+08:00");
  sm_dashboard_options_init (&options);
  options.grid_id = "g1";
  options.from = from;
  options.to = to;
  d = sm_dashboard_compute (fx->store, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (d->demands, ==, 6);
  g_assert_false (sqlite3_get_autocommit (sm_store_get_connection (fx->store)));
  sm_store_rollback (fx->store);

  g_clear_pointer (&d, sm_dashboard_free);
  d = compute_october (fx, "g1");
  g_assert_cmpuint (d->demands, ==, 5);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/core/dashboard/demo", Fixture, NULL, demo_set_up, test_demo_figures, fixture_tear_down);
  g_test_add ("/core/dashboard/hand/grid", Fixture, NULL, hand_set_up, test_hand_grid, fixture_tear_down);
  g_test_add ("/core/dashboard/hand/community", Fixture, NULL, hand_set_up, test_hand_community, fixture_tear_down);
  g_test_add ("/core/dashboard/hand/empty", Fixture, NULL, hand_set_up, test_hand_empty, fixture_tear_down);
  g_test_add ("/core/dashboard/hand/settings", Fixture, NULL, hand_set_up, test_hand_settings, fixture_tear_down);
  g_test_add ("/core/dashboard/hand/in-transaction", Fixture, NULL, hand_set_up, test_hand_in_transaction, fixture_tear_down);

  return g_test_run ();
}
