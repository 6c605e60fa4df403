/* instasync-account-connect.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "instasync-account-discovery.h"
#include "instasync-config.h"
#include "instasync-oauth.h"
#include "instasync-store.h"

G_BEGIN_DECLS

/* The last steps of connecting accounts, shared by `instasyncctl account
 * connect` and the app's connect dialog. */

/* Proves that @token reaches @ig_user_id: the API, asked for that account
 * with it, must answer that very account. A token that does not is refused
 * with INSTASYNC_ERROR_NOT_PERMITTED; a network failure or a throttle keeps
 * its own error. @username (may be NULL) gets the account's username. Whoever
 * stores an account asks this first: an id is only claimed by a token that
 * reaches it, so a user can neither take over an id nobody holds with any
 * string as its token nor probe the database for the ids others hold. */
gboolean             instasync_connect_verify_account (InstaSyncGraphClient       *client,
                                                       const char                 *ig_user_id,
                                                       const char                 *token,
                                                       GCancellable               *cancellable,
                                                       char                      **username,
                                                       GError                    **error);

/* Checks each of @accounts (InstaSyncDiscoveredAccount) with
 * instasync_connect_verify_account(), then stores them with the token of
 * @grant, encrypted under @token_key, and the token's expiry when known,
 * in one transaction: on any failure no account is stored (and accounts
 * connected before keep their old token). */
gboolean             instasync_connect_store_accounts (InstaSyncStore             *store,
                                                       InstaSyncGraphClient       *client,
                                                       const char                 *token_key,
                                                       GPtrArray                  *accounts,
                                                       const InstaSyncOAuthGrant  *grant,
                                                       GCancellable               *cancellable,
                                                       GError                    **error);

/* A pasted token (a system user's, say), checked with debug_token before
 * anything is stored: an invalid or expired token, or one of another app,
 * is refused with INSTASYNC_OAUTH_ERROR. The grant carries its expiry. */
InstaSyncOAuthGrant *instasync_connect_check_token    (InstaSyncGraphClient       *client,
                                                       const InstaSyncConfig      *config,
                                                       const char                 *token,
                                                       GCancellable               *cancellable,
                                                       GError                    **error);

G_END_DECLS
