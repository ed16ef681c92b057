/* sm-demands-page.c — the 诉求 page: demands by status along the loop, with counts
 *
 * A row of toggle buttons, one per status of the loop (发现 → 响应 → 处置 → 督办 → 办结 →
 * 评价) each with how many demands are there, from one grouped count over the status
 * index; below, the demands of the chosen status in an SmDemandModel, read a page at a
 * time, newest report first. The counts and the list are the store's: they are read
 * again when the page is shown, after an action, and on reload(). Activating a row
 * emits "demand-activated" for the window to open the demand.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-demands-page.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sm-demand-model.h"
#include "sm-demand-row.h"

struct _SmDemandsPage
{
  GtkWidget        parent_instance;

  SmStore         *store;
  SmDemandModel   *model;
  GHashTable      *counts;        /* status → GUINT_TO_POINTER (count) */
  const char      *status;        /* one of the schema's values */
  GPtrArray       *buttons;       /* parallel to the schema's statuses */
  gboolean         syncing;
  gboolean         stale;         /* the store changed since the list was read */

  GtkBox          *status_box;
  GtkStack        *stack;
  GtkListView     *list_view;
  GtkNoSelection  *selection;
};

G_DEFINE_FINAL_TYPE (SmDemandsPage, sm_demands_page, GTK_TYPE_WIDGET)

enum {
  DEMAND_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const SmField *
status_field (void)
{
  return sm_table_lookup_field (sm_schema_lookup_table ("demand"), "status");
}

static void
update_buttons (SmDemandsPage *self)
{
  const SmField *field = status_field ();

  g_assert (SM_IS_DEMANDS_PAGE (self));

  self->syncing = TRUE;
  for (guint i = 0; i < self->buttons->len; i++)
    {
      const char *status = field->enum_values[i];
      GtkToggleButton *button = g_ptr_array_index (self->buttons, i);
      /* Translators: a demand status and how many demands have it, e.g. “Reported (12)” */
      g_autofree char *label = g_strdup_printf (_("%s (%u)"), sm_field_get_enum_label (field, status),
                                                sm_demands_page_get_count (self, status));

      gtk_button_set_label (GTK_BUTTON (button), label);
      gtk_toggle_button_set_active (button, status == self->status);
    }
  self->syncing = FALSE;
}

static void
show_status (SmDemandsPage *self)
{
  guint n;

  g_assert (SM_IS_DEMANDS_PAGE (self));

  n = sm_demands_page_get_count (self, self->status);
  /* Through NULL, as the household list does: GTK 4.8's list view would otherwise match
   * the rows it shows against every new item. */
  gtk_no_selection_set_model (self->selection, NULL);
  sm_demand_model_set_status (self->model, self->status, n);
  gtk_no_selection_set_model (self->selection, G_LIST_MODEL (self->model));
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
  update_buttons (self);
}

static void
status_toggled_cb (GtkToggleButton *button,
                   SmDemandsPage   *self)
{
  guint index;

  if (self->syncing || !gtk_toggle_button_get_active (button))
    return;

  if (g_ptr_array_find (self->buttons, button, &index))
    sm_demands_page_set_status (self, status_field ()->enum_values[index]);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              SmDemandsPage            *self)
{
  gtk_list_item_set_child (item, sm_demand_row_new (self->store));
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             SmDemandsPage            *self)
{
  sm_demand_row_set_demand (SM_DEMAND_ROW (gtk_list_item_get_child (item)),
                            gtk_list_item_get_item (item));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               SmDemandsPage            *self)
{
  sm_demand_row_set_demand (SM_DEMAND_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
activate_cb (SmDemandsPage *self,
             guint          position,
             GtkListView   *view)
{
  g_autoptr(SmRecord) demand = g_list_model_get_item (G_LIST_MODEL (self->model), position);

  if (demand != NULL)
    g_signal_emit (self, signals[DEMAND_ACTIVATED], 0, demand);
}

static void
store_changed_cb (SmDemandsPage *self,
                  SmStore       *store)
{
  self->stale = TRUE;
}

static void
sm_demands_page_map (GtkWidget *widget)
{
  SmDemandsPage *self = SM_DEMANDS_PAGE (widget);

  GTK_WIDGET_CLASS (sm_demands_page_parent_class)->map (widget);

  /* What happened elsewhere (a visit's demand, a sync, an edit that moved no count)
   * shows when the page does. Back from a demand where nothing changed, the list stays
   * where it was scrolled to. */
  if (self->stale || self->counts == NULL)
    sm_demands_page_reload (self);
}

static void
sm_demands_page_dispose (GObject *object)
{
  GtkWidget *child;
  SmDemandsPage *self = SM_DEMANDS_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_DEMANDS_PAGE);
  /* Children without an id are not template children: unparent what is left. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->model);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sm_demands_page_parent_class)->dispose (object);
}

static void
sm_demands_page_finalize (GObject *object)
{
  SmDemandsPage *self = SM_DEMANDS_PAGE (object);

  g_clear_pointer (&self->counts, g_hash_table_unref);
  g_clear_pointer (&self->buttons, g_ptr_array_unref);

  G_OBJECT_CLASS (sm_demands_page_parent_class)->finalize (object);
}

static void
sm_demands_page_class_init (SmDemandsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sm_demands_page_dispose;
  object_class->finalize = sm_demands_page_finalize;
  widget_class->map = sm_demands_page_map;

  /**
   * SmDemandsPage::demand-activated:
   * @self: the page
   * @demand: the demand's SmRecord
   *
   * Emitted when a row is activated (a click, or Enter).
   */
  signals[DEMAND_ACTIVATED] =
    g_signal_new ("demand-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, SM_TYPE_RECORD);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/sanmen/Sanmen/sm-demands-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SmDemandsPage, status_box);
  gtk_widget_class_bind_template_child (widget_class, SmDemandsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SmDemandsPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, SmDemandsPage, selection);
  gtk_widget_class_bind_template_callback (widget_class, activate_cb);
}

static void
sm_demands_page_init (SmDemandsPage *self)
{
  const SmField *field = status_field ();
  GtkToggleButton *first = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->buttons = g_ptr_array_new ();
  self->status = field->enum_values[0];

  /* One button per status, from the schema, in the loop's order. */
  for (guint i = 0; field->enum_values[i] != NULL; i++)
    {
      GtkWidget *button = gtk_toggle_button_new ();

      if (first != NULL)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), first);
      else
        first = GTK_TOGGLE_BUTTON (button);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_add_css_class (button, "demand-status");
      g_signal_connect (button, "toggled", G_CALLBACK (status_toggled_cb), self);
      gtk_box_append (self->status_box, button);
      g_ptr_array_add (self->buttons, button);
    }
}

GtkWidget *
sm_demands_page_new (SmStore *store)
{
  SmDemandsPage *self;
  g_autoptr(GtkListItemFactory) factory = NULL;

  g_return_val_if_fail (SM_IS_STORE (store), NULL);

  self = g_object_new (SM_TYPE_DEMANDS_PAGE, NULL);
  self->store = g_object_ref (store);
  self->model = sm_demand_model_new (store);
  g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  /* Counted and listed when first shown (see map), not while the window starts. */

  return GTK_WIDGET (self);
}

const char *
sm_demands_page_get_status (SmDemandsPage *self)
{
  g_return_val_if_fail (SM_IS_DEMANDS_PAGE (self), NULL);

  return self->status;
}

void
sm_demands_page_set_status (SmDemandsPage *self,
                            const char    *status)
{
  const SmField *field;

  g_return_if_fail (SM_IS_DEMANDS_PAGE (self));

  field = status_field ();
  for (guint i = 0; field->enum_values[i] != NULL; i++)
    if (g_strcmp0 (field->enum_values[i], status) == 0)
      {
        self->status = field->enum_values[i];
        show_status (self);
        return;
      }

  g_critical ("Unknown demand status “%s”", status);
}

guint
sm_demands_page_get_count (SmDemandsPage *self,
                           const char    *status)
{
  g_return_val_if_fail (SM_IS_DEMANDS_PAGE (self), 0);

  return self->counts ? GPOINTER_TO_UINT (g_hash_table_lookup (self->counts, status)) : 0;
}

void
sm_demands_page_reload (SmDemandsPage *self)
{
  g_autoptr(GError) error = NULL;
  GHashTable *counts;

  g_return_if_fail (SM_IS_DEMANDS_PAGE (self));

  if (self->store == NULL)
    return;

  if (!(counts = sm_store_count_demands_by_status (self->store, NULL, &error)))
    g_warning ("Cannot count demands: %s", error->message);
  g_clear_pointer (&self->counts, g_hash_table_unref);
  self->counts = counts;
  self->stale = FALSE;

  show_status (self);
}

GListModel *
sm_demands_page_get_model (SmDemandsPage *self)
{
  g_return_val_if_fail (SM_IS_DEMANDS_PAGE (self), NULL);

  return G_LIST_MODEL (self->model);
}

GtkToggleButton *
sm_demands_page_get_status_button (SmDemandsPage *self,
                                   const char    *status)
{
  const SmField *field;

  g_return_val_if_fail (SM_IS_DEMANDS_PAGE (self), NULL);

  field = status_field ();
  for (guint i = 0; field->enum_values[i] != NULL; i++)
    if (g_strcmp0 (field->enum_values[i], status) == 0)
      return g_ptr_array_index (self->buttons, i);

  return NULL;
}
