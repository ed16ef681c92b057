/* sm-test-server.c — the real sanmen-server, started by a test
 *
 * One copy of what each test that talks to the real server did on its own: a temporary
 * data folder, `serve --listen 127.0.0.1:PORT` with the port read back from its first
 * line ("listening on http://127.0.0.1:PORT"), the command line with a password on
 * standard input, a crash (SIGKILL), a clean stop (SIGTERM) and a restart on the same
 * port, as a real restart keeps its address.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sm-test-server.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "sm-test-util.h"

/* A server is launched with fast password hashes, and dies with the test. */
static GSubprocessLauncher *
launcher_new (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_setenv (launcher, "SANMEN_AUTH_FAST_HASH", "1", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, sm_test_die_with_parent, NULL, NULL);

  return launcher;
}

/**
 * sm_test_server_binary:
 *
 * Returns: (nullable): the sanmen-server executable $SANMEN_SERVER names, or %NULL when
 *   it names none
 */
const char *
sm_test_server_binary (void)
{
  const char *path = g_getenv ("SANMEN_SERVER");

  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    return NULL;

  return path;
}

/**
 * sm_test_die_with_parent:
 * @user_data: unused
 *
 * A #GSpawnChildSetupFunc: the child is killed when the test ends, even when it crashed,
 * so no server or daemon it started is left running.
 */
void
sm_test_die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/**
 * sm_test_free_port:
 *
 * Returns: a port on 127.0.0.1 that nothing listened on a moment ago: where a client
 *   finds no server
 */
guint16
sm_test_free_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);

  return port;
}

/**
 * sm_test_server_new:
 * @name: a word for the temporary folder's name ("sync" makes `sanmen-sync-XXXXXX`)
 * @flags: how `serve` is to run
 *
 * Makes a temporary folder with an empty data folder in it, for a server not yet
 * started. Fails the test when $SANMEN_SERVER names no executable.
 *
 * Returns: (transfer full): the server; sm_test_server_free() it
 */
SmTestServer *
sm_test_server_new (const char       *name,
                    SmTestServerFlags flags)
{
  g_autofree char *template = NULL;
  g_autoptr(GError) error = NULL;
  SmTestServer *server;

  g_return_val_if_fail (name != NULL, NULL);

  if (sm_test_server_binary () == NULL)
    g_error ("SANMEN_SERVER does not name the sanmen-server executable");

  server = g_new0 (SmTestServer, 1);
  server->flags = flags;
  template = g_strdup_printf ("sanmen-%s-XXXXXX", name);
  server->root = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);
  server->data_dir = g_build_filename (server->root, "server", NULL);
  g_assert_cmpint (g_mkdir_with_parents (server->data_dir, 0700), ==, 0);

  return server;
}

/**
 * sm_test_server_free:
 * @server: (transfer full): a server
 *
 * Kills @server if it still serves and removes its temporary folder.
 */
void
sm_test_server_free (SmTestServer *server)
{
  if (server == NULL)
    return;

  if (server->process != NULL)
    sm_test_server_kill (server);
  g_clear_object (&server->output);
  sm_test_remove_tree (server->root);
  g_free (server->root);
  g_free (server->data_dir);
  g_free (server->url);
  g_free (server->tls_cert);
  g_free (server->tls_key);
  g_free (server);
}

/**
 * sm_test_server_set_tls:
 * @server: a server not serving
 * @cert: the certificate's PEM file
 * @key: the private key's PEM file
 *
 * Makes the next start serve HTTPS with @cert and @key.
 */
void
sm_test_server_set_tls (SmTestServer *server,
                        const char   *cert,
                        const char   *key)
{
  g_return_if_fail (server != NULL);
  g_return_if_fail (cert != NULL && key != NULL);

  g_free (server->tls_cert);
  server->tls_cert = g_strdup (cert);
  g_free (server->tls_key);
  server->tls_key = g_strdup (key);
}

/**
 * sm_test_server_cli:
 * @server: a server, serving or not
 * @input: (nullable): what goes to the command's standard input: a password and "\n"
 * @expected_status: the exit status wanted
 * @...: the command and its arguments, after `--data DATA_DIR`, then %NULL
 *
 * Runs one command of the server's command line on @server's data folder to completion;
 * fails the test, with what it printed, when it exits with another status.
 *
 * Returns: (transfer full): what it printed on standard output when @expected_status
 *   is 0, on standard error (the reason) otherwise
 */
char *
sm_test_server_cli (SmTestServer *server,
                    const char   *input,
                    int           expected_status,
                    ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *arg;
  va_list args;

  g_return_val_if_fail (server != NULL, NULL);

  g_ptr_array_add (argv, (char *) sm_test_server_binary ());
  g_ptr_array_add (argv, (char *) "--data");
  g_ptr_array_add (argv, server->data_dir);
  va_start (args, expected_status);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                           G_SUBPROCESS_FLAGS_STDERR_PIPE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != expected_status)
    g_error ("sanmen-server %s exited with %d, not %d: %s%s", (char *) argv->pdata[3],
             g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1,
             expected_status, out, err);

  return expected_status == 0 ? g_steal_pointer (&out) : g_steal_pointer (&err);
}

/**
 * sm_test_server_start:
 * @server: a server not serving
 * @port: the port to serve on, or 0 for any free one
 *
 * Starts `serve` on 127.0.0.1 and waits until it says it listens; sets @server's port
 * and url. Its standard error goes where the test's goes.
 */
void
sm_test_server_start (SmTestServer *server,
                      guint16       port)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *serve_asan = NULL;
  const char *asan;

  g_return_if_fail (server != NULL);
  g_assert_null (server->process);

  prefix = g_strdup_printf ("listening on %s://127.0.0.1:", server->tls_cert != NULL ? "https" : "http");

  g_ptr_array_add (argv, g_strdup (sm_test_server_binary ()));
  g_ptr_array_add (argv, g_strdup ("--data"));
  g_ptr_array_add (argv, g_strdup (server->data_dir));
  g_ptr_array_add (argv, g_strdup ("serve"));
  g_ptr_array_add (argv, g_strdup ("--listen"));
  g_ptr_array_add (argv, g_strdup_printf ("127.0.0.1:%u", port));
  if (server->tls_cert != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("--tls-cert"));
      g_ptr_array_add (argv, g_strdup (server->tls_cert));
      g_ptr_array_add (argv, g_strdup ("--tls-key"));
      g_ptr_array_add (argv, g_strdup (server->tls_key));
    }
  g_ptr_array_add (argv, NULL);

  /* Under AddressSanitizer, a serving process is not leak-checked when it exits:
   * libsoup 3.2 (Debian 12) keeps some memory of server connections until exit, in stacks
   * that the fast unwinder cannot attribute to libsoup for a suppression. Memory errors
   * still abort it, and then it does not exit with 0 (sm_test_server_stop checks); the
   * server's parts are leak-checked in-process by their own tests. */
  asan = g_getenv ("ASAN_OPTIONS");
  serve_asan = g_strconcat ("ASAN_OPTIONS=", asan ? asan : "", asan && *asan ? ":" : "",
                            "detect_leaks=0", NULL);
  launcher = launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  if (server->flags & SM_TEST_SERVER_BARE_ENVIRONMENT)
    {
      const char * const environment[] = { "G_MESSAGES_DEBUG=", "SANMEN_AUTH_FAST_HASH=1",
                                           serve_asan, NULL };

      g_subprocess_launcher_set_environ (launcher, (char **) environment);
    }
  else
    g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", serve_asan + strlen ("ASAN_OPTIONS="), TRUE);
  server->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  /* Kept open while it serves: a server that writes to a closed pipe would die of it. */
  g_clear_object (&server->output);
  server->output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (server->output, NULL, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL || !g_str_has_prefix (line, prefix))
    g_error ("sanmen-server serve said “%s”, not “%s…”", line != NULL ? line : "(nothing)", prefix);

  server->port = (guint16) g_ascii_strtoull (strrchr (line, ':') + 1, NULL, 10);
  g_assert_cmpuint (server->port, >, 0);
  if (port != 0)
    g_assert_cmpuint (server->port, ==, port);
  g_free (server->url);
  server->url = g_strdup (line + strlen ("listening on "));
}

/**
 * sm_test_server_restart:
 * @server: a server that served and was stopped or killed
 *
 * Starts @server again on the same data folder and port, as a restarted server keeps
 * its address.
 */
void
sm_test_server_restart (SmTestServer *server)
{
  g_return_if_fail (server != NULL);
  g_return_if_fail (server->port != 0);

  sm_test_server_start (server, server->port);
}

/**
 * sm_test_server_kill:
 * @server: a server serving
 *
 * Kills @server as a crash or a power cut would (SIGKILL) and waits for it to be gone.
 */
void
sm_test_server_kill (SmTestServer *server)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (server != NULL);
  g_assert_nonnull (server->process);

  g_subprocess_send_signal (server->process, SIGKILL);
  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&server->process);
  g_clear_object (&server->output);
}

/**
 * sm_test_server_stop:
 * @server: a server serving
 *
 * Stops @server as its service manager would (SIGTERM); fails the test unless it exits
 * cleanly with status 0.
 */
void
sm_test_server_stop (SmTestServer *server)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (server != NULL);
  g_assert_nonnull (server->process);

  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (server->process));
  g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);
  g_clear_object (&server->process);
  g_clear_object (&server->output);
}

/**
 * sm_test_server_get_pid:
 * @server: a server serving
 *
 * Returns: the process id of `serve`, to look at in /proc
 */
GPid
sm_test_server_get_pid (SmTestServer *server)
{
  g_return_val_if_fail (server != NULL, 0);
  g_assert_nonnull (server->process);

  return (GPid) g_ascii_strtoll (g_subprocess_get_identifier (server->process), NULL, 10);
}
