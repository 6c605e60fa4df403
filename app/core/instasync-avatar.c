/* instasync-avatar.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-avatar"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <libsoup/soup.h>
#include <glib/gi18n.h>

#include "instasync-avatar.h"
#include "instasync-error.h"
#include "instasync-insights-parser.h"
#include "instasync-secrets-file.h"

static char *
cache_path (const char *cache_dir,
            const char *ig_user_id)
{
  g_autofree char *name = g_strconcat (ig_user_id, ".img", NULL);

  return g_build_filename (cache_dir, name, NULL);
}

GBytes *
instasync_avatar_cache_lookup (const char *cache_dir,
                               const char *ig_user_id,
                               gint64      max_age_seconds)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  GStatBuf info;
  gsize length;

  g_return_val_if_fail (cache_dir != NULL, NULL);

  /* The id names a file: nothing but digits reaches the file system. */
  if (!instasync_check_ig_user_id (ig_user_id, NULL))
    return NULL;

  path = cache_path (cache_dir, ig_user_id);
  if (g_stat (path, &info) != 0 ||
      (gint64)info.st_mtime < g_get_real_time () / G_USEC_PER_SEC - max_age_seconds ||
      !g_file_get_contents (path, &contents, &length, NULL) || length == 0)
    return NULL;

  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

gboolean
instasync_avatar_cache_store (const char  *cache_dir,
                              const char  *ig_user_id,
                              GBytes      *image,
                              GError     **error)
{
  g_autofree char *path = NULL;
  gsize length;
  const char *data;

  g_return_val_if_fail (cache_dir != NULL, FALSE);
  g_return_val_if_fail (image != NULL, FALSE);

  if (!instasync_check_ig_user_id (ig_user_id, error))
    return FALSE;

  if (g_mkdir_with_parents (cache_dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create the picture cache %s: %s"), cache_dir, g_strerror (saved));
      return FALSE;
    }

  path = cache_path (cache_dir, ig_user_id);
  data = g_bytes_get_data (image, &length);
  /* Written whole and renamed into place: a reader never sees half a file. */
  return g_file_set_contents_full (path, data, (gssize)length, G_FILE_SET_CONTENTS_CONSISTENT,
                                   0600, error);
}

static gboolean
acceptable_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *host;

  if (uri == NULL || (host = g_uri_get_host (uri)) == NULL)
    return FALSE;
  if (g_str_equal (g_uri_get_scheme (uri), "https"))
    return TRUE;
  /* Plain http only for this machine: the simulator. */
  return g_str_equal (g_uri_get_scheme (uri), "http") &&
         (g_str_equal (host, "127.0.0.1") || g_str_equal (host, "localhost") ||
          g_str_equal (host, "::1"));
}

GBytes *
instasync_avatar_fetch (InstaSyncGraphClient  *client,
                        const char            *access_token,
                        const char            *ig_user_id,
                        GCancellable          *cancellable,
                        GError               **error)
{
  const char *params[] = { "fields", "profile_picture_url", NULL };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) image = NULL;
  const char *url;
  const char *type;

  g_return_val_if_fail (INSTASYNC_IS_GRAPH_CLIENT (client), NULL);

  if (!instasync_check_ig_user_id (ig_user_id, error))
    return NULL;

  root = instasync_graph_client_get (client, ig_user_id, params, access_token, cancellable, error);
  if (root == NULL)
    return NULL;

  url = JSON_NODE_HOLDS_OBJECT (root)
    ? instasync_json_get_string (json_node_get_object (root), "profile_picture_url") : NULL;
  if (url == NULL || !acceptable_url (url))
    {
      g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND,
                           _("The account has no profile picture the app can fetch"));
      return NULL;
    }

  session = soup_session_new_with_options ("timeout", 30, "idle-timeout", 30, NULL);
  message = soup_message_new ("GET", url);
  if (message == NULL)
    {
      g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND,
                           _("The profile picture's address is not valid"));
      return NULL;
    }

  image = soup_session_send_and_read (session, message, cancellable, error);
  if (image == NULL)
    return NULL;

  type = soup_message_headers_get_content_type (soup_message_get_response_headers (message), NULL);
  if (soup_message_get_status (message) != SOUP_STATUS_OK || type == NULL ||
      !g_str_has_prefix (type, "image/") || g_bytes_get_size (image) == 0 ||
      g_bytes_get_size (image) > INSTASYNC_AVATAR_MAX_BYTES)
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_FAILED,
                   _("The profile picture could not be downloaded (HTTP %u)"),
                   soup_message_get_status (message));
      return NULL;
    }

  return g_steal_pointer (&image);
}
