/* sm-record.c — a record snapshot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-record"

#include "sm-record-private.h"

struct _SmRecord
{
  GObject        parent_instance;

  const SmTable *table;
  char          *id;
  GVariant     **values;  /* n_fields, NULL for null */
  SmFieldClock  *clocks;  /* n_fields */
};

G_DEFINE_FINAL_TYPE (SmRecord, sm_record, G_TYPE_OBJECT)

static void
sm_record_finalize (GObject *object)
{
  SmRecord *self = (SmRecord *) object;

  for (guint i = 0; i < self->table->n_fields; i++)
    g_clear_pointer (&self->values[i], g_variant_unref);
  g_free (self->values);
  g_free (self->clocks);
  g_free (self->id);

  G_OBJECT_CLASS (sm_record_parent_class)->finalize (object);
}

static void
sm_record_class_init (SmRecordClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sm_record_finalize;
}

static void
sm_record_init (SmRecord *self)
{
}

SmRecord *
sm_record_new (const SmTable *table,
               const char    *id)
{
  SmRecord *self;

  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  self = g_object_new (SM_TYPE_RECORD, NULL);
  self->table = table;
  self->id = g_strdup (id);
  self->values = g_new0 (GVariant *, table->n_fields);
  self->clocks = g_new0 (SmFieldClock, table->n_fields);

  return self;
}

void
sm_record_take_value (SmRecord *self,
                      guint     field_index,
                      GVariant *value)
{
  g_return_if_fail (SM_IS_RECORD (self));
  g_return_if_fail (field_index < self->table->n_fields);

  g_clear_pointer (&self->values[field_index], g_variant_unref);
  self->values[field_index] = value ? g_variant_take_ref (value) : NULL;
}

void
sm_record_set_clock (SmRecord           *self,
                     guint               field_index,
                     const SmFieldClock *clock)
{
  g_return_if_fail (SM_IS_RECORD (self));
  g_return_if_fail (field_index < self->table->n_fields);

  self->clocks[field_index] = *clock;
}

static const SmField *
lookup (SmRecord   *self,
        const char *field)
{
  const SmField *f = sm_table_lookup_field (self->table, field);

  if (f == NULL)
    g_critical ("Table “%s” has no field “%s”", self->table->name, field);

  return f;
}

const SmTable *
sm_record_get_table (SmRecord *self)
{
  g_return_val_if_fail (SM_IS_RECORD (self), NULL);

  return self->table;
}

const char *
sm_record_get_id (SmRecord *self)
{
  g_return_val_if_fail (SM_IS_RECORD (self), NULL);

  return self->id;
}

const char *
sm_record_get_grid_id (SmRecord *self)
{
  GVariant *v;

  g_return_val_if_fail (SM_IS_RECORD (self), NULL);

  v = self->values[SM_FIELD_INDEX_GRID_ID];
  return v ? g_variant_get_string (v, NULL) : NULL;
}

gboolean
sm_record_is_deleted (SmRecord *self)
{
  GVariant *v;

  g_return_val_if_fail (SM_IS_RECORD (self), FALSE);

  v = self->values[SM_FIELD_INDEX_DELETED];
  return v != NULL && g_variant_get_boolean (v);
}

GVariant *
sm_record_get_value (SmRecord   *self,
                     const char *field)
{
  const SmField *f;

  g_return_val_if_fail (SM_IS_RECORD (self), NULL);

  if (!(f = lookup (self, field)))
    return NULL;

  return self->values[f->index];
}

const char *
sm_record_get_string (SmRecord   *self,
                      const char *field)
{
  GVariant *v = sm_record_get_value (self, field);

  if (v == NULL || !g_variant_is_of_type (v, G_VARIANT_TYPE_STRING))
    return NULL;

  return g_variant_get_string (v, NULL);
}

gint64
sm_record_get_int (SmRecord   *self,
                   const char *field,
                   gint64      fallback)
{
  GVariant *v = sm_record_get_value (self, field);

  if (v == NULL || !g_variant_is_of_type (v, G_VARIANT_TYPE_INT64))
    return fallback;

  return g_variant_get_int64 (v);
}

gboolean
sm_record_get_bool (SmRecord   *self,
                    const char *field)
{
  GVariant *v = sm_record_get_value (self, field);

  return v != NULL && g_variant_is_of_type (v, G_VARIANT_TYPE_BOOLEAN) &&
         g_variant_get_boolean (v);
}

const SmFieldClock *
sm_record_get_clock (SmRecord   *self,
                     const char *field)
{
  const SmField *f;

  g_return_val_if_fail (SM_IS_RECORD (self), NULL);

  if (!(f = lookup (self, field)))
    return NULL;

  return &self->clocks[f->index];
}

char *
sm_record_dup_display (SmRecord   *self,
                       const char *field)
{
  const SmField *f;
  GVariant *v;

  g_return_val_if_fail (SM_IS_RECORD (self), NULL);

  if (!(f = lookup (self, field)) || !(v = self->values[f->index]))
    return NULL;

  if (g_variant_is_of_type (v, G_VARIANT_TYPE_INT64))
    return g_strdup_printf ("%" G_GINT64_FORMAT, g_variant_get_int64 (v));
  if (g_variant_is_of_type (v, G_VARIANT_TYPE_BOOLEAN))
    return g_strdup (g_variant_get_boolean (v) ? "✓" : "");
  if (f->type == SM_FIELD_ENUM)
    return g_strdup (sm_field_get_enum_label (f, g_variant_get_string (v, NULL)));

  return sm_field_mask_value (f, g_variant_get_string (v, NULL));
}
