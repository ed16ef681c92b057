/* sm-import-dialog.h — Import Roster: a CSV roster into one of the replica's grids
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sm-roster-import.h"
#include "sm-store.h"
#include "sm-sync.h"

G_BEGIN_DECLS

#define SM_TYPE_IMPORT_DIALOG (sm_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SmImportDialog, sm_import_dialog, SM, IMPORT_DIALOG, AdwWindow)

/* @sync may be NULL (working offline); given, it is told of the imported writes. */
SmImportDialog       *sm_import_dialog_new            (SmStore        *store,
                                                       SmSync         *sync);
/* The roster chosen: what the file chooser's answer sets. Back on the first page. */
void                  sm_import_dialog_set_file       (SmImportDialog *self,
                                                       GFile          *file);
GFile                *sm_import_dialog_get_file       (SmImportDialog *self);
/* The grid to import into, one of the replica's; the first one by default. */
void                  sm_import_dialog_set_grid_id    (SmImportDialog *self,
                                                       const char     *grid_id);
const char           *sm_import_dialog_get_grid_id    (SmImportDialog *self);
/* The page shown: "choose", "progress", "report" (the dry run's) or "done". */
const char           *sm_import_dialog_get_page       (SmImportDialog *self);
/* Check (the first page's button): the dry run, in a worker thread. */
void                  sm_import_dialog_check          (SmImportDialog *self);
/* Import (the report page's button): the valid rows, in a worker thread. */
void                  sm_import_dialog_import         (SmImportDialog *self);
/* Cancel (the progress page's button): stops the run between batches. */
void                  sm_import_dialog_cancel         (SmImportDialog *self);
/* What enables Check (a file and a grid) and Import (a dry run that found rows to add). */
gboolean              sm_import_dialog_get_can_check  (SmImportDialog *self);
gboolean              sm_import_dialog_get_can_import (SmImportDialog *self);
gboolean              sm_import_dialog_get_busy       (SmImportDialog *self);
/* Rows done and out of how many, as the progress bar shows them. */
void                  sm_import_dialog_get_progress   (SmImportDialog *self,
                                                       guint          *out_done,
                                                       guint          *out_total);
/* The last run's report (the dry run's on the report page); NULL before or on failure. */
const SmRosterReport *sm_import_dialog_get_report     (SmImportDialog *self);
/* The bad rows as the report page lists them: one GtkStringObject per issue, its
 * heading ("Line 4 · 身份证号"); the row shows the reason under it. */
GListModel           *sm_import_dialog_get_issue_list (SmImportDialog *self);
/* Why the last run failed, as shown; NULL when it did not. */
const char           *sm_import_dialog_get_error_message (SmImportDialog *self);
/* Whether the last import was cancelled before it ended. */
gboolean              sm_import_dialog_get_stopped    (SmImportDialog *self);

G_END_DECLS
