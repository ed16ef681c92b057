/* sm-household-row.c — one row of a household list: a title, a subtitle and badges
 *
 * The tenure badge shows the schema's label for the household's tenure (新住户 / 老住户);
 * the difficulty badge shows when any difficulty tag is set, its tooltip naming them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-household-row.h"

#include <glib/gi18n.h>

struct _SmHouseholdRow
{
  GtkWidget  parent_instance;

  SmRecord  *household;

  GtkLabel  *title_label;
  GtkLabel  *subtitle_label;
  GtkLabel  *tenure_badge;
  GtkLabel  *difficulty_badge;
};

G_DEFINE_FINAL_TYPE (SmHouseholdRow, sm_household_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_SUBTITLE,
  PROP_HOUSEHOLD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_badges (SmHouseholdRow *self)
{
  g_autoptr(GString) tags = NULL;
  g_autofree char *tenure_label = NULL;
  const char *tenure;
  const SmTable *table;

  g_assert (SM_IS_HOUSEHOLD_ROW (self));

  if (self->household == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->tenure_badge), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->difficulty_badge), FALSE);
      return;
    }

  tenure = sm_record_get_string (self->household, "tenure");
  tenure_label = sm_record_dup_display (self->household, "tenure");
  gtk_label_set_label (self->tenure_badge, tenure_label);
  gtk_widget_set_visible (GTK_WIDGET (self->tenure_badge), tenure_label != NULL);
  if (g_strcmp0 (tenure, "new") == 0)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->tenure_badge), "tenure-new");
      gtk_widget_remove_css_class (GTK_WIDGET (self->tenure_badge), "tenure-existing");
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->tenure_badge), "tenure-existing");
      gtk_widget_remove_css_class (GTK_WIDGET (self->tenure_badge), "tenure-new");
    }

  table = sm_record_get_table (self->household);
  for (guint i = 0; i < table->n_fields; i++)
    {
      const SmField *field = &table->fields[i];

      if (!(field->flags & SM_FIELD_FLAG_TAG) || !sm_record_get_bool (self->household, field->name))
        continue;

      if (tags == NULL)
        tags = g_string_new (NULL);
      else
        /* Translators: separates the difficulty tags in a tooltip */
        g_string_append (tags, _(", "));
      g_string_append (tags, sm_field_get_label (field));
    }

  gtk_widget_set_visible (GTK_WIDGET (self->difficulty_badge), tags != NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->difficulty_badge), tags ? tags->str : NULL);
}

static void
sm_household_row_dispose (GObject *object)
{
  GtkWidget *child;
  SmHouseholdRow *self = SM_HOUSEHOLD_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_HOUSEHOLD_ROW);
  /* Children without an id are not template children: unparent what is left. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->household);

  G_OBJECT_CLASS (sm_household_row_parent_class)->dispose (object);
}

static void
sm_household_row_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SmHouseholdRow *self = SM_HOUSEHOLD_ROW (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, sm_household_row_get_title (self));
      break;
    case PROP_SUBTITLE:
      g_value_set_string (value, sm_household_row_get_subtitle (self));
      break;
    case PROP_HOUSEHOLD:
      g_value_set_object (value, self->household);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_household_row_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SmHouseholdRow *self = SM_HOUSEHOLD_ROW (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      sm_household_row_set_title (self, g_value_get_string (value));
      break;
    case PROP_SUBTITLE:
      sm_household_row_set_subtitle (self, g_value_get_string (value));
      break;
    case PROP_HOUSEHOLD:
      sm_household_row_set_household (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_household_row_class_init (SmHouseholdRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sm_household_row_dispose;
  object_class->get_property = sm_household_row_get_property;
  object_class->set_property = sm_household_row_set_property;

  /**
   * SmHouseholdRow:title:
   *
   * The first line: an address, or a resident's name.
   */
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * SmHouseholdRow:subtitle:
   *
   * The second line, hidden when empty.
   */
  properties[PROP_SUBTITLE] =
    g_param_spec_string ("subtitle", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * SmHouseholdRow:household:
   *
   * The household record the badges describe.
   */
  properties[PROP_HOUSEHOLD] =
    g_param_spec_object ("household", NULL, NULL, SM_TYPE_RECORD,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/sanmen/Sanmen/sm-household-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdRow, tenure_badge);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdRow, difficulty_badge);
}

static void
sm_household_row_init (SmHouseholdRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sm_household_row_new (void)
{
  return g_object_new (SM_TYPE_HOUSEHOLD_ROW, NULL);
}

const char *
sm_household_row_get_title (SmHouseholdRow *self)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_ROW (self), NULL);

  return gtk_label_get_label (self->title_label);
}

void
sm_household_row_set_title (SmHouseholdRow *self,
                            const char     *title)
{
  g_return_if_fail (SM_IS_HOUSEHOLD_ROW (self));

  if (g_strcmp0 (gtk_label_get_label (self->title_label), title ? title : "") == 0)
    return;

  gtk_label_set_label (self->title_label, title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
sm_household_row_get_subtitle (SmHouseholdRow *self)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_ROW (self), NULL);

  return gtk_label_get_label (self->subtitle_label);
}

void
sm_household_row_set_subtitle (SmHouseholdRow *self,
                               const char     *subtitle)
{
  g_return_if_fail (SM_IS_HOUSEHOLD_ROW (self));

  if (g_strcmp0 (gtk_label_get_label (self->subtitle_label), subtitle ? subtitle : "") == 0)
    return;

  gtk_label_set_label (self->subtitle_label, subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), subtitle != NULL && *subtitle != '\0');
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBTITLE]);
}

SmRecord *
sm_household_row_get_household (SmHouseholdRow *self)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_ROW (self), NULL);

  return self->household;
}

void
sm_household_row_set_household (SmHouseholdRow *self,
                                SmRecord       *household)
{
  g_return_if_fail (SM_IS_HOUSEHOLD_ROW (self));
  g_return_if_fail (household == NULL || SM_IS_RECORD (household));

  if (!g_set_object (&self->household, household))
    return;

  update_badges (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOUSEHOLD]);
}
