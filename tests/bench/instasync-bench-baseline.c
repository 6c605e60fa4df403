/* instasync-bench-baseline.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The baseline: the naive approach of the original integration, written
 * here on its own (libsoup and libpq, nothing of InstaSync's sync code) so
 * that the benchmark compares InstaSync with what it replaces:
 *
 *   for each account, one after the other,
 *     for each metric, one GET /{ig}/insights per window of at most 30 days,
 *       one INSERT per returned row, autocommit.
 *
 * It reads no usage header, never retries and never backs off: a refused
 * request is simply lost. */

#define G_LOG_DOMAIN "instasync-bench"

#include "config.h"

#include <json-glib/json-glib.h>
#include <libpq-fe.h>
#include <libsoup/soup.h>

#include "instasync-bench.h"
#include "instasync-insight-row.h"

/* The API refuses more than 30 days (2592000 s) between since and until. */
#define MAX_SPAN_DAYS    30
#define MAX_SPAN_SECONDS (30 * 86400)
/* follower_count is served for the last 30 days, excluding today. */
#define FOLLOWER_COUNT_DAYS 29

static const char insert_sql[] =
  "INSERT INTO instagram_insights (ig_user_id, metric, period, metric_type, "
  "window_start, end_time, value, metadata) "
  "VALUES ($1, $2, 'day', $3, to_timestamp($4), to_timestamp($5), $6, $7) "
  "ON CONFLICT ON CONSTRAINT instagram_insights_natural_key DO NOTHING";

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

static PGconn *
connect_db (const char  *conninfo,
            GError     **error)
{
  g_autoptr(PGconn) conn = PQconnectdb (conninfo);

  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Baseline: cannot connect: %s",
                   PQerrorMessage (conn));
      return NULL;
    }

  return g_steal_pointer (&conn);
}

/* One INSERT, in its own transaction: the original integration's write.
 * Sets @inserted when the row was new. */
static gboolean
insert_row (PGconn      *conn,
            const char  *ig_user_id,
            const char  *metric,
            const char  *metric_type,
            gint64       window_start,
            gint64       end_time,
            gint64       value,
            const char  *metadata_json,
            gboolean    *inserted,
            GError     **error)
{
  g_autoptr(PGresult) result = NULL;
  char start_text[32], end_text[32], value_text[32];
  const char *values[7];

  g_snprintf (start_text, sizeof start_text, "%" G_GINT64_FORMAT, window_start);
  g_snprintf (end_text, sizeof end_text, "%" G_GINT64_FORMAT, end_time);
  g_snprintf (value_text, sizeof value_text, "%" G_GINT64_FORMAT, value);
  values[0] = ig_user_id;
  values[1] = metric;
  values[2] = metric_type;
  values[3] = start_text;
  values[4] = end_text;
  values[5] = value_text;
  values[6] = metadata_json != NULL ? metadata_json : "{}";

  result = PQexecParams (conn, insert_sql, G_N_ELEMENTS (values), NULL, values, NULL, NULL, 0);
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Baseline: INSERT failed: %s",
                   PQresultErrorMessage (result));
      return FALSE;
    }

  *inserted = g_str_equal (PQcmdTuples (result), "1");
  return TRUE;
}

static char *
metadata_json (const char *graph_id,
               const char *end_time_raw)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  if (graph_id != NULL)
    {
      json_builder_set_member_name (builder, "graph_id");
      json_builder_add_string_value (builder, graph_id);
    }
  if (end_time_raw != NULL)
    {
      json_builder_set_member_name (builder, "end_time_raw");
      json_builder_add_string_value (builder, end_time_raw);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* Writes every value of one insights answer, one INSERT each. */
static gboolean
store_answer (PGconn        *conn,
              const char    *ig_user_id,
              const char    *metric_type,
              gint64         since,
              gint64         until,
              JsonNode      *root,
              GError       **error)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonArray *data = NULL;

  if (object != NULL && json_object_has_member (object, "data"))
    data = json_object_get_array_member (object, "data");
  if (data == NULL)
    return TRUE;

  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      JsonObject *item = json_array_get_object_element (data, i);
      const char *metric = json_object_get_string_member_with_default (item, "name", "");
      const char *graph_id = json_object_get_string_member_with_default (item, "id", NULL);
      gboolean inserted = FALSE;

      if (json_object_has_member (item, "values"))
        {
          JsonArray *values = json_object_get_array_member (item, "values");

          for (guint j = 0; j < json_array_get_length (values); j++)
            {
              JsonObject *point = json_array_get_object_element (values, j);
              const char *end_text = json_object_get_string_member_with_default (point, "end_time", "");
              g_autoptr(GDateTime) end = g_date_time_new_from_iso8601 (end_text, NULL);
              g_autoptr(GDateTime) end_pacific = NULL;
              g_autoptr(GDateTime) start = NULL;
              g_autofree char *metadata = NULL;

              if (end == NULL)
                continue;
              /* end_time closes a Pacific day; the day starts one
               * calendar day earlier, 23 or 25 hours on DST days. */
              end_pacific = g_date_time_to_timezone (end, bench_pacific ());
              start = g_date_time_add_days (end_pacific, -1);
              metadata = metadata_json (graph_id, end_text);

              if (!insert_row (conn, ig_user_id, metric, metric_type,
                               g_date_time_to_unix (start), g_date_time_to_unix (end),
                               json_object_get_int_member_with_default (point, "value", 0),
                               metadata, &inserted, error))
                return FALSE;
            }
        }
      else if (json_object_has_member (item, "total_value"))
        {
          JsonObject *total = json_object_get_object_member (item, "total_value");
          g_autofree char *metadata = metadata_json (graph_id, NULL);

          /* One number for the whole window: that is all the original
           * integration kept of a total-value metric. */
          if (!insert_row (conn, ig_user_id, metric, metric_type, since, until,
                           json_object_get_int_member_with_default (total, "value", 0),
                           metadata, &inserted, error))
            return FALSE;
        }
    }

  return TRUE;
}

/* One GET, no retry. Returns FALSE with @error only when the benchmark
 * itself cannot go on (the database); a refused request only clears
 * @*ok. */
static gboolean
fetch_window (SoupSession       *session,
              PGconn            *conn,
              const char        *base_url,
              const BenchAccount *account,
              const char        *metric,
              const char        *metric_type,
              gint64             since,
              gint64             until,
              gboolean          *ok,
              GError           **error)
{
  g_autofree char *url = NULL;
  g_autofree char *token = g_uri_escape_string (account->token, NULL, FALSE);
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  gconstpointer data;
  gsize size;

  url = g_strdup_printf ("%s/v22.0/%s/insights?metric=%s&period=day&metric_type=%s"
                         "&since=%" G_GINT64_FORMAT "&until=%" G_GINT64_FORMAT
                         "&access_token=%s",
                         base_url, account->ig_user_id, metric, metric_type,
                         since, until, token);
  message = soup_message_new ("GET", url);
  body = soup_session_send_and_read (session, message, NULL, &local_error);
  if (body == NULL || soup_message_get_status (message) != SOUP_STATUS_OK)
    {
      *ok = FALSE;
      return TRUE;
    }

  data = g_bytes_get_data (body, &size);
  if (!json_parser_load_from_data (parser, data, (gssize)size, NULL))
    {
      *ok = FALSE;
      return TRUE;
    }

  return store_answer (conn, account->ig_user_id, metric_type, since, until,
                       json_parser_get_root (parser), error);
}

/* The windows the baseline asks one metric for: at most 30 days each, from
 * @since on; follower_count only over its last 29 days. Returns FALSE when
 * no window is left after @first, else the next one. */
static gboolean
next_window (const char  *metric,
             const GDate *since,
             const GDate *until,
             GDate       *first,
             gint64      *window_since,
             gint64      *window_until)
{
  GDate last, next;

  if (!g_date_valid (first))
    {
      GDate follower_earliest;

      bench_pacific_today (&follower_earliest);
      g_date_subtract_days (&follower_earliest, FOLLOWER_COUNT_DAYS);
      *first = *since;
      if (g_str_equal (metric, "follower_count") && g_date_compare (first, &follower_earliest) < 0)
        *first = follower_earliest;
    }

  if (g_date_compare (first, until) > 0)
    return FALSE;

  last = *first;
  g_date_add_days (&last, MAX_SPAN_DAYS - 1);
  if (g_date_compare (&last, until) > 0)
    last = *until;
  next = last;
  g_date_add_days (&next, 1);
  *window_since = bench_pacific_day_start (first);
  *window_until = bench_pacific_day_start (&next);

  /* 30 Pacific days that span the end of DST last 30 days and an hour: one
   * day less keeps the request valid. */
  if (*window_until - *window_since > MAX_SPAN_SECONDS)
    {
      g_date_subtract_days (&next, 1);
      *window_until = bench_pacific_day_start (&next);
    }

  *first = next;
  return TRUE;
}

guint
bench_baseline_count_requests (const GDate *since,
                               const GDate *until)
{
  guint n = 0;

  for (guint m = 0; bench_metrics[m] != NULL; m++)
    {
      GDate first;
      gint64 window_since, window_until;

      g_date_clear (&first, 1);
      while (next_window (bench_metrics[m], since, until, &first, &window_since, &window_until))
        n++;
    }

  return n;
}

gboolean
bench_baseline_sync (BenchWorld    *world,
                     const GDate   *since,
                     const GDate   *until,
                     BenchFigures  *figures,
                     GError       **error)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(PGconn) conn = NULL;
  gint64 started;

  conn = connect_db (instasync_test_pg_get_conninfo (world->pg), error);
  if (conn == NULL)
    return FALSE;

  started = g_get_monotonic_time ();

  for (guint a = 0; a < world->accounts->len; a++)
    {
      const BenchAccount *account = g_ptr_array_index (world->accounts, a);
      gboolean complete = TRUE;

      for (guint m = 0; bench_metrics[m] != NULL; m++)
        {
          const char *metric = bench_metrics[m];
          gboolean time_series = g_str_equal (metric, "reach") ||
                                 g_str_equal (metric, "follower_count");
          const char *metric_type = time_series ? "time_series" : "total_value";
          GDate first;
          gint64 window_since, window_until;

          g_date_clear (&first, 1);
          while (next_window (metric, since, until, &first, &window_since, &window_until))
            {
              if (!fetch_window (session, conn, world->base_url, account, metric, metric_type,
                                 window_since, window_until, &complete, error))
                return FALSE;
            }
        }

      if (complete)
        figures->accounts_complete++;
      else
        figures->accounts_failed++;
    }

  figures->wall_seconds = (double)(g_get_monotonic_time () - started) / G_USEC_PER_SEC;

  return TRUE;
}

gboolean
bench_baseline_insert_rows (const char  *conninfo,
                            GPtrArray   *rows,
                            double      *seconds,
                            guint       *n_inserted,
                            GError     **error)
{
  g_autoptr(PGconn) conn = connect_db (conninfo, error);
  gint64 started;

  if (conn == NULL)
    return FALSE;

  *n_inserted = 0;
  started = g_get_monotonic_time ();

  for (guint i = 0; i < rows->len; i++)
    {
      const InstaSyncInsightRow *row = g_ptr_array_index (rows, i);
      gboolean inserted = FALSE;

      if (!insert_row (conn, row->ig_user_id, row->metric, row->metric_type,
                       row->window_start, row->end_time, row->value, row->metadata_json,
                       &inserted, error))
        return FALSE;
      if (inserted)
        (*n_inserted)++;
    }

  *seconds = (double)(g_get_monotonic_time () - started) / G_USEC_PER_SEC;

  return TRUE;
}
