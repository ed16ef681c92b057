/* sm-application.h — the sanmen desktop application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sm-store.h"

G_BEGIN_DECLS

#define SM_TYPE_APPLICATION (sm_application_get_type ())
G_DECLARE_FINAL_TYPE (SmApplication, sm_application, SM, APPLICATION, AdwApplication)

SmApplication *sm_application_new             (void);
/* The replica, opened on first activation; NULL before that or if it could not open. */
SmStore       *sm_application_get_store       (SmApplication *self);
/* Where the replica lives: $SANMEN_REPLICA, or <user data dir>/sanmen/replica.db. */
char          *sm_application_dup_replica_path (void);

G_END_DECLS
