/* sm-conflict.c — listing and resolving the server's conflict records
 *
 * The server records values as text (sync-server/sm-backend-sqlite.c, value_as_text):
 * strings as they are, integers in decimal, booleans as "true"/"false". Taking a value
 * back reads it with the field's type, and the current value of the record is put in the
 * same form to tell which of the two holds now.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-conflict"

#include "sm-conflict.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>
#include <string.h>

void
sm_conflict_free (SmConflict *conflict)
{
  if (conflict == NULL)
    return;

  g_free (conflict->id);
  g_free (conflict->row_id);
  g_free (conflict->grid_id);
  g_free (conflict->record_label);
  g_free (conflict->winner_value);
  g_free (conflict->winner_user);
  g_free (conflict->other_value);
  g_free (conflict->other_user);
  g_free (conflict->id_type);
  g_free (conflict);
}

gboolean
sm_conflict_field_is_office_writable (const SmField *field)
{
  g_return_val_if_fail (field != NULL, FALSE);

  /* What was written, when and by whom is the server's record of what happened: the
   * office decides, it does not rewrite history. */
  return g_str_equal (field->table->name, "conflict") &&
         (g_str_equal (field->name, "status") || g_str_equal (field->name, "resolution"));
}

/* A value in the form the server records it in; NULL for null. */
static char *
value_to_text (GVariant *value)
{
  if (value == NULL)
    return NULL;
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return g_variant_dup_string (value, NULL);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    return g_strdup (g_variant_get_boolean (value) ? "true" : "false");

  return g_strdup_printf ("%" G_GINT64_FORMAT, g_variant_get_int64 (value));
}

/* How people recognise the record: what its own page is titled by. */
static char *
record_label (SmRecord      *record,
              const SmTable *table)
{
  static const char * const title_fields[] = { "address", "name", "title", "provider", NULL };

  if (record != NULL)
    for (guint i = 0; title_fields[i] != NULL; i++)
      {
        const char *text;

        if (sm_table_lookup_field (table, title_fields[i]) == NULL)
          continue;
        if ((text = sm_record_get_string (record, title_fields[i])) != NULL && *text != '\0')
          return g_strdup (text);
      }

  /* Translators: a record known only by its kind, e.g. "A household" */
  return g_strdup_printf (_("A record of “%s”"), sm_table_get_label (table));
}

static SmHlc
parse_hlc (const char *text)
{
  SmHlc hlc = SM_HLC_ZERO;

  if (text == NULL || !sm_hlc_parse (text, &hlc))
    return SM_HLC_ZERO;

  return hlc;
}

/* Reads one conflict record and the record it is about; NULL (no error) when this build
 * does not know the table or field. */
static SmConflict *
conflict_load (SmStore     *store,
               const char  *id,
               GError     **error)
{
  g_autoptr(SmRecord) record = NULL;
  g_autoptr(SmRecord) target = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *current = NULL;
  const char *table_name, *field_name;
  const SmTable *table;
  const SmField *field;
  SmConflict *conflict;

  if (!(record = sm_store_get (store, "conflict", id, error)))
    return NULL;

  table_name = sm_record_get_string (record, "table_name");
  field_name = sm_record_get_string (record, "field");
  if (table_name == NULL || field_name == NULL || sm_record_get_string (record, "row_id") == NULL ||
      !(table = sm_schema_lookup_table (table_name)) ||
      !(field = sm_table_lookup_field (table, field_name)))
    return NULL;

  target = sm_store_get (store, table->name, sm_record_get_string (record, "row_id"), &local_error);
  if (local_error != NULL && !g_error_matches (local_error, SM_STORE_ERROR, SM_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  conflict = g_new0 (SmConflict, 1);
  conflict->id = g_strdup (id);
  conflict->field = field;
  conflict->row_id = g_strdup (sm_record_get_string (record, "row_id"));
  conflict->grid_id = g_strdup (sm_record_get_grid_id (record));
  conflict->record_label = record_label (target, table);
  conflict->winner_value = g_strdup (sm_record_get_string (record, "winner_value"));
  conflict->winner_user = g_strdup (sm_record_get_string (record, "winner_user"));
  conflict->winner_hlc = parse_hlc (sm_record_get_string (record, "winner_hlc"));
  conflict->other_value = g_strdup (sm_record_get_string (record, "loser_value"));
  conflict->other_user = g_strdup (sm_record_get_string (record, "loser_user"));
  conflict->other_hlc = parse_hlc (sm_record_get_string (record, "loser_hlc"));

  if (target != NULL && sm_table_lookup_field (table, "id_type") != NULL)
    conflict->id_type = g_strdup (sm_record_get_string (target, "id_type"));

  current = target != NULL ? value_to_text (sm_record_get_value (target, field->name)) : NULL;
  if (g_strcmp0 (current, conflict->winner_value) == 0)
    conflict->current = SM_CONFLICT_CURRENT_WINNER;
  else if (g_strcmp0 (current, conflict->other_value) == 0)
    conflict->current = SM_CONFLICT_CURRENT_OTHER;
  else
    conflict->current = SM_CONFLICT_CURRENT_NEITHER;

  return conflict;
}

GPtrArray *
sm_conflict_list_open (SmStore  *store,
                       guint     limit,
                       GError  **error)
{
  g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) sm_conflict_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SM_IS_STORE (store), NULL);

  /* conflict_status is the index on status; the open ones are few. */
  if (!(stmt = sm_store_prepare (store, "SELECT id FROM conflict WHERE status = 'open'"
                                 " AND _deleted IS NOT 1"
                                 " ORDER BY MAX(winner_hlc, loser_hlc), id LIMIT ?1", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit > 0 ? (gint64) limit : -1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, SM_STORE_ERROR, SM_STORE_ERROR_FAILED,
                   _("The local database failed: %s"), sqlite3_errstr (rc));
      return NULL;
    }

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GError) local_error = NULL;
      SmConflict *conflict = conflict_load (store, g_ptr_array_index (ids, i), &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (conflict != NULL)
        g_ptr_array_add (conflicts, conflict);
    }

  return g_steal_pointer (&conflicts);
}

gint64
sm_conflict_count_open (SmStore  *store,
                        GError  **error)
{
  sqlite3_stmt *stmt;
  gint64 n = -1;
  int rc;

  g_return_val_if_fail (SM_IS_STORE (store), -1);

  if (!(stmt = sm_store_prepare (store, "SELECT count(*) FROM conflict WHERE status = 'open'"
                                 " AND _deleted IS NOT 1", error)))
    return -1;
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    g_set_error (error, SM_STORE_ERROR, SM_STORE_ERROR_FAILED,
                 _("The local database failed: %s"), sqlite3_errstr (rc));

  return n;
}

static gboolean
parse_bool (const char *text,
            gboolean   *out_value)
{
  static const char * const yes[] = { "true", "yes", "1", "是", NULL };
  static const char * const no[] = { "false", "no", "0", "否", NULL };
  g_autofree char *folded = g_utf8_casefold (text, -1);
  g_autofree char *yes_label = g_utf8_casefold (_("Yes"), -1);
  g_autofree char *no_label = g_utf8_casefold (_("No"), -1);

  if (g_strv_contains (yes, folded) || g_str_equal (folded, yes_label))
    *out_value = TRUE;
  else if (g_strv_contains (no, folded) || g_str_equal (folded, no_label))
    *out_value = FALSE;
  else
    return FALSE;

  return TRUE;
}

GVariant *
sm_conflict_parse_value (const SmField  *field,
                         const char     *text,
                         GError        **error)
{
  g_return_val_if_fail (field != NULL, NULL);

  if (text == NULL)
    return NULL;

  switch (field->type)
    {
    case SM_FIELD_INT:
      {
        gint64 value;
        g_autofree char *stripped = g_strstrip (g_strdup (text));

        if (!g_ascii_string_to_signed (stripped, 10, G_MININT64, G_MAXINT64, &value, NULL))
          {
            g_set_error (error, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_WRONG_TYPE,
                         _("%s: enter a whole number"), sm_field_get_label (field));
            return NULL;
          }
        return g_variant_ref_sink (g_variant_new_int64 (value));
      }

    case SM_FIELD_BOOL:
      {
        gboolean value;
        g_autofree char *stripped = g_strstrip (g_strdup (text));

        if (!parse_bool (stripped, &value))
          {
            g_set_error (error, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_WRONG_TYPE,
                         /* Translators: a field's label; "yes" and "no" as the page shows them */
                         _("%s: enter yes or no"), sm_field_get_label (field));
            return NULL;
          }
        return g_variant_ref_sink (g_variant_new_boolean (value));
      }

    case SM_FIELD_ENUM:
      /* People type what they see: the translated label. */
      for (guint i = 0; field->enum_values[i] != NULL; i++)
        if (g_str_equal (text, field->enum_values[i]) ||
            g_str_equal (text, _(field->enum_labels[i])))
          return g_variant_ref_sink (g_variant_new_string (field->enum_values[i]));
      g_set_error (error, SM_SCHEMA_ERROR, SM_SCHEMA_ERROR_INVALID_VALUE,
                   _("%s: “%s” is not one of the allowed values"), sm_field_get_label (field), text);
      return NULL;

    case SM_FIELD_TEXT:
    case SM_FIELD_DATE:
    case SM_FIELD_TIMESTAMP:
    case SM_FIELD_REF:
    default:
      return g_variant_ref_sink (g_variant_new_string (text));
    }
}

char *
sm_conflict_dup_display (const SmField *field,
                         const char    *text,
                         gboolean       reveal)
{
  g_return_val_if_fail (field != NULL, NULL);

  if (text == NULL || *text == '\0')
    return g_strdup ("");

  switch (field->type)
    {
    case SM_FIELD_BOOL:
      return g_strdup (g_str_equal (text, "true") ? _("Yes") : _("No"));
    case SM_FIELD_ENUM:
      return g_strdup (sm_field_get_enum_label (field, text));
    case SM_FIELD_TEXT:
    case SM_FIELD_INT:
    case SM_FIELD_DATE:
    case SM_FIELD_TIMESTAMP:
    case SM_FIELD_REF:
    default:
      return reveal ? g_strdup (text) : sm_field_mask_value (field, text);
    }
}

char *
sm_conflict_format_time (SmHlc hlc)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (hlc == SM_HLC_ZERO)
    return g_strdup ("");

  utc = g_date_time_new_from_unix_utc ((gint64) (sm_hlc_get_physical_ms (hlc) / 1000));
  if (utc == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (utc);

  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

gboolean
sm_conflict_resolve (SmStore               *store,
                     const char            *conflict_id,
                     SmConflictResolution   resolution,
                     GVariant              *new_value,
                     GError               **error)
{
  static const char * const resolution_names[] = { "keep", "take", "new" };
  g_autoptr(SmConflict) conflict = NULL;
  g_autoptr(SmRecord) record = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GVariant) owned_new = NULL;

  g_return_val_if_fail (SM_IS_STORE (store), FALSE);
  g_return_val_if_fail (conflict_id != NULL, FALSE);
  g_return_val_if_fail (resolution <= SM_CONFLICT_NEW_VALUE, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (new_value != NULL)
    owned_new = g_variant_ref_sink (new_value);

  if (!(record = sm_store_get (store, "conflict", conflict_id, error)))
    return FALSE;
  if (g_strcmp0 (sm_record_get_string (record, "status"), "open") != 0)
    {
      g_set_error_literal (error, SM_STORE_ERROR, SM_STORE_ERROR_INVALID,
                           _("This conflict has already been reconciled; the list shows it no longer."));
      return FALSE;
    }
  if (!(conflict = conflict_load (store, conflict_id, error)))
    {
      if (error == NULL || *error == NULL)
        g_set_error_literal (error, SM_STORE_ERROR, SM_STORE_ERROR_INVALID,
                             _("This conflict is about data this version of Sanmen does not know. Please update Sanmen."));
      return FALSE;
    }

  switch (resolution)
    {
    case SM_CONFLICT_KEEP:
      {
        g_autoptr(SmRecord) target = sm_store_get (store, conflict->field->table->name,
                                                   conflict->row_id, error);
        GVariant *current;

        if (target == NULL)
          return FALSE;
        current = sm_record_get_value (target, conflict->field->name);
        value = current != NULL ? g_variant_ref (current) : NULL;
      }
      break;

    case SM_CONFLICT_TAKE_OTHER:
      {
        g_autoptr(GError) local_error = NULL;

        value = sm_conflict_parse_value (conflict->field, conflict->other_value, &local_error);
        if (local_error != NULL)
          {
            g_propagate_error (error, g_steal_pointer (&local_error));
            return FALSE;
          }
      }
      break;

    case SM_CONFLICT_NEW_VALUE:
    default:
      value = owned_new != NULL ? g_variant_ref (owned_new) : NULL;
      break;
    }

  /* One transaction: the value and the conflict's status reach every replica together,
   * or neither does. The field's write is validated like any edit. */
  if (!sm_store_begin (store, error))
    return FALSE;

  if (!sm_store_update_with (store, conflict->field->table->name, conflict->row_id, error,
                             conflict->field->name, value, NULL) ||
      !sm_store_update_with (store, "conflict", conflict_id, error,
                             "status", g_variant_new_string ("resolved"),
                             "resolution", g_variant_new_string (resolution_names[resolution]),
                             NULL))
    {
      sm_store_rollback (store);
      return FALSE;
    }

  return sm_store_commit (store, error);
}
