/* instasync-config.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Settings that come from the environment, shared by every front end:
 *
 *   INSTASYNC_DATABASE_URL   a libpq URL or conninfo; unset = the embedded cluster
 *   INSTASYNC_GRAPH_URL      default https://graph.facebook.com
 *   INSTASYNC_GRAPH_VERSION  default v22.0
 *   INSTASYNC_METRICS        comma list from the catalogue; default the original four
 *   INSTASYNC_LOOKBACK_DAYS  days re-synced on every run; default 3
 *   INSTASYNC_SECRETS_FILE   the development fallback for accounts and tokens;
 *                            default $XDG_CONFIG_HOME/instasync/secrets.ini
 *   INSTASYNC_DATA_DIR       where the embedded cluster lives;
 *                            default $XDG_DATA_HOME/instasync, /var/lib/instasync as root
 */
/* Meta's page for desktop apps: the embedded browser watches for it and
 * reads the result from its fragment. */
#define INSTASYNC_DEFAULT_REDIRECT_URI "https://www.facebook.com/connect/login_success.html"

typedef struct
{
  char  *database_url;
  char  *graph_url;
  char  *graph_version;
  GStrv  metrics;
  guint  lookback_days;
  char  *secrets_file;
  char  *data_dir;
  /* The Meta app: its ID opens the login dialog; its secret (optional, and
   * never printed) enables the code flow, the long-lived exchange, token
   * refresh and appsecret_proof. */
  char  *app_id;
  char  *app_secret;
  /* Where the login dialog sends the browser back. */
  char  *redirect_uri;
  /* A token with this many days or fewer left is refreshed before a sync
   * (with the secret) or reported as expiring (without it). */
  guint  token_refresh_days;
} InstaSyncConfig;

/* Reads and checks the environment; a malformed value is
 * INSTASYNC_ERROR_CONFIG naming the variable. */
InstaSyncConfig *instasync_config_new_from_env (GError          **error);
/* $XDG_DATA_HOME/instasync, or /var/lib/instasync when running as root. */
char            *instasync_config_default_data_dir (void);
void             instasync_config_free         (InstaSyncConfig  *config);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InstaSyncConfig, instasync_config_free)

G_END_DECLS
