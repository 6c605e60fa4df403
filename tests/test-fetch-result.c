/* test-fetch-result.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "instasync-error.h"
#include "instasync-fetch-result.h"
#include "instasync-graph-error.h"

static void
test_success (void)
{
  g_autoptr(InstaSyncFetchResult) result = instasync_fetch_result_new ("17841400000000001", "demo.bakery");
  g_autofree char *summary = NULL;
  g_autoptr(JsonNode) json = NULL;
  JsonObject *object;
  GDate since, until;
  const char * const metrics[] = { "reach", "profile_views", "accounts_engaged", "follower_count", NULL };

  g_date_clear (&since, 1);
  g_date_clear (&until, 1);
  g_date_set_dmy (&since, 1, 5, 2024);
  g_date_set_dmy (&until, 3, 5, 2024);
  instasync_fetch_result_set_window (result, &since, &until);

  for (guint i = 0; metrics[i] != NULL; i++)
    {
      instasync_fetch_result_add_requested (result, metrics[i]);
      instasync_fetch_result_add_succeeded (result, metrics[i]);
    }
  instasync_fetch_result_add_rows (result, 12, 1, 107, 0);
  instasync_fetch_result_add_calls (result, 8, 9);
  g_assert_cmpint (instasync_fetch_result_get_status (result), ==, INSTASYNC_FETCH_STATUS_RUNNING);
  instasync_fetch_result_finish (result);

  g_assert_cmpint (instasync_fetch_result_get_status (result), ==, INSTASYNC_FETCH_STATUS_SUCCEEDED);
  g_assert_cmpint (instasync_fetch_result_get_action (result), ==, INSTASYNC_ERROR_ACTION_NONE);
  g_assert_cmpstrv (instasync_fetch_result_get_succeeded (result), metrics);
  g_assert_cmpuint (g_strv_length ((char **)instasync_fetch_result_get_failed (result)), ==, 0);
  g_assert_cmpstr (instasync_fetch_result_get_window_since (result), ==, "2024-05-01");
  g_assert_cmpstr (instasync_fetch_result_get_window_until (result), ==, "2024-05-03");
  g_assert_cmpint (instasync_fetch_result_get_finished_at (result), >=,
                   instasync_fetch_result_get_started_at (result));

  summary = instasync_fetch_result_to_summary (result);
  g_assert_true (g_str_has_prefix (summary, "demo.bakery: 4 of 4 metrics · 120 rows, 12 new, 1 updated · "));
  g_assert_true (g_str_has_suffix (summary, " ms") || g_str_has_suffix (summary, " s"));

  json = instasync_fetch_result_to_json (result);
  object = json_node_get_object (json);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "succeeded");
  g_assert_cmpint (json_object_get_int_member (object, "api_calls"), ==, 8);
  g_assert_cmpint (json_object_get_int_member (object, "http_requests"), ==, 9);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object, "rows"),
                                               "unchanged"), ==, 107);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "errors")), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "window"),
                                                  "since"), ==, "2024-05-01");
}

static void
test_partial_and_failed (void)
{
  g_autoptr(InstaSyncFetchResult) partial = instasync_fetch_result_new ("1", NULL);
  g_autoptr(InstaSyncFetchResult) failed = instasync_fetch_result_new ("2", "b");
  g_autoptr(GError) skip = NULL;
  g_autoptr(GError) reconnect = NULL;
  g_autofree char *details = NULL;
  g_autofree char *errors = NULL;
  g_autofree char *summary = NULL;
  InstaSyncMetricError *entry;

  instasync_graph_error_set (&skip, 100, 2108006, 400, FALSE, "Insights not available");
  instasync_graph_error_set (&reconnect, 190, 463, 400, FALSE, "Session has expired");

  instasync_fetch_result_add_requested (partial, "reach");
  instasync_fetch_result_add_requested (partial, "likes");
  instasync_fetch_result_add_succeeded (partial, "reach");
  instasync_fetch_result_add_failed (partial, "likes", skip);
  /* A metric that failed in one window is not rescued by another. */
  instasync_fetch_result_add_succeeded (partial, "likes");
  instasync_fetch_result_finish (partial);
  g_assert_cmpint (instasync_fetch_result_get_status (partial), ==, INSTASYNC_FETCH_STATUS_PARTIAL);
  g_assert_cmpint (instasync_fetch_result_get_action (partial), ==, INSTASYNC_ERROR_ACTION_SKIP_METRIC);
  g_assert_cmpuint (instasync_fetch_result_get_errors (partial)->len, ==, 1);
  entry = g_ptr_array_index (instasync_fetch_result_get_errors (partial), 0);
  g_assert_cmpstr (entry->metric, ==, "likes");
  g_assert_cmpstr (entry->domain, ==, "graph");
  g_assert_cmpint (entry->code, ==, 100);
  g_assert_cmpint (entry->subcode, ==, 2108006);

  summary = instasync_fetch_result_to_summary (partial);
  /* No username: the id stands in. */
  g_assert_true (g_str_has_prefix (summary, "1: 1 of 2 metrics"));

  instasync_fetch_result_add_requested (failed, "reach");
  instasync_fetch_result_add_requested (failed, "likes");
  instasync_fetch_result_add_failed (failed, "reach", skip);
  instasync_fetch_result_add_failed (failed, "likes", reconnect);
  instasync_fetch_result_finish (failed);
  g_assert_cmpint (instasync_fetch_result_get_status (failed), ==, INSTASYNC_FETCH_STATUS_FAILED);
  /* The most urgent action leads. */
  g_assert_cmpint (instasync_fetch_result_get_action (failed), ==, INSTASYNC_ERROR_ACTION_RECONNECT);

  details = instasync_fetch_result_to_details (failed);
  g_assert_nonnull (strstr (details, "✗ likes: Session has expired (graph 190/463)"));
  g_assert_nonnull (strstr (details, "Reconnect the account"));

  errors = instasync_fetch_result_errors_to_json (failed);
  g_assert_nonnull (strstr (errors, "\"action\":\"reconnect\""));
  g_assert_nonnull (strstr (errors, "\"subcode\":463"));
}

static void
test_paused (void)
{
  g_autoptr(InstaSyncFetchResult) result = instasync_fetch_result_new ("3", "c");
  g_autoptr(GError) throttled = NULL;
  g_autofree char *summary = NULL;

  instasync_graph_error_set (&throttled, 80002, 0, 400, FALSE, "Too many calls");
  instasync_fetch_result_add_requested (result, "reach");
  instasync_fetch_result_add_failed (result, "reach", throttled);
  instasync_fetch_result_set_paused_until (result, 1714806000);
  instasync_fetch_result_finish (result);

  g_assert_cmpint (instasync_fetch_result_get_status (result), ==, INSTASYNC_FETCH_STATUS_PAUSED);
  g_assert_cmpint (instasync_fetch_result_get_paused_until (result), ==, 1714806000);
  summary = instasync_fetch_result_to_summary (result);
  g_assert_nonnull (strstr (summary, "paused until "));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fetch-result/success", test_success);
  g_test_add_func ("/fetch-result/partial-and-failed", test_partial_and_failed);
  g_test_add_func ("/fetch-result/paused", test_paused);

  return g_test_run ();
}
