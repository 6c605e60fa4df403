/* instasync-secret.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-secret"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sodium.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "instasync-redact.h"
#include "instasync-secret.h"

/* libsodium must be initialised once before its first use; it is
 * thread-safe and idempotent, but only the first call does any work. */
void
instasync_crypto_init (void)
{
  static gsize initialised;

  if (g_once_init_enter (&initialised))
    {
      /* -1 means no usable random source at all: nothing secret can be
       * made safely, so there is no way on. */
      if (sodium_init () < 0)
        g_error ("libsodium could not be initialised");
      g_once_init_leave (&initialised, 1);
    }
}

void
instasync_secure_wipe (gpointer memory,
                       gsize    length)
{
  if (memory != NULL && length > 0)
    sodium_memzero (memory, length);
}

InstaSyncSecret *
instasync_secret_new_len (const char *bytes,
                          gsize       length)
{
  char *copy;

  g_return_val_if_fail (bytes != NULL || length == 0, NULL);

  copy = g_malloc (length + 1);
  if (length > 0)
    memcpy (copy, bytes, length);
  copy[length] = '\0';
  /* Whatever holds a secret tells the redactor, so that no output can
   * carry it. */
  instasync_redact_register (copy);
  return copy;
}

InstaSyncSecret *
instasync_secret_new (const char *text)
{
  if (text == NULL)
    return NULL;
  return instasync_secret_new_len (text, strlen (text));
}

InstaSyncSecret *
instasync_secret_take (char *text)
{
  instasync_redact_register (text);
  return text;
}

void
instasync_secret_free (InstaSyncSecret *secret)
{
  if (secret == NULL)
    return;
  instasync_secure_wipe (secret, strlen (secret));
  g_free (secret);
}

void
instasync_secret_clear (InstaSyncSecret **secret)
{
  g_return_if_fail (secret != NULL);
  g_clear_pointer (secret, instasync_secret_free);
}

void
instasync_random_bytes (gpointer buffer,
                        gsize    length)
{
  g_return_if_fail (buffer != NULL || length == 0);

  instasync_crypto_init ();
  randombytes_buf (buffer, length);
}

void
instasync_process_harden (void)
{
  const struct rlimit no_core = { 0, 0 };

  /* Failures are not fatal (a sandbox may forbid them) but must be seen. */
  if (setrlimit (RLIMIT_CORE, &no_core) != 0)
    g_warning ("Could not disable core dumps: %s", g_strerror (errno));
  if (prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
    g_warning ("Could not make the process non-dumpable: %s", g_strerror (errno));
}
