/* sm-application.h — the sanmen desktop application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sm-store.h"
#include "sm-sync.h"

G_BEGIN_DECLS

#define SM_TYPE_APPLICATION (sm_application_get_type ())
G_DECLARE_FINAL_TYPE (SmApplication, sm_application, SM, APPLICATION, AdwApplication)

SmApplication *sm_application_new             (void);
/* The replica, opened on first activation; NULL before that or if it could not open. */
SmStore       *sm_application_get_store       (SmApplication *self);
/* The sync engine ("sync", with notify), NULL while no server is configured. Pages that
 * show data from the server may connect to its "applied" signal; local writes need no
 * call: the application sees them in the store (sm-application.c). */
SmSync        *sm_application_get_sync        (SmApplication *self);
/* The org.sanmen.Sanmen settings, NULL when the schema is not installed. */
GSettings     *sm_application_get_settings    (SmApplication *self);
/* Where the replica lives: $SANMEN_REPLICA, or <user data dir>/sanmen/replica.db. */
char          *sm_application_dup_replica_path (void);

G_END_DECLS
