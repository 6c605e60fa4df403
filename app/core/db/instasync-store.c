/* instasync-store.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-store"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "instasync-error.h"
#include "instasync-inert-text.h"
#include "instasync-migrations.h"
#include "instasync-pg-util.h"
#include "instasync-redact.h"
#include "instasync-store-private.h"
#include "instasync-time.h"

struct _InstaSyncStore
{
  GObject  parent_instance;

  PGconn  *conn;
};

G_DEFINE_FINAL_TYPE (InstaSyncStore, instasync_store, G_TYPE_OBJECT)

static void
instasync_store_finalize (GObject *object)
{
  InstaSyncStore *self = (InstaSyncStore *)object;

  g_clear_pointer (&self->conn, PQfinish);

  G_OBJECT_CLASS (instasync_store_parent_class)->finalize (object);
}

static void
instasync_store_class_init (InstaSyncStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = instasync_store_finalize;
}

static void
instasync_store_init (InstaSyncStore *self)
{
}

/* Server notices ("relation already exists, skipping") are for developers,
 * not for the terminal libpq would print them on. */
static void
notice_processor (void       *user_data,
                  const char *message)
{
  g_debug ("PostgreSQL: %s", message);
}

InstaSyncStore *
instasync_store_connect (const char  *conninfo,
                         GError     **error)
{
  g_autoptr(InstaSyncStore) self = NULL;

  self = g_object_new (INSTASYNC_TYPE_STORE, NULL);
  self->conn = instasync_pg_connect (conninfo, NULL);

  if (self->conn == NULL)
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE,
                   _("Could not connect to the database: out of memory"));
      return NULL;
    }

  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      g_autofree char *message = g_strdup (PQerrorMessage (self->conn));

      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE,
                   _("Could not connect to the database: %s"), g_strstrip (message));
      return NULL;
    }

  PQsetNoticeProcessor (self->conn, notice_processor, NULL);

  return g_steal_pointer (&self);
}

PGconn *
instasync_store_get_connection (InstaSyncStore *self)
{
  g_return_val_if_fail (INSTASYNC_IS_STORE (self), NULL);

  return self->conn;
}

gboolean
instasync_store_ensure_connected (InstaSyncStore  *self,
                                  GError         **error)
{
  g_autofree char *message = NULL;

  /* A pipeline that could not be left (the server vanished mid-batch) makes
   * every later statement fail; only a new connection clears it. */
  if (PQstatus (self->conn) == CONNECTION_OK &&
      PQpipelineStatus (self->conn) != PQ_PIPELINE_OFF &&
      !PQexitPipelineMode (self->conn))
    PQreset (self->conn);

  if (PQstatus (self->conn) == CONNECTION_OK)
    {
      /* A statement that failed half-way must not leave the next caller
       * inside an aborted transaction. */
      if (PQtransactionStatus (self->conn) != PQTRANS_IDLE)
        instasync_pg_rollback (self->conn);
      return TRUE;
    }

  /* The server went away (restart, network): one reconnect attempt, so that
   * a restarted server is picked up again without the caller noticing. */
  PQreset (self->conn);
  if (PQstatus (self->conn) == CONNECTION_OK)
    {
      g_debug ("Reconnected to the database");
      return TRUE;
    }

  message = g_strdup (PQerrorMessage (self->conn));
  g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE,
               _("The connection to the database was lost and could not be restored: %s"),
               g_strstrip (message));
  return FALSE;
}

gboolean
instasync_store_migrate (InstaSyncStore  *self,
                         guint           *n_applied,
                         GError         **error)
{
  g_return_val_if_fail (INSTASYNC_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_applied != NULL)
    *n_applied = 0;

  if (!instasync_store_ensure_connected (self, error))
    return FALSE;

  return instasync_migrations_apply (self->conn, n_applied, error);
}

/* The owner a history row of account @id gets when written now (see
 * instasync_set_history_owner () in sql/0006_account_owners.sql): the
 * account's, or the writer's when there is no such account. A worker and
 * the tables' owner see the rows of every role, among them those a former
 * holder of the id left behind: this picks the current holder's. */
#define INSTASYNC_STORE_OWNER_SQL(id) \
  "coalesce ((SELECT a.owner_oid FROM instagram_accounts a WHERE a.ig_user_id = " id "), " \
  "instasync_session_role ())"

/* Accounts */

static gint64
get_int64 (const PGresult *result,
           int             row,
           int             column)
{
  if (PQgetisnull (result, row, column))
    return 0;

  return g_ascii_strtoll (PQgetvalue (result, row, column), NULL, 10);
}

static char *
get_string (const PGresult *result,
            int             row,
            int             column)
{
  if (PQgetisnull (result, row, column))
    return NULL;

  return g_strdup (PQgetvalue (result, row, column));
}

static gboolean
check_key (const char  *token_key,
           GError     **error)
{
  if (token_key != NULL && *token_key != '\0')
    return TRUE;

  g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY,
               _("No token encryption key is set"));
  return FALSE;
}

/* unique_violation or insufficient_privilege (which row-level security
 * refusals also report). */
static gboolean
is_refused_claim (const PGresult *result)
{
  const char *state = instasync_pg_sqlstate (result);

  return g_strcmp0 (state, "23505") == 0 || g_strcmp0 (state, "42501") == 0;
}

/* One account and its token, inside the caller's transaction. */
static gboolean
add_one_account (InstaSyncStore             *self,
                 const InstaSyncNewAccount  *new_account,
                 const char                 *token,
                 const char                 *expires,
                 const char                 *data_access,
                 const char                 *token_key,
                 GError                    **error)
{
  const char *account_params[3] = { new_account->ig_user_id, new_account->username,
                                    new_account->page_id };
  /* Translators: these say what was being done when the database failed;
   * %s is an Instagram account ID */
  g_autofree char *adding = g_strdup_printf (_("adding account %s"), new_account->ig_user_id);
  g_autofree char *storing = g_strdup_printf (_("storing the access token of account %s"),
                                              new_account->ig_user_id);
  g_autoptr(PGresult) account = NULL;

  /* Adding an account that exists is a reconnect: it becomes active again. */
  account = PQexecParams (self->conn,
                          "INSERT INTO instagram_accounts (ig_user_id, username, page_id) "
                          "VALUES ($1, $2, $3) "
                          "ON CONFLICT (ig_user_id) DO UPDATE SET "
                          "  username = coalesce (EXCLUDED.username, instagram_accounts.username), "
                          "  page_id = coalesce (EXCLUDED.page_id, instagram_accounts.page_id), "
                          "  status = 'active', status_reason = NULL, updated_at = now ()",
                          3, NULL, account_params, NULL, NULL, 0);
  if (is_refused_claim (account))
    {
      /* RLS hides an account another role holds, so claiming it fails on
       * the unique key or on the policy, and a role outside the groups is
       * refused by the policy or the grants: the same words for all, so
       * that nobody learns from them which ids somebody else holds. */
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_PERMITTED,
                   _("Account %s could not be added: it is connected by another user or this "
                     "role may not add it"), new_account->ig_user_id);
      return FALSE;
    }
  if (!instasync_pg_check_result (self->conn, account, PGRES_COMMAND_OK, adding, token, error))
    return FALSE;

  return instasync_store_write_token (self, new_account->ig_user_id, token, expires, data_access,
                                      token_key, storing, error);
}

gboolean
instasync_store_add_accounts (InstaSyncStore             *self,
                              const InstaSyncNewAccount  *accounts,
                              guint                       n_accounts,
                              const char                 *token,
                              gint64                      expires_at,
                              gint64                      data_access_expires_at,
                              const char                 *token_key,
                              GError                    **error)
{
  g_autofree char *expires = NULL;
  g_autofree char *data_access = NULL;
  gboolean valid;

  g_return_val_if_fail (INSTASYNC_IS_STORE (self), FALSE);
  g_return_val_if_fail (accounts != NULL || n_accounts == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_accounts == 0)
    return TRUE;

  /* Checked before anything is sent: a bad entry late in the list costs no
   * round trip either. */
  /* The server never sees the token now, so it cannot refuse bytes that
   * are not text: that is checked here. */
  valid = token != NULL && *token != '\0' && g_utf8_validate (token, -1, NULL);
  for (guint i = 0; valid && i < n_accounts; i++)
    valid = accounts[i].ig_user_id != NULL && *accounts[i].ig_user_id != '\0';
  if (!valid)
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_INVALID_ARGUMENT,
                   _("An account needs an Instagram user id and an access token"));
      return FALSE;
    }

  if (!check_key (token_key, error) ||
      !instasync_store_ensure_connected (self, error))
    return FALSE;

  expires = instasync_store_expiry_param (expires_at);
  data_access = instasync_store_expiry_param (data_access_expires_at);

  /* One transaction for the lot: a connect that fails on its second
   * account leaves neither the first account nor a token without its
   * expiry behind. */
  if (!instasync_pg_exec_command (self->conn, "BEGIN", N_("adding the accounts"), error))
    return FALSE;

  for (guint i = 0; i < n_accounts; i++)
    if (!add_one_account (self, &accounts[i], token, expires, data_access, token_key, error))
      {
        instasync_pg_rollback (self->conn);
        return FALSE;
      }

  /* The role's first token sealed records its key's check value; a key
   * that differs from the recorded one stores nothing. Last, so that an
   * account this role may not add fails as such first. */
  if (!instasync_store_pin_token_key (self, token_key, error))
    {
      instasync_pg_rollback (self->conn);
      return FALSE;
    }

  if (!instasync_pg_exec_command (self->conn, "COMMIT", N_("adding the accounts"), error))
    {
      instasync_pg_rollback (self->conn);
      return FALSE;
    }

  return TRUE;
}

gboolean
instasync_store_add_account (InstaSyncStore  *self,
                             const char      *ig_user_id,
                             const char      *username,
                             const char      *token,
                             const char      *token_key,
                             GError         **error)
{
  const InstaSyncNewAccount account = { ig_user_id, username };

  g_return_val_if_fail (INSTASYNC_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return instasync_store_add_accounts (self, &account, 1, token, INSTASYNC_TOKEN_EXPIRY_UNKNOWN,
                                       INSTASYNC_TOKEN_EXPIRY_UNKNOWN, token_key, error);
}

GPtrArray *
instasync_store_list_accounts (InstaSyncStore  *self,
                               GError         **error)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(PGresult) result = NULL;

  g_return_val_if_fail (INSTASYNC_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!instasync_store_ensure_connected (self, error))
    return NULL;

  /* The last sync is whichever is newer: the column record_sync_log keeps, or
   * a log another tool wrote without it. */
  /* A token that never expires is stored as 'infinity', which no epoch
   * fits: it comes back as a flag. */
  result = PQexec (self->conn,
                   "SELECT a.ig_user_id, a.username, a.status, "
                   "  CASE WHEN isfinite (t.expires_at) "
                   "    THEN floor (extract (epoch FROM t.expires_at))::bigint END, "
                   "  floor (extract (epoch FROM greatest (a.last_synced_at, "
                   "    (SELECT max (l.finished_at) FROM instagram_sync_logs l "
                   "     WHERE l.ig_user_id = a.ig_user_id AND l.owner_oid = a.owner_oid))))::bigint, "
                   "  floor (extract (epoch FROM a.paused_until))::bigint, "
                   "  coalesce (t.expires_at = 'infinity', false), "
                   "  CASE WHEN isfinite (t.data_access_expires_at) "
                   "    THEN floor (extract (epoch FROM t.data_access_expires_at))::bigint END, "
                   "  a.status_reason, a.day_zone, a.page_id "
                   "FROM instagram_accounts a LEFT JOIN user_tokens t USING (ig_user_id) "
                   "ORDER BY a.username, a.ig_user_id");
  if (!instasync_pg_check_result (self->conn, result, PGRES_TUPLES_OK,
                                  N_("reading the accounts"), NULL, error))
    return NULL;

  accounts = g_ptr_array_new_with_free_func (g_object_unref);
  for (int i = 0; i < PQntuples (result); i++)
    {
      InstaSyncAccount *account = instasync_account_new (PQgetvalue (result, i, 0));

      if (!PQgetisnull (result, i, 1))
        instasync_account_set_username (account, PQgetvalue (result, i, 1));
      instasync_account_set_status (account, PQgetvalue (result, i, 2));
      instasync_account_set_token_expires_at (account, get_int64 (result, i, 3));
      instasync_account_set_last_synced_at (account, get_int64 (result, i, 4));
      instasync_account_set_paused_until (account, get_int64 (result, i, 5));
      instasync_account_set_token_never_expires (account,
                                                 g_str_equal (PQgetvalue (result, i, 6), "t"));
      instasync_account_set_data_access_expires_at (account, get_int64 (result, i, 7));
      if (!PQgetisnull (result, i, 8))
        instasync_account_set_status_reason (account, PQgetvalue (result, i, 8));
      if (!PQgetisnull (result, i, 9))
        instasync_account_set_day_zone (account, PQgetvalue (result, i, 9));
      if (!PQgetisnull (result, i, 10))
        instasync_account_set_page_id (account, PQgetvalue (result, i, 10));
      instasync_account_set_source (account, "database");
      g_ptr_array_add (accounts, account);
    }

  return g_steal_pointer (&accounts);
}

gboolean
instasync_store_remove_account (InstaSyncStore  *self,
                                const char      *ig_user_id,
                                gboolean         delete_data,
                                GError         **error)
{
  const char *params[2] = { ig_user_id, delete_data ? "t" : "f" };
  g_autoptr(PGresult) result = NULL;

  g_return_val_if_fail (INSTASYNC_IS_STORE (self), FALSE);
  g_return_val_if_fail (ig_user_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!instasync_store_ensure_connected (self, error))
    return FALSE;

  /* The token goes with the account (ON DELETE CASCADE). The history stays
   * its owner's, out of sight of whoever claims the id next, unless it is
   * asked to go too: then only the rows of the account's owner go, the
   * rows a former holder of the id left behind are not the remover's to
   * delete (a worker and the tables' owner see those too). One statement,
   * so that the history never goes without its account. */
  result = PQexecParams (self->conn,
                         "WITH account AS ("
                         "  DELETE FROM instagram_accounts WHERE ig_user_id = $1"
                         "  RETURNING ig_user_id, owner_oid),"
                         " insights AS ("
                         "  DELETE FROM instagram_insights h USING account a"
                         "  WHERE $2::boolean AND h.ig_user_id = a.ig_user_id"
                         "    AND h.owner_oid = a.owner_oid),"
                         " logs AS ("
                         "  DELETE FROM instagram_sync_logs h USING account a"
                         "  WHERE $2::boolean AND h.ig_user_id = a.ig_user_id"
                         "    AND h.owner_oid = a.owner_oid),"
                         " cursors AS ("
                         "  DELETE FROM instagram_sync_cursors h USING account a"
                         "  WHERE $2::boolean AND h.ig_user_id = a.ig_user_id"
                         "    AND h.owner_oid = a.owner_oid) "
                         "SELECT count (*) FROM account",
                         2, NULL, params, NULL, NULL, 0);
  if (!instasync_pg_check_result (self->conn, result, PGRES_TUPLES_OK,
                                  N_("removing the account"), NULL, error))
    return FALSE;

  if (g_strcmp0 (PQgetvalue (result, 0, 0), "0") == 0)
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND,
                   _("There is no account %s"), ig_user_id);
      return FALSE;
    }

  return TRUE;
}

static gboolean
is_account_status (const char *status)
{
  return g_strcmp0 (status, INSTASYNC_ACCOUNT_STATUS_ACTIVE) == 0 ||
         g_strcmp0 (status, INSTASYNC_ACCOUNT_STATUS_EXPIRING) == 0 ||
         g_strcmp0 (status, INSTASYNC_ACCOUNT_STATUS_NEEDS_RECONNECT) == 0;
}

/* Runs an UPDATE of one account's row ($1 is the account, the others
 * follow), and says clearly when there is no such account. */
static gboolean
update_account_row (InstaSyncStore      *self,
                    const char          *sql,
                    int                  n_params,
                    const char * const  *params,
                    const char          *what,
                    GError             **error)
{
  g_autoptr(PGresult) result = NULL;

  if (!instasync_store_ensure_connected (self, error))
    return FALSE;

  result = PQexecParams (self->conn, sql, n_params, NULL, params, NULL, NULL, 0);
  if (!instasync_pg_check_result (self->conn, result, PGRES_COMMAND_OK, what, NULL, error))
    return FALSE;

  if (g_strcmp0 (PQcmdTuples (result), "0") == 0)
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND,
                   _("There is no account %s"), params[0]);
      return FALSE;
    }

  return TRUE;
}

gboolean
instasync_store_set_account_status (InstaSyncStore  *self,
                                    const char      *ig_user_id,
                                    const char      *status,
                                    GError         **error)
{
  const char *params[2] = { ig_user_id, status };

  g_return_val_if_fail (INSTASYNC_IS_STORE (self), FALSE);
  g_return_val_if_fail (ig_user_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!is_account_status (status))
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an account status"), status != NULL ? status : "(null)");
      return FALSE;
    }

  /* The reason stays while the status does: the token manager said why,
   * and marking the account again for the same thing keeps that. */
  return update_account_row (self,
                             "UPDATE instagram_accounts SET status = $2, "
                             "  status_reason = CASE WHEN status = $2 THEN status_reason END, "
                             "  updated_at = now () "
                             "WHERE ig_user_id = $1",
                             2, params, N_("changing the account status"), error);
}

gboolean
instasync_store_set_account_status_reason (InstaSyncStore  *self,
                                           const char      *ig_user_id,
                                           const char      *status,
                                           const char      *reason,
                                           GError         **error)
{
  /* The reason often quotes the API: what it says is kept, not how long,
   * and no secret. */
  g_autofree char *redacted = instasync_redact (reason);
  g_autofree char *capped = instasync_text_cap_for_storage (redacted);
  const char *params[3] = { ig_user_id, status, capped };

  g_return_val_if_fail (INSTASYNC_IS_STORE (self), FALSE);
  g_return_val_if_fail (ig_user_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!is_account_status (status))
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an account status"), status != NULL ? status : "(null)");
      return FALSE;
    }

  return update_account_row (self,
                             "UPDATE instagram_accounts SET status = $2, status_reason = $3, "
                             "  updated_at = now () WHERE ig_user_id = $1",
                             3, params, N_("changing the account status"), error);
}

/* Sync logs */

void
instasync_sync_log_entry_free (InstaSyncSyncLogEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->ig_user_id);
  g_free (entry->status);
  g_free (entry->window_since);
  g_free (entry->window_until);
  g_free (entry->errors_json);
  g_free (entry->summary);
  g_free (entry);
}

static gboolean
is_sync_status (const char *status)
{
  return g_strcmp0 (status, "succeeded") == 0 ||
         g_strcmp0 (status, "partial") == 0 ||
         g_strcmp0 (status, "failed") == 0 ||
         g_strcmp0 (status, "paused") == 0;
}

gboolean
instasync_store_record_sync_log (InstaSyncStore         *self,
                                 InstaSyncSyncLogEntry  *entry,
                                 GError                **error)
{
  g_autofree char *started_at = NULL;
  g_autofree char *finished_at = NULL;
  g_autofree char *errors_json = NULL;
  g_autofree char *summary = NULL;
  char counters[9][16];
  const char *params[17];
  g_autoptr(PGresult) result = NULL;
  guint values[9];

  g_return_val_if_fail (INSTASYNC_IS_STORE (self), FALSE);
  g_return_val_if_fail (entry != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!is_sync_status (entry->status))
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a sync status"),
                   entry->status != NULL ? entry->status : "(null)");
      return FALSE;
    }

  /* Both quote the API's error messages, which may be of any length and
   * any bytes, and may echo a secret: the row keeps each without secrets
   * (taken out first, so that the cut cannot split one), capped, in valid
   * UTF-8. */
  if (entry->errors_json != NULL && *entry->errors_json != '\0')
    {
      g_autofree char *redacted = instasync_redact (entry->errors_json);

      errors_json = instasync_json_cap_for_storage (redacted, error);
      if (errors_json == NULL)
        return FALSE;
    }
  {
    g_autofree char *redacted = instasync_redact (entry->summary);

    summary = instasync_text_cap_for_storage (redacted);
  }

  if (!instasync_store_ensure_connected (self, error))
    return FALSE;

  if (entry->started_at != 0)
    started_at = g_strdup_printf ("%" G_GINT64_FORMAT, entry->started_at);
  if (entry->finished_at != 0)
    finished_at = g_strdup_printf ("%" G_GINT64_FORMAT, entry->finished_at);

  values[0] = entry->metrics_requested;
  values[1] = entry->metrics_succeeded;
  values[2] = entry->metrics_failed;
  values[3] = entry->rows_inserted;
  values[4] = entry->rows_updated;
  values[5] = entry->rows_unchanged;
  values[6] = entry->rows_failed;
  values[7] = entry->api_calls;
  values[8] = entry->http_requests;

  params[0] = entry->ig_user_id;
  params[1] = entry->status;
  params[2] = started_at;
  params[3] = finished_at;
  params[4] = entry->window_since;
  params[5] = entry->window_until;
  for (guint i = 0; i < 9; i++)
    {
      g_snprintf (counters[i], sizeof counters[i], "%u", values[i]);
      params[6 + i] = counters[i];
    }
  params[15] = errors_json != NULL && *errors_json != '\0' ? errors_json : "[]";
  params[16] = summary;

  /* One statement: the log row and the account's last sync move together.
   * Microseconds go through an interval so that no float rounding creeps in. */
  result = PQexecParams (self->conn,
                         "WITH log AS ("
                         "  INSERT INTO instagram_sync_logs (ig_user_id, status, started_at, finished_at,"
                         "    window_since, window_until, metrics_requested, metrics_succeeded,"
                         "    metrics_failed, rows_inserted, rows_updated, rows_unchanged, rows_failed,"
                         "    api_calls, http_requests, errors, summary)"
                         "  VALUES ($1, $2,"
                         "    'epoch'::timestamptz + $3::bigint * interval '1 microsecond',"
                         "    'epoch'::timestamptz + $4::bigint * interval '1 microsecond',"
                         "    $5::date, $6::date, $7::integer, $8::integer, $9::integer,"
                         "    $10::integer, $11::integer, $12::integer, $13::integer,"
                         "    $14::integer, $15::integer, $16::jsonb, $17)"
                         "  RETURNING id, ig_user_id, finished_at),"
                         " account AS ("
                         "  UPDATE instagram_accounts a"
                         "  SET last_synced_at = greatest (a.last_synced_at, log.finished_at)"
                         "  FROM log WHERE a.ig_user_id = log.ig_user_id AND log.finished_at IS NOT NULL)"
                         "SELECT id FROM log",
                         17, NULL, params, NULL, NULL, 0);
  if (!instasync_pg_check_result (self->conn, result, PGRES_TUPLES_OK,
                                  N_("recording the sync log"), NULL, error))
    return FALSE;

  if (PQntuples (result) != 1)
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_VERIFY,
                   _("The database did not confirm the sync log"));
      return FALSE;
    }

  entry->id = get_int64 (result, 0, 0);
  return TRUE;
}

GPtrArray *
instasync_store_list_sync_logs (InstaSyncStore  *self,
                                const char      *ig_user_id,
                                guint            limit,
                                GError         **error)
{
  g_autofree char *limit_text = NULL;
  const char *params[2];
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(PGresult) result = NULL;

  g_return_val_if_fail (INSTASYNC_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!instasync_store_ensure_connected (self, error))
    return NULL;

  /* LIMIT NULL is no limit. */
  if (limit > 0)
    limit_text = g_strdup_printf ("%u", limit);
  params[0] = ig_user_id;
  params[1] = limit_text;

  result = PQexecParams (self->conn,
                         "SELECT id, ig_user_id, status,"
                         "  (extract (epoch FROM started_at) * 1000000)::bigint,"
                         "  (extract (epoch FROM finished_at) * 1000000)::bigint,"
                         "  to_char (window_since, 'YYYY-MM-DD'), to_char (window_until, 'YYYY-MM-DD'),"
                         "  metrics_requested, metrics_succeeded, metrics_failed,"
                         "  rows_inserted, rows_updated, rows_unchanged, rows_failed,"
                         "  api_calls, http_requests, errors::text, summary "
                         "FROM instagram_sync_logs "
                         "WHERE $1::text IS NULL OR ig_user_id = $1 "
                         "ORDER BY started_at DESC NULLS LAST, id DESC "
                         "LIMIT $2::bigint",
                         2, NULL, params, NULL, NULL, 0);
  if (!instasync_pg_check_result (self->conn, result, PGRES_TUPLES_OK,
                                  N_("reading the sync logs"), NULL, error))
    return NULL;

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) instasync_sync_log_entry_free);
  for (int i = 0; i < PQntuples (result); i++)
    {
      InstaSyncSyncLogEntry *entry = g_new0 (InstaSyncSyncLogEntry, 1);

      entry->id = get_int64 (result, i, 0);
      entry->ig_user_id = get_string (result, i, 1);
      entry->status = get_string (result, i, 2);
      entry->started_at = get_int64 (result, i, 3);
      entry->finished_at = get_int64 (result, i, 4);
      entry->window_since = get_string (result, i, 5);
      entry->window_until = get_string (result, i, 6);
      entry->metrics_requested = (guint) get_int64 (result, i, 7);
      entry->metrics_succeeded = (guint) get_int64 (result, i, 8);
      entry->metrics_failed = (guint) get_int64 (result, i, 9);
      entry->rows_inserted = (guint) get_int64 (result, i, 10);
      entry->rows_updated = (guint) get_int64 (result, i, 11);
      entry->rows_unchanged = (guint) get_int64 (result, i, 12);
      entry->rows_failed = (guint) get_int64 (result, i, 13);
      entry->api_calls = (guint) get_int64 (result, i, 14);
      entry->http_requests = (guint) get_int64 (result, i, 15);
      entry->errors_json = get_string (result, i, 16);
      entry->summary = get_string (result, i, 17);
      g_ptr_array_add (entries, entry);
    }

  return g_steal_pointer (&entries);
}

/* Cursors and pauses */

gboolean
instasync_store_get_cursors (InstaSyncStore  *self,
                             const char      *ig_user_id,
                             GHashTable      *cursors,
                             GError         **error)
{
  const char *params[] = { ig_user_id };
  g_autoptr(PGresult) result = NULL;

  g_return_val_if_fail (INSTASYNC_IS_STORE (self), FALSE);
  g_return_val_if_fail (ig_user_id != NULL, FALSE);
  g_return_val_if_fail (cursors != NULL, FALSE);

  if (!instasync_store_ensure_connected (self, error))
    return FALSE;

  result = PQexecParams (self->conn,
                         "SELECT metric, to_char (synced_through, 'YYYY-MM-DD') "
                         "FROM instagram_sync_cursors "
                         "WHERE ig_user_id = $1 AND owner_oid = " INSTASYNC_STORE_OWNER_SQL ("$1"),
                         1, NULL, params, NULL, NULL, 0);
  if (!instasync_pg_check_result (self->conn, result, PGRES_TUPLES_OK,
                                  N_("reading the sync cursors"), NULL, error))
    return FALSE;

  for (int i = 0; i < PQntuples (result); i++)
    {
      GDate day;

      if (instasync_parse_date (PQgetvalue (result, i, 1), &day, NULL))
        g_hash_table_insert (cursors, g_strdup (PQgetvalue (result, i, 0)),
                             GUINT_TO_POINTER (g_date_get_julian (&day)));
    }

  return TRUE;
}

gboolean
instasync_store_advance_cursor (InstaSyncStore  *self,
                                const char      *ig_user_id,
                                const char      *metric,
                                const GDate     *from,
                                const GDate     *through,
                                GError         **error)
{
  g_autofree char *day = NULL;
  g_autofree char *from_day = NULL;
  const char *params[4];
  g_autoptr(PGresult) result = NULL;

  g_return_val_if_fail (INSTASYNC_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_date_valid (through), FALSE);

  if (!instasync_store_ensure_connected (self, error))
    return FALSE;

  day = instasync_format_date (through);
  from_day = instasync_format_date (from);
  params[0] = ig_user_id;
  params[1] = metric;
  params[2] = day;
  params[3] = from_day;

  /* Only forward, and only across days that are complete: a window that
   * starts after the day following the cursor leaves a gap behind it, and
   * a backfill of older days never moves a cursor back. */
  result = PQexecParams (self->conn,
                         "INSERT INTO instagram_sync_cursors (ig_user_id, metric, synced_through) "
                         "VALUES ($1, $2, $3::date) "
                         "ON CONFLICT (ig_user_id, metric, owner_oid) DO UPDATE SET "
                         "  synced_through = greatest (instagram_sync_cursors.synced_through, "
                         "                             EXCLUDED.synced_through), "
                         "  updated_at = now () "
                         "WHERE instagram_sync_cursors.synced_through >= $4::date - 1",
                         4, NULL, params, NULL, NULL, 0);
  return instasync_pg_check_result (self->conn, result, PGRES_COMMAND_OK,
                                    N_("advancing a sync cursor"), NULL, error);
}

gboolean
instasync_store_set_paused_until (InstaSyncStore  *self,
                                  const char      *ig_user_id,
                                  gint64           unix_seconds,
                                  GError         **error)
{
  g_autofree char *when = g_strdup_printf ("%" G_GINT64_FORMAT, unix_seconds);
  const char *params[] = { ig_user_id, unix_seconds != 0 ? when : NULL };
  g_autoptr(PGresult) result = NULL;

  g_return_val_if_fail (INSTASYNC_IS_STORE (self), FALSE);

  if (!instasync_store_ensure_connected (self, error))
    return FALSE;

  result = PQexecParams (self->conn,
                         "UPDATE instagram_accounts SET paused_until = to_timestamp ($2::bigint), "
                         "  updated_at = now () WHERE ig_user_id = $1",
                         2, NULL, params, NULL, NULL, 0);
  return instasync_pg_check_result (self->conn, result, PGRES_COMMAND_OK,
                                    N_("pausing the account"), NULL, error);
}

gboolean
instasync_store_amend_sync_log_summary (InstaSyncStore  *self,
                                        const char      *ig_user_id,
                                        gint64           started_at,
                                        const char      *summary,
                                        GError         **error)
{
  g_autofree char *started = g_strdup_printf ("%" G_GINT64_FORMAT, started_at);
  g_autofree char *redacted = instasync_redact (summary);
  g_autofree char *capped = instasync_text_cap_for_storage (redacted);
  const char *params[3] = { ig_user_id, started, capped };
  g_autoptr(PGresult) result = NULL;

  g_return_val_if_fail (INSTASYNC_IS_STORE (self), FALSE);
  g_return_val_if_fail (ig_user_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!instasync_store_ensure_connected (self, error))
    return FALSE;

  /* A run is its account and its start, to the microsecond. */
  result = PQexecParams (self->conn,
                         "UPDATE instagram_sync_logs SET summary = $3 WHERE id = ("
                         "  SELECT id FROM instagram_sync_logs "
                         "  WHERE ig_user_id = $1 AND owner_oid = " INSTASYNC_STORE_OWNER_SQL ("$1")
                         "    AND started_at = 'epoch'::timestamptz + $2::bigint * interval '1 microsecond' "
                         "  ORDER BY finished_at DESC NULLS LAST LIMIT 1)",
                         3, NULL, params, NULL, NULL, 0);
  if (!instasync_pg_check_result (self->conn, result, PGRES_COMMAND_OK,
                                  N_("amending the sync log"), NULL, error))
    return FALSE;

  if (g_strcmp0 (PQcmdTuples (result), "0") == 0)
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND,
                   _("There is no sync log of this run of account %s"), ig_user_id);
      return FALSE;
    }

  return TRUE;
}
