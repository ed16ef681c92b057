/* sm-today-row.c — one item of the Today page: what, where, and how late
 *
 * The title says what or where (a household's address, a demand's title), the subtitle
 * the details (difficulty tags, the day someone moved in, the visit that asked for a
 * follow-up, a demand's household and category), and a badge how long it has waited, in
 * the user's calendar days or, for a demand, in minutes against the response target. A late
 * demand's badge says "Late" in words, not only in red, for colour-blind users and screen
 * readers alike.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-today-row.h"

#include <glib/gi18n.h>

#include "sm-date.h"
#include "sm-demand-actions.h"
#include "sm-visit-row.h"

struct _SmTodayRow
{
  GtkListBoxRow  parent_instance;

  SmTodayItem   *item;
  gboolean       late;

  GtkLabel      *title_label;
  GtkLabel      *status_badge;
  GtkLabel      *subtitle_label;
};

G_DEFINE_FINAL_TYPE (SmTodayRow, sm_today_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The badge's colour classes; one at a time. */
static const char * const badge_classes[] = { "difficulty", "tenure-new", "tenure-existing", "late" };

static void
append_part (GString    *line,
             const char *part)
{
  if (part == NULL || *part == '\0')
    return;

  if (line->len > 0)
    /* Translators: separates the details of an item of the Today page on one line */
    g_string_append (line, _(" · "));
  g_string_append (line, part);
}

static char *
dup_title (SmTodayItem *item)
{
  SmRecord *household = sm_today_item_get_household (item);

  if (sm_today_item_get_kind (item) == SM_TODAY_KIND_DEMAND)
    return g_strdup (sm_record_get_string (sm_today_item_get_record (item), "title"));

  if (household != NULL)
    return g_strdup (sm_record_get_string (household, "address"));

  /* Translators: instead of an address, when the household of a visit is not in this replica */
  return g_strdup (_("Unknown household"));
}

static char *
dup_subtitle (SmTodayItem *item)
{
  SmRecord *record = sm_today_item_get_record (item);
  SmRecord *household = sm_today_item_get_household (item);
  g_autoptr(GString) line = g_string_new (NULL);

  switch (sm_today_item_get_kind (item))
    {
    case SM_TODAY_KIND_CARE:
      {
        const SmTable *table = sm_record_get_table (record);

        for (guint i = 0; i < table->n_fields; i++)
          if ((table->fields[i].flags & SM_FIELD_FLAG_TAG) && sm_record_get_bool (record, table->fields[i].name))
            append_part (line, sm_field_get_label (&table->fields[i]));
      }
      break;

    case SM_TODAY_KIND_KNOCK:
      {
        g_autofree char *moved_in = sm_date_format (sm_record_get_string (record, "moved_in"));
        g_autofree char *text = NULL;

        /* Translators: %s is the date a new resident moved in */
        text = g_strdup_printf (_("Moved in on %s"), moved_in);
        append_part (line, text);
      }
      break;

    case SM_TODAY_KIND_FOLLOW_UP:
      {
        g_autofree char *kind = sm_record_dup_display (record, "kind");
        g_autofree char *outcome = sm_record_dup_display (record, "outcome");
        g_autofree char *when = sm_visit_row_format_time (sm_record_get_string (record, "visited_at"));

        append_part (line, kind);
        append_part (line, outcome);
        append_part (line, when);
      }
      break;

    case SM_TODAY_KIND_DEMAND:
    default:
      {
        g_autofree char *when = sm_visit_row_format_time (sm_record_get_string (record, "reported_at"));
        g_autofree char *reported = NULL;

        if (household != NULL)
          append_part (line, sm_record_get_string (household, "address"));
        append_part (line, sm_record_get_string (record, "category"));
        /* Translators: %s is when a demand was reported, a date and time */
        reported = g_strdup_printf (_("Reported %s"), when);
        append_part (line, reported);
      }
      break;
    }

  return g_string_free (g_steal_pointer (&line), FALSE);
}

static char *
dup_status (SmTodayItem  *item,
            GDateTime    *now,
            guint         target_minutes,
            const char  **out_class,
            gboolean     *out_late)
{
  SmRecord *record = sm_today_item_get_record (item);
  int days;

  *out_late = FALSE;

  switch (sm_today_item_get_kind (item))
    {
    case SM_TODAY_KIND_CARE:
      *out_class = "difficulty";
      days = sm_today_days_between (sm_today_item_get_last_visit_at (item), now);
      if (days == G_MININT)
        /* Translators: a household in difficulty nobody has met on a visit */
        return g_strdup (_("Never visited"));
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day since the last visit",
                                           "%d days since the last visit", MAX (days, 0)),
                              days);

    case SM_TODAY_KIND_KNOCK:
      *out_class = "tenure-new";
      days = sm_today_days_between (sm_record_get_string (record, "moved_in"), now);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Moved in %d day ago",
                                           "Moved in %d days ago", MAX (days, 0)),
                              days);

    case SM_TODAY_KIND_FOLLOW_UP:
      *out_class = "tenure-existing";
      days = sm_today_days_between (sm_record_get_string (record, "follow_up_on"), now);
      if (days <= 0)
        /* Translators: a follow-up visit planned for today */
        return g_strdup (_("Due today"));
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day overdue",
                                           "%d days overdue", days),
                              days);

    case SM_TODAY_KIND_DEMAND:
    default:
      {
        g_autofree char *waited = sm_demand_format_span (sm_today_item_get_waiting_seconds (item, now) * G_TIME_SPAN_SECOND);

        *out_late = sm_today_item_is_late (item, now, target_minutes);
        *out_class = *out_late ? "late" : "tenure-existing";
        if (*out_late)
          /* Translators: a demand past the response target; %s is how long, e.g. "7 min" */
          return g_strdup_printf (_("Late: waiting %s"), waited);
        /* Translators: %s is how long a demand has waited for a response, e.g. "3 min" */
        return g_strdup_printf (_("Waiting %s"), waited);
      }
    }
}

static void
sm_today_row_dispose (GObject *object)
{
  SmTodayRow *self = SM_TODAY_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_TODAY_ROW);
  g_clear_object (&self->item);

  G_OBJECT_CLASS (sm_today_row_parent_class)->dispose (object);
}

static void
sm_today_row_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SmTodayRow *self = SM_TODAY_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_today_row_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  SmTodayRow *self = SM_TODAY_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      self->item = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_today_row_constructed (GObject *object)
{
  SmTodayRow *self = SM_TODAY_ROW (object);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  G_OBJECT_CLASS (sm_today_row_parent_class)->constructed (object);

  g_assert (SM_IS_TODAY_ITEM (self->item));

  title = dup_title (self->item);
  subtitle = dup_subtitle (self->item);
  gtk_label_set_label (self->title_label, title);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_label), title);
  gtk_label_set_label (self->subtitle_label, subtitle);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->subtitle_label), subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), *subtitle != '\0');
}

static void
sm_today_row_class_init (SmTodayRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sm_today_row_constructed;
  object_class->dispose = sm_today_row_dispose;
  object_class->get_property = sm_today_row_get_property;
  object_class->set_property = sm_today_row_set_property;

  /**
   * SmTodayRow:item:
   *
   * The item shown.
   */
  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, SM_TYPE_TODAY_ITEM,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/sanmen/Sanmen/sm-today-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SmTodayRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, SmTodayRow, status_badge);
  gtk_widget_class_bind_template_child (widget_class, SmTodayRow, subtitle_label);
}

static void
sm_today_row_init (SmTodayRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sm_today_row_new (SmTodayItem *item)
{
  g_return_val_if_fail (SM_IS_TODAY_ITEM (item), NULL);

  return g_object_new (SM_TYPE_TODAY_ROW, "item", item, NULL);
}

SmTodayItem *
sm_today_row_get_item (SmTodayRow *self)
{
  g_return_val_if_fail (SM_IS_TODAY_ROW (self), NULL);

  return self->item;
}

void
sm_today_row_update (SmTodayRow *self,
                     GDateTime  *now,
                     guint       target_minutes)
{
  g_autofree char *status = NULL;
  const char *css_class = NULL;
  gboolean late;

  g_return_if_fail (SM_IS_TODAY_ROW (self));
  g_return_if_fail (now != NULL);

  status = dup_status (self->item, now, target_minutes, &css_class, &late);
  if (g_strcmp0 (gtk_label_get_label (self->status_badge), status) != 0)
    gtk_label_set_label (self->status_badge, status);

  for (guint i = 0; i < G_N_ELEMENTS (badge_classes); i++)
    if (g_str_equal (badge_classes[i], css_class))
      gtk_widget_add_css_class (GTK_WIDGET (self->status_badge), badge_classes[i]);
    else
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_badge), badge_classes[i]);

  self->late = late;
}

const char *
sm_today_row_get_title (SmTodayRow *self)
{
  g_return_val_if_fail (SM_IS_TODAY_ROW (self), NULL);

  return gtk_label_get_label (self->title_label);
}

const char *
sm_today_row_get_subtitle (SmTodayRow *self)
{
  g_return_val_if_fail (SM_IS_TODAY_ROW (self), NULL);

  return gtk_label_get_label (self->subtitle_label);
}

const char *
sm_today_row_get_status_text (SmTodayRow *self)
{
  g_return_val_if_fail (SM_IS_TODAY_ROW (self), NULL);

  return gtk_label_get_label (self->status_badge);
}

gboolean
sm_today_row_get_late (SmTodayRow *self)
{
  g_return_val_if_fail (SM_IS_TODAY_ROW (self), FALSE);

  return self->late;
}
