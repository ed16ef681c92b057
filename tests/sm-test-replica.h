/* sm-test-replica.h — a demo replica in a temporary folder, for the desktop tests
 *
 * A real SQLite replica filled by sm_demo_populate_store(), which the window under test
 * opens; removed with its folder when the test is done with it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sanmen-core.h"

G_BEGIN_DECLS

typedef struct {
  /* The temporary folder, and the store open on `dir/replica.db`. */
  char    *dir;
  SmStore *store;
  /* The demo grid the tests look at: sm_demo_grid_id (1). */
  char    *grid_id;
  /* When the demo history ends (Unix seconds). */
  gint64   now_unix;
} SmTestReplica;

SmTestReplica *sm_test_replica_new  (const char    *name,
                                     guint          n_households,
                                     guint          n_grids,
                                     gint64         now_unix);
void           sm_test_replica_free (SmTestReplica *replica);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmTestReplica, sm_test_replica_free)

G_END_DECLS
