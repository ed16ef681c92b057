/* test-sync.c — the sync client against the real sanmen-server, end to end
 *
 * Every /sync/e2e test starts its own sanmen-server ($SANMEN_SERVER) on 127.0.0.1 with a
 * fresh data folder, makes grids and users through its command line, and drives several
 * replicas, each an SmStore file with its own SmSync, through the main loop. meson sets
 * $SANMEN_SERVER; without it those tests fail rather than pass having checked nothing.
 *
 * The /sync/client tests put a scripted in-process SoupServer in front of the client for
 * answers the real server does not give on purpose (5xx, nonsense, miscounts).
 *
 * A client killed between the server's 200 and its local commit is this program
 * re-executed with --sync-child, which SIGKILLs itself when the answer has been read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "sanmen-core.h"
#include "sm-test-client.h"
#include "sm-test-server.h"
#include "sm-test-util.h"

#define GRID "g1"
#define OTHER_GRID "g2"

/* ---------------------------------------------------------------- main-loop helpers */

static gboolean
timeout_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates until @cond (re-evaluated each time) holds or @seconds pass. */
#define WAIT_UNTIL(cond, seconds)                                                   \
  G_STMT_START {                                                                    \
    gboolean timed_out_ = FALSE;                                                    \
    guint id_ = g_timeout_add_seconds ((seconds), timeout_flag_cb, &timed_out_);    \
    while (!(cond) && !timed_out_)                                                  \
      g_main_context_iteration (NULL, TRUE);                                        \
    if (!timed_out_)                                                                \
      g_source_remove (id_);                                                        \
    g_assert_true (cond);                                                           \
  } G_STMT_END

static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* ---------------------------------------------------------------- a deployment */

/* The real server with the grids and users below; its temporary folder holds the
 * clients' replicas too. */
typedef struct {
  SmTestServer *server;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const SmTestGrid grids[] = { { GRID, "一网格" }, { OTHER_GRID, "二网格" } };
  const SmTestUser users[] = {
    { "w1", "w1", "worker", GRID },
    { "w2", "w2", "worker", GRID },
    { "w3", "w3", "worker", GRID },
    { "w4", "w4", "worker", OTHER_GRID },
    { "office", "office", "office", NULL },
  };

  fixture->server = sm_test_client_serve ("sync", grids, G_N_ELEMENTS (grids),
                                          users, G_N_ELEMENTS (users));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->server, sm_test_server_free);
}

#define SKIP_WITHOUT_SERVER(fixture) \
  G_STMT_START { if ((fixture)->server == NULL) return; } G_STMT_END

/* ---------------------------------------------------------------- clients */

static char *
add_household (SmStore    *store,
               const char *grid,
               guint       n)
{
  g_autoptr(GError) error = NULL;
  char *id = sm_store_create_with (store, "household", grid, &error,
                                   "address", g_variant_new_printf ("幸福路%u号", n),
                                   "tenure", g_variant_new_string (n % 2 ? "new" : "existing"),
                                   "room", g_variant_new_printf ("%u", 101 + n % 30),
                                   "notes", g_variant_new_printf ("第%u户", n),
                                   NULL);

  g_assert_no_error (error);
  return id;
}

/* @n households of 5 fields each (grid_id, address, tenure, room, notes), one transaction. */
static void
add_households (SmStore    *store,
                const char *grid,
                guint       n)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sm_store_begin (store, &error));
  for (guint i = 0; i < n; i++)
    g_free (add_household (store, grid, i));
  g_assert_true (sm_store_commit (store, &error));
  g_assert_no_error (error);
}

static void
assert_same_record (SmTestClient *a,
                    SmTestClient *b,
                    const char   *table,
                    const char   *id)
{
  const SmTable *t = sm_schema_lookup_table (table);

  for (guint f = 0; f < t->n_fields; f++)
    {
      g_autoptr(GVariant) va = NULL;
      g_autoptr(GVariant) vb = NULL;

      if (t->fields[f].flags & SM_FIELD_FLAG_DERIVED)
        continue;
      va = sm_test_client_value (a, table, id, t->fields[f].name);
      vb = sm_test_client_value (b, table, id, t->fields[f].name);
      if ((va == NULL) != (vb == NULL) || (va != NULL && !g_variant_equal (va, vb)))
        g_error ("%s.%s of %s differs between %s and %s", table, t->fields[f].name, id,
                 a->login, b->login);
    }
}

static void
update (SmTestClient *client,
        const char   *id,
        const char   *field,
        GVariant     *value)
{
  g_autoptr(GError) error = NULL;

  sm_store_update_with (client->store, "household", id, &error, field, value, NULL);
  g_assert_no_error (error);
}

/* ---------------------------------------------------------------- /sync/e2e */

static void
test_login (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) user = NULL;
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  g_autoptr(SmStore) store = NULL;
  g_autoptr(SmSync) sync = NULL;
  JsonArray *grids;

  SKIP_WITHOUT_SERVER (fixture);

  path = g_build_filename (fixture->server->root, "login.db", NULL);
  store = sm_store_open (path, &error);
  g_assert_no_error (error);
  sync = sm_sync_new (store, fixture->server->url);
  g_assert_false (sm_sync_get_signed_in (sync));

  /* A wrong password: the login's own message, no token. */
  g_assert_null (sm_test_sync_login (sync, "w1", "wrong", &error));
  g_assert_error (error, SM_SYNC_ERROR, SM_SYNC_ERROR_UNAUTHORIZED);
  g_assert_false (sm_sync_get_signed_in (sync));
  g_clear_error (&error);

  sm_sync_login_async (sync, "w1", "password-w1", NULL, sm_test_store_result_cb, &result);
  g_assert_true (sm_sync_login_finish (sync, sm_test_await (&result), &token, &user, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (token), ==, 64);
  g_assert_true (sm_sync_get_signed_in (sync));
  g_assert_cmpstr (json_object_get_string_member (user, "role"), ==, "worker");
  grids = json_object_get_array_member (user, "grids");
  g_assert_cmpuint (json_array_get_length (grids), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (grids, 0), ==, GRID);

  /* An empty replica syncs, and is up to date. */
  g_assert_true (sm_test_sync_run (sync, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sm_sync_get_state (sync), ==, SM_SYNC_STATE_IDLE);
  g_assert_nonnull (sm_sync_get_last_sync (sync));
  g_assert_null (sm_sync_get_error (sync));

  g_clear_object (&result);
  g_assert_finalize_object (g_steal_pointer (&sync));
  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
test_unauthorized (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SmTestClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *bad = g_strnfill (64, '0');

  SKIP_WITHOUT_SERVER (fixture);

  client = sm_test_client_new (fixture->server, "a", "w1");
  id = add_household (client->store, GRID, 1);
  sm_sync_local_changed (client->sync);
  g_assert_cmpuint (sm_sync_get_pending (client->sync), ==, 5);
  g_assert_cmpint (sm_sync_get_state (client->sync), ==, SM_SYNC_STATE_WAITING);

  /* Signed out: nothing is sent. */
  sm_sync_set_token (client->sync, NULL);
  g_assert_false (sm_test_sync_run (client->sync, &error));
  g_assert_error (error, SM_SYNC_ERROR, SM_SYNC_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  /* A token the server does not know: 401, the outbox is kept. */
  sm_sync_set_token (client->sync, bad);
  g_assert_false (sm_test_sync_run (client->sync, &error));
  g_assert_error (error, SM_SYNC_ERROR, SM_SYNC_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (sm_sync_get_pending (client->sync), ==, 5);
  g_assert_cmpint (sm_sync_get_state (client->sync), ==, SM_SYNC_STATE_ERROR);
  g_assert_true (g_error_matches (sm_sync_get_error (client->sync), SM_SYNC_ERROR,
                                  SM_SYNC_ERROR_UNAUTHORIZED));
  g_clear_error (&error);

  /* Signing in again sends it. */
  g_free (sm_test_sync_login (client->sync, "w1", "password-w1", &error));
  g_assert_no_error (error);
  sm_test_client_sync (client);
  g_assert_cmpint (sm_sync_get_state (client->sync), ==, SM_SYNC_STATE_IDLE);
  g_assert_null (sm_sync_get_error (client->sync));
}

static void
test_unreachable (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SmTestClient) client = NULL;
  g_autoptr(SmTestClient) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *nowhere = NULL;
  g_autofree char *id = NULL;
  SmSyncState state;

  SKIP_WITHOUT_SERVER (fixture);

  client = sm_test_client_new (fixture->server, "a", "w1");
  id = add_household (client->store, GRID, 1);

  /* Nothing listens there. */
  nowhere = g_strdup_printf ("http://127.0.0.1:%u", sm_test_free_port ());
  sm_sync_set_server_url (client->sync, nowhere);
  g_assert_false (sm_test_sync_run (client->sync, &error));
  g_assert_error (error, SM_SYNC_ERROR, SM_SYNC_ERROR_UNREACHABLE);
  g_test_message ("unreachable: %s", error->message);
  g_assert_cmpuint (sm_sync_get_pending (client->sync), ==, 5);
  state = sm_sync_get_state (client->sync);
  g_assert_true (state == SM_SYNC_STATE_ERROR || state == SM_SYNC_STATE_OFFLINE);
  g_clear_error (&error);

  /* The server stopped: the same, and the outbox is still whole. */
  sm_sync_set_server_url (client->sync, fixture->server->url);
  sm_test_server_kill (fixture->server);
  g_assert_false (sm_test_sync_run (client->sync, &error));
  g_assert_error (error, SM_SYNC_ERROR, SM_SYNC_ERROR_UNREACHABLE);
  g_assert_cmpuint (sm_sync_get_pending (client->sync), ==, 5);
  g_clear_error (&error);

  sm_test_server_restart (fixture->server);
  sm_test_client_sync (client);
  g_assert_cmpint (sm_sync_get_state (client->sync), ==, SM_SYNC_STATE_IDLE);

  other = sm_test_client_new (fixture->server, "b", "w2");
  sm_test_client_sync (other);
  assert_same_record (client, other, "household", id);
}

/* Three workers edit one household offline, some fields in pairs, one field all three,
 * one field to the same value; they sync in every order. Expected conflicts (DESIGN §3,
 * one record per merge of a concurrent write that differs): notes A–B 1, phone B–C 1,
 * room A–C 1, unit A–B–C 2, tag the same value 0. */
#define CONFLICTS_PER_ROUND 5

static void
test_converge (Fixture       *fixture,
               gconstpointer  data)
{
  static const guint orders[6][3] = {
    { 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 }, { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
  };
  SmTestClient *clients[3];
  g_autoptr(SmTestClient) office = NULL;
  gint64 conflicts = 0;

  SKIP_WITHOUT_SERVER (fixture);

  clients[0] = sm_test_client_new (fixture->server, "a", "w1");
  clients[1] = sm_test_client_new (fixture->server, "b", "w2");
  clients[2] = sm_test_client_new (fixture->server, "c", "w3");
  office = sm_test_client_new (fixture->server, "office", "office");

  for (guint o = 0; o < G_N_ELEMENTS (orders); o++)
    {
      g_autofree char *id = add_household (clients[o % 3]->store, GRID, o);
      g_autofree char *digest = NULL;

      for (guint i = 0; i < 3; i++)
        sm_test_client_sync (clients[(o + i) % 3]);
      for (guint i = 0; i < 3; i++)
        sm_test_client_sync (clients[i]);

      /* Offline, at the same time. */
      update (clients[0], id, "notes", g_variant_new_string ("甲的备注"));
      update (clients[1], id, "notes", g_variant_new_string ("乙的备注"));
      update (clients[1], id, "phone", g_variant_new_string ("13800000002"));
      update (clients[2], id, "phone", g_variant_new_string ("13900000003"));
      update (clients[0], id, "room", g_variant_new_string ("101"));
      update (clients[2], id, "room", g_variant_new_string ("303"));
      update (clients[0], id, "unit", g_variant_new_string ("1单元"));
      update (clients[1], id, "unit", g_variant_new_string ("2单元"));
      update (clients[2], id, "unit", g_variant_new_string ("3单元"));
      update (clients[0], id, "tag_elderly_alone", g_variant_new_boolean (TRUE));
      update (clients[2], id, "tag_elderly_alone", g_variant_new_boolean (TRUE));
      update (clients[1], id, "moved_in", g_variant_new_string ("2024-03-01"));

      for (guint i = 0; i < 3; i++)
        sm_test_client_sync (clients[orders[o][i]]);
      for (guint i = 0; i < 3; i++)
        sm_test_client_sync (clients[orders[o][2 - i]]);
      sm_test_client_sync (office);

      digest = sm_test_client_digest (clients[0]);
      for (guint i = 1; i < 3; i++)
        {
          g_autofree char *other = sm_test_client_digest (clients[i]);

          g_assert_cmpstr (digest, ==, other);
        }
      assert_same_record (clients[0], office, "household", id);

      /* Workers never see conflict records; the office sees each one once. */
      for (guint i = 0; i < 3; i++)
        g_assert_cmpint (sm_test_client_count (clients[i], "conflict"), ==, 0);
      conflicts += CONFLICTS_PER_ROUND;
      g_assert_cmpint (sm_test_client_count (office, "conflict"), ==, conflicts);
    }

  for (guint i = 0; i < 3; i++)
    sm_test_client_free (clients[i]);
}

/* More than 10,000 field changes: pushed in pages of 500 (gzip-compressed), pulled in
 * pages of 1000. */
static void
request_queued_cb (SoupSession *session,
                   SoupMessage *message,
                   gpointer     user_data)
{
  guint *gzipped = user_data;
  const char *encoding = soup_message_headers_get_one (soup_message_get_request_headers (message),
                                                       "Content-Encoding");

  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_request_headers (message),
                                                 "Sanmen-Protocol"), ==, "1");
  if (g_strcmp0 (encoding, "gzip") == 0)
    (*gzipped)++;
}

static void
count_gzip_answer_cb (SoupMessage *message,
                      guint       *gzipped)
{
  if (g_strcmp0 (soup_message_headers_get_one (soup_message_get_response_headers (message),
                                               "Content-Encoding"), "gzip") == 0)
    (*gzipped)++;
}

static void
answer_queued_cb (SoupSession *session,
                  SoupMessage *message,
                  guint       *gzipped)
{
  g_signal_connect (message, "got-headers", G_CALLBACK (count_gzip_answer_cb), gzipped);
}

static void
test_pagination (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(SmTestClient) a = NULL;
  g_autoptr(SmTestClient) b = NULL;
  g_autofree char *digest_a = NULL;
  g_autofree char *digest_b = NULL;
  guint gzipped = 0;
  guint gzipped_answers = 0;
  const guint n = 2100;  /* × 5 fields = 10,500 changes */

  SKIP_WITHOUT_SERVER (fixture);

  a = sm_test_client_new (fixture->server, "a", "w1");
  b = sm_test_client_new (fixture->server, "b", "w2");
  /* The grid's own record comes first. */
  sm_test_client_sync (a);
  sm_test_client_sync (b);
  a->applied_changes = b->applied_changes = b->applied_pages = 0;

  add_households (a->store, GRID, n);
  sm_sync_local_changed (a->sync);
  g_assert_cmpuint (sm_sync_get_pending (a->sync), ==, n * 5);

  g_signal_connect (sm_sync_get_session (a->sync), "request-queued",
                    G_CALLBACK (request_queued_cb), &gzipped);
  sm_test_client_sync (a);
  g_assert_cmpuint (gzipped, >=, (n * 5) / SM_SYNC_PUSH_PAGE);
  g_assert_cmpuint (a->applied_changes, ==, 0);  /* its own writes are not sent back */

  /* Pulled pages come back compressed, and are read as such. */
  g_signal_connect (sm_sync_get_session (b->sync), "request-queued",
                    G_CALLBACK (answer_queued_cb), &gzipped_answers);
  sm_test_client_sync (b);
  g_assert_cmpuint (gzipped_answers, >=, b->applied_pages);
  g_assert_cmpint (sm_test_client_count (b, "household"), ==, n);
  g_assert_cmpuint (b->applied_changes, ==, n * 5);
  g_assert_cmpuint (b->applied_pages, >=, (n * 5 + SM_SYNC_PULL_LIMIT - 1) / SM_SYNC_PULL_LIMIT);

  digest_a = sm_test_client_digest (a);
  digest_b = sm_test_client_digest (b);
  g_assert_cmpstr (digest_a, ==, digest_b);

  /* Nothing new: one request, nothing pulled. */
  b->applied_pages = 0;
  sm_test_client_sync (b);
  g_assert_cmpuint (b->applied_pages, ==, 0);
}

/* The same writes pushed again, by hand, change nothing anywhere. */
static void
test_push_twice (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(SmTestClient) a = NULL;
  g_autoptr(SmTestClient) b = NULL;
  g_autoptr(SmTestClient) office = NULL;
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *url = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();

  SKIP_WITHOUT_SERVER (fixture);

  a = sm_test_client_new (fixture->server, "a", "w1");
  b = sm_test_client_new (fixture->server, "b", "w2");
  office = sm_test_client_new (fixture->server, "office", "office");

  add_households (a->store, GRID, 50);
  batch = sm_store_outbox_read (a->store, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (batch->len, ==, 250);

  sm_test_client_sync (a);
  sm_test_client_sync (b);
  sm_test_client_sync (office);
  before = sm_test_client_digest (b);

  token = sm_test_sync_login (a->sync, "w1", "password-w1", &error);
  g_assert_no_error (error);
  url = g_strconcat (fixture->server->url, "/v1/sync", NULL);

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(SoupMessage) message = soup_message_new ("POST", url);
      g_autoptr(GBytes) answer = NULL;
      g_autoptr(GBytes) request = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      g_autofree char *body = NULL;
      gsize length;
      JsonObject *object;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "site");
      json_builder_add_string_value (builder, sm_store_get_site (a->store));
      json_builder_set_member_name (builder, "cursor");
      json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "changes");
      json_builder_add_value (builder, sm_change_batch_to_json (batch));
      json_builder_set_member_name (builder, "limit");
      json_builder_add_int_value (builder, 1);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      body = json_generator_to_data (generator, &length);

      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", auth);
      request = g_bytes_new_take (g_steal_pointer (&body), length);
      soup_message_set_request_body_from_bytes (message, "application/json", request);
      answer = soup_session_send_and_read (session, message, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (soup_message_get_status (message), ==, 200);
      g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                                 (gssize) g_bytes_get_size (answer), &error));
      object = json_node_get_object (json_parser_get_root (parser));
      g_assert_cmpint (json_object_get_int_member (object, "accepted"), ==, 250);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "rejected")), ==, 0);
    }

  /* Nothing moved on the server: the others pull nothing, no conflict appeared. */
  b->applied_pages = office->applied_pages = 0;
  sm_test_client_sync (b);
  sm_test_client_sync (office);
  g_assert_cmpuint (b->applied_pages, ==, 0);
  g_assert_cmpuint (office->applied_pages, ==, 0);
  g_assert_cmpint (sm_test_client_count (office, "conflict"), ==, 0);
  after = sm_test_client_digest (b);
  g_assert_cmpstr (before, ==, after);
}

/* A worker of another grid sees nothing of this one, and its writes there are refused. */
static void
test_scope (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(SmTestClient) a = NULL;
  g_autoptr(SmTestClient) d = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mine = NULL;
  g_autofree char *theirs = NULL;

  SKIP_WITHOUT_SERVER (fixture);

  a = sm_test_client_new (fixture->server, "a", "w1");
  d = sm_test_client_new (fixture->server, "d", "w4");

  mine = add_household (a->store, GRID, 1);
  sm_test_client_sync (a);
  sm_test_client_sync (d);
  g_assert_cmpint (sm_test_client_count (d, "household"), ==, 0);

  /* A write outside its grids is moved aside with the reason; the rest goes on. */
  theirs = add_household (d->store, GRID, 2);
  g_free (add_household (d->store, OTHER_GRID, 3));
  g_assert_true (sm_test_sync_run (d->sync, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sm_sync_get_pending (d->sync), ==, 0);
  g_assert_cmpuint (sm_sync_get_rejected (d->sync), ==, 5);
  g_assert_cmpint (sm_sync_get_state (d->sync), ==, SM_SYNC_STATE_IDLE);

  sm_test_client_sync (a);
  g_assert_cmpint (sm_test_client_count (a, "household"), ==, 1);
}

/* A device whose clock is an hour ahead: its writes are refused with the clock reason,
 * and it still receives everyone else's. */
static guint64
clock_ahead (gpointer user_data)
{
  return (guint64) (g_get_real_time () / 1000) + 3600 * 1000;
}

static void
test_clock_skew (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(SmTestClient) a = NULL;
  g_autoptr(SmTestClient) skewed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  SKIP_WITHOUT_SERVER (fixture);

  a = sm_test_client_new (fixture->server, "a", "w1");
  skewed = sm_test_client_new (fixture->server, "skewed", "w2");
  id = add_household (a->store, GRID, 1);
  sm_test_client_sync (a);

  sm_store_set_clock_func (skewed->store, clock_ahead, NULL);
  g_free (add_household (skewed->store, GRID, 2));
  g_assert_false (sm_test_sync_run (skewed->sync, &error));
  g_assert_error (error, SM_SYNC_ERROR, SM_SYNC_ERROR_CLOCK_SKEW);
  g_test_message ("clock: %s", error->message);
  g_assert_cmpint (sm_sync_get_state (skewed->sync), ==, SM_SYNC_STATE_ERROR);
  g_assert_true (g_error_matches (sm_sync_get_error (skewed->sync), SM_SYNC_ERROR,
                                  SM_SYNC_ERROR_CLOCK_SKEW));
  g_assert_cmpuint (sm_sync_get_pending (skewed->sync), ==, 0);
  g_assert_cmpuint (sm_sync_get_rejected (skewed->sync), ==, 5);
  g_assert_nonnull (sm_sync_get_last_sync (skewed->sync));

  /* Everyone else's writes still arrived. */
  assert_same_record (a, skewed, "household", id);
  g_clear_error (&error);

  sm_test_client_sync (a);
  g_assert_cmpint (sm_test_client_count (a, "household"), ==, 1);
}

/* The server is killed while a large push is in flight, then restarted: the client
 * retries and nothing is lost or doubled. */
typedef struct {
  SmTestServer *server;
  guint         requests;
  guint         kill_at;
} KillServer;

static void
kill_wrote_body_cb (SoupMessage *message,
                    KillServer  *kill)
{
  if (++kill->requests == kill->kill_at && kill->server->process != NULL)
    sm_test_server_kill (kill->server);
}

static void
kill_request_queued_cb (SoupSession *session,
                        SoupMessage *message,
                        KillServer  *kill)
{
  g_signal_connect (message, "wrote-body", G_CALLBACK (kill_wrote_body_cb), kill);
}

static void
test_server_killed (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(SmTestClient) a = NULL;
  g_autoptr(SmTestClient) b = NULL;
  g_autoptr(SmTestClient) office = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *digest_a = NULL;
  g_autofree char *digest_b = NULL;
  KillServer kill = { fixture->server, 0, 4 };
  const guint n = 4000;  /* 20,000 changes, 40 pushes */
  gulong handler;

  SKIP_WITHOUT_SERVER (fixture);

  a = sm_test_client_new (fixture->server, "a", "w1");
  b = sm_test_client_new (fixture->server, "b", "w2");
  office = sm_test_client_new (fixture->server, "office", "office");
  sm_test_client_sync (b);
  b->applied_changes = 0;
  add_households (a->store, GRID, n);

  handler = g_signal_connect (sm_sync_get_session (a->sync), "request-queued",
                              G_CALLBACK (kill_request_queued_cb), &kill);
  g_assert_false (sm_test_sync_run (a->sync, &error));
  g_assert_error (error, SM_SYNC_ERROR, SM_SYNC_ERROR_UNREACHABLE);
  g_signal_handler_disconnect (sm_sync_get_session (a->sync), handler);
  g_clear_error (&error);

  /* Three pages were acknowledged; the one in flight was not. */
  g_assert_cmpuint (sm_sync_get_pending (a->sync), ==, n * 5 - 3 * SM_SYNC_PUSH_PAGE);

  sm_test_server_restart (fixture->server);
  sm_test_client_sync (a);
  sm_test_client_sync (b);
  sm_test_client_sync (office);

  g_assert_cmpint (sm_test_client_count (b, "household"), ==, n);
  g_assert_cmpuint (b->applied_changes, ==, n * 5);
  digest_a = sm_test_client_digest (a);
  digest_b = sm_test_client_digest (b);
  g_assert_cmpstr (digest_a, ==, digest_b);
  g_assert_cmpint (sm_test_client_count (office, "household"), ==, n);
  g_assert_cmpint (sm_test_client_count (office, "conflict"), ==, 0);
}

/* A client killed (SIGKILL) after the server's 200 and before its own commit sends the
 * page again on its next run, and nothing is doubled. Then kills at random moments. */
static void
child_got_body_cb (SoupMessage *message,
                   gpointer     user_data)
{
  if (soup_message_get_status (message) == SOUP_STATUS_OK)
    raise (SIGKILL);
}

static void
child_request_queued_cb (SoupSession *session,
                         SoupMessage *message,
                         gpointer     user_data)
{
  g_signal_connect (message, "got-body", G_CALLBACK (child_got_body_cb), NULL);
}

static int
run_child (const char *path,
           const char *url,
           const char *mode)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SmStore) store = sm_store_open (path, &error);
  g_autoptr(SmSync) sync = NULL;

  if (store == NULL)
    {
      g_printerr ("child: %s\n", error->message);
      return 1;
    }

  sync = sm_sync_new (store, url);
  sm_sync_set_token (sync, g_getenv ("SANMEN_TEST_TOKEN"));
  if (g_str_equal (mode, "kill-after-answer"))
    g_signal_connect (sm_sync_get_session (sync), "request-queued",
                      G_CALLBACK (child_request_queued_cb), NULL);

  if (!sm_test_sync_run (sync, &error))
    {
      g_printerr ("child: %s\n", error->message);
      return 1;
    }
  return 0;
}

static GSubprocess *
spawn_child (const char *path,
             const char *url,
             const char *token,
             const char *mode)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, sm_test_die_with_parent, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", &error);
  GSubprocess *process;

  g_assert_no_error (error);
  g_subprocess_launcher_setenv (launcher, "SANMEN_TEST_TOKEN", token, TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, self_exe, "--sync-child", path, url,
                                         mode, NULL);
  g_assert_no_error (error);
  return process;
}

static void
test_client_killed (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(SmTestClient) a = NULL;
  g_autoptr(SmTestClient) b = NULL;
  g_autoptr(SmTestClient) office = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autofree char *token = NULL;
  g_autofree char *digest_a = NULL;
  g_autofree char *digest_b = NULL;
  const guint n = 1200;  /* 6,000 changes, 12 pushes */
  guint total = n;

  SKIP_WITHOUT_SERVER (fixture);

  a = sm_test_client_new (fixture->server, "a", "w1");
  b = sm_test_client_new (fixture->server, "b", "w2");
  office = sm_test_client_new (fixture->server, "office", "office");
  token = sm_test_sync_login (a->sync, "w1", "password-w1", &error);
  g_assert_no_error (error);
  add_households (a->store, GRID, n);
  sm_test_client_close (a);

  /* Killed right after reading the first 200. */
  {
    g_autoptr(GSubprocess) child = spawn_child (a->path, fixture->server->url, token, "kill-after-answer");

    g_subprocess_wait (child, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_get_if_signaled (child));
    g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);
  }

  sm_test_client_open (a, fixture->server->url);
  sm_sync_set_token (a->sync, token);
  /* The server took the first page; the client acknowledged nothing. */
  g_assert_cmpuint (sm_sync_get_pending (a->sync), ==, n * 5);
  sm_test_client_sync (b);
  g_assert_cmpint (sm_test_client_count (b, "household"), ==, SM_SYNC_PUSH_PAGE / 5);

  /* Then killed at random moments of further runs, with more writes between. */
  for (guint k = 0; k < 4; k++)
    {
      g_autoptr(GSubprocess) child = NULL;

      add_households (a->store, GRID, 300);
      total += 300;
      sm_test_client_close (a);
      child = spawn_child (a->path, fixture->server->url, token, "plain");
      g_usleep ((gulong) g_rand_int_range (rand, 20, 400) * 1000);
      g_subprocess_send_signal (child, SIGKILL);
      g_subprocess_wait (child, NULL, &error);
      g_assert_no_error (error);
      sm_test_client_open (a, fixture->server->url);
      sm_sync_set_token (a->sync, token);
    }

  sm_test_client_sync (a);
  sm_test_client_sync (b);
  sm_test_client_sync (office);

  g_assert_cmpint (sm_test_client_count (a, "household"), ==, total);
  g_assert_cmpint (sm_test_client_count (b, "household"), ==, total);
  g_assert_cmpint (sm_test_client_count (office, "household"), ==, total);
  g_assert_cmpint (sm_test_client_count (office, "conflict"), ==, 0);
  digest_a = sm_test_client_digest (a);
  digest_b = sm_test_client_digest (b);
  g_assert_cmpstr (digest_a, ==, digest_b);
}

/* start(): syncs after local edits, backs off while the server is down, stops on a 401
 * until a new token, resumes. */
static void
count_syncing_cb (SmSync     *sync,
                  GParamSpec *pspec,
                  guint      *attempts)
{
  if (sm_sync_get_state (sync) == SM_SYNC_STATE_SYNCING)
    (*attempts)++;
}

static void
test_background (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(SmTestClient) a = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *bad = g_strnfill (64, 'f');
  g_autofree char *token = NULL;
  guint attempts = 0;
  SmSync *sync;

  SKIP_WITHOUT_SERVER (fixture);

  a = sm_test_client_new (fixture->server, "a", "w1");
  sync = a->sync;
  sm_sync_set_interval (sync, 1);
  g_signal_connect (sync, "notify::state", G_CALLBACK (count_syncing_cb), &attempts);
  sm_sync_start (sync);
  WAIT_UNTIL (sm_sync_get_state (sync) == SM_SYNC_STATE_IDLE, 10);

  /* A local edit is pushed a moment later. */
  g_free (add_household (a->store, GRID, 1));
  sm_sync_local_changed (sync);
  g_assert_cmpuint (sm_sync_get_pending (sync), ==, 5);
  g_assert_cmpint (sm_sync_get_state (sync), ==, SM_SYNC_STATE_WAITING);
  WAIT_UNTIL (sm_sync_get_pending (sync) == 0 && sm_sync_get_state (sync) == SM_SYNC_STATE_IDLE, 10);

  /* Runs follow the interval while all is well. */
  attempts = 0;
  spin (3500);
  g_assert_cmpuint (attempts, >=, 2);

  /* Server down: unreachable, the outbox kept, and retries back off (2 s, 4 s …) rather
   * than follow the 1 s interval. */
  sm_test_server_kill (fixture->server);
  g_free (add_household (a->store, GRID, 2));
  sm_sync_request (sync);
  WAIT_UNTIL (g_error_matches (sm_sync_get_error (sync), SM_SYNC_ERROR, SM_SYNC_ERROR_UNREACHABLE), 10);
  g_assert_cmpint (sm_sync_get_state (sync), ==, SM_SYNC_STATE_ERROR);
  g_assert_cmpuint (sm_sync_get_pending (sync), ==, 5);
  attempts = 0;
  spin (5000);
  g_assert_cmpuint (attempts, >=, 1);
  g_assert_cmpuint (attempts, <=, 2);

  sm_test_server_restart (fixture->server);
  sm_sync_request (sync);
  WAIT_UNTIL (sm_sync_get_state (sync) == SM_SYNC_STATE_IDLE, 10);
  g_assert_cmpuint (sm_sync_get_pending (sync), ==, 0);

  /* A token the server refuses stops the retries … */
  sm_sync_set_token (sync, bad);
  sm_sync_request (sync);
  WAIT_UNTIL (g_error_matches (sm_sync_get_error (sync), SM_SYNC_ERROR, SM_SYNC_ERROR_UNAUTHORIZED), 10);
  attempts = 0;
  spin (3000);
  g_assert_cmpuint (attempts, ==, 0);

  /* … until a new one is set. */
  token = sm_test_sync_login (sync, "w1", "password-w1", &error);
  g_assert_no_error (error);
  WAIT_UNTIL (sm_sync_get_state (sync) == SM_SYNC_STATE_IDLE, 10);
  g_assert_cmpuint (attempts, >=, 1);

  sm_sync_stop (sync);
  attempts = 0;
  spin (2500);
  g_assert_cmpuint (attempts, ==, 0);
}

/* ---------------------------------------------------------------- /sync/client (scripted) */

typedef struct {
  guint       status;
  const char *body;
  const char *retry_after;
  const char *date;
  guint       requests;
  char       *last_auth;
  char       *last_protocol;
} Script;

static void
script_handler (SoupServer        *server,
                SoupServerMessage *message,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  Script *script = user_data;
  SoupMessageHeaders *request = soup_server_message_get_request_headers (message);

  script->requests++;
  g_free (script->last_auth);
  script->last_auth = g_strdup (soup_message_headers_get_one (request, "Authorization"));
  g_free (script->last_protocol);
  script->last_protocol = g_strdup (soup_message_headers_get_one (request, "Sanmen-Protocol"));

  if (script->retry_after != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                  "Retry-After", script->retry_after);
  if (script->date != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                  "Date", script->date);
  soup_server_message_set_status (message, script->status, NULL);

  if (script->body == NULL)
    {
      /* Accept whatever was sent. */
      SoupMessageBody *body = soup_server_message_get_request_body (message);
      g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autofree char *answer = NULL;
      guint n;

      g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                                 (gssize) g_bytes_get_size (bytes), NULL));
      n = json_array_get_length (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "changes"));
      answer = g_strdup_printf ("{\"accepted\":%u,\"rejected\":[],\"cursor\":\"1\",\"changes\":[],\"more\":false}", n);
      soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY,
                                        answer, strlen (answer));
      return;
    }

  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_STATIC,
                                    script->body, strlen (script->body));
}

static void
test_client_answers (void)
{
  static const struct {
    guint       status;
    const char *body;
    int         code;
  } cases[] = {
    { 500, "{\"error\":{\"code\":\"internal\",\"message\":\"x\"}}", SM_SYNC_ERROR_SERVER },
    { 503, "", SM_SYNC_ERROR_UNREACHABLE },
    { 426, "{\"error\":{\"code\":\"unsupported_protocol\",\"message\":\"x\"}}", SM_SYNC_ERROR_OUTDATED },
    { 400, "{\"error\":{\"code\":\"malformed\",\"message\":\"x\"}}", SM_SYNC_ERROR_PROTOCOL },
    { 401, "{\"error\":{\"code\":\"unauthorized\",\"message\":\"x\"}}", SM_SYNC_ERROR_UNAUTHORIZED },
    { 200, "not json", SM_SYNC_ERROR_PROTOCOL },
    { 200, "[]", SM_SYNC_ERROR_PROTOCOL },
    /* five sent, none accounted for */
    { 200, "{\"accepted\":0,\"rejected\":[],\"cursor\":\"1\",\"changes\":[],\"more\":false}", SM_SYNC_ERROR_PROTOCOL },
    /* an index out of range */
    { 200, "{\"accepted\":4,\"rejected\":[{\"index\":5,\"code\":\"invalid\",\"message\":\"\"}],"
           "\"cursor\":\"1\",\"changes\":[],\"more\":false}", SM_SYNC_ERROR_PROTOCOL },
    /* the same index twice */
    { 200, "{\"accepted\":3,\"rejected\":[{\"index\":1,\"code\":\"invalid\",\"message\":\"\"},"
           "{\"index\":1,\"code\":\"invalid\",\"message\":\"\"}],"
           "\"cursor\":\"1\",\"changes\":[],\"more\":false}", SM_SYNC_ERROR_PROTOCOL },
    /* a pulled change that is not one */
    { 200, "{\"accepted\":5,\"rejected\":[],\"cursor\":\"1\",\"changes\":[{\"t\":\"nope\"}],"
           "\"more\":false}", SM_SYNC_ERROR_PROTOCOL },
    { 200, "{\"accepted\":5,\"rejected\":[],\"changes\":[],\"more\":false}", SM_SYNC_ERROR_PROTOCOL },
    { 200, "{\"accepted\":5,\"rejected\":[],\"cursor\":null,\"changes\":[],\"more\":true}", SM_SYNC_ERROR_PROTOCOL },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sanmen-sync-client-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "a.db", NULL);
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(SmStore) store = NULL;
  g_autoptr(SmSync) sync = NULL;
  g_autofree char *token = g_strnfill (64, 'a');
  g_autofree char *url = NULL;
  g_autofree char *cursor = NULL;
  GSList *uris;
  Script script = { 0, };

  g_assert_no_error (error);
  soup_server_add_handler (server, NULL, script_handler, &script, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  store = sm_store_open (path, &error);
  g_assert_no_error (error);
  sync = sm_sync_new (store, url);
  sm_sync_set_token (sync, token);
  g_free (add_household (store, GRID, 1));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u: %u %s", i, cases[i].status, cases[i].body);
      script.status = cases[i].status;
      script.body = cases[i].body;
      g_assert_false (sm_test_sync_run (sync, &error));
      g_assert_error (error, SM_SYNC_ERROR, cases[i].code);
      g_test_message ("→ %s", error->message);
      g_clear_error (&error);

      /* Nothing acknowledged, nothing moved aside, no cursor. */
      g_assert_cmpuint (sm_sync_get_pending (sync), ==, 5);
      g_assert_cmpuint (sm_sync_get_rejected (sync), ==, 0);
      g_assert_cmpint (sm_sync_get_state (sync), ==, SM_SYNC_STATE_ERROR);
      cursor = sm_store_dup_cursor (store);
      g_assert_null (cursor);
    }
  g_assert_cmpstr (script.last_protocol, ==, "1");
  g_assert_true (g_str_has_prefix (script.last_auth, "Bearer "));

  /* A refusal by index moves that one aside and acknowledges the others. */
  script.status = 200;
  script.body = "{\"accepted\":4,\"rejected\":[{\"index\":2,\"code\":\"invalid\",\"message\":\"no\"}],"
                "\"cursor\":\"7\",\"changes\":[],\"more\":false}";
  g_assert_true (sm_test_sync_run (sync, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sm_sync_get_pending (sync), ==, 0);
  g_assert_cmpuint (sm_sync_get_rejected (sync), ==, 1);
  cursor = sm_store_dup_cursor (store);
  g_assert_cmpstr (cursor, ==, "7");
  g_assert_cmpint (sm_sync_get_state (sync), ==, SM_SYNC_STATE_IDLE);

  /* Login answers. */
  script.status = 401;
  script.body = "{\"error\":{\"code\":\"unauthorized\",\"message\":\"x\"}}";
  g_assert_null (sm_test_sync_login (sync, "w1", "x", &error));
  g_assert_error (error, SM_SYNC_ERROR, SM_SYNC_ERROR_UNAUTHORIZED);
  g_clear_error (&error);
  g_assert_null (script.last_auth);

  script.status = 429;
  script.retry_after = "90";
  script.body = "{\"error\":{\"code\":\"too_many_attempts\",\"message\":\"x\"}}";
  g_assert_null (sm_test_sync_login (sync, "w1", "x", &error));
  g_assert_error (error, SM_SYNC_ERROR, SM_SYNC_ERROR_TOO_MANY_ATTEMPTS);
  g_assert_nonnull (strstr (error->message, "2 minutes"));
  g_clear_error (&error);

  soup_server_disconnect (server);
  spin (50);
  g_assert_finalize_object (g_steal_pointer (&sync));
  g_assert_finalize_object (g_steal_pointer (&store));
  g_assert_finalize_object (g_steal_pointer (&server));
  g_free (script.last_auth);
  g_free (script.last_protocol);
  sm_test_remove_tree (dir);
}

/* Runs asked for while one is going wait for it, and a cancelled run leaves the outbox. */
static void
test_client_queue (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sanmen-sync-client-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "a.db", NULL);
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(SmStore) store = NULL;
  g_autoptr(SmSync) sync = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autofree char *token = g_strnfill (64, 'a');
  g_autofree char *url = NULL;
  GSList *uris;
  Script script = { 200, NULL };

  g_assert_no_error (error);
  soup_server_add_handler (server, NULL, script_handler, &script, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (server);
  url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  store = sm_store_open (path, &error);
  g_assert_no_error (error);
  sync = sm_sync_new (store, url);
  sm_sync_set_token (sync, token);
  g_free (add_household (store, GRID, 1));
  sm_sync_local_changed (sync);
  g_assert_cmpuint (sm_sync_get_pending (sync), ==, 5);

  /* Cancelled before it could send: the outbox is whole. */
  g_cancellable_cancel (cancellable);
  sm_sync_run_async (sync, cancellable, sm_test_store_result_cb, &first);
  g_assert_false (sm_sync_run_finish (sync, sm_test_await (&first), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&first);
  g_assert_cmpuint (sm_sync_get_pending (sync), ==, 5);
  g_assert_null (sm_sync_get_error (sync));

  /* Two at once: one after the other, both succeed, two requests. */
  script.requests = 0;
  sm_sync_run_async (sync, NULL, sm_test_store_result_cb, &first);
  sm_sync_run_async (sync, NULL, sm_test_store_result_cb, &second);
  g_assert_cmpint (sm_sync_get_state (sync), ==, SM_SYNC_STATE_SYNCING);
  g_assert_true (sm_sync_run_finish (sync, sm_test_await (&first), &error));
  g_assert_true (sm_sync_run_finish (sync, sm_test_await (&second), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (script.requests, ==, 2);
  g_assert_cmpuint (sm_sync_get_pending (sync), ==, 0);

  /* Background requests coalesce into one queued run. */
  g_clear_object (&first);
  g_clear_object (&second);
  script.requests = 0;
  sm_sync_run_async (sync, NULL, sm_test_store_result_cb, &first);
  sm_sync_request (sync);
  sm_sync_request (sync);
  sm_sync_request (sync);
  WAIT_UNTIL (script.requests == 2 && sm_sync_get_state (sync) == SM_SYNC_STATE_IDLE, 10);
  spin (200);
  g_assert_cmpuint (script.requests, ==, 2);
  g_assert_true (sm_sync_run_finish (sync, sm_test_await (&first), &error));
  g_clear_object (&first);

  /* stop() cancels the queued background run; a request after it queues a new one. */
  script.requests = 0;
  sm_sync_run_async (sync, NULL, sm_test_store_result_cb, &first);
  sm_sync_start (sync);
  sm_sync_stop (sync);
  sm_sync_request (sync);
  WAIT_UNTIL (script.requests == 2 && sm_sync_get_state (sync) == SM_SYNC_STATE_IDLE, 10);
  g_assert_true (sm_sync_run_finish (sync, sm_test_await (&first), &error));
  g_assert_no_error (error);
  g_clear_object (&first);

  /* A server clock an hour away: everything syncs, and the person is told. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) later = g_date_time_add_hours (now, 1);
    g_autofree char *date = soup_date_time_to_string (later, SOUP_DATE_HTTP);

    script.date = date;
    g_free (add_household (store, GRID, 2));
    g_assert_false (sm_test_sync_run (sync, &error));
    g_assert_error (error, SM_SYNC_ERROR, SM_SYNC_ERROR_CLOCK_SKEW);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, "60 minutes"));
    g_clear_error (&error);
    g_assert_cmpuint (sm_sync_get_pending (sync), ==, 0);
    g_assert_cmpint (sm_sync_get_state (sync), ==, SM_SYNC_STATE_ERROR);
    script.date = NULL;
  }

  soup_server_disconnect (server);
  spin (50);
  g_assert_finalize_object (g_steal_pointer (&sync));
  g_assert_finalize_object (g_steal_pointer (&store));
  g_assert_finalize_object (g_steal_pointer (&server));
  g_free (script.last_auth);
  g_free (script.last_protocol);
  sm_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 5 && g_str_equal (argv[1], "--sync-child"))
    return run_child (argv[2], argv[3], argv[4]);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/client/answers", test_client_answers);
  g_test_add_func ("/sync/client/queue", test_client_queue);

#define E2E(path, func) \
  g_test_add ("/sync/e2e/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  E2E ("login", test_login);
  E2E ("unauthorized", test_unauthorized);
  E2E ("unreachable", test_unreachable);
  E2E ("scope", test_scope);
  E2E ("converge", test_converge);
  E2E ("pagination", test_pagination);
  E2E ("push-twice", test_push_twice);
  E2E ("clock-skew", test_clock_skew);
  E2E ("server-killed", test_server_killed);
  E2E ("client-killed", test_client_killed);
  E2E ("background", test_background);
#undef E2E

  return g_test_run ();
}
