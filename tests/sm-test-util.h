/* sm-test-util.h — what the test programs and benchmarks share */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Deletes @path and everything below it (the temporary folders of g_dir_make_tmp). */
void sm_test_remove_tree (const char *path);

G_END_DECLS
