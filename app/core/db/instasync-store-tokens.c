/* instasync-store-tokens.c
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

/* The stored tokens: read, expiry, rotation. Tokens are encrypted with
 * pgcrypto under a key that is a statement parameter and never stored; it
 * and the tokens are passed as the "secret" of every error so that the
 * server can never echo them into a message. */

/* pgcrypto reports a wrong key as an external routine exception. */
#define SQLSTATE_EXTERNAL_ROUTINE_EXCEPTION "39000"

/* Auxiliary */

static gboolean
check_key (const char  *token_key,
           GError     **error)
{
  if (token_key != NULL && *token_key != '\0')
    return TRUE;

  /* Never a plaintext fallback: without a key there is no token. */
  g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY,
                       _("No token encryption key is set"));
  return FALSE;
}

static gboolean
is_wrong_key (const PGresult *result)
{
  return PQresultStatus (result) == PGRES_FATAL_ERROR &&
         g_str_equal (instasync_pg_sqlstate (result), SQLSTATE_EXTERNAL_ROUTINE_EXCEPTION);
}

static void
set_wrong_key_error (GError     **error,
                     const char  *ig_user_id)
{
  /* pgcrypto's "Wrong key or corrupt data": in practice a different key than
   * the one the token was stored with. */
  g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY,
               _("The token encryption key does not match the one the token of "
                 "account %s was stored with"), ig_user_id);
}

static gint64
expiry_value (const PGresult *result,
              int             row,
              int             column)
{
  const char *text;

  if (PQgetisnull (result, row, column))
    return INSTASYNC_TOKEN_EXPIRY_UNKNOWN;

  text = PQgetvalue (result, row, column);
  if (g_str_equal (text, "infinity"))
    return 0;
  return g_ascii_strtoll (text, NULL, 10);
}

/* Public API */

char *
instasync_store_expiry_param (gint64 seconds)
{
  if (seconds < 0)
    return NULL;
  if (seconds == 0)
    return g_strdup ("infinity");
  return g_strdup_printf ("%" G_GINT64_FORMAT, seconds);
}

char *
instasync_store_get_token (InstaSyncStore  *self,
                           const char      *ig_user_id,
                           const char      *token_key,
                           GError         **error)
{
  const char *params[2] = { ig_user_id, token_key };
  g_autoptr(PGresult) result = NULL;
  PGconn *conn;

  g_return_val_if_fail (INSTASYNC_IS_STORE (self), NULL);
  g_return_val_if_fail (ig_user_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_key (token_key, error) ||
      !instasync_store_ensure_connected (self, error))
    return NULL;

  conn = instasync_store_get_connection (self);
  result = PQexecParams (conn,
                         "SELECT pgp_sym_decrypt (token_encrypted, $2) "
                         "FROM user_tokens WHERE ig_user_id = $1",
                         2, NULL, params, NULL, NULL, 0);

  if (is_wrong_key (result))
    {
      set_wrong_key_error (error, ig_user_id);
      return NULL;
    }

  if (!instasync_pg_check_result (conn, result, PGRES_TUPLES_OK,
                                  N_("reading the access token"), token_key, error))
    return NULL;

  if (PQntuples (result) == 0)
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND,
                   _("There is no access token for account %s"), ig_user_id);
      return NULL;
    }

  return g_strdup (PQgetvalue (result, 0, 0));
}

/* Runs an UPDATE of one account's token row ($1 is the account), and says
 * clearly when there is no such row. */
static gboolean
update_token_row (InstaSyncStore      *self,
                  const char          *sql,
                  int                  n_params,
                  const char * const  *params,
                  GError             **error)
{
  g_autoptr(PGresult) result = NULL;
  PGconn *conn;

  if (!instasync_store_ensure_connected (self, error))
    return FALSE;

  conn = instasync_store_get_connection (self);
  result = PQexecParams (conn, sql, n_params, NULL, params, NULL, NULL, 0);
  if (!instasync_pg_check_result (conn, result, PGRES_COMMAND_OK,
                                  N_("recording the token expiry"), NULL, error))
    return FALSE;

  if (g_strcmp0 (PQcmdTuples (result), "0") == 0)
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND,
                   _("There is no access token for account %s"), params[0]);
      return FALSE;
    }

  return TRUE;
}

gboolean
instasync_store_set_token_expires_at (InstaSyncStore  *self,
                                      const char      *ig_user_id,
                                      gint64           expires_at,
                                      GError         **error)
{
  g_autofree char *expires = NULL;
  const char *params[2];

  g_return_val_if_fail (INSTASYNC_IS_STORE (self), FALSE);
  g_return_val_if_fail (ig_user_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  expires = instasync_store_expiry_param (expires_at);
  params[0] = ig_user_id;
  params[1] = expires;

  return update_token_row (self,
                           "UPDATE user_tokens SET "
                           "  expires_at = " INSTASYNC_STORE_EXPIRY_SQL ("2") ", "
                           "  updated_at = now () WHERE ig_user_id = $1",
                           2, params, error);
}

gboolean
instasync_store_set_token_expiry (InstaSyncStore  *self,
                                  const char      *ig_user_id,
                                  gint64           expires_at,
                                  gint64           data_access_expires_at,
                                  GError         **error)
{
  g_autofree char *expires = NULL;
  g_autofree char *data_access = NULL;
  const char *params[3];

  g_return_val_if_fail (INSTASYNC_IS_STORE (self), FALSE);
  g_return_val_if_fail (ig_user_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  expires = instasync_store_expiry_param (expires_at);
  data_access = instasync_store_expiry_param (data_access_expires_at);
  params[0] = ig_user_id;
  params[1] = expires;
  params[2] = data_access;

  return update_token_row (self,
                           "UPDATE user_tokens SET "
                           "  expires_at = " INSTASYNC_STORE_EXPIRY_SQL ("2") ", "
                           "  data_access_expires_at = " INSTASYNC_STORE_EXPIRY_SQL ("3") ", "
                           "  updated_at = now () WHERE ig_user_id = $1",
                           3, params, error);
}

gboolean
instasync_store_set_token_expiry_if_current (InstaSyncStore  *self,
                                             const char      *ig_user_id,
                                             const char      *token,
                                             gint64           expires_at,
                                             gint64           data_access_expires_at,
                                             const char      *token_key,
                                             GError         **error)
{
  g_autofree char *expires = NULL;
  g_autofree char *data_access = NULL;
  const char *params[5];
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  PGconn *conn;

  g_return_val_if_fail (INSTASYNC_IS_STORE (self), FALSE);
  g_return_val_if_fail (ig_user_id != NULL, FALSE);
  g_return_val_if_fail (token != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_key (token_key, error) ||
      !instasync_store_ensure_connected (self, error))
    return FALSE;

  expires = instasync_store_expiry_param (expires_at);
  data_access = instasync_store_expiry_param (data_access_expires_at);
  params[0] = ig_user_id;
  params[1] = token;
  params[2] = expires;
  params[3] = data_access;
  params[4] = token_key;

  /* The expiry belongs to the token it was learned for: the row changes
   * only while it still holds that token. A rotation committed first makes
   * this update find the new token (PostgreSQL re-checks the condition on
   * the row the rotation wrote) and change nothing. The second count tells
   * a replaced token from a missing one. */
  conn = instasync_store_get_connection (self);
  result = PQexecParams (conn,
                         "WITH updated AS ("
                         "  UPDATE user_tokens SET "
                         "    expires_at = " INSTASYNC_STORE_EXPIRY_SQL ("3") ", "
                         "    data_access_expires_at = " INSTASYNC_STORE_EXPIRY_SQL ("4") ", "
                         "    updated_at = now () "
                         "  WHERE ig_user_id = $1 AND pgp_sym_decrypt (token_encrypted, $5) = $2 "
                         "  RETURNING ig_user_id) "
                         "SELECT (SELECT count (*) FROM updated), "
                         "  (SELECT count (*) FROM user_tokens WHERE ig_user_id = $1)",
                         5, NULL, params, NULL, NULL, 0);

  if (is_wrong_key (result))
    {
      set_wrong_key_error (error, ig_user_id);
      return FALSE;
    }

  if (!instasync_pg_check_result (conn, result, PGRES_TUPLES_OK,
                                  N_("recording the token expiry"), token_key, &local_error))
    {
      instasync_error_redact (local_error, token);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (PQntuples (result) != 1)
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_VERIFY,
                   _("The database did not confirm the token expiry of account %s"), ig_user_id);
      return FALSE;
    }

  if (g_str_equal (PQgetvalue (result, 0, 1), "0"))
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND,
                   _("There is no access token for account %s"), ig_user_id);
      return FALSE;
    }

  if (g_str_equal (PQgetvalue (result, 0, 0), "0"))
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFLICT,
                   _("The stored access token of account %s changed since its expiry was "
                     "learned"), ig_user_id);
      return FALSE;
    }

  return TRUE;
}

gboolean
instasync_store_get_token_expiry (InstaSyncStore  *self,
                                  const char      *ig_user_id,
                                  gint64          *expires_at,
                                  gint64          *data_access_expires_at,
                                  GError         **error)
{
  const char *params[1] = { ig_user_id };
  g_autoptr(PGresult) result = NULL;
  PGconn *conn;

  g_return_val_if_fail (INSTASYNC_IS_STORE (self), FALSE);
  g_return_val_if_fail (ig_user_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!instasync_store_ensure_connected (self, error))
    return FALSE;

  conn = instasync_store_get_connection (self);
  result = PQexecParams (conn,
                         "SELECT CASE WHEN isfinite (expires_at) "
                         "    THEN floor (extract (epoch FROM expires_at))::bigint::text "
                         "    ELSE expires_at::text END, "
                         "  CASE WHEN isfinite (data_access_expires_at) "
                         "    THEN floor (extract (epoch FROM data_access_expires_at))::bigint::text "
                         "    ELSE data_access_expires_at::text END "
                         "FROM user_tokens WHERE ig_user_id = $1",
                         1, NULL, params, NULL, NULL, 0);
  if (!instasync_pg_check_result (conn, result, PGRES_TUPLES_OK,
                                  N_("reading the token expiry"), NULL, error))
    return FALSE;

  if (PQntuples (result) == 0)
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND,
                   _("There is no access token for account %s"), ig_user_id);
      return FALSE;
    }

  if (expires_at != NULL)
    *expires_at = expiry_value (result, 0, 0);
  if (data_access_expires_at != NULL)
    *data_access_expires_at = expiry_value (result, 0, 1);
  return TRUE;
}

gboolean
instasync_store_rotate_token (InstaSyncStore  *self,
                              const char      *ig_user_id,
                              const char      *old_token,
                              const char      *new_token,
                              gint64           expires_at,
                              const char      *token_key,
                              GError         **error)
{
  g_autofree char *expires = NULL;
  const char *params[5];
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  PGconn *conn;

  g_return_val_if_fail (INSTASYNC_IS_STORE (self), FALSE);
  g_return_val_if_fail (ig_user_id != NULL, FALSE);
  g_return_val_if_fail (old_token != NULL, FALSE);
  g_return_val_if_fail (new_token != NULL && *new_token != '\0', FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_key (token_key, error) ||
      !instasync_store_ensure_connected (self, error))
    return FALSE;

  expires = instasync_store_expiry_param (expires_at);
  params[0] = ig_user_id;
  params[1] = old_token;
  params[2] = new_token;
  params[3] = token_key;
  params[4] = expires;

  /* One statement is one transaction: the new token, its expiry and the
   * account's status change together or not at all. The row is replaced
   * only while it still holds the old token, so of two workers refreshing
   * at once the second finds the first one's token and changes nothing
   * (PostgreSQL re-checks the condition on the row the first committed). */
  conn = instasync_store_get_connection (self);
  result = PQexecParams (conn,
                         "WITH rotated AS ("
                         "  UPDATE user_tokens SET token_encrypted = pgp_sym_encrypt ($3, $4), "
                         "    expires_at = " INSTASYNC_STORE_EXPIRY_SQL ("5") ", "
                         "    updated_at = now () "
                         "  WHERE ig_user_id = $1 AND pgp_sym_decrypt (token_encrypted, $4) = $2 "
                         "  RETURNING ig_user_id), "
                         " account AS ("
                         "  UPDATE instagram_accounts a SET status = 'active', status_reason = NULL, "
                         "    updated_at = now () "
                         "  FROM rotated WHERE a.ig_user_id = rotated.ig_user_id) "
                         "SELECT count (*) FROM rotated",
                         5, NULL, params, NULL, NULL, 0);

  if (is_wrong_key (result))
    {
      set_wrong_key_error (error, ig_user_id);
      return FALSE;
    }

  if (!instasync_pg_check_result (conn, result, PGRES_TUPLES_OK,
                                  N_("storing the refreshed access token"), token_key, &local_error))
    {
      instasync_error_redact (local_error, old_token);
      instasync_error_redact (local_error, new_token);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (PQntuples (result) != 1 || !g_str_equal (PQgetvalue (result, 0, 0), "1"))
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFLICT,
                   _("The stored access token of account %s changed while it was being "
                     "refreshed"), ig_user_id);
      return FALSE;
    }

  return TRUE;
}
