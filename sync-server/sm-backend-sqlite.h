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

/* The replica itself, for the command line's roster import and reports, which read it
 * with the store's queries. Only for a process where nothing else uses the backend at
 * the same time (the command line): it bypasses the backend's lock. Writes must still
 * go through sm_backend_push() so they get sequence numbers and change-log entries. */
SmStore   *sm_backend_sqlite_get_store (SmBackendSqlite *self);

G_END_DECLS
