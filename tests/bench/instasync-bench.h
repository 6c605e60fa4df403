/* instasync-bench.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "graph-sim.h"
#include "instasync-test-pg.h"

G_BEGIN_DECLS

/* Sizes and knobs of one benchmark run; the parent hands them to every
 * child on its command line, so both modes of a workload see the same. */
typedef struct
{
  guint accounts;               /* (a): accounts synced incrementally */
  guint backfill_accounts;      /* (b): accounts backfilled over two years */
  guint latency_ms;             /* per HTTP request, in the simulator */
  guint connections;            /* InstaSync's workers */
  guint accounts_per_token;     /* an agency connects many accounts through one user */
  guint app_call_limit;         /* (b): the app's calls per hour */
  guint account_call_limit;     /* (b): each account's calls per 24 hours */
  guint upsert_rows;            /* (upsert): rows InstaSync writes */
  guint upsert_batch;           /* (upsert): rows per instasync_store_upsert_insights () */
  guint upsert_writers;         /* (upsert): connections writing at once, as the sync workers do */
  guint baseline_upsert_rows;   /* (upsert): rows the baseline writes, one INSERT each */
} BenchConfig;

#define BENCH_DEFAULT_ACCOUNTS             1000
#define BENCH_DEFAULT_BACKFILL_ACCOUNTS    50
#define BENCH_DEFAULT_LATENCY_MS           100
#define BENCH_DEFAULT_CONNECTIONS          32
#define BENCH_DEFAULT_ACCOUNTS_PER_TOKEN   25
#define BENCH_DEFAULT_APP_CALL_LIMIT       100000
#define BENCH_DEFAULT_ACCOUNT_CALL_LIMIT   60
#define BENCH_DEFAULT_UPSERT_ROWS          200000
#define BENCH_DEFAULT_UPSERT_BATCH         5000
#define BENCH_DEFAULT_UPSERT_WRITERS       2
#define BENCH_DEFAULT_BASELINE_UPSERT_ROWS 20000

/* The four metrics the original integration fetched, and InstaSync's
 * default set. */
#define BENCH_N_METRICS 4
extern const char * const bench_metrics[BENCH_N_METRICS + 1];

/* What a child measured; printed by the child as one JSON line. */
typedef struct
{
  guint   api_calls;
  guint   http_requests;
  guint   throttle_errors;
  double  wall_seconds;
  gint64  rows;
  guint   accounts_complete;
  guint   accounts_paused;
  guint   accounts_failed;
  /* (upsert) */
  guint   first_rows;
  double  first_seconds;
  guint   second_rows;
  double  second_seconds;
  gint64  peak_rss_kib;
} BenchFigures;

/* One simulated account and the token of the user that connected it. */
typedef struct
{
  char *ig_user_id;
  char *username;
  char *token;
} BenchAccount;

/* What a child syncs against: its own simulator and its own cluster. */
typedef struct
{
  GraphSim        *sim;
  InstaSyncTestPg *pg;
  InstaSyncStore  *store;       /* migrated; for counting rows */
  char            *base_url;
  GPtrArray       *accounts;    /* BenchAccount */
} BenchWorld;

/* instasync-bench-world.c */
BenchWorld *bench_world_new             (guint              n_accounts,
                                         const BenchConfig *config,
                                         gboolean           enforce_limits,
                                         GError           **error);
void        bench_world_free            (BenchWorld        *world);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BenchWorld, bench_world_free)

GTimeZone  *bench_pacific               (void);
void        bench_pacific_today         (GDate             *today);
gint64      bench_pacific_day_start     (const GDate       *day);
/* The windows of the two sync workloads, Pacific days, inclusive. */
void        bench_incremental_window    (GDate             *since,
                                         GDate             *until);
void        bench_backfill_window       (GDate             *since,
                                         GDate             *until);
/* ru_maxrss of this process, KiB. */
gint64      bench_peak_rss_kib          (void);

/* instasync-bench-baseline.c */
gboolean    bench_baseline_sync         (BenchWorld        *world,
                                         const GDate       *since,
                                         const GDate       *until,
                                         BenchFigures      *figures,
                                         GError           **error);
/* The requests the baseline makes for one account over [since, until]. */
guint       bench_baseline_count_requests (const GDate     *since,
                                           const GDate     *until);
gboolean    bench_baseline_insert_rows  (const char        *conninfo,
                                         GPtrArray         *rows,
                                         double            *seconds,
                                         guint             *n_inserted,
                                         GError           **error);

G_END_DECLS
