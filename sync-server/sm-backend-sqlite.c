/* sm-backend-sqlite.c — the embedded SQLite backend of the server
 *
 * The replica is an SmStore, so the server merges with exactly the code the clients run.
 * The server's own tables live in the same file and are written in the same transaction
 * as the merge they describe, through the store's connection:
 *
 *   field_seq   one row per field: the sequence number of its current winner. A write
 *               that wins replaces the row, which takes the next AUTOINCREMENT number;
 *               pulls page through it by seq, so an idle sync costs one index probe.
 *   change_log  every accepted write with who sent it, from where and when: the audit
 *               trail. Never updated, never deleted.
 *   users, user_grids, tokens
 *
 * One connection, used by one thread at a time under the backend's mutex.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-server"

#include "sm-backend-sqlite.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "sm-field-clocks.h"
#include "sm-server-error.h"

#define DB_NAME "sanmen-server.db"

struct _SmBackendSqlite
{
  GObject     parent_instance;

  GRecMutex   lock;
  SmStore    *store;       /* also caches this backend's prepared statements */
  sqlite3    *db;          /* the store's connection */
};

static void sm_backend_sqlite_iface_init (SmBackendInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SmBackendSqlite, sm_backend_sqlite, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SM_TYPE_BACKEND, sm_backend_sqlite_iface_init))

static const char server_schema[] =
  "CREATE TABLE IF NOT EXISTS field_seq ("
  " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  " tbl TEXT NOT NULL, row_id TEXT NOT NULL, field TEXT NOT NULL,"
  " grid TEXT NOT NULL, site TEXT NOT NULL,"
  " UNIQUE (tbl, row_id, field));\n"
  "CREATE TABLE IF NOT EXISTS change_log ("
  " id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " at TEXT NOT NULL, user_id TEXT NOT NULL, remote TEXT NOT NULL,"
  " tbl TEXT NOT NULL, row_id TEXT NOT NULL, field TEXT NOT NULL, value,"
  " h TEXT NOT NULL, s TEXT NOT NULL, b TEXT NOT NULL, grid TEXT NOT NULL,"
  " outcome TEXT NOT NULL);\n"
  "CREATE INDEX IF NOT EXISTS change_log_row ON change_log (tbl, row_id, field);\n"
  "CREATE TABLE IF NOT EXISTS users ("
  " id TEXT PRIMARY KEY NOT NULL,"
  " login TEXT NOT NULL UNIQUE COLLATE NOCASE,"
  " name TEXT NOT NULL, role TEXT NOT NULL, password_hash TEXT NOT NULL,"
  " disabled INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL);\n"
  "CREATE TABLE IF NOT EXISTS user_grids ("
  " user_id TEXT NOT NULL, grid_id TEXT NOT NULL, PRIMARY KEY (user_id, grid_id));\n"
  "CREATE TABLE IF NOT EXISTS tokens ("
  " hash TEXT PRIMARY KEY NOT NULL, user_id TEXT NOT NULL, site TEXT,"
  " created_at TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);\n"
  "CREATE INDEX IF NOT EXISTS tokens_user ON tokens (user_id);\n";

/* ---------------------------------------------------------------- helpers */

static gboolean
set_sqlite_error (SmBackendSqlite  *self,
                  GError          **error)
{
  /* The details go to the log for the operator; the client gets "internal". */
  g_warning ("SQLite: %s", sqlite3_errmsg (self->db));
  g_set_error_literal (error, SM_SERVER_ERROR, SM_SERVER_ERROR_INTERNAL,
                       _("The server’s database failed; see the server log"));
  return FALSE;
}

static gboolean
step_done (SmBackendSqlite  *self,
           sqlite3_stmt     *stmt,
           GError          **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return set_sqlite_error (self, error);

  return TRUE;
}

static void
bind_value (sqlite3_stmt *stmt,
            int           column,
            GVariant     *value)
{
  if (value == NULL)
    sqlite3_bind_null (stmt, column);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    sqlite3_bind_int64 (stmt, column, g_variant_get_int64 (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    sqlite3_bind_int (stmt, column, g_variant_get_boolean (value));
  else
    sqlite3_bind_text (stmt, column, g_variant_get_string (value, NULL), -1, SQLITE_TRANSIENT);
}

static char *
now_text (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

/* A conflict's value as text for the office to read; NULL stays NULL. */
static GVariant *
value_as_text (GVariant *value)
{
  if (value == NULL)
    return NULL;
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return g_variant_ref (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    return g_variant_ref_sink (g_variant_new_string (g_variant_get_boolean (value) ? "true" : "false"));

  return g_variant_ref_sink (g_variant_new_take_string (g_strdup_printf ("%" G_GINT64_FORMAT,
                                                                         g_variant_get_int64 (value))));
}

/* ---------------------------------------------------------------- push */

static gboolean
bump_sequences (SmBackendSqlite  *self,
                GPtrArray        *taken,
                GError          **error)
{
  for (guint i = 0; i < taken->len; i++)
    {
      SmChange *change = g_ptr_array_index (taken, i);
      sqlite3_stmt *stmt;

      /* REPLACE deletes the field's old row and inserts it anew: the next number. */
      if (!(stmt = sm_store_prepare (self->store, "INSERT OR REPLACE INTO field_seq (tbl, row_id, field, grid, site)"
                                  " VALUES (?1, ?2, ?3, ?4, ?5)", error)))
        return FALSE;
      sqlite3_bind_text (stmt, 1, change->table->name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, change->row_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, change->field->name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, change->grid_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, change->site, -1, SQLITE_STATIC);
      if (!step_done (self, stmt, error))
        return FALSE;
    }

  return TRUE;
}

/* Appends @changes to the change log; those in @taken_changes became current values. */
static gboolean
log_changes (SmBackendSqlite  *self,
             GPtrArray        *changes,
             GPtrArray        *taken_changes,
             const SmActor    *actor,
             GError          **error)
{
  g_autofree char *at = now_text ();
  g_autoptr(GHashTable) taken = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < taken_changes->len; i++)
    g_hash_table_add (taken, g_ptr_array_index (taken_changes, i));

  for (guint i = 0; i < changes->len; i++)
    {
      SmChange *change = g_ptr_array_index (changes, i);
      char h[SM_HLC_STRING_LEN + 1], b[SM_HLC_STRING_LEN + 1];
      sqlite3_stmt *stmt;

      if (!(stmt = sm_store_prepare (self->store, "INSERT INTO change_log (at, user_id, remote, tbl, row_id, field,"
                                  " value, h, s, b, grid, outcome)"
                                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)", error)))
        return FALSE;

      sm_hlc_format (change->hlc, h);
      sm_hlc_format (change->base, b);
      sqlite3_bind_text (stmt, 1, at, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, actor->user_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, actor->remote, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, change->table->name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, change->row_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, change->field->name, -1, SQLITE_STATIC);
      bind_value (stmt, 7, change->value);
      sqlite3_bind_text (stmt, 8, h, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 9, change->site, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 10, b, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 11, change->grid_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 12, g_hash_table_contains (taken, change) ? "taken" : "kept", -1,
                         SQLITE_STATIC);
      if (!step_done (self, stmt, error))
        return FALSE;
    }

  return TRUE;
}

/* The same concurrent pair always gets the same record id, so a client that pushes a
 * losing write again (it crashed before its acknowledgement) makes no second record. */
static char *
conflict_id (const SmMergeConflict *conflict)
{
  g_autofree char *key = g_strdup_printf ("%s/%s/%s/%016" G_GINT64_MODIFIER "x/%s/%016"
                                          G_GINT64_MODIFIER "x/%s",
                                          conflict->field->table->name, conflict->row_id,
                                          conflict->field->name, conflict->winner.hlc,
                                          conflict->winner.site, conflict->loser.hlc,
                                          conflict->loser.site);
  g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);

  return g_strdup_printf ("conflict-%.32s", sum);
}

static void
add_field (GPtrArray  *changes,
           const char *table,
           const char *field,
           const char *row_id,
           const char *grid_id,
           GVariant   *value,
           SmHlc       hlc,
           const char *site,
           SmHlc       base)
{
  const SmField *f = sm_table_lookup_field (sm_schema_lookup_table (table), field);

  g_ptr_array_add (changes, sm_change_new (f, row_id, grid_id, value, hlc, site, base));
}

/* Who wrote the value of @clock into @field of @row_id, for the office to read: the user's
 * display name from the change log (every accepted write is logged before its conflicts
 * are recorded, so both writes of a pair are there). NULL if the log does not know. */
static GVariant *
conflict_writer (SmBackendSqlite    *self,
                 const SmField      *field,
                 const char         *row_id,
                 const SmFieldClock *clock)
{
  g_autoptr(GError) error = NULL;
  char h[SM_HLC_STRING_LEN + 1];
  sqlite3_stmt *stmt;
  GVariant *name = NULL;

  /* change_log_row narrows it to the field's few writes; (h, s) names one write. */
  if (!(stmt = sm_store_prepare (self->store, "SELECT COALESCE(u.name, c.user_id) FROM change_log AS c"
                                 " LEFT JOIN users AS u ON u.id = c.user_id"
                                 " WHERE c.tbl = ?1 AND c.row_id = ?2 AND c.field = ?3"
                                 " AND c.h = ?4 AND c.s = ?5 ORDER BY c.id LIMIT 1", &error)))
    {
      g_warning ("Cannot look up who wrote a conflicting value: %s", error->message);
      return NULL;
    }

  sm_hlc_format (clock->hlc, h);
  sqlite3_bind_text (stmt, 1, field->table->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, row_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, field->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, h, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, clock->site, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    name = g_variant_new_string ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  return name;
}

/* The changes that create a record for each new conflict; *@out_n_records counts them. */
static GPtrArray *
conflict_records (SmBackendSqlite *self,
                  GPtrArray       *conflicts,
                  guint           *out_n_records)
{
  GPtrArray *changes = sm_change_batch_new ();
  const char *site = sm_store_get_site (self->store);
  SmHlc base = sm_store_get_last_hlc (self->store);
  SmHlc hlc = sm_hlc_tick (base, sm_hlc_now_ms ());

  for (guint i = 0; i < conflicts->len; i++)
    {
      SmMergeConflict *c = g_ptr_array_index (conflicts, i);
      g_autofree char *id = conflict_id (c);
      g_autoptr(SmRecord) existing = NULL;
      g_autoptr(GVariant) winner_value = value_as_text (c->winner_value);
      g_autoptr(GVariant) loser_value = value_as_text (c->loser_value);
      g_autofree char *winner_hlc = sm_hlc_to_string (c->winner.hlc);
      g_autofree char *loser_hlc = sm_hlc_to_string (c->loser.hlc);

      /* Two offices reconciling one conflict differently disagree on its resolution too;
       * the field they wrote gets its own record, and a record about a record would only
       * ask the office to settle the same thing twice. */
      if (c->field->table->pattern == SM_TABLE_SERVER)
        continue;

      if ((existing = sm_store_get (self->store, "conflict", id, NULL)) != NULL)
        continue;

      /* Several conflicts in one batch: one clock each keeps every write distinct. */
      add_field (changes, "conflict", "grid_id", id, c->grid_id, g_variant_new_string (c->grid_id), hlc, site, base);
      add_field (changes, "conflict", "table_name", id, c->grid_id,
                 g_variant_new_string (c->field->table->name), hlc, site, base);
      add_field (changes, "conflict", "row_id", id, c->grid_id, g_variant_new_string (c->row_id), hlc, site, base);
      add_field (changes, "conflict", "field", id, c->grid_id, g_variant_new_string (c->field->name), hlc, site, base);
      add_field (changes, "conflict", "winner_value", id, c->grid_id, winner_value, hlc, site, base);
      add_field (changes, "conflict", "winner_hlc", id, c->grid_id, g_variant_new_string (winner_hlc), hlc, site, base);
      add_field (changes, "conflict", "winner_site", id, c->grid_id, g_variant_new_string (c->winner.site), hlc, site, base);
      add_field (changes, "conflict", "loser_value", id, c->grid_id, loser_value, hlc, site, base);
      add_field (changes, "conflict", "loser_hlc", id, c->grid_id, g_variant_new_string (loser_hlc), hlc, site, base);
      add_field (changes, "conflict", "loser_site", id, c->grid_id, g_variant_new_string (c->loser.site), hlc, site, base);
      add_field (changes, "conflict", "status", id, c->grid_id, g_variant_new_string ("open"), hlc, site, base);
      add_field (changes, "conflict", "winner_user", id, c->grid_id,
                 conflict_writer (self, c->field, c->row_id, &c->winner), hlc, site, base);
      add_field (changes, "conflict", "loser_user", id, c->grid_id,
                 conflict_writer (self, c->field, c->row_id, &c->loser), hlc, site, base);
      hlc++;
      (*out_n_records)++;
    }

  return changes;
}

static gboolean
merge_and_sequence (SmBackendSqlite  *self,
                    GPtrArray        *changes,
                    GPtrArray       **out_conflicts,
                    GPtrArray       **out_taken,
                    GError          **error)
{
  SmApplyResult result = { 0, };
  gboolean ok;

  if (out_conflicts != NULL)
    result.conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) sm_merge_conflict_free);
  result.taken_changes = g_ptr_array_new_with_free_func ((GDestroyNotify) sm_change_unref);

  ok = sm_store_apply (self->store, changes, NULL, &result, error) &&
       bump_sequences (self, result.taken_changes, error);

  if (ok && out_conflicts != NULL)
    *out_conflicts = g_steal_pointer (&result.conflicts);
  if (ok && out_taken != NULL)
    *out_taken = g_steal_pointer (&result.taken_changes);
  sm_apply_result_clear (&result);

  return ok;
}

static gboolean
sqlite_push (SmBackend      *backend,
             GPtrArray      *changes,
             const SmActor  *actor,
             SmPushSummary  *summary,
             GError        **error)
{
  SmBackendSqlite *self = SM_BACKEND_SQLITE (backend);
  G_GNUC_UNUSED g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->lock);
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GPtrArray) taken = NULL;
  g_autoptr(GPtrArray) records = NULL;
  guint n_records = 0;

  if (!sm_store_begin (self->store, error))
    return FALSE;

  if (!merge_and_sequence (self, changes, &conflicts, &taken, error))
    goto fail;

  if (!log_changes (self, changes, taken, actor, error))
    goto fail;

  /* The conflict records are the server's own writes, and audited like any other. */
  records = conflict_records (self, conflicts, &n_records);
  if (records->len > 0)
    {
      static const SmActor server_actor = { "server", "local" };
      g_autoptr(GPtrArray) records_taken = NULL;

      if (!merge_and_sequence (self, records, NULL, &records_taken, error) ||
          !log_changes (self, records, records_taken, &server_actor, error))
        goto fail;
    }

  if (!sm_store_commit (self->store, error))
    return FALSE;

  summary->applied = taken->len;
  summary->conflicts = n_records;
  return TRUE;

fail:
  sm_store_rollback (self->store);
  return FALSE;
}

/* ---------------------------------------------------------------- pull */

/* The record the pull is at: its row, read once for the run of its fields. */
typedef struct {
  const SmTable *table;
  char          *id;
  sqlite3_stmt  *stmt;      /* on its row: the fields in schema order, then _clocks */
  SmFieldClock  *clocks;
  sqlite3_stmt **selects;   /* the SELECT of each table, by index, prepared on first use */
} PullRecord;

static void
pull_record_clear (PullRecord *record)
{
  if (record->stmt != NULL)
    sqlite3_reset (record->stmt);
  record->stmt = NULL;
  g_clear_pointer (&record->id, g_free);
  g_clear_pointer (&record->clocks, g_free);
  record->table = NULL;
}

static gboolean
inconsistent (const char  *table,
              const char  *what,
              GError     **error)
{
  /* No value, no id: `sanmen-server check` finds the record. */
  g_warning ("field_seq names a record of “%s” the replica cannot serve: %s", table, what);
  g_set_error_literal (error, SM_SERVER_ERROR, SM_SERVER_ERROR_INTERNAL,
                       _("The server’s database is inconsistent; see the server log"));
  return FALSE;
}

/* Moves @record to @table_name/@row_id, reading its row. */
static gboolean
pull_record_load (SmBackendSqlite  *self,
                  PullRecord       *record,
                  const char       *table_name,
                  const char       *row_id,
                  GError          **error)
{
  const SmTable *table = sm_schema_lookup_table (table_name);
  int rc;

  pull_record_clear (record);
  if (table == NULL)
    return inconsistent (table_name, "unknown table", error);

  /* The store's cache owns the statement; this keeps it at hand for the page rather
   * than hash its text once per record. */
  if (record->selects[table->index] == NULL)
    {
      g_autoptr(GString) sql = g_string_new ("SELECT ");

      for (guint f = 0; f < table->n_fields; f++)
        g_string_append_printf (sql, "\"%s\", ", table->fields[f].name);
      g_string_append_printf (sql, "\"_clocks\" FROM \"%s\" WHERE \"id\" = ?1", table->name);
      if (!(record->selects[table->index] = sm_store_prepare (self->store, sql->str, error)))
        return FALSE;
    }

  record->stmt = record->selects[table->index];
  sqlite3_bind_text (record->stmt, 1, row_id, -1, SQLITE_TRANSIENT);
  if ((rc = sqlite3_step (record->stmt)) != SQLITE_ROW)
    {
      sqlite3_reset (record->stmt);
      record->stmt = NULL;
      if (rc == SQLITE_DONE)
        return inconsistent (table_name, "no such record", error);
      return set_sqlite_error (self, error);
    }

  record->table = table;
  record->id = g_strdup (row_id);
  record->clocks = g_new0 (SmFieldClock, table->n_fields);
  if (!sm_field_clocks_decode (sqlite3_column_blob (record->stmt, (int) table->n_fields),
                               (gsize) sqlite3_column_bytes (record->stmt, (int) table->n_fields),
                               record->clocks, table->n_fields))
    {
      pull_record_clear (record);
      return inconsistent (table_name, "unreadable clocks", error);
    }

  return TRUE;
}

/* Appends one change of PROTOCOL.md, as sm_change_append_json() writes it, from the
 * record's row. */
static gboolean
append_change (PullRecord     *record,
               const SmField  *field,
               const char     *grid,
               GString        *out,
               GError        **error)
{
  sqlite3_stmt *stmt = record->stmt;
  int column = (int) field->index;
  const SmFieldClock *clock = &record->clocks[field->index];
  char h[SM_HLC_STRING_LEN + 1], b[SM_HLC_STRING_LEN + 1];

  sm_hlc_format (clock->hlc, h);
  sm_hlc_format (clock->base, b);

  g_string_append (out, "{\"t\":\"");
  g_string_append (out, record->table->name);
  g_string_append (out, "\",\"id\":");
  sm_json_append_string (out, record->id);
  g_string_append (out, ",\"f\":\"");
  g_string_append (out, field->name);
  g_string_append (out, "\",\"v\":");
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    g_string_append (out, "null");
  else if (field->type == SM_FIELD_INT)
    sm_json_append_int (out, sqlite3_column_int64 (stmt, column));
  else if (field->type == SM_FIELD_BOOL)
    g_string_append (out, sqlite3_column_int (stmt, column) != 0 ? "true" : "false");
  else
    {
      const char *text = (const char *) sqlite3_column_text (stmt, column);
      int length = sqlite3_column_bytes (stmt, column);

      /* What the merge stored was checked on the way in; a damaged file must not make
       * every client refuse the page. */
      if (text == NULL || (gsize) length != strlen (text) || !g_utf8_validate_len (text, (gsize) length, NULL))
        return inconsistent (record->table->name, "text that is not UTF-8", error);
      sm_json_append_string (out, text);
    }
  g_string_append (out, ",\"h\":\"");
  g_string_append_len (out, h, SM_HLC_STRING_LEN);
  g_string_append (out, "\",\"s\":\"");
  g_string_append (out, clock->site);
  g_string_append (out, "\",\"b\":\"");
  g_string_append_len (out, b, SM_HLC_STRING_LEN);
  g_string_append (out, "\",\"g\":");
  sm_json_append_string (out, grid);
  g_string_append_c (out, '}');

  return TRUE;
}

static gboolean
sqlite_pull (SmBackend     *backend,
             const SmUser  *user,
             gint64         cursor,
             guint          limit,
             const char    *exclude_site,
             GString       *out,
             guint         *out_n,
             gint64        *out_cursor,
             gboolean      *out_more,
             GError       **error)
{
  SmBackendSqlite *self = SM_BACKEND_SQLITE (backend);
  G_GNUC_UNUSED g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->lock);
  gboolean everything = user->role != SM_ROLE_WORKER;
  PullRecord record = { NULL, };
  gsize start = out->len;
  guint n_tables = 0;
  sqlite3_stmt *stmt;
  guint rows = 0;
  int rc;

  /* A worker's scope: the grids assigned, and never the office's conflict records. The
   * scan starts at the cursor on the primary key, so it reads only what is new. */
  if (!(stmt = sm_store_prepare (self->store, "SELECT seq, tbl, row_id, field, site, grid FROM field_seq WHERE seq > ?1"
                              " AND (?2 OR (tbl != 'conflict' AND grid IN"
                              " (SELECT grid_id FROM user_grids WHERE user_id = ?3)))"
                              " ORDER BY seq LIMIT ?4", error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, cursor);
  sqlite3_bind_int (stmt, 2, everything);
  sqlite3_bind_text (stmt, 3, user->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, (gint64) limit + 1);

  sm_schema_get_tables (&n_tables);
  record.selects = g_new0 (sqlite3_stmt *, n_tables);
  *out_n = 0;
  *out_cursor = cursor;
  *out_more = FALSE;
  g_string_append_c (out, '[');

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *table_name = (const char *) sqlite3_column_text (stmt, 1);
      const char *row_id = (const char *) sqlite3_column_text (stmt, 2);
      const char *field_name = (const char *) sqlite3_column_text (stmt, 3);
      const char *site = (const char *) sqlite3_column_text (stmt, 4);
      const char *grid = (const char *) sqlite3_column_text (stmt, 5);
      const SmField *field;

      if (++rows > limit)
        {
          *out_more = TRUE;
          break;
        }
      *out_cursor = sqlite3_column_int64 (stmt, 0);

      if (exclude_site != NULL && g_strcmp0 (site, exclude_site) == 0)
        continue;

      /* The fields of a record written together have consecutive numbers: its row is
       * read once for all of them. */
      if ((record.table == NULL || !g_str_equal (record.id, row_id) ||
           !g_str_equal (record.table->name, table_name)) &&
          !pull_record_load (self, &record, table_name, row_id, error))
        goto failed;

      if (!(field = sm_table_lookup_field (record.table, field_name)))
        {
          inconsistent (table_name, "unknown field", error);
          goto failed;
        }

      if (*out_n > 0)
        g_string_append_c (out, ',');
      if (!append_change (&record, field, grid, out, error))
        goto failed;
      (*out_n)++;
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error);
      goto failed;
    }
  sqlite3_reset (stmt);

  /* The scan reached the end: every change up to the newest is this user's or out of
   * scope. The cursor moves past the out-of-scope ones too, or a worker whose grids are
   * quiet would scan the other grids' changes again at every sync. (Under the lock, no
   * change can come in between.) */
  if (rc == SQLITE_DONE)
    {
      gint64 newest;

      if (!(stmt = sm_store_prepare (self->store, "SELECT max(seq) FROM field_seq", error)))
        goto failed;
      rc = sqlite3_step (stmt);
      newest = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW)
        {
          set_sqlite_error (self, error);
          goto failed;
        }
      *out_cursor = MAX (*out_cursor, newest);
    }

  pull_record_clear (&record);
  g_free (record.selects);
  g_string_append_c (out, ']');
  return TRUE;

failed:
  sqlite3_reset (stmt);
  pull_record_clear (&record);
  g_free (record.selects);
  g_string_truncate (out, start);
  *out_n = 0;
  return FALSE;
}

static char *
sqlite_get_record_grid (SmBackend      *backend,
                        const SmTable  *table,
                        const char     *row_id,
                        GError        **error)
{
  SmBackendSqlite *self = SM_BACKEND_SQLITE (backend);
  G_GNUC_UNUSED g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->lock);
  g_autofree char *grid = NULL;
  sqlite3_stmt *stmt;
  int rc;

  /* The grid every write of the record carried: a record need not have its grid_id
   * field written for its writes to be scoped. */
  if (!(stmt = sm_store_prepare (self->store, "SELECT grid FROM field_seq WHERE tbl = ?1 AND row_id = ?2 LIMIT 1", error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, table->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, row_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    grid = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error);
      return NULL;
    }

  return g_steal_pointer (&grid);
}

static const char *
sqlite_get_site (SmBackend *backend)
{
  return sm_store_get_site (SM_BACKEND_SQLITE (backend)->store);
}

static SmHlc
sqlite_get_last_hlc (SmBackend *backend)
{
  SmBackendSqlite *self = SM_BACKEND_SQLITE (backend);
  G_GNUC_UNUSED g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->lock);

  return sm_store_get_last_hlc (self->store);
}

/* ---------------------------------------------------------------- users and tokens */

static char **
user_grids (SmBackendSqlite  *self,
            const char       *user_id,
            GError          **error)
{
  g_autoptr(GPtrArray) grids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = sm_store_prepare (self->store, "SELECT grid_id FROM user_grids WHERE user_id = ?1 ORDER BY grid_id", error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (grids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error);
      return NULL;
    }

  g_ptr_array_add (grids, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&grids), FALSE);
}

/* Rows of "SELECT id, login, name, role, disabled, password_hash …". */
static SmUser *
user_from_row (SmBackendSqlite  *self,
               sqlite3_stmt     *stmt,
               GError          **error)
{
  g_autoptr(SmUser) user = g_new0 (SmUser, 1);

  user->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  user->login = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  user->name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  if (!sm_role_from_string ((const char *) sqlite3_column_text (stmt, 3), &user->role))
    user->role = SM_ROLE_WORKER;
  user->disabled = sqlite3_column_int (stmt, 4) != 0;

  return g_steal_pointer (&user);
}

static gboolean
fill_grids (SmBackendSqlite  *self,
            SmUser           *user,
            GError          **error)
{
  return (user->grids = user_grids (self, user->id, error)) != NULL;
}

static gboolean
sqlite_add_user (SmBackend     *backend,
                 const SmUser  *user,
                 const char    *password_hash,
                 GError       **error)
{
  SmBackendSqlite *self = SM_BACKEND_SQLITE (backend);
  G_GNUC_UNUSED g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->lock);
  g_autofree char *id = sm_id_new ();
  g_autofree char *at = now_text ();
  sqlite3_stmt *stmt;
  int rc;

  if (!sm_store_begin (self->store, error))
    return FALSE;

  if (!(stmt = sm_store_prepare (self->store, "INSERT INTO users (id, login, name, role, password_hash, created_at)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error)))
    goto fail;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, user->login, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, user->name ? user->name : user->login, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, sm_role_to_string (user->role), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, password_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, at, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_CONSTRAINT)
    {
      g_set_error (error, SM_SERVER_ERROR, SM_SERVER_ERROR_EXISTS,
                   _("There is already a user “%s”"), user->login);
      goto fail;
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error);
      goto fail;
    }

  for (guint i = 0; user->grids != NULL && user->grids[i] != NULL; i++)
    {
      if (!(stmt = sm_store_prepare (self->store, "INSERT OR IGNORE INTO user_grids (user_id, grid_id) VALUES (?1, ?2)", error)))
        goto fail;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, user->grids[i], -1, SQLITE_TRANSIENT);
      if (!step_done (self, stmt, error))
        goto fail;
    }

  return sm_store_commit (self->store, error);

fail:
  sm_store_rollback (self->store);
  return FALSE;
}

static SmUser *
sqlite_lookup_user (SmBackend   *backend,
                    const char  *login,
                    char       **out_password_hash,
                    GError     **error)
{
  SmBackendSqlite *self = SM_BACKEND_SQLITE (backend);
  G_GNUC_UNUSED g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->lock);
  g_autoptr(SmUser) user = NULL;
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = sm_store_prepare (self->store, "SELECT id, login, name, role, disabled, password_hash FROM users"
                              " WHERE login = ?1", error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      user = user_from_row (self, stmt, error);
      hash = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error);
      return NULL;
    }
  if (user == NULL || !fill_grids (self, user, error))
    return NULL;

  if (out_password_hash != NULL)
    *out_password_hash = g_steal_pointer (&hash);
  return g_steal_pointer (&user);
}

static GPtrArray *
sqlite_list_users (SmBackend  *backend,
                   GError    **error)
{
  SmBackendSqlite *self = SM_BACKEND_SQLITE (backend);
  G_GNUC_UNUSED g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->lock);
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify) sm_user_free);
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = sm_store_prepare (self->store, "SELECT id, login, name, role, disabled FROM users ORDER BY login", error)))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (users, user_from_row (self, stmt, error));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error);
      return NULL;
    }

  for (guint i = 0; i < users->len; i++)
    if (!fill_grids (self, g_ptr_array_index (users, i), error))
      return NULL;

  return g_steal_pointer (&users);
}

static gboolean
sqlite_update_user (SmBackend       *backend,
                    const char      *login,
                    const gboolean  *disabled,
                    const char      *password_hash,
                    GError         **error)
{
  SmBackendSqlite *self = SM_BACKEND_SQLITE (backend);
  G_GNUC_UNUSED g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->lock);
  sqlite3_stmt *stmt;

  if (!sm_store_begin (self->store, error))
    return FALSE;

  if (!(stmt = sm_store_prepare (self->store, "UPDATE users SET disabled = coalesce(?2, disabled),"
                              " password_hash = coalesce(?3, password_hash) WHERE login = ?1", error)))
    goto fail;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_TRANSIENT);
  if (disabled != NULL)
    sqlite3_bind_int (stmt, 2, *disabled);
  if (password_hash != NULL)
    sqlite3_bind_text (stmt, 3, password_hash, -1, SQLITE_TRANSIENT);
  if (!step_done (self, stmt, error))
    goto fail;

  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, SM_SERVER_ERROR, SM_SERVER_ERROR_NOT_FOUND,
                   _("There is no user “%s”"), login);
      goto fail;
    }

  /* A disabled user or a new password ends every session. */
  if ((disabled != NULL && *disabled) || password_hash != NULL)
    {
      if (!(stmt = sm_store_prepare (self->store, "UPDATE tokens SET revoked = 1 WHERE user_id ="
                                  " (SELECT id FROM users WHERE login = ?1)", error)))
        goto fail;
      sqlite3_bind_text (stmt, 1, login, -1, SQLITE_TRANSIENT);
      if (!step_done (self, stmt, error))
        goto fail;
    }

  return sm_store_commit (self->store, error);

fail:
  sm_store_rollback (self->store);
  return FALSE;
}

static gboolean
sqlite_add_token (SmBackend   *backend,
                  const char  *token_hash,
                  const char  *user_id,
                  const char  *site,
                  GError     **error)
{
  SmBackendSqlite *self = SM_BACKEND_SQLITE (backend);
  G_GNUC_UNUSED g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->lock);
  g_autofree char *at = now_text ();
  sqlite3_stmt *stmt;

  if (!(stmt = sm_store_prepare (self->store, "INSERT INTO tokens (hash, user_id, site, created_at) VALUES (?1, ?2, ?3, ?4)",
                        error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, user_id, -1, SQLITE_TRANSIENT);
  if (site != NULL)
    sqlite3_bind_text (stmt, 3, site, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, at, -1, SQLITE_STATIC);

  return step_done (self, stmt, error);
}

static SmUser *
sqlite_lookup_token (SmBackend   *backend,
                     const char  *token_hash,
                     GError     **error)
{
  SmBackendSqlite *self = SM_BACKEND_SQLITE (backend);
  G_GNUC_UNUSED g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->lock);
  g_autoptr(SmUser) user = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = sm_store_prepare (self->store, "SELECT u.id, u.login, u.name, u.role, u.disabled FROM tokens t"
                              " JOIN users u ON u.id = t.user_id"
                              " WHERE t.hash = ?1 AND t.revoked = 0 AND u.disabled = 0", error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    user = user_from_row (self, stmt, error);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error);
      return NULL;
    }
  if (user == NULL || !fill_grids (self, user, error))
    return NULL;

  return g_steal_pointer (&user);
}

static gboolean
sqlite_revoke_token (SmBackend   *backend,
                     const char  *token_hash,
                     GError     **error)
{
  SmBackendSqlite *self = SM_BACKEND_SQLITE (backend);
  G_GNUC_UNUSED g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->lock);
  sqlite3_stmt *stmt;

  if (!(stmt = sm_store_prepare (self->store, "UPDATE tokens SET revoked = 1 WHERE hash = ?1", error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_TRANSIENT);

  return step_done (self, stmt, error);
}

/* ---------------------------------------------------------------- maintenance */

static char *
sqlite_compute_digest (SmBackend  *backend,
                       GError    **error)
{
  SmBackendSqlite *self = SM_BACKEND_SQLITE (backend);
  G_GNUC_UNUSED g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->lock);

  return sm_store_compute_digest (self->store, error);
}

static gboolean
sqlite_check (SmBackend  *backend,
              GError    **error)
{
  SmBackendSqlite *self = SM_BACKEND_SQLITE (backend);
  G_GNUC_UNUSED g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->lock);
  sqlite3_stmt *stmt;
  gint64 orphans = 0;
  int rc;

  if (!sm_store_check_integrity (self->store, error))
    return FALSE;

  /* Every sequenced field must name a record the replica holds, or pulls would fail. */
  if (!(stmt = sm_store_prepare (self->store, "SELECT count(*) FROM field_seq f WHERE NOT EXISTS"
                              " (SELECT 1 FROM change_log c WHERE c.tbl = f.tbl AND c.row_id = f.row_id"
                              " AND c.field = f.field)", error)))
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    orphans = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return set_sqlite_error (self, error);

  if (orphans > 0)
    {
      g_set_error (error, SM_SERVER_ERROR, SM_SERVER_ERROR_INTERNAL,
                   /* %lld, not G_GINT64_FORMAT: xgettext cannot see through the macro. */
                   g_dngettext (GETTEXT_PACKAGE,
                                "%lld current value has no entry in the change log",
                                "%lld current values have no entry in the change log",
                                (gulong) orphans),
                   (long long) orphans);
      return FALSE;
    }

  return TRUE;
}

static gboolean
sqlite_backup (SmBackend   *backend,
               const char  *path,
               GError     **error)
{
  SmBackendSqlite *self = SM_BACKEND_SQLITE (backend);
  G_GNUC_UNUSED g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->lock);
  g_autofree char *partial = g_strconcat (path, ".partial", NULL);
  sqlite3 *target = NULL;
  sqlite3_backup *backup;
  int rc, fd;

  /* Written beside the target and renamed, so a failed backup never leaves a file that
   * looks whole. WAL lets the serving process keep writing meanwhile. */
  g_unlink (partial);
  /* The backup holds ID numbers and phones: readable by the server's user only, whatever
   * the umask and wherever it is written. */
  if ((fd = g_open (partial, O_CREAT | O_EXCL | O_WRONLY, 0600)) < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), _("Cannot create %s: %s"),
                   partial, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);
  if (sqlite3_open (partial, &target) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot create %s: %s"), partial,
                   sqlite3_errmsg (target));
      sqlite3_close (target);
      return FALSE;
    }

  backup = sqlite3_backup_init (target, "main", self->db, "main");
  if (backup == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot back up to %s: %s"), partial,
                   sqlite3_errmsg (target));
      sqlite3_close (target);
      g_unlink (partial);
      return FALSE;
    }

  do
    {
      rc = sqlite3_backup_step (backup, 1024);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        sqlite3_sleep (20);
    }
  while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish (backup);

  if (rc != SQLITE_DONE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot back up to %s: %s"), partial,
                   sqlite3_errstr (rc));
      sqlite3_close (target);
      g_unlink (partial);
      return FALSE;
    }
  sqlite3_close (target);

  if (g_rename (partial, path) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Cannot rename %s to %s: %s"),
                   partial, path, g_strerror (saved));
      g_unlink (partial);
      return FALSE;
    }

  return TRUE;
}

/* ---------------------------------------------------------------- GObject */

static void
sm_backend_sqlite_finalize (GObject *object)
{
  SmBackendSqlite *self = SM_BACKEND_SQLITE (object);

  g_clear_object (&self->store);
  g_rec_mutex_clear (&self->lock);

  G_OBJECT_CLASS (sm_backend_sqlite_parent_class)->finalize (object);
}

static void
sm_backend_sqlite_class_init (SmBackendSqliteClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sm_backend_sqlite_finalize;
}

static void
sm_backend_sqlite_init (SmBackendSqlite *self)
{
  g_rec_mutex_init (&self->lock);
}

static void
sm_backend_sqlite_iface_init (SmBackendInterface *iface)
{
  iface->push = sqlite_push;
  iface->pull = sqlite_pull;
  iface->get_record_grid = sqlite_get_record_grid;
  iface->get_site = sqlite_get_site;
  iface->get_last_hlc = sqlite_get_last_hlc;
  iface->add_user = sqlite_add_user;
  iface->lookup_user = sqlite_lookup_user;
  iface->list_users = sqlite_list_users;
  iface->update_user = sqlite_update_user;
  iface->add_token = sqlite_add_token;
  iface->lookup_token = sqlite_lookup_token;
  iface->revoke_token = sqlite_revoke_token;
  iface->compute_digest = sqlite_compute_digest;
  iface->check = sqlite_check;
  iface->backup = sqlite_backup;
}

SmBackend *
sm_backend_sqlite_open (const char  *data_dir,
                        GError     **error)
{
  g_autoptr(SmBackendSqlite) self = NULL;
  g_autofree char *path = NULL;
  char *message = NULL;

  g_return_val_if_fail (data_dir != NULL, NULL);

  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create the data folder %s: %s"), data_dir, g_strerror (saved));
      return NULL;
    }

  self = g_object_new (SM_TYPE_BACKEND_SQLITE, NULL);
  path = g_build_filename (data_dir, DB_NAME, NULL);
  if (!(self->store = sm_store_open (path, error)))
    return NULL;
  self->db = sm_store_get_connection (self->store);

  /* Several processes share the file (the server, and the command line while it runs). */
  sqlite3_busy_timeout (self->db, 5000);

  if (sqlite3_exec (self->db, server_schema, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, SM_SERVER_ERROR, SM_SERVER_ERROR_INTERNAL,
                   _("Cannot prepare the server’s database %s: %s"), path, message);
      sqlite3_free (message);
      return NULL;
    }

  return SM_BACKEND (g_steal_pointer (&self));
}

SmStore *
sm_backend_sqlite_get_store (SmBackendSqlite *self)
{
  g_return_val_if_fail (SM_IS_BACKEND_SQLITE (self), NULL);

  return self->store;
}
