/* sm-sign-in-dialog.c — sign in to the community office's server, or work offline
 *
 * The form asks for the server's address, the login and the password, and signs in with
 * an SmSync of its own for that address (sm_sync_login_async), so that a mistyped
 * address never disturbs the application's running sync. On success it keeps the token
 * in the keyring (sm-credentials) and hands the signed-in SmSync over with "signed-in".
 * When no keyring can take the token (a machine without a Secret Service) the dialog
 * says the sign-in lasts for this session only and waits for Continue: the token is
 * never written anywhere else.
 *
 * Errors are the sync engine's translated messages, reworded here where signing in has a
 * better next step (check the password, check the address), shown above the form; the
 * password stays typed after a network failure and is selected after a wrong one.
 *
 * On the first run the dialog also offers Work Offline ("work-offline"). Closing it
 * signs nobody in and decides nothing: the question comes back at the next start.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-sign-in-dialog.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sm-credentials.h"
#include "sm-form.h"

struct _SmSignInDialog
{
  AdwWindow          parent_instance;

  SmStore             *store;
  SmSync              *sync;         /* of the sign-in in progress or done */
  char                *login;
  char                *role;         /* the server's answer to the sign-in */
  GCancellable        *cancellable;
  char                *error_message;
  gboolean             busy;
  gboolean             done;         /* "signed-in" or "work-offline" was emitted */

  GtkStack            *stack;
  GtkLabel            *error_label;
  AdwEntryRow         *server_row;
  AdwEntryRow         *login_row;
  AdwPasswordEntryRow *password_row;
  GtkButton           *offline_button;
  GtkStack            *button_stack;
  GtkSpinner          *spinner;
  AdwStatusPage       *notice_page;
};

G_DEFINE_FINAL_TYPE (SmSignInDialog, sm_sign_in_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNED_IN,
  WORK_OFFLINE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_error (SmSignInDialog *self,
           const char     *message)
{
  g_assert (SM_IS_SIGN_IN_DIALOG (self));

  sm_form_show_banner (self->error_label, &self->error_message, message);

  /* Screen readers announce the problem as soon as it shows. */
  if (message != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->error_label),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
}

static void
set_busy (SmSignInDialog *self,
          gboolean        busy)
{
  g_assert (SM_IS_SIGN_IN_DIALOG (self));

  self->busy = busy;
  /* Read-only rather than insensitive: the focus stays where it is (GTK 4.8 loses track
   * of a focused entry made insensitive). */
  gtk_editable_set_editable (GTK_EDITABLE (self->server_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->login_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->password_row), !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.sign-in", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.work-offline", !busy);
  gtk_stack_set_visible_child_name (self->button_stack, busy ? "spinner" : "label");
  gtk_spinner_set_spinning (self->spinner, busy);
}

static void
mark_row (AdwEntryRow *row,
          gboolean     wrong)
{
  if (wrong)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

/* The address as typed, trimmed, or NULL with the reason when the client cannot use it. */
static char *
dup_server_url (SmSignInDialog  *self,
                const char     **reason)
{
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->server_row))));
  g_autoptr(GUri) uri = NULL;

  if (*url == '\0')
    {
      *reason = _("Enter the server’s address, which the community office gives you, for "
                  "example https://sanmen.example.org.");
      return NULL;
    }

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL ||
      (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
       g_strcmp0 (g_uri_get_scheme (uri), "https") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      *reason = _("The server’s address must start with https:// or http://, for example "
                  "https://sanmen.example.org.");
      return NULL;
    }

  return g_steal_pointer (&url);
}

/* The sync engine's messages say what to do in the background; signing in has other next
 * steps for some of them. */
static char *
sign_in_error_message (const GError *error)
{
  if (g_error_matches (error, SM_SYNC_ERROR, SM_SYNC_ERROR_UNAUTHORIZED))
    return g_strdup (_("The login or the password is wrong. Check both and try again; if you "
                       "forgot your password, ask the community office for a new one."));
  if (g_error_matches (error, SM_SYNC_ERROR, SM_SYNC_ERROR_UNREACHABLE))
    return g_strdup (_("The server cannot be reached. Check the address and this computer’s "
                       "network connection and try again, or work offline and sign in later."));
  if (g_error_matches (error, SM_SYNC_ERROR, SM_SYNC_ERROR_PROTOCOL))
    return g_strdup (_("This address does not answer like a Sanmen server. Check the address "
                       "with the community office."));

  /* Too many attempts (with the minutes to wait), TLS, outdated, a server failure: the
   * engine's messages already say what to do. */
  return g_strdup (error->message);
}

static void
emit_signed_in (SmSignInDialog *self,
                gboolean        remembered)
{
  g_assert (!self->done);

  self->done = TRUE;
  g_signal_emit (self, signals[SIGNED_IN], 0, self->sync, self->login, remembered);
}

static void
token_stored_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SmSignInDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sm_credentials_store_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      /* The keyring's reason, never the token. */
      g_message ("The sign-in cannot be kept in the keyring: %s", error->message);
      set_busy (self, FALSE);
      adw_status_page_set_description (self->notice_page,
                                       _("This computer has no keyring to keep your sign-in "
                                         "safely, so it is not saved: you will have to sign "
                                         "in again the next time you start Sanmen. Your "
                                         "work is saved on this computer as always."));
      gtk_stack_set_visible_child_name (self->stack, "notice");
      gtk_widget_grab_focus (GTK_WIDGET (gtk_widget_get_first_child (GTK_WIDGET (self->notice_page))));
      return;
    }

  set_busy (self, FALSE);
  emit_signed_in (self, TRUE);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
login_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SmSignInDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) user = NULL;
  g_autofree char *token = NULL;

  if (!sm_sync_login_finish (SM_SYNC (source), result, &token, &user, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      g_debug ("Sign-in failed: %s", error->message);
      set_busy (self, FALSE);
      g_clear_object (&self->sync);
      message = sign_in_error_message (error);
      set_error (self, message);

      if (g_error_matches (error, SM_SYNC_ERROR, SM_SYNC_ERROR_UNAUTHORIZED))
        {
          mark_row (ADW_ENTRY_ROW (self->password_row), TRUE);
          gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
          gtk_editable_select_region (GTK_EDITABLE (self->password_row), 0, -1);
        }
      else if (g_error_matches (error, SM_SYNC_ERROR, SM_SYNC_ERROR_UNREACHABLE) ||
               g_error_matches (error, SM_SYNC_ERROR, SM_SYNC_ERROR_PROTOCOL) ||
               g_error_matches (error, SM_SYNC_ERROR, SM_SYNC_ERROR_TLS))
        {
          mark_row (self->server_row, TRUE);
          gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
        }
      return;
    }

  /* The password has done its work: it is not kept, not even in the entry. */
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  g_free (self->role);
  self->role = g_strdup (json_object_get_string_member_with_default (user, "role", ""));

  sm_credentials_store_async (sm_sync_get_server_url (self->sync), self->login, token,
                              self->cancellable, token_stored_cb, g_object_ref (self));
  memset (token, 0, strlen (token));
}

static void
sign_in_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  sm_sign_in_dialog_sign_in (SM_SIGN_IN_DIALOG (widget));
}

static void
work_offline_action_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  SmSignInDialog *self = SM_SIGN_IN_DIALOG (widget);
  G_GNUC_UNUSED g_autoptr(SmSignInDialog) hold = g_object_ref (self);

  self->done = TRUE;
  g_signal_emit (self, signals[WORK_OFFLINE], 0);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
continue_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SmSignInDialog *self = SM_SIGN_IN_DIALOG (widget);
  G_GNUC_UNUSED g_autoptr(SmSignInDialog) hold = g_object_ref (self);

  emit_signed_in (self, FALSE);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
entry_activated_cb (SmSignInDialog *self,
                    AdwEntryRow    *row)
{
  /* Enter moves on to the next empty field, and signs in from the last one. */
  if (row == self->server_row && *gtk_editable_get_text (GTK_EDITABLE (self->login_row)) == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->login_row));
  else if (row != ADW_ENTRY_ROW (self->password_row) &&
           *gtk_editable_get_text (GTK_EDITABLE (self->password_row)) == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
  else
    sm_sign_in_dialog_sign_in (self);
}

static void
entry_changed_cb (SmSignInDialog *self,
                  AdwEntryRow    *row)
{
  mark_row (row, FALSE);
}

static gboolean
sm_sign_in_dialog_close_request (GtkWindow *window)
{
  SmSignInDialog *self = SM_SIGN_IN_DIALOG (window);

  g_cancellable_cancel (self->cancellable);

  /* Closed on the notice: signed in all the same, for this session. */
  if (!self->done && sm_sign_in_dialog_get_notice_shown (self))
    emit_signed_in (self, FALSE);

  return GTK_WINDOW_CLASS (sm_sign_in_dialog_parent_class)->close_request (window);
}

static void
sm_sign_in_dialog_dispose (GObject *object)
{
  SmSignInDialog *self = SM_SIGN_IN_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->sync);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sm_sign_in_dialog_parent_class)->dispose (object);
}

static void
sm_sign_in_dialog_finalize (GObject *object)
{
  SmSignInDialog *self = SM_SIGN_IN_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->login, g_free);
  g_clear_pointer (&self->role, g_free);
  g_clear_pointer (&self->error_message, g_free);

  G_OBJECT_CLASS (sm_sign_in_dialog_parent_class)->finalize (object);
}

static void
sm_sign_in_dialog_class_init (SmSignInDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sm_sign_in_dialog_dispose;
  object_class->finalize = sm_sign_in_dialog_finalize;
  window_class->close_request = sm_sign_in_dialog_close_request;

  /**
   * SmSignInDialog::signed-in:
   * @sync: the SmSync that signed in, with its token set
   * @login: the login
   * @remembered: whether the keyring keeps the token for the next start
   *
   * Emitted once, just before the dialog closes.
   */
  signals[SIGNED_IN] =
    g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3, SM_TYPE_SYNC, G_TYPE_STRING, G_TYPE_BOOLEAN);

  /**
   * SmSignInDialog::work-offline:
   *
   * The person chose to work offline (first run only); the dialog closes.
   */
  signals[WORK_OFFLINE] =
    g_signal_new ("work-offline", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "sign-in.sign-in", NULL, sign_in_action_cb);
  gtk_widget_class_install_action (widget_class, "sign-in.work-offline", NULL, work_offline_action_cb);
  gtk_widget_class_install_action (widget_class, "sign-in.continue", NULL, continue_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/sanmen/Sanmen/sm-sign-in-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SmSignInDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, SmSignInDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, SmSignInDialog, server_row);
  gtk_widget_class_bind_template_child (widget_class, SmSignInDialog, login_row);
  gtk_widget_class_bind_template_child (widget_class, SmSignInDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, SmSignInDialog, offline_button);
  gtk_widget_class_bind_template_child (widget_class, SmSignInDialog, button_stack);
  gtk_widget_class_bind_template_child (widget_class, SmSignInDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, SmSignInDialog, notice_page);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);
}

static void
sm_sign_in_dialog_init (SmSignInDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
}

SmSignInDialog *
sm_sign_in_dialog_new (SmStore    *store,
                       gboolean    first_run,
                       const char *server_url,
                       const char *login)
{
  SmSignInDialog *self;

  g_return_val_if_fail (SM_IS_STORE (store), NULL);

  self = g_object_new (SM_TYPE_SIGN_IN_DIALOG, NULL);
  self->store = g_object_ref (store);
  gtk_widget_set_visible (GTK_WIDGET (self->offline_button), first_run);
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server_url ? server_url : "");
  gtk_editable_set_text (GTK_EDITABLE (self->login_row), login ? login : "");

  /* Focus starts in the first field left to fill. */
  if (server_url == NULL || *server_url == '\0')
    gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->server_row));
  else if (login == NULL || *login == '\0')
    gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->login_row));
  else
    gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->password_row));

  return self;
}

GtkEditable *
sm_sign_in_dialog_get_server_entry (SmSignInDialog *self)
{
  g_return_val_if_fail (SM_IS_SIGN_IN_DIALOG (self), NULL);

  return GTK_EDITABLE (self->server_row);
}

GtkEditable *
sm_sign_in_dialog_get_login_entry (SmSignInDialog *self)
{
  g_return_val_if_fail (SM_IS_SIGN_IN_DIALOG (self), NULL);

  return GTK_EDITABLE (self->login_row);
}

GtkEditable *
sm_sign_in_dialog_get_password_entry (SmSignInDialog *self)
{
  g_return_val_if_fail (SM_IS_SIGN_IN_DIALOG (self), NULL);

  return GTK_EDITABLE (self->password_row);
}

void
sm_sign_in_dialog_sign_in (SmSignInDialog *self)
{
  g_autofree char *url = NULL;
  g_autofree char *login = NULL;
  const char *password;
  const char *reason = NULL;

  g_return_if_fail (SM_IS_SIGN_IN_DIALOG (self));

  if (self->busy)
    return;

  if (!(url = dup_server_url (self, &reason)))
    {
      set_error (self, reason);
      mark_row (self->server_row, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
      return;
    }

  login = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->login_row))));
  if (*login == '\0')
    {
      set_error (self, _("Enter your login, which the community office gives you."));
      mark_row (self->login_row, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->login_row));
      return;
    }

  password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  if (*password == '\0')
    {
      set_error (self, _("Enter your password."));
      mark_row (ADW_ENTRY_ROW (self->password_row), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }

  set_error (self, NULL);
  set_busy (self, TRUE);
  g_free (self->login);
  self->login = g_steal_pointer (&login);
  g_clear_object (&self->sync);
  self->sync = sm_sync_new (self->store, url);
  sm_sync_login_async (self->sync, self->login, password, self->cancellable, login_cb,
                       g_object_ref (self));
}

gboolean
sm_sign_in_dialog_get_busy (SmSignInDialog *self)
{
  g_return_val_if_fail (SM_IS_SIGN_IN_DIALOG (self), FALSE);

  return self->busy;
}

const char *
sm_sign_in_dialog_get_error_message (SmSignInDialog *self)
{
  g_return_val_if_fail (SM_IS_SIGN_IN_DIALOG (self), NULL);

  return self->error_message;
}

gboolean
sm_sign_in_dialog_get_notice_shown (SmSignInDialog *self)
{
  g_return_val_if_fail (SM_IS_SIGN_IN_DIALOG (self), FALSE);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "notice") == 0;
}

const char *
sm_sign_in_dialog_get_role (SmSignInDialog *self)
{
  g_return_val_if_fail (SM_IS_SIGN_IN_DIALOG (self), NULL);

  return self->role;
}
