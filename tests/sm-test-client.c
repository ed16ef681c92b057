/* sm-test-client.c — a replica signed in to the real sanmen-server, for the sync tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sm-test-client.h"

#include <string.h>

#include "sm-test-util.h"

/* One sync run through the main loop. */
gboolean
sm_test_sync_run (SmSync  *sync,
                  GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sm_sync_run_async (sync, NULL, sm_test_store_result_cb, &result);
  return sm_sync_run_finish (sync, sm_test_await (&result), error);
}

/* Signs @sync in; returns the token, or NULL with @error set. */
char *
sm_test_sync_login (SmSync     *sync,
                    const char *login,
                    const char *password,
                    GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  char *token = NULL;

  sm_sync_login_async (sync, login, password, NULL, sm_test_store_result_cb, &result);
  if (!sm_sync_login_finish (sync, sm_test_await (&result), &token, NULL, error))
    return NULL;
  return token;
}

static void
applied_cb (SmSync       *sync,
            GPtrArray    *changes,
            SmTestClient *client)
{
  client->applied_pages++;
  client->applied_changes += changes->len;
}

/* Opens the replica at client->path, syncing with @url. */
void
sm_test_client_open (SmTestClient *client,
                     const char   *url)
{
  g_autoptr(GError) error = NULL;

  client->store = sm_store_open (client->path, &error);
  g_assert_no_error (error);
  client->sync = sm_sync_new (client->store, url);
  g_signal_connect (client->sync, "applied", G_CALLBACK (applied_cb), client);
}

/* Closes it, checking that nothing else still holds the store or the sync. */
void
sm_test_client_close (SmTestClient *client)
{
  if (client->sync != NULL)
    {
      sm_sync_stop (client->sync);
      g_assert_finalize_object (g_steal_pointer (&client->sync));
    }
  if (client->store != NULL)
    g_assert_finalize_object (g_steal_pointer (&client->store));
}

static void
add_user (SmTestServer     *server,
          const SmTestUser *user)
{
  g_autofree char *password = g_strdup_printf ("password-%s\n", user->login);

  if (user->grid_id != NULL)
    g_free (sm_test_server_cli (server, password, 0, "user", "add", user->login,
                                "--name", user->name, "--role", user->role,
                                "--grid", user->grid_id, NULL));
  else
    g_free (sm_test_server_cli (server, password, 0, "user", "add", user->login,
                                "--name", user->name, "--role", user->role, NULL));
}

/**
 * sm_test_client_serve:
 * @name: a word for the temporary folder's name
 * @grids: the grids to make
 * @n_grids: how many
 * @users: the users to make, through the server's command line
 * @n_users: how many
 *
 * Starts the real server ($SANMEN_SERVER) with @grids and @users.
 *
 * Returns: (transfer full) (nullable): the running server; NULL, the test failed,
 *   without $SANMEN_SERVER
 */
SmTestServer *
sm_test_client_serve (const char       *name,
                      const SmTestGrid *grids,
                      guint             n_grids,
                      const SmTestUser *users,
                      guint             n_users)
{
  SmTestServer *server;

  if (sm_test_server_binary () == NULL)
    {
      g_test_fail_printf ("SANMEN_SERVER does not name the sanmen-server executable");
      return NULL;
    }

  server = sm_test_server_new (name, SM_TEST_SERVER_DEFAULT);
  for (guint i = 0; i < n_grids; i++)
    g_free (sm_test_server_cli (server, NULL, 0, "grid", "add", grids[i].id,
                                "--name", grids[i].name, NULL));
  for (guint i = 0; i < n_users; i++)
    add_user (server, &users[i]);
  sm_test_server_start (server, 0);

  return server;
}

/**
 * sm_test_client_new:
 * @server: the running server; the replica is made in its temporary folder
 * @name: the replica's file name, without `.db`
 * @login: the user it signs in as; the password is `password-LOGIN`
 *
 * Returns: (transfer full): the replica, open and signed in
 */
SmTestClient *
sm_test_client_new (SmTestServer *server,
                    const char   *name,
                    const char   *login)
{
  SmTestClient *client = g_new0 (SmTestClient, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *password = g_strdup_printf ("password-%s", login);
  g_autofree char *token = NULL;

  client->path = g_strdup_printf ("%s/%s.db", server->root, name);
  client->login = g_strdup (login);
  sm_test_client_open (client, server->url);
  token = sm_test_sync_login (client->sync, login, password, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (token), ==, 64);

  return client;
}

void
sm_test_client_free (SmTestClient *client)
{
  sm_test_client_close (client);
  g_free (client->path);
  g_free (client->login);
  g_free (client);
}

/* Syncs until the outbox is empty, asserting it went well. */
void
sm_test_client_sync (SmTestClient *client)
{
  g_autoptr(GError) error = NULL;

  sm_test_sync_run (client->sync, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sm_sync_get_pending (client->sync), ==, 0);
}

char *
sm_test_client_digest (SmTestClient *client)
{
  g_autoptr(GError) error = NULL;
  char *digest = sm_store_compute_digest (client->store, &error);

  g_assert_no_error (error);
  return digest;
}

gint64
sm_test_client_count (SmTestClient *client,
                      const char   *table)
{
  g_autoptr(GError) error = NULL;
  gint64 n = sm_store_count (client->store, table, &error);

  g_assert_no_error (error);
  return n;
}

/* The value of @field of record @id, or NULL where it has none. */
GVariant *
sm_test_client_value (SmTestClient *client,
                      const char   *table,
                      const char   *id,
                      const char   *field)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SmRecord) record = sm_store_get (client->store, table, id, &error);
  GVariant *value;

  g_assert_no_error (error);
  value = sm_record_get_value (record, field);
  return value ? g_variant_ref (value) : NULL;
}

/* The string @field of record @id, or NULL where it has none. */
char *
sm_test_client_string (SmTestClient *client,
                       const char   *table,
                       const char   *id,
                       const char   *field)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SmRecord) record = sm_store_get (client->store, table, id, &error);

  g_assert_no_error (error);
  return g_strdup (sm_record_get_string (record, field));
}
