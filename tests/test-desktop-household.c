/* test-desktop-household.c — adding and editing households and residents in the real
 * window, in Simplified Chinese
 *
 * Needs a display: run it under `xvfb-run -a`. It opens a demo replica (sm_demo_populate_store)
 * in a temporary folder and shows the real window with the zh_CN catalog of the build
 * tree. Through the window it adds a household (Ctrl+N's action on the list), adds a
 * resident on its page, sees a bad ID number refused beside the field with Save disabled
 * and nothing typed lost, edits the resident, reveals and re-masks their numbers, moves
 * them out, shows their credit points, edits the household, and checks each write in the
 * store — including that an edit writes only the fields that changed. It renders the
 * resident dialog and the household page at 1280×800 and 360×720 to PNG files in the
 * build folder and checks they are not blank.
 *
 * It also browses a grid building by building with the chooser under the search entry:
 * the list shows exactly what the store lists for the building, a reload keeps the
 * building while it exists, another grid starts from all its buildings, a search still
 * looks everywhere and says where each hit is, and both choosers fit at 360 px. Run with
 * `-m perf` it times a building's page reads at 100,000 households.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <sqlite3.h>
#include <string.h>

#include "sanmen-core.h"
#include "sm-credit-dialog.h"
#include "sm-household-dialog.h"
#include "sm-household-list.h"
#include "sm-household-model.h"
#include "sm-household-page.h"
#include "sm-household-row.h"
#include "sm-resident-dialog.h"
#include "sm-resident-row.h"
#include "sm-date.h"
#include "sm-test-gtk.h"
#include "sm-test-replica.h"
#include "sm-window.h"

/* ---------------------------------------------------------------- waiting on the window */

/* Activates @action on @dialog (what its button or shortcut does) and waits for it to
 * close, as a save that works does. */
static void
activate_and_wait_closed (GtkWidget  *dialog,
                          const char *action)
{
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_true (gtk_widget_activate_action (dialog, action, NULL));
  while (dialog != NULL)
    g_main_context_iteration (NULL, FALSE);
}

/* ---------------------------------------------------------------- finding widgets */

static SmResidentRow *
find_resident_row (SmHouseholdPage *page,
                   const char      *resident_id)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  sm_test_collect_widgets (GTK_WIDGET (page), SM_TYPE_RESIDENT_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (sm_record_get_id (sm_resident_row_get_resident (rows->pdata[i])), resident_id))
      return rows->pdata[i];

  return NULL;
}

/* The button of @window that activates @action. */
static GtkWidget *
find_action_button (GtkWidget  *window,
                    const char *action)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  sm_test_collect_widgets (window, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_actionable_get_action_name (buttons->pdata[i]), action) == 0)
      return buttons->pdata[i];

  return NULL;
}

static SmRecord *
get_record (SmStore    *store,
            const char *table,
            const char *id)
{
  g_autoptr(GError) error = NULL;
  SmRecord *record = sm_store_get (store, table, id, &error);

  g_assert_no_error (error);

  return record;
}

static gboolean
has_han (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_HAN)
      return TRUE;

  return FALSE;
}

/* An 18-character ID number with a right check character. */
static char *
make_id_number (const char *digits17)
{
  return g_strdup_printf ("%s%c", digits17, sm_validate_id_check_char (digits17));
}

/* ---------------------------------------------------------------- the test */

static void
test_households_and_residents (void)
{
  g_autoptr(SmTestReplica) replica = sm_test_replica_new ("household", 400, 4, 0);
  g_autoptr(GPtrArray) compounds = NULL;
  g_autoptr(GPtrArray) buildings = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SmRecord) household = NULL;
  g_autoptr(SmRecord) resident = NULL;
  g_autoptr(SmRecord) edited = NULL;
  g_autofree char *household_id = NULL;
  g_autofree char *resident_id = NULL;
  g_autofree char *expected_address = NULL;
  g_autofree char *good_id = make_id_number ("11010519491231002");
  g_autofree char *bad_id = NULL;
  g_autofree char *today = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  SmHlc name_hlc, unit_hlc;
  SmRecord *compound = NULL, *building = NULL;
  SmHouseholdDialog *household_dialog;
  SmResidentDialog *resident_dialog;
  SmHouseholdList *list;
  SmHouseholdPage *page;
  SmResidentRow *row;
  SmWindow *window;
  GtkWidget *save_button;
  const char *message;

  today = g_date_time_format (now, "%Y-%m-%d");
  /* The same number with its check character off by one. */
  bad_id = g_strdup (good_id);
  bad_id[17] = good_id[17] == '0' ? '1' : (good_id[17] == 'X' ? '0' : good_id[17] == '9' ? 'X' : good_id[17] + 1);

  /* A compound of the grid that has buildings with addresses. */
  compounds = sm_store_list_compounds (replica->store, replica->grid_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (compounds->len, >, 0);
  for (guint i = 0; i < compounds->len && building == NULL; i++)
    {
      g_clear_pointer (&buildings, g_ptr_array_unref);
      buildings = sm_store_list_buildings (replica->store, sm_record_get_id (compounds->pdata[i]), &error);
      g_assert_no_error (error);
      if (buildings->len > 0 && sm_record_get_string (buildings->pdata[0], "address"))
        {
          compound = compounds->pdata[i];
          building = buildings->pdata[buildings->len - 1];
        }
    }
  g_assert_nonnull (building);

  window = sm_window_new (NULL, replica->store);
  /* The window opens on Today; households are the second page. */
  sm_window_show_page (window, "households");
  sm_test_resize_window (GTK_WINDOW (window), 1280, 800);
  list = sm_window_get_household_list (window);
  page = sm_window_get_household_page (window);
  sm_household_list_set_grid_id (list, replica->grid_id);

  /* ---- Add a household: the list's Add (Ctrl+N). */
  sm_test_wait_for (sm_test_widget_laid_out, list, "the household list");
  sm_test_press_shortcut (GTK_WIDGET (list), "<Control>n");
  household_dialog = SM_HOUSEHOLD_DIALOG (sm_test_find_toplevel (SM_TYPE_HOUSEHOLD_DIALOG));
  g_assert_nonnull (household_dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (household_dialog)) == GTK_WINDOW (window));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (household_dialog)));
  /* Nothing typed yet: no address, so no saving, and no error shouted either. */
  g_assert_false (sm_household_dialog_get_can_save (household_dialog));
  g_assert_null (sm_household_dialog_get_field_error (household_dialog, "address"));

  g_assert_true (sm_household_dialog_select_compound (household_dialog, sm_record_get_id (compound)));
  g_assert_true (sm_household_dialog_select_building (household_dialog, sm_record_get_id (building)));
  gtk_editable_set_text (sm_household_dialog_get_entry (household_dialog, "unit"), "3");
  gtk_editable_set_text (sm_household_dialog_get_entry (household_dialog, "room"), "1002");
  /* The address is composed as the community writes it. */
  expected_address = g_strdup_printf ("%s 3单元 1002", sm_record_get_string (building, "address"));
  g_assert_cmpstr (gtk_editable_get_text (sm_household_dialog_get_entry (household_dialog, "address")), ==,
                   expected_address);
  g_assert_true (sm_household_dialog_get_can_save (household_dialog));

  /* A bad phone is refused beside its field, in Chinese, and Save is disabled. */
  gtk_editable_set_text (sm_household_dialog_get_entry (household_dialog, "phone"), "1234");
  message = sm_household_dialog_get_field_error (household_dialog, "phone");
  g_assert_nonnull (message);
  g_assert_true (has_han (message));
  g_assert_false (sm_household_dialog_get_can_save (household_dialog));
  g_assert_false (gtk_widget_get_sensitive (find_action_button (GTK_WIDGET (household_dialog), "household.save")));
  g_assert_false (sm_household_dialog_save (household_dialog));
  g_assert_cmpstr (gtk_editable_get_text (sm_household_dialog_get_entry (household_dialog, "phone")), ==, "1234");

  /* Full-width digits from a Chinese input method are fine. */
  gtk_editable_set_text (sm_household_dialog_get_entry (household_dialog, "phone"), "１３８ 1234 5678");
  g_assert_null (sm_household_dialog_get_field_error (household_dialog, "phone"));
  gtk_editable_set_text (sm_household_dialog_get_entry (household_dialog, "moved_in"), "2026-11-01");
  sm_household_dialog_set_tenure (household_dialog, "new");
  sm_household_dialog_set_tag (household_dialog, "tag_elderly_alone", TRUE);
  gtk_editable_set_text (sm_household_dialog_get_entry (household_dialog, "notes"), "新搬来的独居老人");
  g_assert_true (sm_household_dialog_get_can_save (household_dialog));
  g_assert_true (gtk_widget_get_sensitive (find_action_button (GTK_WIDGET (household_dialog), "household.save")));

  sm_test_resize_window (GTK_WINDOW (household_dialog), 360, 720);
  sm_test_wait_for_frame (GTK_WIDGET (household_dialog));
  sm_test_render_to_png (GTK_WIDGET (household_dialog), "household-dialog-zh_CN-360x720.png");

  activate_and_wait_closed (GTK_WIDGET (household_dialog), "household.save");

  /* The window opened the new household's page; the store holds what was typed. */
  g_assert_true (sm_window_get_household_shown (window));
  household_id = g_strdup (sm_household_page_get_household_id (page));
  g_assert_nonnull (household_id);
  household = get_record (replica->store, "household", household_id);
  g_assert_cmpstr (sm_record_get_grid_id (household), ==, replica->grid_id);
  g_assert_cmpstr (sm_record_get_string (household, "building_id"), ==, sm_record_get_id (building));
  g_assert_cmpstr (sm_record_get_string (household, "unit"), ==, "3");
  g_assert_cmpstr (sm_record_get_string (household, "room"), ==, "1002");
  g_assert_cmpstr (sm_record_get_string (household, "address"), ==, expected_address);
  g_assert_cmpstr (sm_record_get_string (household, "tenure"), ==, "new");
  g_assert_cmpstr (sm_record_get_string (household, "moved_in"), ==, "2026-11-01");
  g_assert_cmpstr (sm_record_get_string (household, "phone"), ==, "13812345678");
  g_assert_cmpstr (sm_record_get_string (household, "notes"), ==, "新搬来的独居老人");
  g_assert_true (sm_record_get_bool (household, "tag_elderly_alone"));
  g_assert_null (sm_record_get_value (household, "tag_low_income"));
  g_assert_cmpstr (sm_household_page_get_title (page), ==, expected_address);
  /* …and the list counts it. */
  g_assert_cmpint (g_list_model_get_n_items (sm_household_list_get_model (list)), ==,
                   sm_store_count_households (replica->store, replica->grid_id, NULL, NULL));

  /* ---- Add a resident on its page (Ctrl+N there). */
  sm_test_wait_for (sm_test_widget_laid_out, page, "the new household's page");
  sm_test_press_shortcut (GTK_WIDGET (page), "<Control>n");
  resident_dialog = SM_RESIDENT_DIALOG (sm_test_find_toplevel (SM_TYPE_RESIDENT_DIALOG));
  g_assert_nonnull (resident_dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (resident_dialog)) == GTK_WINDOW (window));
  save_button = find_action_button (GTK_WIDGET (resident_dialog), "resident.save");
  g_assert_nonnull (save_button);
  g_assert_false (sm_resident_dialog_get_can_save (resident_dialog));

  gtk_editable_set_text (sm_resident_dialog_get_entry (resident_dialog, "name"), "张秀英");
  g_assert_true (sm_resident_dialog_get_can_save (resident_dialog));
  g_assert_cmpstr (sm_resident_dialog_get_enum (resident_dialog, "id_type"), ==, "cn_id");

  /* A mistyped ID number: refused beside the field as it is typed, in the user's
   * language, with Save disabled; saving anyway writes nothing and loses nothing. */
  gtk_editable_set_text (sm_resident_dialog_get_entry (resident_dialog, "id_number"), bad_id);
  message = sm_resident_dialog_get_field_error (resident_dialog, "id_number");
  g_assert_nonnull (message);
  g_test_message ("bad ID number refused with: %s", message);
  g_assert_nonnull (strstr (message, g_dgettext (GETTEXT_PACKAGE,
                                                 "the last character of the ID number does not match the "
                                                 "others: a digit is probably mistyped")));
  g_assert_true (has_han (message));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (sm_resident_dialog_get_entry (resident_dialog, "id_number")),
                                           "error"));
  g_assert_false (sm_resident_dialog_get_can_save (resident_dialog));
  g_assert_false (gtk_widget_get_sensitive (save_button));
  sm_test_resize_window (GTK_WINDOW (resident_dialog), 360, 720);
  sm_test_wait_for_frame (GTK_WIDGET (resident_dialog));
  sm_test_render_to_png (GTK_WIDGET (resident_dialog), "resident-dialog-zh_CN-invalid-360x720.png");
  g_assert_false (sm_resident_dialog_save (resident_dialog));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (resident_dialog)));
  g_assert_cmpstr (gtk_editable_get_text (sm_resident_dialog_get_entry (resident_dialog, "name")), ==, "张秀英");
  g_assert_cmpstr (gtk_editable_get_text (sm_resident_dialog_get_entry (resident_dialog, "id_number")), ==, bad_id);
  {
    g_autoptr(GPtrArray) none = sm_store_list_residents (replica->store, household_id, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (none->len, ==, 0);
  }

  /* The number corrected: the birth date and gender it encodes fill themselves in. */
  gtk_editable_set_text (sm_resident_dialog_get_entry (resident_dialog, "id_number"), good_id);
  g_assert_null (sm_resident_dialog_get_field_error (resident_dialog, "id_number"));
  g_assert_cmpstr (gtk_editable_get_text (sm_resident_dialog_get_entry (resident_dialog, "birth_date")), ==,
                   "1949-12-31");
  g_assert_cmpstr (sm_resident_dialog_get_enum (resident_dialog, "gender"), ==, "female");
  /* A birth date that disagrees with the number is refused too. */
  gtk_editable_set_text (sm_resident_dialog_get_entry (resident_dialog, "birth_date"), "1950-01-01");
  g_assert_nonnull (sm_resident_dialog_get_field_error (resident_dialog, "id_number"));
  g_assert_false (sm_resident_dialog_get_can_save (resident_dialog));
  gtk_editable_set_text (sm_resident_dialog_get_entry (resident_dialog, "birth_date"), "1949-12-31");
  g_assert_true (sm_resident_dialog_get_can_save (resident_dialog));

  gtk_editable_set_text (sm_resident_dialog_get_entry (resident_dialog, "phone"), "139 0000 1111");
  sm_resident_dialog_set_enum (resident_dialog, "relation", "self");
  gtk_editable_set_text (sm_resident_dialog_get_entry (resident_dialog, "ethnicity"), "汉族");
  sm_resident_dialog_set_flag (resident_dialog, "party_member", TRUE);
  sm_resident_dialog_set_flag (resident_dialog, "tag_elderly_alone", TRUE);
  gtk_editable_set_text (sm_resident_dialog_get_entry (resident_dialog, "moved_in"), "2026-11-01");
  gtk_editable_set_text (sm_resident_dialog_get_entry (resident_dialog, "notes"), "腿脚不便，住十楼");
  g_assert_true (gtk_widget_get_sensitive (save_button));

  /* The dialog in Chinese, at desktop and at phone size. */
  sm_test_resize_window (GTK_WINDOW (resident_dialog), 1280, 800);
  sm_test_wait_for_frame (GTK_WIDGET (resident_dialog));
  sm_test_render_to_png (GTK_WIDGET (resident_dialog), "resident-dialog-zh_CN-1280x800.png");
  sm_test_resize_window (GTK_WINDOW (resident_dialog), 360, 720);
  sm_test_wait_for_frame (GTK_WIDGET (resident_dialog));
  sm_test_render_to_png (GTK_WIDGET (resident_dialog), "resident-dialog-zh_CN-360x720.png");

  activate_and_wait_closed (GTK_WIDGET (resident_dialog), "resident.save");
  {
    g_autoptr(GPtrArray) residents = sm_store_list_residents (replica->store, household_id, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (residents->len, ==, 1);
    resident = g_object_ref (residents->pdata[0]);
  }
  resident_id = g_strdup (sm_record_get_id (resident));
  g_assert_cmpstr (sm_record_get_grid_id (resident), ==, replica->grid_id);
  g_assert_cmpstr (sm_record_get_string (resident, "household_id"), ==, household_id);
  g_assert_cmpstr (sm_record_get_string (resident, "name"), ==, "张秀英");
  g_assert_cmpstr (sm_record_get_string (resident, "id_type"), ==, "cn_id");
  g_assert_cmpstr (sm_record_get_string (resident, "id_number"), ==, good_id);
  g_assert_cmpstr (sm_record_get_string (resident, "gender"), ==, "female");
  g_assert_cmpstr (sm_record_get_string (resident, "birth_date"), ==, "1949-12-31");
  g_assert_cmpstr (sm_record_get_string (resident, "phone"), ==, "13900001111");
  g_assert_cmpstr (sm_record_get_string (resident, "relation"), ==, "self");
  g_assert_cmpstr (sm_record_get_string (resident, "ethnicity"), ==, "汉族");
  g_assert_true (sm_record_get_bool (resident, "party_member"));
  g_assert_true (sm_record_get_bool (resident, "tag_elderly_alone"));
  g_assert_cmpstr (sm_record_get_string (resident, "moved_in"), ==, "2026-11-01");
  g_assert_null (sm_record_get_string (resident, "moved_out"));
  g_assert_cmpstr (sm_record_get_string (resident, "notes"), ==, "腿脚不便，住十楼");

  /* ---- On the page: masked until revealed, masked again when the page is left. */
  g_assert_cmpuint (g_list_model_get_n_items (sm_household_page_get_residents (page)), ==, 1);
  row = find_resident_row (page, resident_id);
  g_assert_nonnull (row);
  g_assert_null (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), good_id));
  g_assert_null (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "13900001111"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "139****1111"));
  sm_resident_row_set_revealed (row, TRUE);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), good_id));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "13900001111"));
  /* A reload (after a save) keeps it revealed while the page is shown… */
  sm_household_page_reload (page);
  row = find_resident_row (page, resident_id);
  g_assert_true (sm_resident_row_get_revealed (row));
  /* …leaving the page masks it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "win.show-list", NULL));
  g_assert_false (sm_window_get_household_shown (window));
  g_assert_false (sm_resident_row_get_revealed (row));
  g_assert_null (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), good_id));
  sm_window_show_household (window, household_id);
  sm_test_wait_for (sm_test_widget_laid_out, page, "the household page again");
  row = find_resident_row (page, resident_id);
  g_assert_false (sm_resident_row_get_revealed (row));

  /* ---- Edit the resident: activating the row opens them. */
  name_hlc = sm_record_get_clock (resident, "name")->hlc;
  gtk_widget_activate (GTK_WIDGET (row));
  resident_dialog = SM_RESIDENT_DIALOG (sm_test_find_toplevel (SM_TYPE_RESIDENT_DIALOG));
  g_assert_nonnull (resident_dialog);
  g_assert_cmpstr (sm_record_get_id (sm_resident_dialog_get_resident (resident_dialog)), ==, resident_id);
  g_assert_cmpstr (gtk_editable_get_text (sm_resident_dialog_get_entry (resident_dialog, "id_number")), ==, good_id);
  g_assert_true (sm_resident_dialog_get_can_save (resident_dialog));
  gtk_editable_set_text (sm_resident_dialog_get_entry (resident_dialog, "phone"), "13700002222");

  /* A save the store cannot make (the database refuses writes, as on a failing disk):
   * its message shows in the dialog, which stays open with everything typed, and
   * nothing is written. */
  {
    g_autoptr(SmRecord) unchanged = NULL;

    g_assert_cmpint (sqlite3_exec (sm_store_get_connection (replica->store), "PRAGMA query_only = 1",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    gtk_editable_set_text (sm_resident_dialog_get_entry (resident_dialog, "notes"), "需要轮椅");
    g_assert_false (sm_resident_dialog_save (resident_dialog));
    g_assert_nonnull (sm_resident_dialog_get_error_message (resident_dialog));
    g_test_message ("store error shown: %s", sm_resident_dialog_get_error_message (resident_dialog));
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (resident_dialog)));
    g_assert_cmpstr (gtk_editable_get_text (sm_resident_dialog_get_entry (resident_dialog, "phone")), ==,
                     "13700002222");
    g_assert_cmpstr (gtk_editable_get_text (sm_resident_dialog_get_entry (resident_dialog, "notes")), ==,
                     "需要轮椅");
    g_assert_cmpint (sqlite3_exec (sm_store_get_connection (replica->store), "PRAGMA query_only = 0",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    unchanged = get_record (replica->store, "resident", resident_id);
    g_assert_cmpstr (sm_record_get_string (unchanged, "phone"), ==, "13900001111");
  }

  gtk_editable_set_text (sm_resident_dialog_get_entry (resident_dialog, "notes"), "");
  activate_and_wait_closed (GTK_WIDGET (resident_dialog), "resident.save");
  edited = get_record (replica->store, "resident", resident_id);
  g_assert_cmpstr (sm_record_get_string (edited, "phone"), ==, "13700002222");
  g_assert_null (sm_record_get_string (edited, "notes"));
  g_assert_cmpstr (sm_record_get_string (edited, "name"), ==, "张秀英");
  /* Only what changed was written: the name keeps its clock. */
  g_assert_cmpuint (sm_record_get_clock (edited, "name")->hlc, ==, name_hlc);
  g_assert_cmpuint (sm_record_get_clock (edited, "phone")->hlc, >, name_hlc);
  g_clear_object (&edited);

  /* ---- Move them out: the record stays, listed apart. */
  row = find_resident_row (page, resident_id);
  g_assert_nonnull (row);
  resident_dialog = sm_household_page_edit_resident (page, resident_id);
  g_assert_nonnull (resident_dialog);
  activate_and_wait_closed (GTK_WIDGET (resident_dialog), "resident.move-out");
  edited = get_record (replica->store, "resident", resident_id);
  g_assert_false (sm_record_is_deleted (edited));
  g_assert_cmpstr (sm_record_get_string (edited, "moved_out"), ==, today);
  g_assert_cmpstr (sm_record_get_string (edited, "phone"), ==, "13700002222");
  g_clear_object (&edited);
  g_assert_cmpuint (g_list_model_get_n_items (sm_household_page_get_residents (page)), ==, 1);
  row = find_resident_row (page, resident_id);
  g_assert_nonnull (row);
  /* In the folded "Moved Out" list, not among those living there. */
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (row)));
  {
    /* The date in the locale's form, as every date shown. */
    g_autofree char *shown = sm_date_format (today);

    g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), shown));
  }

  /* ---- Credit points, read from the credit table. */
#define CREDIT(pts, why, when) \
  g_free (sm_store_create_with (replica->store, "credit", replica->grid_id, &error, \
                                "resident_id", g_variant_new_string (resident_id), \
                                "points", g_variant_new_int64 (pts), \
                                "reason", g_variant_new_string (why), \
                                "at", g_variant_new_string (when), NULL)); \
  g_assert_no_error (error)
  CREDIT (10, "参加楼道清洁志愿服务", "2026-10-01T02:00:00Z");
  CREDIT (-3, "违规停放电动车", "2026-10-15T02:00:00Z");
#undef CREDIT
  sm_household_page_reload (page);
  g_assert_cmpuint (sm_household_page_get_credits (page)->len, ==, 2);
  {
    g_autoptr(GPtrArray) expanders = g_ptr_array_new ();

    sm_test_collect_widgets (GTK_WIDGET (page), ADW_TYPE_EXPANDER_ROW, expanders);
    g_assert_cmpuint (expanders->len, ==, 1);
    g_assert_cmpstr (adw_preferences_row_get_title (expanders->pdata[0]), ==, "张秀英");
    g_test_message ("credit balance shown: %s", adw_expander_row_get_subtitle (expanders->pdata[0]));
    g_assert_nonnull (strstr (adw_expander_row_get_subtitle (expanders->pdata[0]), "7"));
  }

  /* Deduct points through the resident's + button and the credit dialog. */
  {
    g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
    g_autoptr(GPtrArray) expanders = g_ptr_array_new ();
    g_autoptr(GPtrArray) credits = NULL;
    GtkWidget *award = NULL;
    SmCreditDialog *credit_dialog;

    sm_test_collect_widgets (GTK_WIDGET (page), GTK_TYPE_BUTTON, buttons);
    for (guint i = 0; i < buttons->len; i++)
      if (g_strcmp0 (g_object_get_data (buttons->pdata[i], "resident-id"), resident_id) == 0)
        award = buttons->pdata[i];
    g_assert_nonnull (award);
    g_signal_emit_by_name (award, "clicked");
    credit_dialog = SM_CREDIT_DIALOG (sm_test_find_toplevel (SM_TYPE_CREDIT_DIALOG));
    g_assert_nonnull (credit_dialog);
    g_assert_cmpstr (sm_record_get_id (sm_credit_dialog_get_resident (credit_dialog)), ==, resident_id);
    /* A reason is required. */
    g_assert_false (sm_credit_dialog_get_can_save (credit_dialog));
    g_assert_false (sm_credit_dialog_save (credit_dialog));
    sm_credit_dialog_set_deduct (credit_dialog, TRUE);
    sm_credit_dialog_set_points (credit_dialog, 2);
    gtk_editable_set_text (sm_credit_dialog_get_reason_entry (credit_dialog), "楼道堆放杂物");
    g_assert_true (sm_credit_dialog_get_can_save (credit_dialog));
    activate_and_wait_closed (GTK_WIDGET (credit_dialog), "credit.save");

    credits = sm_store_list_credits (replica->store, household_id, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (credits->len, ==, 3);
    g_assert_cmpint (sm_record_get_int (credits->pdata[0], "points", 0), ==, -2);
    g_assert_cmpstr (sm_record_get_string (credits->pdata[0], "reason"), ==, "楼道堆放杂物");
    g_assert_cmpstr (sm_record_get_string (credits->pdata[0], "resident_id"), ==, resident_id);
    g_assert_cmpstr (sm_record_get_grid_id (credits->pdata[0]), ==, replica->grid_id);

    g_assert_cmpuint (sm_household_page_get_credits (page)->len, ==, 3);
    sm_test_collect_widgets (GTK_WIDGET (page), ADW_TYPE_EXPANDER_ROW, expanders);
    g_assert_cmpuint (expanders->len, ==, 1);
    g_assert_nonnull (strstr (adw_expander_row_get_subtitle (expanders->pdata[0]), "5"));
    adw_expander_row_set_expanded (expanders->pdata[0], TRUE);
  }

  /* ---- Edit the household (Ctrl+E): another room; the composed address follows. */
  unit_hlc = sm_record_get_clock (household, "unit")->hlc;
  sm_test_press_shortcut (GTK_WIDGET (page), "<Control>e");
  household_dialog = SM_HOUSEHOLD_DIALOG (sm_test_find_toplevel (SM_TYPE_HOUSEHOLD_DIALOG));
  g_assert_nonnull (household_dialog);
  g_assert_cmpstr (gtk_editable_get_text (sm_household_dialog_get_entry (household_dialog, "phone")), ==,
                   "13812345678");
  gtk_editable_set_text (sm_household_dialog_get_entry (household_dialog, "room"), "1003");
  g_clear_pointer (&expected_address, g_free);
  expected_address = g_strdup_printf ("%s 3单元 1003", sm_record_get_string (building, "address"));
  g_assert_cmpstr (gtk_editable_get_text (sm_household_dialog_get_entry (household_dialog, "address")), ==,
                   expected_address);
  sm_household_dialog_set_tag (household_dialog, "tag_low_income", TRUE);
  activate_and_wait_closed (GTK_WIDGET (household_dialog), "household.save");
  g_clear_object (&household);
  household = get_record (replica->store, "household", household_id);
  g_assert_cmpstr (sm_record_get_string (household, "room"), ==, "1003");
  g_assert_cmpstr (sm_record_get_string (household, "address"), ==, expected_address);
  g_assert_true (sm_record_get_bool (household, "tag_low_income"));
  g_assert_true (sm_record_get_bool (household, "tag_elderly_alone"));
  g_assert_cmpuint (sm_record_get_clock (household, "unit")->hlc, ==, unit_hlc);
  g_assert_cmpstr (sm_household_page_get_title (page), ==, expected_address);

  /* The household page in Chinese, at desktop and at phone size, moved-out residents shown. */
  {
    g_autoptr(GPtrArray) toggles = g_ptr_array_new ();

    sm_test_collect_widgets (GTK_WIDGET (page), GTK_TYPE_TOGGLE_BUTTON, toggles);
    for (guint i = 0; i < toggles->len; i++)
      if (!SM_IS_RESIDENT_ROW (gtk_widget_get_ancestor (toggles->pdata[i], SM_TYPE_RESIDENT_ROW)))
        gtk_toggle_button_set_active (toggles->pdata[i], TRUE);
  }
  row = find_resident_row (page, resident_id);
  sm_test_wait_for (sm_test_widget_laid_out, row, "the moved-out resident shown");
  sm_test_wait_for_frame (GTK_WIDGET (window));
  sm_test_render_to_png (GTK_WIDGET (window), "household-page-zh_CN-1280x800.png");
  sm_test_resize_window (GTK_WINDOW (window), 360, 720);
  sm_test_wait_for_frame (GTK_WIDGET (window));
  sm_test_render_to_png (GTK_WIDGET (window), "household-page-zh_CN-360x720.png");

  /* ---- Back in the list, the edited household reads as it now is. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "win.show-list", NULL));
  sm_test_wait_for (sm_test_widget_laid_out, list, "the household list");
  {
    GListModel *model = sm_household_list_get_model (list);
    gboolean found = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (model) && !found; i++)
      {
        g_autoptr(SmRecord) item = g_list_model_get_item (model, i);

        if (g_str_equal (sm_record_get_id (item), household_id))
          {
            g_assert_cmpstr (sm_record_get_string (item, "address"), ==, expected_address);
            found = TRUE;
          }
      }
    g_assert_true (found);
  }

  sm_test_destroy_window (GTK_WINDOW (window));
}

/* ---------------------------------------------------------------- browsing by building */

/* The grid's buildings in the chooser's order: each compound by name, its buildings by number. */
static GPtrArray *
list_grid_buildings (SmStore    *store,
                     const char *grid_id,
                     GPtrArray  *labels)
{
  g_autoptr(GPtrArray) compounds = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *buildings = g_ptr_array_new_with_free_func (g_object_unref);

  compounds = sm_store_list_compounds (store, grid_id, &error);
  g_assert_no_error (error);
  for (guint c = 0; c < compounds->len; c++)
    {
      g_autoptr(GPtrArray) some = sm_store_list_buildings (store, sm_record_get_id (compounds->pdata[c]), &error);

      g_assert_no_error (error);
      for (guint b = 0; b < some->len; b++)
        {
          g_ptr_array_add (buildings, g_object_ref (some->pdata[b]));
          if (labels != NULL)
            g_ptr_array_add (labels, g_strdup_printf ("%s %s", sm_record_get_string (compounds->pdata[c], "name"),
                                                      sm_record_get_string (some->pdata[b], "name")));
        }
    }

  return buildings;
}

/* What the list shows is what the store lists for the grid and building, in its order. */
static void
assert_list_matches_store (SmHouseholdList *list,
                           SmStore         *store,
                           const char      *grid_id,
                           const char      *building_id)
{
  GListModel *model = sm_household_list_get_model (list);
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (SM_IS_HOUSEHOLD_MODEL (model));
  g_assert_cmpstr (sm_household_model_get_grid_id (SM_HOUSEHOLD_MODEL (model)), ==, grid_id);
  g_assert_cmpstr (sm_household_model_get_building_id (SM_HOUSEHOLD_MODEL (model)), ==, building_id);
  expected = sm_store_list_households (store, grid_id, building_id, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sm_store_count_households (store, grid_id, building_id, &error), ==, expected->len);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      g_autoptr(SmRecord) shown = g_list_model_get_item (model, i);

      g_assert_cmpstr (sm_record_get_id (shown), ==, sm_record_get_id (expected->pdata[i]));
      if (building_id != NULL)
        g_assert_cmpstr (sm_record_get_string (shown, "building_id"), ==, building_id);
    }
}

/* The household rows the list view shows now (mapped, with a household bound). */
static GPtrArray *
shown_rows (SmHouseholdList *list)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GPtrArray *shown = g_ptr_array_new ();

  sm_test_collect_widgets (GTK_WIDGET (list), SM_TYPE_HOUSEHOLD_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (gtk_widget_get_mapped (rows->pdata[i]) && sm_household_row_get_household (rows->pdata[i]) != NULL)
      g_ptr_array_add (shown, rows->pdata[i]);

  return shown;
}

static gboolean
rows_shown (gpointer data)
{
  g_autoptr(GPtrArray) rows = shown_rows (data);

  return rows->len > 0;
}

/* Whether @widget lies within @list, as laid out now. */
static gboolean
fits_in (GtkWidget *widget,
         GtkWidget *list)
{
  graphene_rect_t bounds;

  if (!gtk_widget_compute_bounds (widget, list, &bounds))
    return FALSE;

  return bounds.origin.x >= 0 && bounds.size.width > 0
         && bounds.origin.x + bounds.size.width <= gtk_widget_get_width (list);
}

static void
test_buildings (void)
{
  g_autoptr(SmTestReplica) replica = sm_test_replica_new ("household", 400, 4, 0);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) buildings = NULL;
  g_autoptr(GPtrArray) other_buildings = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SmRecord) added = NULL;
  g_autoptr(SmRecord) grid = NULL;
  /* The grid after the replica's own (sm_demo_grid_id (1)). */
  g_autofree char *other_grid_id = sm_demo_grid_id (2);
  g_autofree char *empty_id = NULL;
  g_autofree char *added_id = NULL;
  SmHouseholdDialog *dialog;
  SmRecord *building = NULL, *second = NULL;
  SmHouseholdList *list;
  GtkDropDown *chooser, *grid_chooser;
  GtkWidget *focus;
  SmWindow *window;
  GListModel *choices;
  gint64 n_grid, n_building;
  guint chosen = 0, n_grids;
  gboolean reached = FALSE, elsewhere = FALSE;

  buildings = list_grid_buildings (replica->store, replica->grid_id, labels);
  g_assert_cmpuint (buildings->len, >=, 2);
  n_grid = sm_store_count_households (replica->store, replica->grid_id, NULL, &error);
  g_assert_no_error (error);
  /* A building past the first with households, and another one with households too. */
  for (guint i = buildings->len; i > 1 && building == NULL; i--)
    if (sm_store_count_households (replica->store, replica->grid_id,
                                   sm_record_get_id (buildings->pdata[i - 1]), NULL) > 0)
      {
        building = buildings->pdata[i - 1];
        chosen = i;
      }
  for (guint i = 0; i < buildings->len && second == NULL; i++)
    if (buildings->pdata[i] != building
        && sm_store_count_households (replica->store, replica->grid_id,
                                      sm_record_get_id (buildings->pdata[i]), NULL) > 0)
      second = buildings->pdata[i];
  g_assert_nonnull (building);
  g_assert_nonnull (second);
  n_building = sm_store_count_households (replica->store, replica->grid_id, sm_record_get_id (building), &error);
  g_assert_cmpint (n_building, <, n_grid);

  window = sm_window_new (NULL, replica->store);
  sm_window_show_page (window, "households");
  sm_test_resize_window (GTK_WINDOW (window), 1280, 800);
  list = sm_window_get_household_list (window);
  sm_household_list_set_grid_id (list, replica->grid_id);
  sm_test_wait_for (rows_shown, list, "the grid's households");
  chooser = sm_household_list_get_building_chooser (list);
  grid_chooser = sm_household_list_get_grid_chooser (list);

  /* "All buildings" first, then the grid's buildings named "<compound> <building>". */
  choices = gtk_drop_down_get_model (chooser);
  g_assert_cmpuint (g_list_model_get_n_items (choices), ==, buildings->len + 1);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (choices), 0), ==, _("All buildings"));
  for (guint i = 0; i < labels->len; i++)
    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (choices), i + 1), ==, labels->pdata[i]);
  g_assert_cmpuint (gtk_drop_down_get_selected (chooser), ==, 0);
  g_assert_null (sm_household_list_get_building_id (list));
  assert_list_matches_store (list, replica->store, replica->grid_id, NULL);

  /* Reachable with Tab from the search entry. */
  sm_household_list_focus_search (list);
  for (guint i = 0; i < 12 && !reached; i++)
    {
      gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD);
      focus = gtk_root_get_focus (GTK_ROOT (window));
      reached = focus != NULL && (focus == GTK_WIDGET (chooser) || gtk_widget_is_ancestor (focus, GTK_WIDGET (chooser)));
    }
  g_assert_true (reached);

  /* ---- Picking a building in the chooser shows exactly its households. */
  gtk_drop_down_set_selected (chooser, chosen);
  g_assert_cmpstr (sm_household_list_get_building_id (list), ==, sm_record_get_id (building));
  g_assert_cmpuint (g_list_model_get_n_items (sm_household_list_get_model (list)), ==, n_building);
  assert_list_matches_store (list, replica->store, replica->grid_id, sm_record_get_id (building));
  sm_test_wait_for_frame (GTK_WIDGET (window));
  sm_test_wait_for (rows_shown, list, "the building's households");
  rows = shown_rows (list);
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpstr (sm_record_get_string (sm_household_row_get_household (rows->pdata[i]), "building_id"), ==,
                     sm_record_get_id (building));
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* A reload (after a sync) keeps it. */
  sm_household_list_reload (list);
  g_assert_cmpstr (sm_household_list_get_building_id (list), ==, sm_record_get_id (building));
  g_assert_cmpuint (gtk_drop_down_get_selected (chooser), ==, chosen);
  assert_list_matches_store (list, replica->store, replica->grid_id, sm_record_get_id (building));

  /* Both choosers fit at phone width, under the search entry. */
  sm_test_resize_window (GTK_WINDOW (window), 360, 720);
  sm_test_wait_for_frame (GTK_WIDGET (window));
  g_assert_true (fits_in (GTK_WIDGET (grid_chooser), GTK_WIDGET (list)));
  g_assert_true (fits_in (GTK_WIDGET (chooser), GTK_WIDGET (list)));
  sm_test_wait_for (rows_shown, list, "the building's households at 360 px");
  sm_test_render_to_png (GTK_WIDGET (window), "households-building-360x720.png");
  sm_test_resize_window (GTK_WINDOW (window), 1280, 800);

  /* ---- Add (Ctrl+N) starts in the building browsed; the new household is counted in it. */
  sm_test_press_shortcut (GTK_WIDGET (list), "<Control>n");
  dialog = SM_HOUSEHOLD_DIALOG (sm_test_find_toplevel (SM_TYPE_HOUSEHOLD_DIALOG));
  g_assert_nonnull (dialog);
  gtk_editable_set_text (sm_household_dialog_get_entry (dialog, "unit"), "9");
  gtk_editable_set_text (sm_household_dialog_get_entry (dialog, "room"), "909");
  g_assert_true (sm_household_dialog_get_can_save (dialog));
  activate_and_wait_closed (GTK_WIDGET (dialog), "household.save");
  g_assert_true (sm_window_get_household_shown (window));
  added_id = g_strdup (sm_household_page_get_household_id (sm_window_get_household_page (window)));
  added = get_record (replica->store, "household", added_id);
  g_assert_cmpstr (sm_record_get_string (added, "building_id"), ==, sm_record_get_id (building));
  sm_window_show_page (window, "households");
  sm_test_wait_for (rows_shown, list, "the list again");
  g_assert_cmpstr (sm_household_list_get_building_id (list), ==, sm_record_get_id (building));
  g_assert_cmpuint (g_list_model_get_n_items (sm_household_list_get_model (list)), ==, n_building + 1);
  assert_list_matches_store (list, replica->store, replica->grid_id, sm_record_get_id (building));

  /* ---- A search is not narrowed by the building, and each hit says where it is. */
  gtk_search_entry_set_search_delay (GTK_SEARCH_ENTRY (sm_household_list_get_search_entry (list)), 0);
  gtk_editable_set_text (sm_household_list_get_search_entry (list), "1");
  while (g_strcmp0 (sm_household_list_get_query (list), "1") != 0)
    g_main_context_iteration (NULL, TRUE);
  sm_test_wait_for_frame (GTK_WIDGET (window));
  sm_test_wait_for (rows_shown, list, "the search hits");
  rows = shown_rows (list);
  n_grids = 0;
  for (guint i = 0; i < rows->len; i++)
    {
      SmRecord *household = sm_household_row_get_household (rows->pdata[i]);
      const char *subtitle = sm_household_row_get_subtitle (rows->pdata[i]);

      elsewhere |= g_strcmp0 (sm_record_get_string (household, "building_id"), sm_record_get_id (building)) != 0;
      grid = get_record (replica->store, "grid", sm_record_get_grid_id (household));
      g_assert_nonnull (strstr (subtitle, sm_record_get_string (grid, "name")));
      g_clear_object (&grid);
      n_grids++;
    }
  g_assert_cmpuint (n_grids, >, 0);
  g_assert_true (elsewhere);
  g_clear_pointer (&rows, g_ptr_array_unref);
  gtk_editable_set_text (sm_household_list_get_search_entry (list), "");
  g_assert_null (sm_household_list_get_query (list));
  assert_list_matches_store (list, replica->store, replica->grid_id, sm_record_get_id (building));

  /* ---- Back to all the grid's buildings. */
  gtk_drop_down_set_selected (chooser, 0);
  g_assert_null (sm_household_list_get_building_id (list));
  assert_list_matches_store (list, replica->store, replica->grid_id, NULL);

  /* ---- A building that a sync deleted: the reload goes back to all buildings. */
  for (guint i = 0; i < buildings->len; i++)
    if (buildings->pdata[i] == second)
      gtk_drop_down_set_selected (chooser, i + 1);
  g_assert_cmpstr (sm_household_list_get_building_id (list), ==, sm_record_get_id (second));
  g_assert_true (sm_store_delete (replica->store, "building", sm_record_get_id (second), &error));
  g_assert_no_error (error);
  sm_household_list_reload (list);
  g_assert_null (sm_household_list_get_building_id (list));
  g_assert_cmpuint (gtk_drop_down_get_selected (chooser), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (chooser)), ==, buildings->len);

  /* ---- A building without households says so. */
  empty_id = sm_store_create_with (replica->store, "building", replica->grid_id, &error,
                                   "compound_id", g_variant_new_string (sm_record_get_string (building, "compound_id")),
                                   "name", g_variant_new_string ("99栋"), NULL);
  g_assert_no_error (error);
  sm_household_list_reload (list);
  sm_household_list_set_building_id (list, empty_id);
  g_assert_cmpstr (sm_household_list_get_building_id (list), ==, empty_id);
  g_assert_cmpstr (gtk_string_object_get_string (gtk_drop_down_get_selected_item (chooser)), ==,
                   gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (chooser)),
                                               gtk_drop_down_get_selected (chooser)));
  g_assert_cmpuint (g_list_model_get_n_items (sm_household_list_get_model (list)), ==, 0);
  {
    g_autoptr(GPtrArray) pages = g_ptr_array_new ();
    gboolean said = FALSE;

    sm_test_wait_for_frame (GTK_WIDGET (window));
    sm_test_collect_widgets (GTK_WIDGET (list), ADW_TYPE_STATUS_PAGE, pages);
    for (guint i = 0; i < pages->len; i++)
      said |= gtk_widget_get_mapped (pages->pdata[i]);
    g_assert_true (said);
  }

  /* ---- Another grid starts from all its buildings. */
  sm_household_list_set_building_id (list, sm_record_get_id (building));
  g_assert_cmpstr (sm_household_list_get_building_id (list), ==, sm_record_get_id (building));
  other_buildings = list_grid_buildings (replica->store, other_grid_id, NULL);
  for (guint i = 0; i < g_list_model_get_n_items (gtk_drop_down_get_model (grid_chooser)); i++)
    {
      g_autoptr(GtkStringObject) name = g_list_model_get_item (gtk_drop_down_get_model (grid_chooser), i);

      grid = get_record (replica->store, "grid", other_grid_id);
      if (g_strcmp0 (gtk_string_object_get_string (name), sm_record_get_string (grid, "name")) == 0)
        gtk_drop_down_set_selected (grid_chooser, i);
      g_clear_object (&grid);
    }
  g_assert_cmpstr (sm_household_list_get_grid_id (list), ==, other_grid_id);
  g_assert_null (sm_household_list_get_building_id (list));
  g_assert_cmpuint (gtk_drop_down_get_selected (chooser), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (chooser)), ==, other_buildings->len + 1);
  assert_list_matches_store (list, replica->store, other_grid_id, NULL);
  /* A building of another grid is not one of this grid's: all of them. */
  sm_household_list_set_building_id (list, sm_record_get_id (building));
  g_assert_null (sm_household_list_get_building_id (list));

  sm_test_destroy_window (GTK_WINDOW (window));
}

/* With 100,000 households (4 grids of 25,000): how long the building chooser takes to
 * fill and a building's pages to read, against the grid's. Only with `-m perf`. */
static void
test_buildings_performance (void)
{
  g_autoptr(SmTestReplica) replica = NULL;
  g_autoptr(GPtrArray) buildings = NULL;
  SmHouseholdModel *model;
  SmHouseholdList *list;
  SmWindow *window;
  SmRecord *last = NULL;
  gint64 start, grid_us, first_us, last_us, chooser_us;
  guint n_items, n_loads;

  start = g_get_monotonic_time ();
  replica = sm_test_replica_new ("household", 100000, 4, 0);
  g_test_message ("100000 households in 4 grids made in %.1f s",
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  buildings = list_grid_buildings (replica->store, replica->grid_id, NULL);

  window = sm_window_new (NULL, replica->store);
  sm_window_show_page (window, "households");
  sm_test_resize_window (GTK_WINDOW (window), 1280, 800);
  list = sm_window_get_household_list (window);
  sm_test_wait_for (rows_shown, list, "the grid's households");

  start = g_get_monotonic_time ();
  g_clear_pointer (&buildings, g_ptr_array_unref);
  buildings = list_grid_buildings (replica->store, replica->grid_id, NULL);
  chooser_us = g_get_monotonic_time () - start;
  g_test_message ("grid of %u buildings: listed from the store in %.2f ms", buildings->len,
                  chooser_us / 1000.0);
  sm_household_list_set_grid_id (list, replica->grid_id);
  start = g_get_monotonic_time ();
  sm_household_list_reload (list);
  chooser_us = g_get_monotonic_time () - start;
  g_test_message ("grid of %u buildings: list reloaded, chooser filled, in %.2f ms",
                  buildings->len, chooser_us / 1000.0);
  model = SM_HOUSEHOLD_MODEL (sm_household_list_get_model (list));

  /* The grid's last page, for comparison: it walks the grid's part of the index. */
  n_items = g_list_model_get_n_items (G_LIST_MODEL (model));
  start = g_get_monotonic_time ();
  g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), n_items - 1));
  grid_us = g_get_monotonic_time () - start;
  g_test_message ("grid of %u households: last page read in %.2f ms", n_items, grid_us / 1000.0);

  /* The last building of the grid: at the far end of the grid's part of the index. */
  for (guint i = buildings->len; i > 0 && last == NULL; i--)
    if (sm_store_count_households (replica->store, replica->grid_id, sm_record_get_id (buildings->pdata[i - 1]), NULL) > 0)
      last = buildings->pdata[i - 1];
  g_assert_nonnull (last);
  /* Chosen: counted, and the rows the view shows read at once. */
  n_loads = sm_household_model_get_n_page_loads (model);
  start = g_get_monotonic_time ();
  sm_household_list_set_building_id (list, sm_record_get_id (last));
  first_us = g_get_monotonic_time () - start;
  n_items = g_list_model_get_n_items (G_LIST_MODEL (model));
  g_test_message ("building of %u households: chosen, counted and its first page read in %.2f ms"
                  " (%u page reads)", n_items, first_us / 1000.0,
                  sm_household_model_get_n_page_loads (model) - n_loads);
  assert_list_matches_store (list, replica->store, replica->grid_id, sm_record_get_id (last));

  /* A page read alone, in a model of its own that has read nothing yet. */
  {
    g_autoptr(SmHouseholdModel) alone = sm_household_model_new (replica->store);

    sm_household_model_set_grid_id (alone, replica->grid_id);
    sm_household_model_set_building_id (alone, sm_record_get_id (last));
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (alone)), ==, n_items);
    start = g_get_monotonic_time ();
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (alone), n_items - 1));
    last_us = g_get_monotonic_time () - start;
    g_assert_cmpuint (sm_household_model_get_n_page_loads (alone), ==, 1);
    g_test_message ("building of %u households: its page read in %.2f ms", n_items, last_us / 1000.0);
  }

  sm_test_wait_for_frame (GTK_WIDGET (window));
  sm_test_destroy_window (GTK_WINDOW (window));
}

/* A search that stops at its limit says so; one that does not, does not. */
static void
test_search_capped (void)
{
  static const char * const broad[] = { "1", "2", "王", "李", "张", "w", "l", "z" };
  g_autoptr(SmTestReplica) replica = sm_test_replica_new ("household", 400, 4, 0);
  const char *query = NULL;
  SmHouseholdList *list;
  GtkEditable *entry;
  SmWindow *window;

  for (guint i = 0; i < G_N_ELEMENTS (broad) && query == NULL; i++)
    {
      g_autoptr(GPtrArray) hits = NULL;
      g_autoptr(GError) error = NULL;

      hits = sm_store_search (replica->store, broad[i], 51, &error);
      g_assert_no_error (error);
      if (hits->len > 50)
        query = broad[i];
    }
  g_assert_nonnull (query);

  window = sm_test_open_window (replica->store, 1280, 800);
  list = sm_window_get_household_list (window);
  entry = sm_household_list_get_search_entry (list);
  gtk_search_entry_set_search_delay (GTK_SEARCH_ENTRY (entry), 0);

  gtk_editable_set_text (entry, query);
  while (g_strcmp0 (sm_household_list_get_query (list), query) != 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (sm_household_list_get_capped (list));
  sm_test_wait_for_frame (GTK_WIDGET (window));
  sm_test_render_to_png (GTK_WIDGET (window), "household-search-capped-zh_CN.png");

  gtk_editable_set_text (entry, "qqqqxz");
  while (g_strcmp0 (sm_household_list_get_query (list), "qqqqxz") != 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (sm_household_list_get_capped (list));
  gtk_editable_set_text (entry, "");
  while (sm_household_list_get_query (list) != NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (sm_household_list_get_capped (list));

  sm_test_destroy_window (GTK_WINDOW (window));
}

/* The shortcuts window lists the shortcuts added here, and loads without a warning. */
static void
test_shortcuts_window (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/org/sanmen/Sanmen/gtk/help-overlay.ui");
  g_autoptr(GPtrArray) shortcuts = g_ptr_array_new ();
  GtkWidget *overlay = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));
  gboolean add_household = FALSE, edit_household = FALSE;

  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  sm_test_collect_widgets (overlay, GTK_TYPE_SHORTCUTS_SHORTCUT, shortcuts);
  for (guint i = 0; i < shortcuts->len; i++)
    {
      g_autofree char *accelerator = NULL;

      g_object_get (shortcuts->pdata[i], "accelerator", &accelerator, NULL);
      add_household |= g_strcmp0 (accelerator, "<Control>n") == 0;
      edit_household |= g_strcmp0 (accelerator, "<Control>e") == 0;
    }
  g_assert_true (add_household);
  g_assert_true (edit_household);
  gtk_window_destroy (GTK_WINDOW (overlay));
}

int
main (int   argc,
      char *argv[])
{
  /* The client in Simplified Chinese, from the build tree's catalog. */
  if (!sm_test_init_zh_CN (&argc, &argv))
    return 1;

  g_test_add_func ("/desktop/household/add-edit-residents", test_households_and_residents);
  g_test_add_func ("/desktop/household/search-capped", test_search_capped);
  g_test_add_func ("/desktop/household/buildings", test_buildings);
  if (g_test_perf ())
    g_test_add_func ("/desktop/household/buildings-performance", test_buildings_performance);
  g_test_add_func ("/desktop/household/shortcuts-window", test_shortcuts_window);

  return g_test_run ();
}
