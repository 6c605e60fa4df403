/* test-account-row.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The account row follows its account object: every change of the model
 * shows in the row without anyone telling it.
 */

#include "config.h"

#include <adwaita.h>
#include <locale.h>

#include "instasync-account-row.h"
#include "instasync-test-render.h"

static void
test_follows_the_account (void)
{
  g_autoptr(InstaSyncAccount) account = instasync_account_new ("17841400000000001");
  g_autoptr(InstaSyncAccount) other = instasync_account_new ("17841400000000002");
  GtkWidget *row = instasync_account_row_new (NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  GtkWindow *window;

  instasync_account_set_username (account, "demo.bakery");
  instasync_account_row_set_account (INSTASYNC_ACCOUNT_ROW (row), account);
  window = instasync_test_show_widget (row, 300, 60);
  g_object_add_weak_pointer (G_OBJECT (row), (gpointer *)&row);

  g_assert_cmpstr (instasync_account_row_get_status_text (INSTASYNC_ACCOUNT_ROW (row)), ==,
                   "Not synced yet");

  /* The model changes; the row says so at once. */
  instasync_account_set_last_synced_at (account, now - 5 * 60);
  g_assert_cmpstr (instasync_account_row_get_status_text (INSTASYNC_ACCOUNT_ROW (row)), ==,
                   "Synced 5 minutes ago");

  instasync_account_set_token_expires_at (account, now + 2 * 86400 + 3600);
  g_assert_cmpstr (instasync_account_row_get_status_text (INSTASYNC_ACCOUNT_ROW (row)), ==,
                   "Token expires in 2 days");

  instasync_account_set_status (account, INSTASYNC_ACCOUNT_STATUS_NEEDS_RECONNECT);
  g_assert_cmpstr (instasync_account_row_get_status_text (INSTASYNC_ACCOUNT_ROW (row)), ==,
                   "Needs reconnect");

  /* Rebound to another account, it no longer listens to the first. */
  instasync_account_row_set_account (INSTASYNC_ACCOUNT_ROW (row), other);
  g_assert_cmpstr (instasync_account_row_get_status_text (INSTASYNC_ACCOUNT_ROW (row)), ==,
                   "Not synced yet");
  instasync_account_set_last_synced_at (account, now);
  g_assert_cmpstr (instasync_account_row_get_status_text (INSTASYNC_ACCOUNT_ROW (row)), ==,
                   "Not synced yet");
  g_assert_false (instasync_account_row_has_picture (INSTASYNC_ACCOUNT_ROW (row)));

  gtk_window_destroy (window);
  instasync_test_iterate ();
  g_assert_null (row);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "C", TRUE);
  instasync_test_gui_init (&argc, &argv);

  g_test_add_func ("/account-row/follows-the-account", test_follows_the_account);

  return g_test_run ();
}
