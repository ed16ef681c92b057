/* sm-backend-sqlite.h — the embedded SQLite backend of the server
 *
 * One file, DIR/sanmen-server.db, holds the replica (the same typed tables and merge as
 * every client, through SmStore) beside the server's own tables: field sequence numbers,
 * users and their grids, tokens, and the append-only change log.
 */
#pragma once

#include "sm-backend.h"

G_BEGIN_DECLS

#define SM_TYPE_BACKEND_SQLITE (sm_backend_sqlite_get_type ())
G_DECLARE_FINAL_TYPE (SmBackendSqlite, sm_backend_sqlite, SM, BACKEND_SQLITE, GObject)

/* Opens or creates the database in @data_dir (created if missing). */
SmBackend *sm_backend_sqlite_open (const char  *data_dir,
                                   GError     **error);

G_END_DECLS
