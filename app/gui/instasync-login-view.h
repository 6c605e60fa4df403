/* instasync-login-view.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The web view of the connect dialog lives in a module of its own, loaded
 * the first time someone logs in: WebKitGTK and what it brings (about a
 * hundred libraries, tens of megabytes) would otherwise be loaded on every
 * launch, for a dialog most launches never open. */

typedef struct
{
  /* A navigation is about to happen; TRUE takes it over (it does not
   * load). */
  gboolean (*navigation)  (const char   *uri,
                           gpointer      user_data);
  /* The address shown changed. */
  void     (*uri_changed) (const char   *uri,
                           gpointer      user_data);
  /* A page failed to load (a navigation taken over is no failure). */
  void     (*load_failed) (const GError *error,
                           gpointer      user_data);
  /* Whether the view may load @uri (a navigation that was not taken over,
   * or a response): see instasync_login_view_is_allowed_uri(). */
  gboolean (*allowed)     (const char   *uri,
                           gpointer      user_data);
} InstaSyncLoginViewCallbacks;

typedef struct
{
  /* A web view that keeps nothing on disk (no cookie outlives it), goes
   * only where the callbacks allow, opens no window and downloads
   * nothing. */
  GtkWidget *(*create)   (const InstaSyncLoginViewCallbacks *callbacks,
                          gpointer                           user_data);
  void       (*load_uri) (GtkWidget                         *view,
                          const char                        *uri);
  void       (*stop)     (GtkWidget                         *view);
} InstaSyncLoginViewModule;

/* The name the module exports its table under. */
#define INSTASYNC_LOGIN_VIEW_SYMBOL "instasync_login_view_module"

/* Loads the module once (from INSTASYNC_MODULE_DIR, the installed folder,
 * or the build tree) and returns its table, or NULL with @error set. */
const InstaSyncLoginViewModule *instasync_login_view_module_get (GError **error);

G_END_DECLS
