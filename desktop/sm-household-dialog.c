/* sm-household-dialog.c — add a household, or edit one
 *
 * A modal window over the household list (adding) or a household's page (editing): the
 * grid, the compound and building chosen from those the replica holds, unit and room,
 * the full address, tenure (新住户 / 老住户), the moving-in date, a phone, the difficulty
 * tags and notes. The tags are the schema's, one switch each, so a new tag needs no UI.
 *
 * The address is composed from the building, unit and room as they are picked and typed,
 * the way the community writes it ("幸福路 幸福里小区 3栋 2单元 501"): Chinese postal
 * conventions whatever the UI language, since the address is data every colleague reads.
 * Once the address is typed by hand it is left alone.
 *
 * Fields are checked as they are typed with the store's own checks; a refused field says
 * why right below it and Save stays disabled until every field is valid. Saving is a
 * local write: a new household is created, an edited one gets only the fields that
 * changed, so a colleague's concurrent edit of another field is not overwritten. If the
 * store refuses, its message shows at the top and nothing typed is lost.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-household-dialog.h"

#include <glib/gi18n.h>

#include "sm-form.h"

struct _SmHouseholdDialog
{
  AdwWindow          parent_instance;

  SmStore           *store;
  SmRecord          *household;      /* NULL when adding */
  char              *grid_id;        /* wanted at construction */
  GPtrArray         *grids;          /* of SmRecord, parallel to grid_row's items */
  GPtrArray         *compounds;      /* of SmRecord, after "None" in compound_row */
  GPtrArray         *buildings;      /* of SmRecord, after "None" in building_row */
  GPtrArray         *tags;           /* of GtkSwitch, from sm_form_add_tags() */
  char              *composed;       /* the address as last composed */
  gboolean           address_by_hand;
  gboolean           loading;
  gboolean           can_save;
  char              *error_message;

  AdwWindowTitle    *window_title;
  GtkButton         *save_button;
  GtkLabel          *error_label;
  AdwComboRow       *grid_row;
  AdwComboRow       *compound_row;
  AdwComboRow       *building_row;
  AdwEntryRow       *unit_row;
  AdwEntryRow       *room_row;
  AdwEntryRow       *address_row;
  GtkLabel          *address_error;
  AdwComboRow       *tenure_row;
  AdwEntryRow       *moved_in_row;
  GtkLabel          *moved_in_error;
  AdwEntryRow       *phone_row;
  GtkLabel          *phone_error;
  AdwPreferencesGroup *tags_group;
  AdwEntryRow       *notes_row;
};

G_DEFINE_FINAL_TYPE (SmHouseholdDialog, sm_household_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_GRID_ID,
  PROP_HOUSEHOLD,
  PROP_CAN_SAVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static SmRecord *
selected_record (AdwComboRow *row,
                 GPtrArray   *records,
                 gboolean     after_none)
{
  guint selected = adw_combo_row_get_selected (row);

  if (selected == GTK_INVALID_LIST_POSITION || records == NULL)
    return NULL;
  if (after_none)
    {
      if (selected == 0)
        return NULL;
      selected--;
    }

  return selected < records->len ? g_ptr_array_index (records, selected) : NULL;
}

/* Fills @row with the records' names, after "None" when @with_none. */
static void
fill_row (AdwComboRow *row,
          GPtrArray   *records,
          gboolean     with_none)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  if (with_none)
    /* Translators: no compound, or no building, chosen for a household */
    gtk_string_list_append (names, C_("building", "None"));
  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      SmRecord *record = g_ptr_array_index (records, i);
      const char *name = sm_record_get_string (record, "name");

      gtk_string_list_append (names, name ? name : sm_record_get_id (record));
    }

  adw_combo_row_set_model (row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (row, 0);
  gtk_widget_set_sensitive (GTK_WIDGET (row), g_list_model_get_n_items (G_LIST_MODEL (names)) > 1
                                              || !with_none);
}

static gboolean
select_record (AdwComboRow *row,
               GPtrArray   *records,
               gboolean     after_none,
               const char  *id)
{
  for (guint i = 0; id != NULL && records != NULL && i < records->len; i++)
    if (g_str_equal (sm_record_get_id (g_ptr_array_index (records, i)), id))
      {
        adw_combo_row_set_selected (row, after_none ? i + 1 : i);
        return TRUE;
      }

  return FALSE;
}

/* The address as the community writes it: the building's address (or compound and
 * building names), then "2单元", then the room. */
static char *
compose_address (SmHouseholdDialog *self)
{
  SmRecord *compound = selected_record (self->compound_row, self->compounds, TRUE);
  SmRecord *building = selected_record (self->building_row, self->buildings, TRUE);
  g_autofree char *unit = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->unit_row))));
  g_autofree char *room = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->room_row))));
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  const char *building_address = building ? sm_record_get_string (building, "address") : NULL;

  g_assert (SM_IS_HOUSEHOLD_DIALOG (self));

  if (building_address != NULL && *building_address != '\0')
    g_ptr_array_add (parts, g_strdup (building_address));
  else
    {
      if (compound != NULL && sm_record_get_string (compound, "name"))
        g_ptr_array_add (parts, g_strdup (sm_record_get_string (compound, "name")));
      if (building != NULL && sm_record_get_string (building, "name"))
        g_ptr_array_add (parts, g_strdup (sm_record_get_string (building, "name")));
    }

  /* A unit typed as a number is written "2单元"; "2单元" or "东单元" as typed. */
  if (*unit != '\0')
    {
      gboolean digits = TRUE;

      for (const char *p = unit; *p != '\0'; p++)
        digits &= g_ascii_isdigit (*p);
      g_ptr_array_add (parts, digits ? g_strconcat (unit, "单元", NULL) : g_strdup (unit));
    }
  if (*room != '\0')
    g_ptr_array_add (parts, g_strdup (room));
  g_ptr_array_add (parts, NULL);

  return g_strjoinv (" ", (char **) parts->pdata);
}

static void
update_address (SmHouseholdDialog *self)
{
  g_assert (SM_IS_HOUSEHOLD_DIALOG (self));

  g_free (self->composed);
  self->composed = compose_address (self);
  if (self->address_by_hand)
    return;

  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->address_row), self->composed);
  self->loading = FALSE;
}

static void
validate (SmHouseholdDialog *self)
{
  gboolean ok = TRUE;

  g_assert (SM_IS_HOUSEHOLD_DIALOG (self));

  ok &= sm_form_check_text (GTK_EDITABLE (self->address_row), self->address_error,
                            sm_form_field ("household", "address"), NULL, NULL);
  ok &= sm_form_check_text (GTK_EDITABLE (self->moved_in_row), self->moved_in_error,
                            sm_form_field ("household", "moved_in"), NULL, NULL);
  ok &= sm_form_check_text (GTK_EDITABLE (self->phone_row), self->phone_error,
                            sm_form_field ("household", "phone"), NULL, NULL);
  /* An edited household keeps its grid, even one this replica has no record of. */
  ok &= self->household != NULL || selected_record (self->grid_row, self->grids, FALSE) != NULL;

  /* A new, empty dialog says nothing yet: the address is required, but being told so
   * before typing anything helps nobody. */
  if (self->household == NULL && *gtk_editable_get_text (GTK_EDITABLE (self->address_row)) == '\0')
    sm_form_show_error (GTK_WIDGET (self->address_row), self->address_error, NULL);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "household.save", ok);
  if (self->can_save != ok)
    {
      self->can_save = ok;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_SAVE]);
    }
}

static void
load_buildings (SmHouseholdDialog *self)
{
  SmRecord *compound = selected_record (self->compound_row, self->compounds, TRUE);
  g_autoptr(GError) error = NULL;

  g_assert (SM_IS_HOUSEHOLD_DIALOG (self));

  g_clear_pointer (&self->buildings, g_ptr_array_unref);
  if (compound != NULL
      && !(self->buildings = sm_store_list_buildings (self->store, sm_record_get_id (compound), &error)))
    g_warning ("Cannot list the buildings of a compound: %s", error->message);

  self->loading = TRUE;
  fill_row (self->building_row, self->buildings, TRUE);
  self->loading = FALSE;
}

static void
load_compounds (SmHouseholdDialog *self)
{
  SmRecord *grid = selected_record (self->grid_row, self->grids, FALSE);
  g_autoptr(GError) error = NULL;

  g_assert (SM_IS_HOUSEHOLD_DIALOG (self));

  g_clear_pointer (&self->compounds, g_ptr_array_unref);
  if (grid != NULL
      && !(self->compounds = sm_store_list_compounds (self->store, sm_record_get_id (grid), &error)))
    g_warning ("Cannot list the compounds of a grid: %s", error->message);

  self->loading = TRUE;
  fill_row (self->compound_row, self->compounds, TRUE);
  self->loading = FALSE;
  load_buildings (self);
}

static void
grid_selected_cb (SmHouseholdDialog *self)
{
  if (self->loading)
    return;

  load_compounds (self);
  update_address (self);
  validate (self);
}

static void
compound_selected_cb (SmHouseholdDialog *self)
{
  if (self->loading)
    return;

  load_buildings (self);
  update_address (self);
  validate (self);
}

static void
building_selected_cb (SmHouseholdDialog *self)
{
  if (self->loading)
    return;

  update_address (self);
  validate (self);
}

static void
place_changed_cb (SmHouseholdDialog *self)
{
  if (self->loading)
    return;

  update_address (self);
  validate (self);
}

static void
address_changed_cb (SmHouseholdDialog *self)
{
  if (self->loading)
    return;

  /* Typed by hand, unless typed back to what would be composed. */
  self->address_by_hand = g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->address_row)),
                                     self->composed) != 0;
  validate (self);
}

static void
field_changed_cb (SmHouseholdDialog *self)
{
  if (self->loading)
    return;

  validate (self);
}

static void
save_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  sm_household_dialog_save (SM_HOUSEHOLD_DIALOG (widget));
}

static void
load_household (SmHouseholdDialog *self)
{
  SmRecord *h = self->household;
  g_autoptr(SmRecord) building = NULL;
  const char *building_id;

  g_assert (SM_IS_HOUSEHOLD_DIALOG (self));

  if (h == NULL)
    {
      sm_form_set_enum (self->tenure_row, sm_form_field ("household", "tenure"), FALSE, "new");
      return;
    }

  select_record (self->grid_row, self->grids, FALSE, sm_record_get_grid_id (h));
  load_compounds (self);
  building_id = sm_record_get_string (h, "building_id");
  if (building_id != NULL && (building = sm_store_get (self->store, "building", building_id, NULL)))
    {
      if (select_record (self->compound_row, self->compounds, TRUE,
                         sm_record_get_string (building, "compound_id")))
        load_buildings (self);
      select_record (self->building_row, self->buildings, TRUE, building_id);
    }

  self->loading = TRUE;
  sm_form_load_text (GTK_EDITABLE (self->unit_row), h, "unit");
  sm_form_load_text (GTK_EDITABLE (self->room_row), h, "room");
  sm_form_load_text (GTK_EDITABLE (self->address_row), h, "address");
  sm_form_load_text (GTK_EDITABLE (self->moved_in_row), h, "moved_in");
  sm_form_load_text (GTK_EDITABLE (self->phone_row), h, "phone");
  sm_form_load_text (GTK_EDITABLE (self->notes_row), h, "notes");
  sm_form_set_enum (self->tenure_row, sm_form_field ("household", "tenure"), FALSE,
                    sm_record_get_string (h, "tenure"));
  sm_form_load_tags (self->tags, h);
  self->loading = FALSE;

  /* An address written another way (by the office, or by hand) is kept as it is. */
  g_free (self->composed);
  self->composed = compose_address (self);
  self->address_by_hand = g_strcmp0 (self->composed, sm_record_get_string (h, "address")) != 0;
}

static void
sm_household_dialog_constructed (GObject *object)
{
  SmHouseholdDialog *self = SM_HOUSEHOLD_DIALOG (object);
  g_autoptr(GError) error = NULL;

  G_OBJECT_CLASS (sm_household_dialog_parent_class)->constructed (object);

  g_assert (SM_IS_STORE (self->store));

  if (!(self->grids = sm_store_list_grids (self->store, &error)))
    {
      g_warning ("Cannot list the grids of the replica: %s", error->message);
      self->grids = g_ptr_array_new_with_free_func (g_object_unref);
    }

  self->loading = TRUE;
  fill_row (self->grid_row, self->grids, FALSE);
  self->loading = FALSE;
  if (self->household == NULL)
    select_record (self->grid_row, self->grids, FALSE, self->grid_id);
  load_compounds (self);
  /* A household stays in its grid: moving it is the office's decision (it changes who
   * may see it). */
  gtk_widget_set_sensitive (GTK_WIDGET (self->grid_row), self->household == NULL && self->grids->len > 1);

  if (self->grids->len == 0)
    sm_form_show_banner (self->error_label, &self->error_message,
                         _("This device holds no grid yet, and every household belongs to one. "
                           "Sync with the community office to receive your grid."));

  load_household (self);
  if (!self->address_by_hand)
    update_address (self);

  gtk_window_set_title (GTK_WINDOW (self), self->household ? _("Edit Household") : _("Add Household"));
  adw_window_title_set_title (self->window_title, gtk_window_get_title (GTK_WINDOW (self)));
  if (self->household != NULL)
    adw_window_title_set_subtitle (self->window_title, sm_record_get_string (self->household, "address"));

  validate (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->household ? self->address_row : self->unit_row));
}

static void
sm_household_dialog_dispose (GObject *object)
{
  SmHouseholdDialog *self = SM_HOUSEHOLD_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_HOUSEHOLD_DIALOG);
  g_clear_pointer (&self->tags, g_ptr_array_unref);
  g_clear_object (&self->household);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sm_household_dialog_parent_class)->dispose (object);
}

static void
sm_household_dialog_finalize (GObject *object)
{
  SmHouseholdDialog *self = SM_HOUSEHOLD_DIALOG (object);

  g_clear_pointer (&self->grids, g_ptr_array_unref);
  g_clear_pointer (&self->compounds, g_ptr_array_unref);
  g_clear_pointer (&self->buildings, g_ptr_array_unref);
  g_clear_pointer (&self->grid_id, g_free);
  g_clear_pointer (&self->composed, g_free);
  g_clear_pointer (&self->error_message, g_free);

  G_OBJECT_CLASS (sm_household_dialog_parent_class)->finalize (object);
}

static void
sm_household_dialog_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SmHouseholdDialog *self = SM_HOUSEHOLD_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_GRID_ID:
      g_value_set_string (value, self->grid_id);
      break;
    case PROP_HOUSEHOLD:
      g_value_set_object (value, self->household);
      break;
    case PROP_CAN_SAVE:
      g_value_set_boolean (value, self->can_save);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_household_dialog_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  SmHouseholdDialog *self = SM_HOUSEHOLD_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_GRID_ID:
      self->grid_id = g_value_dup_string (value);
      break;
    case PROP_HOUSEHOLD:
      self->household = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_household_dialog_class_init (SmHouseholdDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sm_household_dialog_constructed;
  object_class->dispose = sm_household_dialog_dispose;
  object_class->finalize = sm_household_dialog_finalize;
  object_class->get_property = sm_household_dialog_get_property;
  object_class->set_property = sm_household_dialog_set_property;

  /**
   * SmHouseholdDialog:store:
   *
   * The replica the household is written to.
   */
  properties[PROP_STORE] = sm_form_object_pspec ("store", SM_TYPE_STORE);
  /**
   * SmHouseholdDialog:grid-id:
   *
   * The grid a new household goes to at first.
   */
  properties[PROP_GRID_ID] =
    g_param_spec_string ("grid-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SmHouseholdDialog:household:
   *
   * The household edited; NULL when adding one.
   */
  properties[PROP_HOUSEHOLD] = sm_form_object_pspec ("household", SM_TYPE_RECORD);
  /**
   * SmHouseholdDialog:can-save:
   *
   * Whether every field is valid.
   */
  properties[PROP_CAN_SAVE] =
    g_param_spec_boolean ("can-save", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SmHouseholdDialog::saved:
   * @self: the dialog
   * @household_id: the id of the household written
   *
   * Emitted once the household is in the store, just before the dialog closes.
   */
  signals[SAVED] = sm_form_new_saved_signal (G_TYPE_FROM_CLASS (klass));

  sm_form_install_save_action (widget_class, "household.save", save_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "household.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "household.save", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/sanmen/Sanmen/sm-household-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdDialog, grid_row);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdDialog, compound_row);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdDialog, building_row);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdDialog, unit_row);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdDialog, room_row);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdDialog, address_row);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdDialog, address_error);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdDialog, tenure_row);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdDialog, moved_in_row);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdDialog, moved_in_error);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdDialog, phone_row);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdDialog, phone_error);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdDialog, tags_group);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdDialog, notes_row);
  gtk_widget_class_bind_template_callback (widget_class, grid_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, compound_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, building_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, place_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, address_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
}

static void
sm_household_dialog_init (SmHouseholdDialog *self)
{
  self->loading = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The schema's labels, so the dialog says what the lists and the messages say. */
  sm_form_set_title (ADW_PREFERENCES_ROW (self->grid_row), sm_form_field ("household", "grid_id"));
  sm_form_set_title (ADW_PREFERENCES_ROW (self->compound_row), sm_form_field ("building", "compound_id"));
  sm_form_set_title (ADW_PREFERENCES_ROW (self->building_row), sm_form_field ("household", "building_id"));
  sm_form_set_title (ADW_PREFERENCES_ROW (self->unit_row), sm_form_field ("household", "unit"));
  sm_form_set_title (ADW_PREFERENCES_ROW (self->room_row), sm_form_field ("household", "room"));
  sm_form_set_title (ADW_PREFERENCES_ROW (self->address_row), sm_form_field ("household", "address"));
  sm_form_setup_enum (self->tenure_row, sm_form_field ("household", "tenure"), FALSE);
  sm_form_set_title (ADW_PREFERENCES_ROW (self->moved_in_row), sm_form_field ("household", "moved_in"));
  sm_form_set_title (ADW_PREFERENCES_ROW (self->phone_row), sm_form_field ("household", "phone"));
  sm_form_set_title (ADW_PREFERENCES_ROW (self->notes_row), sm_form_field ("household", "notes"));
  self->tags = sm_form_add_tags (self->tags_group, "household");
  self->loading = FALSE;

  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->save_button));
}

SmHouseholdDialog *
sm_household_dialog_new (SmStore    *store,
                         const char *grid_id,
                         SmRecord   *household)
{
  g_return_val_if_fail (SM_IS_STORE (store), NULL);
  g_return_val_if_fail (household == NULL || SM_IS_RECORD (household), NULL);

  return g_object_new (SM_TYPE_HOUSEHOLD_DIALOG,
                       "store", store,
                       "grid-id", grid_id,
                       "household", household,
                       NULL);
}

SmRecord *
sm_household_dialog_get_household (SmHouseholdDialog *self)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_DIALOG (self), NULL);

  return self->household;
}

static AdwEntryRow *
entry_row (SmHouseholdDialog *self,
           const char        *field,
           GtkLabel         **out_error)
{
  const SmFormEntry entries[] = {
    { "unit", self->unit_row, NULL },
    { "room", self->room_row, NULL },
    { "address", self->address_row, self->address_error },
    { "moved_in", self->moved_in_row, self->moved_in_error },
    { "phone", self->phone_row, self->phone_error },
    { "notes", self->notes_row, NULL },
  };
  AdwEntryRow *row = sm_form_find_entry (entries, G_N_ELEMENTS (entries), field, out_error);

  g_return_val_if_fail (row != NULL, NULL);

  return row;
}

GtkEditable *
sm_household_dialog_get_entry (SmHouseholdDialog *self,
                               const char        *field)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_DIALOG (self), NULL);

  return GTK_EDITABLE (entry_row (self, field, NULL));
}

const char *
sm_household_dialog_get_field_error (SmHouseholdDialog *self,
                                     const char        *field)
{
  GtkLabel *error = NULL;
  AdwEntryRow *row;

  g_return_val_if_fail (SM_IS_HOUSEHOLD_DIALOG (self), NULL);

  row = entry_row (self, field, &error);

  return row != NULL ? sm_form_get_entry_error (row, error) : NULL;
}

gboolean
sm_household_dialog_select_grid (SmHouseholdDialog *self,
                                 const char        *grid_id)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_DIALOG (self), FALSE);

  return select_record (self->grid_row, self->grids, FALSE, grid_id);
}

gboolean
sm_household_dialog_select_compound (SmHouseholdDialog *self,
                                     const char        *compound_id)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_DIALOG (self), FALSE);

  return select_record (self->compound_row, self->compounds, TRUE, compound_id);
}

gboolean
sm_household_dialog_select_building (SmHouseholdDialog *self,
                                     const char        *building_id)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_DIALOG (self), FALSE);

  return select_record (self->building_row, self->buildings, TRUE, building_id);
}

void
sm_household_dialog_set_tenure (SmHouseholdDialog *self,
                                const char        *tenure)
{
  g_return_if_fail (SM_IS_HOUSEHOLD_DIALOG (self));

  sm_form_set_enum (self->tenure_row, sm_form_field ("household", "tenure"), FALSE, tenure);
}

void
sm_household_dialog_set_tag (SmHouseholdDialog *self,
                             const char        *tag,
                             gboolean           active)
{
  GtkSwitch *toggle;

  g_return_if_fail (SM_IS_HOUSEHOLD_DIALOG (self));

  if ((toggle = sm_form_find_tag (self->tags, tag)))
    gtk_switch_set_active (toggle, active);
}

gboolean
sm_household_dialog_get_can_save (SmHouseholdDialog *self)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_DIALOG (self), FALSE);

  return self->can_save;
}

gboolean
sm_household_dialog_save (SmHouseholdDialog *self)
{
  g_autoptr(GHashTable) values = sm_form_values_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  GVariant *address = NULL, *moved_in = NULL, *phone = NULL;
  gboolean address_ok, moved_in_ok, phone_ok;
  SmRecord *grid, *building;
  SmRecord *h;

  g_return_val_if_fail (SM_IS_HOUSEHOLD_DIALOG (self), FALSE);

  h = self->household;
  grid = selected_record (self->grid_row, self->grids, FALSE);
  building = selected_record (self->building_row, self->buildings, TRUE);

  /* The checks Save is enabled by, again: Enter may come before a field's last check.
   * Every field is checked, so that each shows its own error. */
  address_ok = sm_form_check_text (GTK_EDITABLE (self->address_row), self->address_error,
                                   sm_form_field ("household", "address"), NULL, &address);
  moved_in_ok = sm_form_check_text (GTK_EDITABLE (self->moved_in_row), self->moved_in_error,
                                    sm_form_field ("household", "moved_in"), NULL, &moved_in);
  phone_ok = sm_form_check_text (GTK_EDITABLE (self->phone_row), self->phone_error,
                                 sm_form_field ("household", "phone"), NULL, &phone);
  if (!address_ok || !moved_in_ok || !phone_ok || (h == NULL && grid == NULL))
    {
      g_clear_pointer (&address, g_variant_unref);
      g_clear_pointer (&moved_in, g_variant_unref);
      g_clear_pointer (&phone, g_variant_unref);
      validate (self);
      return FALSE;
    }

  sm_form_put (values, h, "building_id", building ? g_variant_new_string (sm_record_get_id (building)) : NULL);
  sm_form_put (values, h, "unit", sm_form_text_value (GTK_EDITABLE (self->unit_row)));
  sm_form_put (values, h, "room", sm_form_text_value (GTK_EDITABLE (self->room_row)));
  sm_form_put (values, h, "address", address);
  sm_form_put (values, h, "tenure",
               g_variant_new_string (sm_form_get_enum (self->tenure_row, sm_form_field ("household", "tenure"), FALSE)));
  sm_form_put (values, h, "moved_in", moved_in);
  sm_form_put (values, h, "phone", phone);
  sm_form_put (values, h, "notes", sm_form_text_value (GTK_EDITABLE (self->notes_row)));
  /* A new household writes only the tags it has. */
  sm_form_put_tags (values, h, self->tags);

  id = sm_form_write (self->store, "household", grid ? sm_record_get_id (grid) : NULL, h,
                      values, &error);

  if (id == NULL)
    /* Never the values: a phone is sensitive. */
    g_debug ("Cannot save a household: %s", error->message);

  return sm_form_finish_save (GTK_WINDOW (self), self->error_label, &self->error_message,
                              signals[SAVED], id, error);
}

const char *
sm_household_dialog_get_error_message (SmHouseholdDialog *self)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_DIALOG (self), NULL);

  return self->error_message;
}
