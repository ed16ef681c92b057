/* sm-merge.c — the merge rule
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sm-merge.h"

#include <string.h>

#include "sm-schema.h"

int
sm_merge_compare (SmHlc       hlc_a,
                  const char *site_a,
                  SmHlc       hlc_b,
                  const char *site_b)
{
  if (hlc_a != hlc_b)
    return hlc_a < hlc_b ? -1 : 1;

  /* Sites are fixed-width lowercase hex, so byte order is numeric order. */
  return strcmp (site_a ? site_a : "", site_b ? site_b : "");
}

SmMergeDecision
sm_merge_decide (const SmFieldClock *current,
                 SmHlc               hlc,
                 const char         *site)
{
  int cmp;

  g_return_val_if_fail (site != NULL, SM_MERGE_KEEP);

  if (current == NULL || current->hlc == SM_HLC_ZERO)
    return SM_MERGE_TAKE;

  cmp = sm_merge_compare (hlc, site, current->hlc, current->site);
  if (cmp > 0)
    return SM_MERGE_TAKE;
  if (cmp == 0)
    return SM_MERGE_DUPLICATE;
  return SM_MERGE_KEEP;
}

gboolean
sm_merge_is_conflict (const SmFieldClock *winner,
                      GVariant           *winner_value,
                      const SmFieldClock *loser,
                      GVariant           *loser_value)
{
  g_return_val_if_fail (winner != NULL, FALSE);
  g_return_val_if_fail (loser != NULL, FALSE);

  if (loser->hlc == SM_HLC_ZERO)
    return FALSE;

  /* The winner's writer saw the loser's value (or a later one): a plain overwrite. */
  if (winner->base >= loser->hlc)
    return FALSE;

  return !sm_value_equal (winner_value, loser_value);
}
