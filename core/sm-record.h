/* sm-record.h — one record as read from a replica: its values and field clocks
 *
 * A snapshot: it does not follow later writes. Values are GVariants of the field's
 * storage type (s, x or b), NULL for null.
 */
#pragma once

#include <glib-object.h>

#include "sm-merge.h"
#include "sm-schema.h"

G_BEGIN_DECLS

#define SM_TYPE_RECORD (sm_record_get_type ())
G_DECLARE_FINAL_TYPE (SmRecord, sm_record, SM, RECORD, GObject)

const SmTable       *sm_record_get_table      (SmRecord   *self);
const char          *sm_record_get_id         (SmRecord   *self);
const char          *sm_record_get_grid_id    (SmRecord   *self);
gboolean             sm_record_is_deleted     (SmRecord   *self);

GVariant            *sm_record_get_value      (SmRecord   *self,
                                               const char *field);
const char          *sm_record_get_string     (SmRecord   *self,
                                               const char *field);
gint64               sm_record_get_int        (SmRecord   *self,
                                               const char *field,
                                               gint64      fallback);
gboolean             sm_record_get_bool       (SmRecord   *self,
                                               const char *field);
const SmFieldClock  *sm_record_get_clock      (SmRecord   *self,
                                               const char *field);

/* The value for a list: sensitive fields masked, enums by their translated label. */
char                *sm_record_dup_display    (SmRecord   *self,
                                               const char *field);

G_END_DECLS
