/* instasyncctl-sync.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasyncctl"

#include "config.h"

#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>

#include "instasync-account-resolver.h"
#include "instasync-error.h"
#include "instasync-graph-client.h"
#include "instasync-metric-catalogue.h"
#include "instasync-secret.h"
#include "instasync-secrets-file.h"
#include "instasync-sync-engine.h"
#include "instasync-sync-pool.h"
#include "instasync-time.h"
#include "instasync-token-manager.h"
#include "instasyncctl-sync.h"
#include "instasyncctl.h"

/* INSTASYNC_CONNECTIONS: how many accounts sync at once, which is also
 * the number of connections to the Graph API and to PostgreSQL. */
static guint
connection_limit (void)
{
  const char *value = g_getenv ("INSTASYNC_CONNECTIONS");
  guint64 connections;

  if (value != NULL && g_ascii_string_to_unsigned (value, 10, 1, 256, &connections, NULL))
    return (guint)connections;
  return INSTASYNC_DEFAULT_CONNECTIONS;
}

/* Test knob: the first retry's delay. Real runs keep the default, which
 * follows Meta's advice. */
static void
apply_retry_policy (InstaSyncSyncPool *pool)
{
  const char *value = g_getenv ("INSTASYNC_RETRY_DELAY_MS");
  guint64 ms;

  if (value != NULL && g_ascii_string_to_unsigned (value, 10, 0, 60000, &ms, NULL))
    instasync_sync_pool_set_retry_policy (pool, 3, (guint)ms);
}

/* The job for one account. A token that cannot be read (none stored, or
 * none in the secrets file) becomes that account's failure; a key that does
 * not decrypt it is everybody's, and returns NULL. */
static InstaSyncSyncJob *
job_for (CtlContext        *ctx,
         InstaSyncAccount  *account,
         GHashTable        *file_tokens,
         GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(InstaSyncSecret) token = NULL;
  InstaSyncSyncJob *job;

  token = instasync_account_resolver_get_token (ctx->store, account, file_tokens,
                                                ctx->token_key, &local_error);
  if (token == NULL && g_error_matches (local_error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  job = instasync_sync_job_new (account, token);
  return job;
}

static void
print_results (GPtrArray *results)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(JsonArray) array = json_array_new ();

  for (guint i = 0; i < results->len; i++)
    json_array_add_element (array, instasync_fetch_result_to_json (g_ptr_array_index (results, i)));
  json_node_set_array (root, array);
  ctl_print_json (root);
}

/* Ctrl+C (or a service manager's SIGTERM) ends a sync cleanly: calls and
 * waits stop, what was fetched is written, the cursors stay honest. The
 * pool runs in a thread while the main loop waits for the signals. */
typedef struct
{
  InstaSyncSyncPool          *pool;
  GPtrArray                  *jobs;
  const InstaSyncSyncOptions *options;
  GCancellable               *cancellable;
  GPtrArray                  *results;
  gboolean                    done;
} PoolRun;

static gpointer
pool_thread (gpointer data)
{
  PoolRun *run = data;

  run->results = instasync_sync_pool_run (run->pool, run->jobs, run->options, run->cancellable);
  g_atomic_int_set (&run->done, TRUE);
  g_main_context_wakeup (NULL);
  return NULL;
}

static gboolean
on_stop_signal_cb (gpointer data)
{
  PoolRun *run = data;

  if (!g_cancellable_is_cancelled (run->cancellable))
    g_printerr ("instasyncctl: stopping; what was fetched is being written\n");
  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_CONTINUE;
}

static GPtrArray *
run_pool_until_done_or_stopped (InstaSyncSyncPool          *pool,
                                GPtrArray                  *jobs,
                                const InstaSyncSyncOptions *options)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  PoolRun run = { pool, jobs, options, cancellable, NULL, FALSE };
  guint interrupt = g_unix_signal_add (SIGINT, on_stop_signal_cb, &run);
  guint terminate = g_unix_signal_add (SIGTERM, on_stop_signal_cb, &run);
  GThread *thread = g_thread_new ("sync", pool_thread, &run);

  while (!g_atomic_int_get (&run.done))
    g_main_context_iteration (NULL, TRUE);

  g_thread_join (thread);
  g_source_remove (interrupt);
  g_source_remove (terminate);
  return run.results;
}

int
ctl_run_sync (CtlContext                 *ctx,
              const char                 *only_account,
              const InstaSyncSyncOptions *options,
              gboolean                    json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) file_tokens = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                             g_free, g_free);
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify)instasync_sync_job_free);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(InstaSyncSyncPool) pool = NULL;
  g_autoptr(InstaSyncTokenManager) manager = NULL;
  int status = CTL_EXIT_OK;

  accounts = instasync_resolve_accounts (ctx->store, ctx->config->secrets_file,
                                         file_tokens, &error);
  if (accounts == NULL)
    return ctl_fail (ctl_status_for_error (error), "sync: %s", error->message);

  if (accounts->len == 0)
    return ctl_fail (CTL_EXIT_USAGE,
                     "sync: no accounts; add one with “instasyncctl account add”");

  /* Accounts from the database need the key: a missing or wrong one is
   * found before any account is synced. */
  if (g_strcmp0 (instasync_account_get_source (g_ptr_array_index (accounts, 0)), "database") == 0 &&
      ctl_context_token_key (ctx, &error) == NULL)
    return ctl_fail (ctl_status_for_error (error), "sync: %s", error->message);

  for (guint i = 0; i < accounts->len; i++)
    {
      InstaSyncAccount *account = g_ptr_array_index (accounts, i);
      InstaSyncSyncJob *job;

      if (only_account != NULL &&
          !g_str_equal (only_account, instasync_account_get_ig_user_id (account)))
        continue;

      job = job_for (ctx, account, file_tokens, &error);
      if (job == NULL)
        return ctl_fail (ctl_status_for_error (error), "sync: %s", error->message);
      g_ptr_array_add (jobs, job);
    }

  if (jobs->len == 0)
    return ctl_fail (CTL_EXIT_USAGE, "sync: no account %s", only_account);

  pool = instasync_sync_pool_new (ctx->config->graph_url, ctx->config->graph_version,
                                  ctx->conninfo, connection_limit ());
  apply_retry_policy (pool);

  /* Tokens are checked, and refreshed when the App Secret allows, before
   * each account's sync; with the secret every call carries its proof. */
  manager = instasync_token_manager_new (ctx->config->app_id, ctx->config->app_secret,
                                         ctx->config->token_refresh_days);
  instasync_token_manager_set_token_key (manager, ctx->token_key);
  instasync_sync_pool_set_token_manager (pool, manager);

  results = run_pool_until_done_or_stopped (pool, jobs, options);

  for (guint i = 0; i < results->len; i++)
    {
      InstaSyncFetchResult *result = g_ptr_array_index (results, i);
      gboolean succeeded =
        instasync_fetch_result_get_status (result) == INSTASYNC_FETCH_STATUS_SUCCEEDED;
      /* An expiring token is no failure, but the person has to act. */
      gboolean token_news =
        instasync_fetch_result_get_token_status (result) >= INSTASYNC_TOKEN_STATUS_EXPIRING;

      if (!succeeded)
        status = CTL_EXIT_PARTIAL;

      if (!json)
        {
          /* A clean run is one line; anything else shows what failed and why. */
          g_autofree char *text = succeeded && !token_news
                                    ? instasync_fetch_result_to_summary (result)
                                    : instasync_fetch_result_to_details (result);
          /* Its lines are ours, but they quote the API and the database. */
          g_autofree char *inert = instasync_text_make_inert_full (g_strchomp (text), -1,
                                                                   INSTASYNC_INERT_NO_LIMIT,
                                                                   INSTASYNC_INERT_KEEP_NEWLINES);

          g_print ("%s\n", inert);
        }
    }

  if (json)
    print_results (results);

  return status;
}

gboolean
ctl_parse_window (const char            *since_text,
                  const char            *until_text,
                  InstaSyncSyncOptions  *options,
                  GError               **error)
{
  gint64 now = options->now != 0 ? options->now : g_get_real_time () / G_USEC_PER_SEC;

  if (since_text == NULL && until_text == NULL)
    return TRUE;

  if (since_text != NULL && !instasync_parse_date (since_text, &options->since, error))
    return FALSE;
  if (until_text != NULL && !instasync_parse_date (until_text, &options->until, error))
    return FALSE;

  /* One end alone: the other is the default window's. */
  if (!g_date_valid (&options->since) || !g_date_valid (&options->until))
    {
      g_autoptr(GTimeZone) pacific = instasync_pacific_timezone ();
      GDate since, until;

      /* Before any account is looked at: the days the API is seen to use. */
      instasync_sync_default_window (pacific, now, options->lookback_days, &since, &until);
      if (!g_date_valid (&options->since))
        options->since = g_date_compare (&until, &options->until) < 0 ? until : options->until;
      if (!g_date_valid (&options->until))
        options->until = g_date_compare (&options->since, &until) > 0 ? options->since : until;
    }

  return instasync_sync_check_window (&options->since, &options->until, now, error);
}

int
ctl_command_sync (int    argc,
                  char **argv)
{
  g_autofree char *account = NULL;
  g_autofree char *since = NULL;
  g_autofree char *until = NULL;
  g_autofree char *metrics = NULL;
  g_autofree char *backfill_from = NULL;
  g_auto(GStrv) metric_list = NULL;
  gboolean json = FALSE;
  g_autoptr(GError) error = NULL;
  InstaSyncSyncOptions options;
  /* The default run also stores the 7- and 28-day totals of reach and
   * accounts engaged, which no sum of days can give. */
  static const guint period_days[] = { 7, 28, 0 };
  CtlContext ctx = { 0, };
  int status;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account, "Sync only this account", "ID" },
    { "since", 0, 0, G_OPTION_ARG_STRING, &since, "First day (of the account's own days)", "YYYY-MM-DD" },
    { "until", 0, 0, G_OPTION_ARG_STRING, &until, "Last day (of the account's own days)", "YYYY-MM-DD" },
    { "backfill-from", 0, 0, G_OPTION_ARG_STRING, &backfill_from,
      "Fetch history from this day to yesterday, newest first (two years at most)", "YYYY-MM-DD" },
    { "metrics", 0, 0, G_OPTION_ARG_STRING, &metrics, "Metrics to sync, comma separated", "LIST" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the results as a JSON array", NULL },
    { NULL }
  };

  if (!ctl_parse_options ("sync", "- sync insights into PostgreSQL", entries, &argc, &argv))
    return CTL_EXIT_USAGE;

  if (account != NULL && !instasync_check_ig_user_id (account, &error))
    return ctl_fail (CTL_EXIT_USAGE, "sync: --account: %s", error->message);

  instasync_sync_options_init (&options);
  {
    /* The lookback fills in a missing end of the window, so read it first. */
    g_autoptr(InstaSyncConfig) config = instasync_config_new_from_env (&error);

    if (config == NULL)
      return ctl_fail (CTL_EXIT_USAGE, "%s", error->message);
    options.lookback_days = config->lookback_days;
  }
  if (backfill_from != NULL)
    {
      GDate today;

      if (since != NULL || until != NULL)
        return ctl_fail (CTL_EXIT_USAGE, "sync: --backfill-from goes without --since and --until");

      instasync_pacific_date_at (g_get_real_time () / G_USEC_PER_SEC, &today);
      g_date_subtract_days (&today, 1);
      until = instasync_format_date (&today);
      since = g_steal_pointer (&backfill_from);
    }

  if (!ctl_parse_window (since, until, &options, &error))
    return ctl_fail (CTL_EXIT_USAGE, "sync: %s", error->message);

  if (since == NULL && until == NULL)
    options.period_days = period_days;

  if (metrics != NULL)
    {
      metric_list = instasync_metric_catalogue_parse_list (metrics, &error);
      if (metric_list == NULL)
        return ctl_fail (CTL_EXIT_USAGE, "sync: --metrics: %s", error->message);
    }

  if (!ctl_context_open (&ctx, &error))
    {
      status = ctl_fail (ctl_status_for_error (error), "%s", error->message);
      ctl_context_close (&ctx);
      return status;
    }

  options.metrics = (const char **)(metric_list != NULL ? metric_list : ctx.config->metrics);
  status = ctl_run_sync (&ctx, account, &options, json);

  ctl_context_close (&ctx);
  return status;
}
