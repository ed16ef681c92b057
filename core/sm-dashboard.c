/* sm-dashboard.c — the office's figures (统计), five queries over the typed tables
 *
 * The figures are defined in sm-dashboard.h. The work is done by SQLite in one read
 * transaction: one pass over the scope's households (household_order for a grid) with
 * visit lookups on visit_household_time only for the households in difficulty and the
 * period's new ones; one pass over the visits for the drop-ins to existing households
 * and one for the visits by worker and kind (visit_grid_id for a grid; the community
 * reads the visit table through, since no index orders visits by time alone — and one
 * that did made SQLite's plans slower, not faster, in bench-dashboard); one over the
 * period's demands, with the latest evaluation looked up by demand_event's demand_id
 * index; and one count of the overdue demands. The response-time percentiles need the
 * sorted times, so the demand rows come back to C; everything else is aggregated in SQL.
 * Each query has a text for one grid and one for the community (see scoped_sql()).
 *
 * Measured with bench-dashboard on 100,000 households in 40 grids (October: 33,000
 * visits, 9,200 demands) on a shared 2-core machine: one grid 3–5 ms; the community
 * 170–250 ms, about 11 times one raw pass over the visit table. The desktop page
 * computes in a worker thread for that reason.
 *
 * Timestamps are stored canonical UTC ("2026-11-01T01:00:00Z"), so a period is a text
 * range; a local date becomes the UTC time of its midnight with strftime's modifiers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-dashboard"

#include "sm-dashboard.h"

#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "sm-schema.h"
#include "sm-store-private.h"

/* China Standard Time, the calendar of sm-report-export.c: UTC+8 all year. */
#define LOCAL_ZONE "+08:00"
#define LOCAL_TO_UTC_MODIFIER "-8 hours"

#define STAMP_FORMAT "%Y-%m-%dT%H:%M:%SZ"

static const char * const kind_names[SM_DASHBOARD_N_KINDS] = { "knock", "drop_in", "care" };
static const char * const status_names[SM_DASHBOARD_N_STATUSES] = {
  "reported", "accepted", "handling", "supervising", "resolved", "evaluated",
};
static const char * const level_names[SM_DASHBOARD_N_LEVELS] = {
  "building", "area", "community", "escalated", NULL,
};

/* ---------------------------------------------------------------- helpers */

static void
dashboard_count_free (SmDashboardCount *count)
{
  g_free (count->key);
  g_free (count);
}

/* The count of @key in @counts, added (at zero) the first time @key is seen; @index finds
 * it by key and borrows the key from the count. */
static SmDashboardCount *
count_for_key (GHashTable *index,
               GPtrArray  *counts,
               const char *key)
{
  SmDashboardCount *count = g_hash_table_lookup (index, key);

  if (count == NULL)
    {
      count = g_new0 (SmDashboardCount, 1);
      count->key = g_strdup (key);
      g_hash_table_insert (index, count->key, count);
      g_ptr_array_add (counts, count);
    }

  return count;
}

static int
index_of (const char * const *names,
          guint               n,
          const char         *value)
{
  for (guint i = 0; value != NULL && i < n; i++)
    if (names[i] != NULL && strcmp (names[i], value) == 0)
      return (int) i;

  return -1;
}

static char *
format_utc (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, STAMP_FORMAT);
}

/* The first local date whose midnight is at or after @time. */
static char *
first_local_date_from (GDateTime *time)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (LOCAL_ZONE);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (time, zone);
  g_autoptr(GDateTime) day = g_date_time_new (zone, g_date_time_get_year (local),
                                              g_date_time_get_month (local),
                                              g_date_time_get_day_of_month (local), 0, 0, 0);
  g_autoptr(GDateTime) next = NULL;

  if (g_date_time_compare (day, local) == 0)
    return g_date_time_format (day, "%Y-%m-%d");

  next = g_date_time_add_days (day, 1);
  return g_date_time_format (next, "%Y-%m-%d");
}

/* Any difficulty tag of household h, from the schema, so a new tag needs no SQL here. */
static char *
difficulty_condition (void)
{
  const SmTable *table = sm_schema_lookup_table ("household");
  g_autoptr(GString) sql = g_string_new ("(0");

  for (guint f = 0; f < table->n_fields; f++)
    if (table->fields[f].flags & SM_FIELD_FLAG_TAG)
      g_string_append_printf (sql, " OR h.\"%s\" = 1", table->fields[f].name);
  g_string_append_c (sql, ')');

  return g_string_free (g_steal_pointer (&sql), FALSE);
}

static int
compare_count (gconstpointer a,
               gconstpointer b)
{
  const SmDashboardCount *x = *(SmDashboardCount **) a, *y = *(SmDashboardCount **) b;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return strcmp (x->key, y->key);
}

static int
compare_gint64 (const void *a,
                const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* Nearest rank: the value at rank ⌈p·n⌉ (1-based) of @sorted. */
static double
percentile_minutes (GArray *sorted,
                    guint   percent)
{
  guint rank;

  if (sorted->len == 0)
    return NAN;

  rank = (sorted->len * percent + 99) / 100;
  rank = CLAMP (rank, 1, sorted->len);

  return g_array_index (sorted, gint64, rank - 1) / 60.0;
}

/* ---------------------------------------------------------------- the queries */

typedef struct {
  const char *grid_id;
  char       *from;        /* UTC timestamps */
  char       *to;
  char       *now;
  char       *care_from;
  char       *care_to;
  char       *first_day;   /* local dates */
  char       *end_day;
  char       *knock_end;   /* strftime modifier: "+8 days" */
  guint       target_seconds;
} Bounds;

static void
bounds_clear (Bounds *bounds)
{
  g_free (bounds->from);
  g_free (bounds->to);
  g_free (bounds->now);
  g_free (bounds->care_from);
  g_free (bounds->care_to);
  g_free (bounds->first_day);
  g_free (bounds->end_day);
  g_free (bounds->knock_end);
}

/* Each query comes in two texts, one per kind of scope: "(?1 IS NULL OR grid_id = ?1)"
 * would keep SQLite from walking the grid_id indexes for one grid. The texts are found in
 * the store's statement cache, so they are made here at each call and prepared once. */
static char *
scoped_sql (const char   *template,
            const Bounds *bounds)
{
  g_autoptr(GString) sql = g_string_new (template);
  g_autofree char *difficult = difficulty_condition ();

  g_string_replace (sql, "$SCOPE", bounds->grid_id != NULL ? "= ?1" : "IS NOT NULL OR ?1 IS NULL", 0);
  /* $KNOCKED and $WINDOW_END first: they hold more placeholders. */
  g_string_replace (sql, "$KNOCKED",
                    "EXISTS (SELECT 1 FROM visit v WHERE v.household_id = h.id"
                    " AND v.visited_at >= strftime('" STAMP_FORMAT "', h.moved_in, '" LOCAL_TO_UTC_MODIFIER "')"
                    " AND v.visited_at < $WINDOW_END"
                    " AND v.kind = 'knock' AND v.outcome = 'met' AND v._deleted IS NOT 1)", 0);
  g_string_replace (sql, "$WINDOW_END",
                    "strftime('" STAMP_FORMAT "', h.moved_in, ?7, '" LOCAL_TO_UTC_MODIFIER "')", 0);
  g_string_replace (sql, "$NEW", "(h.tenure = 'new' AND h.moved_in >= ?4 AND h.moved_in < ?5)", 0);
  g_string_replace (sql, "$DIFFICULT", difficult, 0);
  return g_string_free (g_steal_pointer (&sql), FALSE);
}

static sqlite3_stmt *
prepare_scoped (SmStore       *store,
                const char    *template,
                const Bounds  *bounds,
                GError       **error)
{
  g_autofree char *sql = scoped_sql (template, bounds);
  sqlite3_stmt *stmt = sm_store_prepare (store, sql, error);

  if (stmt != NULL)
    {
      if (bounds->grid_id != NULL)
        sqlite3_bind_text (stmt, 1, bounds->grid_id, -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (stmt, 1);
    }

  return stmt;
}

/* prepare_scoped() for the queries over a period: ?2 and ?3 are its UTC bounds. */
static sqlite3_stmt *
prepare_period (SmStore       *store,
                const char    *template,
                const Bounds  *bounds,
                const char    *from,
                const char    *to,
                GError       **error)
{
  sqlite3_stmt *stmt = prepare_scoped (store, template, bounds, error);

  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 2, from, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, to, -1, SQLITE_STATIC);
    }

  return stmt;
}

/* Steps a statement that returns one row of @n counts. */
static gboolean
read_counts (SmStore       *store,
             sqlite3_stmt  *stmt,
             guint         *counts[],
             guint          n,
             GError       **error)
{
  int rc;

  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    for (guint i = 0; i < n; i++)
      *counts[i] = (guint) sqlite3_column_int64 (stmt, (int) i);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW)
    return sm_store_set_sqlite_error (store, rc, error);

  return TRUE;
}

/* The coverage figures that start from the households of the scope, in one pass over
 * them: existing ones; those in difficulty, and whether they were visited; the period's
 * new ones, and whether they were knocked in time or still may be. The CASEs keep the
 * visit lookups to the households they concern (a tenth in difficulty, the month's new
 * ones); a new household's window runs from moved_in's local midnight to the local
 * midnight after moved_in + N days, as UTC timestamps. */
static gboolean
compute_households (SmStore       *store,
                    const Bounds  *bounds,
                    SmDashboard   *dashboard,
                    GError       **error)
{
  static const char *template =
    "SELECT coalesce(sum(h.tenure = 'existing'), 0), coalesce(sum($DIFFICULT), 0),"
    " coalesce(sum(CASE WHEN $DIFFICULT THEN EXISTS (SELECT 1 FROM visit v"
    "  WHERE v.household_id = h.id AND v.visited_at >= ?2 AND v.visited_at < ?3"
    "  AND v.outcome = 'met' AND v._deleted IS NOT 1) ELSE 0 END), 0),"
    " coalesce(sum($NEW), 0),"
    " coalesce(sum(CASE WHEN $NEW THEN $KNOCKED ELSE 0 END), 0),"
    " coalesce(sum(CASE WHEN $NEW AND $WINDOW_END > ?6 THEN NOT $KNOCKED ELSE 0 END), 0)"
    " FROM household h WHERE h._deleted IS NOT 1 AND (h.grid_id $SCOPE)";
  guint *counts[] = {
    &dashboard->existing_households, &dashboard->difficulty_households, &dashboard->difficulty_visited,
    &dashboard->new_households, &dashboard->new_knocked, &dashboard->new_pending,
  };
  sqlite3_stmt *stmt;

  if (!(stmt = prepare_period (store, template, bounds, bounds->care_from, bounds->care_to, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 4, bounds->first_day, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, bounds->end_day, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, bounds->now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, bounds->knock_end, -1, SQLITE_STATIC);

  return read_counts (store, stmt, counts, G_N_ELEMENTS (counts), error);
}

/* From the period's visits: cheaper than a lookup for every existing household. */
static gboolean
compute_drop_ins (SmStore       *store,
                  const Bounds  *bounds,
                  SmDashboard   *dashboard,
                  GError       **error)
{
  static const char *template =
    "SELECT count(*), count(DISTINCT v.household_id) FROM visit v"
    " JOIN household h ON h.id = v.household_id"
    " WHERE v.visited_at >= ?2 AND v.visited_at < ?3 AND v.kind = 'drop_in'"
    " AND v.outcome = 'met' AND v._deleted IS NOT 1"
    " AND h.tenure = 'existing' AND h._deleted IS NOT 1 AND (h.grid_id $SCOPE)";
  guint *counts[] = { &dashboard->drop_ins, &dashboard->existing_dropped_in };
  sqlite3_stmt *stmt;

  if (!(stmt = prepare_period (store, template, bounds, bounds->from, bounds->to, error)))
    return FALSE;

  return read_counts (store, stmt, counts, G_N_ELEMENTS (counts), error);
}

static gboolean
compute_visits (SmStore       *store,
                const Bounds  *bounds,
                SmDashboard   *dashboard,
                GError       **error)
{
  static const char *template =
    "SELECT coalesce(worker_id, ''), kind, count(*) FROM visit"
    " WHERE visited_at >= ?2 AND visited_at < ?3 AND (grid_id $SCOPE)"
    " AND _deleted IS NOT 1 GROUP BY 1, 2";
  g_autoptr(GHashTable) workers = g_hash_table_new (g_str_hash, g_str_equal);
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = prepare_period (store, template, bounds, bounds->from, bounds->to, error)))
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *worker = (const char *) sqlite3_column_text (stmt, 0);
      int kind = index_of (kind_names, SM_DASHBOARD_N_KINDS, (const char *) sqlite3_column_text (stmt, 1));
      guint n = (guint) sqlite3_column_int64 (stmt, 2);
      SmDashboardCount *count = count_for_key (workers, dashboard->workers, worker);

      count->count += n;
      dashboard->visits += n;
      if (kind >= 0)
        {
          count->by_kind[kind] += n;
          dashboard->visits_by_kind[kind] += n;
        }
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return sm_store_set_sqlite_error (store, rc, error);

  g_ptr_array_sort (dashboard->workers, compare_count);
  return TRUE;
}

static gboolean
compute_demands (SmStore       *store,
                 const Bounds  *bounds,
                 SmDashboard   *dashboard,
                 GError       **error)
{
  static const char *template =
    "SELECT coalesce(d.category, ''), coalesce(d.status, 'reported'), d.level,"
    " CAST (round ((julianday (d.responded_at) - julianday (d.reported_at)) * 86400) AS INTEGER),"
    " (SELECT e.satisfaction FROM demand_event e WHERE e.demand_id = d.id"
    "  AND e.action = 'evaluate' AND e.satisfaction IS NOT NULL AND e._deleted IS NOT 1"
    "  ORDER BY e.at DESC, e.id DESC LIMIT 1)"
    " FROM demand d WHERE d.reported_at >= ?2 AND d.reported_at < ?3"
    " AND (d.grid_id $SCOPE) AND d._deleted IS NOT 1";
  g_autoptr(GHashTable) categories = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) seconds = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = prepare_period (store, template, bounds, bounds->from, bounds->to, error)))
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *category = (const char *) sqlite3_column_text (stmt, 0);
      int status = index_of (status_names, SM_DASHBOARD_N_STATUSES, (const char *) sqlite3_column_text (stmt, 1));
      int level = index_of (level_names, SM_DASHBOARD_N_LEVELS, (const char *) sqlite3_column_text (stmt, 2));
      const char *satisfaction = (const char *) sqlite3_column_text (stmt, 4);
      SmDashboardCount *count = count_for_key (categories, dashboard->categories, category);

      dashboard->demands++;
      count->count++;

      if (status >= 0)
        dashboard->by_status[status]++;

      if (status == SM_DASHBOARD_RESOLVED || status == SM_DASHBOARD_EVALUATED)
        {
          dashboard->resolved++;
          dashboard->by_level[level >= 0 ? level : SM_DASHBOARD_LEVEL_UNSET]++;
        }

      if (sqlite3_column_type (stmt, 3) != SQLITE_NULL)
        {
          gint64 s = MAX (sqlite3_column_int64 (stmt, 3), 0);

          g_array_append_val (seconds, s);
          if (s <= (gint64) bounds->target_seconds)
            dashboard->within_target++;
        }

      if (satisfaction != NULL)
        {
          dashboard->evaluated++;
          if (strcmp (satisfaction, "satisfied") == 0)
            dashboard->satisfied++;
          else if (strcmp (satisfaction, "basic") == 0)
            dashboard->basic++;
          else
            dashboard->unsatisfied++;
        }
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return sm_store_set_sqlite_error (store, rc, error);

  g_ptr_array_sort (dashboard->categories, compare_count);

  dashboard->responded = seconds->len;
  if (seconds->len > 0)
    qsort (seconds->data, seconds->len, sizeof (gint64), compare_gint64);
  dashboard->median_response_minutes = percentile_minutes (seconds, 50);
  dashboard->p90_response_minutes = percentile_minutes (seconds, 90);

  return TRUE;
}

static gboolean
compute_overdue (SmStore       *store,
                 const Bounds  *bounds,
                 SmDashboard   *dashboard,
                 GError       **error)
{
  static const char *template =
    "SELECT count(*), coalesce(sum(status = 'supervising'), 0) FROM demand"
    " WHERE due_at < ?2 AND coalesce(status, 'reported') NOT IN ('resolved', 'evaluated')"
    " AND (grid_id $SCOPE) AND _deleted IS NOT 1";
  guint *counts[] = { &dashboard->overdue, &dashboard->overdue_supervising };
  sqlite3_stmt *stmt;

  if (!(stmt = prepare_scoped (store, template, bounds, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 2, bounds->now, -1, SQLITE_STATIC);

  return read_counts (store, stmt, counts, G_N_ELEMENTS (counts), error);
}

static gboolean
run (SmStore     *store,
     const char  *sql,
     GError     **error)
{
  sqlite3_stmt *stmt = sm_store_prepare (store, sql, error);

  return stmt != NULL && sm_store_step_done (store, stmt, error);
}

/* ---------------------------------------------------------------- public API */

void
sm_dashboard_options_init (SmDashboardOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->knock_days = SM_DASHBOARD_DEFAULT_KNOCK_DAYS;
  options->care_days = SM_DASHBOARD_DEFAULT_CARE_DAYS;
  options->response_target_seconds = SM_DASHBOARD_DEFAULT_RESPONSE_TARGET_SECONDS;
}

void
sm_dashboard_free (SmDashboard *dashboard)
{
  if (dashboard == NULL)
    return;

  g_clear_pointer (&dashboard->workers, g_ptr_array_unref);
  g_clear_pointer (&dashboard->categories, g_ptr_array_unref);
  g_free (dashboard);
}

SmDashboard *
sm_dashboard_compute (SmStore                   *store,
                      const SmDashboardOptions  *options,
                      GError                   **error)
{
  g_autoptr(SmDashboard) dashboard = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) care_from = NULL;
  GDateTime *care_to;
  Bounds bounds = { 0, };
  gboolean own_transaction;
  gboolean ok;

  g_return_val_if_fail (SM_IS_STORE (store), NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (options->from != NULL && options->to != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  now = options->now ? g_date_time_ref (options->now) : g_date_time_new_now_utc ();
  care_to = g_date_time_compare (options->to, now) < 0 ? options->to : now;
  care_from = g_date_time_add_days (care_to, -(gint) options->care_days);

  bounds.grid_id = options->grid_id;
  bounds.target_seconds = options->response_target_seconds;
  bounds.from = format_utc (options->from);
  bounds.to = format_utc (options->to);
  bounds.now = format_utc (now);
  bounds.care_from = format_utc (care_from);
  bounds.care_to = format_utc (care_to);
  bounds.first_day = first_local_date_from (options->from);
  bounds.end_day = first_local_date_from (options->to);
  /* The window of moved_in + N days ends at the midnight starting day N + 1. */
  bounds.knock_end = g_strdup_printf ("+%u days", options->knock_days + 1);

  dashboard = g_new0 (SmDashboard, 1);
  dashboard->workers = g_ptr_array_new_with_free_func ((GDestroyNotify) dashboard_count_free);
  dashboard->categories = g_ptr_array_new_with_free_func ((GDestroyNotify) dashboard_count_free);
  dashboard->median_response_minutes = NAN;
  dashboard->p90_response_minutes = NAN;

  /* One read transaction (deferred: it takes no write lock), so the queries see
   * one state of the replica even while a sync writes through another connection. A
   * caller already inside a transaction has that one. */
  own_transaction = sqlite3_get_autocommit (sm_store_get_connection (store)) != 0;
  ok = !own_transaction || run (store, "BEGIN DEFERRED", error);
  if (ok)
    {
      ok = compute_households (store, &bounds, dashboard, error) &&
           compute_drop_ins (store, &bounds, dashboard, error) &&
           compute_visits (store, &bounds, dashboard, error) &&
           compute_demands (store, &bounds, dashboard, error) &&
           compute_overdue (store, &bounds, dashboard, error);
      /* Nothing was written: ending the read cannot lose anything. */
      if (own_transaction)
        ok = run (store, "COMMIT", ok ? error : NULL) && ok;
    }

  bounds_clear (&bounds);

  return ok ? g_steal_pointer (&dashboard) : NULL;
}

double
sm_dashboard_ratio (double numerator,
                    double denominator)
{
  return denominator != 0 ? numerator / denominator : NAN;
}

double
sm_dashboard_knock_rate (const SmDashboard *dashboard)
{
  g_return_val_if_fail (dashboard != NULL, NAN);

  return sm_dashboard_ratio (dashboard->new_knocked,
                             (double) dashboard->new_households - dashboard->new_pending);
}

double
sm_dashboard_care_rate (const SmDashboard *dashboard)
{
  g_return_val_if_fail (dashboard != NULL, NAN);

  return sm_dashboard_ratio (dashboard->difficulty_visited, dashboard->difficulty_households);
}

double
sm_dashboard_drop_ins_per_household (const SmDashboard *dashboard)
{
  g_return_val_if_fail (dashboard != NULL, NAN);

  return sm_dashboard_ratio (dashboard->drop_ins, dashboard->existing_households);
}

double
sm_dashboard_target_rate (const SmDashboard *dashboard)
{
  g_return_val_if_fail (dashboard != NULL, NAN);

  return sm_dashboard_ratio (dashboard->within_target, dashboard->demands);
}

double
sm_dashboard_resolution_rate (const SmDashboard *dashboard)
{
  g_return_val_if_fail (dashboard != NULL, NAN);

  return sm_dashboard_ratio (dashboard->resolved, dashboard->demands);
}

double
sm_dashboard_level_share (const SmDashboard *dashboard,
                          SmDashboardLevel   level)
{
  g_return_val_if_fail (dashboard != NULL, NAN);
  g_return_val_if_fail (level < SM_DASHBOARD_LEVEL_UNSET, NAN);

  return sm_dashboard_ratio (dashboard->by_level[level],
                             (double) dashboard->resolved - dashboard->by_level[SM_DASHBOARD_LEVEL_UNSET]);
}

double
sm_dashboard_satisfaction_rate (const SmDashboard *dashboard)
{
  g_return_val_if_fail (dashboard != NULL, NAN);

  return sm_dashboard_ratio ((double) dashboard->satisfied + dashboard->basic, dashboard->evaluated);
}

const char *
sm_dashboard_kind_name (SmDashboardKind kind)
{
  g_return_val_if_fail (kind < SM_DASHBOARD_N_KINDS, NULL);

  return kind_names[kind];
}

const char *
sm_dashboard_status_name (SmDashboardStatus status)
{
  g_return_val_if_fail (status < SM_DASHBOARD_N_STATUSES, NULL);

  return status_names[status];
}

const char *
sm_dashboard_level_name (SmDashboardLevel level)
{
  g_return_val_if_fail (level < SM_DASHBOARD_N_LEVELS, NULL);

  return level_names[level];
}
