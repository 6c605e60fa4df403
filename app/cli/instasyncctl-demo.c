/* instasyncctl-demo.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasyncctl"

#include "config.h"

#include <string.h>

#include "instasync-account-discovery.h"
#include "instasync-config.h"
#include "instasync-error.h"
#include "instasync-graph-client.h"
#include "instasync-time.h"
#include "instasync-token-key.h"
#include "instasyncctl-sync.h"
#include "instasyncctl.h"

/* The simulator's built-in demo users (see tests/graph-sim/README.md). They
 * are connected the way a real user is: /me/accounts, then each account. */
static const char * const demo_tokens[] = { "demo-token", "demo-token-2", NULL };
/* The app the simulator's demo world knows. */
#define DEMO_APP_ID "100000000000001"

#define DEMO_DAYS 28

static char *
find_simulator (void)
{
  const char *path = g_getenv ("INSTASYNC_GRAPH_SIM");
  g_autofree char *installed = g_build_filename (LIBEXECDIR, "instasync-graph-sim", NULL);

  if (path != NULL && *path != '\0')
    return g_strdup (path);
  /* Run from the build tree, the simulator sits beside us there. */
  if (g_file_test (GRAPH_SIM_BUILD_PATH, G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup (GRAPH_SIM_BUILD_PATH);
  return g_steal_pointer (&installed);
}

static GSubprocess *
start_simulator (char   **base_url,
                 GError **error)
{
  g_autofree char *program = find_simulator ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) output = NULL;
  g_autofree char *line = NULL;

  /* stdin stays a pipe we hold: when this process dies, the simulator sees
   * EOF and exits instead of lingering on its port. */
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                              error, program, "--demo", "--port", "0",
                              "--exit-on-stdin-eof", NULL);
  if (process == NULL)
    {
      g_prefix_error (error, "Could not start the Graph API simulator (%s): ", program);
      return NULL;
    }

  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (output, NULL, NULL, error);
  if (line == NULL || !g_str_has_prefix (line, "GRAPH_SIM_URL="))
    {
      g_subprocess_force_exit (process);
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_FAILED,
                             "The Graph API simulator did not start");
      return NULL;
    }

  *base_url = g_strdup (line + strlen ("GRAPH_SIM_URL="));
  return g_steal_pointer (&process);
}

/* Connects every Instagram account the demo tokens can reach, through the
 * same discovery a login uses. */
static gboolean
connect_demo_accounts (CtlContext  *ctx,
                       GError     **error)
{
  g_autoptr(InstaSyncGraphClient) client =
    instasync_graph_client_new (ctx->config->graph_url, ctx->config->graph_version);
  const char *key = ctl_context_token_key (ctx, error);

  if (key == NULL)
    return FALSE;

  for (guint t = 0; demo_tokens[t] != NULL; t++)
    {
      g_autoptr(InstaSyncDiscovery) discovery = NULL;

      discovery = instasync_discover_accounts (client, demo_tokens[t], NULL, error);
      if (discovery == NULL)
        return FALSE;

      /* The demo's Page without Instagram is skipped, as in a real login. */
      for (guint i = 0; i < discovery->accounts->len; i++)
        {
          InstaSyncDiscoveredAccount *account = g_ptr_array_index (discovery->accounts, i);

          if (!instasync_store_add_account (ctx->store,
                                            instasync_discovered_account_get_ig_user_id (account),
                                            instasync_discovered_account_get_username (account),
                                            demo_tokens[t], key, error))
            return FALSE;
        }
    }

  return TRUE;
}

/* The app's executable: INSTASYNC_APP, else the one built beside this
 * program, else the one on the PATH. */
static char *
find_app (void)
{
  const char *path = g_getenv ("INSTASYNC_APP");
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);

  if (path != NULL && *path != '\0')
    return g_strdup (path);

  if (self != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self);
      g_autofree char *built = g_build_filename (dir, "..", "gui", "instasync", NULL);

      if (g_file_test (built, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&built);
    }

  return g_find_program_in_path ("instasync");
}

/* The app on the demo's simulator and database, for as long as it runs. */
static int
run_app (GError **error)
{
  g_autofree char *app = find_app ();
  const char *argv[] = { NULL, NULL };
  int wait_status = 0;

  if (app == NULL)
    {
      g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND,
                           "the app (instasync) is not built or installed");
      return CTL_EXIT_USAGE;
    }

  argv[0] = app;
  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL,
                     NULL, NULL, &wait_status, error))
    return CTL_EXIT_PARTIAL;

  return g_spawn_check_wait_status (wait_status, NULL) ? CTL_EXIT_OK : CTL_EXIT_PARTIAL;
}

int
ctl_command_demo (int    argc,
                  char **argv)
{
  g_autoptr(GSubprocess) simulator = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *data_dir = g_getenv ("INSTASYNC_DATA_DIR") && *g_getenv ("INSTASYNC_DATA_DIR")
                              ? g_strdup (g_getenv ("INSTASYNC_DATA_DIR"))
                              : instasync_config_default_data_dir ();
  g_autofree char *demo_dir = g_build_filename (data_dir, "demo", NULL);
  g_autofree char *key_file = g_build_filename (demo_dir, "token.key", NULL);
  g_autofree char *no_secrets = g_build_filename (demo_dir, "no-secrets.ini", NULL);
  CtlContext ctx = { 0, };
  int status;

  /* Everything the demo touches is its own: the simulator, a database in
   * its own directory, and a key that encrypts only demo tokens. The real
   * key and database address are dropped before any child process starts. */
  g_unsetenv ("INSTASYNC_DATABASE_URL");
  g_unsetenv ("INSTASYNC_TOKEN_KEY");
  g_setenv ("INSTASYNC_DATA_DIR", demo_dir, TRUE);
  g_setenv ("INSTASYNC_TOKEN_KEY_FILE", key_file, TRUE);
  g_setenv ("INSTASYNC_SECRETS_FILE", no_secrets, TRUE);

  simulator = start_simulator (&base_url, &error);
  if (simulator == NULL)
    return ctl_fail (CTL_EXIT_USAGE, "demo: %s", error->message);
  g_setenv ("INSTASYNC_GRAPH_URL", base_url, TRUE);
  /* The simulator's own app, so that the app's login dialog works too. */
  g_setenv ("INSTASYNC_APP_ID", DEMO_APP_ID, TRUE);

  /* On stderr, so that "--demo sync --json" and "--demo export" stay clean. */
  g_printerr ("Demo: Graph API simulator at %s, database in %s\n", base_url, demo_dir);

  if (!ctl_context_open (&ctx, &error) || !connect_demo_accounts (&ctx, &error))
    {
      status = ctl_fail (ctl_status_for_error (error), "demo: %s", error->message);
    }
  else if (argc > 1)
    {
      /* instasyncctl --demo status, --demo export …: the same commands,
       * against the demo's simulator and database. */
      ctl_context_close (&ctx);
      if (g_str_equal (argv[1], "sync"))
        status = ctl_command_sync (argc - 1, argv + 1);
      else if (g_str_equal (argv[1], "status"))
        status = ctl_command_status (argc - 1, argv + 1);
      else if (g_str_equal (argv[1], "export"))
        status = ctl_command_export (argc - 1, argv + 1);
      else if (g_str_equal (argv[1], "account"))
        status = ctl_command_account (argc - 1, argv + 1);
      else if (g_str_equal (argv[1], "app"))
        {
          status = run_app (&error);
          if (error != NULL)
            status = ctl_fail (status, "demo app: %s", error->message);
        }
      else
        status = ctl_fail (CTL_EXIT_USAGE, "demo: unknown command “%s”", argv[1]);
    }
  else
    {
      InstaSyncSyncOptions options;
      g_autofree char *metric_list = g_strjoinv (", ", ctx.config->metrics);
      /* From the environment. */
      g_autofree char *metric_names = instasync_text_make_inert (metric_list, CTL_MESSAGE_MAX_CHARS);
      GDate today;

      instasync_sync_options_init (&options);
      instasync_pacific_date_at (g_get_real_time () / G_USEC_PER_SEC, &today);
      options.until = today;
      g_date_subtract_days (&options.until, 1);
      options.since = options.until;
      g_date_subtract_days (&options.since, DEMO_DAYS - 1);
      options.metrics = (const char **)ctx.config->metrics;

      g_printerr ("Syncing the last %d days of %s …\n", DEMO_DAYS, metric_names);
      status = ctl_run_sync (&ctx, NULL, &options, FALSE);
    }

  ctl_context_close (&ctx);
  g_subprocess_force_exit (simulator);
  g_subprocess_wait (simulator, NULL, NULL);
  return status;
}
