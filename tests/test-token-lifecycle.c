/* test-token-lifecycle.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The token manager against the simulator and a real PostgreSQL: expiry
 * learned and stored, refresh and rotation, what happens when either fails,
 * the pool's handling of dead tokens, and the key that encrypts tokens.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <string.h>

#include "graph-sim.h"
#include "instasync-error.h"
#include "instasync-graph-client.h"
#include "instasync-sync-pool.h"
#include "instasync-test-pg.h"
#include "instasync-token-key.h"
#include "instasync-token-manager.h"

#define SIM_APP_ID     "100000000000001"
#define SIM_APP_SECRET "sim-app-secret"
#define KEY            "lifecycle-test-key"
#define DAY            (24 * 60 * 60)

#define ACCOUNT_SOON    "17841400000000101"
#define ACCOUNT_LONG    "17841400000000102"
#define ACCOUNT_NEVER   "17841400000000103"
#define ACCOUNT_DEAD    "17841400000000104"
#define ACCOUNT_DEAD_2  "17841400000000105"
#define ACCOUNT_SHARING "17841400000000106"

#define TOKEN_SOON  "EAAlife-soon-3d1f8e"
#define TOKEN_LONG  "EAAlife-long-77c2a0"
#define TOKEN_NEVER "EAAlife-never-5b9e41"
#define TOKEN_DEAD  "EAAlife-dead-0a6d3c"
/* Stored by "another worker"; the simulator never sees it. */
#define TOKEN_ROTATED "EAAlife-rotated-9f1c2b"

/* One cluster for the whole program, a database of its own for each test. */
static InstaSyncTestPg *cluster;
static guint databases;

typedef struct
{
  char                 *conninfo;
  InstaSyncStore       *store;
  GraphSim             *sim;
  char                 *sim_url;
  InstaSyncGraphClient *client;
  gint64                now;
} Fixture;

static char *
build_scenario (gint64 now)
{
  return g_strdup_printf (
    "{\"users\": ["
    " {\"id\": \"1\", \"token\": \"" TOKEN_SOON "\", \"expires_at\": %" G_GINT64_FORMAT ","
    "  \"pages\": [{\"id\": \"11\", \"instagram_business_account\": \"" ACCOUNT_SOON "\"}]},"
    " {\"id\": \"2\", \"token\": \"" TOKEN_LONG "\", \"expires_at\": %" G_GINT64_FORMAT ","
    "  \"pages\": [{\"id\": \"12\", \"instagram_business_account\": \"" ACCOUNT_LONG "\"}]},"
    " {\"id\": \"3\", \"token\": \"" TOKEN_NEVER "\","
    "  \"pages\": [{\"id\": \"13\", \"instagram_business_account\": \"" ACCOUNT_NEVER "\"},"
    "             {\"id\": \"16\", \"instagram_business_account\": \"" ACCOUNT_SHARING "\"}]},"
    " {\"id\": \"4\", \"token\": \"" TOKEN_DEAD "\", \"token_state\": \"expired\","
    "  \"pages\": [{\"id\": \"14\", \"instagram_business_account\": \"" ACCOUNT_DEAD "\"},"
    "             {\"id\": \"15\", \"instagram_business_account\": \"" ACCOUNT_DEAD_2 "\"}]}],"
    " \"accounts\": ["
    "  {\"id\": \"" ACCOUNT_SOON "\", \"username\": \"soon\"},"
    "  {\"id\": \"" ACCOUNT_LONG "\", \"username\": \"long\"},"
    "  {\"id\": \"" ACCOUNT_NEVER "\", \"username\": \"never\"},"
    "  {\"id\": \"" ACCOUNT_DEAD "\", \"username\": \"dead\"},"
    "  {\"id\": \"" ACCOUNT_DEAD_2 "\", \"username\": \"dead.too\"},"
    "  {\"id\": \"" ACCOUNT_SHARING "\", \"username\": \"sharing\"}]}",
    now + 3 * DAY, now + 40 * DAY);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *scenario = NULL;

  fixture->now = g_get_real_time () / G_USEC_PER_SEC;
  if (cluster == NULL)
    cluster = instasync_test_pg_start_checked ();

  {
    PGconn *conn = PQconnectdb (instasync_test_pg_get_conninfo (cluster));
    g_autofree char *sql = g_strdup_printf ("CREATE DATABASE lifecycle_%u", ++databases);
    PGresult *result;

    g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
    result = PQexec (conn, sql);
    g_assert_cmpint (PQresultStatus (result), ==, PGRES_COMMAND_OK);
    PQclear (result);
    PQfinish (conn);
  }
  /* Of a repeated keyword, libpq takes the last. */
  fixture->conninfo = g_strdup_printf ("%s dbname=lifecycle_%u",
                                       instasync_test_pg_get_conninfo (cluster), databases);
  fixture->store = instasync_store_connect (fixture->conninfo, &error);
  g_assert_no_error (error);
  g_assert_true (instasync_store_migrate (fixture->store, NULL, &error));
  g_assert_no_error (error);

  scenario = build_scenario (fixture->now);
  fixture->sim = graph_sim_new ();
  g_assert_true (graph_sim_load_scenario_data (fixture->sim, scenario, -1, &error));
  g_assert_no_error (error);
  /* The app requires appsecret_proof: every call below proves it. */
  graph_sim_set_app_secret (fixture->sim, SIM_APP_SECRET);
  g_assert_true (graph_sim_start (fixture->sim, 0, &error));
  g_assert_no_error (error);
  fixture->sim_url = graph_sim_get_base_url (fixture->sim);

  fixture->client = instasync_graph_client_new (fixture->sim_url, "v22.0");
  instasync_graph_client_set_retry_policy (fixture->client, 2, 1, 2);
  instasync_graph_client_set_app_secret (fixture->client, SIM_APP_SECRET);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->sim);
  g_clear_pointer (&fixture->sim_url, g_free);
  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->conninfo, g_free);
}

static void
add_account (Fixture    *fixture,
             const char *ig_user_id,
             const char *token)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (instasync_store_add_account (fixture->store, ig_user_id, NULL, token, KEY, &error));
  g_assert_no_error (error);
}

/* The account as a sync sees it: freshly read from the database. */
static InstaSyncAccount *
load_account (Fixture    *fixture,
              const char *ig_user_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = instasync_store_list_accounts (fixture->store, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < accounts->len; i++)
    {
      InstaSyncAccount *account = g_ptr_array_index (accounts, i);

      if (g_str_equal (instasync_account_get_ig_user_id (account), ig_user_id))
        return g_object_ref (account);
    }

  g_assert_not_reached ();
}

static char *
stored_token (Fixture    *fixture,
              const char *ig_user_id)
{
  g_autoptr(GError) error = NULL;
  char *token = instasync_store_get_token (fixture->store, ig_user_id, KEY, &error);

  g_assert_no_error (error);
  return token;
}

static void
set_expiry (Fixture    *fixture,
            const char *ig_user_id,
            gint64      expires_at)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (instasync_store_set_token_expires_at (fixture->store, ig_user_id, expires_at,
                                                      &error));
  g_assert_no_error (error);
}

static PGconn *
connect_db (Fixture *fixture)
{
  PGconn *conn = PQconnectdb (fixture->conninfo);

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  return conn;
}

static void
exec_sql (Fixture    *fixture,
          const char *sql)
{
  PGconn *conn = connect_db (fixture);
  PGresult *result = PQexec (conn, sql);

  g_assert_cmpint (PQresultStatus (result), ==, PGRES_COMMAND_OK);
  PQclear (result);
  PQfinish (conn);
}

static char *
query_text (Fixture    *fixture,
            const char *sql)
{
  PGconn *conn = connect_db (fixture);
  PGresult *result = PQexec (conn, sql);
  char *value;

  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  g_assert_cmpint (PQntuples (result), ==, 1);
  value = PQgetisnull (result, 0, 0) ? NULL : g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
  PQfinish (conn);
  return value;
}

static void
assert_query (Fixture    *fixture,
              const char *sql,
              const char *expected)
{
  g_autofree char *value = query_text (fixture, sql);

  g_assert_cmpstr (value, ==, expected);
}

static gboolean
token_works (Fixture    *fixture,
             const char *token)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *params[] = { "fields", "id", NULL };

  root = instasync_graph_client_get (fixture->client, "me", params, token, NULL, &error);
  return root != NULL;
}

/* Never and unknown are different things, and both survive the database. */
static void
test_expiry_stored (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(InstaSyncAccount) fresh = NULL;
  g_autoptr(InstaSyncAccount) never = NULL;
  g_autoptr(InstaSyncAccount) dated = NULL;
  g_autoptr(InstaSyncAccount) unknown = NULL;
  g_autoptr(GError) error = NULL;
  gint64 expires_at = 0, data_access = 0;

  add_account (fixture, ACCOUNT_LONG, TOKEN_LONG);

  fresh = load_account (fixture, ACCOUNT_LONG);
  g_assert_cmpint (instasync_account_get_token_expires_at (fresh), ==, 0);
  g_assert_false (instasync_account_get_token_never_expires (fresh));
  g_assert_true (instasync_store_get_token_expiry (fixture->store, ACCOUNT_LONG, &expires_at,
                                                   &data_access, &error));
  g_assert_cmpint (expires_at, ==, INSTASYNC_TOKEN_EXPIRY_UNKNOWN);
  g_assert_cmpint (data_access, ==, INSTASYNC_TOKEN_EXPIRY_UNKNOWN);

  set_expiry (fixture, ACCOUNT_LONG, 0);
  never = load_account (fixture, ACCOUNT_LONG);
  g_assert_true (instasync_account_get_token_never_expires (never));
  g_assert_cmpint (instasync_account_get_token_expires_at (never), ==, 0);
  g_assert_true (instasync_store_get_token_expiry (fixture->store, ACCOUNT_LONG, &expires_at,
                                                   NULL, &error));
  g_assert_cmpint (expires_at, ==, 0);
  assert_query (fixture, "SELECT expires_at::text FROM user_tokens", "infinity");

  g_assert_true (instasync_store_set_token_expiry (fixture->store, ACCOUNT_LONG, 1767225600,
                                                   1770000000, &error));
  g_assert_no_error (error);
  dated = load_account (fixture, ACCOUNT_LONG);
  g_assert_false (instasync_account_get_token_never_expires (dated));
  g_assert_cmpint (instasync_account_get_token_expires_at (dated), ==, 1767225600);
  g_assert_cmpint (instasync_account_get_data_access_expires_at (dated), ==, 1770000000);

  set_expiry (fixture, ACCOUNT_LONG, INSTASYNC_TOKEN_EXPIRY_UNKNOWN);
  unknown = load_account (fixture, ACCOUNT_LONG);
  g_assert_cmpint (instasync_account_get_token_expires_at (unknown), ==, 0);
  g_assert_false (instasync_account_get_token_never_expires (unknown));

  g_assert_false (instasync_store_set_token_expiry (fixture->store, "nobody", 0, 0, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND);
}

/* An unknown expiry is asked of debug_token (with the app's token), stored,
 * and acted on: 0 from debug_token is "never". */
static void
test_learn_expiry (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(InstaSyncTokenManager) manager = instasync_token_manager_new (SIM_APP_ID, SIM_APP_SECRET, 7);
  InstaSyncTokenReport report = { 0, };
  g_autofree char *token = g_strdup (TOKEN_LONG);
  g_autofree char *never_token = g_strdup (TOKEN_NEVER);
  g_autoptr(InstaSyncAccount) account = NULL;
  g_autoptr(InstaSyncAccount) reread = NULL;
  g_autoptr(InstaSyncAccount) never = NULL;

  instasync_token_manager_set_token_key (manager, KEY);
  add_account (fixture, ACCOUNT_LONG, TOKEN_LONG);
  add_account (fixture, ACCOUNT_NEVER, TOKEN_NEVER);
  account = load_account (fixture, ACCOUNT_LONG);

  /* Without leave to learn, an unknown expiry is left alone: no call. */
  g_assert_cmpint (instasync_token_manager_check (manager, fixture->client, fixture->store, account,
                                                 &token, fixture->now, FALSE, &report, NULL),
                   ==, INSTASYNC_TOKEN_STATUS_UNCHECKED);
  g_assert_cmpuint (report.api_calls, ==, 0);

  g_assert_cmpint (instasync_token_manager_check (manager, fixture->client, fixture->store, account,
                                                 &token, fixture->now, TRUE, &report, NULL),
                   ==, INSTASYNC_TOKEN_STATUS_VALID);
  g_assert_cmpuint (report.api_calls, ==, 1);
  g_assert_cmpstr (token, ==, TOKEN_LONG);
  g_assert_cmpint (report.expires_at, ==, fixture->now + 40 * DAY);

  reread = load_account (fixture, ACCOUNT_LONG);
  g_assert_cmpint (instasync_account_get_token_expires_at (reread), ==, fixture->now + 40 * DAY);
  g_assert_cmpint (instasync_account_get_data_access_expires_at (reread), >, fixture->now);
  g_assert_cmpstr (instasync_account_get_status (reread), ==, "active");

  never = load_account (fixture, ACCOUNT_NEVER);
  g_assert_cmpint (instasync_token_manager_check (manager, fixture->client, fixture->store, never,
                                                 &never_token, fixture->now, TRUE, &report, NULL),
                   ==, INSTASYNC_TOKEN_STATUS_VALID);
  g_clear_object (&never);
  never = load_account (fixture, ACCOUNT_NEVER);
  g_assert_true (instasync_account_get_token_never_expires (never));

  /* Known now: the next check makes no call. */
  g_assert_cmpint (instasync_token_manager_check (manager, fixture->client, fixture->store, never,
                                                 &never_token, fixture->now, TRUE, &report, NULL),
                   ==, INSTASYNC_TOKEN_STATUS_VALID);
  g_assert_cmpuint (report.api_calls, ==, 0);

  instasync_token_report_clear (&report);
}

/* An expiry learned for a token lands only while that token is still the
 * stored one: a worker that read the account before another worker rotated
 * its token must not write the old token's expiry onto the new token. */
static void
test_learned_expiry_after_rotation (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(InstaSyncTokenManager) manager = instasync_token_manager_new (SIM_APP_ID, SIM_APP_SECRET, 7);
  InstaSyncTokenReport report = { 0, };
  g_autofree char *token = g_strdup (TOKEN_LONG);
  g_autofree char *stored = NULL;
  g_autoptr(InstaSyncAccount) stale = NULL;
  g_autoptr(InstaSyncAccount) reread = NULL;
  g_autoptr(GError) error = NULL;
  gint64 expires_at = 0, data_access = 0;

  instasync_token_manager_set_token_key (manager, KEY);
  add_account (fixture, ACCOUNT_LONG, TOKEN_LONG);

  /* The worker's view: the old token, its expiry unknown. */
  stale = load_account (fixture, ACCOUNT_LONG);

  /* Another worker rotates. The manager does not touch the database
   * between reading the account and writing what debug_token said, so a
   * rotation here is one between learning and writing. */
  g_assert_true (instasync_store_rotate_token (fixture->store, ACCOUNT_LONG, TOKEN_LONG,
                                               TOKEN_ROTATED, fixture->now + 60 * DAY, KEY, &error));
  g_assert_no_error (error);

  g_assert_cmpint (instasync_token_manager_check (manager, fixture->client, fixture->store, stale,
                                                 &token, fixture->now, TRUE, &report, NULL),
                   ==, INSTASYNC_TOKEN_STATUS_VALID);
  g_assert_cmpuint (report.api_calls, ==, 1);
  /* The run goes on with the token it holds, whose expiry it learned… */
  g_assert_cmpstr (token, ==, TOKEN_LONG);
  g_assert_cmpint (report.expires_at, ==, fixture->now + 40 * DAY);
  g_assert_cmpint (instasync_account_get_token_expires_at (stale), ==, fixture->now + 40 * DAY);

  /* …and the stored token keeps its own. */
  stored = stored_token (fixture, ACCOUNT_LONG);
  g_assert_cmpstr (stored, ==, TOKEN_ROTATED);
  g_assert_true (instasync_store_get_token_expiry (fixture->store, ACCOUNT_LONG, &expires_at,
                                                   &data_access, &error));
  g_assert_no_error (error);
  g_assert_cmpint (expires_at, ==, fixture->now + 60 * DAY);
  g_assert_cmpint (data_access, ==, INSTASYNC_TOKEN_EXPIRY_UNKNOWN);
  reread = load_account (fixture, ACCOUNT_LONG);
  g_assert_cmpint (instasync_account_get_token_expires_at (reread), ==, fixture->now + 60 * DAY);

  /* The store's side: the old token's expiry is a conflict that changes
   * nothing and names no token; the current one's lands. */
  g_assert_false (instasync_store_set_token_expiry_if_current (fixture->store, ACCOUNT_LONG,
                                                               TOKEN_LONG, fixture->now + DAY,
                                                               fixture->now + 2 * DAY, KEY, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFLICT);
  g_assert_null (strstr (error->message, TOKEN_LONG));
  g_assert_null (strstr (error->message, TOKEN_ROTATED));
  g_clear_error (&error);
  g_assert_true (instasync_store_get_token_expiry (fixture->store, ACCOUNT_LONG, &expires_at,
                                                   &data_access, &error));
  g_assert_cmpint (expires_at, ==, fixture->now + 60 * DAY);
  g_assert_cmpint (data_access, ==, INSTASYNC_TOKEN_EXPIRY_UNKNOWN);

  g_assert_true (instasync_store_set_token_expiry_if_current (fixture->store, ACCOUNT_LONG,
                                                              TOKEN_ROTATED, 0,
                                                              fixture->now + 90 * DAY, KEY, &error));
  g_assert_no_error (error);
  g_assert_true (instasync_store_get_token_expiry (fixture->store, ACCOUNT_LONG, &expires_at,
                                                   &data_access, &error));
  g_assert_cmpint (expires_at, ==, 0);
  g_assert_cmpint (data_access, ==, fixture->now + 90 * DAY);

  g_assert_false (instasync_store_set_token_expiry_if_current (fixture->store, ACCOUNT_LONG,
                                                               TOKEN_ROTATED, 0, 0, "another key",
                                                               &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY);
  g_assert_null (strstr (error->message, "another key"));
  g_clear_error (&error);
  g_assert_false (instasync_store_set_token_expiry_if_current (fixture->store, ACCOUNT_LONG,
                                                               TOKEN_ROTATED, 0, 0, NULL, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY);
  g_clear_error (&error);
  g_assert_false (instasync_store_set_token_expiry_if_current (fixture->store, "nobody",
                                                               TOKEN_ROTATED, 0, 0, KEY, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND);

  instasync_token_report_clear (&report);
}

/* Seven days or fewer left, and a secret: a new token, stored in place of
 * the old one with its expiry, in one statement. */
static void
test_refresh (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(InstaSyncTokenManager) manager = instasync_token_manager_new (SIM_APP_ID, SIM_APP_SECRET, 7);
  InstaSyncTokenReport report = { 0, };
  g_autofree char *token = g_strdup (TOKEN_SOON);
  g_autofree char *stored = NULL;
  g_autoptr(InstaSyncAccount) account = NULL;
  g_autoptr(InstaSyncAccount) reread = NULL;
  gint64 expires_at = 0;
  g_autoptr(GError) error = NULL;

  instasync_token_manager_set_token_key (manager, KEY);
  g_assert_true (instasync_token_manager_can_refresh (manager));
  add_account (fixture, ACCOUNT_SOON, TOKEN_SOON);
  set_expiry (fixture, ACCOUNT_SOON, fixture->now + 3 * DAY);
  account = load_account (fixture, ACCOUNT_SOON);

  g_assert_cmpint (instasync_token_manager_check (manager, fixture->client, fixture->store, account,
                                                 &token, fixture->now, FALSE, &report, NULL),
                   ==, INSTASYNC_TOKEN_STATUS_REFRESHED);
  g_assert_cmpuint (report.api_calls, ==, 1);
  g_assert_cmpstr (token, !=, TOKEN_SOON);
  g_assert_nonnull (strstr (report.message, "refreshed"));
  g_assert_null (strstr (report.message, token));

  stored = stored_token (fixture, ACCOUNT_SOON);
  g_assert_cmpstr (stored, ==, token);
  g_assert_true (instasync_store_get_token_expiry (fixture->store, ACCOUNT_SOON, &expires_at, NULL,
                                                   &error));
  g_assert_cmpint (expires_at, ==, fixture->now + 5183944);
  g_assert_true (token_works (fixture, token));

  reread = load_account (fixture, ACCOUNT_SOON);
  g_assert_cmpstr (instasync_account_get_status (reread), ==, "active");
  g_assert_cmpint (instasync_account_get_token_expires_at (reread), ==, fixture->now + 5183944);

  /* The new token has sixty days: nothing more to do. */
  g_assert_cmpint (instasync_token_manager_check (manager, fixture->client, fixture->store, reread,
                                                 &token, fixture->now, FALSE, &report, NULL),
                   ==, INSTASYNC_TOKEN_STATUS_VALID);
  g_assert_cmpuint (report.api_calls, ==, 0);
  instasync_token_report_clear (&report);
}

/* Without a secret nothing can be refreshed: the account says "expiring",
 * says why, and goes on syncing with its token. */
static void
test_expiring_without_secret (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(InstaSyncTokenManager) manager = instasync_token_manager_new (NULL, NULL, 7);
  InstaSyncTokenReport report = { 0, };
  g_autofree char *token = g_strdup (TOKEN_SOON);
  g_autoptr(InstaSyncAccount) account = NULL;
  g_autoptr(InstaSyncAccount) reread = NULL;
  g_autofree char *stored = NULL;

  instasync_token_manager_set_token_key (manager, KEY);
  g_assert_false (instasync_token_manager_can_refresh (manager));
  add_account (fixture, ACCOUNT_SOON, TOKEN_SOON);
  set_expiry (fixture, ACCOUNT_SOON, fixture->now + 3 * DAY);
  account = load_account (fixture, ACCOUNT_SOON);

  g_assert_cmpint (instasync_token_manager_check (manager, fixture->client, fixture->store, account,
                                                 &token, fixture->now, FALSE, &report, NULL),
                   ==, INSTASYNC_TOKEN_STATUS_EXPIRING);
  g_assert_cmpuint (report.api_calls, ==, 0);
  g_assert_cmpstr (token, ==, TOKEN_SOON);
  g_assert_nonnull (strstr (report.message, "no App Secret"));

  reread = load_account (fixture, ACCOUNT_SOON);
  g_assert_cmpstr (instasync_account_get_status (reread), ==, "expiring");
  g_assert_nonnull (strstr (instasync_account_get_status_reason (reread), "reconnect"));
  stored = stored_token (fixture, ACCOUNT_SOON);
  g_assert_cmpstr (stored, ==, TOKEN_SOON);

  /* Fine again (a longer expiry became known): active, reason gone. */
  set_expiry (fixture, ACCOUNT_SOON, fixture->now + 30 * DAY);
  g_clear_object (&reread);
  reread = load_account (fixture, ACCOUNT_SOON);
  g_assert_cmpint (instasync_token_manager_check (manager, fixture->client, fixture->store, reread,
                                                 &token, fixture->now, FALSE, &report, NULL),
                   ==, INSTASYNC_TOKEN_STATUS_VALID);
  g_clear_object (&reread);
  reread = load_account (fixture, ACCOUNT_SOON);
  g_assert_cmpstr (instasync_account_get_status (reread), ==, "active");
  g_assert_null (instasync_account_get_status_reason (reread));
  instasync_token_report_clear (&report);
}

/* Expired by the stored date: needs a reconnect, and not one call. */
static void
test_expired (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(InstaSyncTokenManager) manager = instasync_token_manager_new (SIM_APP_ID, SIM_APP_SECRET, 7);
  InstaSyncTokenReport report = { 0, };
  g_autofree char *token = g_strdup (TOKEN_SOON);
  g_autoptr(InstaSyncAccount) account = NULL;
  g_autoptr(InstaSyncAccount) reread = NULL;
  guint calls = graph_sim_get_api_call_count (fixture->sim);

  instasync_token_manager_set_token_key (manager, KEY);
  add_account (fixture, ACCOUNT_SOON, TOKEN_SOON);
  set_expiry (fixture, ACCOUNT_SOON, fixture->now - DAY);
  account = load_account (fixture, ACCOUNT_SOON);

  g_assert_cmpint (instasync_token_manager_check (manager, fixture->client, fixture->store, account,
                                                 &token, fixture->now, TRUE, &report, NULL),
                   ==, INSTASYNC_TOKEN_STATUS_EXPIRED);
  g_assert_true (report.dead);
  g_assert_nonnull (strstr (report.message, "expired"));
  g_assert_cmpuint (graph_sim_get_api_call_count (fixture->sim), ==, calls);

  reread = load_account (fixture, ACCOUNT_SOON);
  g_assert_cmpstr (instasync_account_get_status (reread), ==, "needs_reconnect");
  g_assert_nonnull (instasync_account_get_status_reason (reread));
  instasync_token_report_clear (&report);
}

/* The token was valid when checked and expired before the exchange: a
 * clear error, the account needs a reconnect, and nothing is lost. */
static void
test_expires_before_refresh (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(InstaSyncTokenManager) manager = instasync_token_manager_new (SIM_APP_ID, SIM_APP_SECRET, 7);
  InstaSyncTokenReport report = { 0, };
  g_autofree char *token = g_strdup (TOKEN_SOON);
  g_autofree char *stored = NULL;
  g_autoptr(InstaSyncAccount) account = NULL;
  g_autoptr(InstaSyncAccount) reread = NULL;

  instasync_token_manager_set_token_key (manager, KEY);
  add_account (fixture, ACCOUNT_SOON, TOKEN_SOON);
  set_expiry (fixture, ACCOUNT_SOON, fixture->now + 3 * DAY);
  account = load_account (fixture, ACCOUNT_SOON);

  /* For the API the three days have passed. */
  graph_sim_set_now (fixture->sim, fixture->now + 3 * DAY + 60);

  g_assert_cmpint (instasync_token_manager_check (manager, fixture->client, fixture->store, account,
                                                 &token, fixture->now, FALSE, &report, NULL),
                   ==, INSTASYNC_TOKEN_STATUS_EXPIRED);
  g_assert_true (report.dead);
  g_assert_cmpuint (report.api_calls, ==, 1);
  g_assert_nonnull (strstr (report.message, "expired before it could be refreshed"));
  g_assert_null (strstr (report.message, TOKEN_SOON));
  g_assert_cmpstr (token, ==, TOKEN_SOON);

  stored = stored_token (fixture, ACCOUNT_SOON);
  g_assert_cmpstr (stored, ==, TOKEN_SOON);
  reread = load_account (fixture, ACCOUNT_SOON);
  g_assert_cmpstr (instasync_account_get_status (reread), ==, "needs_reconnect");
  instasync_token_report_clear (&report);
}

/* The new token cannot be written: the old one stays stored and in use,
 * and still works; the next sync tries again. */
static void
test_rotation_write_fails (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(InstaSyncTokenManager) manager = instasync_token_manager_new (SIM_APP_ID, SIM_APP_SECRET, 7);
  InstaSyncTokenReport report = { 0, };
  g_autofree char *token = g_strdup (TOKEN_SOON);
  g_autofree char *stored = NULL;
  g_autoptr(InstaSyncAccount) account = NULL;
  g_autoptr(InstaSyncAccount) reread = NULL;

  instasync_token_manager_set_token_key (manager, KEY);
  add_account (fixture, ACCOUNT_SOON, TOKEN_SOON);
  set_expiry (fixture, ACCOUNT_SOON, fixture->now + 3 * DAY);
  account = load_account (fixture, ACCOUNT_SOON);

  exec_sql (fixture,
            "CREATE FUNCTION refuse () RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'disk full'; END $$;"
            "CREATE TRIGGER refuse BEFORE UPDATE OF token_sealed ON user_tokens "
            "FOR EACH ROW EXECUTE FUNCTION refuse ()");

  g_assert_cmpint (instasync_token_manager_check (manager, fixture->client, fixture->store, account,
                                                 &token, fixture->now, FALSE, &report, NULL),
                   ==, INSTASYNC_TOKEN_STATUS_EXPIRING);
  g_assert_cmpuint (report.api_calls, ==, 1);
  g_assert_nonnull (strstr (report.message, "could not be stored"));
  g_assert_nonnull (strstr (report.message, "disk full"));
  g_assert_cmpstr (token, ==, TOKEN_SOON);

  stored = stored_token (fixture, ACCOUNT_SOON);
  g_assert_cmpstr (stored, ==, TOKEN_SOON);
  g_assert_true (token_works (fixture, TOKEN_SOON));
  reread = load_account (fixture, ACCOUNT_SOON);
  g_assert_cmpstr (instasync_account_get_status (reread), ==, "expiring");
  g_assert_cmpint (instasync_account_get_token_expires_at (reread), ==, fixture->now + 3 * DAY);
  instasync_token_report_clear (&report);
}

/* Two workers refresh one token: the second finds the first one's token
 * stored, changes nothing and uses it. */
static void
test_rotation_conflict (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(InstaSyncTokenManager) manager = instasync_token_manager_new (SIM_APP_ID, SIM_APP_SECRET, 7);
  InstaSyncTokenReport report = { 0, };
  g_autofree char *token = g_strdup (TOKEN_SOON);
  g_autofree char *stored = NULL;
  g_autoptr(InstaSyncAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  instasync_token_manager_set_token_key (manager, KEY);
  add_account (fixture, ACCOUNT_SOON, TOKEN_SOON);
  set_expiry (fixture, ACCOUNT_SOON, fixture->now + 3 * DAY);
  account = load_account (fixture, ACCOUNT_SOON);

  /* Only the stored token may be replaced. */
  g_assert_false (instasync_store_rotate_token (fixture->store, ACCOUNT_SOON, "not-the-old-one",
                                                "EAAother", fixture->now + 60 * DAY, KEY, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFLICT);
  g_clear_error (&error);

  /* Another worker got there first. */
  g_assert_true (instasync_store_rotate_token (fixture->store, ACCOUNT_SOON, TOKEN_SOON,
                                               TOKEN_LONG, fixture->now + 40 * DAY, KEY, &error));
  g_assert_no_error (error);

  g_assert_cmpint (instasync_token_manager_check (manager, fixture->client, fixture->store, account,
                                                 &token, fixture->now, FALSE, &report, NULL),
                   ==, INSTASYNC_TOKEN_STATUS_REFRESHED);
  g_assert_cmpstr (token, ==, TOKEN_LONG);
  g_assert_nonnull (strstr (report.message, "another sync"));
  stored = stored_token (fixture, ACCOUNT_SOON);
  g_assert_cmpstr (stored, ==, TOKEN_LONG);
  g_assert_cmpint (instasync_account_get_token_expires_at (account), ==, fixture->now + 40 * DAY);
  instasync_token_report_clear (&report);
}

/* A wrong or missing key is a clear INSTASYNC_ERROR_KEY, never a crash and
 * never plaintext; what is stored is not the token. */
static void
test_wrong_key (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stored_hex = NULL;
  g_autofree char *token_hex = NULL;

  add_account (fixture, ACCOUNT_LONG, TOKEN_LONG);

  g_assert_null (instasync_store_get_token (fixture->store, ACCOUNT_LONG, "another key", &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY);
  g_assert_nonnull (strstr (error->message, "does not match"));
  g_assert_null (strstr (error->message, "another key"));
  g_clear_error (&error);

  g_assert_false (instasync_store_rotate_token (fixture->store, ACCOUNT_LONG, TOKEN_LONG, "EAAnew",
                                                0, "another key", &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY);
  g_clear_error (&error);

  g_assert_null (instasync_store_get_token (fixture->store, ACCOUNT_LONG, NULL, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY);
  g_clear_error (&error);

  g_assert_false (instasync_store_add_account (fixture->store, ACCOUNT_NEVER, NULL, TOKEN_NEVER,
                                               "", &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY);
  g_clear_error (&error);
  assert_query (fixture, "SELECT count (*)::text FROM user_tokens", "1");

  /* The bytes stored are not the token's. */
  stored_hex = query_text (fixture, "SELECT encode (token_sealed, 'hex') FROM user_tokens");
  token_hex = query_text (fixture, "SELECT encode ('" TOKEN_LONG "'::bytea, 'hex')");
  g_assert_null (strstr (stored_hex, token_hex));
}

static const char *
result_token_status (InstaSyncFetchResult *result)
{
  return instasync_token_status_to_string (instasync_fetch_result_get_token_status (result));
}

static InstaSyncFetchResult *
find_result (GPtrArray  *results,
             const char *ig_user_id)
{
  for (guint i = 0; i < results->len; i++)
    {
      InstaSyncFetchResult *result = g_ptr_array_index (results, i);

      if (g_str_equal (instasync_fetch_result_get_ig_user_id (result), ig_user_id))
        return result;
    }

  g_assert_not_reached ();
}

static GPtrArray *
run_pool (Fixture               *fixture,
          InstaSyncTokenManager *manager,
          const char * const    *ids,
          const char * const    *tokens)
{
  g_autoptr(InstaSyncSyncPool) pool = NULL;
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify)instasync_sync_job_free);
  const char *metrics[] = { "reach", NULL };
  InstaSyncSyncOptions options;

  instasync_sync_options_init (&options);
  options.metrics = metrics;
  options.lookback_days = 2;

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(InstaSyncAccount) account = load_account (fixture, ids[i]);

      g_ptr_array_add (jobs, instasync_sync_job_new (account, tokens[i]));
    }

  /* One worker: the accounts go in order. */
  pool = instasync_sync_pool_new (fixture->sim_url, "v22.0",
                                  fixture->conninfo, 1);
  instasync_sync_pool_set_retry_policy (pool, 2, 1);
  if (manager != NULL)
    instasync_sync_pool_set_token_manager (pool, manager);
  return instasync_sync_pool_run (pool, jobs, &options, NULL);
}

/* An account already waiting for a reconnect (a permission it lost, say)
 * makes no call, and so says nothing about the token it shares with a
 * healthy account: that one syncs on. */
static void
test_pool_marked_account_spares_token (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autoptr(InstaSyncTokenManager) manager = instasync_token_manager_new (SIM_APP_ID, SIM_APP_SECRET, 7);
  const char * const ids[] = { ACCOUNT_NEVER, ACCOUNT_SHARING, NULL };
  const char * const tokens[] = { TOKEN_NEVER, TOKEN_NEVER, NULL };
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  InstaSyncFetchResult *healthy;

  instasync_token_manager_set_token_key (manager, KEY);
  add_account (fixture, ACCOUNT_NEVER, TOKEN_NEVER);
  add_account (fixture, ACCOUNT_SHARING, TOKEN_NEVER);
  g_assert_true (instasync_store_set_account_status_reason (fixture->store, ACCOUNT_NEVER,
                                                            "needs_reconnect", "missing permission",
                                                            &error));
  g_assert_no_error (error);

  results = run_pool (fixture, manager, ids, tokens);
  g_assert_cmpuint (instasync_fetch_result_get_api_calls (find_result (results, ACCOUNT_NEVER)), ==, 0);

  healthy = find_result (results, ACCOUNT_SHARING);
  g_assert_cmpint (instasync_fetch_result_get_status (healthy), ==, INSTASYNC_FETCH_STATUS_SUCCEEDED);
  g_assert_cmpuint (instasync_fetch_result_get_api_calls (healthy), >, 0);
  status = query_text (fixture, "SELECT status FROM instagram_accounts WHERE ig_user_id = '"
                                ACCOUNT_SHARING "'");
  g_assert_cmpstr (status, ==, "active");
}

/* A token the API refused is used for no other account of the run. */
static void
test_pool_dead_token (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(InstaSyncTokenManager) manager = instasync_token_manager_new (SIM_APP_ID, SIM_APP_SECRET, 7);
  const char * const ids[] = { ACCOUNT_DEAD, ACCOUNT_DEAD_2, NULL };
  const char * const tokens[] = { TOKEN_DEAD, TOKEN_DEAD, NULL };
  g_autoptr(GPtrArray) results = NULL;
  guint calls = graph_sim_get_api_call_count (fixture->sim);
  InstaSyncFetchResult *first, *second;

  instasync_token_manager_set_token_key (manager, KEY);
  add_account (fixture, ACCOUNT_DEAD, TOKEN_DEAD);
  add_account (fixture, ACCOUNT_DEAD_2, TOKEN_DEAD);

  results = run_pool (fixture, manager, ids, tokens);
  first = find_result (results, ACCOUNT_DEAD);
  second = find_result (results, ACCOUNT_DEAD_2);

  /* One call found it; it was neither retried nor used again. */
  g_assert_cmpuint (graph_sim_get_api_call_count (fixture->sim), ==, calls + 1);
  g_assert_cmpint (instasync_fetch_result_get_action (first), ==, INSTASYNC_ERROR_ACTION_RECONNECT);
  g_assert_cmpint (instasync_fetch_result_get_action (second), ==, INSTASYNC_ERROR_ACTION_RECONNECT);
  g_assert_cmpuint (instasync_fetch_result_get_api_calls (second), ==, 0);
  g_assert_cmpstr (result_token_status (second), ==, "expired");
  assert_query (fixture, "SELECT count (*)::text FROM instagram_accounts "
                                        "WHERE status = 'needs_reconnect'", "2");
}

/* Through the pool: a known short expiry is refreshed before the sync, the
 * sync uses the new token, and the result and the sync log say so. */
static void
test_pool_refresh (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(InstaSyncTokenManager) manager = instasync_token_manager_new (SIM_APP_ID, SIM_APP_SECRET, 7);
  const char * const ids[] = { ACCOUNT_SOON, NULL };
  const char * const tokens[] = { TOKEN_SOON, NULL };
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *log = NULL;
  InstaSyncFetchResult *result;

  instasync_token_manager_set_token_key (manager, KEY);
  add_account (fixture, ACCOUNT_SOON, TOKEN_SOON);
  set_expiry (fixture, ACCOUNT_SOON, fixture->now + 3 * DAY);

  results = run_pool (fixture, manager, ids, tokens);
  result = g_ptr_array_index (results, 0);
  g_assert_cmpint (instasync_fetch_result_get_status (result), ==, INSTASYNC_FETCH_STATUS_SUCCEEDED);
  g_assert_cmpstr (result_token_status (result), ==, "refreshed");
  g_assert_cmpuint (instasync_fetch_result_get_token_calls (result), ==, 1);

  summary = instasync_fetch_result_to_summary (result);
  g_assert_nonnull (strstr (summary, "token refreshed"));
  log = query_text (fixture, "SELECT summary FROM instagram_sync_logs");
  g_assert_nonnull (strstr (log, "token refreshed"));

  stored = stored_token (fixture, ACCOUNT_SOON);
  g_assert_cmpstr (stored, !=, TOKEN_SOON);
}

/* An unknown expiry is learned after a sync that showed the token works,
 * and a short one is refreshed at once. Without a secret the account is
 * reported as expiring, in the result and the log. */
static void
test_pool_learn_after_sync (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(InstaSyncTokenManager) with_secret = instasync_token_manager_new (SIM_APP_ID, SIM_APP_SECRET, 7);
  g_autoptr(InstaSyncTokenManager) without = instasync_token_manager_new (NULL, NULL, 7);
  const char * const soon[] = { ACCOUNT_SOON, NULL };
  const char * const soon_tokens[] = { TOKEN_SOON, NULL };
  const char * const longer[] = { ACCOUNT_LONG, NULL };
  const char * const long_tokens[] = { TOKEN_LONG, NULL };
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *log = NULL;
  g_autofree char *details = NULL;
  InstaSyncFetchResult *result;

  instasync_token_manager_set_token_key (with_secret, KEY);
  instasync_token_manager_set_token_key (without, KEY);
  add_account (fixture, ACCOUNT_SOON, TOKEN_SOON);
  add_account (fixture, ACCOUNT_LONG, TOKEN_LONG);

  first = run_pool (fixture, with_secret, soon, soon_tokens);
  result = g_ptr_array_index (first, 0);
  g_assert_cmpint (instasync_fetch_result_get_status (result), ==, INSTASYNC_FETCH_STATUS_SUCCEEDED);
  g_assert_cmpstr (result_token_status (result), ==, "refreshed");
  /* debug_token, then the exchange. */
  g_assert_cmpuint (instasync_fetch_result_get_token_calls (result), ==, 2);
  stored = stored_token (fixture, ACCOUNT_SOON);
  g_assert_cmpstr (stored, !=, TOKEN_SOON);

  /* Without a secret (and without a proof the simulator would refuse
   * every call: lift that for this part). */
  graph_sim_set_app_secret (fixture->sim, NULL);
  exec_sql (fixture, "DELETE FROM instagram_sync_logs");
  set_expiry (fixture, ACCOUNT_LONG, fixture->now + 5 * DAY);
  second = run_pool (fixture, without, longer, long_tokens);
  result = g_ptr_array_index (second, 0);
  g_assert_cmpint (instasync_fetch_result_get_status (result), ==, INSTASYNC_FETCH_STATUS_SUCCEEDED);
  g_assert_cmpstr (result_token_status (result), ==, "expiring");
  details = instasync_fetch_result_to_details (result);
  g_assert_nonnull (strstr (details, "no App Secret"));
  log = query_text (fixture, "SELECT summary FROM instagram_sync_logs");
  g_assert_nonnull (strstr (log, "token expiring"));
  assert_query (fixture, "SELECT status FROM instagram_accounts WHERE ig_user_id = '"
                                        ACCOUNT_LONG "'", "expiring");
}

/* The API may answer the exchange of a long-lived token with that same
 * token and what it has left (reference §5.2): no refresh. The account
 * stays "expiring", is told the date to reconnect by, and keeps its token;
 * through the pool it still syncs. */
static void
test_exchange_gives_same_token (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(InstaSyncTokenManager) manager = instasync_token_manager_new (SIM_APP_ID, SIM_APP_SECRET, 7);
  InstaSyncTokenReport report = { 0, };
  g_autofree char *token = g_strdup (TOKEN_SOON);
  g_autofree char *stored = NULL;
  g_autofree char *date = NULL;
  g_autoptr(InstaSyncAccount) account = NULL;
  g_autoptr(InstaSyncAccount) reread = NULL;
  g_autoptr(GDateTime) expiry = g_date_time_new_from_unix_utc (fixture->now + 3 * DAY);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = NULL;
  const char * const ids[] = { ACCOUNT_SOON, NULL };
  const char * const tokens[] = { TOKEN_SOON, NULL };
  gint64 expires_at = 0;
  InstaSyncFetchResult *result;

  g_assert_true (graph_sim_set_exchange_long_lived (fixture->sim, "same"));
  instasync_token_manager_set_token_key (manager, KEY);
  add_account (fixture, ACCOUNT_SOON, TOKEN_SOON);
  set_expiry (fixture, ACCOUNT_SOON, fixture->now + 3 * DAY);
  account = load_account (fixture, ACCOUNT_SOON);
  date = g_date_time_format (expiry, "%Y-%m-%d");

  g_assert_cmpint (instasync_token_manager_check (manager, fixture->client, fixture->store, account,
                                                 &token, fixture->now, FALSE, &report, NULL),
                   ==, INSTASYNC_TOKEN_STATUS_EXPIRING);
  g_assert_cmpuint (report.api_calls, ==, 1);
  g_assert_cmpstr (token, ==, TOKEN_SOON);
  g_assert_nonnull (strstr (report.message, "did not extend"));
  g_assert_nonnull (strstr (report.message, date));
  g_assert_nonnull (strstr (report.message, "reconnect"));
  g_assert_null (strstr (report.message, TOKEN_SOON));

  stored = stored_token (fixture, ACCOUNT_SOON);
  g_assert_cmpstr (stored, ==, TOKEN_SOON);
  g_assert_true (instasync_store_get_token_expiry (fixture->store, ACCOUNT_SOON, &expires_at, NULL,
                                                   &error));
  g_assert_no_error (error);
  g_assert_cmpint (expires_at, ==, fixture->now + 3 * DAY);
  reread = load_account (fixture, ACCOUNT_SOON);
  g_assert_cmpstr (instasync_account_get_status (reread), ==, "expiring");
  g_assert_nonnull (strstr (instasync_account_get_status_reason (reread), date));
  instasync_token_report_clear (&report);

  /* The pool: the sync goes on with the token, and the result says what
   * the person has to do. */
  results = run_pool (fixture, manager, ids, tokens);
  result = g_ptr_array_index (results, 0);
  g_assert_cmpint (instasync_fetch_result_get_status (result), ==, INSTASYNC_FETCH_STATUS_SUCCEEDED);
  g_assert_cmpstr (result_token_status (result), ==, "expiring");
  g_clear_pointer (&stored, g_free);
  stored = stored_token (fixture, ACCOUNT_SOON);
  g_assert_cmpstr (stored, ==, TOKEN_SOON);

  /* With the other reading (a new 60-day token) the same account is
   * refreshed. */
  g_assert_true (graph_sim_set_exchange_long_lived (fixture->sim, "new"));
  g_clear_object (&manager);
  manager = instasync_token_manager_new (SIM_APP_ID, SIM_APP_SECRET, 7);
  instasync_token_manager_set_token_key (manager, KEY);
  g_clear_object (&reread);
  reread = load_account (fixture, ACCOUNT_SOON);
  g_assert_cmpint (instasync_token_manager_check (manager, fixture->client, fixture->store, reread,
                                                 &token, fixture->now, FALSE, &report, NULL),
                   ==, INSTASYNC_TOKEN_STATUS_REFRESHED);
  g_assert_cmpstr (token, !=, TOKEN_SOON);
  instasync_token_report_clear (&report);
}

/* Ended data access is a warning, not a reconnect: the API may go on
 * answering. Only when it refuses (190) does the account need one. */
static void
test_data_access_ended (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(InstaSyncTokenManager) manager = instasync_token_manager_new (SIM_APP_ID, SIM_APP_SECRET, 7);
  InstaSyncTokenReport report = { 0, };
  g_autofree char *token = g_strdup (TOKEN_LONG);
  g_autofree char *scenario = NULL;
  g_autofree char *date = NULL;
  g_autofree char *status = NULL;
  g_autoptr(InstaSyncAccount) account = NULL;
  g_autoptr(InstaSyncAccount) reread = NULL;
  g_autoptr(GDateTime) ended = g_date_time_new_from_unix_utc (fixture->now - DAY);
  g_autoptr(GPtrArray) allowed = NULL;
  g_autoptr(GPtrArray) refused = NULL;
  g_autoptr(GError) error = NULL;
  const char * const ids[] = { ACCOUNT_LONG, NULL };
  const char * const tokens[] = { TOKEN_LONG, NULL };
  InstaSyncFetchResult *result;

  /* The API's view of the token: forty days left, data access over. */
  scenario = g_strdup_printf ("{\"users\": [{\"id\": \"2\", \"token\": \"" TOKEN_LONG "\","
                              " \"expires_at\": %" G_GINT64_FORMAT ","
                              " \"data_access_expires_at\": %" G_GINT64_FORMAT ","
                              " \"pages\": [{\"id\": \"12\", \"instagram_business_account\": \""
                              ACCOUNT_LONG "\"}]}]}",
                              fixture->now + 40 * DAY, fixture->now - DAY);
  g_assert_true (graph_sim_load_scenario_data (fixture->sim, scenario, -1, &error));
  g_assert_no_error (error);

  instasync_token_manager_set_token_key (manager, KEY);
  add_account (fixture, ACCOUNT_LONG, TOKEN_LONG);
  g_assert_true (instasync_store_set_token_expiry (fixture->store, ACCOUNT_LONG, fixture->now + 40 * DAY,
                                                   fixture->now - DAY, &error));
  g_assert_no_error (error);
  account = load_account (fixture, ACCOUNT_LONG);
  date = g_date_time_format (ended, "%Y-%m-%d");

  g_assert_cmpint (instasync_token_manager_check (manager, fixture->client, fixture->store, account,
                                                 &token, fixture->now, FALSE, &report, NULL),
                   ==, INSTASYNC_TOKEN_STATUS_EXPIRING);
  g_assert_false (report.dead);
  g_assert_cmpuint (report.api_calls, ==, 0);
  g_assert_nonnull (strstr (report.message, "data access"));
  g_assert_nonnull (strstr (report.message, date));
  reread = load_account (fixture, ACCOUNT_LONG);
  g_assert_cmpstr (instasync_account_get_status (reread), ==, "expiring");
  instasync_token_report_clear (&report);

  /* The API still answers: the sync succeeds, with the warning. */
  allowed = run_pool (fixture, manager, ids, tokens);
  result = g_ptr_array_index (allowed, 0);
  g_assert_cmpint (instasync_fetch_result_get_status (result), ==, INSTASYNC_FETCH_STATUS_SUCCEEDED);
  g_assert_cmpstr (result_token_status (result), ==, "expiring");
  status = query_text (fixture, "SELECT status FROM instagram_accounts WHERE ig_user_id = '"
                                ACCOUNT_LONG "'");
  g_assert_cmpstr (status, ==, "expiring");

  /* The API refuses: 190, and now the account needs a reconnect. */
  g_assert_true (graph_sim_set_data_access_expiry (fixture->sim, "enforced"));
  refused = run_pool (fixture, manager, ids, tokens);
  result = g_ptr_array_index (refused, 0);
  g_assert_cmpint (instasync_fetch_result_get_status (result), ==, INSTASYNC_FETCH_STATUS_FAILED);
  g_assert_cmpint (instasync_fetch_result_get_action (result), ==, INSTASYNC_ERROR_ACTION_RECONNECT);
  g_clear_pointer (&status, g_free);
  status = query_text (fixture, "SELECT status FROM instagram_accounts WHERE ig_user_id = '"
                                ACCOUNT_LONG "'");
  g_assert_cmpstr (status, ==, "needs_reconnect");
}

/* The key: the keyring when there is one and nothing else is configured,
 * else the key file; a keyring that refuses is an error. */

typedef struct
{
  gboolean  available;
  gboolean  refuse;
  char     *stored;
  guint     stores;
} FakeKeyring;

static gboolean
fake_available (gpointer user_data)
{
  return ((FakeKeyring *)user_data)->available;
}

static char *
fake_lookup (gpointer   user_data,
             GError   **error)
{
  FakeKeyring *keyring = user_data;

  if (keyring->refuse)
    {
      g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY,
                           "Could not read the token key from the keyring: it is locked");
      return NULL;
    }
  return g_strdup (keyring->stored);
}

static gboolean
fake_store (gpointer     user_data,
            const char  *key,
            GError     **error)
{
  FakeKeyring *keyring = user_data;

  g_free (keyring->stored);
  keyring->stored = g_strdup (key);
  keyring->stores++;
  return TRUE;
}

static void
test_token_key_sources (void)
{
  FakeKeyring fake = { TRUE, FALSE, NULL, 0 };
  const InstaSyncKeyring keyring = { fake_available, fake_lookup, fake_store, &fake };
  g_autofree char *default_file = g_build_filename (g_get_user_config_dir (), "instasync",
                                                    "token.key", NULL);
  g_autoptr(GError) error = NULL;
  InstaSyncTokenKeySource source;
  char *key;
  char *again;

  g_unsetenv ("INSTASYNC_TOKEN_KEY");
  g_unsetenv ("INSTASYNC_TOKEN_KEY_FILE");
  g_assert_false (g_file_test (default_file, G_FILE_TEST_EXISTS));
  _instasync_token_key_set_keyring (&keyring);

  /* A desktop: the key is made once and kept in the keyring. */
  key = instasync_token_key_load_full (&source, &error);
  g_assert_no_error (error);
  g_assert_cmpint (source, ==, INSTASYNC_TOKEN_KEY_SOURCE_KEYRING);
  g_assert_cmpuint (strlen (key), ==, 64);
  again = instasync_token_key_load_full (&source, &error);
  g_assert_cmpstr (again, ==, key);
  g_assert_cmpuint (fake.stores, ==, 1);
  g_assert_false (g_file_test (default_file, G_FILE_TEST_EXISTS));
  g_free (again);

  /* The environment wins over everything. */
  g_setenv ("INSTASYNC_TOKEN_KEY", "from-env", TRUE);
  again = instasync_token_key_load_full (&source, &error);
  g_assert_cmpstr (again, ==, "from-env");
  g_assert_cmpint (source, ==, INSTASYNC_TOKEN_KEY_SOURCE_ENVIRONMENT);
  g_free (again);
  g_unsetenv ("INSTASYNC_TOKEN_KEY");

  /* A keyring that is there but refuses: an error, not another key. */
  fake.refuse = TRUE;
  g_assert_null (instasync_token_key_load_full (&source, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY);
  g_clear_error (&error);
  g_assert_false (g_file_test (default_file, G_FILE_TEST_EXISTS));
  fake.refuse = FALSE;

  /* Headless: no Secret Service, so the key file, made on first use. */
  fake.available = FALSE;
  again = instasync_token_key_load_full (&source, &error);
  g_assert_no_error (error);
  g_assert_cmpint (source, ==, INSTASYNC_TOKEN_KEY_SOURCE_FILE);
  g_assert_cmpstr (again, !=, key);
  g_assert_true (g_file_test (default_file, G_FILE_TEST_EXISTS));
  g_free (again);

  /* A key file that exists wins over the keyring: its tokens stay readable. */
  fake.available = TRUE;
  again = instasync_token_key_load_full (&source, &error);
  g_assert_cmpint (source, ==, INSTASYNC_TOKEN_KEY_SOURCE_FILE);
  g_free (again);

  /* The real Secret Service, without a session bus: the key file too. */
  _instasync_token_key_set_keyring (NULL);
  g_unlink (default_file);
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  again = instasync_token_key_load_full (&source, &error);
  g_assert_no_error (error);
  g_assert_cmpint (source, ==, INSTASYNC_TOKEN_KEY_SOURCE_FILE);
  g_free (again);
  g_unlink (default_file);

  g_free (key);
  g_free (fake.stored);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *config_home = g_dir_make_tmp ("instasync-lifecycle-XXXXXX", NULL);
  int status;

  /* A configuration folder of its own, set before GLib first reads it: the
   * key file's default place is under test. */
  g_assert_nonnull (config_home);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/token-lifecycle/expiry-stored", test_expiry_stored);
  ADD ("/token-lifecycle/learn-expiry", test_learn_expiry);
  ADD ("/token-lifecycle/learned-expiry-after-rotation", test_learned_expiry_after_rotation);
  ADD ("/token-lifecycle/refresh", test_refresh);
  ADD ("/token-lifecycle/expiring-without-secret", test_expiring_without_secret);
  ADD ("/token-lifecycle/expired", test_expired);
  ADD ("/token-lifecycle/expires-before-refresh", test_expires_before_refresh);
  ADD ("/token-lifecycle/rotation-write-fails", test_rotation_write_fails);
  ADD ("/token-lifecycle/rotation-conflict", test_rotation_conflict);
  ADD ("/token-lifecycle/wrong-key", test_wrong_key);
  ADD ("/token-lifecycle/pool-dead-token", test_pool_dead_token);
  ADD ("/token-lifecycle/pool-marked-account-spares-token", test_pool_marked_account_spares_token);
  ADD ("/token-lifecycle/pool-refresh", test_pool_refresh);
  ADD ("/token-lifecycle/pool-learn-after-sync", test_pool_learn_after_sync);
  ADD ("/token-lifecycle/exchange-gives-same-token", test_exchange_gives_same_token);
  ADD ("/token-lifecycle/data-access-ended", test_data_access_ended);
#undef ADD
  g_test_add_func ("/token-lifecycle/token-key-sources", test_token_key_sources);

  status = g_test_run ();
  g_clear_pointer (&cluster, instasync_test_pg_free);
  instasync_test_pg_remove_tree (config_home);
  return status;
}
