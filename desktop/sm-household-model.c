/* sm-household-model.c — the households of a grid or one of its buildings as a GListModel,
 * read page by page
 *
 * The model knows its length from one count query and reads a page of
 * SM_HOUSEHOLD_MODEL_PAGE_SIZE households (sm_store_list_households(), in the order of
 * the household_natural_order index, so paging never sorts; with a building, seeking its
 * part of that index) when the view first asks for an item in it. The view asks only for
 * the rows it shows, so scrolling reads the pages it passes and nothing else. At most
 * MAX_PAGES pages are kept; rows the view holds keep their own reference to their SmRecord.
 *
 * A building narrows the list to its households; choosing another grid forgets the
 * building, which belongs to the grid it was chosen in.
 *
 * Items are SmRecord of table "household".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-household-model.h"


/* 32 pages of 200: a few screens either way of any position. */
#define MAX_PAGES 32

struct _SmHouseholdModel
{
  GObject     parent_instance;

  SmStore    *store;
  char       *grid_id;
  char       *building_id;  /* NULL: the whole grid */
  guint       n_items;
  GHashTable *pages;        /* page index → GPtrArray of SmRecord */
  GQueue      page_order;   /* page indexes, most recently used first */
  guint       n_page_loads;
};

static void sm_household_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SmHouseholdModel, sm_household_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      sm_household_model_list_model_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_GRID_ID,
  PROP_BUILDING_ID,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
forget_pages (SmHouseholdModel *self)
{
  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->page_order);
}

static void
touch_page (SmHouseholdModel *self,
            guint             page)
{
  g_assert (SM_IS_HOUSEHOLD_MODEL (self));

  g_queue_remove (&self->page_order, GUINT_TO_POINTER (page));
  g_queue_push_head (&self->page_order, GUINT_TO_POINTER (page));

  while (g_queue_get_length (&self->page_order) > MAX_PAGES)
    g_hash_table_remove (self->pages, g_queue_pop_tail (&self->page_order));
}

static GPtrArray *
load_page (SmHouseholdModel *self,
           guint             page)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *records;
  gint64 start;

  g_assert (SM_IS_HOUSEHOLD_MODEL (self));

  if ((records = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page))))
    {
      touch_page (self, page);
      return records;
    }

  start = g_get_monotonic_time ();
  records = sm_store_list_households (self->store, self->grid_id, self->building_id,
                                      page * SM_HOUSEHOLD_MODEL_PAGE_SIZE,
                                      SM_HOUSEHOLD_MODEL_PAGE_SIZE, &error);
  if (records == NULL)
    {
      g_warning ("Cannot read households of %s: %s", self->grid_id, error->message);
      return NULL;
    }

  self->n_page_loads++;
  g_debug ("%s%s%s: page %u read in %.2f ms", self->grid_id, self->building_id ? ", building " : "",
           self->building_id ? self->building_id : "", page,
           (g_get_monotonic_time () - start) / 1000.0);
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), records);
  touch_page (self, page);

  return records;
}

static guint
count_households (SmHouseholdModel *self)
{
  g_autoptr(GError) error = NULL;
  gint64 n;

  g_assert (SM_IS_HOUSEHOLD_MODEL (self));

  if (self->grid_id == NULL)
    return 0;

  if ((n = sm_store_count_households (self->store, self->grid_id, self->building_id, &error)) < 0)
    {
      g_warning ("Cannot count households of %s: %s", self->grid_id, error->message);
      return 0;
    }

  return (guint) MIN (n, G_MAXUINT);
}

static GType
sm_household_model_get_item_type (GListModel *model)
{
  return SM_TYPE_RECORD;
}

static guint
sm_household_model_get_n_items (GListModel *model)
{
  return SM_HOUSEHOLD_MODEL (model)->n_items;
}

static gpointer
sm_household_model_get_item (GListModel *model,
                             guint       position)
{
  SmHouseholdModel *self = SM_HOUSEHOLD_MODEL (model);
  GPtrArray *records;
  guint offset = position % SM_HOUSEHOLD_MODEL_PAGE_SIZE;

  if (position >= self->n_items)
    return NULL;

  if (!(records = load_page (self, position / SM_HOUSEHOLD_MODEL_PAGE_SIZE)))
    return NULL;

  /* Households deleted by a sync since the count: the model is short until reloaded. */
  if (offset >= records->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (records, offset));
}

static void
sm_household_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = sm_household_model_get_item_type;
  iface->get_n_items = sm_household_model_get_n_items;
  iface->get_item = sm_household_model_get_item;
}

static void
sm_household_model_finalize (GObject *object)
{
  SmHouseholdModel *self = SM_HOUSEHOLD_MODEL (object);

  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_queue_clear (&self->page_order);
  g_clear_pointer (&self->grid_id, g_free);
  g_clear_pointer (&self->building_id, g_free);

  G_OBJECT_CLASS (sm_household_model_parent_class)->finalize (object);
}

static void
sm_household_model_dispose (GObject *object)
{
  SmHouseholdModel *self = SM_HOUSEHOLD_MODEL (object);

  if (self->pages != NULL)
    forget_pages (self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sm_household_model_parent_class)->dispose (object);
}

static void
sm_household_model_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SmHouseholdModel *self = SM_HOUSEHOLD_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_GRID_ID:
      g_value_set_string (value, self->grid_id);
      break;
    case PROP_BUILDING_ID:
      g_value_set_string (value, self->building_id);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_household_model_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SmHouseholdModel *self = SM_HOUSEHOLD_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_GRID_ID:
      sm_household_model_set_grid_id (self, g_value_get_string (value));
      break;
    case PROP_BUILDING_ID:
      sm_household_model_set_building_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_household_model_class_init (SmHouseholdModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sm_household_model_dispose;
  object_class->finalize = sm_household_model_finalize;
  object_class->get_property = sm_household_model_get_property;
  object_class->set_property = sm_household_model_set_property;

  /**
   * SmHouseholdModel:store:
   *
   * The replica the households are read from.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * SmHouseholdModel:grid-id:
   *
   * The grid whose households are listed; NULL lists none. Setting another grid sets
   * #SmHouseholdModel:building-id back to NULL.
   */
  properties[PROP_GRID_ID] =
    g_param_spec_string ("grid-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * SmHouseholdModel:building-id:
   *
   * The building of the grid whose households are listed; NULL lists the whole grid.
   */
  properties[PROP_BUILDING_ID] =
    g_param_spec_string ("building-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * SmHouseholdModel:n-items:
   *
   * The number of households listed.
   */
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sm_household_model_init (SmHouseholdModel *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  g_queue_init (&self->page_order);
}

SmHouseholdModel *
sm_household_model_new (SmStore *store)
{
  g_return_val_if_fail (SM_IS_STORE (store), NULL);

  return g_object_new (SM_TYPE_HOUSEHOLD_MODEL, "store", store, NULL);
}

SmStore *
sm_household_model_get_store (SmHouseholdModel *self)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_MODEL (self), NULL);

  return self->store;
}

const char *
sm_household_model_get_grid_id (SmHouseholdModel *self)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_MODEL (self), NULL);

  return self->grid_id;
}

void
sm_household_model_set_grid_id (SmHouseholdModel *self,
                                const char       *grid_id)
{
  gboolean had_building;

  g_return_if_fail (SM_IS_HOUSEHOLD_MODEL (self));

  if (g_strcmp0 (self->grid_id, grid_id) == 0)
    return;

  /* Both at once, so that the list is read once, for the whole new grid. */
  had_building = self->building_id != NULL;
  g_free (self->grid_id);
  self->grid_id = g_strdup (grid_id);
  g_clear_pointer (&self->building_id, g_free);
  sm_household_model_reload (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRID_ID]);
  if (had_building)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUILDING_ID]);
}

const char *
sm_household_model_get_building_id (SmHouseholdModel *self)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_MODEL (self), NULL);

  return self->building_id;
}

void
sm_household_model_set_building_id (SmHouseholdModel *self,
                                    const char       *building_id)
{
  g_return_if_fail (SM_IS_HOUSEHOLD_MODEL (self));

  if (g_strcmp0 (self->building_id, building_id) == 0)
    return;

  g_free (self->building_id);
  self->building_id = g_strdup (building_id);
  sm_household_model_reload (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUILDING_ID]);
}

void
sm_household_model_reload (SmHouseholdModel *self)
{
  guint old_n_items;

  g_return_if_fail (SM_IS_HOUSEHOLD_MODEL (self));

  old_n_items = self->n_items;
  forget_pages (self);

  /* Two signals, not one: on a change that removes items it shows and adds others, GTK 4.8's
   * list view looks for the removed items among all the added ones, which would read
   * every page of the grid. The model is empty in between, as the first signal says. */
  self->n_items = 0;
  if (old_n_items > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n_items, 0);
  self->n_items = count_households (self);
  if (self->n_items > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, self->n_items);
  if (old_n_items != self->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

void
sm_household_model_refresh (SmHouseholdModel *self)
{
  g_autoptr(GArray) recent = g_array_new (FALSE, FALSE, sizeof (guint));
  guint n;

  g_return_if_fail (SM_IS_HOUSEHOLD_MODEL (self));

  /* A household added or removed moves every row after it: start over. */
  if ((n = count_households (self)) != self->n_items)
    {
      sm_household_model_reload (self);
      return;
    }

  /* The pages the view showed last are the rows it holds; the others will be read
   * again when asked for. Only those few are announced, one page per signal: announcing
   * the whole grid would make GTK 4.8's list view read every page of it. */
  for (GList *l = self->page_order.head; l != NULL && recent->len < 3; l = l->next)
    {
      guint page = GPOINTER_TO_UINT (l->data);

      g_array_append_val (recent, page);
    }
  forget_pages (self);

  for (guint i = 0; i < recent->len; i++)
    {
      guint page = g_array_index (recent, guint, i);
      guint start = page * SM_HOUSEHOLD_MODEL_PAGE_SIZE;
      guint length;

      if (start >= self->n_items)
        continue;
      length = MIN (SM_HOUSEHOLD_MODEL_PAGE_SIZE, self->n_items - start);
      g_list_model_items_changed (G_LIST_MODEL (self), start, length, length);
    }
}

guint
sm_household_model_get_n_page_loads (SmHouseholdModel *self)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_MODEL (self), 0);

  return self->n_page_loads;
}
