/* instasync-config.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-config"

#include "config.h"

#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "instasync-config.h"
#include "instasync-error.h"
#include "instasync-graph-client.h"
#include "instasync-metric-catalogue.h"
#include "instasync-secret.h"

static const char *
get_env (const char *name)
{
  const char *value = g_getenv (name);

  /* An empty variable is how shells unset things in a hurry. */
  return value != NULL && *value != '\0' ? value : NULL;
}

static gboolean
is_decimal_id (const char *text)
{
  if (*text == '\0' || strlen (text) > 32)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

static gboolean
is_web_url (const char *text)
{
  g_autoptr(GUri) uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);

  return uri != NULL && g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0' &&
         (g_str_equal (g_uri_get_scheme (uri), "https") ||
          g_str_equal (g_uri_get_scheme (uri), "http"));
}

static gboolean
check_graph_url (const char  *url,
                 GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

  if (uri == NULL || host == NULL || *host == '\0' ||
      (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 &&
       g_strcmp0 (g_uri_get_scheme (uri), "http") != 0))
    {
      g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFIG,
                           _("INSTASYNC_GRAPH_URL must be an https URL, "
                             "e.g. https://graph.facebook.com"));
      return FALSE;
    }

  /* Tokens travel in a header: in clear text only to this machine (the
   * simulator, a local proxy). */
  if (g_str_equal (g_uri_get_scheme (uri), "http") &&
      !g_str_equal (host, "127.0.0.1") && !g_str_equal (host, "::1") &&
      !g_str_equal (host, "localhost"))
    {
      g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFIG,
                           _("INSTASYNC_GRAPH_URL must use https unless it points at this "
                             "machine (127.0.0.1, ::1 or localhost)"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_graph_version (const char  *version,
                     GError     **error)
{
  g_autoptr(GRegex) pattern = g_regex_new ("^v[0-9]{1,3}\\.[0-9]{1,2}$", 0, 0, NULL);

  if (!g_regex_match (pattern, version, 0, NULL))
    {
      g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFIG,
                           _("INSTASYNC_GRAPH_VERSION must look like v22.0"));
      return FALSE;
    }

  return TRUE;
}

char *
instasync_config_default_data_dir (void)
{
  /* The embedded server never runs as root; as root it runs as the
   * postgres user, who cannot enter /root. A system location it can reach
   * is also where a root-run service belongs. */
  if (geteuid () == 0)
    return g_strdup ("/var/lib/instasync");

  return g_build_filename (g_get_user_data_dir (), "instasync", NULL);
}

InstaSyncConfig *
instasync_config_new_from_env (GError **error)
{
  g_autoptr(InstaSyncConfig) config = g_new0 (InstaSyncConfig, 1);
  const char *value;

  config->database_url = g_strdup (get_env ("INSTASYNC_DATABASE_URL"));

  config->graph_url = g_strdup (get_env ("INSTASYNC_GRAPH_URL"));
  if (config->graph_url == NULL)
    config->graph_url = g_strdup (INSTASYNC_DEFAULT_GRAPH_URL);
  if (!check_graph_url (config->graph_url, error))
    return NULL;

  config->graph_version = g_strdup (get_env ("INSTASYNC_GRAPH_VERSION"));
  if (config->graph_version == NULL)
    config->graph_version = g_strdup (INSTASYNC_DEFAULT_GRAPH_VERSION);
  if (!check_graph_version (config->graph_version, error))
    return NULL;

  value = get_env ("INSTASYNC_METRICS");
  if (value != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      config->metrics = instasync_metric_catalogue_parse_list (value, &local_error);
      if (config->metrics == NULL)
        {
          g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFIG,
                       _("INSTASYNC_METRICS: %s"), local_error->message);
          return NULL;
        }
    }
  else
    {
      config->metrics = instasync_metric_catalogue_default_set ();
    }

  config->lookback_days = 3;
  value = get_env ("INSTASYNC_LOOKBACK_DAYS");
  if (value != NULL)
    {
      guint64 days;

      if (!g_ascii_string_to_unsigned (value, 10, 1, 30, &days, NULL))
        {
          g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFIG,
                               _("INSTASYNC_LOOKBACK_DAYS must be a number of days from 1 to 30"));
          return NULL;
        }
      config->lookback_days = (guint)days;
    }

  value = get_env ("INSTASYNC_SECRETS_FILE");
  config->secrets_file = value != NULL
    ? g_strdup (value)
    : g_build_filename (g_get_user_config_dir (), "instasync", "secrets.ini", NULL);

  value = get_env ("INSTASYNC_DATA_DIR");
  config->data_dir = value != NULL ? g_strdup (value) : instasync_config_default_data_dir ();

  config->app_id = g_strdup (get_env ("INSTASYNC_APP_ID"));
  if (config->app_id != NULL && !is_decimal_id (config->app_id))
    {
      g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFIG,
                           _("INSTASYNC_APP_ID must be the app's numeric ID"));
      return NULL;
    }
  config->app_secret = instasync_secret_new (get_env ("INSTASYNC_APP_SECRET"));

  config->redirect_uri = g_strdup (get_env ("INSTASYNC_REDIRECT_URI"));
  if (config->redirect_uri == NULL)
    config->redirect_uri = g_strdup (INSTASYNC_DEFAULT_REDIRECT_URI);
  if (!is_web_url (config->redirect_uri))
    {
      g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFIG,
                           _("INSTASYNC_REDIRECT_URI must be an http or https URL"));
      return NULL;
    }

  config->token_refresh_days = 7;
  value = get_env ("INSTASYNC_TOKEN_REFRESH_DAYS");
  if (value != NULL)
    {
      guint64 days;

      if (!g_ascii_string_to_unsigned (value, 10, 1, 59, &days, NULL))
        {
          g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFIG,
                               _("INSTASYNC_TOKEN_REFRESH_DAYS must be a number of days from 1 to 59"));
          return NULL;
        }
      config->token_refresh_days = (guint)days;
    }

  return g_steal_pointer (&config);
}

void
instasync_config_free (InstaSyncConfig *config)
{
  if (config == NULL)
    return;

  g_free (config->database_url);
  g_free (config->graph_url);
  g_free (config->graph_version);
  g_strfreev (config->metrics);
  g_free (config->secrets_file);
  g_free (config->data_dir);
  g_free (config->app_id);
  /* The secret does not linger in freed memory. */
  instasync_secret_free (config->app_secret);
  g_free (config->redirect_uri);
  g_free (config);
}
