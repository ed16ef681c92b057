/* bench-merge.c — merge throughput against raw SQLite, local edits, search latency
 *
 * Run on demand, not as a test:
 *   ninja -C _build tests/bench/bench-merge && ./_build/tests/bench/bench-merge [households]
 *
 * 1. Baseline: the same N rows × 10 fields inserted into a plain table with one prepared
 *    statement in one transaction (same pragmas as the replica).
 * 2. Merge: N × 10 remote field changes applied through sm_store_apply() into a fresh
 *    replica, in chunks of 10,000 changes as a pull applies them.
 *    Target: merge time ≤ 3 × baseline time.
 * 3. Local edits: single-field edits, each its own transaction with clocks and outbox.
 * 4. Search: p50 and p99 latency of 2- and 3-letter pinyin-initial queries over the demo
 *    community at N households. Target: p99 < 10 ms.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <time.h>

#include "sanmen-core.h"
#include "sm-test-util.h"

#define FIELDS 10
#define CHUNK 10000

static const char *fields[FIELDS] = {
  "grid_id", "building_id", "unit", "room", "address", "tenure", "moved_in", "phone", "notes",
  "tag_low_income",
};

static double
now_s (void)
{
  return (double) g_get_monotonic_time () / G_USEC_PER_SEC;
}

/* CPU time of this thread (user and system, which includes writing to the page cache):
 * steadier than wall-clock time on a shared machine, so printed beside it. */
static double
cpu_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double baseline_cpu, merge_cpu;

static GVariant *
value_for (guint       field,
           guint       row)
{
  switch (field)
    {
    case 0: return g_variant_new_printf ("grid-%02u", row % 8 + 1);
    case 1: return g_variant_new_printf ("building-%05u", row / 60);
    case 2: return g_variant_new_printf ("%u单元", row % 4 + 1);
    case 3: return g_variant_new_printf ("%u", 101 + row % 30);
    case 4: return g_variant_new_printf ("幸福社区阳光花园%u栋%u单元%u室", row / 60, row % 4 + 1, 101 + row % 30);
    case 5: return g_variant_new_string (row % 5 ? "existing" : "new");
    case 6: return g_variant_new_printf ("20%02u-%02u-%02u", 10 + row % 16, row % 12 + 1, row % 28 + 1);
    case 7: return g_variant_new_printf ("139%08u", row);
    case 8: return g_variant_new_printf ("备注 %u", row);
    default: return g_variant_new_boolean (row % 10 == 0);
    }
}

static double
run_baseline (const char *dir,
              guint       n)
{
  g_autofree char *path = g_build_filename (dir, "baseline.db", NULL);
  g_autoptr(GString) create = g_string_new ("CREATE TABLE plain (id TEXT PRIMARY KEY");
  g_autoptr(GString) insert = g_string_new ("INSERT INTO plain VALUES (?1");
  sqlite3 *db;
  sqlite3_stmt *stmt;
  double start;

  for (guint f = 0; f < FIELDS; f++)
    {
      g_string_append_printf (create, ", f%u", f);
      g_string_append_printf (insert, ", ?%u", f + 2);
    }
  g_string_append (create, ")");
  g_string_append (insert, ")");

  g_assert (sqlite3_open (path, &db) == SQLITE_OK);
  sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
  sqlite3_exec (db, create->str, NULL, NULL, NULL);
  g_assert (sqlite3_prepare_v2 (db, insert->str, -1, &stmt, NULL) == SQLITE_OK);

  start = now_s ();
  baseline_cpu = cpu_s ();
  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  for (guint row = 0; row < n; row++)
    {
      g_autofree char *id = g_strdup_printf ("0190%08x-0000-7000-8000-%012x", row, row);

      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      for (guint f = 0; f < FIELDS; f++)
        {
          g_autoptr(GVariant) v = g_variant_ref_sink (value_for (f, row));

          if (g_variant_is_of_type (v, G_VARIANT_TYPE_BOOLEAN))
            sqlite3_bind_int (stmt, (int) f + 2, g_variant_get_boolean (v));
          else
            sqlite3_bind_text (stmt, (int) f + 2, g_variant_get_string (v, NULL), -1, SQLITE_TRANSIENT);
        }
      sqlite3_step (stmt);
      sqlite3_reset (stmt);
    }
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  start = now_s () - start;
  baseline_cpu = cpu_s () - baseline_cpu;

  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return start;
}

/* The changes are made before the clock starts: the merge is measured, not their making. */
static GPtrArray *
make_changes (guint n)
{
  const SmTable *household = sm_schema_lookup_table ("household");
  const char *site = "0123456789abcdef0123456789abcdef";
  GPtrArray *changes = g_ptr_array_new_full (n * FIELDS, (GDestroyNotify) sm_change_unref);
  SmHlc hlc = sm_hlc_from_parts (1790000000000, 0);

  for (guint row = 0; row < n; row++)
    {
      g_autofree char *id = g_strdup_printf ("0190%08x-0000-7000-8000-%012x", row, row);
      g_autofree char *grid = g_strdup_printf ("grid-%02u", row % 8 + 1);

      hlc++;
      for (guint f = 0; f < FIELDS; f++)
        g_ptr_array_add (changes, sm_change_new (sm_table_lookup_field (household, fields[f]), id, grid,
                                                 value_for (f, row), hlc, site, 0));
    }

  return changes;
}

static double
run_merge (const char *dir,
           GPtrArray  *changes,
           SmStore   **out_store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "replica.db", NULL);
  SmStore *store = sm_store_open (path, &error);
  double start;

  g_assert_no_error (error);

  start = now_s ();
  merge_cpu = cpu_s ();
  for (guint i = 0; i < changes->len; i += CHUNK)
    {
      g_autoptr(GPtrArray) chunk = g_ptr_array_new ();
      guint end = MIN (i + CHUNK, changes->len);

      for (guint k = i; k < end; k++)
        g_ptr_array_add (chunk, changes->pdata[k]);
      if (!sm_store_apply (store, chunk, "bench", NULL, &error))
        g_error ("apply: %s", error->message);
    }
  start = now_s () - start;
  merge_cpu = cpu_s () - merge_cpu;

  *out_store = store;
  return start;
}

static double
run_local_edits (SmStore *store,
                 guint    n_households,
                 guint    n_edits)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  double start = now_s ();

  for (guint i = 0; i < n_edits; i++)
    {
      guint row = (guint) g_rand_int_range (rand, 0, (gint32) n_households);
      g_autofree char *id = g_strdup_printf ("0190%08x-0000-7000-8000-%012x", row, row);

      if (!sm_store_update_with (store, "household", id, &error,
                                 "notes", g_variant_new_printf ("edit %u", i), NULL))
        g_error ("edit: %s", error->message);
    }

  return now_s () - start;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
run_search (const char *dir,
            guint       n_households)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "demo.db", NULL);
  g_autoptr(SmStore) store = sm_store_open (path, &error);
  SmDemoOptions options;
  const char *two[] = { "zs", "wl", "lj", "cx", "wj", "zm", "lh", "yl", "hw", "zy" };
  const char *three[] = { "zxm", "wjh", "lhy", "cjh", "zyl", "wxl", "lml", "zzh", "hxy", "ljw" };
  /* Addresses and phone fragments, as a worker at a door types them. */
  const char *address[] = { "小区", "幸福", "3栋", "2单元", "501", "花园", "138", "5678", "公寓", "里" };
  const char **sets[] = { two, three, address };
  const char *labels[] = { "2-letter:", "3-letter:", "address/phone:" };
  double start;

  g_assert_no_error (error);

  sm_demo_options_init (&options);
  options.n_households = n_households;
  options.n_grids = MAX (4, n_households / 500);
  start = now_s ();
  if (!sm_demo_populate_store (store, &options, &error))
    g_error ("demo: %s", error->message);
  g_print ("demo community:  %u households, %" G_GINT64_FORMAT " residents generated and merged in %.1f s\n",
           n_households, sm_store_count (store, "resident", NULL), now_s () - start);

  for (guint s = 0; s < G_N_ELEMENTS (sets); s++)
    {
      enum { ROUNDS = 30 };
      double times[10 * ROUNDS];
      guint n = 0, hits = 0;

      for (guint round = 0; round < ROUNDS; round++)
        for (guint q = 0; q < 10; q++)
          {
            g_autoptr(GPtrArray) result = NULL;
            double t = now_s ();

            result = sm_store_search (store, sets[s][q], 50, &error);
            times[n++] = (now_s () - t) * 1000.0;
            g_assert_no_error (error);
            hits += result->len;
          }

      qsort (times, n, sizeof times[0], compare_double);
      g_print ("search %-14s p50 %.2f ms, p99 %.2f ms (%u queries, %.1f hits each)%s\n",
               labels[s], times[n / 2], times[(n * 99) / 100], n, (double) hits / n,
               times[(n * 99) / 100] < 10.0 ? "" : "  <- over the 10 ms target");
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sanmen-bench-XXXXXX", &error);
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 100000;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(SmStore) store = NULL;
  double baseline, merge, edits;
  guint n_edits = 5000;

  g_assert_no_error (error);
  g_print ("bench-merge: %u households x %u fields = %u field changes\n", n, FIELDS, n * FIELDS);

  baseline = run_baseline (dir, n);
  g_print ("raw SQLite:      %.2f s, %.0f rows/s (%.0f fields/s)\n", baseline, n / baseline,
           n * FIELDS / baseline);

  changes = make_changes (n);
  merge = run_merge (dir, changes, &store);
  g_print ("merge (apply):   %.2f s, %.0f changes/s, %.0f records/s\n", merge,
           n * FIELDS / merge, n / merge);
  g_print ("ratio:           %.2f x baseline (target <= 3.00)%s\n", merge / baseline,
           merge / baseline <= 3.0 ? "" : "  <- over target");
  g_print ("ratio (CPU time): %.2f x baseline (%.2f s / %.2f s)\n", merge_cpu / baseline_cpu,
           merge_cpu, baseline_cpu);

  edits = run_local_edits (store, n, n_edits);
  g_print ("local edits:     %.0f edits/s (%u single-field edits, each one transaction)\n",
           n_edits / edits, n_edits);
  g_clear_object (&store);

  /* SANMEN_BENCH_NO_SEARCH=1 skips the demo community, to profile the merge alone. */
  if (g_getenv ("SANMEN_BENCH_NO_SEARCH") == NULL)
    run_search (dir, n);

  sm_test_remove_tree (dir);

  return 0;
}
