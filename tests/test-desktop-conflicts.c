/* test-desktop-conflicts.c — 冲突 Conflicts in the real window, in Simplified Chinese
 *
 * Needs a display: run it under `xvfb-run -a`. An office replica in a temporary folder
 * receives, through sm_store_apply() as a pull would, two workers' concurrent writes and
 * the conflict records the server made of them (notes, tenure, phone, room). The real window,
 * with the zh_CN catalog of the build tree, hides the page until sm_window_set_role() says
 * office; the page then lists every conflict with both values and both workers' names,
 * masks the phone numbers (the eye button shows them), and the badge counts them. Clicking Take Other Value resolves
 * the notes in the store; a new phone number is refused while it is not one, then saved;
 * a conflict settled meanwhile shows why nothing was written; Keep Current Value works by
 * keyboard; a replica that cannot be read says so.
 * The page is rendered at 1280×800 and 360×720 to PNG files in the build folder, which
 * must not be blank.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <sqlite3.h>
#include <string.h>

#include "sanmen-core.h"
#include "sm-conflict-row.h"
#include "sm-conflicts-page.h"
#include "sm-test-gtk.h"
#include "sm-test-replica.h"
#include "sm-test-store.h"
#include "sm-window.h"

#define GRID "grid-01"

/* 张三 wrote @loser, then 李四 @winner, neither having seen the other; the server's record. */
static void
receive_conflict (SmTestReplica *replica,
                  const char    *household_id,
                  const char    *field,
                  const char    *loser,
                  const char    *winner,
                  guint          minutes_ago)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SmRecord) household = sm_store_get (replica->store, "household", household_id, &error);
  guint64 now = sm_hlc_now_ms () - (guint64) minutes_ago * 60000;
  SmTestConflict conflict = {
    .table = "household",
    .row_id = household_id,
    .field = field,
    .loser = g_variant_new_string (loser),
    .winner = g_variant_new_string (winner),
    .loser_text = loser,
    .winner_text = winner,
    .loser_hlc = sm_hlc_from_parts (now - 120000, 0),
    .winner_hlc = sm_hlc_from_parts (now - 60000, 0),
    .server_hlc = sm_hlc_from_parts (now, 0),
  };

  g_assert_no_error (error);
  conflict.base = sm_record_get_clock (household, field)->hlc;
  g_free (sm_test_receive_conflict (replica->store, GRID, &conflict));
}

static guint64
two_hours_ago (gpointer user_data)
{
  return sm_hlc_now_ms () - 2 * 3600 * 1000;
}

/* An office replica with one household and four conflicts on it, open; the household's
 * id at @household_id. */
static SmTestReplica *
office_replica_new (char **household_id)
{
  SmTestReplica *replica = sm_test_replica_new ("desktop-conflicts", 0, 0, 0);
  g_autoptr(GError) error = NULL;

  /* Entered two hours ago, so the workers' edits below are newer. */
  sm_store_set_clock_func (replica->store, two_hours_ago, NULL);
  *household_id = sm_store_create_with (replica->store, "household", GRID, &error,
                                        "address", g_variant_new_string ("幸福路8号3单元502"),
                                        "tenure", g_variant_new_string ("existing"),
                                        "notes", g_variant_new_string ("原来的备注"),
                                        "phone", g_variant_new_string ("13600000001"),
                                        NULL);
  g_assert_no_error (error);
  sm_store_set_clock_func (replica->store, NULL, NULL);

  receive_conflict (replica, *household_id, "notes", "独居老人，周三上门", "已搬走，房屋出租", 30);
  receive_conflict (replica, *household_id, "tenure", "new", "existing", 20);
  receive_conflict (replica, *household_id, "phone", "13900000003", "13800000002", 10);
  receive_conflict (replica, *household_id, "room", "101", "303", 5);

  return replica;
}

/* ---------------------------------------------------------------- waiting and finding */

/* Every label's text under @widget that would be drawn, joined by newlines. */
static void
collect_text (GtkWidget *widget,
              GString   *text)
{
  /* Hidden, or a stack's page not shown, or a folded revealer's child. */
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
    return;
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, text);
}

static char *
widget_text (GtkWidget *widget)
{
  GString *text = g_string_new (NULL);

  collect_text (widget, text);
  return g_string_free (text, FALSE);
}

static GtkWidget *
find_by_class (GtkWidget  *widget,
               const char *css_class)
{
  if (gtk_widget_has_css_class (widget, css_class))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_class (child, css_class);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static SmConflictRow *
find_row (SmConflictsPage *page,
          const char      *field)
{
  GtkListBox *list = sm_conflicts_page_get_list (page);

  for (int i = 0;; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, i);

      if (row == NULL)
        return NULL;
      if (g_str_equal (sm_conflict_row_get_conflict (SM_CONFLICT_ROW (row))->field->name, field))
        return SM_CONFLICT_ROW (row);
    }
}

static guint
n_rows (SmConflictsPage *page)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (sm_conflicts_page_get_list (page), (int) n) != NULL)
    n++;
  return n;
}

static gboolean
rows_laid_out (gpointer data)
{
  SmConflictsPage *page = data;
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (sm_conflicts_page_get_list (page), 0);

  return row != NULL && gtk_widget_get_mapped (GTK_WIDGET (row)) && gtk_widget_get_width (GTK_WIDGET (row)) > 0;
}

typedef struct {
  SmConflictsPage *page;
  guint            n;
} CountWait;

static gboolean
count_reached (gpointer data)
{
  CountWait *wait = data;

  return n_rows (wait->page) == wait->n && sm_conflicts_page_get_n_open (wait->page) == wait->n;
}

static char *
store_string (SmStore    *store,
              const char *table,
              const char *id,
              const char *field)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SmRecord) record = sm_store_get (store, table, id, &error);

  g_assert_no_error (error);
  return g_strdup (sm_record_get_string (record, field));
}

/* ---------------------------------------------------------------- tests */

static void
test_conflicts_page (void)
{
  g_autofree char *household_id = NULL;
  g_autoptr(SmTestReplica) replica = office_replica_new (&household_id);
  g_autofree char *text = NULL;
  g_autofree char *phone_text = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *status = NULL;
  g_autofree char *resolution = NULL;
  g_autofree char *phone = NULL;
  SmConflictsPage *page;
  SmConflictRow *row;
  GtkWidget *badge, *badge_row, *button, *entry, *save, *take;
  SmWindow *window;
  CountWait wait;

  window = sm_test_open_window (replica->store, 1280, 800);
  page = sm_window_get_conflicts_page (window);
  g_assert_nonnull (page);
  badge = find_by_class (GTK_WIDGET (window), "conflict-count");
  g_assert_nonnull (badge);
  badge_row = gtk_widget_get_ancestor (badge, GTK_TYPE_LIST_BOX_ROW);
  g_assert_nonnull (badge_row);

  /* Hidden until the role says office or admin; a worker never sees it. */
  g_assert_false (gtk_widget_get_visible (badge_row));
  sm_window_set_role (window, "worker");
  g_assert_false (gtk_widget_get_visible (badge_row));
  sm_window_set_role (window, "admin");
  g_assert_true (gtk_widget_get_visible (badge_row));
  sm_window_set_role (window, NULL);
  g_assert_false (gtk_widget_get_visible (badge_row));

  sm_window_set_role (window, "office");
  g_assert_true (gtk_widget_is_visible (badge_row));
  g_assert_true (gtk_widget_is_visible (badge));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (badge)), ==, "4");
  text = widget_text (badge_row);
  g_assert_nonnull (strstr (text, _("Conflicts")));
  g_clear_pointer (&text, g_free);
  g_assert_cmpuint (sm_conflicts_page_get_n_open (page), ==, 4);

  sm_window_show_conflicts (window);
  sm_test_wait_for (rows_laid_out, page, "the conflict rows");
  sm_test_wait_for_frame (GTK_WIDGET (window));
  g_assert_cmpuint (n_rows (page), ==, 4);

  /* Each row: the record, the field's label, both values, both workers and when. */
  row = find_row (page, "notes");
  g_assert_nonnull (row);
  text = widget_text (GTK_WIDGET (row));
  g_test_message ("notes row:\n%s", text);
  g_assert_nonnull (strstr (text, "幸福路8号3单元502"));
  g_assert_nonnull (strstr (text, sm_field_get_label (sm_table_lookup_field (sm_schema_lookup_table ("household"), "notes"))));
  g_assert_nonnull (strstr (text, "已搬走，房屋出租\n"));
  g_assert_nonnull (strstr (text, "独居老人，周三上门\n"));
  g_assert_nonnull (strstr (text, "李四 · "));
  g_assert_nonnull (strstr (text, "张三 · "));
  g_assert_nonnull (strstr (text, _("In effect")));
  g_clear_pointer (&text, g_free);

  /* Enum values by their label; phone numbers masked until asked for. */
  text = widget_text (GTK_WIDGET (find_row (page, "tenure")));
  g_assert_nonnull (strstr (text, sm_field_get_enum_label (sm_table_lookup_field (sm_schema_lookup_table ("household"), "tenure"), "new")));
  g_clear_pointer (&text, g_free);
  phone_text = widget_text (GTK_WIDGET (find_row (page, "phone")));
  g_assert_null (strstr (phone_text, "13900000003"));
  g_assert_null (strstr (phone_text, "13800000002"));
  g_assert_nonnull (strstr (phone_text, "139****0003"));
  {
    GtkWidget *reveal = sm_test_find_widget (GTK_WIDGET (find_row (page, "phone")), GTK_TYPE_TOGGLE_BUTTON);
    g_autofree char *revealed = NULL;

    g_assert_nonnull (reveal);
    g_assert_null (gtk_button_get_label (GTK_BUTTON (reveal)));
    g_assert_true (gtk_widget_get_visible (reveal));
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (reveal), TRUE);
    revealed = widget_text (GTK_WIDGET (find_row (page, "phone")));
    g_assert_nonnull (strstr (revealed, "13900000003\n"));
    g_assert_nonnull (strstr (revealed, "13800000002\n"));
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (reveal), FALSE);
    g_clear_pointer (&revealed, g_free);
    revealed = widget_text (GTK_WIDGET (find_row (page, "phone")));
    g_assert_null (strstr (revealed, "13900000003"));
    /* Not a sensitive field: no eye button. */
    g_assert_false (gtk_widget_get_visible (sm_test_find_widget (GTK_WIDGET (row), GTK_TYPE_TOGGLE_BUTTON)));
  }
  sm_test_render_to_png (GTK_WIDGET (window), "conflicts-zh_CN-1280x800.png");

  /* Take Other Value, clicked: the other worker's notes, in the store; two rows left. */
  take = sm_test_find_button (GTK_WIDGET (row), _("Take Other Value"));
  g_assert_nonnull (take);
  g_assert_true (gtk_widget_is_sensitive (take) && gtk_widget_get_mapped (take));
  g_signal_emit_by_name (take, "clicked");
  wait = (CountWait) { page, 3 };
  sm_test_wait_for (count_reached, &wait, "the resolved conflict to leave the list");
  notes = store_string (replica->store, "household", household_id, "notes");
  g_assert_cmpstr (notes, ==, "独居老人，周三上门");
  status = store_string (replica->store, "conflict", "conflict-notes", "status");
  resolution = store_string (replica->store, "conflict", "conflict-notes", "resolution");
  g_assert_cmpstr (status, ==, "resolved");
  g_assert_cmpstr (resolution, ==, "take");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (badge)), ==, "3");

  /* A new phone number: refused beside the field while it is not one, then saved. */
  row = find_row (page, "phone");
  button = sm_test_find_button (GTK_WIDGET (row), _("Enter New Value…"));
  g_assert_nonnull (button);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
  entry = sm_test_find_widget (GTK_WIDGET (row), GTK_TYPE_ENTRY);
  save = sm_test_find_button (GTK_WIDGET (row), _("Save"));
  g_assert_nonnull (entry);
  g_assert_nonnull (save);
  gtk_editable_set_text (GTK_EDITABLE (entry), "12345");
  g_assert_false (gtk_widget_get_sensitive (save));
  gtk_editable_set_text (GTK_EDITABLE (entry), "137 0000 0004");
  g_assert_true (gtk_widget_get_sensitive (save));
  g_signal_emit_by_name (save, "clicked");
  wait = (CountWait) { page, 2 };
  sm_test_wait_for (count_reached, &wait, "the new phone number saved");
  phone = store_string (replica->store, "household", household_id, "phone");
  g_assert_cmpstr (phone, ==, "13700000004");
  g_clear_pointer (&resolution, g_free);
  resolution = store_string (replica->store, "conflict", "conflict-phone", "resolution");
  g_assert_cmpstr (resolution, ==, "new");

  /* Settled meanwhile elsewhere (another window, a sync): the row says so and writes
   * nothing; the list then drops it. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *room = NULL;

    row = find_row (page, "room");
    g_assert_true (sm_conflict_resolve (replica->store, "conflict-room", SM_CONFLICT_KEEP, NULL, &error));
    g_assert_no_error (error);
    g_signal_emit_by_name (sm_test_find_button (GTK_WIDGET (row), _("Take Other Value")), "clicked");
    text = widget_text (GTK_WIDGET (row));
    g_test_message ("stale row:\n%s", text);
    g_assert_nonnull (strstr (text, _("This conflict has already been reconciled; the list shows it no longer.")));
    g_clear_pointer (&text, g_free);
    room = store_string (replica->store, "household", household_id, "room");
    g_assert_cmpstr (room, ==, "303");
    sm_conflicts_page_reload (page);
    g_assert_cmpuint (n_rows (page), ==, 1);
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (badge)), ==, "1");
  }

  sm_test_destroy_window (window);

  /* Phone width, in Chinese: the page still fits and shows its row. */
  window = sm_test_open_window (replica->store, 360, 720);
  sm_window_set_role (window, "office");
  sm_window_show_conflicts (window);
  page = sm_window_get_conflicts_page (window);
  sm_test_wait_for (rows_laid_out, page, "the conflict rows at 360 px");
  sm_test_wait_for_frame (GTK_WIDGET (window));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), ==, 360);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (page)), <=, 360);
  sm_test_render_to_png (GTK_WIDGET (window), "conflicts-zh_CN-360x720.png");

  /* By keyboard: Keep Current Value takes the focus, Tab goes from it to the next action
   * (not to the flow box's cells), and activating it (Enter) keeps the value. The row's
   * own Tab handling needs an active window, which Xvfb without a window manager never
   * gives, so the walk starts at the first button. */
  row = find_row (page, "tenure");
  {
    GtkWidget *keep = sm_test_find_button (GTK_WIDGET (row), _("Keep Current Value"));
    GtkWidget *take_other = sm_test_find_button (GTK_WIDGET (row), _("Take Other Value"));

    g_assert_true (gtk_widget_grab_focus (keep));
    g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == keep);
    g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD));
    g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == take_other);
    g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_BACKWARD));
    g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == keep);
    gtk_widget_activate (keep);
  }
  wait = (CountWait) { page, 0 };
  sm_test_wait_for (count_reached, &wait, "the kept tenure");
  g_clear_pointer (&resolution, g_free);
  resolution = store_string (replica->store, "conflict", "conflict-tenure", "resolution");
  g_assert_cmpstr (resolution, ==, "keep");

  /* A replica that cannot be read: the page says so instead of showing nothing. */
  g_assert_cmpint (sqlite3_exec (sm_store_get_connection (replica->store),
                                 "ALTER TABLE conflict RENAME TO conflict_away", NULL, NULL, NULL), ==, SQLITE_OK);
  sm_conflicts_page_reload (page);
  text = widget_text (GTK_WIDGET (page));
  g_test_message ("unreadable:\n%s", text);
  g_assert_nonnull (strstr (text, _("Cannot Read the Conflicts")));
  g_clear_pointer (&text, g_free);
  g_assert_cmpint (sqlite3_exec (sm_store_get_connection (replica->store),
                                 "ALTER TABLE conflict_away RENAME TO conflict", NULL, NULL, NULL), ==, SQLITE_OK);
  sm_conflicts_page_reload (page);
  text = widget_text (GTK_WIDGET (page));
  g_assert_null (strstr (text, _("Cannot Read the Conflicts")));
  g_assert_nonnull (strstr (text, _("No Conflicts")));
  sm_test_destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  /* The client in Simplified Chinese, from the build tree's catalog. */
  if (!sm_test_init_zh_CN (&argc, &argv))
    return 1;

  g_test_add_func ("/desktop/conflicts/page", test_conflicts_page);

  return g_test_run ();
}
