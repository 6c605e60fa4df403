/* instasync-preferences-window.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <libpq-fe.h>
#include <string.h>

#include "instasync-app-secret.h"
#include "instasync-metric-catalogue.h"
#include "instasync-metric-names.h"
#include "instasync-pg-util.h"
#include "instasync-preferences-window.h"
#include "instasync-redact.h"

struct _InstaSyncPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  GCancellable         *cancellable;
  GHashTable           *metric_checks;   /* metric name → GtkCheckButton */

  GtkSwitch            *background_switch;
  AdwEntryRow          *sync_time_row;
  GtkSpinButton        *lookback_spin;
  AdwPreferencesGroup  *metrics_group;
  AdwEntryRow          *database_row;
  GtkStack             *test_stack;
  AdwEntryRow          *version_row;
  AdwEntryRow          *app_id_row;
  AdwEntryRow          *app_secret_row;
};

G_DEFINE_FINAL_TYPE (InstaSyncPreferencesWindow, instasync_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Auxiliary */

static void
toast (InstaSyncPreferencesWindow *self,
       const char                 *message)
{
  g_autofree char *escaped = instasync_redact_markup (message);

  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (escaped));
}

/* Marks @row as refusing its text, or clears the mark. */
static void
mark_row (AdwEntryRow *row,
          gboolean     valid)
{
  if (valid)
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
}

static gboolean
matches (const char *pattern,
         const char *text)
{
  return g_regex_match_simple (pattern, text, G_REGEX_DEFAULT, G_REGEX_MATCH_DEFAULT);
}

static void
apply_text (InstaSyncPreferencesWindow *self,
            AdwEntryRow                *row,
            const char                 *key,
            const char                 *pattern,
            const char                 *refusal)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  gboolean valid = pattern == NULL || matches (pattern, text);

  mark_row (row, valid);
  if (!valid)
    {
      toast (self, refusal);
      return;
    }

  g_settings_set_string (self->settings, key, text);
}

static void
load_text (InstaSyncPreferencesWindow *self,
           AdwEntryRow                *row,
           const char                 *key)
{
  g_autofree char *value = g_settings_get_string (self->settings, key);

  gtk_editable_set_text (GTK_EDITABLE (row), value);
}

/* Callbacks */

static void
on_sync_time_apply_cb (AdwEntryRow                *row,
                       InstaSyncPreferencesWindow *self)
{
  apply_text (self, row, "daily-sync-time", "^([01][0-9]|2[0-3]):[0-5][0-9]$",
              _("The time must look like 06:30"));
}

static void
on_version_apply_cb (AdwEntryRow                *row,
                     InstaSyncPreferencesWindow *self)
{
  apply_text (self, row, "graph-api-version", "^v[0-9]+\\.[0-9]+$",
              _("The version must look like v22.0"));
}

static void
on_app_id_apply_cb (AdwEntryRow                *row,
                    InstaSyncPreferencesWindow *self)
{
  apply_text (self, row, "app-id", "^[0-9]{0,32}$", _("The app ID is a number"));
}

static void
on_database_apply_cb (AdwEntryRow                *row,
                      InstaSyncPreferencesWindow *self)
{
  apply_text (self, row, "database-url", NULL, NULL);
  toast (self, _("The new database is used from the next start"));
}

static void
on_secret_stored_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(InstaSyncPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!instasync_app_secret_store_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->app_secret_row), "");
  toast (self, _("The app secret is in the keyring"));
}

static void
on_app_secret_apply_cb (AdwEntryRow                *row,
                        InstaSyncPreferencesWindow *self)
{
  g_autofree char *app_id = g_settings_get_string (self->settings, "app-id");

  if (*app_id == '\0')
    {
      toast (self, _("Enter the app ID first"));
      return;
    }

  instasync_app_secret_store_async (app_id, gtk_editable_get_text (GTK_EDITABLE (row)),
                                    self->cancellable, on_secret_stored_cb, g_object_ref (self));
}

static void
test_connection_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  const char *conninfo = task_data;
  PGconn *conn;

  /* Connected as a sync would be; and a dead host does not leave the
   * button spinning for minutes. */
  conn = instasync_pg_connect (conninfo, "5");

  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_autofree char *message = g_strdup (PQerrorMessage (conn));

      PQfinish (conn);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", g_strstrip (message));
      return;
    }

  g_task_return_pointer (task, g_strdup (PQparameterStatus (conn, "server_version")), g_free);
  PQfinish (conn);
}

static void
on_tested_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(InstaSyncPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *version = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *message = NULL;

  /* The window closed meanwhile: nothing left to tell. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_stack_set_visible_child_name (self->test_stack, "button");

  if (version == NULL)
    message = g_strdup_printf (_("Could not connect: %s"), error->message);
  else
    message = g_strdup_printf (_("Connected to PostgreSQL %s"), version);
  toast (self, message);
}

static void
on_test_clicked_cb (GtkButton                  *button,
                    InstaSyncPreferencesWindow *self)
{
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->database_row));
  g_autoptr(GTask) task = NULL;

  if (*url == '\0')
    {
      toast (self, _("The private database needs no test"));
      return;
    }

  gtk_stack_set_visible_child_name (self->test_stack, "spinner");
  task = g_task_new (self, self->cancellable, on_tested_cb, g_object_ref (self));
  g_task_set_source_tag (task, on_test_clicked_cb);
  g_task_set_task_data (task, g_strdup (url), g_free);
  g_task_run_in_thread (task, test_connection_thread);
}

static void
on_metric_toggled_cb (GtkCheckButton             *check,
                      InstaSyncPreferencesWindow *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) metrics = NULL;
  guint n_metrics;
  const InstaSyncMetricInfo *all = instasync_metric_catalogue_get_all (&n_metrics);

  for (guint i = 0; i < n_metrics; i++)
    {
      GtkCheckButton *button = g_hash_table_lookup (self->metric_checks, all[i].name);

      if (button != NULL && gtk_check_button_get_active (button))
        g_strv_builder_add (builder, all[i].name);
    }

  metrics = g_strv_builder_end (builder);
  if (metrics[0] == NULL)
    {
      /* A sync of nothing is no sync: keep the last one. */
      g_signal_handlers_block_by_func (check, on_metric_toggled_cb, self);
      gtk_check_button_set_active (check, TRUE);
      g_signal_handlers_unblock_by_func (check, on_metric_toggled_cb, self);
      toast (self, _("At least one metric is needed"));
      return;
    }

  g_settings_set_strv (self->settings, "metrics", (const char * const *)metrics);
}

static void
build_metric_rows (InstaSyncPreferencesWindow *self)
{
  g_auto(GStrv) chosen = g_settings_get_strv (self->settings, "metrics");
  guint n_metrics;
  const InstaSyncMetricInfo *all = instasync_metric_catalogue_get_all (&n_metrics);

  for (guint i = 0; i < n_metrics; i++)
    {
      g_autofree char *name = NULL;
      GtkWidget *row;
      GtkWidget *check;

      /* A metric the API has removed is not offered. */
      if (all[i].removed_in_version != 0)
        continue;

      name = instasync_metric_dup_display_name (all[i].name);
      row = adw_action_row_new ();
      check = gtk_check_button_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), all[i].name);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                   g_strv_contains ((const char * const *)chosen, all[i].name));
      g_signal_connect (check, "toggled", G_CALLBACK (on_metric_toggled_cb), self);
      g_hash_table_insert (self->metric_checks, (gpointer)all[i].name, check);
      adw_preferences_group_add (self->metrics_group, row);
    }
}

/* GObject overrides */

static void
instasync_preferences_window_constructed (GObject *object)
{
  InstaSyncPreferencesWindow *self = INSTASYNC_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (instasync_preferences_window_parent_class)->constructed (object);

  g_settings_bind (self->settings, "run-in-background", self->background_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "lookback-days",
                   gtk_spin_button_get_adjustment (self->lookback_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  load_text (self, self->sync_time_row, "daily-sync-time");
  load_text (self, self->database_row, "database-url");
  load_text (self, self->version_row, "graph-api-version");
  load_text (self, self->app_id_row, "app-id");
  build_metric_rows (self);
}

static void
instasync_preferences_window_dispose (GObject *object)
{
  InstaSyncPreferencesWindow *self = INSTASYNC_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->metric_checks, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), INSTASYNC_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (instasync_preferences_window_parent_class)->dispose (object);
}

static void
instasync_preferences_window_set_property (GObject      *object,
                                          guint         prop_id,
                                          const GValue *value,
                                          GParamSpec   *pspec)
{
  InstaSyncPreferencesWindow *self = INSTASYNC_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
instasync_preferences_window_class_init (InstaSyncPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = instasync_preferences_window_constructed;
  object_class->dispose = instasync_preferences_window_dispose;
  object_class->set_property = instasync_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/credify/InstaSync/ui/instasync-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, InstaSyncPreferencesWindow, background_switch);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncPreferencesWindow, sync_time_row);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncPreferencesWindow, lookback_spin);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncPreferencesWindow, metrics_group);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncPreferencesWindow, database_row);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncPreferencesWindow, test_stack);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncPreferencesWindow, version_row);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncPreferencesWindow, app_id_row);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncPreferencesWindow, app_secret_row);
  gtk_widget_class_bind_template_callback (widget_class, on_sync_time_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_version_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_app_id_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_database_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_app_secret_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_test_clicked_cb);
}

static void
instasync_preferences_window_init (InstaSyncPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->metric_checks = g_hash_table_new (g_str_hash, g_str_equal);
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

GtkWidget *
instasync_preferences_window_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (INSTASYNC_TYPE_PREFERENCES_WINDOW, "settings", settings, NULL);
}
