/* sm-conflict-row.c — one open conflict on the Conflicts page, with its three actions
 *
 * The record and the field's label, both values with who wrote each and when (local
 * time), a badge on the one the record holds now, and Keep Current Value, Take Other
 * Value and Enter New Value…. A new value is checked as it is typed with the field's own
 * validation (sm_field_validate_local: mobile and ID numbers, dates, enums), and Save is
 * only possible when it passes. Enums and yes/no fields are chosen from a list instead.
 * Sensitive values (phones, ID numbers) are masked until the eye button shows them.
 *
 * The row does not write: it emits "resolve" and the page does, so a failure comes back
 * through sm_conflict_row_set_error().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-conflict-row.h"

#include <glib/gi18n.h>

struct _SmConflictRow
{
  GtkListBoxRow    parent_instance;

  SmConflict      *conflict;
  /* For the dropdown (enums, yes/no): the value of each item. */
  GPtrArray       *choices;

  GtkLabel        *title_label;
  GtkLabel        *subtitle_label;
  GtkToggleButton *reveal_button;
  GtkLabel        *winner_badge;
  GtkLabel        *winner_value_label;
  GtkLabel        *winner_who_label;
  GtkLabel        *other_badge;
  GtkLabel        *other_value_label;
  GtkLabel        *other_who_label;
  GtkLabel        *neither_label;
  GtkButton       *keep_button;
  GtkButton       *take_button;
  GtkToggleButton *new_button;
  GtkRevealer     *new_revealer;
  GtkEntry        *new_entry;
  GtkDropDown     *new_dropdown;
  GtkButton       *save_button;
  GtkLabel        *new_error_label;
  GtkLabel        *error_label;
};

G_DEFINE_FINAL_TYPE (SmConflictRow, sm_conflict_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  RESOLVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
format_who (const char *user,
            SmHlc       hlc)
{
  g_autofree char *when = sm_conflict_format_time (hlc);

  /* Translators: who wrote a value and when, e.g. “Zhang San · 2025-03-01 14:05” */
  return g_strdup_printf (_("%s · %s"), user != NULL ? user : _("Unknown worker"), when);
}

static void
set_value_label (SmConflictRow *self,
                 GtkLabel      *label,
                 const char    *value)
{
  g_autofree char *shown = sm_conflict_dup_display (self->conflict->field, value,
                                                    gtk_toggle_button_get_active (self->reveal_button));

  if (*shown == '\0')
    {
      /* Translators: a value that is empty */
      gtk_label_set_text (label, _("(empty)"));
      gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
    }
  else
    {
      gtk_label_set_text (label, shown);
      gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
    }
}

static void
update_values (SmConflictRow *self)
{
  set_value_label (self, self->winner_value_label, self->conflict->winner_value);
  set_value_label (self, self->other_value_label, self->conflict->other_value);
}

static void
reveal_toggled_cb (SmConflictRow   *self,
                   GtkToggleButton *button)
{
  gtk_widget_set_tooltip_text (GTK_WIDGET (button), gtk_toggle_button_get_active (button)
                               ? _("Hide Full Values") : _("Show Full Values"));
  update_values (self);
}

static void
keep_clicked_cb (SmConflictRow *self,
                 GtkButton     *button)
{
  g_signal_emit (self, signals[RESOLVE], 0, (guint) SM_CONFLICT_KEEP, NULL);
}

static void
take_clicked_cb (SmConflictRow *self,
                 GtkButton     *button)
{
  g_signal_emit (self, signals[RESOLVE], 0, (guint) SM_CONFLICT_TAKE_OTHER, NULL);
}

/* The new value as the field's type, checked; NULL with @error set when it does not pass,
 * NULL without one for "empty". */
static GVariant *
dup_new_value (SmConflictRow  *self,
               GError        **error)
{
  const SmField *field = self->conflict->field;
  g_autoptr(GVariant) parsed = NULL;
  GVariant *canonical = NULL;

  if (self->choices != NULL)
    {
      guint selected = gtk_drop_down_get_selected (self->new_dropdown);
      GVariant *choice;

      if (selected == GTK_INVALID_LIST_POSITION || selected >= self->choices->len)
        return NULL;
      choice = g_ptr_array_index (self->choices, selected);
      parsed = choice != NULL ? g_variant_ref (choice) : NULL;
    }
  else
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (self->new_entry));

      if (*text != '\0' && !(parsed = sm_conflict_parse_value (field, text, error)))
        return NULL;
    }

  if (!sm_field_validate_local (field, parsed, self->conflict->id_type, &canonical, error))
    return NULL;

  return canonical;
}

static void
validate_new (SmConflictRow *self)
{
  g_autoptr(GError) error = NULL;
  G_GNUC_UNUSED g_autoptr(GVariant) value = dup_new_value (self, &error);

  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), error == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->new_error_label), error != NULL);
  if (error != NULL)
    {
      gtk_label_set_text (self->new_error_label, error->message);
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->new_entry),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE, -1);
      gtk_widget_add_css_class (GTK_WIDGET (self->new_entry), "error");
    }
  else
    {
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self->new_entry), GTK_ACCESSIBLE_STATE_INVALID);
      gtk_widget_remove_css_class (GTK_WIDGET (self->new_entry), "error");
    }
}

static void
new_changed_cb (SmConflictRow *self,
                GtkEditable   *editable)
{
  validate_new (self);
}

static void
new_toggled_cb (SmConflictRow   *self,
                GtkToggleButton *button)
{
  gboolean active = gtk_toggle_button_get_active (button);

  gtk_revealer_set_reveal_child (self->new_revealer, active);
  if (active)
    {
      validate_new (self);
      gtk_widget_grab_focus (self->choices != NULL ? GTK_WIDGET (self->new_dropdown)
                                                   : GTK_WIDGET (self->new_entry));
    }
}

static void
save_clicked_cb (SmConflictRow *self,
                 GtkWidget     *widget)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) value = dup_new_value (self, &error);

  if (error != NULL)
    {
      validate_new (self);
      return;
    }

  g_signal_emit (self, signals[RESOLVE], 0, (guint) SM_CONFLICT_NEW_VALUE, value);
}

static void
dropdown_selected_cb (SmConflictRow *self,
                      GParamSpec    *pspec,
                      GtkDropDown   *dropdown)
{
  validate_new (self);
}

/* Enums and yes/no fields: a list of what may be chosen, with the values behind it. */
static void
setup_choices (SmConflictRow *self)
{
  const SmField *field = self->conflict->field;
  g_autoptr(GtkStringList) labels = NULL;

  if (field->type != SM_FIELD_ENUM && field->type != SM_FIELD_BOOL)
    return;

  labels = gtk_string_list_new (NULL);
  self->choices = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  if (field->type == SM_FIELD_BOOL)
    {
      gtk_string_list_append (labels, _("Yes"));
      g_ptr_array_add (self->choices, g_variant_ref_sink (g_variant_new_boolean (TRUE)));
      gtk_string_list_append (labels, _("No"));
      g_ptr_array_add (self->choices, g_variant_ref_sink (g_variant_new_boolean (FALSE)));
    }
  else
    for (guint i = 0; field->enum_values[i] != NULL; i++)
      {
        gtk_string_list_append (labels, _(field->enum_labels[i]));
        g_ptr_array_add (self->choices, g_variant_ref_sink (g_variant_new_string (field->enum_values[i])));
      }

  gtk_drop_down_set_model (self->new_dropdown, G_LIST_MODEL (labels));
  gtk_widget_set_visible (GTK_WIDGET (self->new_entry), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->new_dropdown), TRUE);
  g_signal_connect_object (self->new_dropdown, "notify::selected",
                           G_CALLBACK (dropdown_selected_cb), self, G_CONNECT_SWAPPED);
}

static void
sm_conflict_row_finalize (GObject *object)
{
  SmConflictRow *self = (SmConflictRow *) object;

  g_clear_pointer (&self->conflict, sm_conflict_free);
  g_clear_pointer (&self->choices, g_ptr_array_unref);

  G_OBJECT_CLASS (sm_conflict_row_parent_class)->finalize (object);
}

static void
sm_conflict_row_class_init (SmConflictRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = sm_conflict_row_finalize;

  /**
   * SmConflictRow::resolve:
   * @resolution: an SmConflictResolution
   * @value: (nullable): the new value, for SM_CONFLICT_NEW_VALUE
   *
   * The office chose how to resolve the conflict.
   */
  signals[RESOLVE] = g_signal_new ("resolve", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_VARIANT);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/sanmen/Sanmen/sm-conflict-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SmConflictRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, SmConflictRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, SmConflictRow, reveal_button);
  gtk_widget_class_bind_template_child (widget_class, SmConflictRow, winner_badge);
  gtk_widget_class_bind_template_child (widget_class, SmConflictRow, winner_value_label);
  gtk_widget_class_bind_template_child (widget_class, SmConflictRow, winner_who_label);
  gtk_widget_class_bind_template_child (widget_class, SmConflictRow, other_badge);
  gtk_widget_class_bind_template_child (widget_class, SmConflictRow, other_value_label);
  gtk_widget_class_bind_template_child (widget_class, SmConflictRow, other_who_label);
  gtk_widget_class_bind_template_child (widget_class, SmConflictRow, neither_label);
  gtk_widget_class_bind_template_child (widget_class, SmConflictRow, keep_button);
  gtk_widget_class_bind_template_child (widget_class, SmConflictRow, take_button);
  gtk_widget_class_bind_template_child (widget_class, SmConflictRow, new_button);
  gtk_widget_class_bind_template_child (widget_class, SmConflictRow, new_revealer);
  gtk_widget_class_bind_template_child (widget_class, SmConflictRow, new_entry);
  gtk_widget_class_bind_template_child (widget_class, SmConflictRow, new_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SmConflictRow, save_button);
  gtk_widget_class_bind_template_child (widget_class, SmConflictRow, new_error_label);
  gtk_widget_class_bind_template_child (widget_class, SmConflictRow, error_label);
  gtk_widget_class_bind_template_callback (widget_class, reveal_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, keep_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, take_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, new_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, new_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
}

static void
sm_conflict_row_init (SmConflictRow *self)
{
  GtkWidget *flow_box;

  gtk_widget_init_template (GTK_WIDGET (self));
  flow_box = gtk_widget_get_ancestor (GTK_WIDGET (self->keep_button), GTK_TYPE_FLOW_BOX);

  /* Tab goes straight to the buttons rather than first to the flow box's cells. */
  for (GtkWidget *child = gtk_widget_get_first_child (flow_box); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_focusable (child, FALSE);
}

GtkWidget *
sm_conflict_row_new (SmConflict *conflict)
{
  SmConflictRow *self;
  const SmField *field;
  g_autofree char *subtitle = NULL;
  g_autofree char *winner_who = NULL;
  g_autofree char *other_who = NULL;
  g_autofree char *accessible = NULL;

  g_return_val_if_fail (conflict != NULL, NULL);

  self = g_object_new (SM_TYPE_CONFLICT_ROW, NULL);
  self->conflict = conflict;
  field = conflict->field;

  gtk_label_set_text (self->title_label, conflict->record_label);
  /* Translators: the kind of record and the field in conflict, e.g. “Household · Notes” */
  subtitle = g_strdup_printf (_("%s · %s"), sm_table_get_label (field->table),
                              sm_field_get_label (field));
  gtk_label_set_text (self->subtitle_label, subtitle);

  gtk_widget_set_visible (GTK_WIDGET (self->reveal_button),
                          (field->flags & SM_FIELD_FLAG_SENSITIVE) != 0);
  update_values (self);

  winner_who = format_who (conflict->winner_user, conflict->winner_hlc);
  other_who = format_who (conflict->other_user, conflict->other_hlc);
  gtk_label_set_text (self->winner_who_label, winner_who);
  gtk_label_set_text (self->other_who_label, other_who);

  gtk_widget_set_visible (GTK_WIDGET (self->winner_badge), conflict->current == SM_CONFLICT_CURRENT_WINNER);
  gtk_widget_set_visible (GTK_WIDGET (self->other_badge), conflict->current == SM_CONFLICT_CURRENT_OTHER);
  gtk_widget_set_visible (GTK_WIDGET (self->neither_label), conflict->current == SM_CONFLICT_CURRENT_NEITHER);

  gtk_entry_set_placeholder_text (self->new_entry, sm_field_get_label (field));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->new_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, sm_field_get_label (field), -1);
  setup_choices (self);

  /* Translators: what a screen reader says for a conflict row: record, then field */
  accessible = g_strdup_printf (_("Conflict: %s, %s"), conflict->record_label, sm_field_get_label (field));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);

  return GTK_WIDGET (self);
}

const SmConflict *
sm_conflict_row_get_conflict (SmConflictRow *self)
{
  g_return_val_if_fail (SM_IS_CONFLICT_ROW (self), NULL);

  return self->conflict;
}

void
sm_conflict_row_set_error (SmConflictRow *self,
                           const char    *message)
{
  g_return_if_fail (SM_IS_CONFLICT_ROW (self));

  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}
