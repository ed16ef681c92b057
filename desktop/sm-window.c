/* sm-window.c — the main window: a sidebar of pages and the page shown
 *
 * An AdwLeaflet: the sidebar lists the pages (今日 Today, shown first, 住户 Households,
 * 诉求 Demands, 统计 Dashboard, 清单 Lists; Alt+1…5) and folds away below ~600 px, leaving the page
 * with a back button. A GtkStack holds one child per sidebar page. The pages get the store (and the
 * settings) as construct-only properties, so the window builds them once it has it.
 *
 * Inside the content pane a second leaflet, which never unfolds, goes from the pages to
 * a household's or a demand's page and back (the back button, Escape, Alt+Left, a swipe).
 * Either can be opened from several places (Today, the lists, a household's demands), and
 * back must return there: before showing one, the window moves it right after the child
 * shown, so the leaflet's own "back" is the way it came.
 *
 * The header bars carry the sync state (SmSyncStatus, bound to the window's "sync", which
 * the application sets and changes on sign-in) and the main menu has Sign In, Sign Out
 * and Sync Now (app actions, see sm-application.c). When a sync run has merged changes
 * from the server, the pages read the store again. For office and admin users the menu
 * also has Import Roster… (Ctrl+I) and Export Report… (Ctrl+Shift+E), the office's
 * dialogs (sm-import-dialog.c, sm-export-dialog.c); after an import the household list
 * reads the store again.
 *
 * 冲突 Conflicts (SmConflictsPage) is for office and admin users only: its sidebar row,
 * with a badge of how many are open, shows once sm_window_set_role() is told the signed-in
 * user's role; workers (and the default) never see it.
 *
 * Office work on the other pages (adding and editing resources in 清单 Lists, awarding or
 * deducting red credit points on a household) is offered to office and admin, refused
 * to workers (insensitive, with a tooltip saying why), and, with no role, offered only to
 * a replica that has never signed in ("login" and "server-url" empty): that is a
 * single-user setup with no office behind it, where the one user is their own office. A
 * replica that was signed in and is signed out waits for the next sign-in. The server
 * refuses a worker's office writes in any case ("forbidden"): the gate spares workers
 * buttons that would fail, it is not the protection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-window.h"

#include <glib/gi18n.h>

#include "sm-conflicts-page.h"
#include "sm-export-dialog.h"
#include "sm-import-dialog.h"
#include "sm-settings.h"
#include "sm-sync-status.h"

struct _SmWindow
{
  AdwApplicationWindow  parent_instance;

  SmStore              *store;
  SmSync               *sync;
  gboolean              pulled;   /* a sync run merged changes: reload once it ends */
  GSettings            *settings; /* NULL when the schema is not installed */

  SmTodayPage          *today_page;
  SmHouseholdList      *household_list;
  SmHouseholdPage      *household_page;
  SmDemandsPage        *demands_page;
  SmDemandPage         *demand_page;

  AdwLeaflet           *leaflet;
  GtkListBox           *sidebar_list;
  GtkListBoxRow        *today_row;
  GtkListBoxRow        *households_row;
  GtkListBoxRow        *demands_row;
  GtkStack             *page_stack;
  GtkBox               *today_box;
  AdwWindowTitle       *today_title;
  GtkBox               *content_box;
  GtkBox               *demands_box;
  GtkBox               *dashboard_box;
  GtkBox               *conflicts_box;
  AdwLeaflet           *content_leaflet;
  GtkBox               *household_box;
  AdwWindowTitle       *household_title;
  GtkBox               *demand_box;
  AdwWindowTitle       *demand_title;

  /* 统计 Dashboard: an office view, shown to everyone (a worker sees their grids). */
  SmDashboardPage      *dashboard_page;
  GtkListBoxRow        *dashboard_row;
  /* 冲突 Conflicts, office and admin only. */
  SmConflictsPage      *conflicts_page;
  /* 清单: the resource, demand and claim lists (三项清单). */
  SmListsPage          *lists_page;
  GtkListBoxRow        *lists_row;
  GtkBox               *lists_box;
  char                 *role;     /* as sm_window_set_role() was told; NULL: none */
  GtkListBoxRow        *conflicts_row;
  GtkLabel             *conflicts_badge;
};

G_DEFINE_FINAL_TYPE (SmWindow, sm_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SYNC,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The sidebar's row of a page (the stack child of the same name). */
static GtkListBoxRow *
page_row (SmWindow   *self,
          const char *page)
{
  if (g_strcmp0 (page, "today") == 0)
    return self->today_row;
  if (g_strcmp0 (page, "households") == 0)
    return self->households_row;
  if (g_strcmp0 (page, "demands") == 0)
    return self->demands_row;
  if (g_strcmp0 (page, "dashboard") == 0)
    return self->dashboard_row;
  if (g_strcmp0 (page, "lists") == 0)
    return self->lists_row;
  if (g_strcmp0 (page, "conflicts") == 0)
    return self->conflicts_row;

  return NULL;
}

static void
sidebar_row_activated_cb (SmWindow      *self,
                          GtkListBoxRow *row,
                          GtkListBox    *list)
{
  if (row == self->today_row)
    sm_window_show_page (self, "today");
  else if (row == self->households_row)
    sm_window_show_page (self, "households");
  else if (row == self->demands_row)
    sm_window_show_page (self, "demands");
  else if (row == self->dashboard_row)
    sm_window_show_page (self, "dashboard");
  else if (row == self->lists_row)
    sm_window_show_page (self, "lists");
  else if (row == self->conflicts_row)
    sm_window_show_conflicts (self);
}

static void
back_clicked_cb (SmWindow  *self,
                 GtkButton *button)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
show_page_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  sm_window_show_page (SM_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
show_demands_action_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  sm_window_show_page (SM_WINDOW (widget), "demands");
}

/* Back from a household or a demand to where it was opened from. */
static void
back_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SmWindow *self = SM_WINDOW (widget);

  adw_leaflet_navigate (self->content_leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
search_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SmWindow *self = SM_WINDOW (widget);

  sm_window_show_page (self, "households");
  sm_household_list_focus_search (self->household_list);
}

/* An import wrote on its own connection to the replica: read it again. */
static void
roster_imported_cb (SmWindow       *self,
                    SmImportDialog *dialog)
{
  sm_household_list_reload (self->household_list);
  if (sm_window_get_household_shown (self))
    sm_household_page_reload (self->household_page);
}

/* Import Roster… (Ctrl+I): a CSV roster into one of the replica's grids. */
static void
import_roster_action_cb (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  SmWindow *self = SM_WINDOW (widget);
  SmImportDialog *dialog = sm_import_dialog_new (self->store, self->sync);

  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  g_signal_connect_object (dialog, "imported", G_CALLBACK (roster_imported_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Export Report… (Ctrl+Shift+E): a month's visit report and demand ledger. */
static void
export_report_action_cb (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  SmWindow *self = SM_WINDOW (widget);
  SmExportDialog *dialog = sm_export_dialog_new (self->store);

  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Who records visits and acts on demands: the login of the last sign-in. */
static char *
dup_worker_id (SmWindow *self)
{
  g_autofree char *login = NULL;

  if (self->settings == NULL)
    return NULL;

  login = g_settings_get_string (self->settings, "login");

  return *login != '\0' ? g_steal_pointer (&login) : NULL;
}

/* Shows @detail (the household's or the demand's box), placed right after the child shown
 * now, so that back returns there. */
static void
show_detail (SmWindow  *self,
             GtkWidget *detail)
{
  GtkWidget *shown = adw_leaflet_get_visible_child (self->content_leaflet);

  if (shown != detail)
    adw_leaflet_reorder_child_after (self->content_leaflet, detail, shown);
  adw_leaflet_set_visible_child (self->content_leaflet, detail);
  adw_leaflet_set_visible_child_name (self->leaflet, "content");
}

static void
sync_applied_cb (SmWindow  *self,
                 GPtrArray *changes,
                 SmSync    *sync)
{
  if (changes->len > 0)
    self->pulled = TRUE;
}

/* Once per run, not per page: a first sync of a large grid merges hundreds of pages. The
 * Today page follows the store's "changed" itself. */
static void
sync_state_cb (SmWindow   *self,
               GParamSpec *pspec,
               SmSync     *sync)
{
  if (!self->pulled || sm_sync_get_state (sync) == SM_SYNC_STATE_SYNCING)
    return;

  self->pulled = FALSE;
  sm_household_list_reload (self->household_list);
  sm_demands_page_reload (self->demands_page);
  if (sm_window_get_household_shown (self))
    sm_household_page_reload (self->household_page);
  /* New conflict records come with a pull; the badge counts them. */
  if (gtk_widget_get_visible (GTK_WIDGET (self->conflicts_row)))
    sm_conflicts_page_reload (self->conflicts_page);
}

static void
household_activated_cb (SmWindow        *self,
                        SmRecord        *household,
                        SmHouseholdList *list)
{
  sm_window_show_household (self, sm_record_get_id (household));
}

static void
today_household_activated_cb (SmWindow    *self,
                              const char  *household_id,
                              SmTodayPage *page)
{
  sm_window_show_household (self, household_id);
}

static void
today_demand_activated_cb (SmWindow    *self,
                           SmRecord    *demand,
                           SmTodayPage *page)
{
  sm_window_show_demand (self, sm_record_get_id (demand));
}

static void
demand_activated_cb (SmWindow      *self,
                     SmRecord      *demand,
                     SmDemandsPage *page)
{
  sm_window_show_demand (self, sm_record_get_id (demand));
}

static void
household_demand_activated_cb (SmWindow        *self,
                               const char      *demand_id,
                               SmHouseholdPage *page)
{
  sm_window_show_demand (self, demand_id);
}

/* An action on a demand: the lists that show it read the store again. */
static void
demand_changed_cb (SmWindow     *self,
                   SmDemandPage *page)
{
  sm_demands_page_reload (self->demands_page);
  sm_household_page_reload (self->household_page);
}

static void
conflicts_n_open_cb (SmWindow        *self,
                     GParamSpec      *pspec,
                     SmConflictsPage *page)
{
  guint n = sm_conflicts_page_get_n_open (page);
  g_autofree char *count = g_strdup_printf ("%u", n);
  g_autofree char *accessible = NULL;

  gtk_label_set_text (self->conflicts_badge, count);
  gtk_widget_set_visible (GTK_WIDGET (self->conflicts_badge), n > 0);
  /* Translators: the Conflicts sidebar row as a screen reader says it */
  accessible = g_strdup_printf (ngettext ("Conflicts, %u open", "Conflicts, %u open", n), n);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->conflicts_row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

/* A resolution wrote a record that the lists and the household page may be showing. */
static void
conflicts_changed_cb (SmWindow        *self,
                      SmConflictsPage *page)
{
  sm_household_list_reload (self->household_list);
  sm_demands_page_reload (self->demands_page);
  if (sm_window_get_household_shown (self))
    sm_household_page_reload (self->household_page);
}

static void
lists_demand_activated_cb (SmWindow    *self,
                           const char  *demand_id,
                           SmListsPage *page)
{
  sm_window_show_demand (self, demand_id);
}

/* Office work offered, or not, on the pages that have some (see the top). */
static void
update_office_work (SmWindow *self)
{
  gboolean office = sm_window_get_can_do_office_work (self);

  if (self->lists_page != NULL)
    sm_lists_page_set_can_manage (self->lists_page, office);
  if (self->household_page != NULL)
    sm_household_page_set_can_award_credit (self->household_page, office);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import-roster", office);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-report", office);
}

static void
sign_in_changed_cb (SmWindow   *self,
                    const char *key,
                    GSettings  *settings)
{
  update_office_work (self);
}

static void
role_changed_cb (SmWindow   *self,
                 const char *key,
                 GSettings  *settings)
{
  g_autofree char *role = g_settings_get_string (settings, "role");

  sm_window_set_role (self, role);
}

static void
sm_window_constructed (GObject *object)
{
  SmWindow *self = SM_WINDOW (object);

  G_OBJECT_CLASS (sm_window_parent_class)->constructed (object);

  g_assert (SM_IS_STORE (self->store));

  self->settings = sm_settings_new ();
  self->today_page = SM_TODAY_PAGE (sm_today_page_new (self->store, self->settings));
  gtk_widget_set_vexpand (GTK_WIDGET (self->today_page), TRUE);
  gtk_box_append (self->today_box, GTK_WIDGET (self->today_page));
  g_signal_connect_object (self->today_page, "household-activated",
                           G_CALLBACK (today_household_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->today_page, "demand-activated",
                           G_CALLBACK (today_demand_activated_cb), self, G_CONNECT_SWAPPED);
  g_object_bind_property (self->today_page, "subtitle", self->today_title, "subtitle",
                          G_BINDING_SYNC_CREATE);

  self->household_list = SM_HOUSEHOLD_LIST (sm_household_list_new (self->store));
  gtk_widget_set_vexpand (GTK_WIDGET (self->household_list), TRUE);
  gtk_box_append (self->content_box, GTK_WIDGET (self->household_list));
  g_signal_connect_object (self->household_list, "household-activated",
                           G_CALLBACK (household_activated_cb), self, G_CONNECT_SWAPPED);

  self->household_page = SM_HOUSEHOLD_PAGE (sm_household_page_new (self->store));
  gtk_widget_set_vexpand (GTK_WIDGET (self->household_page), TRUE);
  gtk_box_append (self->household_box, GTK_WIDGET (self->household_page));
  g_object_bind_property (self->household_page, "title", self->household_title, "title",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->household_page, "demand-activated",
                           G_CALLBACK (household_demand_activated_cb), self, G_CONNECT_SWAPPED);

  self->demands_page = SM_DEMANDS_PAGE (sm_demands_page_new (self->store));
  gtk_widget_set_vexpand (GTK_WIDGET (self->demands_page), TRUE);
  gtk_box_append (self->demands_box, GTK_WIDGET (self->demands_page));
  g_signal_connect_object (self->demands_page, "demand-activated",
                           G_CALLBACK (demand_activated_cb), self, G_CONNECT_SWAPPED);

  self->demand_page = SM_DEMAND_PAGE (sm_demand_page_new (self->store));
  gtk_widget_set_vexpand (GTK_WIDGET (self->demand_page), TRUE);
  gtk_box_append (self->demand_box, GTK_WIDGET (self->demand_page));
  g_object_bind_property (self->demand_page, "title", self->demand_title, "title",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->demand_page, "changed",
                           G_CALLBACK (demand_changed_cb), self, G_CONNECT_SWAPPED);

  self->dashboard_page = SM_DASHBOARD_PAGE (sm_dashboard_page_new (self->store));
  gtk_widget_set_vexpand (GTK_WIDGET (self->dashboard_page), TRUE);
  gtk_box_append (self->dashboard_box, GTK_WIDGET (self->dashboard_page));

  self->conflicts_page = SM_CONFLICTS_PAGE (sm_conflicts_page_new (self->store));
  gtk_widget_set_vexpand (GTK_WIDGET (self->conflicts_page), TRUE);
  gtk_box_append (self->conflicts_box, GTK_WIDGET (self->conflicts_page));
  g_signal_connect_object (self->conflicts_page, "notify::n-open",
                           G_CALLBACK (conflicts_n_open_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->conflicts_page, "changed",
                           G_CALLBACK (conflicts_changed_cb), self, G_CONNECT_SWAPPED);
  conflicts_n_open_cb (self, NULL, self->conflicts_page);

  self->lists_page = SM_LISTS_PAGE (sm_lists_page_new (self->store));
  gtk_widget_set_vexpand (GTK_WIDGET (self->lists_page), TRUE);
  gtk_box_append (self->lists_box, GTK_WIDGET (self->lists_page));
  g_signal_connect_object (self->lists_page, "demand-activated",
                           G_CALLBACK (lists_demand_activated_cb), self, G_CONNECT_SWAPPED);

  if (self->settings != NULL)
    {
      /* The application writes the signed-in user's role there (sm-application.c). */
      g_signal_connect_object (self->settings, "changed::role", G_CALLBACK (role_changed_cb),
                               self, G_CONNECT_SWAPPED);
      role_changed_cb (self, "role", self->settings);
      /* Whether this replica ever signed in decides office work with no role. */
      g_signal_connect_object (self->settings, "changed::login", G_CALLBACK (sign_in_changed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->settings, "changed::server-url", G_CALLBACK (sign_in_changed_cb),
                               self, G_CONNECT_SWAPPED);
    }
  else
    update_office_work (self);

  /* Today first: what needs doing now. */
  gtk_list_box_select_row (self->sidebar_list, self->today_row);
  gtk_stack_set_visible_child_name (self->page_stack, "today");
}

static void
sm_window_dispose (GObject *object)
{
  SmWindow *self = SM_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_WINDOW);
  self->today_page = NULL;
  self->household_list = NULL;
  self->household_page = NULL;
  self->demands_page = NULL;
  self->demand_page = NULL;
  self->dashboard_page = NULL;
  self->conflicts_page = NULL;
  self->lists_page = NULL;
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_data (self->sync, self);
  g_clear_object (&self->sync);

  G_OBJECT_CLASS (sm_window_parent_class)->dispose (object);
}

static void
sm_window_finalize (GObject *object)
{
  SmWindow *self = SM_WINDOW (object);

  g_clear_pointer (&self->role, g_free);

  G_OBJECT_CLASS (sm_window_parent_class)->finalize (object);
}

static void
sm_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  SmWindow *self = SM_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SYNC:
      g_value_set_object (value, self->sync);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  SmWindow *self = SM_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SYNC:
      sm_window_set_sync (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_window_class_init (SmWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sm_window_constructed;
  object_class->dispose = sm_window_dispose;
  object_class->finalize = sm_window_finalize;
  object_class->get_property = sm_window_get_property;
  object_class->set_property = sm_window_set_property;

  /**
   * SmWindow:store:
   *
   * The replica the pages show.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * SmWindow:sync:
   *
   * The application's sync engine, shown in the header bars; NULL while working offline.
   */
  properties[PROP_SYNC] =
    g_param_spec_object ("sync", NULL, NULL, SM_TYPE_SYNC,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Ctrl+F: to the household search, from anywhere in the window. */
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);

  /* The sidebar's pages by keyboard: Alt+1 Today, Alt+2 Households, Alt+3 Demands. */
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK,
                                       "win.show-page", "s", "today");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK,
                                       "win.show-page", "s", "households");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK,
                                       "win.show-page", "s", "demands");
  gtk_widget_class_install_action (widget_class, "win.show-demands", NULL, show_demands_action_cb);
  /* Alt+4: the dashboard (统计), fourth in the sidebar. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_ALT_MASK,
                                       "win.show-page", "s", "dashboard");
  /* Alt+5: the lists (清单), fifth. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_5, GDK_ALT_MASK,
                                       "win.show-page", "s", "lists");

  /* Back from a household or a demand; sm-window.ui binds Escape and Alt+Left to it.
   * win.show-list is its older name. */
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action_cb);
  gtk_widget_class_install_action (widget_class, "win.show-list", NULL, back_action_cb);

  /* The office's roster import and monthly reports, from the main menu. */
  gtk_widget_class_install_action (widget_class, "win.import-roster", NULL, import_roster_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK,
                                       "win.import-roster", NULL);
  gtk_widget_class_install_action (widget_class, "win.export-report", NULL, export_report_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.export-report", NULL);

  g_type_ensure (SM_TYPE_SYNC_STATUS);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/sanmen/Sanmen/sm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SmWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, today_row);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, households_row);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, demands_row);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, page_stack);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, today_box);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, today_title);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, demands_box);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, dashboard_row);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, dashboard_box);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, lists_row);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, lists_box);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, conflicts_row);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, conflicts_badge);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, conflicts_box);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, content_leaflet);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, household_box);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, household_title);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, demand_box);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, demand_title);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
}

static void
sm_window_init (SmWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The office's menu items, until constructed() knows who signs in (update_office_work). */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import-roster", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-report", FALSE);

  /* Folded, the page shows rather than the sidebar. */
  adw_leaflet_set_visible_child_name (self->leaflet, "content");
}

SmWindow *
sm_window_new (GtkApplication *application,
               SmStore        *store)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (SM_IS_STORE (store), NULL);

  return g_object_new (SM_TYPE_WINDOW,
                       "application", application,
                       "store", store,
                       NULL);
}

SmStore *
sm_window_get_store (SmWindow *self)
{
  g_return_val_if_fail (SM_IS_WINDOW (self), NULL);

  return self->store;
}

SmSync *
sm_window_get_sync (SmWindow *self)
{
  g_return_val_if_fail (SM_IS_WINDOW (self), NULL);

  return self->sync;
}

void
sm_window_set_sync (SmWindow *self,
                    SmSync   *sync)
{
  g_return_if_fail (SM_IS_WINDOW (self));
  g_return_if_fail (sync == NULL || SM_IS_SYNC (sync));

  if (self->sync == sync)
    return;

  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_data (self->sync, self);
  g_set_object (&self->sync, sync);
  self->pulled = FALSE;
  if (sync != NULL)
    {
      /* What others recorded shows up once a sync brings it. */
      g_signal_connect_object (sync, "applied", G_CALLBACK (sync_applied_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (sync, "notify::state", G_CALLBACK (sync_state_cb), self,
                               G_CONNECT_SWAPPED);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC]);
}

SmHouseholdList *
sm_window_get_household_list (SmWindow *self)
{
  g_return_val_if_fail (SM_IS_WINDOW (self), NULL);

  return self->household_list;
}

SmHouseholdPage *
sm_window_get_household_page (SmWindow *self)
{
  g_return_val_if_fail (SM_IS_WINDOW (self), NULL);

  return self->household_page;
}

SmTodayPage *
sm_window_get_today_page (SmWindow *self)
{
  g_return_val_if_fail (SM_IS_WINDOW (self), NULL);

  return self->today_page;
}

void
sm_window_show_page (SmWindow   *self,
                     const char *page)
{
  GtkListBoxRow *row;

  g_return_if_fail (SM_IS_WINDOW (self));
  g_return_if_fail (page != NULL);

  if (!(row = page_row (self, page)))
    {
      g_warning ("No page “%s” in the window", page);
      return;
    }

  gtk_list_box_select_row (self->sidebar_list, row);
  gtk_stack_set_visible_child_name (self->page_stack, page);
  /* The page itself, not a household or demand opened from it. */
  adw_leaflet_set_visible_child_name (self->content_leaflet, "pages");
  adw_leaflet_set_visible_child_name (self->leaflet, "content");
}

const char *
sm_window_get_page (SmWindow *self)
{
  g_return_val_if_fail (SM_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->page_stack);
}

gboolean
sm_window_get_page_available (SmWindow   *self,
                              const char *page)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (SM_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (page != NULL, FALSE);

  row = page_row (self, page);
  return row != NULL && gtk_widget_get_visible (GTK_WIDGET (row));
}

void
sm_window_show_household (SmWindow   *self,
                          const char *household_id)
{
  g_autofree char *worker_id = NULL;

  g_return_if_fail (SM_IS_WINDOW (self));
  g_return_if_fail (household_id != NULL);

  worker_id = dup_worker_id (self);
  sm_household_page_set_worker_id (self->household_page, worker_id);
  sm_household_page_set_household_id (self->household_page, household_id);
  show_detail (self, GTK_WIDGET (self->household_box));
  /* To the first thing to do there: Record Visit. */
  gtk_widget_child_focus (GTK_WIDGET (self->household_page), GTK_DIR_TAB_FORWARD);
}

gboolean
sm_window_get_household_shown (SmWindow *self)
{
  g_return_val_if_fail (SM_IS_WINDOW (self), FALSE);

  return g_strcmp0 (adw_leaflet_get_visible_child_name (self->content_leaflet), "household") == 0;
}

SmDemandsPage *
sm_window_get_demands_page (SmWindow *self)
{
  g_return_val_if_fail (SM_IS_WINDOW (self), NULL);

  return self->demands_page;
}

SmDemandPage *
sm_window_get_demand_page (SmWindow *self)
{
  g_return_val_if_fail (SM_IS_WINDOW (self), NULL);

  return self->demand_page;
}

void
sm_window_show_demand (SmWindow   *self,
                       const char *demand_id)
{
  g_autofree char *worker_id = NULL;

  g_return_if_fail (SM_IS_WINDOW (self));
  g_return_if_fail (demand_id != NULL);

  worker_id = dup_worker_id (self);
  sm_demand_page_set_worker_id (self->demand_page, worker_id);
  sm_demand_page_set_demand_id (self->demand_page, demand_id);
  show_detail (self, GTK_WIDGET (self->demand_box));
  gtk_widget_child_focus (GTK_WIDGET (self->demand_page), GTK_DIR_TAB_FORWARD);
}

gboolean
sm_window_get_demand_shown (SmWindow *self)
{
  g_return_val_if_fail (SM_IS_WINDOW (self), FALSE);

  return g_strcmp0 (adw_leaflet_get_visible_child_name (self->content_leaflet), "demand") == 0;
}

gboolean
sm_window_get_demands_shown (SmWindow *self)
{
  g_return_val_if_fail (SM_IS_WINDOW (self), FALSE);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->page_stack), "demands") == 0
         && g_strcmp0 (adw_leaflet_get_visible_child_name (self->content_leaflet), "pages") == 0;
}

SmDashboardPage *
sm_window_get_dashboard_page (SmWindow *self)
{
  g_return_val_if_fail (SM_IS_WINDOW (self), NULL);

  return self->dashboard_page;
}

gboolean
sm_window_get_dashboard_shown (SmWindow *self)
{
  g_return_val_if_fail (SM_IS_WINDOW (self), FALSE);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->page_stack), "dashboard") == 0;
}

void
sm_window_set_role (SmWindow   *self,
                    const char *role)
{
  gboolean office;

  g_return_if_fail (SM_IS_WINDOW (self));

  office = g_strcmp0 (role, "office") == 0 || g_strcmp0 (role, "admin") == 0;
  g_free (self->role);
  self->role = role != NULL && *role != '\0' ? g_strdup (role) : NULL;
  update_office_work (self);
  /* Conflicts come from a server: for office users only, never a replica on its own. */
  gtk_widget_set_visible (GTK_WIDGET (self->conflicts_row), office);
  if (office)
    sm_conflicts_page_reload (self->conflicts_page);
  else if (g_strcmp0 (sm_window_get_page (self), "conflicts") == 0)
    sm_window_show_page (self, "households");
}

SmConflictsPage *
sm_window_get_conflicts_page (SmWindow *self)
{
  g_return_val_if_fail (SM_IS_WINDOW (self), NULL);

  return self->conflicts_page;
}

void
sm_window_show_conflicts (SmWindow *self)
{
  g_return_if_fail (SM_IS_WINDOW (self));
  g_return_if_fail (gtk_widget_get_visible (GTK_WIDGET (self->conflicts_row)));

  sm_conflicts_page_reload (self->conflicts_page);
  sm_window_show_page (self, "conflicts");
}

SmListsPage *
sm_window_get_lists_page (SmWindow *self)
{
  g_return_val_if_fail (SM_IS_WINDOW (self), NULL);

  return self->lists_page;
}

gboolean
sm_window_get_lists_shown (SmWindow *self)
{
  g_return_val_if_fail (SM_IS_WINDOW (self), FALSE);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->page_stack), "lists") == 0
         && g_strcmp0 (adw_leaflet_get_visible_child_name (self->content_leaflet), "pages") == 0;
}

const char *
sm_window_get_role (SmWindow *self)
{
  g_return_val_if_fail (SM_IS_WINDOW (self), NULL);

  return self->role;
}

gboolean
sm_window_get_can_do_office_work (SmWindow *self)
{
  g_autofree char *login = NULL;
  g_autofree char *server_url = NULL;

  g_return_val_if_fail (SM_IS_WINDOW (self), FALSE);

  if (self->role != NULL)
    return g_str_equal (self->role, "office") || g_str_equal (self->role, "admin");

  /* No role: only a replica that never signed in (see the top). */
  if (self->settings == NULL)
    return TRUE;
  login = g_settings_get_string (self->settings, "login");
  server_url = g_settings_get_string (self->settings, "server-url");

  return *login == '\0' && *server_url == '\0';
}
