/* instasync-token-key.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-store"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/random.h>
#include <unistd.h>

#include "instasync-error.h"
#include "instasync-token-key.h"

#define KEY_BYTES 32

static char *
default_key_path (void)
{
  const char *path = g_getenv ("INSTASYNC_TOKEN_KEY_FILE");

  if (path != NULL && *path != '\0')
    return g_strdup (path);

  return g_build_filename (g_get_user_config_dir (), "instasync", "token.key", NULL);
}

static gboolean
create_key_file (const char  *path,
                 GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  guint8 bytes[KEY_BYTES];
  char hex[KEY_BYTES * 2 + 2];
  g_autofree char *tmp_path = NULL;
  gsize done = 0;
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY,
                   "Could not create the folder of the token key file %s: %s",
                   dir, g_strerror (saved_errno));
      return FALSE;
    }

  /* getrandom() blocks only until the kernel's pool is initialised, and a
   * key must never come from anything weaker. */
  while (done < sizeof bytes)
    {
      ssize_t n = getrandom (bytes + done, sizeof bytes - done, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY,
                       "Could not generate a token key: %s", g_strerror (errno));
          return FALSE;
        }
      done += (gsize) n;
    }

  for (guint i = 0; i < KEY_BYTES; i++)
    g_snprintf (hex + 2 * i, 3, "%02x", bytes[i]);
  hex[KEY_BYTES * 2] = '\n';
  hex[KEY_BYTES * 2 + 1] = '\0';
  memset (bytes, 0, sizeof bytes);

  /* Written in full under a temporary name, then linked into place: link()
   * never replaces an existing file, so when another process won the race
   * its key stays and we read that one, and nobody ever reads half a key. */
  tmp_path = g_strdup_printf ("%s.XXXXXX", path);
  fd = g_mkstemp_full (tmp_path, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY,
                   "Could not create the token key file %s: %s",
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  if (write (fd, hex, KEY_BYTES * 2 + 1) != KEY_BYTES * 2 + 1 || fsync (fd) != 0)
    {
      int saved_errno = errno;

      memset (hex, 0, sizeof hex);
      close (fd);
      g_unlink (tmp_path);
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY,
                   "Could not write the token key file %s: %s",
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  memset (hex, 0, sizeof hex);
  close (fd);

  if (link (tmp_path, path) != 0 && errno != EEXIST)
    {
      int saved_errno = errno;

      g_unlink (tmp_path);
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY,
                   "Could not create the token key file %s: %s",
                   path, g_strerror (saved_errno));
      return FALSE;
    }
  g_unlink (tmp_path);

  g_debug ("Created the token key file %s", path);

  return TRUE;
}

char *
instasync_token_key_load (GError **error)
{
  const char *env = g_getenv ("INSTASYNC_TOKEN_KEY");
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (env != NULL)
    {
      g_autofree char *key = g_strstrip (g_strdup (env));

      if (*key == '\0')
        {
          g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY,
                       "INSTASYNC_TOKEN_KEY is set but empty");
          return NULL;
        }
      return g_steal_pointer (&key);
    }

  path = default_key_path ();

  if (!g_file_test (path, G_FILE_TEST_EXISTS) && !create_key_file (path, error))
    return NULL;

  if (!g_file_get_contents (path, &contents, NULL, &local_error))
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY,
                   "Could not read the token key file: %s", local_error->message);
      return NULL;
    }

  g_strstrip (contents);
  if (*contents == '\0')
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY,
                   "The token key file %s is empty", path);
      return NULL;
    }

  return g_steal_pointer (&contents);
}
