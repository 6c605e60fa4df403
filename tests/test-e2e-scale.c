/* test-e2e-scale.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * 200 accounts through instasyncctl against a simulator that misbehaves:
 * the data stored must be exactly the simulator's, and every failure must
 * be in the sync logs.
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libpq-fe.h>
#include <string.h>

#include "graph-sim.h"
#include "instasync-test-cli.h"
#include "instasync-test-pg.h"
#include "instasync-time.h"

#define N_ACCOUNTS          200
#define ACCOUNTS_PER_TOKEN  25
#define WINDOW_DAYS         5
#define TOKEN_KEY           "scale-test-key"
/* The accounts of this token fail as a whole: it has expired. */
#define EXPIRED_TOKEN_INDEX 7
/* Every 40th account cannot report accounts_engaged. */
#define NO_ENGAGED_EVERY    40

static char *
account_id (guint i)
{
  return g_strdup_printf ("178414000%08u", 1000 + i);
}

static char *
token_for (guint i)
{
  return g_strdup_printf ("EAAscale-token-%u", i / ACCOUNTS_PER_TOKEN);
}

static char *
build_scenario (void)
{
  GString *json = g_string_new ("{\"users\": [");

  for (guint t = 0; t < N_ACCOUNTS / ACCOUNTS_PER_TOKEN; t++)
    {
      g_string_append_printf (json, "%s{\"id\": \"%u\", \"name\": \"U%u\", "
                                    "\"token\": \"EAAscale-token-%u\", \"token_state\": \"%s\", "
                                    "\"pages\": [",
                              t ? "," : "", 500 + t, t, t,
                              t == EXPIRED_TOKEN_INDEX ? "expired" : "valid");
      for (guint a = 0; a < ACCOUNTS_PER_TOKEN; a++)
        {
          guint i = t * ACCOUNTS_PER_TOKEN + a;
          g_autofree char *id = account_id (i);

          g_string_append_printf (json, "%s{\"id\": \"%u\", \"name\": \"P%u\", "
                                        "\"instagram_business_account\": \"%s\"}",
                                  a ? "," : "", 90000 + i, i, id);
        }
      g_string_append (json, "]}");
    }

  g_string_append (json, "], \"accounts\": [");
  for (guint i = 0; i < N_ACCOUNTS; i++)
    {
      g_autofree char *id = account_id (i);
      g_string_append_printf (json, "%s{\"id\": \"%s\", \"username\": \"scale.%u\", "
                                    "\"followers_count\": 5000}", i ? "," : "", id, i);
    }

  /* Transient trouble early in the run, and one metric that always fails
   * for some accounts. */
  g_string_append (json, "], \"faults\": ["
                         "{\"kind\": \"http_500\", \"code\": 2, \"first\": 6},"
                         "{\"kind\": \"malformed_json\", \"first\": 4},"
                         "{\"kind\": \"batch_null\", \"first\": 25}");
  for (guint i = 0; i < N_ACCOUNTS; i += NO_ENGAGED_EVERY)
    {
      g_autofree char *id = account_id (i);
      g_string_append_printf (json, ",{\"kind\": \"graph_error\", \"account\": \"%s\", "
                                    "\"metric\": \"accounts_engaged\", \"code\": 100, "
                                    "\"subcode\": 2108006, \"http_status\": 400, \"every\": 1, "
                                    "\"message\": \"(#100) Insights are not available\"}", id);
    }
  g_string_append (json, "]}");

  return g_string_free (json, FALSE);
}

static gint64
query_int (PGconn     *conn,
           const char *sql)
{
  PGresult *result = PQexec (conn, sql);
  gint64 value;

  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  value = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  PQclear (result);
  return value;
}

/* The stored daily values of one account's metric, day → value. */
static GHashTable *
stored_values (PGconn     *conn,
               const char *ig_user_id,
               const char *metric)
{
  const char *params[] = { ig_user_id, metric };
  GHashTable *values = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  PGresult *result = PQexecParams (conn,
                                   "SELECT extract (epoch FROM end_time)::bigint, value "
                                   "FROM instagram_insights WHERE ig_user_id = $1 AND metric = $2",
                                   2, NULL, params, NULL, NULL, 0);

  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  for (int r = 0; r < PQntuples (result); r++)
    {
      GDate day;
      gint64 *value = g_new (gint64, 1);

      instasync_pacific_day_of_end_time (g_ascii_strtoll (PQgetvalue (result, r, 0), NULL, 10), &day);
      *value = g_ascii_strtoll (PQgetvalue (result, r, 1), NULL, 10);
      /* No duplicates: each day once. */
      g_assert_false (g_hash_table_contains (values, GUINT_TO_POINTER (g_date_get_julian (&day))));
      g_hash_table_insert (values, GUINT_TO_POINTER (g_date_get_julian (&day)), value);
    }
  PQclear (result);
  return values;
}

static gboolean
strv_node_contains (JsonArray  *array,
                    const char *value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_str_equal (json_array_get_string_element (array, i), value))
      return TRUE;
  return FALSE;
}

static void
test_two_hundred_accounts (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncTestPg) pg = instasync_test_pg_start_checked ();
  g_autoptr(InstaSyncStore) store = instasync_test_pg_connect_migrated (pg, &error);
  g_autoptr(GraphSim) sim = graph_sim_new ();
  g_autofree char *scenario = build_scenario ();
  g_autofree char *sim_url = NULL;
  g_autofree char *db_env = NULL;
  g_autofree char *graph_env = NULL;
  g_autofree char *since = NULL;
  g_autofree char *until = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) second_parser = json_parser_new ();
  const char * const metrics[] = { "reach", "profile_views", "accounts_engaged", "follower_count", NULL };
  JsonArray *results;
  GDate first, last, today;
  PGconn *conn;
  CtlRun run = { 0, };
  guint succeeded_accounts = 0;
  guint checked_values = 0;

  g_assert_no_error (error);
  g_assert_true (graph_sim_load_scenario_data (sim, scenario, -1, &error));
  g_assert_no_error (error);
  g_assert_true (graph_sim_start (sim, 0, &error));
  g_assert_no_error (error);
  sim_url = graph_sim_get_base_url (sim);

  for (guint i = 0; i < N_ACCOUNTS; i++)
    {
      g_autofree char *id = account_id (i);
      g_autofree char *name = g_strdup_printf ("scale.%u", i);
      g_autofree char *token = token_for (i);

      g_assert_true (instasync_store_add_account (store, id, name, token, TOKEN_KEY, &error));
      g_assert_no_error (error);
    }

  instasync_pacific_date_at (g_get_real_time () / G_USEC_PER_SEC, &today);
  last = today;
  g_date_subtract_days (&last, 1);
  first = last;
  g_date_subtract_days (&first, WINDOW_DAYS - 1);
  since = instasync_format_date (&first);
  until = instasync_format_date (&last);
  db_env = g_strdup_printf ("INSTASYNC_DATABASE_URL=%s", instasync_test_pg_get_conninfo (pg));
  graph_env = g_strdup_printf ("INSTASYNC_GRAPH_URL=%s", sim_url);

  {
    const char *env[] = { db_env, graph_env, "INSTASYNC_TOKEN_KEY=" TOKEN_KEY,
                          "INSTASYNC_RETRY_DELAY_MS=2", "INSTASYNC_CONNECTIONS=8", NULL };
    const char *args[] = { "sync", "--since", since, "--until", until, "--json", NULL };

    instasync_test_ctl_run (&run, env, NULL, args);
  }

  /* Some accounts failed, so the exit status says so. */
  g_assert_cmpint (run.status, ==, 1);
  json_parser_load_from_data (parser, run.out, -1, &error);
  g_assert_no_error (error);
  results = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (results), ==, N_ACCOUNTS);

  conn = PQconnectdb (instasync_test_pg_get_conninfo (pg));
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);

  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);
      const char *id = json_object_get_string_member (result, "ig_user_id");
      JsonArray *failed = json_object_get_array_member (result, "metrics_failed");
      JsonArray *succeeded = json_object_get_array_member (result, "metrics_succeeded");
      guint index = (guint)(g_ascii_strtoull (id, NULL, 10) - 17841400000001000ULL);
      g_autofree char *log_sql = NULL;

      /* The known failures are failures. */
      if (index / ACCOUNTS_PER_TOKEN == EXPIRED_TOKEN_INDEX)
        {
          g_assert_cmpstr (json_object_get_string_member (result, "action"), ==, "reconnect");
          g_assert_cmpuint (json_array_get_length (succeeded), ==, 0);
        }
      else if (index % NO_ENGAGED_EVERY == 0)
        {
          g_assert_true (strv_node_contains (failed, "accounts_engaged"));
        }

      if (json_array_get_length (failed) == 0)
        succeeded_accounts++;

      for (guint m = 0; metrics[m] != NULL; m++)
        {
          g_autoptr(GHashTable) values = stored_values (conn, id, metrics[m]);

          if (strv_node_contains (succeeded, metrics[m]))
            {
              /* Exactly the simulator's data: every day, the formula's value. */
              g_assert_cmpuint (g_hash_table_size (values), ==, WINDOW_DAYS);
              for (GDate day = first; g_date_compare (&day, &last) <= 0; g_date_add_days (&day, 1))
                {
                  gint64 *value = g_hash_table_lookup (values, GUINT_TO_POINTER (g_date_get_julian (&day)));

                  g_assert_nonnull (value);
                  g_assert_cmpint (*value, ==, graph_sim_daily_value (id, metrics[m], &day));
                  checked_values++;
                }
            }
          else
            {
              /* Every failure is in that account's sync log. */
              g_autofree char *sql =
                g_strdup_printf ("SELECT count (*) FROM instagram_sync_logs WHERE ig_user_id = '%s' "
                                 "AND errors @> '[{\"metric\": \"%s\"}]'", id, metrics[m]);

              g_assert_true (strv_node_contains (failed, metrics[m]));
              g_assert_cmpint (query_int (conn, sql), ==, 1);
            }
        }

      /* One log row per account per run, with the result's counts. */
      log_sql = g_strdup_printf ("SELECT count (*) FROM instagram_sync_logs WHERE ig_user_id = '%s' "
                                 "AND rows_inserted = %" G_GINT64_FORMAT " AND status = '%s'", id,
                                 json_object_get_int_member (json_object_get_object_member (result, "rows"),
                                                             "inserted"),
                                 json_object_get_string_member (result, "status"));
      g_assert_cmpint (query_int (conn, log_sql), ==, 1);
    }

  /* Nearly every account got through the transient trouble. */
  g_test_message ("%u accounts without a failure, %u values checked", succeeded_accounts, checked_values);
  g_assert_cmpuint (succeeded_accounts, >=, N_ACCOUNTS - ACCOUNTS_PER_TOKEN - N_ACCOUNTS / NO_ENGAGED_EVERY - 5);
  g_assert_cmpint (query_int (conn, "SELECT count (*) FROM instagram_sync_logs"), ==, N_ACCOUNTS);
  instasync_test_ctl_clear (&run);

  /* Again: nothing new, nothing duplicated. */
  {
    const char *env[] = { db_env, graph_env, "INSTASYNC_TOKEN_KEY=" TOKEN_KEY,
                          "INSTASYNC_RETRY_DELAY_MS=2", "INSTASYNC_CONNECTIONS=8", NULL };
    const char *args[] = { "sync", "--since", since, "--until", until, "--json", NULL };
    gint64 rows_before = query_int (conn, "SELECT count (*) FROM instagram_insights");

    instasync_test_ctl_run (&run, env, NULL, args);
    json_parser_load_from_data (second_parser, run.out, -1, &error);
    g_assert_no_error (error);
    results = json_node_get_array (json_parser_get_root (second_parser));
    for (guint i = 0; i < json_array_get_length (results); i++)
      {
        JsonObject *result = json_array_get_object_element (results, i);
        JsonObject *rows = json_object_get_object_member (result, "rows");

        g_assert_cmpint (json_object_get_int_member (rows, "updated"), ==, 0);
      }
    /* Rows a first run missed may arrive; none is ever duplicated. */
    g_assert_cmpint (query_int (conn, "SELECT count (*) FROM instagram_insights"), >=, rows_before);
    instasync_test_ctl_clear (&run);
  }

  PQfinish (conn);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/e2e/two-hundred-accounts", test_two_hundred_accounts);

  return g_test_run ();
}
