/* sm-visit-row.h — one visit in a household's timeline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sm-record.h"

G_BEGIN_DECLS

#define SM_TYPE_VISIT_ROW (sm_visit_row_get_type ())
G_DECLARE_FINAL_TYPE (SmVisitRow, sm_visit_row, SM, VISIT_ROW, GtkListBoxRow)

GtkWidget  *sm_visit_row_new       (SmRecord   *visit);
SmRecord   *sm_visit_row_get_visit (SmVisitRow *self);
/* visited_at in the user's time zone and locale's date format. */
char       *sm_visit_row_format_time (const char *visited_at);

G_END_DECLS
