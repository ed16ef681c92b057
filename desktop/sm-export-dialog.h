/* sm-export-dialog.h — Export Report: a month's visit report and demand ledger
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sm-report-export.h"
#include "sm-store.h"

G_BEGIN_DECLS

#define SM_TYPE_EXPORT_DIALOG (sm_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SmExportDialog, sm_export_dialog, SM, EXPORT_DIALOG, AdwWindow)

SmExportDialog *sm_export_dialog_new               (SmStore        *store);
/* The month, "YYYY-MM", one of the chooser's (the last 24 months); last month by default. */
void            sm_export_dialog_set_month         (SmExportDialog *self,
                                                    const char     *month);
const char     *sm_export_dialog_get_month         (SmExportDialog *self);
/* Visits, demands or both (the default). */
void            sm_export_dialog_set_kinds         (SmExportDialog *self,
                                                    SmReportKinds   kinds);
SmReportKinds   sm_export_dialog_get_kinds         (SmExportDialog *self);
/* XLSX by default. */
void            sm_export_dialog_set_format        (SmExportDialog *self,
                                                    SmReportFormat  format);
SmReportFormat  sm_export_dialog_get_format        (SmExportDialog *self);
/* The name the save dialog suggests, e.g. "走访月报-2026-10.xlsx". */
char           *sm_export_dialog_dup_suggested_name (SmExportDialog *self);
/* Writes the report to @file in a worker thread (what the save dialog's answer does);
 * a toast says where once it is written. */
void            sm_export_dialog_export_to         (SmExportDialog *self,
                                                    GFile          *file);
gboolean        sm_export_dialog_get_busy          (SmExportDialog *self);
/* The file last written; NULL before. */
GFile          *sm_export_dialog_get_exported_file (SmExportDialog *self);
/* Why the last export failed, as shown; NULL when it did not. */
const char     *sm_export_dialog_get_error_message (SmExportDialog *self);

G_END_DECLS
