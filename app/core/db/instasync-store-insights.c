/* instasync-store-insights.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-store"

#include "config.h"

#include <string.h>

#include "instasync-error.h"
#include "instasync-pg-util.h"
#include "instasync-store-private.h"

/* The columns the upsert statement returns, see
 * instasync_store_verify_upsert_result(). */
enum {
  COL_ORD,
  COL_IG_USER_ID,
  COL_METRIC,
  COL_PERIOD,
  COL_METRIC_TYPE,
  COL_WINDOW_START,
  COL_END_TIME,
  COL_BREAKDOWN,
  COL_DIMENSION_VALUE,
  COL_STORED_VALUE,
  COL_STATUS,
  N_COLS
};

/* One statement for the whole batch. The rows travel as parallel arrays and
 * come back in the order they were sent (ord), one answer each:
 *
 *  - a row the INSERT created or the DO UPDATE changed comes back from the
 *    upsert itself (RETURNING), with the key and value now stored;
 *  - a row that does not come back hit the ON CONFLICT ... WHERE clause,
 *    which leaves a row alone only when the stored value and metadata are
 *    already those sent: it is unchanged.
 *
 * Reading the table a second time to prove the unchanged rows would double
 * the index work of every write, and under concurrent writers it would look
 * at a snapshot older than the row it is about. */
static const char upsert_sql[] =
  "WITH sent AS ("
  "  SELECT ord, ig_user_id, metric, period, metric_type,"
  "         to_timestamp (window_start_s) AS window_start,"
  "         to_timestamp (end_time_s) AS end_time,"
  "         value, breakdown, dimension_value, metadata_text::jsonb AS metadata"
  "  FROM instasync_upsert_input),"
  " up AS ("
  "  INSERT INTO instagram_insights AS ii (ig_user_id, metric, period, metric_type,"
  "      window_start, end_time, value, breakdown, dimension_value, metadata)"
  "    SELECT ig_user_id, metric, period, metric_type, window_start, end_time,"
  "           value, breakdown, dimension_value, metadata"
  "    FROM sent"
  "  ON CONFLICT ON CONSTRAINT instagram_insights_natural_key DO UPDATE"
  "    SET value = EXCLUDED.value, metadata = EXCLUDED.metadata,"
  "        fetched_at = now (), updated_at = now ()"
  "    WHERE (ii.value, ii.metadata) IS DISTINCT FROM (EXCLUDED.value, EXCLUDED.metadata)"
  "  RETURNING ii.ig_user_id, ii.metric, ii.period, ii.metric_type, ii.window_start,"
  "            ii.end_time, ii.breakdown, ii.dimension_value, ii.value,"
  "            (ii.xmax = 0) AS inserted)"
  "SELECT s.ord,"
  "       coalesce (up.ig_user_id, s.ig_user_id),"
  "       coalesce (up.metric, s.metric),"
  "       coalesce (up.period, s.period),"
  "       coalesce (up.metric_type, s.metric_type),"
  "       extract (epoch FROM coalesce (up.window_start, s.window_start))::bigint,"
  "       extract (epoch FROM coalesce (up.end_time, s.end_time))::bigint,"
  "       coalesce (up.breakdown, s.breakdown),"
  "       coalesce (up.dimension_value, s.dimension_value),"
  "       coalesce (up.value, s.value) AS stored_value,"
  "       CASE WHEN up.inserted THEN 'inserted'"
  "            WHEN up.value IS NOT NULL THEN 'updated'"
  "            ELSE 'unchanged' END "
  "FROM sent s "
  "LEFT JOIN up ON (up.ig_user_id, up.metric, up.period, up.metric_type, up.window_start,"
  "                 up.end_time, up.breakdown, up.dimension_value)"
  "              = (s.ig_user_id, s.metric, s.period, s.metric_type, s.window_start,"
  "                 s.end_time, s.breakdown, s.dimension_value) "
  "ORDER BY s.ord";

/* The rows arrive by COPY, the fastest way into PostgreSQL, in a temporary
 * table of the connection that empties itself at every commit. */
static const char prepare_input_sql[] =
  "BEGIN;"
  "CREATE TEMPORARY TABLE IF NOT EXISTS instasync_upsert_input ("
  "  ord int NOT NULL, ig_user_id text, metric text, period text, metric_type text,"
  "  window_start_s bigint, end_time_s bigint, value bigint, breakdown text,"
  "  dimension_value text, metadata_text text) ON COMMIT DELETE ROWS";

/* Batch checks */

static guint
row_key_hash (gconstpointer data)
{
  const InstaSyncInsightRow *row = data;
  guint hash = g_str_hash (row->ig_user_id);

  hash = hash * 31 + g_str_hash (row->metric);
  hash = hash * 31 + g_str_hash (row->period);
  hash = hash * 31 + g_str_hash (row->metric_type);
  hash = hash * 31 + g_int64_hash (&row->window_start);
  hash = hash * 31 + g_int64_hash (&row->end_time);
  hash = hash * 31 + g_str_hash (row->breakdown);
  hash = hash * 31 + g_str_hash (row->dimension_value);

  return hash;
}

static gboolean
row_key_equal (gconstpointer a,
               gconstpointer b)
{
  return instasync_insight_row_same_key (a, b);
}

gboolean
instasync_store_check_batch (GPtrArray  *rows,
                             GError    **error)
{
  /* row → its 1-based position in the batch */
  g_autoptr(GHashTable) seen = g_hash_table_new (row_key_hash, row_key_equal);

  for (guint i = 0; i < rows->len; i++)
    {
      const InstaSyncInsightRow *row = g_ptr_array_index (rows, i);
      gpointer first;

      if (row == NULL || row->ig_user_id == NULL || row->metric == NULL ||
          row->period == NULL || row->metric_type == NULL ||
          row->breakdown == NULL || row->dimension_value == NULL)
        {
          g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_INVALID_ARGUMENT,
                       "Insight row %u lacks a field of its key", i + 1);
          return FALSE;
        }

      /* ON CONFLICT DO UPDATE cannot touch one row twice in a statement, and
       * two values for one key would make the result depend on order. */
      if (g_hash_table_lookup_extended (seen, row, NULL, &first))
        {
          g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_INVALID_ARGUMENT,
                       "Insight rows %u and %u have the same key (metric %s of "
                       "account %s, period %s, %s)",
                       GPOINTER_TO_UINT (first), i + 1,
                       row->metric, row->ig_user_id, row->period, row->metric_type);
          return FALSE;
        }
      g_hash_table_insert (seen, (gpointer) row, GUINT_TO_POINTER (i + 1));
    }

  return TRUE;
}

/* Verification */

static gboolean
column_equals (const PGresult *result,
               int             row,
               int             column,
               const char     *expected)
{
  return !PQgetisnull (result, row, column) &&
         g_strcmp0 (PQgetvalue (result, row, column), expected) == 0;
}

static gboolean
column_equals_int64 (const PGresult *result,
                     int             row,
                     int             column,
                     gint64          expected)
{
  const char *text;
  char *end = NULL;
  gint64 value;

  if (PQgetisnull (result, row, column))
    return FALSE;

  text = PQgetvalue (result, row, column);
  value = g_ascii_strtoll (text, &end, 10);

  return end != text && *end == '\0' && value == expected;
}

static gboolean
verify_failed (InstaSyncWriteCounts  *counts,
               guint                  n_rows,
               GError               **error,
               int                    code,
               const char            *format,
               ...) G_GNUC_PRINTF (5, 6);

static gboolean
verify_failed (InstaSyncWriteCounts  *counts,
               guint                  n_rows,
               GError               **error,
               int                    code,
               const char            *format,
               ...)
{
  va_list args;

  if (counts != NULL)
    {
      memset (counts, 0, sizeof *counts);
      counts->failed = n_rows;
    }

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (INSTASYNC_ERROR, code, format, args));
  va_end (args);

  return FALSE;
}

gboolean
instasync_store_verify_upsert_result (const PGresult        *result,
                                      const char            *command_status,
                                      GPtrArray             *rows,
                                      InstaSyncWriteCounts  *counts,
                                      GError               **error)
{
  InstaSyncWriteCounts seen = { 0, };
  g_autofree char *expected_status = NULL;

  g_return_val_if_fail (rows != NULL, FALSE);

  /* 1. An error present. */
  if (result == NULL || PQresultStatus (result) != PGRES_TUPLES_OK)
    {
      g_autofree char *message = NULL;

      if (result == NULL)
        message = g_strdup ("no result");
      else if (PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY) != NULL)
        message = g_strdup (PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY));
      else
        message = g_strdup (PQresultErrorMessage (result));
      g_strstrip (message);
      if (*message == '\0')
        {
          g_free (message);
          message = g_strdup (PQresStatus (result != NULL ? PQresultStatus (result)
                                                          : PGRES_FATAL_ERROR));
        }

      return verify_failed (counts, rows->len, error, INSTASYNC_ERROR_DATABASE,
                            "The database reported an error while writing %u insight rows: %s",
                            rows->len, message);
    }

  /* 2. The rows returned are the rows sent. */
  if (PQnfields (result) != N_COLS)
    return verify_failed (counts, rows->len, error, INSTASYNC_ERROR_VERIFY,
                          "The database answered the write with %d columns instead of %d",
                          PQnfields (result), N_COLS);

  if (PQntuples (result) < 0 || (guint) PQntuples (result) != rows->len)
    return verify_failed (counts, rows->len, error, INSTASYNC_ERROR_VERIFY,
                          "The database confirmed %d insight rows of the %u sent",
                          PQntuples (result), rows->len);

  for (guint i = 0; i < rows->len; i++)
    {
      const InstaSyncInsightRow *row = g_ptr_array_index (rows, i);
      int r = (int) i;
      const char *status;

      if (!column_equals_int64 (result, r, COL_ORD, (gint64) i + 1))
        return verify_failed (counts, rows->len, error, INSTASYNC_ERROR_VERIFY,
                              "The database confirmed insight row %u out of order", i + 1);

      if (!column_equals (result, r, COL_IG_USER_ID, row->ig_user_id) ||
          !column_equals (result, r, COL_METRIC, row->metric) ||
          !column_equals (result, r, COL_PERIOD, row->period) ||
          !column_equals (result, r, COL_METRIC_TYPE, row->metric_type) ||
          !column_equals_int64 (result, r, COL_WINDOW_START, row->window_start) ||
          !column_equals_int64 (result, r, COL_END_TIME, row->end_time) ||
          !column_equals (result, r, COL_BREAKDOWN, row->breakdown) ||
          !column_equals (result, r, COL_DIMENSION_VALUE, row->dimension_value))
        return verify_failed (counts, rows->len, error, INSTASYNC_ERROR_VERIFY,
                              "The database confirmed a different key for insight row %u "
                              "(metric %s of account %s)", i + 1, row->metric, row->ig_user_id);

      if (!column_equals_int64 (result, r, COL_STORED_VALUE, row->value))
        return verify_failed (counts, rows->len, error, INSTASYNC_ERROR_VERIFY,
                              "The database holds %s instead of %" G_GINT64_FORMAT
                              " for insight row %u (metric %s of account %s)",
                              PQgetisnull (result, r, COL_STORED_VALUE)
                                ? "no value" : PQgetvalue (result, r, COL_STORED_VALUE),
                              row->value, i + 1, row->metric, row->ig_user_id);

      status = PQgetisnull (result, r, COL_STATUS) ? "" : PQgetvalue (result, r, COL_STATUS);
      if (g_str_equal (status, "inserted"))
        seen.inserted++;
      else if (g_str_equal (status, "updated"))
        seen.updated++;
      else if (g_str_equal (status, "unchanged"))
        seen.unchanged++;
      else
        return verify_failed (counts, rows->len, error, INSTASYNC_ERROR_VERIFY,
                              "The database did not write insight row %u (metric %s of "
                              "account %s)", i + 1, row->metric, row->ig_user_id);
    }

  /* 3. The command status agrees with the rows we read. */
  expected_status = g_strdup_printf ("SELECT %u", rows->len);
  if (g_strcmp0 (command_status, expected_status) != 0)
    return verify_failed (counts, rows->len, error, INSTASYNC_ERROR_VERIFY,
                          "The database reported “%s” for %u insight rows sent",
                          command_status != NULL ? command_status : "", rows->len);

  if (counts != NULL)
    *counts = seen;

  return TRUE;
}

/* Upsert */

/* COPY's text format: tab between columns, a backslash escape for the
 * characters that would end a field or a line, \N for NULL. */
static void
copy_add_text (GString    *data,
               const char *value)
{
  if (value == NULL)
    {
      g_string_append (data, "\\N");
      return;
    }

  for (const char *p = value; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '\\': g_string_append (data, "\\\\"); break;
        case '\t': g_string_append (data, "\\t"); break;
        case '\n': g_string_append (data, "\\n"); break;
        case '\r': g_string_append (data, "\\r"); break;
        default: g_string_append_c (data, *p); break;
        }
    }
}

static GString *
build_copy_data (GPtrArray *rows)
{
  GString *data = g_string_sized_new (rows->len * 160);

  for (guint i = 0; i < rows->len; i++)
    {
      const InstaSyncInsightRow *row = g_ptr_array_index (rows, i);

      g_string_append_printf (data, "%u\t", i + 1);
      copy_add_text (data, row->ig_user_id);
      g_string_append_c (data, '\t');
      copy_add_text (data, row->metric);
      g_string_append_c (data, '\t');
      copy_add_text (data, row->period);
      g_string_append_c (data, '\t');
      copy_add_text (data, row->metric_type);
      g_string_append_printf (data, "\t%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT "\t",
                              row->window_start, row->end_time, row->value);
      copy_add_text (data, row->breakdown);
      g_string_append_c (data, '\t');
      copy_add_text (data, row->dimension_value);
      g_string_append_c (data, '\t');
      copy_add_text (data, row->metadata_json != NULL ? row->metadata_json : "{}");
      g_string_append_c (data, '\n');
    }

  return data;
}

/* Opens the transaction, copies the rows in and runs the upsert: four round
 * trips whatever the number of rows. Returns the upsert's result (which may
 * be an error) with the transaction still open, or NULL with @error set when
 * the statement never ran. */
static PGresult *
run_upsert (PGconn         *conn,
            const GString  *data,
            GError        **error)
{
  g_autoptr(PGresult) prepared = NULL;
  g_autoptr(PGresult) copy = NULL;
  g_autoptr(PGresult) copied = NULL;
  PGresult *extra;

  prepared = PQexec (conn, prepare_input_sql);
  if (!instasync_pg_check_result (conn, prepared, PGRES_COMMAND_OK, "writing insights", NULL, error))
    return NULL;

  copy = PQexec (conn, "COPY instasync_upsert_input FROM STDIN");
  if (!instasync_pg_check_result (conn, copy, PGRES_COPY_IN, "writing insights", NULL, error))
    return NULL;

  if (PQputCopyData (conn, data->str, (int)MIN (data->len, (gsize)G_MAXINT)) != 1 ||
      PQputCopyEnd (conn, NULL) != 1)
    {
      instasync_pg_set_error (error, conn, NULL, "writing insights", NULL);
      return NULL;
    }

  copied = PQgetResult (conn);
  while ((extra = PQgetResult (conn)) != NULL)
    PQclear (extra);
  if (!instasync_pg_check_result (conn, copied, PGRES_COMMAND_OK, "writing insights", NULL, error))
    return NULL;

  return PQexec (conn, upsert_sql);
}

static gboolean
upsert_once (InstaSyncStore        *self,
             GPtrArray             *rows,
             const GString         *data,
             InstaSyncWriteCounts  *counts,
             gboolean              *connection_lost,
             GError               **error)
{
  PGconn *conn = instasync_store_get_connection (self);
  g_autoptr(PGresult) result = NULL;
  g_autoptr(PGresult) commit = NULL;

  *connection_lost = FALSE;

  if (!instasync_store_ensure_connected (self, error))
    return FALSE;

  result = run_upsert (conn, data, error);
  if (result == NULL)
    {
      *connection_lost = PQstatus (conn) == CONNECTION_BAD;
      instasync_pg_rollback (conn);
      return FALSE;
    }

  if (!instasync_store_verify_upsert_result (result, PQcmdStatus (result), rows, counts, error))
    {
      *connection_lost = PQstatus (conn) == CONNECTION_BAD;
      instasync_pg_rollback (conn);
      return FALSE;
    }

  /* A COMMIT of an aborted transaction answers ROLLBACK, not an error. */
  commit = PQexec (conn, "COMMIT");
  if (!instasync_pg_check_result (conn, commit, PGRES_COMMAND_OK,
                                  "committing insights", NULL, error))
    {
      /* Lost during the COMMIT, the rows may or may not be stored. The
       * upsert is idempotent, so writing them again settles it. */
      *connection_lost = PQstatus (conn) == CONNECTION_BAD;
      return FALSE;
    }

  if (g_strcmp0 (PQcmdStatus (commit), "COMMIT") != 0)
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_VERIFY,
                   "The database did not commit the %u insight rows written", rows->len);
      return FALSE;
    }

  return TRUE;
}

gboolean
instasync_store_upsert_insights (InstaSyncStore        *self,
                                 GPtrArray             *rows,
                                 InstaSyncWriteCounts  *counts,
                                 GError               **error)
{
  g_autoptr(GString) data = NULL;
  InstaSyncWriteCounts local = { 0, };
  gboolean connection_lost = FALSE;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (INSTASYNC_IS_STORE (self), FALSE);
  g_return_val_if_fail (rows != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (counts == NULL)
    counts = &local;
  memset (counts, 0, sizeof *counts);

  if (rows->len == 0)
    return TRUE;

  if (!instasync_store_check_batch (rows, error))
    {
      counts->failed = rows->len;
      return FALSE;
    }

  data = build_copy_data (rows);

  if (upsert_once (self, rows, data, counts, &connection_lost, &local_error))
    return TRUE;

  /* One more attempt is safe: nothing was committed, or (a COMMIT lost on
   * the way) the idempotent upsert writes the same rows again.
   * ensure_connected() resets a dropped connection, or says clearly why it
   * cannot. */
  if (connection_lost)
    {
      g_debug ("Connection lost while writing insights, retrying once: %s",
               local_error->message);
      g_clear_error (&local_error);
      if (upsert_once (self, rows, data, counts, &connection_lost, &local_error))
        return TRUE;
    }

  memset (counts, 0, sizeof *counts);
  counts->failed = rows->len;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* Reading */

GPtrArray *
instasync_store_query_insights (InstaSyncStore  *self,
                                const char      *ig_user_id,
                                const char      *metric,
                                gint64           from,
                                gint64           to,
                                GError         **error)
{
  PGconn *conn;
  g_autofree char *from_text = g_strdup_printf ("%" G_GINT64_FORMAT, from);
  g_autofree char *to_text = g_strdup_printf ("%" G_GINT64_FORMAT, to);
  const char *params[4] = { ig_user_id, metric, from_text, to_text };
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  g_return_val_if_fail (INSTASYNC_IS_STORE (self), NULL);
  g_return_val_if_fail (ig_user_id != NULL, NULL);
  g_return_val_if_fail (metric != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!instasync_store_ensure_connected (self, error))
    return NULL;
  conn = instasync_store_get_connection (self);

  /* The empty object is what the column defaults to, so it reads back as
   * "no metadata", as it was written. */
  result = PQexecParams (conn,
                         "SELECT ig_user_id, metric, period, metric_type,"
                         "  extract (epoch FROM window_start)::bigint,"
                         "  extract (epoch FROM end_time)::bigint,"
                         "  value, breakdown, dimension_value,"
                         "  nullif (metadata, '{}'::jsonb)::text "
                         "FROM instagram_insights "
                         "WHERE ig_user_id = $1 AND metric = $2"
                         "  AND end_time >= to_timestamp ($3::bigint)"
                         "  AND end_time < to_timestamp ($4::bigint) "
                         "ORDER BY end_time, window_start, period, metric_type,"
                         "  breakdown, dimension_value",
                         4, NULL, params, NULL, NULL, 0);
  if (!instasync_pg_check_result (conn, result, PGRES_TUPLES_OK,
                                  "reading insights", NULL, error))
    return NULL;

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) instasync_insight_row_free);
  for (int i = 0; i < PQntuples (result); i++)
    {
      InstaSyncInsightRow *row;

      row = instasync_insight_row_new (PQgetvalue (result, i, 0),
                                       PQgetvalue (result, i, 1),
                                       PQgetvalue (result, i, 2),
                                       PQgetvalue (result, i, 3),
                                       g_ascii_strtoll (PQgetvalue (result, i, 4), NULL, 10),
                                       g_ascii_strtoll (PQgetvalue (result, i, 5), NULL, 10),
                                       g_ascii_strtoll (PQgetvalue (result, i, 6), NULL, 10));
      instasync_insight_row_set_breakdown (row, PQgetvalue (result, i, 7),
                                           PQgetvalue (result, i, 8));
      if (!PQgetisnull (result, i, 9))
        row->metadata_json = g_strdup (PQgetvalue (result, i, 9));
      g_ptr_array_add (rows, row);
    }

  return g_steal_pointer (&rows);
}

gint64
instasync_store_count_insights (InstaSyncStore  *self,
                                const char      *ig_user_id,
                                GError         **error)
{
  PGconn *conn;
  const char *params[1] = { ig_user_id };
  g_autoptr(PGresult) result = NULL;

  g_return_val_if_fail (INSTASYNC_IS_STORE (self), -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  if (!instasync_store_ensure_connected (self, error))
    return -1;
  conn = instasync_store_get_connection (self);

  result = PQexecParams (conn,
                         "SELECT count (*) FROM instagram_insights "
                         "WHERE $1::text IS NULL OR ig_user_id = $1",
                         1, NULL, params, NULL, NULL, 0);
  if (!instasync_pg_check_result (conn, result, PGRES_TUPLES_OK,
                                  "counting insights", NULL, error))
    return -1;

  return g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
}

/* Export */

#define ISO_UTC(column) \
  "to_char (" column " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS " column

gboolean
instasync_store_export_csv (InstaSyncStore  *self,
                            const char      *ig_user_id,
                            gint64           from,
                            gint64           to,
                            GOutputStream   *out,
                            GError         **error)
{
  PGconn *conn;
  g_autoptr(GString) sql = NULL;
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GError) write_error = NULL;
  char *buffer = NULL;
  int length;

  g_return_val_if_fail (INSTASYNC_IS_STORE (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!instasync_store_ensure_connected (self, error))
    return FALSE;
  conn = instasync_store_get_connection (self);

  /* COPY takes no parameters, so the filters are inlined: the account id is
   * escaped by libpq and the bounds are numbers we print ourselves. The
   * timestamps are formatted in UTC whatever the session time zone is. */
  sql = g_string_new ("COPY (SELECT ig_user_id, metric, period, metric_type, "
                      ISO_UTC ("window_start") ", " ISO_UTC ("end_time") ", "
                      "value, breakdown, dimension_value, metadata::text AS metadata, "
                      ISO_UTC ("fetched_at") " "
                      "FROM instagram_insights WHERE true");
  if (ig_user_id != NULL)
    {
      g_autofree char *literal = NULL;
      char *escaped = PQescapeLiteral (conn, ig_user_id, strlen (ig_user_id));

      if (escaped == NULL)
        {
          instasync_pg_set_error (error, conn, NULL, "exporting insights", NULL);
          return FALSE;
        }
      literal = g_strdup (escaped);
      PQfreemem (escaped);
      g_string_append_printf (sql, " AND ig_user_id = %s", literal);
    }
  if (from != 0)
    g_string_append_printf (sql, " AND end_time >= to_timestamp (%" G_GINT64_FORMAT ")", from);
  if (to != 0)
    g_string_append_printf (sql, " AND end_time < to_timestamp (%" G_GINT64_FORMAT ")", to);
  g_string_append (sql, " ORDER BY ig_user_id, metric, end_time, window_start, period,"
                        " metric_type, breakdown, dimension_value)"
                        " TO STDOUT WITH (FORMAT csv, HEADER)");

  result = PQexec (conn, sql->str);
  if (!instasync_pg_check_result (conn, result, PGRES_COPY_OUT,
                                  "exporting insights", NULL, error))
    return FALSE;
  g_clear_pointer (&result, PQclear);

  /* Keep reading after a write error: the connection is only usable again
   * once the server has sent all of it. */
  while ((length = PQgetCopyData (conn, &buffer, 0)) > 0)
    {
      if (write_error == NULL)
        g_output_stream_write_all (out, buffer, (gsize) length, NULL, NULL, &write_error);
      PQfreemem (buffer);
      buffer = NULL;
    }

  if (length == -2)
    {
      instasync_pg_set_error (error, conn, NULL, "exporting insights", NULL);
      return FALSE;
    }

  result = PQgetResult (conn);
  if (!instasync_pg_check_result (conn, result, PGRES_COMMAND_OK,
                                  "exporting insights", NULL, error))
    {
      /* Drain the rest so that the next statement starts clean. */
      g_clear_pointer (&result, PQclear);
      while ((result = PQgetResult (conn)) != NULL)
        g_clear_pointer (&result, PQclear);
      return FALSE;
    }
  g_clear_pointer (&result, PQclear);
  while ((result = PQgetResult (conn)) != NULL)
    g_clear_pointer (&result, PQclear);

  if (write_error != NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&write_error),
                                  "Could not write the export: ");
      return FALSE;
    }

  return TRUE;
}
