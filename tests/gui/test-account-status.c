/* test-account-status.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What an account's row says, for every state and at the edges of each.
 */

#include "config.h"

#include <locale.h>

#include "instasync-account-status.h"

#define NOW G_GINT64_CONSTANT (1795000000)
#define MINUTE 60
#define HOUR 3600
#define DAY 86400

static InstaSyncAccount *
account_synced (gint64 ago)
{
  InstaSyncAccount *account = instasync_account_new ("17841400000000001");

  instasync_account_set_status (account, INSTASYNC_ACCOUNT_STATUS_ACTIVE);
  if (ago >= 0)
    instasync_account_set_last_synced_at (account, NOW - ago);
  return account;
}

static void
assert_text (InstaSyncAccount *account,
             gboolean          syncing,
             const char       *expected)
{
  g_autofree char *text = instasync_account_state_dup_text (account, syncing, NOW);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_synced_ago (void)
{
  const struct { gint64 ago; const char *text; } cases[] = {
    { 0, "Synced just now" },
    { 59, "Synced just now" },
    { MINUTE, "Synced 1 minute ago" },
    { 5 * MINUTE + 30, "Synced 5 minutes ago" },
    { HOUR - 1, "Synced 59 minutes ago" },
    { HOUR, "Synced 1 hour ago" },
    { 23 * HOUR, "Synced 23 hours ago" },
    { DAY, "Synced yesterday" },
    { 3 * DAY, "Synced 3 days ago" },
    /* A clock set back: never "in the future". */
    { -10, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases) - 1; i++)
    {
      g_autoptr(InstaSyncAccount) account = account_synced (cases[i].ago);

      g_assert_cmpint (instasync_account_state_get (account, FALSE, NOW), ==,
                       INSTASYNC_ACCOUNT_STATE_SYNCED);
      assert_text (account, FALSE, cases[i].text);
    }

  {
    g_autoptr(InstaSyncAccount) account = instasync_account_new ("17841400000000001");

    instasync_account_set_last_synced_at (account, NOW + 10);
    assert_text (account, FALSE, "Synced just now");
  }
}

static void
test_states_in_order (void)
{
  g_autoptr(InstaSyncAccount) account = account_synced (-1);
  g_autofree char *paused = NULL;
  g_autoptr(GDateTime) until = g_date_time_new_from_unix_local (NOW + 2 * HOUR);
  g_autofree char *until_text = g_date_time_format (until, "%H:%M");

  /* Nothing known yet. */
  g_assert_cmpint (instasync_account_state_get (account, FALSE, NOW), ==,
                   INSTASYNC_ACCOUNT_STATE_NEVER_SYNCED);
  assert_text (account, FALSE, "Not synced yet");
  g_assert_null (instasync_account_state_style (INSTASYNC_ACCOUNT_STATE_NEVER_SYNCED));

  /* A token with three and a half days left: the whole days are said. */
  instasync_account_set_last_synced_at (account, NOW - HOUR);
  instasync_account_set_token_expires_at (account, NOW + 3 * DAY + 12 * HOUR);
  g_assert_cmpint (instasync_account_state_get (account, FALSE, NOW), ==,
                   INSTASYNC_ACCOUNT_STATE_EXPIRING);
  assert_text (account, FALSE, "Token expires in 3 days");
  g_assert_cmpstr (instasync_account_state_style (INSTASYNC_ACCOUNT_STATE_EXPIRING), ==, "warning");

  instasync_account_set_token_expires_at (account, NOW + 5 * HOUR);
  assert_text (account, FALSE, "Token expires today");

  /* Eight days left is not worth a word yet. */
  instasync_account_set_token_expires_at (account, NOW + 8 * DAY);
  assert_text (account, FALSE, "Synced 1 hour ago");

  /* Expiring as the server says, with no date known. */
  instasync_account_set_token_expires_at (account, 0);
  instasync_account_set_status (account, INSTASYNC_ACCOUNT_STATUS_EXPIRING);
  assert_text (account, FALSE, "Token expires soon");

  /* A pause outranks an expiring token. */
  instasync_account_set_paused_until (account, NOW + 2 * HOUR);
  paused = g_strdup_printf ("Paused until %s", until_text);
  assert_text (account, FALSE, paused);
  g_assert_cmpstr (instasync_account_state_icon_name (INSTASYNC_ACCOUNT_STATE_PAUSED), ==,
                   "media-playback-pause-symbolic");

  /* A past pause is no pause. */
  instasync_account_set_paused_until (account, NOW - 1);
  assert_text (account, FALSE, "Token expires soon");

  /* An expired token, or a refused one, needs the user. */
  instasync_account_set_status (account, INSTASYNC_ACCOUNT_STATUS_ACTIVE);
  instasync_account_set_token_expires_at (account, NOW - 1);
  assert_text (account, FALSE, "Needs reconnect");
  instasync_account_set_token_expires_at (account, 0);
  instasync_account_set_status (account, INSTASYNC_ACCOUNT_STATUS_NEEDS_RECONNECT);
  instasync_account_set_paused_until (account, NOW + HOUR);
  g_assert_cmpint (instasync_account_state_get (account, FALSE, NOW), ==,
                   INSTASYNC_ACCOUNT_STATE_NEEDS_RECONNECT);
  g_assert_cmpstr (instasync_account_state_style (INSTASYNC_ACCOUNT_STATE_NEEDS_RECONNECT), ==, "error");

  /* And a sync under way is what the row says above all. */
  assert_text (account, TRUE, "Syncing…");
  g_assert_cmpstr (instasync_account_state_icon_name (INSTASYNC_ACCOUNT_STATE_SYNCING), ==,
                   "emblem-synchronizing-symbolic");
}

int
main (int   argc,
      char *argv[])
{
  /* The strings as written, whatever the machine's language. */
  g_setenv ("LANGUAGE", "C", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/account-status/synced-ago", test_synced_ago);
  g_test_add_func ("/account-status/states-in-order", test_states_in_order);

  return g_test_run ();
}
