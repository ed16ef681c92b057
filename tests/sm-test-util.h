/* sm-test-util.h — what the test programs and benchmarks share */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Deletes @path and everything below it (the temporary folders of g_dir_make_tmp). */
void sm_test_remove_tree (const char *path);

/* A GAsyncReadyCallback that keeps a reference to the result at @slot (a GAsyncResult **
 * that starts NULL), for sm_test_await(). */
void          sm_test_store_result_cb (GObject       *source,
                                       GAsyncResult  *result,
                                       gpointer       slot);
/* Runs the main loop until @slot holds a result; returns it (the slot keeps the ref). */
GAsyncResult *sm_test_await           (GAsyncResult **slot);

G_END_DECLS
