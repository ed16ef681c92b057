/* sm-resident-dialog.h — add a resident to a household, edit one, or move one out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sm-store.h"

G_BEGIN_DECLS

#define SM_TYPE_RESIDENT_DIALOG (sm_resident_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SmResidentDialog, sm_resident_dialog, SM, RESIDENT_DIALOG, AdwWindow)

/* @resident NULL adds a resident to @household; otherwise edits it. */
SmResidentDialog *sm_resident_dialog_new               (SmStore          *store,
                                                        SmRecord         *household,
                                                        SmRecord         *resident);
SmRecord         *sm_resident_dialog_get_resident      (SmResidentDialog *self);
/* The entry of a text field: "name", "birth_date", "id_number", "phone", "ethnicity",
 * "moved_in", "moved_out" or "notes". */
GtkEditable      *sm_resident_dialog_get_entry         (SmResidentDialog *self,
                                                        const char       *field);
/* The error shown beside a text field, NULL when none. */
const char       *sm_resident_dialog_get_field_error   (SmResidentDialog *self,
                                                        const char       *field);
/* Picks the value of an enum field ("gender", "id_type", "relation"); NULL for not set. */
void              sm_resident_dialog_set_enum          (SmResidentDialog *self,
                                                        const char       *field,
                                                        const char       *value);
const char       *sm_resident_dialog_get_enum          (SmResidentDialog *self,
                                                        const char       *field);
/* "party_member" or a difficulty tag. */
void              sm_resident_dialog_set_flag          (SmResidentDialog *self,
                                                        const char       *field,
                                                        gboolean          active);
/* Whether every field is valid (what enables Save). */
gboolean          sm_resident_dialog_get_can_save      (SmResidentDialog *self);
/* Writes the resident: creates it, or writes the fields that changed. On success emits
 * "saved" and closes; on failure shows why, keeps everything typed, returns FALSE. */
gboolean          sm_resident_dialog_save              (SmResidentDialog *self);
/* Sets the moving-out date to today and saves (the record is kept). */
gboolean          sm_resident_dialog_move_out          (SmResidentDialog *self);
/* The store's error from the last failed save, NULL when none. */
const char       *sm_resident_dialog_get_error_message (SmResidentDialog *self);

G_END_DECLS
