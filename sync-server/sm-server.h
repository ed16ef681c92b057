/* sm-server.h — the HTTP face of sanmen-server (sync-server/PROTOCOL.md)
 *
 * Wraps a SoupServer. Requests are checked in the main loop (route, method, size,
 * protocol version, content type), then paused while a worker thread does the storage
 * and password work, so a long merge or an Argon2 hash never stalls other clients.
 */
#pragma once

#include <gio/gio.h>

#include "sm-backend.h"

G_BEGIN_DECLS

/* Request bodies larger than this get 413. */
#define SM_SERVER_MAX_BODY (16 * 1024 * 1024)
/* Changes whose physical time is further ahead of the server's clock are refused. */
#define SM_SERVER_MAX_SKEW_MS (10 * 60 * 1000)

#define SM_TYPE_SERVER (sm_server_get_type ())
G_DECLARE_FINAL_TYPE (SmServer, sm_server, SM, SERVER, GObject)

SmServer  *sm_server_new          (SmBackend   *backend);
/* Listens on @address ("127.0.0.1", "0.0.0.0", "::1") and @port (0 picks a free one),
 * with TLS when @tls_cert_file and @tls_key_file are set. Returns the URI it listens on. */
char      *sm_server_listen       (SmServer    *self,
                                   const char  *address,
                                   guint        port,
                                   const char  *tls_cert_file,
                                   const char  *tls_key_file,
                                   GError     **error);
SmBackend *sm_server_get_backend  (SmServer    *self);

G_END_DECLS
