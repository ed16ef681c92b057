/* sm-file-chooser.h — asking for one file in the native chooser, from a window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* What runs, with @window and the file accepted, when the chooser is answered. */
typedef void (*SmFileChosenFunc) (GtkWindow *window,
                                  GFile     *file);

/* Shows a modal native chooser for @window, titled @title, its buttons labelled
 * @accept_label and @cancel_label (translated by the caller), with @filter (may be NULL; the
 * chooser takes a reference) and @current_name (a file name to suggest when saving, may
 * be NULL). *@slot holds the chooser while it is shown: nothing is shown while *@slot is
 * set, so a second activation does not open a second chooser. Once answered *@slot is
 * cleared and, when a file was accepted, @chosen runs with it. */
void sm_file_chooser_ask   (GtkWindow             *window,
                            GtkFileChooserNative **slot,
                            const char            *title,
                            GtkFileChooserAction   action,
                            const char            *accept_label,
                            const char            *cancel_label,
                            const char            *current_name,
                            GtkFileFilter         *filter,
                            SmFileChosenFunc       chosen);
/* Closes the chooser in *@slot, if any, as @window's dispose must: no answer comes. */
void sm_file_chooser_close (GtkFileChooserNative **slot);

G_END_DECLS
