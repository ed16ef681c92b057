/* sm-test-gtk.c — what the desktop tests share to drive the real window under Xvfb
 *
 * One copy of the helpers each desktop test carried on its own, in the most robust form
 * any of them had: a resize that corrects for the border a window keeps without a
 * compositor, a render that waits for the window to draw and fails on a blank image.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sm-test-gtk.h"

#include <adwaita.h>
#include <libintl.h>
#include <locale.h>

/* How long any wait may take before the test fails; sm_test_set_wait_timeout() changes it. */
static gint64 wait_timeout_us = 20 * G_USEC_PER_SEC;

/* How long one round of sm_test_resize_window() waits for the size to change before it
 * corrects anyway: a window that already had its default size does not change at all. */
#define SETTLE_TIMEOUT_US (2 * G_USEC_PER_SEC)

typedef struct {
  GtkWidget *widget;
  int        width;
  int        height;
} SizeWait;

typedef struct {
  SizeWait target;
  int      old_width;
  int      old_height;
} ResizeWait;

/* The main loop wakes up at least this often while a test waits on it, so that a
 * condition no event changes (a clock, another process) is still looked at. */
static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @condition holds or @deadline (monotonic time) has passed;
 * returns whether it holds. */
static gboolean
wait_until (SmTestCondition condition,
            gpointer        data,
            gint64          deadline)
{
  guint tick = g_timeout_add (5, tick_cb, NULL);
  gboolean holds;

  while (!(holds = condition (data)) && g_get_monotonic_time () <= deadline)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (tick);

  return holds;
}

static gboolean
size_reached (gpointer data)
{
  SizeWait *wait = data;

  return gtk_widget_get_mapped (wait->widget)
         && gtk_widget_get_width (wait->widget) == wait->width
         && gtk_widget_get_height (wait->widget) == wait->height;
}

/* Mapped, and resized from what it was (or already at the size wanted). */
static gboolean
size_settled (gpointer data)
{
  ResizeWait *wait = data;
  GtkWidget *widget = wait->target.widget;

  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0
         && (size_reached (&wait->target) || gtk_widget_get_width (widget) != wait->old_width
             || gtk_widget_get_height (widget) != wait->old_height);
}

static gboolean
frame_cb (GtkWidget     *widget,
          GdkFrameClock *clock,
          gpointer       user_data)
{
  *(guint *) user_data += 1;

  return G_SOURCE_CONTINUE;
}

static gboolean
two_frames (gpointer data)
{
  return *(guint *) data >= 2;
}

/**
 * sm_test_gtk_init:
 * @program: the test's name, for the message when there is no display
 *
 * Opens the display and sets GTK up as the client has it: libadwaita, and the client's
 * style.css from its resource, as AdwApplication loads it. Animations are off, so that
 * a render shows a settled state and not the middle of a leaflet's fold; and so is the
 * accessibility bus, which needs a session bus a test runner seldom has: GTK warns
 * without one, and warnings are fatal in the tests.
 *
 * Returns: %FALSE, having said what to do, when no display opens
 */
gboolean
sm_test_gtk_init (const char *program)
{
  g_autoptr(GtkCssProvider) css = NULL;

  g_return_val_if_fail (program != NULL, FALSE);

  g_setenv ("GTK_A11Y", "none", TRUE);
  if (!gtk_init_check ())
    {
      g_printerr ("%s: cannot open a display (DISPLAY=%s, WAYLAND_DISPLAY=%s); "
                  "run it under xvfb-run -a\n", program,
                  g_getenv ("DISPLAY") ? g_getenv ("DISPLAY") : "(unset)",
                  g_getenv ("WAYLAND_DISPLAY") ? g_getenv ("WAYLAND_DISPLAY") : "(unset)");
      return FALSE;
    }
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/org/sanmen/Sanmen/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  return TRUE;
}

/**
 * sm_test_use_zh_CN:
 * @program: the test's name, for the message when the locale is missing
 *
 * Puts the test in Simplified Chinese, with the catalogs this build made (po/ of the
 * build tree), as a person in zh_CN sees the client: the test's own _() included. Call
 * it after g_test_init() and before sm_test_gtk_init().
 *
 * Returns: %FALSE, having said what to install, when the system has no zh_CN.UTF-8
 */
gboolean
sm_test_use_zh_CN (const char *program)
{
  g_autofree char *localedir = NULL;

  g_return_val_if_fail (program != NULL, FALSE);

  g_setenv ("LC_ALL", "zh_CN.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  if (setlocale (LC_ALL, "") == NULL)
    {
      g_printerr ("%s: the zh_CN.UTF-8 locale is missing (Debian: locales, then "
                  "locale-gen zh_CN.UTF-8)\n", program);
      return FALSE;
    }

  localedir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  return TRUE;
}

/**
 * sm_test_init_zh_CN:
 * @argc: main()'s
 * @argv: main()'s
 *
 * What a desktop test that renders the client in Simplified Chinese does first:
 * g_test_init(), sm_test_use_zh_CN() and sm_test_gtk_init().
 *
 * Returns: FALSE (with a message) when the test cannot run: main() returns 1
 */
gboolean
sm_test_init_zh_CN (int    *argc,
                    char ***argv)
{
  g_autofree char *program = NULL;

  g_test_init (argc, argv, NULL);
  program = g_path_get_basename ((*argv)[0]);

  return sm_test_use_zh_CN (program) && sm_test_gtk_init (program);
}

/**
 * sm_test_set_wait_timeout:
 * @seconds: how long a wait may take
 *
 * Sets how long sm_test_wait_for() and the waits below may take before they fail the
 * test; 20 seconds unless set. A test that waits on a server sets more.
 */
void
sm_test_set_wait_timeout (guint seconds)
{
  g_return_if_fail (seconds > 0);

  wait_timeout_us = (gint64) seconds * G_USEC_PER_SEC;
}

/**
 * sm_test_wait_for:
 * @condition: what to wait for
 * @data: passed to @condition
 * @what: what is waited for, for the message when it never comes
 *
 * Runs the default main context until @condition holds; fails the test with "Timed out
 * waiting for @what" once the wait timeout has passed.
 */
void
sm_test_wait_for (SmTestCondition  condition,
                  gpointer         data,
                  const char      *what)
{
  g_return_if_fail (condition != NULL);

  if (!wait_until (condition, data, g_get_monotonic_time () + wait_timeout_us))
    g_error ("Timed out waiting for %s", what);
}

/**
 * sm_test_widget_laid_out:
 * @widget: (type GtkWidget): a widget
 *
 * A #SmTestCondition: @widget is mapped and has a width.
 *
 * Returns: whether @widget is shown
 */
gboolean
sm_test_widget_laid_out (gpointer widget)
{
  return gtk_widget_get_mapped (GTK_WIDGET (widget)) && gtk_widget_get_width (GTK_WIDGET (widget)) > 0;
}

/**
 * sm_test_is_null:
 * @pointer: (type gpointer*): where a pointer is kept, say a weak pointer
 *
 * A #SmTestCondition: the pointer at @pointer is %NULL (the object it pointed to is gone).
 *
 * Returns: whether `*pointer` is %NULL
 */
gboolean
sm_test_is_null (gpointer pointer)
{
  return *(gpointer *) pointer == NULL;
}

/**
 * sm_test_wait_for_size:
 * @widget: a widget
 * @width: the width wanted
 * @height: the height wanted
 *
 * Waits until @widget is mapped with exactly @width × @height; fails the test, saying
 * the size it has, when it does not get there.
 */
void
sm_test_wait_for_size (GtkWidget *widget,
                       int        width,
                       int        height)
{
  SizeWait wait = { widget, width, height };

  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (!wait_until (size_reached, &wait, g_get_monotonic_time () + wait_timeout_us))
    g_error ("Timed out waiting for the size %d×%d (now %d×%d)", width, height,
             gtk_widget_get_width (widget), gtk_widget_get_height (widget));
}

/**
 * sm_test_resize_window:
 * @window: a window, shown or not
 * @width: the width wanted
 * @height: the height wanted
 *
 * Presents @window and gives it exactly @width × @height. Without a compositor the
 * surface keeps a few pixels of client-side border around the window, so the default
 * size is corrected by what is missing until the window itself has the size; over a few
 * rounds, because a page may be wider for a moment while it folds. Fails the test when
 * the window does not get the size.
 */
void
sm_test_resize_window (GtkWindow *window,
                       int        width,
                       int        height)
{
  SizeWait wait = { GTK_WIDGET (window), width, height };

  g_return_if_fail (GTK_IS_WINDOW (window));

  gtk_window_set_default_size (window, width, height);
  gtk_window_present (window);
  for (guint round = 0; round < 10 && !size_reached (&wait); round++)
    {
      ResizeWait resize = { wait, gtk_widget_get_width (GTK_WIDGET (window)),
                            gtk_widget_get_height (GTK_WIDGET (window)) };
      int default_width, default_height;

      /* Shown at last, or changed from what it was; a window that had its default size
       * already keeps it, and is corrected all the same. */
      if (!wait_until (size_settled, &resize, g_get_monotonic_time () + SETTLE_TIMEOUT_US)
          && !sm_test_widget_laid_out (window))
        sm_test_wait_for (sm_test_widget_laid_out, window, "the window shown");
      if (size_reached (&wait))
        break;
      gtk_window_get_default_size (window, &default_width, &default_height);
      gtk_window_set_default_size (window,
                                   default_width + width - gtk_widget_get_width (GTK_WIDGET (window)),
                                   default_height + height - gtk_widget_get_height (GTK_WIDGET (window)));
    }
  sm_test_wait_for_size (GTK_WIDGET (window), width, height);
}

/**
 * sm_test_wait_for_frame:
 * @widget: a widget that is shown
 *
 * Waits until @widget's window has drawn twice: after a relayout, it is drawn again.
 */
void
sm_test_wait_for_frame (GtkWidget *widget)
{
  guint n_frames = 0;
  guint id;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  id = gtk_widget_add_tick_callback (widget, frame_cb, &n_frames, NULL);
  gtk_widget_queue_draw (widget);
  sm_test_wait_for (two_frames, &n_frames, "two frames");
  gtk_widget_remove_tick_callback (widget, id);
}

/**
 * sm_test_destroy_window:
 * @window: (type GtkWindow): a window
 *
 * Destroys @window and runs the main loop until it is finalized, so that the next test
 * starts with nothing of it left.
 */
void
sm_test_destroy_window (gpointer window)
{
  g_return_if_fail (GTK_IS_WINDOW (window));

  g_object_add_weak_pointer (G_OBJECT (window), &window);
  gtk_window_destroy (GTK_WINDOW (window));
  while (window != NULL)
    g_main_context_iteration (NULL, FALSE);
}

/**
 * sm_test_render_to_png:
 * @widget: a widget that is shown
 * @name: the file name, in the build folder of the tests (G_TEST_BUILDDIR)
 *
 * Waits for @widget's window to draw, renders @widget as it is then and saves it as
 * @name; fails the test when the image is blank: when fewer than one pixel in a hundred
 * differs from the first.
 *
 * Returns: the mean brightness of the image's pixels, from 0 (black) to 255 (white): a
 *   test compares two renders with it, say the light and the dark style
 */
double
sm_test_render_to_png (GtkWidget  *widget,
                       const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  int width, height;
  gsize stride;
  guint32 first;
  gsize n_different = 0;
  double brightness = 0;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), 0);
  g_return_val_if_fail (name != NULL, 0);

  /* Labels set a moment ago are laid out and drawn. */
  sm_test_wait_for_frame (widget);

  path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  stride = (gsize) width * 4;
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_cmpint (gdk_texture_get_width (texture), ==, width);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, height);

  pixels = g_malloc (stride * (gsize) height);
  gdk_texture_download (texture, pixels, stride);
  first = ((guint32 *) pixels)[0];
  for (gsize i = 0; i < (gsize) width * (gsize) height; i++)
    {
      /* Cairo's ARGB32 in the machine's byte order: blue, green, red, then alpha on a
       * little-endian machine. */
      if (((guint32 *) pixels)[i] != first)
        n_different++;
      brightness += (pixels[4 * i] + pixels[4 * i + 1] + pixels[4 * i + 2]) / 3.0;
    }
  brightness /= (double) width * height;

  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("%s: %d×%d, %" G_GSIZE_FORMAT " pixels differ from the first, brightness %.0f",
                  path, width, height, n_different, brightness);
  g_assert_cmpuint (n_different, >, (gsize) width * (gsize) height / 100);

  return brightness;
}

/**
 * sm_test_find_widget:
 * @widget: where to look
 * @type: the type wanted
 *
 * Returns: (nullable): the first of @widget and its descendants that is a @type, depth first
 */
GtkWidget *
sm_test_find_widget (GtkWidget *widget,
                     GType      type)
{
  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = sm_test_find_widget (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/**
 * sm_test_find_shown:
 * @widget: where to look
 * @type: the type wanted
 * @accept: (nullable): what the widget must show besides (a list row bound to its item,
 *   say), or NULL
 *
 * Returns: (nullable): the first of @widget and its descendants, depth first, that is a
 *   @type, mapped and laid out, and accepted by @accept
 */
GtkWidget *
sm_test_find_shown (GtkWidget      *widget,
                    GType           type,
                    SmTestCondition accept)
{
  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_get_mapped (widget)
      && gtk_widget_get_width (widget) > 0 && (accept == NULL || accept (widget)))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = sm_test_find_shown (child, type, accept);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/**
 * sm_test_open_window:
 * @store: the replica the window opens
 * @width: its size
 * @height:
 *
 * Opens the client's window on @store at exactly @width × @height.
 *
 * Returns: (transfer none): the window; sm_test_destroy_window() it
 */
SmWindow *
sm_test_open_window (SmStore *store,
                     int      width,
                     int      height)
{
  SmWindow *window = sm_window_new (NULL, store);

  sm_test_resize_window (GTK_WINDOW (window), width, height);
  return window;
}

/**
 * sm_test_show_window:
 * @store: the replica the window opens
 * @width: its size
 * @height:
 * @page: (nullable): the page to show, or NULL for the one the window opens on
 * @shown: what to wait for before the window counts as shown
 * @what: what @shown waits for, for the message when it does not come
 * @out_shown_us: (out) (optional): how long from making the window to @shown holding
 *
 * Opens the client's window on @store at @width × @height, as a worker would.
 *
 * Returns: (transfer none): the window; sm_test_destroy_window() it
 */
SmWindow *
sm_test_show_window (SmStore         *store,
                     int              width,
                     int              height,
                     const char      *page,
                     SmTestCondition  shown,
                     const char      *what,
                     gint64          *out_shown_us)
{
  gint64 start = g_get_monotonic_time ();
  SmWindow *window = sm_window_new (NULL, store);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  if (page != NULL)
    sm_window_show_page (window, page);

  sm_test_wait_for (shown, window, what);
  if (out_shown_us != NULL)
    *out_shown_us = g_get_monotonic_time () - start;
  sm_test_resize_window (GTK_WINDOW (window), width, height);

  return window;
}

/**
 * sm_test_find_button:
 * @widget: where to look
 * @label: the button's label, as gtk_button_get_label() has it
 *
 * Finds a button by what it says, as a person does: toggle buttons included.
 *
 * Returns: (nullable): the first of @widget and its descendants that is a #GtkButton
 *   labelled @label, depth first
 */
GtkWidget *
sm_test_find_button (GtkWidget  *widget,
                     const char *label)
{
  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (label != NULL, NULL);

  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = sm_test_find_button (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/**
 * sm_test_collect_widgets:
 * @widget: where to look
 * @type: the type wanted
 * @found: (element-type GtkWidget): where to add them
 *
 * Adds @widget and each of its descendants that is a @type to @found, depth first.
 */
void
sm_test_collect_widgets (GtkWidget *widget,
                         GType      type,
                         GPtrArray *found)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (found != NULL);

  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    sm_test_collect_widgets (child, type, found);
}

/**
 * sm_test_find_toplevel:
 * @type: a type of window
 *
 * Finds the visible toplevel window of @type: a dialog a window opened, say. A window
 * hidden but not yet destroyed does not count.
 *
 * Returns: (nullable) (transfer none): the last such window GTK lists
 */
gpointer
sm_test_find_toplevel (GType type)
{
  gpointer found = NULL;

  for (GList *l = gtk_window_list_toplevels (); l != NULL; l = g_list_delete_link (l, l))
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      found = l->data;

  return found;
}

/**
 * sm_test_press_shortcut:
 * @widget: a mapped widget
 * @accel: the keys, as gtk_shortcut_trigger_parse_string() reads them ("<Control>n")
 *
 * Presses @accel on @widget, as far as a test without a keyboard can: finds the shortcut
 * of @widget's own controllers (the class's bindings included) that @accel triggers and
 * runs its action, which GTK does only while the widget is mapped (managed shortcuts work
 * wherever the focus is). Fails the test when no shortcut of @widget has those keys.
 */
void
sm_test_press_shortcut (GtkWidget  *widget,
                        const char *accel)
{
  g_autoptr(GListModel) controllers = NULL;
  g_autoptr(GtkShortcutTrigger) wanted = NULL;
  gboolean found = FALSE;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (accel != NULL);

  controllers = gtk_widget_observe_controllers (widget);
  wanted = gtk_shortcut_trigger_parse_string (accel);
  g_assert_nonnull (wanted);
  g_assert_true (gtk_widget_get_mapped (widget));

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !found; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)) && !found; j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
            {
              g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                           gtk_shortcut_get_arguments (shortcut)));
              found = TRUE;
            }
        }
    }

  g_assert_true (found);
}
