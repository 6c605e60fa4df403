/* test-graph-batch.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "graph-sim.h"
#include "instasync-error.h"
#include "instasync-graph-batch.h"
#include "instasync-graph-error.h"
#include "instasync-insights-parser.h"
#include "instasync-time.h"

#define ACCOUNT "17841400000000066"
#define TOKEN   "EAAbatch-test-token"

static const char scenario[] =
  "{\"users\": [{\"id\": \"1\", \"name\": \"U\", \"token\": \"" TOKEN "\","
  "  \"pages\": [{\"id\": \"2\", \"name\": \"P\", \"instagram_business_account\": \"" ACCOUNT "\"}]},"
  " {\"id\": \"3\", \"name\": \"E\", \"token\": \"expired-token\", \"token_state\": \"expired\", \"pages\": []}],"
  " \"accounts\": [{\"id\": \"" ACCOUNT "\", \"username\": \"batch.test\", \"followers_count\": 900}]}";

static GPtrArray *
new_ops (guint n)
{
  GPtrArray *ops = g_ptr_array_new_with_free_func ((GDestroyNotify)instasync_batch_op_free);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (ops, instasync_batch_op_new ("1/insights", NULL));
  return ops;
}

static void
test_parse (void)
{
  const char *body =
    "[{\"code\":200,\"body\":\"{\\\"data\\\":[]}\"},"
    " {\"code\":400,\"body\":\"{\\\"error\\\":{\\\"message\\\":\\\"(#100) bad\\\",\\\"code\\\":100,\\\"error_subcode\\\":2108006}}\"},"
    " null,"
    " {\"code\":200,\"body\":\"{\\\"data\\\":[\"},"
    " {\"code\":500,\"body\":\"oops\"},"
    " 7,"
    " {\"body\":\"{}\"}]";
  g_autoptr(JsonNode) root = instasync_json_parse (body, strlen (body), NULL);
  g_autoptr(GPtrArray) ops = new_ops (7);
  g_autoptr(GError) error = NULL;
  InstaSyncBatchOp **op = (InstaSyncBatchOp **)ops->pdata;

  g_assert_nonnull (root);
  g_assert_true (instasync_graph_batch_parse (root, op, 7, &error));
  g_assert_no_error (error);

  /* The body is JSON inside a string. */
  g_assert_nonnull (op[0]->body);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (op[0]->body));
  g_assert_no_error (op[0]->error);

  g_assert_error (op[1]->error, INSTASYNC_GRAPH_ERROR, 100);
  g_assert_cmpint (instasync_graph_error_get_subcode (op[1]->error), ==, 2108006);
  g_assert_cmpuint (instasync_graph_error_get_http_status (op[1]->error), ==, 400);

  /* null: timed out, no answer yet. */
  g_assert_null (op[2]->body);
  g_assert_null (op[2]->error);

  g_assert_error (op[3]->error, INSTASYNC_ERROR, INSTASYNC_ERROR_PARSE);
  g_assert_error (op[4]->error, INSTASYNC_ERROR, INSTASYNC_ERROR_HTTP);
  g_assert_error (op[5]->error, INSTASYNC_ERROR, INSTASYNC_ERROR_UNEXPECTED_SHAPE);
  g_assert_error (op[6]->error, INSTASYNC_ERROR, INSTASYNC_ERROR_UNEXPECTED_SHAPE);
}

static void
test_parse_wrong_length (void)
{
  g_autoptr(JsonNode) object = instasync_json_parse ("{\"error\":{}}", 12, NULL);
  g_autoptr(JsonNode) short_list = instasync_json_parse ("[null]", 6, NULL);
  g_autoptr(GPtrArray) ops = new_ops (2);
  g_autoptr(GError) error = NULL;

  g_assert_false (instasync_graph_batch_parse (object, (InstaSyncBatchOp **)ops->pdata, 2, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_UNEXPECTED_SHAPE);
  g_clear_error (&error);
  g_assert_false (instasync_graph_batch_parse (short_list, (InstaSyncBatchOp **)ops->pdata, 2, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_UNEXPECTED_SHAPE);
}

/* Usage headers ride in each answer's "headers"; the highest reading of
 * the batch counts, and of X-Business-Use-Case-Usage the account's own. */
static void
test_parse_usage (void)
{
  const char *body =
    "[{\"code\":200,\"headers\":["
    "   {\"name\":\"X-App-Usage\",\"value\":\"{\\\"call_count\\\":5,\\\"total_time\\\":1,\\\"total_cputime\\\":1}\"},"
    "   {\"name\":\"X-Business-Use-Case-Usage\",\"value\":\"{\\\"" ACCOUNT "\\\":[{\\\"call_count\\\":10}],"
    "                                                        \\\"17841400000000999\\\":[{\\\"call_count\\\":80}]}\"}],"
    "  \"body\":\"{}\"},"
    " null,"
    " {\"code\":400,\"headers\":["
    "   {\"name\":\"x-app-usage\",\"value\":\"{\\\"call_count\\\":6}\"},"
    "   {\"name\":\"x-business-use-case-usage\",\"value\":\"{\\\"" ACCOUNT "\\\":[{\\\"call_count\\\":20,"
    "                                                        \\\"estimated_time_to_regain_access\\\":7}]}\"},"
    "   {\"name\":\"x-fb-rev\",\"value\":\"1\"}],"
    "  \"body\":\"{}\"},"
    " {\"code\":200,\"body\":\"{}\"}]";
  const char *bare = "[{\"code\":200,\"body\":\"{}\"},{\"code\":200,\"headers\":[],\"body\":\"{}\"}]";
  g_autoptr(JsonNode) root = instasync_json_parse (body, strlen (body), NULL);
  g_autoptr(JsonNode) bare_root = instasync_json_parse (bare, strlen (bare), NULL);
  InstaSyncUsage usage;

  g_assert_nonnull (root);
  instasync_usage_init (&usage);
  g_assert_true (instasync_graph_batch_parse_usage (root, ACCOUNT, "2", &usage));
  g_assert_true (usage.app_known);
  g_assert_cmpint (usage.app_percent, ==, 6);
  g_assert_true (usage.business_known);
  g_assert_cmpint (usage.business_percent, ==, 20);
  g_assert_cmpint (usage.regain_minutes, ==, 7);

  /* Without the account's ids, any object's highest entry. */
  instasync_usage_init (&usage);
  g_assert_true (instasync_graph_batch_parse_usage (root, NULL, NULL, &usage));
  g_assert_cmpint (usage.business_percent, ==, 80);

  /* include_headers=false: nothing to read. */
  instasync_usage_init (&usage);
  g_assert_false (instasync_graph_batch_parse_usage (bare_root, ACCOUNT, NULL, &usage));
  g_assert_false (usage.app_known);
  g_assert_false (usage.business_known);
}

typedef struct
{
  GraphSim             *sim;
  InstaSyncGraphClient *client;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  fixture->sim = graph_sim_new ();
  g_assert_true (graph_sim_load_scenario_data (fixture->sim, scenario, -1, &error));
  g_assert_true (graph_sim_start (fixture->sim, 0, &error));
  g_assert_no_error (error);
  url = graph_sim_get_base_url (fixture->sim);
  fixture->client = instasync_graph_client_new (url, "v22.0");
  instasync_graph_client_set_retry_policy (fixture->client, 3, 1, 4);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->sim);
}

/* @n daily reach requests, one per day going back from a week ago. */
static GPtrArray *
reach_ops (guint n)
{
  GPtrArray *ops = g_ptr_array_new_with_free_func ((GDestroyNotify)instasync_batch_op_free);
  GDate day;

  instasync_pacific_date_at (g_get_real_time () / G_USEC_PER_SEC, &day);
  g_date_subtract_days (&day, 7);

  for (guint i = 0; i < n; i++, g_date_subtract_days (&day, 1))
    {
      g_autofree char *since = g_strdup_printf ("%" G_GINT64_FORMAT, instasync_pacific_day_start (&day));
      g_autofree char *until = g_strdup_printf ("%" G_GINT64_FORMAT, instasync_pacific_day_end (&day) - 1);
      const char *params[] = { "metric", "reach", "period", "day", "metric_type", "total_value",
                               "since", since, "until", until, NULL };
      InstaSyncBatchOp *op = instasync_batch_op_new (ACCOUNT "/insights", params);

      op->user_data = GUINT_TO_POINTER (g_date_get_julian (&day));
      g_ptr_array_add (ops, op);
    }

  return ops;
}

static void
assert_reach_answers (GPtrArray *ops)
{
  for (guint i = 0; i < ops->len; i++)
    {
      InstaSyncBatchOp *op = g_ptr_array_index (ops, i);
      JsonObject *item;
      GDate day;

      g_assert_no_error (op->error);
      g_assert_nonnull (op->body);
      g_date_clear (&day, 1);
      g_date_set_julian (&day, GPOINTER_TO_UINT (op->user_data));
      item = json_array_get_object_element (json_object_get_array_member (json_node_get_object (op->body), "data"), 0);
      g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (item, "total_value"), "value"),
                       ==, graph_sim_daily_value (ACCOUNT, "reach", &day));
    }
}

static void
test_sixty_operations (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) ops = reach_ops (60);
  g_autoptr(GError) error = NULL;

  g_assert_true (instasync_graph_client_run_batch (fixture->client, ops, TOKEN, NULL, &error));
  g_assert_no_error (error);
  assert_reach_answers (ops);

  /* 50 + 10: two HTTP requests, sixty API calls. */
  g_assert_cmpuint (instasync_graph_client_get_http_requests (fixture->client), ==, 2);
  g_assert_cmpuint (instasync_graph_client_get_api_calls (fixture->client), ==, 60);
  g_assert_cmpuint (graph_sim_get_api_call_count (fixture->sim), ==, 60);
}

static void
test_null_entries_retried (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) ops = reach_ops (10);
  g_autoptr(GError) error = NULL;

  /* The first three operations time out once. */
  g_assert_true (graph_sim_add_fault (fixture->sim, "batch_null:first=3", &error));
  g_assert_no_error (error);

  g_assert_true (instasync_graph_client_run_batch (fixture->client, ops, TOKEN, NULL, &error));
  g_assert_no_error (error);
  assert_reach_answers (ops);
  /* Only the three were sent again. */
  g_assert_cmpuint (instasync_graph_client_get_http_requests (fixture->client), ==, 2);
  g_assert_cmpuint (instasync_graph_client_get_api_calls (fixture->client), ==, 13);
}

static void
test_null_for_ever (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) ops = reach_ops (4);
  g_autoptr(GError) error = NULL;
  InstaSyncBatchOp *op;

  g_assert_true (graph_sim_add_fault (fixture->sim, "batch_null:every=1", &error));
  g_assert_true (instasync_graph_client_run_batch (fixture->client, ops, TOKEN, NULL, &error));
  g_assert_no_error (error);

  /* Bounded: after the last attempt the hole is an error, not silence. */
  op = g_ptr_array_index (ops, 0);
  g_assert_error (op->error, INSTASYNC_ERROR, INSTASYNC_ERROR_NETWORK);
  g_assert_cmpuint (instasync_graph_client_get_http_requests (fixture->client), ==, 3);
}

static void
test_operation_errors (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) ops = reach_ops (3);
  g_autoptr(GError) error = NULL;
  InstaSyncBatchOp *bad;
  const char *params[] = { "metric", "no_such_metric", "period", "day",
                           "metric_type", "total_value", NULL };

  bad = instasync_batch_op_new (ACCOUNT "/insights", params);
  g_ptr_array_insert (ops, 1, bad);

  /* One refused operation leaves the others alone, and is not retried. */
  g_assert_true (instasync_graph_client_run_batch (fixture->client, ops, TOKEN, NULL, &error));
  g_assert_no_error (error);
  g_assert_error (bad->error, INSTASYNC_GRAPH_ERROR, 100);
  g_assert_null (bad->body);
  g_ptr_array_remove_index (ops, 1);
  assert_reach_answers (ops);
  g_assert_cmpuint (instasync_graph_client_get_http_requests (fixture->client), ==, 1);
}

static void
test_dead_token (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) ops = reach_ops (3);
  g_autoptr(GPtrArray) one = reach_ops (1);
  g_autoptr(GError) error = NULL;

  /* Every operation says 190: each carries it, and nothing is retried. */
  instasync_graph_client_run_batch (fixture->client, ops, "expired-token", NULL, &error);
  for (guint i = 0; i < ops->len; i++)
    {
      InstaSyncBatchOp *op = g_ptr_array_index (ops, i);

      g_assert_error (op->error, INSTASYNC_GRAPH_ERROR, 190);
      g_assert_null (strstr (op->error->message, "expired-token"));
    }
  g_assert_cmpuint (instasync_graph_client_get_http_requests (fixture->client), ==, 1);
  g_clear_error (&error);

  /* A single operation goes as a plain GET, and its 190 stops the batch. */
  g_assert_false (instasync_graph_client_run_batch (fixture->client, one, "expired-token", NULL, &error));
  g_assert_error (error, INSTASYNC_GRAPH_ERROR, 190);
  g_assert_cmpuint (instasync_graph_client_get_http_requests (fixture->client), ==, 2);
}

/* A world where the account may make 200 calls, so that 20 are 10 %. */
static void
load_limited (Fixture    *fixture,
              const char *app_extra)
{
  g_autofree char *json =
    g_strdup_printf ("{\"app\": {%s},"
                     " \"users\": [{\"id\": \"1\", \"name\": \"U\", \"token\": \"" TOKEN "\","
                     "  \"pages\": [{\"id\": \"2\", \"name\": \"P\", \"instagram_business_account\": \"" ACCOUNT "\"}]}],"
                     " \"accounts\": [{\"id\": \"" ACCOUNT "\", \"followers_count\": 900, \"call_limit\": 200}]}",
                     app_extra);
  g_autoptr(GError) error = NULL;

  g_assert_true (graph_sim_load_scenario_data (fixture->sim, json, -1, &error));
  g_assert_no_error (error);
}

static int
business_percent_after (Fixture *fixture,
                        guint    n_ops)
{
  g_autoptr(GPtrArray) ops = reach_ops (n_ops);
  g_autoptr(GError) error = NULL;
  const InstaSyncUsage *usage;

  g_assert_true (instasync_graph_client_run_batch (fixture->client, ops, TOKEN, NULL, &error));
  g_assert_no_error (error);
  assert_reach_answers (ops);

  usage = instasync_graph_client_get_usage (fixture->client);
  return usage->business_known ? usage->business_percent : -1;
}

/* As documented, only the operations carry the usage: the client reads it
 * there, and it is the latest call's. */
static void
test_usage_per_operation (Fixture       *fixture,
                          gconstpointer  data)
{
  load_limited (fixture, "\"usage_headers\": \"per_operation\"");

  g_assert_cmpint (business_percent_after (fixture, 20), ==, 10);
  g_assert_true (instasync_graph_client_get_usage (fixture->client)->app_known);
  /* 50 + 10 more: the second batch's reading, not the first's. */
  g_assert_cmpint (business_percent_after (fixture, 60), ==, 40);
}

/* The other reading, usage on the batch response, is read as well. */
static void
test_usage_wrapper (Fixture       *fixture,
                    gconstpointer  data)
{
  load_limited (fixture, "\"usage_headers\": \"wrapper\"");

  g_assert_cmpint (business_percent_after (fixture, 30), ==, 15);
}

/* Keyed by the Page: the account's own entry is found through its Page. */
static void
test_usage_page_key (Fixture       *fixture,
                     gconstpointer  data)
{
  load_limited (fixture, "\"business_usage_key\": \"page_id\"");
  instasync_graph_client_set_usage_account (fixture->client, ACCOUNT, "2");

  g_assert_cmpint (business_percent_after (fixture, 20), ==, 10);
}

/* Before enough calls no batch says anything; then it does. */
static void
test_usage_after_calls (Fixture       *fixture,
                        gconstpointer  data)
{
  load_limited (fixture, "\"usage_headers_after_calls\": 25");

  g_assert_cmpint (business_percent_after (fixture, 20), ==, -1);
  g_assert_false (instasync_graph_client_get_usage (fixture->client)->app_known);
  g_assert_cmpint (business_percent_after (fixture, 10), ==, 15);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/graph-batch/parse", test_parse);
  g_test_add_func ("/graph-batch/parse-wrong-length", test_parse_wrong_length);
  g_test_add_func ("/graph-batch/parse-usage", test_parse_usage);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/graph-batch/sixty-operations", test_sixty_operations);
  ADD ("/graph-batch/null-entries-retried", test_null_entries_retried);
  ADD ("/graph-batch/null-for-ever", test_null_for_ever);
  ADD ("/graph-batch/operation-errors", test_operation_errors);
  ADD ("/graph-batch/dead-token", test_dead_token);
  ADD ("/graph-batch/usage-per-operation", test_usage_per_operation);
  ADD ("/graph-batch/usage-wrapper", test_usage_wrapper);
  ADD ("/graph-batch/usage-page-key", test_usage_page_key);
  ADD ("/graph-batch/usage-after-calls", test_usage_after_calls);
#undef ADD

  return g_test_run ();
}
