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

#include "instasync-secrets-file.h"
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
  g_autofree char *token = NULL;
  g_autoptr(GError) error = NULL;
  CtlContext ctx = { 0, };
  const char *key;
  int status = CTL_EXIT_OK;
  const GOptionEntry entries[] = {
    { "ig-user-id", 0, 0, G_OPTION_ARG_STRING, &ig_user_id, "Instagram user id", "ID" },
    { "username", 0, 0, G_OPTION_ARG_STRING, &username, "Instagram username", "NAME" },
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
      (key = ctl_context_token_key (&ctx, &error)) == NULL ||
      !instasync_store_add_account (ctx.store, ig_user_id, username, token, key, &error))
    status = ctl_fail (ctl_status_for_error (error), "account add: %s", error->message);
  else
    g_print ("Added account %s%s%s%s\n", ig_user_id,
             username ? " (" : "", username ? username : "", username ? ")" : "");

  memset (token, 0, strlen (token));
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
          const char *name = instasync_account_get_username (account);

          g_print ("%-20s %-24s %s\n", instasync_account_get_ig_user_id (account),
                   name ? name : "—", instasync_account_get_status (account));
        }
    }

  ctl_context_close (&ctx);
  return status;
}

static int
account_remove (int    argc,
                char **argv)
{
  g_autoptr(GError) error = NULL;
  CtlContext ctx = { 0, };
  int status = CTL_EXIT_OK;

  if (argc != 2)
    return ctl_fail (CTL_EXIT_USAGE, "usage: instasyncctl account remove ID");
  if (!instasync_check_ig_user_id (argv[1], &error))
    return ctl_fail (CTL_EXIT_USAGE, "account remove: %s", error->message);

  if (!ctl_context_open (&ctx, &error) ||
      !instasync_store_remove_account (ctx.store, argv[1], &error))
    status = ctl_fail (ctl_status_for_error (error), "account remove: %s", error->message);
  else
    g_print ("Removed account %s; its insights stay in instagram_insights\n", argv[1]);

  ctl_context_close (&ctx);
  return status;
}

int
ctl_command_account (int    argc,
                     char **argv)
{
  if (argc < 2)
    return ctl_fail (CTL_EXIT_USAGE, "usage: instasyncctl account add|list|remove …");

  if (g_str_equal (argv[1], "add"))
    return account_add (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "list"))
    return account_list (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "remove"))
    return account_remove (argc - 1, argv + 1);

  return ctl_fail (CTL_EXIT_USAGE, "account: unknown command “%s”", argv[1]);
}
