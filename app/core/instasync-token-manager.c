/* instasync-token-manager.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-tokens"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "instasync-error.h"
#include "instasync-graph-error.h"
#include "instasync-graph-tokens.h"
#include "instasync-secret.h"
#include "instasync-token-manager.h"

#define SECONDS_PER_DAY (24 * 60 * 60)

/* What the API said about one token, shared by the accounts that use it:
 * an agency's system user token serves many accounts, and one answer does
 * for all of them. */
typedef struct
{
  gint64    expires_at;              /* 0: never */
  gint64    data_access_expires_at;  /* 0: never or not said */
} LearnedExpiry;

/* A token the exchange gave for an old one, for the other accounts that
 * stored the same old token. */
typedef struct
{
  char   *token;
  gint64  expires_at;               /* INSTASYNC_TOKEN_EXPIRY_UNKNOWN when not said */
} RefreshedToken;

struct _InstaSyncTokenManager
{
  GObject     parent_instance;

  char       *app_id;
  char       *app_secret;
  char       *token_key;
  guint       refresh_days;

  /* Both keyed by the SHA-256 of the token, so that no table holds the
   * token itself as a key; guarded by lock. */
  GMutex      lock;
  GHashTable *learned;               /* digest → LearnedExpiry */
  GHashTable *refreshed;             /* digest of the old token → RefreshedToken */
};

G_DEFINE_FINAL_TYPE (InstaSyncTokenManager, instasync_token_manager, G_TYPE_OBJECT)

/* Auxiliary */

static void
refreshed_token_free (RefreshedToken *refreshed)
{
  instasync_secret_free (refreshed->token);
  g_free (refreshed);
}

static char *
digest (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

/* "2026-05-01 14:00 UTC" */
static char *
format_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (unix_seconds);

  if (when == NULL)
    return g_strdup ("?");
  return g_date_time_format (when, "%Y-%m-%d %H:%M UTC");
}

static void
set_report (InstaSyncTokenReport *report,
            InstaSyncTokenStatus  status,
            char                 *message)
{
  report->status = status;
  g_free (report->message);
  report->message = message;
}

static gboolean
is_managed (InstaSyncAccount *account)
{
  /* A secrets-file account has no row to record anything in. */
  return g_strcmp0 (instasync_account_get_source (account), "database") == 0;
}

/* The account's new status, on the object and in its row. A row that
 * cannot be written is not worth failing a sync over: the next check finds
 * the same and tries again. */
static void
mark_account (InstaSyncStore   *store,
              InstaSyncAccount *account,
              const char       *status,
              const char       *reason)
{
  g_autoptr(GError) error = NULL;

  instasync_account_set_status (account, status);
  instasync_account_set_status_reason (account, reason);

  if (!instasync_store_set_account_status_reason (store, instasync_account_get_ig_user_id (account),
                                                  status, reason, &error))
    g_debug ("Could not record the status of account %s: %s",
             instasync_account_get_ig_user_id (account), error->message);
}

static void
set_account_expiry (InstaSyncAccount *account,
                    gint64            expires_at,   /* 0 never, < 0 unknown */
                    gint64            data_access)  /* 0 never or unknown */
{
  instasync_account_set_token_never_expires (account, expires_at == 0);
  instasync_account_set_token_expires_at (account, MAX (expires_at, 0));
  if (data_access >= 0)
    instasync_account_set_data_access_expires_at (account, data_access);
}

static void
expired (InstaSyncTokenReport *report,
         InstaSyncStore       *store,
         InstaSyncAccount     *account,
         gboolean              dead,
         char                 *message)
{
  mark_account (store, account, INSTASYNC_ACCOUNT_STATUS_NEEDS_RECONNECT, message);
  report->dead = report->dead || dead;
  set_report (report, INSTASYNC_TOKEN_STATUS_EXPIRED, message);
}

static void
expiring (InstaSyncTokenReport *report,
          InstaSyncStore       *store,
          InstaSyncAccount     *account,
          char                 *message)
{
  mark_account (store, account, INSTASYNC_ACCOUNT_STATUS_EXPIRING, message);
  set_report (report, INSTASYNC_TOKEN_STATUS_EXPIRING, message);
}

/* Stores what was learned about @token, unless @token is no longer the
 * account's stored token: between the account being read and this write
 * another worker may have rotated in a new token, and the old token's
 * expiry must not land on it. The account object keeps @token's expiry:
 * it is the token this run holds. */
static void
record_expiry (InstaSyncTokenManager *self,
               InstaSyncStore        *store,
               InstaSyncAccount      *account,
               const char            *token,
               const LearnedExpiry   *learned)
{
  const char *ig_user_id = instasync_account_get_ig_user_id (account);
  gint64 data_access = learned->data_access_expires_at > 0 ? learned->data_access_expires_at
                                                           : INSTASYNC_TOKEN_EXPIRY_UNKNOWN;
  g_autoptr(GError) error = NULL;

  if (self->token_key == NULL)
    {
      /* Without the key the stored token cannot be compared. */
      g_debug ("No token key: the token expiry of account %s is not recorded", ig_user_id);
      return;
    }

  if (instasync_store_set_token_expiry_if_current (store, ig_user_id, token, learned->expires_at,
                                                   data_access, self->token_key, &error))
    return;

  if (g_error_matches (error, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFLICT))
    g_debug ("The token of account %s was replaced meanwhile: the expiry learned for the "
             "old one is not recorded", ig_user_id);
  else
    g_debug ("Could not record the token expiry of account %s: %s", ig_user_id, error->message);
}

/* Asks debug_token when the token expires, and records the answer. FALSE
 * when the expiry is still unknown afterwards (the report says why). */
static gboolean
learn_expiry (InstaSyncTokenManager *self,
              InstaSyncGraphClient  *client,
              InstaSyncStore        *store,
              InstaSyncAccount      *account,
              const char            *token,
              InstaSyncTokenReport  *report,
              GCancellable          *cancellable)
{
  g_autofree char *key = digest (token);
  g_autoptr(InstaSyncTokenInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  gboolean as_app = self->app_id != NULL && self->app_secret != NULL;
  LearnedExpiry learned = { 0, };
  LearnedExpiry *cached;

  g_mutex_lock (&self->lock);
  cached = g_hash_table_lookup (self->learned, key);
  if (cached != NULL)
    learned = *cached;
  g_mutex_unlock (&self->lock);

  if (cached == NULL)
    {
      report->api_calls++;
      info = instasync_graph_client_debug_token (client, token,
                                                 as_app ? self->app_id : NULL,
                                                 as_app ? self->app_secret : NULL,
                                                 cancellable, &error);
      if (info == NULL)
        {
          /* Asked with the token itself, a refusal is about the token. With
           * the app's token it is about the app (its ID or secret). */
          if (!as_app && instasync_token_error_is_dead (error))
            {
              expired (report, store, account, TRUE,
                       g_strdup_printf (_("Instagram no longer accepts the access token (%s); "
                                          "reconnect the account"), error->message));
              return FALSE;
            }

          set_report (report, INSTASYNC_TOKEN_STATUS_UNCHECKED,
                      g_strdup_printf (_("Could not learn when the access token expires: %s"),
                                       error->message));
          return FALSE;
        }

      if (!info->is_valid)
        {
          expired (report, store, account, TRUE,
                   g_strdup_printf (_("Instagram says the access token is no longer valid (%s); "
                                      "reconnect the account"),
                                    info->error_message != NULL ? info->error_message : "190"));
          return FALSE;
        }

      learned.expires_at = info->expires_at;
      learned.data_access_expires_at = info->data_access_expires_at;

      g_mutex_lock (&self->lock);
      if (!g_hash_table_contains (self->learned, key))
        g_hash_table_insert (self->learned, g_strdup (key), g_memdup2 (&learned, sizeof learned));
      g_mutex_unlock (&self->lock);
    }

  record_expiry (self, store, account, token, &learned);

  set_account_expiry (account, learned.expires_at, learned.data_access_expires_at);
  return TRUE;
}

/* A new token for @old: one exchange per old token and run, shared by the
 * accounts that stored the same one. NULL with @error set when the API
 * refused or could not be reached. */
static char *
exchange (InstaSyncTokenManager *self,
          InstaSyncGraphClient  *client,
          const char            *old,
          gint64                 now,
          gint64                *expires_at,
          InstaSyncTokenReport  *report,
          GCancellable          *cancellable,
          GError               **error)
{
  g_autofree char *key = digest (old);
  RefreshedToken *cached;
  char *fresh = NULL;
  gint64 expires_in = 0;

  g_mutex_lock (&self->lock);
  cached = g_hash_table_lookup (self->refreshed, key);
  if (cached != NULL)
    {
      fresh = g_strdup (cached->token);
      *expires_at = cached->expires_at;
    }
  g_mutex_unlock (&self->lock);

  if (fresh != NULL)
    return fresh;

  report->api_calls++;
  fresh = instasync_graph_client_exchange_token (client, old, self->app_id, self->app_secret,
                                                 &expires_in, cancellable, error);
  if (fresh == NULL)
    return NULL;

  /* Without a lifetime the expiry is learned again, with debug_token. */
  *expires_at = expires_in > 0 ? now + expires_in : INSTASYNC_TOKEN_EXPIRY_UNKNOWN;

  g_mutex_lock (&self->lock);
  if (!g_hash_table_contains (self->refreshed, key))
    {
      RefreshedToken *entry = g_new0 (RefreshedToken, 1);

      entry->token = g_strdup (fresh);
      entry->expires_at = *expires_at;
      g_hash_table_insert (self->refreshed, g_strdup (key), entry);
    }
  g_mutex_unlock (&self->lock);

  return fresh;
}

/* Refreshes a token that expires at @expires_at, soon. */
static void
refresh (InstaSyncTokenManager *self,
         InstaSyncGraphClient  *client,
         InstaSyncStore        *store,
         InstaSyncAccount      *account,
         char                 **access_token,
         gint64                 expires_at,
         gint64                 now,
         InstaSyncTokenReport  *report,
         GCancellable          *cancellable)
{
  const char *ig_user_id = instasync_account_get_ig_user_id (account);
  g_autofree char *when = format_time (expires_at);
  g_autoptr(GError) error = NULL;
  char *fresh;
  gint64 fresh_expires = INSTASYNC_TOKEN_EXPIRY_UNKNOWN;

  if (!instasync_token_manager_can_refresh (self))
    {
      expiring (report, store, account,
                g_strdup_printf (_("The access token expires on %s and no App Secret is "
                                   "configured to refresh it; reconnect the account before then"),
                                 when));
      return;
    }

  fresh = exchange (self, client, *access_token, now, &fresh_expires, report, cancellable, &error);
  if (fresh == NULL)
    {
      /* It expired (or was revoked) between the check and the refresh:
       * nothing was changed, and nothing can be done without the person. */
      if (instasync_token_error_is_dead (error))
        {
          expired (report, store, account, TRUE,
                   g_strdup_printf (_("The access token expired before it could be refreshed "
                                      "(%s); reconnect the account. Nothing was changed"),
                                    error->message));
          return;
        }

      expiring (report, store, account,
                g_strdup_printf (_("The access token expires on %s and could not be refreshed "
                                   "(%s); the next sync tries again"), when, error->message));
      return;
    }

  /* Whether the API extends a token that is long-lived already is not
   * known (reference §5.2): it may hand back the same token with what it
   * has left, or a new one that lives no longer. Neither buys any time, so
   * neither is a refresh: nothing is stored, the current token stays in
   * use, and the person is told the date to reconnect by. */
  if (g_str_equal (fresh, *access_token) || (fresh_expires > 0 && fresh_expires <= expires_at))
    {
      instasync_secret_free (fresh);
      expiring (report, store, account,
                g_strdup_printf (_("Instagram did not extend the access token, which still "
                                   "expires on %s; reconnect the account before then"), when));
      return;
    }

  if (!instasync_store_rotate_token (store, ig_user_id, *access_token, fresh, fresh_expires,
                                     self->token_key, &error))
    {
      if (g_error_matches (error, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFLICT))
        {
          /* Another worker stored a new token first: that one is the token. */
          g_autoptr(GError) read_error = NULL;
          g_autofree char *stored = instasync_store_get_token (store, ig_user_id, self->token_key,
                                                              &read_error);
          gint64 stored_expires = INSTASYNC_TOKEN_EXPIRY_UNKNOWN;
          gint64 stored_data_access = INSTASYNC_TOKEN_EXPIRY_UNKNOWN;

          instasync_secret_free (fresh);
          if (stored == NULL ||
              !instasync_store_get_token_expiry (store, ig_user_id, &stored_expires,
                                                 &stored_data_access, &read_error))
            {
              set_report (report, INSTASYNC_TOKEN_STATUS_EXPIRING,
                          g_strdup_printf (_("The access token was replaced while it was being "
                                             "refreshed, and the new one could not be read: %s"),
                                           read_error->message));
              return;
            }

          instasync_secret_free (*access_token);
          *access_token = g_steal_pointer (&stored);
          set_account_expiry (account, stored_expires, -1);
          instasync_account_set_status (account, INSTASYNC_ACCOUNT_STATUS_ACTIVE);
          instasync_account_set_status_reason (account, NULL);
          report->expires_at = MAX (stored_expires, 0);
          report->never_expires = stored_expires == 0;
          set_report (report, INSTASYNC_TOKEN_STATUS_REFRESHED,
                      g_strdup (_("The access token was refreshed by another sync running at "
                                  "the same time; that token is used")));
          return;
        }

      /* The old token is still the stored one, and still works: use it,
       * and try again next time. The new one is dropped. */
      instasync_secret_free (fresh);
      expiring (report, store, account,
                g_strdup_printf (_("A new access token was obtained but could not be stored "
                                   "(%s); the current one keeps working until %s and the next "
                                   "sync tries again"), error->message, when));
      return;
    }

  instasync_secret_free (*access_token);
  *access_token = fresh;

  set_account_expiry (account, fresh_expires, -1);
  instasync_account_set_status (account, INSTASYNC_ACCOUNT_STATUS_ACTIVE);
  instasync_account_set_status_reason (account, NULL);
  report->expires_at = MAX (fresh_expires, 0);
  report->never_expires = fresh_expires == 0;

  if (fresh_expires > 0)
    {
      g_autofree char *fresh_when = format_time (fresh_expires);

      set_report (report, INSTASYNC_TOKEN_STATUS_REFRESHED,
                  g_strdup_printf (_("The access token was refreshed; the new one expires on %s"),
                                   fresh_when));
    }
  else
    {
      set_report (report, INSTASYNC_TOKEN_STATUS_REFRESHED,
                  g_strdup (_("The access token was refreshed")));
    }
}

/* GObject overrides */

static void
instasync_token_manager_finalize (GObject *object)
{
  InstaSyncTokenManager *self = (InstaSyncTokenManager *)object;

  g_clear_pointer (&self->app_id, g_free);
  g_clear_pointer (&self->app_secret, instasync_secret_free);
  g_clear_pointer (&self->token_key, instasync_secret_free);
  g_clear_pointer (&self->learned, g_hash_table_unref);
  g_clear_pointer (&self->refreshed, g_hash_table_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (instasync_token_manager_parent_class)->finalize (object);
}

static void
instasync_token_manager_class_init (InstaSyncTokenManagerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = instasync_token_manager_finalize;
}

static void
instasync_token_manager_init (InstaSyncTokenManager *self)
{
  g_mutex_init (&self->lock);
  self->learned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->refreshed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify)refreshed_token_free);
  self->refresh_days = 7;
}

/* Public API */

void
instasync_token_report_clear (InstaSyncTokenReport *report)
{
  g_return_if_fail (report != NULL);

  g_clear_pointer (&report->message, g_free);
  memset (report, 0, sizeof *report);
}

void
instasync_token_report_apply (InstaSyncTokenReport *report,
                              InstaSyncFetchResult *result)
{
  g_return_if_fail (report != NULL);
  g_return_if_fail (INSTASYNC_IS_FETCH_RESULT (result));

  instasync_fetch_result_set_token (result, report->status, report->expires_at,
                                    report->never_expires, report->message);
  instasync_fetch_result_add_token_calls (result, report->api_calls);
}

gboolean
instasync_token_error_is_dead (const GError *error)
{
  /* 102 is the older "session" form of the same news. */
  return g_error_matches (error, INSTASYNC_GRAPH_ERROR, 190) ||
         g_error_matches (error, INSTASYNC_GRAPH_ERROR, 102);
}

InstaSyncTokenManager *
instasync_token_manager_new (const char *app_id,
                             const char *app_secret,
                             guint       refresh_days)
{
  InstaSyncTokenManager *self = g_object_new (INSTASYNC_TYPE_TOKEN_MANAGER, NULL);

  if (app_id != NULL && *app_id != '\0')
    self->app_id = g_strdup (app_id);
  if (app_secret != NULL && *app_secret != '\0')
    self->app_secret = g_strdup (app_secret);
  self->refresh_days = refresh_days;

  return self;
}

void
instasync_token_manager_set_token_key (InstaSyncTokenManager *self,
                                       const char            *token_key)
{
  g_return_if_fail (INSTASYNC_IS_TOKEN_MANAGER (self));

  g_clear_pointer (&self->token_key, instasync_secret_free);
  if (token_key != NULL && *token_key != '\0')
    self->token_key = g_strdup (token_key);
}

gboolean
instasync_token_manager_can_refresh (InstaSyncTokenManager *self)
{
  g_return_val_if_fail (INSTASYNC_IS_TOKEN_MANAGER (self), FALSE);

  return self->app_id != NULL && self->app_secret != NULL && self->token_key != NULL;
}

void
instasync_token_manager_configure_client (InstaSyncTokenManager *self,
                                          InstaSyncGraphClient  *client)
{
  g_return_if_fail (INSTASYNC_IS_TOKEN_MANAGER (self));
  g_return_if_fail (INSTASYNC_IS_GRAPH_CLIENT (client));

  instasync_graph_client_set_app_secret (client, self->app_secret);
}

InstaSyncTokenStatus
instasync_token_manager_check (InstaSyncTokenManager *self,
                               InstaSyncGraphClient  *client,
                               InstaSyncStore        *store,
                               InstaSyncAccount      *account,
                               char                 **access_token,
                               gint64                 now,
                               gboolean               learn,
                               InstaSyncTokenReport  *report,
                               GCancellable          *cancellable)
{
  gint64 threshold;
  gint64 expires_at;
  gint64 data_access;
  gboolean never;

  g_return_val_if_fail (INSTASYNC_IS_TOKEN_MANAGER (self), INSTASYNC_TOKEN_STATUS_UNCHECKED);
  g_return_val_if_fail (INSTASYNC_IS_GRAPH_CLIENT (client), INSTASYNC_TOKEN_STATUS_UNCHECKED);
  g_return_val_if_fail (INSTASYNC_IS_STORE (store), INSTASYNC_TOKEN_STATUS_UNCHECKED);
  g_return_val_if_fail (INSTASYNC_IS_ACCOUNT (account), INSTASYNC_TOKEN_STATUS_UNCHECKED);
  g_return_val_if_fail (access_token != NULL, INSTASYNC_TOKEN_STATUS_UNCHECKED);
  g_return_val_if_fail (report != NULL, INSTASYNC_TOKEN_STATUS_UNCHECKED);

  instasync_token_report_clear (report);

  if (!is_managed (account) || *access_token == NULL || **access_token == '\0')
    return INSTASYNC_TOKEN_STATUS_UNCHECKED;

  /* Marked earlier: only a reconnect (a new token) clears that. */
  if (g_strcmp0 (instasync_account_get_status (account),
                 INSTASYNC_ACCOUNT_STATUS_NEEDS_RECONNECT) == 0)
    {
      const char *reason = instasync_account_get_status_reason (account);

      set_report (report, INSTASYNC_TOKEN_STATUS_EXPIRED,
                  g_strdup (reason != NULL ? reason
                                           : _("The account needs to be reconnected")));
      return report->status;
    }

  never = instasync_account_get_token_never_expires (account);
  if (!never && instasync_account_get_token_expires_at (account) == 0)
    {
      if (!learn || !learn_expiry (self, client, store, account, *access_token, report,
                                   cancellable))
        return report->status;
      never = instasync_account_get_token_never_expires (account);
    }

  expires_at = instasync_account_get_token_expires_at (account);
  data_access = instasync_account_get_data_access_expires_at (account);
  threshold = now + (gint64)self->refresh_days * SECONDS_PER_DAY;
  report->expires_at = never ? 0 : expires_at;
  report->never_expires = never;

  if (!never && expires_at <= now)
    {
      g_autofree char *when = format_time (expires_at);

      expired (report, store, account, TRUE,
               g_strdup_printf (_("The access token expired on %s; reconnect the account"), when));
      return report->status;
    }

  set_report (report, INSTASYNC_TOKEN_STATUS_VALID, NULL);

  if (!never && expires_at <= threshold)
    refresh (self, client, store, account, access_token, expires_at, now, report, cancellable);

  /* Only a new login renews data access; a refresh does not. Whether the
   * API refuses calls once it has ended is not known (reference §5.2), so
   * an ended one is a warning, and the sync goes on: if the API does refuse
   * (190), that answer makes the account need a reconnect, as any 190
   * does. */
  if (report->status < INSTASYNC_TOKEN_STATUS_EXPIRING && data_access > 0 &&
      data_access <= threshold)
    {
      g_autofree char *when = format_time (data_access);

      if (data_access <= now)
        expiring (report, store, account,
                  g_strdup_printf (_("Instagram's data access for this login ended on %s; "
                                     "syncing goes on while Instagram still answers, but "
                                     "reconnect the account to renew it"), when));
      else
        expiring (report, store, account,
                  g_strdup_printf (_("Instagram's data access for this login ends on %s, and a "
                                     "refresh cannot extend it; reconnect the account before then"),
                                   when));
    }

  /* Expiring earlier, fine now (a reconnect elsewhere, a longer token). */
  if (report->status == INSTASYNC_TOKEN_STATUS_VALID &&
      g_strcmp0 (instasync_account_get_status (account), INSTASYNC_ACCOUNT_STATUS_EXPIRING) == 0)
    mark_account (store, account, INSTASYNC_ACCOUNT_STATUS_ACTIVE, NULL);

  return report->status;
}
