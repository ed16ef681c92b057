/* test-change.c — SmChange and its strict JSON codec
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "sm-change.h"
#include "sm-hlc.h"
#include "sm-schema.h"

#define ROW_ID "0190f2a1-7c3e-7abc-8def-0123456789ab"
#define SITE_A "0123456789abcdef0123456789abcdef"
#define SITE_B "fedcba9876543210fedcba9876543210"
#define HLC_1  "0190f2a17c3e0001"
#define BASE_0 "0000000000000000"
#define GRID   "grid-01"

/* A well-formed change with one member replaced or removed. Members left NULL in the
 * case take the defaults of a valid household.address write. */
typedef struct {
  const char    *desc;
  const char    *t;
  const char    *f;
  const char    *v;        /* JSON text of "v" */
  const char    *member;   /* the member to replace, add or remove */
  const char    *json;     /* its new JSON text; NULL removes it */
  SmChangeError  code;
} BadCase;

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static JsonNode *
make_change_node (const char *t,
                  const char *f,
                  const char *v,
                  const char *member,
                  const char *json)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  JsonObject *object;
  JsonNode *node;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "t");
  json_builder_add_string_value (builder, t ? t : "household");
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, ROW_ID);
  json_builder_set_member_name (builder, "f");
  json_builder_add_string_value (builder, f ? f : "address");
  json_builder_set_member_name (builder, "v");
  json_builder_add_value (builder, parse_json (v ? v : "\"1 Riverside Road\""));
  json_builder_set_member_name (builder, "h");
  json_builder_add_string_value (builder, HLC_1);
  json_builder_set_member_name (builder, "s");
  json_builder_add_string_value (builder, SITE_A);
  json_builder_set_member_name (builder, "b");
  json_builder_add_string_value (builder, BASE_0);
  json_builder_set_member_name (builder, "g");
  json_builder_add_string_value (builder, GRID);
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  object = json_node_get_object (node);

  if (member != NULL && json == NULL)
    {
      g_assert_true (json_object_has_member (object, member));
      json_object_remove_member (object, member);
    }
  else if (member != NULL)
    {
      json_object_set_member (object, member, parse_json (json));
    }

  return node;
}

#define ERR(code) SM_CHANGE_ERROR_##code

static const BadCase bad_cases[] = {
  /* Missing members */
  { "missing t", .member = "t", .code = ERR (MALFORMED) },
  { "missing id", .member = "id", .code = ERR (MALFORMED) },
  { "missing f", .member = "f", .code = ERR (MALFORMED) },
  { "missing v", .member = "v", .code = ERR (MALFORMED) },
  { "missing h", .member = "h", .code = ERR (MALFORMED) },
  { "missing s", .member = "s", .code = ERR (MALFORMED) },
  { "missing b", .member = "b", .code = ERR (MALFORMED) },
  { "missing g", .member = "g", .code = ERR (MALFORMED) },

  /* Members that must be strings */
  { "t is a number", .member = "t", .json = "3", .code = ERR (MALFORMED) },
  { "id is a number", .member = "id", .json = "12", .code = ERR (MALFORMED) },
  { "f is null", .member = "f", .json = "null", .code = ERR (MALFORMED) },
  { "h is a number", .member = "h", .json = "1", .code = ERR (MALFORMED) },
  { "s is an array", .member = "s", .json = "[\"" SITE_A "\"]", .code = ERR (MALFORMED) },
  { "b is an object", .member = "b", .json = "{}", .code = ERR (MALFORMED) },
  { "g is a boolean", .member = "g", .json = "true", .code = ERR (MALFORMED) },

  /* Unknown member */
  { "unknown member", .member = "x", .json = "1", .code = ERR (MALFORMED) },
  { "member in upper case", .member = "T", .json = "\"household\"", .code = ERR (MALFORMED) },

  /* Unknown table and field */
  { "unknown table", .t = "houses", .code = ERR (UNKNOWN_TABLE) },
  { "empty table", .t = "", .code = ERR (UNKNOWN_TABLE) },
  { "unknown field", .f = "colour", .code = ERR (UNKNOWN_FIELD) },
  { "field of another table", .f = "floors", .v = "3", .code = ERR (UNKNOWN_FIELD) },

  /* Derived fields */
  { "demand.status", .t = "demand", .f = "status", .v = "\"resolved\"", .code = ERR (READ_ONLY) },
  { "demand.responded_at", .t = "demand", .f = "responded_at", .v = "\"2026-11-24T00:00:00Z\"",
    .code = ERR (READ_ONLY) },

  /* Values of the wrong JSON type */
  { "string for a bool", .f = "tag_low_income", .v = "\"true\"", .code = ERR (WRONG_TYPE) },
  { "number for a bool", .f = "tag_low_income", .v = "1", .code = ERR (WRONG_TYPE) },
  { "number for text", .f = "address", .v = "12", .code = ERR (WRONG_TYPE) },
  { "bool for text", .f = "address", .v = "false", .code = ERR (WRONG_TYPE) },
  { "bool for an int", .t = "building", .f = "floors", .v = "true", .code = ERR (WRONG_TYPE) },
  { "float for an int", .t = "building", .f = "floors", .v = "1.5", .code = ERR (WRONG_TYPE) },
  { "string for an int", .t = "building", .f = "floors", .v = "\"6\"", .code = ERR (WRONG_TYPE) },
  { "object value", .f = "address", .v = "{\"a\": 1}", .code = ERR (WRONG_TYPE) },
  { "array value", .f = "address", .v = "[\"a\"]", .code = ERR (WRONG_TYPE) },
  { "array for an int", .t = "building", .f = "floors", .v = "[6]", .code = ERR (WRONG_TYPE) },
  { "number for a date", .f = "moved_in", .v = "20260224", .code = ERR (WRONG_TYPE) },
  { "number for an enum", .f = "tenure", .v = "0", .code = ERR (WRONG_TYPE) },

  /* Right type, bad content */
  { "bad enum", .f = "tenure", .v = "\"old\"", .code = ERR (INVALID_VALUE) },
  { "enum in upper case", .f = "tenure", .v = "\"New\"", .code = ERR (INVALID_VALUE) },
  { "empty enum", .f = "tenure", .v = "\"\"", .code = ERR (INVALID_VALUE) },
  { "February 30th", .f = "moved_in", .v = "\"2026-02-30\"", .code = ERR (INVALID_VALUE) },
  { "date in another form", .f = "moved_in", .v = "\"24/11/2026\"", .code = ERR (INVALID_VALUE) },
  { "timestamp without zone", .t = "visit", .f = "visited_at", .v = "\"2026-11-24T08:00:00\"",
    .code = ERR (INVALID_VALUE) },
  { "timestamp of words", .t = "visit", .f = "visited_at", .v = "\"yesterday\"",
    .code = ERR (INVALID_VALUE) },
  { "timestamp at hour 25", .t = "visit", .f = "visited_at", .v = "\"2026-11-24T25:00:00Z\"",
    .code = ERR (INVALID_VALUE) },
  { "empty reference", .f = "building_id", .v = "\"\"", .code = ERR (INVALID_VALUE) },

  /* Ids: row and grid */
  { "empty id", .member = "id", .json = "\"\"", .code = ERR (BAD_ID) },
  { "id of 65 bytes", .member = "id",
    .json = "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"",
    .code = ERR (BAD_ID) },
  { "id with a space", .member = "id", .json = "\"a b\"", .code = ERR (BAD_ID) },
  { "id not ASCII", .member = "id", .json = "\"\xc3\xbc\"", .code = ERR (BAD_ID) },
  { "id with a slash", .member = "id", .json = "\"a/b\"", .code = ERR (BAD_ID) },
  { "empty grid", .member = "g", .json = "\"\"", .code = ERR (BAD_ID) },
  { "grid with a space", .member = "g", .json = "\"grid 1\"", .code = ERR (BAD_ID) },

  /* Clocks */
  { "h of 15 digits", .member = "h", .json = "\"0190f2a17c3e000\"", .code = ERR (BAD_HLC) },
  { "h of 17 digits", .member = "h", .json = "\"0190f2a17c3e00010\"", .code = ERR (BAD_HLC) },
  { "h in upper case", .member = "h", .json = "\"0190F2A17C3E0001\"", .code = ERR (BAD_HLC) },
  { "h not hex", .member = "h", .json = "\"0190f2a17c3e000g\"", .code = ERR (BAD_HLC) },
  { "h with a sign", .member = "h", .json = "\"-190f2a17c3e0001\"", .code = ERR (BAD_HLC) },
  { "h all zero", .member = "h", .json = "\"" BASE_0 "\"", .code = ERR (BAD_HLC) },
  { "empty h", .member = "h", .json = "\"\"", .code = ERR (BAD_HLC) },
  { "b of 15 digits", .member = "b", .json = "\"000000000000000\"", .code = ERR (BAD_HLC) },
  { "b in upper case", .member = "b", .json = "\"0000000000000A00\"", .code = ERR (BAD_HLC) },
  { "base equal to h", .member = "b", .json = "\"" HLC_1 "\"", .code = ERR (BAD_HLC) },
  { "base after h", .member = "b", .json = "\"0190f2a17c3e0002\"", .code = ERR (BAD_HLC) },

  /* Sites */
  { "site of 31 digits", .member = "s", .json = "\"0123456789abcdef0123456789abcde\"",
    .code = ERR (BAD_SITE) },
  { "site of 33 digits", .member = "s", .json = "\"0123456789abcdef0123456789abcdef0\"",
    .code = ERR (BAD_SITE) },
  { "site in upper case", .member = "s", .json = "\"0123456789ABCDEF0123456789ABCDEF\"",
    .code = ERR (BAD_SITE) },
  { "site not hex", .member = "s", .json = "\"0123456789abcdef0123456789abcdeg\"",
    .code = ERR (BAD_SITE) },
  { "empty site", .member = "s", .json = "\"\"", .code = ERR (BAD_SITE) },
};

static void
test_bad_changes (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      const BadCase *c = &bad_cases[i];
      g_autoptr(JsonNode) node = make_change_node (c->t, c->f, c->v, c->member, c->json);
      g_autoptr(GError) error = NULL;
      g_autoptr(SmChange) change = NULL;

      g_test_message ("case %u: %s", i, c->desc);
      change = sm_change_from_json (node, &error);
      g_assert_error (error, SM_CHANGE_ERROR, (gint) c->code);
      g_assert_null (change);
      g_assert_nonnull (error->message);
      g_assert_cmpstr (error->message, !=, "");
    }
}

/* The defaults of make_change_node() must themselves be valid, or every bad case above
 * would pass for the wrong reason. */
static void
test_good_change (void)
{
  g_autoptr(JsonNode) node = make_change_node (NULL, NULL, NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SmChange) change = NULL;
  SmHlc hlc;

  change = sm_change_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_nonnull (change);

  g_assert_true (change->table == sm_schema_lookup_table ("household"));
  g_assert_true (change->field == sm_table_lookup_field (change->table, "address"));
  g_assert_cmpstr (change->row_id, ==, ROW_ID);
  g_assert_cmpstr (change->grid_id, ==, GRID);
  g_assert_cmpstr (change->site, ==, SITE_A);
  g_assert_true (sm_hlc_parse (HLC_1, &hlc));
  g_assert_cmpuint (change->hlc, ==, hlc);
  g_assert_cmpuint (change->base, ==, SM_HLC_ZERO);
  g_assert_nonnull (change->value);
  g_assert_true (g_variant_is_of_type (change->value, G_VARIANT_TYPE_STRING));
  g_assert_cmpstr (g_variant_get_string (change->value, NULL), ==, "1 Riverside Road");
}

typedef struct {
  const char *desc;
  const char *t;
  const char *f;
  const char *v;
  const char *member;
  const char *json;
} GoodCase;

/* Edges just inside each rule. */
static const GoodCase good_cases[] = {
  { "id of 64 bytes", .member = "id",
    .json = "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"" },
  { "id of one byte", .member = "id", .json = "\"x\"" },
  { "id of all allowed characters", .member = "id", .json = "\"AZaz09-_\"" },
  { "base one before h", .member = "b", .json = "\"0190f2a17c3e0000\"" },
  { "largest h", .member = "h", .json = "\"ffffffffffffffff\"" },
  { "int zero", .t = "building", .f = "floors", .v = "0" },
  { "negative int", .t = "credit", .f = "points", .v = "-5" },
  { "bool false", .f = "tag_low_income", .v = "false" },
  { "leap day", .f = "moved_in", .v = "\"2024-02-29\"" },
  { "enum", .f = "tenure", .v = "\"new\"" },
  { "empty text", .f = "notes", .v = "\"\"" },
  { "Chinese text", .f = "address", .v = "\"三门街道 5 号楼 2 单元 301\"" },
  { "system field", .f = "_deleted", .v = "true" },
  { "grid_id field", .f = "grid_id", .v = "\"" GRID "\"" },
};

static void
test_good_edges (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (good_cases); i++)
    {
      const GoodCase *c = &good_cases[i];
      g_autoptr(JsonNode) node = make_change_node (c->t, c->f, c->v, c->member, c->json);
      g_autoptr(GError) error = NULL;
      g_autoptr(SmChange) change = NULL;

      g_test_message ("case %u: %s", i, c->desc);
      change = sm_change_from_json (node, &error);
      g_assert_no_error (error);
      g_assert_nonnull (change);
    }
}

static void
test_not_object (void)
{
  const char *texts[] = { "[]", "[{}]", "\"household\"", "42", "null", "true" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(JsonNode) node = parse_json (texts[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(SmChange) change = NULL;

      g_test_message ("case %u: %s", i, texts[i]);
      change = sm_change_from_json (node, &error);
      g_assert_error (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_MALFORMED);
      g_assert_null (change);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SmChange) change = sm_change_from_json (NULL, &error);

    g_assert_error (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_MALFORMED);
    g_assert_null (change);
  }
}

static void
test_null_value (void)
{
  const struct { const char *t, *f; } fields[] = {
    { "household", "address" },      /* required text */
    { "household", "tag_low_income" },
    { "household", "moved_in" },
    { "household", "tenure" },
    { "household", "building_id" },
    { "building", "floors" },
    { "visit", "visited_at" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autoptr(JsonNode) node = make_change_node (fields[i].t, fields[i].f, "null", NULL, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(SmChange) change = NULL;
      g_autoptr(JsonNode) back = NULL;
      JsonNode *v;

      g_test_message ("case %u: %s.%s", i, fields[i].t, fields[i].f);
      change = sm_change_from_json (node, &error);
      g_assert_no_error (error);
      g_assert_nonnull (change);
      g_assert_null (change->value);

      back = sm_change_to_json (change);
      v = json_object_get_member (json_node_get_object (back), "v");
      g_assert_nonnull (v);
      g_assert_true (JSON_NODE_HOLDS_NULL (v));
    }
}

static void
test_timestamp_canonical (void)
{
  const struct { const char *in, *out; } cases[] = {
    { "2026-11-24T08:00:00+08:00", "2026-11-24T00:00:00Z" },
    { "2026-11-24T00:00:00Z", "2026-11-24T00:00:00Z" },
    { "2026-01-01T03:30:00+08:00", "2025-12-31T19:30:00Z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *v = g_strdup_printf ("\"%s\"", cases[i].in);
      g_autoptr(JsonNode) node = make_change_node ("visit", "visited_at", v, NULL, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(SmChange) change = NULL;
      g_autoptr(JsonNode) back = NULL;

      change = sm_change_from_json (node, &error);
      g_assert_no_error (error);
      g_assert_nonnull (change->value);
      g_assert_cmpstr (g_variant_get_string (change->value, NULL), ==, cases[i].out);

      back = sm_change_to_json (change);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (back), "v"), ==,
                       cases[i].out);
    }
}

static void
test_text_limit (void)
{
  g_autofree char *fits = NULL;
  g_autofree char *over = NULL;
  g_autofree char *fits_json = NULL;
  g_autofree char *over_json = NULL;

  fits = g_malloc (SM_SCHEMA_MAX_TEXT_BYTES + 1);
  memset (fits, 'a', SM_SCHEMA_MAX_TEXT_BYTES);
  fits[SM_SCHEMA_MAX_TEXT_BYTES] = '\0';
  over = g_strconcat (fits, "a", NULL);
  fits_json = g_strdup_printf ("\"%s\"", fits);
  over_json = g_strdup_printf ("\"%s\"", over);

  {
    g_autoptr(JsonNode) node = make_change_node (NULL, "notes", fits_json, NULL, NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(SmChange) change = sm_change_from_json (node, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (strlen (g_variant_get_string (change->value, NULL)), ==,
                      SM_SCHEMA_MAX_TEXT_BYTES);
  }

  {
    g_autoptr(JsonNode) node = make_change_node (NULL, "notes", over_json, NULL, NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(SmChange) change = sm_change_from_json (node, &error);

    g_assert_error (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_TOO_LARGE);
    g_assert_null (change);
  }

  /* The limit is in bytes, not characters: 21846 three-byte characters are 65538 bytes. */
  {
    GString *s = g_string_new ("\"");
    g_autoptr(JsonNode) node = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(SmChange) change = NULL;
    g_autofree char *json = NULL;

    for (guint i = 0; i < SM_SCHEMA_MAX_TEXT_BYTES / 3 + 1; i++)
      g_string_append (s, "门");
    g_string_append_c (s, '"');
    json = g_string_free (s, FALSE);

    node = make_change_node (NULL, "notes", json, NULL, NULL);
    change = sm_change_from_json (node, &error);
    g_assert_error (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_TOO_LARGE);
    g_assert_null (change);
  }
}

/* A JsonNode may carry bytes that never went through a parser. */
static void
test_invalid_utf8_value (void)
{
  g_autoptr(JsonNode) node = make_change_node (NULL, "notes", NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SmChange) change = NULL;

  json_object_set_string_member (json_node_get_object (node), "v", "bad \xc3\x28 text");
  change = sm_change_from_json (node, &error);
  g_assert_error (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_INVALID_VALUE);
  g_assert_null (change);
}

static SmChange *
new_change (const char *table,
            const char *field,
            const char *row_id,
            GVariant   *value,
            SmHlc       hlc,
            const char *site,
            SmHlc       base)
{
  const SmTable *t = sm_schema_lookup_table (table);
  const SmField *f;

  g_assert_nonnull (t);
  f = sm_table_lookup_field (t, field);
  g_assert_nonnull (f);

  return sm_change_new (f, row_id, GRID, value, hlc, site, base);
}

/* One change of every field type, each with a value that needs care in JSON. */
static GPtrArray *
make_mixed_batch (void)
{
  GPtrArray *batch = sm_change_batch_new ();
  SmHlc h = sm_hlc_from_parts (1790000000000, 7);

  g_ptr_array_add (batch, new_change ("household", "address", "h-1",
                                      g_variant_new_string ("三门 \"5\" 号\\楼\n2 单元\t301 é"),
                                      h, SITE_A, SM_HLC_ZERO));
  g_ptr_array_add (batch, new_change ("building", "floors", "b-1",
                                      g_variant_new_int64 (33), h + 1, SITE_A, h));
  g_ptr_array_add (batch, new_change ("credit", "points", "c-1",
                                      g_variant_new_int64 (-12), h + 2, SITE_B, SM_HLC_ZERO));
  g_ptr_array_add (batch, new_change ("building", "units", "b-1",
                                      g_variant_new_int64 (G_MAXINT64), h + 3, SITE_B, 1));
  g_ptr_array_add (batch, new_change ("building", "units", "b-2",
                                      g_variant_new_int64 (G_MININT64), h + 3, SITE_B, 1));
  g_ptr_array_add (batch, new_change ("household", "tag_low_income", "h-1",
                                      g_variant_new_boolean (TRUE), h + 4, SITE_A, SM_HLC_ZERO));
  g_ptr_array_add (batch, new_change ("household", "tag_disabled", "h-1",
                                      g_variant_new_boolean (FALSE), h + 5, SITE_A, SM_HLC_ZERO));
  g_ptr_array_add (batch, new_change ("household", "moved_in", "h-1",
                                      g_variant_new_string ("2024-02-29"), h + 6, SITE_B, h + 5));
  g_ptr_array_add (batch, new_change ("visit", "visited_at", "v-1",
                                      g_variant_new_string ("2026-11-24T00:00:00Z"), h + 7,
                                      SITE_A, SM_HLC_ZERO));
  g_ptr_array_add (batch, new_change ("household", "tenure", "h-1",
                                      g_variant_new_string ("existing"), h + 8, SITE_B,
                                      SM_HLC_ZERO));
  g_ptr_array_add (batch, new_change ("household", "building_id", "h-1",
                                      g_variant_new_string ("b-1"), h + 9, SITE_A, SM_HLC_ZERO));
  g_ptr_array_add (batch, new_change ("household", "notes", "h-1",
                                      NULL, G_MAXUINT64, SITE_B, G_MAXUINT64 - 1));
  g_ptr_array_add (batch, new_change ("household", "_deleted", "h-2",
                                      g_variant_new_boolean (TRUE), h + 10, SITE_B, h));

  return batch;
}

static void
assert_same_change (const SmChange *a,
                    const SmChange *b)
{
  g_assert_true (a->table == b->table);
  g_assert_true (a->field == b->field);
  g_assert_cmpstr (a->row_id, ==, b->row_id);
  g_assert_cmpstr (a->grid_id, ==, b->grid_id);
  g_assert_cmpstr (a->site, ==, b->site);
  g_assert_cmpuint (a->hlc, ==, b->hlc);
  g_assert_cmpuint (a->base, ==, b->base);
  g_assert_true (sm_value_equal (a->value, b->value));
}

static void
test_round_trip (void)
{
  g_autoptr(GPtrArray) batch = make_mixed_batch ();
  g_autoptr(GPtrArray) parsed = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data1 = NULL;
  g_autofree char *data2 = NULL;
  g_autofree char *data3 = NULL;
  gsize len1 = 0, len2 = 0, len3 = 0;

  data1 = sm_change_batch_to_data (batch, &len1);
  g_assert_nonnull (data1);
  g_assert_cmpuint (len1, ==, strlen (data1));
  g_test_message ("%s", data1);

  /* The text writer and json-glib's generator agree byte for byte. */
  {
    g_autoptr(JsonNode) node = sm_change_batch_to_json (batch);
    g_autofree char *generated = json_to_string (node, FALSE);

    g_assert_cmpstr (data1, ==, generated);
  }

  parsed = sm_change_batch_from_data (data1, (gssize) len1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (parsed);
  g_assert_cmpuint (parsed->len, ==, batch->len);
  for (guint i = 0; i < batch->len; i++)
    assert_same_change (g_ptr_array_index (batch, i), g_ptr_array_index (parsed, i));

  data2 = sm_change_batch_to_data (parsed, &len2);
  g_assert_cmpmem (data1, len1, data2, len2);

  /* A length of -1 means NUL-terminated. */
  again = sm_change_batch_from_data (data2, -1, &error);
  g_assert_no_error (error);
  data3 = sm_change_batch_to_data (again, &len3);
  g_assert_cmpmem (data1, len1, data3, len3);
}

/* A non-canonical timestamp is stored canonical, so the second encoding is the fixed point. */
static void
test_round_trip_canonical (void)
{
  g_autoptr(JsonNode) change = make_change_node ("visit", "visited_at",
                                                 "\"2026-11-24T08:00:00+08:00\"", NULL, NULL);
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *input = NULL;
  g_autofree char *data1 = NULL;
  g_autofree char *data2 = NULL;
  gsize len1, len2;

  json_array_add_element (array, json_node_copy (change));
  json_node_set_array (root, array);
  json_generator_set_root (generator, root);
  input = json_generator_to_data (generator, NULL);

  first = sm_change_batch_from_data (input, -1, &error);
  g_assert_no_error (error);
  data1 = sm_change_batch_to_data (first, &len1);
  g_assert_nonnull (strstr (data1, "\"2026-11-24T00:00:00Z\""));
  g_assert_null (strstr (data1, "+08:00"));

  second = sm_change_batch_from_data (data1, (gssize) len1, &error);
  g_assert_no_error (error);
  data2 = sm_change_batch_to_data (second, &len2);
  g_assert_cmpmem (data1, len1, data2, len2);
}

static void
test_empty_batch (void)
{
  g_autoptr(GPtrArray) batch = sm_change_batch_new ();
  g_autoptr(GPtrArray) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len;

  data = sm_change_batch_to_data (batch, &len);
  g_assert_cmpstr (data, ==, "[]");

  parsed = sm_change_batch_from_data (data, (gssize) len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (parsed);
  g_assert_cmpuint (parsed->len, ==, 0);
}

static char *
valid_batch_data (const char *address)
{
  g_autoptr(GPtrArray) batch = sm_change_batch_new ();

  g_ptr_array_add (batch, new_change ("household", "address", "h-1",
                                      g_variant_new_string (address),
                                      sm_hlc_from_parts (1790000000000, 0), SITE_A,
                                      SM_HLC_ZERO));
  return sm_change_batch_to_data (batch, NULL);
}

/* json-glib 1.6 decodes "\u0000" by cutting the string short and wraps integers that do
 * not fit in 64 bits. Either would store a value the writer never sent, so the codec must
 * refuse them (the code is not pinned down: any SM_CHANGE_ERROR will do). */
static void
test_batch_silent_changes (void)
{
  const char *values[] = {
    "\"before\\u0000after\"",
    "\"\\u0000\"",
  };
  const char *ints[] = {
    "9223372036854775808",
    "12345678901234567890",
    "-9223372036854775809",
  };

  for (guint i = 0; i < G_N_ELEMENTS (values) + G_N_ELEMENTS (ints); i++)
    {
      gboolean is_text = i < G_N_ELEMENTS (values);
      const char *v = is_text ? values[i] : ints[i - G_N_ELEMENTS (values)];
      g_autoptr(JsonNode) node = make_change_node (is_text ? NULL : "building",
                                                   is_text ? "notes" : "floors",
                                                   is_text ? "\"x\"" : "1", NULL, NULL);
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(GPtrArray) batch = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *object = NULL;
      g_autofree char *data = NULL;
      char *at;

      /* Splice the raw literal in: no JSON builder can produce it. */
      json_generator_set_root (generator, node);
      object = json_generator_to_data (generator, NULL);
      at = strstr (object, is_text ? "\"x\"" : "\"v\":1");
      g_assert_nonnull (at);
      if (!is_text)
        at += strlen ("\"v\":");
      *at = '\0';
      data = g_strdup_printf ("[%s%s%s]", object, v, at + (is_text ? 3 : 1));

      g_test_message ("case %u: %s", i, data);
      batch = sm_change_batch_from_data (data, -1, &error);
      if (batch != NULL)
        {
          SmChange *change = g_ptr_array_index (batch, 0);
          g_autofree char *stored = g_variant_print (change->value, FALSE);

          g_test_fail_printf ("%s was accepted as %s", v, stored);
          return;
        }
      g_assert_nonnull (error);
      g_assert_true (error->domain == SM_CHANGE_ERROR);
    }

  /* An escaped backslash followed by "u0000" is plain text and must still pass. */
  {
    g_autofree char *data = valid_batch_data ("C:\\u0000");
    g_autoptr(GPtrArray) batch = NULL;
    g_autoptr(GError) error = NULL;
    SmChange *change;

    batch = sm_change_batch_from_data (data, -1, &error);
    g_assert_no_error (error);
    change = g_ptr_array_index (batch, 0);
    g_assert_cmpstr (g_variant_get_string (change->value, NULL), ==, "C:\\u0000");
  }
}

static void
test_batch_invalid_utf8 (void)
{
  g_autofree char *data = valid_batch_data ("before@after");
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GError) error = NULL;
  char *at;

  /* Make sure the data is good before it is spoiled. */
  batch = sm_change_batch_from_data (data, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (batch->len, ==, 1);
  g_clear_pointer (&batch, g_ptr_array_unref);

  at = strchr (data, '@');
  g_assert_nonnull (at);

  /* A lone continuation byte, an overlong '/', a truncated sequence and a surrogate. */
  {
    const char *bad[] = { "\x80", "\xc0\xaf", "\xe9\x97", "\xed\xa0\x80" };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autofree char *prefix = g_strndup (data, (gsize) (at - data));
        g_autofree char *spoiled = g_strconcat (prefix, bad[i], at + 1, NULL);

        g_test_message ("case %u", i);
        batch = sm_change_batch_from_data (spoiled, -1, &error);
        g_assert_error (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_MALFORMED);
        g_assert_null (batch);
        g_clear_error (&error);
      }
  }

  /* An embedded NUL inside the given length. */
  {
    g_autofree char *copy = g_strdup (data);

    copy[at - data] = '\0';
    batch = sm_change_batch_from_data (copy, (gssize) strlen (data), &error);
    g_assert_error (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_MALFORMED);
    g_assert_null (batch);
  }
}

static void
test_batch_invalid_json (void)
{
  const char *texts[] = {
    "",
    "[",
    "[{\"t\": \"household\",}]",
    "{\"t\": \"household\"}",     /* an object, not an array */
    "\"changes\"",
    "null",
    "[1, 2",
    "not json at all",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GPtrArray) batch = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("case %u: %s", i, texts[i]);
      batch = sm_change_batch_from_data (texts[i], -1, &error);
      g_assert_error (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_MALFORMED);
      g_assert_null (batch);
    }
}

/* Element 3 (counting from 0) of five is bad: nothing of the batch is returned, and the
 * error keeps the element's code and names its index. */
static void
test_batch_bad_element (void)
{
  const struct {
    const char    *member;
    const char    *json;
    SmChangeError  code;
  } spoilers[] = {
    { "h", "\"0190F2A17C3E0001\"", SM_CHANGE_ERROR_BAD_HLC },
    { "s", "\"abc\"", SM_CHANGE_ERROR_BAD_SITE },
    { "t", "\"nowhere\"", SM_CHANGE_ERROR_UNKNOWN_TABLE },
    { "x", "0", SM_CHANGE_ERROR_MALFORMED },
  };

  for (guint k = 0; k < G_N_ELEMENTS (spoilers); k++)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(GPtrArray) batch = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *data = NULL;

      for (guint i = 0; i < 5; i++)
        {
          if (i == 3)
            json_array_add_element (array, make_change_node (NULL, NULL, NULL, spoilers[k].member,
                                                             spoilers[k].json));
          else
            json_array_add_element (array, make_change_node (NULL, NULL, NULL, NULL, NULL));
        }
      json_node_set_array (root, array);
      json_generator_set_root (generator, root);
      data = json_generator_to_data (generator, NULL);

      batch = sm_change_batch_from_data (data, -1, &error);
      g_assert_error (error, SM_CHANGE_ERROR, (gint) spoilers[k].code);
      g_assert_null (batch);
      g_assert_nonnull (strstr (error->message, "change 3"));
      g_clear_error (&error);

      /* The same through the JsonNode entry point. */
      batch = sm_change_batch_from_json (root, &error);
      g_assert_error (error, SM_CHANGE_ERROR, (gint) spoilers[k].code);
      g_assert_null (batch);
      g_assert_nonnull (strstr (error->message, "change 3"));
    }
}

static void
test_batch_too_large (void)
{
  GString *s = g_string_sized_new (5 * (SM_CHANGE_MAX_BATCH + 2));
  g_autofree char *data = NULL;
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GError) error = NULL;

  /* Elements that are not even changes: the count alone must refuse the batch. */
  g_string_append_c (s, '[');
  for (guint i = 0; i < SM_CHANGE_MAX_BATCH + 1; i++)
    g_string_append (s, i ? ",null" : "null");
  g_string_append_c (s, ']');
  data = g_string_free (s, FALSE);

  batch = sm_change_batch_from_data (data, -1, &error);
  g_assert_error (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_TOO_LARGE);
  g_assert_null (batch);
}

static gint
compare_change_ptrs (gconstpointer a,
                     gconstpointer b)
{
  return sm_change_compare_clock (*(SmChange * const *) a, *(SmChange * const *) b);
}

static void
test_compare_clock (void)
{
  const struct {
    SmHlc       h1;
    const char *s1;
    SmHlc       h2;
    const char *s2;
    int         sign;
  } cases[] = {
    { 1, SITE_A, 2, SITE_A, -1 },
    { 2, SITE_A, 1, SITE_A, 1 },
    { 5, SITE_A, 5, SITE_B, -1 },
    { 5, SITE_B, 5, SITE_A, 1 },
    { 5, SITE_A, 5, SITE_A, 0 },
    /* The clock decides before the site does. */
    { 1, SITE_B, 2, SITE_A, -1 },
    { 2, SITE_A, 1, SITE_B, 1 },
    /* Unsigned: the top bit set is the largest, not negative. */
    { G_GUINT64_CONSTANT (0x8000000000000000), SITE_A,
      G_GUINT64_CONSTANT (0x7fffffffffffffff), SITE_B, 1 },
    /* Differences that do not fit in an int. */
    { G_GUINT64_CONSTANT (0x100000000), SITE_A, 0x1, SITE_A, 1 },
    { 0x1, SITE_A, G_GUINT64_CONSTANT (0x100000001), SITE_A, -1 },
  };
  g_autoptr(GPtrArray) sorted = sm_change_batch_new ();
  g_autoptr(GPtrArray) shuffled = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SmChange) a = new_change ("household", "notes", "h-1", NULL,
                                          cases[i].h1, cases[i].s1, SM_HLC_ZERO);
      g_autoptr(SmChange) b = new_change ("household", "notes", "h-1", NULL,
                                          cases[i].h2, cases[i].s2, SM_HLC_ZERO);
      int ab = sm_change_compare_clock (a, b);
      int ba = sm_change_compare_clock (b, a);

      g_test_message ("case %u", i);
      g_assert_cmpint ((ab > 0) - (ab < 0), ==, cases[i].sign);
      g_assert_cmpint ((ba > 0) - (ba < 0), ==, -cases[i].sign);
    }

  /* Sorting by the comparison gives the (hlc, site) order. */
  for (SmHlc h = 1; h <= 3; h++)
    {
      g_ptr_array_add (sorted, new_change ("household", "notes", "h-1", NULL, h, SITE_A, 0));
      g_ptr_array_add (sorted, new_change ("household", "notes", "h-1", NULL, h, SITE_B, 0));
    }
  shuffled = g_ptr_array_new_with_free_func ((GDestroyNotify) sm_change_unref);
  for (guint i = 0; i < sorted->len; i++)
    {
      SmChange *change = g_ptr_array_index (sorted, (i * 5 + 3) % sorted->len);

      g_ptr_array_add (shuffled, sm_change_ref (change));
    }

  for (guint i = 1; i < shuffled->len; i++)
    g_assert_cmpint (sm_change_compare_clock (g_ptr_array_index (shuffled, i - 1),
                                              g_ptr_array_index (shuffled, i)), !=, 0);
  g_ptr_array_sort (shuffled, compare_change_ptrs);
  for (guint i = 0; i < sorted->len; i++)
    g_assert_true (g_ptr_array_index (shuffled, i) == g_ptr_array_index (sorted, i));
}

static void
test_id_valid (void)
{
  const struct { const char *id; gboolean valid; } cases[] = {
    { ROW_ID, TRUE },
    { "x", TRUE },
    { "AZaz09-_", TRUE },
    { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", TRUE },   /* 64 */
    { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", FALSE },  /* 65 */
    { "", FALSE },
    { NULL, FALSE },
    { "a b", FALSE },
    { "\xc3\xbc", FALSE },
    { "a/b", FALSE },
    { "a.b", FALSE },
    { "a\nb", FALSE },
    { "a'b", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u", i);
      g_assert_cmpint (sm_id_is_valid (cases[i].id), ==, cases[i].valid);
    }
}

static void
assert_uuid_v7 (const char *id)
{
  g_assert_nonnull (id);
  g_assert_true (sm_id_is_valid (id));
  g_assert_cmpuint (strlen (id), ==, 36);

  for (guint i = 0; i < 36; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        g_assert_cmpint (id[i], ==, '-');
      else
        g_assert_true (g_ascii_isdigit (id[i]) || (id[i] >= 'a' && id[i] <= 'f'));
    }

  g_assert_cmpint (id[14], ==, '7');
  g_assert_nonnull (strchr ("89ab", id[19]));
}

static guint64
uuid_ms (const char *id)
{
  g_autofree char *hex = g_strndup (id, 8);
  g_autofree char *all = g_strconcat (hex, id + 9, NULL);

  all[12] = '\0';
  return g_ascii_strtoull (all, NULL, 16);
}

static void
test_id_new (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *previous = NULL;

  for (guint i = 0; i < 1000; i++)
    {
      guint64 before = (guint64) (g_get_real_time () / 1000);
      char *id = sm_id_new ();
      guint64 after = (guint64) (g_get_real_time () / 1000);

      assert_uuid_v7 (id);
      g_assert_cmpuint (uuid_ms (id), >=, before);
      g_assert_cmpuint (uuid_ms (id), <=, after);
      g_assert_true (g_hash_table_add (seen, id));
    }

  /* Ids made in successive milliseconds sort by time as strings. */
  previous = sm_id_new ();
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *id = NULL;

      g_usleep (2000);
      id = sm_id_new ();
      assert_uuid_v7 (id);
      g_assert_cmpstr (previous, <, id);
      g_free (previous);
      previous = g_steal_pointer (&id);
    }
}

static void
bytes_released (gpointer data)
{
  gboolean *released = data;

  *released = TRUE;
}

/* A string variant whose release we can observe. */
static GVariant *
watched_string (const char *text,
                gboolean   *released)
{
  g_autoptr(GBytes) bytes = g_bytes_new_with_free_func (text, strlen (text) + 1,
                                                        bytes_released, released);

  *released = FALSE;
  return g_variant_new_from_bytes (G_VARIANT_TYPE_STRING, bytes, TRUE);
}

static void
test_refcount (void)
{
  gboolean released = FALSE;
  SmChange *change;
  SmChange *copy;

  /* A floating value is taken over. */
  change = new_change ("household", "notes", "h-1", watched_string ("a note", &released),
                       sm_hlc_from_parts (1790000000000, 0), SITE_A, SM_HLC_ZERO);
  g_assert_cmpint (change->ref_count, ==, 1);
  g_assert_false (released);
  g_assert_false (g_variant_is_floating (change->value));

  g_assert_true (sm_change_ref (change) == change);
  g_assert_cmpint (change->ref_count, ==, 2);

  copy = g_boxed_copy (SM_TYPE_CHANGE, change);
  g_assert_true (copy == change);
  g_assert_cmpint (change->ref_count, ==, 3);
  g_boxed_free (SM_TYPE_CHANGE, copy);

  sm_change_unref (change);
  g_assert_cmpint (change->ref_count, ==, 1);
  g_assert_false (released);
  g_assert_cmpstr (g_variant_get_string (change->value, NULL), ==, "a note");
  g_assert_cmpstr (change->row_id, ==, "h-1");

  sm_change_unref (change);
  g_assert_true (released);

  /* A value the caller still holds stays the caller's. */
  {
    GVariant *value = g_variant_ref_sink (watched_string ("kept", &released));

    change = new_change ("household", "notes", "h-1", value,
                         sm_hlc_from_parts (1790000000000, 0), SITE_A, SM_HLC_ZERO);
    sm_change_unref (change);
    g_assert_false (released);
    g_assert_cmpstr (g_variant_get_string (value, NULL), ==, "kept");
    g_variant_unref (value);
    g_assert_true (released);
  }

  /* Changes from JSON and batches own what they hold; ASan's leak check sees the rest. */
  {
    g_autoptr(GPtrArray) batch = make_mixed_batch ();
    g_autofree char *data = sm_change_batch_to_data (batch, NULL);
    g_autoptr(GPtrArray) parsed = NULL;
    g_autoptr(GError) error = NULL;
    SmChange *kept;

    parsed = sm_change_batch_from_data (data, -1, &error);
    g_assert_no_error (error);
    kept = sm_change_ref (g_ptr_array_index (parsed, 0));
    g_clear_pointer (&parsed, g_ptr_array_unref);
    g_assert_cmpint (kept->ref_count, ==, 1);
    g_assert_cmpstr (kept->row_id, ==, "h-1");
    sm_change_unref (kept);
  }
}

/* ---------------------------------------------------------------- the streaming reader */

/* The value at the reader, written back as canonical text: doubles as "D", strings and
 * integers through the writer. */
static gboolean
reader_to_text (SmJsonReader  *reader,
                GString       *out,
                GError       **error)
{
  SmJsonValue value;

  if (!sm_json_reader_read (reader, &value, NULL, error))
    return FALSE;

  switch (value.type)
    {
    case SM_JSON_NULL:
      g_string_append (out, "null");
      return TRUE;
    case SM_JSON_BOOLEAN:
      g_string_append (out, value.boolean ? "true" : "false");
      return TRUE;
    case SM_JSON_INT:
      sm_json_append_int (out, value.integer);
      return TRUE;
    case SM_JSON_DOUBLE:
      g_string_append (out, "D");
      return TRUE;
    case SM_JSON_STRING:
      g_assert_cmpuint (strlen (value.string), ==, value.length);
      sm_json_append_string (out, value.string);
      return TRUE;
    case SM_JSON_ARRAY:
      {
        gboolean more, first = TRUE;

        g_string_append_c (out, '[');
        for (;;)
          {
            if (!sm_json_reader_next_element (reader, &more, error))
              return FALSE;
            if (!more)
              break;
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            if (!reader_to_text (reader, out, error))
              return FALSE;
          }
        g_string_append_c (out, ']');
        return TRUE;
      }
    case SM_JSON_OBJECT:
    default:
      {
        const char *name;
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        for (;;)
          {
            if (!sm_json_reader_next_member (reader, &name, error))
              return FALSE;
            if (name == NULL)
              break;
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            sm_json_append_string (out, name);
            g_string_append_c (out, ':');
            if (!reader_to_text (reader, out, error))
              return FALSE;
          }
        g_string_append_c (out, '}');
        return TRUE;
      }
    }
}

static void
node_to_text (JsonNode *node,
              GString  *out)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            node_to_text (json_array_get_element (array, i), out);
          }
        g_string_append_c (out, ']');
      }
      break;
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);

        g_string_append_c (out, '{');
        for (GList *l = members; l != NULL; l = l->next)
          {
            if (l != members)
              g_string_append_c (out, ',');
            sm_json_append_string (out, l->data);
            g_string_append_c (out, ':');
            node_to_text (json_object_get_member (object, l->data), out);
          }
        g_string_append_c (out, '}');
      }
      break;
    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          sm_json_append_int (out, json_node_get_int (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_STRING:
          sm_json_append_string (out, json_node_get_string (node));
          break;
        default:
          g_string_append (out, "D");
          break;
        }
      break;
    }
}

/* Valid JSON reads as json-glib reads it. */
static void
test_reader_valid (void)
{
  const char *texts[] = {
    "[]",
    "{}",
    " \t\r\n[ 1 , -2 , 0 , -0 , 9223372036854775807 , -9223372036854775808 ] \n",
    "[1.5, -0.25e3, 1E+2, 2e-2, 12345678901234567890.5, 1e400]",
    "[true, false, null, \"\"]",
    "{\"a\" : {\"b\" : [[], {}, [1, [2, [3]]]]}, \"c\": \"d\"}",
    "[\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"]",
    "[\"\\u4e2d\\u6587 \\u00e9 \\u0041 \\ud83d\\ude00\"]",
    "[\"中文 ünïcödé 😀 \x7f\"]",
    "{\"t\":\"household\",\"id\":\"h-1\",\"v\":null}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_auto(SmJsonReader) reader = { 0, };
      g_autoptr(GString) mine = g_string_new (NULL);
      g_autoptr(GString) theirs = g_string_new (NULL);
      g_autoptr(GError) error = NULL;

      g_test_message ("case %u: %s", i, texts[i]);
      sm_json_reader_init (&reader, texts[i], strlen (texts[i]));
      g_assert_true (reader_to_text (&reader, mine, &error));
      g_assert_no_error (error);
      g_assert_true (sm_json_reader_end (&reader, &error));

      g_assert_true (json_parser_load_from_data (parser, texts[i], -1, &error));
      node_to_text (json_parser_get_root (parser), theirs);
      g_assert_cmpstr (mine->str, ==, theirs->str);
    }
}

static void
test_reader_invalid (void)
{
  const struct {
    const char *text;
    int         code;
  } cases[] = {
    { "", SM_CHANGE_ERROR_MALFORMED },
    { "[1,]", SM_CHANGE_ERROR_MALFORMED },
    { "[,1]", SM_CHANGE_ERROR_MALFORMED },
    { "[1 2]", SM_CHANGE_ERROR_MALFORMED },
    { "{\"a\" 1}", SM_CHANGE_ERROR_MALFORMED },
    { "{\"a\":1,}", SM_CHANGE_ERROR_MALFORMED },
    { "{1:2}", SM_CHANGE_ERROR_MALFORMED },
    { "[01]", SM_CHANGE_ERROR_MALFORMED },
    { "[1.]", SM_CHANGE_ERROR_MALFORMED },
    { "[-]", SM_CHANGE_ERROR_MALFORMED },
    { "[1e]", SM_CHANGE_ERROR_MALFORMED },
    { "[tru]", SM_CHANGE_ERROR_MALFORMED },
    { "[\"open]", SM_CHANGE_ERROR_MALFORMED },
    { "[\"tab\there\"]", SM_CHANGE_ERROR_MALFORMED },
    { "[\"\\x\"]", SM_CHANGE_ERROR_MALFORMED },
    { "[\"\\u12\"]", SM_CHANGE_ERROR_MALFORMED },
    { "[\"\\ud83d\"]", SM_CHANGE_ERROR_MALFORMED },
    { "[\"\\ude00\"]", SM_CHANGE_ERROR_MALFORMED },
    { "[\"\\ud83d\\u0041\"]", SM_CHANGE_ERROR_MALFORMED },
    { "[\"\xc0\xaf\"]", SM_CHANGE_ERROR_MALFORMED },
    { "[\"\xed\xa0\x80\"]", SM_CHANGE_ERROR_MALFORMED },
    { "[\"\xf4\x90\x80\x80\"]", SM_CHANGE_ERROR_MALFORMED },
    { "[\"\xe4\xb8\"]", SM_CHANGE_ERROR_MALFORMED },
    { "[1] 2", SM_CHANGE_ERROR_MALFORMED },
    { "[\"a\\u0000b\"]", SM_CHANGE_ERROR_INVALID_VALUE },
    { "[9223372036854775808]", SM_CHANGE_ERROR_INVALID_VALUE },
    { "[-9223372036854775809]", SM_CHANGE_ERROR_INVALID_VALUE },
  };
  g_autoptr(GString) deep = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(SmJsonReader) reader = { 0, };
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(GError) error = NULL;

      g_test_message ("case %u: %s", i, cases[i].text);
      sm_json_reader_init (&reader, cases[i].text, strlen (cases[i].text));
      if (reader_to_text (&reader, out, &error))
        sm_json_reader_end (&reader, &error);
      g_assert_error (error, SM_CHANGE_ERROR, cases[i].code);
      g_assert_true (sm_json_reader_failed (&reader));
    }

  /* Nesting past the limit. */
  for (guint i = 0; i <= SM_JSON_MAX_DEPTH; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i <= SM_JSON_MAX_DEPTH; i++)
    g_string_append_c (deep, ']');
  {
    g_auto(SmJsonReader) reader = { 0, };
    g_autoptr(GString) out = g_string_new (NULL);
    g_autoptr(GError) error = NULL;

    sm_json_reader_init (&reader, deep->str, deep->len);
    g_assert_false (reader_to_text (&reader, out, &error));
    g_assert_error (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_MALFORMED);
  }
}

/* Both skips end in the same place and count the same elements, escaped quotes and
 * brackets in strings included. */
static void
test_reader_skip (void)
{
  const struct {
    const char *text;
    guint       count;
  } cases[] = {
    { "[]", 0 },
    { "[ ]", 0 },
    { "[1]", 1 },
    { "[\"a\\\"]\", {\"x\": [1, 2, \"]\"]}, 3, \"\\\\\"]", 4 },
    { "[[\"\\\\\\\"\"], {}, null]", 3 },
    { "{\"a\": [1, 2], \"b\": \"}\"}", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strconcat ("{\"v\":", cases[i].text, ",\"after\":true}", NULL);
      const char *positions[2];

      g_test_message ("case %u: %s", i, text);
      for (guint unchecked = 0; unchecked < 2; unchecked++)
        {
          g_auto(SmJsonReader) reader = { 0, };
          g_autoptr(GError) error = NULL;
          SmJsonValue value;
          const char *name;
          guint count = 99;

          sm_json_reader_init (&reader, text, strlen (text));
          g_assert_true (sm_json_reader_read (&reader, &value, NULL, &error));
          g_assert_true (sm_json_reader_next_member (&reader, &name, &error));
          g_assert_true (sm_json_reader_read (&reader, &value, NULL, &error));
          if (unchecked)
            g_assert_true (sm_json_reader_skip_unchecked (&reader, &value, &count, &error));
          else
            g_assert_true (sm_json_reader_skip (&reader, &value, &count, &error));
          g_assert_no_error (error);
          if (value.type == SM_JSON_ARRAY)
            g_assert_cmpuint (count, ==, cases[i].count);
          positions[unchecked] = sm_json_reader_get_position (&reader);

          g_assert_true (sm_json_reader_next_member (&reader, &name, &error));
          g_assert_cmpstr (name, ==, "after");
          g_assert_true (sm_json_reader_read (&reader, &value, NULL, &error));
          g_assert_true (value.type == SM_JSON_BOOLEAN && value.boolean);
          g_assert_true (sm_json_reader_next_member (&reader, &name, &error));
          g_assert_null (name);
          g_assert_true (sm_json_reader_end (&reader, &error));
        }
      g_assert_true (positions[0] == positions[1]);
    }
}

static void
test_writer (void)
{
  const char *texts[] = { "", "plain", "quote \" backslash \\ slash /",
                          "\b\f\n\r\t \x01 \x1f \x7f", "中文 😀" };
  const gint64 ints[] = { 0, 7, -7, 1234567890123, G_MAXINT64, G_MININT64 };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *json = NULL;

      sm_json_append_string (out, texts[i]);
      json = g_strdup_printf ("[%s]", out->str);
      g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
      g_assert_cmpstr (json_array_get_string_element (json_node_get_array (json_parser_get_root (parser)), 0),
                       ==, texts[i]);
    }

  for (guint i = 0; i < G_N_ELEMENTS (ints); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);
      g_autofree char *expected = g_strdup_printf ("%" G_GINT64_FORMAT, ints[i]);

      sm_json_append_int (out, ints[i]);
      g_assert_cmpstr (out->str, ==, expected);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/change/good", test_good_change);
  g_test_add_func ("/core/change/good-edges", test_good_edges);
  g_test_add_func ("/core/change/bad", test_bad_changes);
  g_test_add_func ("/core/change/not-object", test_not_object);
  g_test_add_func ("/core/change/null-value", test_null_value);
  g_test_add_func ("/core/change/timestamp-canonical", test_timestamp_canonical);
  g_test_add_func ("/core/change/text-limit", test_text_limit);
  g_test_add_func ("/core/change/invalid-utf8-value", test_invalid_utf8_value);
  g_test_add_func ("/core/change/batch/round-trip", test_round_trip);
  g_test_add_func ("/core/change/batch/round-trip-canonical", test_round_trip_canonical);
  g_test_add_func ("/core/change/batch/empty", test_empty_batch);
  g_test_add_func ("/core/change/batch/invalid-utf8", test_batch_invalid_utf8);
  g_test_add_func ("/core/change/batch/invalid-json", test_batch_invalid_json);
  g_test_add_func ("/core/change/batch/bad-element", test_batch_bad_element);
  g_test_add_func ("/core/change/batch/too-large", test_batch_too_large);
  g_test_add_func ("/core/change/batch/silent-changes", test_batch_silent_changes);
  g_test_add_func ("/core/change/compare-clock", test_compare_clock);
  g_test_add_func ("/core/change/id-valid", test_id_valid);
  g_test_add_func ("/core/change/id-new", test_id_new);
  g_test_add_func ("/core/change/refcount", test_refcount);
  g_test_add_func ("/core/change/json/reader-valid", test_reader_valid);
  g_test_add_func ("/core/change/json/reader-invalid", test_reader_invalid);
  g_test_add_func ("/core/change/json/reader-skip", test_reader_skip);
  g_test_add_func ("/core/change/json/writer", test_writer);

  return g_test_run ();
}
