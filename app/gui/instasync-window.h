/* instasync-window.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "instasync-account-page.h"

G_BEGIN_DECLS

typedef struct _InstaSyncApplication InstaSyncApplication;

#define INSTASYNC_TYPE_WINDOW (instasync_window_get_type ())

G_DECLARE_FINAL_TYPE (InstaSyncWindow, instasync_window, INSTASYNC, WINDOW, AdwApplicationWindow)

InstaSyncWindow      *instasync_window_new              (InstaSyncApplication *application);
/* A toast with @message. */
void                  instasync_window_show_error       (InstaSyncWindow      *self,
                                                         const char           *message);
/* The database could not be opened: a page that says why, in place of the
 * accounts. */
void                  instasync_window_show_open_error  (InstaSyncWindow      *self,
                                                         const char           *message);
/* Opens the connect dialog, and returns it. */
GtkWidget            *instasync_window_connect_account  (InstaSyncWindow      *self);
/* For tests: the visible main page ("loading", "empty" or "accounts"), the
 * account list and the account page. */
const char           *instasync_window_get_page_name    (InstaSyncWindow      *self);
GtkListView          *instasync_window_get_account_list (InstaSyncWindow      *self);
InstaSyncAccountPage *instasync_window_get_account_page (InstaSyncWindow      *self);
void                  instasync_window_select_account   (InstaSyncWindow      *self,
                                                         guint                 position);

G_END_DECLS
