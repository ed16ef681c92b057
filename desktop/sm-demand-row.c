/* sm-demand-row.c — one demand in a list
 *
 * Everything shown is read from the demand record the store gave (the derived status and
 * responded_at included) and from its household for the address: the title, the address,
 * then one line of status, category, how long ago it was reported, the response time
 * against the 5-minute target and, once settled, the level it was settled at. The warning
 * light is a badge with an icon and a word besides its colour.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-demand-row.h"

#include <glib/gi18n.h>

#include "sm-settings.h"

struct _SmDemandRow
{
  GtkWidget      parent_instance;

  SmStore       *store;
  SmRecord      *demand;
  SmDemandLight  light;
  gboolean       hide_address;

  GtkLabel      *title_label;
  GtkBox        *light_box;
  GtkImage      *light_icon;
  GtkLabel      *light_label;
  GtkLabel      *address_label;
  GtkLabel      *details_label;
};

G_DEFINE_FINAL_TYPE (SmDemandRow, sm_demand_row, GTK_TYPE_WIDGET)

static void
append (GString    *line,
        const char *text)
{
  if (text == NULL || *text == '\0')
    return;
  if (line->len > 0)
    /* Translators: separates the details of a demand on one line */
    g_string_append (line, _(" · "));
  g_string_append (line, text);
}

static void
update (SmDemandRow *self)
{
  g_autoptr(GString) details = g_string_new (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) reported = NULL;
  g_autoptr(SmRecord) household = NULL;
  g_autofree char *status = NULL;
  const char *household_id;
  GTimeSpan span;

  g_assert (SM_IS_DEMAND_ROW (self));

  if (self->demand == NULL)
    {
      gtk_label_set_label (self->title_label, NULL);
      gtk_label_set_label (self->address_label, NULL);
      gtk_label_set_label (self->details_label, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->light_box), FALSE);
      return;
    }

  gtk_label_set_label (self->title_label, sm_record_get_string (self->demand, "title"));

  if (!self->hide_address && (household_id = sm_record_get_string (self->demand, "household_id")))
    household = sm_store_get (self->store, "household", household_id, NULL);
  gtk_label_set_label (self->address_label,
                       household ? sm_record_get_string (household, "address") : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->address_label), household != NULL);

  status = sm_record_dup_display (self->demand, "status");
  append (details, status);
  append (details, sm_record_get_string (self->demand, "category"));

  reported = g_date_time_new_from_iso8601 (sm_record_get_string (self->demand, "reported_at"), NULL);
  if (reported != NULL)
    {
      g_autofree char *age = sm_demand_format_span (g_date_time_difference (now, reported));
      /* Translators: how long ago a demand was reported, e.g. “reported 3 h ago” */
      g_autofree char *text = g_strdup_printf (_("reported %s ago"), age);

      append (details, text);
    }

  if (sm_demand_get_response_span (self->demand, &span))
    {
      g_autofree char *took = sm_demand_format_span (span);
      g_autofree char *text = NULL;

      if (span > sm_settings_get_response_target () * G_TIME_SPAN_MINUTE)
        /* Translators: a response time past the 5-minute target */
        text = g_strdup_printf (_("responded in %s (over target)"), took);
      else
        /* Translators: the time from report to the first response */
        text = g_strdup_printf (_("responded in %s"), took);
      append (details, text);
    }
  else if (!sm_demand_is_settled (self->demand))
    /* Translators: a demand nobody has accepted or handled yet */
    append (details, _("awaiting response"));

  if (sm_demand_is_settled (self->demand))
    {
      g_autofree char *level = sm_record_dup_display (self->demand, "level");

      if (level != NULL)
        {
          /* Translators: the level a demand was settled at, e.g. “settled: within the building” */
          g_autofree char *text = g_strdup_printf (_("settled: %s"), level);

          append (details, text);
        }
    }
  else if (g_strcmp0 (sm_record_get_string (self->demand, "level"), "escalated") == 0)
    {
      g_autofree char *level = sm_record_dup_display (self->demand, "level");

      append (details, level);
    }

  gtk_label_set_label (self->details_label, details->str);

  self->light = sm_demand_get_light (self->demand, now);
  sm_demand_light_show (self->light, GTK_WIDGET (self->light_box), self->light_icon,
                        self->light_label);
}

static void
sm_demand_row_dispose (GObject *object)
{
  GtkWidget *child;
  SmDemandRow *self = SM_DEMAND_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_DEMAND_ROW);
  /* Children without an id are not template children: unparent what is left. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->demand);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sm_demand_row_parent_class)->dispose (object);
}

static void
sm_demand_row_class_init (SmDemandRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sm_demand_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/sanmen/Sanmen/sm-demand-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SmDemandRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, SmDemandRow, light_box);
  gtk_widget_class_bind_template_child (widget_class, SmDemandRow, light_icon);
  gtk_widget_class_bind_template_child (widget_class, SmDemandRow, light_label);
  gtk_widget_class_bind_template_child (widget_class, SmDemandRow, address_label);
  gtk_widget_class_bind_template_child (widget_class, SmDemandRow, details_label);
}

static void
sm_demand_row_init (SmDemandRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sm_demand_row_new (SmStore *store)
{
  SmDemandRow *self;

  g_return_val_if_fail (SM_IS_STORE (store), NULL);

  self = g_object_new (SM_TYPE_DEMAND_ROW, NULL);
  self->store = g_object_ref (store);
  return GTK_WIDGET (self);
}

SmRecord *
sm_demand_row_get_demand (SmDemandRow *self)
{
  g_return_val_if_fail (SM_IS_DEMAND_ROW (self), NULL);

  return self->demand;
}

void
sm_demand_row_set_demand (SmDemandRow *self,
                          SmRecord    *demand)
{
  g_return_if_fail (SM_IS_DEMAND_ROW (self));
  g_return_if_fail (demand == NULL || SM_IS_RECORD (demand));

  g_set_object (&self->demand, demand);
  update (self);
}

void
sm_demand_row_set_show_address (SmDemandRow *self,
                                gboolean     show_address)
{
  g_return_if_fail (SM_IS_DEMAND_ROW (self));

  if (self->hide_address == !show_address)
    return;

  self->hide_address = !show_address;
  update (self);
}

const char *
sm_demand_row_get_title (SmDemandRow *self)
{
  g_return_val_if_fail (SM_IS_DEMAND_ROW (self), NULL);

  return gtk_label_get_label (self->title_label);
}

const char *
sm_demand_row_get_details (SmDemandRow *self)
{
  g_return_val_if_fail (SM_IS_DEMAND_ROW (self), NULL);

  return gtk_label_get_label (self->details_label);
}

SmDemandLight
sm_demand_row_get_light (SmDemandRow *self)
{
  g_return_val_if_fail (SM_IS_DEMAND_ROW (self), SM_DEMAND_LIGHT_NONE);

  return self->light;
}

const char *
sm_demand_row_get_light_text (SmDemandRow *self)
{
  g_return_val_if_fail (SM_IS_DEMAND_ROW (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->light_box))
         ? gtk_label_get_label (self->light_label) : NULL;
}
