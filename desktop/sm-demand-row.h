/* sm-demand-row.h — one demand in a list: title, address, category, age, response time,
 * warning light and the level it was settled at
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sm-demand-actions.h"
#include "sm-store.h"

G_BEGIN_DECLS

#define SM_TYPE_DEMAND_ROW (sm_demand_row_get_type ())
G_DECLARE_FINAL_TYPE (SmDemandRow, sm_demand_row, SM, DEMAND_ROW, GtkWidget)

/* @store: where the household's address is read from. */
GtkWidget     *sm_demand_row_new          (SmStore     *store);
SmRecord      *sm_demand_row_get_demand   (SmDemandRow *self);
void           sm_demand_row_set_demand   (SmDemandRow *self,
                                           SmRecord    *demand);
/* Whether the household's address shows (not on that household's own page). */
void           sm_demand_row_set_show_address (SmDemandRow *self,
                                           gboolean     show_address);
/* What the row shows (for tests). */
const char    *sm_demand_row_get_title    (SmDemandRow *self);
const char    *sm_demand_row_get_details  (SmDemandRow *self);
SmDemandLight  sm_demand_row_get_light    (SmDemandRow *self);
const char    *sm_demand_row_get_light_text (SmDemandRow *self);

G_END_DECLS
