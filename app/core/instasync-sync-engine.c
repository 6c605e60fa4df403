/* instasync-sync-engine.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-sync"

#include "config.h"

#include "instasync-error.h"
#include "instasync-graph-error.h"
#include "instasync-insights-parser.h"
#include "instasync-metric-catalogue.h"
#include "instasync-sync-engine.h"
#include "instasync-time.h"

/* A time series request may span at most 30 days; 29 Pacific days stay under
 * the limit even when a daylight saving change adds an hour. */
#define MAX_TIME_SERIES_DAYS 29

typedef struct
{
  InstaSyncGraphClient       *client;
  InstaSyncStore             *store;
  InstaSyncAccount           *account;
  const char                 *access_token;
  GCancellable               *cancellable;
  InstaSyncFetchResult       *result;
  GDate                       today;
  /* Set when an error means no further call for this account makes sense. */
  GError                     *stop_error;
} SyncRun;

/* Auxiliary */

static gint64
effective_now (const InstaSyncSyncOptions *options)
{
  return options->now != 0 ? options->now : g_get_real_time () / G_USEC_PER_SEC;
}

static gboolean
stops_the_account (const GError *error)
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

/* Narrows [since, until] to what the API serves for @info. Returns FALSE when
 * nothing is left. */
static gboolean
clamp_window (SyncRun                   *run,
              const InstaSyncMetricInfo *info,
              GDate                     *since,
              GDate                     *until)
{
  GDate earliest = run->today;
  GDate latest = run->today;

  /* The API counts its limits back from this very second, not from the
   * start of the day: stay a whole day inside them. */
  g_date_subtract_days (&earliest, info->history_days != 0 ? info->history_days - 1
                                                           : INSTASYNC_METRIC_RETENTION_DAYS - 2);
  if (info->excludes_today)
    g_date_subtract_days (&latest, 1);

  if (g_date_compare (since, &earliest) < 0)
    *since = earliest;
  if (g_date_compare (until, &latest) > 0)
    *until = latest;

  return g_date_compare (since, until) <= 0;
}

static JsonNode *
request_insights (SyncRun                      *run,
                  const InstaSyncInsightsQuery *query,
                  GError                      **error)
{
  g_autofree char *path = g_strdup_printf ("%s/insights", query->ig_user_id);
  g_autofree char *since = g_strdup_printf ("%" G_GINT64_FORMAT, query->since);
  /* One second before the closing midnight: the reference cannot say
   * whether the API reads "until" as inclusive, and this asks for exactly
   * the same days under either reading. */
  g_autofree char *until = g_strdup_printf ("%" G_GINT64_FORMAT, query->until - 1);
  g_autofree char *metrics = g_strjoinv (",", (char **)query->metrics);
  const char *params[] = {
    "metric", metrics,
    "period", query->period,
    "metric_type", query->metric_type,
    "since", since,
    "until", until,
    NULL
  };

  return instasync_graph_client_get (run->client, path, params, run->access_token,
                                     run->cancellable, error);
}

/* Fetches one metric over [since, until] into @rows. */
static gboolean
fetch_metric (SyncRun                   *run,
              const InstaSyncMetricInfo *info,
              const GDate               *since,
              const GDate               *until,
              GPtrArray                 *rows,
              GError                   **error)
{
  const char *metrics[] = { info->name, NULL };
  const char *metric_type = instasync_metric_info_daily_type (info);
  /* Total-value metrics answer with one number per request, so daily values
   * need one Pacific day per request. */
  guint step = g_str_equal (metric_type, INSTASYNC_METRIC_TYPE_NAME_TIME_SERIES)
               ? MAX_TIME_SERIES_DAYS : 1;
  GDate first = *since;
  g_autoptr(GError) first_error = NULL;

  for (; g_date_compare (&first, until) <= 0; g_date_add_days (&first, step))
    {
      GDate last = first;
      InstaSyncInsightsQuery query = { 0, };
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(GPtrArray) chunk = NULL;
      g_autoptr(GError) local_error = NULL;

      g_date_add_days (&last, step - 1);
      if (g_date_compare (&last, until) > 0)
        last = *until;

      query.ig_user_id = instasync_account_get_ig_user_id (run->account);
      query.metrics = metrics;
      query.period = info->period;
      query.metric_type = metric_type;
      query.since = instasync_pacific_day_start (&first);
      query.until = instasync_pacific_day_end (&last);

      root = request_insights (run, &query, &local_error);
      if (root != NULL)
        chunk = instasync_insights_parse (root, &query, &local_error);

      if (chunk == NULL)
        {
          /* A token, throttle or database problem ends the metric; a bad
           * window does not cost the windows after it. */
          gboolean stop = stops_the_account (local_error);

          if (first_error == NULL)
            first_error = g_steal_pointer (&local_error);
          if (stop)
            break;
          continue;
        }

      for (guint i = 0; i < chunk->len; i++)
        g_ptr_array_add (rows, g_steal_pointer (&chunk->pdata[i]));
      g_ptr_array_set_size (chunk, 0);
    }

  if (first_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&first_error));
      return FALSE;
    }

  return TRUE;
}

static void
sync_metric (SyncRun    *run,
             const char *metric,
             const GDate *since,
             const GDate *until)
{
  const InstaSyncMetricInfo *info = instasync_metric_catalogue_lookup (metric);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  InstaSyncWriteCounts counts = { 0, };
  GDate metric_since = *since;
  GDate metric_until = *until;
  guint version = instasync_graph_client_get_version_major (run->client);

  instasync_fetch_result_add_requested (run->result, metric);

  if (run->stop_error != NULL)
    {
      instasync_fetch_result_add_failed (run->result, metric, run->stop_error);
      return;
    }

  if (info == NULL)
    {
      g_set_error (&error, INSTASYNC_ERROR, INSTASYNC_ERROR_INVALID_ARGUMENT,
                   "“%s” is not in the metric catalogue", metric);
      instasync_fetch_result_add_failed (run->result, metric, error);
      return;
    }

  /* Asking would only earn a code 100: say so without spending a call. */
  if (info->removed_in_version != 0 && version >= info->removed_in_version)
    {
      instasync_graph_error_set (&error, 100, 0, 0, FALSE,
                                 "The metric is no longer supported from this API version on");
      instasync_fetch_result_add_failed (run->result, metric, error);
      return;
    }

  if (!clamp_window (run, info, &metric_since, &metric_until))
    {
      g_autofree char *note =
        g_strdup_printf ("%s: the API serves no data for this window", metric);
      instasync_fetch_result_add_note (run->result, note);
      instasync_fetch_result_add_succeeded (run->result, metric);
      return;
    }

  if (g_date_compare (&metric_since, since) != 0 || g_date_compare (&metric_until, until) != 0)
    {
      g_autofree char *from = instasync_format_date (&metric_since);
      g_autofree char *to = instasync_format_date (&metric_until);
      g_autofree char *note = g_strdup_printf ("%s: window narrowed to %s … %s, "
                                               "what the API serves", metric, from, to);
      instasync_fetch_result_add_note (run->result, note);
    }

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify)instasync_insight_row_free);
  if (!fetch_metric (run, info, &metric_since, &metric_until, rows, &error))
    {
      instasync_fetch_result_add_failed (run->result, metric, error);
      if (stops_the_account (error))
        run->stop_error = g_steal_pointer (&error);
      /* What earlier windows returned is complete and correct: keep it. */
      if (rows->len == 0)
        return;
    }

  if (!instasync_store_upsert_insights (run->store, rows, &counts, &error))
    {
      instasync_fetch_result_add_rows (run->result, 0, 0, 0, rows->len);
      instasync_fetch_result_add_failed (run->result, metric, error);
      /* A database that refuses one write will refuse the next. */
      if (run->stop_error == NULL)
        run->stop_error = g_steal_pointer (&error);
      return;
    }

  instasync_fetch_result_add_rows (run->result, counts.inserted, counts.updated,
                                   counts.unchanged, counts.failed);
  instasync_fetch_result_add_succeeded (run->result, metric);
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
      g_autofree char *note = g_strdup_printf ("The sync log could not be written: %s",
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
  options->now = 0;
}

void
instasync_sync_default_window (gint64  now,
                               guint   lookback_days,
                               GDate  *since,
                               GDate  *until)
{
  instasync_pacific_date_at (now, until);
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
                           "The start of the window is after its end");
      return FALSE;
    }
  if (g_date_compare (since, &today) > 0)
    {
      g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_INVALID_ARGUMENT,
                           "The window starts in the future");
      return FALSE;
    }
  if (g_date_compare (until, &earliest) < 0)
    {
      g_autofree char *first = instasync_format_date (&earliest);

      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_INVALID_ARGUMENT,
                   "Instagram keeps insights for two years: the window must end on or after %s",
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
  run.client = client;
  run.store = store;
  run.account = account;
  run.access_token = access_token;
  run.cancellable = cancellable;
  run.result = instasync_fetch_result_new (instasync_account_get_ig_user_id (account),
                                           instasync_account_get_username (account));
  instasync_pacific_date_at (now, &run.today);

  if (g_date_valid (&options->since) && g_date_valid (&options->until))
    {
      since = options->since;
      until = options->until;
    }
  else
    {
      instasync_sync_default_window (now, options->lookback_days, &since, &until);
    }
  instasync_fetch_result_set_window (run.result, &since, &until);

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
                         "No access token is stored for this account");
  else if (g_strcmp0 (instasync_account_get_status (account),
                      INSTASYNC_ACCOUNT_STATUS_NEEDS_RECONNECT) == 0)
    instasync_graph_error_set (&run.stop_error, 190, 0, 0, FALSE,
                               "The account needs to be reconnected before it can sync");

  api_calls_before = instasync_graph_client_get_api_calls (client);
  http_requests_before = instasync_graph_client_get_http_requests (client);

  for (guint i = 0; metrics[i] != NULL; i++)
    sync_metric (&run, metrics[i], &since, &until);

  instasync_fetch_result_add_calls (run.result,
                                    instasync_graph_client_get_api_calls (client) - api_calls_before,
                                    instasync_graph_client_get_http_requests (client) - http_requests_before);

  if (run.stop_error != NULL &&
      instasync_error_classify (run.stop_error) == INSTASYNC_ERROR_ACTION_BACK_OFF)
    {
      int minutes = instasync_graph_error_get_regain_minutes (run.stop_error);

      /* Meta gives no time with some throttles; an hour is its own advice. */
      instasync_fetch_result_set_paused_until (run.result, now + 60 * (minutes > 0 ? minutes : 60));
    }

  if (run.stop_error != NULL &&
      instasync_error_classify (run.stop_error) == INSTASYNC_ERROR_ACTION_RECONNECT &&
      run.stop_error->domain == INSTASYNC_GRAPH_ERROR)
    {
      g_autoptr(GError) error = NULL;

      instasync_account_set_status (account, INSTASYNC_ACCOUNT_STATUS_NEEDS_RECONNECT);
      if (g_strcmp0 (instasync_account_get_source (account), "database") == 0 &&
          !instasync_store_set_account_status (store, instasync_account_get_ig_user_id (account),
                                               INSTASYNC_ACCOUNT_STATUS_NEEDS_RECONNECT, &error))
        g_debug ("Could not mark the account: %s", error->message);
    }

  instasync_fetch_result_finish (run.result);
  record_sync_log (&run);

  g_clear_error (&run.stop_error);
  return run.result;
}
