/* instasync-bench.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The benchmark: the naive approach of the original integration (the
 * baseline) and InstaSync, side by side, against the Graph API simulator and
 * a throwaway PostgreSQL cluster.
 *
 * Each (workload, mode) runs in a child process, the benchmark re-executed
 * with --child WORKLOAD MODE, so that the peak RSS of one mode is its own and
 * no mode inherits the other's simulator usage windows or table rows. The
 * child prints its figures as one JSON line; the parent prints the tables. */

#define G_LOG_DOMAIN "instasync-bench"

#include "config.h"

#include <json-glib/json-glib.h>
#include <locale.h>
#include <string.h>

#include "instasync-account.h"
#include "instasync-bench.h"
#include "instasync-fetch-result.h"
#include "instasync-insight-row.h"
#include "instasync-request-planner.h"
#include "instasync-store.h"
#include "instasync-sync-engine.h"
#include "instasync-sync-pool.h"

/* Child: the sync workloads */

static gboolean
child_sync_instasync (BenchWorld        *world,
                      const BenchConfig *config,
                      gboolean           backfill,
                      BenchFigures      *figures,
                      GError           **error)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify)instasync_sync_job_free);
  g_autoptr(InstaSyncSyncPool) pool = NULL;
  g_autoptr(GPtrArray) results = NULL;
  InstaSyncSyncOptions options;
  gint64 started;

  for (guint i = 0; i < world->accounts->len; i++)
    {
      const BenchAccount *bench_account = g_ptr_array_index (world->accounts, i);
      g_autoptr(InstaSyncAccount) account = instasync_account_new (bench_account->ig_user_id);

      instasync_account_set_username (account, bench_account->username);
      /* A daily run is of accounts synced before, whose days are known; a
       * backfill is of new accounts, which learn them first. */
      if (!backfill)
        instasync_account_set_day_zone (account, "America/Los_Angeles");
      g_ptr_array_add (jobs, instasync_sync_job_new (account, bench_account->token));
    }

  /* The API's reading of a window, learnt once and shared through the
   * database: a daily run finds it there. */
  if (!backfill)
    instasync_test_pg_assume_default_days (instasync_test_pg_get_conninfo (world->pg),
                                           world->base_url);

  /* The options a scheduled run would use: the default incremental window
   * (invalid dates, 3 days of lookback) or the explicit backfill window. */
  instasync_sync_options_init (&options);
  options.lookback_days = INSTASYNC_DEFAULT_LOOKBACK_DAYS;
  if (backfill)
    bench_backfill_window (&options.since, &options.until);

  pool = instasync_sync_pool_new (world->base_url, "v22.0",
                                  instasync_test_pg_get_conninfo (world->pg),
                                  config->connections);

  started = g_get_monotonic_time ();
  results = instasync_sync_pool_run (pool, jobs, &options, NULL);
  figures->wall_seconds = (double)(g_get_monotonic_time () - started) / G_USEC_PER_SEC;

  for (guint i = 0; i < results->len; i++)
    {
      InstaSyncFetchResult *result = g_ptr_array_index (results, i);

      switch (instasync_fetch_result_get_status (result))
        {
        case INSTASYNC_FETCH_STATUS_SUCCEEDED:
          figures->accounts_complete++;
          break;
        case INSTASYNC_FETCH_STATUS_PAUSED:
          figures->accounts_paused++;
          break;
        case INSTASYNC_FETCH_STATUS_RUNNING:
        case INSTASYNC_FETCH_STATUS_PARTIAL:
        case INSTASYNC_FETCH_STATUS_FAILED:
        default:
          {
            g_autofree char *details = instasync_fetch_result_to_details (result);

            figures->accounts_failed++;
            /* One example is enough to tell what went wrong. */
            if (figures->accounts_failed == 1)
              g_printerr ("bench: first account not complete:\n%s\n", details);
          }
          break;
        }
    }

  return TRUE;
}

static gboolean
child_sync (const BenchConfig *config,
            gboolean           backfill,
            gboolean           baseline,
            BenchFigures      *figures,
            GError           **error)
{
  g_autoptr(BenchWorld) world = NULL;
  GDate since, until;
  gint64 rows;

  world = bench_world_new (backfill ? config->backfill_accounts : config->accounts,
                           config, backfill, error);
  if (world == NULL)
    return FALSE;

  if (backfill)
    bench_backfill_window (&since, &until);
  else
    bench_incremental_window (&since, &until);

  if (baseline)
    {
      if (!bench_baseline_sync (world, &since, &until, figures, error))
        return FALSE;
    }
  else
    {
      if (!child_sync_instasync (world, config, backfill, figures, error))
        return FALSE;
    }

  figures->api_calls = graph_sim_get_api_call_count (world->sim);
  figures->http_requests = graph_sim_get_request_count (world->sim);
  figures->throttle_errors = graph_sim_get_throttle_error_count (world->sim);

  rows = instasync_store_count_insights (world->store, NULL, error);
  if (rows < 0)
    return FALSE;
  figures->rows = rows;

  return TRUE;
}

/* Child: the write path alone */

/* @n rows as a sync writes them: 4 metrics × 250 Pacific days per account,
 * with the metadata the parser keeps. */
static GPtrArray *
generate_rows (guint n)
{
  enum { DAYS = 250 };
  GPtrArray *rows = g_ptr_array_new_full (n, (GDestroyNotify)instasync_insight_row_free);
  gint64 day_starts[DAYS + 1];
  char *end_times[DAYS];
  GDate day;

  bench_pacific_today (&day);
  g_date_subtract_days (&day, DAYS + 30);
  for (guint d = 0; d <= DAYS; d++)
    {
      day_starts[d] = bench_pacific_day_start (&day);
      g_date_add_days (&day, 1);
    }
  for (guint d = 0; d < DAYS; d++)
    {
      g_autoptr(GDateTime) end = g_date_time_new_from_unix_utc (day_starts[d + 1]);

      end_times[d] = g_date_time_format (end, "%Y-%m-%dT%H:%M:%S+0000");
    }

  for (guint i = 0; i < n; i++)
    {
      guint account = i / (BENCH_N_METRICS * DAYS);
      guint metric = (i / DAYS) % BENCH_N_METRICS;
      guint d = i % DAYS;
      const char *name = bench_metrics[metric];
      gboolean time_series = g_str_equal (name, "reach") || g_str_equal (name, "follower_count");
      g_autofree char *ig_user_id = g_strdup_printf ("178414000000%05u", account + 1);
      InstaSyncInsightRow *row;

      row = instasync_insight_row_new (ig_user_id, name, "day",
                                       time_series ? "time_series" : "total_value",
                                       day_starts[d], day_starts[d + 1],
                                       1000 + (gint64)((i * 7919u) % 5000));
      if (time_series)
        row->metadata_json = g_strdup_printf ("{\"graph_id\":\"%s/insights/%s/day\","
                                              "\"end_time_raw\":\"%s\"}",
                                              ig_user_id, name, end_times[d]);
      else
        row->metadata_json = g_strdup_printf ("{\"graph_id\":\"%s/insights/%s/day\"}",
                                              ig_user_id, name);
      g_ptr_array_add (rows, row);
    }

  for (guint d = 0; d < DAYS; d++)
    g_free (end_times[d]);

  return rows;
}

typedef struct
{
  const char           *conninfo;
  GPtrArray            *rows;
  guint                 batch;
  guint                *next;       /* atomic: the next batch to take */
  InstaSyncWriteCounts  counts;
  GError               *error;
} Writer;

static gpointer
writer_thread (gpointer data)
{
  Writer *writer = data;
  g_autoptr(InstaSyncStore) store = instasync_store_connect (writer->conninfo, &writer->error);

  if (store == NULL)
    return NULL;

  for (;;)
    {
      guint offset = (guint)g_atomic_int_add ((gint *)writer->next, 1) * writer->batch;
      guint n;
      /* A view on the rows: the big array keeps owning them. */
      g_autoptr(GPtrArray) view = NULL;
      InstaSyncWriteCounts counts = { 0, };

      if (offset >= writer->rows->len)
        break;

      n = MIN (writer->batch, writer->rows->len - offset);
      view = g_ptr_array_sized_new (n);
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (view, g_ptr_array_index (writer->rows, offset + i));

      if (!instasync_store_upsert_insights (store, view, &counts, &writer->error))
        return NULL;

      writer->counts.inserted += counts.inserted;
      writer->counts.updated += counts.updated;
      writer->counts.unchanged += counts.unchanged;
      writer->counts.failed += counts.failed;
    }

  return NULL;
}

/* Every row through instasync_store_upsert_insights(), @batch at a time, by
 * @writers connections at once: the sync workers write concurrently, each
 * on its own connection, and so does this measure. */
static gboolean
upsert_all (const char            *conninfo,
            GPtrArray             *rows,
            guint                  batch,
            guint                  writers,
            InstaSyncWriteCounts  *total,
            double                *seconds,
            GError               **error)
{
  g_autofree Writer *pool = g_new0 (Writer, MAX (writers, 1));
  g_autofree GThread **threads = g_new0 (GThread *, MAX (writers, 1));
  gint64 started = g_get_monotonic_time ();
  guint next = 0;
  gboolean ok = TRUE;

  *total = (InstaSyncWriteCounts){ 0, };

  for (guint w = 0; w < MAX (writers, 1); w++)
    {
      pool[w].conninfo = conninfo;
      pool[w].rows = rows;
      pool[w].batch = batch;
      pool[w].next = &next;
      threads[w] = g_thread_new ("writer", writer_thread, &pool[w]);
    }

  for (guint w = 0; w < MAX (writers, 1); w++)
    {
      g_thread_join (threads[w]);
      total->inserted += pool[w].counts.inserted;
      total->updated += pool[w].counts.updated;
      total->unchanged += pool[w].counts.unchanged;
      total->failed += pool[w].counts.failed;
      if (pool[w].error != NULL)
        {
          if (ok)
            g_propagate_error (error, g_steal_pointer (&pool[w].error));
          g_clear_error (&pool[w].error);
          ok = FALSE;
        }
    }

  *seconds = (double)(g_get_monotonic_time () - started) / G_USEC_PER_SEC;

  return ok;
}

static gboolean
child_upsert (const BenchConfig *config,
              gboolean           baseline,
              BenchFigures      *figures,
              GError           **error)
{
  g_autoptr(InstaSyncTestPg) pg = NULL;
  g_autoptr(InstaSyncStore) store = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  guint n = baseline ? config->baseline_upsert_rows : config->upsert_rows;
  gint64 count;

  pg = instasync_test_pg_start (error);
  if (pg == NULL)
    return FALSE;
  store = instasync_test_pg_connect_migrated (pg, error);
  if (store == NULL)
    return FALSE;

  rows = generate_rows (n);

  if (baseline)
    {
      guint inserted = 0;

      if (!bench_baseline_insert_rows (instasync_test_pg_get_conninfo (pg), rows,
                                       &figures->first_seconds, &inserted, error))
        return FALSE;
      figures->first_rows = inserted;

      if (!bench_baseline_insert_rows (instasync_test_pg_get_conninfo (pg), rows,
                                       &figures->second_seconds, &inserted, error))
        return FALSE;
      /* Every row of the second pass is already there. */
      figures->second_rows = rows->len - inserted;
    }
  else
    {
      InstaSyncWriteCounts counts;

      if (!upsert_all (instasync_test_pg_get_conninfo (pg), rows, config->upsert_batch,
                       config->upsert_writers, &counts, &figures->first_seconds, error))
        return FALSE;
      figures->first_rows = counts.inserted;
      if (counts.inserted != rows->len)
        g_printerr ("bench: first pass: %u of %u rows inserted\n", counts.inserted, rows->len);

      if (!upsert_all (instasync_test_pg_get_conninfo (pg), rows, config->upsert_batch,
                       config->upsert_writers, &counts, &figures->second_seconds, error))
        return FALSE;
      figures->second_rows = counts.unchanged;
      if (counts.unchanged != rows->len)
        g_printerr ("bench: second pass: %u of %u rows unchanged\n", counts.unchanged, rows->len);
    }

  count = instasync_store_count_insights (store, NULL, error);
  if (count < 0)
    return FALSE;
  figures->rows = count;

  return TRUE;
}

static char *
figures_to_json (const BenchFigures *figures)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

#define ADD_INT(name, value) G_STMT_START { \
    json_builder_set_member_name (builder, name); \
    json_builder_add_int_value (builder, value); \
  } G_STMT_END
#define ADD_DOUBLE(name, value) G_STMT_START { \
    json_builder_set_member_name (builder, name); \
    json_builder_add_double_value (builder, value); \
  } G_STMT_END

  json_builder_begin_object (builder);
  ADD_INT ("api_calls", figures->api_calls);
  ADD_INT ("http_requests", figures->http_requests);
  ADD_INT ("throttle_errors", figures->throttle_errors);
  ADD_DOUBLE ("wall_seconds", figures->wall_seconds);
  ADD_INT ("rows", figures->rows);
  ADD_INT ("accounts_complete", figures->accounts_complete);
  ADD_INT ("accounts_paused", figures->accounts_paused);
  ADD_INT ("accounts_failed", figures->accounts_failed);
  ADD_INT ("first_rows", figures->first_rows);
  ADD_DOUBLE ("first_seconds", figures->first_seconds);
  ADD_INT ("second_rows", figures->second_rows);
  ADD_DOUBLE ("second_seconds", figures->second_seconds);
  ADD_INT ("peak_rss_kib", figures->peak_rss_kib);
  json_builder_end_object (builder);

#undef ADD_INT
#undef ADD_DOUBLE

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static int
run_child (const BenchConfig *config,
           const char        *workload,
           const char        *mode)
{
  BenchFigures figures = { 0, };
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  gboolean baseline;
  gboolean ok;

  if (!g_str_equal (mode, "baseline") && !g_str_equal (mode, "instasync"))
    {
      g_printerr ("bench: unknown mode “%s”\n", mode);
      return 2;
    }
  baseline = g_str_equal (mode, "baseline");

  if (g_str_equal (workload, "a"))
    ok = child_sync (config, FALSE, baseline, &figures, &error);
  else if (g_str_equal (workload, "b"))
    ok = child_sync (config, TRUE, baseline, &figures, &error);
  else if (g_str_equal (workload, "upsert"))
    ok = child_upsert (config, baseline, &figures, &error);
  else
    {
      g_printerr ("bench: unknown workload “%s”\n", workload);
      return 2;
    }

  if (!ok)
    {
      g_printerr ("bench: %s %s: %s\n", workload, mode, error->message);
      return 1;
    }

  figures.peak_rss_kib = bench_peak_rss_kib ();
  json = figures_to_json (&figures);
  g_print ("%s\n", json);

  return 0;
}

/* Parent: running the children */

static char *
self_exe (void)
{
  g_autoptr(GError) error = NULL;
  char *path = g_file_read_link ("/proc/self/exe", &error);

  if (path == NULL)
    g_error ("Cannot find the benchmark's own executable: %s", error->message);

  return path;
}

static void
config_to_args (const BenchConfig *config,
                GPtrArray         *argv)
{
#define ARG(name, value) g_ptr_array_add (argv, g_strdup_printf ("--" name "=%u", value))
  ARG ("accounts", config->accounts);
  ARG ("backfill-accounts", config->backfill_accounts);
  ARG ("latency-ms", config->latency_ms);
  ARG ("connections", config->connections);
  ARG ("accounts-per-token", config->accounts_per_token);
  ARG ("app-call-limit", config->app_call_limit);
  ARG ("account-call-limit", config->account_call_limit);
  ARG ("upsert-rows", config->upsert_rows);
  ARG ("upsert-batch", config->upsert_batch);
  ARG ("upsert-writers", config->upsert_writers);
  ARG ("baseline-upsert-rows", config->baseline_upsert_rows);
#undef ARG
}

/* Runs one (workload, mode) child and returns its figures. */
static JsonObject *
spawn_child (const BenchConfig *config,
             const char        *workload,
             const char        *mode,
             GError           **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) lines = NULL;
  const char *last = NULL;
  JsonNode *root;
  int wait_status;
  gint64 started = g_get_monotonic_time ();

  g_ptr_array_add (argv, self_exe ());
  g_ptr_array_add (argv, g_strdup ("--child"));
  config_to_args (config, argv);
  g_ptr_array_add (argv, g_strdup (workload));
  g_ptr_array_add (argv, g_strdup (mode));
  g_ptr_array_add (argv, NULL);

  g_printerr ("bench: workload (%s), %s …\n", workload, mode);

  /* The child's stderr is ours: its diagnostics show up as they happen. */
  if (!g_spawn_sync (NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &out, NULL, &wait_status, error))
    return NULL;
  if (!g_spawn_check_wait_status (wait_status, error))
    {
      g_prefix_error (error, "Workload (%s), %s: ", workload, mode);
      return NULL;
    }

  g_printerr ("bench: workload (%s), %s done in %.1f s\n", workload, mode,
              (double)(g_get_monotonic_time () - started) / G_USEC_PER_SEC);

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (*g_strstrip (lines[i]) != '\0')
        last = lines[i];
    }
  if (last == NULL || !json_parser_load_from_data (parser, last, -1, error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Workload (%s), %s: the child printed no figures", workload, mode);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Workload (%s), %s: the child's figures are not a JSON object",
                   workload, mode);
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

/* Parent: the tables */

#define LABEL_WIDTH  24
#define COLUMN_WIDTH 14

static double
get_number (JsonObject *figures,
            const char *name)
{
  if (figures == NULL)
    return 0;

  return json_object_get_double_member_with_default (figures, name, 0);
}

typedef enum
{
  RATIO_NONE,
  RATIO_LOWER_IS_BETTER,        /* baseline ÷ InstaSync */
  RATIO_HIGHER_IS_BETTER,       /* InstaSync ÷ baseline */
} RatioKind;

static void
print_row (const char *label,
           JsonObject *baseline,
           JsonObject *instasync,
           double      baseline_value,
           double      instasync_value,
           int         decimals,
           RatioKind   ratio)
{
  g_autofree char *left = NULL;
  g_autofree char *right = NULL;
  g_autofree char *factor = NULL;

  left = baseline != NULL ? g_strdup_printf ("%.*f", decimals, baseline_value) : g_strdup ("—");
  right = instasync != NULL ? g_strdup_printf ("%.*f", decimals, instasync_value) : g_strdup ("—");

  if (baseline != NULL && instasync != NULL)
    {
      if (ratio == RATIO_LOWER_IS_BETTER && instasync_value > 0)
        factor = g_strdup_printf ("%.1fx", baseline_value / instasync_value);
      else if (ratio == RATIO_HIGHER_IS_BETTER && baseline_value > 0)
        factor = g_strdup_printf ("%.1fx", instasync_value / baseline_value);
    }

  /* "—" is one column wide but three bytes long: pad by hand. */
  g_print ("%-*s %*s %*s %*s\n", LABEL_WIDTH, label,
           COLUMN_WIDTH + (int)(strlen (left) - g_utf8_strlen (left, -1)), left,
           COLUMN_WIDTH + (int)(strlen (right) - g_utf8_strlen (right, -1)), right,
           9, factor != NULL ? factor : "");
}

static void
print_header_line (void)
{
  g_print ("%-*s %*s %*s %*s\n", LABEL_WIDTH, "", COLUMN_WIDTH, "baseline",
           COLUMN_WIDTH, "InstaSync", 9, "ratio");
}

static double
rate (JsonObject *figures,
      const char *rows,
      const char *seconds)
{
  double s = get_number (figures, seconds);

  return s > 0 ? get_number (figures, rows) / s : 0;
}

static void
print_sync_table (JsonObject *baseline,
                  JsonObject *instasync)
{
#define ROW(label, member, decimals, ratio) \
  print_row (label, baseline, instasync, get_number (baseline, member), \
             get_number (instasync, member), decimals, ratio)

  print_header_line ();
  ROW ("API calls", "api_calls", 0, RATIO_LOWER_IS_BETTER);
  ROW ("HTTP requests", "http_requests", 0, RATIO_LOWER_IS_BETTER);
  ROW ("wall seconds", "wall_seconds", 1, RATIO_LOWER_IS_BETTER);
  ROW ("rows written", "rows", 0, RATIO_NONE);
  print_row ("rows written / s", baseline, instasync, rate (baseline, "rows", "wall_seconds"),
             rate (instasync, "rows", "wall_seconds"), 0, RATIO_HIGHER_IS_BETTER);
  ROW ("throttle errors", "throttle_errors", 0, RATIO_NONE);
  ROW ("accounts complete", "accounts_complete", 0, RATIO_NONE);
  ROW ("accounts paused", "accounts_paused", 0, RATIO_NONE);
  ROW ("accounts incomplete", "accounts_failed", 0, RATIO_NONE);
  print_row ("peak RSS (MiB)", baseline, instasync, get_number (baseline, "peak_rss_kib") / 1024,
             get_number (instasync, "peak_rss_kib") / 1024, 1, RATIO_NONE);

#undef ROW
}

static void
print_upsert_table (JsonObject *baseline,
                    JsonObject *instasync)
{
  print_header_line ();
  print_row ("rows, first pass", baseline, instasync, get_number (baseline, "first_rows"),
             get_number (instasync, "first_rows"), 0, RATIO_NONE);
  print_row ("  seconds", baseline, instasync, get_number (baseline, "first_seconds"),
             get_number (instasync, "first_seconds"), 2, RATIO_NONE);
  print_row ("  rows / s (inserted)", baseline, instasync,
             rate (baseline, "first_rows", "first_seconds"),
             rate (instasync, "first_rows", "first_seconds"), 0, RATIO_HIGHER_IS_BETTER);
  print_row ("rows, second pass", baseline, instasync, get_number (baseline, "second_rows"),
             get_number (instasync, "second_rows"), 0, RATIO_NONE);
  print_row ("  seconds", baseline, instasync, get_number (baseline, "second_seconds"),
             get_number (instasync, "second_seconds"), 2, RATIO_NONE);
  print_row ("  rows / s (unchanged)", baseline, instasync,
             rate (baseline, "second_rows", "second_seconds"),
             rate (instasync, "second_rows", "second_seconds"), 0, RATIO_HIGHER_IS_BETTER);
  print_row ("rows in the table", baseline, instasync, get_number (baseline, "rows"),
             get_number (instasync, "rows"), 0, RATIO_NONE);
  print_row ("peak RSS (MiB)", baseline, instasync, get_number (baseline, "peak_rss_kib") / 1024,
             get_number (instasync, "peak_rss_kib") / 1024, 1, RATIO_NONE);
}

static void
print_target (const char *text,
              gboolean    known,
              gboolean    met)
{
  g_print ("  target: %s — %s\n", text, !known ? "not measured" : met ? "met" : "NOT MET");
}

/* The planner's minimum for one account: each planned request is one API
 * call, whether sent alone or inside a batch. */
static guint
planner_minimum (const GDate *since,
                 const GDate *until)
{
  g_autoptr(GPtrArray) requests = NULL;
  GDate today;

  bench_pacific_today (&today);
  requests = instasync_plan_requests (bench_metrics, since, until, &today, NULL, NULL);

  return requests->len;
}

/* Parent: the machine */

static char *
read_proc_field (const char *path,
                 const char *field)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return g_strdup ("unknown");

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *colon = strchr (lines[i], ':');
      g_autofree char *name = NULL;

      if (colon == NULL)
        continue;
      name = g_strndup (lines[i], (gsize)(colon - lines[i]));
      if (g_str_equal (g_strstrip (name), field))
        return g_strstrip (g_strdup (colon + 1));
    }

  return g_strdup ("unknown");
}

static void
print_machine (int    argc,
               char **argv)
{
  g_autoptr(GString) command = g_string_new (NULL);
  g_autofree char *cpu = read_proc_field ("/proc/cpuinfo", "model name");
  g_autofree char *memory_kib = read_proc_field ("/proc/meminfo", "MemTotal");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format_iso8601 (now);
  const char *wrapper = g_getenv ("INSTASYNC_BENCH_COMMAND");

  for (int i = 0; i < argc; i++)
    {
      g_autofree char *quoted = g_shell_quote (argv[i]);

      if (i > 0)
        g_string_append_c (command, ' ');
      /* Plain words stay readable; anything else is quoted for the shell. */
      if (strspn (argv[i], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=./,") ==
          strlen (argv[i]) && argv[i][0] != '\0')
        g_string_append (command, argv[i]);
      else
        g_string_append (command, quoted);
    }

  g_print ("InstaSync benchmark, %s\n", stamp);
  if (wrapper != NULL)
    g_print ("command:  %s\n", wrapper);
  g_print ("binary:   %s\n", command->str);
  /* /proc/meminfo says "24683620 kB", which means KiB. */
  g_print ("machine:  %u CPUs (nproc), %s, %.1f GiB memory\n", g_get_num_processors (), cpu,
           g_ascii_strtod (memory_kib, NULL) / (1024 * 1024));
  g_print ("database: a throwaway local PostgreSQL cluster per run (Unix socket, fsync off)\n");
  g_print ("graph:    the in-process Graph API simulator, one per run\n");
  g_print ("ratio:    how many times better InstaSync does (baseline ÷ InstaSync for costs,\n"
           "          InstaSync ÷ baseline for rates)\n\n");
}

/* Parent: the workloads */

static gboolean
run_pair (const BenchConfig  *config,
          const char         *workload,
          gboolean            skip_baseline,
          JsonObject        **baseline,
          JsonObject        **instasync,
          GError            **error)
{
  *baseline = NULL;
  if (!skip_baseline)
    {
      *baseline = spawn_child (config, workload, "baseline", error);
      if (*baseline == NULL)
        return FALSE;
    }

  *instasync = spawn_child (config, workload, "instasync", error);
  if (*instasync == NULL)
    {
      g_clear_pointer (baseline, json_object_unref);
      return FALSE;
    }

  return TRUE;
}

static gboolean
run_workload_a (const BenchConfig  *config,
                gboolean            skip_baseline,
                GError            **error)
{
  g_autoptr(JsonObject) baseline = NULL;
  g_autoptr(JsonObject) instasync = NULL;
  GDate since, until;
  char since_text[16], until_text[16];
  double b_wall, i_wall;

  if (!run_pair (config, "a", skip_baseline, &baseline, &instasync, error))
    return FALSE;

  bench_incremental_window (&since, &until);
  g_date_strftime (since_text, sizeof since_text, "%Y-%m-%d", &since);
  g_date_strftime (until_text, sizeof until_text, "%Y-%m-%d", &until);

  g_print ("workload (a): daily incremental sync, %u accounts, %u ms latency per HTTP request\n",
           config->accounts, config->latency_ms);
  g_print ("  window %s … %s (the default: 3 Pacific days ending yesterday)\n",
           since_text, until_text);
  g_print ("  %u accounts per user token, %u InstaSync connections\n",
           config->accounts_per_token, config->connections);
  print_sync_table (baseline, instasync);

  b_wall = get_number (baseline, "wall_seconds");
  i_wall = get_number (instasync, "wall_seconds");
  {
    g_autofree char *text = NULL;

    if (baseline != NULL && i_wall > 0)
      text = g_strdup_printf ("at least 50 times less wall time than the baseline (%.1fx)",
                              b_wall / i_wall);
    else
      text = g_strdup ("at least 50 times less wall time than the baseline");
    print_target (text, baseline != NULL && i_wall > 0, i_wall > 0 && b_wall / i_wall >= 50);
  }
  {
    guint minimum = planner_minimum (&since, &until) * config->accounts;
    double calls = get_number (instasync, "api_calls");
    g_autofree char *text = g_strdup_printf ("no more API calls than the planner's minimum "
                                             "(%.0f, minimum %u)", calls, minimum);

    print_target (text, TRUE, calls <= minimum);
  }
  g_print ("\n");

  return TRUE;
}

static gboolean
run_workload_b (const BenchConfig  *config,
                gboolean            skip_baseline,
                GError            **error)
{
  g_autoptr(JsonObject) baseline = NULL;
  g_autoptr(JsonObject) instasync = NULL;
  GDate since, until;
  char since_text[16], until_text[16];
  double throttled;
  g_autofree char *text = NULL;

  if (!run_pair (config, "b", skip_baseline, &baseline, &instasync, error))
    return FALSE;

  bench_backfill_window (&since, &until);
  g_date_strftime (since_text, sizeof since_text, "%Y-%m-%d", &since);
  g_date_strftime (until_text, sizeof until_text, "%Y-%m-%d", &until);

  g_print ("workload (b): 2-year backfill, %u accounts, rate limits enforced, "
           "%u ms latency per HTTP request\n", config->backfill_accounts, config->latency_ms);
  g_print ("  window %s … %s; limits: app %u calls/hour, each account %u calls/24 h\n",
           since_text, until_text, config->app_call_limit, config->account_call_limit);
  g_print ("  the baseline makes %u calls per account: above the account limit, it crosses 100%%\n"
           "  of the quota and is refused; a client that paces itself on the usage headers\n"
           "  stops before it (and reports the account paused)\n",
           bench_baseline_count_requests (&since, &until));
  print_sync_table (baseline, instasync);

  g_print ("  the planner's minimum for InstaSync: %u API calls\n",
           planner_minimum (&since, &until) * config->backfill_accounts);
  throttled = get_number (instasync, "throttle_errors");
  text = g_strdup_printf ("no throttle error received by InstaSync (%.0f)", throttled);
  print_target (text, TRUE, throttled == 0);
  g_print ("\n");

  return TRUE;
}

static gboolean
run_workload_upsert (const BenchConfig  *config,
                     gboolean            skip_baseline,
                     GError            **error)
{
  g_autoptr(JsonObject) baseline = NULL;
  g_autoptr(JsonObject) instasync = NULL;
  g_autofree char *text = NULL;
  double inserted_rate, unchanged_rate;

  if (!run_pair (config, "upsert", skip_baseline, &baseline, &instasync, error))
    return FALSE;

  g_print ("workload (upsert): the write path alone, %u rows in batches of %u, "
           "%u connections writing at once\n",
           config->upsert_rows, config->upsert_batch, config->upsert_writers);
  g_print ("  baseline: %u rows, one INSERT each, autocommit\n", config->baseline_upsert_rows);
  g_print ("  first pass into an empty table (every row inserted),\n"
           "  second pass with the same rows (every row unchanged)\n");
  print_upsert_table (baseline, instasync);

  inserted_rate = rate (instasync, "first_rows", "first_seconds");
  unchanged_rate = rate (instasync, "second_rows", "second_seconds");
  text = g_strdup_printf ("at least 100000 rows/s written (%.0f inserted, %.0f unchanged)",
                          inserted_rate, unchanged_rate);
  print_target (text, TRUE, MIN (inserted_rate, unchanged_rate) >= 100000);
  g_print ("\n");

  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  BenchConfig config = {
    .accounts = BENCH_DEFAULT_ACCOUNTS,
    .backfill_accounts = BENCH_DEFAULT_BACKFILL_ACCOUNTS,
    .latency_ms = BENCH_DEFAULT_LATENCY_MS,
    .connections = BENCH_DEFAULT_CONNECTIONS,
    .accounts_per_token = BENCH_DEFAULT_ACCOUNTS_PER_TOKEN,
    .app_call_limit = BENCH_DEFAULT_APP_CALL_LIMIT,
    .account_call_limit = BENCH_DEFAULT_ACCOUNT_CALL_LIMIT,
    .upsert_rows = BENCH_DEFAULT_UPSERT_ROWS,
    .upsert_batch = BENCH_DEFAULT_UPSERT_BATCH,
    .upsert_writers = BENCH_DEFAULT_UPSERT_WRITERS,
    .baseline_upsert_rows = BENCH_DEFAULT_BASELINE_UPSERT_ROWS,
  };
  int accounts = (int)config.accounts;
  int backfill_accounts = (int)config.backfill_accounts;
  int latency_ms = (int)config.latency_ms;
  int connections = (int)config.connections;
  int accounts_per_token = (int)config.accounts_per_token;
  int app_call_limit = (int)config.app_call_limit;
  int account_call_limit = (int)config.account_call_limit;
  int upsert_rows = (int)config.upsert_rows;
  int upsert_batch = (int)config.upsert_batch;
  int upsert_writers = (int)config.upsert_writers;
  int baseline_upsert_rows = (int)config.baseline_upsert_rows;
  g_autofree char *workload = NULL;
  gboolean skip_baseline = FALSE;
  gboolean child = FALSE;
  g_auto(GStrv) original_argv = g_strdupv (argv);
  int original_argc = argc;
  const GOptionEntry entries[] = {
    { "accounts", 0, 0, G_OPTION_ARG_INT, &accounts,
      "Accounts of workload (a) (default 1000)", "N" },
    { "backfill-accounts", 0, 0, G_OPTION_ARG_INT, &backfill_accounts,
      "Accounts of workload (b) (default 50)", "N" },
    { "latency-ms", 0, 0, G_OPTION_ARG_INT, &latency_ms,
      "Simulated latency per HTTP request (default 100)", "MS" },
    { "connections", 0, 0, G_OPTION_ARG_INT, &connections,
      "InstaSync's workers (default 32)", "N" },
    { "workload", 0, 0, G_OPTION_ARG_STRING, &workload,
      "a, b, upsert or all (default all)", "W" },
    { "skip-baseline", 0, 0, G_OPTION_ARG_NONE, &skip_baseline,
      "Run InstaSync only (quick runs)", NULL },
    { "accounts-per-token", 0, 0, G_OPTION_ARG_INT, &accounts_per_token,
      "Accounts connected through one user token (default 25)", "N" },
    { "app-call-limit", 0, 0, G_OPTION_ARG_INT, &app_call_limit,
      "(b): the app's calls per hour (default 100000)", "N" },
    { "account-call-limit", 0, 0, G_OPTION_ARG_INT, &account_call_limit,
      "(b): each account's calls per 24 hours (default 60)", "N" },
    { "upsert-rows", 0, 0, G_OPTION_ARG_INT, &upsert_rows,
      "(upsert): rows InstaSync writes (default 200000)", "N" },
    { "upsert-batch", 0, 0, G_OPTION_ARG_INT, &upsert_batch,
      "(upsert): rows per upsert call (default 5000)", "N" },
    { "upsert-writers", 0, 0, G_OPTION_ARG_INT, &upsert_writers,
      "(upsert): connections writing at once, as the sync workers do (default 2)", "N" },
    { "baseline-upsert-rows", 0, 0, G_OPTION_ARG_INT, &baseline_upsert_rows,
      "(upsert): rows the baseline writes (default 20000)", "N" },
    { "child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &child,
      "Run one WORKLOAD MODE and print its figures as JSON", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  gboolean all;

  setlocale (LC_ALL, "");
  /* Figures are machine-read by the parent: keep a dot as decimal mark. */
  setlocale (LC_NUMERIC, "C");

  context = g_option_context_new ("— InstaSync against the naive approach, side by side");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (accounts < 1 || backfill_accounts < 1 || latency_ms < 0 || connections < 1 ||
      accounts_per_token < 1 || app_call_limit < 1 || account_call_limit < 1 ||
      upsert_rows < 1 || upsert_batch < 1 || baseline_upsert_rows < 1 ||
      upsert_writers < 1 || upsert_writers > 64)
    {
      g_printerr ("Sizes must be positive (latency may be 0)\n");
      return 2;
    }

  config.accounts = (guint)accounts;
  config.backfill_accounts = (guint)backfill_accounts;
  config.latency_ms = (guint)latency_ms;
  config.connections = (guint)connections;
  config.accounts_per_token = (guint)accounts_per_token;
  config.app_call_limit = (guint)app_call_limit;
  config.account_call_limit = (guint)account_call_limit;
  config.upsert_rows = (guint)upsert_rows;
  config.upsert_batch = (guint)upsert_batch;
  config.upsert_writers = (guint)upsert_writers;
  config.baseline_upsert_rows = (guint)baseline_upsert_rows;

  if (child)
    {
      if (argc != 3)
        {
          g_printerr ("Usage: %s --child WORKLOAD MODE\n", argv[0]);
          return 2;
        }
      return run_child (&config, argv[1], argv[2]);
    }

  if (argc != 1)
    {
      g_printerr ("Unexpected argument “%s”\n", argv[1]);
      return 2;
    }

  if (workload == NULL)
    workload = g_strdup ("all");
  all = g_str_equal (workload, "all");
  if (!all && !g_str_equal (workload, "a") && !g_str_equal (workload, "b") &&
      !g_str_equal (workload, "upsert"))
    {
      g_printerr ("--workload must be a, b, upsert or all\n");
      return 2;
    }

  print_machine (original_argc, original_argv);

  if ((all || g_str_equal (workload, "a")) && !run_workload_a (&config, skip_baseline, &error))
    goto failed;
  if ((all || g_str_equal (workload, "b")) && !run_workload_b (&config, skip_baseline, &error))
    goto failed;
  if ((all || g_str_equal (workload, "upsert")) &&
      !run_workload_upsert (&config, skip_baseline, &error))
    goto failed;

  return 0;

failed:
  g_printerr ("bench: %s\n", error->message);
  return 1;
}
