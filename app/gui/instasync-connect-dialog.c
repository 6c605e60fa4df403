/* instasync-connect-dialog.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "instasync-connect-dialog.h"

struct _InstaSyncConnectDialog
{
  AdwWindow             parent_instance;

  InstaSyncSyncManager *manager;
};

G_DEFINE_FINAL_TYPE (InstaSyncConnectDialog, instasync_connect_dialog, ADW_TYPE_WINDOW)

static void
instasync_connect_dialog_dispose (GObject *object)
{
  InstaSyncConnectDialog *self = INSTASYNC_CONNECT_DIALOG (object);

  g_clear_object (&self->manager);

  G_OBJECT_CLASS (instasync_connect_dialog_parent_class)->dispose (object);
}

static void
instasync_connect_dialog_class_init (InstaSyncConnectDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = instasync_connect_dialog_dispose;
}

static void
instasync_connect_dialog_init (InstaSyncConnectDialog *self)
{
  gtk_window_set_title (GTK_WINDOW (self), _("Connect Account"));
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
}

GtkWidget *
instasync_connect_dialog_new (InstaSyncSyncManager *manager)
{
  InstaSyncConnectDialog *self = g_object_new (INSTASYNC_TYPE_CONNECT_DIALOG, NULL);

  self->manager = g_object_ref (manager);
  return GTK_WIDGET (self);
}
