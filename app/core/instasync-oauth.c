/* instasync-oauth.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-oauth"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "instasync-error.h"
#include "instasync-redact.h"
#include "instasync-graph-tokens.h"
#include "instasync-insights-parser.h"
#include "instasync-oauth.h"
#include "instasync-secret.h"

/* 256 bits: far beyond guessing, and what the brief for state asks. */
#define STATE_BYTES 32
/* Longer than any redirect Facebook sends; a megabyte pasted by mistake is
 * refused before it is parsed. */
#define MAX_REDIRECT_LENGTH 16384
#define MAX_TOKEN_LENGTH    4096
/* A token that lives longer than this is already long-lived. */
#define SHORT_LIVED_MAX_SECONDS (24 * 60 * 60)
/* Ten years: anything beyond is not an expiry we believe. */
#define MAX_LIFETIME_SECONDS G_GINT64_CONSTANT (315360000)

/* Parts stay escaped for the parameter parser; a broken escape is then
 * reported as such rather than as "not a web address". */
#define URI_FLAGS (G_URI_FLAGS_ENCODED | G_URI_FLAGS_PARSE_RELAXED)

/* The Instagram onboarding variant of the dialog (reference §5.1): it lets
 * the person pick and link accounts, and returns a long-lived token. */
#define ONBOARDING_EXTRAS "{\"setup\":{\"channel\":\"IG_API_ONBOARDING\"}}"

struct _InstaSyncOAuthFlow
{
  GObject                     parent_instance;

  char                       *app_id;
  char                       *app_secret;
  char                       *redirect_uri;
  char                       *dialog_url;
  char                       *graph_url;
  char                       *api_version;
  InstaSyncOAuthResponseType  response_type;
  char                       *state;
  gboolean                    used;
};

G_DEFINE_FINAL_TYPE (InstaSyncOAuthFlow, instasync_oauth_flow, G_TYPE_OBJECT)

G_DEFINE_QUARK (instasync-oauth-error-quark, instasync_oauth_error)

/* Auxiliary */

static char *
base64url (const guint8 *data,
           gsize         length)
{
  char *text = g_base64_encode (data, length);

  for (char *p = text; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }

  return text;
}

/* Compares without stopping at the first difference, so that the time taken
 * tells an attacker nothing about how much of a forged state was right. */
static gboolean
equal_constant_time (const char *expected,
                     const char *given)
{
  gsize expected_length = strlen (expected);
  gsize given_length = strlen (given);
  volatile guint8 difference = expected_length != given_length;

  for (gsize i = 0; i < expected_length; i++)
    difference |= (guint8)expected[i] ^ (guint8)(i < given_length ? given[i] : 0);

  return difference == 0;
}

static gboolean
is_web_url (const char *text)
{
  g_autoptr(GUri) uri = text != NULL ? g_uri_parse (text, G_URI_FLAGS_ENCODED, NULL) : NULL;

  return uri != NULL && g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0' &&
         (g_str_equal (g_uri_get_scheme (uri), "https") ||
          g_str_equal (g_uri_get_scheme (uri), "http"));
}

static int
effective_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return port;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

static const char *
effective_path (GUri *uri)
{
  const char *path = g_uri_get_path (uri);

  return path != NULL && *path != '\0' ? path : "/";
}

static gboolean
same_endpoint (GUri *a,
               GUri *b)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_uri_get_host (a) != NULL && g_uri_get_host (b) != NULL &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         effective_port (a) == effective_port (b) &&
         g_str_equal (effective_path (a), effective_path (b));
}

/* Tokens and codes are short runs of URL-safe characters; anything else is
 * a garbled or hostile paste, never stored. */
static gboolean
is_plausible_secret (const char *text)
{
  gsize length = text != NULL ? strlen (text) : 0;

  if (length == 0 || length > MAX_TOKEN_LENGTH)
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-._~|", *p) == NULL)
      return FALSE;

  return TRUE;
}

/* Text from the redirect, fit for a message: short, valid UTF-8, and free of
 * control characters that could rewrite a terminal. */
static char *
quote_sanitized (const char *text)
{
  char *quoted = instasync_quote_untrusted (text);

  for (char *p = quoted; *p != '\0'; p++)
    if ((guchar)*p < 0x20 || *p == 0x7f)
      *p = ' ';

  return quoted;
}

static gboolean
parse_seconds (const char *text,
               gint64     *seconds)
{
  guint64 value;

  if (text == NULL)
    return FALSE;
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &value, NULL))
    return FALSE;
  *seconds = (gint64)value;
  return TRUE;
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* Adds the parameters of one part of the address (a query or a fragment) to
 * @params. A name given twice is refused: the state or the token would then
 * be whichever copy a parser happened to keep. */
static gboolean
collect_params (const char  *part,
                GHashTable  *params,
                GError     **error)
{
  GUriParamsIter iter;
  g_autoptr(GError) local_error = NULL;
  char *name = NULL;
  char *value = NULL;

  if (part == NULL || *part == '\0')
    return TRUE;

  g_uri_params_iter_init (&iter, part, -1, "&", G_URI_PARAMS_WWW_FORM);
  while (g_uri_params_iter_next (&iter, &name, &value, &local_error))
    {
      /* Facebook's junk fragment on code redirects. */
      if (g_str_equal (name, "_") && g_str_equal (value, "_"))
        {
          g_free (name);
          g_free (value);
          continue;
        }

      if (*name == '\0' || g_hash_table_contains (params, name) ||
          !g_utf8_validate (value, -1, NULL))
        {
          g_free (name);
          instasync_secret_clear (&value);
          g_set_error_literal (error, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_MALFORMED,
                               _("The address is garbled (a parameter is empty, repeated or not "
                                 "text). Copy the whole address again, or start a new login."));
          return FALSE;
        }

      g_hash_table_insert (params, name, value);
    }

  if (local_error != NULL)
    {
      g_set_error_literal (error, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_MALFORMED,
                           /* xgettext:no-c-format */
                           _("The address is garbled (a broken %-escape). Copy the whole "
                             "address again, or start a new login."));
      return FALSE;
    }

  return TRUE;
}

/* Takes the secrets of a redirect out of a message that may quote it. */
static void
redact_params (GError     *error,
               GHashTable *params)
{
  static const char * const names[] = { "access_token", "long_lived_token", "code", NULL };

  for (guint i = 0; error != NULL && names[i] != NULL; i++)
    instasync_error_redact (error, g_hash_table_lookup (params, names[i]));
}

/* @text with the redirect's secrets taken out, before it is shortened:
 * a quote cut in the middle of a token would escape a whole-token match. */
static char *
redact_text (const char *text,
             GHashTable *params)
{
  static const char * const names[] = { "access_token", "long_lived_token", "code", NULL };
  char *result = g_strdup (text != NULL ? text : "");

  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *secret = g_hash_table_lookup (params, names[i]);

      if (secret != NULL && *secret != '\0' && strstr (result, secret) != NULL)
        {
          g_auto(GStrv) parts = g_strsplit (result, secret, -1);

          g_free (result);
          result = g_strjoinv ("[redacted]", parts);
        }
    }

  return result;
}

static void
set_dialog_error (GError     **error,
                  GHashTable  *params)
{
  g_autoptr(GError) local_error = NULL;
  const char *code = g_hash_table_lookup (params, "error");
  const char *reason = g_hash_table_lookup (params, "error_reason");
  const char *error_code = g_hash_table_lookup (params, "error_code");
  const char *description = g_hash_table_lookup (params, "error_description");
  g_autofree char *clean_description = redact_text (description != NULL ? description : code,
                                                    params);
  g_autofree char *clean_code = redact_text (code != NULL ? code : "unknown_error", params);
  g_autofree char *quoted_code = quote_sanitized (clean_code);
  g_autofree char *quoted_description = quote_sanitized (clean_description);
  gboolean cancelled_reason = g_strcmp0 (reason, "user_cancelled") == 0 ||
                              g_strcmp0 (reason, "user_canceled") == 0;

  /* Meta documents one answer for a cancelled login: access_denied,
   * user_denied, no error_code. Declining the permissions is seen with
   * error_code 200 (a permissions error); 4201 is the dialogs' "User
   * canceled the Dialog flow". Both readings end the login; only the advice
   * differs. */
  if (cancelled_reason || g_strcmp0 (error_code, "4201") == 0 ||
      (g_strcmp0 (code, "access_denied") == 0 && error_code == NULL))
    {
      g_set_error_literal (&local_error, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_CANCELLED,
                           _("The Facebook login was cancelled, so nothing was connected. "
                             "Start again when you are ready."));
    }
  else if (g_strcmp0 (code, "access_denied") == 0)
    {
      g_set_error (&local_error, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_DENIED,
                   _("Facebook says the permissions were declined (“%s”). InstaSync needs "
                     "them to list your Pages and read their Instagram insights: connect "
                     "again and allow access to the Pages and Instagram accounts you want "
                     "to sync."),
                   quoted_description);
    }
  else
    {
      g_set_error (&local_error, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_FAILED,
                   _("Facebook could not complete the login: “%s” (%s). Start again, or "
                     "check the app's Facebook Login settings."),
                   quoted_description, quoted_code);
    }

  redact_params (local_error, params);
  g_propagate_error (error, g_steal_pointer (&local_error));
}

static gboolean
read_grant (GHashTable           *params,
            InstaSyncOAuthGrant  *grant,
            GError              **error)
{
  const char *long_lived = g_hash_table_lookup (params, "long_lived_token");
  const char *token = g_hash_table_lookup (params, "access_token");
  const char *code = g_hash_table_lookup (params, "code");
  const char *expires_in_text = g_hash_table_lookup (params, "expires_in");
  const char *data_access_text = g_hash_table_lookup (params, "data_access_expiration_time");
  gint64 expires_in = -1;
  gint64 data_access = -1;

  /* Whatever the redirect carried is a secret from here on, valid or not. */
  instasync_redact_register (long_lived);
  instasync_redact_register (token);
  instasync_redact_register (code);

  if ((long_lived != NULL && !is_plausible_secret (long_lived)) ||
      (token != NULL && !is_plausible_secret (token)) ||
      (code != NULL && !is_plausible_secret (code)) ||
      (expires_in_text != NULL && (!parse_seconds (expires_in_text, &expires_in) ||
                                   expires_in > MAX_LIFETIME_SECONDS)) ||
      (data_access_text != NULL && !parse_seconds (data_access_text, &data_access)))
    {
      g_set_error_literal (error, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_MALFORMED,
                           _("The address is garbled: the token, code or expiry in it is "
                             "not valid. Copy the whole address again, or start a new "
                             "login."));
      return FALSE;
    }

  grant->expires_at = INSTASYNC_OAUTH_EXPIRY_UNKNOWN;
  grant->data_access_expires_at = data_access > 0 ? data_access : INSTASYNC_OAUTH_EXPIRY_UNKNOWN;

  /* The onboarding dialog returns both; the long-lived one is worth storing,
   * and its expiry is not the short one's expires_in. */
  if (long_lived != NULL)
    {
      grant->access_token = g_strdup (long_lived);
      instasync_redact_register (grant->access_token);
      grant->long_lived = TRUE;
    }
  else if (token != NULL)
    {
      grant->access_token = g_strdup (token);
      instasync_redact_register (grant->access_token);
      if (expires_in == 0)
        grant->expires_at = 0;
      else if (expires_in > 0)
        grant->expires_at = now_seconds () + expires_in;
      grant->long_lived = expires_in == 0 || expires_in > SHORT_LIVED_MAX_SECONDS;
    }
  else if (code != NULL)
    {
      grant->code = g_strdup (code);
    }
  else
    {
      g_set_error_literal (error, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_MALFORMED,
                           _("The address carries neither a token nor a code: it is "
                             "probably incomplete. Copy the whole address, including "
                             "everything after “#”."));
      return FALSE;
    }

  return TRUE;
}

/* Takes every secret this flow knows out of @error's message. */
static void
redact_all (InstaSyncOAuthFlow  *self,
            InstaSyncOAuthGrant *grant,
            const char          *other,
            GError              *error)
{
  if (error == NULL)
    return;

  instasync_error_redact (error, self->app_secret);
  instasync_error_redact (error, grant->access_token);
  instasync_error_redact (error, grant->code);
  instasync_error_redact (error, other);
}

static JsonObject *
root_object (JsonNode *root)
{
  return root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
}

/* An integer member that may come as a number or as a numeric string. */
static gboolean
get_seconds_member (JsonObject *object,
                    const char *name,
                    gint64     *seconds)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *seconds = json_node_get_int (node);
      return *seconds >= 0;
    }
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return parse_seconds (json_node_get_string (node), seconds);
  return FALSE;
}

/* Reads {"access_token","token_type","expires_in"} into @grant. */
static gboolean
take_token_reply (JsonNode             *root,
                  InstaSyncOAuthGrant  *grant,
                  GError              **error)
{
  JsonObject *object = root_object (root);
  const char *token = object != NULL ? instasync_json_get_string (object, "access_token") : NULL;
  gint64 expires_in;

  if (!is_plausible_secret (token))
    {
      g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_UNEXPECTED_SHAPE,
                           _("the Graph API answered without a usable access token"));
      return FALSE;
    }

  instasync_secret_clear (&grant->access_token);
  grant->access_token = g_strdup (token);
  instasync_redact_register (grant->access_token);

  if (get_seconds_member (object, "expires_in", &expires_in) && expires_in > 0 &&
      expires_in <= MAX_LIFETIME_SECONDS)
    grant->expires_at = now_seconds () + expires_in;
  else
    grant->expires_at = INSTASYNC_OAUTH_EXPIRY_UNKNOWN;

  return TRUE;
}

static gboolean
exchange_code (InstaSyncOAuthFlow    *self,
               InstaSyncGraphClient  *client,
               InstaSyncOAuthGrant   *grant,
               GCancellable          *cancellable,
               GError               **error)
{
  /* redirect_uri must be the dialog's, byte for byte, or Meta refuses. */
  const char * const params[] = {
    "client_id", self->app_id,
    "redirect_uri", self->redirect_uri,
    "client_secret", self->app_secret,
    "code", grant->code,
    NULL
  };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *step = _("Exchanging the login code");

  root = instasync_graph_client_get (client, "oauth/access_token", params, NULL,
                                     cancellable, &local_error);
  if (root == NULL || !take_token_reply (root, grant, &local_error))
    {
      redact_all (self, grant, NULL, local_error);
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", step);
      return FALSE;
    }

  /* A code is single use: nothing is left to keep. Meta documents the
   * code's token as short-lived, whatever its expires_in says, so the
   * long-lived exchange follows in every case. */
  instasync_secret_clear (&grant->code);
  grant->long_lived = FALSE;
  return TRUE;
}

static gboolean
exchange_long_lived (InstaSyncOAuthFlow    *self,
                     InstaSyncGraphClient  *client,
                     InstaSyncOAuthGrant   *grant,
                     GCancellable          *cancellable,
                     GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  char *fresh;
  gint64 expires_in = 0;

  fresh = instasync_graph_client_exchange_token (client, grant->access_token, self->app_id,
                                                 self->app_secret, &expires_in, cancellable,
                                                 &local_error);
  if (fresh == NULL || !is_plausible_secret (fresh))
    {
      if (local_error == NULL)
        g_set_error_literal (&local_error, INSTASYNC_ERROR, INSTASYNC_ERROR_UNEXPECTED_SHAPE,
                             _("the Graph API answered without a usable access token"));
      redact_all (self, grant, fresh, local_error);
      instasync_secret_clear (&fresh);
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ",
                                  _("Exchanging the token for a long-lived one"));
      return FALSE;
    }

  instasync_secret_clear (&grant->access_token);
  grant->access_token = fresh;
  instasync_redact_register (grant->access_token);
  grant->long_lived = TRUE;
  /* The exchange's 0 means it did not say; debug_token will. */
  grant->expires_at = expires_in > 0 && expires_in <= MAX_LIFETIME_SECONDS
                      ? now_seconds () + expires_in : INSTASYNC_OAUTH_EXPIRY_UNKNOWN;
  return TRUE;
}

/* debug_token with the app's own token: the token's expiry, and proof that
 * it was issued to this app. A token in the redirect could have been made
 * for another app and planted; this is Meta's advice against that. */
static gboolean
inspect_token (InstaSyncOAuthFlow    *self,
               InstaSyncGraphClient  *client,
               InstaSyncOAuthGrant   *grant,
               GCancellable          *cancellable,
               GError               **error)
{
  g_autoptr(InstaSyncTokenInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;

  info = instasync_graph_client_debug_token (client, grant->access_token, self->app_id,
                                             self->app_secret, cancellable, &local_error);
  if (info == NULL)
    {
      redact_all (self, grant, NULL, local_error);
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ",
                                  _("Checking the new token"));
      return FALSE;
    }

  if (!info->is_valid)
    {
      g_set_error_literal (error, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_FAILED,
                           _("Facebook says the token from this login is not valid. "
                             "Start a new login."));
      return FALSE;
    }

  if (g_strcmp0 (info->app_id, self->app_id) != 0)
    {
      g_set_error_literal (error, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_WRONG_APP,
                           _("The token from this login was issued to another app, not to "
                             "InstaSync's: it was not stored. Start a new login from "
                             "InstaSync."));
      return FALSE;
    }

  /* 0 is the API's "never". */
  grant->expires_at = info->expires_at;
  if (info->data_access_expires_at > 0)
    grant->data_access_expires_at = info->data_access_expires_at;

  return TRUE;
}

/* GObject overrides */

static void
instasync_oauth_flow_finalize (GObject *object)
{
  InstaSyncOAuthFlow *self = (InstaSyncOAuthFlow *)object;

  g_clear_pointer (&self->app_id, g_free);
  instasync_secret_clear (&self->app_secret);
  instasync_secret_clear (&self->state);
  g_clear_pointer (&self->redirect_uri, g_free);
  g_clear_pointer (&self->dialog_url, g_free);
  g_clear_pointer (&self->graph_url, g_free);
  g_clear_pointer (&self->api_version, g_free);

  G_OBJECT_CLASS (instasync_oauth_flow_parent_class)->finalize (object);
}

static void
instasync_oauth_flow_class_init (InstaSyncOAuthFlowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = instasync_oauth_flow_finalize;
}

static void
instasync_oauth_flow_init (InstaSyncOAuthFlow *self)
{
  self->dialog_url = g_strdup (INSTASYNC_DEFAULT_DIALOG_URL);
  self->graph_url = g_strdup (INSTASYNC_DEFAULT_GRAPH_URL);
  self->api_version = g_strdup (INSTASYNC_DEFAULT_GRAPH_VERSION);
}

/* Public API */

void
instasync_oauth_grant_free (InstaSyncOAuthGrant *grant)
{
  if (grant == NULL)
    return;

  instasync_secret_clear (&grant->access_token);
  instasync_secret_clear (&grant->code);
  g_free (grant);
}

InstaSyncOAuthFlow *
instasync_oauth_flow_new (const char                  *app_id,
                          const char                  *app_secret,
                          const char                  *redirect_uri,
                          InstaSyncOAuthResponseType   response_type,
                          GError                     **error)
{
  g_autoptr(InstaSyncOAuthFlow) self = NULL;
  guint8 random[STATE_BYTES];

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (app_id == NULL || *app_id == '\0')
    {
      g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFIG,
                           _("Connecting needs the Meta app's ID: set INSTASYNC_APP_ID"));
      return NULL;
    }
  if (app_secret != NULL && *app_secret == '\0')
    app_secret = NULL;
  if (response_type == INSTASYNC_OAUTH_RESPONSE_CODE && app_secret == NULL)
    {
      g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFIG,
                           _("The code flow needs the Meta app's secret: set "
                             "INSTASYNC_APP_SECRET, or use the token flow"));
      return NULL;
    }
  if (redirect_uri == NULL)
    redirect_uri = INSTASYNC_DEFAULT_REDIRECT_URI;
  if (!is_web_url (redirect_uri) || strchr (redirect_uri, '#') != NULL)
    {
      g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFIG,
                           _("The redirect URI must be an http or https address without a "
                             "fragment"));
      return NULL;
    }

  instasync_random_bytes (random, sizeof random);

  self = g_object_new (INSTASYNC_TYPE_OAUTH_FLOW, NULL);
  self->app_id = g_strdup (app_id);
  self->app_secret = g_strdup (app_secret);
  self->redirect_uri = g_strdup (redirect_uri);
  self->response_type = response_type;
  self->state = base64url (random, sizeof random);
  instasync_secure_wipe (random, sizeof random);

  return g_steal_pointer (&self);
}

char *
instasync_oauth_dialog_url_for_graph (const char *graph_url)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (graph_url != NULL, NULL);

  uri = g_uri_parse (graph_url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL ||
      g_ascii_strcasecmp (g_uri_get_host (uri), "graph.facebook.com") == 0)
    return g_strdup (INSTASYNC_DEFAULT_DIALOG_URL);

  return g_strdup (graph_url);
}

InstaSyncOAuthFlow *
instasync_oauth_flow_new_from_config (const InstaSyncConfig       *config,
                                      InstaSyncOAuthResponseType   response_type,
                                      GError                     **error)
{
  g_autoptr(InstaSyncOAuthFlow) self = NULL;
  g_autofree char *dialog_url = NULL;

  g_return_val_if_fail (config != NULL, NULL);

  self = instasync_oauth_flow_new (config->app_id, config->app_secret, config->redirect_uri,
                                   response_type, error);
  if (self == NULL)
    return NULL;

  dialog_url = instasync_oauth_dialog_url_for_graph (config->graph_url);
  instasync_oauth_flow_set_dialog_url (self, dialog_url);
  instasync_oauth_flow_set_graph_url (self, config->graph_url);
  instasync_oauth_flow_set_api_version (self, config->graph_version);

  return g_steal_pointer (&self);
}

void
instasync_oauth_flow_set_dialog_url (InstaSyncOAuthFlow *self,
                                     const char         *dialog_url)
{
  g_return_if_fail (INSTASYNC_IS_OAUTH_FLOW (self));
  g_return_if_fail (dialog_url != NULL);

  g_free (self->dialog_url);
  self->dialog_url = g_strdup (dialog_url);
}

void
instasync_oauth_flow_set_api_version (InstaSyncOAuthFlow *self,
                                      const char         *api_version)
{
  g_return_if_fail (INSTASYNC_IS_OAUTH_FLOW (self));
  g_return_if_fail (api_version != NULL);

  g_free (self->api_version);
  self->api_version = g_strdup (api_version);
}

void
instasync_oauth_flow_set_graph_url (InstaSyncOAuthFlow *self,
                                    const char         *graph_url)
{
  g_return_if_fail (INSTASYNC_IS_OAUTH_FLOW (self));
  g_return_if_fail (graph_url != NULL);

  g_free (self->graph_url);
  self->graph_url = g_strdup (graph_url);
}

InstaSyncOAuthResponseType
instasync_oauth_flow_get_response_type (InstaSyncOAuthFlow *self)
{
  g_return_val_if_fail (INSTASYNC_IS_OAUTH_FLOW (self), INSTASYNC_OAUTH_RESPONSE_TOKEN);
  return self->response_type;
}

const char *
instasync_oauth_flow_get_redirect_uri (InstaSyncOAuthFlow *self)
{
  g_return_val_if_fail (INSTASYNC_IS_OAUTH_FLOW (self), NULL);
  return self->redirect_uri;
}

const char *
instasync_oauth_flow_get_state (InstaSyncOAuthFlow *self)
{
  g_return_val_if_fail (INSTASYNC_IS_OAUTH_FLOW (self), NULL);
  return self->state;
}

char *
instasync_oauth_flow_build_dialog_url (InstaSyncOAuthFlow *self)
{
  gboolean token;

  /* Before the parameters below read from @self. */
  g_return_val_if_fail (INSTASYNC_IS_OAUTH_FLOW (self), NULL);

  token = self->response_type == INSTASYNC_OAUTH_RESPONSE_TOKEN;
  const char * const params[] = {
    "client_id", self->app_id,
    "redirect_uri", self->redirect_uri,
    "response_type", token ? "token" : "code",
    "scope", INSTASYNC_OAUTH_SCOPES,
    "display", "page",
    "state", self->state,
    /* Last, so that it can be left out: the onboarding variant is
     * documented with response_type=token only. */
    "extras", token ? ONBOARDING_EXTRAS : NULL,
    NULL
  };
  GString *url;
  gsize base_length;

  base_length = strlen (self->dialog_url);
  while (base_length > 0 && self->dialog_url[base_length - 1] == '/')
    base_length--;

  url = g_string_new (NULL);
  g_string_append_len (url, self->dialog_url, (gssize)base_length);
  g_string_append_printf (url, "/%s/dialog/oauth", self->api_version);

  for (guint i = 0; params[i] != NULL && params[i + 1] != NULL; i += 2)
    {
      g_string_append_c (url, i == 0 ? '?' : '&');
      g_string_append (url, params[i]);
      g_string_append_c (url, '=');
      g_string_append_uri_escaped (url, params[i + 1], NULL, FALSE);
    }

  return g_string_free (url, FALSE);
}

gboolean
instasync_oauth_flow_is_redirect (InstaSyncOAuthFlow *self,
                                  const char         *url)
{
  g_autoptr(GUri) given = NULL;
  g_autoptr(GUri) expected = NULL;

  g_return_val_if_fail (INSTASYNC_IS_OAUTH_FLOW (self), FALSE);

  if (url == NULL)
    return FALSE;

  given = g_uri_parse (url, URI_FLAGS, NULL);
  expected = g_uri_parse (self->redirect_uri, URI_FLAGS, NULL);

  return given != NULL && expected != NULL && same_endpoint (given, expected);
}

InstaSyncOAuthGrant *
instasync_oauth_flow_parse_redirect (InstaSyncOAuthFlow  *self,
                                     const char          *redirect_url,
                                     GError             **error)
{
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(InstaSyncOAuthGrant) grant = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;
  const char *state;
  static const char * const result_names[] = {
    "access_token", "long_lived_token", "code", "error", "error_reason", "error_code", "state",
    NULL
  };
  gboolean any_result = FALSE;

  g_return_val_if_fail (INSTASYNC_IS_OAUTH_FLOW (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  text = g_strstrip (g_strdup (redirect_url != NULL ? redirect_url : ""));
  if (*text == '\0')
    {
      g_set_error_literal (error, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_MALFORMED,
                           _("No address was given. After logging in, copy the whole address "
                             "the browser shows and paste it."));
      return NULL;
    }
  if (strlen (text) > MAX_REDIRECT_LENGTH)
    {
      g_set_error_literal (error, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_MALFORMED,
                           _("The address is far longer than a login answer: paste only the "
                             "address the browser shows after logging in."));
      return NULL;
    }
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar)*p <= 0x20 || (guchar)*p >= 0x7f)
      {
        g_set_error_literal (error, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_MALFORMED,
                             _("The address contains spaces or characters no web address has: "
                               "it was not copied whole. Copy it again from the address bar."));
        return NULL;
      }

  uri = g_uri_parse (text, URI_FLAGS, NULL);
  if (uri == NULL)
    {
      g_set_error_literal (error, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_MALFORMED,
                           _("This is not a web address. Copy the whole address the browser "
                             "shows after logging in."));
      return NULL;
    }
  if (!instasync_oauth_flow_is_redirect (self, text))
    {
      g_set_error (error, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_MALFORMED,
                   _("This is not the page Facebook sends you back to after logging in. "
                     "Wait for %s to open, then copy its whole address."),
                   self->redirect_uri);
      return NULL;
    }

  params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                  (GDestroyNotify) instasync_secret_free);
  if (!collect_params (g_uri_get_query (uri), params, error) ||
      !collect_params (g_uri_get_fragment (uri), params, error))
    return NULL;

  for (guint i = 0; result_names[i] != NULL; i++)
    any_result |= g_hash_table_contains (params, result_names[i]);
  if (!any_result)
    {
      g_set_error_literal (error, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_MALFORMED,
                           _("The address carries no login result. Copy the whole address, "
                             "including everything after “#”."));
      return NULL;
    }

  if (self->used)
    {
      g_set_error_literal (error, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_STATE,
                           _("This login has already been answered. Start a new login."));
      return NULL;
    }

  state = g_hash_table_lookup (params, "state");
  if (state == NULL)
    {
      g_set_error_literal (error, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_STATE,
                           _("The address has no “state”, so it cannot be told apart from a "
                             "forged one. It may be incomplete: copy the whole address, or "
                             "start a new login."));
      return NULL;
    }
  if (!equal_constant_time (self->state, state))
    {
      g_set_error_literal (error, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_STATE,
                           _("The address's “state” does not match this login: it is "
                             "incomplete, belongs to another login, or was forged. Nothing "
                             "was connected; start a new login."));
      return NULL;
    }

  if (g_hash_table_contains (params, "error") || g_hash_table_contains (params, "error_reason") ||
      g_hash_table_contains (params, "error_code"))
    {
      /* The answer is ours, and it is no: this login is over. */
      self->used = TRUE;
      set_dialog_error (error, params);
      return NULL;
    }

  /* A garbled token leaves the login open, so that a whole copy of the
   * same address can still be pasted. */
  grant = g_new0 (InstaSyncOAuthGrant, 1);
  if (!read_grant (params, grant, &local_error))
    {
      redact_params (local_error, params);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  self->used = TRUE;
  return g_steal_pointer (&grant);
}

gboolean
instasync_oauth_flow_exchange (InstaSyncOAuthFlow    *self,
                               InstaSyncGraphClient  *client,
                               InstaSyncOAuthGrant   *grant,
                               GCancellable          *cancellable,
                               GError               **error)
{
  g_return_val_if_fail (INSTASYNC_IS_OAUTH_FLOW (self), FALSE);
  g_return_val_if_fail (INSTASYNC_IS_GRAPH_CLIENT (client), FALSE);
  g_return_val_if_fail (grant != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (grant->code != NULL)
    {
      if (self->app_secret == NULL)
        {
          g_set_error_literal (error, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_NO_SECRET,
                               _("Facebook answered with a code, which only the Meta app's "
                                 "secret can exchange for a token: set INSTASYNC_APP_SECRET, "
                                 "or connect with the token flow."));
          return FALSE;
        }
      if (!exchange_code (self, client, grant, cancellable, error))
        return FALSE;
    }

  g_return_val_if_fail (grant->access_token != NULL, FALSE);

  /* Without the secret the token is stored as it came; the caller tells
   * the person when it is short-lived. */
  if (self->app_secret == NULL)
    return TRUE;

  if (!grant->long_lived && !exchange_long_lived (self, client, grant, cancellable, error))
    return FALSE;

  if (grant->expires_at == INSTASYNC_OAUTH_EXPIRY_UNKNOWN &&
      !inspect_token (self, client, grant, cancellable, error))
    return FALSE;

  return TRUE;
}

InstaSyncOAuthGrant *
instasync_oauth_flow_complete (InstaSyncOAuthFlow    *self,
                               InstaSyncGraphClient  *client,
                               const char            *redirect_url,
                               GCancellable          *cancellable,
                               GError               **error)
{
  g_autoptr(InstaSyncOAuthGrant) grant = NULL;

  g_return_val_if_fail (INSTASYNC_IS_OAUTH_FLOW (self), NULL);
  g_return_val_if_fail (INSTASYNC_IS_GRAPH_CLIENT (client), NULL);

  grant = instasync_oauth_flow_parse_redirect (self, redirect_url, error);
  if (grant == NULL || !instasync_oauth_flow_exchange (self, client, grant, cancellable, error))
    return NULL;

  return g_steal_pointer (&grant);
}

typedef struct
{
  InstaSyncOAuthGrant *grant;
  char                *graph_url;
  char                *api_version;
} CompleteData;

static void
complete_data_free (gpointer data)
{
  CompleteData *complete = data;

  instasync_oauth_grant_free (complete->grant);
  g_free (complete->graph_url);
  g_free (complete->api_version);
  g_free (complete);
}

static void
complete_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  InstaSyncOAuthFlow *self = source_object;
  CompleteData *complete = task_data;
  g_autoptr(InstaSyncGraphClient) client = NULL;
  g_autoptr(GError) error = NULL;

  /* A Graph client belongs to one thread: this one gets its own. */
  client = instasync_graph_client_new (complete->graph_url, complete->api_version);
  instasync_graph_client_set_app_secret (client, self->app_secret);

  if (!instasync_oauth_flow_exchange (self, client, complete->grant, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&complete->grant),
                           (GDestroyNotify)instasync_oauth_grant_free);
}

void
instasync_oauth_flow_complete_async (InstaSyncOAuthFlow  *self,
                                     const char          *redirect_url,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  CompleteData *complete;

  g_return_if_fail (INSTASYNC_IS_OAUTH_FLOW (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, instasync_oauth_flow_complete_async);

  complete = g_new0 (CompleteData, 1);
  complete->graph_url = g_strdup (self->graph_url);
  complete->api_version = g_strdup (self->api_version);
  g_task_set_task_data (task, complete, complete_data_free);

  /* Parsed here, on the caller's thread: it uses up the flow's state. */
  complete->grant = instasync_oauth_flow_parse_redirect (self, redirect_url, &error);
  if (complete->grant == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_run_in_thread (task, complete_thread);
}

InstaSyncOAuthGrant *
instasync_oauth_flow_complete_finish (InstaSyncOAuthFlow  *self,
                                      GAsyncResult        *result,
                                      GError             **error)
{
  g_return_val_if_fail (INSTASYNC_IS_OAUTH_FLOW (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        instasync_oauth_flow_complete_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
