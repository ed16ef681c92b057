/* test-desktop-demands.c — the 诉求 loop in the real window over a real demo replica
 *
 * Needs a display: run it under `xvfb-run -a`. Runs in Simplified Chinese when the
 * zh_CN.UTF-8 locale exists (with the catalogs built in the build folder). A demand is
 * raised from a visit through the real visit dialog, opened from the household page's
 * demands section, and walked through the loop (发现 → 响应 → 处置 → 督办 → 办结 → 评价,
 * with an escalation, a comment and an unsatisfied evaluation that reopens it) by
 * activating the demand page's own buttons; after each step the demand_event rows and the
 * derived status in the store are checked against what the page shows. Then the demands
 * list (counts per status, rows, activation), the warning light for due times past, near
 * and far, raising from the household page, PNG renders at 1280×800 and 360×720, and the
 * list's speed on 100,000 households.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "sanmen-core.h"
#include "sm-demand-actions.h"
#include "sm-settings.h"
#include "sm-demand-dialog.h"
#include "sm-demand-model.h"
#include "sm-demand-page.h"
#include "sm-demand-row.h"
#include "sm-demand-status.h"
#include "sm-demands-page.h"
#include "sm-test-gtk.h"
#include "sm-test-replica.h"
#include "sm-visit-dialog.h"
#include "sm-window.h"

/* ---------------------------------------------------------------- the store's view */

static GPtrArray *
list_events (SmStore    *store,
             const char *demand_id)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *events = sm_store_list_demand_events (store, demand_id, &error);

  g_assert_no_error (error);
  return events;
}

static SmRecord *
get_demand (SmStore    *store,
            const char *demand_id)
{
  g_autoptr(GError) error = NULL;
  SmRecord *demand = sm_store_get (store, "demand", demand_id, &error);

  g_assert_no_error (error);
  return demand;
}

static const char *
status_label (const char *status)
{
  return sm_field_get_enum_label (sm_table_lookup_field (sm_schema_lookup_table ("demand"), "status"),
                                  status);
}

typedef struct {
  SmStore    *store;
  const char *demand_id;
  guint       n_events;
} EventWait;

static gboolean
events_reached (gpointer data)
{
  EventWait *wait = data;
  g_autoptr(GPtrArray) events = list_events (wait->store, wait->demand_id);

  return events->len >= wait->n_events;
}

/* Which action buttons the page shows (their flow box child is what hides). */
static gboolean
button_shown (SmDemandPage *page,
              const char   *action)
{
  GtkWidget *button = GTK_WIDGET (sm_demand_page_get_action_button (page, action));

  return gtk_widget_get_visible (gtk_widget_get_parent (button)) && gtk_widget_is_sensitive (button);
}

static void
assert_buttons (SmDemandPage *page,
                const char   *status)
{
  static const char * const actions[] = {
    "accept", "handle", "escalate", "supervise", "resolve", "reopen" };
  GtkWidget *evaluate = GTK_WIDGET (sm_demand_page_get_evaluate_button (page, "satisfied"));

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    g_assert_cmpint (button_shown (page, actions[i]), ==,
                     sm_demand_status_transition (status, actions[i], NULL) != NULL);
  g_assert_true (button_shown (page, "comment"));
  g_assert_cmpint (gtk_widget_is_visible (evaluate), ==, g_str_equal (status, "resolved"));
}

static void
collect_event_rows (GtkWidget *widget,
                    GPtrArray *rows)
{
  if (ADW_IS_ACTION_ROW (widget) && gtk_widget_has_css_class (widget, "demand-event-row"))
    g_ptr_array_add (rows, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_event_rows (child, rows);
}

typedef struct {
  const char *action;
  const char *satisfaction;   /* evaluate */
  const char *level;          /* resolve: picked; others: expected afterwards (NULL: same) */
  const char *note;
  const char *status;         /* derived afterwards */
} Step;

/* Presses the page's own button for @step, as a click or Enter does, and checks the store
 * and the page afterwards. */
static void
perform_step (SmStore      *store,
              SmDemandPage *page,
              const char   *demand_id,
              const Step   *step)
{
  g_autoptr(GPtrArray) before = list_events (store, demand_id);
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(SmRecord) old = get_demand (store, demand_id);
  g_autoptr(SmRecord) demand = NULL;
  EventWait wait = { store, demand_id, before->len + 1 };
  GtkButton *button;
  SmRecord *event;

  g_test_message ("%s → %s", step->action, step->status);
  gtk_editable_set_text (sm_demand_page_get_note_entry (page), step->note ? step->note : "");
  if (g_str_equal (step->action, "resolve"))
    sm_demand_page_set_settled_level (page, step->level);

  button = g_str_equal (step->action, "evaluate")
           ? sm_demand_page_get_evaluate_button (page, step->satisfaction)
           : sm_demand_page_get_action_button (page, step->action);
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (button)));
  g_assert_true (gtk_widget_activate (GTK_WIDGET (button)));
  sm_test_wait_for (events_reached, &wait, "the demand event");

  /* Exactly one event more, the newest in (hlc, site) order, with what was asked. */
  after = list_events (store, demand_id);
  g_assert_cmpuint (after->len, ==, before->len + 1);
  event = g_ptr_array_index (after, after->len - 1);
  g_assert_cmpstr (sm_record_get_string (event, "action"), ==, step->action);
  g_assert_cmpstr (sm_record_get_string (event, "demand_id"), ==, demand_id);
  g_assert_cmpstr (sm_record_get_string (event, "actor"), ==, "local");
  g_assert_cmpstr (sm_record_get_string (event, "satisfaction"), ==, step->satisfaction);
  g_assert_cmpstr (sm_record_get_string (event, "note"), ==, step->note);
  g_assert_cmpstr (sm_record_get_grid_id (event), ==, sm_record_get_grid_id (old));
  g_assert_nonnull (sm_record_get_string (event, "at"));

  /* The store derived the status; the page shows that one. */
  demand = get_demand (store, demand_id);
  g_assert_cmpstr (sm_record_get_string (demand, "status"), ==, step->status);
  g_assert_cmpstr (sm_demand_page_get_status_text (page), ==, status_label (step->status));
  g_assert_cmpstr (sm_record_get_string (sm_demand_page_get_demand (page), "status"), ==, step->status);
  g_assert_cmpuint (g_list_model_get_n_items (sm_demand_page_get_events (page)), ==, after->len);
  g_assert_cmpstr (sm_record_get_string (demand, "level"), ==,
                   step->level ? step->level : sm_record_get_string (old, "level"));
  g_assert_null (sm_demand_page_get_error_message (page));
  g_assert_cmpstr (gtk_editable_get_text (sm_demand_page_get_note_entry (page)), ==, "");
  assert_buttons (page, step->status);

  /* The timeline: one row per event, the newest last, saying what, who and the note. */
  {
    g_autoptr(GPtrArray) rows = g_ptr_array_new ();
    const SmTable *table = sm_schema_lookup_table ("demand_event");
    GtkWidget *last;

    collect_event_rows (GTK_WIDGET (page), rows);
    g_assert_cmpuint (rows->len, ==, after->len);
    last = g_ptr_array_index (rows, rows->len - 1);
    g_assert_true (g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (last)),
                                     sm_field_get_enum_label (sm_table_lookup_field (table, "action"), step->action)));
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (last)), "local"));
    if (step->note != NULL)
      g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (last)), step->note));
    if (step->satisfaction != NULL)
      g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (last)),
                                sm_field_get_enum_label (sm_table_lookup_field (table, "satisfaction"),
                                                         step->satisfaction)));
  }
}

/* ---------------------------------------------------------------- tests */

static SmRecord *
pick_household (SmTestReplica *replica)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) grids = sm_store_list_grids (replica->store, &error);
  g_autoptr(GPtrArray) households = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (grids->len, >, 0);
  households = sm_store_list_households (replica->store, sm_record_get_id (grids->pdata[0]), NULL,
                                         0, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (households->len, ==, 1);
  return g_object_ref (g_ptr_array_index (households, 0));
}

static void
test_loop (void)
{
  g_autoptr(SmTestReplica) replica = sm_test_replica_new ("demands", 400, 4, 0);
  g_autoptr(SmRecord) household = pick_household (replica);
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) visits = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(SmRecord) demand = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) started = g_date_time_new_now_utc ();
  g_autofree char *demand_id = NULL;
  g_autofree char *expected_due = NULL;
  const char *household_id = sm_record_get_id (household);
  SmHouseholdPage *household_page;
  SmDemandPage *page;
  SmVisitDialog *dialog;
  SmWindow *window;
  GtkWidget *row;
  gint64 outbox;
  const Step steps[] = {
    { "accept", NULL, NULL, "已接单，马上联系物业", "accepted" },
    { "handle", NULL, NULL, NULL, "handling" },
    { "escalate", NULL, "escalated", "需要街道协调", "handling" },
    { "supervise", NULL, NULL, "已超过办理时限，请尽快办结", "supervising" },
    { "comment", NULL, NULL, "物业已派人查看", "supervising" },
    { "resolve", NULL, "community", "灯已更换", "resolved" },
    { "evaluate", "unsatisfied", NULL, "三楼的灯还是不亮", "handling" },
    { "resolve", NULL, "area", "三楼的灯也换好了", "resolved" },
    { "evaluate", "satisfied", NULL, NULL, "evaluated" },
  };

  before = sm_store_list_household_demands (replica->store, household_id, &error);
  g_assert_no_error (error);

  window = sm_test_open_window (replica->store, 1280, 800);
  household_page = sm_window_get_household_page (window);
  page = sm_window_get_demand_page (window);

  /* 发现: on a visit, through the real dialog, Enter in the demand's title saves. */
  sm_window_show_household (window, household_id);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (household_page), "household.record-visit", NULL));
  dialog = sm_test_find_toplevel (SM_TYPE_VISIT_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_false (sm_visit_dialog_get_raise_demand (dialog));
  sm_visit_dialog_set_raise_demand (dialog, TRUE);
  /* Switched on, the keyboard is in what is needed. */
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (dialog)),
                                         GTK_WIDGET (sm_visit_dialog_get_demand_title_entry (dialog))));

  /* Switched on without a title: refused, and the visit, written first in the same
   * transaction, is rolled back with it; the dialog stays. */
  visits = sm_store_list_visits (replica->store, household_id, &error);
  outbox = sm_store_outbox_count (replica->store, &error);
  g_assert_false (sm_visit_dialog_save (dialog));
  g_assert_cmpint (sm_store_outbox_count (replica->store, &error), ==, outbox);
  g_assert_nonnull (sm_visit_dialog_get_error_message (dialog));
  g_test_message ("error shown: %s", sm_visit_dialog_get_error_message (dialog));
  {
    g_autoptr(GPtrArray) same = sm_store_list_visits (replica->store, household_id, &error);
    g_autoptr(GPtrArray) no_demand = sm_store_list_household_demands (replica->store, household_id, &error);

    g_assert_cmpuint (same->len, ==, visits->len);
    g_assert_cmpuint (no_demand->len, ==, before->len);
  }

  gtk_editable_set_text (sm_visit_dialog_get_notes_entry (dialog), "老人反映楼道灯坏了");
  gtk_editable_set_text (sm_visit_dialog_get_demand_title_entry (dialog), "楼道灯不亮");
  sm_visit_dialog_set_demand_category (dialog, "设施维修");
  sm_visit_dialog_set_demand_level (dialog, "building");
  g_assert_cmpstr (sm_visit_dialog_get_demand_category (dialog), ==, "设施维修");
  sm_test_wait_for (sm_test_widget_laid_out, dialog, "the visit dialog");
  sm_test_render_to_png (GTK_WIDGET (dialog), "demands-visit-dialog.png");
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  gtk_widget_activate_default (GTK_WIDGET (sm_visit_dialog_get_demand_title_entry (dialog)));
  sm_test_wait_for (sm_test_is_null, &dialog, "the visit dialog to close");

  /* One visit and one demand more, linked, with its report event. */
  g_clear_pointer (&visits, g_ptr_array_unref);
  visits = sm_store_list_visits (replica->store, household_id, &error);
  after = sm_store_list_household_demands (replica->store, household_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, ==, before->len + 1);
  demand = g_object_ref (g_ptr_array_index (after, 0));
  demand_id = g_strdup (sm_record_get_id (demand));
  g_assert_cmpstr (sm_record_get_string (demand, "visit_id"), ==, sm_record_get_id (g_ptr_array_index (visits, 0)));
  g_assert_cmpstr (sm_record_get_string (g_ptr_array_index (visits, 0), "notes"), ==, "老人反映楼道灯坏了");
  g_assert_cmpstr (sm_record_get_string (demand, "source"), ==, "visit");
  g_assert_cmpstr (sm_record_get_string (demand, "title"), ==, "楼道灯不亮");
  g_assert_cmpstr (sm_record_get_string (demand, "category"), ==, "设施维修");
  g_assert_cmpstr (sm_record_get_string (demand, "level"), ==, "building");
  g_assert_cmpstr (sm_record_get_string (demand, "household_id"), ==, household_id);
  g_assert_cmpstr (sm_record_get_grid_id (demand), ==, sm_record_get_grid_id (household));
  g_assert_cmpstr (sm_record_get_string (demand, "status"), ==, "reported");
  g_assert_null (sm_record_get_string (demand, "responded_at"));
  {
    g_autoptr(GDateTime) reported = g_date_time_new_from_iso8601 (sm_record_get_string (demand, "reported_at"), NULL);

    g_assert_nonnull (reported);
    g_assert_cmpint (g_date_time_difference (reported, started), >=, -G_TIME_SPAN_SECOND);
    g_assert_cmpint (g_date_time_difference (reported, started), <, 60 * G_TIME_SPAN_SECOND);
    expected_due = sm_demand_default_due_at ("building", reported);
    g_assert_cmpstr (sm_record_get_string (demand, "due_at"), ==, expected_due);
  }
  events = list_events (replica->store, demand_id);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (sm_record_get_string (events->pdata[0], "action"), ==, "report");
  g_assert_cmpstr (sm_record_get_string (events->pdata[0], "at"), ==, sm_record_get_string (demand, "reported_at"));

  /* The household page lists it; its row opens the demand. */
  g_assert_cmpuint (g_list_model_get_n_items (sm_household_page_get_demands (household_page)), ==, after->len);
  sm_test_wait_for (sm_test_widget_laid_out, household_page, "the household page");
  row = sm_test_find_widget (GTK_WIDGET (household_page), SM_TYPE_DEMAND_ROW);
  g_assert_nonnull (row);
  g_assert_cmpstr (sm_record_get_id (sm_demand_row_get_demand (SM_DEMAND_ROW (row))), ==, demand_id);
  g_assert_cmpint (sm_demand_row_get_light (SM_DEMAND_ROW (row)), ==, SM_DEMAND_LIGHT_GREEN);
  sm_test_render_to_png (GTK_WIDGET (window), "demands-household-1280x800.png");
  g_signal_emit_by_name (gtk_widget_get_parent (row), "activate");
  g_assert_true (sm_window_get_demand_shown (window));
  g_assert_cmpstr (sm_demand_page_get_demand_id (page), ==, demand_id);
  sm_test_wait_for (sm_test_widget_laid_out, page, "the demand page");
  g_assert_cmpstr (sm_demand_page_get_status_text (page), ==, status_label ("reported"));
  g_assert_cmpuint (g_list_model_get_n_items (sm_demand_page_get_events (page)), ==, 1);
  assert_buttons (page, "reported");

  /* A comment needs its note: the error shows, nothing is written. */
  gtk_editable_set_text (sm_demand_page_get_note_entry (page), "  ");
  g_assert_false (sm_demand_page_perform (page, "comment", NULL));
  g_assert_nonnull (sm_demand_page_get_error_message (page));
  g_clear_pointer (&events, g_ptr_array_unref);
  events = list_events (replica->store, demand_id);
  g_assert_cmpuint (events->len, ==, 1);
  sm_test_render_to_png (GTK_WIDGET (window), "demand-1280x800-reported.png");

  /* 响应 → 处置 → 上报 → 督办 → 办结 → 评价 (unsatisfied reopens) → 办结 → 评价. */
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    perform_step (replica->store, page, demand_id, &steps[i]);

  /* Responded by the accept, within the 5-minute target; settled within the area. */
  g_clear_object (&demand);
  demand = get_demand (replica->store, demand_id);
  g_clear_pointer (&events, g_ptr_array_unref);
  events = list_events (replica->store, demand_id);
  g_assert_cmpuint (events->len, ==, 1 + G_N_ELEMENTS (steps));
  g_assert_cmpstr (sm_record_get_string (demand, "responded_at"), ==,
                   sm_record_get_string (events->pdata[1], "at"));
  {
    GTimeSpan span;

    g_assert_true (sm_demand_get_response_span (demand, &span));
    g_assert_cmpint (span, <, sm_settings_get_response_target () * G_TIME_SPAN_MINUTE);
  }
  g_assert_true (sm_demand_is_settled (demand));
  g_assert_cmpint (sm_demand_page_get_light (page), ==, SM_DEMAND_LIGHT_NONE);
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_parent (GTK_WIDGET (sm_demand_page_get_action_button (page, "resolve")))));
  sm_test_render_to_png (GTK_WIDGET (window), "demand-1280x800.png");

  /* The demands list (Alt+3): counts per status are the store's; the demand is the
   * newest evaluated one, and its row opens it. */
  sm_test_press_shortcut (GTK_WIDGET (window), "<Alt>3");
  g_assert_true (sm_window_get_demands_shown (window));
  {
    SmDemandsPage *list = sm_window_get_demands_page (window);
    g_autoptr(GHashTable) counts = sm_store_count_demands_by_status (replica->store, NULL, &error);
    const SmField *status = sm_table_lookup_field (sm_schema_lookup_table ("demand"), "status");
    g_autoptr(SmRecord) first = NULL;
    GtkWidget *view;

    g_assert_no_error (error);
    sm_test_wait_for (sm_test_widget_laid_out, list, "the demands list");
    for (guint i = 0; status->enum_values[i] != NULL; i++)
      {
        guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, status->enum_values[i]));
        /* The label is the status and its count, in the catalog's own form. */
        g_autofree char *expected = g_strdup_printf (g_dgettext (GETTEXT_PACKAGE, "%s (%u)"),
                                                     status_label (status->enum_values[i]), n);
        const char *label = gtk_button_get_label (GTK_BUTTON (sm_demands_page_get_status_button (list, status->enum_values[i])));

        g_assert_cmpuint (sm_demands_page_get_count (list, status->enum_values[i]), ==, n);
        g_assert_cmpstr (label, ==, expected);
      }
    g_assert_cmpstr (sm_demands_page_get_status (list), ==, "reported");
    sm_test_render_to_png (GTK_WIDGET (window), "demands-1280x800.png");

    /* Choosing a status with its button lists its demands, newest report first. */
    gtk_toggle_button_set_active (sm_demands_page_get_status_button (list, "evaluated"), TRUE);
    g_assert_cmpstr (sm_demands_page_get_status (list), ==, "evaluated");
    g_assert_cmpuint (g_list_model_get_n_items (sm_demands_page_get_model (list)), ==,
                      GPOINTER_TO_UINT (g_hash_table_lookup (counts, "evaluated")));
    first = g_list_model_get_item (sm_demands_page_get_model (list), 0);
    g_assert_cmpstr (sm_record_get_id (first), ==, demand_id);
    sm_test_wait_for_frame (GTK_WIDGET (window));
    row = sm_test_find_widget (GTK_WIDGET (list), SM_TYPE_DEMAND_ROW);
    g_assert_nonnull (row);
    g_assert_cmpstr (sm_demand_row_get_title (SM_DEMAND_ROW (row)), ==, "楼道灯不亮");
    g_test_message ("row details: %s", sm_demand_row_get_details (SM_DEMAND_ROW (row)));
    g_assert_nonnull (strstr (sm_demand_row_get_details (SM_DEMAND_ROW (row)), "设施维修"));
    sm_test_render_to_png (GTK_WIDGET (window), "demands-1280x800-evaluated.png");

    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-list", NULL);
    sm_demand_page_set_demand_id (page, NULL);
    view = sm_test_find_widget (GTK_WIDGET (list), GTK_TYPE_LIST_VIEW);
    g_signal_emit_by_name (view, "activate", 0);
    g_assert_true (sm_window_get_demand_shown (window));
    g_assert_cmpstr (sm_demand_page_get_demand_id (page), ==, demand_id);

    /* Back (Escape) with nothing done: the list is where it was, not read again. */
    {
      SmDemandModel *model = SM_DEMAND_MODEL (sm_demands_page_get_model (list));
      guint loads = sm_demand_model_get_n_page_loads (model);

      sm_test_press_shortcut (gtk_widget_get_parent (GTK_WIDGET (page)), "Escape");
      g_assert_true (sm_window_get_demands_shown (window));
      sm_test_wait_for (sm_test_widget_laid_out, list, "the demands list again");
      g_assert_cmpstr (sm_demands_page_get_status (list), ==, "evaluated");
      g_assert_cmpuint (sm_demand_model_get_n_page_loads (model), ==, loads);
    }

    /* An edit that moves no count (another title, as a sync may bring) shows when the
     * list shows again. */
    sm_test_press_shortcut (GTK_WIDGET (window), "<Alt>2");
    g_assert_true (sm_store_update_with (replica->store, "demand", demand_id, &error,
                                         "title", g_variant_new_string ("楼道灯已换新"), NULL));
    g_assert_no_error (error);
    sm_test_press_shortcut (GTK_WIDGET (window), "<Alt>3");
    g_assert_true (sm_window_get_demands_shown (window));
    g_clear_object (&first);
    first = g_list_model_get_item (sm_demands_page_get_model (list), 0);
    g_assert_cmpstr (sm_record_get_id (first), ==, demand_id);
    g_assert_cmpstr (sm_record_get_string (first, "title"), ==, "楼道灯已换新");
  }

  sm_test_destroy_window (window);
}

/* The shortcuts window lists Alt+3. */
static void
test_shortcuts_window (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/org/sanmen/Sanmen/gtk/help-overlay.ui");
  g_autoptr(GPtrArray) shortcuts = g_ptr_array_new ();
  GtkWidget *overlay = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));
  gboolean listed = FALSE;

  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  sm_test_collect_widgets (overlay, GTK_TYPE_SHORTCUTS_SHORTCUT, shortcuts);
  for (guint i = 0; i < shortcuts->len; i++)
    {
      g_autofree char *accelerator = NULL;

      g_object_get (shortcuts->pdata[i], "accelerator", &accelerator, NULL);
      listed |= g_strcmp0 (accelerator, "<Alt>3") == 0;
    }
  g_assert_true (listed);
  gtk_window_destroy (GTK_WINDOW (overlay));
}

static char *
make_demand (SmStore    *store,
             SmRecord   *household,
             GDateTime  *now,
             int         reported_hours_ago,
             int         due_in_hours)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) reported = g_date_time_add_hours (now, -reported_hours_ago);
  g_autoptr(GDateTime) due = g_date_time_add_hours (now, due_in_hours);
  g_autofree char *reported_at = g_date_time_format (reported, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *due_at = g_date_time_format (due, "%Y-%m-%dT%H:%M:%SZ");
  char *id = sm_store_create_with (store, "demand", sm_record_get_grid_id (household), &error,
                                   "household_id", g_variant_new_string (sm_record_get_id (household)),
                                   "source", g_variant_new_string ("phone"),
                                   "category", g_variant_new_string ("环境卫生"),
                                   "title", g_variant_new_string ("垃圾清运不及时"),
                                   "reported_at", g_variant_new_string (reported_at),
                                   "due_at", g_variant_new_string (due_at),
                                   NULL);

  g_assert_no_error (error);
  return id;
}

/* The warning light: red past due, yellow within 24 h or under a quarter of the time
 * given, green otherwise, none once settled; a word and an icon besides the colour. */
static void
test_lights (void)
{
  g_autoptr(SmTestReplica) replica = sm_test_replica_new ("demands", 50, 1, 0);
  g_autoptr(SmRecord) household = pick_household (replica);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  const struct {
    int           reported_hours_ago;
    int           due_in_hours;
    gboolean      resolved;
    SmDemandLight light;
  } cases[] = {
    { 80, -8, FALSE, SM_DEMAND_LIGHT_RED },          /* overdue */
    { 60, 10, FALSE, SM_DEMAND_LIGHT_YELLOW },       /* less than a day left */
    { 20 * 24, 3 * 24, FALSE, SM_DEMAND_LIGHT_YELLOW }, /* 3 of 23 days left: < 25% */
    { 2, 10 * 24, FALSE, SM_DEMAND_LIGHT_GREEN },    /* far */
    { 80, -8, TRUE, SM_DEMAND_LIGHT_NONE },          /* settled: no light */
  };
  SmWindow *window = sm_test_open_window (replica->store, 1280, 800);
  SmDemandPage *page = sm_window_get_demand_page (window);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *id = make_demand (replica->store, household, now, cases[i].reported_hours_ago,
                                         cases[i].due_in_hours);
      g_autoptr(SmRecord) demand = NULL;
      GtkWidget *row = g_object_ref_sink (sm_demand_row_new (replica->store));

      if (cases[i].resolved)
        g_assert_true (sm_demand_act (replica->store, id, "resolve", NULL, "building", NULL, NULL, &error));
      g_assert_no_error (error);
      demand = get_demand (replica->store, id);
      g_assert_cmpint (sm_demand_get_light (demand, now), ==, cases[i].light);

      sm_demand_row_set_demand (SM_DEMAND_ROW (row), demand);
      g_assert_cmpint (sm_demand_row_get_light (SM_DEMAND_ROW (row)), ==, cases[i].light);
      g_assert_cmpstr (sm_demand_row_get_light_text (SM_DEMAND_ROW (row)), ==,
                       sm_demand_light_get_label (cases[i].light));
      g_assert_cmpint (cases[i].light == SM_DEMAND_LIGHT_NONE, ==,
                       sm_demand_light_get_icon_name (cases[i].light) == NULL);
      g_object_unref (row);

      sm_window_show_demand (window, id);
      g_assert_cmpint (sm_demand_page_get_light (page), ==, cases[i].light);
      if (cases[i].light == SM_DEMAND_LIGHT_RED)
        {
          sm_test_wait_for (sm_test_widget_laid_out, page, "the demand page");
          sm_test_render_to_png (GTK_WIDGET (window), "demand-1280x800-overdue.png");
        }
    }

  sm_test_destroy_window (window);
}

/* “Raise Demand” on a household's page, and both views at phone width. */
static void
test_raise_and_narrow (void)
{
  g_autoptr(SmTestReplica) replica = sm_test_replica_new ("demands", 200, 2, 0);
  g_autoptr(SmRecord) household = pick_household (replica);
  g_autoptr(GPtrArray) demands = NULL;
  g_autoptr(GError) error = NULL;
  SmHouseholdPage *household_page;
  SmDemandDialog *dialog;
  SmRecord *demand;
  SmWindow *window;

  window = sm_test_open_window (replica->store, 360, 720);
  household_page = sm_window_get_household_page (window);
  sm_window_show_household (window, sm_record_get_id (household));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (household_page), "household.raise-demand", NULL));
  dialog = sm_test_find_toplevel (SM_TYPE_DEMAND_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  g_assert_cmpstr (sm_demand_dialog_get_source (dialog), ==, "walk_in");
  g_assert_cmpstr (sm_demand_dialog_get_level (dialog), ==, "building");
  /* The demo's categories come first, most used first. */
  g_assert_nonnull (sm_demand_dialog_get_category (dialog));

  gtk_editable_set_text (sm_demand_dialog_get_title_entry (dialog), "咨询高龄津贴办理");
  gtk_editable_set_text (sm_demand_dialog_get_description_entry (dialog), "老人今年满八十岁");
  sm_demand_dialog_set_category (dialog, "民生保障");
  sm_demand_dialog_set_source (dialog, "phone");
  sm_demand_dialog_set_level (dialog, "community");
  sm_test_wait_for (sm_test_widget_laid_out, dialog, "the demand dialog");
  sm_test_render_to_png (GTK_WIDGET (dialog), "demand-dialog.png");
  /* Ctrl+S saves, as in the other dialogs. */
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  sm_test_press_shortcut (GTK_WIDGET (dialog), "<Control>s");
  sm_test_wait_for (sm_test_is_null, &dialog, "the demand dialog to close");
  g_assert_null (dialog);

  demands = sm_store_list_household_demands (replica->store, sm_record_get_id (household), &error);
  g_assert_no_error (error);
  demand = g_ptr_array_index (demands, 0);
  g_assert_cmpstr (sm_record_get_string (demand, "title"), ==, "咨询高龄津贴办理");
  g_assert_cmpstr (sm_record_get_string (demand, "description"), ==, "老人今年满八十岁");
  g_assert_cmpstr (sm_record_get_string (demand, "category"), ==, "民生保障");
  g_assert_cmpstr (sm_record_get_string (demand, "source"), ==, "phone");
  g_assert_cmpstr (sm_record_get_string (demand, "level"), ==, "community");
  g_assert_null (sm_record_get_string (demand, "visit_id"));
  {
    g_autoptr(GDateTime) reported = g_date_time_new_from_iso8601 (sm_record_get_string (demand, "reported_at"), NULL);
    g_autofree char *due = sm_demand_default_due_at ("community", reported);
    g_autoptr(GPtrArray) events = list_events (replica->store, sm_record_get_id (demand));

    g_assert_cmpstr (sm_record_get_string (demand, "due_at"), ==, due);
    g_assert_cmpuint (events->len, ==, 1);
    g_assert_cmpstr (sm_record_get_string (events->pdata[0], "action"), ==, "report");
  }
  g_assert_cmpuint (g_list_model_get_n_items (sm_household_page_get_demands (household_page)), ==, demands->len);

  /* Phone width: the list alone, then the demand alone. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-demands", NULL);
  g_assert_true (sm_window_get_demands_shown (window));
  sm_test_wait_for (sm_test_widget_laid_out, sm_window_get_demands_page (window), "the demands list at phone width");
  g_assert_cmpuint (sm_demands_page_get_count (sm_window_get_demands_page (window), "reported"), >=, 1);
  sm_test_render_to_png (GTK_WIDGET (window), "demands-360x720.png");

  sm_window_show_demand (window, sm_record_get_id (demand));
  sm_test_wait_for (sm_test_widget_laid_out, sm_window_get_demand_page (window), "the demand at phone width");
  sm_test_render_to_png (GTK_WIDGET (window), "demand-360x720.png");

  sm_test_destroy_window (window);
}

static gboolean
has_demand (gpointer row)
{
  return sm_demand_row_get_demand (SM_DEMAND_ROW (row)) != NULL;
}

/* A demand row of @widget's is mapped, laid out and shows a demand. */
static gboolean
demand_row_shown (gpointer data)
{
  return sm_test_find_shown (GTK_WIDGET (data), SM_TYPE_DEMAND_ROW, has_demand) != NULL;
}

/* 100,000 households: counts and a status's first and last pages stay quick. The times
 * are reported, not asserted (a loaded machine is not a slow program); what is asserted
 * is that only the pages shown are read. */
static void
test_performance (void)
{
  g_autoptr(SmTestReplica) replica = sm_test_replica_new ("demands", 100000, 4, 0);
  g_autoptr(GError) error = NULL;
  SmDemandsPage *list;
  SmDemandModel *model;
  SmWindow *window;
  gint64 start, took;
  guint n;

  g_test_message ("%" G_GINT64_FORMAT " demands", sm_store_count (replica->store, "demand", &error));
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GHashTable) counts = NULL;
      g_autoptr(GPtrArray) page = NULL;

      start = g_get_monotonic_time ();
      counts = sm_store_count_demands_by_status (replica->store, NULL, &error);
      g_assert_no_error (error);
      took = g_get_monotonic_time () - start;
      start = g_get_monotonic_time ();
      page = sm_store_list_demands_in_status (replica->store, "evaluated", NULL, 0,
                                              SM_DEMAND_MODEL_PAGE_SIZE, &error);
      g_assert_no_error (error);
      g_test_message ("counts per status: %.2f ms; a page of evaluated demands: %.2f ms",
                      took / 1000.0, (g_get_monotonic_time () - start) / 1000.0);
    }
  window = sm_test_open_window (replica->store, 1280, 800);
  start = g_get_monotonic_time ();
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-demands", NULL);
  list = sm_window_get_demands_page (window);
  took = g_get_monotonic_time () - start;
  sm_test_wait_for (demand_row_shown, list, "the demands list");
  g_test_message ("Alt+3: counted and listed in %.1f ms, rows laid out after %.1f ms",
                  took / 1000.0, (g_get_monotonic_time () - start) / 1000.0);

  model = SM_DEMAND_MODEL (sm_demands_page_get_model (list));
  n = sm_demand_model_get_n_page_loads (model);
  start = g_get_monotonic_time ();
  gtk_toggle_button_set_active (sm_demands_page_get_status_button (list, "evaluated"), TRUE);
  took = g_get_monotonic_time () - start;
  sm_test_wait_for (demand_row_shown, list, "the evaluated demands");
  g_test_message ("switch to %u evaluated demands: listed in %.1f ms, rows laid out after %.1f ms",
                  g_list_model_get_n_items (G_LIST_MODEL (model)), took / 1000.0,
                  (g_get_monotonic_time () - start) / 1000.0);
  /* Only the pages the view shows were read (GTK 4.8 keeps up to 200 rows around). */
  g_assert_cmpuint (sm_demand_model_get_n_page_loads (model) - n, <=, 3);
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  g_assert_cmpuint (n, >, 10 * SM_DEMAND_MODEL_PAGE_SIZE);

  /* What a row costs: GTK 4.8's list view builds up to 200 of them. */
  {
    g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);

    start = g_get_monotonic_time ();
    for (guint i = 0; i < 200; i++)
      {
        g_autoptr(SmRecord) demand = g_list_model_get_item (G_LIST_MODEL (model), i);
        GtkWidget *row = g_object_ref_sink (sm_demand_row_new (replica->store));

        sm_demand_row_set_demand (SM_DEMAND_ROW (row), demand);
        g_ptr_array_add (rows, row);
      }
    g_test_message ("200 demand rows made and filled: %.1f ms",
                    (g_get_monotonic_time () - start) / 1000.0);
  }

  start = g_get_monotonic_time ();
  g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), n - 1));
  took = g_get_monotonic_time () - start;
  g_test_message ("reading the last page of evaluated demands: %.2f ms", took / 1000.0);

  sm_test_destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  /* In Chinese: that is what the renders are for. */
  if (!sm_test_init_zh_CN (&argc, &argv))
    return 1;
  g_test_message ("“Demand” is “%s”", _("Demand"));

  g_test_add_func ("/desktop/demands/loop", test_loop);
  g_test_add_func ("/desktop/demands/lights", test_lights);
  g_test_add_func ("/desktop/demands/shortcuts-window", test_shortcuts_window);
  g_test_add_func ("/desktop/demands/raise-narrow", test_raise_and_narrow);
  g_test_add_func ("/desktop/demands/performance", test_performance);

  return g_test_run ();
}
