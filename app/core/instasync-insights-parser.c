/* instasync-insights-parser.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-parser"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "instasync-day-zone.h"
#include "instasync-error.h"
#include "instasync-insights-parser.h"
#include "instasync-metric-catalogue.h"
#include "instasync-time.h"

/* Auxiliary */

static gboolean G_GNUC_PRINTF (2, 3)
shape_error (GError    **error,
             const char *format,
             ...)
{
  va_list args;
  g_autofree char *detail = NULL;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_UNEXPECTED_SHAPE,
               _("Unexpected insights response: %s"), detail);
  return FALSE;
}

/* Reads a count. The API sends integers; an integral double is accepted, as
 * JSON does not distinguish them, but a fraction, a string or a boolean is
 * refused rather than rounded. */
static gboolean
read_count (JsonNode   *node,
            gint64     *out,
            const char *what,
            GError    **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return shape_error (error, _("%s is not a number"), what);

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *out = json_node_get_int (node);
      return TRUE;

    case G_TYPE_DOUBLE:
      {
        double d = json_node_get_double (node);

        /* Range first: casting an out-of-range double is undefined. */
        if (!(d <= 9.0e15 && d >= -9.0e15) || d != (double)(gint64)d)
          return shape_error (error, _("%s is not a whole number"), what);
        *out = (gint64)d;
        return TRUE;
      }

    default:
      return shape_error (error, _("%s is not a number"), what);
    }
}

static char *
metadata_for (const char *graph_id,
              const char *raw_end_time)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  if (graph_id != NULL)
    {
      json_builder_set_member_name (builder, "graph_id");
      json_builder_add_string_value (builder, graph_id);
    }
  if (raw_end_time != NULL)
    {
      /* Kept verbatim: the day boundary is the API's, and a data engineer
       * may want to see exactly what it said. */
      json_builder_set_member_name (builder, "end_time_raw");
      json_builder_add_string_value (builder, raw_end_time);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* Which buckets of a time series answer the caller wants: the API may add
 * a neighbour, depending on how it reads since and until. */
static gboolean
bucket_wanted (const InstaSyncInsightsQuery *query,
               gint64                        end_time)
{
  if (query->until > query->since)
    return end_time > query->since && end_time <= query->until;

  return TRUE;
}

static gboolean
parse_time_series (JsonObject                   *item,
                   const char                   *metric,
                   const char                   *period,
                   const InstaSyncInsightsQuery *query,
                   GPtrArray                    *rows,
                   GError                      **error)
{
  JsonNode *values_node = json_object_get_member (item, "values");
  const char *graph_id = instasync_json_get_string (item, "id");
  g_autoptr(GTimeZone) zone = query->zone != NULL ? g_time_zone_ref (query->zone)
                                                  : instasync_pacific_timezone ();
  JsonArray *values;

  /* No data is an absent or empty list, never a zero. */
  if (values_node == NULL || JSON_NODE_HOLDS_NULL (values_node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (values_node))
    return shape_error (error, _("“values” of %s is not a list"), metric);

  values = json_node_get_array (values_node);
  for (guint i = 0; i < json_array_get_length (values); i++)
    {
      JsonNode *entry_node = json_array_get_element (values, i);
      JsonObject *entry;
      JsonNode *value_node;
      const char *end_time_text;
      g_autoptr(GDateTime) end_time = NULL;
      g_autoptr(GError) local_error = NULL;
      InstaSyncInsightRow *row;
      GDate day;
      gint64 value;

      if (!JSON_NODE_HOLDS_OBJECT (entry_node))
        return shape_error (error, _("an entry of %s is not an object"), metric);
      entry = json_node_get_object (entry_node);

      end_time_text = instasync_json_get_string (entry, "end_time");
      if (end_time_text == NULL)
        return shape_error (error, _("an entry of %s has no end_time"), metric);

      end_time = instasync_normalize_timestamp (end_time_text, &local_error);
      if (end_time == NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      _("Unexpected insights response: end_time of %s: "), metric);
          return FALSE;
        }

      /* A bucket still being counted may come with a null value. */
      value_node = json_object_get_member (entry, "value");
      if (value_node != NULL && JSON_NODE_HOLDS_NULL (value_node))
        continue;
      if (!read_count (value_node, &value, _("a value"), error))
        return FALSE;

      instasync_day_of_end_time (zone, g_date_time_to_unix (end_time), &day);
      if (!bucket_wanted (query, g_date_time_to_unix (end_time)))
        continue;

      row = instasync_insight_row_new (query->ig_user_id, metric, period,
                                       INSTASYNC_METRIC_TYPE_NAME_TIME_SERIES,
                                       instasync_day_start (zone, &day),
                                       g_date_time_to_unix (end_time),
                                       value);
      row->metadata_json = metadata_for (graph_id, end_time_text);
      g_ptr_array_add (rows, row);
    }

  return TRUE;
}

static char *
join_string_array (JsonArray  *array,
                   const char *what,
                   GError    **error)
{
  g_autoptr(GString) joined = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (json_node_get_value_type (node) != G_TYPE_STRING)
        {
          shape_error (error, _("%s holds something other than text"), what);
          return NULL;
        }
      if (i > 0)
        g_string_append_c (joined, ',');
      g_string_append (joined, json_node_get_string (node));
    }

  return g_string_free (g_steal_pointer (&joined), FALSE);
}

static gboolean
parse_breakdowns (JsonArray                    *breakdowns,
                  const char                   *metric,
                  const char                   *period,
                  const char                   *graph_id,
                  const InstaSyncInsightsQuery *query,
                  GPtrArray                    *rows,
                  GError                      **error)
{
  for (guint i = 0; i < json_array_get_length (breakdowns); i++)
    {
      JsonNode *node = json_array_get_element (breakdowns, i);
      JsonObject *breakdown;
      JsonNode *keys_node, *results_node;
      JsonArray *results;
      g_autofree char *keys = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return shape_error (error, _("a breakdown of %s is not an object"), metric);
      breakdown = json_node_get_object (node);

      keys_node = json_object_get_member (breakdown, "dimension_keys");
      results_node = json_object_get_member (breakdown, "results");
      if (keys_node == NULL || !JSON_NODE_HOLDS_ARRAY (keys_node))
        return shape_error (error, _("a breakdown of %s has no dimension_keys"), metric);
      if (results_node == NULL || !JSON_NODE_HOLDS_ARRAY (results_node))
        return shape_error (error, _("a breakdown of %s has no results"), metric);

      keys = join_string_array (json_node_get_array (keys_node), "dimension_keys", error);
      if (keys == NULL)
        return FALSE;

      results = json_node_get_array (results_node);
      for (guint j = 0; j < json_array_get_length (results); j++)
        {
          JsonNode *result_node = json_array_get_element (results, j);
          JsonObject *result;
          JsonNode *values_node;
          g_autofree char *dimension_value = NULL;
          InstaSyncInsightRow *row;
          gint64 value = 0;

          if (!JSON_NODE_HOLDS_OBJECT (result_node))
            return shape_error (error, _("a breakdown result of %s is not an object"), metric);
          result = json_node_get_object (result_node);

          values_node = json_object_get_member (result, "dimension_values");
          if (values_node == NULL || !JSON_NODE_HOLDS_ARRAY (values_node))
            return shape_error (error, _("a breakdown result of %s has no dimension_values"), metric);
          dimension_value = join_string_array (json_node_get_array (values_node),
                                               "dimension_values", error);
          if (dimension_value == NULL)
            return FALSE;

          if (!read_count (json_object_get_member (result, "value"), &value,
                           _("a breakdown value"), error))
            return FALSE;

          row = instasync_insight_row_new (query->ig_user_id, metric, period,
                                           INSTASYNC_METRIC_TYPE_NAME_TOTAL_VALUE,
                                           query->since, query->until, value);
          instasync_insight_row_set_breakdown (row, keys, dimension_value);
          row->metadata_json = metadata_for (graph_id, NULL);
          g_ptr_array_add (rows, row);
        }
    }

  return TRUE;
}

static gboolean
parse_total_value (JsonObject                   *item,
                   const char                   *metric,
                   const char                   *period,
                   const InstaSyncInsightsQuery *query,
                   GPtrArray                    *rows,
                   GError                      **error)
{
  JsonNode *total_node = json_object_get_member (item, "total_value");
  const char *graph_id = instasync_json_get_string (item, "id");
  JsonObject *total;
  JsonNode *value_node;
  JsonNode *breakdowns_node;

  if (total_node == NULL || JSON_NODE_HOLDS_NULL (total_node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (total_node))
    return shape_error (error, _("“total_value” of %s is not an object"), metric);

  total = json_node_get_object (total_node);

  /* {"total_value": {}} is an account with nothing to report. A breakdown
   * answer may carry only the breakdowns, with no top-level value. */
  value_node = json_object_get_member (total, "value");
  if (value_node != NULL && !JSON_NODE_HOLDS_NULL (value_node))
    {
      InstaSyncInsightRow *row;
      gint64 value;

      if (!read_count (value_node, &value, "total_value.value", error))
        return FALSE;

      /* Some API answers a window without a bucket with a zero: where the
       * window's reading is not known, a zero proves nothing. */
      if (value == 0 && query->zero_is_no_data)
        return TRUE;

      row = instasync_insight_row_new (query->ig_user_id, metric, period,
                                       INSTASYNC_METRIC_TYPE_NAME_TOTAL_VALUE,
                                       query->since, query->until, value);
      row->metadata_json = metadata_for (graph_id, NULL);
      g_ptr_array_add (rows, row);
    }

  breakdowns_node = json_object_get_member (total, "breakdowns");
  if (breakdowns_node != NULL && !JSON_NODE_HOLDS_NULL (breakdowns_node))
    {
      if (!JSON_NODE_HOLDS_ARRAY (breakdowns_node))
        return shape_error (error, _("“breakdowns” of %s is not a list"), metric);
      if (!parse_breakdowns (json_node_get_array (breakdowns_node), metric, period,
                             graph_id, query, rows, error))
        return FALSE;
    }

  return TRUE;
}

/* Public API */

const char *
instasync_json_get_string (JsonObject *object,
                           const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

JsonNode *
instasync_json_parse (const char  *data,
                      gsize        length,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;

  if (data == NULL || length == 0)
    {
      g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_PARSE,
                           _("The response body is empty"));
      return NULL;
    }

  if (length > G_MAXSSIZE || !json_parser_load_from_data (parser, data, (gssize)length, &local_error))
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_PARSE,
                   _("The response is not valid JSON: %s"),
                   local_error ? local_error->message : _("too large"));
      return NULL;
    }

  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_PARSE,
                           _("The response body is empty"));
      return NULL;
    }

  return json_node_ref (json_parser_get_root (parser));
}

GPtrArray *
instasync_insights_parse (JsonNode                     *root,
                          const InstaSyncInsightsQuery *query,
                          GError                      **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  JsonNode *data_node;
  JsonArray *data;

  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (query->ig_user_id != NULL, NULL);
  g_return_val_if_fail (query->metric_type != NULL, NULL);

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      shape_error (error, _("the body is not an object"));
      return NULL;
    }

  data_node = json_object_get_member (json_node_get_object (root), "data");
  if (data_node == NULL || !JSON_NODE_HOLDS_ARRAY (data_node))
    {
      shape_error (error, _("there is no “data” list"));
      return NULL;
    }

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify)instasync_insight_row_free);
  data = json_node_get_array (data_node);

  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      JsonNode *item_node = json_array_get_element (data, i);
      JsonObject *item;
      const char *name;
      const char *period;
      gboolean ok;

      if (!JSON_NODE_HOLDS_OBJECT (item_node))
        {
          shape_error (error, _("an entry of “data” is not an object"));
          return NULL;
        }
      item = json_node_get_object (item_node);

      name = instasync_json_get_string (item, "name");
      if (name == NULL)
        {
          shape_error (error, _("an entry of “data” has no name"));
          return NULL;
        }
      if (query->metrics != NULL && !g_strv_contains (query->metrics, name))
        {
          g_autofree char *shown = instasync_quote_untrusted (name);

          shape_error (error, _("the metric “%s” was not asked for"), shown);
          return NULL;
        }

      period = instasync_json_get_string (item, "period");
      if (period == NULL)
        period = query->period != NULL ? query->period : "day";

      if (g_str_equal (query->metric_type, INSTASYNC_METRIC_TYPE_NAME_TIME_SERIES))
        ok = parse_time_series (item, name, period, query, rows, error);
      else
        ok = parse_total_value (item, name, period, query, rows, error);

      if (!ok)
        return NULL;
    }

  return g_steal_pointer (&rows);
}
