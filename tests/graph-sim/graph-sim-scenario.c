/* graph-sim-scenario.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "graph-sim-scenario"

#include "config.h"

#include "graph-sim-private.h"

/* The world served by `--demo`: two users, four pages, three accounts. */
const char _graph_sim_demo_scenario[] =
  "{"
  "  \"app\": {\"id\": \"100000000000001\", \"secret\": \"sim-app-secret\","
  "          \"call_limit\": 100000, \"enforce_limits\": false},"
  "  \"users\": ["
  "    {\"id\": \"10000000000001\", \"name\": \"Demo User\", \"token\": \"demo-token\","
  "     \"codes\": [\"demo-code\"],"
  "     \"pages\": ["
  "       {\"id\": \"200000000000001\", \"name\": \"Demo Bakery\","
  "        \"instagram_business_account\": \"17841400000000001\"},"
  "       {\"id\": \"200000000000002\", \"name\": \"Demo Studio\","
  "        \"instagram_business_account\": \"17841400000000002\"},"
  "       {\"id\": \"200000000000003\", \"name\": \"Demo Page without Instagram\"}]},"
  "    {\"id\": \"10000000000002\", \"name\": \"Second Demo User\", \"token\": \"demo-token-2\","
  "     \"codes\": [\"demo-code-2\"],"
  "     \"pages\": ["
  "       {\"id\": \"200000000000004\", \"name\": \"Demo Travel\","
  "        \"instagram_business_account\": \"17841400000000003\"}]}"
  "  ],"
  "  \"accounts\": ["
  "    {\"id\": \"17841400000000001\", \"username\": \"demo.bakery\", \"name\": \"Demo Bakery\","
  "     \"followers_count\": 12840, \"follows_count\": 310, \"media_count\": 412,"
  "     \"biography\": \"Fresh bread every morning.\", \"website\": \"https://bakery.example.com\"},"
  "    {\"id\": \"17841400000000002\", \"username\": \"demo.studio\", \"name\": \"Demo Studio\","
  "     \"followers_count\": 5310, \"follows_count\": 122, \"media_count\": 187},"
  "    {\"id\": \"17841400000000003\", \"username\": \"demo.travel\", \"name\": \"Demo Travel\","
  "     \"followers_count\": 48211, \"follows_count\": 902, \"media_count\": 1290}"
  "  ]"
  "}";

static const char * const default_scopes[] = {
  "instagram_basic",
  "instagram_manage_insights",
  "pages_show_list",
  "pages_read_engagement",
  "business_management",
  NULL
};

static gboolean
fail (GError     **error,
      const char  *where,
      const char  *what)
{
  g_set_error (error, GRAPH_SIM_ERROR, GRAPH_SIM_ERROR_SCENARIO,
               "Scenario: %s: %s", where, what);
  return FALSE;
}

static gboolean
get_string (JsonObject  *object,
            const char  *member,
            const char  *fallback,
            char       **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *out = g_strdup (fallback);
      return TRUE;
    }

  /* Ids are strings in the API, but a hand-written scenario may use
   * numbers; accept both. */
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    *out = g_strdup (json_node_get_string (node));
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    *out = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  else
    return fail (error, member, "expected a string");

  return TRUE;
}

static gboolean
get_int (JsonObject  *object,
         const char  *member,
         gint64       fallback,
         gint64      *out,
         GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *out = fallback;
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return fail (error, member, "expected an integer");

  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
get_bool (JsonObject  *object,
          const char  *member,
          gboolean     fallback,
          gboolean    *out,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *out = fallback;
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fail (error, member, "expected true or false");

  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
get_array (JsonObject  *object,
           const char  *member,
           JsonArray  **out,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, member, "expected an array");

  *out = json_node_get_array (node);
  return TRUE;
}

static gboolean
get_object_at (JsonArray   *array,
               guint        index,
               const char  *what,
               JsonObject **out,
               GError     **error)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, what, "expected an object");

  *out = json_node_get_object (node);
  return TRUE;
}

static char **
get_strv (JsonArray *array)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (node));
    }

  return g_strv_builder_end (builder);
}

static gboolean
load_account (GraphSimState  *state,
              JsonObject     *object,
              GError        **error)
{
  g_autofree char *id = NULL;
  g_autofree char *username = NULL;
  g_autofree char *zone = NULL;
  JsonArray *no_data;
  GraphSimAccount *account;
  gint64 limit;

  if (!get_string (object, "id", NULL, &id, error))
    return FALSE;
  if (id == NULL)
    return fail (error, "accounts", "every account needs an \"id\"");
  if (!get_string (object, "username", NULL, &username, error))
    return FALSE;
  if (username == NULL)
    username = g_strdup_printf ("account.%s", id);

  account = _graph_sim_state_add_account (state, id, username);
  g_clear_pointer (&account->name, g_free);
  g_clear_pointer (&account->biography, g_free);
  g_clear_pointer (&account->website, g_free);

  if (!get_string (object, "name", username, &account->name, error) ||
      !get_string (object, "biography", "", &account->biography, error) ||
      !get_string (object, "website", "", &account->website, error) ||
      !get_int (object, "followers_count", 1000, &account->followers_count, error) ||
      !get_int (object, "follows_count", 100, &account->follows_count, error) ||
      !get_int (object, "media_count", 50, &account->media_count, error) ||
      !get_int (object, "call_limit", 4800, &limit, error))
    return FALSE;

  if (limit <= 0)
    return fail (error, "call_limit", "must be positive");
  account->call_limit = (guint) limit;

  if (!get_string (object, "timezone", NULL, &zone, error) ||
      !get_array (object, "no_data_metrics", &no_data, error))
    return FALSE;
  if (zone != NULL)
    {
      GTimeZone *tz = g_time_zone_new_identifier (zone);

      if (tz == NULL)
        return fail (error, "timezone", "not a time zone this machine knows");
      g_time_zone_unref (account->timezone);
      account->timezone = tz;
    }
  if (no_data != NULL)
    account->no_data_metrics = get_strv (no_data);

  return TRUE;
}

static gboolean
load_user (GraphSimState  *state,
           JsonObject     *object,
           GError        **error)
{
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  g_autofree char *token_text = NULL;
  g_autofree char *token_state = NULL;
  GraphSimUser *user;
  GraphSimToken *token;
  JsonArray *scopes;
  JsonArray *pages;
  JsonArray *codes;

  if (!get_string (object, "id", NULL, &id, error) ||
      !get_string (object, "name", "Simulated User", &name, error) ||
      !get_string (object, "token", NULL, &token_text, error) ||
      !get_string (object, "token_state", "valid", &token_state, error) ||
      !get_array (object, "scopes", &scopes, error) ||
      !get_array (object, "pages", &pages, error) ||
      !get_array (object, "codes", &codes, error))
    return FALSE;

  if (id == NULL)
    return fail (error, "users", "every user needs an \"id\"");

  user = _graph_sim_state_add_user (state, id, name);
  user->scopes = scopes != NULL ? get_strv (scopes) : g_strdupv ((char **) default_scopes);

  if (token_text != NULL)
    {
      token = _graph_sim_state_add_token (state, user, token_text, "USER");
      if (!_graph_sim_token_state_parse (token_state, &token->state))
        return fail (error, "token_state", "expected valid, expired, password_changed or invalid");
      if (!get_int (object, "expires_at", 0, &token->expires_at, error) ||
          !get_int (object, "data_access_expires_at", 0, &token->data_access_expires_at, error) ||
          !get_int (object, "issued_at", 0, &token->issued_at, error))
        return FALSE;
    }

  for (guint i = 0; codes != NULL && i < json_array_get_length (codes); i++)
    {
      const char *text = json_array_get_string_element (codes, i);
      GraphSimCode *code;

      if (text == NULL)
        return fail (error, "codes", "expected strings");
      code = g_new0 (GraphSimCode, 1);
      code->code = g_strdup (text);
      code->user = user;
      g_hash_table_replace (state->codes, code->code, code);
    }

  for (guint i = 0; pages != NULL && i < json_array_get_length (pages); i++)
    {
      JsonObject *page_object;
      GraphSimPage *page = g_new0 (GraphSimPage, 1);

      g_ptr_array_add (user->pages, page);
      if (!get_object_at (pages, i, "pages", &page_object, error) ||
          !get_string (page_object, "id", NULL, &page->id, error) ||
          !get_string (page_object, "name", "Simulated Page", &page->name, error) ||
          !get_string (page_object, "instagram_business_account", NULL, &page->ig_id, error))
        return FALSE;
      if (page->id == NULL)
        return fail (error, "pages", "every page needs an \"id\"");
    }

  return TRUE;
}

static gboolean
load_fault (GraphSimState  *state,
            JsonObject     *object,
            GError        **error)
{
  g_autoptr(GraphSimFault) fault = g_new0 (GraphSimFault, 1);
  g_autofree char *kind = NULL;
  gint64 code, subcode, status, every, first;

  if (!get_string (object, "kind", NULL, &kind, error))
    return FALSE;
  if (!_graph_sim_fault_kind_parse (kind, &fault->kind))
    return fail (error, "faults", "kind must be http_500, malformed_json, drop_connection, "
                                  "graph_error, batch_null or unexpected_shape");

  if (!get_int (object, "code", fault->kind == GRAPH_SIM_FAULT_HTTP_500 ? 2 : 1, &code, error) ||
      !get_int (object, "subcode", 0, &subcode, error) ||
      !get_int (object, "http_status", fault->kind == GRAPH_SIM_FAULT_HTTP_500 ? 500 : 400, &status, error) ||
      !get_int (object, "every", 1, &every, error) ||
      !get_int (object, "first", 0, &first, error) ||
      !get_string (object, "message", NULL, &fault->message, error) ||
      !get_string (object, "account", NULL, &fault->account, error) ||
      !get_string (object, "metric", NULL, &fault->metric, error) ||
      !get_string (object, "path_contains", NULL, &fault->path_contains, error))
    return FALSE;

  if (every < 1 || first < 0 || status < 100 || status > 599)
    return fail (error, "faults", "every must be ≥ 1, first ≥ 0, http_status a valid status");

  fault->is_transient = -1;
  if (json_object_has_member (object, "is_transient"))
    {
      gboolean transient;

      if (!get_bool (object, "is_transient", FALSE, &transient, error))
        return FALSE;
      fault->is_transient = transient ? 1 : 0;
    }

  fault->code = (int) code;
  fault->subcode = (int) subcode;
  fault->http_status = (guint) status;
  fault->every = (guint) every;
  fault->first = (guint) first;
  g_ptr_array_add (state->faults, g_steal_pointer (&fault));

  return TRUE;
}

/* until_reading, total_value_reading (default: the same), empty_total, and
 * the older until_inclusive, which is overlap_inclusive. */
static gboolean
load_readings (GraphSimState  *state,
               JsonObject     *app,
               GError        **error)
{
  g_autofree char *until_reading = NULL;
  g_autofree char *total_value_reading = NULL;
  g_autofree char *empty_total = NULL;
  gboolean inclusive;
  gint64 delay;

  if (!get_bool (app, "until_inclusive", FALSE, &inclusive, error) ||
      !get_string (app, "until_reading", inclusive ? "overlap_inclusive" : "overlap",
                   &until_reading, error) ||
      !get_string (app, "total_value_reading", until_reading, &total_value_reading, error) ||
      !get_string (app, "empty_total", "empty_object", &empty_total, error))
    return FALSE;

  if (!_graph_sim_reading_parse (until_reading, &state->until_reading) ||
      !_graph_sim_reading_parse (total_value_reading, &state->total_value_reading))
    return fail (error, "until_reading",
                 "expected overlap, overlap_inclusive, bucket_end or bucket_end_inclusive");
  if (!_graph_sim_empty_total_parse (empty_total, &state->empty_total))
    return fail (error, "empty_total", "expected empty_object, zero, missing or error");

  if (!get_int (app, "data_delay_hours", 0, &delay, error) ||
      !get_bool (app, "reach_totals_estimated", FALSE, &state->reach_totals_estimated, error))
    return FALSE;
  if (delay < 0 || delay > 24 * 30)
    return fail (error, "data_delay_hours", "must be 0 … 720");
  state->data_delay_hours = (guint) delay;

  return TRUE;
}

/* The app's switches for the readings of the usage headers the reference
 * leaves open (§3, §4). */
static gboolean
load_usage_switches (GraphSimState  *state,
                     JsonObject     *app,
                     GError        **error)
{
  g_autofree char *where = NULL;
  g_autofree char *key = NULL;
  gint64 after_calls;

  /* Absent members keep the defaults of a fresh world. */
  if (!get_string (app, "usage_headers", NULL, &where, error) ||
      !get_string (app, "business_usage_key", NULL, &key, error) ||
      !get_int (app, "usage_headers_after_calls", state->usage_headers_after_calls,
                &after_calls, error))
    return FALSE;

  if (where != NULL && !_graph_sim_usage_headers_parse (where, &state->usage_headers))
    return fail (error, "app.usage_headers", "expected per_operation or wrapper");
  if (key != NULL && !_graph_sim_business_key_parse (key, &state->business_usage_key))
    return fail (error, "app.business_usage_key", "expected ig_user_id or page_id");
  if (after_calls < 0 || after_calls > G_MAXINT)
    return fail (error, "app.usage_headers_after_calls", "must be a non-negative integer");
  state->usage_headers_after_calls = (guint) after_calls;

  return TRUE;
}

gboolean
_graph_sim_scenario_load (GraphSimState  *state,
                          JsonNode       *root,
                          GError        **error)
{
  JsonObject *object;
  JsonNode *app_node;
  JsonArray *users, *accounts, *faults;
  gint64 latency, now;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return fail (error, "top level", "expected an object");

  object = json_node_get_object (root);

  if (!get_int (object, "latency_ms", 0, &latency, error) ||
      !get_int (object, "now", 0, &now, error) ||
      !get_array (object, "users", &users, error) ||
      !get_array (object, "accounts", &accounts, error) ||
      !get_array (object, "faults", &faults, error))
    return FALSE;

  if (latency < 0 || latency > 600000 || now < 0)
    return fail (error, "top level", "latency_ms and now must be small non-negative integers");
  state->latency_ms = (guint) latency;
  state->now = now;

  app_node = json_object_get_member (object, "app");
  if (app_node != NULL && JSON_NODE_HOLDS_OBJECT (app_node))
    {
      JsonObject *app = json_node_get_object (app_node);
      char *app_id = NULL;
      char *secret = NULL;
      g_autofree char *exchange = NULL;
      g_autofree char *data_access = NULL;
      gint64 limit;

      if (!get_string (app, "id", state->app_id, &app_id, error))
        return FALSE;
      g_free (state->app_id);
      state->app_id = app_id;

      if (!get_string (app, "secret", state->app_secret, &secret, error))
        return FALSE;
      g_free (state->app_secret);
      state->app_secret = secret;

      if (!get_int (app, "call_limit", state->app_call_limit, &limit, error) ||
          !get_bool (app, "enforce_limits", FALSE, &state->enforce_limits, error) ||
          !load_readings (state, app, error) ||
          !get_string (app, "exchange_long_lived", "new", &exchange, error) ||
          !get_string (app, "data_access_expiry", "ignored", &data_access, error))
        return FALSE;
      if (!_graph_sim_exchange_mode_parse (exchange, &state->exchange_same_long_lived))
        return fail (error, "app.exchange_long_lived", "expected \"new\" or \"same\"");
      if (!_graph_sim_data_access_mode_parse (data_access, &state->enforce_data_access))
        return fail (error, "app.data_access_expiry", "expected \"ignored\" or \"enforced\"");
      if (limit <= 0)
        return fail (error, "app.call_limit", "must be positive");
      state->app_call_limit = (guint) limit;

      if (!load_usage_switches (state, app, error))
        return FALSE;
    }
  else if (app_node != NULL && !JSON_NODE_HOLDS_NULL (app_node))
    return fail (error, "app", "expected an object");

  for (guint i = 0; accounts != NULL && i < json_array_get_length (accounts); i++)
    {
      JsonObject *account;

      if (!get_object_at (accounts, i, "accounts", &account, error) ||
          !load_account (state, account, error))
        return FALSE;
    }

  for (guint i = 0; users != NULL && i < json_array_get_length (users); i++)
    {
      JsonObject *user;

      if (!get_object_at (users, i, "users", &user, error) ||
          !load_user (state, user, error))
        return FALSE;
    }

  /* A page may link an account the scenario does not describe; it still
   * has to exist for insights to be served. */
  for (guint i = 0; i < state->users->len; i++)
    {
      GraphSimUser *user = g_ptr_array_index (state->users, i);

      for (guint j = 0; j < user->pages->len; j++)
        {
          GraphSimPage *page = g_ptr_array_index (user->pages, j);

          GraphSimAccount *account;

          if (page->ig_id == NULL)
            continue;

          account = g_hash_table_lookup (state->accounts, page->ig_id);
          if (account == NULL)
            {
              g_autofree char *username = g_strdup_printf ("account.%s", page->ig_id);

              account = _graph_sim_state_add_account (state, page->ig_id, username);
            }

          /* The Page a business_usage_key of page_id names. */
          if (account->page_id == NULL)
            account->page_id = g_strdup (page->id);
        }
    }

  for (guint i = 0; faults != NULL && i < json_array_get_length (faults); i++)
    {
      JsonObject *fault;

      if (!get_object_at (faults, i, "faults", &fault, error) ||
          !load_fault (state, fault, error))
        return FALSE;
    }

  return TRUE;
}
