/* instasync-sync-pool.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-pool"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "instasync-graph-client.h"
#include "instasync-graph-error.h"
#include "instasync-metric-catalogue.h"
#include "instasync-secret.h"
#include "instasync-store.h"
#include "instasync-sync-pool.h"

struct _InstaSyncSyncPool
{
  GObject   parent_instance;

  char     *graph_url;
  char     *api_version;
  char     *conninfo;
  guint     connections;

  guint     max_attempts;
  guint     base_delay_ms;

  GFunc     progress_func;
  gpointer  progress_data;

  InstaSyncTokenManager *token_manager;
};

G_DEFINE_FINAL_TYPE (InstaSyncSyncPool, instasync_sync_pool, G_TYPE_OBJECT)

/* What the workers of one run share. */
typedef struct
{
  InstaSyncSyncPool          *pool;
  GPtrArray                  *jobs;
  const InstaSyncSyncOptions *options;
  GCancellable               *cancellable;
  InstaSyncFetchResult      **results;
  guint                       next;     /* atomic: the next of @order to take */
  /* The jobs in the order they are taken: the first account of each token
   * before all the others, so that tokens are tried at once rather than
   * each keeping the workers of its other accounts waiting in turn. */
  guint                      *order;
  /* SHA-256 of every token the API refused in this run; guarded by lock. */
  GMutex                      lock;
  GHashTable                 *dead_tokens;
} PoolRun;

/* Auxiliary */

/* The result of an account that could not even start: every metric it
 * would have synced carries the reason. */
static InstaSyncFetchResult *
failed_result (InstaSyncSyncJob           *job,
               const InstaSyncSyncOptions *options,
               const GError               *error)
{
  InstaSyncFetchResult *result =
    instasync_fetch_result_new (instasync_account_get_ig_user_id (job->account),
                                instasync_account_get_username (job->account));
  g_auto(GStrv) defaults = instasync_metric_catalogue_default_set ();
  const char * const *metrics = options->metrics != NULL ? options->metrics
                                                         : (const char * const *)defaults;

  for (guint i = 0; metrics[i] != NULL; i++)
    {
      instasync_fetch_result_add_requested (result, metrics[i]);
      instasync_fetch_result_add_failed (result, metrics[i], error);
    }
  instasync_fetch_result_finish (result);

  return result;
}

static char *
token_digest (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token != NULL ? token : "", -1);
}

static gboolean
token_is_dead (PoolRun    *run,
               const char *token)
{
  g_autofree char *key = NULL;
  gboolean dead;

  if (token == NULL || *token == '\0')
    return FALSE;

  key = token_digest (token);
  g_mutex_lock (&run->lock);
  dead = g_hash_table_contains (run->dead_tokens, key);
  g_mutex_unlock (&run->lock);
  return dead;
}

static void
bury_token (PoolRun    *run,
            const char *token)
{
  if (token == NULL || *token == '\0')
    return;

  g_mutex_lock (&run->lock);
  g_hash_table_add (run->dead_tokens, token_digest (token));
  g_mutex_unlock (&run->lock);
}

/* Whether the sync found the token itself refused: code 190 (or 102) on
 * any metric. Other reconnect reasons (a missing permission) concern the
 * account, not every account of the token. */
static gboolean
result_says_token_dead (InstaSyncFetchResult *result)
{
  GPtrArray *errors = instasync_fetch_result_get_errors (result);

  /* Only the API's own answer condemns a token. An account skipped without
   * a call (already waiting for a reconnect, for a reason of its own) says
   * nothing about the token it may share with healthy accounts. */
  if (instasync_fetch_result_get_api_calls (result) == 0)
    return FALSE;

  for (guint i = 0; i < errors->len; i++)
    {
      InstaSyncMetricError *error = g_ptr_array_index (errors, i);

      if (g_strcmp0 (error->domain, "graph") == 0 && (error->code == 190 || error->code == 102))
        return TRUE;
    }

  return FALSE;
}

/* Whether the token showed that it works: only then is it worth asking the
 * API more about it (a throttled or unreachable API is left alone). */
static gboolean
result_says_token_works (InstaSyncFetchResult *result)
{
  InstaSyncFetchStatus status = instasync_fetch_result_get_status (result);

  return (status == INSTASYNC_FETCH_STATUS_SUCCEEDED || status == INSTASYNC_FETCH_STATUS_PARTIAL) &&
         instasync_fetch_result_get_action (result) != INSTASYNC_ERROR_ACTION_RECONNECT &&
         instasync_fetch_result_get_action (result) != INSTASYNC_ERROR_ACTION_BACK_OFF;
}

/* Another account of this run found the token refused: this one is marked
 * like it, and the engine, seeing the mark, makes no call. */
static void
mark_token_dead (InstaSyncStore       *store,
                 InstaSyncAccount     *account,
                 InstaSyncTokenReport *report)
{
  const char *reason = _("Instagram refused this access token for another account in the same "
                         "sync; reconnect the account");
  g_autoptr(GError) error = NULL;

  instasync_account_set_status (account, INSTASYNC_ACCOUNT_STATUS_NEEDS_RECONNECT);
  instasync_account_set_status_reason (account, reason);
  if (g_strcmp0 (instasync_account_get_source (account), "database") == 0 &&
      store != NULL &&
      !instasync_store_set_account_status_reason (store, instasync_account_get_ig_user_id (account),
                                                  INSTASYNC_ACCOUNT_STATUS_NEEDS_RECONNECT, reason,
                                                  &error))
    g_debug ("Could not mark the account: %s", error->message);

  report->status = INSTASYNC_TOKEN_STATUS_EXPIRED;
  g_free (report->message);
  report->message = g_strdup (reason);
  report->dead = TRUE;
}

/* The sync log row is written by the engine before the token's story is
 * complete (an unknown expiry is learned after the sync): its summary is
 * brought up to date. */
static void
amend_log (InstaSyncStore       *store,
           InstaSyncFetchResult *result)
{
  g_autofree char *summary = instasync_fetch_result_to_summary (result);
  g_autoptr(GError) error = NULL;

  if (!instasync_store_amend_sync_log_summary (store, instasync_fetch_result_get_ig_user_id (result),
                                               instasync_fetch_result_get_started_at (result),
                                               summary, &error))
    g_debug ("Could not add the token's news to the sync log: %s", error->message);
}

/* One account: the token check, the sync, and what the sync taught about
 * the token. */
static InstaSyncFetchResult *
sync_job (PoolRun              *run,
          InstaSyncGraphClient *client,
          InstaSyncStore       *store,
          InstaSyncSyncJob     *job)
{
  InstaSyncTokenManager *manager = run->pool->token_manager;
  InstaSyncTokenReport report = { 0, };
  InstaSyncFetchResult *result;
  g_autoptr(InstaSyncSecret) token = instasync_secret_new (job->access_token);
  g_autofree char *used = NULL;
  gint64 now = run->options->now != 0 ? run->options->now : g_get_real_time () / G_USEC_PER_SEC;

  if (token_is_dead (run, token))
    mark_token_dead (store, job->account, &report);
  else if (manager != NULL)
    instasync_token_manager_check (manager, client, store, job->account, &token, now, FALSE,
                                   &report, run->cancellable);

  if (report.dead)
    bury_token (run, job->access_token);

  result = instasync_sync_account (client, store, job->account, token, run->options,
                                   run->cancellable);

  if (result_says_token_dead (result))
    {
      bury_token (run, token);
      bury_token (run, job->access_token);
    }
  else if (manager != NULL && report.status == INSTASYNC_TOKEN_STATUS_UNCHECKED &&
           report.message == NULL && result_says_token_works (result))
    {
      /* The expiry was unknown: now that the token proved itself, learn it
       * and act on it at once (a refresh here serves the next sync). */
      instasync_token_manager_check (manager, client, store, job->account, &token, now, TRUE,
                                     &report, run->cancellable);
      if (report.dead)
        bury_token (run, token);
    }

  instasync_token_report_apply (&report, result);
  if (report.message != NULL || report.status == INSTASYNC_TOKEN_STATUS_REFRESHED)
    amend_log (store, result);

  instasync_token_report_clear (&report);
  return result;
}

static gpointer
worker (gpointer data)
{
  PoolRun *run = data;
  InstaSyncSyncPool *self = run->pool;
  g_autoptr(InstaSyncGraphClient) client = NULL;
  g_autoptr(InstaSyncStore) store = NULL;
  g_autoptr(GError) connect_error = NULL;

  /* Blocking clients belong to one thread: each worker has its own. */
  client = instasync_graph_client_new (self->graph_url, self->api_version);
  instasync_graph_client_set_retry_policy (client, self->max_attempts, self->base_delay_ms,
                                           self->base_delay_ms * 30);
  if (self->token_manager != NULL)
    instasync_token_manager_configure_client (self->token_manager, client);
  store = instasync_store_connect (self->conninfo, &connect_error);

  for (;;)
    {
      guint taken = (guint)g_atomic_int_add ((gint *)&run->next, 1);
      InstaSyncSyncJob *job;
      InstaSyncFetchResult *result;
      guint index;

      if (taken >= run->jobs->len)
        break;
      index = run->order[taken];

      job = g_ptr_array_index (run->jobs, index);
      if (store == NULL)
        result = failed_result (job, run->options, connect_error);
      else
        result = sync_job (run, client, store, job);

      run->results[index] = result;
      if (self->progress_func != NULL)
        self->progress_func (result, self->progress_data);
    }

  return NULL;
}

/* The first job of each token, then the others, each group in the order
 * given. */
static guint *
order_jobs (GPtrArray *jobs)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree gboolean *first = g_new0 (gboolean, jobs->len + 1);
  guint *order = g_new0 (guint, jobs->len + 1);
  guint n = 0;

  for (guint i = 0; i < jobs->len; i++)
    {
      InstaSyncSyncJob *job = g_ptr_array_index (jobs, i);
      g_autofree char *key = token_digest (job->access_token);

      if (!g_hash_table_contains (seen, key))
        {
          g_hash_table_add (seen, g_steal_pointer (&key));
          first[i] = TRUE;
          order[n++] = i;
        }
    }
  for (guint i = 0; i < jobs->len; i++)
    if (!first[i])
      order[n++] = i;

  return order;
}

/* GObject overrides */

static void
instasync_sync_pool_finalize (GObject *object)
{
  InstaSyncSyncPool *self = (InstaSyncSyncPool *)object;

  g_clear_pointer (&self->graph_url, g_free);
  g_clear_pointer (&self->api_version, g_free);
  g_clear_pointer (&self->conninfo, g_free);
  g_clear_object (&self->token_manager);

  G_OBJECT_CLASS (instasync_sync_pool_parent_class)->finalize (object);
}

static void
instasync_sync_pool_class_init (InstaSyncSyncPoolClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = instasync_sync_pool_finalize;
}

static void
instasync_sync_pool_init (InstaSyncSyncPool *self)
{
  self->connections = INSTASYNC_DEFAULT_CONNECTIONS;
  self->max_attempts = 3;
  self->base_delay_ms = 1000;
}

/* Public API */

InstaSyncSyncJob *
instasync_sync_job_new (InstaSyncAccount *account,
                        const char       *access_token)
{
  InstaSyncSyncJob *job;

  g_return_val_if_fail (INSTASYNC_IS_ACCOUNT (account), NULL);

  job = g_new0 (InstaSyncSyncJob, 1);
  job->account = g_object_ref (account);
  job->access_token = g_strdup (access_token);
  return job;
}

void
instasync_sync_job_free (InstaSyncSyncJob *job)
{
  if (job == NULL)
    return;

  g_clear_object (&job->account);
  if (job->access_token != NULL)
    {
      /* Do not leave the token in freed memory. */
      instasync_secret_free (job->access_token);
    }
  g_free (job);
}

InstaSyncSyncPool *
instasync_sync_pool_new (const char *graph_url,
                         const char *api_version,
                         const char *conninfo,
                         guint       connections)
{
  InstaSyncSyncPool *self;

  g_return_val_if_fail (graph_url != NULL, NULL);
  g_return_val_if_fail (api_version != NULL, NULL);
  g_return_val_if_fail (conninfo != NULL, NULL);

  self = g_object_new (INSTASYNC_TYPE_SYNC_POOL, NULL);
  self->graph_url = g_strdup (graph_url);
  self->api_version = g_strdup (api_version);
  self->conninfo = g_strdup (conninfo);
  self->connections = CLAMP (connections, 1, 256);

  return self;
}

void
instasync_sync_pool_set_retry_policy (InstaSyncSyncPool *self,
                                      guint              max_attempts,
                                      guint              base_delay_ms)
{
  g_return_if_fail (INSTASYNC_IS_SYNC_POOL (self));

  self->max_attempts = MAX (max_attempts, 1);
  self->base_delay_ms = base_delay_ms;
}

void
instasync_sync_pool_set_token_manager (InstaSyncSyncPool     *self,
                                       InstaSyncTokenManager *manager)
{
  g_return_if_fail (INSTASYNC_IS_SYNC_POOL (self));
  g_return_if_fail (manager == NULL || INSTASYNC_IS_TOKEN_MANAGER (manager));

  g_set_object (&self->token_manager, manager);
}

void
instasync_sync_pool_set_progress_func (InstaSyncSyncPool *self,
                                       GFunc              func,
                                       gpointer           user_data)
{
  g_return_if_fail (INSTASYNC_IS_SYNC_POOL (self));

  self->progress_func = func;
  self->progress_data = user_data;
}

GPtrArray *
instasync_sync_pool_run (InstaSyncSyncPool          *self,
                         GPtrArray                  *jobs,
                         const InstaSyncSyncOptions *options,
                         GCancellable               *cancellable)
{
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  GPtrArray *results;
  PoolRun run = { 0, };
  InstaSyncSyncOptions shared;
  g_autoptr(InstaSyncTokenGate) gate = NULL;
  g_autofree guint *order = NULL;
  gint64 app_paused_until = 0;
  guint n_workers;

  g_return_val_if_fail (INSTASYNC_IS_SYNC_POOL (self), NULL);
  g_return_val_if_fail (jobs != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);

  results = g_ptr_array_new_full (jobs->len, g_object_unref);
  g_ptr_array_set_size (results, jobs->len);

  /* When the API throttles the whole app, every worker must know; and what
   * one account learns of a token, the others of that token. */
  shared = *options;
  if (shared.app_paused_until == NULL)
    shared.app_paused_until = &app_paused_until;
  if (shared.token_gate == NULL)
    shared.token_gate = gate = instasync_token_gate_new ();

  run.pool = self;
  run.jobs = jobs;
  run.options = &shared;
  run.cancellable = cancellable;
  run.results = (InstaSyncFetchResult **)results->pdata;
  run.order = order = order_jobs (jobs);
  g_mutex_init (&run.lock);
  run.dead_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* No more workers than accounts: each one opens connections. */
  n_workers = MIN (self->connections, MAX (jobs->len, 1));
  for (guint i = 0; i < n_workers; i++)
    g_ptr_array_add (threads, g_thread_new ("instasync-sync", worker, &run));
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));

  g_hash_table_unref (run.dead_tokens);
  g_mutex_clear (&run.lock);

  return results;
}
