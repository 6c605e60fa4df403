/* instasync-connect-dialog.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "instasync-sync-manager.h"

G_BEGIN_DECLS

#define INSTASYNC_TYPE_CONNECT_DIALOG (instasync_connect_dialog_get_type ())

G_DECLARE_FINAL_TYPE (InstaSyncConnectDialog, instasync_connect_dialog, INSTASYNC, CONNECT_DIALOG, AdwWindow)

/* Connecting Instagram accounts: Meta's login dialog in an embedded web
 * view (the redirect to the login_success page is caught, never loaded),
 * or a pasted token checked with Meta; then the accounts found, to choose
 * from, and a page that says what went wrong and what to do when nothing
 * can be connected. */
GtkWidget  *instasync_connect_dialog_new             (InstaSyncSyncManager   *manager);

/* The steps, for the tests that drive the dialog as a user would. */
void        instasync_connect_dialog_start_login     (InstaSyncConnectDialog *self);
void        instasync_connect_dialog_check_token     (InstaSyncConnectDialog *self,
                                                      const char             *token);
void        instasync_connect_dialog_add_accounts    (InstaSyncConnectDialog *self);
/* "start", "browser", "paste", "working", "accounts", "problem" or "done". */
const char *instasync_connect_dialog_get_step        (InstaSyncConnectDialog *self);
/* The problem page's title, the host the web view shows, the number of
 * accounts found. */
const char *instasync_connect_dialog_get_problem     (InstaSyncConnectDialog *self);
const char *instasync_connect_dialog_get_host        (InstaSyncConnectDialog *self);
guint       instasync_connect_dialog_get_n_found     (InstaSyncConnectDialog *self);
GtkWidget  *instasync_connect_dialog_get_web_view    (InstaSyncConnectDialog *self);
/* The last address the web view was kept from, or NULL. */
const char *instasync_connect_dialog_get_refused_uri (InstaSyncConnectDialog *self);

G_END_DECLS
