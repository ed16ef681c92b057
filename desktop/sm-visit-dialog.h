/* sm-visit-dialog.h — record one visit to a household (DESIGN §6: three taps)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sm-store.h"

G_BEGIN_DECLS

#define SM_TYPE_VISIT_DIALOG (sm_visit_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SmVisitDialog, sm_visit_dialog, SM, VISIT_DIALOG, AdwWindow)

/* @worker_id: the signed-in login, or NULL for "local". */
SmVisitDialog *sm_visit_dialog_new              (SmStore       *store,
                                                 SmRecord      *household,
                                                 const char    *worker_id);
/* The kind a visit to @household most likely is: knock for new residents, care for a
 * household with any difficulty tag, drop_in otherwise. */
const char    *sm_visit_dialog_suggest_kind     (SmRecord      *household);

const char    *sm_visit_dialog_get_kind         (SmVisitDialog *self);
void           sm_visit_dialog_set_kind         (SmVisitDialog *self,
                                                 const char    *kind);
const char    *sm_visit_dialog_get_outcome      (SmVisitDialog *self);
void           sm_visit_dialog_set_outcome      (SmVisitDialog *self,
                                                 const char    *outcome);
/* "YYYY-MM-DD", or NULL for no follow-up. */
const char    *sm_visit_dialog_get_follow_up_on (SmVisitDialog *self);
void           sm_visit_dialog_set_follow_up_on (SmVisitDialog *self,
                                                 const char    *date);
GtkEditable   *sm_visit_dialog_get_companions_entry (SmVisitDialog *self);
GtkEditable   *sm_visit_dialog_get_met_names_entry  (SmVisitDialog *self);
GtkEditable   *sm_visit_dialog_get_notes_entry      (SmVisitDialog *self);
/* "Also raise a demand": when on, saving writes a demand of the visit (source `visit`,
 * with the title, category and expected level below) and its report event in the visit's
 * transaction, and emits "demand-raised". */
gboolean       sm_visit_dialog_get_raise_demand (SmVisitDialog *self);
void           sm_visit_dialog_set_raise_demand (SmVisitDialog *self,
                                                 gboolean       raise);
GtkEditable   *sm_visit_dialog_get_demand_title_entry (SmVisitDialog *self);
const char    *sm_visit_dialog_get_demand_category (SmVisitDialog *self);
void           sm_visit_dialog_set_demand_category (SmVisitDialog *self,
                                                 const char    *category);
const char    *sm_visit_dialog_get_demand_level (SmVisitDialog *self);
void           sm_visit_dialog_set_demand_level (SmVisitDialog *self,
                                                 const char    *level);
/* Writes the visit; on success emits "saved" and closes. On failure shows the error in
 * the dialog, keeps everything typed and returns FALSE. What Save and Enter do. */
gboolean       sm_visit_dialog_save             (SmVisitDialog *self);
/* The error shown from the last failed save, NULL when none. */
const char    *sm_visit_dialog_get_error_message (SmVisitDialog *self);

G_END_DECLS
