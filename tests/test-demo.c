/* test-demo.c — the deterministic demo community
 *
 * The stream: byte for byte the same for the same options, different for another seed,
 * cut into chunks of the size asked for, every change well formed and valid as a local
 * write, referenced records created first. The community: populated into a real replica,
 * with the counts, ID numbers, phones, difficulty share, kinds, histories and derived
 * demand statuses the demo promises, and the same digest in two replicas.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "sanmen-core.h"
#include "sm-test-util.h"

/* ---------------------------------------------------------------- helpers */

typedef struct {
  GChecksum *batches;   /* over sm_change_batch_to_data() of each chunk */
  GChecksum *changes;   /* over each change's JSON alone, blind to chunk boundaries */
  guint      n_chunks;
  guint      n_changes;
  guint      max_chunk;
  guint      last_chunk;
  guint      short_chunks;  /* chunks smaller than the largest, the last excepted */
  GPtrArray *all;           /* every change, when asked for */
  guint      fail_at;       /* return an error at this chunk (1-based); 0 never */
} Collector;

static void
collector_init (Collector *c,
                gboolean   keep)
{
  memset (c, 0, sizeof *c);
  c->batches = g_checksum_new (G_CHECKSUM_SHA256);
  c->changes = g_checksum_new (G_CHECKSUM_SHA256);
  if (keep)
    c->all = sm_change_batch_new ();
}

static void
collector_clear (Collector *c)
{
  g_checksum_free (c->batches);
  g_checksum_free (c->changes);
  g_clear_pointer (&c->all, g_ptr_array_unref);
}

static gboolean
collect_cb (GPtrArray  *changes,
            gpointer    user_data,
            GError    **error)
{
  Collector *c = user_data;
  g_autofree char *data = NULL;
  gsize length;

  c->n_chunks++;
  if (c->fail_at != 0 && c->n_chunks == c->fail_at)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "disk full");
      return FALSE;
    }

  g_assert_cmpuint (changes->len, >, 0);
  if (c->last_chunk != 0 && c->last_chunk < c->max_chunk)
    c->short_chunks++;
  c->max_chunk = MAX (c->max_chunk, changes->len);
  c->last_chunk = changes->len;
  c->n_changes += changes->len;

  data = sm_change_batch_to_data (changes, &length);
  g_checksum_update (c->batches, (const guchar *) data, (gssize) length);

  for (guint i = 0; i < changes->len; i++)
    {
      SmChange *change = g_ptr_array_index (changes, i);
      g_autoptr(JsonNode) node = sm_change_to_json (change);
      g_autofree char *text = json_to_string (node, FALSE);

      g_checksum_update (c->changes, (const guchar *) text, -1);
      if (c->all != NULL)
        g_ptr_array_add (c->all, sm_change_ref (change));
    }

  return TRUE;
}

static void
generate (const SmDemoOptions *options,
          Collector           *c)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sm_demo_generate (options, collect_cb, c, &error));
  g_assert_no_error (error);
}

static void
small_options (SmDemoOptions *options)
{
  sm_demo_options_init (options);
  options->n_grids = 2;
  options->n_households = 120;
}

/* ---------------------------------------------------------------- the stream */

static void
test_options (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-11-01T09:00:00+08:00", NULL);
  g_autofree char *first = sm_demo_grid_id (0);
  g_autofree char *twelfth = sm_demo_grid_id (11);
  SmDemoOptions options;

  sm_demo_options_init (&options);
  g_assert_cmpuint (options.seed, ==, 1);
  g_assert_cmpuint (options.n_grids, ==, 4);
  g_assert_cmpuint (options.n_households, ==, 400);
  g_assert_cmpint (options.now_unix, ==, g_date_time_to_unix (now));
  g_assert_true (sm_site_is_valid (options.site));
  g_assert_cmpuint (options.chunk_size, ==, 10000);

  g_assert_cmpstr (first, ==, "grid-01");
  g_assert_cmpstr (twelfth, ==, "grid-12");
  g_assert_true (sm_id_is_valid (first));
}

static void
test_deterministic (void)
{
  SmDemoOptions options;
  Collector a, b, c;

  sm_demo_options_init (&options);
  options.chunk_size = 1000;
  collector_init (&a, FALSE);
  collector_init (&b, FALSE);
  collector_init (&c, FALSE);

  generate (&options, &a);
  generate (&options, &b);
  g_assert_cmpuint (a.n_changes, >, 10000);
  g_assert_cmpuint (a.n_changes, ==, b.n_changes);
  g_assert_cmpstr (g_checksum_get_string (a.batches), ==, g_checksum_get_string (b.batches));
  g_assert_cmpstr (g_checksum_get_string (a.changes), ==, g_checksum_get_string (b.changes));

  /* The chunk size cuts the same stream differently and changes nothing else. */
  options.chunk_size = 4321;
  generate (&options, &c);
  g_assert_cmpuint (c.n_changes, ==, a.n_changes);
  g_assert_cmpstr (g_checksum_get_string (c.changes), ==, g_checksum_get_string (a.changes));
  g_assert_cmpstr (g_checksum_get_string (c.batches), !=, g_checksum_get_string (a.batches));

  collector_clear (&a);
  collector_clear (&b);
  collector_clear (&c);
}

static void
test_seed (void)
{
  SmDemoOptions options;
  Collector a, b, c, d;

  small_options (&options);
  collector_init (&a, FALSE);
  collector_init (&b, FALSE);
  collector_init (&c, FALSE);
  collector_init (&d, FALSE);

  generate (&options, &a);
  options.seed = 2;
  generate (&options, &b);
  g_assert_cmpstr (g_checksum_get_string (a.batches), !=, g_checksum_get_string (b.batches));

  /* Another day or another device is another stream too. */
  options.seed = 1;
  options.now_unix += 86400;
  generate (&options, &c);
  g_assert_cmpstr (g_checksum_get_string (a.batches), !=, g_checksum_get_string (c.batches));

  options.now_unix -= 86400;
  options.site = "0123456789abcdef0123456789abcdef";
  generate (&options, &d);
  g_assert_cmpstr (g_checksum_get_string (a.batches), !=, g_checksum_get_string (d.batches));
  g_assert_cmpuint (a.n_changes, ==, d.n_changes);

  collector_clear (&a);
  collector_clear (&b);
  collector_clear (&c);
  collector_clear (&d);
}

static void
test_chunks (void)
{
  g_autoptr(GError) error = NULL;
  SmDemoOptions options;
  Collector c, failing;

  small_options (&options);
  options.chunk_size = 777;
  collector_init (&c, FALSE);
  generate (&options, &c);
  g_assert_cmpuint (c.max_chunk, ==, 777);
  g_assert_cmpuint (c.short_chunks, ==, 0);
  g_assert_cmpuint (c.last_chunk, <=, 777);
  g_assert_cmpuint (c.n_chunks, ==, (c.n_changes + 776) / 777);

  /* A failing consumer stops the generator, and its error comes back as it was. */
  collector_init (&failing, FALSE);
  failing.fail_at = 3;
  g_assert_false (sm_demo_generate (&options, collect_cb, &failing, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpuint (failing.n_chunks, ==, 3);
  g_assert_cmpuint (failing.n_changes, ==, 2 * 777);

  collector_clear (&c);
  collector_clear (&failing);
}

typedef struct {
  const SmTable *table;
  GHashTable    *fields;   /* field name → GVariant (borrowed from the change) */
} DemoRecord;

static void
demo_record_free (DemoRecord *record)
{
  g_hash_table_unref (record->fields);
  g_free (record);
}

static const char *
record_string (DemoRecord *record,
               const char *field)
{
  GVariant *v = g_hash_table_lookup (record->fields, field);

  return v != NULL ? g_variant_get_string (v, NULL) : NULL;
}

/* Every change is what a careful client would write: valid as JSON on the wire, valid as
 * a local write, stamped with the demo's site, referring only to records made before. */
static void
test_valid_changes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) demo_record_free);
  g_autoptr(GPtrArray) parsed = NULL;
  g_autofree char *data = NULL;
  g_autofree char *again = NULL;
  SmDemoOptions options;
  SmHlc last = SM_HLC_ZERO;
  Collector c;
  guint n_updates = 0;
  GHashTableIter iter;
  gpointer value;

  small_options (&options);
  collector_init (&c, TRUE);
  generate (&options, &c);

  /* Through the wire format and back, with all of its checks. */
  data = sm_change_batch_to_data (c.all, NULL);
  parsed = sm_change_batch_from_data (data, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (parsed->len, ==, c.all->len);
  again = sm_change_batch_to_data (parsed, NULL);
  g_assert_cmpstr (again, ==, data);

  for (guint i = 0; i < c.all->len; i++)
    {
      SmChange *change = g_ptr_array_index (c.all, i);
      g_autofree char *key = g_strconcat (change->table->name, "/", change->row_id, NULL);
      DemoRecord *record = g_hash_table_lookup (records, key);
      const SmField *field = change->field;

      g_assert_cmpstr (change->site, ==, options.site);
      g_assert_cmphex (change->base, ==, SM_HLC_ZERO);
      g_assert_true (sm_id_is_valid (change->row_id));
      g_assert_false (field->flags & SM_FIELD_FLAG_DERIVED);
      g_assert_cmpuint (sm_hlc_get_physical_ms (change->hlc) / 1000, >=, options.now_unix);
      g_assert_cmpuint (sm_hlc_get_physical_ms (change->hlc) / 1000, <, options.now_unix + 60);
      /* One clock per write of a record, counting up. */
      g_assert_cmphex (change->hlc, >=, last);

      if (change->hlc != last)
        {
          /* A new write: a new record, or the one update the demo makes (a building
           * getting its leader once its residents exist). */
          if (record == NULL)
            {
              g_assert_cmpstr (field->name, ==, "grid_id");
              record = g_new0 (DemoRecord, 1);
              record->table = change->table;
              record->fields = g_hash_table_new (g_str_hash, g_str_equal);
              g_hash_table_insert (records, g_steal_pointer (&key), record);
            }
          else
            {
              g_assert_cmpstr (change->table->name, ==, "building");
              g_assert_cmpstr (field->name, ==, "leader_resident_id");
              n_updates++;
            }
        }
      else
        g_assert_nonnull (record);
      last = change->hlc;

      g_assert_false (g_hash_table_contains (record->fields, field->name));
      g_hash_table_insert (record->fields, (gpointer) field->name, change->value);

      if (field->flags & SM_FIELD_FLAG_SYSTEM)
        {
          g_assert_cmpstr (field->name, ==, "grid_id");
          g_assert_cmpstr (g_variant_get_string (change->value, NULL), ==, change->grid_id);
        }

      /* Referenced records come first. */
      if (field->type == SM_FIELD_REF && change->value != NULL)
        {
          g_autofree char *ref = g_strconcat (field->ref_table, "/",
                                              g_variant_get_string (change->value, NULL), NULL);

          if (!g_hash_table_contains (records, ref))
            g_error ("%s.%s of %s refers to %s, not made yet", change->table->name,
                     field->name, change->row_id, ref);
        }
    }

  g_assert_cmpuint (n_updates, >, 0);

  /* Each record as a whole: required fields present, and valid as a local write. */
  g_hash_table_iter_init (&iter, records);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      DemoRecord *record = value;
      const char *id_type = record_string (record, "id_type");

      for (guint f = 0; f < record->table->n_fields; f++)
        {
          const SmField *field = &record->table->fields[f];
          GVariant *v = g_hash_table_lookup (record->fields, field->name);
          g_autoptr(GVariant) canonical = NULL;

          if (field->flags & SM_FIELD_FLAG_REQUIRED)
            g_assert_nonnull (v);
          if (v == NULL || (field->flags & SM_FIELD_FLAG_SYSTEM))
            continue;

          if (!sm_field_validate_local (field, v, id_type, &canonical, &error))
            g_error ("%s.%s = %s: %s", record->table->name, field->name,
                     g_variant_print (v, FALSE), error->message);
          g_assert_true (g_variant_equal (canonical, v));
        }

      if (g_str_equal (record->table->name, "resident") && id_type != NULL &&
          !g_str_equal (id_type, "passport"))
        {
          sm_validate_id_number_birth (record_string (record, "id_number"),
                                       record_string (record, "birth_date"), &error);
          g_assert_no_error (error);
        }
    }

  collector_clear (&c);
}

/* ---------------------------------------------------------------- a populated replica */

typedef struct {
  char          *dir;
  char          *path;
  SmStore       *store;
  sqlite3       *db;     /* a second, read-only connection for questions the API lacks */
  SmDemoOptions  options;
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fx->dir = g_dir_make_tmp ("sanmen-demo-XXXXXX", &error);
  g_assert_no_error (error);
  fx->path = g_build_filename (fx->dir, "replica.db", NULL);
  fx->store = sm_store_open (fx->path, &error);
  g_assert_no_error (error);

  sm_demo_options_init (&fx->options);
  g_assert_true (sm_demo_populate_store (fx->store, &fx->options, &error));
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_open_v2 (fx->path, &fx->db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  sqlite3_close (fx->db);
  g_assert_finalize_object (fx->store);
  sm_test_remove_tree (fx->dir);
  g_free (fx->path);
  g_free (fx->dir);
}

static gint64
query_int (Fixture    *fx,
           const char *sql)
{
  sqlite3_stmt *stmt;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (fx->db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return n;
}

/* Fails naming @sql when it counts any row. */
static void
assert_none (Fixture    *fx,
             const char *sql)
{
  gint64 n = query_int (fx, sql);

  if (n != 0)
    g_error ("%" G_GINT64_FORMAT " rows where none should be: %s", n, sql);
}

/* Any difficulty tag of household h. */
#define TAGGED "(h.tag_elderly_alone = 1 OR h.tag_low_income = 1 OR h.tag_disabled = 1" \
               " OR h.tag_serious_illness = 1 OR h.tag_unemployed = 1" \
               " OR h.tag_left_behind_child = 1)"
#define DEMO_NOW_UTC "'2026-11-01T01:00:00Z'"

/* The distinct values of a column, as a set. */
static GHashTable *
query_set (Fixture    *fx,
           const char *sql)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt;

  g_assert_cmpint (sqlite3_prepare_v2 (fx->db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    if (sqlite3_column_type (stmt, 0) != SQLITE_NULL)
      g_hash_table_add (set, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);

  return set;
}

static void
test_store_counts (Fixture       *fx,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 households = sm_store_count (fx->store, "household", &error);
  gint64 residents = sm_store_count (fx->store, "resident", &error);
  gint64 total = 0;

  g_assert_no_error (error);
  g_assert_cmpint (households, ==, fx->options.n_households);
  g_assert_cmpint (sm_store_count (fx->store, "grid", NULL), ==, fx->options.n_grids);
  g_assert_cmpint (sm_store_count (fx->store, "compound", NULL), >=, 5);
  g_assert_cmpint (sm_store_count (fx->store, "building", NULL), >=, 5);
  g_assert_cmpint (sm_store_count (fx->store, "visit", NULL), >=, households / 2);
  g_assert_cmpint (sm_store_count (fx->store, "demand", NULL), >=, households / 10);
  g_assert_cmpint (sm_store_count (fx->store, "demand_event", NULL), >=,
                   2 * sm_store_count (fx->store, "demand", NULL));

  /* 1 to 6 people a household, 2 to 3.5 on average. */
  g_assert_cmpint (residents, >=, 2 * households);
  g_assert_cmpint (residents, <=, 7 * households / 2);
  assert_none (fx, "SELECT count(*) FROM household h WHERE NOT EXISTS"
                   " (SELECT 1 FROM resident r WHERE r.household_id = h.id)");
  g_assert_cmpint (query_int (fx, "SELECT max(n) FROM (SELECT count(*) AS n FROM resident"
                                  " GROUP BY household_id)"), <=, 6);
  g_assert_cmpint (query_int (fx, "SELECT count(*) FROM resident WHERE relation = 'self'"), ==,
                   households);

  /* Spread over the grids as asked, through the store's own list. */
  for (guint g = 0; g < fx->options.n_grids; g++)
    {
      g_autofree char *grid = sm_demo_grid_id (g);
      g_autoptr(GPtrArray) list = sm_store_list_households (fx->store, grid, NULL, 0, 0, &error);
      g_autoptr(SmRecord) record = sm_store_get (fx->store, "grid", grid, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (list->len, ==, fx->options.n_households / fx->options.n_grids);
      total += list->len;
      g_assert_true (g_str_has_suffix (sm_record_get_string (record, "name"), "网格"));
      g_assert_true (g_str_has_suffix (sm_record_get_string (record, "community"), "社区"));
      g_assert_true (g_str_has_suffix (sm_record_get_string (record, "subdistrict"), "街道"));
    }
  g_assert_cmpint (total, ==, households);

  g_assert_true (sm_store_check_integrity (fx->store, &error));
  g_assert_no_error (error);
}

static void
test_store_residents (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(GHashTable) surnames = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt;
  guint n = 0, n_phones = 0, n_cn_id = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (fx->db, "SELECT name, gender, birth_date, id_type,"
                                               " id_number, phone FROM resident",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(GError) error = NULL;
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      const char *gender = (const char *) sqlite3_column_text (stmt, 1);
      const char *birth_date = (const char *) sqlite3_column_text (stmt, 2);
      const char *id_type = (const char *) sqlite3_column_text (stmt, 3);
      const char *id_number = (const char *) sqlite3_column_text (stmt, 4);
      const char *phone = (const char *) sqlite3_column_text (stmt, 5);
      glong name_chars;

      n++;
      g_assert_nonnull (name);
      g_assert_nonnull (birth_date);
      g_assert_nonnull (id_type);
      g_assert_nonnull (id_number);
      name_chars = g_utf8_strlen (name, -1);
      g_assert_cmpint (name_chars, >=, 2);

      if (!g_str_equal (id_type, "passport"))
        {
          if (!sm_validate_id_number_birth (id_number, birth_date, &error))
            g_error ("%s %s %s: %s", name, id_number, birth_date, error->message);
          /* The 17th digit is odd for men, even for women. */
          g_assert_cmpint ((id_number[16] - '0') % 2, ==, g_str_equal (gender, "male") ? 1 : 0);
        }
      if (g_str_equal (id_type, "cn_id"))
        {
          n_cn_id++;
          if (name_chars <= 4)
            {
              g_autofree char *surname = g_utf8_substring (name, 0, 1);
              g_hash_table_add (surnames, g_steal_pointer (&surname));
            }
        }

      if (phone != NULL)
        {
          n_phones++;
          sm_validate_mobile (phone, &error);
          g_assert_no_error (error);
          g_assert_true (g_regex_match_simple ("^1[3-9][0-9]{9}$", phone, 0, 0));
        }
    }
  g_assert_cmpint (sqlite3_finalize (stmt), ==, SQLITE_OK);

  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (n_cn_id, >=, n * 95 / 100);
  g_assert_cmpuint (n_phones, >=, n / 2);
  g_assert_cmpuint (n_phones, <, n);
  /* Common surnames, and many of them. */
  g_assert_true (g_hash_table_contains (surnames, "王"));
  g_assert_true (g_hash_table_contains (surnames, "李"));
  g_assert_true (g_hash_table_contains (surnames, "张"));
  g_assert_cmpuint (g_hash_table_size (surnames), >=, 30);

  /* Like real ones, no two ID numbers are the same. */
  assert_none (fx, "SELECT count(*) - count(DISTINCT id_number) FROM resident");

  /* Households' phones are valid too, and most households have one. */
  assert_none (fx, "SELECT count(*) FROM household WHERE phone IS NOT NULL"
                   " AND (length(phone) != 11 OR phone NOT GLOB '1[3-9]*')");
  g_assert_cmpint (query_int (fx, "SELECT count(*) FROM household WHERE phone IS NOT NULL"), >=,
                   fx->options.n_households * 3 / 4);
  /* "幸福里小区 3栋 2单元 501" */
  assert_none (fx, "SELECT count(*) FROM household WHERE address NOT LIKE '% %单元 %'");
}

static void
test_store_kinds_and_tags (Fixture       *fx,
                           gconstpointer  data)
{
  g_autoptr(GHashTable) compound_kinds = query_set (fx, "SELECT kind FROM compound");
  g_autoptr(GHashTable) visit_kinds = query_set (fx, "SELECT kind FROM visit");
  g_autoptr(GHashTable) outcomes = query_set (fx, "SELECT outcome FROM visit");
  g_autoptr(GHashTable) tenures = query_set (fx, "SELECT tenure FROM household");
  gint64 n = fx->options.n_households;
  gint64 tagged = query_int (fx, "SELECT count(*) FROM household h WHERE " TAGGED);
  gint64 new_residents = query_int (fx, "SELECT count(*) FROM household WHERE tenure = 'new'");
  const char * const kinds[] = { "commercial", "old", "resettlement", "rental", "basic" };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    g_assert_true (g_hash_table_contains (compound_kinds, kinds[i]));
  g_assert_cmpuint (g_hash_table_size (visit_kinds), ==, 3);
  g_assert_cmpuint (g_hash_table_size (outcomes), ==, 3);
  g_assert_cmpuint (g_hash_table_size (tenures), ==, 2);

  /* About one household in ten is in difficulty. */
  g_assert_cmpint (tagged, >=, n * 5 / 100);
  g_assert_cmpint (tagged, <=, n * 15 / 100);
  g_assert_cmpint (new_residents, >=, n * 3 / 100);
  g_assert_cmpint (new_residents, <=, n * 30 / 100);

  /* Care visits go to households in difficulty, knocks to new residents. */
  assert_none (fx, "SELECT count(*) FROM visit v JOIN household h ON h.id = v.household_id"
                   " WHERE v.kind = 'care' AND NOT " TAGGED);
  assert_none (fx, "SELECT count(*) FROM visit v JOIN household h ON h.id = v.household_id"
                   " WHERE v.kind = 'knock' AND h.tenure != 'new'");
  assert_none (fx, "SELECT count(*) FROM visit WHERE visited_at >= " DEMO_NOW_UTC);
  /* Nobody is met before they were born or moved in. */
  assert_none (fx, "SELECT count(*) FROM visit v JOIN household h ON h.id = v.household_id"
                   " WHERE h.moved_in IS NOT NULL AND v.visited_at < h.moved_in");

  /* Buildings have a leader who lives in them, nearly all. */
  assert_none (fx, "SELECT count(*) FROM building b WHERE leader_resident_id IS NOT NULL"
                   " AND NOT EXISTS (SELECT 1 FROM resident r"
                   " JOIN household h ON h.id = r.household_id"
                   " WHERE r.id = b.leader_resident_id AND h.building_id = b.id)");
  g_assert_cmpint (query_int (fx, "SELECT count(*) FROM building WHERE leader_resident_id IS NULL")
                   * 10, <=, query_int (fx, "SELECT count(*) FROM building"));
}

/* The worker's lists have something to show: new residents not knocked on yet, and
 * households in difficulty without a care visit for a month. */
static void
test_store_lists (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (fx->options.now_unix);
  g_autoptr(GPtrArray) not_knocked = NULL;
  g_autoptr(GPtrArray) unvisited = NULL;
  gint64 recent = query_int (fx, "SELECT count(*) FROM household WHERE tenure = 'new'"
                                 " AND moved_in >= '2026-10-18'");

  not_knocked = sm_store_list_new_not_knocked (fx->store, NULL, 7, now, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (not_knocked->len, >, 0);
  g_assert_cmpint (recent, >, 0);

  unvisited = sm_store_list_difficulty_unvisited (fx->store, NULL, 30, now, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (unvisited->len, >, 0);
}

static void
test_store_demands (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) demands = sm_store_list_demands (fx->store, NULL, NULL, 0, 0, &error);
  g_autoptr(GHashTable) statuses = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) sources = query_set (fx, "SELECT source FROM demand");
  guint on_time = 0, accepted = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (demands->len, >, 0);

  for (guint i = 0; i < demands->len; i++)
    {
      SmRecord *demand = g_ptr_array_index (demands, i);
      const char *reported_at = sm_record_get_string (demand, "reported_at");
      g_autoptr(GPtrArray) events = NULL;
      const char *previous = NULL;

      events = sm_store_list_demand_events (fx->store, sm_record_get_id (demand), &error);
      g_assert_no_error (error);
      g_hash_table_add (statuses, (gpointer) sm_record_get_string (demand, "status"));
      g_assert_cmpstr (sm_record_get_string (demand, "due_at"), >, reported_at);

      /* The history starts with the report and runs forward in time, before now. */
      g_assert_cmpuint (events->len, >, 0);
      for (guint e = 0; e < events->len; e++)
        {
          SmRecord *event = g_ptr_array_index (events, e);
          const char *at = sm_record_get_string (event, "at");
          const char *action = sm_record_get_string (event, "action");

          if (e == 0)
            {
              g_assert_cmpstr (action, ==, "report");
              g_assert_cmpstr (at, ==, reported_at);
            }
          else
            g_assert_cmpstr (at, >=, previous);
          g_assert_cmpstr (at, <, "2026-11-01T01:00:00Z");  /* the demo's now */

          if (g_str_equal (action, "accept"))
            {
              g_autoptr(GDateTime) t0 = g_date_time_new_from_iso8601 (reported_at, NULL);
              g_autoptr(GDateTime) t1 = g_date_time_new_from_iso8601 (at, NULL);
              GTimeSpan minutes = g_date_time_difference (t1, t0) / G_TIME_SPAN_MINUTE;

              g_assert_cmpint (minutes, >=, 0);
              g_assert_cmpint (minutes, <=, 90);
              accepted++;
              on_time += minutes <= 5;
              g_assert_cmpstr (sm_record_get_string (demand, "responded_at"), ==, at);
            }
          if (g_str_equal (action, "evaluate"))
            g_assert_nonnull (sm_record_get_string (event, "satisfaction"));
          previous = at;
        }
    }

  /* The store derived statuses all along the loop. */
  g_assert_true (g_hash_table_contains (statuses, "evaluated"));
  g_assert_true (g_hash_table_contains (statuses, "handling") ||
                 g_hash_table_contains (statuses, "supervising"));
  g_assert_true (g_hash_table_contains (statuses, "reported") ||
                 g_hash_table_contains (statuses, "accepted"));
  g_assert_cmpuint (g_hash_table_size (statuses), >=, 4);
  g_assert_true (g_hash_table_contains (sources, "visit"));
  g_assert_cmpuint (g_hash_table_size (sources), >=, 4);

  /* Mostly within the 5-minute response target, not always. */
  g_assert_cmpuint (accepted, >, 0);
  g_assert_cmpuint (on_time, >=, accepted * 6 / 10);
  g_assert_cmpuint (on_time, <, accepted);

  /* A demand raised on a visit comes from a visit where someone was met, before it. */
  assert_none (fx, "SELECT count(*) FROM demand d WHERE visit_id IS NOT NULL AND NOT EXISTS"
                   " (SELECT 1 FROM visit v WHERE v.id = d.visit_id"
                   " AND v.household_id = d.household_id AND v.outcome = 'met'"
                   " AND v.visited_at <= d.reported_at)");
}

/* Two replicas populated with the same options hold the same state. */
static void
test_store_digest (Fixture       *fx,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path2 = g_build_filename (fx->dir, "second.db", NULL);
  g_autofree char *path3 = g_build_filename (fx->dir, "third.db", NULL);
  g_autoptr(SmStore) second = sm_store_open (path2, &error);
  g_autoptr(SmStore) third = NULL;
  g_autofree char *d1 = NULL, *d2 = NULL, *d3 = NULL;
  SmDemoOptions options = fx->options;

  g_assert_no_error (error);
  /* Chunks of another size: the transactions differ, the state does not. */
  options.chunk_size = 997;
  g_assert_true (sm_demo_populate_store (second, &options, &error));
  g_assert_no_error (error);

  d1 = sm_store_compute_digest (fx->store, &error);
  g_assert_no_error (error);
  d2 = sm_store_compute_digest (second, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (d1, ==, d2);

  /* Applied again, everything is a duplicate. */
  g_assert_true (sm_demo_populate_store (second, &options, &error));
  g_free (d2);
  d2 = sm_store_compute_digest (second, &error);
  g_assert_cmpstr (d1, ==, d2);

  third = sm_store_open (path3, &error);
  g_assert_no_error (error);
  options.seed = 7;
  g_assert_true (sm_demo_populate_store (third, &options, &error));
  g_assert_no_error (error);
  d3 = sm_store_compute_digest (third, &error);
  g_assert_cmpstr (d1, !=, d3);

  g_clear_object (&second);
  g_clear_object (&third);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/demo/options", test_options);
  g_test_add_func ("/core/demo/deterministic", test_deterministic);
  g_test_add_func ("/core/demo/seed", test_seed);
  g_test_add_func ("/core/demo/chunks", test_chunks);
  g_test_add_func ("/core/demo/valid-changes", test_valid_changes);

#define ADD(path, fn) \
  g_test_add ("/core/demo/store/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("counts", test_store_counts);
  ADD ("residents", test_store_residents);
  ADD ("kinds-and-tags", test_store_kinds_and_tags);
  ADD ("lists", test_store_lists);
  ADD ("demands", test_store_demands);
  ADD ("digest", test_store_digest);
#undef ADD

  return g_test_run ();
}
