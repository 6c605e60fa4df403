/* graph-sim.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "graph-sim"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "graph-sim-private.h"

struct _GraphSim
{
  GObject        parent_instance;

  /* Guards state: the server thread and the test thread share it. */
  GMutex         lock;
  GraphSimState *state;

  GThread       *thread;
  GMainContext  *context;
  GMainLoop     *loop;
  guint          requested_port;
  guint          port;
  guint          request_count;   /* atomic */

  /* Start-up handshake with the server thread. */
  GMutex         start_lock;
  GCond          start_cond;
  gboolean       start_done;
  GError        *start_error;
};

G_DEFINE_FINAL_TYPE (GraphSim, graph_sim, G_TYPE_OBJECT)

G_DEFINE_QUARK (graph-sim-error-quark, graph_sim_error)

/* Auxiliary */

static GHashTable *
copy_params (GHashTable *query)
{
  GHashTable *params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  if (query == NULL)
    return params;

  g_hash_table_iter_init (&iter, query);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (params, g_strdup (key), g_strdup (value));

  return params;
}

static void
merge_form_body (SoupServerMessage *msg,
                 GHashTable        *params)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GHashTable) form = NULL;
  GHashTableIter iter;
  gpointer key, value;
  gsize len = 0;
  const char *data;

  if (body == NULL)
    return;
  if (content_type != NULL && g_ascii_strcasecmp (content_type, "application/x-www-form-urlencoded") != 0)
    return;

  bytes = soup_message_body_flatten (body);
  data = g_bytes_get_data (bytes, &len);
  if (len == 0)
    return;

  form = _graph_sim_form_decode (data, len);
  g_hash_table_iter_init (&iter, form);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (params, g_strdup (key), g_strdup (value));
}

static const char *
bearer_token (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");

  if (authorization == NULL)
    return NULL;
  if (g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
    return authorization + 7;
  if (g_ascii_strncasecmp (authorization, "OAuth ", 6) == 0)
    return authorization + 6;

  return NULL;
}

static gboolean
unpause_cb (gpointer data)
{
  SoupServerMessage *msg = data;

  soup_server_message_unpause (msg);

  return G_SOURCE_REMOVE;
}

/* Callbacks */

static void
handle_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  GraphSim *self = user_data;
  g_autoptr(GHashTable) params = copy_params (query);
  g_autoptr(GPtrArray) headers = NULL;
  g_autofree char *base_url = graph_sim_get_base_url (self);
  GraphSimReply reply = { 0 };
  GraphSimCall call = { 0 };
  SoupMessageHeaders *response_headers;
  const char *rest = path;
  int version = 0;
  guint latency;

  g_atomic_int_inc (&self->request_count);

  if (g_str_equal (soup_server_message_get_method (msg), "POST"))
    merge_form_body (msg, params);

  _graph_sim_split_version (path, &version, &rest);

  call.method = soup_server_message_get_method (msg);
  call.path = *rest != '\0' ? rest : "/";
  call.version = version;
  call.params = params;
  call.bearer = bearer_token (msg);
  call.base_url = base_url;
  call.in_batch = FALSE;

  g_mutex_lock (&self->lock);
  _graph_sim_route (self->state, &call, &reply);
  headers = _graph_sim_reply_headers (self->state, &reply);
  latency = self->state->latency_ms;
  g_mutex_unlock (&self->lock);

  if (reply.delivery == GRAPH_SIM_DELIVER_DROP)
    {
      g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);
      static const char partial[] = "HTTP/1.1 ";

      /* A few bytes of a status line first: an HTTP client silently re-sends
       * a request whose reused keep-alive connection closes before any byte
       * arrives, which would hide the fault depending on connection reuse. */
      g_output_stream_write_all (g_io_stream_get_output_stream (stream),
                                 partial, sizeof partial - 1, NULL, NULL, NULL);
      g_io_stream_close (stream, NULL, NULL);
      _graph_sim_reply_clear (&reply);
      return;
    }

  response_headers = soup_server_message_get_response_headers (msg);
  for (guint i = 0; i + 1 < headers->len; i += 2)
    {
      const char *name = g_ptr_array_index (headers, i);

      if (g_ascii_strcasecmp (name, "Content-Type") != 0)
        soup_message_headers_replace (response_headers, name, g_ptr_array_index (headers, i + 1));
    }

  soup_server_message_set_status (msg, reply.status, NULL);
  if (reply.body != NULL)
    {
      gsize len = reply.body_length != 0 ? reply.body_length : strlen (reply.body);

      soup_server_message_set_response (msg,
                                        reply.content_type != NULL
                                          ? reply.content_type
                                          : "application/json; charset=UTF-8",
                                        SOUP_MEMORY_TAKE, g_steal_pointer (&reply.body), len);
    }

  if (latency > 0)
    {
      g_autoptr(GSource) source = g_timeout_source_new (latency);

      soup_server_message_pause (msg);
      g_source_set_callback (source, unpause_cb, g_object_ref (msg), g_object_unref);
      g_source_attach (source, g_main_context_get_thread_default ());
    }

  _graph_sim_reply_clear (&reply);
}

static gboolean
signal_started_cb (gpointer data)
{
  GraphSim *self = data;

  g_mutex_lock (&self->start_lock);
  self->start_done = TRUE;
  g_cond_signal (&self->start_cond);
  g_mutex_unlock (&self->start_lock);

  return G_SOURCE_REMOVE;
}

static gpointer
server_thread (gpointer data)
{
  GraphSim *self = data;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (self->context);

  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, handle_cb, self, NULL);

  /* Loopback only: the simulator must never be reachable from outside. */
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, (guint16) self->requested_port);

  if (!soup_server_listen (server, address, 0, &error))
    {
      g_mutex_lock (&self->start_lock);
      self->start_error = g_steal_pointer (&error);
      self->start_done = TRUE;
      g_cond_signal (&self->start_cond);
      g_mutex_unlock (&self->start_lock);
      g_main_context_pop_thread_default (self->context);
      return NULL;
    }

  uris = soup_server_get_uris (server);
  if (uris != NULL)
    g_atomic_int_set (&self->port, g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  /* Signal from inside the loop so that a stop right after start finds
   * the loop running and can quit it. */
  {
    g_autoptr(GSource) idle = g_idle_source_new ();

    g_source_set_callback (idle, signal_started_cb, self, NULL);
    g_source_attach (idle, self->context);
  }

  g_main_loop_run (self->loop);

  soup_server_disconnect (server);
  g_clear_object (&server);

  /* Let pending sources (paused messages) finish releasing their refs. */
  while (g_main_context_iteration (self->context, FALSE))
    ;

  g_main_context_pop_thread_default (self->context);

  return NULL;
}

static gboolean
replace_state (GraphSim       *self,
               GraphSimState  *fresh)
{
  GraphSimState *old;

  g_mutex_lock (&self->lock);
  old = self->state;
  fresh->api_calls = g_atomic_int_get (&old->api_calls);
  fresh->throttle_errors = g_atomic_int_get (&old->throttle_errors);
  self->state = fresh;
  g_mutex_unlock (&self->lock);

  _graph_sim_state_free (old);

  return TRUE;
}

static GStrv
dup_strings (GPtrArray *strings)
{
  GStrv copy = g_new0 (char *, strings->len + 1);

  for (guint i = 0; i < strings->len; i++)
    copy[i] = g_strdup (g_ptr_array_index (strings, i));
  return copy;
}

/* GObject overrides */

static void
graph_sim_dispose (GObject *object)
{
  GraphSim *self = GRAPH_SIM (object);

  graph_sim_stop (self);

  G_OBJECT_CLASS (graph_sim_parent_class)->dispose (object);
}

static void
graph_sim_finalize (GObject *object)
{
  GraphSim *self = GRAPH_SIM (object);

  _graph_sim_state_free (self->state);
  g_clear_error (&self->start_error);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->start_lock);
  g_cond_clear (&self->start_cond);

  G_OBJECT_CLASS (graph_sim_parent_class)->finalize (object);
}

static void
graph_sim_class_init (GraphSimClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = graph_sim_dispose;
  object_class->finalize = graph_sim_finalize;
}

static void
graph_sim_init (GraphSim *self)
{
  g_mutex_init (&self->lock);
  g_mutex_init (&self->start_lock);
  g_cond_init (&self->start_cond);
  self->state = _graph_sim_state_new ();
}

/* Public API */

/**
 * graph_sim_new:
 *
 * Returns: (transfer full): a simulator with no users and no accounts.
 */
GraphSim *
graph_sim_new (void)
{
  return g_object_new (GRAPH_TYPE_SIM, NULL);
}

/**
 * graph_sim_load_scenario_data:
 *
 * Replaces the whole simulated world with the one described by @json.
 * On failure the previous world stays in place.
 */
gboolean
graph_sim_load_scenario_data (GraphSim    *self,
                              const char  *json,
                              gssize       len,
                              GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  GraphSimState *fresh;

  g_return_val_if_fail (GRAPH_IS_SIM (self), FALSE);
  g_return_val_if_fail (json != NULL, FALSE);

  if (!json_parser_load_from_data (parser, json, len, error))
    {
      g_prefix_error (error, "Scenario: ");
      return FALSE;
    }

  fresh = _graph_sim_state_new ();
  if (!_graph_sim_scenario_load (fresh, json_parser_get_root (parser), error))
    {
      _graph_sim_state_free (fresh);
      return FALSE;
    }

  return replace_state (self, fresh);
}

gboolean
graph_sim_load_scenario_file (GraphSim    *self,
                              const char  *path,
                              GError     **error)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_return_val_if_fail (GRAPH_IS_SIM (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_get_contents (path, &contents, &len, error))
    return FALSE;

  return graph_sim_load_scenario_data (self, contents, (gssize) len, error);
}

/**
 * graph_sim_load_demo:
 *
 * Loads the built-in demo world (see README.md).
 */
gboolean
graph_sim_load_demo (GraphSim  *self,
                     GError   **error)
{
  return graph_sim_load_scenario_data (self, _graph_sim_demo_scenario, -1, error);
}

/**
 * graph_sim_add_fault:
 * @spec: `KIND[:key=value]…`, as for `--fault`
 *
 * Adds a fault to the current world.
 */
gboolean
graph_sim_add_fault (GraphSim    *self,
                     const char  *spec,
                     GError     **error)
{
  GraphSimFault *fault;

  g_return_val_if_fail (GRAPH_IS_SIM (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  fault = _graph_sim_fault_parse_spec (spec, error);
  if (fault == NULL)
    return FALSE;

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->state->faults, fault);
  g_mutex_unlock (&self->lock);

  return TRUE;
}

void
graph_sim_set_latency_ms (GraphSim *self,
                          guint     ms)
{
  g_return_if_fail (GRAPH_IS_SIM (self));

  g_mutex_lock (&self->lock);
  self->state->latency_ms = ms;
  g_mutex_unlock (&self->lock);
}

/**
 * graph_sim_set_now:
 * @unix_seconds: the simulated current time, or 0 for the real clock
 */
void
graph_sim_set_now (GraphSim *self,
                   gint64    unix_seconds)
{
  g_return_if_fail (GRAPH_IS_SIM (self));

  g_mutex_lock (&self->lock);
  self->state->now = MAX (unix_seconds, 0);
  g_mutex_unlock (&self->lock);
}

/**
 * graph_sim_set_token_state:
 * @state: "valid", "expired", "password_changed" or "invalid"
 *
 * Returns: %FALSE if the token is unknown or the state is not one of those.
 */
gboolean
graph_sim_set_token_state (GraphSim   *self,
                           const char *token,
                           const char *state)
{
  GraphSimTokenState value;
  GraphSimToken *record;
  gboolean found = FALSE;

  g_return_val_if_fail (GRAPH_IS_SIM (self), FALSE);
  g_return_val_if_fail (token != NULL, FALSE);

  if (!_graph_sim_token_state_parse (state, &value))
    return FALSE;

  g_mutex_lock (&self->lock);
  record = g_hash_table_lookup (self->state->tokens, token);
  if (record != NULL)
    {
      record->state = value;
      /* Making a token valid again also lifts a past expiry date. */
      if (value == GRAPH_SIM_TOKEN_VALID)
        record->expires_at = 0;
      found = TRUE;
    }
  g_mutex_unlock (&self->lock);

  return found;
}

/**
 * graph_sim_set_login_outcome:
 * @outcome: "approve", "deny", "cancel", or "page" (or %NULL) to show the
 *   login page and wait for a click
 *
 * What the login dialog does from now on when a request does not choose
 * with `sim_outcome`.
 *
 * Returns: %FALSE if @outcome is none of those.
 */
gboolean
graph_sim_set_login_outcome (GraphSim   *self,
                             const char *outcome)
{
  GraphSimLoginOutcome value = GRAPH_SIM_LOGIN_PAGE;

  g_return_val_if_fail (GRAPH_IS_SIM (self), FALSE);

  if (outcome != NULL && !_graph_sim_login_outcome_parse (outcome, &value))
    return FALSE;

  g_mutex_lock (&self->lock);
  self->state->login_outcome = value;
  g_mutex_unlock (&self->lock);

  return TRUE;
}

void
graph_sim_set_app_secret (GraphSim   *self,
                          const char *secret)
{
  g_return_if_fail (GRAPH_IS_SIM (self));

  g_mutex_lock (&self->lock);
  if (secret != NULL)
    {
      g_free (self->state->app_secret);
      self->state->app_secret = g_strdup (secret);
    }
  self->state->require_appsecret_proof = secret != NULL;
  g_mutex_unlock (&self->lock);
}

void
graph_sim_set_enforce_limits (GraphSim *self,
                              gboolean  enforce)
{
  g_return_if_fail (GRAPH_IS_SIM (self));

  g_mutex_lock (&self->lock);
  self->state->enforce_limits = !!enforce;
  g_mutex_unlock (&self->lock);
}

gboolean
graph_sim_set_exchange_long_lived (GraphSim   *self,
                                   const char *mode)
{
  gboolean same;

  g_return_val_if_fail (GRAPH_IS_SIM (self), FALSE);

  if (!_graph_sim_exchange_mode_parse (mode, &same))
    return FALSE;

  g_mutex_lock (&self->lock);
  self->state->exchange_same_long_lived = same;
  g_mutex_unlock (&self->lock);

  return TRUE;
}

gboolean
graph_sim_set_data_access_expiry (GraphSim   *self,
                                  const char *mode)
{
  gboolean enforced;

  g_return_val_if_fail (GRAPH_IS_SIM (self), FALSE);

  if (!_graph_sim_data_access_mode_parse (mode, &enforced))
    return FALSE;

  g_mutex_lock (&self->lock);
  self->state->enforce_data_access = enforced;
  g_mutex_unlock (&self->lock);

  return TRUE;
}

/**
 * graph_sim_set_usage_headers:
 * @where: "per_operation" or "wrapper"
 *
 * Returns: %FALSE if @where is neither.
 */
gboolean
graph_sim_set_usage_headers (GraphSim   *self,
                             const char *where)
{
  GraphSimUsageHeaders value;

  g_return_val_if_fail (GRAPH_IS_SIM (self), FALSE);

  if (!_graph_sim_usage_headers_parse (where, &value))
    return FALSE;

  g_mutex_lock (&self->lock);
  self->state->usage_headers = value;
  g_mutex_unlock (&self->lock);

  return TRUE;
}

void
graph_sim_set_usage_headers_after_calls (GraphSim *self,
                                         guint     calls)
{
  g_return_if_fail (GRAPH_IS_SIM (self));

  g_mutex_lock (&self->lock);
  self->state->usage_headers_after_calls = calls;
  g_mutex_unlock (&self->lock);
}

/**
 * graph_sim_set_business_usage_key:
 * @key: "ig_user_id" or "page_id"
 *
 * Returns: %FALSE if @key is neither.
 */
gboolean
graph_sim_set_business_usage_key (GraphSim   *self,
                                  const char *key)
{
  GraphSimBusinessKey value;

  g_return_val_if_fail (GRAPH_IS_SIM (self), FALSE);

  if (!_graph_sim_business_key_parse (key, &value))
    return FALSE;

  g_mutex_lock (&self->lock);
  self->state->business_usage_key = value;
  g_mutex_unlock (&self->lock);

  return TRUE;
}

void
graph_sim_set_until_inclusive (GraphSim *self,
                               gboolean  inclusive)
{
  g_return_if_fail (GRAPH_IS_SIM (self));

  graph_sim_set_until_reading (self, inclusive ? "overlap_inclusive" : "overlap");
}

gboolean
graph_sim_set_until_reading (GraphSim   *self,
                             const char *reading)
{
  GraphSimReading parsed;

  g_return_val_if_fail (GRAPH_IS_SIM (self), FALSE);

  if (!_graph_sim_reading_parse (reading, &parsed))
    return FALSE;

  g_mutex_lock (&self->lock);
  self->state->until_reading = parsed;
  self->state->total_value_reading = parsed;
  g_mutex_unlock (&self->lock);
  return TRUE;
}

gboolean
graph_sim_set_total_value_reading (GraphSim   *self,
                                   const char *reading)
{
  GraphSimReading parsed;

  g_return_val_if_fail (GRAPH_IS_SIM (self), FALSE);

  if (!_graph_sim_reading_parse (reading, &parsed))
    return FALSE;

  g_mutex_lock (&self->lock);
  self->state->total_value_reading = parsed;
  g_mutex_unlock (&self->lock);
  return TRUE;
}

gboolean
graph_sim_set_empty_total (GraphSim   *self,
                           const char *answer)
{
  GraphSimEmptyTotal parsed;

  g_return_val_if_fail (GRAPH_IS_SIM (self), FALSE);

  if (!_graph_sim_empty_total_parse (answer, &parsed))
    return FALSE;

  g_mutex_lock (&self->lock);
  self->state->empty_total = parsed;
  g_mutex_unlock (&self->lock);
  return TRUE;
}

gboolean
graph_sim_set_account_timezone (GraphSim   *self,
                                const char *ig_user_id,
                                const char *zone)
{
  g_autoptr(GTimeZone) tz = NULL;
  GraphSimAccount *account;
  gboolean found;

  g_return_val_if_fail (GRAPH_IS_SIM (self), FALSE);
  g_return_val_if_fail (ig_user_id != NULL && zone != NULL, FALSE);

  tz = g_time_zone_new_identifier (zone);
  if (tz == NULL)
    return FALSE;

  g_mutex_lock (&self->lock);
  account = g_hash_table_lookup (self->state->accounts, ig_user_id);
  found = account != NULL;
  if (found)
    {
      g_time_zone_unref (account->timezone);
      account->timezone = g_steal_pointer (&tz);
    }
  g_mutex_unlock (&self->lock);
  return found;
}

/**
 * graph_sim_start:
 * @port: the port to listen on, or 0 for any free port
 *
 * Starts serving on 127.0.0.1 from a thread of the simulator's own, so
 * the caller may block on requests to it.
 */
gboolean
graph_sim_start (GraphSim  *self,
                 guint      port,
                 GError   **error)
{
  g_return_val_if_fail (GRAPH_IS_SIM (self), FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);

  if (self->thread != NULL)
    {
      g_set_error (error, GRAPH_SIM_ERROR, GRAPH_SIM_ERROR_STATE, "The simulator is already running");
      return FALSE;
    }

  self->requested_port = port;
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->start_done = FALSE;
  g_clear_error (&self->start_error);

  self->thread = g_thread_new ("graph-sim", server_thread, self);

  g_mutex_lock (&self->start_lock);
  while (!self->start_done)
    g_cond_wait (&self->start_cond, &self->start_lock);
  g_mutex_unlock (&self->start_lock);

  if (self->start_error != NULL)
    {
      g_thread_join (g_steal_pointer (&self->thread));
      g_clear_pointer (&self->loop, g_main_loop_unref);
      g_clear_pointer (&self->context, g_main_context_unref);
      g_propagate_error (error, g_steal_pointer (&self->start_error));
      return FALSE;
    }

  return TRUE;
}

void
graph_sim_stop (GraphSim *self)
{
  g_return_if_fail (GRAPH_IS_SIM (self));

  if (self->thread == NULL)
    return;

  g_main_loop_quit (self->loop);
  g_thread_join (g_steal_pointer (&self->thread));
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_atomic_int_set (&self->port, 0);
}

/**
 * graph_sim_get_base_url:
 *
 * Returns: (transfer full) (nullable): `http://127.0.0.1:PORT`, or %NULL
 *   when not running
 */
char *
graph_sim_get_base_url (GraphSim *self)
{
  guint port;

  g_return_val_if_fail (GRAPH_IS_SIM (self), NULL);

  port = g_atomic_int_get (&self->port);
  if (port == 0)
    return NULL;

  return g_strdup_printf ("http://127.0.0.1:%u", port);
}

guint
graph_sim_get_request_count (GraphSim *self)
{
  g_return_val_if_fail (GRAPH_IS_SIM (self), 0);

  return g_atomic_int_get (&self->request_count);
}

guint
graph_sim_get_api_call_count (GraphSim *self)
{
  guint count;

  g_return_val_if_fail (GRAPH_IS_SIM (self), 0);

  g_mutex_lock (&self->lock);
  count = g_atomic_int_get (&self->state->api_calls);
  g_mutex_unlock (&self->lock);

  return count;
}

/**
 * graph_sim_dup_issued_tokens:
 *
 * Returns: (transfer full): every token handed out since the scenario was
 *   loaded (see graph-sim.h), %NULL-terminated; free with g_strfreev().
 */
GStrv
graph_sim_dup_issued_tokens (GraphSim *self)
{
  GStrv tokens;

  g_return_val_if_fail (GRAPH_IS_SIM (self), NULL);

  g_mutex_lock (&self->lock);
  tokens = dup_strings (self->state->issued_tokens);
  g_mutex_unlock (&self->lock);

  return tokens;
}

/**
 * graph_sim_dup_issued_codes:
 *
 * Returns: (transfer full): every code the login dialog handed out since
 *   the scenario was loaded, %NULL-terminated; free with g_strfreev().
 */
GStrv
graph_sim_dup_issued_codes (GraphSim *self)
{
  GStrv codes;

  g_return_val_if_fail (GRAPH_IS_SIM (self), NULL);

  g_mutex_lock (&self->lock);
  codes = dup_strings (self->state->issued_codes);
  g_mutex_unlock (&self->lock);

  return codes;
}

guint
graph_sim_get_throttle_error_count (GraphSim *self)
{
  guint count;

  g_return_val_if_fail (GRAPH_IS_SIM (self), 0);

  g_mutex_lock (&self->lock);
  count = g_atomic_int_get (&self->state->throttle_errors);
  g_mutex_unlock (&self->lock);

  return count;
}
