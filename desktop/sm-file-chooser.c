/* sm-file-chooser.c — asking for one file in the native chooser, from a window
 *
 * The roster import opens a file and the report export saves one, both through
 * GtkFileChooserNative (the portal's chooser in a sandbox). Each keeps the chooser in a
 * slot of its own while it is shown, so that an action pressed twice opens one chooser and
 * dispose can close it; the answer comes back as the file accepted, or nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-file-chooser.h"

typedef struct {
  GtkWindow             *window;
  GtkFileChooserNative **slot;
  SmFileChosenFunc       chosen;
} Ask;

static void
ask_free (gpointer  data,
          GClosure *closure)
{
  g_free (data);
}

static void
response_cb (GtkFileChooserNative *chooser,
             int                   response,
             Ask                  *ask)
{
  /* The slot's reference keeps @chooser alive until the answer is read. */
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      ask->chosen (ask->window, file);
    }

  g_clear_object (ask->slot);
}

void
sm_file_chooser_ask (GtkWindow             *window,
                     GtkFileChooserNative **slot,
                     const char            *title,
                     GtkFileChooserAction   action,
                     const char            *accept_label,
                     const char            *cancel_label,
                     const char            *current_name,
                     GtkFileFilter         *filter,
                     SmFileChosenFunc       chosen)
{
  Ask *ask;

  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (slot != NULL);
  g_return_if_fail (filter == NULL || GTK_IS_FILE_FILTER (filter));
  g_return_if_fail (chosen != NULL);

  if (*slot != NULL)
    return;

  *slot = gtk_file_chooser_native_new (title, window, action, accept_label, cancel_label);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (*slot), TRUE);
  if (current_name != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (*slot), current_name);
  if (filter != NULL)
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (*slot), filter);

  ask = g_new0 (Ask, 1);
  ask->window = window;
  ask->slot = slot;
  ask->chosen = chosen;
  g_signal_connect_data (*slot, "response", G_CALLBACK (response_cb), ask, ask_free, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (*slot));
}

void
sm_file_chooser_close (GtkFileChooserNative **slot)
{
  g_return_if_fail (slot != NULL);

  if (*slot == NULL)
    return;

  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (*slot));
  g_clear_object (slot);
}
