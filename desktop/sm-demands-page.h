/* sm-demands-page.h — the 诉求 page: demands by status along the loop, with counts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sm-store.h"

G_BEGIN_DECLS

#define SM_TYPE_DEMANDS_PAGE (sm_demands_page_get_type ())
G_DECLARE_FINAL_TYPE (SmDemandsPage, sm_demands_page, SM, DEMANDS_PAGE, GtkWidget)

GtkWidget   *sm_demands_page_new        (SmStore       *store);
/* The status listed: reported, accepted, handling, supervising, resolved or evaluated. */
const char  *sm_demands_page_get_status (SmDemandsPage *self);
void         sm_demands_page_set_status (SmDemandsPage *self,
                                         const char    *status);
/* How many demands of @status the store holds, as last counted. */
guint        sm_demands_page_get_count  (SmDemandsPage *self,
                                         const char    *status);
/* Counts again and reads the list again, e.g. after an action or a sync. */
void         sm_demands_page_reload     (SmDemandsPage *self);
/* What the list shows, of SmRecord (an SmDemandModel). */
GListModel  *sm_demands_page_get_model  (SmDemandsPage *self);
/* The button choosing @status (for tests: its label carries the count). */
GtkToggleButton *sm_demands_page_get_status_button (SmDemandsPage *self,
                                         const char    *status);

G_END_DECLS
