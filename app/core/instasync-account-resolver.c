/* instasync-account-resolver.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-accounts"

#include "config.h"

#include <glib/gi18n.h>

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
  g_autoptr(GHashTable) tokens = NULL;
  g_autoptr(GError) local_error = NULL;
  GHashTableIter iter;
  gpointer ig_user_id;
  gpointer token;

  g_return_val_if_fail (INSTASYNC_IS_STORE (store), NULL);
  g_return_val_if_fail (file_tokens != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  accounts = instasync_store_list_accounts (store, &local_error);
  if (accounts == NULL)
    {
      /* Falling back here would sync development accounts because the real
       * database is down or refuses this role, into that same database. */
      if (secrets_file != NULL)
        g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE,
                     _("The accounts could not be read from the database, and the secrets "
                       "file %s was not used in its place: it stands in only for a database "
                       "that holds no account. %s"), secrets_file, local_error->message);
      else
        g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE,
                     _("The accounts could not be read from the database, and there is no "
                       "secrets file to fall back on. %s"), local_error->message);
      return NULL;
    }

  if (accounts->len > 0 || secrets_file == NULL)
    return g_steal_pointer (&accounts);

  g_debug ("The database holds no account; reading the secrets file %s", secrets_file);
  g_clear_pointer (&accounts, g_ptr_array_unref);

  /* Tokens reach @file_tokens only from a file that was read completely. */
  tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  accounts = instasync_secrets_file_load (secrets_file, tokens, &local_error);
  if (accounts == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("The database holds no account, so the fallback to "
                                    "the secrets file was tried. "));
      return NULL;
    }

  g_hash_table_iter_init (&iter, tokens);
  while (g_hash_table_iter_next (&iter, &ig_user_id, &token))
    {
      g_hash_table_replace (file_tokens, ig_user_id, token);
      g_hash_table_iter_steal (&iter);
    }

  return g_steal_pointer (&accounts);
}

char *
instasync_account_resolver_get_token (InstaSyncStore    *store,
                                      InstaSyncAccount  *account,
                                      GHashTable        *file_tokens,
                                      const char        *token_key,
                                      GError           **error)
{
  const char *ig_user_id;

  g_return_val_if_fail (INSTASYNC_IS_STORE (store), NULL);
  g_return_val_if_fail (INSTASYNC_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ig_user_id = instasync_account_get_ig_user_id (account);

  if (g_strcmp0 (instasync_account_get_source (account), "secrets-file") == 0)
    {
      const char *token = file_tokens ? g_hash_table_lookup (file_tokens, ig_user_id) : NULL;

      if (token == NULL)
        {
          g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND,
                       _("The secrets file holds no token for account %s"), ig_user_id);
          return NULL;
        }
      return g_strdup (token);
    }

  if (token_key == NULL)
    {
      g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY,
                           _("No token encryption key is available"));
      return NULL;
    }

  return instasync_store_get_token (store, ig_user_id, token_key, error);
}
