/* sm-sync.c — the sync client: push the outbox in pages, pull until `more` is false
 *
 * A run is a chain of asynchronous steps on the SmSync's main context:
 *
 *   read ≤500 outbox rows (store, main thread)
 *   → encode the request, gzip it when over 64 KiB (worker thread, no store, when it
 *     pushes changes)
 *   → POST /v1/sync (libsoup, asynchronous)
 *   → find the answer's frame and check it: counts, cursor, `more` (a quick scan, main
 *     thread, so that the next request goes out at once)
 *   → check every pulled change (worker thread, no store)
 *   → in ONE transaction: ack the accepted rows, move the refused ones aside with the
 *     server's reason, merge the pulled changes and save the new cursor (main thread)
 *   → again while the outbox is not empty or the server says `more`.
 *
 * Pulls are pipelined: as soon as an answer is parsed and says `more`, the next request
 * goes out with its cursor, while this side checks and commits the pages it already has;
 * otherwise client and server would take turns, each idle while the other works. At
 * most one request is in flight (each needs the cursor of the one before), and at most
 * PIPELINE_PAGES answers wait for their commit. The next page is checked while the one
 * before commits. A request sent while answers wait pushes nothing, since their outbox
 * rows are not acknowledged yet; the outbox is pushed again once they are committed.
 *
 * Nothing local changes before the server's 200, and everything a 200 implies is one
 * commit, made strictly in the order of the requests: a crash before it re-sends the page
 * (the server sees duplicates, which change nothing) and re-pulls from the cursor of the
 * last committed page (merging is idempotent); a crash after it has nothing left to do.
 * A local edit made while a page is in flight replaces its outbox row under a new seq
 * (sm-store), so acknowledging the old seq never drops the newer value.
 *
 * The background machinery (timer, network monitor, backoff) only queues runs; runs
 * never overlap, and background requests coalesce into one queued run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-sync"

#include "sm-sync.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* Request bodies larger than this are sent gzip-compressed. */
#define GZIP_THRESHOLD (64 * 1024)
#define BACKOFF_BASE_MS 2000
#define BACKOFF_MAX_MS (5 * 60 * 1000)
#define BACKOFF_JITTER 0.2
#define DEFAULT_INTERVAL_S 60
/* A burst of local edits is pushed this long after the last one was reported. */
#define LOCAL_CHANGE_DELAY_MS 2000
/* The server refuses writes more than ten minutes ahead of its clock (DESIGN §3). */
#define CLOCK_SKEW_LIMIT_S (10 * 60)
#define HTTP_TIMEOUT_S 60
/* Parsed answers that may wait for their commit while the next request is in flight:
 * one being checked while the one before commits, and one or two more so that a slow
 * answer does not leave this side idle; few enough to bound the memory a pull takes. */
#define PIPELINE_PAGES 3
#define TOKEN_LEN 64

/* The trailing space makes libsoup append its own product token. */
#ifdef PACKAGE_VERSION
# define USER_AGENT "Sanmen/" PACKAGE_VERSION " "
#else
# define USER_AGENT "Sanmen "
#endif

struct _SmSync
{
  GObject          parent_instance;

  SmStore         *store;
  char            *server_url;   /* without a trailing slash */
  char            *token;
  SoupSession     *session;
  GNetworkMonitor *monitor;

  SmSyncState      state;
  guint            pending;
  guint            rejected;
  GDateTime       *last_sync;
  GError          *error;
  guint            interval;

  /* Runs: at most one in flight, the others wait in order. */
  GTask           *running;
  GQueue           queue;
  GTask           *background_queued;  /* borrowed from the queue */

  /* Background */
  gboolean         started;
  GCancellable    *background_cancellable;
  GMainContext    *context;            /* thread-default at construction */
  GSource         *timer;              /* the next background attempt */
  gint64           next_attempt;       /* monotonic µs of timer */
  guint            failures;           /* consecutive failed runs, for the backoff */
  gboolean         blocked;            /* a 401: no background runs until a new token */
  gboolean         network_available;
  gboolean         server_reached;     /* the last request got an HTTP answer */
};

G_DEFINE_FINAL_TYPE (SmSync, sm_sync, G_TYPE_OBJECT)

G_DEFINE_QUARK (sm-sync-error-quark, sm_sync_error)

G_DEFINE_ENUM_TYPE (SmSyncState, sm_sync_state,
  G_DEFINE_ENUM_VALUE (SM_SYNC_STATE_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (SM_SYNC_STATE_WAITING, "waiting"),
  G_DEFINE_ENUM_VALUE (SM_SYNC_STATE_SYNCING, "syncing"),
  G_DEFINE_ENUM_VALUE (SM_SYNC_STATE_OFFLINE, "offline"),
  G_DEFINE_ENUM_VALUE (SM_SYNC_STATE_ERROR, "error"))

enum {
  PROP_0,
  PROP_STORE,
  PROP_SERVER_URL,
  PROP_STATE,
  PROP_PENDING,
  PROP_REJECTED,
  PROP_LAST_SYNC,
  PROP_ERROR,
  PROP_INTERVAL,
  PROP_SIGNED_IN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_APPLIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---------------------------------------------------------------- run and page data */

typedef struct _Page Page;
static void page_free (Page *page);

typedef struct {
  gboolean      background;   /* queued by the timer, the monitor or a request */

  /* The requests': cancelled with the caller's, or by the run itself when a page fails
   * and the answer in flight could no longer be committed in order. */
  GCancellable *cancellable;
  gulong        cancelled_id; /* on the task's cancellable */

  /* The request in flight, from its encoding to its parsed answer. */
  gboolean      in_flight;
  SoupMessage  *message;
  GArray       *seqs;         /* the outbox seqs it pushes */

  char         *cursor;       /* the newest cursor: sent with the next request */
  gboolean      more;         /* the newest answer said `more` */

  /* Parsed answers waiting for their commit, oldest first; the head is being checked
   * in a worker thread when @checking. */
  GQueue        pages;
  gboolean      checking;

  GError       *error;        /* the first failure; the run ends once nothing is pending */
  guint         n_pages;      /* committed */
  guint         n_clock_skew; /* changes refused for this device's clock */
  gint64        clock_offset; /* local − server seconds, when over the limit */
} RunData;

static void
run_data_free (RunData *data)
{
  g_assert (data->cancelled_id == 0);

  g_clear_object (&data->cancellable);
  g_clear_object (&data->message);
  g_clear_pointer (&data->seqs, g_array_unref);
  g_clear_pointer (&data->cursor, g_free);
  g_queue_clear_full (&data->pages, (GDestroyNotify) page_free);
  g_clear_error (&data->error);
  g_free (data);
}

typedef struct {
  guint  index;
  char  *code;
  char  *message;
} Rejection;

static void
rejection_clear (gpointer data)
{
  Rejection *rejection = data;

  g_clear_pointer (&rejection->code, g_free);
  g_clear_pointer (&rejection->message, g_free);
}

/* One parsed answer of POST /v1/sync, and the outbox rows its request pushed. */
struct _Page {
  GArray    *seqs;          /* outbox seqs, by index in the request */
  gint64     accepted;
  GArray    *rejected;      /* of Rejection */
  char      *cursor;        /* NULL when the server has no cursor to give yet */
  GBytes    *body;          /* the answer, until its changes are checked */
  gsize      changes_start; /* the JSON array of the pulled changes in @body */
  gsize      changes_length;
  guint      n_changes;
  GPtrArray *changes;       /* checked */
  gboolean   more;
  gboolean   dropped;       /* a page before it failed: never to be committed */
};

static void
page_free (Page *page)
{
  g_clear_pointer (&page->seqs, g_array_unref);
  g_clear_pointer (&page->rejected, g_array_unref);
  g_clear_pointer (&page->cursor, g_free);
  g_clear_pointer (&page->body, g_bytes_unref);
  g_clear_pointer (&page->changes, g_ptr_array_unref);
  g_free (page);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Page, page_free)

/* What the encoding thread needs: copies, so it never touches the store. */
typedef struct {
  char       site[SM_SITE_STRING_LEN + 1];
  char      *cursor;
  GPtrArray *changes;
} EncodeInput;

static void
encode_input_free (EncodeInput *input)
{
  g_clear_pointer (&input->cursor, g_free);
  g_clear_pointer (&input->changes, g_ptr_array_unref);
  g_free (input);
}

typedef struct {
  GBytes   *bytes;
  gboolean  gzipped;
} Body;

static void
body_free (Body *body)
{
  g_clear_pointer (&body->bytes, g_bytes_unref);
  g_free (body);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Body, body_free)

typedef struct {
  GBytes *body;
  gsize   start;    /* the changes' JSON array in @body */
  gsize   length;
} CheckInput;

static void
check_input_free (CheckInput *input)
{
  g_clear_pointer (&input->body, g_bytes_unref);
  g_free (input);
}

typedef struct {
  char       *token;
  JsonObject *user;
} LoginResult;

static void
login_result_free (LoginResult *result)
{
  if (result->token != NULL)
    memset (result->token, 0, strlen (result->token));
  g_clear_pointer (&result->token, g_free);
  g_clear_pointer (&result->user, json_object_unref);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoginResult, login_result_free)

static void run_begin (GTask *task);
static void run_pump (GTask *task);
static void run_check_page (GTask *task);
static void run_post (GTask *task, Body *body);
static void maybe_start_next_run (SmSync *self);
static void queue_background_run (SmSync *self);

/* ---------------------------------------------------------------- state */

static SmSyncState
compute_state (SmSync *self)
{
  if (self->running != NULL)
    return SM_SYNC_STATE_SYNCING;
  if (!self->network_available && !self->server_reached)
    return SM_SYNC_STATE_OFFLINE;
  if (self->error != NULL)
    return SM_SYNC_STATE_ERROR;
  if (self->pending > 0)
    return SM_SYNC_STATE_WAITING;
  return SM_SYNC_STATE_IDLE;
}

static void
update_state (SmSync *self)
{
  SmSyncState state = compute_state (self);

  if (state == self->state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_error (SmSync       *self,
           const GError *error)
{
  if (self->error == error)
    return;
  if (self->error != NULL && error != NULL &&
      g_error_matches (self->error, error->domain, error->code) &&
      g_strcmp0 (self->error->message, error->message) == 0)
    return;

  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
set_last_sync (SmSync    *self,
               GDateTime *when)
{
  g_clear_pointer (&self->last_sync, g_date_time_unref);
  self->last_sync = g_date_time_ref (when);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC]);
}

static void
refresh_counts (SmSync *self)
{
  g_autoptr(GError) error = NULL;
  gint64 pending, rejected;

  if ((pending = sm_store_outbox_count (self->store, &error)) < 0 ||
      (rejected = sm_store_rejected_count (self->store, &error)) < 0)
    {
      g_warning ("Cannot count the changes waiting to be sent: %s", error->message);
      return;
    }

  if ((guint) pending != self->pending)
    {
      self->pending = (guint) MIN (pending, G_MAXUINT);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
    }
  if ((guint) rejected != self->rejected)
    {
      self->rejected = (guint) MIN (rejected, G_MAXUINT);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REJECTED]);
    }
}

/* ---------------------------------------------------------------- errors */

static const char *
unreachable_message (void)
{
  return _("The server cannot be reached. Your changes are kept and will be sent later.");
}

/* Errors of the transport (no HTTP answer at all) become what a person can act on; the
 * original goes to the debug log. */
static GError *
map_transport_error (const GError *error)
{
  g_debug ("Request failed: %s", error->message);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (error->domain == G_TLS_ERROR)
    return g_error_new_literal (SM_SYNC_ERROR, SM_SYNC_ERROR_TLS,
                                _("The server’s identity cannot be verified, so nothing was sent. "
                                  "Check the server address, or ask its administrator about "
                                  "its certificate."));

  if (g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_REDIRECT_NO_LOCATION) ||
      g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_REDIRECT_BAD_URI) ||
      g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS))
    return g_error_new_literal (SM_SYNC_ERROR, SM_SYNC_ERROR_PROTOCOL,
                                _("The server address is not right. Check it in the settings; "
                                  "your changes are kept."));

  return g_error_new_literal (SM_SYNC_ERROR, SM_SYNC_ERROR_UNREACHABLE, unreachable_message ());
}

static guint
parse_retry_after (SoupMessageHeaders *headers)
{
  const char *value = soup_message_headers_get_one (headers, "Retry-After");
  guint64 seconds = 60;

  if (value != NULL && !g_ascii_string_to_unsigned (value, 10, 0, 24 * 3600, &seconds, NULL))
    {
      g_autoptr(GDateTime) at = soup_date_time_new_from_http_string (value);

      if (at != NULL)
        seconds = (guint64) MAX (0, g_date_time_to_unix (at) - g_get_real_time () / G_USEC_PER_SEC);
    }

  return (guint) seconds;
}

/* The "code" of an error answer {"error": {"code", "message"}}, or NULL. */
static char *
parse_error_code (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize length = 0;
  const char *data = body ? g_bytes_get_data (body, &length) : NULL;
  JsonNode *root;
  JsonObject *object;

  if (data == NULL || length == 0 ||
      !json_parser_load_from_data (parser, data, (gssize) length, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  object = json_node_get_object (root);
  if (!json_object_has_member (object, "error") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "error")))
    return NULL;

  object = json_object_get_object_member (object, "error");
  if (json_object_has_member (object, "message") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "message")))
    g_debug ("The server says: %s", json_object_get_string_member (object, "message"));
  if (!json_object_has_member (object, "code") ||
      json_node_get_value_type (json_object_get_member (object, "code")) != G_TYPE_STRING)
    return NULL;

  return g_strdup (json_object_get_string_member (object, "code"));
}

/* One table from an HTTP answer that is not 200 to an SM_SYNC_ERROR. */
static GError *
http_error (SoupMessage *message,
            GBytes      *body,
            gboolean     login)
{
  guint status = soup_message_get_status (message);
  g_autofree char *code = parse_error_code (body);

  g_debug ("HTTP %u %s (%s)", status, soup_message_get_reason_phrase (message),
           code ? code : "no code");

  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      if (login)
        return g_error_new_literal (SM_SYNC_ERROR, SM_SYNC_ERROR_UNAUTHORIZED,
                                    _("The login or the password is wrong."));
      return g_error_new_literal (SM_SYNC_ERROR, SM_SYNC_ERROR_UNAUTHORIZED,
                                  _("You are signed out: your sign-in has expired or was "
                                    "revoked. Sign in again; your changes are kept and will "
                                    "be sent then."));

    case 429:  /* Too Many Requests */
      {
        SoupMessageHeaders *headers = soup_message_get_response_headers (message);
        guint minutes = MAX (1, (parse_retry_after (headers) + 59) / 60);

        return g_error_new (SM_SYNC_ERROR, SM_SYNC_ERROR_TOO_MANY_ATTEMPTS,
                            g_dngettext (GETTEXT_PACKAGE,
                                         "Too many failed sign-in attempts. Wait %u minute and "
                                         "try again.",
                                         "Too many failed sign-in attempts. Wait %u minutes and "
                                         "try again.", minutes),
                            minutes);
      }

    case 426:  /* Upgrade Required: unsupported_protocol */
      return g_error_new_literal (SM_SYNC_ERROR, SM_SYNC_ERROR_OUTDATED,
                                  _("This version of Sanmen cannot sync with the server. "
                                    "Update Sanmen; your changes are kept and will be sent "
                                    "after the update."));

    case SOUP_STATUS_BAD_GATEWAY:
    case SOUP_STATUS_SERVICE_UNAVAILABLE:
    case SOUP_STATUS_GATEWAY_TIMEOUT:
      return g_error_new_literal (SM_SYNC_ERROR, SM_SYNC_ERROR_UNREACHABLE,
                                  unreachable_message ());

    default:
      if (status >= 500)
        return g_error_new_literal (SM_SYNC_ERROR, SM_SYNC_ERROR_SERVER,
                                    _("The server has a problem and could not take your "
                                      "changes. They are kept and will be sent later; if this "
                                      "lasts, tell the server’s administrator."));
      return g_error_new (SM_SYNC_ERROR, SM_SYNC_ERROR_PROTOCOL,
                          /* Translators: %u is an HTTP status, %s a code such as "malformed" */
                          _("The server refused the request (%u, %s). Your changes are kept; "
                            "tell the server’s administrator."),
                          status, code ? code : soup_message_get_reason_phrase (message));
    }
}

static void
set_protocol_error (GError     **error,
                    const char  *detail)
{
  g_debug ("Unexpected answer: %s", detail);
  g_set_error (error, SM_SYNC_ERROR, SM_SYNC_ERROR_PROTOCOL,
               /* Translators: %s is a technical detail, in English */
               _("The server’s answer cannot be understood (%s). Your changes are kept; "
                 "tell the server’s administrator."),
               detail);
}

/* ---------------------------------------------------------------- requests */

static SoupMessage *
new_request (SmSync     *self,
             const char *path,
             GBytes     *body,
             gboolean    gzipped,
             gboolean    authorized)
{
  g_autofree char *uri = g_strconcat (self->server_url, path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_POST, uri);
  SoupMessageHeaders *headers;

  /* sm_sync_new() checked the address. */
  g_assert (message != NULL);

  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Sanmen-Protocol", "1");
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (authorized)
    {
      g_autofree char *value = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (headers, "Authorization", value);
      memset (value, 0, strlen (value));
    }
  if (gzipped)
    soup_message_headers_replace (headers, "Content-Encoding", "gzip");

  soup_message_set_request_body_from_bytes (message, "application/json", body);

  return g_steal_pointer (&message);
}

/* The body of a 200 answer, or an error for anything else. Any HTTP answer means the
 * server was reached. */
static GBytes *
finish_request (SmSync        *self,
                SoupMessage   *message,
                GAsyncResult  *result,
                gboolean       login,
                GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) body = NULL;

  body = soup_session_send_and_read_finish (self->session, result, &local_error);
  if (body == NULL)
    {
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        self->server_reached = FALSE;
      g_propagate_error (error, map_transport_error (local_error));
      return NULL;
    }

  self->server_reached = TRUE;

  if (soup_message_get_status (message) != SOUP_STATUS_OK)
    {
      g_propagate_error (error, http_error (message, body, login));
      return NULL;
    }

  return g_steal_pointer (&body);
}

/* Local minus server time in seconds, from the answer's Date header; 0 when unknown. */
static gint64
clock_offset (SoupMessage *message)
{
  const char *date = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                   "Date");
  g_autoptr(GDateTime) server = date ? soup_date_time_new_from_http_string (date) : NULL;

  if (server == NULL)
    return 0;

  return g_get_real_time () / G_USEC_PER_SEC - g_date_time_to_unix (server);
}

/* ---------------------------------------------------------------- codec (worker threads) */

static GBytes *
gzip_bytes (const char  *data,
            gsize        length,
            GError     **error)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) stream = g_converter_output_stream_new (memory,
                                                                   G_CONVERTER (compressor));

  if (!g_output_stream_write_all (stream, data, length, NULL, NULL, error) ||
      !g_output_stream_close (stream, NULL, error))
    return NULL;

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

static Body *
encode_body (EncodeInput  *input,
             GError      **error)
{
  g_autoptr(Body) body = g_new0 (Body, 1);
  GString *text = g_string_sized_new (256 + input->changes->len * 192);
  char *data;
  gsize length;

  g_string_append (text, "{\"site\":");
  sm_json_append_string (text, input->site);
  g_string_append (text, ",\"cursor\":");
  if (input->cursor != NULL)
    sm_json_append_string (text, input->cursor);
  else
    g_string_append (text, "null");
  g_string_append (text, ",\"changes\":");
  sm_change_batch_append_json (input->changes, text);
  g_string_append (text, ",\"limit\":");
  sm_json_append_int (text, SM_SYNC_PULL_LIMIT);
  g_string_append_c (text, '}');

  length = text->len;
  data = g_string_free (text, FALSE);

  if (length > GZIP_THRESHOLD)
    {
      body->bytes = gzip_bytes (data, length, error);
      body->gzipped = TRUE;
      g_free (data);
      if (body->bytes == NULL)
        return NULL;
    }
  else
    body->bytes = g_bytes_new_take (data, length);

  return g_steal_pointer (&body);
}

static void
encode_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  Body *body = encode_body (task_data, &error);

  if (body == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, body, (GDestroyNotify) body_free);
}

static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* One entry of "rejected", at the reader: FALSE when it is not {"index", "code",
 * "message"} as PROTOCOL.md says. */
static gboolean
read_rejection (SmJsonReader  *reader,
                Rejection     *rejection,
                gint64        *index,
                GError       **error)
{
  SmJsonValue value;
  const char *name;
  gboolean has_index = FALSE;

  if (!sm_json_reader_read (reader, &value, NULL, error))
    return FALSE;
  if (value.type != SM_JSON_OBJECT)
    {
      /* Skipped all the same: only a JSON error sets @error. */
      sm_json_reader_skip (reader, &value, NULL, error);
      return FALSE;
    }

  for (;;)
    {
      enum { OTHER, INDEX, CODE, MESSAGE } member;

      if (!sm_json_reader_next_member (reader, &name, error))
        return FALSE;
      if (name == NULL)
        break;

      /* The name lives in the reader's buffer, which the value overwrites. */
      member = g_str_equal (name, "index") ? INDEX : g_str_equal (name, "code") ? CODE :
               g_str_equal (name, "message") ? MESSAGE : OTHER;
      if (!sm_json_reader_read (reader, &value, NULL, error))
        return FALSE;

      if (member == INDEX && value.type == SM_JSON_INT)
        {
          *index = value.integer;
          has_index = TRUE;
        }
      else if (member == INDEX)
        has_index = FALSE;
      else if (member == CODE)
        {
          g_clear_pointer (&rejection->code, g_free);
          if (value.type == SM_JSON_STRING)
            rejection->code = g_strdup (value.string);
        }
      else if (member == MESSAGE)
        {
          g_clear_pointer (&rejection->message, g_free);
          if (value.type == SM_JSON_STRING)
            rejection->message = g_strdup (value.string);
        }

      if (!sm_json_reader_skip (reader, &value, NULL, error))
        return FALSE;
    }

  if (rejection->message == NULL)
    rejection->message = g_strdup ("");

  return has_index && rejection->code != NULL && *rejection->code != '\0';
}

/* Checks an answer of POST /v1/sync against PROTOCOL.md. Every pushed change must be
 * accounted for, accepted or refused by index, or nothing is acknowledged. The changes
 * are only found and counted here; they are read in check_thread(), while the next
 * request is already on its way. */
static Page *
decode_page (GBytes   *bytes,
             guint     n_pushed,
             GError  **error)
{
  g_auto(SmJsonReader) reader = { 0, };
  g_autoptr(GError) local_error = NULL;
  g_autoptr(Page) page = g_new0 (Page, 1);
  g_autofree gboolean *seen = g_new0 (gboolean, n_pushed + 1);
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);
  gboolean has_accepted = FALSE, has_rejected = FALSE, has_cursor = FALSE;
  gboolean has_changes = FALSE, has_more = FALSE;
  SmJsonValue value;
  const char *name;

  if (data == NULL || length == 0)
    {
      set_protocol_error (error, "empty body");
      return NULL;
    }

  page->rejected = g_array_new (FALSE, TRUE, sizeof (Rejection));
  g_array_set_clear_func (page->rejected, rejection_clear);

  sm_json_reader_init (&reader, data, length);
  if (!sm_json_reader_read (&reader, &value, NULL, &local_error))
    goto bad_json;
  if (value.type != SM_JSON_OBJECT)
    {
      set_protocol_error (error, "not an object");
      return NULL;
    }

  for (;;)
    {
      enum { OTHER, ACCEPTED, REJECTED, CURSOR, CHANGES, MORE } member;
      const char *start;

      if (!sm_json_reader_next_member (&reader, &name, &local_error))
        goto bad_json;
      if (name == NULL)
        break;

      member = g_str_equal (name, "accepted") ? ACCEPTED : g_str_equal (name, "rejected") ? REJECTED :
               g_str_equal (name, "cursor") ? CURSOR : g_str_equal (name, "changes") ? CHANGES :
               g_str_equal (name, "more") ? MORE : OTHER;

      start = sm_json_reader_get_position (&reader);
      if (!sm_json_reader_read (&reader, &value, NULL, &local_error))
        goto bad_json;

      switch (member)
        {
        case ACCEPTED:
          has_accepted = value.type == SM_JSON_INT && value.integer >= 0;
          page->accepted = value.integer;
          break;

        case REJECTED:
          has_rejected = value.type == SM_JSON_ARRAY;
          g_array_set_size (page->rejected, 0);
          if (!has_rejected)
            break;
          for (;;)
            {
              Rejection rejection = { 0, };
              gboolean more;
              gint64 index = -1;

              if (!sm_json_reader_next_element (&reader, &more, &local_error))
                goto bad_json;
              if (!more)
                break;
              if (!read_rejection (&reader, &rejection, &index, &local_error) ||
                  index < 0 || index >= n_pushed || seen[index])
                {
                  rejection_clear (&rejection);
                  if (local_error != NULL)
                    goto bad_json;
                  set_protocol_error (error, "a bad entry in “rejected”");
                  return NULL;
                }
              seen[index] = TRUE;
              rejection.index = (guint) index;
              g_array_append_val (page->rejected, rejection);
            }
          continue;  /* read to its end */

        case CURSOR:
          g_clear_pointer (&page->cursor, g_free);
          has_cursor = value.type == SM_JSON_NULL || (value.type == SM_JSON_STRING && value.length > 0);
          if (value.type == SM_JSON_STRING && value.length > 0)
            page->cursor = g_strdup (value.string);
          break;

        case CHANGES:
          /* Checked later, in another thread: the next request need not wait for it. */
          has_changes = value.type == SM_JSON_ARRAY;
          if (!sm_json_reader_skip_unchecked (&reader, &value, &page->n_changes, &local_error))
            goto bad_json;
          while (*start == ' ' || *start == '\n' || *start == '\r' || *start == '\t')
            start++;
          page->changes_start = (gsize) (start - data);
          page->changes_length = (gsize) (sm_json_reader_get_position (&reader) - start);
          continue;  /* read to its end */

        case MORE:
          has_more = value.type == SM_JSON_BOOLEAN;
          page->more = value.boolean;
          break;

        case OTHER:
        default:
          break;
        }

      /* The rest of a value of the wrong type or of an unknown member. */
      if (!sm_json_reader_skip (&reader, &value, NULL, &local_error))
        goto bad_json;
    }
  if (!sm_json_reader_end (&reader, &local_error))
    goto bad_json;

  if (!has_accepted)
    {
      set_protocol_error (error, "no “accepted” count");
      return NULL;
    }
  if (!has_rejected)
    {
      set_protocol_error (error, "no “rejected” list");
      return NULL;
    }

  if (page->accepted + (gint64) page->rejected->len != (gint64) n_pushed)
    {
      g_autofree char *detail = g_strdup_printf ("%" G_GINT64_FORMAT " accepted and %u refused "
                                                 "of %u sent", page->accepted,
                                                 page->rejected->len, n_pushed);

      set_protocol_error (error, detail);
      return NULL;
    }

  if (!has_cursor)
    {
      set_protocol_error (error, "no “cursor”");
      return NULL;
    }
  if (!has_changes)
    {
      set_protocol_error (error, "no “changes” list");
      return NULL;
    }
  if (!has_more)
    {
      set_protocol_error (error, "no “more” flag");
      return NULL;
    }

  if (page->more && page->cursor == NULL)
    {
      set_protocol_error (error, "“more” without a cursor");
      return NULL;
    }

  page->body = g_bytes_ref (bytes);
  return g_steal_pointer (&page);

bad_json:
  set_protocol_error (error, local_error->message);
  return NULL;
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CheckInput *input = task_data;
  g_auto(SmJsonReader) reader = { 0, };
  g_autoptr(GError) local_error = NULL;
  const char *data = g_bytes_get_data (input->body, NULL);
  GPtrArray *changes;

  sm_json_reader_init (&reader, data + input->start, input->length);
  if ((changes = sm_change_batch_read (&reader, &local_error)) != NULL &&
      !sm_json_reader_end (&reader, &local_error))
    g_clear_pointer (&changes, g_ptr_array_unref);

  /* The body is not needed any more: freed here, not in the store's thread. */
  g_clear_pointer (&input->body, g_bytes_unref);

  if (changes == NULL)
    {
      GError *error = NULL;

      set_protocol_error (&error, local_error->message);
      g_task_return_error (task, error);
    }
  else
    g_task_return_pointer (task, changes, (GDestroyNotify) g_ptr_array_unref);
}

/* ---------------------------------------------------------------- background scheduling */

static void
cancel_timer (SmSync *self)
{
  if (self->timer == NULL)
    return;

  g_source_destroy (self->timer);
  g_clear_pointer (&self->timer, g_source_unref);
}

static gboolean
timer_cb (gpointer user_data)
{
  SmSync *self = SM_SYNC (user_data);

  g_clear_pointer (&self->timer, g_source_unref);
  queue_background_run (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_in (SmSync *self,
             guint   delay_ms)
{
  cancel_timer (self);
  self->timer = g_timeout_source_new (delay_ms);
  g_source_set_static_name (self->timer, "[sanmen] sync timer");
  g_source_set_callback (self->timer, timer_cb, self, NULL);
  g_source_attach (self->timer, self->context);
  self->next_attempt = g_get_monotonic_time () + (gint64) delay_ms * 1000;
}

/* 2 s, 4 s, 8 s … at most 5 min, each ±20%, so clients that failed together (a server
 * restart) do not come back together. */
static guint
backoff_delay_ms (guint failures)
{
  double delay = BACKOFF_BASE_MS;

  for (guint i = 1; i < failures && delay < BACKOFF_MAX_MS; i++)
    delay *= 2;
  delay = MIN (delay, BACKOFF_MAX_MS);

  return (guint) (delay * g_random_double_range (1.0 - BACKOFF_JITTER, 1.0 + BACKOFF_JITTER));
}

/* After every run, explicit or background: the backoff and the next attempt. */
static void
after_run (SmSync       *self,
           const GError *error)
{
  if (error == NULL || g_error_matches (error, SM_SYNC_ERROR, SM_SYNC_ERROR_CLOCK_SKEW))
    {
      self->failures = 0;
      self->blocked = FALSE;
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* stop() or the caller's cancellable: keep whatever was planned. */
      if (self->started && self->timer == NULL && !self->blocked)
        schedule_in (self, self->interval * 1000);
      return;
    }
  else if (g_error_matches (error, SM_SYNC_ERROR, SM_SYNC_ERROR_UNAUTHORIZED))
    {
      /* Retrying cannot help until someone signs in again. */
      self->blocked = TRUE;
      cancel_timer (self);
      return;
    }
  else
    self->failures++;

  if (!self->started)
    return;

  if (self->failures > 0)
    schedule_in (self, backoff_delay_ms (self->failures));
  else
    schedule_in (self, self->interval * 1000);
}

static void
background_run_done_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!sm_sync_run_finish (SM_SYNC (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Background sync failed: %s", error->message);
}

static void
queue_background_run (SmSync *self)
{
  RunData *data;
  GTask *task;

  g_assert (SM_IS_SYNC (self));

  /* One queued background run serves every request, unless stop() cancelled it. */
  if (self->background_queued != NULL &&
      !g_cancellable_is_cancelled (g_task_get_cancellable (self->background_queued)))
    return;

  task = g_task_new (self, self->background_cancellable, background_run_done_cb, NULL);
  g_task_set_source_tag (task, sm_sync_run_async);
  g_task_set_name (task, "[sanmen] background sync");
  data = g_new0 (RunData, 1);
  data->background = TRUE;
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);
  self->background_queued = task;
  g_queue_push_tail (&self->queue, task);
  maybe_start_next_run (self);
}

static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    SmSync          *self)
{
  gboolean was_available = self->network_available;

  self->network_available = available;
  if (!available)
    self->server_reached = FALSE;
  update_state (self);

  /* Back online, or a network change that may let an unreachable server be reached. */
  if (available && self->started && !self->blocked &&
      (!was_available || g_error_matches (self->error, SM_SYNC_ERROR, SM_SYNC_ERROR_UNREACHABLE)))
    queue_background_run (self);
}

/* ---------------------------------------------------------------- the run */

static void
run_complete (GTask  *task,
              GError *error)
{
  /* The caller's callback may drop the last reference but for the task's. */
  g_autoptr(SmSync) self = g_object_ref (g_task_get_source_object (task));
  RunData *data = g_task_get_task_data (task);
  gboolean background = data->background;

  g_assert (self->running == task);
  g_assert (!data->in_flight && !data->checking && g_queue_is_empty (&data->pages));
  self->running = NULL;

  if (data->cancelled_id != 0)
    {
      g_cancellable_disconnect (g_task_get_cancellable (task), data->cancelled_id);
      data->cancelled_id = 0;
    }

  if (error == NULL || g_error_matches (error, SM_SYNC_ERROR, SM_SYNC_ERROR_CLOCK_SKEW))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      set_last_sync (self, now);
    }
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_error (self, error);

  refresh_counts (self);
  after_run (self, error);
  update_state (self);

  g_debug ("%s sync %s", background ? "Background" : "Requested",
           error ? error->message : "done");

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);

  maybe_start_next_run (self);
}

static void
maybe_start_next_run (SmSync *self)
{
  /* Returning a task may run a callback that drops the caller's last reference. */
  G_GNUC_UNUSED g_autoptr(SmSync) hold = g_object_ref (self);
  GTask *task;

  while (self->running == NULL && (task = g_queue_pop_head (&self->queue)) != NULL)
    {
      GError *error = NULL;

      if (task == self->background_queued)
        self->background_queued = NULL;

      if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
        {
          g_task_return_error (task, error);
          g_object_unref (task);
          continue;
        }

      self->running = task;
      refresh_counts (self);
      update_state (self);

      if (self->token == NULL)
        {
          run_complete (task, g_error_new_literal (SM_SYNC_ERROR, SM_SYNC_ERROR_UNAUTHORIZED,
                                                   _("You are not signed in. Sign in to send "
                                                     "your changes; they are kept until then.")));
          continue;
        }

      run_begin (task);
    }
}

/* Everything a 200 implies, in one transaction: acknowledge, refuse, merge, move the
 * cursor. */
static gboolean
commit_page_steps (SmSync   *self,
                   Page     *page,
                   GError  **error)
{
  g_autoptr(GArray) acked = g_array_sized_new (FALSE, FALSE, sizeof (gint64), page->seqs->len);
  g_autofree gboolean *refused = g_new0 (gboolean, page->seqs->len + 1);

  for (guint i = 0; i < page->rejected->len; i++)
    refused[g_array_index (page->rejected, Rejection, i).index] = TRUE;
  for (guint i = 0; i < page->seqs->len; i++)
    if (!refused[i])
      g_array_append_val (acked, g_array_index (page->seqs, gint64, i));

  if (!sm_store_outbox_ack (self->store, (const gint64 *) (gpointer) acked->data, acked->len,
                            error))
    return FALSE;

  for (guint i = 0; i < page->rejected->len; i++)
    {
      Rejection *rejection = &g_array_index (page->rejected, Rejection, i);

      gint64 seq = g_array_index (page->seqs, gint64, rejection->index);

      if (!sm_store_outbox_reject (self->store, seq, rejection->code, rejection->message, error))
        return FALSE;
    }

  return sm_store_apply (self->store, page->changes, page->cursor, NULL, error);
}

static gboolean
commit_page (SmSync   *self,
             Page     *page,
             GError  **error)
{
  if (!sm_store_begin (self->store, error))
    return FALSE;

  if (!commit_page_steps (self, page, error))
    {
      sm_store_rollback (self->store);
      return FALSE;
    }

  return sm_store_commit (self->store, error);
}

static GError *
clock_error (RunData *data)
{
  if (data->n_clock_skew > 0)
    return g_error_new (SM_SYNC_ERROR, SM_SYNC_ERROR_CLOCK_SKEW,
                        g_dngettext (GETTEXT_PACKAGE,
                                     "The server refused %u change because the date or time of "
                                     "this computer is wrong. Set the correct date and time; the "
                                     "refused change is kept in the list of rejected changes.",
                                     "The server refused %u changes because the date or time of "
                                     "this computer is wrong. Set the correct date and time; the "
                                     "refused changes are kept in the list of rejected changes.",
                                     data->n_clock_skew),
                        data->n_clock_skew);

  if (data->clock_offset != 0)
    {
      guint minutes = (guint) MIN ((ABS (data->clock_offset) + 30) / 60, G_MAXUINT);

      return g_error_new (SM_SYNC_ERROR, SM_SYNC_ERROR_CLOCK_SKEW,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "The date or time of this computer is %u minute off the "
                                       "server’s. Set the correct date and time, or the server "
                                       "will refuse your changes.",
                                       "The date or time of this computer is %u minutes off the "
                                       "server’s. Set the correct date and time, or the server "
                                       "will refuse your changes.", minutes),
                          minutes);
    }

  return NULL;
}

/* Records the run's first failure (taking @error); the run ends once nothing is pending.
 * The answers already parsed are still committed after a failed request, as they would
 * have been without the pipeline; a page that cannot be checked or committed takes the
 * later ones with it, since pages are committed only in order. */
static void
run_fail (GTask    *task,
          GError   *error,
          gboolean  drop_later_pages)
{
  RunData *data = g_task_get_task_data (task);

  if (data->error == NULL)
    data->error = error;
  else
    g_error_free (error);

  if (drop_later_pages)
    {
      /* The page being checked is only marked: its check, in a worker thread, still
       * returns to run_step_checked_cb(). */
      Page *checked = data->checking ? g_queue_pop_head (&data->pages) : NULL;

      g_queue_clear_full (&data->pages, (GDestroyNotify) page_free);
      if (checked != NULL)
        {
          checked->dropped = TRUE;
          g_queue_push_head (&data->pages, checked);
        }
      g_cancellable_cancel (data->cancellable);
    }
}

static void
run_step_checked_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  SmSync *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr(Page) page = g_queue_pop_head (&data->pages);
  GError *error = NULL;

  data->checking = FALSE;

  if (page->dropped)
    {
      run_pump (task);
      return;
    }

  if (!(page->changes = g_task_propagate_pointer (G_TASK (result), &error)))
    {
      run_fail (task, error, TRUE);
      run_pump (task);
      return;
    }

  /* The next page is checked in its worker thread while this one commits here: the two
   * steps of consecutive pages overlap rather than take turns. */
  if (!g_queue_is_empty (&data->pages))
    run_check_page (task);

  /* Not cancellable: the server answered 200, so the page is as good as done, and a
   * cancellation now would only make it be sent again. */
  if (!commit_page (self, page, &error))
    {
      run_fail (task, error, TRUE);
      run_pump (task);
      return;
    }

  for (guint i = 0; i < page->rejected->len; i++)
    {
      Rejection *rejection = &g_array_index (page->rejected, Rejection, i);

      g_debug ("The server refused a change (%s): %s", rejection->code, rejection->message);
      if (g_str_equal (rejection->code, "clock_skew"))
        data->n_clock_skew++;
    }

  data->n_pages++;
  g_debug ("Page %u: %u sent, %u refused, %u received%s", data->n_pages, page->seqs->len,
           page->rejected->len, page->changes->len, page->more ? ", more to come" : "");

  refresh_counts (self);

  if (page->changes->len > 0)
    g_signal_emit (self, signals[SIGNAL_APPLIED], 0, page->changes);

  run_pump (task);
}

/* Checks the oldest waiting page's changes in a worker thread. */
static void
run_check_page (GTask *task)
{
  RunData *data = g_task_get_task_data (task);
  Page *page = g_queue_peek_head (&data->pages);
  g_autoptr(GTask) check = NULL;
  CheckInput *input;

  g_assert (!data->checking && page != NULL);
  data->checking = TRUE;

  input = g_new0 (CheckInput, 1);
  input->body = g_steal_pointer (&page->body);
  input->start = page->changes_start;
  input->length = page->changes_length;

  /* No source object, as for decoding. */
  check = g_task_new (NULL, NULL, run_step_checked_cb, task);
  g_task_set_source_tag (check, check_thread);
  g_task_set_name (check, "[sanmen] check pulled changes");
  g_task_set_task_data (check, input, (GDestroyNotify) check_input_free);
  g_task_run_in_thread (check, check_thread);
}

static void
run_decoded (GTask   *task,
             Page    *decoded,
             GError  *error)
{
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GArray) seqs = g_steal_pointer (&data->seqs);
  g_autoptr(Page) page = decoded;

  data->in_flight = FALSE;
  g_clear_object (&data->message);

  if (page == NULL)
    {
      run_fail (task, error, FALSE);
      run_pump (task);
      return;
    }

  /* A page before this one failed: this one cannot be committed out of order. */
  if (data->error != NULL)
    {
      run_pump (task);
      return;
    }

  if (page->more && page->n_changes == 0 && seqs->len == 0 &&
      g_strcmp0 (page->cursor, data->cursor) == 0)
    {
      /* The same empty page forever. */
      set_protocol_error (&error, "“more” without progress");
      run_fail (task, error, FALSE);
      run_pump (task);
      return;
    }

  page->seqs = g_steal_pointer (&seqs);
  if (page->cursor != NULL)
    {
      g_free (data->cursor);
      data->cursor = g_strdup (page->cursor);
    }
  data->more = page->more;
  g_queue_push_tail (&data->pages, g_steal_pointer (&page));

  run_pump (task);
}

static void
run_step_sent_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  SmSync *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;
  Page *page;
  gint64 offset;

  if (!(body = finish_request (self, data->message, result, FALSE, &error)))
    {
      data->in_flight = FALSE;
      g_clear_pointer (&data->seqs, g_array_unref);
      g_clear_object (&data->message);
      run_fail (task, error, FALSE);
      run_pump (task);
      return;
    }

  offset = clock_offset (data->message);
  if (ABS (offset) > CLOCK_SKEW_LIMIT_S)
    data->clock_offset = offset;

  /* Here, not in a thread: finding the frame is a quick scan (memchr() over the
   * changes, which the check thread reads), and the next request goes out at once
   * rather than after a trip through a worker that may end behind a commit. */
  page = decode_page (body, data->seqs->len, &error);
  run_decoded (task, page, error);
}

static void
run_step_encoded_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  RunData *data = g_task_get_task_data (task);
  Body *body;
  GError *error = NULL;

  if (!(body = g_task_propagate_pointer (G_TASK (result), &error)))
    {
      data->in_flight = FALSE;
      g_clear_pointer (&data->seqs, g_array_unref);
      run_fail (task, error, FALSE);
      run_pump (task);
      return;
    }

  run_post (task, body);
}

/* Sends the request; takes @body. */
static void
run_post (GTask *task,
          Body  *body)
{
  SmSync *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);

  g_clear_object (&data->message);
  data->message = new_request (self, "/v1/sync", body->bytes, body->gzipped, TRUE);
  /* Sending a page twice is harmless by design, so libsoup may resend it on a kept-alive
   * connection the server closed meanwhile. */
  soup_message_add_flags (data->message, SOUP_MESSAGE_IDEMPOTENT);

  soup_session_send_and_read_async (self->session, data->message, G_PRIORITY_DEFAULT,
                                    data->cancellable, run_step_sent_cb, task);
  body_free (body);
}

/* Starts the next request from the newest cursor; with the next outbox page only when
 * no answer waits for its commit, so no row is ever in two requests at once. */
static void
run_send (GTask    *task,
          gboolean  with_outbox)
{
  SmSync *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) pushed = NULL;
  g_autoptr(GTask) encode = NULL;
  EncodeInput *input;
  GError *error = NULL;

  g_assert (!data->in_flight && data->seqs == NULL);

  if (g_cancellable_set_error_if_cancelled (data->cancellable, &error))
    {
      run_fail (task, error, FALSE);
      return;
    }

  if (with_outbox)
    {
      if (!(pushed = sm_store_outbox_read (self->store, SM_SYNC_PUSH_PAGE, &data->seqs, &error)))
        {
          run_fail (task, error, FALSE);
          return;
        }
    }
  else
    {
      pushed = sm_change_batch_new ();
      data->seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
    }
  data->in_flight = TRUE;

  input = g_new0 (EncodeInput, 1);
  memcpy (input->site, sm_store_get_site (self->store), SM_SITE_STRING_LEN + 1);
  input->cursor = g_strdup (data->cursor);
  input->changes = g_steal_pointer (&pushed);

  /* A request that pushes nothing, as during a bootstrap, is a line of JSON: encoded here
   * rather than in a thread, it goes out before this thread turns to a commit. */
  if (input->changes->len == 0)
    {
      Body *body = encode_body (input, &error);

      encode_input_free (input);
      if (body == NULL)
        {
          data->in_flight = FALSE;
          g_clear_pointer (&data->seqs, g_array_unref);
          run_fail (task, error, FALSE);
          return;
        }
      run_post (task, body);
      return;
    }

  encode = g_task_new (NULL, data->cancellable, run_step_encoded_cb, task);
  g_task_set_source_tag (encode, encode_thread);
  g_task_set_name (encode, "[sanmen] encode sync request");
  g_task_set_task_data (encode, input, (GDestroyNotify) encode_input_free);
  g_task_run_in_thread (encode, encode_thread);
}

/* Starts what can start now — checking the oldest page, the next request — and ends the
 * run once nothing is pending. Called after every step. */
static void
run_pump (GTask *task)
{
  SmSync *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  guint waiting = g_queue_get_length (&data->pages);

  if (!data->checking && waiting > 0)
    run_check_page (task);

  if (!data->in_flight && data->error == NULL &&
      ((data->more && waiting < PIPELINE_PAGES) || (waiting == 0 && self->pending > 0)))
    run_send (task, waiting == 0);

  if (!data->in_flight && g_queue_is_empty (&data->pages))
    {
      GError *error = data->error ? g_steal_pointer (&data->error) : clock_error (data);

      run_complete (task, error);
    }
}

static void
forward_cancel_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static void
run_begin (GTask *task)
{
  SmSync *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  data->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    data->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (forward_cancel_cb),
                                                data->cancellable, NULL);
  data->cursor = sm_store_dup_cursor (self->store);
  data->more = TRUE;  /* until the server says otherwise */

  run_pump (task);
}

/* ---------------------------------------------------------------- login */

static void
login_sent_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SmSync *self = g_task_get_source_object (task);
  SoupMessage *message = g_task_get_task_data (task);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(LoginResult) login = g_new0 (LoginResult, 1);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) local_error = NULL;
  GError *error = NULL;
  const char *data, *token;
  gsize length;
  JsonNode *root, *user;

  if (!(body = finish_request (self, message, result, TRUE, &error)))
    {
      update_state (self);
      g_task_return_error (task, error);
      return;
    }
  update_state (self);

  data = g_bytes_get_data (body, &length);
  if (data == NULL || !sm_change_check_json_text (data, length, &local_error) ||
      !json_parser_load_from_data (parser, data, (gssize) length, &local_error) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (token = get_string_member (json_node_get_object (root), "token")) == NULL ||
      strlen (token) != TOKEN_LEN ||
      (user = json_object_get_member (json_node_get_object (root), "user")) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (user))
    {
      set_protocol_error (&error, local_error ? local_error->message : "no token or user");
      g_task_return_error (task, error);
      return;
    }

  for (const char *p = token; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p))
      {
        set_protocol_error (&error, "a malformed token");
        g_task_return_error (task, error);
        return;
      }

  login->token = g_strdup (token);
  login->user = json_object_ref (json_node_get_object (user));
  sm_sync_set_token (self, login->token);

  g_task_return_pointer (task, g_steal_pointer (&login), (GDestroyNotify) login_result_free);
}

/* ---------------------------------------------------------------- logout */

static void
logout_sent_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SmSync *self = g_task_get_source_object (task);
  SoupMessage *message = g_task_get_task_data (task);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) body = NULL;
  guint status;

  if (!(body = soup_session_send_and_read_finish (self->session, result, &local_error)))
    {
      g_task_return_error (task, map_transport_error (local_error));
      return;
    }

  /* 401: the token was revoked already (a password change, another sign-out). */
  status = soup_message_get_status (message);
  if (status == SOUP_STATUS_OK || status == SOUP_STATUS_UNAUTHORIZED)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, http_error (message, body, FALSE));
}

/* ---------------------------------------------------------------- GObject */

static void
sm_sync_dispose (GObject *object)
{
  SmSync *self = SM_SYNC (object);

  sm_sync_stop (self);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_func (self->monitor, network_changed_cb, self);
  g_clear_object (&self->monitor);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->background_cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (sm_sync_parent_class)->dispose (object);
}

static void
sm_sync_finalize (GObject *object)
{
  SmSync *self = SM_SYNC (object);

  /* Runs hold a reference: none can be left. */
  g_assert (self->running == NULL);
  g_assert (g_queue_is_empty (&self->queue));

  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->last_sync, g_date_time_unref);
  g_clear_error (&self->error);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sm_sync_parent_class)->finalize (object);
}

static void
sm_sync_constructed (GObject *object)
{
  SmSync *self = SM_SYNC (object);

  G_OBJECT_CLASS (sm_sync_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  g_assert (self->server_url != NULL);

  refresh_counts (self);
  self->state = compute_state (self);
}

static void
sm_sync_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  SmSync *self = SM_SYNC (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PENDING:
      g_value_set_uint (value, self->pending);
      break;
    case PROP_REJECTED:
      g_value_set_uint (value, self->rejected);
      break;
    case PROP_LAST_SYNC:
      g_value_set_boxed (value, self->last_sync);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval);
      break;
    case PROP_SIGNED_IN:
      g_value_set_boolean (value, self->token != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_sync_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  SmSync *self = SM_SYNC (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SERVER_URL:
      sm_sync_set_server_url (self, g_value_get_string (value));
      break;
    case PROP_INTERVAL:
      sm_sync_set_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_sync_class_init (SmSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sm_sync_dispose;
  object_class->finalize = sm_sync_finalize;
  object_class->constructed = sm_sync_constructed;
  object_class->get_property = sm_sync_get_property;
  object_class->set_property = sm_sync_set_property;

  /**
   * SmSync:store:
   *
   * The replica this sync sends and fills.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * SmSync:server-url:
   *
   * The server's base address, such as `http://127.0.0.1:8008`.
   */
  properties[PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS |
                         G_PARAM_EXPLICIT_NOTIFY);

  /**
   * SmSync:state:
   *
   * What to show: offline, syncing, up to date, changes waiting, or an error.
   */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, SM_TYPE_SYNC_STATE, SM_SYNC_STATE_IDLE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * SmSync:pending:
   *
   * Local changes not yet accepted by the server.
   */
  properties[PROP_PENDING] =
    g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * SmSync:rejected:
   *
   * Local changes the server refused, kept aside with its reason.
   */
  properties[PROP_REJECTED] =
    g_param_spec_uint ("rejected", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * SmSync:last-sync:
   *
   * When the last run completed (UTC), or %NULL if none has since this object was made.
   */
  properties[PROP_LAST_SYNC] =
    g_param_spec_boxed ("last-sync", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * SmSync:error:
   *
   * Why the last run failed, in words a person can act on; %NULL after a success.
   */
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * SmSync:interval:
   *
   * Seconds between background runs while nothing fails.
   */
  properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL, 1, 24 * 3600, DEFAULT_INTERVAL_S,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * SmSync:signed-in:
   *
   * Whether a token is set.
   */
  properties[PROP_SIGNED_IN] =
    g_param_spec_boolean ("signed-in", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SmSync::applied:
   * @self: the sync
   * @changes: (element-type SmChange): the pulled changes just merged into the store
   *
   * Emitted after a pulled page has been merged and committed, so views can refresh
   * the records named in @changes (some of them may have lost the merge).
   */
  signals[SIGNAL_APPLIED] =
    g_signal_new ("applied",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
sm_sync_init (SmSync *self)
{
  self->interval = DEFAULT_INTERVAL_S;
  self->state = SM_SYNC_STATE_IDLE;
  g_queue_init (&self->queue);
  self->background_cancellable = g_cancellable_new ();
  self->context = g_main_context_ref_thread_default ();

  self->session = soup_session_new_with_options ("timeout", HTTP_TIMEOUT_S,
                                                 "idle-timeout", HTTP_TIMEOUT_S,
                                                 "user-agent", USER_AGENT,
                                                 NULL);
  /* libsoup 3 adds it by default; say so rather than rely on it. */
  if (!soup_session_has_feature (self->session, SOUP_TYPE_CONTENT_DECODER))
    soup_session_add_feature_by_type (self->session, SOUP_TYPE_CONTENT_DECODER);

  self->monitor = g_object_ref (g_network_monitor_get_default ());
  self->network_available = g_network_monitor_get_network_available (self->monitor);
  g_signal_connect (self->monitor, "network-changed", G_CALLBACK (network_changed_cb), self);
}

/* ---------------------------------------------------------------- public API */

SmSync *
sm_sync_new (SmStore    *store,
             const char *server_url)
{
  g_return_val_if_fail (SM_IS_STORE (store), NULL);
  g_return_val_if_fail (server_url != NULL, NULL);

  return g_object_new (SM_TYPE_SYNC, "store", store, "server-url", server_url, NULL);
}

SmStore *
sm_sync_get_store (SmSync *self)
{
  g_return_val_if_fail (SM_IS_SYNC (self), NULL);

  return self->store;
}

const char *
sm_sync_get_server_url (SmSync *self)
{
  g_return_val_if_fail (SM_IS_SYNC (self), NULL);

  return self->server_url;
}

void
sm_sync_set_server_url (SmSync     *self,
                        const char *server_url)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *url = NULL;
  gsize length;

  g_return_if_fail (SM_IS_SYNC (self));
  g_return_if_fail (server_url != NULL);

  uri = g_uri_parse (server_url, G_URI_FLAGS_NONE, NULL);
  g_return_if_fail (uri != NULL);
  g_return_if_fail (g_strcmp0 (g_uri_get_scheme (uri), "http") == 0 ||
                    g_strcmp0 (g_uri_get_scheme (uri), "https") == 0);
  g_return_if_fail (g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0');

  url = g_strdup (server_url);
  length = strlen (url);
  while (length > 0 && url[length - 1] == '/')
    url[--length] = '\0';

  if (g_strcmp0 (url, self->server_url) == 0)
    return;

  g_free (self->server_url);
  self->server_url = g_steal_pointer (&url);
  self->server_reached = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_URL]);
  update_state (self);
}

SoupSession *
sm_sync_get_session (SmSync *self)
{
  g_return_val_if_fail (SM_IS_SYNC (self), NULL);

  return self->session;
}

void
sm_sync_set_token (SmSync     *self,
                   const char *token)
{
  gboolean was_signed_in;

  g_return_if_fail (SM_IS_SYNC (self));

  if (g_strcmp0 (token, self->token) == 0)
    return;

  was_signed_in = self->token != NULL;
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  self->token = g_strdup (token);

  if (was_signed_in != (self->token != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);

  if (self->token != NULL && self->blocked)
    {
      self->blocked = FALSE;
      self->failures = 0;
      if (self->started)
        queue_background_run (self);
    }
}

gboolean
sm_sync_get_signed_in (SmSync *self)
{
  g_return_val_if_fail (SM_IS_SYNC (self), FALSE);

  return self->token != NULL;
}

SmSyncState
sm_sync_get_state (SmSync *self)
{
  g_return_val_if_fail (SM_IS_SYNC (self), SM_SYNC_STATE_IDLE);

  return self->state;
}

guint
sm_sync_get_pending (SmSync *self)
{
  g_return_val_if_fail (SM_IS_SYNC (self), 0);

  return self->pending;
}

guint
sm_sync_get_rejected (SmSync *self)
{
  g_return_val_if_fail (SM_IS_SYNC (self), 0);

  return self->rejected;
}

GDateTime *
sm_sync_get_last_sync (SmSync *self)
{
  g_return_val_if_fail (SM_IS_SYNC (self), NULL);

  return self->last_sync;
}

const GError *
sm_sync_get_error (SmSync *self)
{
  g_return_val_if_fail (SM_IS_SYNC (self), NULL);

  return self->error;
}

guint
sm_sync_get_interval (SmSync *self)
{
  g_return_val_if_fail (SM_IS_SYNC (self), 0);

  return self->interval;
}

void
sm_sync_set_interval (SmSync *self,
                      guint   seconds)
{
  g_return_if_fail (SM_IS_SYNC (self));
  g_return_if_fail (seconds > 0);

  if (seconds == self->interval)
    return;

  self->interval = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);

  /* A shorter interval takes effect now rather than after the old one. */
  if (self->started && self->failures == 0 && !self->blocked && self->running == NULL)
    schedule_in (self, self->interval * 1000);
}

void
sm_sync_login_async (SmSync              *self,
                     const char          *login,
                     const char          *password,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMessage *message;
  char *data;
  gsize length;

  g_return_if_fail (SM_IS_SYNC (self));
  g_return_if_fail (login != NULL);
  g_return_if_fail (password != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sm_sync_login_async);
  g_task_set_name (task, "[sanmen] login");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "user");
  json_builder_add_string_value (builder, login);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_set_member_name (builder, "site");
  json_builder_add_string_value (builder, sm_store_get_site (self->store));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);
  body = g_bytes_new_take (data, length);

  message = new_request (self, "/v1/login", body, FALSE, FALSE);
  g_task_set_task_data (task, message, g_object_unref);

  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT, cancellable,
                                    login_sent_cb, g_steal_pointer (&task));
}

gboolean
sm_sync_login_finish (SmSync        *self,
                      GAsyncResult  *result,
                      char         **out_token,
                      JsonObject   **out_user,
                      GError       **error)
{
  g_autoptr(LoginResult) login = NULL;

  g_return_val_if_fail (SM_IS_SYNC (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sm_sync_login_async, FALSE);

  if (!(login = g_task_propagate_pointer (G_TASK (result), error)))
    return FALSE;

  if (out_token != NULL)
    *out_token = g_strdup (login->token);
  if (out_user != NULL)
    *out_user = json_object_ref (login->user);

  return TRUE;
}

void
sm_sync_logout_async (SmSync              *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMessage *message;

  g_return_if_fail (SM_IS_SYNC (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sm_sync_logout_async);
  g_task_set_name (task, "[sanmen] logout");

  if (self->token == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  body = g_bytes_new_static ("{}", 2);
  message = new_request (self, "/v1/logout", body, FALSE, TRUE);
  g_task_set_task_data (task, message, g_object_unref);
  /* Signed out here whatever the server answers: the token is in the request only. */
  sm_sync_set_token (self, NULL);

  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT, cancellable,
                                    logout_sent_cb, g_steal_pointer (&task));
}

gboolean
sm_sync_logout_finish (SmSync        *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (SM_IS_SYNC (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sm_sync_logout_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
sm_sync_run_async (SmSync              *self,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (SM_IS_SYNC (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sm_sync_run_async);
  g_task_set_name (task, "[sanmen] sync");
  g_task_set_task_data (task, g_new0 (RunData, 1), (GDestroyNotify) run_data_free);

  g_queue_push_tail (&self->queue, task);
  maybe_start_next_run (self);
}

gboolean
sm_sync_run_finish (SmSync        *self,
                    GAsyncResult  *result,
                    GError       **error)
{
  g_return_val_if_fail (SM_IS_SYNC (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sm_sync_run_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
sm_sync_start (SmSync *self)
{
  g_return_if_fail (SM_IS_SYNC (self));

  if (self->started)
    return;

  self->started = TRUE;
  self->network_available = g_network_monitor_get_network_available (self->monitor);
  update_state (self);

  if (!self->blocked)
    queue_background_run (self);
}

void
sm_sync_stop (SmSync *self)
{
  g_return_if_fail (SM_IS_SYNC (self));

  self->started = FALSE;
  cancel_timer (self);

  /* Cancel what runs or waits in the background; later requests get a fresh cancellable. */
  if (self->background_cancellable != NULL)
    {
      g_cancellable_cancel (self->background_cancellable);
      g_object_unref (self->background_cancellable);
      self->background_cancellable = g_cancellable_new ();
    }
}

void
sm_sync_request (SmSync *self)
{
  g_return_if_fail (SM_IS_SYNC (self));

  queue_background_run (self);
}

void
sm_sync_local_changed (SmSync *self)
{
  gint64 soon;

  g_return_if_fail (SM_IS_SYNC (self));

  refresh_counts (self);
  update_state (self);

  if (!self->started || self->blocked || self->failures > 0 || self->pending == 0)
    return;

  soon = g_get_monotonic_time () + LOCAL_CHANGE_DELAY_MS * 1000;
  if (self->timer == NULL || self->next_attempt > soon)
    schedule_in (self, LOCAL_CHANGE_DELAY_MS);
}
