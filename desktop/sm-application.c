/* sm-application.c — the sanmen desktop application
 *
 * Owns the replica: opens it on first activation, at $SANMEN_REPLICA when set (tests and
 * trainers), otherwise in the user's data folder. App-wide actions: about, quit, and the
 * connection to the community office's server: sign-in, sign-out, sync-now (Ctrl+R).
 *
 * The connection. The application owns at most one SmSync for the replica, made when a
 * server is configured (GSettings "server-url") or on a sign-in, and sets it on every
 * window ("sync"), whose header bars show its state. At start it reads the token back
 * from the keyring (sm-credentials) for "server-url" and "login" and starts background
 * sync; without a token it shows "signed out" and waits for Sign In. With no server
 * configured and "work-offline" not chosen, the first window opens the sign-in dialog,
 * which also offers Work Offline. Signing out forgets the token (in the SmSync and in the
 * keyring) and keeps the replica with its unsent changes.
 *
 * Local writes. Every local write of the store adds rows to its outbox; an SQLite update
 * hook on the replica's connection sees those inserts and, once the writing code has
 * returned to the main loop, tells the SmSync (sm_sync_local_changed), which refreshes
 * "N waiting" and pushes a moment later. So a page that writes through SmStore needs to
 * do nothing for sync: no signal to emit, no hook to call. (The hook is the only update
 * hook of that connection; nothing else in the client may set one.)
 *
 * For demos and tests: when SANMEN_SIGN_IN_SERVER, SANMEN_SIGN_IN_LOGIN and
 * SANMEN_SIGN_IN_PASSWORD are all set, the first activation signs in with them instead of
 * asking, and keeps the token for this session only (not in the keyring, not in
 * GSettings). ./quickstart demo uses them; a worker's machine never needs them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-application.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "sm-credentials.h"
#include "sm-sign-in-dialog.h"
#include "sm-settings.h"
#include "sm-window.h"

#define APP_ID "org.sanmen.Sanmen"

struct _SmApplication
{
  AdwApplication  parent_instance;

  SmStore        *store;
  GSettings      *settings;      /* NULL when the schema is not installed */
  SmSync         *sync;
  char           *login;         /* of the token the SmSync has, for the keyring */
  GCancellable   *cancellable;
  SmSignInDialog *sign_in_dialog;  /* weak */
  guint           local_change_id;
  gboolean        connection_started;
};

G_DEFINE_FINAL_TYPE (SmApplication, sm_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_SYNC,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void present_sign_in_dialog (SmApplication *self,
                                    gboolean       first_run);

static SmStore *
open_replica (GError **error)
{
  g_autofree char *path = sm_application_dup_replica_path ();
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   /* Translators: a folder, then the reason */
                   _("Cannot create the folder “%s”: %s"), dir, g_strerror (saved_errno));
      return NULL;
    }

  return sm_store_open (path, error);
}

/* The settings, or NULL when this build's schema is not installed: then nothing is
 * remembered between runs. */
static GSettings *
settings_new (void)
{
  GSettings *settings = sm_settings_new ();

  if (settings == NULL)
    g_message ("The GSettings schema %s is not installed: settings are not kept", SM_SETTINGS_SCHEMA_ID);

  return settings;
}

static char *
dup_setting (SmApplication *self,
             const char    *key)
{
  return self->settings ? g_settings_get_string (self->settings, key) : g_strdup ("");
}

static void
error_dialog_response_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          SmApplication    *self)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
show_open_error (SmApplication *self,
                 const GError  *error)
{
  AdwMessageDialog *dialog;

  g_assert (SM_IS_APPLICATION (self));

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (NULL, _("Cannot Open the Replica"),
                                                       error->message));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  g_signal_connect (dialog, "response", G_CALLBACK (error_dialog_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---------------------------------------------------------------- the connection */

/* TRUE when signing in again is what to do: never signed in, signed out, or the server
 * refused the token (revoked, password changed, account disabled). */
static gboolean
needs_sign_in (SmApplication *self)
{
  return self->sync == NULL || !sm_sync_get_signed_in (self->sync) ||
         g_error_matches (sm_sync_get_error (self->sync), SM_SYNC_ERROR, SM_SYNC_ERROR_UNAUTHORIZED);
}

static void
update_actions (SmApplication *self)
{
  gboolean signed_in = self->sync != NULL && sm_sync_get_signed_in (self->sync);
  GAction *action;

  if ((action = g_action_map_lookup_action (G_ACTION_MAP (self), "sign-in")))
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), needs_sign_in (self));
  if ((action = g_action_map_lookup_action (G_ACTION_MAP (self), "sign-out")))
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), signed_in);
}

static void
signed_in_changed_cb (SmApplication *self,
                      GParamSpec    *pspec,
                      SmSync        *sync)
{
  update_actions (self);
}

static void
interval_changed_cb (SmApplication *self,
                     const char    *key,
                     GSettings     *settings)
{
  if (self->sync != NULL)
    sm_sync_set_interval (self->sync, g_settings_get_uint (settings, "sync-interval"));
}

/* Makes @sync the application's, in place of any other. */
static void
set_sync (SmApplication *self,
          SmSync        *sync)
{
  g_assert (SM_IS_APPLICATION (self));

  if (self->sync == sync)
    return;

  if (self->sync != NULL)
    {
      sm_sync_stop (self->sync);
      g_signal_handlers_disconnect_by_data (self->sync, self);
    }
  g_set_object (&self->sync, sync);
  if (sync != NULL)
    {
      g_signal_connect_object (sync, "notify::signed-in", G_CALLBACK (signed_in_changed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (sync, "notify::error", G_CALLBACK (signed_in_changed_cb),
                               self, G_CONNECT_SWAPPED);
      if (self->settings != NULL)
        sm_sync_set_interval (sync, g_settings_get_uint (self->settings, "sync-interval"));
    }

  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC]);
}

static void
set_login (SmApplication *self,
           const char    *login)
{
  g_free (self->login);
  self->login = g_strdup (login);
}

/* The window shows the office pages by this setting ("role"), and follows its changes. */
static void
set_role (SmApplication *self,
          const char    *role)
{
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "role",
                           g_strv_contains ((const char * const[]) { "worker", "office", "admin", NULL },
                                            role ? role : "") ? role : "");
}

/* Another server, or another user, than the replica last pulled for: the pull cursor
 * says nothing of what they may see, so the next sync pulls from the beginning. */
static void
forget_cursor_for (SmApplication *self,
                   const char    *url,
                   const char    *login)
{
  g_autofree char *last_url = dup_setting (self, "server-url");
  g_autofree char *last_login = dup_setting (self, "login");
  g_autoptr(GError) error = NULL;

  if (*last_url == '\0' || (g_strcmp0 (last_url, url) == 0 && g_strcmp0 (last_login, login) == 0))
    return;

  if (!sm_store_forget_cursor (self->store, &error))
    g_warning ("Cannot restart the pull for a new sign-in: %s", error->message);
}

static void
sign_in_dialog_signed_in_cb (SmApplication  *self,
                             SmSync         *sync,
                             const char     *login,
                             gboolean        remembered,
                             SmSignInDialog *dialog)
{
  forget_cursor_for (self, sm_sync_get_server_url (sync), login);
  if (self->settings != NULL)
    {
      g_settings_set_string (self->settings, "server-url", sm_sync_get_server_url (sync));
      g_settings_set_string (self->settings, "login", login);
      g_settings_set_boolean (self->settings, "work-offline", FALSE);
    }

  set_role (self, sm_sign_in_dialog_get_role (dialog));
  set_login (self, login);
  set_sync (self, sync);
  sm_sync_start (sync);
}

static void
sign_in_dialog_work_offline_cb (SmApplication  *self,
                                SmSignInDialog *dialog)
{
  if (self->settings != NULL)
    g_settings_set_boolean (self->settings, "work-offline", TRUE);
}

static void
present_sign_in_dialog (SmApplication *self,
                        gboolean       first_run)
{
  g_autofree char *url = NULL;
  g_autofree char *login = NULL;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (self->store == NULL)
    return;

  if (self->sign_in_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->sign_in_dialog));
      return;
    }

  url = self->sync ? g_strdup (sm_sync_get_server_url (self->sync)) : dup_setting (self, "server-url");
  login = self->login ? g_strdup (self->login) : dup_setting (self, "login");

  self->sign_in_dialog = sm_sign_in_dialog_new (self->store, first_run, url, login);
  g_object_add_weak_pointer (G_OBJECT (self->sign_in_dialog), (gpointer *) &self->sign_in_dialog);
  gtk_window_set_transient_for (GTK_WINDOW (self->sign_in_dialog), window);
  g_signal_connect_object (self->sign_in_dialog, "signed-in",
                           G_CALLBACK (sign_in_dialog_signed_in_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sign_in_dialog, "work-offline",
                           G_CALLBACK (sign_in_dialog_work_offline_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->sign_in_dialog));
}

static void
token_looked_up_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(SmApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = sm_credentials_lookup_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->sync == NULL)
    return;

  if (token == NULL)
    {
      /* Signed out, or a keyring that is gone: the header bar says "signed out". */
      if (error != NULL)
        g_message ("Cannot read the sign-in from the keyring: %s", error->message);
      return;
    }

  sm_sync_set_token (self->sync, token);
  memset (token, 0, strlen (token));
  sm_sync_start (self->sync);
}

static void
environment_login_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(SmApplication) self = user_data;
  SmSync *sync = SM_SYNC (source);
  g_autoptr(JsonObject) user = NULL;
  g_autoptr(GError) error = NULL;

  if (!sm_sync_login_finish (sync, result, NULL, &user, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Cannot sign in with SANMEN_SIGN_IN_*: %s", error->message);
      present_sign_in_dialog (self, FALSE);
      return;
    }

  set_role (self, json_object_get_string_member_with_default (user, "role", ""));
  sm_sync_start (sync);
}

/* SANMEN_SIGN_IN_SERVER, _LOGIN and _PASSWORD, for demos and tests (see the top). */
static gboolean
sign_in_from_environment (SmApplication *self)
{
  const char *url = g_getenv ("SANMEN_SIGN_IN_SERVER");
  const char *login = g_getenv ("SANMEN_SIGN_IN_LOGIN");
  g_autofree char *password = g_strdup (g_getenv ("SANMEN_SIGN_IN_PASSWORD"));
  g_autoptr(GUri) uri = NULL;
  g_autoptr(SmSync) sync = NULL;

  if (url == NULL || *url == '\0' || login == NULL || *login == '\0' || password == NULL)
    return FALSE;

  /* Not for the processes this one starts. */
  g_unsetenv ("SANMEN_SIGN_IN_PASSWORD");

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
                      g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
    {
      g_warning ("SANMEN_SIGN_IN_SERVER is not an http or https address");
      return FALSE;
    }

  sync = sm_sync_new (self->store, url);
  forget_cursor_for (self, url, login);
  set_login (self, login);
  set_sync (self, sync);
  /* Who records visits (sm-window reads "login"); the server and token are not kept. */
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "login", login);
  sm_sync_login_async (sync, login, password, self->cancellable, environment_login_cb,
                       g_object_ref (self));
  memset (password, 0, strlen (password));

  return TRUE;
}

static void
start_connection (SmApplication *self)
{
  g_autofree char *url = NULL;
  g_autofree char *login = NULL;
  g_autoptr(GUri) uri = NULL;

  if (sign_in_from_environment (self))
    return;

  url = dup_setting (self, "server-url");
  login = dup_setting (self, "login");

  if (*url != '\0' && (uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL)) != NULL &&
      (g_strcmp0 (g_uri_get_scheme (uri), "http") == 0 ||
       g_strcmp0 (g_uri_get_scheme (uri), "https") == 0))
    {
      g_autoptr(SmSync) sync = sm_sync_new (self->store, url);

      set_sync (self, sync);
      if (*login != '\0')
        {
          set_login (self, login);
          sm_credentials_lookup_async (url, login, self->cancellable, token_looked_up_cb,
                                       g_object_ref (self));
        }
      return;
    }

  if (self->settings == NULL || !g_settings_get_boolean (self->settings, "work-offline"))
    present_sign_in_dialog (self, TRUE);
}

static void
token_cleared_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!sm_credentials_clear_finish (result, &error))
    g_message ("Cannot forget the sign-in in the keyring: %s", error->message);
}

static void
logout_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Offline, the server keeps the token until a password change or `user disable`. */
  if (!sm_sync_logout_finish (SM_SYNC (source), result, &error))
    g_message ("The server did not hear the sign-out: %s", error->message);
}

static void
sign_out (SmApplication *self)
{
  g_assert (SM_IS_APPLICATION (self));

  if (self->sync == NULL)
    return;

  sm_sync_stop (self->sync);
  /* Forgets the token at once, and asks the server to revoke it. */
  sm_sync_logout_async (self->sync, NULL, logout_cb, NULL);
  set_role (self, NULL);
  if (self->login != NULL)
    sm_credentials_clear_async (sm_sync_get_server_url (self->sync), self->login, NULL,
                                token_cleared_cb, NULL);
}

static void
sign_out_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      SmApplication    *self)
{
  if (g_strcmp0 (response, "sign-out") == 0)
    sign_out (self);
}

/* ---------------------------------------------------------------- local changes */

static gboolean
local_change_cb (gpointer user_data)
{
  SmApplication *self = user_data;

  self->local_change_id = 0;
  if (self->sync != NULL)
    sm_sync_local_changed (self->sync);

  return G_SOURCE_REMOVE;
}

/* Called by SQLite inside the writing statement: only note it, and tell the sync engine
 * once the write is committed and the writer back in the main loop. */
static void
update_hook_cb (void          *user_data,
                int            op,
                const char    *database,
                const char    *table,
                sqlite3_int64  rowid)
{
  SmApplication *self = user_data;

  if (op == SQLITE_INSERT && strcmp (table, "outbox") == 0 && self->local_change_id == 0)
    self->local_change_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, local_change_cb, self, NULL);
}

/* ---------------------------------------------------------------- windows */

static void
restore_window_state (SmApplication *self,
                      GtkWindow     *window)
{
  if (self->settings == NULL)
    return;

  gtk_window_set_default_size (window,
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (window);
}

static gboolean
window_close_request_cb (SmApplication *self,
                         GtkWindow     *window)
{
  int width, height;

  if (self->settings == NULL)
    return FALSE;

  /* The default size is the unmaximized one, what the next start should restore. */
  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  if (width >= 360)
    g_settings_set_int (self->settings, "window-width", width);
  if (height >= 240)
    g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  g_settings_apply (self->settings);

  return FALSE;
}

/* ---------------------------------------------------------------- actions */

static void
about_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  SmApplication *self = user_data;
  static const char *developers[] = { "The Sanmen developers", NULL };
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", window,
                        "modal", TRUE,
                        "application-icon", "org.sanmen.Sanmen",
                        /* Translators: the product name; zh_CN 三门走访 */
                        "application-name", _("Sanmen"),
                        "developer-name", _("The Sanmen developers"),
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "comments", _("Offline-first visits and demands for community grid workers"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: your names, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  SmApplication *self = user_data;

  /* Quitting closes the windows as closing them does: their size is saved. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (SM_IS_WINDOW (l->data))
      window_close_request_cb (self, l->data);

  g_application_quit (G_APPLICATION (self));
}

static void
sign_in_action_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  present_sign_in_dialog (SM_APPLICATION (user_data), FALSE);
}

static void
sign_out_action_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  SmApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  guint pending;

  if (self->sync == NULL || !sm_sync_get_signed_in (self->sync))
    return;

  pending = sm_sync_get_pending (self->sync);
  if (pending > 0)
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "This computer forgets your sign-in. Everything "
                                         "recorded here stays here, including %u change not "
                                         "sent yet: it is sent when you sign in again.",
                                         "This computer forgets your sign-in. Everything "
                                         "recorded here stays here, including %u changes not "
                                         "sent yet: they are sent when you sign in again.",
                                         pending),
                            pending);
  else
    body = g_strdup (_("This computer forgets your sign-in. Everything recorded here stays "
                       "here, and what you record next is sent when you sign in again."));

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window, _("Sign Out?"), body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "sign-out", _("_Sign Out"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "sign-out", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (sign_out_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
sync_now_action_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  SmApplication *self = user_data;

  if (needs_sign_in (self))
    {
      present_sign_in_dialog (self, FALSE);
      return;
    }

  sm_sync_request (self->sync);
}

static const GActionEntry app_actions[] = {
  { "about", about_action_cb, NULL, NULL, NULL, { 0 } },
  { "quit", quit_action_cb, NULL, NULL, NULL, { 0 } },
  { "sign-in", sign_in_action_cb, NULL, NULL, NULL, { 0 } },
  { "sign-out", sign_out_action_cb, NULL, NULL, NULL, { 0 } },
  { "sync-now", sync_now_action_cb, NULL, NULL, NULL, { 0 } },
};

/* ---------------------------------------------------------------- GApplication */

static void
sm_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *sync_accels[] = { "<Control>r", "F5", NULL };
  SmApplication *self = SM_APPLICATION (app);

  G_APPLICATION_CLASS (sm_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.sync-now", sync_accels);
  update_actions (self);
  /* Ctrl+? opens gtk/help-overlay.ui: GtkApplication wires win.show-help-overlay itself. */

  self->settings = settings_new ();
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::sync-interval",
                             G_CALLBACK (interval_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
sm_application_activate (GApplication *app)
{
  SmApplication *self = SM_APPLICATION (app);
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  if ((window = gtk_application_get_active_window (GTK_APPLICATION (self))))
    {
      gtk_window_present (window);
      return;
    }

  if (self->store == NULL)
    {
      if (!(self->store = open_replica (&error)))
        {
          g_warning ("Cannot open the replica: %s", error->message);
          show_open_error (self, error);
          return;
        }
      sqlite3_update_hook (sm_store_get_connection (self->store), update_hook_cb, self);
    }

  window = GTK_WINDOW (sm_window_new (GTK_APPLICATION (self), self->store));
  restore_window_state (self, window);
  g_object_bind_property (self, "sync", window, "sync", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (window, "close-request", G_CALLBACK (window_close_request_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (window);

  if (!self->connection_started)
    {
      self->connection_started = TRUE;
      start_connection (self);
    }
}

static void
sm_application_shutdown (GApplication *app)
{
  SmApplication *self = SM_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);
  if (self->sync != NULL)
    sm_sync_stop (self->sync);

  G_APPLICATION_CLASS (sm_application_parent_class)->shutdown (app);
}

static void
sm_application_dispose (GObject *object)
{
  SmApplication *self = SM_APPLICATION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->local_change_id, g_source_remove);
  if (self->store != NULL)
    sqlite3_update_hook (sm_store_get_connection (self->store), NULL, NULL);
  if (self->sign_in_dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->sign_in_dialog), (gpointer *) &self->sign_in_dialog);
  self->sign_in_dialog = NULL;
  set_sync (self, NULL);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sm_application_parent_class)->dispose (object);
}

static void
sm_application_finalize (GObject *object)
{
  SmApplication *self = SM_APPLICATION (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->login, g_free);

  G_OBJECT_CLASS (sm_application_parent_class)->finalize (object);
}

static void
sm_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SmApplication *self = SM_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_SYNC:
      g_value_set_object (value, self->sync);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_application_class_init (SmApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = sm_application_dispose;
  object_class->finalize = sm_application_finalize;
  object_class->get_property = sm_application_get_property;
  app_class->startup = sm_application_startup;
  app_class->activate = sm_application_activate;
  app_class->shutdown = sm_application_shutdown;

  /**
   * SmApplication:sync:
   *
   * The sync engine of the replica, NULL while no server is configured.
   */
  properties[PROP_SYNC] =
    g_param_spec_object ("sync", NULL, NULL, SM_TYPE_SYNC,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sm_application_init (SmApplication *self)
{
  self->cancellable = g_cancellable_new ();
}

SmApplication *
sm_application_new (void)
{
  return g_object_new (SM_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/org/sanmen/Sanmen",
                       NULL);
}

SmStore *
sm_application_get_store (SmApplication *self)
{
  g_return_val_if_fail (SM_IS_APPLICATION (self), NULL);

  return self->store;
}

SmSync *
sm_application_get_sync (SmApplication *self)
{
  g_return_val_if_fail (SM_IS_APPLICATION (self), NULL);

  return self->sync;
}

GSettings *
sm_application_get_settings (SmApplication *self)
{
  g_return_val_if_fail (SM_IS_APPLICATION (self), NULL);

  return self->settings;
}

char *
sm_application_dup_replica_path (void)
{
  const char *env = g_getenv ("SANMEN_REPLICA");

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  return g_build_filename (g_get_user_data_dir (), "sanmen", "replica.db", NULL);
}
