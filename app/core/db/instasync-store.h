/* instasync-store.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libpq-fe.h>

#include "instasync-account.h"
#include "instasync-insight-row.h"
#include "instasync-secret.h"
#include "instasync-window-reading.h"

G_BEGIN_DECLS

/* One PostgreSQL connection and every statement InstaSync runs on it.
 *
 * All calls block: a store belongs to one thread, and the sync engine gives
 * each worker thread a store of its own. The GUI reaches it through GTask
 * threads only. */
#define INSTASYNC_TYPE_STORE (instasync_store_get_type ())

G_DECLARE_FINAL_TYPE (InstaSyncStore, instasync_store, INSTASYNC, STORE, GObject)

/* What one verified upsert did to each row it was sent. */
typedef struct
{
  guint inserted;
  guint updated;
  guint unchanged;
  guint failed;
} InstaSyncWriteCounts;

/* One row of instagram_sync_logs. */
typedef struct
{
  gint64  id;                 /* set by the database */
  char   *ig_user_id;
  char   *status;             /* "succeeded", "partial", "failed", "paused" */
  gint64  started_at;         /* Unix microseconds */
  gint64  finished_at;        /* Unix microseconds */
  char   *window_since;       /* YYYY-MM-DD, Pacific day, inclusive */
  char   *window_until;       /* YYYY-MM-DD, Pacific day, inclusive */
  guint   metrics_requested;
  guint   metrics_succeeded;
  guint   metrics_failed;
  guint   rows_inserted;
  guint   rows_updated;
  guint   rows_unchanged;
  guint   rows_failed;
  guint   api_calls;
  guint   http_requests;
  char   *errors_json;        /* JSON array of per-metric errors, "[]" when none */
  char   *summary;            /* the one-line summary */
} InstaSyncSyncLogEntry;

void                   instasync_sync_log_entry_free     (InstaSyncSyncLogEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (InstaSyncSyncLogEntry, instasync_sync_log_entry_free)

InstaSyncStore        *instasync_store_connect           (const char            *conninfo,
                                                          GError               **error);
PGconn                *instasync_store_get_connection    (InstaSyncStore        *self);

/* Applies every migration from sql/ that schema_migrations does not list yet,
 * each in its own transaction. n_applied may be NULL. */
gboolean               instasync_store_migrate           (InstaSyncStore        *self,
                                                          guint                 *n_applied,
                                                          GError               **error);

/* Idempotent, verified upsert of @rows (InstaSyncInsightRow*). Checks, in this
 * order: an error present, the rows returned match the rows sent, the command
 * status. Either every row is accounted for in @counts and TRUE is returned,
 * or nothing is committed, @counts->failed holds the rows sent, and FALSE is
 * returned with INSTASYNC_ERROR_DATABASE or INSTASYNC_ERROR_VERIFY. */
gboolean               instasync_store_upsert_insights   (InstaSyncStore        *self,
                                                          GPtrArray             *rows,
                                                          InstaSyncWriteCounts  *counts,
                                                          GError               **error);

/* Rows of one account's metric with end_time in [from, to) (Unix seconds), oldest first. */
GPtrArray             *instasync_store_query_insights    (InstaSyncStore        *self,
                                                          const char            *ig_user_id,
                                                          const char            *metric,
                                                          gint64                 from,
                                                          gint64                 to,
                                                          GError               **error);
/* Number of rows in instagram_insights, for one account or all (NULL). */
gint64                 instasync_store_count_insights    (InstaSyncStore        *self,
                                                          const char            *ig_user_id,
                                                          GError               **error);

/* The token key for this database (instasync-token-key.h says where it
 * is looked for), checked against the database's record of it before any
 * token is touched: INSTASYNC_ERROR_KEY "the token key does not match the
 * stored tokens" when it differs. While tokens are stored no key is ever
 * made: a missing one is INSTASYNC_ERROR_KEY too. Tokens that an earlier
 * version stored through pgcrypto are sealed anew on the way. Every
 * process loads its key through here. */
InstaSyncSecret       *instasync_store_load_token_key    (InstaSyncStore        *self,
                                                          GError               **error);

/* Accounts and their tokens. The token is sealed in the client under
 * @token_key (instasync-token-cipher.h): neither is ever sent to the
 * server. */
gboolean               instasync_store_add_account       (InstaSyncStore        *self,
                                                          const char            *ig_user_id,
                                                          const char            *username,
                                                          const char            *token,
                                                          const char            *token_key,
                                                          GError               **error);
GPtrArray             *instasync_store_list_accounts     (InstaSyncStore        *self,
                                                          GError               **error);
/* Removes the account and its token. Its history (insights, sync logs,
 * cursors) stays its owner's, seen again if the owner adds it again and
 * never by another role that claims the id, unless @delete_data. */
gboolean               instasync_store_remove_account    (InstaSyncStore        *self,
                                                          const char            *ig_user_id,
                                                          gboolean               delete_data,
                                                          GError               **error);
/* The stored token of @ig_user_id, decrypted. A key other than the one it
 * was stored with is INSTASYNC_ERROR_KEY, never garbage. */
char                  *instasync_store_get_token         (InstaSyncStore        *self,
                                                          const char            *ig_user_id,
                                                          const char            *token_key,
                                                          GError               **error);
/* Keeps the status_reason while the status stays the same, clears it when
 * the status changes. */
gboolean               instasync_store_set_account_status (InstaSyncStore       *self,
                                                           const char           *ig_user_id,
                                                           const char           *status,
                                                           GError              **error);
/* The status and why (a sentence for people, or NULL; stored capped, see
 * instasync_text_cap_for_storage()). */
gboolean               instasync_store_set_account_status_reason (InstaSyncStore  *self,
                                                                  const char      *ig_user_id,
                                                                  const char      *status,
                                                                  const char      *reason,
                                                                  GError         **error);

/* Expiry times of stored tokens, in Unix seconds: 0 for a token that never
 * expires (stored as 'infinity'), INSTASYNC_TOKEN_EXPIRY_UNKNOWN when nobody
 * knows (NULL). A token from instasync_store_add_account() starts unknown. */
#define INSTASYNC_TOKEN_EXPIRY_UNKNOWN G_GINT64_CONSTANT (-1)

/* One account for instasync_store_add_accounts(). */
typedef struct
{
  const char *ig_user_id;
  const char *username;             /* NULL keeps a stored one */
  const char *page_id;              /* the Page it is linked through; NULL keeps a stored one */
} InstaSyncNewAccount;

/* Adds (or reconnects, as instasync_store_add_account() does) each of
 * @accounts with @token, whose expiry times (see above) are stored with
 * it, all in one transaction: either every account and its token are
 * stored, or, on any failure, none is and nothing already stored changes. */
gboolean               instasync_store_add_accounts      (InstaSyncStore            *self,
                                                          const InstaSyncNewAccount *accounts,
                                                          guint                      n_accounts,
                                                          const char                *token,
                                                          gint64                     expires_at,
                                                          gint64                     data_access_expires_at,
                                                          const char                *token_key,
                                                          GError                   **error);

/* Records when the stored token of @ig_user_id expires (see above).
 * INSTASYNC_ERROR_NOT_FOUND without a token.
 *
 * These two write whatever token is stored now: only for a caller that has
 * just stored the token itself. An expiry learned about a token earlier
 * goes through instasync_store_set_token_expiry_if_current(), since another
 * worker may have rotated the token in the meantime. */
gboolean               instasync_store_set_token_expires_at (InstaSyncStore     *self,
                                                             const char         *ig_user_id,
                                                             gint64              expires_at,
                                                             GError            **error);
/* Both expiry times of the stored token. */
gboolean               instasync_store_set_token_expiry  (InstaSyncStore        *self,
                                                          const char            *ig_user_id,
                                                          gint64                 expires_at,
                                                          gint64                 data_access_expires_at,
                                                          GError               **error);
/* Both expiry times of @token, e.g. from debug_token, recorded only while
 * @token (decrypted with @token_key) is still the stored token of
 * @ig_user_id, in one statement. INSTASYNC_ERROR_CONFLICT, and nothing
 * changed, when another token was stored since; INSTASYNC_ERROR_KEY when
 * @token_key does not decrypt the stored one; INSTASYNC_ERROR_NOT_FOUND
 * without a token. */
gboolean               instasync_store_set_token_expiry_if_current (InstaSyncStore  *self,
                                                                    const char      *ig_user_id,
                                                                    const char      *token,
                                                                    gint64           expires_at,
                                                                    gint64           data_access_expires_at,
                                                                    const char      *token_key,
                                                                    GError         **error);
gboolean               instasync_store_get_token_expiry  (InstaSyncStore        *self,
                                                          const char            *ig_user_id,
                                                          gint64                *expires_at,
                                                          gint64                *data_access_expires_at,
                                                          GError               **error);

/* Token rotation: replaces the stored token of @ig_user_id by @new_token,
 * which expires at @expires_at (see above), in one statement, and only
 * while the stored token is still @old_token; the account becomes active.
 * Until this commits the old token is the stored one, and a failure leaves
 * it so (INSTASYNC_ERROR_DATABASE). INSTASYNC_ERROR_CONFLICT when the stored
 * token is no longer @old_token (another worker replaced it first), and
 * INSTASYNC_ERROR_KEY when @token_key does not decrypt it. */
gboolean               instasync_store_rotate_token      (InstaSyncStore        *self,
                                                          const char            *ig_user_id,
                                                          const char            *old_token,
                                                          const char            *new_token,
                                                          gint64                 expires_at,
                                                          const char            *token_key,
                                                          GError               **error);

/* Incremental sync: metric → GUINT_TO_POINTER (julian day of the last
 * complete Pacific day), added to @cursors. */
gboolean               instasync_store_get_cursors       (InstaSyncStore        *self,
                                                          const char            *ig_user_id,
                                                          GHashTable            *cursors,
                                                          GError               **error);
/* Moves a cursor forward to @through, given that every day from @from on
 * is complete; never back, and not when @from leaves a gap after it. A
 * metric without a cursor gets one. */
gboolean               instasync_store_advance_cursor    (InstaSyncStore        *self,
                                                          const char            *ig_user_id,
                                                          const char            *metric,
                                                          const GDate           *from,
                                                          const GDate           *through,
                                                          GError               **error);
/* Unix seconds until which the account is not called; 0 clears it. */
gboolean               instasync_store_set_paused_until  (InstaSyncStore        *self,
                                                          const char            *ig_user_id,
                                                          gint64                 unix_seconds,
                                                          GError               **error);

/* What the API's answers showed of its days (instasync-window-reading.h),
 * per Graph host ("graph.facebook.com") and major version, shared by every
 * process on this database. Both UNKNOWN when nothing is recorded;
 * @total_value_tried is TRUE when a reading is recorded, with a total-value
 * reading of UNKNOWN when totals could not be reconciled. */
gboolean               instasync_store_get_window_readings (InstaSyncStore         *self,
                                                            const char             *api_host,
                                                            int                     api_version,
                                                            InstaSyncWindowReading *time_series,
                                                            InstaSyncWindowReading *total_value,
                                                            gboolean               *total_value_tried,
                                                            GError                **error);
gboolean               instasync_store_put_window_readings (InstaSyncStore          *self,
                                                            const char              *api_host,
                                                            int                      api_version,
                                                            InstaSyncWindowReading   time_series,
                                                            InstaSyncWindowReading   total_value,
                                                            GError                 **error);
/* For when an answer contradicts what was recorded: the next run learns
 * again. */
gboolean               instasync_store_forget_window_readings (InstaSyncStore  *self,
                                                               const char      *api_host,
                                                               int              api_version,
                                                               GError         **error);
/* The time zone whose midnights end the account's days, or NULL. */
gboolean               instasync_store_set_day_zone      (InstaSyncStore        *self,
                                                          const char            *ig_user_id,
                                                          const char            *zone,
                                                          GError               **error);

/* The summary and each string of the errors are stored capped (see
 * instasync_text_cap_for_storage()). */
gboolean               instasync_store_record_sync_log   (InstaSyncStore        *self,
                                                          InstaSyncSyncLogEntry *entry,
                                                          GError               **error);
/* Replaces the summary of the sync log row of @ig_user_id's run that started
 * at @started_at (Unix microseconds): for what is learned about a run after
 * its row was written, such as its token being refreshed. */
gboolean               instasync_store_amend_sync_log_summary (InstaSyncStore   *self,
                                                               const char       *ig_user_id,
                                                               gint64            started_at,
                                                               const char       *summary,
                                                               GError          **error);
/* Newest first; @ig_user_id may be NULL for all accounts; limit 0 = no limit. */
GPtrArray             *instasync_store_list_sync_logs    (InstaSyncStore        *self,
                                                          const char            *ig_user_id,
                                                          guint                  limit,
                                                          GError               **error);

/* Writes instagram_insights as CSV (RFC 4180, header line first) to @out.
 * @ig_user_id may be NULL; @from/@to bound end_time in Unix seconds, 0 = open. */
gboolean               instasync_store_export_csv        (InstaSyncStore        *self,
                                                          const char            *ig_user_id,
                                                          gint64                 from,
                                                          gint64                 to,
                                                          GOutputStream         *out,
                                                          GError               **error);
/* The same for the days @since … @until (either may be NULL: open) of each
 * account's own calendar: a value belongs to the day its end_time closes. */
gboolean               instasync_store_export_csv_days   (InstaSyncStore        *self,
                                                          const char            *ig_user_id,
                                                          const GDate           *since,
                                                          const GDate           *until,
                                                          GOutputStream         *out,
                                                          GError               **error);

G_END_DECLS
