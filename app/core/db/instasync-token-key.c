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
#include <unistd.h>

#if HAVE_LIBSECRET
#include <libsecret/secret.h>
#include <glib/gi18n.h>
#endif

#include "instasync-error.h"
#include "instasync-redact.h"
#include "instasync-secret.h"
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

/* KEY_BYTES random bytes as hex, with a newline when @newline. */
static void
generate_key (char     hex[KEY_BYTES * 2 + 2],
              gboolean newline)
{
  guint8 bytes[KEY_BYTES];

  instasync_random_bytes (bytes, sizeof bytes);
  for (guint i = 0; i < KEY_BYTES; i++)
    g_snprintf (hex + 2 * i, 3, "%02x", bytes[i]);
  hex[KEY_BYTES * 2] = newline ? '\n' : '\0';
  hex[KEY_BYTES * 2 + 1] = '\0';
  instasync_secure_wipe (bytes, sizeof bytes);
}

static gboolean
create_key_file (const char  *path,
                 GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  char hex[KEY_BYTES * 2 + 2];
  g_autofree char *tmp_path = NULL;
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY,
                   _("Could not create the folder of the token key file %s: %s"),
                   dir, g_strerror (saved_errno));
      return FALSE;
    }

  generate_key (hex, TRUE);

  /* Written in full under a temporary name, then linked into place: link()
   * never replaces an existing file, so when another process won the race
   * its key stays and we read that one, and nobody ever reads half a key. */
  tmp_path = g_strdup_printf ("%s.XXXXXX", path);
  fd = g_mkstemp_full (tmp_path, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY,
                   _("Could not create the token key file %s: %s"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  if (write (fd, hex, KEY_BYTES * 2 + 1) != KEY_BYTES * 2 + 1 || fsync (fd) != 0)
    {
      int saved_errno = errno;

      instasync_secure_wipe (hex, sizeof hex);
      close (fd);
      g_unlink (tmp_path);
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY,
                   _("Could not write the token key file %s: %s"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  instasync_secure_wipe (hex, sizeof hex);
  close (fd);

  if (link (tmp_path, path) != 0 && errno != EEXIST)
    {
      int saved_errno = errno;

      g_unlink (tmp_path);
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY,
                   _("Could not create the token key file %s: %s"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }
  g_unlink (tmp_path);

  g_debug ("Created the token key file %s", path);

  return TRUE;
}

/* The user's keyring */

#if HAVE_LIBSECRET
static const SecretSchema key_schema = {
  "com.credify.InstaSync.TokenKey", SECRET_SCHEMA_NONE,
  {
    { "purpose", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

/* A Secret Service is reachable: a session bus, and a service that owns or
 * can be started for org.freedesktop.secrets. Checked first so that a
 * headless machine never waits on D-Bus autolaunch or activation. */
static gboolean
real_keyring_available (gpointer user_data)
{
  const char *address = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  g_autofree char *runtime_bus = g_build_filename (g_get_user_runtime_dir (), "bus", NULL);
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) owned = NULL;
  g_autoptr(GVariant) activatable = NULL;
  g_autofree const char **names = NULL;
  gboolean has_owner = FALSE;

  if ((address == NULL || *address == '\0') && !g_file_test (runtime_bus, G_FILE_TEST_EXISTS))
    return FALSE;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (bus == NULL)
    return FALSE;

  owned = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 2000,
                                       NULL, NULL);
  if (owned != NULL)
    g_variant_get (owned, "(b)", &has_owner);
  if (has_owner)
    return TRUE;

  activatable = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                             "org.freedesktop.DBus", "ListActivatableNames",
                                             NULL, G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE,
                                             2000, NULL, NULL);
  if (activatable == NULL)
    return FALSE;

  g_variant_get (activatable, "(^a&s)", &names);
  return names != NULL && g_strv_contains (names, "org.freedesktop.secrets");
}

static char *
real_keyring_lookup (gpointer   user_data,
                     GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  char *secret = secret_password_lookup_sync (&key_schema, NULL, &local_error,
                                              "purpose", "token-key", NULL);
  char *key;

  if (secret == NULL)
    {
      if (local_error != NULL)
        g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY,
                     _("Could not read the token key from the keyring: %s"), local_error->message);
      return NULL;
    }

  key = instasync_secret_new (secret);
  secret_password_free (secret);
  return key;
}

static gboolean
real_keyring_store (gpointer     user_data,
                    const char  *key,
                    GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!secret_password_store_sync (&key_schema, SECRET_COLLECTION_DEFAULT,
                                   _("InstaSync token encryption key"), key, NULL, &local_error,
                                   "purpose", "token-key", NULL))
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY,
                   _("Could not store the token key in the keyring: %s"), local_error->message);
      return FALSE;
    }

  return TRUE;
}

static const InstaSyncKeyring real_keyring = {
  real_keyring_available,
  real_keyring_lookup,
  real_keyring_store,
  NULL,
};
#endif

G_LOCK_DEFINE_STATIC (keyring);
static const InstaSyncKeyring *keyring_override;

void
_instasync_token_key_set_keyring (const InstaSyncKeyring *keyring_impl)
{
  G_LOCK (keyring);
  keyring_override = keyring_impl;
  G_UNLOCK (keyring);
}

static const InstaSyncKeyring *
current_keyring (void)
{
  const InstaSyncKeyring *keyring_impl;

  G_LOCK (keyring);
  keyring_impl = keyring_override;
  G_UNLOCK (keyring);

#if HAVE_LIBSECRET
  if (keyring_impl == NULL)
    keyring_impl = &real_keyring;
#endif

  return keyring_impl;
}

/* The key in the keyring, made and stored there the first time. NULL
 * without an error when there is no keyring to ask. */
static char *
load_from_keyring (gboolean   may_create,
                   GError   **error)
{
  const InstaSyncKeyring *keyring_impl = current_keyring ();
  g_autoptr(GError) local_error = NULL;
  char hex[KEY_BYTES * 2 + 2];
  char *key;

  if (keyring_impl == NULL || !keyring_impl->available (keyring_impl->user_data))
    return NULL;

  key = keyring_impl->lookup (keyring_impl->user_data, &local_error);
  if (key == NULL && local_error == NULL && !may_create)
    return NULL;
  if (key == NULL && local_error == NULL)
    {
      generate_key (hex, FALSE);
      if (!keyring_impl->store (keyring_impl->user_data, hex, error))
        {
          instasync_secure_wipe (hex, sizeof hex);
          return NULL;
        }
      instasync_secure_wipe (hex, sizeof hex);

      /* Read back what is stored: of two first runs at once, both use the
       * key that stayed. */
      key = keyring_impl->lookup (keyring_impl->user_data, &local_error);
      if (key == NULL && local_error == NULL)
        g_set_error_literal (&local_error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY,
                             _("The keyring did not keep the token key"));
    }

  if (key == NULL)
    {
      /* The keyring is there but would not answer (locked, a prompt
       * dismissed): that is an error, not a reason to use another key. */
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  g_strstrip (key);
  if (*key == '\0')
    {
      instasync_secret_free (key);
      g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY,
                           _("The token key in the keyring is empty"));
      return NULL;
    }

  return key;
}

static char *
load_from_file (const char  *path,
                gboolean     may_create,
                GError     **error)
{
  g_autoptr(InstaSyncSecret) contents = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (!may_create)
        {
          g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND,
                       _("There is no token key file %s"), path);
          return NULL;
        }
      if (!create_key_file (path, error))
        return NULL;
    }

  if (!g_file_get_contents (path, &contents, NULL, &local_error))
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY,
                   _("Could not read the token key file: %s"), local_error->message);
      return NULL;
    }

  g_strstrip (contents);
  instasync_redact_register (contents);
  if (*contents == '\0')
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY,
                   _("The token key file %s is empty"), path);
      return NULL;
    }

  return g_steal_pointer (&contents);
}

/* Public API */

static InstaSyncSecret *
load_key (InstaSyncTokenKeySource  *source,
          gboolean                  may_create,
          GError                  **error)
{
  const char *env = g_getenv ("INSTASYNC_TOKEN_KEY");
  const char *file = g_getenv ("INSTASYNC_TOKEN_KEY_FILE");
  g_autofree char *path = NULL;
  g_autoptr(GError) local_error = NULL;
  char *key;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (env != NULL)
    {
      g_autoptr(InstaSyncSecret) trimmed = g_strstrip (instasync_secret_new (env));

      if (*trimmed == '\0')
        {
          g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY,
                       _("INSTASYNC_TOKEN_KEY is set but empty"));
          return NULL;
        }
      if (source != NULL)
        *source = INSTASYNC_TOKEN_KEY_SOURCE_ENVIRONMENT;
      return g_steal_pointer (&trimmed);
    }

  path = default_key_path ();

  /* A configured key file, or one that exists already, wins over the
   * keyring: the tokens stored with it must stay readable. */
  if ((file == NULL || *file == '\0') && !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      key = load_from_keyring (may_create, &local_error);
      if (key != NULL)
        {
          if (source != NULL)
            *source = INSTASYNC_TOKEN_KEY_SOURCE_KEYRING;
          return key;
        }
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  key = load_from_file (path, may_create, error);
  if (key != NULL && source != NULL)
    *source = INSTASYNC_TOKEN_KEY_SOURCE_FILE;
  return key;
}

InstaSyncSecret *
instasync_token_key_load_full (InstaSyncTokenKeySource  *source,
                               GError                  **error)
{
  return load_key (source, TRUE, error);
}

InstaSyncSecret *
instasync_token_key_load_existing (InstaSyncTokenKeySource  *source,
                                   GError                  **error)
{
  return load_key (source, FALSE, error);
}

InstaSyncSecret *
instasync_token_key_load (GError **error)
{
  return instasync_token_key_load_full (NULL, error);
}
