/* instasyncctl-account.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasyncctl"

#include "config.h"

#include <gio/gunixinputstream.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "instasync-account-connect.h"
#include "instasync-account-discovery.h"
#include "instasync-error.h"
#include "instasync-redact.h"
#include "instasync-oauth.h"
#include "instasync-secret.h"
#include "instasync-secrets-file.h"
#include "instasync-time.h"
#include "instasyncctl.h"

/* Reads the token from standard input so that it never appears in the
 * process list or the shell history. */
static char *
read_token_from_stdin (GError **error)
{
  g_autoptr(GInputStream) input = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  g_autoptr(GDataInputStream) data = g_data_input_stream_new (input);
  g_autofree char *line = NULL;
  gsize length = 0;

  line = g_data_input_stream_read_line_utf8 (data, &length, NULL, error);
  if (line == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                             "no token on standard input");
      return NULL;
    }

  g_strstrip (line);
  instasync_redact_register (line);
  if (*line == '\0')
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           "the token on standard input is empty");
      return NULL;
    }

  for (const char *p = line; *p != '\0'; p++)
    if (g_ascii_iscntrl (*p) || *p == ' ')
      {
        g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                             "the token on standard input contains spaces or control characters");
        return NULL;
      }

  return g_steal_pointer (&line);
}

static int
account_add (int    argc,
             char **argv)
{
  g_autofree char *ig_user_id = NULL;
  g_autofree char *username = NULL;
  gboolean token_stdin = FALSE;
  g_autoptr(InstaSyncSecret) token = NULL;
  g_autoptr(InstaSyncGraphClient) client = NULL;
  g_autofree char *api_username = NULL;
  g_autoptr(GError) error = NULL;
  CtlContext ctx = { 0, };
  const char *key;
  int status = CTL_EXIT_OK;
  const GOptionEntry entries[] = {
    { "ig-user-id", 0, 0, G_OPTION_ARG_STRING, &ig_user_id, "Instagram user id", "ID" },
    { "username", 0, 0, G_OPTION_ARG_STRING, &username,
      "Instagram username (default: the one the API gives)", "NAME" },
    { "token-stdin", 0, 0, G_OPTION_ARG_NONE, &token_stdin,
      "Read the access token from standard input", NULL },
    { NULL }
  };

  if (!ctl_parse_options ("account add", "- add an Instagram account", entries, &argc, &argv))
    return CTL_EXIT_USAGE;
  if (ig_user_id == NULL)
    return ctl_fail (CTL_EXIT_USAGE, "account add: --ig-user-id is required");
  if (!token_stdin)
    return ctl_fail (CTL_EXIT_USAGE,
                     "account add: --token-stdin is required (tokens are never taken "
                     "from the command line)");
  if (!instasync_check_ig_user_id (ig_user_id, &error))
    return ctl_fail (CTL_EXIT_USAGE, "account add: %s", error->message);

  token = read_token_from_stdin (&error);
  if (token == NULL)
    return ctl_fail (CTL_EXIT_USAGE, "account add: %s", error->message);

  if (!ctl_context_open (&ctx, &error) ||
      (key = ctl_context_token_key (&ctx, &error)) == NULL)
    {
      status = ctl_fail (ctl_status_for_error (error), "account add: %s", error->message);
      goto out;
    }

  /* The token has to reach the account before anything is stored: a row
   * claims the id, and with it the right to sync it. */
  client = instasync_graph_client_new (ctx.config->graph_url, ctx.config->graph_version);
  instasync_graph_client_set_app_secret (client, ctx.config->app_secret);
  if (!instasync_connect_verify_account (client, ig_user_id, token, NULL, &api_username, &error))
    {
      status = ctl_fail (ctl_status_for_error (error), "account add: %s", error->message);
      goto out;
    }
  if (username == NULL)
    username = g_steal_pointer (&api_username);

  if (!instasync_store_add_account (ctx.store, ig_user_id, username, token, key, &error))
    status = ctl_fail (ctl_status_for_error (error), "account add: %s", error->message);
  else
    {
      g_autofree char *name = ctl_inert (username, NULL);

      g_print ("Added account %s%s%s%s\n", ig_user_id,
               username ? " (" : "", username ? name : "", username ? ")" : "");
    }

out:
  ctl_context_close (&ctx);
  return status;
}

static JsonNode *
accounts_to_json (GPtrArray *accounts)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < accounts->len; i++)
    {
      InstaSyncAccount *account = g_ptr_array_index (accounts, i);

      json_builder_begin_object (builder);
      ctl_json_add_account_members (builder, account);
      ctl_json_add_time (builder, "last_synced_at", instasync_account_get_last_synced_at (account));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  return json_builder_get_root (builder);
}

static int
account_list (int    argc,
              char **argv)
{
  gboolean json = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  CtlContext ctx = { 0, };
  int status = CTL_EXIT_OK;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { NULL }
  };

  if (!ctl_parse_options ("account list", "- list the accounts", entries, &argc, &argv))
    return CTL_EXIT_USAGE;

  if (!ctl_context_open (&ctx, &error) ||
      (accounts = instasync_store_list_accounts (ctx.store, &error)) == NULL)
    {
      status = ctl_fail (ctl_status_for_error (error), "account list: %s", error->message);
    }
  else if (json)
    {
      g_autoptr(JsonNode) root = accounts_to_json (accounts);
      ctl_print_json (root);
    }
  else if (accounts->len == 0)
    {
      g_print ("No accounts. Add one with “instasyncctl account add”.\n");
    }
  else
    {
      g_print ("%-20s %-24s %s\n", "IG USER ID", "USERNAME", "STATUS");
      for (guint i = 0; i < accounts->len; i++)
        {
          InstaSyncAccount *account = g_ptr_array_index (accounts, i);
          /* Whatever wrote the database, a row is only text. */
          g_autofree char *id = ctl_inert (instasync_account_get_ig_user_id (account), NULL);
          g_autofree char *name = ctl_inert (instasync_account_get_username (account), "—");
          g_autofree char *account_status = ctl_inert (instasync_account_get_status (account), NULL);

          g_print ("%-20s %-24s %s\n", id, name, account_status);
        }
    }

  ctl_context_close (&ctx);
  return status;
}

static int
account_remove (int    argc,
                char **argv)
{
  gboolean delete_data = FALSE;
  gboolean usable = TRUE;
  const char *ig_user_id = NULL;
  g_autoptr(GError) error = NULL;
  CtlContext ctx = { 0, };
  int status = CTL_EXIT_OK;

  /* One id and one flag, in either order: GOption would take the id for a
   * stray word. */
  for (int i = 1; i < argc && usable; i++)
    {
      if (g_str_equal (argv[i], "--delete-data"))
        delete_data = TRUE;
      else if (ig_user_id == NULL && argv[i][0] != '-')
        ig_user_id = argv[i];
      else
        usable = FALSE;
    }
  if (!usable || ig_user_id == NULL)
    return ctl_fail (CTL_EXIT_USAGE, "usage: instasyncctl account remove ID [--delete-data]");
  if (!instasync_check_ig_user_id (ig_user_id, &error))
    return ctl_fail (CTL_EXIT_USAGE, "account remove: %s", error->message);

  if (!ctl_context_open (&ctx, &error) ||
      !instasync_store_remove_account (ctx.store, ig_user_id, delete_data, &error))
    status = ctl_fail (ctl_status_for_error (error), "account remove: %s", error->message);
  else if (delete_data)
    g_print ("Removed account %s and its insights, sync logs and cursors\n", ig_user_id);
  else
    g_print ("Removed account %s; its insights stay in instagram_insights, yours alone\n",
             ig_user_id);

  ctl_context_close (&ctx);
  return status;
}

/* The address the browser ended on, pasted back. Refused when it is not
 * text: it is parsed as a URL next, and must not reach a terminal raw. */
static char *
read_redirect_from_stdin (GError **error)
{
  g_autoptr(GInputStream) input = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  g_autoptr(GDataInputStream) data = g_data_input_stream_new (input);
  g_autoptr(GError) local_error = NULL;
  char *line;

  line = g_data_input_stream_read_line_utf8 (data, NULL, NULL, &local_error);
  if (line == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           local_error != NULL
                             ? "standard input is not text"
                             : "no address on standard input: paste the address the browser "
                               "shows after logging in");
      return NULL;
    }

  return line;
}

static int
status_for_connect_error (const GError *error)
{
  if (error->domain == INSTASYNC_OAUTH_ERROR)
    {
      /* A paste that is not the redirect is bad input; a code without the
       * secret is configuration. The person's own "no" is a failure. */
      if (error->code == INSTASYNC_OAUTH_ERROR_MALFORMED ||
          error->code == INSTASYNC_OAUTH_ERROR_NO_SECRET)
        return CTL_EXIT_USAGE;
      return CTL_EXIT_PARTIAL;
    }

  return ctl_status_for_error (error);
}

static char *
format_expiry (gint64 expires_at)
{
  g_autoptr(GDateTime) when = NULL;

  if (expires_at == INSTASYNC_OAUTH_EXPIRY_UNKNOWN)
    return g_strdup ("unknown");
  if (expires_at == 0)
    return g_strdup ("never");
  when = g_date_time_new_from_unix_utc (expires_at);
  return when != NULL ? g_date_time_format (when, "%Y-%m-%d %H:%M UTC") : g_strdup ("unknown");
}

static void
add_string_member (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
print_connected_json (InstaSyncDiscovery        *discovery,
                      const InstaSyncOAuthGrant *grant)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "accounts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < discovery->accounts->len; i++)
    {
      InstaSyncDiscoveredAccount *account = g_ptr_array_index (discovery->accounts, i);
      gint64 followers = instasync_discovered_account_get_followers_count (account);

      json_builder_begin_object (builder);
      add_string_member (builder, "ig_user_id", instasync_discovered_account_get_ig_user_id (account));
      add_string_member (builder, "username", instasync_discovered_account_get_username (account));
      add_string_member (builder, "name", instasync_discovered_account_get_name (account));
      json_builder_set_member_name (builder, "followers_count");
      if (followers >= 0)
        json_builder_add_int_value (builder, followers);
      else
        json_builder_add_null_value (builder);
      add_string_member (builder, "page_id", instasync_discovered_account_get_page_id (account));
      add_string_member (builder, "page_name", instasync_discovered_account_get_page_name (account));
      if (grant->expires_at == INSTASYNC_OAUTH_EXPIRY_UNKNOWN)
        {
          json_builder_set_member_name (builder, "token_expires_at");
          json_builder_add_null_value (builder);
        }
      else
        {
          ctl_json_add_time (builder, "token_expires_at", grant->expires_at);
        }
      json_builder_set_member_name (builder, "token_long_lived");
      json_builder_add_boolean_value (builder, grant->long_lived);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "skipped");
  json_builder_begin_array (builder);
  for (guint i = 0; i < discovery->skipped->len; i++)
    {
      InstaSyncSkippedPage *page = g_ptr_array_index (discovery->skipped, i);

      json_builder_begin_object (builder);
      add_string_member (builder, "page_id", page->page_id);
      add_string_member (builder, "page_name", page->page_name);
      add_string_member (builder, "reason", page->reason);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  ctl_print_json (root);
}

static int
account_connect (int    argc,
                 char **argv)
{
  gboolean use_code = FALSE;
  gboolean json = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncOAuthFlow) flow = NULL;
  g_autoptr(InstaSyncGraphClient) client = NULL;
  g_autoptr(InstaSyncOAuthGrant) grant = NULL;
  g_autoptr(InstaSyncDiscovery) discovery = NULL;
  g_autofree char *dialog_url = NULL;
  g_autoptr(InstaSyncSecret) redirect = NULL;
  g_autofree char *expiry = NULL;
  CtlContext ctx = { 0, };
  const char *key;
  int status = CTL_EXIT_OK;
  const GOptionEntry entries[] = {
    { "code", 0, 0, G_OPTION_ARG_NONE, &use_code,
      "Use the code flow (needs INSTASYNC_APP_SECRET)", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { NULL }
  };

  if (!ctl_parse_options ("account connect",
                          "- connect Instagram accounts by logging in with Facebook",
                          entries, &argc, &argv))
    return CTL_EXIT_USAGE;

  /* Everything that can fail without the person goes first: nobody should
   * log in only to hear that the database is down. */
  if (!ctl_context_open (&ctx, &error) ||
      (key = ctl_context_token_key (&ctx, &error)) == NULL ||
      (flow = instasync_oauth_flow_new_from_config (ctx.config,
                                                    use_code ? INSTASYNC_OAUTH_RESPONSE_CODE
                                                             : INSTASYNC_OAUTH_RESPONSE_TOKEN,
                                                    &error)) == NULL)
    {
      status = ctl_fail (ctl_status_for_error (error), "account connect: %s", error->message);
      goto out;
    }

  dialog_url = instasync_oauth_flow_build_dialog_url (flow);
  {
    /* Both come from the environment; the dialog's address is escaped
     * already, and stays whole. */
    g_autofree char *shown_dialog = instasync_text_make_inert (dialog_url, INSTASYNC_INERT_NO_LIMIT);
    g_autofree char *shown_redirect =
      instasync_text_make_inert (instasync_oauth_flow_get_redirect_uri (flow),
                                 CTL_MESSAGE_MAX_CHARS);

    /* The conversation goes to stderr so that --json output stays clean. */
    g_printerr ("Open this address in a web browser and log in with Facebook:\n\n"
                "  %s\n\n"
                "Facebook then sends the browser to %s, a nearly blank page.\n"
                "Copy the whole address from the address bar, paste it here and press Enter:\n",
                shown_dialog, shown_redirect);
  }

  redirect = read_redirect_from_stdin (&error);
  if (redirect == NULL)
    {
      status = ctl_fail (CTL_EXIT_USAGE, "account connect: %s", error->message);
      goto out;
    }

  client = instasync_graph_client_new (ctx.config->graph_url, ctx.config->graph_version);
  /* An app may require appsecret_proof on every call made with a token. */
  instasync_graph_client_set_app_secret (client, ctx.config->app_secret);
  grant = instasync_oauth_flow_complete (flow, client, redirect, NULL, &error);
  instasync_secret_clear (&redirect);
  if (grant == NULL)
    {
      status = ctl_fail (status_for_connect_error (error), "account connect: %s", error->message);
      goto out;
    }

  discovery = instasync_discover_accounts (client, grant->access_token, NULL, &error);
  if (discovery == NULL)
    {
      status = ctl_fail (ctl_status_for_error (error), "account connect: %s", error->message);
      goto out;
    }

  if (discovery->accounts->len == 0)
    {
      for (guint i = 0; i < discovery->skipped->len; i++)
        {
          InstaSyncSkippedPage *page = g_ptr_array_index (discovery->skipped, i);
          g_autofree char *reason = instasync_text_make_inert (page->reason, CTL_MESSAGE_MAX_CHARS);

          g_printerr ("%s\n", reason);
        }
      status = ctl_fail (CTL_EXIT_PARTIAL,
                         "account connect: this login reaches no Instagram professional account%s",
                         discovery->skipped->len == 0
                           ? ". Facebook listed no Page: make sure you manage a Page linked to "
                             "an Instagram business or creator account, and select it (and its "
                             "Business portfolio) in the login"
                           : "");
      goto out;
    }

  if (!instasync_connect_store_accounts (ctx.store, client, key, discovery->accounts, grant, NULL,
                                         &error))
    {
      status = ctl_fail (ctl_status_for_error (error), "account connect: %s", error->message);
      goto out;
    }

  if (!grant->long_lived)
    g_printerr ("Warning: Facebook gave a short-lived token that expires within hours. Set "
                "INSTASYNC_APP_SECRET so that InstaSync can exchange it for a long-lived one, "
                "then connect again.\n");

  expiry = format_expiry (grant->expires_at);
  if (json)
    {
      print_connected_json (discovery, grant);
    }
  else
    {
      for (guint i = 0; i < discovery->accounts->len; i++)
        {
          InstaSyncDiscoveredAccount *account = g_ptr_array_index (discovery->accounts, i);
          /* All three are the API's words. */
          g_autofree char *username = ctl_inert (instasync_discovered_account_get_username (account),
                                                 "—");
          g_autofree char *id = ctl_inert (instasync_discovered_account_get_ig_user_id (account), NULL);
          g_autofree char *page = ctl_inert (instasync_discovered_account_get_page_name (account),
                                             instasync_discovered_account_get_page_id (account));

          g_print ("Connected %s (%s) through Page “%s”; token expires: %s\n",
                   username, id, page, expiry);
        }
      for (guint i = 0; i < discovery->skipped->len; i++)
        {
          InstaSyncSkippedPage *skipped = g_ptr_array_index (discovery->skipped, i);
          g_autofree char *reason = instasync_text_make_inert (skipped->reason,
                                                               CTL_MESSAGE_MAX_CHARS);

          g_print ("Skipped: %s\n", reason);
        }
    }

out:
  ctl_context_close (&ctx);
  return status;
}

int
ctl_command_account (int    argc,
                     char **argv)
{
  if (argc < 2)
    return ctl_fail (CTL_EXIT_USAGE, "usage: instasyncctl account add|connect|list|remove …");

  if (g_str_equal (argv[1], "add"))
    return account_add (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "connect"))
    return account_connect (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "list"))
    return account_list (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "remove"))
    return account_remove (argc - 1, argv + 1);

  return ctl_fail (CTL_EXIT_USAGE, "account: unknown command “%s”", argv[1]);
}
