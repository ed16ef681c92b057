/* sm-credentials.c — the sync token in the user's keyring (Secret Service)
 *
 * The token a sign-in returns is as good as the password for the server: it goes to the
 * Secret Service through libsecret, under a schema of its own whose attributes are the
 * server's address and the login, so that a worker who uses two servers (or two logins)
 * keeps one token for each. Nothing here ever writes it to a file or a log: when no
 * keyring is available the caller keeps the token in memory for the session and says so.
 *
 * The calls are thin GTask wrappers so the rest of the client sees one _async/_finish
 * style and one error path, whatever libsecret's own conventions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-credentials.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <string.h>

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    "org.sanmen.Sanmen.Token", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "login", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

/* Out of libsecret's non-pageable memory into an ordinary string the caller frees; the
 * caller hands it to SmSync, which keeps its own copy. */
static char *
take_secret (char *secret)
{
  char *copy = g_strdup (secret);

  secret_password_free (secret);

  return copy;
}

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
sm_credentials_store_async (const char          *server_url,
                            const char          *login,
                            const char          *token,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (server_url != NULL);
  g_return_if_fail (login != NULL);
  g_return_if_fail (token != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sm_credentials_store_async);

  /* Translators: the name of the keyring item, as the Passwords and Keys app shows it;
   * %s is the login, then the server's address */
  label = g_strdup_printf (_("Sanmen sign-in for %s on %s"), login, server_url);
  secret_password_store (token_schema (), SECRET_COLLECTION_DEFAULT, label, token, cancellable,
                         stored_cb, g_steal_pointer (&task),
                         "server", server_url,
                         "login", login,
                         NULL);
}

gboolean
sm_credentials_store_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sm_credentials_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
looked_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *secret = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, take_secret (secret), g_free);
}

void
sm_credentials_lookup_async (const char          *server_url,
                             const char          *login,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (server_url != NULL);
  g_return_if_fail (login != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sm_credentials_lookup_async);
  secret_password_lookup (token_schema (), cancellable, looked_up_cb, task,
                          "server", server_url,
                          "login", login,
                          NULL);
}

char *
sm_credentials_lookup_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sm_credentials_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
cleared_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error: there was nothing to forget, which is what was asked. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
sm_credentials_clear_async (const char          *server_url,
                            const char          *login,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (server_url != NULL);
  g_return_if_fail (login != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sm_credentials_clear_async);
  secret_password_clear (token_schema (), cancellable, cleared_cb, task,
                         "server", server_url,
                         "login", login,
                         NULL);
}

gboolean
sm_credentials_clear_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sm_credentials_clear_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

char *
sm_credentials_lookup_sync (const char  *server_url,
                            const char  *login,
                            GError     **error)
{
  g_return_val_if_fail (server_url != NULL, NULL);
  g_return_val_if_fail (login != NULL, NULL);

  return take_secret (secret_password_lookup_sync (token_schema (), NULL, error,
                                                   "server", server_url,
                                                   "login", login,
                                                   NULL));
}
