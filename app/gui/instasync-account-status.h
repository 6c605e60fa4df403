/* instasync-account-status.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "instasync-account.h"

G_BEGIN_DECLS

/* What an account row says about an account, worked out apart from any
 * widget so that it can be tested on its own. The most urgent state wins:
 * syncing, needs reconnect, paused, token expiring, then when it last
 * synced. */
typedef enum
{
  INSTASYNC_ACCOUNT_STATE_SYNCING,
  INSTASYNC_ACCOUNT_STATE_NEEDS_RECONNECT,
  INSTASYNC_ACCOUNT_STATE_PAUSED,
  INSTASYNC_ACCOUNT_STATE_EXPIRING,
  INSTASYNC_ACCOUNT_STATE_SYNCED,
  INSTASYNC_ACCOUNT_STATE_NEVER_SYNCED,
} InstaSyncAccountState;

/* Token expiry this close (in days) is worth a word in the list. */
#define INSTASYNC_ACCOUNT_EXPIRY_WARNING_DAYS 7

InstaSyncAccountState instasync_account_state_get       (InstaSyncAccount      *account,
                                                         gboolean               syncing,
                                                         gint64                 now);
/* "Synced 5 minutes ago", "Paused until 14:30", … at @now (Unix seconds). */
char                 *instasync_account_state_dup_text  (InstaSyncAccount      *account,
                                                         gboolean               syncing,
                                                         gint64                 now);
const char           *instasync_account_state_icon_name (InstaSyncAccountState  state);
/* A style class for the state: "success", "warning", "error" or NULL. */
const char           *instasync_account_state_style     (InstaSyncAccountState  state);

G_END_DECLS
