/* bench-sync.c — bootstrap, incremental sync and many clients against a real server
 *
 * Run on demand, not as a test:
 *   ninja -C _build tests/bench/bench-sync sync-server/sanmen-server &&
 *   ./_build/tests/bench/bench-sync [households [bootstrap|steady]]
 *
 * With `bootstrap` as the second argument only step 1 runs, with `steady` only steps 2
 * and 3: to profile one alone (`perf record -g`, `valgrind --tool=callgrind
 * --trace-children=yes`) or to compare builds back to back.
 *
 * Starts the real sanmen-server on 127.0.0.1 with a free port and a temporary folder,
 * loads the demo community (20,000 households by default) through its command line, and
 * drives real SmSync clients against it, each with its own replica file:
 *
 * 1. Bootstrap: a fresh office replica pulls everything, with and without gzip; records/s
 *    and bytes on the wire (libsoup's message metrics, before decoding). Target ≥ 20,000
 *    records/s.
 * 2. Incremental: one client edits 10 fields then syncs, 200 times; p50 and p99 of the
 *    round trip. Target p50 ≤ 10 ms.
 * 3. 50 concurrent clients, each in its own grid, edit and sync for 20 s; syncs/s and p99.
 *
 * Every request goes to 127.0.0.1 only, and every loop is bounded in count or time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "sanmen-core.h"
#include "sm-test-util.h"

#define N_CLIENTS 50
#define CONCURRENT_SECONDS 20
#define INCREMENTAL_ROUNDS 200

typedef struct {
  char  *server;    /* the sanmen-server binary */
  char  *dir;
  char  *data;
  char  *url;
  GPid   pid;
} Bench;

typedef struct {
  guint64 sent;
  guint64 received;
} Wire;

static double
now_s (void)
{
  return (double) g_get_monotonic_time () / G_USEC_PER_SEC;
}

/* CPU seconds (user + system) of this process and of the server: on a machine shared
 * with other work, wall-clock rates move with the load, CPU time much less. */
static double
cpu_self_s (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static double
cpu_server_s (Bench *bench)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) bench->pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *end;

  /* Fields 14 and 15 (utime, stime), counted after the command name's closing ")". */
  if (!g_file_get_contents (path, &text, NULL, NULL) || !(end = strrchr (text, ')')))
    return 0;
  fields = g_strsplit (end + 2, " ", 0);
  if (g_strv_length (fields) < 13)
    return 0;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) /
         (double) sysconf (_SC_CLK_TCK);
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
run_cli (Bench       *bench,
         const char  *input,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, bench->server);
  g_ptr_array_add (argv, "--data");
  g_ptr_array_add (argv, bench->data);
  va_start (args, input);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "SANMEN_AUTH_FAST_HASH", "1", TRUE);
  if (!(process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error)) ||
      !g_subprocess_communicate_utf8 (process, input, NULL, NULL, NULL, &error) ||
      !g_subprocess_wait_check (process, NULL, &error))
    g_error ("sanmen-server %s: %s", (char *) argv->pdata[3], error->message);
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
start_server (Bench *bench)
{
  const char *argv[] = { bench->server, "--data", bench->data, "serve", "--listen", "127.0.0.1:0", NULL };
  g_autoptr(GError) error = NULL;
  char line[256];
  int out_fd;
  FILE *out;

  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, die_with_parent,
                                 NULL, &bench->pid, NULL, &out_fd, NULL, &error))
    g_error ("cannot start %s: %s", bench->server, error->message);
  out = fdopen (out_fd, "r");
  if (fgets (line, sizeof line, out) == NULL || !g_str_has_prefix (line, "listening on "))
    g_error ("the server did not start");
  fclose (out);
  g_strchomp (line);
  bench->url = g_strdup (line + strlen ("listening on "));
}

/* ---------------------------------------------------------------- client helpers */

static void
message_finished_cb (SoupMessage *msg,
                     gpointer     user_data)
{
  Wire *wire = user_data;
  SoupMessageMetrics *metrics = soup_message_get_metrics (msg);

  /* Bytes as they crossed the socket: compressed when they were compressed. */
  if (metrics != NULL)
    {
      wire->sent += soup_message_metrics_get_request_body_bytes_sent (metrics);
      wire->received += soup_message_metrics_get_response_body_bytes_received (metrics);
    }
}

static void
request_queued_cb (SoupSession *session,
                   SoupMessage *msg,
                   gpointer     user_data)
{
  soup_message_add_flags (msg, SOUP_MESSAGE_COLLECT_METRICS);
  g_signal_connect (msg, "finished", G_CALLBACK (message_finished_cb), user_data);
}

typedef struct {
  GAsyncResult *result;
} Wait;

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  ((Wait *) user_data)->result = g_object_ref (result);
}

static GAsyncResult *
wait_for (Wait *wait)
{
  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return wait->result;
}

static SmSync *
new_client (Bench      *bench,
            const char *name,
            const char *login,
            const char *password)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.db", bench->dir, name);
  g_autoptr(GError) error = NULL;
  g_autoptr(SmStore) store = sm_store_open (path, &error);
  g_autoptr(GAsyncResult) result = NULL;
  SmSync *sync;
  Wait wait = { NULL };

  if (store == NULL)
    g_error ("%s", error->message);

  sync = sm_sync_new (store, bench->url);
  sm_sync_login_async (sync, login, password, NULL, done_cb, &wait);
  result = wait_for (&wait);
  if (!sm_sync_login_finish (sync, result, NULL, NULL, &error))
    g_error ("login %s: %s", login, error->message);

  return sync;
}

static void
run_sync (SmSync *sync)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  Wait wait = { NULL };

  sm_sync_run_async (sync, NULL, done_cb, &wait);
  result = wait_for (&wait);
  if (!sm_sync_run_finish (sync, result, &error))
    g_error ("sync: %s", error->message);
}

static gint64
count_records (SmStore *store)
{
  guint n_tables;
  const SmTable *tables = sm_schema_get_tables (&n_tables);
  gint64 n = 0;

  for (guint t = 0; t < n_tables; t++)
    n += sm_store_count (store, tables[t].name, NULL);

  return n;
}

/* ---------------------------------------------------------------- 1. bootstrap */

static void
bootstrap (Bench      *bench,
           const char *name,
           gboolean    use_gzip)
{
  g_autoptr(SmSync) sync = new_client (bench, name, "office", "sanmen-office");
  SoupSession *session = sm_sync_get_session (sync);
  Wire wire = { 0, 0 };
  gint64 records;
  double start, seconds, cpu_client, cpu_server;

  /* Without the content decoder the client does not offer gzip, so the server sends
   * plain JSON. */
  if (!use_gzip)
    soup_session_remove_feature_by_type (session, SOUP_TYPE_CONTENT_DECODER);
  g_signal_connect (session, "request-queued", G_CALLBACK (request_queued_cb), &wire);

  cpu_client = cpu_self_s ();
  cpu_server = cpu_server_s (bench);
  start = now_s ();
  run_sync (sync);
  seconds = now_s () - start;
  cpu_client = cpu_self_s () - cpu_client;
  cpu_server = cpu_server_s (bench) - cpu_server;
  records = count_records (sm_sync_get_store (sync));

  g_print ("bootstrap %-7s %" G_GINT64_FORMAT " records in %.2f s: %.0f records/s%s, "
           "%.1f MB received, %.1f bytes/record; CPU %.2f s client + %.2f s server\n",
           use_gzip ? "gzip:" : "plain:", records, seconds, records / seconds,
           records / seconds >= 20000 ? "" : " (target >= 20,000)",
           wire.received / 1e6, (double) wire.received / (double) MAX (records, 1),
           cpu_client, cpu_server);
}

/* ---------------------------------------------------------------- 2. incremental */

static void
incremental (Bench *bench)
{
  g_autoptr(SmSync) sync = new_client (bench, "incremental", "worker01", "sanmen-worker01");
  SmStore *store = sm_sync_get_store (sync);
  g_autoptr(GPtrArray) households = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *grid = sm_demo_grid_id (0);
  double times[INCREMENTAL_ROUNDS];

  run_sync (sync);  /* its grid first */
  households = sm_store_list_households (store, grid, NULL, 0, 10, &error);
  if (households == NULL || households->len < 10)
    g_error ("the demo grid has too few households");

  for (guint round = 0; round < INCREMENTAL_ROUNDS; round++)
    {
      double start = now_s ();

      for (guint i = 0; i < 10; i++)
        if (!sm_store_update_with (store, "household", sm_record_get_id (households->pdata[i]), &error,
                                   "notes", g_variant_new_printf ("第 %u 轮走访备注", round), NULL))
          g_error ("%s", error->message);
      run_sync (sync);
      times[round] = (now_s () - start) * 1000.0;
    }

  qsort (times, INCREMENTAL_ROUNDS, sizeof times[0], compare_double);
  g_print ("incremental (10 changes): p50 %.2f ms, p99 %.2f ms over %d syncs%s\n",
           times[INCREMENTAL_ROUNDS / 2], times[INCREMENTAL_ROUNDS * 99 / 100], INCREMENTAL_ROUNDS,
           times[INCREMENTAL_ROUNDS / 2] <= 10.0 ? "" : " (target p50 <= 10 ms)");
}

/* ---------------------------------------------------------------- 3. concurrent */

typedef struct {
  SmSync    *sync;
  char      *household;
  guint      edits;
  double     started;
  gboolean   busy;
} Client;

typedef struct {
  Client   clients[N_CLIENTS];
  GArray  *latencies;
  double   deadline;
  guint    running;
  guint    failures;
} Crowd;

static void client_next (Crowd *crowd, Client *client);

static void
client_synced_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Crowd *crowd = user_data;
  g_autoptr(GError) error = NULL;
  Client *client = NULL;
  double ms;

  for (guint i = 0; i < N_CLIENTS; i++)
    if (G_OBJECT (crowd->clients[i].sync) == source)
      client = &crowd->clients[i];

  if (!sm_sync_run_finish (SM_SYNC (source), result, &error))
    crowd->failures++;
  ms = (now_s () - client->started) * 1000.0;
  g_array_append_val (crowd->latencies, ms);
  client->busy = FALSE;
  client_next (crowd, client);
}

static void
client_next (Crowd  *crowd,
             Client *client)
{
  g_autoptr(GError) error = NULL;

  if (now_s () >= crowd->deadline)
    {
      crowd->running--;
      return;
    }

  client->edits++;
  if (!sm_store_update_with (sm_sync_get_store (client->sync), "household", client->household, &error,
                             "notes", g_variant_new_printf ("edit %u", client->edits), NULL))
    g_error ("%s", error->message);

  client->started = now_s ();
  client->busy = TRUE;
  sm_sync_run_async (client->sync, NULL, client_synced_cb, crowd);
}

static void
concurrent (Bench *bench)
{
  Crowd crowd = { 0, };
  double start, seconds, *times, cpu_client, cpu_server;

  /* Each client in a grid of its own, made empty for the purpose, so that none spends
   * the run bootstrapping. */
  for (guint i = 0; i < N_CLIENTS; i++)
    {
      g_autofree char *grid = g_strdup_printf ("bench-%02u", i);
      g_autofree char *login = g_strdup_printf ("bench%02u", i);
      g_autoptr(GError) error = NULL;
      Client *client = &crowd.clients[i];

      run_cli (bench, NULL, "grid", "add", grid, "--name", grid, NULL);
      run_cli (bench, "bench-password\n", "user", "add", login, "--name", login, "--role", "worker",
               "--grid", grid, NULL);
      client->sync = new_client (bench, login, login, "bench-password");
      client->household = sm_store_create_with (sm_sync_get_store (client->sync), "household", grid, &error,
                                                "address", g_variant_new_printf ("压测小区 %u 栋", i),
                                                "tenure", g_variant_new_string ("existing"), NULL);
      if (client->household == NULL)
        g_error ("%s", error->message);
      run_sync (client->sync);
    }

  crowd.latencies = g_array_new (FALSE, FALSE, sizeof (double));
  cpu_client = cpu_self_s ();
  cpu_server = cpu_server_s (bench);
  start = now_s ();
  crowd.deadline = start + CONCURRENT_SECONDS;
  crowd.running = N_CLIENTS;
  for (guint i = 0; i < N_CLIENTS; i++)
    client_next (&crowd, &crowd.clients[i]);
  while (crowd.running > 0)
    g_main_context_iteration (NULL, TRUE);
  seconds = now_s () - start;
  cpu_client = cpu_self_s () - cpu_client;
  cpu_server = cpu_server_s (bench) - cpu_server;

  times = (double *) (void *) crowd.latencies->data;
  qsort (times, crowd.latencies->len, sizeof (double), compare_double);
  g_print ("%d concurrent clients for %.0f s: %u syncs, %.0f syncs/s, p50 %.1f ms, p99 %.1f ms, %u failed; "
           "CPU per sync %.2f ms clients + %.2f ms server\n",
           N_CLIENTS, seconds, crowd.latencies->len, crowd.latencies->len / seconds,
           times[crowd.latencies->len / 2], times[crowd.latencies->len * 99 / 100], crowd.failures,
           cpu_client * 1000.0 / MAX (crowd.latencies->len, 1),
           cpu_server * 1000.0 / MAX (crowd.latencies->len, 1));

  for (guint i = 0; i < N_CLIENTS; i++)
    {
      g_clear_object (&crowd.clients[i].sync);
      g_free (crowd.clients[i].household);
    }
  g_array_unref (crowd.latencies);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *self_dir = g_path_get_dirname (argv[0]);
  g_autofree char *households = g_strdup (argc > 1 ? argv[1] : "20000");
  const char *phases = argc > 2 ? argv[2] : "all";
  Bench bench = { 0, };
  double start;
  int status;

  bench.server = g_strdup (g_getenv ("SANMEN_SERVER"));
  if (bench.server == NULL)
    bench.server = g_build_filename (self_dir, "..", "..", "sync-server", "sanmen-server", NULL);
  bench.dir = g_dir_make_tmp ("sanmen-bench-sync-XXXXXX", &error);
  g_assert_no_error (error);
  bench.data = g_build_filename (bench.dir, "server", NULL);

  start = now_s ();
  run_cli (&bench, NULL, "demo", "--households", households, NULL);
  g_print ("bench-sync: demo community of %s households loaded into the server in %.1f s\n",
           households, now_s () - start);
  start_server (&bench);

  if (!g_str_equal (phases, "steady"))
    {
      bootstrap (&bench, "bootstrap-gzip", TRUE);
      bootstrap (&bench, "bootstrap-plain", FALSE);
    }
  if (!g_str_equal (phases, "bootstrap"))
    {
      incremental (&bench);
      concurrent (&bench);
    }

  kill (bench.pid, SIGTERM);
  waitpid (bench.pid, &status, 0);
  sm_test_remove_tree (bench.dir);
  g_free (bench.server);
  g_free (bench.dir);
  g_free (bench.data);
  g_free (bench.url);

  return 0;
}
