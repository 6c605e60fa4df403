/* instasync-graph-client.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-graph-client"

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>
#include <glib/gi18n.h>

#include "instasync-error.h"
#include "instasync-graph-client-private.h"
#include "instasync-graph-client.h"
#include "instasync-graph-error.h"
#include "instasync-insights-parser.h"
#include "instasync-secret.h"

struct _InstaSyncGraphClient
{
  GObject         parent_instance;

  SoupSession    *session;
  char           *base_url;
  char           *api_version;
  /* With it every call carries appsecret_proof; never printed. */
  char           *app_secret;

  guint           max_attempts;
  guint           base_delay_ms;
  guint           max_delay_ms;

  guint           api_calls;
  guint           http_requests;
  InstaSyncUsage  usage;
  /* The usage headers of the last HTTP response alone. */
  InstaSyncUsage  response_usage;
  /* The ids of the account being synced, to pick its own entries out of
   * X-Business-Use-Case-Usage; NULL when unknown. */
  char           *usage_ig_user_id;
  char           *usage_page_id;
};

G_DEFINE_FINAL_TYPE (InstaSyncGraphClient, instasync_graph_client, G_TYPE_OBJECT)

/* Auxiliary */

/* The parameter the API checks when the app requires it: the token signed
 * with the App Secret, so that a stolen token alone is not enough. NULL
 * without a secret or a token. */
static char *
appsecret_proof (InstaSyncGraphClient *self,
                 const char           *access_token)
{
  if (self->app_secret == NULL || access_token == NULL || *access_token == '\0')
    return NULL;

  return instasync_graph_appsecret_proof (self->app_secret, access_token);
}

static char *
build_url (InstaSyncGraphClient *self,
           const char           *path,
           const char * const   *params,
           const char           *proof)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autofree char *relative = NULL;
  gsize base_length = strlen (self->base_url);

  for (guint i = 0; params != NULL && params[i] != NULL && params[i + 1] != NULL; i += 2)
    {
      g_ptr_array_add (all, (char *)params[i]);
      g_ptr_array_add (all, (char *)params[i + 1]);
    }
  if (proof != NULL)
    {
      g_ptr_array_add (all, (char *)"appsecret_proof");
      g_ptr_array_add (all, (char *)proof);
    }
  g_ptr_array_add (all, NULL);
  relative = _instasync_graph_client_relative_url (path, (const char * const *)all->pdata);

  /* Ids come from users and databases: the relative part is escaped. */
  while (base_length > 0 && self->base_url[base_length - 1] == '/')
    base_length--;

  return g_strdup_printf ("%.*s/%s/%s", (int)base_length, self->base_url,
                          self->api_version, relative);
}

static void
read_usage_headers (InstaSyncGraphClient *self,
                    SoupMessage          *message)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (message);

  instasync_usage_init (&self->response_usage);
  instasync_usage_parse_app (&self->response_usage,
                             soup_message_headers_get_one (headers, "X-App-Usage"));
  instasync_usage_parse_business_for (&self->response_usage,
                                      soup_message_headers_get_one (headers,
                                                                    "X-Business-Use-Case-Usage"),
                                      self->usage_ig_user_id, self->usage_page_id);
  instasync_usage_update (&self->usage, &self->response_usage);
}

/* Sleeps in short steps so that cancelling a sync does not wait out a backoff. */
static gboolean
sleep_cancellable (guint         ms,
                   GCancellable *cancellable)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)ms * 1000;

  for (;;)
    {
      gint64 remaining = deadline - g_get_monotonic_time ();

      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;
      if (remaining <= 0)
        break;
      g_usleep ((gulong)MIN (50000, remaining));
    }

  return !g_cancellable_is_cancelled (cancellable);
}

static guint
backoff_delay_ms (InstaSyncGraphClient *self,
                  guint                 attempt)
{
  guint64 delay = (guint64)self->base_delay_ms << MIN (attempt, 16u);

  delay = MIN (delay, (guint64)self->max_delay_ms);
  /* Full jitter keeps many workers from retrying in lockstep. */
  return delay == 0 ? 0 : (guint)g_random_int_range ((gint32)(delay / 2), (gint32)delay + 1);
}

/* One HTTP request; sets *retryable when another attempt may succeed. */
static JsonNode *
send_once (InstaSyncGraphClient *self,
           const char           *url,
           const char           *form,
           const char           *access_token,
           GCancellable         *cancellable,
           gboolean             *retryable,
           GError              **error)
{
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *data;
  gsize length;
  guint status;

  *retryable = FALSE;

  message = soup_message_new (form != NULL ? SOUP_METHOD_POST : SOUP_METHOD_GET, url);
  if (message == NULL)
    {
      g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFIG,
                           _("The Graph API address is not a valid URL"));
      return NULL;
    }

  /* A redirect would carry the Authorization header to another host. */
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);

  if (form != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (form, strlen (form));

      soup_message_set_request_body_from_bytes (message, "application/x-www-form-urlencoded",
                                                bytes);
    }

  if (access_token != NULL)
    {
      g_autofree char *authorization = g_strdup_printf ("Bearer %s", access_token);

      soup_message_headers_replace (soup_message_get_request_headers (message),
                                    "Authorization", authorization);
    }

  self->http_requests++;
  body = soup_session_send_and_read (self->session, message, cancellable, &local_error);
  if (body == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_CANCELLED,
                               _("The sync was cancelled"));
          return NULL;
        }

      *retryable = TRUE;
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NETWORK,
                   _("Could not reach the Graph API: %s"), local_error->message);
      return NULL;
    }

  status = soup_message_get_status (message);
  read_usage_headers (self, message);

  data = g_bytes_get_data (body, &length);
  root = instasync_json_parse (data, length, &local_error);

  if (status >= 200 && status < 300)
    {
      if (root == NULL)
        {
          /* A truncated body is what a proxy or an overloaded front end
           * produces; the same request usually works the next time. */
          *retryable = TRUE;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      return g_steal_pointer (&root);
    }

  if (root != NULL && instasync_graph_error_set_from_json (error, root, status))
    {
      InstaSyncErrorAction action;

      if (instasync_usage_get_percent (&self->usage) >= 100)
        instasync_graph_error_set_usage_exhausted (*error);

      action = instasync_error_classify (*error);

      if (action == INSTASYNC_ERROR_ACTION_BACK_OFF && self->usage.regain_minutes >= 0)
        instasync_graph_error_set_regain_minutes (*error, self->usage.regain_minutes);
      *retryable = action == INSTASYNC_ERROR_ACTION_RETRY;
      return NULL;
    }

  *retryable = status >= 500 || status == 429;
  g_set_error (error, INSTASYNC_ERROR,
               *retryable ? INSTASYNC_ERROR_HTTP : INSTASYNC_ERROR_FAILED,
               _("The Graph API answered HTTP %u (%s) without an error description"),
               status, soup_status_get_phrase (status) ? soup_status_get_phrase (status) : "?");
  return NULL;
}

/* GObject overrides */

static void
instasync_graph_client_finalize (GObject *object)
{
  InstaSyncGraphClient *self = (InstaSyncGraphClient *)object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->api_version, g_free);
  g_clear_pointer (&self->app_secret, instasync_secret_free);
  g_clear_pointer (&self->usage_ig_user_id, g_free);
  g_clear_pointer (&self->usage_page_id, g_free);

  G_OBJECT_CLASS (instasync_graph_client_parent_class)->finalize (object);
}

static void
instasync_graph_client_class_init (InstaSyncGraphClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = instasync_graph_client_finalize;
}

static void
instasync_graph_client_init (InstaSyncGraphClient *self)
{
  g_autofree char *user_agent = g_strdup_printf ("InstaSync/%s", PACKAGE_VERSION);

  self->session = soup_session_new_with_options ("user-agent", user_agent,
                                                 "timeout", 60,
                                                 "max-conns-per-host", 4,
                                                 NULL);
  self->max_attempts = 3;
  self->base_delay_ms = 1000;
  self->max_delay_ms = 30000;
  instasync_usage_init (&self->usage);
  instasync_usage_init (&self->response_usage);
}

/* Public API */

InstaSyncGraphClient *
instasync_graph_client_new (const char *base_url,
                            const char *api_version)
{
  InstaSyncGraphClient *self;

  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (api_version != NULL, NULL);

  self = g_object_new (INSTASYNC_TYPE_GRAPH_CLIENT, NULL);
  self->base_url = g_strdup (base_url);
  self->api_version = g_strdup (api_version);

  return self;
}

const char *
instasync_graph_client_get_base_url (InstaSyncGraphClient *self)
{
  g_return_val_if_fail (INSTASYNC_IS_GRAPH_CLIENT (self), NULL);
  return self->base_url;
}

const char *
instasync_graph_client_get_api_version (InstaSyncGraphClient *self)
{
  g_return_val_if_fail (INSTASYNC_IS_GRAPH_CLIENT (self), NULL);
  return self->api_version;
}

guint
instasync_graph_client_get_version_major (InstaSyncGraphClient *self)
{
  const char *p;
  guint64 major;

  g_return_val_if_fail (INSTASYNC_IS_GRAPH_CLIENT (self), 0);

  p = self->api_version;
  if (*p == 'v' || *p == 'V')
    p++;
  major = g_ascii_strtoull (p, NULL, 10);
  return (guint)MIN (major, G_MAXUINT);
}

void
instasync_graph_client_set_retry_policy (InstaSyncGraphClient *self,
                                         guint                 max_attempts,
                                         guint                 base_delay_ms,
                                         guint                 max_delay_ms)
{
  g_return_if_fail (INSTASYNC_IS_GRAPH_CLIENT (self));

  self->max_attempts = MAX (max_attempts, 1);
  self->base_delay_ms = base_delay_ms;
  self->max_delay_ms = MAX (max_delay_ms, base_delay_ms);
}

void
instasync_graph_client_set_timeout (InstaSyncGraphClient *self,
                                    guint                 seconds)
{
  g_return_if_fail (INSTASYNC_IS_GRAPH_CLIENT (self));

  soup_session_set_timeout (self->session, seconds);
}

/* One API call with retries: GET when @form is NULL, else a form POST.
 * @secrets are further values (NULL-terminated) that must not appear in an
 * error, e.g. what the URL carries. */
static JsonNode *
request (InstaSyncGraphClient  *self,
         const char            *url,
         const char            *form,
         const char            *access_token,
         const char            *proof,
         const char * const    *secrets,
         GCancellable          *cancellable,
         GError               **error)
{
  for (guint attempt = 0; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      gboolean retryable = FALSE;
      JsonNode *root;

      root = send_once (self, url, form, access_token, cancellable, &retryable, &local_error);
      if (root != NULL)
        return root;

      /* The API's messages are not ours: some echo the token back, and a
       * lower layer may quote the URL. */
      instasync_error_redact (local_error, access_token);
      instasync_error_redact (local_error, proof);
      instasync_error_redact (local_error, self->app_secret);
      for (guint i = 0; secrets != NULL && secrets[i] != NULL; i++)
        instasync_error_redact (local_error, secrets[i]);
      instasync_error_redact_params (local_error);

      if (!retryable || attempt + 1 >= self->max_attempts)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      g_debug ("Attempt %u of %u failed (%s); retrying", attempt + 1, self->max_attempts,
               local_error->message);

      if (!_instasync_graph_client_backoff (self, attempt, cancellable, error))
        return NULL;
    }
}

gboolean
_instasync_graph_client_backoff (InstaSyncGraphClient  *self,
                                 guint                  attempt,
                                 GCancellable          *cancellable,
                                 GError               **error)
{
  if (!sleep_cancellable (backoff_delay_ms (self, attempt), cancellable))
    {
      g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_CANCELLED,
                           _("The sync was cancelled"));
      return FALSE;
    }
  return TRUE;
}

guint
_instasync_graph_client_get_max_attempts (InstaSyncGraphClient *self)
{
  return self->max_attempts;
}

void
_instasync_graph_client_note_batch_usage (InstaSyncGraphClient *self,
                                          const InstaSyncUsage *operations)
{
  InstaSyncUsage reading = self->response_usage;

  /* The batch response and its operations' headers are readings of one
   * moment: the highest of them is the latest. */
  instasync_usage_combine (&reading, operations);
  instasync_usage_update (&self->usage, &reading);
}

const char *
_instasync_graph_client_get_usage_ig_user_id (InstaSyncGraphClient *self)
{
  return self->usage_ig_user_id;
}

const char *
_instasync_graph_client_get_usage_page_id (InstaSyncGraphClient *self)
{
  return self->usage_page_id;
}

void
_instasync_graph_client_count_calls (InstaSyncGraphClient *self,
                                     guint                 api_calls)
{
  self->api_calls += api_calls;
}

JsonNode *
_instasync_graph_client_post (InstaSyncGraphClient  *self,
                              const char            *form,
                              const char            *access_token,
                              GCancellable          *cancellable,
                              GError               **error)
{
  g_autofree char *url = build_url (self, "", NULL, NULL);
  g_autoptr(InstaSyncSecret) proof = appsecret_proof (self, access_token);
  g_autoptr(InstaSyncSecret) signed_form = NULL;

  /* In the body, with the batch: its operations inherit the token and
   * the proof of the request that carries them. */
  if (proof != NULL)
    signed_form = g_strdup_printf ("%s%sappsecret_proof=%s", form,
                                   *form != '\0' ? "&" : "", proof);

  return request (self, url, signed_form != NULL ? signed_form : form, access_token, proof,
                  NULL, cancellable, error);
}

JsonNode *
instasync_graph_client_get (InstaSyncGraphClient  *self,
                            const char            *path,
                            const char * const    *params,
                            const char            *access_token,
                            GCancellable          *cancellable,
                            GError               **error)
{
  g_autoptr(InstaSyncSecret) url = NULL;
  g_autoptr(InstaSyncSecret) proof = NULL;
  g_autoptr(GPtrArray) secrets = g_ptr_array_new ();

  g_return_val_if_fail (INSTASYNC_IS_GRAPH_CLIENT (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Parameters such as input_token or client_secret travel in the URL of
   * the token endpoints: their values are kept out of errors too. */
  for (guint i = 0; params != NULL && params[i] != NULL && params[i + 1] != NULL; i += 2)
    if (instasync_is_secret_param (params[i]))
      g_ptr_array_add (secrets, (char *)params[i + 1]);
  g_ptr_array_add (secrets, NULL);

  proof = appsecret_proof (self, access_token);
  url = build_url (self, path, params, proof);
  self->api_calls++;

  return request (self, url, NULL, access_token, proof, (const char * const *)secrets->pdata,
                  cancellable, error);
}

gboolean
instasync_graph_client_get_ig_user (InstaSyncGraphClient  *self,
                                    const char            *ig_user_id,
                                    const char            *access_token,
                                    GCancellable          *cancellable,
                                    char                 **username,
                                    GError               **error)
{
  const char * const params[] = { "fields", "id,username", NULL };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  const char *id;
  const char *name;

  g_return_val_if_fail (INSTASYNC_IS_GRAPH_CLIENT (self), FALSE);
  g_return_val_if_fail (ig_user_id != NULL && *ig_user_id != '\0', FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (username != NULL)
    *username = NULL;

  root = instasync_graph_client_get (self, ig_user_id, params, access_token, cancellable, error);
  if (root == NULL)
    return FALSE;

  object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  id = object != NULL ? json_object_get_string_member_with_default (object, "id", NULL) : NULL;
  /* The node answers with its own id: anything else is not the account. */
  if (g_strcmp0 (id, ig_user_id) != 0)
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_UNEXPECTED_SHAPE,
                   _("The Graph API did not answer with Instagram account %s"), ig_user_id);
      return FALSE;
    }

  name = json_object_get_string_member_with_default (object, "username", NULL);
  if (username != NULL && name != NULL && *name != '\0')
    *username = g_strdup (name);
  return TRUE;
}

void
instasync_graph_client_set_app_secret (InstaSyncGraphClient *self,
                                       const char           *app_secret)
{
  g_return_if_fail (INSTASYNC_IS_GRAPH_CLIENT (self));

  g_clear_pointer (&self->app_secret, instasync_secret_free);
  if (app_secret != NULL && *app_secret != '\0')
    self->app_secret = g_strdup (app_secret);
}

gboolean
instasync_graph_client_has_app_secret (InstaSyncGraphClient *self)
{
  g_return_val_if_fail (INSTASYNC_IS_GRAPH_CLIENT (self), FALSE);
  return self->app_secret != NULL;
}

char *
instasync_graph_appsecret_proof (const char *app_secret,
                                 const char *access_token)
{
  g_return_val_if_fail (app_secret != NULL, NULL);
  g_return_val_if_fail (access_token != NULL, NULL);

  /* GLib's hex digests are lowercase, as the API wants them. */
  return g_compute_hmac_for_data (G_CHECKSUM_SHA256,
                                  (const guchar *)app_secret, strlen (app_secret),
                                  (const guchar *)access_token, strlen (access_token));
}

char *
_instasync_graph_client_relative_url (const char         *path,
                                      const char * const *params)
{
  GString *url = g_string_new (NULL);
  g_autofree char *escaped_path = NULL;

  while (*path == '/')
    path++;
  escaped_path = g_uri_escape_string (path, "/", FALSE);
  g_string_append (url, escaped_path);

  for (guint i = 0; params != NULL && params[i] != NULL && params[i + 1] != NULL; i += 2)
    {
      g_autofree char *name = g_uri_escape_string (params[i], NULL, FALSE);
      g_autofree char *value = g_uri_escape_string (params[i + 1], NULL, FALSE);

      g_string_append_printf (url, "%c%s=%s", i == 0 ? '?' : '&', name, value);
    }

  return g_string_free (url, FALSE);
}

guint
instasync_graph_client_get_api_calls (InstaSyncGraphClient *self)
{
  g_return_val_if_fail (INSTASYNC_IS_GRAPH_CLIENT (self), 0);
  return self->api_calls;
}

guint
instasync_graph_client_get_http_requests (InstaSyncGraphClient *self)
{
  g_return_val_if_fail (INSTASYNC_IS_GRAPH_CLIENT (self), 0);
  return self->http_requests;
}

const InstaSyncUsage *
instasync_graph_client_get_usage (InstaSyncGraphClient *self)
{
  g_return_val_if_fail (INSTASYNC_IS_GRAPH_CLIENT (self), NULL);
  return &self->usage;
}

void
instasync_graph_client_reset_business_usage (InstaSyncGraphClient *self)
{
  g_return_if_fail (INSTASYNC_IS_GRAPH_CLIENT (self));

  self->usage.business_known = FALSE;
  self->usage.business_percent = 0;
  self->usage.regain_minutes = -1;
}

void
instasync_graph_client_set_usage_account (InstaSyncGraphClient *self,
                                          const char           *ig_user_id,
                                          const char           *page_id)
{
  g_return_if_fail (INSTASYNC_IS_GRAPH_CLIENT (self));

  g_free (self->usage_ig_user_id);
  self->usage_ig_user_id = g_strdup (ig_user_id != NULL && *ig_user_id != '\0' ? ig_user_id : NULL);
  g_free (self->usage_page_id);
  self->usage_page_id = g_strdup (page_id != NULL && *page_id != '\0' ? page_id : NULL);
}
