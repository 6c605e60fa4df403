/* instasync-token-cipher.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-store"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <sodium.h>

#include "instasync-error.h"
#include "instasync-token-cipher.h"

#define SEAL_VERSION 0x01
#define NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_BYTES crypto_aead_xchacha20poly1305_ietf_ABYTES

G_STATIC_ASSERT (INSTASYNC_TOKEN_SEAL_OVERHEAD == 1 + NONCE_BYTES + TAG_BYTES);
G_STATIC_ASSERT (crypto_aead_xchacha20poly1305_ietf_KEYBYTES == crypto_kdf_KEYBYTES);

/* The subkeys of one token key. The numbers are part of the stored format:
 * never renumber them. */
typedef enum
{
  SUBKEY_SEAL = 1,
  SUBKEY_FINGERPRINT = 2,
  SUBKEY_CHECK = 3,
} Subkey;

/* Eight bytes, as crypto_kdf wants: the domain of every subkey. */
static const char kdf_context[crypto_kdf_CONTEXTBYTES] = "InstaTok";

/* Binds a value to its row and its purpose: "instasync-token-v1" NUL
 * ig_user_id. The NUL keeps "ab"+"c" and "a"+"bc" apart. */
#define ASSOCIATED_PREFIX "instasync-token-v1"

static void
derive_subkey (const char *token_key,
               Subkey      which,
               guint8      subkey[crypto_kdf_KEYBYTES])
{
  /* The key string is hashed rather than decoded: any string that was ever
   * accepted as a key (hex from a key file, a passphrase in the
   * environment) keeps working, and every length gives a full-size key. */
  static const guint8 personal[crypto_generichash_blake2b_PERSONALBYTES] = "InstaSync-key-v1";
  guint8 master[crypto_kdf_KEYBYTES];

  instasync_crypto_init ();
  crypto_generichash_blake2b_salt_personal (master, sizeof master,
                                            (const guint8 *)token_key, strlen (token_key),
                                            NULL, 0, NULL, personal);
  crypto_kdf_derive_from_key (subkey, crypto_kdf_KEYBYTES, which, kdf_context, master);
  sodium_memzero (master, sizeof master);
}

static GByteArray *
associated_data (const char *ig_user_id)
{
  GByteArray *data = g_byte_array_new ();

  g_byte_array_append (data, (const guint8 *)ASSOCIATED_PREFIX, sizeof ASSOCIATED_PREFIX);
  g_byte_array_append (data, (const guint8 *)ig_user_id, strlen (ig_user_id));
  return data;
}

/* Public API */

GBytes *
instasync_token_seal (const char *token_key,
                      const char *ig_user_id,
                      const char *token)
{
  g_autoptr(GByteArray) ad = NULL;
  guint8 key[crypto_kdf_KEYBYTES];
  gsize token_length;
  guint8 *sealed;
  gsize sealed_length;

  g_return_val_if_fail (token_key != NULL && *token_key != '\0', NULL);
  g_return_val_if_fail (ig_user_id != NULL, NULL);
  g_return_val_if_fail (token != NULL, NULL);

  token_length = strlen (token);
  sealed_length = INSTASYNC_TOKEN_SEAL_OVERHEAD + token_length;
  sealed = g_malloc (sealed_length);
  sealed[0] = SEAL_VERSION;
  /* Random 192-bit nonces never repeat in practice, which is why the X
   * variant is used: no counter to keep across processes and machines. */
  instasync_random_bytes (sealed + 1, NONCE_BYTES);

  ad = associated_data (ig_user_id);
  derive_subkey (token_key, SUBKEY_SEAL, key);
  crypto_aead_xchacha20poly1305_ietf_encrypt (sealed + 1 + NONCE_BYTES, NULL,
                                              (const guint8 *)token, token_length,
                                              ad->data, ad->len, NULL, sealed + 1, key);
  sodium_memzero (key, sizeof key);

  return g_bytes_new_take (sealed, sealed_length);
}

InstaSyncSecret *
instasync_token_open (const char    *token_key,
                      const char    *ig_user_id,
                      const guint8  *sealed,
                      gsize          sealed_length,
                      GError       **error)
{
  g_autoptr(GByteArray) ad = NULL;
  guint8 key[crypto_kdf_KEYBYTES];
  gsize plain_length;
  char *plain;
  int failed;

  g_return_val_if_fail (token_key != NULL && *token_key != '\0', NULL);
  g_return_val_if_fail (ig_user_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (sealed == NULL || sealed_length < INSTASYNC_TOKEN_SEAL_OVERHEAD || sealed[0] != SEAL_VERSION)
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY,
                   _("The stored token of account %s is not in a format this version reads"),
                   ig_user_id);
      return NULL;
    }

  plain_length = sealed_length - INSTASYNC_TOKEN_SEAL_OVERHEAD;
  plain = g_malloc (plain_length + 1);

  ad = associated_data (ig_user_id);
  derive_subkey (token_key, SUBKEY_SEAL, key);
  failed = crypto_aead_xchacha20poly1305_ietf_decrypt ((guint8 *)plain, NULL, NULL,
                                                       sealed + 1 + NONCE_BYTES,
                                                       sealed_length - 1 - NONCE_BYTES,
                                                       ad->data, ad->len, sealed + 1, key);
  sodium_memzero (key, sizeof key);

  if (failed != 0)
    {
      instasync_secret_free (plain);
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY,
                   _("The token key does not match the one the token of account %s was "
                     "stored with"),
                   ig_user_id);
      return NULL;
    }

  plain[plain_length] = '\0';
  if (memchr (plain, '\0', plain_length) != NULL || !g_utf8_validate (plain, plain_length, NULL))
    {
      instasync_secret_free (plain);
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY,
                   _("The stored token of account %s is not text"), ig_user_id);
      return NULL;
    }

  return instasync_secret_take (plain);
}

GBytes *
instasync_token_fingerprint (const char *token_key,
                             const char *ig_user_id,
                             const char *token)
{
  g_autoptr(GByteArray) ad = NULL;
  crypto_generichash_state state;
  guint8 key[crypto_kdf_KEYBYTES];
  guint8 *digest;

  g_return_val_if_fail (token_key != NULL && *token_key != '\0', NULL);
  g_return_val_if_fail (ig_user_id != NULL, NULL);
  g_return_val_if_fail (token != NULL, NULL);

  ad = associated_data (ig_user_id);
  derive_subkey (token_key, SUBKEY_FINGERPRINT, key);
  digest = g_malloc (INSTASYNC_TOKEN_DIGEST_BYTES);
  crypto_generichash_init (&state, key, sizeof key, INSTASYNC_TOKEN_DIGEST_BYTES);
  crypto_generichash_update (&state, ad->data, ad->len);
  crypto_generichash_update (&state, (const guint8 *)"", 1);
  crypto_generichash_update (&state, (const guint8 *)token, strlen (token));
  crypto_generichash_final (&state, digest, INSTASYNC_TOKEN_DIGEST_BYTES);
  sodium_memzero (key, sizeof key);
  sodium_memzero (&state, sizeof state);

  return g_bytes_new_take (digest, INSTASYNC_TOKEN_DIGEST_BYTES);
}

GBytes *
instasync_token_key_check (const char *token_key)
{
  static const char label[] = "instasync-token-key-check-v1";
  guint8 key[crypto_kdf_KEYBYTES];
  guint8 *digest;

  g_return_val_if_fail (token_key != NULL && *token_key != '\0', NULL);

  derive_subkey (token_key, SUBKEY_CHECK, key);
  digest = g_malloc (INSTASYNC_TOKEN_DIGEST_BYTES);
  crypto_generichash (digest, INSTASYNC_TOKEN_DIGEST_BYTES, (const guint8 *)label,
                      sizeof label - 1, key, sizeof key);
  sodium_memzero (key, sizeof key);

  return g_bytes_new_take (digest, INSTASYNC_TOKEN_DIGEST_BYTES);
}

gboolean
instasync_token_key_check_matches (const char   *token_key,
                                   const guint8 *stored,
                                   gsize         stored_length)
{
  g_autoptr(GBytes) expected = NULL;

  g_return_val_if_fail (token_key != NULL && *token_key != '\0', FALSE);

  if (stored == NULL || stored_length != INSTASYNC_TOKEN_DIGEST_BYTES)
    return FALSE;

  expected = instasync_token_key_check (token_key);
  return sodium_memcmp (g_bytes_get_data (expected, NULL), stored, stored_length) == 0;
}
