/* sm-settings.c — the client's GSettings (org.sanmen.Sanmen), installed or not
 *
 * Tests and a client run from the build tree may have no compiled schema, and
 * g_settings_new() aborts on a schema it cannot find: every part of the client looks the
 * schema up here, and works with the defaults when it is missing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-settings.h"

/* The schema's default of "response-target-minutes", for a client without the schema. */
#define DEFAULT_RESPONSE_TARGET_MINUTES 5

GSettings *
sm_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source == NULL
      || !(schema = g_settings_schema_source_lookup (source, SM_SETTINGS_SCHEMA_ID, TRUE)))
    return NULL;

  return g_settings_new_full (schema, NULL, NULL);
}

guint
sm_settings_get_response_target (void)
{
  /* One for the process, read by every demand row: a GSettings follows its key's changes. */
  static GSettings *settings;
  static gsize looked_up;

  if (g_once_init_enter (&looked_up))
    {
      settings = sm_settings_new ();
      g_once_init_leave (&looked_up, 1);
    }

  return settings != NULL ? g_settings_get_uint (settings, "response-target-minutes")
                          : DEFAULT_RESPONSE_TARGET_MINUTES;
}
