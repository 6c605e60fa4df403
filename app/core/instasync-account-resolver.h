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
 * user_tokens, as far as the connected role may see them (row-level
 * security), when they hold any account; else the local secrets file
 * (development), which may be NULL for none. Each account's "source" says
 * where it came from. Tokens from the secrets file go into @file_tokens
 * (ig_user_id → token); database tokens are decrypted only when a sync needs
 * them, with instasync_account_resolver_get_token().
 *
 * The secrets file stands in for a database that holds no account, never
 * for one that cannot be read: a database that is unreachable or refuses
 * the query is an error (INSTASYNC_ERROR_DATABASE) that says the secrets
 * file was not used. A secrets file that cannot be read when it is used is
 * INSTASYNC_ERROR_CONFIG, and says that it was the fallback. */
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
