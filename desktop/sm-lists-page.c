/* sm-lists-page.c — 清单: the resource, demand and claim lists (三项清单)
 *
 * The three lists, switched by a stack switcher at the top. Claims (认领) are made on a
 * demand's page ("Match a Resource…"); the third view lists those still open.
 *
 * Resources: what partner units offer, by category, provider and service, inactive ones
 * marked. A category drop-down asks the store for one category; the search text filters
 * what it returned (a community has tens of resources, not thousands). Adding and editing
 * are office work: the button and the rows are insensitive, with a tooltip saying so,
 * unless "can-manage" is set (sm-window sets it from the signed-in role).
 *
 * Open demands: those not yet resolved or evaluated, the most urgent first (督办, then
 * those nobody has responded to), each with how many resources are working on it. Read a
 * page of PAGE_SIZE at a time from the status index; "Show More" reads the next.
 * Activating one emits "demand-activated" for the window to open it.
 *
 * Claims: the open claims of the open demands (a claim closes with its demand, see
 * sm-claim-row), in the same order, each naming its demand; activating one opens the
 * demand, and its menu moves its status here as on the demand's page ("claim.set-status").
 * At most CLAIMS_SHOWN; more open claims than that is work for the demands' pages.
 *
 * The page follows the store's "changed" signal (a local write or a sync), read again
 * once the main loop is idle, so several writes cost one read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-lists-page.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "sm-claim-row.h"
#include "sm-demand-actions.h"

#define PAGE_SIZE 100
#define CLAIMS_SHOWN 500

struct _SmListsPage
{
  GtkWidget      parent_instance;

  SmStore       *store;
  gboolean       can_manage;
  char          *category;          /* NULL: every category */
  GStrv          categories;        /* as in the drop-down, after "All categories" */
  GListStore    *resources;         /* of SmRecord: shown */
  GListStore    *demands;           /* of SmRecord: shown */
  GArray        *claim_counts;      /* of guint, parallel to demands */
  GListStore    *claims;            /* of SmRecord: shown */
  GHashTable    *related;           /* id → SmRecord: the claims' demands and resources */
  guint          n_demand_pages;
  guint          reload_id;
  gboolean       stale;       /* the store changed while the page was not shown */
  gboolean       filling;           /* setting the drop-down, not choosing */

  GtkStack      *view_stack;
  GtkSearchEntry *search_entry;
  GtkDropDown   *category_dropdown;
  GtkStringList *category_names;
  GtkWidget     *add_button;
  GtkListBox    *resource_list;
  GtkWidget     *resources_empty;
  GtkListBox    *demand_list;
  GtkWidget     *more_button;
  GtkWidget     *demands_empty;
  GtkLabel      *claim_error_label;
  GtkListBox    *claim_list;
  GtkWidget     *claims_empty;
};

G_DEFINE_FINAL_TYPE (SmListsPage, sm_lists_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CAN_MANAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  DEMAND_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
resource_is_active (SmRecord *resource)
{
  /* One that never said is offered, as the store's lists count it. */
  return sm_record_get_value (resource, "active") == NULL || sm_record_get_bool (resource, "active");
}

static GtkWidget *
create_resource_row_cb (gpointer item,
                        gpointer user_data)
{
  SmListsPage *self = SM_LISTS_PAGE (user_data);
  SmRecord *resource = SM_RECORD (item);
  g_autoptr(GString) subtitle = g_string_new (sm_record_get_string (resource, "category"));
  g_autofree char *title = NULL;
  const char *contact = sm_record_get_string (resource, "contact");
  const char *description = sm_record_get_string (resource, "description");
  GtkWidget *row = adw_action_row_new ();

  /* Translators: a resource in a list: “provider · service”, e.g. “红星物业 · 上门维修” */
  title = g_strdup_printf (_("%s · %s"), sm_record_get_string (resource, "provider"),
                           sm_record_get_string (resource, "name"));
  if (contact != NULL)
    /* Translators: the category and the contact of a resource, “设施维修 · 0571-8888” */
    g_string_printf (subtitle, _("%s · %s"), sm_record_get_string (resource, "category"), contact);
  if (description != NULL)
    g_string_append_printf (subtitle, "\n%s", description);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  gtk_widget_add_css_class (row, "resource-row");

  if (!resource_is_active (resource))
    {
      /* Translators: a resource a partner unit no longer offers */
      GtkWidget *badge = gtk_label_new (_("Inactive"));

      gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (badge, "badge");
      gtk_widget_add_css_class (badge, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge);
      gtk_widget_add_css_class (row, "inactive");
    }

  /* Editing is the office's; a worker reads the list. */
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), self->can_manage);
  if (self->can_manage)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("document-edit-symbolic"));

  return row;
}

static GtkWidget *
create_demand_row_cb (gpointer item,
                      gpointer user_data)
{
  SmRecord *demand = SM_RECORD (item);
  g_autofree char *status = sm_record_dup_display (demand, "status");
  g_autofree char *reported = sm_demand_format_time (sm_record_get_string (demand, "reported_at"));
  const char *category = sm_record_get_string (demand, "category");
  g_autofree char *subtitle = NULL;
  g_autofree char *claims = NULL;
  guint n_claims;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label;

  n_claims = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (demand), "sm-claim-count"));

  /* Translators: a demand in the 需求清单: “status · category · reported”, e.g.
   * “处置 · 设施维修 · 2026-09-21 09:30” */
  subtitle = g_strdup_printf (_("%s · %s · %s"), status ? status : "", category ? category : "",
                              reported ? reported : "");
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), sm_record_get_string (demand, "title"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  /* Translators: how many resources were matched with a demand (认领) */
  claims = g_strdup_printf (ngettext ("%u claim", "%u claims", n_claims), n_claims);
  label = gtk_label_new (claims);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "badge");
  if (n_claims == 0)
    gtk_widget_add_css_class (label, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));

  return row;
}

static SmRecord *
related_record (SmListsPage *self,
                const char  *table,
                const char  *id)
{
  SmRecord *record;

  if (id == NULL)
    return NULL;
  if ((record = g_hash_table_lookup (self->related, id)))
    return record;
  if (!(record = sm_store_get (self->store, table, id, NULL)))
    return NULL;

  g_hash_table_insert (self->related, g_strdup (id), record);
  return record;
}

static GtkWidget *
create_claim_row_cb (gpointer item,
                     gpointer user_data)
{
  SmListsPage *self = SM_LISTS_PAGE (user_data);
  SmRecord *claim = SM_RECORD (item);
  SmRecord *demand = related_record (self, "demand", sm_record_get_string (claim, "demand_id"));
  SmRecord *resource = related_record (self, "resource", sm_record_get_string (claim, "resource_id"));
  GtkWidget *row = sm_claim_row_new (claim, resource, demand ? sm_record_get_string (demand, "status") : NULL);

  sm_claim_row_set_demand_title (SM_CLAIM_ROW (row), demand ? sm_record_get_string (demand, "title") : NULL);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  return row;
}

static gboolean
matches_search (SmRecord   *resource,
                const char *needle)
{
  static const char * const fields[] = { "provider", "name", "category", "contact", "description" };

  if (needle == NULL || *needle == '\0')
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const char *value = sm_record_get_string (resource, fields[i]);
      g_autofree char *folded = value ? g_utf8_casefold (value, -1) : NULL;

      if (folded != NULL && strstr (folded, needle) != NULL)
        return TRUE;
    }

  return FALSE;
}

static void
read_categories (SmListsPage *self)
{
  g_auto(GStrv) categories = NULL;
  g_autoptr(GError) error = NULL;
  guint selected = 0;

  if (!(categories = sm_store_list_resource_categories (self->store, &error)))
    {
      g_warning ("Cannot list the resource categories: %s", error->message);
      return;
    }

  if (self->categories != NULL && g_strv_equal ((const char * const *) categories,
                                                (const char * const *) self->categories))
    return;

  /* A category chosen stays chosen while it has resources. */
  for (guint i = 0; categories[i] != NULL; i++)
    if (g_strcmp0 (categories[i], self->category) == 0)
      selected = i + 1;
  if (selected == 0)
    g_clear_pointer (&self->category, g_free);

  self->filling = TRUE;
  gtk_string_list_splice (self->category_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->category_names)), NULL);
  /* Translators: the category filter of the 资源清单 showing every resource */
  gtk_string_list_append (self->category_names, _("All categories"));
  for (guint i = 0; categories[i] != NULL; i++)
    gtk_string_list_append (self->category_names, categories[i]);
  gtk_drop_down_set_selected (self->category_dropdown, selected);
  self->filling = FALSE;

  g_strfreev (self->categories);
  self->categories = g_steal_pointer (&categories);
}

static void
read_resources (SmListsPage *self)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) shown = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *needle = g_utf8_casefold (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), -1);

  g_strstrip (needle);
  if (!(all = sm_store_list_resources (self->store, self->category, FALSE, &error)))
    g_warning ("Cannot list the resources: %s", error->message);

  for (guint i = 0; all != NULL && i < all->len; i++)
    if (matches_search (all->pdata[i], needle))
      g_ptr_array_add (shown, all->pdata[i]);

  g_list_store_splice (self->resources, 0, g_list_model_get_n_items (G_LIST_MODEL (self->resources)),
                       shown->pdata, shown->len);
  gtk_widget_set_visible (GTK_WIDGET (self->resource_list), shown->len > 0);
  gtk_widget_set_visible (self->resources_empty, shown->len == 0);
}

static void
read_demands (SmListsPage *self)
{
  g_autoptr(GPtrArray) demands = NULL;
  g_autoptr(GArray) counts = NULL;
  g_autoptr(GError) error = NULL;
  guint wanted = MAX (self->n_demand_pages, 1) * PAGE_SIZE;

  /* One more than shown, to know whether there are more. */
  if (!(demands = sm_store_list_open_demands (self->store, NULL, 0, wanted + 1, &counts, &error)))
    {
      g_warning ("Cannot list the open demands: %s", error->message);
      return;
    }

  gtk_widget_set_visible (self->more_button, demands->len > wanted);
  if (demands->len > wanted)
    {
      g_ptr_array_set_size (demands, wanted);
      g_array_set_size (counts, wanted);
    }

  /* The rows read their counts from the records they show. */
  for (guint i = 0; i < demands->len; i++)
    g_object_set_data (demands->pdata[i], "sm-claim-count",
                       GUINT_TO_POINTER (g_array_index (counts, guint, i)));
  g_clear_pointer (&self->claim_counts, g_array_unref);
  self->claim_counts = g_steal_pointer (&counts);
  g_list_store_splice (self->demands, 0, g_list_model_get_n_items (G_LIST_MODEL (self->demands)),
                       demands->pdata, demands->len);
  gtk_widget_set_visible (GTK_WIDGET (self->demand_list), demands->len > 0);
  gtk_widget_set_visible (self->demands_empty, demands->len == 0);
}

static void
read_claims (SmListsPage *self)
{
  g_autoptr(GPtrArray) claims = NULL;
  g_autoptr(GError) error = NULL;

  if (!(claims = sm_store_list_open_claims (self->store, NULL, 0, CLAIMS_SHOWN, &error)))
    {
      g_warning ("Cannot list the open claims: %s", error->message);
      return;
    }

  /* Read again: a demand's status or a resource's name may have changed. */
  g_hash_table_remove_all (self->related);
  g_list_store_splice (self->claims, 0, g_list_model_get_n_items (G_LIST_MODEL (self->claims)),
                       claims->pdata, claims->len);
  gtk_widget_set_visible (GTK_WIDGET (self->claim_list), claims->len > 0);
  gtk_widget_set_visible (self->claims_empty, claims->len == 0);
}

static gboolean
reload_idle_cb (gpointer user_data)
{
  SmListsPage *self = SM_LISTS_PAGE (user_data);

  self->reload_id = 0;
  sm_lists_page_reload (self);

  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (SmListsPage *self,
                  SmStore     *store)
{
  /* Hidden, it reads again when shown (see map): every visit saved elsewhere is a change. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->stale = TRUE;
  else if (self->reload_id == 0)
    self->reload_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, reload_idle_cb, self, NULL);
}

static void
sm_lists_page_map (GtkWidget *widget)
{
  SmListsPage *self = SM_LISTS_PAGE (widget);

  GTK_WIDGET_CLASS (sm_lists_page_parent_class)->map (widget);

  if (self->stale)
    sm_lists_page_reload (self);
}

static void
update_can_manage (SmListsPage *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lists.add-resource", self->can_manage);
  gtk_widget_set_tooltip_text (self->add_button,
                               self->can_manage ? _("Record what a partner unit offers")
                                                /* Translators: why a grid worker cannot add resources */
                                                : _("Only the community office can add or edit resources"));
}

static void
search_changed_cb (SmListsPage *self)
{
  read_resources (self);
}

static void
category_selected_cb (SmListsPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->category_dropdown);

  if (self->filling)
    return;

  sm_lists_page_set_category (self, selected > 0 && self->categories != NULL &&
                                    selected <= g_strv_length (self->categories)
                                    ? self->categories[selected - 1] : NULL);
}

static void
resource_activated_cb (SmListsPage   *self,
                       GtkListBoxRow *row)
{
  sm_lists_page_edit_resource (self, (guint) gtk_list_box_row_get_index (row));
}

static void
demand_activated_cb (SmListsPage   *self,
                     GtkListBoxRow *row)
{
  sm_lists_page_activate_demand (self, (guint) gtk_list_box_row_get_index (row));
}

static void
claim_activated_cb (SmListsPage   *self,
                    GtkListBoxRow *row)
{
  sm_lists_page_activate_claim (self, (guint) gtk_list_box_row_get_index (row));
}

static void
set_claim_status_action_cb (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  SmListsPage *self = SM_LISTS_PAGE (widget);
  g_autoptr(GError) error = NULL;
  const char *claim_id, *status;

  g_variant_get (parameter, "(&s&s)", &claim_id, &status);
  if (!sm_store_update_with (self->store, "claim", claim_id, &error,
                             "status", g_variant_new_string (status), NULL))
    {
      g_debug ("Cannot change a claim's status: %s", error->message);
      gtk_label_set_label (self->claim_error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->claim_error_label), TRUE);
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->claim_error_label), FALSE);
  sm_lists_page_reload (self);
}

static void
more_clicked_cb (SmListsPage *self)
{
  self->n_demand_pages = MAX (self->n_demand_pages, 1) + 1;
  read_demands (self);
}

static void
add_resource_action_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  sm_lists_page_add_resource (SM_LISTS_PAGE (widget));
}

static void
sm_lists_page_dispose (GObject *object)
{
  SmListsPage *self = SM_LISTS_PAGE (object);
  GtkWidget *child;

  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_LISTS_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->resources);
  g_clear_object (&self->demands);
  g_clear_object (&self->claims);
  g_clear_pointer (&self->related, g_hash_table_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sm_lists_page_parent_class)->dispose (object);
}

static void
sm_lists_page_finalize (GObject *object)
{
  SmListsPage *self = SM_LISTS_PAGE (object);

  g_clear_pointer (&self->category, g_free);
  g_clear_pointer (&self->categories, g_strfreev);
  g_clear_pointer (&self->claim_counts, g_array_unref);

  G_OBJECT_CLASS (sm_lists_page_parent_class)->finalize (object);
}

static void
sm_lists_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SmListsPage *self = SM_LISTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CAN_MANAGE:
      g_value_set_boolean (value, self->can_manage);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_lists_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SmListsPage *self = SM_LISTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CAN_MANAGE:
      sm_lists_page_set_can_manage (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_lists_page_class_init (SmListsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sm_lists_page_dispose;
  object_class->finalize = sm_lists_page_finalize;
  object_class->get_property = sm_lists_page_get_property;
  object_class->set_property = sm_lists_page_set_property;
  widget_class->map = sm_lists_page_map;

  /**
   * SmListsPage:can-manage:
   *
   * Whether adding and editing resources is offered: the community office's work.
   */
  properties[PROP_CAN_MANAGE] =
    g_param_spec_boolean ("can-manage", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SmListsPage::demand-activated:
   * @self: the page
   * @demand_id: the demand's id
   *
   * Emitted when an open demand is activated, for the window to open it.
   */
  signals[DEMAND_ACTIVATED] =
    g_signal_new ("demand-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "lists.add-resource", NULL, add_resource_action_cb);
  gtk_widget_class_install_action (widget_class, "claim.set-status", "(ss)", set_claim_status_action_cb);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/sanmen/Sanmen/sm-lists-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SmListsPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SmListsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SmListsPage, category_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SmListsPage, category_names);
  gtk_widget_class_bind_template_child (widget_class, SmListsPage, add_button);
  gtk_widget_class_bind_template_child (widget_class, SmListsPage, resource_list);
  gtk_widget_class_bind_template_child (widget_class, SmListsPage, resources_empty);
  gtk_widget_class_bind_template_child (widget_class, SmListsPage, demand_list);
  gtk_widget_class_bind_template_child (widget_class, SmListsPage, more_button);
  gtk_widget_class_bind_template_child (widget_class, SmListsPage, demands_empty);
  gtk_widget_class_bind_template_child (widget_class, SmListsPage, claim_error_label);
  gtk_widget_class_bind_template_child (widget_class, SmListsPage, claim_list);
  gtk_widget_class_bind_template_child (widget_class, SmListsPage, claims_empty);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, category_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, resource_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, demand_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, more_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, claim_activated_cb);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sm_lists_page_init (SmListsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->can_manage = TRUE;
  self->n_demand_pages = 1;
  self->resources = g_list_store_new (SM_TYPE_RECORD);
  self->demands = g_list_store_new (SM_TYPE_RECORD);
  self->claim_counts = g_array_new (FALSE, TRUE, sizeof (guint));
  gtk_list_box_bind_model (self->resource_list, G_LIST_MODEL (self->resources),
                           create_resource_row_cb, self, NULL);
  gtk_list_box_bind_model (self->demand_list, G_LIST_MODEL (self->demands),
                           create_demand_row_cb, NULL, NULL);
  self->claims = g_list_store_new (SM_TYPE_RECORD);
  self->related = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  gtk_list_box_bind_model (self->claim_list, G_LIST_MODEL (self->claims),
                           create_claim_row_cb, self, NULL);
  update_can_manage (self);
}

GtkWidget *
sm_lists_page_new (SmStore *store)
{
  SmListsPage *self;

  g_return_val_if_fail (SM_IS_STORE (store), NULL);

  self = g_object_new (SM_TYPE_LISTS_PAGE, NULL);
  self->store = g_object_ref (store);
  g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
  /* Read when first shown (see map), not while the window starts. */
  self->stale = TRUE;

  return GTK_WIDGET (self);
}

void
sm_lists_page_reload (SmListsPage *self)
{
  g_return_if_fail (SM_IS_LISTS_PAGE (self));

  if (self->store == NULL)
    return;

  g_clear_handle_id (&self->reload_id, g_source_remove);
  self->stale = FALSE;
  read_categories (self);
  read_resources (self);
  read_demands (self);
  read_claims (self);
}

const char *
sm_lists_page_get_view (SmListsPage *self)
{
  g_return_val_if_fail (SM_IS_LISTS_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->view_stack);
}

void
sm_lists_page_set_view (SmListsPage *self,
                        const char  *view)
{
  g_return_if_fail (SM_IS_LISTS_PAGE (self));
  g_return_if_fail (g_strcmp0 (view, "resources") == 0 || g_strcmp0 (view, "demands") == 0 ||
                    g_strcmp0 (view, "claims") == 0);

  gtk_stack_set_visible_child_name (self->view_stack, view);
}

gboolean
sm_lists_page_get_can_manage (SmListsPage *self)
{
  g_return_val_if_fail (SM_IS_LISTS_PAGE (self), FALSE);

  return self->can_manage;
}

void
sm_lists_page_set_can_manage (SmListsPage *self,
                              gboolean     can_manage)
{
  g_return_if_fail (SM_IS_LISTS_PAGE (self));

  can_manage = !!can_manage;
  if (self->can_manage == can_manage)
    return;

  self->can_manage = can_manage;
  update_can_manage (self);
  /* The rows say whether they can be edited. */
  if (self->store != NULL)
    read_resources (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_MANAGE]);
}

GListModel *
sm_lists_page_get_resources (SmListsPage *self)
{
  g_return_val_if_fail (SM_IS_LISTS_PAGE (self), NULL);

  return G_LIST_MODEL (self->resources);
}

void
sm_lists_page_set_category (SmListsPage *self,
                            const char  *category)
{
  guint selected = 0;

  g_return_if_fail (SM_IS_LISTS_PAGE (self));

  g_free (self->category);
  self->category = g_strdup (category);

  for (guint i = 0; self->categories != NULL && self->categories[i] != NULL; i++)
    if (g_strcmp0 (self->categories[i], category) == 0)
      selected = i + 1;
  self->filling = TRUE;
  gtk_drop_down_set_selected (self->category_dropdown, selected);
  self->filling = FALSE;

  read_resources (self);
}

const char *
sm_lists_page_get_category (SmListsPage *self)
{
  g_return_val_if_fail (SM_IS_LISTS_PAGE (self), NULL);

  return self->category;
}

GtkEditable *
sm_lists_page_get_search_entry (SmListsPage *self)
{
  g_return_val_if_fail (SM_IS_LISTS_PAGE (self), NULL);

  return GTK_EDITABLE (self->search_entry);
}

GtkWidget *
sm_lists_page_get_add_button (SmListsPage *self)
{
  g_return_val_if_fail (SM_IS_LISTS_PAGE (self), NULL);

  return self->add_button;
}

static void
resource_saved_cb (SmListsPage      *self,
                   const char       *resource_id,
                   SmResourceDialog *dialog)
{
  sm_lists_page_reload (self);
}

static SmResourceDialog *
present_resource_dialog (SmListsPage *self,
                         SmRecord    *resource)
{
  SmResourceDialog *dialog;
  GtkRoot *root;

  if (!self->can_manage)
    return NULL;

  dialog = sm_resource_dialog_new (self->store, resource);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (root));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (resource_saved_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return dialog;
}

SmResourceDialog *
sm_lists_page_add_resource (SmListsPage *self)
{
  g_return_val_if_fail (SM_IS_LISTS_PAGE (self), NULL);

  return present_resource_dialog (self, NULL);
}

SmResourceDialog *
sm_lists_page_edit_resource (SmListsPage *self,
                             guint        position)
{
  g_autoptr(SmRecord) resource = NULL;

  g_return_val_if_fail (SM_IS_LISTS_PAGE (self), NULL);

  if (!(resource = g_list_model_get_item (G_LIST_MODEL (self->resources), position)))
    return NULL;

  return present_resource_dialog (self, resource);
}

GListModel *
sm_lists_page_get_demands (SmListsPage *self)
{
  g_return_val_if_fail (SM_IS_LISTS_PAGE (self), NULL);

  return G_LIST_MODEL (self->demands);
}

guint
sm_lists_page_get_claim_count (SmListsPage *self,
                               guint        position)
{
  g_return_val_if_fail (SM_IS_LISTS_PAGE (self), 0);

  if (self->claim_counts == NULL || position >= self->claim_counts->len)
    return 0;

  return g_array_index (self->claim_counts, guint, position);
}

void
sm_lists_page_activate_demand (SmListsPage *self,
                               guint        position)
{
  g_autoptr(SmRecord) demand = NULL;

  g_return_if_fail (SM_IS_LISTS_PAGE (self));

  if ((demand = g_list_model_get_item (G_LIST_MODEL (self->demands), position)))
    g_signal_emit (self, signals[DEMAND_ACTIVATED], 0, sm_record_get_id (demand));
}

GListModel *
sm_lists_page_get_claims (SmListsPage *self)
{
  g_return_val_if_fail (SM_IS_LISTS_PAGE (self), NULL);

  return G_LIST_MODEL (self->claims);
}

void
sm_lists_page_activate_claim (SmListsPage *self,
                              guint        position)
{
  g_autoptr(SmRecord) claim = NULL;
  const char *demand_id;

  g_return_if_fail (SM_IS_LISTS_PAGE (self));

  if ((claim = g_list_model_get_item (G_LIST_MODEL (self->claims), position)) &&
      (demand_id = sm_record_get_string (claim, "demand_id")))
    g_signal_emit (self, signals[DEMAND_ACTIVATED], 0, demand_id);
}
