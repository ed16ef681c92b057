/* sm-server-cli.c — the command line of sanmen-server
 *
 *   sanmen-server --data DIR serve --listen 127.0.0.1:8008 [--tls-cert PEM --tls-key PEM]
 *   sanmen-server --data DIR grid add ID --name NAME [--community C --subdistrict S]
 *   sanmen-server --data DIR user add LOGIN --name NAME --role worker|office|admin [--grid ID]...
 *   sanmen-server --data DIR user list | user disable LOGIN | user passwd LOGIN
 *   sanmen-server --data DIR demo [--households N]
 *   sanmen-server --data DIR backup FILE
 *   sanmen-server --data DIR check
 *   sanmen-server --data DIR import FILE --grid ID [--dry-run]
 *   sanmen-server --data DIR export --month YYYY-MM --out FILE [--format csv|xlsx]
 *                                    [--report visits|demands|all] [--grid ID]
 *
 * import and export work on the server's replica while the server may be serving (SQLite
 * takes turns between the processes); imported records are pushed through the backend
 * like any sync, so they get sequence numbers and change-log entries and reach the grid's
 * workers on their next sync.
 *
 * Passwords are read from standard input (one line; without echo on a terminal). Output
 * meant for people is translated; "listening on URL" is not, since scripts read it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-server"

#include "sm-server-cli.h"

#include <glib-unix.h>
#include <signal.h>
#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "sm-auth.h"
#include "sm-backend-sqlite.h"
#include "sm-server-error.h"
#include "sm-server.h"

typedef int (*CommandFunc) (SmBackend  *backend,
                            int         argc,
                            char      **argv,
                            GError    **error);

static const SmActor cli_actor = { "cli", "local" };

/* ---------------------------------------------------------------- helpers */

static GOptionContext *
command_context (const char   *parameter,
                 const char   *summary,
                 GOptionEntry *entries)
{
  GOptionContext *context = g_option_context_new (parameter);

  g_option_context_set_summary (context, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  return context;
}

static gboolean
usage_error (GError     **error,
             const char  *message)
{
  g_set_error_literal (error, SM_SERVER_ERROR, SM_SERVER_ERROR_INVALID_ARGUMENT, message);
  return FALSE;
}

/* One line from standard input, without echo when it is a terminal. */
static char *
read_password (const char  *prompt,
               GError     **error)
{
  struct termios saved, quiet;
  gboolean terminal = isatty (STDIN_FILENO);
  char buffer[1100];
  gsize length;

  if (terminal)
    {
      g_printerr ("%s", prompt);
      tcgetattr (STDIN_FILENO, &saved);
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }

  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    buffer[0] = '\0';

  if (terminal)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      g_printerr ("\n");
    }

  length = strlen (buffer);
  while (length > 0 && (buffer[length - 1] == '\n' || buffer[length - 1] == '\r'))
    buffer[--length] = '\0';

  if (length == 0)
    {
      g_set_error_literal (error, SM_SERVER_ERROR, SM_SERVER_ERROR_INVALID_ARGUMENT,
                           _("No password was given on standard input"));
      return NULL;
    }

  return g_strdup (buffer);
}

static gboolean
parse_listen (const char  *text,
              char       **out_host,
              guint       *out_port,
              GError     **error)
{
  const char *colon = strrchr (text, ':');
  guint64 port;

  if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &port, NULL))
    {
      g_set_error (error, SM_SERVER_ERROR, SM_SERVER_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not ADDRESS:PORT, e.g. 127.0.0.1:8008"), text);
      return FALSE;
    }

  /* "[::1]:8008" → "::1" */
  if (text[0] == '[' && colon > text + 1 && colon[-1] == ']')
    *out_host = g_strndup (text + 1, (gsize) (colon - text - 2));
  else
    *out_host = g_strndup (text, (gsize) (colon - text));
  *out_port = (guint) port;

  return TRUE;
}

/* ---------------------------------------------------------------- serve */

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static int
cmd_serve (SmBackend  *backend,
           int         argc,
           char      **argv,
           GError    **error)
{
  g_autofree char *listen = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen, N_("Address and port to listen on (port 0: any free port)"), N_("ADDRESS:PORT") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &cert, N_("TLS certificate (PEM)"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &key, N_("TLS private key (PEM)"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = command_context (NULL, _("Serve the sync protocol over HTTP."), entries);
  g_autoptr(SmServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *host = NULL;
  g_autofree char *uri = NULL;
  guint port = 8008;

  if (!g_option_context_parse (context, &argc, &argv, error))
    return 1;
  if (listen != NULL && !parse_listen (listen, &host, &port, error))
    return 1;

  /* A reader that goes away (the pipe a script read the first line from, a closed log)
   * must cost a failed write, not the server. */
  signal (SIGPIPE, SIG_IGN);

  server = sm_server_new (backend);
  if (!(uri = sm_server_listen (server, host ? host : "127.0.0.1", port, cert, key, error)))
    return 1;

  /* Scripts and tests read this line to learn the port: not translated, flushed now. */
  g_print ("listening on %s\n", uri);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);

  g_message ("Stopping");
  return 0;
}

/* ---------------------------------------------------------------- grid */

static int
cmd_grid (SmBackend  *backend,
          int         argc,
          char      **argv,
          GError    **error)
{
  g_autofree char *name = NULL;
  g_autofree char *community = NULL;
  g_autofree char *subdistrict = NULL;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Name of the grid"), N_("NAME") },
    { "community", 0, 0, G_OPTION_ARG_STRING, &community, N_("Community the grid belongs to"), N_("NAME") },
    { "subdistrict", 0, 0, G_OPTION_ARG_STRING, &subdistrict, N_("Subdistrict the community belongs to"), N_("NAME") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = command_context ("add ID", _("Add a grid."), entries);
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                        (GDestroyNotify) g_variant_unref);
  g_autofree char *existing = NULL;
  const char *id;

  if (!g_option_context_parse (context, &argc, &argv, error))
    return 1;
  if (argc != 3 || !g_str_equal (argv[1], "add") || name == NULL)
    return usage_error (error, _("Usage: grid add ID --name NAME [--community C --subdistrict S]")), 1;

  id = argv[2];
  if (!sm_id_is_valid (id))
    return usage_error (error, _("A grid id may only hold letters, digits, “-” and “_”")), 1;

  if ((existing = sm_backend_get_record_grid (backend, sm_schema_lookup_table ("grid"), id, error)))
    {
      g_set_error (error, SM_SERVER_ERROR, SM_SERVER_ERROR_EXISTS, _("There is already a grid “%s”"), id);
      return 1;
    }
  if (error != NULL && *error != NULL)
    return 1;

  g_hash_table_insert (values, "name", g_variant_ref_sink (g_variant_new_string (name)));
  if (community != NULL)
    g_hash_table_insert (values, "community", g_variant_ref_sink (g_variant_new_string (community)));
  if (subdistrict != NULL)
    g_hash_table_insert (values, "subdistrict", g_variant_ref_sink (g_variant_new_string (subdistrict)));

  /* A grid record belongs to itself: workers of the grid receive it. */
  if (!sm_backend_write (backend, "grid", id, id, values, &cli_actor, error))
    return 1;

  g_print (_("Grid %s added.\n"), id);
  return 0;
}

/* ---------------------------------------------------------------- user */

static int
user_add (SmBackend  *backend,
          int         argc,
          char      **argv,
          GError    **error)
{
  g_autofree char *name = NULL;
  g_autofree char *role_text = NULL;
  g_auto(GStrv) grids = NULL;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Full name of the user"), N_("NAME") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role_text, N_("worker, office or admin"), N_("ROLE") },
    { "grid", 0, 0, G_OPTION_ARG_STRING_ARRAY, &grids, N_("A grid the worker serves (repeat for several)"), N_("ID") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = command_context ("add LOGIN", _("Add a user; the password is read from standard input."), entries);
  g_autofree char *password = NULL;
  g_autofree char *hash = NULL;
  SmUser user = { 0, };

  if (!g_option_context_parse (context, &argc, &argv, error))
    return 1;
  if (argc != 3 || name == NULL || role_text == NULL)
    return usage_error (error, _("Usage: user add LOGIN --name NAME --role worker|office|admin [--grid ID]...")), 1;
  if (!sm_role_from_string (role_text, &user.role))
    return usage_error (error, _("The role must be worker, office or admin")), 1;
  if (user.role == SM_ROLE_WORKER && grids == NULL)
    return usage_error (error, _("A worker needs at least one --grid")), 1;

  for (guint i = 0; grids != NULL && grids[i] != NULL; i++)
    {
      g_autofree char *grid = sm_backend_get_record_grid (backend, sm_schema_lookup_table ("grid"), grids[i], error);

      if (grid == NULL)
        {
          if (*error == NULL)
            g_set_error (error, SM_SERVER_ERROR, SM_SERVER_ERROR_NOT_FOUND,
                         _("There is no grid “%s”; add it first with “grid add”"), grids[i]);
          return 1;
        }
    }

  if (!(password = read_password (_("Password: "), error)) ||
      !(hash = sm_auth_hash_password (password, error)))
    return 1;

  user.login = argv[2];
  user.name = name;
  user.grids = grids;
  if (!sm_backend_add_user (backend, &user, hash, error))
    return 1;

  g_print (_("User %s added.\n"), user.login);
  return 0;
}

static int
user_list (SmBackend  *backend,
           GError    **error)
{
  g_autoptr(GPtrArray) users = sm_backend_list_users (backend, error);

  if (users == NULL)
    return 1;

  for (guint i = 0; i < users->len; i++)
    {
      SmUser *user = g_ptr_array_index (users, i);
      g_autofree char *grids = user->grids ? g_strjoinv (",", user->grids) : g_strdup ("");

      g_print ("%s\t%s\t%s\t%s%s\n", user->login, user->name, sm_role_to_string (user->role), grids,
               user->disabled ? _("\t(disabled)") : "");
    }

  return 0;
}

static int
cmd_user (SmBackend  *backend,
          int         argc,
          char      **argv,
          GError    **error)
{
  const char *usage = _("Usage: user add|list|disable|passwd …");

  if (argc < 2)
    return usage_error (error, usage), 1;

  if (g_str_equal (argv[1], "add"))
    return user_add (backend, argc, argv, error);

  if (g_str_equal (argv[1], "list") && argc == 2)
    return user_list (backend, error);

  if (g_str_equal (argv[1], "disable") && argc == 3)
    {
      gboolean disabled = TRUE;

      if (!sm_backend_update_user (backend, argv[2], &disabled, NULL, error))
        return 1;
      g_print (_("User %s disabled; their sessions are ended.\n"), argv[2]);
      return 0;
    }

  if (g_str_equal (argv[1], "passwd") && argc == 3)
    {
      g_autofree char *password = NULL;
      g_autofree char *hash = NULL;

      if (!(password = read_password (_("New password: "), error)) ||
          !(hash = sm_auth_hash_password (password, error)) ||
          !sm_backend_update_user (backend, argv[2], NULL, hash, error))
        return 1;
      g_print (_("Password of %s changed; their sessions are ended.\n"), argv[2]);
      return 0;
    }

  return usage_error (error, usage), 1;
}

/* ---------------------------------------------------------------- demo */

typedef struct {
  SmBackend *backend;
  guint      n_changes;
} DemoLoad;

static gboolean
demo_chunk_cb (GPtrArray  *changes,
               gpointer    user_data,
               GError    **error)
{
  DemoLoad *load = user_data;

  load->n_changes += changes->len;
  return sm_backend_push (load->backend, changes, &cli_actor, NULL, error);
}

static int
cmd_demo (SmBackend  *backend,
          int         argc,
          char      **argv,
          GError    **error)
{
  int households = 0;
  GOptionEntry entries[] = {
    { "households", 0, 0, G_OPTION_ARG_INT, &households, N_("Number of households (default 400)"), N_("N") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = command_context (NULL, _("Load the demo community and its users."), entries);
  SmDemoOptions options;
  DemoLoad load = { backend, 0 };
  /* Demo passwords are printed: this is for trying Sanmen out, never for real data. */
  struct { const char *login, *name, *password; SmRole role; } people[] = {
    { "admin", "管理员", "sanmen-admin", SM_ROLE_ADMIN },
    { "office", "社区办公室", "sanmen-office", SM_ROLE_OFFICE },
  };

  if (!g_option_context_parse (context, &argc, &argv, error))
    return 1;
  if (argc != 1)
    return usage_error (error, _("Usage: demo [--households N]")), 1;

  sm_demo_options_init (&options);
  if (households > 0)
    options.n_households = (guint) households;
  options.site = sm_backend_get_site (backend);
  /* A history that ends today, as sanmen-demo makes it: the Today lists then show what a
   * real grid would (households not visited for 30 days, new residents not knocked). */
  options.now_unix = g_get_real_time () / G_USEC_PER_SEC;

  if (!sm_demo_generate (&options, demo_chunk_cb, &load, error))
    return 1;
  g_print (_("Demo community loaded: %u households in %u grids (%u field writes).\n"),
           options.n_households, options.n_grids, load.n_changes);

  g_print (_("Demo users (login / password):\n"));
  for (guint i = 0; i < G_N_ELEMENTS (people) + options.n_grids; i++)
    {
      g_autofree char *login = NULL, *name = NULL, *password = NULL, *hash = NULL;
      g_autofree char *grid = NULL;
      char *grids[2] = { NULL, NULL };
      SmUser user = { 0, };
      g_autoptr(GError) local_error = NULL;

      if (i < G_N_ELEMENTS (people))
        {
          login = g_strdup (people[i].login);
          name = g_strdup (people[i].name);
          password = g_strdup (people[i].password);
          user.role = people[i].role;
        }
      else
        {
          guint g = i - G_N_ELEMENTS (people);

          login = g_strdup_printf ("worker%02u", g + 1);
          /* Demo data, like the community's names: Chinese whatever the UI language. */
          name = g_strdup_printf ("网格员%02u", g + 1);
          password = g_strdup_printf ("sanmen-worker%02u", g + 1);
          grid = sm_demo_grid_id (g);
          grids[0] = grid;
          user.role = SM_ROLE_WORKER;
          user.grids = grids;
        }

      user.login = login;
      user.name = name;
      if (!(hash = sm_auth_hash_password (password, error)))
        return 1;
      if (!sm_backend_add_user (backend, &user, hash, &local_error))
        {
          /* Loading the demo twice keeps the users it made the first time. */
          if (!g_error_matches (local_error, SM_SERVER_ERROR, SM_SERVER_ERROR_EXISTS))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return 1;
            }
        }

      g_print ("  %-10s %-18s %s%s%s\n", login, password, sm_role_to_string (user.role),
               grid ? " " : "", grid ? grid : "");
    }

  return 0;
}

/* ---------------------------------------------------------------- backup, check */

static int
cmd_backup (SmBackend  *backend,
            int         argc,
            char      **argv,
            GError    **error)
{
  if (argc != 2)
    return usage_error (error, _("Usage: backup FILE")), 1;

  if (!sm_backend_backup (backend, argv[1], error))
    return 1;

  g_print (_("Backed up to %s.\n"), argv[1]);
  return 0;
}

static int
cmd_check (SmBackend  *backend,
           int         argc,
           char      **argv,
           GError    **error)
{
  g_autofree char *digest = NULL;

  if (argc != 1)
    return usage_error (error, _("Usage: check")), 1;

  if (!sm_backend_check (backend, error) || !(digest = sm_backend_compute_digest (backend, error)))
    return 1;

  g_print (_("The database is consistent.\n"));
  /* Machine-readable, for tests that compare replicas. */
  g_print ("digest %s\n", digest);
  return 0;
}

/* ---------------------------------------------------------------- import, export */

typedef struct {
  SmBackend *backend;
  guint      conflicts;
} ImportWrite;

/* One batch of the roster is one push: one transaction, sequenced and audited. */
static gboolean
import_write_cb (GPtrArray  *records,
                 gpointer    user_data,
                 GError    **error)
{
  ImportWrite *write = user_data;
  SmHlc last = sm_backend_get_last_hlc (write->backend);
  SmHlc hlc = sm_hlc_tick (last, sm_hlc_now_ms ());
  g_autoptr(GPtrArray) changes = sm_roster_records_to_changes (records, hlc,
                                                               sm_backend_get_site (write->backend), last);
  SmPushSummary summary = { 0, };

  if (!sm_backend_push (write->backend, changes, &cli_actor, &summary, error))
    return FALSE;
  write->conflicts += summary.conflicts;
  return TRUE;
}

static SmStore *
backend_store (SmBackend  *backend,
               GError    **error)
{
  if (!SM_IS_BACKEND_SQLITE (backend))
    {
      g_set_error_literal (error, SM_SERVER_ERROR, SM_SERVER_ERROR_INVALID_ARGUMENT,
                           _("This command needs the SQLite backend"));
      return NULL;
    }

  return sm_backend_sqlite_get_store (SM_BACKEND_SQLITE (backend));
}

static int
cmd_import (SmBackend  *backend,
            int         argc,
            char      **argv,
            GError    **error)
{
  g_autofree char *grid = NULL;
  gboolean dry_run = FALSE;
  GOptionEntry entries[] = {
    { "grid", 0, 0, G_OPTION_ARG_STRING, &grid, N_("The grid the households belong to"), N_("ID") },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Check the file and report, but write nothing"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    command_context (_("FILE"),
                     _("Import households and residents from a roster saved as CSV (UTF-8 or "
                       "GB18030), one resident per row. Columns are found by their headers: "
                       "姓名 or 户主姓名, 小区, 楼栋, 房号 are needed; 单元, 身份证号, 联系电话, "
                       "与户主关系, 性别, 出生日期, 民族, 政治面貌, 入住日期, 备注 and others are used "
                       "when present (English headers too). Households already present (same "
                       "compound, building, unit and room) and residents already present (same "
                       "ID number, else same name in the household) are left as they are, so "
                       "importing a file again writes nothing. Every bad row is listed with its "
                       "line and reason and is not imported."),
                     entries);
  g_autoptr(GFile) file = NULL;
  g_autoptr(SmRosterReport) report = NULL;
  ImportWrite write = { backend, 0 };
  SmRosterOptions options;
  SmStore *store;

  if (!g_option_context_parse (context, &argc, &argv, error))
    return 1;
  if (argc != 2 || grid == NULL)
    return usage_error (error, _("Usage: import FILE --grid ID [--dry-run]")), 1;
  if (!(store = backend_store (backend, error)))
    return 1;

  sm_roster_options_init (&options, grid);
  options.dry_run = dry_run;
  file = g_file_new_for_commandline_arg (argv[1]);
  if (!(report = sm_roster_import_file (store, file, &options, import_write_cb, &write, NULL, error)))
    return 1;

  /* One line per problem, tab-separated for scripts: line, reason code, column, message. */
  for (guint i = 0; i < report->issues->len; i++)
    {
      SmRosterIssue *issue = g_ptr_array_index (report->issues, i);

      g_print (_("line %u\t%s\t%s\t%s\n"), issue->line, sm_roster_issue_code_to_string (issue->code),
               issue->column ? issue->column : "-", issue->message);
    }

  for (guint i = 0; i < report->ignored_columns->len; i++)
    g_print (_("Column “%s” is not used.\n"), (const char *) g_ptr_array_index (report->ignored_columns, i));

  g_print (_("Read %u rows (%s); %u with problems were left out.\n"), report->n_rows,
           report->encoding, report->n_bad_rows);
  g_print (_("Households: %u added, %u already present.\n"), report->households_added,
           report->households_unchanged);
  g_print (_("Residents: %u added, %u already present.\n"), report->residents_added,
           report->residents_unchanged);
  g_print (_("Compounds added: %u; buildings added: %u.\n"), report->compounds_added,
           report->buildings_added);
  if (dry_run)
    g_print (_("Dry run: nothing was written.\n"));
  else
    g_print (_("Field writes: %u.\n"), report->n_writes);

  return 0;
}

static int
cmd_export (SmBackend  *backend,
            int         argc,
            char      **argv,
            GError    **error)
{
  g_autofree char *month = NULL;
  g_autofree char *format_text = NULL;
  g_autofree char *out = NULL;
  g_autofree char *report_text = NULL;
  g_autofree char *grid = NULL;
  GOptionEntry entries[] = {
    { "month", 0, 0, G_OPTION_ARG_STRING, &month, N_("The month, in China time"), N_("YYYY-MM") },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, N_("The file to write"), N_("FILE") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, N_("csv or xlsx (default: from the file name, else csv)"), N_("FORMAT") },
    { "report", 0, 0, G_OPTION_ARG_STRING, &report_text, N_("visits, demands or all (default all)"), N_("REPORT") },
    { "grid", 0, 0, G_OPTION_ARG_STRING, &grid, N_("Only this grid (default: every grid)"), N_("ID") },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    command_context (NULL,
                     _("Export the monthly reports. “visits” is two tables: visits by grid "
                       "worker (敲门, 串门, 上门, households visited, outcomes) and visits by "
                       "household (every household, visited or not); “demands” is the demand "
                       "ledger of the demands reported in the month. XLSX puts each table on "
                       "its own sheet; CSV (UTF-8 with BOM) holds one table as it is, several "
                       "as sections, each a title line, a header and its rows. ID numbers and "
                       "phones are never exported."),
                     entries);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) users = NULL;
  SmReportFormat format = SM_REPORT_FORMAT_CSV;
  SmReportOptions options;
  SmStore *store;

  if (!g_option_context_parse (context, &argc, &argv, error))
    return 1;
  if (argc != 1 || month == NULL || out == NULL)
    return usage_error (error, _("Usage: export --month YYYY-MM --out FILE [--format csv|xlsx] "
                                 "[--report visits|demands|all] [--grid ID]")), 1;

  if (format_text != NULL ? g_str_equal (format_text, "xlsx")
                          : g_str_has_suffix (out, ".xlsx") || g_str_has_suffix (out, ".XLSX"))
    format = SM_REPORT_FORMAT_XLSX;
  else if (format_text != NULL && !g_str_equal (format_text, "csv"))
    return usage_error (error, _("The format must be csv or xlsx")), 1;

  sm_report_options_init (&options, month);
  options.grid_id = grid;
  if (report_text == NULL || g_str_equal (report_text, "all"))
    options.kinds = SM_REPORT_ALL;
  else if (g_str_equal (report_text, "visits"))
    options.kinds = SM_REPORT_VISITS;
  else if (g_str_equal (report_text, "demands"))
    options.kinds = SM_REPORT_DEMANDS;
  else
    return usage_error (error, _("The report must be visits, demands or all")), 1;

  if (!(store = backend_store (backend, error)))
    return 1;

  /* Visits name their worker by user id or login: show the person's name beside it. */
  if (!(users = sm_backend_list_users (backend, error)))
    return 1;
  for (guint i = 0; i < users->len; i++)
    {
      SmUser *user = g_ptr_array_index (users, i);

      g_hash_table_insert (names, g_strdup (user->id), g_strdup (user->name));
      g_hash_table_insert (names, g_strdup (user->login), g_strdup (user->name));
    }
  options.worker_names = names;

  if (!sm_report_export (store, &options, format, out, error))
    return 1;

  g_print (_("Report for %s written to %s.\n"), month, out);
  return 0;
}

/* ---------------------------------------------------------------- main */

static const struct {
  const char  *name;
  CommandFunc  func;
} commands[] = {
  { "serve", cmd_serve },
  { "grid", cmd_grid },
  { "user", cmd_user },
  { "demo", cmd_demo },
  { "backup", cmd_backup },
  { "check", cmd_check },
  { "import", cmd_import },
  { "export", cmd_export },
};

int
sm_server_cli_run (int    argc,
                   char **argv)
{
  g_autofree char *data_dir = NULL;
  GOptionEntry entries[] = {
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir, N_("Folder of the server’s database"), N_("DIR") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SmBackend) backend = NULL;
  CommandFunc func = NULL;
  int status;

  context = command_context (_("COMMAND …"),
                             _("The Sanmen sync server.\n\n"
                               "Commands: serve, grid add, user add|list|disable|passwd, demo, backup, check, "
                               "import, export"),
                             entries);
  /* Options after the command are the command's own. */
  g_option_context_set_strict_posix (context, TRUE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("sanmen-server: %s\n", error->message);
      return 2;
    }

  if (argc < 2)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_printerr ("%s", help);
      return 2;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      func = commands[i].func;

  if (func == NULL)
    {
      g_printerr (_("sanmen-server: unknown command “%s”\n"), argv[1]);
      return 2;
    }

  if (data_dir == NULL)
    {
      g_printerr (_("sanmen-server: --data DIR is required\n"));
      return 2;
    }

  if (!sm_auth_init (&error) || !(backend = sm_backend_sqlite_open (data_dir, &error)))
    {
      g_printerr ("sanmen-server: %s\n", error->message);
      return 1;
    }

  status = func (backend, argc - 1, argv + 1, &error);
  if (status != 0 && error != NULL)
    g_printerr ("sanmen-server: %s\n", error->message);

  return status;
}
