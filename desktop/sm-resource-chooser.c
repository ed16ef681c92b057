/* sm-resource-chooser.c — pick a resource to match a demand with (认领)
 *
 * "Match a Resource" on a demand's page opens this list of the resources offered now
 * (active), those of the demand's category first and marked as such, so the usual
 * choice is the first row; the others follow, because a partner unit can often help
 * beyond the category it was recorded under. Activating a row emits "chosen"; the
 * demand's page writes the claim. Inactive resources are left out: they are no longer
 * offered.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-resource-chooser.h"

#include <glib/gi18n.h>

struct _SmResourceChooser
{
  AdwWindow       parent_instance;

  GListStore     *resources;   /* of SmRecord */
  char           *category;

  AdwWindowTitle *window_title;
  GtkListBox     *resource_list;
  GtkWidget      *empty_page;
};

G_DEFINE_FINAL_TYPE (SmResourceChooser, sm_resource_chooser, ADW_TYPE_WINDOW)

enum {
  CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  SmResourceChooser *self = SM_RESOURCE_CHOOSER (user_data);
  SmRecord *resource = SM_RECORD (item);
  g_autoptr(GString) subtitle = g_string_new (sm_record_get_string (resource, "category"));
  g_autofree char *title = NULL;
  const char *contact = sm_record_get_string (resource, "contact");
  GtkWidget *row = adw_action_row_new ();

  /* Translators: a resource in a list: “provider · service”, e.g. “红星物业 · 上门维修” */
  title = g_strdup_printf (_("%s · %s"), sm_record_get_string (resource, "provider"),
                           sm_record_get_string (resource, "name"));
  if (contact != NULL)
    g_string_append_printf (subtitle, "\n%s", contact);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  if (self->category != NULL && g_strcmp0 (sm_record_get_string (resource, "category"), self->category) == 0)
    {
      /* Translators: marks the resources of a demand's own category in the chooser */
      GtkWidget *badge = gtk_label_new (_("Same category"));

      gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (badge, "badge");
      gtk_widget_add_css_class (badge, "accent");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));

  return row;
}

static void
row_activated_cb (SmResourceChooser *self,
                  GtkListBoxRow     *row)
{
  sm_resource_chooser_choose (self, (guint) gtk_list_box_row_get_index (row));
}

static void
sm_resource_chooser_dispose (GObject *object)
{
  SmResourceChooser *self = SM_RESOURCE_CHOOSER (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_RESOURCE_CHOOSER);
  g_clear_object (&self->resources);

  G_OBJECT_CLASS (sm_resource_chooser_parent_class)->dispose (object);
}

static void
sm_resource_chooser_finalize (GObject *object)
{
  SmResourceChooser *self = SM_RESOURCE_CHOOSER (object);

  g_clear_pointer (&self->category, g_free);

  G_OBJECT_CLASS (sm_resource_chooser_parent_class)->finalize (object);
}

static void
sm_resource_chooser_class_init (SmResourceChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sm_resource_chooser_dispose;
  object_class->finalize = sm_resource_chooser_finalize;

  /**
   * SmResourceChooser::chosen:
   * @self: the chooser
   * @resource_id: the id of the resource chosen
   *
   * Emitted when a resource is chosen, just before the chooser closes.
   */
  signals[CHOSEN] =
    g_signal_new ("chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/sanmen/Sanmen/sm-resource-chooser.ui");
  gtk_widget_class_bind_template_child (widget_class, SmResourceChooser, window_title);
  gtk_widget_class_bind_template_child (widget_class, SmResourceChooser, resource_list);
  gtk_widget_class_bind_template_child (widget_class, SmResourceChooser, empty_page);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
}

static void
sm_resource_chooser_init (SmResourceChooser *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->resources = g_list_store_new (SM_TYPE_RECORD);
}

SmResourceChooser *
sm_resource_chooser_new (SmStore    *store,
                         const char *category)
{
  SmResourceChooser *self;
  g_autoptr(GPtrArray) resources = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (SM_IS_STORE (store), NULL);

  self = g_object_new (SM_TYPE_RESOURCE_CHOOSER, NULL);
  self->category = g_strdup (category);
  adw_window_title_set_subtitle (self->window_title, category);

  if (!(resources = sm_store_list_resources_for_category (store, category, &error)))
    g_warning ("Cannot list the resources: %s", error->message);
  else
    g_list_store_splice (self->resources, 0, 0, resources->pdata, resources->len);

  gtk_list_box_bind_model (self->resource_list, G_LIST_MODEL (self->resources), create_row_cb, self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->resource_list),
                          g_list_model_get_n_items (G_LIST_MODEL (self->resources)) > 0);
  gtk_widget_set_visible (self->empty_page, g_list_model_get_n_items (G_LIST_MODEL (self->resources)) == 0);

  return self;
}

GListModel *
sm_resource_chooser_get_resources (SmResourceChooser *self)
{
  g_return_val_if_fail (SM_IS_RESOURCE_CHOOSER (self), NULL);

  return G_LIST_MODEL (self->resources);
}

void
sm_resource_chooser_choose (SmResourceChooser *self,
                            guint              position)
{
  g_autoptr(SmRecord) resource = NULL;
  g_autoptr(SmResourceChooser) hold = NULL;

  g_return_if_fail (SM_IS_RESOURCE_CHOOSER (self));

  if (!(resource = g_list_model_get_item (G_LIST_MODEL (self->resources), position)))
    return;

  hold = g_object_ref (self);
  g_signal_emit (self, signals[CHOSEN], 0, sm_record_get_id (resource));
  gtk_window_destroy (GTK_WINDOW (self));
}
