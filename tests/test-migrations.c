/* test-migrations.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "instasync-error.h"
#include "instasync-migrations.h"
#include "instasync-store.h"
#include "instasync-test-pg.h"

static InstaSyncStore *
connect_plain (InstaSyncTestPg *pg)
{
  g_autoptr(GError) error = NULL;
  InstaSyncStore *store = instasync_store_connect (instasync_test_pg_get_conninfo (pg), &error);

  g_assert_no_error (error);
  return store;
}

static gint64
count_rows (InstaSyncStore *store,
            const char     *sql)
{
  PGresult *result = PQexec (instasync_store_get_connection (store), sql);
  gint64 count;

  g_assert_cmpstr (PQresultErrorMessage (result), ==, "");
  g_assert_cmpint (PQntuples (result), ==, 1);
  count = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  PQclear (result);
  return count;
}

static char *
schema_fingerprint (InstaSyncStore *store)
{
  PGresult *result = PQexec (instasync_store_get_connection (store),
                             "SELECT string_agg (table_name || '.' || column_name || ':' || data_type,"
                             "                   ',' ORDER BY table_name, ordinal_position) "
                             "FROM information_schema.columns WHERE table_schema = 'public'");
  char *fingerprint;

  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  fingerprint = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
  return fingerprint;
}

static void
test_list (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) migrations = instasync_migrations_list (&error);
  const InstaSyncMigration *first;

  g_assert_no_error (error);
  g_assert_nonnull (migrations);
  g_assert_cmpuint (migrations->len, >=, 1);

  first = g_ptr_array_index (migrations, 0);
  g_assert_cmpuint (first->version, ==, 1);
  g_assert_cmpstr (first->name, ==, "initial");
  g_assert_nonnull (strstr (first->sql, "CREATE TABLE instagram_insights"));

  for (guint i = 1; i < migrations->len; i++)
    {
      const InstaSyncMigration *prev = g_ptr_array_index (migrations, i - 1);
      const InstaSyncMigration *cur = g_ptr_array_index (migrations, i);

      g_assert_cmpuint (prev->version, <, cur->version);
    }
}

static void
test_from_empty (void)
{
  g_autoptr(InstaSyncTestPg) pg = instasync_test_pg_start_checked ();
  g_autoptr(InstaSyncStore) store = connect_plain (pg);
  g_autoptr(GPtrArray) migrations = instasync_migrations_list (NULL);
  g_autoptr(GError) error = NULL;
  const char * const tables[] = {
    "instagram_accounts", "user_tokens", "instagram_insights", "instagram_sync_logs",
    "schema_migrations",
  };
  guint applied = 0;
  PGresult *result;

  g_assert_cmpint (count_rows (store, "SELECT count (*) FROM pg_tables WHERE schemaname = 'public'"), ==, 0);

  g_assert_true (instasync_store_migrate (store, &applied, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, migrations->len);

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM pg_tables "
                                              "WHERE schemaname = 'public' AND tablename = '%s'",
                                              tables[i]);
      g_test_message ("table %s", tables[i]);
      g_assert_cmpint (count_rows (store, sql), ==, 1);
    }

  /* The natural key, over exactly these columns in this order: led by
   * (ig_user_id, metric, end_time), its index is also the composite index
   * for one account's metric over a time range, and the only index. The
   * owner ends it: a new holder of an id never collides with a former one. */
  result = PQexec (instasync_store_get_connection (store),
                   "SELECT pg_get_constraintdef (oid) FROM pg_constraint "
                   "WHERE conrelid = 'instagram_insights'::regclass AND contype IN ('u', 'p')");
  g_assert_cmpint (PQntuples (result), ==, 1);
  g_assert_cmpstr (PQgetvalue (result, 0, 0), ==,
                   "PRIMARY KEY (ig_user_id, metric, end_time, period, metric_type, window_start, "
                   "breakdown, dimension_value, owner_oid)");
  PQclear (result);

  result = PQexec (instasync_store_get_connection (store),
                   "SELECT indexdef FROM pg_indexes WHERE tablename = 'instagram_insights'");
  g_assert_cmpint (PQntuples (result), ==, 1);
  PQclear (result);

  /* The planner uses it for one account's metric over a time range. */
  result = PQexec (instasync_store_get_connection (store),
                   "EXPLAIN SELECT value FROM instagram_insights WHERE ig_user_id = '1' "
                   "AND metric = 'reach' AND end_time >= now () - interval '30 days'");
  g_assert_nonnull (strstr (PQgetvalue (result, 0, 0), "instagram_insights_natural_key"));
  PQclear (result);

  result = PQexec (instasync_store_get_connection (store),
                   "SELECT indexdef FROM pg_indexes WHERE tablename = 'instagram_sync_logs' "
                   "AND indexdef LIKE '%(ig_user_id, started_at DESC)'");
  g_assert_cmpint (PQntuples (result), ==, 1);
  PQclear (result);

  /* No foreign key from the insights: they outlive their account. */
  g_assert_cmpint (count_rows (store, "SELECT count (*) FROM pg_constraint "
                                      "WHERE conrelid = 'instagram_insights'::regclass "
                                      "AND contype = 'f'"), ==, 0);
  g_assert_cmpint (count_rows (store, "SELECT count (*) FROM pg_extension "
                                      "WHERE extname = 'pgcrypto'"), ==, 1);

  /* Every migration is recorded, by number and name. */
  result = PQexec (instasync_store_get_connection (store),
                   "SELECT version, name, applied_at IS NOT NULL FROM schema_migrations ORDER BY version");
  g_assert_cmpint (PQntuples (result), ==, (int) migrations->len);
  for (guint i = 0; i < migrations->len; i++)
    {
      const InstaSyncMigration *migration = g_ptr_array_index (migrations, i);

      g_assert_cmpint (g_ascii_strtoll (PQgetvalue (result, (int) i, 0), NULL, 10), ==,
                       migration->version);
      g_assert_cmpstr (PQgetvalue (result, (int) i, 1), ==, migration->name);
      g_assert_cmpstr (PQgetvalue (result, (int) i, 2), ==, "t");
    }
  PQclear (result);
}

static void
test_reapply_is_noop (void)
{
  g_autoptr(InstaSyncTestPg) pg = instasync_test_pg_start_checked ();
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncStore) store = instasync_test_pg_connect_migrated (pg, &error);
  g_autoptr(InstaSyncStore) other = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *applied_before = NULL;
  guint applied = 99;
  PGresult *result;

  g_assert_no_error (error);
  before = schema_fingerprint (store);
  result = PQexec (instasync_store_get_connection (store),
                   "SELECT string_agg (version || '@' || applied_at, ',') FROM schema_migrations");
  applied_before = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);

  /* Again on the same connection, and from a fresh one. */
  g_assert_true (instasync_store_migrate (store, &applied, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, 0);

  other = connect_plain (pg);
  applied = 99;
  g_assert_true (instasync_store_migrate (other, &applied, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, 0);

  after = schema_fingerprint (other);
  g_assert_cmpstr (before, ==, after);

  result = PQexec (instasync_store_get_connection (other),
                   "SELECT string_agg (version || '@' || applied_at, ',') FROM schema_migrations");
  g_assert_cmpstr (PQgetvalue (result, 0, 0), ==, applied_before);
  PQclear (result);
}

typedef struct
{
  const char *conninfo;
  guint       applied;
  GError     *error;
} MigrateJob;

static gpointer
migrate_thread (gpointer data)
{
  MigrateJob *job = data;
  g_autoptr(InstaSyncStore) store = instasync_store_connect (job->conninfo, &job->error);

  if (store != NULL)
    instasync_store_migrate (store, &job->applied, &job->error);

  return NULL;
}

static void
test_concurrent (void)
{
  g_autoptr(InstaSyncTestPg) pg = instasync_test_pg_start_checked ();
  g_autoptr(GPtrArray) migrations = instasync_migrations_list (NULL);
  g_autoptr(InstaSyncStore) store = NULL;
  MigrateJob jobs[4];
  GThread *threads[G_N_ELEMENTS (jobs)];
  guint total = 0;

  /* Each store owns its connection, so each thread migrates through a
   * connection of its own, as separate processes would. */
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    {
      jobs[i].conninfo = instasync_test_pg_get_conninfo (pg);
      jobs[i].applied = 0;
      jobs[i].error = NULL;
      threads[i] = g_thread_new ("migrate", migrate_thread, &jobs[i]);
    }

  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    {
      g_thread_join (threads[i]);
      g_assert_no_error (jobs[i].error);
      total += jobs[i].applied;
    }

  /* Each migration was applied exactly once, by whoever got the lock. */
  g_assert_cmpuint (total, ==, migrations->len);

  store = connect_plain (pg);
  g_assert_cmpint (count_rows (store, "SELECT count (*) FROM schema_migrations"), ==,
                   migrations->len);
  g_assert_cmpint (count_rows (store, "SELECT count (*) FROM pg_tables "
                                      "WHERE tablename = 'instagram_insights'"), ==, 1);
}

static void
test_failed_migration_rolls_back (void)
{
  g_autoptr(InstaSyncTestPg) pg = instasync_test_pg_start_checked ();
  g_autoptr(InstaSyncStore) store = connect_plain (pg);
  g_autoptr(GError) error = NULL;
  guint applied = 99;
  PGresult *result;

  /* A table in the way makes 0001 fail half-way: nothing of it may stay. */
  result = PQexec (instasync_store_get_connection (store), "CREATE TABLE instagram_sync_logs (x int)");
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_COMMAND_OK);
  PQclear (result);

  g_assert_false (instasync_store_migrate (store, &applied, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE);
  g_assert_nonnull (strstr (error->message, "0001_initial"));
  g_assert_cmpuint (applied, ==, 0);

  g_assert_cmpint (count_rows (store, "SELECT count (*) FROM pg_tables "
                                      "WHERE tablename = 'instagram_accounts'"), ==, 0);
  g_assert_cmpint (count_rows (store, "SELECT count (*) FROM schema_migrations"), ==, 0);
}

/* A connection as @role to @dbname of @pg's cluster, which trusts its
 * socket; libpq takes the last of two values for one keyword. */
static InstaSyncStore *
connect_to (InstaSyncTestPg *pg,
            const char      *dbname,
            const char      *role)
{
  g_autofree char *conninfo = g_strdup_printf ("%s dbname='%s' user='%s'",
                                               instasync_test_pg_get_conninfo (pg), dbname, role);
  g_autoptr(GError) error = NULL;
  InstaSyncStore *store = instasync_store_connect (conninfo, &error);

  g_assert_no_error (error);
  return store;
}

static void
exec_ok (InstaSyncStore *store,
         const char     *sql)
{
  PGresult *result = PQexec (instasync_store_get_connection (store), sql);

  g_assert_cmpstr (PQresultErrorMessage (result), ==, "");
  PQclear (result);
}

/* Everything a migration may change and a later one must not lose: columns,
 * indexes, policies, row-level security flags. */
static char *
full_fingerprint (InstaSyncStore *store)
{
  PGresult *result = PQexec (instasync_store_get_connection (store),
                             "SELECT concat_ws (E'\\n',"
                             "  (SELECT string_agg (table_name || '.' || column_name || ':' || data_type"
                             "     || ':' || is_nullable || ':' || coalesce (column_default, ''),"
                             "     ',' ORDER BY table_name, column_name)"
                             "   FROM information_schema.columns WHERE table_schema = 'public'),"
                             "  (SELECT string_agg (indexdef, ',' ORDER BY indexdef) FROM pg_indexes"
                             "   WHERE schemaname = 'public'),"
                             "  (SELECT string_agg (tablename || ':' || policyname || ':' || roles::text"
                             "     || ':' || coalesce (qual, '') || ':' || coalesce (with_check, ''),"
                             "     ',' ORDER BY tablename, policyname) FROM pg_policies),"
                             "  (SELECT string_agg (relname || ':' || relrowsecurity || relforcerowsecurity,"
                             "     ',' ORDER BY relname) FROM pg_class"
                             "   WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'))");
  char *fingerprint;

  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  fingerprint = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
  return fingerprint;
}

/* Brings @store's database to @version as the release that stopped there
 * would have: the same schema_migrations, the migrations up to it. */
static void
migrate_to (InstaSyncStore *store,
            guint           version)
{
  g_autoptr(GPtrArray) migrations = instasync_migrations_list (NULL);

  exec_ok (store, "CREATE TABLE schema_migrations ("
                  "  version integer PRIMARY KEY,"
                  "  name text NOT NULL,"
                  "  applied_at timestamptz NOT NULL DEFAULT now())");

  for (guint i = 0; i < migrations->len; i++)
    {
      const InstaSyncMigration *migration = g_ptr_array_index (migrations, i);
      g_autofree char *record = NULL;

      if (migration->version > version)
        break;

      record = g_strdup_printf ("INSERT INTO schema_migrations (version, name) "
                                "VALUES (%u, '%s')", migration->version, migration->name);
      exec_ok (store, "BEGIN");
      exec_ok (store, migration->sql);
      exec_ok (store, record);
      exec_ok (store, "COMMIT");
    }
}

/* A database left at any earlier version, with data in it, takes the
 * remaining migrations, keeps its data, and ends up with exactly the schema
 * of a database migrated from empty. */
static void
test_upgrade_from_every_version (void)
{
  g_autoptr(InstaSyncTestPg) pg = instasync_test_pg_start_checked ();
  g_autoptr(GPtrArray) migrations = instasync_migrations_list (NULL);
  g_autoptr(InstaSyncStore) admin = connect_plain (pg);
  g_autoptr(InstaSyncStore) reference = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;

  reference = instasync_test_pg_connect_migrated (pg, &error);
  g_assert_no_error (error);
  expected = full_fingerprint (reference);

  for (guint i = 0; i + 1 < migrations->len; i++)
    {
      const InstaSyncMigration *previous = g_ptr_array_index (migrations, i);
      g_autofree char *dbname = g_strdup_printf ("at_%u", previous->version);
      g_autofree char *create = g_strdup_printf ("CREATE DATABASE %s", dbname);
      g_autoptr(InstaSyncStore) store = NULL;
      g_autofree char *fingerprint = NULL;
      g_autofree char *token = NULL;
      g_autoptr(GPtrArray) accounts = NULL;
      guint applied = 0;

      g_test_message ("from version %u", previous->version);
      exec_ok (admin, create);
      store = connect_to (pg, dbname, "instasync");
      migrate_to (store, previous->version);

      /* Data in the columns of the first release, which every later one
       * has to carry over: the token as pgcrypto encrypted it then. */
      exec_ok (store, "INSERT INTO instagram_accounts (ig_user_id, username) "
                      "VALUES ('17841400000000001', 'kept')");
      exec_ok (store, "INSERT INTO user_tokens (ig_user_id, token_encrypted) "
                      "VALUES ('17841400000000001', pgp_sym_encrypt ('TOKEN', 'key'))");
      exec_ok (store, "INSERT INTO instagram_insights (ig_user_id, metric, period, metric_type,"
                      "  window_start, end_time, value) "
                      "VALUES ('17841400000000001', 'reach', 'day', 'time_series',"
                      "  '2024-07-01 07:00Z', '2024-07-02 07:00Z', 42)");
      exec_ok (store, "INSERT INTO instagram_sync_logs (ig_user_id, status) "
                      "VALUES ('17841400000000001', 'succeeded')");

      g_assert_true (instasync_store_migrate (store, &applied, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (applied, ==, migrations->len - (i + 1));

      fingerprint = full_fingerprint (store);
      g_assert_cmpstr (fingerprint, ==, expected);

      accounts = instasync_store_list_accounts (store, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (accounts->len, ==, 1);
      g_assert_cmpstr (instasync_account_get_username (g_ptr_array_index (accounts, 0)), ==, "kept");
      /* Read in the client, and sealed anew on the way. */
      token = instasync_store_get_token (store, "17841400000000001", "key", &error);
      g_assert_no_error (error);
      g_assert_cmpstr (token, ==, "TOKEN");
      g_assert_cmpint (count_rows (store, "SELECT count (*) FROM user_tokens "
                                          "WHERE token_encrypted IS NULL "
                                          "AND token_sealed IS NOT NULL"), ==, 1);
      g_assert_cmpint (count_rows (store, "SELECT count (*) FROM instagram_insights WHERE value = 42"), ==, 1);
      g_assert_cmpint (count_rows (store, "SELECT count (*) FROM instagram_sync_logs"), ==, 1);

      /* Accounts from before row-level security belong to whoever ran the
       * migration, the owner, who sees everything anyway, and so does their
       * history. */
      g_assert_cmpint (count_rows (store, "SELECT count (*) FROM instagram_accounts "
                                          "WHERE owner_oid = 'instasync'::regrole"), ==, 1);
      g_assert_cmpint (count_rows (store, "SELECT count (*) FROM instagram_insights "
                                          "WHERE owner_oid = 'instasync'::regrole"), ==, 1);
      g_assert_cmpint (count_rows (store, "SELECT count (*) FROM instagram_sync_logs "
                                          "WHERE owner_oid = 'instasync'::regrole"), ==, 1);
    }
}

static void
collect_notice (void       *user_data,
                const char *message)
{
  g_string_append (user_data, message);
}

/* A database owner that may not create roles, as on some hosted
 * PostgreSQL: the migration still applies, says what it skipped, and the
 * database serves its owner alone until somebody creates the roles and the
 * owner runs instasync_setup_roles (). */
static void
test_without_createrole (void)
{
  g_autoptr(InstaSyncTestPg) pg = instasync_test_pg_start_checked ();
  g_autoptr(InstaSyncStore) admin = connect_plain (pg);
  g_autoptr(InstaSyncStore) owner = NULL;
  g_autoptr(InstaSyncStore) user = NULL;
  g_autoptr(GPtrArray) migrations = instasync_migrations_list (NULL);
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GString) notices = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  guint applied = 0;

  exec_ok (admin, "CREATE ROLE app_owner LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB");
  exec_ok (admin, "CREATE DATABASE hosted OWNER app_owner");
  g_assert_cmpint (count_rows (admin, "SELECT count (*) FROM pg_roles "
                                      "WHERE rolname LIKE 'instasync\\_%'"), ==, 0);

  owner = connect_to (pg, "hosted", "app_owner");
  PQsetNoticeProcessor (instasync_store_get_connection (owner), collect_notice, notices);
  g_assert_true (instasync_store_migrate (owner, &applied, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, migrations->len);

  g_test_message ("%s", notices->str);
  g_assert_nonnull (strstr (notices->str, "The role instasync_user does not exist and "
                                          "app_owner may not create roles"));
  g_assert_nonnull (strstr (notices->str, "instasync_worker"));
  g_assert_cmpint (count_rows (admin, "SELECT count (*) FROM pg_roles "
                                      "WHERE rolname LIKE 'instasync\\_%'"), ==, 0);
  g_assert_cmpint (count_rows (owner, "SELECT count (*) FROM pg_policies"), ==, 0);

  /* The owner is not a superuser, and still not filtered. */
  g_assert_true (instasync_store_add_account (owner, "17841400000000001", "owned", "TOKEN",
                                              "key", &error));
  g_assert_no_error (error);
  accounts = instasync_store_list_accounts (owner, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 1);

  /* Somebody allowed to creates the roles; the owner finishes the job. */
  exec_ok (admin, "CREATE ROLE instasync_user NOLOGIN");
  exec_ok (admin, "CREATE ROLE instasync_worker NOLOGIN");
  exec_ok (admin, "CREATE ROLE hosted_alice LOGIN IN ROLE instasync_user");
  exec_ok (owner, "SELECT instasync_setup_roles ()");
  g_assert_cmpint (count_rows (owner, "SELECT count (*) FROM pg_policies"), ==, 12);
  /* Again is harmless. */
  exec_ok (owner, "SELECT instasync_setup_roles ()");
  g_assert_cmpint (count_rows (owner, "SELECT count (*) FROM pg_policies"), ==, 12);

  user = connect_to (pg, "hosted", "hosted_alice");
  g_clear_pointer (&accounts, g_ptr_array_unref);
  accounts = instasync_store_list_accounts (user, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 0);
  g_assert_true (instasync_store_add_account (user, "17841400000000002", "alice's", "TOKEN",
                                              "key", &error));
  g_assert_no_error (error);
  g_clear_pointer (&accounts, g_ptr_array_unref);
  accounts = instasync_store_list_accounts (user, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 1);

  /* Only the owner may run it. */
  {
    PGresult *result = PQexec (instasync_store_get_connection (user),
                               "SELECT instasync_setup_roles ()");

    g_assert_cmpint (PQresultStatus (result), ==, PGRES_FATAL_ERROR);
    PQclear (result);
  }
}

/* instasyncctl migrates whenever it connects. As a user's role, which may
 * not create tables or change the schema, a current schema is fine, and a
 * migration that is due fails clearly without changing anything. */
static void
test_as_user_role (void)
{
  g_autoptr(InstaSyncTestPg) pg = instasync_test_pg_start_checked ();
  g_autoptr(GPtrArray) migrations = instasync_migrations_list (NULL);
  const InstaSyncMigration *last = g_ptr_array_index (migrations, migrations->len - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncStore) owner = instasync_test_pg_connect_migrated (pg, &error);
  g_autoptr(InstaSyncStore) user = NULL;
  g_autofree char *forget = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *what = NULL;
  guint applied = 99;

  g_assert_no_error (error);
  exec_ok (owner, "CREATE ROLE plain_user LOGIN IN ROLE instasync_user");
  user = connect_to (pg, "instasync", "plain_user");

  g_assert_true (instasync_store_migrate (user, &applied, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, 0);

  /* Pretend the last migration is new. */
  before = full_fingerprint (owner);
  forget = g_strdup_printf ("DELETE FROM schema_migrations WHERE version = %u", last->version);
  exec_ok (owner, forget);

  g_assert_false (instasync_store_migrate (user, &applied, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE);
  g_test_message ("%s", error->message);
  what = g_strdup_printf ("%04u_%s", last->version, last->name);
  g_assert_nonnull (strstr (error->message, what));
  g_assert_cmpuint (applied, ==, 0);

  after = full_fingerprint (owner);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (count_rows (owner, "SELECT count (*) FROM schema_migrations"), ==,
                   migrations->len - 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/migrations/list", test_list);
  g_test_add_func ("/migrations/from-empty", test_from_empty);
  g_test_add_func ("/migrations/reapply-is-noop", test_reapply_is_noop);
  g_test_add_func ("/migrations/concurrent", test_concurrent);
  g_test_add_func ("/migrations/failed-migration-rolls-back", test_failed_migration_rolls_back);
  g_test_add_func ("/migrations/upgrade-from-every-version", test_upgrade_from_every_version);
  g_test_add_func ("/migrations/without-createrole", test_without_createrole);
  g_test_add_func ("/migrations/as-user-role", test_as_user_role);

  return g_test_run ();
}
