/* test-desktop-sync.c — the desktop client signed in to a real sanmen-server
 *
 * Drives the real SmApplication and its window (under Xvfb) against the real
 * sanmen-server ($SANMEN_SERVER) with the demo community on 127.0.0.1, a fresh replica
 * ($SANMEN_REPLICA) and in-memory GSettings:
 *
 *  /desktop-sync/keyring (under dbus-run-session, with a gnome-keyring-daemon started
 *  here in a throwaway home): the first start asks to sign in or work offline; the
 *  dialog shows what to do for an unreachable server and for a wrong password; signing
 *  in stores the token in the keyring and the first sync brings the header to "up to
 *  date" and the worker's households into the list. A second start of the application reads the token back and syncs without
 *  asking, and restores the window size. The server is stopped, a visit is recorded
 *  through the visit dialog: the header shows it waiting and the server unreachable, the
 *  visit and its outbox rows stay. The server comes back, Sync Now (app.sync-now), and
 *  the state returns to "up to date"; a second client pulls the visit from the server.
 *  The office changes the worker's password: the header says to sign in again, Sync Now
 *  opens the dialog, signing in again brings "up to date" back.
 *  Signing out asks first (mentioning the changes kept), forgets the token in the
 *  keyring and keeps the replica. The user's role follows each sign-in in the settings
 *  ("role") and the window follows it: the worker has no 冲突 Conflicts in the sidebar,
 *  nor has anyone signed out; an office user, added by the server's command line and
 *  signed in after the worker, has it.
 *
 *  /desktop-sync/no-keyring (SANMEN_TEST_NO_KEYRING=1, a session bus where no Secret
 *  Service runs and none can be started): signing in works for the session, the dialog
 *  says it will not be remembered, and the header reaches "up to date".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>
#include <string.h>

#include "sanmen-core.h"
#include "sm-application.h"
#include "sm-credentials.h"
#include "sm-sign-in-dialog.h"
#include "sm-sync-status.h"
#include "sm-test-gtk.h"
#include "sm-test-server.h"
#include "sm-test-util.h"
#include "sm-visit-dialog.h"
#include "sm-window.h"

#define LOGIN "worker01"
#define PASSWORD "sanmen-worker01"
/* An office user the test adds, to sign in with after the worker. */
#define OFFICE_LOGIN "office2"
#define OFFICE_PASSWORD "sanmen-office2"
/* Signing in and syncing with the server take longer than drawing a window. */
#define WAIT_TIMEOUT_S 30

/* ---------------------------------------------------------------- the server */

static SmTestServer *server;

/* The demo community on the real server, serving on a free port. */
static void
server_set_up (void)
{
  server = sm_test_server_new ("desktop-sync", SM_TEST_SERVER_DEFAULT);
  /* worker01 serves the first grid of the demo community. */
  g_free (sm_test_server_cli (server, NULL, 0, "demo", "--households", "24", NULL));
  sm_test_server_start (server, 0);
}

/* ---------------------------------------------------------------- the keyring */

static GSubprocess *keyring;
/* The token the first sign-in stored; a later sign-in replaces it. */
static char *first_token;

/* gnome-keyring-daemon in its own home on this session bus, its login keyring made and
 * unlocked with a throwaway password; FALSE when it is not installed. */
static gboolean
keyring_start (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *daemon = g_find_program_in_path ("gnome-keyring-daemon");
  g_autofree char *data_home = g_build_filename (server->root, "data", NULL);
  g_autofree char *runtime_dir = g_build_filename (server->root, "run", NULL);
  GOutputStream *input;
  gint64 deadline;

  if (daemon == NULL)
    return FALSE;

  g_assert_cmpint (g_mkdir (data_home, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (runtime_dir, 0700), ==, 0);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", runtime_dir, TRUE);
  g_setenv ("HOME", server->root, TRUE);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, sm_test_die_with_parent, NULL, NULL);
  /* Our fatal warnings are not the daemon's: it warns, harmlessly, when an item is
   * replaced (a second sign-in). */
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  keyring = g_subprocess_launcher_spawn (launcher, &error, daemon, "--foreground", "--unlock",
                                         "--components=secrets", NULL);
  g_assert_no_error (error);
  /* The login keyring's password, then end of input. */
  input = g_subprocess_get_stdin_pipe (keyring);
  g_assert_true (g_output_stream_write_all (input, "sanmen-test", strlen ("sanmen-test"),
                                            NULL, NULL, &error));
  g_assert_true (g_output_stream_close (input, NULL, &error));
  g_assert_no_error (error);

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + WAIT_TIMEOUT_S * G_USEC_PER_SEC;
  for (;;)
    {
      g_autoptr(GVariant) reply = NULL;
      gboolean owned = FALSE;

      reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                           "org.freedesktop.DBus", "NameHasOwner",
                                           g_variant_new ("(s)", "org.freedesktop.secrets"),
                                           G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                           NULL, &error);
      g_assert_no_error (error);
      g_variant_get (reply, "(b)", &owned);
      if (owned)
        break;
      if (g_get_monotonic_time () > deadline)
        g_error ("gnome-keyring-daemon did not take org.freedesktop.secrets");
      g_usleep (50 * 1000);
    }

  return TRUE;
}

static void
keyring_stop (void)
{
  if (keyring == NULL)
    return;
  g_subprocess_send_signal (keyring, SIGTERM);
  g_subprocess_wait (keyring, NULL, NULL);
  g_clear_object (&keyring);
}

/* ---------------------------------------------------------------- the application */

typedef void (*Scenario) (SmApplication *app);

static gboolean
scenario_cb (gpointer user_data)
{
  gpointer *data = user_data;
  SmApplication *app = data[0];
  Scenario scenario = (Scenario) data[1];
  GList *windows;

  scenario (app);

  /* As the Quit action does, which saves the window's size; then the windows go. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (windows->data);

  return G_SOURCE_REMOVE;
}

static void
activated_cb (SmApplication *app,
              gpointer       user_data)
{
  g_idle_add (scenario_cb, user_data);
}

/* Runs the application as main() does, and @scenario once its first window is up; the
 * scenario drives the main loop itself and the application quits after it. */
static void
app_run (Scenario scenario)
{
  g_autoptr(SmApplication) app = sm_application_new ();
  gpointer data[2] = { app, (gpointer) scenario };

  /* No other instance to find on the test's bus, and none to be found by. */
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (activated_cb), data);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 0, NULL), ==, 0);
}

static SmWindow *
find_window (SmApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (SM_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static gboolean
sign_in_dialog_shown (gpointer data)
{
  return sm_test_find_toplevel (SM_TYPE_SIGN_IN_DIALOG) != NULL;
}

/* The first mapped SmSyncStatus of the window: the one the person sees. */
static SmSyncStatus *
find_status (GtkWidget *widget)
{
  if (SM_IS_SYNC_STATUS (widget) && gtk_widget_get_mapped (widget))
    return SM_SYNC_STATUS (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      SmSyncStatus *status = find_status (child);

      if (status != NULL)
        return status;
    }

  return NULL;
}

typedef struct {
  SmWindow   *window;
  const char *prefix;
} StatusWait;

static gboolean
status_shows (gpointer data)
{
  StatusWait *wait = data;
  SmSyncStatus *status = find_status (GTK_WIDGET (wait->window));

  return status != NULL && sm_sync_status_get_state_text (status) != NULL &&
         g_str_has_prefix (sm_sync_status_get_state_text (status), wait->prefix);
}

static void
wait_for_status (SmWindow   *window,
                 const char *prefix)
{
  StatusWait wait = { window, prefix };
  g_autofree char *what = g_strdup_printf ("the header to show “%s”", prefix);

  sm_test_wait_for (status_shows, &wait, what);
}

static gboolean
app_signed_in (gpointer data)
{
  SmSync *sync = sm_application_get_sync (data);

  return sync != NULL && sm_sync_get_signed_in (sync);
}

/* Fills in the dialog and signs in; returns the error it shows, NULL when it closed. */
static char *
sign_in_with (SmSignInDialog *dialog,
              const char     *url,
              const char     *login,
              const char     *password)
{
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  gtk_editable_set_text (sm_sign_in_dialog_get_server_entry (dialog), url);
  gtk_editable_set_text (sm_sign_in_dialog_get_login_entry (dialog), login);
  gtk_editable_set_text (sm_sign_in_dialog_get_password_entry (dialog), password);
  sm_sign_in_dialog_sign_in (dialog);

  while (dialog != NULL && sm_sign_in_dialog_get_busy (dialog))
    g_main_context_iteration (NULL, TRUE);
  if (dialog == NULL)
    return NULL;

  g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  if (sm_sign_in_dialog_get_notice_shown (dialog))
    return g_strdup ("notice");
  g_assert_nonnull (sm_sign_in_dialog_get_error_message (dialog));
  return g_strdup (sm_sign_in_dialog_get_error_message (dialog));
}

typedef struct {
  SmWindow *window;
  gboolean  available;
} ConflictsWait;

static gboolean
conflicts_row_is (gpointer data)
{
  ConflictsWait *wait = data;

  return sm_window_get_page_available (wait->window, "conflicts") == wait->available;
}

/* The signed-in user's role is in the settings ("role", "" when signed out) and the
 * window follows it: 冲突 Conflicts in the sidebar for the office and admin only. */
static void
assert_role (SmApplication *app,
             const char    *role)
{
  g_autofree char *stored = g_settings_get_string (sm_application_get_settings (app), "role");
  ConflictsWait wait = { find_window (app), g_str_equal (role, "office") || g_str_equal (role, "admin") };

  g_assert_cmpstr (stored, ==, role);
  g_assert_nonnull (wait.window);
  sm_test_wait_for (conflicts_row_is, &wait,
                    wait.available ? "the Conflicts row to show" : "the Conflicts row to hide");
}

/* The first-run dialog: offline choice offered, bad address, unreachable server and a
 * wrong password each explained, then a sign-in that works. */
static void
first_run_sign_in (SmApplication *app,
                   gboolean       keyring_available)
{
  SmSignInDialog *dialog;
  g_autofree char *message = NULL;
  g_autofree char *nowhere = g_strdup_printf ("http://127.0.0.1:%u", sm_test_free_port ());

  sm_test_wait_for (sign_in_dialog_shown, NULL, "the first-run sign-in dialog");
  dialog = sm_test_find_toplevel (SM_TYPE_SIGN_IN_DIALOG);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (dialog)));

  message = sign_in_with (dialog, "sanmen.example.org", LOGIN, PASSWORD);
  g_assert_nonnull (message);
  g_assert_true (strstr (message, "https://") != NULL);
  g_assert_false (sm_sign_in_dialog_get_busy (dialog));
  g_clear_pointer (&message, g_free);

  message = sign_in_with (dialog, nowhere, LOGIN, PASSWORD);
  g_assert_true (g_str_has_prefix (message, "The server cannot be reached"));
  g_clear_pointer (&message, g_free);

  message = sign_in_with (dialog, server->url, LOGIN, "not-the-password");
  g_assert_true (g_str_has_prefix (message, "The login or the password is wrong"));
  /* The password field is cleared only on success. */
  g_assert_cmpstr (gtk_editable_get_text (sm_sign_in_dialog_get_password_entry (dialog)), ==,
                   "not-the-password");
  g_clear_pointer (&message, g_free);

  message = sign_in_with (dialog, server->url, LOGIN, PASSWORD);
  if (keyring_available)
    g_assert_null (message);
  else
    {
      /* No keyring: said so, and Continue signs in for this session. */
      g_assert_cmpstr (message, ==, "notice");
      g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "sign-in.continue", NULL));
      sm_test_wait_for (sm_test_is_null, &dialog, "the dialog to close");
    }

  sm_test_wait_for (app_signed_in, app, "the application to be signed in");
  /* The demo's worker: no 冲突 Conflicts. */
  assert_role (app, "worker");
}

/* ---------------------------------------------------------------- the narrow window */

/* In a narrow window: compact, and the state's word shown whole, not cut to "…". */
static void
assert_state_readable (SmWindow *window)
{
  SmSyncStatus *status = find_status (GTK_WIDGET (window));
  GtkWidget *child;

  g_assert_nonnull (status);
  g_assert_true (sm_sync_status_get_compact (status));
  for (child = gtk_widget_get_first_child (GTK_WIDGET (status)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_visible (child))
      {
        int natural;

        /* Compact, nothing in it may ellipsize: it has its natural width. */
        gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
        g_assert_cmpint (natural, >, 0);
        g_assert_cmpint (gtk_widget_get_width (child), >=, natural);
      }
}

/* ---------------------------------------------------------------- tests */

static void
no_keyring_scenario (SmApplication *app)
{
  SmWindow *window = find_window (app);

  g_assert_nonnull (window);
  wait_for_status (window, "Offline");
  first_run_sign_in (app, FALSE);
  wait_for_status (window, "Up to date");
}

static void
test_sign_in_no_keyring (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  server_set_up ();

  /* Nothing on this session bus keeps secrets. */
  token = sm_credentials_lookup_sync (server->url, LOGIN, &error);
  g_assert_nonnull (error);
  g_assert_null (token);

  app_run (no_keyring_scenario);
  g_clear_pointer (&server, sm_test_server_free);
}

typedef struct {
  SmSync  *sync;
  gboolean done;
  GError  *error;
} Await;

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Await *wait = user_data;

  sm_sync_run_finish (SM_SYNC (source), result, &wait->error);
  wait->done = TRUE;
}

static void
login_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Await *wait = user_data;

  sm_sync_login_finish (SM_SYNC (source), result, NULL, NULL, &wait->error);
  wait->done = TRUE;
}

static gboolean
await_done (gpointer data)
{
  return ((Await *) data)->done;
}

/* What the server holds, seen by a second, fresh client. */
static SmRecord *
fetch_from_server (const char *table,
                   const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (server->root, "check.db", NULL);
  g_autoptr(SmStore) store = sm_store_open (path, &error);
  g_autoptr(SmSync) sync = NULL;
  Await wait = { NULL, FALSE, NULL };

  g_assert_no_error (error);
  sync = sm_sync_new (store, server->url);
  sm_sync_login_async (sync, LOGIN, PASSWORD, NULL, login_done_cb, &wait);
  sm_test_wait_for (await_done, &wait, "the checking client's sign-in");
  g_assert_no_error (wait.error);

  wait.done = FALSE;
  sm_sync_run_async (sync, NULL, run_done_cb, &wait);
  sm_test_wait_for (await_done, &wait, "the checking client's sync");
  g_assert_no_error (wait.error);

  return sm_store_get (store, table, id, NULL);
}

static void
visit_saved_cb (SmVisitDialog *dialog,
                const char    *id,
                char         **out_id)
{
  *out_id = g_strdup (id);
}

/* Records a visit to the first household of the worker's grid through the visit dialog. */
static char *
record_visit (SmWindow   *window,
              const char *notes)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *grid = sm_demo_grid_id (0);
  g_autoptr(GPtrArray) households = NULL;
  SmHouseholdPage *page;
  SmVisitDialog *dialog;
  char *id = NULL;

  households = sm_store_list_households (sm_window_get_store (window), grid, NULL, 0, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (households->len, ==, 1);

  sm_window_show_household (window, sm_record_get_id (g_ptr_array_index (households, 0)));
  page = sm_window_get_household_page (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "household.record-visit", NULL));
  dialog = sm_test_find_toplevel (SM_TYPE_VISIT_DIALOG);
  g_assert_nonnull (dialog);

  gtk_editable_set_text (sm_visit_dialog_get_notes_entry (dialog), notes);
  g_signal_connect (dialog, "saved", G_CALLBACK (visit_saved_cb), &id);
  g_assert_true (sm_visit_dialog_save (dialog));
  g_assert_nonnull (id);

  return id;
}

/* "No server" over "1 waiting", with what to do; "Offline" on a machine whose network
 * monitor sees no network at all. */
static gboolean
push_failed (gpointer data)
{
  SmSyncStatus *status = find_status (GTK_WIDGET (data));
  const char *state = status ? sm_sync_status_get_state_text (status) : NULL;

  if (status == NULL || g_strcmp0 (sm_sync_status_get_caption_text (status), "1 waiting") != 0)
    return FALSE;
  if (g_strcmp0 (state, "No server") == 0)
    return g_str_has_prefix (sm_sync_status_get_detail_text (status), "The server cannot be reached");

  return g_strcmp0 (state, "Offline") == 0;
}

static gboolean
token_forgotten (gpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = sm_credentials_lookup_sync (server->url, LOGIN, &error);

  g_assert_no_error (error);
  return token == NULL;
}

/* The status of GET /v1/me with @token: 200 while the server accepts it, 401 once revoked. */
static guint
me_status (const char *url,
           const char *token)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (url, "/v1/me", NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, uri);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                authorization);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Sanmen-Protocol", "1");
  body = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);

  return soup_message_get_status (message);
}

typedef struct {
  const char *url;
  const char *token;
} RevokeWait;

static gboolean
token_revoked (gpointer data)
{
  RevokeWait *wait = data;

  return me_status (wait->url, wait->token) == SOUP_STATUS_UNAUTHORIZED;
}

/* First start: the dialog; signing in keeps the token in the keyring. */
static void
first_start_scenario (SmApplication *app)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *url = NULL;
  g_autofree char *login = NULL;
  SmWindow *window = find_window (app);
  GSettings *settings;

  g_assert_nonnull (window);
  wait_for_status (window, "Offline");
  sm_test_wait_for (sign_in_dialog_shown, NULL, "the first-run sign-in dialog");
  sm_test_resize_window (sm_test_find_toplevel (SM_TYPE_SIGN_IN_DIALOG), 360, 640);
  sm_test_render_to_png (sm_test_find_toplevel (SM_TYPE_SIGN_IN_DIALOG), "sign-in-360x640.png");
  first_run_sign_in (app, TRUE);
  wait_for_status (window, "Up to date");
  g_assert_cmpstr (sm_sync_status_get_caption_text (find_status (GTK_WIDGET (window))), ==,
                   "Synced just now");

  /* The replica started empty; the first sync's households show without a restart. */
  {
    SmHouseholdList *list = sm_window_get_household_list (window);
    g_autofree char *grid = sm_demo_grid_id (0);

    g_assert_cmpstr (sm_household_list_get_grid_id (list), ==, grid);
    g_assert_cmpuint (g_list_model_get_n_items (sm_household_list_get_model (list)), >, 0);
  }

  settings = sm_application_get_settings (app);
  g_assert_nonnull (settings);
  url = g_settings_get_string (settings, "server-url");
  login = g_settings_get_string (settings, "login");
  g_assert_cmpstr (url, ==, server->url);
  g_assert_cmpstr (login, ==, LOGIN);

  token = sm_credentials_lookup_sync (server->url, LOGIN, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  g_assert_cmpuint (strlen (token), ==, 64);
  g_free (first_token);
  first_token = g_steal_pointer (&token);

  /* A size to find again at the next start. */
  gtk_window_set_default_size (GTK_WINDOW (window), 820, 610);
}

/* Second start: no dialog, the token from the keyring, the window's size; then a visit
 * while the server is down, Sync Now, and signing out. */
static void
second_start_scenario (SmApplication *app)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *visit_id = NULL;
  g_autofree char *signed_out_token = NULL;
  g_autoptr(SmRecord) pulled = NULL;
  g_autoptr(SmRecord) kept = NULL;
  SmWindow *window = find_window (app);
  AdwMessageDialog *confirm;
  SmSignInDialog *dialog;
  SmSync *sync;
  int width, height;

  g_assert_nonnull (window);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 820);
  g_assert_cmpint (height, ==, 610);
  wait_for_status (window, "Up to date");
  g_assert_null (sm_test_find_toplevel (SM_TYPE_SIGN_IN_DIALOG));
  sync = sm_application_get_sync (app);
  g_assert_true (sm_sync_get_signed_in (sync));
  /* The role of the last sign-in, kept in the settings: the token alone does not say it. */
  assert_role (app, "worker");
  sm_test_resize_window (GTK_WINDOW (window), 1280, 800);
  g_assert_false (sm_sync_status_get_compact (find_status (GTK_WIDGET (window))));
  sm_test_render_to_png (GTK_WIDGET (window), "sync-up-to-date-1280x800.png");

  /* --- The server goes away; a visit recorded meanwhile waits, nothing is lost. */
  sm_test_server_kill (server);
  visit_id = record_visit (window, "敲门时不在家，留了联系卡");
  wait_for_status (window, "1 waiting");
  /* The push a moment later fails: the header says so, the visit still waits. */
  sm_test_wait_for (push_failed, window, "the header to show the failed push");
  sm_test_resize_window (GTK_WINDOW (window), 360, 720);
  assert_state_readable (window);
  sm_test_render_to_png (GTK_WIDGET (window), "sync-no-server-360x720.png");
  {
    /* The popover says why and what to do, at 360 px too. */
    GtkWidget *button = gtk_widget_get_first_child (GTK_WIDGET (find_status (GTK_WIDGET (window))));
    GtkPopover *popover;

    g_assert_true (GTK_IS_MENU_BUTTON (button));
    gtk_menu_button_popup (GTK_MENU_BUTTON (button));
    popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
    sm_test_wait_for ((SmTestCondition) gtk_widget_get_mapped, popover, "the sync popover");
    g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (popover)), <=, 360);
    {
      /* Past the popover's fade-in. */
      gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

      while (g_get_monotonic_time () < end)
        g_main_context_iteration (NULL, FALSE);
    }
    sm_test_render_to_png (gtk_popover_get_child (popover), "sync-popover-360.png");
    gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
  }
  g_assert_cmpuint (sm_sync_get_pending (sync), >, 0);
  g_assert_cmpint (sm_store_outbox_count (sm_window_get_store (window), NULL), ==,
                   (gint64) sm_sync_get_pending (sync));
  kept = sm_store_get (sm_window_get_store (window), "visit", visit_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (kept);

  /* --- It comes back; Sync Now; up to date, and the server has the visit. */
  sm_test_server_restart (server);
  g_action_group_activate_action (G_ACTION_GROUP (app), "sync-now", NULL);
  wait_for_status (window, "Up to date");
  g_assert_cmpuint (sm_sync_get_pending (sync), ==, 0);
  g_assert_cmpint (sm_store_outbox_count (sm_window_get_store (window), NULL), ==, 0);

  pulled = fetch_from_server ("visit", visit_id);
  g_assert_nonnull (pulled);
  g_assert_cmpstr (sm_record_get_string (pulled, "notes"), ==, "敲门时不在家，留了联系卡");
  g_assert_cmpstr (sm_record_get_string (pulled, "worker_id"), ==, LOGIN);

  /* --- The office changes the password, which ends the session: the header says to
   * sign in again, Sync Now opens the dialog, and signing in again syncs. */
  g_free (sm_test_server_cli (server, "new-password\n", 0, "user", "passwd", LOGIN, NULL));
  g_action_group_activate_action (G_ACTION_GROUP (app), "sync-now", NULL);
  wait_for_status (window, "Sync failed");
  g_assert_true (g_str_has_prefix (sm_sync_status_get_detail_text (find_status (GTK_WIDGET (window))),
                                   "You are signed out"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "sign-in"));
  g_assert_null (sm_test_find_toplevel (SM_TYPE_SIGN_IN_DIALOG));
  g_action_group_activate_action (G_ACTION_GROUP (app), "sync-now", NULL);
  dialog = sm_test_find_toplevel (SM_TYPE_SIGN_IN_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_null (sign_in_with (dialog, server->url, LOGIN, "new-password"));
  wait_for_status (window, "Up to date");
  assert_role (app, "worker");
  sync = sm_application_get_sync (app);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "sign-in"));
  signed_out_token = sm_credentials_lookup_sync (server->url, LOGIN, &error);
  g_assert_no_error (error);
  g_assert_nonnull (signed_out_token);
  g_assert_cmpstr (signed_out_token, !=, first_token);
  g_assert_cmpuint (me_status (server->url, signed_out_token), ==, SOUP_STATUS_OK);

  /* --- Sign out: asked first, the token forgotten here and revoked on the server, the
   * replica kept. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "sign-out", NULL);
  confirm = sm_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (confirm);
  g_assert_true (strstr (adw_message_dialog_get_body (confirm), "stays here") != NULL);
  adw_message_dialog_response (confirm, "sign-out");
  wait_for_status (window, "Signed out");
  g_assert_false (sm_sync_get_signed_in (sync));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "sign-out"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "sign-in"));
  sm_test_wait_for (token_forgotten, NULL, "the keyring to forget the token");
  {
    RevokeWait revoke = { server->url, signed_out_token };

    sm_test_wait_for (token_revoked, &revoke, "the server to revoke the token");
  }
  /* Signed out: no role, no office pages. */
  assert_role (app, "");
  g_clear_object (&kept);
  kept = sm_store_get (sm_window_get_store (window), "visit", visit_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (kept);

  /* Sync Now while signed out asks to sign in. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "sync-now", NULL);
  g_assert_nonnull (sm_test_find_toplevel (SM_TYPE_SIGN_IN_DIALOG));
  dialog = sm_test_find_toplevel (SM_TYPE_SIGN_IN_DIALOG);
  /* Prefilled with the server and login of the last sign-in. */
  g_assert_cmpstr (gtk_editable_get_text (sm_sign_in_dialog_get_server_entry (dialog)), ==, server->url);
  g_assert_cmpstr (gtk_editable_get_text (sm_sign_in_dialog_get_login_entry (dialog)), ==, LOGIN);

  /* --- An office user signs in there instead: 冲突 Conflicts shows. */
  g_free (sm_test_server_cli (server, OFFICE_PASSWORD "\n", 0, "user", "add", OFFICE_LOGIN,
                              "--name", "王主任", "--role", "office", NULL));
  g_assert_null (sign_in_with (dialog, server->url, OFFICE_LOGIN, OFFICE_PASSWORD));
  sm_test_wait_for (app_signed_in, app, "the office user to be signed in");
  assert_role (app, "office");
  /* The replica had pulled grid 1 only, for the worker: for the office the pull starts
   * over, and brings the grids the worker could not see. */
  wait_for_status (window, "Up to date");
  {
    g_autofree char *other_grid = sm_demo_grid_id (2);
    gint64 n = sm_store_count_households (sm_window_get_store (window), other_grid, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpint (n, >, 0);
  }
}

static void
test_sign_in_keyring (void)
{
  server_set_up ();
  if (!keyring_start ())
    {
      g_clear_pointer (&server, sm_test_server_free);
      g_test_fail_printf ("gnome-keyring-daemon is not installed (Debian: gnome-keyring; quickstart installs it)");
      return;
    }

  app_run (first_start_scenario);
  app_run (second_start_scenario);

  keyring_stop ();
  g_clear_pointer (&server, sm_test_server_free);
  g_clear_pointer (&first_token, g_free);
}

static void
test_last_sync_text (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 24, 12, 0, 0);
  g_autoptr(GDateTime) just = g_date_time_add_seconds (now, -30);
  g_autoptr(GDateTime) five = g_date_time_add_minutes (now, -5);
  g_autoptr(GDateTime) hours = g_date_time_add_hours (now, -3);
  g_autoptr(GDateTime) days = g_date_time_add_days (now, -2);
  g_autofree char *never_text = sm_sync_status_format_last_sync (NULL, now);
  g_autofree char *just_text = sm_sync_status_format_last_sync (just, now);
  g_autofree char *five_text = sm_sync_status_format_last_sync (five, now);
  g_autofree char *hours_text = sm_sync_status_format_last_sync (hours, now);
  g_autofree char *days_text = sm_sync_status_format_last_sync (days, now);

  g_assert_cmpstr (never_text, ==, "Not synced yet");
  g_assert_cmpstr (just_text, ==, "Synced just now");
  g_assert_cmpstr (five_text, ==, "Synced 5 minutes ago");
  g_assert_cmpstr (hours_text, ==, "Synced at 09:00");  /* TZ=UTC */
  g_assert_cmpstr (days_text, ==, "Synced at Nov 22, 12:00");
}

/* Under Xvfb there is no window manager to move the keyboard focus between windows: GTK
 * warns when a dialog with a focused entry goes away. Nothing a person could meet. */
static gboolean
fatal_log_cb (const char     *log_domain,
              GLogLevelFlags  log_level,
              const char     *message,
              gpointer        user_data)
{
  return !(g_strcmp0 (log_domain, "Gtk") == 0 &&
           strstr (message, "did not receive a focus-out event") != NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *replica_dir = NULL;
  g_autofree char *replica = NULL;
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  g_test_log_set_fatal_handler (fatal_log_cb, NULL);
  sm_test_set_wait_timeout (WAIT_TIMEOUT_S);

  /* A fresh replica that the application opens; settings in memory (meson's env). */
  replica_dir = g_dir_make_tmp ("sanmen-desktop-sync-replica-XXXXXX", &error);
  g_assert_no_error (error);
  replica = g_build_filename (replica_dir, "replica.db", NULL);
  g_setenv ("SANMEN_REPLICA", replica, TRUE);
  g_unsetenv ("SANMEN_SIGN_IN_SERVER");

  g_test_add_func ("/desktop-sync/last-sync-text", test_last_sync_text);
  if (g_strcmp0 (g_getenv ("SANMEN_TEST_NO_KEYRING"), "1") == 0)
    g_test_add_func ("/desktop-sync/no-keyring", test_sign_in_no_keyring);
  else
    g_test_add_func ("/desktop-sync/keyring", test_sign_in_keyring);

  status = g_test_run ();
  sm_test_remove_tree (replica_dir);

  return status;
}
