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
#include "instasync-inert-text.h"
#include "instasync-login-policy.h"
#include "instasync-login-view.h"
#include "instasync-oauth.h"
#include "instasync-redact.h"

struct _InstaSyncConnectDialog
{
  AdwWindow             parent_instance;

  InstaSyncSyncManager *manager;
  GCancellable         *cancellable;
  InstaSyncOAuthFlow   *flow;
  InstaSyncOAuthGrant  *grant;
  InstaSyncDiscovery   *discovery;
  GPtrArray            *checks;       /* GtkCheckButton, one per account found */
  GPtrArray            *extra_rows;   /* rows added to the groups, removed on retry */
  char                 *step;
  char                 *refused_uri;  /* the last address the login view did not load */

  AdwToastOverlay      *toast_overlay;
  GtkStack             *title_stack;
  GtkImage             *host_icon;
  GtkLabel             *host_label;
  GtkButton            *back_button;
  GtkStack             *stack;
  GtkButton            *login_button;
  GtkLabel             *login_hint;
  GtkBox               *browser_box;
  GtkWidget            *web_view;
  const InstaSyncLoginViewModule *login_view;
  AdwEntryRow          *token_row;
  GtkButton            *check_button;
  AdwStatusPage        *working_page;
  AdwPreferencesGroup  *accounts_group;
  AdwPreferencesGroup  *skipped_group;
  GtkButton            *add_button;
  AdwStatusPage        *problem_page;
};

G_DEFINE_FINAL_TYPE (InstaSyncConnectDialog, instasync_connect_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STEP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Auxiliary */

/* The API's words as markup: escaped, and without the control and bidi
 * characters that would garble a row. */
static char *
markup_inert (const char *text)
{
  g_autofree char *inert = instasync_text_make_inert (text, INSTASYNC_INERT_NO_LIMIT);

  return g_markup_escape_text (inert, -1);
}

static void
show_step (InstaSyncConnectDialog *self,
           const char             *step)
{
  if (g_strcmp0 (self->step, step) == 0)
    return;

  g_free (self->step);
  self->step = g_strdup (step);

  if (!g_str_equal (step, "done"))
    gtk_stack_set_visible_child_name (self->stack, step);
  gtk_stack_set_visible_child_name (self->title_stack, g_str_equal (step, "browser") ? "host" : "title");
  gtk_widget_set_visible (GTK_WIDGET (self->back_button),
                          !g_str_equal (step, "start") && !g_str_equal (step, "working") &&
                          !g_str_equal (step, "done"));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
}

static void
show_problem (InstaSyncConnectDialog *self,
              const char             *icon_name,
              const char             *title,
              const char             *description)
{
  adw_status_page_set_icon_name (self->problem_page, icon_name);
  adw_status_page_set_title (self->problem_page, title);
  adw_status_page_set_description (self->problem_page, description);
  show_step (self, "problem");
}

static void
show_error (InstaSyncConnectDialog *self,
            const GError           *error)
{
  g_autofree char *escaped = instasync_redact_markup (error->message);

  if (g_error_matches (error, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_CANCELLED))
    show_problem (self, "dialog-information-symbolic", _("Login Cancelled"),
                  _("No account was connected. You can log in again at any time."));
  else if (g_error_matches (error, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_DENIED))
    show_problem (self, "action-unavailable-symbolic", _("Permissions Declined"),
                  _("InstaSync needs to see your Pages and read your Instagram insights. Log in "
                    "again and allow every permission it asks for."));
  else if (g_error_matches (error, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_STATE))
    show_problem (self, "security-medium-symbolic", _("Login Not Trusted"),
                  _("The answer from the login page did not belong to this login, so it was "
                    "not used. Log in again."));
  else
    show_problem (self, "dialog-warning-symbolic", _("Could Not Connect"), escaped);
}

static void
clear_found (InstaSyncConnectDialog *self)
{
  for (guint i = 0; i < self->extra_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->extra_rows, i);
      GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

      if (group != NULL)
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }
  g_ptr_array_set_size (self->extra_rows, 0);
  g_ptr_array_set_size (self->checks, 0);
  g_clear_pointer (&self->discovery, instasync_discovery_free);
  g_clear_pointer (&self->grant, instasync_oauth_grant_free);
}

static void
add_row (InstaSyncConnectDialog *self,
         AdwPreferencesGroup    *group,
         GtkWidget              *row)
{
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->extra_rows, row);
}

static char *
skipped_names (InstaSyncDiscovery *discovery)
{
  GString *names = g_string_new (NULL);

  for (guint i = 0; i < discovery->skipped->len; i++)
    {
      InstaSyncSkippedPage *page = g_ptr_array_index (discovery->skipped, i);
      g_autofree char *escaped = markup_inert (page->page_name != NULL ? page->page_name
                                                                       : page->page_id);

      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append_printf (names, "“%s”", escaped);
    }

  return g_string_free (names, FALSE);
}

/* What was found: the accounts to choose from, or why there are none. */
static void
show_found (InstaSyncConnectDialog *self)
{
  InstaSyncDiscovery *discovery = self->discovery;

  if (discovery->accounts->len == 0 && discovery->skipped->len > 0)
    {
      g_autofree char *names = skipped_names (discovery);
      g_autofree char *description = NULL;

      /* Translators: %s names one Facebook Page, or lists several. */
      description = g_strdup_printf (ngettext ("The Facebook Page %s has no Instagram professional "
                                               "account linked. On Facebook, open the Page’s "
                                               "settings, choose “Linked accounts”, connect your "
                                               "Instagram account, then log in here again.",
                                               "The Facebook Pages %s have no Instagram professional "
                                               "account linked. On Facebook, open each Page’s "
                                               "settings, choose “Linked accounts”, connect your "
                                               "Instagram account, then log in here again.",
                                               discovery->skipped->len), names);
      show_problem (self, "dialog-warning-symbolic", _("No Instagram Account Linked"), description);
      return;
    }

  if (discovery->accounts->len == 0)
    {
      show_problem (self, "dialog-warning-symbolic", _("No Page Shared with InstaSync"),
                    _("Meta shared no Facebook Page with InstaSync. A missing permission is the "
                      "usual reason: log in again, choose “Edit access” and select the Pages "
                      "linked to your Instagram accounts, with every permission allowed."));
      return;
    }

  for (guint i = 0; i < discovery->accounts->len; i++)
    {
      InstaSyncDiscoveredAccount *account = g_ptr_array_index (discovery->accounts, i);
      const char *username = instasync_discovered_account_get_username (account);
      g_autofree char *page = instasync_text_make_inert (instasync_discovered_account_get_page_name (account),
                                                         INSTASYNC_INERT_NO_LIMIT);
      gint64 followers = instasync_discovered_account_get_followers_count (account);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      g_autofree char *title = markup_inert (username != NULL ? username
                                             : instasync_discovered_account_get_ig_user_id (account));
      g_autofree char *subtitle = NULL;

      if (followers >= 0)
        {
          g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, followers);

          /* Translators: "Page “Bakery” · 1200 followers"; the second %s is
           * the number. */
          subtitle = g_strdup_printf (ngettext ("Page “%s” · %s follower",
                                                "Page “%s” · %s followers",
                                                (gulong)MIN (followers, G_MAXLONG)),
                                      page, count);
        }
      else
        subtitle = g_strdup_printf (_("Page “%s”"), page);

      {
        g_autofree char *escaped = g_markup_escape_text (subtitle, -1);

        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
      }
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      add_row (self, self->accounts_group, row);
      g_ptr_array_add (self->checks, check);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->skipped_group), discovery->skipped->len > 0);
  for (guint i = 0; i < discovery->skipped->len; i++)
    {
      InstaSyncSkippedPage *page = g_ptr_array_index (discovery->skipped, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = markup_inert (page->page_name != NULL ? page->page_name
                                                                     : page->page_id);
      g_autofree char *reason = markup_inert (page->reason);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), reason);
      add_row (self, self->skipped_group, row);
    }

  show_step (self, "accounts");
}

/* Callbacks */

static void
on_discovered_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(InstaSyncConnectDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  self->discovery = instasync_discover_accounts_finish (result, &error);
  if (self->discovery == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      return;
    }

  show_found (self);
}

static void
on_login_completed_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(InstaSyncConnectDialog) self = user_data;
  const InstaSyncConfig *config = instasync_sync_manager_get_config (self->manager);
  g_autoptr(GError) error = NULL;

  self->grant = instasync_oauth_flow_complete_finish (INSTASYNC_OAUTH_FLOW (object), result, &error);
  if (self->grant == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      return;
    }

  instasync_discover_accounts_async (config->graph_url, config->graph_version,
                                     self->grant->access_token, config->app_secret,
                                     self->cancellable, on_discovered_cb, g_object_ref (self));
}

/* The one navigation to the redirect address ends the login: it is taken
 * over and never reaches the network. */
static gboolean
on_navigation_cb (const char *uri,
                  gpointer    user_data)
{
  InstaSyncConnectDialog *self = user_data;

  if (self->flow == NULL || !instasync_oauth_flow_is_redirect (self->flow, uri))
    return FALSE;

  /* One answer per login: a second redirect is swallowed, not parsed. */
  if (g_strcmp0 (self->step, "browser") != 0)
    return TRUE;

  adw_status_page_set_title (self->working_page, _("Finding Your Accounts…"));
  show_step (self, "working");
  instasync_oauth_flow_complete_async (self->flow, uri, self->cancellable, on_login_completed_cb,
                                       g_object_ref (self));
  return TRUE;
}

/* The user sees which site is asking for their password. */
static void
on_uri_changed_cb (const char *uri,
                   gpointer    user_data)
{
  InstaSyncConnectDialog *self = user_data;
  g_autoptr(GUri) parsed = uri != NULL ? g_uri_parse (uri, G_URI_FLAGS_NONE, NULL) : NULL;
  gboolean secure = parsed != NULL && g_strcmp0 (g_uri_get_scheme (parsed), "https") == 0;

  gtk_label_set_label (self->host_label, parsed != NULL && g_uri_get_host (parsed) != NULL
                                         ? g_uri_get_host (parsed) : "");
  gtk_image_set_from_icon_name (self->host_icon, secure ? "channel-secure-symbolic"
                                                        : "channel-insecure-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->host_icon),
                               secure ? _("The connection is encrypted")
                                      : _("The connection is not encrypted"));
}

static void
on_load_failed_cb (const GError *error,
                   gpointer      user_data)
{
  InstaSyncConnectDialog *self = user_data;

  g_debug ("The login page did not load: %s", error->message);
  show_problem (self, "network-error-symbolic", _("The Login Page Did Not Load"),
                _("Check the internet connection, then try again."));
}

/* Meta's login pages, the Graph host (the simulator serves its own) and
 * the redirect: no page may lead the user anywhere else. */
static gboolean
on_allowed_cb (const char *uri,
               gpointer    user_data)
{
  InstaSyncConnectDialog *self = user_data;
  const InstaSyncConfig *config = instasync_sync_manager_get_config (self->manager);
  const char *redirect_uri = self->flow != NULL ? instasync_oauth_flow_get_redirect_uri (self->flow)
                                                : config->redirect_uri;

  if (instasync_login_view_is_allowed_uri (uri, config->graph_url, redirect_uri))
    return TRUE;

  g_free (self->refused_uri);
  self->refused_uri = g_strdup (uri);
  return FALSE;
}

static gboolean
ensure_web_view (InstaSyncConnectDialog  *self,
                 GError                 **error)
{
  static const InstaSyncLoginViewCallbacks callbacks = {
    on_navigation_cb, on_uri_changed_cb, on_load_failed_cb, on_allowed_cb,
  };

  if (self->web_view != NULL)
    return TRUE;

  self->login_view = instasync_login_view_module_get (error);
  if (self->login_view == NULL)
    return FALSE;

  self->web_view = self->login_view->create (&callbacks, self);
  gtk_widget_set_vexpand (self->web_view, TRUE);
  gtk_box_append (self->browser_box, self->web_view);
  return TRUE;
}

static void
on_login_clicked_cb (GtkButton              *button,
                     InstaSyncConnectDialog *self)
{
  instasync_connect_dialog_start_login (self);
}

static void
on_paste_clicked_cb (GtkButton              *button,
                     InstaSyncConnectDialog *self)
{
  show_step (self, "paste");
  gtk_widget_grab_focus (GTK_WIDGET (self->token_row));
}

static void
on_token_checked_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(InstaSyncConnectDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  self->grant = instasync_sync_manager_check_token_finish (INSTASYNC_SYNC_MANAGER (object), result,
                                                           &self->discovery, &error);
  if (self->grant == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      return;
    }

  show_found (self);
}

static void
on_check_token_cb (GtkWidget              *widget,
                   InstaSyncConnectDialog *self)
{
  instasync_connect_dialog_check_token (self, gtk_editable_get_text (GTK_EDITABLE (self->token_row)));
}

static void
on_added_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(InstaSyncConnectDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!instasync_sync_manager_add_accounts_finish (INSTASYNC_SYNC_MANAGER (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      return;
    }

  show_step (self, "done");
  /* The new accounts' history starts coming in at once. */
  gtk_widget_activate_action (GTK_WIDGET (self), "app.sync-now", NULL);
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_add_clicked_cb (GtkButton              *button,
                   InstaSyncConnectDialog *self)
{
  instasync_connect_dialog_add_accounts (self);
}

static void
on_back_clicked_cb (GtkWidget              *widget,
                    InstaSyncConnectDialog *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  clear_found (self);
  g_clear_object (&self->flow);
  if (self->web_view != NULL)
    self->login_view->stop (self->web_view);
  show_step (self, "start");
}

/* GObject overrides */

static void
instasync_connect_dialog_dispose (GObject *object)
{
  InstaSyncConnectDialog *self = INSTASYNC_CONNECT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  clear_found (self);
  g_clear_object (&self->flow);
  g_clear_object (&self->manager);
  /* Its callbacks point at this dialog: it goes first. */
  if (self->web_view != NULL)
    {
      gtk_box_remove (self->browser_box, self->web_view);
      self->web_view = NULL;
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), INSTASYNC_TYPE_CONNECT_DIALOG);

  G_OBJECT_CLASS (instasync_connect_dialog_parent_class)->dispose (object);
}

static void
instasync_connect_dialog_finalize (GObject *object)
{
  InstaSyncConnectDialog *self = INSTASYNC_CONNECT_DIALOG (object);

  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_clear_pointer (&self->extra_rows, g_ptr_array_unref);
  g_clear_pointer (&self->step, g_free);
  g_clear_pointer (&self->refused_uri, g_free);

  G_OBJECT_CLASS (instasync_connect_dialog_parent_class)->finalize (object);
}

static void
instasync_connect_dialog_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  InstaSyncConnectDialog *self = INSTASYNC_CONNECT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STEP:
      g_value_set_string (value, self->step);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
instasync_connect_dialog_class_init (InstaSyncConnectDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = instasync_connect_dialog_dispose;
  object_class->finalize = instasync_connect_dialog_finalize;
  object_class->get_property = instasync_connect_dialog_get_property;

  properties[PROP_STEP] =
    g_param_spec_string ("step", NULL, NULL, "start", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/credify/InstaSync/ui/instasync-connect-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, InstaSyncConnectDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncConnectDialog, title_stack);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncConnectDialog, host_icon);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncConnectDialog, host_label);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncConnectDialog, back_button);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncConnectDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncConnectDialog, login_button);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncConnectDialog, login_hint);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncConnectDialog, browser_box);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncConnectDialog, token_row);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncConnectDialog, check_button);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncConnectDialog, working_page);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncConnectDialog, accounts_group);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncConnectDialog, skipped_group);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncConnectDialog, add_button);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncConnectDialog, problem_page);
  gtk_widget_class_bind_template_callback (widget_class, on_login_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_paste_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_check_token_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
instasync_connect_dialog_init (InstaSyncConnectDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->checks = g_ptr_array_new ();
  self->extra_rows = g_ptr_array_new ();
  show_step (self, "start");
}

/* Public API */

GtkWidget *
instasync_connect_dialog_new (InstaSyncSyncManager *manager)
{
  InstaSyncConnectDialog *self;
  gboolean can_log_in;

  g_return_val_if_fail (INSTASYNC_IS_SYNC_MANAGER (manager), NULL);

  self = g_object_new (INSTASYNC_TYPE_CONNECT_DIALOG, NULL);
  self->manager = g_object_ref (manager);

  can_log_in = instasync_sync_manager_get_config (manager)->app_id != NULL;
  gtk_widget_set_sensitive (GTK_WIDGET (self->login_button), can_log_in);
  gtk_widget_set_visible (GTK_WIDGET (self->login_hint), !can_log_in);

  return GTK_WIDGET (self);
}

void
instasync_connect_dialog_start_login (InstaSyncConnectDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (INSTASYNC_IS_CONNECT_DIALOG (self));

  clear_found (self);
  g_clear_object (&self->flow);
  self->flow = instasync_oauth_flow_new_from_config (instasync_sync_manager_get_config (self->manager),
                                                     INSTASYNC_OAUTH_RESPONSE_TOKEN, &error);
  if (self->flow == NULL)
    {
      show_error (self, error);
      return;
    }

  if (!ensure_web_view (self, &error))
    {
      show_error (self, error);
      return;
    }

  url = instasync_oauth_flow_build_dialog_url (self->flow);
  self->login_view->load_uri (self->web_view, url);
  show_step (self, "browser");
}

void
instasync_connect_dialog_check_token (InstaSyncConnectDialog *self,
                                      const char             *token)
{
  g_return_if_fail (INSTASYNC_IS_CONNECT_DIALOG (self));

  clear_found (self);
  adw_status_page_set_title (self->working_page, _("Checking the Token…"));
  show_step (self, "working");
  instasync_sync_manager_check_token_async (self->manager, token, self->cancellable,
                                            on_token_checked_cb, g_object_ref (self));
}

void
instasync_connect_dialog_add_accounts (InstaSyncConnectDialog *self)
{
  g_autoptr(GPtrArray) chosen = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (INSTASYNC_IS_CONNECT_DIALOG (self));
  g_return_if_fail (self->discovery != NULL && self->grant != NULL);

  for (guint i = 0; i < self->checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->checks, i)))
      g_ptr_array_add (chosen, g_object_ref (g_ptr_array_index (self->discovery->accounts, i)));

  if (chosen->len == 0)
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("Choose at least one account")));
      return;
    }

  adw_status_page_set_title (self->working_page, _("Adding the Accounts…"));
  show_step (self, "working");
  instasync_sync_manager_add_accounts_async (self->manager, chosen, g_steal_pointer (&self->grant),
                                             self->cancellable, on_added_cb, g_object_ref (self));
}

const char *
instasync_connect_dialog_get_step (InstaSyncConnectDialog *self)
{
  g_return_val_if_fail (INSTASYNC_IS_CONNECT_DIALOG (self), NULL);

  return self->step;
}

const char *
instasync_connect_dialog_get_problem (InstaSyncConnectDialog *self)
{
  g_return_val_if_fail (INSTASYNC_IS_CONNECT_DIALOG (self), NULL);

  return adw_status_page_get_title (self->problem_page);
}

const char *
instasync_connect_dialog_get_host (InstaSyncConnectDialog *self)
{
  g_return_val_if_fail (INSTASYNC_IS_CONNECT_DIALOG (self), NULL);

  return gtk_label_get_label (self->host_label);
}

guint
instasync_connect_dialog_get_n_found (InstaSyncConnectDialog *self)
{
  g_return_val_if_fail (INSTASYNC_IS_CONNECT_DIALOG (self), 0);

  return self->checks->len;
}

GtkWidget *
instasync_connect_dialog_get_web_view (InstaSyncConnectDialog *self)
{
  g_return_val_if_fail (INSTASYNC_IS_CONNECT_DIALOG (self), NULL);

  return self->web_view;
}

const char *
instasync_connect_dialog_get_refused_uri (InstaSyncConnectDialog *self)
{
  g_return_val_if_fail (INSTASYNC_IS_CONNECT_DIALOG (self), NULL);

  return self->refused_uri;
}
