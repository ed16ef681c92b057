/* test-server.c — the real sanmen-server over HTTP: protocol, errors, auth and scope
 *
 * One server process on 127.0.0.1 with a free port and a temporary data folder, set up
 * through its own command line, then driven with libsoup as any client would. Every bad
 * request must get its status and error code, leave nothing applied, and leave the
 * server up for the next one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "sanmen-core.h"
#include "sm-test-server.h"

#define SITE_W1 "11111111111111111111111111111111"
#define SITE_OFFICE "22222222222222222222222222222222"

/* The server every test talks to, with the environment of a deployment: a warning it
 * logs for a bad request is not fatal to it. */
static SmTestServer *server;
static SoupSession *server_session;

/* ---------------------------------------------------------------- HTTP helpers */

typedef struct {
  guint       status;
  JsonNode   *json;
  char       *text;
  SoupMessage *msg;
} Answer;

static void
answer_clear (Answer *answer)
{
  g_clear_pointer (&answer->json, json_node_unref);
  g_clear_pointer (&answer->text, g_free);
  g_clear_object (&answer->msg);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Answer, answer_clear)

static void
request (Answer     *answer,
         const char *method,
         const char *path,
         const char *token,
         const char *content_type,
         const char *body,
         gssize      length)
{
  g_autofree char *uri = g_strconcat (server->url, path, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  SoupMessage *msg = soup_message_new (method, uri);

  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) payload = g_bytes_new (body, length < 0 ? strlen (body) : (gsize) length);

      soup_message_set_request_body_from_bytes (msg, content_type, payload);
    }

  bytes = soup_session_send_and_read (server_session, msg, NULL, &error);
  g_assert_no_error (error);

  answer->msg = msg;
  answer->status = soup_message_get_status (msg);
  answer->text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (json_parser_load_from_data (parser, answer->text, -1, NULL) && json_parser_get_root (parser))
    answer->json = json_node_ref (json_parser_get_root (parser));
}

static void
post_json (Answer     *answer,
           const char *path,
           const char *token,
           const char *body)
{
  request (answer, "POST", path, token, "application/json", body, -1);
}

static const char *
error_code (Answer *answer)
{
  JsonObject *error;

  g_assert_nonnull (answer->json);
  error = json_object_get_object_member (json_node_get_object (answer->json), "error");
  g_assert_nonnull (error);
  g_assert_nonnull (json_object_get_string_member (error, "message"));
  return json_object_get_string_member (error, "code");
}

static void
assert_error (Answer     *answer,
              guint       status,
              const char *code)
{
  if (answer->status != status)
    g_error ("expected %u, got %u: %s", status, answer->status, answer->text);
  g_assert_cmpstr (error_code (answer), ==, code);
}

static char *
login (const char *user,
       const char *password,
       const char *site)
{
  g_auto(Answer) answer = { 0, };
  g_autofree char *body = g_strdup_printf ("{\"user\":\"%s\",\"password\":\"%s\",\"site\":\"%s\"}",
                                           user, password, site);

  post_json (&answer, "/v1/login", NULL, body);
  if (answer.status != 200)
    g_error ("login %s: %u %s", user, answer.status, answer.text);

  return g_strdup (json_object_get_string_member (json_node_get_object (answer.json), "token"));
}

/* A change of household @row in @grid, as JSON, with a clock @ahead_ms from now. */
static char *
change_json (const char *row,
             const char *grid,
             const char *field,
             const char *value_json,
             const char *site,
             gint64      ahead_ms)
{
  g_autofree char *h = sm_hlc_to_string (sm_hlc_from_parts ((guint64) ((gint64) sm_hlc_now_ms () + ahead_ms), 0));

  return g_strdup_printf ("{\"t\":\"household\",\"id\":\"%s\",\"f\":\"%s\",\"v\":%s,\"h\":\"%s\","
                          "\"s\":\"%s\",\"b\":\"0000000000000000\",\"g\":\"%s\"}",
                          row, field, value_json, h, site, grid);
}

static char *
sync_body (const char *site,
           const char *cursor,
           const char *changes)
{
  return g_strdup_printf ("{\"site\":\"%s\",\"cursor\":%s,\"changes\":[%s],\"limit\":1000}",
                          site, cursor ? cursor : "null", changes ? changes : "");
}

/* Pulls everything an office user sees; returns the number of changes of @row. */
static guint
office_count_row (const char *office_token,
                  const char *row)
{
  g_auto(Answer) answer = { 0, };
  g_autofree char *body = sync_body (SITE_OFFICE, NULL, NULL);
  JsonArray *changes;
  guint n = 0;

  post_json (&answer, "/v1/sync", office_token, body);
  g_assert_cmpuint (answer.status, ==, 200);
  changes = json_object_get_array_member (json_node_get_object (answer.json), "changes");
  for (guint i = 0; i < json_array_get_length (changes); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (changes, i), "id"), row))
      n++;

  return n;
}

/* ---------------------------------------------------------------- tests */

static void
test_health_and_routes (void)
{
  g_auto(Answer) health = { 0, };
  g_auto(Answer) missing = { 0, };
  g_auto(Answer) wrong_method = { 0, };

  request (&health, "GET", "/healthz", NULL, NULL, NULL, 0);
  g_assert_cmpuint (health.status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (health.json), "status"), ==, "ok");

  request (&missing, "GET", "/v2/everything", NULL, NULL, NULL, 0);
  assert_error (&missing, 404, "not_found");

  request (&wrong_method, "GET", "/v1/sync", NULL, NULL, NULL, 0);
  assert_error (&wrong_method, 405, "method_not_allowed");
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (wrong_method.msg), "Allow"),
                   ==, "POST");
}

static void
test_login (void)
{
  g_auto(Answer) wrong = { 0, };
  g_auto(Answer) unknown = { 0, };
  g_auto(Answer) me = { 0, };
  g_autofree char *token = NULL;
  JsonObject *user;

  post_json (&wrong, "/v1/login", NULL, "{\"user\":\"w1\",\"password\":\"not-the-password\",\"site\":\"" SITE_W1 "\"}");
  assert_error (&wrong, 401, "unauthorized");
  post_json (&unknown, "/v1/login", NULL, "{\"user\":\"nobody\",\"password\":\"whatever1\",\"site\":\"" SITE_W1 "\"}");
  assert_error (&unknown, 401, "unauthorized");
  /* One answer for both: a stranger cannot tell which logins exist. */
  g_assert_cmpstr (wrong.text, ==, unknown.text);

  token = login ("w1", "worker-password", SITE_W1);
  g_assert_cmpuint (strlen (token), ==, 64);

  request (&me, "GET", "/v1/me", token, NULL, NULL, 0);
  g_assert_cmpuint (me.status, ==, 200);
  user = json_object_get_object_member (json_node_get_object (me.json), "user");
  g_assert_cmpstr (json_object_get_string_member (user, "role"), ==, "worker");
  g_assert_cmpstr (json_object_get_string_member (user, "name"), ==, "张三");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (user, "grids")), ==, 1);
}

static void
test_bad_tokens (void)
{
  g_autofree char *body = sync_body (SITE_W1, NULL, NULL);
  g_autofree char *token = login ("w1", "worker-password", SITE_W1);
  g_auto(Answer) none = { 0, };
  g_auto(Answer) bad = { 0, };
  g_auto(Answer) garbage = { 0, };
  g_auto(Answer) logout = { 0, };
  g_auto(Answer) revoked = { 0, };

  post_json (&none, "/v1/sync", NULL, body);
  assert_error (&none, 401, "unauthorized");
  post_json (&bad, "/v1/sync", "0000000000000000000000000000000000000000000000000000000000000000", body);
  assert_error (&bad, 401, "unauthorized");
  post_json (&garbage, "/v1/sync", "not a token at all", body);
  assert_error (&garbage, 401, "unauthorized");

  post_json (&logout, "/v1/logout", token, NULL);
  g_assert_cmpuint (logout.status, ==, 200);
  post_json (&revoked, "/v1/sync", token, body);
  assert_error (&revoked, 401, "unauthorized");
}

static void
test_bad_bodies (void)
{
  g_autofree char *token = login ("w1", "worker-password", SITE_W1);
  g_autofree char *office = login ("office", "office-password", SITE_OFFICE);
  g_autofree char *good = change_json ("hh-bad-batch", "g1", "address", "\"幸福里 1 栋\"", SITE_W1, 0);
  g_autofree char *wrong_type = change_json ("hh-bad-batch", "g1", "tenure", "42", SITE_W1, 0);
  g_autofree char *with_nul = change_json ("hh-bad-batch", "g1", "notes", "\"a\\u0000b\"", SITE_W1, 0);
  struct {
    const char *name;
    const char *content_type;
    char       *body;
    guint       status;
    const char *code;
  } cases[] = {
    { "not JSON", "application/json", g_strdup ("{\"site\": "), 400, "malformed" },
    { "not an object", "application/json", g_strdup ("[1, 2]"), 400, "malformed" },
    { "changes not an array", "application/json", g_strdup ("{\"site\":\"" SITE_W1 "\",\"changes\":\"x\"}"), 400, "malformed" },
    { "bad site", "application/json", g_strdup ("{\"site\":\"abc\",\"changes\":[]}"), 400, "malformed" },
    { "bad cursor", "application/json", g_strdup ("{\"site\":\"" SITE_W1 "\",\"cursor\":\"-1x\"}"), 400, "malformed" },
    { "wrong value type, after a good change", "application/json",
      g_strdup_printf ("{\"site\":\"" SITE_W1 "\",\"changes\":[%s,%s]}", good, wrong_type), 400, "malformed" },
    { "unknown table", "application/json",
      g_strdup ("{\"site\":\"" SITE_W1 "\",\"changes\":[{\"t\":\"secrets\",\"id\":\"x\",\"f\":\"a\",\"v\":1,"
                "\"h\":\"0190f2a17c3e0001\",\"s\":\"" SITE_W1 "\",\"b\":\"0000000000000000\",\"g\":\"g1\"}]}"),
      400, "malformed" },
    { "a NUL in a text", "application/json",
      g_strdup_printf ("{\"site\":\"" SITE_W1 "\",\"changes\":[%s]}", with_nul), 400, "malformed" },
    { "wrong content type", "text/plain", g_strdup_printf ("{\"site\":\"" SITE_W1 "\",\"changes\":[%s]}", good),
      415, "unsupported_media_type" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Answer) answer = { 0, };

      g_test_message ("case %u: %s", i, cases[i].name);
      request (&answer, "POST", "/v1/sync", token, cases[i].content_type, cases[i].body, -1);
      assert_error (&answer, cases[i].status, cases[i].code);
      g_free (cases[i].body);
    }

  /* Nothing of a refused request was applied, not even its good first change. */
  g_assert_cmpuint (office_count_row (office, "hh-bad-batch"), ==, 0);
}

static void
test_protocol_and_size (void)
{
  g_autofree char *token = login ("w1", "worker-password", SITE_W1);
  g_autofree char *body = sync_body (SITE_W1, NULL, NULL);
  g_autofree char *uri = g_strconcat (server->url, "/v1/sync", NULL);
  g_auto(Answer) too_large = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr(GBytes) payload = g_bytes_new (body, strlen (body));
  g_autofree char *big = NULL;
  gsize big_len = 17 * 1024 * 1024;

  /* A newer protocol than the server speaks. */
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Sanmen-Protocol", "2");
  soup_message_set_request_body_from_bytes (msg, "application/json", payload);
  bytes = soup_session_send_and_read (server_session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 426);
  g_assert_nonnull (strstr (g_bytes_get_data (bytes, NULL), "unsupported_protocol"));

  /* 17 MiB: refused without being applied, and the server stays up. */
  big = g_malloc (big_len);
  memset (big, ' ', big_len);
  memcpy (big, body, strlen (body));
  request (&too_large, "POST", "/v1/sync", token, "application/json", big, (gssize) big_len);
  g_assert_cmpuint (too_large.status, ==, 413);

  /* A body of no stated length (chunked) is refused before it is read, even unsigned. */
  {
    g_autofree char *login_uri = g_strconcat (server->url, "/v1/login", NULL);
    g_autoptr(SoupMessage) chunked = soup_message_new ("POST", login_uri);
    /* A good sign-in but for the way it is sent: with a length it would be 200. */
    char *login_body = g_strdup_printf ("{\"user\":\"w1\",\"password\":\"worker-password\",\"site\":\"%s\"}",
                                        SITE_W1);
    g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (login_body, -1, g_free);
    g_autoptr(GBytes) answer = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (chunked), "Sanmen-Protocol", "1");
    soup_message_set_request_body (chunked, "application/json", stream, -1);
    answer = soup_session_send_and_read (server_session, chunked, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (chunked), ==, 400);
    g_assert_nonnull (strstr (g_bytes_get_data (answer, NULL), "malformed"));
  }
}

static void
test_scope_and_skew (void)
{
  g_autofree char *token = login ("w1", "worker-password", SITE_W1);
  g_autofree char *office = login ("office", "office-password", SITE_OFFICE);
  g_autofree char *own = change_json ("hh-own", "g1", "address", "\"和平里 2 栋 301\"", SITE_W1, 0);
  g_autofree char *other = change_json ("hh-other", "g2", "address", "\"别的网格\"", SITE_W1, 0);
  g_autofree char *ahead = change_json ("hh-ahead", "g1", "address", "\"来自未来\"", SITE_W1, 3600 * 1000);
  g_autofree char *body = NULL;
  g_auto(Answer) answer = { 0, };
  g_auto(Answer) again = { 0, };
  JsonObject *object;
  JsonArray *rejected;

  body = g_strdup_printf ("{\"site\":\"" SITE_W1 "\",\"cursor\":null,\"changes\":[%s,%s,%s]}", own, other, ahead);
  post_json (&answer, "/v1/sync", token, body);
  g_assert_cmpuint (answer.status, ==, 200);
  object = json_node_get_object (answer.json);
  g_assert_cmpint (json_object_get_int_member (object, "accepted"), ==, 1);
  rejected = json_object_get_array_member (object, "rejected");
  g_assert_cmpuint (json_array_get_length (rejected), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (rejected, 0), "index"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rejected, 0), "code"), ==, "forbidden");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (rejected, 1), "index"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rejected, 1), "code"), ==, "clock_skew");

  g_assert_cmpuint (office_count_row (office, "hh-own"), ==, 1);
  g_assert_cmpuint (office_count_row (office, "hh-other"), ==, 0);
  g_assert_cmpuint (office_count_row (office, "hh-ahead"), ==, 0);

  /* Pushing the same batch again is harmless. */
  post_json (&again, "/v1/sync", token, body);
  g_assert_cmpuint (again.status, ==, 200);
  g_assert_cmpuint (office_count_row (office, "hh-own"), ==, 1);

  /* A worker cannot move another grid's record into theirs by claiming its grid. */
  {
    g_autofree char *office_write = NULL;
    g_autofree char *office_body = NULL;
    g_autofree char *steal = change_json ("hh-g2", "g1", "notes", "\"我的了\"", SITE_W1, 0);
    g_autofree char *steal_body = g_strdup_printf ("{\"site\":\"" SITE_W1 "\",\"changes\":[%s]}", steal);
    g_auto(Answer) placed = { 0, };
    g_auto(Answer) stolen = { 0, };

    office_write = change_json ("hh-g2", "g2", "address", "\"二网格的户\"", SITE_OFFICE, 0);
    office_body = g_strdup_printf ("{\"site\":\"" SITE_OFFICE "\",\"changes\":[%s]}", office_write);
    post_json (&placed, "/v1/sync", office, office_body);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (placed.json), "accepted"), ==, 1);

    post_json (&stolen, "/v1/sync", token, steal_body);
    g_assert_cmpuint (stolen.status, ==, 200);
    rejected = json_object_get_array_member (json_node_get_object (stolen.json), "rejected");
    g_assert_cmpuint (json_array_get_length (rejected), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rejected, 0), "code"), ==, "forbidden");
  }

  /* A worker of both grids cannot file a g1 record's field under g2, nor move it. */
  {
    g_autofree char *both = login ("w12", "worker3-password", "33333333333333333333333333333333");
    g_autofree char *misfiled = change_json ("hh-own", "g2", "notes", "\"记在二网格\"",
                                             "33333333333333333333333333333333", 0);
    g_autofree char *moved = change_json ("hh-own", "g1", "grid_id", "\"g2\"",
                                          "33333333333333333333333333333333", 0);
    g_autofree char *fine = change_json ("hh-own", "g1", "notes", "\"记在一网格\"",
                                         "33333333333333333333333333333333", 0);
    g_autofree char *both_body = g_strdup_printf ("{\"site\":\"33333333333333333333333333333333\","
                                                  "\"changes\":[%s,%s,%s]}", misfiled, moved, fine);
    g_auto(Answer) answer3 = { 0, };
    JsonArray *refused;

    post_json (&answer3, "/v1/sync", both, both_body);
    g_assert_cmpuint (answer3.status, ==, 200);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (answer3.json), "accepted"), ==, 1);
    refused = json_object_get_array_member (json_node_get_object (answer3.json), "rejected");
    g_assert_cmpuint (json_array_get_length (refused), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (refused, 0), "code"), ==, "invalid");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (refused, 1), "code"), ==, "forbidden");
  }

  /* And a worker never pulls another grid's records. */
  {
    g_autofree char *pull = sync_body ("33333333333333333333333333333333", NULL, NULL);
    g_auto(Answer) pulled = { 0, };
    JsonArray *changes;

    post_json (&pulled, "/v1/sync", token, pull);
    changes = json_object_get_array_member (json_node_get_object (pulled.json), "changes");
    g_assert_cmpuint (json_array_get_length (changes), >, 0);
    for (guint i = 0; i < json_array_get_length (changes); i++)
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (changes, i), "g"), ==, "g1");

    /* Another grid's change: nothing to pull, but the cursor moves past it, or every later
     * sync would scan it again. */
    {
      const char *cursor = json_object_get_string_member (json_node_get_object (pulled.json), "cursor");
      g_autofree char *quoted = g_strdup_printf ("\"%s\"", cursor);
      g_autofree char *elsewhere = change_json ("hh-g2", "g2", "notes", "\"二网格的事\"", SITE_OFFICE, 0);
      g_autofree char *office_body = g_strdup_printf ("{\"site\":\"" SITE_OFFICE "\",\"changes\":[%s]}", elsewhere);
      g_autofree char *next_pull = sync_body ("33333333333333333333333333333333", quoted, NULL);
      g_auto(Answer) written = { 0, };
      g_auto(Answer) quiet = { 0, };
      gint64 before = g_ascii_strtoll (cursor, NULL, 10);

      post_json (&written, "/v1/sync", office, office_body);
      g_assert_cmpuint (written.status, ==, 200);
      post_json (&quiet, "/v1/sync", token, next_pull);
      g_assert_cmpuint (quiet.status, ==, 200);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (quiet.json), "changes")), ==, 0);
      g_assert_cmpint (g_ascii_strtoll (json_object_get_string_member (json_node_get_object (quiet.json), "cursor"), NULL, 10),
                       >, before);
    }
  }
}

static void
test_gzip (void)
{
  g_autofree char *token = login ("office", "office-password", SITE_OFFICE);
  g_autoptr(GString) changes = g_string_new (NULL);
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GBytes) compressed = NULL;
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) stream = g_converter_output_stream_new (memory, G_CONVERTER (compressor));
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_strconcat (server->url, "/v1/sync", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(SoupSession) raw_session = soup_session_new ();
  g_autofree char *body = NULL;

  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *row = g_strdup_printf ("hh-gzip-%03u", i);
      g_autofree char *change = change_json (row, "g2", "address", "\"压缩小区 9 栋\"", SITE_OFFICE, 0);

      g_string_append_printf (changes, "%s%s", i ? "," : "", change);
    }
  body = sync_body (SITE_OFFICE, NULL, changes->str);
  plain = g_bytes_new (body, strlen (body));
  g_output_stream_write_all (stream, body, strlen (body), NULL, NULL, &error);
  g_output_stream_close (stream, NULL, &error);
  g_assert_no_error (error);
  compressed = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
  g_assert_cmpuint (g_bytes_get_size (compressed), <, g_bytes_get_size (plain));

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Content-Encoding", "gzip");
  soup_message_set_request_body_from_bytes (msg, "application/json", compressed);
  answer = soup_session_send_and_read (server_session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                             (gssize) g_bytes_get_size (answer), &error));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), "accepted"), ==, 200);

  /* Another office laptop pulls those 200 writes: a large answer, compressed. Without the
   * session's content decoder, to see the answer as it came over the wire. */
  {
    g_autofree char *pull = sync_body ("44444444444444444444444444444444", NULL, NULL);
    g_autoptr(SoupMessage) pull_msg = soup_message_new ("POST", uri);
    g_autoptr(GBytes) pull_body = g_bytes_new (pull, strlen (pull));
    g_autoptr(GBytes) wire_bytes = NULL;
    g_autoptr(GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
    g_autoptr(GInputStream) wire = NULL;
    g_autoptr(GInputStream) decoded = NULL;
    g_autoptr(JsonParser) pull_parser = json_parser_new ();
    JsonArray *pulled;

    soup_session_remove_feature_by_type (raw_session, SOUP_TYPE_CONTENT_DECODER);
    soup_message_headers_replace (soup_message_get_request_headers (pull_msg), "Authorization", auth);
    soup_message_headers_replace (soup_message_get_request_headers (pull_msg), "Accept-Encoding", "gzip");
    soup_message_set_request_body_from_bytes (pull_msg, "application/json", pull_body);
    wire_bytes = soup_session_send_and_read (raw_session, pull_msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (pull_msg), ==, 200);
    g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (pull_msg), "Content-Encoding"),
                     ==, "gzip");

    wire = g_memory_input_stream_new_from_bytes (wire_bytes);
    decoded = g_converter_input_stream_new (wire, G_CONVERTER (decompressor));
    g_assert_true (json_parser_load_from_stream (pull_parser, decoded, NULL, &error));
    g_assert_no_error (error);
    pulled = json_object_get_array_member (json_node_get_object (json_parser_get_root (pull_parser)), "changes");
    g_assert_cmpuint (json_array_get_length (pulled), >=, 200);
    g_assert_cmpuint (g_bytes_get_size (wire_bytes), <, json_array_get_length (pulled) * 100);
  }
}

static void
test_metrics (void)
{
  g_autofree char *worker = login ("w1", "worker-password", SITE_W1);
  g_autofree char *admin = login ("admin", "admin-password", SITE_OFFICE);
  g_auto(Answer) anonymous = { 0, };
  g_auto(Answer) forbidden = { 0, };
  g_auto(Answer) metrics = { 0, };
  g_autofree char *office = login ("office", "office-password", SITE_OFFICE);
  g_autofree char *mine = change_json ("hh-conflict", "g1", "notes", "\"worker's note\"", SITE_W1, 0);
  g_autofree char *theirs = change_json ("hh-conflict", "g1", "notes", "\"office's note\"", SITE_OFFICE, 1);
  g_autofree char *mine_body = g_strdup_printf ("{\"site\":\"" SITE_W1 "\",\"changes\":[%s]}", mine);
  g_autofree char *theirs_body = g_strdup_printf ("{\"site\":\"" SITE_OFFICE "\",\"changes\":[%s]}", theirs);
  g_auto(Answer) first = { 0, };
  g_auto(Answer) second = { 0, };

  /* Two writes of one field, neither having seen the other: one conflict record. */
  post_json (&first, "/v1/sync", worker, mine_body);
  g_assert_cmpuint (first.status, ==, 200);
  post_json (&second, "/v1/sync", office, theirs_body);
  g_assert_cmpuint (second.status, ==, 200);

  request (&anonymous, "GET", "/metrics", NULL, NULL, NULL, 0);
  assert_error (&anonymous, 401, "unauthorized");
  request (&forbidden, "GET", "/metrics", worker, NULL, NULL, 0);
  assert_error (&forbidden, 403, "forbidden");
  request (&metrics, "GET", "/metrics", admin, NULL, NULL, 0);
  g_assert_cmpuint (metrics.status, ==, 200);
  g_assert_nonnull (strstr (metrics.text, "sanmen_http_requests_total{route=\"/v1/sync\",status=\"200\"}"));
  g_assert_nonnull (strstr (metrics.text, "sanmen_http_requests_total{route=\"/v1/sync\",status=\"401\"}"));
  g_assert_nonnull (strstr (metrics.text, "sanmen_sync_duration_seconds_count"));
  g_assert_nonnull (strstr (metrics.text, "sanmen_changes_applied_total"));
  g_assert_nonnull (strstr (metrics.text, "\nsanmen_conflicts_total 1\n"));
}

/* Last: it locks the login for a minute. */
static void
test_login_rate_limit (void)
{
  g_auto(Answer) locked = { 0, };

  for (guint i = 0; i < 5; i++)
    {
      g_auto(Answer) answer = { 0, };

      post_json (&answer, "/v1/login", NULL, "{\"user\":\"w2\",\"password\":\"guess-guess\",\"site\":\"" SITE_W1 "\"}");
      assert_error (&answer, 401, "unauthorized");
    }

  /* Even the right password is refused while the login is locked. */
  post_json (&locked, "/v1/login", NULL, "{\"user\":\"w2\",\"password\":\"worker2-password\",\"site\":\"" SITE_W1 "\"}");
  assert_error (&locked, 429, "too_many_attempts");
  g_assert_nonnull (soup_message_headers_get_one (soup_message_get_response_headers (locked.msg), "Retry-After"));

  /* Other logins are not affected. */
  g_free (login ("w1", "worker-password", SITE_W1));
}

static void
test_disable_and_passwd (void)
{
  g_autofree char *token = NULL;
  g_autofree char *body = sync_body (SITE_W1, NULL, NULL);
  g_autofree char *listed = NULL;
  g_auto(Answer) before = { 0, };
  g_auto(Answer) after = { 0, };
  g_auto(Answer) old_password = { 0, };
  g_auto(Answer) disabled_login = { 0, };

  g_free (sm_test_server_cli (server, "worker3-password\n", 0, "user", "add", "w3", "--name", "王五", "--role", "worker",
                   "--grid", "g1", NULL));
  token = login ("w3", "worker3-password", SITE_W1);
  post_json (&before, "/v1/sync", token, body);
  g_assert_cmpuint (before.status, ==, 200);

  /* A new password ends the sessions of the old one. */
  g_free (sm_test_server_cli (server, "worker3-new-password\n", 0, "user", "passwd", "w3", NULL));
  post_json (&after, "/v1/sync", token, body);
  assert_error (&after, 401, "unauthorized");
  post_json (&old_password, "/v1/login", NULL,
             "{\"user\":\"w3\",\"password\":\"worker3-password\",\"site\":\"" SITE_W1 "\"}");
  assert_error (&old_password, 401, "unauthorized");
  g_free (token);
  token = login ("W3", "worker3-new-password", SITE_W1);  /* logins ignore case */

  /* Disabling ends them too, and refuses new ones. */
  g_free (sm_test_server_cli (server, NULL, 0, "user", "disable", "w3", NULL));
  post_json (&disabled_login, "/v1/login", NULL,
             "{\"user\":\"w3\",\"password\":\"worker3-new-password\",\"site\":\"" SITE_W1 "\"}");
  assert_error (&disabled_login, 401, "unauthorized");

  listed = sm_test_server_cli (server, NULL, 0, "user", "list", NULL);
  g_assert_nonnull (strstr (listed, "w3\t王五\tworker\tg1"));
  g_free (sm_test_server_cli (server, NULL, 1, "user", "disable", "nobody", NULL));
}

static void
test_backup_while_serving (void)
{
  g_autofree char *path = g_build_filename (server->data_dir, "backup.db", NULL);
  G_GNUC_UNUSED g_autofree char *out = sm_test_server_cli (server, NULL, 0, "backup", path, NULL);
  g_autofree char *backup_dir = g_build_filename (server->data_dir, "restored", NULL);
  g_autofree char *restored = g_build_filename (backup_dir, "sanmen-server.db", NULL);
  g_autofree char *live_check = sm_test_server_cli (server, NULL, 0, "check", NULL);
  g_autofree char *backup_check = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  GStatBuf st;

  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  /* It holds ID numbers and phones: for the server's user only. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* The backup is a whole server database: it opens and holds what the live one holds. */
  g_assert_cmpint (g_mkdir (backup_dir, 0700), ==, 0);
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_true (g_file_set_contents (restored, contents, (gssize) length, &error));
  {
    const char *argv[] = { sm_test_server_binary (), "--data", backup_dir, "check", NULL };
    int status;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                 &backup_check, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  g_assert_cmpstr (strstr (backup_check, "digest "), ==, strstr (live_check, "digest "));
  g_unlink (restored);
  g_unlink (path);
  g_rmdir (backup_dir);
}

static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  /* Self-signed in the test, so only "unknown authority" is forgiven. */
  return (errors & ~G_TLS_CERTIFICATE_UNKNOWN_CA) == 0;
}

static void
test_tls (void)
{
  g_autoptr(SmTestServer) tls = sm_test_server_new ("server-tls", SM_TEST_SERVER_DEFAULT);
  g_autofree char *cert = g_build_filename (tls->root, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (tls->root, "key.pem", NULL);
  const char *openssl[] = { "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                            "-keyout", key, "-out", cert, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) tls_session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *uri = NULL;
  int status;

  g_autofree char *openssl_path = g_find_program_in_path ("openssl");

  if (openssl_path == NULL)
    {
      g_test_fail_printf ("openssl is needed to make a test certificate (quickstart installs it)");
      return;
    }
  g_assert_true (g_spawn_sync (NULL, (char **) openssl, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                               G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, &error));
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  /* It says it listens on https://127.0.0.1:PORT. */
  sm_test_server_set_tls (tls, cert, key);
  sm_test_server_start (tls, 0);

  uri = g_strconcat (tls->url, "/healthz", NULL);
  msg = soup_message_new ("GET", uri);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), NULL);
  body = soup_session_send_and_read (tls_session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_nonnull (soup_message_get_tls_peer_certificate (msg));

  sm_test_server_stop (tls);
}

static guint
count_server_descriptors (void)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", sm_test_server_get_pid (server));
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

/* Clients come and go all day: their connections must not pile up in the server. */
static void
test_no_descriptor_leak (void)
{
  guint before = count_server_descriptors ();
  g_autofree char *uri = g_strconcat (server->url, "/healthz", NULL);

  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(SoupSession) session = soup_session_new ();
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
      G_GNUC_UNUSED g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, NULL);

      g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    }

  /* The server notices the closed connections within a moment. */
  for (guint i = 0; i < 50 && count_server_descriptors () > before + 5; i++)
    g_usleep (20000);
  g_assert_cmpuint (count_server_descriptors (), <=, before + 5);
}

static void
test_server_survived (void)
{
  g_auto(Answer) health = { 0, };
  g_autofree char *check = NULL;

  request (&health, "GET", "/healthz", NULL, NULL, NULL, 0);
  g_assert_cmpuint (health.status, ==, 200);

  /* The database is consistent while the server runs (WAL lets a second process read). */
  check = sm_test_server_cli (server, NULL, 0, "check", NULL);
  g_assert_nonnull (strstr (check, "digest "));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  server = sm_test_server_new ("server", SM_TEST_SERVER_BARE_ENVIRONMENT);

  g_free (sm_test_server_cli (server, NULL, 0, "grid", "add", "g1", "--name", "幸福社区第一网格", NULL));
  g_free (sm_test_server_cli (server, NULL, 0, "grid", "add", "g2", "--name", "幸福社区第二网格", NULL));
  g_free (sm_test_server_cli (server, NULL, 1, "grid", "add", "g1", "--name", "again", NULL));
  g_free (sm_test_server_cli (server, "worker-password\n", 0, "user", "add", "w1", "--name", "张三", "--role", "worker", "--grid", "g1", NULL));
  g_free (sm_test_server_cli (server, "worker2-password\n", 0, "user", "add", "w2", "--name", "李四", "--role", "worker", "--grid", "g2", NULL));
  g_free (sm_test_server_cli (server, "worker3-password\n", 0, "user", "add", "w12", "--name", "赵六", "--role", "worker", "--grid", "g1", "--grid", "g2", NULL));
  g_free (sm_test_server_cli (server, "office-password\n", 0, "user", "add", "office", "--name", "办公室", "--role", "office", NULL));
  g_free (sm_test_server_cli (server, "admin-password\n", 0, "user", "add", "admin", "--name", "管理员", "--role", "admin", NULL));
  g_free (sm_test_server_cli (server, "x\n", 1, "user", "add", "w9", "--name", "王五", "--role", "worker", "--grid", "no-such-grid", NULL));
  g_free (sm_test_server_cli (server, "short\n", 1, "user", "add", "w8", "--name", "王五", "--role", "office", NULL));

  sm_test_server_start (server, 0);
  server_session = soup_session_new ();

  g_test_add_func ("/server/health-and-routes", test_health_and_routes);
  g_test_add_func ("/server/login", test_login);
  g_test_add_func ("/server/bad-tokens", test_bad_tokens);
  g_test_add_func ("/server/bad-bodies", test_bad_bodies);
  g_test_add_func ("/server/protocol-and-size", test_protocol_and_size);
  g_test_add_func ("/server/scope-and-skew", test_scope_and_skew);
  g_test_add_func ("/server/gzip", test_gzip);
  g_test_add_func ("/server/metrics", test_metrics);
  g_test_add_func ("/server/disable-and-passwd", test_disable_and_passwd);
  g_test_add_func ("/server/backup-while-serving", test_backup_while_serving);
  g_test_add_func ("/server/tls", test_tls);
  g_test_add_func ("/server/no-descriptor-leak", test_no_descriptor_leak);
  g_test_add_func ("/server/login-rate-limit", test_login_rate_limit);
  g_test_add_func ("/server/survived", test_server_survived);

  status = g_test_run ();

  g_clear_object (&server_session);
  /* SIGTERM is a clean stop. */
  sm_test_server_stop (server);
  g_clear_pointer (&server, sm_test_server_free);

  return status;
}
