/* sm-settings.h — the client's GSettings (org.sanmen.Sanmen), installed or not
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SM_SETTINGS_SCHEMA_ID "org.sanmen.Sanmen"

/* A new GSettings of the client's schema, or NULL when this build's schema is not
 * installed (a client run from the build tree without GSETTINGS_SCHEMA_DIR). */
GSettings *sm_settings_new                    (void);

/* The response target for demands in minutes ("response-target-minutes"), following the
 * setting as it changes; the schema's default when the schema is not installed. */
guint      sm_settings_get_response_target    (void);

G_END_DECLS
