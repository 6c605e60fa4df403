/* test-e2e-sync.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The whole pipeline as a user runs it: the Graph API simulator, a real
 * PostgreSQL cluster, and the instasyncctl binary.
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libpq-fe.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "graph-sim.h"
#include "instasync-test-cli.h"
#include "instasync-test-pg.h"
#include "instasync-time.h"

#define ACCOUNT_OK      "17841400000000011"
#define ACCOUNT_EXPIRED "17841400000000022"
#define ACCOUNT_FLAKY   "17841400000000033"
#define ACCOUNT_NOPERM  "17841400000000044"

#define TOKEN_OK      "EAAtok-ok-5f1c2d9b7e"
#define TOKEN_EXPIRED "EAAtok-expired-8a3e6c"
#define TOKEN_FLAKY   "EAAtok-flaky-77d0b4"
#define TOKEN_NOPERM  "EAAtok-noperm-3c95e1"
#define TOKEN_KEY     "test-token-key-0123456789abcdef"

#define WINDOW_DAYS 7

static const char scenario[] =
  "{"
  "  \"users\": ["
  "    {\"id\": \"9001\", \"name\": \"A\", \"token\": \"" TOKEN_OK "\", \"token_state\": \"valid\","
  "     \"pages\": [{\"id\": \"501\", \"name\": \"A\", \"instagram_business_account\": \"" ACCOUNT_OK "\"}]},"
  "    {\"id\": \"9002\", \"name\": \"B\", \"token\": \"" TOKEN_EXPIRED "\", \"token_state\": \"valid\","
  "     \"pages\": [{\"id\": \"502\", \"name\": \"B\", \"instagram_business_account\": \"" ACCOUNT_EXPIRED "\"}]},"
  "    {\"id\": \"9003\", \"name\": \"C\", \"token\": \"" TOKEN_FLAKY "\", \"token_state\": \"valid\","
  "     \"pages\": [{\"id\": \"503\", \"name\": \"C\", \"instagram_business_account\": \"" ACCOUNT_FLAKY "\"}]},"
  "    {\"id\": \"9004\", \"name\": \"D\", \"token\": \"" TOKEN_NOPERM "\", \"token_state\": \"valid\","
  "     \"pages\": [{\"id\": \"504\", \"name\": \"D\", \"instagram_business_account\": \"" ACCOUNT_NOPERM "\"}]}"
  "  ],"
  "  \"accounts\": ["
  "    {\"id\": \"" ACCOUNT_OK "\", \"username\": \"ok.account\", \"followers_count\": 5000},"
  "    {\"id\": \"" ACCOUNT_EXPIRED "\", \"username\": \"expired.account\", \"followers_count\": 5000},"
  "    {\"id\": \"" ACCOUNT_FLAKY "\", \"username\": \"flaky.account\", \"followers_count\": 5000},"
  "    {\"id\": \"" ACCOUNT_NOPERM "\", \"username\": \"noperm.account\", \"followers_count\": 5000}"
  "  ],"
  "  \"faults\": ["
  "    {\"kind\": \"graph_error\", \"account\": \"" ACCOUNT_FLAKY "\", \"metric\": \"accounts_engaged\","
  "     \"code\": 100, \"subcode\": 2108006, \"http_status\": 400, \"every\": 1,"
  "     \"message\": \"(#100) Insights are not available for this account\"}"
  "  ]"
  "}";

typedef struct
{
  InstaSyncTestPg *pg;
  GraphSim        *sim;
  char            *sim_url;
  char            *data_dir;
  GPtrArray       *env;
  char            *since;
  char            *until;
  GDate            first_day;
  GDate            last_day;
  GString         *everything_printed;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GDate today;

  fixture->pg = instasync_test_pg_start_checked ();

  fixture->sim = graph_sim_new ();
  g_assert_true (graph_sim_load_scenario_data (fixture->sim, scenario, -1, &error));
  g_assert_no_error (error);
  g_assert_true (graph_sim_start (fixture->sim, 0, &error));
  g_assert_no_error (error);
  fixture->sim_url = graph_sim_get_base_url (fixture->sim);

  fixture->data_dir = g_dir_make_tmp ("instasync-e2e-XXXXXX", &error);
  g_assert_no_error (error);

  /* A week ending yesterday, Pacific time: inside follower_count's window. */
  instasync_pacific_date_at (g_get_real_time () / G_USEC_PER_SEC, &today);
  fixture->last_day = today;
  g_date_subtract_days (&fixture->last_day, 1);
  fixture->first_day = fixture->last_day;
  g_date_subtract_days (&fixture->first_day, WINDOW_DAYS - 1);
  fixture->since = instasync_format_date (&fixture->first_day);
  fixture->until = instasync_format_date (&fixture->last_day);

  fixture->env = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (fixture->env, g_strdup_printf ("INSTASYNC_DATABASE_URL=%s",
                                                  instasync_test_pg_get_conninfo (fixture->pg)));
  g_ptr_array_add (fixture->env, g_strdup_printf ("INSTASYNC_GRAPH_URL=%s", fixture->sim_url));
  g_ptr_array_add (fixture->env, g_strdup ("INSTASYNC_TOKEN_KEY=" TOKEN_KEY));
  g_ptr_array_add (fixture->env, g_strdup ("INSTASYNC_RETRY_DELAY_MS=5"));
  g_ptr_array_add (fixture->env, g_strdup_printf ("INSTASYNC_DATA_DIR=%s", fixture->data_dir));
  g_ptr_array_add (fixture->env, g_strdup_printf ("INSTASYNC_SECRETS_FILE=%s/none.ini",
                                                  fixture->data_dir));
  g_ptr_array_add (fixture->env, NULL);

  fixture->everything_printed = g_string_new (NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  /* Tokens appear in nothing InstaSync printed, whatever happened. */
  g_assert_null (strstr (fixture->everything_printed->str, TOKEN_OK));
  g_assert_null (strstr (fixture->everything_printed->str, TOKEN_EXPIRED));
  g_assert_null (strstr (fixture->everything_printed->str, TOKEN_FLAKY));
  g_assert_null (strstr (fixture->everything_printed->str, TOKEN_NOPERM));
  g_assert_null (strstr (fixture->everything_printed->str, TOKEN_KEY));

  g_string_free (fixture->everything_printed, TRUE);
  g_clear_object (&fixture->sim);
  g_clear_pointer (&fixture->pg, instasync_test_pg_free);
  g_clear_pointer (&fixture->env, g_ptr_array_unref);
  g_clear_pointer (&fixture->sim_url, g_free);
  g_clear_pointer (&fixture->since, g_free);
  g_clear_pointer (&fixture->until, g_free);
  if (fixture->data_dir != NULL)
    {
      g_autoptr(GFile) dir = g_file_new_for_path (fixture->data_dir);
      g_file_delete (dir, NULL, NULL);
      g_clear_pointer (&fixture->data_dir, g_free);
    }
}

static void
ctl (Fixture            *fixture,
     CtlRun             *run,
     const char         *input,
     const char * const *args)
{
  instasync_test_ctl_run (run, (const char * const *)fixture->env->pdata, input, args);
  g_string_append (fixture->everything_printed, run->out);
  g_string_append (fixture->everything_printed, run->err);
}

static void
add_account (Fixture    *fixture,
             const char *ig_user_id,
             const char *username,
             const char *token)
{
  CtlRun run = { 0, };
  g_autofree char *input = g_strdup_printf ("%s\n", token);
  const char *args[] = { "account", "add", "--ig-user-id", ig_user_id,
                         "--username", username, "--token-stdin", NULL };

  ctl (fixture, &run, input, args);
  g_assert_cmpint (run.status, ==, 0);
  instasync_test_ctl_clear (&run);

  /* The API's days as already learnt: these tests count the calls of the
   * sync itself, and test-e2e-readings those of the probe that learns them. */
  instasync_test_pg_assume_default_days (instasync_test_pg_get_conninfo (fixture->pg),
                                         fixture->sim_url);
}

/* The fixture's environment with one variable replaced. */
static GPtrArray *
env_replacing (Fixture    *fixture,
               const char *name,
               const char *assignment)
{
  GPtrArray *env = g_ptr_array_new ();
  g_autofree char *prefix = g_strconcat (name, "=", NULL);

  for (guint i = 0; g_ptr_array_index (fixture->env, i) != NULL; i++)
    if (!g_str_has_prefix (g_ptr_array_index (fixture->env, i), prefix))
      g_ptr_array_add (env, g_ptr_array_index (fixture->env, i));
  g_ptr_array_add (env, (char *)assignment);
  g_ptr_array_add (env, NULL);
  return env;
}

static PGconn *
connect_db (Fixture *fixture)
{
  PGconn *conn = PQconnectdb (instasync_test_pg_get_conninfo (fixture->pg));

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  return conn;
}

static gint64
query_int (PGconn     *conn,
           const char *sql)
{
  PGresult *result = PQexec (conn, sql);
  gint64 value;

  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  g_assert_cmpint (PQntuples (result), ==, 1);
  value = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  PQclear (result);
  return value;
}

static JsonArray *
parse_results (const char *text,
               JsonNode  **root_out)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  *root_out = json_node_ref (json_parser_get_root (parser));
  g_assert_true (JSON_NODE_HOLDS_ARRAY (*root_out));
  return json_node_get_array (*root_out);
}

static JsonObject *
find_result (JsonArray  *results,
             const char *ig_user_id)
{
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *object = json_array_get_object_element (results, i);

      if (g_str_equal (json_object_get_string_member (object, "ig_user_id"), ig_user_id))
        return object;
    }

  g_assert_not_reached ();
}

/* Every stored row of @ig_user_id equals the simulator's formula, and every
 * day of the window is there for every metric. */
static void
assert_rows_match_formula (Fixture    *fixture,
                           PGconn     *conn,
                           const char *ig_user_id)
{
  const char *params[] = { ig_user_id };
  PGresult *result;
  guint matched = 0;

  result = PQexecParams (conn,
                         "SELECT metric, metric_type, extract(epoch FROM end_time)::bigint, value, "
                         "       extract(epoch FROM window_start)::bigint, breakdown "
                         "FROM instagram_insights WHERE ig_user_id = $1 ORDER BY metric, end_time",
                         1, NULL, params, NULL, NULL, 0);
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  g_assert_cmpint (PQntuples (result), ==, WINDOW_DAYS * 4);

  for (int i = 0; i < PQntuples (result); i++)
    {
      const char *metric = PQgetvalue (result, i, 0);
      const char *metric_type = PQgetvalue (result, i, 1);
      gint64 end_time = g_ascii_strtoll (PQgetvalue (result, i, 2), NULL, 10);
      gint64 value = g_ascii_strtoll (PQgetvalue (result, i, 3), NULL, 10);
      gint64 window_start = g_ascii_strtoll (PQgetvalue (result, i, 4), NULL, 10);
      GDate day;

      instasync_pacific_day_of_end_time (end_time, &day);
      g_assert_cmpint (g_date_compare (&day, &fixture->first_day), >=, 0);
      g_assert_cmpint (g_date_compare (&day, &fixture->last_day), <=, 0);
      /* end_time is the Pacific midnight closing the day. */
      g_assert_cmpint (end_time, ==, instasync_pacific_day_end (&day));
      g_assert_cmpint (window_start, ==, instasync_pacific_day_start (&day));
      g_assert_cmpstr (PQgetvalue (result, i, 5), ==, "");
      g_assert_cmpint (value, ==, graph_sim_daily_value (ig_user_id, metric, &day));

      /* reach and follower_count come as time series, the rest one day at a time. */
      if (g_str_equal (metric, "reach") || g_str_equal (metric, "follower_count"))
        g_assert_cmpstr (metric_type, ==, "time_series");
      else
        g_assert_cmpstr (metric_type, ==, "total_value");
      matched++;
    }

  g_assert_cmpuint (matched, ==, WINDOW_DAYS * 4);
  PQclear (result);
}

static void
test_sync_twice (Fixture       *fixture,
                 gconstpointer  data)
{
  CtlRun run = { 0, };
  g_autoptr(JsonNode) first_root = NULL;
  g_autoptr(JsonNode) second_root = NULL;
  const char *sync_args[] = { "sync", "--since", fixture->since, "--until", fixture->until,
                              "--json", NULL };
  JsonArray *results;
  JsonObject *ok, *expired, *flaky, *errors0;
  PGconn *conn;

  add_account (fixture, ACCOUNT_OK, "ok.account", TOKEN_OK);
  add_account (fixture, ACCOUNT_EXPIRED, "expired.account", TOKEN_EXPIRED);
  add_account (fixture, ACCOUNT_FLAKY, "flaky.account", TOKEN_FLAKY);
  /* Adding it proved that the token reached the account; it expires after. */
  g_assert_true (graph_sim_set_token_state (fixture->sim, TOKEN_EXPIRED, "expired"));

  /* First run: some accounts fail, so the exit status is 1. */
  ctl (fixture, &run, NULL, sync_args);
  g_assert_cmpint (run.status, ==, 1);
  results = parse_results (run.out, &first_root);
  g_assert_cmpuint (json_array_get_length (results), ==, 3);

  ok = find_result (results, ACCOUNT_OK);
  g_assert_cmpstr (json_object_get_string_member (ok, "status"), ==, "succeeded");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (ok, "rows"), "inserted"),
                   ==, WINDOW_DAYS * 4);
  /* One time series request each for reach and follower_count, one per day
   * for the two total-value metrics together: the first alone (a refused
   * token costs one call), the others in one batch. */
  g_assert_cmpint (json_object_get_int_member (ok, "api_calls"), ==, 2 + WINDOW_DAYS);
  g_assert_cmpint (json_object_get_int_member (ok, "http_requests"), ==, 2);

  /* The expired token: reconnect, never retried, nothing stored. */
  expired = find_result (results, ACCOUNT_EXPIRED);
  g_assert_cmpstr (json_object_get_string_member (expired, "status"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (expired, "action"), ==, "reconnect");
  g_assert_cmpint (json_object_get_int_member (expired, "http_requests"), ==, 1);
  errors0 = json_array_get_object_element (json_object_get_array_member (expired, "errors"), 0);
  g_assert_cmpint (json_object_get_int_member (errors0, "code"), ==, 190);
  g_assert_cmpint (json_object_get_int_member (errors0, "subcode"), ==, 463);

  /* One metric that errors fails alone. */
  flaky = find_result (results, ACCOUNT_FLAKY);
  g_assert_cmpstr (json_object_get_string_member (flaky, "status"), ==, "partial");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (flaky, "metrics_failed")), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (flaky, "metrics_failed"), 0),
                   ==, "accounts_engaged");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (flaky, "metrics_succeeded")), ==, 3);
  errors0 = json_array_get_object_element (json_object_get_array_member (flaky, "errors"), 0);
  g_assert_cmpstr (json_object_get_string_member (errors0, "action"), ==, "skip_metric");
  g_assert_cmpint (json_object_get_int_member (errors0, "subcode"), ==, 2108006);
  instasync_test_ctl_clear (&run);

  conn = connect_db (fixture);
  assert_rows_match_formula (fixture, conn, ACCOUNT_OK);
  g_assert_cmpint (query_int (conn, "SELECT count(*) FROM instagram_insights WHERE ig_user_id = '"
                                    ACCOUNT_EXPIRED "'"), ==, 0);
  g_assert_cmpint (query_int (conn, "SELECT count(*) FROM instagram_insights WHERE ig_user_id = '"
                                    ACCOUNT_FLAKY "' AND metric = 'accounts_engaged'"), ==, 0);
  g_assert_cmpint (query_int (conn, "SELECT count(*) FROM instagram_insights WHERE ig_user_id = '"
                                    ACCOUNT_FLAKY "'"), ==, WINDOW_DAYS * 3);
  g_assert_cmpint (query_int (conn, "SELECT count(*) FROM instagram_accounts WHERE ig_user_id = '"
                                    ACCOUNT_EXPIRED "' AND status = 'needs_reconnect'"), ==, 1);

  /* Second run: nothing new, nothing duplicated. */
  ctl (fixture, &run, NULL, sync_args);
  g_assert_cmpint (run.status, ==, 1);
  results = parse_results (run.out, &second_root);
  ok = find_result (results, ACCOUNT_OK);
  g_assert_cmpstr (json_object_get_string_member (ok, "status"), ==, "succeeded");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (ok, "rows"), "inserted"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (ok, "rows"), "updated"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (ok, "rows"), "unchanged"),
                   ==, WINDOW_DAYS * 4);
  /* An account marked for reconnection spends no call at all. */
  expired = find_result (results, ACCOUNT_EXPIRED);
  g_assert_cmpint (json_object_get_int_member (expired, "api_calls"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (expired, "action"), ==, "reconnect");
  instasync_test_ctl_clear (&run);

  assert_rows_match_formula (fixture, conn, ACCOUNT_OK);
  g_assert_cmpint (query_int (conn,
                              "SELECT count(*) - count(DISTINCT (ig_user_id, metric, period, metric_type, "
                              "window_start, end_time, breakdown, dimension_value)) "
                              "FROM instagram_insights"), ==, 0);

  /* Every run of every account is in the sync log, with its counts. */
  g_assert_cmpint (query_int (conn, "SELECT count(*) FROM instagram_sync_logs"), ==, 6);
  g_assert_cmpint (query_int (conn, "SELECT count(*) FROM instagram_sync_logs WHERE ig_user_id = '"
                                    ACCOUNT_OK "' AND status = 'succeeded'"), ==, 2);
  g_assert_cmpint (query_int (conn, "SELECT sum(rows_inserted) FROM instagram_sync_logs WHERE ig_user_id = '"
                                    ACCOUNT_OK "'"), ==, WINDOW_DAYS * 4);
  g_assert_cmpint (query_int (conn, "SELECT count(*) FROM instagram_sync_logs WHERE ig_user_id = '"
                                    ACCOUNT_EXPIRED "' AND status = 'failed' "
                                    "AND errors::text LIKE '%reconnect%'"), ==, 2);
  g_assert_cmpint (query_int (conn, "SELECT count(*) FROM instagram_sync_logs WHERE ig_user_id = '"
                                    ACCOUNT_FLAKY "' AND status = 'partial' "
                                    "AND errors::text LIKE '%accounts_engaged%'"), ==, 2);
  PQfinish (conn);
}

static void
test_text_output_and_status (Fixture       *fixture,
                             gconstpointer  data)
{
  CtlRun run = { 0, };
  const char *sync_args[] = { "sync", "--account", ACCOUNT_OK, "--since", fixture->since,
                              "--until", fixture->until, NULL };
  const char *status_args[] = { "status", "--json", NULL };
  const char *list_args[] = { "account", "list", NULL };
  const char *export_args[] = { "export", "--format", "csv", "--account", ACCOUNT_OK,
                                "--since", fixture->since, "--until", fixture->until, NULL };
  g_autofree char *expected_summary = NULL;
  g_auto(GStrv) lines = NULL;

  add_account (fixture, ACCOUNT_OK, "ok.account", TOKEN_OK);
  add_account (fixture, ACCOUNT_FLAKY, "flaky.account", TOKEN_FLAKY);

  ctl (fixture, &run, NULL, sync_args);
  g_assert_cmpint (run.status, ==, 0);
  expected_summary = g_strdup_printf ("ok.account: 4 of 4 metrics · %d rows, %d new · ",
                                      WINDOW_DAYS * 4, WINDOW_DAYS * 4);
  g_assert_true (g_str_has_prefix (run.out, expected_summary));
  /* --account syncs that account alone. */
  g_assert_null (strstr (run.out, "flaky.account"));
  instasync_test_ctl_clear (&run);

  ctl (fixture, &run, NULL, status_args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"last_sync\" : {"));
  g_assert_nonnull (strstr (run.out, "\"last_sync\" : null"));
  instasync_test_ctl_clear (&run);

  ctl (fixture, &run, NULL, list_args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, ACCOUNT_OK));
  g_assert_nonnull (strstr (run.out, "flaky.account"));
  instasync_test_ctl_clear (&run);

  ctl (fixture, &run, NULL, export_args);
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (g_strchomp (run.out), "\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "ig_user_id,metric,"));
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + WINDOW_DAYS * 4);
  instasync_test_ctl_clear (&run);
}

static void
test_bad_usage (Fixture       *fixture,
                gconstpointer  data)
{
  const char * const usage_errors[][8] = {
    { "sync", "--since", "2024-02-30", NULL },
    { "sync", "--since", "yesterday", NULL },
    { "sync", "--since", "2030-01-01", "--until", "2030-01-02", NULL },
    { "sync", "--since", "2020-01-01", "--until", "2020-01-31", NULL },
    { "sync", "--metrics", "reach,bogus", NULL },
    { "sync", "--account", "12;DROP TABLE x", NULL },
    { "sync", "--account", "999", NULL },
    { "sync", "--bogus", NULL },
    { "account", "add", "--ig-user-id", "1", NULL },
    { "account", "add", "--ig-user-id", "abc", "--token-stdin", NULL },
    { "account", "remove", "123", NULL },
    { "export", "--format", "xml", NULL },
    { "frobnicate", NULL },
  };

  add_account (fixture, ACCOUNT_OK, "ok.account", TOKEN_OK);

  for (guint i = 0; i < G_N_ELEMENTS (usage_errors); i++)
    {
      CtlRun run = { 0, };

      ctl (fixture, &run, "", usage_errors[i]);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_true (g_str_has_prefix (run.err, "instasyncctl"));
      instasync_test_ctl_clear (&run);
    }

  /* A wrong token key is a clear configuration error, not a crash and not a
   * plaintext fallback. */
  {
    CtlRun run = { 0, };
    const char *args[] = { "sync", NULL };
    g_autoptr(GPtrArray) env = env_replacing (fixture, "INSTASYNC_TOKEN_KEY",
                                              "INSTASYNC_TOKEN_KEY=not-the-key");

    instasync_test_ctl_run (&run, (const char * const *)env->pdata, NULL, args);
    g_string_append (fixture->everything_printed, run.err);
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "key"));
    instasync_test_ctl_clear (&run);
  }
}

/* Runs `account list --json`; returns how many accounts it lists. */
static guint
count_listed_accounts (Fixture *fixture)
{
  CtlRun run = { 0, };
  const char *args[] = { "account", "list", "--json", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  guint n;

  ctl (fixture, &run, NULL, args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_no_error (error);
  n = json_array_get_length (json_node_get_array (json_parser_get_root (parser)));
  instasync_test_ctl_clear (&run);
  return n;
}

/* Claiming an account proves the token reaches it: the API is asked for
 * the account with the token before anything is stored. A token granted
 * for another account, or one the API does not know, is refused with exit
 * status 2 and nothing is stored; the right token adds the account, with
 * the username the API gives. */
static void
test_add_needs_reaching_token (Fixture       *fixture,
                               gconstpointer  data)
{
  const char *add_ok[] = { "account", "add", "--ig-user-id", ACCOUNT_OK, "--token-stdin", NULL };
  const char *add_flaky[] = { "account", "add", "--ig-user-id", ACCOUNT_FLAKY, "--username",
                              "mine.now", "--token-stdin", NULL };
  const char *list_text[] = { "account", "list", NULL };
  const char * const wrong_tokens[] = { TOKEN_OK "\n", "EAAtok-nobody-knows-this\n" };
  CtlRun run = { 0, };

  /* Somebody else's token (its user manages another account), and no
   * token at all as far as the API knows. */
  for (guint i = 0; i < G_N_ELEMENTS (wrong_tokens); i++)
    {
      ctl (fixture, &run, wrong_tokens[i], add_flaky);
      g_test_message ("%s", run.err);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_nonnull (strstr (run.err, "does not reach Instagram account " ACCOUNT_FLAKY));
      g_assert_null (strstr (run.err, "EAAtok-nobody-knows-this"));
      instasync_test_ctl_clear (&run);
      g_assert_cmpuint (count_listed_accounts (fixture), ==, 0);
    }

  ctl (fixture, &run, TOKEN_OK "\n", add_ok);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Added account " ACCOUNT_OK " (ok.account)"));
  instasync_test_ctl_clear (&run);
  g_assert_cmpuint (count_listed_accounts (fixture), ==, 1);

  ctl (fixture, &run, NULL, list_text);
  g_assert_nonnull (strstr (run.out, "ok.account"));
  g_assert_null (strstr (run.out, "mine.now"));
  instasync_test_ctl_clear (&run);

  /* Removing it with --delete-data takes its history along. */
  {
    const char *sync_args[] = { "sync", "--since", fixture->since, "--until", fixture->until,
                                NULL };
    const char *remove_args[] = { "account", "remove", "--delete-data", ACCOUNT_OK, NULL };
    g_autoptr(InstaSyncStore) store = NULL;
    g_autoptr(GError) error = NULL;

    instasync_test_pg_assume_default_days (instasync_test_pg_get_conninfo (fixture->pg),
                                           fixture->sim_url);
    ctl (fixture, &run, NULL, sync_args);
    g_assert_cmpint (run.status, ==, 0);
    instasync_test_ctl_clear (&run);
    store = instasync_store_connect (instasync_test_pg_get_conninfo (fixture->pg), &error);
    g_assert_no_error (error);
    g_assert_cmpint (instasync_store_count_insights (store, ACCOUNT_OK, &error), >, 0);

    ctl (fixture, &run, NULL, remove_args);
    g_assert_cmpint (run.status, ==, 0);
    instasync_test_ctl_clear (&run);
    g_assert_cmpuint (count_listed_accounts (fixture), ==, 0);
    g_assert_cmpint (instasync_store_count_insights (store, ACCOUNT_OK, &error), ==, 0);
    g_assert_no_error (error);
  }
}

/* Garbled bodies, server errors and dropped connections: a transient fault
 * is retried and leaves no trace in the data; a persistent one fails its
 * metric alone, with a clear error in the result and the sync log, and no
 * row of garbage. */
static void
test_faults (Fixture       *fixture,
             gconstpointer  data)
{
  CtlRun run = { 0, };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  const char *sync_args[] = { "sync", "--since", fixture->since, "--until", fixture->until,
                              "--json", NULL };
  JsonArray *results;
  JsonObject *ok, *flaky, *error0;
  PGconn *conn;

  add_account (fixture, ACCOUNT_OK, "ok.account", TOKEN_OK);
  add_account (fixture, ACCOUNT_FLAKY, "flaky.account", TOKEN_FLAKY);

  /* For ACCOUNT_OK: every kind of transient fault once. */
  g_assert_true (graph_sim_add_fault (fixture->sim, "http_500:first=1:code=2:account=" ACCOUNT_OK, &error));
  g_assert_true (graph_sim_add_fault (fixture->sim, "malformed_json:first=1:metric=profile_views:account="
                                      ACCOUNT_OK, &error));
  g_assert_true (graph_sim_add_fault (fixture->sim, "drop_connection:first=1:metric=follower_count:account="
                                      ACCOUNT_OK, &error));
  /* For ACCOUNT_FLAKY: reach's body is always garbled (accounts_engaged already fails
   * by the scenario). */
  g_assert_true (graph_sim_add_fault (fixture->sim, "malformed_json:every=1:metric=reach:account="
                                      ACCOUNT_FLAKY, &error));
  g_assert_no_error (error);

  ctl (fixture, &run, NULL, sync_args);
  g_assert_cmpint (run.status, ==, 1);
  results = parse_results (run.out, &root);

  ok = find_result (results, ACCOUNT_OK);
  g_assert_cmpstr (json_object_get_string_member (ok, "status"), ==, "succeeded");
  /* The faults cost retries, and nothing else: all the data is there. */
  g_assert_cmpint (json_object_get_int_member (ok, "api_calls"), >=, 2 + WINDOW_DAYS);
  g_assert_cmpint (json_object_get_int_member (ok, "http_requests"), >=, 2);

  flaky = find_result (results, ACCOUNT_FLAKY);
  g_assert_cmpstr (json_object_get_string_member (flaky, "status"), ==, "partial");
  error0 = json_array_get_object_element (json_object_get_array_member (flaky, "errors"), 0);
  g_assert_cmpstr (json_object_get_string_member (error0, "metric"), ==, "reach");
  g_assert_cmpstr (json_object_get_string_member (error0, "domain"), ==, "instasync");
  g_assert_nonnull (strstr (json_object_get_string_member (error0, "message"), "not valid JSON"));
  /* reach first and alone, as a plain GET: its garbled answer asked twice
   * more (three requests of one call) and given up; then one batch of
   * 1 + 7 operations; of the daily total-value requests, refused because
   * of accounts_engaged, the first is split into one request per metric,
   * which finds it, and the other days are asked again without it. */
  g_assert_cmpint (json_object_get_int_member (flaky, "api_calls"), ==,
                   1 + (1 + WINDOW_DAYS) + 2 + (WINDOW_DAYS - 1));
  g_assert_cmpint (json_object_get_int_member (flaky, "http_requests"), ==, 3 + 1 + 2);
  instasync_test_ctl_clear (&run);

  conn = connect_db (fixture);
  assert_rows_match_formula (fixture, conn, ACCOUNT_OK);
  g_assert_cmpint (query_int (conn, "SELECT count(*) FROM instagram_insights WHERE ig_user_id = '"
                                    ACCOUNT_FLAKY "' AND metric = 'reach'"), ==, 0);
  g_assert_cmpint (query_int (conn, "SELECT count(*) FROM instagram_sync_logs WHERE ig_user_id = '"
                                    ACCOUNT_FLAKY "' AND status = 'partial' AND metrics_failed = 2 "
                                    "AND errors::text LIKE '%not valid JSON%'"), ==, 1);
  PQfinish (conn);
}

/* Two of the reference's open cases: code 10 for one account is that
 * account's missing permission, and fails it alone with a message that
 * says what to do; codes 1 and 2 may come with HTTP 400 and is_transient,
 * and are retried like any transient error. */
static void
test_permission_and_transient (Fixture       *fixture,
                               gconstpointer  data)
{
  CtlRun run = { 0, };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  const char *sync_args[] = { "sync", "--since", fixture->since, "--until", fixture->until,
                              "--json", NULL };
  JsonArray *results;
  JsonArray *errors;
  JsonObject *ok, *denied;
  PGconn *conn;

  add_account (fixture, ACCOUNT_OK, "ok.account", TOKEN_OK);
  add_account (fixture, ACCOUNT_NOPERM, "noperm.account", TOKEN_NOPERM);

  g_assert_true (graph_sim_add_fault (fixture->sim, "graph_error:code=10:http_status=403:account="
                                      ACCOUNT_NOPERM, &error));
  g_assert_true (graph_sim_add_fault (fixture->sim, "graph_error:first=2:code=2:http_status=400:"
                                      "is_transient=true:account=" ACCOUNT_OK, &error));
  g_assert_true (graph_sim_add_fault (fixture->sim, "graph_error:first=1:code=1:http_status=400:"
                                      "is_transient=true:metric=follower_count:account=" ACCOUNT_OK,
                                      &error));
  g_assert_no_error (error);

  ctl (fixture, &run, NULL, sync_args);
  g_assert_cmpint (run.status, ==, 1);
  results = parse_results (run.out, &root);
  g_assert_cmpuint (json_array_get_length (results), ==, 2);

  /* Retried: every row is there, and nothing failed. */
  ok = find_result (results, ACCOUNT_OK);
  g_assert_cmpstr (json_object_get_string_member (ok, "status"), ==, "succeeded");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (ok, "errors")), ==, 0);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (ok, "rows"), "inserted"),
                   ==, WINDOW_DAYS * 4);
  g_assert_cmpint (json_object_get_int_member (ok, "api_calls"), >, 2 + WINDOW_DAYS);

  /* The account without the permission: failed, to be reconnected, with
   * the API's words and what to do. */
  denied = find_result (results, ACCOUNT_NOPERM);
  g_assert_cmpstr (json_object_get_string_member (denied, "status"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (denied, "action"), ==, "reconnect");
  errors = json_object_get_array_member (denied, "errors");
  g_assert_cmpuint (json_array_get_length (errors), >, 0);
  for (guint i = 0; i < json_array_get_length (errors); i++)
    {
      JsonObject *entry = json_array_get_object_element (errors, i);
      const char *message = json_object_get_string_member (entry, "message");

      g_assert_cmpint (json_object_get_int_member (entry, "code"), ==, 10);
      g_assert_true (g_str_has_prefix (message, "(#10) Application does not have permission for this action"));
      g_assert_nonnull (strstr (message, "reconnect the account"));
      g_assert_nonnull (strstr (message, "instagram_manage_insights"));
    }
  instasync_test_ctl_clear (&run);

  conn = connect_db (fixture);
  assert_rows_match_formula (fixture, conn, ACCOUNT_OK);
  g_assert_cmpint (query_int (conn, "SELECT count(*) FROM instagram_insights WHERE ig_user_id = '"
                                    ACCOUNT_NOPERM "'"), ==, 0);
  g_assert_cmpint (query_int (conn, "SELECT count(*) FROM instagram_accounts WHERE ig_user_id = '"
                                    ACCOUNT_NOPERM "' AND status = 'needs_reconnect'"), ==, 1);
  /* What to do stays with the account, for the next sync and the app. */
  g_assert_cmpint (query_int (conn, "SELECT count(*) FROM instagram_accounts WHERE ig_user_id = '"
                                    ACCOUNT_NOPERM "' AND status_reason LIKE '%instagram_manage_insights%'"),
                   ==, 1);
  g_assert_cmpint (query_int (conn, "SELECT count(*) FROM instagram_accounts WHERE ig_user_id = '"
                                    ACCOUNT_OK "' AND status = 'active'"), ==, 1);
  g_assert_cmpint (query_int (conn, "SELECT count(*) FROM instagram_sync_logs WHERE ig_user_id = '"
                                    ACCOUNT_NOPERM "' AND status = 'failed' "
                                    "AND errors::text LIKE '%instagram_manage_insights%'"), ==, 1);
  PQfinish (conn);
}

/* Database first, the secrets file only when the database holds no account. */
static void
test_secrets_fallback (Fixture       *fixture,
                       gconstpointer  data)
{
  CtlRun run = { 0, };
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autofree char *secrets = g_build_filename (fixture->data_dir, "none.ini", NULL);
  const char *sync_args[] = { "sync", "--since", fixture->since, "--until", fixture->until,
                              "--json", NULL };
  JsonArray *results;

  g_assert_true (g_file_set_contents (secrets,
                                      "[account " ACCOUNT_OK "]\n"
                                      "username=ok.account\n"
                                      "access_token=" TOKEN_OK "\n", -1, NULL));

  ctl (fixture, &run, NULL, sync_args);
  g_assert_cmpint (run.status, ==, 0);
  results = parse_results (run.out, &first);
  g_assert_cmpuint (json_array_get_length (results), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (find_result (results, ACCOUNT_OK), "status"),
                   ==, "succeeded");
  instasync_test_ctl_clear (&run);

  /* Once the database has an account, the file is not read. */
  add_account (fixture, ACCOUNT_FLAKY, "flaky.account", TOKEN_FLAKY);
  ctl (fixture, &run, NULL, sync_args);
  results = parse_results (run.out, &second);
  g_assert_cmpuint (json_array_get_length (results), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0),
                                                  "ig_user_id"), ==, ACCOUNT_FLAKY);
  instasync_test_ctl_clear (&run);

  g_remove (secrets);
}

/* A database that is not there: a clear error and a failing exit status. */
static void
test_database_down (Fixture       *fixture,
                    gconstpointer  data)
{
  CtlRun run = { 0, };
  g_autoptr(GPtrArray) env =
    env_replacing (fixture, "INSTASYNC_DATABASE_URL",
                   "INSTASYNC_DATABASE_URL=postgresql://nobody@127.0.0.1:9/none?connect_timeout=2");
  const char *args[] = { "sync", NULL };

  instasync_test_ctl_run (&run, (const char * const *)env->pdata, NULL, args);
  g_string_append (fixture->everything_printed, run.err);
  g_assert_cmpint (run.status, !=, 0);
  g_assert_true (g_str_has_prefix (run.err, "instasyncctl: "));
  g_assert_nonnull (strstr (run.err, "127.0.0.1"));
  instasync_test_ctl_clear (&run);
}

/* The README's demo: its own simulator, its own embedded cluster. */
static void
test_demo (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home = g_dir_make_tmp ("instasync-demo-XXXXXX", &error);
  g_autofree char *data_home = NULL;
  g_autofree char *home_env = NULL;
  g_autofree char *data_env = NULL;
  g_autofree char *instasync_data_env = NULL;
  const char *args[] = { "--demo", NULL };
  const char *status_args[] = { "--demo", "status", NULL };
  CtlRun run = { 0, };

  g_assert_no_error (error);
  /* The embedded server runs as the postgres user when we are root. */
  g_assert_cmpint (g_chmod (home, 0755), ==, 0);
  data_home = g_build_filename (home, "data", NULL);
  home_env = g_strdup_printf ("HOME=%s", home);
  data_env = g_strdup_printf ("XDG_DATA_HOME=%s", data_home);
  instasync_data_env = g_strdup_printf ("INSTASYNC_DATA_DIR=%s/instasync", data_home);

  {
    /* As root the default is /var/lib/instasync: keep the test to itself. */
    const char *env[] = { home_env, data_env, geteuid () == 0 ? instasync_data_env : NULL, NULL };

    instasync_test_ctl_run (&run, env, NULL, args);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "demo.bakery: 4 of 4 metrics"));
    g_assert_nonnull (strstr (run.out, "demo.studio: 4 of 4 metrics"));
    g_assert_nonnull (strstr (run.out, "demo.travel: 4 of 4 metrics"));
    g_assert_null (strstr (run.out, "demo-token"));
    instasync_test_ctl_clear (&run);

    /* A second demo reuses the cluster: everything is already there. */
    instasync_test_ctl_run (&run, env, NULL, args);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "rows, 0 new"));
    instasync_test_ctl_clear (&run);

    instasync_test_ctl_run (&run, env, NULL, status_args);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "demo.bakery"));
    g_assert_nonnull (strstr (run.out, "succeeded"));
    instasync_test_ctl_clear (&run);
  }

  {
    g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", home);
    g_assert_true (g_spawn_command_line_sync (rm, NULL, NULL, NULL, NULL));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/e2e/sync-twice", Fixture, NULL, fixture_set_up, test_sync_twice, fixture_tear_down);
  g_test_add ("/e2e/text-output-and-status", Fixture, NULL, fixture_set_up,
              test_text_output_and_status, fixture_tear_down);
  g_test_add ("/e2e/bad-usage", Fixture, NULL, fixture_set_up, test_bad_usage, fixture_tear_down);
  g_test_add ("/e2e/add-needs-reaching-token", Fixture, NULL, fixture_set_up,
              test_add_needs_reaching_token, fixture_tear_down);
  g_test_add ("/e2e/faults", Fixture, NULL, fixture_set_up, test_faults, fixture_tear_down);
  g_test_add ("/e2e/permission-and-transient", Fixture, NULL, fixture_set_up,
              test_permission_and_transient, fixture_tear_down);
  g_test_add ("/e2e/database-down", Fixture, NULL, fixture_set_up, test_database_down,
              fixture_tear_down);
  g_test_add ("/e2e/secrets-fallback", Fixture, NULL, fixture_set_up, test_secrets_fallback,
              fixture_tear_down);
  g_test_add_func ("/e2e/demo", test_demo);

  return g_test_run ();
}
