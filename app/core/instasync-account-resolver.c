/* instasync-account-resolver.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-accounts"

#include "config.h"

#include "instasync-account-resolver.h"
#include "instasync-error.h"
#include "instasync-secrets-file.h"

GPtrArray *
instasync_resolve_accounts (InstaSyncStore  *store,
                            const char      *secrets_file,
                            GHashTable      *file_tokens,
                            GError         **error)
{
  g_autoptr(GPtrArray) accounts = NULL;

  g_return_val_if_fail (INSTASYNC_IS_STORE (store), NULL);
  g_return_val_if_fail (file_tokens != NULL, NULL);

  accounts = instasync_store_list_accounts (store, error);
  if (accounts == NULL)
    return NULL;

  if (accounts->len > 0 || secrets_file == NULL)
    return g_steal_pointer (&accounts);

  return instasync_secrets_file_load (secrets_file, file_tokens, error);
}

char *
instasync_account_resolver_get_token (InstaSyncStore    *store,
                                      InstaSyncAccount  *account,
                                      GHashTable        *file_tokens,
                                      const char        *token_key,
                                      GError           **error)
{
  const char *ig_user_id = instasync_account_get_ig_user_id (account);

  if (g_strcmp0 (instasync_account_get_source (account), "secrets-file") == 0)
    {
      const char *token = file_tokens ? g_hash_table_lookup (file_tokens, ig_user_id) : NULL;

      if (token == NULL)
        {
          g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND,
                       "The secrets file holds no token for account %s", ig_user_id);
          return NULL;
        }
      return g_strdup (token);
    }

  if (token_key == NULL)
    {
      g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY,
                           "No token encryption key is available");
      return NULL;
    }

  return instasync_store_get_token (store, ig_user_id, token_key, error);
}
