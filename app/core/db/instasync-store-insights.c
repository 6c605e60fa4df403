/* instasync-store-insights.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-store"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "instasync-day-zone.h"
#include "instasync-error.h"
#include "instasync-pg-binary.h"
#include "instasync-pg-util.h"
#include "instasync-store-private.h"
#include "instasync-time.h"

/* The columns the upsert statement returns, in binary format, see
 * instasync_store_verify_upsert_result(). */
enum {
  COL_IG_USER_ID,
  COL_METRIC,
  COL_PERIOD,
  COL_METRIC_TYPE,
  COL_WINDOW_START,
  COL_END_TIME,
  COL_BREAKDOWN,
  COL_DIMENSION_VALUE,
  COL_STORED_VALUE,
  COL_INSERTED,
  N_COLS
};

#define INSIGHT_COLUMNS \
  "ig_user_id, metric, period, metric_type, window_start, end_time, value, breakdown," \
  " dimension_value, metadata"

/* Each row is its account's owner's (sql/0006_account_owners.sql): named
 * here, by one join of the batch to its accounts, so that the table's
 * trigger, which would look the account up row by row, is left out. A row
 * whose account this connection does not see gets no owner here; the
 * trigger then makes it the writer's, which a user's policy refuses. */
#define INSIGHT_SOURCE \
  INSIGHT_COLUMNS ", a.owner_oid FROM instasync_upsert_rows" \
  " LEFT JOIN instagram_accounts a USING (ig_user_id)"

/* What each statement returns for a row it wrote, see COL_*. */
#define ANSWER_COLUMNS(table) \
  table "ig_user_id, " table "metric, " table "period, " table "metric_type, " \
  table "window_start, " table "end_time, " table "breakdown, " table "dimension_value, " \
  table "value"

/* One statement for the whole batch, with one answer per row it wrote:
 *
 *  - a row the INSERT created or the DO UPDATE changed comes back
 *    (RETURNING) with the key and value now stored, and whether it is new;
 *  - a row that does not come back hit the ON CONFLICT ... WHERE clause,
 *    which leaves a row alone only when the stored value and metadata are
 *    already those sent: it is unchanged.
 *
 * The answers are matched to the rows sent by their key, on the client:
 * joining them back on the server, or reading the table a second time to
 * prove the unchanged rows, would cost as much again as the write itself,
 * and under concurrent writers a second read would look at a snapshot older
 * than the row it is about. */
static const char upsert_sql[] =
  "INSERT INTO instagram_insights AS ii (" INSIGHT_COLUMNS ", owner_oid)"
  "  SELECT " INSIGHT_SOURCE " "
  "ON CONFLICT ON CONSTRAINT instagram_insights_natural_key DO UPDATE"
  "  SET value = EXCLUDED.value, metadata = EXCLUDED.metadata,"
  "      fetched_at = now (), updated_at = now ()"
  "  WHERE (ii.value, ii.metadata) IS DISTINCT FROM (EXCLUDED.value, EXCLUDED.metadata) "
  "RETURNING " ANSWER_COLUMNS ("ii.") ", (ii.xmax = 0) AS inserted";

/* ON CONFLICT pays for every row: each one is looked up in the key's index
 * first and then inserted speculatively. Rows of days never written before
 * (a backfill, a new account, a new day) need neither, so when no stored
 * row of the batch's accounts and metrics falls within the batch's days,
 * one range scan per account and metric says so... */
static const char batch_overlaps_sql[] =
  "SELECT EXISTS ("
  "  SELECT 1"
  "  FROM (SELECT ig_user_id, metric, min (end_time) AS first_end, max (end_time) AS last_end"
  "        FROM instasync_upsert_rows GROUP BY ig_user_id, metric) AS sent"
  "  JOIN instagram_insights ii ON ii.ig_user_id = sent.ig_user_id"
  "   AND ii.metric = sent.metric"
  "   AND ii.end_time BETWEEN sent.first_end AND sent.last_end)";

/* ... and the rows go in by a plain INSERT. A concurrent writer that stores
 * one of them meanwhile makes the unique index refuse it (unique_violation):
 * the batch is then written again with the upsert above. */
static const char insert_sql[] =
  "INSERT INTO instagram_insights (" INSIGHT_COLUMNS ", owner_oid)"
  "  SELECT " INSIGHT_SOURCE " "
  "RETURNING " ANSWER_COLUMNS ("") ", true AS inserted";

/* How many batches went the way of the unique_violation above, for tests. */
static gint insert_conflicts;

/* The rows arrive by binary COPY, the fastest way into PostgreSQL, in a
 * temporary table of the connection that empties itself at every commit. Its
 * columns have the types of the table's, so the upsert converts nothing. */
static const char prepare_input_sql[] =
  "BEGIN;"
  "CREATE TEMPORARY TABLE IF NOT EXISTS instasync_upsert_rows ("
  "  ig_user_id text, metric text, period text, metric_type text,"
  "  window_start timestamptz, end_time timestamptz, value bigint, breakdown text,"
  "  dimension_value text, metadata jsonb) ON COMMIT DELETE ROWS";

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

/* Row → its 1-based position in @rows, or NULL with @error set. */
static GHashTable *
index_batch (GPtrArray  *rows,
             GError    **error)
{
  g_autoptr(GHashTable) index = g_hash_table_new (row_key_hash, row_key_equal);

  for (guint i = 0; i < rows->len; i++)
    {
      const InstaSyncInsightRow *row = g_ptr_array_index (rows, i);
      gpointer first;

      if (row == NULL || row->ig_user_id == NULL || row->metric == NULL ||
          row->period == NULL || row->metric_type == NULL ||
          row->breakdown == NULL || row->dimension_value == NULL)
        {
          g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_INVALID_ARGUMENT,
                       _("Insight row %u lacks a field of its key"), i + 1);
          return NULL;
        }

      /* ON CONFLICT DO UPDATE cannot touch one row twice in a statement, and
       * two values for one key would make the result depend on order. */
      if (g_hash_table_lookup_extended (index, row, NULL, &first))
        {
          g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_INVALID_ARGUMENT,
                       _("Insight rows %u and %u have the same key (metric %s of "
                         "account %s, period %s, %s)"),
                       GPOINTER_TO_UINT (first), i + 1,
                       row->metric, row->ig_user_id, row->period, row->metric_type);
          return NULL;
        }
      g_hash_table_insert (index, (gpointer) row, GUINT_TO_POINTER (i + 1));
    }

  return g_steal_pointer (&index);
}

guint
instasync_store_insert_conflict_count (void)
{
  return (guint) g_atomic_int_get (&insert_conflicts);
}

/* Verification */

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

static char *
result_error_message (const PGresult *result)
{
  g_autofree char *message = NULL;

  if (result == NULL)
    return g_strdup (_("no result"));

  if (PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY) != NULL)
    message = g_strdup (PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY));
  else
    message = g_strdup (PQresultErrorMessage (result));
  g_strstrip (message);
  if (*message == '\0')
    {
      g_free (message);
      message = g_strdup (PQresStatus (PQresultStatus (result)));
    }

  return g_steal_pointer (&message);
}

/* Reads the key of answer @r into @key, whose strings point into @result. */
static gboolean
read_answer_key (const PGresult      *result,
                 int                  r,
                 InstaSyncInsightRow *key)
{
  key->ig_user_id = (char *) instasync_pg_binary_text (result, r, COL_IG_USER_ID);
  key->metric = (char *) instasync_pg_binary_text (result, r, COL_METRIC);
  key->period = (char *) instasync_pg_binary_text (result, r, COL_PERIOD);
  key->metric_type = (char *) instasync_pg_binary_text (result, r, COL_METRIC_TYPE);
  key->breakdown = (char *) instasync_pg_binary_text (result, r, COL_BREAKDOWN);
  key->dimension_value = (char *) instasync_pg_binary_text (result, r, COL_DIMENSION_VALUE);

  return key->ig_user_id != NULL && key->metric != NULL && key->period != NULL &&
         key->metric_type != NULL && key->breakdown != NULL && key->dimension_value != NULL &&
         instasync_pg_binary_timestamptz (result, r, COL_WINDOW_START, &key->window_start) &&
         instasync_pg_binary_timestamptz (result, r, COL_END_TIME, &key->end_time);
}

static gboolean
verify_with_index (const PGresult        *result,
                   const char            *command_status,
                   GPtrArray             *rows,
                   GHashTable            *index,
                   InstaSyncWriteCounts  *counts,
                   GError               **error)
{
  InstaSyncWriteCounts seen = { 0, };
  g_autofree guint8 *answered = NULL;
  g_autofree char *expected_status = NULL;
  int n_answers;

  /* 1. An error present. */
  if (result == NULL || PQresultStatus (result) != PGRES_TUPLES_OK)
    {
      g_autofree char *message = result_error_message (result);

      return verify_failed (counts, rows->len, error, INSTASYNC_ERROR_DATABASE,
                            _("The database reported an error while writing %u insight rows: %s"),
                            rows->len, message);
    }

  /* 2. Every answer is about a row sent, once, with the value sent. */
  if (PQnfields (result) != N_COLS)
    return verify_failed (counts, rows->len, error, INSTASYNC_ERROR_VERIFY,
                          _("The database answered the write with %d columns instead of %d"),
                          PQnfields (result), N_COLS);

  n_answers = PQntuples (result);
  if (n_answers < 0 || (guint) n_answers > rows->len)
    return verify_failed (counts, rows->len, error, INSTASYNC_ERROR_VERIFY,
                          _("The database confirmed %d insight rows of the %u sent"),
                          n_answers, rows->len);

  answered = g_new0 (guint8, rows->len);
  for (int r = 0; r < n_answers; r++)
    {
      InstaSyncInsightRow key = { 0, };
      const InstaSyncInsightRow *row;
      guint position;
      gint64 stored;
      gboolean inserted;

      if (!read_answer_key (result, r, &key))
        return verify_failed (counts, rows->len, error, INSTASYNC_ERROR_VERIFY,
                              _("The database confirmed a write with a key it did not "
                                "report in full (answer %d)"), r + 1);

      position = GPOINTER_TO_UINT (g_hash_table_lookup (index, &key));
      if (position == 0)
        return verify_failed (counts, rows->len, error, INSTASYNC_ERROR_VERIFY,
                              _("The database confirmed a different key than any sent "
                                "(answer %d: metric %s of account %s)"),
                              r + 1, key.metric, key.ig_user_id);
      row = g_ptr_array_index (rows, position - 1);

      if (answered[position - 1]++)
        return verify_failed (counts, rows->len, error, INSTASYNC_ERROR_VERIFY,
                              _("The database confirmed insight row %u twice (metric %s "
                                "of account %s)"), position, row->metric, row->ig_user_id);

      if (!instasync_pg_binary_int8 (result, r, COL_STORED_VALUE, &stored))
        return verify_failed (counts, rows->len, error, INSTASYNC_ERROR_VERIFY,
                              _("The database holds no value for insight row %u (metric %s "
                                "of account %s)"), position, row->metric, row->ig_user_id);
      if (stored != row->value)
        return verify_failed (counts, rows->len, error, INSTASYNC_ERROR_VERIFY,
                              _("The database holds %lld instead of %lld for insight row %u "
                                "(metric %s of account %s)"),
                              (long long) stored, (long long) row->value, position, row->metric,
                              row->ig_user_id);

      if (!instasync_pg_binary_bool (result, r, COL_INSERTED, &inserted))
        return verify_failed (counts, rows->len, error, INSTASYNC_ERROR_VERIFY,
                              _("The database did not say how it wrote insight row %u "
                                "(metric %s of account %s)"), position, row->metric,
                              row->ig_user_id);

      if (inserted)
        seen.inserted++;
      else
        seen.updated++;
    }

  /* 3. The command status agrees with the answers we read. */
  expected_status = g_strdup_printf ("INSERT 0 %d", n_answers);
  if (g_strcmp0 (command_status, expected_status) != 0)
    return verify_failed (counts, rows->len, error, INSTASYNC_ERROR_VERIFY,
                          _("The database reported “%s” for %d insight rows confirmed"),
                          command_status != NULL ? command_status : "", n_answers);

  seen.unchanged = rows->len - (guint) n_answers;
  if (counts != NULL)
    *counts = seen;

  return TRUE;
}

gboolean
instasync_store_verify_upsert_result (const PGresult        *result,
                                      const char            *command_status,
                                      GPtrArray             *rows,
                                      InstaSyncWriteCounts  *counts,
                                      GError               **error)
{
  g_autoptr(GHashTable) index = NULL;

  g_return_val_if_fail (rows != NULL, FALSE);

  index = index_batch (rows, error);
  if (index == NULL)
    {
      if (counts != NULL)
        {
          memset (counts, 0, sizeof *counts);
          counts->failed = rows->len;
        }
      return FALSE;
    }

  return verify_with_index (result, command_status, rows, index, counts, error);
}

/* Upsert */

static gboolean
build_copy_data (GPtrArray   *rows,
                 GByteArray  *data,
                 GError     **error)
{
  instasync_pg_copy_begin (data);

  for (guint i = 0; i < rows->len; i++)
    {
      const InstaSyncInsightRow *row = g_ptr_array_index (rows, i);

      instasync_pg_copy_row (data, 10);
      instasync_pg_copy_text (data, row->ig_user_id);
      instasync_pg_copy_text (data, row->metric);
      instasync_pg_copy_text (data, row->period);
      instasync_pg_copy_text (data, row->metric_type);
      if (!instasync_pg_copy_timestamptz (data, row->window_start) ||
          !instasync_pg_copy_timestamptz (data, row->end_time))
        {
          g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_INVALID_ARGUMENT,
                       _("Insight row %u has a time the database cannot hold"), i + 1);
          return FALSE;
        }
      instasync_pg_copy_int8 (data, row->value);
      instasync_pg_copy_text (data, row->breakdown);
      instasync_pg_copy_text (data, row->dimension_value);
      instasync_pg_copy_jsonb (data, row->metadata_json != NULL ? row->metadata_json : "{}");
    }

  instasync_pg_copy_end (data);
  return TRUE;
}

/* Opens the transaction, copies the rows in and writes them: four round
 * trips whatever the number of rows. Returns the result of the write (which
 * may be an error) with the transaction still open, or NULL with @error set
 * when the statement never ran. @plain_insert says which statement wrote:
 * the plain INSERT when @allow_plain_insert and nothing overlaps, the
 * upsert otherwise. */
static PGresult *
run_upsert (PGconn            *conn,
            const GByteArray  *data,
            gboolean           allow_plain_insert,
            gboolean          *plain_insert,
            GError           **error)
{
  g_autoptr(PGresult) prepared = NULL;
  g_autoptr(PGresult) copy = NULL;
  g_autoptr(PGresult) copied = NULL;
  g_autoptr(PGresult) overlaps = NULL;
  PGresult *extra;

  *plain_insert = FALSE;

  prepared = PQexec (conn, prepare_input_sql);
  if (!instasync_pg_check_result (conn, prepared, PGRES_COMMAND_OK, N_("writing insights"), NULL, error))
    return NULL;

  copy = PQexec (conn, "COPY instasync_upsert_rows FROM STDIN (FORMAT binary)");
  if (!instasync_pg_check_result (conn, copy, PGRES_COPY_IN, N_("writing insights"), NULL, error))
    return NULL;

  if (PQputCopyData (conn, (const char *)data->data, (int)MIN (data->len, (guint)G_MAXINT)) != 1 ||
      PQputCopyEnd (conn, NULL) != 1)
    {
      instasync_pg_set_error (error, conn, NULL, N_("writing insights"), NULL);
      return NULL;
    }

  copied = PQgetResult (conn);
  while ((extra = PQgetResult (conn)) != NULL)
    PQclear (extra);
  if (!instasync_pg_check_result (conn, copied, PGRES_COMMAND_OK, N_("writing insights"), NULL, error))
    return NULL;

  if (allow_plain_insert)
    {
      overlaps = PQexec (conn, batch_overlaps_sql);
      if (!instasync_pg_check_result (conn, overlaps, PGRES_TUPLES_OK, N_("writing insights"), NULL, error))
        return NULL;
      *plain_insert = PQntuples (overlaps) == 1 &&
                      g_strcmp0 (PQgetvalue (overlaps, 0, 0), "f") == 0;
    }

  /* Binary results: the stored keys and values come back as the numbers
   * they are, with nothing to print on the server or parse here. */
  return PQexecParams (conn, *plain_insert ? insert_sql : upsert_sql, 0, NULL, NULL, NULL, NULL, 1);
}

static gboolean
upsert_once (InstaSyncStore        *self,
             GPtrArray             *rows,
             GHashTable            *index,
             const GByteArray      *data,
             gboolean               allow_plain_insert,
             InstaSyncWriteCounts  *counts,
             gboolean              *connection_lost,
             gboolean              *insert_conflict,
             GError               **error)
{
  PGconn *conn = instasync_store_get_connection (self);
  g_autoptr(PGresult) result = NULL;
  g_autoptr(PGresult) commit = NULL;
  gboolean plain_insert = FALSE;

  *connection_lost = FALSE;
  *insert_conflict = FALSE;

  if (!instasync_store_ensure_connected (self, error))
    return FALSE;

  result = run_upsert (conn, data, allow_plain_insert, &plain_insert, error);
  if (result == NULL)
    {
      *connection_lost = PQstatus (conn) == CONNECTION_BAD;
      instasync_pg_rollback (conn);
      return FALSE;
    }

  if (plain_insert && g_str_equal (instasync_pg_sqlstate (result), "23505"))
    {
      *insert_conflict = TRUE;
      g_atomic_int_inc (&insert_conflicts);
      instasync_pg_rollback (conn);
      g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE,
                           _("Another writer stored some of these insight rows meanwhile"));
      return FALSE;
    }

  if (!verify_with_index (result, PQcmdStatus (result), rows, index, counts, error))
    {
      *connection_lost = PQstatus (conn) == CONNECTION_BAD;
      instasync_pg_rollback (conn);
      return FALSE;
    }

  /* A COMMIT of an aborted transaction answers ROLLBACK, not an error. */
  commit = PQexec (conn, "COMMIT");
  if (!instasync_pg_check_result (conn, commit, PGRES_COMMAND_OK,
                                  N_("committing insights"), NULL, error))
    {
      /* Lost during the COMMIT, the rows may or may not be stored. The
       * upsert is idempotent, so writing them again settles it. */
      *connection_lost = PQstatus (conn) == CONNECTION_BAD;
      return FALSE;
    }

  if (g_strcmp0 (PQcmdStatus (commit), "COMMIT") != 0)
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_VERIFY,
                   _("The database did not commit the %u insight rows written"), rows->len);
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
  g_autoptr(GByteArray) data = NULL;
  g_autoptr(GHashTable) index = NULL;
  InstaSyncWriteCounts local = { 0, };
  gboolean connection_lost = FALSE;
  gboolean insert_conflict = FALSE;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (INSTASYNC_IS_STORE (self), FALSE);
  g_return_val_if_fail (rows != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (counts == NULL)
    counts = &local;
  memset (counts, 0, sizeof *counts);

  if (rows->len == 0)
    return TRUE;

  index = index_batch (rows, error);
  data = g_byte_array_sized_new (rows->len * 200);
  if (index == NULL || !build_copy_data (rows, data, error))
    {
      counts->failed = rows->len;
      return FALSE;
    }

  if (upsert_once (self, rows, index, data, TRUE, counts,
                   &connection_lost, &insert_conflict, &local_error))
    return TRUE;

  /* One more attempt is safe: nothing was committed, or (a COMMIT lost on
   * the way) the idempotent upsert writes the same rows again.
   * ensure_connected() resets a dropped connection, or says clearly why it
   * cannot. After a conflict with another writer, the upsert settles it. */
  if (connection_lost || insert_conflict)
    {
      g_debug ("Writing the insights again: %s", local_error->message);
      g_clear_error (&local_error);
      if (upsert_once (self, rows, index, data, !insert_conflict, counts,
                       &connection_lost, &insert_conflict, &local_error))
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
                                  N_("reading insights"), NULL, error))
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
                                  N_("counting insights"), NULL, error))
    return -1;

  return g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
}

/* Export */

#define ISO_UTC(column) \
  "to_char (" column " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS " column

static gboolean
copy_csv (InstaSyncStore  *self,
          const char      *ig_user_id,
          gint64           from,
          gint64           to,
          gboolean         header,
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
          instasync_pg_set_error (error, conn, NULL, N_("exporting insights"), NULL);
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
                        " TO STDOUT WITH (FORMAT csv");
  g_string_append (sql, header ? ", HEADER)" : ")");

  result = PQexec (conn, sql->str);
  if (!instasync_pg_check_result (conn, result, PGRES_COPY_OUT,
                                  N_("exporting insights"), NULL, error))
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
      instasync_pg_set_error (error, conn, NULL, N_("exporting insights"), NULL);
      return FALSE;
    }

  result = PQgetResult (conn);
  if (!instasync_pg_check_result (conn, result, PGRES_COMMAND_OK,
                                  N_("exporting insights"), NULL, error))
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
                                  _("Could not write the export: "));
      return FALSE;
    }

  return TRUE;
}

gboolean
instasync_store_export_csv (InstaSyncStore  *self,
                            const char      *ig_user_id,
                            gint64           from,
                            gint64           to,
                            GOutputStream   *out,
                            GError         **error)
{
  g_return_val_if_fail (INSTASYNC_IS_STORE (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return copy_csv (self, ig_user_id, from, to, TRUE, out, error);
}

gboolean
instasync_store_export_csv_days (InstaSyncStore  *self,
                                 const char      *ig_user_id,
                                 const GDate     *since,
                                 const GDate     *until,
                                 GOutputStream   *out,
                                 GError         **error)
{
  const char *params[] = { ig_user_id };
  g_autoptr(PGresult) result = NULL;
  PGconn *conn;

  g_return_val_if_fail (INSTASYNC_IS_STORE (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!instasync_store_ensure_connected (self, error))
    return FALSE;
  conn = instasync_store_get_connection (self);

  /* Each account's days are its own: the bounds are worked out account by
   * account, with the zone its end_times were seen to follow. */
  result = PQexecParams (conn,
                         "SELECT i.ig_user_id, min (a.day_zone) "
                         "FROM (SELECT DISTINCT ig_user_id FROM instagram_insights "
                         "      WHERE $1::text IS NULL OR ig_user_id = $1) i "
                         "LEFT JOIN instagram_accounts a USING (ig_user_id) "
                         "GROUP BY i.ig_user_id ORDER BY i.ig_user_id",
                         1, NULL, params, NULL, NULL, 0);
  if (!instasync_pg_check_result (conn, result, PGRES_TUPLES_OK,
                                  N_("exporting insights"), NULL, error))
    return FALSE;

  /* Nothing to export is still a file with its header. */
  if (PQntuples (result) == 0)
    return copy_csv (self, ig_user_id, 1, 1, TRUE, out, error);

  for (int i = 0; i < PQntuples (result); i++)
    {
      g_autoptr(GTimeZone) zone =
        instasync_day_zone_new (PQgetisnull (result, i, 1) ? NULL : PQgetvalue (result, i, 1));
      /* A value describes the day before its end_time: the days since …
       * until are the rows with end_time in (start of since, end of until]. */
      gint64 from = since != NULL ? instasync_day_end (zone, since) : 0;
      gint64 to = until != NULL ? instasync_day_end (zone, until) + 1 : 0;

      if (!copy_csv (self, PQgetvalue (result, i, 0), from, to, i == 0, out, error))
        return FALSE;
    }

  return TRUE;
}
