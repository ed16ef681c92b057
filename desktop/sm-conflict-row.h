/* sm-conflict-row.h — one open conflict on the Conflicts page, with its three actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sm-conflict.h"

G_BEGIN_DECLS

#define SM_TYPE_CONFLICT_ROW (sm_conflict_row_get_type ())
G_DECLARE_FINAL_TYPE (SmConflictRow, sm_conflict_row, SM, CONFLICT_ROW, GtkListBoxRow)

/* Takes @conflict. */
GtkWidget        *sm_conflict_row_new          (SmConflict    *conflict);
const SmConflict *sm_conflict_row_get_conflict (SmConflictRow *self);
/* Shows why a resolution failed, below the actions; NULL hides it. */
void              sm_conflict_row_set_error    (SmConflictRow *self,
                                                const char    *message);

G_END_DECLS
