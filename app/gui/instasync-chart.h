/* instasync-chart.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* One day of a metric: the Pacific day (as a GDate julian day) and its value. */
typedef struct
{
  guint32 julian_day;
  double  value;
} InstaSyncChartPoint;

#define INSTASYNC_TYPE_CHART (instasync_chart_get_type ())

G_DECLARE_FINAL_TYPE (InstaSyncChart, instasync_chart, INSTASYNC, CHART, GtkWidget)

GtkWidget                 *instasync_chart_new              (void);
/* Copies @points, which must be in day order. */
void                       instasync_chart_set_points       (InstaSyncChart            *self,
                                                             const InstaSyncChartPoint *points,
                                                             guint                      n_points);
guint                      instasync_chart_get_n_points     (InstaSyncChart            *self);
const InstaSyncChartPoint *instasync_chart_get_point        (InstaSyncChart            *self,
                                                             guint                      index);
/* The day the read-out shows (the pointer's, or the keyboard's), or -1. */
int                        instasync_chart_get_selected     (InstaSyncChart            *self);
void                       instasync_chart_set_selected     (InstaSyncChart            *self,
                                                             int                        index);
/* What the read-out says: the day and the value, or NULL with none selected. */
char                      *instasync_chart_dup_readout      (InstaSyncChart            *self);
const char                *instasync_chart_get_metric_label (InstaSyncChart            *self);
void                       instasync_chart_set_metric_label (InstaSyncChart            *self,
                                                             const char                *label);

G_END_DECLS
