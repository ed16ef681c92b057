/* sm-household-list.h — the 住户 page: a grid's or a building's households, and search as
 * you type
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sm-household-dialog.h"
#include "sm-store.h"

G_BEGIN_DECLS

#define SM_TYPE_HOUSEHOLD_LIST (sm_household_list_get_type ())
G_DECLARE_FINAL_TYPE (SmHouseholdList, sm_household_list, SM, HOUSEHOLD_LIST, GtkWidget)

GtkWidget  *sm_household_list_new              (SmStore         *store);
SmStore    *sm_household_list_get_store        (SmHouseholdList *self);
/* The grid browsed; NULL when the replica holds none. */
const char *sm_household_list_get_grid_id      (SmHouseholdList *self);
void        sm_household_list_set_grid_id      (SmHouseholdList *self,
                                                const char      *grid_id);
/* The building browsed, one of the grid's; NULL for all of the grid's households. */
const char *sm_household_list_get_building_id  (SmHouseholdList *self);
void        sm_household_list_set_building_id  (SmHouseholdList *self,
                                                const char      *building_id);
/* The query whose results are shown; NULL while browsing the grid. */
const char *sm_household_list_get_query        (SmHouseholdList *self);
void        sm_household_list_focus_search     (SmHouseholdList *self);

/* What the list shows: an SmHouseholdModel (of SmRecord) while browsing, a model of
 * SmSearchResult while searching. For tests and for pages that act on a selection. */
GListModel *sm_household_list_get_model        (SmHouseholdList *self);
GtkEditable *sm_household_list_get_search_entry (SmHouseholdList *self);
/* The choosers under the search entry: grids, and "All buildings" then the grid's. */
GtkDropDown *sm_household_list_get_grid_chooser     (SmHouseholdList *self);
GtkDropDown *sm_household_list_get_building_chooser (SmHouseholdList *self);
/* Whether the search shown stopped at its limit (the list says so). */
gboolean    sm_household_list_get_capped       (SmHouseholdList *self);
/* Reads the grids, the buildings and the rows shown again from the store (the search
 * too, when searching), e.g. after a sync brought changes. The grid and the building
 * browsed stay while the replica still has them. */
void        sm_household_list_reload           (SmHouseholdList *self);
/* What Add (Ctrl+N) does: opens the dialog for the grid browsed and returns it (owned by
 * GTK; for tests). Once saved, the list shows the grid and activates the new household. */
SmHouseholdDialog *sm_household_list_add_household (SmHouseholdList *self);

G_END_DECLS
