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
#include "instasync-pgp-legacy.h"
#include "instasync-store-private.h"
#include "instasync-token-cipher.h"

/* The stored tokens: read, expiry, rotation. Tokens are sealed and opened
 * here, in the client (instasync-token-cipher.h): statements carry only the
 * sealed bytes and a keyed fingerprint, never the key or a token, so that
 * no server log can hold either. */

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

/* A bytea column of a text-format result, or NULL. */
static GBytes *
bytea_value (const PGresult *result,
             int             row,
             int             column)
{
  unsigned char *raw;
  size_t length = 0;
  GBytes *bytes;

  if (PQgetisnull (result, row, column))
    return NULL;

  raw = PQunescapeBytea ((const unsigned char *)PQgetvalue (result, row, column), &length);
  if (raw == NULL)
    return NULL;
  bytes = g_bytes_new (raw, length);
  PQfreemem (raw);
  return bytes;
}

/* Runs @sql with text parameters, except those whose @binary entry is set,
 * which are sent as they are (bytea). */
static PGresult *
exec_with_bytes (PGconn             *conn,
                 const char         *sql,
                 int                 n_params,
                 const char * const *values,
                 GBytes * const     *binary)
{
  int lengths[8] = { 0 };
  int formats[8] = { 0 };
  const char *params[8] = { NULL };

  g_assert (n_params <= (int) G_N_ELEMENTS (params));

  for (int i = 0; i < n_params; i++)
    {
      if (binary[i] != NULL)
        {
          gsize length;

          params[i] = g_bytes_get_data (binary[i], &length);
          lengths[i] = (int) length;
          formats[i] = 1;
        }
      else
        params[i] = values[i];
    }

  return PQexecParams (conn, sql, n_params, NULL, params, lengths, formats, 0);
}

/* Seals a token that an earlier version stored through pgcrypto, in place:
 * the row changes only while it still holds those very bytes, so that a
 * token stored meanwhile by another process is never overwritten. Returns
 * the token. A row that could not be rewritten still gives its token: it is
 * read the old way again next time. */
static InstaSyncSecret *
seal_legacy_row (InstaSyncStore  *self,
                 const char      *ig_user_id,
                 GBytes          *legacy,
                 const char      *token_key,
                 GError         **error)
{
  g_autoptr(InstaSyncSecret) token = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GBytes) fingerprint = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PGresult) result = NULL;
  gsize length;
  const guint8 *data = g_bytes_get_data (legacy, &length);
  const char *values[4] = { ig_user_id, NULL, NULL, NULL };
  GBytes *binary[4] = { NULL, NULL, NULL, legacy };
  PGconn *conn = instasync_store_get_connection (self);

  token = instasync_pgp_sym_decrypt (data, length, token_key, &local_error);
  if (token == NULL)
    {
      if (g_error_matches (local_error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY))
        g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY,
                     _("The token key does not match the one the token of account %s was "
                       "stored with"), ig_user_id);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  sealed = instasync_token_seal (token_key, ig_user_id, token);
  fingerprint = instasync_token_fingerprint (token_key, ig_user_id, token);
  binary[1] = sealed;
  binary[2] = fingerprint;
  result = exec_with_bytes (conn,
                            "UPDATE user_tokens SET token_sealed = $2, token_fingerprint = $3, "
                            "  token_encrypted = NULL "
                            "WHERE ig_user_id = $1 AND token_encrypted = $4",
                            4, values, binary);
  if (!instasync_pg_check_result (conn, result, PGRES_COMMAND_OK,
                                  N_("sealing a token stored by an earlier version"), NULL,
                                  &local_error))
    g_warning ("%s", local_error->message);

  return g_steal_pointer (&token);
}

/* A token stored by an earlier version is sealed now, before a statement
 * that compares fingerprints looks at its row. */
static gboolean
seal_if_legacy (InstaSyncStore  *self,
                const char      *ig_user_id,
                const char      *token_key,
                GError         **error)
{
  const char *params[1] = { ig_user_id };
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GBytes) legacy = NULL;
  g_autoptr(InstaSyncSecret) token = NULL;
  PGconn *conn = instasync_store_get_connection (self);

  result = PQexecParams (conn,
                         "SELECT token_encrypted FROM user_tokens "
                         "WHERE ig_user_id = $1 AND token_sealed IS NULL",
                         1, NULL, params, NULL, NULL, 0);
  if (!instasync_pg_check_result (conn, result, PGRES_TUPLES_OK,
                                  N_("reading the access token"), NULL, error))
    return FALSE;

  if (PQntuples (result) == 0)
    return TRUE;

  legacy = bytea_value (result, 0, 0);
  token = seal_legacy_row (self, ig_user_id, legacy, token_key, error);
  return token != NULL;
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
  const char *params[1] = { ig_user_id };
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GBytes) legacy = NULL;
  PGconn *conn;

  g_return_val_if_fail (INSTASYNC_IS_STORE (self), NULL);
  g_return_val_if_fail (ig_user_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_key (token_key, error) ||
      !instasync_store_ensure_connected (self, error))
    return NULL;

  conn = instasync_store_get_connection (self);
  result = PQexecParams (conn,
                         "SELECT token_sealed, token_encrypted "
                         "FROM user_tokens WHERE ig_user_id = $1",
                         1, NULL, params, NULL, NULL, 0);
  if (!instasync_pg_check_result (conn, result, PGRES_TUPLES_OK,
                                  N_("reading the access token"), NULL, error))
    return NULL;

  if (PQntuples (result) == 0)
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND,
                   _("There is no access token for account %s"), ig_user_id);
      return NULL;
    }

  sealed = bytea_value (result, 0, 0);
  if (sealed == NULL)
    {
      legacy = bytea_value (result, 0, 1);
      if (legacy == NULL)
        {
          g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_VERIFY,
                       _("The stored token of account %s could not be read"), ig_user_id);
          return NULL;
        }
      return seal_legacy_row (self, ig_user_id, legacy, token_key, error);
    }

  return instasync_token_open (token_key, ig_user_id, g_bytes_get_data (sealed, NULL),
                               g_bytes_get_size (sealed), error);
}

gboolean
instasync_store_write_token (InstaSyncStore  *self,
                             const char      *ig_user_id,
                             const char      *token,
                             const char      *expires,
                             const char      *data_access,
                             const char      *token_key,
                             const char      *what,
                             GError         **error)
{
  g_autoptr(GBytes) sealed = instasync_token_seal (token_key, ig_user_id, token);
  g_autoptr(GBytes) fingerprint = instasync_token_fingerprint (token_key, ig_user_id, token);
  const char *values[5] = { ig_user_id, NULL, NULL, expires, data_access };
  GBytes *binary[5] = { NULL, sealed, fingerprint, NULL, NULL };
  g_autoptr(PGresult) stored = NULL;
  PGconn *conn = instasync_store_get_connection (self);

  /* A new token comes with its own expiry, or none (unknown) until the
   * token manager learns it: never the old token's. */
  stored = exec_with_bytes (conn,
                            "INSERT INTO user_tokens (ig_user_id, token_sealed, "
                            "  token_fingerprint, expires_at, data_access_expires_at) "
                            "VALUES ($1, $2, $3, "
                            "  " INSTASYNC_STORE_EXPIRY_SQL ("4") ", "
                            "  " INSTASYNC_STORE_EXPIRY_SQL ("5") ") "
                            "ON CONFLICT (ig_user_id) DO UPDATE SET "
                            "  token_sealed = EXCLUDED.token_sealed, "
                            "  token_fingerprint = EXCLUDED.token_fingerprint, "
                            "  token_encrypted = NULL, "
                            "  expires_at = EXCLUDED.expires_at, "
                            "  data_access_expires_at = EXCLUDED.data_access_expires_at, "
                            "  updated_at = now ()",
                            5, values, binary);
  return instasync_pg_check_result (conn, stored, PGRES_COMMAND_OK, what, NULL, error);
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
  g_autoptr(GBytes) fingerprint = NULL;
  const char *values[4];
  GBytes *binary[4] = { NULL, NULL, NULL, NULL };
  g_autoptr(PGresult) result = NULL;
  PGconn *conn;

  g_return_val_if_fail (INSTASYNC_IS_STORE (self), FALSE);
  g_return_val_if_fail (ig_user_id != NULL, FALSE);
  g_return_val_if_fail (token != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_key (token_key, error) ||
      !instasync_store_ensure_connected (self, error) ||
      !seal_if_legacy (self, ig_user_id, token_key, error))
    return FALSE;

  expires = instasync_store_expiry_param (expires_at);
  data_access = instasync_store_expiry_param (data_access_expires_at);
  fingerprint = instasync_token_fingerprint (token_key, ig_user_id, token);
  values[0] = ig_user_id;
  values[1] = NULL;
  values[2] = expires;
  values[3] = data_access;
  binary[1] = fingerprint;

  /* The expiry belongs to the token it was learned for: the row changes
   * only while it still holds that token, which its fingerprint tells. A
   * rotation committed first makes this update find the new token
   * (PostgreSQL re-checks the condition on the row the rotation wrote) and
   * change nothing. The second count tells a replaced token from a missing
   * one. */
  conn = instasync_store_get_connection (self);
  result = exec_with_bytes (conn,
                            "WITH updated AS ("
                            "  UPDATE user_tokens SET "
                            "    expires_at = " INSTASYNC_STORE_EXPIRY_SQL ("3") ", "
                            "    data_access_expires_at = " INSTASYNC_STORE_EXPIRY_SQL ("4") ", "
                            "    updated_at = now () "
                            "  WHERE ig_user_id = $1 AND token_fingerprint = $2 "
                            "  RETURNING ig_user_id) "
                            "SELECT (SELECT count (*) FROM updated), "
                            "  (SELECT count (*) FROM user_tokens WHERE ig_user_id = $1)",
                            4, values, binary);

  if (!instasync_pg_check_result (conn, result, PGRES_TUPLES_OK,
                                  N_("recording the token expiry"), NULL, error))
    return FALSE;

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
      if (!instasync_store_token_key_differs (self, token_key, error))
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
  g_autoptr(GBytes) old_fingerprint = NULL;
  g_autoptr(GBytes) new_fingerprint = NULL;
  g_autoptr(GBytes) sealed = NULL;
  const char *values[5] = { NULL };
  GBytes *binary[5] = { NULL };
  g_autoptr(PGresult) result = NULL;
  PGconn *conn;

  g_return_val_if_fail (INSTASYNC_IS_STORE (self), FALSE);
  g_return_val_if_fail (ig_user_id != NULL, FALSE);
  g_return_val_if_fail (old_token != NULL, FALSE);
  g_return_val_if_fail (new_token != NULL && *new_token != '\0', FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_utf8_validate (new_token, -1, NULL))
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_INVALID_ARGUMENT,
                   _("The new access token of account %s is not text"), ig_user_id);
      return FALSE;
    }

  if (!check_key (token_key, error) ||
      !instasync_store_ensure_connected (self, error) ||
      !seal_if_legacy (self, ig_user_id, token_key, error))
    return FALSE;

  expires = instasync_store_expiry_param (expires_at);
  old_fingerprint = instasync_token_fingerprint (token_key, ig_user_id, old_token);
  new_fingerprint = instasync_token_fingerprint (token_key, ig_user_id, new_token);
  sealed = instasync_token_seal (token_key, ig_user_id, new_token);
  values[0] = ig_user_id;
  binary[1] = old_fingerprint;
  binary[2] = sealed;
  binary[3] = new_fingerprint;
  values[4] = expires;

  /* One statement is one transaction: the new token, its expiry and the
   * account's status change together or not at all. The row is replaced
   * only while it still holds the old token, so of two workers refreshing
   * at once the second finds the first one's token and changes nothing
   * (PostgreSQL re-checks the condition on the row the first committed). */
  conn = instasync_store_get_connection (self);
  result = exec_with_bytes (conn,
                            "WITH rotated AS ("
                            "  UPDATE user_tokens SET token_sealed = $3, token_fingerprint = $4, "
                            "    expires_at = " INSTASYNC_STORE_EXPIRY_SQL ("5") ", "
                            "    updated_at = now () "
                            "  WHERE ig_user_id = $1 AND token_fingerprint = $2 "
                            "  RETURNING ig_user_id), "
                            " account AS ("
                            "  UPDATE instagram_accounts a SET status = 'active', "
                            "    status_reason = NULL, updated_at = now () "
                            "  FROM rotated WHERE a.ig_user_id = rotated.ig_user_id) "
                            "SELECT count (*) FROM rotated",
                            5, values, binary);

  if (!instasync_pg_check_result (conn, result, PGRES_TUPLES_OK,
                                  N_("storing the refreshed access token"), NULL, error))
    return FALSE;

  if (PQntuples (result) != 1 || !g_str_equal (PQgetvalue (result, 0, 0), "1"))
    {
      if (instasync_store_token_key_differs (self, token_key, error))
        return FALSE;
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFLICT,
                   _("The stored access token of account %s changed while it was being "
                     "refreshed"), ig_user_id);
      return FALSE;
    }

  return TRUE;
}
