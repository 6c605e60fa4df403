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
   * for one account's metric over a time range, and the only index. */
  result = PQexec (instasync_store_get_connection (store),
                   "SELECT pg_get_constraintdef (oid) FROM pg_constraint "
                   "WHERE conrelid = 'instagram_insights'::regclass AND contype IN ('u', 'p')");
  g_assert_cmpint (PQntuples (result), ==, 1);
  g_assert_cmpstr (PQgetvalue (result, 0, 0), ==,
                   "PRIMARY KEY (ig_user_id, metric, end_time, period, metric_type, window_start, "
                   "breakdown, dimension_value)");
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

  return g_test_run ();
}
