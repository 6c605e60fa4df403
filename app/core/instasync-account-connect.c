/* instasync-account-connect.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-connect"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "instasync-account-connect.h"
#include "instasync-error.h"
#include "instasync-graph-error.h"
#include "instasync-graph-tokens.h"
#include "instasync-redact.h"

gboolean
instasync_connect_verify_account (InstaSyncGraphClient  *client,
                                  const char            *ig_user_id,
                                  const char            *token,
                                  GCancellable          *cancellable,
                                  char                 **username,
                                  GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *reason = NULL;
  InstaSyncErrorAction action;

  g_return_val_if_fail (INSTASYNC_IS_GRAPH_CLIENT (client), FALSE);
  g_return_val_if_fail (ig_user_id != NULL, FALSE);
  g_return_val_if_fail (token != NULL, FALSE);

  if (instasync_graph_client_get_ig_user (client, ig_user_id, token, cancellable, username,
                                          &local_error))
    return TRUE;

  instasync_error_redact (local_error, token);

  /* Asking again later may work: that is not the token's fault. */
  action = instasync_error_classify (local_error);
  if ((local_error->domain != INSTASYNC_GRAPH_ERROR &&
       !g_error_matches (local_error, INSTASYNC_ERROR, INSTASYNC_ERROR_UNEXPECTED_SHAPE)) ||
      action == INSTASYNC_ERROR_ACTION_RETRY || action == INSTASYNC_ERROR_ACTION_BACK_OFF)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("Checking the access token against Instagram account %s: "),
                                  ig_user_id);
      return FALSE;
    }

  /* Typically 100/33 (no such object, or not for this token) or 190. */
  reason = instasync_quote_untrusted (local_error->message);
  g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_PERMITTED,
               _("The access token does not reach Instagram account %s, so nothing was "
                 "stored (the Graph API said: %s)"), ig_user_id, reason);
  return FALSE;
}

gboolean
instasync_connect_store_accounts (InstaSyncStore             *store,
                                  InstaSyncGraphClient       *client,
                                  const char                 *token_key,
                                  GPtrArray                  *accounts,
                                  const InstaSyncOAuthGrant  *grant,
                                  GCancellable               *cancellable,
                                  GError                    **error)
{
  g_autofree InstaSyncNewAccount *rows = NULL;

  g_return_val_if_fail (INSTASYNC_IS_STORE (store), FALSE);
  g_return_val_if_fail (INSTASYNC_IS_GRAPH_CLIENT (client), FALSE);
  g_return_val_if_fail (accounts != NULL, FALSE);
  g_return_val_if_fail (grant != NULL && grant->access_token != NULL, FALSE);

  rows = g_new0 (InstaSyncNewAccount, accounts->len);
  for (guint i = 0; i < accounts->len; i++)
    {
      InstaSyncDiscoveredAccount *account = g_ptr_array_index (accounts, i);

      rows[i].ig_user_id = instasync_discovered_account_get_ig_user_id (account);
      rows[i].username = instasync_discovered_account_get_username (account);
      rows[i].page_id = instasync_discovered_account_get_page_id (account);

      /* Whatever listed the accounts, each is stored only once the token
       * has been seen to reach it. */
      if (!instasync_connect_verify_account (client, rows[i].ig_user_id, grant->access_token,
                                             cancellable, NULL, error))
        return FALSE;
    }

  /* Unknown stays unknown (NULL): the token manager asks debug_token
   * later. Both conventions use -1 for it and 0 for "never". All accounts
   * and the token's expiry go in one transaction: a failure on any of them
   * stores none. */
  G_STATIC_ASSERT (INSTASYNC_OAUTH_EXPIRY_UNKNOWN == INSTASYNC_TOKEN_EXPIRY_UNKNOWN);
  return instasync_store_add_accounts (store, rows, accounts->len, grant->access_token,
                                       grant->expires_at, grant->data_access_expires_at,
                                       token_key, error);
}

InstaSyncOAuthGrant *
instasync_connect_check_token (InstaSyncGraphClient   *client,
                               const InstaSyncConfig  *config,
                               const char             *token,
                               GCancellable           *cancellable,
                               GError                **error)
{
  g_autoptr(InstaSyncTokenInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *trimmed = NULL;
  InstaSyncOAuthGrant *grant;

  g_return_val_if_fail (INSTASYNC_IS_GRAPH_CLIENT (client), NULL);
  g_return_val_if_fail (config != NULL, NULL);

  trimmed = g_strstrip (g_strdup (token != NULL ? token : ""));
  if (*trimmed == '\0' || strpbrk (trimmed, " \t\r\n&?#=") != NULL)
    {
      g_set_error_literal (error, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_MALFORMED,
                           _("That does not look like an access token: paste the token alone"));
      return NULL;
    }

  /* As the app when its secret is there; else the token asks about itself,
   * which Meta allows for a user's own token. */
  info = instasync_graph_client_debug_token (client, trimmed,
                                             config->app_secret != NULL ? config->app_id : NULL,
                                             config->app_secret, cancellable, &local_error);
  if (info == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (!info->is_valid)
    {
      g_set_error (error, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_FAILED,
                   _("Meta does not accept this token: %s"),
                   info->error_message != NULL ? info->error_message : _("it is not valid"));
      return NULL;
    }

  if (config->app_id != NULL && info->app_id != NULL && !g_str_equal (config->app_id, info->app_id))
    {
      g_set_error_literal (error, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_WRONG_APP,
                           _("This token belongs to another Meta app than the one configured"));
      return NULL;
    }

  grant = g_new0 (InstaSyncOAuthGrant, 1);
  grant->access_token = g_steal_pointer (&trimmed);
  instasync_redact_register (grant->access_token);
  grant->long_lived = info->expires_at == 0 || info->expires_at > g_get_real_time () / G_USEC_PER_SEC + 86400;
  grant->expires_at = info->expires_at;
  grant->data_access_expires_at = info->data_access_expires_at != 0
    ? info->data_access_expires_at : INSTASYNC_OAUTH_EXPIRY_UNKNOWN;
  return grant;
}
