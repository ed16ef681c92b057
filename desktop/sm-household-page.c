/* sm-household-page.c — one household: its address and badges, residents and visits
 *
 * Everything shown comes from the store, read again whenever the household is set or a
 * visit is recorded here: the household record for the header (address, the tenure badge
 * 新住户 / 老住户, one badge per difficulty tag), its residents, and its visits newest
 * first. Sensitive values (ID numbers, phones) are only ever shown masked, through
 * sm_record_dup_display(). The lists are GListStores bound to list boxes: a household
 * has a handful of residents and, over the years, some dozens of visits.
 *
 * The page does not navigate: the window puts it in a header bar with a back button.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-household-page.h"

#include <glib/gi18n.h>

#include "sm-demand-row.h"
#include "sm-visit-row.h"

struct _SmHouseholdPage
{
  GtkWidget    parent_instance;

  SmStore     *store;
  char        *household_id;
  char        *worker_id;
  SmRecord    *household;
  GListStore  *residents;   /* of SmRecord */
  GListStore  *visits;      /* of SmRecord, newest first */

  GtkLabel    *address_label;
  GtkFlowBox  *badge_box;
  GtkButton   *record_button;
  GtkListBox  *residents_list;
  GtkLabel    *residents_empty;
  GtkListBox  *visits_list;
  GtkLabel    *visits_empty;

  /* The demands section: the household's demands and “Raise Demand”. */
  GListStore  *demands;     /* of SmRecord, most recently reported first */
  GtkListBox  *demands_list;
  GtkLabel    *demands_empty;
};

G_DEFINE_FINAL_TYPE (SmHouseholdPage, sm_household_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_HOUSEHOLD_ID,
  PROP_WORKER_ID,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  DEMAND_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
add_badge (SmHouseholdPage *self,
           const char      *text,
           const char      *css_class,
           const char      *tooltip)
{
  GtkWidget *badge = gtk_label_new (text);

  g_assert (SM_IS_HOUSEHOLD_PAGE (self));

  gtk_widget_add_css_class (badge, "badge");
  gtk_widget_add_css_class (badge, css_class);
  gtk_widget_set_tooltip_text (badge, tooltip);
  gtk_flow_box_append (self->badge_box, badge);
}

static void
update_header (SmHouseholdPage *self)
{
  GtkWidget *child;

  g_assert (SM_IS_HOUSEHOLD_PAGE (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->badge_box))))
    gtk_flow_box_remove (self->badge_box, child);

  gtk_label_set_label (self->address_label, sm_household_page_get_title (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "household.record-visit",
                                 self->household != NULL);

  if (self->household == NULL)
    return;

  {
    g_autofree char *tenure = sm_record_dup_display (self->household, "tenure");
    const SmTable *table = sm_record_get_table (self->household);

    if (tenure != NULL)
      add_badge (self, tenure,
                 g_strcmp0 (sm_record_get_string (self->household, "tenure"), "new") == 0
                   ? "tenure-new" : "tenure-existing",
                 sm_field_get_label (sm_table_lookup_field (table, "tenure")));

    for (guint i = 0; i < table->n_fields; i++)
      {
        const SmField *field = &table->fields[i];

        if ((field->flags & SM_FIELD_FLAG_TAG) && sm_record_get_bool (self->household, field->name))
          /* Translators: the tooltip of a difficulty badge on a household's page */
          add_badge (self, sm_field_get_label (field), "difficulty", _("Household in difficulty"));
      }
  }
}

static GtkWidget *
create_resident_row_cb (gpointer item,
                        gpointer user_data)
{
  SmRecord *resident = SM_RECORD (item);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *subtitle = NULL;
  static const char * const fields[] = { "relation", "id_number", "phone" };
  GtkWidget *row = adw_action_row_new ();

  /* Masked by sm_record_dup_display(): a list never shows a whole ID number or phone. */
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      char *value = sm_record_dup_display (resident, fields[i]);

      if (value != NULL && *value != '\0')
        g_ptr_array_add (parts, value);
      else
        g_free (value);
    }
  g_ptr_array_add (parts, NULL);
  /* Translators: separates a resident's relation, ID number and phone */
  subtitle = g_strjoinv (_(" · "), (char **) parts->pdata);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), sm_record_get_string (resident, "name"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_add_css_class (row, "resident-row");

  return row;
}

static GtkWidget *
create_visit_row_cb (gpointer item,
                     gpointer user_data)
{
  return sm_visit_row_new (SM_RECORD (item));
}

static void
fill (GListStore *list,
      GPtrArray  *records)
{
  g_list_store_splice (list, 0, g_list_model_get_n_items (G_LIST_MODEL (list)),
                       records ? records->pdata : NULL, records ? records->len : 0);
}

/* ---------------------------------------------------------------- demands section */

static GtkWidget *
create_demand_row_cb (gpointer item,
                      gpointer user_data)
{
  SmHouseholdPage *self = user_data;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *demand_row = sm_demand_row_new (self->store);

  /* The page says whose demands these are already. */
  sm_demand_row_set_show_address (SM_DEMAND_ROW (demand_row), FALSE);
  sm_demand_row_set_demand (SM_DEMAND_ROW (demand_row), SM_RECORD (item));
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), demand_row);

  return row;
}

static void
demand_row_activated_cb (SmHouseholdPage *self,
                         GtkListBoxRow   *row,
                         GtkListBox      *list)
{
  g_autoptr(SmRecord) demand = g_list_model_get_item (G_LIST_MODEL (self->demands),
                                                      (guint) gtk_list_box_row_get_index (row));

  if (demand != NULL)
    g_signal_emit (self, signals[DEMAND_ACTIVATED], 0, sm_record_get_id (demand));
}

static void
demand_saved_cb (SmHouseholdPage *self,
                 const char      *demand_id,
                 SmDemandDialog  *dialog)
{
  g_assert (SM_IS_HOUSEHOLD_PAGE (self));

  sm_household_page_reload (self);
}

static void
raise_demand_action_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  sm_household_page_raise_demand (SM_HOUSEHOLD_PAGE (widget));
}

static void
reload_demands (SmHouseholdPage *self)
{
  g_autoptr(GPtrArray) demands = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (SM_IS_HOUSEHOLD_PAGE (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "household.raise-demand", self->household != NULL);
  if (self->household != NULL
      && !(demands = sm_store_list_household_demands (self->store, self->household_id, &error)))
    g_warning ("Cannot list the demands of a household: %s", error->message);

  fill (self->demands, demands);
  gtk_widget_set_visible (GTK_WIDGET (self->demands_list), demands && demands->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->demands_empty), !demands || demands->len == 0);
}

/* ---------------------------------------------------------------- */

static void
visit_saved_cb (SmHouseholdPage *self,
                const char      *visit_id,
                SmVisitDialog   *dialog)
{
  g_assert (SM_IS_HOUSEHOLD_PAGE (self));

  sm_household_page_reload (self);
}

static void
record_visit_action_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  sm_household_page_record_visit (SM_HOUSEHOLD_PAGE (widget));
}

static void
sm_household_page_dispose (GObject *object)
{
  GtkWidget *child;
  SmHouseholdPage *self = SM_HOUSEHOLD_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_HOUSEHOLD_PAGE);
  /* Children without an id are not template children: unparent what is left. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->household);
  g_clear_object (&self->residents);
  g_clear_object (&self->visits);
  g_clear_object (&self->demands);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sm_household_page_parent_class)->dispose (object);
}

static void
sm_household_page_finalize (GObject *object)
{
  SmHouseholdPage *self = SM_HOUSEHOLD_PAGE (object);

  g_clear_pointer (&self->household_id, g_free);
  g_clear_pointer (&self->worker_id, g_free);

  G_OBJECT_CLASS (sm_household_page_parent_class)->finalize (object);
}

static void
sm_household_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SmHouseholdPage *self = SM_HOUSEHOLD_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_HOUSEHOLD_ID:
      g_value_set_string (value, self->household_id);
      break;
    case PROP_WORKER_ID:
      g_value_set_string (value, self->worker_id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, sm_household_page_get_title (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_household_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SmHouseholdPage *self = SM_HOUSEHOLD_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_HOUSEHOLD_ID:
      sm_household_page_set_household_id (self, g_value_get_string (value));
      break;
    case PROP_WORKER_ID:
      sm_household_page_set_worker_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_household_page_class_init (SmHouseholdPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sm_household_page_dispose;
  object_class->finalize = sm_household_page_finalize;
  object_class->get_property = sm_household_page_get_property;
  object_class->set_property = sm_household_page_set_property;

  /**
   * SmHouseholdPage:store:
   *
   * The replica the household comes from and visits go to.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SmHouseholdPage:household-id:
   *
   * The household shown.
   */
  properties[PROP_HOUSEHOLD_ID] =
    g_param_spec_string ("household-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * SmHouseholdPage:worker-id:
   *
   * Who records visits here: the signed-in login; NULL for "local".
   */
  properties[PROP_WORKER_ID] =
    g_param_spec_string ("worker-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * SmHouseholdPage:title:
   *
   * The household's address, for a header bar.
   */
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "household.record-visit", NULL,
                                   record_visit_action_cb);
  gtk_widget_class_install_action (widget_class, "household.raise-demand", NULL,
                                   raise_demand_action_cb);

  /**
   * SmHouseholdPage::demand-activated:
   * @self: the page
   * @demand_id: the demand's id
   *
   * Emitted when a row of the demands section is activated, for the window to open it.
   */
  signals[DEMAND_ACTIVATED] =
    g_signal_new ("demand-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/sanmen/Sanmen/sm-household-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdPage, address_label);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdPage, badge_box);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdPage, record_button);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdPage, residents_list);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdPage, residents_empty);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdPage, visits_list);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdPage, visits_empty);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdPage, demands_list);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdPage, demands_empty);
  gtk_widget_class_bind_template_callback (widget_class, demand_row_activated_cb);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sm_household_page_init (SmHouseholdPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->residents = g_list_store_new (SM_TYPE_RECORD);
  self->visits = g_list_store_new (SM_TYPE_RECORD);
  gtk_list_box_bind_model (self->residents_list, G_LIST_MODEL (self->residents),
                           create_resident_row_cb, NULL, NULL);
  gtk_list_box_bind_model (self->visits_list, G_LIST_MODEL (self->visits),
                           create_visit_row_cb, NULL, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "household.record-visit", FALSE);

  self->demands = g_list_store_new (SM_TYPE_RECORD);
  gtk_list_box_bind_model (self->demands_list, G_LIST_MODEL (self->demands),
                           create_demand_row_cb, self, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "household.raise-demand", FALSE);
}

GtkWidget *
sm_household_page_new (SmStore *store)
{
  g_return_val_if_fail (SM_IS_STORE (store), NULL);

  return g_object_new (SM_TYPE_HOUSEHOLD_PAGE, "store", store, NULL);
}

SmStore *
sm_household_page_get_store (SmHouseholdPage *self)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_PAGE (self), NULL);

  return self->store;
}

const char *
sm_household_page_get_household_id (SmHouseholdPage *self)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_PAGE (self), NULL);

  return self->household_id;
}

void
sm_household_page_set_household_id (SmHouseholdPage *self,
                                    const char      *household_id)
{
  g_return_if_fail (SM_IS_HOUSEHOLD_PAGE (self));

  if (g_strcmp0 (self->household_id, household_id) == 0)
    {
      /* The same household again: show what the store holds now. */
      sm_household_page_reload (self);
      return;
    }

  g_free (self->household_id);
  self->household_id = g_strdup (household_id);
  sm_household_page_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOUSEHOLD_ID]);
}

SmRecord *
sm_household_page_get_household (SmHouseholdPage *self)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_PAGE (self), NULL);

  return self->household;
}

const char *
sm_household_page_get_title (SmHouseholdPage *self)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_PAGE (self), NULL);

  return self->household ? sm_record_get_string (self->household, "address") : NULL;
}

const char *
sm_household_page_get_worker_id (SmHouseholdPage *self)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_PAGE (self), NULL);

  return self->worker_id;
}

void
sm_household_page_set_worker_id (SmHouseholdPage *self,
                                 const char      *worker_id)
{
  g_return_if_fail (SM_IS_HOUSEHOLD_PAGE (self));

  if (g_strcmp0 (self->worker_id, worker_id) == 0)
    return;

  g_free (self->worker_id);
  self->worker_id = g_strdup (worker_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKER_ID]);
}

void
sm_household_page_reload (SmHouseholdPage *self)
{
  g_autoptr(SmRecord) household = NULL;
  g_autoptr(GPtrArray) residents = NULL;
  g_autoptr(GPtrArray) visits = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *old_title = NULL;

  g_return_if_fail (SM_IS_HOUSEHOLD_PAGE (self));

  old_title = g_strdup (sm_household_page_get_title (self));

  if (self->household_id != NULL)
    {
      if (!(household = sm_store_get (self->store, "household", self->household_id, &error)))
        g_debug ("Cannot read household %s: %s", self->household_id, error->message);
      else if (sm_record_is_deleted (household))
        g_clear_object (&household);
      g_clear_error (&error);
    }

  if (household != NULL)
    {
      if (!(residents = sm_store_list_residents (self->store, self->household_id, &error)))
        g_warning ("Cannot list the residents of a household: %s", error->message);
      g_clear_error (&error);
      if (!(visits = sm_store_list_visits (self->store, self->household_id, &error)))
        g_warning ("Cannot list the visits of a household: %s", error->message);
    }

  g_set_object (&self->household, household);
  fill (self->residents, residents);
  fill (self->visits, visits);
  update_header (self);

  gtk_widget_set_visible (GTK_WIDGET (self->residents_list), residents && residents->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->residents_empty), !residents || residents->len == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->visits_list), visits && visits->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->visits_empty), !visits || visits->len == 0);
  reload_demands (self);

  if (g_strcmp0 (old_title, sm_household_page_get_title (self)) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

GListModel *
sm_household_page_get_residents (SmHouseholdPage *self)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_PAGE (self), NULL);

  return G_LIST_MODEL (self->residents);
}

GListModel *
sm_household_page_get_visits (SmHouseholdPage *self)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_PAGE (self), NULL);

  return G_LIST_MODEL (self->visits);
}

SmVisitDialog *
sm_household_page_record_visit (SmHouseholdPage *self)
{
  SmVisitDialog *dialog;
  GtkRoot *root;

  g_return_val_if_fail (SM_IS_HOUSEHOLD_PAGE (self), NULL);

  if (self->household == NULL)
    return NULL;

  dialog = sm_visit_dialog_new (self->store, self->household, self->worker_id);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (root));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (visit_saved_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return dialog;
}

GListModel *
sm_household_page_get_demands (SmHouseholdPage *self)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_PAGE (self), NULL);

  return G_LIST_MODEL (self->demands);
}

SmDemandDialog *
sm_household_page_raise_demand (SmHouseholdPage *self)
{
  SmDemandDialog *dialog;
  GtkRoot *root;

  g_return_val_if_fail (SM_IS_HOUSEHOLD_PAGE (self), NULL);

  if (self->household == NULL)
    return NULL;

  dialog = sm_demand_dialog_new (self->store, self->household, self->worker_id);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (root));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (demand_saved_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return dialog;
}
