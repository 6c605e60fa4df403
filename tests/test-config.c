/* test-config.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "instasync-account.h"
#include "instasync-config.h"
#include "instasync-error.h"
#include "instasync-secrets-file.h"

static const char * const variables[] = {
  "INSTASYNC_DATABASE_URL", "INSTASYNC_GRAPH_URL", "INSTASYNC_GRAPH_VERSION",
  "INSTASYNC_METRICS", "INSTASYNC_LOOKBACK_DAYS", "INSTASYNC_SECRETS_FILE",
  "INSTASYNC_DATA_DIR", "INSTASYNC_APP_ID", "INSTASYNC_APP_SECRET", "INSTASYNC_REDIRECT_URI",
  "INSTASYNC_TOKEN_REFRESH_DAYS", NULL
};

static void
clear_environment (void)
{
  for (guint i = 0; variables[i] != NULL; i++)
    g_unsetenv (variables[i]);
}

static void
test_defaults (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncConfig) config = NULL;
  const char * const four[] = { "reach", "profile_views", "accounts_engaged", "follower_count", NULL };

  clear_environment ();
  config = instasync_config_new_from_env (&error);
  g_assert_no_error (error);
  g_assert_null (config->database_url);
  g_assert_cmpstr (config->graph_url, ==, "https://graph.facebook.com");
  g_assert_cmpstr (config->graph_version, ==, "v22.0");
  g_assert_cmpstrv (config->metrics, four);
  g_assert_cmpuint (config->lookback_days, ==, 3);
  g_assert_true (g_str_has_suffix (config->secrets_file, "instasync/secrets.ini"));
  g_assert_true (g_str_has_suffix (config->data_dir, "instasync"));
  g_assert_null (config->app_id);
  g_assert_null (config->app_secret);
  g_assert_cmpstr (config->redirect_uri, ==, "https://www.facebook.com/connect/login_success.html");
  g_assert_cmpuint (config->token_refresh_days, ==, 7);
}

static void
test_overrides (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncConfig) config = NULL;
  const char * const two[] = { "reach", "likes", NULL };

  clear_environment ();
  g_setenv ("INSTASYNC_DATABASE_URL", "postgresql://u@db.example/insights", TRUE);
  g_setenv ("INSTASYNC_GRAPH_URL", "http://127.0.0.1:8080", TRUE);
  g_setenv ("INSTASYNC_GRAPH_VERSION", "v24.0", TRUE);
  g_setenv ("INSTASYNC_METRICS", "likes,reach", TRUE);
  g_setenv ("INSTASYNC_LOOKBACK_DAYS", "7", TRUE);
  g_setenv ("INSTASYNC_DATA_DIR", "/srv/instasync", TRUE);
  g_setenv ("INSTASYNC_APP_ID", "1234567890", TRUE);
  g_setenv ("INSTASYNC_APP_SECRET", "s3cr3t", TRUE);
  g_setenv ("INSTASYNC_REDIRECT_URI", "http://127.0.0.1:9/login_success.html", TRUE);
  g_setenv ("INSTASYNC_TOKEN_REFRESH_DAYS", "14", TRUE);
  /* Empty counts as unset. */
  g_setenv ("INSTASYNC_SECRETS_FILE", "", TRUE);

  config = instasync_config_new_from_env (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->database_url, ==, "postgresql://u@db.example/insights");
  g_assert_cmpstr (config->graph_url, ==, "http://127.0.0.1:8080");
  g_assert_cmpstr (config->graph_version, ==, "v24.0");
  g_assert_cmpstrv (config->metrics, two);
  g_assert_cmpuint (config->lookback_days, ==, 7);
  g_assert_cmpstr (config->data_dir, ==, "/srv/instasync");
  g_assert_true (g_str_has_suffix (config->secrets_file, "secrets.ini"));
  g_assert_cmpstr (config->app_id, ==, "1234567890");
  g_assert_cmpstr (config->app_secret, ==, "s3cr3t");
  g_assert_cmpstr (config->redirect_uri, ==, "http://127.0.0.1:9/login_success.html");
  g_assert_cmpuint (config->token_refresh_days, ==, 14);
  clear_environment ();
}

static void
test_bad_values (void)
{
  const struct { const char *name, *value, *named; } bad[] = {
    { "INSTASYNC_GRAPH_URL", "ftp://graph.facebook.com", "INSTASYNC_GRAPH_URL" },
    { "INSTASYNC_GRAPH_URL", "not a url", "INSTASYNC_GRAPH_URL" },
    /* Tokens never travel in clear text to another machine. */
    { "INSTASYNC_GRAPH_URL", "http://graph.facebook.com", "INSTASYNC_GRAPH_URL" },
    { "INSTASYNC_GRAPH_VERSION", "22", "INSTASYNC_GRAPH_VERSION" },
    { "INSTASYNC_GRAPH_VERSION", "v22.0/../x", "INSTASYNC_GRAPH_VERSION" },
    { "INSTASYNC_METRICS", "reach,impresions", "INSTASYNC_METRICS" },
    { "INSTASYNC_LOOKBACK_DAYS", "0", "INSTASYNC_LOOKBACK_DAYS" },
    { "INSTASYNC_LOOKBACK_DAYS", "31", "INSTASYNC_LOOKBACK_DAYS" },
    { "INSTASYNC_LOOKBACK_DAYS", "3d", "INSTASYNC_LOOKBACK_DAYS" },
    { "INSTASYNC_APP_ID", "my-app", "INSTASYNC_APP_ID" },
    { "INSTASYNC_REDIRECT_URI", "fb123://authorize", "INSTASYNC_REDIRECT_URI" },
    { "INSTASYNC_REDIRECT_URI", "login_success.html", "INSTASYNC_REDIRECT_URI" },
    { "INSTASYNC_TOKEN_REFRESH_DAYS", "0", "INSTASYNC_TOKEN_REFRESH_DAYS" },
    { "INSTASYNC_TOKEN_REFRESH_DAYS", "60", "INSTASYNC_TOKEN_REFRESH_DAYS" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      clear_environment ();
      g_setenv (bad[i].name, bad[i].value, TRUE);
      g_assert_null (instasync_config_new_from_env (&error));
      g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFIG);
      /* The message names the variable to fix. */
      g_assert_nonnull (strstr (error->message, bad[i].named));
    }
  clear_environment ();
}

static char *
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

static void
test_secrets_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("instasync-secrets-XXXXXX", &error);
  g_autofree char *good = NULL, *missing_token = NULL, *bad_id = NULL, *garbage = NULL, *absent = NULL;
  g_autoptr(GHashTable) tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) accounts = NULL;
  InstaSyncAccount *account;

  g_assert_no_error (error);
  good = write_file (dir, "good.ini",
                     "# development accounts\n"
                     "[account 17841400000000001]\nusername=one\naccess_token=  tok-one  \n"
                     "[account 17841400000000002]\naccess_token=tok-two\n"
                     "[unrelated]\nkey=value\n");
  missing_token = write_file (dir, "missing.ini", "[account 1]\nusername=x\n");
  bad_id = write_file (dir, "bad-id.ini", "[account 12ab]\naccess_token=t\n");
  /* A token on a line without "=": the error must not quote it. */
  garbage = write_file (dir, "garbage.ini", "[account 5]\naccess_token EAAsecret-in-a-bad-line\n");
  absent = g_build_filename (dir, "absent.ini", NULL);

  accounts = instasync_secrets_file_load (good, tokens, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 2);
  account = g_ptr_array_index (accounts, 0);
  g_assert_cmpstr (instasync_account_get_ig_user_id (account), ==, "17841400000000001");
  g_assert_cmpstr (instasync_account_get_username (account), ==, "one");
  g_assert_cmpstr (instasync_account_get_source (account), ==, "secrets-file");
  g_assert_cmpstr (g_hash_table_lookup (tokens, "17841400000000001"), ==, "tok-one");
  g_assert_cmpstr (g_hash_table_lookup (tokens, "17841400000000002"), ==, "tok-two");
  g_clear_pointer (&accounts, g_ptr_array_unref);

  /* No file: no accounts, no error. */
  accounts = instasync_secrets_file_load (absent, tokens, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 0);
  g_clear_pointer (&accounts, g_ptr_array_unref);

  g_assert_null (instasync_secrets_file_load (missing_token, tokens, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "access_token"));
  g_clear_error (&error);

  g_assert_null (instasync_secrets_file_load (bad_id, tokens, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFIG);
  g_clear_error (&error);

  g_assert_null (instasync_secrets_file_load (garbage, tokens, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFIG);
  g_assert_null (strstr (error->message, "EAAsecret"));
  g_clear_error (&error);

  g_remove (good);
  g_remove (missing_token);
  g_remove (bad_id);
  g_remove (garbage);
  g_rmdir (dir);
}

static void
test_ig_user_id (void)
{
  const char * const good[] = { "1", "17841400000000001", "12345678901234567890123456789012", NULL };
  const char * const bad[] = { "", "abc", "123 ", "-1", "1.5", "1/insights", "123456789012345678901234567890123",
                               "17841400000000001'; DROP TABLE x; --", NULL };

  for (guint i = 0; good[i] != NULL; i++)
    g_assert_true (instasync_check_ig_user_id (good[i], NULL));

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (instasync_check_ig_user_id (bad[i], &error));
      g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_INVALID_ARGUMENT);
    }
  g_assert_false (instasync_check_ig_user_id (NULL, NULL));
}

static void
test_account_properties (void)
{
  g_autoptr(InstaSyncAccount) account = instasync_account_new ("42");
  g_autofree char *status = NULL;
  gint64 expires = 0;
  guint notified = 0;

  g_assert_cmpstr (instasync_account_get_status (account), ==, INSTASYNC_ACCOUNT_STATUS_ACTIVE);
  g_assert_cmpstr (instasync_account_get_source (account), ==, "database");

  g_signal_connect_swapped (account, "notify::status", G_CALLBACK (g_atomic_int_inc), &notified);
  instasync_account_set_status (account, INSTASYNC_ACCOUNT_STATUS_NEEDS_RECONNECT);
  /* Unchanged values do not notify. */
  instasync_account_set_status (account, INSTASYNC_ACCOUNT_STATUS_NEEDS_RECONNECT);
  g_assert_cmpuint (notified, ==, 1);

  g_object_set (account, "token-expires-at", (gint64)1714806000, "last-synced-at", (gint64)5, NULL);
  g_object_get (account, "status", &status, "token-expires-at", &expires, NULL);
  g_assert_cmpstr (status, ==, "needs_reconnect");
  g_assert_cmpint (expires, ==, 1714806000);
  g_assert_cmpint (instasync_account_get_last_synced_at (account), ==, 5);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/config/defaults", test_defaults);
  g_test_add_func ("/config/overrides", test_overrides);
  g_test_add_func ("/config/bad-values", test_bad_values);
  g_test_add_func ("/config/secrets-file", test_secrets_file);
  g_test_add_func ("/config/ig-user-id", test_ig_user_id);
  g_test_add_func ("/config/account-properties", test_account_properties);

  return g_test_run ();
}
