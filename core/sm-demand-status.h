/* sm-demand-status.h — a demand's status, derived from its events (DESIGN §2)
 *
 * The status is never written. Every replica replays a demand's events in (hlc, site)
 * order through one transition table, skipping actions that are not valid from the
 * current state (they stay in the history as notes), so replicas holding the same events
 * derive the same status, and a late "handle" cannot undo a "resolve".
 */
#pragma once

#include <glib.h>

#include "sm-hlc.h"

G_BEGIN_DECLS

typedef struct {
  SmHlc       hlc;
  const char *site;
  const char *action;        /* report, accept, handle, … */
  const char *satisfaction;  /* for evaluate; may be NULL */
  const char *at;            /* the event's timestamp */
} SmDemandEvent;

typedef struct {
  const char *status;        /* static string: reported, accepted, … */
  const char *responded_at;  /* the `at` of the first response, or NULL; points into events */
} SmDemandState;

/* Sorts @events in place by (hlc, site) and replays them. */
void         sm_demand_status_derive       (SmDemandEvent *events,
                                            guint          n_events,
                                            SmDemandState *out_state);

/* The status after @action from @status, or NULL when the action is not valid there. */
const char  *sm_demand_status_transition   (const char    *status,
                                            const char    *action,
                                            const char    *satisfaction);

G_END_DECLS
