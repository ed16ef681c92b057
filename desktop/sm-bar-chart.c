/* sm-bar-chart.c — a horizontal bar chart drawn with GtkSnapshot
 *
 * Wide, each row is one line: the label in a column at the left (at most 40% of the
 * width, ellipsized), the bar, the value text after it. Below REFLOW_WIDTH the label
 * goes on a line of its own above its bar, so a chart stays readable at phone width; the
 * height follows the width (GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH).
 *
 * Colours come from the style, so the chart follows the light and dark schemes: text in
 * the widget's colour, bars in the accent colour (libadwaita's @accent_bg_color) on a
 * faint track of the text colour. For screen readers the chart is an image whose label
 * is its title and whose description reads every row ("label: value").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-bar-chart.h"

#include <glib/gi18n.h>

#define REFLOW_WIDTH 420
#define BAR_HEIGHT 16
#define ROW_GAP 8
#define COLUMN_GAP 8
#define LABEL_SHARE 0.4

typedef struct {
  char   *label;
  double  value;
  char   *value_text;
} Row;

struct _SmBarChart
{
  GtkWidget  parent_instance;

  char      *title;
  GArray    *rows;       /* of Row */
  double     scale_max;
};

G_DEFINE_FINAL_TYPE (SmBarChart, sm_bar_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
row_clear (gpointer data)
{
  Row *row = data;

  g_free (row->label);
  g_free (row->value_text);
}

static void
update_accessible (SmBarChart *self)
{
  g_autoptr(GString) description = g_string_new (NULL);

  g_assert (SM_IS_BAR_CHART (self));

  for (guint i = 0; i < self->rows->len; i++)
    {
      g_autofree char *text = sm_bar_chart_dup_row_text (self, i);

      if (description->len > 0)
        /* Translators: between the rows of a chart as a screen reader reads them */
        g_string_append (description, _("; "));
      g_string_append (description, text);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->title ? self->title : "",
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  self->rows->len > 0 ? description->str : _("No data"),
                                  -1);
}

static int
text_height (SmBarChart *self)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), "Ag 国");
  int height;

  pango_layout_get_pixel_size (layout, NULL, &height);
  return height;
}

static int
row_height (SmBarChart *self,
            gboolean    narrow)
{
  int text = text_height (self);

  return narrow ? text + 2 + MAX (text, BAR_HEIGHT) : MAX (text, BAR_HEIGHT);
}

static int
content_height (SmBarChart *self,
                int         width)
{
  gboolean narrow = width >= 0 && width < REFLOW_WIDTH;
  guint n = MAX (self->rows->len, 1);

  return (int) n * row_height (self, narrow) + (int) (n - 1) * ROW_GAP;
}

static void
sm_bar_chart_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  SmBarChart *self = SM_BAR_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 160;
      *natural = 560;
    }
  else
    {
      *minimum = *natural = content_height (self, for_size);
    }
}

static GtkSizeRequestMode
sm_bar_chart_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
draw_text (GtkSnapshot *snapshot,
           PangoLayout *layout,
           float        x,
           float        y,
           const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
static void
style_colors (GtkWidget *widget,
              GdkRGBA   *fg,
              GdkRGBA   *accent)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  gtk_style_context_get_color (context, fg);
  if (!gtk_style_context_lookup_color (context, "accent_bg_color", accent))
    *accent = *fg;
}
G_GNUC_END_IGNORE_DEPRECATIONS

static void
sm_bar_chart_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  SmBarChart *self = SM_BAR_CHART (widget);
  int width = gtk_widget_get_width (widget);
  gboolean narrow = width < REFLOW_WIDTH;
  int text_h = text_height (self);
  int row_h = row_height (self, narrow);
  int label_w = 0, value_w = 0;
  double max = self->scale_max;
  GdkRGBA fg, accent, track, dim;
  float y = 0;

  style_colors (widget, &fg, &accent);
  track = fg;
  track.alpha *= 0.08f;
  dim = fg;
  dim.alpha *= 0.55f;

  if (self->rows->len == 0)
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, _("No data"));

      draw_text (snapshot, layout, 0, 0, &dim);
      return;
    }

  /* Column widths from the widest label and value. */
  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = &g_array_index (self->rows, Row, i);
      g_autoptr(PangoLayout) label = gtk_widget_create_pango_layout (widget, row->label);
      g_autoptr(PangoLayout) value = gtk_widget_create_pango_layout (widget, row->value_text);
      int w;

      pango_layout_get_pixel_size (label, &w, NULL);
      label_w = MAX (label_w, w);
      pango_layout_get_pixel_size (value, &w, NULL);
      value_w = MAX (value_w, w);
      if (self->scale_max <= 0)
        max = MAX (max, row->value);
    }
  label_w = narrow ? width : MIN (label_w, (int) (width * LABEL_SHARE));

  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = &g_array_index (self->rows, Row, i);
      g_autoptr(PangoLayout) label = gtk_widget_create_pango_layout (widget, row->label);
      g_autoptr(PangoLayout) value = gtk_widget_create_pango_layout (widget, row->value_text);
      float bar_x = narrow ? 0 : label_w + COLUMN_GAP;
      float bar_y, bar_w, track_w, share;

      pango_layout_set_width (label, label_w * PANGO_SCALE);
      pango_layout_set_ellipsize (label, PANGO_ELLIPSIZE_END);
      draw_text (snapshot, label, 0, y + (narrow ? 0 : (row_h - text_h) / 2.0f), &fg);

      bar_y = narrow ? y + text_h + 2 : y;
      bar_y += (MAX (text_h, BAR_HEIGHT) - BAR_HEIGHT) / 2.0f;
      track_w = MAX (width - bar_x - COLUMN_GAP - value_w, 1);
      share = max > 0 && row->value > 0 ? (float) CLAMP (row->value / max, 0, 1) : 0;
      bar_w = track_w * share;

      gtk_snapshot_append_color (snapshot, &track,
                                 &GRAPHENE_RECT_INIT (bar_x, bar_y, track_w, BAR_HEIGHT));
      /* A value above zero shows, however small beside the largest. */
      if (row->value > 0)
        gtk_snapshot_append_color (snapshot, &accent,
                                   &GRAPHENE_RECT_INIT (bar_x, bar_y, MAX (bar_w, 2), BAR_HEIGHT));

      draw_text (snapshot, value, bar_x + track_w + COLUMN_GAP,
                 (narrow ? y + text_h + 2 : y) + (MAX (text_h, BAR_HEIGHT) - text_h) / 2.0f, &fg);

      y += row_h + ROW_GAP;
    }
}

static void
sm_bar_chart_finalize (GObject *object)
{
  SmBarChart *self = SM_BAR_CHART (object);

  g_free (self->title);
  g_array_unref (self->rows);

  G_OBJECT_CLASS (sm_bar_chart_parent_class)->finalize (object);
}

static void
sm_bar_chart_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SmBarChart *self = SM_BAR_CHART (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_bar_chart_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  SmBarChart *self = SM_BAR_CHART (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      sm_bar_chart_set_title (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_bar_chart_class_init (SmBarChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = sm_bar_chart_finalize;
  object_class->get_property = sm_bar_chart_get_property;
  object_class->set_property = sm_bar_chart_set_property;

  widget_class->measure = sm_bar_chart_measure;
  widget_class->get_request_mode = sm_bar_chart_get_request_mode;
  widget_class->snapshot = sm_bar_chart_snapshot;

  /**
   * SmBarChart:title:
   *
   * What the chart shows, for screen readers.
   */
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "barchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sm_bar_chart_init (SmBarChart *self)
{
  self->rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_array_set_clear_func (self->rows, row_clear);
  update_accessible (self);
}

GtkWidget *
sm_bar_chart_new (void)
{
  return g_object_new (SM_TYPE_BAR_CHART, NULL);
}

const char *
sm_bar_chart_get_title (SmBarChart *self)
{
  g_return_val_if_fail (SM_IS_BAR_CHART (self), NULL);

  return self->title;
}

void
sm_bar_chart_set_title (SmBarChart *self,
                        const char *title)
{
  g_return_if_fail (SM_IS_BAR_CHART (self));

  if (g_strcmp0 (self->title, title) == 0)
    return;

  g_free (self->title);
  self->title = g_strdup (title);
  update_accessible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

void
sm_bar_chart_clear (SmBarChart *self)
{
  g_return_if_fail (SM_IS_BAR_CHART (self));

  g_array_set_size (self->rows, 0);
  update_accessible (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
sm_bar_chart_append (SmBarChart *self,
                     const char *label,
                     double      value,
                     const char *value_text)
{
  Row row;

  g_return_if_fail (SM_IS_BAR_CHART (self));
  g_return_if_fail (label != NULL && value_text != NULL);

  row.label = g_strdup (label);
  row.value = value;
  row.value_text = g_strdup (value_text);
  g_array_append_val (self->rows, row);

  update_accessible (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
sm_bar_chart_set_scale_max (SmBarChart *self,
                            double      scale_max)
{
  g_return_if_fail (SM_IS_BAR_CHART (self));

  self->scale_max = scale_max;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
sm_bar_chart_get_n_rows (SmBarChart *self)
{
  g_return_val_if_fail (SM_IS_BAR_CHART (self), 0);

  return self->rows->len;
}

char *
sm_bar_chart_dup_row_text (SmBarChart *self,
                           guint       index)
{
  Row *row;

  g_return_val_if_fail (SM_IS_BAR_CHART (self), NULL);
  g_return_val_if_fail (index < self->rows->len, NULL);

  row = &g_array_index (self->rows, Row, index);
  /* Translators: one row of a chart: its label, then its value (e.g. "Repairs: 12") */
  return g_strdup_printf (_("%s: %s"), row->label, row->value_text);
}
