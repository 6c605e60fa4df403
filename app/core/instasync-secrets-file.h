/* instasync-secrets-file.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The development fallback for accounts: a key file read only when the
 * database holds no account (database first, secrets second).
 *
 *   [account 17841400000000001]
 *   username=demo.bakery
 *   access_token=EAAG...
 *
 * Returns InstaSyncAccount objects with source "secrets-file" and fills
 * @tokens (ig_user_id → token). A missing file is an empty list; a file that
 * cannot be read or parsed is INSTASYNC_ERROR_CONFIG. */
GPtrArray *instasync_secrets_file_load (const char  *path,
                                        GHashTable  *tokens,
                                        GError     **error);

/* An Instagram user id is a string of digits; anything else is refused
 * before it reaches a URL or a statement. */
gboolean   instasync_check_ig_user_id  (const char  *ig_user_id,
                                        GError     **error);

G_END_DECLS
