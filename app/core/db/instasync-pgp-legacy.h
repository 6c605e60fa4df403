/* instasync-pgp-legacy.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "instasync-secret.h"

G_BEGIN_DECLS

/* Earlier versions stored tokens as pgcrypto's pgp_sym_encrypt() made them:
 * an OpenPGP message (RFC 4880) of a symmetric-key session key packet and an
 * integrity-protected data packet. This reads such a message in the client,
 * so that the one-time migration to client-side sealing never sends the key
 * to the server either.
 *
 * Read: S2K modes 0, 1 and 3 over MD5, SHA-1 or SHA-2; AES-128/192/256
 * (pgcrypto's default, which every stored token used, and its other AES
 * choices); an optional separate session key; old and new packet headers
 * with partial body lengths; an uncompressed literal data packet. Other
 * ciphers, messages without the modification detection code (disable-mdc)
 * and compressed ones are refused: no token was ever stored that way.
 *
 * INSTASYNC_ERROR_KEY when the passphrase is wrong or the message damaged
 * (the MDC or the quick check fails), INSTASYNC_ERROR_UNEXPECTED_SHAPE for a
 * message this does not read. */
InstaSyncSecret *instasync_pgp_sym_decrypt (const guint8  *message,
                                            gsize          length,
                                            const char    *passphrase,
                                            GError       **error);

G_END_DECLS
