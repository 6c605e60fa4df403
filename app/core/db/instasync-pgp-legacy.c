/* instasync-pgp-legacy.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-store"

#include "config.h"

#include <string.h>
#include <gcrypt.h>
#include <glib/gi18n.h>

#include "instasync-error.h"
#include "instasync-pgp-legacy.h"

/* RFC 4880 packet tags. */
#define TAG_SYMKEY_SESSION_KEY 3
#define TAG_COMPRESSED 8
#define TAG_SYMMETRIC_DATA 9
#define TAG_LITERAL 11
#define TAG_INTEGRITY_DATA 18
#define TAG_MDC 19

#define MDC_LENGTH 22 /* 0xD3 0x14 and a SHA-1 */
#define MAX_KEY_BYTES 32

/* A packet's body, its partial chunks joined. */
typedef struct
{
  int         tag;
  GByteArray *body;
} Packet;

static void
packet_clear (Packet *packet)
{
  if (packet->body != NULL)
    {
      instasync_secure_wipe (packet->body->data, packet->body->len);
      g_clear_pointer (&packet->body, g_byte_array_unref);
    }
}

static gboolean
shape_error (GError     **error,
             const char  *what)
{
  g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_UNEXPECTED_SHAPE,
               _("The stored token is not an OpenPGP message this version reads: %s"), what);
  return FALSE;
}

static gboolean
key_error (GError **error)
{
  g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY,
                       _("The token key does not match the stored tokens"));
  return FALSE;
}

static void
ensure_gcrypt (void)
{
  static gsize initialised;

  if (g_once_init_enter (&initialised))
    {
      /* libsecret may have initialised it already; then leave it be. */
      if (!gcry_control (GCRYCTL_INITIALIZATION_FINISHED_P))
        {
          gcry_check_version (NULL);
          gcry_control (GCRYCTL_DISABLE_SECMEM, 0);
          gcry_control (GCRYCTL_INITIALIZATION_FINISHED, 0);
        }
      g_once_init_leave (&initialised, 1);
    }
}

/* Reads one packet at *@pos of @data[@length]. */
static gboolean
read_packet (const guint8  *data,
             gsize          length,
             gsize         *pos,
             Packet        *packet,
             GError       **error)
{
  gsize at = *pos;
  guint8 header;

  if (at >= length)
    return shape_error (error, "a packet is missing");

  header = data[at++];
  if ((header & 0x80) == 0)
    return shape_error (error, "a packet header is invalid");

  packet->body = g_byte_array_new ();

  if ((header & 0x40) == 0)
    {
      /* Old format: the tag in bits 5–2, the length's size in bits 1–0. */
      guint length_type = header & 0x03;
      gsize body_length = 0;

      packet->tag = (header >> 2) & 0x0f;
      if (length_type == 3)
        body_length = length - at;   /* up to the end */
      else
        {
          guint n = 1u << length_type;

          if (length - at < n)
            return shape_error (error, "a packet length is cut short");
          for (guint i = 0; i < n; i++)
            body_length = (body_length << 8) | data[at++];
        }
      if (body_length > length - at)
        return shape_error (error, "a packet is cut short");
      g_byte_array_append (packet->body, data + at, body_length);
      *pos = at + body_length;
      return TRUE;
    }

  /* New format, where a body may come in partial chunks: each a power of
   * two, the last one with an ordinary length. */
  packet->tag = header & 0x3f;
  for (;;)
    {
      gsize chunk;
      gboolean partial = FALSE;
      guint8 first;

      if (at >= length)
        return shape_error (error, "a packet length is missing");
      first = data[at++];
      if (first < 192)
        chunk = first;
      else if (first < 224)
        {
          if (at >= length)
            return shape_error (error, "a packet length is cut short");
          chunk = ((gsize)(first - 192) << 8) + data[at++] + 192;
        }
      else if (first == 255)
        {
          if (length - at < 4)
            return shape_error (error, "a packet length is cut short");
          chunk = ((gsize)data[at] << 24) | ((gsize)data[at + 1] << 16) |
                  ((gsize)data[at + 2] << 8) | data[at + 3];
          at += 4;
        }
      else
        {
          chunk = (gsize)1 << (first & 0x1f);
          partial = TRUE;
        }

      if (chunk > length - at)
        return shape_error (error, "a packet is cut short");
      g_byte_array_append (packet->body, data + at, chunk);
      at += chunk;
      if (!partial)
        break;
    }

  *pos = at;
  return TRUE;
}

static int
cipher_for (guint8  algorithm,
            gsize  *key_length)
{
  int cipher;

  switch (algorithm)
    {
    /* pgcrypto's default and its other AES choices; its 3DES, CAST5 and
     * Blowfish were never used for tokens. */
    case 7: cipher = GCRY_CIPHER_AES128; break;
    case 8: cipher = GCRY_CIPHER_AES192; break;
    case 9: cipher = GCRY_CIPHER_AES256; break;
    default: return 0;
    }

  *key_length = gcry_cipher_get_algo_keylen (cipher);
  return *key_length > 0 && *key_length <= MAX_KEY_BYTES ? cipher : 0;
}

static int
digest_for (guint8 algorithm)
{
  switch (algorithm)
    {
    case 1: return GCRY_MD_MD5;
    case 2: return GCRY_MD_SHA1;
    case 3: return GCRY_MD_RMD160;
    case 8: return GCRY_MD_SHA256;
    case 9: return GCRY_MD_SHA384;
    case 10: return GCRY_MD_SHA512;
    case 11: return GCRY_MD_SHA224;
    default: return 0;
    }
}

/* CFB with an all-zero IV and no resynchronisation, as the integrity
 * protected packet and an encrypted session key use it: plain CFB. */
static gboolean
cfb_decrypt (int            cipher,
             const guint8  *key,
             gsize          key_length,
             guint8        *data,
             gsize          length)
{
  gcry_cipher_hd_t handle;
  gboolean ok;

  if (gcry_cipher_open (&handle, cipher, GCRY_CIPHER_MODE_CFB, 0) != 0)
    return FALSE;
  ok = gcry_cipher_setkey (handle, key, key_length) == 0 &&
       gcry_cipher_decrypt (handle, data, length, NULL, 0) == 0;
  gcry_cipher_close (handle);
  return ok;
}

/* The session key from a tag 3 packet and the passphrase. */
static gboolean
session_key (const GByteArray  *body,
             const char        *passphrase,
             int               *cipher,
             guint8             key[MAX_KEY_BYTES],
             gsize             *key_length,
             GError           **error)
{
  const guint8 *p = body->data;
  gsize n = body->len;
  gsize at = 3;
  int s2k_algo;
  int digest;
  const guint8 *salt = NULL;
  gulong iterations = 0;
  guint8 derived[MAX_KEY_BYTES];

  if (n < 4 || p[0] != 4)
    return shape_error (error, "the session key packet is not version 4");

  *cipher = cipher_for (p[1], key_length);
  if (*cipher == 0)
    return shape_error (error, "the cipher is not supported");

  digest = digest_for (p[3]);
  if (digest == 0)
    return shape_error (error, "the S2K digest is not supported");

  switch (p[2])
    {
    case 0:
      s2k_algo = GCRY_KDF_SIMPLE_S2K;
      at = 4;
      break;
    case 1:
      if (n < 12)
        return shape_error (error, "the S2K salt is cut short");
      s2k_algo = GCRY_KDF_SALTED_S2K;
      salt = p + 4;
      at = 12;
      break;
    case 3:
      if (n < 13)
        return shape_error (error, "the S2K count is cut short");
      s2k_algo = GCRY_KDF_ITERSALTED_S2K;
      salt = p + 4;
      iterations = (16ul + (p[12] & 15)) << ((p[12] >> 4) + 6);
      at = 13;
      break;
    default:
      return shape_error (error, "the S2K mode is not supported");
    }

  if (gcry_kdf_derive (passphrase, strlen (passphrase), s2k_algo, digest,
                       salt, salt != NULL ? 8 : 0, iterations, *key_length, derived) != 0)
    return shape_error (error, "the S2K could not be computed");

  if (at == n)
    {
      /* No separate session key: the derived key is it. */
      memcpy (key, derived, *key_length);
      instasync_secure_wipe (derived, sizeof derived);
      return TRUE;
    }

  {
    /* An encrypted session key: its algorithm byte, then the key. */
    gsize encrypted_length = n - at;
    g_autofree guint8 *encrypted = g_memdup2 (p + at, encrypted_length);
    gsize inner_length;
    gboolean ok;

    ok = cfb_decrypt (*cipher, derived, *key_length, encrypted, encrypted_length);
    instasync_secure_wipe (derived, sizeof derived);
    if (!ok)
      return shape_error (error, "the session key could not be decrypted");

    *cipher = cipher_for (encrypted[0], &inner_length);
    ok = *cipher != 0 && inner_length == encrypted_length - 1;
    if (ok)
      {
        memcpy (key, encrypted + 1, inner_length);
        *key_length = inner_length;
      }
    instasync_secure_wipe (encrypted, encrypted_length);
    /* A wrong passphrase decrypts the session key into noise, which shows
     * as an unknown algorithm or length. */
    return ok ? TRUE : key_error (error);
  }
}

/* The literal data packet's content, out of the decrypted packets. */
static InstaSyncSecret *
literal_text (const guint8  *data,
              gsize          length,
              GError       **error)
{
  Packet packet = { 0 };
  gsize pos = 0;
  const guint8 *p;
  gsize n;
  gsize at;
  InstaSyncSecret *text = NULL;

  if (!read_packet (data, length, &pos, &packet, error))
    {
      packet_clear (&packet);
      return NULL;
    }

  if (packet.tag == TAG_COMPRESSED)
    {
      packet_clear (&packet);
      shape_error (error, "the token is compressed");
      return NULL;
    }
  if (packet.tag != TAG_LITERAL)
    {
      packet_clear (&packet);
      shape_error (error, "there is no literal data packet");
      return NULL;
    }

  /* Format byte, name length, name, four bytes of date, then the data. */
  p = packet.body->data;
  n = packet.body->len;
  if (n < 2 || n < 2 + (gsize)p[1] + 4)
    {
      packet_clear (&packet);
      shape_error (error, "the literal data packet is cut short");
      return NULL;
    }
  at = 2 + p[1] + 4;

  if (memchr (p + at, '\0', n - at) != NULL || !g_utf8_validate ((const char *)p + at, n - at, NULL))
    shape_error (error, "the token is not text");
  else
    text = instasync_secret_new_len ((const char *)p + at, n - at);

  packet_clear (&packet);
  return text;
}

/* Decrypts a tag 18 body and checks its MDC; the packets inside on success. */
static InstaSyncSecret *
integrity_data (GByteArray    *body,
                int            cipher,
                const guint8  *key,
                gsize          key_length,
                GError       **error)
{
  gsize block = gcry_cipher_get_algo_blklen (cipher);
  guint8 *data;
  gsize n;
  guint8 digest[20];
  InstaSyncSecret *text;

  if (body->len < 1 || body->data[0] != 1)
    {
      shape_error (error, "the data packet is not version 1");
      return NULL;
    }

  data = body->data + 1;
  n = body->len - 1;
  if (block == 0 || n < block + 2 + MDC_LENGTH)
    {
      shape_error (error, "the data packet is cut short");
      return NULL;
    }

  if (!cfb_decrypt (cipher, key, key_length, data, n))
    {
      shape_error (error, "the data could not be decrypted");
      return NULL;
    }

  /* The quick check: the prefix's last two bytes repeated. */
  if (data[block] != data[block - 2] || data[block + 1] != data[block - 1])
    {
      key_error (error);
      return NULL;
    }

  /* The MDC hashes everything before its own hash, its header included. */
  if (data[n - MDC_LENGTH] != (0xC0 | TAG_MDC) || data[n - MDC_LENGTH + 1] != 0x14)
    {
      key_error (error);
      return NULL;
    }
  gcry_md_hash_buffer (GCRY_MD_SHA1, digest, data, n - 20);
  if (memcmp (digest, data + n - 20, 20) != 0)
    {
      key_error (error);
      return NULL;
    }

  text = literal_text (data + block + 2, n - block - 2 - MDC_LENGTH, error);
  return text;
}

/* Public API */

InstaSyncSecret *
instasync_pgp_sym_decrypt (const guint8  *message,
                           gsize          length,
                           const char    *passphrase,
                           GError       **error)
{
  Packet packet = { 0 };
  gsize pos = 0;
  int cipher = 0;
  guint8 key[MAX_KEY_BYTES];
  gsize key_length = 0;
  InstaSyncSecret *text = NULL;

  g_return_val_if_fail (message != NULL || length == 0, NULL);
  g_return_val_if_fail (passphrase != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ensure_gcrypt ();

  if (!read_packet (message, length, &pos, &packet, error))
    goto out;
  if (packet.tag != TAG_SYMKEY_SESSION_KEY)
    {
      shape_error (error, "it does not start with a session key packet");
      goto out;
    }
  if (!session_key (packet.body, passphrase, &cipher, key, &key_length, error))
    goto out;
  packet_clear (&packet);

  if (!read_packet (message, length, &pos, &packet, error))
    goto out;
  if (packet.tag == TAG_SYMMETRIC_DATA)
    {
      shape_error (error, "the data has no integrity protection");
      goto out;
    }
  if (packet.tag != TAG_INTEGRITY_DATA)
    {
      shape_error (error, "there is no encrypted data packet");
      goto out;
    }

  text = integrity_data (packet.body, cipher, key, key_length, error);

out:
  instasync_secure_wipe (key, sizeof key);
  packet_clear (&packet);
  return text;
}
