/* test-login-policy.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where the embedded login view may go: Meta's login sites, the configured
 * Graph host (the simulator's login page) and the redirect's origin.
 */

#include "config.h"

#include "instasync-config.h"
#include "instasync-graph-client.h"
#include "instasync-login-policy.h"

#define SIM_GRAPH "http://127.0.0.1:41234"

typedef struct
{
  const char *uri;
  gboolean    allowed;
} Case;

static void
check (const Case *cases,
       gsize       n_cases,
       const char *graph_url,
       const char *redirect_uri)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      gboolean allowed = instasync_login_view_is_allowed_uri (cases[i].uri, graph_url, redirect_uri);

      if (allowed != cases[i].allowed)
        g_error ("“%s” (Graph %s, redirect %s): %s, expected %s", cases[i].uri, graph_url,
                 redirect_uri, allowed ? "allowed" : "refused",
                 cases[i].allowed ? "allowed" : "refused");
    }
}

/* The real thing: graph.facebook.com, the default redirect. */
static void
test_meta (void)
{
  static const Case cases[] = {
    { "https://www.facebook.com/v22.0/dialog/oauth?client_id=1&redirect_uri=x", TRUE },
    { "https://www.facebook.com/login.php?skip_api_login=1", TRUE },
    { "https://m.facebook.com/login/", TRUE },
    { "https://facebook.com/", TRUE },
    { "https://www.instagram.com/accounts/login/", TRUE },
    { "https://instagram.com/", TRUE },
    { "https://WWW.FACEBOOK.COM/checkpoint/", TRUE },
    { "https://www.facebook.com:443/", TRUE },
    { "https://www.facebook.com/connect/login_success.html#access_token=x", TRUE },
    { "https://graph.facebook.com/v22.0/me", TRUE },
    { "https://web.facebook.com/login/", TRUE },
    { "https://mbasic.facebook.com/login/", TRUE },
    { "https://api.instagram.com/oauth/authorize", TRUE },
    { "about:blank", TRUE },

    /* Clear text, even to Meta. */
    { "http://www.facebook.com/login.php", FALSE },
    { "http://instagram.com/", FALSE },
    /* Look-alikes and other sites. */
    { "https://www.facebook.com.evil.example/", FALSE },
    { "https://evilfacebook.com/", FALSE },
    { "https://evilinstagram.com/", FALSE },
    { "https://xfacebook.com/", FALSE },
    { "https://facebook.com.evil.com/", FALSE },
    { "https://www.facebook.com./", FALSE },
    { "https://facebook.co/", FALSE },
    /* A user name that looks like the host, and the tricks around it. */
    { "https://www.facebook.com@evil.example/", FALSE },
    { "https://facebook.com@evil.com/", FALSE },
    { "https://facebook.com:443@evil.com/", FALSE },
    { "https://evil.com@www.facebook.com/", FALSE },
    { "https://user:password@www.facebook.com/", FALSE },
    { "https://evil.com\\@www.facebook.com/", FALSE },
    { "https://www.facebook.com\\.evil.com/", FALSE },
    { "https://evil.com%2F@www.facebook.com/", FALSE },
    { "https://www.facebook.com%00.evil.com/", FALSE },
    { "https://www.facebook.com /", FALSE },
    { "https://www.face\nbook.com/", FALSE },
    /* Other hosts of Meta's: what others write, redirects anywhere. */
    { "https://apps.facebook.com/evil-app/", FALSE },
    { "https://developers.facebook.com/", FALSE },
    { "https://business.facebook.com/", FALSE },
    { "https://l.facebook.com/l.php?u=https%3A%2F%2Fevil.example", FALSE },
    { "https://www.facebook.com:8443/", FALSE },
    { "https://example.com/", FALSE },
    /* Not web pages at all. */
    { "javascript:alert(1)", FALSE },
    { "JavaScript://www.facebook.com/%0aalert(1)", FALSE },
    { "data:text/html;base64,PGZvcm0+", FALSE },
    { "data:text/html,<form>", FALSE },
    { "file:///etc/passwd", FALSE },
    { "file://www.facebook.com/etc/passwd", FALSE },
    { "view-source:https://www.facebook.com/", FALSE },
    { "wss://www.facebook.com/", FALSE },
    { "about:config", FALSE },
    { "blob:https://www.facebook.com/1234", FALSE },
    { "ftp://www.facebook.com/", FALSE },
    /* This machine, when no Graph host or redirect is here. */
    { "http://127.0.0.1:8080/", FALSE },
    { "https://localhost/", FALSE },
    { "not a uri", FALSE },
    { "", FALSE },
    { NULL, FALSE },
  };

  check (cases, G_N_ELEMENTS (cases), INSTASYNC_DEFAULT_GRAPH_URL, INSTASYNC_DEFAULT_REDIRECT_URI);
}

/* The tests' simulator: its login page on loopback http, on its own port. */
static void
test_simulator (void)
{
  static const Case cases[] = {
    { SIM_GRAPH "/v22.0/dialog/oauth?client_id=1", TRUE },
    { SIM_GRAPH "/static/profile/1.png", TRUE },
    { "https://www.facebook.com/connect/login_success.html?code=x", TRUE },

    /* Another service on this machine is not the simulator. */
    { "http://127.0.0.1:41235/v22.0/dialog/oauth", FALSE },
    { "http://127.0.0.1/", FALSE },
    { "http://localhost:41234/", FALSE },
    { "http://user@127.0.0.1:41234/", FALSE },
    { "http://127.0.0.1:41234@evil.example/", FALSE },
    { "https://127.0.0.1:41234/", FALSE },
    { "http://10.0.0.1:41234/", FALSE },
  };

  check (cases, G_N_ELEMENTS (cases), SIM_GRAPH, INSTASYNC_DEFAULT_REDIRECT_URI);
}

/* A redirect URI of one's own: its origin is allowed, in clear text only
 * on this machine. */
static void
test_redirect_origin (void)
{
  static const Case https_cases[] = {
    { "https://login.example.org/callback?code=1", TRUE },
    { "https://login.example.org/other", TRUE },
    { "https://login.example.org:444/callback", FALSE },
    { "http://login.example.org/callback", FALSE },
    { "https://example.org/callback", FALSE },
  };
  static const Case loopback_cases[] = {
    { "http://[::1]:9000/done?code=1", TRUE },
    { "http://[::1]:9001/done", FALSE },
    { "http://127.0.0.1:9000/done", FALSE },
  };
  static const Case plain_cases[] = {
    /* A clear-text redirect elsewhere is never loaded: only taken over. */
    { "http://callback.example.org/done", FALSE },
  };

  check (https_cases, G_N_ELEMENTS (https_cases), INSTASYNC_DEFAULT_GRAPH_URL,
         "https://login.example.org/callback");
  check (loopback_cases, G_N_ELEMENTS (loopback_cases), INSTASYNC_DEFAULT_GRAPH_URL,
         "http://[::1]:9000/done");
  check (plain_cases, G_N_ELEMENTS (plain_cases), INSTASYNC_DEFAULT_GRAPH_URL,
         "http://callback.example.org/done");
  /* Without either, only Meta. */
  g_assert_true (instasync_login_view_is_allowed_uri ("https://www.facebook.com/", NULL, NULL));
  g_assert_false (instasync_login_view_is_allowed_uri (SIM_GRAPH "/", NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/login-policy/meta", test_meta);
  g_test_add_func ("/login-policy/simulator", test_simulator);
  g_test_add_func ("/login-policy/redirect-origin", test_redirect_origin);

  return g_test_run ();
}
