/* sm-resident-row.h — one resident on a household's page, ID number and phone masked
 * until revealed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sm-store.h"

G_BEGIN_DECLS

#define SM_TYPE_RESIDENT_ROW (sm_resident_row_get_type ())
G_DECLARE_FINAL_TYPE (SmResidentRow, sm_resident_row, SM, RESIDENT_ROW, AdwActionRow)

GtkWidget *sm_resident_row_new          (SmRecord      *resident);
SmRecord  *sm_resident_row_get_resident (SmResidentRow *self);
/* Whether the ID number and phone show in full. */
gboolean   sm_resident_row_get_revealed (SmResidentRow *self);
void       sm_resident_row_set_revealed (SmResidentRow *self,
                                         gboolean       revealed);

G_END_DECLS
