/* test-store.c — the local replica on a real SQLite file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <time.h>

#include "sanmen-core.h"
#include "sm-test-util.h"

#define SITE_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SITE_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define GRID "grid-01"

typedef struct {
  char    *dir;
  char    *path;
  SmStore *store;
  guint64  now_ms;
} Fixture;

static guint64
fixture_clock (gpointer user_data)
{
  Fixture *fx = user_data;

  return fx->now_ms;
}

/* GLib 2.74 has no g_ptr_array_reverse(). */
static void
reverse_array (GPtrArray *array)
{
  for (guint i = 0, j = array->len; i + 1 < j; i++, j--)
    {
      gpointer tmp = array->pdata[i];

      array->pdata[i] = array->pdata[j - 1];
      array->pdata[j - 1] = tmp;
    }
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fx->dir = g_dir_make_tmp ("sanmen-store-XXXXXX", &error);
  g_assert_no_error (error);
  fx->path = g_build_filename (fx->dir, "replica.db", NULL);
  fx->store = sm_store_open (fx->path, &error);
  g_assert_no_error (error);
  fx->now_ms = 1790000000000;  /* 2026-09-21 */
  sm_store_set_clock_func (fx->store, fixture_clock, fx);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  g_assert_finalize_object (fx->store);
  sm_test_remove_tree (fx->dir);
  g_free (fx->path);
  g_free (fx->dir);
}

static char *
make_household (Fixture    *fx,
                const char *address)
{
  g_autoptr(GError) error = NULL;
  char *id = sm_store_create_with (fx->store, "household", GRID, &error,
                                   "address", g_variant_new_string (address),
                                   "tenure", g_variant_new_string ("existing"),
                                   NULL);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

static SmChange *
remote (const char *table,
        const char *row,
        const char *field,
        GVariant   *value,
        SmHlc       hlc,
        const char *site,
        SmHlc       base)
{
  const SmField *f = sm_table_lookup_field (sm_schema_lookup_table (table), field);

  g_assert_nonnull (f);
  return sm_change_new (f, row, GRID, value, hlc, site, base);
}

static void
test_open_reopen (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *site = g_strdup (sm_store_get_site (fx->store));
  g_autofree char *id = make_household (fx, "幸福社区1栋101");
  g_autoptr(SmStore) again = NULL;
  g_autoptr(SmRecord) record = NULL;
  SmHlc last = sm_store_get_last_hlc (fx->store);

  g_assert_true (sm_site_is_valid (site));
  g_clear_object (&fx->store);

  again = sm_store_open (fx->path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sm_store_get_site (again), ==, site);
  g_assert_cmphex (sm_store_get_last_hlc (again), ==, last);
  record = sm_store_get (again, "household", id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sm_record_get_string (record, "address"), ==, "幸福社区1栋101");
  g_assert_true (sm_store_check_integrity (again, &error));
  g_assert_no_error (error);

  fx->store = g_steal_pointer (&again);
}

static void
test_open_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sanmen-store-XXXXXX", &error);
  g_autofree char *garbage = g_build_filename (dir, "garbage.db", NULL);
  g_autofree char *newer = g_build_filename (dir, "newer.db", NULL);
  g_autofree char *missing = g_build_filename (dir, "no", "such", "dir.db", NULL);
  sqlite3 *db;
  SmStore *store;

  g_assert_true (g_file_set_contents (garbage, "this is not a database, not at all. ....", -1, NULL));
  store = sm_store_open (garbage, &error);
  g_assert_null (store);
  g_assert_error (error, SM_STORE_ERROR, SM_STORE_ERROR_CORRUPT);
  g_clear_error (&error);

  g_assert_cmpint (sqlite3_open (newer, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  store = sm_store_open (newer, &error);
  g_assert_null (store);
  g_assert_error (error, SM_STORE_ERROR, SM_STORE_ERROR_TOO_NEW);
  g_clear_error (&error);

  store = sm_store_open (missing, &error);
  g_assert_null (store);
  g_assert_error (error, SM_STORE_ERROR, SM_STORE_ERROR_OPEN);
  g_clear_error (&error);

  sm_test_remove_tree (dir);
}

static void
test_create_validation (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *household = make_household (fx, "1栋101");
  char *id;

  /* A required field missing. */
  id = sm_store_create_with (fx->store, "household", GRID, &error,
                             "address", g_variant_new_string ("1栋102"), NULL);
  g_assert_null (id);
  g_assert_error (error, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_REQUIRED);
  g_clear_error (&error);

  /* No grid. */
  id = sm_store_create_with (fx->store, "household", NULL, &error,
                             "address", g_variant_new_string ("1栋102"),
                             "tenure", g_variant_new_string ("new"), NULL);
  g_assert_null (id);
  g_assert_error (error, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_REQUIRED);
  g_clear_error (&error);

  /* A bad mobile number keeps the validation domain and names the field. */
  id = sm_store_create_with (fx->store, "household", GRID, &error,
                             "address", g_variant_new_string ("1栋102"),
                             "tenure", g_variant_new_string ("new"),
                             "phone", g_variant_new_string ("12345"), NULL);
  g_assert_null (id);
  g_assert_error (error, SM_VALIDATE_ERROR, SM_VALIDATE_ERROR_PHONE);
  g_assert_nonnull (strstr (error->message, "Phone"));
  g_clear_error (&error);

  /* A bad ID checksum, and an ID whose birth date disagrees with birth_date. */
  id = sm_store_create_with (fx->store, "resident", GRID, &error,
                             "household_id", g_variant_new_string (household),
                             "name", g_variant_new_string ("张三"),
                             "id_type", g_variant_new_string ("cn_id"),
                             "id_number", g_variant_new_string ("110105194912310021"), NULL);
  g_assert_null (id);
  g_assert_error (error, SM_VALIDATE_ERROR, SM_VALIDATE_ERROR_ID_CHECKSUM);
  g_clear_error (&error);

  id = sm_store_create_with (fx->store, "resident", GRID, &error,
                             "household_id", g_variant_new_string (household),
                             "name", g_variant_new_string ("张三"),
                             "birth_date", g_variant_new_string ("1950-01-01"),
                             "id_number", g_variant_new_string ("11010519491231002X"), NULL);
  g_assert_null (id);
  g_assert_error (error, SM_VALIDATE_ERROR, SM_VALIDATE_ERROR_ID_MISMATCH);
  g_clear_error (&error);

  /* A passport has no checksum. */
  id = sm_store_create_with (fx->store, "resident", GRID, &error,
                             "household_id", g_variant_new_string (household),
                             "name", g_variant_new_string ("John Smith"),
                             "id_type", g_variant_new_string ("passport"),
                             "id_number", g_variant_new_string ("E12345678"), NULL);
  g_assert_no_error (error);
  g_free (id);

  /* Derived and system fields cannot be written; unknown ones are refused. */
  g_assert_false (sm_store_update_with (fx->store, "household", household, &error,
                                        "_deleted", g_variant_new_boolean (TRUE), NULL));
  g_assert_error (error, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_false (sm_store_update_with (fx->store, "household", household, &error,
                                        "colour", g_variant_new_string ("red"), NULL));
  g_assert_error (error, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_UNKNOWN_FIELD);
  g_clear_error (&error);
  g_assert_false (sm_store_update_with (fx->store, "household", "no-such-id", &error,
                                        "notes", g_variant_new_string ("x"), NULL));
  g_assert_error (error, SM_STORE_ERROR, SM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Nothing of the refused writes reached the store or the outbox. */
  g_assert_cmpint (sm_store_count (fx->store, "household", NULL), ==, 1);
  g_assert_cmpint (sm_store_count (fx->store, "resident", NULL), ==, 1);
  g_assert_cmpint (sm_store_outbox_count (fx->store, NULL), ==, 3 + 5);
}

static void
test_demand_status_read_only (Fixture       *fx,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *demand = sm_store_create_with (fx->store, "demand", GRID, &error,
                                                  "source", g_variant_new_string ("visit"),
                                                  "category", g_variant_new_string ("设施维修"),
                                                  "title", g_variant_new_string ("楼道灯坏了"),
                                                  "reported_at", g_variant_new_string ("2026-09-21T01:00:00Z"),
                                                  "status", g_variant_new_string ("resolved"),
                                                  NULL);
  g_assert_null (demand);
  g_assert_error (error, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_READ_ONLY);
}

static void
test_update_and_outbox (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = make_household (fx, "2栋201");
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GArray) seqs = NULL;
  g_autoptr(SmRecord) record = NULL;
  const SmFieldClock *clock;
  SmHlc first;

  /* create wrote address, tenure and grid_id */
  g_assert_cmpint (sm_store_outbox_count (fx->store, NULL), ==, 3);
  record = sm_store_get (fx->store, "household", id, &error);
  first = sm_record_get_clock (record, "address")->hlc;
  g_assert_cmphex (first, ==, sm_hlc_from_parts (fx->now_ms, 0));
  g_clear_object (&record);

  /* Two edits of one field before a sync leave one outbox row, with the newer value and a
   * base that is the first write. */
  g_assert_true (sm_store_update_with (fx->store, "household", id, &error,
                                       "notes", g_variant_new_string ("first"), NULL));
  g_assert_true (sm_store_update_with (fx->store, "household", id, &error,
                                       "notes", g_variant_new_string ("second"),
                                       "tag_low_income", g_variant_new_boolean (TRUE), NULL));
  g_assert_no_error (error);
  g_assert_cmpint (sm_store_outbox_count (fx->store, NULL), ==, 5);

  batch = sm_store_outbox_read (fx->store, 0, &seqs, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (batch->len, ==, 5);
  g_assert_cmpuint (seqs->len, ==, 5);
  for (guint i = 0; i < batch->len; i++)
    {
      SmChange *c = g_ptr_array_index (batch, i);

      g_assert_cmpstr (c->site, ==, sm_store_get_site (fx->store));
      g_assert_cmpstr (c->grid_id, ==, GRID);
      if (g_str_equal (c->field->name, "notes"))
        {
          g_assert_cmpstr (g_variant_get_string (c->value, NULL), ==, "second");
          /* the clock stood still, so the counter moved */
          g_assert_cmphex (c->hlc, ==, sm_hlc_from_parts (fx->now_ms, 2));
          g_assert_cmphex (c->base, ==, sm_hlc_from_parts (fx->now_ms, 1));
        }
      if (i > 0)
        g_assert_cmpint (g_array_index (seqs, gint64, i), >, g_array_index (seqs, gint64, i - 1));
    }

  /* An edit made while a push is in flight survives the ack of the pushed rows. */
  g_assert_true (sm_store_update_with (fx->store, "household", id, &error,
                                       "notes", g_variant_new_string ("third"), NULL));
  g_assert_true (sm_store_outbox_ack (fx->store, (gint64 *) (gpointer) seqs->data, seqs->len, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sm_store_outbox_count (fx->store, NULL), ==, 1);
  g_clear_pointer (&batch, g_ptr_array_unref);
  g_clear_pointer (&seqs, g_array_unref);

  batch = sm_store_outbox_read (fx->store, 10, &seqs, &error);
  g_assert_cmpuint (batch->len, ==, 1);
  g_assert_cmpstr (g_variant_get_string (((SmChange *) batch->pdata[0])->value, NULL), ==, "third");

  /* A rejected change leaves the outbox and is kept with its reason. */
  g_assert_true (sm_store_outbox_reject (fx->store, g_array_index (seqs, gint64, 0), "forbidden",
                                         "not your grid", &error));
  g_assert_no_error (error);
  g_assert_cmpint (sm_store_outbox_count (fx->store, NULL), ==, 0);
  g_assert_cmpint (sm_store_rejected_count (fx->store, NULL), ==, 1);

  record = sm_store_get (fx->store, "household", id, &error);
  g_assert_cmpstr (sm_record_get_string (record, "notes"), ==, "third");
  g_assert_true (sm_record_get_bool (record, "tag_low_income"));
  clock = sm_record_get_clock (record, "notes");
  g_assert_cmpstr (clock->site, ==, sm_store_get_site (fx->store));
}

static void
test_append_only (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *household = make_household (fx, "3栋301");
  g_autofree char *visit = sm_store_create_with (fx->store, "visit", GRID, &error,
                                                 "household_id", g_variant_new_string (household),
                                                 "kind", g_variant_new_string ("knock"),
                                                 "visited_at", g_variant_new_string ("2026-09-21T10:00:00+08:00"),
                                                 "worker_id", g_variant_new_string ("worker-01"),
                                                 "outcome", g_variant_new_string ("met"),
                                                 NULL);
  g_autoptr(SmRecord) record = NULL;

  g_assert_no_error (error);
  record = sm_store_get (fx->store, "visit", visit, &error);
  /* Timestamps are stored canonical, in UTC. */
  g_assert_cmpstr (sm_record_get_string (record, "visited_at"), ==, "2026-09-21T02:00:00Z");

  g_assert_false (sm_store_update_with (fx->store, "visit", visit, &error,
                                        "outcome", g_variant_new_string ("declined"), NULL));
  g_assert_error (error, SM_STORE_ERROR, SM_STORE_ERROR_APPEND_ONLY);
  g_clear_error (&error);

  /* A field never written may still be added once; a mistaken visit may be deleted. */
  g_assert_true (sm_store_update_with (fx->store, "visit", visit, &error,
                                       "notes", g_variant_new_string ("补记"), NULL));
  g_assert_true (sm_store_delete (fx->store, "visit", visit, &error));
  g_assert_no_error (error);
  g_clear_object (&record);
  record = sm_store_get (fx->store, "visit", visit, &error);
  g_assert_true (sm_record_is_deleted (record));
  g_assert_cmpint (sm_store_count (fx->store, "visit", NULL), ==, 0);
}

static void
test_apply_rule (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = sm_change_batch_new ();
  g_autoptr(SmRecord) record = NULL;
  SmApplyResult result = { 0, };
  g_autofree char *cursor = NULL;
  SmHlc h1 = sm_hlc_from_parts (1790000000000, 0);
  SmHlc h2 = sm_hlc_from_parts (1790000001000, 0);

  result.conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) sm_merge_conflict_free);

  /* Two sites write the same field concurrently (both from base 0), in both orders. */
  g_ptr_array_add (batch, remote ("household", "h1", "grid_id", g_variant_new_string (GRID), h1, SITE_A, 0));
  g_ptr_array_add (batch, remote ("household", "h1", "address", g_variant_new_string ("A"), h1, SITE_A, 0));
  g_ptr_array_add (batch, remote ("household", "h1", "notes", g_variant_new_string ("b-notes"), h2, SITE_B, 0));
  g_ptr_array_add (batch, remote ("household", "h1", "notes", g_variant_new_string ("a-notes"), h1, SITE_A, 0));
  /* Same hlc, greater site wins. */
  g_ptr_array_add (batch, remote ("household", "h1", "room", g_variant_new_string ("room-b"), h1, SITE_B, 0));
  g_ptr_array_add (batch, remote ("household", "h1", "room", g_variant_new_string ("room-a"), h1, SITE_A, 0));
  /* An exact duplicate. */
  g_ptr_array_add (batch, remote ("household", "h1", "address", g_variant_new_string ("A"), h1, SITE_A, 0));

  g_assert_true (sm_store_apply (fx->store, batch, "cursor-1", &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.taken, ==, 4);
  g_assert_cmpuint (result.kept, ==, 2);
  g_assert_cmpuint (result.duplicates, ==, 1);
  /* notes and room: each a concurrent pair with different values */
  g_assert_cmpuint (result.conflicts->len, ==, 2);

  record = sm_store_get (fx->store, "household", "h1", &error);
  g_assert_cmpstr (sm_record_get_string (record, "notes"), ==, "b-notes");
  g_assert_cmpstr (sm_record_get_string (record, "room"), ==, "room-b");
  g_assert_cmpstr (sm_record_get_string (record, "address"), ==, "A");
  g_assert_cmpstr (sm_record_get_clock (record, "notes")->site, ==, SITE_B);

  /* Remote changes never enter the outbox; the cursor was saved with them; the clock
   * moved past what it received. */
  g_assert_cmpint (sm_store_outbox_count (fx->store, NULL), ==, 0);
  cursor = sm_store_dup_cursor (fx->store);
  g_assert_cmpstr (cursor, ==, "cursor-1");
  g_assert_cmphex (sm_store_get_last_hlc (fx->store), ==, h2);

  /* A local edit now builds on what it saw: its base is the winner's hlc. */
  g_assert_true (sm_store_update_with (fx->store, "household", "h1", &error,
                                       "notes", g_variant_new_string ("local"), NULL));
  g_clear_object (&record);
  record = sm_store_get (fx->store, "household", "h1", &error);
  g_assert_cmphex (sm_record_get_clock (record, "notes")->base, ==, h2);
  g_assert_cmphex (sm_record_get_clock (record, "notes")->hlc, ==, h2 + 1);

  sm_apply_result_clear (&result);
}

static void
test_apply_atomic (Fixture       *fx,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *digest_before = NULL;
  g_autofree char *digest_after = NULL;
  g_autoptr(GPtrArray) batch = sm_change_batch_new ();
  g_autofree char *id = make_household (fx, "4栋401");

  digest_before = sm_store_compute_digest (fx->store, &error);

  /* An outer transaction rolled back takes every write inside it along. */
  g_assert_true (sm_store_begin (fx->store, &error));
  g_assert_true (sm_store_update_with (fx->store, "household", id, &error,
                                       "notes", g_variant_new_string ("gone"), NULL));
  g_ptr_array_add (batch, remote ("household", "h9", "address", g_variant_new_string ("X"),
                                  sm_hlc_from_parts (1790000000000, 7), SITE_A, 0));
  g_assert_true (sm_store_apply (fx->store, batch, "c9", NULL, &error));
  g_assert_no_error (error);
  sm_store_rollback (fx->store);

  digest_after = sm_store_compute_digest (fx->store, &error);
  g_assert_cmpstr (digest_before, ==, digest_after);
  g_assert_cmpint (sm_store_outbox_count (fx->store, NULL), ==, 3);
  g_assert_null (sm_store_dup_cursor (fx->store));
}

static char *
add_event (Fixture    *fx,
           const char *demand,
           const char *action,
           const char *satisfaction)
{
  g_autoptr(GError) error = NULL;
  char *id;

  fx->now_ms += 60000;
  id = sm_store_create_with (fx->store, "demand_event", GRID, &error,
                             "demand_id", g_variant_new_string (demand),
                             "at", g_variant_new_string ("2026-09-21T01:05:00Z"),
                             "actor", g_variant_new_string ("worker-01"),
                             "action", g_variant_new_string (action),
                             "satisfaction", satisfaction ? g_variant_new_string (satisfaction) : NULL,
                             NULL);
  g_assert_no_error (error);
  return id;
}

static void
assert_status (Fixture    *fx,
               const char *demand,
               const char *status)
{
  g_autoptr(SmRecord) record = sm_store_get (fx->store, "demand", demand, NULL);

  g_assert_nonnull (record);
  g_assert_cmpstr (sm_record_get_string (record, "status"), ==, status);
}

static void
test_demand_status (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *demand = sm_store_create_with (fx->store, "demand", GRID, &error,
                                                  "source", g_variant_new_string ("visit"),
                                                  "category", g_variant_new_string ("设施维修"),
                                                  "title", g_variant_new_string ("楼道灯坏了"),
                                                  "reported_at", g_variant_new_string ("2026-09-21T01:00:00Z"),
                                                  NULL);
  g_autoptr(GPtrArray) late = sm_change_batch_new ();
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(SmRecord) record = NULL;
  const char *statuses[] = { "reported", "accepted", "handling", "supervising", "resolved" };
  const char *actions[] = { "report", "accept", "handle", "supervise", "resolve" };

  g_assert_no_error (error);
  assert_status (fx, demand, "reported");

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      G_GNUC_UNUSED g_autofree char *ev = add_event (fx, demand, actions[i], NULL);
      assert_status (fx, demand, statuses[i]);
    }

  record = sm_store_get (fx->store, "demand", demand, &error);
  g_assert_cmpstr (sm_record_get_string (record, "responded_at"), ==, "2026-09-21T01:05:00Z");

  /* A worker's offline "handle", older than the office's "resolve", arrives late: it is
   * kept in the history but cannot undo the resolution. */
  {
    const SmTable *t = sm_schema_lookup_table ("demand_event");
    SmHlc old = sm_hlc_from_parts (1790000000000 + 90000, 0);
    const char *row = "late-event";

    g_ptr_array_add (late, sm_change_new (sm_table_lookup_field (t, "grid_id"), row, GRID, g_variant_new_string (GRID), old, SITE_A, 0));
    g_ptr_array_add (late, sm_change_new (sm_table_lookup_field (t, "demand_id"), row, GRID, g_variant_new_string (demand), old, SITE_A, 0));
    g_ptr_array_add (late, sm_change_new (sm_table_lookup_field (t, "action"), row, GRID, g_variant_new_string ("handle"), old, SITE_A, 0));
    g_ptr_array_add (late, sm_change_new (sm_table_lookup_field (t, "at"), row, GRID, g_variant_new_string ("2026-09-21T01:01:30Z"), old, SITE_A, 0));
    g_assert_true (sm_store_apply (fx->store, late, NULL, NULL, &error));
    g_assert_no_error (error);
  }
  assert_status (fx, demand, "resolved");

  events = sm_store_list_demand_events (fx->store, demand, &error);
  g_assert_cmpuint (events->len, ==, 6);
  g_assert_cmpstr (sm_record_get_string (events->pdata[0], "action"), ==, "report");
  g_assert_cmpstr (sm_record_get_string (events->pdata[1], "action"), ==, "handle");
  g_assert_cmpstr (sm_record_get_string (events->pdata[2], "action"), ==, "accept");

  /* Unsatisfied reopens; satisfied closes. */
  g_free (add_event (fx, demand, "evaluate", "unsatisfied"));
  assert_status (fx, demand, "handling");
  g_free (add_event (fx, demand, "resolve", NULL));
  g_free (add_event (fx, demand, "evaluate", "satisfied"));
  assert_status (fx, demand, "evaluated");
  g_free (add_event (fx, demand, "comment", NULL));
  assert_status (fx, demand, "evaluated");

  g_clear_pointer (&events, g_ptr_array_unref);
  events = sm_store_list_demands (fx->store, "evaluated", NULL, 0, 10, &error);
  g_assert_cmpuint (events->len, ==, 1);
  g_clear_pointer (&events, g_ptr_array_unref);
  events = sm_store_list_demands (fx->store, "reported", GRID, 0, 10, &error);
  g_assert_cmpuint (events->len, ==, 0);
}

/* Events that arrive before their demand: the status is derived when the demand lands. */
static void
test_demand_events_first (Fixture       *fx,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = sm_change_batch_new ();
  g_autoptr(GPtrArray) demand = sm_change_batch_new ();
  const SmTable *et = sm_schema_lookup_table ("demand_event");
  const SmTable *dt = sm_schema_lookup_table ("demand");
  SmHlc h = sm_hlc_from_parts (1790000000000, 0);

  g_ptr_array_add (events, sm_change_new (sm_table_lookup_field (et, "demand_id"), "e1", GRID, g_variant_new_string ("d1"), h + 2, SITE_A, 0));
  g_ptr_array_add (events, sm_change_new (sm_table_lookup_field (et, "action"), "e1", GRID, g_variant_new_string ("accept"), h + 2, SITE_A, 0));
  g_assert_true (sm_store_apply (fx->store, events, NULL, NULL, &error));

  g_ptr_array_add (demand, sm_change_new (sm_table_lookup_field (dt, "grid_id"), "d1", GRID, g_variant_new_string (GRID), h + 1, SITE_A, 0));
  g_ptr_array_add (demand, sm_change_new (sm_table_lookup_field (dt, "title"), "d1", GRID, g_variant_new_string ("噪音"), h + 1, SITE_A, 0));
  g_assert_true (sm_store_apply (fx->store, demand, NULL, NULL, &error));
  g_assert_no_error (error);

  assert_status (fx, "d1", "accepted");
}

static char *
make_demand (Fixture    *fx,
             const char *grid,
             const char *household,
             const char *category,
             const char *reported_at)
{
  g_autoptr(GError) error = NULL;
  char *id = sm_store_create_with (fx->store, "demand", grid, &error,
                                   "household_id", household ? g_variant_new_string (household) : NULL,
                                   "source", g_variant_new_string ("phone"),
                                   "category", g_variant_new_string (category),
                                   "title", g_variant_new_string ("楼道灯坏了"),
                                   "reported_at", g_variant_new_string (reported_at),
                                   NULL);
  g_assert_no_error (error);
  return id;
}

static char *
make_resource (Fixture    *fx,
               const char *provider,
               const char *name,
               const char *category,
               gboolean    active)
{
  g_autoptr(GError) error = NULL;
  char *id = sm_store_create_with (fx->store, "resource", GRID, &error,
                                   "provider", g_variant_new_string (provider),
                                   "name", g_variant_new_string (name),
                                   "category", g_variant_new_string (category),
                                   "active", g_variant_new_boolean (active),
                                   NULL);
  g_assert_no_error (error);
  return id;
}

static char *
make_claim (Fixture    *fx,
            const char *demand,
            const char *resource,
            const char *claimed_at,
            const char *status)
{
  g_autoptr(GError) error = NULL;
  char *id = sm_store_create_with (fx->store, "claim", GRID, &error,
                                   "demand_id", g_variant_new_string (demand),
                                   "resource_id", g_variant_new_string (resource),
                                   "claimed_by", g_variant_new_string ("worker-01"),
                                   "claimed_at", g_variant_new_string (claimed_at),
                                   "status", g_variant_new_string (status),
                                   NULL);
  g_assert_no_error (error);
  return id;
}

/* The ids a query of the test's own returns, in its order. */
static GPtrArray *
sql_ids (Fixture    *fx,
         const char *sql,
         const char *param)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = sm_store_prepare (fx->store, sql, &error);

  g_assert_no_error (error);
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));

      /* A second column, when there is one, is a count: "id:count". */
      if (sqlite3_column_count (stmt) > 1)
        g_ptr_array_add (ids, g_strdup_printf ("%s:%lld", id, (long long) sqlite3_column_int64 (stmt, 1)));
      else
        g_ptr_array_add (ids, g_steal_pointer (&id));
    }
  sqlite3_reset (stmt);

  return ids;
}

static void
assert_records_match (GPtrArray *records,
                      GArray    *counts,
                      GPtrArray *expected)
{
  g_assert_cmpuint (records->len, ==, expected->len);
  for (guint i = 0; i < records->len; i++)
    {
      g_autofree char *id = NULL;

      if (counts != NULL)
        id = g_strdup_printf ("%s:%u", sm_record_get_id (records->pdata[i]), g_array_index (counts, guint, i));
      else
        id = g_strdup (sm_record_get_id (records->pdata[i]));
      g_assert_cmpstr (id, ==, expected->pdata[i]);
    }
}

/* The plan of the cached statement containing @needle uses @index and, unless
 * @may_sort (a sort of one demand's few rows), no temporary B-tree. */
static void
assert_plan_walks_indexes (Fixture    *fx,
                           const char *needle,
                           const char *index,
                           gboolean    may_sort)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *prepared = NULL;
  gboolean found = FALSE;

  while ((prepared = sqlite3_next_stmt (sm_store_get_connection (fx->store), prepared)) != NULL)
    {
      const char *sql = sqlite3_sql (prepared);
      g_autofree char *explain = NULL;
      gboolean uses_index = FALSE;
      sqlite3_stmt *stmt;

      if (g_str_has_prefix (sql, "EXPLAIN") || strstr (sql, needle) == NULL)
        continue;

      found = TRUE;
      explain = g_strconcat ("EXPLAIN QUERY PLAN ", sql, NULL);
      stmt = sm_store_prepare (fx->store, explain, &error);
      g_assert_no_error (error);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *detail = (const char *) sqlite3_column_text (stmt, 3);

          g_test_message ("%s: %s", needle, detail);
          if (!may_sort)
            g_assert_null (strstr (detail, "TEMP B-TREE"));
          uses_index |= strstr (detail, index) != NULL;
        }
      sqlite3_reset (stmt);
      g_assert_true (uses_index);
      break;
    }
  g_assert_true (found);
}

/* The three lists (三项清单): resources by category, the open demands with their claims
 * counted, a demand's claims; each against SQL of the test's own. */
static void
test_three_lists (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *r_repair = make_resource (fx, "红星物业", "上门维修", "设施维修", TRUE);
  g_autofree char *r_repair_old = make_resource (fx, "老王五金", "配钥匙", "设施维修", FALSE);
  g_autofree char *r_clean = make_resource (fx, "蓝天保洁", "楼道保洁", "环境卫生", TRUE);
  g_autofree char *r_law = make_resource (fx, "阳光律所", "法律咨询", "邻里纠纷", TRUE);
  g_autofree char *d1 = make_demand (fx, GRID, NULL, "设施维修", "2026-09-01T01:00:00Z");
  g_autofree char *d2 = make_demand (fx, GRID, NULL, "环境卫生", "2026-09-03T01:00:00Z");
  g_autofree char *d3 = make_demand (fx, GRID, NULL, "设施维修", "2026-09-02T01:00:00Z");
  G_GNUC_UNUSED g_autofree char *d4 = make_demand (fx, "grid-02", NULL, "设施维修", "2026-09-04T01:00:00Z");
  g_autofree char *d5 = make_demand (fx, GRID, NULL, "邻里纠纷", "2026-09-05T01:00:00Z");
  g_autofree char *d6 = make_demand (fx, GRID, NULL, "邻里纠纷", "2026-09-06T01:00:00Z");
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GArray) counts = NULL;
  g_auto(GStrv) categories = NULL;
  const char *open_sql =
    "SELECT d.id, (SELECT count(*) FROM claim c WHERE c.demand_id = d.id AND c._deleted IS NOT 1"
    " AND c.status != 'cancelled') FROM demand d WHERE d._deleted IS NOT 1"
    " AND d.status NOT IN ('resolved', 'evaluated') AND (?1 IS NULL OR d.grid_id = ?1)"
    " ORDER BY CASE d.status WHEN 'supervising' THEN 0 WHEN 'reported' THEN 1"
    " WHEN 'handling' THEN 2 ELSE 3 END, d.reported_at DESC";

  g_free (make_claim (fx, d1, r_repair, "2026-09-01T02:00:00Z", "claimed"));
  g_free (make_claim (fx, d1, r_repair_old, "2026-09-01T03:00:00Z", "cancelled"));
  g_free (make_claim (fx, d2, r_clean, "2026-09-03T02:00:00Z", "in_progress"));
  g_free (make_claim (fx, d2, r_repair, "2026-09-03T01:30:00Z", "done"));
  g_free (make_claim (fx, d5, r_law, "2026-09-05T02:00:00Z", "claimed"));
  {
    g_autofree char *deleted = make_claim (fx, d3, r_repair, "2026-09-02T02:00:00Z", "claimed");

    g_assert_true (sm_store_delete (fx->store, "claim", deleted, &error));
  }
  g_free (add_event (fx, d1, "accept", NULL));
  g_free (add_event (fx, d2, "accept", NULL));
  g_free (add_event (fx, d2, "handle", NULL));
  g_free (add_event (fx, d3, "supervise", NULL));
  g_free (add_event (fx, d5, "resolve", NULL));

  /* Resources: by category, provider and name; inactive ones only when asked for. */
  list = sm_store_list_resources (fx->store, NULL, FALSE, &error);
  g_assert_no_error (error);
  expected = sql_ids (fx, "SELECT id FROM resource WHERE _deleted IS NOT 1 ORDER BY category, provider, name", NULL);
  assert_records_match (list, NULL, expected);
  g_assert_cmpuint (list->len, ==, 4);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_clear_pointer (&expected, g_ptr_array_unref);

  list = sm_store_list_resources (fx->store, "设施维修", TRUE, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (sm_record_get_id (list->pdata[0]), ==, r_repair);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = sm_store_list_resources (fx->store, "设施维修", FALSE, &error);
  expected = sql_ids (fx, "SELECT id FROM resource WHERE category = ?1 ORDER BY provider, name", "设施维修");
  assert_records_match (list, NULL, expected);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_clear_pointer (&expected, g_ptr_array_unref);

  /* The chooser of a 环境卫生 demand: its category first, only active ones. */
  list = sm_store_list_resources_for_category (fx->store, "环境卫生", &error);
  g_assert_no_error (error);
  expected = sql_ids (fx, "SELECT id FROM resource WHERE active = 1 ORDER BY category != ?1, category, provider, name",
                      "环境卫生");
  assert_records_match (list, NULL, expected);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpstr (sm_record_get_id (list->pdata[0]), ==, r_clean);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_clear_pointer (&expected, g_ptr_array_unref);

  categories = sm_store_list_resource_categories (fx->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (categories), ==, 3);
  g_assert_cmpstr (categories[0], ==, "环境卫生");

  /* 需求清单: d5 resolved is not open; d6 has no claim; d1's cancelled claim and d3's
   * deleted one do not count. */
  list = sm_store_list_open_demands (fx->store, NULL, 0, 0, &counts, &error);
  g_assert_no_error (error);
  expected = sql_ids (fx, open_sql, NULL);
  assert_records_match (list, counts, expected);
  g_assert_cmpuint (list->len, ==, 5);
  g_assert_cmpstr (sm_record_get_id (list->pdata[0]), ==, d3);   /* supervising */
  g_assert_cmpstr (sm_record_get_id (list->pdata[1]), ==, d6);   /* reported, newest */
  g_assert_cmpuint (g_array_index (counts, guint, 4), ==, 1);    /* d1: one live claim */
  g_clear_pointer (&list, g_ptr_array_unref);
  g_clear_pointer (&expected, g_ptr_array_unref);
  g_clear_pointer (&counts, g_array_unref);

  /* Paged and by grid. */
  list = sm_store_list_open_demands (fx->store, GRID, 1, 2, &counts, &error);
  expected = sql_ids (fx, open_sql, GRID);
  g_assert_cmpuint (expected->len, ==, 4);
  g_ptr_array_remove_index (expected, 3);
  g_ptr_array_remove_index (expected, 0);
  assert_records_match (list, counts, expected);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_clear_pointer (&expected, g_ptr_array_unref);
  g_clear_pointer (&counts, g_array_unref);

  /* A demand's claims, oldest first, deleted ones left out. */
  list = sm_store_list_demand_claims (fx->store, d2, &error);
  g_assert_no_error (error);
  expected = sql_ids (fx, "SELECT id FROM claim WHERE demand_id = ?1 AND _deleted IS NOT 1 ORDER BY claimed_at", d2);
  assert_records_match (list, NULL, expected);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (sm_record_get_string (list->pdata[0], "status"), ==, "done");
  g_clear_pointer (&list, g_ptr_array_unref);
  g_clear_pointer (&expected, g_ptr_array_unref);
  list = sm_store_list_demand_claims (fx->store, d3, &error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* 认领清单: the open claims of the open demands: d2's in progress (d2 handling), d1's
   * claimed; not d1's cancelled one, d2's done one, d3's deleted one or d5's (resolved). */
  list = sm_store_list_open_claims (fx->store, NULL, 0, 0, &error);
  g_assert_no_error (error);
  expected = sql_ids (fx, "SELECT c.id FROM claim c JOIN demand d ON d.id = c.demand_id"
                          " WHERE c._deleted IS NOT 1 AND d._deleted IS NOT 1"
                          " AND d.status NOT IN ('resolved', 'evaluated')"
                          " AND coalesce (c.status, 'claimed') NOT IN ('done', 'cancelled')"
                          " ORDER BY CASE d.status WHEN 'supervising' THEN 0 WHEN 'reported' THEN 1"
                          " WHEN 'handling' THEN 2 ELSE 3 END, d.reported_at DESC, c.rowid", NULL);
  assert_records_match (list, NULL, expected);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (sm_record_get_string (list->pdata[0], "demand_id"), ==, d2);
  g_assert_cmpstr (sm_record_get_string (list->pdata[1], "demand_id"), ==, d1);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_clear_pointer (&expected, g_ptr_array_unref);
  list = sm_store_list_open_claims (fx->store, "grid-02", 0, 0, &error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* However many demands: the status index walked backwards, no sort; claims by their
   * demand's index (a demand's few claims are sorted by when they were made). */
  assert_plan_walks_indexes (fx, "FROM \"demand\" AS x WHERE x._deleted IS NOT 1 AND (x.status IN",
                             "demand_status_time (status=?)", FALSE);
  assert_plan_walks_indexes (fx, "FROM \"demand\" AS x WHERE x._deleted IS NOT 1 AND (x.status IN",
                             "claim_demand_id (demand_id=?)", FALSE);
  assert_plan_walks_indexes (fx, "FROM \"claim\" AS x WHERE x._deleted IS NOT 1 AND (x.demand_id",
                             "claim_demand_id (demand_id=?)", TRUE);
  assert_plan_walks_indexes (fx, "FROM \"claim\" AS x JOIN demand", "demand_status_time (status=?)", FALSE);
  assert_plan_walks_indexes (fx, "FROM \"claim\" AS x JOIN demand", "claim_demand_id (demand_id=?)", FALSE);
}

/* The queries of the 诉求 page: counts per status, a status's page in report order,
 * a household's demands, the categories in use. */
static void
test_demand_lists (Fixture       *fx,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home = make_household (fx, "幸福小区1栋1单元101");
  g_autofree char *other = make_household (fx, "幸福小区1栋1单元102");
  g_autofree char *d1 = make_demand (fx, GRID, home, "设施维修", "2026-09-01T01:00:00Z");
  g_autofree char *d2 = make_demand (fx, GRID, home, "环境卫生", "2026-09-03T01:00:00Z");
  g_autofree char *d3 = make_demand (fx, GRID, other, "设施维修", "2026-09-02T01:00:00Z");
  g_autofree char *d4 = make_demand (fx, "grid-02", NULL, "设施维修", "2026-09-04T01:00:00Z");
  g_autofree char *d5 = make_demand (fx, GRID, other, "邻里纠纷", "2026-09-05T01:00:00Z");
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_auto(GStrv) categories = NULL;

  g_free (add_event (fx, d1, "accept", NULL));
  g_free (add_event (fx, d5, "accept", NULL));
  g_free (add_event (fx, d5, "resolve", NULL));
  g_assert_true (sm_store_delete (fx->store, "demand", d3, &error));
  g_assert_no_error (error);

  counts = sm_store_count_demands_by_status (fx->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "reported")), ==, 2);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "accepted")), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "resolved")), ==, 1);
  g_assert_false (g_hash_table_contains (counts, "handling"));
  g_clear_pointer (&counts, g_hash_table_unref);
  counts = sm_store_count_demands_by_status (fx->store, "grid-02", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (counts), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "reported")), ==, 1);

  /* Newest report first, paged; the deleted one left out. */
  list = sm_store_list_demands_in_status (fx->store, "reported", NULL, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (sm_record_get_id (list->pdata[0]), ==, d4);
  g_assert_cmpstr (sm_record_get_id (list->pdata[1]), ==, d2);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = sm_store_list_demands_in_status (fx->store, "reported", NULL, 1, 1, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (sm_record_get_id (list->pdata[0]), ==, d2);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = sm_store_list_demands_in_status (fx->store, "reported", GRID, 0, 10, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (sm_record_get_id (list->pdata[0]), ==, d2);
  g_clear_pointer (&list, g_ptr_array_unref);

  list = sm_store_list_household_demands (fx->store, home, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (sm_record_get_id (list->pdata[0]), ==, d2);
  g_assert_cmpstr (sm_record_get_id (list->pdata[1]), ==, d1);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = sm_store_list_household_demands (fx->store, other, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (sm_record_get_id (list->pdata[0]), ==, d5);

  /* Most used first; the deleted demand's use does not count. */
  categories = sm_store_list_demand_categories (fx->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (categories), ==, 3);
  g_assert_cmpstr (categories[0], ==, "设施维修");
  g_assert_cmpstr (categories[1], ==, "环境卫生");
  g_assert_cmpstr (categories[2], ==, "邻里纠纷");
  g_clear_pointer (&categories, g_strfreev);
  categories = sm_store_list_demand_categories (fx->store, 1, &error);
  g_assert_cmpuint (g_strv_length (categories), ==, 1);
}

static void
test_lists (Fixture       *fx,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 9, 21, 12, 0, 0);
  g_autofree char *building = NULL;
  g_autofree char *compound = NULL;
  g_autofree char *h_old = NULL, *h_new = NULL, *h_new_knocked = NULL, *h_poor = NULL, *h_poor_visited = NULL;
  g_autofree char *r1 = NULL, *r2 = NULL;
  g_autofree char *v1 = NULL, *v2 = NULL, *v3 = NULL, *v4 = NULL;

  compound = sm_store_create_with (fx->store, "compound", GRID, &error,
                                   "name", g_variant_new_string ("阳光花园"),
                                   "kind", g_variant_new_string ("old"), NULL);
  building = sm_store_create_with (fx->store, "building", GRID, &error,
                                   "compound_id", g_variant_new_string (compound),
                                   "name", g_variant_new_string ("1栋"), NULL);
  g_assert_no_error (error);

#define HOUSEHOLD(var, room, tenure, moved, tag) \
  var = sm_store_create_with (fx->store, "household", GRID, &error, \
                              "building_id", g_variant_new_string (building), \
                              "room", g_variant_new_string (room), \
                              "address", g_variant_new_string ("阳光花园1栋" room), \
                              "tenure", g_variant_new_string (tenure), \
                              "moved_in", g_variant_new_string (moved), \
                              "tag_elderly_alone", g_variant_new_boolean (tag), NULL); \
  g_assert_no_error (error)

  HOUSEHOLD (h_old, "101", "existing", "2010-01-01", FALSE);
  HOUSEHOLD (h_new, "102", "new", "2026-09-01", FALSE);
  HOUSEHOLD (h_new_knocked, "103", "new", "2026-09-02", FALSE);
  HOUSEHOLD (h_poor, "104", "existing", "2000-01-01", TRUE);
  HOUSEHOLD (h_poor_visited, "105", "existing", "2000-01-01", TRUE);
#undef HOUSEHOLD

#define VISIT(var, hh, kind, at, outcome) \
  var = sm_store_create_with (fx->store, "visit", GRID, &error, \
                              "household_id", g_variant_new_string (hh), \
                              "kind", g_variant_new_string (kind), \
                              "visited_at", g_variant_new_string (at), \
                              "worker_id", g_variant_new_string ("worker-01"), \
                              "outcome", g_variant_new_string (outcome), NULL); \
  g_assert_no_error (error)

  VISIT (v1, h_new_knocked, "knock", "2026-09-03T02:00:00Z", "met");
  VISIT (v2, h_poor_visited, "care", "2026-09-10T02:00:00Z", "met");
  VISIT (v3, h_poor, "care", "2026-09-11T02:00:00Z", "not_home");
  VISIT (v4, h_poor_visited, "care", "2026-08-01T02:00:00Z", "met");
#undef VISIT

  r1 = sm_store_create_with (fx->store, "resident", GRID, &error,
                             "household_id", g_variant_new_string (h_old),
                             "name", g_variant_new_string ("李娜"),
                             "relation", g_variant_new_string ("spouse"),
                             "birth_date", g_variant_new_string ("1950-01-01"), NULL);
  r2 = sm_store_create_with (fx->store, "resident", GRID, &error,
                             "household_id", g_variant_new_string (h_old),
                             "name", g_variant_new_string ("王强"),
                             "relation", g_variant_new_string ("self"),
                             "birth_date", g_variant_new_string ("1960-01-01"), NULL);
  g_assert_no_error (error);

  list = sm_store_list_households (fx->store, GRID, building, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 5);
  g_assert_cmpstr (sm_record_get_string (list->pdata[0], "room"), ==, "101");
  g_assert_cmpstr (sm_record_get_string (list->pdata[4], "room"), ==, "105");
  g_clear_pointer (&list, g_ptr_array_unref);

  list = sm_store_list_households (fx->store, GRID, NULL, 2, 2, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (sm_record_get_string (list->pdata[0], "room"), ==, "103");
  g_clear_pointer (&list, g_ptr_array_unref);

  list = sm_store_list_households (fx->store, "grid-99", NULL, 0, 0, &error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* The head of household comes first. */
  list = sm_store_list_residents (fx->store, h_old, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (sm_record_get_string (list->pdata[0], "name"), ==, "王强");
  g_clear_pointer (&list, g_ptr_array_unref);

  list = sm_store_list_visits (fx->store, h_poor_visited, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (sm_record_get_id (list->pdata[0]), ==, v2);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* 30 days before 2026-09-21: h_poor was only found not at home; h_poor_visited was met
   * on 09-10. */
  list = sm_store_list_difficulty_unvisited (fx->store, GRID, 30, now, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (sm_record_get_id (list->pdata[0]), ==, h_poor);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* After 5 days both visits are too old. */
  list = sm_store_list_difficulty_unvisited (fx->store, NULL, 5, now, 0, NULL, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_clear_pointer (&list, g_ptr_array_unref);

  list = sm_store_list_new_not_knocked (fx->store, GRID, 7, now, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (sm_record_get_id (list->pdata[0]), ==, h_new);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Moved in 20 days ago: not yet due with a 30-day interval. */
  list = sm_store_list_new_not_knocked (fx->store, GRID, 30, now, 0, NULL, &error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Deleted records leave the lists. */
  g_assert_true (sm_store_delete (fx->store, "household", h_new, &error));
  list = sm_store_list_new_not_knocked (fx->store, GRID, 7, now, 0, NULL, &error);
  g_assert_cmpuint (list->len, ==, 0);
  g_assert_cmpint (sm_store_count (fx->store, "household", NULL), ==, 4);
}

/* Rooms and buildings in the order people count them; compounds of a grid; moved-out
 * residents after those living there; a household's credit records, newest first. */
static void
test_household_lists (Fixture       *fx,
                      gconstpointer  data)
{
  static const char * const rooms[] = { "1001", "102", "A2", "101", "2", "A10", "1002" };
  static const char * const expected_rooms[] = { "A10", "A2", "2", "101", "102", "1001", "1002" };
  static const char * const buildings[] = { "10栋", "2栋", "1栋", "会所" };
  static const char * const expected_buildings[] = { "会所", "1栋", "2栋", "10栋" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *compound = NULL;
  g_autofree char *other_compound = NULL;
  g_autofree char *building = NULL;
  g_autofree char *first_building = NULL;
  g_autofree char *household = NULL;
  g_autofree char *living = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *elsewhere = NULL;
  g_autofree char *household_elsewhere = NULL;
  sqlite3_stmt *stmt;
  gboolean uses_index = FALSE;
  guint n_plans = 0;

  compound = sm_store_create_with (fx->store, "compound", GRID, &error,
                                   "name", g_variant_new_string ("阳光花园"),
                                   "kind", g_variant_new_string ("old"), NULL);
  g_assert_no_error (error);
  other_compound = sm_store_create_with (fx->store, "compound", "grid-02", &error,
                                         "name", g_variant_new_string ("幸福里"),
                                         "kind", g_variant_new_string ("commercial"), NULL);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (buildings); i++)
    {
      g_free (building);
      building = sm_store_create_with (fx->store, "building", GRID, &error,
                                       "compound_id", g_variant_new_string (compound),
                                       "name", g_variant_new_string (buildings[i]), NULL);
      g_assert_no_error (error);
      if (first_building == NULL)
        first_building = g_strdup (building);
    }

  list = sm_store_list_compounds (fx->store, GRID, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (sm_record_get_id (list->pdata[0]), ==, compound);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = sm_store_list_compounds (fx->store, NULL, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_clear_pointer (&list, g_ptr_array_unref);

  list = sm_store_list_buildings (fx->store, compound, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, G_N_ELEMENTS (expected_buildings));
  for (guint i = 0; i < list->len; i++)
    g_assert_cmpstr (sm_record_get_string (list->pdata[i], "name"), ==, expected_buildings[i]);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = sm_store_list_buildings (fx->store, other_compound, &error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Rooms are text; numbers sort by value, whatever order they were written in. */
  for (guint i = 0; i < G_N_ELEMENTS (rooms); i++)
    {
      g_free (household);
      household = sm_store_create_with (fx->store, "household", GRID, &error,
                                        "building_id", g_variant_new_string (building),
                                        "unit", g_variant_new_string ("1"),
                                        "room", g_variant_new_string (rooms[i]),
                                        "address", g_variant_new_string (rooms[i]),
                                        "tenure", g_variant_new_string ("existing"), NULL);
      g_assert_no_error (error);
    }
  list = sm_store_list_households (fx->store, GRID, NULL, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, G_N_ELEMENTS (expected_rooms));
  for (guint i = 0; i < list->len; i++)
    g_assert_cmpstr (sm_record_get_string (list->pdata[i], "room"), ==, expected_rooms[i]);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* A building narrows the list, in the same order, paged and counted alike; a deleted
   * household is neither listed nor counted. */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *room = g_strdup_printf ("%u01", 3 - i);

      g_free (household_elsewhere);
      household_elsewhere = sm_store_create_with (fx->store, "household", GRID, &error,
                                                  "building_id", g_variant_new_string (first_building),
                                                  "unit", g_variant_new_string ("2"),
                                                  "room", g_variant_new_string (room),
                                                  "address", g_variant_new_string (room),
                                                  "tenure", g_variant_new_string ("new"), NULL);
      g_assert_no_error (error);
    }
  g_assert_true (sm_store_delete (fx->store, "household", household_elsewhere, &error));
  g_assert_no_error (error);
  list = sm_store_list_households (fx->store, GRID, first_building, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (sm_record_get_string (list->pdata[0], "room"), ==, "201");
  g_assert_cmpstr (sm_record_get_string (list->pdata[1], "room"), ==, "301");
  g_clear_pointer (&list, g_ptr_array_unref);
  list = sm_store_list_households (fx->store, GRID, first_building, 1, 5, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (sm_record_get_string (list->pdata[0], "room"), ==, "301");
  g_clear_pointer (&list, g_ptr_array_unref);
  list = sm_store_list_households (fx->store, GRID, building, 0, 0, &error);
  g_assert_cmpuint (list->len, ==, G_N_ELEMENTS (expected_rooms));
  g_clear_pointer (&list, g_ptr_array_unref);
  list = sm_store_list_households (fx->store, "grid-02", first_building, 0, 0, &error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_assert_cmpint (sm_store_count_households (fx->store, GRID, first_building, &error), ==, 2);
  g_assert_cmpint (sm_store_count_households (fx->store, GRID, building, &error), ==,
                   G_N_ELEMENTS (expected_rooms));
  g_assert_cmpint (sm_store_count_households (fx->store, GRID, NULL, &error), ==,
                   G_N_ELEMENTS (expected_rooms) + 2);
  g_assert_cmpint (sm_store_count_households (fx->store, "grid-02", first_building, &error), ==, 0);
  g_assert_no_error (error);

  /* …and every household query the store has prepared (by grid, by grid and building,
   * listed and counted) seeks household_natural_order and walks it rather than sorting:
   * the building one on both its columns. */
  for (sqlite3_stmt *prepared = sqlite3_next_stmt (sm_store_get_connection (fx->store), NULL);
       prepared != NULL; prepared = sqlite3_next_stmt (sm_store_get_connection (fx->store), prepared))
    {
      const char *sql = sqlite3_sql (prepared);
      g_autofree char *explain = NULL;
      gboolean by_building;

      if (g_str_has_prefix (sql, "EXPLAIN")
          || (strstr (sql, "FROM \"household\" AS x WHERE") == NULL
              && !g_str_has_prefix (sql, "SELECT count(*) FROM household")))
        continue;

      n_plans++;
      by_building = strstr (sql, "building_id = ?2") != NULL;
      g_assert_null (strstr (sql, "IS NULL OR"));
      explain = g_strconcat ("EXPLAIN QUERY PLAN ", sql, NULL);
      stmt = sm_store_prepare (fx->store, explain, &error);
      g_assert_no_error (error);
      uses_index = FALSE;
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *detail = (const char *) sqlite3_column_text (stmt, 3);

          g_test_message ("%s: %s", by_building ? "by building" : "by grid", detail);
          g_assert_null (strstr (detail, "TEMP B-TREE"));
          uses_index |= strstr (detail, by_building ? "household_natural_order (grid_id=? AND building_id=?)"
                                                    : "household_natural_order (grid_id=?)") != NULL;
        }
      sqlite3_reset (stmt);
      g_assert_true (uses_index);
    }
  g_assert_cmpuint (n_plans, ==, 4);

  /* Moved-out residents are kept, after those living there. */
  moved = sm_store_create_with (fx->store, "resident", GRID, &error,
                                "household_id", g_variant_new_string (household),
                                "name", g_variant_new_string ("张伟"),
                                "relation", g_variant_new_string ("self"),
                                "moved_out", g_variant_new_string ("2026-01-02"), NULL);
  g_assert_no_error (error);
  living = sm_store_create_with (fx->store, "resident", GRID, &error,
                                 "household_id", g_variant_new_string (household),
                                 "name", g_variant_new_string ("李娜"),
                                 "relation", g_variant_new_string ("spouse"), NULL);
  g_assert_no_error (error);
  elsewhere = sm_store_create_with (fx->store, "resident", GRID, &error,
                                    "household_id", g_variant_new_string ("someone-else"),
                                    "name", g_variant_new_string ("王强"), NULL);
  g_assert_no_error (error);
  list = sm_store_list_residents (fx->store, household, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (sm_record_get_id (list->pdata[0]), ==, living);
  g_assert_cmpstr (sm_record_get_id (list->pdata[1]), ==, moved);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Credit records of the household's residents, moved out or not, newest first. */
#define CREDIT(resident, pts, why, when) \
  g_free (sm_store_create_with (fx->store, "credit", GRID, &error, \
                                "resident_id", g_variant_new_string (resident), \
                                "points", g_variant_new_int64 (pts), \
                                "reason", g_variant_new_string (why), \
                                "at", g_variant_new_string (when), NULL)); \
  g_assert_no_error (error)
  CREDIT (living, 10, "志愿服务", "2026-03-01T02:00:00Z");
  CREDIT (moved, 5, "楼道清洁", "2026-05-01T02:00:00Z");
  CREDIT (living, -3, "违规停车", "2026-04-01T02:00:00Z");
  CREDIT (elsewhere, 7, "其他住户", "2026-06-01T02:00:00Z");
#undef CREDIT
  list = sm_store_list_credits (fx->store, household, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpint (sm_record_get_int (list->pdata[0], "points", 0), ==, 5);
  g_assert_cmpint (sm_record_get_int (list->pdata[1], "points", 0), ==, -3);
  g_assert_cmpint (sm_record_get_int (list->pdata[2], "points", 0), ==, 10);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* A deleted resident's records leave with them. */
  g_assert_true (sm_store_delete (fx->store, "resident", moved, &error));
  list = sm_store_list_credits (fx->store, household, &error);
  g_assert_cmpuint (list->len, ==, 2);
}

/* ---------------------------------------------------------------- the Today lists */

/* The ids a query of one text column returns, in its order. */
static GPtrArray *
query_ids (SmStore    *store,
           const char *sql,
           const char *first_text,
           ...)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  const char *text = first_text;
  va_list args;
  int column = 1;
  int rc;

  g_assert_cmpint (sqlite3_prepare_v2 (sm_store_get_connection (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  va_start (args, first_text);
  for (; text != NULL; text = va_arg (args, const char *))
    sqlite3_bind_text (stmt, column++, text, -1, SQLITE_TRANSIENT);
  va_end (args);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  g_assert_cmpstr (sqlite3_errstr (rc), ==, sqlite3_errstr (SQLITE_DONE));
  sqlite3_finalize (stmt);

  return ids;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

/* @records hold exactly @ids, in the same order unless @any_order. */
static void
assert_same_ids (GPtrArray *records,
                 GPtrArray *ids,
                 gboolean   any_order)
{
  g_autoptr(GPtrArray) got = g_ptr_array_new ();

  g_assert_cmpuint (records->len, ==, ids->len);
  for (guint i = 0; i < records->len; i++)
    g_ptr_array_add (got, (gpointer) sm_record_get_id (g_ptr_array_index (records, i)));
  if (any_order)
    {
      g_ptr_array_sort (got, compare_strings);
      g_ptr_array_sort (ids, compare_strings);
    }
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpstr (g_ptr_array_index (got, i), ==, g_ptr_array_index (ids, i));
}

/* Written apart from sm-store-query.c and on purpose another way round: the last visit per
 * household by GROUP BY, dates through SQLite's 'utc' modifier, demand responses from the
 * events rather than the derived columns. ?1 is now (UTC, ISO 8601), ?2 the days. */
#define EXPECTED_DIFFICULTY \
  "SELECT h.id FROM household h LEFT JOIN (SELECT household_id, max(visited_at) AS last" \
  " FROM visit WHERE outcome = 'met' AND coalesce(_deleted, 0) = 0 GROUP BY household_id) m" \
  " ON m.household_id = h.id WHERE coalesce(h._deleted, 0) = 0" \
  " AND (h.tag_elderly_alone OR h.tag_low_income OR h.tag_disabled OR h.tag_serious_illness" \
  " OR h.tag_unemployed OR h.tag_left_behind_child)" \
  " AND (m.last IS NULL OR m.last < strftime('%Y-%m-%dT%H:%M:%SZ', ?1, '-' || ?2 || ' days'))"
#define EXPECTED_NOT_KNOCKED \
  "SELECT h.id FROM household h WHERE coalesce(h._deleted, 0) = 0 AND h.tenure = 'new'" \
  " AND h.moved_in <= date(?1, 'localtime', '-' || ?2 || ' days')" \
  " AND h.id NOT IN (SELECT v.household_id FROM visit v JOIN household k ON k.id = v.household_id" \
  " WHERE v.kind = 'knock' AND v.outcome = 'met' AND coalesce(v._deleted, 0) = 0" \
  " AND v.visited_at >= strftime('%Y-%m-%dT%H:%M:%SZ', k.moved_in, 'utc'))" \
  " ORDER BY h.moved_in, h.id"
#define EXPECTED_FOLLOW_UPS \
  "SELECT v.id FROM visit v JOIN (SELECT household_id, max(visited_at) AS last FROM visit" \
  " WHERE coalesce(_deleted, 0) = 0 GROUP BY household_id) m" \
  " ON m.household_id = v.household_id AND m.last = v.visited_at" \
  " JOIN household h ON h.id = v.household_id AND coalesce(h._deleted, 0) = 0" \
  " WHERE coalesce(v._deleted, 0) = 0 AND v.follow_up_on <= date(?1, 'localtime')" \
  " ORDER BY v.follow_up_on, v.visited_at, v.id"
/* Awaiting: never resolved, and no accept, handle or escalate before the office supervised
 * (after it, those are not valid moves, and escalating stays 督办). */
#define EXPECTED_AWAITING \
  "SELECT d.id FROM demand d WHERE coalesce(d._deleted, 0) = 0" \
  " AND NOT EXISTS (SELECT 1 FROM demand_event e WHERE e.demand_id = d.id AND e.action = 'resolve')" \
  " AND NOT EXISTS (SELECT 1 FROM demand_event e WHERE e.demand_id = d.id" \
  " AND e.action IN ('accept', 'handle', 'escalate') AND e.at < coalesce((SELECT min(s.at)" \
  " FROM demand_event s WHERE s.demand_id = d.id AND s.action = 'supervise'), '9999'))" \
  " ORDER BY d.reported_at, d.id"

/* The four lists of the Today page against SQL of the test's own, on the demo community:
 * every match, in order, counted, then the first few with the same count. */
static void
test_today_demo (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *now_text = NULL;
  SmDemoOptions options;
  struct {
    const char *name;
    const char *sql;
    const char *days;
    gboolean    any_order;
  } lists[] = {
    { "difficulty", EXPECTED_DIFFICULTY, "30", TRUE },
    { "not knocked", EXPECTED_NOT_KNOCKED, "7", FALSE },
    { "follow-ups", EXPECTED_FOLLOW_UPS, NULL, FALSE },
    { "awaiting", EXPECTED_AWAITING, NULL, FALSE },
  };

  /* 2,000 households: enough demands that some still wait for an answer at "now". */
  sm_demo_options_init (&options);
  options.n_households = 2000;
  sm_demo_populate_store (fx->store, &options, &error);
  g_assert_no_error (error);
  now = g_date_time_new_from_unix_utc (options.now_unix);
  now_text = g_date_time_format_iso8601 (now);

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      g_autoptr(GPtrArray) expected = query_ids (fx->store, lists[l].sql, now_text, lists[l].days, NULL);
      g_autoptr(GPtrArray) all = NULL;
      g_autoptr(GPtrArray) first = NULL;
      guint total = 0, total_first = 0;

      switch (l)
        {
        case 0:
          all = sm_store_list_difficulty_unvisited (fx->store, NULL, 30, now, 0, &total, &error);
          first = sm_store_list_difficulty_unvisited (fx->store, NULL, 30, now, 3, &total_first, &error);
          break;
        case 1:
          all = sm_store_list_new_not_knocked (fx->store, NULL, 7, now, 0, &total, &error);
          first = sm_store_list_new_not_knocked (fx->store, NULL, 7, now, 3, &total_first, &error);
          break;
        case 2:
          all = sm_store_list_follow_ups_due (fx->store, NULL, now, 0, &total, &error);
          first = sm_store_list_follow_ups_due (fx->store, NULL, now, 3, &total_first, &error);
          break;
        default:
          all = sm_store_list_demands_awaiting_response (fx->store, NULL, 0, &total, &error);
          first = sm_store_list_demands_awaiting_response (fx->store, NULL, 3, &total_first, &error);
          break;
        }
      g_assert_no_error (error);
      g_test_message ("%s: %u in the demo's 2,000 households", lists[l].name, total);

      /* Something to compare: the demo has every kind of reminder. */
      g_assert_cmpuint (expected->len, >, 3);
      g_assert_cmpuint (total, ==, expected->len);
      g_assert_cmpuint (total_first, ==, expected->len);
      assert_same_ids (all, expected, lists[l].any_order);
      g_assert_cmpuint (first->len, ==, 3);
      for (guint i = 0; i < 3; i++)
        g_assert_cmpstr (sm_record_get_id (first->pdata[i]), ==, sm_record_get_id (all->pdata[i]));
    }

  /* Within one grid: the same rows of that grid. */
  {
    g_autofree char *grid = sm_demo_grid_id (2);
    g_autoptr(GPtrArray) all = sm_store_list_follow_ups_due (fx->store, NULL, now, 0, NULL, &error);
    g_autoptr(GPtrArray) mine = sm_store_list_follow_ups_due (fx->store, grid, now, 0, NULL, &error);
    guint n = 0;

    for (guint i = 0; i < all->len; i++)
      if (g_str_equal (sm_record_get_grid_id (all->pdata[i]), grid))
        g_assert_cmpstr (sm_record_get_id (all->pdata[i]), ==, sm_record_get_id (mine->pdata[n++]));
    g_assert_cmpuint (n, ==, mine->len);
    g_assert_cmpuint (n, >, 0);
  }
}

static char *
add_visit (Fixture    *fx,
           const char *household,
           const char *kind,
           const char *at,
           const char *outcome,
           const char *follow_up_on)
{
  g_autoptr(GError) error = NULL;
  char *id = sm_store_create_with (fx->store, "visit", GRID, &error,
                                   "household_id", g_variant_new_string (household),
                                   "kind", g_variant_new_string (kind),
                                   "visited_at", g_variant_new_string (at),
                                   "worker_id", g_variant_new_string ("worker-01"),
                                   "outcome", g_variant_new_string (outcome),
                                   "follow_up_on", follow_up_on ? g_variant_new_string (follow_up_on) : NULL,
                                   NULL);

  g_assert_no_error (error);
  return id;
}

static char *
add_new_household (Fixture    *fx,
                   const char *address,
                   const char *moved_in)
{
  g_autoptr(GError) error = NULL;
  char *id = sm_store_create_with (fx->store, "household", GRID, &error,
                                   "address", g_variant_new_string (address),
                                   "tenure", g_variant_new_string ("new"),
                                   "moved_in", g_variant_new_string (moved_in), NULL);

  g_assert_no_error (error);
  return id;
}

static void
set_time_zone (const char *tz)
{
  if (tz != NULL)
    g_setenv ("TZ", tz, TRUE);
  else
    g_unsetenv ("TZ");
  /* SQLite's 'localtime' goes through localtime_r(), which reads TZ only in tzset(). */
  tzset ();
}

/* Moving-in days and follow-up days are the user's calendar days: in Beijing a knock at
 * 07:30 on the moving-in day is the day before in UTC, and still counts. */
static void
test_today_local_time (Fixture       *fx,
                       gconstpointer  data)
{
  g_autofree char *saved_tz = g_strdup (g_getenv ("TZ"));
  g_autoptr(GError) error = NULL;
  /* 01:00 on 21 September in Beijing, still the 20th in UTC. */
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 9, 20, 17, 0, 0);
  g_autofree char *now_text = g_date_time_format_iso8601 (now);
  g_autofree char *early = NULL, *before = NULL, *recent = NULL;
  g_autofree char *v1 = NULL, *v2 = NULL, *v3 = NULL, *v4 = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) expected = NULL;
  guint total = 0;

  set_time_zone ("Asia/Shanghai");

  /* Knocked at 07:30 Beijing time on the moving-in day (23:30 UTC the day before). */
  early = add_new_household (fx, "阳光花园1栋101", "2026-09-14");
  v1 = add_visit (fx, early, "knock", "2026-09-13T23:30:00Z", "met", NULL);
  /* Knocked at 23:30 Beijing time the evening before moving in: too early to count. */
  before = add_new_household (fx, "阳光花园1栋102", "2026-09-14");
  v2 = add_visit (fx, before, "knock", "2026-09-13T15:30:00Z", "met", NULL);
  /* Not knocked yet: due now, seven days after the 14th in Beijing (in UTC only six). */
  recent = add_new_household (fx, "阳光花园1栋103", "2026-09-14");

  list = sm_store_list_new_not_knocked (fx->store, GRID, 7, now, 0, &total, &error);
  g_assert_no_error (error);
  expected = query_ids (fx->store, EXPECTED_NOT_KNOCKED, now_text, "7", NULL);
  assert_same_ids (list, expected, FALSE);
  g_assert_cmpuint (total, ==, 2);
  /* The same moving-in day: ordered by their random ids. */
  g_assert_true ((g_str_equal (sm_record_get_id (list->pdata[0]), before)
                  && g_str_equal (sm_record_get_id (list->pdata[1]), recent))
                 || (g_str_equal (sm_record_get_id (list->pdata[0]), recent)
                     && g_str_equal (sm_record_get_id (list->pdata[1]), before)));
  g_clear_pointer (&list, g_ptr_array_unref);
  g_clear_pointer (&expected, g_ptr_array_unref);

  /* A follow-up set for the 21st is due from 00:00 in Beijing. */
  v3 = add_visit (fx, early, "drop_in", "2026-09-15T02:00:00Z", "not_home", "2026-09-21");
  v4 = add_visit (fx, before, "drop_in", "2026-09-15T02:00:00Z", "not_home", "2026-09-22");
  list = sm_store_list_follow_ups_due (fx->store, GRID, now, 0, &total, &error);
  g_assert_no_error (error);
  expected = query_ids (fx->store, EXPECTED_FOLLOW_UPS, now_text, NULL);
  assert_same_ids (list, expected, FALSE);
  g_assert_cmpuint (total, ==, 1);
  g_assert_cmpstr (sm_record_get_id (list->pdata[0]), ==, v3);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_clear_pointer (&expected, g_ptr_array_unref);

  /* In UTC it is still the 20th: nothing is due, and the knock at 23:30 UTC on the 13th
   * is before a move on the 14th. */
  set_time_zone ("UTC");
  list = sm_store_list_follow_ups_due (fx->store, GRID, now, 0, &total, &error);
  g_assert_cmpuint (total, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = sm_store_list_new_not_knocked (fx->store, GRID, 7, now, 0, &total, &error);
  expected = query_ids (fx->store, EXPECTED_NOT_KNOCKED, now_text, "6", NULL);
  g_assert_cmpuint (total, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = sm_store_list_new_not_knocked (fx->store, GRID, 6, now, 0, &total, &error);
  assert_same_ids (list, expected, FALSE);
  g_assert_cmpuint (total, ==, 3);

  set_time_zone (saved_tz);
}

static char *
add_demand (Fixture    *fx,
            const char *title,
            const char *reported_at)
{
  g_autoptr(GError) error = NULL;
  char *id = sm_store_create_with (fx->store, "demand", GRID, &error,
                                   "source", g_variant_new_string ("visit"),
                                   "category", g_variant_new_string ("设施维修"),
                                   "title", g_variant_new_string (title),
                                   "reported_at", g_variant_new_string (reported_at), NULL);

  g_assert_no_error (error);
  return id;
}

/* Waiting for a response, as the events say: not after an accept, a handle or a resolve;
 * still after the office supervised (督办) and someone "handled" too late to be valid. */
static void
test_today_demands (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) expected = NULL;
  g_autofree char *reported = add_demand (fx, "楼道灯坏了", "2026-09-21T01:00:00Z");
  g_autofree char *accepted = add_demand (fx, "下水道堵了", "2026-09-21T00:59:00Z");
  g_autofree char *supervised = add_demand (fx, "噪音扰民", "2026-09-20T01:00:00Z");
  g_autofree char *late_handle = add_demand (fx, "电梯故障", "2026-09-20T02:00:00Z");
  g_autofree char *settled = add_demand (fx, "邻里纠纷", "2026-09-19T01:00:00Z");
  g_autofree char *gone = add_demand (fx, "重复登记", "2026-09-18T01:00:00Z");
  guint total = 0;

  g_free (add_event (fx, reported, "report", NULL));
  g_free (add_event (fx, accepted, "report", NULL));
  g_free (add_event (fx, accepted, "accept", NULL));
  g_free (add_event (fx, supervised, "supervise", NULL));
  g_free (add_event (fx, supervised, "escalate", NULL));
  g_free (add_event (fx, late_handle, "supervise", NULL));
  g_free (add_event (fx, late_handle, "handle", NULL));
  g_free (add_event (fx, settled, "resolve", NULL));
  g_assert_true (sm_store_delete (fx->store, "demand", gone, &error));
  /* add_event() stamps every event with one time; give them their order. */
  g_assert_cmpint (sqlite3_exec (sm_store_get_connection (fx->store),
                                 "UPDATE demand_event SET at = strftime('%Y-%m-%dT%H:%M:%SZ', '2026-09-21', rowid || ' minutes')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);

  list = sm_store_list_demands_awaiting_response (fx->store, NULL, 0, &total, &error);
  g_assert_no_error (error);
  expected = query_ids (fx->store, EXPECTED_AWAITING, NULL);
  assert_same_ids (list, expected, FALSE);
  g_assert_cmpuint (total, ==, 3);
  g_assert_cmpstr (sm_record_get_id (list->pdata[0]), ==, supervised);
  g_assert_cmpstr (sm_record_get_id (list->pdata[1]), ==, late_handle);
  g_assert_cmpstr (sm_record_get_id (list->pdata[2]), ==, reported);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Accepted now: it leaves the list. */
  g_free (add_event (fx, reported, "accept", NULL));
  list = sm_store_list_demands_awaiting_response (fx->store, GRID, 1, &total, &error);
  g_assert_cmpuint (total, ==, 2);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (sm_record_get_id (list->pdata[0]), ==, supervised);
}

/* The last visit where someone was met, for "N days since the last visit". */
static void
test_last_met_visit (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *household = make_household (fx, "幸福社区1栋101");
  g_autofree char *at = NULL;

  at = sm_store_dup_last_met_visit_at (fx->store, household, &error);
  g_assert_no_error (error);
  g_assert_null (at);

  g_free (add_visit (fx, household, "care", "2026-09-01T02:00:00Z", "met", NULL));
  g_free (add_visit (fx, household, "care", "2026-09-10T02:00:00Z", "not_home", NULL));
  g_free (add_visit (fx, household, "care", "2026-08-01T02:00:00Z", "met", NULL));
  at = sm_store_dup_last_met_visit_at (fx->store, household, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (at, ==, "2026-09-01T02:00:00Z");
}

static void
changed_cb (SmStore *store,
            guint   *n_changed)
{
  g_assert_true (SM_IS_STORE (store));
  (*n_changed)++;
}

/* "changed" comes once per committed transaction that wrote records, never from inside
 * one, and not for what changes no record. */
static void
test_changed_signal (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = sm_change_batch_new ();
  g_autoptr(GArray) seqs = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autofree char *h1 = NULL, *h2 = NULL, *h3 = NULL;
  guint n_changed = 0;

  g_signal_connect (fx->store, "changed", G_CALLBACK (changed_cb), &n_changed);

  h1 = make_household (fx, "幸福社区1栋101");
  g_assert_cmpuint (n_changed, ==, 1);

  g_assert_true (sm_store_begin (fx->store, &error));
  h2 = make_household (fx, "幸福社区1栋102");
  h3 = make_household (fx, "幸福社区1栋103");
  g_assert_cmpuint (n_changed, ==, 1);
  g_assert_true (sm_store_commit (fx->store, &error));
  g_assert_cmpuint (n_changed, ==, 2);

  g_assert_true (sm_store_begin (fx->store, &error));
  g_free (make_household (fx, "幸福社区1栋104"));
  sm_store_rollback (fx->store);
  g_assert_cmpuint (n_changed, ==, 2);

  /* A remote write, then the same write again (a duplicate changes nothing). */
  g_ptr_array_add (batch, remote ("household", h1, "notes", g_variant_new_string ("独居"),
                                  sm_hlc_from_parts (1790000000000 + 60000, 0), SITE_A, 0));
  g_assert_true (sm_store_apply (fx->store, batch, "c1", NULL, &error));
  g_assert_cmpuint (n_changed, ==, 3);
  g_assert_true (sm_store_apply (fx->store, batch, "c2", NULL, &error));
  g_assert_cmpuint (n_changed, ==, 3);

  /* Acknowledging the outbox changes no record. */
  outbox = sm_store_outbox_read (fx->store, 100, &seqs, &error);
  g_assert_no_error (error);
  g_assert_true (sm_store_outbox_ack (fx->store, (const gint64 *) (gpointer) seqs->data, seqs->len, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_changed, ==, 3);

  g_signal_handlers_disconnect_by_func (fx->store, changed_cb, &n_changed);
}

static void
test_search (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *h1 = make_household (fx, "幸福小区3栋2单元501");
  g_autofree char *h2 = make_household (fx, "阳光花园1栋101");
  g_autofree char *r1 = NULL, *r2 = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  const char *zhangsan[] = { "zs", "zhangsan", "zhang san", "张三", "张", "13812345678", "5678" };

  r1 = sm_store_create_with (fx->store, "resident", GRID, &error,
                             "household_id", g_variant_new_string (h1),
                             "name", g_variant_new_string ("张三"),
                             "phone", g_variant_new_string ("13812345678"), NULL);
  r2 = sm_store_create_with (fx->store, "resident", GRID, &error,
                             "household_id", g_variant_new_string (h2),
                             "name", g_variant_new_string ("李四"), NULL);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (zhangsan); i++)
    {
      hits = sm_store_search (fx->store, zhangsan[i], 10, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (hits->len, ==, 1);
      g_assert_cmpstr (((SmSearchHit *) hits->pdata[0])->id, ==, r1);
      g_assert_cmpstr (((SmSearchHit *) hits->pdata[0])->household_id, ==, h1);
      g_assert_cmpstr (((SmSearchHit *) hits->pdata[0])->detail, ==, "幸福小区3栋2单元501");
      g_clear_pointer (&hits, g_ptr_array_unref);
    }

  hits = sm_store_search (fx->store, "幸福", 10, &error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (((SmSearchHit *) hits->pdata[0])->id, ==, h1);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Renaming updates the index; deleting removes from it. */
  g_assert_true (sm_store_update_with (fx->store, "resident", r1, &error,
                                       "name", g_variant_new_string ("王五"), NULL));
  hits = sm_store_search (fx->store, "zs", 10, &error);
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = sm_store_search (fx->store, "ww", 10, &error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);

  g_assert_true (sm_store_delete (fx->store, "resident", r2, &error));
  hits = sm_store_search (fx->store, "李四", 10, &error);
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Queries that mean something to FTS5 are plain text here. */
  hits = sm_store_search (fx->store, "\"(NEAR* -:^", 10, &error);
  g_assert_no_error (error);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = sm_store_search (fx->store, "", 10, &error);
  g_assert_cmpuint (hits->len, ==, 0);
}

static void
test_export_digest (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sanmen-store-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "other.db", NULL);
  g_autoptr(SmStore) other = sm_store_open (path, &error);
  g_autofree char *h = make_household (fx, "5栋501");
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *d1 = NULL, *d2 = NULL, *d3 = NULL;

  g_assert_true (sm_store_update_with (fx->store, "household", h, &error,
                                       "phone", g_variant_new_string ("13900001111"), NULL));
  all = sm_store_export_changes (fx->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 4);

  d1 = sm_store_compute_digest (fx->store, &error);
  d2 = sm_store_compute_digest (other, &error);
  g_assert_cmpstr (d1, !=, d2);

  /* Applied twice, in reverse: same state. */
  g_assert_true (sm_store_apply (other, all, NULL, NULL, &error));
  reverse_array (all);
  g_assert_true (sm_store_apply (other, all, NULL, NULL, &error));
  g_assert_no_error (error);
  g_free (d2);
  d2 = sm_store_compute_digest (other, &error);
  g_assert_cmpstr (d1, ==, d2);

  /* One more local write and they differ again. */
  g_assert_true (sm_store_update_with (other, "household", h, &error,
                                       "notes", g_variant_new_string ("x"), NULL));
  d3 = sm_store_compute_digest (other, &error);
  g_assert_cmpstr (d1, !=, d3);

  g_clear_object (&other);
  sm_test_remove_tree (dir);
}

/* Two connections to one replica (the client imports a roster on a second one) share the
 * site: a write on either must get a later clock than every write made on the other. */
static void
test_two_connections_clock (Fixture       *fx,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SmStore) other = sm_store_open (fx->path, &error);
  g_autofree char *h1 = NULL;
  g_autofree char *h2 = NULL;
  SmHlc other_hlc;

  g_assert_no_error (error);
  g_assert_cmpstr (sm_store_get_site (other), ==, sm_store_get_site (fx->store));

  /* The other connection's clock runs an hour ahead of this one's. */
  h1 = make_household (fx, "幸福小区1栋101");
  {
    Fixture ahead = *fx;

    ahead.now_ms = fx->now_ms + 3600 * 1000;
    sm_store_set_clock_func (other, fixture_clock, &ahead);
    g_assert_true (sm_store_update_with (other, "household", h1, &error,
                                         "notes", g_variant_new_string ("from the import"), NULL));
    g_assert_no_error (error);
    other_hlc = sm_store_get_last_hlc (other);
    sm_store_set_clock_func (other, NULL, NULL);
  }
  g_assert_cmpuint (sm_store_get_last_hlc (fx->store), <, other_hlc);

  /* This connection's next write comes after it, although its own clock is behind. */
  h2 = make_household (fx, "幸福小区1栋102");
  g_assert_cmpuint (sm_store_get_last_hlc (fx->store), >, other_hlc);
  g_assert_true (sm_store_update_with (fx->store, "household", h1, &error,
                                       "notes", g_variant_new_string ("edited after"), NULL));
  g_assert_no_error (error);
  {
    g_autoptr(SmRecord) household = sm_store_get (fx->store, "household", h1, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (sm_record_get_string (household, "notes"), ==, "edited after");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/core/store/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("open-reopen", test_open_reopen);
  g_test_add_func ("/core/store/open-errors", test_open_errors);
  ADD ("create-validation", test_create_validation);
  ADD ("demand-status-read-only", test_demand_status_read_only);
  ADD ("update-outbox", test_update_and_outbox);
  ADD ("append-only", test_append_only);
  ADD ("apply-rule", test_apply_rule);
  ADD ("apply-atomic", test_apply_atomic);
  ADD ("demand-status", test_demand_status);
  ADD ("demand-events-first", test_demand_events_first);
  ADD ("demand-lists", test_demand_lists);
  ADD ("three-lists", test_three_lists);
  ADD ("lists", test_lists);
  ADD ("household-lists", test_household_lists);
  ADD ("today-demo", test_today_demo);
  ADD ("today-local-time", test_today_local_time);
  ADD ("today-demands", test_today_demands);
  ADD ("last-met-visit", test_last_met_visit);
  ADD ("changed-signal", test_changed_signal);
  ADD ("search", test_search);
  ADD ("export-digest", test_export_digest);
  ADD ("two-connections-clock", test_two_connections_clock);
#undef ADD

  return g_test_run ();
}
