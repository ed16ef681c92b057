/* sm-household-row.h — one row of a household list: a title, a subtitle and badges
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sm-record.h"

G_BEGIN_DECLS

#define SM_TYPE_HOUSEHOLD_ROW (sm_household_row_get_type ())
G_DECLARE_FINAL_TYPE (SmHouseholdRow, sm_household_row, SM, HOUSEHOLD_ROW, GtkWidget)

GtkWidget  *sm_household_row_new           (void);
const char *sm_household_row_get_title     (SmHouseholdRow *self);
void        sm_household_row_set_title     (SmHouseholdRow *self,
                                            const char     *title);
const char *sm_household_row_get_subtitle  (SmHouseholdRow *self);
void        sm_household_row_set_subtitle  (SmHouseholdRow *self,
                                            const char     *subtitle);
/* The household whose tenure and difficulty tags the badges show. */
SmRecord   *sm_household_row_get_household (SmHouseholdRow *self);
void        sm_household_row_set_household (SmHouseholdRow *self,
                                            SmRecord       *household);

G_END_DECLS
