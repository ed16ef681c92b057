/* sm-server.c — the HTTP face of sanmen-server
 *
 * One table of routes. A request is checked in the main loop (route and method, size,
 * protocol version, content type), then the message is paused and a GTask thread does
 * the work: decompressing and parsing the body, authenticating, the storage calls and
 * password hashing. The answer, a JSON document or an error, is written in one place
 * (finish_request) back in the main loop, with the status that sm-server-error maps the
 * error to, so no handler chooses a status by hand.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-server"

#include "sm-server.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "sm-auth.h"
#include "sm-conflict.h"
#include "sm-login-limiter.h"
#include "sm-metrics.h"
#include "sm-server-error.h"

#define PROTOCOL_VERSION "1"
#define DEFAULT_PULL_LIMIT 1000
#define MAX_PULL_LIMIT 10000
/* Pending connections the kernel queues before the server accepts them. */
#define LISTEN_BACKLOG 512
/* Answers larger than this are gzip-compressed for clients that accept it. */
#define GZIP_THRESHOLD 1024
/* zlib's fastest level, as web servers use for dynamic answers (nginx's default): on
 * sync answers it gives most of level 6's gain for a third of its time, and a bootstrap
 * is tens of megabytes of JSON to compress. */
#define GZIP_LEVEL 1

struct _SmServer
{
  GObject         parent_instance;

  SmBackend      *backend;
  SoupServer     *soup;
  SmLoginLimiter *limiter;
  SmMetrics      *metrics;
};

G_DEFINE_FINAL_TYPE (SmServer, sm_server, G_TYPE_OBJECT)

typedef struct _Request Request;
typedef JsonNode *(*RouteHandler) (Request  *request,
                                   GError  **error);

typedef enum {
  ROUTE_PUBLIC    = 0,
  ROUTE_AUTH      = 1 << 0,  /* a bearer token is required */
  ROUTE_JSON_BODY = 1 << 1,  /* the body is a JSON object */
  ROUTE_ADMIN     = 1 << 2,
} RouteFlags;

typedef struct {
  const char   *path;
  const char   *method;
  RouteFlags    flags;
  RouteHandler  handler;
} Route;

struct _Request
{
  SmServer          *server;
  SoupServerMessage *msg;
  const Route       *route;
  gint64             started;

  /* Copied from the message in the main loop; the thread never touches the message. */
  char              *authorization;
  char              *remote;
  char              *content_encoding;
  GBytes            *body;
  gboolean           accept_gzip;

  /* Filled by the thread. */
  JsonObject        *json;         /* the parsed body */
  SmUser            *user;
  GError            *error;
  GBytes            *answer;       /* the body to send, compressed if answer_gzipped */
  gboolean           answer_gzipped;
  const char        *answer_type;  /* Content-Type of @answer */
  int                retry_after;  /* seconds, for 429 */
};

static JsonNode *handle_login  (Request *request, GError **error);
static JsonNode *handle_logout (Request *request, GError **error);
static JsonNode *handle_me     (Request *request, GError **error);
static JsonNode *handle_sync   (Request *request, GError **error);
static JsonNode *handle_health (Request *request, GError **error);
static JsonNode *handle_metrics (Request *request, GError **error);

static const Route routes[] = {
  { "/v1/login", "POST", ROUTE_JSON_BODY, handle_login },
  { "/v1/sync", "POST", ROUTE_AUTH | ROUTE_JSON_BODY, handle_sync },
  { "/v1/me", "GET", ROUTE_AUTH, handle_me },
  { "/v1/logout", "POST", ROUTE_AUTH, handle_logout },
  { "/healthz", "GET", ROUTE_PUBLIC, handle_health },
  { "/metrics", "GET", ROUTE_AUTH | ROUTE_ADMIN, handle_metrics },
};

static void
request_free (Request *request)
{
  g_clear_object (&request->server);
  g_clear_object (&request->msg);
  g_free (request->authorization);
  g_free (request->remote);
  g_free (request->content_encoding);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_clear_pointer (&request->json, json_object_unref);
  g_clear_pointer (&request->user, sm_user_free);
  g_clear_error (&request->error);
  g_clear_pointer (&request->answer, g_bytes_unref);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

/* ---------------------------------------------------------------- compression */

static GBytes *
convert_all (GConverter  *converter,
             GBytes      *input,
             gsize        max_output,
             GError     **error)
{
  g_autoptr(GByteArray) output = g_byte_array_new ();
  gsize in_len;
  const guint8 *in = g_bytes_get_data (input, &in_len);
  guint8 buffer[16384];
  GConverterResult result;

  do
    {
      gsize read = 0, written = 0;

      result = g_converter_convert (converter, in, in_len, buffer, sizeof buffer,
                                    G_CONVERTER_INPUT_AT_END, &read, &written, error);
      if (result == G_CONVERTER_ERROR)
        return NULL;
      in += read;
      in_len -= read;
      g_byte_array_append (output, buffer, (guint) written);

      /* Checked as it grows: a small bomb must not fill the memory first. */
      if (output->len > max_output)
        {
          g_set_error (error, SM_SERVER_ERROR, SM_SERVER_ERROR_TOO_LARGE,
                       "The request body is larger than %d MiB", SM_SERVER_MAX_BODY / (1024 * 1024));
          return NULL;
        }
    }
  while (result != G_CONVERTER_FINISHED);

  return g_byte_array_free_to_bytes (g_steal_pointer (&output));
}

static GBytes *
gunzip (GBytes  *input,
        GError **error)
{
  g_autoptr(GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GError) local_error = NULL;
  GBytes *output = convert_all (G_CONVERTER (decompressor), input, SM_SERVER_MAX_BODY, &local_error);

  if (output == NULL)
    {
      if (local_error->domain == SM_SERVER_ERROR)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, SM_SERVER_ERROR, SM_SERVER_ERROR_MALFORMED,
                     "The gzip request body cannot be read: %s", local_error->message);
    }

  return output;
}

static GBytes *
gzip (GBytes *input)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, GZIP_LEVEL);

  /* Compressing memory to memory cannot fail. */
  return convert_all (G_CONVERTER (compressor), input, G_MAXSIZE, NULL);
}

/* The body to send for @answer: gzip-compressed when the client accepts it and it is
 * large enough to gain. Called in the request's thread, so compressing a big answer
 * never holds up the main loop. */
static GBytes *
encode_answer (GBytes   *answer,
               gboolean  accept_gzip,
               gboolean *out_gzipped)
{
  *out_gzipped = accept_gzip && g_bytes_get_size (answer) > GZIP_THRESHOLD;

  return *out_gzipped ? gzip (answer) : g_bytes_ref (answer);
}

/* ---------------------------------------------------------------- JSON helpers */

static GBytes *
node_to_bytes (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length;
  char *data;

  json_generator_set_root (generator, node);
  data = json_generator_to_data (generator, &length);
  return g_bytes_new_take (data, length);
}

static JsonNode *
error_node (const GError *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean internal = sm_server_error_get_status (error) == 500;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, sm_server_error_get_code (error));
  json_builder_set_member_name (builder, "message");
  /* An internal failure's message may name files or SQL: it stays in the log. */
  json_builder_add_string_value (builder, internal ? "Internal server error" : error->message);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static void
add_user (JsonBuilder  *builder,
          const SmUser *user)
{
  json_builder_set_member_name (builder, "user");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, user->id);
  json_builder_set_member_name (builder, "login");
  json_builder_add_string_value (builder, user->login);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, user->name);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, sm_role_to_string (user->role));
  json_builder_set_member_name (builder, "grids");
  json_builder_begin_array (builder);
  for (guint i = 0; user->grids != NULL && user->grids[i] != NULL; i++)
    json_builder_add_string_value (builder, user->grids[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

/* ---------------------------------------------------------------- handlers (threads) */

static JsonNode *
handle_health (Request  *request,
               GError  **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "ok");
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static JsonNode *
handle_metrics (Request  *request,
                GError  **error)
{
  char *text = sm_metrics_render (request->server->metrics);

  request->answer = g_bytes_new_take (text, strlen (text));
  request->answer_type = "text/plain; version=0.0.4; charset=utf-8";
  return NULL;
}

static JsonNode *
handle_login (Request  *request,
              GError  **error)
{
  SmServer *self = request->server;
  const char *login = member_string (request->json, "user");
  const char *password = member_string (request->json, "password");
  const char *site = member_string (request->json, "site");
  g_autoptr(SmUser) user = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_hash = NULL;
  gboolean verified;

  if (login == NULL || password == NULL || *login == '\0' || (site != NULL && !sm_site_is_valid (site)))
    {
      g_set_error_literal (error, SM_SERVER_ERROR, SM_SERVER_ERROR_MALFORMED,
                           "A login needs \"user\" and \"password\" strings, and \"site\" as 32 hex digits");
      return NULL;
    }

  if (!sm_login_limiter_check (self->limiter, login, g_get_monotonic_time (), &request->retry_after))
    {
      g_set_error (error, SM_SERVER_ERROR, SM_SERVER_ERROR_TOO_MANY_ATTEMPTS,
                   "Too many failed logins; try again in %d seconds", request->retry_after);
      return NULL;
    }

  if (!(user = sm_backend_lookup_user (self->backend, login, &hash, error)) && *error != NULL)
    return NULL;

  /* The same work and the same answer whether the login exists or not. */
  if (user == NULL)
    {
      sm_auth_burn_time (password);
      verified = FALSE;
    }
  else
    verified = sm_auth_verify_password (hash, password) && !user->disabled;

  if (!verified)
    {
      sm_login_limiter_record_failure (self->limiter, login, g_get_monotonic_time ());
      g_info ("Failed login for a user name from %s", request->remote);
      g_set_error_literal (error, SM_SERVER_ERROR, SM_SERVER_ERROR_UNAUTHORIZED,
                           "Wrong user name or password");
      return NULL;
    }

  sm_login_limiter_record_success (self->limiter, login);
  token = sm_auth_new_token ();
  token_hash = sm_auth_hash_token (token);
  if (!sm_backend_add_token (self->backend, token_hash, user->id, site, error))
    return NULL;

  request->user = g_steal_pointer (&user);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  add_user (builder, request->user);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static JsonNode *
handle_me (Request  *request,
           GError  **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_user (builder, request->user);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static JsonNode *
handle_logout (Request  *request,
               GError  **error)
{
  g_autofree char *token_hash = sm_auth_hash_token (request->authorization + strlen ("Bearer "));

  if (!sm_backend_revoke_token (request->server->backend, token_hash, error))
    return NULL;

  return json_node_init_object (json_node_alloc (), json_object_new ());
}

typedef struct {
  guint       index;
  const char *code;
  const char *message;
} Rejection;

/* Why @change may not be accepted from @user, or NULL. @grids caches record grids. */
static const char *
check_change (Request     *request,
              SmChange    *change,
              const char  *site,
              GHashTable  *grids,
              guint64      now_ms,
              const char **out_message,
              GError     **error)
{
  SmServer *self = request->server;
  const SmUser *user = request->user;

  if (strcmp (change->site, site) != 0)
    {
      *out_message = "A client may only push its own writes (\"s\" must equal \"site\")";
      return "invalid";
    }

  if (sm_hlc_get_physical_ms (change->hlc) > now_ms + SM_SERVER_MAX_SKEW_MS)
    {
      *out_message = "The write's clock is more than 10 minutes ahead of the server's";
      return "clock_skew";
    }

  if (user->role == SM_ROLE_WORKER)
    {
      g_autofree char *key = NULL;
      const char *current;

      if (change->table->pattern == SM_TABLE_OFFICE || change->table->pattern == SM_TABLE_SERVER)
        {
          *out_message = "Grid workers cannot write this table";
          return "forbidden";
        }
      if (!sm_user_has_grid (user, change->grid_id))
        {
          *out_message = "The record belongs to a grid the user is not assigned to";
          return "forbidden";
        }

      /* The grid a record already has wins over what the change claims. */
      key = g_strconcat (change->table->name, "/", change->row_id, NULL);
      if (!g_hash_table_lookup_extended (grids, key, NULL, (gpointer *) &current))
        {
          g_autoptr(GError) local_error = NULL;
          char *grid = sm_backend_get_record_grid (self->backend, change->table, change->row_id,
                                                   &local_error);

          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          current = grid;
          g_hash_table_insert (grids, g_steal_pointer (&key), grid);
        }
      if (current != NULL && !sm_user_has_grid (user, current))
        {
          *out_message = "The record belongs to a grid the user is not assigned to";
          return "forbidden";
        }
      /* A worker of several grids must still name the record's own: a field filed under
       * another grid would reach that grid's workers and not this one's. */
      if (current != NULL && strcmp (current, change->grid_id) != 0)
        {
          *out_message = "The change names another grid than its record's";
          return "invalid";
        }
      /* Moving a record to another grid is the office's: a worker's grid_id is the grid
       * the change (and so, above, the record) is in. */
      if (g_str_equal (change->field->name, "grid_id") &&
          (change->value == NULL ||
           g_strcmp0 (g_variant_get_string (change->value, NULL), change->grid_id) != 0))
        {
          *out_message = "Only the community office moves a record to another grid";
          return "forbidden";
        }
    }
  else if (change->table->pattern == SM_TABLE_SERVER)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *grid = NULL;

      /* The office reconciles conflict records; it neither makes nor rewrites them. */
      if (!sm_conflict_field_is_office_writable (change->field))
        {
          *out_message = "Only the status and resolution of a conflict record may be written";
          return "forbidden";
        }
      grid = sm_backend_get_record_grid (self->backend, change->table, change->row_id, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (grid == NULL)
        {
          *out_message = "Conflict records are made by the server only";
          return "forbidden";
        }
    }

  return NULL;
}

static gboolean
parse_cursor (JsonObject  *json,
              gint64      *out_cursor,
              GError     **error)
{
  JsonNode *node = json_object_get_member (json, "cursor");
  const char *text;
  guint64 value;

  *out_cursor = 0;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!(text = member_string (json, "cursor")) ||
      !g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &value, NULL))
    {
      g_set_error_literal (error, SM_SERVER_ERROR, SM_SERVER_ERROR_MALFORMED,
                           "\"cursor\" must be null or a cursor this server returned");
      return FALSE;
    }

  *out_cursor = (gint64) value;
  return TRUE;
}

static JsonNode *
handle_sync (Request  *request,
             GError  **error)
{
  SmServer *self = request->server;
  JsonObject *json = request->json;
  const char *site = member_string (json, "site");
  JsonNode *changes_node = json_object_get_member (json, "changes");
  JsonNode *limit_node = json_object_get_member (json, "limit");
  g_autoptr(GPtrArray) accepted = sm_change_batch_new ();
  g_autoptr(GArray) rejections = g_array_new (FALSE, FALSE, sizeof (Rejection));
  g_autoptr(GHashTable) grids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GString) pulled = NULL;
  guint n_pulled = 0;
  GString *answer;
  SmActor actor = { request->user->id, request->remote };
  SmPushSummary summary = { 0, };
  guint64 now_ms = sm_hlc_now_ms ();
  gint64 cursor, next_cursor;
  gint64 limit = DEFAULT_PULL_LIMIT;
  gboolean more;

  if (site == NULL || !sm_site_is_valid (site))
    {
      g_set_error_literal (error, SM_SERVER_ERROR, SM_SERVER_ERROR_MALFORMED,
                           "\"site\" must be the client's 32 lowercase hex digits");
      return NULL;
    }
  if (!parse_cursor (json, &cursor, error))
    return NULL;
  if (limit_node != NULL && !JSON_NODE_HOLDS_NULL (limit_node))
    {
      if (!JSON_NODE_HOLDS_VALUE (limit_node) || json_node_get_value_type (limit_node) != G_TYPE_INT64 ||
          (limit = json_node_get_int (limit_node)) < 1)
        {
          g_set_error_literal (error, SM_SERVER_ERROR, SM_SERVER_ERROR_MALFORMED,
                               "\"limit\" must be a positive integer");
          return NULL;
        }
      limit = MIN (limit, MAX_PULL_LIMIT);
    }

  /* Push. A malformed change fails the whole request before anything is applied; a change
   * that is well formed but not allowed is rejected alone. */
  if (changes_node != NULL && !JSON_NODE_HOLDS_NULL (changes_node))
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (changes_node))
        {
          g_set_error_literal (error, SM_SERVER_ERROR, SM_SERVER_ERROR_MALFORMED,
                               "\"changes\" must be an array");
          return NULL;
        }
      array = json_node_get_array (changes_node);
      if (json_array_get_length (array) > SM_CHANGE_MAX_BATCH)
        {
          g_set_error (error, SM_SERVER_ERROR, SM_SERVER_ERROR_TOO_LARGE,
                       "At most %d changes may be pushed at once", SM_CHANGE_MAX_BATCH);
          return NULL;
        }

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autoptr(GError) local_error = NULL;
          g_autoptr(SmChange) change = sm_change_from_json (json_array_get_element (array, i), &local_error);
          Rejection rejection = { i, NULL, NULL };

          if (change == NULL)
            {
              g_set_error (error, SM_SERVER_ERROR, SM_SERVER_ERROR_MALFORMED, "Change %u: %s", i,
                           local_error->message);
              return NULL;
            }

          rejection.code = check_change (request, change, site, grids, now_ms, &rejection.message,
                                         &local_error);
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }

          if (rejection.code != NULL)
            g_array_append_val (rejections, rejection);
          else
            g_ptr_array_add (accepted, g_steal_pointer (&change));
        }

      if (accepted->len > 0 && !sm_backend_push (self->backend, accepted, &actor, &summary, error))
        return NULL;

      sm_metrics_add_changes_applied (self->metrics, summary.applied);
      sm_metrics_add_conflicts (self->metrics, summary.conflicts);
    }

  /* Written as text, not built as nodes: a page of thousands of changes would be a tree
   * of tens of thousands of nodes to build, serialize and free. The pulled changes go
   * straight from the backend into a buffer of their own, the frame around them after. */
  pulled = g_string_sized_new (256 + limit * 192);
  if (!sm_backend_pull (self->backend, request->user, cursor, (guint) limit, site, pulled, &n_pulled,
                        &next_cursor, &more, error))
    return NULL;

  answer = g_string_sized_new (256 + pulled->len);
  g_string_append (answer, "{\"accepted\":");
  sm_json_append_int (answer, accepted->len);
  g_string_append (answer, ",\"rejected\":[");
  for (guint i = 0; i < rejections->len; i++)
    {
      Rejection *r = &g_array_index (rejections, Rejection, i);

      g_string_append (answer, i > 0 ? ",{\"index\":" : "{\"index\":");
      sm_json_append_int (answer, r->index);
      g_string_append (answer, ",\"code\":");
      sm_json_append_string (answer, r->code);
      g_string_append (answer, ",\"message\":");
      sm_json_append_string (answer, r->message);
      g_string_append_c (answer, '}');
    }
  g_string_append (answer, "],\"cursor\":\"");
  sm_json_append_int (answer, next_cursor);
  g_string_append (answer, "\",\"changes\":");
  g_string_append_len (answer, pulled->str, (gssize) pulled->len);
  g_string_append (answer, more ? ",\"more\":true}" : ",\"more\":false}");

  request->answer = g_string_free_to_bytes (answer);
  request->answer_type = "application/json";
  return NULL;
}

/* ---------------------------------------------------------------- the thread */

static gboolean
parse_body (Request  *request,
            GError  **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *data;
  gsize length;
  JsonNode *root;

  if (request->content_encoding != NULL && g_ascii_strcasecmp (request->content_encoding, "gzip") == 0)
    {
      if (!(plain = gunzip (request->body, error)))
        return FALSE;
    }
  else
    plain = g_bytes_ref (request->body);

  data = g_bytes_get_data (plain, &length);
  if (!g_utf8_validate (data, (gssize) length, NULL))
    {
      g_set_error_literal (error, SM_SERVER_ERROR, SM_SERVER_ERROR_MALFORMED, "The body is not valid UTF-8");
      return FALSE;
    }
  if (!sm_change_check_json_text (data, length, &local_error) ||
      !json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      g_set_error (error, SM_SERVER_ERROR, SM_SERVER_ERROR_MALFORMED, "The body is not valid JSON: %s",
                   local_error->message);
      return FALSE;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, SM_SERVER_ERROR, SM_SERVER_ERROR_MALFORMED, "The body must be a JSON object");
      return FALSE;
    }

  request->json = json_object_ref (json_node_get_object (root));
  return TRUE;
}

static gboolean
authenticate (Request  *request,
              GError  **error)
{
  const char *token;
  g_autofree char *token_hash = NULL;

  if (request->authorization == NULL || !g_str_has_prefix (request->authorization, "Bearer ") ||
      !sm_auth_token_is_wellformed (token = request->authorization + strlen ("Bearer ")))
    {
      g_set_error_literal (error, SM_SERVER_ERROR, SM_SERVER_ERROR_UNAUTHORIZED,
                           "A valid \"Authorization: Bearer TOKEN\" header is required");
      return FALSE;
    }

  token_hash = sm_auth_hash_token (token);
  if (!(request->user = sm_backend_lookup_token (request->server->backend, token_hash, error)))
    {
      if (*error == NULL)
        g_set_error_literal (error, SM_SERVER_ERROR, SM_SERVER_ERROR_UNAUTHORIZED,
                             "The token is unknown, revoked, or its user is disabled");
      return FALSE;
    }

  if ((request->route->flags & ROUTE_ADMIN) && request->user->role != SM_ROLE_ADMIN)
    {
      g_set_error_literal (error, SM_SERVER_ERROR, SM_SERVER_ERROR_FORBIDDEN,
                           "Only administrators may use this");
      return FALSE;
    }

  return TRUE;
}

static void
request_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Request *request = task_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GBytes) plain = NULL;

  if (((request->route->flags & ROUTE_JSON_BODY) && !parse_body (request, &request->error)) ||
      ((request->route->flags & ROUTE_AUTH) && !authenticate (request, &request->error)))
    node = error_node (request->error);
  else if (!(node = request->route->handler (request, &request->error)) && request->error != NULL)
    node = error_node (request->error);

  if (node != NULL)
    {
      plain = node_to_bytes (node);
      request->answer_type = "application/json";
    }
  else
    plain = g_steal_pointer (&request->answer);  /* a handler's own answer (metrics) */

  request->answer = encode_answer (plain, request->accept_gzip, &request->answer_gzipped);
  g_task_return_boolean (task, TRUE);
}

/* ---------------------------------------------------------------- main loop side */

static void
write_answer (SoupServerMessage *msg,
              guint              status,
              GBytes            *body,
              const char        *content_type,
              gboolean           gzipped)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  if (gzipped)
    soup_message_headers_replace (headers, "Content-Encoding", "gzip");
  soup_message_headers_replace (headers, "Vary", "Accept-Encoding");
  /* libsoup 3.2 keeps the socket of a kept-alive connection that the client closes while
   * idle (fixed in 3.3.0 by commit d20c6601): one descriptor per client session, until
   * the server runs out. Closing after every answer costs a TCP handshake per request
   * and keeps the server up. Drop this once Debian ships libsoup ≥ 3.3. */
  if (soup_get_major_version () == 3 && soup_get_minor_version () < 3)
    soup_message_headers_replace (headers, "Connection", "close");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static void
write_error (SoupServerMessage *msg,
             GError            *error,
             gboolean           accept_gzip)
{
  g_autoptr(JsonNode) node = error_node (error);
  g_autoptr(GBytes) answer = node_to_bytes (node);
  gboolean gzipped;
  g_autoptr(GBytes) body = encode_answer (answer, accept_gzip, &gzipped);

  write_answer (msg, sm_server_error_get_status (error), body, "application/json", gzipped);
}

static void
log_request (SmServer          *self,
             SoupServerMessage *msg,
             const char        *route,
             const char        *user_id,
             gint64             started)
{
  guint status = soup_server_message_get_status (msg);
  double seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  g_autofree char *status_text = g_strdup_printf ("%u", status);
  g_autofree char *ms_text = g_strdup_printf ("%.1f", seconds * 1000.0);

  sm_metrics_count_request (self->metrics, route, status);
  if (g_str_equal (route, "/v1/sync") && status == 200)
    sm_metrics_observe_sync (self->metrics, seconds);

  /* Never a body, a token or a password: method, route, status, who, how long. */
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_INFO,
                    "MESSAGE", "%s %s %u %s ms", soup_server_message_get_method (msg), route,
                    status, ms_text,
                    "SANMEN_ROUTE", route,
                    "SANMEN_STATUS", status_text,
                    "SANMEN_USER", user_id ? user_id : "",
                    "SANMEN_DURATION_MS", ms_text);
}

static void
request_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SmServer *self = SM_SERVER (source);
  Request *request = g_task_get_task_data (G_TASK (result));
  SoupServerMessage *msg = request->msg;
  guint status = request->error ? sm_server_error_get_status (request->error) : 200;

  if (request->error != NULL && sm_server_error_get_status (request->error) == 500)
    g_warning ("%s failed: %s", request->route->path, request->error->message);

  if (status == 429 && request->retry_after > 0)
    {
      g_autofree char *seconds = g_strdup_printf ("%d", request->retry_after);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", seconds);
    }

  write_answer (msg, status, request->answer, request->answer_type, request->answer_gzipped);
  log_request (self, msg, request->route->path, request->user ? request->user->id : NULL, request->started);
  soup_server_message_unpause (msg);
}

static const Route *
find_route (const char *path,
            const char *method,
            const char **out_allowed)
{
  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    if (g_str_equal (routes[i].path, path))
      {
        *out_allowed = routes[i].method;
        if (g_str_equal (routes[i].method, method))
          return &routes[i];
      }

  return NULL;
}

/* Checks that need no thread. FALSE with @error when the request is refused here. */
static gboolean
check_request (SoupServerMessage  *msg,
               const Route        *route,
               GError            **error)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *protocol = soup_message_headers_get_one (headers, "Sanmen-Protocol");
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  if (protocol != NULL && !g_str_equal (protocol, PROTOCOL_VERSION))
    {
      g_set_error (error, SM_SERVER_ERROR, SM_SERVER_ERROR_UNSUPPORTED_PROTOCOL,
                   "This server speaks protocol version %s, not %s", PROTOCOL_VERSION, protocol);
      return FALSE;
    }

  if (body->length > SM_SERVER_MAX_BODY)
    {
      g_set_error (error, SM_SERVER_ERROR, SM_SERVER_ERROR_TOO_LARGE,
                   "The request body is larger than %d MiB", SM_SERVER_MAX_BODY / (1024 * 1024));
      return FALSE;
    }

  if (route->flags & ROUTE_JSON_BODY)
    {
      const char *type = soup_message_headers_get_content_type (headers, NULL);

      if (type == NULL || g_ascii_strcasecmp (type, "application/json") != 0)
        {
          g_set_error_literal (error, SM_SERVER_ERROR, SM_SERVER_ERROR_UNSUPPORTED_MEDIA_TYPE,
                               "The body must be application/json");
          return FALSE;
        }
    }

  return TRUE;
}

static void
early_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);
  g_autoptr(GError) error = NULL;

  /* Refuse an announced oversized body before reading it; and a chunked one, whose size
   * libsoup would learn only after buffering all of it (anyone could send one to
   * /v1/login). Every client says the length of what it sends. */
  if (encoding == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > SM_SERVER_MAX_BODY)
    error = g_error_new (SM_SERVER_ERROR, SM_SERVER_ERROR_TOO_LARGE,
                         "The request body is larger than %d MiB", SM_SERVER_MAX_BODY / (1024 * 1024));
  else if (encoding == SOUP_ENCODING_CHUNKED)
    error = g_error_new_literal (SM_SERVER_ERROR, SM_SERVER_ERROR_MALFORMED,
                                 "A request body must say its length (Content-Length)");

  if (error != NULL)
    {
      write_error (msg, error, FALSE);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
      log_request (SM_SERVER (user_data), msg, "other", NULL, g_get_monotonic_time ());
    }
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  SmServer *self = SM_SERVER (user_data);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *allowed = NULL;
  const Route *route = find_route (path, soup_server_message_get_method (msg), &allowed);
  gboolean accept_gzip = soup_message_headers_header_contains (headers, "Accept-Encoding", "gzip");
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  G_GNUC_UNUSED g_autoptr(GBytes) body = NULL;
  Request *request;

  if (route == NULL)
    {
      if (allowed != NULL)
        {
          g_set_error (&error, SM_SERVER_ERROR, SM_SERVER_ERROR_METHOD_NOT_ALLOWED,
                       "Use %s for %s", allowed, path);
          soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allowed);
        }
      else
        g_set_error (&error, SM_SERVER_ERROR, SM_SERVER_ERROR_NOT_FOUND, "There is nothing at %s", path);

      write_error (msg, error, accept_gzip);
      log_request (self, msg, allowed ? path : "other", NULL, g_get_monotonic_time ());
      return;
    }

  if (!check_request (msg, route, &error))
    {
      write_error (msg, error, accept_gzip);
      log_request (self, msg, route->path, NULL, g_get_monotonic_time ());
      return;
    }

  request = g_new0 (Request, 1);
  request->server = g_object_ref (self);
  request->msg = g_object_ref (msg);
  request->route = route;
  request->started = g_get_monotonic_time ();
  request->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  request->content_encoding = g_strdup (soup_message_headers_get_one (headers, "Content-Encoding"));
  request->remote = g_strdup (soup_server_message_get_remote_host (msg));
  request->body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  request->accept_gzip = accept_gzip;

  soup_server_message_pause (msg);
  task = g_task_new (self, NULL, request_done_cb, NULL);
  g_task_set_source_tag (task, handler_cb);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  g_task_run_in_thread (task, request_thread);
}

/* ---------------------------------------------------------------- GObject */

static void
sm_server_dispose (GObject *object)
{
  SmServer *self = SM_SERVER (object);

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);

  G_OBJECT_CLASS (sm_server_parent_class)->dispose (object);
}

static void
sm_server_finalize (GObject *object)
{
  SmServer *self = SM_SERVER (object);

  g_clear_object (&self->backend);
  g_clear_object (&self->limiter);
  g_clear_object (&self->metrics);

  G_OBJECT_CLASS (sm_server_parent_class)->finalize (object);
}

static void
sm_server_class_init (SmServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sm_server_dispose;
  object_class->finalize = sm_server_finalize;
}

static void
sm_server_init (SmServer *self)
{
  /* DESIGN §4: 5 failed logins for one login within a minute lock it for a minute. */
  self->limiter = sm_login_limiter_new (5, 60 * G_USEC_PER_SEC, 60 * G_USEC_PER_SEC);
  self->metrics = sm_metrics_new ();
}

SmServer *
sm_server_new (SmBackend *backend)
{
  SmServer *self;

  g_return_val_if_fail (SM_IS_BACKEND (backend), NULL);

  self = g_object_new (SM_TYPE_SERVER, NULL);
  self->backend = g_object_ref (backend);

  return self;
}

SmBackend *
sm_server_get_backend (SmServer *self)
{
  g_return_val_if_fail (SM_IS_SERVER (self), NULL);

  return self->backend;
}

char *
sm_server_listen (SmServer    *self,
                  const char  *address,
                  guint        port,
                  const char  *tls_cert_file,
                  const char  *tls_key_file,
                  GError     **error)
{
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GSocket) listener = NULL;
  SoupServerListenOptions options = 0;
  GSList *uris;
  char *uri;

  g_return_val_if_fail (SM_IS_SERVER (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (self->soup == NULL, NULL);

  if (!sm_auth_init (error))
    return NULL;

  if ((tls_cert_file == NULL) != (tls_key_file == NULL))
    {
      g_set_error_literal (error, SM_SERVER_ERROR, SM_SERVER_ERROR_INVALID_ARGUMENT,
                           _("Give both --tls-cert and --tls-key, or neither"));
      return NULL;
    }
  if (tls_cert_file != NULL)
    {
      if (!(certificate = g_tls_certificate_new_from_files (tls_cert_file, tls_key_file, error)))
        return NULL;
      options |= SOUP_SERVER_LISTEN_HTTPS;
    }

  if (!(socket_address = g_inet_socket_address_new_from_string (address, port)))
    {
      g_set_error (error, SM_SERVER_ERROR, SM_SERVER_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an IP address to listen on"), address);
      return NULL;
    }

  self->soup = soup_server_new ("server-header", "sanmen-server/" PACKAGE_VERSION " ", NULL);
  if (certificate != NULL)
    soup_server_set_tls_certificate (self->soup, certificate);
  soup_server_add_early_handler (self->soup, NULL, early_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, handler_cb, self, NULL);

  /* Our own socket, for its backlog: GSocket's default of 10 pending connections drops
   * the SYNs of a few dozen clients connecting at once (every request is a new
   * connection while libsoup < 3.3, see write_answer), and each costs the client a
   * one-second retransmission. */
  if (!(listener = g_socket_new (g_socket_address_get_family (socket_address), G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, error)))
    {
      g_clear_object (&self->soup);
      return NULL;
    }
  g_socket_set_listen_backlog (listener, LISTEN_BACKLOG);
  if (!g_socket_bind (listener, socket_address, TRUE, error) ||
      !g_socket_listen (listener, error) ||
      !soup_server_listen_socket (self->soup, listener, options, error))
    {
      g_clear_object (&self->soup);
      return NULL;
    }

  uris = soup_server_get_uris (self->soup);
  uri = uris ? g_uri_to_string (uris->data) : NULL;
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  /* "http://127.0.0.1:8008/" → without the slash, as clients write server URLs. */
  if (uri != NULL && g_str_has_suffix (uri, "/"))
    uri[strlen (uri) - 1] = '\0';

  return uri;
}
