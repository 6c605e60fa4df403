/* instasync-token-key.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "instasync-secret.h"

G_BEGIN_DECLS

/* Where the key access tokens are encrypted with comes from. */
typedef enum
{
  INSTASYNC_TOKEN_KEY_SOURCE_ENVIRONMENT,  /* INSTASYNC_TOKEN_KEY */
  INSTASYNC_TOKEN_KEY_SOURCE_FILE,         /* a key file */
  INSTASYNC_TOKEN_KEY_SOURCE_KEYRING,      /* the user's keyring (libsecret) */
} InstaSyncTokenKeySource;

/* The key, looked for in this order:
 *  1. the INSTASYNC_TOKEN_KEY environment variable;
 *  2. the key file named by INSTASYNC_TOKEN_KEY_FILE;
 *  3. the key file $XDG_CONFIG_HOME/instasync/token.key, if it exists;
 *  4. the user's keyring, when built with libsecret and a Secret Service is
 *     reachable on the session bus (the desktop): a key made the first time
 *     is stored there;
 *  5. that key file again, created with 32 random bytes (hex), mode 0600 in
 *     a 0700 directory (a headless machine).
 * The key never enters the database, not even as a statement parameter:
 * tokens are sealed in the client (instasync-token-cipher.h). An empty or
 * unreadable key, or a keyring that is there but refuses, is
 * INSTASYNC_ERROR_KEY: never another key, and never no key. */
InstaSyncSecret *instasync_token_key_load      (GError                  **error);
InstaSyncSecret *instasync_token_key_load_full (InstaSyncTokenKeySource  *source,
                                                GError                  **error);

/* The same search, but steps 4 and 5 only read: a key that exists nowhere
 * is INSTASYNC_ERROR_NOT_FOUND, and nothing is created. For a database that
 * holds tokens already, where a new key would lock every one of them out
 * (see instasync_store_load_token_key()). */
InstaSyncSecret *instasync_token_key_load_existing (InstaSyncTokenKeySource  *source,
                                                    GError                  **error);

/* The keyring as the key loader sees it. lookup() returns NULL without an
 * error when nothing is stored. */
typedef struct
{
  gboolean  (*available) (gpointer     user_data);
  char     *(*lookup)    (gpointer     user_data,
                          GError     **error);
  gboolean  (*store)     (gpointer     user_data,
                          const char  *key,
                          GError     **error);
  gpointer    user_data;
} InstaSyncKeyring;

/* Tests: a keyring to use instead of the Secret Service; NULL restores it. */
void  _instasync_token_key_set_keyring (const InstaSyncKeyring *keyring);

G_END_DECLS
