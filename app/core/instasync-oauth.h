/* instasync-oauth.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "instasync-config.h"
#include "instasync-graph-client.h"

G_BEGIN_DECLS

/* One Facebook Login, from the dialog's address to a token worth storing.
 *
 * A flow owns the random `state` of one login: build the dialog URL, show it
 * (a web view, or a browser and a pasted address), hand the address the
 * dialog sent the browser back to to instasync_oauth_flow_complete(). The
 * state is single use: a flow accepts one answer. Nothing here logs, and no
 * error message carries a token, a code or the app secret. */
#define INSTASYNC_TYPE_OAUTH_FLOW (instasync_oauth_flow_get_type ())

G_DECLARE_FINAL_TYPE (InstaSyncOAuthFlow, instasync_oauth_flow, INSTASYNC, OAUTH_FLOW, GObject)

#define INSTASYNC_DEFAULT_DIALOG_URL "https://www.facebook.com"

/* What InstaSync asks for (reference §5.3): insights, the account node, and
 * the Pages that lead to the accounts, Business-portfolio Pages included. */
#define INSTASYNC_OAUTH_SCOPES \
  "instagram_basic,instagram_manage_insights,pages_show_list,pages_read_engagement," \
  "business_management"

/* Marks an unknown expiry in InstaSyncOAuthGrant; 0 means "never". */
#define INSTASYNC_OAUTH_EXPIRY_UNKNOWN G_GINT64_CONSTANT (-1)

#define INSTASYNC_OAUTH_ERROR (instasync_oauth_error_quark ())

typedef enum
{
  INSTASYNC_OAUTH_ERROR_CANCELLED,  /* the person cancelled the dialog */
  INSTASYNC_OAUTH_ERROR_DENIED,     /* the person declined the permissions */
  INSTASYNC_OAUTH_ERROR_FAILED,     /* the dialog reported another error */
  INSTASYNC_OAUTH_ERROR_STATE,      /* state missing, forged or already used */
  INSTASYNC_OAUTH_ERROR_MALFORMED,  /* not the redirect address, or truncated or garbled */
  INSTASYNC_OAUTH_ERROR_NO_SECRET,  /* a code arrived, and only the App Secret exchanges it */
  INSTASYNC_OAUTH_ERROR_WRONG_APP,  /* the token was issued to another app */
} InstaSyncOAuthErrorCode;

GQuark instasync_oauth_error_quark (void);

typedef enum
{
  /* The token arrives in the redirect (Meta's flow for desktop apps); with
   * the Instagram onboarding extras it is already long-lived. */
  INSTASYNC_OAUTH_RESPONSE_TOKEN,
  /* A code arrives, exchanged with the App Secret. */
  INSTASYNC_OAUTH_RESPONSE_CODE,
} InstaSyncOAuthResponseType;

/* What a login produced. */
typedef struct
{
  char     *access_token;            /* the token to store; NULL while a code awaits exchange */
  char     *code;                    /* the code flow's code, until exchanged */
  gboolean  long_lived;
  gint64    expires_at;              /* Unix seconds, 0 never, INSTASYNC_OAUTH_EXPIRY_UNKNOWN */
  gint64    data_access_expires_at;  /* the same conventions */
} InstaSyncOAuthGrant;

/* Wipes the token and the code before freeing them. */
void                 instasync_oauth_grant_free               (InstaSyncOAuthGrant  *grant);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InstaSyncOAuthGrant, instasync_oauth_grant_free)

/* A flow with a fresh random state. @app_secret may be NULL (token flow
 * only); INSTASYNC_ERROR_CONFIG for a missing app id, a code flow without a
 * secret or a redirect URI that is not a web address. */
InstaSyncOAuthFlow  *instasync_oauth_flow_new                 (const char                 *app_id,
                                                               const char                 *app_secret,
                                                               const char                 *redirect_uri,
                                                               InstaSyncOAuthResponseType  response_type,
                                                               GError                    **error);
/* The same from the configuration: its app, redirect URI, Graph address and
 * version, and the dialog host that goes with that Graph address (see
 * instasync_oauth_dialog_url_for_graph()). */
InstaSyncOAuthFlow  *instasync_oauth_flow_new_from_config     (const InstaSyncConfig      *config,
                                                               InstaSyncOAuthResponseType  response_type,
                                                               GError                    **error);

/* The Login dialog's host: https://www.facebook.com for the real Graph API;
 * any other Graph address (the simulator) serves its own dialog. */
char                *instasync_oauth_dialog_url_for_graph     (const char                 *graph_url);

/* Where the dialog lives (default INSTASYNC_DEFAULT_DIALOG_URL) and its API
 * version (default INSTASYNC_DEFAULT_GRAPH_VERSION). */
void                 instasync_oauth_flow_set_dialog_url      (InstaSyncOAuthFlow         *self,
                                                               const char                 *dialog_url);
void                 instasync_oauth_flow_set_api_version     (InstaSyncOAuthFlow         *self,
                                                               const char                 *api_version);
/* The Graph API the asynchronous exchange talks to (default
 * INSTASYNC_DEFAULT_GRAPH_URL). */
void                 instasync_oauth_flow_set_graph_url       (InstaSyncOAuthFlow         *self,
                                                               const char                 *graph_url);

InstaSyncOAuthResponseType instasync_oauth_flow_get_response_type (InstaSyncOAuthFlow    *self);
const char          *instasync_oauth_flow_get_redirect_uri    (InstaSyncOAuthFlow         *self);
/* The state sent with the dialog: 32 random bytes, base64url. */
const char          *instasync_oauth_flow_get_state           (InstaSyncOAuthFlow         *self);

/* {dialog}/{version}/dialog/oauth?client_id=…&redirect_uri=…&state=… */
char                *instasync_oauth_flow_build_dialog_url    (InstaSyncOAuthFlow         *self);

/* Whether @url is the redirect URI (scheme, host, port and path): where a
 * web view stops and hands the address over. */
gboolean             instasync_oauth_flow_is_redirect         (InstaSyncOAuthFlow         *self,
                                                               const char                 *url);

/* Reads the dialog's answer from the redirect address: query or fragment,
 * Facebook's "#_=_" ignored, state checked in constant time. Errors are
 * INSTASYNC_OAUTH_ERROR. Once a state matched, the flow is used up. */
InstaSyncOAuthGrant *instasync_oauth_flow_parse_redirect      (InstaSyncOAuthFlow         *self,
                                                               const char                 *redirect_url,
                                                               GError                    **error);

/* Turns a parsed grant into one worth storing, with @client (blocking):
 * a code is exchanged (GET oauth/access_token with the same redirect URI),
 * a short-lived token is exchanged for a long-lived one (fb_exchange_token),
 * and a long-lived token of unknown expiry is looked up with debug_token,
 * which also checks that it belongs to this app. Every step needs the App
 * Secret; without it a token grant is returned as it is. */
gboolean             instasync_oauth_flow_exchange            (InstaSyncOAuthFlow         *self,
                                                               InstaSyncGraphClient       *client,
                                                               InstaSyncOAuthGrant        *grant,
                                                               GCancellable               *cancellable,
                                                               GError                    **error);

/* parse_redirect() then exchange(), blocking. */
InstaSyncOAuthGrant *instasync_oauth_flow_complete            (InstaSyncOAuthFlow         *self,
                                                               InstaSyncGraphClient       *client,
                                                               const char                 *redirect_url,
                                                               GCancellable               *cancellable,
                                                               GError                    **error);
/* The same in a worker thread with a Graph client of its own, for the GUI. */
void                 instasync_oauth_flow_complete_async      (InstaSyncOAuthFlow         *self,
                                                               const char                 *redirect_url,
                                                               GCancellable               *cancellable,
                                                               GAsyncReadyCallback         callback,
                                                               gpointer                    user_data);
InstaSyncOAuthGrant *instasync_oauth_flow_complete_finish     (InstaSyncOAuthFlow         *self,
                                                               GAsyncResult               *result,
                                                               GError                    **error);

G_END_DECLS
