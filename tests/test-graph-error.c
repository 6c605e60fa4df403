/* test-graph-error.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "instasync-error.h"
#include "instasync-graph-error.h"
#include "instasync-insights-parser.h"
#include "instasync-usage.h"

typedef struct
{
  int                  code;
  int                  subcode;
  guint                http_status;
  InstaSyncErrorAction action;
} Classification;

static const Classification classifications[] = {
  /* Codes 1 and 2 are retried whatever the HTTP status: both are seen
   * with 400 as well as 5xx. */
  { 1, 0, 500, INSTASYNC_ERROR_ACTION_RETRY },
  { 1, 0, 400, INSTASYNC_ERROR_ACTION_RETRY },
  { 2, 0, 503, INSTASYNC_ERROR_ACTION_RETRY },
  { 2, 0, 500, INSTASYNC_ERROR_ACTION_RETRY },
  { 2, 0, 400, INSTASYNC_ERROR_ACTION_RETRY },
  { 4, 0, 403, INSTASYNC_ERROR_ACTION_BACK_OFF },
  { 17, 0, 400, INSTASYNC_ERROR_ACTION_BACK_OFF },
  { 32, 0, 400, INSTASYNC_ERROR_ACTION_BACK_OFF },
  { 613, 1996, 400, INSTASYNC_ERROR_ACTION_BACK_OFF },
  { 80001, 0, 400, INSTASYNC_ERROR_ACTION_BACK_OFF },
  { 80002, 0, 400, INSTASYNC_ERROR_ACTION_BACK_OFF },
  /* 190 means reconnect whatever the subcode, and is never retried. */
  { 190, 0, 400, INSTASYNC_ERROR_ACTION_RECONNECT },
  { 190, 460, 400, INSTASYNC_ERROR_ACTION_RECONNECT },
  { 190, 463, 400, INSTASYNC_ERROR_ACTION_RECONNECT },
  { 190, 467, 401, INSTASYNC_ERROR_ACTION_RECONNECT },
  { 10, 0, 403, INSTASYNC_ERROR_ACTION_RECONNECT },
  { 10, 0, 400, INSTASYNC_ERROR_ACTION_RECONNECT },
  { 200, 0, 400, INSTASYNC_ERROR_ACTION_RECONNECT },
  { 100, 0, 400, INSTASYNC_ERROR_ACTION_SKIP_METRIC },
  { 100, 2108006, 400, INSTASYNC_ERROR_ACTION_SKIP_METRIC },
  { 100, 33, 400, INSTASYNC_ERROR_ACTION_FAIL },
  { 3, 0, 400, INSTASYNC_ERROR_ACTION_FAIL },
  { 12345, 0, 400, INSTASYNC_ERROR_ACTION_FAIL },
  { 12345, 0, 502, INSTASYNC_ERROR_ACTION_RETRY },
};

static void
test_classify_codes (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (classifications); i++)
    {
      const Classification *c = &classifications[i];
      g_autoptr(GError) error = NULL;

      g_test_message ("%d/%d", c->code, c->subcode);
      g_assert_cmpint (instasync_graph_error_classify_code (c->code, c->subcode, c->http_status),
                       ==, c->action);

      /* The message text plays no part: a misleading one changes nothing. */
      instasync_graph_error_set (&error, c->code, c->subcode, c->http_status, FALSE,
                                 "(#4) Application request limit reached");
      g_assert_cmpint (instasync_error_classify (error), ==, c->action);
      g_assert_cmpint (instasync_graph_error_get_subcode (error), ==, c->subcode);
    }
}

/* 100/33 is a missing object, unless the usage headers said the limit was
 * reached: then it is the throttle, and calling on only makes it longer. */
static void
test_classify_exhausted (void)
{
  g_autoptr(GError) missing = NULL;
  g_autoptr(GError) throttled = NULL;
  g_autoptr(GError) other = NULL;

  instasync_graph_error_set (&missing, 100, 33, 400, FALSE, "Unsupported get request");
  instasync_graph_error_set (&throttled, 100, 33, 400, FALSE, "Unsupported get request");
  instasync_graph_error_set (&other, 100, 0, 400, FALSE, "bad metric");
  instasync_graph_error_set_usage_exhausted (throttled);
  instasync_graph_error_set_usage_exhausted (other);

  g_assert_cmpint (instasync_error_classify (missing), ==, INSTASYNC_ERROR_ACTION_FAIL);
  g_assert_cmpint (instasync_error_classify (throttled), ==, INSTASYNC_ERROR_ACTION_BACK_OFF);
  g_assert_cmpint (instasync_error_classify (other), ==, INSTASYNC_ERROR_ACTION_SKIP_METRIC);

  {
    g_autoptr(GError) copy = g_error_copy (throttled);
    g_assert_cmpint (instasync_error_classify (copy), ==, INSTASYNC_ERROR_ACTION_BACK_OFF);
  }
}

/* is_transient says "try again", whatever the code and the HTTP status,
 * except on a rate limit, where more calls only extend the block. */
static void
test_classify_transient (void)
{
  static const Classification transient[] = {
    { 1, 0, 400, INSTASYNC_ERROR_ACTION_RETRY },
    { 2, 0, 400, INSTASYNC_ERROR_ACTION_RETRY },
    { 100, 0, 400, INSTASYNC_ERROR_ACTION_RETRY },
    { 3, 0, 400, INSTASYNC_ERROR_ACTION_RETRY },
    { 12345, 0, 400, INSTASYNC_ERROR_ACTION_RETRY },
    { 4, 0, 403, INSTASYNC_ERROR_ACTION_BACK_OFF },
    { 17, 0, 400, INSTASYNC_ERROR_ACTION_BACK_OFF },
    { 32, 0, 400, INSTASYNC_ERROR_ACTION_BACK_OFF },
    { 613, 0, 400, INSTASYNC_ERROR_ACTION_BACK_OFF },
    { 80002, 0, 400, INSTASYNC_ERROR_ACTION_BACK_OFF },
  };

  for (guint i = 0; i < G_N_ELEMENTS (transient); i++)
    {
      const Classification *c = &transient[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) plain = NULL;

      g_test_message ("%d/%d transient", c->code, c->subcode);
      instasync_graph_error_set (&error, c->code, c->subcode, c->http_status, TRUE, "x");
      g_assert_cmpint (instasync_error_classify (error), ==, c->action);

      /* Without the flag the code alone decides, as before. */
      instasync_graph_error_set (&plain, c->code, c->subcode, c->http_status, FALSE, "x");
      g_assert_cmpint (instasync_error_classify (plain), ==,
                       instasync_graph_error_classify_code (c->code, c->subcode, c->http_status));
    }

  /* The same from the envelope, as the API sends it. */
  {
    g_autofree char *body = g_strdup ("{\"error\":{\"message\":\"An unexpected error has occurred. "
                                      "Please retry your request later.\",\"code\":2,"
                                      "\"is_transient\":true}}");
    g_autoptr(JsonNode) root = instasync_json_parse (body, strlen (body), NULL);
    g_autoptr(GError) error = NULL;

    g_assert_true (instasync_graph_error_set_from_json (&error, root, 400));
    g_assert_cmpint (instasync_error_classify (error), ==, INSTASYNC_ERROR_ACTION_RETRY);
  }
}

static void
test_classify_local (void)
{
  g_autoptr(GError) parse = g_error_new_literal (INSTASYNC_ERROR, INSTASYNC_ERROR_PARSE, "x");
  g_autoptr(GError) shape = g_error_new_literal (INSTASYNC_ERROR, INSTASYNC_ERROR_UNEXPECTED_SHAPE, "x");
  g_autoptr(GError) db = g_error_new_literal (INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE, "x");
  g_autoptr(GError) net = g_error_new_literal (INSTASYNC_ERROR, INSTASYNC_ERROR_NETWORK, "x");
  g_autoptr(GError) io = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "x");

  g_assert_cmpint (instasync_error_classify (NULL), ==, INSTASYNC_ERROR_ACTION_NONE);
  g_assert_cmpint (instasync_error_classify (parse), ==, INSTASYNC_ERROR_ACTION_RETRY);
  g_assert_cmpint (instasync_error_classify (net), ==, INSTASYNC_ERROR_ACTION_RETRY);
  g_assert_cmpint (instasync_error_classify (io), ==, INSTASYNC_ERROR_ACTION_RETRY);
  g_assert_cmpint (instasync_error_classify (shape), ==, INSTASYNC_ERROR_ACTION_SKIP_METRIC);
  g_assert_cmpint (instasync_error_classify (db), ==, INSTASYNC_ERROR_ACTION_FAIL);
  g_assert_cmpstr (instasync_error_action_to_string (INSTASYNC_ERROR_ACTION_RECONNECT), ==, "reconnect");
  g_assert_cmpstr (instasync_error_action_to_string (INSTASYNC_ERROR_ACTION_BACK_OFF), ==, "back_off");
}

static GError *
error_from_body (const char *body,
                 guint       status)
{
  g_autoptr(JsonNode) root = instasync_json_parse (body, strlen (body), NULL);
  GError *error = NULL;

  g_assert_nonnull (root);
  g_assert_true (instasync_graph_error_set_from_json (&error, root, status));
  return error;
}

static void
test_envelope (void)
{
  g_autoptr(GError) expired = NULL;
  g_autoptr(GError) throttled = NULL;
  g_autoptr(GError) quoted = NULL;
  GError *none = NULL;
  g_autoptr(JsonNode) not_envelope = instasync_json_parse ("{\"data\":[]}", 11, NULL);

  expired = error_from_body ("{\"error\":{\"message\":\"Error validating access token: Session has "
                             "expired\",\"type\":\"OAuthException\",\"code\":190,"
                             "\"error_subcode\":463,\"fbtrace_id\":\"AbC\"}}", 400);
  g_assert_error (expired, INSTASYNC_GRAPH_ERROR, 190);
  g_assert_cmpint (instasync_graph_error_get_subcode (expired), ==, 463);
  g_assert_cmpuint (instasync_graph_error_get_http_status (expired), ==, 400);
  g_assert_cmpstr (instasync_graph_error_get_fbtrace_id (expired), ==, "AbC");
  g_assert_true (g_str_has_prefix (expired->message, "Error validating access token"));

  throttled = error_from_body ("{\"error\":{\"message\":\"(#4) Application request limit "
                               "reached\",\"code\":4,\"is_transient\":true}}", 403);
  g_assert_error (throttled, INSTASYNC_GRAPH_ERROR, 4);
  g_assert_true (instasync_graph_error_get_is_transient (throttled));
  g_assert_cmpint (instasync_graph_error_get_subcode (throttled), ==, 0);
  g_assert_cmpint (instasync_graph_error_get_regain_minutes (throttled), ==, -1);
  instasync_graph_error_set_regain_minutes (throttled, 12);
  g_assert_cmpint (instasync_graph_error_get_regain_minutes (throttled), ==, 12);

  /* Copies keep the envelope. */
  {
    g_autoptr(GError) copy = g_error_copy (throttled);
    g_assert_cmpint (instasync_graph_error_get_regain_minutes (copy), ==, 12);
    g_assert_true (instasync_graph_error_get_is_transient (copy));
  }

  /* Numbers sent as strings, and a missing message. */
  quoted = error_from_body ("{\"error\":{\"code\":\"100\",\"error_subcode\":\"33\"}}", 400);
  g_assert_error (quoted, INSTASYNC_GRAPH_ERROR, 100);
  g_assert_cmpint (instasync_graph_error_get_subcode (quoted), ==, 33);
  g_assert_nonnull (quoted->message);

  g_assert_false (instasync_graph_error_set_from_json (&none, not_envelope, 400));
  g_assert_null (none);
  g_assert_false (instasync_graph_error_set_from_json (&none, NULL, 400));
}

/* Code 10: that account's missing permission. The message keeps the API's
 * words and says what to do; the action is a reconnect, which the engine
 * records against that account alone. */
static void
test_permission_message (void)
{
  g_autoptr(GError) denied = NULL;
  g_autoptr(GError) two_hundred = NULL;
  g_autoptr(GError) expired = NULL;

  denied = error_from_body ("{\"error\":{\"message\":\"(#10) Application does not have permission "
                            "for this action\",\"type\":\"OAuthException\",\"code\":10,"
                            "\"fbtrace_id\":\"Xy\"}}", 403);
  g_assert_error (denied, INSTASYNC_GRAPH_ERROR, 10);
  g_assert_cmpint (instasync_error_classify (denied), ==, INSTASYNC_ERROR_ACTION_RECONNECT);
  g_assert_true (g_str_has_prefix (denied->message,
                                   "(#10) Application does not have permission for this action. "));
  g_assert_nonnull (strstr (denied->message, "reconnect the account"));
  g_assert_nonnull (strstr (denied->message, "instagram_manage_insights"));
  g_assert_false (instasync_graph_error_is_appsecret_proof_refused (denied));

  two_hundred = error_from_body ("{\"error\":{\"message\":\"(#200) Requires pages_read_engagement "
                                 "permission.\",\"code\":200}}", 400);
  g_assert_true (g_str_has_prefix (two_hundred->message,
                                   "(#200) Requires pages_read_engagement permission. Instagram"));

  /* Other errors keep the API's message as it is. */
  expired = error_from_body ("{\"error\":{\"message\":\"Invalid OAuth access token\",\"code\":190}}",
                             400);
  g_assert_cmpstr (expired->message, ==, "Invalid OAuth access token");
}

/* A refused appsecret_proof is code 100 without a subcode, like a metric
 * the account lacks; it is a configuration error, and says which setting
 * to fix, instead of switching the metrics off one by one. */
static void
test_appsecret_proof_refused (void)
{
  const char *bodies[] = {
    "{\"error\":{\"message\":\"API calls from the server require an appsecret_proof argument\","
    "\"type\":\"OAuthException\",\"code\":100,\"fbtrace_id\":\"A1\"}}",
    "{\"error\":{\"message\":\"Invalid appsecret_proof provided in the API argument\","
    "\"type\":\"GraphMethodException\",\"code\":100,\"fbtrace_id\":\"A2\"}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GError) error = error_from_body (bodies[i], 400);
      g_autoptr(GError) copy = NULL;

      g_assert_error (error, INSTASYNC_GRAPH_ERROR, 100);
      g_assert_true (instasync_graph_error_is_appsecret_proof_refused (error));
      g_assert_cmpint (instasync_error_classify (error), ==, INSTASYNC_ERROR_ACTION_FAIL);
      g_assert_nonnull (strstr (error->message, "appsecret_proof"));
      g_assert_nonnull (strstr (error->message, "App Secret"));
      g_assert_nonnull (strstr (error->message, "INSTASYNC_APP_SECRET"));

      copy = g_error_copy (error);
      g_assert_cmpint (instasync_error_classify (copy), ==, INSTASYNC_ERROR_ACTION_FAIL);
    }

  /* Code 100 about anything else is still the metric's; with a subcode
   * it is not the proof, whatever the text. */
  {
    g_autoptr(GError) metric = error_from_body ("{\"error\":{\"message\":\"(#100) metric[0] must be "
                                                "one of the following values: reach\",\"code\":100}}", 400);
    g_autoptr(GError) with_subcode = error_from_body ("{\"error\":{\"message\":\"appsecret_proof\","
                                                      "\"code\":100,\"error_subcode\":33}}", 400);
    g_autoptr(GError) other_code = error_from_body ("{\"error\":{\"message\":\"appsecret_proof\","
                                                    "\"code\":3}}", 400);

    g_assert_false (instasync_graph_error_is_appsecret_proof_refused (metric));
    g_assert_cmpint (instasync_error_classify (metric), ==, INSTASYNC_ERROR_ACTION_SKIP_METRIC);
    g_assert_false (instasync_graph_error_is_appsecret_proof_refused (with_subcode));
    g_assert_cmpint (instasync_error_classify (with_subcode), ==, INSTASYNC_ERROR_ACTION_FAIL);
    g_assert_false (instasync_graph_error_is_appsecret_proof_refused (other_code));
  }

  /* Only the envelope is read for it: an error of our own making with the
   * same words is classified by its code. */
  {
    g_autoptr(GError) ours = NULL;

    instasync_graph_error_set (&ours, 100, 0, 400, FALSE, "Invalid appsecret_proof");
    g_assert_cmpint (instasync_error_classify (ours), ==, INSTASYNC_ERROR_ACTION_SKIP_METRIC);
  }
}

static void
test_usage_headers (void)
{
  InstaSyncUsage usage;

  instasync_usage_init (&usage);
  g_assert_cmpint (instasync_usage_get_percent (&usage), ==, 0);
  g_assert_cmpint (usage.regain_minutes, ==, -1);

  g_assert_true (instasync_usage_parse_app (&usage, "{\"call_count\":28,\"total_time\":25,\"total_cputime\":31}"));
  g_assert_true (usage.app_known);
  g_assert_cmpint (usage.app_percent, ==, 31);

  g_assert_true (instasync_usage_parse_business (&usage,
    "{\"17841400000000001\":[{\"type\":\"instagram\",\"call_count\":84,\"total_cputime\":2,"
    "\"total_time\":3,\"estimated_time_to_regain_access\":7}]}"));
  g_assert_cmpint (usage.business_percent, ==, 84);
  g_assert_cmpint (usage.regain_minutes, ==, 7);
  g_assert_cmpint (instasync_usage_get_percent (&usage), ==, 84);

  /* Garbled or absent headers leave what we knew. */
  g_assert_false (instasync_usage_parse_app (&usage, NULL));
  g_assert_false (instasync_usage_parse_app (&usage, "{not json"));
  g_assert_false (instasync_usage_parse_app (&usage, "[1,2]"));
  g_assert_false (instasync_usage_parse_business (&usage, "{\"x\":[{\"type\":\"instagram\"}]}"));
  g_assert_cmpint (usage.app_percent, ==, 31);
  g_assert_cmpint (usage.business_percent, ==, 84);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/graph-error/classify-codes", test_classify_codes);
  g_test_add_func ("/graph-error/classify-exhausted", test_classify_exhausted);
  g_test_add_func ("/graph-error/classify-transient", test_classify_transient);
  g_test_add_func ("/graph-error/classify-local", test_classify_local);
  g_test_add_func ("/graph-error/envelope", test_envelope);
  g_test_add_func ("/graph-error/permission-message", test_permission_message);
  g_test_add_func ("/graph-error/appsecret-proof-refused", test_appsecret_proof_refused);
  g_test_add_func ("/graph-error/usage-headers", test_usage_headers);

  return g_test_run ();
}
