/* instasync-account-resolver.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "instasync-store.h"

G_BEGIN_DECLS

/* Finds the accounts to sync, database first: instagram_accounts and
 * user_tokens when the database holds any account, else the local secrets
 * file (development). Tokens from the secrets file go into @file_tokens
 * (ig_user_id → token); database tokens are decrypted only when a sync
 * needs them, with instasync_account_resolver_get_token(). */
GPtrArray *instasync_resolve_accounts              (InstaSyncStore    *store,
                                                    const char        *secrets_file,
                                                    GHashTable        *file_tokens,
                                                    GError           **error);

/* The token of @account from wherever it came from. */
char      *instasync_account_resolver_get_token    (InstaSyncStore    *store,
                                                    InstaSyncAccount  *account,
                                                    GHashTable        *file_tokens,
                                                    const char        *token_key,
                                                    GError           **error);

G_END_DECLS
