/* instasync-secrets-file.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-secrets"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "instasync-account.h"
#include "instasync-error.h"
#include "instasync-redact.h"
#include "instasync-secrets-file.h"

#define GROUP_PREFIX "account "

gboolean
instasync_check_ig_user_id (const char  *ig_user_id,
                            GError     **error)
{
  gsize length = ig_user_id != NULL ? strlen (ig_user_id) : 0;

  if (length == 0 || length > 32)
    goto invalid;

  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isdigit (ig_user_id[i]))
      goto invalid;

  return TRUE;

invalid:
  g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_INVALID_ARGUMENT,
                       _("An Instagram user id is a number of up to 32 digits"));
  return FALSE;
}

GPtrArray *
instasync_secrets_file_load (const char  *path,
                             GHashTable  *tokens,
                             GError     **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) groups = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (tokens != NULL, NULL);

  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&accounts);

      /* GKeyFile quotes the offending line, which may hold a token: say
       * only what kind of problem it is. */
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFIG,
                   _("The secrets file %s cannot be read: %s"), path,
                   local_error->domain == G_KEY_FILE_ERROR
                   ? _("it is not a valid key file (groups like [account ID] with "
                       "access_token=... lines)")
                   : local_error->message);
      return NULL;
    }

  groups = g_key_file_get_groups (key_file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      const char *ig_user_id;
      g_autofree char *username = NULL;
      g_autofree char *token = NULL;
      InstaSyncAccount *account;

      if (!g_str_has_prefix (groups[i], GROUP_PREFIX))
        continue;

      ig_user_id = groups[i] + strlen (GROUP_PREFIX);
      if (!instasync_check_ig_user_id (ig_user_id, &local_error))
        {
          g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFIG,
                       _("The secrets file %s: group [%s]: %s"), path, groups[i],
                       local_error->message);
          return NULL;
        }

      token = g_key_file_get_string (key_file, groups[i], "access_token", NULL);
      if (token != NULL)
        instasync_redact_register (g_strstrip (token));
      if (token == NULL || *token == '\0')
        {
          g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFIG,
                       _("The secrets file %s: group [%s] has no access_token"), path, groups[i]);
          return NULL;
        }

      username = g_key_file_get_string (key_file, groups[i], "username", NULL);
      account = instasync_account_new (ig_user_id);
      instasync_account_set_username (account, username);
      instasync_account_set_source (account, "secrets-file");
      g_ptr_array_add (accounts, account);
      g_hash_table_replace (tokens, g_strdup (ig_user_id), g_steal_pointer (&token));
    }

  return g_steal_pointer (&accounts);
}
