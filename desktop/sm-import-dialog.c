/* sm-import-dialog.c — Import Roster: a CSV roster into one of the replica's grids
 *
 * The community office's rosters (花名册) come as spreadsheets saved as CSV; the import
 * itself is sm_roster_import() (core/sm-roster-import.h). This window walks through it
 * in pages: choose the file and the grid → a dry run, whose report shows what would be
 * added, what is already present, and every bad row with its line and reason → Import,
 * which writes the valid rows only → done. Nothing is written before the report is seen.
 *
 * Both runs take seconds on a large roster, so they run in a GTask thread with a
 * progress bar (rows done out of the total) and Cancel; the UI never waits. An SmStore is
 * used by one thread at a time, so the thread opens its own connection to the replica
 * file (sm-replica-task.h, as the dashboard does for its figures) and writes there, local
 * writes with their outbox rows. The main connection's "changed" signal and the
 * application's update hook (which tells the sync engine about outbox rows) do not see
 * another connection's writes: after an import, even a cancelled or failed one (whole
 * households written before stay), the window emits "changed" on the main store, tells
 * the SmSync (sm_sync_local_changed) and emits "imported" so the window reads the
 * household list again.
 *
 * Closing the window while an import runs cancels it and closes once the thread has
 * stopped, after the notifications above, so nothing written goes unseen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-import-dialog.h"

#include <glib/gi18n.h>

#include "sm-file-chooser.h"
#include "sm-replica-task.h"

/* Shared by the worker thread (which writes) and the UI (which reads, on a timer). */
typedef struct {
  gint done;
  gint total;
} Progress;

struct _SmImportDialog
{
  AdwWindow             parent_instance;

  SmStore              *store;
  SmSync               *sync;
  GFile                *file;
  GPtrArray            *grid_ids;      /* parallel to grid_names */
  GCancellable         *cancellable;   /* of the run in progress */
  Progress             *progress;      /* of the run in progress */
  guint                 progress_id;
  gboolean              busy;
  gboolean              dry_run;       /* of the run in progress or last */
  gboolean              stopped;
  gboolean              close_when_done;
  SmRosterReport       *report;
  GtkStringList        *issues;
  char                 *error_message;
  GtkFileChooserNative *chooser;

  AdwWindowTitle       *window_title;
  GtkLabel             *error_label;
  GtkStack             *stack;
  AdwActionRow         *file_row;
  AdwComboRow          *grid_row;
  GtkStringList        *grid_names;
  GtkLabel             *progress_title;
  GtkProgressBar       *progress_bar;
  AdwPreferencesGroup  *summary_group;
  AdwActionRow         *households_row;
  AdwActionRow         *residents_row;
  AdwActionRow         *places_row;
  GtkLabel             *issues_title;
  GtkScrolledWindow    *issues_scroller;
  GtkListView          *issues_view;
  GtkButton            *import_button;
  AdwStatusPage        *done_page;
};

G_DEFINE_FINAL_TYPE (SmImportDialog, sm_import_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SYNC,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  IMPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---------------------------------------------------------------- the worker thread */

typedef struct {
  GFile    *file;
  char     *grid_id;
  gboolean  dry_run;
  Progress *progress;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->file);
  g_free (job->grid_id);
  g_atomic_rc_box_release (job->progress);
  g_free (job);
}

static void
progress_cb (guint    done,
             guint    total,
             gpointer user_data)
{
  Progress *progress = user_data;

  g_atomic_int_set (&progress->total, (gint) total);
  g_atomic_int_set (&progress->done, (gint) done);
}

static void
import_thread (GTask        *task,
               SmStore      *store,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  SmRosterReport *report;
  SmRosterOptions options;

  sm_roster_options_init (&options, job->grid_id);
  options.dry_run = job->dry_run;
  options.progress = progress_cb;
  options.progress_data = job->progress;

  report = sm_roster_import_file (store, job->file, &options, NULL, NULL, cancellable, &error);
  if (report == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, report, (GDestroyNotify) sm_roster_report_free);
}

/* ---------------------------------------------------------------- helpers */

static void
set_error (SmImportDialog *self,
           char           *message)   /* (transfer full) */
{
  g_assert (SM_IS_IMPORT_DIALOG (self));

  g_free (self->error_message);
  self->error_message = message;
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* What a person can do about @error, in their language. */
static char *
describe_error (const GError *error)
{
  if (g_error_matches (error, SM_STORE_ERROR, SM_STORE_ERROR_FULL))
    return g_strdup (_("The disk is full. Free some space, then import the file again: the "
                       "households already imported stay and are not added twice."));
  if (g_error_matches (error, SM_STORE_ERROR, SM_STORE_ERROR_BUSY))
    return g_strdup (_("The replica is busy. Close other copies of Sanmen, then try again."));
  if (error->domain == SM_ROSTER_ERROR)
    /* The importer's own messages say what is wrong with the file and what to do. */
    return g_strdup (error->message);
  if (error->domain == G_IO_ERROR || error->domain == G_FILE_ERROR)
    /* Translators: %s is the system's reason, e.g. "No such file or directory" */
    return g_strdup_printf (_("The file cannot be read. Check that it is still there, or "
                              "choose another file.\n%s"), error->message);
  if (error->domain == SM_STORE_ERROR)
    /* Translators: %s says why the replica (the local database) could not be written */
    return g_strdup_printf (_("The households could not be saved: %s"), error->message);

  return g_strdup (error->message);
}

static gboolean
can_check (SmImportDialog *self)
{
  return !self->busy && self->file != NULL && sm_import_dialog_get_grid_id (self) != NULL;
}

/* Only after a dry run, and only when it found something to add. */
static gboolean
can_import (SmImportDialog *self)
{
  SmRosterReport *report = self->report;

  return !self->busy && report != NULL && report->dry_run &&
         report->households_added + report->residents_added +
         report->compounds_added + report->buildings_added > 0;
}

static void
update_actions (SmImportDialog *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  g_assert (SM_IS_IMPORT_DIALOG (self));

  gtk_widget_action_set_enabled (widget, "import.choose", !self->busy);
  gtk_widget_action_set_enabled (widget, "import.check", can_check (self));
  gtk_widget_action_set_enabled (widget, "import.import", can_import (self));
  gtk_widget_action_set_enabled (widget, "import.back", !self->busy);
  gtk_widget_action_set_enabled (widget, "import.cancel", self->busy);
}

static void
set_busy (SmImportDialog *self,
          gboolean        busy)
{
  g_assert (SM_IS_IMPORT_DIALOG (self));

  if (self->busy == busy)
    return;

  self->busy = busy;
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
show_progress (SmImportDialog *self)
{
  guint done = (guint) g_atomic_int_get (&self->progress->done);
  guint total = (guint) g_atomic_int_get (&self->progress->total);
  g_autofree char *text = NULL;

  /* Until the importer has counted the rows (a dry run counts them as it ends), the bar
   * moves to say it works. */
  if (total == 0)
    {
      gtk_progress_bar_pulse (self->progress_bar);
      gtk_progress_bar_set_text (self->progress_bar, _("Reading the file…"));
      return;
    }

  /* Translators: the progress of an import: rows of the roster done out of all of them */
  text = g_strdup_printf (ngettext ("%u of %u row", "%u of %u rows", total), done, total);
  gtk_progress_bar_set_fraction (self->progress_bar, MIN (1.0, (double) done / total));
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static gboolean
progress_timeout_cb (gpointer user_data)
{
  show_progress (SM_IMPORT_DIALOG (user_data));
  return G_SOURCE_CONTINUE;
}

/* The list of bad rows and the summary, for @report (a dry run's or an import's). */
static void
show_report (SmImportDialog *self)
{
  SmRosterReport *report = self->report;
  guint n_issues = report->issues->len;
  guint n_good = report->n_rows - report->n_bad_rows;
  g_autoptr(GPtrArray) headings = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *description = NULL;
  g_autofree char *to_add = NULL;
  g_autofree char *present = NULL;
  g_autofree char *line = NULL;
  g_autofree char *label = NULL;
  g_autofree char *places = NULL;
  g_autofree char *compounds = NULL;
  g_autofree char *buildings = NULL;

  g_assert (SM_IS_IMPORT_DIALOG (self));

  /* Translators: the first %u is how many rows a roster file has, %s its encoding
   * ("UTF-8" or "GB18030"), the second %u how many of them are bad */
  description = g_strdup_printf (ngettext ("%u row read as %s; %u of them cannot be imported.",
                                           "%u rows read as %s; %u of them cannot be imported.",
                                           report->n_rows),
                                 report->n_rows, report->encoding, report->n_bad_rows);
  adw_preferences_group_set_description (self->summary_group, description);
  adw_preferences_group_set_title (self->summary_group,
                                   report->dry_run ? _("What the Import Would Do")
                                                   : _("What the Import Did"));

  /* Translators: households of a roster that are new, e.g. "3 to add" */
  to_add = g_strdup_printf (ngettext ("%u to add", "%u to add", report->households_added),
                            report->households_added);
  /* Translators: households of a roster the replica has already, e.g. "1 already present" */
  present = g_strdup_printf (ngettext ("%u already present", "%u already present",
                                       report->households_unchanged),
                             report->households_unchanged);
  /* Translators: joins "3 to add" and "1 already present" */
  line = g_strdup_printf (_("%s · %s"), to_add, present);
  adw_action_row_set_subtitle (self->households_row, line);

  g_clear_pointer (&to_add, g_free);
  g_clear_pointer (&present, g_free);
  g_clear_pointer (&line, g_free);
  to_add = g_strdup_printf (ngettext ("%u to add", "%u to add", report->residents_added),
                            report->residents_added);
  present = g_strdup_printf (ngettext ("%u already present", "%u already present",
                                       report->residents_unchanged),
                             report->residents_unchanged);
  line = g_strdup_printf (_("%s · %s"), to_add, present);
  adw_action_row_set_subtitle (self->residents_row, line);

  /* Translators: part of "2 compounds and 5 buildings to add" */
  compounds = g_strdup_printf (ngettext ("%u compound", "%u compounds", report->compounds_added),
                               report->compounds_added);
  /* Translators: part of "2 compounds and 5 buildings to add" */
  buildings = g_strdup_printf (ngettext ("%u building", "%u buildings", report->buildings_added),
                               report->buildings_added);
  /* Translators: "2 compounds and 5 buildings to add" */
  places = g_strdup_printf (_("%s and %s to add"), compounds, buildings);
  adw_action_row_set_subtitle (self->places_row, places);

  if (n_issues == 0)
    gtk_label_set_label (self->issues_title, _("No bad rows: every row can be imported."));
  else
    {
      g_autofree char *title = NULL;

      /* Translators: the heading of the list of problems a roster has */
      title = g_strdup_printf (ngettext ("%u problem; these rows are left out:",
                                         "%u problems; these rows are left out:", n_issues),
                               n_issues);
      gtk_label_set_label (self->issues_title, title);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->issues_scroller), n_issues > 0);

  for (guint i = 0; i < n_issues; i++)
    {
      SmRosterIssue *issue = g_ptr_array_index (report->issues, i);

      if (issue->column != NULL)
        /* Translators: where a problem of a roster is: the line of the file and the
         * column's header as written in the file, e.g. "Line 4 · 身份证号" */
        g_ptr_array_add (headings, g_strdup_printf (_("Line %u · %s"), issue->line, issue->column));
      else
        /* Translators: where a problem of a roster is: the line of the file */
        g_ptr_array_add (headings, g_strdup_printf (_("Line %u"), issue->line));
    }
  g_ptr_array_add (headings, NULL);
  gtk_string_list_splice (self->issues, 0, g_list_model_get_n_items (G_LIST_MODEL (self->issues)),
                          (const char * const *) headings->pdata);

  /* Translators: the button that writes the rows of a roster that have no problem */
  label = g_strdup_printf (ngettext ("_Import %u Row", "_Import %u Rows", n_good), n_good);
  gtk_button_set_label (self->import_button, label);
}

static void
show_done (SmImportDialog *self)
{
  g_autofree char *description = NULL;

  g_assert (SM_IS_IMPORT_DIALOG (self));

  if (self->stopped)
    {
      adw_status_page_set_icon_name (self->done_page, "process-stop-symbolic");
      adw_status_page_set_title (self->done_page, _("Import Stopped"));
      adw_status_page_set_description (self->done_page,
                                       _("The households imported before it stopped are "
                                         "saved, each with all of its residents. Import the "
                                         "file again to add the rest: nothing is added twice."));
    }
  else
    {
      g_autofree char *households = NULL;
      g_autofree char *residents = NULL;
      g_autofree char *bad = NULL;

      /* Translators: part of "Added 3 households and 7 residents." */
      households = g_strdup_printf (ngettext ("%u household", "%u households",
                                              self->report->households_added),
                                    self->report->households_added);
      /* Translators: part of "Added 3 households and 7 residents." */
      residents = g_strdup_printf (ngettext ("%u resident", "%u residents",
                                             self->report->residents_added),
                                   self->report->residents_added);
      /* Translators: after a bad row count, e.g. "11 bad rows were left out." */
      bad = g_strdup_printf (ngettext ("%u bad row was left out.", "%u bad rows were left out.",
                                       self->report->n_bad_rows),
                             self->report->n_bad_rows);
      /* Translators: "Added 3 households and 7 residents. 11 bad rows were left out. …" */
      description = g_strdup_printf (_("Added %s and %s. %s They are sent to the office's "
                                       "server with the next sync."),
                                     households, residents, bad);
      adw_status_page_set_icon_name (self->done_page, "emblem-ok-symbolic");
      adw_status_page_set_title (self->done_page, _("Roster Imported"));
      adw_status_page_set_description (self->done_page, description);
    }

  gtk_stack_set_visible_child_name (self->stack, "done");
}

/* Writes made on the thread's connection: tell those that only see the main one. */
static void
written (SmImportDialog *self)
{
  g_assert (SM_IS_IMPORT_DIALOG (self));

  /* The Today page and others follow the store's "changed", which the main connection
   * emits only for its own commits. */
  g_signal_emit_by_name (self->store, "changed");
  /* The application's update hook does not see the outbox rows the thread added. */
  if (self->sync != NULL)
    sm_sync_local_changed (self->sync);
  g_signal_emit (self, signals[IMPORTED], 0);
}

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  SmImportDialog *self = SM_IMPORT_DIALOG (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  SmRosterReport *report;

  report = g_task_propagate_pointer (G_TASK (result), &error);

  g_clear_handle_id (&self->progress_id, g_source_remove);
  g_clear_object (&self->cancellable);

  if (!job->dry_run)
    written (self);

  /* Destroyed with its parent while the thread ran: nothing left to show. */
  if (self->stack == NULL)
    {
      g_clear_pointer (&report, sm_roster_report_free);
      self->busy = FALSE;
      return;
    }

  show_progress (self);
  if (self->close_when_done)
    {
      g_clear_pointer (&report, sm_roster_report_free);
      set_busy (self, FALSE);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  if (report != NULL)
    {
      g_clear_pointer (&self->report, sm_roster_report_free);
      self->report = report;
      show_report (self);
      if (job->dry_run)
        gtk_stack_set_visible_child_name (self->stack, "report");
      else
        show_done (self);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (job->dry_run)
        gtk_stack_set_visible_child_name (self->stack, "choose");
      else
        {
          self->stopped = TRUE;
          show_done (self);
        }
    }
  else
    {
      g_debug ("import: %s", error->message);
      set_error (self, describe_error (error));
      gtk_stack_set_visible_child_name (self->stack, job->dry_run ? "choose" : "report");
    }

  set_busy (self, FALSE);
}

static void
start_run (SmImportDialog *self,
           gboolean        dry_run)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_assert (SM_IS_IMPORT_DIALOG (self));
  g_return_if_fail (!self->busy);
  g_return_if_fail (self->file != NULL && sm_import_dialog_get_grid_id (self) != NULL);

  set_error (self, NULL);
  self->dry_run = dry_run;
  self->stopped = FALSE;

  g_clear_pointer (&self->progress, g_atomic_rc_box_release);
  self->progress = g_atomic_rc_box_new0 (Progress);

  job = g_new0 (Job, 1);
  job->file = g_object_ref (self->file);
  job->grid_id = g_strdup (sm_import_dialog_get_grid_id (self));
  job->dry_run = dry_run;
  job->progress = g_atomic_rc_box_acquire (self->progress);

  gtk_label_set_label (self->progress_title,
                       dry_run ? _("Checking the Roster…") : _("Importing…"));
  show_progress (self);
  gtk_stack_set_visible_child_name (self->stack, "progress");
  self->progress_id = g_timeout_add (100, progress_timeout_cb, self);

  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);

  task = sm_replica_task_new (self, self->store, self->cancellable, run_done_cb, NULL);
  g_task_set_source_tag (task, start_run);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  sm_replica_task_run (task, import_thread);
}

static void
load_grids (SmImportDialog *self)
{
  g_autoptr(GPtrArray) grids = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  g_assert (SM_IS_IMPORT_DIALOG (self));

  if (!(grids = sm_store_list_grids (self->store, &error)))
    g_warning ("Cannot list the grids: %s", error->message);

  g_ptr_array_set_size (self->grid_ids, 0);
  for (guint i = 0; grids != NULL && i < grids->len; i++)
    {
      SmRecord *grid = g_ptr_array_index (grids, i);
      const char *name = sm_record_get_string (grid, "name");

      g_ptr_array_add (self->grid_ids, g_strdup (sm_record_get_id (grid)));
      g_ptr_array_add (names, g_strdup (name ? name : sm_record_get_id (grid)));
    }
  g_ptr_array_add (names, NULL);
  gtk_string_list_splice (self->grid_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->grid_names)),
                          (const char * const *) names->pdata);

  if (self->grid_ids->len == 0)
    set_error (self, g_strdup (_("This computer holds no grid yet. Sign in and sync once, "
                                 "then import the roster into your grid.")));
}

/* ---------------------------------------------------------------- callbacks */

static void
grid_selected_cb (SmImportDialog *self)
{
  update_actions (self);
}

static void
issue_setup_cb (SmImportDialog *self,
                GtkListItem    *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *heading = gtk_label_new (NULL);
  GtkWidget *reason = gtk_label_new (NULL);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_xalign (GTK_LABEL (reason), 0);
  gtk_label_set_wrap (GTK_LABEL (reason), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (reason), PANGO_WRAP_WORD_CHAR);
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), reason);
  gtk_list_item_set_child (item, box);
  gtk_list_item_set_activatable (item, FALSE);
}

static void
issue_bind_cb (SmImportDialog *self,
               GtkListItem    *item)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *heading = gtk_widget_get_first_child (box);
  GtkWidget *reason = gtk_widget_get_next_sibling (heading);
  GtkStringObject *string = gtk_list_item_get_item (item);
  guint position = gtk_list_item_get_position (item);
  const char *message = "";

  /* The list is filled from self->report and replaced with it. */
  if (self->report != NULL && position < self->report->issues->len)
    message = ((SmRosterIssue *) g_ptr_array_index (self->report->issues, position))->message;

  gtk_label_set_label (GTK_LABEL (heading), gtk_string_object_get_string (string));
  gtk_label_set_label (GTK_LABEL (reason), message);
}

static void
file_chosen_cb (GtkWindow *window,
                GFile     *file)
{
  sm_import_dialog_set_file (SM_IMPORT_DIALOG (window), file);
}

static void
choose_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SmImportDialog *self = SM_IMPORT_DIALOG (widget);
  g_autoptr(GtkFileFilter) filter = NULL;

  if (self->chooser != NULL)
    return;

  filter = gtk_file_filter_new ();
  /* Translators: the kind of file the roster chooser shows */
  gtk_file_filter_set_name (filter, _("CSV Files"));
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_filter_add_pattern (filter, "*.CSV");
  gtk_file_filter_add_mime_type (filter, "text/csv");

  sm_file_chooser_ask (GTK_WINDOW (self), &self->chooser, _("Choose a Roster"),
                       GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"), NULL, filter,
                       file_chosen_cb);
}

static void
check_action_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  sm_import_dialog_check (SM_IMPORT_DIALOG (widget));
}

static void
import_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  sm_import_dialog_import (SM_IMPORT_DIALOG (widget));
}

static void
cancel_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  sm_import_dialog_cancel (SM_IMPORT_DIALOG (widget));
}

static void
back_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SmImportDialog *self = SM_IMPORT_DIALOG (widget);

  set_error (self, NULL);
  gtk_stack_set_visible_child_name (self->stack, "choose");
}

/* ---------------------------------------------------------------- overrides */

static gboolean
sm_import_dialog_close_request (GtkWindow *window)
{
  SmImportDialog *self = SM_IMPORT_DIALOG (window);

  /* Closing cancels; the window goes once the thread has stopped and what it wrote is
   * announced. */
  if (self->busy)
    {
      self->close_when_done = TRUE;
      gtk_label_set_label (self->progress_title, _("Stopping…"));
      g_cancellable_cancel (self->cancellable);
      return TRUE;
    }

  return GTK_WINDOW_CLASS (sm_import_dialog_parent_class)->close_request (window);
}

static void
sm_import_dialog_dispose (GObject *object)
{
  SmImportDialog *self = SM_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  sm_file_chooser_close (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_IMPORT_DIALOG);
  g_clear_object (&self->file);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->issues);

  G_OBJECT_CLASS (sm_import_dialog_parent_class)->dispose (object);
}

static void
sm_import_dialog_finalize (GObject *object)
{
  SmImportDialog *self = SM_IMPORT_DIALOG (object);

  /* Kept until here: a run that ends after dispose still announces what it wrote. */
  g_clear_object (&self->store);
  g_clear_object (&self->sync);
  g_clear_pointer (&self->grid_ids, g_ptr_array_unref);
  g_clear_pointer (&self->progress, g_atomic_rc_box_release);
  g_clear_pointer (&self->report, sm_roster_report_free);
  g_free (self->error_message);

  G_OBJECT_CLASS (sm_import_dialog_parent_class)->finalize (object);
}

static void
sm_import_dialog_constructed (GObject *object)
{
  SmImportDialog *self = SM_IMPORT_DIALOG (object);

  G_OBJECT_CLASS (sm_import_dialog_parent_class)->constructed (object);

  load_grids (self);
  update_actions (self);
}

static void
sm_import_dialog_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SmImportDialog *self = SM_IMPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SYNC:
      g_value_set_object (value, self->sync);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_import_dialog_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SmImportDialog *self = SM_IMPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SYNC:
      self->sync = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_import_dialog_class_init (SmImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = sm_import_dialog_constructed;
  object_class->dispose = sm_import_dialog_dispose;
  object_class->finalize = sm_import_dialog_finalize;
  object_class->get_property = sm_import_dialog_get_property;
  object_class->set_property = sm_import_dialog_set_property;
  window_class->close_request = sm_import_dialog_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYNC] =
    g_param_spec_object ("sync", NULL, NULL, SM_TYPE_SYNC,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SmImportDialog:busy:
   *
   * Whether a dry run or an import is running in the worker thread.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SmImportDialog::imported:
   *
   * Emitted after an import wrote (or may have written, when it stopped or failed part
   * way) on the worker's connection: views of the replica should read it again.
   */
  signals[IMPORTED] =
    g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "import.choose", NULL, choose_action_cb);
  gtk_widget_class_install_action (widget_class, "import.check", NULL, check_action_cb);
  gtk_widget_class_install_action (widget_class, "import.import", NULL, import_action_cb);
  gtk_widget_class_install_action (widget_class, "import.cancel", NULL, cancel_action_cb);
  gtk_widget_class_install_action (widget_class, "import.back", NULL, back_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "import.choose", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/sanmen/Sanmen/sm-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SmImportDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, SmImportDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, SmImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, SmImportDialog, file_row);
  gtk_widget_class_bind_template_child (widget_class, SmImportDialog, grid_row);
  gtk_widget_class_bind_template_child (widget_class, SmImportDialog, grid_names);
  gtk_widget_class_bind_template_child (widget_class, SmImportDialog, progress_title);
  gtk_widget_class_bind_template_child (widget_class, SmImportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SmImportDialog, summary_group);
  gtk_widget_class_bind_template_child (widget_class, SmImportDialog, households_row);
  gtk_widget_class_bind_template_child (widget_class, SmImportDialog, residents_row);
  gtk_widget_class_bind_template_child (widget_class, SmImportDialog, places_row);
  gtk_widget_class_bind_template_child (widget_class, SmImportDialog, issues_title);
  gtk_widget_class_bind_template_child (widget_class, SmImportDialog, issues_scroller);
  gtk_widget_class_bind_template_child (widget_class, SmImportDialog, issues_view);
  gtk_widget_class_bind_template_child (widget_class, SmImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, SmImportDialog, done_page);
  gtk_widget_class_bind_template_callback (widget_class, grid_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, issue_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, issue_bind_cb);
}

static void
sm_import_dialog_init (SmImportDialog *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->grid_ids = g_ptr_array_new_with_free_func (g_free);
  self->issues = gtk_string_list_new (NULL);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->issues)));
  gtk_list_view_set_model (self->issues_view, GTK_SELECTION_MODEL (selection));
}

/* ---------------------------------------------------------------- public API */

SmImportDialog *
sm_import_dialog_new (SmStore *store,
                      SmSync  *sync)
{
  g_return_val_if_fail (SM_IS_STORE (store), NULL);
  g_return_val_if_fail (sync == NULL || SM_IS_SYNC (sync), NULL);

  return g_object_new (SM_TYPE_IMPORT_DIALOG, "store", store, "sync", sync, NULL);
}

void
sm_import_dialog_set_file (SmImportDialog *self,
                           GFile          *file)
{
  g_autofree char *name = NULL;

  g_return_if_fail (SM_IS_IMPORT_DIALOG (self));
  g_return_if_fail (file == NULL || G_IS_FILE (file));
  g_return_if_fail (!self->busy);

  g_set_object (&self->file, file);
  g_clear_pointer (&self->report, sm_roster_report_free);
  gtk_string_list_splice (self->issues, 0, g_list_model_get_n_items (G_LIST_MODEL (self->issues)),
                          NULL);

  if (file != NULL)
    name = g_file_get_parse_name (file);
  adw_action_row_set_subtitle (self->file_row, name ? name : _("No file chosen"));

  if (self->grid_ids->len > 0)
    set_error (self, NULL);
  gtk_stack_set_visible_child_name (self->stack, "choose");
  update_actions (self);
}

GFile *
sm_import_dialog_get_file (SmImportDialog *self)
{
  g_return_val_if_fail (SM_IS_IMPORT_DIALOG (self), NULL);

  return self->file;
}

void
sm_import_dialog_set_grid_id (SmImportDialog *self,
                              const char     *grid_id)
{
  g_return_if_fail (SM_IS_IMPORT_DIALOG (self));

  for (guint i = 0; i < self->grid_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->grid_ids, i), grid_id) == 0)
      {
        adw_combo_row_set_selected (self->grid_row, i);
        return;
      }

  g_warning ("No grid %s in the replica", grid_id);
}

const char *
sm_import_dialog_get_grid_id (SmImportDialog *self)
{
  guint selected;

  g_return_val_if_fail (SM_IS_IMPORT_DIALOG (self), NULL);

  selected = adw_combo_row_get_selected (self->grid_row);
  if (selected == GTK_INVALID_LIST_POSITION || selected >= self->grid_ids->len)
    return NULL;

  return g_ptr_array_index (self->grid_ids, selected);
}

const char *
sm_import_dialog_get_page (SmImportDialog *self)
{
  g_return_val_if_fail (SM_IS_IMPORT_DIALOG (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

void
sm_import_dialog_check (SmImportDialog *self)
{
  g_return_if_fail (SM_IS_IMPORT_DIALOG (self));

  start_run (self, TRUE);
}

void
sm_import_dialog_import (SmImportDialog *self)
{
  g_return_if_fail (SM_IS_IMPORT_DIALOG (self));
  g_return_if_fail (self->report != NULL && self->report->dry_run);

  start_run (self, FALSE);
}

void
sm_import_dialog_cancel (SmImportDialog *self)
{
  g_return_if_fail (SM_IS_IMPORT_DIALOG (self));

  if (self->busy)
    {
      gtk_label_set_label (self->progress_title, _("Stopping…"));
      g_cancellable_cancel (self->cancellable);
    }
}

gboolean
sm_import_dialog_get_can_check (SmImportDialog *self)
{
  g_return_val_if_fail (SM_IS_IMPORT_DIALOG (self), FALSE);

  return can_check (self);
}

gboolean
sm_import_dialog_get_can_import (SmImportDialog *self)
{
  g_return_val_if_fail (SM_IS_IMPORT_DIALOG (self), FALSE);

  return can_import (self);
}

gboolean
sm_import_dialog_get_busy (SmImportDialog *self)
{
  g_return_val_if_fail (SM_IS_IMPORT_DIALOG (self), FALSE);

  return self->busy;
}

void
sm_import_dialog_get_progress (SmImportDialog *self,
                               guint          *out_done,
                               guint          *out_total)
{
  g_return_if_fail (SM_IS_IMPORT_DIALOG (self));

  if (out_done != NULL)
    *out_done = self->progress ? (guint) g_atomic_int_get (&self->progress->done) : 0;
  if (out_total != NULL)
    *out_total = self->progress ? (guint) g_atomic_int_get (&self->progress->total) : 0;
}

const SmRosterReport *
sm_import_dialog_get_report (SmImportDialog *self)
{
  g_return_val_if_fail (SM_IS_IMPORT_DIALOG (self), NULL);

  return self->report;
}

GListModel *
sm_import_dialog_get_issue_list (SmImportDialog *self)
{
  g_return_val_if_fail (SM_IS_IMPORT_DIALOG (self), NULL);

  return G_LIST_MODEL (self->issues);
}

const char *
sm_import_dialog_get_error_message (SmImportDialog *self)
{
  g_return_val_if_fail (SM_IS_IMPORT_DIALOG (self), NULL);

  return self->error_message;
}

gboolean
sm_import_dialog_get_stopped (SmImportDialog *self)
{
  g_return_val_if_fail (SM_IS_IMPORT_DIALOG (self), FALSE);

  return self->stopped;
}
