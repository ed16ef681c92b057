/* sm-test-replica.c — a demo replica in a temporary folder, for the desktop tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sm-test-replica.h"

#include "sm-test-util.h"

/* The grid the tests look at, of the demo's grids. */
#define GRID_INDEX 1

/**
 * sm_test_replica_new:
 * @name: a word for the temporary folder's name ("today" makes `sanmen-today-XXXXXX`)
 * @n_households: how many households the demo community has, or 0 for an empty
 *   replica that the test fills itself
 * @n_grids: in how many grids
 * @now_unix: when its history ends, or 0 for the demo's fixed day (the same data on
 *   every run)
 *
 * Makes a replica of the demo community in a temporary folder.
 *
 * Returns: (transfer full): the replica; sm_test_replica_free() it
 */
SmTestReplica *
sm_test_replica_new (const char *name,
                     guint       n_households,
                     guint       n_grids,
                     gint64      now_unix)
{
  SmTestReplica *replica;
  g_autoptr(GError) error = NULL;
  g_autofree char *template = NULL;
  g_autofree char *path = NULL;
  SmDemoOptions options;

  g_return_val_if_fail (name != NULL, NULL);

  replica = g_new0 (SmTestReplica, 1);
  template = g_strdup_printf ("sanmen-%s-XXXXXX", name);
  replica->dir = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);
  path = g_build_filename (replica->dir, "replica.db", NULL);
  replica->store = sm_store_open (path, &error);
  g_assert_no_error (error);

  sm_demo_options_init (&options);
  options.n_households = n_households;
  options.n_grids = n_grids;
  if (now_unix != 0)
    options.now_unix = now_unix;
  replica->now_unix = options.now_unix;
  if (n_households > 0)
    {
      sm_demo_populate_store (replica->store, &options, &error);
      g_assert_no_error (error);
    }

  replica->grid_id = sm_demo_grid_id (GRID_INDEX);

  return replica;
}

/**
 * sm_test_replica_free:
 * @replica: (transfer full): a replica
 *
 * Closes @replica's store and removes its folder.
 */
void
sm_test_replica_free (SmTestReplica *replica)
{
  if (replica == NULL)
    return;

  g_clear_object (&replica->store);
  if (replica->dir != NULL)
    sm_test_remove_tree (replica->dir);
  g_free (replica->dir);
  g_free (replica->grid_id);
  g_free (replica);
}
