/* instasync-insight-row.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One normalized value, as it is stored in instagram_insights.
 *
 * The natural key is (ig_user_id, metric, period, metric_type, end_time,
 * breakdown, dimension_value). A value without a breakdown has both set to
 * the empty string rather than NULL so that the unique constraint holds on
 * every PostgreSQL >= 13. */
typedef struct
{
  char   *ig_user_id;
  char   *metric;
  char   *period;           /* "day", "lifetime", ... as the API names it */
  char   *metric_type;      /* "time_series" or "total_value" */
  gint64  end_time;         /* Unix seconds, UTC: the close of the bucket */
  gint64  window_start;     /* Unix seconds, UTC: the start of the bucket */
  gint64  value;
  char   *breakdown;        /* e.g. "media_product_type", or "" */
  char   *dimension_value;  /* e.g. "REELS", or "" */
  char   *metadata_json;    /* a JSON object or NULL */
} InstaSyncInsightRow;

InstaSyncInsightRow *instasync_insight_row_new   (const char                *ig_user_id,
                                                  const char                *metric,
                                                  const char                *period,
                                                  const char                *metric_type,
                                                  gint64                     window_start,
                                                  gint64                     end_time,
                                                  gint64                     value);
InstaSyncInsightRow *instasync_insight_row_copy  (const InstaSyncInsightRow *row);
void                 instasync_insight_row_free  (InstaSyncInsightRow       *row);
void                 instasync_insight_row_set_breakdown (InstaSyncInsightRow *row,
                                                          const char          *breakdown,
                                                          const char          *dimension_value);
gboolean             instasync_insight_row_same_key (const InstaSyncInsightRow *a,
                                                     const InstaSyncInsightRow *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InstaSyncInsightRow, instasync_insight_row_free)

G_END_DECLS
