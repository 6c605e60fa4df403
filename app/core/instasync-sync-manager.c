/* instasync-sync-manager.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-manager"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "instasync-account-connect.h"
#include "instasync-account-resolver.h"
#include "instasync-avatar.h"
#include "instasync-day-zone.h"
#include "instasync-embedded-db.h"
#include "instasync-error.h"
#include "instasync-graph-client.h"
#include "instasync-insight-row.h"
#include "instasync-metric-catalogue.h"
#include "instasync-secret.h"
#include "instasync-sync-engine.h"
#include "instasync-sync-manager.h"
#include "instasync-sync-pool.h"
#include "instasync-time.h"
#include "instasync-token-key.h"
#include "instasync-token-manager.h"

/* The overview's figures, in order. */
static const char * const overview_metrics[] = {
  "reach", "profile_views", "accounts_engaged", "follower_count",
};

/* Reach and accounts engaged over a range are the API's own totals for it
 * (stored by the sync as period totals); a sum of days would count a
 * person once per day. The others add up. */
static const char * const period_total_metrics[] = { "reach", "accounts_engaged" };

/* The history a first sync brings for an account connected in the app. */
#define INITIAL_HISTORY_DAYS 90

/* The totals a default sync stores alongside the days. */
static const guint period_days[] = { 7, 28, 0 };

struct _InstaSyncSyncManager
{
  GObject               parent_instance;

  InstaSyncConfig      *config;
  InstaSyncEmbeddedDb  *embedded;
  char                 *conninfo;
  GListStore           *accounts;
  gboolean              ready;

  /* The running sync. */
  gboolean              syncing;
  GCancellable         *sync_cancellable;
  GHashTable           *syncing_accounts;  /* ig_user_id of those not done yet */
  guint                 sync_total;
  guint                 sync_done;
  GHashTable           *last_results;      /* ig_user_id → InstaSyncFetchResult */
  GHashTable           *avatars;           /* ig_user_id → GBytes, this session's */
  GMainContext         *main_context;
};

G_DEFINE_FINAL_TYPE (InstaSyncSyncManager, instasync_sync_manager, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_READY,
  PROP_SYNCING,
  PROP_PROGRESS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ACCOUNT_SYNCED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
instasync_overview_figure_free (InstaSyncOverviewFigure *figure)
{
  if (figure == NULL)
    return;

  g_free (figure->metric);
  g_free (figure);
}

/* Auxiliary */

static InstaSyncStore *
connect_store (InstaSyncSyncManager  *self,
               GError               **error)
{
  if (self->conninfo == NULL)
    {
      g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE,
                           _("The database is not open yet"));
      return NULL;
    }

  return instasync_store_connect (self->conninfo, error);
}

/* Brings the account objects the views hold in line with @fresh, in place,
 * so that selections and bindings survive a reload. */
static void
merge_accounts (InstaSyncSyncManager *self,
                GPtrArray            *fresh)
{
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);
  guint n;

  for (guint i = 0; i < fresh->len; i++)
    g_hash_table_insert (wanted,
                         (gpointer)instasync_account_get_ig_user_id (g_ptr_array_index (fresh, i)),
                         g_ptr_array_index (fresh, i));

  /* Gone ones leave, known ones take the new values. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(InstaSyncAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i - 1);
      InstaSyncAccount *update = g_hash_table_lookup (wanted, instasync_account_get_ig_user_id (account));

      if (update == NULL)
        {
          g_list_store_remove (self->accounts, i - 1);
          continue;
        }

      instasync_account_set_username (account, instasync_account_get_username (update));
      instasync_account_set_status (account, instasync_account_get_status (update));
      instasync_account_set_token_expires_at (account, instasync_account_get_token_expires_at (update));
      instasync_account_set_last_synced_at (account, instasync_account_get_last_synced_at (update));
      instasync_account_set_paused_until (account, instasync_account_get_paused_until (update));
      instasync_account_set_source (account, instasync_account_get_source (update));
      g_hash_table_remove (wanted, instasync_account_get_ig_user_id (account));
    }

  /* New ones join, in the order the database gives. */
  for (guint i = 0; i < fresh->len; i++)
    {
      InstaSyncAccount *account = g_ptr_array_index (fresh, i);

      if (g_hash_table_contains (wanted, instasync_account_get_ig_user_id (account)))
        g_list_store_append (self->accounts, account);
    }
}

static GPtrArray *
load_accounts (InstaSyncSyncManager  *self,
               InstaSyncStore        *store,
               GError               **error)
{
  g_autoptr(GHashTable) file_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  return instasync_resolve_accounts (store, self->config->secrets_file, file_tokens, error);
}

/* Opening */

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  InstaSyncSyncManager *self = source_object;
  g_autoptr(InstaSyncStore) store = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *accounts;

  if (self->config->database_url != NULL)
    {
      self->conninfo = g_strdup (self->config->database_url);
    }
  else
    {
      g_autofree char *cluster_dir = g_build_filename (self->config->data_dir, "postgres", NULL);

      self->embedded = instasync_embedded_db_new (cluster_dir);
      if (!instasync_embedded_db_start (self->embedded, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      self->conninfo = g_strdup (instasync_embedded_db_get_conninfo (self->embedded));
    }

  store = instasync_store_connect (self->conninfo, &error);
  if (store == NULL || !instasync_store_migrate (store, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  accounts = load_accounts (self, store, &error);
  if (accounts == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, accounts, (GDestroyNotify)g_ptr_array_unref);
}

/* Connecting */

typedef struct
{
  char                *token;
  InstaSyncOAuthGrant *grant;
  InstaSyncDiscovery  *discovery;
  GPtrArray           *accounts;
} ConnectData;

static void
connect_data_free (ConnectData *data)
{
  instasync_secret_free (data->token);
  g_clear_pointer (&data->grant, instasync_oauth_grant_free);
  g_clear_pointer (&data->discovery, instasync_discovery_free);
  g_clear_pointer (&data->accounts, g_ptr_array_unref);
  g_free (data);
}

static InstaSyncGraphClient *
new_graph_client (InstaSyncSyncManager *self)
{
  InstaSyncGraphClient *client = instasync_graph_client_new (self->config->graph_url,
                                                             self->config->graph_version);

  if (self->config->app_secret != NULL)
    instasync_graph_client_set_app_secret (client, self->config->app_secret);
  return client;
}

static void
check_token_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  InstaSyncSyncManager *self = source_object;
  ConnectData *data = task_data;
  g_autoptr(InstaSyncGraphClient) client = new_graph_client (self);
  g_autoptr(GError) error = NULL;

  data->grant = instasync_connect_check_token (client, self->config, data->token, cancellable,
                                               &error);
  if (data->grant != NULL)
    data->discovery = instasync_discover_accounts (client, data->grant->access_token, cancellable,
                                                   &error);

  if (data->discovery == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
add_accounts_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  InstaSyncSyncManager *self = source_object;
  ConnectData *data = task_data;
  g_autoptr(InstaSyncStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncSecret) token_key = NULL;
  g_autoptr(InstaSyncGraphClient) client = new_graph_client (self);
  GPtrArray *accounts;

  store = connect_store (self, &error);
  if (store != NULL)
    token_key = instasync_store_load_token_key (store, &error);
  if (token_key == NULL ||
      !instasync_connect_store_accounts (store, client, token_key, data->accounts, data->grant,
                                         cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  accounts = load_accounts (self, store, &error);
  if (accounts == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, accounts, (GDestroyNotify)g_ptr_array_unref);
}

/* Profile pictures */

static char *
avatar_cache_dir (void)
{
  const char *dir = g_getenv ("INSTASYNC_CACHE_DIR");

  if (dir != NULL && *dir != '\0')
    return g_build_filename (dir, "avatars", NULL);
  return g_build_filename (g_get_user_cache_dir (), "instasync", "avatars", NULL);
}

static void
load_avatar_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  InstaSyncSyncManager *self = source_object;
  const char *ig_user_id = task_data;
  g_autofree char *cache_dir = avatar_cache_dir ();
  g_autoptr(GHashTable) file_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(InstaSyncStore) store = NULL;
  g_autoptr(InstaSyncAccount) account = NULL;
  g_autoptr(InstaSyncGraphClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncSecret) token_key = NULL;
  g_autoptr(InstaSyncSecret) token = NULL;
  GBytes *image;

  image = instasync_avatar_cache_lookup (cache_dir, ig_user_id, INSTASYNC_AVATAR_MAX_AGE_SECONDS);
  if (image != NULL)
    {
      g_task_return_pointer (task, image, (GDestroyNotify)g_bytes_unref);
      return;
    }

  account = instasync_account_new (ig_user_id);
  instasync_account_set_source (account, "database");
  store = connect_store (self, &error);
  if (store != NULL)
    token_key = instasync_store_load_token_key (store, &error);
  if (token_key != NULL)
    token = instasync_account_resolver_get_token (store, account, file_tokens, token_key, &error);
  if (token == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  client = new_graph_client (self);
  image = instasync_avatar_fetch (client, token, ig_user_id, cancellable, &error);
  if (image == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A cache that cannot be written only costs a download next time. */
  if (!instasync_avatar_cache_store (cache_dir, ig_user_id, image, &error))
    g_debug ("Could not cache the picture: %s", error->message);

  g_task_return_pointer (task, image, (GDestroyNotify)g_bytes_unref);
}

static void
on_avatar_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  InstaSyncSyncManager *self = INSTASYNC_SYNC_MANAGER (object);
  g_autoptr(GTask) outer = user_data;
  g_autoptr(GError) error = NULL;
  GBytes *image = g_task_propagate_pointer (G_TASK (result), &error);

  if (image == NULL)
    {
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }

  g_hash_table_insert (self->avatars, g_strdup (g_task_get_task_data (G_TASK (result))),
                       g_bytes_ref (image));
  g_task_return_pointer (outer, image, (GDestroyNotify)g_bytes_unref);
}

/* Syncing */

typedef struct
{
  InstaSyncSyncManager *self;
  InstaSyncFetchResult *result;
} Progress;

static gboolean
progress_in_main (gpointer data)
{
  Progress *progress = data;
  InstaSyncSyncManager *self = progress->self;
  const char *ig_user_id = instasync_fetch_result_get_ig_user_id (progress->result);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));

  g_hash_table_remove (self->syncing_accounts, ig_user_id);
  g_hash_table_insert (self->last_results, g_strdup (ig_user_id), g_object_ref (progress->result));
  self->sync_done++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(InstaSyncAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      if (g_str_equal (instasync_account_get_ig_user_id (account), ig_user_id))
        {
          InstaSyncFetchStatus status = instasync_fetch_result_get_status (progress->result);

          if (status == INSTASYNC_FETCH_STATUS_SUCCEEDED || status == INSTASYNC_FETCH_STATUS_PARTIAL)
            instasync_account_set_last_synced_at (account,
                                                  instasync_fetch_result_get_finished_at (progress->result)
                                                  / G_USEC_PER_SEC);
          instasync_account_set_paused_until (account,
                                              instasync_fetch_result_get_paused_until (progress->result));
          if (instasync_fetch_result_get_action (progress->result) == INSTASYNC_ERROR_ACTION_RECONNECT)
            instasync_account_set_status (account, INSTASYNC_ACCOUNT_STATUS_NEEDS_RECONNECT);

          g_signal_emit (self, signals[ACCOUNT_SYNCED], 0, account, progress->result);
          break;
        }
    }

  return G_SOURCE_REMOVE;
}

static void
progress_free (gpointer data)
{
  Progress *progress = data;

  g_object_unref (progress->self);
  g_object_unref (progress->result);
  g_free (progress);
}

/* Called by the pool's workers as each account finishes. */
static void
on_pool_progress (gpointer data,
                  gpointer user_data)
{
  InstaSyncSyncManager *self = user_data;
  Progress *progress = g_new0 (Progress, 1);

  progress->self = g_object_ref (self);
  progress->result = g_object_ref (data);
  g_main_context_invoke_full (self->main_context, G_PRIORITY_DEFAULT, progress_in_main, progress,
                              progress_free);
}

typedef struct
{
  char      *only;       /* the one account to sync, or NULL */
  GPtrArray *accounts;   /* the accounts after the sync, for the model */
} SyncData;

static void
sync_data_free (SyncData *data)
{
  g_free (data->only);
  g_clear_pointer (&data->accounts, g_ptr_array_unref);
  g_free (data);
}

static void
sync_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  InstaSyncSyncManager *self = source_object;
  SyncData *data = task_data;
  g_autoptr(InstaSyncStore) store = NULL;
  g_autoptr(GHashTable) file_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify)instasync_sync_job_free);
  g_autoptr(InstaSyncSyncPool) pool = NULL;
  g_autoptr(InstaSyncTokenManager) tokens = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncSecret) token_key = NULL;
  InstaSyncSyncOptions options;

  store = connect_store (self, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  accounts = instasync_resolve_accounts (store, self->config->secrets_file, file_tokens, &error);
  if (accounts == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < accounts->len; i++)
    {
      InstaSyncAccount *account = g_ptr_array_index (accounts, i);
      g_autoptr(GError) token_error = NULL;
      g_autoptr(InstaSyncSecret) token = NULL;

      if (data->only != NULL && !g_str_equal (data->only, instasync_account_get_ig_user_id (account)))
        continue;

      if (token_key == NULL && g_strcmp0 (instasync_account_get_source (account), "database") == 0)
        {
          token_key = instasync_store_load_token_key (store, &error);
          if (token_key == NULL)
            {
              g_task_return_error (task, g_steal_pointer (&error));
              return;
            }
        }

      /* An account without a readable token fails on its own; a key that
       * decrypts nothing fails them all. */
      token = instasync_account_resolver_get_token (store, account, file_tokens, token_key,
                                                    &token_error);
      if (token == NULL && g_error_matches (token_error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY))
        {
          g_task_return_error (task, g_steal_pointer (&token_error));
          return;
        }
      g_ptr_array_add (jobs, instasync_sync_job_new (account, token));
    }

  instasync_sync_options_init (&options);
  options.metrics = (const char **)self->config->metrics;
  options.lookback_days = self->config->lookback_days;
  options.period_days = period_days;
  /* A newly connected account shows three months at once, not three days. */
  options.initial_days = INITIAL_HISTORY_DAYS;

  pool = instasync_sync_pool_new (self->config->graph_url, self->config->graph_version,
                                  self->conninfo, INSTASYNC_DEFAULT_CONNECTIONS);
  instasync_sync_pool_set_progress_func (pool, on_pool_progress, self);

  /* As in instasyncctl: tokens checked and refreshed before each account,
   * with the App Secret's proof on every call when there is one. */
  tokens = instasync_token_manager_new (self->config->app_id, self->config->app_secret,
                                        self->config->token_refresh_days);
  instasync_token_manager_set_token_key (tokens, token_key);
  instasync_sync_pool_set_token_manager (pool, tokens);

  results = instasync_sync_pool_run (pool, jobs, &options, cancellable);

  /* The statuses the sync left in the database, for the model. */
  data->accounts = load_accounts (self, store, NULL);

  g_task_return_pointer (task, g_steal_pointer (&results), (GDestroyNotify)g_ptr_array_unref);
}

/* The account page's data */

typedef struct
{
  char      *ig_user_id;
  char      *metric;
  guint      days;
  guint      limit;
  /* The account's days, as the API showed them (US-Pacific until known). */
  GTimeZone *zone;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->ig_user_id);
  g_free (data->metric);
  g_clear_pointer (&data->zone, g_time_zone_unref);
  g_free (data);
}

/* The zone that ends @ig_user_id's days, from the account in the model. */
static GTimeZone *
day_zone_of (InstaSyncSyncManager *self,
             const char           *ig_user_id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(InstaSyncAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      if (g_str_equal (instasync_account_get_ig_user_id (account), ig_user_id))
        return instasync_day_zone_new (instasync_account_get_day_zone (account));
    }

  return instasync_day_zone_new (NULL);
}

static GTask *
new_load_task (InstaSyncSyncManager *self,
               const char           *ig_user_id,
               const char           *metric,
               guint                 days,
               guint                 limit,
               gpointer              source_tag,
               GCancellable         *cancellable,
               GAsyncReadyCallback   callback,
               gpointer              user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  LoadData *data = g_new0 (LoadData, 1);

  data->ig_user_id = g_strdup (ig_user_id);
  data->metric = g_strdup (metric);
  data->zone = day_zone_of (self, ig_user_id);
  data->days = days;
  data->limit = limit;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify)load_data_free);
  /* A cancelled load still ends its thread; its answer is dropped then
   * (GTask checks the cancellable), so an old one never overwrites a newer. */
  return task;
}

static gboolean
is_daily (const InstaSyncInsightRow *row)
{
  /* One day of the account: 23 to 25 hours across the clock changes. */
  return row->end_time - row->window_start <= 25 * 3600 && *row->breakdown == '\0';
}

static gboolean
spans_days (const InstaSyncInsightRow *row,
            guint                      days)
{
  gint64 span = row->end_time - row->window_start;

  /* A total over whole days, give or take a clock change. */
  return *row->breakdown == '\0' && g_str_equal (row->metric_type, "total_value") &&
         ABS (span - (gint64)days * 86400) <= 3600;
}

/* [first day, last day] ending yesterday, in the account's days, as Unix
 * end_time bounds. */
static void
range_bounds (GTimeZone *zone,
              guint      days,
              guint      ago,
              gint64    *from,
              gint64    *to)
{
  GDate first, last;

  instasync_date_at (zone, g_get_real_time () / G_USEC_PER_SEC, &last);
  g_date_subtract_days (&last, 1 + ago);
  first = last;
  g_date_subtract_days (&first, days - 1);

  /* end_time is the closing midnight: the bounds are those of end times. */
  *from = instasync_day_end (zone, &first) - 1;
  *to = instasync_day_end (zone, &last) + 1;
}

static void
load_daily_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(InstaSyncStore) store = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (InstaSyncDailyValue));
  g_autoptr(GError) error = NULL;
  gint64 from, to;

  store = connect_store (source_object, &error);
  range_bounds (data->zone, data->days, 0, &from, &to);
  if (store != NULL)
    rows = instasync_store_query_insights (store, data->ig_user_id, data->metric, from, to, &error);
  if (rows == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < rows->len; i++)
    {
      InstaSyncInsightRow *row = g_ptr_array_index (rows, i);
      InstaSyncDailyValue value;
      GDate day;

      if (!is_daily (row))
        continue;

      instasync_day_of_end_time (data->zone, row->end_time, &day);
      value.julian_day = g_date_get_julian (&day);
      value.value = row->value;

      /* Rows come oldest first; a day stored in two shapes counts once. */
      if (values->len > 0 &&
          g_array_index (values, InstaSyncDailyValue, values->len - 1).julian_day == value.julian_day)
        continue;
      g_array_append_val (values, value);
    }

  g_task_return_pointer (task, g_steal_pointer (&values), (GDestroyNotify)g_array_unref);
}

/* A sum of daily values, or -1 when days are missing from the range (not
 * synced, or beyond what the API keeps, like follower_count's 30 days):
 * comparing it would compare apples with half an apple. The last days may
 * still be on their way, no more. */
static gint64
complete_sum (gint64 sum,
              guint  stored_days,
              guint  days)
{
  return stored_days > 0 && stored_days + 3 >= days ? sum : -1;
}

/* @metric over the @days days ending yesterday, and over the @days before
 * them, from one query: the stored period totals (the newest, and the one
 * that ends where it starts), or sums of daily values. -1 when unknown. */
static gboolean
range_figures (InstaSyncStore           *store,
               GTimeZone                *zone,
               const char               *ig_user_id,
               const char               *metric,
               guint                     days,
               gboolean                  period_total,
               InstaSyncOverviewFigure  *figure,
               GError                  **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  gint64 from, to, previous_from, previous_to;
  gint64 sums[2] = { 0, 0 };
  guint stored_days[2] = { 0, 0 };

  figure->current = figure->previous = -1;

  /* Totals are stored as of the day they were fetched (ending a few days
   * back): a margin finds the newest one. */
  range_bounds (zone, period_total ? 2 * days + 40 : 2 * days, 0, &from, &to);
  rows = instasync_store_query_insights (store, ig_user_id, metric, from, to, error);
  if (rows == NULL)
    return FALSE;

  if (period_total)
    {
      for (guint i = rows->len; i > 0; i--)
        {
          InstaSyncInsightRow *row = g_ptr_array_index (rows, i - 1);

          if (!spans_days (row, days))
            continue;

          figure->current = row->value;
          for (guint j = i - 1; j > 0; j--)
            {
              InstaSyncInsightRow *before = g_ptr_array_index (rows, j - 1);

              if (spans_days (before, days) && ABS (before->end_time - row->window_start) <= 3600)
                {
                  figure->previous = before->value;
                  break;
                }
            }
          break;
        }
      return TRUE;
    }

  /* Rows ending within the earlier range count for it, the others for the
   * current one. */
  range_bounds (zone, days, days, &previous_from, &previous_to);
  for (guint i = 0; i < rows->len; i++)
    {
      InstaSyncInsightRow *row = g_ptr_array_index (rows, i);
      guint which = row->end_time < previous_to ? 1 : 0;

      if (is_daily (row))
        {
          sums[which] += row->value;
          stored_days[which]++;
        }
    }

  figure->current = complete_sum (sums[0], stored_days[0], days);
  figure->previous = complete_sum (sums[1], stored_days[1], days);
  return TRUE;
}

static void
load_overview_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(InstaSyncStore) store = NULL;
  g_autoptr(GPtrArray) figures =
    g_ptr_array_new_with_free_func ((GDestroyNotify)instasync_overview_figure_free);
  g_autoptr(GError) error = NULL;

  store = connect_store (source_object, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (overview_metrics); i++)
    {
      InstaSyncOverviewFigure *figure = g_new0 (InstaSyncOverviewFigure, 1);
      gboolean period_total = g_strv_contains (period_total_metrics, overview_metrics[i]);
      gboolean offered = !period_total || data->days < INSTASYNC_METRIC_MAX_SPAN_DAYS;

      figure->metric = g_strdup (overview_metrics[i]);
      figure->offered = offered;
      g_ptr_array_add (figures, figure);
      if (!offered)
        {
          figure->current = figure->previous = -1;
          continue;
        }

      if (!range_figures (store, data->zone, data->ig_user_id, overview_metrics[i], data->days, period_total,
                          figure, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  g_task_return_pointer (task, g_steal_pointer (&figures), (GDestroyNotify)g_ptr_array_unref);
}

static void
load_history_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(InstaSyncStore) store = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = NULL;

  store = connect_store (source_object, &error);
  if (store != NULL)
    entries = instasync_store_list_sync_logs (store, data->ig_user_id, data->limit, &error);
  if (entries == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, entries, (GDestroyNotify)g_ptr_array_unref);
}

/* GObject overrides */

static void
instasync_sync_manager_dispose (GObject *object)
{
  InstaSyncSyncManager *self = INSTASYNC_SYNC_MANAGER (object);

  g_cancellable_cancel (self->sync_cancellable);
  g_clear_object (&self->sync_cancellable);

  if (self->embedded != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!instasync_embedded_db_stop (self->embedded, &error))
        g_warning ("The private database did not stop cleanly: %s", error->message);
      g_clear_object (&self->embedded);
    }

  g_clear_object (&self->accounts);

  G_OBJECT_CLASS (instasync_sync_manager_parent_class)->dispose (object);
}

static void
instasync_sync_manager_finalize (GObject *object)
{
  InstaSyncSyncManager *self = INSTASYNC_SYNC_MANAGER (object);

  g_clear_pointer (&self->config, instasync_config_free);
  g_clear_pointer (&self->conninfo, g_free);
  g_clear_pointer (&self->syncing_accounts, g_hash_table_unref);
  g_clear_pointer (&self->last_results, g_hash_table_unref);
  g_clear_pointer (&self->avatars, g_hash_table_unref);
  g_clear_pointer (&self->main_context, g_main_context_unref);

  G_OBJECT_CLASS (instasync_sync_manager_parent_class)->finalize (object);
}

static void
instasync_sync_manager_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  InstaSyncSyncManager *self = INSTASYNC_SYNC_MANAGER (object);

  switch (prop_id)
    {
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;
    case PROP_SYNCING:
      g_value_set_boolean (value, self->syncing);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, instasync_sync_manager_get_progress (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
instasync_sync_manager_class_init (InstaSyncSyncManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = instasync_sync_manager_dispose;
  object_class->finalize = instasync_sync_manager_finalize;
  object_class->get_property = instasync_sync_manager_get_property;

  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYNCING] =
    g_param_spec_boolean ("syncing", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* An account's sync finished: the account (from the model) and its result. */
  signals[ACCOUNT_SYNCED] =
    g_signal_new ("account-synced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2,
                  INSTASYNC_TYPE_ACCOUNT, INSTASYNC_TYPE_FETCH_RESULT);
}

static void
instasync_sync_manager_init (InstaSyncSyncManager *self)
{
  self->accounts = g_list_store_new (INSTASYNC_TYPE_ACCOUNT);
  self->syncing_accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->last_results = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->avatars = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_bytes_unref);
  self->main_context = g_main_context_ref_thread_default ();
}

/* Public API */

InstaSyncSyncManager *
instasync_sync_manager_new (InstaSyncConfig *config)
{
  InstaSyncSyncManager *self;

  g_return_val_if_fail (config != NULL, NULL);

  self = g_object_new (INSTASYNC_TYPE_SYNC_MANAGER, NULL);
  self->config = config;
  return self;
}

void
instasync_sync_manager_close (InstaSyncSyncManager *self)
{
  g_return_if_fail (INSTASYNC_IS_SYNC_MANAGER (self));

  g_cancellable_cancel (self->sync_cancellable);

  /* The private cluster stops when its last client leaves; this process's
   * own connections close with their threads. */
  if (self->embedded != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!instasync_embedded_db_stop (self->embedded, &error))
        g_warning ("The private database did not stop cleanly: %s", error->message);
      g_clear_object (&self->embedded);
    }
}

void
instasync_sync_manager_set_app_secret (InstaSyncSyncManager *self,
                                       const char           *app_secret)
{
  g_return_if_fail (INSTASYNC_IS_SYNC_MANAGER (self));
  g_return_if_fail (!self->syncing);

  instasync_secret_free (self->config->app_secret);
  self->config->app_secret = instasync_secret_new (app_secret);
}

const InstaSyncConfig *
instasync_sync_manager_get_config (InstaSyncSyncManager *self)
{
  g_return_val_if_fail (INSTASYNC_IS_SYNC_MANAGER (self), NULL);

  return self->config;
}

void
instasync_sync_manager_open_async (InstaSyncSyncManager *self,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (INSTASYNC_IS_SYNC_MANAGER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, instasync_sync_manager_open_async);

  if (self->conninfo != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_EXISTS, _("The database is open already"));
      return;
    }

  g_task_run_in_thread (task, open_thread);
}

gboolean
instasync_sync_manager_open_finish (InstaSyncSyncManager  *self,
                                    GAsyncResult          *result,
                                    GError               **error)
{
  g_autoptr(GPtrArray) accounts = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  accounts = g_task_propagate_pointer (G_TASK (result), error);
  if (accounts == NULL)
    return FALSE;

  /* Ready first: rows bound while the accounts arrive can then load
   * their pictures. */
  self->ready = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
  merge_accounts (self, accounts);
  return TRUE;
}

gboolean
instasync_sync_manager_get_ready (InstaSyncSyncManager *self)
{
  g_return_val_if_fail (INSTASYNC_IS_SYNC_MANAGER (self), FALSE);

  return self->ready;
}

GListModel *
instasync_sync_manager_get_accounts (InstaSyncSyncManager *self)
{
  g_return_val_if_fail (INSTASYNC_IS_SYNC_MANAGER (self), NULL);

  return G_LIST_MODEL (self->accounts);
}

static void
reload_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  g_autoptr(InstaSyncStore) store = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *accounts = NULL;

  store = connect_store (source_object, &error);
  if (store != NULL)
    accounts = load_accounts (source_object, store, &error);
  if (accounts == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, accounts, (GDestroyNotify)g_ptr_array_unref);
}

/* The accounts go into the model whether or not the caller asks for the
 * result: after a reload, and after accounts were added. */
static void
on_accounts_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;

  accounts = g_task_propagate_pointer (G_TASK (result), &error);
  if (accounts == NULL)
    {
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }

  merge_accounts (INSTASYNC_SYNC_MANAGER (object), accounts);
  g_task_return_boolean (outer, TRUE);
}

void
instasync_sync_manager_reload_async (InstaSyncSyncManager *self,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (INSTASYNC_IS_SYNC_MANAGER (self));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, instasync_sync_manager_reload_async);
  /* The connection settings are written by the opening thread: nobody
   * reads them before it is done. */
  if (!self->ready)
    {
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("The database is not open yet"));
      return;
    }

  /* What the thread did is merged whatever happens to the caller's wait. */
  task = g_task_new (self, NULL, on_accounts_loaded_cb, g_steal_pointer (&outer));
  g_task_set_source_tag (task, reload_thread);
  g_task_run_in_thread (task, reload_thread);
}

gboolean
instasync_sync_manager_reload_finish (InstaSyncSyncManager  *self,
                                      GAsyncResult          *result,
                                      GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
instasync_sync_manager_load_avatar_async (InstaSyncSyncManager *self,
                                          const char           *ig_user_id,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) task = NULL;
  GBytes *known;

  g_return_if_fail (INSTASYNC_IS_SYNC_MANAGER (self));
  g_return_if_fail (ig_user_id != NULL);

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, instasync_sync_manager_load_avatar_async);

  known = g_hash_table_lookup (self->avatars, ig_user_id);
  if (known != NULL)
    {
      g_task_return_pointer (outer, g_bytes_ref (known), (GDestroyNotify)g_bytes_unref);
      return;
    }
  if (!self->ready)
    {
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("The database is not open yet"));
      return;
    }

  task = g_task_new (self, cancellable, on_avatar_loaded_cb, g_steal_pointer (&outer));
  g_task_set_source_tag (task, load_avatar_thread);
  g_task_set_task_data (task, g_strdup (ig_user_id), g_free);
  g_task_run_in_thread (task, load_avatar_thread);
}

GBytes *
instasync_sync_manager_load_avatar_finish (InstaSyncSyncManager  *self,
                                           GAsyncResult          *result,
                                           GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
instasync_sync_manager_check_token_async (InstaSyncSyncManager *self,
                                          const char           *token,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  ConnectData *data;

  g_return_if_fail (INSTASYNC_IS_SYNC_MANAGER (self));

  data = g_new0 (ConnectData, 1);
  data->token = g_strdup (token != NULL ? token : "");
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, instasync_sync_manager_check_token_async);
  g_task_set_task_data (task, data, (GDestroyNotify)connect_data_free);
  g_task_run_in_thread (task, check_token_thread);
}

InstaSyncOAuthGrant *
instasync_sync_manager_check_token_finish (InstaSyncSyncManager  *self,
                                           GAsyncResult          *result,
                                           InstaSyncDiscovery   **discovery,
                                           GError               **error)
{
  ConnectData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (discovery != NULL, NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;

  data = g_task_get_task_data (G_TASK (result));
  *discovery = g_steal_pointer (&data->discovery);
  return g_steal_pointer (&data->grant);
}

void
instasync_sync_manager_add_accounts_async (InstaSyncSyncManager *self,
                                           GPtrArray            *accounts,
                                           InstaSyncOAuthGrant  *grant,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) task = NULL;
  ConnectData *data;

  g_return_if_fail (INSTASYNC_IS_SYNC_MANAGER (self));
  g_return_if_fail (accounts != NULL);
  g_return_if_fail (grant != NULL);

  data = g_new0 (ConnectData, 1);
  data->accounts = g_ptr_array_ref (accounts);
  data->grant = grant;

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, instasync_sync_manager_add_accounts_async);
  if (!self->ready)
    {
      connect_data_free (data);
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("The database is not open yet"));
      return;
    }

  /* Once stored, the accounts join the model even if the dialog gave up
   * waiting. */
  task = g_task_new (self, NULL, on_accounts_loaded_cb, g_steal_pointer (&outer));
  g_task_set_source_tag (task, add_accounts_thread);
  g_task_set_task_data (task, data, (GDestroyNotify)connect_data_free);
  g_task_run_in_thread (task, add_accounts_thread);
}

gboolean
instasync_sync_manager_add_accounts_finish (InstaSyncSyncManager  *self,
                                            GAsyncResult          *result,
                                            GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
set_syncing (InstaSyncSyncManager *self,
             gboolean              syncing)
{
  if (self->syncing == syncing)
    return;

  self->syncing = syncing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

static void
on_sync_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  InstaSyncSyncManager *self = INSTASYNC_SYNC_MANAGER (object);
  g_autoptr(GTask) outer = user_data;
  SyncData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  GPtrArray *results;

  results = g_task_propagate_pointer (G_TASK (result), &error);

  /* Progress reports queued by the workers come before this callback (the
   * same context, queued earlier), so the model is complete here. */
  if (data->accounts != NULL)
    merge_accounts (self, data->accounts);

  g_hash_table_remove_all (self->syncing_accounts);
  g_clear_object (&self->sync_cancellable);
  set_syncing (self, FALSE);

  if (results == NULL)
    g_task_return_error (outer, g_steal_pointer (&error));
  else
    g_task_return_pointer (outer, results, (GDestroyNotify)g_ptr_array_unref);
}

/* Also called at once for a cancellable cancelled already. */
static void
cancel_with (GCancellable *cancellable,
             gpointer      data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

void
instasync_sync_manager_sync_async (InstaSyncSyncManager *self,
                                   const char           *ig_user_id,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) task = NULL;
  SyncData *data;
  guint n;

  g_return_if_fail (INSTASYNC_IS_SYNC_MANAGER (self));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, instasync_sync_manager_sync_async);

  if (!self->ready)
    {
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("The database is not open yet"));
      return;
    }
  if (self->syncing)
    {
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_PENDING, _("A sync is running already"));
      return;
    }

  /* The whole sync answers to its own cancellable, which the caller's and
   * cancel_sync() both reach. */
  self->sync_cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    g_cancellable_connect (cancellable, G_CALLBACK (cancel_with), g_object_ref (self->sync_cancellable),
                           g_object_unref);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(InstaSyncAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);
      const char *id = instasync_account_get_ig_user_id (account);

      if (ig_user_id == NULL || g_str_equal (ig_user_id, id))
        g_hash_table_add (self->syncing_accounts, g_strdup (id));
    }
  self->sync_total = g_hash_table_size (self->syncing_accounts);
  self->sync_done = 0;
  set_syncing (self, TRUE);

  data = g_new0 (SyncData, 1);
  data->only = g_strdup (ig_user_id);
  task = g_task_new (self, self->sync_cancellable, on_sync_done_cb, g_steal_pointer (&outer));
  g_task_set_source_tag (task, sync_thread);
  g_task_set_task_data (task, data, (GDestroyNotify)sync_data_free);
  g_task_run_in_thread (task, sync_thread);
}

GPtrArray *
instasync_sync_manager_sync_finish (InstaSyncSyncManager  *self,
                                    GAsyncResult          *result,
                                    GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
instasync_sync_manager_cancel_sync (InstaSyncSyncManager *self)
{
  g_return_if_fail (INSTASYNC_IS_SYNC_MANAGER (self));

  g_cancellable_cancel (self->sync_cancellable);
}

gboolean
instasync_sync_manager_get_syncing (InstaSyncSyncManager *self)
{
  g_return_val_if_fail (INSTASYNC_IS_SYNC_MANAGER (self), FALSE);

  return self->syncing;
}

double
instasync_sync_manager_get_progress (InstaSyncSyncManager *self)
{
  g_return_val_if_fail (INSTASYNC_IS_SYNC_MANAGER (self), 0.0);

  if (!self->syncing || self->sync_total == 0)
    return 0.0;

  return MIN (1.0, (double)self->sync_done / self->sync_total);
}

gboolean
instasync_sync_manager_is_syncing_account (InstaSyncSyncManager *self,
                                           const char           *ig_user_id)
{
  g_return_val_if_fail (INSTASYNC_IS_SYNC_MANAGER (self), FALSE);

  return ig_user_id != NULL && g_hash_table_contains (self->syncing_accounts, ig_user_id);
}

InstaSyncFetchResult *
instasync_sync_manager_get_last_result (InstaSyncSyncManager *self,
                                        const char           *ig_user_id)
{
  g_return_val_if_fail (INSTASYNC_IS_SYNC_MANAGER (self), NULL);

  return ig_user_id != NULL ? g_hash_table_lookup (self->last_results, ig_user_id) : NULL;
}

void
instasync_sync_manager_load_daily_async (InstaSyncSyncManager *self,
                                         const char           *ig_user_id,
                                         const char           *metric,
                                         guint                 days,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (INSTASYNC_IS_SYNC_MANAGER (self));
  g_return_if_fail (ig_user_id != NULL && metric != NULL && days > 0);

  task = new_load_task (self, ig_user_id, metric, days, 0, instasync_sync_manager_load_daily_async,
                        cancellable, callback, user_data);
  g_task_run_in_thread (task, load_daily_thread);
}

GArray *
instasync_sync_manager_load_daily_finish (InstaSyncSyncManager  *self,
                                          GAsyncResult          *result,
                                          GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
instasync_sync_manager_load_overview_async (InstaSyncSyncManager *self,
                                            const char           *ig_user_id,
                                            guint                 days,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (INSTASYNC_IS_SYNC_MANAGER (self));
  g_return_if_fail (ig_user_id != NULL && days > 0);

  task = new_load_task (self, ig_user_id, NULL, days, 0, instasync_sync_manager_load_overview_async,
                        cancellable, callback, user_data);
  g_task_run_in_thread (task, load_overview_thread);
}

GPtrArray *
instasync_sync_manager_load_overview_finish (InstaSyncSyncManager  *self,
                                             GAsyncResult          *result,
                                             GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
instasync_sync_manager_load_history_async (InstaSyncSyncManager *self,
                                           const char           *ig_user_id,
                                           guint                 limit,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (INSTASYNC_IS_SYNC_MANAGER (self));
  g_return_if_fail (ig_user_id != NULL);

  task = new_load_task (self, ig_user_id, NULL, 0, limit, instasync_sync_manager_load_history_async,
                        cancellable, callback, user_data);
  g_task_run_in_thread (task, load_history_thread);
}

GPtrArray *
instasync_sync_manager_load_history_finish (InstaSyncSyncManager  *self,
                                            GAsyncResult          *result,
                                            GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
