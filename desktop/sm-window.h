/* sm-window.h — the main window: a sidebar of pages and the page shown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sm-household-list.h"
#include "sm-store.h"

G_BEGIN_DECLS

#define SM_TYPE_WINDOW (sm_window_get_type ())
G_DECLARE_FINAL_TYPE (SmWindow, sm_window, SM, WINDOW, AdwApplicationWindow)

/* @application may be NULL (tests). */
SmWindow        *sm_window_new                (GtkApplication *application,
                                               SmStore        *store);
SmStore         *sm_window_get_store          (SmWindow       *self);
SmHouseholdList *sm_window_get_household_list (SmWindow       *self);

G_END_DECLS
