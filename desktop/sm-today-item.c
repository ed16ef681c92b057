/* sm-today-item.c — one thing to do on the Today page (今日)
 *
 * An item holds the records it was made from, read when the page last read the store;
 * what it says about time (days since, minutes waiting) is computed against a "now" the
 * page passes in, so one item can be shown ageing without reading the store again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-today-item.h"

#include <stdio.h>

struct _SmTodayItem
{
  GObject      parent_instance;

  SmTodayKind  kind;
  SmRecord    *record;
  SmRecord    *household;
  char        *last_visit_at;
};

G_DEFINE_FINAL_TYPE (SmTodayItem, sm_today_item, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (SmTodayKind, sm_today_kind,
  G_DEFINE_ENUM_VALUE (SM_TODAY_KIND_CARE, "care"),
  G_DEFINE_ENUM_VALUE (SM_TODAY_KIND_KNOCK, "knock"),
  G_DEFINE_ENUM_VALUE (SM_TODAY_KIND_FOLLOW_UP, "follow-up"),
  G_DEFINE_ENUM_VALUE (SM_TODAY_KIND_DEMAND, "demand"))

enum {
  PROP_0,
  PROP_KIND,
  PROP_RECORD,
  PROP_HOUSEHOLD,
  PROP_LAST_VISIT_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The local calendar day of @text: a date as it is, a time converted from UTC. */
static GDate *
local_day (const char *text)
{
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(GDateTime) local = NULL;
  int y, m, d;
  char rest;

  if (text == NULL)
    return NULL;

  if (sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &rest) == 3)
    return g_date_valid_dmy (d, m, y) ? g_date_new_dmy (d, m, y) : NULL;

  if (!(time = g_date_time_new_from_iso8601 (text, NULL)))
    return NULL;
  local = g_date_time_to_local (time);

  return g_date_new_dmy (g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                         g_date_time_get_year (local));
}

static void
sm_today_item_finalize (GObject *object)
{
  SmTodayItem *self = SM_TODAY_ITEM (object);

  g_clear_object (&self->record);
  g_clear_object (&self->household);
  g_clear_pointer (&self->last_visit_at, g_free);

  G_OBJECT_CLASS (sm_today_item_parent_class)->finalize (object);
}

static void
sm_today_item_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SmTodayItem *self = SM_TODAY_ITEM (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_RECORD:
      g_value_set_object (value, self->record);
      break;
    case PROP_HOUSEHOLD:
      g_value_set_object (value, self->household);
      break;
    case PROP_LAST_VISIT_AT:
      g_value_set_string (value, self->last_visit_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_today_item_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SmTodayItem *self = SM_TODAY_ITEM (object);

  switch (prop_id)
    {
    case PROP_KIND:
      self->kind = g_value_get_enum (value);
      break;
    case PROP_RECORD:
      self->record = g_value_dup_object (value);
      break;
    case PROP_HOUSEHOLD:
      self->household = g_value_dup_object (value);
      break;
    case PROP_LAST_VISIT_AT:
      self->last_visit_at = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_today_item_class_init (SmTodayItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sm_today_item_finalize;
  object_class->get_property = sm_today_item_get_property;
  object_class->set_property = sm_today_item_set_property;

  /**
   * SmTodayItem:kind:
   *
   * What the item asks for, and so the section it is listed in.
   */
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, SM_TYPE_TODAY_KIND, SM_TODAY_KIND_CARE,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SmTodayItem:record:
   *
   * The household, visit or demand the item is about.
   */
  properties[PROP_RECORD] =
    g_param_spec_object ("record", NULL, NULL, SM_TYPE_RECORD,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SmTodayItem:household:
   *
   * The household concerned, when there is one.
   */
  properties[PROP_HOUSEHOLD] =
    g_param_spec_object ("household", NULL, NULL, SM_TYPE_RECORD,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SmTodayItem:last-visit-at:
   *
   * For a household in difficulty, when someone was last met there; NULL for never.
   */
  properties[PROP_LAST_VISIT_AT] =
    g_param_spec_string ("last-visit-at", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sm_today_item_init (SmTodayItem *self)
{
}

SmTodayItem *
sm_today_item_new (SmTodayKind  kind,
                   SmRecord    *record,
                   SmRecord    *household,
                   const char  *last_visit_at)
{
  g_return_val_if_fail (SM_IS_RECORD (record), NULL);
  g_return_val_if_fail (household == NULL || SM_IS_RECORD (household), NULL);

  return g_object_new (SM_TYPE_TODAY_ITEM,
                       "kind", kind,
                       "record", record,
                       "household", household,
                       "last-visit-at", last_visit_at,
                       NULL);
}

SmTodayKind
sm_today_item_get_kind (SmTodayItem *self)
{
  g_return_val_if_fail (SM_IS_TODAY_ITEM (self), SM_TODAY_KIND_CARE);

  return self->kind;
}

SmRecord *
sm_today_item_get_record (SmTodayItem *self)
{
  g_return_val_if_fail (SM_IS_TODAY_ITEM (self), NULL);

  return self->record;
}

SmRecord *
sm_today_item_get_household (SmTodayItem *self)
{
  g_return_val_if_fail (SM_IS_TODAY_ITEM (self), NULL);

  return self->household;
}

const char *
sm_today_item_get_last_visit_at (SmTodayItem *self)
{
  g_return_val_if_fail (SM_IS_TODAY_ITEM (self), NULL);

  return self->last_visit_at;
}

const char *
sm_today_item_get_household_id (SmTodayItem *self)
{
  g_return_val_if_fail (SM_IS_TODAY_ITEM (self), NULL);

  switch (self->kind)
    {
    case SM_TODAY_KIND_CARE:
    case SM_TODAY_KIND_KNOCK:
      return sm_record_get_id (self->record);
    case SM_TODAY_KIND_FOLLOW_UP:
    case SM_TODAY_KIND_DEMAND:
    default:
      return sm_record_get_string (self->record, "household_id");
    }
}

int
sm_today_days_between (const char *date,
                       GDateTime  *now)
{
  g_autoptr(GDateTime) local = NULL;
  GDate *from;
  GDate today;
  int days;

  g_return_val_if_fail (now != NULL, G_MININT);

  if (!(from = local_day (date)))
    return G_MININT;

  local = g_date_time_to_local (now);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
  days = g_date_days_between (from, &today);
  g_date_free (from);

  return days;
}

gint64
sm_today_item_get_waiting_seconds (SmTodayItem *self,
                                   GDateTime   *now)
{
  g_autoptr(GDateTime) reported = NULL;
  const char *reported_at;

  g_return_val_if_fail (SM_IS_TODAY_ITEM (self), 0);
  g_return_val_if_fail (now != NULL, 0);

  if (self->kind != SM_TODAY_KIND_DEMAND
      || !(reported_at = sm_record_get_string (self->record, "reported_at"))
      || !(reported = g_date_time_new_from_iso8601 (reported_at, NULL)))
    return 0;

  return MAX (0, g_date_time_difference (now, reported) / G_USEC_PER_SEC);
}

gboolean
sm_today_item_is_late (SmTodayItem *self,
                       GDateTime   *now,
                       guint        target_minutes)
{
  g_return_val_if_fail (SM_IS_TODAY_ITEM (self), FALSE);

  return self->kind == SM_TODAY_KIND_DEMAND
         && sm_today_item_get_waiting_seconds (self, now) > (gint64) target_minutes * 60;
}
