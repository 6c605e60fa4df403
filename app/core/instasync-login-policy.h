/* instasync-login-policy.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Where the embedded login view may go: Meta's login sites over https
 * (facebook.com and its www, m, web and mbasic hosts, instagram.com and
 * its www and api hosts, named one by one), the origin of the configured
 * Graph API (whose host serves the login dialog when it is not
 * graph.facebook.com: the simulator), the origin of the redirect URI, and
 * about:blank. Plain http only to this machine (127.0.0.1, ::1,
 * localhost). Anything else, an address with a user name in it, or one
 * that does not parse, is refused: a page that takes the user elsewhere
 * could ask for their password under another name. */
gboolean instasync_login_view_is_allowed_uri (const char *uri,
                                              const char *graph_url,
                                              const char *redirect_uri);

G_END_DECLS
