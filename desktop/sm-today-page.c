/* sm-today-page.c — Today (今日): what needs doing now
 *
 * Four sections, each read from the store with one query that also counts (see the Today
 * lists of sm-store.h), most urgent first: households in difficulty nobody met on a visit
 * within `difficulty-visit-days` (上门), new residents not knocked on within
 * `new-resident-knock-days` of moving in (敲门), follow-ups whose day has come, and demands
 * nobody has answered, with how long they have waited against `response-target-minutes`
 * (shown first: their target is minutes, the others' days).
 * Only the first SM_TODAY_PAGE_STEP items of a section are read and shown; "Show More"
 * reads more. With 100,000 households in the replica a refresh stays near a tenth of a
 * second (figures in the report of tests/test-desktop-today.c).
 *
 * The page reads the store again when it changes (a visit recorded here or merged from the
 * server), when the settings change and when the day changes; while it is hidden it only
 * notes that it must, and reads when shown again. Refreshes are put off a little and at
 * most one is pending, so a sync applying many pages costs a few reads, not one per page.
 * While shown, a timer makes the demands' waiting times tick every second: 5 minutes go fast.
 *
 * Activating an item does not navigate: the page emits household-activated or
 * demand-activated, and the window decides.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-today-page.h"

#include <glib/gi18n.h>

/* The shortest wait before a refresh; a slow store waits longer (four times its last
 * refresh), so that refreshing never takes most of the main loop's time. */
#define REFRESH_DELAY_MS 250

struct _SmTodayPage
{
  GtkWidget         parent_instance;

  SmStore          *store;
  GSettings        *settings;
  GListStore       *items[SM_TODAY_N_KINDS];  /* of SmTodayItem */
  guint             limits[SM_TODAY_N_KINDS];
  SmStoreClockFunc  clock_func;
  gpointer          clock_data;

  guint             refresh_source;
  guint             tick_source;
  gboolean          stale;
  gint64            last_refresh_us;  /* how long the last refresh took */
  guint32           refreshed_day;    /* the local Julian day of the last refresh */
  char             *subtitle;

  GtkLabel         *error_label;
  SmTodaySection   *care_section;
  SmTodaySection   *knock_section;
  SmTodaySection   *follow_up_section;
  SmTodaySection   *demand_section;
};

G_DEFINE_FINAL_TYPE (SmTodayPage, sm_today_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SETTINGS,
  PROP_SUBTITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  HOUSEHOLD_ACTIVATED,
  DEMAND_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The keys the page reads, with the schema's defaults for a build whose schema is not
 * installed (an uninstalled client, a test without GSETTINGS_SCHEMA_DIR). */
static const struct {
  const char *key;
  guint       fallback;
} setting_keys[] = {
  { "difficulty-visit-days", 30 },
  { "new-resident-knock-days", 7 },
  { "response-target-minutes", 5 },
};

static void queue_refresh (SmTodayPage *self);

static SmTodaySection *
section (SmTodayPage *self,
         SmTodayKind  kind)
{
  switch (kind)
    {
    case SM_TODAY_KIND_CARE:
      return self->care_section;
    case SM_TODAY_KIND_KNOCK:
      return self->knock_section;
    case SM_TODAY_KIND_FOLLOW_UP:
      return self->follow_up_section;
    case SM_TODAY_KIND_DEMAND:
    default:
      return self->demand_section;
    }
}

static GDateTime *
dup_now (SmTodayPage *self)
{
  gint64 ms = self->clock_func != NULL ? (gint64) self->clock_func (self->clock_data)
                                       : g_get_real_time () / 1000;

  return g_date_time_new_from_unix_utc (ms / 1000);
}

static guint32
local_julian_day (GDateTime *now)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (now);
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));

  return g_date_get_julian (&date);
}

static void
set_subtitle (SmTodayPage *self,
              GDateTime   *now)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (now);
  /* Translators: the date on the Today page's header bar; see g_date_time_format().
   * %A is the weekday, %x the date in the locale's format; reorder as fits. */
  /* xgettext:no-c-format */
  g_autofree char *subtitle = g_date_time_format (local, _("%A %x"));

  if (g_strcmp0 (self->subtitle, subtitle) == 0)
    return;

  g_free (self->subtitle);
  self->subtitle = g_steal_pointer (&subtitle);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBTITLE]);
}

static void
update_descriptions (SmTodayPage *self,
                     guint        care_days,
                     guint        knock_days,
                     guint        target_minutes)
{
  g_autofree char *care = NULL;
  g_autofree char *knock = NULL;
  g_autofree char *demand = NULL;

  /* Translators: under the heading of households in difficulty to visit (上门) */
  care = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Nobody met on a visit in the last %u day",
                                       "Nobody met on a visit in the last %u days", care_days),
                          care_days);
  /* Translators: under the heading of new residents to knock on (敲门) */
  knock = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "No knock on the door within %u day of moving in",
                                        "No knock on the door within %u days of moving in", knock_days),
                           knock_days);
  /* Translators: under the heading of demands awaiting a response */
  demand = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Nobody has answered yet; the target is a response within %u minute",
                                         "Nobody has answered yet; the target is a response within %u minutes",
                                         target_minutes),
                            target_minutes);

  sm_today_section_set_description (self->care_section, care);
  sm_today_section_set_description (self->knock_section, knock);
  sm_today_section_set_description (self->demand_section, demand);
}

/* The household a visit or demand belongs to, or NULL when there is none or it is not in
 * this replica (yet: sync may bring a child before its parent). */
static SmRecord *
lookup_household (SmTodayPage  *self,
                  SmRecord     *record,
                  GError      **error)
{
  const char *id = sm_record_get_string (record, "household_id");
  g_autoptr(GError) local_error = NULL;
  SmRecord *household;

  if (id == NULL)
    return NULL;

  if (!(household = sm_store_get (self->store, "household", id, &local_error)))
    {
      if (!g_error_matches (local_error, SM_STORE_ERROR, SM_STORE_ERROR_NOT_FOUND))
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (sm_record_is_deleted (household))
    g_clear_object (&household);

  return household;
}

/* Reads one section's records and makes its items; FALSE on a store error. */
static gboolean
read_section (SmTodayPage  *self,
              SmTodayKind   kind,
              GDateTime    *now,
              GPtrArray    *out_items,
              guint        *out_total,
              GError      **error)
{
  guint limit = self->limits[kind];
  g_autoptr(GPtrArray) records = NULL;

  switch (kind)
    {
    case SM_TODAY_KIND_CARE:
      records = sm_store_list_difficulty_unvisited (self->store, NULL,
                                                    sm_today_page_get_setting (self, "difficulty-visit-days"),
                                                    now, limit, out_total, error);
      break;
    case SM_TODAY_KIND_KNOCK:
      records = sm_store_list_new_not_knocked (self->store, NULL,
                                               sm_today_page_get_setting (self, "new-resident-knock-days"),
                                               now, limit, out_total, error);
      break;
    case SM_TODAY_KIND_FOLLOW_UP:
      records = sm_store_list_follow_ups_due (self->store, NULL, now, limit, out_total, error);
      break;
    case SM_TODAY_KIND_DEMAND:
    default:
      records = sm_store_list_demands_awaiting_response (self->store, NULL, limit, out_total, error);
      break;
    }

  if (records == NULL)
    return FALSE;

  for (guint i = 0; i < records->len; i++)
    {
      SmRecord *record = g_ptr_array_index (records, i);
      g_autoptr(SmRecord) household = NULL;
      g_autofree char *last_visit_at = NULL;

      switch (kind)
        {
        case SM_TODAY_KIND_CARE:
          household = g_object_ref (record);
          if (!(last_visit_at = sm_store_dup_last_met_visit_at (self->store, sm_record_get_id (record), error))
              && error != NULL && *error != NULL)
            return FALSE;
          break;
        case SM_TODAY_KIND_KNOCK:
          household = g_object_ref (record);
          break;
        case SM_TODAY_KIND_FOLLOW_UP:
        case SM_TODAY_KIND_DEMAND:
        default:
          household = lookup_household (self, record, error);
          if (error != NULL && *error != NULL)
            return FALSE;
          break;
        }

      g_ptr_array_add (out_items, sm_today_item_new (kind, record, household, last_visit_at));
    }

  return TRUE;
}

static gboolean
refresh_cb (gpointer user_data)
{
  SmTodayPage *self = user_data;

  self->refresh_source = 0;
  sm_today_page_refresh (self);

  return G_SOURCE_REMOVE;
}

static void
queue_refresh (SmTodayPage *self)
{
  guint delay;

  g_assert (SM_IS_TODAY_PAGE (self));

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      return;
    }

  if (self->refresh_source != 0)
    return;

  delay = (guint) MAX (REFRESH_DELAY_MS, 4 * self->last_refresh_us / 1000);
  self->refresh_source = g_timeout_add (delay, refresh_cb, self);
  g_source_set_name_by_id (self->refresh_source, "[sanmen] today refresh");
}

static gboolean
tick_cb (gpointer user_data)
{
  SmTodayPage *self = user_data;
  g_autoptr(GDateTime) now = dup_now (self);

  /* At midnight every "days since" moves and new follow-ups fall due. */
  if (local_julian_day (now) != self->refreshed_day)
    sm_today_page_refresh (self);
  else
    sm_today_section_set_now (self->demand_section, now,
                              sm_today_page_get_setting (self, "response-target-minutes"));

  return G_SOURCE_CONTINUE;
}

static void
store_changed_cb (SmTodayPage *self,
                  SmStore     *store)
{
  queue_refresh (self);
}

static void
settings_changed_cb (SmTodayPage *self,
                     const char  *key,
                     GSettings   *settings)
{
  for (guint i = 0; i < G_N_ELEMENTS (setting_keys); i++)
    if (g_strcmp0 (key, setting_keys[i].key) == 0)
      {
        queue_refresh (self);
        return;
      }
}

static void
item_activated_cb (SmTodayPage    *self,
                   SmTodayItem    *item,
                   SmTodaySection *from)
{
  const char *household_id;

  if (sm_today_item_get_kind (item) == SM_TODAY_KIND_DEMAND)
    {
      g_signal_emit (self, signals[DEMAND_ACTIVATED], 0, sm_today_item_get_record (item));
      return;
    }

  if ((household_id = sm_today_item_get_household_id (item)) != NULL)
    g_signal_emit (self, signals[HOUSEHOLD_ACTIVATED], 0, household_id);
}

static void
show_more_cb (SmTodayPage    *self,
              SmTodaySection *from)
{
  for (guint kind = 0; kind < SM_TODAY_N_KINDS; kind++)
    if (section (self, kind) == from)
      sm_today_page_show_more (self, kind);
}

static void
sm_today_page_map (GtkWidget *widget)
{
  SmTodayPage *self = SM_TODAY_PAGE (widget);

  GTK_WIDGET_CLASS (sm_today_page_parent_class)->map (widget);

  if (self->stale)
    sm_today_page_refresh (self);

  if (self->tick_source == 0)
    {
      self->tick_source = g_timeout_add_seconds (1, tick_cb, self);
      g_source_set_name_by_id (self->tick_source, "[sanmen] today tick");
    }
}

static void
sm_today_page_unmap (GtkWidget *widget)
{
  SmTodayPage *self = SM_TODAY_PAGE (widget);

  g_clear_handle_id (&self->tick_source, g_source_remove);
  if (self->refresh_source != 0)
    {
      g_clear_handle_id (&self->refresh_source, g_source_remove);
      self->stale = TRUE;
    }

  GTK_WIDGET_CLASS (sm_today_page_parent_class)->unmap (widget);
}

static void
sm_today_page_constructed (GObject *object)
{
  SmTodayPage *self = SM_TODAY_PAGE (object);

  G_OBJECT_CLASS (sm_today_page_parent_class)->constructed (object);

  g_assert (SM_IS_STORE (self->store));

  g_signal_connect_object (self->store, "changed", G_CALLBACK (store_changed_cb), self,
                           G_CONNECT_SWAPPED);
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed", G_CALLBACK (settings_changed_cb), self,
                             G_CONNECT_SWAPPED);

  /* The first page of the window: read now, so that its first frame shows the lists. */
  sm_today_page_refresh (self);
}

static void
sm_today_page_dispose (GObject *object)
{
  SmTodayPage *self = SM_TODAY_PAGE (object);
  GtkWidget *child;

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_TODAY_PAGE);
  /* Children without an id are not template children: unparent what is left. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  for (guint kind = 0; kind < SM_TODAY_N_KINDS; kind++)
    g_clear_object (&self->items[kind]);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sm_today_page_parent_class)->dispose (object);
}

static void
sm_today_page_finalize (GObject *object)
{
  SmTodayPage *self = SM_TODAY_PAGE (object);

  g_free (self->subtitle);

  G_OBJECT_CLASS (sm_today_page_parent_class)->finalize (object);
}

static void
sm_today_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SmTodayPage *self = SM_TODAY_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_SUBTITLE:
      g_value_set_string (value, self->subtitle);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_today_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SmTodayPage *self = SM_TODAY_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_today_page_class_init (SmTodayPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sm_today_page_constructed;
  object_class->dispose = sm_today_page_dispose;
  object_class->finalize = sm_today_page_finalize;
  object_class->get_property = sm_today_page_get_property;
  object_class->set_property = sm_today_page_set_property;
  widget_class->map = sm_today_page_map;
  widget_class->unmap = sm_today_page_unmap;

  /**
   * SmTodayPage:store:
   *
   * The replica the lists are read from.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SmTodayPage:settings:
   *
   * The org.sanmen.Sanmen settings with the intervals; NULL for the defaults.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SmTodayPage:subtitle:
   *
   * Today's date in words, for a header bar.
   */
  properties[PROP_SUBTITLE] =
    g_param_spec_string ("subtitle", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SmTodayPage::household-activated:
   * @self: the page
   * @household_id: the household of the item activated
   *
   * A household in difficulty, a new resident's household or a follow-up was activated.
   */
  signals[HOUSEHOLD_ACTIVATED] =
    g_signal_new ("household-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * SmTodayPage::demand-activated:
   * @self: the page
   * @demand: the demand's SmRecord
   *
   * A demand awaiting a response was activated.
   */
  signals[DEMAND_ACTIVATED] =
    g_signal_new ("demand-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, SM_TYPE_RECORD);

  g_type_ensure (SM_TYPE_TODAY_SECTION);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/sanmen/Sanmen/sm-today-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SmTodayPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, SmTodayPage, care_section);
  gtk_widget_class_bind_template_child (widget_class, SmTodayPage, knock_section);
  gtk_widget_class_bind_template_child (widget_class, SmTodayPage, follow_up_section);
  gtk_widget_class_bind_template_child (widget_class, SmTodayPage, demand_section);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sm_today_page_init (SmTodayPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint kind = 0; kind < SM_TODAY_N_KINDS; kind++)
    {
      SmTodaySection *s = section (self, kind);

      self->items[kind] = g_list_store_new (SM_TYPE_TODAY_ITEM);
      self->limits[kind] = SM_TODAY_PAGE_STEP;
      sm_today_section_bind_model (s, G_LIST_MODEL (self->items[kind]));
      g_signal_connect_object (s, "item-activated", G_CALLBACK (item_activated_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (s, "show-more", G_CALLBACK (show_more_cb), self,
                               G_CONNECT_SWAPPED);
    }
}

GtkWidget *
sm_today_page_new (SmStore   *store,
                   GSettings *settings)
{
  g_return_val_if_fail (SM_IS_STORE (store), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (SM_TYPE_TODAY_PAGE, "store", store, "settings", settings, NULL);
}

SmStore *
sm_today_page_get_store (SmTodayPage *self)
{
  g_return_val_if_fail (SM_IS_TODAY_PAGE (self), NULL);

  return self->store;
}

GSettings *
sm_today_page_get_settings (SmTodayPage *self)
{
  g_return_val_if_fail (SM_IS_TODAY_PAGE (self), NULL);

  return self->settings;
}

void
sm_today_page_refresh (SmTodayPage *self)
{
  /* One GPtrArray of SmTodayItem per kind. */
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GError) error = NULL;
  guint totals[SM_TODAY_N_KINDS] = { 0, };
  guint care_days, knock_days, target_minutes;
  gint64 start;

  g_return_if_fail (SM_IS_TODAY_PAGE (self));

  start = g_get_monotonic_time ();
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  self->stale = FALSE;

  now = dup_now (self);
  care_days = sm_today_page_get_setting (self, "difficulty-visit-days");
  knock_days = sm_today_page_get_setting (self, "new-resident-knock-days");
  target_minutes = sm_today_page_get_setting (self, "response-target-minutes");

  /* Read everything before showing anything: on an error the lists stay as they were. */
  for (guint kind = 0; kind < SM_TODAY_N_KINDS; kind++)
    {
      GPtrArray *kind_items = g_ptr_array_new_with_free_func (g_object_unref);

      g_ptr_array_add (items, kind_items);
      if (!read_section (self, kind, now, kind_items, &totals[kind], &error))
        {
          g_autofree char *message = NULL;

          g_warning ("Cannot read the Today lists: %s", error->message);
          /* Translators: %s is the store's reason */
          message = g_strdup_printf (_("The lists below may be out of date: %s"), error->message);
          gtk_label_set_label (self->error_label, message);
          gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
          return;
        }
    }
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);

  set_subtitle (self, now);
  update_descriptions (self, care_days, knock_days, target_minutes);
  for (guint kind = 0; kind < SM_TODAY_N_KINDS; kind++)
    {
      SmTodaySection *s = section (self, kind);
      GPtrArray *kind_items = g_ptr_array_index (items, kind);

      /* The time first, so the rows made for the new items tell it. */
      sm_today_section_set_now (s, now, target_minutes);
      g_list_store_splice (self->items[kind], 0, g_list_model_get_n_items (G_LIST_MODEL (self->items[kind])),
                           kind_items->pdata, kind_items->len);
      sm_today_section_set_total (s, totals[kind]);
    }

  self->refreshed_day = local_julian_day (now);
  self->last_refresh_us = g_get_monotonic_time () - start;
  g_debug ("Today lists read and shown in %.1f ms", self->last_refresh_us / 1000.0);
}

GListModel *
sm_today_page_get_items (SmTodayPage *self,
                         SmTodayKind  kind)
{
  g_return_val_if_fail (SM_IS_TODAY_PAGE (self), NULL);
  g_return_val_if_fail (kind < SM_TODAY_N_KINDS, NULL);

  return G_LIST_MODEL (self->items[kind]);
}

guint
sm_today_page_get_total (SmTodayPage *self,
                         SmTodayKind  kind)
{
  g_return_val_if_fail (SM_IS_TODAY_PAGE (self), 0);
  g_return_val_if_fail (kind < SM_TODAY_N_KINDS, 0);

  return sm_today_section_get_total (section (self, kind));
}

SmTodaySection *
sm_today_page_get_section (SmTodayPage *self,
                           SmTodayKind  kind)
{
  g_return_val_if_fail (SM_IS_TODAY_PAGE (self), NULL);
  g_return_val_if_fail (kind < SM_TODAY_N_KINDS, NULL);

  return section (self, kind);
}

void
sm_today_page_show_more (SmTodayPage *self,
                         SmTodayKind  kind)
{
  g_return_if_fail (SM_IS_TODAY_PAGE (self));
  g_return_if_fail (kind < SM_TODAY_N_KINDS);

  self->limits[kind] += SM_TODAY_PAGE_STEP;
  sm_today_page_refresh (self);
}

void
sm_today_page_set_clock_func (SmTodayPage      *self,
                              SmStoreClockFunc  func,
                              gpointer          user_data)
{
  g_return_if_fail (SM_IS_TODAY_PAGE (self));

  self->clock_func = func;
  self->clock_data = user_data;
  sm_today_page_refresh (self);
}

guint
sm_today_page_get_setting (SmTodayPage *self,
                           const char  *key)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  g_return_val_if_fail (SM_IS_TODAY_PAGE (self), 0);
  g_return_val_if_fail (key != NULL, 0);

  if (self->settings != NULL)
    {
      g_object_get (self->settings, "settings-schema", &schema, NULL);
      if (g_settings_schema_has_key (schema, key))
        return g_settings_get_uint (self->settings, key);
    }

  for (guint i = 0; i < G_N_ELEMENTS (setting_keys); i++)
    if (g_str_equal (setting_keys[i].key, key))
      return setting_keys[i].fallback;

  g_return_val_if_reached (0);
}

const char *
sm_today_page_get_subtitle (SmTodayPage *self)
{
  g_return_val_if_fail (SM_IS_TODAY_PAGE (self), NULL);

  return self->subtitle;
}
