/* instasync-chart.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-chart"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "instasync-chart-scale.h"
#include "instasync-chart.h"

/* Room around the plot, in pixels. */
#define PAD_TOP 12.0
#define PAD_RIGHT 16.0
#define AXIS_GAP 8.0
#define MAX_VALUE_TICKS 5

/* Everything that decides what the line and its area look like. */
typedef struct
{
  int     width;
  int     height;
  int     scale_factor;
  double  top;
  double  bottom;
  double  left;
  double  right;
  double  axis_top;
  GdkRGBA accent;
  GdkRGBA area;
  guint   data_serial;
} LineKey;

struct _InstaSyncChart
{
  GtkWidget  parent_instance;

  GArray    *points;        /* InstaSyncChartPoint, day order */
  double     max_value;
  int        selected;
  char      *metric_label;

  /* Where the last frame put the plot, for the pointer. */
  double     plot_left;
  double     plot_right;

  /* The line and its area as last drawn, and what they were drawn for. */
  GdkTexture *line_texture;
  LineKey     line_key;
  guint       data_serial;
};

G_DEFINE_FINAL_TYPE (InstaSyncChart, instasync_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_N_POINTS,
  PROP_SELECTED,
  PROP_METRIC_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Auxiliary */

typedef struct
{
  GdkRGBA foreground;
  GdkRGBA dim;
  GdkRGBA grid;
  GdkRGBA accent;
  GdkRGBA area;
  GdkRGBA bubble;
} Palette;

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
static void
lookup_palette (GtkWidget *widget,
                Palette   *palette)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  /* The style's own colours, so that the dark style and high contrast
   * follow without a line of code here. */
  gtk_style_context_get_color (context, &palette->foreground);
  if (!gtk_style_context_lookup_color (context, "accent_color", &palette->accent))
    gdk_rgba_parse (&palette->accent, "#1c71d8");
  if (!gtk_style_context_lookup_color (context, "popover_bg_color", &palette->bubble))
    gdk_rgba_parse (&palette->bubble, "#ffffff");
G_GNUC_END_IGNORE_DEPRECATIONS

  palette->dim = palette->foreground;
  palette->dim.alpha *= 0.6f;
  palette->grid = palette->foreground;
  palette->grid.alpha *= 0.12f;
  palette->area = palette->accent;
  palette->area.alpha *= 0.18f;
}

static PangoLayout *
make_layout (GtkWidget  *widget,
             const char *text,
             gboolean    small)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);

  if (small)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_scale_new (0.83));
      pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }

  return layout;
}

static void
append_layout (GtkSnapshot   *snapshot,
               PangoLayout   *layout,
               double         x,
               double         y,
               const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float)x, (float)y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
append_rect (GtkSnapshot   *snapshot,
             const GdkRGBA *color,
             double         x,
             double         y,
             double         width,
             double         height)
{
  gtk_snapshot_append_color (snapshot, color,
                             &GRAPHENE_RECT_INIT ((float)x, (float)y, (float)width, (float)height));
}

static char *
format_day (guint32     julian,
            const char *format)
{
  char text[64];
  GDate day;

  g_date_clear (&day, 1);
  g_date_set_julian (&day, julian);
  if (g_date_strftime (text, sizeof text, format, &day) == 0)
    return g_strdup ("");
  return g_strdup (text);
}

static double
x_of (InstaSyncChart *self,
      guint           index)
{
  if (self->points->len <= 1)
    return (self->plot_left + self->plot_right) / 2.0;

  return self->plot_left + (self->plot_right - self->plot_left) * index / (self->points->len - 1);
}

static void
update_description (InstaSyncChart *self)
{
  g_autofree char *description = NULL;

  if (self->points->len == 0)
    {
      description = g_strdup (_("No data for this range"));
    }
  else
    {
      const InstaSyncChartPoint *first = &g_array_index (self->points, InstaSyncChartPoint, 0);
      const InstaSyncChartPoint *last =
        &g_array_index (self->points, InstaSyncChartPoint, self->points->len - 1);
      g_autofree char *from = format_day (first->julian_day, "%x");
      g_autofree char *to = format_day (last->julian_day, "%x");
      g_autofree char *highest = instasync_chart_format_value (self->max_value);

      /* Translators: a chart's description for screen readers, e.g.
       * "Reach, 28 days from 10/27/26 to 11/23/26, highest 1,234". */
      description = g_strdup_printf (ngettext ("%s, %u day from %s to %s, highest %s",
                                               "%s, %u days from %s to %s, highest %s",
                                               self->points->len),
                                     self->metric_label != NULL ? self->metric_label : "",
                                     self->points->len, from, to, highest);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->metric_label != NULL ? self->metric_label : "",
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

/* Drawing */

static void
snapshot_empty (InstaSyncChart *self,
                GtkSnapshot    *snapshot,
                const Palette  *palette,
                double          width,
                double          height)
{
  g_autoptr(PangoLayout) layout = make_layout (GTK_WIDGET (self), _("No data for this range"), FALSE);
  int text_width, text_height;

  pango_layout_get_pixel_size (layout, &text_width, &text_height);
  append_layout (snapshot, layout, (width - text_width) / 2.0, (height - text_height) / 2.0,
                 &palette->dim);
}

static void
draw_line (InstaSyncChart *self,
           cairo_t        *cr,
           const Palette  *palette,
           double          top,
           double          bottom,
           double          axis_top)
{
  double scale = (bottom - top) / axis_top;

  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

  for (guint i = 0; i < self->points->len; i++)
    {
      const InstaSyncChartPoint *point = &g_array_index (self->points, InstaSyncChartPoint, i);
      double y = bottom - MAX (point->value, 0.0) * scale;

      if (i == 0)
        cairo_move_to (cr, x_of (self, i), y);
      else
        cairo_line_to (cr, x_of (self, i), y);
    }

  /* The line, then the area under it with the same path closed. */
  cairo_set_line_width (cr, self->points->len > 200 ? 1.5 : 2.0);
  gdk_cairo_set_source_rgba (cr, &palette->accent);
  cairo_stroke_preserve (cr);

  cairo_line_to (cr, x_of (self, self->points->len - 1), bottom);
  cairo_line_to (cr, x_of (self, 0), bottom);
  cairo_close_path (cr);
  gdk_cairo_set_source_rgba (cr, &palette->area);
  cairo_fill (cr);

  /* With few days, each one is a dot one can aim at. */
  if (self->points->len <= 60)
    {
      gdk_cairo_set_source_rgba (cr, &palette->accent);
      for (guint i = 0; i < self->points->len; i++)
        {
          const InstaSyncChartPoint *point = &g_array_index (self->points, InstaSyncChartPoint, i);

          cairo_new_sub_path (cr);
          cairo_arc (cr, x_of (self, i), bottom - MAX (point->value, 0.0) * scale, 2.5, 0, 2 * G_PI);
        }
      cairo_fill (cr);
    }
}

/* The line and its area are the costly part of a frame (two years are 730
 * points to rasterize), and the same for every frame in which only the
 * read-out moves: they are drawn once into a texture, at the screen's
 * scale, and that texture is reused until the size, the data or the style
 * change. */
static void
snapshot_line (InstaSyncChart *self,
               GtkSnapshot    *snapshot,
               const Palette  *palette,
               double          top,
               double          bottom,
               double          axis_top)
{
  graphene_rect_t bounds = GRAPHENE_RECT_INIT ((float)self->plot_left - 4, (float)top - 4,
                                               (float)(self->plot_right - self->plot_left) + 8,
                                               (float)(bottom - top) + 8);
  int scale_factor = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  LineKey key;

  /* Compared byte for byte below: padding included. */
  memset (&key, 0, sizeof key);
  key.width = (int)ceil (bounds.size.width);
  key.height = (int)ceil (bounds.size.height);
  key.scale_factor = scale_factor;
  key.top = top;
  key.bottom = bottom;
  key.left = self->plot_left;
  key.right = self->plot_right;
  key.axis_top = axis_top;
  key.accent = palette->accent;
  key.area = palette->area;
  key.data_serial = self->data_serial;

  if (self->line_texture == NULL || memcmp (&key, &self->line_key, sizeof key) != 0)
    {
      int pixel_width = key.width * scale_factor;
      int pixel_height = key.height * scale_factor;
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, pixel_width,
                                                             pixel_height);
      cairo_t *cr = cairo_create (surface);
      g_autoptr(GBytes) pixels = NULL;

      cairo_scale (cr, scale_factor, scale_factor);
      cairo_translate (cr, -bounds.origin.x, -bounds.origin.y);
      draw_line (self, cr, palette, top, bottom, axis_top);
      cairo_destroy (cr);
      cairo_surface_flush (surface);

      /* Cairo's ARGB32 is GDK's default memory format on this machine's
       * byte order; the bytes are copied once, the surface let go. */
      pixels = g_bytes_new (cairo_image_surface_get_data (surface),
                            (gsize)cairo_image_surface_get_stride (surface) * pixel_height);
      g_clear_object (&self->line_texture);
      self->line_texture = gdk_memory_texture_new (pixel_width, pixel_height,
                                                   GDK_MEMORY_DEFAULT, pixels,
                                                   (gsize)cairo_image_surface_get_stride (surface));
      cairo_surface_destroy (surface);
      self->line_key = key;
    }

  gtk_snapshot_append_texture (snapshot, self->line_texture,
                               &GRAPHENE_RECT_INIT (bounds.origin.x, bounds.origin.y,
                                                    (float)key.width, (float)key.height));
}

static void
snapshot_readout (InstaSyncChart *self,
                  GtkSnapshot    *snapshot,
                  const Palette  *palette,
                  double          top,
                  double          bottom,
                  double          axis_top,
                  double          width)
{
  const InstaSyncChartPoint *point = &g_array_index (self->points, InstaSyncChartPoint, self->selected);
  g_autofree char *text = instasync_chart_dup_readout (self);
  g_autoptr(PangoLayout) layout = make_layout (GTK_WIDGET (self), text, FALSE);
  double x = x_of (self, (guint)self->selected);
  double y = bottom - MAX (point->value, 0.0) * (bottom - top) / axis_top;
  int text_width, text_height;
  double box_x, box_y, box_width, box_height;
  GskRoundedRect box;
  GdkRGBA border = palette->grid;

  append_rect (snapshot, &palette->dim, x - 0.5, top, 1.0, bottom - top);

  /* A dot on the line, ringed so that it shows on the filled area. */
  gsk_rounded_rect_init_from_rect (&box, &GRAPHENE_RECT_INIT ((float)x - 5, (float)y - 5, 10, 10), 5);
  gtk_snapshot_push_rounded_clip (snapshot, &box);
  append_rect (snapshot, &palette->bubble, x - 5, y - 5, 10, 10);
  gtk_snapshot_pop (snapshot);
  gsk_rounded_rect_init_from_rect (&box, &GRAPHENE_RECT_INIT ((float)x - 3.5f, (float)y - 3.5f, 7, 7), 3.5f);
  gtk_snapshot_push_rounded_clip (snapshot, &box);
  append_rect (snapshot, &palette->accent, x - 3.5, y - 3.5, 7, 7);
  gtk_snapshot_pop (snapshot);

  /* The bubble sits beside the line, on whichever side has room. */
  pango_layout_get_pixel_size (layout, &text_width, &text_height);
  box_width = text_width + 16;
  box_height = text_height + 10;
  box_x = x + 10 + box_width <= width ? x + 10 : x - 10 - box_width;
  box_x = MAX (0.0, box_x);
  box_y = CLAMP (y - box_height - 8, 0.0, MAX (0.0, bottom - box_height));

  gsk_rounded_rect_init_from_rect (&box, &GRAPHENE_RECT_INIT ((float)box_x, (float)box_y,
                                                              (float)box_width, (float)box_height), 6);
  gtk_snapshot_append_outset_shadow (snapshot, &box, &(GdkRGBA) { 0, 0, 0, 0.15f }, 0, 1, 1, 4);
  gtk_snapshot_push_rounded_clip (snapshot, &box);
  append_rect (snapshot, &palette->bubble, box_x, box_y, box_width, box_height);
  gtk_snapshot_pop (snapshot);
  border.alpha *= 2;
  gtk_snapshot_append_border (snapshot, &box, (float[4]) { 1, 1, 1, 1 },
                              (GdkRGBA[4]) { border, border, border, border });
  append_layout (snapshot, layout, box_x + 8, box_y + 5, &palette->foreground);
}

static void
instasync_chart_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  InstaSyncChart *self = INSTASYNC_CHART (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  g_autoptr(PangoLayout) sample = NULL;
  InstaSyncValueAxis axis;
  Palette palette;
  double label_width = 0, label_height = 0;
  double top, bottom;
  int sample_width, sample_height;
  guint step;
  guint32 first_day;

  lookup_palette (widget, &palette);

  if (self->points->len == 0)
    {
      snapshot_empty (self, snapshot, &palette, width, height);
      return;
    }

  /* The value axis: as many steps as fit at a comfortable spacing. */
  sample = make_layout (widget, "Sep 30", TRUE);
  pango_layout_get_pixel_size (sample, &sample_width, &sample_height);
  instasync_value_axis_compute (self->max_value,
                                CLAMP ((guint)((height - PAD_TOP - sample_height) / 40.0), 1,
                                       MAX_VALUE_TICKS),
                                &axis);

  for (guint i = 0; i <= axis.n_steps; i++)
    {
      g_autofree char *text = instasync_value_axis_format (axis.step * i);
      g_autoptr(PangoLayout) layout = make_layout (widget, text, TRUE);
      int w, h;

      pango_layout_get_pixel_size (layout, &w, &h);
      label_width = MAX (label_width, w);
      label_height = MAX (label_height, h);
    }

  top = PAD_TOP;
  bottom = height - sample_height - AXIS_GAP;
  self->plot_left = label_width + AXIS_GAP;
  self->plot_right = MAX (self->plot_left + 1, width - PAD_RIGHT);

  if (bottom - top < 10)
    return;

  /* Grid lines and their values. */
  for (guint i = 0; i <= axis.n_steps; i++)
    {
      double y = bottom - (bottom - top) * i / axis.n_steps;
      g_autofree char *text = instasync_value_axis_format (axis.step * i);
      g_autoptr(PangoLayout) layout = make_layout (widget, text, TRUE);
      int w, h;

      pango_layout_get_pixel_size (layout, &w, &h);
      append_rect (snapshot, &palette.grid, self->plot_left, round (y) - 0.5,
                   self->plot_right - self->plot_left, 1.0);
      append_layout (snapshot, layout, self->plot_left - AXIS_GAP - w, y - h / 2.0, &palette.dim);
    }

  /* Dates, as many as fit without crowding. */
  first_day = g_array_index (self->points, InstaSyncChartPoint, 0).julian_day;
  step = instasync_date_axis_step (self->points->len, self->plot_right - self->plot_left,
                                   sample_width);
  for (guint i = 0; i < self->points->len; i++)
    {
      guint32 julian = g_array_index (self->points, InstaSyncChartPoint, i).julian_day;
      g_autofree char *text = NULL;
      g_autoptr(PangoLayout) layout = NULL;
      double x;
      int w, h;

      if (!instasync_date_axis_is_labelled (julian, first_day, step))
        continue;

      /* Translators: date labels under the chart; strftime formats, "%b %e"
       * is "Nov  3" and "%b %Y" is "Nov 2026". */
      text = format_day (julian, step >= 30 ? _("%b %Y") : _("%b %e"));
      layout = make_layout (widget, g_strstrip (text), TRUE);
      pango_layout_get_pixel_size (layout, &w, &h);
      x = x_of (self, i);
      append_rect (snapshot, &palette.grid, round (x) - 0.5, bottom, 1.0, 4.0);
      append_layout (snapshot, layout,
                     CLAMP (x - w / 2.0, 0.0, MAX (0.0, width - w)), bottom + AXIS_GAP / 2,
                     &palette.dim);
    }

  snapshot_line (self, snapshot, &palette, top, bottom, axis.top);

  if (self->selected >= 0 && (guint)self->selected < self->points->len)
    snapshot_readout (self, snapshot, &palette, top, bottom, axis.top, width);

  if (gtk_widget_has_visible_focus (widget))
    {
      GskRoundedRect focus;
      GdkRGBA ring = palette.accent;

      ring.alpha *= 0.5f;
      gsk_rounded_rect_init_from_rect (&focus, &GRAPHENE_RECT_INIT (1, 1, (float)width - 2,
                                                                    (float)height - 2), 6);
      gtk_snapshot_append_border (snapshot, &focus, (float[4]) { 2, 2, 2, 2 },
                                  (GdkRGBA[4]) { ring, ring, ring, ring });
    }
}

/* Callbacks */

static void
on_motion_cb (GtkEventControllerMotion *controller,
              double                    x,
              double                    y,
              InstaSyncChart           *self)
{
  instasync_chart_set_selected (self, instasync_chart_index_at (x, self->plot_left,
                                                                self->plot_right,
                                                                self->points->len));
}

static void
on_leave_cb (GtkEventControllerMotion *controller,
             InstaSyncChart           *self)
{
  instasync_chart_set_selected (self, -1);
}

static gboolean
on_key_pressed_cb (GtkEventControllerKey *controller,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   InstaSyncChart        *self)
{
  int last = (int)self->points->len - 1;
  int selected = self->selected;

  if (last < 0)
    return GDK_EVENT_PROPAGATE;

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      selected = selected < 0 ? last : MAX (0, selected - 1);
      break;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      selected = selected < 0 ? 0 : MIN (last, selected + 1);
      break;
    case GDK_KEY_Home:
      selected = 0;
      break;
    case GDK_KEY_End:
      selected = last;
      break;
    case GDK_KEY_Escape:
      if (selected < 0)
        return GDK_EVENT_PROPAGATE;
      selected = -1;
      break;
    default:
      return GDK_EVENT_PROPAGATE;
    }

  instasync_chart_set_selected (self, selected);
  return GDK_EVENT_STOP;
}

/* GObject overrides */

static void
instasync_chart_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 600;
    }
  else
    {
      *minimum = 120;
      *natural = 240;
    }
}

static void
instasync_chart_finalize (GObject *object)
{
  InstaSyncChart *self = INSTASYNC_CHART (object);

  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->metric_label, g_free);
  g_clear_object (&self->line_texture);

  G_OBJECT_CLASS (instasync_chart_parent_class)->finalize (object);
}

static void
instasync_chart_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  InstaSyncChart *self = INSTASYNC_CHART (object);

  switch (prop_id)
    {
    case PROP_N_POINTS:
      g_value_set_uint (value, self->points->len);
      break;
    case PROP_SELECTED:
      g_value_set_int (value, self->selected);
      break;
    case PROP_METRIC_LABEL:
      g_value_set_string (value, self->metric_label);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
instasync_chart_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  InstaSyncChart *self = INSTASYNC_CHART (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      instasync_chart_set_selected (self, g_value_get_int (value));
      break;
    case PROP_METRIC_LABEL:
      instasync_chart_set_metric_label (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
instasync_chart_class_init (InstaSyncChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = instasync_chart_finalize;
  object_class->get_property = instasync_chart_get_property;
  object_class->set_property = instasync_chart_set_property;

  widget_class->snapshot = instasync_chart_snapshot;
  widget_class->measure = instasync_chart_measure;

  properties[PROP_N_POINTS] =
    g_param_spec_uint ("n-points", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED] =
    g_param_spec_int ("selected", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_METRIC_LABEL] =
    g_param_spec_string ("metric-label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
instasync_chart_init (InstaSyncChart *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->points = g_array_new (FALSE, FALSE, sizeof (InstaSyncChartPoint));
  self->selected = -1;

  g_signal_connect (motion, "motion", G_CALLBACK (on_motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  update_description (self);
}

/* Public API */

GtkWidget *
instasync_chart_new (void)
{
  return g_object_new (INSTASYNC_TYPE_CHART, NULL);
}

void
instasync_chart_set_points (InstaSyncChart            *self,
                            const InstaSyncChartPoint *points,
                            guint                      n_points)
{
  guint old_len;

  g_return_if_fail (INSTASYNC_IS_CHART (self));
  g_return_if_fail (points != NULL || n_points == 0);

  old_len = self->points->len;
  g_array_set_size (self->points, 0);
  if (n_points > 0)
    g_array_append_vals (self->points, points, n_points);

  self->data_serial++;
  self->max_value = 0.0;
  for (guint i = 0; i < n_points; i++)
    self->max_value = MAX (self->max_value, points[i].value);

  if (self->selected >= (int)n_points)
    instasync_chart_set_selected (self, -1);

  update_description (self);
  if (old_len != n_points)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_POINTS]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
instasync_chart_get_n_points (InstaSyncChart *self)
{
  g_return_val_if_fail (INSTASYNC_IS_CHART (self), 0);

  return self->points->len;
}

const InstaSyncChartPoint *
instasync_chart_get_point (InstaSyncChart *self,
                           guint           index)
{
  g_return_val_if_fail (INSTASYNC_IS_CHART (self), NULL);
  g_return_val_if_fail (index < self->points->len, NULL);

  return &g_array_index (self->points, InstaSyncChartPoint, index);
}

int
instasync_chart_get_selected (InstaSyncChart *self)
{
  g_return_val_if_fail (INSTASYNC_IS_CHART (self), -1);

  return self->selected;
}

void
instasync_chart_set_selected (InstaSyncChart *self,
                              int             index)
{
  g_return_if_fail (INSTASYNC_IS_CHART (self));

  if (index < -1 || index >= (int)self->points->len)
    index = -1;

  if (self->selected == index)
    return;

  self->selected = index;

  /* The day read, for a screen reader as for the eye. */
  if (index >= 0)
    {
      g_autofree char *readout = instasync_chart_dup_readout (self);

      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, readout, -1);
    }
  else
    {
      update_description (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

char *
instasync_chart_dup_readout (InstaSyncChart *self)
{
  const InstaSyncChartPoint *point;
  g_autofree char *day = NULL;
  g_autofree char *value = NULL;

  g_return_val_if_fail (INSTASYNC_IS_CHART (self), NULL);

  if (self->selected < 0)
    return NULL;

  point = &g_array_index (self->points, InstaSyncChartPoint, self->selected);
  /* Translators: the day in the chart's read-out, a strftime format:
   * "Mon, Nov 3, 2026". */
  day = format_day (point->julian_day, _("%a, %b %e, %Y"));
  value = instasync_chart_format_value (point->value);

  /* Translators: the chart's read-out: a day, then the metric's value. */
  return g_strdup_printf (_("%s\n%s"), g_strstrip (day), value);
}

const char *
instasync_chart_get_metric_label (InstaSyncChart *self)
{
  g_return_val_if_fail (INSTASYNC_IS_CHART (self), NULL);

  return self->metric_label;
}

void
instasync_chart_set_metric_label (InstaSyncChart *self,
                                  const char     *label)
{
  g_return_if_fail (INSTASYNC_IS_CHART (self));

  if (g_strcmp0 (self->metric_label, label) == 0)
    return;

  g_free (self->metric_label);
  self->metric_label = g_strdup (label);
  update_description (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METRIC_LABEL]);
}
