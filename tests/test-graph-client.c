/* test-graph-client.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Graph client over real HTTP against the simulator: shapes, errors,
 * retries, and the usage headers.
 */

#include "config.h"

#include <string.h>

#include "graph-sim.h"
#include "instasync-error.h"
#include "instasync-graph-client.h"
#include "instasync-graph-batch.h"
#include "instasync-graph-error.h"
#include "instasync-graph-tokens.h"
#include "instasync-insights-parser.h"
#include "instasync-time.h"

#define ACCOUNT "17841400000000077"
#define TOKEN   "EAAclient-test-token"
/* The simulator's app: its default ID and secret. */
#define SIM_APP_ID     "100000000000001"
#define SIM_APP_SECRET "sim-app-secret"

static const char scenario[] =
  "{\"users\": [{\"id\": \"1\", \"name\": \"U\", \"token\": \"" TOKEN "\","
  "  \"pages\": [{\"id\": \"2\", \"name\": \"P\", \"instagram_business_account\": \"" ACCOUNT "\"}]},"
  " {\"id\": \"3\", \"name\": \"E\", \"token\": \"expired-token\", \"token_state\": \"expired\", \"pages\": []},"
  " {\"id\": \"4\", \"name\": \"W\", \"token\": \"password-token\", \"token_state\": \"password_changed\", \"pages\": []}],"
  " \"accounts\": [{\"id\": \"" ACCOUNT "\", \"username\": \"client.test\", \"followers_count\": 900}]}";

typedef struct
{
  GraphSim             *sim;
  InstaSyncGraphClient *client;
  GDate                 day;     /* a week ago, Pacific */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  fixture->sim = graph_sim_new ();
  g_assert_true (graph_sim_load_scenario_data (fixture->sim, scenario, -1, &error));
  g_assert_no_error (error);
  g_assert_true (graph_sim_start (fixture->sim, 0, &error));
  g_assert_no_error (error);

  url = graph_sim_get_base_url (fixture->sim);
  fixture->client = instasync_graph_client_new (url, "v22.0");
  /* Fast retries: the policy is under test, not the patience. */
  instasync_graph_client_set_retry_policy (fixture->client, 3, 5, 20);

  instasync_pacific_date_at (g_get_real_time () / G_USEC_PER_SEC, &fixture->day);
  g_date_subtract_days (&fixture->day, 7);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->sim);
}

static JsonNode *
get_day (Fixture     *fixture,
         const char  *metric,
         const char  *metric_type,
         const char  *token,
         GError     **error)
{
  g_autofree char *since = g_strdup_printf ("%" G_GINT64_FORMAT, instasync_pacific_day_start (&fixture->day));
  g_autofree char *until = g_strdup_printf ("%" G_GINT64_FORMAT, instasync_pacific_day_end (&fixture->day));
  const char *params[] = { "metric", metric, "period", "day", "metric_type", metric_type,
                           "since", since, "until", until, NULL };

  return instasync_graph_client_get (fixture->client, ACCOUNT "/insights", params, token, NULL, error);
}

static gint64
single_value (Fixture    *fixture,
              JsonNode   *root,
              const char *metric,
              const char *metric_type)
{
  const char *metrics[] = { metric, NULL };
  InstaSyncInsightsQuery query = {
    .ig_user_id = ACCOUNT, .metrics = metrics, .period = "day", .metric_type = metric_type,
    .since = instasync_pacific_day_start (&fixture->day),
    .until = instasync_pacific_day_end (&fixture->day),
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = instasync_insights_parse (root, &query, &error);
  InstaSyncInsightRow *row;

  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpint (row->end_time, ==, instasync_pacific_day_end (&fixture->day));
  return row->value;
}

static void
test_shapes (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) series = NULL;
  g_autoptr(JsonNode) total = NULL;
  const InstaSyncUsage *usage;

  series = get_day (fixture, "reach", "time_series", TOKEN, &error);
  g_assert_no_error (error);
  g_assert_cmpint (single_value (fixture, series, "reach", "time_series"), ==,
                   graph_sim_daily_value (ACCOUNT, "reach", &fixture->day));

  total = get_day (fixture, "profile_views", "total_value", TOKEN, &error);
  g_assert_no_error (error);
  g_assert_cmpint (single_value (fixture, total, "profile_views", "total_value"), ==,
                   graph_sim_daily_value (ACCOUNT, "profile_views", &fixture->day));

  g_assert_cmpuint (instasync_graph_client_get_api_calls (fixture->client), ==, 2);
  g_assert_cmpuint (instasync_graph_client_get_http_requests (fixture->client), ==, 2);

  /* Every response carries the usage headers, and they were read. */
  usage = instasync_graph_client_get_usage (fixture->client);
  g_assert_true (usage->app_known);
  g_assert_true (usage->business_known);
}

/* A plain response's X-Business-Use-Case-Usage, keyed by the account's
 * Page, is the account's usage; reset, it is unknown until the next one. */
static void
test_usage_by_page (Fixture       *fixture,
                    gconstpointer  data)
{
  static const char limited[] =
    "{\"app\": {\"business_usage_key\": \"page_id\"},"
    " \"users\": [{\"id\": \"1\", \"name\": \"U\", \"token\": \"" TOKEN "\","
    "  \"pages\": [{\"id\": \"2\", \"name\": \"P\", \"instagram_business_account\": \"" ACCOUNT "\"}]}],"
    " \"accounts\": [{\"id\": \"" ACCOUNT "\", \"followers_count\": 900, \"call_limit\": 10}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  const InstaSyncUsage *usage = instasync_graph_client_get_usage (fixture->client);

  g_assert_true (graph_sim_load_scenario_data (fixture->sim, limited, -1, &error));
  g_assert_no_error (error);
  instasync_graph_client_set_usage_account (fixture->client, ACCOUNT, "2");

  first = get_day (fixture, "reach", "time_series", TOKEN, &error);
  g_assert_no_error (error);
  g_assert_true (usage->business_known);
  g_assert_cmpint (usage->business_percent, ==, 10);

  instasync_graph_client_reset_business_usage (fixture->client);
  g_assert_false (usage->business_known);
  second = get_day (fixture, "reach", "time_series", TOKEN, &error);
  g_assert_no_error (error);
  g_assert_cmpint (usage->business_percent, ==, 20);
}

static void
test_validation_errors (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;

  /* A total-value-only metric without metric_type=total_value. */
  root = get_day (fixture, "profile_views", "time_series", TOKEN, &error);
  g_assert_null (root);
  g_assert_error (error, INSTASYNC_GRAPH_ERROR, 100);
  g_assert_cmpuint (instasync_graph_error_get_http_status (error), ==, 400);
  g_assert_cmpint (instasync_error_classify (error), ==, INSTASYNC_ERROR_ACTION_SKIP_METRIC);
  g_assert_nonnull (strstr (error->message, "should be specified with parameter metric_type=total_value"));
  g_clear_error (&error);

  root = get_day (fixture, "no_such_metric", "total_value", TOKEN, &error);
  g_assert_error (error, INSTASYNC_GRAPH_ERROR, 100);
  g_clear_error (&error);

  /* Validation errors are not retried. */
  g_assert_cmpuint (instasync_graph_client_get_http_requests (fixture->client), ==, 2);
}

static void
test_token_errors (Fixture       *fixture,
                   gconstpointer  data)
{
  struct { const char *token; int subcode; } cases[] = {
    { "expired-token", 463 },
    { "password-token", 460 },
    { "garbage-token", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      guint before = instasync_graph_client_get_http_requests (fixture->client);

      g_assert_null (get_day (fixture, "reach", "time_series", cases[i].token, &error));
      g_assert_error (error, INSTASYNC_GRAPH_ERROR, 190);
      g_assert_cmpint (instasync_graph_error_get_subcode (error), ==, cases[i].subcode);
      g_assert_cmpint (instasync_error_classify (error), ==, INSTASYNC_ERROR_ACTION_RECONNECT);
      /* 190 is never retried. */
      g_assert_cmpuint (instasync_graph_client_get_http_requests (fixture->client), ==, before + 1);
      /* The message is the API's, and carries no token. */
      g_assert_null (strstr (error->message, cases[i].token));
    }
}

static void
test_transient_faults_retried (Fixture       *fixture,
                               gconstpointer  data)
{
  const char * const faults[] = { "http_500:first=2:code=2", "malformed_json:first=1",
                                  "drop_connection:first=1", NULL };

  for (guint i = 0; faults[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(GraphSim) keep = g_object_ref (fixture->sim);
      guint calls = instasync_graph_client_get_api_calls (fixture->client);
      guint requests = instasync_graph_client_get_http_requests (fixture->client);
      guint expected_attempts = g_str_has_prefix (faults[i], "http_500") ? 3 : 2;

      g_test_message ("%s", faults[i]);
      g_assert_true (graph_sim_add_fault (fixture->sim, faults[i], &error));
      g_assert_no_error (error);

      root = get_day (fixture, "reach", "time_series", TOKEN, &error);
      g_assert_no_error (error);
      g_assert_cmpint (single_value (fixture, root, "reach", "time_series"), ==,
                       graph_sim_daily_value (ACCOUNT, "reach", &fixture->day));
      g_assert_cmpuint (instasync_graph_client_get_api_calls (fixture->client), ==, calls + 1);
      g_assert_cmpuint (instasync_graph_client_get_http_requests (fixture->client), ==,
                        requests + expected_attempts);
    }
}

static void
test_persistent_fault_gives_up (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_assert_true (graph_sim_add_fault (fixture->sim, "http_500:every=1:code=1", &error));
  g_assert_no_error (error);

  root = get_day (fixture, "reach", "time_series", TOKEN, &error);
  g_assert_null (root);
  g_assert_error (error, INSTASYNC_GRAPH_ERROR, 1);
  g_assert_cmpuint (instasync_graph_error_get_http_status (error), ==, 500);
  g_assert_cmpint (instasync_error_classify (error), ==, INSTASYNC_ERROR_ACTION_RETRY);
  /* Bounded: three attempts and no more. */
  g_assert_cmpuint (instasync_graph_client_get_http_requests (fixture->client), ==, 3);
}

static void
test_unreachable (void)
{
  g_autoptr(InstaSyncGraphClient) client = instasync_graph_client_new ("http://127.0.0.1:9", "v22.0");
  g_autoptr(GError) error = NULL;
  const char *params[] = { "fields", "id", NULL };

  instasync_graph_client_set_retry_policy (client, 2, 1, 2);
  g_assert_null (instasync_graph_client_get (client, "me", params, TOKEN, NULL, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NETWORK);
  g_assert_null (strstr (error->message, TOKEN));
  g_assert_cmpuint (instasync_graph_client_get_http_requests (client), ==, 2);
  g_assert_cmpuint (instasync_graph_client_get_version_major (client), ==, 22);
}

/* appsecret_proof: lowercase hex HMAC-SHA256 of the token under the App
 * Secret, on every call, checked by an app that requires it. */
static void
test_appsecret_proof (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *proof = instasync_graph_appsecret_proof (SIM_APP_SECRET, TOKEN);
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify)instasync_batch_op_free);
  const char *fields[] = { "fields", "id,username", NULL };

  /* The value Python's hmac module gives for the same inputs. */
  g_assert_cmpstr (proof, ==, "748e0e1c272fd6e5604b6cfcd13a43a1ea94cbe68e73dd0089b5ed4651179d2b");

  graph_sim_set_app_secret (fixture->sim, SIM_APP_SECRET);

  /* Required and missing. */
  g_assert_null (get_day (fixture, "reach", "time_series", TOKEN, &error));
  g_assert_error (error, INSTASYNC_GRAPH_ERROR, 100);
  g_assert_nonnull (strstr (error->message, "appsecret_proof"));
  g_clear_error (&error);

  /* Wrong: the API's own words, and the setting to fix; a configuration
   * error, not a metric the account lacks. */
  instasync_graph_client_set_app_secret (fixture->client, "not-the-secret");
  g_assert_true (instasync_graph_client_has_app_secret (fixture->client));
  g_assert_null (get_day (fixture, "reach", "time_series", TOKEN, &error));
  g_assert_error (error, INSTASYNC_GRAPH_ERROR, 100);
  g_assert_true (g_str_has_prefix (error->message,
                                   "Invalid appsecret_proof provided in the API argument. "));
  g_assert_nonnull (strstr (error->message, "INSTASYNC_APP_SECRET"));
  g_assert_cmpint (instasync_error_classify (error), ==, INSTASYNC_ERROR_ACTION_FAIL);
  g_assert_null (strstr (error->message, "not-the-secret"));
  g_clear_error (&error);

  /* Right, on a GET and on a batch POST, whose operations inherit it. */
  instasync_graph_client_set_app_secret (fixture->client, SIM_APP_SECRET);
  root = get_day (fixture, "reach", "time_series", TOKEN, &error);
  g_assert_no_error (error);
  g_assert_nonnull (root);

  g_ptr_array_add (ops, instasync_batch_op_new (ACCOUNT, fields));
  g_ptr_array_add (ops, instasync_batch_op_new (ACCOUNT, fields));
  g_assert_true (instasync_graph_client_run_batch (fixture->client, ops, TOKEN, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < ops->len; i++)
    {
      InstaSyncBatchOp *op = g_ptr_array_index (ops, i);

      g_assert_no_error (op->error);
      g_assert_nonnull (op->body);
    }

  /* A batch with a wrong proof fails as a whole. */
  instasync_graph_client_set_app_secret (fixture->client, "not-the-secret");
  g_assert_false (instasync_graph_client_run_batch (fixture->client, ops, TOKEN, NULL, &error));
  g_assert_error (error, INSTASYNC_GRAPH_ERROR, 100);
  g_clear_error (&error);

  /* Not required any more: no proof is fine again. */
  graph_sim_set_app_secret (fixture->sim, NULL);
  instasync_graph_client_set_app_secret (fixture->client, NULL);
  g_assert_false (instasync_graph_client_has_app_secret (fixture->client));
  g_clear_pointer (&root, json_node_unref);
  root = get_day (fixture, "reach", "time_series", TOKEN, &error);
  g_assert_no_error (error);
}

static void
test_debug_token (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncTokenInfo) info = NULL;
  g_autoptr(InstaSyncTokenInfo) expired = NULL;
  g_autoptr(InstaSyncTokenInfo) own = NULL;

  /* Asked by the app, about a good token and a dead one. */
  info = instasync_graph_client_debug_token (fixture->client, TOKEN, SIM_APP_ID, SIM_APP_SECRET,
                                             NULL, &error);
  g_assert_no_error (error);
  g_assert_true (info->is_valid);
  g_assert_cmpstr (info->type, ==, "USER");
  g_assert_cmpstr (info->app_id, ==, SIM_APP_ID);
  g_assert_cmpint (info->expires_at, ==, 0);  /* the scenario's token never expires */
  g_assert_cmpint (info->data_access_expires_at, >, g_get_real_time () / G_USEC_PER_SEC);

  expired = instasync_graph_client_debug_token (fixture->client, "expired-token", SIM_APP_ID,
                                                SIM_APP_SECRET, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (expired->is_valid);
  g_assert_cmpint (expired->error_code, ==, 190);
  g_assert_cmpint (expired->error_subcode, ==, 463);

  /* Asked by the token itself: fine for a good one, a 190 for a dead one. */
  own = instasync_graph_client_debug_token (fixture->client, TOKEN, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (own->is_valid);

  g_assert_null (instasync_graph_client_debug_token (fixture->client, "expired-token", NULL, NULL,
                                                     NULL, &error));
  g_assert_error (error, INSTASYNC_GRAPH_ERROR, 190);
  g_assert_null (strstr (error->message, "expired-token"));
  g_clear_error (&error);

  /* A wrong app secret is the app's problem, and says nothing of it. */
  g_assert_null (instasync_graph_client_debug_token (fixture->client, TOKEN, SIM_APP_ID, "wrong-secret",
                                                     NULL, &error));
  g_assert_nonnull (error);
  g_assert_null (strstr (error->message, "wrong-secret"));
  g_assert_null (strstr (error->message, TOKEN));
}

static void
test_exchange_token (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *fresh = NULL;
  g_autoptr(JsonNode) root = NULL;
  gint64 expires_in = -1;

  fresh = instasync_graph_client_exchange_token (fixture->client, TOKEN, SIM_APP_ID, SIM_APP_SECRET,
                                                 &expires_in, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fresh);
  g_assert_cmpstr (fresh, !=, TOKEN);
  g_assert_cmpint (expires_in, ==, 5183944);

  /* Both work: the exchange adds a token. */
  root = get_day (fixture, "reach", "time_series", fresh, &error);
  g_assert_no_error (error);
  g_clear_pointer (&root, json_node_unref);
  root = get_day (fixture, "reach", "time_series", TOKEN, &error);
  g_assert_no_error (error);

  /* An expired token cannot be exchanged. */
  g_assert_null (instasync_graph_client_exchange_token (fixture->client, "expired-token", SIM_APP_ID,
                                                        SIM_APP_SECRET, NULL, NULL, &error));
  g_assert_error (error, INSTASYNC_GRAPH_ERROR, 190);
  g_assert_cmpint (instasync_graph_error_get_subcode (error), ==, 463);
  g_clear_error (&error);

  /* Neither the secret nor the token reaches the message of a refusal. */
  g_assert_null (instasync_graph_client_exchange_token (fixture->client, TOKEN, SIM_APP_ID,
                                                        "wrong-secret", NULL, NULL, &error));
  g_assert_nonnull (error);
  g_assert_null (strstr (error->message, "wrong-secret"));
  g_assert_null (strstr (error->message, TOKEN));
}

/* Secret parameters lose their values wherever a URL or a form is quoted. */
static void
test_redact_params (void)
{
  const struct { const char *in; const char *out; } cases[] = {
    { "https://graph.facebook.com/v22.0/oauth/access_token?grant_type=fb_exchange_token"
      "&client_id=1&client_secret=s3cr3t&fb_exchange_token=EAAold",
      "https://graph.facebook.com/v22.0/oauth/access_token?grant_type=fb_exchange_token"
      "&client_id=1&client_secret=[redacted]&fb_exchange_token=[redacted]" },
    { "GET /debug_token?input_token=EAAx&access_token=1|sec failed",
      "GET /debug_token?input_token=[redacted]&access_token=[redacted] failed" },
    { "https://www.facebook.com/connect/login_success.html?code=AQB-x_y&state=abc#_=_",
      "https://www.facebook.com/connect/login_success.html?code=[redacted]&state=abc#_=_" },
    { "#access_token=EAAy&expires_in=5183944&long_lived_token=EAAz",
      "#access_token=[redacted]&expires_in=5183944&long_lived_token=[redacted]" },
    { "{\"access_token\":\"EAAj\",\"token_type\":\"bearer\"}",
      "{\"access_token\":\"[redacted]\",\"token_type\":\"bearer\"}" },
    { "{\"appsecret_proof\": \"abc123\"}", "{\"appsecret_proof\": \"[redacted]\"}" },
    /* Names that only end like a secret one are left alone. */
    { "barcode=123&error_code=190&state=x", "barcode=123&error_code=190&state=x" },
    { "nothing to see", "nothing to see" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = instasync_redact_secret_params (cases[i].in);

      g_assert_cmpstr (out, ==, cases[i].out);
    }

  g_assert_true (instasync_is_secret_param ("fb_exchange_token"));
  g_assert_false (instasync_is_secret_param ("state"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/graph-client/shapes", test_shapes);
  ADD ("/graph-client/usage-by-page", test_usage_by_page);
  ADD ("/graph-client/validation-errors", test_validation_errors);
  ADD ("/graph-client/token-errors", test_token_errors);
  ADD ("/graph-client/transient-faults-retried", test_transient_faults_retried);
  ADD ("/graph-client/persistent-fault-gives-up", test_persistent_fault_gives_up);
  ADD ("/graph-client/appsecret-proof", test_appsecret_proof);
  ADD ("/graph-client/debug-token", test_debug_token);
  ADD ("/graph-client/exchange-token", test_exchange_token);
#undef ADD
  g_test_add_func ("/graph-client/unreachable", test_unreachable);
  g_test_add_func ("/graph-client/redact-params", test_redact_params);

  return g_test_run ();
}
