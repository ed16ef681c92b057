/* test-metrics.c — the server's Prometheus metrics (GET /metrics)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <string.h>

#include "sm-metrics.h"

static const char * const bucket_labels[] = {
  "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5",
  "5", "10", "+Inf",
};

/* The value of the sample whose name and labels are exactly @series, as text. */
static char *
sample_value (const char *text,
              const char *series)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autofree char *prefix = g_strconcat (series, " ", NULL);
  char *found = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      {
        g_assert_null (found); /* each series appears once */
        found = g_strdup (lines[i] + strlen (prefix));
      }

  return found;
}

static guint64
sample_u64 (const char *text,
            const char *series)
{
  g_autofree char *value = sample_value (text, series);
  guint64 n = 0;

  g_assert_nonnull (value);
  g_assert_true (g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT64, &n, NULL));

  return n;
}

static void
assert_bucket_counts (const char    *text,
                      const guint64  expected[14])
{
  for (guint i = 0; i < G_N_ELEMENTS (bucket_labels); i++)
    {
      g_autofree char *series =
        g_strdup_printf ("sanmen_sync_duration_seconds_bucket{le=\"%s\"}", bucket_labels[i]);

      g_test_message ("%s", series);
      g_assert_cmpuint (sample_u64 (text, series), ==, expected[i]);
    }
}

static void
test_empty (void)
{
  g_autoptr(SmMetrics) metrics = sm_metrics_new ();
  g_autofree char *text = sm_metrics_render (metrics);
  const guint64 zeros[14] = { 0 };

  g_assert_true (g_str_has_suffix (text, "\n"));
  g_assert_nonnull (strstr (text, "# TYPE sanmen_http_requests_total counter\n"));
  g_assert_null (strstr (text, "sanmen_http_requests_total{"));
  g_assert_cmpuint (sample_u64 (text, "sanmen_changes_applied_total"), ==, 0);
  g_assert_cmpuint (sample_u64 (text, "sanmen_conflicts_total"), ==, 0);
  assert_bucket_counts (text, zeros);
  g_assert_cmpuint (sample_u64 (text, "sanmen_sync_duration_seconds_count"), ==, 0);
  g_assert_cmpuint (sample_u64 (text, "sanmen_sync_duration_seconds_sum"), ==, 0);
}

static void
test_render_exact (void)
{
  g_autoptr(SmMetrics) metrics = sm_metrics_new ();
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;
  const char *expected =
    "# HELP sanmen_http_requests_total HTTP requests answered, by route and status.\n"
    "# TYPE sanmen_http_requests_total counter\n"
    "sanmen_http_requests_total{route=\"/v1/login\",status=\"200\"} 1\n"
    "sanmen_http_requests_total{route=\"/v1/login\",status=\"401\"} 3\n"
    "sanmen_http_requests_total{route=\"/v1/sync\",status=\"200\"} 2\n"
    "sanmen_http_requests_total{route=\"/v1/sync\",status=\"500\"} 1\n"
    "sanmen_http_requests_total{route=\"other\",status=\"404\"} 1\n"
    "# HELP sanmen_changes_applied_total Changes from clients applied to the server database.\n"
    "# TYPE sanmen_changes_applied_total counter\n"
    "sanmen_changes_applied_total 10\n"
    "# HELP sanmen_conflicts_total Conflicts found while merging: concurrent writes to one field.\n"
    "# TYPE sanmen_conflicts_total counter\n"
    "sanmen_conflicts_total 2\n"
    "# HELP sanmen_sync_duration_seconds Time taken to answer one sync request.\n"
    "# TYPE sanmen_sync_duration_seconds histogram\n"
    "sanmen_sync_duration_seconds_bucket{le=\"0.001\"} 0\n"
    "sanmen_sync_duration_seconds_bucket{le=\"0.0025\"} 0\n"
    "sanmen_sync_duration_seconds_bucket{le=\"0.005\"} 0\n"
    "sanmen_sync_duration_seconds_bucket{le=\"0.01\"} 0\n"
    "sanmen_sync_duration_seconds_bucket{le=\"0.025\"} 0\n"
    "sanmen_sync_duration_seconds_bucket{le=\"0.05\"} 0\n"
    "sanmen_sync_duration_seconds_bucket{le=\"0.1\"} 0\n"
    "sanmen_sync_duration_seconds_bucket{le=\"0.25\"} 1\n"
    "sanmen_sync_duration_seconds_bucket{le=\"0.5\"} 2\n"
    "sanmen_sync_duration_seconds_bucket{le=\"1\"} 2\n"
    "sanmen_sync_duration_seconds_bucket{le=\"2.5\"} 2\n"
    "sanmen_sync_duration_seconds_bucket{le=\"5\"} 2\n"
    "sanmen_sync_duration_seconds_bucket{le=\"10\"} 2\n"
    "sanmen_sync_duration_seconds_bucket{le=\"+Inf\"} 2\n"
    "sanmen_sync_duration_seconds_sum 0.75\n"
    "sanmen_sync_duration_seconds_count 2\n";

  /* Counted out of order: the output is sorted by route, then status. */
  sm_metrics_count_request (metrics, "other", 404);
  sm_metrics_count_request (metrics, "/v1/sync", 500);
  sm_metrics_count_request (metrics, "/v1/sync", 200);
  sm_metrics_count_request (metrics, "/v1/login", 401);
  sm_metrics_count_request (metrics, "/v1/login", 401);
  sm_metrics_count_request (metrics, "/v1/login", 200);
  sm_metrics_count_request (metrics, "/v1/sync", 200);
  sm_metrics_count_request (metrics, "/v1/login", 401);
  sm_metrics_add_changes_applied (metrics, 7);
  sm_metrics_add_changes_applied (metrics, 3);
  sm_metrics_add_changes_applied (metrics, 0);
  sm_metrics_add_conflicts (metrics, 2);
  sm_metrics_observe_sync (metrics, 0.5);
  sm_metrics_observe_sync (metrics, 0.25);

  text = sm_metrics_render (metrics);
  g_assert_cmpstr (text, ==, expected);

  /* Rendering changes nothing. */
  again = sm_metrics_render (metrics);
  g_assert_cmpstr (again, ==, expected);
}

static void
test_status_order (void)
{
  g_autoptr(SmMetrics) metrics = sm_metrics_new ();
  g_autofree char *text = NULL;
  const char *a, *b, *c;

  /* Statuses sort as numbers. */
  sm_metrics_count_request (metrics, "/v1/me", 404);
  sm_metrics_count_request (metrics, "/v1/me", 99);
  sm_metrics_count_request (metrics, "/v1/me", 1000);
  text = sm_metrics_render (metrics);

  a = strstr (text, "status=\"99\"");
  b = strstr (text, "status=\"404\"");
  c = strstr (text, "status=\"1000\"");
  g_assert_nonnull (a);
  g_assert_true (a < b && b < c);
}

static void
test_histogram (void)
{
  g_autoptr(SmMetrics) metrics = sm_metrics_new ();
  g_autofree char *text = NULL;
  g_autofree char *sum = NULL;
  /* Boundaries belong to their own bucket (le is "less than or equal"). */
  const double observations[] = {
    0.001,   /* le 0.001 */
    0.0005,  /* le 0.001 */
    0,       /* le 0.001 */
    -1,      /* counts as 0 */
    0.0011,  /* le 0.0025 */
    0.003,   /* le 0.005 */
    0.05,    /* le 0.05 */
    0.7,     /* le 1 */
    1,       /* le 1 */
    9.99,    /* le 10 */
    10,      /* le 10 */
    10.001,  /* +Inf */
    3600,    /* +Inf */
  };
  const guint64 expected[14] = { 4, 5, 6, 6, 6, 7, 7, 7, 7, 9, 9, 9, 11, 13 };
  double expected_sum = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (observations); i++)
    {
      sm_metrics_observe_sync (metrics, observations[i]);
      expected_sum += MAX (observations[i], 0);
    }

  text = sm_metrics_render (metrics);
  assert_bucket_counts (text, expected);
  g_assert_cmpuint (sample_u64 (text, "sanmen_sync_duration_seconds_count"), ==,
                    G_N_ELEMENTS (observations));

  sum = sample_value (text, "sanmen_sync_duration_seconds_sum");
  g_assert_nonnull (sum);
  g_assert_cmpfloat_with_epsilon (g_ascii_strtod (sum, NULL), expected_sum, 1e-9);
  /* The text reads back as exactly the sum kept. */
  g_assert_cmpfloat (g_ascii_strtod (sum, NULL), ==, expected_sum);
}

static void
test_sum_locale (void)
{
  g_autoptr(SmMetrics) metrics = sm_metrics_new ();
  g_autofree char *text = NULL;
  g_autofree char *sum = NULL;
  const char *old = setlocale (LC_NUMERIC, NULL);
  g_autofree char *saved = g_strdup (old);

  /* A locale with a decimal comma must not leak into the output. */
  if (setlocale (LC_NUMERIC, "de_DE.UTF-8") == NULL)
    g_test_message ("de_DE.UTF-8 is not installed; checking the C locale only");

  sm_metrics_observe_sync (metrics, 1.5);
  text = sm_metrics_render (metrics);
  setlocale (LC_NUMERIC, saved);

  sum = sample_value (text, "sanmen_sync_duration_seconds_sum");
  g_assert_cmpstr (sum, ==, "1.5");
}

static void
test_label_escaping (void)
{
  g_autoptr(SmMetrics) metrics = sm_metrics_new ();
  g_autofree char *text = NULL;

  sm_metrics_count_request (metrics, "a\"b\\c\nd", 400);
  sm_metrics_count_request (metrics, "网格", 200);
  text = sm_metrics_render (metrics);

  /* route="a\"b\\c\nd" */
  g_assert_nonnull (strstr (text, "\nsanmen_http_requests_total{route=\"a\\\"b\\\\c\\nd\","
                                  "status=\"400\"} 1\n"));
  g_assert_nonnull (strstr (text,
                            "\nsanmen_http_requests_total{route=\"网格\",status=\"200\"} 1\n"));
  /* The raw newline did not split the sample in two. */
  g_assert_null (strstr (text, "\nd\""));
}

#define N_THREADS 4
#define N_INCREMENTS 10000

static gpointer
count_thread (gpointer user_data)
{
  SmMetrics *metrics = user_data;

  for (guint i = 0; i < N_INCREMENTS; i++)
    {
      sm_metrics_count_request (metrics, "/v1/sync", 200);
      sm_metrics_count_request (metrics, (i % 2) ? "/v1/login" : "other", 401);
      sm_metrics_add_changes_applied (metrics, 3);
      sm_metrics_add_conflicts (metrics, 1);
      sm_metrics_observe_sync (metrics, 0.5);
      if (i % 1000 == 0)
        g_free (sm_metrics_render (metrics));
    }

  return NULL;
}

static void
test_threads (void)
{
  g_autoptr(SmMetrics) metrics = sm_metrics_new ();
  g_autofree char *text = NULL;
  GThread *threads[N_THREADS];
  const guint64 total = N_THREADS * N_INCREMENTS;

  for (guint i = 0; i < N_THREADS; i++)
    threads[i] = g_thread_new ("metrics", count_thread, metrics);
  for (guint i = 0; i < N_THREADS; i++)
    g_thread_join (threads[i]);

  text = sm_metrics_render (metrics);
#define REQUESTS(route, status) \
  "sanmen_http_requests_total{route=\"" route "\",status=\"" status "\"}"
  g_assert_cmpuint (sample_u64 (text, REQUESTS ("/v1/sync", "200")), ==, total);
  g_assert_cmpuint (sample_u64 (text, REQUESTS ("/v1/login", "401")), ==, total / 2);
  g_assert_cmpuint (sample_u64 (text, REQUESTS ("other", "401")), ==, total / 2);
#undef REQUESTS
  g_assert_cmpuint (sample_u64 (text, "sanmen_changes_applied_total"), ==, 3 * total);
  g_assert_cmpuint (sample_u64 (text, "sanmen_conflicts_total"), ==, total);
  g_assert_cmpuint (sample_u64 (text, "sanmen_sync_duration_seconds_count"), ==, total);
  g_assert_cmpuint (sample_u64 (text, "sanmen_sync_duration_seconds_bucket{le=\"0.25\"}"), ==, 0);
  g_assert_cmpuint (sample_u64 (text, "sanmen_sync_duration_seconds_bucket{le=\"0.5\"}"),
                    ==, total);
  g_assert_cmpuint (sample_u64 (text, "sanmen_sync_duration_seconds_sum"), ==, total / 2);
}

static void
test_finalize (void)
{
  SmMetrics *metrics = sm_metrics_new ();

  sm_metrics_count_request (metrics, "/v1/sync", 200);
  sm_metrics_observe_sync (metrics, 0.1);
  g_assert_finalize_object (metrics);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/metrics/empty", test_empty);
  g_test_add_func ("/server/metrics/render-exact", test_render_exact);
  g_test_add_func ("/server/metrics/status-order", test_status_order);
  g_test_add_func ("/server/metrics/histogram", test_histogram);
  g_test_add_func ("/server/metrics/sum-locale", test_sum_locale);
  g_test_add_func ("/server/metrics/label-escaping", test_label_escaping);
  g_test_add_func ("/server/metrics/threads", test_threads);
  g_test_add_func ("/server/metrics/finalize", test_finalize);

  return g_test_run ();
}
