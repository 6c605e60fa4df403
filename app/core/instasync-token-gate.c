/* instasync-token-gate.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-token-gate"

#include "config.h"

#include "instasync-token-gate.h"

/* A trial in flight: the state other callers wait on. */
#define TRYING ((gpointer)(gsize)0x7)

struct _InstaSyncTokenGate
{
  GMutex      lock;
  GCond       settled;
  /* SHA-256 of a token → TRYING or GUINT_TO_POINTER (InstaSyncTokenTrial + 1) */
  GHashTable *tokens;
};

static char *
digest_of (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token != NULL ? token : "", -1);
}

InstaSyncTokenGate *
instasync_token_gate_new (void)
{
  InstaSyncTokenGate *gate = g_new0 (InstaSyncTokenGate, 1);

  g_mutex_init (&gate->lock);
  g_cond_init (&gate->settled);
  gate->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return gate;
}

void
instasync_token_gate_free (InstaSyncTokenGate *gate)
{
  if (gate == NULL)
    return;

  g_hash_table_unref (gate->tokens);
  g_cond_clear (&gate->settled);
  g_mutex_clear (&gate->lock);
  g_free (gate);
}

InstaSyncTokenTrial
instasync_token_gate_enter (InstaSyncTokenGate *gate,
                            const char         *token,
                            GCancellable       *cancellable,
                            gboolean           *tries)
{
  g_autofree char *key = digest_of (token);
  InstaSyncTokenTrial trial = INSTASYNC_TOKEN_UNTRIED;
  gpointer state;

  g_return_val_if_fail (gate != NULL, INSTASYNC_TOKEN_UNTRIED);
  g_return_val_if_fail (tries != NULL, INSTASYNC_TOKEN_UNTRIED);

  *tries = FALSE;
  g_mutex_lock (&gate->lock);
  while ((state = g_hash_table_lookup (gate->tokens, key)) == TRYING &&
         !g_cancellable_is_cancelled (cancellable))
    {
      /* Wake now and then to see a cancellation: a waiter never outlives
       * its sync by more than this. */
      g_cond_wait_until (&gate->settled, &gate->lock,
                         g_get_monotonic_time () + 100 * G_TIME_SPAN_MILLISECOND);
    }

  if (state != NULL && state != TRYING)
    trial = (InstaSyncTokenTrial)(GPOINTER_TO_UINT (state) - 1);
  else if (state == NULL)
    {
      g_hash_table_insert (gate->tokens, g_steal_pointer (&key), TRYING);
      *tries = TRUE;
    }
  g_mutex_unlock (&gate->lock);

  return trial;
}

void
instasync_token_gate_settle (InstaSyncTokenGate  *gate,
                             const char          *token,
                             InstaSyncTokenTrial  outcome)
{
  g_autofree char *key = digest_of (token);

  g_return_if_fail (gate != NULL);

  g_mutex_lock (&gate->lock);
  if (outcome == INSTASYNC_TOKEN_UNTRIED)
    g_hash_table_remove (gate->tokens, key);
  else
    g_hash_table_insert (gate->tokens, g_steal_pointer (&key), GUINT_TO_POINTER (outcome + 1));
  g_cond_broadcast (&gate->settled);
  g_mutex_unlock (&gate->lock);
}
