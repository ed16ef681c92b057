/* sm-today-row.h — one item of the Today page: what, where, and how late
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sm-today-item.h"

G_BEGIN_DECLS

#define SM_TYPE_TODAY_ROW (sm_today_row_get_type ())
G_DECLARE_FINAL_TYPE (SmTodayRow, sm_today_row, SM, TODAY_ROW, GtkListBoxRow)

GtkWidget   *sm_today_row_new             (SmTodayItem *item);
SmTodayItem *sm_today_row_get_item        (SmTodayRow  *self);
/* Says again how long ago things were, as of @now; a demand that waited longer than
 * @target_minutes is marked late in words and in colour. */
void         sm_today_row_update          (SmTodayRow  *self,
                                           GDateTime   *now,
                                           guint        target_minutes);
const char  *sm_today_row_get_title       (SmTodayRow  *self);
const char  *sm_today_row_get_subtitle    (SmTodayRow  *self);
/* The badge: "12 days since the last visit", "Late: waiting 7 min", … */
const char  *sm_today_row_get_status_text (SmTodayRow  *self);
gboolean     sm_today_row_get_late        (SmTodayRow  *self);

G_END_DECLS
