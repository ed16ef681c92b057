/* sm-demand-model.h — the demands of one status as a GListModel, read page by page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sm-store.h"

G_BEGIN_DECLS

/* Demands read per SQL query. */
#define SM_DEMAND_MODEL_PAGE_SIZE 100

#define SM_TYPE_DEMAND_MODEL (sm_demand_model_get_type ())
G_DECLARE_FINAL_TYPE (SmDemandModel, sm_demand_model, SM, DEMAND_MODEL, GObject)

SmDemandModel *sm_demand_model_new             (SmStore       *store);
const char    *sm_demand_model_get_status      (SmDemandModel *self);
/* Lists the demands of @status (reported, accepted, …), newest report first. @n_items is
 * how many there are, from sm_store_count_demands_by_status(). */
void           sm_demand_model_set_status      (SmDemandModel *self,
                                                const char    *status,
                                                guint          n_items);
guint          sm_demand_model_get_n_page_loads (SmDemandModel *self);

G_END_DECLS
