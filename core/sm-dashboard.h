/* sm-dashboard.h — the office's figures (统计) for a period and a grid or the community
 *
 * Every figure is computed from the replica's typed tables, leaving out deleted records.
 * The scope is one grid (a record's grid_id) or, with grid_id NULL, every grid the replica
 * holds (the community). The period is [from, to): a stored timestamp t is in it when
 * from <= t < to. Dates without a time (moved_in) are days of the community's calendar,
 * China Standard Time (UTC+8, no daylight saving), as in the monthly reports
 * (sm-report-export.h): a date D is in the period when its local midnight is, and "within
 * N days" compares local dates. "now" is options->now (the current time when NULL).
 *
 * Visit coverage (走访覆盖). Only visits where someone was met count as coverage: a
 * closed door is a reason to go back, not a visit made.
 *
 *   new_households         households with tenure `new` whose moved_in date is in the
 *                          period (a new household without a moved_in date is left out);
 *   new_knocked            of those, the ones with a met 敲门 visit on a local date from
 *                          moved_in to moved_in + knock_days inclusive;
 *   new_pending            of those, the ones not yet knocked whose window is still open
 *                          (now is before the local midnight ending moved_in + knock_days);
 *   knock rate             new_knocked / (new_households − new_pending): a household whose
 *                          window is still open has not been missed yet.
 *
 *   difficulty_households  households (as they are now) with any difficulty tag (困难群众);
 *   difficulty_visited     of those, the ones with a met visit of any kind at a time in
 *                          [T − care_days × 24 h, T), T = the earlier of `to` and now;
 *   care rate              difficulty_visited / difficulty_households.
 *
 *   existing_households    households with tenure `existing`;
 *   drop_ins               met 串门 visits to them in the period;
 *   existing_dropped_in    existing households with at least one of those;
 *   drop-ins per household drop_ins / existing_households.
 *
 * Visits: every visit in the period whatever its outcome (work done), by kind and by
 * grid worker (visit.worker_id), workers by visits (most first), then id.
 *
 * Demands: the cohort is the demands reported (reported_at) in the period.
 *
 *   categories             the cohort by category, most first, then by name;
 *   by_status              the cohort by its derived status now (sm-demand-status.h);
 *   responded              demands of the cohort with a response: the derived
 *                          responded_at, the first accept, handle, escalate or resolve that
 *                          was valid when it happened;
 *   within_target          responded at most options->response_target_seconds (default
 *                          5 minutes, the 13415 target) after reported_at; the target share
 *                          is within_target / demands, so a demand never answered counts
 *                          as missing the target;
 *   median / p90 minutes   nearest-rank percentiles (the value at rank ⌈p·n⌉ of the n
 *                          response times sorted ascending) of the responded demands, in
 *                          minutes; a response stamped before its report counts as 0;
 *                          NAN when nothing was responded;
 *   resolved               the cohort whose status is now resolved or evaluated;
 *                          resolution rate = resolved / demands;
 *   by_level               the resolved demands by the level they were settled at
 *                          (不出楼栋 / 不出片区 / 不出社区 / 上报), SM_DASHBOARD_LEVEL_UNSET for
 *                          none; each level's share is its count / the resolved demands
 *                          with a level;
 *   evaluated              demands of the cohort with at least one evaluation (an evaluate
 *                          event with a satisfaction); each counts once, by its latest
 *                          evaluation (greatest `at`, then id), into satisfied, basic or
 *                          unsatisfied; 满意率 = (satisfied + basic) / evaluated.
 *
 * Overdue (督办): not a cohort of the period but the state now, in the scope: demands
 * whatever their report date whose due_at is before now and whose status is not resolved
 * or evaluated; overdue_supervising of those are already under supervision (督办中).
 *
 * A ratio with a zero denominator is NAN ("no data"), never 0 or 100%.
 */
#pragma once

#include <gio/gio.h>

#include "sm-store.h"

G_BEGIN_DECLS

#define SM_DASHBOARD_DEFAULT_RESPONSE_TARGET_SECONDS 300
#define SM_DASHBOARD_DEFAULT_KNOCK_DAYS 7
#define SM_DASHBOARD_DEFAULT_CARE_DAYS 30

typedef enum {
  SM_DASHBOARD_KNOCK,
  SM_DASHBOARD_DROP_IN,
  SM_DASHBOARD_CARE,
  SM_DASHBOARD_N_KINDS
} SmDashboardKind;

/* The order of the schema's demand statuses. */
typedef enum {
  SM_DASHBOARD_REPORTED,
  SM_DASHBOARD_ACCEPTED,
  SM_DASHBOARD_HANDLING,
  SM_DASHBOARD_SUPERVISING,
  SM_DASHBOARD_RESOLVED,
  SM_DASHBOARD_EVALUATED,
  SM_DASHBOARD_N_STATUSES
} SmDashboardStatus;

typedef enum {
  SM_DASHBOARD_LEVEL_BUILDING,
  SM_DASHBOARD_LEVEL_AREA,
  SM_DASHBOARD_LEVEL_COMMUNITY,
  SM_DASHBOARD_LEVEL_ESCALATED,
  SM_DASHBOARD_LEVEL_UNSET,
  SM_DASHBOARD_N_LEVELS
} SmDashboardLevel;

typedef struct {
  const char *grid_id;     /* NULL: every grid of the replica */
  GDateTime  *from;        /* required */
  GDateTime  *to;          /* required, after @from */
  GDateTime  *now;         /* NULL: the current time */
  guint       knock_days;
  guint       care_days;
  guint       response_target_seconds;
} SmDashboardOptions;

/* One row of a breakdown: a worker id or a category, and its counts. */
typedef struct {
  char  *key;
  guint  count;
  guint  by_kind[SM_DASHBOARD_N_KINDS];  /* visits only */
} SmDashboardCount;

typedef struct {
  guint      new_households;
  guint      new_knocked;
  guint      new_pending;
  guint      difficulty_households;
  guint      difficulty_visited;
  guint      existing_households;
  guint      drop_ins;
  guint      existing_dropped_in;

  guint      visits;
  guint      visits_by_kind[SM_DASHBOARD_N_KINDS];
  GPtrArray *workers;               /* of SmDashboardCount */

  guint      demands;
  GPtrArray *categories;            /* of SmDashboardCount */
  guint      by_status[SM_DASHBOARD_N_STATUSES];
  guint      responded;
  guint      within_target;
  double     median_response_minutes;
  double     p90_response_minutes;
  guint      resolved;
  guint      by_level[SM_DASHBOARD_N_LEVELS];
  guint      evaluated;
  guint      satisfied;
  guint      basic;
  guint      unsatisfied;

  guint      overdue;
  guint      overdue_supervising;
} SmDashboard;

/* No grid, no period, now NULL, the default day counts and response target. */
void          sm_dashboard_options_init     (SmDashboardOptions        *options);

SmDashboard  *sm_dashboard_compute          (SmStore                   *store,
                                             const SmDashboardOptions  *options,
                                             GError                   **error);
void          sm_dashboard_free             (SmDashboard               *dashboard);

/* @numerator / @denominator, or NAN when @denominator is 0. */
double        sm_dashboard_ratio            (double                     numerator,
                                             double                     denominator);
double        sm_dashboard_knock_rate       (const SmDashboard         *dashboard);
double        sm_dashboard_care_rate        (const SmDashboard         *dashboard);
double        sm_dashboard_drop_ins_per_household (const SmDashboard   *dashboard);
double        sm_dashboard_target_rate      (const SmDashboard         *dashboard);
double        sm_dashboard_resolution_rate  (const SmDashboard         *dashboard);
/* The share of @level among the resolved demands with a level. */
double        sm_dashboard_level_share      (const SmDashboard         *dashboard,
                                             SmDashboardLevel           level);
double        sm_dashboard_satisfaction_rate (const SmDashboard        *dashboard);

/* The schema's value names, for labels: "knock", "reported", "building", … (NULL for
 * SM_DASHBOARD_LEVEL_UNSET). */
const char   *sm_dashboard_kind_name        (SmDashboardKind            kind);
const char   *sm_dashboard_status_name      (SmDashboardStatus          status);
const char   *sm_dashboard_level_name       (SmDashboardLevel           level);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmDashboard, sm_dashboard_free)

G_END_DECLS
