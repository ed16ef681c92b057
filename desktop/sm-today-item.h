/* sm-today-item.h — one thing to do on the Today page (今日)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "sm-record.h"

G_BEGIN_DECLS

/* What an item asks for: one per section of the Today page, in the order shown. */
typedef enum {
  SM_TODAY_KIND_CARE,       /* households in difficulty not visited lately (上门) */
  SM_TODAY_KIND_KNOCK,      /* new residents not knocked on yet (敲门) */
  SM_TODAY_KIND_FOLLOW_UP,  /* visits whose follow-up day has come */
  SM_TODAY_KIND_DEMAND,     /* demands waiting for a response */
} SmTodayKind;

#define SM_TODAY_N_KINDS (SM_TODAY_KIND_DEMAND + 1)

#define SM_TYPE_TODAY_KIND (sm_today_kind_get_type ())
GType sm_today_kind_get_type (void);

#define SM_TYPE_TODAY_ITEM (sm_today_item_get_type ())
G_DECLARE_FINAL_TYPE (SmTodayItem, sm_today_item, SM, TODAY_ITEM, GObject)

/* @record is the household (care, knock), the visit (follow-up) or the demand; @household
 * the household it concerns, when known (the record itself for care and knock);
 * @last_visit_at the last visit where someone was met (care only; NULL for never). */
SmTodayItem    *sm_today_item_new               (SmTodayKind     kind,
                                                 SmRecord       *record,
                                                 SmRecord       *household,
                                                 const char     *last_visit_at);
SmTodayKind     sm_today_item_get_kind          (SmTodayItem    *self);
SmRecord       *sm_today_item_get_record        (SmTodayItem    *self);
SmRecord       *sm_today_item_get_household     (SmTodayItem    *self);
const char     *sm_today_item_get_last_visit_at (SmTodayItem    *self);
/* The household to open for it; NULL for a demand raised without a household. */
const char     *sm_today_item_get_household_id  (SmTodayItem    *self);

/* Whole local calendar days from @date (YYYY-MM-DD, or the local day of an ISO 8601 time)
 * to the local day of @now; negative when @date is later, G_MININT when unreadable. */
int             sm_today_days_between           (const char     *date,
                                                 GDateTime      *now);
/* Seconds from the demand's reported_at to @now (0 when @now is earlier or it has none). */
gint64          sm_today_item_get_waiting_seconds (SmTodayItem  *self,
                                                 GDateTime      *now);
/* TRUE for a demand that has waited longer than @target_minutes. */
gboolean        sm_today_item_is_late           (SmTodayItem    *self,
                                                 GDateTime      *now,
                                                 guint           target_minutes);

G_END_DECLS
