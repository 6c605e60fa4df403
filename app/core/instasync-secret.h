/* instasync-secret.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A secret string (a token, the App Secret, the token key, a password): a
 * NUL-terminated UTF-8 string like any other, so that it can be passed on as
 * `const char *`, but owned through this type so that its bytes are wiped
 * before the memory is freed. Every secret of the tree is held this way:
 *
 *   g_autoptr(InstaSyncSecret) token = instasync_store_get_token (…);
 */
typedef char InstaSyncSecret;

/* A copy of @text (NULL gives NULL). */
InstaSyncSecret *instasync_secret_new       (const char       *text);
/* A copy of the first @length bytes of @bytes, NUL-terminated. */
InstaSyncSecret *instasync_secret_new_len   (const char       *bytes,
                                             gsize             length);
/* Takes @text, a g_malloc()ed string: it is wiped when freed. */
InstaSyncSecret *instasync_secret_take      (char             *text);
/* Wipes and frees @secret; NULL is allowed. */
void             instasync_secret_free      (InstaSyncSecret  *secret);
/* instasync_secret_free() on *@secret, then NULL. */
void             instasync_secret_clear     (InstaSyncSecret **secret);

/* Zeroes @length bytes at @memory in a way the compiler cannot drop. */
void             instasync_secure_wipe      (gpointer          memory,
                                             gsize             length);

/* Fills @buffer with @length bytes from the kernel's CSPRNG (libsodium's
 * randombytes_buf: getrandom(), which blocks only until the pool is
 * initialised). The one source of random bytes in the tree: keys, OAuth
 * state, passwords. It cannot fail. */
void             instasync_random_bytes     (gpointer          buffer,
                                             gsize             length);

/* Initialises libsodium (once; thread-safe): before any other libsodium
 * call outside this file. */
void             instasync_crypto_init      (void);

/* Makes a crash leave nothing behind: no core file (RLIMIT_CORE 0) and a
 * process that is not dumpable (prctl PR_SET_DUMPABLE 0: no core, no
 * ptrace by other processes of the same user, /proc/PID owned by root).
 * Both programs call it first thing, before any secret is loaded. */
void             instasync_process_harden   (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InstaSyncSecret, instasync_secret_free)

G_END_DECLS
