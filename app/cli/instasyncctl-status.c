/* instasyncctl-status.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasyncctl"

#include "config.h"

#include <json-glib/json-glib.h>

#include "instasync-account-resolver.h"
#include "instasync-error.h"
#include "instasyncctl.h"

typedef struct
{
  InstaSyncAccount      *account;
  InstaSyncSyncLogEntry *last;    /* NULL when never synced */
} AccountStatus;

static char *
describe_expiry (InstaSyncAccount *account,
                 gint64            now)
{
  gint64 expires_at = instasync_account_get_token_expires_at (account);
  gint64 days;

  if (instasync_account_get_token_never_expires (account))
    return g_strdup ("never");
  if (expires_at == 0)
    return g_strdup ("unknown");
  if (expires_at <= now)
    return g_strdup ("expired");

  days = (expires_at - now) / (24 * 3600);
  return g_strdup_printf ("in %" G_GINT64_FORMAT " day%s", days, days == 1 ? "" : "s");
}

static char *
describe_last_sync (InstaSyncSyncLogEntry *last,
                    gint64                 now)
{
  gint64 minutes;

  if (last == NULL)
    return g_strdup ("never");

  minutes = MAX (0, now - last->finished_at / G_USEC_PER_SEC) / 60;
  if (minutes < 60)
    return g_strdup_printf ("%s, %" G_GINT64_FORMAT " min ago", last->status, minutes);
  if (minutes < 48 * 60)
    return g_strdup_printf ("%s, %" G_GINT64_FORMAT " h ago", last->status, minutes / 60);
  return g_strdup_printf ("%s, %" G_GINT64_FORMAT " days ago", last->status, minutes / 1440);
}

static JsonNode *
statuses_to_json (GArray *statuses)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < statuses->len; i++)
    {
      AccountStatus *status = &g_array_index (statuses, AccountStatus, i);
      InstaSyncAccount *account = status->account;

      json_builder_begin_object (builder);
      ctl_json_add_account_members (builder, account);
      /* token_expires_at is null for "never" and for "unknown" alike. */
      json_builder_set_member_name (builder, "token_never_expires");
      json_builder_add_boolean_value (builder, instasync_account_get_token_never_expires (account));
      ctl_json_add_time (builder, "data_access_expires_at",
                         instasync_account_get_data_access_expires_at (account));
      json_builder_set_member_name (builder, "status_reason");
      if (instasync_account_get_status_reason (account) != NULL)
        json_builder_add_string_value (builder, instasync_account_get_status_reason (account));
      else
        json_builder_add_null_value (builder);

      json_builder_set_member_name (builder, "last_sync");
      if (status->last != NULL)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "status");
          json_builder_add_string_value (builder, status->last->status);
          ctl_json_add_time (builder, "finished_at", status->last->finished_at / G_USEC_PER_SEC);
          json_builder_set_member_name (builder, "rows_inserted");
          json_builder_add_int_value (builder, status->last->rows_inserted);
          json_builder_set_member_name (builder, "rows_updated");
          json_builder_add_int_value (builder, status->last->rows_updated);
          json_builder_set_member_name (builder, "rows_unchanged");
          json_builder_add_int_value (builder, status->last->rows_unchanged);
          json_builder_set_member_name (builder, "summary");
          json_builder_add_string_value (builder, status->last->summary);
          json_builder_end_object (builder);
        }
      else
        {
          json_builder_add_null_value (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  return json_builder_get_root (builder);
}

static void
clear_status (gpointer data)
{
  AccountStatus *status = data;

  g_clear_pointer (&status->last, instasync_sync_log_entry_free);
}

int
ctl_command_status (int    argc,
                    char **argv)
{
  gboolean json = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GHashTable) file_tokens = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                             g_free, g_free);
  g_autoptr(GArray) statuses = g_array_new (FALSE, TRUE, sizeof (AccountStatus));
  CtlContext ctx = { 0, };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  int status = CTL_EXIT_OK;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { NULL }
  };

  if (!ctl_parse_options ("status", "- show accounts, their last sync and token expiry", entries, &argc, &argv))
    return CTL_EXIT_USAGE;

  g_array_set_clear_func (statuses, clear_status);

  if (!ctl_context_open (&ctx, &error) ||
      (accounts = instasync_resolve_accounts (ctx.store, ctx.config->secrets_file,
                                              file_tokens, &error)) == NULL)
    {
      status = ctl_fail (ctl_status_for_error (error), "status: %s", error->message);
      ctl_context_close (&ctx);
      return status;
    }

  for (guint i = 0; i < accounts->len; i++)
    {
      AccountStatus entry = { g_ptr_array_index (accounts, i), NULL };
      g_autoptr(GPtrArray) logs = NULL;

      logs = instasync_store_list_sync_logs (ctx.store,
                                             instasync_account_get_ig_user_id (entry.account),
                                             1, &error);
      if (logs == NULL)
        {
          status = ctl_fail (ctl_status_for_error (error), "status: %s", error->message);
          ctl_context_close (&ctx);
          return status;
        }
      if (logs->len > 0)
        entry.last = g_ptr_array_steal_index (logs, 0);
      g_array_append_val (statuses, entry);
    }

  if (json)
    {
      g_autoptr(JsonNode) root = statuses_to_json (statuses);
      ctl_print_json (root);
    }
  else if (statuses->len == 0)
    {
      g_print ("No accounts. Add one with “instasyncctl account add”.\n");
    }
  else
    {
      g_print ("%-20s %-20s %-16s %-28s %s\n",
               "IG USER ID", "USERNAME", "STATUS", "LAST SYNC", "TOKEN EXPIRES");
      for (guint i = 0; i < statuses->len; i++)
        {
          AccountStatus *entry = &g_array_index (statuses, AccountStatus, i);
          /* Everything in a row comes from the database. */
          g_autofree char *id = ctl_inert (instasync_account_get_ig_user_id (entry->account), NULL);
          g_autofree char *name = ctl_inert (instasync_account_get_username (entry->account), "—");
          g_autofree char *account_status = ctl_inert (instasync_account_get_status (entry->account),
                                                       NULL);
          g_autofree char *last_text = describe_last_sync (entry->last, now);
          g_autofree char *last = ctl_inert (last_text, NULL);
          g_autofree char *expiry = describe_expiry (entry->account, now);
          const char *reason = instasync_account_get_status_reason (entry->account);

          g_print ("%-20s %-20s %-16s %-28s %s\n", id, name, account_status, last, expiry);
          /* What the token manager found, and what to do about it. */
          if (reason != NULL)
            {
              /* The reason may quote the API: no terminal control from it. */
              g_autofree char *safe = instasync_text_make_inert (reason, CTL_MESSAGE_MAX_CHARS);

              g_print ("  ↳ %s\n", safe);
            }
        }
    }

  ctl_context_close (&ctx);
  return status;
}
