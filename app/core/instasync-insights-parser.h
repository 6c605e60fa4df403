/* instasync-insights-parser.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "instasync-insight-row.h"

G_BEGIN_DECLS

/* What was asked, so that the answer can be checked against it. */
typedef struct
{
  const char         *ig_user_id;
  const char * const *metrics;      /* NULL-terminated */
  const char         *period;       /* "day" */
  const char         *metric_type;  /* "time_series" or "total_value" */
  const char         *breakdown;    /* NULL when none */
  /* Unix seconds: the start of the first bucket asked and the end of the
   * last. A time series keeps the buckets that close in (since, until],
   * every bucket when until ≤ since. */
  gint64              since;
  gint64              until;
  /* The account's days; NULL: US-Pacific. */
  GTimeZone          *zone;
  /* Totals: a zero is taken for an answer about no bucket, not a value:
   * for windows whose reading is not known. */
  gboolean            zero_is_no_data;
} InstaSyncInsightsQuery;

/* Turns the body of GET /{ig-user-id}/insights into rows (InstaSyncInsightRow*).
 *
 * Either every value in the body becomes a row, or the result is NULL with
 * INSTASYNC_ERROR_UNEXPECTED_SHAPE (or INSTASYNC_ERROR_TIMESTAMP) and no row
 * at all: half a response is never stored. A metric with no data (values or
 * total_value absent or empty) yields no row, not a zero. */
GPtrArray *instasync_insights_parse (JsonNode                     *root,
                                     const InstaSyncInsightsQuery *query,
                                     GError                      **error);

/* The string member @name of @object, NULL when absent or not a string. */
const char *instasync_json_get_string (JsonObject                   *object,
                                       const char                   *name);

/* Parses text as JSON; INSTASYNC_ERROR_PARSE when it is not. */
JsonNode  *instasync_json_parse     (const char                   *data,
                                     gsize                         length,
                                     GError                      **error);

G_END_DECLS
