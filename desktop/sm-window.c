/* sm-window.c — the main window: a sidebar of pages and the page shown
 *
 * An AdwLeaflet: the sidebar lists the pages this build has (今日 Today, shown first, and
 * 住户 Households; Alt+1, Alt+2) and folds away below ~600 px, leaving the page with a back
 * button. The pages get the store (and the settings) as construct-only properties, so the
 * window builds them once it has it; a GtkStack shows one at a time.
 *
 * Inside the content pane a second leaflet, which never unfolds, goes from a page to a
 * household's page and back (the back button, Escape, Alt+Left, a swipe) — to the page the
 * household was opened from.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-window.h"

#include <glib/gi18n.h>

struct _SmWindow
{
  AdwApplicationWindow  parent_instance;

  SmStore              *store;
  SmHouseholdList      *household_list;
  SmHouseholdPage      *household_page;
  SmTodayPage          *today_page;
  GSettings            *settings;     /* NULL when the schema is not installed */

  AdwLeaflet           *leaflet;
  GtkListBox           *sidebar_list;
  GtkListBoxRow        *today_row;
  GtkListBoxRow        *households_row;
  GtkStack             *page_stack;
  GtkBox               *today_box;
  AdwWindowTitle       *today_title;
  GtkBox               *content_box;
  AdwLeaflet           *content_leaflet;
  GtkBox               *household_box;
  AdwWindowTitle       *household_title;
};

G_DEFINE_FINAL_TYPE (SmWindow, sm_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The sidebar's pages: the stack child's name and its row. */
static GtkListBoxRow *
page_row (SmWindow   *self,
          const char *page)
{
  if (g_strcmp0 (page, "today") == 0)
    return self->today_row;
  if (g_strcmp0 (page, "households") == 0)
    return self->households_row;

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
}

static void
show_page_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  sm_window_show_page (SM_WINDOW (widget), g_variant_get_string (parameter, NULL));
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

  sm_window_show_page (self, "households");
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

/* The settings of this build, when its schema is installed (or found through
 * GSETTINGS_SCHEMA_DIR); NULL otherwise, and the pages use the schema's defaults. */
static GSettings *
new_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source == NULL || !(schema = g_settings_schema_source_lookup (source, "org.sanmen.Sanmen", TRUE)))
    return NULL;

  return g_settings_new_full (schema, NULL, NULL);
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

/* HOOK for the Demands page (诉求): open the demand itself there. Until it exists, a
 * demand opens the household that raised it, where the worker can call or go. */
static void
today_demand_activated_cb (SmWindow    *self,
                           SmRecord    *demand,
                           SmTodayPage *page)
{
  const char *household_id = sm_record_get_string (demand, "household_id");

  if (household_id != NULL)
    sm_window_show_household (self, household_id);
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

  self->settings = new_settings ();
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

  /* Today first: what needs doing now. */
  gtk_list_box_select_row (self->sidebar_list, self->today_row);
  gtk_stack_set_visible_child_name (self->page_stack, "today");
}

static void
sm_window_dispose (GObject *object)
{
  SmWindow *self = SM_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_WINDOW);
  self->household_list = NULL;
  self->household_page = NULL;
  self->today_page = NULL;
  g_clear_object (&self->settings);
  g_clear_object (&self->store);

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

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Ctrl+F: to the household search, from anywhere in the window. */
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);

  /* The sidebar's pages by keyboard: Alt+1 Today, Alt+2 Households. */
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK,
                                       "win.show-page", "s", "today");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK,
                                       "win.show-page", "s", "households");

  /* Back from a household to the list; sm-window.ui binds Escape and Alt+Left to it. */
  gtk_widget_class_install_action (widget_class, "win.show-list", NULL, show_list_action_cb);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/sanmen/Sanmen/sm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SmWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, today_row);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, households_row);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, page_stack);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, today_box);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, today_title);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, content_leaflet);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, household_box);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, household_title);
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
  /* The page itself, not a household opened from another page. */
  adw_leaflet_set_visible_child_name (self->content_leaflet, "list");
  adw_leaflet_set_visible_child_name (self->leaflet, "content");
}

const char *
sm_window_get_page (SmWindow *self)
{
  g_return_val_if_fail (SM_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->page_stack);
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
