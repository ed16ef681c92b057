/* sm-household-list.c — the 住户 page: a grid's households, and search as you type
 *
 * Browsing shows an SmHouseholdModel, which reads the grid's households from the store a
 * page at a time as the view scrolls. Two choosers under the search entry narrow it: the
 * grid, then one of its buildings ("All buildings" first, then each compound's buildings,
 * named "<compound> <building>" as people say them). Another grid starts again from all
 * its buildings; a reload (after a sync) keeps the building while the replica has it.
 *
 * Typing in the search entry replaces the list with the hits of sm_store_search() (names,
 * pinyin, initials, phones, addresses); clearing the entry brings the grid or building
 * back where it was. A search looks through the whole replica, whatever the choosers say,
 * so each hit says where it is when its address does not: the building, and the grid when
 * there are several. The store is used on the main thread only: a page read and a search
 * each take a few milliseconds on a 100,000-household replica (see tests/test-desktop.c,
 * which measures both, and test-desktop-household -m perf for a building's pages).
 * Activating a row (a click, or Enter) emits "household-activated" with the row's
 * household, for the window to open.
 *
 * A search shows its SEARCH_LIMIT best hits and says so when there may be more, so that
 * nobody takes a truncated list for all the matches. Add (Ctrl+N) opens SmHouseholdDialog
 * for the grid browsed, in the building browsed if one is; the new household is then activated, to go on with its residents.
 * When the list is shown again after the replica changed (an edit on a household's page,
 * a sync), the rows shown are read again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-household-list.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sm-household-dialog.h"
#include "sm-household-model.h"
#include "sm-household-row.h"
#include "sm-search-result.h"

/* Where a building is, as the building chooser and search hits name it. */
typedef struct {
  char *compound_id;
  char *compound_name;
  char *building_name;
  char *label;          /* "<compound> <building>" */
} Place;

static void
place_free (Place *place)
{
  if (place == NULL)
    return;

  g_free (place->compound_id);
  g_free (place->compound_name);
  g_free (place->building_name);
  g_free (place->label);
  g_free (place);
}

/* A few screens of the best hits; a narrower query is the way to find the rest. More
 * would cost more than a frame per keystroke: GTK 4.8's list view builds a row for each of
 * up to 200 items, about 75 µs each, while the search itself takes 2–5 ms on a
 * 100,000-household replica. */
#define SEARCH_LIMIT 50

struct _SmHouseholdList
{
  GtkWidget         parent_instance;

  SmStore          *store;
  SmHouseholdModel *households;
  GListStore       *results;       /* of SmSearchResult; NULL while browsing */
  char             *query;
  GPtrArray        *grid_ids;      /* parallel to grid_names */
  GPtrArray        *building_ids;  /* the grid's; building_names has "All buildings" first */
  GHashTable       *places;        /* building id → Place, or NULL for a building not found */
  gboolean          filling_grids;
  gboolean          filling_buildings;
  gboolean          capped;        /* the search shows SEARCH_LIMIT hits, maybe not all */
  SmHlc             seen_hlc;      /* the replica's clock when the rows were read */

  GtkSearchEntry   *search_entry;
  GtkWidget        *choosers;
  GtkDropDown      *grid_dropdown;
  GtkStringList    *grid_names;
  GtkDropDown      *building_dropdown;
  GtkStringList    *building_names;
  GtkLabel         *capped_label;
  GtkStack         *stack;
  GtkListView      *list_view;
  GtkNoSelection   *selection;
};

G_DEFINE_FINAL_TYPE (SmHouseholdList, sm_household_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_GRID_ID,
  PROP_BUILDING_ID,
  PROP_QUERY,
  PROP_CAPPED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  HOUSEHOLD_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_page (SmHouseholdList *self)
{
  const char *page;

  g_assert (SM_IS_HOUSEHOLD_LIST (self));

  if (self->results != NULL)
    page = g_list_model_get_n_items (G_LIST_MODEL (self->results)) > 0 ? "list" : "no-results";
  else if (self->grid_ids->len == 0)
    page = "no-grid";
  else if (sm_household_list_get_building_id (self) != NULL
           && g_list_model_get_n_items (G_LIST_MODEL (self->households)) == 0)
    page = "empty-building";
  else
    page = "list";

  gtk_stack_set_visible_child_name (self->stack, page);
}

static void
show_model (SmHouseholdList *self,
            GListModel      *model)
{
  g_assert (SM_IS_HOUSEHOLD_LIST (self));

  if (gtk_no_selection_get_model (self->selection) == model)
    ;
  else if (model == G_LIST_MODEL (self->households))
    {
      /* Through NULL: replacing a model in one step makes GTK 4.8's list view look for
       * the rows it shows among all the new model's items, reading every page of a grid. */
      gtk_no_selection_set_model (self->selection, NULL);
      gtk_no_selection_set_model (self->selection, model);
    }
  else
    gtk_no_selection_set_model (self->selection, model);
  update_page (self);
}

static void
set_query (SmHouseholdList *self,
           const char      *query)
{
  g_assert (SM_IS_HOUSEHOLD_LIST (self));

  if (g_strcmp0 (self->query, query) == 0)
    return;

  g_free (self->query);
  self->query = g_strdup (query);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
}

static void
set_capped (SmHouseholdList *self,
            gboolean         capped)
{
  g_assert (SM_IS_HOUSEHOLD_LIST (self));

  if (capped)
    {
      g_autofree char *text =
        /* Translators: under the search entry when a search has more matches than shown */
        g_strdup_printf (ngettext ("Showing the first %d match. Type more to narrow the search.",
                                   "Showing the first %d matches. Type more to narrow the search.",
                                   SEARCH_LIMIT), SEARCH_LIMIT);

      gtk_label_set_label (self->capped_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->capped_label), capped);

  if (self->capped == capped)
    return;

  self->capped = capped;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAPPED]);
}

static Place *
place_new (SmRecord *compound,
           SmRecord *building)
{
  Place *place = g_new0 (Place, 1);
  const char *compound_name = compound ? sm_record_get_string (compound, "name") : NULL;
  const char *building_name = sm_record_get_string (building, "name");

  place->compound_id = g_strdup (compound ? sm_record_get_id (compound) : NULL);
  place->compound_name = g_strdup (compound_name ? compound_name : "");
  place->building_name = g_strdup (building_name ? building_name : sm_record_get_id (building));
  if (*place->compound_name == '\0')
    place->label = g_strdup (place->building_name);
  else
    /* Translators: a building in the building chooser and beside search hits: the
     * compound's name, then the building's, e.g. "幸福小区 3栋" */
    place->label = g_strdup_printf (C_("building", "%s %s"), place->compound_name,
                                    place->building_name);

  return place;
}

/* Where @building_id is. The grid's buildings are known from the chooser; others (a
 * search hit in another grid) are read once and remembered until the next reload. */
static const Place *
lookup_place (SmHouseholdList *self,
              const char      *building_id)
{
  g_autoptr(SmRecord) building = NULL;
  g_autoptr(SmRecord) compound = NULL;
  const char *compound_id;
  Place *place = NULL;

  g_assert (SM_IS_HOUSEHOLD_LIST (self));

  if (building_id == NULL)
    return NULL;
  if (g_hash_table_lookup_extended (self->places, building_id, NULL, (gpointer *) &place))
    return place;

  /* Not found (not synced yet, deleted): remembered as unknown, not asked again. */
  if ((building = sm_store_get (self->store, "building", building_id, NULL)) != NULL
      && !sm_record_is_deleted (building))
    {
      if ((compound_id = sm_record_get_string (building, "compound_id")) != NULL)
        compound = sm_store_get (self->store, "compound", compound_id, NULL);
      place = place_new (compound, building);
    }
  g_hash_table_insert (self->places, g_strdup (building_id), place);

  return place;
}

static const char *
grid_name (SmHouseholdList *self,
           const char      *grid_id)
{
  g_assert (SM_IS_HOUSEHOLD_LIST (self));

  for (guint i = 0; grid_id != NULL && i < self->grid_ids->len; i++)
    if (g_str_equal (g_ptr_array_index (self->grid_ids, i), grid_id))
      return gtk_string_list_get_string (self->grid_names, i);

  return NULL;
}

/* What a search hit's row says under its title: the hit's own detail, then where its
 * household is when the address does not say it already — its building, and its grid
 * when the replica holds several (a search looks through all of them). */
static char *
describe_hit (SmHouseholdList *self,
              SmSearchResult  *result)
{
  SmRecord *household = sm_search_result_get_household (result);
  const char *detail = sm_search_result_get_subtitle (result);
  const char *address = sm_record_get_string (household, "address");
  const Place *place = lookup_place (self, sm_record_get_string (household, "building_id"));
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();

  g_assert (SM_IS_HOUSEHOLD_LIST (self));

  if (detail != NULL && *detail != '\0')
    g_ptr_array_add (parts, (char *) detail);
  if (place != NULL
      && (address == NULL || strstr (address, place->building_name) == NULL
          || strstr (address, place->compound_name) == NULL))
    g_ptr_array_add (parts, place->label);
  if (self->grid_ids->len > 1)
    {
      const char *name = grid_name (self, sm_record_get_grid_id (household));

      if (name != NULL)
        g_ptr_array_add (parts, (char *) name);
    }
  g_ptr_array_add (parts, NULL);

  /* Translators: between the parts of a search hit's second line: a phone or an
   * address, the building, the grid */
  return g_strjoinv (C_("search hit", " · "), (char **) parts->pdata);
}

static GListStore *
search (SmHouseholdList *self,
        const char      *query)
{
  g_autoptr(GListStore) results = g_list_store_new (SM_TYPE_SEARCH_RESULT);
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  g_assert (SM_IS_HOUSEHOLD_LIST (self));

  if (!(hits = sm_store_search (self->store, query, SEARCH_LIMIT, &error)))
    {
      g_warning ("Search for households failed: %s", error->message);
      set_capped (self, FALSE);
      return g_steal_pointer (&results);
    }
  set_capped (self, hits->len >= SEARCH_LIMIT);

  for (guint i = 0; i < hits->len; i++)
    {
      const SmSearchHit *hit = g_ptr_array_index (hits, i);
      g_autoptr(SmRecord) household = NULL;
      g_autoptr(GError) get_error = NULL;

      /* A resident whose household a sync has not brought yet is left out. */
      if (!(household = sm_store_get (self->store, "household", hit->household_id, &get_error)))
        continue;
      if (sm_record_is_deleted (household))
        continue;

      g_ptr_array_add (items, sm_search_result_new (hit, household));
    }

  g_list_store_splice (results, 0, 0, items->pdata, items->len);

  return g_steal_pointer (&results);
}

static void
search_changed_cb (SmHouseholdList *self,
                   GtkSearchEntry  *entry)
{
  g_autofree char *query = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  gint64 start = g_get_monotonic_time ();
  gint64 searched;

  g_assert (SM_IS_HOUSEHOLD_LIST (self));

  self->seen_hlc = sm_store_get_last_hlc (self->store);
  if (*query == '\0')
    {
      g_clear_object (&self->results);
      set_capped (self, FALSE);
      show_model (self, G_LIST_MODEL (self->households));
      set_query (self, NULL);
      return;
    }

  g_set_object (&self->results, search (self, query));
  searched = g_get_monotonic_time ();
  show_model (self, G_LIST_MODEL (self->results));
  /* Not the query itself: people search by phone and ID numbers. */
  g_debug ("search of %u characters: %u results in %.1f ms, shown in %.1f ms",
           (guint) g_utf8_strlen (query, -1), g_list_model_get_n_items (G_LIST_MODEL (self->results)),
           (searched - start) / 1000.0, (g_get_monotonic_time () - searched) / 1000.0);
  set_query (self, query);
}

static void
stop_search_cb (SmHouseholdList *self,
                GtkSearchEntry  *entry)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

static void
grid_selected_cb (SmHouseholdList *self,
                  GParamSpec      *pspec,
                  GtkDropDown     *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (self->filling_grids || selected >= self->grid_ids->len)
    return;

  sm_household_list_set_grid_id (self, g_ptr_array_index (self->grid_ids, selected));
}

static void
building_selected_cb (SmHouseholdList *self,
                      GParamSpec      *pspec,
                      GtkDropDown     *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (self->filling_buildings || selected == GTK_INVALID_LIST_POSITION)
    return;

  if (selected == 0 || selected > self->building_ids->len)
    sm_household_list_set_building_id (self, NULL);
  else
    sm_household_list_set_building_id (self, g_ptr_array_index (self->building_ids, selected - 1));
}

static void
households_changed_cb (SmHouseholdList  *self,
                       GParamSpec       *pspec,
                       SmHouseholdModel *households)
{
  if (self->results == NULL)
    update_page (self);
}

/* The choosers' buttons: the choice ellipsized, so that both fit side by side at phone
 * width whatever the names. */
static void
setup_choice_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (label), 4);
  gtk_list_item_set_child (item, label);
}

static void
bind_choice_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  GtkWidget *child = gtk_list_item_get_child (item);
  GtkStringObject *choice = gtk_list_item_get_item (item);

  if (GTK_IS_BOX (child))
    child = gtk_widget_get_first_child (child);
  gtk_label_set_label (GTK_LABEL (child), gtk_string_object_get_string (choice));
}

/* The choosers' popovers: each choice in full, the chosen one checked, as GtkDropDown's
 * own rows show them. */
static void
setup_choice_row_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *label = gtk_label_new (NULL);
  /* Presentation only: the popover's list says which choice is selected. */
  GtkWidget *check = g_object_new (GTK_TYPE_IMAGE, "icon-name", "object-select-symbolic",
                                   "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), check);
  gtk_list_item_set_child (item, box);
}

static void
choice_check_cb (GtkDropDown *dropdown,
                 GParamSpec  *pspec,
                 GtkListItem *item)
{
  GtkWidget *check = gtk_widget_get_last_child (gtk_list_item_get_child (item));

  gboolean chosen = gtk_drop_down_get_selected_item (dropdown) == gtk_list_item_get_item (item);

  gtk_widget_set_opacity (check, chosen ? 1.0 : 0.0);
}

static void
bind_choice_row_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    GtkDropDown              *dropdown)
{
  bind_choice_cb (factory, item, NULL);
  g_signal_connect (dropdown, "notify::selected-item", G_CALLBACK (choice_check_cb), item);
  choice_check_cb (dropdown, NULL, item);
}

static void
unbind_choice_row_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      GtkDropDown              *dropdown)
{
  g_signal_handlers_disconnect_by_func (dropdown, choice_check_cb, item);
}

static void
set_up_chooser (GtkDropDown *dropdown)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkListItemFactory) list_factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_choice_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_choice_cb), NULL);
  gtk_drop_down_set_factory (dropdown, factory);

  g_signal_connect (list_factory, "setup", G_CALLBACK (setup_choice_row_cb), NULL);
  g_signal_connect_object (list_factory, "bind", G_CALLBACK (bind_choice_row_cb), dropdown, 0);
  g_signal_connect_object (list_factory, "unbind", G_CALLBACK (unbind_choice_row_cb), dropdown, 0);
  gtk_drop_down_set_list_factory (dropdown, list_factory);
}

static void
activate_cb (SmHouseholdList *self,
             guint            position,
             GtkListView     *list_view)
{
  g_autoptr(GObject) item = NULL;
  SmRecord *household = NULL;

  g_assert (SM_IS_HOUSEHOLD_LIST (self));

  item = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
  if (SM_IS_SEARCH_RESULT (item))
    household = sm_search_result_get_household (SM_SEARCH_RESULT (item));
  else if (SM_IS_RECORD (item))
    household = SM_RECORD (item);

  if (household != NULL)
    g_signal_emit (self, signals[HOUSEHOLD_ACTIVATED], 0, household);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  gtk_list_item_set_child (item, sm_household_row_new ());
  gtk_list_item_set_activatable (item, TRUE);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             SmHouseholdList          *self)
{
  SmHouseholdRow *row = SM_HOUSEHOLD_ROW (gtk_list_item_get_child (item));
  GObject *object = gtk_list_item_get_item (item);

  if (SM_IS_SEARCH_RESULT (object))
    {
      SmSearchResult *result = SM_SEARCH_RESULT (object);
      g_autofree char *subtitle = describe_hit (self, result);

      sm_household_row_set_title (row, sm_search_result_get_title (result));
      sm_household_row_set_subtitle (row, subtitle);
      sm_household_row_set_household (row, sm_search_result_get_household (result));
    }
  else if (SM_IS_RECORD (object))
    {
      SmRecord *household = SM_RECORD (object);

      sm_household_row_set_title (row, sm_record_get_string (household, "address"));
      sm_household_row_set_subtitle (row, NULL);
      sm_household_row_set_household (row, household);
    }
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  SmHouseholdRow *row = SM_HOUSEHOLD_ROW (gtk_list_item_get_child (item));

  sm_household_row_set_household (row, NULL);
}

static void
household_added_cb (SmHouseholdList   *self,
                    const char        *household_id,
                    SmHouseholdDialog *dialog)
{
  g_autoptr(SmRecord) household = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (SM_IS_HOUSEHOLD_LIST (self));

  if (!(household = sm_store_get (self->store, "household", household_id, &error)))
    {
      g_warning ("Cannot read the household just added: %s", error->message);
      return;
    }

  /* Browse the grid it went to, with it counted: in the building chosen, or among all. */
  sm_household_list_set_grid_id (self, sm_record_get_grid_id (household));
  if (g_strcmp0 (sm_household_list_get_building_id (self),
                 sm_record_get_string (household, "building_id")) != 0)
    sm_household_list_set_building_id (self, NULL);
  sm_household_list_reload (self);
  g_signal_emit (self, signals[HOUSEHOLD_ACTIVATED], 0, household);
}

static void
add_action_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  sm_household_list_add_household (SM_HOUSEHOLD_LIST (widget));
}

static gboolean
same_strings (GtkStringList     *list,
              const char * const *strings)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));

  if (n != g_strv_length ((char **) strings))
    return FALSE;

  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (list, i), strings[i]) != 0)
      return FALSE;

  return TRUE;
}

/* The grid's buildings in the chooser, @wanted_id chosen if it is one of them, else all. */
static void
load_buildings (SmHouseholdList *self,
                const char      *wanted_id)
{
  g_autoptr(GPtrArray) compounds = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const char *grid_id = sm_household_list_get_grid_id (self);
  const char *building_id = NULL;
  guint selected = 0;

  g_assert (SM_IS_HOUSEHOLD_LIST (self));

  g_ptr_array_set_size (self->building_ids, 0);
  /* Translators: the first choice of the building chooser of the 住户 page */
  g_ptr_array_add (names, g_strdup (_("All buildings")));

  if (grid_id != NULL && !(compounds = sm_store_list_compounds (self->store, grid_id, &error)))
    g_warning ("Cannot list the compounds of %s: %s", grid_id, error->message);

  for (guint c = 0; compounds != NULL && c < compounds->len; c++)
    {
      SmRecord *compound = g_ptr_array_index (compounds, c);
      g_autoptr(GPtrArray) buildings = NULL;

      if (!(buildings = sm_store_list_buildings (self->store, sm_record_get_id (compound), &error)))
        {
          g_warning ("Cannot list the buildings of %s: %s", sm_record_get_id (compound),
                     error->message);
          g_clear_error (&error);
          continue;
        }

      for (guint b = 0; b < buildings->len; b++)
        {
          SmRecord *building = g_ptr_array_index (buildings, b);
          Place *place = place_new (compound, building);

          g_ptr_array_add (self->building_ids, g_strdup (sm_record_get_id (building)));
          g_ptr_array_add (names, g_strdup (place->label));
          g_hash_table_replace (self->places, g_strdup (sm_record_get_id (building)), place);
          if (g_strcmp0 (wanted_id, sm_record_get_id (building)) == 0)
            {
              building_id = wanted_id;
              selected = self->building_ids->len;
            }
        }
    }
  g_ptr_array_add (names, NULL);

  /* Refilled only when the names changed: a drop-down of some hundred buildings takes
   * milliseconds to take new items, and a reload after a sync seldom brings buildings. */
  self->filling_buildings = TRUE;
  if (!same_strings (self->building_names, (const char * const *) names->pdata))
    gtk_string_list_splice (self->building_names, 0,
                            g_list_model_get_n_items (G_LIST_MODEL (self->building_names)),
                            (const char * const *) names->pdata);
  gtk_drop_down_set_selected (self->building_dropdown, selected);
  self->filling_buildings = FALSE;

  gtk_widget_set_sensitive (GTK_WIDGET (self->building_dropdown), self->building_ids->len > 0);
  sm_household_list_set_building_id (self, building_id);
}

/* The replica's grids in the chooser; browses @wanted_id if it is one of them, else the first. */
static void
load_grids (SmHouseholdList *self,
            const char      *wanted_id)
{
  g_autoptr(GPtrArray) grids = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  g_assert (SM_IS_HOUSEHOLD_LIST (self));

  g_ptr_array_set_size (self->grid_ids, 0);

  if (!(grids = sm_store_list_grids (self->store, &error)))
    {
      g_warning ("Cannot list the grids of the replica: %s", error->message);
      grids = g_ptr_array_new ();
    }

  for (guint i = 0; i < grids->len; i++)
    {
      SmRecord *grid = g_ptr_array_index (grids, i);
      const char *name = sm_record_get_string (grid, "name");

      g_ptr_array_add (self->grid_ids, g_strdup (sm_record_get_id (grid)));
      g_ptr_array_add (names, g_strdup (name ? name : sm_record_get_id (grid)));
    }
  g_ptr_array_add (names, NULL);

  self->filling_grids = TRUE;
  gtk_string_list_splice (self->grid_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->grid_names)),
                          (const char * const *) names->pdata);
  self->filling_grids = FALSE;

  gtk_widget_set_visible (self->choosers, self->grid_ids->len > 0);
  for (guint i = 0; wanted_id != NULL && i < self->grid_ids->len; i++)
    if (g_str_equal (g_ptr_array_index (self->grid_ids, i), wanted_id))
      {
        sm_household_list_set_grid_id (self, wanted_id);
        /* The same grid as before: the drop-down was refilled, select it again. */
        gtk_drop_down_set_selected (self->grid_dropdown, i);
        return;
      }
  sm_household_list_set_grid_id (self, self->grid_ids->len > 0 ? g_ptr_array_index (self->grid_ids, 0)
                                                               : NULL);
}

static void
sm_household_list_map (GtkWidget *widget)
{
  SmHouseholdList *self = SM_HOUSEHOLD_LIST (widget);

  GTK_WIDGET_CLASS (sm_household_list_parent_class)->map (widget);

  /* Back from a household's page, or after a sync: show what the replica holds now. */
  if (self->store != NULL && sm_store_get_last_hlc (self->store) != self->seen_hlc)
    sm_household_list_reload (self);
}

static void
sm_household_list_constructed (GObject *object)
{
  SmHouseholdList *self = SM_HOUSEHOLD_LIST (object);

  G_OBJECT_CLASS (sm_household_list_parent_class)->constructed (object);

  g_assert (SM_IS_STORE (self->store));

  self->households = sm_household_model_new (self->store);
  g_signal_connect_object (self->households, "notify::n-items", G_CALLBACK (households_changed_cb),
                           self, G_CONNECT_SWAPPED);
  show_model (self, G_LIST_MODEL (self->households));
  load_grids (self, NULL);
  self->seen_hlc = sm_store_get_last_hlc (self->store);
}

static void
sm_household_list_dispose (GObject *object)
{
  GtkWidget *child;
  SmHouseholdList *self = SM_HOUSEHOLD_LIST (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_HOUSEHOLD_LIST);
  /* Children without an id are not template children: unparent what is left. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->results);
  g_clear_object (&self->households);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sm_household_list_parent_class)->dispose (object);
}

static void
sm_household_list_finalize (GObject *object)
{
  SmHouseholdList *self = SM_HOUSEHOLD_LIST (object);

  g_clear_pointer (&self->grid_ids, g_ptr_array_unref);
  g_clear_pointer (&self->building_ids, g_ptr_array_unref);
  g_clear_pointer (&self->places, g_hash_table_unref);
  g_clear_pointer (&self->query, g_free);

  G_OBJECT_CLASS (sm_household_list_parent_class)->finalize (object);
}

static void
sm_household_list_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SmHouseholdList *self = SM_HOUSEHOLD_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_GRID_ID:
      g_value_set_string (value, sm_household_list_get_grid_id (self));
      break;
    case PROP_BUILDING_ID:
      g_value_set_string (value, sm_household_list_get_building_id (self));
      break;
    case PROP_QUERY:
      g_value_set_string (value, self->query);
      break;
    case PROP_CAPPED:
      g_value_set_boolean (value, self->capped);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_household_list_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SmHouseholdList *self = SM_HOUSEHOLD_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_GRID_ID:
      sm_household_list_set_grid_id (self, g_value_get_string (value));
      break;
    case PROP_BUILDING_ID:
      sm_household_list_set_building_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_household_list_class_init (SmHouseholdListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sm_household_list_constructed;
  object_class->dispose = sm_household_list_dispose;
  object_class->finalize = sm_household_list_finalize;
  object_class->get_property = sm_household_list_get_property;
  object_class->set_property = sm_household_list_set_property;
  widget_class->map = sm_household_list_map;

  /**
   * SmHouseholdList:store:
   *
   * The replica the households come from.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SmHouseholdList:grid-id:
   *
   * The grid browsed. Another grid is browsed from all its buildings.
   */
  properties[PROP_GRID_ID] =
    g_param_spec_string ("grid-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * SmHouseholdList:building-id:
   *
   * The building of the grid browsed, NULL for all its households. A building not in
   * the grid is taken as NULL.
   */
  properties[PROP_BUILDING_ID] =
    g_param_spec_string ("building-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * SmHouseholdList:query:
   *
   * The search whose results are shown, NULL while browsing. Notified once the results
   * are in the list.
   */
  properties[PROP_QUERY] =
    g_param_spec_string ("query", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * SmHouseholdList:capped:
   *
   * Whether the search shown stopped at its limit, so there may be more matches.
   */
  properties[PROP_CAPPED] =
    g_param_spec_boolean ("capped", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SmHouseholdList::household-activated:
   * @self: the list
   * @household: the household of the row (of a resident found, the resident's)
   *
   * Emitted when a row is activated: clicked, or Enter on it.
   */
  signals[HOUSEHOLD_ACTIVATED] =
    g_signal_new ("household-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, SM_TYPE_RECORD);

  gtk_widget_class_install_action (widget_class, "households.add", NULL, add_action_cb);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/sanmen/Sanmen/sm-household-list.ui");
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdList, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdList, choosers);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdList, grid_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdList, grid_names);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdList, building_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdList, building_names);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdList, capped_label);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdList, stack);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdList, list_view);
  gtk_widget_class_bind_template_child (widget_class, SmHouseholdList, selection);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, grid_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, building_selected_cb);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sm_household_list_init (SmHouseholdList *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  self->grid_ids = g_ptr_array_new_with_free_func (g_free);
  self->building_ids = g_ptr_array_new_with_free_func (g_free);
  self->places = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) place_free);

  gtk_widget_init_template (GTK_WIDGET (self));
  set_up_chooser (self->grid_dropdown);
  set_up_chooser (self->building_dropdown);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  g_signal_connect_object (self->list_view, "activate", G_CALLBACK (activate_cb), self,
                           G_CONNECT_SWAPPED);
}

GtkWidget *
sm_household_list_new (SmStore *store)
{
  g_return_val_if_fail (SM_IS_STORE (store), NULL);

  return g_object_new (SM_TYPE_HOUSEHOLD_LIST, "store", store, NULL);
}

SmStore *
sm_household_list_get_store (SmHouseholdList *self)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_LIST (self), NULL);

  return self->store;
}

const char *
sm_household_list_get_grid_id (SmHouseholdList *self)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_LIST (self), NULL);

  return self->households ? sm_household_model_get_grid_id (self->households) : NULL;
}

void
sm_household_list_set_grid_id (SmHouseholdList *self,
                               const char      *grid_id)
{
  gboolean had_building;

  g_return_if_fail (SM_IS_HOUSEHOLD_LIST (self));

  if (g_strcmp0 (sm_household_list_get_grid_id (self), grid_id) == 0)
    return;

  had_building = sm_household_list_get_building_id (self) != NULL;
  /* Sets the model's building back to NULL too: one read, of the whole grid. */
  sm_household_model_set_grid_id (self->households, grid_id);
  load_buildings (self, NULL);

  for (guint i = 0; grid_id != NULL && i < self->grid_ids->len; i++)
    if (g_str_equal (g_ptr_array_index (self->grid_ids, i), grid_id))
      gtk_drop_down_set_selected (self->grid_dropdown, i);

  update_page (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRID_ID]);
  if (had_building)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUILDING_ID]);
}

const char *
sm_household_list_get_building_id (SmHouseholdList *self)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_LIST (self), NULL);

  return self->households ? sm_household_model_get_building_id (self->households) : NULL;
}

void
sm_household_list_set_building_id (SmHouseholdList *self,
                                   const char      *building_id)
{
  guint selected = 0;

  g_return_if_fail (SM_IS_HOUSEHOLD_LIST (self));

  for (guint i = 0; building_id != NULL && i < self->building_ids->len; i++)
    if (g_str_equal (g_ptr_array_index (self->building_ids, i), building_id))
      selected = i + 1;
  if (selected == 0)
    building_id = NULL;

  if (gtk_drop_down_get_selected (self->building_dropdown) != selected)
    {
      self->filling_buildings = TRUE;
      gtk_drop_down_set_selected (self->building_dropdown, selected);
      self->filling_buildings = FALSE;
    }

  if (g_strcmp0 (sm_household_list_get_building_id (self), building_id) == 0)
    return;

  sm_household_model_set_building_id (self->households, building_id);
  update_page (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUILDING_ID]);
}

const char *
sm_household_list_get_query (SmHouseholdList *self)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_LIST (self), NULL);

  return self->query;
}

void
sm_household_list_focus_search (SmHouseholdList *self)
{
  g_return_if_fail (SM_IS_HOUSEHOLD_LIST (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

GListModel *
sm_household_list_get_model (SmHouseholdList *self)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_LIST (self), NULL);

  return gtk_no_selection_get_model (self->selection);
}

GtkEditable *
sm_household_list_get_search_entry (SmHouseholdList *self)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_LIST (self), NULL);

  return GTK_EDITABLE (self->search_entry);
}

GtkDropDown *
sm_household_list_get_grid_chooser (SmHouseholdList *self)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_LIST (self), NULL);

  return self->grid_dropdown;
}

GtkDropDown *
sm_household_list_get_building_chooser (SmHouseholdList *self)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_LIST (self), NULL);

  return self->building_dropdown;
}

gboolean
sm_household_list_get_capped (SmHouseholdList *self)
{
  g_return_val_if_fail (SM_IS_HOUSEHOLD_LIST (self), FALSE);

  return self->capped;
}

/* After a sync brought changes or an edit elsewhere: the grids and buildings may have
 * changed (a first sync brings the worker's grids), and so may every row shown. */
void
sm_household_list_reload (SmHouseholdList *self)
{
  g_autofree char *grid_id = NULL;
  g_autofree char *building_id = NULL;

  g_return_if_fail (SM_IS_HOUSEHOLD_LIST (self));

  /* The grid and the building browsed stay while the replica has them; otherwise the
   * first grid, and all of its buildings. */
  grid_id = g_strdup (sm_household_list_get_grid_id (self));
  building_id = g_strdup (sm_household_list_get_building_id (self));
  g_hash_table_remove_all (self->places);
  load_grids (self, grid_id);
  if (g_strcmp0 (grid_id, sm_household_list_get_grid_id (self)) == 0)
    load_buildings (self, building_id);

  self->seen_hlc = sm_store_get_last_hlc (self->store);
  sm_household_model_refresh (self->households);

  /* The search again, for what the replica now holds. */
  if (self->query != NULL)
    {
      g_autofree char *query = g_strdup (self->query);

      g_set_object (&self->results, search (self, query));
      show_model (self, G_LIST_MODEL (self->results));
    }
  else
    update_page (self);
}

SmHouseholdDialog *
sm_household_list_add_household (SmHouseholdList *self)
{
  SmHouseholdDialog *dialog;
  const Place *place;
  const char *building_id;
  GtkRoot *root;

  g_return_val_if_fail (SM_IS_HOUSEHOLD_LIST (self), NULL);

  dialog = sm_household_dialog_new (self->store, sm_household_list_get_grid_id (self), NULL);
  /* A new household of the building browsed, most likely: start there. */
  if ((building_id = sm_household_list_get_building_id (self)) != NULL
      && (place = lookup_place (self, building_id)) != NULL && place->compound_id != NULL
      && sm_household_dialog_select_compound (dialog, place->compound_id))
    sm_household_dialog_select_building (dialog, building_id);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (root));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (household_added_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return dialog;
}
