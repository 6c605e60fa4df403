/* instasync-account-page.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-gui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "instasync-account-page.h"
#include "instasync-figure-format.h"
#include "instasync-metric-names.h"
#include "instasync-redact.h"

#define HISTORY_LENGTH 10

/* The overview's figures, in the order the manager gives them. */
static const char * const card_metrics[] = {
  "reach", "profile_views", "accounts_engaged", "follower_count",
};

/* The chart's spans, as the span drop-down lists them. */
static const guint chart_spans[] = { 28, 90, 365, 730 };

typedef struct
{
  GtkLabel *value;
  GtkLabel *change;
} Card;

struct _InstaSyncAccountPage
{
  GtkWidget             parent_instance;

  InstaSyncSyncManager *manager;
  GSettings            *settings;
  InstaSyncAccount     *account;
  GCancellable         *cancellable;
  guint                 pending;        /* loads under way */
  GStrv                 chart_metrics;  /* what the metric drop-down lists */
  GPtrArray            *result_rows;    /* rows added under the result row */
  Card                  cards[G_N_ELEMENTS (card_metrics)];

  GtkWidget            *scroller;
  GtkFlowBox           *cards_box;
  GtkDropDown          *metric_dropdown;
  GtkDropDown          *span_dropdown;
  InstaSyncChart       *chart;
  AdwPreferencesGroup  *result_group;
  AdwExpanderRow       *result_row;
  GtkImage             *result_icon;
  GtkListBox           *history_list;
};

G_DEFINE_FINAL_TYPE (InstaSyncAccountPage, instasync_account_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ACCOUNT,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reload (InstaSyncAccountPage *self);

/* Auxiliary */

static guint
range_days (InstaSyncAccountPage *self)
{
  return self->settings != NULL ? (guint)g_settings_get_enum (self->settings, "chart-range") : 28;
}

static const char *
status_icon_name (const char *status)
{
  if (g_strcmp0 (status, "succeeded") == 0)
    return "object-select-symbolic";
  if (g_strcmp0 (status, "paused") == 0)
    return "media-playback-pause-symbolic";
  if (g_strcmp0 (status, "partial") == 0)
    return "dialog-warning-symbolic";
  return "dialog-error-symbolic";
}

static char *
format_when (gint64 unix_usec)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (unix_usec / G_USEC_PER_SEC);

  /* Translators: when a sync ran, a strftime format: "Nov 24, 06:00". */
  return g_date_time_format (when, _("%b %e, %H:%M"));
}

static void
begin_load (InstaSyncAccountPage *self)
{
  if (self->pending++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
end_load (InstaSyncAccountPage *self)
{
  g_assert (self->pending > 0);

  if (--self->pending == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
build_cards (InstaSyncAccountPage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (card_metrics); i++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
      g_autofree char *name = instasync_metric_dup_display_name (card_metrics[i]);
      GtkWidget *title = gtk_label_new (name);
      GtkWidget *value = gtk_label_new ("—");
      GtkWidget *change = gtk_label_new ("");

      gtk_widget_add_css_class (box, "card");
      gtk_widget_add_css_class (box, "overview-card");
      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (title, "caption-heading");
      gtk_widget_add_css_class (title, "dim-label");
      gtk_label_set_xalign (GTK_LABEL (value), 0);
      gtk_widget_add_css_class (value, "title-2");
      gtk_widget_add_css_class (value, "numeric");
      gtk_label_set_xalign (GTK_LABEL (change), 0);
      gtk_label_set_wrap (GTK_LABEL (change), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (change), 16);
      gtk_label_set_width_chars (GTK_LABEL (change), 12);
      gtk_widget_add_css_class (change, "caption");

      gtk_box_append (GTK_BOX (box), title);
      gtk_box_append (GTK_BOX (box), value);
      gtk_box_append (GTK_BOX (box), change);
      gtk_flow_box_append (self->cards_box, box);

      self->cards[i].value = GTK_LABEL (value);
      self->cards[i].change = GTK_LABEL (change);
    }
}

static void
clear_cards (InstaSyncAccountPage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (card_metrics); i++)
    {
      gtk_label_set_label (self->cards[i].value, "—");
      gtk_label_set_label (self->cards[i].change, "");
    }
}

static void
show_figure (InstaSyncAccountPage          *self,
             Card                          *card,
             const InstaSyncOverviewFigure *figure,
             guint                          days)
{
  g_autofree char *value = instasync_format_figure (figure->current);
  g_autofree char *change = NULL;
  g_autofree char *line = NULL;
  InstaSyncChange direction;

  change = instasync_format_change (figure->current, figure->previous, &direction);
  gtk_label_set_label (card->value, value);

  gtk_widget_remove_css_class (GTK_WIDGET (card->change), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (card->change), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (card->change), "dim-label");

  if (figure->current < 0)
    {
      /* Reach and accounts engaged come as totals over at most 28 days. */
      gtk_label_set_label (card->change, figure->offered ? _("Not synced yet")
                                                         : _("Instagram gives no total this long"));
      gtk_widget_add_css_class (GTK_WIDGET (card->change), "dim-label");
      return;
    }

  if (figure->previous < 0)
    {
      gtk_label_set_label (card->change, _("Nothing earlier to compare"));
      gtk_widget_add_css_class (GTK_WIDGET (card->change), "dim-label");
      return;
    }

  if (figure->previous == 0 && figure->current > 0)
    /* Translators: a figure that was zero over the days before. */
    line = g_strdup_printf (ngettext ("New: none the day before", "New: none in the %u days before",
                                      days), days);
  else
    /* Translators: "+12% vs. the previous 28 days". */
    line = g_strdup_printf (ngettext ("%s vs. the previous day", "%s vs. the previous %u days", days),
                            change, days);
  gtk_label_set_label (card->change, line);
  gtk_widget_add_css_class (GTK_WIDGET (card->change),
                            direction == INSTASYNC_CHANGE_UP ? "success"
                            : direction == INSTASYNC_CHANGE_DOWN ? "error" : "dim-label");
}

static void
clear_result_rows (InstaSyncAccountPage *self)
{
  for (guint i = 0; i < self->result_rows->len; i++)
    adw_expander_row_remove (self->result_row, g_ptr_array_index (self->result_rows, i));
  g_ptr_array_set_size (self->result_rows, 0);
}

static void
show_result (InstaSyncAccountPage *self)
{
  InstaSyncFetchResult *result = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *subtitle = NULL;
  GPtrArray *errors;
  gint64 paused_until;

  clear_result_rows (self);

  if (self->account != NULL && self->manager != NULL)
    result = instasync_sync_manager_get_last_result (self->manager,
                                                     instasync_account_get_ig_user_id (self->account));
  gtk_widget_set_visible (GTK_WIDGET (self->result_group), result != NULL);
  if (result == NULL)
    return;

  summary = instasync_fetch_result_to_summary (result);
  escaped = g_markup_escape_text (g_strchomp (summary), -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->result_row), escaped);

  paused_until = instasync_fetch_result_get_paused_until (result);
  if (paused_until != 0)
    {
      g_autoptr(GDateTime) until = g_date_time_new_from_unix_local (paused_until);
      g_autofree char *time = g_date_time_format (until, "%H:%M");

      /* Translators: Instagram's rate limit; %s is a time like 14:30. */
      subtitle = g_strdup_printf (_("Instagram limited requests: paused until %s"), time);
    }
  else
    {
      subtitle = format_when (instasync_fetch_result_get_finished_at (result));
    }
  adw_expander_row_set_subtitle (self->result_row, subtitle);
  gtk_image_set_from_icon_name (self->result_icon,
                                status_icon_name (instasync_fetch_status_to_string (
                                  instasync_fetch_result_get_status (result))));

  errors = instasync_fetch_result_get_errors (result);
  adw_expander_row_set_enable_expansion (self->result_row, errors->len > 0);
  for (guint i = 0; i < errors->len; i++)
    {
      InstaSyncMetricError *error = g_ptr_array_index (errors, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *name = instasync_metric_dup_display_name (error->metric);
      g_autofree char *message = instasync_redact_markup (error->message);
      g_autofree char *title = g_markup_escape_text (name, -1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), message);

      /* The way out, where there is one the user can take. */
      if (error->action == INSTASYNC_ERROR_ACTION_RECONNECT)
        {
          GtkWidget *button = gtk_button_new_with_mnemonic (_("_Reconnect"));

          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "app.connect-account");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
        }
      else if (error->action == INSTASYNC_ERROR_ACTION_BACK_OFF && paused_until != 0)
        {
          g_autoptr(GDateTime) until = g_date_time_new_from_unix_local (paused_until);
          g_autofree char *time = g_date_time_format (until, "%H:%M");
          g_autofree char *text = g_strdup_printf (_("Paused until %s"), time);
          GtkWidget *label = gtk_label_new (text);

          gtk_widget_add_css_class (label, "dim-label");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
        }

      adw_expander_row_add_row (self->result_row, row);
      g_ptr_array_add (self->result_rows, row);
    }
}

/* Callbacks */

static void
on_overview_loaded_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(InstaSyncAccountPage) self = user_data;
  g_autoptr(GPtrArray) figures = NULL;
  g_autoptr(GError) error = NULL;

  figures = instasync_sync_manager_load_overview_finish (INSTASYNC_SYNC_MANAGER (object), result,
                                                         &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  end_load (self);
  if (figures == NULL)
    {
      g_warning ("Could not load the overview: %s", error->message);
      return;
    }

  for (guint i = 0; i < figures->len && i < G_N_ELEMENTS (card_metrics); i++)
    show_figure (self, &self->cards[i], g_ptr_array_index (figures, i), range_days (self));
}

static void
on_daily_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(InstaSyncAccountPage) self = user_data;
  g_autoptr(GArray) values = NULL;
  g_autoptr(GArray) points = NULL;
  g_autoptr(GError) error = NULL;

  values = instasync_sync_manager_load_daily_finish (INSTASYNC_SYNC_MANAGER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  end_load (self);
  if (values == NULL)
    {
      g_warning ("Could not load the daily values: %s", error->message);
      instasync_chart_set_points (self->chart, NULL, 0);
      return;
    }

  points = g_array_sized_new (FALSE, FALSE, sizeof (InstaSyncChartPoint), values->len);
  for (guint i = 0; i < values->len; i++)
    {
      const InstaSyncDailyValue *value = &g_array_index (values, InstaSyncDailyValue, i);
      InstaSyncChartPoint point = { value->julian_day, (double)value->value };

      g_array_append_val (points, point);
    }
  instasync_chart_set_points (self->chart, (const InstaSyncChartPoint *)(gpointer)points->data,
                              points->len);
}

static void
on_history_loaded_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(InstaSyncAccountPage) self = user_data;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  entries = instasync_sync_manager_load_history_finish (INSTASYNC_SYNC_MANAGER (object), result,
                                                        &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  end_load (self);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->history_list))) != NULL &&
         GTK_IS_LIST_BOX_ROW (child))
    gtk_list_box_remove (self->history_list, child);

  if (entries == NULL)
    {
      g_warning ("Could not load the sync history: %s", error->message);
      return;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      InstaSyncSyncLogEntry *entry = g_ptr_array_index (entries, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name (status_icon_name (entry->status));
      g_autofree char *title = g_markup_escape_text (entry->summary != NULL ? entry->summary : "", -1);
      g_autofree char *when = format_when (entry->started_at);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), g_strchomp (title));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), when);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      gtk_list_box_append (self->history_list, row);
    }
}

static void
on_account_synced_cb (InstaSyncSyncManager *manager,
                      InstaSyncAccount     *account,
                      InstaSyncFetchResult *result,
                      InstaSyncAccountPage *self)
{
  if (self->account != NULL &&
      g_strcmp0 (instasync_account_get_ig_user_id (account),
                 instasync_account_get_ig_user_id (self->account)) == 0)
    reload (self);
}

static void
on_range_changed_cb (GSettings            *settings,
                     const char           *key,
                     InstaSyncAccountPage *self)
{
  reload (self);
}

static void
on_dropdown_selected_cb (InstaSyncAccountPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->metric_dropdown);

  if (self->settings != NULL && self->chart_metrics != NULL &&
      selected < g_strv_length (self->chart_metrics))
    g_settings_set_string (self->settings, "chart-metric", self->chart_metrics[selected]);

  reload (self);
}

/* Loading */

static void
reload (InstaSyncAccountPage *self)
{
  const char *ig_user_id;
  guint span;
  guint metric;
  guint days = range_days (self);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* Answers to the cancelled requests no longer count. */
  if (self->pending != 0)
    {
      self->pending = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }

  show_result (self);

  if (self->account == NULL || self->manager == NULL ||
      !instasync_sync_manager_get_ready (self->manager))
    {
      clear_cards (self);
      instasync_chart_set_points (self->chart, NULL, 0);
      return;
    }

  self->cancellable = g_cancellable_new ();
  ig_user_id = instasync_account_get_ig_user_id (self->account);
  span = gtk_drop_down_get_selected (self->span_dropdown);
  metric = gtk_drop_down_get_selected (self->metric_dropdown);

  begin_load (self);
  instasync_sync_manager_load_overview_async (self->manager, ig_user_id, days, self->cancellable,
                                              on_overview_loaded_cb, g_object_ref (self));

  if (self->chart_metrics != NULL && metric < g_strv_length (self->chart_metrics))
    {
      g_autofree char *name = instasync_metric_dup_display_name (self->chart_metrics[metric]);

      instasync_chart_set_metric_label (self->chart, name);
      begin_load (self);
      instasync_sync_manager_load_daily_async (self->manager, ig_user_id, self->chart_metrics[metric],
                                               chart_spans[MIN (span, G_N_ELEMENTS (chart_spans) - 1)],
                                               self->cancellable, on_daily_loaded_cb,
                                               g_object_ref (self));
    }

  begin_load (self);
  instasync_sync_manager_load_history_async (self->manager, ig_user_id, HISTORY_LENGTH,
                                             self->cancellable, on_history_loaded_cb,
                                             g_object_ref (self));
}

static void
fill_metric_dropdown (InstaSyncAccountPage *self)
{
  const InstaSyncConfig *config = instasync_sync_manager_get_config (self->manager);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *chosen = g_settings_get_string (self->settings, "chart-metric");
  guint selected = 0;

  g_clear_pointer (&self->chart_metrics, g_strfreev);
  self->chart_metrics = g_strdupv (config->metrics);

  for (guint i = 0; self->chart_metrics != NULL && self->chart_metrics[i] != NULL; i++)
    {
      g_autofree char *name = instasync_metric_dup_display_name (self->chart_metrics[i]);

      gtk_string_list_append (names, name);
      if (g_str_equal (self->chart_metrics[i], chosen))
        selected = i;
    }

  gtk_drop_down_set_model (self->metric_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->metric_dropdown, selected);
}

/* GObject overrides */

static void
instasync_account_page_dispose (GObject *object)
{
  InstaSyncAccountPage *self = INSTASYNC_ACCOUNT_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->account);
  g_clear_object (&self->manager);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->chart_metrics, g_strfreev);
  g_clear_pointer (&self->result_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), INSTASYNC_TYPE_ACCOUNT_PAGE);
  /* The template's root child is not bound to a field: unparent it too. */
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }

  G_OBJECT_CLASS (instasync_account_page_parent_class)->dispose (object);
}

static void
instasync_account_page_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  InstaSyncAccountPage *self = INSTASYNC_ACCOUNT_PAGE (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->pending > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
instasync_account_page_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  InstaSyncAccountPage *self = INSTASYNC_ACCOUNT_PAGE (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      instasync_account_page_set_account (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
instasync_account_page_class_init (InstaSyncAccountPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = instasync_account_page_dispose;
  object_class->get_property = instasync_account_page_get_property;
  object_class->set_property = instasync_account_page_set_property;

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, INSTASYNC_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (INSTASYNC_TYPE_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/credify/InstaSync/ui/instasync-account-page.ui");
  gtk_widget_class_bind_template_child (widget_class, InstaSyncAccountPage, scroller);
  gtk_widget_class_bind_template_child_full (widget_class, "cards", FALSE,
                                             G_STRUCT_OFFSET (InstaSyncAccountPage, cards_box));
  gtk_widget_class_bind_template_child (widget_class, InstaSyncAccountPage, metric_dropdown);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncAccountPage, span_dropdown);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncAccountPage, chart);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncAccountPage, result_group);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncAccountPage, result_row);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncAccountPage, result_icon);
  gtk_widget_class_bind_template_child (widget_class, InstaSyncAccountPage, history_list);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
instasync_account_page_init (InstaSyncAccountPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->result_rows = g_ptr_array_new ();
  build_cards (self);

  /* The chart shows two months by default: enough to see weeks repeat. */
  gtk_drop_down_set_selected (self->span_dropdown, 1);
  g_signal_connect_swapped (self->span_dropdown, "notify::selected", G_CALLBACK (reload), self);
}

/* Public API */

void
instasync_account_page_set_context (InstaSyncAccountPage *self,
                                    InstaSyncSyncManager *manager,
                                    GSettings            *settings)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GAction) range = NULL;

  g_return_if_fail (INSTASYNC_IS_ACCOUNT_PAGE (self));
  g_return_if_fail (INSTASYNC_IS_SYNC_MANAGER (manager));
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (self->manager == NULL);

  self->manager = g_object_ref (manager);
  self->settings = g_object_ref (settings);

  range = g_settings_create_action (settings, "chart-range");
  g_action_map_add_action (G_ACTION_MAP (group), range);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "account", G_ACTION_GROUP (group));

  g_signal_connect_object (settings, "changed::chart-range", G_CALLBACK (on_range_changed_cb),
                           self, 0);
  g_signal_connect_object (manager, "account-synced", G_CALLBACK (on_account_synced_cb), self, 0);
  g_signal_connect_object (manager, "notify::ready", G_CALLBACK (reload), self, G_CONNECT_SWAPPED);

  fill_metric_dropdown (self);
  g_signal_connect_swapped (self->metric_dropdown, "notify::selected",
                            G_CALLBACK (on_dropdown_selected_cb), self);
}

InstaSyncAccount *
instasync_account_page_get_account (InstaSyncAccountPage *self)
{
  g_return_val_if_fail (INSTASYNC_IS_ACCOUNT_PAGE (self), NULL);

  return self->account;
}

void
instasync_account_page_set_account (InstaSyncAccountPage *self,
                                    InstaSyncAccount     *account)
{
  g_return_if_fail (INSTASYNC_IS_ACCOUNT_PAGE (self));
  g_return_if_fail (account == NULL || INSTASYNC_IS_ACCOUNT (account));

  if (!g_set_object (&self->account, account))
    return;

  clear_cards (self);
  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
}

InstaSyncChart *
instasync_account_page_get_chart (InstaSyncAccountPage *self)
{
  g_return_val_if_fail (INSTASYNC_IS_ACCOUNT_PAGE (self), NULL);

  return self->chart;
}

char *
instasync_account_page_dup_card_text (InstaSyncAccountPage *self,
                                      guint                 index)
{
  g_return_val_if_fail (INSTASYNC_IS_ACCOUNT_PAGE (self), NULL);
  g_return_val_if_fail (index < G_N_ELEMENTS (card_metrics), NULL);

  return g_strdup_printf ("%s %s", gtk_label_get_label (self->cards[index].value),
                          gtk_label_get_label (self->cards[index].change));
}

gboolean
instasync_account_page_get_loading (InstaSyncAccountPage *self)
{
  g_return_val_if_fail (INSTASYNC_IS_ACCOUNT_PAGE (self), FALSE);

  return self->pending > 0;
}

int
instasync_account_page_show_result_details (InstaSyncAccountPage *self)
{
  g_return_val_if_fail (INSTASYNC_IS_ACCOUNT_PAGE (self), -1);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->result_group)))
    return -1;

  adw_expander_row_set_expanded (self->result_row, TRUE);
  return (int)self->result_rows->len;
}

const char *
instasync_account_page_get_result_summary (InstaSyncAccountPage *self)
{
  g_return_val_if_fail (INSTASYNC_IS_ACCOUNT_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->result_group)))
    return NULL;

  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->result_row));
}
