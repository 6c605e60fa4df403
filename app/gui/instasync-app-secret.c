/* instasync-app-secret.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-gui"

#include "config.h"

#include <glib/gi18n.h>
#if HAVE_LIBSECRET
#include <libsecret/secret.h>
#endif

#include "instasync-app-secret.h"

#if HAVE_LIBSECRET
static const SecretSchema *
app_secret_schema (void)
{
  static const SecretSchema schema = {
    "com.credify.InstaSync.AppSecret", SECRET_SCHEMA_NONE,
    {
      { "app-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

static void
on_stored_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                             _("The keyring did not take the app secret: %s"), error->message);
  else
    g_task_return_boolean (task, TRUE);
}
#endif

void
instasync_app_secret_store_async (const char          *app_id,
                                  const char          *secret,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *label = NULL;

  g_task_set_source_tag (task, instasync_app_secret_store_async);

  if (app_id == NULL || *app_id == '\0' || secret == NULL || *secret == '\0')
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("An app ID and a secret are needed"));
      return;
    }

#if HAVE_LIBSECRET
  label = g_strdup_printf (_("InstaSync: secret of Meta app %s"), app_id);
  secret_password_store (app_secret_schema (), SECRET_COLLECTION_DEFAULT, label, secret,
                         cancellable, on_stored_cb, g_steal_pointer (&task),
                         "app-id", app_id, NULL);
#else
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("This build of InstaSync cannot use the keyring"));
#endif
}

gboolean
instasync_app_secret_store_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

char *
instasync_app_secret_lookup (const char    *app_id,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_return_val_if_fail (app_id != NULL, NULL);

#if HAVE_LIBSECRET
  {
    g_autoptr(GError) local_error = NULL;
    char *secret = secret_password_lookup_sync (app_secret_schema (), cancellable, &local_error,
                                                "app-id", app_id, NULL);
    char *copy;

    if (secret == NULL)
      {
        if (local_error != NULL)
          g_propagate_error (error, g_steal_pointer (&local_error));
        return NULL;
      }

    /* libsecret's copy lives in non-pageable memory; ours is wiped by the
     * caller when done. */
    copy = g_strdup (secret);
    secret_password_free (secret);
    return copy;
  }
#else
  return NULL;
#endif
}
