/* sm-search-result.c — one search hit as a list item: what to show and its household
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-search-result.h"

struct _SmSearchResult
{
  GObject   parent_instance;

  char     *id;
  char     *title;
  char     *subtitle;
  SmRecord *household;
  gboolean  is_resident;
};

G_DEFINE_FINAL_TYPE (SmSearchResult, sm_search_result, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_SUBTITLE,
  PROP_HOUSEHOLD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sm_search_result_finalize (GObject *object)
{
  SmSearchResult *self = SM_SEARCH_RESULT (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->subtitle, g_free);

  G_OBJECT_CLASS (sm_search_result_parent_class)->finalize (object);
}

static void
sm_search_result_dispose (GObject *object)
{
  SmSearchResult *self = SM_SEARCH_RESULT (object);

  g_clear_object (&self->household);

  G_OBJECT_CLASS (sm_search_result_parent_class)->dispose (object);
}

static void
sm_search_result_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SmSearchResult *self = SM_SEARCH_RESULT (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_SUBTITLE:
      g_value_set_string (value, self->subtitle);
      break;
    case PROP_HOUSEHOLD:
      g_value_set_object (value, self->household);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_search_result_class_init (SmSearchResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sm_search_result_dispose;
  object_class->finalize = sm_search_result_finalize;
  object_class->get_property = sm_search_result_get_property;

  /**
   * SmSearchResult:title:
   *
   * A resident's name or a household's address.
   */
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * SmSearchResult:subtitle:
   *
   * A resident's address, or a household's masked phone number.
   */
  properties[PROP_SUBTITLE] =
    g_param_spec_string ("subtitle", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * SmSearchResult:household:
   *
   * The household of the hit.
   */
  properties[PROP_HOUSEHOLD] =
    g_param_spec_object ("household", NULL, NULL, SM_TYPE_RECORD,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sm_search_result_init (SmSearchResult *self)
{
}

SmSearchResult *
sm_search_result_new (const SmSearchHit *hit,
                      SmRecord          *household)
{
  SmSearchResult *self;

  g_return_val_if_fail (hit != NULL, NULL);
  g_return_val_if_fail (SM_IS_RECORD (household), NULL);

  self = g_object_new (SM_TYPE_SEARCH_RESULT, NULL);
  self->id = g_strdup (hit->id);
  self->title = g_strdup (hit->title);
  self->subtitle = g_strdup (hit->detail);
  self->household = g_object_ref (household);
  self->is_resident = g_strcmp0 (hit->table->name, "resident") == 0;

  return self;
}

const char *
sm_search_result_get_title (SmSearchResult *self)
{
  g_return_val_if_fail (SM_IS_SEARCH_RESULT (self), NULL);

  return self->title;
}

const char *
sm_search_result_get_subtitle (SmSearchResult *self)
{
  g_return_val_if_fail (SM_IS_SEARCH_RESULT (self), NULL);

  return self->subtitle;
}

SmRecord *
sm_search_result_get_household (SmSearchResult *self)
{
  g_return_val_if_fail (SM_IS_SEARCH_RESULT (self), NULL);

  return self->household;
}

gboolean
sm_search_result_is_resident (SmSearchResult *self)
{
  g_return_val_if_fail (SM_IS_SEARCH_RESULT (self), FALSE);

  return self->is_resident;
}

const char *
sm_search_result_get_id (SmSearchResult *self)
{
  g_return_val_if_fail (SM_IS_SEARCH_RESULT (self), NULL);

  return self->id;
}
