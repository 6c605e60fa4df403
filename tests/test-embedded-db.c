/* test-embedded-db.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "instasync-embedded-db.h"
#include "instasync-error.h"
#include "instasync-store.h"
#include "instasync-test-cli.h"
#include "instasync-test-pg.h"

static char *
query_one (const char *conninfo,
           const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncStore) store = instasync_store_connect (conninfo, &error);
  PGresult *result;
  char *value;

  g_assert_no_error (error);
  result = PQexec (instasync_store_get_connection (store), sql);
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  g_assert_cmpint (PQntuples (result), ==, 1);
  value = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
  return value;
}

static void
exec_ok (InstaSyncStore *store,
         const char     *sql)
{
  PGresult *result = PQexec (instasync_store_get_connection (store), sql);

  g_assert_cmpstr (PQresultErrorMessage (result), ==, "");
  PQclear (result);
}

static void
test_start_creates_cluster (void)
{
  g_autoptr(InstaSyncTestPg) pg = instasync_test_pg_start_checked ();
  InstaSyncEmbeddedDb *db = instasync_test_pg_get_embedded_db (pg);
  g_autofree char *version = NULL;
  g_autofree char *database = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *user = NULL;

  version = g_build_filename (instasync_embedded_db_get_cluster_dir (db), "PG_VERSION", NULL);
  g_assert_true (g_file_test (version, G_FILE_TEST_IS_REGULAR));
  g_assert_true (instasync_embedded_db_is_running (db));

  g_assert_nonnull (strstr (instasync_embedded_db_get_conninfo (db), "dbname='instasync'"));
  database = query_one (instasync_test_pg_get_conninfo (pg), "SELECT current_database ()");
  g_assert_cmpstr (database, ==, "instasync");
  user = query_one (instasync_test_pg_get_conninfo (pg), "SELECT current_user");
  g_assert_cmpstr (user, ==, "instasync");

  /* Unix socket only. */
  listen = query_one (instasync_test_pg_get_conninfo (pg), "SHOW listen_addresses");
  g_assert_cmpstr (listen, ==, "");
}

static void
test_second_object_reuses_server (void)
{
  g_autoptr(InstaSyncTestPg) pg = instasync_test_pg_start_checked ();
  InstaSyncEmbeddedDb *first = instasync_test_pg_get_embedded_db (pg);
  g_autoptr(InstaSyncEmbeddedDb) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pid_before = NULL;
  g_autofree char *pid_after = NULL;

  pid_before = query_one (instasync_test_pg_get_conninfo (pg),
                          "SELECT pg_postmaster_start_time ()::text");

  second = instasync_embedded_db_new (instasync_embedded_db_get_cluster_dir (first));
  instasync_embedded_db_start (second, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (instasync_embedded_db_get_conninfo (second), ==,
                   instasync_embedded_db_get_conninfo (first));

  pid_after = query_one (instasync_embedded_db_get_conninfo (second),
                         "SELECT pg_postmaster_start_time ()::text");
  g_assert_cmpstr (pid_before, ==, pid_after);

  /* It did not start the server, so it does not stop it. */
  instasync_embedded_db_stop (second, &error);
  g_assert_no_error (error);
  g_assert_true (instasync_embedded_db_is_running (first));
}

static void
test_stop_leaves_server_for_other_clients (void)
{
  g_autoptr(InstaSyncTestPg) pg = instasync_test_pg_start_checked ();
  InstaSyncEmbeddedDb *db = instasync_test_pg_get_embedded_db (pg);
  g_autoptr(InstaSyncStore) other = NULL;
  g_autoptr(GError) error = NULL;

  other = instasync_store_connect (instasync_test_pg_get_conninfo (pg), &error);
  g_assert_no_error (error);

  instasync_embedded_db_stop (db, &error);
  g_assert_no_error (error);
  g_assert_true (instasync_embedded_db_is_running (db));
  g_assert_cmpint (PQstatus (instasync_store_get_connection (other)), ==, CONNECTION_OK);
  exec_ok (other, "SELECT 1");

  /* Once the other client is gone, stop does stop it. */
  g_clear_object (&other);
  instasync_embedded_db_stop (db, &error);
  g_assert_no_error (error);
  g_assert_false (instasync_embedded_db_is_running (db));
}

static void
test_stop_force (void)
{
  g_autoptr(InstaSyncTestPg) pg = instasync_test_pg_start_checked ();
  InstaSyncEmbeddedDb *db = instasync_test_pg_get_embedded_db (pg);
  g_autoptr(InstaSyncEmbeddedDb) second = NULL;
  g_autoptr(InstaSyncStore) other = NULL;
  g_autoptr(GError) error = NULL;
  PGresult *result;

  other = instasync_store_connect (instasync_test_pg_get_conninfo (pg), &error);
  g_assert_no_error (error);

  /* An object that did not start the server can still force it down. */
  second = instasync_embedded_db_new (instasync_embedded_db_get_cluster_dir (db));
  instasync_embedded_db_start (second, &error);
  g_assert_no_error (error);
  instasync_embedded_db_stop_force (second, &error);
  g_assert_no_error (error);
  g_assert_false (instasync_embedded_db_is_running (db));

  result = PQexec (instasync_store_get_connection (other), "SELECT 1");
  g_assert_cmpint (PQresultStatus (result), !=, PGRES_TUPLES_OK);
  PQclear (result);

  /* Stopping a stopped server is not an error. */
  instasync_embedded_db_stop_force (db, &error);
  g_assert_no_error (error);
}

static void
test_restart_keeps_data (void)
{
  g_autoptr(InstaSyncTestPg) pg = instasync_test_pg_start_checked ();
  InstaSyncEmbeddedDb *db = instasync_test_pg_get_embedded_db (pg);
  g_autoptr(InstaSyncEmbeddedDb) again = NULL;
  g_autoptr(InstaSyncStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  store = instasync_store_connect (instasync_test_pg_get_conninfo (pg), &error);
  g_assert_no_error (error);
  exec_ok (store, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
  g_clear_object (&store);

  instasync_embedded_db_stop (db, &error);
  g_assert_no_error (error);
  g_assert_false (instasync_embedded_db_is_running (db));

  again = instasync_embedded_db_new (instasync_embedded_db_get_cluster_dir (db));
  instasync_embedded_db_start (again, &error);
  g_assert_no_error (error);
  g_assert_true (instasync_embedded_db_is_running (again));

  value = query_one (instasync_embedded_db_get_conninfo (again), "SELECT v FROM kept");
  g_assert_cmpstr (value, ==, "still here");

  /* This one started it, so a plain stop stops it. */
  instasync_embedded_db_stop (again, &error);
  g_assert_no_error (error);
  g_assert_false (instasync_embedded_db_is_running (again));
}

/* The timer's instasyncctl starts the server and the app opens while it
 * runs; when the CLI exits first, with the app between two queries and so
 * without a connection, the server must stay up for the app. */
static void
test_first_user_leaving_keeps_server (void)
{
  g_autoptr(InstaSyncTestPg) pg = instasync_test_pg_start_checked ();
  InstaSyncEmbeddedDb *first = instasync_test_pg_get_embedded_db (pg);
  g_autoptr(InstaSyncEmbeddedDb) later = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  later = instasync_embedded_db_new (instasync_embedded_db_get_cluster_dir (first));
  instasync_embedded_db_start (later, &error);
  g_assert_no_error (error);

  instasync_embedded_db_stop (first, &error);
  g_assert_no_error (error);
  g_assert_true (instasync_embedded_db_is_running (later));
  value = query_one (instasync_embedded_db_get_conninfo (later), "SELECT 'still up'");
  g_assert_cmpstr (value, ==, "still up");

  /* The last user out stops it, though another one started it. */
  instasync_embedded_db_stop (later, &error);
  g_assert_no_error (error);
  g_assert_false (instasync_embedded_db_is_running (later));
}

static char *
data_dir_env (const char *data_dir)
{
  return g_strdup_printf ("INSTASYNC_DATA_DIR=%s", data_dir);
}

/* The first run of the app, a timer's instasyncctl and a second terminal at
 * the same moment, on a cluster that does not exist yet: one initdb, one
 * server, and every one of them gets its answer. */
static void
test_simultaneous_first_runs (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = instasync_test_pg_make_tmp_dir (&error);
  g_autofree char *env_dir = NULL;
  g_autofree char *cluster = NULL;
  g_autoptr(InstaSyncEmbeddedDb) db = NULL;
  GSubprocess *processes[6];
  const char *args[] = { "status", NULL };
  const char *env[2] = { NULL, NULL };

  g_assert_no_error (error);
  env_dir = data_dir_env (dir);
  env[0] = env_dir;

  for (guint i = 0; i < G_N_ELEMENTS (processes); i++)
    processes[i] = instasync_test_ctl_spawn (env, args);

  for (guint i = 0; i < G_N_ELEMENTS (processes); i++)
    {
      CtlRun run = { 0, };

      instasync_test_ctl_wait (&run, processes[i], NULL, args);
      g_assert_cmpstr (run.err, ==, "");
      g_assert_cmpint (run.status, ==, 0);
      instasync_test_ctl_clear (&run);
      g_object_unref (processes[i]);
    }

  /* The last of them stopped the server on its way out. */
  cluster = g_build_filename (dir, "postgres", NULL);
  db = instasync_embedded_db_new (cluster);
  g_assert_false (instasync_embedded_db_is_running (db));

  instasync_embedded_db_stop_force (db, &error);
  g_assert_no_error (error);
  instasync_test_pg_remove_tree (dir);
}

/* The app holds the cluster open while an instasyncctl runs and exits: the
 * app's connection survives, and the app's own stop then ends the server. */
static void
test_cli_leaves_server_to_app (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = instasync_test_pg_make_tmp_dir (&error);
  g_autofree char *env_dir = NULL;
  g_autofree char *cluster = NULL;
  g_autoptr(InstaSyncEmbeddedDb) app = NULL;
  g_autoptr(InstaSyncStore) store = NULL;
  const char *args[] = { "status", NULL };
  const char *env[2] = { NULL, NULL };
  CtlRun run = { 0, };

  g_assert_no_error (error);
  env_dir = data_dir_env (dir);
  env[0] = env_dir;

  cluster = g_build_filename (dir, "postgres", NULL);
  app = instasync_embedded_db_new (cluster);
  instasync_embedded_db_set_throwaway (app, TRUE);
  instasync_embedded_db_start (app, &error);
  g_assert_no_error (error);
  store = instasync_store_connect (instasync_embedded_db_get_conninfo (app), &error);
  g_assert_no_error (error);

  instasync_test_ctl_run (&run, env, NULL, args);
  g_assert_cmpint (run.status, ==, 0);
  instasync_test_ctl_clear (&run);

  g_assert_true (instasync_embedded_db_is_running (app));
  exec_ok (store, "SELECT 1");

  g_clear_object (&store);
  instasync_embedded_db_stop (app, &error);
  g_assert_no_error (error);
  g_assert_false (instasync_embedded_db_is_running (app));

  instasync_test_pg_remove_tree (dir);
}

static GPid
dead_pid (void)
{
  pid_t pid = fork ();
  int status;

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    _exit (0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  return pid;
}

static void
test_stale_pid_file (void)
{
  g_autoptr(InstaSyncTestPg) pg = instasync_test_pg_start_checked ();
  InstaSyncEmbeddedDb *db = instasync_test_pg_get_embedded_db (pg);
  g_autoptr(GError) error = NULL;
  g_autofree char *pid_path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *value = NULL;

  instasync_embedded_db_stop_force (db, &error);
  g_assert_no_error (error);

  /* What a power cut leaves behind: a pid file whose server is gone. */
  pid_path = g_build_filename (instasync_embedded_db_get_cluster_dir (db), "postmaster.pid", NULL);
  contents = g_strdup_printf ("%d\n%s\n1700000000\n5432\n%s\n\n  5432001  0\nready   \n",
                              (int) dead_pid (), instasync_embedded_db_get_cluster_dir (db),
                              instasync_embedded_db_get_cluster_dir (db));
  g_file_set_contents (pid_path, contents, -1, &error);
  g_assert_no_error (error);
  g_assert_false (instasync_embedded_db_is_running (db));

  instasync_embedded_db_start (db, &error);
  g_assert_no_error (error);
  g_assert_true (instasync_embedded_db_is_running (db));
  value = query_one (instasync_test_pg_get_conninfo (pg), "SELECT 'up'");
  g_assert_cmpstr (value, ==, "up");
}

static char *
pid_file_path (InstaSyncEmbeddedDb *db)
{
  return g_build_filename (instasync_embedded_db_get_cluster_dir (db), "postmaster.pid", NULL);
}

/* A postmaster.pid naming @pid, as a server of @db's cluster would leave it. */
static void
write_pid_file (InstaSyncEmbeddedDb *db,
                GPid                 pid)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = pid_file_path (db);
  const char *dir = instasync_embedded_db_get_cluster_dir (db);
  g_autofree char *contents = g_strdup_printf ("%d\n%s\n1700000000\n5432\n%s\n\n  5432001  0\nready   \n",
                                               (int) pid, dir, dir);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
assert_starts_on_stale_pid_file (InstaSyncTestPg *pg,
                                 GPid             pid)
{
  InstaSyncEmbeddedDb *db = instasync_test_pg_get_embedded_db (pg);
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  instasync_embedded_db_stop_force (db, &error);
  g_assert_no_error (error);

  write_pid_file (db, pid);
  g_assert_false (instasync_embedded_db_is_running (db));

  instasync_embedded_db_start (db, &error);
  g_assert_no_error (error);
  g_assert_true (instasync_embedded_db_is_running (db));
  value = query_one (instasync_test_pg_get_conninfo (pg), "SELECT 'up'");
  g_assert_cmpstr (value, ==, "up");
}

/* After a reboot the pid of a stale postmaster.pid may be any live process:
 * one that has nothing to do with PostgreSQL… */
static void
test_stale_pid_file_of_live_process (void)
{
  g_autoptr(InstaSyncTestPg) pg = instasync_test_pg_start_checked ();
  g_autoptr(GSubprocess) sleeper = NULL;
  g_autoptr(GError) error = NULL;
  GPid pid;

  sleeper = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "sleep", "600", NULL);
  g_assert_no_error (error);
  pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (sleeper), NULL, 10);

  assert_starts_on_stale_pid_file (pg, pid);

  /* It was not taken for a server, so nothing stopped it. */
  g_assert_cmpint (kill (pid, 0), ==, 0);
  g_subprocess_force_exit (sleeper);
  g_subprocess_wait (sleeper, NULL, NULL);
}

static GPid
running_server_pid (InstaSyncEmbeddedDb *db)
{
  g_autofree char *path = pid_file_path (db);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return (GPid) g_ascii_strtoll (contents, NULL, 10);
}

/* …or the server of another cluster, which is a PostgreSQL process but
 * neither ours nor one to wait for. */
static void
test_stale_pid_file_of_other_server (void)
{
  g_autoptr(InstaSyncTestPg) pg = instasync_test_pg_start_checked ();
  g_autoptr(InstaSyncTestPg) other = instasync_test_pg_start_checked ();
  InstaSyncEmbeddedDb *other_db = instasync_test_pg_get_embedded_db (other);
  g_autofree char *other_path = pid_file_path (other_db);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *value = NULL;

  g_assert_true (g_file_get_contents (other_path, &before, NULL, NULL));

  assert_starts_on_stale_pid_file (pg, running_server_pid (other_db));

  /* The other server and its lock file are as they were. */
  g_assert_true (g_file_get_contents (other_path, &after, NULL, NULL));
  g_assert_cmpstr (before, ==, after);
  value = query_one (instasync_test_pg_get_conninfo (other), "SELECT 'up'");
  g_assert_cmpstr (value, ==, "up");
}

/* A live server's postmaster.pid is the server's: another process that
 * cannot make sense of it (here: as it is for a moment while the server
 * creates and then fills it) leaves it alone. The server would shut down
 * without it, and a second server could start on the same files. */
static void
test_live_server_pid_file_kept (void)
{
  g_autoptr(InstaSyncTestPg) pg = instasync_test_pg_start_checked ();
  InstaSyncEmbeddedDb *db = instasync_test_pg_get_embedded_db (pg);
  g_autoptr(InstaSyncEmbeddedDb) second = NULL;
  g_autoptr(InstaSyncStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = pid_file_path (db);
  g_autofree char *contents = NULL;
  GPid server = running_server_pid (db);

  store = instasync_store_connect (instasync_test_pg_get_conninfo (pg), &error);
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_file_set_contents (path, "", 0, NULL));

  /* Whatever the second start answers, it does not take the file. */
  second = instasync_embedded_db_new (instasync_embedded_db_get_cluster_dir (db));
  instasync_embedded_db_start (second, &error);
  g_test_message ("second start: %s", error != NULL ? error->message : "ok");
  g_clear_error (&error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  g_assert_cmpint (running_server_pid (db), ==, server);
  g_assert_true (instasync_embedded_db_is_running (db));
  exec_ok (store, "SELECT 1");
}

static void
test_long_path_uses_short_socket_dir (void)
{
  g_autoptr(InstaSyncEmbeddedDb) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = instasync_test_pg_make_tmp_dir (&error);
  g_autofree char *deep = NULL;
  g_autofree char *value = NULL;
  g_autofree char *socket_dir = NULL;
  g_autoptr(GString) path = NULL;
  const char *host;

  g_assert_no_error (error);

  /* Deeper than a Unix socket path may be. */
  path = g_string_new (dir);
  while (path->len < 120)
    {
      g_string_append (path, "/a-rather-long-folder-name");
      g_assert_cmpint (g_mkdir (path->str, 0711), ==, 0);
    }
  deep = g_build_filename (path->str, "cluster", NULL);

  db = instasync_embedded_db_new (deep);
  instasync_embedded_db_set_throwaway (db, TRUE);
  instasync_embedded_db_start (db, &error);
  g_assert_no_error (error);

  /* The socket went somewhere short, outside the cluster. */
  host = strstr (instasync_embedded_db_get_conninfo (db), "host='");
  g_assert_nonnull (host);
  socket_dir = g_strndup (host + 6, strcspn (host + 6, "'"));
  g_assert_cmpuint (strlen (socket_dir), <, 90);
  g_assert_false (g_str_has_prefix (socket_dir, dir));
  g_assert_true (g_file_test (socket_dir, G_FILE_TEST_IS_DIR));

  value = query_one (instasync_embedded_db_get_conninfo (db), "SELECT current_database ()");
  g_assert_cmpstr (value, ==, "instasync");

  /* Stopping removes the socket directory it made. */
  instasync_embedded_db_stop (db, &error);
  g_assert_no_error (error);
  g_assert_false (instasync_embedded_db_is_running (db));
  g_assert_false (g_file_test (socket_dir, G_FILE_TEST_EXISTS));

  instasync_test_pg_remove_tree (dir);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

static void
test_missing_binaries (void)
{
  g_autoptr(InstaSyncEmbeddedDb) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = instasync_test_pg_make_tmp_dir (&error);
  g_autofree char *cluster = NULL;

  g_assert_no_error (error);
  cluster = g_build_filename (dir, "cluster", NULL);

  g_setenv ("INSTASYNC_PG_BINDIR", "/nonexistent/postgresql/bin", TRUE);
  db = instasync_embedded_db_new (cluster);
  g_assert_false (instasync_embedded_db_start (db, &error));
  g_unsetenv ("INSTASYNC_PG_BINDIR");

  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "initdb"));
  g_assert_null (instasync_embedded_db_get_conninfo (db));

  instasync_test_pg_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/embedded-db/start-creates-cluster", test_start_creates_cluster);
  g_test_add_func ("/embedded-db/second-object-reuses-server", test_second_object_reuses_server);
  g_test_add_func ("/embedded-db/stop-leaves-server-for-other-clients",
                   test_stop_leaves_server_for_other_clients);
  g_test_add_func ("/embedded-db/stop-force", test_stop_force);
  g_test_add_func ("/embedded-db/first-user-leaving-keeps-server",
                   test_first_user_leaving_keeps_server);
  g_test_add_func ("/embedded-db/simultaneous-first-runs", test_simultaneous_first_runs);
  g_test_add_func ("/embedded-db/cli-leaves-server-to-app", test_cli_leaves_server_to_app);
  g_test_add_func ("/embedded-db/restart-keeps-data", test_restart_keeps_data);
  g_test_add_func ("/embedded-db/stale-pid-file", test_stale_pid_file);
  g_test_add_func ("/embedded-db/stale-pid-file-of-live-process",
                   test_stale_pid_file_of_live_process);
  g_test_add_func ("/embedded-db/stale-pid-file-of-other-server",
                   test_stale_pid_file_of_other_server);
  g_test_add_func ("/embedded-db/live-server-pid-file-kept", test_live_server_pid_file_kept);
  g_test_add_func ("/embedded-db/long-path-uses-short-socket-dir",
                   test_long_path_uses_short_socket_dir);
  g_test_add_func ("/embedded-db/missing-binaries", test_missing_binaries);

  return g_test_run ();
}
