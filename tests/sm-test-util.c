/* sm-test-util.c — what the test programs and benchmarks share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sm-test-util.h"

#include <glib/gstdio.h>

void
sm_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_unlink (path);
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      sm_test_remove_tree (child);
    }
  g_rmdir (path);
}

void
sm_test_store_result_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      slot)
{
  *(GAsyncResult **) slot = g_object_ref (result);
}

GAsyncResult *
sm_test_await (GAsyncResult **slot)
{
  g_return_val_if_fail (slot != NULL, NULL);

  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}
