/* instasync-sync-pool.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-pool"

#include "config.h"

#include <string.h>

#include "instasync-graph-client.h"
#include "instasync-metric-catalogue.h"
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
  guint                       next;     /* atomic: the next job to take */
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
  store = instasync_store_connect (self->conninfo, &connect_error);

  for (;;)
    {
      guint index = (guint)g_atomic_int_add ((gint *)&run->next, 1);
      InstaSyncSyncJob *job;
      InstaSyncFetchResult *result;

      if (index >= run->jobs->len)
        break;

      job = g_ptr_array_index (run->jobs, index);
      if (store == NULL)
        result = failed_result (job, run->options, connect_error);
      else
        result = instasync_sync_account (client, store, job->account, job->access_token,
                                         run->options, run->cancellable);

      run->results[index] = result;
      if (self->progress_func != NULL)
        self->progress_func (result, self->progress_data);
    }

  return NULL;
}

/* GObject overrides */

static void
instasync_sync_pool_finalize (GObject *object)
{
  InstaSyncSyncPool *self = (InstaSyncSyncPool *)object;

  g_clear_pointer (&self->graph_url, g_free);
  g_clear_pointer (&self->api_version, g_free);
  g_clear_pointer (&self->conninfo, g_free);

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
      memset (job->access_token, 0, strlen (job->access_token));
      g_free (job->access_token);
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
  gint64 app_paused_until = 0;
  guint n_workers;

  g_return_val_if_fail (INSTASYNC_IS_SYNC_POOL (self), NULL);
  g_return_val_if_fail (jobs != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);

  results = g_ptr_array_new_full (jobs->len, g_object_unref);
  g_ptr_array_set_size (results, jobs->len);

  /* When the API throttles the whole app, every worker must know. */
  shared = *options;
  if (shared.app_paused_until == NULL)
    shared.app_paused_until = &app_paused_until;

  run.pool = self;
  run.jobs = jobs;
  run.options = &shared;
  run.cancellable = cancellable;
  run.results = (InstaSyncFetchResult **)results->pdata;

  /* No more workers than accounts: each one opens connections. */
  n_workers = MIN (self->connections, MAX (jobs->len, 1));
  for (guint i = 0; i < n_workers; i++)
    g_ptr_array_add (threads, g_thread_new ("instasync-sync", worker, &run));
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));

  return results;
}
