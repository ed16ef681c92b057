/* sm-demand-page.c — one demand: details, its event timeline, the actions of its status
 *
 * The status, the response time and the light are read from the demand record, whose
 * status and responded_at the store derives from the events; the page never computes a
 * status of its own. The action buttons shown are those the loop allows from that status
 * (sm_demand_status_transition(), the store's own table), plus Comment, always. Each
 * action writes one demand_event through sm_demand_act() (resolve also the level picked
 * in "Settled at", escalate the level `escalated`), then the page reads the demand again
 * and shows what the store derived. The note typed goes with whatever action is taken
 * and is cleared once written; on an error it stays, and the error shows above it.
 *
 * Claims (认领): the section lists the demand's claims (sm-claim-row, where a claim shown
 * closed with a settled demand is explained) and "Match a Resource…" opens the chooser of
 * active resources, the demand's category first; the one chosen is written as a claim by
 * the signed-in worker, now, in the schema's first status (claimed). A settled demand
 * takes no new claims.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-demand-page.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sm-claim-row.h"
#include "sm-date.h"
#include "sm-demand-status.h"
#include "sm-form.h"
#include "sm-resource-chooser.h"
#include "sm-settings.h"

struct _SmDemandPage
{
  GtkWidget      parent_instance;

  SmStore       *store;
  char          *demand_id;
  char          *worker_id;
  SmRecord      *demand;
  GListStore    *events;        /* of SmRecord, oldest first */
  GHashTable    *action_buttons; /* action → GtkButton */
  GHashTable    *evaluate_buttons; /* satisfaction → GtkButton */
  SmDemandLight  light;
  char          *error_message;

  GtkLabel      *title_label;
  GtkLabel      *status_label;
  GtkBox        *light_box;
  GtkImage      *light_icon;
  GtkLabel      *light_label;
  GtkLabel      *description_label;
  GtkWidget     *actions_group;
  GtkLabel      *error_label;
  AdwEntryRow   *note_row;
  AdwComboRow   *level_row;
  GtkStringList *level_names;
  GtkFlowBox    *action_box;
  GtkWidget     *evaluate_box;
  GtkBox        *satisfaction_box;
  GtkListBox    *details_list;
  GtkListBox    *events_list;

  GListStore    *claims;        /* of SmRecord, oldest first */
  GHashTable    *claim_resources; /* resource id → SmRecord, of the claims shown */
  GtkWidget     *claims_group;
  GtkWidget     *match_button;
  GtkLabel      *claim_error_label;
  GtkListBox    *claims_list;
  GtkWidget     *claims_empty;
};

G_DEFINE_FINAL_TYPE (SmDemandPage, sm_demand_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The buttons, in the loop's order; evaluate has its own three. */
static const char * const button_actions[] = {
  "accept", "handle", "escalate", "supervise", "resolve", "reopen", "comment",
};

static const SmField *
demand_field (const char *name)
{
  return sm_form_field ("demand", name);
}

static const SmField *
event_field (const char *name)
{
  return sm_form_field ("demand_event", name);
}

static void
add_detail (SmDemandPage *self,
            const char   *title,
            const char   *value)
{
  GtkWidget *row;

  g_assert (SM_IS_DEMAND_PAGE (self));

  if (value == NULL || *value == '\0')
    return;

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  gtk_list_box_append (self->details_list, row);
}

static void
add_field_detail (SmDemandPage *self,
                  const char   *field)
{
  g_autofree char *value = sm_record_dup_display (self->demand, field);

  add_detail (self, sm_field_get_label (demand_field (field)), value);
}

static void
add_time_detail (SmDemandPage *self,
                 const char   *field)
{
  g_autofree char *value = sm_demand_format_time (sm_record_get_string (self->demand, field));

  add_detail (self, sm_field_get_label (demand_field (field)), value);
}

static void
update_details (SmDemandPage *self)
{
  GtkWidget *child;
  GTimeSpan span;

  g_assert (SM_IS_DEMAND_PAGE (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->details_list))))
    gtk_list_box_remove (self->details_list, child);

  if (self->demand == NULL)
    return;

  {
    const char *household_id = sm_record_get_string (self->demand, "household_id");
    g_autoptr(SmRecord) household = household_id ? sm_store_get (self->store, "household", household_id, NULL) : NULL;

    if (household != NULL)
      add_detail (self, sm_field_get_label (demand_field ("household_id")),
                  sm_record_get_string (household, "address"));
  }
  add_field_detail (self, "category");
  add_field_detail (self, "source");
  if (sm_demand_is_settled (self->demand))
    {
      g_autofree char *level = sm_record_dup_display (self->demand, "level");

      /* Translators: the level a demand was settled at (不出楼栋 / 不出片区 / 不出社区 / 上报) */
      add_detail (self, _("Settled at"), level);
    }
  else
    add_field_detail (self, "level");
  add_time_detail (self, "reported_at");
  add_time_detail (self, "due_at");

  if (sm_demand_get_response_span (self->demand, &span))
    {
      g_autofree char *took = sm_demand_format_span (span);
      g_autofree char *text = NULL;

      if (span > sm_settings_get_response_target () * G_TIME_SPAN_MINUTE)
        /* Translators: a response time and the target it missed, e.g. “12 min (target 5 min)” */
        text = g_strdup_printf (_("%s (target %u min)"), took, sm_settings_get_response_target ());
      else
        text = g_steal_pointer (&took);
      /* Translators: reported → first accept or handle of a demand */
      add_detail (self, _("Response time"), text);
    }
  else
    add_detail (self, _("Response time"),
                /* Translators: the response time of a demand nobody has taken on yet */
                _("Not responded yet"));
  add_field_detail (self, "assignee");
}

static void
update_actions (SmDemandPage *self)
{
  const char *status = self->demand ? sm_record_get_string (self->demand, "status") : NULL;
  gboolean any = FALSE;

  g_assert (SM_IS_DEMAND_PAGE (self));

  for (guint i = 0; i < G_N_ELEMENTS (button_actions); i++)
    {
      GtkWidget *button = g_hash_table_lookup (self->action_buttons, button_actions[i]);
      gboolean allowed = status != NULL
                         && (g_str_equal (button_actions[i], "comment")
                             || sm_demand_status_transition (status, button_actions[i], NULL) != NULL);

      /* The flow box child, so hidden buttons leave no gap. */
      gtk_widget_set_visible (gtk_widget_get_parent (button), allowed);
      any |= allowed;
    }

  gtk_widget_set_visible (self->evaluate_box,
                          status != NULL && sm_demand_status_transition (status, "evaluate", "satisfied") != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->level_row),
                          status != NULL && sm_demand_status_transition (status, "resolve", NULL) != NULL);
  gtk_widget_set_visible (self->actions_group, any);

  /* Resolve suggests the level the demand was expected to settle at. */
  if (self->demand != NULL)
    sm_demand_page_set_settled_level (self, sm_record_get_string (self->demand, "level"));
}

static void
update (SmDemandPage *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *status = NULL;

  g_assert (SM_IS_DEMAND_PAGE (self));

  gtk_label_set_label (self->title_label, sm_demand_page_get_title (self));
  status = self->demand ? sm_record_dup_display (self->demand, "status") : NULL;
  gtk_label_set_label (self->status_label, status);
  gtk_label_set_label (self->description_label,
                       self->demand ? sm_record_get_string (self->demand, "description") : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->description_label),
                          *gtk_label_get_label (self->description_label) != '\0');

  self->light = self->demand ? sm_demand_get_light (self->demand, now) : SM_DEMAND_LIGHT_NONE;
  sm_demand_light_show (self->light, GTK_WIDGET (self->light_box), self->light_icon,
                        self->light_label);

  update_details (self);
  update_actions (self);

  {
    gboolean settled = self->demand != NULL && sm_demand_is_settled (self->demand);

    gtk_widget_set_visible (self->claims_group, self->demand != NULL);
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "demand.match-resource", self->demand != NULL && !settled);
    gtk_widget_set_tooltip_text (self->match_button,
                                 settled ? _("The demand is settled: its claims are closed")
                                         : _("Match this demand with a partner unit’s resource"));
    gtk_widget_set_visible (self->claims_empty, g_list_model_get_n_items (G_LIST_MODEL (self->claims)) == 0);
  }
}

static GtkWidget *
create_claim_row_cb (gpointer item,
                     gpointer user_data)
{
  SmDemandPage *self = SM_DEMAND_PAGE (user_data);
  SmRecord *claim = SM_RECORD (item);
  const char *resource_id = sm_record_get_string (claim, "resource_id");

  return sm_claim_row_new (claim, resource_id ? g_hash_table_lookup (self->claim_resources, resource_id) : NULL,
                           self->demand ? sm_record_get_string (self->demand, "status") : NULL);
}

static void
set_claim_error (SmDemandPage *self,
                 const char   *message)
{
  gtk_label_set_label (self->claim_error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->claim_error_label), message != NULL);
}

/* Ends a write of a claim: says why it failed (@error) beside the claims, or reads the
 * demand again and tells the window it changed. */
static gboolean
finish_claim_write (SmDemandPage *self,
                    const GError *error)
{
  if (error != NULL)
    {
      set_claim_error (self, error->message);
      return FALSE;
    }

  set_claim_error (self, NULL);
  sm_demand_page_reload (self);
  g_signal_emit (self, signals[CHANGED], 0);

  return TRUE;
}

static void
resource_chosen_cb (SmDemandPage      *self,
                    const char        *resource_id,
                    SmResourceChooser *chooser)
{
  sm_demand_page_add_claim (self, resource_id);
}

static void
match_resource_action_cb (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  sm_demand_page_match_resource (SM_DEMAND_PAGE (widget));
}

static void
set_claim_status_action_cb (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  const char *claim_id, *status;

  g_variant_get (parameter, "(&s&s)", &claim_id, &status);
  sm_demand_page_set_claim_status (SM_DEMAND_PAGE (widget), claim_id, status);
}

static GtkWidget *
create_event_row_cb (gpointer item,
                     gpointer user_data)
{
  SmRecord *event = SM_RECORD (item);
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autofree char *action = sm_record_dup_display (event, "action");
  g_autofree char *satisfaction = sm_record_dup_display (event, "satisfaction");
  g_autofree char *at = sm_demand_format_time (sm_record_get_string (event, "at"));
  g_autofree char *title = NULL;
  const char *note = sm_record_get_string (event, "note");
  GtkWidget *row = adw_action_row_new ();

  if (satisfaction != NULL)
    /* Translators: an evaluation in a demand's history, e.g. “Evaluate: Satisfied” */
    title = g_strdup_printf (_("%s: %s"), action, satisfaction);
  else
    title = g_steal_pointer (&action);

  /* Translators: when and by whom, in a demand's history: “2026-09-21 09:30 · worker-01” */
  g_string_append_printf (subtitle, _("%s · %s"), at, sm_record_get_string (event, "actor"));
  if (note != NULL && *note != '\0')
    {
      g_string_append_c (subtitle, '\n');
      g_string_append (subtitle, note);
    }

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (row, "demand-event-row");

  return row;
}

static void
act_action_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  sm_demand_page_perform (SM_DEMAND_PAGE (widget), g_variant_get_string (parameter, NULL), NULL);
}

static void
evaluate_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  sm_demand_page_perform (SM_DEMAND_PAGE (widget), "evaluate", g_variant_get_string (parameter, NULL));
}

static void
sm_demand_page_dispose (GObject *object)
{
  SmDemandPage *self = SM_DEMAND_PAGE (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_DEMAND_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->demand);
  g_clear_object (&self->events);
  g_clear_object (&self->claims);
  g_clear_pointer (&self->claim_resources, g_hash_table_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sm_demand_page_parent_class)->dispose (object);
}

static void
sm_demand_page_finalize (GObject *object)
{
  SmDemandPage *self = SM_DEMAND_PAGE (object);

  g_clear_pointer (&self->demand_id, g_free);
  g_clear_pointer (&self->worker_id, g_free);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->action_buttons, g_hash_table_unref);
  g_clear_pointer (&self->evaluate_buttons, g_hash_table_unref);

  G_OBJECT_CLASS (sm_demand_page_parent_class)->finalize (object);
}

static void
sm_demand_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SmDemandPage *self = SM_DEMAND_PAGE (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, sm_demand_page_get_title (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_demand_page_class_init (SmDemandPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sm_demand_page_dispose;
  object_class->finalize = sm_demand_page_finalize;
  object_class->get_property = sm_demand_page_get_property;

  /**
   * SmDemandPage:title:
   *
   * The demand's title, for a header bar.
   */
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SmDemandPage::changed:
   * @self: the page
   *
   * Emitted after an action was written to the store, for lists to read it again.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "demand.act", "s", act_action_cb);
  gtk_widget_class_install_action (widget_class, "demand.evaluate", "s", evaluate_action_cb);
  gtk_widget_class_install_action (widget_class, "demand.match-resource", NULL, match_resource_action_cb);
  gtk_widget_class_install_action (widget_class, "claim.set-status", "(ss)", set_claim_status_action_cb);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/sanmen/Sanmen/sm-demand-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SmDemandPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, SmDemandPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, SmDemandPage, light_box);
  gtk_widget_class_bind_template_child (widget_class, SmDemandPage, light_icon);
  gtk_widget_class_bind_template_child (widget_class, SmDemandPage, light_label);
  gtk_widget_class_bind_template_child (widget_class, SmDemandPage, description_label);
  gtk_widget_class_bind_template_child (widget_class, SmDemandPage, actions_group);
  gtk_widget_class_bind_template_child (widget_class, SmDemandPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, SmDemandPage, note_row);
  gtk_widget_class_bind_template_child (widget_class, SmDemandPage, level_row);
  gtk_widget_class_bind_template_child (widget_class, SmDemandPage, level_names);
  gtk_widget_class_bind_template_child (widget_class, SmDemandPage, action_box);
  gtk_widget_class_bind_template_child (widget_class, SmDemandPage, evaluate_box);
  gtk_widget_class_bind_template_child (widget_class, SmDemandPage, satisfaction_box);
  gtk_widget_class_bind_template_child (widget_class, SmDemandPage, details_list);
  gtk_widget_class_bind_template_child (widget_class, SmDemandPage, events_list);
  gtk_widget_class_bind_template_child (widget_class, SmDemandPage, claims_group);
  gtk_widget_class_bind_template_child (widget_class, SmDemandPage, match_button);
  gtk_widget_class_bind_template_child (widget_class, SmDemandPage, claim_error_label);
  gtk_widget_class_bind_template_child (widget_class, SmDemandPage, claims_list);
  gtk_widget_class_bind_template_child (widget_class, SmDemandPage, claims_empty);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sm_demand_page_init (SmDemandPage *self)
{
  const SmField *action = event_field ("action");
  const SmField *satisfaction = event_field ("satisfaction");
  const SmField *level = demand_field ("level");

  gtk_widget_init_template (GTK_WIDGET (self));

  self->action_buttons = g_hash_table_new (g_str_hash, g_str_equal);
  self->evaluate_buttons = g_hash_table_new (g_str_hash, g_str_equal);

  /* Labels from the schema, so buttons and history say the same words. */
  for (guint i = 0; i < G_N_ELEMENTS (button_actions); i++)
    {
      GtkWidget *button = gtk_button_new_with_label (sm_field_get_enum_label (action, button_actions[i]));

      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "demand.act");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", button_actions[i]);
      if (g_str_equal (button_actions[i], "resolve") || g_str_equal (button_actions[i], "accept"))
        gtk_widget_add_css_class (button, "suggested-action");
      else if (g_str_equal (button_actions[i], "supervise"))
        gtk_widget_add_css_class (button, "destructive-action");
      gtk_widget_add_css_class (button, "pill");
      gtk_flow_box_append (self->action_box, button);
      g_hash_table_insert (self->action_buttons, (gpointer) button_actions[i], button);
    }

  for (guint i = 0; satisfaction->enum_values[i] != NULL; i++)
    {
      const char *value = satisfaction->enum_values[i];
      GtkWidget *button = gtk_button_new_with_label (sm_field_get_enum_label (satisfaction, value));

      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "demand.evaluate");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", value);
      gtk_box_append (self->satisfaction_box, button);
      g_hash_table_insert (self->evaluate_buttons, (gpointer) value, button);
    }

  sm_form_fill_enum (self->level_names, level);

  self->events = g_list_store_new (SM_TYPE_RECORD);
  gtk_list_box_bind_model (self->events_list, G_LIST_MODEL (self->events),
                           create_event_row_cb, NULL, NULL);
  self->claims = g_list_store_new (SM_TYPE_RECORD);
  self->claim_resources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  gtk_list_box_bind_model (self->claims_list, G_LIST_MODEL (self->claims),
                           create_claim_row_cb, self, NULL);
  update (self);
}

GtkWidget *
sm_demand_page_new (SmStore *store)
{
  SmDemandPage *self;

  g_return_val_if_fail (SM_IS_STORE (store), NULL);

  self = g_object_new (SM_TYPE_DEMAND_PAGE, NULL);
  self->store = g_object_ref (store);
  return GTK_WIDGET (self);
}

const char *
sm_demand_page_get_demand_id (SmDemandPage *self)
{
  g_return_val_if_fail (SM_IS_DEMAND_PAGE (self), NULL);

  return self->demand_id;
}

void
sm_demand_page_set_demand_id (SmDemandPage *self,
                              const char   *demand_id)
{
  g_return_if_fail (SM_IS_DEMAND_PAGE (self));

  if (g_strcmp0 (self->demand_id, demand_id) != 0)
    {
      g_free (self->demand_id);
      self->demand_id = g_strdup (demand_id);
      /* Another demand: what was typed for the last one does not belong to it. */
      gtk_editable_set_text (GTK_EDITABLE (self->note_row), "");
      sm_form_show_banner (self->error_label, &self->error_message, NULL);
      set_claim_error (self, NULL);
    }

  sm_demand_page_reload (self);
}

SmRecord *
sm_demand_page_get_demand (SmDemandPage *self)
{
  g_return_val_if_fail (SM_IS_DEMAND_PAGE (self), NULL);

  return self->demand;
}

const char *
sm_demand_page_get_title (SmDemandPage *self)
{
  g_return_val_if_fail (SM_IS_DEMAND_PAGE (self), NULL);

  return self->demand ? sm_record_get_string (self->demand, "title") : NULL;
}

void
sm_demand_page_set_worker_id (SmDemandPage *self,
                              const char   *worker_id)
{
  g_return_if_fail (SM_IS_DEMAND_PAGE (self));

  g_free (self->worker_id);
  self->worker_id = g_strdup (worker_id);
}

void
sm_demand_page_reload (SmDemandPage *self)
{
  g_autoptr(SmRecord) demand = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) claims = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *old_title = NULL;

  g_return_if_fail (SM_IS_DEMAND_PAGE (self));

  old_title = g_strdup (sm_demand_page_get_title (self));

  if (self->demand_id != NULL && self->store != NULL)
    {
      if (!(demand = sm_store_get (self->store, "demand", self->demand_id, &error)))
        g_debug ("Cannot read demand %s: %s", self->demand_id, error->message);
      else if (sm_record_is_deleted (demand))
        g_clear_object (&demand);
      g_clear_error (&error);
    }

  if (demand != NULL && !(events = sm_store_list_demand_events (self->store, self->demand_id, &error)))
    g_warning ("Cannot list the events of a demand: %s", error->message);

  if (demand != NULL && !(claims = sm_store_list_demand_claims (self->store, self->demand_id, &error)))
    g_warning ("Cannot list the claims of a demand: %s", error->message);
  g_clear_error (&error);
  g_hash_table_remove_all (self->claim_resources);
  for (guint i = 0; claims != NULL && i < claims->len; i++)
    {
      const char *resource_id = sm_record_get_string (claims->pdata[i], "resource_id");
      SmRecord *resource;

      if (resource_id != NULL && !g_hash_table_contains (self->claim_resources, resource_id) &&
          (resource = sm_store_get (self->store, "resource", resource_id, NULL)) != NULL)
        g_hash_table_insert (self->claim_resources, g_strdup (resource_id), resource);
    }

  g_set_object (&self->demand, demand);
  g_list_store_splice (self->events, 0, g_list_model_get_n_items (G_LIST_MODEL (self->events)),
                       events ? events->pdata : NULL, events ? events->len : 0);
  /* Rows are made from the demand's status just set: a resolve closes them. */
  g_list_store_splice (self->claims, 0, g_list_model_get_n_items (G_LIST_MODEL (self->claims)),
                       claims ? claims->pdata : NULL, claims ? claims->len : 0);
  update (self);

  if (g_strcmp0 (old_title, sm_demand_page_get_title (self)) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

GListModel *
sm_demand_page_get_events (SmDemandPage *self)
{
  g_return_val_if_fail (SM_IS_DEMAND_PAGE (self), NULL);

  return G_LIST_MODEL (self->events);
}

const char *
sm_demand_page_get_status_text (SmDemandPage *self)
{
  g_return_val_if_fail (SM_IS_DEMAND_PAGE (self), NULL);

  return gtk_label_get_label (self->status_label);
}

gboolean
sm_demand_page_perform (SmDemandPage *self,
                        const char   *action,
                        const char   *satisfaction)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;

  g_return_val_if_fail (SM_IS_DEMAND_PAGE (self), FALSE);
  g_return_val_if_fail (action != NULL, FALSE);

  if (self->demand == NULL)
    return FALSE;

  note = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_row))));
  if (!sm_demand_act (self->store, self->demand_id, action, satisfaction,
                      g_str_equal (action, "resolve") ? sm_demand_page_get_settled_level (self) : NULL,
                      self->worker_id, note, &error))
    {
      /* Never the note: it may name people. */
      g_debug ("Cannot write a demand's %s: %s", action, error->message);
      sm_form_show_banner (self->error_label, &self->error_message, error->message);
      return FALSE;
    }

  sm_form_show_banner (self->error_label, &self->error_message, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->note_row), "");
  sm_demand_page_reload (self);
  g_signal_emit (self, signals[CHANGED], 0);

  return TRUE;
}

const char *
sm_demand_page_get_error_message (SmDemandPage *self)
{
  g_return_val_if_fail (SM_IS_DEMAND_PAGE (self), NULL);

  return self->error_message;
}

GtkButton *
sm_demand_page_get_action_button (SmDemandPage *self,
                                  const char   *action)
{
  g_return_val_if_fail (SM_IS_DEMAND_PAGE (self), NULL);

  return action ? g_hash_table_lookup (self->action_buttons, action) : NULL;
}

GtkButton *
sm_demand_page_get_evaluate_button (SmDemandPage *self,
                                    const char   *satisfaction)
{
  g_return_val_if_fail (SM_IS_DEMAND_PAGE (self), NULL);

  return satisfaction ? g_hash_table_lookup (self->evaluate_buttons, satisfaction) : NULL;
}

GtkEditable *
sm_demand_page_get_note_entry (SmDemandPage *self)
{
  g_return_val_if_fail (SM_IS_DEMAND_PAGE (self), NULL);

  return GTK_EDITABLE (self->note_row);
}

void
sm_demand_page_set_settled_level (SmDemandPage *self,
                                  const char   *level)
{
  g_return_if_fail (SM_IS_DEMAND_PAGE (self));

  sm_form_set_enum (self->level_row, demand_field ("level"), FALSE, level);
}

const char *
sm_demand_page_get_settled_level (SmDemandPage *self)
{
  g_return_val_if_fail (SM_IS_DEMAND_PAGE (self), NULL);

  return sm_form_get_enum (self->level_row, demand_field ("level"), FALSE);
}

SmDemandLight
sm_demand_page_get_light (SmDemandPage *self)
{
  g_return_val_if_fail (SM_IS_DEMAND_PAGE (self), SM_DEMAND_LIGHT_NONE);

  return self->light;
}

GListModel *
sm_demand_page_get_claims (SmDemandPage *self)
{
  g_return_val_if_fail (SM_IS_DEMAND_PAGE (self), NULL);

  return G_LIST_MODEL (self->claims);
}

SmClaimRow *
sm_demand_page_get_claim_row (SmDemandPage *self,
                              guint         position)
{
  g_return_val_if_fail (SM_IS_DEMAND_PAGE (self), NULL);

  return (SmClaimRow *) gtk_list_box_get_row_at_index (self->claims_list, (int) position);
}

GtkWidget *
sm_demand_page_get_match_button (SmDemandPage *self)
{
  g_return_val_if_fail (SM_IS_DEMAND_PAGE (self), NULL);

  return self->match_button;
}

SmResourceChooser *
sm_demand_page_match_resource (SmDemandPage *self)
{
  SmResourceChooser *chooser;
  GtkRoot *root;

  g_return_val_if_fail (SM_IS_DEMAND_PAGE (self), NULL);

  if (self->demand == NULL || sm_demand_is_settled (self->demand))
    return NULL;

  chooser = sm_resource_chooser_new (self->store, sm_record_get_string (self->demand, "category"));
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (chooser), GTK_WINDOW (root));
  g_signal_connect_object (chooser, "chosen", G_CALLBACK (resource_chosen_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (chooser));

  return chooser;
}

gboolean
sm_demand_page_add_claim (SmDemandPage *self,
                          const char   *resource_id)
{
  const SmField *status = sm_table_lookup_field (sm_schema_lookup_table ("claim"), "status");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = sm_date_timestamp (now);
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (SM_IS_DEMAND_PAGE (self), FALSE);
  g_return_val_if_fail (resource_id != NULL, FALSE);

  if (self->demand == NULL)
    return FALSE;

  /* In the demand's grid: whoever may see the demand sees who took it on. */
  id = sm_store_create_with (self->store, "claim", sm_record_get_grid_id (self->demand), &error,
                             "demand_id", g_variant_new_string (self->demand_id),
                             "resource_id", g_variant_new_string (resource_id),
                             "claimed_by", self->worker_id ? g_variant_new_string (self->worker_id) : NULL,
                             "claimed_at", g_variant_new_string (at),
                             "status", g_variant_new_string (status->enum_values[0]),
                             NULL);
  if (id == NULL)
    g_debug ("Cannot write a claim: %s", error->message);

  return finish_claim_write (self, error);
}

gboolean
sm_demand_page_set_claim_status (SmDemandPage *self,
                                 const char   *claim_id,
                                 const char   *status)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (SM_IS_DEMAND_PAGE (self), FALSE);
  g_return_val_if_fail (claim_id != NULL && status != NULL, FALSE);

  if (!sm_store_update_with (self->store, "claim", claim_id, &error,
                             "status", g_variant_new_string (status), NULL))
    g_debug ("Cannot change a claim's status: %s", error->message);

  return finish_claim_write (self, error);
}
