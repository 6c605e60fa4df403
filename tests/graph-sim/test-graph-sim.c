/* test-graph-sim.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "graph-sim.h"

/* 2026-06-15 12:00 PDT: a summer day, well inside every window. */
#define NOW        G_GINT64_CONSTANT (1781550000)
#define IG_A       "17841400000000001"
#define IG_B       "17841400000000002"
#define IG_C       "17841400000000003"
#define APP_TOKEN  "100000000000001|sim-app-secret"

static const char scenario[] =
  "{"
  " \"app\": {\"id\": \"100000000000001\", \"secret\": \"sim-app-secret\", \"call_limit\": 1000},"
  " \"users\": ["
  "  {\"id\": \"10000000000001\", \"name\": \"Test User\", \"token\": \"tok-1\","
  "   \"codes\": [\"code-1\"],"
  "   \"pages\": [{\"id\": \"200000000000001\", \"name\": \"Page A\", \"instagram_business_account\": \"" IG_A "\"},"
  "             {\"id\": \"200000000000002\", \"name\": \"Page B\", \"instagram_business_account\": \"" IG_B "\"},"
  "             {\"id\": \"200000000000003\", \"name\": \"Page without Instagram\"}]},"
  "  {\"id\": \"10000000000002\", \"token\": \"tok-2\","
  "   \"pages\": [{\"id\": \"200000000000004\", \"instagram_business_account\": \"" IG_C "\"}]},"
  "  {\"id\": \"10000000000003\", \"token\": \"tok-expired\", \"token_state\": \"expired\"},"
  "  {\"id\": \"10000000000004\", \"token\": \"tok-password\", \"token_state\": \"password_changed\"},"
  "  {\"id\": \"10000000000005\", \"token\": \"tok-invalid\", \"token_state\": \"invalid\"},"
  "  {\"id\": \"10000000000006\", \"token\": \"tok-past\", \"expires_at\": 1781540000}"
  " ],"
  " \"accounts\": ["
  "  {\"id\": \"" IG_A "\", \"username\": \"test.a\", \"followers_count\": 1234, \"call_limit\": 10},"
  "  {\"id\": \"" IG_B "\", \"username\": \"test.b\"},"
  "  {\"id\": \"" IG_C "\", \"username\": \"test.c\"}"
  " ]"
  "}";

typedef struct
{
  GraphSim    *sim;
  SoupSession *session;
  char        *base;
} Fixture;

typedef struct
{
  guint               status;
  SoupMessageHeaders *headers;
  char               *text;
  JsonNode           *root;
  GError             *error;
} Response;

static void
response_free (Response *r)
{
  g_clear_pointer (&r->headers, soup_message_headers_unref);
  g_clear_pointer (&r->root, json_node_unref);
  g_clear_error (&r->error);
  g_free (r->text);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->sim = graph_sim_new ();
  g_assert_true (graph_sim_load_scenario_data (f->sim, scenario, -1, &error));
  g_assert_no_error (error);
  graph_sim_set_now (f->sim, NOW);
  g_assert_true (graph_sim_start (f->sim, 0, &error));
  g_assert_no_error (error);
  f->base = graph_sim_get_base_url (f->sim);
  g_assert_true (g_str_has_prefix (f->base, "http://127.0.0.1:"));
  f->session = soup_session_new ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->session);
  graph_sim_stop (f->sim);
  g_assert_finalize_object (f->sim);
  g_free (f->base);
}

/* Sends one request; @target is either a full URL or a path below the
 * simulator's base URL. */
static Response *
send_full (Fixture    *f,
           const char *method,
           const char *target,
           const char *form,
           const char *bearer,
           gboolean    follow)
{
  g_autofree char *url = g_str_has_prefix (target, "http") ? g_strdup (target) :
                         g_strconcat (f->base, target, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  Response *r = g_new0 (Response, 1);

  g_assert_nonnull (msg);
  if (!follow)
    soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  if (bearer != NULL)
    {
      g_autofree char *value = g_strdup_printf ("Bearer %s", bearer);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
    }
  if (form != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (form, strlen (form));

      soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
    }

  body = soup_session_send_and_read (f->session, msg, NULL, &r->error);
  if (body == NULL)
    return r;

  r->status = soup_message_get_status (msg);
  r->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  r->text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  if (r->text == NULL)
    r->text = g_strdup ("");
  if (json_parser_load_from_data (parser, r->text, -1, NULL) &&
      json_parser_get_root (parser) != NULL)
    r->root = json_node_ref (json_parser_get_root (parser));

  return r;
}

static Response *
get (Fixture    *f,
     const char *target)
{
  return send_full (f, "GET", target, NULL, NULL, TRUE);
}

G_GNUC_PRINTF (2, 3)
static Response *
getf (Fixture    *f,
      const char *format,
      ...)
{
  g_autofree char *target = NULL;
  va_list args;

  va_start (args, format);
  target = g_strdup_vprintf (format, args);
  va_end (args);

  return get (f, target);
}

static JsonObject *
root_object (Response *r)
{
  g_assert_no_error (r->error);
  g_assert_nonnull (r->root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (r->root));

  return json_node_get_object (r->root);
}

static void
assert_graph_error (Response   *r,
                    guint       status,
                    gint64      code,
                    gint64      subcode,
                    const char *message_prefix)
{
  JsonObject *error;

  g_assert_cmpuint (r->status, ==, status);
  g_assert_true (json_object_has_member (root_object (r), "error"));
  error = json_object_get_object_member (root_object (r), "error");
  g_assert_cmpstr (json_object_get_string_member (error, "type"), ==, "OAuthException");
  g_assert_cmpint (json_object_get_int_member (error, "code"), ==, code);
  if (subcode == 0)
    g_assert_false (json_object_has_member (error, "error_subcode"));
  else
    g_assert_cmpint (json_object_get_int_member (error, "error_subcode"), ==, subcode);
  g_assert_nonnull (json_object_get_string_member (error, "fbtrace_id"));
  if (message_prefix != NULL)
    {
      const char *message = json_object_get_string_member (error, "message");

      if (!g_str_has_prefix (message, message_prefix))
        g_error ("message “%s” does not start with “%s”", message, message_prefix);
    }
}

static GTimeZone *
pacific (void)
{
  static GTimeZone *tz;

  if (tz == NULL)
    tz = g_time_zone_new_identifier ("America/Los_Angeles");
  g_assert_nonnull (tz);

  return tz;
}

/* The test's own notion of Pacific midnight, kept apart from the
 * simulator's on purpose. */
static gint64
midnight (int y,
          int m,
          int d)
{
  g_autoptr(GDateTime) dt = g_date_time_new (pacific (), y, m, d, 0, 0, 0);

  return g_date_time_to_unix (dt);
}

static void
set_date (GDate *date,
          int    y,
          int    m,
          int    d)
{
  g_date_clear (date, 1);
  g_date_set_dmy (date, d, m, y);
}

static guint32
expected_seed (const char *id)
{
  guint32 h = 0;

  for (const char *p = id; *p != '\0'; p++)
    h = (guint32) (((guint64) h * 31 + (guchar) *p) % 1000003);

  return h;
}

static JsonObject *
data_item (Response *r,
           guint     index)
{
  JsonArray *data = json_object_get_array_member (root_object (r), "data");

  g_assert_cmpuint (json_array_get_length (data), >, index);

  return json_array_get_object_element (data, index);
}

static gint64
usage_value (Response   *r,
             const char *header,
             const char *key)
{
  const char *value = soup_message_headers_get_one (r->headers, header);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  g_assert_nonnull (value);
  g_assert_true (json_parser_load_from_data (parser, value, -1, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  if (json_object_has_member (object, IG_A))
    object = json_array_get_object_element (json_object_get_array_member (object, IG_A), 0);

  return json_object_get_int_member (object, key);
}

/* Tests */

static void
test_formula (void)
{
  GDate day, first, last;
  gint64 d, sum = 0, max = 0;
  guint32 seed = expected_seed (IG_A);

  /* Hand-checked seed for a one-byte id: '1' is 49. */
  set_date (&day, 2026, 6, 14);
  d = g_date_get_julian (&day);
  g_assert_cmpint (graph_sim_daily_value ("1", "reach", &day), ==, 1000 + 49 + (d * 3 + 49) % 97);
  g_assert_cmpint (graph_sim_daily_value ("1", "impressions", &day), ==, 6000 + 49 + (d * 18 + 49) % 97);

  g_assert_cmpint (graph_sim_daily_value (IG_A, "likes", &day), ==,
                   150 + seed % 500 + (d * 9 + seed) % 97);
  g_assert_cmpint (graph_sim_daily_value (IG_A, "follower_count", &day), ==,
                   5 + seed % 500 + (d * 6 + seed) % 97);

  set_date (&first, 2026, 6, 10);
  set_date (&last, 2026, 6, 12);
  for (day = first; g_date_compare (&day, &last) <= 0; g_date_add_days (&day, 1))
    {
      gint64 v = graph_sim_daily_value (IG_A, "reach", &day);

      sum += v;
      max = MAX (max, v);
    }
  g_assert_cmpint (graph_sim_total_value (IG_A, "reach", &first, &last), ==, max + (sum - max) / 3);
  g_assert_cmpint (graph_sim_total_value (IG_A, "reach", &first, &last), <, sum);
  g_assert_cmpint (graph_sim_total_value (IG_A, "reach", &first, &first), ==,
                   graph_sim_daily_value (IG_A, "reach", &first));

  sum = 0;
  for (day = first; g_date_compare (&day, &last) <= 0; g_date_add_days (&day, 1))
    sum += graph_sim_daily_value (IG_A, "likes", &day);
  g_assert_cmpint (graph_sim_total_value (IG_A, "likes", &first, &last), ==, sum);
}

static void
test_time_series (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Response) r = NULL;
  JsonObject *item;
  JsonArray *values;
  GDate day;
  static const char * const end_times[] = {
    "2026-06-11T07:00:00+0000", "2026-06-12T07:00:00+0000", "2026-06-13T07:00:00+0000",
  };

  r = getf (f, "/v22.0/" IG_A "/insights?metric=reach&period=day&metric_type=time_series"
               "&since=%" G_GINT64_FORMAT "&until=%" G_GINT64_FORMAT "&access_token=tok-1",
            midnight (2026, 6, 10), midnight (2026, 6, 13));
  g_assert_cmpuint (r->status, ==, 200);
  item = data_item (r, 0);
  g_assert_cmpstr (json_object_get_string_member (item, "name"), ==, "reach");
  g_assert_cmpstr (json_object_get_string_member (item, "period"), ==, "day");
  g_assert_cmpstr (json_object_get_string_member (item, "id"), ==, IG_A "/insights/reach/day");
  g_assert_nonnull (json_object_get_string_member (item, "title"));
  g_assert_nonnull (json_object_get_string_member (item, "description"));

  values = json_object_get_array_member (item, "values");
  g_assert_cmpuint (json_array_get_length (values), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *value = json_array_get_object_element (values, i);

      set_date (&day, 2026, 6, 10 + i);
      g_assert_cmpint (json_object_get_int_member (value, "value"), ==,
                       graph_sim_daily_value (IG_A, "reach", &day));
      g_assert_cmpstr (json_object_get_string_member (value, "end_time"), ==, end_times[i]);
    }
}

static void
test_dst_fall (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(Response) r = NULL;
  JsonArray *values;
  static const char * const end_times[] = {
    "2026-10-31T07:00:00+0000", "2026-11-01T07:00:00+0000", "2026-11-02T08:00:00+0000",
  };

  /* Tuesday 3 Nov 2026, 12:00 PST: summer time ended on Sunday 1 Nov. */
  graph_sim_set_now (f->sim, 1793736000);
  r = getf (f, "/v22.0/" IG_A "/insights?metric=reach&period=day"
               "&since=%" G_GINT64_FORMAT "&until=%" G_GINT64_FORMAT "&access_token=tok-1",
            midnight (2026, 10, 30), midnight (2026, 11, 2));
  g_assert_cmpuint (r->status, ==, 200);
  values = json_object_get_array_member (data_item (r, 0), "values");
  g_assert_cmpuint (json_array_get_length (values), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (values, i), "end_time"),
                     ==, end_times[i]);
}

static void
test_dst_spring (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Response) r = NULL;
  JsonArray *values;
  GDate day;

  /* Tuesday 10 Mar 2026, 12:00 PDT: summer time began on Sunday 8 Mar,
   * a 23-hour day. */
  graph_sim_set_now (f->sim, 1773169200);
  r = getf (f, "/v22.0/" IG_B "/insights?metric=reach&period=day"
               "&since=%" G_GINT64_FORMAT "&until=%" G_GINT64_FORMAT "&access_token=tok-1",
            midnight (2026, 3, 7), midnight (2026, 3, 9));
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpint (midnight (2026, 3, 9) - midnight (2026, 3, 8), ==, 23 * 3600);
  values = json_object_get_array_member (data_item (r, 0), "values");
  g_assert_cmpuint (json_array_get_length (values), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (values, 0), "end_time"),
                   ==, "2026-03-08T08:00:00+0000");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (values, 1), "end_time"),
                   ==, "2026-03-09T07:00:00+0000");
  set_date (&day, 2026, 3, 8);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (values, 1), "value"),
                   ==, graph_sim_daily_value (IG_B, "reach", &day));
}

static void
test_total_value (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Response) r = NULL;
  GDate first, last, day;
  gint64 reach, sum = 0;

  r = getf (f, "/v22.0/" IG_A "/insights?metric=reach,likes,profile_views&period=day"
               "&metric_type=total_value&since=%" G_GINT64_FORMAT "&until=%" G_GINT64_FORMAT
               "&access_token=tok-1",
            midnight (2026, 6, 1), midnight (2026, 6, 8));
  g_assert_cmpuint (r->status, ==, 200);

  set_date (&first, 2026, 6, 1);
  set_date (&last, 2026, 6, 7);
  reach = json_object_get_int_member (json_object_get_object_member (data_item (r, 0), "total_value"), "value");
  g_assert_cmpint (reach, ==, graph_sim_total_value (IG_A, "reach", &first, &last));
  for (day = first; g_date_compare (&day, &last) <= 0; g_date_add_days (&day, 1))
    sum += graph_sim_daily_value (IG_A, "reach", &day);
  g_assert_cmpint (reach, <, sum);

  g_assert_cmpstr (json_object_get_string_member (data_item (r, 1), "name"), ==, "likes");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (data_item (r, 1), "total_value"), "value"),
                   ==, graph_sim_total_value (IG_A, "likes", &first, &last));
  g_assert_cmpstr (json_object_get_string_member (data_item (r, 2), "id"), ==,
                   IG_A "/insights/profile_views/day");
  g_assert_false (json_object_has_member (data_item (r, 2), "values"));
}

static void
test_partial_day (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Response) r = NULL;
  g_autoptr(Response) total = NULL;
  JsonArray *values;
  GDate yesterday, today;
  gint64 today_part;

  /* No since/until: the last 24 hours, i.e. yesterday and today so far. */
  r = get (f, "/v22.0/" IG_A "/insights?metric=reach&period=day&access_token=tok-1");
  g_assert_cmpuint (r->status, ==, 200);
  values = json_object_get_array_member (data_item (r, 0), "values");
  g_assert_cmpuint (json_array_get_length (values), ==, 2);

  set_date (&yesterday, 2026, 6, 14);
  set_date (&today, 2026, 6, 15);
  today_part = graph_sim_daily_value (IG_A, "reach", &today) * (NOW - midnight (2026, 6, 15)) / 86400;
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (values, 0), "value"),
                   ==, graph_sim_daily_value (IG_A, "reach", &yesterday));
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (values, 1), "value"),
                   ==, today_part);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (values, 1), "end_time"),
                   ==, "2026-06-16T07:00:00+0000");

  /* Later the same day the running value has grown. */
  graph_sim_set_now (f->sim, NOW + 3600);
  total = get (f, "/v22.0/" IG_A "/insights?metric=likes&period=day&metric_type=total_value"
                  "&access_token=tok-1");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (data_item (total, 0), "total_value"), "value"),
                   ==,
                   graph_sim_daily_value (IG_A, "likes", &yesterday) +
                   graph_sim_daily_value (IG_A, "likes", &today) * (NOW + 3600 - midnight (2026, 6, 15)) / 86400);
}

static gint64
sum_results (JsonObject *total_value,
             const char *dimension)
{
  JsonObject *breakdown = json_array_get_object_element (json_object_get_array_member (total_value, "breakdowns"), 0);
  JsonArray *keys = json_object_get_array_member (breakdown, "dimension_keys");
  JsonArray *results = json_object_get_array_member (breakdown, "results");
  gint64 sum = 0;

  g_assert_cmpstr (json_array_get_string_element (keys, 0), ==, dimension);
  g_assert_cmpuint (json_array_get_length (results), >=, 2);
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);

      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (result, "dimension_values")), ==, 1);
      sum += json_object_get_int_member (result, "value");
    }

  return sum;
}

static void
test_breakdowns (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Response) reach = NULL;
  g_autoptr(Response) follows = NULL;
  g_autoptr(Response) bad = NULL;
  g_autoptr(Response) ignored = NULL;
  JsonObject *total;
  GDate first, last;
  gint64 since = midnight (2026, 6, 1), until = midnight (2026, 6, 4);

  set_date (&first, 2026, 6, 1);
  set_date (&last, 2026, 6, 3);

  reach = getf (f, "/v22.0/" IG_A "/insights?metric=reach&period=day&metric_type=total_value"
                   "&breakdown=media_product_type&since=%" G_GINT64_FORMAT "&until=%" G_GINT64_FORMAT
                   "&access_token=tok-1", since, until);
  g_assert_cmpuint (reach->status, ==, 200);
  total = json_object_get_object_member (data_item (reach, 0), "total_value");
  g_assert_cmpint (json_object_get_int_member (total, "value"), ==,
                   graph_sim_total_value (IG_A, "reach", &first, &last));
  g_assert_cmpint (sum_results (total, "media_product_type"), ==, json_object_get_int_member (total, "value"));

  follows = getf (f, "/v22.0/" IG_A "/insights?metric=follows_and_unfollows&period=day"
                     "&metric_type=total_value&breakdown=follow_type&since=%" G_GINT64_FORMAT
                     "&until=%" G_GINT64_FORMAT "&access_token=tok-1", since, until);
  g_assert_cmpuint (follows->status, ==, 200);
  total = json_object_get_object_member (data_item (follows, 0), "total_value");
  g_assert_false (json_object_has_member (total, "value"));
  g_assert_cmpint (sum_results (total, "follow_type"), ==,
                   graph_sim_total_value (IG_A, "follows_and_unfollows", &first, &last));

  bad = getf (f, "/v22.0/" IG_A "/insights?metric=likes&period=day&metric_type=total_value"
                 "&breakdown=follow_type&since=%" G_GINT64_FORMAT "&until=%" G_GINT64_FORMAT
                 "&access_token=tok-1", since, until);
  assert_graph_error (bad, 400, 1, 0, "An unknown error has occurred.");

  /* Time series drop breakdowns without complaint. */
  ignored = getf (f, "/v22.0/" IG_A "/insights?metric=reach&period=day&breakdown=contact_button_type"
                     "&since=%" G_GINT64_FORMAT "&until=%" G_GINT64_FORMAT "&access_token=tok-1",
                  since, until);
  g_assert_cmpuint (ignored->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (data_item (ignored, 0), "values")), ==, 3);
}

static void
test_validation (Fixture       *f,
                 gconstpointer  data)
{
  gint64 today = midnight (2026, 6, 15);
  struct {
    const char *query;
    gint64 code;
    gint64 subcode;
    const char *message;
  } cases[] = {
    { "metric=reach,bogus&period=day", 100, 0, "(#100) metric[1] must be one of the following values: reach, " },
    { "metric=impressions&period=day", 100, 0,
      "(#100) Starting from version 22 and above, the impressions metric is no longer supported for "
      "the queried user. Please use views metric instead." },
    { "metric=reach,profile_views,views,follower_count,accounts_engaged&period=day", 100, 0,
      "(#100) The following metrics (profile_views,views,accounts_engaged) should be specified with "
      "parameter metric_type=total_value" },
    { "metric=views&period=day&metric_type=time_series", 100, 0,
      "(#100) The following metrics (views) should be specified with parameter metric_type=total_value" },
    { "metric=likes,follower_count&period=day&metric_type=total_value", 100, 0,
      "(#100) The following metrics (follower_count)" },
    { "metric=reach&period=day&since=1779000000&until=1781600000", 100, 0,
      "(#100) There cannot be more than 30 days (2592000 s) between since and until" },
    { "metric=reach&period=day&since=1700000000&until=1700086400", 100, 0,
      "(#100) since param is not valid. Metrics data is available for the last 2 years" },
    { "metric=reach&period=day&since=1781560000&until=1781600000", 100, 0,
      "(#100) since param is not valid. Metrics data is available for the last 2 years" },
  };
  g_autoptr(Response) old_follower = NULL;
  g_autoptr(Response) today_follower = NULL;
  g_autoptr(Response) good_follower = NULL;
  g_autoptr(Response) edge_follower = NULL;
  g_autoptr(Response) v21 = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Response) r = getf (f, "/v22.0/" IG_A "/insights?%s&access_token=tok-1", cases[i].query);

      g_test_message ("case %u: %s", i, cases[i].query);
      assert_graph_error (r, 400, cases[i].code, cases[i].subcode, cases[i].message);
    }

  /* follower_count: the last 30 days, not today; it takes reach down too. */
  old_follower = getf (f, "/v22.0/" IG_A "/insights?metric=reach,follower_count&period=day"
                          "&since=%" G_GINT64_FORMAT "&until=%" G_GINT64_FORMAT "&access_token=tok-1",
                       midnight (2026, 5, 15), midnight (2026, 5, 20));
  assert_graph_error (old_follower, 400, 100, 0,
                      "(#100) (follower_count) metric only supports querying data for the last 30 days "
                      "excluding the current day");
  today_follower = getf (f, "/v22.0/" IG_A "/insights?metric=follower_count&period=day"
                            "&since=%" G_GINT64_FORMAT "&until=%" G_GINT64_FORMAT "&access_token=tok-1",
                         today - 86400, today + 3600);
  assert_graph_error (today_follower, 400, 100, 0, "(#100) (follower_count) metric only supports");
  /* Thirty days back from this second: the start of day today-30 is
   * already too old, the start of day today-29 is not. */
  edge_follower = getf (f, "/v22.0/" IG_A "/insights?metric=follower_count&period=day"
                           "&since=%" G_GINT64_FORMAT "&until=%" G_GINT64_FORMAT "&access_token=tok-1",
                        midnight (2026, 5, 16), today);
  assert_graph_error (edge_follower, 400, 100, 0, "(#100) (follower_count) metric only supports");
  good_follower = getf (f, "/v22.0/" IG_A "/insights?metric=follower_count&period=day"
                           "&since=%" G_GINT64_FORMAT "&until=%" G_GINT64_FORMAT "&access_token=tok-1",
                        midnight (2026, 5, 17), today);
  g_assert_cmpuint (good_follower->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (data_item (good_follower, 0), "values")), ==, 29);

  /* Below v22 impressions still answer. */
  v21 = getf (f, "/v21.0/" IG_A "/insights?metric=impressions&period=day"
                 "&since=%" G_GINT64_FORMAT "&until=%" G_GINT64_FORMAT "&access_token=tok-1",
              midnight (2026, 6, 1), midnight (2026, 6, 2));
  g_assert_cmpuint (v21->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (v21->headers, "facebook-api-version"), ==, "v21.0");
}

static void
test_objects (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(Response) missing = get (f, "/v22.0/17841499999999999/insights?metric=reach&period=day&access_token=tok-1");
  g_autoptr(Response) foreign = get (f, "/v22.0/" IG_C "/insights?metric=reach&period=day&access_token=tok-1");
  g_autoptr(Response) node = get (f, "/v22.0/" IG_A "?fields=id,username,followers_count&access_token=tok-1");
  g_autoptr(Response) bad_field = get (f, "/v22.0/" IG_A "?fields=username,bogus&access_token=tok-1");
  g_autoptr(Response) foreign_node = get (f, "/v22.0/" IG_C "?fields=username&access_token=tok-1");

  assert_graph_error (missing, 400, 100, 33,
                      "Unsupported get request. Object with ID '17841499999999999' does not exist, "
                      "cannot be loaded due to missing permissions, or does not support this operation");
  assert_graph_error (foreign, 400, 100, 33, "Unsupported get request. Object with ID '" IG_C "'");
  assert_graph_error (foreign_node, 400, 100, 33, NULL);

  g_assert_cmpuint (node->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (root_object (node), "id"), ==, IG_A);
  g_assert_cmpstr (json_object_get_string_member (root_object (node), "username"), ==, "test.a");
  g_assert_cmpint (json_object_get_int_member (root_object (node), "followers_count"), ==, 1234);
  g_assert_false (json_object_has_member (root_object (node), "media_count"));

  assert_graph_error (bad_field, 400, 100, 0, "(#100) Tried accessing nonexisting field (bogus)");
}

/* What profile_picture_url points at: a picture for a known account, not
 * counted as an API call, and 404 for anything else. */
static void
test_profile_picture (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Response) node = get (f, "/v22.0/" IG_A "?fields=profile_picture_url&access_token=tok-1");
  g_autoptr(Response) picture = NULL;
  g_autoptr(Response) unknown = get (f, "/static/profile/17841499999999999.png");
  g_autoptr(GUri) uri = NULL;
  const char *url;
  guint calls;

  g_assert_cmpuint (node->status, ==, 200);
  url = json_object_get_string_member (root_object (node), "profile_picture_url");
  g_assert_true (g_str_has_suffix (url, "/static/profile/" IG_A ".png"));
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_assert_nonnull (uri);

  calls = graph_sim_get_api_call_count (f->sim);
  picture = get (f, g_uri_get_path (uri));
  g_assert_cmpuint (picture->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (picture->headers, NULL), ==, "image/png");
  g_assert_true (g_str_has_prefix (picture->text, "\x89PNG\r\n"));
  g_assert_cmpuint (graph_sim_get_api_call_count (f->sim), ==, calls);

  g_assert_cmpuint (unknown->status, ==, 404);
}

static void
test_tokens (Fixture       *f,
             gconstpointer  data)
{
  const char *path = "/v22.0/" IG_A "/insights?metric=reach&period=day&access_token=";
  g_autoptr(Response) unknown = getf (f, "%sgarbage", path);
  g_autoptr(Response) expired = getf (f, "%stok-expired", path);
  g_autoptr(Response) password = getf (f, "%stok-password", path);
  g_autoptr(Response) invalid = getf (f, "%stok-invalid", path);
  g_autoptr(Response) past = get (f, "/v22.0/me?access_token=tok-past");
  g_autoptr(Response) none = get (f, "/v22.0/me");
  g_autoptr(Response) bearer = send_full (f, "GET", "/v22.0/" IG_A "/insights?metric=reach&period=day",
                                          NULL, "tok-1", TRUE);
  g_autoptr(Response) revoked = NULL;
  g_autoptr(Response) restored = NULL;
  const char *message;

  assert_graph_error (unknown, 400, 190, 0, "Invalid OAuth access token");
  assert_graph_error (expired, 400, 190, 463, "Error validating access token: Session has expired on ");
  message = json_object_get_string_member (json_object_get_object_member (root_object (expired), "error"), "message");
  /* 15 Jun 2026 is summer: the times are PDT. */
  g_assert_nonnull (strstr (message, "The current time is Monday, 15-Jun-26 12:00:00 PDT."));
  assert_graph_error (password, 400, 190, 460,
                      "Error validating access token: The session has been invalidated because the user "
                      "changed their password or Facebook has changed the session for security reasons.");
  assert_graph_error (invalid, 400, 190, 467,
                      "Error validating access token: The session is invalid because the user logged out.");
  assert_graph_error (past, 400, 190, 463, "Error validating access token: Session has expired on ");
  assert_graph_error (none, 400, 104, 0, NULL);
  g_assert_cmpuint (bearer->status, ==, 200);

  g_assert_true (graph_sim_set_token_state (f->sim, "tok-1", "password_changed"));
  revoked = getf (f, "%stok-1", path);
  assert_graph_error (revoked, 400, 190, 460, NULL);
  g_assert_true (graph_sim_set_token_state (f->sim, "tok-1", "valid"));
  restored = getf (f, "%stok-1", path);
  g_assert_cmpuint (restored->status, ==, 200);
  g_assert_false (graph_sim_set_token_state (f->sim, "no-such-token", "valid"));
  g_assert_false (graph_sim_set_token_state (f->sim, "tok-1", "sleepy"));
}

static void
test_me_accounts (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Response) first = get (f, "/v22.0/me/accounts?fields=id,name,access_token,instagram_business_account&limit=2&access_token=tok-1");
  g_autoptr(Response) second = NULL;
  g_autoptr(Response) all = get (f, "/v22.0/me/accounts?access_token=tok-1");
  g_autoptr(Response) page_token_use = NULL;
  JsonObject *paging;
  JsonObject *page;
  const char *next;

  g_assert_cmpuint (first->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root_object (first), "data")), ==, 2);
  page = data_item (first, 0);
  g_assert_cmpstr (json_object_get_string_member (page, "id"), ==, "200000000000001");
  g_assert_cmpstr (json_object_get_string_member (page, "name"), ==, "Page A");
  g_assert_nonnull (json_object_get_string_member (page, "access_token"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (page, "instagram_business_account"), "id"),
                   ==, IG_A);
  paging = json_object_get_object_member (root_object (first), "paging");
  g_assert_nonnull (json_object_get_string_member (json_object_get_object_member (paging, "cursors"), "before"));
  g_assert_nonnull (json_object_get_string_member (json_object_get_object_member (paging, "cursors"), "after"));
  next = json_object_get_string_member (paging, "next");
  g_assert_nonnull (next);
  g_assert_nonnull (strstr (next, "access_token=tok-1"));

  second = get (f, next);
  g_assert_cmpuint (second->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root_object (second), "data")), ==, 1);
  page = data_item (second, 0);
  g_assert_cmpstr (json_object_get_string_member (page, "id"), ==, "200000000000003");
  g_assert_false (json_object_has_member (page, "instagram_business_account"));
  g_assert_false (json_object_has_member (json_object_get_object_member (root_object (second), "paging"), "next"));

  /* Default page size 25: everything on one page, no next. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root_object (all), "data")), ==, 3);
  g_assert_false (json_object_has_member (json_object_get_object_member (root_object (all), "paging"), "next"));

  /* The page token acts for the same user. */
  page_token_use = getf (f, "/v22.0/" IG_A "?access_token=%s",
                         json_object_get_string_member (data_item (first, 0), "access_token"));
  g_assert_cmpuint (page_token_use->status, ==, 200);
}

static void
test_debug_token (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Response) valid = get (f, "/debug_token?input_token=tok-1&access_token=" APP_TOKEN);
  g_autoptr(Response) expired = get (f, "/v22.0/debug_token?input_token=tok-expired&access_token=" APP_TOKEN);
  g_autoptr(Response) unknown = get (f, "/debug_token?input_token=nope&access_token=" APP_TOKEN);
  g_autoptr(Response) wrong_app = get (f, "/debug_token?input_token=tok-1&access_token=100000000000001|wrong");
  JsonObject *d;

  g_assert_cmpuint (valid->status, ==, 200);
  d = json_object_get_object_member (root_object (valid), "data");
  g_assert_true (json_object_get_boolean_member (d, "is_valid"));
  g_assert_cmpstr (json_object_get_string_member (d, "app_id"), ==, "100000000000001");
  g_assert_cmpstr (json_object_get_string_member (d, "type"), ==, "USER");
  g_assert_cmpstr (json_object_get_string_member (d, "application"), ==, "InstaSync Simulator");
  g_assert_cmpstr (json_object_get_string_member (d, "user_id"), ==, "10000000000001");
  g_assert_cmpint (json_object_get_int_member (d, "expires_at"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (d, "data_access_expires_at"), >, NOW);
  g_assert_true (json_object_has_member (d, "issued_at"));
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (d, "scopes"), 0), ==,
                   "instagram_basic");

  d = json_object_get_object_member (root_object (expired), "data");
  g_assert_false (json_object_get_boolean_member (d, "is_valid"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (d, "error"), "code"), ==, 190);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (d, "error"), "subcode"), ==, 463);

  d = json_object_get_object_member (root_object (unknown), "data");
  g_assert_false (json_object_get_boolean_member (d, "is_valid"));
  g_assert_true (json_object_has_member (d, "error"));

  assert_graph_error (wrong_app, 400, 190, 0, NULL);
}

static void
test_oauth (Fixture       *f,
            gconstpointer  data)
{
  const char *exchange = "/v22.0/oauth/access_token?client_id=100000000000001&client_secret=sim-app-secret"
                         "&redirect_uri=https%3A%2F%2Fwww.facebook.com%2Fconnect%2Flogin_success.html";
  g_autoptr(Response) code = getf (f, "%s&code=code-1", exchange);
  g_autoptr(Response) reused = getf (f, "%s&code=code-1", exchange);
  g_autoptr(Response) secret = get (f, "/v22.0/oauth/access_token?client_id=100000000000001"
                                       "&client_secret=wrong&redirect_uri=x&code=code-1");
  g_autoptr(Response) long_lived = NULL;
  g_autoptr(Response) with_new = NULL;
  g_autoptr(Response) with_old = NULL;
  g_autoptr(Response) from_code = NULL;
  g_autoptr(Response) expired = NULL;
  g_autoptr(Response) debug = NULL;
  const char *fresh;

  g_assert_cmpuint (code->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (root_object (code), "token_type"), ==, "bearer");
  g_assert_cmpint (json_object_get_int_member (root_object (code), "expires_in"), ==, 5183976);
  from_code = getf (f, "/v22.0/" IG_A "?access_token=%s",
                    json_object_get_string_member (root_object (code), "access_token"));
  g_assert_cmpuint (from_code->status, ==, 200);
  assert_graph_error (reused, 400, 100, 36009, "This authorization code has been used.");
  assert_graph_error (secret, 400, 1, 0, "Error validating client secret.");

  long_lived = get (f, "/v22.0/oauth/access_token?grant_type=fb_exchange_token&client_id=100000000000001"
                       "&client_secret=sim-app-secret&fb_exchange_token=tok-1");
  g_assert_cmpuint (long_lived->status, ==, 200);
  fresh = json_object_get_string_member (root_object (long_lived), "access_token");
  g_assert_cmpstr (fresh, !=, "tok-1");
  g_assert_cmpint (json_object_get_int_member (root_object (long_lived), "expires_in"), ==, 5183944);
  g_assert_cmpstr (json_object_get_string_member (root_object (long_lived), "token_type"), ==, "bearer");

  with_new = getf (f, "/v22.0/" IG_A "/insights?metric=reach&period=day&access_token=%s", fresh);
  g_assert_cmpuint (with_new->status, ==, 200);
  with_old = get (f, "/v22.0/" IG_A "/insights?metric=reach&period=day&access_token=tok-1");
  g_assert_cmpuint (with_old->status, ==, 200);
  debug = getf (f, "/debug_token?input_token=%s&access_token=" APP_TOKEN, fresh);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root_object (debug), "data"), "expires_at"),
                   ==, NOW + 5183944);

  expired = get (f, "/v22.0/oauth/access_token?grant_type=fb_exchange_token&client_id=100000000000001"
                    "&client_secret=sim-app-secret&fb_exchange_token=tok-expired");
  assert_graph_error (expired, 400, 190, 463, NULL);
}

#define DIALOG "/v22.0/dialog/oauth?client_id=100000000000001" \
               "&redirect_uri=https%3A%2F%2Fwww.facebook.com%2Fconnect%2Flogin_success.html"
#define ONBOARDING "&extras=%7B%22setup%22%3A%7B%22channel%22%3A%22IG_API_ONBOARDING%22%7D%7D"

static Response *
dialog (Fixture    *f,
        const char *query)
{
  g_autofree char *target = g_strconcat (DIALOG, query, NULL);

  return send_full (f, "GET", target, NULL, NULL, FALSE);
}

/* The parameters of a redirect's query and fragment, "_" included. */
static void
redirect_params (Response    *r,
                 const char  *expected_prefix,
                 GHashTable **query,
                 GHashTable **fragment)
{
  const char *location;
  g_autoptr(GUri) uri = NULL;

  g_assert_no_error (r->error);
  g_assert_cmpuint (r->status, ==, 302);
  location = soup_message_headers_get_one (r->headers, "Location");
  g_assert_nonnull (location);
  g_assert_true (g_str_has_prefix (location, expected_prefix));
  uri = g_uri_parse (location, G_URI_FLAGS_ENCODED, NULL);
  g_assert_nonnull (uri);
  *query = g_uri_get_query (uri) != NULL
           ? g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_WWW_FORM, NULL)
           : g_hash_table_new (g_str_hash, g_str_equal);
  *fragment = g_uri_get_fragment (uri) != NULL
              ? g_uri_parse_params (g_uri_get_fragment (uri), -1, "&", G_URI_PARAMS_WWW_FORM, NULL)
              : g_hash_table_new (g_str_hash, g_str_equal);
  g_assert_nonnull (*query);
  g_assert_nonnull (*fragment);
}

#define EXCHANGE "/v22.0/oauth/access_token?grant_type=fb_exchange_token&client_id=100000000000001" \
                 "&client_secret=sim-app-secret&fb_exchange_token="

static gint64
debug_member (Fixture    *f,
              const char *token,
              const char *member)
{
  g_autoptr(Response) debug = getf (f, "/debug_token?input_token=%s&access_token=" APP_TOKEN, token);

  return json_object_get_int_member (json_object_get_object_member (root_object (debug), "data"), member);
}

/* The reference leaves open what a long-lived token is exchanged for: a new
 * 60-day token (the default), or the same token with what it has left. */
static void
test_exchange_long_lived (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(Response) first = getf (f, "%stok-1", EXCHANGE);
  g_autoptr(Response) same = NULL;
  g_autoptr(Response) never = NULL;
  g_autoptr(Response) from_short = NULL;
  g_autoptr(Response) login = NULL;
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(GHashTable) fragment = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *long_lived = NULL;
  guint issued_before;
  GStrv issued;

  /* "new": a token of its own, whose data access ends with the old one's,
   * for only a new login renews that. */
  g_assert_cmpuint (first->status, ==, 200);
  long_lived = g_strdup (json_object_get_string_member (root_object (first), "access_token"));
  g_assert_cmpstr (long_lived, !=, "tok-1");
  g_assert_cmpint (json_object_get_int_member (root_object (first), "expires_in"), ==, 5183944);
  g_assert_cmpint (debug_member (f, long_lived, "data_access_expires_at"), ==,
                   debug_member (f, "tok-1", "data_access_expires_at"));

  /* "same": a day later, the same token and what it has left. */
  g_assert_true (graph_sim_set_exchange_long_lived (f->sim, "same"));
  graph_sim_set_now (f->sim, NOW + 86400);
  issued = graph_sim_dup_issued_tokens (f->sim);
  issued_before = g_strv_length (issued);
  g_strfreev (issued);
  same = getf (f, "%s%s", EXCHANGE, long_lived);
  g_assert_cmpuint (same->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (root_object (same), "access_token"), ==, long_lived);
  g_assert_cmpint (json_object_get_int_member (root_object (same), "expires_in"), ==, 5183944 - 86400);
  g_assert_cmpint (debug_member (f, long_lived, "expires_at"), ==, NOW + 5183944);
  issued = graph_sim_dup_issued_tokens (f->sim);
  g_assert_cmpuint (g_strv_length (issued), ==, issued_before);
  g_strfreev (issued);

  /* A token that never expires comes back without a lifetime. */
  never = getf (f, "%stok-1", EXCHANGE);
  g_assert_cmpstr (json_object_get_string_member (root_object (never), "access_token"), ==, "tok-1");
  g_assert_false (json_object_has_member (root_object (never), "expires_in"));

  /* A short-lived token is still made long-lived. */
  login = dialog (f, "&response_type=token&sim_outcome=approve");
  redirect_params (login, "https://www.facebook.com/connect/login_success.html#", &query, &fragment);
  from_short = getf (f, "%s%s", EXCHANGE, (const char *) g_hash_table_lookup (fragment, "access_token"));
  g_assert_cmpuint (from_short->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (root_object (from_short), "access_token"), !=,
                   g_hash_table_lookup (fragment, "access_token"));
  g_assert_cmpint (json_object_get_int_member (root_object (from_short), "expires_in"), ==, 5183944);

  /* Back to the default, and the same switch in a scenario. */
  g_assert_true (graph_sim_set_exchange_long_lived (f->sim, "new"));
  {
    g_autoptr(Response) again = getf (f, "%s%s", EXCHANGE, long_lived);

    g_assert_cmpstr (json_object_get_string_member (root_object (again), "access_token"), !=, long_lived);
  }
  g_assert_false (graph_sim_set_exchange_long_lived (f->sim, "older"));

  g_assert_true (graph_sim_load_scenario_data (f->sim,
                                               "{\"app\": {\"exchange_long_lived\": \"same\"},"
                                               " \"users\": [{\"id\": \"1\", \"token\": \"t\","
                                               "              \"expires_at\": 1782000000}]}",
                                               -1, &error));
  g_assert_no_error (error);
  graph_sim_set_now (f->sim, NOW);
  {
    g_autoptr(Response) scenario_same = getf (f, "%st", EXCHANGE);

    g_assert_cmpstr (json_object_get_string_member (root_object (scenario_same), "access_token"), ==, "t");
    g_assert_cmpint (json_object_get_int_member (root_object (scenario_same), "expires_in"), ==,
                     1782000000 - NOW);
  }
  g_assert_false (graph_sim_load_scenario_data (f->sim, "{\"app\": {\"exchange_long_lived\": 1}}", -1,
                                                &error));
  g_assert_error (error, GRAPH_SIM_ERROR, GRAPH_SIM_ERROR_SCENARIO);
  g_clear_error (&error);
  g_assert_false (graph_sim_load_scenario_data (f->sim, "{\"app\": {\"exchange_long_lived\": \"old\"}}",
                                                -1, &error));
  g_assert_error (error, GRAPH_SIM_ERROR, GRAPH_SIM_ERROR_SCENARIO);
}

/* Data access that has ended is only reported by default; enforced, every
 * call for the user's data is refused with 190, while debug_token still
 * calls the token valid. */
static void
test_data_access_expiry (Fixture       *f,
                         gconstpointer  data)
{
  const char *json =
    "{\"users\": [{\"id\": \"1\", \"token\": \"ended\", \"data_access_expires_at\": 1781540000,"
    "              \"pages\": [{\"id\": \"2\", \"instagram_business_account\": \"" IG_A "\"}]},"
    "             {\"id\": \"3\", \"token\": \"fine\", \"data_access_expires_at\": 1781560000,"
    "              \"pages\": [{\"id\": \"4\", \"instagram_business_account\": \"" IG_B "\"}]}]}";
  const char *enforced = "{\"app\": {\"data_access_expiry\": \"enforced\"},"
                         " \"users\": [{\"id\": \"1\", \"token\": \"ended\","
                         "              \"data_access_expires_at\": 1781540000}]}";
  g_autoptr(GError) error = NULL;

  g_assert_true (graph_sim_load_scenario_data (f->sim, json, -1, &error));
  g_assert_no_error (error);
  graph_sim_set_now (f->sim, NOW);

  {
    g_autoptr(Response) ignored = get (f, "/v22.0/" IG_A "/insights?metric=reach&period=day&access_token=ended");

    g_assert_cmpuint (ignored->status, ==, 200);
  }

  g_assert_true (graph_sim_set_data_access_expiry (f->sim, "enforced"));
  {
    g_autoptr(Response) insights = get (f, "/v22.0/" IG_A "/insights?metric=reach&period=day&access_token=ended");
    g_autoptr(Response) node = get (f, "/v22.0/" IG_A "?access_token=ended");
    g_autoptr(Response) me = get (f, "/v22.0/me/accounts?access_token=ended");
    g_autoptr(Response) fine = get (f, "/v22.0/" IG_B "/insights?metric=reach&period=day&access_token=fine");

    assert_graph_error (insights, 400, 190, 0, "Error validating access token: Data access for this user has expired.");
    assert_graph_error (node, 400, 190, 0, "Error validating access token: Data access");
    assert_graph_error (me, 400, 190, 0, "Error validating access token: Data access");
    g_assert_cmpuint (fine->status, ==, 200);
    /* The token itself is fine: only its data access has ended. */
    g_assert_cmpint (debug_member (f, "ended", "is_valid"), ==, TRUE);
    g_assert_cmpint (debug_member (f, "ended", "data_access_expires_at"), ==, 1781540000);
  }

  /* Time passes for the other token too. */
  graph_sim_set_now (f->sim, 1781560000);
  {
    g_autoptr(Response) ended_now = get (f, "/v22.0/" IG_B "?access_token=fine");

    assert_graph_error (ended_now, 400, 190, 0, NULL);
  }

  g_assert_true (graph_sim_set_data_access_expiry (f->sim, "ignored"));
  {
    g_autoptr(Response) again = get (f, "/v22.0/" IG_B "?access_token=fine");

    g_assert_cmpuint (again->status, ==, 200);
  }
  g_assert_false (graph_sim_set_data_access_expiry (f->sim, "sometimes"));

  g_assert_true (graph_sim_load_scenario_data (f->sim, enforced, -1, &error));
  g_assert_no_error (error);
  graph_sim_set_now (f->sim, NOW);
  {
    g_autoptr(Response) me = get (f, "/v22.0/me?access_token=ended");

    assert_graph_error (me, 400, 190, 0, NULL);
  }
  g_assert_false (graph_sim_load_scenario_data (f->sim, "{\"app\": {\"data_access_expiry\": \"maybe\"}}",
                                                -1, &error));
  g_assert_error (error, GRAPH_SIM_ERROR, GRAPH_SIM_ERROR_SCENARIO);
}

static void
test_dialog_page (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Response) page = dialog (f, "&response_type=token&state=%3Cb%3E%26%22x"
                                        "&scope=instagram_basic%2Cpages_show_list" ONBOARDING);
  g_autoptr(Response) json_error = NULL;
  const char *type;

  /* Without a chosen outcome the dialog waits for a click, as Facebook's does. */
  g_assert_no_error (page->error);
  g_assert_cmpuint (page->status, ==, 200);
  g_assert_null (soup_message_headers_get_one (page->headers, "Location"));
  type = soup_message_headers_get_content_type (page->headers, NULL);
  g_assert_cmpstr (type, ==, "text/html");
  g_assert_nonnull (strstr (page->text, "<li>instagram_basic</li>"));
  g_assert_nonnull (strstr (page->text, "<li>pages_show_list</li>"));
  g_assert_nonnull (strstr (page->text, "Test User"));
  g_assert_nonnull (strstr (page->text, "name=\"sim_outcome\" value=\"approve\""));
  g_assert_nonnull (strstr (page->text, "name=\"sim_outcome\" value=\"deny\""));
  g_assert_nonnull (strstr (page->text, "name=\"sim_outcome\" value=\"cancel\""));
  /* Every parameter rides along in the form, escaped. */
  g_assert_nonnull (strstr (page->text, "name=\"state\" value=\"&lt;b&gt;&amp;&quot;x\""));
  g_assert_null (strstr (page->text, "<b>&\"x"));
  g_assert_nonnull (strstr (page->text, "name=\"response_type\" value=\"token\""));
  g_assert_nonnull (strstr (page->text, "<form method=\"get\" action=\"/v22.0/dialog/oauth\">"));
  {
    /* Asked for explicitly, the page does not carry sim_outcome along. */
    g_autoptr(Response) explicit_page = dialog (f, "&response_type=code&state=e&sim_outcome=page");

    g_assert_cmpuint (explicit_page->status, ==, 200);
    g_assert_nonnull (strstr (explicit_page->text, "name=\"state\" value=\"e\""));
    g_assert_null (strstr (explicit_page->text, "type=\"hidden\" name=\"sim_outcome\""));
  }

  /* Clicking a button submits the same query plus sim_outcome. */
  {
    g_autoptr(Response) clicked = dialog (f, "&response_type=token&state=s1&sim_outcome=approve");
    g_autoptr(GHashTable) query = NULL;
    g_autoptr(GHashTable) fragment = NULL;

    redirect_params (clicked, "https://www.facebook.com/connect/login_success.html#",
                     &query, &fragment);
    g_assert_nonnull (g_hash_table_lookup (fragment, "access_token"));
  }

  json_error = dialog (f, "&response_type=token&sim_outcome=maybe");
  assert_graph_error (json_error, 400, 100, 0, "(#100) sim_outcome must be");
}

static void
test_dialog_approve (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Response) onboarding = dialog (f, "&response_type=token&state=xyz&sim_outcome=approve" ONBOARDING);
  g_autoptr(Response) plain = dialog (f, "&response_type=token&state=xyz&sim_outcome=approve");
  g_autoptr(Response) code = dialog (f, "&response_type=code&state=abc&sim_outcome=approve&sim_user=10000000000002");
  g_autoptr(Response) both = dialog (f, "&response_type=code%20token&state=q&sim_outcome=approve");
  g_autoptr(Response) pages = NULL;
  g_autoptr(Response) exchanged = NULL;
  g_autoptr(Response) debug = NULL;
  g_autoptr(Response) other_uri = NULL;
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(GHashTable) fragment = NULL;
  const char *location;

  /* Token flow, Instagram onboarding: both tokens in the fragment. */
  redirect_params (onboarding, "https://www.facebook.com/connect/login_success.html#access_token=",
                   &query, &fragment);
  g_assert_cmpuint (g_hash_table_size (query), ==, 0);
  g_assert_cmpstr (g_hash_table_lookup (fragment, "state"), ==, "xyz");
  g_assert_cmpstr (g_hash_table_lookup (fragment, "expires_in"), ==, "4815");
  g_assert_cmpstr (g_hash_table_lookup (fragment, "data_access_expiration_time"), ==,
                   "1789326000" /* NOW + 90 days */);
  g_assert_nonnull (g_hash_table_lookup (fragment, "long_lived_token"));
  g_assert_cmpstr (g_hash_table_lookup (fragment, "long_lived_token"), !=,
                   g_hash_table_lookup (fragment, "access_token"));
  g_assert_false (g_hash_table_contains (fragment, "_"));

  /* The tokens it issues work everywhere else. */
  pages = getf (f, "/v22.0/me/accounts?access_token=%s",
                (const char *) g_hash_table_lookup (fragment, "long_lived_token"));
  g_assert_cmpuint (pages->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root_object (pages), "data")), ==, 3);
  debug = getf (f, "/debug_token?input_token=%s&access_token=" APP_TOKEN,
                (const char *) g_hash_table_lookup (fragment, "long_lived_token"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root_object (debug), "data"),
                                               "expires_at"), ==, NOW + 5183944);
  g_clear_pointer (&query, g_hash_table_unref);
  g_clear_pointer (&fragment, g_hash_table_unref);

  /* Without the onboarding extras, only the short-lived token. */
  redirect_params (plain, "https://www.facebook.com/connect/login_success.html#access_token=",
                   &query, &fragment);
  g_assert_false (g_hash_table_contains (fragment, "long_lived_token"));
  g_assert_cmpstr (g_hash_table_lookup (fragment, "state"), ==, "xyz");
  g_clear_pointer (&query, g_hash_table_unref);
  g_clear_pointer (&fragment, g_hash_table_unref);

  /* Code flow: the code in the query, Facebook's junk fragment after it. */
  location = soup_message_headers_get_one (code->headers, "Location");
  g_assert_nonnull (location);
  g_assert_true (g_str_has_suffix (location, "#_=_"));
  redirect_params (code, "https://www.facebook.com/connect/login_success.html?code=", &query, &fragment);
  g_assert_cmpstr (g_hash_table_lookup (query, "state"), ==, "abc");
  g_assert_cmpstr (g_hash_table_lookup (fragment, "_"), ==, "_");
  g_assert_false (g_hash_table_contains (query, "access_token"));

  /* The code is bound to the dialog's redirect URI… */
  other_uri = getf (f, "/v22.0/oauth/access_token?client_id=100000000000001&client_secret=sim-app-secret"
                       "&redirect_uri=https%%3A%%2F%%2Fexample.com%%2Fcb&code=%s",
                    (const char *) g_hash_table_lookup (query, "code"));
  assert_graph_error (other_uri, 400, 100, 36008, "Error validating verification code.");
  /* …and exchanged for a token of the user who logged in. */
  exchanged = getf (f, "/v22.0/oauth/access_token?client_id=100000000000001&client_secret=sim-app-secret"
                       "&redirect_uri=https%%3A%%2F%%2Fwww.facebook.com%%2Fconnect%%2Flogin_success.html"
                       "&code=%s",
                    (const char *) g_hash_table_lookup (query, "code"));
  g_assert_cmpuint (exchanged->status, ==, 200);
  {
    g_autoptr(Response) node = getf (f, "/v22.0/" IG_C "?fields=username&access_token=%s",
                                     json_object_get_string_member (root_object (exchanged), "access_token"));

    g_assert_cmpuint (node->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (root_object (node), "username"), ==, "test.c");
  }
  g_clear_pointer (&query, g_hash_table_unref);
  g_clear_pointer (&fragment, g_hash_table_unref);

  /* "code token": both, in the fragment. */
  redirect_params (both, "https://www.facebook.com/connect/login_success.html#", &query, &fragment);
  g_assert_nonnull (g_hash_table_lookup (fragment, "code"));
  g_assert_nonnull (g_hash_table_lookup (fragment, "access_token"));
  g_assert_cmpstr (g_hash_table_lookup (fragment, "state"), ==, "q");
}

static void
test_dialog_refuse (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Response) deny_token = dialog (f, "&response_type=token&state=s%2B1&sim_outcome=deny");
  g_autoptr(Response) deny_code = dialog (f, "&response_type=code&state=s2&sim_deny=1");
  g_autoptr(Response) cancel = dialog (f, "&response_type=token&state=s3&sim_outcome=cancel");
  g_autoptr(Response) preset = NULL;
  g_autoptr(Response) overridden = NULL;
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(GHashTable) fragment = NULL;
  const char *location;

  /* Deny: the error in the query, for either response type. */
  location = soup_message_headers_get_one (deny_token->headers, "Location");
  g_assert_cmpstr (location, ==, "https://www.facebook.com/connect/login_success.html"
                                 "?error=access_denied&error_code=200&error_description=Permissions+error"
                                 "&error_reason=user_denied&state=s%2B1#_=_");
  redirect_params (deny_code, "https://www.facebook.com/connect/login_success.html?error=", &query, &fragment);
  g_assert_cmpstr (g_hash_table_lookup (query, "error"), ==, "access_denied");
  g_assert_cmpstr (g_hash_table_lookup (query, "error_code"), ==, "200");
  g_assert_cmpstr (g_hash_table_lookup (query, "error_description"), ==, "Permissions error");
  g_assert_cmpstr (g_hash_table_lookup (query, "state"), ==, "s2");
  g_assert_false (g_hash_table_contains (query, "code"));
  g_clear_pointer (&query, g_hash_table_unref);
  g_clear_pointer (&fragment, g_hash_table_unref);

  /* Cancel: the documented shape, without an error_code. */
  location = soup_message_headers_get_one (cancel->headers, "Location");
  g_assert_cmpstr (location, ==, "https://www.facebook.com/connect/login_success.html"
                                 "?error_reason=user_denied&error=access_denied"
                                 "&error_description=Permissions+error&state=s3#_=_");

  /* A preset outcome answers without the page; a request's own choice wins. */
  g_assert_false (graph_sim_set_login_outcome (f->sim, "perhaps"));
  g_assert_true (graph_sim_set_login_outcome (f->sim, "cancel"));
  preset = dialog (f, "&response_type=code&state=p");
  redirect_params (preset, "https://www.facebook.com/connect/login_success.html?error_reason=user_denied",
                   &query, &fragment);
  g_assert_false (g_hash_table_contains (query, "error_code"));
  g_clear_pointer (&query, g_hash_table_unref);
  g_clear_pointer (&fragment, g_hash_table_unref);
  overridden = dialog (f, "&response_type=code&state=p&sim_outcome=approve");
  redirect_params (overridden, "https://www.facebook.com/connect/login_success.html?code=", &query, &fragment);
  g_assert_true (graph_sim_set_login_outcome (f->sim, NULL));
}

static void
test_dialog_checks (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Response) wrong_app = send_full (f, "GET", "/v22.0/dialog/oauth?client_id=1&redirect_uri=https%3A%2F%2Fa.example%2F",
                                             NULL, NULL, FALSE);
  g_autoptr(Response) no_redirect = send_full (f, "GET", "/v22.0/dialog/oauth?client_id=100000000000001",
                                               NULL, NULL, FALSE);
  g_autoptr(Response) fragment_redirect = send_full (f, "GET", "/v22.0/dialog/oauth?client_id=100000000000001"
                                                     "&redirect_uri=https%3A%2F%2Fa.example%2F%23x",
                                                     NULL, NULL, FALSE);
  g_autoptr(Response) bad_type = dialog (f, "&response_type=id_token");
  g_autoptr(Response) no_user = dialog (f, "&response_type=token&sim_user=42&sim_outcome=approve");
  g_autoptr(Response) unversioned = send_full (f, "GET", "/dialog/oauth?client_id=100000000000001"
                                               "&redirect_uri=https%3A%2F%2Fa.example%2Fcb%3Fx%3D1"
                                               "&response_type=code&state=u&sim_outcome=approve",
                                               NULL, NULL, FALSE);
  const char *location;

  assert_graph_error (wrong_app, 400, 101, 0, "Error validating application.");
  assert_graph_error (no_redirect, 400, 191, 0, "Missing redirect_uri parameter.");
  assert_graph_error (fragment_redirect, 400, 191, 0, "The redirect_uri must be");
  assert_graph_error (bad_type, 400, 100, 0, "(#100) Invalid response_type");
  assert_graph_error (no_user, 400, 100, 0, "(#100) sim_user is not a user");

  /* Unversioned, like an app's default version; a redirect URI with a
   * query of its own keeps it. */
  g_assert_cmpuint (unversioned->status, ==, 302);
  location = soup_message_headers_get_one (unversioned->headers, "Location");
  g_assert_true (g_str_has_prefix (location, "https://a.example/cb?x=1&code="));
  g_assert_true (g_str_has_suffix (location, "&state=u#_=_"));
}

/* Every token and code handed out is listed, once and in order; the
 * scenario's own are not. */
static void
test_issued (Fixture       *f,
             gconstpointer  data)
{
  const char *exchange = "/v22.0/oauth/access_token?client_id=100000000000001&client_secret=sim-app-secret";
  g_autoptr(Response) onboarding = NULL;
  g_autoptr(Response) code = NULL;
  g_autoptr(Response) from_code = NULL;
  g_autoptr(Response) long_lived = NULL;
  g_autoptr(Response) pages = NULL;
  g_autoptr(Response) app = NULL;
  g_autoptr(Response) app_again = NULL;
  g_autoptr(GHashTable) token_query = NULL;
  g_autoptr(GHashTable) token_fragment = NULL;
  g_autoptr(GHashTable) code_query = NULL;
  g_autoptr(GHashTable) code_fragment = NULL;
  g_auto(GStrv) none = graph_sim_dup_issued_tokens (f->sim);
  g_auto(GStrv) no_codes = graph_sim_dup_issued_codes (f->sim);
  g_auto(GStrv) tokens = NULL;
  g_auto(GStrv) codes = NULL;
  JsonArray *listed;
  guint n_pages;

  g_assert_cmpuint (g_strv_length (none), ==, 0);
  g_assert_cmpuint (g_strv_length (no_codes), ==, 0);

  onboarding = dialog (f, "&response_type=token&sim_outcome=approve" ONBOARDING);
  redirect_params (onboarding, "https://www.facebook.com/connect/login_success.html#",
                   &token_query, &token_fragment);
  code = dialog (f, "&response_type=code&sim_outcome=approve");
  redirect_params (code, "https://www.facebook.com/connect/login_success.html?code=",
                   &code_query, &code_fragment);
  from_code = getf (f, "%s&redirect_uri=https%%3A%%2F%%2Fwww.facebook.com%%2Fconnect%%2Flogin_success.html"
                       "&code=%s", exchange, (const char *) g_hash_table_lookup (code_query, "code"));
  g_assert_cmpuint (from_code->status, ==, 200);
  long_lived = getf (f, "%s&grant_type=fb_exchange_token&fb_exchange_token=tok-1", exchange);
  g_assert_cmpuint (long_lived->status, ==, 200);
  pages = get (f, "/v22.0/me/accounts?fields=access_token&access_token=tok-1");
  g_assert_cmpuint (pages->status, ==, 200);
  /* The app token, handed out twice, is listed once. */
  app = getf (f, "%s&grant_type=client_credentials", exchange);
  g_assert_cmpuint (app->status, ==, 200);
  app_again = getf (f, "%s&grant_type=client_credentials", exchange);
  g_assert_cmpuint (app_again->status, ==, 200);

  tokens = graph_sim_dup_issued_tokens (f->sim);
  listed = json_object_get_array_member (root_object (pages), "data");
  n_pages = json_array_get_length (listed);
  g_assert_cmpuint (n_pages, ==, 3);
  g_assert_cmpuint (g_strv_length (tokens), ==, 4 + n_pages + 1);
  g_assert_cmpstr (tokens[0], ==, g_hash_table_lookup (token_fragment, "access_token"));
  g_assert_cmpstr (tokens[1], ==, g_hash_table_lookup (token_fragment, "long_lived_token"));
  g_assert_cmpstr (tokens[2], ==, json_object_get_string_member (root_object (from_code), "access_token"));
  g_assert_cmpstr (tokens[3], ==, json_object_get_string_member (root_object (long_lived), "access_token"));
  for (guint i = 0; i < n_pages; i++)
    g_assert_cmpstr (tokens[4 + i], ==,
                     json_object_get_string_member (json_array_get_object_element (listed, i),
                                                    "access_token"));
  g_assert_cmpstr (tokens[4 + n_pages], ==, APP_TOKEN);
  g_assert_false (g_strv_contains ((const char * const *) tokens, "tok-1"));

  codes = graph_sim_dup_issued_codes (f->sim);
  g_assert_cmpuint (g_strv_length (codes), ==, 1);
  g_assert_cmpstr (codes[0], ==, g_hash_table_lookup (code_query, "code"));
}

static char *
batch_form (guint       n_ops,
            const char *extra)
{
  g_autoptr(GString) batch = g_string_new ("[");
  g_autofree char *escaped = NULL;

  for (guint i = 0; i < n_ops; i++)
    {
      if (i > 0)
        g_string_append_c (batch, ',');
      if (i % 3 == 0)
        g_string_append (batch, "{\"method\":\"GET\",\"relative_url\":\"" IG_A "?fields=username\"}");
      else if (i % 3 == 1)
        g_string_append (batch, "{\"method\":\"GET\",\"relative_url\":\"" IG_B
                                "/insights?metric=reach&period=day&since=1781161200&until=1781247600\"}");
      else
        g_string_append (batch, "{\"method\":\"GET\",\"relative_url\":\"" IG_C "/insights?metric=reach&period=day\"}");
    }
  g_string_append_c (batch, ']');

  escaped = g_uri_escape_string (batch->str, NULL, FALSE);
  return g_strdup_printf ("access_token=tok-1&batch=%s%s", escaped, extra);
}

static void
test_batch (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *form = batch_form (3, "");
  g_autofree char *bare_form = batch_form (3, "&include_headers=false");
  g_autofree char *big_form = batch_form (51, "");
  g_autofree char *full_form = batch_form (50, "");
  g_autoptr(Response) r = NULL;
  g_autoptr(Response) bare = NULL;
  g_autoptr(Response) big = NULL;
  g_autoptr(Response) full = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *items;
  JsonObject *item;
  guint calls, requests;
  GDate day;

  calls = graph_sim_get_api_call_count (f->sim);
  requests = graph_sim_get_request_count (f->sim);
  r = send_full (f, "POST", "/v22.0/", form, NULL, TRUE);
  g_assert_no_error (r->error);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (r->root));
  /* Each operation is an API call; the wrapper is one HTTP request. */
  g_assert_cmpuint (graph_sim_get_api_call_count (f->sim), ==, calls + 3);
  g_assert_cmpuint (graph_sim_get_request_count (f->sim), ==, requests + 1);

  items = json_node_get_array (r->root);
  g_assert_cmpuint (json_array_get_length (items), ==, 3);
  item = json_array_get_object_element (items, 0);
  g_assert_cmpint (json_object_get_int_member (item, "code"), ==, 200);
  g_assert_true (json_object_has_member (item, "headers"));
  g_assert_true (json_parser_load_from_data (parser, json_object_get_string_member (item, "body"), -1, NULL));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "username"),
                   ==, "test.a");

  item = json_array_get_object_element (items, 1);
  g_assert_cmpint (json_object_get_int_member (item, "code"), ==, 200);
  g_assert_true (json_parser_load_from_data (parser, json_object_get_string_member (item, "body"), -1, NULL));
  set_date (&day, 2026, 6, 11);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (json_object_get_array_member (json_array_get_object_element (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "data"), 0), "values"), 0), "value"),
                   ==, graph_sim_daily_value (IG_B, "reach", &day));

  item = json_array_get_object_element (items, 2);
  g_assert_cmpint (json_object_get_int_member (item, "code"), ==, 400);
  g_assert_nonnull (strstr (json_object_get_string_member (item, "body"), "\"error_subcode\":33"));

  bare = send_full (f, "POST", "/v22.0/", bare_form, NULL, TRUE);
  g_assert_cmpuint (bare->status, ==, 200);
  g_assert_false (json_object_has_member (json_array_get_object_element (json_node_get_array (bare->root), 0), "headers"));

  calls = graph_sim_get_api_call_count (f->sim);
  big = send_full (f, "POST", "/v22.0/", big_form, NULL, TRUE);
  assert_graph_error (big, 400, 1, 0, "(#1) Too many requests in batch message. Maximum batch size is 50");
  g_assert_cmpuint (graph_sim_get_api_call_count (f->sim), ==, calls);

  full = send_full (f, "POST", "/v22.0/", full_form, NULL, TRUE);
  g_assert_cmpuint (full->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (full->root)), ==, 50);
}

static void
test_batch_null (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *form = batch_form (4, "");
  g_autoptr(Response) r = NULL;
  g_autoptr(Response) single = NULL;
  JsonArray *items;

  g_assert_true (graph_sim_add_fault (f->sim, "batch_null:every=2", &error));
  g_assert_no_error (error);

  /* batch_null only applies inside batches. */
  single = get (f, "/v22.0/" IG_A "?access_token=tok-1");
  g_assert_cmpuint (single->status, ==, 200);

  r = send_full (f, "POST", "/v22.0/", form, NULL, TRUE);
  g_assert_cmpuint (r->status, ==, 200);
  items = json_node_get_array (r->root);
  g_assert_cmpuint (json_array_get_length (items), ==, 4);
  g_assert_false (JSON_NODE_HOLDS_NULL (json_array_get_element (items, 0)));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_array_get_element (items, 1)));
  g_assert_false (JSON_NODE_HOLDS_NULL (json_array_get_element (items, 2)));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_array_get_element (items, 3)));
}

static void
test_fault_http_500 (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint expected[] = { 200, 200, 500, 200, 200, 500 };

  g_assert_true (graph_sim_add_fault (f->sim, "http_500:every=3:path=insights", &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(Response) r = get (f, "/v22.0/" IG_A "/insights?metric=reach&period=day&access_token=tok-1");
      g_autoptr(Response) other = get (f, "/v22.0/" IG_A "?access_token=tok-1");

      g_assert_cmpuint (r->status, ==, expected[i]);
      g_assert_cmpuint (other->status, ==, 200);
      if (expected[i] == 500)
        {
          assert_graph_error (r, 500, 2, 0, NULL);
          g_assert_true (json_object_get_boolean_member (json_object_get_object_member (root_object (r), "error"),
                                                         "is_transient"));
        }
    }
}

static void
test_fault_malformed_and_graph_error (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Response) broken = NULL;
  g_autoptr(Response) fine = NULL;
  g_autoptr(Response) likes = NULL;
  g_autoptr(Response) reach = NULL;
  g_autoptr(Response) other_account = NULL;
  g_autoptr(GraphSim) check = graph_sim_new ();

  g_assert_true (graph_sim_add_fault (f->sim, "malformed_json:first=1:account=" IG_A, &error));
  g_assert_true (graph_sim_add_fault (f->sim, "graph_error:every=1:code=100:subcode=2108006:metric=likes:"
                                      "message=(#100) Insights not available", &error));
  g_assert_no_error (error);

  broken = get (f, "/v22.0/" IG_A "?access_token=tok-1");
  g_assert_no_error (broken->error);
  g_assert_cmpuint (broken->status, ==, 200);
  g_assert_null (broken->root);
  fine = get (f, "/v22.0/" IG_A "?access_token=tok-1");
  g_assert_cmpuint (fine->status, ==, 200);
  g_assert_nonnull (fine->root);

  likes = get (f, "/v22.0/" IG_B "/insights?metric=likes&period=day&metric_type=total_value&access_token=tok-1");
  assert_graph_error (likes, 400, 100, 2108006, "(#100) Insights not available");
  reach = get (f, "/v22.0/" IG_B "/insights?metric=reach&period=day&access_token=tok-1");
  g_assert_cmpuint (reach->status, ==, 200);
  other_account = get (f, "/v22.0/" IG_B "?access_token=tok-1");
  g_assert_cmpuint (other_account->status, ==, 200);

  g_assert_false (graph_sim_add_fault (check, "meltdown:every=1", &error));
  g_assert_error (error, GRAPH_SIM_ERROR, GRAPH_SIM_ERROR_FAULT_SPEC);
  g_clear_error (&error);
  g_assert_false (graph_sim_add_fault (check, "http_500:every=0", &error));
  g_assert_error (error, GRAPH_SIM_ERROR, GRAPH_SIM_ERROR_FAULT_SPEC);
}

/* Faults as the reference's open cases need them: code 10 on one account
 * in the API's own words, and codes 1 and 2 with HTTP 400 marked
 * transient. */
static void
test_fault_transient_and_permission (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Response) denied = NULL;
  g_autoptr(Response) allowed = NULL;
  g_autoptr(Response) transient = NULL;
  g_autoptr(Response) unknown = NULL;
  g_autoptr(Response) not_transient = NULL;
  g_autoptr(Response) after = NULL;
  g_autoptr(GraphSim) check = graph_sim_new ();
  JsonObject *envelope;

  g_assert_true (graph_sim_add_fault (f->sim, "graph_error:code=10:http_status=403:account=" IG_A, &error));
  g_assert_true (graph_sim_add_fault (f->sim, "graph_error:first=1:code=2:is_transient=true:account=" IG_B,
                                      &error));
  g_assert_true (graph_sim_add_fault (f->sim, "graph_error:first=2:code=1:is_transient=1:account=" IG_C,
                                      &error));
  g_assert_true (graph_sim_add_fault (f->sim, "http_500:first=1:is_transient=false:path=me", &error));
  g_assert_no_error (error);

  denied = get (f, "/v22.0/" IG_A "/insights?metric=reach&period=day&access_token=tok-1");
  assert_graph_error (denied, 403, 10, 0, "(#10) Application does not have permission for this action");
  g_assert_false (json_object_has_member (json_object_get_object_member (root_object (denied), "error"),
                                          "is_transient"));
  /* The permission fault is IG_A's alone: IG_B meets its own transient
   * fault, once, and is served after it. */
  transient = get (f, "/v22.0/" IG_B "?access_token=tok-1");
  assert_graph_error (transient, 400, 2, 0, "An unexpected error has occurred.");
  envelope = json_object_get_object_member (root_object (transient), "error");
  g_assert_true (json_object_get_boolean_member (envelope, "is_transient"));
  allowed = get (f, "/v22.0/" IG_B "?access_token=tok-1");
  g_assert_cmpuint (allowed->status, ==, 200);

  unknown = get (f, "/v22.0/" IG_C "?access_token=tok-2");
  assert_graph_error (unknown, 400, 1, 0, "An unknown error has occurred.");
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (root_object (unknown), "error"),
                                                 "is_transient"));

  not_transient = get (f, "/v22.0/me?access_token=tok-1");
  assert_graph_error (not_transient, 500, 2, 0, NULL);
  g_assert_false (json_object_has_member (json_object_get_object_member (root_object (not_transient), "error"),
                                          "is_transient"));
  after = get (f, "/v22.0/me?access_token=tok-1");
  g_assert_cmpuint (after->status, ==, 200);

  g_assert_false (graph_sim_add_fault (check, "graph_error:is_transient=perhaps", &error));
  g_assert_error (error, GRAPH_SIM_ERROR, GRAPH_SIM_ERROR_FAULT_SPEC);
  g_clear_error (&error);

  /* The same from a scenario. */
  g_assert_true (graph_sim_load_scenario_data (f->sim,
    "{\"users\": [{\"id\": \"1\", \"token\": \"t\","
    "              \"pages\": [{\"id\": \"2\", \"instagram_business_account\": \"" IG_A "\"}]}],"
    " \"faults\": [{\"kind\": \"graph_error\", \"code\": 2, \"http_status\": 400, \"is_transient\": true,"
    "              \"first\": 1}]}", -1, &error));
  g_assert_no_error (error);
  {
    g_autoptr(Response) r = get (f, "/v22.0/" IG_A "?access_token=t");

    assert_graph_error (r, 400, 2, 0, NULL);
    g_assert_true (json_object_get_boolean_member (json_object_get_object_member (root_object (r), "error"),
                                                   "is_transient"));
  }
  g_assert_false (graph_sim_load_scenario_data (f->sim,
                                                "{\"faults\": [{\"kind\": \"graph_error\", \"is_transient\": 1}]}",
                                                -1, &error));
  g_assert_error (error, GRAPH_SIM_ERROR, GRAPH_SIM_ERROR_SCENARIO);
}

static void
test_fault_drop_connection (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Response) warm = NULL;
  g_autoptr(Response) dropped = NULL;
  g_autoptr(Response) after = NULL;
  g_autoptr(Response) reused = NULL;
  guint requests;

  /* The first call opens a keep-alive connection that the drop reuses. */
  warm = get (f, "/v22.0/me?access_token=tok-1");
  g_assert_cmpuint (warm->status, ==, 200);

  g_assert_true (graph_sim_add_fault (f->sim, "drop_connection:first=1:path=" IG_A, &error));
  g_assert_no_error (error);

  requests = graph_sim_get_request_count (f->sim);
  dropped = get (f, "/v22.0/" IG_A "?access_token=tok-1");
  g_assert_nonnull (dropped->error);
  g_assert_cmpuint (dropped->status, ==, 0);
  /* Seen by the client, not re-sent behind its back. */
  g_assert_cmpuint (graph_sim_get_request_count (f->sim), ==, requests + 1);

  after = get (f, "/v22.0/" IG_A "?access_token=tok-1");
  g_assert_no_error (after->error);
  g_assert_cmpuint (after->status, ==, 200);
  reused = get (f, "/v22.0/" IG_A "?access_token=tok-1");
  g_assert_cmpuint (reused->status, ==, 200);
}

static void
test_scenario_faults (void)
{
  g_autoptr(GraphSim) sim = graph_sim_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *base = NULL;
  const char *json =
    "{\"now\": 1781550000,"
    " \"users\": [{\"id\": \"1\", \"token\": \"t\","
    "             \"pages\": [{\"id\": \"2\", \"instagram_business_account\": \"" IG_A "\"}]}],"
    " \"faults\": [{\"kind\": \"graph_error\", \"code\": 2, \"http_status\": 503, \"every\": 2,"
    "              \"path_contains\": \"insights\", \"message\": \"Service temporarily unavailable\"}]}";
  guint statuses[4];

  g_assert_true (graph_sim_load_scenario_data (sim, json, -1, &error));
  g_assert_no_error (error);
  g_assert_true (graph_sim_start (sim, 0, &error));
  base = graph_sim_get_base_url (sim);

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *url = g_strconcat (base, "/v22.0/" IG_A "/insights?metric=reach&period=day&access_token=t", NULL);
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
      g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, &error);

      g_assert_no_error (error);
      statuses[i] = soup_message_get_status (msg);
    }

  g_assert_cmpuint (statuses[0], ==, 200);
  g_assert_cmpuint (statuses[1], ==, 503);
  g_assert_cmpuint (statuses[2], ==, 200);
  g_assert_cmpuint (statuses[3], ==, 503);
}

static void
test_usage_headers (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Response) one = get (f, "/v22.0/" IG_A "/insights?metric=reach&period=day&access_token=tok-1");
  g_autoptr(Response) two = get (f, "/v22.0/" IG_A "?access_token=tok-1");
  g_autoptr(Response) me = get (f, "/v22.0/me?access_token=tok-1");
  g_autoptr(Response) unversioned = get (f, "/" IG_A "?access_token=tok-1");
  const char *trace;

  g_assert_nonnull (soup_message_headers_get_one (one->headers, "x-fb-rev"));
  g_assert_cmpstr (soup_message_headers_get_one (one->headers, "facebook-api-version"), ==, "v22.0");
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (one->headers, NULL), "application/json"));
  trace = soup_message_headers_get_one (one->headers, "x-fb-trace-id");
  g_assert_nonnull (trace);

  /* Account limit 10 calls: each call is 10 %; app limit 1000. */
  g_assert_cmpint (usage_value (one, "X-Business-Use-Case-Usage", "call_count"), ==, 10);
  g_assert_cmpint (usage_value (two, "X-Business-Use-Case-Usage", "call_count"), ==, 20);
  g_assert_cmpint (usage_value (two, "X-Business-Use-Case-Usage", "total_time"), ==, 20);
  g_assert_cmpint (usage_value (two, "X-Business-Use-Case-Usage", "estimated_time_to_regain_access"), ==, 0);
  g_assert_cmpint (usage_value (one, "X-App-Usage", "call_count"), ==, 0);
  g_assert_nonnull (strstr (soup_message_headers_get_one (one->headers, "X-Business-Use-Case-Usage"),
                            "\"type\":\"instagram\""));
  g_assert_null (soup_message_headers_get_one (me->headers, "X-Business-Use-Case-Usage"));
  g_assert_nonnull (soup_message_headers_get_one (me->headers, "X-App-Usage"));

  g_assert_cmpuint (unversioned->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (unversioned->headers, "facebook-api-version"), ==, "v22.0");
  g_assert_cmpint (usage_value (unversioned, "X-Business-Use-Case-Usage", "call_count"), ==, 30);
}

/* A batch of @n_ops reads of IG_A, with @extra form fields. */
static char *
account_batch_form (guint       n_ops,
                    const char *extra)
{
  g_autoptr(GString) batch = g_string_new ("[");
  g_autofree char *escaped = NULL;

  for (guint i = 0; i < n_ops; i++)
    g_string_append_printf (batch, "%s{\"method\":\"GET\",\"relative_url\":\"" IG_A "?fields=username\"}",
                            i > 0 ? "," : "");
  g_string_append_c (batch, ']');

  escaped = g_uri_escape_string (batch->str, NULL, FALSE);
  return g_strdup_printf ("access_token=tok-1&batch=%s%s", escaped, extra);
}

/* The value of header @name in the batch answer @index, NULL when absent. */
static const char *
op_header (Response   *r,
           guint       index,
           const char *name)
{
  JsonObject *item = json_array_get_object_element (json_node_get_array (r->root), index);
  JsonArray *headers;

  if (!json_object_has_member (item, "headers"))
    return NULL;

  headers = json_object_get_array_member (item, "headers");
  for (guint i = 0; i < json_array_get_length (headers); i++)
    {
      JsonObject *header = json_array_get_object_element (headers, i);

      if (g_ascii_strcasecmp (json_object_get_string_member (header, "name"), name) == 0)
        return json_object_get_string_member (header, "value");
    }

  return NULL;
}

/* call_count of the entry keyed @key in an X-Business-Use-Case-Usage value;
 * -1 when there is no such key. */
static gint64
business_call_count (const char *value,
                     const char *key)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  g_assert_nonnull (value);
  g_assert_true (json_parser_load_from_data (parser, value, -1, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (object, key))
    return -1;

  return json_object_get_int_member (json_array_get_object_element (json_object_get_array_member (object, key), 0),
                                     "call_count");
}

/* By default, as documented, every operation carries the usage as of its
 * own call and the batch response carries none. */
static void
test_usage_per_operation (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *form = account_batch_form (3, "");
  g_autofree char *bare_form = account_batch_form (2, "&include_headers=false");
  g_autoptr(Response) r = NULL;
  g_autoptr(Response) bare = NULL;

  r = send_full (f, "POST", "/v22.0/", form, NULL, TRUE);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_null (soup_message_headers_get_one (r->headers, "X-Business-Use-Case-Usage"));
  g_assert_null (soup_message_headers_get_one (r->headers, "X-App-Usage"));
  g_assert_nonnull (soup_message_headers_get_one (r->headers, "x-fb-trace-id"));

  /* Account limit 10 calls: 10 %, 20 %, 30 % after each call in turn. */
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpint (business_call_count (op_header (r, i, "X-Business-Use-Case-Usage"), IG_A),
                       ==, 10 * (i + 1));
      g_assert_nonnull (op_header (r, i, "X-App-Usage"));
    }

  /* Without include_headers no operation carries any: no usage at all. */
  bare = send_full (f, "POST", "/v22.0/", bare_form, NULL, TRUE);
  g_assert_cmpuint (bare->status, ==, 200);
  g_assert_null (soup_message_headers_get_one (bare->headers, "X-Business-Use-Case-Usage"));
  g_assert_null (soup_message_headers_get_one (bare->headers, "X-App-Usage"));
  g_assert_null (op_header (bare, 0, "X-Business-Use-Case-Usage"));
  g_assert_null (op_header (bare, 1, "X-App-Usage"));
}

/* The other reading: the batch response carries the usage of the account
 * its operations called. */
static void
test_usage_wrapper (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *form = account_batch_form (2, "&include_headers=false");
  g_autoptr(Response) r = NULL;
  g_autoptr(Response) loaded = NULL;
  g_autoptr(GError) error = NULL;
  const char *json =
    "{\"app\": {\"usage_headers\": \"wrapper\"},"
    " \"users\": [{\"id\": \"1\", \"token\": \"tok-1\","
    "             \"pages\": [{\"id\": \"2\", \"instagram_business_account\": \"" IG_A "\"}]}],"
    " \"accounts\": [{\"id\": \"" IG_A "\", \"call_limit\": 4}]}";

  g_assert_false (graph_sim_set_usage_headers (f->sim, "somewhere"));
  g_assert_true (graph_sim_set_usage_headers (f->sim, "wrapper"));
  r = send_full (f, "POST", "/v22.0/", form, NULL, TRUE);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpint (business_call_count (soup_message_headers_get_one (r->headers, "X-Business-Use-Case-Usage"), IG_A),
                   ==, 20);
  g_assert_nonnull (soup_message_headers_get_one (r->headers, "X-App-Usage"));

  /* The same from a scenario. */
  g_assert_true (graph_sim_load_scenario_data (f->sim, json, -1, &error));
  g_assert_no_error (error);
  loaded = send_full (f, "POST", "/v22.0/", form, NULL, TRUE);
  g_assert_cmpint (business_call_count (soup_message_headers_get_one (loaded->headers, "X-Business-Use-Case-Usage"), IG_A),
                   ==, 50);
}

/* No usage header before a window holds enough calls: the app's counts
 * every call, the account's only those on it. */
static void
test_usage_after_calls (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *form = account_batch_form (3, "");
  g_autoptr(Response) me = NULL;
  g_autoptr(Response) first = NULL;
  g_autoptr(Response) batch = NULL;
  g_autoptr(Response) later = NULL;

  graph_sim_set_usage_headers_after_calls (f->sim, 3);

  me = get (f, "/v22.0/me?access_token=tok-1");
  first = get (f, "/v22.0/" IG_A "?access_token=tok-1");
  g_assert_cmpuint (first->status, ==, 200);
  g_assert_null (soup_message_headers_get_one (me->headers, "X-App-Usage"));
  g_assert_null (soup_message_headers_get_one (first->headers, "X-App-Usage"));
  g_assert_null (soup_message_headers_get_one (first->headers, "X-Business-Use-Case-Usage"));

  /* Calls 3 to 5 of the app, 2 to 4 of the account. */
  batch = send_full (f, "POST", "/v22.0/", form, NULL, TRUE);
  g_assert_nonnull (op_header (batch, 0, "X-App-Usage"));
  g_assert_null (op_header (batch, 0, "X-Business-Use-Case-Usage"));
  g_assert_cmpint (business_call_count (op_header (batch, 1, "X-Business-Use-Case-Usage"), IG_A), ==, 30);
  g_assert_cmpint (business_call_count (op_header (batch, 2, "X-Business-Use-Case-Usage"), IG_A), ==, 40);

  later = get (f, "/v22.0/" IG_A "?access_token=tok-1");
  g_assert_cmpint (usage_value (later, "X-Business-Use-Case-Usage", "call_count"), ==, 50);
}

/* X-Business-Use-Case-Usage keyed by the Page linked to the account. */
static void
test_usage_page_key (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *form = account_batch_form (1, "");
  g_autoptr(Response) by_ig = get (f, "/v22.0/" IG_A "?access_token=tok-1");
  g_autoptr(Response) by_page = NULL;
  g_autoptr(Response) batch = NULL;
  g_autoptr(Response) other = NULL;
  const char *value;

  value = soup_message_headers_get_one (by_ig->headers, "X-Business-Use-Case-Usage");
  g_assert_cmpint (business_call_count (value, IG_A), ==, 10);
  g_assert_cmpint (business_call_count (value, "200000000000001"), ==, -1);

  g_assert_false (graph_sim_set_business_usage_key (f->sim, "business_id"));
  g_assert_true (graph_sim_set_business_usage_key (f->sim, "page_id"));
  by_page = get (f, "/v22.0/" IG_A "?access_token=tok-1");
  value = soup_message_headers_get_one (by_page->headers, "X-Business-Use-Case-Usage");
  g_assert_cmpint (business_call_count (value, "200000000000001"), ==, 20);
  g_assert_cmpint (business_call_count (value, IG_A), ==, -1);

  batch = send_full (f, "POST", "/v22.0/", form, NULL, TRUE);
  g_assert_cmpint (business_call_count (op_header (batch, 0, "X-Business-Use-Case-Usage"), "200000000000001"),
                   ==, 30);

  /* Each account by its own Page. */
  other = get (f, "/v22.0/" IG_B "?access_token=tok-1");
  value = soup_message_headers_get_one (other->headers, "X-Business-Use-Case-Usage");
  g_assert_cmpint (business_call_count (value, "200000000000002"), ==, 0);
  g_assert_cmpint (business_call_count (value, IG_B), ==, -1);
}

static void
test_usage_scenario (void)
{
  g_autoptr(GraphSim) sim = graph_sim_new ();
  g_autoptr(GError) error = NULL;
  const char *bad[] = {
    "{\"app\": {\"usage_headers\": \"both\"}}",
    "{\"app\": {\"usage_headers\": 1}}",
    "{\"app\": {\"business_usage_key\": \"business_id\"}}",
    "{\"app\": {\"usage_headers_after_calls\": -1}}",
    "{\"app\": {\"usage_headers_after_calls\": \"ten\"}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (graph_sim_load_scenario_data (sim, bad[i], -1, &error));
      g_assert_error (error, GRAPH_SIM_ERROR, GRAPH_SIM_ERROR_SCENARIO);
      g_clear_error (&error);
    }

  g_assert_true (graph_sim_load_scenario_data (sim, "{\"app\": {\"usage_headers\": \"per_operation\","
                                                    " \"business_usage_key\": \"page_id\","
                                                    " \"usage_headers_after_calls\": 5}}", -1, &error));
  g_assert_no_error (error);
}

static void
test_throttle (void)
{
  g_autoptr(GraphSim) sim = graph_sim_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *base = NULL;
  const char *json =
    "{\"now\": 1781550000, \"app\": {\"call_limit\": 6, \"enforce_limits\": true},"
    " \"users\": [{\"id\": \"1\", \"token\": \"t\","
    "             \"pages\": [{\"id\": \"2\", \"instagram_business_account\": \"" IG_A "\"}]}],"
    " \"accounts\": [{\"id\": \"" IG_A "\", \"call_limit\": 3}]}";
  guint status = 0;

  g_assert_true (graph_sim_load_scenario_data (sim, json, -1, &error));
  g_assert_true (graph_sim_start (sim, 0, &error));
  g_assert_no_error (error);
  base = graph_sim_get_base_url (sim);

  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *url = g_strconcat (base, i < 4 ? "/v22.0/" IG_A "?access_token=t" : "/v22.0/me?access_token=t", NULL);
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
      g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, &error);
      const char *text;

      g_assert_no_error (error);
      status = soup_message_get_status (msg);
      text = g_bytes_get_data (body, NULL);

      if (i < 3)
        g_assert_cmpuint (status, ==, 200);
      else if (i == 3)
        {
          const char *usage = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                            "X-Business-Use-Case-Usage");

          /* Three calls used the account's whole allowance. */
          g_assert_cmpuint (status, ==, 400);
          g_assert_nonnull (strstr (text, "\"code\":80002"));
          g_assert_nonnull (strstr (text, "(#80002) There have been too many calls to this Instagram account. "
                                          "Wait a bit and try again."));
          g_assert_nonnull (strstr (usage, "\"call_count\":100"));
          g_assert_nonnull (strstr (usage, "\"estimated_time_to_regain_access\":1440"));
        }
      else
        g_assert_cmpuint (status, ==, 200);
    }

  /* The rejected call was not counted: five admitted so far, one to go. */
  {
    g_autofree char *url = g_strconcat (base, "/v22.0/me?access_token=t", NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
    g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  }

  {
    g_autofree char *url = g_strconcat (base, "/v22.0/me?access_token=t", NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
    g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, &error);
    const char *text = g_bytes_get_data (body, NULL);

    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 403);
    g_assert_nonnull (strstr (text, "\"code\":4"));
    g_assert_nonnull (strstr (text, "(#4) Application request limit reached"));
    g_assert_nonnull (strstr (text, "\"is_transient\":true"));
  }

  /* An hour later the app window has emptied. */
  graph_sim_set_now (sim, 1781550000 + 3601);
  {
    g_autofree char *url = g_strconcat (base, "/v22.0/me?access_token=t", NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
    g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  }
}

static void
test_latency (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(Response) quick = NULL;
  g_autoptr(Response) slow = NULL;
  gint64 start;

  start = g_get_monotonic_time ();
  quick = get (f, "/v22.0/me?access_token=tok-1");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 250 * 1000);

  graph_sim_set_latency_ms (f->sim, 300);
  start = g_get_monotonic_time ();
  slow = get (f, "/v22.0/me?access_token=tok-1");
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
  g_assert_cmpuint (slow->status, ==, 200);
}

static void
test_routes (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(Response) unknown = get (f, "/v22.0/" IG_A "/insights/extra/path?access_token=tok-1");
  g_autoptr(Response) post = send_full (f, "POST", "/v22.0/" IG_A "/insights", "access_token=tok-1&metric=reach",
                                        NULL, TRUE);
  g_autoptr(Response) edge = get (f, "/v22.0/" IG_A "/media_things?access_token=tok-1");
  guint before = graph_sim_get_request_count (f->sim);
  g_autoptr(Response) me = get (f, "/v22.0/me?access_token=tok-1");

  assert_graph_error (unknown, 400, 2500, 0, "Unknown path components: /" IG_A "/insights/extra/path");
  assert_graph_error (post, 400, 100, 33, "Unsupported post request. Object with ID '" IG_A "'");
  assert_graph_error (edge, 400, 100, 0, "(#100) Tried accessing nonexisting field (media_things)");
  g_assert_cmpstr (json_object_get_string_member (root_object (me), "id"), ==, "10000000000001");
  g_assert_cmpuint (graph_sim_get_request_count (f->sim), ==, before + 1);
}

static void
test_paging_links (Fixture       *f,
                   gconstpointer  data)
{
  gint64 since = midnight (2026, 6, 10), until = midnight (2026, 6, 12);
  g_autoptr(Response) r = getf (f, "/v22.0/" IG_A "/insights?metric=reach&period=day&since=%" G_GINT64_FORMAT
                                   "&until=%" G_GINT64_FORMAT "&access_token=tok-1", since, until);
  g_autoptr(Response) latest = get (f, "/v22.0/" IG_A "/insights?metric=reach&period=day&access_token=tok-1");
  g_autoptr(Response) previous = NULL;
  g_autofree char *since_text = g_strdup_printf ("since=%" G_GINT64_FORMAT, since - (until - since));
  JsonObject *paging = json_object_get_object_member (root_object (r), "paging");
  const char *prev_url = json_object_get_string_member (paging, "previous");
  const char *next_url = json_object_get_string_member (paging, "next");
  GDate day;

  g_assert_nonnull (strstr (prev_url, since_text));
  g_assert_nonnull (strstr (prev_url, "access_token=tok-1"));
  g_assert_nonnull (strstr (next_url, "access_token=tok-1"));
  g_assert_true (g_str_has_prefix (prev_url, f->base));

  /* The default window ends now: the next one would start in the future. */
  g_assert_false (json_object_has_member (json_object_get_object_member (root_object (latest), "paging"), "next"));

  previous = get (f, prev_url);
  g_assert_cmpuint (previous->status, ==, 200);
  set_date (&day, 2026, 6, 8);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (json_object_get_array_member (data_item (previous, 0), "values"), 0), "value"),
                   ==, graph_sim_daily_value (IG_A, "reach", &day));
}

static void
test_scenario_errors (void)
{
  g_autoptr(GraphSim) sim = graph_sim_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (graph_sim_load_scenario_data (sim, "{not json", -1, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (graph_sim_load_scenario_data (sim, "[]", -1, &error));
  g_assert_error (error, GRAPH_SIM_ERROR, GRAPH_SIM_ERROR_SCENARIO);
  g_clear_error (&error);
  g_assert_false (graph_sim_load_scenario_data (sim, "{\"users\":[{\"id\":\"1\",\"token\":\"t\",\"token_state\":\"odd\"}]}",
                                                -1, &error));
  g_assert_error (error, GRAPH_SIM_ERROR, GRAPH_SIM_ERROR_SCENARIO);
  g_clear_error (&error);
  g_assert_false (graph_sim_load_scenario_data (sim, "{\"faults\":[{\"kind\":\"sparks\"}]}", -1, &error));
  g_assert_error (error, GRAPH_SIM_ERROR, GRAPH_SIM_ERROR_SCENARIO);
  g_clear_error (&error);
  g_assert_false (graph_sim_load_scenario_file (sim, "/nonexistent/scenario.json", &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);

  g_assert_true (graph_sim_load_demo (sim, &error));
  g_assert_no_error (error);
}

static void
test_demo (void)
{
  g_autoptr(GraphSim) sim = graph_sim_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *base = NULL;
  const char *expect[][2] = {
    { "demo-token", "17841400000000001" },
    { "demo-token", "17841400000000002" },
    { "demo-token-2", "17841400000000003" },
  };

  g_assert_true (graph_sim_load_demo (sim, &error));
  g_assert_true (graph_sim_start (sim, 0, &error));
  g_assert_no_error (error);
  base = graph_sim_get_base_url (sim);

  for (guint i = 0; i < G_N_ELEMENTS (expect); i++)
    {
      g_autofree char *url = g_strdup_printf ("%s/v22.0/%s?fields=username&access_token=%s",
                                              base, expect[i][1], expect[i][0]);
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
      g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
      g_assert_nonnull (strstr (g_bytes_get_data (body, NULL), "\"username\":\"demo."));
    }

  {
    g_autofree char *url = g_strdup_printf ("%s/v22.0/me/accounts?access_token=demo-token", base);
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
    g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, &error);
    g_autoptr(JsonParser) parser = json_parser_new ();

    g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "data")),
                      ==, 3);
  }
}


/* The end_times of a reach time series over [since, until], joined with
 * spaces ("" for none). */
static char *
series_end_times (Fixture    *f,
                  const char *ig,
                  gint64      since,
                  gint64      until)
{
  g_autoptr(Response) r = NULL;
  g_autoptr(GString) joined = g_string_new (NULL);
  JsonArray *values;

  r = getf (f, "/v22.0/%s/insights?metric=reach&period=day&metric_type=time_series"
               "&since=%" G_GINT64_FORMAT "&until=%" G_GINT64_FORMAT "&access_token=tok-1",
            ig, since, until);
  g_assert_cmpuint (r->status, ==, 200);
  values = json_object_get_array_member (data_item (r, 0), "values");
  for (guint i = 0; i < json_array_get_length (values); i++)
    {
      const char *end = json_object_get_string_member (json_array_get_object_element (values, i),
                                                       "end_time");

      if (joined->len > 0)
        g_string_append_c (joined, ' ');
      /* The day part is enough: every end here is 07:00 UTC. */
      g_string_append_len (joined, end, 10);
    }

  return g_string_free (g_steal_pointer (&joined), FALSE);
}

static void
test_readings (Fixture       *f,
               gconstpointer  data)
{
  static const struct
  {
    const char *reading;
    const char *exact;     /* since, until on midnights: 10 June … 13 June */
    const char *noon_end;  /* until at noon of the last day */
  } cases[] = {
    { "overlap", "2026-06-11 2026-06-12 2026-06-13", "2026-06-11 2026-06-12 2026-06-13 2026-06-14" },
    { "overlap_inclusive", "2026-06-11 2026-06-12 2026-06-13 2026-06-14",
      "2026-06-11 2026-06-12 2026-06-13 2026-06-14" },
    { "bucket_end", "2026-06-11 2026-06-12 2026-06-13", "2026-06-11 2026-06-12 2026-06-13" },
    { "bucket_end_inclusive", "2026-06-10 2026-06-11 2026-06-12 2026-06-13",
      "2026-06-10 2026-06-11 2026-06-12 2026-06-13" },
  };

  g_assert_false (graph_sim_set_until_reading (f->sim, "sideways"));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *exact = NULL;
      g_autofree char *noon = NULL;

      g_test_message ("reading %s", cases[i].reading);
      g_assert_true (graph_sim_set_until_reading (f->sim, cases[i].reading));
      exact = series_end_times (f, IG_A, midnight (2026, 6, 10), midnight (2026, 6, 13));
      noon = series_end_times (f, IG_A, midnight (2026, 6, 10), midnight (2026, 6, 13) + 12 * 3600);
      g_assert_cmpstr (exact, ==, cases[i].exact);
      g_assert_cmpstr (noon, ==, cases[i].noon_end);
    }
}

static gint64
total_reach (Fixture  *f,
             gint64    since,
             gint64    until,
             gboolean *present)
{
  g_autoptr(Response) r = getf (f, "/v22.0/" IG_A "/insights?metric=reach&period=day"
                                   "&metric_type=total_value&since=%" G_GINT64_FORMAT
                                   "&until=%" G_GINT64_FORMAT "&access_token=tok-1",
                                since, until);
  JsonObject *total;

  g_assert_cmpuint (r->status, ==, 200);
  total = json_object_get_object_member (data_item (r, 0), "total_value");
  *present = json_object_has_member (total, "value");

  return *present ? json_object_get_int_member (total, "value") : -1;
}

static void
test_total_value_reading (Fixture       *f,
                          gconstpointer  data)
{
  GDate day, before;
  gboolean present;

  set_date (&day, 2026, 6, 10);
  set_date (&before, 2026, 6, 9);

  /* Time series and total values may be read apart. */
  g_assert_true (graph_sim_set_until_reading (f->sim, "bucket_end"));
  g_assert_true (graph_sim_set_total_value_reading (f->sim, "bucket_end_inclusive"));
  g_assert_cmpint (total_reach (f, midnight (2026, 6, 10), midnight (2026, 6, 11) - 1, &present), ==,
                   graph_sim_daily_value (IG_A, "reach", &before));
  {
    g_autofree char *series = series_end_times (f, IG_A, midnight (2026, 6, 10), midnight (2026, 6, 11));

    g_assert_cmpstr (series, ==, "2026-06-11");
  }

  g_assert_true (graph_sim_set_until_reading (f->sim, "overlap"));
  g_assert_cmpint (total_reach (f, midnight (2026, 6, 10), midnight (2026, 6, 11), &present), ==,
                   graph_sim_daily_value (IG_A, "reach", &day));
}

static void
test_empty_total (Fixture       *f,
                  gconstpointer  data)
{
  /* Under bucket_end, a window ending an hour before midnight holds no bucket. */
  gint64 since = midnight (2026, 6, 10);
  gint64 until = midnight (2026, 6, 11) - 3600;
  gboolean present;

  g_assert_true (graph_sim_set_until_reading (f->sim, "bucket_end"));
  g_assert_false (graph_sim_set_empty_total (f->sim, "nothing"));

  g_assert_true (graph_sim_set_empty_total (f->sim, "empty_object"));
  total_reach (f, since, until, &present);
  g_assert_false (present);

  g_assert_true (graph_sim_set_empty_total (f->sim, "zero"));
  g_assert_cmpint (total_reach (f, since, until, &present), ==, 0);
  g_assert_true (present);

  g_assert_true (graph_sim_set_empty_total (f->sim, "missing"));
  {
    g_autoptr(Response) r = getf (f, "/v22.0/" IG_A "/insights?metric=reach,profile_views&period=day"
                                     "&metric_type=total_value&since=%" G_GINT64_FORMAT
                                     "&until=%" G_GINT64_FORMAT "&access_token=tok-1", since, until);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root_object (r), "data")),
                      ==, 0);
  }

  g_assert_true (graph_sim_set_empty_total (f->sim, "error"));
  {
    g_autoptr(Response) r = getf (f, "/v22.0/" IG_A "/insights?metric=reach&period=day"
                                     "&metric_type=total_value&since=%" G_GINT64_FORMAT
                                     "&until=%" G_GINT64_FORMAT "&access_token=tok-1", since, until);

    assert_graph_error (r, 400, 100, 0, "(#100) ");
  }

  /* A window that holds a bucket answers its value whatever the setting. */
  g_assert_cmpint (total_reach (f, since, midnight (2026, 6, 11), &present), >, 0);
}

static void
test_account_timezone (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) winter = NULL;
  g_autofree char *summer = NULL;
  g_autofree char *fall = NULL;
  g_autoptr(Response) r = NULL;
  JsonArray *values;

  g_assert_nonnull (berlin);
  g_assert_false (graph_sim_set_account_timezone (f->sim, "no-such-account", "Europe/Berlin"));
  g_assert_false (graph_sim_set_account_timezone (f->sim, IG_B, "Mars/Olympus_Mons"));
  g_assert_true (graph_sim_set_account_timezone (f->sim, IG_B, "Europe/Berlin"));

  /* Berlin's summer days end at 22:00 UTC. */
  start = g_date_time_new (berlin, 2026, 6, 10, 0, 0, 0);
  r = getf (f, "/v22.0/" IG_B "/insights?metric=reach&period=day&metric_type=time_series"
               "&since=%" G_GINT64_FORMAT "&until=%" G_GINT64_FORMAT "&access_token=tok-1",
            g_date_time_to_unix (start), g_date_time_to_unix (start) + 2 * 86400);
  values = json_object_get_array_member (data_item (r, 0), "values");
  g_assert_cmpuint (json_array_get_length (values), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (values, 0), "end_time"),
                   ==, "2026-06-10T22:00:00+0000");
  g_clear_pointer (&r, response_free);

  /* Across the end of summer time (25 October 2026): 22:00, then 23:00,
   * seen from 3 November. */
  graph_sim_set_now (f->sim, 1793736000);
  winter = g_date_time_new (berlin, 2026, 10, 24, 0, 0, 0);
  r = getf (f, "/v22.0/" IG_B "/insights?metric=reach&period=day&metric_type=time_series"
               "&since=%" G_GINT64_FORMAT "&until=%" G_GINT64_FORMAT "&access_token=tok-1",
            g_date_time_to_unix (winter), g_date_time_to_unix (winter) + 2 * 86400 + 3600);
  values = json_object_get_array_member (data_item (r, 0), "values");
  g_assert_cmpuint (json_array_get_length (values), ==, 2);
  summer = g_strdup (json_object_get_string_member (json_array_get_object_element (values, 0), "end_time"));
  fall = g_strdup (json_object_get_string_member (json_array_get_object_element (values, 1), "end_time"));
  g_assert_cmpstr (summer, ==, "2026-10-24T22:00:00+0000");
  g_assert_cmpstr (fall, ==, "2026-10-25T23:00:00+0000");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/graph-sim/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/graph-sim/formula", test_formula);
  ADD ("insights/time-series", test_time_series);
  ADD ("insights/dst-fall", test_dst_fall);
  ADD ("insights/dst-spring", test_dst_spring);
  ADD ("insights/total-value", test_total_value);
  ADD ("insights/partial-day", test_partial_day);
  ADD ("insights/breakdowns", test_breakdowns);
  ADD ("insights/validation", test_validation);
  ADD ("insights/paging", test_paging_links);
  ADD ("insights/readings", test_readings);
  ADD ("insights/total-value-reading", test_total_value_reading);
  ADD ("insights/empty-total", test_empty_total);
  ADD ("insights/account-timezone", test_account_timezone);
  ADD ("objects", test_objects);
  ADD ("profile-picture", test_profile_picture);
  ADD ("tokens/states", test_tokens);
  ADD ("tokens/debug-token", test_debug_token);
  ADD ("tokens/oauth", test_oauth);
  ADD ("tokens/dialog-page", test_dialog_page);
  ADD ("tokens/dialog-approve", test_dialog_approve);
  ADD ("tokens/dialog-refuse", test_dialog_refuse);
  ADD ("tokens/dialog-checks", test_dialog_checks);
  ADD ("tokens/issued", test_issued);
  ADD ("tokens/exchange-long-lived", test_exchange_long_lived);
  ADD ("tokens/data-access-expiry", test_data_access_expiry);
  ADD ("me-accounts", test_me_accounts);
  ADD ("batch/basic", test_batch);
  ADD ("batch/null", test_batch_null);
  ADD ("faults/http-500", test_fault_http_500);
  ADD ("faults/malformed-and-graph-error", test_fault_malformed_and_graph_error);
  ADD ("faults/drop-connection", test_fault_drop_connection);
  ADD ("faults/transient-and-permission", test_fault_transient_and_permission);
  g_test_add_func ("/graph-sim/faults/scenario", test_scenario_faults);
  ADD ("usage/headers", test_usage_headers);
  ADD ("usage/per-operation", test_usage_per_operation);
  ADD ("usage/wrapper", test_usage_wrapper);
  ADD ("usage/after-calls", test_usage_after_calls);
  ADD ("usage/page-key", test_usage_page_key);
  g_test_add_func ("/graph-sim/usage/scenario", test_usage_scenario);
  g_test_add_func ("/graph-sim/usage/throttle", test_throttle);
  ADD ("latency", test_latency);
  ADD ("routes", test_routes);
  g_test_add_func ("/graph-sim/scenario/errors", test_scenario_errors);
  g_test_add_func ("/graph-sim/scenario/demo", test_demo);

#undef ADD

  return g_test_run ();
}
