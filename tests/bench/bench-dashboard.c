/* bench-dashboard.c — how long the office's figures (统计) take on a large community
 *
 * Run on demand, not as a test:
 *   ninja -C _build tests/bench/bench-dashboard &&
 *   ./_build/tests/bench/bench-dashboard [households [replica path]]
 *
 * Populates the demo community (default 100,000 households in 40 grids) into a fresh
 * replica, or reuses the replica at the path given when it exists, then times
 * sm_dashboard_compute() for a month and for four months, over the whole community and
 * over one grid, against raw SQLite's full scan of the visit table (the one table every
 * community figure must read) in the same run. Target: under 100 ms for a month of the
 * whole community, so the desktop page may compute on the UI thread's budget; it
 * computes in a worker thread all the same.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <time.h>

#include "sanmen-core.h"
#include "sm-test-util.h"

#define RUNS 7

static double
now_ms (void)
{
  return (double) g_get_monotonic_time () / 1000.0;
}

/* CPU time of this thread: steadier than wall-clock time on a shared machine. */
static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median_of (double *times)
{
  qsort (times, RUNS, sizeof (double), compare_double);
  return times[RUNS / 2];
}

static double
time_dashboard (SmStore    *store,
                const char *grid_id,
                GDateTime  *from,
                GDateTime  *to,
                GDateTime  *now)
{
  double times[RUNS];
  double cpu[RUNS];
  SmDashboardOptions options;

  sm_dashboard_options_init (&options);
  options.grid_id = grid_id;
  options.from = from;
  options.to = to;
  options.now = now;

  for (guint i = 0; i < RUNS; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SmDashboard) dashboard = NULL;
      double start = now_ms ();
      double start_cpu = cpu_ms ();

      dashboard = sm_dashboard_compute (store, &options, &error);
      if (dashboard == NULL)
        g_error ("%s", error->message);
      times[i] = now_ms () - start;
      cpu[i] = cpu_ms () - start_cpu;
      if (i == 0)
        g_print ("  %u visits, %u demands, %u households in difficulty\n",
                 dashboard->visits, dashboard->demands, dashboard->difficulty_households);
    }

  g_print ("  CPU %.1f ms\n", median_of (cpu));
  return median_of (times);
}

static double
time_scan (const char *path)
{
  double times[RUNS];
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  sqlite3_prepare_v2 (db, "SELECT count (*) FROM visit WHERE _deleted IS NOT 1 AND visited_at >= ?1",
                      -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, "2026-10-01", -1, SQLITE_STATIC);
  for (guint i = 0; i < RUNS; i++)
    {
      double start = now_ms ();

      sqlite3_step (stmt);
      sqlite3_reset (stmt);
      times[i] = now_ms () - start;
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return median_of (times);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SmStore) store = NULL;
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("+08:00");
  g_autoptr(GDateTime) july = g_date_time_new (zone, 2026, 7, 1, 0, 0, 0);
  g_autoptr(GDateTime) october = g_date_time_new (zone, 2026, 10, 1, 0, 0, 0);
  g_autoptr(GDateTime) november = g_date_time_new (zone, 2026, 11, 1, 0, 0, 0);
  g_autoptr(GDateTime) now = g_date_time_new (zone, 2026, 11, 1, 9, 0, 0);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  guint households = argc > 1 ? (guint) atoi (argv[1]) : 100000;
  gboolean reuse = FALSE;
  double scan, month_all, month_grid, months_all;

  if (argc > 2)
    {
      path = g_strdup (argv[2]);
      reuse = g_file_test (path, G_FILE_TEST_EXISTS);
    }
  else
    {
      dir = g_dir_make_tmp ("sanmen-bench-dashboard-XXXXXX", &error);
      g_assert_no_error (error);
      path = g_build_filename (dir, "replica.db", NULL);
    }

  store = sm_store_open (path, &error);
  g_assert_no_error (error);

  if (!reuse)
    {
      SmDemoOptions options;
      double start = now_ms ();

      sm_demo_options_init (&options);
      options.n_households = households;
      options.n_grids = MAX (households / 2500, 4);
      if (!sm_demo_populate_store (store, &options, &error))
        g_error ("%s", error->message);
      g_print ("populated %u households in %u grids: %.1f s\n", households, options.n_grids,
               (now_ms () - start) / 1000);
    }

  scan = time_scan (path);
  g_print ("raw SQLite, one pass over the visits: %.1f ms\n", scan);

  g_print ("October, whole community:\n");
  month_all = time_dashboard (store, NULL, october, november, now);
  g_print ("  %.1f ms (%.1f x the raw pass)\n", month_all, month_all / scan);

  g_print ("October, grid-01:\n");
  month_grid = time_dashboard (store, "grid-01", october, november, now);
  g_print ("  %.1f ms\n", month_grid);

  g_print ("July to October, whole community:\n");
  months_all = time_dashboard (store, NULL, july, november, now);
  g_print ("  %.1f ms (%.1f x the raw pass)\n", months_all, months_all / scan);

  g_clear_object (&store);
  if (dir != NULL)
    sm_test_remove_tree (dir);

  return 0;
}
