/* sm-demand-page.h — one demand: details, its event timeline, the actions of its status
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sm-claim-row.h"
#include "sm-demand-actions.h"
#include "sm-resource-chooser.h"
#include "sm-store.h"

G_BEGIN_DECLS

#define SM_TYPE_DEMAND_PAGE (sm_demand_page_get_type ())
G_DECLARE_FINAL_TYPE (SmDemandPage, sm_demand_page, SM, DEMAND_PAGE, GtkWidget)

GtkWidget    *sm_demand_page_new            (SmStore      *store);
const char   *sm_demand_page_get_demand_id  (SmDemandPage *self);
/* Reads the demand and its events from the store; NULL shows nothing. */
void          sm_demand_page_set_demand_id  (SmDemandPage *self,
                                             const char   *demand_id);
/* The demand as last read (its status is the store's derived one). */
SmRecord     *sm_demand_page_get_demand     (SmDemandPage *self);
/* The demand's title, for the header bar. */
const char   *sm_demand_page_get_title      (SmDemandPage *self);
/* Written as the actor of the events; NULL for "local". */
void          sm_demand_page_set_worker_id  (SmDemandPage *self,
                                             const char   *worker_id);
void          sm_demand_page_reload         (SmDemandPage *self);
/* The events shown in the timeline, of SmRecord, oldest first. */
GListModel   *sm_demand_page_get_events     (SmDemandPage *self);
/* The status as the page shows it (translated). */
const char   *sm_demand_page_get_status_text (SmDemandPage *self);
/* Writes @action (with @satisfaction for evaluate; resolve takes the level picked on the
 * page, and every action the note typed). What the action buttons do. On failure the
 * error shows on the page, the note stays and FALSE is returned. */
gboolean      sm_demand_page_perform        (SmDemandPage *self,
                                             const char   *action,
                                             const char   *satisfaction);
const char   *sm_demand_page_get_error_message (SmDemandPage *self);
/* The page's widgets, for tests and keyboard focus. @action is one of the schema's; for
 * evaluate, use get_evaluate_button(). NULL for an unknown action. */
GtkButton    *sm_demand_page_get_action_button   (SmDemandPage *self,
                                                  const char   *action);
GtkButton    *sm_demand_page_get_evaluate_button (SmDemandPage *self,
                                                  const char   *satisfaction);
GtkEditable  *sm_demand_page_get_note_entry      (SmDemandPage *self);
/* The level a resolution is recorded at: building, area, community or escalated. */
void          sm_demand_page_set_settled_level   (SmDemandPage *self,
                                                  const char   *level);
const char   *sm_demand_page_get_settled_level   (SmDemandPage *self);
/* The light shown. */
SmDemandLight sm_demand_page_get_light           (SmDemandPage *self);

/* 认领: the demand's claims as listed (of SmRecord, oldest first), and their rows. */
GListModel   *sm_demand_page_get_claims          (SmDemandPage *self);
SmClaimRow   *sm_demand_page_get_claim_row       (SmDemandPage *self,
                                                  guint         position);
GtkWidget    *sm_demand_page_get_match_button    (SmDemandPage *self);
/* Opens the chooser of resources, as "Match a Resource…" does; choosing one writes the
 * claim. NULL when the demand is settled (it takes no new claims). */
SmResourceChooser *sm_demand_page_match_resource (SmDemandPage *self);
/* Writes a claim of @resource_id by the worker, now, in the schema's first status. */
gboolean      sm_demand_page_add_claim           (SmDemandPage *self,
                                                  const char   *resource_id);
/* What a claim row's menu does. On failure the error shows above the claims. */
gboolean      sm_demand_page_set_claim_status    (SmDemandPage *self,
                                                  const char   *claim_id,
                                                  const char   *status);

G_END_DECLS
