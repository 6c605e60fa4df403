/* instasync-gui-bench-naive-chart.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The chart's baseline: what a first implementation would write. A
 * GtkDrawingArea that draws everything with cairo on every frame: each of
 * the segments of the line as its own stroke, the area under it as one
 * filled quad per segment, each grid line as its own stroke, and a new
 * PangoLayout for every label of every frame. It shows what InstaSyncChart
 * shows (the same points, value grid, quarterly dates and read-out), so
 * that the two differ in how they draw, not in what. */

#include "config.h"

#include <gtk/gtk.h>

#include "instasync-gui-bench.h"

typedef struct
{
  GArray *points;       /* InstaSyncChartPoint */
  int     selected;
} NaiveChart;

static void
naive_chart_free (NaiveChart *self)
{
  g_array_unref (self->points);
  g_free (self);
}

static NaiveChart *
get_self (GtkWidget *widget)
{
  return g_object_get_data (G_OBJECT (widget), "bench-naive-chart");
}

static void
show_text (GtkWidget     *widget,
           cairo_t       *cr,
           const char    *text,
           double         x,
           double         y,
           gboolean       centred,
           const GdkRGBA *color)
{
  /* A new layout for each label, every frame. */
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  gdk_cairo_set_source_rgba (cr, color);
  cairo_move_to (cr, centred ? x - width / 2.0 : x - width, y - height / 2.0);
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
}

static void
draw (GtkDrawingArea *area,
      cairo_t        *cr,
      int             width,
      int             height,
      gpointer        data)
{
  GtkWidget *widget = GTK_WIDGET (area);
  NaiveChart *self = data;
  GdkRGBA foreground, accent, grid, fill, dim, bubble;
  double max = 0, top, left = 48, right = width - 16, plot_top = 12, plot_bottom = height - 28;
  guint n = self->points->len;

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &foreground);
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), "accent_color", &accent))
    gdk_rgba_parse (&accent, "#1c71d8");
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), "popover_bg_color", &bubble))
    gdk_rgba_parse (&bubble, "#ffffff");
G_GNUC_END_IGNORE_DEPRECATIONS
  dim = foreground;
  dim.alpha *= 0.6f;
  grid = foreground;
  grid.alpha *= 0.12f;
  fill = accent;
  fill.alpha *= 0.18f;

  if (n < 2)
    return;

  for (guint i = 0; i < n; i++)
    max = MAX (max, g_array_index (self->points, InstaSyncChartPoint, i).value);
  top = max > 0 ? max * 1.1 : 1;

  /* The value grid: five lines, each stroked and labelled on its own. */
  cairo_set_line_width (cr, 1);
  for (guint i = 0; i <= 4; i++)
    {
      double y = plot_bottom - (plot_bottom - plot_top) * i / 4.0;
      char text[32];

      gdk_cairo_set_source_rgba (cr, &grid);
      cairo_move_to (cr, left, y);
      cairo_line_to (cr, right, y);
      cairo_stroke (cr);
      g_snprintf (text, sizeof text, "%.0f", top * i / 4.0);
      show_text (widget, cr, text, left - 6, y, FALSE, &dim);
    }

  /* A date every 91 days. */
  for (guint i = 0; i < n; i += 91)
    {
      GDate day;
      char text[32];
      double x = left + (right - left) * i / (n - 1);

      g_date_clear (&day, 1);
      g_date_set_julian (&day, g_array_index (self->points, InstaSyncChartPoint, i).julian_day);
      g_date_strftime (text, sizeof text, "%b %Y", &day);
      show_text (widget, cr, text, x, plot_bottom + 14, TRUE, &dim);
    }

  /* The line and the area under it, one segment at a time. */
  cairo_set_line_width (cr, 1.5);
  for (guint i = 1; i < n; i++)
    {
      double x0 = left + (right - left) * (i - 1) / (n - 1);
      double x1 = left + (right - left) * i / (n - 1);
      double y0 = plot_bottom - (plot_bottom - plot_top) *
                  g_array_index (self->points, InstaSyncChartPoint, i - 1).value / top;
      double y1 = plot_bottom - (plot_bottom - plot_top) *
                  g_array_index (self->points, InstaSyncChartPoint, i).value / top;

      gdk_cairo_set_source_rgba (cr, &fill);
      cairo_move_to (cr, x0, y0);
      cairo_line_to (cr, x1, y1);
      cairo_line_to (cr, x1, plot_bottom);
      cairo_line_to (cr, x0, plot_bottom);
      cairo_close_path (cr);
      cairo_fill (cr);

      gdk_cairo_set_source_rgba (cr, &accent);
      cairo_move_to (cr, x0, y0);
      cairo_line_to (cr, x1, y1);
      cairo_stroke (cr);
    }

  /* The read-out: a rule, a dot and a bubble with the day and the value. */
  if (self->selected >= 0 && (guint)self->selected < n)
    {
      const InstaSyncChartPoint *point = &g_array_index (self->points, InstaSyncChartPoint, self->selected);
      double x = left + (right - left) * self->selected / (n - 1);
      double y = plot_bottom - (plot_bottom - plot_top) * point->value / top;
      PangoLayout *layout;
      char day_text[64];
      char *text;
      int text_width, text_height;
      double bx, by, bw, bh, r = 6;
      GDate day;

      gdk_cairo_set_source_rgba (cr, &dim);
      cairo_set_line_width (cr, 1);
      cairo_move_to (cr, x, plot_top);
      cairo_line_to (cr, x, plot_bottom);
      cairo_stroke (cr);

      gdk_cairo_set_source_rgba (cr, &accent);
      cairo_arc (cr, x, y, 4, 0, 2 * G_PI);
      cairo_fill (cr);

      g_date_clear (&day, 1);
      g_date_set_julian (&day, point->julian_day);
      g_date_strftime (day_text, sizeof day_text, "%a, %b %e, %Y", &day);
      text = g_strdup_printf ("%s\n%.0f", day_text, point->value);
      layout = gtk_widget_create_pango_layout (widget, text);
      pango_layout_get_pixel_size (layout, &text_width, &text_height);
      bw = text_width + 16;
      bh = text_height + 10;
      bx = x + 10 + bw <= width ? x + 10 : x - 10 - bw;
      by = MAX (0, y - bh - 8);

      cairo_new_sub_path (cr);
      cairo_arc (cr, bx + bw - r, by + r, r, -G_PI / 2, 0);
      cairo_arc (cr, bx + bw - r, by + bh - r, r, 0, G_PI / 2);
      cairo_arc (cr, bx + r, by + bh - r, r, G_PI / 2, G_PI);
      cairo_arc (cr, bx + r, by + r, r, G_PI, 3 * G_PI / 2);
      cairo_close_path (cr);
      gdk_cairo_set_source_rgba (cr, &bubble);
      cairo_fill_preserve (cr);
      gdk_cairo_set_source_rgba (cr, &grid);
      cairo_stroke (cr);

      gdk_cairo_set_source_rgba (cr, &foreground);
      cairo_move_to (cr, bx + 8, by + 5);
      pango_cairo_show_layout (cr, layout);
      g_object_unref (layout);
      g_free (text);
    }
}

GtkWidget *
bench_naive_chart_new (void)
{
  GtkWidget *area = gtk_drawing_area_new ();
  NaiveChart *self = g_new0 (NaiveChart, 1);

  self->points = g_array_new (FALSE, FALSE, sizeof (InstaSyncChartPoint));
  self->selected = -1;
  g_object_set_data_full (G_OBJECT (area), "bench-naive-chart", self, (GDestroyNotify)naive_chart_free);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw, self, NULL);
  gtk_widget_set_hexpand (area, TRUE);
  gtk_widget_set_vexpand (area, TRUE);

  return area;
}

void
bench_naive_chart_set_points (GtkWidget                 *chart,
                              const InstaSyncChartPoint *points,
                              guint                      n_points)
{
  NaiveChart *self = get_self (chart);

  g_array_set_size (self->points, 0);
  g_array_append_vals (self->points, points, n_points);
  gtk_widget_queue_draw (chart);
}

void
bench_naive_chart_set_selected (GtkWidget *chart,
                                int        index)
{
  get_self (chart)->selected = index;
  gtk_widget_queue_draw (chart);
}
