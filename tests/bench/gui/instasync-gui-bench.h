/* instasync-gui-bench.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "instasync-chart.h"

G_BEGIN_DECLS

/* The chart's baseline (instasync-gui-bench-naive-chart.c): a GtkDrawingArea
 * drawing the same chart the way a first implementation would. */
GtkWidget *bench_naive_chart_new          (void);
void       bench_naive_chart_set_points   (GtkWidget                 *chart,
                                           const InstaSyncChartPoint *points,
                                           guint                      n_points);
void       bench_naive_chart_set_selected (GtkWidget                 *chart,
                                           int                        index);

G_END_DECLS
