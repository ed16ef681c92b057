/* sm-window.h — the main window: a sidebar of pages and the page shown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sm-conflicts-page.h"
#include "sm-dashboard-page.h"
#include "sm-demand-page.h"
#include "sm-demands-page.h"
#include "sm-household-list.h"
#include "sm-household-page.h"
#include "sm-lists-page.h"
#include "sm-store.h"
#include "sm-sync.h"
#include "sm-today-page.h"

G_BEGIN_DECLS

#define SM_TYPE_WINDOW (sm_window_get_type ())
G_DECLARE_FINAL_TYPE (SmWindow, sm_window, SM, WINDOW, AdwApplicationWindow)

SmWindow        *sm_window_new                (GtkApplication *application,
                                               SmStore        *store);
SmStore         *sm_window_get_store          (SmWindow       *self);
/* The sync engine the header bars show; NULL while working offline. */
SmSync          *sm_window_get_sync           (SmWindow       *self);
void             sm_window_set_sync           (SmWindow       *self,
                                               SmSync         *sync);
SmHouseholdList *sm_window_get_household_list (SmWindow       *self);
SmHouseholdPage *sm_window_get_household_page (SmWindow       *self);
SmTodayPage     *sm_window_get_today_page     (SmWindow       *self);
/* Shows a page of the sidebar ("today", "households", "demands", "dashboard", "lists"), as its row, Alt+1…
 * and the win.show-page action do; a household or demand that was open closes. */
void             sm_window_show_page          (SmWindow       *self,
                                               const char     *page);
/* The name of the sidebar's page shown (or under the household or demand open). */
const char      *sm_window_get_page           (SmWindow       *self);
/* Whether the sidebar offers @page now: its row shows (冲突 Conflicts only for the office's
 * roles); FALSE for a name that is no page. */
gboolean         sm_window_get_page_available (SmWindow       *self,
                                               const char     *page);
/* Opens a household's page in the content pane, as activating its row does; back
 * (Escape, Alt+Left, the back button) returns to where it was opened from. */
void             sm_window_show_household     (SmWindow       *self,
                                               const char     *household_id);
/* TRUE while a household's page shows. */
gboolean         sm_window_get_household_shown (SmWindow      *self);

/* 诉求: the demands by status (Alt+3), and one demand. */
SmDemandsPage   *sm_window_get_demands_page   (SmWindow       *self);
SmDemandPage    *sm_window_get_demand_page    (SmWindow       *self);
/* Opens a demand's page (details, history, next step), as activating its row does, from
 * any page (Today, a household); back returns there. */
void             sm_window_show_demand        (SmWindow       *self,
                                               const char     *demand_id);
/* TRUE while a demand's page shows; TRUE while the demands list shows. */
gboolean         sm_window_get_demand_shown   (SmWindow       *self);
gboolean         sm_window_get_demands_shown  (SmWindow       *self);

/* 统计: the office's figures (Alt+4). */
SmDashboardPage *sm_window_get_dashboard_page (SmWindow       *self);
gboolean         sm_window_get_dashboard_shown (SmWindow      *self);

/* The signed-in user's role from the login answer ("worker", "office", "admin"; NULL when
 * signed out): 冲突 Conflicts shows for office and admin only. */
void             sm_window_set_role           (SmWindow       *self,
                                               const char     *role);
SmConflictsPage *sm_window_get_conflicts_page (SmWindow       *self);
/* Shows 冲突 Conflicts, as its sidebar row does; only once the role allows it. */
void             sm_window_show_conflicts     (SmWindow       *self);

/* 清单: the resource, demand and claim lists (Alt+5). */
SmListsPage     *sm_window_get_lists_page     (SmWindow       *self);
gboolean         sm_window_get_lists_shown    (SmWindow       *self);
/* The role sm_window_set_role() was told last; NULL for none (or ""). */
const char      *sm_window_get_role           (SmWindow       *self);
/* Whether office work (resources, red credit points) is offered: for office and admin,
 * and with no role for a replica that never signed in (see sm-window.c). */
gboolean         sm_window_get_can_do_office_work (SmWindow   *self);

G_END_DECLS
