/* sm-resident-row.c — one resident on a household's page, ID number and phone masked
 * until revealed
 *
 * The title is the name; the subtitle the relation to the head of household, the ID
 * number and the phone — masked ("110105********1234", "138****5678") unless the eye
 * button reveals them for this resident — and, for someone who moved out, when. The page
 * keeps which residents are revealed and masks them all again when it is left. Activating
 * the row (a click, Enter or Space) is for the page: it opens the resident to edit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-resident-row.h"

#include <glib/gi18n.h>

#include "sm-date.h"

struct _SmResidentRow
{
  AdwActionRow     parent_instance;

  SmRecord        *resident;
  gboolean         revealed;

  GtkToggleButton *reveal_button;
};

G_DEFINE_FINAL_TYPE (SmResidentRow, sm_resident_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_RESIDENT,
  PROP_REVEALED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update (SmResidentRow *self)
{
  static const char * const fields[] = { "relation", "id_number", "phone" };
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *subtitle = NULL;
  const char *moved_out;
  gboolean sensitive = FALSE;

  g_assert (SM_IS_RESIDENT_ROW (self));

  if (self->resident == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const SmField *field = sm_table_lookup_field (sm_record_get_table (self->resident), fields[i]);
      const char *raw = sm_record_get_string (self->resident, fields[i]);
      char *value;

      sensitive |= raw != NULL && (field->flags & SM_FIELD_FLAG_SENSITIVE);
      /* In full only when revealed: a list never shows a whole ID number or phone. */
      if (self->revealed && raw != NULL && (field->flags & SM_FIELD_FLAG_SENSITIVE))
        value = g_strdup (raw);
      else
        value = sm_record_dup_display (self->resident, fields[i]);

      if (value != NULL && *value != '\0')
        g_ptr_array_add (parts, value);
      else
        g_free (value);
    }

  if ((moved_out = sm_record_get_string (self->resident, "moved_out")))
    {
      g_autofree char *date = sm_date_format (moved_out);

      /* Translators: on a resident who no longer lives in the household; %s is a date */
      g_ptr_array_add (parts, g_strdup_printf (_("moved out %s"), date ? date : moved_out));
    }
  g_ptr_array_add (parts, NULL);
  /* Translators: separates a resident's relation, ID number and phone */
  subtitle = g_strjoinv (_(" · "), (char **) parts->pdata);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), sm_record_get_string (self->resident, "name"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);

  gtk_widget_set_visible (GTK_WIDGET (self->reveal_button), sensitive);
  gtk_toggle_button_set_active (self->reveal_button, self->revealed);
  gtk_button_set_icon_name (GTK_BUTTON (self->reveal_button),
                            self->revealed ? "view-conceal-symbolic" : "view-reveal-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->reveal_button),
                               self->revealed ? _("Hide ID Number and Phone") : _("Show ID Number and Phone"));
}

static void
reveal_toggled_cb (SmResidentRow   *self,
                   GtkToggleButton *button)
{
  sm_resident_row_set_revealed (self, gtk_toggle_button_get_active (button));
}

static void
sm_resident_row_dispose (GObject *object)
{
  SmResidentRow *self = SM_RESIDENT_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_RESIDENT_ROW);
  g_clear_object (&self->resident);

  G_OBJECT_CLASS (sm_resident_row_parent_class)->dispose (object);
}

static void
sm_resident_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SmResidentRow *self = SM_RESIDENT_ROW (object);

  switch (prop_id)
    {
    case PROP_RESIDENT:
      g_value_set_object (value, self->resident);
      break;
    case PROP_REVEALED:
      g_value_set_boolean (value, self->revealed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_resident_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SmResidentRow *self = SM_RESIDENT_ROW (object);

  switch (prop_id)
    {
    case PROP_RESIDENT:
      self->resident = g_value_dup_object (value);
      update (self);
      break;
    case PROP_REVEALED:
      sm_resident_row_set_revealed (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_resident_row_class_init (SmResidentRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sm_resident_row_dispose;
  object_class->get_property = sm_resident_row_get_property;
  object_class->set_property = sm_resident_row_set_property;

  /**
   * SmResidentRow:resident:
   *
   * The resident shown.
   */
  properties[PROP_RESIDENT] =
    g_param_spec_object ("resident", NULL, NULL, SM_TYPE_RECORD,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SmResidentRow:revealed:
   *
   * Whether the ID number and the phone show in full.
   */
  properties[PROP_REVEALED] =
    g_param_spec_boolean ("revealed", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/sanmen/Sanmen/sm-resident-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SmResidentRow, reveal_button);
  gtk_widget_class_bind_template_callback (widget_class, reveal_toggled_cb);
}

static void
sm_resident_row_init (SmResidentRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sm_resident_row_new (SmRecord *resident)
{
  g_return_val_if_fail (SM_IS_RECORD (resident), NULL);

  return g_object_new (SM_TYPE_RESIDENT_ROW, "resident", resident, NULL);
}

SmRecord *
sm_resident_row_get_resident (SmResidentRow *self)
{
  g_return_val_if_fail (SM_IS_RESIDENT_ROW (self), NULL);

  return self->resident;
}

gboolean
sm_resident_row_get_revealed (SmResidentRow *self)
{
  g_return_val_if_fail (SM_IS_RESIDENT_ROW (self), FALSE);

  return self->revealed;
}

void
sm_resident_row_set_revealed (SmResidentRow *self,
                              gboolean       revealed)
{
  g_return_if_fail (SM_IS_RESIDENT_ROW (self));

  revealed = !!revealed;
  if (self->revealed == revealed)
    return;

  self->revealed = revealed;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVEALED]);
}
