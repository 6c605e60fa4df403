/* instasync-token-manager.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "instasync-account.h"
#include "instasync-fetch-result.h"
#include "instasync-graph-client.h"
#include "instasync-store.h"

G_BEGIN_DECLS

/* The token manager: what happens to an account's access token around a
 * sync.
 *
 * Before a sync it checks the expiry it knows: an expired token makes the
 * account "needs_reconnect" and no call is made with it; a token with the
 * refresh threshold or less left is exchanged for a new one
 * (fb_exchange_token) when an App Secret is configured, and the account is
 * "expiring" when it is not, when the refresh fails, or when the exchange
 * buys no time (the same token back, or one expiring no later). Data
 * access that ends within the threshold, or has ended, makes the account
 * "expiring" with the date, and the sync goes on: only the API's refusal
 * (190) makes it need a reconnect. An unknown expiry is learned with debug_token, after a sync
 * that showed the token works (a dead token is found by the sync's first
 * call, at no extra cost), and acted on at once.
 *
 * A refreshed token replaces the stored one in one statement that checks the
 * stored one is still the old one; until that commits the old token is the
 * one in use, and when it fails the old token goes on working. A learned
 * expiry is likewise recorded only while the token it was learned for is
 * still the stored one, never onto a token another worker rotated in. Only
 * accounts stored in the database are managed: the secrets file is the
 * developer's.
 *
 * One manager serves every worker thread of a sync pool; each call uses the
 * caller's own client and store. */
#define INSTASYNC_TYPE_TOKEN_MANAGER (instasync_token_manager_get_type ())

G_DECLARE_FINAL_TYPE (InstaSyncTokenManager, instasync_token_manager, INSTASYNC, TOKEN_MANAGER, GObject)

/* What one check found and did. */
typedef struct
{
  InstaSyncTokenStatus  status;
  gint64                expires_at;      /* Unix seconds; 0 unknown or never */
  gboolean              never_expires;
  char                 *message;         /* for people; NULL when there is nothing to say */
  guint                 api_calls;       /* debug_token and exchange calls made */
  gboolean              dead;            /* the API refused the token itself (code 190) */
} InstaSyncTokenReport;

void                   instasync_token_report_clear       (InstaSyncTokenReport  *report);
/* Copies the report into @result (instasync_fetch_result_set_token()). */
void                   instasync_token_report_apply       (InstaSyncTokenReport  *report,
                                                           InstaSyncFetchResult  *result);

/* @app_id and @app_secret may be NULL: without both nothing is refreshed,
 * and debug_token is asked with the token itself. A token with
 * @refresh_days days or fewer left is refreshed or reported. */
InstaSyncTokenManager *instasync_token_manager_new        (const char            *app_id,
                                                           const char            *app_secret,
                                                           guint                  refresh_days);
/* The key stored tokens are encrypted with: needed to store a refreshed one. */
void                   instasync_token_manager_set_token_key (InstaSyncTokenManager *self,
                                                              const char            *token_key);
/* Whether tokens can be refreshed: an App ID, an App Secret and a key. */
gboolean               instasync_token_manager_can_refresh (InstaSyncTokenManager *self);
/* Gives @client the App Secret, so that its calls carry appsecret_proof. */
void                   instasync_token_manager_configure_client (InstaSyncTokenManager *self,
                                                                 InstaSyncGraphClient  *client);

/* Checks @account's token (*@access_token) at @now (Unix seconds) and acts
 * on what it finds; with @learn an unknown expiry is first asked of the API.
 * A refreshed token replaces *@access_token (the old string is wiped). The
 * account object, its row and @report say what happened. Blocks. */
InstaSyncTokenStatus   instasync_token_manager_check      (InstaSyncTokenManager *self,
                                                           InstaSyncGraphClient  *client,
                                                           InstaSyncStore        *store,
                                                           InstaSyncAccount      *account,
                                                           char                 **access_token,
                                                           gint64                 now,
                                                           gboolean               learn,
                                                           InstaSyncTokenReport  *report,
                                                           GCancellable          *cancellable);

/* TRUE for an error that says the token itself is dead (code 190, or 102):
 * every further call with it is pointless. */
gboolean               instasync_token_error_is_dead      (const GError          *error);

G_END_DECLS
