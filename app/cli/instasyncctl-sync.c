/* instasyncctl-sync.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasyncctl"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "instasync-account-resolver.h"
#include "instasync-error.h"
#include "instasync-graph-client.h"
#include "instasync-metric-catalogue.h"
#include "instasync-secrets-file.h"
#include "instasync-sync-engine.h"
#include "instasync-time.h"
#include "instasyncctl-sync.h"
#include "instasyncctl.h"

/* Test and benchmark knob: the first retry's delay. Real runs keep the
 * client's default, which respects Meta's advice. */
static void
apply_retry_policy (InstaSyncGraphClient *client)
{
  const char *value = g_getenv ("INSTASYNC_RETRY_DELAY_MS");
  guint64 ms;

  if (value != NULL && g_ascii_string_to_unsigned (value, 10, 0, 60000, &ms, NULL))
    instasync_graph_client_set_retry_policy (client, 3, (guint)ms, (guint)ms * 8);
}

static InstaSyncFetchResult *
sync_one (CtlContext                 *ctx,
          InstaSyncGraphClient       *client,
          InstaSyncAccount           *account,
          GHashTable                 *file_tokens,
          const InstaSyncSyncOptions *options,
          GError                    **error)
{
  g_autofree char *token = NULL;
  const char *key = NULL;
  InstaSyncFetchResult *result;

  if (g_strcmp0 (instasync_account_get_source (account), "database") == 0)
    {
      key = ctl_context_token_key (ctx, error);
      if (key == NULL)
        return NULL;
    }

  token = instasync_account_resolver_get_token (ctx->store, account, file_tokens, key, error);
  /* A wrong key is a configuration error for every account: stop. A missing
   * token belongs to this account alone and is reported in its result. */
  if (token == NULL && g_error_matches (*error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY))
    return NULL;
  g_clear_error (error);

  result = instasync_sync_account (client, ctx->store, account, token, options, NULL);

  if (token != NULL)
    memset (token, 0, strlen (token));
  return result;
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
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(InstaSyncGraphClient) client = NULL;
  int status = CTL_EXIT_OK;
  gboolean found = only_account == NULL;

  accounts = instasync_resolve_accounts (ctx->store, ctx->config->secrets_file,
                                         file_tokens, &error);
  if (accounts == NULL)
    return ctl_fail (ctl_status_for_error (error), "sync: %s", error->message);

  if (accounts->len == 0)
    return ctl_fail (CTL_EXIT_USAGE,
                     "sync: no accounts; add one with “instasyncctl account add”");

  /* Accounts from the database need the key: a missing one is found before
   * any account is synced. */
  if (g_strcmp0 (instasync_account_get_source (g_ptr_array_index (accounts, 0)), "database") == 0 &&
      ctl_context_token_key (ctx, &error) == NULL)
    return ctl_fail (ctl_status_for_error (error), "sync: %s", error->message);

  client = instasync_graph_client_new (ctx->config->graph_url, ctx->config->graph_version);
  apply_retry_policy (client);

  for (guint i = 0; i < accounts->len; i++)
    {
      InstaSyncAccount *account = g_ptr_array_index (accounts, i);
      InstaSyncFetchResult *result;

      if (only_account != NULL &&
          !g_str_equal (only_account, instasync_account_get_ig_user_id (account)))
        continue;
      found = TRUE;

      result = sync_one (ctx, client, account, file_tokens, options, &error);
      if (result == NULL)
        {
          /* A key that does not decrypt the tokens fails every account:
           * stop, but still report the ones already synced. */
          status = ctl_fail (ctl_status_for_error (error), "sync: %s", error->message);
          break;
        }

      if (instasync_fetch_result_get_status (result) != INSTASYNC_FETCH_STATUS_SUCCEEDED &&
          status == CTL_EXIT_OK)
        status = CTL_EXIT_PARTIAL;

      if (!json)
        {
          /* A clean run is one line; anything else shows what failed and why. */
          g_autofree char *text = instasync_fetch_result_get_status (result) ==
                                  INSTASYNC_FETCH_STATUS_SUCCEEDED
                                  ? instasync_fetch_result_to_summary (result)
                                  : instasync_fetch_result_to_details (result);

          g_print ("%s\n", g_strchomp (text));
        }
      g_ptr_array_add (results, result);
    }

  if (!found)
    return ctl_fail (CTL_EXIT_USAGE, "sync: no account %s", only_account);

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
      GDate since, until;

      instasync_sync_default_window (now, options->lookback_days, &since, &until);
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
  g_auto(GStrv) metric_list = NULL;
  gboolean json = FALSE;
  g_autoptr(GError) error = NULL;
  InstaSyncSyncOptions options;
  CtlContext ctx = { 0, };
  int status;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account, "Sync only this account", "ID" },
    { "since", 0, 0, G_OPTION_ARG_STRING, &since, "First day (Pacific time)", "YYYY-MM-DD" },
    { "until", 0, 0, G_OPTION_ARG_STRING, &until, "Last day (Pacific time)", "YYYY-MM-DD" },
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
  if (!ctl_parse_window (since, until, &options, &error))
    return ctl_fail (CTL_EXIT_USAGE, "sync: %s", error->message);

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
