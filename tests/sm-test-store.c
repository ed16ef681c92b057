/* sm-test-store.c — changes written into a replica as a pull would write them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sm-test-store.h"

/* The site of the records only the server makes (grids). */
#define SITE_GRID "0123456789abcdef0123456789abcdef"

/* How many live records @table holds. */
gint64
sm_test_count (SmStore    *store,
               const char *table)
{
  g_autoptr(GError) error = NULL;
  gint64 n = sm_store_count (store, table, &error);

  g_assert_no_error (error);
  return n;
}

/* How many changes wait to be pushed. */
gint64
sm_test_outbox_count (SmStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 n = sm_store_outbox_count (store, &error);

  g_assert_no_error (error);
  return n;
}

/* Appends to @changes the change of @field of @row_id in @grid_id, as from @site. */
void
sm_test_add_change (GPtrArray  *changes,
                    const char *grid_id,
                    const char *table,
                    const char *row_id,
                    const char *field,
                    GVariant   *value,
                    SmHlc       hlc,
                    const char *site,
                    SmHlc       base)
{
  const SmField *f = sm_table_lookup_field (sm_schema_lookup_table (table), field);

  g_assert_nonnull (f);
  g_ptr_array_add (changes, sm_change_new (f, row_id, grid_id, value, hlc, site, base));
}

/* Merges @changes into @store, as a pull does. */
void
sm_test_apply (SmStore   *store,
               GPtrArray *changes)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sm_store_apply (store, changes, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* The grid record @grid_id named @name, which only the server makes. */
void
sm_test_apply_grid (SmStore    *store,
                    const char *grid_id,
                    const char *name)
{
  g_autoptr(GPtrArray) changes = sm_change_batch_new ();
  SmHlc hlc = sm_hlc_from_parts (1000, 0);

  sm_test_add_change (changes, grid_id, "grid", grid_id, "grid_id", g_variant_new_string (grid_id),
                      hlc, SITE_GRID, SM_HLC_ZERO);
  sm_test_add_change (changes, grid_id, "grid", grid_id, "name", g_variant_new_string (name),
                      hlc, SITE_GRID, SM_HLC_ZERO);
  sm_test_apply (store, changes);
}

static GVariant *
string_or_null (const char *text)
{
  return text != NULL ? g_variant_new_string (text) : NULL;
}

/**
 * sm_test_receive_conflict:
 * @store: the (office) replica
 * @grid_id: the grid of the record written
 * @conflict: what the two workers wrote, and when
 *
 * Merges the two workers' writes into @store, then the conflict record the server made
 * of them, as a pull would: 李四's write, the later, wins.
 *
 * Returns: (transfer full): the conflict record's id, `conflict-FIELD`
 */
char *
sm_test_receive_conflict (SmStore              *store,
                          const char           *grid_id,
                          const SmTestConflict *conflict)
{
  g_autoptr(GPtrArray) writes = sm_change_batch_new ();
  g_autoptr(GPtrArray) record = sm_change_batch_new ();
  g_autofree char *id = g_strdup_printf ("conflict-%s", conflict->field);
  g_autofree char *winner_hlc = sm_hlc_to_string (conflict->winner_hlc);
  g_autofree char *loser_hlc = sm_hlc_to_string (conflict->loser_hlc);
  const struct {
    const char *name;
    GVariant   *value;
  } fields[] = {
    { "grid_id", g_variant_new_string (grid_id) },
    { "table_name", g_variant_new_string (conflict->table) },
    { "row_id", g_variant_new_string (conflict->row_id) },
    { "field", g_variant_new_string (conflict->field) },
    { "winner_value", string_or_null (conflict->winner_text) },
    { "winner_hlc", g_variant_new_string (winner_hlc) },
    { "winner_site", g_variant_new_string (SM_TEST_SITE_W2) },
    { "winner_user", g_variant_new_string ("李四") },
    { "loser_value", string_or_null (conflict->loser_text) },
    { "loser_hlc", g_variant_new_string (loser_hlc) },
    { "loser_site", g_variant_new_string (SM_TEST_SITE_W1) },
    { "loser_user", g_variant_new_string ("张三") },
    { "status", g_variant_new_string ("open") },
  };

  sm_test_add_change (writes, grid_id, conflict->table, conflict->row_id, conflict->field,
                      conflict->loser, conflict->loser_hlc, SM_TEST_SITE_W1, conflict->base);
  sm_test_add_change (writes, grid_id, conflict->table, conflict->row_id, conflict->field,
                      conflict->winner, conflict->winner_hlc, SM_TEST_SITE_W2, conflict->base);
  sm_test_apply (store, writes);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    sm_test_add_change (record, grid_id, "conflict", id, fields[i].name, fields[i].value,
                        conflict->server_hlc, SM_TEST_SITE_SERVER, SM_HLC_ZERO);
  sm_test_apply (store, record);

  return g_steal_pointer (&id);
}
