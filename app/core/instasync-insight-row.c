/* instasync-insight-row.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-row"

#include "config.h"

#include "instasync-insight-row.h"

InstaSyncInsightRow *
instasync_insight_row_new (const char *ig_user_id,
                           const char *metric,
                           const char *period,
                           const char *metric_type,
                           gint64      window_start,
                           gint64      end_time,
                           gint64      value)
{
  InstaSyncInsightRow *row;

  g_return_val_if_fail (ig_user_id != NULL, NULL);
  g_return_val_if_fail (metric != NULL, NULL);
  g_return_val_if_fail (period != NULL, NULL);
  g_return_val_if_fail (metric_type != NULL, NULL);

  row = g_new0 (InstaSyncInsightRow, 1);
  row->ig_user_id = g_strdup (ig_user_id);
  row->metric = g_strdup (metric);
  row->period = g_strdup (period);
  row->metric_type = g_strdup (metric_type);
  row->window_start = window_start;
  row->end_time = end_time;
  row->value = value;
  row->breakdown = g_strdup ("");
  row->dimension_value = g_strdup ("");

  return row;
}

InstaSyncInsightRow *
instasync_insight_row_copy (const InstaSyncInsightRow *row)
{
  InstaSyncInsightRow *copy;

  g_return_val_if_fail (row != NULL, NULL);

  copy = instasync_insight_row_new (row->ig_user_id, row->metric, row->period,
                                    row->metric_type, row->window_start,
                                    row->end_time, row->value);
  instasync_insight_row_set_breakdown (copy, row->breakdown, row->dimension_value);
  copy->metadata_json = g_strdup (row->metadata_json);

  return copy;
}

void
instasync_insight_row_free (InstaSyncInsightRow *row)
{
  if (row == NULL)
    return;

  g_free (row->ig_user_id);
  g_free (row->metric);
  g_free (row->period);
  g_free (row->metric_type);
  g_free (row->breakdown);
  g_free (row->dimension_value);
  g_free (row->metadata_json);
  g_free (row);
}

void
instasync_insight_row_set_breakdown (InstaSyncInsightRow *row,
                                     const char          *breakdown,
                                     const char          *dimension_value)
{
  g_return_if_fail (row != NULL);

  g_free (row->breakdown);
  g_free (row->dimension_value);
  row->breakdown = g_strdup (breakdown != NULL ? breakdown : "");
  row->dimension_value = g_strdup (dimension_value != NULL ? dimension_value : "");
}

gboolean
instasync_insight_row_same_key (const InstaSyncInsightRow *a,
                                const InstaSyncInsightRow *b)
{
  return g_str_equal (a->ig_user_id, b->ig_user_id) &&
         g_str_equal (a->metric, b->metric) &&
         g_str_equal (a->period, b->period) &&
         g_str_equal (a->metric_type, b->metric_type) &&
         a->window_start == b->window_start &&
         a->end_time == b->end_time &&
         g_str_equal (a->breakdown, b->breakdown) &&
         g_str_equal (a->dimension_value, b->dimension_value);
}
