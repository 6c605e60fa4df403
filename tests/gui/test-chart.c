/* test-chart.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The insight chart: its arithmetic without a display, then the widget
 * rendered under Xvfb in the light and the dark style.
 */

#include "config.h"

#include <adwaita.h>

#include "instasync-chart-scale.h"
#include "instasync-chart.h"
#include "instasync-test-render.h"

/* Arithmetic */

static void
test_value_axis (void)
{
  const struct { double max; guint ticks; double step; guint n_steps; } cases[] = {
    { 0, 5, 1, 1 },             /* empty: still an axis */
    { 3, 5, 1, 3 },
    { 10, 5, 2, 5 },
    { 1234, 5, 500, 3 },
    { 1234, 3, 500, 3 },
    { 99999, 4, 50000, 2 },
    { 100000, 5, 20000, 5 },
    { 0.4, 5, 1, 1 },           /* counts: never a step below one */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      InstaSyncValueAxis axis;

      instasync_value_axis_compute (cases[i].max, cases[i].ticks, &axis);
      g_assert_cmpfloat (axis.step, ==, cases[i].step);
      g_assert_cmpuint (axis.n_steps, ==, cases[i].n_steps);
      g_assert_cmpfloat (axis.top, ==, cases[i].step * cases[i].n_steps);
      g_assert_cmpfloat (axis.top, >=, cases[i].max);
      g_assert_cmpuint (axis.n_steps, <=, cases[i].ticks);
    }
}

static void
test_value_labels (void)
{
  const struct { double value; const char *axis; const char *exact; } cases[] = {
    { 0, "0", "0" },
    { 950, "950", "950" },
    { 1500, "1.5K", "1,500" },
    { 12000, "12K", "12,000" },
    { 150000, "150K", "150,000" },
    { 1500000, "1.5M", "1,500,000" },
    { 2000000000, "2G", "2,000,000,000" },
    { -1234, "-1.2K", "−1,234" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *axis = instasync_value_axis_format (cases[i].value);
      g_autofree char *exact = instasync_chart_format_value (cases[i].value);

      g_assert_cmpstr (axis, ==, cases[i].axis);
      g_assert_cmpstr (exact, ==, cases[i].exact);
    }
}

static guint32
julian (int year, int month, int day)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay)day, (GDateMonth)month, (GDateYear)year);
  return g_date_get_julian (&date);
}

static void
test_date_axis (void)
{
  guint32 first = julian (2024, 11, 24);
  guint labels = 0;

  /* Ten labels of 40 pixels (and their gaps) fit in 600: a week gets one
   * a day, four weeks one a week, two years one a quarter. */
  g_assert_cmpuint (instasync_date_axis_step (7, 600, 40), ==, 1);
  g_assert_cmpuint (instasync_date_axis_step (28, 600, 40), ==, 7);
  g_assert_cmpuint (instasync_date_axis_step (28, 1200, 40), ==, 2);
  g_assert_cmpuint (instasync_date_axis_step (90, 600, 40), ==, 30);
  g_assert_cmpuint (instasync_date_axis_step (730, 600, 40), ==, 91);
  g_assert_cmpuint (instasync_date_axis_step (730, 2000, 40), ==, 30);
  g_assert_cmpuint (instasync_date_axis_step (730, 100, 40), ==, 365);
  g_assert_cmpuint (instasync_date_axis_step (0, 600, 40), ==, 1);

  /* Weekly labels on Mondays (25 Nov 2024 was one), monthly on the 1st. */
  g_assert_false (instasync_date_axis_is_labelled (julian (2024, 11, 24), first, 7));
  g_assert_true (instasync_date_axis_is_labelled (julian (2024, 11, 25), first, 7));
  g_assert_true (instasync_date_axis_is_labelled (julian (2024, 12, 1), first, 30));
  g_assert_false (instasync_date_axis_is_labelled (julian (2024, 12, 2), first, 30));
  g_assert_true (instasync_date_axis_is_labelled (julian (2025, 1, 1), first, 91));
  g_assert_false (instasync_date_axis_is_labelled (julian (2025, 2, 1), first, 91));
  g_assert_true (instasync_date_axis_is_labelled (julian (2025, 7, 1), first, 182));
  g_assert_true (instasync_date_axis_is_labelled (julian (2025, 1, 1), first, 365));
  g_assert_false (instasync_date_axis_is_labelled (julian (2025, 7, 1), first, 365));
  g_assert_true (instasync_date_axis_is_labelled (julian (2024, 11, 26), first, 2));
  g_assert_false (instasync_date_axis_is_labelled (julian (2024, 11, 27), first, 2));
  g_assert_false (instasync_date_axis_is_labelled (first - 1, first, 1));

  /* Two years by quarter: eight labels. */
  for (guint32 day = first; day < first + 730; day++)
    labels += instasync_date_axis_is_labelled (day, first, 91);
  g_assert_cmpuint (labels, ==, 8);
}

static void
test_index_at (void)
{
  g_assert_cmpint (instasync_chart_index_at (50, 50, 650, 7), ==, 0);
  g_assert_cmpint (instasync_chart_index_at (650, 50, 650, 7), ==, 6);
  g_assert_cmpint (instasync_chart_index_at (149, 50, 650, 7), ==, 1);
  g_assert_cmpint (instasync_chart_index_at (101, 50, 650, 7), ==, 1);
  g_assert_cmpint (instasync_chart_index_at (99, 50, 650, 7), ==, 0);
  g_assert_cmpint (instasync_chart_index_at (10, 50, 650, 7), ==, -1);
  g_assert_cmpint (instasync_chart_index_at (700, 50, 650, 7), ==, -1);
  g_assert_cmpint (instasync_chart_index_at (300, 50, 650, 1), ==, 0);
  g_assert_cmpint (instasync_chart_index_at (300, 50, 650, 0), ==, -1);
}

/* The widget */

static GArray *
sample_points (guint n_days)
{
  GArray *points = g_array_new (FALSE, FALSE, sizeof (InstaSyncChartPoint));
  guint32 first = julian (2026, 11, 23) - n_days + 1;

  for (guint i = 0; i < n_days; i++)
    {
      /* A weekly rhythm on a slow rise, like reach. */
      InstaSyncChartPoint point = { first + i, 800 + 4.0 * i + ((i % 7) < 2 ? 350 : 0) };

      g_array_append_val (points, point);
    }

  return points;
}

static void
test_points_and_readout (void)
{
  g_autoptr(GArray) points = sample_points (28);
  InstaSyncChart *chart = INSTASYNC_CHART (g_object_ref_sink (instasync_chart_new ()));
  g_autofree char *readout = NULL;
  guint notified = 0;

  g_signal_connect_swapped (chart, "notify::selected", G_CALLBACK (g_atomic_int_inc), &notified);

  instasync_chart_set_points (chart, (InstaSyncChartPoint *)points->data, points->len);
  g_assert_cmpuint (instasync_chart_get_n_points (chart), ==, 28);
  g_assert_cmpint (instasync_chart_get_selected (chart), ==, -1);
  g_assert_null (instasync_chart_dup_readout (chart));

  instasync_chart_set_selected (chart, 27);
  g_assert_cmpuint (notified, ==, 1);
  readout = instasync_chart_dup_readout (chart);
  /* 23 Nov 2026 was a Monday; 800 + 4 × 27, and not a weekly peak. */
  g_assert_cmpstr (readout, ==, "Mon, Nov 23, 2026\n908");

  /* Out of range means none; fewer points drop a selection past the end. */
  instasync_chart_set_selected (chart, 28);
  g_assert_cmpint (instasync_chart_get_selected (chart), ==, -1);
  instasync_chart_set_selected (chart, 20);
  instasync_chart_set_points (chart, (InstaSyncChartPoint *)points->data, 7);
  g_assert_cmpint (instasync_chart_get_selected (chart), ==, -1);

  g_assert_finalize_object (chart);
}

static GdkRGBA
named_color (GtkWidget  *widget,
             const char *name)
{
  GdkRGBA color;

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (widget),
                                                 name, &color));
G_GNUC_END_IGNORE_DEPRECATIONS
  return color;
}

/* A rendering of the chart's window, saved for the eye, with its share of
 * pixels in the accent colour and in the window's background. */
static GdkTexture *
render_chart (GtkWindow  *window,
              const char *name,
              guint      *accent_pixels,
              guint      *background_pixels)
{
  GtkWidget *chart = gtk_window_get_child (window);
  GdkTexture *texture;
  g_autofree char *path = NULL;
  GdkRGBA accent, background;

  instasync_test_iterate ();
  texture = instasync_test_render (GTK_WIDGET (window));
  path = instasync_test_save_png (texture, name);
  g_test_message ("%s", path);

  accent = named_color (chart, "accent_color");
  background = named_color (chart, "window_bg_color");
  *accent_pixels = instasync_test_count_color (texture, &accent, 24);
  *background_pixels = instasync_test_count_color (texture, &background, 6);

  return texture;
}

static void
test_render_light_and_dark (void)
{
  g_autoptr(GArray) points = sample_points (730);
  GtkWidget *chart = instasync_chart_new ();
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autoptr(GdkTexture) light = NULL;
  g_autoptr(GdkTexture) readout = NULL;
  g_autoptr(GdkTexture) dark = NULL;
  g_autoptr(GdkTexture) empty = NULL;
  GtkWindow *window;
  GdkRGBA bubble;
  guint all = 800 * 320;
  guint accent, background, with_readout;

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  instasync_chart_set_metric_label (INSTASYNC_CHART (chart), "Reach");
  instasync_chart_set_points (INSTASYNC_CHART (chart), (InstaSyncChartPoint *)points->data,
                              points->len);
  window = instasync_test_show_widget (chart, 800, 320);
  g_object_add_weak_pointer (G_OBJECT (chart), (gpointer *)&chart);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), ==, 800);

  /* Two years of a line in the accent colour, on the window's background
   * (the area under the line is a light tint of the accent). */
  light = render_chart (window, "chart-light", &accent, &background);
  g_assert_cmpuint (accent, >, 700);
  g_assert_cmpuint (background, >, all / 4);

  /* The read-out: a line, a dot and a bubble in the popover colour. */
  instasync_chart_set_selected (INSTASYNC_CHART (chart), 400);
  readout = render_chart (window, "chart-readout", &with_readout, &background);
  bubble = named_color (chart, "popover_bg_color");
  g_assert_cmpuint (instasync_test_count_color (readout, &bubble, 4), >,
                    instasync_test_count_color (light, &bubble, 4) + 1000);

  /* The dark style: the same line on the dark background. */
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  instasync_chart_set_selected (INSTASYNC_CHART (chart), -1);
  dark = render_chart (window, "chart-dark", &accent, &background);
  g_assert_cmpuint (accent, >, 700);
  g_assert_cmpuint (background, >, all / 4);
  {
    GdkRGBA dark_background = named_color (chart, "window_bg_color");

    /* ... which the light one did not have. */
    g_assert_cmpuint (instasync_test_count_color (light, &dark_background, 6), <, all / 100);
  }

  /* No data: no line, and a sentence instead. */
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  instasync_chart_set_points (INSTASYNC_CHART (chart), NULL, 0);
  empty = render_chart (window, "chart-empty", &accent, &background);
  g_assert_cmpuint (accent, <, 10);
  g_assert_cmpuint (background, >, all * 9 / 10);

  gtk_window_destroy (window);
  instasync_test_iterate ();
  g_assert_null (chart);
}

int
main (int   argc,
      char *argv[])
{
  instasync_test_gui_init (&argc, &argv);

  g_test_add_func ("/chart/value-axis", test_value_axis);
  g_test_add_func ("/chart/value-labels", test_value_labels);
  g_test_add_func ("/chart/date-axis", test_date_axis);
  g_test_add_func ("/chart/index-at", test_index_at);
  g_test_add_func ("/chart/points-and-readout", test_points_and_readout);
  g_test_add_func ("/chart/render-light-and-dark", test_render_light_and_dark);

  return g_test_run ();
}
