/* instasync-token-cipher.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "instasync-secret.h"

G_BEGIN_DECLS

/* Access tokens are encrypted here, in the client, and the database only
 * ever stores what these functions make: neither the token key nor a
 * plaintext token is ever a statement parameter, so the server's statement
 * log, its replicas and its backups hold nothing that unlocks an account.
 *
 * The token key is any string (INSTASYNC_TOKEN_KEY, a key file, the
 * keyring). It is hashed into a master key from which three independent
 * subkeys are derived: one encrypts, one fingerprints, one makes the check
 * value. A sealed token is
 *
 *   0x01 (format version) ‖ 24-byte random nonce ‖ XChaCha20-Poly1305 ciphertext
 *
 * with the account's ig_user_id as associated data: a sealed token copied
 * into another account's row does not open. */

/* Bytes a sealed token adds to the token's own length. */
#define INSTASYNC_TOKEN_SEAL_OVERHEAD (1 + 24 + 16)

/* Length of a fingerprint and of the key check value. */
#define INSTASYNC_TOKEN_DIGEST_BYTES 32

/* @token sealed for the row of @ig_user_id. Cannot fail. */
GBytes          *instasync_token_seal        (const char    *token_key,
                                              const char    *ig_user_id,
                                              const char    *token);

/* The token of a sealed value, or NULL with INSTASYNC_ERROR_KEY when it
 * does not open: a different key, another row's value, or damaged bytes
 * (an AEAD cannot tell these apart, and none of them may pass). */
InstaSyncSecret *instasync_token_open        (const char    *token_key,
                                              const char    *ig_user_id,
                                              const guint8  *sealed,
                                              gsize          sealed_length,
                                              GError       **error);

/* A keyed hash of @token in the row of @ig_user_id: equal tokens give equal
 * fingerprints under one key, and without the key it tells nothing. The
 * database compares these to change a row only while it still holds the
 * token the caller read (rotation, expiry). */
GBytes          *instasync_token_fingerprint (const char    *token_key,
                                              const char    *ig_user_id,
                                              const char    *token);

/* The key check value: stored once per database, it lets a wrong key fail
 * at start with a clear message instead of at the first token. */
GBytes          *instasync_token_key_check   (const char    *token_key);

/* Whether @stored (from the database) is the check value of @token_key, in
 * constant time. */
gboolean         instasync_token_key_check_matches (const char   *token_key,
                                                    const guint8 *stored,
                                                    gsize         stored_length);

G_END_DECLS
