/* instasync-request-planner.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One insights request the planner wants made. */
typedef struct
{
  GStrv        metrics;       /* asked together: they share a shape */
  const char  *metric_type;   /* "time_series" or "total_value" */
  GDate        first;         /* the account's days, inclusive */
  GDate        last;
  guint        period_days;   /* 0: daily values; else a period total over first…last */
} InstaSyncPlannedRequest;

void instasync_planned_request_free (InstaSyncPlannedRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (InstaSyncPlannedRequest, instasync_planned_request_free)

/* Plans the fewest requests that fetch daily values of @metrics over
 * [@since, @until], keeping the shapes the API insists on apart:
 *
 *  - time series metrics together, in chunks of at most 29 days (the API
 *    refuses spans over 30 days, and a DST change adds an hour);
 *  - follower_count on its own, as its errors take the whole request down;
 *  - every total-value metric together, one day per request, since a
 *    total value is one number for the whole window.
 *
 * Each metric's window is first narrowed to what the API serves (its history
 * limit, the two-year retention, today excluded where the API excludes it);
 * a note for each narrowed or emptied window is added to @notes. Chunks come
 * newest first, so that a backfill stopped half-way has the recent days.
 *
 * @period_days (0-terminated, may be NULL) asks, in addition, for period
 * totals of the unique-count metrics (reach, accounts_engaged) over the
 * last N days ending @until: one total-value request per period, never a sum
 * of daily values. Periods longer than the API's 30-day span are noted and
 * skipped. */
GPtrArray *instasync_plan_requests (const char * const *metrics,
                                    const GDate        *since,
                                    const GDate        *until,
                                    const GDate        *today,
                                    const guint        *period_days,
                                    GPtrArray          *notes);

/* The days of [@since, @until] the API serves for @metric; FALSE when none. */
gboolean   instasync_plan_metric_window (const char  *metric,
                                         const GDate *since,
                                         const GDate *until,
                                         const GDate *today,
                                         GDate       *first,
                                         GDate       *last);

/* Splits a grouped request into one request per metric, for when a grouped
 * request failed and the failing metric must be found. */
GPtrArray *instasync_plan_split    (const InstaSyncPlannedRequest *request);

/* Requests for the total values of one day, planned apart (their
 * metrics started from different days), become one request for that day:
 * metrics whose windows differ still share the days they have in common.
 * Works in place and keeps the order of the first request of each day. */
void       instasync_plan_merge_days (GPtrArray *requests);

/* @request without the metrics in @excluded (a set of metric names): a new
 * request of the same shape and window, or NULL when no metric is left. */
InstaSyncPlannedRequest *instasync_plan_without (const InstaSyncPlannedRequest *request,
                                                 GHashTable                    *excluded);

G_END_DECLS
