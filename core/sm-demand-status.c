/* sm-demand-status.c — the closed loop 发现 → 处置 → 督办 → 办结 → 评价
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sm-demand-status.h"

#include <stdlib.h>
#include <string.h>

#include "sm-merge.h"

typedef enum {
  REPORTED,
  ACCEPTED,
  HANDLING,
  SUPERVISING,
  RESOLVED,
  EVALUATED,
  N_STATUSES
} Status;

static const char * const status_names[N_STATUSES] = {
  "reported", "accepted", "handling", "supervising", "resolved", "evaluated",
};

#define S(x) (1u << (x))

/* The one transition table. "report" and "comment" never move the status. A worker may
 * settle a demand on the spot, so resolve is valid straight from reported. An evaluation
 * of "unsatisfied" reopens the demand (see transition()). */
static const struct {
  const char *action;
  guint       from;
  Status      to;
  gboolean    responds;  /* the first such action is the response to the report */
} transitions[] = {
  { "accept",    S (REPORTED),                                       ACCEPTED,    TRUE },
  { "handle",    S (REPORTED) | S (ACCEPTED),                        HANDLING,    TRUE },
  { "escalate",  S (REPORTED) | S (ACCEPTED) | S (HANDLING),         HANDLING,    TRUE },
  { "escalate",  S (SUPERVISING),                                    SUPERVISING, FALSE },
  { "supervise", S (REPORTED) | S (ACCEPTED) | S (HANDLING),         SUPERVISING, FALSE },
  { "resolve",   S (REPORTED) | S (ACCEPTED) | S (HANDLING) | S (SUPERVISING), RESOLVED, TRUE },
  { "evaluate",  S (RESOLVED),                                       EVALUATED,   FALSE },
  { "reopen",    S (RESOLVED) | S (EVALUATED),                       HANDLING,    FALSE },
};

static int
status_index (const char *status)
{
  for (int i = 0; i < N_STATUSES; i++)
    if (strcmp (status_names[i], status) == 0)
      return i;
  return -1;
}

static gboolean
transition (Status      from,
            const char *action,
            const char *satisfaction,
            Status     *to,
            gboolean   *responds)
{
  if (action == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (transitions); i++)
    {
      if (strcmp (transitions[i].action, action) != 0 || !(transitions[i].from & S (from)))
        continue;

      *to = transitions[i].to;
      *responds = transitions[i].responds;
      if (*to == EVALUATED && g_strcmp0 (satisfaction, "unsatisfied") == 0)
        *to = HANDLING;
      return TRUE;
    }

  return FALSE;
}

const char *
sm_demand_status_transition (const char *status,
                             const char *action,
                             const char *satisfaction)
{
  int from;
  Status to;
  gboolean responds;

  g_return_val_if_fail (status != NULL, NULL);

  if ((from = status_index (status)) < 0)
    return NULL;

  if (!transition ((Status) from, action, satisfaction, &to, &responds))
    return NULL;

  return status_names[to];
}

static int
compare_events (const void *a,
                const void *b)
{
  const SmDemandEvent *ea = a, *eb = b;

  return sm_merge_compare (ea->hlc, ea->site, eb->hlc, eb->site);
}

void
sm_demand_status_derive (SmDemandEvent *events,
                         guint          n_events,
                         SmDemandState *out_state)
{
  Status status = REPORTED;

  g_return_if_fail (n_events == 0 || events != NULL);
  g_return_if_fail (out_state != NULL);

  out_state->responded_at = NULL;

  if (n_events > 1)
    qsort (events, n_events, sizeof *events, compare_events);

  for (guint i = 0; i < n_events; i++)
    {
      Status to;
      gboolean responds;

      if (!transition (status, events[i].action, events[i].satisfaction, &to, &responds))
        continue;

      if (responds && out_state->responded_at == NULL)
        out_state->responded_at = events[i].at;
      status = to;
    }

  out_state->status = status_names[status];
}
