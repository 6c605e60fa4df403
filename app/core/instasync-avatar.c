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
  g_autoptr(GBytes) image = NULL;
  GStatBuf info;
  gsize length;

  g_return_val_if_fail (cache_dir != NULL, NULL);

  /* The id names a file: nothing but digits reaches the file system. */
  if (!instasync_check_ig_user_id (ig_user_id, NULL))
    return NULL;

  path = cache_path (cache_dir, ig_user_id);
  if (g_stat (path, &info) != 0 ||
      (gint64)info.st_mtime < g_get_real_time () / G_USEC_PER_SEC - max_age_seconds ||
      info.st_size > INSTASYNC_AVATAR_MAX_BYTES ||
      !g_file_get_contents (path, &contents, &length, NULL) || length == 0)
    return NULL;

  image = g_bytes_new_take (g_steal_pointer (&contents), length);
  /* Only what a download would have accepted comes out of the cache. */
  if (length > INSTASYNC_AVATAR_MAX_BYTES || !instasync_avatar_looks_like_image (image))
    return NULL;

  return g_steal_pointer (&image);
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

/* Redirects are followed by hand, each checked like the first address. */
#define MAX_REDIRECTS 5
#define READ_CHUNK    (64 * 1024)

static gboolean
is_loopback (const char *host)
{
  return g_str_equal (host, "127.0.0.1") || g_str_equal (host, "::1") ||
         g_ascii_strcasecmp (host, "localhost") == 0;
}

/* https, or plain http to this machine (the simulator). */
static gboolean
acceptable_uri (GUri *uri)
{
  const char *scheme = g_uri_get_scheme (uri);
  const char *host = g_uri_get_host (uri);

  if (host == NULL || *host == '\0')
    return FALSE;
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  return g_ascii_strcasecmp (scheme, "http") == 0 && is_loopback (host);
}

gboolean
instasync_avatar_looks_like_image (GBytes *data)
{
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
  static const guint8 jpeg[] = { 0xFF, 0xD8, 0xFF };
  gsize size;
  const guint8 *bytes;

  g_return_val_if_fail (data != NULL, FALSE);

  bytes = g_bytes_get_data (data, &size);
  if (size >= sizeof png && memcmp (bytes, png, sizeof png) == 0)
    return TRUE;
  if (size >= sizeof jpeg && memcmp (bytes, jpeg, sizeof jpeg) == 0)
    return TRUE;
  if (size >= 6 && (memcmp (bytes, "GIF87a", 6) == 0 || memcmp (bytes, "GIF89a", 6) == 0))
    return TRUE;
  /* RIFF, a little-endian length, WEBP. */
  if (size >= 12 && memcmp (bytes, "RIFF", 4) == 0 && memcmp (bytes + 8, "WEBP", 4) == 0)
    return TRUE;
  return FALSE;
}

/* Reads @stream up to its end, or fails as soon as it holds more than
 * INSTASYNC_AVATAR_MAX_BYTES: a hostile server's endless answer costs one
 * chunk past the limit, never the whole answer. */
static GBytes *
read_capped (GInputStream  *stream,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();

  for (;;)
    {
      gsize start = data->len;
      gssize n;

      g_byte_array_set_size (data, start + READ_CHUNK);
      n = g_input_stream_read (stream, data->data + start, READ_CHUNK, cancellable, error);
      if (n < 0)
        return NULL;
      g_byte_array_set_size (data, start + (gsize)n);
      if (n == 0)
        break;

      if (data->len > INSTASYNC_AVATAR_MAX_BYTES)
        {
          g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_FAILED,
                       _("The profile picture is larger than %d MiB"),
                       INSTASYNC_AVATAR_MAX_BYTES / (1024 * 1024));
          return NULL;
        }
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

static gboolean
is_image_type (const char *type)
{
  return type != NULL && g_ascii_strncasecmp (type, "image/", 6) == 0 && type[6] != '\0';
}

GBytes *
instasync_avatar_download (const char    *url,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  session = soup_session_new_with_options ("timeout", 30, "idle-timeout", 30, NULL);

  for (guint redirects = 0; ; redirects++)
    {
      g_autoptr(SoupMessage) message = NULL;
      g_autoptr(GInputStream) stream = NULL;
      g_autoptr(GBytes) image = NULL;
      SoupMessageHeaders *headers;
      const char *location;
      const char *type;
      goffset length;
      guint status;

      if (uri == NULL || !acceptable_uri (uri))
        {
          g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND,
                               _("The profile picture's address is not valid"));
          return NULL;
        }

      message = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
      soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
      stream = soup_session_send (session, message, cancellable, error);
      if (stream == NULL)
        return NULL;

      status = soup_message_get_status (message);
      headers = soup_message_get_response_headers (message);
      location = soup_message_headers_get_one (headers, "Location");
      if (SOUP_STATUS_IS_REDIRECTION (status) && location != NULL && redirects < MAX_REDIRECTS)
        {
          GUri *next = g_uri_parse_relative (uri, location, SOUP_HTTP_URI_FLAGS, NULL);

          g_input_stream_close (stream, NULL, NULL);
          g_clear_pointer (&uri, g_uri_unref);
          uri = next;
          continue;
        }

      /* Everything that can be judged before the body is read, is. */
      type = soup_message_headers_get_content_type (headers, NULL);
      length = soup_message_headers_get_content_length (headers);
      if (status != SOUP_STATUS_OK)
        {
          g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_FAILED,
                       _("The profile picture could not be downloaded (HTTP %u)"), status);
          return NULL;
        }
      if (!is_image_type (type))
        {
          g_autofree char *quoted = instasync_quote_untrusted (type != NULL ? type : "");

          g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_FAILED,
                       _("The profile picture's address gives no image but “%s”"), quoted);
          return NULL;
        }
      if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
          length > INSTASYNC_AVATAR_MAX_BYTES)
        {
          g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_FAILED,
                       _("The profile picture is larger than %d MiB"),
                       INSTASYNC_AVATAR_MAX_BYTES / (1024 * 1024));
          return NULL;
        }

      image = read_capped (stream, cancellable, error);
      if (image == NULL)
        return NULL;

      /* What the GUI decodes, and what the cache keeps, is a picture in a
       * format it knows: never a page that calls itself one. */
      if (!instasync_avatar_looks_like_image (image))
        {
          g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_FAILED,
                               _("The profile picture is not an image"));
          return NULL;
        }

      return g_steal_pointer (&image);
    }
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
  const char *url;

  g_return_val_if_fail (INSTASYNC_IS_GRAPH_CLIENT (client), NULL);

  if (!instasync_check_ig_user_id (ig_user_id, error))
    return NULL;

  root = instasync_graph_client_get (client, ig_user_id, params, access_token, cancellable, error);
  if (root == NULL)
    return NULL;

  url = JSON_NODE_HOLDS_OBJECT (root)
    ? instasync_json_get_string (json_node_get_object (root), "profile_picture_url") : NULL;
  if (url == NULL)
    {
      g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND,
                           _("The account has no profile picture the app can fetch"));
      return NULL;
    }

  return instasync_avatar_download (url, cancellable, error);
}
