/* instasync-login-view-webkit.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The connect dialog's web view, on WebKitGTK, in a module loaded only
 * when a login starts (see instasync-login-view.h).
 */

#define G_LOG_DOMAIN "instasync-gui"

#include "config.h"

#include <gmodule.h>
#include <webkit/webkit.h>

#include "instasync-login-view.h"

typedef struct
{
  InstaSyncLoginViewCallbacks callbacks;
  gpointer                    user_data;
} Listener;

/* The host alone: the rest of an address may carry a token or a code. */
static void
log_refusal (const char *what,
             const char *uri)
{
  g_autoptr(GUri) parsed = uri != NULL ? g_uri_parse (uri, G_URI_FLAGS_NONE, NULL) : NULL;

  g_debug ("The login view refused %s %s", what,
           parsed != NULL && g_uri_get_host (parsed) != NULL ? g_uri_get_host (parsed)
                                                              : "(no host)");
}

/* Every navigation and every response passes here: the caller may take a
 * navigation over (the redirect that ends a login never reaches the
 * network), and what it does not allow does not load. */
static gboolean
on_decide_policy_cb (WebKitWebView            *web_view,
                     WebKitPolicyDecision     *decision,
                     WebKitPolicyDecisionType  type,
                     Listener                 *listener)
{
  WebKitNavigationAction *action;
  WebKitResponsePolicyDecision *answer;
  const char *uri;

  switch (type)
    {
    case WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION:
    case WEBKIT_POLICY_DECISION_TYPE_NEW_WINDOW_ACTION:
      action = webkit_navigation_policy_decision_get_navigation_action (WEBKIT_NAVIGATION_POLICY_DECISION (decision));
      uri = webkit_uri_request_get_uri (webkit_navigation_action_get_request (action));
      if (uri != NULL && listener->callbacks.navigation (uri, listener->user_data))
        {
          webkit_policy_decision_ignore (decision);
          webkit_web_view_stop_loading (web_view);
          return TRUE;
        }

      /* A new window would be a browser with no address bar and no
       * policy: a login never needs one. */
      if (type == WEBKIT_POLICY_DECISION_TYPE_NEW_WINDOW_ACTION || uri == NULL ||
          !listener->callbacks.allowed (uri, listener->user_data))
        {
          log_refusal ("to go to", uri);
          webkit_policy_decision_ignore (decision);
          return TRUE;
        }
      return FALSE;

    case WEBKIT_POLICY_DECISION_TYPE_RESPONSE:
      answer = WEBKIT_RESPONSE_POLICY_DECISION (decision);
      uri = webkit_uri_response_get_uri (webkit_response_policy_decision_get_response (answer));
      /* What it cannot show, WebKit would download by default. */
      if (!webkit_response_policy_decision_is_mime_type_supported (answer) ||
          uri == NULL || !listener->callbacks.allowed (uri, listener->user_data))
        {
          log_refusal ("an answer from", uri);
          webkit_policy_decision_ignore (decision);
          return TRUE;
        }
      return FALSE;

    default:
      webkit_policy_decision_ignore (decision);
      return TRUE;
    }
}

/* Windows a page opens by script (window.open) or a link's target. */
static WebKitWebView *
on_create_cb (WebKitWebView          *web_view,
              WebKitNavigationAction *action,
              Listener               *listener)
{
  return NULL;
}

/* Nothing reaches the disk, whichever way a download started. */
static void
on_download_started_cb (WebKitNetworkSession *session,
                        WebKitDownload       *download,
                        gpointer              user_data)
{
  g_debug ("The login view cancelled a download");
  webkit_download_cancel (download);
}

static void
on_uri_changed_cb (WebKitWebView *web_view,
                   GParamSpec    *pspec,
                   Listener      *listener)
{
  listener->callbacks.uri_changed (webkit_web_view_get_uri (web_view), listener->user_data);
}

static gboolean
on_load_failed_cb (WebKitWebView   *web_view,
                   WebKitLoadEvent  event,
                   const char      *failing_uri,
                   GError          *error,
                   Listener        *listener)
{
  /* A navigation stopped on purpose is no failure. */
  if (g_error_matches (error, WEBKIT_NETWORK_ERROR, WEBKIT_NETWORK_ERROR_CANCELLED) ||
      g_error_matches (error, WEBKIT_POLICY_ERROR,
                       WEBKIT_POLICY_ERROR_FRAME_LOAD_INTERRUPTED_BY_POLICY_CHANGE))
    return FALSE;

  listener->callbacks.load_failed (error, listener->user_data);
  return TRUE;
}

static GtkWidget *
create (const InstaSyncLoginViewCallbacks *callbacks,
        gpointer                           user_data)
{
  g_autoptr(WebKitNetworkSession) session = webkit_network_session_new_ephemeral ();
  GtkWidget *view = g_object_new (WEBKIT_TYPE_WEB_VIEW, "network-session", session, NULL);
  Listener *listener = g_new0 (Listener, 1);

  listener->callbacks = *callbacks;
  listener->user_data = user_data;
  g_object_set_data_full (G_OBJECT (view), "instasync-listener", listener, g_free);

  g_signal_connect (session, "download-started", G_CALLBACK (on_download_started_cb), NULL);
  g_signal_connect (view, "decide-policy", G_CALLBACK (on_decide_policy_cb), listener);
  g_signal_connect (view, "create", G_CALLBACK (on_create_cb), listener);
  g_signal_connect (view, "notify::uri", G_CALLBACK (on_uri_changed_cb), listener);
  g_signal_connect (view, "load-failed", G_CALLBACK (on_load_failed_cb), listener);
  return view;
}

static void
load_uri (GtkWidget  *view,
          const char *uri)
{
  webkit_web_view_load_uri (WEBKIT_WEB_VIEW (view), uri);
}

static void
stop (GtkWidget *view)
{
  webkit_web_view_stop_loading (WEBKIT_WEB_VIEW (view));
}

static const InstaSyncLoginViewModule table = { create, load_uri, stop };

G_MODULE_EXPORT const InstaSyncLoginViewModule *instasync_login_view_module (void);

G_MODULE_EXPORT const InstaSyncLoginViewModule *
instasync_login_view_module (void)
{
  return &table;
}
