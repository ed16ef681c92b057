/* sm-household-page.c — one household: its address and badges, residents, visits and
 * red credit points
 *
 * Everything shown comes from the store, read again whenever the household is set or a
 * dialog opened here saves: the household record for the header (address, the tenure
 * badge 新住户 / 老住户, one badge per difficulty tag), its residents, its visits newest
 * first and its residents' credit points. The lists are GListStores bound to list boxes:
 * a household has a handful of residents and, over the years, some dozens of visits.
 *
 * Residents: Add (Ctrl+N) and activating a row open SmResidentDialog; residents who moved
 * out are kept and listed apart, folded away until shown. ID numbers and phones are
 * masked (sm_record_dup_display()) unless revealed for one resident with the eye button;
 * every resident is masked again when the page is left (unmapped) or shows another
 * household. Edit (Ctrl+E) opens SmHouseholdDialog on the household.
 *
 * Red credit points (红色信用积分) are shown per resident: the balance, and the history
 * newest first, read from the append-only credit table. Each resident's + button opens
 * SmCreditDialog to award or deduct points with a reason.
 *
 * Demands (诉求): the household's demands, newest first, as SmDemandRows with their
 * derived status and warning light; activating one emits "demand-activated" for the
 * window to open it, and Raise Demand opens SmDemandDialog.
 *
 * The page does not navigate: the window puts it in a header bar with a back button.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-household-page.h"

#include <glib/gi18n.h>

#include "sm-credit-dialog.h"
#include "sm-demand-row.h"
#include "sm-household-dialog.h"
#include "sm-resident-dialog.h"
#include "sm-resident-row.h"
#include "sm-visit-row.h"

struct _SmHouseholdPage
{
  GtkWidget    parent_instance;

  SmStore     *store;
  char        *household_id;
  char        *worker_id;
  gboolean     cannot_award; /* red credit is office work: see sm-window's role */
  SmRecord    *household;
  GListStore  *residents;   /* of SmRecord: living there, then moved out */
  GListStore  *visits;      /* of SmRecord, newest first */
  GPtrArray   *credits;     /* of SmRecord, newest first */
  GHashTable  *revealed;    /* ids of the residents shown unmasked */

  GtkLabel    *address_label;
  GtkFlowBox  *badge_box;
  GtkButton   *record_button;
  GtkButton   *edit_button;
  GtkListBox  *residents_list;
  GtkLabel    *residents_empty;
  AdwPreferencesGroup *moved_out_group;
  GtkToggleButton *moved_out_toggle;
  GtkListBox  *moved_out_list;
  GtkListBox  *credit_list;
  GtkLabel    *credit_empty;
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

  /* The flow box fills the width (so that it measures its lines right) and may give a
   * badge more room than its text: the badge keeps its own size. */
  gtk_widget_set_halign (badge, GTK_ALIGN_START);
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
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "household.edit", self->household != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "household.add-resident", self->household != NULL);

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

static void
resident_revealed_cb (SmHouseholdPage *self,
                      GParamSpec      *pspec,
                      SmResidentRow   *row)
{
  const char *id = sm_record_get_id (sm_resident_row_get_resident (row));

  if (sm_resident_row_get_revealed (row))
    g_hash_table_add (self->revealed, g_strdup (id));
  else
    g_hash_table_remove (self->revealed, id);
}

static GtkWidget *
create_resident_row_cb (gpointer item,
                        gpointer user_data)
{
  SmHouseholdPage *self = SM_HOUSEHOLD_PAGE (user_data);
  SmRecord *resident = SM_RECORD (item);
  GtkWidget *row = sm_resident_row_new (resident);

  /* Masked unless this resident was revealed on this visit to the page. */
  sm_resident_row_set_revealed (SM_RESIDENT_ROW (row),
                                g_hash_table_contains (self->revealed, sm_record_get_id (resident)));
  g_signal_connect_object (row, "notify::revealed", G_CALLBACK (resident_revealed_cb), self,
                           G_CONNECT_SWAPPED);

  return row;
}

static gboolean
living_filter_cb (gpointer item,
                  gpointer user_data)
{
  return sm_record_get_string (SM_RECORD (item), "moved_out") == NULL;
}

static gboolean
moved_out_filter_cb (gpointer item,
                     gpointer user_data)
{
  return sm_record_get_string (SM_RECORD (item), "moved_out") != NULL;
}

/* Masks every resident again: the page was left, or shows another household. */
static void
conceal_all (SmHouseholdPage *self)
{
  GtkListBox *lists[] = { self->residents_list, self->moved_out_list };

  g_assert (SM_IS_HOUSEHOLD_PAGE (self));

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (lists[i])); row != NULL;
         row = gtk_widget_get_next_sibling (row))
      if (SM_IS_RESIDENT_ROW (row))
        sm_resident_row_set_revealed (SM_RESIDENT_ROW (row), FALSE);
  g_hash_table_remove_all (self->revealed);
}

static void
moved_out_toggled_cb (SmHouseholdPage *self,
                      GtkToggleButton *toggle)
{
  gboolean shown = gtk_toggle_button_get_active (toggle);

  gtk_widget_set_visible (GTK_WIDGET (self->moved_out_list), shown);
  gtk_button_set_label (GTK_BUTTON (toggle), shown ? _("_Hide") : _("_Show"));
}

/* Points with their sign, "+10" or "−3", as the credit history shows them. */
static char *
format_points (gint64 points)
{
  /* Translators: credit points awarded (positive) or deducted (negative), e.g. "+10" and
   * "−3" (a minus sign, U+2212) */
  int value = (int) CLAMP (points, -G_MAXINT, G_MAXINT);

  return value >= 0 ? g_strdup_printf (_("+%d"), value) : g_strdup_printf (_("−%d"), -value);
}

static char *
format_time (const char *timestamp)
{
  g_autoptr(GDateTime) utc = timestamp ? g_date_time_new_from_iso8601 (timestamp, NULL) : NULL;
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;

  /* Translators: the date of a credit record, strftime format */
  return local ? g_date_time_format (local, _("%Y-%m-%d")) : g_strdup (timestamp);
}

static void award_clicked_cb (SmHouseholdPage *self,
                              GtkButton       *button);

/* One expander per resident living there (and per resident who moved out with points):
 * the balance, opened onto the history; its button awards or deducts points. */
static void
fill_credits (SmHouseholdPage *self)
{
  GListModel *residents = G_LIST_MODEL (self->residents);
  guint n_rows = 0;
  GtkWidget *child;

  g_assert (SM_IS_HOUSEHOLD_PAGE (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->credit_list))))
    gtk_list_box_remove (self->credit_list, child);

  for (guint r = 0; r < g_list_model_get_n_items (residents); r++)
    {
      g_autoptr(SmRecord) resident = g_list_model_get_item (residents, r);
      const char *resident_id = sm_record_get_id (resident);
      g_autofree char *subtitle = NULL;
      AdwExpanderRow *expander;
      GtkWidget *award;
      gint64 balance = 0;
      guint n_records = 0;

      expander = ADW_EXPANDER_ROW (adw_expander_row_new ());
      for (guint i = 0; self->credits != NULL && i < self->credits->len; i++)
        {
          SmRecord *credit = g_ptr_array_index (self->credits, i);
          gint64 points = sm_record_get_int (credit, "points", 0);
          g_autofree char *when = NULL;
          g_autofree char *shown = NULL;
          GtkWidget *row, *label;

          if (g_strcmp0 (sm_record_get_string (credit, "resident_id"), resident_id) != 0)
            continue;

          balance += points;
          n_records++;
          when = format_time (sm_record_get_string (credit, "at"));
          shown = format_points (points);
          row = adw_action_row_new ();
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), sm_record_get_string (credit, "reason"));
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), when);
          label = gtk_label_new (shown);
          gtk_widget_add_css_class (label, points >= 0 ? "credit-award" : "credit-deduct");
          gtk_widget_add_css_class (label, "numeric");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
          adw_expander_row_add_row (expander, row);
        }

      if (n_records == 0 && !living_filter_cb (resident, NULL))
        {
          g_object_ref_sink (expander);
          g_object_unref (expander);
          continue;
        }

      if (n_records > 0)
        {
          int value = (int) CLAMP (balance, -G_MAXINT, G_MAXINT);

          /* Translators: a resident's red credit points balance */
          subtitle = g_strdup_printf (ngettext ("Balance: %d point", "Balance: %d points",
                                                (gulong) ABS (value)), value);
        }
      else
        subtitle = g_strdup (_("No points yet"));

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (expander), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), sm_record_get_string (resident, "name"));
      adw_expander_row_set_subtitle (expander, subtitle);
      adw_expander_row_set_enable_expansion (expander, n_records > 0);
      gtk_widget_add_css_class (GTK_WIDGET (expander), "credit-row");

      award = gtk_button_new_from_icon_name ("list-add-symbolic");
      gtk_widget_set_valign (award, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (award, "flat");
      gtk_widget_set_tooltip_text (award, self->cannot_award
                                          /* Translators: why a grid worker cannot award red credit points */
                                          ? _("Only the community office can award or deduct points")
                                          : _("Award or Deduct Points"));
      gtk_widget_set_sensitive (award, !self->cannot_award);
      g_object_set_data_full (G_OBJECT (award), "resident-id", g_strdup (resident_id), g_free);
      g_signal_connect_object (award, "clicked", G_CALLBACK (award_clicked_cb), self, G_CONNECT_SWAPPED);
      adw_expander_row_add_action (expander, award);

      gtk_list_box_append (self->credit_list, GTK_WIDGET (expander));
      n_rows++;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->credit_list), n_rows > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->credit_empty), n_rows == 0);
}

static void
saved_cb (SmHouseholdPage *self,
          const char      *id,
          GtkWindow       *dialog)
{
  g_assert (SM_IS_HOUSEHOLD_PAGE (self));

  sm_household_page_reload (self);
}

static void
present_dialog (SmHouseholdPage *self,
                GtkWindow       *dialog)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  g_assert (SM_IS_HOUSEHOLD_PAGE (self));

  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (dialog, GTK_WINDOW (root));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (saved_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (dialog);
}

/* The resident @resident_id of the household shown (a new reference), or NULL. */
static SmRecord *
find_resident (SmHouseholdPage *self,
               const char      *resident_id)
{
  GListModel *residents = G_LIST_MODEL (self->residents);

  g_assert (SM_IS_HOUSEHOLD_PAGE (self));

  for (guint i = 0; i < g_list_model_get_n_items (residents); i++)
    {
      g_autoptr(SmRecord) resident = g_list_model_get_item (residents, i);

      if (g_str_equal (sm_record_get_id (resident), resident_id))
        return g_steal_pointer (&resident);
    }

  return NULL;
}

static void
award_clicked_cb (SmHouseholdPage *self,
                  GtkButton       *button)
{
  sm_household_page_award_credit (self, g_object_get_data (G_OBJECT (button), "resident-id"));
}

static void
resident_activated_cb (SmHouseholdPage *self,
                       GtkListBoxRow   *row,
                       GtkListBox      *list)
{
  if (SM_IS_RESIDENT_ROW (row))
    sm_household_page_edit_resident (self, sm_record_get_id (sm_resident_row_get_resident (SM_RESIDENT_ROW (row))));
}

static void
edit_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  sm_household_page_edit_household (SM_HOUSEHOLD_PAGE (widget));
}

static void
add_resident_action_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  sm_household_page_add_resident (SM_HOUSEHOLD_PAGE (widget));
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
record_visit_action_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  sm_household_page_record_visit (SM_HOUSEHOLD_PAGE (widget));
}

static void
sm_household_page_unmap (GtkWidget *widget)
{
  /* Left for the list or another page: nobody's ID number stays on screen. */
  conceal_all (SM_HOUSEHOLD_PAGE (widget));

  GTK_WIDGET_CLASS (sm_household_page_parent_class)->unmap (widget);
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
  g_clear_pointer (&self->credits, g_ptr_array_unref);
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
  g_clear_pointer (&self->revealed, g_hash_table_unref);

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
  widget_class->unmap = sm_household_page_unmap;

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
  gtk_widget_class_install_action (widget_class, "household.edit", NULL, edit_action_cb);
  gtk_widget_class_install_action (widget_class, "household.add-resident", NULL,
                                   add_resident_action_cb);
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
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdPage, edit_button);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdPage, residents_list);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdPage, residents_empty);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdPage, moved_out_group);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdPage, moved_out_toggle);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdPage, moved_out_list);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdPage, credit_list);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdPage, credit_empty);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdPage, visits_list);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdPage, visits_empty);
  gtk_widget_class_bind_template_callback (widget_class, resident_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, moved_out_toggled_cb);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdPage, demands_list);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdPage, demands_empty);
  gtk_widget_class_bind_template_callback (widget_class, demand_row_activated_cb);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sm_household_page_init (SmHouseholdPage *self)
{
  GtkFilterListModel *living, *moved_out;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->residents = g_list_store_new (SM_TYPE_RECORD);
  self->visits = g_list_store_new (SM_TYPE_RECORD);
  self->revealed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  living = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->residents)),
                                      GTK_FILTER (gtk_custom_filter_new (living_filter_cb, NULL, NULL)));
  moved_out = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->residents)),
                                         GTK_FILTER (gtk_custom_filter_new (moved_out_filter_cb, NULL, NULL)));
  gtk_list_box_bind_model (self->residents_list, G_LIST_MODEL (living),
                           create_resident_row_cb, self, NULL);
  gtk_list_box_bind_model (self->moved_out_list, G_LIST_MODEL (moved_out),
                           create_resident_row_cb, self, NULL);
  g_object_unref (living);
  g_object_unref (moved_out);
  gtk_list_box_bind_model (self->visits_list, G_LIST_MODEL (self->visits),
                           create_visit_row_cb, NULL, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "household.record-visit", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "household.edit", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "household.add-resident", FALSE);

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
  /* Another household: its residents start masked, and those who moved out folded. */
  g_hash_table_remove_all (self->revealed);
  gtk_toggle_button_set_active (self->moved_out_toggle, FALSE);
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
  g_autoptr(GPtrArray) credits = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *old_title = NULL;
  guint n_living = 0;

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
      g_clear_error (&error);
      if (!(credits = sm_store_list_credits (self->store, self->household_id, &error)))
        g_warning ("Cannot list the credit points of a household: %s", error->message);
    }

  g_set_object (&self->household, household);
  fill (self->residents, residents);
  fill (self->visits, visits);
  g_clear_pointer (&self->credits, g_ptr_array_unref);
  self->credits = g_steal_pointer (&credits);
  fill_credits (self);
  update_header (self);

  for (guint i = 0; residents != NULL && i < residents->len; i++)
    if (living_filter_cb (g_ptr_array_index (residents, i), NULL))
      n_living++;
  gtk_widget_set_visible (GTK_WIDGET (self->residents_list), n_living > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->residents_empty), n_living == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->moved_out_group),
                          residents != NULL && residents->len > n_living);
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

  g_return_val_if_fail (SM_IS_HOUSEHOLD_PAGE (self), NULL);

  if (self->household == NULL)
    return NULL;

  dialog = sm_visit_dialog_new (self->store, self->household, self->worker_id);
  present_dialog (self, GTK_WINDOW (dialog));

  return dialog;
}

SmHouseholdDialog *
sm_household_page_edit_household (SmHouseholdPage *self)
{
  SmHouseholdDialog *dialog;

  g_return_val_if_fail (SM_IS_HOUSEHOLD_PAGE (self), NULL);

  if (self->household == NULL)
    return NULL;

  dialog = sm_household_dialog_new (self->store, NULL, self->household);
  present_dialog (self, GTK_WINDOW (dialog));

  return dialog;
}

SmResidentDialog *
sm_household_page_add_resident (SmHouseholdPage *self)
{
  SmResidentDialog *dialog;

  g_return_val_if_fail (SM_IS_HOUSEHOLD_PAGE (self), NULL);

  if (self->household == NULL)
    return NULL;

  dialog = sm_resident_dialog_new (self->store, self->household, NULL);
  present_dialog (self, GTK_WINDOW (dialog));

  return dialog;
}

SmResidentDialog *
sm_household_page_edit_resident (SmHouseholdPage *self,
                                 const char      *resident_id)
{
  g_autoptr(SmRecord) resident = NULL;
  SmResidentDialog *dialog;

  g_return_val_if_fail (SM_IS_HOUSEHOLD_PAGE (self), NULL);
  g_return_val_if_fail (resident_id != NULL, NULL);

  if (!(resident = find_resident (self, resident_id)))
    return NULL;

  dialog = sm_resident_dialog_new (self->store, self->household, resident);
  present_dialog (self, GTK_WINDOW (dialog));

  return dialog;
}

SmCreditDialog *
sm_household_page_award_credit (SmHouseholdPage *self,
                                const char      *resident_id)
{
  g_autoptr(SmRecord) resident = NULL;
  SmCreditDialog *dialog;

  g_return_val_if_fail (SM_IS_HOUSEHOLD_PAGE (self), NULL);
  g_return_val_if_fail (resident_id != NULL, NULL);

  if (self->cannot_award)
    return NULL;

  if (!(resident = find_resident (self, resident_id)))
    return NULL;

  dialog = sm_credit_dialog_new (self->store, resident);
  present_dialog (self, GTK_WINDOW (dialog));

  return dialog;
}

GPtrArray *
sm_household_page_get_credits (SmHouseholdPage *self)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_PAGE (self), NULL);

  return self->credits;
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

  g_return_val_if_fail (SM_IS_HOUSEHOLD_PAGE (self), NULL);

  if (self->household == NULL)
    return NULL;

  dialog = sm_demand_dialog_new (self->store, self->household, self->worker_id);
  present_dialog (self, GTK_WINDOW (dialog));

  return dialog;
}

void
sm_household_page_set_can_award_credit (SmHouseholdPage *self,
                                        gboolean         can_award)
{
  g_return_if_fail (SM_IS_HOUSEHOLD_PAGE (self));

  if (self->cannot_award == !can_award)
    return;

  self->cannot_award = !can_award;
  fill_credits (self);
}

gboolean
sm_household_page_get_can_award_credit (SmHouseholdPage *self)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_PAGE (self), FALSE);

  return !self->cannot_award;
}
