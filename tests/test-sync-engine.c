/* test-sync-engine.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * instasync_sync_account() against the simulator and a real PostgreSQL:
 * window planning, per-metric limits and failures of the database.
 */

#include "config.h"

#include <libpq-fe.h>
#include <string.h>
#include <time.h>

#include "graph-sim.h"
#include "instasync-error.h"
#include "instasync-sync-engine.h"
#include "instasync-test-pg.h"
#include "instasync-time.h"

#define ACCOUNT "17841400000000088"
#define TOKEN   "EAAengine-test-token"

static const char scenario[] =
  "{\"users\": [{\"id\": \"1\", \"name\": \"U\", \"token\": \"" TOKEN "\","
  "  \"pages\": [{\"id\": \"2\", \"name\": \"P\", \"instagram_business_account\": \"" ACCOUNT "\"}]}],"
  " \"accounts\": [{\"id\": \"" ACCOUNT "\", \"username\": \"engine.test\", \"followers_count\": 900}]}";

/* One cluster for the file, a fresh database in it for each test: starting
 * a cluster per test made the file slow enough to time out under load. The
 * test that stops its server has a cluster of its own. */
static InstaSyncTestPg *shared_pg;
static guint databases;

#define OWN_CLUSTER ((gconstpointer) "own cluster")

typedef struct
{
  InstaSyncTestPg      *pg;
  InstaSyncStore       *store;
  GraphSim             *sim;
  InstaSyncGraphClient *client;
  InstaSyncAccount     *account;
  GDate                 today;
} Fixture;

/* Records @reading as what the simulator was seen to do. */
static void
record_readings (Fixture                *fixture,
                 InstaSyncWindowReading  reading)
{
  g_autofree char *url = graph_sim_get_base_url (fixture->sim);
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *host = g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
  g_autoptr(GError) error = NULL;

  g_assert_true (instasync_store_put_window_readings (fixture->store, host, 22, reading, reading,
                                                      &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  if (data == OWN_CLUSTER)
    {
      fixture->pg = instasync_test_pg_start_checked ();
      fixture->store = instasync_test_pg_connect_migrated (fixture->pg, &error);
    }
  else
    {
      PGconn *conn;
      PGresult *result;
      g_autofree char *create = NULL;
      g_autofree char *conninfo = NULL;

      if (shared_pg == NULL)
        shared_pg = instasync_test_pg_start_checked ();

      conn = PQconnectdb (instasync_test_pg_get_conninfo (shared_pg));
      create = g_strdup_printf ("CREATE DATABASE engine_%u", ++databases);
      result = PQexec (conn, create);
      g_assert_cmpstr (PQresultErrorMessage (result), ==, "");
      PQclear (result);
      PQfinish (conn);

      conninfo = g_strdup_printf ("%s dbname=engine_%u", instasync_test_pg_get_conninfo (shared_pg),
                                  databases);
      fixture->store = instasync_store_connect (conninfo, &error);
      g_assert_no_error (error);
      g_assert_true (instasync_store_migrate (fixture->store, NULL, &error));
    }
  g_assert_no_error (error);

  fixture->sim = graph_sim_new ();
  g_assert_true (graph_sim_load_scenario_data (fixture->sim, scenario, -1, &error));
  g_assert_true (graph_sim_start (fixture->sim, 0, &error));
  g_assert_no_error (error);

  url = graph_sim_get_base_url (fixture->sim);
  fixture->client = instasync_graph_client_new (url, "v22.0");
  instasync_graph_client_set_retry_policy (fixture->client, 2, 1, 2);

  fixture->account = instasync_account_new (ACCOUNT);
  instasync_account_set_username (fixture->account, "engine.test");
  /* The API's days as the simulator serves them by default, already
   * learnt: these tests count the calls of the sync itself (the probe that
   * learns them has tests of its own, test-e2e-readings). */
  instasync_account_set_day_zone (fixture->account, "America/Los_Angeles");
  record_readings (fixture, INSTASYNC_WINDOW_READING_OVERLAP);
  instasync_pacific_date_at (g_get_real_time () / G_USEC_PER_SEC, &fixture->today);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->account);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->sim);
  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->pg, instasync_test_pg_free);
}

static void
days_ago (Fixture *fixture,
          guint    days,
          GDate   *day)
{
  *day = fixture->today;
  g_date_subtract_days (day, days);
}

static gboolean
has_note_containing (InstaSyncFetchResult *result,
                     const char           *text)
{
  const char * const *notes = instasync_fetch_result_get_notes (result);

  for (guint i = 0; notes[i] != NULL; i++)
    if (strstr (notes[i], text) != NULL)
      return TRUE;
  return FALSE;
}

static void
test_time_series_chunks (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *metrics[] = { "reach", NULL };
  g_autoptr(InstaSyncFetchResult) result = NULL;
  InstaSyncSyncOptions options;

  /* 40 days of reach: a 29-day request and an 11-day one, never over the
   * API's 30-day span even across a DST change. */
  instasync_sync_options_init (&options);
  days_ago (fixture, 40, &options.since);
  days_ago (fixture, 1, &options.until);
  options.metrics = metrics;

  result = instasync_sync_account (fixture->client, fixture->store, fixture->account, TOKEN,
                                   &options, NULL);
  g_assert_cmpint (instasync_fetch_result_get_status (result), ==, INSTASYNC_FETCH_STATUS_SUCCEEDED);
  g_assert_cmpuint (instasync_fetch_result_get_api_calls (result), ==, 2);
  g_assert_cmpuint (instasync_fetch_result_get_rows_inserted (result), ==, 40);
  g_assert_cmpint (instasync_store_count_insights (fixture->store, ACCOUNT, NULL), ==, 40);
}

/* Whichever way the API reads "until", every day is fetched once and holds
 * that day's value. */
static void
test_until_readings (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *metrics[] = { "reach", "profile_views", NULL };

  for (guint inclusive = 0; inclusive <= 1; inclusive++)
    {
      g_autoptr(InstaSyncFetchResult) result = NULL;
      g_autoptr(GError) error = NULL;
      InstaSyncSyncOptions options;

      graph_sim_set_until_inclusive (fixture->sim, inclusive);
      /* As learnt (test-e2e-readings learns it; a reading that changes
       * under InstaSync is caught there too). */
      record_readings (fixture, inclusive ? INSTASYNC_WINDOW_READING_OVERLAP_INCLUSIVE
                                          : INSTASYNC_WINDOW_READING_OVERLAP);
      instasync_sync_options_init (&options);
      days_ago (fixture, 35, &options.since);
      days_ago (fixture, 1, &options.until);
      options.metrics = metrics;

      result = instasync_sync_account (fixture->client, fixture->store, fixture->account, TOKEN,
                                       &options, NULL);
      g_assert_cmpint (instasync_fetch_result_get_status (result), ==,
                       INSTASYNC_FETCH_STATUS_SUCCEEDED);
      /* The second pass finds every row already stored, unchanged. */
      g_assert_cmpuint (instasync_fetch_result_get_rows_inserted (result) +
                        instasync_fetch_result_get_rows_unchanged (result), ==, 2 * 35);
      g_assert_cmpuint (instasync_fetch_result_get_rows_updated (result), ==, 0);

      for (guint m = 0; metrics[m] != NULL; m++)
        {
          g_autoptr(GPtrArray) rows =
            instasync_store_query_insights (fixture->store, ACCOUNT, metrics[m], 0,
                                            instasync_pacific_day_end (&fixture->today), &error);

          g_assert_no_error (error);
          g_assert_cmpuint (rows->len, ==, 35);
          for (guint i = 0; i < rows->len; i++)
            {
              InstaSyncInsightRow *row = g_ptr_array_index (rows, i);
              GDate day;

              instasync_pacific_day_of_end_time (row->end_time, &day);
              g_assert_cmpint (row->value, ==, graph_sim_daily_value (ACCOUNT, metrics[m], &day));
            }
        }
    }
}

static void
test_follower_count_limits (Fixture       *fixture,
                            gconstpointer  data)
{
  const char *metrics[] = { "follower_count", NULL };
  g_autoptr(InstaSyncFetchResult) narrowed = NULL;
  g_autoptr(InstaSyncFetchResult) outside = NULL;
  InstaSyncSyncOptions options;

  /* Asked for 60 days up to today: the API serves the last 30 days counted
   * back from now, today excluded, so whole days from today-29 on. */
  instasync_sync_options_init (&options);
  days_ago (fixture, 59, &options.since);
  options.until = fixture->today;
  options.metrics = metrics;

  narrowed = instasync_sync_account (fixture->client, fixture->store, fixture->account, TOKEN,
                                     &options, NULL);
  g_assert_cmpint (instasync_fetch_result_get_status (narrowed), ==, INSTASYNC_FETCH_STATUS_SUCCEEDED);
  g_assert_cmpuint (instasync_fetch_result_get_rows_inserted (narrowed), ==, 29);
  g_assert_true (has_note_containing (narrowed, "window narrowed"));

  /* Entirely older than 30 days: nothing to ask, and no call spent. */
  days_ago (fixture, 90, &options.since);
  days_ago (fixture, 60, &options.until);
  outside = instasync_sync_account (fixture->client, fixture->store, fixture->account, TOKEN,
                                    &options, NULL);
  g_assert_cmpint (instasync_fetch_result_get_status (outside), ==, INSTASYNC_FETCH_STATUS_SUCCEEDED);
  g_assert_cmpuint (instasync_fetch_result_get_api_calls (outside), ==, 0);
  g_assert_true (has_note_containing (outside, "no data"));
}

static void
test_removed_metric (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *metrics[] = { "impressions", "views", NULL };
  g_autoptr(InstaSyncFetchResult) result = NULL;
  InstaSyncMetricError *error;
  InstaSyncSyncOptions options;
  g_autofree char *yesterday_text = NULL;
  GDate yesterday;

  instasync_sync_options_init (&options);
  options.metrics = metrics;
  options.lookback_days = 2;

  result = instasync_sync_account (fixture->client, fixture->store, fixture->account, TOKEN,
                                   &options, NULL);
  /* impressions is refused without a call at v22; views goes on. */
  g_assert_cmpint (instasync_fetch_result_get_status (result), ==, INSTASYNC_FETCH_STATUS_PARTIAL);
  g_assert_cmpuint (instasync_fetch_result_get_api_calls (result), ==, 2);
  g_assert_cmpuint (instasync_fetch_result_get_errors (result)->len, ==, 1);
  error = g_ptr_array_index (instasync_fetch_result_get_errors (result), 0);
  g_assert_cmpstr (error->metric, ==, "impressions");
  g_assert_cmpint (error->action, ==, INSTASYNC_ERROR_ACTION_SKIP_METRIC);
  /* The default window ends yesterday. */
  days_ago (fixture, 1, &yesterday);
  yesterday_text = instasync_format_date (&yesterday);
  g_assert_cmpstr (instasync_fetch_result_get_window_until (result), ==, yesterday_text);
}

static void
test_missing_token (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(InstaSyncFetchResult) result = NULL;
  InstaSyncSyncOptions options;

  instasync_sync_options_init (&options);
  result = instasync_sync_account (fixture->client, fixture->store, fixture->account, NULL,
                                   &options, NULL);
  g_assert_cmpint (instasync_fetch_result_get_status (result), ==, INSTASYNC_FETCH_STATUS_FAILED);
  g_assert_cmpint (instasync_fetch_result_get_action (result), ==, INSTASYNC_ERROR_ACTION_RECONNECT);
  g_assert_cmpuint (instasync_fetch_result_get_api_calls (result), ==, 0);
  /* Every default metric is accounted for. */
  g_assert_cmpuint (instasync_fetch_result_get_errors (result)->len, ==, 4);
}

static void
test_throttled_pauses (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncFetchResult) result = NULL;
  InstaSyncSyncOptions options;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_assert_true (graph_sim_add_fault (fixture->sim, "graph_error:every=1:code=80002:http_status=400", &error));
  g_assert_no_error (error);

  instasync_sync_options_init (&options);
  result = instasync_sync_account (fixture->client, fixture->store, fixture->account, TOKEN,
                                   &options, NULL);
  g_assert_cmpint (instasync_fetch_result_get_status (result), ==, INSTASYNC_FETCH_STATUS_PAUSED);
  g_assert_cmpint (instasync_fetch_result_get_action (result), ==, INSTASYNC_ERROR_ACTION_BACK_OFF);
  /* Throttled on the run's first call, which goes out alone: nothing else
   * is sent, and the rest of the account waits. */
  g_assert_cmpuint (instasync_fetch_result_get_api_calls (result), ==, 1);
  g_assert_cmpuint (instasync_fetch_result_get_http_requests (result), ==, 1);
  /* No time given: an hour, as Meta advises. */
  g_assert_cmpint (instasync_fetch_result_get_paused_until (result), >=, now + 3600);
  g_assert_cmpint (instasync_fetch_result_get_paused_until (result), <=, now + 3700);
}

/* With the usage headers to go by, the engine stops short of the limit:
 * the account ends paused, with what it fetched stored, and the API never
 * had to throttle it. */
static void
test_paces_below_limit (Fixture       *fixture,
                        gconstpointer  data)
{
  static const char limited[] =
    "{\"app\": {\"enforce_limits\": true},"
    " \"users\": [{\"id\": \"1\", \"name\": \"U\", \"token\": \"" TOKEN "\","
    "  \"pages\": [{\"id\": \"2\", \"name\": \"P\", \"instagram_business_account\": \"" ACCOUNT "\"}]}],"
    " \"accounts\": [{\"id\": \"" ACCOUNT "\", \"username\": \"engine.test\","
    "   \"followers_count\": 900, \"call_limit\": 40}]}";
  const char *metrics[] = { "reach", "profile_views", NULL };
  g_autoptr(InstaSyncFetchResult) result = NULL;
  g_autoptr(InstaSyncFetchResult) again = NULL;
  g_autoptr(GError) error = NULL;
  InstaSyncSyncOptions options;

  g_assert_true (graph_sim_load_scenario_data (fixture->sim, limited, -1, &error));
  g_assert_no_error (error);

  /* 60 days: two time series requests and 60 total-value ones, more than
   * the 40 calls the account may make. */
  instasync_sync_options_init (&options);
  days_ago (fixture, 60, &options.since);
  days_ago (fixture, 1, &options.until);
  options.metrics = metrics;

  result = instasync_sync_account (fixture->client, fixture->store, fixture->account, TOKEN,
                                   &options, NULL);
  g_assert_cmpuint (graph_sim_get_throttle_error_count (fixture->sim), ==, 0);
  g_assert_cmpint (instasync_fetch_result_get_status (result), ==, INSTASYNC_FETCH_STATUS_PAUSED);
  g_assert_cmpint (instasync_fetch_result_get_action (result), ==, INSTASYNC_ERROR_ACTION_BACK_OFF);
  g_assert_cmpuint (instasync_fetch_result_get_api_calls (result), <, 40);
  g_assert_cmpuint (instasync_fetch_result_get_api_calls (result), >=, 30);
  /* What was fetched is kept. */
  g_assert_cmpuint (instasync_fetch_result_get_rows_inserted (result), >, 60);
  g_assert_cmpint (instasync_account_get_paused_until (fixture->account), >,
                   g_get_real_time () / G_USEC_PER_SEC);

  /* The next run does not call at all until the pause is over. */
  again = instasync_sync_account (fixture->client, fixture->store, fixture->account, TOKEN,
                                  &options, NULL);
  g_assert_cmpint (instasync_fetch_result_get_status (again), ==, INSTASYNC_FETCH_STATUS_PAUSED);
  g_assert_cmpuint (instasync_fetch_result_get_api_calls (again), ==, 0);
  g_assert_cmpuint (graph_sim_get_throttle_error_count (fixture->sim), ==, 0);
}

static gint64
cursor_age (Fixture    *fixture,
            const char *metric)
{
  g_autofree char *sql = g_strdup_printf ("SELECT current_date - synced_through FROM "
                                          "instagram_sync_cursors WHERE ig_user_id = '" ACCOUNT "' "
                                          "AND metric = '%s'", metric);
  PGresult *result = PQexec (instasync_store_get_connection (fixture->store), sql);
  gint64 age = -1;

  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  if (PQntuples (result) == 1)
    age = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  PQclear (result);
  return age;
}

/* The cursor: through settled days only, never over a gap, and the next
 * default run starts after it. */
static void
test_cursors (Fixture       *fixture,
              gconstpointer  data)
{
  const char *metrics[] = { "reach", NULL };
  g_autoptr(InstaSyncFetchResult) first = NULL;
  g_autoptr(InstaSyncFetchResult) elsewhere = NULL;
  g_autoptr(InstaSyncFetchResult) catch_up = NULL;
  InstaSyncSyncOptions options;
  PGresult *result;
  GDate today_utc;
  gint64 skew;

  /* current_date is UTC; the engine counts Pacific days. */
  g_date_clear (&today_utc, 1);
  g_date_set_time_t (&today_utc, time (NULL));
  skew = (gint64)g_date_get_julian (&today_utc) - (gint64)g_date_get_julian (&fixture->today);

  instasync_sync_options_init (&options);
  options.metrics = metrics;

  /* The default window ends yesterday; the cursor stops three days back,
   * where the API's data has settled. */
  first = instasync_sync_account (fixture->client, fixture->store, fixture->account, TOKEN,
                                  &options, NULL);
  g_assert_cmpint (instasync_fetch_result_get_status (first), ==, INSTASYNC_FETCH_STATUS_SUCCEEDED);
  g_assert_cmpint (cursor_age (fixture, "reach"), ==, 3 + skew);

  /* Pretend the machine was off: the cursor is 20 days old. */
  result = PQexec (instasync_store_get_connection (fixture->store),
                   "UPDATE instagram_sync_cursors SET synced_through = synced_through - 17");
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_COMMAND_OK);
  PQclear (result);

  /* A window that starts after a gap does not move the cursor over it. */
  days_ago (fixture, 9, &options.since);
  days_ago (fixture, 8, &options.until);
  elsewhere = instasync_sync_account (fixture->client, fixture->store, fixture->account, TOKEN,
                                      &options, NULL);
  g_assert_cmpint (instasync_fetch_result_get_status (elsewhere), ==, INSTASYNC_FETCH_STATUS_SUCCEEDED);
  g_assert_cmpint (cursor_age (fixture, "reach"), ==, 20 + skew);

  /* The next default run catches up from the day after the cursor. */
  g_date_clear (&options.since, 1);
  g_date_clear (&options.until, 1);
  catch_up = instasync_sync_account (fixture->client, fixture->store, fixture->account, TOKEN,
                                     &options, NULL);
  g_assert_cmpint (instasync_fetch_result_get_status (catch_up), ==, INSTASYNC_FETCH_STATUS_SUCCEEDED);
  {
    GDate since;
    g_autofree char *expected = NULL;

    days_ago (fixture, 19, &since);
    expected = instasync_format_date (&since);
    g_assert_cmpstr (instasync_fetch_result_get_window_since (catch_up), ==, expected);
  }
  g_assert_cmpint (cursor_age (fixture, "reach"), ==, 3 + skew);
}

/* A throttle inside a batch stops the batches after it. */
static void
test_throttle_stops_batches (Fixture       *fixture,
                             gconstpointer  data)
{
  const char *metrics[] = { "reach", "profile_views", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncFetchResult) result = NULL;
  InstaSyncSyncOptions options;

  /* profile_views, so that the run's first call (reach, alone) passes. */
  g_assert_true (graph_sim_add_fault (fixture->sim, "graph_error:every=1:code=80002:http_status=400:"
                                      "metric=profile_views", &error));
  g_assert_no_error (error);

  instasync_sync_options_init (&options);
  days_ago (fixture, 60, &options.since);
  days_ago (fixture, 1, &options.until);
  options.metrics = metrics;

  result = instasync_sync_account (fixture->client, fixture->store, fixture->account, TOKEN,
                                   &options, NULL);
  g_assert_cmpint (instasync_fetch_result_get_status (result), ==, INSTASYNC_FETCH_STATUS_PAUSED);
  /* The first call alone, the first batch of ten, and not one call more. */
  g_assert_cmpuint (instasync_fetch_result_get_api_calls (result), ==, 1 + 10);
  g_assert_cmpuint (instasync_fetch_result_get_http_requests (result), ==, 2);
}

static guint
rows_written (InstaSyncFetchResult *result)
{
  return instasync_fetch_result_get_rows_inserted (result) +
         instasync_fetch_result_get_rows_updated (result) +
         instasync_fetch_result_get_rows_unchanged (result);
}

/* A metric the API refuses is found once, early in a long backfill, and
 * left out of the days after: not paid for again on every day. */
static void
test_refused_metric_learnt_once (Fixture       *fixture,
                                 gconstpointer  data)
{
  const char *metrics[] = { "profile_views", "accounts_engaged", NULL };
  const char *succeeded[] = { "profile_views", NULL };
  const char *failed[] = { "accounts_engaged", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncFetchResult) result = NULL;
  InstaSyncSyncOptions options;

  g_assert_true (graph_sim_add_fault (fixture->sim, "graph_error:every=1:code=100:http_status=400:"
                                      "metric=accounts_engaged", &error));
  g_assert_no_error (error);

  instasync_sync_options_init (&options);
  days_ago (fixture, 60, &options.since);
  days_ago (fixture, 1, &options.until);
  options.metrics = metrics;

  result = instasync_sync_account (fixture->client, fixture->store, fixture->account, TOKEN,
                                   &options, NULL);
  g_assert_cmpint (instasync_fetch_result_get_status (result), ==, INSTASYNC_FETCH_STATUS_PARTIAL);
  g_assert_cmpstrv (instasync_fetch_result_get_succeeded (result), succeeded);
  g_assert_cmpstrv (instasync_fetch_result_get_failed (result), failed);
  g_assert_cmpuint (instasync_fetch_result_get_errors (result)->len, ==, 1);
  g_assert_cmpuint (rows_written (result), ==, 60);
  /* 60 days of both: the first wave of 50 refused; the first of them split
   * in two, which finds accounts_engaged; then the 49 others and the last
   * 10 days ask for profile_views alone. Asking every refused day again
   * metric by metric would have cost 60 + 120. */
  g_assert_cmpuint (instasync_fetch_result_get_api_calls (result), ==, 50 + 2 + 49 + 10);
  g_assert_cmpint (cursor_age (fixture, "accounts_engaged"), ==, -1);
}

/* A period total that fails does not hold back the daily values of its
 * metric. */
static void
test_period_total_failure (Fixture       *fixture,
                           gconstpointer  data)
{
  const char *metrics[] = { "reach", NULL };
  const char *succeeded[] = { "reach", NULL };
  const char *failed[] = { "reach (7-day total)", NULL };
  const guint periods[] = { 7, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncFetchResult) result = NULL;
  InstaSyncSyncOptions options;

  /* reach is asked twice: its daily time series, then the 7-day total. */
  g_assert_true (graph_sim_add_fault (fixture->sim, "graph_error:every=2:code=100:http_status=400:"
                                      "metric=reach", &error));
  g_assert_no_error (error);

  instasync_sync_options_init (&options);
  options.metrics = metrics;
  options.period_days = periods;

  result = instasync_sync_account (fixture->client, fixture->store, fixture->account, TOKEN,
                                   &options, NULL);
  g_assert_cmpuint (instasync_fetch_result_get_api_calls (result), ==, 2);
  g_assert_cmpint (instasync_fetch_result_get_status (result), ==, INSTASYNC_FETCH_STATUS_PARTIAL);
  g_assert_cmpstrv (instasync_fetch_result_get_succeeded (result), succeeded);
  g_assert_cmpstrv (instasync_fetch_result_get_failed (result), failed);
  /* Three daily values, and the cursor moved as if nothing had failed. */
  g_assert_cmpuint (rows_written (result), ==, 3);
  g_assert_cmpint (cursor_age (fixture, "reach"), >=, 3);
  g_assert_cmpint (cursor_age (fixture, "reach"), <=, 4);
}

/* Each metric resumes from its own cursor; the days they share are still
 * asked for in one request each. */
/* A first sync brings some history when asked to; the next ones resume
 * from the cursors as usual. */
static void
test_initial_history (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *metrics[] = { "profile_views", NULL };
  g_autoptr(InstaSyncFetchResult) first = NULL;
  g_autoptr(InstaSyncFetchResult) again = NULL;
  g_autofree char *expected_since = NULL;
  InstaSyncSyncOptions options;
  GDate since;

  instasync_sync_options_init (&options);
  options.metrics = metrics;
  options.initial_days = 20;

  first = instasync_sync_account (fixture->client, fixture->store, fixture->account, TOKEN,
                                  &options, NULL);
  g_assert_cmpint (instasync_fetch_result_get_status (first), ==, INSTASYNC_FETCH_STATUS_SUCCEEDED);
  days_ago (fixture, 20, &since);
  expected_since = instasync_format_date (&since);
  g_assert_cmpstr (instasync_fetch_result_get_window_since (first), ==, expected_since);
  /* One call per day, from 20 days ago to yesterday. */
  g_assert_cmpuint (instasync_fetch_result_get_api_calls (first), ==, 20);
  g_assert_cmpuint (rows_written (first), ==, 20);

  /* With cursors now, the lookback again: three days. */
  again = instasync_sync_account (fixture->client, fixture->store, fixture->account, TOKEN,
                                  &options, NULL);
  g_assert_cmpuint (instasync_fetch_result_get_api_calls (again), ==, 3);
}

static void
test_per_metric_windows (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *metrics[] = { "profile_views", "accounts_engaged", NULL };
  g_autoptr(InstaSyncFetchResult) first = NULL;
  g_autoptr(InstaSyncFetchResult) again = NULL;
  g_autofree char *expected_since = NULL;
  InstaSyncSyncOptions options;
  PGresult *result;
  GDate since;

  instasync_sync_options_init (&options);
  options.metrics = metrics;

  first = instasync_sync_account (fixture->client, fixture->store, fixture->account, TOKEN,
                                  &options, NULL);
  g_assert_cmpint (instasync_fetch_result_get_status (first), ==, INSTASYNC_FETCH_STATUS_SUCCEEDED);
  g_assert_cmpuint (instasync_fetch_result_get_api_calls (first), ==, 3);

  /* profile_views fell 16 days behind. */
  result = PQexec (instasync_store_get_connection (fixture->store),
                   "UPDATE instagram_sync_cursors SET synced_through = synced_through - 16 "
                   "WHERE metric = 'profile_views'");
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_COMMAND_OK);
  PQclear (result);

  again = instasync_sync_account (fixture->client, fixture->store, fixture->account, TOKEN,
                                  &options, NULL);
  g_assert_cmpint (instasync_fetch_result_get_status (again), ==, INSTASYNC_FETCH_STATUS_SUCCEEDED);
  /* It resumes the day after its cursor, 3 + 16 days back. */
  days_ago (fixture, 18, &since);
  expected_since = instasync_format_date (&since);
  g_assert_cmpstr (instasync_fetch_result_get_window_since (again), ==, expected_since);
  /* 18 days of profile_views, 3 of accounts_engaged (the lookback, not
   * 18), in 18 calls (not 18 + 3). */
  g_assert_cmpuint (instasync_fetch_result_get_api_calls (again), ==, 18);
  g_assert_cmpuint (rows_written (again), ==, 18 + 3);
  g_assert_cmpint (cursor_age (fixture, "profile_views"), ==, cursor_age (fixture, "accounts_engaged"));
}

/* A valid JSON answer of the wrong shape fails its metric with what was
 * wrong with it, and takes nothing else down. */
static void
test_unexpected_shape (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *metrics[] = { "reach", "profile_views", NULL };
  const char *succeeded[] = { "profile_views", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncFetchResult) result = NULL;
  InstaSyncMetricError *first;
  InstaSyncSyncOptions options;

  g_assert_true (graph_sim_add_fault (fixture->sim, "unexpected_shape:every=1:metric=reach", &error));
  g_assert_no_error (error);

  instasync_sync_options_init (&options);
  options.metrics = metrics;
  result = instasync_sync_account (fixture->client, fixture->store, fixture->account, TOKEN,
                                   &options, NULL);
  g_assert_cmpint (instasync_fetch_result_get_status (result), ==, INSTASYNC_FETCH_STATUS_PARTIAL);
  g_assert_cmpstrv (instasync_fetch_result_get_succeeded (result), succeeded);
  first = g_ptr_array_index (instasync_fetch_result_get_errors (result), 0);
  g_assert_cmpstr (first->metric, ==, "reach");
  g_assert_cmpint (first->code, ==, INSTASYNC_ERROR_UNEXPECTED_SHAPE);
  g_assert_nonnull (strstr (first->message, "“data”"));
}

static void
test_database_gone (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncFetchResult) result = NULL;
  InstaSyncMetricError *first;
  InstaSyncSyncOptions options;

  /* The server goes away after the store connected. */
  g_assert_true (instasync_embedded_db_stop_force (instasync_test_pg_get_embedded_db (fixture->pg),
                                                   &error));
  g_assert_no_error (error);

  instasync_sync_options_init (&options);
  result = instasync_sync_account (fixture->client, fixture->store, fixture->account, TOKEN,
                                   &options, NULL);
  g_assert_cmpint (instasync_fetch_result_get_status (result), ==, INSTASYNC_FETCH_STATUS_FAILED);
  first = g_ptr_array_index (instasync_fetch_result_get_errors (result), 0);
  g_assert_cmpstr (first->domain, ==, "instasync");
  g_assert_cmpint (first->code, ==, INSTASYNC_ERROR_DATABASE);
  /* The database's first answer, before any call, stops the account: what
   * the API would send could not be stored. */
  g_assert_cmpuint (instasync_fetch_result_get_api_calls (result), ==, 0);
  g_assert_cmpuint (instasync_fetch_result_get_http_requests (result), ==, 0);
  g_assert_cmpuint (instasync_fetch_result_get_errors (result)->len, ==, 4);
  /* And the sync log could not be written either, which the result says. */
  g_assert_true (has_note_containing (result, "sync log could not be written"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sync-engine/time-series-chunks", test_time_series_chunks);
  ADD ("/sync-engine/until-readings", test_until_readings);
  ADD ("/sync-engine/follower-count-limits", test_follower_count_limits);
  ADD ("/sync-engine/removed-metric", test_removed_metric);
  ADD ("/sync-engine/missing-token", test_missing_token);
  ADD ("/sync-engine/throttled-pauses", test_throttled_pauses);
  ADD ("/sync-engine/paces-below-limit", test_paces_below_limit);
  ADD ("/sync-engine/cursors", test_cursors);
  ADD ("/sync-engine/throttle-stops-batches", test_throttle_stops_batches);
  g_test_add ("/sync-engine/unexpected-shape", Fixture, NULL, fixture_set_up,
              test_unexpected_shape, fixture_tear_down);
  g_test_add ("/sync-engine/database-gone", Fixture, OWN_CLUSTER, fixture_set_up,
              test_database_gone, fixture_tear_down);
  ADD ("/sync-engine/refused-metric-learnt-once", test_refused_metric_learnt_once);
  ADD ("/sync-engine/period-total-failure", test_period_total_failure);
  ADD ("/sync-engine/per-metric-windows", test_per_metric_windows);
  ADD ("/sync-engine/initial-history", test_initial_history);
#undef ADD

  status = g_test_run ();
  g_clear_pointer (&shared_pg, instasync_test_pg_free);
  return status;
}
