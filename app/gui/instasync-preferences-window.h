/* instasync-preferences-window.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define INSTASYNC_TYPE_PREFERENCES_WINDOW (instasync_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (InstaSyncPreferencesWindow, instasync_preferences_window, INSTASYNC,
                      PREFERENCES_WINDOW, AdwPreferencesWindow)

/* The preferences, each bound to its GSettings key; the app secret goes to
 * the keyring. A value that would not work is refused with a toast. */
GtkWidget *instasync_preferences_window_new (GSettings *settings);

G_END_DECLS
