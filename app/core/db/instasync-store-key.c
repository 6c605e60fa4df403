/* instasync-store-key.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-store"

#include "config.h"

#include <glib/gi18n.h>

#include "instasync-error.h"
#include "instasync-pg-util.h"
#include "instasync-store-private.h"
#include "instasync-token-cipher.h"
#include "instasync-token-key.h"

/* The token key as the database knows it: the check value of the key this
 * role seals with, recorded the first time it sealed a token, and the
 * tokens an earlier version stored through pgcrypto, sealed anew once a key
 * that opens them is loaded. */

static void
set_mismatch_error (GError **error)
{
  g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY,
                       _("The token key does not match the stored tokens: use the key they "
                         "were stored with (INSTASYNC_TOKEN_KEY, INSTASYNC_TOKEN_KEY_FILE or "
                         "the keyring), or remove and add the accounts again"));
}

/* The recorded check value, NULL when none is; FALSE on a database error. */
static gboolean
read_check_value (InstaSyncStore  *self,
                  GBytes         **check_value,
                  gboolean        *has_tokens,
                  GError         **error)
{
  PGconn *conn = instasync_store_get_connection (self);
  g_autoptr(PGresult) result = NULL;

  result = PQexec (conn,
                   "SELECT (SELECT check_value FROM token_key_check "
                   "        WHERE role_oid = to_regrole (quote_ident (session_user))::oid), "
                   "  EXISTS (SELECT FROM user_tokens)");
  if (!instasync_pg_check_result (conn, result, PGRES_TUPLES_OK,
                                  N_("reading the token key check"), NULL, error))
    return FALSE;

  *check_value = NULL;
  if (!PQgetisnull (result, 0, 0))
    {
      size_t length = 0;
      unsigned char *raw = PQunescapeBytea ((const unsigned char *)PQgetvalue (result, 0, 0),
                                            &length);

      if (raw != NULL)
        {
          *check_value = g_bytes_new (raw, length);
          PQfreemem (raw);
        }
    }
  if (has_tokens != NULL)
    *has_tokens = g_str_equal (PQgetvalue (result, 0, 1), "t");
  return TRUE;
}

static gboolean
check_value_matches (GBytes     *check_value,
                     const char *token_key)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (check_value, &length);

  return instasync_token_key_check_matches (token_key, data, length);
}

gboolean
instasync_store_pin_token_key (InstaSyncStore  *self,
                               const char      *token_key,
                               GError         **error)
{
  PGconn *conn = instasync_store_get_connection (self);
  g_autoptr(GBytes) check = instasync_token_key_check (token_key);
  g_autoptr(GBytes) recorded = NULL;
  g_autoptr(PGresult) result = NULL;
  const char *params[1] = { g_bytes_get_data (check, NULL) };
  const int lengths[1] = { (int) g_bytes_get_size (check) };
  const int formats[1] = { 1 };

  /* Of two first writers at once the second waits on the primary key and
   * then finds the first one's value, which it checks like any other. */
  result = PQexecParams (conn,
                         "INSERT INTO token_key_check (check_value) VALUES ($1) "
                         "ON CONFLICT (role_oid) DO NOTHING",
                         1, NULL, params, lengths, formats, 0);
  if (!instasync_pg_check_result (conn, result, PGRES_COMMAND_OK,
                                  N_("recording the token key check"), NULL, error) ||
      !read_check_value (self, &recorded, NULL, error))
    return FALSE;

  if (recorded == NULL || !check_value_matches (recorded, token_key))
    {
      set_mismatch_error (error);
      return FALSE;
    }

  return TRUE;
}

gboolean
instasync_store_token_key_differs (InstaSyncStore  *self,
                                   const char      *token_key,
                                   GError         **error)
{
  g_autoptr(GBytes) recorded = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!read_check_value (self, &recorded, NULL, &local_error))
    {
      g_debug ("%s", local_error->message);
      return FALSE;
    }

  if (recorded == NULL || check_value_matches (recorded, token_key))
    return FALSE;

  set_mismatch_error (error);
  return TRUE;
}

/* Seals every visible token still stored the pgcrypto way. When no check
 * value is recorded the key must prove itself: the first of those tokens,
 * or else a sealed one, must open. */
static gboolean
seal_legacy_tokens (InstaSyncStore  *self,
                    const char      *token_key,
                    gboolean         key_proven,
                    GError         **error)
{
  PGconn *conn = instasync_store_get_connection (self);
  g_autoptr(PGresult) result = NULL;

  result = PQexec (conn, "SELECT ig_user_id FROM user_tokens WHERE token_sealed IS NULL "
                         "ORDER BY ig_user_id");
  if (!instasync_pg_check_result (conn, result, PGRES_TUPLES_OK,
                                  N_("reading the access tokens"), NULL, error))
    return FALSE;

  for (int i = 0; i < PQntuples (result); i++)
    {
      const char *ig_user_id = PQgetvalue (result, i, 0);
      g_autoptr(InstaSyncSecret) token = NULL;
      g_autoptr(GError) local_error = NULL;

      /* Reading a token seals it in place. */
      token = instasync_store_get_token (self, ig_user_id, token_key, &local_error);
      if (token != NULL)
        {
          key_proven = TRUE;
          continue;
        }

      if (!key_proven && g_error_matches (local_error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY))
        {
          set_mismatch_error (error);
          return FALSE;
        }

      /* Tokens stored under several keys (each process used to bring its
       * own): this one stays as it is and fails on its own when used. */
      g_warning ("The token of account %s stays as an earlier version stored it: %s",
                 ig_user_id, local_error->message);
    }

  if (!key_proven)
    {
      /* No check value of this role yet (a worker that never sealed one):
       * the key must open a token it can see before it is recorded. */
      g_autoptr(PGresult) sealed = PQexec (conn, "SELECT ig_user_id FROM user_tokens "
                                                 "WHERE token_sealed IS NOT NULL LIMIT 1");
      g_autoptr(InstaSyncSecret) token = NULL;
      g_autoptr(GError) local_error = NULL;

      if (!instasync_pg_check_result (conn, sealed, PGRES_TUPLES_OK,
                                      N_("reading the access tokens"), NULL, error))
        return FALSE;
      if (PQntuples (sealed) == 1)
        {
          token = instasync_store_get_token (self, PQgetvalue (sealed, 0, 0), token_key,
                                             &local_error);
          if (token == NULL &&
              g_error_matches (local_error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY))
            {
              set_mismatch_error (error);
              return FALSE;
            }
        }
    }

  return TRUE;
}

InstaSyncSecret *
instasync_store_load_token_key (InstaSyncStore  *self,
                                GError         **error)
{
  g_autoptr(InstaSyncSecret) key = NULL;
  g_autoptr(GBytes) check_value = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean has_tokens = FALSE;

  g_return_val_if_fail (INSTASYNC_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!instasync_store_ensure_connected (self, error) ||
      !read_check_value (self, &check_value, &has_tokens, error))
    return NULL;

  /* A key made now could open none of the stored tokens, and once made it
   * would be found first by every later process: so none is made while
   * tokens or a check value exist. */
  if (check_value != NULL || has_tokens)
    key = instasync_token_key_load_existing (NULL, &local_error);
  else
    key = instasync_token_key_load (&local_error);

  if (key == NULL)
    {
      if (g_error_matches (local_error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND))
        g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY,
                             _("The database holds tokens, but no token key was found: set "
                               "INSTASYNC_TOKEN_KEY or INSTASYNC_TOKEN_KEY_FILE to the key "
                               "they were stored with, or run where the keyring that holds it "
                               "is reachable. No new key is made while tokens exist."));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (check_value != NULL && !check_value_matches (check_value, key))
    {
      set_mismatch_error (error);
      return NULL;
    }

  if (has_tokens && !seal_legacy_tokens (self, key, check_value != NULL, error))
    return NULL;

  /* Tokens of an earlier version that the key opened: from now on it is
   * recorded like any other. */
  if (check_value == NULL && has_tokens)
    {
      PGconn *conn = instasync_store_get_connection (self);

      if (!instasync_pg_exec_command (conn, "BEGIN", N_("recording the token key check"), error))
        return NULL;
      if (!instasync_store_pin_token_key (self, key, error) ||
          !instasync_pg_exec_command (conn, "COMMIT", N_("recording the token key check"), error))
        {
          instasync_pg_rollback (conn);
          return NULL;
        }
    }

  return g_steal_pointer (&key);
}
