/* sm-store-query.c — what the client asks of the replica: records, lists and search
 *
 * Lists are paged by the caller and leave out deleted records. Every query is cached as
 * a prepared statement by its text; values are always bound.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-store"

#include "sm-store-private.h"

#include <glib/gi18n-lib.h>

#include "sm-field-clocks.h"
#include "sm-record-private.h"
#include "sm-search-text.h"

/* The order of household lists: the columns of the household_natural_order index
 * (sm-store.c), so paging walks the index and never sorts. Units and rooms are text;
 * their numbers sort by value (101, 102, 1001), ties and non-numbers as text. */
#define HOUSEHOLD_ORDER \
  "x.grid_id, x.building_id, CAST(x.unit AS INTEGER), x.unit, CAST(x.room AS INTEGER), x.room"

/* How many matches of each search index are ranked; see sm_store_search(). */
#define SEARCH_CANDIDATES 500

SmRecord *
sm_store_record_from_row (sqlite3_stmt  *stmt,
                          const SmTable *table)
{
  /* rowid, id, fields…, _clocks */
  int clocks_col = 2 + (int) table->n_fields;
  g_autofree SmFieldClock *clocks = g_new0 (SmFieldClock, table->n_fields);
  SmRecord *record = sm_record_new (table, (const char *) sqlite3_column_text (stmt, 1));

  for (guint f = 0; f < table->n_fields; f++)
    sm_record_take_value (record, f, sm_store_column_value (stmt, 2 + (int) f, &table->fields[f]));

  /* A record whose clocks cannot be read still shows its values; the merge path is the
   * one that refuses to build on damaged clocks. */
  if (sm_field_clocks_decode (sqlite3_column_blob (stmt, clocks_col),
                              (gsize) sqlite3_column_bytes (stmt, clocks_col),
                              clocks, table->n_fields))
    for (guint f = 0; f < table->n_fields; f++)
      sm_record_set_clock (record, f, &clocks[f]);

  return record;
}

static const SmTable *
lookup_table (const char  *name,
              GError     **error)
{
  const SmTable *table = sm_schema_lookup_table (name);

  if (table == NULL)
    g_set_error (error, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_UNKNOWN_TABLE,
                 _("unknown table “%s”"), name);

  return table;
}

/* Ends a walk over @stmt's rows that stopped at @rc: resets the statement for the cache
 * and turns anything but the end of the rows into @error. */
static gboolean
finish_rows (SmStore       *self,
             sqlite3_stmt  *stmt,
             int            rc,
             GError       **error)
{
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return sm_store_set_sqlite_error (self, rc, error);

  return TRUE;
}

/* Runs a prepared, bound statement whose rows have the select_one shape. */
static GPtrArray *
collect_records (SmStore        *self,
                 sqlite3_stmt   *stmt,
                 const SmTable  *table,
                 GError        **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (records, sm_store_record_from_row (stmt, table));

  if (!finish_rows (self, stmt, rc, error))
    return NULL;

  return g_steal_pointer (&records);
}

/* Runs a prepared, bound statement of one text column: its values, in its order. */
static GStrv
collect_strv (SmStore        *self,
              sqlite3_stmt   *stmt,
              GError        **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));

  if (!finish_rows (self, stmt, rc, error))
    return NULL;

  return g_strv_builder_end (builder);
}

/* "SELECT rowid, <columns> FROM t AS x WHERE <where> ORDER BY <order> LIMIT ?9 OFFSET ?10",
 * built once per call site and then found in the statement cache by its text. */
static sqlite3_stmt *
prepare_list_with (SmStore        *self,
                   const SmTable  *table,
                   const char     *extra,
                   const char     *join,
                   const char     *where,
                   const char     *order,
                   GError        **error);

static sqlite3_stmt *
prepare_list (SmStore        *self,
              const SmTable  *table,
              const char     *where,
              const char     *order,
              GError        **error)
{
  return prepare_list_with (self, table, NULL, NULL, where, order, error);
}

/* prepare_list() with @extra (NULL for none) selected after the record's columns, where
 * sm_store_record_from_row() does not look: column 3 + n_fields is the first of them;
 * and @join (NULL for none) after "FROM t AS x". */
static sqlite3_stmt *
prepare_list_with (SmStore        *self,
                   const SmTable  *table,
                   const char     *extra,
                   const char     *join,
                   const char     *where,
                   const char     *order,
                   GError        **error)
{
  g_autofree char *columns = NULL;
  g_autofree char *sql = NULL;
  g_auto(GStrv) names = NULL;
  g_autoptr(GString) qualified = g_string_new ("x.rowid");

  columns = g_strdup (self->table_sql[table->index].columns);
  names = g_strsplit (columns, ", ", -1);
  for (guint i = 0; names[i] != NULL; i++)
    g_string_append_printf (qualified, ", x.%s", names[i]);
  if (extra != NULL)
    g_string_append_printf (qualified, ", %s", extra);

  sql = g_strdup_printf ("SELECT %s FROM \"%s\" AS x%s%s WHERE x._deleted IS NOT 1 AND (%s) ORDER BY %s LIMIT ?9 OFFSET ?10",
                         qualified->str, table->name, join ? " " : "", join ? join : "", where, order);

  return sm_store_prepare (self, sql, error);
}

static void
bind_page (sqlite3_stmt *stmt,
           guint         offset,
           guint         limit)
{
  sqlite3_bind_int64 (stmt, 9, limit > 0 ? (gint64) limit : -1);
  sqlite3_bind_int64 (stmt, 10, offset);
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           column,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, column, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, column);
}

/* prepare_list() with ?1 and ?2 bound to @first and @second (NULL binds NULL). @where
 * need not use them: LIMIT ?9 OFFSET ?10 makes ?1 and ?2 exist in every list statement. */
static sqlite3_stmt *
prepare_list_bound (SmStore        *self,
                    const SmTable  *table,
                    const char     *where,
                    const char     *order,
                    const char     *first,
                    const char     *second,
                    GError        **error)
{
  sqlite3_stmt *stmt = prepare_list (self, table, where, order, error);

  if (stmt != NULL)
    {
      bind_text_or_null (stmt, 1, first);
      bind_text_or_null (stmt, 2, second);
    }

  return stmt;
}

/* A page (@limit 0: to the end) of the live records of @table_name where @where holds,
 * with ?1 and ?2 as prepare_list_bound() binds them, in @order. */
static GPtrArray *
list_range (SmStore     *self,
            const char  *table_name,
            const char  *where,
            const char  *order,
            const char  *first,
            const char  *second,
            guint        offset,
            guint        limit,
            GError     **error)
{
  const SmTable *table = sm_schema_lookup_table (table_name);
  sqlite3_stmt *stmt;

  if (!(stmt = prepare_list_bound (self, table, where, order, first, second, error)))
    return NULL;

  bind_page (stmt, offset, limit);

  return collect_records (self, stmt, table, error);
}

/* Every live record of @table_name where @where holds with @param as ?1, in @order: the
 * shape of the lists that a household, a demand or a filter owns. */
static GPtrArray *
list_all (SmStore     *self,
          const char  *table_name,
          const char  *where,
          const char  *order,
          const char  *param,
          GError     **error)
{
  return list_range (self, table_name, where, order, param, NULL, 0, 0, error);
}

SmRecord *
sm_store_get (SmStore     *self,
              const char  *table_name,
              const char  *id,
              GError     **error)
{
  const SmTable *table;
  sqlite3_stmt *stmt;
  SmRecord *record = NULL;
  int rc;

  g_return_val_if_fail (SM_IS_STORE (self), NULL);
  g_return_val_if_fail (table_name != NULL && id != NULL, NULL);

  if (!(table = lookup_table (table_name, error)))
    return NULL;

  if (!(stmt = sm_store_prepare (self, self->table_sql[table->index].select_one, error)))
    return NULL;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    record = sm_store_record_from_row (stmt, table);
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, SM_STORE_ERROR, SM_STORE_ERROR_NOT_FOUND,
                 _("%s “%s” does not exist"), sm_table_get_label (table), id);
  else if (rc != SQLITE_ROW)
    sm_store_set_sqlite_error (self, rc, error);

  return record;
}

gint64
sm_store_count (SmStore     *self,
                const char  *table_name,
                GError     **error)
{
  const SmTable *table;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SM_IS_STORE (self), -1);

  if (!(table = lookup_table (table_name, error)))
    return -1;

  sql = g_strdup_printf ("SELECT count(*) FROM \"%s\" WHERE _deleted IS NOT 1", table->name);
  if (!(stmt = sm_store_prepare (self, sql, error)))
    return -1;

  return sm_store_step_count (self, stmt, error);
}

GPtrArray *
sm_store_list_grids (SmStore  *self,
                     GError  **error)
{
  g_return_val_if_fail (SM_IS_STORE (self), NULL);

  return list_all (self, "grid", "1", "x.name, x.id", NULL, error);
}

gint64
sm_store_count_households (SmStore     *self,
                           const char  *grid_id,
                           const char  *building_id,
                           GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SM_IS_STORE (self), -1);
  g_return_val_if_fail (grid_id != NULL, -1);

  /* The same rows as sm_store_list_households(), counted on household_natural_order: by
   * its first column, or its first two for a building (see there why two statements). */
  if (building_id == NULL)
    stmt = sm_store_prepare (self, "SELECT count(*) FROM household WHERE grid_id = ?1"
                                   " AND _deleted IS NOT 1", error);
  else
    stmt = sm_store_prepare (self, "SELECT count(*) FROM household WHERE grid_id = ?1"
                                   " AND building_id = ?2 AND _deleted IS NOT 1", error);
  if (stmt == NULL)
    return -1;
  bind_text_or_null (stmt, 1, grid_id);
  if (building_id != NULL)
    bind_text_or_null (stmt, 2, building_id);

  return sm_store_step_count (self, stmt, error);
}

GPtrArray *
sm_store_list_households (SmStore     *self,
                          const char  *grid_id,
                          const char  *building_id,
                          guint        offset,
                          guint        limit,
                          GError     **error)
{
  g_return_val_if_fail (SM_IS_STORE (self), NULL);
  g_return_val_if_fail (grid_id != NULL, NULL);

  /* Two statements, not one with "?2 IS NULL OR": SQLite plans a statement once, for any
   * binding, so that one walks the whole grid's part of household_natural_order and
   * filters it by building. A building's page is found by seeking both columns instead:
   * 0.1 ms rather than 2 ms for the last building of a 25,000-household grid. Either walks
   * the index in its order and never sorts (tests/test-store.c checks both plans). */
  return list_range (self, "household",
                     building_id == NULL ? "x.grid_id = ?1" : "x.grid_id = ?1 AND x.building_id = ?2",
                     HOUSEHOLD_ORDER, grid_id, building_id, offset, limit, error);
}

GPtrArray *
sm_store_list_compounds (SmStore     *self,
                         const char  *grid_id,
                         GError     **error)
{
  g_return_val_if_fail (SM_IS_STORE (self), NULL);

  return list_all (self, "compound", "?1 IS NULL OR x.grid_id = ?1", "x.name, x.id",
                   grid_id, error);
}

GPtrArray *
sm_store_list_buildings (SmStore     *self,
                         const char  *compound_id,
                         GError     **error)
{
  g_return_val_if_fail (SM_IS_STORE (self), NULL);
  g_return_val_if_fail (compound_id != NULL, NULL);

  /* Buildings are named "3栋", "10号楼": by their number first, as people count them. */
  return list_all (self, "building", "x.compound_id = ?1",
                   "CAST(x.name AS INTEGER), x.name, x.id", compound_id, error);
}

GPtrArray *
sm_store_list_credits (SmStore     *self,
                       const char  *household_id,
                       GError     **error)
{
  g_return_val_if_fail (SM_IS_STORE (self), NULL);
  g_return_val_if_fail (household_id != NULL, NULL);

  /* Residents who moved out keep their points: the history stays with the household
   * page they are shown on. */
  return list_all (self, "credit",
                   "x.resident_id IN (SELECT r.id FROM resident r WHERE r.household_id = ?1"
                   " AND r._deleted IS NOT 1)",
                   "x.at DESC, x.id DESC", household_id, error);
}

GPtrArray *
sm_store_list_residents (SmStore     *self,
                         const char  *household_id,
                         GError     **error)
{
  g_return_val_if_fail (SM_IS_STORE (self), NULL);
  g_return_val_if_fail (household_id != NULL, NULL);

  /* Those living there first (residents who moved out are kept, for the record), then
   * the head of household, then the eldest. */
  return list_all (self, "resident", "x.household_id = ?1",
                   "x.moved_out IS NOT NULL, x.relation IS NOT 'self', x.birth_date IS NULL,"
                   " x.birth_date, x.id", household_id, error);
}

GPtrArray *
sm_store_list_visits (SmStore     *self,
                      const char  *household_id,
                      GError     **error)
{
  g_return_val_if_fail (SM_IS_STORE (self), NULL);
  g_return_val_if_fail (household_id != NULL, NULL);

  return list_all (self, "visit", "x.household_id = ?1", "x.visited_at DESC, x.id DESC",
                   household_id, error);
}

GPtrArray *
sm_store_list_demands (SmStore     *self,
                       const char  *status,
                       const char  *grid_id,
                       guint        offset,
                       guint        limit,
                       GError     **error)
{
  g_return_val_if_fail (SM_IS_STORE (self), NULL);

  return list_range (self, "demand", "(?1 IS NULL OR x.status = ?1) AND (?2 IS NULL OR x.grid_id = ?2)",
                     "x.reported_at DESC, x.id", status, grid_id, offset, limit, error);
}

static int
compare_event_clocks (gconstpointer a,
                      gconstpointer b)
{
  const SmFieldClock *ca = sm_record_get_clock (*(SmRecord **) a, "action");
  const SmFieldClock *cb = sm_record_get_clock (*(SmRecord **) b, "action");

  return sm_merge_compare (ca->hlc, ca->site, cb->hlc, cb->site);
}

GPtrArray *
sm_store_list_demand_events (SmStore     *self,
                             const char  *demand_id,
                             GError     **error)
{
  GPtrArray *events;

  g_return_val_if_fail (SM_IS_STORE (self), NULL);
  g_return_val_if_fail (demand_id != NULL, NULL);

  if (!(events = list_all (self, "demand_event", "x.demand_id = ?1", "x.id", demand_id, error)))
    return NULL;

  /* (hlc, site) lives in the packed clocks, so this order is taken in C. */
  g_ptr_array_sort (events, compare_event_clocks);

  return events;
}

GHashTable *
sm_store_count_demands_by_status (SmStore     *self,
                                  const char  *grid_id,
                                  GError     **error)
{
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SM_IS_STORE (self), NULL);

  /* One walk of the demand_status_time index, grouped as it is ordered. */
  if (!(stmt = sm_store_prepare (self, "SELECT status, count(*) FROM demand WHERE _deleted IS NOT 1"
                                       " AND (?1 IS NULL OR grid_id = ?1) AND status IS NOT NULL"
                                       " GROUP BY status", error)))
    return NULL;
  bind_text_or_null (stmt, 1, grid_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (counts, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         GUINT_TO_POINTER ((guint) MIN (sqlite3_column_int64 (stmt, 1), G_MAXUINT)));

  if (!finish_rows (self, stmt, rc, error))
    return NULL;

  return g_steal_pointer (&counts);
}

GPtrArray *
sm_store_list_demands_in_status (SmStore     *self,
                                 const char  *status,
                                 const char  *grid_id,
                                 guint        offset,
                                 guint        limit,
                                 GError     **error)
{
  g_return_val_if_fail (SM_IS_STORE (self), NULL);
  g_return_val_if_fail (status != NULL, NULL);

  /* A required status and rowid as the tie-break: SQLite walks demand_status_time
   * backwards and never sorts, so any page of 25,000 demands costs the same. */
  return list_range (self, "demand", "x.status = ?1 AND (?2 IS NULL OR x.grid_id = ?2)",
                     "x.reported_at DESC, x.rowid DESC", status, grid_id, offset, limit, error);
}

GPtrArray *
sm_store_list_household_demands (SmStore     *self,
                                 const char  *household_id,
                                 GError     **error)
{
  g_return_val_if_fail (SM_IS_STORE (self), NULL);
  g_return_val_if_fail (household_id != NULL, NULL);

  return list_all (self, "demand", "x.household_id = ?1", "x.reported_at DESC, x.rowid DESC",
                   household_id, error);
}

GStrv
sm_store_list_demand_categories (SmStore  *self,
                                 guint     limit,
                                 GError  **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SM_IS_STORE (self), NULL);

  if (!(stmt = sm_store_prepare (self, "SELECT category FROM demand WHERE _deleted IS NOT 1"
                                       " AND category IS NOT NULL AND category != ''"
                                       " GROUP BY category ORDER BY count(*) DESC, category LIMIT ?1",
                                 error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit > 0 ? (gint64) limit : -1);

  return collect_strv (self, stmt, error);
}

/* Any difficulty tag of the household, from the schema, so a new tag needs no SQL. */
static char *
difficulty_condition (void)
{
  const SmTable *table = sm_schema_lookup_table ("household");
  g_autoptr(GString) sql = g_string_new ("0");

  for (guint f = 0; f < table->n_fields; f++)
    if (table->fields[f].flags & SM_FIELD_FLAG_TAG)
      g_string_append_printf (sql, " OR x.%s = 1", table->fields[f].name);

  return g_string_free (g_steal_pointer (&sql), FALSE);
}

static char *
format_utc (GDateTime  *time,
            const char *format)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, format);
}

/* Runs a prepared, bound statement of the select_one shape with no LIMIT of its own: the
 * first @limit rows become records (all of them for 0), and *@out_total counts every row.
 * One pass, so a list and its count cost one query. */
static GPtrArray *
collect_records_counted (SmStore        *self,
                         sqlite3_stmt   *stmt,
                         const SmTable  *table,
                         guint           limit,
                         guint          *out_total,
                         GError        **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  guint total = 0;
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (limit == 0 || records->len < limit)
        g_ptr_array_add (records, sm_store_record_from_row (stmt, table));
      total++;
    }

  if (!finish_rows (self, stmt, rc, error))
    return NULL;

  if (out_total != NULL)
    *out_total = total;

  return g_steal_pointer (&records);
}

/* Lists @limit records, or counts them all too when @out_total is wanted. */
static GPtrArray *
collect_page (SmStore        *self,
              sqlite3_stmt   *stmt,
              const SmTable  *table,
              guint           limit,
              guint          *out_total,
              GError        **error)
{
  if (out_total == NULL)
    {
      bind_page (stmt, 0, limit);
      return collect_records (self, stmt, table, error);
    }

  bind_page (stmt, 0, 0);
  return collect_records_counted (self, stmt, table, limit, out_total, error);
}

/* collect_page() of the live records of @table_name where @where holds, with ?1 and ?2
 * as prepare_list_bound() binds them, in @order: the shape of the 今日 lists. */
static GPtrArray *
list_counted (SmStore     *self,
              const char  *table_name,
              const char  *where,
              const char  *order,
              const char  *first,
              const char  *second,
              guint        limit,
              guint       *out_total,
              GError     **error)
{
  const SmTable *table = sm_schema_lookup_table (table_name);
  sqlite3_stmt *stmt;

  if (!(stmt = prepare_list_bound (self, table, where, order, first, second, error)))
    return NULL;

  return collect_page (self, stmt, table, limit, out_total, error);
}

/* The user's calendar date @days_before @now, as the YYYY-MM-DD the store's dates use:
 * dates are typed and read in local time, so "today" is the local day, not UTC's. */
static char *
local_date (GDateTime *now,
            guint      days_before)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (now);
  g_autoptr(GDateTime) then = g_date_time_add_days (local, -(gint) days_before);

  return g_date_time_format (then, "%Y-%m-%d");
}

GPtrArray *
sm_store_list_difficulty_unvisited (SmStore     *self,
                                    const char  *grid_id,
                                    guint        days,
                                    GDateTime   *now,
                                    guint        limit,
                                    guint       *out_total,
                                    GError     **error)
{
  g_autoptr(GDateTime) since = NULL;
  g_autofree char *since_text = NULL;
  g_autofree char *tags = difficulty_condition ();
  g_autofree char *where = NULL;

  g_return_val_if_fail (SM_IS_STORE (self), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  since = g_date_time_add_days (now, -(gint) days);
  since_text = format_utc (since, "%Y-%m-%dT%H:%M:%SZ");

  /* Only a visit where someone was met counts: a closed door is a reason to go back. */
  where = g_strdup_printf ("(?1 IS NULL OR x.grid_id = ?1) AND (%s) AND NOT EXISTS ("
                           "SELECT 1 FROM visit v WHERE v.household_id = x.id AND v._deleted IS NOT 1"
                           " AND v.outcome = 'met' AND v.visited_at >= ?2)", tags);

  return list_counted (self, "household", where, HOUSEHOLD_ORDER,
                       grid_id, since_text, limit, out_total, error);
}

GPtrArray *
sm_store_list_new_not_knocked (SmStore     *self,
                               const char  *grid_id,
                               guint        days,
                               GDateTime   *now,
                               guint        limit,
                               guint       *out_total,
                               GError     **error)
{
  g_autofree char *cutoff_text = NULL;

  g_return_val_if_fail (SM_IS_STORE (self), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  cutoff_text = local_date (now, days);

  /* moved_in is a local date and visited_at a UTC time: a knock at 07:30 in Beijing on the
   * moving-in day is the day before in UTC, so compare the local date of the visit.
   * SQLite's 'localtime' is the process's time zone, the one GLib's local time uses. */
  return list_counted (self, "household",
                       "(?1 IS NULL OR x.grid_id = ?1) AND x.tenure = 'new'"
                       " AND x.moved_in IS NOT NULL AND x.moved_in <= ?2 AND NOT EXISTS ("
                       "SELECT 1 FROM visit v WHERE v.household_id = x.id AND v._deleted IS NOT 1"
                       " AND v.kind = 'knock' AND v.outcome = 'met'"
                       " AND date(v.visited_at, 'localtime') >= x.moved_in)",
                       "x.moved_in, x.id", grid_id, cutoff_text, limit, out_total, error);
}

GPtrArray *
sm_store_list_follow_ups_due (SmStore     *self,
                              const char  *grid_id,
                              GDateTime   *now,
                              guint        limit,
                              guint       *out_total,
                              GError     **error)
{
  g_autofree char *today = NULL;

  g_return_val_if_fail (SM_IS_STORE (self), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  today = local_date (now, 0);

  /* Any later visit answers a follow-up, whatever its outcome: one that found nobody at
   * home asks for its own. (visited_at, id) orders two visits of the same second; the
   * ">=" lets visit_household_time seek to the visit instead of reading the household's
   * whole history. */
  return list_counted (self, "visit",
                       "(?1 IS NULL OR x.grid_id = ?1) AND x.follow_up_on <= ?2"
                       " AND NOT EXISTS (SELECT 1 FROM visit w WHERE w.household_id = x.household_id"
                       " AND w._deleted IS NOT 1 AND w.visited_at >= x.visited_at"
                       " AND (w.visited_at > x.visited_at OR w.id > x.id))"
                       " AND EXISTS (SELECT 1 FROM household h WHERE h.id = x.household_id"
                       " AND h._deleted IS NOT 1)",
                       "x.follow_up_on, x.visited_at, x.id",
                       grid_id, today, limit, out_total, error);
}

GPtrArray *
sm_store_list_demands_awaiting_response (SmStore     *self,
                                         const char  *grid_id,
                                         guint        limit,
                                         guint       *out_total,
                                         GError     **error)
{
  g_return_val_if_fail (SM_IS_STORE (self), NULL);

  /* responded_at is derived with the status (sm-demand-status): set by the first accept,
   * handle, escalate or resolve. Without one a demand is still reported, or supervised
   * (督办) because nobody answered; the IN lets the status index find both. */
  return list_counted (self, "demand",
                       "(?1 IS NULL OR x.grid_id = ?1) AND x.status IN ('reported', 'supervising')"
                       " AND x.responded_at IS NULL",
                       "x.reported_at, x.id", grid_id, NULL, limit, out_total, error);
}

char *
sm_store_dup_last_met_visit_at (SmStore     *self,
                                const char  *household_id,
                                GError     **error)
{
  sqlite3_stmt *stmt;
  char *at = NULL;
  int rc;

  g_return_val_if_fail (SM_IS_STORE (self), NULL);
  g_return_val_if_fail (household_id != NULL, NULL);

  /* max() over visit_household_time: the last entry of the household's range. */
  if (!(stmt = sm_store_prepare (self, "SELECT max(visited_at) FROM visit WHERE household_id = ?1"
                                       " AND _deleted IS NOT 1 AND outcome = 'met'", error)))
    return NULL;
  bind_text_or_null (stmt, 1, household_id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    at = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else
    sm_store_set_sqlite_error (self, rc, error);
  sqlite3_reset (stmt);

  return at;
}

/* ---------------------------------------------------------------- 三项清单 */

GPtrArray *
sm_store_list_resources (SmStore     *self,
                         const char  *category,
                         gboolean     active_only,
                         GError     **error)
{
  const SmTable *table = sm_schema_lookup_table ("resource");
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SM_IS_STORE (self), NULL);

  /* A community's partner units number in the tens or hundreds, not in the thousands of
   * households: no index of their own, a sort of the few there are. */
  if (!(stmt = prepare_list (self, table,
                             "(?1 IS NULL OR x.category = ?1) AND (?2 = 0 OR x.active IS NOT 0)",
                             "x.category, x.provider, x.name, x.id", error)))
    return NULL;

  bind_text_or_null (stmt, 1, category);
  sqlite3_bind_int (stmt, 2, active_only ? 1 : 0);
  bind_page (stmt, 0, 0);

  return collect_records (self, stmt, table, error);
}

GPtrArray *
sm_store_list_resources_for_category (SmStore     *self,
                                      const char  *category,
                                      GError     **error)
{
  g_return_val_if_fail (SM_IS_STORE (self), NULL);

  return list_all (self, "resource", "x.active IS NOT 0",
                   "x.category IS NOT ?1, x.category, x.provider, x.name, x.id", category, error);
}

GStrv
sm_store_list_resource_categories (SmStore  *self,
                                   GError  **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SM_IS_STORE (self), NULL);

  if (!(stmt = sm_store_prepare (self, "SELECT DISTINCT category FROM resource WHERE _deleted IS NOT 1"
                                       " AND category IS NOT NULL AND category != '' ORDER BY category",
                                 error)))
    return NULL;

  return collect_strv (self, stmt, error);
}

GPtrArray *
sm_store_list_open_demands (SmStore     *self,
                            const char  *grid_id,
                            guint        offset,
                            guint        limit,
                            GArray     **out_claim_counts,
                            GError     **error)
{
  const SmTable *table = sm_schema_lookup_table ("demand");
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) counts = g_array_new (FALSE, FALSE, sizeof (guint));
  sqlite3_stmt *stmt;
  int count_col = 3 + (int) table->n_fields;
  int rc;

  g_return_val_if_fail (SM_IS_STORE (self), NULL);

  /* The open statuses walk demand_status_time backwards, one range each, so no page is
   * ever sorted however many demands there are; backwards is also the order of urgency:
   * 督办 (supervising), then 发现 (reported, nobody responded), 处置, 响应. The claims are
   * counted through claim's demand_id index; cancelled ones are not claims any more. */
  if (!(stmt = prepare_list_with (self, table,
                                  "(SELECT count(*) FROM claim AS c WHERE c.demand_id = x.id"
                                  " AND c._deleted IS NOT 1 AND c.status IS NOT 'cancelled')",
                                  NULL,
                                  "x.status IN ('reported', 'accepted', 'handling', 'supervising')"
                                  " AND (?2 IS NULL OR x.grid_id = ?2)",
                                  "x.status DESC, x.reported_at DESC", error)))
    return NULL;

  bind_text_or_null (stmt, 2, grid_id);
  bind_page (stmt, offset, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint n = (guint) CLAMP (sqlite3_column_int64 (stmt, count_col), 0, G_MAXUINT);

      g_ptr_array_add (records, sm_store_record_from_row (stmt, table));
      g_array_append_val (counts, n);
    }

  if (!finish_rows (self, stmt, rc, error))
    return NULL;

  if (out_claim_counts != NULL)
    *out_claim_counts = g_steal_pointer (&counts);

  return g_steal_pointer (&records);
}

GPtrArray *
sm_store_list_demand_claims (SmStore     *self,
                             const char  *demand_id,
                             GError     **error)
{
  g_return_val_if_fail (SM_IS_STORE (self), NULL);
  g_return_val_if_fail (demand_id != NULL, NULL);

  return list_all (self, "claim", "x.demand_id = ?1", "x.claimed_at, x.id", demand_id, error);
}

GPtrArray *
sm_store_list_open_claims (SmStore     *self,
                           const char  *grid_id,
                           guint        offset,
                           guint        limit,
                           GError     **error)
{
  const SmTable *table = sm_schema_lookup_table ("claim");
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SM_IS_STORE (self), NULL);

  /* The open demands as the 需求清单 walks them (demand_status_time backwards), and each
   * one's claims through claim_demand_id: no sort at any size. A claim of a settled
   * demand is closed with it (sm-claim-row), so it is not here whatever it says. */
  if (!(stmt = prepare_list_with (self, table, NULL,
                                  "JOIN demand AS d ON d.id = x.demand_id AND d._deleted IS NOT 1",
                                  "d.status IN ('reported', 'accepted', 'handling', 'supervising')"
                                  " AND (x.status IS NULL OR x.status IN ('claimed', 'in_progress'))"
                                  " AND (?2 IS NULL OR d.grid_id = ?2)",
                                  "d.status DESC, d.reported_at DESC", error)))
    return NULL;

  bind_text_or_null (stmt, 2, grid_id);
  bind_page (stmt, offset, limit);

  return collect_records (self, stmt, table, error);
}

void
sm_search_hit_free (SmSearchHit *hit)
{
  if (hit == NULL)
    return;

  g_free (hit->id);
  g_free (hit->household_id);
  g_free (hit->title);
  g_free (hit->detail);
  g_free (hit);
}

GPtrArray *
sm_store_search (SmStore     *self,
                 const char  *query,
                 guint        limit,
                 GError     **error)
{
  /* bm25 is computed for at most SEARCH_CANDIDATES matches of each index before the
   * joins: a 2-letter query can match a tenth of a big community, and ranking all of them
   * would cost tens of milliseconds per keystroke. Ranking is exact whenever a query
   * matches fewer records than that, which is every query precise enough to be useful. */
  static const char *sql =
    "SELECT * FROM ("
    " SELECT 0, r.id, r.household_id, r.name, h.address, s.score"
    " FROM (SELECT rid, score FROM (SELECT rowid AS rid, bm25(resident_search) AS score"
    "       FROM resident_search WHERE resident_search MATCH ?1 LIMIT ?3) ORDER BY score LIMIT ?2) AS s"
    " JOIN resident r ON r.rowid = s.rid"
    " LEFT JOIN household h ON h.id = r.household_id"
    " WHERE r._deleted IS NOT 1"
    " UNION ALL"
    " SELECT 1, h.id, h.id, h.address, h.phone, s.score"
    " FROM (SELECT rid, score FROM (SELECT rowid AS rid, bm25(household_search) AS score"
    "       FROM household_search WHERE household_search MATCH ?1 LIMIT ?3) ORDER BY score LIMIT ?2) AS s"
    " JOIN household h ON h.rowid = s.rid"
    " WHERE h._deleted IS NOT 1"
    ") ORDER BY 6 LIMIT ?2";
  const SmTable *resident = sm_schema_lookup_table ("resident");
  const SmTable *household = sm_schema_lookup_table ("household");
  const SmField *phone = sm_table_lookup_field (household, "phone");
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func ((GDestroyNotify) sm_search_hit_free);
  g_autofree char *match = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SM_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  if (!(match = sm_search_text_query (query)))
    return g_steal_pointer (&hits);

  if (!(stmt = sm_store_prepare (self, sql, error)))
    return NULL;

  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? limit : 50);
  sqlite3_bind_int64 (stmt, 3, SEARCH_CANDIDATES);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SmSearchHit *hit = g_new0 (SmSearchHit, 1);
      const char *detail = (const char *) sqlite3_column_text (stmt, 4);

      hit->table = sqlite3_column_int (stmt, 0) == 0 ? resident : household;
      hit->id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      hit->household_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      hit->title = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      /* Never show a phone number in full in a list. */
      hit->detail = hit->table == household ? sm_field_mask_value (phone, detail) : g_strdup (detail);
      hit->rank = sqlite3_column_double (stmt, 5);
      g_ptr_array_add (hits, hit);
    }

  if (!finish_rows (self, stmt, rc, error))
    return NULL;

  return g_steal_pointer (&hits);
}
