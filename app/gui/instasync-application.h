/* instasync-application.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "instasync-sync-manager.h"

G_BEGIN_DECLS

#define INSTASYNC_TYPE_APPLICATION (instasync_application_get_type ())

G_DECLARE_FINAL_TYPE (InstaSyncApplication, instasync_application, INSTASYNC, APPLICATION, AdwApplication)

InstaSyncApplication *instasync_application_new          (void);
/* The model every window shows; NULL until the application has started. */
InstaSyncSyncManager *instasync_application_get_manager  (InstaSyncApplication *self);
GSettings            *instasync_application_get_settings (InstaSyncApplication *self);

G_END_DECLS
