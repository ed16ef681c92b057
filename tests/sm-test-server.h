/* sm-test-server.h — the real sanmen-server, started by a test
 *
 * The executable named by $SANMEN_SERVER (meson sets it), serving 127.0.0.1 from a data
 * folder in a temporary folder of its own; its command line run on the same data folder
 * while it serves or not. New password hashes are fast (SANMEN_AUTH_FAST_HASH=1), and no
 * process started here outlives the test, even one that crashed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  SM_TEST_SERVER_DEFAULT = 0,
  /* `serve` runs with only SANMEN_AUTH_FAST_HASH=1 in its environment, as a deployment
   * would: none of the test's own settings (G_DEBUG=fatal-warnings and the like). */
  SM_TEST_SERVER_BARE_ENVIRONMENT = 1 << 0,
} SmTestServerFlags;

typedef struct {
  /* The temporary folder, removed by sm_test_server_free(): a test may keep files there. */
  char             *root;
  /* The server's data folder, `root/server`. */
  char             *data_dir;
  /* While it serves: the process, and the port and address it serves on (kept after a
   * stop, for a restart on the same port). */
  GSubprocess      *process;
  guint16           port;
  char             *url;

  /*< private >*/
  SmTestServerFlags flags;
  char             *tls_cert;
  char             *tls_key;
  GDataInputStream *output;
} SmTestServer;

const char   *sm_test_server_binary    (void);
void          sm_test_die_with_parent  (gpointer          user_data);
guint16       sm_test_free_port        (void);

SmTestServer *sm_test_server_new       (const char       *name,
                                        SmTestServerFlags flags);
void          sm_test_server_free      (SmTestServer     *server);
void          sm_test_server_set_tls   (SmTestServer     *server,
                                        const char       *cert,
                                        const char       *key);
char         *sm_test_server_cli       (SmTestServer     *server,
                                        const char       *input,
                                        int               expected_status,
                                        ...) G_GNUC_NULL_TERMINATED;
void          sm_test_server_start     (SmTestServer     *server,
                                        guint16           port);
void          sm_test_server_restart   (SmTestServer     *server);
void          sm_test_server_kill      (SmTestServer     *server);
void          sm_test_server_stop      (SmTestServer     *server);
GPid          sm_test_server_get_pid   (SmTestServer     *server);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmTestServer, sm_test_server_free)

G_END_DECLS
