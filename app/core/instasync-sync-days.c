/* instasync-sync-days.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the API's days are, for one account's sync: the zone whose
 * midnights end them, and which buckets a since/until window holds. Both
 * are learnt from the API's own answers (instasync-window-reading.h) and
 * kept in the database, so that every process plans by what was seen.
 */

#define G_LOG_DOMAIN "instasync-sync"

#include "config.h"

#include <glib/gi18n.h>

#include "instasync-day-zone.h"
#include "instasync-error.h"
#include "instasync-graph-error.h"
#include "instasync-insights-parser.h"
#include "instasync-metric-catalogue.h"
#include "instasync-sync-run-private.h"
#include "instasync-time.h"

/* One probe of the readings at a time in a process: the accounts of a run
 * that would all probe at once wait for the first, then read what it
 * recorded. */
G_LOCK_DEFINE_STATIC (learning);

/* What the probe's four answers were. */
typedef struct
{
  InstaSyncProbeDays  days;
  InstaSyncBatchOp   *ops[INSTASYNC_N_PROBES];
} Probe;

/* Auxiliary */

static gboolean
from_database (SyncRun *run)
{
  return g_strcmp0 (instasync_account_get_source (run->account), "database") == 0;
}

static void
adopt_zone (SyncRun   *run,
            GTimeZone *zone)
{
  const char *name = g_time_zone_get_identifier (zone);
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&run->zone, g_time_zone_unref);
  run->zone = g_time_zone_ref (zone);
  instasync_date_at (run->zone, run->now, &run->today);

  if (g_strcmp0 (instasync_account_get_day_zone (run->account), name) == 0)
    return;

  instasync_account_set_day_zone (run->account, name);
  if (from_database (run) &&
      !instasync_store_set_day_zone (run->store, instasync_account_get_ig_user_id (run->account),
                                     name, &error))
    g_debug ("Could not record the account's days: %s", error->message);
}

static void
probe_free (Probe *probe)
{
  for (guint i = 0; i < INSTASYNC_N_PROBES; i++)
    g_clear_pointer (&probe->ops[i], instasync_batch_op_free);
}

static InstaSyncBatchOp *
probe_op (SyncRun            *run,
          const Probe        *probe,
          InstaSyncProbe      kind)
{
  gint64 since, until;
  gboolean series = kind == INSTASYNC_PROBE_SERIES_A || kind == INSTASYNC_PROBE_SERIES_B;

  instasync_probe_bounds (kind, run->zone, &probe->days, &since, &until);
  return _instasync_sync_insights_op (run, "reach",
                                      series ? INSTASYNC_METRIC_TYPE_NAME_TIME_SERIES
                                             : INSTASYNC_METRIC_TYPE_NAME_TOTAL_VALUE,
                                      since, until);
}

/* Sends the probes of @kinds not answered yet, (re)built for the run's
 * zone. FALSE when the account must stop. */
static gboolean
send_probes (SyncRun              *run,
             Probe                *probe,
             const InstaSyncProbe *kinds,
             guint                 n_kinds)
{
  g_autoptr(GPtrArray) ops = g_ptr_array_new ();
  g_autoptr(GError) batch_error = NULL;

  for (guint i = 0; i < n_kinds; i++)
    {
      g_clear_pointer (&probe->ops[kinds[i]], instasync_batch_op_free);
      probe->ops[kinds[i]] = probe_op (run, probe, kinds[i]);
      g_ptr_array_add (ops, probe->ops[kinds[i]]);
    }

  _instasync_sync_send_paced (run, ops, &batch_error);

  for (guint i = 0; i < ops->len; i++)
    {
      InstaSyncBatchOp *op = g_ptr_array_index (ops, i);

      if (op->error != NULL && _instasync_sync_stops_the_account (op->error))
        {
          if (run->stop_error == NULL)
            run->stop_error = g_error_copy (op->error);
          return FALSE;
        }
    }

  return TRUE;
}

/* The rows of a probe's answer, every bucket kept; NULL with @error. */
static GPtrArray *
probe_rows (SyncRun          *run,
            InstaSyncBatchOp *op,
            const char       *metric_type,
            GError          **error)
{
  static const char * const reach[] = { "reach", NULL };
  InstaSyncInsightsQuery query = { 0, };

  if (op->error != NULL)
    {
      g_propagate_error (error, g_error_copy (op->error));
      return NULL;
    }

  query.ig_user_id = instasync_account_get_ig_user_id (run->account);
  query.metrics = reach;
  query.period = "day";
  query.metric_type = metric_type;
  query.zone = run->zone;
  return instasync_insights_parse (op->body, &query, error);
}

/* The days a time series answer held, in its order. */
static GArray *
days_of (SyncRun   *run,
         GPtrArray *rows)
{
  GArray *days = g_array_new (FALSE, FALSE, sizeof (GDate));

  for (guint i = 0; i < rows->len; i++)
    {
      InstaSyncInsightRow *row = g_ptr_array_index (rows, i);
      GDate day;

      instasync_day_of_end_time (run->zone, row->end_time, &day);
      g_array_append_val (days, day);
    }

  return days;
}

static gboolean
value_on (SyncRun     *run,
          GPtrArray   *rows,
          const GDate *day,
          int          offset,
          gint64      *value)
{
  GDate wanted = *day;

  if (offset < 0)
    g_date_subtract_days (&wanted, (guint)-offset);
  else
    g_date_add_days (&wanted, (guint)offset);

  for (guint i = 0; i < rows->len; i++)
    {
      InstaSyncInsightRow *row = g_ptr_array_index (rows, i);
      GDate row_day;

      instasync_day_of_end_time (run->zone, row->end_time, &row_day);
      if (g_date_compare (&row_day, &wanted) == 0)
        {
          *value = row->value;
          return TRUE;
        }
    }

  return FALSE;
}

/* One probe total: a value, or none (an error 100 is the API refusing a
 * window without a bucket, which is an answer too). FALSE when the answer
 * says nothing either way. */
static gboolean
probe_total (SyncRun             *run,
             InstaSyncBatchOp    *op,
             InstaSyncProbeTotal *total)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  total->present = FALSE;
  total->value = 0;

  rows = probe_rows (run, op, INSTASYNC_METRIC_TYPE_NAME_TOTAL_VALUE, &error);
  if (rows == NULL)
    return g_error_matches (error, INSTASYNC_GRAPH_ERROR, 100);

  for (guint i = 0; i < rows->len; i++)
    {
      InstaSyncInsightRow *row = g_ptr_array_index (rows, i);

      if (*row->breakdown == '\0')
        {
          total->present = TRUE;
          total->value = row->value;
        }
    }

  return TRUE;
}

static void
note_unknown (SyncRun      *run,
              const char   *why)
{
  g_autofree char *note =
    /* Translators: %s says what went wrong, e.g. "reach answered no time series" */
    g_strdup_printf (_("InstaSync could not learn which days a window of the Graph API holds "
                       "(%s); it tries again next time"), why);

  instasync_fetch_result_add_note (run->result, note);
}

/* Learns both readings from the full probe; FALSE when it could not. */
static gboolean
probe_readings (SyncRun                *run,
                Probe                  *probe,
                gboolean                series_a_answered,
                InstaSyncWindowReading *series,
                InstaSyncWindowReading *totals)
{
  static const InstaSyncProbe all[] = {
    INSTASYNC_PROBE_SERIES_A, INSTASYNC_PROBE_SERIES_B,
    INSTASYNC_PROBE_TOTAL_1, INSTASYNC_PROBE_TOTAL_2,
  };
  g_autoptr(GPtrArray) a_rows = NULL;
  g_autoptr(GPtrArray) b_rows = NULL;
  g_autoptr(GArray) a_days = NULL;
  g_autoptr(GArray) b_days = NULL;
  g_autoptr(GError) error = NULL;
  InstaSyncProbeTotal total_1, total_2;
  gint64 previous, day, next;

  /* SERIES_A is asked again only when its bounds were not the zone's. */
  if (!send_probes (run, probe, series_a_answered ? all + 1 : all,
                    series_a_answered ? G_N_ELEMENTS (all) - 1 : G_N_ELEMENTS (all)))
    return FALSE;

  a_rows = probe_rows (run, probe->ops[INSTASYNC_PROBE_SERIES_A],
                       INSTASYNC_METRIC_TYPE_NAME_TIME_SERIES, &error);
  if (a_rows != NULL)
    b_rows = probe_rows (run, probe->ops[INSTASYNC_PROBE_SERIES_B],
                         INSTASYNC_METRIC_TYPE_NAME_TIME_SERIES, &error);
  if (b_rows == NULL)
    {
      note_unknown (run, error->message);
      return FALSE;
    }

  a_days = days_of (run, a_rows);
  b_days = days_of (run, b_rows);
  *series = instasync_probe_series_reading (&probe->days, a_days, b_days);
  if (*series == INSTASYNC_WINDOW_READING_UNKNOWN)
    {
      note_unknown (run, _("reach answered days that fit no reading"));
      return FALSE;
    }

  *totals = INSTASYNC_WINDOW_READING_UNKNOWN;
  if (value_on (run, a_rows, &probe->days.day, -1, &previous) &&
      value_on (run, a_rows, &probe->days.day, 0, &day) &&
      value_on (run, a_rows, &probe->days.day, 1, &next) &&
      probe_total (run, probe->ops[INSTASYNC_PROBE_TOTAL_1], &total_1) &&
      probe_total (run, probe->ops[INSTASYNC_PROBE_TOTAL_2], &total_2))
    *totals = instasync_probe_total_reading (&total_1, &total_2, previous, day, next);

  return TRUE;
}

/* Whether the days SERIES_A held fit @reading. */
static gboolean
series_a_fits (const Probe            *probe,
               GArray                 *days,
               InstaSyncWindowReading  reading)
{
  /* SERIES_B would say the same as SERIES_A under the other readings. */
  g_autoptr(GArray) b_days = g_array_new (FALSE, FALSE, sizeof (GDate));
  GDate day = probe->days.first;
  GDate last = probe->days.last;

  if (reading == INSTASYNC_WINDOW_READING_OVERLAP_INCLUSIVE)
    g_date_add_days (&last, 1);
  for (; g_date_compare (&day, &last) <= 0; g_date_add_days (&day, 1))
    g_array_append_val (b_days, day);

  return instasync_probe_series_reading (&probe->days, days, b_days) == reading;
}

/* Public API */

char *
_instasync_sync_api_host (SyncRun *run)
{
  const char *base = instasync_graph_client_get_base_url (run->client);
  g_autoptr(GUri) uri = g_uri_parse (base, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (base);
  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
  return g_strdup (g_uri_get_host (uri));
}

gboolean
_instasync_sync_check_zone (SyncRun   *run,
                            GPtrArray *rows)
{
  g_autoptr(GArray) end_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GTimeZone) learnt = NULL;
  g_autofree char *note = NULL;

  for (guint i = 0; i < rows->len; i++)
    g_array_append_val (end_times, ((InstaSyncInsightRow *)g_ptr_array_index (rows, i))->end_time);

  if (instasync_day_zone_fits (run->zone, (const gint64 *)(gpointer)end_times->data,
                               end_times->len))
    {
      /* Seen to fit: from now on it is the account's, not a guess. */
      if (end_times->len > 0 && instasync_account_get_day_zone (run->account) == NULL)
        adopt_zone (run, run->zone);
      return TRUE;
    }

  run->days_changed = TRUE;
  learnt = instasync_day_zone_learn ((const gint64 *)(gpointer)end_times->data, end_times->len,
                                     run->zone);
  if (learnt == NULL)
    {
      instasync_fetch_result_add_note (run->result,
                                       _("Instagram's days for this account end at times no "
                                         "time zone has midnight at"));
      return FALSE;
    }

  adopt_zone (run, learnt);
  /* Translators: %s is a time zone, e.g. "Europe/Berlin" or "+01:00" */
  note = g_strdup_printf (_("Instagram ends this account's days at midnight %s time; "
                            "InstaSync follows it"), g_time_zone_get_identifier (learnt));
  instasync_fetch_result_add_note (run->result, note);
  return FALSE;
}

/* Whether @reading would leave out of a window on the exact boundaries of
 * @first … @last the bucket @offset days from it (−1: the day before
 * @first, +1: the day after @last). */
static gboolean
leaves_out (InstaSyncWindowReading reading,
            int                    offset)
{
  switch (reading)
    {
    case INSTASYNC_WINDOW_READING_OVERLAP:
    case INSTASYNC_WINDOW_READING_BUCKET_END:
      return TRUE;
    case INSTASYNC_WINDOW_READING_OVERLAP_INCLUSIVE:
      return offset < 0;
    case INSTASYNC_WINDOW_READING_BUCKET_END_INCLUSIVE:
      return offset > 0;
    case INSTASYNC_WINDOW_READING_UNKNOWN:
    default:
      return FALSE;
    }
}

void
_instasync_sync_check_series_reading (SyncRun     *run,
                                      GPtrArray   *rows,
                                      const GDate *first,
                                      const GDate *last)
{
  g_autofree char *host = NULL;
  g_autoptr(GError) error = NULL;
  gboolean contradicts = FALSE;

  if (run->series_reading == INSTASYNC_WINDOW_READING_UNKNOWN || run->days_changed)
    return;

  for (guint i = 0; i < rows->len && !contradicts; i++)
    {
      InstaSyncInsightRow *row = g_ptr_array_index (rows, i);
      GDate day;

      instasync_day_of_end_time (run->zone, row->end_time, &day);
      if (g_date_compare (&day, first) < 0)
        contradicts = leaves_out (run->series_reading, -1);
      else if (g_date_compare (&day, last) > 0)
        contradicts = leaves_out (run->series_reading, 1);
    }

  if (!contradicts)
    return;

  run->days_changed = TRUE;
  host = _instasync_sync_api_host (run);
  if (!instasync_store_forget_window_readings (run->store, host,
                                               (int)instasync_graph_client_get_version_major (run->client),
                                               &error))
    g_debug ("Could not forget the API's days: %s", error->message);
  instasync_fetch_result_add_warning (run->result,
                                      _("The API's windows held other days than recorded; "
                                        "InstaSync learns them again next time"));
}

void
_instasync_sync_learn_days (SyncRun  *run,
                            gboolean  need_totals)
{
  static const InstaSyncProbe first[] = { INSTASYNC_PROBE_SERIES_A };
  g_autofree char *host = _instasync_sync_api_host (run);
  int version = (int)instasync_graph_client_get_version_major (run->client);
  InstaSyncWindowReading series = INSTASYNC_WINDOW_READING_UNKNOWN;
  InstaSyncWindowReading totals = INSTASYNC_WINDOW_READING_UNKNOWN;
  g_autoptr(GPtrArray) a_rows = NULL;
  g_autoptr(GArray) a_days = NULL;
  g_autoptr(GError) error = NULL;
  gboolean tried = FALSE;
  gboolean locked = FALSE;
  gboolean zone_fits;
  Probe probe = { 0, };

  /* A database that cannot answer this will not take the rows either:
   * better not to spend the account's calls on them. */
  if (!instasync_store_get_window_readings (run->store, host, version, &series, &totals, &tried,
                                            &error))
    {
      run->stop_error = g_steal_pointer (&error);
      return;
    }

  if (instasync_account_get_day_zone (run->account) != NULL &&
      (!need_totals || series != INSTASYNC_WINDOW_READING_UNKNOWN))
    goto done;

  if (need_totals && series == INSTASYNC_WINDOW_READING_UNKNOWN)
    {
      G_LOCK (learning);
      locked = TRUE;
      if (!instasync_store_get_window_readings (run->store, host, version, &series, &totals,
                                                &tried, &error))
        {
          run->stop_error = g_steal_pointer (&error);
          goto out;
        }
      if (instasync_account_get_day_zone (run->account) != NULL &&
          series != INSTASYNC_WINDOW_READING_UNKNOWN)
        goto done;
    }

  /* One time series of settled days shows the account's zone, and, with
   * the bounds it was sent with, whether a recorded reading still holds. */
  instasync_probe_days_init (&probe.days, &run->today);
  if (!send_probes (run, &probe, first, G_N_ELEMENTS (first)))
    goto out;

  a_rows = probe_rows (run, probe.ops[INSTASYNC_PROBE_SERIES_A],
                       INSTASYNC_METRIC_TYPE_NAME_TIME_SERIES, &error);
  if (a_rows == NULL || a_rows->len == 0)
    {
      note_unknown (run, a_rows == NULL ? error->message : _("reach answered no time series"));
      goto done;
    }

  zone_fits = _instasync_sync_check_zone (run, a_rows);
  a_days = days_of (run, a_rows);
  if (zone_fits && series != INSTASYNC_WINDOW_READING_UNKNOWN &&
      !series_a_fits (&probe, a_days, series))
    {
      /* What was recorded no longer holds: learn it again, for everybody. */
      if (!instasync_store_forget_window_readings (run->store, host, version, &error))
        g_debug ("Could not forget the API's days: %s", error->message);
      series = totals = INSTASYNC_WINDOW_READING_UNKNOWN;
      tried = FALSE;
    }

  /* A recorded reading holds for every account; only where none is (or it
   * no longer held) does the full probe run, on the account's own days. */
  if (need_totals && series == INSTASYNC_WINDOW_READING_UNKNOWN)
    {
      if (!probe_readings (run, &probe, zone_fits, &series, &totals))
        goto out;
      tried = TRUE;
      if (!instasync_store_put_window_readings (run->store, host, version, series, totals, &error))
        g_debug ("Could not record the API's days: %s", error->message);
    }

done:
  run->series_reading = series;
  run->total_reading = totals != INSTASYNC_WINDOW_READING_UNKNOWN ? totals : series;
  run->totals_unchecked = totals == INSTASYNC_WINDOW_READING_UNKNOWN;
  if (need_totals && tried && totals == INSTASYNC_WINDOW_READING_UNKNOWN &&
      series != INSTASYNC_WINDOW_READING_UNKNOWN)
    instasync_fetch_result_add_warning (run->result,
                                        _("Total values could not be matched with daily values "
                                          "(reach asked both ways); they are fetched as the "
                                          "daily values read a window, and a zero is not stored"));

out:
  if (locked)
    G_UNLOCK (learning);
  /* The probe planned nothing: a zone learnt here is the one to plan with. */
  run->days_changed = FALSE;
  probe_free (&probe);
}
