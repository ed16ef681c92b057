/* sm-report-export.c — the monthly visit report and the demand ledger, as CSV and XLSX
 *
 * The tables are built first (SmReportTable: translated header, column types, text
 * cells), then written by one of two small writers, so the CSV and the XLSX of a month
 * hold the same cells. Queries read the replica's typed tables directly with bound
 * month bounds; timestamps are stored canonical UTC, so a month is a text range.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-report"

#include "sm-report-export.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <xlsxwriter.h>

#include "sm-demand-status.h"
#include "sm-validate.h"

G_DEFINE_QUARK (sm-report-error-quark, sm_report_error)

/* China Standard Time: the community's calendar. */
#define REPORT_TIME_ZONE "+08:00"

/* ---------------------------------------------------------------- tables */

void
sm_report_table_free (SmReportTable *table)
{
  if (table == NULL)
    return;

  g_free (table->title);
  g_clear_pointer (&table->header, g_ptr_array_unref);
  g_clear_pointer (&table->types, g_array_unref);
  g_clear_pointer (&table->rows, g_ptr_array_unref);
  g_free (table);
}

void
sm_report_options_init (SmReportOptions *options,
                        const char      *month)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->month = month;
  options->kinds = SM_REPORT_ALL;
}

/* @first_column, type, …, NULL: the header and column types of a new table. */
static SmReportTable *
table_new (const char *title,
           const char *first_column,
           ...)
{
  SmReportTable *table = g_new0 (SmReportTable, 1);
  const char *column = first_column;
  va_list args;

  table->title = g_strdup (title);
  table->header = g_ptr_array_new_with_free_func (g_free);
  table->types = g_array_new (FALSE, FALSE, sizeof (SmReportColumnType));
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

  va_start (args, first_column);
  while (column != NULL)
    {
      SmReportColumnType type = va_arg (args, SmReportColumnType);

      g_ptr_array_add (table->header, g_strdup (column));
      g_array_append_val (table->types, type);
      column = va_arg (args, const char *);
    }
  va_end (args);

  return table;
}

static GPtrArray *
table_add_row (SmReportTable *table)
{
  GPtrArray *row = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (table->rows, row);
  return row;
}

static void
add_number (GPtrArray *row,
            gint64     value)
{
  g_ptr_array_add (row, g_strdup_printf ("%" G_GINT64_FORMAT, value));
}

/* ---------------------------------------------------------------- values */

gboolean
sm_report_month_bounds (const char  *month,
                        char       **out_start,
                        char       **out_end,
                        GError     **error)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (REPORT_TIME_ZONE);
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GDateTime) start_utc = NULL;
  g_autoptr(GDateTime) end_utc = NULL;
  guint year = 0, number = 0;
  gboolean valid;

  g_return_val_if_fail (month != NULL, FALSE);

  valid = strlen (month) == 7 && month[4] == '-';
  for (guint i = 0; valid && i < 7; i++)
    if (i != 4)
      valid = g_ascii_isdigit (month[i]);
  if (valid)
    {
      year = (guint) g_ascii_strtoull (month, NULL, 10);
      number = (guint) g_ascii_strtoull (month + 5, NULL, 10);
      valid = year >= 1900 && year <= 9998 && number >= 1 && number <= 12;
    }

  if (!valid)
    {
      g_set_error (error, SM_REPORT_ERROR, SM_REPORT_ERROR_BAD_MONTH,
                   /* Translators: %s is what was given; keep YYYY-MM as it is */
                   _("“%s” is not a month of the form YYYY-MM, e.g. 2026-11"), month);
      return FALSE;
    }

  start = g_date_time_new (zone, (int) year, (int) number, 1, 0, 0, 0);
  end = g_date_time_add_months (start, 1);
  start_utc = g_date_time_to_utc (start);
  end_utc = g_date_time_to_utc (end);

  if (out_start != NULL)
    *out_start = g_date_time_format (start_utc, "%Y-%m-%dT%H:%M:%SZ");
  if (out_end != NULL)
    *out_end = g_date_time_format (end_utc, "%Y-%m-%dT%H:%M:%SZ");

  return TRUE;
}

/* A stored UTC timestamp as the office reads it: "2026-11-03 09:30" in China time. */
static char *
local_time (const char *stamp)
{
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (stamp == NULL || !(utc = g_date_time_new_from_iso8601 (stamp, NULL)))
    return NULL;

  zone = g_time_zone_new_identifier (REPORT_TIME_ZONE);
  local = g_date_time_to_timezone (utc, zone);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static gboolean
mask_cb (const GMatchInfo *match,
         GString          *result,
         gpointer          user_data)
{
  g_autofree char *number = g_match_info_fetch (match, 0);
  g_autofree char *masked = sm_validate_mask (number);

  g_string_append (result, masked);
  return FALSE;
}

/* Free text can hold what people typed into it, phone and ID numbers included. */
static char *
mask_free_text (const char *text)
{
  static GRegex *numbers;

  if (text == NULL)
    return NULL;

  if (g_once_init_enter (&numbers))
    {
      /* An ID number (17 digits and a check character) or a mainland mobile, not part
       * of a longer run of digits. */
      GRegex *regex = g_regex_new ("(?<![0-9])(?:[0-9]{17}[0-9Xx]|1[3-9][0-9]{9})(?![0-9])",
                                   G_REGEX_OPTIMIZE, 0, NULL);

      g_once_init_leave (&numbers, regex);
    }

  return g_regex_replace_eval (numbers, text, -1, 0, 0, mask_cb, NULL, NULL);
}

static const char *
enum_label (const char *table,
            const char *field,
            const char *value)
{
  if (value == NULL)
    return NULL;

  return sm_field_get_enum_label (sm_table_lookup_field (sm_schema_lookup_table (table), field), value);
}

static const char *
field_label (const char *table,
             const char *field)
{
  return sm_field_get_label (sm_table_lookup_field (sm_schema_lookup_table (table), field));
}

static gboolean
sqlite_failed (int      rc,
               GError **error)
{
  g_set_error (error, SM_STORE_ERROR, SM_STORE_ERROR_FAILED,
               _("Cannot read the local database: %s"), sqlite3_errstr (rc));
  return FALSE;
}

/* Ends a walk over @stmt's rows that stopped at @rc: resets the statement for the store's
 * cache and turns anything but the end of the rows into @error. */
static gboolean
finish_rows (sqlite3_stmt  *stmt,
             int            rc,
             GError       **error)
{
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return sqlite_failed (rc, error);

  return TRUE;
}

/* Prepares one of the report's queries over a period: ?1 and ?2 are its UTC bounds,
 * ?3 the grid (left NULL for the community). */
static sqlite3_stmt *
prepare_period (SmStore                *store,
                const char             *sql,
                const SmReportOptions  *options,
                const char             *start,
                const char             *end,
                GError                **error)
{
  sqlite3_stmt *stmt = sm_store_prepare (store, sql, error);

  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, start, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, end, -1, SQLITE_STATIC);
      if (options->grid_id != NULL)
        sqlite3_bind_text (stmt, 3, options->grid_id, -1, SQLITE_STATIC);
    }

  return stmt;
}

#define COL_TEXT(stmt, i) ((const char *) sqlite3_column_text (stmt, i))

/* ---------------------------------------------------------------- visits */

static const char * const visit_kinds[] = { "knock", "drop_in", "care" };
static const char * const outcomes[] = { "met", "not_home", "declined" };

typedef struct {
  char       *worker;
  guint       kinds[G_N_ELEMENTS (visit_kinds)];
  guint       outcomes[G_N_ELEMENTS (outcomes)];
  guint       total;
  GHashTable *households;   /* of household ids; NULL in the total row */
} WorkerCount;

static void
worker_count_free (WorkerCount *count)
{
  g_free (count->worker);
  g_hash_table_unref (count->households);
  g_free (count);
}

typedef struct {
  guint  kinds[G_N_ELEMENTS (visit_kinds)];
  guint  total;
  char  *last;
} HouseholdCount;

static void
household_count_free (HouseholdCount *count)
{
  g_free (count->last);
  g_free (count);
}

static int
index_of (const char * const *values,
          guint               n,
          const char         *value)
{
  for (guint i = 0; value != NULL && i < n; i++)
    if (g_str_equal (values[i], value))
      return (int) i;

  return -1;
}

static gint
worker_compare (gconstpointer a,
                gconstpointer b)
{
  const WorkerCount *x = *(WorkerCount **) a, *y = *(WorkerCount **) b;

  return g_utf8_collate (x->worker, y->worker);
}

static gboolean
build_visits (SmStore                *store,
              const SmReportOptions  *options,
              const char             *start,
              const char             *end,
              GPtrArray              *tables,
              GError                **error)
{
  static const char *visits_sql =
    "SELECT worker_id, kind, outcome, household_id, visited_at FROM visit"
    " WHERE visited_at >= ?1 AND visited_at < ?2 AND _deleted IS NOT 1"
    " AND (?3 IS NULL OR grid_id = ?3)";
  g_autoptr(GHashTable) workers = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         (GDestroyNotify) worker_count_free);
  g_autoptr(GHashTable) households = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            (GDestroyNotify) household_count_free);
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  g_autoptr(GString) tags_sql = g_string_new (NULL);
  g_autofree char *households_sql = NULL;
  const SmTable *household_table = sm_schema_lookup_table ("household");
  SmReportTable *by_worker, *by_household;
  WorkerCount total = { 0, };
  GHashTableIter iter;
  gpointer value;
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = prepare_period (store, visits_sql, options, start, end, error)))
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *worker_id = COL_TEXT (stmt, 0) ? COL_TEXT (stmt, 0) : "";
      const char *name = options->worker_names ? g_hash_table_lookup (options->worker_names, worker_id) : NULL;
      int kind = index_of (visit_kinds, G_N_ELEMENTS (visit_kinds), COL_TEXT (stmt, 1));
      int outcome = index_of (outcomes, G_N_ELEMENTS (outcomes), COL_TEXT (stmt, 2));
      const char *household_id = COL_TEXT (stmt, 3);
      const char *at = COL_TEXT (stmt, 4);
      g_autofree char *shown = name ? g_strdup_printf ("%s (%s)", name, worker_id) : g_strdup (worker_id);
      WorkerCount *count = g_hash_table_lookup (workers, shown);
      HouseholdCount *per_household;

      if (count == NULL)
        {
          count = g_new0 (WorkerCount, 1);
          count->worker = g_steal_pointer (&shown);
          count->households = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          g_hash_table_insert (workers, count->worker, count);
        }

      count->total++;
      total.total++;
      if (kind >= 0)
        count->kinds[kind]++, total.kinds[kind]++;
      if (outcome >= 0)
        count->outcomes[outcome]++, total.outcomes[outcome]++;
      if (household_id == NULL)
        continue;

      g_hash_table_add (count->households, g_strdup (household_id));
      if (!(per_household = g_hash_table_lookup (households, household_id)))
        {
          per_household = g_new0 (HouseholdCount, 1);
          g_hash_table_insert (households, g_strdup (household_id), per_household);
        }
      per_household->total++;
      if (kind >= 0)
        per_household->kinds[kind]++;
      if (at != NULL && g_strcmp0 (at, per_household->last) > 0)
        {
          g_free (per_household->last);
          per_household->last = g_strdup (at);
        }
    }

  if (!finish_rows (stmt, rc, error))
    return FALSE;

  /* Visits by grid worker. */
  by_worker = table_new (_("Visits by grid worker"),
                         _("Grid worker"), SM_REPORT_COLUMN_TEXT,
                         enum_label ("visit", "kind", "knock"), SM_REPORT_COLUMN_NUMBER,
                         enum_label ("visit", "kind", "drop_in"), SM_REPORT_COLUMN_NUMBER,
                         enum_label ("visit", "kind", "care"), SM_REPORT_COLUMN_NUMBER,
                         _("Total visits"), SM_REPORT_COLUMN_NUMBER,
                         _("Households visited"), SM_REPORT_COLUMN_NUMBER,
                         enum_label ("visit", "outcome", "met"), SM_REPORT_COLUMN_NUMBER,
                         enum_label ("visit", "outcome", "not_home"), SM_REPORT_COLUMN_NUMBER,
                         enum_label ("visit", "outcome", "declined"), SM_REPORT_COLUMN_NUMBER,
                         NULL);
  g_ptr_array_add (tables, by_worker);

  g_hash_table_iter_init (&iter, workers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (sorted, value);
  g_ptr_array_sort (sorted, worker_compare);

  for (guint i = 0; i <= sorted->len; i++)
    {
      WorkerCount *count = i < sorted->len ? g_ptr_array_index (sorted, i) : &total;
      GPtrArray *row = table_add_row (by_worker);

      g_ptr_array_add (row, g_strdup (i < sorted->len ? count->worker : _("Total")));
      for (guint k = 0; k < G_N_ELEMENTS (visit_kinds); k++)
        add_number (row, count->kinds[k]);
      add_number (row, count->total);
      if (count == &total)
        add_number (row, g_hash_table_size (households));
      else
        add_number (row, g_hash_table_size (count->households));
      for (guint o = 0; o < G_N_ELEMENTS (outcomes); o++)
        add_number (row, count->outcomes[o]);
    }

  /* Visits by household: every household, so the ones not visited show as zeros. */
  by_household = table_new (_("Visits by household"),
                            field_label ("household", "grid_id"), SM_REPORT_COLUMN_TEXT,
                            field_label ("household", "address"), SM_REPORT_COLUMN_TEXT,
                            field_label ("household", "tenure"), SM_REPORT_COLUMN_TEXT,
                            _("In difficulty"), SM_REPORT_COLUMN_TEXT,
                            enum_label ("visit", "kind", "knock"), SM_REPORT_COLUMN_NUMBER,
                            enum_label ("visit", "kind", "drop_in"), SM_REPORT_COLUMN_NUMBER,
                            enum_label ("visit", "kind", "care"), SM_REPORT_COLUMN_NUMBER,
                            _("Total visits"), SM_REPORT_COLUMN_NUMBER,
                            _("Last visit"), SM_REPORT_COLUMN_TEXT,
                            NULL);
  g_ptr_array_add (tables, by_household);

  for (guint f = 0; f < household_table->n_fields; f++)
    if (household_table->fields[f].flags & SM_FIELD_FLAG_TAG)
      g_string_append_printf (tags_sql, " OR h.\"%s\" = 1", household_table->fields[f].name);
  households_sql = g_strdup_printf ("SELECT h.id, coalesce(g.name, h.grid_id), h.address, h.tenure, (0%s)"
                                    " FROM household h LEFT JOIN grid g ON g.id = h.grid_id"
                                    " WHERE h._deleted IS NOT 1 AND (?1 IS NULL OR h.grid_id = ?1)"
                                    " ORDER BY h.grid_id, h.address, h.id", tags_sql->str);
  if (!(stmt = sm_store_prepare (store, households_sql, error)))
    return FALSE;
  if (options->grid_id != NULL)
    sqlite3_bind_text (stmt, 1, options->grid_id, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HouseholdCount *count = g_hash_table_lookup (households, COL_TEXT (stmt, 0));
      GPtrArray *row = table_add_row (by_household);

      g_ptr_array_add (row, g_strdup (COL_TEXT (stmt, 1)));
      g_ptr_array_add (row, mask_free_text (COL_TEXT (stmt, 2)));
      g_ptr_array_add (row, g_strdup (enum_label ("household", "tenure", COL_TEXT (stmt, 3))));
      /* Translators: whether a household is in difficulty (困难群众), in a report cell */
      g_ptr_array_add (row, g_strdup (sqlite3_column_int (stmt, 4) ? _("Yes") : _("No")));
      for (guint k = 0; k < G_N_ELEMENTS (visit_kinds); k++)
        add_number (row, count ? count->kinds[k] : 0);
      add_number (row, count ? count->total : 0);
      g_ptr_array_add (row, count ? local_time (count->last) : NULL);
    }

  return finish_rows (stmt, rc, error);
}

/* ---------------------------------------------------------------- demands */

typedef struct {
  char *resolved_at;
  char *satisfaction;
} DemandOutcome;

/* Replays the events as the store derives the status: the time of the resolution that
 * stands, and the evaluation that stands. */
static gboolean
demand_outcome (SmStore        *store,
                const char     *demand_id,
                DemandOutcome  *outcome,
                GError        **error)
{
  g_autoptr(GPtrArray) events = sm_store_list_demand_events (store, demand_id, error);
  const char *status = "reported";

  if (events == NULL)
    return FALSE;

  for (guint i = 0; i < events->len; i++)
    {
      SmRecord *event = g_ptr_array_index (events, i);
      const char *action = sm_record_get_string (event, "action");
      const char *satisfaction = sm_record_get_string (event, "satisfaction");
      const char *next = sm_demand_status_transition (status, action, satisfaction);

      if (next == NULL)
        continue;
      if (g_str_equal (next, "resolved"))
        {
          g_free (outcome->resolved_at);
          outcome->resolved_at = g_strdup (sm_record_get_string (event, "at"));
          g_clear_pointer (&outcome->satisfaction, g_free);
        }
      else if (g_str_equal (action, "evaluate"))
        {
          g_free (outcome->satisfaction);
          outcome->satisfaction = g_strdup (satisfaction);
        }
      else if (g_str_equal (action, "reopen"))
        {
          g_clear_pointer (&outcome->resolved_at, g_free);
          g_clear_pointer (&outcome->satisfaction, g_free);
        }
      status = next;
    }

  /* An "unsatisfied" evaluation reopens the demand: it is not resolved any more, but the
   * resident's verdict stays in the ledger. */
  if (!g_str_equal (status, "resolved") && !g_str_equal (status, "evaluated"))
    g_clear_pointer (&outcome->resolved_at, g_free);

  return TRUE;
}

static gboolean
build_demands (SmStore                *store,
               const SmReportOptions  *options,
               const char             *start,
               const char             *end,
               GPtrArray              *tables,
               GError                **error)
{
  static const char *demands_sql =
    "SELECT d.id, d.reported_at, h.address, d.category, d.title, d.level, d.status, d.responded_at"
    " FROM demand d LEFT JOIN household h ON h.id = d.household_id"
    " WHERE d.reported_at >= ?1 AND d.reported_at < ?2 AND d._deleted IS NOT 1"
    " AND (?3 IS NULL OR d.grid_id = ?3)"
    " ORDER BY d.reported_at, d.id";
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  SmReportTable *ledger;
  sqlite3_stmt *stmt;
  int rc;

  ledger = table_new (_("Demand ledger"),
                      field_label ("demand", "reported_at"), SM_REPORT_COLUMN_TEXT,
                      _("Household address"), SM_REPORT_COLUMN_TEXT,
                      field_label ("demand", "category"), SM_REPORT_COLUMN_TEXT,
                      field_label ("demand", "title"), SM_REPORT_COLUMN_TEXT,
                      field_label ("demand", "level"), SM_REPORT_COLUMN_TEXT,
                      field_label ("demand", "status"), SM_REPORT_COLUMN_TEXT,
                      _("Response (minutes)"), SM_REPORT_COLUMN_NUMBER,
                      _("Resolved at"), SM_REPORT_COLUMN_TEXT,
                      field_label ("demand_event", "satisfaction"), SM_REPORT_COLUMN_TEXT,
                      NULL);
  g_ptr_array_add (tables, ledger);

  if (!(stmt = prepare_period (store, demands_sql, options, start, end, error)))
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GPtrArray *row = table_add_row (ledger);
      const char *reported_at = COL_TEXT (stmt, 1);
      const char *responded_at = COL_TEXT (stmt, 7);
      g_autoptr(GDateTime) reported = reported_at ? g_date_time_new_from_iso8601 (reported_at, NULL) : NULL;
      g_autoptr(GDateTime) responded = responded_at ? g_date_time_new_from_iso8601 (responded_at, NULL) : NULL;

      g_ptr_array_add (ids, g_strdup (COL_TEXT (stmt, 0)));
      g_ptr_array_add (row, local_time (reported_at));
      g_ptr_array_add (row, mask_free_text (COL_TEXT (stmt, 2)));
      g_ptr_array_add (row, mask_free_text (COL_TEXT (stmt, 3)));
      g_ptr_array_add (row, mask_free_text (COL_TEXT (stmt, 4)));
      g_ptr_array_add (row, g_strdup (enum_label ("demand", "level", COL_TEXT (stmt, 5))));
      g_ptr_array_add (row, g_strdup (enum_label ("demand", "status", COL_TEXT (stmt, 6))));
      /* Whole minutes started: a response after 5 min 20 s is late against 5 minutes. */
      if (reported != NULL && responded != NULL)
        {
          GTimeSpan span = g_date_time_difference (responded, reported);

          add_number (row, (span + G_TIME_SPAN_MINUTE - 1) / G_TIME_SPAN_MINUTE);
        }
      else
        g_ptr_array_add (row, NULL);
    }

  if (!finish_rows (stmt, rc, error))
    return FALSE;

  /* Events are read after the demands: one statement at a time on the connection. */
  for (guint i = 0; i < ids->len; i++)
    {
      GPtrArray *row = g_ptr_array_index (ledger->rows, i);
      DemandOutcome outcome = { NULL, NULL };

      if (!demand_outcome (store, g_ptr_array_index (ids, i), &outcome, error))
        return FALSE;
      g_ptr_array_add (row, local_time (outcome.resolved_at));
      g_ptr_array_add (row, g_strdup (enum_label ("demand_event", "satisfaction", outcome.satisfaction)));
      g_free (outcome.resolved_at);
      g_free (outcome.satisfaction);
    }

  return TRUE;
}

GPtrArray *
sm_report_build (SmStore                *store,
                 const SmReportOptions  *options,
                 GError                **error)
{
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func ((GDestroyNotify) sm_report_table_free);
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;

  g_return_val_if_fail (SM_IS_STORE (store), NULL);
  g_return_val_if_fail (options != NULL && options->month != NULL, NULL);

  if (!sm_report_month_bounds (options->month, &start, &end, error))
    return NULL;

  if ((options->kinds & SM_REPORT_VISITS) && !build_visits (store, options, start, end, tables, error))
    return NULL;
  if ((options->kinds & SM_REPORT_DEMANDS) && !build_demands (store, options, start, end, tables, error))
    return NULL;

  return g_steal_pointer (&tables);
}

/* ---------------------------------------------------------------- CSV */

static void
csv_append_cell (GString    *out,
                 const char *text,
                 gboolean    is_text)
{
  gboolean quote;

  if (text == NULL)
    return;

  /* A leading =, +, -, @, tab or carriage return would make a spreadsheet run the cell as
   * a formula (OWASP's list for CSV injection). */
  if (is_text && text[0] != '\0' && strchr ("=+-@\t\r", text[0]) != NULL)
    {
      g_autofree char *safe = g_strconcat ("'", text, NULL);

      csv_append_cell (out, safe, FALSE);
      return;
    }

  quote = strpbrk (text, ",\"\r\n") != NULL || text[0] == ' ' ||
          (*text != '\0' && text[strlen (text) - 1] == ' ');
  if (!quote)
    {
      g_string_append (out, text);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
csv_append_row (GString    *out,
                GPtrArray  *cells,
                GArray     *types)
{
  for (guint i = 0; i < cells->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      csv_append_cell (out, g_ptr_array_index (cells, i),
                       types == NULL || g_array_index (types, SmReportColumnType, i) == SM_REPORT_COLUMN_TEXT);
    }
  g_string_append (out, "\r\n");
}

gboolean
sm_report_write_csv (GPtrArray   *tables,
                     const char  *path,
                     GError     **error)
{
  g_autoptr(GString) out = g_string_new ("\xEF\xBB\xBF");

  g_return_val_if_fail (tables != NULL && path != NULL, FALSE);

  for (guint t = 0; t < tables->len; t++)
    {
      SmReportTable *table = g_ptr_array_index (tables, t);

      /* Several tables are sections with a title; one table is a plain table. */
      if (tables->len > 1)
        {
          if (t > 0)
            g_string_append (out, "\r\n");
          csv_append_cell (out, table->title, TRUE);
          g_string_append (out, "\r\n");
        }
      csv_append_row (out, table->header, NULL);
      for (guint r = 0; r < table->rows->len; r++)
        csv_append_row (out, g_ptr_array_index (table->rows, r), table->types);
    }

  if (!g_file_set_contents (path, out->str, (gssize) out->len, error))
    {
      g_prefix_error (error, _("Cannot write the report: "));
      return FALSE;
    }

  return TRUE;
}

/* ---------------------------------------------------------------- XLSX */

/* Excel's rules for a sheet name: at most 31 characters, none of []:*?/\ . */
static char *
sheet_name (const char *title,
            guint       index)
{
  GString *name = g_string_new (NULL);
  glong n = 0;

  for (const char *p = title; *p != '\0' && n < 28; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (strchr ("[]:*?/\\", (int) c) != NULL && c < 0x80)
        g_string_append_c (name, '_');
      else
        g_string_append_unichar (name, c);
    }
  if (name->len == 0)
    g_string_printf (name, "%u", index + 1);

  return g_string_free (name, FALSE);
}

static gboolean
xlsx_failed (lxw_error   rc,
             const char *path,
             GError    **error)
{
  g_set_error (error, SM_REPORT_ERROR, SM_REPORT_ERROR_WRITE,
               /* Translators: a file name, then the reason from the XLSX library (English) */
               _("Cannot write the report %s: %s"), path, lxw_strerror (rc));
  return FALSE;
}

gboolean
sm_report_write_xlsx (GPtrArray   *tables,
                      const char  *path,
                      GError     **error)
{
  lxw_workbook_options workbook_options = { .constant_memory = LXW_FALSE, .tmpdir = NULL };
  lxw_workbook *workbook;
  lxw_format *bold;
  lxw_error rc;

  g_return_val_if_fail (tables != NULL && path != NULL, FALSE);

  if (!(workbook = workbook_new_opt (path, &workbook_options)))
    {
      g_set_error (error, SM_REPORT_ERROR, SM_REPORT_ERROR_WRITE,
                   _("Cannot write the report %s: %s"), path, g_strerror (errno));
      return FALSE;
    }

  bold = workbook_add_format (workbook);
  format_set_bold (bold);

  for (guint t = 0; t < tables->len; t++)
    {
      SmReportTable *table = g_ptr_array_index (tables, t);
      g_autofree char *name = sheet_name (table->title, t);
      lxw_worksheet *sheet = workbook_add_worksheet (workbook, name);
      g_autofree double *widths = g_new0 (double, table->header->len);

      if (sheet == NULL)
        {
          workbook_close (workbook);
          g_unlink (path);
          return xlsx_failed (LXW_ERROR_SHEETNAME_ALREADY_USED, path, error);
        }

      for (guint c = 0; c < table->header->len; c++)
        {
          const char *text = g_ptr_array_index (table->header, c);

          worksheet_write_string (sheet, 0, (lxw_col_t) c, text, bold);
          /* A CJK character is about two Latin ones wide. */
          widths[c] = MAX (widths[c], 2.0 * (double) g_utf8_strlen (text, -1) + 2);
        }

      for (guint r = 0; r < table->rows->len; r++)
        {
          GPtrArray *row = g_ptr_array_index (table->rows, r);

          for (guint c = 0; c < row->len; c++)
            {
              const char *text = g_ptr_array_index (row, c);

              if (text == NULL)
                continue;
              if (g_array_index (table->types, SmReportColumnType, c) == SM_REPORT_COLUMN_NUMBER)
                worksheet_write_number (sheet, (lxw_row_t) (r + 1), (lxw_col_t) c,
                                        g_ascii_strtod (text, NULL), NULL);
              else
                worksheet_write_string (sheet, (lxw_row_t) (r + 1), (lxw_col_t) c, text, NULL);
              widths[c] = MAX (widths[c], MIN (60.0, 2.0 * (double) g_utf8_strlen (text, -1) + 2));
            }
        }

      for (guint c = 0; c < table->header->len; c++)
        worksheet_set_column (sheet, (lxw_col_t) c, (lxw_col_t) c, widths[c], NULL);
      worksheet_freeze_panes (sheet, 1, 0);
    }

  if ((rc = workbook_close (workbook)) != LXW_NO_ERROR)
    {
      g_unlink (path);
      return xlsx_failed (rc, path, error);
    }

  return TRUE;
}

/* ---------------------------------------------------------------- both */

gboolean
sm_report_export (SmStore                *store,
                  const SmReportOptions  *options,
                  SmReportFormat          format,
                  const char             *path,
                  GError                **error)
{
  g_autoptr(GPtrArray) tables = NULL;
  g_autofree char *partial = NULL;
  gboolean ok;

  g_return_val_if_fail (SM_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!(tables = sm_report_build (store, options, error)))
    return FALSE;

  partial = g_strconcat (path, ".partial", NULL);
  if (format == SM_REPORT_FORMAT_XLSX)
    ok = sm_report_write_xlsx (tables, partial, error);
  else
    ok = sm_report_write_csv (tables, partial, error);

  if (!ok)
    return FALSE;

  if (g_rename (partial, path) != 0)
    {
      int saved = errno;

      g_set_error (error, SM_REPORT_ERROR, SM_REPORT_ERROR_WRITE,
                   _("Cannot write the report %s: %s"), path, g_strerror (saved));
      g_unlink (partial);
      return FALSE;
    }

  return TRUE;
}
