/* test-conflict.c — listing and resolving conflict records on a real replica file
 *
 * An office replica receives, as from the server, two concurrent writes of one field and
 * the conflict record the server made of them (sm_store_apply, the path a pull takes);
 * then sm-conflict lists it and resolves it each of the three ways, and the tests check
 * what the store holds and what waits in the outbox to be pushed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

#include "sanmen-core.h"
#include "sm-test-store.h"
#include "sm-test-util.h"

#define GRID "grid-01"
/* 2026-09-21T14:13:20Z */
#define T0_MS G_GUINT64_CONSTANT (1790000000000)

typedef struct {
  char    *dir;
  SmStore *store;
  guint64  now_ms;
  char    *household_id;
} Fixture;

static guint64
fixture_clock (gpointer user_data)
{
  return ((Fixture *) user_data)->now_ms;
}

/* Two workers' concurrent writes of @field, as merged here, and the server's record of
 * them: the second write (the later clock) wins. Returns the conflict's id. */
static char *
receive_conflict_on (Fixture    *fx,
                     const char *table,
                     const char *row_id,
                     const char *field,
                     const char *winner_text,
                     GVariant   *winner,
                     const char *loser_text,
                     GVariant   *loser)
{
  const SmTestConflict conflict = {
    .table = table,
    .row_id = row_id,
    .field = field,
    .loser = loser,
    .winner = winner,
    .loser_text = loser_text,
    .winner_text = winner_text,
    .base = sm_store_get_last_hlc (fx->store),
    .loser_hlc = sm_hlc_from_parts (T0_MS + 60000, 0),
    .winner_hlc = sm_hlc_from_parts (T0_MS + 120000, 0),
    .server_hlc = sm_hlc_from_parts (T0_MS + 180000, 0),
  };
  char *id = sm_test_receive_conflict (fx->store, GRID, &conflict);

  /* Time moves on to the office's resolution. */
  fx->now_ms = T0_MS + 3600000;
  return id;
}

static char *
receive_conflict (Fixture    *fx,
                  const char *field,
                  const char *winner_text,
                  GVariant   *winner,
                  const char *loser_text,
                  GVariant   *loser)
{
  return receive_conflict_on (fx, "household", fx->household_id, field, winner_text, winner,
                              loser_text, loser);
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fx->dir = g_dir_make_tmp ("sanmen-conflict-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fx->dir, "office.db", NULL);
  fx->store = sm_store_open (path, &error);
  g_assert_no_error (error);
  fx->now_ms = T0_MS;
  sm_store_set_clock_func (fx->store, fixture_clock, fx);

  fx->household_id = sm_store_create_with (fx->store, "household", GRID, &error,
                                           "address", g_variant_new_string ("幸福路8号3单元502"),
                                           "tenure", g_variant_new_string ("existing"),
                                           NULL);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  g_assert_finalize_object (g_steal_pointer (&fx->store));
  sm_test_remove_tree (fx->dir);
  g_free (fx->dir);
  g_free (fx->household_id);
}

static SmRecord *
get (Fixture    *fx,
     const char *table,
     const char *id)
{
  g_autoptr(GError) error = NULL;
  SmRecord *record = sm_store_get (fx->store, table, id, &error);

  g_assert_no_error (error);
  return record;
}

static gint64
count_open (Fixture *fx)
{
  g_autoptr(GError) error = NULL;
  gint64 n = sm_conflict_count_open (fx->store, &error);

  g_assert_no_error (error);
  return n;
}

/* ---------------------------------------------------------------- tests */

static void
test_rule (void)
{
  const SmTable *conflict = sm_schema_lookup_table ("conflict");
  const SmTable *household = sm_schema_lookup_table ("household");

  g_assert_cmpint (conflict->pattern, ==, SM_TABLE_SERVER);
  g_assert_true (sm_conflict_field_is_office_writable (sm_table_lookup_field (conflict, "status")));
  g_assert_true (sm_conflict_field_is_office_writable (sm_table_lookup_field (conflict, "resolution")));
  for (guint f = 0; f < conflict->n_fields; f++)
    if (!g_str_equal (conflict->fields[f].name, "status") &&
        !g_str_equal (conflict->fields[f].name, "resolution"))
      g_assert_false (sm_conflict_field_is_office_writable (&conflict->fields[f]));
  /* A field of the same name elsewhere is not a conflict's. */
  g_assert_false (sm_conflict_field_is_office_writable (sm_table_lookup_field (sm_schema_lookup_table ("demand"), "status")));
  g_assert_false (sm_conflict_field_is_office_writable (sm_table_lookup_field (household, "notes")));
  /* The names the server fills in are in the schema. */
  g_assert_nonnull (sm_table_lookup_field (conflict, "winner_user"));
  g_assert_nonnull (sm_table_lookup_field (conflict, "loser_user"));
}

static void
test_list (Fixture       *fx,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) open = NULL;
  g_autofree char *id = NULL;
  g_autofree char *winner_time = NULL;
  SmConflict *c;

  g_assert_cmpint (count_open (fx), ==, 0);
  id = receive_conflict (fx, "notes", "乙的备注", g_variant_new_string ("乙的备注"),
                         "甲的备注", g_variant_new_string ("甲的备注"));
  g_assert_cmpint (count_open (fx), ==, 1);

  open = sm_conflict_list_open (fx->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (open->len, ==, 1);
  c = g_ptr_array_index (open, 0);
  g_assert_cmpstr (c->id, ==, id);
  g_assert_cmpstr (c->record_label, ==, "幸福路8号3单元502");
  g_assert_cmpstr (c->field->name, ==, "notes");
  g_assert_cmpstr (c->field->table->name, ==, "household");
  g_assert_cmpstr (sm_field_get_label (c->field), ==, "Notes");
  g_assert_cmpstr (c->row_id, ==, fx->household_id);
  g_assert_cmpstr (c->grid_id, ==, GRID);
  g_assert_cmpstr (c->winner_value, ==, "乙的备注");
  g_assert_cmpstr (c->winner_user, ==, "李四");
  g_assert_cmpstr (c->other_value, ==, "甲的备注");
  g_assert_cmpstr (c->other_user, ==, "张三");
  g_assert_cmpuint (c->winner_hlc, ==, sm_hlc_from_parts (T0_MS + 120000, 0));
  g_assert_cmpuint (c->other_hlc, ==, sm_hlc_from_parts (T0_MS + 60000, 0));
  g_assert_cmpint (c->current, ==, SM_CONFLICT_CURRENT_WINNER);

  /* TZ=UTC in the test environment: the time as written. */
  winner_time = sm_conflict_format_time (c->winner_hlc);
  g_assert_cmpstr (winner_time, ==, "2026-09-21 14:15");

  /* A later edit replaced both: the page says neither holds now. */
  g_assert_true (sm_store_update_with (fx->store, "household", fx->household_id, &error,
                                       "notes", g_variant_new_string ("后来的备注"), NULL));
  g_assert_no_error (error);
  g_clear_pointer (&open, g_ptr_array_unref);
  open = sm_conflict_list_open (fx->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (((SmConflict *) g_ptr_array_index (open, 0))->current, ==, SM_CONFLICT_CURRENT_NEITHER);
}

static void
test_take_other (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SmRecord) household = NULL;
  g_autoptr(SmRecord) conflict = NULL;
  g_autoptr(GPtrArray) open = NULL;
  g_autofree char *id = NULL;
  gint64 before;
  SmHlc winner_hlc = sm_hlc_from_parts (T0_MS + 120000, 0);

  id = receive_conflict (fx, "notes", "乙的备注", g_variant_new_string ("乙的备注"),
                         "甲的备注", g_variant_new_string ("甲的备注"));
  before = sm_test_outbox_count (fx->store);

  g_assert_true (sm_conflict_resolve (fx->store, id, SM_CONFLICT_TAKE_OTHER, NULL, &error));
  g_assert_no_error (error);

  /* An ordinary write: newer than both, based on the winner the office saw. */
  household = get (fx, "household", fx->household_id);
  g_assert_cmpstr (sm_record_get_string (household, "notes"), ==, "甲的备注");
  g_assert_cmpuint (sm_record_get_clock (household, "notes")->hlc, >, winner_hlc);
  g_assert_cmpuint (sm_record_get_clock (household, "notes")->base, ==, winner_hlc);
  g_assert_cmpstr (sm_record_get_clock (household, "notes")->site, ==, sm_store_get_site (fx->store));

  conflict = get (fx, "conflict", id);
  g_assert_cmpstr (sm_record_get_string (conflict, "status"), ==, "resolved");
  g_assert_cmpstr (sm_record_get_string (conflict, "resolution"), ==, "take");
  /* What the server recorded stays as it was. */
  g_assert_cmpstr (sm_record_get_string (conflict, "winner_value"), ==, "乙的备注");

  /* The field, the status and the resolution wait to be pushed. */
  g_assert_cmpint (sm_test_outbox_count (fx->store), ==, before + 3);
  g_assert_cmpint (count_open (fx), ==, 0);
  open = sm_conflict_list_open (fx->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (open->len, ==, 0);

  /* Twice is refused, and writes nothing. */
  g_assert_false (sm_conflict_resolve (fx->store, id, SM_CONFLICT_KEEP, NULL, &error));
  g_assert_error (error, SM_STORE_ERROR, SM_STORE_ERROR_INVALID);
  g_assert_cmpint (sm_test_outbox_count (fx->store), ==, before + 3);
}

static void
test_keep (Fixture       *fx,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SmRecord) household = NULL;
  g_autoptr(SmRecord) conflict = NULL;
  g_autofree char *id = NULL;

  /* Integers and booleans come back with their type. */
  id = receive_conflict (fx, "tag_low_income", "true", g_variant_new_boolean (TRUE),
                         "false", g_variant_new_boolean (FALSE));
  g_assert_true (sm_conflict_resolve (fx->store, id, SM_CONFLICT_KEEP, NULL, &error));
  g_assert_no_error (error);

  household = get (fx, "household", fx->household_id);
  g_assert_true (sm_record_get_bool (household, "tag_low_income"));
  g_assert_cmpuint (sm_record_get_clock (household, "tag_low_income")->hlc, >,
                    sm_hlc_from_parts (T0_MS + 120000, 0));
  conflict = get (fx, "conflict", id);
  g_assert_cmpstr (sm_record_get_string (conflict, "status"), ==, "resolved");
  g_assert_cmpstr (sm_record_get_string (conflict, "resolution"), ==, "keep");
}

static void
test_new_value (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SmRecord) household = NULL;
  g_autoptr(SmRecord) conflict = NULL;
  g_autofree char *id = NULL;
  gint64 before;

  id = receive_conflict (fx, "phone", "13800000002", g_variant_new_string ("13800000002"),
                         "13900000003", g_variant_new_string ("13900000003"));
  before = sm_test_outbox_count (fx->store);

  /* Validated like any edit; a refused value writes nothing at all, not even the status. */
  g_assert_false (sm_conflict_resolve (fx->store, id, SM_CONFLICT_NEW_VALUE,
                                       g_variant_new_string ("12345"), &error));
  g_assert_nonnull (error);
  g_test_message ("refused: %s", error->message);
  g_clear_error (&error);
  g_assert_cmpint (sm_test_outbox_count (fx->store), ==, before);
  g_assert_cmpint (count_open (fx), ==, 1);
  household = get (fx, "household", fx->household_id);
  g_assert_cmpstr (sm_record_get_string (household, "phone"), ==, "13800000002");
  g_clear_object (&household);

  /* Typed as people do, stored plain. */
  g_assert_true (sm_conflict_resolve (fx->store, id, SM_CONFLICT_NEW_VALUE,
                                      g_variant_new_string ("137 0000 0004"), &error));
  g_assert_no_error (error);
  household = get (fx, "household", fx->household_id);
  g_assert_cmpstr (sm_record_get_string (household, "phone"), ==, "13700000004");
  conflict = get (fx, "conflict", id);
  g_assert_cmpstr (sm_record_get_string (conflict, "resolution"), ==, "new");
  g_assert_cmpint (sm_test_outbox_count (fx->store), ==, before + 3);
}

/* A resident's ID number: a new one is checked against the document type the record has. */
static void
test_id_number (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) open = NULL;
  g_autoptr(SmRecord) resident = NULL;
  g_autofree char *resident_id = NULL;
  g_autofree char *id = NULL;
  SmConflict *c;

  resident_id = sm_store_create_with (fx->store, "resident", GRID, &error,
                                      "household_id", g_variant_new_string (fx->household_id),
                                      "name", g_variant_new_string ("Anna Schmidt"),
                                      "id_type", g_variant_new_string ("passport"),
                                      NULL);
  g_assert_no_error (error);
  id = receive_conflict_on (fx, "resident", resident_id, "id_number", "C01234567",
                            g_variant_new_string ("C01234567"), "C07654321",
                            g_variant_new_string ("C07654321"));

  open = sm_conflict_list_open (fx->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (open->len, ==, 1);
  c = g_ptr_array_index (open, 0);
  g_assert_cmpstr (c->record_label, ==, "Anna Schmidt");
  g_assert_cmpstr (c->id_type, ==, "passport");

  /* A passport number is no resident identity card number, and need not be one. */
  g_assert_true (sm_conflict_resolve (fx->store, id, SM_CONFLICT_NEW_VALUE,
                                      g_variant_new_string ("E98765432"), &error));
  g_assert_no_error (error);
  resident = get (fx, "resident", resident_id);
  g_assert_cmpstr (sm_record_get_string (resident, "id_number"), ==, "E98765432");
}

static void
test_values (void)
{
  const SmTable *household = sm_schema_lookup_table ("household");
  const SmTable *building = sm_schema_lookup_table ("building");
  const SmField *tenure = sm_table_lookup_field (household, "tenure");
  const SmField *phone = sm_table_lookup_field (household, "phone");
  const SmField *floors = sm_table_lookup_field (building, "floors");
  const SmField *tag = sm_table_lookup_field (household, "tag_disabled");
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) v = NULL;
  g_autofree char *masked = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *label = NULL;
  g_autofree char *yes = NULL;

  v = sm_conflict_parse_value (floors, "18", &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_variant_get_int64 (v), ==, 18);
  g_clear_pointer (&v, g_variant_unref);
  g_assert_null (sm_conflict_parse_value (floors, "eighteen", &error));
  g_assert_error (error, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_WRONG_TYPE);
  g_clear_error (&error);

  v = sm_conflict_parse_value (tag, "false", &error);
  g_assert_no_error (error);
  g_assert_false (g_variant_get_boolean (v));
  g_clear_pointer (&v, g_variant_unref);
  v = sm_conflict_parse_value (tag, "是", &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_get_boolean (v));
  g_clear_pointer (&v, g_variant_unref);

  /* Enums by value or by what the page shows. */
  v = sm_conflict_parse_value (tenure, "New resident", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_variant_get_string (v, NULL), ==, "new");
  g_clear_pointer (&v, g_variant_unref);
  g_assert_null (sm_conflict_parse_value (tenure, "someone", &error));
  g_assert_error (error, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_assert_null (sm_conflict_parse_value (tenure, NULL, &error));
  g_assert_no_error (error);

  label = sm_conflict_dup_display (tenure, "existing", FALSE);
  g_assert_cmpstr (label, ==, "Existing resident");
  yes = sm_conflict_dup_display (tag, "true", FALSE);
  g_assert_cmpstr (yes, ==, "Yes");
  masked = sm_conflict_dup_display (phone, "13800001234", FALSE);
  g_assert_cmpstr (masked, ==, "138****1234");
  shown = sm_conflict_dup_display (phone, "13800001234", TRUE);
  g_assert_cmpstr (shown, ==, "13800001234");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/conflict/office-rule", test_rule);
  g_test_add_func ("/conflict/values", test_values);
  g_test_add ("/conflict/list", Fixture, NULL, fixture_setup, test_list, fixture_teardown);
  g_test_add ("/conflict/take-other", Fixture, NULL, fixture_setup, test_take_other, fixture_teardown);
  g_test_add ("/conflict/keep", Fixture, NULL, fixture_setup, test_keep, fixture_teardown);
  g_test_add ("/conflict/new-value", Fixture, NULL, fixture_setup, test_new_value, fixture_teardown);
  g_test_add ("/conflict/id-number", Fixture, NULL, fixture_setup, test_id_number, fixture_teardown);

  return g_test_run ();
}
