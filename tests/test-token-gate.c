/* test-token-gate.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One account of a run tries a token; the others of that token wait for
 * its answer, and a cancellation ends a wait.
 */

#include "config.h"

#include "instasync-token-gate.h"

typedef struct
{
  InstaSyncTokenGate  *gate;
  GCancellable        *cancellable;
  InstaSyncTokenTrial  trial;
  gboolean             tries;
  gint                 done;   /* atomic */
} Waiter;

static gpointer
wait_thread (gpointer data)
{
  Waiter *waiter = data;

  waiter->trial = instasync_token_gate_enter (waiter->gate, "EAAgate-token", waiter->cancellable,
                                              &waiter->tries);
  g_atomic_int_set (&waiter->done, 1);
  return NULL;
}

static void
test_first_tries (void)
{
  g_autoptr(InstaSyncTokenGate) gate = instasync_token_gate_new ();
  gboolean tries = FALSE;

  g_assert_cmpint (instasync_token_gate_enter (gate, "EAAgate-token", NULL, &tries), ==,
                   INSTASYNC_TOKEN_UNTRIED);
  g_assert_true (tries);
  instasync_token_gate_settle (gate, "EAAgate-token", INSTASYNC_TOKEN_ANSWERED);

  g_assert_cmpint (instasync_token_gate_enter (gate, "EAAgate-token", NULL, &tries), ==,
                   INSTASYNC_TOKEN_ANSWERED);
  g_assert_false (tries);

  /* Another token is another trial. */
  g_assert_cmpint (instasync_token_gate_enter (gate, "EAAgate-other", NULL, &tries), ==,
                   INSTASYNC_TOKEN_UNTRIED);
  g_assert_true (tries);
  instasync_token_gate_settle (gate, "EAAgate-other", INSTASYNC_TOKEN_REFUSED);
  g_assert_cmpint (instasync_token_gate_enter (gate, "EAAgate-other", NULL, &tries), ==,
                   INSTASYNC_TOKEN_REFUSED);
  g_assert_false (tries);
}

static void
test_others_wait (void)
{
  g_autoptr(InstaSyncTokenGate) gate = instasync_token_gate_new ();
  Waiter waiter = { 0, };
  GThread *thread;
  gboolean tries = FALSE;

  g_assert_cmpint (instasync_token_gate_enter (gate, "EAAgate-token", NULL, &tries), ==,
                   INSTASYNC_TOKEN_UNTRIED);
  g_assert_true (tries);

  waiter.gate = gate;
  thread = g_thread_new ("waiter", wait_thread, &waiter);
  /* It waits as long as the trial is open. */
  g_usleep (150 * 1000);
  g_assert_cmpint (g_atomic_int_get (&waiter.done), ==, 0);

  instasync_token_gate_settle (gate, "EAAgate-token", INSTASYNC_TOKEN_REFUSED);
  g_thread_join (thread);
  g_assert_cmpint (waiter.trial, ==, INSTASYNC_TOKEN_REFUSED);
  g_assert_false (waiter.tries);
}

/* A trial given up (no call made) passes the token on to the next. */
static void
test_given_up (void)
{
  g_autoptr(InstaSyncTokenGate) gate = instasync_token_gate_new ();
  Waiter waiter = { 0, };
  GThread *thread;
  gboolean tries = FALSE;

  instasync_token_gate_enter (gate, "EAAgate-token", NULL, &tries);
  waiter.gate = gate;
  thread = g_thread_new ("waiter", wait_thread, &waiter);
  instasync_token_gate_settle (gate, "EAAgate-token", INSTASYNC_TOKEN_UNTRIED);
  g_thread_join (thread);
  g_assert_cmpint (waiter.trial, ==, INSTASYNC_TOKEN_UNTRIED);
  g_assert_true (waiter.tries);
}

static void
test_cancelled_wait (void)
{
  g_autoptr(InstaSyncTokenGate) gate = instasync_token_gate_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Waiter waiter = { 0, };
  GThread *thread;
  gboolean tries = FALSE;

  instasync_token_gate_enter (gate, "EAAgate-token", NULL, &tries);
  waiter.gate = gate;
  waiter.cancellable = cancellable;
  thread = g_thread_new ("waiter", wait_thread, &waiter);
  g_cancellable_cancel (cancellable);
  g_thread_join (thread);
  g_assert_cmpint (waiter.trial, ==, INSTASYNC_TOKEN_UNTRIED);
  /* It holds nothing: the trial is still the first caller's. */
  g_assert_false (waiter.tries);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/token-gate/first-tries", test_first_tries);
  g_test_add_func ("/token-gate/others-wait", test_others_wait);
  g_test_add_func ("/token-gate/given-up", test_given_up);
  g_test_add_func ("/token-gate/cancelled-wait", test_cancelled_wait);

  return g_test_run ();
}
