/* sm-schema.c — the data model as one table of C data
 *
 * To add a field: append one line to its table (never insert: the index is stored in
 * every record's packed clocks) and bump SM_STORE_SCHEMA_VERSION with a migration that
 * adds the column. Labels are English msgids; the catalogs carry the Chinese.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-schema"

#include "sm-schema.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sm-validate.h"

G_DEFINE_QUARK (sm-schema-error-quark, sm_schema_error)

#define TEXT(n, flags, lbl)         { n, SM_FIELD_TEXT, flags, SM_CHECK_NONE, NULL, NULL, NULL, lbl, 0, NULL }
#define CHECKED(n, flags, chk, lbl) { n, SM_FIELD_TEXT, flags, chk, NULL, NULL, NULL, lbl, 0, NULL }
#define INT(n, flags, lbl)          { n, SM_FIELD_INT, flags, SM_CHECK_NONE, NULL, NULL, NULL, lbl, 0, NULL }
#define BOOL(n, flags, lbl)         { n, SM_FIELD_BOOL, flags, SM_CHECK_NONE, NULL, NULL, NULL, lbl, 0, NULL }
#define DATE(n, flags, lbl)         { n, SM_FIELD_DATE, flags, SM_CHECK_NONE, NULL, NULL, NULL, lbl, 0, NULL }
#define STAMP(n, flags, lbl)        { n, SM_FIELD_TIMESTAMP, flags, SM_CHECK_NONE, NULL, NULL, NULL, lbl, 0, NULL }
#define ENUM(n, flags, vals, lbl)   { n, SM_FIELD_ENUM, flags, SM_CHECK_NONE, vals, vals##_labels, NULL, lbl, 0, NULL }
#define REF(n, flags, tbl, lbl)     { n, SM_FIELD_REF, flags | SM_FIELD_FLAG_INDEXED, SM_CHECK_NONE, NULL, NULL, tbl, lbl, 0, NULL }
#define TAG(n, lbl)                 { n, SM_FIELD_BOOL, SM_FIELD_FLAG_TAG, SM_CHECK_NONE, NULL, NULL, NULL, lbl, 0, NULL }

#define SYSTEM_FIELDS \
  { "grid_id", SM_FIELD_REF, SM_FIELD_FLAG_SYSTEM | SM_FIELD_FLAG_INDEXED, SM_CHECK_NONE, \
    NULL, NULL, "grid", N_("Grid"), 0, NULL }, \
  { "_deleted", SM_FIELD_BOOL, SM_FIELD_FLAG_SYSTEM, SM_CHECK_NONE, \
    NULL, NULL, NULL, N_("Deleted"), 0, NULL }

/* The difficulty tags of households and residents (困难群众). */
#define DIFFICULTY_TAGS \
  TAG ("tag_elderly_alone", N_("Elderly living alone")), \
  TAG ("tag_low_income", N_("Low income")), \
  TAG ("tag_disabled", N_("Disabled")), \
  TAG ("tag_serious_illness", N_("Serious illness")), \
  TAG ("tag_unemployed", N_("Unemployed")), \
  TAG ("tag_left_behind_child", N_("Left-behind child"))

static const char * const compound_kinds[] = { "commercial", "old", "resettlement", "rental", "basic", NULL };
static const char * const compound_kinds_labels[] = {
  N_("Commercial housing"), N_("Old compound"), N_("Resettlement housing"),
  N_("Subsidised rental housing"), N_("Basic property service"), NULL };

static const char * const tenures[] = { "new", "existing", NULL };
static const char * const tenures_labels[] = { N_("New resident"), N_("Existing resident"), NULL };

static const char * const genders[] = { "male", "female", NULL };
static const char * const genders_labels[] = { N_("Male"), N_("Female"), NULL };

static const char * const id_types[] = { "cn_id", "hmt_permit", "foreign_pr", "passport", "other", NULL };
static const char * const id_types_labels[] = {
  N_("Resident identity card"), N_("Residence permit for Hong Kong, Macao and Taiwan residents"),
  N_("Foreign permanent resident ID card"), N_("Passport"), N_("Other document"), NULL };

static const char * const relations[] = {
  "self", "spouse", "child", "parent", "grandchild", "grandparent", "sibling",
  "child_in_law", "tenant", "other", NULL };
static const char * const relations_labels[] = {
  N_("Head of household"), N_("Spouse"), N_("Child"), N_("Parent"), N_("Grandchild"),
  N_("Grandparent"), N_("Sibling"), N_("Child-in-law"), N_("Tenant"), N_("Other relation"), NULL };

static const char * const visit_kinds[] = { "knock", "drop_in", "care", NULL };
static const char * const visit_kinds_labels[] = { N_("Knock"), N_("Drop in"), N_("Care visit"), NULL };

static const char * const outcomes[] = { "met", "not_home", "declined", NULL };
static const char * const outcomes_labels[] = { N_("Met"), N_("Not at home"), N_("Declined"), NULL };

static const char * const sources[] = {
  "visit", "walk_in", "phone", "mailbox", "online", "wechat", "meeting", "window", NULL };
static const char * const sources_labels[] = {
  N_("Visit"), N_("Walk-in"), N_("Phone call"), N_("Mailbox"), N_("Online"), N_("WeChat"),
  N_("Meeting"), N_("Service window"), NULL };

static const char * const levels[] = { "building", "area", "community", "escalated", NULL };
static const char * const levels_labels[] = {
  N_("Within the building"), N_("Within the area"), N_("Within the community"), N_("Escalated"), NULL };

static const char * const statuses[] = {
  "reported", "accepted", "handling", "supervising", "resolved", "evaluated", NULL };
static const char * const statuses_labels[] = {
  N_("Reported"), N_("Accepted"), N_("Handling"), N_("Supervising"), N_("Resolved"),
  N_("Evaluated"), NULL };

static const char * const actions[] = {
  "report", "accept", "handle", "escalate", "supervise", "resolve", "evaluate", "reopen",
  "comment", NULL };
static const char * const actions_labels[] = {
  N_("Report"), N_("Accept"), N_("Handle"), N_("Escalate"), N_("Supervise"), N_("Resolve"),
  N_("Evaluate"), N_("Reopen"), N_("Comment"), NULL };

static const char * const satisfactions[] = { "satisfied", "basic", "unsatisfied", NULL };
static const char * const satisfactions_labels[] = {
  N_("Satisfied"), N_("Basically satisfied"), N_("Unsatisfied"), NULL };

static const char * const claim_statuses[] = { "claimed", "in_progress", "done", "cancelled", NULL };
static const char * const claim_statuses_labels[] = {
  N_("Claimed"), N_("In progress"), N_("Done"), N_("Cancelled"), NULL };

static const char * const conflict_statuses[] = { "open", "resolved", NULL };
/* "Reconciled", not "Resolved": that word is taken by the demand loop (办结). */
static const char * const conflict_statuses_labels[] = { N_("Open"), N_("Reconciled"), NULL };

#define REQ SM_FIELD_FLAG_REQUIRED
#define SENS SM_FIELD_FLAG_SENSITIVE
#define IDX SM_FIELD_FLAG_INDEXED

static SmField grid_fields[] = {
  SYSTEM_FIELDS,
  TEXT ("name", REQ, N_("Name")),
  TEXT ("community", 0, N_("Community")),
  TEXT ("subdistrict", 0, N_("Subdistrict")),
  TEXT ("code", 0, N_("Code")),
};

static SmField compound_fields[] = {
  SYSTEM_FIELDS,
  TEXT ("name", REQ, N_("Name")),
  ENUM ("kind", REQ, compound_kinds, N_("Kind of compound")),
  TEXT ("property_company", 0, N_("Property company")),
};

static SmField building_fields[] = {
  SYSTEM_FIELDS,
  REF ("compound_id", REQ, "compound", N_("Compound")),
  TEXT ("name", REQ, N_("Name")),
  TEXT ("address", 0, N_("Address")),
  INT ("units", 0, N_("Units")),
  INT ("floors", 0, N_("Floors")),
  REF ("leader_resident_id", 0, "resident", N_("Building leader")),
};

static SmField household_fields[] = {
  SYSTEM_FIELDS,
  REF ("building_id", 0, "building", N_("Building")),
  TEXT ("unit", 0, N_("Unit")),
  TEXT ("room", 0, N_("Room")),
  TEXT ("address", REQ, N_("Address")),
  ENUM ("tenure", REQ, tenures, N_("Tenure")),
  DATE ("moved_in", 0, N_("Moved in")),
  CHECKED ("phone", SENS, SM_CHECK_MOBILE, N_("Phone")),
  TEXT ("notes", 0, N_("Notes")),
  DIFFICULTY_TAGS,
};

static SmField resident_fields[] = {
  SYSTEM_FIELDS,
  REF ("household_id", REQ, "household", N_("Household")),
  TEXT ("name", REQ, N_("Full name")),
  ENUM ("gender", 0, genders, N_("Gender")),
  DATE ("birth_date", 0, N_("Date of birth")),
  ENUM ("id_type", 0, id_types, N_("Document type")),
  CHECKED ("id_number", SENS, SM_CHECK_ID_NUMBER, N_("ID number")),
  CHECKED ("phone", SENS, SM_CHECK_MOBILE, N_("Phone")),
  ENUM ("relation", 0, relations, N_("Relation to head of household")),
  TEXT ("ethnicity", 0, N_("Ethnicity")),
  BOOL ("party_member", 0, N_("Party member")),
  DATE ("moved_in", 0, N_("Moved in")),
  DATE ("moved_out", 0, N_("Moved out")),
  TEXT ("notes", 0, N_("Notes")),
  DIFFICULTY_TAGS,
};

static SmField visit_fields[] = {
  SYSTEM_FIELDS,
  REF ("household_id", REQ, "household", N_("Household")),
  ENUM ("kind", REQ, visit_kinds, N_("Kind of visit")),
  STAMP ("visited_at", REQ, N_("Visited at")),
  TEXT ("worker_id", REQ, N_("Grid worker")),
  TEXT ("companions", 0, N_("Companions")),
  ENUM ("outcome", REQ, outcomes, N_("Outcome")),
  TEXT ("met_names", 0, N_("People met")),
  TEXT ("notes", 0, N_("Notes")),
  DATE ("follow_up_on", 0, N_("Follow up on")),
};

static SmField demand_fields[] = {
  SYSTEM_FIELDS,
  REF ("household_id", 0, "household", N_("Household")),
  REF ("visit_id", 0, "visit", N_("Visit")),
  ENUM ("source", REQ, sources, N_("Source")),
  TEXT ("category", REQ, N_("Category")),
  ENUM ("level", 0, levels, N_("Level")),
  TEXT ("title", REQ, N_("Title")),
  TEXT ("description", 0, N_("Description")),
  STAMP ("reported_at", REQ, N_("Reported at")),
  STAMP ("due_at", 0, N_("Due at")),
  TEXT ("assignee", 0, N_("Assignee")),
  ENUM ("status", SM_FIELD_FLAG_DERIVED | IDX, statuses, N_("Status")),
  STAMP ("responded_at", SM_FIELD_FLAG_DERIVED, N_("Responded at")),
};

static SmField demand_event_fields[] = {
  SYSTEM_FIELDS,
  REF ("demand_id", REQ, "demand", N_("Demand")),
  STAMP ("at", REQ, N_("Time")),
  TEXT ("actor", REQ, N_("Actor")),
  ENUM ("action", REQ, actions, N_("Action")),
  ENUM ("satisfaction", 0, satisfactions, N_("Satisfaction")),
  TEXT ("note", 0, N_("Note")),
};

static SmField resource_fields[] = {
  SYSTEM_FIELDS,
  TEXT ("provider", REQ, N_("Provider")),
  TEXT ("name", REQ, N_("Service")),
  TEXT ("category", REQ, N_("Category")),
  TEXT ("description", 0, N_("Description")),
  TEXT ("contact", 0, N_("Contact")),
  BOOL ("active", 0, N_("Active")),
};

static SmField claim_fields[] = {
  SYSTEM_FIELDS,
  REF ("demand_id", REQ, "demand", N_("Demand")),
  REF ("resource_id", REQ, "resource", N_("Resource")),
  TEXT ("claimed_by", 0, N_("Claimed by")),
  STAMP ("claimed_at", 0, N_("Claimed at")),
  ENUM ("status", 0, claim_statuses, N_("Status")),
};

static SmField credit_fields[] = {
  SYSTEM_FIELDS,
  REF ("resident_id", REQ, "resident", N_("Resident")),
  INT ("points", REQ, N_("Points")),
  TEXT ("reason", REQ, N_("Reason")),
  STAMP ("at", REQ, N_("Time")),
};

static SmField conflict_fields[] = {
  SYSTEM_FIELDS,
  TEXT ("table_name", REQ, N_("Table")),
  TEXT ("row_id", REQ | IDX, N_("Record")),
  TEXT ("field", REQ, N_("Field")),
  TEXT ("winner_value", 0, N_("Current value")),
  TEXT ("winner_hlc", 0, N_("Current value written at")),
  TEXT ("winner_site", 0, N_("Device that wrote the current value")),
  TEXT ("loser_value", 0, N_("Other value")),
  TEXT ("loser_hlc", 0, N_("Other value written at")),
  TEXT ("loser_site", 0, N_("Device that wrote the other value")),
  ENUM ("status", REQ | IDX, conflict_statuses, N_("Status")),
  TEXT ("resolution", 0, N_("Resolution")),
  /* Who wrote each value, filled in by the server from its change log (the sites above
   * name devices, which the office cannot read): the worker's display name. */
  TEXT ("winner_user", 0, N_("Current value written by")),
  TEXT ("loser_user", 0, N_("Other value written by")),
};

#define TABLE(n, lbl, pattern, fields) \
  { n, lbl, pattern, fields, G_N_ELEMENTS (fields), 0 }

/* Referenced tables come before the tables that refer to them. */
static SmTable tables[] = {
  TABLE ("grid", N_("Grid"), SM_TABLE_OFFICE, grid_fields),
  TABLE ("compound", N_("Compound"), SM_TABLE_OFFICE, compound_fields),
  TABLE ("building", N_("Building"), SM_TABLE_OFFICE, building_fields),
  TABLE ("household", N_("Household"), SM_TABLE_MUTABLE, household_fields),
  TABLE ("resident", N_("Resident"), SM_TABLE_MUTABLE, resident_fields),
  TABLE ("visit", N_("Visit"), SM_TABLE_APPEND_ONLY, visit_fields),
  TABLE ("demand", N_("Demand"), SM_TABLE_MUTABLE, demand_fields),
  TABLE ("demand_event", N_("Demand record"), SM_TABLE_APPEND_ONLY, demand_event_fields),
  TABLE ("resource", N_("Service resource"), SM_TABLE_OFFICE, resource_fields),
  TABLE ("claim", N_("Claim"), SM_TABLE_MUTABLE, claim_fields),
  TABLE ("credit", N_("Red credit points"), SM_TABLE_APPEND_ONLY, credit_fields),
  TABLE ("conflict", N_("Conflict"), SM_TABLE_SERVER, conflict_fields),
};

/* Fills in the back pointers and indices once, so lookups elsewhere are plain reads. */
static gpointer
schema_init (gpointer data)
{
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      SmField *fields = (SmField *) tables[t].fields;

      tables[t].index = t;
      for (guint f = 0; f < tables[t].n_fields; f++)
        {
          fields[f].index = f;
          fields[f].table = &tables[t];
        }
    }

  return NULL;
}

static void
ensure_init (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, schema_init, NULL);
}

const SmTable *
sm_schema_get_tables (guint *n_tables)
{
  ensure_init ();

  if (n_tables != NULL)
    *n_tables = G_N_ELEMENTS (tables);

  return tables;
}

const SmTable *
sm_schema_lookup_table (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  ensure_init ();

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    if (strcmp (tables[t].name, name) == 0)
      return &tables[t];

  return NULL;
}

const SmField *
sm_table_lookup_field (const SmTable *table,
                       const char    *name)
{
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint f = 0; f < table->n_fields; f++)
    if (strcmp (table->fields[f].name, name) == 0)
      return &table->fields[f];

  return NULL;
}

gboolean
sm_table_is_append_only (const SmTable *table)
{
  g_return_val_if_fail (table != NULL, FALSE);

  return table->pattern == SM_TABLE_APPEND_ONLY;
}

const char *
sm_table_get_label (const SmTable *table)
{
  g_return_val_if_fail (table != NULL, NULL);

  return _(table->label);
}

const char *
sm_field_get_label (const SmField *field)
{
  g_return_val_if_fail (field != NULL, NULL);

  return _(field->label);
}

gboolean
sm_field_has_enum_value (const SmField *field,
                         const char    *value)
{
  g_return_val_if_fail (field != NULL, FALSE);

  if (field->enum_values == NULL || value == NULL)
    return FALSE;

  for (guint i = 0; field->enum_values[i] != NULL; i++)
    if (strcmp (field->enum_values[i], value) == 0)
      return TRUE;

  return FALSE;
}

const char *
sm_field_get_enum_label (const SmField *field,
                         const char    *value)
{
  g_return_val_if_fail (field != NULL, NULL);

  if (field->enum_values == NULL || value == NULL)
    return value;

  for (guint i = 0; field->enum_values[i] != NULL; i++)
    if (strcmp (field->enum_values[i], value) == 0)
      return _(field->enum_labels[i]);

  return value;
}

static const char *
type_description (SmFieldType type)
{
  switch (type)
    {
    case SM_FIELD_INT:
      return _("a whole number");
    case SM_FIELD_BOOL:
      return _("true or false");
    case SM_FIELD_TEXT:
    case SM_FIELD_DATE:
    case SM_FIELD_TIMESTAMP:
    case SM_FIELD_ENUM:
    case SM_FIELD_REF:
    default:
      return _("text");
    }
}

static const GVariantType *
variant_type_for (SmFieldType type)
{
  switch (type)
    {
    case SM_FIELD_INT:
      return G_VARIANT_TYPE_INT64;
    case SM_FIELD_BOOL:
      return G_VARIANT_TYPE_BOOLEAN;
    case SM_FIELD_TEXT:
    case SM_FIELD_DATE:
    case SM_FIELD_TIMESTAMP:
    case SM_FIELD_ENUM:
    case SM_FIELD_REF:
    default:
      return G_VARIANT_TYPE_STRING;
    }
}

/* Prefixes a validation error with the field's label, keeping its domain and code. */
static void
propagate_with_label (GError        **error,
                      GError         *local_error,
                      const SmField  *field)
{
  g_propagate_prefixed_error (error, local_error, "%s: ", sm_field_get_label (field));
}

gboolean
sm_field_check_value (const SmField  *field,
                      GVariant       *value,
                      GVariant      **out_canonical,
                      GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *text;

  g_return_val_if_fail (field != NULL, FALSE);
  g_return_val_if_fail (out_canonical != NULL, FALSE);

  *out_canonical = NULL;

  if (value == NULL)
    return TRUE;

  if (!g_variant_is_of_type (value, variant_type_for (field->type)))
    {
      g_set_error (error, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_WRONG_TYPE,
                   /* Translators: "%s: expected %s" — field label, then a type such as "text" */
                   _("%s: expected %s"), sm_field_get_label (field),
                   type_description (field->type));
      return FALSE;
    }

  if (field->type == SM_FIELD_INT || field->type == SM_FIELD_BOOL)
    {
      *out_canonical = g_variant_ref_sink (value);
      return TRUE;
    }

  /* A string variant made from untrusted bytes that are not UTF-8, hold a NUL or lack the
   * terminator reads back as "" without complaint: refuse it rather than lose the text. */
  if (!g_variant_is_normal_form (value))
    {
      g_set_error (error, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_INVALID_VALUE,
                   _("%s: the text is not valid UTF-8"), sm_field_get_label (field));
      return FALSE;
    }

  text = g_variant_get_string (value, NULL);

  if (strlen (text) > SM_SCHEMA_MAX_TEXT_BYTES)
    {
      g_set_error (error, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_TOO_LONG,
                   _("%s: the text is longer than %d bytes"), sm_field_get_label (field),
                   SM_SCHEMA_MAX_TEXT_BYTES);
      return FALSE;
    }

  switch (field->type)
    {
    case SM_FIELD_ENUM:
      if (!sm_field_has_enum_value (field, text))
        {
          g_set_error (error, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_INVALID_VALUE,
                       /* Translators: field label, then the value that was refused */
                       _("%s: “%s” is not one of the allowed values"),
                       sm_field_get_label (field), text);
          return FALSE;
        }
      break;

    case SM_FIELD_DATE:
      if (!sm_validate_date (text, &local_error))
        {
          propagate_with_label (error, g_steal_pointer (&local_error), field);
          return FALSE;
        }
      break;

    case SM_FIELD_TIMESTAMP:
      {
        g_autofree char *canonical = sm_validate_timestamp (text, &local_error);

        if (canonical == NULL)
          {
            propagate_with_label (error, g_steal_pointer (&local_error), field);
            return FALSE;
          }
        if (strcmp (canonical, text) != 0)
          {
            *out_canonical = g_variant_ref_sink (g_variant_new_take_string (g_steal_pointer (&canonical)));
            return TRUE;
          }
      }
      break;

    case SM_FIELD_REF:
      if (*text == '\0')
        {
          g_set_error (error, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_INVALID_VALUE,
                       _("%s: the reference is empty"), sm_field_get_label (field));
          return FALSE;
        }
      break;

    case SM_FIELD_TEXT:
    case SM_FIELD_INT:
    case SM_FIELD_BOOL:
    default:
      break;
    }

  *out_canonical = g_variant_ref_sink (value);
  return TRUE;
}

gboolean
sm_field_validate_local (const SmField  *field,
                         GVariant       *value,
                         const char     *id_type,
                         GVariant      **out_canonical,
                         GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GVariant) canonical = NULL;
  const char *text;

  g_return_val_if_fail (field != NULL, FALSE);
  g_return_val_if_fail (out_canonical != NULL, FALSE);

  *out_canonical = NULL;

  if (field->flags & SM_FIELD_FLAG_DERIVED)
    {
      g_set_error (error, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_READ_ONLY,
                   _("%s: this value is computed and cannot be set"),
                   sm_field_get_label (field));
      return FALSE;
    }

  if (!sm_field_check_value (field, value, &canonical, error))
    return FALSE;

  if (canonical == NULL || field->type != SM_FIELD_TEXT)
    {
      if (canonical == NULL && (field->flags & SM_FIELD_FLAG_REQUIRED))
        {
          g_set_error (error, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_REQUIRED,
                       _("%s: a value is required"), sm_field_get_label (field));
          return FALSE;
        }
      *out_canonical = g_steal_pointer (&canonical);
      return TRUE;
    }

  text = g_variant_get_string (canonical, NULL);

  if ((field->flags & SM_FIELD_FLAG_REQUIRED) && *text == '\0')
    {
      g_set_error (error, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_REQUIRED,
                   _("%s: a value is required"), sm_field_get_label (field));
      return FALSE;
    }

  /* Numbers typed with a Chinese input method may come full-width (１３８, Ｘ) or grouped
   * with spaces and hyphens as people read them out; store the plain form. */
  if (*text != '\0' && field->check != SM_CHECK_NONE)
    {
      g_autofree char *normal = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
      g_autoptr(GString) plain = g_string_new (NULL);

      for (const char *p = normal; p != NULL && *p != '\0'; p++)
        if (*p != ' ' && *p != '-')
          g_string_append_c (plain, *p);

      if (normal != NULL && strcmp (plain->str, text) != 0)
        {
          g_clear_pointer (&canonical, g_variant_unref);
          canonical = g_variant_ref_sink (g_variant_new_string (plain->str));
          text = g_variant_get_string (canonical, NULL);
        }
    }

  /* An empty optional text is how a form clears a field; no content check applies. */
  if (*text != '\0')
    {
      gboolean ok = TRUE;

      switch (field->check)
        {
        case SM_CHECK_MOBILE:
          ok = sm_validate_mobile (text, &local_error);
          break;

        case SM_CHECK_ID_NUMBER:
          /* Passports and other documents have no checksum to verify; the foreign
           * permanent resident card of 2017 (3 letters, 12 digits) is still valid. */
          if (id_type != NULL && g_str_equal (id_type, "foreign_pr") && strlen (text) == 15)
            ok = sm_validate_foreign_pr_2017 (text, &local_error);
          else if (id_type == NULL || g_str_equal (id_type, "cn_id") ||
                   g_str_equal (id_type, "hmt_permit") || g_str_equal (id_type, "foreign_pr"))
            ok = sm_validate_id_number (text, NULL, &local_error);

          /* One spelling of the check character, so equal numbers compare equal. */
          if (ok && strlen (text) == 18 && text[17] == 'x')
            {
              g_autofree char *upper = g_ascii_strup (text, -1);

              g_clear_pointer (&canonical, g_variant_unref);
              canonical = g_variant_ref_sink (g_variant_new_string (upper));
            }
          break;

        case SM_CHECK_NONE:
        default:
          break;
        }

      if (!ok)
        {
          propagate_with_label (error, g_steal_pointer (&local_error), field);
          return FALSE;
        }
    }

  *out_canonical = g_steal_pointer (&canonical);
  return TRUE;
}

char *
sm_field_mask_value (const SmField *field,
                     const char    *value)
{
  g_return_val_if_fail (field != NULL, NULL);

  if (value == NULL)
    return NULL;

  if (!(field->flags & SM_FIELD_FLAG_SENSITIVE))
    return g_strdup (value);

  return sm_validate_mask (value);
}

gboolean
sm_value_equal (GVariant *a,
                GVariant *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return g_variant_equal (a, b);
}
