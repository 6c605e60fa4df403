/* test-rls.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Several users on one PostgreSQL (sql/0003_row_level_security.sql): two
 * user roles and a worker role share one database, and each user reads and
 * changes only its own rows, whatever it asks for. Also: hostile strings
 * through the store, which must come back byte for byte or be refused
 * clearly with nothing lost. */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "instasync-error.h"
#include "instasync-redact.h"
#include "instasync-store.h"
#include "instasync-test-pg.h"

/* One cluster for the whole file; every test starts from empty tables. */
static InstaSyncTestPg *shared_pg;

/* Roles belong to the cluster, which is this file's alone. */
#define ALICE   "rls_alice"
#define BOB     "rls_bob"
#define WORKER  "rls_worker"
#define MALLORY "rls_mallory"

/* Every user encrypts its tokens under a key of its own. */
#define ALICE_KEY "alice's key"
#define BOB_KEY   "bob's key"
/* A role seals with one key (its check value is recorded): a hostile one. */
#define HOSTILE_KEY "k'); DROP TABLE user_tokens; --\n\xe2\x80\xae"

#define ALICE_ACCOUNT "17841400000000001"
#define BOB_ACCOUNT   "17841400000000002"

/* 2024-07-01 in US-Pacific (summer): [07:00Z, next day 07:00Z). */
#define DAY_START 1719817200
#define DAY 86400

#define SQLSTATE_INSUFFICIENT_PRIVILEGE "42501"

/* What claiming an id fails with, whether another role holds it or this
 * role may not add accounts at all: the same words, so that they tell
 * nobody which ids are held. */
#define CLAIM_REFUSED(id) \
  "Account " id " could not be added: it is connected by another user or this role may not add it"

/* Auxiliary */

static PGconn *
conn_of (InstaSyncStore *store)
{
  return instasync_store_get_connection (store);
}

static void
exec_ok (InstaSyncStore *store,
         const char     *sql)
{
  PGresult *result = PQexec (conn_of (store), sql);

  g_assert_cmpstr (PQresultErrorMessage (result), ==, "");
  g_assert_true (PQresultStatus (result) == PGRES_COMMAND_OK ||
                 PQresultStatus (result) == PGRES_TUPLES_OK);
  PQclear (result);
}

/* The command tag's row count ("UPDATE 0" -> 0). */
static gint64
exec_count (InstaSyncStore *store,
            const char     *sql)
{
  PGresult *result = PQexec (conn_of (store), sql);
  gint64 count;

  g_assert_cmpstr (PQresultErrorMessage (result), ==, "");
  count = g_ascii_strtoll (PQcmdTuples (result), NULL, 10);
  PQclear (result);
  return count;
}

/* Runs @sql, which row-level security must refuse with an error. */
static void
exec_refused (InstaSyncStore *store,
              const char     *sql)
{
  PGresult *result = PQexec (conn_of (store), sql);
  const char *state = PQresultErrorField (result, PG_DIAG_SQLSTATE);
  const char *message = PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY);

  g_test_message ("%s -> %s", sql, message != NULL ? message : "(no error)");
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_FATAL_ERROR);
  g_assert_cmpstr (state, ==, SQLSTATE_INSUFFICIENT_PRIVILEGE);
  g_assert_nonnull (strstr (message, "row-level security"));
  PQclear (result);
}

static char *
query_text (InstaSyncStore *store,
            const char     *sql)
{
  PGresult *result = PQexec (conn_of (store), sql);
  char *value;

  g_assert_cmpstr (PQresultErrorMessage (result), ==, "");
  g_assert_cmpint (PQntuples (result), ==, 1);
  value = PQgetisnull (result, 0, 0) ? NULL : g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
  return value;
}

static gint64
query_int (InstaSyncStore *store,
           const char     *sql)
{
  g_autofree char *text = query_text (store, sql);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : -1;
}

static InstaSyncStore *
owner_store (void)
{
  g_autoptr(GError) error = NULL;
  InstaSyncStore *store = instasync_test_pg_connect_migrated (shared_pg, &error);

  g_assert_no_error (error);
  return store;
}

/* A connection as @role. The embedded cluster trusts its socket, and libpq
 * takes the last of two values for one keyword. */
static InstaSyncStore *
connect_as (const char *role)
{
  g_autofree char *conninfo = g_strdup_printf ("%s user='%s'",
                                               instasync_test_pg_get_conninfo (shared_pg), role);
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncStore) store = instasync_store_connect (conninfo, &error);
  g_autofree char *current = NULL;

  g_assert_no_error (error);
  current = query_text (store, "SELECT current_user");
  g_assert_cmpstr (current, ==, role);
  return g_steal_pointer (&store);
}

static void
reset_tables (void)
{
  g_autoptr(InstaSyncStore) owner = owner_store ();

  exec_ok (owner, "TRUNCATE instagram_accounts, user_tokens, instagram_insights, "
                  "instagram_sync_logs, instagram_sync_cursors, token_key_check");
}

static GPtrArray *
new_rows (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) instasync_insight_row_free);
}

static InstaSyncInsightRow *
make_row (const char *ig_user_id,
          const char *metric,
          gint64      day,
          gint64      value)
{
  return instasync_insight_row_new (ig_user_id, metric, "day", "time_series",
                                    DAY_START + day * DAY, DAY_START + (day + 1) * DAY, value);
}

static void
upsert_ok (InstaSyncStore *store,
           GPtrArray      *rows,
           guint           inserted)
{
  g_autoptr(GError) error = NULL;
  InstaSyncWriteCounts counts;

  g_assert_true (instasync_store_upsert_insights (store, rows, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.inserted, ==, inserted);
  g_assert_cmpuint (counts.failed, ==, 0);
}

static void
record_log (InstaSyncStore *store,
            const char     *ig_user_id,
            const char     *summary,
            GError        **error)
{
  InstaSyncSyncLogEntry entry = { 0, };

  entry.ig_user_id = (char *) ig_user_id;
  entry.status = (char *) "succeeded";
  entry.started_at = (gint64) DAY_START * G_USEC_PER_SEC;
  entry.finished_at = ((gint64) DAY_START + 2) * G_USEC_PER_SEC;
  entry.summary = (char *) summary;
  instasync_store_record_sync_log (store, &entry, error);
}

static gboolean
advance_cursor (InstaSyncStore *store,
                const char     *ig_user_id,
                const char     *metric,
                GError        **error)
{
  g_autoptr(GDate) from = g_date_new_dmy (1, G_DATE_JULY, 2024);
  g_autoptr(GDate) through = g_date_new_dmy (3, G_DATE_JULY, 2024);

  return instasync_store_advance_cursor (store, ig_user_id, metric, from, through, error);
}

/* Each user adds its account and syncs it through the store, as instasyncctl
 * connected as that user would: two insight rows, a sync log, a cursor. */
static void
seed_user (const char *role,
           const char *ig_user_id,
           const char *username,
           const char *token,
           const char *key)
{
  g_autoptr(InstaSyncStore) store = connect_as (role);
  g_autoptr(GPtrArray) rows = new_rows ();
  g_autoptr(GError) error = NULL;

  g_assert_true (instasync_store_add_account (store, ig_user_id, username, token, key, &error));
  g_assert_no_error (error);

  g_ptr_array_add (rows, make_row (ig_user_id, "reach", 0, 100));
  g_ptr_array_add (rows, make_row (ig_user_id, "reach", 1, 200));
  upsert_ok (store, rows, 2);

  record_log (store, ig_user_id, username, &error);
  g_assert_no_error (error);
  g_assert_true (advance_cursor (store, ig_user_id, "reach", &error));
  g_assert_no_error (error);
}

static void
seed_two_users (void)
{
  reset_tables ();
  seed_user (ALICE, ALICE_ACCOUNT, "alice.shop", "alice-token", ALICE_KEY);
  seed_user (BOB, BOB_ACCOUNT, "bob.cafe", "bob-token", BOB_KEY);
}

static InstaSyncAccount *
find_account (GPtrArray  *accounts,
              const char *ig_user_id)
{
  for (guint i = 0; i < accounts->len; i++)
    if (g_strcmp0 (instasync_account_get_ig_user_id (g_ptr_array_index (accounts, i)),
                   ig_user_id) == 0)
      return g_ptr_array_index (accounts, i);

  return NULL;
}

/* What the owner, who sees everything, holds of @ig_user_id: every column a
 * user could have changed, so that "nothing changed" can be compared. */
static char *
snapshot_of (const char *ig_user_id)
{
  g_autoptr(InstaSyncStore) owner = owner_store ();
  g_autofree char *sql = g_strdup_printf (
    "SELECT concat_ws (' | ',"
    "  (SELECT string_agg (concat_ws (',', username, status, owner_oid, paused_until,"
    "                                 last_synced_at), ';') FROM instagram_accounts"
    "   WHERE ig_user_id = '%1$s'),"
    "  (SELECT string_agg (concat_ws (',', encode (token_sealed, 'hex'), expires_at), ';')"
    "   FROM user_tokens WHERE ig_user_id = '%1$s'),"
    "  (SELECT string_agg (concat_ws (',', metric, end_time, value, metadata, fetched_at), ';'"
    "                      ORDER BY metric, end_time) FROM instagram_insights"
    "   WHERE ig_user_id = '%1$s'),"
    "  (SELECT string_agg (concat_ws (',', id, status, summary), ';' ORDER BY id)"
    "   FROM instagram_sync_logs WHERE ig_user_id = '%1$s'),"
    "  (SELECT string_agg (concat_ws (',', metric, synced_through), ';' ORDER BY metric)"
    "   FROM instagram_sync_cursors WHERE ig_user_id = '%1$s'))",
    ig_user_id);

  return query_text (owner, sql);
}

static char *
export_csv (InstaSyncStore *store,
            const char     *ig_user_id)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (instasync_store_export_csv (store, ig_user_id, 0, 0, out, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (out, "", 1, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

static void
assert_csv_lines (InstaSyncStore *store,
                  const char     *ig_user_id,
                  guint           expected)
{
  g_autofree char *csv = export_csv (store, ig_user_id);
  g_auto(GStrv) lines = g_strsplit (g_strchomp (csv), "\n", -1);

  /* the header, then one line per row */
  g_assert_cmpuint (g_strv_length (lines), ==, expected + 1);
}

/* @text as a CSV field (RFC 4180). */
static char *
csv_field (const char *text)
{
  g_autoptr(GString) field = NULL;

  if (strpbrk (text, "\",\r\n") == NULL)
    return g_strdup (text);

  field = g_string_new ("\"");
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (field, '"');
      g_string_append_c (field, *p);
    }
  g_string_append_c (field, '"');
  return g_string_free (g_steal_pointer (&field), FALSE);
}

/* Roles, policies, and who bypasses them */

static void
test_roles_and_policies (void)
{
  g_autoptr(InstaSyncStore) owner = owner_store ();
  g_autofree char *active = NULL;
  const char * const tables[] = {
    "instagram_accounts", "user_tokens", "instagram_insights", "instagram_sync_logs",
    "instagram_sync_cursors",
  };

  /* Group roles, which nobody logs in as. */
  g_assert_cmpint (query_int (owner, "SELECT count (*) FROM pg_roles WHERE rolname IN "
                                     "('instasync_user', 'instasync_worker') AND NOT rolcanlogin"),
                   ==, 2);

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = NULL;
      g_autofree char *flags = NULL;
      g_autofree char *policies = NULL;

      g_test_message ("table %s", tables[i]);

      /* Enabled but not forced: the owner and superusers are not filtered. */
      sql = g_strdup_printf ("SELECT relrowsecurity::text || ' ' || relforcerowsecurity::text "
                             "FROM pg_class WHERE oid = '%s'::regclass", tables[i]);
      flags = query_text (owner, sql);
      g_assert_cmpstr (flags, ==, "true false");

      g_clear_pointer (&sql, g_free);
      sql = g_strdup_printf ("SELECT string_agg (policyname || ':' || array_to_string (roles, ',')"
                             "  || ':' || qual, ' ' ORDER BY policyname) "
                             "FROM pg_policies WHERE tablename = '%s'", tables[i]);
      policies = query_text (owner, sql);
      g_test_message ("%s", policies);
      g_assert_nonnull (strstr (policies, ":instasync_user:"));
      g_assert_nonnull (strstr (policies, ":instasync_worker:true"));
    }

  /* The owner's statements carry no policy at all. */
  active = query_text (owner, "SELECT row_security_active ('instagram_insights')::text");
  g_assert_cmpstr (active, ==, "false");
}

/* The worker's policy is USING (true): its plans are the owner's, so the bulk
 * upsert costs a worker exactly what it costs the owner. A user's plan checks
 * rows against its accounts, hashed once per statement. */
static void
test_policy_cost (void)
{
  g_autoptr(InstaSyncStore) owner = owner_store ();
  g_autoptr(InstaSyncStore) worker = connect_as (WORKER);
  g_autoptr(InstaSyncStore) alice = connect_as (ALICE);
  InstaSyncStore *stores[] = { owner, worker, alice };
  char *plans[G_N_ELEMENTS (stores)][2] = { { NULL, }, };
  const char *statements[] = {
    "EXPLAIN (COSTS OFF) "
    "INSERT INTO instagram_insights AS ii (ig_user_id, metric, period, metric_type,"
    "    window_start, end_time, value, breakdown, dimension_value, metadata)"
    "  SELECT ig_user_id, metric, period, metric_type, window_start, end_time,"
    "         value, breakdown, dimension_value, metadata FROM rls_rows "
    "ON CONFLICT ON CONSTRAINT instagram_insights_natural_key DO UPDATE"
    "  SET value = EXCLUDED.value, metadata = EXCLUDED.metadata"
    "  WHERE (ii.value, ii.metadata) IS DISTINCT FROM (EXCLUDED.value, EXCLUDED.metadata) "
    "RETURNING ii.ig_user_id, (ii.xmax = 0)",
    "EXPLAIN (COSTS OFF) SELECT value FROM instagram_insights "
    "WHERE ig_user_id = '1' AND metric = 'reach' AND end_time >= '2024-07-01'",
  };

  reset_tables ();

  for (guint s = 0; s < G_N_ELEMENTS (stores); s++)
    {
      PGresult *result;

      exec_ok (stores[s], "CREATE TEMPORARY TABLE rls_rows (LIKE instagram_insights)");
      for (guint i = 0; i < G_N_ELEMENTS (statements); i++)
        {
          g_autoptr(GString) plan = g_string_new (NULL);

          result = PQexec (conn_of (stores[s]), statements[i]);
          g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
          for (int r = 0; r < PQntuples (result); r++)
            g_string_append_printf (plan, "%s\n", PQgetvalue (result, r, 0));
          PQclear (result);
          plans[s][i] = g_string_free (g_steal_pointer (&plan), FALSE);
          g_test_message ("store %u, statement %u:\n%s", s, i, plans[s][i]);
        }
    }

  /* The user's own role is looked up once per statement (an InitPlan). */
  for (guint i = 0; i < G_N_ELEMENTS (statements); i++)
    {
      g_assert_cmpstr (plans[1][i], ==, plans[0][i]);
      g_assert_null (strstr (plans[0][i], "SubPlan"));
      g_assert_null (strstr (plans[0][i], "InitPlan"));
      g_assert_nonnull (strstr (plans[2][i], "InitPlan"));
    }

  /* The read still uses the natural key, and compares each row's owner
   * with that one value, asking nothing per row. */
  g_assert_nonnull (strstr (plans[2][1], "instagram_insights_natural_key"));
  g_assert_null (strstr (plans[2][1], "SubPlan"));

  for (guint s = 0; s < G_N_ELEMENTS (stores); s++)
    for (guint i = 0; i < G_N_ELEMENTS (statements); i++)
      g_free (plans[s][i]);
}

/* A user's own rows: everything the store does works for it. */
static void
test_own_rows (void)
{
  g_autoptr(InstaSyncStore) alice = NULL;
  g_autoptr(InstaSyncStore) owner = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GPtrArray) rows = new_rows ();
  g_autoptr(GPtrArray) logs = NULL;
  g_autoptr(GHashTable) cursors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *owner_name = NULL;
  InstaSyncWriteCounts counts;
  guint applied = 99;

  seed_two_users ();
  alice = connect_as (ALICE);

  /* instasyncctl migrates on every start: for a user's role, which may not
   * create tables, a current schema is simply current. */
  g_assert_true (instasync_store_migrate (alice, &applied, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, 0);

  accounts = instasync_store_list_accounts (alice, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 1);
  g_assert_cmpstr (instasync_account_get_ig_user_id (g_ptr_array_index (accounts, 0)), ==,
                   ALICE_ACCOUNT);
  g_assert_cmpstr (instasync_account_get_username (g_ptr_array_index (accounts, 0)), ==,
                   "alice.shop");
  g_assert_cmpint (instasync_account_get_last_synced_at (g_ptr_array_index (accounts, 0)), ==,
                   DAY_START + 2);

  /* The account is the role's that added it, and so is every row about it. */
  owner_name = query_text (alice, "SELECT string_agg (DISTINCT owner_oid::regrole::text, ',') FROM ("
                                  "  SELECT owner_oid FROM instagram_accounts UNION ALL"
                                  "  SELECT owner_oid FROM user_tokens UNION ALL"
                                  "  SELECT owner_oid FROM instagram_insights UNION ALL"
                                  "  SELECT owner_oid FROM instagram_sync_logs UNION ALL"
                                  "  SELECT owner_oid FROM instagram_sync_cursors) o");
  g_assert_cmpstr (owner_name, ==, ALICE);

  token = instasync_store_get_token (alice, ALICE_ACCOUNT, ALICE_KEY, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "alice-token");

  /* The same rows again are unchanged; a changed value is an update. */
  g_ptr_array_add (rows, make_row (ALICE_ACCOUNT, "reach", 0, 100));
  g_ptr_array_add (rows, make_row (ALICE_ACCOUNT, "reach", 1, 201));
  g_assert_true (instasync_store_upsert_insights (alice, rows, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.unchanged, ==, 1);
  g_assert_cmpuint (counts.updated, ==, 1);
  g_assert_cmpint (instasync_store_count_insights (alice, ALICE_ACCOUNT, &error), ==, 2);

  logs = instasync_store_list_sync_logs (alice, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (logs->len, ==, 1);

  g_assert_true (instasync_store_get_cursors (alice, ALICE_ACCOUNT, cursors, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (cursors), ==, 1);

  g_assert_true (instasync_store_set_account_status (alice, ALICE_ACCOUNT,
                                                     INSTASYNC_ACCOUNT_STATUS_EXPIRING, &error));
  g_assert_no_error (error);
  g_assert_true (instasync_store_set_token_expires_at (alice, ALICE_ACCOUNT, 1767225600, &error));
  g_assert_no_error (error);
  g_assert_true (instasync_store_set_paused_until (alice, ALICE_ACCOUNT, 1767225600, &error));
  g_assert_no_error (error);
  assert_csv_lines (alice, NULL, 2);

  /* Removing it takes the token along and leaves the insights, which stay
   * the user's own. */
  g_assert_true (instasync_store_remove_account (alice, ALICE_ACCOUNT, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (instasync_store_count_insights (alice, NULL, &error), ==, 2);

  owner = owner_store ();
  g_assert_cmpint (query_int (owner, "SELECT count (*) FROM user_tokens "
                                     "WHERE ig_user_id = '" ALICE_ACCOUNT "'"), ==, 0);
  g_assert_cmpint (query_int (owner, "SELECT count (*) FROM instagram_insights "
                                     "WHERE ig_user_id = '" ALICE_ACCOUNT "'"), ==, 2);
  /* Bob's account and token are still there. */
  g_assert_cmpint (query_int (owner, "SELECT count (*) FROM user_tokens"), ==, 1);
}

/* Reading another user's rows */

static void
test_select_isolation (void)
{
  g_autoptr(InstaSyncStore) alice = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) logs = NULL;
  g_autoptr(GHashTable) cursors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  const char * const tables[] = {
    "instagram_accounts", "user_tokens", "instagram_insights", "instagram_sync_logs",
    "instagram_sync_cursors",
  };

  seed_two_users ();
  alice = connect_as (ALICE);

  /* Through the store. */
  accounts = instasync_store_list_accounts (alice, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 1);
  g_assert_null (find_account (accounts, BOB_ACCOUNT));

  /* Even with bob's key, there is no token to decrypt. */
  g_assert_null (instasync_store_get_token (alice, BOB_ACCOUNT, BOB_KEY, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND);
  g_clear_error (&error);

  rows = instasync_store_query_insights (alice, BOB_ACCOUNT, "reach", 0, G_MAXINT32, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 0);
  g_assert_cmpint (instasync_store_count_insights (alice, BOB_ACCOUNT, &error), ==, 0);
  g_assert_cmpint (instasync_store_count_insights (alice, NULL, &error), ==, 2);

  logs = instasync_store_list_sync_logs (alice, BOB_ACCOUNT, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (logs->len, ==, 0);
  g_clear_pointer (&logs, g_ptr_array_unref);
  logs = instasync_store_list_sync_logs (alice, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (logs->len, ==, 1);

  g_assert_true (instasync_store_get_cursors (alice, BOB_ACCOUNT, cursors, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (cursors), ==, 0);

  assert_csv_lines (alice, BOB_ACCOUNT, 0);
  assert_csv_lines (alice, NULL, 2);

  /* And in plain SQL, whatever the WHERE clause asks for. */
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM %s WHERE ig_user_id = '%s'",
                                              tables[i], BOB_ACCOUNT);
      g_autofree char *all = g_strdup_printf ("SELECT count (*) FROM %s", tables[i]);

      g_test_message ("table %s", tables[i]);
      g_assert_cmpint (query_int (alice, sql), ==, 0);
      g_assert_cmpint (query_int (alice, all), ==, i == 2 ? 2 : 1);
    }
}

/* Changing another user's rows */

static void
test_update_refused (void)
{
  g_autoptr(InstaSyncStore) alice = NULL;
  g_autoptr(GPtrArray) rows = new_rows ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  InstaSyncWriteCounts counts;

  seed_two_users ();
  before = snapshot_of (BOB_ACCOUNT);
  alice = connect_as (ALICE);

  /* The store's updates of one account find none. */
  g_assert_false (instasync_store_set_account_status (alice, BOB_ACCOUNT,
                                                      INSTASYNC_ACCOUNT_STATUS_NEEDS_RECONNECT,
                                                      &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (instasync_store_set_token_expires_at (alice, BOB_ACCOUNT, 1, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* An upsert that would update bob's stored value is refused as a whole:
   * alice's own row in the same batch is not written either. */
  g_ptr_array_add (rows, make_row (ALICE_ACCOUNT, "reach", 5, 1));
  g_ptr_array_add (rows, make_row (BOB_ACCOUNT, "reach", 0, 666));
  g_assert_false (instasync_store_upsert_insights (alice, rows, &counts, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "row-level security"));
  g_assert_cmpuint (counts.failed, ==, 2);
  g_clear_error (&error);
  g_assert_cmpint (instasync_store_count_insights (alice, NULL, &error), ==, 2);

  /* Moving bob's cursor (it exists: ON CONFLICT DO UPDATE). */
  g_assert_false (advance_cursor (alice, BOB_ACCOUNT, "reach", &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE);
  g_assert_nonnull (strstr (error->message, "row-level security"));
  g_clear_error (&error);

  /* Pausing is a plain UPDATE, which finds nothing to pause. */
  g_assert_true (instasync_store_set_paused_until (alice, BOB_ACCOUNT, 1767225600, &error));
  g_assert_no_error (error);

  /* Plain SQL: an UPDATE that names bob's rows finds none of them... */
  g_assert_cmpint (exec_count (alice, "UPDATE instagram_accounts SET username = 'pwned' "
                                      "WHERE ig_user_id = '" BOB_ACCOUNT "'"), ==, 0);
  g_assert_cmpint (exec_count (alice, "UPDATE user_tokens SET token_sealed = 'x' "
                                      "WHERE ig_user_id = '" BOB_ACCOUNT "'"), ==, 0);
  g_assert_cmpint (exec_count (alice, "UPDATE instagram_insights SET value = 666"), ==, 2);
  g_assert_cmpint (exec_count (alice, "UPDATE instagram_sync_logs SET summary = 'pwned' "
                                      "WHERE ig_user_id = '" BOB_ACCOUNT "'"), ==, 0);
  g_assert_cmpint (exec_count (alice, "UPDATE instagram_sync_cursors "
                                      "SET synced_through = '2000-01-01'"), ==, 1);

  /* ...and one that would hand alice's rows to bob, or her account to his
   * role, is an error. */
  exec_refused (alice, "UPDATE instagram_accounts SET owner_oid = '" BOB "'::regrole");
  exec_refused (alice, "UPDATE instagram_insights SET owner_oid = '" BOB "'::regrole");
  exec_refused (alice, "UPDATE instagram_sync_logs SET owner_oid = '" BOB "'::regrole");
  exec_refused (alice, "UPDATE instagram_insights SET ig_user_id = '" BOB_ACCOUNT "'");
  exec_refused (alice, "UPDATE user_tokens SET ig_user_id = '" BOB_ACCOUNT "'");
  exec_refused (alice, "UPDATE instagram_sync_logs SET ig_user_id = '" BOB_ACCOUNT "'");
  exec_refused (alice, "UPDATE instagram_sync_cursors SET ig_user_id = '" BOB_ACCOUNT "'");

  after = snapshot_of (BOB_ACCOUNT);
  g_assert_cmpstr (before, ==, after);
}

/* Deleting another user's rows */

static void
test_delete_invisible (void)
{
  g_autoptr(InstaSyncStore) alice = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  seed_two_users ();
  before = snapshot_of (BOB_ACCOUNT);
  alice = connect_as (ALICE);

  g_assert_false (instasync_store_remove_account (alice, BOB_ACCOUNT, FALSE, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_cmpint (exec_count (alice, "DELETE FROM user_tokens "
                                      "WHERE ig_user_id = '" BOB_ACCOUNT "'"), ==, 0);
  g_assert_cmpint (exec_count (alice, "DELETE FROM instagram_insights "
                                      "WHERE ig_user_id = '" BOB_ACCOUNT "'"), ==, 0);

  /* A DELETE without WHERE takes alice's rows, and only hers. */
  g_assert_cmpint (exec_count (alice, "DELETE FROM instagram_sync_cursors"), ==, 1);
  g_assert_cmpint (exec_count (alice, "DELETE FROM instagram_sync_logs"), ==, 1);
  g_assert_cmpint (exec_count (alice, "DELETE FROM instagram_insights"), ==, 2);
  g_assert_cmpint (exec_count (alice, "DELETE FROM user_tokens"), ==, 1);
  g_assert_cmpint (exec_count (alice, "DELETE FROM instagram_accounts"), ==, 1);

  after = snapshot_of (BOB_ACCOUNT);
  g_assert_cmpstr (before, ==, after);
}

/* Writing rows for another user */

static void
test_insert_refused (void)
{
  g_autoptr(InstaSyncStore) alice = NULL;
  g_autoptr(InstaSyncStore) bob = NULL;
  g_autoptr(GPtrArray) rows = new_rows ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *token = NULL;
  g_autofree char *summary = NULL;
  InstaSyncWriteCounts counts;

  seed_two_users ();
  before = snapshot_of (BOB_ACCOUNT);
  alice = connect_as (ALICE);

  /* Adding bob's account is a "reconnect" of a row alice may not touch: it
   * would take his account over and replace his token. */
  g_assert_false (instasync_store_add_account (alice, BOB_ACCOUNT, "mine.now", "alice-token",
                                               ALICE_KEY, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_PERMITTED);
  g_test_message ("%s", error->message);
  g_assert_cmpstr (error->message, ==, CLAIM_REFUSED (BOB_ACCOUNT));
  g_assert_null (strstr (error->message, "alice-token"));
  g_clear_error (&error);

  /* New insight rows of bob's account, a sync log and a cursor of it. */
  g_ptr_array_add (rows, make_row (BOB_ACCOUNT, "reach", 7, 1));
  g_assert_false (instasync_store_upsert_insights (alice, rows, &counts, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE);
  g_assert_nonnull (strstr (error->message, "row-level security"));
  g_assert_cmpuint (counts.failed, ==, 1);
  g_clear_error (&error);

  record_log (alice, BOB_ACCOUNT, "forged", &error);
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE);
  g_assert_nonnull (strstr (error->message, "row-level security"));
  g_clear_error (&error);

  g_assert_false (advance_cursor (alice, BOB_ACCOUNT, "profile_views", &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE);
  g_assert_nonnull (strstr (error->message, "row-level security"));
  g_clear_error (&error);

  /* Plain SQL: rows for bob's account, an account in bob's name, and rows
   * about an account nobody has. */
  exec_refused (alice, "INSERT INTO instagram_accounts (ig_user_id, owner_oid) "
                       "VALUES ('17841400000000009', '" BOB "'::regrole)");
  exec_refused (alice, "INSERT INTO user_tokens (ig_user_id, token_sealed, token_fingerprint) "
                       "VALUES ('" BOB_ACCOUNT "', 'x', 'x')");
  exec_refused (alice, "INSERT INTO instagram_insights (ig_user_id, metric, period, metric_type,"
                       "  window_start, end_time, value) "
                       "VALUES ('" BOB_ACCOUNT "', 'reach', 'day', 'time_series', now (), now (), 1)");
  exec_refused (alice, "INSERT INTO instagram_insights (ig_user_id, metric, period, metric_type,"
                       "  window_start, end_time, value) "
                       "VALUES ('nobody', 'reach', 'day', 'time_series', now (), now (), 1)");
  exec_refused (alice, "INSERT INTO instagram_sync_logs (ig_user_id, status) "
                       "VALUES ('" BOB_ACCOUNT "', 'failed')");
  exec_refused (alice, "INSERT INTO instagram_sync_logs (ig_user_id, status) VALUES (NULL, 'failed')");
  exec_refused (alice, "INSERT INTO instagram_sync_cursors (ig_user_id, metric, synced_through) "
                       "VALUES ('" BOB_ACCOUNT "', 'views', '2024-07-01')");

  after = snapshot_of (BOB_ACCOUNT);
  g_assert_cmpstr (before, ==, after);

  /* Bob still reads his own token with his own key. */
  bob = connect_as (BOB);
  token = instasync_store_get_token (bob, BOB_ACCOUNT, BOB_KEY, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "bob-token");
}

/* A role that is in neither group gets nothing, whatever it was granted. */
static void
test_no_group_no_rows (void)
{
  g_autoptr(InstaSyncStore) mallory = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;

  seed_two_users ();
  mallory = connect_as (MALLORY);

  accounts = instasync_store_list_accounts (mallory, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 0);
  g_assert_cmpint (query_int (mallory, "SELECT count (*) FROM instagram_insights"), ==, 0);
  g_assert_cmpint (exec_count (mallory, "DELETE FROM instagram_sync_logs"), ==, 0);
  exec_refused (mallory, "INSERT INTO instagram_accounts (ig_user_id) VALUES ('17841400000000009')");
}

/* The worker */

static void
test_worker (void)
{
  g_autoptr(InstaSyncStore) worker = NULL;
  g_autoptr(InstaSyncStore) alice = NULL;
  g_autoptr(InstaSyncStore) bob = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GPtrArray) rows = new_rows ();
  g_autoptr(GPtrArray) logs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  guint applied = 99;

  seed_two_users ();
  worker = connect_as (WORKER);

  g_assert_true (instasync_store_migrate (worker, &applied, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, 0);

  /* It sees every account, and decrypts each token with its user's key. */
  accounts = instasync_store_list_accounts (worker, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 2);
  token = instasync_store_get_token (worker, ALICE_ACCOUNT, ALICE_KEY, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "alice-token");
  g_clear_pointer (&token, g_free);
  token = instasync_store_get_token (worker, BOB_ACCOUNT, BOB_KEY, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "bob-token");

  /* It syncs both: one batch across users, logs, cursors, status. */
  g_ptr_array_add (rows, make_row (ALICE_ACCOUNT, "reach", 2, 300));
  g_ptr_array_add (rows, make_row (BOB_ACCOUNT, "reach", 2, 300));
  upsert_ok (worker, rows, 2);
  record_log (worker, ALICE_ACCOUNT, "worker run", &error);
  g_assert_no_error (error);
  record_log (worker, BOB_ACCOUNT, "worker run", &error);
  g_assert_no_error (error);
  g_assert_true (advance_cursor (worker, BOB_ACCOUNT, "views", &error));
  g_assert_no_error (error);
  g_assert_true (instasync_store_set_account_status (worker, BOB_ACCOUNT,
                                                     INSTASYNC_ACCOUNT_STATUS_NEEDS_RECONNECT,
                                                     &error));
  g_assert_no_error (error);
  g_assert_cmpint (instasync_store_count_insights (worker, NULL, &error), ==, 6);

  logs = instasync_store_list_sync_logs (worker, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (logs->len, ==, 4);

  /* Each user sees what the worker wrote for it, and only that. */
  alice = connect_as (ALICE);
  bob = connect_as (BOB);
  g_assert_cmpint (instasync_store_count_insights (alice, NULL, &error), ==, 3);
  g_assert_cmpint (instasync_store_count_insights (bob, NULL, &error), ==, 3);
  g_assert_cmpint (query_int (bob, "SELECT count (*) FROM instagram_sync_cursors"), ==, 2);
  g_assert_cmpint (query_int (alice, "SELECT count (*) FROM instagram_sync_cursors"), ==, 1);

  /* An account the worker adds is the worker's, until it hands it to a user
   * (README: "Several users on one PostgreSQL"). */
  g_assert_true (instasync_store_add_account (worker, "17841400000000003", "for.alice",
                                              "third-token", ALICE_KEY, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (alice, "SELECT count (*) FROM instagram_accounts"), ==, 1);
  g_assert_cmpint (exec_count (worker, "UPDATE instagram_accounts SET owner_oid = '" ALICE "'::regrole "
                                       "WHERE ig_user_id = '17841400000000003'"), ==, 1);
  g_clear_pointer (&token, g_free);
  token = instasync_store_get_token (alice, "17841400000000003", ALICE_KEY, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "third-token");

  /* Handing bob's account to alice moves everything about it with it. */
  g_assert_cmpint (exec_count (worker, "UPDATE instagram_accounts SET owner_oid = '" ALICE "'::regrole "
                                       "WHERE ig_user_id = '" BOB_ACCOUNT "'"), ==, 1);
  g_assert_cmpint (instasync_store_count_insights (alice, NULL, &error), ==, 6);
  g_assert_cmpint (instasync_store_count_insights (bob, NULL, &error), ==, 0);
  g_assert_cmpint (query_int (bob, "SELECT count (*) FROM user_tokens"), ==, 0);
}

/* Accounts change hands */

/* How many rows of @ig_user_id each table holds for @role, as the owner,
 * who sees everything, counts them: "accounts,tokens,insights,logs,cursors". */
static char *
rows_owned_by (const char *role,
               const char *ig_user_id)
{
  g_autoptr(InstaSyncStore) owner = owner_store ();
  g_autofree char *sql = g_strdup_printf (
    "SELECT concat_ws (',',"
    "  (SELECT count (*) FROM instagram_accounts WHERE ig_user_id = '%1$s' AND owner_oid = '%2$s'::regrole),"
    "  (SELECT count (*) FROM user_tokens WHERE ig_user_id = '%1$s' AND owner_oid = '%2$s'::regrole),"
    "  (SELECT count (*) FROM instagram_insights WHERE ig_user_id = '%1$s' AND owner_oid = '%2$s'::regrole),"
    "  (SELECT count (*) FROM instagram_sync_logs WHERE ig_user_id = '%1$s' AND owner_oid = '%2$s'::regrole),"
    "  (SELECT count (*) FROM instagram_sync_cursors WHERE ig_user_id = '%1$s' AND owner_oid = '%2$s'::regrole))",
    ig_user_id, role);

  return query_text (owner, sql);
}

/* Every column of @role's history rows, as the owner sees them, so that
 * "nothing of it changed" can be compared. */
static char *
history_of (const char *role)
{
  g_autoptr(InstaSyncStore) owner = owner_store ();
  g_autofree char *sql = g_strdup_printf (
    "SELECT concat_ws (' | ',"
    "  (SELECT string_agg (concat_ws (',', ig_user_id, metric, end_time, value, metadata,"
    "                                 fetched_at, updated_at), ';' ORDER BY metric, end_time)"
    "   FROM instagram_insights WHERE owner_oid = '%1$s'::regrole),"
    "  (SELECT string_agg (concat_ws (',', id, ig_user_id, status, summary), ';' ORDER BY id)"
    "   FROM instagram_sync_logs WHERE owner_oid = '%1$s'::regrole),"
    "  (SELECT string_agg (concat_ws (',', ig_user_id, metric, synced_through, updated_at), ';'"
    "                      ORDER BY metric)"
    "   FROM instagram_sync_cursors WHERE owner_oid = '%1$s'::regrole))",
    role);

  return query_text (owner, sql);
}

/* What @store sees of @ig_user_id, in the same order (its token as 0 or 1). */
static char *
rows_seen_by (InstaSyncStore *store,
              const char     *ig_user_id)
{
  g_autofree char *sql = g_strdup_printf (
    "SELECT concat_ws (',',"
    "  (SELECT count (*) FROM instagram_accounts WHERE ig_user_id = '%1$s'),"
    "  (SELECT count (*) FROM user_tokens WHERE ig_user_id = '%1$s'),"
    "  (SELECT count (*) FROM instagram_insights WHERE ig_user_id = '%1$s'),"
    "  (SELECT count (*) FROM instagram_sync_logs WHERE ig_user_id = '%1$s'),"
    "  (SELECT count (*) FROM instagram_sync_cursors WHERE ig_user_id = '%1$s'))",
    ig_user_id);

  return query_text (store, sql);
}

static void
assert_text (char       *text,
             const char *expected)
{
  g_assert_cmpstr (text, ==, expected);
  g_free (text);
}

/* Alice's account, synced by herself and by a worker, then removed; bob
 * claims the id. The history stays alice's: bob sees none of it and can
 * change none of it, his own rows of the same keys sit beside hers, and
 * alice sees hers again when she adds the account again. --delete-data
 * deletes hers and nothing of bob's. */
static void
test_history_stays_with_owner (void)
{
  g_autoptr(InstaSyncStore) alice = NULL;
  g_autoptr(InstaSyncStore) bob = NULL;
  g_autoptr(InstaSyncStore) worker = NULL;
  g_autoptr(GPtrArray) rows = new_rows ();
  g_autoptr(GPtrArray) logs = NULL;
  g_autoptr(GHashTable) cursors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *alice_history = NULL;
  g_autofree char *after = NULL;

  reset_tables ();
  seed_user (ALICE, ALICE_ACCOUNT, "alice.shop", "alice-token", ALICE_KEY);

  /* The worker's rows about alice's account are alice's, not the worker's. */
  worker = connect_as (WORKER);
  g_ptr_array_add (rows, make_row (ALICE_ACCOUNT, "reach", 2, 300));
  upsert_ok (worker, rows, 1);
  record_log (worker, ALICE_ACCOUNT, "worker run", &error);
  g_assert_no_error (error);
  g_assert_true (advance_cursor (worker, ALICE_ACCOUNT, "views", &error));
  g_assert_no_error (error);
  assert_text (rows_owned_by (ALICE, ALICE_ACCOUNT), "1,1,3,2,2");
  assert_text (rows_owned_by (WORKER, ALICE_ACCOUNT), "0,0,0,0,0");

  alice = connect_as (ALICE);
  g_assert_true (instasync_store_remove_account (alice, ALICE_ACCOUNT, FALSE, &error));
  g_assert_no_error (error);
  /* Kept, and still hers: she may read (or delete) what she left. */
  assert_text (rows_owned_by (ALICE, ALICE_ACCOUNT), "0,0,3,2,2");
  assert_text (rows_seen_by (alice, ALICE_ACCOUNT), "0,0,3,2,2");
  alice_history = history_of (ALICE);

  /* Bob claims the id nobody holds now. */
  bob = connect_as (BOB);
  g_assert_true (instasync_store_add_account (bob, ALICE_ACCOUNT, "bob.now", "bob-token",
                                              BOB_KEY, &error));
  g_assert_no_error (error);
  assert_text (rows_seen_by (bob, ALICE_ACCOUNT), "1,1,0,0,0");
  g_assert_cmpint (instasync_store_count_insights (bob, ALICE_ACCOUNT, &error), ==, 0);
  logs = instasync_store_list_sync_logs (bob, ALICE_ACCOUNT, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (logs->len, ==, 0);
  g_assert_true (instasync_store_get_cursors (bob, ALICE_ACCOUNT, cursors, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (cursors), ==, 0);
  assert_csv_lines (bob, ALICE_ACCOUNT, 0);

  /* He can change or delete none of it. */
  g_assert_cmpint (exec_count (bob, "UPDATE instagram_insights SET value = 666"), ==, 0);
  g_assert_cmpint (exec_count (bob, "UPDATE instagram_sync_logs SET summary = 'mine'"), ==, 0);
  g_assert_cmpint (exec_count (bob, "UPDATE instagram_sync_cursors SET synced_through = '2000-01-01'"),
                   ==, 0);
  g_assert_cmpint (exec_count (bob, "DELETE FROM instagram_insights"), ==, 0);
  g_assert_cmpint (exec_count (bob, "DELETE FROM instagram_sync_logs"), ==, 0);
  g_assert_cmpint (exec_count (bob, "DELETE FROM instagram_sync_cursors"), ==, 0);

  /* His rows of the very same keys do not collide with hers, and neither
   * do the worker's for him, nor does the worker read alice's cursors as
   * his. */
  g_ptr_array_set_size (rows, 0);
  g_ptr_array_add (rows, make_row (ALICE_ACCOUNT, "reach", 0, 7));
  g_ptr_array_add (rows, make_row (ALICE_ACCOUNT, "reach", 1, 8));
  upsert_ok (bob, rows, 2);
  g_ptr_array_set_size (rows, 0);
  g_ptr_array_add (rows, make_row (ALICE_ACCOUNT, "reach", 2, 9));
  upsert_ok (worker, rows, 1);
  g_hash_table_remove_all (cursors);
  g_assert_true (instasync_store_get_cursors (worker, ALICE_ACCOUNT, cursors, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (cursors), ==, 0);
  g_assert_true (advance_cursor (worker, ALICE_ACCOUNT, "reach", &error));
  g_assert_no_error (error);
  record_log (bob, ALICE_ACCOUNT, "bob's run", &error);
  g_assert_no_error (error);
  assert_text (rows_seen_by (bob, ALICE_ACCOUNT), "1,1,3,1,1");
  assert_text (rows_owned_by (BOB, ALICE_ACCOUNT), "1,1,3,1,1");

  after = history_of (ALICE);
  g_assert_cmpstr (after, ==, alice_history);
  assert_text (rows_owned_by (ALICE, ALICE_ACCOUNT), "0,0,3,2,2");

  /* Bob lets it go; alice adds it again and finds her own history, and
   * none of bob's. */
  g_assert_true (instasync_store_remove_account (bob, ALICE_ACCOUNT, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (instasync_store_add_account (alice, ALICE_ACCOUNT, "alice.shop", "alice-token",
                                              ALICE_KEY, &error));
  g_assert_no_error (error);
  assert_text (rows_seen_by (alice, ALICE_ACCOUNT), "1,1,3,2,2");
  g_assert_cmpint (query_int (alice, "SELECT sum (value) FROM instagram_insights"), ==,
                   100 + 200 + 300);
  g_hash_table_remove_all (cursors);
  g_assert_true (instasync_store_get_cursors (alice, ALICE_ACCOUNT, cursors, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (cursors), ==, 2);
  g_hash_table_remove_all (cursors);
  g_assert_true (instasync_store_get_cursors (worker, ALICE_ACCOUNT, cursors, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (cursors), ==, 2);
  assert_text (rows_seen_by (bob, ALICE_ACCOUNT), "0,0,3,1,1");

  /* --delete-data: hers go, bob's stay his. */
  g_assert_true (instasync_store_remove_account (alice, ALICE_ACCOUNT, TRUE, &error));
  g_assert_no_error (error);
  assert_text (rows_owned_by (ALICE, ALICE_ACCOUNT), "0,0,0,0,0");
  assert_text (rows_owned_by (BOB, ALICE_ACCOUNT), "0,0,3,1,1");
}

/* An id another role holds, and an id this role may not add at all, fail
 * with the same words and the same code, and store nothing. */
static void
test_claim_refused_alike (void)
{
  g_autoptr(InstaSyncStore) bob = NULL;
  g_autoptr(InstaSyncStore) mallory = NULL;
  g_autoptr(InstaSyncStore) owner = owner_store ();
  g_autoptr(InstaSyncStore) stranger = NULL;
  g_autoptr(GError) held = NULL;
  g_autoptr(GError) not_allowed = NULL;
  g_autoptr(GError) no_grants = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  seed_two_users ();
  before = snapshot_of (ALICE_ACCOUNT);
  exec_ok (owner, "DROP ROLE IF EXISTS rls_stranger");
  exec_ok (owner, "CREATE ROLE rls_stranger LOGIN");

  bob = connect_as (BOB);
  g_assert_false (instasync_store_add_account (bob, ALICE_ACCOUNT, "bob.now", "bob-token",
                                               BOB_KEY, &held));
  mallory = connect_as (MALLORY);
  g_assert_false (instasync_store_add_account (mallory, ALICE_ACCOUNT, "mallory.now",
                                               "mallory-token", "m", &not_allowed));
  stranger = connect_as ("rls_stranger");
  g_assert_false (instasync_store_add_account (stranger, ALICE_ACCOUNT, "stranger.now",
                                               "stranger-token", "s", &no_grants));

  g_test_message ("held: %s", held->message);
  g_test_message ("not allowed: %s", not_allowed->message);
  g_test_message ("no grants: %s", no_grants->message);
  g_assert_error (held, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_PERMITTED);
  g_assert_error (not_allowed, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_PERMITTED);
  g_assert_error (no_grants, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_PERMITTED);
  g_assert_cmpstr (held->message, ==, CLAIM_REFUSED (ALICE_ACCOUNT));
  g_assert_cmpstr (not_allowed->message, ==, held->message);
  g_assert_cmpstr (no_grants->message, ==, held->message);

  /* An id nobody holds is refused to the roles that may not add it in the
   * very same words. */
  g_clear_error (&not_allowed);
  g_assert_false (instasync_store_add_account (mallory, "17841400000000009", "mallory.now",
                                               "mallory-token", "m", &not_allowed));
  g_assert_cmpstr (not_allowed->message, ==, CLAIM_REFUSED ("17841400000000009"));

  after = snapshot_of (ALICE_ACCOUNT);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (query_int (owner, "SELECT count (*) FROM instagram_accounts"), ==, 2);
  g_assert_cmpint (query_int (owner, "SELECT count (*) FROM user_tokens"), ==, 2);

  g_clear_object (&stranger);
  exec_ok (owner, "DROP ROLE rls_stranger");
}

/* Ownership is the role's OID: a role renamed keeps its rows under its new
 * name, and a new role that takes the old name gets none of them. */
static void
test_renamed_role (void)
{
  g_autoptr(InstaSyncStore) owner = owner_store ();
  g_autoptr(InstaSyncStore) renamed = NULL;
  g_autoptr(InstaSyncStore) newcomer = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  reset_tables ();
  exec_ok (owner, "DROP ROLE IF EXISTS rls_x");
  exec_ok (owner, "DROP ROLE IF EXISTS rls_y");
  exec_ok (owner, "CREATE ROLE rls_x LOGIN IN ROLE instasync_user");
  seed_user ("rls_x", "17841400000000005", "x.shop", "x-token", "x's key");

  exec_ok (owner, "ALTER ROLE rls_x RENAME TO rls_y");
  exec_ok (owner, "CREATE ROLE rls_x LOGIN IN ROLE instasync_user");

  newcomer = connect_as ("rls_x");
  accounts = instasync_store_list_accounts (newcomer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 0);
  assert_text (rows_seen_by (newcomer, "17841400000000005"), "0,0,0,0,0");
  g_assert_cmpint (exec_count (newcomer, "DELETE FROM instagram_insights"), ==, 0);
  g_assert_false (instasync_store_add_account (newcomer, "17841400000000005", "x.again",
                                               "x-token", "x's key", &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_PERMITTED);
  g_clear_error (&error);

  renamed = connect_as ("rls_y");
  assert_text (rows_seen_by (renamed, "17841400000000005"), "1,1,2,1,1");
  token = instasync_store_get_token (renamed, "17841400000000005", "x's key", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "x-token");

  g_clear_object (&newcomer);
  g_clear_object (&renamed);
  reset_tables ();
  exec_ok (owner, "DROP ROLE rls_x");
  exec_ok (owner, "DROP ROLE rls_y");
}

/* No counter shared by all users: a user can use no sequence, and the ids
 * it sees do not count what the others did. */
static void
test_ids_not_counters (void)
{
  g_autoptr(InstaSyncStore) alice = NULL;
  g_autoptr(InstaSyncStore) owner = owner_store ();
  g_autoptr(GError) error = NULL;
  gint64 ids[4];
  PGresult *result;

  seed_two_users ();
  alice = connect_as (ALICE);

  g_assert_cmpint (query_int (alice, "SELECT count (*) FROM pg_class c WHERE c.relkind = 'S' AND "
                                     "  (has_sequence_privilege (c.oid, 'USAGE') OR "
                                     "   has_sequence_privilege (c.oid, 'SELECT') OR "
                                     "   has_sequence_privilege (c.oid, 'UPDATE'))"), ==, 0);
  result = PQexec (conn_of (alice), "SELECT nextval ('instagram_sync_logs_id_seq')");
  g_test_message ("nextval: %s", PQresultErrorMessage (result));
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_FATAL_ERROR);
  PQclear (result);

  /* Two users' tokens, and two runs in a row, are not one apart. */
  ids[0] = query_int (owner, "SELECT id FROM user_tokens WHERE ig_user_id = '" ALICE_ACCOUNT "'");
  ids[1] = query_int (owner, "SELECT id FROM user_tokens WHERE ig_user_id = '" BOB_ACCOUNT "'");
  for (guint i = 2; i < G_N_ELEMENTS (ids); i++)
    {
      InstaSyncSyncLogEntry entry = { 0, };

      entry.ig_user_id = (char *) ALICE_ACCOUNT;
      entry.status = (char *) "succeeded";
      g_assert_true (instasync_store_record_sync_log (alice, &entry, &error));
      g_assert_no_error (error);
      ids[i] = entry.id;
    }
  for (guint i = 0; i < G_N_ELEMENTS (ids); i += 2)
    {
      g_test_message ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT, ids[i], ids[i + 1]);
      g_assert_cmpint (ids[i], >, 0);
      g_assert_cmpint (ids[i + 1], >, 0);
      g_assert_cmpint (ABS (ids[i + 1] - ids[i]), >, 1000000);
    }
}

/* Hostile strings */

/* A deterministic, barely compressible string of @length bytes of valid
 * UTF-8 that mixes ASCII, quotes, backslashes and multibyte characters. */
static char *
long_string (gsize    length,
             guint32  seed)
{
  static const char * const pieces[] = {
    "a", "Z", "0", "'", "\"", "\\", " ", ";", "--", "\t", "\n", ",", "{", "}",
    "é", "☃", "🎉", "日本", "$1", "%s", "\\x00", "E'\\n'",
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  GString *text = g_string_sized_new (length + 8);

  while (text->len < length)
    g_string_append (text, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);

  return g_string_free (text, FALSE);
}

static char *
json_object_with_caption (const char *caption)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "caption");
  json_builder_add_string_value (builder, caption);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

/* jsonb keeps the value, not the text: compare what the JSON says. */
static char *
caption_of (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  g_assert_nonnull (json);
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  return g_strdup (json_object_get_string_member (object, "caption"));
}

static void
test_hostile_strings (void)
{
  g_autofree char *long_name = long_string (100 * 1024, 1);
  g_autofree char *long_caption = long_string (100 * 1024, 2);
  const char * const hostile[] = {
    "'); DROP TABLE instagram_insights; --",
    "\"; DROP TABLE instagram_accounts; --",
    "quote\"double and 'single' and ''doubled''",
    "back\\slash \\\\ and \\' and \\\"",
    "$1 $2::text E'\\x00' %s %n",
    "new\nline\r\ttab",
    "{braces},{and,commas}",
    "NULL",
    "\\N",
    "\\.",
    "",
    "  padded  ",
    "ünïcødé — ☃ 🎉 日本語 \xe2\x80\xae reversed",
    long_name,
  };
  /* Account ids are primary keys: they are hostile too, but short. */
  const char * const hostile_ids[] = {
    "'); DROP TABLE instagram_insights; --",
    "a'b\\c\"d",
    "x' OR '1'='1",
  };
  g_autoptr(InstaSyncStore) alice = NULL;
  g_autoptr(InstaSyncStore) owner = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GPtrArray) rows = new_rows ();

  reset_tables ();
  /* As a user, so that the policies see every one of these strings too. */
  alice = connect_as (ALICE);

  /* Usernames and tokens through add_account, read back by list_accounts
   * and get_token. */
  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autofree char *ig_user_id = g_strdup_printf ("178414000000001%02u", i);
      const char *key = HOSTILE_KEY;

      /* Tokens are never empty; the rest is stored as it is. */
      g_assert_true (instasync_store_add_account (alice, ig_user_id, hostile[i],
                                                  *hostile[i] != '\0' ? hostile[i] : "t",
                                                  key, &error));
      g_assert_no_error (error);
    }

  accounts = instasync_store_list_accounts (alice, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, G_N_ELEMENTS (hostile));
  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autofree char *ig_user_id = g_strdup_printf ("178414000000001%02u", i);
      const char *key = HOSTILE_KEY;
      InstaSyncAccount *account = find_account (accounts, ig_user_id);
      g_autofree char *token = NULL;

      g_assert_nonnull (account);
      g_assert_cmpstr (instasync_account_get_username (account), ==, hostile[i]);

      token = instasync_store_get_token (alice, ig_user_id, key, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (token, ==, *hostile[i] != '\0' ? hostile[i] : "t");
    }

  /* Hostile account ids, everywhere an account id goes. The strings above
   * were tokens, which the redactor now knows and takes out of every
   * summary: forget them, as these are summaries. */
  _instasync_redact_forget_all ();
  for (guint i = 0; i < G_N_ELEMENTS (hostile_ids); i++)
    {
      g_autoptr(GHashTable) cursors = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                             g_free, NULL);
      g_autoptr(GPtrArray) logs = NULL;

      g_assert_true (instasync_store_add_account (alice, hostile_ids[i], hostile_ids[i],
                                                  "token", HOSTILE_KEY, &error));
      g_assert_no_error (error);
      record_log (alice, hostile_ids[i], hostile_ids[i], &error);
      g_assert_no_error (error);
      g_assert_true (advance_cursor (alice, hostile_ids[i], hostile_ids[i], &error));
      g_assert_no_error (error);

      logs = instasync_store_list_sync_logs (alice, hostile_ids[i], 0, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (logs->len, ==, 1);
      g_assert_cmpstr (((InstaSyncSyncLogEntry *) g_ptr_array_index (logs, 0))->summary, ==,
                       hostile_ids[i]);
      g_assert_true (instasync_store_get_cursors (alice, hostile_ids[i], cursors, &error));
      g_assert_no_error (error);
      g_assert_true (g_hash_table_contains (cursors, hostile_ids[i]));
    }

  /* Insight rows: every text of the key and the metadata. */
  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      InstaSyncInsightRow *row;
      const char *account = hostile_ids[i % G_N_ELEMENTS (hostile_ids)];
      /* The metric is part of the primary key, whose index holds entries of
       * up to about 2.7 kB: the long string goes to the metadata only. */
      const char *metric = hostile[i] != long_name ? hostile[i] : "long";

      row = make_row (account, metric, i, i);
      instasync_insight_row_set_breakdown (row, metric, metric);
      row->metadata_json = json_object_with_caption (i == 0 ? long_caption : hostile[i]);
      g_ptr_array_add (rows, row);
    }
  upsert_ok (alice, rows, G_N_ELEMENTS (hostile));

  for (guint i = 0; i < rows->len; i++)
    {
      const InstaSyncInsightRow *sent = g_ptr_array_index (rows, i);
      g_autoptr(GPtrArray) stored = NULL;
      const InstaSyncInsightRow *back;
      g_autofree char *caption_sent = NULL;
      g_autofree char *caption_back = NULL;

      stored = instasync_store_query_insights (alice, sent->ig_user_id, sent->metric,
                                               0, G_MAXINT32, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (stored->len, ==, 1);
      back = g_ptr_array_index (stored, 0);
      g_assert_true (instasync_insight_row_same_key (back, sent));
      g_assert_cmpstr (back->breakdown, ==, sent->breakdown);
      g_assert_cmpstr (back->dimension_value, ==, sent->dimension_value);
      g_assert_cmpint (back->value, ==, sent->value);
      caption_sent = caption_of (sent->metadata_json);
      caption_back = caption_of (back->metadata_json);
      g_assert_cmpstr (caption_back, ==, caption_sent);
    }

  /* The same rows again are the same keys and values: all unchanged. */
  {
    InstaSyncWriteCounts counts;

    g_assert_true (instasync_store_upsert_insights (alice, rows, &counts, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (counts.unchanged, ==, rows->len);
  }

  /* The export filters by account id as a literal (COPY takes no
   * parameters): each hostile id finds its own rows and no others. */
  for (guint i = 0; i < G_N_ELEMENTS (hostile_ids); i++)
    {
      g_autofree char *csv = NULL;
      guint expected = 0;

      for (guint r = 0; r < rows->len; r++)
        if (g_str_equal (((InstaSyncInsightRow *) g_ptr_array_index (rows, r))->ig_user_id,
                         hostile_ids[i]))
          expected++;
      g_assert_cmpint (instasync_store_count_insights (alice, hostile_ids[i], &error), ==,
                       expected);
      g_assert_no_error (error);

      csv = export_csv (alice, hostile_ids[i]);
      for (guint j = 0; j < G_N_ELEMENTS (hostile_ids); j++)
        {
          g_autofree char *field = csv_field (hostile_ids[j]);

          if (j == i)
            g_assert_nonnull (strstr (csv, field));
          else
            g_assert_null (strstr (csv, field));
        }
    }

  /* Nothing was dropped, nothing leaked to another role. */
  owner = owner_store ();
  g_assert_cmpint (query_int (owner, "SELECT count (*) FROM instagram_insights"), ==,
                   rows->len);
  g_assert_cmpint (query_int (owner, "SELECT count (*) FROM instagram_accounts "
                                     "WHERE owner_oid <> '" ALICE "'::regrole"), ==, 0);
}

/* A key too long for its index is refused, clearly, with nothing stored. */
static void
test_long_key_refused (void)
{
  g_autofree char *long_id = long_string (100 * 1024, 3);
  g_autoptr(InstaSyncStore) alice = NULL;
  g_autoptr(GPtrArray) rows = new_rows ();
  g_autoptr(GError) error = NULL;
  InstaSyncWriteCounts counts;

  seed_two_users ();
  alice = connect_as (ALICE);

  g_assert_false (instasync_store_add_account (alice, long_id, "x", "token", ALICE_KEY, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "index"));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_clear_error (&error);

  g_ptr_array_add (rows, make_row (ALICE_ACCOUNT, "reach", 9, 9));
  g_ptr_array_add (rows, make_row (ALICE_ACCOUNT, long_id, 9, 9));
  g_assert_false (instasync_store_upsert_insights (alice, rows, &counts, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE);
  g_assert_cmpuint (counts.failed, ==, 2);
  g_clear_error (&error);

  g_assert_cmpint (query_int (alice, "SELECT count (*) FROM instagram_accounts"), ==, 1);
  g_assert_cmpint (instasync_store_count_insights (alice, NULL, &error), ==, 2);
}

/* PostgreSQL's UTF8 databases refuse bytes that are not UTF-8, and so does
 * the store: INSTASYNC_ERROR_DATABASE, a message that is itself valid UTF-8
 * (the server quotes the bytes in hex), the statement's transaction rolled
 * back whole, and the connection fit for the next statement. Only the text
 * of a sync log, which quotes the API, is made valid instead. */
static void
test_invalid_utf8_refused (void)
{
  const char *invalid = "caf\xe9 \xff\xfe";
  g_autoptr(InstaSyncStore) alice = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GPtrArray) rows = new_rows ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *token = NULL;
  g_autofree char *summary = NULL;
  InstaSyncWriteCounts counts;
  InstaSyncInsightRow *row;

  seed_two_users ();
  before = snapshot_of (ALICE_ACCOUNT);
  alice = connect_as (ALICE);

  /* A new account: not added. */
  g_assert_false (instasync_store_add_account (alice, "17841400000000005", invalid, "token",
                                               ALICE_KEY, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "UTF8"));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_clear_error (&error);

  /* An existing account, reconnected with a bad name or a bad token: the
   * old name and token stay. */
  g_assert_false (instasync_store_add_account (alice, ALICE_ACCOUNT, invalid, "new-token",
                                               ALICE_KEY, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE);
  g_clear_error (&error);
  g_assert_false (instasync_store_add_account (alice, ALICE_ACCOUNT, "renamed", invalid,
                                               ALICE_KEY, &error));
  /* Tokens are sealed in the client: refused before anything is sent. */
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_clear_error (&error);

  /* A batch with one bad row: none of it is written. */
  g_ptr_array_add (rows, make_row (ALICE_ACCOUNT, "reach", 4, 4));
  row = make_row (ALICE_ACCOUNT, "reach", 5, 5);
  instasync_insight_row_set_breakdown (row, "media_product_type", invalid);
  g_ptr_array_add (rows, row);
  g_assert_false (instasync_store_upsert_insights (alice, rows, &counts, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE);
  g_test_message ("%s", error->message);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpuint (counts.failed, ==, 2);
  g_clear_error (&error);

  after = snapshot_of (ALICE_ACCOUNT);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (query_int (alice, "SELECT count (*) FROM instagram_accounts"), ==, 1);

  /* The connection goes on as if nothing happened. */
  accounts = instasync_store_list_accounts (alice, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (instasync_account_get_username (g_ptr_array_index (accounts, 0)), ==,
                   "alice.shop");
  token = instasync_store_get_token (alice, ALICE_ACCOUNT, ALICE_KEY, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "alice-token");
  g_ptr_array_remove_index (rows, 1);
  upsert_ok (alice, rows, 1);

  /* A sync log's text quotes the API: it is made valid rather than
   * refused, so that the run is on record all the same. */
  record_log (alice, ALICE_ACCOUNT, invalid, &error);
  g_assert_no_error (error);
  /* (Ids are random: the row is found by what it says.) */
  summary = query_text (alice, "SELECT string_agg (summary, '|') FROM instagram_sync_logs "
                               "WHERE summary LIKE 'caf%'");
  g_assert_cmpstr (summary, ==, "caf\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd");
}

/* A NUL cannot reach the database as text at all: the store takes C
 * strings, which end at the first NUL, and libpq's text parameters are C
 * strings too. What can be sent is the JSON escape \u0000, which jsonb
 * refuses; the store reports it, and writes none of the batch. */
static void
test_nul_refused (void)
{
  g_autoptr(InstaSyncStore) alice = NULL;
  g_autoptr(GPtrArray) rows = new_rows ();
  g_autoptr(GError) error = NULL;
  InstaSyncWriteCounts counts;
  InstaSyncInsightRow *row;

  seed_two_users ();
  alice = connect_as (ALICE);

  g_ptr_array_add (rows, make_row (ALICE_ACCOUNT, "reach", 4, 4));
  row = make_row (ALICE_ACCOUNT, "reach", 5, 5);
  row->metadata_json = g_strdup ("{\"caption\": \"before\\u0000after\"}");
  g_ptr_array_add (rows, row);

  g_assert_false (instasync_store_upsert_insights (alice, rows, &counts, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "Unicode escape"));
  g_assert_cmpuint (counts.failed, ==, 2);
  g_clear_error (&error);
  g_assert_cmpint (instasync_store_count_insights (alice, NULL, &error), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  shared_pg = instasync_test_pg_start (&error);
  g_assert_no_error (error);

  {
    g_autoptr(InstaSyncStore) owner = owner_store ();

    /* Two users, a worker, and a role granted the tables but in no group. */
    exec_ok (owner, "CREATE ROLE " ALICE " LOGIN IN ROLE instasync_user");
    exec_ok (owner, "CREATE ROLE " BOB " LOGIN IN ROLE instasync_user");
    exec_ok (owner, "CREATE ROLE " WORKER " LOGIN IN ROLE instasync_worker");
    exec_ok (owner, "CREATE ROLE " MALLORY " LOGIN");
    exec_ok (owner, "GRANT SELECT, INSERT, UPDATE, DELETE ON instagram_accounts, user_tokens, "
                    "instagram_insights, instagram_sync_logs, instagram_sync_cursors TO " MALLORY);
  }

  g_test_add_func ("/rls/roles-and-policies", test_roles_and_policies);
  g_test_add_func ("/rls/policy-cost", test_policy_cost);
  g_test_add_func ("/rls/own-rows", test_own_rows);
  g_test_add_func ("/rls/select-isolation", test_select_isolation);
  g_test_add_func ("/rls/update-refused", test_update_refused);
  g_test_add_func ("/rls/delete-invisible", test_delete_invisible);
  g_test_add_func ("/rls/insert-refused", test_insert_refused);
  g_test_add_func ("/rls/no-group-no-rows", test_no_group_no_rows);
  g_test_add_func ("/rls/worker", test_worker);
  g_test_add_func ("/rls/history-stays-with-owner", test_history_stays_with_owner);
  g_test_add_func ("/rls/claim-refused-alike", test_claim_refused_alike);
  g_test_add_func ("/rls/renamed-role", test_renamed_role);
  g_test_add_func ("/rls/ids-not-counters", test_ids_not_counters);
  g_test_add_func ("/rls/hostile-strings", test_hostile_strings);
  g_test_add_func ("/rls/long-key-refused", test_long_key_refused);
  g_test_add_func ("/rls/invalid-utf8-refused", test_invalid_utf8_refused);
  g_test_add_func ("/rls/nul-refused", test_nul_refused);

  status = g_test_run ();

  g_clear_pointer (&shared_pg, instasync_test_pg_free);
  return status;
}
