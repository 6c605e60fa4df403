/* test-store.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "instasync-error.h"
#include "instasync-store-private.h"
#include "instasync-test-pg.h"
#include "instasync-token-key.h"

/* One cluster for the whole file; every test starts from empty tables. The
 * test that stops its server has a cluster of its own. */
static InstaSyncTestPg *shared_pg;

/* 2024-07-01 in US-Pacific (summer): [07:00Z, next day 07:00Z). */
#define DAY_START 1719817200
#define DAY 86400

static InstaSyncStore *
fresh_store (void)
{
  g_autoptr(GError) error = NULL;
  InstaSyncStore *store = instasync_test_pg_connect_migrated (shared_pg, &error);
  PGresult *result;

  g_assert_no_error (error);
  result = PQexec (instasync_store_get_connection (store),
                   "TRUNCATE instagram_insights, instagram_accounts, user_tokens, "
                   "instagram_sync_logs");
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_COMMAND_OK);
  PQclear (result);

  return store;
}

static InstaSyncInsightRow *
make_row (const char *ig_user_id,
          const char *metric,
          gint64      day,
          gint64      value)
{
  return instasync_insight_row_new (ig_user_id, metric, "day", "time_series",
                                    DAY_START + day * DAY, DAY_START + (day + 1) * DAY, value);
}

static GPtrArray *
new_rows (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) instasync_insight_row_free);
}

/* Three rows of two shapes: plain time series, and a breakdown with metadata. */
static GPtrArray *
sample_rows (void)
{
  GPtrArray *rows = new_rows ();
  InstaSyncInsightRow *row;

  g_ptr_array_add (rows, make_row ("17841400000000001", "reach", 0, 120));
  g_ptr_array_add (rows, make_row ("17841400000000001", "reach", 1, 130));
  row = instasync_insight_row_new ("17841400000000001", "views", "day", "total_value",
                                   DAY_START, DAY_START + DAY, 42);
  instasync_insight_row_set_breakdown (row, "media_product_type", "REELS");
  row->metadata_json = g_strdup ("{\"source\": \"test\"}");
  g_ptr_array_add (rows, row);

  return rows;
}

static void
assert_counts (const InstaSyncWriteCounts *counts,
               guint                       inserted,
               guint                       updated,
               guint                       unchanged,
               guint                       failed)
{
  g_assert_cmpuint (counts->inserted, ==, inserted);
  g_assert_cmpuint (counts->updated, ==, updated);
  g_assert_cmpuint (counts->unchanged, ==, unchanged);
  g_assert_cmpuint (counts->failed, ==, failed);
}

static void
upsert_ok (InstaSyncStore       *store,
           GPtrArray            *rows,
           InstaSyncWriteCounts *counts)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (instasync_store_upsert_insights (store, rows, counts, &error));
  g_assert_no_error (error);
}

static gint64
count_all (InstaSyncStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 count = instasync_store_count_insights (store, NULL, &error);

  g_assert_no_error (error);
  return count;
}

static char *
query_text (InstaSyncStore *store,
            const char     *sql)
{
  PGresult *result = PQexec (instasync_store_get_connection (store), sql);
  char *value;

  g_assert_cmpstr (PQresultErrorMessage (result), ==, "");
  g_assert_cmpint (PQntuples (result), ==, 1);
  value = PQgetisnull (result, 0, 0) ? NULL : g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
  return value;
}

static void
assert_rows_equal (const InstaSyncInsightRow *a,
                   const InstaSyncInsightRow *b)
{
  g_assert_true (instasync_insight_row_same_key (a, b));
  g_assert_cmpstr (a->ig_user_id, ==, b->ig_user_id);
  g_assert_cmpstr (a->metric, ==, b->metric);
  g_assert_cmpstr (a->breakdown, ==, b->breakdown);
  g_assert_cmpstr (a->dimension_value, ==, b->dimension_value);
  g_assert_cmpint (a->value, ==, b->value);
  g_assert_cmpstr (a->metadata_json, ==, b->metadata_json);
}

/* Upserts */

static void
test_upsert_insert (void)
{
  g_autoptr(InstaSyncStore) store = fresh_store ();
  g_autoptr(GPtrArray) rows = sample_rows ();
  g_autoptr(GPtrArray) reach = NULL;
  g_autoptr(GPtrArray) views = NULL;
  g_autoptr(GError) error = NULL;
  InstaSyncWriteCounts counts = { 9, 9, 9, 9 };

  upsert_ok (store, rows, &counts);
  assert_counts (&counts, 3, 0, 0, 0);
  g_assert_cmpint (count_all (store), ==, 3);
  g_assert_cmpint (instasync_store_count_insights (store, "17841400000000001", NULL), ==, 3);
  g_assert_cmpint (instasync_store_count_insights (store, "nobody", NULL), ==, 0);

  reach = instasync_store_query_insights (store, "17841400000000001", "reach",
                                          DAY_START, DAY_START + 10 * DAY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reach->len, ==, 2);
  assert_rows_equal (g_ptr_array_index (reach, 0), g_ptr_array_index (rows, 0));
  assert_rows_equal (g_ptr_array_index (reach, 1), g_ptr_array_index (rows, 1));

  views = instasync_store_query_insights (store, "17841400000000001", "views",
                                          DAY_START, DAY_START + 10 * DAY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (views->len, ==, 1);
  assert_rows_equal (g_ptr_array_index (views, 0), g_ptr_array_index (rows, 2));

  /* [from, to) on end_time: the first day ends at DAY_START + DAY. */
  g_clear_pointer (&reach, g_ptr_array_unref);
  reach = instasync_store_query_insights (store, "17841400000000001", "reach",
                                          DAY_START + DAY, DAY_START + 2 * DAY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reach->len, ==, 1);
  g_assert_cmpint (((InstaSyncInsightRow *) g_ptr_array_index (reach, 0))->value, ==, 120);
}

static void
test_upsert_unchanged (void)
{
  g_autoptr(InstaSyncStore) store = fresh_store ();
  g_autoptr(GPtrArray) rows = sample_rows ();
  g_autofree char *fetched_before = NULL;
  g_autofree char *fetched_after = NULL;
  g_autofree char *updated_at = NULL;
  InstaSyncWriteCounts counts;

  upsert_ok (store, rows, &counts);
  fetched_before = query_text (store, "SELECT string_agg (fetched_at::text, ',' ORDER BY ig_user_id, metric, end_time) "
                                      "FROM instagram_insights");

  upsert_ok (store, rows, &counts);
  assert_counts (&counts, 0, 0, 3, 0);
  g_assert_cmpint (count_all (store), ==, 3);

  /* An unchanged row is not rewritten at all. */
  fetched_after = query_text (store, "SELECT string_agg (fetched_at::text, ',' ORDER BY ig_user_id, metric, end_time) "
                                     "FROM instagram_insights");
  g_assert_cmpstr (fetched_before, ==, fetched_after);
  updated_at = query_text (store, "SELECT count (updated_at) FROM instagram_insights");
  g_assert_cmpstr (updated_at, ==, "0");
}

static void
test_upsert_updated (void)
{
  g_autoptr(InstaSyncStore) store = fresh_store ();
  g_autoptr(GPtrArray) rows = sample_rows ();
  g_autoptr(GPtrArray) stored = NULL;
  g_autofree char *updated = NULL;
  InstaSyncInsightRow *views;
  InstaSyncWriteCounts counts;

  upsert_ok (store, rows, &counts);

  /* A new value, and separately new metadata: both are updates. */
  ((InstaSyncInsightRow *) g_ptr_array_index (rows, 1))->value = 999;
  views = g_ptr_array_index (rows, 2);
  g_free (views->metadata_json);
  views->metadata_json = g_strdup ("{\"source\": \"again\"}");

  upsert_ok (store, rows, &counts);
  assert_counts (&counts, 0, 2, 1, 0);
  g_assert_cmpint (count_all (store), ==, 3);

  stored = instasync_store_query_insights (store, "17841400000000001", "reach",
                                           DAY_START, DAY_START + 10 * DAY, NULL);
  g_assert_cmpint (((InstaSyncInsightRow *) g_ptr_array_index (stored, 1))->value, ==, 999);
  updated = query_text (store, "SELECT count (updated_at) FROM instagram_insights");
  g_assert_cmpstr (updated, ==, "2");
}

static void
test_upsert_mixed (void)
{
  g_autoptr(InstaSyncStore) store = fresh_store ();
  g_autoptr(GPtrArray) first = new_rows ();
  g_autoptr(GPtrArray) second = new_rows ();
  InstaSyncWriteCounts counts;

  g_ptr_array_add (first, make_row ("acct", "reach", 0, 10));
  g_ptr_array_add (first, make_row ("acct", "reach", 1, 11));
  upsert_ok (store, first, &counts);

  /* new, changed, same, new — in an order the statement must keep */
  g_ptr_array_add (second, make_row ("acct", "reach", 5, 50));
  g_ptr_array_add (second, make_row ("acct", "reach", 1, 12));
  g_ptr_array_add (second, make_row ("acct", "reach", 0, 10));
  g_ptr_array_add (second, make_row ("acct", "follower_count", 0, 7));
  upsert_ok (store, second, &counts);
  assert_counts (&counts, 2, 1, 1, 0);
  g_assert_cmpint (count_all (store), ==, 4);
}

static void
test_upsert_empty (void)
{
  g_autoptr(InstaSyncStore) store = fresh_store ();
  g_autoptr(GPtrArray) rows = new_rows ();
  InstaSyncWriteCounts counts = { 1, 2, 3, 4 };

  upsert_ok (store, rows, &counts);
  assert_counts (&counts, 0, 0, 0, 0);
  g_assert_cmpint (count_all (store), ==, 0);
}

static void
test_upsert_hostile_strings (void)
{
  g_autoptr(InstaSyncStore) store = fresh_store ();
  g_autoptr(GPtrArray) rows = new_rows ();
  g_autoptr(GError) error = NULL;
  InstaSyncWriteCounts counts;
  const char * const hostile[] = {
    "quote\"double and 'single'",
    "back\\slash \\\\ and \\\"",
    "{braces},{and,commas}",
    "new\nline\r\ttab",
    "NULL",
    "",
    "  padded  ",
    "ünïcødé — ☃ 🎉 日本語",
    "'); DROP TABLE instagram_insights; --",
    "$1::text[] \\x00 E'\\n'",
  };

  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      InstaSyncInsightRow *row = make_row ("hostile", hostile[i], 0, i);

      instasync_insight_row_set_breakdown (row, hostile[(i + 1) % G_N_ELEMENTS (hostile)],
                                           hostile[(i + 2) % G_N_ELEMENTS (hostile)]);
      /* jsonb's own text form, so that it reads back byte for byte */
      row->metadata_json = g_strdup ("{\"caption\": \"\\\"hi\\\" \\\\ {a,b} \\n ☃\"}");
      g_ptr_array_add (rows, row);
    }

  upsert_ok (store, rows, &counts);
  assert_counts (&counts, G_N_ELEMENTS (hostile), 0, 0, 0);

  /* The same strings are recognised as the same keys. */
  upsert_ok (store, rows, &counts);
  assert_counts (&counts, 0, 0, G_N_ELEMENTS (hostile), 0);

  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autoptr(GPtrArray) stored = instasync_store_query_insights (store, "hostile", hostile[i],
                                                                    0, G_MAXINT32, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (stored->len, ==, 1);
      assert_rows_equal (g_ptr_array_index (stored, 0), g_ptr_array_index (rows, i));
    }

  g_assert_cmpint (count_all (store), ==, G_N_ELEMENTS (hostile));
}

static void
test_upsert_duplicate_keys (void)
{
  g_autoptr(InstaSyncStore) store = fresh_store ();
  g_autoptr(GPtrArray) rows = new_rows ();
  g_autoptr(GError) error = NULL;
  InstaSyncWriteCounts counts;

  g_ptr_array_add (rows, make_row ("acct", "reach", 0, 1));
  g_ptr_array_add (rows, make_row ("acct", "reach", 1, 2));
  g_ptr_array_add (rows, make_row ("acct", "reach", 0, 3));

  g_assert_false (instasync_store_upsert_insights (store, rows, &counts, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "1 and 3"));
  assert_counts (&counts, 0, 0, 0, 3);
  g_assert_cmpint (count_all (store), ==, 0);

  /* Same day but another breakdown value is another key. */
  g_clear_error (&error);
  g_ptr_array_remove_index (rows, 2);
  g_ptr_array_add (rows, make_row ("acct", "reach", 0, 3));
  instasync_insight_row_set_breakdown (g_ptr_array_index (rows, 2), "media_product_type", "POST");
  upsert_ok (store, rows, &counts);
  assert_counts (&counts, 3, 0, 0, 0);
}

static void
test_upsert_database_error (void)
{
  g_autoptr(InstaSyncStore) store = fresh_store ();
  g_autoptr(GPtrArray) rows = new_rows ();
  g_autoptr(GError) error = NULL;
  InstaSyncWriteCounts counts;
  InstaSyncInsightRow *bad;

  g_ptr_array_add (rows, make_row ("acct", "reach", 0, 1));
  bad = make_row ("acct", "reach", 1, 2);
  g_free (bad->metric_type);
  bad->metric_type = g_strdup ("not_a_type");
  g_ptr_array_add (rows, bad);

  /* The check constraint fails the statement: the good row is not kept. */
  g_assert_false (instasync_store_upsert_insights (store, rows, &counts, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE);
  g_assert_nonnull (strstr (error->message, "check constraint"));
  assert_counts (&counts, 0, 0, 0, 2);
  g_assert_cmpint (count_all (store), ==, 0);

  /* Metadata that is not JSON. */
  g_clear_error (&error);
  g_free (bad->metric_type);
  bad->metric_type = g_strdup ("time_series");
  bad->metadata_json = g_strdup ("{not json");
  g_assert_false (instasync_store_upsert_insights (store, rows, &counts, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE);
  assert_counts (&counts, 0, 0, 0, 2);
  g_assert_cmpint (count_all (store), ==, 0);

  /* The connection is fine afterwards. */
  g_clear_pointer (&bad->metadata_json, g_free);
  upsert_ok (store, rows, &counts);
  assert_counts (&counts, 2, 0, 0, 0);
}

static void
test_upsert_unwritable_rows (void)
{
  g_autoptr(InstaSyncStore) store = fresh_store ();
  g_autoptr(GPtrArray) rows = new_rows ();
  g_autoptr(GError) error = NULL;
  InstaSyncWriteCounts counts;
  InstaSyncInsightRow *bad = make_row ("acct", "reach", 1, 2);

  g_ptr_array_add (rows, make_row ("acct", "reach", 0, 1));
  g_ptr_array_add (rows, bad);

  /* Bytes that are not UTF-8: the server refuses them, nothing is kept. */
  g_free (bad->dimension_value);
  bad->dimension_value = g_strdup ("caf\xe9");
  g_assert_false (instasync_store_upsert_insights (store, rows, &counts, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE);
  g_test_message ("%s", error->message);
  assert_counts (&counts, 0, 0, 0, 2);
  g_assert_cmpint (count_all (store), ==, 0);

  /* A time no timestamp can hold is refused before anything is sent. */
  g_clear_error (&error);
  g_free (bad->dimension_value);
  bad->dimension_value = g_strdup ("");
  bad->end_time = G_MAXINT64 / 2;
  g_assert_false (instasync_store_upsert_insights (store, rows, &counts, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_INVALID_ARGUMENT);
  assert_counts (&counts, 0, 0, 0, 2);
  g_assert_cmpint (count_all (store), ==, 0);
}

typedef struct
{
  InstaSyncStore       *store;
  GPtrArray            *rows;
  InstaSyncWriteCounts  counts;
  GError               *error;
} UpsertJob;

static gpointer
upsert_thread (gpointer data)
{
  UpsertJob *job = data;

  instasync_store_upsert_insights (job->store, job->rows, &job->counts, &job->error);
  return NULL;
}

static void
exec_ok (InstaSyncStore *store,
         const char     *sql)
{
  PGresult *result = PQexec (instasync_store_get_connection (store), sql);

  g_assert_cmpstr (PQresultErrorMessage (result), ==, "");
  PQclear (result);
}

/* A batch of days nobody wrote before goes in by a plain INSERT; a row that
 * another writer stores meanwhile makes it fall back to the upsert, and
 * nothing is lost or counted twice. */
static void
test_upsert_concurrent_writer (void)
{
  g_autoptr(InstaSyncStore) store = fresh_store ();
  g_autoptr(InstaSyncStore) other = instasync_test_pg_connect_migrated (shared_pg, NULL);
  g_autoptr(InstaSyncStore) watcher = instasync_test_pg_connect_migrated (shared_pg, NULL);
  g_autoptr(GPtrArray) rows = sample_rows ();
  UpsertJob job = { store, rows, { 0, }, NULL };
  guint conflicts_before = instasync_store_insert_conflict_count ();
  g_autofree char *stored = NULL;
  GThread *thread;
  gboolean waiting = FALSE;

  g_assert_nonnull (other);
  g_assert_nonnull (watcher);

  /* The other writer stores row 2 with another value, and has not
   * committed yet when our batch arrives. */
  exec_ok (other, "BEGIN");
  exec_ok (other,
           "INSERT INTO instagram_insights (ig_user_id, metric, period, metric_type,"
           "  window_start, end_time, value) "
           "VALUES ('17841400000000001', 'reach', 'day', 'time_series',"
           "  to_timestamp (1719817200 + 86400), to_timestamp (1719817200 + 2 * 86400), 999)");

  thread = g_thread_new ("upsert", upsert_thread, &job);

  /* Our INSERT waits on the other transaction's row in the unique index. */
  for (guint i = 0; i < 1000 && !waiting; i++)
    {
      g_autofree char *count = query_text (watcher,
        "SELECT count (*) FROM pg_stat_activity "
        "WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO instagram_insights%'");

      waiting = g_str_equal (count, "1");
      if (!waiting)
        g_usleep (10 * 1000);
    }
  g_assert_true (waiting);

  exec_ok (other, "COMMIT");
  g_thread_join (thread);

  g_assert_no_error (job.error);
  g_assert_cmpuint (instasync_store_insert_conflict_count (), ==, conflicts_before + 1);
  /* Rows 1 and 3 new, row 2 set back to the value sent. */
  assert_counts (&job.counts, 2, 1, 0, 0);
  g_assert_cmpint (count_all (store), ==, 3);
  stored = query_text (store,
                       "SELECT value FROM instagram_insights WHERE metric = 'reach' "
                       "AND end_time = to_timestamp (1719817200 + 2 * 86400)");
  g_assert_cmpstr (stored, ==, "130");
}

/* Verification, on crafted results */

enum {
  ANSWER_IG_USER_ID, ANSWER_METRIC, ANSWER_PERIOD, ANSWER_METRIC_TYPE, ANSWER_WINDOW_START,
  ANSWER_END_TIME, ANSWER_BREAKDOWN, ANSWER_DIMENSION_VALUE, ANSWER_VALUE, ANSWER_INSERTED,
  N_ANSWER_COLUMNS
};

/* PostgreSQL's binary timestamps count microseconds from 2000-01-01. */
#define PG_EPOCH 946684800

static void
set_binary (PGresult   *result,
            int         row,
            int         column,
            const void *bytes,
            int         length)
{
  g_assert_true (PQsetvalue (result, row, column, (char *) bytes, length));
}

static void
set_text (PGresult   *result,
          int         row,
          int         column,
          const char *text)
{
  set_binary (result, row, column, text, text != NULL ? (int) strlen (text) : -1);
}

static void
set_int8 (PGresult *result,
          int       row,
          int       column,
          gint64    value)
{
  guint64 be = GUINT64_TO_BE ((guint64) value);

  set_binary (result, row, column, &be, sizeof be);
}

static void
set_timestamp (PGresult *result,
               int       row,
               int       column,
               gint64    unix_seconds)
{
  set_int8 (result, row, column, (unix_seconds - PG_EPOCH) * G_USEC_PER_SEC);
}

static void
set_answer (PGresult                  *result,
            int                        answer,
            const InstaSyncInsightRow *row,
            gboolean                   inserted)
{
  guint8 flag = inserted ? 1 : 0;

  set_text (result, answer, ANSWER_IG_USER_ID, row->ig_user_id);
  set_text (result, answer, ANSWER_METRIC, row->metric);
  set_text (result, answer, ANSWER_PERIOD, row->period);
  set_text (result, answer, ANSWER_METRIC_TYPE, row->metric_type);
  set_timestamp (result, answer, ANSWER_WINDOW_START, row->window_start);
  set_timestamp (result, answer, ANSWER_END_TIME, row->end_time);
  set_text (result, answer, ANSWER_BREAKDOWN, row->breakdown);
  set_text (result, answer, ANSWER_DIMENSION_VALUE, row->dimension_value);
  set_int8 (result, answer, ANSWER_VALUE, row->value);
  set_binary (result, answer, ANSWER_INSERTED, &flag, 1);
}

/* A binary result as the write statement returns it: one answer for each
 * of the first @n_answers rows, all inserted or all updated. */
static PGresult *
crafted_result (GPtrArray *rows,
                guint      n_answers,
                gboolean   inserted)
{
  static const struct { const char *name; Oid type; int size; } columns[] = {
    { "ig_user_id", 25, -1 }, { "metric", 25, -1 }, { "period", 25, -1 },
    { "metric_type", 25, -1 }, { "window_start", 1184, 8 }, { "end_time", 1184, 8 },
    { "breakdown", 25, -1 }, { "dimension_value", 25, -1 }, { "value", 20, 8 },
    { "inserted", 16, 1 },
  };
  PGresAttDesc attrs[G_N_ELEMENTS (columns)];
  PGresult *result = PQmakeEmptyPGresult (NULL, PGRES_TUPLES_OK);

  G_STATIC_ASSERT (G_N_ELEMENTS (columns) == N_ANSWER_COLUMNS);
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      attrs[i].name = (char *) columns[i].name;
      attrs[i].tableid = 0;
      attrs[i].columnid = 0;
      attrs[i].format = 1;
      attrs[i].typid = columns[i].type;
      attrs[i].typlen = columns[i].size;
      attrs[i].atttypmod = -1;
    }
  g_assert_true (PQsetResultAttrs (result, G_N_ELEMENTS (columns), attrs));

  for (guint i = 0; i < n_answers; i++)
    set_answer (result, (int) i, g_ptr_array_index (rows, i % rows->len), inserted);

  return result;
}

static void
assert_verify_fails (PGresult   *result,
                     const char *command_status,
                     GPtrArray  *rows,
                     int         code,
                     const char *message_part)
{
  g_autoptr(GError) error = NULL;
  InstaSyncWriteCounts counts = { 5, 5, 5, 5 };

  g_assert_false (instasync_store_verify_upsert_result (result, command_status, rows,
                                                        &counts, &error));
  g_assert_error (error, INSTASYNC_ERROR, code);
  g_test_message ("%s", error->message);
  if (message_part != NULL)
    g_assert_nonnull (strstr (error->message, message_part));
  assert_counts (&counts, 0, 0, 0, rows->len);
}

static void
test_verify_accepts_matching_result (void)
{
  g_autoptr(GPtrArray) rows = sample_rows ();
  g_autoptr(GError) error = NULL;
  InstaSyncWriteCounts counts = { 5, 5, 5, 5 };
  PGresult *result = crafted_result (rows, 0, TRUE);

  /* In any order: row 3 updated, row 1 inserted, row 2 without an answer
   * (the ON CONFLICT ... WHERE clause left it as it was). */
  set_answer (result, 0, g_ptr_array_index (rows, 2), FALSE);
  set_answer (result, 1, g_ptr_array_index (rows, 0), TRUE);
  g_assert_true (instasync_store_verify_upsert_result (result, "INSERT 0 2", rows, &counts, &error));
  g_assert_no_error (error);
  assert_counts (&counts, 1, 1, 1, 0);
  PQclear (result);

  /* No answer at all: every row was already stored as sent. */
  result = crafted_result (rows, 0, TRUE);
  g_assert_true (instasync_store_verify_upsert_result (result, "INSERT 0 0", rows, &counts, &error));
  assert_counts (&counts, 0, 0, 3, 0);
  PQclear (result);
}

static void
test_verify_error_present (void)
{
  g_autoptr(GPtrArray) rows = sample_rows ();
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncStore) store = fresh_store ();
  PGresult *result;

  /* A real server error: its message reaches the caller. */
  result = PQexec (instasync_store_get_connection (store), "SELECT 1 / 0");
  assert_verify_fails (result, "INSERT 0 3", rows, INSTASYNC_ERROR_DATABASE, "division by zero");
  PQclear (result);

  /* An error result comes first, whatever else looks right. */
  result = PQmakeEmptyPGresult (NULL, PGRES_FATAL_ERROR);
  assert_verify_fails (result, "INSERT 0 3", rows, INSTASYNC_ERROR_DATABASE, NULL);
  PQclear (result);

  result = PQmakeEmptyPGresult (NULL, PGRES_COMMAND_OK);
  assert_verify_fails (result, "INSERT 0 3", rows, INSTASYNC_ERROR_DATABASE, NULL);
  PQclear (result);

  assert_verify_fails (NULL, "INSERT 0 3", rows, INSTASYNC_ERROR_DATABASE, "no result");
}

static void
test_verify_too_many_answers (void)
{
  g_autoptr(GPtrArray) rows = sample_rows ();
  PGresult *result;

  result = crafted_result (rows, 4, TRUE);
  /* The count is checked before anything else. */
  assert_verify_fails (result, "INSERT 0 4", rows, INSTASYNC_ERROR_VERIFY, "4 insight rows of the 3");
  PQclear (result);

  /* As many answers as rows, but one row answered twice. */
  result = crafted_result (rows, 3, TRUE);
  set_answer (result, 2, g_ptr_array_index (rows, 1), TRUE);
  assert_verify_fails (result, "INSERT 0 3", rows, INSTASYNC_ERROR_VERIFY, "insight row 2 twice");
  PQclear (result);
}

static void
test_verify_wrong_key (void)
{
  g_autoptr(GPtrArray) rows = sample_rows ();
  const struct {
    int         column;
    const char *text;
    gint64      seconds;
  } changes[] = {
    { ANSWER_IG_USER_ID, "17841400000000002", 0 },
    { ANSWER_METRIC, "impressions", 0 },
    { ANSWER_PERIOD, "week", 0 },
    { ANSWER_METRIC_TYPE, "total_value", 0 },
    { ANSWER_WINDOW_START, NULL, DAY_START + 3 * DAY },
    { ANSWER_END_TIME, NULL, DAY_START + 3 * DAY },
    { ANSWER_BREAKDOWN, "age", 0 },
    { ANSWER_DIMENSION_VALUE, "FEED", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (changes); i++)
    {
      PGresult *result = crafted_result (rows, 3, TRUE);

      if (changes[i].text != NULL)
        set_text (result, 1, changes[i].column, changes[i].text);
      else
        set_timestamp (result, 1, changes[i].column, changes[i].seconds);
      assert_verify_fails (result, "INSERT 0 3", rows, INSTASYNC_ERROR_VERIFY,
                           "different key than any sent (answer 2");
      PQclear (result);
    }
}

static void
test_verify_unreadable_key (void)
{
  g_autoptr(GPtrArray) rows = sample_rows ();
  guint8 short_time[4] = { 0, };
  PGresult *result;

  /* A key field missing, a timestamp of the wrong size, a fraction of a
   * second: none of them names a row sent. */
  result = crafted_result (rows, 3, TRUE);
  set_text (result, 2, ANSWER_METRIC, NULL);
  assert_verify_fails (result, "INSERT 0 3", rows, INSTASYNC_ERROR_VERIFY, "not report in full (answer 3)");
  PQclear (result);

  result = crafted_result (rows, 3, TRUE);
  set_binary (result, 0, ANSWER_END_TIME, short_time, sizeof short_time);
  assert_verify_fails (result, "INSERT 0 3", rows, INSTASYNC_ERROR_VERIFY, "not report in full (answer 1)");
  PQclear (result);

  result = crafted_result (rows, 3, TRUE);
  set_int8 (result, 0, ANSWER_WINDOW_START, (DAY_START - PG_EPOCH) * G_GINT64_CONSTANT (1000000) + 1);
  assert_verify_fails (result, "INSERT 0 3", rows, INSTASYNC_ERROR_VERIFY, "not report in full (answer 1)");
  PQclear (result);
}

static void
test_verify_wrong_value (void)
{
  g_autoptr(GPtrArray) rows = sample_rows ();
  PGresult *result;

  result = crafted_result (rows, 3, FALSE);
  set_int8 (result, 2, ANSWER_VALUE, 43);
  assert_verify_fails (result, "INSERT 0 3", rows, INSTASYNC_ERROR_VERIFY, "holds 43 instead of 42");
  PQclear (result);

  result = crafted_result (rows, 3, FALSE);
  set_text (result, 0, ANSWER_VALUE, NULL);
  assert_verify_fails (result, "INSERT 0 3", rows, INSTASYNC_ERROR_VERIFY, "no value for insight row 1");
  PQclear (result);

  /* Four bytes are not a bigint. */
  result = crafted_result (rows, 3, FALSE);
  set_binary (result, 0, ANSWER_VALUE, "\0\0\0x", 4);
  assert_verify_fails (result, "INSERT 0 3", rows, INSTASYNC_ERROR_VERIFY, "no value for insight row 1");
  PQclear (result);
}

static void
test_verify_inserted_flag (void)
{
  g_autoptr(GPtrArray) rows = sample_rows ();
  PGresult *result;

  result = crafted_result (rows, 3, TRUE);
  set_text (result, 1, ANSWER_INSERTED, NULL);
  assert_verify_fails (result, "INSERT 0 3", rows, INSTASYNC_ERROR_VERIFY, "how it wrote insight row 2");
  PQclear (result);
}

static void
test_verify_command_status (void)
{
  g_autoptr(GPtrArray) rows = sample_rows ();
  const char * const statuses[] = { "INSERT 0 2", "INSERT 0 4", "SELECT 3", "UPDATE 3", "", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      PGresult *result = crafted_result (rows, 3, FALSE);

      assert_verify_fails (result, statuses[i], rows, INSTASYNC_ERROR_VERIFY,
                           "for 3 insight rows confirmed");
      PQclear (result);
    }
}

static void
test_verify_real_statement (void)
{
  g_autoptr(InstaSyncStore) store = fresh_store ();
  g_autoptr(GPtrArray) rows = sample_rows ();
  InstaSyncWriteCounts counts;
  g_autofree char *count = NULL;

  /* The real statement's command status is what step 3 expects. */
  upsert_ok (store, rows, &counts);
  assert_counts (&counts, 3, 0, 0, 0);

  /* And the transaction was committed, not left open. */
  g_assert_cmpint (PQtransactionStatus (instasync_store_get_connection (store)), ==, PQTRANS_IDLE);
  count = query_text (store, "SELECT count (*) FROM instagram_insights");
  g_assert_cmpstr (count, ==, "3");
}

/* A database that goes away */

static void
test_connection_lost (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncTestPg) pg = instasync_test_pg_start (&error);
  g_autoptr(InstaSyncStore) store = NULL;
  g_autoptr(GPtrArray) rows = sample_rows ();
  g_autoptr(GPtrArray) more = new_rows ();
  g_autoptr(GPtrArray) empty = new_rows ();
  g_autoptr(GPtrArray) stored = NULL;
  InstaSyncEmbeddedDb *db;
  InstaSyncWriteCounts counts;

  g_assert_no_error (error);
  db = instasync_test_pg_get_embedded_db (pg);
  store = instasync_test_pg_connect_migrated (pg, &error);
  g_assert_no_error (error);

  upsert_ok (store, rows, &counts);
  assert_counts (&counts, 3, 0, 0, 0);

  instasync_embedded_db_stop_force (db, &error);
  g_assert_no_error (error);

  g_ptr_array_add (more, make_row ("17841400000000001", "reach", 7, 70));
  for (guint attempt = 0; attempt < 2; attempt++)
    {
      g_assert_false (instasync_store_upsert_insights (store, more, &counts, &error));
      g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE);
      g_assert_nonnull (strstr (error->message, "connection to the database was lost"));
      assert_counts (&counts, 0, 0, 0, 1);
      g_clear_error (&error);
    }

  g_assert_cmpint (instasync_store_count_insights (store, NULL, &error), ==, -1);
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE);
  g_clear_error (&error);
  g_assert_null (instasync_store_list_accounts (store, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE);
  g_clear_error (&error);

  /* Nothing to write needs no database. */
  upsert_ok (store, empty, &counts);
  assert_counts (&counts, 0, 0, 0, 0);

  /* The same store picks the restarted server up again. */
  instasync_embedded_db_start (db, &error);
  g_assert_no_error (error);
  g_assert_cmpint (instasync_store_count_insights (store, NULL, &error), ==, 3);
  g_assert_no_error (error);

  stored = instasync_store_query_insights (store, "17841400000000001", "reach", 0, G_MAXINT32, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 2);
  assert_rows_equal (g_ptr_array_index (stored, 0), g_ptr_array_index (rows, 0));
  assert_rows_equal (g_ptr_array_index (stored, 1), g_ptr_array_index (rows, 1));

  upsert_ok (store, more, &counts);
  assert_counts (&counts, 1, 0, 0, 0);
}

static void
test_connection_reset_mid_session (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncTestPg) pg = instasync_test_pg_start (&error);
  g_autoptr(InstaSyncStore) store = NULL;
  g_autoptr(GPtrArray) rows = sample_rows ();
  InstaSyncEmbeddedDb *db;
  InstaSyncWriteCounts counts;

  g_assert_no_error (error);
  db = instasync_test_pg_get_embedded_db (pg);
  store = instasync_test_pg_connect_migrated (pg, &error);
  g_assert_no_error (error);

  /* A restart between two calls: the connection looks fine until used, and
   * the upsert reconnects once instead of failing the batch. */
  instasync_embedded_db_stop_force (db, &error);
  g_assert_no_error (error);
  instasync_embedded_db_start (db, &error);
  g_assert_no_error (error);

  upsert_ok (store, rows, &counts);
  assert_counts (&counts, 3, 0, 0, 0);
}

/* Accounts */

#define TOKEN "IGQWRsecret-token-value-123"
#define KEY "correct horse battery staple"

static InstaSyncAccount *
find_account (GPtrArray  *accounts,
              const char *ig_user_id)
{
  for (guint i = 0; i < accounts->len; i++)
    if (g_str_equal (instasync_account_get_ig_user_id (g_ptr_array_index (accounts, i)), ig_user_id))
      return g_ptr_array_index (accounts, i);
  return NULL;
}

static void
test_accounts (void)
{
  g_autoptr(InstaSyncStore) store = fresh_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GPtrArray) rows = sample_rows ();
  g_autofree char *token = NULL;
  g_autofree char *in_clear = NULL;
  g_autofree char *tokens_left = NULL;
  InstaSyncAccount *account;
  InstaSyncWriteCounts counts;

  g_assert_true (instasync_store_add_account (store, "17841400000000001", "credify", TOKEN, KEY, &error));
  g_assert_no_error (error);
  g_assert_true (instasync_store_add_account (store, "17841400000000002", NULL, TOKEN "-2", KEY, &error));
  g_assert_no_error (error);

  accounts = instasync_store_list_accounts (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 2);
  account = find_account (accounts, "17841400000000001");
  g_assert_nonnull (account);
  g_assert_cmpstr (instasync_account_get_username (account), ==, "credify");
  g_assert_cmpstr (instasync_account_get_status (account), ==, INSTASYNC_ACCOUNT_STATUS_ACTIVE);
  g_assert_cmpstr (instasync_account_get_source (account), ==, "database");
  g_assert_cmpint (instasync_account_get_token_expires_at (account), ==, 0);
  g_assert_cmpint (instasync_account_get_last_synced_at (account), ==, 0);

  /* Stored encrypted: the token's bytes are nowhere in the table. */
  in_clear = query_text (store, "SELECT count (*) FROM user_tokens WHERE "
                                "position (convert_to ('" TOKEN "', 'UTF8') IN token_sealed) > 0");
  g_assert_cmpstr (in_clear, ==, "0");

  token = instasync_store_get_token (store, "17841400000000001", KEY, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, TOKEN);
  g_clear_pointer (&token, g_free);

  /* The wrong key says so, and shows neither token nor key. */
  token = instasync_store_get_token (store, "17841400000000001", "another key", &error);
  g_assert_null (token);
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY);
  g_assert_nonnull (strstr (error->message, "does not match"));
  g_assert_null (strstr (error->message, TOKEN));
  g_assert_null (strstr (error->message, "another key"));
  g_clear_error (&error);

  g_assert_null (instasync_store_get_token (store, "17841400000000001", "", &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY);
  g_clear_error (&error);

  g_assert_null (instasync_store_get_token (store, "nobody", KEY, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (instasync_store_add_account (store, "17841400000000003", "x", TOKEN, "", &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY);
  g_clear_error (&error);

  /* Status and expiry. */
  g_assert_true (instasync_store_set_account_status (store, "17841400000000001",
                                                     INSTASYNC_ACCOUNT_STATUS_NEEDS_RECONNECT, &error));
  g_assert_no_error (error);
  g_assert_true (instasync_store_set_token_expires_at (store, "17841400000000001", 1767225600, &error));
  g_assert_no_error (error);
  g_assert_false (instasync_store_set_account_status (store, "17841400000000001", "sleeping", &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (instasync_store_set_account_status (store, "nobody", "active", &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (instasync_store_set_token_expires_at (store, "nobody", 1, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_clear_pointer (&accounts, g_ptr_array_unref);
  accounts = instasync_store_list_accounts (store, &error);
  account = find_account (accounts, "17841400000000001");
  g_assert_cmpstr (instasync_account_get_status (account), ==, INSTASYNC_ACCOUNT_STATUS_NEEDS_RECONNECT);
  g_assert_cmpint (instasync_account_get_token_expires_at (account), ==, 1767225600);

  /* Reconnecting replaces the token and makes the account active again. */
  g_assert_true (instasync_store_add_account (store, "17841400000000001", NULL, TOKEN "-new", KEY, &error));
  g_assert_no_error (error);
  token = instasync_store_get_token (store, "17841400000000001", KEY, &error);
  g_assert_cmpstr (token, ==, TOKEN "-new");
  g_clear_pointer (&accounts, g_ptr_array_unref);
  accounts = instasync_store_list_accounts (store, &error);
  account = find_account (accounts, "17841400000000001");
  g_assert_cmpstr (instasync_account_get_username (account), ==, "credify");
  g_assert_cmpstr (instasync_account_get_status (account), ==, INSTASYNC_ACCOUNT_STATUS_ACTIVE);

  /* Removing takes the token along but leaves the insights. */
  upsert_ok (store, rows, &counts);
  g_assert_true (instasync_store_remove_account (store, "17841400000000001", FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (instasync_store_remove_account (store, "17841400000000001", FALSE, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_clear_pointer (&accounts, g_ptr_array_unref);
  accounts = instasync_store_list_accounts (store, &error);
  g_assert_cmpuint (accounts->len, ==, 1);
  g_assert_null (find_account (accounts, "17841400000000001"));
  tokens_left = query_text (store, "SELECT count (*) FROM user_tokens");
  g_assert_cmpstr (tokens_left, ==, "1");
  g_assert_cmpint (instasync_store_count_insights (store, "17841400000000001", NULL), ==, 3);

  g_assert_null (instasync_store_get_token (store, "17841400000000001", KEY, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND);
}

/* Several accounts with one token and its expiry, in one transaction:
 * a failure on the second account stores nothing, not even the first, and
 * leaves an account connected earlier as it was. */
static void
test_add_accounts_atomic (void)
{
  g_autoptr(InstaSyncStore) store = fresh_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autofree char *count = NULL;
  g_autofree char *token = NULL;
  g_autofree char *old_expiry = NULL;
  g_autofree char *status = NULL;
  gint64 expires_at = 0, data_access = 0;
  const InstaSyncNewAccount both[] = {
    { "17841400000000011", "first" },
    { "17841400000000012", "second" },
  };
  const InstaSyncNewAccount reconnect[] = {
    { "17841400000000010", NULL },
    { "17841400000000012", "second" },
  };
  const InstaSyncNewAccount nameless[] = {
    { "17841400000000011", "first" },
    { "", "nobody" },
  };

  /* Connected earlier, with an expiry of its own and a status to keep. */
  g_assert_true (instasync_store_add_account (store, "17841400000000010", "earlier", TOKEN "-old",
                                              KEY, &error));
  g_assert_no_error (error);
  g_assert_true (instasync_store_set_token_expiry (store, "17841400000000010", 1767225600,
                                                   1770000000, &error));
  g_assert_no_error (error);
  g_assert_true (instasync_store_set_account_status (store, "17841400000000010",
                                                     INSTASYNC_ACCOUNT_STATUS_EXPIRING, &error));
  g_assert_no_error (error);

  exec_ok (store,
           "CREATE FUNCTION refuse_second () RETURNS trigger LANGUAGE plpgsql AS "
           "$$ BEGIN RAISE EXCEPTION 'no room for account %', NEW.ig_user_id; END $$;"
           "CREATE TRIGGER refuse_second BEFORE INSERT ON user_tokens FOR EACH ROW "
           "WHEN (NEW.ig_user_id = '17841400000000012') EXECUTE FUNCTION refuse_second ()");

  g_assert_false (instasync_store_add_accounts (store, both, G_N_ELEMENTS (both), TOKEN,
                                                1780000000, 1790000000, KEY, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE);
  g_assert_nonnull (strstr (error->message, "no room for account 17841400000000012"));
  g_assert_null (strstr (error->message, TOKEN));
  g_assert_null (strstr (error->message, KEY));
  g_clear_error (&error);
  count = query_text (store, "SELECT count (*) FROM instagram_accounts");
  g_assert_cmpstr (count, ==, "1");
  g_clear_pointer (&count, g_free);
  count = query_text (store, "SELECT count (*) FROM user_tokens");
  g_assert_cmpstr (count, ==, "1");
  g_clear_pointer (&count, g_free);

  /* A reconnect of the earlier account that fails on the next one leaves
   * the earlier one's token, expiry and status alone. */
  g_assert_false (instasync_store_add_accounts (store, reconnect, G_N_ELEMENTS (reconnect), TOKEN,
                                                1780000000, 1790000000, KEY, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE);
  g_clear_error (&error);
  token = instasync_store_get_token (store, "17841400000000010", KEY, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, TOKEN "-old");
  g_clear_pointer (&token, g_free);
  g_assert_true (instasync_store_get_token_expiry (store, "17841400000000010", &expires_at,
                                                   &data_access, &error));
  g_assert_cmpint (expires_at, ==, 1767225600);
  g_assert_cmpint (data_access, ==, 1770000000);
  status = query_text (store, "SELECT status FROM instagram_accounts "
                              "WHERE ig_user_id = '17841400000000010'");
  g_assert_cmpstr (status, ==, INSTASYNC_ACCOUNT_STATUS_EXPIRING);
  g_clear_pointer (&status, g_free);

  exec_ok (store, "DROP TRIGGER refuse_second ON user_tokens; DROP FUNCTION refuse_second ()");

  /* A bad entry anywhere: refused before anything is sent. */
  g_assert_false (instasync_store_add_accounts (store, nameless, G_N_ELEMENTS (nameless), TOKEN,
                                                1780000000, 1790000000, KEY, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  count = query_text (store, "SELECT count (*) FROM instagram_accounts");
  g_assert_cmpstr (count, ==, "1");
  g_clear_pointer (&count, g_free);

  /* Without the trigger both go in, each with the token and its expiry. */
  g_assert_true (instasync_store_add_accounts (store, both, G_N_ELEMENTS (both), TOKEN,
                                               1780000000, 1790000000, KEY, &error));
  g_assert_no_error (error);
  accounts = instasync_store_list_accounts (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (both); i++)
    {
      InstaSyncAccount *account = find_account (accounts, both[i].ig_user_id);

      g_assert_nonnull (account);
      g_assert_cmpstr (instasync_account_get_username (account), ==, both[i].username);
      g_assert_cmpint (instasync_account_get_token_expires_at (account), ==, 1780000000);
      g_assert_cmpint (instasync_account_get_data_access_expires_at (account), ==, 1790000000);
      token = instasync_store_get_token (store, both[i].ig_user_id, KEY, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (token, ==, TOKEN);
      g_clear_pointer (&token, g_free);
    }

  /* "Never" and "unknown" go in as such. */
  g_assert_true (instasync_store_add_accounts (store, reconnect, 1, TOKEN "-never", 0,
                                               INSTASYNC_TOKEN_EXPIRY_UNKNOWN, KEY, &error));
  g_assert_no_error (error);
  old_expiry = query_text (store, "SELECT expires_at::text || ' ' || "
                                  "coalesce (data_access_expires_at::text, 'unknown') "
                                  "FROM user_tokens WHERE ig_user_id = '17841400000000010'");
  g_assert_cmpstr (old_expiry, ==, "infinity unknown");
  status = query_text (store, "SELECT status FROM instagram_accounts "
                              "WHERE ig_user_id = '17841400000000010'");
  g_assert_cmpstr (status, ==, INSTASYNC_ACCOUNT_STATUS_ACTIVE);
}

/* The Page an account is linked through is kept with it, and a reconnect
 * that does not know it keeps the stored one. */
static void
test_add_accounts_page (void)
{
  g_autoptr(InstaSyncStore) store = fresh_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GPtrArray) again = NULL;
  const InstaSyncNewAccount linked[] = {
    { "17841400000000021", "linked", "200000000000021" },
    { "17841400000000022", "unlinked", NULL },
  };
  const InstaSyncNewAccount reconnect[] = {
    { "17841400000000021", NULL, NULL },
  };

  g_assert_true (instasync_store_add_accounts (store, linked, G_N_ELEMENTS (linked), TOKEN,
                                               INSTASYNC_TOKEN_EXPIRY_UNKNOWN,
                                               INSTASYNC_TOKEN_EXPIRY_UNKNOWN, KEY, &error));
  g_assert_no_error (error);
  accounts = instasync_store_list_accounts (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (instasync_account_get_page_id (find_account (accounts, "17841400000000021")),
                   ==, "200000000000021");
  g_assert_null (instasync_account_get_page_id (find_account (accounts, "17841400000000022")));

  g_assert_true (instasync_store_add_accounts (store, reconnect, 1, TOKEN,
                                               INSTASYNC_TOKEN_EXPIRY_UNKNOWN,
                                               INSTASYNC_TOKEN_EXPIRY_UNKNOWN, KEY, &error));
  g_assert_no_error (error);
  again = instasync_store_list_accounts (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (instasync_account_get_page_id (find_account (again, "17841400000000021")),
                   ==, "200000000000021");
}

/* Sync logs */

static void
test_sync_logs (void)
{
  g_autoptr(InstaSyncStore) store = fresh_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) logs = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *column = NULL;
  g_autofree char *expected = NULL;
  InstaSyncSyncLogEntry first = { 0, };
  InstaSyncSyncLogEntry second = { 0, };
  InstaSyncSyncLogEntry orphan = { 0, };
  const InstaSyncSyncLogEntry *got;

  g_assert_true (instasync_store_add_account (store, "acct", "acct", TOKEN, KEY, &error));
  g_assert_no_error (error);

  first.ig_user_id = (char *) "acct";
  first.status = (char *) "partial";
  first.started_at = G_GINT64_CONSTANT (1719900000123456);
  first.finished_at = G_GINT64_CONSTANT (1719900002623457);
  first.window_since = (char *) "2024-06-01";
  first.window_until = (char *) "2024-06-30";
  first.metrics_requested = 5;
  first.metrics_succeeded = 4;
  first.metrics_failed = 1;
  first.rows_inserted = 100;
  first.rows_updated = 3;
  first.rows_unchanged = 20;
  first.rows_failed = 0;
  first.api_calls = 6;
  first.http_requests = 2;
  first.errors_json = (char *) "[{\"metric\": \"views\", \"code\": 100}]";
  first.summary = (char *) "4 of 5 metrics, 123 rows";
  g_assert_true (instasync_store_record_sync_log (store, &first, &error));
  g_assert_no_error (error);
  g_assert_cmpint (first.id, >, 0);

  second = first;
  second.status = (char *) "succeeded";
  second.started_at += G_TIME_SPAN_HOUR;
  second.finished_at += G_TIME_SPAN_HOUR;
  second.errors_json = NULL;
  second.summary = (char *) "all good";
  g_assert_true (instasync_store_record_sync_log (store, &second, &error));
  g_assert_no_error (error);
  /* Ids are random, not a counter every user could read others' runs from. */
  g_assert_cmpint (second.id, >, 0);
  g_assert_cmpint (second.id, !=, first.id);

  /* A log for an account that is not (or no longer) connected is kept. */
  orphan.ig_user_id = (char *) "gone";
  orphan.status = (char *) "failed";
  orphan.started_at = first.started_at - 1;
  g_assert_true (instasync_store_record_sync_log (store, &orphan, &error));
  g_assert_no_error (error);

  orphan.status = (char *) "exploded";
  g_assert_false (instasync_store_record_sync_log (store, &orphan, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  logs = instasync_store_list_sync_logs (store, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (logs->len, ==, 3);
  got = g_ptr_array_index (logs, 0);
  g_assert_cmpint (got->id, ==, second.id);
  g_assert_cmpstr (got->errors_json, ==, "[]");
  got = g_ptr_array_index (logs, 1);
  g_assert_cmpint (got->id, ==, first.id);
  g_assert_cmpstr (got->ig_user_id, ==, "acct");
  g_assert_cmpstr (got->status, ==, "partial");
  g_assert_cmpint (got->started_at, ==, first.started_at);
  g_assert_cmpint (got->finished_at, ==, first.finished_at);
  g_assert_cmpstr (got->window_since, ==, "2024-06-01");
  g_assert_cmpstr (got->window_until, ==, "2024-06-30");
  g_assert_cmpuint (got->metrics_requested, ==, 5);
  g_assert_cmpuint (got->metrics_succeeded, ==, 4);
  g_assert_cmpuint (got->metrics_failed, ==, 1);
  g_assert_cmpuint (got->rows_inserted, ==, 100);
  g_assert_cmpuint (got->rows_updated, ==, 3);
  g_assert_cmpuint (got->rows_unchanged, ==, 20);
  g_assert_cmpuint (got->rows_failed, ==, 0);
  g_assert_cmpuint (got->api_calls, ==, 6);
  g_assert_cmpuint (got->http_requests, ==, 2);
  g_assert_cmpstr (got->errors_json, ==, "[{\"code\": 100, \"metric\": \"views\"}]");
  g_assert_cmpstr (got->summary, ==, "4 of 5 metrics, 123 rows");
  got = g_ptr_array_index (logs, 2);
  g_assert_cmpstr (got->ig_user_id, ==, "gone");
  g_assert_cmpint (got->finished_at, ==, 0);
  g_assert_null (got->window_since);

  duration = query_text (store, "SELECT duration_ms FROM instagram_sync_logs "
                                "ORDER BY started_at LIMIT 1 OFFSET 1");
  g_assert_cmpstr (duration, ==, "2500");

  g_clear_pointer (&logs, g_ptr_array_unref);
  logs = instasync_store_list_sync_logs (store, "acct", 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (logs->len, ==, 1);
  g_assert_cmpint (((InstaSyncSyncLogEntry *) g_ptr_array_index (logs, 0))->id, ==, second.id);

  g_clear_pointer (&logs, g_ptr_array_unref);
  logs = instasync_store_list_sync_logs (store, "nobody", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (logs->len, ==, 0);

  /* The account remembers its last finished sync. */
  accounts = instasync_store_list_accounts (store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (instasync_account_get_last_synced_at (find_account (accounts, "acct")), ==,
                   second.finished_at / G_USEC_PER_SEC);

  /* Kept in the column too, not only derived from the logs. */
  column = query_text (store, "SELECT (extract (epoch FROM last_synced_at) * 1000000)::bigint "
                              "FROM instagram_accounts WHERE ig_user_id = 'acct'");
  expected = g_strdup_printf ("%" G_GINT64_FORMAT, second.finished_at);
  g_assert_cmpstr (column, ==, expected);
}

/* CSV export */

/* RFC 4180: fields separated by commas, records by line ends, quoted fields
 * may hold anything with quotes doubled. */
static GPtrArray *
parse_csv (const char *text)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *record = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  gboolean quoted = FALSE;
  const char *p = text;

  while (*p != '\0')
    {
      if (quoted)
        {
          if (*p == '"' && p[1] == '"')
            {
              g_string_append_c (field, '"');
              p += 2;
            }
          else if (*p == '"')
            {
              quoted = FALSE;
              p++;
            }
          else
            g_string_append_c (field, *p++);
          continue;
        }

      if (*p == '"')
        {
          quoted = TRUE;
          p++;
        }
      else if (*p == ',')
        {
          g_ptr_array_add (record, g_string_free (field, FALSE));
          field = g_string_new (NULL);
          p++;
        }
      else if (*p == '\n' || (*p == '\r' && p[1] == '\n'))
        {
          g_ptr_array_add (record, g_string_free (field, FALSE));
          field = g_string_new (NULL);
          g_ptr_array_add (records, record);
          record = g_ptr_array_new_with_free_func (g_free);
          p += *p == '\r' ? 2 : 1;
        }
      else
        g_string_append_c (field, *p++);
    }

  g_assert_false (quoted);
  g_assert_cmpuint (field->len, ==, 0);
  g_assert_cmpuint (record->len, ==, 0);
  g_string_free (field, TRUE);
  g_ptr_array_unref (record);

  return records;
}

static GPtrArray *
export (InstaSyncStore *store,
        const char     *ig_user_id,
        gint64          from,
        gint64          to)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_true (instasync_store_export_csv (store, ig_user_id, from, to, out, &error));
  g_assert_no_error (error);
  g_output_stream_write_all (out, "", 1, NULL, NULL, NULL);
  g_output_stream_close (out, NULL, NULL);
  text = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
  g_assert_true (g_utf8_validate (text, -1, NULL));

  return parse_csv (text);
}

static const char *
field (GPtrArray *records,
       guint      record,
       guint      column)
{
  return g_ptr_array_index ((GPtrArray *) g_ptr_array_index (records, record), column);
}

static void
test_export_csv (void)
{
  g_autoptr(InstaSyncStore) store = fresh_store ();
  g_autoptr(GPtrArray) rows = sample_rows ();
  g_autoptr(GPtrArray) records = NULL;
  InstaSyncInsightRow *hostile;
  InstaSyncWriteCounts counts;
  const char * const header[] = {
    "ig_user_id", "metric", "period", "metric_type", "window_start", "end_time", "value",
    "breakdown", "dimension_value", "metadata", "fetched_at",
  };
  const char *hostile_text = "a \"quoted\", multi\nline\r\nvalue, ☃ {x,y} \\ 'z'";

  hostile = make_row ("zz-other", "reach", 0, 5);
  instasync_insight_row_set_breakdown (hostile, "media_product_type", hostile_text);
  g_ptr_array_add (rows, hostile);
  upsert_ok (store, rows, &counts);

  records = export (store, NULL, 0, 0);
  g_assert_cmpuint (records->len, ==, 1 + rows->len);
  for (guint i = 0; i < records->len; i++)
    g_assert_cmpuint (((GPtrArray *) g_ptr_array_index (records, i))->len, ==, G_N_ELEMENTS (header));
  for (guint i = 0; i < G_N_ELEMENTS (header); i++)
    g_assert_cmpstr (field (records, 0, i), ==, header[i]);

  /* Ordered by account, metric, end_time. */
  g_assert_cmpstr (field (records, 1, 0), ==, "17841400000000001");
  g_assert_cmpstr (field (records, 1, 1), ==, "reach");
  g_assert_cmpstr (field (records, 1, 2), ==, "day");
  g_assert_cmpstr (field (records, 1, 3), ==, "time_series");
  g_assert_cmpstr (field (records, 1, 4), ==, "2024-07-01T07:00:00Z");
  g_assert_cmpstr (field (records, 1, 5), ==, "2024-07-02T07:00:00Z");
  g_assert_cmpstr (field (records, 1, 6), ==, "120");
  g_assert_cmpstr (field (records, 1, 7), ==, "");
  g_assert_cmpstr (field (records, 1, 9), ==, "{}");
  g_assert_true (g_str_has_suffix (field (records, 1, 10), "Z"));
  g_assert_cmpuint (strlen (field (records, 1, 10)), ==, strlen ("2024-07-01T07:00:00Z"));
  g_assert_cmpstr (field (records, 3, 1), ==, "views");
  g_assert_cmpstr (field (records, 3, 8), ==, "REELS");
  g_assert_cmpstr (field (records, 3, 9), ==, "{\"source\": \"test\"}");
  g_assert_cmpstr (field (records, 4, 0), ==, "zz-other");
  g_assert_cmpstr (field (records, 4, 8), ==, hostile_text);

  /* Filters: one account; end_time in [from, to). */
  g_clear_pointer (&records, g_ptr_array_unref);
  records = export (store, "zz-other", 0, 0);
  g_assert_cmpuint (records->len, ==, 2);
  g_assert_cmpstr (field (records, 1, 8), ==, hostile_text);

  g_clear_pointer (&records, g_ptr_array_unref);
  records = export (store, "17841400000000001", DAY_START + 2 * DAY, 0);
  g_assert_cmpuint (records->len, ==, 2);
  g_assert_cmpstr (field (records, 1, 6), ==, "130");

  g_clear_pointer (&records, g_ptr_array_unref);
  records = export (store, "17841400000000001", 0, DAY_START + 2 * DAY);
  g_assert_cmpuint (records->len, ==, 3);

  g_clear_pointer (&records, g_ptr_array_unref);
  records = export (store, "'; DROP TABLE instagram_insights; --", 0, 0);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpint (count_all (store), ==, 4);
}

/* Token key */

static void
test_token_key (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("instasync-key-XXXXXX", &error);
  g_autofree char *key_dir = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *key = NULL;
  g_autofree char *again = NULL;
  struct stat st;

  g_assert_no_error (error);
  key_dir = g_build_filename (dir, "instasync", NULL);
  key_path = g_build_filename (key_dir, "token.key", NULL);

  g_setenv ("INSTASYNC_TOKEN_KEY", "  from-the-environment\n", TRUE);
  key = instasync_token_key_load (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "from-the-environment");
  g_clear_pointer (&key, g_free);

  g_setenv ("INSTASYNC_TOKEN_KEY", "", TRUE);
  g_assert_null (instasync_token_key_load (&error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY);
  g_clear_error (&error);
  g_unsetenv ("INSTASYNC_TOKEN_KEY");

  /* A missing key file is created: 32 random bytes in hex, owner only. */
  g_setenv ("INSTASYNC_TOKEN_KEY_FILE", key_path, TRUE);
  key = instasync_token_key_load (&error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (key), ==, 64);
  for (const char *p = key; *p != '\0'; p++)
    g_assert_true (g_ascii_isxdigit (*p));
  g_assert_cmpint (g_stat (key_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (key_dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  again = instasync_token_key_load (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, key);

  g_file_set_contents (key_path, " \n", -1, &error);
  g_assert_no_error (error);
  g_assert_null (instasync_token_key_load (&error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY);
  g_clear_error (&error);

  g_unlink (key_path);
  g_mkdir (key_path, 0700);
  g_assert_null (instasync_token_key_load (&error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY);
  g_clear_error (&error);

  g_unsetenv ("INSTASYNC_TOKEN_KEY_FILE");
  g_rmdir (key_path);
  g_rmdir (key_dir);
  g_rmdir (dir);
}

static gpointer
load_key_thread (gpointer data)
{
  return instasync_token_key_load (NULL);
}

/* Workers starting together on a new machine all end up with one key. */
static void
test_token_key_race (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("instasync-key-race-XXXXXX", &error);
  g_autofree char *key_path = NULL;
  GThread *threads[8];
  char *keys[G_N_ELEMENTS (threads)];
  g_autoptr(GDir) listing = NULL;
  guint files = 0;

  g_assert_no_error (error);
  key_path = g_build_filename (dir, "token.key", NULL);
  g_unsetenv ("INSTASYNC_TOKEN_KEY");
  g_setenv ("INSTASYNC_TOKEN_KEY_FILE", key_path, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("key", load_key_thread, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    keys[i] = g_thread_join (threads[i]);

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_assert_nonnull (keys[i]);
      g_assert_cmpstr (keys[i], ==, keys[0]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_free (keys[i]);

  /* No temporary file is left behind. */
  listing = g_dir_open (dir, 0, NULL);
  while (g_dir_read_name (listing) != NULL)
    files++;
  g_assert_cmpuint (files, ==, 1);

  g_unsetenv ("INSTASYNC_TOKEN_KEY_FILE");
  g_unlink (key_path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  shared_pg = instasync_test_pg_start (&error);
  g_assert_no_error (error);

  g_test_add_func ("/store/upsert/insert", test_upsert_insert);
  g_test_add_func ("/store/upsert/unchanged", test_upsert_unchanged);
  g_test_add_func ("/store/upsert/updated", test_upsert_updated);
  g_test_add_func ("/store/upsert/mixed", test_upsert_mixed);
  g_test_add_func ("/store/upsert/empty", test_upsert_empty);
  g_test_add_func ("/store/upsert/hostile-strings", test_upsert_hostile_strings);
  g_test_add_func ("/store/upsert/duplicate-keys", test_upsert_duplicate_keys);
  g_test_add_func ("/store/upsert/database-error", test_upsert_database_error);
  g_test_add_func ("/store/upsert/unwritable-rows", test_upsert_unwritable_rows);
  g_test_add_func ("/store/upsert/concurrent-writer", test_upsert_concurrent_writer);
  g_test_add_func ("/store/verify/accepts-matching-result", test_verify_accepts_matching_result);
  g_test_add_func ("/store/verify/error-present", test_verify_error_present);
  g_test_add_func ("/store/verify/too-many-answers", test_verify_too_many_answers);
  g_test_add_func ("/store/verify/wrong-key", test_verify_wrong_key);
  g_test_add_func ("/store/verify/unreadable-key", test_verify_unreadable_key);
  g_test_add_func ("/store/verify/wrong-value", test_verify_wrong_value);
  g_test_add_func ("/store/verify/inserted-flag", test_verify_inserted_flag);
  g_test_add_func ("/store/verify/command-status", test_verify_command_status);
  g_test_add_func ("/store/verify/real-statement", test_verify_real_statement);
  g_test_add_func ("/store/connection/lost", test_connection_lost);
  g_test_add_func ("/store/connection/reset-mid-session", test_connection_reset_mid_session);
  g_test_add_func ("/store/accounts", test_accounts);
  g_test_add_func ("/store/accounts/add-atomic", test_add_accounts_atomic);
  g_test_add_func ("/store/accounts/add-page", test_add_accounts_page);
  g_test_add_func ("/store/sync-logs", test_sync_logs);
  g_test_add_func ("/store/export-csv", test_export_csv);
  g_test_add_func ("/store/token-key", test_token_key);
  g_test_add_func ("/store/token-key-race", test_token_key_race);

  status = g_test_run ();

  g_clear_pointer (&shared_pg, instasync_test_pg_free);
  return status;
}
