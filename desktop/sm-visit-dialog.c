/* sm-visit-dialog.c — record one visit to a household (DESIGN §6: three taps)
 *
 * A modal window over the household page: pick 敲门 / 串门 / 上门 (preselected from the
 * household: new residents are knocked on, households in difficulty get care visits,
 * everyone else a drop-in), the outcome (met unless changed), and optionally notes, the
 * people met, companions and a follow-up date. "Not at home" means coming back, so it
 * fills the follow-up date with tomorrow unless one was picked by hand.
 *
 * Save writes one append-only visit record to the local replica, which is instant; the
 * sync engine sends it later. With "Also raise a demand" switched on, the same
 * transaction writes a demand (source `visit`, linked by visit_id, due by its expected
 * level: see sm_demand_raise()) and its `report` event: the visit and its demand are
 * saved together or not at all. If the store refuses (a full disk, a value too long), its
 * message, already translated by core, shows at the top and nothing typed is lost.
 * Enter saves from the text rows, Escape cancels.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-visit-dialog.h"

#include <glib/gi18n.h>

#include "sm-date.h"
#include "sm-demand-actions.h"
#include "sm-demand-dialog.h"
#include "sm-form.h"

struct _SmVisitDialog
{
  AdwWindow         parent_instance;

  SmStore          *store;
  SmRecord         *household;
  char             *worker_id;
  const char       *kind;          /* static strings of the schema's enum values */
  const char       *outcome;
  char             *follow_up_on;
  gboolean          follow_up_auto; /* filled in for "not at home", not picked */
  gboolean          syncing;
  char             *error_message;

  AdwWindowTitle   *window_title;
  GtkButton        *save_button;
  GtkLabel         *error_label;
  GtkToggleButton  *knock_button;
  GtkToggleButton  *drop_in_button;
  GtkToggleButton  *care_button;
  GtkToggleButton  *met_button;
  GtkToggleButton  *not_home_button;
  GtkToggleButton  *declined_button;
  AdwEntryRow      *notes_row;
  AdwEntryRow      *met_names_row;
  AdwEntryRow      *companions_row;
  GtkMenuButton    *follow_up_button;
  GtkButton        *clear_follow_up_button;
  GtkPopover       *follow_up_popover;
  GtkCalendar      *follow_up_calendar;

  /* Also raise a demand */
  AdwExpanderRow   *demand_row;
  AdwEntryRow      *demand_title_row;
  AdwComboRow      *demand_category_row;
  GtkStringList    *demand_category_names;
  AdwComboRow      *demand_level_row;
  GtkStringList    *demand_level_names;
};

G_DEFINE_FINAL_TYPE (SmVisitDialog, sm_visit_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_HOUSEHOLD,
  PROP_WORKER_ID,
  PROP_KIND,
  PROP_OUTCOME,
  PROP_FOLLOW_UP_ON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SAVED,
  DEMAND_RAISED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const kinds[] = { "knock", "drop_in", "care" };
static const char * const outcomes[] = { "met", "not_home", "declined" };

static const char *
intern_value (const char * const *values,
              guint               n_values,
              const char         *value)
{
  for (guint i = 0; i < n_values; i++)
    if (g_strcmp0 (values[i], value) == 0)
      return values[i];

  return NULL;
}

static GtkToggleButton *
kind_button (SmVisitDialog *self,
             const char    *kind)
{
  g_assert (SM_IS_VISIT_DIALOG (self));

  if (g_strcmp0 (kind, "knock") == 0)
    return self->knock_button;
  if (g_strcmp0 (kind, "care") == 0)
    return self->care_button;
  return self->drop_in_button;
}

static GtkToggleButton *
outcome_button (SmVisitDialog *self,
                const char    *outcome)
{
  g_assert (SM_IS_VISIT_DIALOG (self));

  if (g_strcmp0 (outcome, "not_home") == 0)
    return self->not_home_button;
  if (g_strcmp0 (outcome, "declined") == 0)
    return self->declined_button;
  return self->met_button;
}

static void
set_enum_label (GtkToggleButton *button,
                const char      *table,
                const char      *field,
                const char      *value)
{
  const SmField *f = sm_form_field (table, field);

  gtk_button_set_label (GTK_BUTTON (button), sm_field_get_enum_label (f, value));
}

static void
update_follow_up (SmVisitDialog *self)
{
  g_autoptr(GDateTime) date = sm_date_parse (self->follow_up_on);
  g_autofree char *label = NULL;

  g_assert (SM_IS_VISIT_DIALOG (self));

  if (date != NULL)
    {
      label = g_date_time_format (date, "%x");
      self->syncing = TRUE;
      gtk_calendar_select_day (self->follow_up_calendar, date);
      self->syncing = FALSE;
    }

  /* Translators: the follow-up date of a visit when there is none */
  gtk_menu_button_set_label (self->follow_up_button, label ? label : _("None"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->clear_follow_up_button), date != NULL);
}

static void
set_follow_up (SmVisitDialog *self,
               const char    *date,
               gboolean       automatic)
{
  g_assert (SM_IS_VISIT_DIALOG (self));

  self->follow_up_auto = automatic && date != NULL;
  if (g_strcmp0 (self->follow_up_on, date) == 0)
    return;

  g_free (self->follow_up_on);
  self->follow_up_on = g_strdup (date);
  update_follow_up (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW_UP_ON]);
}

static void
kind_toggled_cb (SmVisitDialog   *self,
                 GtkToggleButton *button)
{
  if (self->syncing || !gtk_toggle_button_get_active (button))
    return;

  if (button == self->knock_button)
    sm_visit_dialog_set_kind (self, "knock");
  else if (button == self->care_button)
    sm_visit_dialog_set_kind (self, "care");
  else
    sm_visit_dialog_set_kind (self, "drop_in");
}

static void
outcome_toggled_cb (SmVisitDialog   *self,
                    GtkToggleButton *button)
{
  if (self->syncing || !gtk_toggle_button_get_active (button))
    return;

  if (button == self->not_home_button)
    sm_visit_dialog_set_outcome (self, "not_home");
  else if (button == self->declined_button)
    sm_visit_dialog_set_outcome (self, "declined");
  else
    sm_visit_dialog_set_outcome (self, "met");
}

static void
day_selected_cb (SmVisitDialog *self,
                 GtkCalendar   *calendar)
{
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *text = NULL;

  if (self->syncing)
    return;

  date = gtk_calendar_get_date (calendar);
  text = g_date_time_format (date, "%Y-%m-%d");
  set_follow_up (self, text, FALSE);
  gtk_popover_popdown (self->follow_up_popover);
}

static void
clear_follow_up_cb (SmVisitDialog *self,
                    GtkButton     *button)
{
  set_follow_up (self, NULL, FALSE);
}

/* Switched on: straight to what is needed, so the keyboard can go on. */
static void
demand_enabled_cb (SmVisitDialog  *self,
                   GParamSpec     *pspec,
                   AdwExpanderRow *row)
{
  if (adw_expander_row_get_enable_expansion (row))
    gtk_widget_grab_focus (GTK_WIDGET (self->demand_title_row));
}

static void
save_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  sm_visit_dialog_save (SM_VISIT_DIALOG (widget));
}

static void
sm_visit_dialog_constructed (GObject *object)
{
  SmVisitDialog *self = SM_VISIT_DIALOG (object);

  G_OBJECT_CLASS (sm_visit_dialog_parent_class)->constructed (object);

  g_assert (SM_IS_STORE (self->store));
  g_assert (SM_IS_RECORD (self->household));

  adw_window_title_set_subtitle (self->window_title,
                                 sm_record_get_string (self->household, "address"));
  sm_visit_dialog_set_kind (self, sm_visit_dialog_suggest_kind (self->household));
  sm_visit_dialog_set_outcome (self, "met");
  update_follow_up (self);
  sm_demand_fill_categories (self->store, self->demand_category_names);

  /* Kind and outcome are already picked for most visits: start in the notes, where
   * Enter saves (not on Cancel, the first button). */
  gtk_widget_grab_focus (GTK_WIDGET (self->notes_row));
}

static void
sm_visit_dialog_dispose (GObject *object)
{
  SmVisitDialog *self = SM_VISIT_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_VISIT_DIALOG);
  g_clear_object (&self->household);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sm_visit_dialog_parent_class)->dispose (object);
}

static void
sm_visit_dialog_finalize (GObject *object)
{
  SmVisitDialog *self = SM_VISIT_DIALOG (object);

  g_clear_pointer (&self->worker_id, g_free);
  g_clear_pointer (&self->follow_up_on, g_free);
  g_clear_pointer (&self->error_message, g_free);

  G_OBJECT_CLASS (sm_visit_dialog_parent_class)->finalize (object);
}

static void
sm_visit_dialog_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SmVisitDialog *self = SM_VISIT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_HOUSEHOLD:
      g_value_set_object (value, self->household);
      break;
    case PROP_WORKER_ID:
      g_value_set_string (value, self->worker_id);
      break;
    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;
    case PROP_OUTCOME:
      g_value_set_string (value, self->outcome);
      break;
    case PROP_FOLLOW_UP_ON:
      g_value_set_string (value, self->follow_up_on);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_visit_dialog_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SmVisitDialog *self = SM_VISIT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_HOUSEHOLD:
      self->household = g_value_dup_object (value);
      break;
    case PROP_WORKER_ID:
      {
        const char *worker_id = g_value_get_string (value);

        self->worker_id = g_strdup (worker_id && *worker_id ? worker_id : "local");
      }
      break;
    case PROP_KIND:
      sm_visit_dialog_set_kind (self, g_value_get_string (value));
      break;
    case PROP_OUTCOME:
      sm_visit_dialog_set_outcome (self, g_value_get_string (value));
      break;
    case PROP_FOLLOW_UP_ON:
      sm_visit_dialog_set_follow_up_on (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_visit_dialog_class_init (SmVisitDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sm_visit_dialog_constructed;
  object_class->dispose = sm_visit_dialog_dispose;
  object_class->finalize = sm_visit_dialog_finalize;
  object_class->get_property = sm_visit_dialog_get_property;
  object_class->set_property = sm_visit_dialog_set_property;

  /**
   * SmVisitDialog:store:
   *
   * The replica the visit is written to.
   */
  properties[PROP_STORE] = sm_form_object_pspec ("store", SM_TYPE_STORE);
  /**
   * SmVisitDialog:household:
   *
   * The household visited.
   */
  properties[PROP_HOUSEHOLD] = sm_form_object_pspec ("household", SM_TYPE_RECORD);
  /**
   * SmVisitDialog:worker-id:
   *
   * Who visits: the signed-in login, "local" when nobody has signed in.
   */
  properties[PROP_WORKER_ID] =
    g_param_spec_string ("worker-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SmVisitDialog:kind:
   *
   * "knock", "drop_in" or "care".
   */
  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * SmVisitDialog:outcome:
   *
   * "met", "not_home" or "declined".
   */
  properties[PROP_OUTCOME] =
    g_param_spec_string ("outcome", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * SmVisitDialog:follow-up-on:
   *
   * The follow-up date, "YYYY-MM-DD", or NULL.
   */
  properties[PROP_FOLLOW_UP_ON] =
    g_param_spec_string ("follow-up-on", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SmVisitDialog::saved:
   * @self: the dialog
   * @visit_id: the id of the visit written
   *
   * Emitted once the visit is in the store, just before the dialog closes.
   */
  signals[SAVED] = sm_form_new_saved_signal (G_TYPE_FROM_CLASS (klass));

  /**
   * SmVisitDialog::demand-raised:
   * @self: the dialog
   * @demand_id: the id of the demand written with the visit
   *
   * Emitted after "saved" when the visit raised a demand.
   */
  signals[DEMAND_RAISED] =
    g_signal_new ("demand-raised", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  sm_form_install_save_action (widget_class, "visit.save", save_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "visit.save", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/sanmen/Sanmen/sm-visit-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SmVisitDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, SmVisitDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, SmVisitDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, SmVisitDialog, knock_button);
  gtk_widget_class_bind_template_child (widget_class, SmVisitDialog, drop_in_button);
  gtk_widget_class_bind_template_child (widget_class, SmVisitDialog, care_button);
  gtk_widget_class_bind_template_child (widget_class, SmVisitDialog, met_button);
  gtk_widget_class_bind_template_child (widget_class, SmVisitDialog, not_home_button);
  gtk_widget_class_bind_template_child (widget_class, SmVisitDialog, declined_button);
  gtk_widget_class_bind_template_child (widget_class, SmVisitDialog, notes_row);
  gtk_widget_class_bind_template_child (widget_class, SmVisitDialog, met_names_row);
  gtk_widget_class_bind_template_child (widget_class, SmVisitDialog, companions_row);
  gtk_widget_class_bind_template_child (widget_class, SmVisitDialog, follow_up_button);
  gtk_widget_class_bind_template_child (widget_class, SmVisitDialog, clear_follow_up_button);
  gtk_widget_class_bind_template_child (widget_class, SmVisitDialog, follow_up_popover);
  gtk_widget_class_bind_template_child (widget_class, SmVisitDialog, follow_up_calendar);
  gtk_widget_class_bind_template_child (widget_class, SmVisitDialog, demand_row);
  gtk_widget_class_bind_template_child (widget_class, SmVisitDialog, demand_title_row);
  gtk_widget_class_bind_template_child (widget_class, SmVisitDialog, demand_category_row);
  gtk_widget_class_bind_template_child (widget_class, SmVisitDialog, demand_category_names);
  gtk_widget_class_bind_template_child (widget_class, SmVisitDialog, demand_level_row);
  gtk_widget_class_bind_template_child (widget_class, SmVisitDialog, demand_level_names);
  gtk_widget_class_bind_template_callback (widget_class, kind_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, outcome_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, day_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, clear_follow_up_cb);
  gtk_widget_class_bind_template_callback (widget_class, demand_enabled_cb);
}

static void
sm_visit_dialog_init (SmVisitDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The labels are the schema's, so the buttons say exactly what the lists say. */
  set_enum_label (self->knock_button, "visit", "kind", "knock");
  set_enum_label (self->drop_in_button, "visit", "kind", "drop_in");
  set_enum_label (self->care_button, "visit", "kind", "care");
  set_enum_label (self->met_button, "visit", "outcome", "met");
  set_enum_label (self->not_home_button, "visit", "outcome", "not_home");
  set_enum_label (self->declined_button, "visit", "outcome", "declined");

  sm_form_fill_enum (self->demand_level_names, sm_form_field ("demand", "level"));

  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->save_button));
}

SmVisitDialog *
sm_visit_dialog_new (SmStore    *store,
                     SmRecord   *household,
                     const char *worker_id)
{
  g_return_val_if_fail (SM_IS_STORE (store), NULL);
  g_return_val_if_fail (SM_IS_RECORD (household), NULL);

  return g_object_new (SM_TYPE_VISIT_DIALOG,
                       "store", store,
                       "household", household,
                       "worker-id", worker_id,
                       NULL);
}

const char *
sm_visit_dialog_suggest_kind (SmRecord *household)
{
  const SmTable *table;

  g_return_val_if_fail (SM_IS_RECORD (household), NULL);

  if (g_strcmp0 (sm_record_get_string (household, "tenure"), "new") == 0)
    return "knock";

  table = sm_record_get_table (household);
  for (guint i = 0; i < table->n_fields; i++)
    if ((table->fields[i].flags & SM_FIELD_FLAG_TAG)
        && sm_record_get_bool (household, table->fields[i].name))
      return "care";

  return "drop_in";
}

const char *
sm_visit_dialog_get_kind (SmVisitDialog *self)
{
  g_return_val_if_fail (SM_IS_VISIT_DIALOG (self), NULL);

  return self->kind;
}

void
sm_visit_dialog_set_kind (SmVisitDialog *self,
                          const char    *kind)
{
  const char *value;

  g_return_if_fail (SM_IS_VISIT_DIALOG (self));

  if (!(value = intern_value (kinds, G_N_ELEMENTS (kinds), kind)))
    value = "drop_in";
  if (self->kind == value)
    return;

  self->kind = value;
  self->syncing = TRUE;
  gtk_toggle_button_set_active (kind_button (self, value), TRUE);
  self->syncing = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

const char *
sm_visit_dialog_get_outcome (SmVisitDialog *self)
{
  g_return_val_if_fail (SM_IS_VISIT_DIALOG (self), NULL);

  return self->outcome;
}

void
sm_visit_dialog_set_outcome (SmVisitDialog *self,
                             const char    *outcome)
{
  const char *value;

  g_return_if_fail (SM_IS_VISIT_DIALOG (self));

  if (!(value = intern_value (outcomes, G_N_ELEMENTS (outcomes), outcome)))
    value = "met";
  if (self->outcome == value)
    return;

  self->outcome = value;
  self->syncing = TRUE;
  gtk_toggle_button_set_active (outcome_button (self, value), TRUE);
  self->syncing = FALSE;

  /* Not at home: come back tomorrow, unless a date was picked; back to another outcome,
   * the date that was only filled in goes again. */
  if (value == outcomes[1] && self->follow_up_on == NULL)
    {
      g_autofree char *date = sm_date_from_today (1);

      set_follow_up (self, date, TRUE);
    }
  else if (value != outcomes[1] && self->follow_up_auto)
    set_follow_up (self, NULL, FALSE);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTCOME]);
}

const char *
sm_visit_dialog_get_follow_up_on (SmVisitDialog *self)
{
  g_return_val_if_fail (SM_IS_VISIT_DIALOG (self), NULL);

  return self->follow_up_on;
}

void
sm_visit_dialog_set_follow_up_on (SmVisitDialog *self,
                                  const char    *date)
{
  g_return_if_fail (SM_IS_VISIT_DIALOG (self));

  set_follow_up (self, date && *date ? date : NULL, FALSE);
}

GtkEditable *
sm_visit_dialog_get_companions_entry (SmVisitDialog *self)
{
  g_return_val_if_fail (SM_IS_VISIT_DIALOG (self), NULL);

  return GTK_EDITABLE (self->companions_row);
}

GtkEditable *
sm_visit_dialog_get_met_names_entry (SmVisitDialog *self)
{
  g_return_val_if_fail (SM_IS_VISIT_DIALOG (self), NULL);

  return GTK_EDITABLE (self->met_names_row);
}

GtkEditable *
sm_visit_dialog_get_notes_entry (SmVisitDialog *self)
{
  g_return_val_if_fail (SM_IS_VISIT_DIALOG (self), NULL);

  return GTK_EDITABLE (self->notes_row);
}

gboolean
sm_visit_dialog_get_raise_demand (SmVisitDialog *self)
{
  g_return_val_if_fail (SM_IS_VISIT_DIALOG (self), FALSE);

  return adw_expander_row_get_enable_expansion (self->demand_row);
}

void
sm_visit_dialog_set_raise_demand (SmVisitDialog *self,
                                  gboolean       raise)
{
  g_return_if_fail (SM_IS_VISIT_DIALOG (self));

  adw_expander_row_set_enable_expansion (self->demand_row, raise);
  adw_expander_row_set_expanded (self->demand_row, raise);
}

GtkEditable *
sm_visit_dialog_get_demand_title_entry (SmVisitDialog *self)
{
  g_return_val_if_fail (SM_IS_VISIT_DIALOG (self), NULL);

  return GTK_EDITABLE (self->demand_title_row);
}

const char *
sm_visit_dialog_get_demand_category (SmVisitDialog *self)
{
  g_return_val_if_fail (SM_IS_VISIT_DIALOG (self), NULL);

  return sm_demand_combo_get_string (self->demand_category_row);
}

void
sm_visit_dialog_set_demand_category (SmVisitDialog *self,
                                     const char    *category)
{
  g_return_if_fail (SM_IS_VISIT_DIALOG (self));

  sm_demand_combo_set_string (self->demand_category_row, category);
}

const char *
sm_visit_dialog_get_demand_level (SmVisitDialog *self)
{
  g_return_val_if_fail (SM_IS_VISIT_DIALOG (self), NULL);

  return sm_form_get_enum (self->demand_level_row, sm_form_field ("demand", "level"), FALSE);
}

void
sm_visit_dialog_set_demand_level (SmVisitDialog *self,
                                  const char    *value)
{
  g_return_if_fail (SM_IS_VISIT_DIALOG (self));

  sm_form_set_enum (self->demand_level_row, sm_form_field ("demand", "level"), FALSE, value);
}

gboolean
sm_visit_dialog_save (SmVisitDialog *self)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *visited_at = NULL;
  g_autofree char *id = NULL;
  g_autofree char *demand_id = NULL;
  g_autofree char *demand_title = NULL;
  g_autoptr(GError) error = NULL;
  gboolean raise;

  g_return_val_if_fail (SM_IS_VISIT_DIALOG (self), FALSE);

  now = g_date_time_new_now_utc ();
  visited_at = sm_date_timestamp (now);
  raise = sm_visit_dialog_get_raise_demand (self);
  demand_title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->demand_title_row))));

  /* The visit and its demand together or not at all. */
  if (!sm_store_begin (self->store, &error))
    {
      sm_form_show_banner (self->error_label, &self->error_message, error->message);
      return FALSE;
    }

  id = sm_store_create_with (self->store, "visit", sm_record_get_grid_id (self->household), &error,
                             "household_id", g_variant_new_string (sm_record_get_id (self->household)),
                             "kind", g_variant_new_string (self->kind),
                             "visited_at", g_variant_new_string (visited_at),
                             "worker_id", g_variant_new_string (self->worker_id),
                             "outcome", g_variant_new_string (self->outcome),
                             "companions", sm_form_text_value (GTK_EDITABLE (self->companions_row)),
                             "met_names", sm_form_text_value (GTK_EDITABLE (self->met_names_row)),
                             "notes", sm_form_text_value (GTK_EDITABLE (self->notes_row)),
                             "follow_up_on", self->follow_up_on ? g_variant_new_string (self->follow_up_on) : NULL,
                             NULL);
  if (id != NULL && raise)
    demand_id = sm_demand_raise (self->store, self->household, id, "visit",
                                 sm_visit_dialog_get_demand_category (self),
                                 sm_visit_dialog_get_demand_level (self), demand_title, NULL,
                                 self->worker_id, &error);
  if (id == NULL || (raise && demand_id == NULL))
    sm_store_rollback (self->store);
  else if (!sm_store_commit (self->store, &error))
    g_clear_pointer (&id, g_free);

  if (id == NULL || (raise && demand_id == NULL))
    {
      /* Never the values: notes may name people. */
      g_debug ("Cannot record a visit: %s", error->message);
      sm_form_show_banner (self->error_label, &self->error_message, error->message);
      return FALSE;
    }

  sm_form_show_banner (self->error_label, &self->error_message, NULL);
  g_signal_emit (self, signals[SAVED], 0, id);
  if (demand_id != NULL)
    g_signal_emit (self, signals[DEMAND_RAISED], 0, demand_id);
  gtk_window_destroy (GTK_WINDOW (self));

  return TRUE;
}

const char *
sm_visit_dialog_get_error_message (SmVisitDialog *self)
{
  g_return_val_if_fail (SM_IS_VISIT_DIALOG (self), NULL);

  return self->error_message;
}
