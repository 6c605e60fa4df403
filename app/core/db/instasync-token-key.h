/* instasync-token-key.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The key access tokens are encrypted with, for headless use: the
 * INSTASYNC_TOKEN_KEY environment variable, else the key file at
 * INSTASYNC_TOKEN_KEY_FILE or $XDG_CONFIG_HOME/instasync/token.key. A missing
 * key file is created with 32 random bytes (hex), mode 0600 in a 0700
 * directory. An empty or unreadable key is INSTASYNC_ERROR_KEY. */
char *instasync_token_key_load (GError **error);

G_END_DECLS
