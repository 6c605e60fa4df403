/* instasync-sync-pool.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "instasync-account.h"
#include "instasync-fetch-result.h"
#include "instasync-sync-engine.h"
#include "instasync-token-manager.h"

G_BEGIN_DECLS

/* Syncs many accounts at once.
 *
 * A fixed number of worker threads, each with a Graph client and a database
 * connection of its own, take accounts from a queue. The number of workers
 * is the connection limit: to the Graph API and to PostgreSQL alike. */
#define INSTASYNC_TYPE_SYNC_POOL (instasync_sync_pool_get_type ())

G_DECLARE_FINAL_TYPE (InstaSyncSyncPool, instasync_sync_pool, INSTASYNC, SYNC_POOL, GObject)

#define INSTASYNC_DEFAULT_CONNECTIONS 8

/* One account to sync, with its token (never logged). */
typedef struct
{
  InstaSyncAccount *account;
  char             *access_token;
} InstaSyncSyncJob;

InstaSyncSyncJob  *instasync_sync_job_new                 (InstaSyncAccount        *account,
                                                           const char              *access_token);
void               instasync_sync_job_free                (InstaSyncSyncJob        *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (InstaSyncSyncJob, instasync_sync_job_free)

InstaSyncSyncPool *instasync_sync_pool_new                (const char              *graph_url,
                                                           const char              *api_version,
                                                           const char              *conninfo,
                                                           guint                    connections);
/* Test and benchmark knob: attempts and first delay of the retry backoff. */
void               instasync_sync_pool_set_retry_policy   (InstaSyncSyncPool       *self,
                                                           guint                    max_attempts,
                                                           guint                    base_delay_ms);
/* The token manager that checks (and refreshes) every account's token
 * before its sync, and configures the workers' clients (appsecret_proof);
 * NULL for none. */
void               instasync_sync_pool_set_token_manager  (InstaSyncSyncPool       *self,
                                                           InstaSyncTokenManager   *manager);
/* Called from a worker thread with the InstaSyncFetchResult each time an
 * account is done (for progress); may be NULL. */
void               instasync_sync_pool_set_progress_func  (InstaSyncSyncPool       *self,
                                                           GFunc                    func,
                                                           gpointer                 user_data);

/* Syncs every job (InstaSyncSyncJob*) and returns their results
 * (InstaSyncFetchResult*) in the order of @jobs. Blocks the calling thread;
 * never returns NULL. A worker that cannot connect to the database fails
 * the accounts it takes, with the reason in each result.
 *
 * A token the API refused (code 190) is not used again in the run: the
 * accounts that share it are marked for reconnection and make no call. */
GPtrArray         *instasync_sync_pool_run                (InstaSyncSyncPool       *self,
                                                           GPtrArray               *jobs,
                                                           const InstaSyncSyncOptions *options,
                                                           GCancellable            *cancellable);

G_END_DECLS
