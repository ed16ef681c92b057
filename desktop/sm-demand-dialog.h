/* sm-demand-dialog.h — raise a demand for a household (诉求 发现)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sm-store.h"

G_BEGIN_DECLS

#define SM_TYPE_DEMAND_DIALOG (sm_demand_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SmDemandDialog, sm_demand_dialog, SM, DEMAND_DIALOG, AdwWindow)

/* @worker_id: the signed-in login, or NULL for "local". */
SmDemandDialog *sm_demand_dialog_new            (SmStore        *store,
                                                 SmRecord       *household,
                                                 const char     *worker_id);
GtkEditable    *sm_demand_dialog_get_title_entry (SmDemandDialog *self);
GtkEditable    *sm_demand_dialog_get_description_entry (SmDemandDialog *self);
const char     *sm_demand_dialog_get_category   (SmDemandDialog *self);
void            sm_demand_dialog_set_category   (SmDemandDialog *self,
                                                 const char     *category);
const char     *sm_demand_dialog_get_source     (SmDemandDialog *self);
void            sm_demand_dialog_set_source     (SmDemandDialog *self,
                                                 const char     *source);
const char     *sm_demand_dialog_get_level      (SmDemandDialog *self);
void            sm_demand_dialog_set_level      (SmDemandDialog *self,
                                                 const char     *level);
/* Writes the demand and its report event; emits "saved" and closes. On failure shows the
 * error, keeps what was typed and returns FALSE. */
gboolean        sm_demand_dialog_save           (SmDemandDialog *self);
const char     *sm_demand_dialog_get_error_message (SmDemandDialog *self);

/* The categories to offer: those the replica's demands use, most used first, then the
 * usual ones (translated) not among them. */
void            sm_demand_fill_categories       (SmStore        *store,
                                                 GtkStringList  *list);
/* The value of an AdwComboRow over a GtkStringList, and choosing a value in it (added when
 * missing). */
const char     *sm_demand_combo_get_string      (AdwComboRow    *row);
void            sm_demand_combo_set_string      (AdwComboRow    *row,
                                                 const char     *value);

G_END_DECLS
