/* instasync-store-private.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "instasync-store.h"

G_BEGIN_DECLS

/* Makes sure the connection is usable: a connection that went away is reset
 * once, and if that fails the error says so clearly. Every statement of the
 * store starts here. */
gboolean instasync_store_ensure_connected     (InstaSyncStore        *self,
                                               GError               **error);

/* An expiry (Unix seconds, 0 for never, INSTASYNC_TOKEN_EXPIRY_UNKNOWN) as a
 * statement parameter: NULL, "infinity" or the seconds, which
 * INSTASYNC_STORE_EXPIRY_SQL turns back into a timestamptz. */
char    *instasync_store_expiry_param         (gint64                 seconds);

/* NULLIF keeps "infinity" away from the cast even when the planner folds
 * the parameter into a constant. */
#define INSTASYNC_STORE_EXPIRY_SQL(n) \
  "CASE WHEN $" n "::text = 'infinity' THEN 'infinity'::timestamptz " \
  "ELSE to_timestamp (nullif ($" n "::text, 'infinity')::bigint) END"

/* Seals @token for @ig_user_id and stores it with its fingerprint and
 * expiry parameters (see instasync_store_expiry_param()), replacing the
 * account's token, inside the caller's transaction. @what names the step in
 * an error. */
gboolean instasync_store_write_token          (InstaSyncStore        *self,
                                               const char            *ig_user_id,
                                               const char            *token,
                                               const char            *expires,
                                               const char            *data_access,
                                               const char            *token_key,
                                               const char            *what,
                                               GError               **error);

/* Records the check value of @token_key for the connected role when none
 * is recorded yet, or checks it against the recorded one:
 * INSTASYNC_ERROR_KEY when it differs. Runs inside the caller's
 * transaction. */
gboolean instasync_store_pin_token_key        (InstaSyncStore        *self,
                                               const char            *token_key,
                                               GError               **error);

/* TRUE, with INSTASYNC_ERROR_KEY set, when a check value is recorded for
 * the connected role and @token_key is not its key; FALSE otherwise (a
 * database error is then logged: the caller reports its own). For a
 * statement that compared fingerprints and matched nothing: a wrong key
 * is told apart from a token replaced meanwhile. */
gboolean instasync_store_token_key_differs    (InstaSyncStore        *self,
                                               const char            *token_key,
                                               GError               **error);

/* How many insight batches of this process met a row another writer had
 * just stored, and were written again with ON CONFLICT (for tests). */
guint    instasync_store_insert_conflict_count (void);

/* The verification of one upsert, apart from the database so that tests can
 * hand it crafted results. @rows must hold no row twice and no key field
 * left out (the upsert refuses such a batch before sending it).
 * Checks, in this order:
 *  1. @result is an error, or missing → INSTASYNC_ERROR_DATABASE;
 *  2. every answer is about a row sent, at most once: its key (binary
 *     columns ig_user_id, metric, period, metric_type, window_start and
 *     end_time as timestamptz, breakdown, dimension_value) is the key of a
 *     row of @rows, its stored value (int8) that row's value, and its
 *     "inserted" flag (bool) is present → INSTASYNC_ERROR_VERIFY;
 *  3. @command_status (PQcmdStatus of @result) is "INSERT 0 n" with n the
 *     number of answers → INSTASYNC_ERROR_VERIFY.
 * The plain INSERT and the upsert answer alike.
 * Rows without an answer are unchanged (see the statement's comment). On
 * success @counts holds what happened to each row; on failure
 * @counts->failed holds every row. */
gboolean instasync_store_verify_upsert_result (const PGresult        *result,
                                               const char            *command_status,
                                               GPtrArray             *rows,
                                               InstaSyncWriteCounts  *counts,
                                               GError               **error);

G_END_DECLS
