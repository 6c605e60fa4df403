/* instasync-metric-catalogue.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  INSTASYNC_METRIC_TYPE_TIME_SERIES = 1 << 0,
  INSTASYNC_METRIC_TYPE_TOTAL_VALUE = 1 << 1,
} InstaSyncMetricTypes;

#define INSTASYNC_METRIC_TYPE_NAME_TIME_SERIES "time_series"
#define INSTASYNC_METRIC_TYPE_NAME_TOTAL_VALUE "total_value"

/* What the Graph API allows for one account insight metric. One entry per
 * metric: adding a metric is adding an entry to the table in the .c file. */
typedef struct
{
  const char          *name;
  const char          *period;          /* the only period the metric takes */
  InstaSyncMetricTypes types;           /* the metric types the API accepts */
  const char * const  *breakdowns;      /* NULL-terminated; NULL when none */
  /* How far back the API serves the metric, in days before today (Pacific).
   * 0 means the API's general two-year retention. */
  guint                history_days;
  /* The current, unfinished Pacific day is refused (follower_count). */
  gboolean             excludes_today;
  /* The first API version without the metric, 0 when none. */
  guint                removed_in_version;
  /* In the set a sync fetches when none is configured. */
  gboolean             in_default_set;
} InstaSyncMetricInfo;

/* The API keeps insights for two years. */
#define INSTASYNC_METRIC_RETENTION_DAYS 730
/* And refuses more than 30 days between since and until. */
#define INSTASYNC_METRIC_MAX_SPAN_DAYS  30

const InstaSyncMetricInfo *instasync_metric_catalogue_lookup        (const char  *name);
const InstaSyncMetricInfo *instasync_metric_catalogue_get_all       (guint       *n_metrics);
/* The metrics a sync fetches unless told otherwise, NULL-terminated. */
GStrv                      instasync_metric_catalogue_default_set   (void);
/* Splits a comma list ("reach, likes") into known metric names, deduplicated,
 * in catalogue order; an unknown name is INSTASYNC_ERROR_INVALID_ARGUMENT. */
GStrv                      instasync_metric_catalogue_parse_list    (const char  *list,
                                                                     GError     **error);
/* The metric type to request when daily values are wanted: time_series where
 * the API still allows it, else total_value one Pacific day at a time. */
const char                *instasync_metric_info_daily_type         (const InstaSyncMetricInfo *info);
gboolean                   instasync_metric_info_supports_breakdown (const InstaSyncMetricInfo *info,
                                                                     const char                *breakdown);

G_END_DECLS
