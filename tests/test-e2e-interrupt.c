/* test-e2e-interrupt.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Ctrl+C during `instasyncctl sync`: the run stops at once instead of
 * waiting out its calls, says so, and exits as a partial run with its
 * results printed.
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include "graph-sim.h"
#include "instasync-test-cli.h"
#include "instasync-test-pg.h"

#define KEY "0123456789abcdef0123456789abcdef"

static void
test_sigint_stops_sync (void)
{
  g_autoptr(InstaSyncTestPg) pg = instasync_test_pg_start_checked ();
  g_autoptr(GraphSim) sim = graph_sim_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) sync = NULL;
  g_autofree char *graph_url = NULL;
  g_autofree char *data_dir = instasync_test_pg_make_tmp_dir (&error);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *ctl = g_getenv ("INSTASYNC_CTL");
  const char *add[] = { "account", "add", "--ig-user-id", "17841400000000001", "--username",
                        "demo.bakery", "--token-stdin", NULL };
  const char *env[8];
  g_autofree char *db_env = NULL;
  g_autofree char *graph_env = NULL;
  g_autofree char *dir_env = NULL;
  CtlRun run = { 0, };
  gint64 started, stopped;

  g_assert_nonnull (ctl);
  g_assert_true (graph_sim_load_demo (sim, &error));
  g_assert_true (graph_sim_start (sim, 0, &error));
  g_assert_no_error (error);
  graph_url = graph_sim_get_base_url (sim);

  db_env = g_strdup_printf ("INSTASYNC_DATABASE_URL=%s", instasync_test_pg_get_conninfo (pg));
  graph_env = g_strdup_printf ("INSTASYNC_GRAPH_URL=%s", graph_url);
  dir_env = g_strdup_printf ("INSTASYNC_DATA_DIR=%s", data_dir);
  env[0] = db_env;
  env[1] = graph_env;
  env[2] = dir_env;
  env[3] = "INSTASYNC_TOKEN_KEY=" KEY;
  env[4] = "INSTASYNC_SECRETS_FILE=/nonexistent/secrets.ini";
  env[5] = NULL;

  instasync_test_ctl_run (&run, env, "demo-token\n", add);
  g_assert_cmpint (run.status, ==, 0);
  instasync_test_ctl_clear (&run);

  /* From now on every request takes ten seconds (adding the account asked
   * the API once): a sync left alone runs for minutes. */
  graph_sim_set_latency_ms (sim, 10000);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (env[i], "=", 2);

      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }
  sync = g_subprocess_launcher_spawn (launcher, &error, ctl, "sync", NULL);
  g_assert_no_error (error);

  /* Well into its first calls. */
  g_usleep (1500 * 1000);
  started = g_get_monotonic_time ();
  g_subprocess_send_signal (sync, SIGINT);
  g_assert_true (g_subprocess_communicate_utf8 (sync, NULL, NULL, &out, &err, &error));
  stopped = g_get_monotonic_time ();
  g_assert_no_error (error);

  g_test_message ("stopped %.1f s after the signal; stderr: %s", (stopped - started) / 1e6, err);
  g_assert_true (g_subprocess_get_if_exited (sync));
  /* A partial run, not a crash or a kill. */
  g_assert_cmpint (g_subprocess_get_exit_status (sync), ==, 1);
  g_assert_nonnull (strstr (err, "stopping"));
  /* Its account's result is printed, and says it was cancelled. */
  g_assert_nonnull (strstr (out, "demo.bakery"));
  /* Not the ten seconds the call would have taken. */
  g_assert_cmpint (stopped - started, <, 8 * G_USEC_PER_SEC);

  instasync_test_pg_remove_tree (data_dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/e2e/sigint-stops-sync", test_sigint_stops_sync);

  return g_test_run ();
}
