/* sm-demand-actions.c — raising a demand, acting on it, and how it is shown
 *
 * The only writes of the 诉求 loop: a demand with its `report` event, and one event per
 * action. Nothing here writes a status: the store derives it from the events (see
 * core/sm-demand-status.c), so what a page shows after an action is what every replica
 * holding the same events shows.
 *
 * The warning light: red once due_at has passed; yellow with less than a day left, or
 * less than a quarter of the time the demand was given (so a 3-day demand turns yellow
 * with 18 h left and a 20-day one with 5 days left); green otherwise. A settled demand
 * (办结 / 评价) or one without a due time has no light. Each light has a text and an
 * icon besides its colour.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-demand-actions.h"

#include <glib/gi18n.h>

#include "sm-date.h"

static const char * const levels[] = { "building", "area", "community", "escalated" };
static const int level_due_days[] = { 3, 5, 10, 20 };

static GDateTime *
parse_time (const char *timestamp)
{
  return timestamp != NULL ? g_date_time_new_from_iso8601 (timestamp, NULL) : NULL;
}

SmDemandLight
sm_demand_get_light (SmRecord  *demand,
                     GDateTime *now)
{
  g_autoptr(GDateTime) due = NULL;
  g_autoptr(GDateTime) reported = NULL;
  GTimeSpan left, given;

  g_return_val_if_fail (SM_IS_RECORD (demand), SM_DEMAND_LIGHT_NONE);
  g_return_val_if_fail (now != NULL, SM_DEMAND_LIGHT_NONE);

  if (sm_demand_is_settled (demand) || !(due = parse_time (sm_record_get_string (demand, "due_at"))))
    return SM_DEMAND_LIGHT_NONE;

  left = g_date_time_difference (due, now);
  if (left <= 0)
    return SM_DEMAND_LIGHT_RED;
  if (left < SM_DEMAND_YELLOW_HOURS * G_TIME_SPAN_HOUR)
    return SM_DEMAND_LIGHT_YELLOW;

  if ((reported = parse_time (sm_record_get_string (demand, "reported_at")))
      && (given = g_date_time_difference (due, reported)) > 0
      && left * 100 < given * SM_DEMAND_YELLOW_PERCENT)
    return SM_DEMAND_LIGHT_YELLOW;

  return SM_DEMAND_LIGHT_GREEN;
}

const char *
sm_demand_light_get_label (SmDemandLight light)
{
  switch (light)
    {
    /* Translators: the warning light (预警灯) of a demand: green */
    case SM_DEMAND_LIGHT_GREEN: return _("On time");
    /* Translators: the warning light (预警灯) of a demand: yellow, little time left */
    case SM_DEMAND_LIGHT_YELLOW: return _("Due soon");
    /* Translators: the warning light (预警灯) of a demand: red, past its due time */
    case SM_DEMAND_LIGHT_RED: return _("Overdue");
    case SM_DEMAND_LIGHT_NONE:
    default: return NULL;
    }
}

const char *
sm_demand_light_get_icon_name (SmDemandLight light)
{
  switch (light)
    {
    case SM_DEMAND_LIGHT_GREEN: return "emblem-ok-symbolic";
    case SM_DEMAND_LIGHT_YELLOW: return "alarm-symbolic";
    case SM_DEMAND_LIGHT_RED: return "dialog-warning-symbolic";
    case SM_DEMAND_LIGHT_NONE:
    default: return NULL;
    }
}

const char *
sm_demand_light_get_css_class (SmDemandLight light)
{
  switch (light)
    {
    case SM_DEMAND_LIGHT_GREEN: return "light-green";
    case SM_DEMAND_LIGHT_YELLOW: return "light-yellow";
    case SM_DEMAND_LIGHT_RED: return "light-red";
    case SM_DEMAND_LIGHT_NONE:
    default: return NULL;
    }
}

void
sm_demand_light_show (SmDemandLight  light,
                      GtkWidget     *badge,
                      GtkImage      *icon,
                      GtkLabel      *label)
{
  static const char * const light_classes[] = { "light-green", "light-yellow", "light-red" };
  const char *css = sm_demand_light_get_css_class (light);

  g_return_if_fail (GTK_IS_WIDGET (badge));
  g_return_if_fail (GTK_IS_IMAGE (icon));
  g_return_if_fail (GTK_IS_LABEL (label));

  for (guint i = 0; i < G_N_ELEMENTS (light_classes); i++)
    if (g_strcmp0 (css, light_classes[i]) == 0)
      gtk_widget_add_css_class (badge, light_classes[i]);
    else
      gtk_widget_remove_css_class (badge, light_classes[i]);
  gtk_image_set_from_icon_name (icon, sm_demand_light_get_icon_name (light));
  gtk_label_set_label (label, sm_demand_light_get_label (light));
  gtk_widget_set_visible (badge, light != SM_DEMAND_LIGHT_NONE);
}

gboolean
sm_demand_is_settled (SmRecord *demand)
{
  const char *status;

  g_return_val_if_fail (SM_IS_RECORD (demand), FALSE);

  status = sm_record_get_string (demand, "status");
  return g_strcmp0 (status, "resolved") == 0 || g_strcmp0 (status, "evaluated") == 0;
}

char *
sm_demand_format_span (GTimeSpan span)
{
  guint seconds = (guint) MIN (MAX (span, 0) / G_TIME_SPAN_SECOND, G_MAXUINT);
  guint minutes = seconds / 60;
  guint hours = minutes / 60;
  guint days = hours / 24;

  /* Seconds count while a demand races the minutes of its response target. */
  if (seconds < 60)
    /* Translators: a short span in seconds, e.g. how long a demand has waited */
    return g_strdup_printf (_("%u s"), seconds);
  if (minutes < 60)
    /* Translators: a span in minutes, e.g. a response time */
    return g_strdup_printf (_("%u min"), minutes);
  if (hours < 24)
    /* Translators: a span in hours and minutes */
    return g_strdup_printf (_("%u h %u min"), hours, minutes % 60);

  /* Translators: a span of days, e.g. a demand's age */
  return g_strdup_printf (ngettext ("%u day", "%u days", days), days);
}

gboolean
sm_demand_get_response_span (SmRecord  *demand,
                             GTimeSpan *out_span)
{
  g_autoptr(GDateTime) reported = NULL;
  g_autoptr(GDateTime) responded = NULL;

  g_return_val_if_fail (SM_IS_RECORD (demand), FALSE);

  if (!(reported = parse_time (sm_record_get_string (demand, "reported_at")))
      || !(responded = parse_time (sm_record_get_string (demand, "responded_at"))))
    return FALSE;

  if (out_span != NULL)
    *out_span = g_date_time_difference (responded, reported);
  return TRUE;
}

char *
sm_demand_format_time (const char *timestamp)
{
  g_autoptr(GDateTime) utc = parse_time (timestamp);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup (timestamp);

  local = g_date_time_to_local (utc);
  /* Translators: a time of the demand loop in the user's time zone; see
   * g_date_time_format(). %x is the date in the locale's format. */
  return g_date_time_format (local, _("%x %H:%M"));
}

char *
sm_demand_default_due_at (const char *level,
                          GDateTime  *reported)
{
  g_autoptr(GDateTime) due = NULL;
  int days = level_due_days[0];

  g_return_val_if_fail (reported != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
    if (g_strcmp0 (levels[i], level) == 0)
      days = level_due_days[i];

  due = g_date_time_add_days (reported, days);
  return sm_date_timestamp (due);
}

static const char *
actor_or_local (const char *actor)
{
  return actor != NULL && *actor != '\0' ? actor : "local";
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

char *
sm_demand_raise (SmStore     *store,
                 SmRecord    *household,
                 const char  *visit_id,
                 const char  *source,
                 const char  *category,
                 const char  *level,
                 const char  *title,
                 const char  *description,
                 const char  *actor,
                 GError     **error)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *reported_at = NULL;
  g_autofree char *due_at = NULL;
  g_autofree char *demand_id = NULL;
  g_autofree char *event_id = NULL;

  g_return_val_if_fail (SM_IS_STORE (store), NULL);
  g_return_val_if_fail (SM_IS_RECORD (household), NULL);
  g_return_val_if_fail (source != NULL, NULL);

  if (is_blank (title))
    {
      g_set_error_literal (error, SM_STORE_ERROR, SM_STORE_ERROR_INVALID,
                           _("Give the demand a title: a few words on what the resident needs."));
      return NULL;
    }
  if (is_blank (category))
    {
      g_set_error_literal (error, SM_STORE_ERROR, SM_STORE_ERROR_INVALID,
                           _("Choose a category for the demand."));
      return NULL;
    }

  now = g_date_time_new_now_utc ();
  reported_at = sm_date_timestamp (now);
  due_at = sm_demand_default_due_at (level, now);

  if (!sm_store_begin (store, error))
    return NULL;

  demand_id = sm_store_create_with (store, "demand", sm_record_get_grid_id (household), error,
                                    "household_id", g_variant_new_string (sm_record_get_id (household)),
                                    "visit_id", visit_id ? g_variant_new_string (visit_id) : NULL,
                                    "source", g_variant_new_string (source),
                                    "category", g_variant_new_string (category),
                                    "level", level ? g_variant_new_string (level) : NULL,
                                    "title", g_variant_new_string (title),
                                    "description", !is_blank (description) ? g_variant_new_string (description) : NULL,
                                    "reported_at", g_variant_new_string (reported_at),
                                    "due_at", g_variant_new_string (due_at),
                                    "assignee", g_variant_new_string (actor_or_local (actor)),
                                    NULL);
  if (demand_id != NULL)
    event_id = sm_store_create_with (store, "demand_event", sm_record_get_grid_id (household), error,
                                     "demand_id", g_variant_new_string (demand_id),
                                     "at", g_variant_new_string (reported_at),
                                     "actor", g_variant_new_string (actor_or_local (actor)),
                                     "action", g_variant_new_string ("report"),
                                     NULL);

  if (event_id == NULL)
    {
      sm_store_rollback (store);
      return NULL;
    }
  /* A failed commit rolls back by itself. */
  if (!sm_store_commit (store, error))
    return NULL;

  return g_steal_pointer (&demand_id);
}

gboolean
sm_demand_act (SmStore     *store,
               const char  *demand_id,
               const char  *action,
               const char  *satisfaction,
               const char  *level,
               const char  *actor,
               const char  *note,
               GError     **error)
{
  g_autoptr(SmRecord) demand = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *at = NULL;
  g_autofree char *event_id = NULL;
  const char *new_level = NULL;

  g_return_val_if_fail (SM_IS_STORE (store), FALSE);
  g_return_val_if_fail (demand_id != NULL, FALSE);
  g_return_val_if_fail (action != NULL, FALSE);

  if (g_str_equal (action, "evaluate") && satisfaction == NULL)
    {
      g_set_error_literal (error, SM_STORE_ERROR, SM_STORE_ERROR_INVALID,
                           _("Choose how satisfied the resident is."));
      return FALSE;
    }
  if (g_str_equal (action, "comment") && is_blank (note))
    {
      g_set_error_literal (error, SM_STORE_ERROR, SM_STORE_ERROR_INVALID,
                           _("Write the comment in the note first."));
      return FALSE;
    }
  if (g_str_equal (action, "resolve"))
    {
      if (level == NULL)
        {
          g_set_error_literal (error, SM_STORE_ERROR, SM_STORE_ERROR_INVALID,
                               _("Choose the level the demand was settled at."));
          return FALSE;
        }
      new_level = level;
    }
  else if (g_str_equal (action, "escalate"))
    new_level = "escalated";

  if (!(demand = sm_store_get (store, "demand", demand_id, error)))
    return FALSE;

  now = g_date_time_new_now_utc ();
  at = sm_date_timestamp (now);

  if (!sm_store_begin (store, error))
    return FALSE;

  event_id = sm_store_create_with (store, "demand_event", sm_record_get_grid_id (demand), error,
                                   "demand_id", g_variant_new_string (demand_id),
                                   "at", g_variant_new_string (at),
                                   "actor", g_variant_new_string (actor_or_local (actor)),
                                   "action", g_variant_new_string (action),
                                   "satisfaction", satisfaction ? g_variant_new_string (satisfaction) : NULL,
                                   "note", !is_blank (note) ? g_variant_new_string (note) : NULL,
                                   NULL);

  /* Only a change of level is written: an unchanged field would be one more write to sync. */
  if (event_id == NULL
      || (new_level != NULL && g_strcmp0 (sm_record_get_string (demand, "level"), new_level) != 0
          && !sm_store_update_with (store, "demand", demand_id, error,
                                    "level", g_variant_new_string (new_level), NULL)))
    {
      sm_store_rollback (store);
      return FALSE;
    }

  return sm_store_commit (store, error);
}
