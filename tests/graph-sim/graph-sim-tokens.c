/* graph-sim-tokens.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "graph-sim-tokens"

#include "config.h"

#include <string.h>

#include "graph-sim-private.h"

#define CODE_TOKEN_LIFETIME      GRAPH_SIM_CODE_TOKEN_LIFETIME
#define EXCHANGE_TOKEN_LIFETIME  GRAPH_SIM_EXCHANGE_TOKEN_LIFETIME
#define DATA_ACCESS_LIFETIME     GRAPH_SIM_DATA_ACCESS_LIFETIME

static gint64
token_issued_at (GraphSimState *state,
                 GraphSimToken *token)
{
  gint64 now = _graph_sim_state_now (state);

  return token->issued_at != 0 ? token->issued_at : now - 3600;
}

gint64
_graph_sim_token_data_access_expires_at (GraphSimState *state,
                                         GraphSimToken *token)
{
  if (token->data_access_expires_at != 0)
    return token->data_access_expires_at;

  return token_issued_at (state, token) + DATA_ACCESS_LIFETIME;
}

GraphSimToken *
_graph_sim_issue_token (GraphSimState *state,
                        GraphSimUser  *user,
                        gint64         lifetime)
{
  gint64 now = _graph_sim_state_now (state);
  g_autofree char *text = NULL;
  GraphSimToken *token;

  /* Long and opaque like the real ones; the serial keeps them unique
   * even with a frozen clock. */
  text = g_strdup_printf ("EAAS%sZD%04u%08x%08x", user->id, ++state->token_serial,
                          g_random_int (), g_random_int ());
  token = _graph_sim_state_add_token (state, user, text, "USER");
  _graph_sim_state_note_issued (state->issued_tokens, text);
  token->issued_at = now;
  token->expires_at = now + lifetime;
  token->data_access_expires_at = now + DATA_ACCESS_LIFETIME;
  token->short_lived = lifetime <= GRAPH_SIM_SHORT_TOKEN_LIFETIME;

  return token;
}

static void
token_reply (GraphSimReply *reply,
             const char    *token,
             gint64         expires_in)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "access_token");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "token_type");
  json_builder_add_string_value (builder, "bearer");
  if (expires_in > 0)
    {
      json_builder_set_member_name (builder, "expires_in");
      json_builder_add_int_value (builder, expires_in);
    }
  json_builder_end_object (builder);

  _graph_sim_reply_json (reply, 200, builder);
}

static void
add_granular_scopes (JsonBuilder  *builder,
                     GraphSimUser *user)
{
  json_builder_set_member_name (builder, "granular_scopes");
  json_builder_begin_array (builder);
  for (guint i = 0; user->scopes != NULL && user->scopes[i] != NULL; i++)
    {
      const char *scope = user->scopes[i];
      gboolean ig = g_str_has_prefix (scope, "instagram_");
      gboolean pages = g_str_has_prefix (scope, "pages_");

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "scope");
      json_builder_add_string_value (builder, scope);
      if (ig || pages)
        {
          json_builder_set_member_name (builder, "target_ids");
          json_builder_begin_array (builder);
          for (guint j = 0; j < user->pages->len; j++)
            {
              GraphSimPage *page = g_ptr_array_index (user->pages, j);

              if (pages)
                json_builder_add_string_value (builder, page->id);
              else if (page->ig_id != NULL)
                json_builder_add_string_value (builder, page->ig_id);
            }
          json_builder_end_array (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

void
_graph_sim_debug_token (GraphSimState *state,
                        GraphSimCall  *call,
                        GraphSimReply *reply)
{
  const char *input = g_hash_table_lookup (call->params, "input_token");
  const char *access = g_hash_table_lookup (call->params, "access_token");
  g_autofree char *app_token = g_strdup_printf ("%s|%s", state->app_id, state->app_secret);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *message = NULL;
  GraphSimToken *token;
  GraphSimToken *caller;
  int subcode = 0;

  if (access == NULL || *access == '\0')
    access = call->bearer;

  /* The app token is the documented caller; a valid user token of the
   * app may inspect tokens too. */
  caller = access != NULL ? g_hash_table_lookup (state->tokens, access) : NULL;
  if (access == NULL || *access == '\0')
    {
      _graph_sim_reply_error_literal (reply, 400, 104, 0, FALSE,
                                      "An access token is required to request this resource.");
      return;
    }
  if (!g_str_equal (access, app_token))
    {
      g_autofree char *caller_error = NULL;

      if (caller == NULL)
        {
          _graph_sim_reply_error_literal (reply, 400, 190, 0, FALSE, "Invalid OAuth access token");
          return;
        }
      caller_error = _graph_sim_token_error_message (state, caller, &subcode);
      if (caller_error != NULL)
        {
          _graph_sim_reply_error_literal (reply, 400, 190, subcode, FALSE, caller_error);
          return;
        }
    }

  if (!_graph_sim_usage_admit (state, NULL, reply))
    return;

  if (input == NULL || *input == '\0')
    {
      _graph_sim_reply_error_literal (reply, 400, 100, 0, FALSE,
                                      "(#100) The parameter input_token is required");
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_object (builder);

  token = g_hash_table_lookup (state->tokens, input);
  if (token == NULL)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "code");
      json_builder_add_int_value (builder, 190);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, "Invalid OAuth access token.");
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "is_valid");
      json_builder_add_boolean_value (builder, FALSE);
      json_builder_set_member_name (builder, "scopes");
      json_builder_begin_array (builder);
      json_builder_end_array (builder);
    }
  else
    {
      subcode = 0;
      message = _graph_sim_token_error_message (state, token, &subcode);

      json_builder_set_member_name (builder, "app_id");
      json_builder_add_string_value (builder, state->app_id);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, token->type);
      json_builder_set_member_name (builder, "application");
      json_builder_add_string_value (builder, "InstaSync Simulator");
      json_builder_set_member_name (builder, "data_access_expires_at");
      json_builder_add_int_value (builder,
                                  _graph_sim_token_data_access_expires_at (state, token));
      json_builder_set_member_name (builder, "expires_at");
      json_builder_add_int_value (builder, token->expires_at);
      json_builder_set_member_name (builder, "is_valid");
      json_builder_add_boolean_value (builder, message == NULL);
      json_builder_set_member_name (builder, "issued_at");
      json_builder_add_int_value (builder, token_issued_at (state, token));
      if (g_str_equal (token->type, "PAGE"))
        {
          /* A page token names the page it acts for. */
          const char *page_id = token->token + strlen ("sim-page-token-");
          g_autofree char *id = g_strndup (page_id, strcspn (page_id, "-"));

          json_builder_set_member_name (builder, "profile_id");
          json_builder_add_string_value (builder, id);
        }
      json_builder_set_member_name (builder, "scopes");
      json_builder_begin_array (builder);
      for (guint i = 0; token->user->scopes != NULL && token->user->scopes[i] != NULL; i++)
        json_builder_add_string_value (builder, token->user->scopes[i]);
      json_builder_end_array (builder);
      add_granular_scopes (builder, token->user);
      json_builder_set_member_name (builder, "user_id");
      json_builder_add_string_value (builder, token->user->id);

      if (message != NULL)
        {
          json_builder_set_member_name (builder, "error");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "code");
          json_builder_add_int_value (builder, 190);
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, message);
          json_builder_set_member_name (builder, "subcode");
          json_builder_add_int_value (builder, subcode);
          json_builder_end_object (builder);
        }
    }

  json_builder_end_object (builder);
  json_builder_end_object (builder);

  _graph_sim_reply_json (reply, 200, builder);
}

static gboolean
check_client (GraphSimState *state,
              GraphSimCall  *call,
              GraphSimReply *reply)
{
  const char *client_id = g_hash_table_lookup (call->params, "client_id");
  const char *secret = g_hash_table_lookup (call->params, "client_secret");

  if (client_id == NULL || *client_id == '\0')
    {
      _graph_sim_reply_error_literal (reply, 400, 101, 0, FALSE, "Missing client_id parameter.");
      return FALSE;
    }

  if (!g_str_equal (client_id, state->app_id))
    {
      _graph_sim_reply_error_literal (reply, 400, 101, 0, FALSE,
                                      "Error validating application. Invalid application ID.");
      return FALSE;
    }

  if (secret == NULL || *secret == '\0')
    {
      _graph_sim_reply_error_literal (reply, 400, 1, 0, FALSE, "Missing client_secret parameter.");
      return FALSE;
    }

  if (!g_str_equal (secret, state->app_secret))
    {
      _graph_sim_reply_error_literal (reply, 400, 1, 0, FALSE, "Error validating client secret.");
      return FALSE;
    }

  return TRUE;
}

void
_graph_sim_oauth_access_token (GraphSimState *state,
                               GraphSimCall  *call,
                               GraphSimReply *reply)
{
  const char *grant_type = g_hash_table_lookup (call->params, "grant_type");
  const char *code_text = g_hash_table_lookup (call->params, "code");
  const char *redirect_uri = g_hash_table_lookup (call->params, "redirect_uri");

  if (!check_client (state, call, reply))
    return;

  if (!_graph_sim_usage_admit (state, NULL, reply))
    return;

  if (g_strcmp0 (grant_type, "fb_exchange_token") == 0)
    {
      const char *old_text = g_hash_table_lookup (call->params, "fb_exchange_token");
      GraphSimToken *old;
      GraphSimToken *fresh;

      if (old_text == NULL || *old_text == '\0')
        {
          _graph_sim_reply_error_literal (reply, 400, 100, 0, FALSE,
                                          "(#100) Missing fb_exchange_token parameter");
          return;
        }

      old = g_hash_table_lookup (state->tokens, old_text);
      if (old == NULL)
        {
          _graph_sim_reply_error_literal (reply, 400, 190, 0, FALSE, "Invalid OAuth access token");
          return;
        }

      {
        g_autofree char *message = NULL;
        int subcode = 0;

        message = _graph_sim_token_error_message (state, old, &subcode);
        if (message != NULL)
          {
            _graph_sim_reply_error_literal (reply, 400, 190, subcode, FALSE, message);
            return;
          }
      }

      /* The reference cannot say what a long-lived token is exchanged for
       * (§5.2): "same" answers with the token itself and what is left of
       * its lifetime, as if the API had nothing longer to give. A
       * short-lived token is always made long-lived. */
      if (state->exchange_same_long_lived && !old->short_lived)
        {
          gint64 now = _graph_sim_state_now (state);

          token_reply (reply, old->token,
                       old->expires_at != 0 ? MAX (old->expires_at - now, 1) : 0);
          return;
        }

      /* The old token keeps working: the exchange adds a token. Data
       * access belongs to the person's login, not to a token, so the new
       * token's ends when the old one's does: only a new login renews it. */
      fresh = _graph_sim_issue_token (state, old->user, EXCHANGE_TOKEN_LIFETIME);
      fresh->data_access_expires_at = _graph_sim_token_data_access_expires_at (state, old);
      token_reply (reply, fresh->token, EXCHANGE_TOKEN_LIFETIME);
      return;
    }

  if (g_strcmp0 (grant_type, "client_credentials") == 0)
    {
      g_autofree char *app_token = g_strdup_printf ("%s|%s", state->app_id, state->app_secret);

      _graph_sim_state_note_issued (state->issued_tokens, app_token);
      token_reply (reply, app_token, 0);
      return;
    }

  if (grant_type != NULL && !g_str_equal (grant_type, "authorization_code"))
    {
      _graph_sim_reply_error (reply, 400, 100, 0, FALSE,
                              "(#100) Unsupported grant_type %s", grant_type);
      return;
    }

  if (code_text == NULL || *code_text == '\0')
    {
      _graph_sim_reply_error_literal (reply, 400, 100, 0, FALSE, "(#100) Missing code parameter.");
      return;
    }

  if (redirect_uri == NULL || *redirect_uri == '\0')
    {
      _graph_sim_reply_error_literal (reply, 400, 191, 0, FALSE, "Missing redirect_uri parameter.");
      return;
    }

  {
    GraphSimCode *code = g_hash_table_lookup (state->codes, code_text);
    GraphSimToken *fresh;

    if (code == NULL)
      {
        _graph_sim_reply_error_literal (reply, 400, 100, 0, FALSE, "Invalid verification code format.");
        return;
      }

    if (code->used)
      {
        _graph_sim_reply_error_literal (reply, 400, 100, 36009, FALSE,
                                        "This authorization code has been used.");
        return;
      }

    if (code->redirect_uri != NULL && !g_str_equal (code->redirect_uri, redirect_uri))
      {
        _graph_sim_reply_error_literal (reply, 400, 100, 36008, FALSE,
                                        "Error validating verification code. Please make sure "
                                        "your redirect_uri is identical to the one you used in "
                                        "the OAuth dialog request");
        return;
      }

    code->used = TRUE;
    fresh = _graph_sim_issue_token (state, code->user, CODE_TOKEN_LIFETIME);
    token_reply (reply, fresh->token, CODE_TOKEN_LIFETIME);
  }
}

gboolean
_graph_sim_check_appsecret_proof (GraphSimState *state,
                                  GraphSimCall  *call,
                                  GraphSimReply *reply)
{
  const char *token = g_hash_table_lookup (call->params, "access_token");
  const char *proof = g_hash_table_lookup (call->params, "appsecret_proof");
  g_autofree char *app_token = g_strdup_printf ("%s|%s", state->app_id, state->app_secret);
  g_autofree char *expected = NULL;

  if (token == NULL || *token == '\0')
    token = call->bearer;

  /* No token, or the app's own (which holds the secret): nothing to prove. */
  if (token == NULL || *token == '\0' || g_str_equal (token, app_token))
    return TRUE;

  if (proof == NULL || *proof == '\0')
    {
      if (!state->require_appsecret_proof)
        return TRUE;

      _graph_sim_reply_error_literal (reply, 400, 100, 0, FALSE,
                                      "API calls from the server require an appsecret_proof "
                                      "argument");
      return FALSE;
    }

  /* A proof is checked whenever one is sent, as the API does. */
  expected = g_compute_hmac_for_string (G_CHECKSUM_SHA256,
                                        (const guchar *) state->app_secret,
                                        strlen (state->app_secret), token, -1);
  if (!g_str_equal (proof, expected))
    {
      _graph_sim_reply_error_literal (reply, 400, 100, 0, FALSE,
                                      "Invalid appsecret_proof provided in the API argument");
      return FALSE;
    }

  return TRUE;
}
