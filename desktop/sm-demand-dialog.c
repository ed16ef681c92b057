/* sm-demand-dialog.c — raise a demand for a household (诉求 发现)
 *
 * What is needed (the title), its category, where it came from, the level it is expected
 * to be settled at, and a description. Save writes the demand and its `report` event in
 * one transaction (sm_demand_raise()): reported now, due by the expected level — 3 days
 * within the building, 5 within the area, 10 within the community, 20 when escalated.
 * A store error (or a missing title) shows at the top, and nothing typed is lost.
 *
 * Categories are free text in the data model; the dialog offers those the replica's
 * demands already use (so a community's own list comes with its data) and then the usual
 * ones, translated.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-demand-dialog.h"

#include <glib/gi18n.h>

#include "sm-demand-actions.h"
#include "sm-form.h"

struct _SmDemandDialog
{
  AdwWindow       parent_instance;

  SmStore        *store;
  SmRecord       *household;
  char           *worker_id;
  char           *error_message;

  AdwWindowTitle *window_title;
  GtkButton      *save_button;
  GtkLabel       *error_label;
  AdwEntryRow    *title_row;
  AdwComboRow    *category_row;
  GtkStringList  *category_names;
  AdwComboRow    *source_row;
  GtkStringList  *source_names;
  AdwComboRow    *level_row;
  GtkStringList  *level_names;
  AdwEntryRow    *description_row;
};

G_DEFINE_FINAL_TYPE (SmDemandDialog, sm_demand_dialog, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The usual categories, for a replica whose demands use none yet. */
static const char * const default_categories[] = {
  N_("Repairs"), N_("Environment and sanitation"), N_("Safety and security"),
  N_("Neighbour disputes"), N_("Social assistance"), N_("Elderly care"),
  N_("Property management"), N_("Employment"), N_("Health care"), N_("Public facilities"),
  N_("Other"),
};

static void
save_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  sm_demand_dialog_save (SM_DEMAND_DIALOG (widget));
}

static void
sm_demand_dialog_dispose (GObject *object)
{
  SmDemandDialog *self = SM_DEMAND_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_DEMAND_DIALOG);
  g_clear_object (&self->household);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sm_demand_dialog_parent_class)->dispose (object);
}

static void
sm_demand_dialog_finalize (GObject *object)
{
  SmDemandDialog *self = SM_DEMAND_DIALOG (object);

  g_clear_pointer (&self->worker_id, g_free);
  g_clear_pointer (&self->error_message, g_free);

  G_OBJECT_CLASS (sm_demand_dialog_parent_class)->finalize (object);
}

static void
sm_demand_dialog_class_init (SmDemandDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sm_demand_dialog_dispose;
  object_class->finalize = sm_demand_dialog_finalize;

  /**
   * SmDemandDialog::saved:
   * @self: the dialog
   * @demand_id: the id of the demand written
   *
   * Emitted once the demand is in the store, just before the dialog closes.
   */
  signals[SAVED] = sm_form_new_saved_signal (G_TYPE_FROM_CLASS (klass));

  sm_form_install_save_action (widget_class, "demand-dialog.save", save_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "demand-dialog.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "demand-dialog.save", NULL);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/sanmen/Sanmen/sm-demand-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SmDemandDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, SmDemandDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, SmDemandDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, SmDemandDialog, title_row);
  gtk_widget_class_bind_template_child (widget_class, SmDemandDialog, category_row);
  gtk_widget_class_bind_template_child (widget_class, SmDemandDialog, category_names);
  gtk_widget_class_bind_template_child (widget_class, SmDemandDialog, source_row);
  gtk_widget_class_bind_template_child (widget_class, SmDemandDialog, source_names);
  gtk_widget_class_bind_template_child (widget_class, SmDemandDialog, level_row);
  gtk_widget_class_bind_template_child (widget_class, SmDemandDialog, level_names);
  gtk_widget_class_bind_template_child (widget_class, SmDemandDialog, description_row);
}

static void
sm_demand_dialog_init (SmDemandDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  sm_form_fill_enum (self->source_names, sm_form_field ("demand", "source"));
  sm_form_fill_enum (self->level_names, sm_form_field ("demand", "level"));
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->save_button));
}

SmDemandDialog *
sm_demand_dialog_new (SmStore    *store,
                      SmRecord   *household,
                      const char *worker_id)
{
  SmDemandDialog *self;

  g_return_val_if_fail (SM_IS_STORE (store), NULL);
  g_return_val_if_fail (SM_IS_RECORD (household), NULL);

  self = g_object_new (SM_TYPE_DEMAND_DIALOG, NULL);
  self->store = g_object_ref (store);
  self->household = g_object_ref (household);
  self->worker_id = g_strdup (worker_id);

  adw_window_title_set_subtitle (self->window_title, sm_record_get_string (household, "address"));
  sm_demand_fill_categories (store, self->category_names);
  /* Raised here rather than on a visit: most often the resident came to the office. */
  sm_demand_dialog_set_source (self, "walk_in");
  sm_demand_dialog_set_level (self, "building");
  gtk_widget_grab_focus (GTK_WIDGET (self->title_row));

  return self;
}

GtkEditable *
sm_demand_dialog_get_title_entry (SmDemandDialog *self)
{
  g_return_val_if_fail (SM_IS_DEMAND_DIALOG (self), NULL);

  return GTK_EDITABLE (self->title_row);
}

GtkEditable *
sm_demand_dialog_get_description_entry (SmDemandDialog *self)
{
  g_return_val_if_fail (SM_IS_DEMAND_DIALOG (self), NULL);

  return GTK_EDITABLE (self->description_row);
}

const char *
sm_demand_dialog_get_category (SmDemandDialog *self)
{
  g_return_val_if_fail (SM_IS_DEMAND_DIALOG (self), NULL);

  return sm_demand_combo_get_string (self->category_row);
}

void
sm_demand_dialog_set_category (SmDemandDialog *self,
                               const char     *category)
{
  g_return_if_fail (SM_IS_DEMAND_DIALOG (self));

  sm_demand_combo_set_string (self->category_row, category);
}

const char *
sm_demand_dialog_get_source (SmDemandDialog *self)
{
  g_return_val_if_fail (SM_IS_DEMAND_DIALOG (self), NULL);

  return sm_form_get_enum (self->source_row, sm_form_field ("demand", "source"), FALSE);
}

void
sm_demand_dialog_set_source (SmDemandDialog *self,
                             const char     *source)
{
  g_return_if_fail (SM_IS_DEMAND_DIALOG (self));

  sm_form_set_enum (self->source_row, sm_form_field ("demand", "source"), FALSE, source);
}

const char *
sm_demand_dialog_get_level (SmDemandDialog *self)
{
  g_return_val_if_fail (SM_IS_DEMAND_DIALOG (self), NULL);

  return sm_form_get_enum (self->level_row, sm_form_field ("demand", "level"), FALSE);
}

void
sm_demand_dialog_set_level (SmDemandDialog *self,
                            const char     *level)
{
  g_return_if_fail (SM_IS_DEMAND_DIALOG (self));

  sm_form_set_enum (self->level_row, sm_form_field ("demand", "level"), FALSE, level);
}

gboolean
sm_demand_dialog_save (SmDemandDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (SM_IS_DEMAND_DIALOG (self), FALSE);

  title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_row))));
  description = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->description_row))));

  id = sm_demand_raise (self->store, self->household, NULL, sm_demand_dialog_get_source (self),
                        sm_demand_dialog_get_category (self), sm_demand_dialog_get_level (self),
                        title, description, self->worker_id, &error);
  if (id == NULL)
    g_debug ("Cannot raise a demand: %s", error->message);

  return sm_form_finish_save (GTK_WINDOW (self), self->error_label, &self->error_message,
                              signals[SAVED], id, error);
}

const char *
sm_demand_dialog_get_error_message (SmDemandDialog *self)
{
  g_return_val_if_fail (SM_IS_DEMAND_DIALOG (self), NULL);

  return self->error_message;
}

void
sm_demand_fill_categories (SmStore       *store,
                           GtkStringList *list)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) used = NULL;

  g_return_if_fail (SM_IS_STORE (store));
  g_return_if_fail (GTK_IS_STRING_LIST (list));

  if (!(used = sm_store_list_demand_categories (store, 30, &error)))
    g_warning ("Cannot list the demand categories: %s", error->message);

  for (guint i = 0; used != NULL && used[i] != NULL; i++)
    {
      gtk_string_list_append (list, used[i]);
      g_hash_table_add (seen, used[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (default_categories); i++)
    if (!g_hash_table_contains (seen, _(default_categories[i])))
      gtk_string_list_append (list, _(default_categories[i]));
}

const char *
sm_demand_combo_get_string (AdwComboRow *row)
{
  GtkStringObject *item;

  g_return_val_if_fail (ADW_IS_COMBO_ROW (row), NULL);

  item = adw_combo_row_get_selected_item (row);
  return item != NULL ? gtk_string_object_get_string (item) : NULL;
}

void
sm_demand_combo_set_string (AdwComboRow *row,
                            const char  *value)
{
  GtkStringList *list;
  guint n;

  g_return_if_fail (ADW_IS_COMBO_ROW (row));

  list = GTK_STRING_LIST (adw_combo_row_get_model (row));
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (list, i), value) == 0)
      {
        adw_combo_row_set_selected (row, i);
        return;
      }

  if (value != NULL)
    {
      gtk_string_list_append (list, value);
      adw_combo_row_set_selected (row, n);
    }
}
