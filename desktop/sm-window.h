/* sm-window.h — the main window: a sidebar of pages and the page shown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sm-household-list.h"
#include "sm-household-page.h"
#include "sm-store.h"
#include "sm-today-page.h"

G_BEGIN_DECLS

#define SM_TYPE_WINDOW (sm_window_get_type ())
G_DECLARE_FINAL_TYPE (SmWindow, sm_window, SM, WINDOW, AdwApplicationWindow)

/* @application may be NULL (tests). */
SmWindow        *sm_window_new                (GtkApplication *application,
                                               SmStore        *store);
SmStore         *sm_window_get_store          (SmWindow       *self);
SmHouseholdList *sm_window_get_household_list (SmWindow       *self);
SmHouseholdPage *sm_window_get_household_page (SmWindow       *self);
SmTodayPage     *sm_window_get_today_page     (SmWindow       *self);
/* Shows a page of the sidebar ("today", "households"), as its row, Alt+1… and the
 * win.show-page action do; a household that was open closes. */
void             sm_window_show_page          (SmWindow       *self,
                                               const char     *page);
/* The name of the sidebar's page shown (or under the household open). */
const char      *sm_window_get_page           (SmWindow       *self);
/* Opens a household's page in the content pane, as activating its row does. */
void             sm_window_show_household     (SmWindow       *self,
                                               const char     *household_id);
/* TRUE while a household's page rather than the list shows. */
gboolean         sm_window_get_household_shown (SmWindow      *self);

G_END_DECLS
