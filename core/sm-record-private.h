/* sm-record-private.h — how the store fills an SmRecord */
#pragma once

#include "sm-record.h"

G_BEGIN_DECLS

SmRecord *sm_record_new          (const SmTable      *table,
                                  const char         *id);
/* Takes ownership of a floating or full @value. */
void      sm_record_take_value   (SmRecord           *self,
                                  guint               field_index,
                                  GVariant           *value);
void      sm_record_set_clock    (SmRecord           *self,
                                  guint               field_index,
                                  const SmFieldClock *clock);

G_END_DECLS
