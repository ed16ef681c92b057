/* sm-credit-dialog.h — award or deduct a resident's red credit points (红色信用积分)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sm-store.h"

G_BEGIN_DECLS

#define SM_TYPE_CREDIT_DIALOG (sm_credit_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SmCreditDialog, sm_credit_dialog, SM, CREDIT_DIALOG, AdwWindow)

SmCreditDialog *sm_credit_dialog_new               (SmStore        *store,
                                                    SmRecord       *resident);
SmRecord       *sm_credit_dialog_get_resident      (SmCreditDialog *self);
/* TRUE deducts the points, FALSE (the default) awards them. */
void            sm_credit_dialog_set_deduct        (SmCreditDialog *self,
                                                    gboolean        deduct);
/* How many points, 1 or more. */
void            sm_credit_dialog_set_points        (SmCreditDialog *self,
                                                    guint           points);
GtkEditable    *sm_credit_dialog_get_reason_entry  (SmCreditDialog *self);
/* Whether a reason is given (what enables Save). */
gboolean        sm_credit_dialog_get_can_save      (SmCreditDialog *self);
/* Writes one credit record; on success emits "saved" and closes. On failure shows why,
 * keeps everything typed and returns FALSE. */
gboolean        sm_credit_dialog_save              (SmCreditDialog *self);
const char     *sm_credit_dialog_get_error_message (SmCreditDialog *self);

G_END_DECLS
