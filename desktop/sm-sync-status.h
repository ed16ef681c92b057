/* sm-sync-status.h — the sync state in a header bar, with Sync Now
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sm-sync.h"

G_BEGIN_DECLS

#define SM_TYPE_SYNC_STATUS (sm_sync_status_get_type ())
G_DECLARE_FINAL_TYPE (SmSyncStatus, sm_sync_status, SM, SYNC_STATUS, GtkWidget)

GtkWidget  *sm_sync_status_new              (void);
/* NULL: no server configured, the client works offline. */
SmSync     *sm_sync_status_get_sync         (SmSyncStatus *self);
void        sm_sync_status_set_sync         (SmSyncStatus *self,
                                             SmSync       *sync);
/* Narrow windows: the state's icon and word only (see the .c). */
gboolean    sm_sync_status_get_compact      (SmSyncStatus *self);
void        sm_sync_status_set_compact      (SmSyncStatus *self,
                                             gboolean      compact);
/* What the button shows now: the state ("Up to date", "3 waiting", "No server", …) and,
 * below it, when the last sync was, or how many records wait when nothing can be sent
 * now; and what the popover explains. */
const char *sm_sync_status_get_state_text   (SmSyncStatus *self);
const char *sm_sync_status_get_caption_text (SmSyncStatus *self);
const char *sm_sync_status_get_detail_text  (SmSyncStatus *self);
/* "Synced just now", "Synced 5 minutes ago", "Synced at 14:05", … for @when seen at
 * @now; "Not synced yet" when @when is NULL. */
char       *sm_sync_status_format_last_sync (GDateTime    *when,
                                             GDateTime    *now);

G_END_DECLS
