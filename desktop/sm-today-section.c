/* sm-today-section.c — one section of the Today page: a heading with a count, a list
 *
 * The count is of everything due, the list only of the first items of it (the page reads
 * a page at a time, most urgent first): "Show More" asks the page for more. Rows are made
 * for the items shown only, never for every record.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-today-section.h"

#include <glib/gi18n.h>

struct _SmTodaySection
{
  GtkWidget   parent_instance;

  GListModel *items;
  guint       total;
  GDateTime  *now;
  guint       target_minutes;

  GtkLabel   *title_label;
  GtkLabel   *count_label;
  GtkLabel   *description_label;
  GtkListBox *list_box;
  GtkLabel   *empty_label;
  GtkButton  *more_button;
};

G_DEFINE_FINAL_TYPE (SmTodaySection, sm_today_section, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_DESCRIPTION,
  PROP_EMPTY_TEXT,
  PROP_TOTAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ITEM_ACTIVATED,
  SHOW_MORE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static guint
n_shown (SmTodaySection *self)
{
  return self->items != NULL ? g_list_model_get_n_items (self->items) : 0;
}

static void
update_footer (SmTodaySection *self)
{
  guint shown = n_shown (self);
  g_autofree char *count = g_strdup_printf ("%u", self->total);

  g_assert (SM_IS_TODAY_SECTION (self));

  gtk_label_set_label (self->count_label, count);
  gtk_widget_set_visible (GTK_WIDGET (self->list_box), shown > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), self->total == 0);

  if (shown < self->total)
    {
      /* Translators: a button under a shortened list; the numbers are how many are shown
       * and how many there are in all */
      g_autofree char *label = g_strdup_printf (_("_Show More (%u of %u shown)"), shown, self->total);

      gtk_button_set_label (self->more_button, label);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->more_button), shown < self->total);
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  SmTodaySection *self = user_data;
  GtkWidget *row = sm_today_row_new (SM_TODAY_ITEM (item));

  if (self->now != NULL)
    sm_today_row_update (SM_TODAY_ROW (row), self->now, self->target_minutes);

  return row;
}

static void
items_changed_cb (SmTodaySection *self,
                  guint           position,
                  guint           removed,
                  guint           added,
                  GListModel     *items)
{
  update_footer (self);
}

static void
row_activated_cb (SmTodaySection *self,
                  GtkListBoxRow  *row,
                  GtkListBox     *list_box)
{
  if (SM_IS_TODAY_ROW (row))
    g_signal_emit (self, signals[ITEM_ACTIVATED], 0, sm_today_row_get_item (SM_TODAY_ROW (row)));
}

static void
more_clicked_cb (SmTodaySection *self,
                 GtkButton      *button)
{
  g_signal_emit (self, signals[SHOW_MORE], 0);
}

static void
sm_today_section_dispose (GObject *object)
{
  SmTodaySection *self = SM_TODAY_SECTION (object);
  GtkWidget *child;

  if (self->items != NULL)
    g_signal_handlers_disconnect_by_func (self->items, items_changed_cb, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_TODAY_SECTION);
  /* Children without an id are not template children: unparent what is left. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->items);
  g_clear_pointer (&self->now, g_date_time_unref);

  G_OBJECT_CLASS (sm_today_section_parent_class)->dispose (object);
}

static void
sm_today_section_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SmTodaySection *self = SM_TODAY_SECTION (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, sm_today_section_get_title (self));
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, sm_today_section_get_description (self));
      break;
    case PROP_EMPTY_TEXT:
      g_value_set_string (value, sm_today_section_get_empty_text (self));
      break;
    case PROP_TOTAL:
      g_value_set_uint (value, self->total);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_today_section_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SmTodaySection *self = SM_TODAY_SECTION (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      sm_today_section_set_title (self, g_value_get_string (value));
      break;
    case PROP_DESCRIPTION:
      sm_today_section_set_description (self, g_value_get_string (value));
      break;
    case PROP_EMPTY_TEXT:
      sm_today_section_set_empty_text (self, g_value_get_string (value));
      break;
    case PROP_TOTAL:
      sm_today_section_set_total (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_today_section_class_init (SmTodaySectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sm_today_section_dispose;
  object_class->get_property = sm_today_section_get_property;
  object_class->set_property = sm_today_section_set_property;

  /**
   * SmTodaySection:title:
   *
   * The heading, also the list's accessible name.
   */
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * SmTodaySection:description:
   *
   * One line under the heading: what makes an item due.
   */
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * SmTodaySection:empty-text:
   *
   * What shows instead of the list when nothing is due.
   */
  properties[PROP_EMPTY_TEXT] =
    g_param_spec_string ("empty-text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * SmTodaySection:total:
   *
   * How many items are due in all, shown or not.
   */
  properties[PROP_TOTAL] =
    g_param_spec_uint ("total", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SmTodaySection::item-activated:
   * @self: the section
   * @item: the SmTodayItem of the row activated (click, Enter, Space)
   */
  signals[ITEM_ACTIVATED] =
    g_signal_new ("item-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, SM_TYPE_TODAY_ITEM);
  /**
   * SmTodaySection::show-more:
   * @self: the section
   *
   * The user asked for more of the items than are shown.
   */
  signals[SHOW_MORE] =
    g_signal_new ("show-more", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/sanmen/Sanmen/sm-today-section.ui");
  gtk_widget_class_bind_template_child (widget_class, SmTodaySection, title_label);
  gtk_widget_class_bind_template_child (widget_class, SmTodaySection, count_label);
  gtk_widget_class_bind_template_child (widget_class, SmTodaySection, description_label);
  gtk_widget_class_bind_template_child (widget_class, SmTodaySection, list_box);
  gtk_widget_class_bind_template_child (widget_class, SmTodaySection, empty_label);
  gtk_widget_class_bind_template_child (widget_class, SmTodaySection, more_button);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, more_clicked_cb);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sm_today_section_init (SmTodaySection *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->target_minutes = 5;
  update_footer (self);
}

GtkWidget *
sm_today_section_new (void)
{
  return g_object_new (SM_TYPE_TODAY_SECTION, NULL);
}

const char *
sm_today_section_get_title (SmTodaySection *self)
{
  g_return_val_if_fail (SM_IS_TODAY_SECTION (self), NULL);

  return gtk_label_get_label (self->title_label);
}

void
sm_today_section_set_title (SmTodaySection *self,
                            const char     *title)
{
  g_return_if_fail (SM_IS_TODAY_SECTION (self));

  if (g_strcmp0 (gtk_label_get_label (self->title_label), title ? title : "") == 0)
    return;

  gtk_label_set_label (self->title_label, title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list_box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title ? title : "", -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
sm_today_section_get_description (SmTodaySection *self)
{
  g_return_val_if_fail (SM_IS_TODAY_SECTION (self), NULL);

  return gtk_label_get_label (self->description_label);
}

void
sm_today_section_set_description (SmTodaySection *self,
                                  const char     *description)
{
  g_return_if_fail (SM_IS_TODAY_SECTION (self));

  if (g_strcmp0 (gtk_label_get_label (self->description_label), description ? description : "") == 0)
    return;

  gtk_label_set_label (self->description_label, description);
  gtk_widget_set_visible (GTK_WIDGET (self->description_label), description != NULL && *description != '\0');
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
}

const char *
sm_today_section_get_empty_text (SmTodaySection *self)
{
  g_return_val_if_fail (SM_IS_TODAY_SECTION (self), NULL);

  return gtk_label_get_label (self->empty_label);
}

void
sm_today_section_set_empty_text (SmTodaySection *self,
                                 const char     *empty_text)
{
  g_return_if_fail (SM_IS_TODAY_SECTION (self));

  if (g_strcmp0 (gtk_label_get_label (self->empty_label), empty_text ? empty_text : "") == 0)
    return;

  gtk_label_set_label (self->empty_label, empty_text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMPTY_TEXT]);
}

void
sm_today_section_bind_model (SmTodaySection *self,
                             GListModel     *items)
{
  g_return_if_fail (SM_IS_TODAY_SECTION (self));
  g_return_if_fail (items == NULL || G_IS_LIST_MODEL (items));

  if (self->items != NULL)
    g_signal_handlers_disconnect_by_func (self->items, items_changed_cb, self);
  g_set_object (&self->items, items);
  if (items != NULL)
    g_signal_connect_object (items, "items-changed", G_CALLBACK (items_changed_cb), self,
                             G_CONNECT_SWAPPED);

  gtk_list_box_bind_model (self->list_box, items, create_row_cb, self, NULL);
  update_footer (self);
}

guint
sm_today_section_get_total (SmTodaySection *self)
{
  g_return_val_if_fail (SM_IS_TODAY_SECTION (self), 0);

  return self->total;
}

void
sm_today_section_set_total (SmTodaySection *self,
                            guint           total)
{
  g_return_if_fail (SM_IS_TODAY_SECTION (self));

  if (self->total == total)
    return;

  self->total = total;
  update_footer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
}

void
sm_today_section_set_now (SmTodaySection *self,
                          GDateTime      *now,
                          guint           target_minutes)
{
  g_return_if_fail (SM_IS_TODAY_SECTION (self));
  g_return_if_fail (now != NULL);

  g_clear_pointer (&self->now, g_date_time_unref);
  self->now = g_date_time_ref (now);
  self->target_minutes = target_minutes;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list_box)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (SM_IS_TODAY_ROW (row))
      sm_today_row_update (SM_TODAY_ROW (row), now, target_minutes);
}

SmTodayRow *
sm_today_section_get_row (SmTodaySection *self,
                          guint           index)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (SM_IS_TODAY_SECTION (self), NULL);

  row = gtk_list_box_get_row_at_index (self->list_box, (int) index);

  return SM_IS_TODAY_ROW (row) ? SM_TODAY_ROW (row) : NULL;
}

const char *
sm_today_section_get_count_text (SmTodaySection *self)
{
  g_return_val_if_fail (SM_IS_TODAY_SECTION (self), NULL);

  return gtk_label_get_label (self->count_label);
}
