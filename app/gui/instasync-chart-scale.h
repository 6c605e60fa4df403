/* instasync-chart-scale.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The arithmetic of the insight chart, apart from any widget so that it can
 * be tested without a display: where the value grid lines go, which days
 * get a label, and which day the pointer is over. */

/* A value axis from 0 to @top in steps of @step, where @step is 1, 2 or 5
 * times a power of ten and @top the first multiple of @step at or above the
 * largest value. At most @max_ticks steps. */
typedef struct
{
  double step;
  double top;
  guint  n_steps;
} InstaSyncValueAxis;

void     instasync_value_axis_compute     (double              max_value,
                                           guint               max_ticks,
                                           InstaSyncValueAxis *axis);

/* A label for a tick: 950, 12K, 1.5M. */
char    *instasync_value_axis_format      (double              value);

/* The value itself, grouped for reading: 1,234,567. */
char    *instasync_chart_format_value     (double              value);

/* How many days apart the date labels stand when @n_days days share
 * @width pixels and a label needs @label_width: 1, 2 or 7 days, or 1, 3, 6
 * or 12 months (returned as 30, 91, 182, 365: labels then fall on the
 * first of a month). */
guint    instasync_date_axis_step         (guint               n_days,
                                           double              width,
                                           double              label_width);

/* Whether the day @julian gets a label, given the first day shown and the
 * step from instasync_date_axis_step(). Weekly labels fall on Mondays,
 * monthly ones on the first of the month. */
gboolean instasync_date_axis_is_labelled  (guint32             julian,
                                           guint32             first_julian,
                                           guint               step);

/* The index of the point nearest to @x when @n_points points spread evenly
 * from @left to @right; -1 when there are none or @x lies outside. */
int      instasync_chart_index_at         (double              x,
                                           double              left,
                                           double              right,
                                           guint               n_points);

G_END_DECLS
