/* instasync-token-gate.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What the accounts of one run know of the tokens they share (every
 * account of one login shares its token). A token the API refuses is
 * refused by every operation of a batch, so its first call goes out alone;
 * with the gate, only the first account of a token makes that lone call,
 * and the others wait for its answer instead of each testing the token.
 * Tokens are kept as digests only. Thread-safe. */
typedef struct _InstaSyncTokenGate InstaSyncTokenGate;

typedef enum
{
  INSTASYNC_TOKEN_UNTRIED,   /* nobody knows yet: the caller is the one to try it */
  INSTASYNC_TOKEN_ANSWERED,  /* the API answered a call made with it */
  INSTASYNC_TOKEN_REFUSED,   /* the API refused it (code 190) */
} InstaSyncTokenTrial;

InstaSyncTokenGate  *instasync_token_gate_new    (void);
void                 instasync_token_gate_free   (InstaSyncTokenGate *gate);

/* What is known of @token. When nobody has tried it, the caller becomes
 * the one who does (*@tries set): it must call
 * instasync_token_gate_settle() once it knows, and meanwhile the other
 * callers for the same token wait. A cancellation ends a wait with UNTRIED
 * and *@tries unset. */
InstaSyncTokenTrial  instasync_token_gate_enter  (InstaSyncTokenGate *gate,
                                                  const char         *token,
                                                  GCancellable       *cancellable,
                                                  gboolean           *tries);
/* What the caller of a trial found: ANSWERED, REFUSED, or UNTRIED when it
 * made no call after all (the next caller then tries). */
void                 instasync_token_gate_settle (InstaSyncTokenGate *gate,
                                                  const char         *token,
                                                  InstaSyncTokenTrial outcome);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InstaSyncTokenGate, instasync_token_gate_free)

G_END_DECLS
