/* sm-sync.h — the sync client: push the outbox, pull what the server has (DESIGN §3–§4)
 *
 * One SmSync drives one replica against one server (sync-server/PROTOCOL.md). A run
 * sends the outbox in pages and pulls until the server says `more: false`; each page
 * is one POST /v1/sync. Outbox rows are acknowledged only after the server's 200, and
 * the pull cursor is saved in the same transaction that merges the pulled page, so a
 * crash at any point re-sends (harmless: the server treats a re-sent write as a
 * duplicate) or re-pulls (harmless: merging is idempotent), and loses nothing.
 *
 * Threads: an SmSync lives on the thread, and thread-default main context, it was
 * created on, normally the UI's main thread; that is where its signals and callbacks
 * run. It uses the SmStore on that thread too, because the rest of the application uses
 * the store there and an SmStore must never be used by two threads at once. What a run
 * does on that thread is short: read up to 500 outbox rows, and merge one pulled page
 * (at most 1000 changes, about a millisecond per thousand on a laptop) in one
 * transaction. Encoding, compressing, parsing and checking the JSON run in worker
 * threads that never touch the store, and the network is asynchronous.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sm-store.h"

G_BEGIN_DECLS

#define SM_SYNC_ERROR (sm_sync_error_quark ())
GQuark sm_sync_error_quark (void);

/* Every SM_SYNC_ERROR carries a translated message a person can act on. Cancellation is
 * G_IO_ERROR_CANCELLED, as everywhere in GIO. Errors of the local database keep their
 * own domain (SM_STORE_ERROR, e.g. a full disk). */
typedef enum {
  SM_SYNC_ERROR_FAILED,
  SM_SYNC_ERROR_UNREACHABLE,       /* no network, no route, refused, reset, timed out */
  SM_SYNC_ERROR_UNAUTHORIZED,      /* wrong login or password; signed out; token revoked */
  SM_SYNC_ERROR_TOO_MANY_ATTEMPTS, /* sign-in locked for a while after failed attempts */
  SM_SYNC_ERROR_CLOCK_SKEW,        /* this device's clock is wrong; changes were refused */
  SM_SYNC_ERROR_OUTDATED,          /* the server speaks another protocol version */
  SM_SYNC_ERROR_TLS,               /* the server's certificate cannot be trusted */
  SM_SYNC_ERROR_SERVER,            /* the server failed (5xx) */
  SM_SYNC_ERROR_PROTOCOL,          /* the server refused the request or answered nonsense */
} SmSyncError;

typedef enum {
  SM_SYNC_STATE_IDLE,     /* up to date: nothing waiting, the last run succeeded */
  SM_SYNC_STATE_WAITING,  /* local changes waiting to be sent (see "pending") */
  SM_SYNC_STATE_SYNCING,
  SM_SYNC_STATE_OFFLINE,  /* no network, and the server was not reached since */
  SM_SYNC_STATE_ERROR,    /* the last run failed, or changes were refused: see "error" */
} SmSyncState;

#define SM_TYPE_SYNC_STATE (sm_sync_state_get_type ())
GType sm_sync_state_get_type (void) G_GNUC_CONST;

/* Changes pushed per request, and the most changes asked for per pull. A pull page of
 * 5,000 changes (about 1 MB of JSON, 500 records, one transaction of some 10 ms) costs a
 * bootstrap 15% less CPU than 1,000: fewer round trips, commits and search-index flushes;
 * the server allows up to 10,000 (PROTOCOL.md). */
#define SM_SYNC_PUSH_PAGE 500
#define SM_SYNC_PULL_LIMIT 5000

#define SM_TYPE_SYNC (sm_sync_get_type ())
G_DECLARE_FINAL_TYPE (SmSync, sm_sync, SM, SYNC, GObject)

/* @server_url is the server's base address, e.g. "http://127.0.0.1:8008" or
 * "https://sanmen.example.org/" (a trailing slash is fine). */
SmSync       *sm_sync_new                (SmStore              *store,
                                          const char           *server_url);

SmStore      *sm_sync_get_store          (SmSync               *self);
const char   *sm_sync_get_server_url     (SmSync               *self);
/* For the same deployment reached at another address: the pull cursor stays valid only
 * for the server that issued it. */
void          sm_sync_set_server_url     (SmSync               *self,
                                          const char           *server_url);
/* The HTTP session, e.g. to add a TLS database or a proxy resolver. */
SoupSession  *sm_sync_get_session        (SmSync               *self);

/* The bearer token from a login or from the keyring; NULL signs out. It is never logged
 * and not a property. A new token lifts the stop that a 401 put on background runs. */
void          sm_sync_set_token          (SmSync               *self,
                                          const char           *token);
gboolean      sm_sync_get_signed_in      (SmSync               *self);

SmSyncState   sm_sync_get_state          (SmSync               *self);
guint         sm_sync_get_pending        (SmSync               *self);
guint         sm_sync_get_rejected       (SmSync               *self);
GDateTime    *sm_sync_get_last_sync      (SmSync               *self);
const GError *sm_sync_get_error          (SmSync               *self);
guint         sm_sync_get_interval       (SmSync               *self);
void          sm_sync_set_interval       (SmSync               *self,
                                          guint                 seconds);

/* POST /v1/login. On success the token is also set on @self; *@out_token is for the
 * keyring and *@out_user is the server's {"id", "login", "name", "role", "grids"}. */
void          sm_sync_login_async        (SmSync               *self,
                                          const char           *login,
                                          const char           *password,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean      sm_sync_login_finish       (SmSync               *self,
                                          GAsyncResult         *result,
                                          char                **out_token,
                                          JsonObject          **out_user,
                                          GError              **error);

/* POST /v1/logout: the server revokes the token. @self is signed out at once (the token
 * is forgotten before the request goes); the result says whether the server heard it —
 * offline, the token stays valid on the server until it is revoked there (a password
 * change or `user disable`). A token the server had revoked already counts as success. */
void          sm_sync_logout_async       (SmSync               *self,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean      sm_sync_logout_finish      (SmSync               *self,
                                          GAsyncResult         *result,
                                          GError              **error);

/* One full sync: push every outbox page, pull until `more` is false. Runs never
 * overlap: a run asked for while one is going starts when it ends. Cancelling stops at
 * the next step and keeps every page already committed. Fails with
 * SM_SYNC_ERROR_CLOCK_SKEW *after* syncing everything else when the server refused
 * changes for this device's clock or the clocks differ by more than ten minutes; the
 * refused changes are in the store's rejected list (see "rejected"). */
void          sm_sync_run_async          (SmSync               *self,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean      sm_sync_run_finish         (SmSync               *self,
                                          GAsyncResult         *result,
                                          GError              **error);

/* Background sync: runs now, then every "interval" seconds, whenever the network
 * monitor reports the network back, and a moment after sm_sync_local_changed(). A
 * failed run is retried after 2 s, 4 s, 8 s … up to 5 minutes, each ±20%, back to the
 * interval after a success; a 401 stops retries until a new token is set. stop() cancels
 * a background run in flight (an explicit run_async() is not affected). */
void          sm_sync_start              (SmSync               *self);
void          sm_sync_stop               (SmSync               *self);
/* Sync now, in the background; coalesced with a run already asked for. Works whether or
 * not sm_sync_start() was called. */
void          sm_sync_request            (SmSync               *self);
/* Call after local writes: refreshes "pending" and, when started, pushes a moment later
 * (a burst of edits makes one run). */
void          sm_sync_local_changed      (SmSync               *self);

G_END_DECLS
