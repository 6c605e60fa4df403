/* instasync-sync-engine.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "instasync-account.h"
#include "instasync-fetch-result.h"
#include "instasync-graph-client.h"
#include "instasync-store.h"
#include "instasync-token-gate.h"

G_BEGIN_DECLS

/* What one sync run is asked to do. */
typedef struct
{
  GDate         since;          /* first day of the account's, inclusive; invalid = default */
  GDate         until;          /* last day of the account's, inclusive; invalid = default */
  const char  **metrics;        /* NULL-terminated; NULL = the catalogue's default set */
  guint         lookback_days;  /* the default window: this many days ending yesterday */
  /* With the default window, a metric never synced for the account (no
   * cursor yet) starts this many days back instead, so that a new
   * account's first sync brings some history; 0 = the lookback only. */
  guint         initial_days;
  gint64        now;            /* Unix seconds; 0 = the real clock (tests pin it) */
  /* Period totals of the unique-count metrics over the last N days ending
   * @until, 0-terminated; NULL for none. */
  const guint  *period_days;
  /* Above this share of a rate limit (percent, from the usage headers) the
   * engine slows down; close to the limit it stops and pauses the account. */
  guint         usage_threshold;
  /* Shared by every account of a run: set when the API throttles the whole
   * app (code 4), so that no account calls it before this time. Unix
   * seconds, read and written atomically; may be NULL. */
  gint64       *app_paused_until;
  /* What the accounts of a run know of the tokens they share, so that only
   * the first account of a token sends its first call alone (which makes
   * a refused token cost one call); may be NULL: each account then tries
   * its token itself. */
  InstaSyncTokenGate *token_gate;
} InstaSyncSyncOptions;

#define INSTASYNC_DEFAULT_USAGE_THRESHOLD 80

#define INSTASYNC_DEFAULT_LOOKBACK_DAYS 3

void                  instasync_sync_options_init   (InstaSyncSyncOptions *options);

/* The window a run covers when none is given: @lookback_days days of @zone
 * (an account's days) ending yesterday, since the API may take up to 48
 * hours to settle a day. instasync_sync_account() starts it earlier when a
 * metric's cursor says days before it are missing. */
void                  instasync_sync_default_window (GTimeZone            *zone,
                                                     gint64                now,
                                                     guint                 lookback_days,
                                                     GDate                *since,
                                                     GDate                *until);

/* Checks a window a person asked for: since ≤ until, not in the future, not
 * older than the API's two-year retention. */
gboolean              instasync_sync_check_window   (const GDate          *since,
                                                     const GDate          *until,
                                                     gint64                now,
                                                     GError              **error);

/* Fetches every metric of @options for @account with the fewest requests
 * that keep the API's shapes apart (see instasync-request-planner.h), sent
 * as batches; a grouped request that fails is split so that one failing
 * metric never takes another down. Writes the rows in one verified upsert
 * and records a row in instagram_sync_logs.
 * Blocks: run it in a worker thread with a client and store of that thread.
 * Never returns NULL: every failure is in the result. */
InstaSyncFetchResult *instasync_sync_account        (InstaSyncGraphClient       *client,
                                                     InstaSyncStore             *store,
                                                     InstaSyncAccount           *account,
                                                     const char                 *access_token,
                                                     const InstaSyncSyncOptions *options,
                                                     GCancellable               *cancellable);

G_END_DECLS
