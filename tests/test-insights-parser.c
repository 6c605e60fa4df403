/* test-insights-parser.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "instasync-error.h"
#include "instasync-insights-parser.h"

static const char * const reach_only[] = { "reach", NULL };
static const char * const total_metrics[] = { "profile_views", "accounts_engaged",
                                              "follows_and_unfollows", "reach", NULL };

/* 2024-05-03 00:00 PDT to 2024-05-04 00:00 PDT; the time series tests widen
 * it to 2024-11-04 00:00 PST. */
static gint64 window_since = 1714719600;
static gint64 window_until = 1714806000;

static GPtrArray *
parse (const char  *body,
       const char  *metric_type,
       const char * const *metrics,
       GError     **error)
{
  g_autoptr(JsonNode) root = instasync_json_parse (body, strlen (body), error);
  InstaSyncInsightsQuery query = {
    .ig_user_id = "17841400000000001",
    .metrics = metrics,
    .period = "day",
    .metric_type = metric_type,
    .since = window_since,
    .until = window_until,
  };

  if (root == NULL)
    return NULL;
  return instasync_insights_parse (root, &query, error);
}

static void
test_time_series (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  InstaSyncInsightRow *row;

  window_until = 1730707200;

  rows = parse ("{\"data\":[{\"name\":\"reach\",\"period\":\"day\",\"values\":["
                "{\"value\":3,\"end_time\":\"2024-05-04T07:00:00+0000\"},"
                "{\"value\":36.0,\"end_time\":\"2024-11-04T08:00:00+0000\"}],"
                "\"title\":\"Reach\",\"id\":\"17841400000000001/insights/reach/day\"}],"
                "\"paging\":{\"previous\":\"x\",\"next\":\"y\"}}",
                "time_series", reach_only, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);

  row = g_ptr_array_index (rows, 0);
  g_assert_cmpstr (row->ig_user_id, ==, "17841400000000001");
  g_assert_cmpstr (row->metric, ==, "reach");
  g_assert_cmpstr (row->period, ==, "day");
  g_assert_cmpstr (row->metric_type, ==, "time_series");
  g_assert_cmpint (row->end_time, ==, 1714806000);
  /* The bucket is the Pacific day before end_time: 2024-05-03 00:00 PDT. */
  g_assert_cmpint (row->window_start, ==, 1714719600);
  g_assert_cmpint (row->value, ==, 3);
  g_assert_cmpstr (row->breakdown, ==, "");
  g_assert_nonnull (strstr (row->metadata_json, "2024-05-04T07:00:00+0000"));

  /* The 25-hour day of the autumn change: starts 07:00 UTC, ends 08:00 UTC. */
  row = g_ptr_array_index (rows, 1);
  g_assert_cmpint (row->value, ==, 36);
  g_assert_cmpint (row->end_time, ==, 1730707200);
  g_assert_cmpint (row->window_start, ==, 1730617200);
  window_until = 1714806000;
}

/* Buckets that close outside (since, until] belong to the neighbouring
 * request, whichever way the API reads "until". */
static void
test_outside_window (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  rows = parse ("{\"data\":[{\"name\":\"reach\",\"period\":\"day\",\"values\":["
                "{\"value\":1,\"end_time\":\"2024-05-03T07:00:00+0000\"},"
                "{\"value\":2,\"end_time\":\"2024-05-04T07:00:00+0000\"},"
                "{\"value\":3,\"end_time\":\"2024-05-05T07:00:00+0000\"}]}]}",
                "time_series", reach_only, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpint (((InstaSyncInsightRow *)g_ptr_array_index (rows, 0))->value, ==, 2);
}

static void
test_out_of_range (void)
{
  const char * const bodies[] = {
    "{\"data\":[{\"name\":\"reach\",\"values\":[{\"value\":1e300,\"end_time\":\"2024-05-04T07:00:00+0000\"}]}]}",
    "{\"data\":[{\"name\":\"reach\",\"values\":[{\"value\":1,\"end_time\":\"0001-01-01T00:00:00+0100\"}]}]}",
    "{\"data\":[{\"name\":\"reach\",\"values\":[{\"value\":1,\"end_time\":\"9999-12-31T23:59:59-01:00\"}]}]}",
    NULL
  };

  /* Refused with an error, never a crash or a wrapped-around number. */
  for (guint i = 0; bodies[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (parse (bodies[i], "time_series", reach_only, &error));
      g_assert_nonnull (error);
      g_assert_true (error->domain == INSTASYNC_ERROR);
    }
}

static void
test_total_value (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  InstaSyncInsightRow *row;

  rows = parse ("{\"data\":["
                "{\"name\":\"profile_views\",\"period\":\"day\",\"total_value\":{\"value\":191}},"
                "{\"name\":\"accounts_engaged\",\"period\":\"day\",\"total_value\":{}},"
                "{\"name\":\"follows_and_unfollows\",\"period\":\"day\",\"total_value\":{\"breakdowns\":["
                "  {\"dimension_keys\":[\"follow_type\"],\"results\":["
                "    {\"dimension_values\":[\"FOLLOWER\"],\"value\":12},"
                "    {\"dimension_values\":[\"NON_FOLLOWER\"],\"value\":4}]}]}},"
                "{\"name\":\"reach\",\"period\":\"day\",\"total_value\":{\"value\":224,\"breakdowns\":["
                "  {\"dimension_keys\":[\"media_product_type\"],\"results\":["
                "    {\"dimension_values\":[\"POST\"],\"value\":124}]}]}}]}",
                "total_value", total_metrics, &error);
  g_assert_no_error (error);
  /* 191; nothing for the empty total; two breakdown rows; 224 and POST. */
  g_assert_cmpuint (rows->len, ==, 5);

  row = g_ptr_array_index (rows, 0);
  g_assert_cmpstr (row->metric, ==, "profile_views");
  g_assert_cmpstr (row->metric_type, ==, "total_value");
  g_assert_cmpint (row->value, ==, 191);
  g_assert_cmpint (row->window_start, ==, 1714719600);
  g_assert_cmpint (row->end_time, ==, 1714806000);

  row = g_ptr_array_index (rows, 1);
  g_assert_cmpstr (row->metric, ==, "follows_and_unfollows");
  g_assert_cmpstr (row->breakdown, ==, "follow_type");
  g_assert_cmpstr (row->dimension_value, ==, "FOLLOWER");
  g_assert_cmpint (row->value, ==, 12);

  row = g_ptr_array_index (rows, 3);
  g_assert_cmpstr (row->metric, ==, "reach");
  g_assert_cmpstr (row->breakdown, ==, "");
  g_assert_cmpint (row->value, ==, 224);

  row = g_ptr_array_index (rows, 4);
  g_assert_cmpstr (row->dimension_value, ==, "POST");
}

static void
test_empty_data (void)
{
  const char * const bodies[] = {
    "{\"data\":[]}",
    "{\"data\":[{\"name\":\"reach\",\"period\":\"day\",\"values\":[]}]}",
    "{\"data\":[{\"name\":\"reach\",\"period\":\"day\"}]}",
    "{\"data\":[{\"name\":\"reach\",\"values\":[{\"value\":null,\"end_time\":\"2024-05-04T07:00:00+0000\"}]}]}",
    NULL
  };

  /* No data is no row, never a zero. */
  for (guint i = 0; bodies[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows = parse (bodies[i], "time_series", reach_only, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (rows->len, ==, 0);
    }
}

static void
test_malformed_json (void)
{
  const char * const bodies[] = {
    "{\"data\":[{\"name\":\"reach\",\"values\":[{\"value\":3,",
    "<html>502 Bad Gateway</html>",
    "{\"data\": [1, 2,]}",
    "\xff\xfe",
    NULL
  };

  for (guint i = 0; bodies[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (parse (bodies[i], "time_series", reach_only, &error));
      g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_PARSE);
    }

  {
    g_autoptr(GError) error = NULL;
    g_assert_null (instasync_json_parse ("", 0, &error));
    g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_PARSE);
  }
}

static void
test_unexpected_shapes (void)
{
  const char * const time_series_bodies[] = {
    "[]",
    "{}",
    "{\"data\":{}}",
    "{\"data\":[7]}",
    "{\"data\":[{\"period\":\"day\",\"values\":[]}]}",
    "{\"data\":[{\"name\":\"likes\",\"values\":[]}]}",
    "{\"data\":[{\"name\":\"reach\",\"values\":{}}]}",
    "{\"data\":[{\"name\":\"reach\",\"values\":[5]}]}",
    "{\"data\":[{\"name\":\"reach\",\"values\":[{\"value\":3}]}]}",
    "{\"data\":[{\"name\":\"reach\",\"values\":[{\"value\":\"3\",\"end_time\":\"2024-05-04T07:00:00+0000\"}]}]}",
    "{\"data\":[{\"name\":\"reach\",\"values\":[{\"value\":3.5,\"end_time\":\"2024-05-04T07:00:00+0000\"}]}]}",
    "{\"data\":[{\"name\":\"reach\",\"values\":[{\"value\":true,\"end_time\":\"2024-05-04T07:00:00+0000\"}]}]}",
    "{\"data\":[{\"name\":\"reach\",\"values\":[{\"value\":1,\"end_time\":\"2024-05-04T07:00:00+0000\"},"
    "{\"value\":2,\"end_time\":\"sometime\"}]}]}",
    NULL
  };
  const char * const total_value_bodies[] = {
    "{\"data\":[{\"name\":\"reach\",\"total_value\":5}]}",
    "{\"data\":[{\"name\":\"reach\",\"total_value\":{\"value\":[1]}}]}",
    "{\"data\":[{\"name\":\"reach\",\"total_value\":{\"breakdowns\":{}}}]}",
    "{\"data\":[{\"name\":\"reach\",\"total_value\":{\"breakdowns\":[{\"results\":[]}]}}]}",
    "{\"data\":[{\"name\":\"reach\",\"total_value\":{\"breakdowns\":[{\"dimension_keys\":[1],\"results\":[]}]}}]}",
    "{\"data\":[{\"name\":\"reach\",\"total_value\":{\"breakdowns\":[{\"dimension_keys\":[\"a\"],"
    "\"results\":[{\"dimension_values\":[\"X\"]}]}]}}]}",
    NULL
  };

  /* Half a response is never returned: a bad entry anywhere fails it all. */
  for (guint i = 0; time_series_bodies[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", time_series_bodies[i]);
      g_assert_null (parse (time_series_bodies[i], "time_series", reach_only, &error));
      g_assert_nonnull (error);
      g_assert_true (error->domain == INSTASYNC_ERROR);
      g_assert_true (error->code == INSTASYNC_ERROR_UNEXPECTED_SHAPE ||
                     error->code == INSTASYNC_ERROR_TIMESTAMP);
    }

  for (guint i = 0; total_value_bodies[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", total_value_bodies[i]);
      g_assert_null (parse (total_value_bodies[i], "total_value", total_metrics, &error));
      g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_UNEXPECTED_SHAPE);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/parser/time-series", test_time_series);
  g_test_add_func ("/parser/outside-window", test_outside_window);
  g_test_add_func ("/parser/out-of-range", test_out_of_range);
  g_test_add_func ("/parser/total-value", test_total_value);
  g_test_add_func ("/parser/empty-data", test_empty_data);
  g_test_add_func ("/parser/malformed-json", test_malformed_json);
  g_test_add_func ("/parser/unexpected-shapes", test_unexpected_shapes);

  return g_test_run ();
}
