/* instasync-app-secret.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The Meta app secret of the desktop app lives in the user's keyring
 * (Secret Service), one per app ID, never in GSettings or the database. */
void      instasync_app_secret_store_async  (const char           *app_id,
                                             const char           *secret,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean  instasync_app_secret_store_finish (GAsyncResult         *result,
                                             GError              **error);
/* Blocking, for worker threads: the secret, or NULL (none stored, or no
 * keyring) with @error set only when the keyring failed. */
char     *instasync_app_secret_lookup       (const char           *app_id,
                                             GCancellable         *cancellable,
                                             GError              **error);

G_END_DECLS
