/* sm-test-store.h — changes written into a replica as a pull would write them
 *
 * The tests that need records only the server makes (grids, conflict records) or writes
 * from other sites apply them through sm_store_apply(), the path a pull takes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sanmen-core.h"

G_BEGIN_DECLS

/* The sites of the two workers and the server in sm_test_receive_conflict(). */
#define SM_TEST_SITE_W1     "11111111111111111111111111111111"
#define SM_TEST_SITE_W2     "22222222222222222222222222222222"
#define SM_TEST_SITE_SERVER "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e"

gint64 sm_test_count          (SmStore    *store,
                              const char *table);
gint64 sm_test_outbox_count   (SmStore    *store);

void  sm_test_add_change       (GPtrArray  *changes,
                                const char *grid_id,
                                const char *table,
                                const char *row_id,
                                const char *field,
                                GVariant   *value,
                                SmHlc       hlc,
                                const char *site,
                                SmHlc       base);
void  sm_test_apply            (SmStore    *store,
                                GPtrArray  *changes);
void  sm_test_apply_grid       (SmStore    *store,
                                const char *grid_id,
                                const char *name);

/* Two workers' concurrent writes of one field and the server's record of them. */
typedef struct {
  const char *table;
  const char *row_id;
  const char *field;
  /* 张三's write (SM_TEST_SITE_W1) and 李四's (SM_TEST_SITE_W2), both made over @base;
   * floating references are sunk. */
  GVariant   *loser;
  GVariant   *winner;
  /* The two values as the server's record spells them (NULL: none). */
  const char *loser_text;
  const char *winner_text;
  SmHlc       base;
  SmHlc       loser_hlc;
  SmHlc       winner_hlc;
  /* When the server recorded it (SM_TEST_SITE_SERVER). */
  SmHlc       server_hlc;
} SmTestConflict;

char *sm_test_receive_conflict (SmStore              *store,
                                const char           *grid_id,
                                const SmTestConflict *conflict);

G_END_DECLS
