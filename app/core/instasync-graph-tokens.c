/* instasync-graph-tokens.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-graph-tokens"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "instasync-error.h"
#include "instasync-graph-tokens.h"
#include "instasync-insights-parser.h"
#include "instasync-secret.h"

/* Auxiliary */

/* Seconds as the API writes them: a number, or a number in a string. */
static gint64
member_seconds (JsonObject *object,
                const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return MAX (json_node_get_int (node), 0);
    case G_TYPE_DOUBLE:
      return (gint64)CLAMP (json_node_get_double (node), 0, (double)G_MAXINT64 / 2);
    case G_TYPE_STRING:
      {
        guint64 value;

        if (g_ascii_string_to_unsigned (json_node_get_string (node), 10, 0, G_MAXINT64 / 2,
                                        &value, NULL))
          return (gint64)value;
        return 0;
      }
    default:
      return 0;
    }
}

/* Public API */

void
instasync_token_info_free (InstaSyncTokenInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->type);
  g_free (info->app_id);
  g_free (info->user_id);
  g_free (info->error_message);
  g_free (info);
}

InstaSyncTokenInfo *
instasync_token_info_parse (JsonNode  *root,
                            GError   **error)
{
  g_autoptr(InstaSyncTokenInfo) info = NULL;
  JsonObject *data;
  JsonNode *node;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (node = json_object_get_member (json_node_get_object (root), "data")) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_UNEXPECTED_SHAPE,
                           _("Unexpected debug_token answer: no data object"));
      return NULL;
    }

  data = json_node_get_object (node);
  info = g_new0 (InstaSyncTokenInfo, 1);

  node = json_object_get_member (data, "is_valid");
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_UNEXPECTED_SHAPE,
                           _("Unexpected debug_token answer: no is_valid"));
      return NULL;
    }
  info->is_valid = json_node_get_boolean (node);
  info->type = g_strdup (instasync_json_get_string (data, "type"));
  info->app_id = g_strdup (instasync_json_get_string (data, "app_id"));
  info->user_id = g_strdup (instasync_json_get_string (data, "user_id"));
  /* 0 is the API's "never". */
  info->expires_at = member_seconds (data, "expires_at");
  info->data_access_expires_at = member_seconds (data, "data_access_expires_at");

  node = json_object_get_member (data, "error");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *reason = json_node_get_object (node);

      info->error_code = (int)CLAMP (member_seconds (reason, "code"), 0, G_MAXINT);
      info->error_subcode = (int)CLAMP (member_seconds (reason, "subcode"), 0, G_MAXINT);
      info->error_message = g_strdup (instasync_json_get_string (reason, "message"));
    }
  if (!info->is_valid && info->error_code == 0)
    info->error_code = 190;

  return g_steal_pointer (&info);
}

InstaSyncTokenInfo *
instasync_graph_client_debug_token (InstaSyncGraphClient  *self,
                                    const char            *token,
                                    const char            *app_id,
                                    const char            *app_secret,
                                    GCancellable          *cancellable,
                                    GError               **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(InstaSyncTokenInfo) info = NULL;
  char *app_token = NULL;
  const char *params[] = { "input_token", token, NULL };

  g_return_val_if_fail (INSTASYNC_IS_GRAPH_CLIENT (self), NULL);
  g_return_val_if_fail (token != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (app_id != NULL && *app_id != '\0' && app_secret != NULL && *app_secret != '\0')
    app_token = g_strdup_printf ("%s|%s", app_id, app_secret);

  root = instasync_graph_client_get (self, "debug_token", params,
                                     app_token != NULL ? app_token : token, cancellable, error);
  instasync_secret_free (app_token);
  if (root == NULL)
    return NULL;

  info = instasync_token_info_parse (root, error);
  if (info != NULL && info->error_message != NULL)
    {
      /* The message is the API's: keep the token out of it. */
      g_autoptr(GError) scrub = g_error_new_literal (INSTASYNC_ERROR, 0, info->error_message);

      instasync_error_redact (scrub, token);
      instasync_error_redact (scrub, app_secret);
      instasync_error_redact_params (scrub);
      g_free (info->error_message);
      info->error_message = g_strdup (scrub->message);
    }

  return g_steal_pointer (&info);
}

char *
instasync_graph_client_exchange_token (InstaSyncGraphClient  *self,
                                       const char            *token,
                                       const char            *app_id,
                                       const char            *app_secret,
                                       gint64                *expires_in,
                                       GCancellable          *cancellable,
                                       GError               **error)
{
  g_autoptr(JsonNode) root = NULL;
  const char *params[] = {
    "grant_type", "fb_exchange_token",
    "client_id", app_id,
    "client_secret", app_secret,
    "fb_exchange_token", token,
    NULL
  };
  const char *fresh;

  g_return_val_if_fail (INSTASYNC_IS_GRAPH_CLIENT (self), NULL);
  g_return_val_if_fail (token != NULL, NULL);
  g_return_val_if_fail (app_id != NULL, NULL);
  g_return_val_if_fail (app_secret != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (expires_in != NULL)
    *expires_in = 0;

  /* The secret authenticates this call: no access token, so no proof. */
  root = instasync_graph_client_get (self, "oauth/access_token", params, NULL, cancellable, error);
  if (root == NULL)
    return NULL;

  fresh = JSON_NODE_HOLDS_OBJECT (root)
            ? instasync_json_get_string (json_node_get_object (root), "access_token") : NULL;
  if (fresh == NULL || *fresh == '\0')
    {
      g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_UNEXPECTED_SHAPE,
                           _("Unexpected token exchange answer: no access_token"));
      return NULL;
    }

  if (expires_in != NULL)
    *expires_in = member_seconds (json_node_get_object (root), "expires_in");

  /* A secret from here on: registered with the redactor as it is made. */
  return instasync_secret_new (fresh);
}
