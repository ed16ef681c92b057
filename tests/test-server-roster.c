/* test-server-roster.c — `sanmen-server import` and `export` against a serving server
 *
 * The real server serves 127.0.0.1 on a free port while its command line imports a
 * roster into the same database: the records must go through the backend (sequence
 * numbers, change log), so a grid worker's client pulls them on its next sync, and a
 * worker of another grid does not. Importing again writes nothing and the worker pulls
 * nothing. Then the worker records a visit and a demand, syncs, and `export` writes the
 * month's reports as CSV and XLSX.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "sanmen-core.h"
#include "sm-test-server.h"
#include "sm-test-util.h"

/* The server the roster is imported into while it serves; its temporary folder holds the
 * clients' replicas and the files imported and exported too. */
static SmTestServer *server;

/* ---------------------------------------------------------------- clients */

typedef struct {
  char    *path;
  SmStore *store;
  SmSync  *sync;
  guint    pulled;
} Client;

static void
applied_cb (SmSync    *sync,
            GPtrArray *changes,
            gpointer   user_data)
{
  ((Client *) user_data)->pulled += changes->len;
}

static Client *
client_new (const char *login,
            const char *password)
{
  Client *client = g_new0 (Client, 1);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  client->path = g_strdup_printf ("%s/%s.db", server->root, login);
  client->store = sm_store_open (client->path, &error);
  g_assert_no_error (error);
  client->sync = sm_sync_new (client->store, server->url);
  g_signal_connect (client->sync, "applied", G_CALLBACK (applied_cb), client);

  sm_sync_login_async (client->sync, login, password, NULL, sm_test_store_result_cb, &result);
  g_assert_true (sm_sync_login_finish (client->sync, sm_test_await (&result), &token, NULL, &error));
  g_assert_no_error (error);

  return client;
}

static void
client_sync (Client *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  client->pulled = 0;
  sm_sync_run_async (client->sync, NULL, sm_test_store_result_cb, &result);
  g_assert_true (sm_sync_run_finish (client->sync, sm_test_await (&result), &error));
  g_assert_no_error (error);
}

static void
client_free (Client *client)
{
  sm_sync_stop (client->sync);
  g_assert_finalize_object (client->sync);
  g_assert_finalize_object (client->store);
  g_free (client->path);
  g_free (client);
}

static gint64
count (Client     *client,
       const char *table)
{
  g_autoptr(GError) error = NULL;
  gint64 n = sm_store_count (client->store, table, &error);

  g_assert_no_error (error);
  return n;
}

/* ---------------------------------------------------------------- the test */

static const char roster[] =
  "\xEF\xBB\xBF" "户主姓名,姓名,与户主关系,身份证号,联系电话,小区,楼栋,单元,房号\r\n"
  "王建国,王建国,户主,110105194912310038,13800138000,和平小区,1号楼,1单元,101\r\n"
  "王建国,刘芳,配偶,110105195001010020,13800138001,和平小区,1号楼,1单元,101\r\n"
  "陈静,陈静,户主,440301198006151231,1380013800,和平小区,2号楼,1单元,202\r\n"
  "赵磊,赵磊,户主,310104199011024564,13900139000,和平小区,2号楼,2单元,201\r\n"
  "王建国,刘芳,配偶,110105195001010020,13800138001,和平小区,1栋,1,101室\r\n";

/* The month of now in China time, as the reports count it. */
static char *
this_month (void)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("+08:00");
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);

  return g_date_time_format (now, "%Y-%m");
}

static void
test_import_sync_export (void)
{
  g_autofree char *file = g_build_filename (server->root, "roster.csv", NULL);
  g_autofree char *csv = g_build_filename (server->root, "report.csv", NULL);
  g_autofree char *xlsx = g_build_filename (server->root, "report.xlsx", NULL);
  g_autofree char *month = this_month ();
  g_autofree char *out = NULL;
  g_autofree char *text = NULL;
  g_autofree char *household = NULL;
  g_autofree char *stamp = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) households = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  Client *w1, *w2;
  gsize length;

  g_assert_true (g_file_set_contents (file, roster, -1, &error));

  g_free (sm_test_server_cli (server, NULL, 0, "grid", "add", "grid-01", "--name", "和平社区第1网格", NULL));
  g_free (sm_test_server_cli (server, NULL, 0, "grid", "add", "grid-02", "--name", "和平社区第2网格", NULL));
  g_free (sm_test_server_cli (server, "password-w1\n", 0, "user", "add", "w1", "--name", "网格员甲", "--role", "worker",
               "--grid", "grid-01", NULL));
  g_free (sm_test_server_cli (server, "password-w2\n", 0, "user", "add", "w2", "--name", "网格员乙", "--role", "worker",
               "--grid", "grid-02", NULL));

  sm_test_server_start (server, 0);
  w1 = client_new ("w1", "password-w1");
  w2 = client_new ("w2", "password-w2");
  client_sync (w1);
  client_sync (w2);
  g_assert_cmpint (count (w1, "household"), ==, 0);

  /* A dry run while serving: the report, and nothing written. */
  out = sm_test_server_cli (server, NULL, 0, "import", file, "--grid", "grid-01", "--dry-run", NULL);
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "line 4\tbad_phone\t联系电话\t"));
  g_assert_nonnull (strstr (out, "line 6\tduplicate_row\t身份证号\tThe same resident as on line 3\n"));
  g_assert_nonnull (strstr (out, "Read 5 rows (UTF-8); 2 with problems were left out.\n"));
  g_assert_nonnull (strstr (out, "Households: 2 added, 0 already present.\n"));
  g_assert_nonnull (strstr (out, "Residents: 3 added, 0 already present.\n"));
  g_assert_nonnull (strstr (out, "Dry run: nothing was written.\n"));
  /* The output never shows a phone or an ID number. */
  g_assert_null (strstr (out, "1380013800"));
  g_assert_null (strstr (out, "110105"));
  g_clear_pointer (&out, g_free);

  client_sync (w1);
  g_assert_cmpint (count (w1, "household"), ==, 0);

  out = sm_test_server_cli (server, NULL, 0, "import", file, "--grid", "grid-01", NULL);
  g_assert_nonnull (strstr (out, "Households: 2 added, 0 already present.\n"));
  g_assert_nonnull (strstr (out, "Residents: 3 added, 0 already present.\n"));
  g_assert_nonnull (strstr (out, "Compounds added: 1; buildings added: 2.\n"));
  g_clear_pointer (&out, g_free);

  /* The worker of the grid pulls them; the other grid's worker does not. */
  client_sync (w1);
  g_assert_cmpuint (w1->pulled, >, 0);
  g_assert_cmpint (count (w1, "compound"), ==, 1);
  g_assert_cmpint (count (w1, "building"), ==, 2);
  g_assert_cmpint (count (w1, "household"), ==, 2);
  g_assert_cmpint (count (w1, "resident"), ==, 3);
  households = sm_store_list_households (w1->store, "grid-01", NULL, 0, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < households->len; i++)
    if (g_str_equal (sm_record_get_string (g_ptr_array_index (households, i), "address"),
                     "和平小区 1号楼 1单元 101"))
      household = g_strdup (sm_record_get_id (g_ptr_array_index (households, i)));
  g_assert_nonnull (household);
  client_sync (w2);
  g_assert_cmpuint (w2->pulled, ==, 0);
  g_assert_cmpint (count (w2, "household"), ==, 0);

  /* Again: nothing written, nothing to pull. */
  out = sm_test_server_cli (server, NULL, 0, "import", file, "--grid", "grid-01", NULL);
  g_assert_nonnull (strstr (out, "Households: 0 added, 2 already present.\n"));
  g_assert_nonnull (strstr (out, "Residents: 0 added, 3 already present.\n"));
  g_assert_nonnull (strstr (out, "Field writes: 0.\n"));
  g_clear_pointer (&out, g_free);
  client_sync (w1);
  g_assert_cmpuint (w1->pulled, ==, 0);

  /* The worker visits and reports a demand; the office exports the month. */
  stamp = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_free (sm_store_create_with (w1->store, "visit", "grid-01", &error,
                                "household_id", g_variant_new_string (household),
                                "kind", g_variant_new_string ("knock"),
                                "visited_at", g_variant_new_string (stamp),
                                "worker_id", g_variant_new_string ("w1"),
                                "outcome", g_variant_new_string ("met"), NULL));
  g_assert_no_error (error);
  g_free (sm_store_create_with (w1->store, "demand", "grid-01", &error,
                                "household_id", g_variant_new_string (household),
                                "source", g_variant_new_string ("visit"),
                                "category", g_variant_new_string ("环境卫生"),
                                "title", g_variant_new_string ("楼道堆物，电话13800138000"),
                                "level", g_variant_new_string ("building"),
                                "reported_at", g_variant_new_string (stamp), NULL));
  g_assert_no_error (error);
  client_sync (w1);
  g_assert_cmpuint (sm_sync_get_pending (w1->sync), ==, 0);

  out = sm_test_server_cli (server, NULL, 0, "export", "--month", month, "--format", "csv", "--out", csv, NULL);
  g_clear_pointer (&out, g_free);
  g_assert_true (g_file_get_contents (csv, &text, &length, &error));
  g_assert_true (g_str_has_prefix (text, "\xEF\xBB\xBF" "Visits by grid worker\r\n"));
  g_assert_nonnull (strstr (text, "\r\n网格员甲 (w1),1,0,0,1,1,1,0,0\r\n"));
  g_assert_nonnull (strstr (text, "\r\nTotal,1,0,0,1,1,1,0,0\r\n"));
  g_assert_nonnull (strstr (text, "\r\n和平社区第1网格,和平小区 1号楼 1单元 101,Existing resident,No,1,0,0,1,"));
  g_assert_nonnull (strstr (text, "和平社区第1网格,和平小区 2号楼 2单元 201,Existing resident,No,0,0,0,0,\r\n"));
  g_assert_nonnull (strstr (text, ",和平小区 1号楼 1单元 101,环境卫生,楼道堆物，电话138****8000,Within the building,Reported,,,\r\n"));
  g_assert_null (g_strstr_len (text, (gssize) length, "13800138000"));
  g_assert_null (g_strstr_len (text, (gssize) length, "110105194912310038"));
  g_clear_pointer (&text, g_free);

  /* Only the demands, as XLSX. */
  out = sm_test_server_cli (server, NULL, 0, "export", "--month", month, "--report", "demands", "--out", xlsx, NULL);
  g_clear_pointer (&out, g_free);
  g_assert_true (g_file_get_contents (xlsx, &text, &length, &error));
  g_assert_true (g_str_has_prefix (text, "PK"));
  g_clear_pointer (&text, g_free);

  /* Mistakes are refused with a reason. */
  out = sm_test_server_cli (server, NULL, 1, "export", "--month", "2026-13", "--out", csv, NULL);
  g_assert_nonnull (strstr (out, "YYYY-MM"));
  g_clear_pointer (&out, g_free);
  out = sm_test_server_cli (server, NULL, 1, "import", file, "--grid", "grid-09", NULL);
  g_assert_nonnull (strstr (out, "grid-09"));
  g_clear_pointer (&out, g_free);

  client_free (w1);
  client_free (w2);
  sm_test_server_stop (server);

  out = sm_test_server_cli (server, NULL, 0, "check", NULL);
  g_assert_nonnull (strstr (out, "The database is consistent."));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("SANMEN_SERVER") == NULL)
    {
      g_test_skip ("SANMEN_SERVER is not set");
      return 0;
    }

  server = sm_test_server_new ("server-roster", SM_TEST_SERVER_DEFAULT);

  g_test_add_func ("/server/roster/import-sync-export", test_import_sync_export);
  status = g_test_run ();

  g_clear_pointer (&server, sm_test_server_free);
  return status;
}
