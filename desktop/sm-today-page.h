/* sm-today-page.h — Today (今日): what needs doing now
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sm-store.h"
#include "sm-today-item.h"
#include "sm-today-section.h"

G_BEGIN_DECLS

#define SM_TYPE_TODAY_PAGE (sm_today_page_get_type ())
G_DECLARE_FINAL_TYPE (SmTodayPage, sm_today_page, SM, TODAY_PAGE, GtkWidget)

/* How many items of a section are read and shown at first, and added by "Show More". */
#define SM_TODAY_PAGE_STEP 25

/* @settings (org.sanmen.Sanmen) gives the intervals; NULL uses the schema's defaults. */
GtkWidget      *sm_today_page_new            (SmStore          *store,
                                              GSettings        *settings);
SmStore        *sm_today_page_get_store      (SmTodayPage      *self);
GSettings      *sm_today_page_get_settings   (SmTodayPage      *self);
/* Reads the four lists from the store now. The page also does it by itself when the
 * store or the settings change (soon after, while shown; when next shown, if hidden) and
 * when the day changes. */
void            sm_today_page_refresh        (SmTodayPage      *self);
/* What a section shows (of SmTodayItem, most urgent first) and how many are due in all. */
GListModel     *sm_today_page_get_items      (SmTodayPage      *self,
                                              SmTodayKind       kind);
guint           sm_today_page_get_total      (SmTodayPage      *self,
                                              SmTodayKind       kind);
SmTodaySection *sm_today_page_get_section    (SmTodayPage      *self,
                                              SmTodayKind       kind);
/* What "Show More" does: reads SM_TODAY_PAGE_STEP more items of the section. */
void            sm_today_page_show_more      (SmTodayPage      *self,
                                              SmTodayKind       kind);
/* Where "now" comes from (Unix milliseconds); NULL for the system clock. Tests move it to
 * age demands without waiting. The page refreshes with the new clock. */
void            sm_today_page_set_clock_func (SmTodayPage      *self,
                                              SmStoreClockFunc  func,
                                              gpointer          user_data);
/* The setting or its default, as the page reads it. */
guint           sm_today_page_get_setting    (SmTodayPage      *self,
                                              const char       *key);
/* Today's date in words, for a header bar's subtitle. */
const char     *sm_today_page_get_subtitle   (SmTodayPage      *self);

G_END_DECLS
