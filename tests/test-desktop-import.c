/* test-desktop-import.c — Import Roster and Export Report in the real window, in zh_CN
 *
 * Needs a display: run it under `xvfb-run -a`. Opens the real window on a replica, opens
 * the dialogs as the main menu does (win.import-roster, win.export-report) and drives
 * them without the native file chooser, through the function its answer calls.
 *
 *   roster   a messy GB18030 roster (the one of test-roster.c): the dry-run page lists
 *            exactly the bad rows, with their lines and columns; Import writes the valid
 *            rows in a worker thread, the progress reaches the end, the households are in
 *            the window's replica with their outbox rows, the sync engine counts them,
 *            and the household list shows them; importing the file again adds nothing.
 *            The report page rendered at 1280×800 and 360×720 is not blank.
 *   cancel   5,000 rows, cancelled part way: whole households only, an intact replica,
 *            and importing again completes the rest.
 *   errors   a file that is not there and one that is not a roster: the dialog says so.
 *   export   the demo community's last month as CSV (starts with the BOM) and XLSX (a zip
 *            file), under the suggested name, with the toast.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "sanmen-core.h"
#include "sm-export-dialog.h"
#include "sm-import-dialog.h"
#include "sm-test-gtk.h"
#include "sm-test-replica.h"
#include "sm-test-roster.h"
#include "sm-test-store.h"
#include "sm-test-util.h"
#include "sm-window.h"

#define GRID            "grid-01"
#define OTHER_GRID      "grid-02"

typedef struct {
  char    *dir;
  SmStore *store;
} Replica;

static void
replica_free (Replica *replica)
{
  g_clear_object (&replica->store);
  if (replica->dir != NULL)
    sm_test_remove_tree (replica->dir);
  g_free (replica->dir);
  g_free (replica);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Replica, replica_free)

/* ---------------------------------------------------------------- the messy roster */

static GFile *
write_file (const char *dir,
            const char *name,
            const char *data,
            gsize       length)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, (gssize) length, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

/* The roster of test-roster.c, whose report is known line by line, in GB18030. */
static GFile *
write_gb18030_roster (const char *dir)
{
  gsize length = 0;
  g_autofree char *data = sm_test_roster_gb18030 (&length);

  return write_file (dir, "花名册.csv", data, length);
}

/* @n_households of two residents each, in buildings of 100 rooms. */
static GFile *
write_large_roster (const char *dir,
                    guint       n_households)
{
  static const char *surnames[] = { "赵", "钱", "孙", "李", "周", "吴", "郑", "王", "冯", "陈" };
  static const char given[] = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力";
  g_autoptr(GString) csv = g_string_new ("户主姓名,姓名,与户主关系,小区,楼栋,单元,房号\r\n");
  glong n_given = g_utf8_strlen (given, -1);

  for (guint h = 0; h < n_households; h++)
    {
      const char *first = g_utf8_offset_to_pointer (given, (h / 10) % n_given);
      const char *second = g_utf8_offset_to_pointer (given, (h / 10 / n_given) % n_given);
      g_autofree char *head = g_strdup_printf ("%s%.*s%.*s", surnames[h % 10],
                                               (int) (g_utf8_next_char (first) - first), first,
                                               (int) (g_utf8_next_char (second) - second), second);
      guint building = h / 100 + 1;
      guint room = 101 + h % 100;

      g_string_append_printf (csv, "%s,%s,户主,阳光小区,%u号楼,1单元,%u\r\n", head, head, building, room);
      g_string_append_printf (csv, "%s,%s之妻,配偶,阳光小区,%u栋,1,%u室\r\n", head, head, building, room);
    }

  return write_file (dir, "large.csv", csv->str, csv->len);
}

/* ---------------------------------------------------------------- the replica */

/* Two grids; in the first, the compound, building 6栋 and one household of 钱多. */
static Replica *
replica_new (void)
{
  Replica *replica = g_new0 (Replica, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  replica->dir = g_dir_make_tmp ("sanmen-import-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (replica->dir, "replica.db", NULL);
  replica->store = sm_store_open (path, &error);
  g_assert_no_error (error);

  sm_test_apply_grid (replica->store, GRID, "和平一网格");
  sm_test_apply_grid (replica->store, OTHER_GRID, "和平二网格");
  g_free (sm_test_roster_add_present (replica->store, GRID, FALSE));

  return replica;
}

/* ---------------------------------------------------------------- waiting */

static gboolean
import_idle (gpointer data)
{
  return !sm_import_dialog_get_busy (SM_IMPORT_DIALOG (data));
}

static gboolean
export_idle (gpointer data)
{
  return !sm_export_dialog_get_busy (SM_EXPORT_DIALOG (data));
}

/* Some rows done: the import is under way (or it ended already). */
static gboolean
import_under_way (gpointer data)
{
  guint done, total;

  sm_import_dialog_get_progress (SM_IMPORT_DIALOG (data), &done, &total);
  return done > 0 || !sm_import_dialog_get_busy (SM_IMPORT_DIALOG (data));
}

/* A window shown keeps its size whatever its default size says: shown again, it takes it. */
static void
resize_window (GtkWindow *window,
               int        width,
               int        height)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (window)))
    gtk_widget_hide (GTK_WIDGET (window));
  sm_test_resize_window (window, width, height);
}

/* ---------------------------------------------------------------- tests */

static SmWindow *
open_window (SmStore *store)
{
  SmWindow *window = sm_window_new (NULL, store);

  resize_window (GTK_WINDOW (window), 1280, 800);
  /* The office's dialogs: a replica that never signed in is its own office (see
   * sm-window.c), so they open; a worker's do not. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.import-roster", NULL);
  {
    GtkWindow *dialog = sm_test_find_toplevel (SM_TYPE_IMPORT_DIALOG);

    g_assert_nonnull (dialog);
    gtk_window_destroy (dialog);
  }
  sm_window_set_role (window, "worker");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.import-roster", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.export-report", NULL);
  g_assert_null (sm_test_find_toplevel (SM_TYPE_IMPORT_DIALOG));
  g_assert_null (sm_test_find_toplevel (SM_TYPE_EXPORT_DIALOG));
  sm_window_set_role (window, "office");

  return window;
}

static SmImportDialog *
open_import_dialog (SmWindow *window)
{
  SmImportDialog *dialog;

  /* Ctrl+I, the main menu's Import Roster… */
  sm_test_press_shortcut (GTK_WIDGET (window), "<Control>i");
  dialog = SM_IMPORT_DIALOG (sm_test_find_toplevel (SM_TYPE_IMPORT_DIALOG));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  sm_test_wait_for (sm_test_widget_laid_out, dialog, "the import dialog");
  g_assert_cmpstr (sm_import_dialog_get_page (dialog), ==, "choose");

  return dialog;
}

static void
run_and_wait (SmImportDialog *dialog,
              gboolean        dry_run)
{
  if (dry_run)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.check", NULL));
  else
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.import", NULL));
  /* Off the UI thread: the call returned at once, the progress page shows. */
  g_assert_true (sm_import_dialog_get_busy (dialog));
  g_assert_cmpstr (sm_import_dialog_get_page (dialog), ==, "progress");
  sm_test_wait_for (import_idle, dialog, dry_run ? "the dry run" : "the import");
  g_assert_null (sm_import_dialog_get_error_message (dialog));
}

static gboolean
household_listed (SmHouseholdList *list,
                  const char      *room,
                  const char      *address_part)
{
  GListModel *model = sm_household_list_get_model (list);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SmRecord) household = g_list_model_get_item (model, i);
      const char *address = sm_record_get_string (household, "address");

      if (g_strcmp0 (sm_record_get_string (household, "room"), room) == 0 &&
          address != NULL && strstr (address, address_part) != NULL)
        return TRUE;
    }

  return FALSE;
}

static void
imported_cb (SmImportDialog *dialog,
             guint          *count)
{
  (*count)++;
}

static void
test_roster (void)
{
  g_autoptr(Replica) replica = replica_new ();
  g_autoptr(GFile) file = write_gb18030_roster (replica->dir);
  g_autoptr(SmSync) sync = sm_sync_new (replica->store, "http://127.0.0.1:9");
  g_autoptr(GError) error = NULL;
  SmWindow *window = open_window (replica->store);
  SmHouseholdList *list = sm_window_get_household_list (window);
  SmImportDialog *dialog;
  const SmRosterReport *report;
  GListModel *issues;
  gint64 households = sm_test_count (replica->store, "household");
  gint64 residents = sm_test_count (replica->store, "resident");
  gint64 outbox = sm_test_outbox_count (replica->store);
  guint done, total;
  guint imported = 0;

  sm_window_set_sync (window, sync);
  sm_window_show_page (window, "households");
  sm_household_list_set_grid_id (list, GRID);
  g_assert_cmpuint (g_list_model_get_n_items (sm_household_list_get_model (list)), ==, 1);

  dialog = open_import_dialog (window);
  g_signal_connect (dialog, "imported", G_CALLBACK (imported_cb), &imported);
  /* Nothing to check before a file is chosen. */
  g_assert_false (sm_import_dialog_get_can_check (dialog));
  sm_import_dialog_set_file (dialog, file);
  sm_import_dialog_set_grid_id (dialog, GRID);
  g_assert_cmpstr (sm_import_dialog_get_grid_id (dialog), ==, GRID);

  /* The dry run: the report page with every bad row, nothing written. */
  run_and_wait (dialog, TRUE);
  g_assert_cmpstr (sm_import_dialog_get_page (dialog), ==, "report");
  report = sm_import_dialog_get_report (dialog);
  g_assert_nonnull (report);
  g_assert_true (report->dry_run);
  g_assert_cmpstr (report->encoding, ==, "GB18030");
  g_assert_cmpuint (report->n_rows, ==, 15);
  g_assert_cmpuint (report->n_bad_rows, ==, 10);
  g_assert_cmpuint (report->households_added, ==, 2);
  g_assert_cmpuint (report->households_unchanged, ==, 1);
  g_assert_cmpuint (report->residents_added, ==, 4);
  g_assert_cmpuint (report->residents_unchanged, ==, 1);
  g_assert_cmpuint (report->buildings_added, ==, 2);

  issues = sm_import_dialog_get_issue_list (dialog);
  g_assert_cmpuint (g_list_model_get_n_items (issues), ==, sm_test_roster_n_issues);
  for (guint i = 0; i < sm_test_roster_n_issues; i++)
    {
      g_autoptr(GtkStringObject) heading = g_list_model_get_item (issues, i);
      g_autofree char *expected = NULL;

      if (sm_test_roster_issues[i].column != NULL)
        expected = g_strdup_printf (_("Line %u · %s"), sm_test_roster_issues[i].line, sm_test_roster_issues[i].column);
      else
        expected = g_strdup_printf (_("Line %u"), sm_test_roster_issues[i].line);
      g_test_message ("%s", gtk_string_object_get_string (heading));
      g_assert_cmpstr (gtk_string_object_get_string (heading), ==, expected);
    }
  g_assert_cmpint (sm_test_count (replica->store, "household"), ==, households);
  g_assert_cmpint (sm_test_outbox_count (replica->store), ==, outbox);
  g_assert_cmpuint (imported, ==, 0);

  /* The report page as people see it, wide and narrow. */
  resize_window (GTK_WINDOW (dialog), 1280, 800);
  sm_test_render_to_png (GTK_WIDGET (dialog), "import-report-zh_CN-1280x800.png");
  resize_window (GTK_WINDOW (dialog), 360, 720);
  sm_test_render_to_png (GTK_WIDGET (dialog), "import-report-zh_CN-360x720.png");
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (dialog)), ==, 360);

  /* Import: the valid rows only, in the worker thread, to the end. */
  run_and_wait (dialog, FALSE);
  g_assert_cmpstr (sm_import_dialog_get_page (dialog), ==, "done");
  g_assert_false (sm_import_dialog_get_stopped (dialog));
  sm_import_dialog_get_progress (dialog, &done, &total);
  g_assert_cmpuint (total, ==, 15);
  g_assert_cmpuint (done, ==, total);
  report = sm_import_dialog_get_report (dialog);
  g_assert_false (report->dry_run);
  g_assert_cmpuint (report->households_added, ==, 2);
  g_assert_cmpuint (report->residents_added, ==, 4);
  g_assert_cmpuint (imported, ==, 1);

  /* In the window's replica, with outbox rows the sync engine was told about. */
  g_assert_cmpint (sm_test_count (replica->store, "household"), ==, households + 2);
  g_assert_cmpint (sm_test_count (replica->store, "resident"), ==, residents + 4);
  /* One outbox row per field written. */
  g_assert_cmpuint (report->n_writes, >, 6);
  g_assert_cmpint (sm_test_outbox_count (replica->store), ==, outbox + report->n_writes);
  g_assert_cmpuint (sm_sync_get_pending (sync), ==, (guint) sm_test_outbox_count (replica->store));
  g_assert_true (sm_store_check_integrity (replica->store, &error));
  g_assert_no_error (error);

  /* The household list read the replica again. */
  g_assert_cmpuint (g_list_model_get_n_items (sm_household_list_get_model (list)), ==, 3);
  g_assert_true (household_listed (list, "301", "3"));
  g_assert_true (household_listed (list, "101", "1"));

  sm_test_destroy_window ((dialog));

  /* Again: the dry run finds everything present, and Import has nothing to do. */
  outbox = sm_test_outbox_count (replica->store);
  dialog = open_import_dialog (window);
  sm_import_dialog_set_file (dialog, file);
  sm_import_dialog_set_grid_id (dialog, GRID);
  run_and_wait (dialog, TRUE);
  report = sm_import_dialog_get_report (dialog);
  g_assert_cmpuint (report->households_added, ==, 0);
  g_assert_cmpuint (report->households_unchanged, ==, 3);
  g_assert_cmpuint (report->residents_added, ==, 0);
  g_assert_cmpuint (report->buildings_added, ==, 0);
  g_assert_false (sm_import_dialog_get_can_import (dialog));
  g_assert_cmpstr (sm_import_dialog_get_page (dialog), ==, "report");
  g_assert_cmpint (sm_test_count (replica->store, "household"), ==, households + 2);
  g_assert_cmpint (sm_test_outbox_count (replica->store), ==, outbox);

  sm_test_destroy_window ((dialog));
  sm_test_destroy_window ((window));
}

/* Every household of the large roster present has both its residents. */
static void
assert_whole_households (SmStore *store,
                         guint   *out_households)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) households = sm_store_list_households (store, GRID, NULL, 0, G_MAXUINT, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < households->len; i++)
    {
      SmRecord *household = g_ptr_array_index (households, i);
      g_autoptr(GPtrArray) residents = sm_store_list_residents (store, sm_record_get_id (household), &error);
      const char *address = sm_record_get_string (household, "address");

      g_assert_no_error (error);
      if (address == NULL || strstr (address, "阳光小区") == NULL)
        continue;
      g_assert_cmpuint (residents->len, ==, 2);
      n++;
    }

  *out_households = n;
}

typedef struct {
  gint64 last;
  gint64 longest;
} Gaps;

static gboolean
gap_cb (gpointer data)
{
  Gaps *gaps = data;
  gint64 now = g_get_monotonic_time ();

  gaps->longest = MAX (gaps->longest, now - gaps->last);
  gaps->last = now;
  return G_SOURCE_CONTINUE;
}

static void
test_cancel (void)
{
  g_autoptr(Replica) replica = replica_new ();
  g_autoptr(GFile) file = write_large_roster (replica->dir, 2500);
  g_autoptr(GError) error = NULL;
  SmWindow *window = open_window (replica->store);
  SmImportDialog *dialog = open_import_dialog (window);
  const SmRosterReport *report;
  guint done, total, n_households, previous;
  gint64 residents = sm_test_count (replica->store, "resident");

  sm_import_dialog_set_file (dialog, file);
  sm_import_dialog_set_grid_id (dialog, GRID);
  run_and_wait (dialog, TRUE);
  report = sm_import_dialog_get_report (dialog);
  g_assert_cmpuint (report->n_rows, ==, 5000);
  g_assert_cmpuint (report->n_bad_rows, ==, 0);
  g_assert_cmpuint (report->households_added, ==, 2500);
  g_assert_cmpuint (report->residents_added, ==, 5000);

  /* Import, and cancel once some rows are done. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.import", NULL));
  g_assert_true (sm_import_dialog_get_busy (dialog));
  sm_test_wait_for (import_under_way, dialog, "the import to start");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.cancel", NULL));
  sm_test_wait_for (import_idle, dialog, "the import to stop");
  sm_import_dialog_get_progress (dialog, &done, &total);
  g_test_message ("cancelled at %u of %u rows", done, total);
  g_assert_cmpuint (total, ==, 5000);
  g_assert_true (sm_import_dialog_get_stopped (dialog));
  g_assert_cmpstr (sm_import_dialog_get_page (dialog), ==, "done");
  g_assert_null (sm_import_dialog_get_error_message (dialog));

  /* Part of it, in whole households, and a sound replica. */
  g_assert_true (sm_store_check_integrity (replica->store, &error));
  g_assert_no_error (error);
  assert_whole_households (replica->store, &n_households);
  g_test_message ("%u households imported before it stopped", n_households);
  g_assert_cmpuint (n_households, <, 2500);
  g_assert_cmpint (sm_test_count (replica->store, "resident"), ==, residents + 2 * n_households);
  sm_test_destroy_window ((dialog));

  /* Closing the window while it imports stops it too; the window goes once the thread has
   * stopped, and the household list shows what was written. */
  dialog = open_import_dialog (window);
  sm_import_dialog_set_file (dialog, file);
  sm_import_dialog_set_grid_id (dialog, GRID);
  run_and_wait (dialog, TRUE);
  sm_window_show_page (window, "households");
  sm_household_list_set_grid_id (sm_window_get_household_list (window), GRID);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.import", NULL));
  sm_test_wait_for (import_under_way, dialog, "the import to start");
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  gtk_window_close (GTK_WINDOW (dialog));
  sm_test_wait_for (sm_test_is_null, &dialog, "the import window to close");
  g_assert_true (sm_store_check_integrity (replica->store, &error));
  g_assert_no_error (error);
  previous = n_households;
  assert_whole_households (replica->store, &n_households);
  g_test_message ("%u households imported before it was closed", n_households);
  g_assert_cmpuint (n_households, >, previous);
  g_assert_cmpuint (n_households, <, 2500);
  g_assert_cmpint (g_list_model_get_n_items (sm_household_list_get_model (sm_window_get_household_list (window))),
                   ==, sm_test_count (replica->store, "household"));

  /* Importing again completes the rest. */
  dialog = open_import_dialog (window);
  sm_import_dialog_set_file (dialog, file);
  sm_import_dialog_set_grid_id (dialog, GRID);
  run_and_wait (dialog, TRUE);
  report = sm_import_dialog_get_report (dialog);
  g_assert_cmpuint (report->households_added, ==, 2500 - n_households);
  g_assert_cmpuint (report->households_unchanged, ==, n_households);
  {
    /* The UI thread keeps running while the worker writes. */
    Gaps gaps = { g_get_monotonic_time (), 0 };
    guint to_add = report->households_added;
    guint id = g_timeout_add (5, gap_cb, &gaps);
    gint64 start = g_get_monotonic_time ();

    run_and_wait (dialog, FALSE);
    g_source_remove (id);
    g_test_message ("imported %u households in %.0f ms; the UI thread waited at most %.0f ms",
                    to_add, (g_get_monotonic_time () - start) / 1000.0,
                    gaps.longest / 1000.0);
    g_assert_cmpint (gaps.longest, <, G_USEC_PER_SEC);
  }
  g_assert_false (sm_import_dialog_get_stopped (dialog));
  assert_whole_households (replica->store, &n_households);
  g_assert_cmpuint (n_households, ==, 2500);
  g_assert_cmpint (sm_test_count (replica->store, "resident"), ==, residents + 5000);
  g_assert_true (sm_store_check_integrity (replica->store, &error));
  g_assert_no_error (error);

  sm_test_destroy_window ((dialog));
  sm_test_destroy_window ((window));
}

static void
test_errors (void)
{
  g_autoptr(Replica) replica = replica_new ();
  g_autofree char *missing_path = g_build_filename (replica->dir, "missing.csv", NULL);
  g_autoptr(GFile) missing = g_file_new_for_path (missing_path);
  g_autoptr(GFile) not_roster = write_file (replica->dir, "notes.csv", "日期,事项\r\n2026-11-01,开会\r\n", strlen ("日期,事项\r\n2026-11-01,开会\r\n"));
  SmWindow *window = open_window (replica->store);
  SmImportDialog *dialog = open_import_dialog (window);

  /* A file that is not there: said on the first page. */
  sm_import_dialog_set_file (dialog, missing);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.check", NULL));
  sm_test_wait_for (import_idle, dialog, "the dry run");
  g_assert_cmpstr (sm_import_dialog_get_page (dialog), ==, "choose");
  g_assert_nonnull (sm_import_dialog_get_error_message (dialog));
  g_test_message ("%s", sm_import_dialog_get_error_message (dialog));
  g_assert_null (sm_import_dialog_get_report (dialog));

  /* A CSV file without the roster's columns: the importer's reason. */
  sm_import_dialog_set_file (dialog, not_roster);
  g_assert_null (sm_import_dialog_get_error_message (dialog));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.check", NULL));
  sm_test_wait_for (import_idle, dialog, "the dry run");
  g_assert_cmpstr (sm_import_dialog_get_page (dialog), ==, "choose");
  g_assert_nonnull (sm_import_dialog_get_error_message (dialog));
  g_test_message ("%s", sm_import_dialog_get_error_message (dialog));
  g_assert_nonnull (strstr (sm_import_dialog_get_error_message (dialog), "小区"));

  sm_test_destroy_window ((dialog));
  sm_test_destroy_window ((window));
}

static void
test_export (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SmTestReplica) replica = sm_test_replica_new ("export", 300, 1, 0);
  SmWindow *window;
  SmExportDialog *dialog;
  static const struct {
    SmReportFormat format;
    SmReportKinds  kinds;
    const char    *magic;
    gsize          magic_length;
  } cases[] = {
    { SM_REPORT_FORMAT_CSV, SM_REPORT_ALL, "\xEF\xBB\xBF", 3 },
    { SM_REPORT_FORMAT_XLSX, SM_REPORT_ALL, "PK\x03\x04", 4 },
    { SM_REPORT_FORMAT_CSV, SM_REPORT_DEMANDS, "\xEF\xBB\xBF", 3 },
    { SM_REPORT_FORMAT_XLSX, SM_REPORT_VISITS, "PK\x03\x04", 4 },
  };

  window = open_window (replica->store);
  /* Ctrl+Shift+E, the main menu's Export Report… */
  sm_test_press_shortcut (GTK_WIDGET (window), "<Control><Shift>e");
  dialog = SM_EXPORT_DIALOG (sm_test_find_toplevel (SM_TYPE_EXPORT_DIALOG));
  sm_test_wait_for (sm_test_widget_laid_out, dialog, "the export dialog");

  /* Last month by default: the one an office reports on. */
  {
    g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("+08:00");
    g_autoptr(GDateTime) now = g_date_time_new_now (zone);
    g_autoptr(GDateTime) first = g_date_time_new (zone, g_date_time_get_year (now),
                                                  g_date_time_get_month (now), 1, 0, 0, 0);
    g_autoptr(GDateTime) last = g_date_time_add_months (first, -1);
    g_autofree char *month = g_date_time_format (last, "%Y-%m");

    g_assert_cmpstr (sm_export_dialog_get_month (dialog), ==, month);
  }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *expected_name = NULL;
      g_autofree char *report_path = NULL;
      g_autofree char *contents = NULL;
      g_autoptr(GFile) file = NULL;
      gsize length = 0;
      const char *report;

      sm_export_dialog_set_format (dialog, cases[i].format);
      sm_export_dialog_set_kinds (dialog, cases[i].kinds);
      report = cases[i].kinds == SM_REPORT_ALL ? _("Monthly Report")
               : cases[i].kinds == SM_REPORT_VISITS ? _("Visit Report") : _("Demand Ledger");
      expected_name = g_strdup_printf ("%s-%s.%s", report, sm_export_dialog_get_month (dialog),
                                       cases[i].format == SM_REPORT_FORMAT_XLSX ? "xlsx" : "csv");
      name = sm_export_dialog_dup_suggested_name (dialog);
      g_assert_cmpstr (name, ==, expected_name);

      report_path = g_build_filename (replica->dir, name, NULL);
      file = g_file_new_for_path (report_path);
      sm_export_dialog_export_to (dialog, file);
      g_assert_true (sm_export_dialog_get_busy (dialog));
      sm_test_wait_for (export_idle, dialog, "the export");
      g_assert_null (sm_export_dialog_get_error_message (dialog));
      g_assert_true (g_file_equal (sm_export_dialog_get_exported_file (dialog), file));

      g_file_get_contents (report_path, &contents, &length, &error);
      g_assert_no_error (error);
      g_test_message ("%s: %" G_GSIZE_FORMAT " bytes", name, length);
      g_assert_cmpuint (length, >, 200);
      g_assert_cmpmem (contents, cases[i].magic_length, cases[i].magic, cases[i].magic_length);
    }

  /* The toast says where, as people see it; the window fits a phone's width. */
  resize_window (GTK_WINDOW (dialog), 360, 720);
  sm_test_render_to_png (GTK_WIDGET (dialog), "export-zh_CN-360x720.png");

  /* A folder that cannot be written: said in the dialog. */
  {
    g_autofree char *bad_path = g_build_filename (replica->dir, "no-such-folder", "report.csv", NULL);
    g_autoptr(GFile) bad = g_file_new_for_path (bad_path);

    sm_export_dialog_export_to (dialog, bad);
    sm_test_wait_for (export_idle, dialog, "the failed export");
    g_assert_nonnull (sm_export_dialog_get_error_message (dialog));
    g_test_message ("%s", sm_export_dialog_get_error_message (dialog));
  }

  sm_test_destroy_window ((dialog));
  sm_test_destroy_window ((window));
}

int
main (int   argc,
      char *argv[])
{
  /* The client in Simplified Chinese, from the build tree's catalog. */
  if (!sm_test_init_zh_CN (&argc, &argv))
    return 1;
  /* A large roster on a busy machine. */
  sm_test_set_wait_timeout (120);

  g_test_add_func ("/desktop/import/roster", test_roster);
  g_test_add_func ("/desktop/import/cancel", test_cancel);
  g_test_add_func ("/desktop/import/errors", test_errors);
  g_test_add_func ("/desktop/import/export", test_export);

  return g_test_run ();
}
