/* sm-resident-dialog.c — add a resident to a household, edit one, or move one out
 *
 * A modal window over the household page: name, document type and ID number, gender and
 * birth date, phone, relation to the head of household, ethnicity, party membership, the
 * moving-in (and, when editing, moving-out) date, the difficulty tags and notes.
 *
 * Every field is checked as it is typed with the store's own checks (GB 11643 checksum
 * for the 18-character ID numbers, mainland mobile numbers, real dates), and the message,
 * in the user's language, shows right below the field; Save stays disabled while any
 * field is refused. A valid 18-character ID number fills an empty birth date and gender,
 * which it encodes; a birth date that disagrees with it is refused, as the store would.
 *
 * Saving is a local write. An edit writes only the fields that changed. "Move Out Today"
 * sets the moving-out date and saves: the record stays, with its history and credit
 * points, and the household page lists it apart. A failed save shows the store's message
 * at the top and keeps everything typed. ID numbers and phones are never logged.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-resident-dialog.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sm-date.h"
#include "sm-form.h"
#include "sm-validate.h"

struct _SmResidentDialog
{
  AdwWindow            parent_instance;

  SmStore             *store;
  SmRecord            *household;
  SmRecord            *resident;      /* NULL when adding */
  GPtrArray           *tags;          /* of GtkSwitch, from sm_form_add_tags() */
  gboolean             loading;
  gboolean             can_save;
  char                *error_message;

  AdwWindowTitle      *window_title;
  GtkButton           *save_button;
  GtkLabel            *error_label;
  AdwEntryRow         *name_row;
  GtkLabel            *name_error;
  AdwComboRow         *id_type_row;
  AdwEntryRow         *id_number_row;
  GtkLabel            *id_number_error;
  AdwComboRow         *gender_row;
  AdwEntryRow         *birth_date_row;
  GtkLabel            *birth_date_error;
  AdwEntryRow         *phone_row;
  GtkLabel            *phone_error;
  AdwComboRow         *relation_row;
  AdwEntryRow         *ethnicity_row;
  AdwActionRow        *party_member_row;
  GtkSwitch           *party_member_switch;
  AdwEntryRow         *moved_in_row;
  AdwEntryRow         *moved_out_row;
  GtkLabel            *dates_error;
  AdwPreferencesGroup *tags_group;
  AdwEntryRow         *notes_row;
  GtkButton           *move_out_button;
};

G_DEFINE_FINAL_TYPE (SmResidentDialog, sm_resident_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_HOUSEHOLD,
  PROP_RESIDENT,
  PROP_CAN_SAVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const SmField *
field (const char *name)
{
  return sm_form_field ("resident", name);
}

static AdwComboRow *
enum_row (SmResidentDialog *self,
          const char       *name)
{
  if (g_strcmp0 (name, "gender") == 0)
    return self->gender_row;
  if (g_strcmp0 (name, "id_type") == 0)
    return self->id_type_row;
  if (g_strcmp0 (name, "relation") == 0)
    return self->relation_row;

  g_return_val_if_reached (NULL);
}

static const char *
id_type (SmResidentDialog *self)
{
  return sm_form_get_enum (self->id_type_row, field ("id_type"), TRUE);
}

/* Whether the ID number is one of the 18-character kinds with a birth date and a check
 * character (not a passport, nor the 2017 foreign card). */
static gboolean
id_has_birth_date (SmResidentDialog *self,
                   const char       *id_number)
{
  const char *type = id_type (self);

  return id_number != NULL && strlen (id_number) == 18
         && (type == NULL || g_str_equal (type, "cn_id") || g_str_equal (type, "hmt_permit")
             || g_str_equal (type, "foreign_pr"));
}

static gboolean
check_fields (SmResidentDialog *self,
              GVariant        **out_name,
              GVariant        **out_id_number,
              GVariant        **out_birth_date,
              GVariant        **out_phone,
              GVariant        **out_moved_in,
              GVariant        **out_moved_out)
{
  g_autoptr(GVariant) name = NULL, id_number = NULL, birth_date = NULL, phone = NULL;
  g_autoptr(GVariant) moved_in = NULL, moved_out = NULL;
  gboolean ok = TRUE;

  g_assert (SM_IS_RESIDENT_DIALOG (self));

  ok &= sm_form_check_text (GTK_EDITABLE (self->name_row), self->name_error, field ("name"), NULL, &name);
  ok &= sm_form_check_text (GTK_EDITABLE (self->id_number_row), self->id_number_error,
                            field ("id_number"), id_type (self), &id_number);
  ok &= sm_form_check_text (GTK_EDITABLE (self->birth_date_row), self->birth_date_error,
                            field ("birth_date"), NULL, &birth_date);
  ok &= sm_form_check_text (GTK_EDITABLE (self->phone_row), self->phone_error, field ("phone"), NULL, &phone);

  /* The two dates share one line below them: the first problem is shown. */
  if (sm_form_check_text (GTK_EDITABLE (self->moved_in_row), self->dates_error, field ("moved_in"), NULL, &moved_in))
    {
      if (!sm_form_check_text (GTK_EDITABLE (self->moved_out_row), self->dates_error, field ("moved_out"), NULL, &moved_out))
        ok = FALSE;
      else if (moved_in != NULL && moved_out != NULL
               && g_strcmp0 (g_variant_get_string (moved_out, NULL), g_variant_get_string (moved_in, NULL)) < 0)
        {
          sm_form_show_error (GTK_WIDGET (self->moved_out_row), self->dates_error,
                              _("The date of moving out is before the date of moving in"));
          ok = FALSE;
        }
    }
  else
    {
      sm_form_show_error (GTK_WIDGET (self->moved_out_row), NULL, NULL);
      ok = FALSE;
    }

  /* The birth date the ID number encodes, as the store checks it on save. */
  if (id_number != NULL && birth_date != NULL
      && id_has_birth_date (self, g_variant_get_string (id_number, NULL)))
    {
      g_autoptr(GError) error = NULL;

      if (!sm_validate_id_number_birth (g_variant_get_string (id_number, NULL),
                                        g_variant_get_string (birth_date, NULL), &error))
        {
          sm_form_show_error (GTK_WIDGET (self->id_number_row), self->id_number_error, error->message);
          ok = FALSE;
        }
    }

  /* A new, empty dialog says nothing yet about the name it requires. */
  if (self->resident == NULL && *gtk_editable_get_text (GTK_EDITABLE (self->name_row)) == '\0')
    sm_form_show_error (GTK_WIDGET (self->name_row), self->name_error, NULL);

#define OUT(var) if (out_##var != NULL) *out_##var = g_steal_pointer (&var)
  OUT (name);
  OUT (id_number);
  OUT (birth_date);
  OUT (phone);
  OUT (moved_in);
  OUT (moved_out);
#undef OUT

  return ok;
}

static void
validate (SmResidentDialog *self)
{
  gboolean ok;

  g_assert (SM_IS_RESIDENT_DIALOG (self));

  ok = check_fields (self, NULL, NULL, NULL, NULL, NULL, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "resident.save", ok);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "resident.move-out", ok && self->resident != NULL);
  if (self->can_save != ok)
    {
      self->can_save = ok;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_SAVE]);
    }
}

static void
field_changed_cb (SmResidentDialog *self)
{
  if (self->loading)
    return;

  validate (self);
}

/* A valid 18-character ID number encodes the birth date (digits 7–14) and the gender
 * (digit 17: odd for men): fill them in when they are still empty. */
static void
id_number_changed_cb (SmResidentDialog *self)
{
  g_autoptr(GVariant) value = NULL;
  g_autofree char *birth_date = NULL;
  const char *text;

  if (self->loading)
    return;

  value = sm_form_text_value (GTK_EDITABLE (self->id_number_row));
  if (value != NULL)
    {
      g_autoptr(GVariant) canonical = NULL;

      g_variant_ref_sink (value);
      if (sm_field_validate_local (field ("id_number"), value, id_type (self), &canonical, NULL)
          && canonical != NULL && id_has_birth_date (self, (text = g_variant_get_string (canonical, NULL)))
          && sm_validate_id_number (text, &birth_date, NULL))
        {
          if (*gtk_editable_get_text (GTK_EDITABLE (self->birth_date_row)) == '\0')
            gtk_editable_set_text (GTK_EDITABLE (self->birth_date_row), birth_date);
          if (sm_form_get_enum (self->gender_row, field ("gender"), TRUE) == NULL)
            sm_form_set_enum (self->gender_row, field ("gender"), TRUE,
                              (text[16] - '0') % 2 == 1 ? "male" : "female");
        }
    }

  validate (self);
}

static void
save_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  sm_resident_dialog_save (SM_RESIDENT_DIALOG (widget));
}

static void
move_out_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  sm_resident_dialog_move_out (SM_RESIDENT_DIALOG (widget));
}

static GtkSwitch *
flag_switch (SmResidentDialog *self,
             const char       *name)
{
  GtkSwitch *toggle;

  if (g_strcmp0 (name, "party_member") == 0)
    return self->party_member_switch;

  if ((toggle = sm_form_find_tag (self->tags, name)))
    return toggle;

  g_return_val_if_reached (NULL);
}

static void
load_resident (SmResidentDialog *self)
{
  SmRecord *r = self->resident;

  g_assert (SM_IS_RESIDENT_DIALOG (self));

  self->loading = TRUE;
  if (r == NULL)
    {
      /* Most residents hold a resident identity card. */
      sm_form_set_enum (self->id_type_row, field ("id_type"), TRUE, "cn_id");
      self->loading = FALSE;
      return;
    }

  sm_form_load_text (GTK_EDITABLE (self->name_row), r, "name");
  sm_form_set_enum (self->id_type_row, field ("id_type"), TRUE, sm_record_get_string (r, "id_type"));
  sm_form_load_text (GTK_EDITABLE (self->id_number_row), r, "id_number");
  sm_form_set_enum (self->gender_row, field ("gender"), TRUE, sm_record_get_string (r, "gender"));
  sm_form_load_text (GTK_EDITABLE (self->birth_date_row), r, "birth_date");
  sm_form_load_text (GTK_EDITABLE (self->phone_row), r, "phone");
  sm_form_set_enum (self->relation_row, field ("relation"), TRUE, sm_record_get_string (r, "relation"));
  sm_form_load_text (GTK_EDITABLE (self->ethnicity_row), r, "ethnicity");
  gtk_switch_set_active (self->party_member_switch, sm_record_get_bool (r, "party_member"));
  sm_form_load_text (GTK_EDITABLE (self->moved_in_row), r, "moved_in");
  sm_form_load_text (GTK_EDITABLE (self->moved_out_row), r, "moved_out");
  sm_form_load_text (GTK_EDITABLE (self->notes_row), r, "notes");
  sm_form_load_tags (self->tags, r);
  self->loading = FALSE;
}

static void
sm_resident_dialog_constructed (GObject *object)
{
  SmResidentDialog *self = SM_RESIDENT_DIALOG (object);
  const char *name;

  G_OBJECT_CLASS (sm_resident_dialog_parent_class)->constructed (object);

  g_assert (SM_IS_STORE (self->store));
  g_assert (SM_IS_RECORD (self->household));

  load_resident (self);

  name = self->resident ? sm_record_get_string (self->resident, "name") : NULL;
  gtk_window_set_title (GTK_WINDOW (self), self->resident ? _("Edit Resident") : _("Add Resident"));
  adw_window_title_set_title (self->window_title, gtk_window_get_title (GTK_WINDOW (self)));
  adw_window_title_set_subtitle (self->window_title,
                                 name ? name : sm_record_get_string (self->household, "address"));

  /* Moving out is for someone who lives here; the date can still be corrected. */
  gtk_widget_set_visible (GTK_WIDGET (self->moved_out_row), self->resident != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->move_out_button),
                          self->resident != NULL && sm_record_get_string (self->resident, "moved_out") == NULL);

  validate (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

static void
sm_resident_dialog_dispose (GObject *object)
{
  SmResidentDialog *self = SM_RESIDENT_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_RESIDENT_DIALOG);
  g_clear_pointer (&self->tags, g_ptr_array_unref);
  g_clear_object (&self->resident);
  g_clear_object (&self->household);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sm_resident_dialog_parent_class)->dispose (object);
}

static void
sm_resident_dialog_finalize (GObject *object)
{
  SmResidentDialog *self = SM_RESIDENT_DIALOG (object);

  g_clear_pointer (&self->error_message, g_free);

  G_OBJECT_CLASS (sm_resident_dialog_parent_class)->finalize (object);
}

static void
sm_resident_dialog_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SmResidentDialog *self = SM_RESIDENT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_HOUSEHOLD:
      g_value_set_object (value, self->household);
      break;
    case PROP_RESIDENT:
      g_value_set_object (value, self->resident);
      break;
    case PROP_CAN_SAVE:
      g_value_set_boolean (value, self->can_save);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_resident_dialog_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SmResidentDialog *self = SM_RESIDENT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_HOUSEHOLD:
      self->household = g_value_dup_object (value);
      break;
    case PROP_RESIDENT:
      self->resident = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_resident_dialog_class_init (SmResidentDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sm_resident_dialog_constructed;
  object_class->dispose = sm_resident_dialog_dispose;
  object_class->finalize = sm_resident_dialog_finalize;
  object_class->get_property = sm_resident_dialog_get_property;
  object_class->set_property = sm_resident_dialog_set_property;

  /**
   * SmResidentDialog:store:
   *
   * The replica the resident is written to.
   */
  properties[PROP_STORE] = sm_form_object_pspec ("store", SM_TYPE_STORE);
  /**
   * SmResidentDialog:household:
   *
   * The household the resident belongs to.
   */
  properties[PROP_HOUSEHOLD] = sm_form_object_pspec ("household", SM_TYPE_RECORD);
  /**
   * SmResidentDialog:resident:
   *
   * The resident edited; NULL when adding one.
   */
  properties[PROP_RESIDENT] = sm_form_object_pspec ("resident", SM_TYPE_RECORD);
  /**
   * SmResidentDialog:can-save:
   *
   * Whether every field is valid.
   */
  properties[PROP_CAN_SAVE] =
    g_param_spec_boolean ("can-save", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SmResidentDialog::saved:
   * @self: the dialog
   * @resident_id: the id of the resident written
   *
   * Emitted once the resident is in the store, just before the dialog closes.
   */
  signals[SAVED] = sm_form_new_saved_signal (G_TYPE_FROM_CLASS (klass));

  sm_form_install_save_action (widget_class, "resident.save", save_action_cb);
  gtk_widget_class_install_action (widget_class, "resident.move-out", NULL, move_out_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "resident.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "resident.save", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/sanmen/Sanmen/sm-resident-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SmResidentDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, SmResidentDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, SmResidentDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, SmResidentDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, SmResidentDialog, name_error);
  gtk_widget_class_bind_template_child (widget_class, SmResidentDialog, id_type_row);
  gtk_widget_class_bind_template_child (widget_class, SmResidentDialog, id_number_row);
  gtk_widget_class_bind_template_child (widget_class, SmResidentDialog, id_number_error);
  gtk_widget_class_bind_template_child (widget_class, SmResidentDialog, gender_row);
  gtk_widget_class_bind_template_child (widget_class, SmResidentDialog, birth_date_row);
  gtk_widget_class_bind_template_child (widget_class, SmResidentDialog, birth_date_error);
  gtk_widget_class_bind_template_child (widget_class, SmResidentDialog, phone_row);
  gtk_widget_class_bind_template_child (widget_class, SmResidentDialog, phone_error);
  gtk_widget_class_bind_template_child (widget_class, SmResidentDialog, relation_row);
  gtk_widget_class_bind_template_child (widget_class, SmResidentDialog, ethnicity_row);
  gtk_widget_class_bind_template_child (widget_class, SmResidentDialog, party_member_row);
  gtk_widget_class_bind_template_child (widget_class, SmResidentDialog, party_member_switch);
  gtk_widget_class_bind_template_child (widget_class, SmResidentDialog, moved_in_row);
  gtk_widget_class_bind_template_child (widget_class, SmResidentDialog, moved_out_row);
  gtk_widget_class_bind_template_child (widget_class, SmResidentDialog, dates_error);
  gtk_widget_class_bind_template_child (widget_class, SmResidentDialog, tags_group);
  gtk_widget_class_bind_template_child (widget_class, SmResidentDialog, notes_row);
  gtk_widget_class_bind_template_child (widget_class, SmResidentDialog, move_out_button);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, id_number_changed_cb);
}

static void
sm_resident_dialog_init (SmResidentDialog *self)
{
  self->loading = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The schema's labels, so the dialog says what the lists and the messages say. */
  sm_form_set_title (ADW_PREFERENCES_ROW (self->name_row), field ("name"));
  sm_form_setup_enum (self->id_type_row, field ("id_type"), TRUE);
  sm_form_set_title (ADW_PREFERENCES_ROW (self->id_number_row), field ("id_number"));
  sm_form_setup_enum (self->gender_row, field ("gender"), TRUE);
  sm_form_set_title (ADW_PREFERENCES_ROW (self->birth_date_row), field ("birth_date"));
  sm_form_set_title (ADW_PREFERENCES_ROW (self->phone_row), field ("phone"));
  sm_form_setup_enum (self->relation_row, field ("relation"), TRUE);
  sm_form_set_title (ADW_PREFERENCES_ROW (self->ethnicity_row), field ("ethnicity"));
  sm_form_set_title (ADW_PREFERENCES_ROW (self->party_member_row), field ("party_member"));
  sm_form_set_title (ADW_PREFERENCES_ROW (self->moved_in_row), field ("moved_in"));
  sm_form_set_title (ADW_PREFERENCES_ROW (self->moved_out_row), field ("moved_out"));
  sm_form_set_title (ADW_PREFERENCES_ROW (self->notes_row), field ("notes"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->party_member_switch),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  sm_field_get_label (field ("party_member")), -1);
  self->tags = sm_form_add_tags (self->tags_group, "resident");
  self->loading = FALSE;

  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->save_button));
}

SmResidentDialog *
sm_resident_dialog_new (SmStore  *store,
                        SmRecord *household,
                        SmRecord *resident)
{
  g_return_val_if_fail (SM_IS_STORE (store), NULL);
  g_return_val_if_fail (SM_IS_RECORD (household), NULL);
  g_return_val_if_fail (resident == NULL || SM_IS_RECORD (resident), NULL);

  return g_object_new (SM_TYPE_RESIDENT_DIALOG,
                       "store", store,
                       "household", household,
                       "resident", resident,
                       NULL);
}

SmRecord *
sm_resident_dialog_get_resident (SmResidentDialog *self)
{
  g_return_val_if_fail (SM_IS_RESIDENT_DIALOG (self), NULL);

  return self->resident;
}

static AdwEntryRow *
entry_row (SmResidentDialog *self,
           const char       *name,
           GtkLabel        **out_error)
{
  const SmFormEntry entries[] = {
    { "name", self->name_row, self->name_error },
    { "birth_date", self->birth_date_row, self->birth_date_error },
    { "id_number", self->id_number_row, self->id_number_error },
    { "phone", self->phone_row, self->phone_error },
    { "ethnicity", self->ethnicity_row, NULL },
    { "moved_in", self->moved_in_row, self->dates_error },
    { "moved_out", self->moved_out_row, self->dates_error },
    { "notes", self->notes_row, NULL },
  };
  AdwEntryRow *row = sm_form_find_entry (entries, G_N_ELEMENTS (entries), name, out_error);

  g_return_val_if_fail (row != NULL, NULL);

  return row;
}

GtkEditable *
sm_resident_dialog_get_entry (SmResidentDialog *self,
                              const char       *name)
{
  g_return_val_if_fail (SM_IS_RESIDENT_DIALOG (self), NULL);

  return GTK_EDITABLE (entry_row (self, name, NULL));
}

const char *
sm_resident_dialog_get_field_error (SmResidentDialog *self,
                                    const char       *name)
{
  GtkLabel *error = NULL;
  AdwEntryRow *row;

  g_return_val_if_fail (SM_IS_RESIDENT_DIALOG (self), NULL);

  row = entry_row (self, name, &error);

  /* A shared line speaks of the field marked as refused. */
  return row != NULL ? sm_form_get_entry_error (row, error) : NULL;
}

void
sm_resident_dialog_set_enum (SmResidentDialog *self,
                             const char       *name,
                             const char       *value)
{
  g_return_if_fail (SM_IS_RESIDENT_DIALOG (self));

  sm_form_set_enum (enum_row (self, name), field (name), TRUE, value);
}

const char *
sm_resident_dialog_get_enum (SmResidentDialog *self,
                             const char       *name)
{
  g_return_val_if_fail (SM_IS_RESIDENT_DIALOG (self), NULL);

  return sm_form_get_enum (enum_row (self, name), field (name), TRUE);
}

void
sm_resident_dialog_set_flag (SmResidentDialog *self,
                             const char       *name,
                             gboolean          active)
{
  g_return_if_fail (SM_IS_RESIDENT_DIALOG (self));

  gtk_switch_set_active (flag_switch (self, name), active);
}

gboolean
sm_resident_dialog_get_can_save (SmResidentDialog *self)
{
  g_return_val_if_fail (SM_IS_RESIDENT_DIALOG (self), FALSE);

  return self->can_save;
}

gboolean
sm_resident_dialog_save (SmResidentDialog *self)
{
  g_autoptr(GHashTable) values = sm_form_values_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  GVariant *name = NULL, *id_number = NULL, *birth_date = NULL, *phone = NULL;
  GVariant *moved_in = NULL, *moved_out = NULL;
  SmRecord *r;

  g_return_val_if_fail (SM_IS_RESIDENT_DIALOG (self), FALSE);

  r = self->resident;

  /* The checks Save is enabled by, again: Enter may come before a field's last check. */
  if (!check_fields (self, &name, &id_number, &birth_date, &phone, &moved_in, &moved_out))
    {
      validate (self);
      return FALSE;
    }

  if (r == NULL)
    sm_form_put (values, NULL, "household_id", g_variant_new_string (sm_record_get_id (self->household)));
  sm_form_put (values, r, "name", name);
  /* The type goes with the number: the store checks the number against it. */
  sm_form_put (values, r, "id_type",
               id_number != NULL || (r != NULL && sm_record_get_string (r, "id_type") != NULL)
                 ? (id_type (self) ? g_variant_new_string (id_type (self)) : NULL) : NULL);
  sm_form_put (values, r, "id_number", id_number);
  sm_form_put (values, r, "gender", sm_resident_dialog_get_enum (self, "gender")
                                      ? g_variant_new_string (sm_resident_dialog_get_enum (self, "gender")) : NULL);
  sm_form_put (values, r, "birth_date", birth_date);
  sm_form_put (values, r, "phone", phone);
  sm_form_put (values, r, "relation", sm_resident_dialog_get_enum (self, "relation")
                                        ? g_variant_new_string (sm_resident_dialog_get_enum (self, "relation")) : NULL);
  sm_form_put (values, r, "ethnicity", sm_form_text_value (GTK_EDITABLE (self->ethnicity_row)));
  sm_form_put (values, r, "party_member",
               sm_form_flag_value (r, "party_member",
                                   gtk_switch_get_active (self->party_member_switch)));
  sm_form_put (values, r, "moved_in", moved_in);
  if (r != NULL)
    sm_form_put (values, r, "moved_out", moved_out);
  else if (moved_out != NULL)
    g_variant_unref (moved_out);
  sm_form_put (values, r, "notes", sm_form_text_value (GTK_EDITABLE (self->notes_row)));
  sm_form_put_tags (values, r, self->tags);

  id = sm_form_write (self->store, "resident", sm_record_get_grid_id (self->household), r,
                      values, &error);

  if (id == NULL)
    /* Never the values: ID numbers and phones are sensitive. */
    g_debug ("Cannot save a resident: %s", g_quark_to_string (error->domain));

  return sm_form_finish_save (GTK_WINDOW (self), self->error_label, &self->error_message,
                              signals[SAVED], id, error);
}

gboolean
sm_resident_dialog_move_out (SmResidentDialog *self)
{
  g_autofree char *today = NULL;

  g_return_val_if_fail (SM_IS_RESIDENT_DIALOG (self), FALSE);
  g_return_val_if_fail (self->resident != NULL, FALSE);

  today = sm_date_from_today (0);
  gtk_editable_set_text (GTK_EDITABLE (self->moved_out_row), today);

  return sm_resident_dialog_save (self);
}

const char *
sm_resident_dialog_get_error_message (SmResidentDialog *self)
{
  g_return_val_if_fail (SM_IS_RESIDENT_DIALOG (self), NULL);

  return self->error_message;
}
