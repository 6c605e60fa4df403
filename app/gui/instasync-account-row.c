/* instasync-account-row.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-gui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "instasync-account-row.h"
#include "instasync-account-status.h"
#include "instasync-inert-text.h"

/* "Synced 5 minutes ago" must not stay "just now" for an hour. */
#define REFRESH_SECONDS 30

struct _InstaSyncAccountRow
{
  GtkWidget             parent_instance;

  InstaSyncSyncManager *manager;
  InstaSyncAccount     *account;
  gulong                account_handler;
  guint                 refresh_id;
  GCancellable         *avatar_cancellable;

  AdwAvatar            *avatar;
  GtkLabel             *name_label;
  GtkBox               *status_box;
  GtkImage             *status_icon;
  GtkLabel             *status_label;
};

G_DEFINE_FINAL_TYPE (InstaSyncAccountRow, instasync_account_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MANAGER,
  PROP_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const state_styles[] = { "success", "warning", "error" };

/* Auxiliary */

static void
update (InstaSyncAccountRow *self)
{
  g_autofree char *username = NULL;
  const char *ig_user_id;
  gboolean syncing;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  InstaSyncAccountState state;
  g_autofree char *text = NULL;
  const char *style;

  if (self->account == NULL)
    return;

  ig_user_id = instasync_account_get_ig_user_id (self->account);
  /* GTK draws control characters as boxes, and bidi overrides reorder the
   * row: neither, from the API. */
  if (instasync_account_get_username (self->account) != NULL)
    username = instasync_text_make_inert (instasync_account_get_username (self->account),
                                          INSTASYNC_INERT_NO_LIMIT);
  syncing = self->manager != NULL &&
            instasync_sync_manager_is_syncing_account (self->manager, ig_user_id);

  gtk_label_set_label (self->name_label, username != NULL ? username : ig_user_id);
  adw_avatar_set_text (self->avatar, username != NULL ? username : ig_user_id);

  state = instasync_account_state_get (self->account, syncing, now);
  text = instasync_account_state_dup_text (self->account, syncing, now);
  gtk_label_set_label (self->status_label, text);
  gtk_image_set_from_icon_name (self->status_icon, instasync_account_state_icon_name (state));

  style = instasync_account_state_style (state);
  for (guint i = 0; i < G_N_ELEMENTS (state_styles); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_box), state_styles[i]);
  if (style != NULL && !g_str_equal (style, "success"))
    gtk_widget_add_css_class (GTK_WIDGET (self->status_box), style);

  /* The row reads as one sentence to a screen reader. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  username != NULL ? username : ig_user_id,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
}

/* Callbacks */

static void
on_avatar_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(InstaSyncAccountRow) self = user_data;
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  image = instasync_sync_manager_load_avatar_finish (INSTASYNC_SYNC_MANAGER (object), result, &error);
  if (image == NULL)
    {
      /* The initials stay: nothing for the user to act on. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No profile picture: %s", error->message);
      return;
    }

  texture = gdk_texture_new_from_bytes (image, &error);
  if (texture == NULL)
    {
      g_debug ("The profile picture is not an image: %s", error->message);
      return;
    }

  adw_avatar_set_custom_image (self->avatar, GDK_PAINTABLE (texture));
}

static void
load_avatar (InstaSyncAccountRow *self)
{
  g_cancellable_cancel (self->avatar_cancellable);
  g_clear_object (&self->avatar_cancellable);
  adw_avatar_set_custom_image (self->avatar, NULL);

  if (self->account == NULL || self->manager == NULL ||
      !instasync_sync_manager_get_ready (self->manager))
    return;

  self->avatar_cancellable = g_cancellable_new ();
  instasync_sync_manager_load_avatar_async (self->manager,
                                            instasync_account_get_ig_user_id (self->account),
                                            self->avatar_cancellable, on_avatar_loaded_cb,
                                            g_object_ref (self));
}

static void
on_account_notify_cb (InstaSyncAccountRow *self)
{
  update (self);
}

static void
on_manager_changed_cb (InstaSyncAccountRow *self)
{
  update (self);
}

static gboolean
on_refresh_cb (gpointer data)
{
  update (INSTASYNC_ACCOUNT_ROW (data));
  return G_SOURCE_CONTINUE;
}

/* GObject overrides */

static void
instasync_account_row_map (GtkWidget *widget)
{
  InstaSyncAccountRow *self = INSTASYNC_ACCOUNT_ROW (widget);

  GTK_WIDGET_CLASS (instasync_account_row_parent_class)->map (widget);

  update (self);
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add_seconds (REFRESH_SECONDS, on_refresh_cb, self);
}

static void
instasync_account_row_unmap (GtkWidget *widget)
{
  InstaSyncAccountRow *self = INSTASYNC_ACCOUNT_ROW (widget);

  g_clear_handle_id (&self->refresh_id, g_source_remove);

  GTK_WIDGET_CLASS (instasync_account_row_parent_class)->unmap (widget);
}

static void
instasync_account_row_set_manager (InstaSyncAccountRow  *self,
                                   InstaSyncSyncManager *manager)
{
  g_assert (self->manager == NULL);

  if (manager == NULL)
    return;

  self->manager = g_object_ref (manager);
  g_signal_connect_object (manager, "notify::syncing", G_CALLBACK (on_manager_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (manager, "account-synced", G_CALLBACK (on_manager_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
instasync_account_row_dispose (GObject *object)
{
  InstaSyncAccountRow *self = INSTASYNC_ACCOUNT_ROW (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_cancellable_cancel (self->avatar_cancellable);
  g_clear_object (&self->avatar_cancellable);
  instasync_account_row_set_account (self, NULL);
  g_clear_object (&self->manager);
  gtk_widget_dispose_template (GTK_WIDGET (self), INSTASYNC_TYPE_ACCOUNT_ROW);
  /* The template's root child is not bound to a field: unparent it too. */
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }

  G_OBJECT_CLASS (instasync_account_row_parent_class)->dispose (object);
}

static void
instasync_account_row_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  InstaSyncAccountRow *self = INSTASYNC_ACCOUNT_ROW (object);

  switch (prop_id)
    {
    case PROP_MANAGER:
      g_value_set_object (value, self->manager);
      break;
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
instasync_account_row_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  InstaSyncAccountRow *self = INSTASYNC_ACCOUNT_ROW (object);

  switch (prop_id)
    {
    case PROP_MANAGER:
      instasync_account_row_set_manager (self, g_value_get_object (value));
      break;
    case PROP_ACCOUNT:
      instasync_account_row_set_account (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
instasync_account_row_class_init (InstaSyncAccountRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = instasync_account_row_dispose;
  object_class->get_property = instasync_account_row_get_property;
  object_class->set_property = instasync_account_row_set_property;
  widget_class->map = instasync_account_row_map;
  widget_class->unmap = instasync_account_row_unmap;

  properties[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL, INSTASYNC_TYPE_SYNC_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, INSTASYNC_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/credify/InstaSync/ui/instasync-account-row.ui");
  gtk_widget_class_bind_template_child (widget_class, InstaSyncAccountRow, avatar);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncAccountRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncAccountRow, status_box);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncAccountRow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncAccountRow, status_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
instasync_account_row_init (InstaSyncAccountRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

GtkWidget *
instasync_account_row_new (InstaSyncSyncManager *manager)
{
  return g_object_new (INSTASYNC_TYPE_ACCOUNT_ROW, "manager", manager, NULL);
}

InstaSyncAccount *
instasync_account_row_get_account (InstaSyncAccountRow *self)
{
  g_return_val_if_fail (INSTASYNC_IS_ACCOUNT_ROW (self), NULL);

  return self->account;
}

void
instasync_account_row_set_account (InstaSyncAccountRow *self,
                                   InstaSyncAccount    *account)
{
  g_return_if_fail (INSTASYNC_IS_ACCOUNT_ROW (self));
  g_return_if_fail (account == NULL || INSTASYNC_IS_ACCOUNT (account));

  if (self->account == account)
    return;

  if (self->account != NULL)
    g_clear_signal_handler (&self->account_handler, self->account);
  g_set_object (&self->account, account);
  if (account != NULL)
    self->account_handler = g_signal_connect_object (account, "notify",
                                                     G_CALLBACK (on_account_notify_cb), self,
                                                     G_CONNECT_SWAPPED);

  update (self);
  load_avatar (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
}

gboolean
instasync_account_row_has_picture (InstaSyncAccountRow *self)
{
  g_return_val_if_fail (INSTASYNC_IS_ACCOUNT_ROW (self), FALSE);

  return adw_avatar_get_custom_image (self->avatar) != NULL;
}

const char *
instasync_account_row_get_status_text (InstaSyncAccountRow *self)
{
  g_return_val_if_fail (INSTASYNC_IS_ACCOUNT_ROW (self), NULL);

  return gtk_label_get_label (self->status_label);
}
