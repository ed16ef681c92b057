/* sm-credit-dialog.c — award or deduct a resident's red credit points (红色信用积分)
 *
 * A modal window from the credit section of a household's page: award or deduct, how
 * many points, and the reason, which is required (the history is read by the office and
 * by residents asking why). Save writes one append-only credit record stamped now; a
 * record is never changed afterwards, so a mistake is put right by a record the other
 * way. Failures show at the top and keep what was typed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-credit-dialog.h"

#include <glib/gi18n.h>

#include "sm-date.h"
#include "sm-form.h"

struct _SmCreditDialog
{
  AdwWindow        parent_instance;

  SmStore         *store;
  SmRecord        *resident;
  char            *error_message;

  AdwWindowTitle  *window_title;
  GtkButton       *save_button;
  GtkLabel        *error_label;
  GtkToggleButton *award_button;
  GtkToggleButton *deduct_button;
  AdwActionRow    *points_row;
  GtkSpinButton   *points_spin;
  AdwEntryRow     *reason_row;
};

G_DEFINE_FINAL_TYPE (SmCreditDialog, sm_credit_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_RESIDENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
validate (SmCreditDialog *self)
{
  g_autoptr(GVariant) reason = sm_form_text_value (GTK_EDITABLE (self->reason_row));

  g_assert (SM_IS_CREDIT_DIALOG (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "credit.save", reason != NULL);
}

static void
reason_changed_cb (SmCreditDialog *self)
{
  validate (self);
}

static void
save_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  sm_credit_dialog_save (SM_CREDIT_DIALOG (widget));
}

static void
sm_credit_dialog_constructed (GObject *object)
{
  SmCreditDialog *self = SM_CREDIT_DIALOG (object);

  G_OBJECT_CLASS (sm_credit_dialog_parent_class)->constructed (object);

  g_assert (SM_IS_STORE (self->store));
  g_assert (SM_IS_RECORD (self->resident));

  adw_window_title_set_subtitle (self->window_title, sm_record_get_string (self->resident, "name"));
  validate (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->reason_row));
}

static void
sm_credit_dialog_dispose (GObject *object)
{
  SmCreditDialog *self = SM_CREDIT_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_CREDIT_DIALOG);
  g_clear_object (&self->resident);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sm_credit_dialog_parent_class)->dispose (object);
}

static void
sm_credit_dialog_finalize (GObject *object)
{
  SmCreditDialog *self = SM_CREDIT_DIALOG (object);

  g_clear_pointer (&self->error_message, g_free);

  G_OBJECT_CLASS (sm_credit_dialog_parent_class)->finalize (object);
}

static void
sm_credit_dialog_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SmCreditDialog *self = SM_CREDIT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_RESIDENT:
      g_value_set_object (value, self->resident);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_credit_dialog_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SmCreditDialog *self = SM_CREDIT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_RESIDENT:
      self->resident = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_credit_dialog_class_init (SmCreditDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sm_credit_dialog_constructed;
  object_class->dispose = sm_credit_dialog_dispose;
  object_class->finalize = sm_credit_dialog_finalize;
  object_class->get_property = sm_credit_dialog_get_property;
  object_class->set_property = sm_credit_dialog_set_property;

  /**
   * SmCreditDialog:store:
   *
   * The replica the credit record is written to.
   */
  properties[PROP_STORE] = sm_form_object_pspec ("store", SM_TYPE_STORE);
  /**
   * SmCreditDialog:resident:
   *
   * The resident the points go to.
   */
  properties[PROP_RESIDENT] = sm_form_object_pspec ("resident", SM_TYPE_RECORD);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SmCreditDialog::saved:
   * @self: the dialog
   * @credit_id: the id of the credit record written
   *
   * Emitted once the record is in the store, just before the dialog closes.
   */
  signals[SAVED] = sm_form_new_saved_signal (G_TYPE_FROM_CLASS (klass));

  sm_form_install_save_action (widget_class, "credit.save", save_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "credit.save", NULL);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/sanmen/Sanmen/sm-credit-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SmCreditDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, SmCreditDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, SmCreditDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, SmCreditDialog, award_button);
  gtk_widget_class_bind_template_child (widget_class, SmCreditDialog, deduct_button);
  gtk_widget_class_bind_template_child (widget_class, SmCreditDialog, points_row);
  gtk_widget_class_bind_template_child (widget_class, SmCreditDialog, points_spin);
  gtk_widget_class_bind_template_child (widget_class, SmCreditDialog, reason_row);
  gtk_widget_class_bind_template_callback (widget_class, reason_changed_cb);
}

static void
sm_credit_dialog_init (SmCreditDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  sm_form_set_title (ADW_PREFERENCES_ROW (self->points_row), sm_form_field ("credit", "points"));
  sm_form_set_title (ADW_PREFERENCES_ROW (self->reason_row), sm_form_field ("credit", "reason"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->points_spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  sm_field_get_label (sm_form_field ("credit", "points")), -1);
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->save_button));
}

SmCreditDialog *
sm_credit_dialog_new (SmStore  *store,
                      SmRecord *resident)
{
  g_return_val_if_fail (SM_IS_STORE (store), NULL);
  g_return_val_if_fail (SM_IS_RECORD (resident), NULL);

  return g_object_new (SM_TYPE_CREDIT_DIALOG, "store", store, "resident", resident, NULL);
}

SmRecord *
sm_credit_dialog_get_resident (SmCreditDialog *self)
{
  g_return_val_if_fail (SM_IS_CREDIT_DIALOG (self), NULL);

  return self->resident;
}

void
sm_credit_dialog_set_deduct (SmCreditDialog *self,
                             gboolean        deduct)
{
  g_return_if_fail (SM_IS_CREDIT_DIALOG (self));

  gtk_toggle_button_set_active (deduct ? self->deduct_button : self->award_button, TRUE);
}

void
sm_credit_dialog_set_points (SmCreditDialog *self,
                             guint           points)
{
  g_return_if_fail (SM_IS_CREDIT_DIALOG (self));

  gtk_spin_button_set_value (self->points_spin, points);
}

GtkEditable *
sm_credit_dialog_get_reason_entry (SmCreditDialog *self)
{
  g_return_val_if_fail (SM_IS_CREDIT_DIALOG (self), NULL);

  return GTK_EDITABLE (self->reason_row);
}

gboolean
sm_credit_dialog_get_can_save (SmCreditDialog *self)
{
  g_autoptr(GVariant) reason = NULL;

  g_return_val_if_fail (SM_IS_CREDIT_DIALOG (self), FALSE);

  reason = sm_form_text_value (GTK_EDITABLE (self->reason_row));

  return reason != NULL;
}

gboolean
sm_credit_dialog_save (SmCreditDialog *self)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *at = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;
  GVariant *reason;
  gint64 points;

  g_return_val_if_fail (SM_IS_CREDIT_DIALOG (self), FALSE);

  if (!(reason = sm_form_text_value (GTK_EDITABLE (self->reason_row))))
    {
      validate (self);
      return FALSE;
    }

  /* The spin button takes what was typed in it before it counts. */
  gtk_spin_button_update (self->points_spin);
  points = gtk_spin_button_get_value_as_int (self->points_spin);
  if (gtk_toggle_button_get_active (self->deduct_button))
    points = -points;

  now = g_date_time_new_now_utc ();
  at = sm_date_timestamp (now);

  id = sm_store_create_with (self->store, "credit", sm_record_get_grid_id (self->resident), &error,
                             "resident_id", g_variant_new_string (sm_record_get_id (self->resident)),
                             "points", g_variant_new_int64 (points),
                             "reason", reason,
                             "at", g_variant_new_string (at),
                             NULL);
  if (id == NULL)
    g_debug ("Cannot record credit points: %s", error->message);

  return sm_form_finish_save (GTK_WINDOW (self), self->error_label, &self->error_message,
                              signals[SAVED], id, error);
}

const char *
sm_credit_dialog_get_error_message (SmCreditDialog *self)
{
  g_return_val_if_fail (SM_IS_CREDIT_DIALOG (self), NULL);

  return self->error_message;
}
