/* instasync-sync-engine.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-sync"

#include "config.h"

#include <glib/gi18n.h>

#include "instasync-day-zone.h"
#include "instasync-error.h"
#include "instasync-graph-batch.h"
#include "instasync-graph-error.h"
#include "instasync-insights-parser.h"
#include "instasync-metric-catalogue.h"
#include "instasync-request-planner.h"
#include "instasync-sync-engine.h"
#include "instasync-sync-run-private.h"
#include "instasync-time.h"

/* Near the limit a run stops calling: the headers lag by a call or two, and
 * a throttled caller is blocked for longer the more it calls. */
#define STOP_PERCENT 95

/* Guards the app-wide pause that the accounts of a run share. */
G_LOCK_DEFINE_STATIC (app_pause);


/* Auxiliary */

static gint64
effective_now (const InstaSyncSyncOptions *options)
{
  return options->now != 0 ? options->now : g_get_real_time () / G_USEC_PER_SEC;
}

gboolean
_instasync_sync_stops_the_account (const GError *error)
{
  switch (instasync_error_classify (error))
    {
    case INSTASYNC_ERROR_ACTION_RECONNECT:
    case INSTASYNC_ERROR_ACTION_BACK_OFF:
    case INSTASYNC_ERROR_ACTION_FAIL:
      return TRUE;
    case INSTASYNC_ERROR_ACTION_NONE:
      /* Cancelled. */
      return TRUE;
    case INSTASYNC_ERROR_ACTION_RETRY:
    case INSTASYNC_ERROR_ACTION_SKIP_METRIC:
    default:
      return FALSE;
    }
}

/* Records @error against @metric, once: later windows failing for the same
 * reason would only repeat it. */
static void
fail_metric (SyncRun      *run,
             const char   *metric,
             const GError *error)
{
  if (g_hash_table_contains (run->failed, metric))
    return;

  g_hash_table_add (run->failed, g_strdup (metric));
  instasync_fetch_result_add_failed (run->result, metric, error);
}

static void
fail_request (SyncRun                       *run,
              const InstaSyncPlannedRequest *request,
              const GError                  *error)
{
  for (guint i = 0; request->metrics[i] != NULL; i++)
    {
      /* A period total that failed says nothing about the daily values of
       * its metric, whose cursor may still move on: it is a failure of its
       * own. */
      g_autofree char *name = request->period_days == 0
        ? g_strdup (request->metrics[i])
        : g_strdup_printf ("%s (%u-day total)", request->metrics[i], request->period_days);

      fail_metric (run, name, error);
    }

  if (run->stop_error == NULL && _instasync_sync_stops_the_account (error))
    run->stop_error = g_error_copy (error);
}

InstaSyncBatchOp *
_instasync_sync_insights_op (SyncRun    *run,
                             const char *metrics,
                             const char *metric_type,
                             gint64      since,
                             gint64      until)
{
  g_autofree char *path = g_strdup_printf ("%s/insights", instasync_account_get_ig_user_id (run->account));
  g_autofree char *since_text = g_strdup_printf ("%" G_GINT64_FORMAT, since);
  g_autofree char *until_text = g_strdup_printf ("%" G_GINT64_FORMAT, until);
  const char *params[] = {
    "metric", metrics,
    "period", "day",
    "metric_type", metric_type,
    "since", since_text,
    "until", until_text,
    NULL
  };

  return instasync_batch_op_new (path, params);
}

static gboolean
is_total (const InstaSyncPlannedRequest *request)
{
  return g_str_equal (request->metric_type, INSTASYNC_METRIC_TYPE_NAME_TOTAL_VALUE);
}

/* Drops the buckets of @rows outside @first … @last: the API's reading of
 * a window may add a neighbour, which belongs to another request. */
static void
keep_days (SyncRun     *run,
           GPtrArray   *rows,
           const GDate *first,
           const GDate *last)
{
  for (guint i = rows->len; i > 0; i--)
    {
      InstaSyncInsightRow *row = g_ptr_array_index (rows, i - 1);
      GDate day;

      instasync_day_of_end_time (run->zone, row->end_time, &day);
      if (g_date_compare (&day, first) < 0 || g_date_compare (&day, last) > 0)
        g_ptr_array_remove_index (rows, i - 1);
    }
}

static InstaSyncBatchOp *
op_for (SyncRun                 *run,
        InstaSyncPlannedRequest *request)
{
  g_autofree char *metrics = g_strjoinv (",", request->metrics);
  gint64 first_start = instasync_day_start (run->zone, &request->first);
  gint64 last_end = instasync_day_end (run->zone, &request->last);
  gint64 since = first_start;
  gint64 until = last_end;
  InstaSyncBatchOp *op;

  /* A time series goes out on the days' own boundaries: its end_times show
   * which buckets came back, and one the window's reading adds is dropped.
   * A total is one number, so its window must hold its days and no other,
   * under the reading the API was seen to follow. */
  if (is_total (request))
    instasync_window_reading_total_bounds (run->total_reading, first_start, last_end,
                                           &since, &until);

  op = _instasync_sync_insights_op (run, metrics, request->metric_type, since, until);
  op->user_data = request;
  return op;
}

/* The error that stops an account close to its rate limit: calling on would
 * only earn a throttle error, and Meta says a throttled caller is blocked for
 * longer the more it calls. */
static GError *
near_limit_error (const InstaSyncUsage *usage)
{
  GError *error = NULL;
  g_autofree char *message =
    g_strdup_printf (_("The usage headers say %d%% of the rate limit is used; "
                       "InstaSync stops before the limit"), instasync_usage_get_percent (usage));
  /* The app's own limit stops every account (code 4), an account's limit
   * that account (code 80002). */
  gboolean app_limit = usage->app_known && usage->app_percent >= STOP_PERCENT;

  instasync_graph_error_set (&error, app_limit ? 4 : 80002, 0, 0, TRUE, message);
  instasync_graph_error_set_regain_minutes (error, usage->regain_minutes > 0
                                                   ? usage->regain_minutes : 60);
  return error;
}

/* Another worker hit the app's limit: no account calls on. */
static GError *
app_pause_error (SyncRun *run)
{
  gint64 until = 0;
  GError *error = NULL;

  if (run->options->app_paused_until != NULL)
    {
      G_LOCK (app_pause);
      until = *run->options->app_paused_until;
      G_UNLOCK (app_pause);
    }

  if (until <= g_get_real_time () / G_USEC_PER_SEC)
    return NULL;

  instasync_graph_error_set (&error, 4, 0, 0, TRUE,
                             _("Instagram limits requests from this app; InstaSync waits"));
  instasync_graph_error_set_regain_minutes (error,
                                            (int)((until - g_get_real_time () / G_USEC_PER_SEC + 59) / 60));
  return error;
}

/* The first error in @slice that makes every further call pointless. */
static const GError *
stop_error_in (GPtrArray *slice)
{
  for (guint i = 0; i < slice->len; i++)
    {
      InstaSyncBatchOp *op = g_ptr_array_index (slice, i);

      if (op->error != NULL && _instasync_sync_stops_the_account (op->error) &&
          op->error->domain == INSTASYNC_GRAPH_ERROR)
        return op->error;
    }

  return NULL;
}

static void
fail_from (GPtrArray *ops,
           guint      start,
           GError   **batch_error,
           GError    *error)
{
  instasync_batch_ops_fail_unanswered (ops, start, error);

  if (*batch_error == NULL)
    *batch_error = error;
  else
    g_error_free (error);
}

/* A pause that a cancellation ends at once. */
static void
sleep_unless_cancelled (GCancellable *cancellable,
                        guint         milliseconds)
{
  GPollFD fd;

  if (cancellable != NULL && g_cancellable_make_pollfd (cancellable, &fd))
    {
      g_poll (&fd, 1, (int)milliseconds);
      g_cancellable_release_fd (cancellable);
      return;
    }

  g_usleep ((gulong)milliseconds * 1000);
}

/* Sends @ops in batches, watching the usage headers between them. From the
 * percentages before and after each batch it learns what one call costs,
 * and sends no more than fits under the limit: above the threshold in small
 * batches with a pause before each, and none at all near the limit. A token
 * or throttle error in one batch stops the rest: calling into a block only
 * makes it longer. */
/* Tells the run's token gate what the first answer showed of the token: a
 * refusal (190, 102), an answer (anything else the API said, a throttle
 * included), or nothing (the network), when another account tries next. */
static void
settle_gate (SyncRun      *run,
             const GError *error)
{
  InstaSyncTokenTrial outcome = INSTASYNC_TOKEN_ANSWERED;

  if (!run->gate_held)
    return;

  if (error != NULL && error->domain == INSTASYNC_GRAPH_ERROR &&
      (error->code == 190 || error->code == 102))
    outcome = INSTASYNC_TOKEN_REFUSED;
  else if (error != NULL && error->domain != INSTASYNC_GRAPH_ERROR)
    outcome = INSTASYNC_TOKEN_UNTRIED;

  instasync_token_gate_settle (run->options->token_gate, run->access_token, outcome);
  run->gate_held = FALSE;
}

void
_instasync_sync_send_paced (SyncRun   *run,
                            GPtrArray *ops,
                            GError   **batch_error)
{
  guint threshold = run->options->usage_threshold != 0 ? run->options->usage_threshold
                                                        : INSTASYNC_DEFAULT_USAGE_THRESHOLD;
  guint start = 0;

  while (start < ops->len)
    {
      const InstaSyncUsage *usage = instasync_graph_client_get_usage (run->client);
      int percent = instasync_usage_get_percent (usage);
      gboolean knew_account = usage->business_known;
      guint n = MIN (INSTASYNC_GRAPH_BATCH_MAX, ops->len - start);
      g_autoptr(GPtrArray) slice = g_ptr_array_new ();
      g_autoptr(GError) local_error = NULL;
      GError *paused = app_pause_error (run);
      const GError *stop;
      int after;

      if (paused != NULL)
        {
          fail_from (ops, start, batch_error, paused);
          return;
        }

      /* Until this account's usage and the cost of a call are known, small
       * batches find them out before a large one could overshoot. */
      if (!knew_account || run->per_call == 0.0)
        n = MIN (n, 10);

      /* A token the API refuses is refused by every operation of a batch:
       * the first answer of a run comes from one operation alone. */
      if (run->unanswered)
        n = 1;

      if (run->per_call > 0.0)
        n = MIN (n, (guint)MAX (0.0, (STOP_PERCENT - percent) / run->per_call));

      if (percent >= STOP_PERCENT || n == 0)
        {
          fail_from (ops, start, batch_error, near_limit_error (usage));
          return;
        }

      if (percent >= (int)threshold)
        {
          /* Spread what is left instead of spending it at once. */
          n = MIN (n, 10);
          sleep_unless_cancelled (run->cancellable,
                                  (guint)MIN (5000, (percent - (int)threshold + 1) * 100));
        }

      for (guint i = start; i < start + n; i++)
        g_ptr_array_add (slice, g_ptr_array_index (ops, i));

      if (!instasync_graph_client_run_batch (run->client, slice, run->access_token,
                                             run->cancellable, &local_error))
        {
          run->unanswered = FALSE;
          settle_gate (run, local_error);
          /* The token, a throttle, the network: the rest would fare no better. */
          fail_from (ops, start + n, batch_error, g_steal_pointer (&local_error));
          return;
        }

      run->unanswered = FALSE;
      stop = stop_error_in (slice);
      settle_gate (run, stop);
      if (stop != NULL)
        {
          fail_from (ops, start + n, batch_error, g_error_copy (stop));
          return;
        }

      /* Only a rise of this account's own usage says what its calls cost:
       * the first reading after the reset includes its earlier calls. */
      after = instasync_usage_get_percent (instasync_graph_client_get_usage (run->client));
      if (knew_account && after > percent)
        run->per_call = MAX (run->per_call, (double)(after - percent) / n);
      else if (knew_account && run->per_call == 0.0)
        /* No whole percent more after n calls: a call costs less than 1/n. */
        run->per_call = 1.0 / n;

      start += n;
    }
}

/* A grouped request refused with code 100 (a parameter the API will not
 * take), where one metric of the group may be at fault. */
static gboolean
is_refused_group (const InstaSyncPlannedRequest *request,
                  const GError                  *error)
{
  return g_strv_length (request->metrics) > 1 &&
         g_error_matches (error, INSTASYNC_GRAPH_ERROR, 100) &&
         instasync_error_classify (error) == INSTASYNC_ERROR_ACTION_SKIP_METRIC;
}

static char *
shape_of (const InstaSyncPlannedRequest *request)
{
  g_autofree char *metrics = g_strjoinv (",", request->metrics);

  return g_strdup_printf ("%s/%s/%u", metrics, request->metric_type, request->period_days);
}

static void
fail_queued (SyncRun *run,
             GQueue  *queue)
{
  InstaSyncPlannedRequest *request;

  while ((request = g_queue_pop_head (queue)) != NULL)
    {
      fail_request (run, request, run->stop_error);
      instasync_planned_request_free (request);
    }
}

/* Runs @requests (taking them over) in waves of at most one batch; rows go
 * to @rows. Between waves the run learns, so that a 2-year backfill does
 * not pay for one mistake on every day:
 *
 *  - a metric the API refused when asked alone (code 100) is left out of
 *    every request still to come;
 *  - of the grouped requests of one shape refused with code 100 in a wave,
 *    the first is split into one request per metric, sent in the next wave
 *    on their own to find the metric at fault, and the others go back to
 *    the front of the queue to be asked again without it. A group refused
 *    a second time is split too: the fault was not one metric's. */
static void
run_requests (SyncRun   *run,
              GPtrArray *requests,
              GPtrArray *rows)
{
  GQueue pending = G_QUEUE_INIT;
  GQueue singles = G_QUEUE_INIT;
  g_autoptr(GHashTable) retried = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < requests->len; i++)
    g_queue_push_tail (&pending, g_steal_pointer (&requests->pdata[i]));
  g_ptr_array_set_size (requests, 0);

  while (run->stop_error == NULL && (!g_queue_is_empty (&singles) || !g_queue_is_empty (&pending)))
    {
      GQueue *source = !g_queue_is_empty (&singles) ? &singles : &pending;
      g_autoptr(GPtrArray) asked =
        g_ptr_array_new_with_free_func ((GDestroyNotify)instasync_planned_request_free);
      g_autoptr(GPtrArray) ops =
        g_ptr_array_new_with_free_func ((GDestroyNotify)instasync_batch_op_free);
      g_autoptr(GHashTable) split_shapes = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                                  g_free, NULL);
      g_autoptr(GError) batch_error = NULL;
      GQueue again = G_QUEUE_INIT;
      InstaSyncPlannedRequest *request;

      while (ops->len < INSTASYNC_GRAPH_BATCH_MAX &&
             (request = g_queue_pop_head (source)) != NULL)
        {
          InstaSyncPlannedRequest *trimmed = instasync_plan_without (request, run->switched_off);

          /* The "asked again" mark follows the request into its new copy. */
          if (g_hash_table_remove (retried, request) && trimmed != NULL)
            g_hash_table_add (retried, trimmed);
          instasync_planned_request_free (request);

          /* Every metric of it refused: each has its failure recorded. */
          if (trimmed == NULL)
            continue;

          g_ptr_array_add (asked, trimmed);
          g_ptr_array_add (ops, op_for (run, trimmed));
        }

      if (ops->len == 0)
        continue;

      _instasync_sync_send_paced (run, ops, &batch_error);

      for (guint i = 0; i < ops->len; i++)
        {
          InstaSyncBatchOp *op = g_ptr_array_index (ops, i);
          g_autoptr(GPtrArray) parsed = NULL;
          g_autoptr(GError) error = NULL;
          InstaSyncInsightsQuery query = { 0, };

          request = op->user_data;
          query.ig_user_id = instasync_account_get_ig_user_id (run->account);
          query.metrics = (const char * const *)request->metrics;
          query.period = "day";
          query.metric_type = request->metric_type;
          query.zone = run->zone;
          /* A time series is read whole (no since or until to narrow it):
           * its end_times are checked against the account's zone and the
           * recorded reading, and only then narrowed to the request's days. */
          if (is_total (request))
            {
              query.since = instasync_day_start (run->zone, &request->first);
              query.until = instasync_day_end (run->zone, &request->last);
              query.zero_is_no_data = run->totals_unchecked;
            }

          if (op->body != NULL)
            {
              parsed = instasync_insights_parse (op->body, &query, &error);

              /* The end_times are the API's word on where the account's
               * days end: rows follow them, and a new zone is learnt if
               * need be. */
              if (parsed != NULL && !is_total (request) &&
                  !_instasync_sync_check_zone (run, parsed))
                {
                  g_clear_pointer (&parsed, g_ptr_array_unref);
                  query.zone = run->zone;
                  parsed = instasync_insights_parse (op->body, &query, &error);
                }
              if (parsed != NULL && !is_total (request))
                {
                  _instasync_sync_check_series_reading (run, parsed, &request->first,
                                                        &request->last);
                  keep_days (run, parsed, &request->first, &request->last);
                }
            }
          else if (op->error != NULL)
            error = g_error_copy (op->error);
          else if (batch_error != NULL)
            error = g_error_copy (batch_error);
          else
            error = g_error_new_literal (INSTASYNC_ERROR, INSTASYNC_ERROR_FAILED,
                                         _("The request got no answer"));

          if (parsed != NULL)
            {
              for (guint r = 0; r < parsed->len; r++)
                g_ptr_array_add (rows, g_steal_pointer (&parsed->pdata[r]));
              g_ptr_array_set_size (parsed, 0);
              continue;
            }

          if (is_refused_group (request, error))
            {
              g_autofree char *shape = shape_of (request);

              if (!g_hash_table_contains (retried, request) &&
                  g_hash_table_contains (split_shapes, shape))
                {
                  /* Another of this shape is being split: wait for it. */
                  g_ptr_array_index (asked, i) = NULL;
                  g_hash_table_add (retried, request);
                  g_queue_push_tail (&again, request);
                }
              else
                {
                  g_autoptr(GPtrArray) split = instasync_plan_split (request);

                  for (guint m = 0; m < split->len; m++)
                    g_queue_push_tail (&singles, g_steal_pointer (&split->pdata[m]));
                  g_ptr_array_set_size (split, 0);
                  g_hash_table_add (split_shapes, g_steal_pointer (&shape));
                }
              continue;
            }

          /* Code 100 on a request for one metric: the API will not serve that
           * metric (removed, unknown, not available for the account). */
          if (g_strv_length (request->metrics) == 1 && request->period_days == 0 &&
              g_error_matches (error, INSTASYNC_GRAPH_ERROR, 100) &&
              instasync_graph_error_get_subcode (error) != 33)
            g_hash_table_add (run->switched_off, g_strdup (request->metrics[0]));

          fail_request (run, request, error);
        }

      /* A request leaving now must not pass its mark on to a later one
       * that happens to get its address. */
      for (guint i = 0; i < asked->len; i++)
        if (g_ptr_array_index (asked, i) != NULL)
          g_hash_table_remove (retried, g_ptr_array_index (asked, i));

      /* Back to the front, in their order, after the split's wave. */
      while ((request = g_queue_pop_tail (&again)) != NULL)
        g_queue_push_head (&pending, request);
    }

  fail_queued (run, &singles);
  fail_queued (run, &pending);
}

static void
write_rows (SyncRun   *run,
            GPtrArray *rows)
{
  InstaSyncWriteCounts counts = { 0, };
  g_autoptr(GError) error = NULL;

  if (rows->len == 0)
    return;

  /* One verified upsert, one transaction, for the whole account. */
  if (!instasync_store_upsert_insights (run->store, rows, &counts, &error))
    {
      instasync_fetch_result_add_rows (run->result, 0, 0, 0, rows->len);
      for (guint i = 0; i < rows->len; i++)
        fail_metric (run, ((InstaSyncInsightRow *)g_ptr_array_index (rows, i))->metric, error);
      if (run->stop_error == NULL)
        run->stop_error = g_steal_pointer (&error);
      return;
    }

  instasync_fetch_result_add_rows (run->result, counts.inserted, counts.updated,
                                   counts.unchanged, counts.failed);
}

/* The API may take 48 hours to settle a day: until then a day without a
 * value is not a gap, only not there yet. */
static gboolean
is_settled (SyncRun     *run,
            const GDate *day)
{
  return instasync_day_end (run->zone, day) + 48 * 3600 <= run->now;
}

/* The days (julian) for which @rows hold a daily value of @metric. */
static GHashTable *
stored_days (SyncRun     *run,
             const char  *metric,
             GPtrArray   *rows)
{
  GHashTable *days = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      InstaSyncInsightRow *row = g_ptr_array_index (rows, i);
      GDate day;

      /* Daily buckets only: a period total says nothing of single days. */
      if (!g_str_equal (row->metric, metric) || *row->breakdown != '\0' ||
          row->end_time - row->window_start > 25 * 3600)
        continue;
      instasync_day_of_end_time (run->zone, row->end_time, &day);
      g_hash_table_add (days, GUINT_TO_POINTER (g_date_get_julian (&day)));
    }

  return days;
}

/* Data presence, the last check of a metric: it succeeded when a value is
 * stored for every settled day of its window; otherwise the result names
 * the days without one. Its cursor moves through the last day up to which
 * every day is stored, and never onto a day still settling, so that the
 * next run asks for all of those again. */
static void
settle_metric (SyncRun     *run,
               const char  *metric,
               const GDate *since,
               const GDate *until,
               GPtrArray   *rows)
{
  g_autoptr(GHashTable) days = NULL;
  g_autoptr(GStrvBuilder) missing = g_strv_builder_new ();
  g_auto(GStrv) missing_days = NULL;
  g_autoptr(GError) error = NULL;
  GDate first, last, through;
  gboolean complete = TRUE;

  if (!instasync_plan_metric_window (metric, since, until, &run->today, &first, &last))
    {
      /* Nothing the API serves was asked: the planner said so in a note. */
      instasync_fetch_result_add_succeeded (run->result, metric);
      return;
    }

  days = stored_days (run, metric, rows);
  through = first;
  g_date_subtract_days (&through, 1);
  for (GDate day = first; g_date_compare (&day, &last) <= 0; g_date_add_days (&day, 1))
    {
      gboolean stored = g_hash_table_contains (days, GUINT_TO_POINTER (g_date_get_julian (&day)));
      gboolean settled = is_settled (run, &day);

      if (settled && !stored)
        {
          g_autofree char *text = instasync_format_date (&day);

          g_strv_builder_add (missing, text);
        }
      complete = complete && stored && settled;
      if (complete)
        through = day;
    }

  missing_days = g_strv_builder_end (missing);
  if (missing_days[0] != NULL)
    instasync_fetch_result_add_without_data (run->result, metric,
                                             (const char * const *)missing_days);
  else
    instasync_fetch_result_add_succeeded (run->result, metric);

  if (g_date_compare (&through, &first) < 0)
    return;

  if (!instasync_store_advance_cursor (run->store, instasync_account_get_ig_user_id (run->account),
                                       metric, &first, &through, &error))
    g_debug ("Could not advance the cursor of %s: %s", metric, error->message);
}

/* Total values planned with days that the answers then showed wrong (other
 * day boundaries, or another reading of a window) hold other days than
 * they claim: none is kept, and the next run asks again on the right ones. */
static void
drop_misplaced_totals (SyncRun   *run,
                       GPtrArray *rows)
{
  g_autoptr(GError) error = NULL;

  g_set_error_literal (&error, INSTASYNC_ERROR, INSTASYNC_ERROR_NO_DATA,
                       _("The API's days for this account were not those InstaSync planned "
                         "with; total values are asked again on the right days next time"));

  for (guint i = rows->len; i > 0; i--)
    {
      InstaSyncInsightRow *row = g_ptr_array_index (rows, i - 1);

      if (!g_str_equal (row->metric_type, INSTASYNC_METRIC_TYPE_NAME_TOTAL_VALUE))
        continue;
      fail_metric (run, row->metric, error);
      g_ptr_array_remove_index (rows, i - 1);
    }
}

static gboolean
is_total_only (const InstaSyncMetricInfo *info)
{
  return !(info->types & INSTASYNC_METRIC_TYPE_TIME_SERIES);
}

/* Whether @metrics ask for any total value: their own, or a period total. */
static gboolean
needs_totals (const char * const *metrics,
              const guint        *period_days)
{
  gboolean periods = period_days != NULL && period_days[0] != 0;

  for (guint i = 0; metrics[i] != NULL; i++)
    {
      const InstaSyncMetricInfo *info = instasync_metric_catalogue_lookup (metrics[i]);

      if (info == NULL)
        continue;
      if (is_total_only (info) || (periods && (g_str_equal (info->name, "reach") ||
                                               g_str_equal (info->name, "accounts_engaged"))))
        return TRUE;
    }

  return FALSE;
}

static void
metric_since (SyncRun    *run,
              const char *metric,
              GDate      *since)
{
  g_date_clear (since, 1);
  g_date_set_julian (since, GPOINTER_TO_UINT (g_hash_table_lookup (run->since_of, metric)));
}

static void
sync_metrics (SyncRun            *run,
              const char * const *metrics,
              const GDate        *until,
              const guint        *period_days)
{
  g_autoptr(GStrvBuilder) asked = g_strv_builder_new ();
  g_auto(GStrv) plannable = NULL;
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GHashTable) planned = g_hash_table_new (g_str_hash, g_str_equal);
  guint version = instasync_graph_client_get_version_major (run->client);

  for (guint i = 0; metrics[i] != NULL; i++)
    {
      const InstaSyncMetricInfo *info = instasync_metric_catalogue_lookup (metrics[i]);
      g_autoptr(GError) error = NULL;

      instasync_fetch_result_add_requested (run->result, metrics[i]);

      if (info == NULL)
        {
          g_set_error (&error, INSTASYNC_ERROR, INSTASYNC_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not in the metric catalogue"), metrics[i]);
          fail_metric (run, metrics[i], error);
        }
      else if (info->removed_in_version != 0 && version >= info->removed_in_version)
        {
          /* Asking would only earn a code 100: say so without spending a call. */
          instasync_graph_error_set (&error, 100, 0, 0, FALSE,
                                     _("The metric is no longer supported from this API version on"));
          fail_metric (run, metrics[i], error);
        }
      else if (run->stop_error != NULL)
        {
          fail_metric (run, metrics[i], run->stop_error);
        }
      else if (is_total_only (info) && run->total_reading == INSTASYNC_WINDOW_READING_UNKNOWN)
        {
          /* Without knowing which days a window holds, a total could be
           * any day's, or none: it is not asked for. */
          g_set_error_literal (&error, INSTASYNC_ERROR, INSTASYNC_ERROR_NO_DATA,
                               _("InstaSync could not yet learn which days a window of the Graph "
                                 "API holds, so total values are not asked for; the next sync "
                                 "tries again"));
          fail_metric (run, metrics[i], error);
        }
      else
        {
          g_strv_builder_add (asked, metrics[i]);
        }
    }

  plannable = g_strv_builder_end (asked);
  if (plannable[0] == NULL)
    return;

  if (run->total_reading == INSTASYNC_WINDOW_READING_UNKNOWN)
    period_days = NULL;

  /* Metrics that start from the same day are planned together, so that
   * they share requests; one whose cursor is stuck further back gets a
   * window of its own instead of widening everybody's. */
  requests = g_ptr_array_new_with_free_func ((GDestroyNotify)instasync_planned_request_free);
  for (guint i = 0; plannable[i] != NULL; i++)
    {
      g_autoptr(GStrvBuilder) group_builder = NULL;
      g_auto(GStrv) group = NULL;
      g_autoptr(GPtrArray) group_requests = NULL;
      GDate since;

      if (g_hash_table_contains (planned, plannable[i]))
        continue;

      metric_since (run, plannable[i], &since);
      group_builder = g_strv_builder_new ();
      for (guint j = i; plannable[j] != NULL; j++)
        {
          GDate other;

          metric_since (run, plannable[j], &other);
          if (!g_hash_table_contains (planned, plannable[j]) && g_date_compare (&other, &since) == 0)
            {
              g_strv_builder_add (group_builder, plannable[j]);
              g_hash_table_add (planned, plannable[j]);
            }
        }
      group = g_strv_builder_end (group_builder);

      group_requests = instasync_plan_requests ((const char * const *)group, &since, until,
                                                &run->today, period_days, notes);
      for (guint r = 0; r < group_requests->len; r++)
        g_ptr_array_add (requests, g_steal_pointer (&group_requests->pdata[r]));
      g_ptr_array_set_size (group_requests, 0);
    }

  instasync_plan_merge_days (requests);

  for (guint i = 0; i < notes->len; i++)
    instasync_fetch_result_add_note (run->result, g_ptr_array_index (notes, i));

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify)instasync_insight_row_free);
  run_requests (run, requests, rows);

  if (run->days_changed)
    drop_misplaced_totals (run, rows);

  /* What the API did return is complete and correct for its windows: it is
   * written even when other windows failed. */
  write_rows (run, rows);

  for (guint i = 0; plannable[i] != NULL; i++)
    if (!g_hash_table_contains (run->failed, plannable[i]))
      {
        GDate since;

        metric_since (run, plannable[i], &since);
        settle_metric (run, plannable[i], &since, until, rows);
      }
}

/* An earlier run was throttled and the time it was told has not come yet:
 * the account, or the whole app, is not called. */
static GError *
still_paused (SyncRun *run)
{
  gint64 account_until = instasync_account_get_paused_until (run->account);
  gint64 app_until = 0;
  gint64 until;
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *text = NULL;
  g_autofree char *message = NULL;
  GError *error = NULL;

  if (run->options->app_paused_until != NULL)
    {
      G_LOCK (app_pause);
      app_until = *run->options->app_paused_until;
      G_UNLOCK (app_pause);
    }

  until = MAX (account_until, app_until);
  if (until <= run->now)
    return NULL;

  when = g_date_time_new_from_unix_local (until);
  text = g_date_time_format (when, "%H:%M");
  /* Translators: %s is a time of day, e.g. "14:30" */
  message = g_strdup_printf (_("Instagram limited requests earlier; InstaSync waits until %s "
                               "before calling again"), text);
  instasync_graph_error_set (&error, app_until > account_until ? 4 : 80002, 0, 0, TRUE, message);
  instasync_graph_error_set_regain_minutes (error, (int)((until - run->now + 59) / 60));
  return error;
}

static void
pause_account (SyncRun *run)
{
  int minutes = instasync_graph_error_get_regain_minutes (run->stop_error);
  /* Counted from now, not from the start of a run that may have been long;
   * Meta gives no time with some throttles, and an hour is its own advice. */
  gint64 now = run->options->now != 0 ? run->options->now : g_get_real_time () / G_USEC_PER_SEC;
  gint64 until = now + 60 * (minutes > 0 ? minutes : 60);
  const char *ig_user_id = instasync_account_get_ig_user_id (run->account);
  g_autoptr(GError) error = NULL;

  instasync_fetch_result_set_paused_until (run->result, until);
  instasync_account_set_paused_until (run->account, until);

  /* Code 4 is the whole app's limit: no account of this run calls on. */
  if (g_error_matches (run->stop_error, INSTASYNC_GRAPH_ERROR, 4) &&
      run->options->app_paused_until != NULL)
    {
      G_LOCK (app_pause);
      *run->options->app_paused_until = MAX (*run->options->app_paused_until, until);
      G_UNLOCK (app_pause);
    }

  if (g_strcmp0 (instasync_account_get_source (run->account), "database") == 0 &&
      !instasync_store_set_paused_until (run->store, ig_user_id, until, &error))
    g_debug ("Could not record the pause: %s", error->message);
}

static void
clear_pause (SyncRun *run)
{
  g_autoptr(GError) error = NULL;

  instasync_account_set_paused_until (run->account, 0);
  if (g_strcmp0 (instasync_account_get_source (run->account), "database") == 0 &&
      !instasync_store_set_paused_until (run->store, instasync_account_get_ig_user_id (run->account),
                                         0, &error))
    g_debug ("Could not clear the pause: %s", error->message);
}

/* Each metric starts at @since, or, with no window asked for, where its
 * cursor says data is missing: a machine that was off for a week catches
 * up on its own. @since becomes the earliest start of all. */
static void
set_starts (SyncRun            *run,
            const char * const *metrics,
            gboolean            from_cursors,
            GDate              *since)
{
  g_autoptr(GHashTable) cursors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  GDate earliest = run->today;
  GDate window_since = *since;
  GDate initial = run->today;
  gboolean cursors_known = FALSE;

  if (from_cursors)
    {
      cursors_known = instasync_store_get_cursors (run->store,
                                                   instasync_account_get_ig_user_id (run->account),
                                                   cursors, &error);
      /* The write will fail the same way, and say so. */
      if (!cursors_known)
        g_debug ("Could not read the sync cursors: %s", error->message);
    }

  g_date_subtract_days (&earliest, INSTASYNC_METRIC_RETENTION_DAYS - 2);
  g_date_subtract_days (&initial, MIN (run->options->initial_days, INSTASYNC_METRIC_RETENTION_DAYS - 2));

  for (guint i = 0; metrics[i] != NULL; i++)
    {
      gpointer julian = g_hash_table_lookup (cursors, metrics[i]);
      GDate start = window_since;

      if (julian != NULL)
        {
          GDate resume;

          g_date_clear (&resume, 1);
          g_date_set_julian (&resume, GPOINTER_TO_UINT (julian));
          g_date_add_days (&resume, 1);
          if (g_date_compare (&resume, &earliest) < 0)
            resume = earliest;
          if (g_date_compare (&resume, &start) < 0)
            start = resume;
        }
      else if (cursors_known && run->options->initial_days > 0 &&
               g_date_compare (&initial, &start) < 0)
        {
          /* Never synced: some history first (the planner still keeps
           * each metric within what the API serves). */
          start = initial;
        }

      g_hash_table_insert (run->since_of, (gpointer)metrics[i],
                           GUINT_TO_POINTER (g_date_get_julian (&start)));
      if (g_date_compare (&start, since) < 0)
        *since = start;
    }
}

static void
record_sync_log (SyncRun *run)
{
  InstaSyncFetchResult *result = run->result;
  InstaSyncSyncLogEntry entry = { 0, };
  g_autoptr(GError) error = NULL;
  g_autofree char *errors_json = instasync_fetch_result_errors_to_json (result);
  g_autofree char *summary = instasync_fetch_result_to_summary (result);

  entry.ig_user_id = (char *)instasync_fetch_result_get_ig_user_id (result);
  entry.status = (char *)instasync_fetch_status_to_string (instasync_fetch_result_get_status (result));
  entry.started_at = instasync_fetch_result_get_started_at (result);
  entry.finished_at = instasync_fetch_result_get_finished_at (result);
  entry.window_since = (char *)instasync_fetch_result_get_window_since (result);
  entry.window_until = (char *)instasync_fetch_result_get_window_until (result);
  entry.metrics_requested = g_strv_length ((char **)instasync_fetch_result_get_requested (result));
  entry.metrics_succeeded = g_strv_length ((char **)instasync_fetch_result_get_succeeded (result));
  entry.metrics_failed = g_strv_length ((char **)instasync_fetch_result_get_failed (result));
  entry.rows_inserted = instasync_fetch_result_get_rows_inserted (result);
  entry.rows_updated = instasync_fetch_result_get_rows_updated (result);
  entry.rows_unchanged = instasync_fetch_result_get_rows_unchanged (result);
  entry.rows_failed = instasync_fetch_result_get_rows_failed (result);
  entry.api_calls = instasync_fetch_result_get_api_calls (result);
  entry.http_requests = instasync_fetch_result_get_http_requests (result);
  entry.errors_json = errors_json;
  entry.summary = summary;

  if (!instasync_store_record_sync_log (run->store, &entry, &error))
    {
      g_autofree char *note = g_strdup_printf (_("The sync log could not be written: %s"),
                                               error->message);

      /* What is not in the log did not quietly succeed. */
      instasync_fetch_result_add_note (result, note);
      instasync_fetch_result_set_log_failed (result);
      instasync_fetch_result_finish (result);
    }
}

/* Public API */

void
instasync_sync_options_init (InstaSyncSyncOptions *options)
{
  g_return_if_fail (options != NULL);

  g_date_clear (&options->since, 1);
  g_date_clear (&options->until, 1);
  options->metrics = NULL;
  options->lookback_days = INSTASYNC_DEFAULT_LOOKBACK_DAYS;
  options->initial_days = 0;
  options->now = 0;
  options->period_days = NULL;
  options->usage_threshold = INSTASYNC_DEFAULT_USAGE_THRESHOLD;
  options->app_paused_until = NULL;
  options->token_gate = NULL;
}

void
instasync_sync_default_window (GTimeZone *zone,
                               gint64     now,
                               guint      lookback_days,
                               GDate     *since,
                               GDate     *until)
{
  instasync_date_at (zone, now, until);
  g_date_subtract_days (until, 1);
  *since = *until;
  g_date_subtract_days (since, MAX (lookback_days, 1) - 1);
}

gboolean
instasync_sync_check_window (const GDate  *since,
                             const GDate  *until,
                             gint64        now,
                             GError      **error)
{
  GDate today, earliest;

  instasync_pacific_date_at (now, &today);
  earliest = today;
  g_date_subtract_days (&earliest, INSTASYNC_METRIC_RETENTION_DAYS - 2);

  if (g_date_compare (since, until) > 0)
    {
      g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_INVALID_ARGUMENT,
                           _("The start of the window is after its end"));
      return FALSE;
    }
  if (g_date_compare (since, &today) > 0)
    {
      g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_INVALID_ARGUMENT,
                           _("The window starts in the future"));
      return FALSE;
    }
  if (g_date_compare (until, &earliest) < 0)
    {
      g_autofree char *first = instasync_format_date (&earliest);

      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_INVALID_ARGUMENT,
                   _("Instagram keeps insights for two years: the window must end on or after %s"),
                   first);
      return FALSE;
    }

  return TRUE;
}

InstaSyncFetchResult *
instasync_sync_account (InstaSyncGraphClient       *client,
                        InstaSyncStore             *store,
                        InstaSyncAccount           *account,
                        const char                 *access_token,
                        const InstaSyncSyncOptions *options,
                        GCancellable               *cancellable)
{
  SyncRun run = { 0, };
  g_auto(GStrv) default_metrics = NULL;
  const char * const *metrics;
  GDate since, until;
  gint64 now;
  guint api_calls_before, http_requests_before;

  g_return_val_if_fail (INSTASYNC_IS_GRAPH_CLIENT (client), NULL);
  g_return_val_if_fail (INSTASYNC_IS_STORE (store), NULL);
  g_return_val_if_fail (INSTASYNC_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  now = effective_now (options);
  run.now = now;
  run.options = options;
  run.client = client;
  run.store = store;
  run.account = account;
  run.access_token = access_token;
  run.cancellable = cancellable;
  run.result = instasync_fetch_result_new (instasync_account_get_ig_user_id (account),
                                           instasync_account_get_username (account));
  run.zone = instasync_day_zone_new (instasync_account_get_day_zone (account));
  run.unanswered = TRUE;
  instasync_date_at (run.zone, now, &run.today);

  if (options->metrics != NULL)
    {
      metrics = options->metrics;
    }
  else
    {
      default_metrics = instasync_metric_catalogue_default_set ();
      metrics = (const char * const *)default_metrics;
    }

  if (access_token == NULL || *access_token == '\0')
    g_set_error_literal (&run.stop_error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND,
                         _("No access token is stored for this account"));
  else if (g_strcmp0 (instasync_account_get_status (account),
                      INSTASYNC_ACCOUNT_STATUS_NEEDS_RECONNECT) == 0)
    instasync_graph_error_set (&run.stop_error, 190, 0, 0, FALSE,
                               _("The account needs to be reconnected before it can sync"));
  else
    run.stop_error = still_paused (&run);

  instasync_graph_client_reset_business_usage (client);
  instasync_graph_client_set_usage_account (client, instasync_account_get_ig_user_id (account),
                                            instasync_account_get_page_id (account));

  api_calls_before = instasync_graph_client_get_api_calls (client);
  http_requests_before = instasync_graph_client_get_http_requests (client);

  run.failed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run.switched_off = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* Another account of this run may have tried the token already. */
  if (run.stop_error == NULL && options->token_gate != NULL)
    {
      switch (instasync_token_gate_enter (options->token_gate, access_token, cancellable,
                                          &run.gate_held))
        {
        case INSTASYNC_TOKEN_ANSWERED:
          run.unanswered = FALSE;
          break;
        case INSTASYNC_TOKEN_REFUSED:
          instasync_graph_error_set (&run.stop_error, 190, 0, 0, FALSE,
                                     _("Instagram refused this access token for another account "
                                       "in the same sync; reconnect the account"));
          break;
        case INSTASYNC_TOKEN_UNTRIED:
        default:
          break;
        }
    }

  /* The account's days first: its "yesterday" is the zone's. */
  if (run.stop_error == NULL)
    _instasync_sync_learn_days (&run, needs_totals (metrics, options->period_days));

  if (g_date_valid (&options->since) && g_date_valid (&options->until))
    {
      since = options->since;
      until = options->until;
    }
  else
    {
      instasync_sync_default_window (run.zone, now, options->lookback_days, &since, &until);
    }

  run.since_of = g_hash_table_new (g_str_hash, g_str_equal);
  set_starts (&run, metrics, !g_date_valid (&options->since), &since);
  instasync_fetch_result_set_window (run.result, &since, &until);

  sync_metrics (&run, metrics, &until, options->period_days);

  instasync_fetch_result_add_calls (run.result,
                                    instasync_graph_client_get_api_calls (client) - api_calls_before,
                                    instasync_graph_client_get_http_requests (client) - http_requests_before);

  if (run.stop_error != NULL &&
      instasync_error_classify (run.stop_error) == INSTASYNC_ERROR_ACTION_BACK_OFF)
    pause_account (&run);
  else if (instasync_account_get_paused_until (account) != 0)
    clear_pause (&run);

  if (run.stop_error != NULL &&
      instasync_error_classify (run.stop_error) == INSTASYNC_ERROR_ACTION_RECONNECT &&
      run.stop_error->domain == INSTASYNC_GRAPH_ERROR)
    {
      g_autoptr(GError) error = NULL;

      g_autofree char *reason = instasync_redact_secret_params (run.stop_error->message);

      /* The API's own words say what to do (a permission to grant, a login
       * to renew): kept with the status for the next sync and the app. */
      instasync_account_set_status (account, INSTASYNC_ACCOUNT_STATUS_NEEDS_RECONNECT);
      instasync_account_set_status_reason (account, reason);
      if (g_strcmp0 (instasync_account_get_source (account), "database") == 0 &&
          !instasync_store_set_account_status_reason (store,
                                                      instasync_account_get_ig_user_id (account),
                                                      INSTASYNC_ACCOUNT_STATUS_NEEDS_RECONNECT,
                                                      reason, &error))
        g_debug ("Could not mark the account: %s", error->message);
    }

  /* No call was made after all: the next account of the token tries it. */
  if (run.gate_held)
    instasync_token_gate_settle (options->token_gate, access_token, INSTASYNC_TOKEN_UNTRIED);

  instasync_fetch_result_finish (run.result);
  record_sync_log (&run);

  g_clear_error (&run.stop_error);
  g_clear_pointer (&run.failed, g_hash_table_unref);
  g_clear_pointer (&run.switched_off, g_hash_table_unref);
  g_clear_pointer (&run.since_of, g_hash_table_unref);
  g_clear_pointer (&run.zone, g_time_zone_unref);
  return run.result;
}
