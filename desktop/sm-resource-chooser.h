/* sm-resource-chooser.h — pick a resource to match a demand with (认领)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sm-store.h"

G_BEGIN_DECLS

#define SM_TYPE_RESOURCE_CHOOSER (sm_resource_chooser_get_type ())
G_DECLARE_FINAL_TYPE (SmResourceChooser, sm_resource_chooser, SM, RESOURCE_CHOOSER, AdwWindow)

/* Lists the active resources, those of @category (the demand's; may be NULL) first. */
SmResourceChooser *sm_resource_chooser_new           (SmStore           *store,
                                                      const char        *category);
/* The resources listed, of SmRecord, in the order shown. */
GListModel        *sm_resource_chooser_get_resources (SmResourceChooser *self);
/* Chooses the resource at @position, as activating its row does: emits "chosen" with
 * its id and closes. */
void               sm_resource_chooser_choose        (SmResourceChooser *self,
                                                      guint              position);

G_END_DECLS
