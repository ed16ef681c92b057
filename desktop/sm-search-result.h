/* sm-search-result.h — one search hit as a list item: what to show and its household
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sm-store.h"

G_BEGIN_DECLS

#define SM_TYPE_SEARCH_RESULT (sm_search_result_get_type ())
G_DECLARE_FINAL_TYPE (SmSearchResult, sm_search_result, SM, SEARCH_RESULT, GObject)

/* @household: the hit's household (of a resident hit, the resident's). */
SmSearchResult *sm_search_result_new           (const SmSearchHit *hit,
                                                SmRecord          *household);
const char     *sm_search_result_get_title     (SmSearchResult    *self);
const char     *sm_search_result_get_subtitle  (SmSearchResult    *self);
SmRecord       *sm_search_result_get_household (SmSearchResult    *self);
/* TRUE when the hit is a resident rather than a household. */
gboolean        sm_search_result_is_resident   (SmSearchResult    *self);
const char     *sm_search_result_get_id        (SmSearchResult    *self);

G_END_DECLS
