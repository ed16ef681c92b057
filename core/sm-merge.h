/* sm-merge.h — the merge rule of DESIGN §3, as pure functions
 *
 * Per field the write with the greater (hlc, site) wins; an equal pair is a duplicate.
 * A conflict is a concurrent write: the winner's writer never saw the loser's value
 * (winner.base < loser.hlc) and the two values differ. The client and the server both
 * call these functions and nothing else decides a winner.
 */
#pragma once

#include <glib.h>

#include "sm-hlc.h"

G_BEGIN_DECLS

/* The clock of one field's current value. site is 32 hex digits; an unwritten field has
 * hlc == SM_HLC_ZERO and an empty site. */
typedef struct {
  SmHlc hlc;
  SmHlc base;
  char  site[SM_SITE_STRING_LEN + 1];
} SmFieldClock;

typedef enum {
  SM_MERGE_KEEP,       /* the current value stays: the incoming write loses */
  SM_MERGE_TAKE,       /* the incoming write wins and replaces the current value */
  SM_MERGE_DUPLICATE,  /* the same write again: nothing changes */
} SmMergeDecision;

int              sm_merge_compare       (SmHlc       hlc_a,
                                         const char *site_a,
                                         SmHlc       hlc_b,
                                         const char *site_b);

/* @current may be NULL or unwritten (hlc zero), in which case any write is taken. */
SmMergeDecision  sm_merge_decide        (const SmFieldClock *current,
                                         SmHlc               hlc,
                                         const char         *site);

/* Whether the writes were concurrent and disagree. @winner and @loser are as decided by
 * sm_merge_decide(); an unwritten loser is never a conflict. Values may be NULL. */
gboolean         sm_merge_is_conflict   (const SmFieldClock *winner,
                                         GVariant           *winner_value,
                                         const SmFieldClock *loser,
                                         GVariant           *loser_value);

G_END_DECLS
