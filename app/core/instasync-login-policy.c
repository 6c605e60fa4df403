/* instasync-login-policy.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-login-policy"

#include "config.h"

#include "instasync-login-policy.h"

/* Meta's login and consent pages, and nothing else of Meta's: by name,
 * not by suffix, since other hosts under facebook.com serve what anyone
 * writes (apps.facebook.com) or send the browser anywhere (the link shim
 * l.facebook.com). */
static const char * const meta_login_hosts[] = {
  "facebook.com", "www.facebook.com", "m.facebook.com", "web.facebook.com",
  "mbasic.facebook.com",
  "instagram.com", "www.instagram.com", "api.instagram.com",
  NULL
};

static gboolean
is_loopback (const char *host)
{
  return g_str_equal (host, "127.0.0.1") || g_str_equal (host, "::1") ||
         g_ascii_strcasecmp (host, "localhost") == 0;
}

static int
port_of (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port != -1)
    return port;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

/* Same scheme, host and port: the origin, as a browser compares them. */
static gboolean
same_origin (GUri       *uri,
             const char *other_text)
{
  g_autoptr(GUri) other = NULL;

  if (other_text == NULL)
    return FALSE;
  other = g_uri_parse (other_text, G_URI_FLAGS_NONE, NULL);
  if (other == NULL || g_uri_get_host (other) == NULL)
    return FALSE;

  return g_ascii_strcasecmp (g_uri_get_scheme (uri), g_uri_get_scheme (other)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (uri), g_uri_get_host (other)) == 0 &&
         port_of (uri) == port_of (other);
}

gboolean
instasync_login_view_is_allowed_uri (const char *uri,
                                     const char *graph_url,
                                     const char *redirect_uri)
{
  g_autoptr(GUri) parsed = NULL;
  const char *scheme;
  const char *host;

  if (uri == NULL)
    return FALSE;

  /* A browser reads a backslash as a slash where GUri reads part of a
   * name, and spaces and controls are for no address to carry: either
   * would let the two disagree about the host. */
  for (const char *p = uri; *p != '\0'; p++)
    if (*p == '\\' || (guchar)*p <= 0x20 || *p == 0x7F)
      return FALSE;

  parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  if (parsed == NULL)
    return FALSE;

  scheme = g_uri_get_scheme (parsed);
  /* Frames start out empty; that loads nothing from anywhere. */
  if (g_ascii_strcasecmp (scheme, "about") == 0)
    return g_str_equal (g_uri_get_path (parsed), "blank");

  host = g_uri_get_host (parsed);
  if (host == NULL || *host == '\0')
    return FALSE;

  /* No login page needs a name and password in its address; a
   * "https://www.facebook.com@evil.example/" only looks like Meta's. */
  if (g_uri_get_userinfo (parsed) != NULL)
    return FALSE;

  if (g_ascii_strcasecmp (scheme, "https") != 0 &&
      !(g_ascii_strcasecmp (scheme, "http") == 0 && is_loopback (host)))
    return FALSE;

  if (g_ascii_strcasecmp (scheme, "https") == 0 && port_of (parsed) == 443)
    for (guint i = 0; meta_login_hosts[i] != NULL; i++)
      if (g_ascii_strcasecmp (host, meta_login_hosts[i]) == 0)
        return TRUE;

  return same_origin (parsed, graph_url) || same_origin (parsed, redirect_uri);
}
