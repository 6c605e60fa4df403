/* instasync-graph-error.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-graph-error"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "instasync-error.h"
#include "instasync-graph-error.h"
#include "instasync-insights-parser.h"

typedef struct
{
  int       subcode;
  guint     http_status;
  gboolean  is_transient;
  char     *fbtrace_id;
  int       regain_minutes;
  gboolean  usage_exhausted;
  gboolean  appsecret_proof_refused;
} InstaSyncGraphErrorPrivate;

static void
instasync_graph_error_private_init (InstaSyncGraphErrorPrivate *priv)
{
  priv->regain_minutes = -1;
}

static void
instasync_graph_error_private_copy (const InstaSyncGraphErrorPrivate *src,
                                    InstaSyncGraphErrorPrivate       *dest)
{
  dest->subcode = src->subcode;
  dest->http_status = src->http_status;
  dest->is_transient = src->is_transient;
  dest->fbtrace_id = g_strdup (src->fbtrace_id);
  dest->regain_minutes = src->regain_minutes;
  dest->usage_exhausted = src->usage_exhausted;
  dest->appsecret_proof_refused = src->appsecret_proof_refused;
}

static void
instasync_graph_error_private_clear (InstaSyncGraphErrorPrivate *priv)
{
  g_clear_pointer (&priv->fbtrace_id, g_free);
}

G_DEFINE_EXTENDED_ERROR (InstaSyncGraphError, instasync_graph_error)

/* Auxiliary */

static InstaSyncGraphErrorPrivate *
get_private (const GError *error)
{
  if (error == NULL || error->domain != INSTASYNC_GRAPH_ERROR)
    return NULL;
  return instasync_graph_error_get_private (error);
}

static int
member_int (JsonObject *object,
            const char *name,
            int         fallback)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return (int)CLAMP (json_node_get_int (node), G_MININT, G_MAXINT);
    case G_TYPE_DOUBLE:
      return (int)CLAMP (json_node_get_double (node), G_MININT, G_MAXINT);
    case G_TYPE_STRING:
      {
        /* Some layers of the API quote numbers. */
        gint64 parsed;
        if (g_ascii_string_to_signed (json_node_get_string (node), 10, G_MININT, G_MAXINT,
                                      &parsed, NULL))
          return (int)parsed;
        return fallback;
      }
    default:
      return fallback;
    }
}

/* The API's refusal of the call's appsecret_proof (missing while the app
 * requires it, or not made with the app's secret) is code 100 without a
 * subcode, and nothing else in the envelope tells it from the other
 * code-100 errors (a metric the account lacks, a bad window), which mean
 * something else entirely: the reference's rule of classifying on
 * code/subcode alone cannot see it. Both messages the API is known to
 * send name the parameter ("API calls from the server require an
 * appsecret_proof argument", "Invalid appsecret_proof provided in the API
 * argument"), and that name is no prose that could be reworded: it is
 * matched once, here, and kept as a flag that classification reads. */
static gboolean
is_appsecret_proof_refusal (int         code,
                            int         subcode,
                            const char *message)
{
  return code == 100 && subcode == 0 && message != NULL &&
         strstr (message, "appsecret_proof") != NULL;
}

/* The API's message without its closing full stop, for a sentence of
 * our own to follow it. */
static char *
without_full_stop (const char *message)
{
  char *text = g_strchomp (g_strdup (message));

  if (g_str_has_suffix (text, "."))
    text[strlen (text) - 1] = '\0';
  return text;
}

/* What people read for the errors whose way out the API does not say:
 * "(#10) Application does not have permission for this action" names no
 * permission, and a refused proof says nothing of the setting behind it.
 * NULL for the others, whose message stays the API's. */
static char *
message_with_advice (int         code,
                     const char *message,
                     gboolean    appsecret_proof_refused)
{
  g_autofree char *api = NULL;

  if (appsecret_proof_refused)
    {
      api = without_full_stop (message);
      /* Translators: %s is the Graph API's own message, in English. */
      return g_strdup_printf (_("%s. The App Secret InstaSync signs its calls with is missing or "
                                "is not this Meta app's: set it (Meta App Secret in the "
                                "preferences, INSTASYNC_APP_SECRET for instasyncctl) to the App "
                                "Secret in the Meta app's settings, then sync again"), api);
    }

  if (code == 10 || (code >= 200 && code <= 299))
    {
      api = without_full_stop (message);
      /* Translators: %s is the Graph API's own message, in English. */
      return g_strdup_printf (_("%s. Instagram has not granted InstaSync a permission this needs "
                                "for the account: reconnect the account and allow every "
                                "permission asked for, instagram_manage_insights among them"), api);
    }

  return NULL;
}

/* Public API */

const char *
instasync_error_action_to_string (InstaSyncErrorAction action)
{
  switch (action)
    {
    case INSTASYNC_ERROR_ACTION_NONE:        return "none";
    case INSTASYNC_ERROR_ACTION_RETRY:       return "retry";
    case INSTASYNC_ERROR_ACTION_BACK_OFF:    return "back_off";
    case INSTASYNC_ERROR_ACTION_RECONNECT:   return "reconnect";
    case INSTASYNC_ERROR_ACTION_SKIP_METRIC: return "skip_metric";
    case INSTASYNC_ERROR_ACTION_FAIL:        return "fail";
    default:                                 return "fail";
    }
}

const char *
instasync_error_action_describe (InstaSyncErrorAction action)
{
  switch (action)
    {
    case INSTASYNC_ERROR_ACTION_NONE:
      return _("Nothing to do");
    case INSTASYNC_ERROR_ACTION_RETRY:
      return _("A temporary problem; the next sync tries again");
    case INSTASYNC_ERROR_ACTION_BACK_OFF:
      return _("Instagram is limiting requests; syncing resumes when access returns");
    case INSTASYNC_ERROR_ACTION_RECONNECT:
      return _("Reconnect the account to give InstaSync a new access token");
    case INSTASYNC_ERROR_ACTION_SKIP_METRIC:
      return _("This metric is not available for the account; the others are synced");
    case INSTASYNC_ERROR_ACTION_FAIL:
    default:
      return _("Check the account and the settings, then sync again");
    }
}

void
instasync_graph_error_set (GError     **error,
                           int          code,
                           int          subcode,
                           guint        http_status,
                           gboolean     is_transient,
                           const char  *message)
{
  GError *local;
  InstaSyncGraphErrorPrivate *priv;

  if (error == NULL)
    return;

  local = g_error_new_literal (INSTASYNC_GRAPH_ERROR, code,
                               message != NULL ? message : _("Unknown Graph API error"));
  priv = instasync_graph_error_get_private (local);
  priv->subcode = subcode;
  priv->http_status = http_status;
  priv->is_transient = is_transient;
  g_propagate_error (error, local);
}

gboolean
instasync_graph_error_set_from_json (GError   **error,
                                     JsonNode  *root,
                                     guint      http_status)
{
  JsonObject *envelope;
  JsonObject *object;
  JsonNode *node;
  GError *local = NULL;
  InstaSyncGraphErrorPrivate *priv;
  const char *message;
  g_autofree char *advised = NULL;
  gboolean proof_refused;
  int code;
  int subcode;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;

  envelope = json_node_get_object (root);
  node = json_object_get_member (envelope, "error");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;

  object = json_node_get_object (node);
  message = instasync_json_get_string (object, "message");
  code = member_int (object, "code", 1);
  subcode = member_int (object, "error_subcode", 0);
  proof_refused = is_appsecret_proof_refusal (code, subcode, message);
  advised = message != NULL ? message_with_advice (code, message, proof_refused) : NULL;

  instasync_graph_error_set (&local, code, subcode, http_status, FALSE,
                             advised != NULL ? advised : message);
  priv = instasync_graph_error_get_private (local);
  priv->appsecret_proof_refused = proof_refused;
  node = json_object_get_member (object, "is_transient");
  if (node != NULL && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    priv->is_transient = json_node_get_boolean (node);
  priv->fbtrace_id = g_strdup (instasync_json_get_string (object, "fbtrace_id"));

  g_propagate_error (error, local);
  return TRUE;
}

int
instasync_graph_error_get_subcode (const GError *error)
{
  InstaSyncGraphErrorPrivate *priv = get_private (error);
  return priv ? priv->subcode : 0;
}

guint
instasync_graph_error_get_http_status (const GError *error)
{
  InstaSyncGraphErrorPrivate *priv = get_private (error);
  return priv ? priv->http_status : 0;
}

gboolean
instasync_graph_error_get_is_transient (const GError *error)
{
  InstaSyncGraphErrorPrivate *priv = get_private (error);
  return priv ? priv->is_transient : FALSE;
}

const char *
instasync_graph_error_get_fbtrace_id (const GError *error)
{
  InstaSyncGraphErrorPrivate *priv = get_private (error);
  return priv ? priv->fbtrace_id : NULL;
}

int
instasync_graph_error_get_regain_minutes (const GError *error)
{
  InstaSyncGraphErrorPrivate *priv = get_private (error);
  return priv ? priv->regain_minutes : -1;
}

void
instasync_graph_error_set_regain_minutes (GError *error,
                                          int     minutes)
{
  InstaSyncGraphErrorPrivate *priv = get_private (error);

  if (priv != NULL)
    priv->regain_minutes = minutes;
}

InstaSyncErrorAction
instasync_graph_error_classify_code (int   code,
                                     int   subcode,
                                     guint http_status)
{
  switch (code)
    {
    /* Unknown error and temporarily unavailable: Meta says retry, and
     * the reference has both seen with HTTP 400 as well as 5xx, so the
     * status decides nothing. (Code 1 with 400 is also the answer to an
     * unsupported breakdown, which InstaSync never asks for; retried, it
     * costs a few calls and fails its metric alone.) */
    case 1:
    case 2:
      return INSTASYNC_ERROR_ACTION_RETRY;

    /* Rate limits: more calls only extend the block. */
    case 4:
    case 17:
    case 32:
    case 341:
    case 368:
    case 613:
    case 80001:
    case 80002:
      return INSTASYNC_ERROR_ACTION_BACK_OFF;

    /* The token is invalid or expired, whatever the subcode: never retried. */
    case 102:
    case 190:
      return INSTASYNC_ERROR_ACTION_RECONNECT;

    /* Missing permission: a new login that grants it fixes it. The token
     * itself is fine (an account sharing it may have the permission), so
     * this is the one account's: it is not 190, which condemns the token
     * for every account that uses it. */
    case 10:
      return INSTASYNC_ERROR_ACTION_RECONNECT;

    case 100:
      /* 100/33: the object is gone or we lost access to it. */
      if (subcode == 33)
        return INSTASYNC_ERROR_ACTION_FAIL;
      /* Everything else under 100 is about the parameters of this one
       * request: a metric that is unknown, removed or not available for
       * the account, or a window it cannot serve. */
      return INSTASYNC_ERROR_ACTION_SKIP_METRIC;

    case 3:
      return INSTASYNC_ERROR_ACTION_FAIL;

    default:
      if (code >= 200 && code <= 299)
        return INSTASYNC_ERROR_ACTION_RECONNECT;
      if (http_status >= 500)
        return INSTASYNC_ERROR_ACTION_RETRY;
      return INSTASYNC_ERROR_ACTION_FAIL;
    }
}

void
instasync_graph_error_set_usage_exhausted (GError *error)
{
  InstaSyncGraphErrorPrivate *priv = get_private (error);

  if (priv != NULL)
    priv->usage_exhausted = TRUE;
}

gboolean
instasync_graph_error_is_appsecret_proof_refused (const GError *error)
{
  InstaSyncGraphErrorPrivate *priv = get_private (error);

  return priv != NULL && priv->appsecret_proof_refused;
}

InstaSyncErrorAction
instasync_error_classify (const GError *error)
{
  if (error == NULL)
    return INSTASYNC_ERROR_ACTION_NONE;

  /* 100/33 ("does not exist or no permission") is also what a throttled
   * caller gets; with the usage headers at the limit it is the throttle. */
  if (error->domain == INSTASYNC_GRAPH_ERROR && error->code == 100 &&
      instasync_graph_error_get_subcode (error) == 33 &&
      get_private (error)->usage_exhausted)
    return INSTASYNC_ERROR_ACTION_BACK_OFF;

  /* A configuration error, the same for every call and every metric: not
   * "this metric is not available", which would switch metrics off one by
   * one, and not fixed by a reconnect. */
  if (instasync_graph_error_is_appsecret_proof_refused (error))
    return INSTASYNC_ERROR_ACTION_FAIL;

  if (error->domain == INSTASYNC_GRAPH_ERROR)
    {
      InstaSyncErrorAction action =
        instasync_graph_error_classify_code (error->code,
                                             instasync_graph_error_get_subcode (error),
                                             instasync_graph_error_get_http_status (error));

      /* The API's own word that trying again helps wins over the code and
       * the HTTP status, except on a rate limit: code 4 carries
       * is_transient too, and there more calls only extend the block. */
      if (instasync_graph_error_get_is_transient (error) &&
          action != INSTASYNC_ERROR_ACTION_BACK_OFF)
        return INSTASYNC_ERROR_ACTION_RETRY;

      return action;
    }

  if (error->domain == INSTASYNC_ERROR)
    {
      switch ((InstaSyncErrorCode)error->code)
        {
        /* A garbled body or a dropped connection is usually the network or
         * an overloaded front end; the same request tends to work again. */
        case INSTASYNC_ERROR_PARSE:
        case INSTASYNC_ERROR_NETWORK:
          return INSTASYNC_ERROR_ACTION_RETRY;
        case INSTASYNC_ERROR_HTTP:
          return INSTASYNC_ERROR_ACTION_RETRY;
        /* The days stay asked for, and the next sync asks again. */
        case INSTASYNC_ERROR_NO_DATA:
          return INSTASYNC_ERROR_ACTION_RETRY;
        /* Valid JSON of an unexpected shape will not change on retry. */
        case INSTASYNC_ERROR_UNEXPECTED_SHAPE:
        case INSTASYNC_ERROR_TIMESTAMP:
          return INSTASYNC_ERROR_ACTION_SKIP_METRIC;
        case INSTASYNC_ERROR_KEY:
        case INSTASYNC_ERROR_NOT_FOUND:
          return INSTASYNC_ERROR_ACTION_RECONNECT;
        case INSTASYNC_ERROR_CANCELLED:
          return INSTASYNC_ERROR_ACTION_NONE;
        default:
          return INSTASYNC_ERROR_ACTION_FAIL;
        }
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return INSTASYNC_ERROR_ACTION_NONE;

  if (error->domain == G_IO_ERROR || error->domain == G_RESOLVER_ERROR ||
      error->domain == G_TLS_ERROR)
    return INSTASYNC_ERROR_ACTION_RETRY;

  return INSTASYNC_ERROR_ACTION_FAIL;
}
