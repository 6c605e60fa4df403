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

/* Rejects a batch the upsert cannot write in one statement: a row with a
 * missing field, or two rows with the same natural key (ON CONFLICT cannot
 * touch a row twice). INSTASYNC_ERROR_INVALID_ARGUMENT. */
gboolean instasync_store_check_batch          (GPtrArray             *rows,
                                               GError               **error);

/* The verification of one upsert, apart from the database so that tests can
 * hand it crafted results. Checks, in this order:
 *  1. @result is an error, or missing → INSTASYNC_ERROR_DATABASE;
 *  2. the rows returned are the rows sent: same count, and row i has the
 *     ordinal i + 1, the key of @rows[i], the stored value @rows[i]->value
 *     and a status other than "failed" → INSTASYNC_ERROR_VERIFY;
 *  3. @command_status (PQcmdStatus of @result) is "SELECT n" with n the
 *     number of rows sent → INSTASYNC_ERROR_VERIFY.
 * The result columns are, in order: ord, ig_user_id, metric, period,
 * metric_type, window_start and end_time (Unix seconds), breakdown,
 * dimension_value, stored_value, status. On success @counts holds what
 * happened to each row; on failure @counts->failed holds every row. */
gboolean instasync_store_verify_upsert_result (const PGresult        *result,
                                               const char            *command_status,
                                               GPtrArray             *rows,
                                               InstaSyncWriteCounts  *counts,
                                               GError               **error);

G_END_DECLS
