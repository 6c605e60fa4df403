/* instasync-avatar.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "instasync-graph-client.h"

G_BEGIN_DECLS

/* Profile pictures, for the accounts list: asked from the Graph API
 * (profile_picture_url), downloaded, and kept in a cache folder so that the
 * list shows them at once and the API is asked again only once a week. */

/* A week: Instagram's picture addresses expire, people seldom change
 * their picture. */
#define INSTASYNC_AVATAR_MAX_AGE_SECONDS (7 * 24 * 60 * 60)
/* Nothing bigger is a profile picture. */
#define INSTASYNC_AVATAR_MAX_BYTES (2 * 1024 * 1024)

/* The cached picture of @ig_user_id when younger than @max_age_seconds,
 * else NULL (not an error). */
GBytes *instasync_avatar_cache_lookup (const char            *cache_dir,
                                       const char            *ig_user_id,
                                       gint64                 max_age_seconds);
gboolean instasync_avatar_cache_store (const char            *cache_dir,
                                       const char            *ig_user_id,
                                       GBytes                *image,
                                       GError               **error);

/* Whether @data starts as a PNG, JPEG, GIF or WebP file does. */
gboolean instasync_avatar_looks_like_image (GBytes              *data);

/* Downloads the picture at @url, blocking: over https (or http to this
 * machine), redirects included; an answer of 200 with an image type,
 * read no further than INSTASYNC_AVATAR_MAX_BYTES, that starts as an image
 * does. Anything else is an error. */
GBytes *instasync_avatar_download     (const char            *url,
                                       GCancellable          *cancellable,
                                       GError               **error);

/* Asks the API for the picture's address and downloads it (see
 * instasync_avatar_download()). */
GBytes *instasync_avatar_fetch        (InstaSyncGraphClient  *client,
                                       const char            *access_token,
                                       const char            *ig_user_id,
                                       GCancellable          *cancellable,
                                       GError               **error);

G_END_DECLS
