/* sm-store-private.h — what the store's files share */
#pragma once

#include <sqlite3.h>

#include "sm-pinyin.h"
#include "sm-store.h"

G_BEGIN_DECLS

/* SQL derived from the schema once per table at open. */
typedef struct {
  char *columns;      /* "id","grid_id",…,"_clocks" in schema order */
  char *select_one;   /* SELECT rowid, <columns>[, _search] FROM t WHERE id = ?1 */
  char *upsert;       /* INSERT … ON CONFLICT(id) DO UPDATE, stored fields only */
  char *select_all;   /* SELECT rowid, <columns> FROM t ORDER BY id */
  guint n_stored;     /* fields written by changes (not derived) */
  gboolean has_search; /* the row keeps its search document in "_search" */

  /* The two statements of every merge, kept here so the hot path skips hashing their long
   * SQL text in the statement cache, which owns them. */
  sqlite3_stmt *select_one_stmt;
  sqlite3_stmt *upsert_stmt;
} SmTableSql;

struct _SmStore
{
  GObject           parent_instance;

  char             *path;
  sqlite3          *db;
  GHashTable       *statements;   /* SQL text → sqlite3_stmt */
  SmTableSql       *table_sql;    /* one per schema table */
  SmPinyin         *pinyin;       /* made on first use: ICU is slow to open */
  gboolean          pinyin_failed;

  char              site[SM_SITE_STRING_LEN + 1];
  SmHlc             last_hlc;
  guint             tx_depth;
  gboolean          tx_wrote_records;  /* "changed" is due at the outermost commit */

  SmStoreClockFunc  clock_func;
  gpointer          clock_data;
};

/* As sm_store_prepare(), remembering the statement in *@slot for the next call. */
sqlite3_stmt *sm_store_prepare_slot      (SmStore        *self,
                                          sqlite3_stmt  **slot,
                                          const char     *sql,
                                          GError        **error);
gboolean      sm_store_set_sqlite_error  (SmStore        *self,
                                          int             rc,
                                          GError        **error);
gboolean      sm_store_step_done         (SmStore        *self,
                                          sqlite3_stmt   *stmt,
                                          GError        **error);
/* Steps a prepared, bound statement of one row whose first column is a count: the
 * count, or -1 with @error set. */
gint64        sm_store_step_count        (SmStore        *self,
                                          sqlite3_stmt   *stmt,
                                          GError        **error);
void          sm_store_bind_value        (sqlite3_stmt   *stmt,
                                          int             column,
                                          GVariant       *value);
GVariant     *sm_store_column_value      (sqlite3_stmt   *stmt,
                                          int             column,
                                          const SmField  *field);
/* Reads a record from a row of SmTableSql.select_one / select_all shape (rowid first). */
SmRecord     *sm_store_record_from_row   (sqlite3_stmt   *stmt,
                                          const SmTable  *table);
/* NULL when ICU's transliterator cannot be opened (warned about once). */
SmPinyin     *sm_store_get_pinyin        (SmStore        *self);

G_END_DECLS
