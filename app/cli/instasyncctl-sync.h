/* instasyncctl-sync.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "instasync-sync-engine.h"
#include "instasyncctl.h"

G_BEGIN_DECLS

/* Syncs every account (or @only_account), prints the results and returns the
 * exit status. Shared by "sync" and "--demo". */
int      ctl_run_sync     (CtlContext                 *ctx,
                           const char                 *only_account,
                           const InstaSyncSyncOptions *options,
                           gboolean                    json);
/* Fills options->since/until from --since/--until and checks them. */
gboolean ctl_parse_window (const char                 *since_text,
                           const char                 *until_text,
                           InstaSyncSyncOptions       *options,
                           GError                    **error);

G_END_DECLS
