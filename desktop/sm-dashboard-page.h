/* sm-dashboard-page.h — the 统计 page: the office's figures for a period and a grid
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sm-bar-chart.h"
#include "sm-dashboard.h"
#include "sm-store.h"

G_BEGIN_DECLS

typedef enum {
  SM_DASHBOARD_PERIOD_THIS_MONTH,
  SM_DASHBOARD_PERIOD_LAST_MONTH,
  SM_DASHBOARD_PERIOD_LAST_30_DAYS,
  SM_DASHBOARD_PERIOD_CUSTOM,
} SmDashboardPeriod;

#define SM_TYPE_DASHBOARD_PAGE (sm_dashboard_page_get_type ())
G_DECLARE_FINAL_TYPE (SmDashboardPage, sm_dashboard_page, SM, DASHBOARD_PAGE, GtkWidget)

GtkWidget         *sm_dashboard_page_new             (SmStore           *store);

/* Computes the figures again (in a worker thread, on a connection of its own), e.g. when
 * the page is shown after a sync. */
void               sm_dashboard_page_reload          (SmDashboardPage   *self);
/* TRUE while figures are being computed. */
gboolean           sm_dashboard_page_get_busy        (SmDashboardPage   *self);

void               sm_dashboard_page_set_period      (SmDashboardPage   *self,
                                                      SmDashboardPeriod  period);
/* The custom period: from @first to @last inclusive, local (China) dates. */
void               sm_dashboard_page_set_custom_period (SmDashboardPage *self,
                                                      const GDate       *first,
                                                      const GDate       *last);
/* NULL: every grid of the replica. */
void               sm_dashboard_page_set_grid_id     (SmDashboardPage   *self,
                                                      const char        *grid_id);
/* The time the periods and "overdue" are reckoned from; NULL (the default) is the clock.
 * For tests on the demo community, whose history ends at a fixed time. */
void               sm_dashboard_page_set_now         (SmDashboardPage   *self,
                                                      GDateTime         *now);

/* What is shown: the figures last computed (NULL before the first), the text of one
 * figure ("knock-rate", "care-rate", "drop-ins", "visits", "demands", "response-median",
 * "response-p90", "target-rate", "resolution-rate", "satisfaction-rate", "overdue"), and
 * the charts ("workers", "categories", "statuses", "levels"). */
const SmDashboard *sm_dashboard_page_get_dashboard   (SmDashboardPage   *self);
const char        *sm_dashboard_page_get_figure_text (SmDashboardPage   *self,
                                                      const char        *name);
SmBarChart        *sm_dashboard_page_get_chart       (SmDashboardPage   *self,
                                                      const char        *name);

/* How a figure is written: "45.0%", "3.5 min", "—" for no data. */
char              *sm_dashboard_format_percent       (double             share);
char              *sm_dashboard_format_minutes       (double             minutes);

G_END_DECLS
