/* instasync-sync-manager.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "instasync-account-discovery.h"
#include "instasync-account.h"
#include "instasync-config.h"
#include "instasync-fetch-result.h"
#include "instasync-oauth.h"
#include "instasync-store.h"

G_BEGIN_DECLS

/* The app's model of everything that syncs, for views to bind to: the
 * accounts (a GListModel of InstaSyncAccount), whether a sync runs and how
 * far it is, the latest result of each account, and the data the account
 * page shows. It lives on the main thread; all network and database work
 * runs in GTask threads, each with its own PostgreSQL connection, and comes
 * back to the main thread as property changes and signals. */
#define INSTASYNC_TYPE_SYNC_MANAGER (instasync_sync_manager_get_type ())

G_DECLARE_FINAL_TYPE (InstaSyncSyncManager, instasync_sync_manager, INSTASYNC, SYNC_MANAGER, GObject)

/* One day of a metric, for the chart. */
typedef struct
{
  guint32 julian_day;
  gint64  value;
} InstaSyncDailyValue;

/* One metric over a range and the range before it, for the overview cards.
 * A value is -1 when it is not known: not synced yet, or, when @offered is
 * FALSE, not something the API gives for that range. */
typedef struct
{
  char     *metric;
  gint64    current;
  gint64    previous;
  gboolean  offered;
} InstaSyncOverviewFigure;

void                  instasync_overview_figure_free        (InstaSyncOverviewFigure *figure);

/* Takes @config over. */
InstaSyncSyncManager *instasync_sync_manager_new            (InstaSyncConfig       *config);
const InstaSyncConfig *instasync_sync_manager_get_config    (InstaSyncSyncManager  *self);
/* At quit: stops a running sync and the private database. */
void                  instasync_sync_manager_close          (InstaSyncSyncManager  *self);
/* The App Secret from the keyring, when the environment gives none. */
void                  instasync_sync_manager_set_app_secret (InstaSyncSyncManager  *self,
                                                             const char            *app_secret);

/* Opens the database (starting the embedded one when no URL is set),
 * applies the migrations and loads the accounts. */
void                  instasync_sync_manager_open_async     (InstaSyncSyncManager  *self,
                                                             GCancellable          *cancellable,
                                                             GAsyncReadyCallback    callback,
                                                             gpointer               user_data);
gboolean              instasync_sync_manager_open_finish    (InstaSyncSyncManager  *self,
                                                             GAsyncResult          *result,
                                                             GError               **error);
gboolean              instasync_sync_manager_get_ready      (InstaSyncSyncManager  *self);

/* The accounts, kept in step with the database. */
GListModel           *instasync_sync_manager_get_accounts   (InstaSyncSyncManager  *self);
void                  instasync_sync_manager_reload_async   (InstaSyncSyncManager  *self,
                                                             GCancellable          *cancellable,
                                                             GAsyncReadyCallback    callback,
                                                             gpointer               user_data);
gboolean              instasync_sync_manager_reload_finish  (InstaSyncSyncManager  *self,
                                                             GAsyncResult          *result,
                                                             GError               **error);

/* Connecting: a pasted token checked with debug_token and the accounts it
 * reaches (@discovery), or the accounts of a login's grant. */
void                  instasync_sync_manager_check_token_async (InstaSyncSyncManager *self,
                                                                const char           *token,
                                                                GCancellable         *cancellable,
                                                                GAsyncReadyCallback   callback,
                                                                gpointer              user_data);
InstaSyncOAuthGrant  *instasync_sync_manager_check_token_finish (InstaSyncSyncManager *self,
                                                                 GAsyncResult         *result,
                                                                 InstaSyncDiscovery  **discovery,
                                                                 GError              **error);
/* Stores @accounts (InstaSyncDiscoveredAccount) with @grant's token (taken
 * over), then brings the model up to date. */
void                  instasync_sync_manager_add_accounts_async (InstaSyncSyncManager *self,
                                                                 GPtrArray            *accounts,
                                                                 InstaSyncOAuthGrant  *grant,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
gboolean              instasync_sync_manager_add_accounts_finish (InstaSyncSyncManager *self,
                                                                  GAsyncResult         *result,
                                                                  GError              **error);

/* The account's profile picture (the image file's bytes), from memory, the
 * cache folder or the API; fails quietly for a view to keep the initials. */
void                  instasync_sync_manager_load_avatar_async  (InstaSyncSyncManager *self,
                                                                 const char           *ig_user_id,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
GBytes               *instasync_sync_manager_load_avatar_finish (InstaSyncSyncManager *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);

/* Syncs one account (@ig_user_id) or all of them (NULL). One sync at a
 * time: while one runs, another fails with G_IO_ERROR_PENDING. The results
 * (InstaSyncFetchResult) come back in account order. */
void                  instasync_sync_manager_sync_async     (InstaSyncSyncManager  *self,
                                                             const char            *ig_user_id,
                                                             GCancellable          *cancellable,
                                                             GAsyncReadyCallback    callback,
                                                             gpointer               user_data);
GPtrArray            *instasync_sync_manager_sync_finish    (InstaSyncSyncManager  *self,
                                                             GAsyncResult          *result,
                                                             GError               **error);
void                  instasync_sync_manager_cancel_sync    (InstaSyncSyncManager  *self);
gboolean              instasync_sync_manager_get_syncing    (InstaSyncSyncManager  *self);
/* 0 to 1: the share of the accounts of the running sync that are done. */
double                instasync_sync_manager_get_progress   (InstaSyncSyncManager  *self);
gboolean              instasync_sync_manager_is_syncing_account (InstaSyncSyncManager *self,
                                                                 const char           *ig_user_id);
/* The latest result of an account in this session, or NULL. */
InstaSyncFetchResult *instasync_sync_manager_get_last_result (InstaSyncSyncManager *self,
                                                              const char           *ig_user_id);

/* The account page's data. */
void                  instasync_sync_manager_load_daily_async   (InstaSyncSyncManager *self,
                                                                 const char           *ig_user_id,
                                                                 const char           *metric,
                                                                 guint                 days,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
/* InstaSyncDailyValue, oldest first, one per day of the range that has a value. */
GArray               *instasync_sync_manager_load_daily_finish  (InstaSyncSyncManager *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);
void                  instasync_sync_manager_load_overview_async  (InstaSyncSyncManager *self,
                                                                   const char           *ig_user_id,
                                                                   guint                 days,
                                                                   GCancellable         *cancellable,
                                                                   GAsyncReadyCallback   callback,
                                                                   gpointer              user_data);
/* InstaSyncOverviewFigure for reach, profile_views, accounts_engaged and
 * follower_count (new followers), in that order. */
GPtrArray            *instasync_sync_manager_load_overview_finish (InstaSyncSyncManager *self,
                                                                   GAsyncResult         *result,
                                                                   GError              **error);
void                  instasync_sync_manager_load_history_async   (InstaSyncSyncManager *self,
                                                                   const char           *ig_user_id,
                                                                   guint                 limit,
                                                                   GCancellable         *cancellable,
                                                                   GAsyncReadyCallback   callback,
                                                                   gpointer              user_data);
/* InstaSyncSyncLogEntry, newest first. */
GPtrArray            *instasync_sync_manager_load_history_finish  (InstaSyncSyncManager *self,
                                                                   GAsyncResult         *result,
                                                                   GError              **error);

G_END_DECLS
