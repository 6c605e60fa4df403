/* instasync-account-row.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "instasync-account.h"
#include "instasync-sync-manager.h"

G_BEGIN_DECLS

#define INSTASYNC_TYPE_ACCOUNT_ROW (instasync_account_row_get_type ())

G_DECLARE_FINAL_TYPE (InstaSyncAccountRow, instasync_account_row, INSTASYNC, ACCOUNT_ROW, GtkWidget)

/* One account in the sidebar: its avatar, its name and what state it is in,
 * kept current as the account and the sync manager change. */
GtkWidget        *instasync_account_row_new         (InstaSyncSyncManager *manager);
InstaSyncAccount *instasync_account_row_get_account (InstaSyncAccountRow  *self);
void              instasync_account_row_set_account (InstaSyncAccountRow  *self,
                                                     InstaSyncAccount     *account);
/* The status line as shown, for tests. */
const char       *instasync_account_row_get_status_text (InstaSyncAccountRow *self);
/* Whether the account's profile picture replaced the initials. */
gboolean          instasync_account_row_has_picture (InstaSyncAccountRow *self);

G_END_DECLS
