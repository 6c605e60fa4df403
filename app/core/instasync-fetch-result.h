/* instasync-fetch-result.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "instasync-graph-error.h"

G_BEGIN_DECLS

/* Everything one account's sync did: what it asked for, what came back, what
 * was written, what failed and what to do about it. The CLI prints it, the
 * GUI shows it, and it becomes a row of instagram_sync_logs. */
#define INSTASYNC_TYPE_FETCH_RESULT (instasync_fetch_result_get_type ())

G_DECLARE_FINAL_TYPE (InstaSyncFetchResult, instasync_fetch_result, INSTASYNC, FETCH_RESULT, GObject)

typedef enum
{
  INSTASYNC_FETCH_STATUS_RUNNING,
  INSTASYNC_FETCH_STATUS_SUCCEEDED,   /* every metric requested was fetched and written */
  INSTASYNC_FETCH_STATUS_PARTIAL,     /* some metrics failed, the others were written */
  INSTASYNC_FETCH_STATUS_FAILED,      /* no metric was fetched and written */
  INSTASYNC_FETCH_STATUS_PAUSED,      /* throttled: stopped until access returns */
} InstaSyncFetchStatus;

#define INSTASYNC_TYPE_FETCH_STATUS (instasync_fetch_status_get_type ())

GType       instasync_fetch_status_get_type  (void) G_GNUC_CONST;
const char *instasync_fetch_status_to_string (InstaSyncFetchStatus status);

/* What the token manager found out about the account's token around the
 * run. */
typedef enum
{
  INSTASYNC_TOKEN_STATUS_UNCHECKED,  /* not looked at: unknown expiry, or not ours to manage */
  INSTASYNC_TOKEN_STATUS_VALID,      /* more than the refresh threshold left, or no expiry */
  INSTASYNC_TOKEN_STATUS_REFRESHED,  /* exchanged for a new token, which is stored */
  INSTASYNC_TOKEN_STATUS_EXPIRING,   /* expires soon and was not refreshed; still syncs */
  INSTASYNC_TOKEN_STATUS_EXPIRED,    /* expired or revoked: the account needs a reconnect */
} InstaSyncTokenStatus;

const char *instasync_token_status_to_string (InstaSyncTokenStatus status);

/* One metric's failure. */
typedef struct
{
  char                 *metric;
  char                 *domain;    /* "graph", "instasync", "io", ... */
  int                   code;
  int                   subcode;
  char                 *message;
  InstaSyncErrorAction  action;
} InstaSyncMetricError;

InstaSyncFetchResult *instasync_fetch_result_new                 (const char           *ig_user_id,
                                                                  const char           *username);
const char           *instasync_fetch_result_get_ig_user_id      (InstaSyncFetchResult *self);
const char           *instasync_fetch_result_get_username        (InstaSyncFetchResult *self);

void                  instasync_fetch_result_set_window          (InstaSyncFetchResult *self,
                                                                  const GDate          *since,
                                                                  const GDate          *until);
/* YYYY-MM-DD, Pacific days, inclusive; NULL until set. */
const char           *instasync_fetch_result_get_window_since    (InstaSyncFetchResult *self);
const char           *instasync_fetch_result_get_window_until    (InstaSyncFetchResult *self);

void                  instasync_fetch_result_add_requested       (InstaSyncFetchResult *self,
                                                                  const char           *metric);
void                  instasync_fetch_result_add_succeeded       (InstaSyncFetchResult *self,
                                                                  const char           *metric);
/* Records @error against @metric; the metric counts as failed. */
void                  instasync_fetch_result_add_failed          (InstaSyncFetchResult *self,
                                                                  const char           *metric,
                                                                  const GError         *error);
/* A remark that is not a failure, e.g. a window clamped to what the API serves. */
void                  instasync_fetch_result_add_note            (InstaSyncFetchResult *self,
                                                                  const char           *note);
/* Something the run could not make sure of, which it did not stop for:
 * in the summary (and so the sync log), the details and the JSON. */
void                  instasync_fetch_result_add_warning         (InstaSyncFetchResult *self,
                                                                  const char           *warning);
const char * const   *instasync_fetch_result_get_warnings        (InstaSyncFetchResult *self);
/* @metric was answered without a value for the settled days @days
 * ("YYYY-MM-DD", NULL-terminated): it did not succeed. */
void                  instasync_fetch_result_add_without_data    (InstaSyncFetchResult *self,
                                                                  const char           *metric,
                                                                  const char * const   *days);
const char * const   *instasync_fetch_result_get_without_data    (InstaSyncFetchResult *self);
/* The settled days @metric had no value for; NULL when it had them all. */
const char * const   *instasync_fetch_result_get_days_without_data (InstaSyncFetchResult *self,
                                                                    const char           *metric);

const char * const   *instasync_fetch_result_get_requested       (InstaSyncFetchResult *self);
const char * const   *instasync_fetch_result_get_succeeded       (InstaSyncFetchResult *self);
const char * const   *instasync_fetch_result_get_failed          (InstaSyncFetchResult *self);
/* InstaSyncMetricError*, in the order they happened. */
GPtrArray            *instasync_fetch_result_get_errors          (InstaSyncFetchResult *self);
const char * const   *instasync_fetch_result_get_notes           (InstaSyncFetchResult *self);

void                  instasync_fetch_result_add_rows            (InstaSyncFetchResult *self,
                                                                  guint                 inserted,
                                                                  guint                 updated,
                                                                  guint                 unchanged,
                                                                  guint                 failed);
guint                 instasync_fetch_result_get_rows_inserted   (InstaSyncFetchResult *self);
guint                 instasync_fetch_result_get_rows_updated    (InstaSyncFetchResult *self);
guint                 instasync_fetch_result_get_rows_unchanged  (InstaSyncFetchResult *self);
guint                 instasync_fetch_result_get_rows_failed     (InstaSyncFetchResult *self);

void                  instasync_fetch_result_add_calls           (InstaSyncFetchResult *self,
                                                                  guint                 api_calls,
                                                                  guint                 http_requests);
guint                 instasync_fetch_result_get_api_calls       (InstaSyncFetchResult *self);
guint                 instasync_fetch_result_get_http_requests   (InstaSyncFetchResult *self);

/* Unix microseconds. */
gint64                instasync_fetch_result_get_started_at      (InstaSyncFetchResult *self);
gint64                instasync_fetch_result_get_finished_at     (InstaSyncFetchResult *self);
/* Stamps the finish time and derives the status from what was recorded. */
void                  instasync_fetch_result_finish              (InstaSyncFetchResult *self);
/* The run's row of instagram_sync_logs could not be written: the result
 * cannot count as a success. Call before instasync_fetch_result_finish(),
 * or finish again after it. */
void                  instasync_fetch_result_set_log_failed      (InstaSyncFetchResult *self);
void                  instasync_fetch_result_set_paused_until    (InstaSyncFetchResult *self,
                                                                  gint64                unix_seconds);
gint64                instasync_fetch_result_get_paused_until    (InstaSyncFetchResult *self);
InstaSyncFetchStatus  instasync_fetch_result_get_status          (InstaSyncFetchResult *self);

/* The token part of the result: @expires_at in Unix seconds (0 unknown or
 * never, @never_expires says which), @message a sentence for people about
 * what happened and what to do (may be NULL). Shown by the summary, the
 * details and the JSON; it never changes the status. */
void                  instasync_fetch_result_set_token           (InstaSyncFetchResult *self,
                                                                  InstaSyncTokenStatus  status,
                                                                  gint64                expires_at,
                                                                  gboolean              never_expires,
                                                                  const char           *message);
InstaSyncTokenStatus  instasync_fetch_result_get_token_status    (InstaSyncFetchResult *self);
const char           *instasync_fetch_result_get_token_message   (InstaSyncFetchResult *self);
/* API calls spent on the token (debug_token, the exchange), apart from the
 * sync's own api_calls. */
void                  instasync_fetch_result_add_token_calls     (InstaSyncFetchResult *self,
                                                                  guint                 api_calls);
guint                 instasync_fetch_result_get_token_calls     (InstaSyncFetchResult *self);
/* The most urgent action among the errors, NONE when there are none. */
InstaSyncErrorAction  instasync_fetch_result_get_action          (InstaSyncFetchResult *self);

/* "demo.bakery: 4 of 4 metrics · 120 rows, 12 new · 1.2 s" */
char                 *instasync_fetch_result_to_summary          (InstaSyncFetchResult *self);
/* The summary followed by one line per metric and the suggested actions. */
char                 *instasync_fetch_result_to_details          (InstaSyncFetchResult *self);
JsonNode             *instasync_fetch_result_to_json             (InstaSyncFetchResult *self);
/* The errors alone, as a JSON array (for instagram_sync_logs.errors). */
char                 *instasync_fetch_result_errors_to_json      (InstaSyncFetchResult *self);

G_END_DECLS
