/* sm-metrics.h — the server's counters, rendered for Prometheus (GET /metrics)
 *
 * sanmen_http_requests_total{route,status}, sanmen_changes_applied_total,
 * sanmen_conflicts_total and the histogram sanmen_sync_duration_seconds, in the text
 * exposition format 0.0.4. Routes are fixed labels chosen by the caller ("/v1/sync";
 * "other" for paths the server does not know), which keeps the label set small.
 * Thread-safe.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The Content-Type of what sm_metrics_render () returns. */
#define SM_METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

#define SM_TYPE_METRICS (sm_metrics_get_type ())
G_DECLARE_FINAL_TYPE (SmMetrics, sm_metrics, SM, METRICS, GObject)

SmMetrics *sm_metrics_new                 (void);
void       sm_metrics_count_request       (SmMetrics  *self,
                                           const char *route,
                                           guint       status);
void       sm_metrics_add_changes_applied (SmMetrics  *self,
                                           guint64     n);
void       sm_metrics_add_conflicts       (SmMetrics  *self,
                                           guint64     n);
void       sm_metrics_observe_sync        (SmMetrics  *self,
                                           double      seconds);
char      *sm_metrics_render              (SmMetrics  *self);

G_END_DECLS
