/* instasync-sync-run-private.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One account's sync run, shared by the files of the sync engine:
 * instasync-sync-engine.c (plan, fetch, write, record) and
 * instasync-sync-days.c (what the API's days are).
 */

#pragma once

#include "instasync-graph-batch.h"
#include "instasync-sync-engine.h"
#include "instasync-window-reading.h"

G_BEGIN_DECLS

typedef struct
{
  InstaSyncGraphClient       *client;
  InstaSyncStore             *store;
  InstaSyncAccount           *account;
  const char                 *access_token;
  GCancellable               *cancellable;
  InstaSyncFetchResult       *result;
  /* The account's days: the zone whose midnights its end_times are. */
  GTimeZone                  *zone;
  GDate                       today;
  /* Which buckets a window holds, for time series and for the totals as
   * planned (the series' reading when the totals' own is not known). */
  InstaSyncWindowReading      series_reading;
  InstaSyncWindowReading      total_reading;
  /* The totals' reading could not be checked: a zero total proves nothing. */
  gboolean                    totals_unchecked;
  /* An answer showed other days than this run planned with: other day
   * boundaries, or buckets the recorded reading would not have held. */
  gboolean                    days_changed;
  /* No batch of this run has been answered yet: until one is, one
   * operation at a time, so that a refused token costs one call. */
  gboolean                    unanswered;
  /* This run tries the token for the others of the run's token gate. */
  gboolean                    gate_held;
  /* Set when an error means no further call for this account makes sense. */
  GError                     *stop_error;
  GHashTable                 *failed;        /* metrics that failed, to record each once */
  GHashTable                 *switched_off;  /* metrics the API refused for this run */
  GHashTable                 *since_of;      /* metric → the first day it asks for (julian) */
  /* What one call costs, in percent of the account's limit: learnt from the
   * usage headers, kept for the whole run. 0 while not known. */
  double                      per_call;
  const InstaSyncSyncOptions *options;
  gint64                      now;
} SyncRun;

/* instasync-sync-engine.c */

/* An insights GET for @metrics (comma-separated) with exactly these bounds. */
InstaSyncBatchOp *_instasync_sync_insights_op (SyncRun     *run,
                                               const char  *metrics,
                                               const char  *metric_type,
                                               gint64       since,
                                               gint64       until);
/* Sends @ops paced on the usage headers; see the definition. */
void              _instasync_sync_send_paced  (SyncRun     *run,
                                               GPtrArray   *ops,
                                               GError     **batch_error);
/* Whether @error makes every further call of the run pointless. */
gboolean          _instasync_sync_stops_the_account (const GError *error);

/* instasync-sync-days.c */

/* Makes sure the run knows the account's day zone and the readings it
 * needs (@need_totals: total values are asked), from what the database
 * recorded or, failing that, from a probe of reach; records what a probe
 * learnt. A probe that cannot tell leaves the readings UNKNOWN and says
 * why in the result; an error that stops the account sets stop_error. */
void              _instasync_sync_learn_days  (SyncRun     *run,
                                               gboolean     need_totals);
/* Checks the end_times of a time series answer against the run's zone.
 * FALSE when they are not its midnights: the run's zone is then replaced
 * by one that fits (recorded for the account) and days_changed is set. */
gboolean          _instasync_sync_check_zone  (SyncRun     *run,
                                               GPtrArray   *rows);
/* Checks the buckets of a time series answer, @rows (all of them), to a
 * request for the days @first … @last on exact boundaries against the
 * recorded reading: a bucket the reading would have left out shows it
 * wrong. It is then forgotten (the next run learns it again), the result
 * warns, and days_changed is set. */
void              _instasync_sync_check_series_reading (SyncRun            *run,
                                                        GPtrArray          *rows,
                                                        const GDate        *first,
                                                        const GDate        *last);
/* The Graph host and version the readings are recorded under. */
char             *_instasync_sync_api_host    (SyncRun     *run);

G_END_DECLS
