/* test-reconcile.c — a conflict from two workers' edits to the office's resolution, end to end
 *
 * Starts the real sanmen-server ($SANMEN_SERVER) on 127.0.0.1 with a fresh data folder,
 * makes a grid, two workers and an office user through its command line, and drives four
 * replicas (SmStore files with their own SmSync) through the main loop: two workers edit
 * one field offline, both sync, the server records one conflict naming both workers; the
 * office pulls it, takes the other value with sm_conflict_resolve() and syncs; the workers
 * sync again. Every replica ends with the chosen value; the conflict is resolved on the
 * server and on every office replica, and the digests agree.
 *
 * Also the rule for conflict records (sm_conflict_field_is_office_writable): a worker may
 * write no field of one, the office only status and resolution of one that exists.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <sqlite3.h>
#include <string.h>

#include "sanmen-core.h"
#include "sm-test-client.h"
#include "sm-test-server.h"
#include "sm-test-util.h"

#define GRID "g1"

/* ---------------------------------------------------------------- the server */

/* The real server with the grid and users below; its temporary folder holds the
 * clients' replicas too. */
typedef struct {
  SmTestServer *server;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const SmTestGrid grids[] = { { GRID, "一网格" } };
  const SmTestUser users[] = {
    { "w1", "张三", "worker", GRID },
    { "w2", "李四", "worker", GRID },
    { "office", "王主任", "office", NULL },
  };

  fixture->server = sm_test_client_serve ("reconcile", grids, G_N_ELEMENTS (grids),
                                          users, G_N_ELEMENTS (users));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->server, sm_test_server_free);
}

#define SKIP_WITHOUT_SERVER(fixture) \
  G_STMT_START { if ((fixture)->server == NULL) return; } G_STMT_END

/* The server's own digest of its replica (`sanmen-server check`, safe while serving). */
static char *
server_digest (Fixture *fixture)
{
  g_autofree char *out = sm_test_server_cli (fixture->server, NULL, 0, "check", NULL);
  const char *line = strstr (out, "digest ");

  g_assert_nonnull (line);
  return g_strndup (line + strlen ("digest "), strcspn (line + strlen ("digest "), "\n"));
}

/* ---------------------------------------------------------------- clients */

static void
update_notes (SmTestClient *client,
              const char   *id,
              const char   *notes)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sm_store_update_with (client->store, "household", id, &error,
                                       "notes", g_variant_new_string (notes), NULL));
  g_assert_no_error (error);
}

/* The writes the server refused this replica, by table and field: "table.field:code …". */
static char *
rejected_codes (SmTestClient *client)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) codes = g_string_new (NULL);
  sqlite3_stmt *stmt = sm_store_prepare (client->store, "SELECT tbl, field, code FROM rejected ORDER BY tbl, field, seq", &error);

  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (codes, "%s%s.%s:%s", codes->len > 0 ? " " : "",
                            sqlite3_column_text (stmt, 0), sqlite3_column_text (stmt, 1),
                            sqlite3_column_text (stmt, 2));
  sqlite3_reset (stmt);

  return g_string_free (g_steal_pointer (&codes), FALSE);
}

/* ---------------------------------------------------------------- tests */

/* Two workers (w1, w2) and the office signed in, and the household whose notes both
 * workers edited offline. The office has not synced yet. */
typedef struct {
  SmTestClient *w1;
  SmTestClient *w2;
  SmTestClient *office;
  char         *household_id;
} Scene;

static void
scene_free (Scene *scene)
{
  g_clear_pointer (&scene->w1, sm_test_client_free);
  g_clear_pointer (&scene->w2, sm_test_client_free);
  g_clear_pointer (&scene->office, sm_test_client_free);
  g_free (scene->household_id);
  g_free (scene);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Scene, scene_free)

static Scene *
make_conflict (Fixture *fixture)
{
  Scene *scene = g_new0 (Scene, 1);
  g_autoptr(GError) error = NULL;
  SmTestClient *w1, *w2;
  const char *id;

  w1 = scene->w1 = sm_test_client_new (fixture->server, "w1", "w1");
  w2 = scene->w2 = sm_test_client_new (fixture->server, "w2", "w2");
  scene->office = sm_test_client_new (fixture->server, "office", "office");
  id = scene->household_id = sm_store_create_with (w1->store, "household", GRID, &error,
                                                   "address", g_variant_new_string ("幸福路8号3单元502"),
                                                   "tenure", g_variant_new_string ("existing"),
                                                   "notes", g_variant_new_string ("原来的备注"),
                                                   NULL);
  g_assert_no_error (error);
  sm_test_client_sync (w1);
  sm_test_client_sync (w2);

  /* Offline, one after the other: 李四's clock is the later, so his value wins. */
  update_notes (w1, id, "独居老人，周三上门");
  g_usleep (5000);
  update_notes (w2, id, "已搬走，房屋出租");
  sm_test_client_sync (w1);
  sm_test_client_sync (w2);
  sm_test_client_sync (w1);

  return scene;
}

/* The office syncs and finds the one open conflict; returns its id. */
static char *
pull_conflict (SmTestClient *office)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) open = NULL;

  sm_test_client_sync (office);
  open = sm_conflict_list_open (office->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (open->len, ==, 1);
  return g_strdup (((SmConflict *) g_ptr_array_index (open, 0))->id);
}

static void
test_reconcile (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(Scene) scene = NULL;
  g_autoptr(SmTestClient) office2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) open = NULL;
  const char *household_id;
  g_autofree char *conflict_id = NULL;
  g_autofree char *digest_w1 = NULL;
  g_autofree char *digest_w2 = NULL;
  g_autofree char *digest_office = NULL;
  g_autofree char *digest_office2 = NULL;
  g_autofree char *digest_server = NULL;
  SmConflict *c;

  SKIP_WITHOUT_SERVER (fixture);

  scene = make_conflict (fixture);
  household_id = scene->household_id;

  /* Both workers hold the winner; workers never hold conflict records. */
  {
    g_autofree char *n1 = sm_test_client_string (scene->w1, "household", household_id, "notes");
    g_autofree char *n2 = sm_test_client_string (scene->w2, "household", household_id, "notes");

    g_assert_cmpstr (n1, ==, "已搬走，房屋出租");
    g_assert_cmpstr (n2, ==, "已搬走，房屋出租");
    g_assert_cmpint (sm_test_client_count (scene->w1, "conflict"), ==, 0);
    g_assert_cmpint (sm_test_client_count (scene->w2, "conflict"), ==, 0);
  }

  /* The office pulls exactly one conflict, naming both workers. */
  sm_test_client_sync (scene->office);
  g_assert_cmpint (sm_test_client_count (scene->office, "conflict"), ==, 1);
  g_assert_cmpint (sm_conflict_count_open (scene->office->store, &error), ==, 1);
  g_assert_no_error (error);
  open = sm_conflict_list_open (scene->office->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (open->len, ==, 1);
  c = g_ptr_array_index (open, 0);
  g_assert_cmpstr (c->record_label, ==, "幸福路8号3单元502");
  g_assert_cmpstr (c->field->name, ==, "notes");
  g_assert_cmpstr (c->row_id, ==, household_id);
  g_assert_cmpstr (c->winner_value, ==, "已搬走，房屋出租");
  g_assert_cmpstr (c->winner_user, ==, "李四");
  g_assert_cmpstr (c->other_value, ==, "独居老人，周三上门");
  g_assert_cmpstr (c->other_user, ==, "张三");
  g_assert_cmpuint (c->other_hlc, <, c->winner_hlc);
  g_assert_cmpint (c->current, ==, SM_CONFLICT_CURRENT_WINNER);
  conflict_id = g_strdup (c->id);

  /* Take the other value, and sync it. */
  g_assert_true (sm_conflict_resolve (scene->office->store, conflict_id, SM_CONFLICT_TAKE_OTHER, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sm_store_outbox_count (scene->office->store, NULL), ==, 3);
  sm_test_client_sync (scene->office);
  g_assert_cmpint (sm_store_rejected_count (scene->office->store, NULL), ==, 0);

  sm_test_client_sync (scene->w1);
  sm_test_client_sync (scene->w2);

  /* Every replica holds the chosen value; the workers agree to the last clock. */
  {
    SmTestClient *all[] = { scene->w1, scene->w2, scene->office };

    for (guint i = 0; i < G_N_ELEMENTS (all); i++)
      {
        g_autofree char *notes = sm_test_client_string (all[i], "household", household_id, "notes");

        g_assert_cmpstr (notes, ==, "独居老人，周三上门");
      }
  }
  digest_w1 = sm_test_client_digest (scene->w1);
  digest_w2 = sm_test_client_digest (scene->w2);
  g_assert_cmpstr (digest_w1, ==, digest_w2);

  /* The office's replica is the server's: the resolution reached it, no new conflict. */
  {
    g_autofree char *status = sm_test_client_string (scene->office, "conflict", conflict_id, "status");
    g_autofree char *resolution = sm_test_client_string (scene->office, "conflict", conflict_id, "resolution");

    g_assert_cmpstr (status, ==, "resolved");
    g_assert_cmpstr (resolution, ==, "take");
    g_assert_cmpint (sm_test_client_count (scene->office, "conflict"), ==, 1);
    g_assert_cmpint (sm_conflict_count_open (scene->office->store, NULL), ==, 0);
  }
  digest_office = sm_test_client_digest (scene->office);
  digest_server = server_digest (fixture);
  g_assert_cmpstr (digest_office, ==, digest_server);

  /* A second office replica made from scratch sees it resolved, and the same state. */
  office2 = sm_test_client_new (fixture->server, "office2", "office");
  sm_test_client_sync (office2);
  {
    g_autofree char *status = sm_test_client_string (office2, "conflict", conflict_id, "status");
    g_autofree char *notes = sm_test_client_string (office2, "household", household_id, "notes");

    g_assert_cmpstr (status, ==, "resolved");
    g_assert_cmpstr (notes, ==, "独居老人，周三上门");
  }
  digest_office2 = sm_test_client_digest (office2);
  g_assert_cmpstr (digest_office2, ==, digest_server);
}

/* Two office replicas reconcile the same conflict differently, neither having seen the
 * other: the field they wrote is a new conflict, between the two of them; the conflict's
 * own resolution is not (it would ask the office to settle the same thing twice). */
static void
test_two_offices (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(Scene) scene = NULL;
  g_autoptr(SmTestClient) office2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) open = NULL;
  const char *household_id;
  g_autofree char *conflict_id = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *digest2 = NULL;
  SmConflict *c;

  SKIP_WITHOUT_SERVER (fixture);

  scene = make_conflict (fixture);
  household_id = scene->household_id;
  office2 = sm_test_client_new (fixture->server, "office2", "office");
  conflict_id = pull_conflict (scene->office);
  sm_test_client_sync (office2);

  g_assert_true (sm_conflict_resolve (scene->office->store, conflict_id, SM_CONFLICT_TAKE_OTHER, NULL, &error));
  g_assert_no_error (error);
  g_usleep (5000);
  g_assert_true (sm_conflict_resolve (office2->store, conflict_id, SM_CONFLICT_KEEP, NULL, &error));
  g_assert_no_error (error);
  sm_test_client_sync (scene->office);
  sm_test_client_sync (office2);
  sm_test_client_sync (scene->office);

  /* One new record, about the notes: the later resolution (keep) holds. */
  g_assert_cmpint (sm_test_client_count (scene->office, "conflict"), ==, 2);
  open = sm_conflict_list_open (scene->office->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (open->len, ==, 1);
  c = g_ptr_array_index (open, 0);
  g_assert_cmpstr (c->field->name, ==, "notes");
  g_assert_cmpstr (c->winner_value, ==, "已搬走，房屋出租");
  g_assert_cmpstr (c->other_value, ==, "独居老人，周三上门");
  g_assert_cmpstr (c->winner_user, ==, "王主任");
  g_assert_cmpstr (c->other_user, ==, "王主任");
  notes = sm_test_client_string (scene->office, "household", household_id, "notes");
  g_assert_cmpstr (notes, ==, "已搬走，房屋出租");
  digest = sm_test_client_digest (scene->office);
  digest2 = sm_test_client_digest (office2);
  g_assert_cmpstr (digest, ==, digest2);
}

static void
test_rule (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(Scene) scene = NULL;
  g_autoptr(GError) error = NULL;
  const char *household_id;
  g_autofree char *conflict_id = NULL;
  g_autofree char *forged_id = NULL;
  g_autofree char *codes = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  SKIP_WITHOUT_SERVER (fixture);

  scene = make_conflict (fixture);
  household_id = scene->household_id;
  conflict_id = pull_conflict (scene->office);
  before = server_digest (fixture);

  /* A worker cannot make one (nor write any field of one). */
  forged_id = sm_store_create_with (scene->w1->store, "conflict", GRID, &error,
                                    "table_name", g_variant_new_string ("household"),
                                    "row_id", g_variant_new_string (household_id),
                                    "field", g_variant_new_string ("notes"),
                                    "status", g_variant_new_string ("resolved"),
                                    NULL);
  g_assert_no_error (error);
  sm_test_client_sync (scene->w1);
  codes = rejected_codes (scene->w1);
  g_assert_cmpstr (codes, ==, "conflict.field:forbidden conflict.grid_id:forbidden"
                              " conflict.row_id:forbidden conflict.status:forbidden"
                              " conflict.table_name:forbidden");
  g_clear_pointer (&codes, g_free);

  /* The office cannot rewrite what was recorded, nor make a record of its own. */
  g_assert_true (sm_store_update_with (scene->office->store, "conflict", conflict_id, &error,
                                       "winner_value", g_variant_new_string ("改过的"),
                                       "loser_user", g_variant_new_string ("别人"), NULL));
  g_assert_no_error (error);
  g_clear_pointer (&forged_id, g_free);
  forged_id = sm_store_create_with (scene->office->store, "conflict", GRID, &error,
                                    "table_name", g_variant_new_string ("household"),
                                    "row_id", g_variant_new_string (household_id),
                                    "field", g_variant_new_string ("notes"),
                                    "status", g_variant_new_string ("open"),
                                    NULL);
  g_assert_no_error (error);
  sm_test_client_sync (scene->office);
  codes = rejected_codes (scene->office);
  g_test_message ("office refused: %s", codes);
  g_assert_nonnull (strstr (codes, "conflict.winner_value:forbidden"));
  g_assert_nonnull (strstr (codes, "conflict.loser_user:forbidden"));
  g_assert_nonnull (strstr (codes, "conflict.table_name:forbidden"));
  /* A new record's status is refused too: the record does not exist on the server. */
  g_assert_nonnull (strstr (codes, "conflict.status:forbidden"));
  g_assert_null (strstr (codes, ":invalid"));
  g_clear_pointer (&codes, g_free);
  after = server_digest (fixture);
  g_assert_cmpstr (before, ==, after);

  /* The office may reconcile it: status and resolution are accepted. */
  g_assert_true (sm_conflict_resolve (scene->office->store, conflict_id, SM_CONFLICT_KEEP, NULL, &error));
  g_assert_no_error (error);
  {
    gint64 refused = sm_store_rejected_count (scene->office->store, NULL);

    sm_test_client_sync (scene->office);
    g_assert_cmpint (sm_store_rejected_count (scene->office->store, NULL), ==, refused);
  }
  g_clear_pointer (&after, g_free);
  after = server_digest (fixture);
  g_assert_cmpstr (before, !=, after);

  /* And a worker may not reconcile, even one whose grid the record is in. */
  {
    g_autoptr(GPtrArray) changes = sm_change_batch_new ();
    const SmField *status = sm_table_lookup_field (sm_schema_lookup_table ("conflict"), "status");
    SmHlc hlc = sm_hlc_tick (sm_store_get_last_hlc (scene->w2->store), sm_hlc_now_ms ());

    /* As a modified client would: the record through the merge path, then a local edit. */
    g_ptr_array_add (changes, sm_change_new (status, conflict_id, GRID, g_variant_new_string ("open"),
                                             hlc, "0123456789abcdef0123456789abcdef", SM_HLC_ZERO));
    g_assert_true (sm_store_apply (scene->w2->store, changes, NULL, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (sm_store_update_with (scene->w2->store, "conflict", conflict_id, &error,
                                         "status", g_variant_new_string ("resolved"), NULL));
    g_assert_no_error (error);
    sm_test_client_sync (scene->w2);
    codes = rejected_codes (scene->w2);
    g_assert_cmpstr (codes, ==, "conflict.status:forbidden");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/reconcile/take-other", Fixture, NULL, fixture_set_up, test_reconcile, fixture_tear_down);
  g_test_add ("/reconcile/two-offices", Fixture, NULL, fixture_set_up, test_two_offices, fixture_tear_down);
  g_test_add ("/reconcile/office-rule", Fixture, NULL, fixture_set_up, test_rule, fixture_tear_down);

  return g_test_run ();
}
