/* sm-server-error.c — one table from error codes to HTTP statuses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-server"

#include "sm-server-error.h"

G_DEFINE_QUARK (sm-server-error-quark, sm_server_error)

static const struct {
  SmServerError code;
  guint         status;
  const char   *name;
} statuses[] = {
  { SM_SERVER_ERROR_INTERNAL, 500, "internal" },
  { SM_SERVER_ERROR_MALFORMED, 400, "malformed" },
  { SM_SERVER_ERROR_UNAUTHORIZED, 401, "unauthorized" },
  { SM_SERVER_ERROR_FORBIDDEN, 403, "forbidden" },
  { SM_SERVER_ERROR_NOT_FOUND, 404, "not_found" },
  { SM_SERVER_ERROR_METHOD_NOT_ALLOWED, 405, "method_not_allowed" },
  { SM_SERVER_ERROR_TOO_LARGE, 413, "too_large" },
  { SM_SERVER_ERROR_UNSUPPORTED_MEDIA_TYPE, 415, "unsupported_media_type" },
  { SM_SERVER_ERROR_UNSUPPORTED_PROTOCOL, 426, "unsupported_protocol" },
  { SM_SERVER_ERROR_TOO_MANY_ATTEMPTS, 429, "too_many_attempts" },
  { SM_SERVER_ERROR_EXISTS, 409, "exists" },
  { SM_SERVER_ERROR_INVALID_ARGUMENT, 400, "invalid" },
};

static guint
lookup (const GError *error)
{
  if (error != NULL && error->domain == SM_SERVER_ERROR)
    for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
      if ((int) statuses[i].code == error->code)
        return i;

  return 0;  /* internal */
}

guint
sm_server_error_get_status (const GError *error)
{
  return statuses[lookup (error)].status;
}

const char *
sm_server_error_get_code (const GError *error)
{
  return statuses[lookup (error)].name;
}
