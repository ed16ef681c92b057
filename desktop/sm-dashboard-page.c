/* sm-dashboard-page.c — the 统计 page: the office's figures for a period and a grid
 *
 * The figures are those of sm_dashboard_compute() (defined in core/sm-dashboard.h), shown
 * as labelled numbers in cards that wrap from four a line to one, and four SmBarCharts.
 * The period is this month, last month, the last 30 days or two dates typed in, all in the
 * community's calendar (China Standard Time, as the monthly reports: the month bounds come
 * from sm_report_month_bounds()); the scope is one grid or all of them. The knock and
 * care windows and the response target are the office's settings (new-resident-knock-days,
 * difficulty-visit-days, response-target-minutes), as on the Today and demand pages; a
 * change recomputes the page shown.
 *
 * A month of a 100,000-household community takes a few hundred milliseconds of SQLite, so
 * the figures are computed in a GTask thread on a second connection to the replica (opened
 * on first use, kept for the next time, used by one thread at a time: one computation runs
 * at once, and a change of period or grid while it runs starts another when it ends). The
 * UI never waits on it; a spinner shows while it works.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-dashboard-page.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "sm-replica-task.h"
#include "sm-report-export.h"
#include "sm-schema.h"
#include "sm-settings.h"

#define LOCAL_ZONE "+08:00"

typedef struct {
  GtkWidget *child;     /* the GtkFlowBoxChild */
  GtkLabel  *value;
  GtkLabel  *title;
  GtkLabel  *detail;
} Card;

struct _SmDashboardPage
{
  GtkWidget          parent_instance;

  SmStore           *store;
  GSettings         *settings;    /* the windows and target; NULL without the schema */
  SmStore           *reader;      /* the worker thread's connection, once opened */
  GCancellable      *cancellable;
  gboolean           busy;
  gboolean           pending;     /* asked again while busy */
  SmDashboard       *dashboard;

  SmDashboardPeriod  period;
  GDate              custom_first;
  GDate              custom_last;
  char              *grid_id;
  GPtrArray         *grid_ids;    /* parallel to grid_names after "All grids" */
  gboolean           filling_grids;
  GDateTime         *now;
  GHashTable        *cards;       /* figure name → Card */

  GtkDropDown       *period_dropdown;
  GtkDropDown       *grid_dropdown;
  GtkStringList     *grid_names;
  GtkSpinner        *spinner;
  GtkRevealer       *custom_revealer;
  GtkEntry          *from_entry;
  GtkEntry          *to_entry;
  GtkLabel          *custom_error;
  GtkStack          *state_stack;
  GtkLabel          *period_label;
  GtkFlowBox        *coverage_box;
  GtkFlowBox        *demand_box;
  SmBarChart        *workers_chart;
  SmBarChart        *categories_chart;
  SmBarChart        *statuses_chart;
  SmBarChart        *levels_chart;
  AdwStatusPage     *error_page;
};

G_DEFINE_FINAL_TYPE (SmDashboardPage, sm_dashboard_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The cards: figure name, and the box it goes in (FALSE coverage, TRUE demands). */
static const struct {
  const char *name;
  gboolean    demands;
} figures[] = {
  { "knock-rate", FALSE },
  { "care-rate", FALSE },
  { "drop-ins", FALSE },
  { "visits", FALSE },
  { "demands", TRUE },
  { "response-median", TRUE },
  { "response-p90", TRUE },
  { "target-rate", TRUE },
  { "resolution-rate", TRUE },
  { "satisfaction-rate", TRUE },
  { "overdue", TRUE },
};

/* ---------------------------------------------------------------- formatting */

char *
sm_dashboard_format_percent (double share)
{
  if (isnan (share))
    /* Translators: a figure with no data to compute it from (e.g. no demand in the period) */
    return g_strdup (_("—"));

  /* Translators: a share in percent, e.g. "85.3%"; keep %.1f and %% */
  return g_strdup_printf (_("%.1f%%"), share * 100);
}

char *
sm_dashboard_format_minutes (double minutes)
{
  if (isnan (minutes))
    return g_strdup (_("—"));

  /* Translators: a duration in minutes, e.g. "3.5 min" */
  return g_strdup_printf (_("%.1f min"), minutes);
}

static const char *
enum_label (const char *table,
            const char *field,
            const char *value)
{
  return sm_field_get_enum_label (sm_table_lookup_field (sm_schema_lookup_table (table), field), value);
}

/* ---------------------------------------------------------------- periods */

static GDateTime *
local_midnight (const GDate *date)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (LOCAL_ZONE);

  return g_date_time_new (zone, g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date), 0, 0, 0);
}

static GDateTime *
month_start (GDateTime *time,
             int        months_back)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (LOCAL_ZONE);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (time, zone);
  g_autoptr(GDateTime) first = g_date_time_new (zone, g_date_time_get_year (local),
                                                g_date_time_get_month (local), 1, 0, 0, 0);
  g_autoptr(GDateTime) month = g_date_time_add_months (first, -months_back);
  g_autofree char *name = g_date_time_format (month, "%Y-%m");
  g_autofree char *start = NULL;

  /* The reports' month, so a month here and in an export are the same month. */
  if (!sm_report_month_bounds (name, &start, NULL, NULL))
    return g_steal_pointer (&month);

  return g_date_time_new_from_iso8601 (start, NULL);
}

/* The period chosen, as [from, to). */
static void
period_bounds (SmDashboardPage  *self,
               GDateTime        *now,
               GDateTime       **out_from,
               GDateTime       **out_to)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (LOCAL_ZONE);

  switch (self->period)
    {
    case SM_DASHBOARD_PERIOD_LAST_MONTH:
      *out_from = month_start (now, 1);
      *out_to = month_start (now, 0);
      break;

    case SM_DASHBOARD_PERIOD_LAST_30_DAYS:
      {
        /* Today and the 29 days before it. */
        g_autoptr(GDateTime) local = g_date_time_to_timezone (now, zone);
        g_autoptr(GDateTime) today = g_date_time_new (zone, g_date_time_get_year (local),
                                                      g_date_time_get_month (local),
                                                      g_date_time_get_day_of_month (local), 0, 0, 0);

        *out_to = g_date_time_add_days (today, 1);
        *out_from = g_date_time_add_days (*out_to, -30);
      }
      break;

    case SM_DASHBOARD_PERIOD_CUSTOM:
      if (g_date_valid (&self->custom_first) && g_date_valid (&self->custom_last))
        {
          g_autoptr(GDateTime) last = local_midnight (&self->custom_last);

          *out_from = local_midnight (&self->custom_first);
          *out_to = g_date_time_add_days (last, 1);
          break;
        }
      G_GNUC_FALLTHROUGH;

    case SM_DASHBOARD_PERIOD_THIS_MONTH:
    default:
      {
        g_autoptr(GDateTime) start = month_start (now, 0);

        *out_from = g_date_time_ref (start);
        *out_to = g_date_time_add_months (start, 1);
      }
      break;
    }
}

/* ---------------------------------------------------------------- the worker thread */

typedef struct {
  char               *grid_id;
  SmDashboardOptions  options;
} Job;

static void
job_free (Job *job)
{
  g_free (job->grid_id);
  g_clear_pointer (&job->options.from, g_date_time_unref);
  g_clear_pointer (&job->options.to, g_date_time_unref);
  g_clear_pointer (&job->options.now, g_date_time_unref);
  g_free (job);
}

typedef struct {
  SmDashboard *dashboard;
  gint64       compute_us;
} Outcome;

static void
outcome_free (Outcome *outcome)
{
  g_clear_pointer (&outcome->dashboard, sm_dashboard_free);
  g_free (outcome);
}

static void
compute_thread (GTask        *task,
                SmStore      *reader,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  Outcome *outcome;

  outcome = g_new0 (Outcome, 1);
  outcome->compute_us = g_get_monotonic_time ();
  outcome->dashboard = sm_dashboard_compute (reader, &job->options, &error);
  outcome->compute_us = g_get_monotonic_time () - outcome->compute_us;
  if (outcome->dashboard == NULL)
    {
      outcome_free (outcome);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, outcome, (GDestroyNotify) outcome_free);
}

/* ---------------------------------------------------------------- showing the figures */

static void
set_card (SmDashboardPage *self,
          const char      *name,
          const char      *value,
          const char      *title,
          const char      *detail)
{
  Card *card = g_hash_table_lookup (self->cards, name);
  g_autofree char *accessible = NULL;

  g_assert (card != NULL);

  gtk_label_set_text (card->value, value);
  gtk_label_set_text (card->title, title);
  gtk_label_set_text (card->detail, detail ? detail : "");
  gtk_widget_set_visible (GTK_WIDGET (card->detail), detail != NULL && *detail != '\0');

  /* Translators: a dashboard figure as a screen reader says it: its name, its value, then
   * what it is made of, e.g. "Resolution rate: 85.0%. 17 of 20 demands resolved" */
  accessible = g_strdup_printf (_("%s: %s. %s"), title, value, detail ? detail : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (card->child),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

static void
show_coverage (SmDashboardPage   *self,
               const SmDashboard *d,
               guint              knock_days,
               guint              care_days)
{
  g_autofree char *value = NULL;
  g_autofree char *title = NULL;
  g_autofree char *detail = NULL;

  value = sm_dashboard_format_percent (sm_dashboard_knock_rate (d));
  title = g_strdup_printf (ngettext ("New residents knocked within %u day of moving in",
                                     "New residents knocked within %u days of moving in",
                                     knock_days), knock_days);
  /* Translators: knocked, of new households that had to be; then those still in time */
  detail = g_strdup_printf (_("%u of %u households; %u still in time"), d->new_knocked,
                            d->new_households - d->new_pending, d->new_pending);
  set_card (self, "knock-rate", value, title, detail);
  g_clear_pointer (&value, g_free);
  g_clear_pointer (&title, g_free);
  g_clear_pointer (&detail, g_free);

  value = sm_dashboard_format_percent (sm_dashboard_care_rate (d));
  title = g_strdup_printf (ngettext ("Households in difficulty visited within %u day",
                                     "Households in difficulty visited within %u days",
                                     care_days), care_days);
  detail = g_strdup_printf (_("%u of %u households"), d->difficulty_visited, d->difficulty_households);
  set_card (self, "care-rate", value, title, detail);
  g_clear_pointer (&value, g_free);
  g_clear_pointer (&detail, g_free);

  value = isnan (sm_dashboard_drop_ins_per_household (d))
          ? g_strdup (_("—"))
          : g_strdup_printf ("%.2f", sm_dashboard_drop_ins_per_household (d));
  /* Translators: drop-ins (串门) in the period, households dropped in on, existing households */
  detail = g_strdup_printf (_("%u drop-ins at %u of %u households"), d->drop_ins,
                            d->existing_dropped_in, d->existing_households);
  set_card (self, "drop-ins", value, _("Drop-ins per existing household"), detail);
  g_clear_pointer (&value, g_free);
  g_clear_pointer (&detail, g_free);

  value = g_strdup_printf ("%u", d->visits);
  detail = g_strdup_printf ("%s %u · %s %u · %s %u",
                            enum_label ("visit", "kind", "knock"), d->visits_by_kind[SM_DASHBOARD_KNOCK],
                            enum_label ("visit", "kind", "drop_in"), d->visits_by_kind[SM_DASHBOARD_DROP_IN],
                            enum_label ("visit", "kind", "care"), d->visits_by_kind[SM_DASHBOARD_CARE]);
  set_card (self, "visits", value, _("Visits"), detail);
}

static void
show_demands (SmDashboardPage   *self,
              const SmDashboard *d,
              guint              target_minutes)
{
  g_autofree char *value = NULL;
  g_autofree char *title = NULL;
  g_autofree char *detail = NULL;

  value = g_strdup_printf ("%u", d->demands);
  detail = g_strdup_printf (_("%u responded, %u resolved"), d->responded, d->resolved);
  set_card (self, "demands", value, _("Demands reported"), detail);
  g_clear_pointer (&value, g_free);
  g_clear_pointer (&detail, g_free);

  value = sm_dashboard_format_minutes (d->median_response_minutes);
  detail = g_strdup_printf (ngettext ("From report to first response; the target is %u minute",
                                      "From report to first response; the target is %u minutes",
                                      target_minutes),
                            target_minutes);
  set_card (self, "response-median", value, _("Median response time"), detail);
  g_clear_pointer (&value, g_free);

  value = sm_dashboard_format_minutes (d->p90_response_minutes);
  set_card (self, "response-p90", value, _("90th percentile response time"), detail);
  g_clear_pointer (&value, g_free);
  g_clear_pointer (&detail, g_free);

  value = sm_dashboard_format_percent (sm_dashboard_target_rate (d));
  /* Translators: demands answered in time, of all demands reported; those never answered count as late */
  detail = g_strdup_printf (_("%u of %u demands"), d->within_target, d->demands);
  title = g_strdup_printf (ngettext ("Responded within %u minute", "Responded within %u minutes",
                                     target_minutes), target_minutes);
  set_card (self, "target-rate", value, title, detail);
  g_clear_pointer (&value, g_free);
  g_clear_pointer (&detail, g_free);

  value = sm_dashboard_format_percent (sm_dashboard_resolution_rate (d));
  detail = g_strdup_printf (_("%u of %u demands resolved"), d->resolved, d->demands);
  set_card (self, "resolution-rate", value, _("Resolution rate"), detail);
  g_clear_pointer (&value, g_free);
  g_clear_pointer (&detail, g_free);

  value = sm_dashboard_format_percent (sm_dashboard_satisfaction_rate (d));
  /* Translators: 满意 and 基本满意 counts, of the demands evaluated (评价) */
  detail = g_strdup_printf (_("%u satisfied and %u basically satisfied of %u evaluated"),
                            d->satisfied, d->basic, d->evaluated);
  /* Translators: 满意率 */
  set_card (self, "satisfaction-rate", value, _("Satisfaction rate"), detail);
  g_clear_pointer (&value, g_free);
  g_clear_pointer (&detail, g_free);

  value = g_strdup_printf ("%u", d->overdue);
  /* Translators: of the overdue demands, those the office already supervises (督办) */
  detail = g_strdup_printf (_("%u already under supervision"), d->overdue_supervising);
  /* Translators: demands past their due time, not resolved: they await 督办 */
  set_card (self, "overdue", value, _("Overdue, awaiting supervision"), detail);
}

static void
show_charts (SmDashboardPage   *self,
             const SmDashboard *d)
{
  sm_bar_chart_clear (self->workers_chart);
  for (guint i = 0; i < d->workers->len; i++)
    {
      SmDashboardCount *count = g_ptr_array_index (d->workers, i);
      g_autofree char *text = g_strdup_printf ("%u", count->count);

      sm_bar_chart_append (self->workers_chart, *count->key ? count->key : _("Unknown"),
                           count->count, text);
    }

  sm_bar_chart_clear (self->categories_chart);
  for (guint i = 0; i < d->categories->len; i++)
    {
      SmDashboardCount *count = g_ptr_array_index (d->categories, i);
      g_autofree char *text = g_strdup_printf ("%u", count->count);

      sm_bar_chart_append (self->categories_chart, *count->key ? count->key : _("Unknown"),
                           count->count, text);
    }

  sm_bar_chart_clear (self->statuses_chart);
  if (d->demands > 0)
    for (guint s = 0; s < SM_DASHBOARD_N_STATUSES; s++)
      {
        g_autofree char *text = g_strdup_printf ("%u", d->by_status[s]);

        sm_bar_chart_append (self->statuses_chart,
                             enum_label ("demand", "status", sm_dashboard_status_name (s)),
                             d->by_status[s], text);
      }

  sm_bar_chart_clear (self->levels_chart);
  sm_bar_chart_set_scale_max (self->levels_chart, 1);
  if (d->resolved > 0)
    {
      for (guint l = 0; l < SM_DASHBOARD_LEVEL_UNSET; l++)
        {
          double share = sm_dashboard_level_share (d, l);
          g_autofree char *percent = sm_dashboard_format_percent (share);
          /* Translators: a share and the count it is made of, e.g. "45.0% (9)" */
          g_autofree char *text = g_strdup_printf (_("%s (%u)"), percent, d->by_level[l]);

          sm_bar_chart_append (self->levels_chart,
                               enum_label ("demand", "level", sm_dashboard_level_name (l)),
                               isnan (share) ? 0 : share, text);
        }
      if (d->by_level[SM_DASHBOARD_LEVEL_UNSET] > 0)
        {
          g_autofree char *text = g_strdup_printf ("%u", d->by_level[SM_DASHBOARD_LEVEL_UNSET]);

          sm_bar_chart_append (self->levels_chart, _("Level not recorded"), 0, text);
        }
    }
}

static void
show_dashboard (SmDashboardPage   *self,
                const SmDashboardOptions *options)
{
  const SmDashboard *d = self->dashboard;
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (LOCAL_ZONE);
  g_autoptr(GDateTime) first = g_date_time_to_timezone (options->from, zone);
  g_autoptr(GDateTime) end = g_date_time_to_timezone (options->to, zone);
  g_autoptr(GDateTime) last = g_date_time_add_seconds (end, -1);
  g_autofree char *first_text = g_date_time_format (first, "%Y-%m-%d");
  g_autofree char *last_text = g_date_time_format (last, "%Y-%m-%d");
  g_autofree char *label = NULL;
  guint grid = gtk_drop_down_get_selected (self->grid_dropdown);
  const char *grid_name = grid != GTK_INVALID_LIST_POSITION
                          ? gtk_string_list_get_string (self->grid_names, grid) : NULL;

  /* Translators: the period shown (first and last day), then the grid or "All grids" */
  label = g_strdup_printf (_("%s to %s · %s"), first_text, last_text,
                           grid_name ? grid_name : _("All grids"));
  gtk_label_set_text (self->period_label, label);

  show_coverage (self, d, options->knock_days, options->care_days);
  show_demands (self, d, options->response_target_seconds / 60);
  show_charts (self, d);
  gtk_stack_set_visible_child_name (self->state_stack, "figures");
}

static void
set_busy (SmDashboardPage *self,
          gboolean         busy)
{
  if (self->busy == busy)
    return;

  self->busy = busy;
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void start_job (SmDashboardPage *self);

static void
compute_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SmDashboardPage *self = SM_DASHBOARD_PAGE (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  Outcome *outcome = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_cancellable_is_cancelled (self->cancellable))
    {
      g_clear_pointer (&outcome, outcome_free);
      return;
    }

  if (outcome != NULL && self->reader == NULL)
    self->reader = g_object_ref (sm_replica_task_get_replica (G_TASK (result)));

  if (self->pending)
    {
      g_clear_pointer (&outcome, outcome_free);
      self->busy = FALSE;
      start_job (self);
      return;
    }

  if (outcome == NULL)
    {
      g_autofree char *description = NULL;

      /* Translators: %s says why, from the database */
      description = g_strdup_printf (_("%s. Check that the disk is not full, then try again."),
                                     error->message);
      adw_status_page_set_description (self->error_page, description);
      gtk_stack_set_visible_child_name (self->state_stack, "error");
      g_warning ("Cannot compute the dashboard: %s", error->message);
    }
  else
    {
      gint64 start = g_get_monotonic_time ();

      g_clear_pointer (&self->dashboard, sm_dashboard_free);
      self->dashboard = g_steal_pointer (&outcome->dashboard);
      show_dashboard (self, &job->options);
      g_debug ("dashboard: figures computed in %.1f ms (worker thread), set in %.1f ms",
               outcome->compute_us / 1000.0, (g_get_monotonic_time () - start) / 1000.0);
      outcome_free (outcome);
    }

  set_busy (self, FALSE);
}

static void
start_job (SmDashboardPage *self)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_assert (SM_IS_DASHBOARD_PAGE (self));

  /* One at a time: the reader connection is used by one thread at a time. */
  if (self->busy)
    {
      self->pending = TRUE;
      return;
    }
  self->pending = FALSE;

  job = g_new0 (Job, 1);
  job->grid_id = g_strdup (self->grid_id);
  sm_dashboard_options_init (&job->options);
  job->options.grid_id = job->grid_id;
  job->options.now = self->now ? g_date_time_ref (self->now) : g_date_time_new_now_utc ();
  /* The office's windows and target (Preferences), as the Today page and the demand
   * pages use them. */
  if (self->settings != NULL)
    {
      job->options.knock_days = g_settings_get_uint (self->settings, "new-resident-knock-days");
      job->options.care_days = g_settings_get_uint (self->settings, "difficulty-visit-days");
    }
  job->options.response_target_seconds = sm_settings_get_response_target () * 60;
  period_bounds (self, job->options.now, &job->options.from, &job->options.to);

  set_busy (self, TRUE);

  task = sm_replica_task_new (self, self->store, self->cancellable, compute_done_cb, NULL);
  sm_replica_task_set_replica (task, self->reader);
  g_task_set_source_tag (task, start_job);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  sm_replica_task_run (task, compute_thread);
}

/* ---------------------------------------------------------------- choosers */

static void
fill_grids (SmDashboardPage *self)
{
  g_autoptr(GPtrArray) grids = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  guint selected = 0;

  g_assert (SM_IS_DASHBOARD_PAGE (self));

  if (!(grids = sm_store_list_grids (self->store, &error)))
    g_warning ("Cannot list the grids: %s", error->message);

  g_ptr_array_set_size (self->grid_ids, 0);
  g_ptr_array_add (names, g_strdup (_("All grids")));
  for (guint i = 0; grids != NULL && i < grids->len; i++)
    {
      SmRecord *grid = g_ptr_array_index (grids, i);
      const char *name = sm_record_get_string (grid, "name");

      g_ptr_array_add (self->grid_ids, g_strdup (sm_record_get_id (grid)));
      g_ptr_array_add (names, g_strdup (name ? name : sm_record_get_id (grid)));
      if (g_strcmp0 (self->grid_id, sm_record_get_id (grid)) == 0)
        selected = i + 1;
    }
  g_ptr_array_add (names, NULL);

  self->filling_grids = TRUE;
  gtk_string_list_splice (self->grid_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->grid_names)),
                          (const char * const *) names->pdata);
  gtk_drop_down_set_selected (self->grid_dropdown, selected);
  self->filling_grids = FALSE;

  /* A grid no longer in the replica: back to all of them. */
  if (selected == 0)
    g_clear_pointer (&self->grid_id, g_free);
}

static void
period_selected_cb (SmDashboardPage *self,
                    GParamSpec      *pspec,
                    GtkDropDown     *dropdown)
{
  SmDashboardPeriod period = (SmDashboardPeriod) gtk_drop_down_get_selected (dropdown);

  /* Set from sm_dashboard_page_set_period(), which computes already. */
  if (period == self->period)
    return;

  gtk_revealer_set_reveal_child (self->custom_revealer, period == SM_DASHBOARD_PERIOD_CUSTOM);
  if (period == SM_DASHBOARD_PERIOD_CUSTOM)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->from_entry));
      /* Nothing to show until the dates are in. */
      if (!g_date_valid (&self->custom_first))
        {
          self->period = period;
          return;
        }
    }

  sm_dashboard_page_set_period (self, period);
}

static void
grid_selected_cb (SmDashboardPage *self,
                  GParamSpec      *pspec,
                  GtkDropDown     *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (self->filling_grids || selected == GTK_INVALID_LIST_POSITION)
    return;

  sm_dashboard_page_set_grid_id (self, selected == 0 ? NULL : g_ptr_array_index (self->grid_ids, selected - 1));
}

static gboolean
parse_date (const char *text,
            GDate      *date)
{
  int year, month, day;
  char end;

  g_date_clear (date, 1);
  if (text == NULL || sscanf (text, "%d-%d-%d%c", &year, &month, &day, &end) != 3)
    return FALSE;
  if (!g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year) || year < 1900)
    return FALSE;

  g_date_set_dmy (date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return TRUE;
}

static void
custom_apply_cb (SmDashboardPage *self)
{
  GDate first, last;
  const char *message = NULL;

  if (!parse_date (gtk_editable_get_text (GTK_EDITABLE (self->from_entry)), &first))
    message = _("The first day is not a date of the form 2026-11-01.");
  else if (!parse_date (gtk_editable_get_text (GTK_EDITABLE (self->to_entry)), &last))
    message = _("The last day is not a date of the form 2026-11-30.");
  else if (g_date_compare (&first, &last) > 0)
    message = _("The last day is before the first day: swap them.");

  gtk_label_set_text (self->custom_error, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->custom_error), message != NULL);
  if (message != NULL)
    return;

  sm_dashboard_page_set_custom_period (self, &first, &last);
}

static void
settings_changed_cb (SmDashboardPage *self,
                     const char      *key,
                     GSettings       *settings)
{
  if (g_strcmp0 (key, "new-resident-knock-days") != 0 && g_strcmp0 (key, "difficulty-visit-days") != 0
      && g_strcmp0 (key, "response-target-minutes") != 0)
    return;

  /* Shown, at once; otherwise when next shown (the window reloads it then). */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    start_job (self);
}

static void
retry_clicked_cb (SmDashboardPage *self)
{
  sm_dashboard_page_reload (self);
}

/* ---------------------------------------------------------------- cards */

static void
card_free (Card *card)
{
  g_free (card);
}

static void
add_cards (SmDashboardPage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    {
      Card *card = g_new0 (Card, 1);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

      gtk_widget_add_css_class (box, "card");
      gtk_widget_add_css_class (box, "dashboard-figure");

      card->value = GTK_LABEL (gtk_label_new (NULL));
      gtk_label_set_xalign (card->value, 0);
      gtk_widget_add_css_class (GTK_WIDGET (card->value), "title-2");
      gtk_widget_add_css_class (GTK_WIDGET (card->value), "numeric");
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (card->value));

      card->title = GTK_LABEL (gtk_label_new (NULL));
      gtk_label_set_xalign (card->title, 0);
      gtk_label_set_wrap (card->title, TRUE);
      /* A modest natural width, so the cards go four a line on a wide window. */
      gtk_label_set_max_width_chars (card->title, 18);
      gtk_label_set_width_chars (card->title, 12);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (card->title));

      card->detail = GTK_LABEL (gtk_label_new (NULL));
      gtk_label_set_xalign (card->detail, 0);
      gtk_label_set_wrap (card->detail, TRUE);
      gtk_label_set_max_width_chars (card->detail, 18);
      gtk_label_set_width_chars (card->detail, 12);
      gtk_widget_add_css_class (GTK_WIDGET (card->detail), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (card->detail), "caption");
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (card->detail));

      gtk_flow_box_append (figures[i].demands ? self->demand_box : self->coverage_box, box);
      card->child = gtk_widget_get_parent (box);
      g_hash_table_insert (self->cards, (gpointer) figures[i].name, card);
    }
}

/* ---------------------------------------------------------------- GObject */

static void
sm_dashboard_page_constructed (GObject *object)
{
  SmDashboardPage *self = SM_DASHBOARD_PAGE (object);

  G_OBJECT_CLASS (sm_dashboard_page_parent_class)->constructed (object);

  g_assert (SM_IS_STORE (self->store));

  fill_grids (self);
}

/* The first figures are computed when the page is first shown, not when the window is
 * built: an office that never opens the dashboard pays nothing for it at startup. */
static void
sm_dashboard_page_map (GtkWidget *widget)
{
  SmDashboardPage *self = SM_DASHBOARD_PAGE (widget);

  GTK_WIDGET_CLASS (sm_dashboard_page_parent_class)->map (widget);

  /* Figures of when it is shown: syncs and edits may have changed them since. */
  if (!self->busy)
    sm_dashboard_page_reload (self);
}

static void
sm_dashboard_page_dispose (GObject *object)
{
  SmDashboardPage *self = SM_DASHBOARD_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_DASHBOARD_PAGE);
  /* The template's top box has no id, so dispose_template() leaves it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sm_dashboard_page_parent_class)->dispose (object);
}

static void
sm_dashboard_page_finalize (GObject *object)
{
  SmDashboardPage *self = SM_DASHBOARD_PAGE (object);

  g_clear_object (&self->reader);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->dashboard, sm_dashboard_free);
  g_clear_pointer (&self->grid_ids, g_ptr_array_unref);
  g_clear_pointer (&self->now, g_date_time_unref);
  g_clear_pointer (&self->cards, g_hash_table_unref);
  g_free (self->grid_id);

  G_OBJECT_CLASS (sm_dashboard_page_parent_class)->finalize (object);
}

static void
sm_dashboard_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SmDashboardPage *self = SM_DASHBOARD_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_dashboard_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SmDashboardPage *self = SM_DASHBOARD_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_dashboard_page_class_init (SmDashboardPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sm_dashboard_page_constructed;
  object_class->dispose = sm_dashboard_page_dispose;
  object_class->finalize = sm_dashboard_page_finalize;
  object_class->get_property = sm_dashboard_page_get_property;
  object_class->set_property = sm_dashboard_page_set_property;

  widget_class->map = sm_dashboard_page_map;

  /**
   * SmDashboardPage:store:
   *
   * The replica the figures are computed from (through a connection of the page's own).
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * SmDashboardPage:busy:
   *
   * Whether figures are being computed.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SM_TYPE_BAR_CHART);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/sanmen/Sanmen/sm-dashboard-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SmDashboardPage, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardPage, grid_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardPage, grid_names);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardPage, custom_revealer);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardPage, from_entry);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardPage, to_entry);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardPage, custom_error);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardPage, state_stack);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardPage, period_label);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardPage, coverage_box);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardPage, demand_box);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardPage, workers_chart);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardPage, categories_chart);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardPage, statuses_chart);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardPage, levels_chart);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardPage, error_page);
  gtk_widget_class_bind_template_callback (widget_class, period_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, grid_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, custom_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
}

static void
sm_dashboard_page_init (SmDashboardPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->grid_ids = g_ptr_array_new_with_free_func (g_free);
  self->cards = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) card_free);
  g_date_clear (&self->custom_first, 1);
  g_date_clear (&self->custom_last, 1);
  if ((self->settings = sm_settings_new ()) != NULL)
    g_signal_connect_swapped (self->settings, "changed", G_CALLBACK (settings_changed_cb), self);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  add_cards (self);
}

/* ---------------------------------------------------------------- public API */

GtkWidget *
sm_dashboard_page_new (SmStore *store)
{
  g_return_val_if_fail (SM_IS_STORE (store), NULL);

  return g_object_new (SM_TYPE_DASHBOARD_PAGE, "store", store, NULL);
}

void
sm_dashboard_page_reload (SmDashboardPage *self)
{
  g_return_if_fail (SM_IS_DASHBOARD_PAGE (self));

  /* A sync may have brought grids. */
  fill_grids (self);
  start_job (self);
}

gboolean
sm_dashboard_page_get_busy (SmDashboardPage *self)
{
  g_return_val_if_fail (SM_IS_DASHBOARD_PAGE (self), FALSE);

  return self->busy;
}

void
sm_dashboard_page_set_period (SmDashboardPage   *self,
                              SmDashboardPeriod  period)
{
  g_return_if_fail (SM_IS_DASHBOARD_PAGE (self));
  g_return_if_fail (period <= SM_DASHBOARD_PERIOD_CUSTOM);

  self->period = period;
  if (gtk_drop_down_get_selected (self->period_dropdown) != (guint) period)
    gtk_drop_down_set_selected (self->period_dropdown, period);
  start_job (self);
}

void
sm_dashboard_page_set_custom_period (SmDashboardPage *self,
                                     const GDate     *first,
                                     const GDate     *last)
{
  char text[16];

  g_return_if_fail (SM_IS_DASHBOARD_PAGE (self));
  g_return_if_fail (first != NULL && g_date_valid (first));
  g_return_if_fail (last != NULL && g_date_valid (last));

  self->custom_first = *first;
  self->custom_last = *last;

  g_date_strftime (text, sizeof text, "%Y-%m-%d", first);
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->from_entry)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->from_entry), text);
  g_date_strftime (text, sizeof text, "%Y-%m-%d", last);
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->to_entry)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->to_entry), text);

  sm_dashboard_page_set_period (self, SM_DASHBOARD_PERIOD_CUSTOM);
}

void
sm_dashboard_page_set_grid_id (SmDashboardPage *self,
                               const char      *grid_id)
{
  g_return_if_fail (SM_IS_DASHBOARD_PAGE (self));

  if (g_strcmp0 (self->grid_id, grid_id) == 0)
    return;

  g_free (self->grid_id);
  self->grid_id = g_strdup (grid_id);

  self->filling_grids = TRUE;
  if (grid_id == NULL)
    gtk_drop_down_set_selected (self->grid_dropdown, 0);
  for (guint i = 0; grid_id != NULL && i < self->grid_ids->len; i++)
    if (g_str_equal (g_ptr_array_index (self->grid_ids, i), grid_id))
      gtk_drop_down_set_selected (self->grid_dropdown, i + 1);
  self->filling_grids = FALSE;

  start_job (self);
}

void
sm_dashboard_page_set_now (SmDashboardPage *self,
                           GDateTime       *now)
{
  g_return_if_fail (SM_IS_DASHBOARD_PAGE (self));

  g_clear_pointer (&self->now, g_date_time_unref);
  self->now = now ? g_date_time_ref (now) : NULL;
  start_job (self);
}

const SmDashboard *
sm_dashboard_page_get_dashboard (SmDashboardPage *self)
{
  g_return_val_if_fail (SM_IS_DASHBOARD_PAGE (self), NULL);

  return self->dashboard;
}

const char *
sm_dashboard_page_get_figure_text (SmDashboardPage *self,
                                   const char      *name)
{
  Card *card;

  g_return_val_if_fail (SM_IS_DASHBOARD_PAGE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (!(card = g_hash_table_lookup (self->cards, name)))
    return NULL;

  return gtk_label_get_text (card->value);
}

SmBarChart *
sm_dashboard_page_get_chart (SmDashboardPage *self,
                             const char      *name)
{
  g_return_val_if_fail (SM_IS_DASHBOARD_PAGE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (g_str_equal (name, "workers"))
    return self->workers_chart;
  if (g_str_equal (name, "categories"))
    return self->categories_chart;
  if (g_str_equal (name, "statuses"))
    return self->statuses_chart;
  if (g_str_equal (name, "levels"))
    return self->levels_chart;

  return NULL;
}
