/* sm-change.c — SmChange and its strict JSON codec
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-change"

#include "sm-change.h"
#include "sm-json.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <errno.h>
#include <sys/random.h>

G_DEFINE_QUARK (sm-change-error-quark, sm_change_error)

G_DEFINE_BOXED_TYPE (SmChange, sm_change, sm_change_ref, sm_change_unref)

SmChange *
sm_change_new (const SmField *field,
               const char    *row_id,
               const char    *grid_id,
               GVariant      *value,
               SmHlc          hlc,
               const char    *site,
               SmHlc          base)
{
  SmChange *change;
  gsize id_size, grid_size;

  g_return_val_if_fail (field != NULL, NULL);
  g_return_val_if_fail (row_id != NULL, NULL);
  g_return_val_if_fail (grid_id != NULL, NULL);
  g_return_val_if_fail (sm_site_is_valid (site), NULL);

  /* One block holds the change and its two strings: a pull page makes thousands. */
  id_size = strlen (row_id) + 1;
  grid_size = strlen (grid_id) + 1;
  change = g_malloc (sizeof (SmChange) + id_size + grid_size);
  memset (change, 0, sizeof (SmChange));
  change->ref_count = 1;
  change->table = field->table;
  change->field = field;
  change->row_id = memcpy ((char *) (change + 1), row_id, id_size);
  change->grid_id = memcpy ((char *) (change + 1) + id_size, grid_id, grid_size);
  change->value = value ? g_variant_ref_sink (value) : NULL;
  change->hlc = hlc;
  change->base = base;
  memcpy (change->site, site, SM_SITE_STRING_LEN + 1);

  return change;
}

SmChange *
sm_change_ref (SmChange *change)
{
  g_return_val_if_fail (change != NULL, NULL);

  g_atomic_int_inc (&change->ref_count);
  return change;
}

void
sm_change_unref (SmChange *change)
{
  g_return_if_fail (change != NULL);

  if (!g_atomic_int_dec_and_test (&change->ref_count))
    return;

  /* The strings live in the change's own block. */
  g_clear_pointer (&change->value, g_variant_unref);
  g_free (change);
}

int
sm_change_compare_clock (const SmChange *a,
                         const SmChange *b)
{
  if (a->hlc != b->hlc)
    return a->hlc < b->hlc ? -1 : 1;

  return strcmp (a->site, b->site);
}

gboolean
sm_id_is_valid (const char *id)
{
  gsize len = 0;

  if (id == NULL || *id == '\0')
    return FALSE;

  for (const char *p = id; *p; p++, len++)
    {
      if (len >= SM_CHANGE_MAX_ID_BYTES)
        return FALSE;
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
        return FALSE;
    }

  return TRUE;
}

static void
fill_random (guint8 *buf,
             gsize   len)
{
  gsize done = 0;

  /* getrandom() rather than GRand: a forked child must not repeat its parent's ids. */
  while (done < len)
    {
      gssize n = getrandom (buf + done, len - done, 0);

      if (n < 0)
        g_error ("getrandom failed: %s", g_strerror (errno));
      done += (gsize) n;
    }
}

char *
sm_id_new (void)
{
  guint8 b[16];
  guint64 ms = (guint64) (g_get_real_time () / 1000);

  fill_random (b + 6, 10);
  for (int i = 0; i < 6; i++)
    b[i] = (guint8) (ms >> (8 * (5 - i)));
  b[6] = (b[6] & 0x0f) | 0x70;  /* version 7 */
  b[8] = (b[8] & 0x3f) | 0x80;  /* RFC 9562 variant */

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

static const char *
get_string_member (const SmJsonValue  *value,
                   const char         *name,
                   GError            **error)
{
  if (value == NULL || value->type != SM_JSON_STRING)
    {
      g_set_error (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_MALFORMED,
                   /* Translators: %s is a JSON member name such as "t" */
                   _("member “%s” must be a string"), name);
      return NULL;
    }

  return value->string;
}

/* A json-glib node as the streaming reader would have read it; FALSE for a missing one. */
static gboolean
value_from_node (JsonNode    *node,
                 SmJsonValue *value)
{
  memset (value, 0, sizeof *value);
  if (node == NULL)
    return FALSE;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      value->type = SM_JSON_OBJECT;
      break;
    case JSON_NODE_ARRAY:
      value->type = SM_JSON_ARRAY;
      break;
    case JSON_NODE_NULL:
      value->type = SM_JSON_NULL;
      break;
    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          value->type = SM_JSON_INT;
          value->integer = json_node_get_int (node);
          break;
        case G_TYPE_BOOLEAN:
          value->type = SM_JSON_BOOLEAN;
          value->boolean = json_node_get_boolean (node);
          break;
        case G_TYPE_STRING:
          value->type = SM_JSON_STRING;
          value->string = json_node_get_string (node);
          value->length = strlen (value->string);
          break;
        default:
          value->type = SM_JSON_DOUBLE;
          break;
        }
      break;
    }

  return TRUE;
}

/* Turns the JSON value of "v" into a GVariant of the field's storage type, refusing
 * anything but null and the one JSON type the field takes. */
static gboolean
value_from_json (const SmField      *field,
                 const SmJsonValue  *node,
                 GVariant          **out_value,
                 GError            **error)
{
  *out_value = NULL;

  if (node == NULL)
    {
      g_set_error (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_MALFORMED,
                   _("member “%s” is missing"), "v");
      return FALSE;
    }

  if (node->type == SM_JSON_NULL)
    return TRUE;

  switch (field->type)
    {
    case SM_FIELD_INT:
      if (node->type != SM_JSON_INT)
        goto wrong_type;
      *out_value = g_variant_ref_sink (g_variant_new_int64 (node->integer));
      return TRUE;

    case SM_FIELD_BOOL:
      if (node->type != SM_JSON_BOOLEAN)
        goto wrong_type;
      *out_value = g_variant_ref_sink (g_variant_new_boolean (node->boolean));
      return TRUE;

    case SM_FIELD_TEXT:
    case SM_FIELD_DATE:
    case SM_FIELD_TIMESTAMP:
    case SM_FIELD_ENUM:
    case SM_FIELD_REF:
    default:
      {
        const char *text;
        gsize len;

        if (node->type != SM_JSON_STRING)
          goto wrong_type;

        text = node->string;
        len = node->length;
        if (len > SM_SCHEMA_MAX_TEXT_BYTES)
          {
            g_set_error (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_TOO_LARGE,
                         _("%s: the text is longer than %d bytes"),
                         sm_field_get_label (field), SM_SCHEMA_MAX_TEXT_BYTES);
            return FALSE;
          }
        if (!g_utf8_validate (text, (gssize) len, NULL))
          {
            g_set_error (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_INVALID_VALUE,
                         _("%s: the text is not valid UTF-8"), sm_field_get_label (field));
            return FALSE;
          }
        /* Just checked, and a C string holds no NUL: g_variant_new_string() would
         * check the whole text again. */
        {
          g_autoptr(GBytes) bytes = g_bytes_new (text, len + 1);

          *out_value = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_STRING,
                                                                     bytes, TRUE));
        }
        return TRUE;
      }
    }

wrong_type:
  g_set_error (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_WRONG_TYPE,
               _("%s: the value has the wrong type"), sm_field_get_label (field));
  return FALSE;
}

static SmChangeError
change_code_for_schema_error (const GError *error)
{
  if (error->domain == SM_SCHEMA_ERROR)
    {
      switch ((SmSchemaError) error->code)
        {
        case SM_SCHEMA_ERROR_WRONG_TYPE:
          return SM_CHANGE_ERROR_WRONG_TYPE;
        case SM_SCHEMA_ERROR_TOO_LONG:
          return SM_CHANGE_ERROR_TOO_LARGE;
        case SM_SCHEMA_ERROR_READ_ONLY:
          return SM_CHANGE_ERROR_READ_ONLY;
        case SM_SCHEMA_ERROR_UNKNOWN_TABLE:
          return SM_CHANGE_ERROR_UNKNOWN_TABLE;
        case SM_SCHEMA_ERROR_UNKNOWN_FIELD:
          return SM_CHANGE_ERROR_UNKNOWN_FIELD;
        case SM_SCHEMA_ERROR_INVALID_VALUE:
        case SM_SCHEMA_ERROR_REQUIRED:
        default:
          break;
        }
    }

  return SM_CHANGE_ERROR_INVALID_VALUE;
}

enum { MEMBER_T, MEMBER_ID, MEMBER_F, MEMBER_V, MEMBER_H, MEMBER_S, MEMBER_B, MEMBER_G, N_MEMBERS };
static const char * const change_members[N_MEMBERS] = { "t", "id", "f", "v", "h", "s", "b", "g" };

static gboolean
digits_in_range (const char *text,
                 guint       n,
                 guint       min,
                 guint       max,
                 guint      *out_value)
{
  guint value = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      value = value * 10 + (guint) (text[i] - '0');
    }

  *out_value = value;
  return value >= min && value <= max;
}

/* Whether @text is a valid timestamp already in the one form sm_field_check_value()
 * stores, "YYYY-MM-DDTHH:MM:SSZ": then checking it through GDateTime, the bulk of the
 * cost of a bootstrap's timestamps, would only give the same text back. Anything else
 * takes the full check. */
static gboolean
is_canonical_timestamp (const char *text)
{
  guint year, month, day, hour, minute, second;

  return strlen (text) == 20 && text[4] == '-' && text[7] == '-' && text[10] == 'T' &&
         text[13] == ':' && text[16] == ':' && text[19] == 'Z' &&
         digits_in_range (text, 4, 1, 9999, &year) &&
         digits_in_range (text + 5, 2, 1, 12, &month) &&
         digits_in_range (text + 8, 2, 1, 31, &day) &&
         g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year) &&
         digits_in_range (text + 11, 2, 0, 23, &hour) &&
         digits_in_range (text + 14, 2, 0, 59, &minute) &&
         digits_in_range (text + 17, 2, 0, 59, &second);
}

/* The checks of a change once its members are read, whichever the parser; @values[i] is
 * NULL for a missing member. */
static SmChange *
change_from_values (const SmJsonValue * const  *values,
                    GError                    **error)
{
  g_autoptr(GVariant) raw = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GError) local_error = NULL;
  const SmTable *table;
  const SmField *field;
  const char *t, *id, *f, *h, *s, *b, *g;
  SmHlc hlc, base;

  if (!(t = get_string_member (values[MEMBER_T], "t", error)) ||
      !(id = get_string_member (values[MEMBER_ID], "id", error)) ||
      !(f = get_string_member (values[MEMBER_F], "f", error)) ||
      !(h = get_string_member (values[MEMBER_H], "h", error)) ||
      !(s = get_string_member (values[MEMBER_S], "s", error)) ||
      !(b = get_string_member (values[MEMBER_B], "b", error)) ||
      !(g = get_string_member (values[MEMBER_G], "g", error)))
    return NULL;

  if (!(table = sm_schema_lookup_table (t)))
    {
      g_set_error (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_UNKNOWN_TABLE,
                   _("unknown table “%s”"), t);
      return NULL;
    }

  if (!(field = sm_table_lookup_field (table, f)))
    {
      g_set_error (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_UNKNOWN_FIELD,
                   _("unknown field “%s” in table “%s”"), f, t);
      return NULL;
    }

  if (field->flags & SM_FIELD_FLAG_DERIVED)
    {
      g_set_error (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_READ_ONLY,
                   _("%s: this value is computed and cannot be set"),
                   sm_field_get_label (field));
      return NULL;
    }

  if (!sm_id_is_valid (id) || !sm_id_is_valid (g))
    {
      g_set_error_literal (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_BAD_ID,
                           _("a record or grid id is empty, too long or has characters other than letters, digits, “-” and “_”"));
      return NULL;
    }

  if (!sm_hlc_parse (h, &hlc) || hlc == SM_HLC_ZERO || !sm_hlc_parse (b, &base) || base >= hlc)
    {
      g_set_error_literal (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_BAD_HLC,
                           _("a clock must be 16 lowercase hex digits, and the base older than the write"));
      return NULL;
    }

  if (!sm_site_is_valid (s))
    {
      g_set_error_literal (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_BAD_SITE,
                           _("a site must be 32 lowercase hex digits"));
      return NULL;
    }

  if (!value_from_json (field, values[MEMBER_V], &raw, error))
    return NULL;

  if (field->type == SM_FIELD_TIMESTAMP && raw != NULL &&
      is_canonical_timestamp (g_variant_get_string (raw, NULL)))
    value = g_steal_pointer (&raw);
  else if (!sm_field_check_value (field, raw, &value, &local_error))
    {
      GError *e = g_steal_pointer (&local_error);

      g_set_error_literal (error, SM_CHANGE_ERROR, change_code_for_schema_error (e), e->message);
      g_error_free (e);
      return NULL;
    }

  return sm_change_new (field, id, g, value, hlc, s, base);
}

SmChange *
sm_change_from_json (JsonNode  *node,
                     GError   **error)
{
  SmJsonValue storage[N_MEMBERS];
  const SmJsonValue *values[N_MEMBERS];
  guint n_known = 0;
  JsonObject *object;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_MALFORMED,
                           _("a change must be a JSON object"));
      return NULL;
    }

  object = json_node_get_object (node);

  for (guint i = 0; i < N_MEMBERS; i++)
    {
      values[i] = value_from_node (json_object_get_member (object, change_members[i]), &storage[i])
                  ? &storage[i] : NULL;
      if (values[i] != NULL)
        n_known++;
    }

  /* Member names are unique, so when the count differs one is unknown: only then are
   * the names listed, to name it. */
  if (json_object_get_size (object) != n_known)
    {
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          gboolean known = FALSE;

          for (guint i = 0; i < N_MEMBERS; i++)
            known |= strcmp (l->data, change_members[i]) == 0;

          if (!known)
            {
              g_set_error (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_MALFORMED,
                           _("unknown member “%s”"), (const char *) l->data);
              return NULL;
            }
        }
    }

  return change_from_values (values, error);
}

static int
member_index (const char *name)
{
  /* The eight names are one or two letters. */
  switch (name[0])
    {
    case 't': return name[1] == '\0' ? MEMBER_T : -1;
    case 'i': return name[1] == 'd' && name[2] == '\0' ? MEMBER_ID : -1;
    case 'f': return name[1] == '\0' ? MEMBER_F : -1;
    case 'v': return name[1] == '\0' ? MEMBER_V : -1;
    case 'h': return name[1] == '\0' ? MEMBER_H : -1;
    case 's': return name[1] == '\0' ? MEMBER_S : -1;
    case 'b': return name[1] == '\0' ? MEMBER_B : -1;
    case 'g': return name[1] == '\0' ? MEMBER_G : -1;
    default:  return -1;
    }
}

/* Reads the change the reader is at, its strings into @arena. */
static SmChange *
change_read (SmJsonReader  *reader,
             GString       *arena,
             GError       **error)
{
  SmJsonValue storage[N_MEMBERS];
  const SmJsonValue *values[N_MEMBERS] = { NULL, };
  SmJsonValue object;
  const char *name;

  if (!sm_json_reader_read (reader, &object, NULL, error))
    return NULL;
  if (object.type != SM_JSON_OBJECT)
    {
      g_set_error_literal (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_MALFORMED,
                           _("a change must be a JSON object"));
      return NULL;
    }

  g_string_truncate (arena, 0);
  for (;;)
    {
      int i;

      if (!sm_json_reader_next_member (reader, &name, error))
        return NULL;
      if (name == NULL)
        break;

      if ((i = member_index (name)) < 0)
        {
          g_set_error (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_MALFORMED,
                       _("unknown member “%s”"), name);
          return NULL;
        }
      if (values[i] != NULL)
        {
          g_set_error (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_MALFORMED,
                       /* Translators: %s is a JSON member name such as "t" */
                       _("member “%s” appears twice"), change_members[i]);
          return NULL;
        }

      if (!sm_json_reader_read (reader, &storage[i], arena, error) ||
          !sm_json_reader_skip (reader, &storage[i], NULL, error))
        return NULL;
      values[i] = &storage[i];
    }

  /* The arena may have moved as it grew. */
  for (guint i = 0; i < N_MEMBERS; i++)
    if (values[i] != NULL && storage[i].type == SM_JSON_STRING)
      storage[i].string = arena->str + storage[i].offset;

  return change_from_values (values, error);
}

JsonNode *
sm_change_to_json (const SmChange *change)
{
  JsonObject *object;
  JsonNode *node;
  char h[SM_HLC_STRING_LEN + 1], b[SM_HLC_STRING_LEN + 1];

  g_return_val_if_fail (change != NULL, NULL);

  sm_hlc_format (change->hlc, h);
  sm_hlc_format (change->base, b);

  /* Straight into the object rather than through a JsonBuilder, a GObject with a state
   * stack per change: a pull page serializes thousands. Members keep their order. */
  object = json_object_new ();
  json_object_set_string_member (object, "t", change->table->name);
  json_object_set_string_member (object, "id", change->row_id);
  json_object_set_string_member (object, "f", change->field->name);
  if (change->value == NULL)
    json_object_set_null_member (object, "v");
  else if (g_variant_is_of_type (change->value, G_VARIANT_TYPE_INT64))
    json_object_set_int_member (object, "v", g_variant_get_int64 (change->value));
  else if (g_variant_is_of_type (change->value, G_VARIANT_TYPE_BOOLEAN))
    json_object_set_boolean_member (object, "v", g_variant_get_boolean (change->value));
  else
    json_object_set_string_member (object, "v", g_variant_get_string (change->value, NULL));
  json_object_set_string_member (object, "h", h);
  json_object_set_string_member (object, "s", change->site);
  json_object_set_string_member (object, "b", b);
  json_object_set_string_member (object, "g", change->grid_id);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

/* A string literal, its length counted by the compiler. */
#define write_literal(p, literal) (memcpy ((p), (literal), sizeof (literal) - 1), (p) + sizeof (literal) - 1)

void
sm_change_append_json (const SmChange *change,
                       GString        *out)
{
  const char *text = NULL;
  gsize at, room;
  char *p;

  g_return_if_fail (change != NULL);

  if (change->value != NULL && g_variant_is_of_type (change->value, G_VARIANT_TYPE_STRING))
    text = g_variant_get_string (change->value, NULL);

  /* The same text as sm_change_to_json() through a JsonGenerator, without a node per
   * member, written in place: the string grows once per change. Names, clocks and sites
   * need no escaping. */
  room = 64 + strlen (change->table->name) + strlen (change->field->name) +
         SM_JSON_STRING_MAX (strlen (change->row_id)) + SM_JSON_STRING_MAX (strlen (change->grid_id)) +
         (text != NULL ? SM_JSON_STRING_MAX (strlen (text)) : SM_JSON_INT_MAX) +
         2 * SM_HLC_STRING_LEN + SM_SITE_STRING_LEN;
  at = out->len;
  g_string_set_size (out, at + room);
  p = out->str + at;

  p = write_literal (p, "{\"t\":\"");
  p = stpcpy (p, change->table->name);
  p = write_literal (p, "\",\"id\":");
  p = sm_json_write_string (p, change->row_id);
  p = write_literal (p, ",\"f\":\"");
  p = stpcpy (p, change->field->name);
  p = write_literal (p, "\",\"v\":");
  if (change->value == NULL)
    p = write_literal (p, "null");
  else if (text != NULL)
    p = sm_json_write_string (p, text);
  else if (g_variant_is_of_type (change->value, G_VARIANT_TYPE_INT64))
    p = sm_json_write_int (p, g_variant_get_int64 (change->value));
  else if (g_variant_get_boolean (change->value))
    p = write_literal (p, "true");
  else
    p = write_literal (p, "false");
  p = write_literal (p, ",\"h\":\"");
  sm_hlc_format (change->hlc, p);
  p += SM_HLC_STRING_LEN;
  p = write_literal (p, "\",\"s\":\"");
  p = stpcpy (p, change->site);
  p = write_literal (p, "\",\"b\":\"");
  sm_hlc_format (change->base, p);
  p += SM_HLC_STRING_LEN;
  p = write_literal (p, "\",\"g\":");
  p = sm_json_write_string (p, change->grid_id);
  *p++ = '}';

  g_assert ((gsize) (p - (out->str + at)) <= room);
  g_string_truncate (out, (gsize) (p - out->str));
}

void
sm_change_batch_append_json (GPtrArray *batch,
                             GString   *out)
{
  g_return_if_fail (batch != NULL);

  g_string_append_c (out, '[');
  for (guint i = 0; i < batch->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      sm_change_append_json (g_ptr_array_index (batch, i), out);
    }
  g_string_append_c (out, ']');
}

GPtrArray *
sm_change_batch_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) sm_change_unref);
}

GPtrArray *
sm_change_batch_from_json (JsonNode  *node,
                           GError   **error)
{
  g_autoptr(GPtrArray) batch = NULL;
  JsonArray *array;
  guint n;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error_literal (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_MALFORMED,
                           _("the changes must be a JSON array"));
      return NULL;
    }

  array = json_node_get_array (node);
  n = json_array_get_length (array);

  if (n > SM_CHANGE_MAX_BATCH)
    {
      g_set_error (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_TOO_LARGE,
                   _("a batch may hold at most %d changes"), SM_CHANGE_MAX_BATCH);
      return NULL;
    }

  batch = g_ptr_array_new_full (n, (GDestroyNotify) sm_change_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) local_error = NULL;
      SmChange *change = sm_change_from_json (json_array_get_element (array, i), &local_error);

      if (change == NULL)
        {
          g_set_error (error, SM_CHANGE_ERROR, local_error->code,
                       /* Translators: %u is the index of the change in its batch */
                       _("change %u: %s"), i, local_error->message);
          return NULL;
        }

      g_ptr_array_add (batch, change);
    }

  return g_steal_pointer (&batch);
}

GPtrArray *
sm_change_batch_read (SmJsonReader  *reader,
                      GError       **error)
{
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GString) arena = g_string_sized_new (256);
  g_autoptr(GError) element_error = NULL;
  SmJsonValue array;
  guint n = 0;
  gboolean more;

  if (!sm_json_reader_read (reader, &array, NULL, error))
    return NULL;
  if (array.type != SM_JSON_ARRAY)
    {
      g_set_error_literal (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_MALFORMED,
                           _("the changes must be a JSON array"));
      return NULL;
    }

  batch = g_ptr_array_new_full (64, (GDestroyNotify) sm_change_unref);

  /* One pass. Errors are told as the tree parser told them: first bad JSON anywhere,
   * then too many changes, then the first bad change. */
  for (;;)
    {
      if (!sm_json_reader_next_element (reader, &more, error))
        return NULL;
      if (!more)
        break;

      if (++n > SM_CHANGE_MAX_BATCH && element_error == NULL)
        {
          g_set_error (&element_error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_TOO_LARGE,
                       _("a batch may hold at most %d changes"), SM_CHANGE_MAX_BATCH);
          g_clear_pointer (&batch, g_ptr_array_unref);
        }

      if (element_error == NULL)
        {
          g_autoptr(GError) local_error = NULL;
          /* A copy marks the place: the reader holds no state of its own but where it
           * is and its scratch buffer. */
          SmJsonReader mark = *reader;
          SmChange *change = change_read (reader, arena, &local_error);

          if (change != NULL)
            {
              g_ptr_array_add (batch, change);
              continue;
            }

          /* A JSON error is the text's, not the change's. */
          if (sm_json_reader_failed (reader))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          g_set_error (&element_error, SM_CHANGE_ERROR, local_error->code,
                       /* Translators: %u is the index of the change in its batch */
                       _("change %u: %s"), n - 1, local_error->message);
          g_clear_pointer (&batch, g_ptr_array_unref);

          /* Past the bad change, to check the rest of the text. */
          *reader = mark;
        }

      {
        SmJsonValue element;

        if (!sm_json_reader_read (reader, &element, NULL, error) ||
            !sm_json_reader_skip (reader, &element, NULL, error))
          return NULL;
      }

      /* Too many changes is worse news than a bad one: it replaces it. */
      if (n > SM_CHANGE_MAX_BATCH && element_error->code != SM_CHANGE_ERROR_TOO_LARGE)
        {
          g_clear_error (&element_error);
          g_set_error (&element_error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_TOO_LARGE,
                       _("a batch may hold at most %d changes"), SM_CHANGE_MAX_BATCH);
        }
    }

  if (element_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&element_error));
      return NULL;
    }

  return g_steal_pointer (&batch);
}

/* json-glib 1.6 cuts a string short at an escaped NUL ("\u0000") and wraps integers
 * beyond 64 bits, silently: the value stored would not be the one sent. One pass over the
 * raw text finds both before parsing. Only number tokens outside strings are checked;
 * those with a fraction or an exponent are doubles, which json-glib keeps as such. */
gboolean
sm_change_check_json_text (const char  *data,
                           gsize        length,
                           GError     **error)
{
  gboolean in_string = FALSE;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '"')
            in_string = FALSE;
          else if (c == '\\' && i + 1 < length)
            {
              if (data[i + 1] == 'u' && i + 5 < length && data[i + 2] == '0' &&
                  data[i + 3] == '0' && data[i + 4] == '0' && data[i + 5] == '0')
                {
                  g_set_error_literal (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_INVALID_VALUE,
                                       _("a text value contains a NUL character (\\u0000)"));
                  return FALSE;
                }
              i++;  /* the escaped character, so an escaped quote does not end the string */
            }
        }
      else if (c == '"')
        in_string = TRUE;
      else if (g_ascii_isdigit (c) || c == '-')
        {
          gboolean negative = c == '-';
          gsize start = negative ? i + 1 : i;
          gsize end = start;
          gsize n_digits;

          while (end < length && g_ascii_isdigit (data[end]))
            end++;
          n_digits = end - start;
          i = end - 1;

          if (end < length && (data[end] == '.' || data[end] == 'e' || data[end] == 'E'))
            {
              /* A double: skip the rest of the token. */
              while (i + 1 < length && (g_ascii_isdigit (data[i + 1]) || (data[i + 1] != '\0' && strchr (".eE+-", data[i + 1]))))
                i++;
              continue;
            }

          /* JSON has no leading zeros, so comparing digit strings compares the numbers. */
          if (n_digits > 19 ||
              (n_digits == 19 &&
               memcmp (data + start, negative ? "9223372036854775808" : "9223372036854775807", 19) > 0))
            {
              g_set_error (error, SM_CHANGE_ERROR, SM_CHANGE_ERROR_INVALID_VALUE,
                           _("the number %.*s does not fit in a 64-bit integer"),
                           (int) MIN (end - start + negative, 40), data + start - negative);
              return FALSE;
            }
        }
    }

  return TRUE;
}

GPtrArray *
sm_change_batch_from_data (const char  *data,
                           gssize       length,
                           GError     **error)
{
  g_autoptr(GPtrArray) batch = NULL;
  SmJsonReader reader;

  g_return_val_if_fail (data != NULL, NULL);

  if (length < 0)
    length = (gssize) strlen (data);

  /* The reader refuses invalid UTF-8, an escaped NUL and integers beyond 64 bits. */
  sm_json_reader_init (&reader, data, (gsize) length);
  if (!(batch = sm_change_batch_read (&reader, error)) ||
      !sm_json_reader_end (&reader, error))
    g_clear_pointer (&batch, g_ptr_array_unref);
  sm_json_reader_clear (&reader);

  return g_steal_pointer (&batch);
}

JsonNode *
sm_change_batch_to_json (GPtrArray *batch)
{
  JsonArray *array;
  JsonNode *node;

  g_return_val_if_fail (batch != NULL, NULL);

  array = json_array_sized_new (batch->len);
  for (guint i = 0; i < batch->len; i++)
    json_array_add_element (array, sm_change_to_json (g_ptr_array_index (batch, i)));

  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  return node;
}

char *
sm_change_batch_to_data (GPtrArray *batch,
                         gsize     *length)
{
  GString *out;

  g_return_val_if_fail (batch != NULL, NULL);

  out = g_string_sized_new (64 + batch->len * 192);
  sm_change_batch_append_json (batch, out);
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}
