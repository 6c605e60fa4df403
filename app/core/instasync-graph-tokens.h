/* instasync-graph-tokens.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "instasync-graph-client.h"

G_BEGIN_DECLS

/* The Graph API's token endpoints, as the token manager uses them:
 * debug_token to learn when a token expires, and the long-lived exchange
 * (fb_exchange_token) to replace one before it does. Blocking, like every
 * call of the client; no token, secret or proof reaches an error. */

/* What debug_token says about a token. */
typedef struct
{
  gboolean  is_valid;
  char     *type;                    /* "USER", "PAGE", "SYSTEM_USER"; NULL when not said */
  char     *app_id;
  char     *user_id;
  gint64    expires_at;              /* Unix seconds; 0 = never */
  gint64    data_access_expires_at;  /* Unix seconds; 0 = never or not said */
  /* Why the token is not valid, from data.error; 0 when it is. */
  int       error_code;
  int       error_subcode;
  char     *error_message;
} InstaSyncTokenInfo;

void                instasync_token_info_free        (InstaSyncTokenInfo   *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (InstaSyncTokenInfo, instasync_token_info_free)

/* Parses a debug_token answer ({"data": {...}}); INSTASYNC_ERROR_UNEXPECTED_SHAPE
 * when it is something else. */
InstaSyncTokenInfo *instasync_token_info_parse       (JsonNode             *root,
                                                      GError              **error);

/* GET /{version}/debug_token?input_token=@token. The caller is the app
 * (access token APP_ID|APP_SECRET) when both are given, else @token itself,
 * which the API accepts for a user's own token. An invalid token is a
 * successful call whose answer says is_valid = FALSE; only with the token as
 * its own caller does a dead token fail the call (code 190). */
InstaSyncTokenInfo *instasync_graph_client_debug_token (InstaSyncGraphClient *self,
                                                        const char           *token,
                                                        const char           *app_id,
                                                        const char           *app_secret,
                                                        GCancellable         *cancellable,
                                                        GError              **error);

/* GET /{version}/oauth/access_token?grant_type=fb_exchange_token&client_id=
 * &client_secret=&fb_exchange_token=@token: a new long-lived token for a
 * still valid one, which keeps working. *@expires_in is its lifetime in
 * seconds, 0 when the answer does not say. An expired token cannot be
 * exchanged: code 190. */
char               *instasync_graph_client_exchange_token (InstaSyncGraphClient *self,
                                                           const char           *token,
                                                           const char           *app_id,
                                                           const char           *app_secret,
                                                           gint64               *expires_in,
                                                           GCancellable         *cancellable,
                                                           GError              **error);

G_END_DECLS
