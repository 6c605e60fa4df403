/* test-e2e-pacing.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A backfill that needs more calls than the accounts may make, through
 * instasyncctl against a simulator that enforces the limits and puts the
 * usage headers where the reference documents them: on each batch
 * operation. The client must pace on them and pause every account before
 * the API has to throttle it, under each reading of the headers the
 * reference leaves open.
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libpq-fe.h>
#include <string.h>

#include "graph-sim.h"
#include "instasync-test-cli.h"
#include "instasync-test-pg.h"
#include "instasync-time.h"

#define N_ACCOUNTS    3
#define TOKEN_KEY     "pacing-test-key-5e0d"
/* What each account may make in 24 hours, far below what the backfill
 * needs: one reach request per 29 days, one profile_views request per day. */
#define CALL_LIMIT    40
#define BACKFILL_DAYS 90

typedef struct
{
  const char *usage_headers;
  const char *business_usage_key;
  guint       after_calls;
} Reading;

static const Reading per_operation = { "per_operation", "ig_user_id", 0 };
static const Reading page_key = { "per_operation", "page_id", 0 };
static const Reading after_calls = { "per_operation", "ig_user_id", 15 };
static const Reading wrapper = { "wrapper", "ig_user_id", 0 };

static char *
account_id (guint i)
{
  return g_strdup_printf ("1784140000000%04u", 4100 + i);
}

static char *
page_id (guint i)
{
  return g_strdup_printf ("2000000000%05u", 4100 + i);
}

static char *
token_of (guint i)
{
  return g_strdup_printf ("EAApacing-token-%u-7c1f", i);
}

static char *
build_scenario (const Reading *reading)
{
  GString *json = g_string_new (NULL);

  g_string_append_printf (json, "{\"app\": {\"enforce_limits\": true, \"usage_headers\": \"%s\","
                                " \"business_usage_key\": \"%s\", \"usage_headers_after_calls\": %u},"
                                " \"users\": [",
                          reading->usage_headers, reading->business_usage_key, reading->after_calls);
  for (guint i = 0; i < N_ACCOUNTS; i++)
    {
      g_autofree char *id = account_id (i);
      g_autofree char *page = page_id (i);
      g_autofree char *token = token_of (i);

      g_string_append_printf (json, "%s{\"id\": \"%u\", \"token\": \"%s\", \"pages\": "
                                    "[{\"id\": \"%s\", \"instagram_business_account\": \"%s\"}]}",
                              i > 0 ? "," : "", 700 + i, token, page, id);
    }

  g_string_append (json, "], \"accounts\": [");
  for (guint i = 0; i < N_ACCOUNTS; i++)
    {
      g_autofree char *id = account_id (i);

      g_string_append_printf (json, "%s{\"id\": \"%s\", \"username\": \"pacing.%u\", "
                                    "\"followers_count\": 5000, \"call_limit\": %u}",
                              i > 0 ? "," : "", id, i, CALL_LIMIT);
    }
  g_string_append (json, "]}");

  return g_string_free (json, FALSE);
}

/* Each account with its own token and the Page it is linked through, as a
 * connect stores them. */
static void
add_accounts (InstaSyncStore *store)
{
  for (guint i = 0; i < N_ACCOUNTS; i++)
    {
      g_autofree char *id = account_id (i);
      g_autofree char *page = page_id (i);
      g_autofree char *token = token_of (i);
      g_autofree char *username = g_strdup_printf ("pacing.%u", i);
      const InstaSyncNewAccount account = { id, username, page };
      g_autoptr(GError) error = NULL;

      g_assert_true (instasync_store_add_accounts (store, &account, 1, token,
                                                   INSTASYNC_TOKEN_EXPIRY_UNKNOWN,
                                                   INSTASYNC_TOKEN_EXPIRY_UNKNOWN, TOKEN_KEY,
                                                   &error));
      g_assert_no_error (error);
    }
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

/* Every row stored for @ig_user_id is one day's value, the formula's;
 * returns how many there are of @metric. */
static guint
check_stored_rows (PGconn     *conn,
                   const char *ig_user_id,
                   const char *metric)
{
  const char *params[] = { ig_user_id, metric };
  PGresult *result = PQexecParams (conn,
                                   "SELECT extract (epoch FROM end_time)::bigint, value, "
                                   "  end_time - window_start <= interval '25 hours' "
                                   "FROM instagram_insights WHERE ig_user_id = $1 AND metric = $2",
                                   2, NULL, params, NULL, NULL, 0);
  g_autoptr(GHashTable) days = g_hash_table_new (NULL, NULL);
  guint n;

  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  for (int r = 0; r < PQntuples (result); r++)
    {
      GDate day;
      guint julian;

      instasync_pacific_day_of_end_time (g_ascii_strtoll (PQgetvalue (result, r, 0), NULL, 10), &day);
      julian = g_date_get_julian (&day);
      g_assert_cmpstr (PQgetvalue (result, r, 2), ==, "t");
      g_assert_false (g_hash_table_contains (days, GUINT_TO_POINTER (julian)));
      g_hash_table_add (days, GUINT_TO_POINTER (julian));
      g_assert_cmpint (g_ascii_strtoll (PQgetvalue (result, r, 1), NULL, 10), ==,
                       graph_sim_daily_value (ig_user_id, metric, &day));
    }
  n = (guint)PQntuples (result);
  PQclear (result);

  return n;
}

static void
test_pacing (gconstpointer data)
{
  const Reading *reading = data;
  g_autoptr(InstaSyncTestPg) pg = instasync_test_pg_start_checked ();
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncStore) store = instasync_test_pg_connect_migrated (pg, &error);
  g_autoptr(GraphSim) sim = graph_sim_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *scenario = build_scenario (reading);
  g_autofree char *sim_url = NULL;
  g_autofree char *db_env = NULL;
  g_autofree char *graph_env = NULL;
  g_autofree char *data_env = NULL;
  g_autofree char *secrets_env = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *backfill_from = NULL;
  JsonArray *results;
  CtlRun run = { 0, };
  CtlRun again = { 0, };
  GDate first;
  PGconn *conn;
  guint calls_before;

  g_assert_no_error (error);
  g_assert_true (graph_sim_load_scenario_data (sim, scenario, -1, &error));
  g_assert_no_error (error);
  g_assert_true (graph_sim_start (sim, 0, &error));
  g_assert_no_error (error);
  sim_url = graph_sim_get_base_url (sim);
  add_accounts (store);

  data_dir = g_dir_make_tmp ("instasync-pacing-XXXXXX", &error);
  g_assert_no_error (error);

  instasync_pacific_date_at (g_get_real_time () / G_USEC_PER_SEC, &first);
  g_date_subtract_days (&first, BACKFILL_DAYS);
  backfill_from = instasync_format_date (&first);

  db_env = g_strdup_printf ("INSTASYNC_DATABASE_URL=%s", instasync_test_pg_get_conninfo (pg));
  graph_env = g_strdup_printf ("INSTASYNC_GRAPH_URL=%s", sim_url);
  data_env = g_strdup_printf ("INSTASYNC_DATA_DIR=%s", data_dir);
  secrets_env = g_strdup_printf ("INSTASYNC_SECRETS_FILE=%s/none.ini", data_dir);

  {
    const char *env[] = { db_env, graph_env, data_env, secrets_env, "INSTASYNC_TOKEN_KEY=" TOKEN_KEY,
                          "INSTASYNC_RETRY_DELAY_MS=5", NULL };
    const char *args[] = { "sync", "--backfill-from", backfill_from,
                           "--metrics", "reach,profile_views", "--json", NULL };

    instasync_test_ctl_run (&run, env, NULL, args);
    for (guint i = 0; i < N_ACCOUNTS; i++)
      {
        g_autofree char *token = token_of (i);

        g_assert_null (strstr (run.out, token));
        g_assert_null (strstr (run.err, token));
      }

    /* The API never had to throttle anyone. */
    g_assert_cmpuint (graph_sim_get_throttle_error_count (sim), ==, 0);

    json_parser_load_from_data (parser, run.out, -1, &error);
    g_assert_no_error (error);
    results = json_node_get_array (json_parser_get_root (parser));
    g_assert_cmpuint (json_array_get_length (results), ==, N_ACCOUNTS);

    conn = PQconnectdb (instasync_test_pg_get_conninfo (pg));
    g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);

    for (guint i = 0; i < N_ACCOUNTS; i++)
      {
        JsonObject *result = json_array_get_object_element (results, i);
        const char *id = json_object_get_string_member (result, "ig_user_id");
        gint64 api_calls = json_object_get_int_member (result, "api_calls");
        g_autofree char *paused_sql =
          g_strdup_printf ("SELECT count (*) FROM instagram_accounts WHERE ig_user_id = '%s' "
                           "AND paused_until > now ()", id);

        /* Each account stopped on its own, short of its limit, and waits. */
        g_test_message ("%s: %" G_GINT64_FORMAT " calls", id, api_calls);
        g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "paused");
        g_assert_false (json_node_is_null (json_object_get_member (result, "paused_until")));
        g_assert_cmpint (api_calls, <, CALL_LIMIT);
        /* Most of the allowance was used: it paced, it did not give up. */
        g_assert_cmpint (api_calls, >=, CALL_LIMIT * 3 / 4);
        g_assert_cmpint (query_int (conn, paused_sql), ==, 1);

        /* What was fetched is stored, and exactly the simulator's. */
        g_assert_cmpuint (check_stored_rows (conn, id, "reach"), >=, 29);
        g_assert_cmpuint (check_stored_rows (conn, id, "profile_views"), >, 0);
        g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (result, "rows"),
                                                     "inserted"),
                         >, 29);
      }
    instasync_test_ctl_clear (&run);

    /* Paused accounts do not call again until their pause is over. */
    calls_before = graph_sim_get_api_call_count (sim);
    instasync_test_ctl_run (&again, env, NULL, args);
    g_assert_cmpuint (graph_sim_get_api_call_count (sim), ==, calls_before);
    g_assert_cmpuint (graph_sim_get_throttle_error_count (sim), ==, 0);
    instasync_test_ctl_clear (&again);
  }

  PQfinish (conn);
  {
    g_autoptr(GFile) dir = g_file_new_for_path (data_dir);

    g_file_delete (dir, NULL, NULL);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/e2e/pacing/per-operation", &per_operation, test_pacing);
  g_test_add_data_func ("/e2e/pacing/page-key", &page_key, test_pacing);
  g_test_add_data_func ("/e2e/pacing/after-calls", &after_calls, test_pacing);
  g_test_add_data_func ("/e2e/pacing/wrapper", &wrapper, test_pacing);

  return g_test_run ();
}
