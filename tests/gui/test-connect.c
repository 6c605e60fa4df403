/* test-connect.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Connecting accounts as a user would, end to end: the app's connect dialog
 * with the real WebKit view on the simulator's login page (clicked through
 * by script), the accounts found, the sync that follows against the
 * simulator, and what the window then shows; the dialog's pages for deny,
 * cancel and a Page without Instagram; a pasted token.
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>
#include <webkit/webkit.h>

#include "graph-sim.h"
#include "instasync-account-page.h"
#include "instasync-application.h"
#include "instasync-avatar.h"
#include "instasync-chart.h"
#include "instasync-connect-dialog.h"
#include "instasync-test-pg.h"
#include "instasync-test-render.h"
#include "instasync-window.h"

#define BAKERY "17841400000000001"

static InstaSyncTestPg *pg;
static GraphSim *sim;
static char *data_dir;
/* One application for the file: like the real one, it outlives its windows. */
static InstaSyncApplication *app;

typedef struct
{
  InstaSyncApplication   *app;
  InstaSyncWindow        *window;
  InstaSyncSyncManager   *manager;
  InstaSyncConnectDialog *dialog;
} Fixture;

/* Waiting */

static gboolean
manager_ready (gpointer data)
{
  return instasync_sync_manager_get_ready (data);
}

static gboolean
reloaded (gpointer data)
{
  return *(gboolean *)data;
}

static void
on_reloaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (instasync_sync_manager_reload_finish (INSTASYNC_SYNC_MANAGER (object), result, &error));
  *(gboolean *)user_data = TRUE;
}

typedef struct
{
  InstaSyncConnectDialog *dialog;
  const char             *step;
} StepWait;

static gboolean
step_reached (gpointer data)
{
  StepWait *wait = data;

  return g_strcmp0 (instasync_connect_dialog_get_step (wait->dialog), wait->step) == 0;
}

static void
wait_for_step (InstaSyncConnectDialog *dialog,
               const char             *step)
{
  StepWait wait = { dialog, step };

  if (!instasync_test_wait_for (step_reached, &wait, 30000))
    g_error ("The dialog is at “%s”, not “%s” (problem: %s)",
             instasync_connect_dialog_get_step (dialog), step,
             instasync_connect_dialog_get_problem (dialog));
}

static gboolean
page_loaded (gpointer data)
{
  WebKitWebView *view = data;

  return !webkit_web_view_is_loading (view) && webkit_web_view_get_uri (view) != NULL &&
         strstr (webkit_web_view_get_uri (view), "dialog/oauth") != NULL;
}

static gboolean
sync_done (gpointer data)
{
  Fixture *fixture = data;

  return !instasync_sync_manager_get_syncing (fixture->manager) &&
         instasync_sync_manager_get_last_result (fixture->manager, BAKERY) != NULL;
}

static gboolean
dialog_closed (gpointer data)
{
  Fixture *fixture = data;

  return fixture->dialog == NULL;
}

static gboolean
chart_filled (gpointer data)
{
  InstaSyncAccountPage *page = data;

  return !instasync_account_page_get_loading (page) &&
         instasync_chart_get_n_points (instasync_account_page_get_chart (page)) > 0;
}

static void
on_script_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(JSCValue) value = NULL;
  g_autoptr(GError) error = NULL;

  value = webkit_web_view_evaluate_javascript_finish (WEBKIT_WEB_VIEW (object), result, &error);
  g_assert_no_error (error);
}

/* Clicks a button of the simulator's login page, in the page itself. */
static void
click (InstaSyncConnectDialog *dialog,
       const char             *button)
{
  WebKitWebView *view = WEBKIT_WEB_VIEW (instasync_connect_dialog_get_web_view (dialog));
  g_autofree char *script = g_strdup_printf ("document.getElementById ('%s').click ()", button);

  g_assert_nonnull (view);
  g_assert_true (instasync_test_wait_for (page_loaded, view, 30000));
  webkit_web_view_evaluate_javascript (view, script, -1, NULL, NULL, NULL, on_script_done_cb, NULL);
}

typedef struct
{
  GBytes  *image;
  GError  *error;
  gboolean done;
} AvatarLoad;

static void
on_avatar_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  AvatarLoad *load = user_data;

  load->image = instasync_sync_manager_load_avatar_finish (INSTASYNC_SYNC_MANAGER (object), result,
                                                           &load->error);
  load->done = TRUE;
}

static gboolean
avatar_loaded (gpointer data)
{
  return ((AvatarLoad *)data)->done;
}

static void
save (GtkWindow  *window,
      const char *name)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;

  instasync_test_iterate ();
  texture = instasync_test_render_window (window);
  path = instasync_test_save_png (texture, name);
  g_test_message ("%s", path);
}

/* Fixture */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(InstaSyncStore) store = instasync_test_pg_connect_migrated (pg, NULL);
  g_autoptr(GError) error = NULL;
  PGresult *result;

  g_assert_nonnull (store);
  result = PQexec (instasync_store_get_connection (store),
                   "TRUNCATE instagram_insights, instagram_accounts, user_tokens, "
                   "instagram_sync_logs, instagram_sync_cursors");
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_COMMAND_OK);
  PQclear (result);

  g_assert_true (graph_sim_load_demo (sim, &error));
  g_assert_no_error (error);

  fixture->app = app;
  g_application_activate (G_APPLICATION (fixture->app));
  fixture->window = INSTASYNC_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (fixture->app)));
  fixture->manager = instasync_application_get_manager (fixture->app);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 760);
  instasync_test_wait_for_layout (GTK_WIDGET (fixture->window));
  g_assert_true (instasync_test_wait_for (manager_ready, fixture->manager, 20000));

  /* The tables were emptied under the manager's feet: it reads them again. */
  {
    gboolean done = FALSE;

    instasync_sync_manager_reload_async (fixture->manager, NULL, on_reloaded_cb, &done);
    g_assert_true (instasync_test_wait_for (reloaded, &done, 20000));
  }

  fixture->dialog = INSTASYNC_CONNECT_DIALOG (instasync_window_connect_account (fixture->window));
  g_object_add_weak_pointer (G_OBJECT (fixture->dialog), (gpointer *)&fixture->dialog);
  instasync_test_wait_for_layout (GTK_WIDGET (fixture->dialog));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->dialog));
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  instasync_test_iterate ();
}

/* Tests */

static void
test_login_then_sync (Fixture       *fixture,
                      gconstpointer  data)
{
  InstaSyncAccountPage *page = instasync_window_get_account_page (fixture->window);
  InstaSyncFetchResult *result;
  InstaSyncChart *chart;
  g_autofree char *summary = NULL;
  guint n;

  g_assert_true (graph_sim_set_login_outcome (sim, "page"));
  save (GTK_WINDOW (fixture->dialog), "connect-start");

  /* The login page, in WebKit: the user sees whose site it is. */
  instasync_connect_dialog_start_login (fixture->dialog);
  g_assert_cmpstr (instasync_connect_dialog_get_step (fixture->dialog), ==, "browser");
  g_assert_true (instasync_test_wait_for (page_loaded,
                                          instasync_connect_dialog_get_web_view (fixture->dialog),
                                          30000));
  g_assert_cmpstr (instasync_connect_dialog_get_host (fixture->dialog), ==, "127.0.0.1");
  save (GTK_WINDOW (fixture->dialog), "connect-login");

  /* Approve: the redirect is caught, the accounts are found. The demo user
   * has two Instagram accounts and a Page without one. */
  click (fixture->dialog, "approve");
  wait_for_step (fixture->dialog, "accounts");
  g_assert_cmpuint (instasync_connect_dialog_get_n_found (fixture->dialog), ==, 2);
  save (GTK_WINDOW (fixture->dialog), "connect-accounts");

  /* Add them: the dialog closes, the accounts are in the list, and their
   * first sync runs. */
  instasync_connect_dialog_add_accounts (fixture->dialog);
  g_assert_true (instasync_test_wait_for (dialog_closed, fixture, 20000));
  n = g_list_model_get_n_items (instasync_sync_manager_get_accounts (fixture->manager));
  g_assert_cmpuint (n, ==, 2);
  g_assert_true (instasync_test_wait_for (sync_done, fixture, 60000));

  result = instasync_sync_manager_get_last_result (fixture->manager, BAKERY);
  summary = instasync_fetch_result_to_summary (result);
  g_test_message ("%s", summary);
  g_assert_cmpint (instasync_fetch_result_get_status (result), ==, INSTASYNC_FETCH_STATUS_SUCCEEDED);
  g_assert_cmpuint (instasync_fetch_result_get_rows_inserted (result), >, 0);

  /* The chart shows what the simulator serves for each day. */
  instasync_window_select_account (fixture->window, 0);
  g_assert_true (instasync_test_wait_for (chart_filled, page, 20000));
  chart = instasync_account_page_get_chart (page);
  g_assert_cmpstr (instasync_account_get_ig_user_id (instasync_account_page_get_account (page)), ==,
                   BAKERY);
  /* The profile picture: from the API's address, downloaded, cached. */
  {
    AvatarLoad load = { 0, };
    g_autoptr(GdkTexture) texture = NULL;
    g_autoptr(GBytes) cached = NULL;
    g_autofree char *cache_dir = g_build_filename (data_dir, "cache", "avatars", NULL);
    g_autoptr(GError) error = NULL;

    instasync_sync_manager_load_avatar_async (fixture->manager, BAKERY, NULL, on_avatar_cb, &load);
    g_assert_true (instasync_test_wait_for (avatar_loaded, &load, 20000));
    g_assert_no_error (load.error);
    texture = gdk_texture_new_from_bytes (load.image, &error);
    g_assert_no_error (error);
    g_assert_cmpint (gdk_texture_get_width (texture), ==, 48);
    cached = instasync_avatar_cache_lookup (cache_dir, BAKERY, INSTASYNC_AVATAR_MAX_AGE_SECONDS);
    g_assert_nonnull (cached);
    g_assert_true (g_bytes_equal (cached, load.image));
    g_bytes_unref (load.image);
  }

  /* The page shows the sync's own summary: every metric, every row new. */
  g_assert_cmpstr (instasync_account_page_get_result_summary (page), ==, g_strchomp (summary));
  g_assert_nonnull (strstr (summary, "4 of 4 metrics"));
  for (guint i = 0; i < instasync_chart_get_n_points (chart); i++)
    {
      const InstaSyncChartPoint *point = instasync_chart_get_point (chart, i);
      GDate day;

      g_date_clear (&day, 1);
      g_date_set_julian (&day, point->julian_day);
      g_assert_cmpfloat (point->value, ==, (double)graph_sim_daily_value (BAKERY, "reach", &day));
    }
  save (GTK_WINDOW (fixture->window), "window-synced");
}

static void
assert_problem (Fixture    *fixture,
                const char *outcome,
                const char *title,
                const char *screenshot)
{
  g_assert_true (graph_sim_set_login_outcome (sim, "page"));
  instasync_connect_dialog_start_login (fixture->dialog);
  click (fixture->dialog, outcome);
  wait_for_step (fixture->dialog, "problem");
  g_assert_cmpstr (instasync_connect_dialog_get_problem (fixture->dialog), ==, title);
  if (screenshot != NULL)
    save (GTK_WINDOW (fixture->dialog), screenshot);
  /* Nothing was stored. */
  g_assert_cmpuint (g_list_model_get_n_items (instasync_sync_manager_get_accounts (fixture->manager)),
                    ==, 0);
}

static void
test_deny_and_cancel (Fixture       *fixture,
                      gconstpointer  data)
{
  assert_problem (fixture, "deny", "Permissions Declined", "connect-denied");
  assert_problem (fixture, "cancel", "Login Cancelled", NULL);
}

static void
test_page_without_instagram (Fixture       *fixture,
                             gconstpointer  data)
{
  static const char scenario[] =
    "{\"app\": {\"id\": \"100000000000001\", \"secret\": \"sim-app-secret\"},"
    " \"users\": [{\"id\": \"1\", \"name\": \"U\", \"token\": \"EAAlonely\","
    "   \"pages\": [{\"id\": \"2\", \"name\": \"Corner Café\"}]}]}";
  g_autoptr(GError) error = NULL;

  g_assert_true (graph_sim_load_scenario_data (sim, scenario, -1, &error));
  g_assert_no_error (error);
  assert_problem (fixture, "approve", "No Instagram Account Linked", "connect-no-instagram");
}

static void
test_pasted_token (Fixture       *fixture,
                   gconstpointer  data)
{
  /* Garbage first: refused by Meta, nothing stored. */
  instasync_connect_dialog_check_token (fixture->dialog, "EAAnot-a-real-token");
  wait_for_step (fixture->dialog, "problem");
  g_assert_cmpstr (instasync_connect_dialog_get_problem (fixture->dialog), ==, "Could Not Connect");

  /* The second demo user's token reaches one account. */
  instasync_connect_dialog_check_token (fixture->dialog, "demo-token-2");
  wait_for_step (fixture->dialog, "accounts");
  g_assert_cmpuint (instasync_connect_dialog_get_n_found (fixture->dialog), ==, 1);
}

typedef struct
{
  InstaSyncConnectDialog *dialog;
  const char             *prefix;
} RefusalWait;

static gboolean
refused (gpointer data)
{
  RefusalWait *wait = data;
  const char *uri = instasync_connect_dialog_get_refused_uri (wait->dialog);

  return uri != NULL && g_str_has_prefix (uri, wait->prefix);
}

static gboolean
page_with_marker_loaded (gpointer data)
{
  WebKitWebView *view = data;

  return !webkit_web_view_is_loading (view) && webkit_web_view_get_uri (view) != NULL &&
         strstr (webkit_web_view_get_uri (view), "marker=after") != NULL;
}

static void
run_script (WebKitWebView *view,
            const char    *script)
{
  webkit_web_view_evaluate_javascript (view, script, -1, NULL, NULL, NULL, on_script_done_cb, NULL);
}

/* The login page may lead nowhere but to Meta, the Graph host and the
 * redirect: another server, here one more simulator on this machine, sees
 * no request from it, by link, by script or by a window of its own. */
static void
test_login_view_stays (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GraphSim) elsewhere = graph_sim_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *elsewhere_url = NULL;
  g_autofree char *away = NULL;
  g_autofree char *popup = NULL;
  g_autofree char *sim_url = graph_sim_get_base_url (sim);
  WebKitWebView *view;
  RefusalWait wait = { fixture->dialog, NULL };
  guint requests;

  g_assert_true (graph_sim_start (elsewhere, 0, &error));
  g_assert_no_error (error);
  elsewhere_url = graph_sim_get_base_url (elsewhere);
  requests = graph_sim_get_request_count (elsewhere);

  g_assert_true (graph_sim_set_login_outcome (sim, "page"));
  instasync_connect_dialog_start_login (fixture->dialog);
  view = WEBKIT_WEB_VIEW (instasync_connect_dialog_get_web_view (fixture->dialog));
  g_assert_true (instasync_test_wait_for (page_loaded, view, 30000));
  g_assert_null (instasync_connect_dialog_get_refused_uri (fixture->dialog));

  /* A script sends the page elsewhere on this machine. */
  away = g_strdup_printf ("location.href = '%s/v22.0/dialog/oauth?client_id=1'", elsewhere_url);
  run_script (view, away);
  wait.prefix = elsewhere_url;
  g_assert_true (instasync_test_wait_for (refused, &wait, 30000));
  g_assert_true (strstr (webkit_web_view_get_uri (view), "dialog/oauth") != NULL);
  g_assert_true (g_str_has_prefix (webkit_web_view_get_uri (view), sim_url));

  /* ... and in a clear-text look-alike of Meta's own site. */
  run_script (view, "location.href = 'http://www.facebook.com/login.php'");
  wait.prefix = "http://www.facebook.com/";
  g_assert_true (instasync_test_wait_for (refused, &wait, 30000));

  /* A window of its own, by script and by a link's target. */
  popup = g_strdup_printf ("window.open ('%s/popup', '_blank'); "
                           "var a = document.createElement ('a'); a.href = '%s/link'; "
                           "a.target = '_blank'; document.body.appendChild (a); a.click ()",
                           elsewhere_url, elsewhere_url);
  run_script (view, popup);

  /* Where it may go, it goes: the same dialog again, marked. That load
   * comes after everything above was decided. */
  run_script (view, "location.href = location.href + '&marker=after'");
  g_assert_true (instasync_test_wait_for (page_with_marker_loaded, view, 30000));

  g_assert_cmpuint (graph_sim_get_request_count (elsewhere), ==, requests);
  g_assert_cmpstr (instasync_connect_dialog_get_step (fixture->dialog), ==, "browser");
  graph_sim_stop (elsewhere);
}

static gboolean
syncing_now (gpointer data)
{
  Fixture *fixture = data;

  return instasync_sync_manager_get_syncing (fixture->manager);
}

static gboolean
idle_again (gpointer data)
{
  Fixture *fixture = data;

  return !instasync_sync_manager_get_syncing (fixture->manager);
}

static gboolean
is_folded (gpointer data)
{
  AdwLeaflet *leaflet = data;

  return adw_leaflet_get_folded (leaflet);
}

/* The window through a sync: in progress, then with errors to act on, and
 * at the narrowest width. */
static void
test_sync_states (Fixture       *fixture,
                  gconstpointer  data)
{
  InstaSyncAccountPage *page = instasync_window_get_account_page (fixture->window);
  GtkWidget *leaflet;
  g_autoptr(GError) error = NULL;
  InstaSyncFetchResult *result;
  int details;

  /* Two accounts by the pasted-token path. */
  instasync_connect_dialog_check_token (fixture->dialog, "demo-token");
  wait_for_step (fixture->dialog, "accounts");
  instasync_connect_dialog_add_accounts (fixture->dialog);
  g_assert_true (instasync_test_wait_for (dialog_closed, fixture, 20000));
  g_assert_true (instasync_test_wait_for (sync_done, fixture, 60000));

  /* A slow network: the sync is seen under way. */
  graph_sim_set_latency_ms (sim, 4000);
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "sync-now", NULL);
  g_assert_true (instasync_test_wait_for (syncing_now, fixture, 30000));
  save (GTK_WINDOW (fixture->window), "window-syncing");
  g_assert_true (instasync_sync_manager_get_syncing (fixture->manager));
  g_assert_true (instasync_test_wait_for (idle_again, fixture, 60000));
  graph_sim_set_latency_ms (sim, 0);

  /* Meta revokes the token: the result says so and offers a reconnect. */
  g_assert_true (graph_sim_set_token_state (sim, "demo-token", "expired"));
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "sync-now", NULL);
  g_assert_true (instasync_test_wait_for (syncing_now, fixture, 30000) ||
                 !instasync_sync_manager_get_syncing (fixture->manager));
  g_assert_true (instasync_test_wait_for (idle_again, fixture, 60000));
  result = instasync_sync_manager_get_last_result (fixture->manager, BAKERY);
  g_assert_cmpint (instasync_fetch_result_get_action (result), ==, INSTASYNC_ERROR_ACTION_RECONNECT);

  instasync_window_select_account (fixture->window, 0);
  instasync_test_iterate ();
  details = instasync_account_page_show_result_details (page);
  g_assert_cmpint (details, >, 0);
  save (GTK_WINDOW (fixture->window), "window-error");

  /* Narrow: the list and the page fold into one column. */
  leaflet = gtk_widget_get_ancestor (GTK_WIDGET (page), ADW_TYPE_LEAFLET);
  g_assert_nonnull (leaflet);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 720);
  g_assert_true (instasync_test_wait_for (is_folded, leaflet, 10000));
  save (GTK_WINDOW (fixture->window), "window-narrow");
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *graph_url = NULL;
  int status;

  instasync_test_gui_init (&argc, &argv);

  pg = instasync_test_pg_start_checked ();
  data_dir = instasync_test_pg_make_tmp_dir (&error);
  g_assert_no_error (error);

  sim = graph_sim_new ();
  g_assert_true (graph_sim_load_demo (sim, &error));
  g_assert_true (graph_sim_start (sim, 0, &error));
  g_assert_no_error (error);
  graph_url = graph_sim_get_base_url (sim);

  g_setenv ("INSTASYNC_DATABASE_URL", instasync_test_pg_get_conninfo (pg), TRUE);
  g_setenv ("INSTASYNC_DATA_DIR", data_dir, TRUE);
  {
    g_autofree char *cache = g_build_filename (data_dir, "cache", NULL);

    g_setenv ("INSTASYNC_CACHE_DIR", cache, TRUE);
  }
  g_setenv ("INSTASYNC_GRAPH_URL", graph_url, TRUE);
  g_setenv ("INSTASYNC_APP_ID", "100000000000001", TRUE);
  g_setenv ("INSTASYNC_TOKEN_KEY", "0123456789abcdef0123456789abcdef", TRUE);
  g_setenv ("INSTASYNC_SECRETS_FILE", "/nonexistent/secrets.ini", TRUE);

  g_test_add ("/connect/login-then-sync", Fixture, NULL, fixture_set_up, test_login_then_sync,
              fixture_tear_down);
  g_test_add ("/connect/deny-and-cancel", Fixture, NULL, fixture_set_up, test_deny_and_cancel,
              fixture_tear_down);
  g_test_add ("/connect/page-without-instagram", Fixture, NULL, fixture_set_up,
              test_page_without_instagram, fixture_tear_down);
  g_test_add ("/connect/pasted-token", Fixture, NULL, fixture_set_up, test_pasted_token,
              fixture_tear_down);
  g_test_add ("/connect/sync-states", Fixture, NULL, fixture_set_up, test_sync_states,
              fixture_tear_down);
  g_test_add ("/connect/login-view-stays", Fixture, NULL, fixture_set_up, test_login_view_stays,
              fixture_tear_down);

  app = instasync_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  status = g_test_run ();

  g_clear_object (&app);
  g_clear_object (&sim);
  instasync_test_pg_remove_tree (data_dir);
  g_free (data_dir);
  instasync_test_pg_free (pg);
  return status;
}
