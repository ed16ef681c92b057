/* sm-test-gtk.h — what the desktop tests share to drive the real window under Xvfb
 *
 * Setting GTK up as the client has it (in Simplified Chinese, for the tests that render
 * it), waiting on the main loop for something to be shown, giving a window an exact size
 * without a compositor, rendering a widget to a PNG file that must not be blank, and
 * finding widgets and pressing shortcuts as a test without a keyboard can. Every wait
 * fails the test (g_error) once it has taken longer than the wait timeout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sm-window.h"

G_BEGIN_DECLS

/* What sm_test_wait_for() waits on: TRUE once it holds. */
typedef gboolean (*SmTestCondition) (gpointer data);

gboolean   sm_test_gtk_init         (const char     *program);
gboolean   sm_test_use_zh_CN        (const char     *program);
gboolean   sm_test_init_zh_CN       (int            *argc,
                                     char         ***argv);
void       sm_test_set_wait_timeout (guint           seconds);

void       sm_test_wait_for         (SmTestCondition condition,
                                     gpointer        data,
                                     const char     *what);
gboolean   sm_test_widget_laid_out  (gpointer        widget);
gboolean   sm_test_is_null          (gpointer        pointer);

void       sm_test_wait_for_size    (GtkWidget      *widget,
                                     int             width,
                                     int             height);
void       sm_test_resize_window    (GtkWindow      *window,
                                     int             width,
                                     int             height);
void       sm_test_wait_for_frame   (GtkWidget      *widget);
void       sm_test_destroy_window   (gpointer        window);

double     sm_test_render_to_png    (GtkWidget      *widget,
                                     const char     *name);

GtkWidget *sm_test_find_widget      (GtkWidget      *widget,
                                     GType           type);
GtkWidget *sm_test_find_shown       (GtkWidget      *widget,
                                     GType           type,
                                     SmTestCondition accept);
GtkWidget *sm_test_find_button      (GtkWidget      *widget,
                                     const char     *label);
void       sm_test_collect_widgets  (GtkWidget      *widget,
                                     GType           type,
                                     GPtrArray      *found);
gpointer   sm_test_find_toplevel    (GType           type);
void       sm_test_press_shortcut   (GtkWidget      *widget,
                                     const char     *accel);

SmWindow  *sm_test_open_window      (SmStore        *store,
                                     int             width,
                                     int             height);
SmWindow  *sm_test_show_window      (SmStore        *store,
                                     int             width,
                                     int             height,
                                     const char     *page,
                                     SmTestCondition shown,
                                     const char     *what,
                                     gint64         *out_shown_us);

G_END_DECLS
