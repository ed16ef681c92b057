/* sm-demand-actions.h — raising a demand, acting on it, and how it is shown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sm-store.h"

G_BEGIN_DECLS

/* The warning light (预警灯) of an open demand, by the time left to its due_at. */
typedef enum {
  SM_DEMAND_LIGHT_NONE,    /* settled, or no due time */
  SM_DEMAND_LIGHT_GREEN,   /* on time */
  SM_DEMAND_LIGHT_YELLOW,  /* due within 24 h, or less than a quarter of its time left */
  SM_DEMAND_LIGHT_RED,     /* overdue */
} SmDemandLight;

/* Below this much time left a demand turns yellow whatever its span… */
#define SM_DEMAND_YELLOW_HOURS 24
/* …and below this share of the time it was given. */
#define SM_DEMAND_YELLOW_PERCENT 25

SmDemandLight  sm_demand_get_light            (SmRecord      *demand,
                                               GDateTime     *now);
const char    *sm_demand_light_get_label      (SmDemandLight  light);
const char    *sm_demand_light_get_icon_name  (SmDemandLight  light);
const char    *sm_demand_light_get_css_class  (SmDemandLight  light);
/* Shows @light in a badge: its colour (the CSS class) on @badge, its icon and word in
 * @icon and @label; hides @badge for SM_DEMAND_LIGHT_NONE. As the rows and the page show it. */
void           sm_demand_light_show           (SmDemandLight  light,
                                               GtkWidget     *badge,
                                               GtkImage      *icon,
                                               GtkLabel      *label);

/* Resolved or evaluated: the loop is closed, the level is where it was settled. */
gboolean       sm_demand_is_settled           (SmRecord      *demand);
/* "42 s", "7 min", "2 h 5 min", "3 days": a span for lists, or how long a demand waited. */
char          *sm_demand_format_span          (GTimeSpan      span);
/* reported_at → responded_at, or NULL before any response. */
gboolean       sm_demand_get_response_span    (SmRecord      *demand,
                                               GTimeSpan     *out_span);
/* A timestamp of the store in the user's time zone and date format. */
char          *sm_demand_format_time          (const char    *timestamp);

/* The due time of a demand reported at @reported, by its expected @level: 3 days within
 * the building, 5 within the area, 10 within the community, 20 escalated (the demo's
 * figures, from the office's own deadlines). "YYYY-MM-DDTHH:MM:SSZ". */
char          *sm_demand_default_due_at       (const char    *level,
                                               GDateTime     *reported);

/* Writes a demand of @household and its `report` event in one transaction (nested in the
 * caller's, if any). @visit_id may be NULL. Returns the new demand's id. */
char          *sm_demand_raise                (SmStore       *store,
                                               SmRecord      *household,
                                               const char    *visit_id,
                                               const char    *source,
                                               const char    *category,
                                               const char    *level,
                                               const char    *title,
                                               const char    *description,
                                               const char    *actor,
                                               GError       **error);
/* Writes one demand_event of @action, and for resolve the level settled at (@level),
 * for escalate the level `escalated`, in one transaction. The status is then what the
 * store derives. */
gboolean       sm_demand_act                  (SmStore       *store,
                                               const char    *demand_id,
                                               const char    *action,
                                               const char    *satisfaction,
                                               const char    *level,
                                               const char    *actor,
                                               const char    *note,
                                               GError       **error);

G_END_DECLS
