/* sm-household-dialog.h — add a household, or edit one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sm-store.h"

G_BEGIN_DECLS

#define SM_TYPE_HOUSEHOLD_DIALOG (sm_household_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SmHouseholdDialog, sm_household_dialog, SM, HOUSEHOLD_DIALOG, AdwWindow)

/* @household NULL adds a household to @grid_id (NULL: the replica's first grid);
 * otherwise edits it (its grid stays). */
SmHouseholdDialog *sm_household_dialog_new              (SmStore           *store,
                                                         const char        *grid_id,
                                                         SmRecord          *household);
SmRecord          *sm_household_dialog_get_household    (SmHouseholdDialog *self);
/* The entry of a text field: "unit", "room", "address", "moved_in", "phone" or "notes". */
GtkEditable       *sm_household_dialog_get_entry        (SmHouseholdDialog *self,
                                                         const char        *field);
/* The error shown beside a text field, NULL when none. */
const char        *sm_household_dialog_get_field_error  (SmHouseholdDialog *self,
                                                         const char        *field);
gboolean           sm_household_dialog_select_grid      (SmHouseholdDialog *self,
                                                         const char        *grid_id);
gboolean           sm_household_dialog_select_compound  (SmHouseholdDialog *self,
                                                         const char        *compound_id);
gboolean           sm_household_dialog_select_building  (SmHouseholdDialog *self,
                                                         const char        *building_id);
void               sm_household_dialog_set_tenure       (SmHouseholdDialog *self,
                                                         const char        *tenure);
void               sm_household_dialog_set_tag          (SmHouseholdDialog *self,
                                                         const char        *tag,
                                                         gboolean           active);
/* Whether every field is valid (what enables Save). */
gboolean           sm_household_dialog_get_can_save     (SmHouseholdDialog *self);
/* Writes the household: creates it, or writes the fields that changed. On success emits
 * "saved" and closes; on failure shows why, keeps everything typed, returns FALSE. */
gboolean           sm_household_dialog_save             (SmHouseholdDialog *self);
/* The store's error from the last failed save, NULL when none. */
const char        *sm_household_dialog_get_error_message (SmHouseholdDialog *self);

G_END_DECLS
