/* sm-export-dialog.c — Export Report: a month's visit report and demand ledger
 *
 * The reports the community office hands on each month (core/sm-report-export.h): the
 * visits by grid worker and by household, and the demand ledger, as an XLSX workbook or
 * a CSV file with a byte order mark. The window chooses the month (the last 24; last
 * month by default, as offices report the month just ended), the report and the format;
 * Export… asks where to save it, suggesting a name such as 走访月报-2026-10.xlsx.
 *
 * A month of a large community takes a moment to build, so the report is written in a
 * GTask thread on its own connection to the replica (an SmStore is used by one thread at
 * a time), with a spinner meanwhile; the UI never waits. Once written, a toast says
 * where, with a button that opens the folder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-export-dialog.h"

#include <glib/gi18n.h>

#include "sm-file-chooser.h"
#include "sm-replica-task.h"

#define N_MONTHS   24
#define LOCAL_ZONE "+08:00"

struct _SmExportDialog
{
  AdwWindow             parent_instance;

  SmStore              *store;
  GCancellable         *cancellable;
  gboolean              busy;
  GFile                *exported_file;
  char                 *error_message;
  GtkFileChooserNative *chooser;

  AdwToastOverlay      *toast_overlay;
  GtkSpinner           *spinner;
  GtkLabel             *error_label;
  AdwComboRow          *month_row;
  GtkStringList        *month_names;
  AdwComboRow          *kinds_row;
  AdwComboRow          *format_row;
};

G_DEFINE_FINAL_TYPE (SmExportDialog, sm_export_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The report chooser's rows, in the .ui's order. */
static const SmReportKinds kinds_rows[] = { SM_REPORT_ALL, SM_REPORT_VISITS, SM_REPORT_DEMANDS };
/* The format chooser's rows. */
static const SmReportFormat format_rows[] = { SM_REPORT_FORMAT_XLSX, SM_REPORT_FORMAT_CSV };

/* ---------------------------------------------------------------- the worker thread */

typedef struct {
  char           *month;
  SmReportKinds   kinds;
  SmReportFormat  format;
  char           *path;
} Job;

static void
job_free (Job *job)
{
  g_free (job->month);
  g_free (job->path);
  g_free (job);
}

static void
export_thread (GTask        *task,
               SmStore      *store,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  SmReportOptions options;

  sm_report_options_init (&options, job->month);
  options.kinds = job->kinds;
  if (!sm_report_export (store, &options, job->format, job->path, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* ---------------------------------------------------------------- helpers */

static void
set_error (SmExportDialog *self,
           char           *message)   /* (transfer full) */
{
  g_assert (SM_IS_EXPORT_DIALOG (self));

  g_free (self->error_message);
  self->error_message = message;
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
set_busy (SmExportDialog *self,
          gboolean        busy)
{
  g_assert (SM_IS_EXPORT_DIALOG (self));

  if (self->busy == busy)
    return;

  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.choose", !busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
fill_months (SmExportDialog *self)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (LOCAL_ZONE);
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);
  g_autoptr(GDateTime) first = g_date_time_new (zone, g_date_time_get_year (now),
                                                g_date_time_get_month (now), 1, 0, 0, 0);

  g_assert (SM_IS_EXPORT_DIALOG (self));

  /* The community's months (China time), this one first. */
  for (int i = 0; i < N_MONTHS; i++)
    {
      g_autoptr(GDateTime) month = g_date_time_add_months (first, -i);
      g_autofree char *name = g_date_time_format (month, "%Y-%m");

      gtk_string_list_append (self->month_names, name);
    }

  /* Last month: the one an office reports on. */
  adw_combo_row_set_selected (self->month_row, 1);
}

/* ---------------------------------------------------------------- callbacks */

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  SmExportDialog *self = SM_EXPORT_DIALOG (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->cancellable);

  /* Closed while it ran: nothing left to show. */
  if (self->toast_overlay == NULL)
    {
      self->busy = FALSE;
      return;
    }

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, SM_STORE_ERROR, SM_STORE_ERROR_FULL))
        set_error (self, g_strdup (_("The disk is full. Free some space or choose another "
                                     "place, then export again.")));
      else
        /* Translators: %s says why, e.g. the folder cannot be written */
        set_error (self, g_strdup_printf (_("The report could not be written. Choose another "
                                            "place and export again.\n%s"), error->message));
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_path (job->path);
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *escaped = g_markup_escape_text (name, -1);
      g_autofree char *title = NULL;
      AdwToast *toast;

      g_set_object (&self->exported_file, file);
      /* Translators: %s is the name of the report's file */
      title = g_strdup_printf (_("Exported to %s"), escaped);
      toast = adw_toast_new (title);
      adw_toast_set_button_label (toast, _("_Open Folder"));
      adw_toast_set_action_name (toast, "export.open-folder");
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }

  set_busy (self, FALSE);
}

static void
file_chosen_cb (GtkWindow *window,
                GFile     *file)
{
  sm_export_dialog_export_to (SM_EXPORT_DIALOG (window), file);
}

static void
choose_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SmExportDialog *self = SM_EXPORT_DIALOG (widget);
  g_autofree char *name = NULL;
  g_autoptr(GtkFileFilter) filter = NULL;
  gboolean xlsx = sm_export_dialog_get_format (self) == SM_REPORT_FORMAT_XLSX;

  if (self->chooser != NULL || self->busy)
    return;

  name = sm_export_dialog_dup_suggested_name (self);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, xlsx ? _("Excel Workbooks") : _("CSV Files"));
  gtk_file_filter_add_pattern (filter, xlsx ? "*.xlsx" : "*.csv");

  sm_file_chooser_ask (GTK_WINDOW (self), &self->chooser, _("Save the Report"),
                       GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"), name, filter,
                       file_chosen_cb);
}

static void
launch_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    g_warning ("Cannot open the report's folder: %s", error->message);
}

static void
open_folder_action_cb (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SmExportDialog *self = SM_EXPORT_DIALOG (widget);
  g_autoptr(GFile) folder = NULL;
  g_autofree char *uri = NULL;

  if (self->exported_file == NULL || !(folder = g_file_get_parent (self->exported_file)))
    return;

  uri = g_file_get_uri (folder);
  g_app_info_launch_default_for_uri_async (uri, NULL, NULL, launch_done_cb, NULL);
}

/* ---------------------------------------------------------------- overrides */

static void
sm_export_dialog_dispose (GObject *object)
{
  SmExportDialog *self = SM_EXPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  sm_file_chooser_close (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_EXPORT_DIALOG);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->exported_file);

  G_OBJECT_CLASS (sm_export_dialog_parent_class)->dispose (object);
}

static void
sm_export_dialog_finalize (GObject *object)
{
  SmExportDialog *self = SM_EXPORT_DIALOG (object);

  g_free (self->error_message);

  G_OBJECT_CLASS (sm_export_dialog_parent_class)->finalize (object);
}

static void
sm_export_dialog_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SmExportDialog *self = SM_EXPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_export_dialog_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SmExportDialog *self = SM_EXPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_export_dialog_class_init (SmExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sm_export_dialog_dispose;
  object_class->finalize = sm_export_dialog_finalize;
  object_class->get_property = sm_export_dialog_get_property;
  object_class->set_property = sm_export_dialog_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SmExportDialog:busy:
   *
   * Whether a report is being written in the worker thread.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "export.choose", NULL, choose_action_cb);
  gtk_widget_class_install_action (widget_class, "export.open-folder", NULL, open_folder_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "export.choose", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/sanmen/Sanmen/sm-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SmExportDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SmExportDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, SmExportDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, SmExportDialog, month_row);
  gtk_widget_class_bind_template_child (widget_class, SmExportDialog, month_names);
  gtk_widget_class_bind_template_child (widget_class, SmExportDialog, kinds_row);
  gtk_widget_class_bind_template_child (widget_class, SmExportDialog, format_row);
}

static void
sm_export_dialog_init (SmExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  fill_months (self);
}

/* ---------------------------------------------------------------- public API */

SmExportDialog *
sm_export_dialog_new (SmStore *store)
{
  g_return_val_if_fail (SM_IS_STORE (store), NULL);

  return g_object_new (SM_TYPE_EXPORT_DIALOG, "store", store, NULL);
}

void
sm_export_dialog_set_month (SmExportDialog *self,
                            const char     *month)
{
  guint n;

  g_return_if_fail (SM_IS_EXPORT_DIALOG (self));
  g_return_if_fail (month != NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->month_names));
  for (guint i = 0; i < n; i++)
    if (g_str_equal (gtk_string_list_get_string (self->month_names, i), month))
      {
        adw_combo_row_set_selected (self->month_row, i);
        return;
      }

  g_warning ("%s is not one of the last %d months", month, N_MONTHS);
}

const char *
sm_export_dialog_get_month (SmExportDialog *self)
{
  g_return_val_if_fail (SM_IS_EXPORT_DIALOG (self), NULL);

  return gtk_string_list_get_string (self->month_names, adw_combo_row_get_selected (self->month_row));
}

void
sm_export_dialog_set_kinds (SmExportDialog *self,
                            SmReportKinds   kinds)
{
  g_return_if_fail (SM_IS_EXPORT_DIALOG (self));

  for (guint i = 0; i < G_N_ELEMENTS (kinds_rows); i++)
    if (kinds_rows[i] == kinds)
      adw_combo_row_set_selected (self->kinds_row, i);
}

SmReportKinds
sm_export_dialog_get_kinds (SmExportDialog *self)
{
  guint selected;

  g_return_val_if_fail (SM_IS_EXPORT_DIALOG (self), SM_REPORT_ALL);

  selected = adw_combo_row_get_selected (self->kinds_row);
  return selected < G_N_ELEMENTS (kinds_rows) ? kinds_rows[selected] : SM_REPORT_ALL;
}

void
sm_export_dialog_set_format (SmExportDialog *self,
                             SmReportFormat  format)
{
  g_return_if_fail (SM_IS_EXPORT_DIALOG (self));

  for (guint i = 0; i < G_N_ELEMENTS (format_rows); i++)
    if (format_rows[i] == format)
      adw_combo_row_set_selected (self->format_row, i);
}

SmReportFormat
sm_export_dialog_get_format (SmExportDialog *self)
{
  guint selected;

  g_return_val_if_fail (SM_IS_EXPORT_DIALOG (self), SM_REPORT_FORMAT_XLSX);

  selected = adw_combo_row_get_selected (self->format_row);
  return selected < G_N_ELEMENTS (format_rows) ? format_rows[selected] : SM_REPORT_FORMAT_XLSX;
}

char *
sm_export_dialog_dup_suggested_name (SmExportDialog *self)
{
  const char *report;

  g_return_val_if_fail (SM_IS_EXPORT_DIALOG (self), NULL);

  switch (sm_export_dialog_get_kinds (self))
    {
    case SM_REPORT_VISITS:
      /* Translators: the start of a visit report's file name, as in 走访月报-2026-10.xlsx;
       * no slashes */
      report = _("Visit Report");
      break;
    case SM_REPORT_DEMANDS:
      /* Translators: the start of a demand ledger's file name, as in 诉求台账-2026-10.xlsx;
       * no slashes */
      report = _("Demand Ledger");
      break;
    case SM_REPORT_ALL:
    default:
      /* Translators: the start of the file name of a report with both visits and demands,
       * as in 月报-2026-10.xlsx; no slashes */
      report = _("Monthly Report");
      break;
    }

  return g_strdup_printf ("%s-%s.%s", report, sm_export_dialog_get_month (self),
                          sm_export_dialog_get_format (self) == SM_REPORT_FORMAT_XLSX ? "xlsx" : "csv");
}

void
sm_export_dialog_export_to (SmExportDialog *self,
                            GFile          *file)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (SM_IS_EXPORT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!self->busy);

  if (g_file_peek_path (file) == NULL)
    {
      set_error (self, g_strdup (_("Reports can only be saved in a folder of this computer. "
                                   "Choose another place.")));
      return;
    }

  set_error (self, NULL);
  job = g_new0 (Job, 1);
  job->month = g_strdup (sm_export_dialog_get_month (self));
  job->kinds = sm_export_dialog_get_kinds (self);
  job->format = sm_export_dialog_get_format (self);
  job->path = g_file_get_path (file);

  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);

  task = sm_replica_task_new (self, self->store, self->cancellable, export_done_cb, NULL);
  g_task_set_source_tag (task, sm_export_dialog_export_to);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  sm_replica_task_run (task, export_thread);
}

gboolean
sm_export_dialog_get_busy (SmExportDialog *self)
{
  g_return_val_if_fail (SM_IS_EXPORT_DIALOG (self), FALSE);

  return self->busy;
}

GFile *
sm_export_dialog_get_exported_file (SmExportDialog *self)
{
  g_return_val_if_fail (SM_IS_EXPORT_DIALOG (self), NULL);

  return self->exported_file;
}

const char *
sm_export_dialog_get_error_message (SmExportDialog *self)
{
  g_return_val_if_fail (SM_IS_EXPORT_DIALOG (self), NULL);

  return self->error_message;
}
