/* sm-household-model.h — the households of a grid or one of its buildings as a GListModel,
 * read page by page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sm-store.h"

G_BEGIN_DECLS

/* Households read per SQL query. */
#define SM_HOUSEHOLD_MODEL_PAGE_SIZE 200

#define SM_TYPE_HOUSEHOLD_MODEL (sm_household_model_get_type ())
G_DECLARE_FINAL_TYPE (SmHouseholdModel, sm_household_model, SM, HOUSEHOLD_MODEL, GObject)

SmHouseholdModel *sm_household_model_new          (SmStore          *store);
SmStore          *sm_household_model_get_store    (SmHouseholdModel *self);
const char       *sm_household_model_get_grid_id  (SmHouseholdModel *self);
/* Another grid lists all its households: the building goes back to NULL. */
void              sm_household_model_set_grid_id  (SmHouseholdModel *self,
                                                   const char       *grid_id);
/* NULL: the whole grid. */
const char       *sm_household_model_get_building_id (SmHouseholdModel *self);
void              sm_household_model_set_building_id (SmHouseholdModel *self,
                                                      const char       *building_id);
/* Counts again and forgets the pages read, e.g. after a sync. */
void              sm_household_model_reload       (SmHouseholdModel *self);
/* Reads the households again keeping the position: when the count is unchanged (edits,
 * not additions), only the pages the view shows are announced as changed. */
void              sm_household_model_refresh      (SmHouseholdModel *self);
/* How many pages have been read from the store since creation (for tests). */
guint             sm_household_model_get_n_page_loads (SmHouseholdModel *self);

G_END_DECLS
