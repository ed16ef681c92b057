/* sm-demand-model.c — the demands of one status as a GListModel, read page by page
 *
 * The same scheme as SmHouseholdModel: the length comes from the page's count, and a
 * page of SM_DEMAND_MODEL_PAGE_SIZE demands (sm_store_list_demands_in_status(), which
 * walks the status index and never sorts) is read when the view first asks for an item
 * in it. At most MAX_PAGES pages are kept. Items are SmRecord of table "demand".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-demand-model.h"

#define MAX_PAGES 16

struct _SmDemandModel
{
  GObject     parent_instance;

  SmStore    *store;
  char       *status;
  guint       n_items;
  GHashTable *pages;        /* page index → GPtrArray of SmRecord */
  GQueue      page_order;   /* most recently used first */
  guint       n_page_loads;
};

static void sm_demand_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SmDemandModel, sm_demand_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      sm_demand_model_list_model_init))

static GPtrArray *
load_page (SmDemandModel *self,
           guint          page)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *records;

  g_assert (SM_IS_DEMAND_MODEL (self));

  if (!(records = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page))))
    {
      gint64 start = g_get_monotonic_time ();

      records = sm_store_list_demands_in_status (self->store, self->status, NULL,
                                                 page * SM_DEMAND_MODEL_PAGE_SIZE,
                                                 SM_DEMAND_MODEL_PAGE_SIZE, &error);
      if (records == NULL)
        {
          g_warning ("Cannot read demands: %s", error->message);
          return NULL;
        }
      self->n_page_loads++;
      g_debug ("%s: page %u read in %.2f ms", self->status, page,
               (g_get_monotonic_time () - start) / 1000.0);
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), records);
    }

  g_queue_remove (&self->page_order, GUINT_TO_POINTER (page));
  g_queue_push_head (&self->page_order, GUINT_TO_POINTER (page));
  while (g_queue_get_length (&self->page_order) > MAX_PAGES)
    g_hash_table_remove (self->pages, g_queue_pop_tail (&self->page_order));

  return records;
}

static GType
sm_demand_model_get_item_type (GListModel *model)
{
  return SM_TYPE_RECORD;
}

static guint
sm_demand_model_get_n_items (GListModel *model)
{
  return SM_DEMAND_MODEL (model)->n_items;
}

static gpointer
sm_demand_model_get_item (GListModel *model,
                          guint       position)
{
  SmDemandModel *self = SM_DEMAND_MODEL (model);
  guint offset = position % SM_DEMAND_MODEL_PAGE_SIZE;
  GPtrArray *records;

  if (position >= self->n_items
      || !(records = load_page (self, position / SM_DEMAND_MODEL_PAGE_SIZE))
      || offset >= records->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (records, offset));
}

static void
sm_demand_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = sm_demand_model_get_item_type;
  iface->get_n_items = sm_demand_model_get_n_items;
  iface->get_item = sm_demand_model_get_item;
}

static void
sm_demand_model_dispose (GObject *object)
{
  SmDemandModel *self = SM_DEMAND_MODEL (object);

  if (self->pages != NULL)
    g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->page_order);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sm_demand_model_parent_class)->dispose (object);
}

static void
sm_demand_model_finalize (GObject *object)
{
  SmDemandModel *self = SM_DEMAND_MODEL (object);

  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->status, g_free);

  G_OBJECT_CLASS (sm_demand_model_parent_class)->finalize (object);
}

static void
sm_demand_model_class_init (SmDemandModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sm_demand_model_dispose;
  object_class->finalize = sm_demand_model_finalize;
}

static void
sm_demand_model_init (SmDemandModel *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  g_queue_init (&self->page_order);
}

SmDemandModel *
sm_demand_model_new (SmStore *store)
{
  SmDemandModel *self;

  g_return_val_if_fail (SM_IS_STORE (store), NULL);

  self = g_object_new (SM_TYPE_DEMAND_MODEL, NULL);
  self->store = g_object_ref (store);
  return self;
}

const char *
sm_demand_model_get_status (SmDemandModel *self)
{
  g_return_val_if_fail (SM_IS_DEMAND_MODEL (self), NULL);

  return self->status;
}

void
sm_demand_model_set_status (SmDemandModel *self,
                            const char    *status,
                            guint          n_items)
{
  guint old_n_items;

  g_return_if_fail (SM_IS_DEMAND_MODEL (self));

  g_free (self->status);
  self->status = g_strdup (status);
  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->page_order);

  /* Two signals, as in SmHouseholdModel: GTK 4.8's list view would otherwise look for the
   * rows it shows among every new item, reading every page. */
  old_n_items = self->n_items;
  self->n_items = 0;
  if (old_n_items > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n_items, 0);
  self->n_items = status != NULL ? n_items : 0;
  if (self->n_items > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, self->n_items);
}

guint
sm_demand_model_get_n_page_loads (SmDemandModel *self)
{
  g_return_val_if_fail (SM_IS_DEMAND_MODEL (self), 0);

  return self->n_page_loads;
}
