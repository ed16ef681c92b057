/* sm-application.c — the sanmen desktop application
 *
 * Owns the replica: opens it on first activation, at $SANMEN_REPLICA when set (tests and
 * trainers), otherwise in the user's data folder. App-wide actions: about, quit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-application.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <glib/gstdio.h>

#include "sm-window.h"

struct _SmApplication
{
  AdwApplication  parent_instance;

  SmStore        *store;
};

G_DEFINE_FINAL_TYPE (SmApplication, sm_application, ADW_TYPE_APPLICATION)

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
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "about", about_action_cb, NULL, NULL, NULL, { 0 } },
  { "quit", quit_action_cb, NULL, NULL, NULL, { 0 } },
};

static void
sm_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  SmApplication *self = SM_APPLICATION (app);

  G_APPLICATION_CLASS (sm_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  /* Ctrl+? opens gtk/help-overlay.ui: GtkApplication wires win.show-help-overlay itself. */
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

  if (self->store == NULL && !(self->store = open_replica (&error)))
    {
      g_warning ("Cannot open the replica: %s", error->message);
      show_open_error (self, error);
      return;
    }

  window = GTK_WINDOW (sm_window_new (GTK_APPLICATION (self), self->store));
  gtk_window_present (window);
}

static void
sm_application_dispose (GObject *object)
{
  SmApplication *self = SM_APPLICATION (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (sm_application_parent_class)->dispose (object);
}

static void
sm_application_class_init (SmApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = sm_application_dispose;
  app_class->startup = sm_application_startup;
  app_class->activate = sm_application_activate;
}

static void
sm_application_init (SmApplication *self)
{
}

SmApplication *
sm_application_new (void)
{
  return g_object_new (SM_TYPE_APPLICATION,
                       "application-id", "org.sanmen.Sanmen",
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

char *
sm_application_dup_replica_path (void)
{
  const char *env = g_getenv ("SANMEN_REPLICA");

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  return g_build_filename (g_get_user_data_dir (), "sanmen", "replica.db", NULL);
}
