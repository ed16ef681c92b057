/* sm-store.c — the local SQLite replica: schema, transactions, writes and merges
 *
 * Local edits and remote merges share one path (apply_batch): the batch is grouped by
 * record, each record is read once with its packed field clocks, every field is decided
 * by sm-merge, and each record that changed is written once. Local edits add outbox rows
 * in the same transaction. Queries and search live in sm-store-query.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-store"

#include "sm-store-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sm-demand-status.h"
#include "sm-field-clocks.h"
#include "sm-search-text.h"
#include "sm-validate.h"

G_DEFINE_QUARK (sm-store-error-quark, sm_store_error)

G_DEFINE_FINAL_TYPE (SmStore, sm_store, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* One record as the merge sees it: read once, decided field by field, written once. */
typedef struct {
  const SmTable *table;
  char          *id;
  gint64         rowid;
  gboolean       exists;
  gboolean       dirty;
  guint64        changed;  /* bit per field index whose value changed */
  GVariant     **values;
  SmFieldClock  *clocks;
  char          *search_doc;  /* what the search index holds for the row now */
} RecordState;

typedef struct {
  const SmTable *table;
  const char    *id;
} RecordKey;

/* Fields whose change means the record's search document must be rebuilt. */
static const struct {
  const char *table;
  const char *fields[4];
} search_sources[] = {
  { "resident", { "name", "phone", "_deleted", NULL } },
  { "household", { "address", "phone", "_deleted", NULL } },
};

static guint64 clock_now_ms (gpointer user_data);

static gboolean
table_has_search (const SmTable *table)
{
  for (guint i = 0; i < G_N_ELEMENTS (search_sources); i++)
    if (g_str_equal (search_sources[i].table, table->name))
      return TRUE;

  return FALSE;
}

/* ---------------------------------------------------------------- errors and SQL */

gboolean
sm_store_set_sqlite_error (SmStore  *self,
                           int       rc,
                           GError  **error)
{
  SmStoreError code;

  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = SM_STORE_ERROR_BUSY;
      break;
    case SQLITE_FULL:
      code = SM_STORE_ERROR_FULL;
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = SM_STORE_ERROR_CORRUPT;
      break;
    case SQLITE_IOERR:
      code = SM_STORE_ERROR_IO;
      break;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
      code = SM_STORE_ERROR_OPEN;
      break;
    default:
      code = SM_STORE_ERROR_FAILED;
      break;
    }

  g_set_error (error, SM_STORE_ERROR, code,
               /* Translators: %s is SQLite's own (English) description of the failure */
               _("The local database failed: %s"),
               self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
  return FALSE;
}

sqlite3_stmt *
sm_store_prepare (SmStore     *self,
                  const char  *sql,
                  GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      sm_store_set_sqlite_error (self, rc, error);
      g_warning ("Cannot prepare %s: %s", sql, sqlite3_errmsg (self->db));
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

sqlite3_stmt *
sm_store_prepare_slot (SmStore        *self,
                       sqlite3_stmt  **slot,
                       const char     *sql,
                       GError        **error)
{
  if (*slot != NULL)
    {
      sqlite3_reset (*slot);
      sqlite3_clear_bindings (*slot);
      return *slot;
    }

  return *slot = sm_store_prepare (self, sql, error);
}

gboolean
sm_store_step_done (SmStore       *self,
                    sqlite3_stmt  *stmt,
                    GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return sm_store_set_sqlite_error (self, rc, error);

  return TRUE;
}

gint64
sm_store_step_count (SmStore       *self,
                     sqlite3_stmt  *stmt,
                     GError       **error)
{
  gint64 n = -1;
  int rc;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  else
    sm_store_set_sqlite_error (self, rc, error);
  sqlite3_reset (stmt);

  return n;
}

static gboolean
exec (SmStore     *self,
      const char  *sql,
      GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return sm_store_set_sqlite_error (self, rc, error);

  return TRUE;
}

void
sm_store_bind_value (sqlite3_stmt *stmt,
                     int           column,
                     GVariant     *value)
{
  if (value == NULL)
    sqlite3_bind_null (stmt, column);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    sqlite3_bind_int64 (stmt, column, g_variant_get_int64 (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    sqlite3_bind_int (stmt, column, g_variant_get_boolean (value) ? 1 : 0);
  else
    {
      gsize len;
      const char *s = g_variant_get_string (value, &len);

      /* The variant outlives the step, so SQLite need not copy. */
      sqlite3_bind_text (stmt, column, s, (int) len, SQLITE_STATIC);
    }
}

GVariant *
sm_store_column_value (sqlite3_stmt  *stmt,
                       int            column,
                       const SmField *field)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;

  switch (field->type)
    {
    case SM_FIELD_INT:
      return g_variant_ref_sink (g_variant_new_int64 (sqlite3_column_int64 (stmt, column)));
    case SM_FIELD_BOOL:
      return g_variant_ref_sink (g_variant_new_boolean (sqlite3_column_int (stmt, column) != 0));
    case SM_FIELD_TEXT:
    case SM_FIELD_DATE:
    case SM_FIELD_TIMESTAMP:
    case SM_FIELD_ENUM:
    case SM_FIELD_REF:
    default:
      return g_variant_ref_sink (g_variant_new_string ((const char *) sqlite3_column_text (stmt, column)));
    }
}

SmPinyin *
sm_store_get_pinyin (SmStore *self)
{
  g_autoptr(GError) error = NULL;

  /* Without ICU's transliterator names are still found by their characters: a missing
   * data file must not stop a worker from saving, nor cost a retry on every write. */
  if (self->pinyin == NULL && !self->pinyin_failed &&
      !(self->pinyin = sm_pinyin_new (&error)))
    {
      g_warning ("Search by pinyin is unavailable: %s", error->message);
      self->pinyin_failed = TRUE;
    }

  return self->pinyin;
}

/* ---------------------------------------------------------------- transactions */

/* Another connection to the same replica (an import in a worker thread, say) writes with
 * the same site and saves its clock in sync_state. Under the write lock, take the later of
 * the two, so that this connection's next write never reuses a (clock, site) pair. */
static gboolean
catch_up_clock (SmStore  *self,
                GError  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = sm_store_prepare (self, "SELECT value FROM sync_state WHERE key = 'last_hlc'", error)))
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    self->last_hlc = MAX (self->last_hlc, (SmHlc) sqlite3_column_int64 (stmt, 0));
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sm_store_set_sqlite_error (self, rc, error);

  return TRUE;
}

gboolean
sm_store_begin (SmStore  *self,
                GError  **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (SM_IS_STORE (self), FALSE);

  /* IMMEDIATE takes the write lock now rather than failing with BUSY halfway through. */
  if (self->tx_depth == 0)
    sql = g_strdup ("BEGIN IMMEDIATE");
  else
    sql = g_strdup_printf ("SAVEPOINT sp%u", self->tx_depth);

  if (!exec (self, sql, error))
    return FALSE;

  self->tx_depth++;

  /* (Not while opening: sync_state and the site come with the schema.) */
  if (self->tx_depth == 1 && self->site[0] != '\0' && !catch_up_clock (self, error))
    {
      sm_store_rollback (self);
      return FALSE;
    }

  return TRUE;
}

gboolean
sm_store_commit (SmStore  *self,
                 GError  **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (SM_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->tx_depth > 0, FALSE);

  if (self->tx_depth == 1)
    sql = g_strdup ("COMMIT");
  else
    sql = g_strdup_printf ("RELEASE sp%u", self->tx_depth - 1);

  if (!exec (self, sql, error))
    {
      sm_store_rollback (self);
      return FALSE;
    }

  self->tx_depth--;

  /* Only now are the writes visible to anyone who reads, views included. */
  if (self->tx_depth == 0 && self->tx_wrote_records)
    {
      self->tx_wrote_records = FALSE;
      g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
    }

  return TRUE;
}

void
sm_store_rollback (SmStore *self)
{
  g_autofree char *sql = NULL;

  g_return_if_fail (SM_IS_STORE (self));
  g_return_if_fail (self->tx_depth > 0);

  if (self->tx_depth == 1)
    sql = g_strdup ("ROLLBACK");
  else
    sql = g_strdup_printf ("ROLLBACK TO sp%u; RELEASE sp%u", self->tx_depth - 1,
                           self->tx_depth - 1);

  /* A failed rollback leaves SQLite's own automatic rollback in place. */
  sqlite3_exec (self->db, sql, NULL, NULL, NULL);
  self->tx_depth--;
  /* A savepoint rolled back may leave the flag set: one needless "changed" at most. */
  if (self->tx_depth == 0)
    self->tx_wrote_records = FALSE;
}

/* ---------------------------------------------------------------- schema and migration */

static const char *
sql_type (const SmField *field)
{
  switch (field->type)
    {
    case SM_FIELD_INT:
    case SM_FIELD_BOOL:
      return "INTEGER";
    case SM_FIELD_TEXT:
    case SM_FIELD_DATE:
    case SM_FIELD_TIMESTAMP:
    case SM_FIELD_ENUM:
    case SM_FIELD_REF:
    default:
      return "TEXT";
    }
}

static void
table_sql_build (SmTableSql    *sql,
                 const SmTable *table)
{
  g_autoptr(GString) columns = g_string_new ("\"id\"");
  g_autoptr(GString) upsert = g_string_new (NULL);
  g_autoptr(GString) values = g_string_new ("?1");
  g_autoptr(GString) updates = g_string_new (NULL);
  guint param = 2;

  for (guint f = 0; f < table->n_fields; f++)
    g_string_append_printf (columns, ", \"%s\"", table->fields[f].name);
  g_string_append (columns, ", \"_clocks\"");

  /* Stored fields bind ?2…, then _clocks; derived fields are written separately. */
  g_string_append_printf (upsert, "INSERT INTO \"%s\" (\"id\"", table->name);
  for (guint f = 0; f < table->n_fields; f++)
    {
      const SmField *field = &table->fields[f];

      if (field->flags & SM_FIELD_FLAG_DERIVED)
        continue;

      g_string_append_printf (upsert, ", \"%s\"", field->name);
      g_string_append_printf (values, ", ?%u", param++);
      g_string_append_printf (updates, "\"%s\" = excluded.\"%s\", ", field->name, field->name);
    }
  sql->n_stored = param - 2;
  sql->has_search = table_has_search (table);
  g_string_append_printf (values, ", ?%u", param);
  if (sql->has_search)
    {
      g_string_append_printf (values, ", ?%u", param + 1);
      g_string_append (upsert, ", \"_clocks\", \"_search\"");
      g_string_append (updates, "\"_search\" = excluded.\"_search\", ");
    }
  else
    g_string_append (upsert, ", \"_clocks\"");
  g_string_append_printf (upsert, ") VALUES (%s) ON CONFLICT(\"id\") DO UPDATE SET %s"
                          "\"_clocks\" = excluded.\"_clocks\"", values->str, updates->str);

  sql->columns = g_strdup (columns->str);
  sql->upsert = g_string_free (g_steal_pointer (&upsert), FALSE);
  sql->select_one = g_strdup_printf ("SELECT rowid, %s%s FROM \"%s\" WHERE \"id\" = ?1",
                                     columns->str, sql->has_search ? ", \"_search\"" : "",
                                     table->name);
  sql->select_all = g_strdup_printf ("SELECT rowid, %s FROM \"%s\" ORDER BY \"id\"",
                                     columns->str, table->name);
}

/* The indexes the queries of sm-store-query.c walk, and the fields whose own index each
 * makes redundant: every household list is asked for within a grid, so household_natural_order
 * serves lookups by grid and by building alike. An index left out is a B-tree insert
 * fewer on every write of a merge. */
static const struct {
  const char *name;
  const char *table;
  const char *columns;
  const char *covers;  /* space-separated */
} composite_indexes[] = {
  /* Units and rooms are text ("2", "1001", "A3"): numbers sort by value first (101, 102,
   * 1001, not 101, 1001, 102), then as text. The queries name these same expressions
   * (HOUSEHOLD_ORDER in sm-store-query.c) so that SQLite walks this index. */
  { "household_natural_order", "household",
    "grid_id, building_id, CAST(unit AS INTEGER), unit, CAST(room AS INTEGER), room",
    "grid_id building_id" },
  { "visit_household_time", "visit", "household_id, visited_at", "household_id" },
  { "demand_status_time", "demand", "status, reported_at", "status" },
};

static gboolean
composite_index_covers (const char *table,
                        const char *field)
{
  for (guint i = 0; i < G_N_ELEMENTS (composite_indexes); i++)
    {
      g_auto(GStrv) covered = NULL;

      if (!g_str_equal (composite_indexes[i].table, table))
        continue;
      covered = g_strsplit (composite_indexes[i].covers, " ", -1);
      if (g_strv_contains ((const char * const *) covered, field))
        return TRUE;
    }

  return FALSE;
}

static gboolean
create_tables (SmStore  *self,
               GError  **error)
{
  guint n_tables;
  const SmTable *tables = sm_schema_get_tables (&n_tables);
  g_autoptr(GString) sql = g_string_new (NULL);

  for (guint t = 0; t < n_tables; t++)
    {
      const SmTable *table = &tables[t];

      g_string_append_printf (sql, "CREATE TABLE IF NOT EXISTS \"%s\" (\"id\" TEXT PRIMARY KEY NOT NULL",
                              table->name);
      for (guint f = 0; f < table->n_fields; f++)
        g_string_append_printf (sql, ", \"%s\" %s", table->fields[f].name,
                                sql_type (&table->fields[f]));
      g_string_append (sql, table_has_search (table) ? ", \"_clocks\" BLOB, \"_search\" TEXT);\n"
                                                     : ", \"_clocks\" BLOB);\n");

      for (guint f = 0; f < table->n_fields; f++)
        if ((table->fields[f].flags & SM_FIELD_FLAG_INDEXED) &&
            !composite_index_covers (table->name, table->fields[f].name))
          g_string_append_printf (sql, "CREATE INDEX IF NOT EXISTS \"%s_%s\" ON \"%s\" (\"%s\");\n",
                                  table->name, table->fields[f].name, table->name,
                                  table->fields[f].name);
    }

  /* Replaced by household_natural_order, in replicas made before it. */
  g_string_append (sql, "DROP INDEX IF EXISTS household_order;\n");
  for (guint i = 0; i < G_N_ELEMENTS (composite_indexes); i++)
    g_string_append_printf (sql, "CREATE INDEX IF NOT EXISTS %s ON %s (%s);\n", composite_indexes[i].name,
                            composite_indexes[i].table, composite_indexes[i].columns);

  g_string_append (sql,
    "CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    " tbl TEXT NOT NULL, row_id TEXT NOT NULL, field TEXT NOT NULL, value,"
    " h INTEGER NOT NULL, b INTEGER NOT NULL, grid TEXT NOT NULL,"
    " UNIQUE (tbl, row_id, field));\n"
    "CREATE TABLE IF NOT EXISTS rejected (seq INTEGER PRIMARY KEY,"
    " tbl TEXT NOT NULL, row_id TEXT NOT NULL, field TEXT NOT NULL, value,"
    " h INTEGER NOT NULL, b INTEGER NOT NULL, grid TEXT NOT NULL,"
    " code TEXT NOT NULL, message TEXT NOT NULL, at TEXT NOT NULL);\n"
    "CREATE TABLE IF NOT EXISTS sync_state (key TEXT PRIMARY KEY NOT NULL, value);\n"
    /* The search documents live in the records' own "_search" column (external content):
     * one B-tree insert fewer per record than FTS5 keeping its own copy, and the document
     * to take out of the index when a record changes is the one that was put in. */
    "CREATE VIRTUAL TABLE IF NOT EXISTS resident_search USING fts5 (_search,"
    " content = 'resident', content_rowid = 'rowid',"
    " tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3');\n"
    /* Households cost a merge most: their addresses are a dozen one-character Han tokens
     * each. So no prefix indexes (a third of a bulk merge; prefix queries on phone digits
     * still work from the main index), no per-row sizes (columnsize = 0: bm25 reads the
     * few ranked candidates' documents instead), and merging index segments in larger
     * steps (automerge 16, set again at every open, which is harmless). */
    "CREATE VIRTUAL TABLE IF NOT EXISTS household_search USING fts5 (_search,"
    " content = 'household', content_rowid = 'rowid',"
    " tokenize = 'unicode61 remove_diacritics 2', columnsize = 0);\n"
    "INSERT INTO household_search (household_search, rank) VALUES ('automerge', 16);\n");

  return exec (self, sql->str, error);
}

/* A field appended to the schema becomes a column here: that is the whole migration for
 * a new field (DESIGN §2: one line in sm-schema plus this). */
static gboolean
add_missing_columns (SmStore  *self,
                     GError  **error)
{
  guint n_tables;
  const SmTable *tables = sm_schema_get_tables (&n_tables);

  for (guint t = 0; t < n_tables; t++)
    {
      g_autofree char *info_sql = g_strdup_printf ("PRAGMA table_info(\"%s\")", tables[t].name);
      g_autoptr(GHashTable) present = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      sqlite3_stmt *stmt;

      if (sqlite3_prepare_v2 (self->db, info_sql, -1, &stmt, NULL) != SQLITE_OK)
        return sm_store_set_sqlite_error (self, sqlite3_errcode (self->db), error);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_hash_table_add (present, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      sqlite3_finalize (stmt);

      for (guint f = 0; f < tables[t].n_fields; f++)
        {
          const SmField *field = &tables[t].fields[f];
          g_autofree char *alter = NULL;

          if (g_hash_table_contains (present, field->name))
            continue;

          alter = g_strdup_printf ("ALTER TABLE \"%s\" ADD COLUMN \"%s\" %s", tables[t].name,
                                   field->name, sql_type (field));
          if (!exec (self, alter, error))
            return FALSE;
        }
    }

  return TRUE;
}

static gboolean
load_sync_state (SmStore  *self,
                 GError  **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *site = NULL;

  if (!(stmt = sm_store_prepare (self, "SELECT key, value FROM sync_state", error)))
    return FALSE;

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *key = (const char *) sqlite3_column_text (stmt, 0);

      if (g_str_equal (key, "site"))
        site = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      else if (g_str_equal (key, "last_hlc"))
        self->last_hlc = (SmHlc) sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);

  if (site != NULL && sm_site_is_valid (site))
    {
      memcpy (self->site, site, SM_SITE_STRING_LEN + 1);
      return TRUE;
    }

  /* A new replica: it gets its own site for good. */
  site = sm_site_new_random ();
  memcpy (self->site, site, SM_SITE_STRING_LEN + 1);

  if (!(stmt = sm_store_prepare (self, "INSERT OR REPLACE INTO sync_state (key, value) VALUES ('site', ?1)", error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, self->site, -1, SQLITE_STATIC);
  return sm_store_step_done (self, stmt, error);
}

static gboolean
migrate (SmStore  *self,
         GError  **error)
{
  sqlite3_stmt *stmt;
  int version;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
    return sm_store_set_sqlite_error (self, sqlite3_errcode (self->db), error);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      int rc = sqlite3_errcode (self->db);

      sqlite3_finalize (stmt);
      return sm_store_set_sqlite_error (self, rc, error);
    }
  version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  if (version > SM_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, SM_STORE_ERROR, SM_STORE_ERROR_TOO_NEW,
                   _("The local database was written by a newer version of Sanmen (format %d, this version reads up to %d). Please update Sanmen."),
                   version, SM_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  if (!sm_store_begin (self, error))
    return FALSE;

  /* Version 0 → 1 creates everything; later versions add their steps below. */
  if (!create_tables (self, error) ||
      !add_missing_columns (self, error) ||
      !exec (self, "PRAGMA user_version = " G_STRINGIFY (SM_STORE_SCHEMA_VERSION), error) ||
      !load_sync_state (self, error))
    {
      sm_store_rollback (self);
      return FALSE;
    }

  return sm_store_commit (self, error);
}

/* ---------------------------------------------------------------- object */

static void
sm_store_finalize (GObject *object)
{
  SmStore *self = (SmStore *) object;
  guint n_tables;

  sm_schema_get_tables (&n_tables);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->table_sql != NULL)
    for (guint t = 0; t < n_tables; t++)
      {
        g_free (self->table_sql[t].columns);
        g_free (self->table_sql[t].select_one);
        g_free (self->table_sql[t].upsert);
        g_free (self->table_sql[t].select_all);
      }
  g_free (self->table_sql);
  g_clear_pointer (&self->pinyin, sm_pinyin_free);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_free (self->path);

  G_OBJECT_CLASS (sm_store_parent_class)->finalize (object);
}

static void
sm_store_class_init (SmStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sm_store_finalize;

  /**
   * SmStore::changed:
   * @self: the store
   *
   * Emitted after a transaction that wrote records (local writes and merges alike) has
   * committed, in the thread that committed it, so views can read the store again.
   * Acknowledging the outbox and saving the cursor do not count.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
sm_store_init (SmStore *self)
{
  guint n_tables;
  const SmTable *tables = sm_schema_get_tables (&n_tables);

  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
  self->table_sql = g_new0 (SmTableSql, n_tables);
  for (guint t = 0; t < n_tables; t++)
    table_sql_build (&self->table_sql[t], &tables[t]);

  self->clock_func = clock_now_ms;
}

static guint64
clock_now_ms (gpointer user_data)
{
  return sm_hlc_now_ms ();
}

SmStore *
sm_store_open (const char  *path,
               GError     **error)
{
  g_autoptr(SmStore) self = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (SM_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, SM_STORE_ERROR, SM_STORE_ERROR_OPEN,
                   /* Translators: %s is a file name, then SQLite's description */
                   _("Cannot open the local database “%s”: %s"), path,
                   self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 5000);

  /* WAL: readers never block the writer. NORMAL: a power cut may lose the last commits
   * but never corrupts, and unsynced local edits are still in the outbox's past state.
   * Foreign keys stay off: sync may deliver a child before its parent. */
  if (!exec (self, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                   " PRAGMA temp_store = MEMORY; PRAGMA cache_size = -32768;"
                   " PRAGMA foreign_keys = OFF", error))
    {
      g_prefix_error (error, _("Cannot open the local database “%s”: "), path);
      return NULL;
    }

  if (!migrate (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
sm_store_get_path (SmStore *self)
{
  g_return_val_if_fail (SM_IS_STORE (self), NULL);

  return self->path;
}

const char *
sm_store_get_site (SmStore *self)
{
  g_return_val_if_fail (SM_IS_STORE (self), NULL);

  return self->site;
}

SmHlc
sm_store_get_last_hlc (SmStore *self)
{
  g_return_val_if_fail (SM_IS_STORE (self), SM_HLC_ZERO);

  return self->last_hlc;
}

void
sm_store_set_clock_func (SmStore          *self,
                         SmStoreClockFunc  func,
                         gpointer          user_data)
{
  g_return_if_fail (SM_IS_STORE (self));

  self->clock_func = func ? func : clock_now_ms;
  self->clock_data = func ? user_data : NULL;
}

/* ---------------------------------------------------------------- record state */

static void
record_state_free (RecordState *state)
{
  for (guint f = 0; f < state->table->n_fields; f++)
    g_clear_pointer (&state->values[f], g_variant_unref);
  g_free (state->values);
  g_free (state->clocks);
  g_free (state->search_doc);
  g_free (state->id);
  g_free (state);
}

static guint
record_key_hash (gconstpointer key)
{
  const RecordKey *k = key;

  return g_str_hash (k->id) ^ (k->table->index * 2654435761u);
}

static gboolean
record_key_equal (gconstpointer a,
                  gconstpointer b)
{
  const RecordKey *ka = a, *kb = b;

  return ka->table == kb->table && strcmp (ka->id, kb->id) == 0;
}

static RecordState *
record_state_load (SmStore        *self,
                   const SmTable  *table,
                   const char     *id,
                   GError        **error)
{
  RecordState *state;
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = sm_store_prepare_slot (self, &self->table_sql[table->index].select_one_stmt,
                                      self->table_sql[table->index].select_one, error)))
    return NULL;

  state = g_new0 (RecordState, 1);
  state->table = table;
  state->id = g_strdup (id);
  state->values = g_new0 (GVariant *, table->n_fields);
  state->clocks = g_new0 (SmFieldClock, table->n_fields);

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    {
      /* rowid, id, fields…, _clocks */
      int clocks_col = 2 + (int) table->n_fields;

      state->exists = TRUE;
      state->rowid = sqlite3_column_int64 (stmt, 0);
      for (guint f = 0; f < table->n_fields; f++)
        state->values[f] = sm_store_column_value (stmt, 2 + (int) f, &table->fields[f]);

      if (self->table_sql[table->index].has_search)
        state->search_doc = g_strdup ((const char *) sqlite3_column_text (stmt, clocks_col + 1));

      if (!sm_field_clocks_decode (sqlite3_column_blob (stmt, clocks_col),
                                   (gsize) sqlite3_column_bytes (stmt, clocks_col),
                                   state->clocks, table->n_fields))
        {
          sqlite3_reset (stmt);
          record_state_free (state);
          g_set_error (error, SM_STORE_ERROR, SM_STORE_ERROR_CORRUPT,
                       _("The local database is damaged: a record of “%s” has unreadable clocks"),
                       sm_table_get_label (table));
          return NULL;
        }
    }
  else if (rc != SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      record_state_free (state);
      sm_store_set_sqlite_error (self, rc, error);
      return NULL;
    }

  sqlite3_reset (stmt);
  return state;
}

/* The document the search index holds for the record: NULL for a deleted one. */
static char *
build_search_doc (SmStore     *self,
                  RecordState *state)
{
  const SmTable *table = state->table;
  GVariant *deleted = state->values[SM_FIELD_INDEX_DELETED];
  GVariant *v;
  const char *name = NULL, *phone = NULL, *address = NULL;

  if (deleted != NULL && g_variant_get_boolean (deleted))
    return NULL;

  if ((v = state->values[sm_table_lookup_field (table, "phone")->index]))
    phone = g_variant_get_string (v, NULL);

  if (g_str_equal (table->name, "resident"))
    {
      if ((v = state->values[sm_table_lookup_field (table, "name")->index]))
        name = g_variant_get_string (v, NULL);
      return sm_search_text_document (sm_store_get_pinyin (self), name, phone, NULL);
    }

  if ((v = state->values[sm_table_lookup_field (table, "address")->index]))
    address = g_variant_get_string (v, NULL);
  return sm_search_text_document (NULL, NULL, phone, address);
}

/* Adds (@delete FALSE) or takes out (@delete TRUE) @doc for @rowid in the table's index.
 * An external-content index is told the old document to take out: FTS5 cannot find it. */
static gboolean
index_search_doc (SmStore        *self,
                  const SmTable  *table,
                  gint64          rowid,
                  const char     *doc,
                  gboolean        delete,
                  GError        **error)
{
  gboolean is_resident = g_str_equal (table->name, "resident");
  const char *sql;
  sqlite3_stmt *stmt;

  if (delete)
    sql = is_resident ? "INSERT INTO resident_search (resident_search, rowid, _search) VALUES ('delete', ?1, ?2)"
                      : "INSERT INTO household_search (household_search, rowid, _search) VALUES ('delete', ?1, ?2)";
  else
    sql = is_resident ? "INSERT INTO resident_search (rowid, _search) VALUES (?1, ?2)"
                      : "INSERT INTO household_search (rowid, _search) VALUES (?1, ?2)";

  if (!(stmt = sm_store_prepare (self, sql, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rowid);
  sqlite3_bind_text (stmt, 2, doc, -1, SQLITE_STATIC);
  if (!sm_store_step_done (self, stmt, error))
    return FALSE;

  /* The cached statement must not keep pointing at @doc once it is freed. */
  sqlite3_clear_bindings (stmt);
  return TRUE;
}

static gboolean
needs_search_update (RecordState *state)
{
  for (guint i = 0; i < G_N_ELEMENTS (search_sources); i++)
    {
      if (!g_str_equal (search_sources[i].table, state->table->name))
        continue;

      for (guint j = 0; j < G_N_ELEMENTS (search_sources[i].fields) && search_sources[i].fields[j]; j++)
        {
          const SmField *f = sm_table_lookup_field (state->table, search_sources[i].fields[j]);

          if (state->changed & (G_GUINT64_CONSTANT (1) << f->index))
            return TRUE;
        }
    }

  return FALSE;
}

static gboolean
record_state_save (SmStore      *self,
                   RecordState  *state,
                   GByteArray   *scratch,
                   GError      **error)
{
  const SmTable *table = state->table;
  const SmTableSql *table_sql = &self->table_sql[table->index];
  gboolean search_changed = table_sql->has_search && needs_search_update (state);
  g_autofree char *new_doc = search_changed ? build_search_doc (self, state) : NULL;
  sqlite3_stmt *stmt;
  int param = 2;
  int rc;

  if (search_changed && state->exists && state->search_doc != NULL &&
      !index_search_doc (self, table, state->rowid, state->search_doc, TRUE, error))
    return FALSE;

  if (!(stmt = sm_store_prepare_slot (self, &self->table_sql[table->index].upsert_stmt,
                                      table_sql->upsert, error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, state->id, -1, SQLITE_STATIC);
  for (guint f = 0; f < table->n_fields; f++)
    {
      if (table->fields[f].flags & SM_FIELD_FLAG_DERIVED)
        continue;
      sm_store_bind_value (stmt, param++, state->values[f]);
    }

  sm_field_clocks_encode (state->clocks, table->n_fields, scratch);
  sqlite3_bind_blob (stmt, param++, scratch->data, (int) scratch->len, SQLITE_STATIC);
  if (table_sql->has_search)
    sqlite3_bind_text (stmt, param, search_changed ? new_doc : state->search_doc, -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return sm_store_set_sqlite_error (self, rc, error);

  if (!state->exists)
    state->rowid = sqlite3_last_insert_rowid (self->db);

  if (search_changed)
    {
      if (new_doc != NULL && !index_search_doc (self, table, state->rowid, new_doc, FALSE, error))
        return FALSE;
      g_free (state->search_doc);
      state->search_doc = g_steal_pointer (&new_doc);
    }

  /* Now that it is written, later steps treat it as existing (for search updates). */
  state->exists = TRUE;
  return TRUE;
}

/* ---------------------------------------------------------------- demand status */

static gboolean
derive_demand_status (SmStore     *self,
                      const char  *demand_id,
                      GError     **error)
{
  static const char *events_sql =
    "SELECT action, satisfaction, at, _clocks FROM demand_event"
    " WHERE demand_id = ?1 AND _deleted IS NOT 1";
  static const char *update_sql =
    "UPDATE demand SET status = ?2, responded_at = ?3 WHERE id = ?1"
    " AND (status IS NOT ?2 OR responded_at IS NOT ?3)";
  const SmTable *table = sm_schema_lookup_table ("demand_event");
  guint action_index = sm_table_lookup_field (table, "action")->index;
  g_autoptr(GArray) events = g_array_new (FALSE, FALSE, sizeof (SmDemandEvent));
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autofree SmFieldClock *clocks = g_new0 (SmFieldClock, table->n_fields);
  SmDemandState state;
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = sm_store_prepare (self, events_sql, error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, demand_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SmDemandEvent ev;
      char *site;

      if (!sm_field_clocks_decode (sqlite3_column_blob (stmt, 3), (gsize) sqlite3_column_bytes (stmt, 3),
                                   clocks, table->n_fields))
        continue;

      site = g_strdup (clocks[action_index].site);
      g_ptr_array_add (strings, site);
      ev.hlc = clocks[action_index].hlc;
      ev.site = site;
      ev.action = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      ev.satisfaction = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      ev.at = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      g_ptr_array_add (strings, (char *) ev.action);
      g_ptr_array_add (strings, (char *) ev.satisfaction);
      g_ptr_array_add (strings, (char *) ev.at);
      g_array_append_val (events, ev);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return sm_store_set_sqlite_error (self, rc, error);

  sm_demand_status_derive ((SmDemandEvent *) (gpointer) events->data, events->len, &state);

  if (!(stmt = sm_store_prepare (self, update_sql, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, demand_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, state.status, -1, SQLITE_STATIC);
  if (state.responded_at)
    sqlite3_bind_text (stmt, 3, state.responded_at, -1, SQLITE_STATIC);
  return sm_store_step_done (self, stmt, error);
}

/* ---------------------------------------------------------------- the write path */

static gboolean
save_last_hlc (SmStore  *self,
               GError  **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = sm_store_prepare (self, "INSERT OR REPLACE INTO sync_state (key, value) VALUES ('last_hlc', ?1)", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) self->last_hlc);
  return sm_store_step_done (self, stmt, error);
}

static gboolean
save_cursor (SmStore     *self,
             const char  *cursor,
             GError     **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = sm_store_prepare (self, "INSERT OR REPLACE INTO sync_state (key, value) VALUES ('cursor', ?1)", error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, cursor, -1, SQLITE_STATIC);
  return sm_store_step_done (self, stmt, error);
}

static gboolean
outbox_add (SmStore   *self,
            SmChange  *change,
            GError   **error)
{
  sqlite3_stmt *stmt;

  /* A newer local write of the same field replaces the older one with a new seq: an ack
   * for the old seq (its push may be in flight) must not remove the new value. */
  if (!(stmt = sm_store_prepare (self, "DELETE FROM outbox WHERE tbl = ?1 AND row_id = ?2 AND field = ?3", error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, change->table->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, change->row_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, change->field->name, -1, SQLITE_STATIC);
  if (!sm_store_step_done (self, stmt, error))
    return FALSE;

  if (!(stmt = sm_store_prepare (self, "INSERT INTO outbox (tbl, row_id, field, value, h, b, grid)"
                                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, change->table->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, change->row_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, change->field->name, -1, SQLITE_STATIC);
  sm_store_bind_value (stmt, 4, change->value);
  sqlite3_bind_int64 (stmt, 5, (sqlite3_int64) change->hlc);
  sqlite3_bind_int64 (stmt, 6, (sqlite3_int64) change->base);
  sqlite3_bind_text (stmt, 7, change->grid_id, -1, SQLITE_STATIC);
  return sm_store_step_done (self, stmt, error);
}

static void
record_conflict (SmApplyResult      *result,
                 const SmChange     *change,
                 const SmFieldClock *winner,
                 GVariant           *winner_value,
                 const SmFieldClock *loser,
                 GVariant           *loser_value)
{
  SmMergeConflict *conflict = g_new0 (SmMergeConflict, 1);

  conflict->field = change->field;
  conflict->row_id = g_strdup (change->row_id);
  conflict->grid_id = g_strdup (change->grid_id);
  conflict->winner = *winner;
  conflict->winner_value = winner_value ? g_variant_ref (winner_value) : NULL;
  conflict->loser = *loser;
  conflict->loser_value = loser_value ? g_variant_ref (loser_value) : NULL;
  g_ptr_array_add (result->conflicts, conflict);
}

/* Decides one change against its record's state. */
static void
merge_change (RecordState   *state,
              SmChange      *change,
              SmApplyResult *result)
{
  guint f = change->field->index;
  SmFieldClock incoming = { change->hlc, change->base, "" };
  SmFieldClock *current = &state->clocks[f];

  memcpy (incoming.site, change->site, SM_SITE_STRING_LEN + 1);

  switch (sm_merge_decide (current, change->hlc, change->site))
    {
    case SM_MERGE_TAKE:
      if (result->conflicts != NULL && !sm_table_is_append_only (state->table) &&
          sm_merge_is_conflict (&incoming, change->value, current, state->values[f]))
        record_conflict (result, change, &incoming, change->value, current, state->values[f]);

      if (!sm_value_equal (state->values[f], change->value))
        state->changed |= G_GUINT64_CONSTANT (1) << f;
      g_clear_pointer (&state->values[f], g_variant_unref);
      state->values[f] = change->value ? g_variant_ref (change->value) : NULL;
      *current = incoming;
      state->dirty = TRUE;
      result->taken++;
      if (result->taken_changes != NULL)
        g_ptr_array_add (result->taken_changes, sm_change_ref (change));
      break;

    case SM_MERGE_KEEP:
      if (result->conflicts != NULL && !sm_table_is_append_only (state->table) &&
          sm_merge_is_conflict (current, state->values[f], &incoming, change->value))
        record_conflict (result, change, current, state->values[f], &incoming, change->value);
      result->kept++;
      break;

    case SM_MERGE_DUPLICATE:
    default:
      result->duplicates++;
      break;
    }
}

/* The one write path. @local: the changes are this replica's own edits, to be added to
 * the outbox; then @preloaded (taken) is the record they edit, already read for validation.
 * Runs inside a transaction the caller opened. */
static gboolean
apply_batch (SmStore        *self,
             GPtrArray      *changes,
             RecordState    *preloaded,
             SmApplyResult  *result,
             GError        **error)
{
  g_autoptr(GHashTable) states = g_hash_table_new_full (record_key_hash, record_key_equal,
                                                        g_free, (GDestroyNotify) record_state_free);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  g_autoptr(GHashTable) demands = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GByteArray) scratch = g_byte_array_sized_new (512);
  const SmTable *demand_event = sm_schema_lookup_table ("demand_event");
  const SmTable *demand = sm_schema_lookup_table ("demand");
  SmHlc max_hlc = self->last_hlc;
  gboolean local = preloaded != NULL;
  RecordState *last = NULL;
  GHashTableIter iter;
  gpointer key;

  if (preloaded != NULL)
    {
      RecordKey *k = g_new (RecordKey, 1);

      k->table = preloaded->table;
      k->id = preloaded->id;
      g_hash_table_insert (states, k, preloaded);
      g_ptr_array_add (order, preloaded);
    }

  for (guint i = 0; i < changes->len; i++)
    {
      SmChange *change = g_ptr_array_index (changes, i);
      RecordKey lookup = { change->table, change->row_id };
      RecordState *state;

      /* Changes come grouped by record (a pull, a local edit): the previous change's
       * record is the likely one, and comparing is cheaper than hashing the id. */
      if (last != NULL && last->table == change->table && strcmp (last->id, change->row_id) == 0)
        state = last;
      else
        state = g_hash_table_lookup (states, &lookup);

      if (state == NULL)
        {
          RecordKey *k;

          if (!(state = record_state_load (self, change->table, change->row_id, error)))
            return FALSE;

          k = g_new (RecordKey, 1);
          k->table = state->table;
          k->id = state->id;
          g_hash_table_insert (states, k, state);
          g_ptr_array_add (order, state);
        }

      merge_change (state, change, result);
      last = state;
      max_hlc = MAX (max_hlc, change->hlc);

      if (local && !outbox_add (self, change, error))
        return FALSE;
    }

  for (guint i = 0; i < order->len; i++)
    {
      RecordState *state = g_ptr_array_index (order, i);
      gboolean created = !state->exists;

      if (!state->dirty)
        continue;

      if (!record_state_save (self, state, scratch, error))
        return FALSE;
      self->tx_wrote_records = TRUE;

      if (state->table == demand_event)
        {
          GVariant *d = state->values[sm_table_lookup_field (demand_event, "demand_id")->index];

          if (d != NULL)
            g_hash_table_add (demands, g_variant_dup_string (d, NULL));
        }
      else if (state->table == demand && created)
        g_hash_table_add (demands, g_strdup (state->id));
    }

  g_hash_table_iter_init (&iter, demands);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!derive_demand_status (self, key, error))
      return FALSE;

  if (max_hlc != self->last_hlc)
    {
      self->last_hlc = max_hlc;
      if (!save_last_hlc (self, error))
        return FALSE;
    }

  return TRUE;
}

gboolean
sm_store_apply (SmStore        *self,
                GPtrArray      *changes,
                const char     *cursor,
                SmApplyResult  *result,
                GError        **error)
{
  SmApplyResult scratch = { 0, };
  SmHlc saved_hlc;

  g_return_val_if_fail (SM_IS_STORE (self), FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (result == NULL)
    result = &scratch;

  saved_hlc = self->last_hlc;

  if (!sm_store_begin (self, error))
    return FALSE;

  if (!apply_batch (self, changes, NULL, result, error) ||
      (cursor != NULL && !save_cursor (self, cursor, error)))
    {
      sm_store_rollback (self);
      self->last_hlc = saved_hlc;
      return FALSE;
    }

  if (!sm_store_commit (self, error))
    {
      self->last_hlc = saved_hlc;
      return FALSE;
    }

  return TRUE;
}

/* ---------------------------------------------------------------- local writes */

static const char *
lookup_string (GHashTable    *values,
               RecordState   *state,
               const char    *name)
{
  const SmField *field = sm_table_lookup_field (state->table, name);
  gpointer v;

  if (field == NULL)
    return NULL;

  if (values != NULL && g_hash_table_lookup_extended (values, name, NULL, &v))
    return v && g_variant_is_of_type (v, G_VARIANT_TYPE_STRING) ? g_variant_get_string (v, NULL) : NULL;

  return state->values[field->index] ? g_variant_get_string (state->values[field->index], NULL) : NULL;
}

/* The ID number must agree with the birth date when either is edited. */
static gboolean
check_cross_fields (RecordState  *state,
                    GHashTable   *values,
                    GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *id_number, *id_type, *birth_date;

  if (!g_str_equal (state->table->name, "resident"))
    return TRUE;

  if (!g_hash_table_contains (values, "id_number") && !g_hash_table_contains (values, "birth_date") &&
      !g_hash_table_contains (values, "id_type"))
    return TRUE;

  id_number = lookup_string (values, state, "id_number");
  id_type = lookup_string (values, state, "id_type");
  birth_date = lookup_string (values, state, "birth_date");

  /* Only the 18-character numbers carry a birth date (not the 2017 foreign card). */
  if (id_number == NULL || strlen (id_number) != 18 || birth_date == NULL || *birth_date == '\0')
    return TRUE;
  if (id_type != NULL && !g_str_equal (id_type, "cn_id") && !g_str_equal (id_type, "hmt_permit") &&
      !g_str_equal (id_type, "foreign_pr"))
    return TRUE;

  if (!sm_validate_id_number_birth (id_number, birth_date, &local_error))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ",
                                  sm_field_get_label (sm_table_lookup_field (state->table, "id_number")));
      return FALSE;
    }

  return TRUE;
}

/* Validates @values against the record as it stands and turns them into changes stamped
 * with one fresh HLC. */
static GPtrArray *
make_local_changes (SmStore      *self,
                    RecordState  *state,
                    const char   *grid_id,
                    GHashTable   *values,
                    gboolean      creating,
                    GError      **error)
{
  g_autoptr(GPtrArray) changes = sm_change_batch_new ();
  const SmTable *table = state->table;
  const char *id_type = lookup_string (values, state, "id_type");
  GHashTableIter iter;
  gpointer key, value;
  SmHlc hlc;

  if (creating)
    for (guint f = 0; f < table->n_fields; f++)
      {
        const SmField *field = &table->fields[f];

        if ((field->flags & SM_FIELD_FLAG_REQUIRED) && !g_hash_table_contains (values, field->name))
          {
            g_set_error (error, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_REQUIRED,
                         _("%s: a value is required"), sm_field_get_label (field));
            return NULL;
          }
      }

  if (!check_cross_fields (state, values, error))
    return NULL;

  hlc = sm_hlc_tick (self->last_hlc, self->clock_func (self->clock_data));

  g_hash_table_iter_init (&iter, values);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const SmField *field = sm_table_lookup_field (table, key);
      g_autoptr(GVariant) canonical = NULL;

      if (field == NULL)
        {
          g_set_error (error, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_UNKNOWN_FIELD,
                       _("unknown field “%s” in table “%s”"), (const char *) key, table->name);
          return NULL;
        }

      if (field->flags & SM_FIELD_FLAG_SYSTEM)
        {
          g_set_error (error, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_READ_ONLY,
                       _("%s: this value is computed and cannot be set"),
                       sm_field_get_label (field));
          return NULL;
        }

      if (!sm_field_validate_local (field, value, id_type, &canonical, error))
        return NULL;

      if (sm_table_is_append_only (table) && state->clocks[field->index].hlc != SM_HLC_ZERO)
        {
          g_set_error (error, SM_STORE_ERROR, SM_STORE_ERROR_APPEND_ONLY,
                       /* Translators: a field's label, then a table's, e.g. "Notes", "Visit" */
                       _("%s: records of “%s” cannot be changed once written"),
                       sm_field_get_label (field), sm_table_get_label (table));
          return NULL;
        }

      /* An empty optional text is stored as null: one way to say "not set". */
      if (canonical != NULL && g_variant_is_of_type (canonical, G_VARIANT_TYPE_STRING) &&
          *g_variant_get_string (canonical, NULL) == '\0')
        g_clear_pointer (&canonical, g_variant_unref);

      g_ptr_array_add (changes, sm_change_new (field, state->id, grid_id, canonical,
                                               hlc, self->site, state->clocks[field->index].hlc));
    }

  if (creating)
    g_ptr_array_add (changes, sm_change_new (&table->fields[SM_FIELD_INDEX_GRID_ID], state->id, grid_id,
                                             g_variant_new_string (grid_id), hlc, self->site, SM_HLC_ZERO));

  return g_steal_pointer (&changes);
}

static gboolean
write_local (SmStore      *self,
             const char   *table_name,
             const char   *id,
             const char   *grid_id,
             GHashTable   *values,
             gboolean      creating,
             GError      **error)
{
  const SmTable *table = sm_schema_lookup_table (table_name);
  g_autoptr(GPtrArray) changes = NULL;
  SmApplyResult result = { 0, };
  RecordState *state;
  SmHlc saved_hlc = self->last_hlc;

  if (table == NULL)
    {
      g_set_error (error, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_UNKNOWN_TABLE,
                   _("unknown table “%s”"), table_name);
      return FALSE;
    }

  if (!sm_store_begin (self, error))
    return FALSE;

  if (!(state = record_state_load (self, table, id, error)))
    goto fail;

  if (!creating && !state->exists)
    {
      g_set_error (error, SM_STORE_ERROR, SM_STORE_ERROR_NOT_FOUND,
                   /* Translators: a table label such as "Household", then an id */
                   _("%s “%s” does not exist"), sm_table_get_label (table), id);
      record_state_free (state);
      goto fail;
    }

  if (grid_id == NULL)
    grid_id = state->values[SM_FIELD_INDEX_GRID_ID] ? g_variant_get_string (state->values[SM_FIELD_INDEX_GRID_ID], NULL) : "unknown";

  changes = make_local_changes (self, state, grid_id, values, creating, error);
  if (changes == NULL)
    {
      record_state_free (state);
      goto fail;
    }

  if (!apply_batch (self, changes, state, &result, error))
    goto fail;

  return sm_store_commit (self, error);

fail:
  sm_store_rollback (self);
  self->last_hlc = saved_hlc;
  return FALSE;
}

char *
sm_store_create (SmStore     *self,
                 const char  *table,
                 const char  *grid_id,
                 GHashTable  *values,
                 GError     **error)
{
  g_autofree char *id = NULL;

  g_return_val_if_fail (SM_IS_STORE (self), NULL);
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (values != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (grid_id == NULL || !sm_id_is_valid (grid_id))
    {
      g_set_error_literal (error, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_REQUIRED,
                           _("A record must belong to a grid"));
      return NULL;
    }

  /* A grid's id is its grid id, so scoping by grid_id covers the grid record too. */
  id = g_str_equal (table, "grid") ? g_strdup (grid_id) : sm_id_new ();

  if (!write_local (self, table, id, grid_id, values, TRUE, error))
    return NULL;

  return g_steal_pointer (&id);
}

gboolean
sm_store_update (SmStore     *self,
                 const char  *table,
                 const char  *id,
                 GHashTable  *values,
                 GError     **error)
{
  g_return_val_if_fail (SM_IS_STORE (self), FALSE);
  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (values != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_hash_table_size (values) == 0)
    return TRUE;

  return write_local (self, table, id, NULL, values, FALSE, error);
}

gboolean
sm_store_delete (SmStore     *self,
                 const char  *table,
                 const char  *id,
                 GError     **error)
{
  const SmTable *t;
  g_autoptr(GPtrArray) changes = NULL;
  SmApplyResult result = { 0, };
  RecordState *state;
  const char *grid_id;
  SmHlc saved_hlc = self->last_hlc;

  g_return_val_if_fail (SM_IS_STORE (self), FALSE);
  g_return_val_if_fail (table != NULL && id != NULL, FALSE);

  if (!(t = sm_schema_lookup_table (table)))
    {
      g_set_error (error, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_UNKNOWN_TABLE,
                   _("unknown table “%s”"), table);
      return FALSE;
    }

  if (!sm_store_begin (self, error))
    return FALSE;

  if (!(state = record_state_load (self, t, id, error)))
    goto fail;

  if (!state->exists)
    {
      g_set_error (error, SM_STORE_ERROR, SM_STORE_ERROR_NOT_FOUND,
                   _("%s “%s” does not exist"), sm_table_get_label (t), id);
      record_state_free (state);
      goto fail;
    }

  /* A tombstone under the same rule as any field: rows are never removed by sync. */
  grid_id = state->values[SM_FIELD_INDEX_GRID_ID] ? g_variant_get_string (state->values[SM_FIELD_INDEX_GRID_ID], NULL) : "unknown";
  changes = sm_change_batch_new ();
  g_ptr_array_add (changes, sm_change_new (&t->fields[SM_FIELD_INDEX_DELETED], id, grid_id,
                                           g_variant_new_boolean (TRUE),
                                           sm_hlc_tick (self->last_hlc, self->clock_func (self->clock_data)),
                                           self->site, state->clocks[SM_FIELD_INDEX_DELETED].hlc));

  if (!apply_batch (self, changes, state, &result, error))
    goto fail;

  return sm_store_commit (self, error);

fail:
  sm_store_rollback (self);
  self->last_hlc = saved_hlc;
  return FALSE;
}

/* A NULL value clears a field, so the table holds NULLs that g_variant_unref() refuses. */
static void
variant_unref0 (gpointer value)
{
  if (value != NULL)
    g_variant_unref (value);
}

static GHashTable *
values_from_va (const char *first_field,
                va_list     args)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, variant_unref0);

  for (const char *name = first_field; name != NULL; name = va_arg (args, const char *))
    {
      GVariant *v = va_arg (args, GVariant *);

      g_hash_table_insert (values, (gpointer) name, v ? g_variant_ref_sink (v) : NULL);
    }

  return values;
}

char *
sm_store_create_with (SmStore     *self,
                      const char  *table,
                      const char  *grid_id,
                      GError     **error,
                      const char  *first_field,
                      ...)
{
  g_autoptr(GHashTable) values = NULL;
  va_list args;

  va_start (args, first_field);
  values = values_from_va (first_field, args);
  va_end (args);

  return sm_store_create (self, table, grid_id, values, error);
}

gboolean
sm_store_update_with (SmStore     *self,
                      const char  *table,
                      const char  *id,
                      GError     **error,
                      const char  *first_field,
                      ...)
{
  g_autoptr(GHashTable) values = NULL;
  va_list args;

  va_start (args, first_field);
  values = values_from_va (first_field, args);
  va_end (args);

  return sm_store_update (self, table, id, values, error);
}

/* ---------------------------------------------------------------- outbox and sync state */

static GVariant *
outbox_value (sqlite3_stmt  *stmt,
              int            column,
              const SmField *field)
{
  return sm_store_column_value (stmt, column, field);
}

GPtrArray *
sm_store_outbox_read (SmStore   *self,
                      guint      limit,
                      GArray   **out_seqs,
                      GError   **error)
{
  g_autoptr(GPtrArray) batch = sm_change_batch_new ();
  g_autoptr(GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SM_IS_STORE (self), NULL);

  if (!(stmt = sm_store_prepare (self, "SELECT seq, tbl, row_id, field, value, h, b, grid FROM outbox"
                                       " ORDER BY seq LIMIT ?1", error)))
    return NULL;

  sqlite3_bind_int64 (stmt, 1, limit > 0 ? (gint64) limit : -1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const SmTable *table = sm_schema_lookup_table ((const char *) sqlite3_column_text (stmt, 1));
      const SmField *field = table ? sm_table_lookup_field (table, (const char *) sqlite3_column_text (stmt, 3)) : NULL;
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      g_autoptr(GVariant) value = NULL;

      /* Written by this build's schema; anything else is a damaged file. */
      if (field == NULL)
        {
          sqlite3_reset (stmt);
          g_set_error (error, SM_STORE_ERROR, SM_STORE_ERROR_CORRUPT,
                       _("The local database is damaged: the outbox names an unknown field"));
          return NULL;
        }

      value = outbox_value (stmt, 4, field);
      g_ptr_array_add (batch, sm_change_new (field, (const char *) sqlite3_column_text (stmt, 2),
                                             (const char *) sqlite3_column_text (stmt, 7),
                                             value,
                                             (SmHlc) sqlite3_column_int64 (stmt, 5), self->site,
                                             (SmHlc) sqlite3_column_int64 (stmt, 6)));
      g_array_append_val (seqs, seq);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sm_store_set_sqlite_error (self, rc, error);
      return NULL;
    }

  if (out_seqs != NULL)
    *out_seqs = g_steal_pointer (&seqs);

  return g_steal_pointer (&batch);
}

static gint64
count_rows (SmStore     *self,
            const char  *sql,
            GError     **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = sm_store_prepare (self, sql, error)))
    return -1;

  return sm_store_step_count (self, stmt, error);
}

gint64
sm_store_outbox_count (SmStore  *self,
                       GError  **error)
{
  g_return_val_if_fail (SM_IS_STORE (self), -1);

  return count_rows (self, "SELECT count(*) FROM outbox", error);
}

gint64
sm_store_outbox_count_records (SmStore  *self,
                               GError  **error)
{
  g_return_val_if_fail (SM_IS_STORE (self), -1);

  return count_rows (self, "SELECT count(*) FROM (SELECT DISTINCT tbl, row_id FROM outbox)", error);
}

gint64
sm_store_rejected_count (SmStore  *self,
                         GError  **error)
{
  g_return_val_if_fail (SM_IS_STORE (self), -1);

  return count_rows (self, "SELECT count(*) FROM rejected", error);
}

gboolean
sm_store_outbox_ack (SmStore       *self,
                     const gint64  *seqs,
                     guint          n_seqs,
                     GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SM_IS_STORE (self), FALSE);
  g_return_val_if_fail (n_seqs == 0 || seqs != NULL, FALSE);

  if (!sm_store_begin (self, error))
    return FALSE;

  for (guint i = 0; i < n_seqs; i++)
    {
      if (!(stmt = sm_store_prepare (self, "DELETE FROM outbox WHERE seq = ?1", error)))
        goto fail;
      sqlite3_bind_int64 (stmt, 1, seqs[i]);
      if (!sm_store_step_done (self, stmt, error))
        goto fail;
    }

  return sm_store_commit (self, error);

fail:
  sm_store_rollback (self);
  return FALSE;
}

gboolean
sm_store_outbox_reject (SmStore     *self,
                        gint64       seq,
                        const char  *code,
                        const char  *message,
                        GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SM_IS_STORE (self), FALSE);
  g_return_val_if_fail (code != NULL && message != NULL, FALSE);

  if (!sm_store_begin (self, error))
    return FALSE;

  if (!(stmt = sm_store_prepare (self, "INSERT OR REPLACE INTO rejected (seq, tbl, row_id, field, value, h, b, grid, code, message, at)"
                                       " SELECT seq, tbl, row_id, field, value, h, b, grid, ?2, ?3, ?4 FROM outbox WHERE seq = ?1", error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, seq);
  sqlite3_bind_text (stmt, 2, code, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, message, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, at, -1, SQLITE_STATIC);
  if (!sm_store_step_done (self, stmt, error))
    goto fail;

  if (!(stmt = sm_store_prepare (self, "DELETE FROM outbox WHERE seq = ?1", error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, seq);
  if (!sm_store_step_done (self, stmt, error))
    goto fail;

  return sm_store_commit (self, error);

fail:
  sm_store_rollback (self);
  return FALSE;
}

char *
sm_store_dup_cursor (SmStore *self)
{
  sqlite3_stmt *stmt;
  char *cursor = NULL;

  g_return_val_if_fail (SM_IS_STORE (self), NULL);

  if (!(stmt = sm_store_prepare (self, "SELECT value FROM sync_state WHERE key = 'cursor'", NULL)))
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    cursor = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  return cursor;
}

gboolean
sm_store_forget_cursor (SmStore  *self,
                        GError  **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SM_IS_STORE (self), FALSE);

  if (!(stmt = sm_store_prepare (self, "DELETE FROM sync_state WHERE key = 'cursor'", error)))
    return FALSE;

  return sm_store_step_done (self, stmt, error);
}

/* ---------------------------------------------------------------- whole-replica views */

GPtrArray *
sm_store_export_changes (SmStore  *self,
                         GError  **error)
{
  g_autoptr(GPtrArray) batch = sm_change_batch_new ();
  guint n_tables;
  const SmTable *tables = sm_schema_get_tables (&n_tables);

  g_return_val_if_fail (SM_IS_STORE (self), NULL);

  for (guint t = 0; t < n_tables; t++)
    {
      sqlite3_stmt *stmt;
      int rc;

      if (!(stmt = sm_store_prepare (self, self->table_sql[t].select_all, error)))
        return NULL;

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          g_autoptr(SmRecord) record = sm_store_record_from_row (stmt, &tables[t]);
          const char *grid = sm_record_get_grid_id (record);

          for (guint f = 0; f < tables[t].n_fields; f++)
            {
              const SmField *field = &tables[t].fields[f];
              const SmFieldClock *clock = sm_record_get_clock (record, field->name);
              GVariant *v = sm_record_get_value (record, field->name);

              if (clock->hlc == SM_HLC_ZERO)
                continue;

              g_ptr_array_add (batch, sm_change_new (field, sm_record_get_id (record),
                                                     grid ? grid : "unknown",
                                                     v,
                                                     clock->hlc, clock->site, clock->base));
            }
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          sm_store_set_sqlite_error (self, rc, error);
          return NULL;
        }
    }

  return g_steal_pointer (&batch);
}

static void
checksum_column (GChecksum    *sum,
                 sqlite3_stmt *stmt,
                 int           column)
{
  guint8 tag = (guint8) sqlite3_column_type (stmt, column);
  const void *data = NULL;
  gint64 n;
  guint32 len = 0;

  g_checksum_update (sum, &tag, 1);
  switch (tag)
    {
    case SQLITE_INTEGER:
      n = sqlite3_column_int64 (stmt, column);
      g_checksum_update (sum, (const guchar *) &n, sizeof n);
      return;
    case SQLITE_TEXT:
      data = sqlite3_column_text (stmt, column);
      break;
    case SQLITE_BLOB:
      data = sqlite3_column_blob (stmt, column);
      break;
    default:
      return;
    }

  len = (guint32) sqlite3_column_bytes (stmt, column);
  g_checksum_update (sum, (const guchar *) &len, sizeof len);
  if (len > 0)
    g_checksum_update (sum, data, len);
}

char *
sm_store_compute_digest (SmStore  *self,
                         GError  **error)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint n_tables;
  const SmTable *tables = sm_schema_get_tables (&n_tables);

  g_return_val_if_fail (SM_IS_STORE (self), NULL);

  for (guint t = 0; t < n_tables; t++)
    {
      sqlite3_stmt *stmt;
      int rc;

      if (!(stmt = sm_store_prepare (self, self->table_sql[t].select_all, error)))
        return NULL;

      g_checksum_update (sum, (const guchar *) tables[t].name, -1);
      /* Skip the rowid: it depends on arrival order, not on content. */
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        for (int c = 1; c < sqlite3_column_count (stmt); c++)
          checksum_column (sum, stmt, c);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          sm_store_set_sqlite_error (self, rc, error);
          return NULL;
        }
    }

  return g_strdup (g_checksum_get_string (sum));
}

struct sqlite3 *
sm_store_get_connection (SmStore *self)
{
  g_return_val_if_fail (SM_IS_STORE (self), NULL);

  return self->db;
}

gboolean
sm_store_check_integrity (SmStore  *self,
                          GError  **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(GString) report = g_string_new (NULL);
  int rc;

  g_return_val_if_fail (SM_IS_STORE (self), FALSE);

  if (sqlite3_prepare_v2 (self->db, "PRAGMA integrity_check", -1, &stmt, NULL) != SQLITE_OK)
    return sm_store_set_sqlite_error (self, sqlite3_errcode (self->db), error);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *line = (const char *) sqlite3_column_text (stmt, 0);

      if (!g_str_equal (line, "ok"))
        g_string_append_printf (report, "%s\n", line);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    return sm_store_set_sqlite_error (self, rc, error);

  if (report->len > 0)
    {
      g_set_error (error, SM_STORE_ERROR, SM_STORE_ERROR_CORRUPT,
                   _("The local database is damaged:\n%s"), report->str);
      return FALSE;
    }

  return TRUE;
}

void
sm_merge_conflict_free (SmMergeConflict *conflict)
{
  if (conflict == NULL)
    return;

  g_free (conflict->row_id);
  g_free (conflict->grid_id);
  g_clear_pointer (&conflict->winner_value, g_variant_unref);
  g_clear_pointer (&conflict->loser_value, g_variant_unref);
  g_free (conflict);
}

void
sm_apply_result_clear (SmApplyResult *result)
{
  g_return_if_fail (result != NULL);

  g_clear_pointer (&result->conflicts, g_ptr_array_unref);
  g_clear_pointer (&result->taken_changes, g_ptr_array_unref);
  result->taken = result->kept = result->duplicates = 0;
}
