/* test-desktop-lists.c — the three lists (三项清单) in the real window, in Simplified Chinese
 *
 * Needs a display: run it under `xvfb-run -a`. On a demo replica, through the real window
 * and its real buttons: the Lists page reached as Alt+5 does; a resource added with the
 * resource dialog and seen in the 资源清单 (and found by category and by search); an open
 * demand opened from the 需求清单; "Match a Resource…" offering the demand's category
 * first; the claim written (by the signed-in login, now, "claimed") and shown, its status
 * moved from its row's menu; the demand resolved with the page's own buttons and the claim
 * then shown closed while the store still holds what was written (the closing is derived);
 * the open claim in the 认领清单 until then, opening its demand; the demand gone from the
 * 需求清单 and its claim from the 认领清单. As role "worker", adding resources and awarding red
 * credit are not offered (insensitive, with a tooltip saying why); as "office" and with no
 * role they are. Renders the page's views in zh_CN at 1280×800 and 360×720 to PNG files in
 * the build folder and checks that they are not blank. And across two replicas: a claim
 * made offline while the office resolves the demand elsewhere shows closed on both once
 * they have synced, with equal digests, and open again when the demand is reopened.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "sanmen-core.h"
#include "sm-claim-row.h"
#include "sm-resource-chooser.h"
#include "sm-resource-dialog.h"
#include "sm-test-gtk.h"
#include "sm-test-replica.h"
#include "sm-test-store.h"
#include "sm-test-util.h"
#include "sm-window.h"

#define LOGIN "wang-07"

/* ---------------------------------------------------------------- waiting */

/* Lets idles (the page's reload after the store changed) and layout run. */
static void
settle (void)
{
  for (int i = 0; i < 50 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
time_passed (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

/* The dialog of @type the page opened, or NULL. */
static GtkWindow *
find_toplevel (GType type)
{
  return sm_test_find_toplevel (type);
}

static gboolean
window_gone (gpointer data)
{
  return find_toplevel (GPOINTER_TO_SIZE (data)) == NULL;
}

static gboolean
window_shown (gpointer data)
{
  return find_toplevel (GPOINTER_TO_SIZE (data)) != NULL;
}

/* Activates @button as the keyboard does; GTK emits "clicked" once its press shows. */
static GtkWindow *
activate_for_window (GtkWidget *button,
                     GType      type)
{
  g_assert_true (gtk_widget_activate (button));
  sm_test_wait_for (window_shown, GSIZE_TO_POINTER (type), g_type_name (type));
  return find_toplevel (type);
}

/* The row titled @title under @widget (an AdwPreferencesRow), or NULL. */
static GtkWidget *
find_row (GtkWidget  *widget,
          const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  sm_test_collect_widgets (widget, ADW_TYPE_PREFERENCES_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), title) == 0)
      return rows->pdata[i];

  return NULL;
}

/* ---------------------------------------------------------------- steps */

static SmListsPage *
open_lists (SmWindow *window)
{
  SmListsPage *page;

  /* Alt+5, as the sidebar's fifth page. */
  sm_test_press_shortcut (GTK_WIDGET (window), "<Alt>5");
  g_assert_true (sm_window_get_lists_shown (window));
  page = sm_window_get_lists_page (window);
  sm_test_wait_for (sm_test_widget_laid_out, page, "the lists page");

  return page;
}

/* Adds a resource with the real dialog, opened by the page's button. */
static char *
add_resource (SmListsPage *page,
              SmStore     *store,
              const char  *provider,
              const char  *name,
              const char  *category,
              const char  *contact,
              gboolean     active)
{
  SmResourceDialog *dialog;
  g_autoptr(GPtrArray) all = NULL;
  gint64 before = sm_store_count (store, "resource", NULL);

  g_assert_true (gtk_widget_is_sensitive (sm_lists_page_get_add_button (page)));
  dialog = SM_RESOURCE_DIALOG (activate_for_window (sm_lists_page_get_add_button (page), SM_TYPE_RESOURCE_DIALOG));
  g_assert_nonnull (dialog);
  sm_test_wait_for (sm_test_widget_laid_out, dialog, "the resource dialog");

  g_assert_false (sm_resource_dialog_get_can_save (dialog));
  gtk_editable_set_text (sm_resource_dialog_get_entry (dialog, "provider"), provider);
  gtk_editable_set_text (sm_resource_dialog_get_entry (dialog, "name"), name);
  g_assert_false (sm_resource_dialog_get_can_save (dialog));
  gtk_editable_set_text (sm_resource_dialog_get_entry (dialog, "category"), category);
  gtk_editable_set_text (sm_resource_dialog_get_entry (dialog, "contact"), contact);
  sm_resource_dialog_set_active (dialog, active);
  g_assert_true (sm_resource_dialog_get_can_save (dialog));
  /* Ctrl+Return, Save in every record dialog. */
  sm_test_press_shortcut (GTK_WIDGET (dialog), "<Control>Return");
  sm_test_wait_for (window_gone, GSIZE_TO_POINTER (SM_TYPE_RESOURCE_DIALOG), "the dialog to close");

  g_assert_cmpint (sm_store_count (store, "resource", NULL), ==, before + 1);
  all = sm_store_list_resources (store, NULL, FALSE, NULL);
  for (guint i = 0; i < all->len; i++)
    if (g_strcmp0 (sm_record_get_string (all->pdata[i], "provider"), provider) == 0)
      {
        SmRecord *resource = all->pdata[i];

        g_assert_cmpstr (sm_record_get_string (resource, "name"), ==, name);
        g_assert_cmpstr (sm_record_get_string (resource, "category"), ==, category);
        g_assert_cmpstr (sm_record_get_string (resource, "contact"), ==, contact);
        g_assert_true (sm_record_get_bool (resource, "active") == active);
        return g_strdup (sm_record_get_id (resource));
      }

  g_assert_not_reached ();
}

static gboolean
model_has (GListModel *model,
           const char *id)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SmRecord) record = g_list_model_get_item (model, i);

      if (g_strcmp0 (sm_record_get_id (record), id) == 0)
        return TRUE;
    }

  return FALSE;
}

typedef struct {
  GListModel *model;
  guint       n;
} CountWait;

static gboolean
count_reached (gpointer data)
{
  CountWait *wait = data;

  return g_list_model_get_n_items (wait->model) == wait->n;
}

typedef struct {
  SmDemandPage *page;
  const char   *status;
} StatusWait;

static gboolean
status_reached (gpointer data)
{
  StatusWait *wait = data;
  SmRecord *demand = sm_demand_page_get_demand (wait->page);

  return demand != NULL && g_strcmp0 (sm_record_get_string (demand, "status"), wait->status) == 0;
}

/* Presses the demand page's own button for @action. */
static void
press_for_status (SmDemandPage *page,
                  const char   *action,
                  const char   *status)
{
  GtkWidget *button = GTK_WIDGET (sm_demand_page_get_action_button (page, action));
  StatusWait wait = { page, status };

  g_assert_true (gtk_widget_is_visible (button));
  g_assert_true (gtk_widget_activate (button));
  sm_test_wait_for (status_reached, &wait, status);
}

static SmClaimRow *
claim_row (SmDemandPage *page,
           guint         position)
{
  SmClaimRow *row = sm_demand_page_get_claim_row (page, position);

  g_assert_true (SM_IS_CLAIM_ROW (row));
  return row;
}

/* Sets the role (and the login of the last sign-in) as the application does, in the
 * settings, and checks what office work is offered. */
static void
set_role_and_check (SmWindow   *window,
                    GSettings  *settings,
                    const char *role,
                    const char *login,
                    gboolean    office)
{
  SmListsPage *lists = sm_window_get_lists_page (window);
  SmHouseholdPage *household = sm_window_get_household_page (window);
  GtkWidget *add = sm_lists_page_get_add_button (lists);
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  guint n_award = 0;

  g_settings_set_string (settings, "login", login);
  g_settings_set_string (settings, "role", role);
  g_assert_cmpstr (sm_window_get_role (window), ==, *role != '\0' ? role : NULL);
  g_assert_true (sm_window_get_can_do_office_work (window) == office);
  g_assert_true (sm_lists_page_get_can_manage (lists) == office);
  g_assert_true (gtk_widget_is_sensitive (add) == office);
  if (!office)
    {
      g_assert_cmpstr (gtk_widget_get_tooltip_text (add), ==, _("Only the community office can add or edit resources"));
      g_assert_null (sm_lists_page_add_resource (lists));
      g_assert_null (sm_lists_page_edit_resource (lists, 0));
      /* Pressed all the same (its press shows for a moment): no dialog. */
      {
        gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

        gtk_widget_activate (add);
        sm_test_wait_for (time_passed, &until, "half a second");
        g_assert_null (find_toplevel (SM_TYPE_RESOURCE_DIALOG));
      }
    }

  /* The credit section's award buttons of the household shown. */
  g_assert_true (sm_household_page_get_can_award_credit (household) == office);
  sm_test_collect_widgets (GTK_WIDGET (household), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_icon_name (buttons->pdata[i]), "list-add-symbolic") == 0 &&
        gtk_widget_get_ancestor (buttons->pdata[i], ADW_TYPE_EXPANDER_ROW) != NULL)
      {
        n_award++;
        g_assert_true (gtk_widget_get_sensitive (buttons->pdata[i]) == office);
        if (!office)
          g_assert_cmpstr (gtk_widget_get_tooltip_text (buttons->pdata[i]), ==,
                           _("Only the community office can award or deduct points"));
      }
  g_assert_cmpuint (n_award, >, 0);
}

/* ---------------------------------------------------------------- tests */

static void
test_lists (void)
{
  g_autoptr(SmTestReplica) replica = sm_test_replica_new ("lists", 120, 2, 0);
  g_autoptr(GSettings) settings = g_settings_new ("org.sanmen.Sanmen");
  g_autoptr(GPtrArray) open = NULL;
  g_autoptr(GArray) counts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SmRecord) demand = NULL;
  g_autoptr(SmRecord) claim = NULL;
  g_autoptr(GPtrArray) claims = NULL;
  g_autofree char *repair = NULL;
  g_autofree char *plumber = NULL;
  g_autofree char *cleaner = NULL;
  g_autofree char *retired = NULL;
  g_autofree char *demand_id = NULL;
  g_autofree char *household_id = NULL;
  const char *category;
  const char *other;
  SmResourceChooser *chooser;
  SmDemandPage *demand_page;
  SmListsPage *page;
  SmWindow *window;
  GListModel *chooser_resources;
  GtkWidget *row;
  guint position;
  gboolean other_seen = FALSE;
  CountWait wait;

  /* Signed in as the office: who claims is the login of the last sign-in, as the window
   * reads it. */
  g_settings_set_string (settings, "login", LOGIN);
  g_settings_set_string (settings, "role", "office");
  window = sm_test_open_window (replica->store, 1280, 800);
  page = open_lists (window);
  g_assert_cmpstr (sm_lists_page_get_view (page), ==, "resources");
  g_assert_cmpuint (g_list_model_get_n_items (sm_lists_page_get_resources (page)), ==, 0);

  /* The demand to match: the first open one; the resources are of its category and of
   * another. */
  open = sm_store_list_open_demands (replica->store, NULL, 0, 100, &counts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (open->len, >, 0);
  position = 0;
  demand = g_object_ref (open->pdata[position]);
  demand_id = g_strdup (sm_record_get_id (demand));
  household_id = g_strdup (sm_record_get_string (demand, "household_id"));
  category = sm_record_get_string (demand, "category");
  other = g_str_equal (category, "环境卫生") ? "设施维修" : "环境卫生";
  g_test_message ("matching a demand of %s", category);

  /* 资源清单: resources added through the dialog are listed, by category. */
  repair = add_resource (page, replica->store, "红星物业", "上门服务", category, "0571-8800 1234", TRUE);
  plumber = add_resource (page, replica->store, "老李水电", "管道疏通", category, "138 0000 0000", TRUE);
  cleaner = add_resource (page, replica->store, "蓝天保洁", "楼道保洁", other, "0571-8800 5678", TRUE);
  retired = add_resource (page, replica->store, "旧货回收站", "大件回收", category, "0571-8800 0000", FALSE);
  settle ();
  g_assert_cmpuint (g_list_model_get_n_items (sm_lists_page_get_resources (page)), ==, 4);
  g_assert_nonnull (find_row (GTK_WIDGET (page), "红星物业 · 上门服务"));
  g_assert_nonnull (find_row (GTK_WIDGET (page), "旧货回收站 · 大件回收"));
  g_assert_true (gtk_widget_has_css_class (find_row (GTK_WIDGET (page), "旧货回收站 · 大件回收"), "inactive"));
  sm_lists_page_set_category (page, other);
  g_assert_cmpuint (g_list_model_get_n_items (sm_lists_page_get_resources (page)), ==, 1);
  g_assert_true (model_has (sm_lists_page_get_resources (page), cleaner));
  sm_lists_page_set_category (page, NULL);
  gtk_editable_set_text (sm_lists_page_get_search_entry (page), "水电");
  wait = (CountWait) { sm_lists_page_get_resources (page), 1 };
  sm_test_wait_for (count_reached, &wait, "the search");
  g_assert_true (model_has (sm_lists_page_get_resources (page), plumber));
  gtk_editable_set_text (sm_lists_page_get_search_entry (page), "");
  wait = (CountWait) { sm_lists_page_get_resources (page), 4 };
  sm_test_wait_for (count_reached, &wait, "the search cleared");

  /* Editing: its row opens the dialog with what it holds; only what changed is written. */
  {
    SmResourceDialog *dialog;
    g_autoptr(SmRecord) before = sm_store_get (replica->store, "resource", plumber, NULL);
    g_autoptr(SmRecord) after = NULL;
    GtkWidget *plumber_row = gtk_widget_get_ancestor (find_row (GTK_WIDGET (page), "老李水电 · 管道疏通"),
                                                      GTK_TYPE_LIST_BOX_ROW);

    g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (plumber_row)));
    g_assert_true (gtk_widget_activate (plumber_row));
    dialog = SM_RESOURCE_DIALOG (find_toplevel (SM_TYPE_RESOURCE_DIALOG));
    g_assert_nonnull (dialog);
    g_assert_cmpstr (sm_record_get_id (sm_resource_dialog_get_resource (dialog)), ==, plumber);
    g_assert_cmpstr (gtk_editable_get_text (sm_resource_dialog_get_entry (dialog, "provider")), ==, "老李水电");
    g_assert_cmpstr (gtk_editable_get_text (sm_resource_dialog_get_entry (dialog, "category")), ==, category);
    gtk_editable_set_text (sm_resource_dialog_get_entry (dialog, "contact"), "139 1111 2222");
    sm_test_wait_for (sm_test_widget_laid_out, dialog, "the resource dialog");
    sm_test_press_shortcut (GTK_WIDGET (dialog), "<Control>Return");
    sm_test_wait_for (window_gone, GSIZE_TO_POINTER (SM_TYPE_RESOURCE_DIALOG), "the dialog to close");
    after = sm_store_get (replica->store, "resource", plumber, NULL);
    g_assert_cmpstr (sm_record_get_string (after, "contact"), ==, "139 1111 2222");
    g_assert_cmpuint (sm_record_get_clock (after, "contact")->hlc, >, sm_record_get_clock (before, "contact")->hlc);
    g_assert_cmpuint (sm_record_get_clock (after, "provider")->hlc, ==, sm_record_get_clock (before, "provider")->hlc);
    g_assert_cmpuint (sm_record_get_clock (after, "active")->hlc, ==, sm_record_get_clock (before, "active")->hlc);
  }

  sm_test_render_to_png (GTK_WIDGET (window), "lists-zh_CN-1280x800-resources.png");

  /* 需求清单: the store's open demands, each with its claims counted. */
  sm_lists_page_set_view (page, "demands");
  g_assert_cmpuint (g_list_model_get_n_items (sm_lists_page_get_demands (page)), ==, open->len);
  for (guint i = 0; i < open->len; i++)
    {
      g_autoptr(SmRecord) shown = g_list_model_get_item (sm_lists_page_get_demands (page), i);
      const char *status = sm_record_get_string (shown, "status");

      g_assert_cmpstr (sm_record_get_id (shown), ==, sm_record_get_id (open->pdata[i]));
      g_assert_true (g_strcmp0 (status, "resolved") != 0 && g_strcmp0 (status, "evaluated") != 0);
      g_assert_cmpuint (sm_lists_page_get_claim_count (page, i), ==, g_array_index (counts, guint, i));
    }
  sm_test_render_to_png (GTK_WIDGET (window), "lists-zh_CN-1280x800-demands.png");

  /* Activating its row opens it. */
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (
          GTK_LIST_BOX (gtk_widget_get_ancestor (find_row (GTK_WIDGET (page), sm_record_get_string (demand, "title")),
                                                 GTK_TYPE_LIST_BOX)), (int) position));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   sm_record_get_string (demand, "title"));
  g_assert_true (gtk_widget_activate (row));
  g_assert_true (sm_window_get_demand_shown (window));
  demand_page = sm_window_get_demand_page (window);
  g_assert_cmpstr (sm_demand_page_get_demand_id (demand_page), ==, demand_id);
  sm_test_wait_for (sm_test_widget_laid_out, demand_page, "the demand page");
  g_assert_cmpuint (g_list_model_get_n_items (sm_demand_page_get_claims (demand_page)), ==, 0);

  /* Match a Resource: active resources only, the demand's category first. */
  g_assert_true (gtk_widget_is_sensitive (sm_demand_page_get_match_button (demand_page)));
  chooser = SM_RESOURCE_CHOOSER (activate_for_window (sm_demand_page_get_match_button (demand_page),
                                                      SM_TYPE_RESOURCE_CHOOSER));
  g_assert_nonnull (chooser);
  sm_test_wait_for (sm_test_widget_laid_out, chooser, "the resource chooser");
  chooser_resources = sm_resource_chooser_get_resources (chooser);
  g_assert_cmpuint (g_list_model_get_n_items (chooser_resources), ==, 3);
  g_assert_false (model_has (chooser_resources, retired));
  for (guint i = 0; i < g_list_model_get_n_items (chooser_resources); i++)
    {
      g_autoptr(SmRecord) resource = g_list_model_get_item (chooser_resources, i);
      gboolean same = g_strcmp0 (sm_record_get_string (resource, "category"), category) == 0;

      g_assert_false (same && other_seen);
      other_seen |= !same;
    }
  g_assert_true (other_seen);
  {
    g_autoptr(SmRecord) first = g_list_model_get_item (chooser_resources, 0);

    /* Of its category, by provider: 红星物业 (hóng) before 老李水电 (lǎo) in the C collation
     * of their UTF-8 bytes. */
    g_assert_true (g_str_equal (sm_record_get_id (first), repair) || g_str_equal (sm_record_get_id (first), plumber));
  }
  sm_test_render_to_png (GTK_WIDGET (chooser), "lists-zh_CN-chooser.png");
  row = GTK_WIDGET (gtk_widget_get_ancestor (find_row (GTK_WIDGET (chooser), "红星物业 · 上门服务"),
                                             GTK_TYPE_LIST_BOX_ROW));
  g_assert_true (gtk_widget_activate (row));
  sm_test_wait_for (window_gone, GSIZE_TO_POINTER (SM_TYPE_RESOURCE_CHOOSER), "the chooser to close");

  /* The claim, in the store and on the page. */
  claims = sm_store_list_demand_claims (replica->store, demand_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claims->len, ==, 1);
  claim = g_object_ref (claims->pdata[0]);
  g_assert_cmpstr (sm_record_get_string (claim, "resource_id"), ==, repair);
  g_assert_cmpstr (sm_record_get_string (claim, "claimed_by"), ==, LOGIN);
  g_assert_cmpstr (sm_record_get_string (claim, "status"), ==, "claimed");
  g_assert_cmpstr (sm_record_get_grid_id (claim), ==, sm_record_get_grid_id (demand));
  {
    g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (sm_record_get_string (claim, "claimed_at"), NULL);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    g_assert_nonnull (at);
    g_assert_cmpint (g_date_time_difference (now, at), <, 60 * G_TIME_SPAN_SECOND);
  }
  g_assert_cmpuint (g_list_model_get_n_items (sm_demand_page_get_claims (demand_page)), ==, 1);
  g_assert_cmpstr (sm_claim_row_get_shown_status (claim_row (demand_page, 0)), ==, "claimed");
  g_assert_true (sm_claim_row_offers_status (claim_row (demand_page, 0), "in_progress"));
  g_assert_nonnull (find_row (GTK_WIDGET (demand_page), "红星物业 · 上门服务"));

  /* Its own status, from the row's menu. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (claim_row (demand_page, 0)), "claim.set-status", "(ss)",
                                             sm_record_get_id (claim), "in_progress"));
  g_clear_object (&claim);
  claim = sm_store_get (replica->store, "claim", sm_record_get_id (claims->pdata[0]), &error);
  g_assert_cmpstr (sm_record_get_string (claim, "status"), ==, "in_progress");
  g_assert_cmpstr (sm_claim_row_get_shown_status (claim_row (demand_page, 0)), ==, "in_progress");
  g_assert_false (sm_claim_row_offers_status (claim_row (demand_page, 0), "in_progress"));
  g_assert_true (sm_claim_row_offers_status (claim_row (demand_page, 0), "done"));

  /* Back on the lists (read again when shown), the 需求清单 counts it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL));
  g_assert_true (sm_window_get_lists_shown (window));
  settle ();
  for (guint i = 0; i < g_list_model_get_n_items (sm_lists_page_get_demands (page)); i++)
    {
      g_autoptr(SmRecord) shown = g_list_model_get_item (sm_lists_page_get_demands (page), i);

      if (g_str_equal (sm_record_get_id (shown), demand_id))
        g_assert_cmpuint (sm_lists_page_get_claim_count (page, i), ==, 1);
    }

  /* 认领清单: listed with its demand; activating it opens the demand again. */
  sm_lists_page_set_view (page, "claims");
  g_assert_cmpuint (g_list_model_get_n_items (sm_lists_page_get_claims (page)), ==, 1);
  {
    g_autoptr(SmRecord) listed = g_list_model_get_item (sm_lists_page_get_claims (page), 0);

    g_assert_cmpstr (sm_record_get_id (listed), ==, sm_record_get_id (claim));
  }
  {
    g_autoptr(GPtrArray) rows = g_ptr_array_new ();

    sm_test_collect_widgets (GTK_WIDGET (page), SM_TYPE_CLAIM_ROW, rows);
    g_assert_cmpuint (rows->len, ==, 1);
    row = rows->pdata[0];
  }
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "红星物业 · 上门服务");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), sm_record_get_string (demand, "title")));
  g_assert_cmpstr (sm_claim_row_get_shown_status (SM_CLAIM_ROW (row)), ==, "in_progress");
  sm_test_render_to_png (GTK_WIDGET (window), "lists-zh_CN-1280x800-open-claims.png");
  g_assert_true (gtk_widget_activate (row));
  g_assert_true (sm_window_get_demand_shown (window));
  g_assert_cmpstr (sm_demand_page_get_demand_id (demand_page), ==, demand_id);

  /* Resolved with the page's own buttons: the claim shows closed, as derived; the store
   * keeps what was written. */
  if (g_strcmp0 (sm_record_get_string (sm_demand_page_get_demand (demand_page), "status"), "reported") == 0)
    press_for_status (demand_page, "accept", "accepted");
  press_for_status (demand_page, "resolve", "resolved");
  g_assert_cmpstr (sm_claim_row_get_shown_status (claim_row (demand_page, 0)), ==, "done");
  g_assert_false (sm_claim_row_offers_status (claim_row (demand_page, 0), "done"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (claim_row (demand_page, 0))), !=, NULL);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (claim_row (demand_page, 0))),
                            _("Closed with the demand")));
  g_assert_false (gtk_widget_is_sensitive (sm_demand_page_get_match_button (demand_page)));
  g_assert_null (sm_demand_page_match_resource (demand_page));
  g_clear_object (&claim);
  claim = sm_store_get (replica->store, "claim", sm_record_get_id (claims->pdata[0]), &error);
  g_assert_cmpstr (sm_record_get_string (claim, "status"), ==, "in_progress");
  g_assert_false (sm_claim_is_open (claim, "resolved"));
  g_assert_true (sm_claim_is_open (claim, "handling"));
  sm_test_render_to_png (GTK_WIDGET (window), "lists-zh_CN-1280x800-claims.png");

  /* Back on the lists: gone from the 需求清单, and its claim from the 认领清单. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL));
  g_assert_true (sm_window_get_lists_shown (window));
  settle ();
  g_assert_false (model_has (sm_lists_page_get_demands (page), demand_id));
  g_assert_cmpuint (g_list_model_get_n_items (sm_lists_page_get_claims (page)), ==, 0);

  /* Roles: a worker is not offered office work; office and an unknown role are. */
  sm_window_show_household (window, household_id);
  sm_test_wait_for (sm_test_widget_laid_out, sm_window_get_household_page (window), "the household page");
  g_assert_cmpuint (g_list_model_get_n_items (sm_household_page_get_residents (sm_window_get_household_page (window))), >, 0);
  /* No role: a replica that never signed in is its own office; one signed out is not. */
  set_role_and_check (window, settings, "", "", TRUE);
  set_role_and_check (window, settings, "", LOGIN, FALSE);
  set_role_and_check (window, settings, "worker", LOGIN, FALSE);
  {
    g_autoptr(SmRecord) resident = g_list_model_get_item (
      sm_household_page_get_residents (sm_window_get_household_page (window)), 0);

    g_assert_null (sm_household_page_award_credit (sm_window_get_household_page (window),
                                                   sm_record_get_id (resident)));
  }
  set_role_and_check (window, settings, "office", LOGIN, TRUE);
  set_role_and_check (window, settings, "admin", LOGIN, TRUE);

  sm_test_destroy_window (window);
  g_settings_reset (settings, "login");
  g_settings_reset (settings, "role");
}

/* The page at phone width, and as a worker sees it, in zh_CN. */
/* A resource whose "active" was never set shows as active; saving it unchanged writes
 * nothing (no change to sync, no conflict to make). */
static void
test_resource_unchanged (void)
{
  g_autoptr(SmTestReplica) replica = sm_test_replica_new ("lists", 0, 1, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autoptr(SmRecord) resource = NULL;
  SmResourceDialog *dialog;
  gint64 before;

  id = sm_store_create_with (replica->store, "resource", replica->grid_id, &error,
                             "provider", g_variant_new_string ("社区卫生站"),
                             "name", g_variant_new_string ("上门量血压"),
                             "category", g_variant_new_string ("医疗卫生"), NULL);
  g_assert_no_error (error);
  resource = sm_store_get (replica->store, "resource", id, &error);
  g_assert_no_error (error);
  g_assert_null (sm_record_get_value (resource, "active"));

  before = sm_test_outbox_count (replica->store);
  dialog = sm_resource_dialog_new (replica->store, resource);
  g_object_ref_sink (dialog);
  g_assert_true (sm_resource_dialog_save (dialog));
  g_assert_cmpint (sm_test_outbox_count (replica->store), ==, before);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (dialog);
}

static void
test_narrow (void)
{
  g_autoptr(SmTestReplica) replica = sm_test_replica_new ("lists", 60, 2, 0);
  g_autoptr(GError) error = NULL;
  SmListsPage *page;
  SmWindow *window;
  GtkWidget *add;

  g_free (sm_store_create_with (replica->store, "resource", replica->grid_id, &error,
                                "provider", g_variant_new_string ("阳光社区卫生服务中心"),
                                "name", g_variant_new_string ("家庭医生上门随访"),
                                "category", g_variant_new_string ("医疗健康"),
                                "contact", g_variant_new_string ("0571-8800 9999"),
                                "description", g_variant_new_string ("每周二、四上午，独居老人优先"),
                                "active", g_variant_new_boolean (TRUE), NULL));
  g_assert_no_error (error);

  window = sm_test_open_window (replica->store, 360, 720);
  page = open_lists (window);
  settle ();
  g_assert_cmpuint (g_list_model_get_n_items (sm_lists_page_get_resources (page)), ==, 1);
  /* Nothing wider than the window. */
  add = sm_lists_page_get_add_button (page);
  {
    graphene_rect_t bounds;

    g_assert_true (gtk_widget_compute_bounds (add, GTK_WIDGET (window), &bounds));
    g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, 360);
  }
  sm_test_render_to_png (GTK_WIDGET (window), "lists-zh_CN-360x720-resources.png");
  sm_window_set_role (window, "worker");
  g_assert_false (gtk_widget_is_sensitive (add));
  sm_test_render_to_png (GTK_WIDGET (window), "lists-zh_CN-360x720-resources-worker.png");
  sm_lists_page_set_view (page, "demands");
  g_assert_cmpuint (g_list_model_get_n_items (sm_lists_page_get_demands (page)), >, 0);
  sm_test_render_to_png (GTK_WIDGET (window), "lists-zh_CN-360x720-demands.png");

  sm_test_destroy_window (window);
}


/* Copies into @to what @from holds that @to lacks: a sync in both directions is two. */
static void
exchange (SmStore *from,
          SmStore *to)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = sm_store_export_changes (from, &error);

  g_assert_no_error (error);
  g_assert_true (sm_store_apply (to, changes, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
add_event (SmStore    *store,
           const char *grid_id,
           const char *demand_id,
           const char *action,
           const char *satisfaction)
{
  g_autoptr(GError) error = NULL;

  g_free (sm_store_create_with (store, "demand_event", grid_id, &error,
                                "demand_id", g_variant_new_string (demand_id),
                                "at", g_variant_new_string ("2026-11-01T02:00:00Z"),
                                "actor", g_variant_new_string ("office-01"),
                                "action", g_variant_new_string (action),
                                "satisfaction", satisfaction ? g_variant_new_string (satisfaction) : NULL,
                                NULL));
  g_assert_no_error (error);
}

static void
assert_claim_shown (SmStore    *store,
                    const char *claim_id,
                    const char *written,
                    const char *shown,
                    gboolean    listed)
{
  g_autoptr(SmRecord) claim = sm_store_get (store, "claim", claim_id, NULL);
  g_autoptr(SmRecord) demand = sm_store_get (store, "demand", sm_record_get_string (claim, "demand_id"), NULL);
  g_autoptr(GPtrArray) open = sm_store_list_open_claims (store, NULL, 0, 0, NULL);
  gboolean found = FALSE;

  g_assert_cmpstr (sm_record_get_string (claim, "status"), ==, written);
  g_assert_cmpstr (sm_claim_get_shown_status (claim, sm_record_get_string (demand, "status")), ==, shown);
  for (guint i = 0; i < open->len; i++)
    found |= g_str_equal (sm_record_get_id (open->pdata[i]), claim_id);
  g_assert_true (found == listed);
}

/* A claim closes with its demand on every replica once they have synced, with nothing
 * written for it: a worker claims on one replica while the office resolves on another;
 * after the exchange both show the claim closed and hold the same state; an unsatisfied
 * evaluation reopens the demand and, with it, the claim. */
static void
test_closes_after_sync (void)
{
  g_autoptr(SmTestReplica) office = sm_test_replica_new ("lists-office", 40, 1, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sanmen-lists-worker-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "replica.db", NULL);
  g_autoptr(SmStore) worker = sm_store_open (path, &error);
  g_autoptr(GPtrArray) open = NULL;
  g_autofree char *resource = NULL;
  g_autofree char *claim = NULL;
  g_autofree char *office_digest = NULL;
  g_autofree char *worker_digest = NULL;
  const char *demand_id;
  const char *grid_id;

  g_assert_no_error (error);
  resource = sm_store_create_with (office->store, "resource", office->grid_id, &error,
                                   "provider", g_variant_new_string ("红星物业"),
                                   "name", g_variant_new_string ("上门维修"),
                                   "category", g_variant_new_string ("设施维修"),
                                   "active", g_variant_new_boolean (TRUE), NULL);
  g_assert_no_error (error);
  exchange (office->store, worker);

  open = sm_store_list_open_demands (worker, NULL, 0, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (open->len, ==, 1);
  demand_id = sm_record_get_id (open->pdata[0]);
  grid_id = sm_record_get_grid_id (open->pdata[0]);

  /* Offline, at the same time: the worker claims, the office resolves. */
  claim = sm_store_create_with (worker, "claim", grid_id, &error,
                                "demand_id", g_variant_new_string (demand_id),
                                "resource_id", g_variant_new_string (resource),
                                "claimed_by", g_variant_new_string ("worker-01"),
                                "claimed_at", g_variant_new_string ("2026-11-01T01:00:00Z"),
                                "status", g_variant_new_string ("claimed"), NULL);
  g_assert_no_error (error);
  add_event (office->store, grid_id, demand_id, "resolve", NULL);
  assert_claim_shown (worker, claim, "claimed", "claimed", TRUE);

  exchange (worker, office->store);
  exchange (office->store, worker);
  assert_claim_shown (worker, claim, "claimed", "done", FALSE);
  assert_claim_shown (office->store, claim, "claimed", "done", FALSE);
  office_digest = sm_store_compute_digest (office->store, &error);
  worker_digest = sm_store_compute_digest (worker, &error);
  g_assert_cmpstr (office_digest, ==, worker_digest);

  /* Unsatisfied: the demand is handled again, and the claim is open again. */
  add_event (office->store, grid_id, demand_id, "evaluate", "unsatisfied");
  exchange (office->store, worker);
  assert_claim_shown (worker, claim, "claimed", "claimed", TRUE);

  g_clear_object (&worker);
  sm_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  /* The client in Simplified Chinese, from the build tree's catalog. */
  if (!sm_test_init_zh_CN (&argc, &argv))
    return 1;

  g_test_add_func ("/desktop/lists/lists", test_lists);
  g_test_add_func ("/desktop/lists/narrow", test_narrow);
  g_test_add_func ("/desktop/lists/resource-unchanged", test_resource_unchanged);
  g_test_add_func ("/desktop/lists/closes-after-sync", test_closes_after_sync);

  return g_test_run ();
}
