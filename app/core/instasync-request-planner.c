/* instasync-request-planner.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-planner"

#include "config.h"

#include <glib/gi18n.h>

#include "instasync-metric-catalogue.h"
#include "instasync-request-planner.h"
#include "instasync-time.h"

/* A time series request may span at most 30 days; 29 days stay under
 * the limit even when a daylight saving change adds an hour. */
#define MAX_TIME_SERIES_DAYS 29

typedef enum
{
  SHAPE_TIME_SERIES,
  SHAPE_FOLLOWER_COUNT,
  SHAPE_TOTAL_VALUE,
  N_SHAPES
} Shape;

/* Metrics of one shape that share a window. */
typedef struct
{
  Shape         shape;
  GDate         first;
  GDate         last;
  GStrvBuilder *metrics;
} Group;

/* Auxiliary */

static void
group_free (Group *group)
{
  g_strv_builder_unref (group->metrics);
  g_free (group);
}

static Shape
shape_of (const InstaSyncMetricInfo *info)
{
  if (g_str_equal (info->name, "follower_count"))
    return SHAPE_FOLLOWER_COUNT;
  if (info->types & INSTASYNC_METRIC_TYPE_TIME_SERIES)
    return SHAPE_TIME_SERIES;
  return SHAPE_TOTAL_VALUE;
}

/* Narrows [since, until] to what the API serves for @info. */
static gboolean
clamp_window (const InstaSyncMetricInfo *info,
              const GDate               *today,
              GDate                     *since,
              GDate                     *until)
{
  GDate earliest = *today;
  GDate latest = *today;

  /* The API counts its limits back from this very second, not from the
   * start of the day: stay a whole day inside them. */
  g_date_subtract_days (&earliest, info->history_days != 0 ? info->history_days - 1
                                                           : INSTASYNC_METRIC_RETENTION_DAYS - 2);
  if (info->excludes_today)
    g_date_subtract_days (&latest, 1);

  if (g_date_compare (since, &earliest) < 0)
    *since = earliest;
  if (g_date_compare (until, &latest) > 0)
    *until = latest;

  return g_date_compare (since, until) <= 0;
}

static void
add_note (GPtrArray  *notes,
          const char *metric,
          const GDate *first,
          const GDate *last)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  if (notes == NULL)
    return;

  if (first == NULL)
    {
      /* Translators: %s is the API name of a metric, e.g. "reach" */
      g_ptr_array_add (notes, g_strdup_printf (_("%s: the API serves no data for this window"),
                                               metric));
      return;
    }

  from = instasync_format_date (first);
  to = instasync_format_date (last);
  /* Translators: the first %s is the API name of a metric, e.g. "reach";
   * the others are dates */
  g_ptr_array_add (notes, g_strdup_printf (_("%s: window narrowed to %s … %s, what the API serves"),
                                           metric, from, to));
}

static Group *
find_group (GPtrArray   *groups,
            Shape        shape,
            const GDate *first,
            const GDate *last)
{
  for (guint i = 0; i < groups->len; i++)
    {
      Group *group = g_ptr_array_index (groups, i);

      if (group->shape == shape && g_date_compare (&group->first, first) == 0 &&
          g_date_compare (&group->last, last) == 0)
        return group;
    }

  return NULL;
}

static InstaSyncPlannedRequest *
request_new (GStrv        metrics,
             const char  *metric_type,
             const GDate *first,
             const GDate *last,
             guint        period_days)
{
  InstaSyncPlannedRequest *request = g_new0 (InstaSyncPlannedRequest, 1);

  request->metrics = metrics;
  request->metric_type = metric_type;
  request->first = *first;
  request->last = *last;
  request->period_days = period_days;
  return request;
}

/* Chunks of at most @step days, newest first. */
static void
add_chunks (GPtrArray         *requests,
            const Group       *group,
            const char        *metric_type,
            guint              step,
            const char * const *metrics)
{
  GDate last = group->last;

  while (g_date_compare (&last, &group->first) >= 0)
    {
      GDate first = last;

      g_date_subtract_days (&first, step - 1);
      if (g_date_compare (&first, &group->first) < 0)
        first = group->first;

      g_ptr_array_add (requests, request_new (g_strdupv ((char **)metrics), metric_type,
                                              &first, &last, 0));

      last = first;
      g_date_subtract_days (&last, 1);
    }
}

static gboolean
counts_uniques (const char *metric)
{
  /* Summing daily uniques overstates the period: these need their own
   * total over the whole period. */
  return g_str_equal (metric, "reach") || g_str_equal (metric, "accounts_engaged");
}

static void
plan_period_totals (GPtrArray          *requests,
                    const char * const *metrics,
                    const GDate        *until,
                    const GDate        *today,
                    const guint        *period_days,
                    GPtrArray          *notes)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) unique_metrics = NULL;

  for (guint i = 0; metrics[i] != NULL; i++)
    if (counts_uniques (metrics[i]))
      g_strv_builder_add (builder, metrics[i]);
  unique_metrics = g_strv_builder_end (builder);

  if (unique_metrics[0] == NULL)
    return;

  for (guint p = 0; period_days[p] != 0; p++)
    {
      GDate first = *until;
      GDate last = *until;
      GDate earliest = *today;
      GDate settled = *today;

      /* The last two days are still provisional: a total that includes them
       * would be stored once and never corrected. */
      g_date_subtract_days (&settled, 3);
      if (g_date_compare (&last, &settled) > 0)
        last = first = settled;

      if (period_days[p] > INSTASYNC_METRIC_MAX_SPAN_DAYS - 1)
        {
          if (notes != NULL)
            g_ptr_array_add (notes, g_strdup_printf ("%u-day totals: the API answers at most "
                                                     "%u days at a time",
                                                     period_days[p],
                                                     INSTASYNC_METRIC_MAX_SPAN_DAYS - 1));
          continue;
        }

      g_date_subtract_days (&first, period_days[p] - 1);
      g_date_subtract_days (&earliest, INSTASYNC_METRIC_RETENTION_DAYS - 2);
      if (g_date_compare (&first, &earliest) < 0)
        continue;

      g_ptr_array_add (requests, request_new (g_strdupv (unique_metrics),
                                              INSTASYNC_METRIC_TYPE_NAME_TOTAL_VALUE,
                                              &first, &last, period_days[p]));
    }
}

/* Public API */

void
instasync_planned_request_free (InstaSyncPlannedRequest *request)
{
  if (request == NULL)
    return;

  g_strfreev (request->metrics);
  g_free (request);
}

GPtrArray *
instasync_plan_requests (const char * const *metrics,
                         const GDate        *since,
                         const GDate        *until,
                         const GDate        *today,
                         const guint        *period_days,
                         GPtrArray          *notes)
{
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func ((GDestroyNotify)group_free);
  GPtrArray *requests =
    g_ptr_array_new_with_free_func ((GDestroyNotify)instasync_planned_request_free);

  g_return_val_if_fail (metrics != NULL, requests);
  g_return_val_if_fail (g_date_valid (since) && g_date_valid (until) && g_date_valid (today),
                        requests);

  for (guint i = 0; metrics[i] != NULL; i++)
    {
      const InstaSyncMetricInfo *info = instasync_metric_catalogue_lookup (metrics[i]);
      GDate first = *since;
      GDate last = *until;
      Shape shape;
      Group *group;

      if (info == NULL)
        continue;

      if (!clamp_window (info, today, &first, &last))
        {
          add_note (notes, info->name, NULL, NULL);
          continue;
        }
      if (g_date_compare (&first, since) != 0 || g_date_compare (&last, until) != 0)
        add_note (notes, info->name, &first, &last);

      shape = shape_of (info);
      group = find_group (groups, shape, &first, &last);
      if (group == NULL)
        {
          group = g_new0 (Group, 1);
          group->shape = shape;
          group->first = first;
          group->last = last;
          group->metrics = g_strv_builder_new ();
          g_ptr_array_add (groups, group);
        }
      g_strv_builder_add (group->metrics, info->name);
    }

  for (guint i = 0; i < groups->len; i++)
    {
      Group *group = g_ptr_array_index (groups, i);
      g_auto(GStrv) group_metrics = g_strv_builder_end (group->metrics);

      if (group->shape == SHAPE_TOTAL_VALUE)
        add_chunks (requests, group, INSTASYNC_METRIC_TYPE_NAME_TOTAL_VALUE, 1,
                    (const char * const *)group_metrics);
      else
        add_chunks (requests, group, INSTASYNC_METRIC_TYPE_NAME_TIME_SERIES,
                    MAX_TIME_SERIES_DAYS, (const char * const *)group_metrics);
    }

  if (period_days != NULL)
    plan_period_totals (requests, metrics, until, today, period_days, notes);

  return requests;
}

gboolean
instasync_plan_metric_window (const char  *metric,
                              const GDate *since,
                              const GDate *until,
                              const GDate *today,
                              GDate       *first,
                              GDate       *last)
{
  const InstaSyncMetricInfo *info = instasync_metric_catalogue_lookup (metric);

  if (info == NULL)
    return FALSE;

  *first = *since;
  *last = *until;
  return clamp_window (info, today, first, last);
}

GPtrArray *
instasync_plan_split (const InstaSyncPlannedRequest *request)
{
  GPtrArray *requests =
    g_ptr_array_new_with_free_func ((GDestroyNotify)instasync_planned_request_free);

  g_return_val_if_fail (request != NULL, requests);

  for (guint i = 0; request->metrics[i] != NULL; i++)
    {
      char *single[] = { request->metrics[i], NULL };

      g_ptr_array_add (requests, request_new (g_strdupv (single), request->metric_type,
                                              &request->first, &request->last,
                                              request->period_days));
    }

  return requests;
}

InstaSyncPlannedRequest *
instasync_plan_without (const InstaSyncPlannedRequest *request,
                        GHashTable                    *excluded)
{
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();
  g_auto(GStrv) metrics = NULL;

  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (excluded != NULL, NULL);

  for (guint i = 0; request->metrics[i] != NULL; i++)
    if (!g_hash_table_contains (excluded, request->metrics[i]))
      g_strv_builder_add (kept, request->metrics[i]);

  metrics = g_strv_builder_end (kept);
  if (metrics[0] == NULL)
    return NULL;

  return request_new (g_steal_pointer (&metrics), request->metric_type,
                      &request->first, &request->last, request->period_days);
}

void
instasync_plan_merge_days (GPtrArray *requests)
{
  /* julian day → the request that collects that day's metrics */
  g_autoptr(GHashTable) by_day = g_hash_table_new (NULL, NULL);
  guint kept = 0;

  g_return_if_fail (requests != NULL);

  for (guint i = 0; i < requests->len; i++)
    {
      InstaSyncPlannedRequest *request = g_ptr_array_index (requests, i);
      gpointer day = GUINT_TO_POINTER (g_date_get_julian (&request->first));
      InstaSyncPlannedRequest *collector;

      if (request->period_days != 0 || g_date_compare (&request->first, &request->last) != 0 ||
          !g_str_equal (request->metric_type, INSTASYNC_METRIC_TYPE_NAME_TOTAL_VALUE))
        {
          requests->pdata[kept++] = request;
          continue;
        }

      collector = g_hash_table_lookup (by_day, day);
      if (collector == NULL)
        {
          g_hash_table_insert (by_day, day, request);
          requests->pdata[kept++] = request;
          continue;
        }

      {
        g_autoptr(GStrvBuilder) merged = g_strv_builder_new ();

        g_strv_builder_addv (merged, (const char **)collector->metrics);
        for (guint m = 0; request->metrics[m] != NULL; m++)
          if (!g_strv_contains ((const char * const *)collector->metrics, request->metrics[m]))
            g_strv_builder_add (merged, request->metrics[m]);
        g_strfreev (collector->metrics);
        collector->metrics = g_strv_builder_end (merged);
      }
      instasync_planned_request_free (request);
    }

  /* The slots past @kept hold requests moved forward or freed above. */
  for (guint i = kept; i < requests->len; i++)
    requests->pdata[i] = NULL;
  g_ptr_array_set_size (requests, kept);
}
