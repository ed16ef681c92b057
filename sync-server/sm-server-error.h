/* sm-server-error.h — the server's errors and the HTTP answers they become
 *
 * A handler fails with a GError in SM_SERVER_ERROR; one table maps each code to its HTTP
 * status and the protocol's error code string (sync-server/PROTOCOL.md), so no handler
 * picks a status by hand.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SM_SERVER_ERROR (sm_server_error_quark ())
GQuark sm_server_error_quark (void);

typedef enum {
  SM_SERVER_ERROR_INTERNAL,
  SM_SERVER_ERROR_MALFORMED,
  SM_SERVER_ERROR_UNAUTHORIZED,
  SM_SERVER_ERROR_FORBIDDEN,
  SM_SERVER_ERROR_NOT_FOUND,
  SM_SERVER_ERROR_METHOD_NOT_ALLOWED,
  SM_SERVER_ERROR_TOO_LARGE,
  SM_SERVER_ERROR_UNSUPPORTED_MEDIA_TYPE,
  SM_SERVER_ERROR_UNSUPPORTED_PROTOCOL,
  SM_SERVER_ERROR_TOO_MANY_ATTEMPTS,
  /* Not HTTP answers: command-line and setup failures. */
  SM_SERVER_ERROR_EXISTS,
  SM_SERVER_ERROR_INVALID_ARGUMENT,
} SmServerError;

/* The HTTP status for @error (500 for any error outside SM_SERVER_ERROR). */
guint        sm_server_error_get_status (const GError *error);
/* The protocol's code string: "malformed", "unauthorized", … */
const char  *sm_server_error_get_code   (const GError *error);

G_END_DECLS
