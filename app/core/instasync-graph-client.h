/* instasync-graph-client.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "instasync-usage.h"

G_BEGIN_DECLS

/* The Graph API over HTTP.
 *
 * Calls block and a client belongs to one thread: the sync engine gives each
 * worker thread its own, so the main thread never waits on the network. The
 * access token travels in the Authorization header, never in a URL; what
 * URLs do carry (appsecret_proof, the token endpoints' parameters) is
 * redacted from every error. Transient failures are retried here
 * with bounded exponential backoff and jitter; everything else is returned
 * as an INSTASYNC_GRAPH_ERROR or INSTASYNC_ERROR for the caller to classify. */
#define INSTASYNC_TYPE_GRAPH_CLIENT (instasync_graph_client_get_type ())

G_DECLARE_FINAL_TYPE (InstaSyncGraphClient, instasync_graph_client, INSTASYNC, GRAPH_CLIENT, GObject)

#define INSTASYNC_DEFAULT_GRAPH_URL     "https://graph.facebook.com"
#define INSTASYNC_DEFAULT_GRAPH_VERSION "v22.0"

InstaSyncGraphClient *instasync_graph_client_new              (const char            *base_url,
                                                               const char            *api_version);
const char           *instasync_graph_client_get_base_url     (InstaSyncGraphClient  *self);
const char           *instasync_graph_client_get_api_version  (InstaSyncGraphClient  *self);
/* The major version number, e.g. 22 for "v22.0"; 0 when unreadable. */
guint                 instasync_graph_client_get_version_major (InstaSyncGraphClient *self);

/* Attempts per call (1 = no retry) and the backoff between them. */
void                  instasync_graph_client_set_retry_policy (InstaSyncGraphClient  *self,
                                                               guint                  max_attempts,
                                                               guint                  base_delay_ms,
                                                               guint                  max_delay_ms);
void                  instasync_graph_client_set_timeout      (InstaSyncGraphClient  *self,
                                                               guint                  seconds);

/* With an App Secret every call made with a token carries appsecret_proof
 * (in the query of a GET, in the body of a batch POST), which an app may
 * require; NULL turns it off. The secret never appears in an error. */
void                  instasync_graph_client_set_app_secret   (InstaSyncGraphClient  *self,
                                                               const char            *app_secret);
gboolean              instasync_graph_client_has_app_secret   (InstaSyncGraphClient  *self);
/* Lowercase hex HMAC-SHA256 of @access_token keyed by @app_secret. */
char                 *instasync_graph_appsecret_proof         (const char            *app_secret,
                                                               const char            *access_token);

/* GET {base}/{version}/{path}?{params}. @params is a NULL-terminated list of
 * alternating names and values. Returns the parsed body of a 2xx answer. */
JsonNode             *instasync_graph_client_get              (InstaSyncGraphClient  *self,
                                                               const char            *path,
                                                               const char * const    *params,
                                                               const char            *access_token,
                                                               GCancellable          *cancellable,
                                                               GError               **error);

/* GET /{ig_user_id}?fields=id,username with @access_token: TRUE when the
 * API answers that very account, which proves the token reaches it; then
 * @username (may be NULL) is its username, or NULL when it has none. An
 * answer about another id is an INSTASYNC_ERROR_UNEXPECTED_SHAPE. */
gboolean              instasync_graph_client_get_ig_user      (InstaSyncGraphClient  *self,
                                                               const char            *ig_user_id,
                                                               const char            *access_token,
                                                               GCancellable          *cancellable,
                                                               char                 **username,
                                                               GError               **error);

/* Counters since the client was made: API calls asked for, and HTTP
 * requests sent (retries included). */
guint                 instasync_graph_client_get_api_calls    (InstaSyncGraphClient  *self);
guint                 instasync_graph_client_get_http_requests (InstaSyncGraphClient *self);
/* Forgets the business use case usage: it belongs to one account, and the
 * next account's requests start from their own. */
void                  instasync_graph_client_reset_business_usage (InstaSyncGraphClient *self);
/* The account whose X-Business-Use-Case-Usage entries count from now on:
 * those keyed by its IG user id or by its Page id (either may be NULL).
 * Without any, or when no entry has one of them, the highest entry counts. */
void                  instasync_graph_client_set_usage_account (InstaSyncGraphClient *self,
                                                                const char           *ig_user_id,
                                                                const char           *page_id);
/* The usage headers of the last response that carried them; for a batch,
 * the latest of its operations' headers and the batch response's. */
const InstaSyncUsage *instasync_graph_client_get_usage        (InstaSyncGraphClient  *self);

G_END_DECLS
