/* test-window.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application's window bound to the real model: a throwaway PostgreSQL
 * behind the sync manager, accounts and insights written through the store,
 * and what the window shows for them, rendered in its main states.
 */

#include "config.h"

#include <adwaita.h>

#include "instasync-account-page.h"
#include "instasync-application.h"
#include "instasync-chart.h"
#include "instasync-preferences-window.h"
#include "instasync-test-pg.h"
#include "instasync-test-render.h"
#include "instasync-time.h"
#include "instasync-window.h"

#define ACCOUNT_A "17841400000000011"
#define ACCOUNT_B "17841400000000022"

static InstaSyncTestPg *pg;
/* One application for the file: like the real one, it outlives its windows. */
static InstaSyncApplication *app;
static char *data_dir;

typedef struct
{
  InstaSyncApplication *app;
  InstaSyncWindow      *window;
  InstaSyncSyncManager *manager;
} Fixture;

static gboolean
manager_ready (gpointer data)
{
  return instasync_sync_manager_get_ready (data);
}

static gboolean
page_is (gpointer data)
{
  Fixture *fixture = data;

  return g_strcmp0 (instasync_window_get_page_name (fixture->window), "accounts") == 0;
}

static gboolean
page_loaded (gpointer data)
{
  InstaSyncAccountPage *page = data;

  return instasync_account_page_get_account (page) != NULL &&
         !instasync_account_page_get_loading (page);
}

static void
exec_sql (InstaSyncStore *store,
          const char     *sql)
{
  PGresult *result = PQexec (instasync_store_get_connection (store), sql);

  g_assert_cmpstr (PQresultErrorMessage (result), ==, "");
  PQclear (result);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(InstaSyncStore) store = instasync_test_pg_connect_migrated (pg, NULL);

  g_assert_nonnull (store);
  exec_sql (store, "TRUNCATE instagram_insights, instagram_accounts, user_tokens, "
                   "instagram_sync_logs, instagram_sync_cursors");

  fixture->app = app;
  g_application_activate (G_APPLICATION (fixture->app));
  instasync_test_iterate ();

  fixture->window = INSTASYNC_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (fixture->app)));
  g_assert_nonnull (fixture->window);
  fixture->manager = instasync_application_get_manager (fixture->app);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 760);
  instasync_test_wait_for_layout (GTK_WIDGET (fixture->window));
  g_assert_true (instasync_test_wait_for (manager_ready, fixture->manager, 20000));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  instasync_test_iterate ();
}

static void
save (Fixture    *fixture,
      const char *name)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;

  instasync_test_iterate ();
  texture = instasync_test_render_window (GTK_WINDOW (fixture->window));
  path = instasync_test_save_png (texture, name);
  g_test_message ("%s", path);
}

/* Two accounts, the second with 90 days of reach and profile views and the
 * 28-day totals the sync stores. */
static void
add_accounts (void)
{
  g_autoptr(InstaSyncStore) store = instasync_test_pg_connect_migrated (pg, NULL);
  g_autoptr(GError) error = NULL;
  GString *sql = g_string_new ("INSERT INTO instagram_insights (ig_user_id, metric, period, "
                               "metric_type, window_start, end_time, value) VALUES ");
  GDate day;

  g_assert_true (instasync_store_add_account (store, ACCOUNT_A, "alpha.bakery", "EAAtoken-a",
                                              "0123456789abcdef0123456789abcdef", &error));
  g_assert_true (instasync_store_add_account (store, ACCOUNT_B, "beta.studio", "EAAtoken-b",
                                              "0123456789abcdef0123456789abcdef", &error));
  g_assert_no_error (error);

  instasync_pacific_date_at (g_get_real_time () / G_USEC_PER_SEC, &day);
  g_date_subtract_days (&day, 90);
  for (guint i = 0; i < 90; i++)
    {
      gint64 start = instasync_pacific_day_start (&day);
      gint64 end = instasync_pacific_day_end (&day);

      g_string_append_printf (sql, "%s('" ACCOUNT_B "', 'reach', 'day', 'time_series', "
                              "to_timestamp (%" G_GINT64_FORMAT "), to_timestamp (%" G_GINT64_FORMAT
                              "), %u), ('" ACCOUNT_B "', 'profile_views', 'day', 'total_value', "
                              "to_timestamp (%" G_GINT64_FORMAT "), to_timestamp (%" G_GINT64_FORMAT
                              "), %u)",
                              i > 0 ? ", " : "", start, end, 1000 + 10 * i + (i % 7 < 2 ? 400 : 0),
                              start, end, 40 + i % 5);
      g_date_add_days (&day, 1);
    }
  exec_sql (store, sql->str);
  g_string_free (sql, TRUE);

  /* Reach over 28 days is Instagram's own total, stored by the sync: the
   * last 28 days up to yesterday, and the 28 days before. */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *total = NULL;
      GDate first, last;

      instasync_pacific_date_at (g_get_real_time () / G_USEC_PER_SEC, &last);
      g_date_subtract_days (&last, 1 + 28 * i);
      first = last;
      g_date_subtract_days (&first, 27);
      total = g_strdup_printf ("INSERT INTO instagram_insights (ig_user_id, metric, period, "
                               "metric_type, window_start, end_time, value) VALUES ('" ACCOUNT_B
                               "', 'reach', 'day', 'total_value', to_timestamp (%" G_GINT64_FORMAT
                               "), to_timestamp (%" G_GINT64_FORMAT "), %d)",
                               instasync_pacific_day_start (&first), instasync_pacific_day_end (&last),
                               i == 0 ? 25000 : 20000);
      exec_sql (store, total);
    }
}

static void
test_empty_then_accounts (Fixture       *fixture,
                          gconstpointer  data)
{
  InstaSyncAccountPage *page = instasync_window_get_account_page (fixture->window);
  InstaSyncChart *chart = instasync_account_page_get_chart (page);
  g_autofree char *profile_views = NULL;
  g_autofree char *reach = NULL;
  g_autofree char *engaged = NULL;
  g_autoptr(GError) error = NULL;

  /* No account yet: the invitation to connect one. */
  g_assert_cmpstr (instasync_window_get_page_name (fixture->window), ==, "empty");
  save (fixture, "window-empty");

  add_accounts ();
  instasync_sync_manager_reload_async (fixture->manager, NULL, NULL, NULL);
  g_assert_true (instasync_test_wait_for (page_is, fixture, 10000));
  g_assert_cmpuint (g_list_model_get_n_items (instasync_sync_manager_get_accounts (fixture->manager)),
                    ==, 2);

  /* The second account: its chart and overview come from the database. */
  instasync_window_select_account (fixture->window, 1);
  g_assert_true (instasync_test_wait_for (page_loaded, page, 10000));
  g_assert_cmpstr (instasync_account_get_ig_user_id (instasync_account_page_get_account (page)), ==,
                   ACCOUNT_B);
  /* The chart's default: the last 90 days up to yesterday, reach first. */
  g_assert_cmpuint (instasync_chart_get_n_points (chart), >=, 88);
  g_assert_cmpstr (instasync_chart_get_metric_label (chart), ==, "Reach");

  /* Reach is the stored 28-day total (not a sum of its days), against
   * the total before it; profile views add up. */
  reach = instasync_account_page_dup_card_text (page, 0);
  g_assert_cmpstr (reach, ==, "25,000 +25% vs. the previous 28 days");
  profile_views = instasync_account_page_dup_card_text (page, 1);
  g_test_message ("profile views: %s", profile_views);
  g_assert_false (g_str_has_prefix (profile_views, "—"));
  /* Nothing stored for accounts engaged yet. */
  engaged = instasync_account_page_dup_card_text (page, 2);
  g_assert_cmpstr (engaged, ==, "— Not synced yet");
  save (fixture, "window-accounts");

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  save (fixture, "window-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
}

/* The preferences show the settings, and take only values that work. */
static void
test_preferences (Fixture       *fixture,
                  gconstpointer  data)
{
  GSettings *settings = instasync_application_get_settings (fixture->app);
  GtkWidget *preferences = instasync_preferences_window_new (settings);
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;

  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (fixture->window));
  gtk_window_present (GTK_WINDOW (preferences));
  instasync_test_wait_for_layout (preferences);
  texture = instasync_test_render_window (GTK_WINDOW (preferences));
  path = instasync_test_save_png (texture, "preferences");
  g_test_message ("%s", path);

  /* Unchecking every metric leaves one: a sync of nothing is no sync. */
  g_settings_set_strv (settings, "metrics", (const char * const[]) { "reach", NULL });
  {
    g_auto(GStrv) metrics = g_settings_get_strv (settings, "metrics");

    g_assert_cmpuint (g_strv_length (metrics), ==, 1);
  }

  gtk_window_destroy (GTK_WINDOW (preferences));
  instasync_test_iterate ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  instasync_test_gui_init (&argc, &argv);

  pg = instasync_test_pg_start_checked ();
  data_dir = instasync_test_pg_make_tmp_dir (&error);
  g_assert_no_error (error);
  g_setenv ("INSTASYNC_DATABASE_URL", instasync_test_pg_get_conninfo (pg), TRUE);
  g_setenv ("INSTASYNC_DATA_DIR", data_dir, TRUE);
  g_setenv ("INSTASYNC_TOKEN_KEY", "0123456789abcdef0123456789abcdef", TRUE);
  g_setenv ("INSTASYNC_SECRETS_FILE", "/nonexistent/secrets.ini", TRUE);

  g_test_add ("/window/empty-then-accounts", Fixture, NULL, fixture_set_up,
              test_empty_then_accounts, fixture_tear_down);
  g_test_add ("/window/preferences", Fixture, NULL, fixture_set_up, test_preferences,
              fixture_tear_down);

  app = instasync_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  status = g_test_run ();

  g_clear_object (&app);

  instasync_test_pg_remove_tree (data_dir);
  g_free (data_dir);
  instasync_test_pg_free (pg);
  return status;
}
