/* sm-form.c — what the record dialogs share: fields checked as people type, values
 * written only when they change, the error shown at the top, the end of a save
 *
 * The checks are the store's own (sm_field_validate_local()), run on every keystroke, so
 * what the dialog accepts is exactly what a save accepts, and its messages, translated by
 * core, already name the field. Sensitive values (ID numbers, phones) go through here
 * and are never logged.
 *
 * Every dialog saves the same way: Save (Ctrl+Return) checks the fields again, writes,
 * and either closes with "saved" or shows the store's message at the top, keeping all
 * that was typed; Escape closes without saving.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-form.h"

#include <glib/gi18n.h>
#include <string.h>

const SmField *
sm_form_field (const char *table,
               const char *name)
{
  const SmTable *t = sm_schema_lookup_table (table);
  const SmField *field = t ? sm_table_lookup_field (t, name) : NULL;

  g_assert (field != NULL);

  return field;
}

void
sm_form_set_title (AdwPreferencesRow *row,
                   const SmField     *field)
{
  g_return_if_fail (ADW_IS_PREFERENCES_ROW (row));
  g_return_if_fail (field != NULL);

  adw_preferences_row_set_title (row, sm_field_get_label (field));
}

void
sm_form_show_error (GtkWidget  *widget,
                    GtkLabel   *error_label,
                    const char *message)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (error_label == NULL || GTK_IS_LABEL (error_label));

  if (message != NULL)
    gtk_widget_add_css_class (widget, "error");
  else
    gtk_widget_remove_css_class (widget, "error");

  if (error_label != NULL)
    {
      gtk_label_set_label (error_label, message);
      gtk_widget_set_visible (GTK_WIDGET (error_label), message != NULL);
    }
  /* Screen readers say why the field is refused. */
  if (message != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  gtk_accessible_update_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_INVALID,
                               message != NULL ? GTK_ACCESSIBLE_INVALID_TRUE
                                               : GTK_ACCESSIBLE_INVALID_FALSE, -1);
}

AdwEntryRow *
sm_form_find_entry (const SmFormEntry *entries,
                    gsize              n_entries,
                    const char        *field,
                    GtkLabel         **out_error)
{
  g_return_val_if_fail (entries != NULL, NULL);

  for (gsize i = 0; i < n_entries; i++)
    if (g_strcmp0 (entries[i].field, field) == 0)
      {
        if (out_error != NULL)
          *out_error = entries[i].error;
        return entries[i].row;
      }

  return NULL;
}

const char *
sm_form_get_entry_error (AdwEntryRow *row,
                         GtkLabel    *error)
{
  g_return_val_if_fail (ADW_IS_ENTRY_ROW (row), NULL);
  g_return_val_if_fail (error == NULL || GTK_IS_LABEL (error), NULL);

  if (error == NULL || !gtk_widget_get_visible (GTK_WIDGET (error))
      || !gtk_widget_has_css_class (GTK_WIDGET (row), "error"))
    return NULL;

  return gtk_label_get_label (error);
}

GVariant *
sm_form_text_value (GtkEditable *editable)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (GTK_IS_EDITABLE (editable), NULL);

  text = g_strstrip (g_strdup (gtk_editable_get_text (editable)));

  return *text != '\0' ? g_variant_new_string (text) : NULL;
}

const char *
sm_form_strip_label (const SmField *field,
                     const char    *message)
{
  const char *label;
  gsize length;

  g_return_val_if_fail (field != NULL, message);

  if (message == NULL)
    return NULL;

  /* Core's messages start "ID number: …" to stand alone; under the field that is said. */
  label = sm_field_get_label (field);
  length = strlen (label);
  if (strncmp (message, label, length) == 0 && strncmp (message + length, ": ", 2) == 0)
    return message + length + 2;

  return message;
}

gboolean
sm_form_check_text (GtkEditable   *editable,
                    GtkLabel      *error_label,
                    const SmField *field,
                    const char    *id_type,
                    GVariant     **out_value)
{
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GVariant) canonical = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_return_val_if_fail (GTK_IS_EDITABLE (editable), FALSE);
  g_return_val_if_fail (field != NULL, FALSE);

  if ((value = sm_form_text_value (editable)))
    g_variant_ref_sink (value);

  ok = sm_field_validate_local (field, value, id_type, &canonical, &error);
  sm_form_show_error (GTK_WIDGET (editable), error_label, ok ? NULL : sm_form_strip_label (field, error->message));

  if (out_value != NULL)
    *out_value = ok ? g_steal_pointer (&canonical) : NULL;

  return ok;
}

void
sm_form_show_banner (GtkLabel   *banner,
                     char      **shown,
                     const char *message)
{
  g_return_if_fail (GTK_IS_LABEL (banner));
  g_return_if_fail (shown != NULL);

  g_free (*shown);
  *shown = g_strdup (message);
  gtk_label_set_label (banner, message);
  gtk_widget_set_visible (GTK_WIDGET (banner), message != NULL);
}

gboolean
sm_form_finish_save (GtkWindow    *dialog,
                     GtkLabel     *banner,
                     char        **shown,
                     guint         saved_signal,
                     const char   *id,
                     const GError *error)
{
  g_return_val_if_fail (GTK_IS_WINDOW (dialog), FALSE);
  g_return_val_if_fail (id != NULL || error != NULL, FALSE);

  if (id == NULL)
    {
      sm_form_show_banner (banner, shown, error->message);
      return FALSE;
    }

  sm_form_show_banner (banner, shown, NULL);
  g_signal_emit (dialog, saved_signal, 0, id);
  gtk_window_destroy (dialog);

  return TRUE;
}

GParamSpec *
sm_form_object_pspec (const char *name,
                      GType       type)
{
  g_return_val_if_fail (name != NULL, NULL);

  return g_param_spec_object (name, NULL, NULL, type,
                              G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
}

guint
sm_form_new_saved_signal (GType dialog_type)
{
  return g_signal_new ("saved", dialog_type, G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                       NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

void
sm_form_install_save_action (GtkWidgetClass              *widget_class,
                             const char                  *action_name,
                             GtkWidgetActionActivateFunc  activate)
{
  g_return_if_fail (GTK_IS_WIDGET_CLASS (widget_class));
  g_return_if_fail (action_name != NULL);

  gtk_widget_class_install_action (widget_class, action_name, NULL, activate);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       action_name, NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
variant_unref0 (gpointer value)
{
  if (value != NULL)
    g_variant_unref (value);
}

GHashTable *
sm_form_values_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, variant_unref0);
}

void
sm_form_put (GHashTable *values,
             SmRecord   *record,
             const char *field,
             GVariant   *value)
{
  g_return_if_fail (values != NULL);
  g_return_if_fail (field != NULL);

  if (value != NULL)
    g_variant_ref_sink (value);

  if ((record == NULL && value == NULL)
      || (record != NULL && sm_value_equal (sm_record_get_value (record, field), value)))
    {
      if (value != NULL)
        g_variant_unref (value);
      return;
    }

  g_hash_table_replace (values, g_strdup (field), value);
}

char *
sm_form_write (SmStore     *store,
               const char  *table,
               const char  *grid_id,
               SmRecord    *record,
               GHashTable  *values,
               GError     **error)
{
  g_return_val_if_fail (SM_IS_STORE (store), NULL);
  g_return_val_if_fail (record == NULL || SM_IS_RECORD (record), NULL);
  g_return_val_if_fail (values != NULL, NULL);

  if (record == NULL)
    return sm_store_create (store, table, grid_id, values, error);
  if (!sm_store_update (store, table, sm_record_get_id (record), values, error))
    return NULL;

  return g_strdup (sm_record_get_id (record));
}

void
sm_form_load_text (GtkEditable *editable,
                   SmRecord    *record,
                   const char  *field)
{
  const char *text = record ? sm_record_get_string (record, field) : NULL;

  g_return_if_fail (GTK_IS_EDITABLE (editable));

  gtk_editable_set_text (editable, text ? text : "");
}

void
sm_form_fill_enum (GtkStringList *list,
                   const SmField *field)
{
  g_return_if_fail (GTK_IS_STRING_LIST (list));
  g_return_if_fail (field != NULL && field->enum_values != NULL);

  for (guint i = 0; field->enum_values[i] != NULL; i++)
    gtk_string_list_append (list, sm_field_get_enum_label (field, field->enum_values[i]));
}

void
sm_form_setup_enum (AdwComboRow   *row,
                    const SmField *field,
                    gboolean       optional)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  g_return_if_fail (ADW_IS_COMBO_ROW (row));
  g_return_if_fail (field != NULL && field->enum_values != NULL);

  if (optional)
    /* Translators: the first choice of an optional list, e.g. of a resident's gender */
    gtk_string_list_append (labels, _("Not set"));
  sm_form_fill_enum (labels, field);

  adw_combo_row_set_model (row, G_LIST_MODEL (labels));
  sm_form_set_title (ADW_PREFERENCES_ROW (row), field);
}

const char *
sm_form_get_enum (AdwComboRow   *row,
                  const SmField *field,
                  gboolean       optional)
{
  guint selected;

  g_return_val_if_fail (ADW_IS_COMBO_ROW (row), NULL);
  g_return_val_if_fail (field != NULL, NULL);

  selected = adw_combo_row_get_selected (row);
  if (selected == GTK_INVALID_LIST_POSITION || (optional && selected == 0))
    return NULL;
  if (optional)
    selected--;

  return selected < g_strv_length ((char **) field->enum_values) ? field->enum_values[selected] : NULL;
}

void
sm_form_set_enum (AdwComboRow   *row,
                  const SmField *field,
                  gboolean       optional,
                  const char    *value)
{
  guint position = 0;

  g_return_if_fail (ADW_IS_COMBO_ROW (row));
  g_return_if_fail (field != NULL);

  for (guint i = 0; value != NULL && field->enum_values[i] != NULL; i++)
    if (g_str_equal (field->enum_values[i], value))
      position = optional ? i + 1 : i;

  adw_combo_row_set_selected (row, position);
}

static const SmField *
tag_field (GtkSwitch *toggle)
{
  return g_object_get_data (G_OBJECT (toggle), "sm-form-field");
}

GPtrArray *
sm_form_add_tags (AdwPreferencesGroup *group,
                  const char          *table)
{
  const SmTable *t = sm_schema_lookup_table (table);
  GPtrArray *tags = g_ptr_array_new ();

  g_return_val_if_fail (ADW_IS_PREFERENCES_GROUP (group), tags);
  g_return_val_if_fail (t != NULL, tags);

  for (guint i = 0; i < t->n_fields; i++)
    {
      const SmField *field = &t->fields[i];
      GtkWidget *row;
      GtkWidget *toggle;

      if (!(field->flags & SM_FIELD_FLAG_TAG))
        continue;

      row = adw_action_row_new ();
      toggle = gtk_switch_new ();
      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), sm_field_get_label (field));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
      gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      sm_field_get_label (field), -1);
      adw_preferences_group_add (group, row);
      g_object_set_data (G_OBJECT (toggle), "sm-form-field", (gpointer) field);
      g_ptr_array_add (tags, toggle);
    }

  return tags;
}

GtkSwitch *
sm_form_find_tag (GPtrArray  *tags,
                  const char *name)
{
  g_return_val_if_fail (tags != NULL, NULL);

  for (guint i = 0; i < tags->len; i++)
    if (g_strcmp0 (tag_field (g_ptr_array_index (tags, i))->name, name) == 0)
      return g_ptr_array_index (tags, i);

  return NULL;
}

void
sm_form_load_tags (GPtrArray *tags,
                   SmRecord  *record)
{
  g_return_if_fail (tags != NULL);
  g_return_if_fail (SM_IS_RECORD (record));

  for (guint i = 0; i < tags->len; i++)
    {
      GtkSwitch *toggle = g_ptr_array_index (tags, i);

      gtk_switch_set_active (toggle, sm_record_get_bool (record, tag_field (toggle)->name));
    }
}

GVariant *
sm_form_flag_value (SmRecord   *record,
                    const char *field,
                    gboolean    active)
{
  g_return_val_if_fail (field != NULL, NULL);

  if (!active && (record == NULL || sm_record_get_value (record, field) == NULL))
    return NULL;

  return g_variant_new_boolean (active);
}

void
sm_form_put_tags (GHashTable *values,
                  SmRecord   *record,
                  GPtrArray  *tags)
{
  g_return_if_fail (values != NULL);
  g_return_if_fail (tags != NULL);

  for (guint i = 0; i < tags->len; i++)
    {
      GtkSwitch *toggle = g_ptr_array_index (tags, i);
      const char *name = tag_field (toggle)->name;

      sm_form_put (values, record, name,
                   sm_form_flag_value (record, name, gtk_switch_get_active (toggle)));
    }
}
