/* sm-conflicts-page.h — 冲突 Conflicts: the office reconciles concurrent edits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sm-store.h"

G_BEGIN_DECLS

#define SM_TYPE_CONFLICTS_PAGE (sm_conflicts_page_get_type ())
G_DECLARE_FINAL_TYPE (SmConflictsPage, sm_conflicts_page, SM, CONFLICTS_PAGE, GtkWidget)

GtkWidget  *sm_conflicts_page_new         (SmStore         *store);
/* Reads the open conflicts again (after a sync pulled new ones). */
void        sm_conflicts_page_reload      (SmConflictsPage *self);
/* How many are open: the sidebar's badge ("n-open"). */
guint       sm_conflicts_page_get_n_open  (SmConflictsPage *self);
/* The list of SmConflictRow, for tests. */
GtkListBox *sm_conflicts_page_get_list    (SmConflictsPage *self);

G_END_DECLS
