/* sm-household-page.h — one household: its address and badges, residents, visits,
 * demands and red credit points
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sm-credit-dialog.h"
#include "sm-demand-dialog.h"
#include "sm-household-dialog.h"
#include "sm-resident-dialog.h"
#include "sm-store.h"
#include "sm-visit-dialog.h"

G_BEGIN_DECLS

#define SM_TYPE_HOUSEHOLD_PAGE (sm_household_page_get_type ())
G_DECLARE_FINAL_TYPE (SmHouseholdPage, sm_household_page, SM, HOUSEHOLD_PAGE, GtkWidget)

GtkWidget     *sm_household_page_new              (SmStore         *store);
SmStore       *sm_household_page_get_store        (SmHouseholdPage *self);
/* The household shown; NULL shows nothing. Setting it reads the household, its residents
 * and its visits from the store. */
const char    *sm_household_page_get_household_id (SmHouseholdPage *self);
void           sm_household_page_set_household_id (SmHouseholdPage *self,
                                                   const char      *household_id);
/* The household as last read; NULL when none or not found. */
SmRecord      *sm_household_page_get_household    (SmHouseholdPage *self);
/* The address, for the header bar's title. */
const char    *sm_household_page_get_title        (SmHouseholdPage *self);
/* Written as worker_id on the visits recorded from this page. */
const char    *sm_household_page_get_worker_id    (SmHouseholdPage *self);
void           sm_household_page_set_worker_id    (SmHouseholdPage *self,
                                                   const char      *worker_id);
/* Reads the household, residents and visits again. */
void           sm_household_page_reload           (SmHouseholdPage *self);
/* What the lists show, of SmRecord: residents in the store's order, visits newest first. */
GListModel    *sm_household_page_get_residents    (SmHouseholdPage *self);
GListModel    *sm_household_page_get_visits       (SmHouseholdPage *self);
/* What the “Record Visit” button does: opens the dialog over the page's window and
 * returns it (owned by GTK; for tests). NULL when no household is shown. */
SmVisitDialog *sm_household_page_record_visit     (SmHouseholdPage *self);
/* What Edit (Ctrl+E), Add Resident (Ctrl+N) and activating a resident's row do: open the
 * dialog over the page's window and return it (owned by GTK; for tests). NULL when no
 * household is shown, or no such resident. The page reloads when the dialog saves. */
SmHouseholdDialog *sm_household_page_edit_household (SmHouseholdPage *self);
SmResidentDialog  *sm_household_page_add_resident   (SmHouseholdPage *self);
SmResidentDialog  *sm_household_page_edit_resident  (SmHouseholdPage *self,
                                                     const char      *resident_id);
/* What a resident's + button in the credit section does: award or deduct points. */
SmCreditDialog    *sm_household_page_award_credit   (SmHouseholdPage *self,
                                                     const char      *resident_id);
/* The credit records shown, of SmRecord, newest first; NULL when no household. */
GPtrArray         *sm_household_page_get_credits    (SmHouseholdPage *self);
/* Red credit is office work: FALSE makes each resident's award button insensitive, with
 * a tooltip saying why, and award_credit() return NULL. TRUE by default. */
void               sm_household_page_set_can_award_credit (SmHouseholdPage *self,
                                                   gboolean         can_award);
gboolean           sm_household_page_get_can_award_credit (SmHouseholdPage *self);
/* The household's demands, of SmRecord, most recently reported first. */
GListModel    *sm_household_page_get_demands      (SmHouseholdPage *self);
/* What “Raise Demand” does: opens the dialog over the page's window and returns it.
 * NULL when no household is shown. */
SmDemandDialog *sm_household_page_raise_demand    (SmHouseholdPage *self);

G_END_DECLS
