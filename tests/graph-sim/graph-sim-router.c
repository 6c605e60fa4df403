/* graph-sim-router.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "graph-sim-router"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "graph-sim-private.h"

gboolean
_graph_sim_split_version (const char  *path,
                          int         *version,
                          const char **rest)
{
  const char *p = path;
  gint64 major = 0;

  *version = 0;
  *rest = path;

  while (*p == '/')
    p++;

  if (p[0] != 'v' || !g_ascii_isdigit (p[1]))
    return FALSE;

  for (p++; g_ascii_isdigit (*p); p++)
    major = MIN (major * 10 + (*p - '0'), 1000);

  if (*p == '.')
    {
      for (p++; g_ascii_isdigit (*p); p++)
        ;
    }

  if (*p != '/' && *p != '\0')
    return FALSE;

  *version = (int) major;
  *rest = p;

  return TRUE;
}

/* Like soup_form_decode(), but into a table that owns keys and values
 * separately, so callers can add and replace entries freely. */
GHashTable *
_graph_sim_form_decode (const char *encoded,
                        gssize      len)
{
  GHashTable *params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *text = NULL;
  g_autoptr(GHashTable) decoded = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (encoded == NULL)
    return params;

  text = len < 0 ? g_strdup (encoded) : g_strndup (encoded, len);
  decoded = soup_form_decode (text);
  g_hash_table_iter_init (&iter, decoded);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (params, g_strdup (key), g_strdup (value));

  return params;
}

static gboolean
is_object_id (const char *segment)
{
  if (segment == NULL || *segment == '\0')
    return FALSE;

  for (const char *p = segment; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
    }

  return TRUE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

char *
_graph_sim_build_url (GraphSimCall *call,
                      const char   *path,
                      GHashTable   *params)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  GString *url = g_string_new (call->base_url);
  GHashTableIter iter;
  gpointer key_ptr;

  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, &key_ptr, NULL))
    g_ptr_array_add (keys, key_ptr);

  /* Sorted so that equal queries give equal links. */
  g_ptr_array_sort (keys, compare_strings);

  g_string_append_printf (url, "/v%d.0%s", call->version > 0 ? call->version : GRAPH_SIM_DEFAULT_VERSION,
                          path);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);

      g_string_append_c (url, i == 0 ? '?' : '&');
      g_string_append_uri_escaped (url, key, NULL, FALSE);
      g_string_append_c (url, '=');
      g_string_append_uri_escaped (url, g_hash_table_lookup (params, key), NULL, FALSE);
    }

  return g_string_free (url, FALSE);
}

void
_graph_sim_unsupported (GraphSimReply *reply,
                        const char    *method,
                        const char    *id)
{
  g_autofree char *lower = g_ascii_strdown (method, -1);

  _graph_sim_reply_error (reply, 400, 100, 33, FALSE,
                          "Unsupported %s request. Object with ID '%s' does not exist, cannot be "
                          "loaded due to missing permissions, or does not support this operation. "
                          "Please read the Graph API documentation at "
                          "https://developers.facebook.com/docs/graph-api",
                          lower, id);
}

char *
_graph_sim_token_error_message (GraphSimState *state,
                                GraphSimToken *token,
                                int           *subcode)
{
  gint64 now = _graph_sim_state_now (state);
  gboolean expired = token->state == GRAPH_SIM_TOKEN_EXPIRED ||
                     (token->expires_at != 0 && token->expires_at <= now);

  /* A revoked session wins over a merely expired one. */
  if (token->state == GRAPH_SIM_TOKEN_PASSWORD_CHANGED)
    {
      *subcode = 460;
      return g_strdup ("Error validating access token: The session has been invalidated because "
                       "the user changed their password or Facebook has changed the session for "
                       "security reasons.");
    }

  if (token->state == GRAPH_SIM_TOKEN_INVALID)
    {
      *subcode = 467;
      return g_strdup ("Error validating access token: The session is invalid because the user "
                       "logged out.");
    }

  if (expired)
    {
      gint64 expired_at = token->expires_at;
      g_autofree char *then = NULL;
      g_autofree char *current = NULL;

      /* A token marked expired without a date expired an hour ago, on
       * the hour, like real sessions do. */
      if (expired_at == 0 || expired_at > now)
        expired_at = (now - 3600) - ((now - 3600) % 3600);

      then = _graph_sim_format_pacific_time (expired_at);
      current = _graph_sim_format_pacific_time (now);
      *subcode = 463;
      return g_strdup_printf ("Error validating access token: Session has expired on %s. "
                              "The current time is %s.", then, current);
    }

  *subcode = 0;
  return NULL;
}

void
_graph_sim_token_error (GraphSimState *state,
                        GraphSimToken *token,
                        GraphSimReply *reply)
{
  g_autofree char *message = NULL;
  int subcode = 0;

  message = _graph_sim_token_error_message (state, token, &subcode);
  g_assert (message != NULL);
  _graph_sim_reply_error_literal (reply, 400, 190, subcode, FALSE, message);
}

GraphSimToken *
_graph_sim_auth (GraphSimState *state,
                 GraphSimCall  *call,
                 GraphSimReply *reply)
{
  const char *text = g_hash_table_lookup (call->params, "access_token");
  GraphSimToken *token;
  g_autofree char *message = NULL;
  int subcode = 0;

  if (text == NULL || *text == '\0')
    text = call->bearer;

  if (text == NULL || *text == '\0')
    {
      _graph_sim_reply_error_literal (reply, 400, 104, 0, FALSE,
                                      "An access token is required to request this resource.");
      return NULL;
    }

  token = g_hash_table_lookup (state->tokens, text);
  if (token == NULL)
    {
      _graph_sim_reply_error_literal (reply, 400, 190, 0, FALSE, "Invalid OAuth access token");
      return NULL;
    }

  message = _graph_sim_token_error_message (state, token, &subcode);
  if (message != NULL)
    {
      _graph_sim_reply_error_literal (reply, 400, 190, subcode, FALSE, message);
      return NULL;
    }

  /* Every route that calls this serves the user's data. The reference
   * names no subcode for ended data access (§2.2 lists 458–492, none of
   * them this) and quotes no message for it; it does say that 190 without
   * a subcode means "get a new token", which is what ended data access
   * asks of the person. Hence 190 alone, with wording of our own. */
  if (state->enforce_data_access &&
      _graph_sim_token_data_access_expires_at (state, token) <= _graph_sim_state_now (state))
    {
      _graph_sim_reply_error_literal (reply, 400, 190, 0, FALSE,
                                      "Error validating access token: Data access for this user "
                                      "has expired. The user must log in again to renew it.");
      return NULL;
    }

  return token;
}

static void
unknown_path (GraphSimReply *reply,
              const char    *path)
{
  _graph_sim_reply_error (reply, 400, 2500, 0, FALSE, "Unknown path components: %s", path);
}

static void
route_ig_account (GraphSimState *state,
                  GraphSimCall  *call,
                  const char    *ig_id,
                  gboolean       insights,
                  GraphSimReply *reply)
{
  GraphSimToken *token;
  GraphSimAccount *account;
  const char *scope = insights ? "instagram_manage_insights" : "instagram_basic";

  token = _graph_sim_auth (state, call, reply);
  if (token == NULL)
    return;

  account = g_hash_table_lookup (state->accounts, ig_id);
  if (account == NULL || !_graph_sim_user_owns_account (token->user, ig_id) ||
      !g_str_equal (call->method, "GET"))
    {
      _graph_sim_unsupported (reply, call->method, ig_id);
      return;
    }

  reply->account_id = g_strdup (ig_id);

  if (!_graph_sim_user_has_scope (token->user, scope))
    {
      _graph_sim_reply_error_literal (reply, 403, 10, 0, FALSE,
                                      "(#10) Application does not have permission for this action");
      return;
    }

  if (!_graph_sim_usage_admit (state, ig_id, reply))
    return;

  if (insights)
    _graph_sim_insights (state, call, token, account, reply);
  else
    _graph_sim_ig_node (state, call, account, reply);
}

static void
route_call (GraphSimState *state,
            GraphSimCall  *call,
            GraphSimReply *reply)
{
  g_auto(GStrv) parts = g_strsplit (call->path, "/", -1);
  g_autoptr(GPtrArray) segments = g_ptr_array_new ();
  const char *first;
  GraphSimFault *fault;
  GraphSimToken *token;

  reply->version = call->version > 0 ? call->version : GRAPH_SIM_DEFAULT_VERSION;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (*parts[i] != '\0')
        g_ptr_array_add (segments, parts[i]);
    }

  /* The CDN's files are no API calls: not counted, no token, no fault. */
  if (!call->in_batch && g_str_equal (call->method, "GET") &&
      _graph_sim_static (state, segments, reply))
    return;

  /* The batch wrapper is no API call of its own: its operations are. */
  if (segments->len == 0 && g_str_equal (call->method, "POST") && !call->in_batch)
    {
      _graph_sim_batch (state, call, reply);
      return;
    }

  g_atomic_int_inc (&state->api_calls);

  first = segments->len > 0 ? g_ptr_array_index (segments, 0) : NULL;
  fault = _graph_sim_faults_match (state, call->path,
                                   is_object_id (first) ? first : NULL,
                                   g_hash_table_lookup (call->params, "metric"),
                                   call->in_batch);
  if (fault != NULL)
    {
      if (is_object_id (first) && g_hash_table_contains (state->accounts, first))
        reply->account_id = g_strdup (first);
      _graph_sim_fault_apply (fault, reply);
      return;
    }

  if (segments->len == 0)
    {
      _graph_sim_reply_error (reply, 400, 100, 0, FALSE,
                              "(#100) Unsupported %s request.",
                              g_str_equal (call->method, "GET") ? "get" : "post");
      return;
    }

  if (segments->len == 1 && g_str_equal (first, "debug_token"))
    {
      if (!g_str_equal (call->method, "GET"))
        _graph_sim_unsupported (reply, call->method, "debug_token");
      else
        _graph_sim_debug_token (state, call, reply);
      return;
    }

  if (segments->len == 2 && g_str_equal (first, "oauth") &&
      g_str_equal (g_ptr_array_index (segments, 1), "access_token"))
    {
      /* The API takes the exchange as GET or POST alike. */
      if (g_str_equal (call->method, "GET") || g_str_equal (call->method, "POST"))
        _graph_sim_oauth_access_token (state, call, reply);
      else
        _graph_sim_unsupported (reply, call->method, "access_token");
      return;
    }

  if (segments->len == 2 && g_str_equal (first, "dialog") &&
      g_str_equal (g_ptr_array_index (segments, 1), "oauth"))
    {
      _graph_sim_oauth_dialog (state, call, reply);
      return;
    }

  if (g_str_equal (first, "me") && segments->len <= 2)
    {
      const char *edge = segments->len == 2 ? g_ptr_array_index (segments, 1) : NULL;

      if (edge != NULL && !g_str_equal (edge, "accounts"))
        {
          _graph_sim_reply_error (reply, 400, 100, 0, FALSE,
                                  "(#100) Tried accessing nonexisting field (%s) on node type (User)",
                                  edge);
          return;
        }

      token = _graph_sim_auth (state, call, reply);
      if (token == NULL)
        return;

      if (!g_str_equal (call->method, "GET"))
        {
          _graph_sim_unsupported (reply, call->method, token->user->id);
          return;
        }

      if (!_graph_sim_usage_admit (state, NULL, reply))
        return;

      if (edge == NULL)
        _graph_sim_me (state, call, token, reply);
      else
        _graph_sim_me_accounts (state, call, token, reply);
      return;
    }

  if (is_object_id (first) && segments->len == 1)
    {
      route_ig_account (state, call, first, FALSE, reply);
      return;
    }

  if (is_object_id (first) && segments->len == 2 &&
      g_str_equal (g_ptr_array_index (segments, 1), "insights"))
    {
      route_ig_account (state, call, first, TRUE, reply);
      return;
    }

  if (is_object_id (first) && segments->len == 2)
    {
      token = _graph_sim_auth (state, call, reply);
      if (token == NULL)
        return;
      if (g_hash_table_contains (state->accounts, first) &&
          _graph_sim_user_owns_account (token->user, first))
        _graph_sim_reply_error (reply, 400, 100, 0, FALSE,
                                "(#100) Tried accessing nonexisting field (%s) on node type (IGUser)",
                                (const char *) g_ptr_array_index (segments, 1));
      else
        _graph_sim_unsupported (reply, call->method, first);
      return;
    }

  unknown_path (reply, call->path);
}

static gboolean
is_throttle_code (int code)
{
  switch (code)
    {
    case 4:
    case 17:
    case 32:
    case 613:
    case 80001:
    case 80002:
      return TRUE;
    default:
      return FALSE;
    }
}

void
_graph_sim_route (GraphSimState *state,
                  GraphSimCall  *call,
                  GraphSimReply *reply)
{
  /* The proof belongs to the request that carries the token: a batch's
   * operations inherit both. */
  if (!call->in_batch && !_graph_sim_check_appsecret_proof (state, call, reply))
    return;

  route_call (state, call, reply);

  /* Counted here, where every single call and every batch operation passes,
   * so that a benchmark can tell how often a client was throttled. A batch
   * wrapper never carries one of these codes itself. */
  if (is_throttle_code (reply->error_code))
    g_atomic_int_inc (&state->throttle_errors);
}
