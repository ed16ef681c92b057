/* sm-resource-dialog.c — add or edit a service resource of the 资源清单
 *
 * The community office records what its partner units offer (红色物业, clinics, lawyers,
 * volunteers): the provider, the service, its category (the words demands use, so a
 * demand is matched with resources of its own category first), a contact and whether it
 * is offered now. Resources are an office table (DESIGN §2): the Lists page opens this
 * dialog only for office users (see sm-window's role), and the server refuses a worker's
 * write anyway. Editing writes only the fields that changed (sm_form_put), so two offices
 * editing different fields of a resource both keep their edits. A resource is never
 * deleted: one no longer offered is switched to inactive, and the claims that name it
 * still read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-resource-dialog.h"

#include <glib/gi18n.h>

#include "sm-form.h"

struct _SmResourceDialog
{
  AdwWindow       parent_instance;

  SmStore        *store;
  SmRecord       *resource;
  GPtrArray      *grids;          /* of SmRecord, in the order of grid_names */
  char           *error_message;

  AdwWindowTitle *window_title;
  GtkButton      *save_button;
  GtkLabel       *error_label;
  AdwEntryRow    *provider_row;
  AdwEntryRow    *name_row;
  AdwEntryRow    *category_row;
  AdwEntryRow    *contact_row;
  AdwEntryRow    *description_row;
  AdwActionRow   *active_row;
  GtkSwitch      *active_switch;
  AdwComboRow    *grid_row;
  GtkStringList  *grid_names;
};

G_DEFINE_FINAL_TYPE (SmResourceDialog, sm_resource_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_RESOURCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
validate (SmResourceDialog *self)
{
  g_assert (SM_IS_RESOURCE_DIALOG (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "resource.save",
                                 sm_resource_dialog_get_can_save (self));
}

static void
changed_cb (SmResourceDialog *self)
{
  validate (self);
}

static void
save_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  sm_resource_dialog_save (SM_RESOURCE_DIALOG (widget));
}

static void
sm_resource_dialog_constructed (GObject *object)
{
  SmResourceDialog *self = SM_RESOURCE_DIALOG (object);
  g_autoptr(GError) error = NULL;

  G_OBJECT_CLASS (sm_resource_dialog_parent_class)->constructed (object);

  g_assert (SM_IS_STORE (self->store));

  if (self->resource != NULL)
    {
      /* Translators: the title of the dialog editing a service resource */
      adw_window_title_set_title (self->window_title, _("Edit Resource"));
      adw_window_title_set_subtitle (self->window_title, sm_record_get_string (self->resource, "provider"));
      sm_form_load_text (GTK_EDITABLE (self->provider_row), self->resource, "provider");
      sm_form_load_text (GTK_EDITABLE (self->name_row), self->resource, "name");
      sm_form_load_text (GTK_EDITABLE (self->category_row), self->resource, "category");
      sm_form_load_text (GTK_EDITABLE (self->contact_row), self->resource, "contact");
      sm_form_load_text (GTK_EDITABLE (self->description_row), self->resource, "description");
      /* A resource that never said is offered, as the lists count it. */
      gtk_switch_set_active (self->active_switch,
                             sm_record_get_value (self->resource, "active") == NULL ||
                             sm_record_get_bool (self->resource, "active"));
      /* A resource stays in the grid it was recorded in. */
      gtk_widget_set_visible (GTK_WIDGET (self->grid_row), FALSE);
    }
  else
    {
      /* Translators: the title of the dialog adding a service resource */
      adw_window_title_set_title (self->window_title, _("New Resource"));
      if (!(self->grids = sm_store_list_grids (self->store, &error)))
        {
          g_warning ("Cannot list the grids: %s", error->message);
          self->grids = g_ptr_array_new_with_free_func (g_object_unref);
        }
      for (guint i = 0; i < self->grids->len; i++)
        gtk_string_list_append (self->grid_names, sm_record_get_string (self->grids->pdata[i], "name"));
      /* One grid needs no choosing. */
      gtk_widget_set_visible (GTK_WIDGET (self->grid_row), self->grids->len > 1);
    }

  validate (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->provider_row));
}

static void
sm_resource_dialog_dispose (GObject *object)
{
  SmResourceDialog *self = SM_RESOURCE_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_RESOURCE_DIALOG);
  g_clear_object (&self->resource);
  g_clear_object (&self->store);
  g_clear_pointer (&self->grids, g_ptr_array_unref);

  G_OBJECT_CLASS (sm_resource_dialog_parent_class)->dispose (object);
}

static void
sm_resource_dialog_finalize (GObject *object)
{
  SmResourceDialog *self = SM_RESOURCE_DIALOG (object);

  g_clear_pointer (&self->error_message, g_free);

  G_OBJECT_CLASS (sm_resource_dialog_parent_class)->finalize (object);
}

static void
sm_resource_dialog_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SmResourceDialog *self = SM_RESOURCE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_RESOURCE:
      g_value_set_object (value, self->resource);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_resource_dialog_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SmResourceDialog *self = SM_RESOURCE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_RESOURCE:
      self->resource = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_resource_dialog_class_init (SmResourceDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sm_resource_dialog_constructed;
  object_class->dispose = sm_resource_dialog_dispose;
  object_class->finalize = sm_resource_dialog_finalize;
  object_class->get_property = sm_resource_dialog_get_property;
  object_class->set_property = sm_resource_dialog_set_property;

  /**
   * SmResourceDialog:store:
   *
   * The replica the resource is written to.
   */
  properties[PROP_STORE] = sm_form_object_pspec ("store", SM_TYPE_STORE);
  /**
   * SmResourceDialog:resource:
   *
   * The resource edited; NULL adds one.
   */
  properties[PROP_RESOURCE] = sm_form_object_pspec ("resource", SM_TYPE_RECORD);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SmResourceDialog::saved:
   * @self: the dialog
   * @resource_id: the id of the resource written
   *
   * Emitted once the resource is in the store, just before the dialog closes.
   */
  signals[SAVED] = sm_form_new_saved_signal (G_TYPE_FROM_CLASS (klass));

  sm_form_install_save_action (widget_class, "resource.save", save_action_cb);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/sanmen/Sanmen/sm-resource-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SmResourceDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, SmResourceDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, SmResourceDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, SmResourceDialog, provider_row);
  gtk_widget_class_bind_template_child (widget_class, SmResourceDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, SmResourceDialog, category_row);
  gtk_widget_class_bind_template_child (widget_class, SmResourceDialog, contact_row);
  gtk_widget_class_bind_template_child (widget_class, SmResourceDialog, description_row);
  gtk_widget_class_bind_template_child (widget_class, SmResourceDialog, active_row);
  gtk_widget_class_bind_template_child (widget_class, SmResourceDialog, active_switch);
  gtk_widget_class_bind_template_child (widget_class, SmResourceDialog, grid_row);
  gtk_widget_class_bind_template_child (widget_class, SmResourceDialog, grid_names);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
}

static void
sm_resource_dialog_init (SmResourceDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The schema's labels: the lists and validation messages say the same words. */
  sm_form_set_title (ADW_PREFERENCES_ROW (self->provider_row), sm_form_field ("resource", "provider"));
  sm_form_set_title (ADW_PREFERENCES_ROW (self->name_row), sm_form_field ("resource", "name"));
  sm_form_set_title (ADW_PREFERENCES_ROW (self->category_row), sm_form_field ("resource", "category"));
  sm_form_set_title (ADW_PREFERENCES_ROW (self->contact_row), sm_form_field ("resource", "contact"));
  sm_form_set_title (ADW_PREFERENCES_ROW (self->description_row), sm_form_field ("resource", "description"));
  sm_form_set_title (ADW_PREFERENCES_ROW (self->active_row), sm_form_field ("resource", "active"));
  sm_form_set_title (ADW_PREFERENCES_ROW (self->grid_row), sm_form_field ("resource", "grid_id"));
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->save_button));
}

SmResourceDialog *
sm_resource_dialog_new (SmStore  *store,
                        SmRecord *resource)
{
  g_return_val_if_fail (SM_IS_STORE (store), NULL);
  g_return_val_if_fail (resource == NULL || SM_IS_RECORD (resource), NULL);

  return g_object_new (SM_TYPE_RESOURCE_DIALOG, "store", store, "resource", resource, NULL);
}

SmRecord *
sm_resource_dialog_get_resource (SmResourceDialog *self)
{
  g_return_val_if_fail (SM_IS_RESOURCE_DIALOG (self), NULL);

  return self->resource;
}

static AdwEntryRow *
entry_row (SmResourceDialog *self,
           const char       *field)
{
  const SmFormEntry entries[] = {
    { "provider", self->provider_row, NULL },
    { "name", self->name_row, NULL },
    { "category", self->category_row, NULL },
    { "description", self->description_row, NULL },
    { "contact", self->contact_row, NULL },
  };

  return sm_form_find_entry (entries, G_N_ELEMENTS (entries), field, NULL);
}

GtkEditable *
sm_resource_dialog_get_entry (SmResourceDialog *self,
                              const char       *field)
{
  AdwEntryRow *row;

  g_return_val_if_fail (SM_IS_RESOURCE_DIALOG (self), NULL);

  row = entry_row (self, field);

  return row != NULL ? GTK_EDITABLE (row) : NULL;
}

void
sm_resource_dialog_set_active (SmResourceDialog *self,
                               gboolean          active)
{
  g_return_if_fail (SM_IS_RESOURCE_DIALOG (self));

  gtk_switch_set_active (self->active_switch, active);
}

void
sm_resource_dialog_set_grid_id (SmResourceDialog *self,
                                const char       *grid_id)
{
  g_return_if_fail (SM_IS_RESOURCE_DIALOG (self));

  for (guint i = 0; self->grids != NULL && i < self->grids->len; i++)
    if (g_strcmp0 (sm_record_get_id (self->grids->pdata[i]), grid_id) == 0)
      adw_combo_row_set_selected (self->grid_row, i);
}

gboolean
sm_resource_dialog_get_can_save (SmResourceDialog *self)
{
  g_autoptr(GVariant) provider = NULL;
  g_autoptr(GVariant) name = NULL;
  g_autoptr(GVariant) category = NULL;

  g_return_val_if_fail (SM_IS_RESOURCE_DIALOG (self), FALSE);

  provider = sm_form_text_value (GTK_EDITABLE (self->provider_row));
  name = sm_form_text_value (GTK_EDITABLE (self->name_row));
  category = sm_form_text_value (GTK_EDITABLE (self->category_row));

  return provider != NULL && name != NULL && category != NULL;
}

static const char *
selected_grid_id (SmResourceDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->grid_row);

  if (self->grids == NULL || selected >= self->grids->len)
    return NULL;

  return sm_record_get_id (self->grids->pdata[selected]);
}

gboolean
sm_resource_dialog_save (SmResourceDialog *self)
{
  static const char * const text_fields[] = { "provider", "name", "category", "contact", "description" };
  g_autoptr(GHashTable) values = sm_form_values_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  const char *grid_id;

  g_return_val_if_fail (SM_IS_RESOURCE_DIALOG (self), FALSE);

  if (!sm_resource_dialog_get_can_save (self))
    {
      validate (self);
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (text_fields); i++)
    sm_form_put (values, self->resource, text_fields[i],
                 sm_form_text_value (sm_resource_dialog_get_entry (self, text_fields[i])));
  /* An unset "active" shows as active (see constructed): leaving it so writes nothing. */
  if (self->resource == NULL || gtk_switch_get_active (self->active_switch) !=
      (sm_record_get_value (self->resource, "active") == NULL ||
       sm_record_get_bool (self->resource, "active")))
    sm_form_put (values, self->resource, "active",
                 g_variant_new_boolean (gtk_switch_get_active (self->active_switch)));

  grid_id = self->resource ? sm_record_get_grid_id (self->resource) : selected_grid_id (self);
  if (grid_id == NULL)
    {
      /* Translators: a resource is recorded in a grid; this replica has none yet */
      sm_form_show_banner (self->error_label, &self->error_message,
                           _("There is no grid to record the resource in. Sign in and sync first, or create the demo community."));
      return FALSE;
    }

  /* Nothing changed: nothing to write, and the dialog closes as after a save. */
  if (self->resource != NULL && g_hash_table_size (values) == 0)
    id = g_strdup (sm_record_get_id (self->resource));
  else if (!(id = sm_form_write (self->store, "resource", grid_id, self->resource, values, &error)))
    g_debug ("Cannot save a resource: %s", error->message);

  return sm_form_finish_save (GTK_WINDOW (self), self->error_label, &self->error_message,
                              signals[SAVED], id, error);
}

const char *
sm_resource_dialog_get_error_message (SmResourceDialog *self)
{
  g_return_val_if_fail (SM_IS_RESOURCE_DIALOG (self), NULL);

  return self->error_message;
}
