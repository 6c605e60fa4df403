/* instasync-window.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "instasync-account-row.h"
#include "instasync-application.h"
#include "instasync-connect-dialog.h"
#include "instasync-window.h"
#include "instasync-redact.h"

struct _InstaSyncWindow
{
  AdwApplicationWindow  parent_instance;

  InstaSyncSyncManager *manager;
  GSettings            *settings;
  GtkSingleSelection   *selection;

  AdwToastOverlay      *toast_overlay;
  AdwStatusPage        *error_page;
  gboolean              open_failed;
  GtkStack             *main_stack;
  AdwLeaflet           *leaflet;
  GtkWidget            *content;
  GtkStack             *sync_button_stack;
  GtkProgressBar       *sync_progress;
  GtkListView          *account_list;
  AdwWindowTitle       *content_title;
  GtkButton            *sync_account_button;
  InstaSyncAccountPage *account_page;
};

G_DEFINE_FINAL_TYPE (InstaSyncWindow, instasync_window, ADW_TYPE_APPLICATION_WINDOW)

/* Auxiliary */

static void
update_page (InstaSyncWindow *self)
{
  GListModel *accounts = instasync_sync_manager_get_accounts (self->manager);
  const char *page;

  if (self->open_failed)
    page = "error";
  else if (!instasync_sync_manager_get_ready (self->manager))
    page = "loading";
  else if (g_list_model_get_n_items (accounts) == 0)
    page = "empty";
  else
    page = "accounts";

  gtk_stack_set_visible_child_name (self->main_stack, page);
}

static void
show_selected (InstaSyncWindow *self)
{
  InstaSyncAccount *account = gtk_single_selection_get_selected_item (self->selection);
  const char *username = NULL;

  instasync_account_page_set_account (self->account_page, account);

  /* The target first: an action that takes a string must never be
   * without one. */
  if (account != NULL)
    {
      username = instasync_account_get_username (account);
      gtk_actionable_set_action_target (GTK_ACTIONABLE (self->sync_account_button), "s",
                                        instasync_account_get_ig_user_id (account));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->sync_account_button), "app.sync-account");
    }
  else
    {
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->sync_account_button), NULL);
    }
  adw_window_title_set_title (self->content_title,
                              username != NULL ? username
                              : account != NULL ? instasync_account_get_ig_user_id (account) : "");
  gtk_widget_set_sensitive (GTK_WIDGET (self->sync_account_button), account != NULL);
}

/* Callbacks */

static void
on_manager_ready_cb (InstaSyncWindow *self)
{
  update_page (self);
  show_selected (self);
}

static void
on_accounts_changed_cb (InstaSyncWindow *self)
{
  update_page (self);
}

static void
on_syncing_changed_cb (InstaSyncWindow *self)
{
  gboolean syncing = instasync_sync_manager_get_syncing (self->manager);

  gtk_stack_set_visible_child_name (self->sync_button_stack, syncing ? "syncing" : "idle");
  gtk_widget_set_visible (GTK_WIDGET (self->sync_progress), syncing);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sync_account_button),
                            !syncing && gtk_single_selection_get_selected_item (self->selection) != NULL);
}

static void
on_progress_changed_cb (InstaSyncWindow *self)
{
  gtk_progress_bar_set_fraction (self->sync_progress,
                                 instasync_sync_manager_get_progress (self->manager));
}

static void
on_account_synced_cb (InstaSyncWindow      *self,
                      InstaSyncAccount     *account,
                      InstaSyncFetchResult *result)
{
  InstaSyncFetchStatus status = instasync_fetch_result_get_status (result);
  g_autofree char *summary = NULL;
  g_autofree char *message = NULL;
  const char *name = instasync_account_get_username (account);

  if (status == INSTASYNC_FETCH_STATUS_SUCCEEDED)
    return;

  /* Only what needs the user's attention is worth interrupting them for. */
  summary = instasync_fetch_result_to_summary (result);
  message = g_strdup_printf ("%s: %s", name != NULL ? name : instasync_account_get_ig_user_id (account),
                             g_strchomp (summary));
  instasync_window_show_error (self, message);
}

static void
on_selection_changed_cb (InstaSyncWindow *self)
{
  show_selected (self);
}

static void
on_account_list_activate_cb (GtkListView     *list,
                             guint            position,
                             InstaSyncWindow *self)
{
  gtk_single_selection_set_selected (self->selection, position);
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
on_back_button_clicked_cb (GtkButton       *button,
                           InstaSyncWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* The shortcuts window is built the first time it is asked for, not with
 * every window: GTK would otherwise build it before the first frame. */
static void
on_show_shortcuts_cb (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  InstaSyncWindow *self = INSTASYNC_WINDOW (widget);
  GtkWindow *shortcuts = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (self))
                         ? GTK_WINDOW (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (self)))
                         : NULL;

  if (shortcuts == NULL)
    {
      g_autoptr(GtkBuilder) builder =
        gtk_builder_new_from_resource ("/com/credify/InstaSync/ui/instasync-shortcuts-window.ui");

      shortcuts = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_application_window_set_help_overlay (GTK_APPLICATION_WINDOW (self),
                                               GTK_SHORTCUTS_WINDOW (shortcuts));
    }

  gtk_window_present (shortcuts);
}

static void
on_row_setup_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 InstaSyncWindow          *self)
{
  gtk_list_item_set_child (item, instasync_account_row_new (self->manager));
}

static void
on_row_bind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                InstaSyncWindow          *self)
{
  instasync_account_row_set_account (INSTASYNC_ACCOUNT_ROW (gtk_list_item_get_child (item)),
                                     gtk_list_item_get_item (item));
}

static void
on_row_unbind_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  InstaSyncWindow          *self)
{
  instasync_account_row_set_account (INSTASYNC_ACCOUNT_ROW (gtk_list_item_get_child (item)), NULL);
}

/* GObject overrides */

/* Binds the window to the application's model; the application property
 * is set only after construction, hence not in constructed(). */
static void
setup (InstaSyncWindow      *self,
       InstaSyncApplication *app)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  self->manager = g_object_ref (instasync_application_get_manager (app));
  self->settings = g_object_ref (instasync_application_get_settings (app));

  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
  /* Running in the background, closing hides the window: the next daily
   * sync still runs, and the app comes back as it was. */
  g_settings_bind (self->settings, "run-in-background", self, "hide-on-close", G_SETTINGS_BIND_GET);

  self->selection = gtk_single_selection_new (g_object_ref (instasync_sync_manager_get_accounts (self->manager)));
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (on_selection_changed_cb), self);

  g_signal_connect (factory, "setup", G_CALLBACK (on_row_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (on_row_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_row_unbind_cb), self);
  gtk_list_view_set_factory (self->account_list, factory);
  gtk_list_view_set_model (self->account_list, GTK_SELECTION_MODEL (self->selection));

  instasync_account_page_set_context (self->account_page, self->manager, self->settings);

  g_signal_connect_object (self->manager, "notify::ready", G_CALLBACK (on_manager_ready_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (instasync_sync_manager_get_accounts (self->manager), "items-changed",
                           G_CALLBACK (on_accounts_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->manager, "notify::syncing", G_CALLBACK (on_syncing_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->manager, "notify::progress", G_CALLBACK (on_progress_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->manager, "account-synced", G_CALLBACK (on_account_synced_cb), self,
                           G_CONNECT_SWAPPED);

  update_page (self);
  on_syncing_changed_cb (self);
  show_selected (self);
}

static void
instasync_window_dispose (GObject *object)
{
  InstaSyncWindow *self = INSTASYNC_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), INSTASYNC_TYPE_WINDOW);
  g_clear_object (&self->selection);
  g_clear_object (&self->settings);
  g_clear_object (&self->manager);

  G_OBJECT_CLASS (instasync_window_parent_class)->dispose (object);
}

static void
instasync_window_class_init (InstaSyncWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = instasync_window_dispose;

  g_type_ensure (INSTASYNC_TYPE_ACCOUNT_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/credify/InstaSync/ui/instasync-window.ui");
  gtk_widget_class_bind_template_child (widget_class, InstaSyncWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncWindow, content);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncWindow, sync_button_stack);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncWindow, sync_progress);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncWindow, account_list);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncWindow, sync_account_button);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncWindow, account_page);
  gtk_widget_class_bind_template_callback (widget_class, on_account_list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_back_button_clicked_cb);

  gtk_widget_class_install_action (widget_class, "window.show-shortcuts", NULL, on_show_shortcuts_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_question, GDK_CONTROL_MASK,
                                       "window.show-shortcuts", NULL);
}

static void
instasync_window_init (InstaSyncWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

InstaSyncWindow *
instasync_window_new (InstaSyncApplication *application)
{
  InstaSyncWindow *self;

  g_return_val_if_fail (INSTASYNC_IS_APPLICATION (application), NULL);

  self = g_object_new (INSTASYNC_TYPE_WINDOW, "application", application, NULL);
  setup (self, application);
  return self;
}

void
instasync_window_show_error (InstaSyncWindow *self,
                             const char      *message)
{
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  g_return_if_fail (INSTASYNC_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  escaped = instasync_redact_markup (message);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
instasync_window_show_open_error (InstaSyncWindow *self,
                                  const char      *message)
{
  g_autofree char *escaped = NULL;

  g_return_if_fail (INSTASYNC_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  escaped = instasync_redact_markup (message);
  adw_status_page_set_description (self->error_page, escaped);
  self->open_failed = TRUE;
  update_page (self);
}

GtkWidget *
instasync_window_connect_account (InstaSyncWindow *self)
{
  GtkWidget *dialog;

  g_return_val_if_fail (INSTASYNC_IS_WINDOW (self), NULL);

  dialog = instasync_connect_dialog_new (self->manager);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  /* So that its app.* actions (sync the new accounts) reach the application. */
  gtk_window_set_application (GTK_WINDOW (dialog), gtk_window_get_application (GTK_WINDOW (self)));
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

const char *
instasync_window_get_page_name (InstaSyncWindow *self)
{
  g_return_val_if_fail (INSTASYNC_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->main_stack);
}

GtkListView *
instasync_window_get_account_list (InstaSyncWindow *self)
{
  g_return_val_if_fail (INSTASYNC_IS_WINDOW (self), NULL);

  return self->account_list;
}

InstaSyncAccountPage *
instasync_window_get_account_page (InstaSyncWindow *self)
{
  g_return_val_if_fail (INSTASYNC_IS_WINDOW (self), NULL);

  return self->account_page;
}

void
instasync_window_select_account (InstaSyncWindow *self,
                                 guint            position)
{
  g_return_if_fail (INSTASYNC_IS_WINDOW (self));

  on_account_list_activate_cb (self->account_list, position, self);
}
