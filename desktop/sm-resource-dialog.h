/* sm-resource-dialog.h — add or edit a service resource of the 资源清单
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sm-store.h"

G_BEGIN_DECLS

#define SM_TYPE_RESOURCE_DIALOG (sm_resource_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SmResourceDialog, sm_resource_dialog, SM, RESOURCE_DIALOG, AdwWindow)

/* @resource NULL adds a new one. */
SmResourceDialog *sm_resource_dialog_new               (SmStore          *store,
                                                        SmRecord         *resource);
SmRecord         *sm_resource_dialog_get_resource      (SmResourceDialog *self);
/* The form's fields, for tests and keyboard focus: provider, name, category,
 * description, contact. NULL for another name. */
GtkEditable      *sm_resource_dialog_get_entry         (SmResourceDialog *self,
                                                        const char       *field);
void              sm_resource_dialog_set_active        (SmResourceDialog *self,
                                                        gboolean          active);
/* The grid a new resource is recorded in (the first of the replica's by default). */
void              sm_resource_dialog_set_grid_id       (SmResourceDialog *self,
                                                        const char       *grid_id);
/* Whether provider, service and category are filled in (what enables Save). */
gboolean          sm_resource_dialog_get_can_save      (SmResourceDialog *self);
/* Writes the resource (only the fields that changed, when editing); on success emits
 * "saved" and closes. On failure shows why, keeps everything typed, returns FALSE. */
gboolean          sm_resource_dialog_save              (SmResourceDialog *self);
const char       *sm_resource_dialog_get_error_message (SmResourceDialog *self);

G_END_DECLS
