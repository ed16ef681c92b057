/* test-schema.c — the data model of DESIGN §2 as data: tables, fields, value checks, masks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n-lib.h>
#include <locale.h>
#include <string.h>

#include "sm-schema.h"
#include "sm-validate.h"

/* ---- helpers ---- */

/* Each test runs in a child process (see main()) whose stdout the parent shows, as TAP
 * comments, only when it fails: the case being checked is noted there, where
 * g_test_message() would be lost. */
static void note (const char *format, ...) G_GNUC_PRINTF (1, 2);

static void
note (const char *format,
      ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  g_print ("%s\n", text);
}

static const SmTable *
table_for (const char *table_name)
{
  const SmTable *table = sm_schema_lookup_table (table_name);

  if (table == NULL)
    g_error ("no table '%s'", table_name);

  return table;
}

static const SmField *
field_for (const char *table_name,
           const char *field_name)
{
  const SmField *field = sm_table_lookup_field (table_for (table_name), field_name);

  if (field == NULL)
    g_error ("no field '%s.%s'", table_name, field_name);

  return field;
}

static GVariant *
str_value (const char *text)
{
  return g_variant_ref_sink (g_variant_new_string (text));
}

/* A GVariant from its text form ("int64 3", "'x'", "true"), as an owned reference. */
static GVariant *
parse_value (const char *text)
{
  g_autoptr(GError) error = NULL;
  GVariant *value = g_variant_parse (NULL, text, NULL, NULL, &error);

  g_assert_no_error (error);
  /* g_variant_parse() gives a full reference already. */
  return value;
}

static gboolean
is_snake_case (const char *name)
{
  const char *p = name;

  if (*p == '_')
    p++;
  if (!g_ascii_islower (*p))
    return FALSE;
  for (; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_')
      return FALSE;

  return TRUE;
}

static void
assert_names_label (const GError  *error,
                    const SmField *field)
{
  const char *label = sm_field_get_label (field);

  g_assert_nonnull (error);
  g_assert_nonnull (label);
  g_assert_cmpstr (label, !=, "");
  if (strstr (error->message, label) == NULL)
    g_error ("the message '%s' does not name the field '%s'", error->message, label);
}

/* GB 11643-1999 mod 11-2, computed here rather than trusted from the code under test. */
static char
gb11643_check_char (const char *body17)
{
  static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
  int sum = 0;

  g_assert_cmpuint (strlen (body17), ==, 17);
  for (guint i = 0; i < 17; i++)
    {
      g_assert_true (g_ascii_isdigit (body17[i]));
      sum += (body17[i] - '0') * weights[i];
    }

  return "10X98765432"[sum % 11];
}

/* An 18-character number with the right check character. */
static char *
id_valid (const char *body17)
{
  return g_strdup_printf ("%s%c", body17, gb11643_check_char (body17));
}

/* An 18-character number whose check character is wrong. */
static char *
id_wrong_check (const char *body17)
{
  char right = gb11643_check_char (body17);

  return g_strdup_printf ("%s%c", body17, right == '3' ? '4' : '3');
}

/* A valid number from @prefix14 whose check character is X, written @x ('X' or 'x'). */
static char *
id_with_x (const char *prefix14,
           char        x)
{
  g_assert_cmpuint (strlen (prefix14), ==, 14);

  for (guint seq = 0; seq < 1000; seq++)
    {
      g_autofree char *body = g_strdup_printf ("%s%03u", prefix14, seq);

      if (gb11643_check_char (body) == 'X')
        return g_strdup_printf ("%s%c", body, x);
    }

  g_assert_not_reached ();
}

/* "YYYY-MM-DDTHH:MM:SSZ" exactly. */
static gboolean
is_canonical_timestamp (const char *text)
{
  static const char pattern[] = "dddd-dd-ddTdd:dd:ddZ";

  if (strlen (text) != strlen (pattern))
    return FALSE;

  for (guint i = 0; pattern[i] != '\0'; i++)
    if (pattern[i] == 'd' ? !g_ascii_isdigit (text[i]) : text[i] != pattern[i])
      return FALSE;

  return TRUE;
}

/* ---- the expected model, from DESIGN §2 ---- */

typedef struct {
  const char  *name;
  SmFieldType  type;
  const char  *ref_table;
} ExpectedField;

typedef struct {
  const char          *name;
  SmWritePattern       pattern;
  const ExpectedField *fields;
  guint                n_fields;
} ExpectedTable;

#define F(n, t)   { n, SM_FIELD_##t, NULL }
#define R(n, tbl) { n, SM_FIELD_REF, tbl }
#define SYSTEM    R ("grid_id", "grid"), F ("_deleted", BOOL)
#define TAGS \
  F ("tag_elderly_alone", BOOL), F ("tag_low_income", BOOL), F ("tag_disabled", BOOL), \
  F ("tag_serious_illness", BOOL), F ("tag_unemployed", BOOL), F ("tag_left_behind_child", BOOL)

/* In on-disk order: a field's index is stored in the packed clocks, so these lists are a
 * prefix of each table and fields may only be appended after them. */
static const ExpectedField grid_expected[] = {
  SYSTEM, F ("name", TEXT), F ("community", TEXT), F ("subdistrict", TEXT), F ("code", TEXT),
};

static const ExpectedField compound_expected[] = {
  SYSTEM, F ("name", TEXT), F ("kind", ENUM), F ("property_company", TEXT),
};

static const ExpectedField building_expected[] = {
  SYSTEM, R ("compound_id", "compound"), F ("name", TEXT), F ("address", TEXT),
  F ("units", INT), F ("floors", INT), R ("leader_resident_id", "resident"),
};

static const ExpectedField household_expected[] = {
  SYSTEM, R ("building_id", "building"), F ("unit", TEXT), F ("room", TEXT),
  F ("address", TEXT), F ("tenure", ENUM), F ("moved_in", DATE), F ("phone", TEXT),
  F ("notes", TEXT), TAGS,
};

static const ExpectedField resident_expected[] = {
  SYSTEM, R ("household_id", "household"), F ("name", TEXT), F ("gender", ENUM),
  F ("birth_date", DATE), F ("id_type", ENUM), F ("id_number", TEXT), F ("phone", TEXT),
  F ("relation", ENUM), F ("ethnicity", TEXT), F ("party_member", BOOL), F ("moved_in", DATE),
  F ("moved_out", DATE), F ("notes", TEXT), TAGS,
};

static const ExpectedField visit_expected[] = {
  SYSTEM, R ("household_id", "household"), F ("kind", ENUM), F ("visited_at", TIMESTAMP),
  F ("worker_id", TEXT), F ("companions", TEXT), F ("outcome", ENUM), F ("met_names", TEXT),
  F ("notes", TEXT), F ("follow_up_on", DATE),
};

static const ExpectedField demand_expected[] = {
  SYSTEM, R ("household_id", "household"), R ("visit_id", "visit"), F ("source", ENUM),
  F ("category", TEXT), F ("level", ENUM), F ("title", TEXT), F ("description", TEXT),
  F ("reported_at", TIMESTAMP), F ("due_at", TIMESTAMP), F ("assignee", TEXT),
  F ("status", ENUM), F ("responded_at", TIMESTAMP),
};

static const ExpectedField demand_event_expected[] = {
  SYSTEM, R ("demand_id", "demand"), F ("at", TIMESTAMP), F ("actor", TEXT),
  F ("action", ENUM), F ("satisfaction", ENUM), F ("note", TEXT),
};

static const ExpectedField resource_expected[] = {
  SYSTEM, F ("provider", TEXT), F ("name", TEXT), F ("category", TEXT),
  F ("description", TEXT), F ("contact", TEXT), F ("active", BOOL),
};

static const ExpectedField claim_expected[] = {
  SYSTEM, R ("demand_id", "demand"), R ("resource_id", "resource"), F ("claimed_by", TEXT),
  F ("claimed_at", TIMESTAMP), F ("status", ENUM),
};

static const ExpectedField credit_expected[] = {
  SYSTEM, R ("resident_id", "resident"), F ("points", INT), F ("reason", TEXT),
  F ("at", TIMESTAMP),
};

static const ExpectedField conflict_expected[] = {
  SYSTEM, F ("table_name", TEXT), F ("row_id", TEXT), F ("field", TEXT),
  F ("winner_value", TEXT), F ("winner_hlc", TEXT), F ("winner_site", TEXT),
  F ("loser_value", TEXT), F ("loser_hlc", TEXT), F ("loser_site", TEXT),
  F ("status", ENUM), F ("resolution", TEXT), F ("winner_user", TEXT), F ("loser_user", TEXT),
};

#define T(n, p, arr) { n, SM_TABLE_##p, arr, G_N_ELEMENTS (arr) }

static const ExpectedTable expected_tables[] = {
  T ("grid", OFFICE, grid_expected),
  T ("compound", OFFICE, compound_expected),
  T ("building", OFFICE, building_expected),
  T ("household", MUTABLE, household_expected),
  T ("resident", MUTABLE, resident_expected),
  T ("visit", APPEND_ONLY, visit_expected),
  T ("demand", MUTABLE, demand_expected),
  T ("demand_event", APPEND_ONLY, demand_event_expected),
  T ("resource", OFFICE, resource_expected),
  T ("claim", MUTABLE, claim_expected),
  T ("credit", APPEND_ONLY, credit_expected),
  T ("conflict", SERVER, conflict_expected),
};

#undef T
#undef TAGS
#undef SYSTEM
#undef R
#undef F

/* The enum values DESIGN §2 names, in any order. */
static const struct {
  const char *table;
  const char *field;
  const char *values[10];
} expected_enums[] = {
  { "compound", "kind", { "commercial", "old", "resettlement", "rental", "basic" } },
  { "household", "tenure", { "new", "existing" } },
  { "resident", "id_type", { "cn_id", "hmt_permit", "foreign_pr", "passport", "other" } },
  { "visit", "kind", { "knock", "drop_in", "care" } },
  { "visit", "outcome", { "met", "not_home", "declined" } },
  { "demand", "source",
    { "visit", "walk_in", "phone", "mailbox", "online", "wechat", "meeting", "window" } },
  { "demand", "level", { "building", "area", "community", "escalated" } },
  { "demand", "status",
    { "reported", "accepted", "handling", "supervising", "resolved", "evaluated" } },
  { "demand_event", "action",
    { "report", "accept", "handle", "escalate", "supervise", "resolve", "evaluate", "reopen",
      "comment" } },
  { "demand_event", "satisfaction", { "satisfied", "basic", "unsatisfied" } },
  { "conflict", "status", { "open", "resolved" } },
};

/* ---- structure ---- */

static void
test_tables (void)
{
  for (guint t = 0; t < G_N_ELEMENTS (expected_tables); t++)
    {
      const ExpectedTable *exp = &expected_tables[t];
      const SmTable *table = sm_schema_lookup_table (exp->name);

      note ("table %s", exp->name);
      g_assert_nonnull (table);
      g_assert_cmpstr (table->name, ==, exp->name);
      g_assert_cmpint (table->pattern, ==, exp->pattern);
      g_assert_cmpint (sm_table_is_append_only (table), ==, exp->pattern == SM_TABLE_APPEND_ONLY);
      g_assert_cmpuint (table->n_fields, >=, exp->n_fields);

      for (guint f = 0; f < exp->n_fields; f++)
        {
          const SmField *field = &table->fields[f];

          note ("field %s.%s", exp->name, exp->fields[f].name);
          g_assert_cmpstr (field->name, ==, exp->fields[f].name);
          g_assert_cmpint (field->type, ==, exp->fields[f].type);
          g_assert_cmpstr (field->ref_table, ==, exp->fields[f].ref_table);
          g_assert_cmpuint (field->index, ==, f);
          g_assert_true (field->table == table);
          g_assert_true (sm_table_lookup_field (table, exp->fields[f].name) == field);
        }
    }
}

static void
test_positions (void)
{
  guint n_tables = 0;
  const SmTable *tables = sm_schema_get_tables (&n_tables);
  g_autoptr(GHashTable) table_names = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_nonnull (tables);
  g_assert_cmpuint (n_tables, >=, G_N_ELEMENTS (expected_tables));
  g_assert_true (sm_schema_get_tables (NULL) == tables);

  for (guint t = 0; t < n_tables; t++)
    {
      const SmTable *table = &tables[t];
      g_autoptr(GHashTable) field_names = g_hash_table_new (g_str_hash, g_str_equal);

      note ("table %s", table->name);
      g_assert_cmpuint (table->index, ==, t);
      g_assert_true (is_snake_case (table->name));
      g_assert_true (g_hash_table_add (table_names, (gpointer) table->name));
      g_assert_true (sm_schema_lookup_table (table->name) == table);
      g_assert_nonnull (table->label);
      g_assert_cmpstr (table->label, !=, "");
      g_assert_nonnull (sm_table_get_label (table));
      g_assert_cmpstr (sm_table_get_label (table), !=, "");
      g_assert_nonnull (table->fields);
      g_assert_cmpuint (table->n_fields, >, 2);

      for (guint f = 0; f < table->n_fields; f++)
        {
          const SmField *field = &table->fields[f];

          note ("field %s.%s", table->name, field->name);
          g_assert_cmpuint (field->index, ==, f);
          g_assert_true (field->table == table);
          g_assert_true (is_snake_case (field->name));
          g_assert_true (g_hash_table_add (field_names, (gpointer) field->name));
          g_assert_true (sm_table_lookup_field (table, field->name) == field);
          g_assert_nonnull (field->label);
          g_assert_cmpstr (field->label, !=, "");
          g_assert_nonnull (sm_field_get_label (field));
          g_assert_cmpstr (sm_field_get_label (field), !=, "");
        }
    }
}

static void
test_system_fields (void)
{
  guint n_tables = 0;
  const SmTable *tables = sm_schema_get_tables (&n_tables);

  g_assert_cmpint (SM_FIELD_INDEX_GRID_ID, ==, 0);
  g_assert_cmpint (SM_FIELD_INDEX_DELETED, ==, 1);

  for (guint t = 0; t < n_tables; t++)
    {
      const SmField *grid_id = &tables[t].fields[SM_FIELD_INDEX_GRID_ID];
      const SmField *deleted = &tables[t].fields[SM_FIELD_INDEX_DELETED];

      note ("table %s", tables[t].name);
      g_assert_cmpstr (grid_id->name, ==, "grid_id");
      g_assert_cmpint (grid_id->type, ==, SM_FIELD_REF);
      g_assert_cmpstr (grid_id->ref_table, ==, "grid");
      g_assert_true (grid_id->flags & SM_FIELD_FLAG_SYSTEM);
      g_assert_true (sm_table_lookup_field (&tables[t], "grid_id") == grid_id);

      g_assert_cmpstr (deleted->name, ==, "_deleted");
      g_assert_cmpint (deleted->type, ==, SM_FIELD_BOOL);
      g_assert_true (deleted->flags & SM_FIELD_FLAG_SYSTEM);
      g_assert_true (sm_table_lookup_field (&tables[t], "_deleted") == deleted);

      for (guint f = 2; f < tables[t].n_fields; f++)
        g_assert_false (tables[t].fields[f].flags & SM_FIELD_FLAG_SYSTEM);
    }
}

static void
test_lookup_unknown (void)
{
  const char *tables[] = {
    "", "nope", "Grid", "GRID", "grid ", " grid", "grids", "demand_events", "demand-event",
    "conflicts", "outbox", "sync_state", "change_log", "sqlite_master",
  };
  const struct {
    const char *table;
    const char *field;
  } fields[] = {
    { "grid", "" },
    { "grid", "nope" },
    { "grid", "Name" },
    { "grid", "NAME" },
    { "grid", "name " },
    { "grid", "id_number" },          /* a field of another table */
    { "visit", "tag_low_income" },
    { "resident", "deleted" },
    { "resident", "grid" },
    { "resident", "tag_" },
    { "demand", "stat" },
    { "demand", "statuses" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      note ("table '%s'", tables[i]);
      g_assert_null (sm_schema_lookup_table (tables[i]));
    }

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      note ("field '%s.%s'", fields[i].table, fields[i].field);
      g_assert_null (sm_table_lookup_field (table_for (fields[i].table), fields[i].field));
    }
}

/* The columns of a field row agree with its type and flags. */
static void
test_field_kinds (void)
{
  guint n_tables = 0;
  const SmTable *tables = sm_schema_get_tables (&n_tables);

  for (guint t = 0; t < n_tables; t++)
    for (guint f = 0; f < tables[t].n_fields; f++)
      {
        const SmField *field = &tables[t].fields[f];

        note ("field %s.%s", tables[t].name, field->name);

        g_assert_cmpint (field->type == SM_FIELD_ENUM, ==, field->enum_values != NULL);
        g_assert_cmpint (field->type == SM_FIELD_ENUM, ==, field->enum_labels != NULL);
        g_assert_cmpint (field->type == SM_FIELD_REF, ==, field->ref_table != NULL);

        if (field->type == SM_FIELD_REF)
          {
            g_assert_nonnull (sm_schema_lookup_table (field->ref_table));
            g_assert_true (field->flags & SM_FIELD_FLAG_INDEXED);
          }

        /* Difficulty tags: tag_* booleans, one field each. */
        g_assert_cmpint (g_str_has_prefix (field->name, "tag_"), ==,
                         (field->flags & SM_FIELD_FLAG_TAG) != 0);
        if (field->flags & SM_FIELD_FLAG_TAG)
          g_assert_cmpint (field->type, ==, SM_FIELD_BOOL);

        /* Content checks are for text people type. */
        if (field->check != SM_CHECK_NONE)
          g_assert_cmpint (field->type, ==, SM_FIELD_TEXT);

        /* A derived field cannot be written, so it cannot be required of a write. */
        if (field->flags & SM_FIELD_FLAG_DERIVED)
          {
            g_assert_false (field->flags & SM_FIELD_FLAG_REQUIRED);
            g_assert_false (field->flags & SM_FIELD_FLAG_SYSTEM);
          }
      }
}

static void
test_tags (void)
{
  const char *tags[] = {
    "tag_elderly_alone", "tag_low_income", "tag_disabled", "tag_serious_illness",
    "tag_unemployed", "tag_left_behind_child",
  };
  const char *tables[] = { "household", "resident" };

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    for (guint i = 0; i < G_N_ELEMENTS (tags); i++)
      {
        const SmField *field = field_for (tables[t], tags[i]);

        g_assert_cmpint (field->type, ==, SM_FIELD_BOOL);
        g_assert_true (field->flags & SM_FIELD_FLAG_TAG);
        g_assert_false (field->flags & SM_FIELD_FLAG_REQUIRED);
      }
}

static void
test_enums (void)
{
  guint n_tables = 0;
  const SmTable *tables = sm_schema_get_tables (&n_tables);

  /* Every enum: values and labels parallel, non-empty, values unique and snake_case. */
  for (guint t = 0; t < n_tables; t++)
    for (guint f = 0; f < tables[t].n_fields; f++)
      {
        const SmField *field = &tables[t].fields[f];
        g_autoptr(GHashTable) seen = NULL;
        guint n_values, n_labels;

        if (field->type != SM_FIELD_ENUM)
          continue;

        note ("enum %s.%s", tables[t].name, field->name);
        n_values = g_strv_length ((char **) field->enum_values);
        n_labels = g_strv_length ((char **) field->enum_labels);
        g_assert_cmpuint (n_values, >, 0);
        g_assert_cmpuint (n_labels, ==, n_values);

        seen = g_hash_table_new (g_str_hash, g_str_equal);
        for (guint i = 0; i < n_values; i++)
          {
            const char *value = field->enum_values[i];
            const char *label = field->enum_labels[i];

            g_assert_cmpstr (value, !=, "");
            g_assert_true (is_snake_case (value));
            g_assert_true (g_hash_table_add (seen, (gpointer) value));
            g_assert_nonnull (label);
            g_assert_cmpstr (label, !=, "");
            g_assert_true (sm_field_has_enum_value (field, value));
            g_assert_cmpstr (sm_field_get_enum_label (field, value), ==,
                             g_dgettext (GETTEXT_PACKAGE, label));
          }
      }

  /* The values DESIGN §2 names, no more and no fewer. */
  for (guint e = 0; e < G_N_ELEMENTS (expected_enums); e++)
    {
      const SmField *field = field_for (expected_enums[e].table, expected_enums[e].field);
      guint n_expected = g_strv_length ((char **) expected_enums[e].values);

      note ("enum %s.%s", expected_enums[e].table, expected_enums[e].field);
      g_assert_cmpint (field->type, ==, SM_FIELD_ENUM);
      g_assert_cmpuint (g_strv_length ((char **) field->enum_values), ==, n_expected);
      for (guint i = 0; i < n_expected; i++)
        {
          g_assert_true (g_strv_contains (field->enum_values, expected_enums[e].values[i]));
          g_assert_true (sm_field_has_enum_value (field, expected_enums[e].values[i]));
        }
    }
}

static void
test_enum_label (void)
{
  const SmField *kind = field_for ("visit", "kind");
  const SmField *status = field_for ("demand", "status");
  const SmField *name = field_for ("resident", "name");
  const char *unknown = "bogus";

  g_assert_cmpstr (sm_field_get_enum_label (kind, "knock"), ==,
                   g_dgettext (GETTEXT_PACKAGE, kind->enum_labels[0]));
  g_assert_cmpstr (sm_field_get_enum_label (kind, "knock"), !=, "knock");
  g_assert_cmpstr (sm_field_get_enum_label (kind, "care"), ==,
                   g_dgettext (GETTEXT_PACKAGE, kind->enum_labels[2]));
  g_assert_cmpstr (sm_field_get_enum_label (status, "evaluated"), ==,
                   g_dgettext (GETTEXT_PACKAGE, status->enum_labels[5]));

  /* Not a value: shown as it is rather than hidden (a newer peer's value, say). */
  g_assert_cmpstr (sm_field_get_enum_label (kind, unknown), ==, "bogus");
  g_assert_cmpstr (sm_field_get_enum_label (kind, "Knock"), ==, "Knock");
  g_assert_cmpstr (sm_field_get_enum_label (kind, ""), ==, "");
  g_assert_null (sm_field_get_enum_label (kind, NULL));
  g_assert_cmpstr (sm_field_get_enum_label (name, "knock"), ==, "knock");

  g_assert_true (sm_field_has_enum_value (kind, "drop_in"));
  g_assert_false (sm_field_has_enum_value (kind, "Drop_in"));
  g_assert_false (sm_field_has_enum_value (kind, "drop_in "));
  g_assert_false (sm_field_has_enum_value (kind, ""));
  g_assert_false (sm_field_has_enum_value (kind, NULL));
  g_assert_false (sm_field_has_enum_value (kind, "met"));      /* another field's value */
  g_assert_false (sm_field_has_enum_value (name, "knock"));
}

static void
test_derived (void)
{
  const SmField *status = field_for ("demand", "status");
  g_autoptr(GVariant) value = str_value ("resolved");
  g_autoptr(GVariant) canonical = NULL;
  g_autoptr(GError) error = NULL;
  guint n_tables = 0;
  const SmTable *tables = sm_schema_get_tables (&n_tables);

  g_assert_cmpint (status->type, ==, SM_FIELD_ENUM);
  g_assert_true (status->flags & SM_FIELD_FLAG_DERIVED);

  /* Never written locally, whatever the value, even null. */
  g_assert_false (sm_field_validate_local (status, value, NULL, &canonical, &error));
  g_assert_error (error, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_READ_ONLY);
  g_assert_null (canonical);
  assert_names_label (error, status);
  g_clear_error (&error);

  g_assert_false (sm_field_validate_local (status, NULL, NULL, &canonical, &error));
  g_assert_error (error, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_READ_ONLY);
  g_assert_null (canonical);
  g_clear_error (&error);

  /* Only demand fields are derived. */
  for (guint t = 0; t < n_tables; t++)
    for (guint f = 0; f < tables[t].n_fields; f++)
      if (tables[t].fields[f].flags & SM_FIELD_FLAG_DERIVED)
        g_assert_cmpstr (tables[t].name, ==, "demand");
}

static void
test_sensitive (void)
{
  const struct {
    const char   *table;
    const char   *field;
    gboolean      sensitive;
    SmFieldCheck  check;
  } cases[] = {
    { "resident", "id_number", TRUE, SM_CHECK_ID_NUMBER },
    { "resident", "phone", TRUE, SM_CHECK_MOBILE },
    { "household", "phone", TRUE, SM_CHECK_MOBILE },
    { "resident", "name", FALSE, SM_CHECK_NONE },
    { "resident", "id_type", FALSE, SM_CHECK_NONE },
    { "household", "address", FALSE, SM_CHECK_NONE },
  };
  guint n_tables = 0;
  const SmTable *tables = sm_schema_get_tables (&n_tables);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const SmField *field = field_for (cases[i].table, cases[i].field);

      note ("field %s.%s", cases[i].table, cases[i].field);
      g_assert_cmpint ((field->flags & SM_FIELD_FLAG_SENSITIVE) != 0, ==, cases[i].sensitive);
      g_assert_cmpint (field->check, ==, cases[i].check);
    }

  /* Whatever holds an ID number or a phone number is sensitive. */
  for (guint t = 0; t < n_tables; t++)
    for (guint f = 0; f < tables[t].n_fields; f++)
      if (tables[t].fields[f].check != SM_CHECK_NONE)
        g_assert_true (tables[t].fields[f].flags & SM_FIELD_FLAG_SENSITIVE);
}

/* ---- sm_field_check_value ---- */

static void
assert_check_ok (const SmField *field,
                 GVariant      *value,
                 GVariant      *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) canonical = NULL;
  gboolean ok = sm_field_check_value (field, value, &canonical, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  if (expected == NULL)
    {
      g_assert_null (canonical);
    }
  else
    {
      g_assert_nonnull (canonical);
      g_assert_false (g_variant_is_floating (canonical));
      g_assert_true (g_variant_equal (canonical, expected));
    }
}

static void
assert_check_error (const SmField *field,
                    GVariant      *value,
                    GQuark         domain,
                    int            code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) canonical = NULL;
  gboolean ok = sm_field_check_value (field, value, &canonical, &error);

  g_assert_error (error, domain, code);
  g_assert_false (ok);
  g_assert_null (canonical);
  assert_names_label (error, field);
}

static void
test_check_null (void)
{
  guint n_tables = 0;
  const SmTable *tables = sm_schema_get_tables (&n_tables);

  /* Null (JSON null) is a value of every field: a write that clears it. */
  for (guint t = 0; t < n_tables; t++)
    for (guint f = 0; f < tables[t].n_fields; f++)
      assert_check_ok (&tables[t].fields[f], NULL, NULL);

  /* Without an error location failures still return FALSE. */
  {
    g_autoptr(GVariant) wrong = parse_value ("int64 3");
    g_autoptr(GVariant) canonical = NULL;

    g_assert_false (sm_field_check_value (field_for ("grid", "name"), wrong, &canonical, NULL));
    g_assert_null (canonical);
  }
}

static void
test_check_wrong_type (void)
{
  const struct {
    const char *table;
    const char *field;
    const char *value;
  } cases[] = {
    { "grid", "name", "int64 3" },
    { "grid", "name", "true" },
    { "grid", "name", "b'bytes'" },
    { "grid", "name", "['a']" },
    { "grid", "name", "<'boxed'>" },
    { "grid", "name", "just 'maybe'" },
    { "grid", "name", "objectpath '/a'" },
    { "building", "units", "'3'" },
    { "building", "units", "int32 3" },     /* integers are int64 only */
    { "building", "units", "uint64 3" },
    { "building", "units", "3.0" },
    { "building", "units", "true" },
    { "credit", "points", "int16 -3" },
    { "resident", "party_member", "int64 1" },
    { "resident", "party_member", "'true'" },
    { "resident", "tag_low_income", "byte 1" },
    { "resident", "_deleted", "'yes'" },
    { "resident", "birth_date", "int64 20240101" },
    { "visit", "visited_at", "int64 1709251200" },
    { "visit", "kind", "int32 0" },
    { "visit", "kind", "true" },
    { "resident", "household_id", "int64 7" },
    { "resident", "grid_id", "int64 7" },
    { "resident", "id_number", "int64 110105194912310021" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GVariant) value = parse_value (cases[i].value);

      note ("case %u: %s.%s = %s", i, cases[i].table, cases[i].field, cases[i].value);
      assert_check_error (field_for (cases[i].table, cases[i].field), value,
                          SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_WRONG_TYPE);
    }
}

static void
test_check_text (void)
{
  const char *ok_values[] = {
    "", "王小明", "Wang Xiaoming", "line one\nline two", "\t tabs and spaces ",
    "emoji \xf0\x9f\x8f\xa0", "13812345678",
  };
  const SmField *name = field_for ("resident", "name");
  const SmField *notes = field_for ("household", "notes");

  for (guint i = 0; i < G_N_ELEMENTS (ok_values); i++)
    {
      g_autoptr(GVariant) value = str_value (ok_values[i]);

      note ("case %u: '%s'", i, ok_values[i]);
      assert_check_ok (name, value, value);
      assert_check_ok (notes, value, value);
    }

  /* A TEXT field takes any text: no content check here (that is validate_local's). */
  {
    g_autoptr(GVariant) value = str_value ("not a phone");

    assert_check_ok (field_for ("resident", "phone"), value, value);
  }
}

static void
test_check_too_long (void)
{
  const SmField *notes = field_for ("household", "notes");
  const SmField *kind = field_for ("visit", "kind");
  const SmField *ref = field_for ("resident", "household_id");
  const SmField *date = field_for ("resident", "birth_date");
  g_autofree char *max = g_strnfill (SM_SCHEMA_MAX_TEXT_BYTES, 'a');
  g_autofree char *over = g_strnfill (SM_SCHEMA_MAX_TEXT_BYTES + 1, 'a');
  g_autoptr(GString) wide = g_string_new (NULL);
  g_autoptr(GVariant) max_value = str_value (max);
  g_autoptr(GVariant) over_value = str_value (over);
  g_autoptr(GVariant) wide_value = NULL;

  assert_check_ok (notes, max_value, max_value);
  assert_check_error (notes, over_value, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_TOO_LONG);

  /* Bytes, not characters: 21846 three-byte characters are 65538 bytes. */
  while (wide->len <= SM_SCHEMA_MAX_TEXT_BYTES)
    g_string_append (wide, "中");
  g_assert_cmpuint (g_utf8_strlen (wide->str, -1), <, SM_SCHEMA_MAX_TEXT_BYTES);
  wide_value = str_value (wide->str);
  assert_check_error (notes, wide_value, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_TOO_LONG);

  /* Exactly at the limit in multibyte text: 65535 bytes of "中" plus one "a". */
  {
    g_autoptr(GString) exact = g_string_new (NULL);
    g_autoptr(GVariant) exact_value = NULL;

    while (exact->len + 3 <= SM_SCHEMA_MAX_TEXT_BYTES)
      g_string_append (exact, "中");
    while (exact->len < SM_SCHEMA_MAX_TEXT_BYTES)
      g_string_append_c (exact, 'a');
    g_assert_cmpuint (exact->len, ==, SM_SCHEMA_MAX_TEXT_BYTES);
    exact_value = str_value (exact->str);
    assert_check_ok (notes, exact_value, exact_value);
  }

  /* Every string-typed field has the same limit. */
  assert_check_error (kind, over_value, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_TOO_LONG);
  assert_check_error (ref, over_value, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_TOO_LONG);
  assert_check_error (date, over_value, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_TOO_LONG);
}

/* A GVariant string is only UTF-8 without NULs when it is in normal form: one built from
 * untrusted bytes (a file, the network) may be neither, and must be refused, not stored
 * as whatever g_variant_get_string() makes of it. */
static void
test_check_utf8 (void)
{
  static const char invalid_byte[] = "ab\xff";
  static const char bad_sequence[] = "\xc3\x28 text";
  static const char surrogate[] = "\xed\xa0\x80";
  static const char overlong[] = "\xc0\xaf";
  static const char embedded_nul[] = "ab\0cd";
  static const char unterminated[] = { 'a', 'b', 'c' };
  static const char good[] = "王小明";
  const struct {
    const char *desc;
    const char *data;
    gsize       size;
  } cases[] = {
    { "invalid byte", invalid_byte, sizeof invalid_byte },
    { "bad sequence", bad_sequence, sizeof bad_sequence },
    { "UTF-16 surrogate", surrogate, sizeof surrogate },
    { "overlong form", overlong, sizeof overlong },
    { "embedded NUL", embedded_nul, sizeof embedded_nul },
    { "no terminator", unterminated, sizeof unterminated },
  };
  const SmField *fields[] = {
    field_for ("resident", "name"),
    field_for ("household", "notes"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
      {
        g_autoptr(GVariant) value =
          g_variant_ref_sink (g_variant_new_from_data (G_VARIANT_TYPE_STRING, cases[i].data,
                                                       cases[i].size, FALSE, NULL, NULL));

        note ("case %u: %s in %s", i, cases[i].desc, fields[f]->name);
        assert_check_error (fields[f], value, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_INVALID_VALUE);
      }

  /* The same path with well-formed bytes is fine. */
  {
    g_autoptr(GVariant) value =
      g_variant_ref_sink (g_variant_new_from_data (G_VARIANT_TYPE_STRING, good, sizeof good,
                                                   FALSE, NULL, NULL));
    g_autoptr(GVariant) expected = str_value (good);

    assert_check_ok (fields[0], value, expected);
  }
}

static void
test_check_int (void)
{
  const gint64 values[] = { 0, 1, -1, 42, -300, G_MAXINT32, (gint64) G_MAXINT32 + 1,
                            G_MININT64, G_MAXINT64 };
  const SmField *units = field_for ("building", "units");
  const SmField *points = field_for ("credit", "points");

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(GVariant) value = g_variant_ref_sink (g_variant_new_int64 (values[i]));

      note ("case %u: %" G_GINT64_FORMAT, i, values[i]);
      assert_check_ok (units, value, value);
      assert_check_ok (points, value, value);
    }
}

static void
test_check_bool (void)
{
  const char *fields[][2] = {
    { "resident", "party_member" },
    { "resident", "tag_disabled" },
    { "household", "_deleted" },
    { "resource", "active" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const SmField *field = field_for (fields[i][0], fields[i][1]);
      g_autoptr(GVariant) t = g_variant_ref_sink (g_variant_new_boolean (TRUE));
      g_autoptr(GVariant) f = g_variant_ref_sink (g_variant_new_boolean (FALSE));

      assert_check_ok (field, t, t);
      assert_check_ok (field, f, f);
    }
}

static void
test_check_date (void)
{
  const struct {
    const char *text;
    gboolean    valid;
  } cases[] = {
    { "2024-02-29", TRUE },          /* leap year */
    { "2000-02-29", TRUE },          /* divisible by 400 */
    { "1900-01-01", TRUE },
    { "2023-12-31", TRUE },
    { "2099-06-15", TRUE },          /* follow-up dates are in the future */
    { "2023-02-29", FALSE },
    { "1900-02-29", FALSE },         /* divisible by 100, not by 400 */
    { "2024-04-31", FALSE },
    { "2024-13-01", FALSE },
    { "2024-00-10", FALSE },
    { "2024-01-00", FALSE },
    { "2024-01-32", FALSE },
    { "0000-01-01", FALSE },
    { "2024-1-01", FALSE },
    { "2024-01-1", FALSE },
    { "24-01-01", FALSE },
    { "2024/01/01", FALSE },
    { "2024.01.01", FALSE },
    { "20240101", FALSE },
    { "2024-01-01T00:00:00Z", FALSE },
    { "2024-01-01 ", FALSE },
    { " 2024-01-01", FALSE },
    { "2024-01-0a", FALSE },
    { "２０２４-０１-０１", FALSE },   /* fullwidth digits */
    { "2024年1月1日", FALSE },
    { "", FALSE },
    { "today", FALSE },
  };
  const SmField *fields[] = {
    field_for ("resident", "birth_date"),
    field_for ("household", "moved_in"),
    field_for ("visit", "follow_up_on"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
      {
        g_autoptr(GVariant) value = str_value (cases[i].text);

        note ("case %u: '%s' in %s", i, cases[i].text, fields[f]->name);
        if (cases[i].valid)
          assert_check_ok (fields[f], value, value);
        else
          assert_check_error (fields[f], value, SM_VALIDATE_ERROR, SM_VALIDATE_ERROR_DATE);
      }
}

static void
test_check_timestamp (void)
{
  const struct {
    const char *text;
    const char *canonical;   /* NULL: refused */
  } cases[] = {
    { "2024-03-01T00:30:00Z", "2024-03-01T00:30:00Z" },
    { "2024-03-01T08:30:00+08:00", "2024-03-01T00:30:00Z" },
    { "2024-03-01T08:30:00+0800", "2024-03-01T00:30:00Z" },
    { "2024-03-01T00:30:00+00:00", "2024-03-01T00:30:00Z" },
    { "2024-03-01T07:59:59+08:00", "2024-02-29T23:59:59Z" },   /* across a leap day */
    { "2024-01-01T06:00:00+08:00", "2023-12-31T22:00:00Z" },   /* across a year */
    { "2024-12-31T20:00:00-05:00", "2025-01-01T01:00:00Z" },
    { "2024-03-01T05:45:00+05:45", "2024-03-01T00:00:00Z" },
    { "2024-03-01T08:30:00.123+08:00", "2024-03-01T00:30:00Z" },  /* sub-seconds dropped */
    { "2024-03-01T08:30:00.999999Z", "2024-03-01T08:30:00Z" },
    { "1970-01-01T08:00:00+08:00", "1970-01-01T00:00:00Z" },
    { "2024-03-01T08:30:00", NULL },          /* no time zone: never guessed */
    { "2024-03-01T08:30:00.5", NULL },
    { "2024-03-01 08:30:00+08:00", NULL },
    { "2024-03-01", NULL },
    { "2024-02-30T00:00:00Z", NULL },
    { "2023-02-29T00:00:00Z", NULL },
    { "2024-03-01T25:00:00Z", NULL },
    { "2024-03-01T12:60:00Z", NULL },
    { "2024-03-01T08:30:00+25:00", NULL },
    { "2024-W09-5T00:00:00Z", NULL },         /* week date */
    { "2024-061T00:00:00Z", NULL },           /* ordinal date */
    { "20240301T083000Z", NULL },
    { "1709251200", NULL },
    { "", NULL },
    { "now", NULL },
    { "2024-03-01T08:30:00Z ", NULL },
    { " 2024-03-01T08:30:00Z", NULL },
  };
  const SmField *fields[] = {
    field_for ("visit", "visited_at"),
    field_for ("demand", "reported_at"),
    field_for ("demand_event", "at"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
      {
        g_autoptr(GVariant) value = str_value (cases[i].text);

        note ("case %u: '%s' in %s", i, cases[i].text, fields[f]->name);
        if (cases[i].canonical != NULL)
          {
            g_autoptr(GVariant) expected = str_value (cases[i].canonical);

            g_assert_true (is_canonical_timestamp (cases[i].canonical));
            assert_check_ok (fields[f], value, expected);
            /* The canonical form is a fixed point. */
            assert_check_ok (fields[f], expected, expected);
          }
        else
          {
            assert_check_error (fields[f], value, SM_VALIDATE_ERROR, SM_VALIDATE_ERROR_TIMESTAMP);
          }
      }
}

/* Timestamps near the ends of the calendar are either refused as timestamps, or stored in
 * the canonical form, which is itself accepted unchanged; never a critical warning (fatal
 * under G_DEBUG=fatal-warnings), never a malformed canonical value. */
static void
check_timestamp_edges (const char * const *cases,
                       guint               n_cases)
{
  const SmField *field = field_for ("visit", "visited_at");

  for (guint i = 0; i < n_cases; i++)
    {
      g_autoptr(GVariant) value = str_value (cases[i]);
      g_autoptr(GVariant) canonical = NULL;
      g_autoptr(GError) error = NULL;

      note ("case %u: '%s'", i, cases[i]);
      if (sm_field_check_value (field, value, &canonical, &error))
        {
          const char *text;

          g_assert_no_error (error);
          g_assert_nonnull (canonical);
          text = g_variant_get_string (canonical, NULL);
          if (!is_canonical_timestamp (text))
            g_error ("'%s' was stored as '%s', not YYYY-MM-DDTHH:MM:SSZ", cases[i], text);
          assert_check_ok (field, canonical, canonical);
        }
      else
        {
          g_assert_null (canonical);
          g_assert_error (error, SM_VALIDATE_ERROR, SM_VALIDATE_ERROR_TIMESTAMP);
          assert_names_label (error, field);
        }
    }
}

/* Valid local times whose UTC form falls outside the years 1–9999. */
static void
test_check_timestamp_utc_range (void)
{
  const char * const cases[] = {
    "9999-12-31T23:59:59Z",
    "0001-01-01T00:00:00+08:00",
    "0001-01-01T07:59:59+08:00",
    "9999-12-31T23:59:59-08:00",
    "9999-12-31T20:00:00-04:00",
  };

  check_timestamp_edges (cases, G_N_ELEMENTS (cases));
}

/* Years before 1000: the canonical form still has four digits of year. */
static void
test_check_timestamp_early_year (void)
{
  const char * const cases[] = {
    "0999-06-01T12:00:00Z",
    "0100-01-01T00:00:00Z",
    "0001-01-01T00:00:00Z",
    "0001-01-01T08:00:00+08:00",
  };

  check_timestamp_edges (cases, G_N_ELEMENTS (cases));
}

static void
test_check_enum (void)
{
  const struct {
    const char *table;
    const char *field;
    const char *value;
    gboolean    valid;
  } cases[] = {
    { "compound", "kind", "commercial", TRUE },
    { "compound", "kind", "basic", TRUE },
    { "household", "tenure", "new", TRUE },
    { "resident", "id_type", "cn_id", TRUE },
    { "visit", "kind", "drop_in", TRUE },
    { "visit", "outcome", "not_home", TRUE },
    { "demand", "status", "supervising", TRUE },
    { "demand_event", "satisfaction", "unsatisfied", TRUE },
    { "compound", "kind", "Commercial", FALSE },
    { "compound", "kind", "commercial ", FALSE },
    { "compound", "kind", "", FALSE },
    { "compound", "kind", "商品房", FALSE },
    { "visit", "kind", "drop-in", FALSE },
    { "visit", "kind", "met", FALSE },            /* another field's value */
    { "visit", "outcome", "knock", FALSE },
    { "resident", "id_type", "CN_ID", FALSE },
    { "demand", "status", "closed", FALSE },
    { "demand_event", "action", "delete", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const SmField *field = field_for (cases[i].table, cases[i].field);
      g_autoptr(GVariant) value = str_value (cases[i].value);

      note ("case %u: %s.%s = '%s'", i, cases[i].table, cases[i].field, cases[i].value);
      if (cases[i].valid)
        assert_check_ok (field, value, value);
      else
        assert_check_error (field, value, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_INVALID_VALUE);
    }

  /* Every declared value of every enum passes. */
  {
    guint n_tables = 0;
    const SmTable *tables = sm_schema_get_tables (&n_tables);

    for (guint t = 0; t < n_tables; t++)
      for (guint f = 0; f < tables[t].n_fields; f++)
        if (tables[t].fields[f].type == SM_FIELD_ENUM)
          for (guint v = 0; tables[t].fields[f].enum_values[v] != NULL; v++)
            {
              g_autoptr(GVariant) value = str_value (tables[t].fields[f].enum_values[v]);

              assert_check_ok (&tables[t].fields[f], value, value);
            }
  }
}

static void
test_check_ref (void)
{
  const SmField *fields[] = {
    field_for ("resident", "household_id"),
    field_for ("household", "grid_id"),
    field_for ("building", "leader_resident_id"),
  };

  for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
    {
      g_autoptr(GVariant) uuid = str_value ("018df74f-8400-7000-8000-0123456789ab");
      g_autoptr(GVariant) empty = str_value ("");

      note ("field %s", fields[f]->name);
      assert_check_ok (fields[f], uuid, uuid);
      assert_check_error (fields[f], empty, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_INVALID_VALUE);
    }
}

/* ---- sm_field_validate_local ---- */

static void
assert_local_ok (const SmField *field,
                 GVariant      *value,
                 const char    *id_type,
                 GVariant      *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) canonical = NULL;
  gboolean ok = sm_field_validate_local (field, value, id_type, &canonical, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  if (expected == NULL)
    g_assert_null (canonical);
  else
    g_assert_true (canonical != NULL && g_variant_equal (canonical, expected));
}

static void
assert_local_error (const SmField *field,
                    GVariant      *value,
                    const char    *id_type,
                    GQuark         domain,
                    int            code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) canonical = NULL;
  gboolean ok = sm_field_validate_local (field, value, id_type, &canonical, &error);

  g_assert_error (error, domain, code);
  g_assert_false (ok);
  g_assert_null (canonical);
  assert_names_label (error, field);
}

/* The test's own check character agrees with published examples. */
static void
test_id_helper (void)
{
  g_assert_cmpint (gb11643_check_char ("11010519491231002"), ==, 'X');   /* GB 11643 example */
  g_assert_cmpint (gb11643_check_char ("11010219840406970"), ==, 'X');
  g_assert_cmpint (gb11643_check_char ("81000019940823002"), ==, '1');
  g_assert_cmpint (gb11643_check_char ("93268219850101001"), ==, '7');
}

typedef enum {
  ID_VALID,         /* body17 plus the right check character */
  ID_WRONG_CHECK,   /* body17 plus a wrong check character */
  ID_LITERAL,       /* body17 is the whole value */
} IdForm;

typedef struct {
  const char *id_type;
  const char *body;
  IdForm      form;
  int         error;   /* -1: accepted; else an SmValidateError */
} IdCase;

static void
check_id_cases (const IdCase *cases,
                guint         n_cases)
{
  const SmField *id_number = field_for ("resident", "id_number");

  for (guint i = 0; i < n_cases; i++)
    {
      g_autofree char *text = NULL;
      g_autoptr(GVariant) value = NULL;

      switch (cases[i].form)
        {
        case ID_VALID:
          text = id_valid (cases[i].body);
          break;
        case ID_WRONG_CHECK:
          text = id_wrong_check (cases[i].body);
          break;
        case ID_LITERAL:
        default:
          text = g_strdup (cases[i].body);
          break;
        }
      value = str_value (text);

      note ("case %u: %s '%s'", i, cases[i].id_type ? cases[i].id_type : "(none)", text);
      if (cases[i].error < 0)
        assert_local_ok (id_number, value, cases[i].id_type, value);
      else
        assert_local_error (id_number, value, cases[i].id_type,
                            SM_VALIDATE_ERROR, cases[i].error);
    }
}

static void
test_local_id_number (void)
{
  const IdCase cases[] = {
    /* Mainland identity cards. */
    { "cn_id", "11010519491231002", ID_VALID, -1 },
    { "cn_id", "44030419900307123", ID_VALID, -1 },
    { "cn_id", "65010220000229004", ID_VALID, -1 },           /* born on a leap day */
    { "cn_id", "11010519491231002", ID_WRONG_CHECK, SM_VALIDATE_ERROR_ID_CHECKSUM },
    { "cn_id", "44030419900307123", ID_WRONG_CHECK, SM_VALIDATE_ERROR_ID_CHECKSUM },
    { "cn_id", "44030419900307132", ID_LITERAL, SM_VALIDATE_ERROR_ID_LENGTH },  /* 17 */
    { "cn_id", "1101051949123100211", ID_LITERAL, SM_VALIDATE_ERROR_ID_LENGTH },
    { "cn_id", "110105491231002", ID_LITERAL, SM_VALIDATE_ERROR_ID_LENGTH },    /* 1st gen */
    { "cn_id", "1101051949123100AX", ID_LITERAL, SM_VALIDATE_ERROR_ID_CHARACTERS },
    { "cn_id", "11010519491231002Y", ID_LITERAL, SM_VALIDATE_ERROR_ID_CHARACTERS },
    /* Spaces are dropped before the check: 16 characters are left. */
    { "cn_id", "110105 949123100 X", ID_LITERAL, SM_VALIDATE_ERROR_ID_LENGTH },
    { "cn_id", "00010519491231002", ID_VALID, SM_VALIDATE_ERROR_ID_REGION },
    { "cn_id", "10010519491231002", ID_VALID, SM_VALIDATE_ERROR_ID_REGION },
    { "cn_id", "99010519491231002", ID_VALID, SM_VALIDATE_ERROR_ID_REGION },
    { "cn_id", "11010519990230001", ID_VALID, SM_VALIDATE_ERROR_ID_BIRTH_DATE },  /* 30 Feb */
    { "cn_id", "11010519991301001", ID_VALID, SM_VALIDATE_ERROR_ID_BIRTH_DATE },  /* month 13 */
    { "cn_id", "11010519990100001", ID_VALID, SM_VALIDATE_ERROR_ID_BIRTH_DATE },  /* day 0 */
    { "cn_id", "11010529990101001", ID_VALID, SM_VALIDATE_ERROR_ID_BIRTH_DATE },  /* future */
    /* No document type known yet: checked like a mainland card. */
    { NULL, "11010519491231002", ID_VALID, -1 },
    { NULL, "11010519491231002", ID_WRONG_CHECK, SM_VALIDATE_ERROR_ID_CHECKSUM },
    /* Residence permits of Hong Kong (810000), Macao (820000), Taiwan (830000) residents. */
    { "hmt_permit", "81000019940823002", ID_VALID, -1 },
    { "hmt_permit", "82000019800101001", ID_VALID, -1 },
    { "hmt_permit", "83000019750615002", ID_VALID, -1 },
    { "hmt_permit", "81000019940823002", ID_WRONG_CHECK, SM_VALIDATE_ERROR_ID_CHECKSUM },
    /* Passports and other documents carry no checksum. */
    { "passport", "E12345678", ID_LITERAL, -1 },
    { "passport", "G1234567", ID_LITERAL, -1 },
    { "passport", "11010519491231002", ID_WRONG_CHECK, -1 },
    { "passport", "11010519491231002Y", ID_LITERAL, -1 },
    { "other", "军字第1234567号", ID_LITERAL, -1 },
    { "other", "12345", ID_LITERAL, -1 },
    { "other", "11010519491231002", ID_WRONG_CHECK, -1 },
    /* Empty clears the field: nothing to check. */
    { "cn_id", "", ID_LITERAL, -1 },
    { NULL, "", ID_LITERAL, -1 },
  };
  const SmField *id_number = field_for ("resident", "id_number");

  check_id_cases (cases, G_N_ELEMENTS (cases));

  /* The check character X, in either case; stored as a capital so one number has one
   * spelling for equality and search. */
  {
    g_autofree char *upper = id_with_x ("11010519800101", 'X');
    g_autofree char *lower = id_with_x ("11010519800101", 'x');
    g_autoptr(GVariant) upper_value = str_value (upper);
    g_autoptr(GVariant) lower_value = str_value (lower);

    assert_local_ok (id_number, upper_value, "cn_id", upper_value);
    assert_local_ok (id_number, lower_value, "cn_id", upper_value);
  }

  /* Each of the eleven check characters: accepted when right, refused when any other. */
  {
    g_autoptr(GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);

    for (guint seq = 0; seq < 1000 && g_hash_table_size (seen) < 11; seq++)
      {
        g_autofree char *body = g_strdup_printf ("32010619751108%03u", seq);
        char right = gb11643_check_char (body);

        if (!g_hash_table_add (seen, GINT_TO_POINTER (right)))
          continue;

        for (const char *c = "0123456789X"; *c != '\0'; c++)
          {
            g_autofree char *text = g_strdup_printf ("%s%c", body, *c);
            g_autoptr(GVariant) value = str_value (text);

            note ("check character: '%s'", text);
            if (*c == right)
              assert_local_ok (id_number, value, "cn_id", value);
            else
              assert_local_error (id_number, value, "cn_id",
                                  SM_VALIDATE_ERROR, SM_VALIDATE_ERROR_ID_CHECKSUM);
          }
      }

    g_assert_cmpuint (g_hash_table_size (seen), ==, 11);
  }

  /* A mainland number whose check character would be X, written with a digit. */
  {
    g_autofree char *upper = id_with_x ("11010519800101", 'X');
    g_autoptr(GVariant) value = NULL;

    upper[17] = '0';
    value = str_value (upper);
    assert_local_error (id_number, value, "cn_id", SM_VALIDATE_ERROR, SM_VALIDATE_ERROR_ID_CHECKSUM);
  }
}

/* Foreign permanent resident ID cards (外国人永久居留身份证): since December 2023 eighteen
 * digits, "9", the two-digit province code of the issuing office, a three-digit nationality
 * code, the birth date, a sequence number and a GB 11643 check character. DESIGN §2: the
 * 18-digit kinds are checksum-validated. */
static void
test_local_id_foreign_2023 (void)
{
  const IdCase cases[] = {
    { "foreign_pr", "91139219900101002", ID_VALID, -1 },       /* Beijing (11) */
    { "foreign_pr", "91139219900101002", ID_WRONG_CHECK, SM_VALIDATE_ERROR_ID_CHECKSUM },
    { "foreign_pr", "93268219850101001", ID_VALID, -1 },       /* Jiangsu (32), published example */
    { "foreign_pr", "93184019850206001", ID_VALID, -1 },       /* Shanghai (31) */
    { "foreign_pr", "94439219900101002", ID_VALID, -1 },       /* Guangdong (44) */
    { "foreign_pr", "96139219900101002", ID_VALID, -1 },       /* Shaanxi (61) */
    { "foreign_pr", "93184019850206001", ID_WRONG_CHECK, SM_VALIDATE_ERROR_ID_CHECKSUM },
  };

  check_id_cases (cases, G_N_ELEMENTS (cases));
}

/* The 15-character cards of the 2004 and 2017 issues (three letters, twelve digits) stay
 * valid until they expire, alongside the new ones; they have no GB 11643 check character. */
static void
test_local_id_foreign_2017 (void)
{
  const IdCase cases[] = {
    { "foreign_pr", "KAZ110090123105", ID_LITERAL, -1 },
  };

  check_id_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_local_mobile (void)
{
  const struct {
    const char *text;
    gboolean    valid;
    const char *stored;  /* NULL: as typed */
  } cases[] = {
    { "13812345678", TRUE },
    { "13000000000", TRUE },
    { "15912345678", TRUE },
    { "16612345678", TRUE },
    { "19912345678", TRUE },
    { "", TRUE },                   /* clears the field */
    { "12812345678", FALSE },
    { "10012345678", FALSE },
    { "23812345678", FALSE },
    { "03812345678", FALSE },
    { "1381234567", FALSE },
    { "138123456789", FALSE },
    { "1381234567a", FALSE },
    { "+8613812345678", FALSE },
    { "010-12345678", FALSE },
    { "１３８１２３４５６７８", TRUE, "13812345678" },  /* fullwidth, from an input method */
    { "138 1234 5678", TRUE, "13812345678" },          /* grouped as read out */
    { "138-1234-5678", TRUE, "13812345678" },
    { "１３８１２３４５６７", FALSE },
    { "phone", FALSE },
  };
  const SmField *fields[] = {
    field_for ("resident", "phone"),
    field_for ("household", "phone"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
      {
        g_autoptr(GVariant) value = str_value (cases[i].text);
        g_autoptr(GVariant) stored = str_value (cases[i].stored ? cases[i].stored : cases[i].text);

        note ("case %u: '%s' in %s", i, cases[i].text, fields[f]->table->name);
        if (cases[i].valid)
          assert_local_ok (fields[f], value, NULL, stored);
        else
          assert_local_error (fields[f], value, NULL, SM_VALIDATE_ERROR, SM_VALIDATE_ERROR_PHONE);
      }
}

static void
test_local_required (void)
{
  g_autoptr(GVariant) empty = str_value ("");
  g_autoptr(GVariant) address = str_value ("幸福路 1 号 2 单元 301");
  g_autoptr(GVariant) local_time = str_value ("2024-03-01T08:30:00+08:00");
  g_autoptr(GVariant) utc_time = str_value ("2024-03-01T00:30:00Z");
  g_autoptr(GVariant) bad_kind = str_value ("visit");
  g_autoptr(GVariant) wrong_type = parse_value ("int64 1");

  /* Required: null and empty text are refused. */
  assert_local_error (field_for ("household", "address"), NULL, NULL,
                      SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_REQUIRED);
  assert_local_error (field_for ("household", "address"), empty, NULL,
                      SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_REQUIRED);
  assert_local_ok (field_for ("household", "address"), address, NULL, address);
  assert_local_error (field_for ("household", "tenure"), NULL, NULL,
                      SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_REQUIRED);
  assert_local_error (field_for ("resident", "household_id"), NULL, NULL,
                      SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_REQUIRED);
  assert_local_error (field_for ("visit", "visited_at"), NULL, NULL,
                      SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_REQUIRED);
  assert_local_error (field_for ("credit", "points"), NULL, NULL,
                      SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_REQUIRED);

  /* Optional: null and empty text clear the field. */
  assert_local_ok (field_for ("household", "notes"), NULL, NULL, NULL);
  assert_local_ok (field_for ("household", "notes"), empty, NULL, empty);
  assert_local_ok (field_for ("resident", "birth_date"), NULL, NULL, NULL);
  assert_local_ok (field_for ("resident", "phone"), NULL, NULL, NULL);

  /* The local checks include the value checks, canonical forms and all. */
  assert_local_ok (field_for ("demand", "reported_at"), local_time, NULL, utc_time);
  assert_local_error (field_for ("visit", "kind"), bad_kind, NULL,
                      SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_INVALID_VALUE);
  assert_local_error (field_for ("household", "address"), wrong_type, NULL,
                      SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_WRONG_TYPE);
  assert_local_error (field_for ("resident", "household_id"), empty, NULL,
                      SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_INVALID_VALUE);
}

/* Every refusal says which field it is about, in the message people read. */
static void
test_error_label (void)
{
  guint n_tables = 0;
  const SmTable *tables = sm_schema_get_tables (&n_tables);
  g_autoptr(GVariant) wrong_string = str_value ("x");
  g_autoptr(GVariant) wrong_int = parse_value ("int64 1");

  for (guint t = 0; t < n_tables; t++)
    for (guint f = 0; f < tables[t].n_fields; f++)
      {
        const SmField *field = &tables[t].fields[f];
        gboolean string_typed = field->type != SM_FIELD_INT && field->type != SM_FIELD_BOOL;

        note ("field %s.%s", tables[t].name, field->name);
        assert_check_error (field, string_typed ? wrong_int : wrong_string,
                            SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_WRONG_TYPE);
      }

  {
    g_autoptr(GVariant) bad_id = str_value ("110105194912310020");
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) canonical = NULL;
    const SmField *id_number = field_for ("resident", "id_number");

    g_assert_false (sm_field_validate_local (id_number, bad_id, "cn_id", &canonical, &error));
    g_assert_nonnull (error);
    assert_names_label (error, id_number);
    /* The label leads, the reason follows. */
    g_assert_true (g_str_has_prefix (error->message, sm_field_get_label (id_number)));
  }
}

/* ---- masks ---- */

static void
test_mask (void)
{
  const struct {
    const char *table;
    const char *field;
    const char *value;
    const char *masked;
  } cases[] = {
    { "resident", "id_number", "11010519491231002X", "110105********002X" },
    { "resident", "id_number", "11010519491231002x", "110105********002x" },
    { "resident", "id_number", "440304199003071234", "440304********1234" },
    { "resident", "phone", "13812345678", "138****5678" },
    { "household", "phone", "13812345678", "138****5678" },
    { "household", "phone", "19900001111", "199****1111" },
    { "resident", "id_number", "", "" },
    /* Not sensitive: shown as it is. */
    { "resident", "name", "王小明", "王小明" },
    { "household", "address", "幸福路 1 号", "幸福路 1 号" },
    { "resident", "notes", "13812345678", "13812345678" },
  };
  const char *other_values[] = {
    "E12345678", "G1234567", "KAZ110090123105", "军字第1234567号", "1381234", "abcd", "abc",
    "1", "1234567890123456789012345",
  };
  const SmField *id_number = field_for ("resident", "id_number");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *masked = sm_field_mask_value (field_for (cases[i].table, cases[i].field),
                                                     cases[i].value);

      note ("case %u: %s.%s '%s'", i, cases[i].table, cases[i].field, cases[i].value);
      g_assert_cmpstr (masked, ==, cases[i].masked);
    }

  g_assert_null (sm_field_mask_value (id_number, NULL));
  g_assert_null (sm_field_mask_value (field_for ("resident", "name"), NULL));

  /* Other documents: same length, still valid UTF-8, and something is hidden. */
  for (guint i = 0; i < G_N_ELEMENTS (other_values); i++)
    {
      g_autofree char *masked = sm_field_mask_value (id_number, other_values[i]);

      note ("other %u: '%s' -> '%s'", i, other_values[i], masked);
      g_assert_nonnull (masked);
      g_assert_true (g_utf8_validate (masked, -1, NULL));
      g_assert_cmpint (g_utf8_strlen (masked, -1), ==, g_utf8_strlen (other_values[i], -1));
      g_assert_cmpstr (masked, !=, other_values[i]);
      g_assert_nonnull (strchr (masked, '*'));
    }
}

/* ---- sm_value_equal ---- */

static void
test_value_equal (void)
{
  const struct {
    const char *a;   /* GVariant text form; NULL is null */
    const char *b;
    gboolean    equal;
  } cases[] = {
    { NULL, NULL, TRUE },
    { NULL, "''", FALSE },          /* null is not the empty text */
    { NULL, "false", FALSE },
    { NULL, "int64 0", FALSE },
    { "''", "''", TRUE },
    { "'王小明'", "'王小明'", TRUE },
    { "'a'", "'b'", FALSE },
    { "'a'", "'A'", FALSE },
    { "'a'", "'a '", FALSE },
    { "int64 1", "int64 1", TRUE },
    { "int64 1", "int64 2", FALSE },
    { "int64 -1", "int64 1", FALSE },
    { "int64 1", "int32 1", FALSE }, /* the type is part of the value */
    { "int64 1", "'1'", FALSE },
    { "int64 0", "false", FALSE },
    { "int64 1", "true", FALSE },
    { "true", "true", TRUE },
    { "false", "false", TRUE },
    { "true", "false", FALSE },
    { "'true'", "true", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GVariant) a = cases[i].a ? parse_value (cases[i].a) : NULL;
      g_autoptr(GVariant) b = cases[i].b ? parse_value (cases[i].b) : NULL;

      note ("case %u: %s vs %s", i, cases[i].a, cases[i].b);
      g_assert_cmpint (sm_value_equal (a, b), ==, cases[i].equal);
      g_assert_cmpint (sm_value_equal (b, a), ==, cases[i].equal);
      if (a != NULL)
        g_assert_true (sm_value_equal (a, a));
    }

  /* Contents, not identity or how the value was built. */
  {
    static const char bytes[] = "王小明";
    g_autoptr(GVariant) built = str_value ("王小明");
    g_autoptr(GVariant) from_data =
      g_variant_ref_sink (g_variant_new_from_data (G_VARIANT_TYPE_STRING, bytes, sizeof bytes,
                                                   FALSE, NULL, NULL));

    g_assert_true (sm_value_equal (built, from_data));
  }
}

typedef struct {
  const char *path;
  GTestFunc   func;
} TestCase;

static const TestCase tests[] = {
  { "/core/schema/tables", test_tables },
  { "/core/schema/positions", test_positions },
  { "/core/schema/system-fields", test_system_fields },
  { "/core/schema/lookup-unknown", test_lookup_unknown },
  { "/core/schema/field-kinds", test_field_kinds },
  { "/core/schema/tags", test_tags },
  { "/core/schema/enums", test_enums },
  { "/core/schema/enum-label", test_enum_label },
  { "/core/schema/derived", test_derived },
  { "/core/schema/sensitive", test_sensitive },
  { "/core/schema/check-value/null", test_check_null },
  { "/core/schema/check-value/wrong-type", test_check_wrong_type },
  { "/core/schema/check-value/text", test_check_text },
  { "/core/schema/check-value/too-long", test_check_too_long },
  { "/core/schema/check-value/utf8", test_check_utf8 },
  { "/core/schema/check-value/int", test_check_int },
  { "/core/schema/check-value/bool", test_check_bool },
  { "/core/schema/check-value/date", test_check_date },
  { "/core/schema/check-value/timestamp", test_check_timestamp },
  { "/core/schema/check-value/timestamp-utc-range", test_check_timestamp_utc_range },
  { "/core/schema/check-value/timestamp-early-year", test_check_timestamp_early_year },
  { "/core/schema/check-value/enum", test_check_enum },
  { "/core/schema/check-value/ref", test_check_ref },
  { "/core/schema/validate-local/id-helper", test_id_helper },
  { "/core/schema/validate-local/id-number", test_local_id_number },
  { "/core/schema/validate-local/id-number-foreign-2023", test_local_id_foreign_2023 },
  { "/core/schema/validate-local/id-number-foreign-2017", test_local_id_foreign_2017 },
  { "/core/schema/validate-local/mobile", test_local_mobile },
  { "/core/schema/validate-local/required", test_local_required },
  { "/core/schema/validate-local/error-label", test_error_label },
  { "/core/schema/mask", test_mask },
  { "/core/schema/value-equal", test_value_equal },
};

/* Every test runs in its own child process, so that a failing case (an assertion, or a
 * critical made fatal by G_DEBUG=fatal-warnings) fails that test alone and the others
 * still run and report. The child's stderr, where the failure is told, is passed through. */
static void
run_test (gconstpointer data)
{
  const TestCase *test = data;

  if (g_test_subprocess ())
    {
      test->func ();
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  /* The environment's locale (C.UTF-8 under meson test), so notes and messages print as
   * UTF-8; labels are compared through gettext, so a translated run passes too. */
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  /* In the parent a failed child marks its test failed and the run goes on; in a child
   * the first failed assertion stops it. */
  if (!g_test_subprocess ())
    g_test_set_nonfatal_assertions ();

  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    g_test_add_data_func (tests[i].path, &tests[i], run_test);

  return g_test_run ();
}
