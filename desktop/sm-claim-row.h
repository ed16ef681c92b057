/* sm-claim-row.h — one claim (认领) of a demand: the resource, who claimed it, its status
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sm-store.h"

G_BEGIN_DECLS

#define SM_TYPE_CLAIM_ROW (sm_claim_row_get_type ())
G_DECLARE_FINAL_TYPE (SmClaimRow, sm_claim_row, SM, CLAIM_ROW, AdwActionRow)

/* @resource may be NULL (not synced yet, or gone); @demand_status is the demand's. */
GtkWidget   *sm_claim_row_new              (SmRecord   *claim,
                                            SmRecord   *resource,
                                            const char *demand_status);
SmRecord    *sm_claim_row_get_claim        (SmClaimRow *self);
/* The status shown, see sm_claim_get_shown_status(). */
const char  *sm_claim_row_get_shown_status (SmClaimRow *self);
/* Names the demand the claim is for, first in the subtitle (lists of several demands'). */
void         sm_claim_row_set_demand_title (SmClaimRow *self,
                                            const char *title);
/* Whether the row's menu offers moving the claim to @status. */
gboolean     sm_claim_row_offers_status    (SmClaimRow *self,
                                            const char *status);

/* A claim closes with its demand: while the demand is resolved or evaluated, a claim
 * still claimed or in progress shows as done. Derived when read, never written. */
const char  *sm_claim_get_shown_status     (SmRecord   *claim,
                                            const char *demand_status);
/* Whether the claim is still open (claimed or in progress, demand not settled). */
gboolean     sm_claim_is_open              (SmRecord   *claim,
                                            const char *demand_status);

G_END_DECLS
