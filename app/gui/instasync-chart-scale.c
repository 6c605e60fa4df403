/* instasync-chart-scale.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-chart"

#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include "instasync-chart-scale.h"

void
instasync_value_axis_compute (double              max_value,
                              guint               max_ticks,
                              InstaSyncValueAxis *axis)
{
  static const double multipliers[] = { 1.0, 2.0, 5.0 };
  double magnitude;

  g_return_if_fail (axis != NULL);

  max_ticks = MAX (max_ticks, 1);

  /* An empty or flat chart still gets a readable axis. */
  if (!(max_value > 0.0) || !isfinite (max_value))
    max_value = 1.0;

  magnitude = pow (10.0, floor (log10 (max_value / max_ticks)));
  axis->step = 0.0;
  for (guint i = 0; axis->step == 0.0; i++)
    {
      double step = multipliers[i % G_N_ELEMENTS (multipliers)] *
                    magnitude * pow (10.0, (double)(i / G_N_ELEMENTS (multipliers)));

      if (ceil (max_value / step) <= max_ticks)
        axis->step = step;
    }

  /* Whole numbers only: insights are counts. */
  if (axis->step < 1.0)
    axis->step = 1.0;

  axis->n_steps = (guint)MAX (1.0, ceil (max_value / axis->step));
  axis->top = axis->step * axis->n_steps;
}

char *
instasync_value_axis_format (double value)
{
  static const struct { double size; const char *suffix; } units[] = {
    { 1e9, "G" }, { 1e6, "M" }, { 1e3, "K" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (fabs (value) >= units[i].size)
      {
        double scaled = value / units[i].size;

        /* 1.5M, but 12M and 150K: one decimal only where it says something. */
        if (fabs (scaled) < 10.0 && fabs (scaled - round (scaled)) > 1e-9)
          return g_strdup_printf ("%.1f%s", scaled, units[i].suffix);
        return g_strdup_printf ("%.0f%s", round (scaled), units[i].suffix);
      }

  return g_strdup_printf ("%.0f", value);
}

char *
instasync_chart_format_value (double value)
{
  g_autofree char *digits = g_strdup_printf ("%.0f", fabs (round (value)));
  GString *text = g_string_new (value < 0 && round (value) != 0 ? "−" : "");
  const char *separator = localeconv ()->thousands_sep;
  gsize length = strlen (digits);

  /* The reader's own grouping (1.234.567 in German), commas where the
   * locale has none. */
  if (separator == NULL || *separator == '\0')
    separator = ",";

  for (gsize i = 0; i < length; i++)
    {
      if (i > 0 && (length - i) % 3 == 0)
        g_string_append (text, separator);
      g_string_append_c (text, digits[i]);
    }

  return g_string_free (text, FALSE);
}

guint
instasync_date_axis_step (guint  n_days,
                          double width,
                          double label_width)
{
  static const guint steps[] = { 1, 2, 7, 30, 91, 182, 365 };
  double room;

  if (n_days <= 1 || !(width > 0.0) || !(label_width > 0.0))
    return 1;

  /* How many labels fit side by side, with a gap between them. */
  room = MAX (1.0, floor (width / (label_width * 1.5)));

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (ceil ((double)n_days / steps[i]) <= room)
      return steps[i];

  return steps[G_N_ELEMENTS (steps) - 1];
}

gboolean
instasync_date_axis_is_labelled (guint32 julian,
                                 guint32 first_julian,
                                 guint   step)
{
  GDate day;

  if (julian < first_julian)
    return FALSE;

  if (step <= 2)
    return (julian - first_julian) % MAX (step, 1) == 0;

  g_date_clear (&day, 1);
  g_date_set_julian (&day, julian);

  if (step == 7)
    return g_date_get_weekday (&day) == G_DATE_MONDAY;

  if (g_date_get_day (&day) != 1)
    return FALSE;

  switch (step)
    {
    case 30:
      return TRUE;
    case 91:
      return (g_date_get_month (&day) - 1) % 3 == 0;
    case 182:
      return (g_date_get_month (&day) - 1) % 6 == 0;
    default:
      return g_date_get_month (&day) == G_DATE_JANUARY;
    }
}

int
instasync_chart_index_at (double x,
                          double left,
                          double right,
                          guint  n_points)
{
  double spacing;
  double index;

  if (n_points == 0 || !(right >= left) || x < left - 0.5 || x > right + 0.5)
    return -1;

  if (n_points == 1)
    return 0;

  spacing = (right - left) / (n_points - 1);
  index = round ((x - left) / spacing);

  return (int)CLAMP (index, 0.0, (double)(n_points - 1));
}
