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

GtkWidget *instasync_connect_dialog_new (InstaSyncSyncManager *manager);

G_END_DECLS
