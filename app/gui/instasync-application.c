/* instasync-application.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "instasync-app-secret.h"
#include "instasync-application.h"
#include "instasync-metric-catalogue.h"
#include "instasync-preferences-window.h"
#include "instasync-schedule.h"
#include "instasync-secret.h"
#include "instasync-window.h"

struct _InstaSyncApplication
{
  AdwApplication        parent_instance;

  GSettings            *settings;
  InstaSyncSyncManager *manager;
  GError               *open_error;
  gboolean              open_started;
  guint                 open_fallback;  /* opens the database without a window */
  guint                 daily_source;   /* the next daily sync */
  gboolean              held;           /* kept running for the daily sync */
};

G_DEFINE_FINAL_TYPE (InstaSyncApplication, instasync_application, ADW_TYPE_APPLICATION)

/* Auxiliary */

static gboolean
env_is_set (const char *name)
{
  const char *value = g_getenv (name);

  return value != NULL && *value != '\0';
}

/* The environment first (headless workers and tests set it), then what the
 * user chose in the preferences. */
static InstaSyncConfig *
config_from_settings (GSettings  *settings,
                      GError    **error)
{
  g_autoptr(InstaSyncConfig) config = instasync_config_new_from_env (error);
  g_autofree char *database_url = NULL;
  g_autofree char *version = NULL;
  g_autofree char *app_id = NULL;
  g_auto(GStrv) metrics = NULL;

  if (config == NULL)
    return NULL;

  database_url = g_settings_get_string (settings, "database-url");
  if (!env_is_set ("INSTASYNC_DATABASE_URL") && *database_url != '\0')
    {
      g_free (config->database_url);
      config->database_url = g_steal_pointer (&database_url);
    }

  version = g_settings_get_string (settings, "graph-api-version");
  if (!env_is_set ("INSTASYNC_GRAPH_VERSION") && *version != '\0')
    {
      g_free (config->graph_version);
      config->graph_version = g_steal_pointer (&version);
    }

  app_id = g_settings_get_string (settings, "app-id");
  if (!env_is_set ("INSTASYNC_APP_ID") && *app_id != '\0')
    {
      g_free (config->app_id);
      config->app_id = g_steal_pointer (&app_id);
    }

  metrics = g_settings_get_strv (settings, "metrics");
  if (!env_is_set ("INSTASYNC_METRICS") && metrics[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv (",", metrics);
      g_auto(GStrv) checked = instasync_metric_catalogue_parse_list (joined, NULL);

      /* A metric the catalogue no longer knows is dropped, not fatal. */
      if (checked != NULL)
        {
          g_strfreev (config->metrics);
          config->metrics = g_steal_pointer (&checked);
        }
    }

  if (!env_is_set ("INSTASYNC_LOOKBACK_DAYS"))
    config->lookback_days = g_settings_get_uint (settings, "lookback-days");

  return g_steal_pointer (&config);
}

static InstaSyncWindow *
get_window (InstaSyncApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (INSTASYNC_IS_WINDOW (window))
    return INSTASYNC_WINDOW (window);

  window = GTK_WINDOW (instasync_window_new (self));
  return INSTASYNC_WINDOW (window);
}

/* Callbacks */

static void
on_manager_opened_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(InstaSyncApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!instasync_sync_manager_open_finish (INSTASYNC_SYNC_MANAGER (object), result, &error))
    {
      g_warning ("Could not open the database: %s", error->message);
      /* Kept for a window opened later, and shown by the one open now. */
      g_clear_error (&self->open_error);
      self->open_error = g_steal_pointer (&error);
      if (gtk_application_get_active_window (GTK_APPLICATION (self)) != NULL)
        instasync_window_show_open_error (get_window (self), self->open_error->message);
    }
}

static void
lookup_secret_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  char *secret = instasync_app_secret_lookup (task_data, cancellable, &error);

  /* No keyring is no secret: the app works without one. */
  if (error != NULL)
    g_debug ("The keyring gave no app secret: %s", error->message);
  g_task_return_pointer (task, secret, g_free);
}

static void
on_secret_looked_up_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(InstaSyncApplication) self = user_data;
  g_autoptr(InstaSyncSecret) secret = g_task_propagate_pointer (G_TASK (result), NULL);

  if (secret != NULL)
    instasync_sync_manager_set_app_secret (self->manager, secret);

  instasync_sync_manager_open_async (self->manager, NULL, on_manager_opened_cb, g_object_ref (self));
}

/* Opens the database and loads the accounts, once. */
static void
start_open (InstaSyncApplication *self)
{
  const InstaSyncConfig *config = instasync_sync_manager_get_config (self->manager);

  g_clear_handle_id (&self->open_fallback, g_source_remove);
  if (self->open_started || self->open_error != NULL)
    return;
  self->open_started = TRUE;

  /* With an app ID and no secret from the environment, the keyring may hold
   * one (the preferences put it there); it is read off the main thread. */
  if (config->app_id != NULL && config->app_secret == NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, NULL, on_secret_looked_up_cb, g_object_ref (self));

      g_task_set_source_tag (task, lookup_secret_thread);
      g_task_set_task_data (task, g_strdup (config->app_id), g_free);
      g_task_run_in_thread (task, lookup_secret_thread);
      return;
    }

  instasync_sync_manager_open_async (self->manager, NULL, on_manager_opened_cb, g_object_ref (self));
}

static gboolean
on_open_fallback_cb (gpointer data)
{
  InstaSyncApplication *self = data;

  self->open_fallback = 0;
  start_open (self);
  return G_SOURCE_REMOVE;
}

/* The window's first frame is out: now the database. Its answer then
 * lands on a window already shown, instead of holding that frame back. */
static void
on_first_frame_cb (GdkFrameClock        *clock,
                   InstaSyncApplication *self)
{
  g_signal_handlers_disconnect_by_func (clock, on_first_frame_cb, self);
  start_open (self);
}

static void
on_window_mapped_cb (GtkWidget            *window,
                     InstaSyncApplication *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_signal_handlers_disconnect_by_func (window, on_window_mapped_cb, self);
  if (clock == NULL)
    start_open (self);
  else
    g_signal_connect (clock, "after-paint", G_CALLBACK (on_first_frame_cb), self);
}

static void
on_sync_finished_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(InstaSyncApplication) self = user_data;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  results = instasync_sync_manager_sync_finish (INSTASYNC_SYNC_MANAGER (object), result, &error);
  if (results == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    instasync_window_show_error (get_window (self), error->message);
}

static void
sync_now (InstaSyncApplication *self,
          const char           *ig_user_id)
{
  if (!instasync_sync_manager_get_ready (self->manager) ||
      instasync_sync_manager_get_syncing (self->manager))
    return;

  instasync_sync_manager_sync_async (self->manager, ig_user_id, NULL, on_sync_finished_cb,
                                     g_object_ref (self));
}

/* Background */

static void schedule_daily_sync (InstaSyncApplication *self);

static gboolean
on_daily_sync_cb (gpointer data)
{
  InstaSyncApplication *self = data;

  self->daily_source = 0;
  g_debug ("Daily sync");
  sync_now (self, NULL);
  schedule_daily_sync (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_daily_sync (InstaSyncApplication *self)
{
  g_autofree char *time_of_day = g_settings_get_string (self->settings, "daily-sync-time");
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) next = instasync_schedule_next_run (now, time_of_day);
  GTimeSpan delay;

  g_clear_handle_id (&self->daily_source, g_source_remove);
  if (next == NULL)
    return;

  /* Up to a few minutes later than asked: many desktops waking at 06:00
   * sharp would all call the API in the same second. */
  delay = g_date_time_difference (next, now) / G_USEC_PER_SEC + g_random_int_range (0, 300);
  self->daily_source = g_timeout_add_seconds_full (G_PRIORITY_LOW, (guint)MAX (delay, 1),
                                                   on_daily_sync_cb, self, NULL);
}

/* With "run in background", closing the window hides it and the
 * application stays to run the daily sync. */
static void
update_background (InstaSyncApplication *self)
{
  gboolean background = g_settings_get_boolean (self->settings, "run-in-background");

  if (background && !self->held)
    g_application_hold (G_APPLICATION (self));
  else if (!background && self->held)
    g_application_release (G_APPLICATION (self));
  self->held = background;
}

static void
on_settings_changed_cb (GSettings            *settings,
                        const char           *key,
                        InstaSyncApplication *self)
{
  if (g_str_equal (key, "daily-sync-time"))
    schedule_daily_sync (self);
  else if (g_str_equal (key, "run-in-background"))
    update_background (self);
}

/* An account that needs the user says so even with the window hidden. */
static void
on_account_synced_cb (InstaSyncSyncManager *manager,
                      InstaSyncAccount     *account,
                      InstaSyncFetchResult *result,
                      InstaSyncApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autofree char *id = g_strdup_printf ("reconnect-%s", instasync_account_get_ig_user_id (account));
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  const char *name = instasync_account_get_username (account);

  if (instasync_fetch_result_get_action (result) != INSTASYNC_ERROR_ACTION_RECONNECT)
    {
      g_application_withdraw_notification (G_APPLICATION (self), id);
      return;
    }

  if (window != NULL && gtk_widget_get_visible (GTK_WIDGET (window)))
    return;

  title = g_strdup_printf (_("Reconnect %s"), name != NULL ? name : instasync_account_get_ig_user_id (account));
  notification = g_notification_new (title);
  g_notification_set_body (notification, _("Instagram no longer accepts this account’s access. "
                                           "Connect it again to keep its insights in sync."));
  g_notification_set_default_action (notification, "app.connect-account");
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

static void
on_sync_now_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  sync_now (INSTASYNC_APPLICATION (user_data), NULL);
}

static void
on_sync_account_activated (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  sync_now (INSTASYNC_APPLICATION (user_data), g_variant_get_string (parameter, NULL));
}

static void
on_cancel_sync_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  InstaSyncApplication *self = user_data;

  instasync_sync_manager_cancel_sync (self->manager);
}

static void
on_connect_account_activated (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  InstaSyncApplication *self = user_data;
  InstaSyncWindow *window = get_window (self);

  gtk_window_present (GTK_WINDOW (window));
  instasync_window_connect_account (window);
}

static void
on_preferences_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  InstaSyncApplication *self = user_data;
  GtkWindow *preferences = NULL;

  /* One preferences window: asked again, it comes to the front. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (INSTASYNC_IS_PREFERENCES_WINDOW (l->data))
      preferences = l->data;

  if (preferences == NULL)
    {
      preferences = GTK_WINDOW (instasync_preferences_window_new (self->settings));
      gtk_window_set_transient_for (preferences, GTK_WINDOW (get_window (self)));
      gtk_window_set_application (preferences, GTK_APPLICATION (self));
    }
  gtk_window_present (preferences);
}

static void
on_about_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  InstaSyncApplication *self = user_data;
  static const char *developers[] = { "Credify", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", get_window (self),
                        "application-icon", APP_ID,
                        "application-name", _("InstaSync"),
                        "developer-name", "Credify",
                        "version", PACKAGE_VERSION,
                        "comments", _("Keep Instagram insights in your own database"),
                        "website", "https://credify.com/instasync",
                        "issue-url", "https://credify.com/instasync/issues",
                        "developers", developers,
                        "copyright", "© 2026 Credify",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: your names, one per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
on_quit_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "sync-now", on_sync_now_activated },
  { "sync-account", on_sync_account_activated, "s" },
  { "cancel-sync", on_cancel_sync_activated },
  { "connect-account", on_connect_account_activated },
  { "preferences", on_preferences_activated },
  { "about", on_about_activated },
  { "quit", on_quit_activated },
};

/* GObject overrides */

static void
instasync_application_startup (GApplication *application)
{
  InstaSyncApplication *self = INSTASYNC_APPLICATION (application);
  g_autoptr(GError) error = NULL;
  InstaSyncConfig *config;
  static const struct { const char *action; const char *accels[3]; } accels[] = {
    { "app.sync-now", { "<Primary>r", "F5", NULL } },
    { "app.connect-account", { "<Primary>n", NULL } },
    { "app.preferences", { "<Primary>comma", NULL } },
    { "app.quit", { "<Primary>q", NULL } },
    { "window.close", { "<Primary>w", NULL } },
  };

  G_APPLICATION_CLASS (instasync_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);

  self->settings = g_settings_new (APP_ID);

  config = config_from_settings (self->settings, &error);
  if (config == NULL)
    {
      /* A broken environment still gets a window that says what is wrong. */
      self->open_error = g_steal_pointer (&error);
      config = g_new0 (InstaSyncConfig, 1);
    }

  self->manager = instasync_sync_manager_new (config);
  g_signal_connect_object (self->manager, "account-synced", G_CALLBACK (on_account_synced_cb), self, 0);
  g_signal_connect_object (self->settings, "changed", G_CALLBACK (on_settings_changed_cb), self, 0);
  update_background (self);
  schedule_daily_sync (self);
  g_object_bind_property (self->manager, "syncing",
                          g_action_map_lookup_action (G_ACTION_MAP (self), "cancel-sync"), "enabled",
                          G_BINDING_SYNC_CREATE);

  /* Opened once the window has shown its first frame (see activate()), or
   * soon without a window at all (run as a D-Bus service for the daily
   * sync). */
  if (self->open_error == NULL)
    self->open_fallback = g_timeout_add_seconds (2, on_open_fallback_cb, self);
}

static void
instasync_application_activate (GApplication *application)
{
  InstaSyncApplication *self = INSTASYNC_APPLICATION (application);
  InstaSyncWindow *window = get_window (self);

  if (!self->open_started && !gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_signal_connect (window, "map", G_CALLBACK (on_window_mapped_cb), self);
  gtk_window_present (GTK_WINDOW (window));

  if (self->open_error != NULL)
    instasync_window_show_open_error (window, self->open_error->message);
}

static void
instasync_application_shutdown (GApplication *application)
{
  InstaSyncApplication *self = INSTASYNC_APPLICATION (application);

  g_clear_handle_id (&self->daily_source, g_source_remove);
  g_clear_handle_id (&self->open_fallback, g_source_remove);
  if (self->manager != NULL)
    instasync_sync_manager_close (self->manager);

  G_APPLICATION_CLASS (instasync_application_parent_class)->shutdown (application);
}

static void
instasync_application_dispose (GObject *object)
{
  InstaSyncApplication *self = INSTASYNC_APPLICATION (object);

  g_clear_handle_id (&self->daily_source, g_source_remove);
  g_clear_handle_id (&self->open_fallback, g_source_remove);
  g_clear_object (&self->manager);
  g_clear_object (&self->settings);
  g_clear_error (&self->open_error);

  G_OBJECT_CLASS (instasync_application_parent_class)->dispose (object);
}

static void
instasync_application_class_init (InstaSyncApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = instasync_application_dispose;
  app_class->startup = instasync_application_startup;
  app_class->shutdown = instasync_application_shutdown;
  app_class->activate = instasync_application_activate;
}

static void
instasync_application_init (InstaSyncApplication *self)
{
}

/* Public API */

InstaSyncApplication *
instasync_application_new (void)
{
  return g_object_new (INSTASYNC_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/com/credify/InstaSync",
                       NULL);
}

InstaSyncSyncManager *
instasync_application_get_manager (InstaSyncApplication *self)
{
  g_return_val_if_fail (INSTASYNC_IS_APPLICATION (self), NULL);

  return self->manager;
}

GSettings *
instasync_application_get_settings (InstaSyncApplication *self)
{
  g_return_val_if_fail (INSTASYNC_IS_APPLICATION (self), NULL);

  return self->settings;
}
