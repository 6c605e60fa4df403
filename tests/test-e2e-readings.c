/* test-e2e-readings.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The readings of the Graph API that the reference leaves open, each served
 * by the simulator as the only truth, with instasyncctl syncing into a real
 * PostgreSQL: which buckets a since/until window holds, what a total over
 * no bucket answers, and whether an account's days end at its own
 * midnight. Whatever the simulator's reading, the database must hold
 * exactly the formula's value for each day, on the API's own day
 * boundaries, for every settled day asked, and nothing else.
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libpq-fe.h>
#include <string.h>

#include "graph-sim.h"
#include "instasync-test-cli.h"
#include "instasync-test-pg.h"

#define ACCOUNT   "17841400000000141"
#define ACCOUNT_2 "17841400000000142"
#define TOKEN     "EAAreadings-token-4c1e90"
#define TOKEN_2   "EAAreadings-token-second-77ab"
#define TOKEN_KEY "readings-test-key-0123456789abcdef"

/* Settled days only: today − 12 … today − 3 of the account's own calendar. */
#define FIRST_AGO 12
#define LAST_AGO  3
#define WINDOW_DAYS (FIRST_AGO - LAST_AGO + 1)
#define N_METRICS 4

static const char * const until_readings[] = {
  "overlap", "overlap_inclusive", "bucket_end", "bucket_end_inclusive",
};
static const char * const empty_totals[] = { "empty_object", "zero", "missing", "error" };
static const char * const zones[] = { "America/Los_Angeles", "Europe/Berlin" };

/* One cluster for the file, a database in it for each case. */
static InstaSyncTestPg *shared_pg;
static guint databases;

typedef struct
{
  const char *until_reading;
  const char *total_value_reading;  /* NULL: as until_reading */
  const char *empty_total;
  const char *zone;
} Case;

typedef struct
{
  GraphSim   *sim;
  char       *sim_url;
  char       *conninfo;
  char       *data_dir;
  GPtrArray  *env;
  GTimeZone  *zone;
  GDate       first_day;
  GDate       last_day;
  char       *since;
  char       *until;
  GString    *printed;
} Fixture;

static char *
scenario_for (const Case *c,
              const char *app_extra,
              const char *account_extra)
{
  return g_strdup_printf (
    "{\"app\": {\"until_reading\": \"%s\", \"total_value_reading\": \"%s\", "
    "          \"empty_total\": \"%s\"%s},"
    " \"users\": [{\"id\": \"7001\", \"token\": \"" TOKEN "\","
    "   \"pages\": [{\"id\": \"7101\", \"instagram_business_account\": \"" ACCOUNT "\"},"
    "             {\"id\": \"7103\", \"instagram_business_account\": \"" ACCOUNT_2 "\"}]},"
    "  {\"id\": \"7002\", \"token\": \"" TOKEN_2 "\","
    "   \"pages\": [{\"id\": \"7102\", \"instagram_business_account\": \"" ACCOUNT_2 "\"}]}],"
    " \"accounts\": [{\"id\": \"" ACCOUNT "\", \"username\": \"readings.one\","
    "   \"followers_count\": 4000, \"timezone\": \"%s\"%s},"
    "  {\"id\": \"" ACCOUNT_2 "\", \"username\": \"readings.two\","
    "   \"followers_count\": 4000, \"timezone\": \"%s\"}]}",
    c->until_reading, c->total_value_reading != NULL ? c->total_value_reading : c->until_reading,
    c->empty_total, app_extra != NULL ? app_extra : "", c->zone,
    account_extra != NULL ? account_extra : "", c->zone);
}

static void
date_ago (GTimeZone *zone,
          guint      days,
          GDate     *day)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);

  g_date_clear (day, 1);
  g_date_set_dmy (day, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  g_date_subtract_days (day, days);
}

static char *
format_date (const GDate *day)
{
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (day), g_date_get_month (day),
                          g_date_get_day (day));
}

/* The test's own day boundaries, apart from InstaSync's on purpose. */
static gint64
midnight (GTimeZone   *zone,
          const GDate *day)
{
  g_autoptr(GDateTime) dt = g_date_time_new (zone, g_date_get_year (day), g_date_get_month (day),
                                             g_date_get_day (day), 0, 0, 0);

  return g_date_time_to_unix (dt);
}

static void
fixture_start (Fixture    *f,
               const Case *c,
               const char *app_extra,
               const char *account_extra)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *scenario = scenario_for (c, app_extra, account_extra);
  PGconn *conn;
  PGresult *result;
  g_autofree char *create = NULL;

  if (shared_pg == NULL)
    shared_pg = instasync_test_pg_start_checked ();

  conn = PQconnectdb (instasync_test_pg_get_conninfo (shared_pg));
  create = g_strdup_printf ("CREATE DATABASE readings_%u", ++databases);
  result = PQexec (conn, create);
  g_assert_cmpstr (PQresultErrorMessage (result), ==, "");
  PQclear (result);
  PQfinish (conn);
  f->conninfo = g_strdup_printf ("%s dbname=readings_%u",
                                 instasync_test_pg_get_conninfo (shared_pg), databases);

  f->sim = graph_sim_new ();
  g_assert_true (graph_sim_load_scenario_data (f->sim, scenario, -1, &error));
  g_assert_no_error (error);
  g_assert_true (graph_sim_start (f->sim, 0, &error));
  g_assert_no_error (error);
  f->sim_url = graph_sim_get_base_url (f->sim);

  f->data_dir = instasync_test_pg_make_tmp_dir (&error);
  g_assert_no_error (error);

  f->zone = g_time_zone_new_identifier (c->zone);
  g_assert_nonnull (f->zone);
  date_ago (f->zone, FIRST_AGO, &f->first_day);
  date_ago (f->zone, LAST_AGO, &f->last_day);
  f->since = format_date (&f->first_day);
  f->until = format_date (&f->last_day);

  f->env = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (f->env, g_strdup_printf ("INSTASYNC_DATABASE_URL=%s", f->conninfo));
  g_ptr_array_add (f->env, g_strdup_printf ("INSTASYNC_GRAPH_URL=%s", f->sim_url));
  g_ptr_array_add (f->env, g_strdup ("INSTASYNC_TOKEN_KEY=" TOKEN_KEY));
  g_ptr_array_add (f->env, g_strdup ("INSTASYNC_RETRY_DELAY_MS=5"));
  g_ptr_array_add (f->env, g_strdup_printf ("INSTASYNC_DATA_DIR=%s", f->data_dir));
  g_ptr_array_add (f->env, g_strdup_printf ("INSTASYNC_SECRETS_FILE=%s/none.ini", f->data_dir));
  g_ptr_array_add (f->env, NULL);

  f->printed = g_string_new (NULL);
}

static void
fixture_stop (Fixture *f)
{
  /* No token in anything printed, whatever happened. */
  g_assert_null (strstr (f->printed->str, TOKEN));
  g_assert_null (strstr (f->printed->str, TOKEN_2));
  g_assert_null (strstr (f->printed->str, TOKEN_KEY));

  g_string_free (f->printed, TRUE);
  g_clear_object (&f->sim);
  g_clear_pointer (&f->env, g_ptr_array_unref);
  g_clear_pointer (&f->zone, g_time_zone_unref);
  g_clear_pointer (&f->sim_url, g_free);
  g_clear_pointer (&f->conninfo, g_free);
  g_clear_pointer (&f->since, g_free);
  g_clear_pointer (&f->until, g_free);
  instasync_test_pg_remove_tree (f->data_dir);
  g_clear_pointer (&f->data_dir, g_free);
}

static void
ctl (Fixture            *f,
     CtlRun             *run,
     const char         *input,
     const char * const *args)
{
  instasync_test_ctl_run (run, (const char * const *)f->env->pdata, input, args);
  g_string_append (f->printed, run->out);
  g_string_append (f->printed, run->err);
}

static void
add_account (Fixture    *f,
             const char *ig_user_id,
             const char *token)
{
  CtlRun run = { 0, };
  g_autofree char *input = g_strdup_printf ("%s\n", token);
  const char *args[] = { "account", "add", "--ig-user-id", ig_user_id, "--token-stdin", NULL };

  ctl (f, &run, input, args);
  g_assert_cmpint (run.status, ==, 0);
  instasync_test_ctl_clear (&run);
}

/* Runs `sync --json` for @account over the fixture's window; returns its
 * result object (owned by *root) and the exit status. */
static JsonObject *
sync_account (Fixture    *f,
              const char *account,
              JsonNode  **root,
              int        *status)
{
  CtlRun run = { 0, };
  const char *args[] = { "sync", "--account", account, "--since", f->since,
                         "--until", f->until, "--json", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *results;

  ctl (f, &run, NULL, args);
  *status = run.status;
  if (!json_parser_load_from_data (parser, run.out, -1, &error))
    g_error ("Not JSON (%s): %s\n%s", error->message, run.out, run.err);
  *root = json_node_ref (json_parser_get_root (parser));
  instasync_test_ctl_clear (&run);

  results = json_node_get_array (*root);
  g_assert_cmpuint (json_array_get_length (results), ==, 1);
  return json_array_get_object_element (results, 0);
}

static PGconn *
connect_db (Fixture *f)
{
  PGconn *conn = PQconnectdb (f->conninfo);

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  return conn;
}

static char *
query_text (PGconn     *conn,
            const char *sql)
{
  PGresult *result = PQexec (conn, sql);
  char *text;

  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  g_assert_cmpint (PQntuples (result), ==, 1);
  text = PQgetisnull (result, 0, 0) ? NULL : g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
  return text;
}

static gint64
query_int (PGconn     *conn,
           const char *sql)
{
  g_autofree char *text = query_text (conn, sql);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : -1;
}

static guint
array_length (JsonObject *object,
              const char *member)
{
  return json_array_get_length (json_object_get_array_member (object, member));
}

/* Every daily row of @metric in the database is the formula's value of the
 * day its end_time closes, in the account's zone, on the API's own day
 * boundaries; every day of the window is there once; no row is a zero the
 * API never gave (the formula has none). Returns how many rows there were. */
static guint
assert_metric_matches_formula (Fixture    *f,
                               PGconn     *conn,
                               const char *ig_user_id,
                               const char *metric)
{
  const char *params[] = { ig_user_id, metric };
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  PGresult *result;
  guint n;

  result = PQexecParams (conn,
                         "SELECT extract (epoch FROM end_time)::bigint, "
                         "  extract (epoch FROM window_start)::bigint, value "
                         "FROM instagram_insights WHERE ig_user_id = $1 AND metric = $2 "
                         "  AND breakdown = '' AND end_time - window_start <= interval '25 hours' "
                         "ORDER BY end_time",
                         2, NULL, params, NULL, NULL, 0);
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);

  for (int i = 0; i < PQntuples (result); i++)
    {
      gint64 end_time = g_ascii_strtoll (PQgetvalue (result, i, 0), NULL, 10);
      gint64 window_start = g_ascii_strtoll (PQgetvalue (result, i, 1), NULL, 10);
      gint64 value = g_ascii_strtoll (PQgetvalue (result, i, 2), NULL, 10);
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (end_time - 1);
      g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, f->zone);
      GDate day, next;

      g_date_clear (&day, 1);
      g_date_set_dmy (&day, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                      g_date_time_get_year (local));
      next = day;
      g_date_add_days (&next, 1);

      g_assert_cmpint (g_date_compare (&day, &f->first_day), >=, 0);
      g_assert_cmpint (g_date_compare (&day, &f->last_day), <=, 0);
      g_assert_cmpint (end_time, ==, midnight (f->zone, &next));
      g_assert_cmpint (window_start, ==, midnight (f->zone, &day));
      g_assert_cmpint (value, !=, 0);
      g_assert_cmpint (value, ==, graph_sim_daily_value (ig_user_id, metric, &day));
      g_assert_false (g_hash_table_contains (seen, GUINT_TO_POINTER (g_date_get_julian (&day))));
      g_hash_table_add (seen, GUINT_TO_POINTER (g_date_get_julian (&day)));
    }

  n = (guint)PQntuples (result);
  PQclear (result);
  return n;
}

static void
assert_all_days_stored (Fixture    *f,
                        const char *ig_user_id)
{
  static const char * const metrics[] = {
    "reach", "profile_views", "accounts_engaged", "follower_count",
  };
  PGconn *conn = connect_db (f);

  for (guint m = 0; m < G_N_ELEMENTS (metrics); m++)
    g_assert_cmpuint (assert_metric_matches_formula (f, conn, ig_user_id, metrics[m]), ==,
                      WINDOW_DAYS);
  g_assert_cmpint (query_int (conn, "SELECT count(*) FROM instagram_insights WHERE value = 0"),
                   ==, 0);
  PQfinish (conn);
}

static void
assert_succeeded (JsonObject *result,
                  int         status)
{
  if (status != 0 || !g_str_equal (json_object_get_string_member (result, "status"), "succeeded"))
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), result);

      g_error ("The sync did not succeed (exit %d): %s", status, json_to_string (node, TRUE));
    }
  g_assert_cmpuint (array_length (result, "metrics_succeeded"), ==, N_METRICS);
  g_assert_cmpuint (array_length (result, "metrics_without_data"), ==, 0);
  g_assert_cmpuint (array_length (result, "metrics_failed"), ==, 0);
}

/* The matrix: one combination of the simulator's switches. */
static void
test_reading (gconstpointer data)
{
  const Case *c = data;
  Fixture f = { 0, };
  g_autoptr(JsonNode) first_root = NULL;
  g_autoptr(JsonNode) second_root = NULL;
  JsonObject *result;
  PGconn *conn;
  int status;
  g_autofree char *zone = NULL;
  g_autofree char *series = NULL;
  g_autofree char *totals = NULL;

  fixture_start (&f, c, NULL, NULL);
  add_account (&f, ACCOUNT, TOKEN);

  result = sync_account (&f, ACCOUNT, &first_root, &status);
  assert_succeeded (result, status);
  assert_all_days_stored (&f, ACCOUNT);

  /* What was learnt is recorded, and right. */
  conn = connect_db (&f);
  series = query_text (conn, "SELECT time_series_reading FROM graph_api_readings");
  totals = query_text (conn, "SELECT total_value_reading FROM graph_api_readings");
  zone = query_text (conn, "SELECT day_zone FROM instagram_accounts");
  PQfinish (conn);
  g_assert_cmpstr (series, ==, c->until_reading);
  g_assert_cmpstr (totals, ==, c->total_value_reading != NULL ? c->total_value_reading
                                                             : c->until_reading);
  g_assert_nonnull (zone);

  /* Run again: nothing new, nothing moved, and no probe. */
  result = sync_account (&f, ACCOUNT, &second_root, &status);
  assert_succeeded (result, status);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (result, "rows"),
                                               "inserted"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (result, "rows"),
                                               "updated"), ==, 0);
  /* reach and follower_count in one time series each, the two total-value
   * metrics together one day at a time. */
  g_assert_cmpint (json_object_get_int_member (result, "api_calls"), ==, 2 + WINDOW_DAYS);
  assert_all_days_stored (&f, ACCOUNT);

  fixture_stop (&f);
}

/* A metric that answers nothing is not a success, and its cursor stays. */
static void
test_no_data (void)
{
  static const Case c = { "bucket_end", NULL, "empty_object", "America/Los_Angeles" };
  Fixture f = { 0, };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *summary = NULL;
  JsonObject *result, *days;
  PGconn *conn;
  int status;

  fixture_start (&f, &c, NULL, ", \"no_data_metrics\": [\"profile_views\"]");
  add_account (&f, ACCOUNT, TOKEN);

  result = sync_account (&f, ACCOUNT, &root, &status);
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "partial");
  g_assert_cmpuint (array_length (result, "metrics_succeeded"), ==, N_METRICS - 1);
  g_assert_cmpuint (array_length (result, "metrics_without_data"), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (result,
                                                                                "metrics_without_data"),
                                                  0), ==, "profile_views");
  days = json_object_get_object_member (result, "days_without_data");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (days, "profile_views")), ==,
                    WINDOW_DAYS);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (days, "profile_views"), 0),
                   ==, f.since);

  expected = g_strdup_printf ("3 of 4 metrics · profile_views: no data for %d days", WINDOW_DAYS);
  g_assert_nonnull (strstr (json_object_get_string_member (result, "summary"), expected));

  conn = connect_db (&f);
  g_assert_cmpint (query_int (conn, "SELECT count(*) FROM instagram_insights "
                                    "WHERE metric = 'profile_views'"), ==, 0);
  g_assert_cmpint (query_int (conn, "SELECT count(*) FROM instagram_sync_cursors "
                                    "WHERE metric = 'profile_views'"), ==, 0);
  g_assert_cmpint (query_int (conn, "SELECT count(*) FROM instagram_sync_cursors "
                                    "WHERE metric = 'accounts_engaged'"), ==, 1);
  g_assert_cmpint (query_int (conn, "SELECT metrics_succeeded FROM instagram_sync_logs"), ==, 3);
  summary = query_text (conn, "SELECT status || ' ' || summary FROM instagram_sync_logs");
  g_assert_true (g_str_has_prefix (summary, "partial "));
  g_assert_nonnull (strstr (summary, "profile_views: no data for"));
  PQfinish (conn);

  fixture_stop (&f);
}

/* Days still inside the API's 48-hour delay are pending, not missing. */
static void
test_pending_days (void)
{
  static const Case c = { "bucket_end", NULL, "empty_object", "America/Los_Angeles" };
  Fixture f = { 0, };
  g_autoptr(JsonNode) root = NULL;
  const char *args[] = { "sync", "--account", ACCOUNT, "--json", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  CtlRun run = { 0, };
  JsonObject *result;
  PGconn *conn;
  GDate settled;
  g_autofree char *settled_text = NULL;
  g_autofree char *cursor = NULL;

  fixture_start (&f, &c, ", \"data_delay_hours\": 48", NULL);
  add_account (&f, ACCOUNT, TOKEN);

  /* The default window: the last three days, ending yesterday. */
  ctl (&f, &run, NULL, args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, NULL));
  instasync_test_ctl_clear (&run);
  result = json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)), 0);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "succeeded");
  g_assert_cmpuint (array_length (result, "metrics_without_data"), ==, 0);

  /* Only the settled day came, and the cursors stop there. */
  date_ago (f.zone, 3, &settled);
  settled_text = format_date (&settled);
  conn = connect_db (&f);
  g_assert_cmpint (query_int (conn, "SELECT count(DISTINCT end_time) FROM instagram_insights"),
                   ==, 1);
  cursor = query_text (conn, "SELECT max (synced_through)::text FROM instagram_sync_cursors");
  g_assert_cmpstr (cursor, ==, settled_text);
  PQfinish (conn);

  fixture_stop (&f);
}

/* An export of the window's days holds the rows of those days of the
 * account's own calendar, and no other. */
static void
assert_export_has_window (Fixture    *f,
                          const char *ig_user_id)
{
  const char *args[] = { "export", "--format", "csv", "--account", ig_user_id,
                         "--since", f->since, "--until", f->until, NULL };
  g_autofree char *sql = NULL;
  g_auto(GStrv) lines = NULL;
  CtlRun run = { 0, };
  GDate after_last = f->last_day;
  PGconn *conn;
  guint n_lines = 0;

  g_date_add_days (&after_last, 1);
  ctl (f, &run, NULL, args);
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (run.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      n_lines++;
  instasync_test_ctl_clear (&run);

  conn = connect_db (f);
  sql = g_strdup_printf ("SELECT count(*) FROM instagram_insights WHERE ig_user_id = '%s' "
                         "AND end_time > to_timestamp (%" G_GINT64_FORMAT ") "
                         "AND end_time <= to_timestamp (%" G_GINT64_FORMAT ")",
                         ig_user_id, midnight (f->zone, &f->first_day),
                         midnight (f->zone, &after_last));
  /* The header, then one line a row. */
  g_assert_cmpint (n_lines - 1, ==, query_int (conn, sql));
  g_assert_cmpint (n_lines - 1, >=, WINDOW_DAYS * N_METRICS);
  PQfinish (conn);
}

/* What one process learnt, the next one (another account) uses: it spends
 * one call on the account's days and none on the readings. */
static void
test_shared (void)
{
  static const Case c = { "bucket_end_inclusive", NULL, "zero", "Europe/Berlin" };
  Fixture f = { 0, };
  g_autoptr(JsonNode) first_root = NULL;
  g_autoptr(JsonNode) second_root = NULL;
  JsonObject *first, *second;
  int status;

  fixture_start (&f, &c, NULL, NULL);
  add_account (&f, ACCOUNT, TOKEN);
  add_account (&f, ACCOUNT_2, TOKEN_2);

  first = sync_account (&f, ACCOUNT, &first_root, &status);
  assert_succeeded (first, status);
  second = sync_account (&f, ACCOUNT_2, &second_root, &status);
  assert_succeeded (second, status);

  /* The first: one time series alone, on Pacific days, which shows the
   * account's own; then four probe calls together on those, then the sync. */
  g_assert_cmpint (json_object_get_int_member (first, "api_calls"), ==, 1 + 4 + 2 + WINDOW_DAYS);
  /* The second: one time series for its days, then the sync. */
  g_assert_cmpint (json_object_get_int_member (second, "api_calls"), ==, 1 + 2 + WINDOW_DAYS);
  assert_all_days_stored (&f, ACCOUNT);
  assert_all_days_stored (&f, ACCOUNT_2);
  assert_export_has_window (&f, ACCOUNT);

  fixture_stop (&f);
}

/* Totals and time series read apart: the totals follow their own reading. */
static void
test_totals_read_apart (void)
{
  static const Case c = { "bucket_end", "overlap_inclusive", "missing", "America/Los_Angeles" };
  Fixture f = { 0, };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *result;
  int status;

  fixture_start (&f, &c, NULL, NULL);
  add_account (&f, ACCOUNT, TOKEN);
  result = sync_account (&f, ACCOUNT, &root, &status);
  assert_succeeded (result, status);
  g_assert_cmpuint (array_length (result, "warnings"), ==, 0);
  assert_all_days_stored (&f, ACCOUNT);

  fixture_stop (&f);
}

/* Totals that no reading reconciles with the daily values: the result and
 * the sync log warn, the run goes on, and no zero is taken on trust. */
static void
test_totals_unreconciled (void)
{
  static const Case c = { "overlap", NULL, "zero", "America/Los_Angeles" };
  Fixture f = { 0, };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *summary = NULL;
  JsonObject *result;
  PGconn *conn;
  int status;

  fixture_start (&f, &c, ", \"reach_totals_estimated\": true", NULL);
  add_account (&f, ACCOUNT, TOKEN);
  result = sync_account (&f, ACCOUNT, &root, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (array_length (result, "warnings"), ==, 1);
  g_assert_nonnull (strstr (json_object_get_string_member (result, "summary"), "⚠"));
  assert_all_days_stored (&f, ACCOUNT);

  conn = connect_db (&f);
  summary = query_text (conn, "SELECT summary FROM instagram_sync_logs");
  g_assert_nonnull (strstr (summary, "could not be matched"));
  g_assert_null (query_text (conn, "SELECT total_value_reading FROM graph_api_readings"));
  PQfinish (conn);

  fixture_stop (&f);
}

/* A world recorded wrong (Pacific days, read as overlap, as an older
 * version or a wrong guess would have it), for @c: the first sync keeps no
 * total planned with it and fails the two total-value metrics; returns its
 * result, for the caller's own checks. */
static JsonObject *
sync_over_wrong_record (Fixture    *f,
                        const Case *c,
                        JsonNode  **root)
{
  JsonObject *result;
  PGconn *conn;
  int status;

  fixture_start (f, c, NULL, NULL);
  add_account (f, ACCOUNT, TOKEN);
  instasync_test_pg_assume_default_days (f->conninfo, f->sim_url);

  result = sync_account (f, ACCOUNT, root, &status);
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpuint (array_length (result, "metrics_failed"), ==, 2);
  conn = connect_db (f);
  g_assert_cmpint (query_int (conn, "SELECT count(*) FROM instagram_insights "
                                    "WHERE metric_type = 'total_value'"), ==, 0);
  PQfinish (conn);
  return result;
}

/* …and the next one has every day right. */
static void
sync_again_right (Fixture *f)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *result;
  int status;

  result = sync_account (f, ACCOUNT, &root, &status);
  assert_succeeded (result, status);
  assert_all_days_stored (f, ACCOUNT);
}

/* An account whose days turn out to end at another hour than recorded:
 * the time series are stored on the API's boundaries, the totals asked on
 * the wrong ones are dropped, and the next run is right. */
static void
test_zone_moved (void)
{
  static const Case c = { "overlap", NULL, "empty_object", "Europe/Berlin" };
  Fixture f = { 0, };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *zone = NULL;
  PGconn *conn;

  sync_over_wrong_record (&f, &c, &root);
  conn = connect_db (&f);
  zone = query_text (conn, "SELECT day_zone FROM instagram_accounts");
  PQfinish (conn);
  g_assert_cmpstr (zone, !=, "America/Los_Angeles");

  sync_again_right (&f);
  fixture_stop (&f);
}

/* A reading recorded for the API that its answers then contradict (the API
 * changed, or somebody recorded it wrong): the run warns, keeps no total
 * planned with it, forgets it, and the next run learns the right one. */
static void
test_reading_moved (void)
{
  static const Case c = { "bucket_end_inclusive", NULL, "zero", "America/Los_Angeles" };
  Fixture f = { 0, };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *series = NULL;
  JsonObject *result;
  PGconn *conn;

  result = sync_over_wrong_record (&f, &c, &root);
  g_assert_cmpuint (array_length (result, "warnings"), ==, 1);
  conn = connect_db (&f);
  g_assert_cmpint (query_int (conn, "SELECT count(*) FROM graph_api_readings"), ==, 0);
  PQfinish (conn);

  sync_again_right (&f);
  conn = connect_db (&f);
  series = query_text (conn, "SELECT time_series_reading FROM graph_api_readings");
  PQfinish (conn);
  g_assert_cmpstr (series, ==, "bucket_end_inclusive");

  fixture_stop (&f);
}

/* Two accounts of one login share its token: only the run's first call
 * goes out alone, and a token the API refuses costs one call for the
 * whole run. */
static void
test_token_shared (void)
{
  static const Case c = { "overlap", NULL, "empty_object", "America/Los_Angeles" };
  const char *args[] = { "sync", "--since", NULL, "--until", NULL, "--json", NULL };
  Fixture f = { 0, };
  gint64 http = 0, calls = 0;
  gint64 http_of[2];

  fixture_start (&f, &c, NULL, NULL);
  add_account (&f, ACCOUNT, TOKEN);
  add_account (&f, ACCOUNT_2, TOKEN);
  instasync_test_pg_assume_default_days (f.conninfo, f.sim_url);
  /* One account after the other. */
  g_ptr_array_insert (f.env, f.env->len - 1, g_strdup ("INSTASYNC_CONNECTIONS=1"));
  args[2] = f.since;
  args[4] = f.until;

  for (guint pass = 0; pass < 2; pass++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      CtlRun run = { 0, };
      JsonArray *results;

      if (pass == 1)
        g_assert_true (graph_sim_set_token_state (f.sim, TOKEN, "expired"));

      ctl (&f, &run, NULL, args);
      g_assert_cmpint (run.status, ==, pass == 0 ? 0 : 1);
      g_assert_true (json_parser_load_from_data (parser, run.out, -1, NULL));
      instasync_test_ctl_clear (&run);
      results = json_node_get_array (json_parser_get_root (parser));
      g_assert_cmpuint (json_array_get_length (results), ==, 2);

      http = calls = 0;
      for (guint i = 0; i < 2; i++)
        {
          JsonObject *result = json_array_get_object_element (results, i);

          http_of[i] = json_object_get_int_member (result, "http_requests");
          http += http_of[i];
          calls += json_object_get_int_member (result, "api_calls");
          if (pass == 1)
            g_assert_cmpstr (json_object_get_string_member (result, "action"), ==, "reconnect");
        }

      if (pass == 0)
        {
          /* The same calls for both; the first account's first call went
           * out alone, the second's, whose token had answered, did not. */
          g_assert_cmpint (calls, ==, 2 * (2 + WINDOW_DAYS));
          g_assert_cmpint (http_of[0], ==, http_of[1] + 1);
        }
      else
        {
          g_assert_cmpint (calls, ==, 1);
          g_assert_cmpint (http, ==, 1);
        }
    }

  fixture_stop (&f);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_free);
  int status;

  g_test_init (&argc, &argv, NULL);

  for (guint r = 0; r < G_N_ELEMENTS (until_readings); r++)
    for (guint e = 0; e < G_N_ELEMENTS (empty_totals); e++)
      for (guint z = 0; z < G_N_ELEMENTS (zones); z++)
        {
          Case *c = g_new0 (Case, 1);
          g_autofree char *path = NULL;
          g_autofree char *zone = g_strdelimit (g_strdup (zones[z]), "/", '-');

          c->until_reading = until_readings[r];
          c->empty_total = empty_totals[e];
          c->zone = zones[z];
          g_ptr_array_add (cases, c);
          path = g_strdup_printf ("/e2e-readings/%s/%s/%s", until_readings[r], empty_totals[e], zone);
          g_test_add_data_func (path, c, test_reading);
        }

  g_test_add_func ("/e2e-readings/no-data", test_no_data);
  g_test_add_func ("/e2e-readings/pending-days", test_pending_days);
  g_test_add_func ("/e2e-readings/shared-by-processes", test_shared);
  g_test_add_func ("/e2e-readings/totals-read-apart", test_totals_read_apart);
  g_test_add_func ("/e2e-readings/totals-unreconciled", test_totals_unreconciled);
  g_test_add_func ("/e2e-readings/zone-moved", test_zone_moved);
  g_test_add_func ("/e2e-readings/reading-moved", test_reading_moved);
  g_test_add_func ("/e2e-readings/token-shared", test_token_shared);

  status = g_test_run ();
  g_clear_pointer (&shared_pg, instasync_test_pg_free);
  return status;
}
