/* sm-metrics.c — the server's counters, rendered in the Prometheus text format 0.0.4
 *
 * Help texts are for operators reading a scrape and stay in English, as is usual for
 * metrics; they are not translated.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-server"

#include "sm-metrics.h"

#include <math.h>
#include <stdlib.h>

typedef struct {
  char    *route;
  guint    status;
  guint64  count;
} RequestCount;

/* Upper bounds of the sync duration buckets, and the same as `le` labels. */
static const double sync_bounds[] = {
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
};
static const char * const sync_bound_labels[] = {
  "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5",
  "5", "10",
};

#define N_SYNC_BUCKETS (G_N_ELEMENTS (sync_bounds) + 1) /* the last is +Inf */

G_STATIC_ASSERT (G_N_ELEMENTS (sync_bounds) == G_N_ELEMENTS (sync_bound_labels));

struct _SmMetrics
{
  GObject     parent_instance;

  GMutex      mutex;
  GHashTable *requests;          /* RequestCount → itself */
  guint64     changes_applied;
  guint64     conflicts;
  guint64     sync_buckets[N_SYNC_BUCKETS]; /* not cumulative; rendering sums them */
  guint64     sync_count;
  double      sync_sum;
};

G_DEFINE_FINAL_TYPE (SmMetrics, sm_metrics, G_TYPE_OBJECT)

/* ---------------------------------------------------------------- helpers */

static guint
request_count_hash (gconstpointer data)
{
  const RequestCount *rc = data;

  return g_str_hash (rc->route) * 31 + rc->status;
}

static gboolean
request_count_equal (gconstpointer a,
                     gconstpointer b)
{
  const RequestCount *ra = a;
  const RequestCount *rb = b;

  return ra->status == rb->status && g_str_equal (ra->route, rb->route);
}

static void
request_count_free (gpointer data)
{
  RequestCount *rc = data;

  g_free (rc->route);
  g_free (rc);
}

static int
request_count_compare (gconstpointer a,
                       gconstpointer b)
{
  const RequestCount *ra = *(const RequestCount * const *) a;
  const RequestCount *rb = *(const RequestCount * const *) b;
  int cmp = g_strcmp0 (ra->route, rb->route);

  if (cmp != 0)
    return cmp;

  return (ra->status > rb->status) - (ra->status < rb->status);
}

/* Label values escape backslash, double quote and line feed. */
static void
append_label_value (GString    *out,
                    const char *value)
{
  g_assert (out != NULL && value != NULL);

  for (const char *p = value; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        default:
          g_string_append_c (out, *p);
          break;
        }
    }
}

/* The shortest text that reads back as @value, independent of the locale. */
static void
append_double (GString *out,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_assert (out != NULL);

  if (isnan (value))
    {
      g_string_append (out, "NaN");
      return;
    }
  if (isinf (value))
    {
      g_string_append (out, value > 0 ? "+Inf" : "-Inf");
      return;
    }

  for (int precision = 15; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }

  g_string_append (out, buf);
}

static void
append_header (GString    *out,
               const char *name,
               const char *type,
               const char *help)
{
  g_assert (out != NULL);

  g_string_append_printf (out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* ---------------------------------------------------------------- GObject */

static void
sm_metrics_finalize (GObject *object)
{
  SmMetrics *self = SM_METRICS (object);

  g_clear_pointer (&self->requests, g_hash_table_unref);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (sm_metrics_parent_class)->finalize (object);
}

static void
sm_metrics_class_init (SmMetricsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sm_metrics_finalize;
}

static void
sm_metrics_init (SmMetrics *self)
{
  g_mutex_init (&self->mutex);
  self->requests = g_hash_table_new_full (request_count_hash, request_count_equal,
                                          request_count_free, NULL);
}

/* ---------------------------------------------------------------- public API */

/**
 * sm_metrics_new:
 *
 * Returns: (transfer full): a new set of metrics, all zero
 */
SmMetrics *
sm_metrics_new (void)
{
  return g_object_new (SM_TYPE_METRICS, NULL);
}

/**
 * sm_metrics_count_request:
 * @self: a #SmMetrics
 * @route: a fixed route label such as "/v1/sync", or "other"; never a raw request path
 * @status: the HTTP status answered
 *
 * Counts one answered request.
 */
void
sm_metrics_count_request (SmMetrics  *self,
                          const char *route,
                          guint       status)
{
  g_autoptr(GMutexLocker) locker = NULL;
  RequestCount key = { (char *) route, status, 0 };
  RequestCount *rc;

  g_return_if_fail (SM_IS_METRICS (self));
  g_return_if_fail (route != NULL);

  locker = g_mutex_locker_new (&self->mutex);
  rc = g_hash_table_lookup (self->requests, &key);
  if (rc == NULL)
    {
      rc = g_new0 (RequestCount, 1);
      rc->route = g_strdup (route);
      rc->status = status;
      g_hash_table_add (self->requests, rc);
    }
  rc->count++;
}

/**
 * sm_metrics_add_changes_applied:
 * @self: a #SmMetrics
 * @n: changes from clients that the server applied
 */
void
sm_metrics_add_changes_applied (SmMetrics *self,
                                guint64    n)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (SM_IS_METRICS (self));

  locker = g_mutex_locker_new (&self->mutex);
  self->changes_applied += n;
}

/**
 * sm_metrics_add_conflicts:
 * @self: a #SmMetrics
 * @n: conflicts found while merging (concurrent writes to one field)
 */
void
sm_metrics_add_conflicts (SmMetrics *self,
                          guint64    n)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (SM_IS_METRICS (self));

  locker = g_mutex_locker_new (&self->mutex);
  self->conflicts += n;
}

/**
 * sm_metrics_observe_sync:
 * @self: a #SmMetrics
 * @seconds: how long one sync request took; negative values count as 0
 *
 * Adds one observation to the sync duration histogram.
 */
void
sm_metrics_observe_sync (SmMetrics *self,
                         double     seconds)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gsize bucket = 0;

  g_return_if_fail (SM_IS_METRICS (self));
  g_return_if_fail (!isnan (seconds));

  if (seconds < 0)
    seconds = 0;

  /* Buckets are "less than or equal": 0.001 belongs to le="0.001". */
  while (bucket < G_N_ELEMENTS (sync_bounds) && seconds > sync_bounds[bucket])
    bucket++;

  locker = g_mutex_locker_new (&self->mutex);
  self->sync_buckets[bucket]++;
  self->sync_count++;
  self->sync_sum += seconds;
}

/**
 * sm_metrics_render:
 * @self: a #SmMetrics
 *
 * Writes every metric in the Prometheus text exposition format 0.0.4 (serve it as
 * %SM_METRICS_CONTENT_TYPE). The output is deterministic: requests are sorted by route,
 * then by status.
 *
 * Returns: (transfer full): the exposition text
 */
char *
sm_metrics_render (SmMetrics *self)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  GHashTableIter iter;
  gpointer rc;
  GString *out;
  guint64 cumulative = 0;

  g_return_val_if_fail (SM_IS_METRICS (self), NULL);

  out = g_string_new (NULL);
  locker = g_mutex_locker_new (&self->mutex);

  append_header (out, "sanmen_http_requests_total", "counter",
                 "HTTP requests answered, by route and status.");
  requests = g_ptr_array_sized_new (g_hash_table_size (self->requests));
  g_hash_table_iter_init (&iter, self->requests);
  while (g_hash_table_iter_next (&iter, &rc, NULL))
    g_ptr_array_add (requests, rc);
  g_ptr_array_sort (requests, request_count_compare);
  for (guint i = 0; i < requests->len; i++)
    {
      const RequestCount *r = g_ptr_array_index (requests, i);

      g_string_append (out, "sanmen_http_requests_total{route=\"");
      append_label_value (out, r->route);
      g_string_append_printf (out, "\",status=\"%u\"} %" G_GUINT64_FORMAT "\n",
                              r->status, r->count);
    }

  append_header (out, "sanmen_changes_applied_total", "counter",
                 "Changes from clients applied to the server database.");
  g_string_append_printf (out, "sanmen_changes_applied_total %" G_GUINT64_FORMAT "\n",
                          self->changes_applied);

  append_header (out, "sanmen_conflicts_total", "counter",
                 "Conflicts found while merging: concurrent writes to one field.");
  g_string_append_printf (out, "sanmen_conflicts_total %" G_GUINT64_FORMAT "\n",
                          self->conflicts);

  append_header (out, "sanmen_sync_duration_seconds", "histogram",
                 "Time taken to answer one sync request.");
  for (gsize i = 0; i < N_SYNC_BUCKETS; i++)
    {
      const char *le = i < G_N_ELEMENTS (sync_bound_labels) ? sync_bound_labels[i] : "+Inf";

      cumulative += self->sync_buckets[i];
      g_string_append_printf (out, "sanmen_sync_duration_seconds_bucket{le=\"%s\"} %"
                              G_GUINT64_FORMAT "\n", le, cumulative);
    }
  g_string_append (out, "sanmen_sync_duration_seconds_sum ");
  append_double (out, self->sync_sum);
  g_string_append_printf (out, "\nsanmen_sync_duration_seconds_count %" G_GUINT64_FORMAT "\n",
                          self->sync_count);

  return g_string_free (out, FALSE);
}
