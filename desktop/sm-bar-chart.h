/* sm-bar-chart.h — a horizontal bar chart: a label, a bar and a value per row
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SM_TYPE_BAR_CHART (sm_bar_chart_get_type ())
G_DECLARE_FINAL_TYPE (SmBarChart, sm_bar_chart, SM, BAR_CHART, GtkWidget)

GtkWidget  *sm_bar_chart_new            (void);

/* The chart's name, which screen readers say before its rows. */
const char *sm_bar_chart_get_title      (SmBarChart *self);
void        sm_bar_chart_set_title      (SmBarChart *self,
                                         const char *title);

/* Rows are drawn in the order added; bars are to scale with the largest value (or with
 * @scale_max when set above 0, e.g. 1 for shares). @value_text is what is written at the
 * end of the bar ("12", "45.0%"). */
void        sm_bar_chart_clear          (SmBarChart *self);
void        sm_bar_chart_append         (SmBarChart *self,
                                         const char *label,
                                         double      value,
                                         const char *value_text);
void        sm_bar_chart_set_scale_max  (SmBarChart *self,
                                         double      scale_max);
guint       sm_bar_chart_get_n_rows     (SmBarChart *self);
/* "label: value text" of row @index, as the chart says it to screen readers. */
char       *sm_bar_chart_dup_row_text   (SmBarChart *self,
                                         guint       index);

G_END_DECLS
