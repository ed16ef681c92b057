/* test-crash.c — SIGKILL in the middle of large local batches loses nothing committed
 *
 * A child process (this program re-executed with --crash-child) writes batches of
 * households, each batch in one transaction, into a real SQLite file until the parent
 * kills it with SIGKILL at a random moment. After every kill the parent reopens the file
 * and checks: PRAGMA integrity_check is ok, each batch is whole or absent, and the outbox
 * holds exactly the writes of the batches that are present, and every batch the child
 * reported as committed before it died is there. Then the child is started again on the
 * same file, so later batches build on a file that survived earlier kills.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sqlite3.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "sanmen-core.h"
#include "sm-test-util.h"

#define BATCH_SIZE 400
#define FIELDS_PER_HOUSEHOLD 5  /* address, tenure, notes, room, grid_id */
#define N_KILLS 8

static int
run_child (const char *path,
           guint       first_batch)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SmStore) store = sm_store_open (path, &error);

  if (store == NULL)
    {
      g_printerr ("child: %s\n", error->message);
      return 1;
    }

  /* Tell the parent we are about to write, then write until killed. */
  g_print ("ready\n");
  fflush (stdout);

  for (guint batch = first_batch; ; batch++)
    {
      g_autofree char *marker = g_strdup_printf ("batch-%u", batch);

      if (!sm_store_begin (store, &error))
        break;
      /* So the parent can tell a kill inside a batch from one between two. */
      g_print ("begin %u\n", batch);
      fflush (stdout);
      for (guint i = 0; i < BATCH_SIZE; i++)
        {
          g_autofree char *id = sm_store_create_with (store, "household", "grid-01", &error,
                                                      "address", g_variant_new_printf ("%u栋%u", batch, i),
                                                      "tenure", g_variant_new_string ("new"),
                                                      "notes", g_variant_new_string (marker),
                                                      "room", g_variant_new_printf ("%u", i),
                                                      NULL);
          if (id == NULL)
            {
              g_printerr ("child: %s\n", error->message);
              return 1;
            }
        }
      if (!sm_store_commit (store, &error))
        break;
      /* Unbuffered: a report the parent reads is a commit that happened. */
      g_print ("committed %u\n", batch);
      fflush (stdout);
    }

  g_printerr ("child: %s\n", error ? error->message : "stopped");
  return 1;
}

/* Raw SQL on purpose: the check must not trust the code under test. */
static void
verify (const char *path,
        gint64      last_reported,
        guint      *out_next_batch)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;
  gint64 households = 0, outbox = 0;
  guint max_batch = 0;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT notes, count(*) FROM household GROUP BY notes", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *notes = (const char *) sqlite3_column_text (stmt, 0);
      gint64 n = sqlite3_column_int64 (stmt, 1);
      guint batch;

      g_assert_true (g_str_has_prefix (notes, "batch-"));
      batch = (guint) g_ascii_strtoull (notes + 6, NULL, 10);
      max_batch = MAX (max_batch, batch);
      /* whole or absent */
      g_assert_cmpint (n, ==, BATCH_SIZE);
      households += n;
    }
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM outbox", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  outbox = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  g_assert_cmpint (outbox, ==, households * FIELDS_PER_HOUSEHOLD);

  /* The search index follows the records: FTS5 checks its index against the documents
   * the records hold, and there is one document per household. */
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO household_search (household_search) VALUES ('integrity-check')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM household WHERE _search IS NOT NULL", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, households);
  sqlite3_finalize (stmt);

  sqlite3_close (db);

  /* Durable: what was reported committed survived the kill. */
  if (last_reported >= 0)
    g_assert_cmpint (households > 0 ? (gint64) max_batch : -1, >=, last_reported);

  g_test_message ("after kill: %" G_GINT64_FORMAT " households in whole batches", households);
  *out_next_batch = households > 0 ? max_batch + 1 : 0;
}

static void
test_kill_during_batches (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sanmen-crash-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "replica.db", NULL);
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", &error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  guint next_batch = 0;
  guint killed_mid_write = 0;

  g_assert_no_error (error);

  for (guint k = 0; k < N_KILLS; k++)
    {
      g_autofree char *first = g_strdup_printf ("%u", next_batch);
      const char *argv[] = { self_exe, "--crash-child", path, first, NULL };
      GPid pid;
      int out_fd;
      FILE *out;
      char line[64];
      gint64 last_reported = -1;
      int status;

      g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                               NULL, NULL, &pid, NULL, &out_fd, NULL, &error));
      g_assert_no_error (error);
      out = fdopen (out_fd, "r");
      g_assert_nonnull (out);

      /* Wait until it has opened the file and committed one batch, so every round makes
       * progress however slow the build (sanitizers), then let it write for a random
       * while: the kill mostly lands inside a batch. */
      g_assert_nonnull (fgets (line, sizeof line, out));
      g_assert_cmpstr (line, ==, "ready\n");
      do
        g_assert_nonnull (fgets (line, sizeof line, out));
      while (!g_str_has_prefix (line, "committed "));
      g_usleep ((gulong) g_rand_int_range (rand, 0, 400) * 1000);

      g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_spawn_close_pid (pid);
      g_assert_true (WIFSIGNALED (status));

      /* Every report written before the kill is still in the pipe; a last "begin" with
       * no "committed" after it is a kill inside a batch. */
      last_reported = (gint64) g_ascii_strtoull (line + strlen ("committed "), NULL, 10);
      {
        gboolean in_batch = FALSE;

        while (fgets (line, sizeof line, out) != NULL)
          {
            if (g_str_has_prefix (line, "committed "))
              {
                last_reported = (gint64) g_ascii_strtoull (line + strlen ("committed "), NULL, 10);
                in_batch = FALSE;
              }
            else if (g_str_has_prefix (line, "begin "))
              in_batch = TRUE;
          }
        if (in_batch)
          killed_mid_write++;
      }
      fclose (out);

      verify (path, last_reported, &next_batch);
    }

  /* The file still opens through the store and accepts writes after all that. */
  {
    g_autoptr(SmStore) store = sm_store_open (path, &error);
    g_autofree char *id = NULL;

    g_assert_no_error (error);
    g_assert_true (sm_store_check_integrity (store, &error));
    id = sm_store_create_with (store, "household", "grid-01", &error,
                               "address", g_variant_new_string ("最后"),
                               "tenure", g_variant_new_string ("existing"), NULL);
    g_assert_no_error (error);
    g_assert_nonnull (id);
  }

  /* Most kills land inside a batch (a batch takes far longer than the gap between two);
   * at least one must, or the test proved nothing about a write cut short. */
  g_test_message ("%u of %u kills inside a batch", killed_mid_write, N_KILLS);
  g_assert_cmpuint (killed_mid_write, >, 0);
  g_assert_cmpuint (next_batch, >, 0);

  sm_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "--crash-child"))
    return run_child (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10));

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/crash/kill-during-batches", test_kill_during_batches);

  return g_test_run ();
}
