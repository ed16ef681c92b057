/* sm-window.c — the main window: a sidebar of pages and the page shown
 *
 * An AdwLeaflet: the sidebar lists the pages this build has (住户 Households, 诉求
 * Demands) and folds away below ~600 px, leaving the page with a back button. A stack in
 * the content pane holds one child per sidebar page. The pages get the store as a
 * construct-only property, so the window builds them once it has it.
 *
 * The header bars carry the sync state (SmSyncStatus, bound to the window's "sync", which
 * the application sets and changes on sign-in) and the main menu has Sign In, Sign Out
 * and Sync Now (app actions, see sm-application.c). When a sync run has merged changes
 * from the server, the household list and the household shown read the store again.
 *
 * Inside the content pane a second leaflet, which never unfolds, goes from the household
 * list to a household's page and back (the back button, Escape, Alt+Left, a swipe); the
 * demands have the same from their list to one demand, which a household's page and
 * sm_window_show_demand() open too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-window.h"

#include <glib/gi18n.h>

#include "sm-sync-status.h"

struct _SmWindow
{
  AdwApplicationWindow  parent_instance;

  SmStore              *store;
  SmSync               *sync;
  gboolean              pulled;   /* a sync run merged changes: reload once it ends */
  SmHouseholdList      *household_list;
  SmHouseholdPage      *household_page;

  AdwLeaflet           *leaflet;
  GtkListBox           *sidebar_list;
  GtkListBoxRow        *households_row;
  GtkBox               *content_box;
  AdwLeaflet           *content_leaflet;
  GtkBox               *household_box;
  AdwWindowTitle       *household_title;

  /* 诉求 Demands: the list by status, and a demand opened from it or from a household. */
  SmDemandsPage        *demands_page;
  SmDemandPage         *demand_page;
  GtkStack             *content_stack;
  GtkListBoxRow        *demands_row;
  AdwLeaflet           *demands_leaflet;
  GtkBox               *demands_box;
  GtkBox               *demand_box;
  AdwWindowTitle       *demand_title;
};

G_DEFINE_FINAL_TYPE (SmWindow, sm_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SYNC,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Shows the demands by status, as the sidebar row and Alt+3 do. */
static void
show_demands (SmWindow *self)
{
  g_assert (SM_IS_WINDOW (self));

  gtk_list_box_select_row (self->sidebar_list, self->demands_row);
  gtk_stack_set_visible_child_name (self->content_stack, "demands");
  adw_leaflet_set_visible_child_name (self->demands_leaflet, "list");
  adw_leaflet_set_visible_child_name (self->leaflet, "content");
}

static void
sidebar_row_activated_cb (SmWindow      *self,
                          GtkListBoxRow *row,
                          GtkListBox    *list)
{
  if (row == self->demands_row)
    show_demands (self);
  else if (row == self->households_row)
    gtk_stack_set_visible_child_name (self->content_stack, "households");
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
back_clicked_cb (SmWindow  *self,
                 GtkButton *button)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
search_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SmWindow *self = SM_WINDOW (widget);

  gtk_list_box_select_row (self->sidebar_list, self->households_row);
  gtk_stack_set_visible_child_name (self->content_stack, "households");
  adw_leaflet_set_visible_child_name (self->leaflet, "content");
  sm_household_list_focus_search (self->household_list);
}

/* Who records visits: the login of the last sign-in (GSettings "login"), when this build's
 * schema is installed and someone signed in. */
static char *
dup_worker_id (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *login = NULL;

  if (source == NULL || !(schema = g_settings_schema_source_lookup (source, "org.sanmen.Sanmen", TRUE))
      || !g_settings_schema_has_key (schema, "login"))
    return NULL;

  settings = g_settings_new_full (schema, NULL, NULL);
  login = g_settings_get_string (settings, "login");

  return *login != '\0' ? g_steal_pointer (&login) : NULL;
}

static void
sync_applied_cb (SmWindow  *self,
                 GPtrArray *changes,
                 SmSync    *sync)
{
  if (changes->len > 0)
    self->pulled = TRUE;
}

/* Once per run, not per page: a first sync of a large grid merges hundreds of pages. */
static void
sync_state_cb (SmWindow   *self,
               GParamSpec *pspec,
               SmSync     *sync)
{
  if (!self->pulled || sm_sync_get_state (sync) == SM_SYNC_STATE_SYNCING)
    return;

  self->pulled = FALSE;
  sm_household_list_reload (self->household_list);
  if (sm_window_get_household_shown (self))
    sm_household_page_reload (self->household_page);
}

static void
household_activated_cb (SmWindow        *self,
                        SmRecord        *household,
                        SmHouseholdList *list)
{
  sm_window_show_household (self, sm_record_get_id (household));
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
show_demands_action_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  show_demands (SM_WINDOW (widget));
}

static void
show_list_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SmWindow *self = SM_WINDOW (widget);

  adw_leaflet_set_visible_child_name (self->content_leaflet, "list");
}

static void
sm_window_constructed (GObject *object)
{
  SmWindow *self = SM_WINDOW (object);

  G_OBJECT_CLASS (sm_window_parent_class)->constructed (object);

  g_assert (SM_IS_STORE (self->store));

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
  gtk_list_box_select_row (self->sidebar_list, self->households_row);

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
  g_signal_connect_object (self->household_page, "demand-activated",
                           G_CALLBACK (household_demand_activated_cb), self, G_CONNECT_SWAPPED);
}

static void
sm_window_dispose (GObject *object)
{
  SmWindow *self = SM_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_WINDOW);
  self->household_list = NULL;
  self->household_page = NULL;
  self->demands_page = NULL;
  self->demand_page = NULL;
  g_clear_object (&self->store);
  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_data (self->sync, self);
  g_clear_object (&self->sync);

  G_OBJECT_CLASS (sm_window_parent_class)->dispose (object);
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

  /* Back from a household to the list; sm-window.ui binds Escape and Alt+Left to it. */
  gtk_widget_class_install_action (widget_class, "win.show-list", NULL, show_list_action_cb);

  /* Alt+3: the demands by status; also back from a demand (Escape, Alt+Left). */
  gtk_widget_class_install_action (widget_class, "win.show-demands", NULL, show_demands_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK,
                                       "win.show-demands", NULL);

  g_type_ensure (SM_TYPE_SYNC_STATUS);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/sanmen/Sanmen/sm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SmWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, households_row);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, content_leaflet);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, household_box);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, household_title);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, demands_row);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, demands_leaflet);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, demands_box);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, demand_box);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, demand_title);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
}

static void
sm_window_init (SmWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

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

void
sm_window_show_household (SmWindow   *self,
                          const char *household_id)
{
  g_autofree char *worker_id = NULL;

  g_return_if_fail (SM_IS_WINDOW (self));
  g_return_if_fail (household_id != NULL);

  worker_id = dup_worker_id ();
  sm_household_page_set_worker_id (self->household_page, worker_id);
  sm_household_page_set_household_id (self->household_page, household_id);
  gtk_list_box_select_row (self->sidebar_list, self->households_row);
  gtk_stack_set_visible_child_name (self->content_stack, "households");
  adw_leaflet_set_visible_child_name (self->leaflet, "content");
  adw_leaflet_set_visible_child_name (self->content_leaflet, "household");
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

  worker_id = dup_worker_id ();
  sm_demand_page_set_worker_id (self->demand_page, worker_id);
  sm_demand_page_set_demand_id (self->demand_page, demand_id);
  gtk_list_box_select_row (self->sidebar_list, self->demands_row);
  gtk_stack_set_visible_child_name (self->content_stack, "demands");
  adw_leaflet_set_visible_child_name (self->leaflet, "content");
  adw_leaflet_set_visible_child_name (self->demands_leaflet, "demand");
  gtk_widget_child_focus (GTK_WIDGET (self->demand_page), GTK_DIR_TAB_FORWARD);
}

gboolean
sm_window_get_demand_shown (SmWindow *self)
{
  g_return_val_if_fail (SM_IS_WINDOW (self), FALSE);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "demands") == 0
         && g_strcmp0 (adw_leaflet_get_visible_child_name (self->demands_leaflet), "demand") == 0;
}

gboolean
sm_window_get_demands_shown (SmWindow *self)
{
  g_return_val_if_fail (SM_IS_WINDOW (self), FALSE);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "demands") == 0
         && g_strcmp0 (adw_leaflet_get_visible_child_name (self->demands_leaflet), "list") == 0;
}
