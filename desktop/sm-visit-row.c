/* sm-visit-row.c — one visit in a household's timeline
 *
 * The kind as a badge (敲门 / 串门 / 上门, the schema's labels), the outcome, when it was
 * in the user's time zone and date format, the notes, and a line of who went, whom they
 * met and when to come back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-visit-row.h"

#include <glib/gi18n.h>

#include "sm-date.h"

struct _SmVisitRow
{
  GtkListBoxRow  parent_instance;

  SmRecord      *visit;

  GtkLabel      *kind_label;
  GtkLabel      *outcome_label;
  GtkLabel      *time_label;
  GtkLabel      *notes_label;
  GtkLabel      *details_label;
};

G_DEFINE_FINAL_TYPE (SmVisitRow, sm_visit_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_VISIT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* "Label: value" with the schema's label of @field, appended to @line when set. */
static void
append_detail (GString    *line,
               SmRecord   *visit,
               const char *field,
               const char *value)
{
  const SmField *f = sm_table_lookup_field (sm_record_get_table (visit), field);

  if (value == NULL || *value == '\0')
    return;

  if (line->len > 0)
    /* Translators: separates the details of a visit on one line */
    g_string_append (line, _(" · "));
  /* Translators: a field's label and its value, e.g. “Companions: Li Na” */
  g_string_append_printf (line, _("%s: %s"), sm_field_get_label (f), value);
}

static void
update (SmVisitRow *self)
{
  g_autofree char *kind = NULL;
  g_autofree char *outcome = NULL;
  g_autofree char *time = NULL;
  g_autofree char *follow_up = NULL;
  g_autoptr(GString) details = g_string_new (NULL);
  const char *notes;

  g_assert (SM_IS_VISIT_ROW (self));
  g_assert (SM_IS_RECORD (self->visit));

  kind = sm_record_dup_display (self->visit, "kind");
  outcome = sm_record_dup_display (self->visit, "outcome");
  time = sm_visit_row_format_time (sm_record_get_string (self->visit, "visited_at"));
  notes = sm_record_get_string (self->visit, "notes");
  follow_up = sm_date_format (sm_record_get_string (self->visit, "follow_up_on"));

  gtk_label_set_label (self->kind_label, kind);
  for (guint i = 0; i < 3; i++)
    {
      static const char * const kinds[] = { "knock", "drop_in", "care" };
      g_autofree char *css = g_strconcat ("visit-", kinds[i], NULL);

      if (g_strcmp0 (sm_record_get_string (self->visit, "kind"), kinds[i]) == 0)
        gtk_widget_add_css_class (GTK_WIDGET (self->kind_label), css);
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->kind_label), css);
    }
  gtk_label_set_label (self->outcome_label, outcome);
  gtk_label_set_label (self->time_label, time);
  gtk_label_set_label (self->notes_label, notes);
  gtk_widget_set_visible (GTK_WIDGET (self->notes_label), notes != NULL && *notes != '\0');

  append_detail (details, self->visit, "worker_id", sm_record_get_string (self->visit, "worker_id"));
  append_detail (details, self->visit, "companions", sm_record_get_string (self->visit, "companions"));
  append_detail (details, self->visit, "met_names", sm_record_get_string (self->visit, "met_names"));
  append_detail (details, self->visit, "follow_up_on", follow_up);
  gtk_label_set_label (self->details_label, details->str);
  gtk_widget_set_visible (GTK_WIDGET (self->details_label), details->len > 0);
}

static void
sm_visit_row_dispose (GObject *object)
{
  SmVisitRow *self = SM_VISIT_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_VISIT_ROW);
  g_clear_object (&self->visit);

  G_OBJECT_CLASS (sm_visit_row_parent_class)->dispose (object);
}

static void
sm_visit_row_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SmVisitRow *self = SM_VISIT_ROW (object);

  switch (prop_id)
    {
    case PROP_VISIT:
      g_value_set_object (value, self->visit);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_visit_row_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  SmVisitRow *self = SM_VISIT_ROW (object);

  switch (prop_id)
    {
    case PROP_VISIT:
      self->visit = g_value_dup_object (value);
      update (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_visit_row_class_init (SmVisitRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sm_visit_row_dispose;
  object_class->get_property = sm_visit_row_get_property;
  object_class->set_property = sm_visit_row_set_property;

  /**
   * SmVisitRow:visit:
   *
   * The visit record shown.
   */
  properties[PROP_VISIT] =
    g_param_spec_object ("visit", NULL, NULL, SM_TYPE_RECORD,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/sanmen/Sanmen/sm-visit-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SmVisitRow, kind_label);
  gtk_widget_class_bind_template_child (widget_class, SmVisitRow, outcome_label);
  gtk_widget_class_bind_template_child (widget_class, SmVisitRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, SmVisitRow, notes_label);
  gtk_widget_class_bind_template_child (widget_class, SmVisitRow, details_label);
}

static void
sm_visit_row_init (SmVisitRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sm_visit_row_new (SmRecord *visit)
{
  g_return_val_if_fail (SM_IS_RECORD (visit), NULL);

  return g_object_new (SM_TYPE_VISIT_ROW, "visit", visit, NULL);
}

SmRecord *
sm_visit_row_get_visit (SmVisitRow *self)
{
  g_return_val_if_fail (SM_IS_VISIT_ROW (self), NULL);

  return self->visit;
}

char *
sm_visit_row_format_time (const char *visited_at)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (visited_at == NULL || !(utc = g_date_time_new_from_iso8601 (visited_at, NULL)))
    return g_strdup (visited_at);

  local = g_date_time_to_local (utc);
  /* Translators: when a visit was, in the user's time zone; see g_date_time_format().
   * %x is the date in the locale's format; keep it, reorder or add what fits. */
  return g_date_time_format (local, _("%x %H:%M"));
}
