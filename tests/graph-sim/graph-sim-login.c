/* graph-sim-login.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Facebook Login dialog, /dialog/oauth (reference §5.1): a page that
 * asks the simulated person, and the redirect their answer produces.
 */

#define G_LOG_DOMAIN "graph-sim-login"

#include "config.h"

#include <string.h>

#include "graph-sim-private.h"

#define HTML_TYPE "text/html; charset=utf-8"

/* Parameters that steer the simulator, never part of the real dialog. */
static const char * const sim_params[] = { "sim_outcome", "sim_deny", NULL };

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
append_param (GString    *url,
              gboolean    first,
              const char *name,
              const char *value)
{
  if (!first)
    g_string_append_c (url, '&');
  g_string_append (url, name);
  g_string_append_c (url, '=');
  g_string_append_uri_escaped (url, value, NULL, FALSE);
}

/* Whether `extras` asks for the Instagram onboarding variant, the one that
 * returns a long-lived token with the short one. */
static gboolean
is_onboarding (const char *extras)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonNode *setup;
  JsonNode *channel;

  if (extras == NULL || !json_parser_load_from_data (parser, extras, -1, NULL))
    return FALSE;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  setup = json_object_get_member (json_node_get_object (root), "setup");
  if (setup == NULL || !JSON_NODE_HOLDS_OBJECT (setup))
    return FALSE;
  channel = json_object_get_member (json_node_get_object (setup), "channel");

  return channel != NULL && JSON_NODE_HOLDS_VALUE (channel) &&
         json_node_get_value_type (channel) == G_TYPE_STRING &&
         g_strcmp0 (json_node_get_string (channel), "IG_API_ONBOARDING") == 0;
}

static gboolean
parse_response_type (const char *text,
                     gboolean   *wants_code,
                     gboolean   *wants_token)
{
  g_auto(GStrv) words = g_strsplit_set (text != NULL ? text : "code", " ,+", -1);

  *wants_code = FALSE;
  *wants_token = FALSE;

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (g_str_equal (words[i], "code"))
        *wants_code = TRUE;
      else if (g_str_equal (words[i], "token"))
        *wants_token = TRUE;
      else if (!g_str_equal (words[i], "granted_scopes") && *words[i] != '\0')
        return FALSE;
    }

  /* Without either, the dialog's default: a code. */
  if (!*wants_code && !*wants_token)
    *wants_code = TRUE;

  return TRUE;
}

static char *
escape (const char *text)
{
  return g_markup_escape_text (text != NULL ? text : "", -1);
}

static void
reply_page (GraphSimState *state,
            GraphSimCall  *call,
            GraphSimUser  *user,
            GraphSimReply *reply)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  const char *scope = g_hash_table_lookup (call->params, "scope");
  g_auto(GStrv) scopes = g_strsplit (scope != NULL ? scope : "", ",", -1);
  g_autofree char *app_id = escape (state->app_id);
  g_autofree char *user_name = escape (user->name);
  g_autofree char *action = call->version > 0
                            ? g_strdup_printf ("/v%d.0/dialog/oauth", call->version)
                            : g_strdup ("/dialog/oauth");
  GString *html = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key;

  g_string_append_printf (html,
                          "<!DOCTYPE html>\n"
                          "<html lang=\"en\">\n"
                          "<head><meta charset=\"utf-8\"><title>Log in with Facebook</title></head>\n"
                          "<body>\n"
                          "<h1>Log in with Facebook</h1>\n"
                          "<p>InstaSync Simulator (app <code>%s</code>) would like to access "
                          "your Pages and Instagram accounts:</p>\n"
                          "<ul id=\"scopes\">\n",
                          app_id);
  for (guint i = 0; scopes[i] != NULL; i++)
    {
      g_autofree char *item = escape (g_strstrip (scopes[i]));

      if (*item != '\0')
        g_string_append_printf (html, "<li>%s</li>\n", item);
    }
  g_string_append_printf (html,
                          "</ul>\n"
                          "<p>Logged in as <strong id=\"user\">%s</strong>.</p>\n"
                          /* Back to this dialog, with the query made of the
                           * fields below. */
                          "<form method=\"get\" action=\"%s\">\n",
                          user_name, action);

  g_hash_table_iter_init (&iter, call->params);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_strv_contains (sim_params, key))
      g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, compare_strings);

  for (guint i = 0; i < keys->len; i++)
    {
      const char *name = g_ptr_array_index (keys, i);
      g_autofree char *escaped_name = escape (name);
      g_autofree char *escaped_value = escape (g_hash_table_lookup (call->params, name));

      g_string_append_printf (html, "<input type=\"hidden\" name=\"%s\" value=\"%s\">\n",
                              escaped_name, escaped_value);
    }

  g_string_append_printf (html,
                          "<button type=\"submit\" id=\"approve\" name=\"sim_outcome\" "
                          "value=\"approve\">Continue as %s</button>\n"
                          "<button type=\"submit\" id=\"deny\" name=\"sim_outcome\" "
                          "value=\"deny\">Don't allow</button>\n"
                          "<button type=\"submit\" id=\"cancel\" name=\"sim_outcome\" "
                          "value=\"cancel\">Cancel</button>\n"
                          "</form>\n"
                          "</body>\n"
                          "</html>\n",
                          user_name);

  reply->status = 200;
  reply->content_type = HTML_TYPE;
  g_free (reply->body);
  reply->body = g_string_free (html, FALSE);
}

static GraphSimUser *
find_user (GraphSimState *state,
           const char    *user_id)
{
  for (guint i = 0; i < state->users->len; i++)
    {
      GraphSimUser *candidate = g_ptr_array_index (state->users, i);

      if (user_id == NULL || g_str_equal (candidate->id, user_id))
        return candidate;
    }

  return NULL;
}

void
_graph_sim_oauth_dialog (GraphSimState *state,
                         GraphSimCall  *call,
                         GraphSimReply *reply)
{
  const char *client_id = g_hash_table_lookup (call->params, "client_id");
  const char *redirect_uri = g_hash_table_lookup (call->params, "redirect_uri");
  const char *response_type = g_hash_table_lookup (call->params, "response_type");
  const char *state_param = g_hash_table_lookup (call->params, "state");
  const char *user_id = g_hash_table_lookup (call->params, "sim_user");
  const char *outcome_param = g_hash_table_lookup (call->params, "sim_outcome");
  const char *extras = g_hash_table_lookup (call->params, "extras");
  g_autoptr(GUri) redirect = NULL;
  GraphSimLoginOutcome outcome = state->login_outcome;
  GString *location;
  GraphSimUser *user;
  gboolean wants_code, wants_token;
  gboolean in_query;

  if (!g_str_equal (call->method, "GET"))
    {
      _graph_sim_unsupported (reply, call->method, "oauth");
      return;
    }

  if (client_id == NULL || !g_str_equal (client_id, state->app_id))
    {
      _graph_sim_reply_error_literal (reply, 400, 101, 0, FALSE,
                                      "Error validating application. Invalid application ID.");
      return;
    }

  if (redirect_uri == NULL || *redirect_uri == '\0')
    {
      _graph_sim_reply_error_literal (reply, 400, 191, 0, FALSE, "Missing redirect_uri parameter.");
      return;
    }

  /* The answer is appended to it: it must be absolute and carry no
   * fragment of its own. */
  redirect = g_uri_parse (redirect_uri, G_URI_FLAGS_ENCODED, NULL);
  if (redirect == NULL || g_uri_get_host (redirect) == NULL || g_uri_get_fragment (redirect) != NULL ||
      (g_strcmp0 (g_uri_get_scheme (redirect), "https") != 0 &&
       g_strcmp0 (g_uri_get_scheme (redirect), "http") != 0))
    {
      _graph_sim_reply_error_literal (reply, 400, 191, 0, FALSE,
                                      "The redirect_uri must be an absolute http or https URL "
                                      "without a fragment.");
      return;
    }

  if (!parse_response_type (response_type, &wants_code, &wants_token))
    {
      _graph_sim_reply_error (reply, 400, 100, 0, FALSE,
                              "(#100) Invalid response_type: %s", response_type);
      return;
    }

  user = find_user (state, user_id);
  if (user == NULL)
    {
      _graph_sim_reply_error_literal (reply, 400, 100, 0, FALSE,
                                      user_id != NULL
                                        ? "(#100) sim_user is not a user of the scenario"
                                        : "(#100) The scenario has no user to log in");
      return;
    }

  if (outcome_param != NULL && !_graph_sim_login_outcome_parse (outcome_param, &outcome))
    {
      _graph_sim_reply_error_literal (reply, 400, 100, 0, FALSE,
                                      "(#100) sim_outcome must be approve, deny, cancel or page");
      return;
    }
  if (outcome_param == NULL && g_strcmp0 (g_hash_table_lookup (call->params, "sim_deny"), "1") == 0)
    outcome = GRAPH_SIM_LOGIN_DENY;

  if (outcome == GRAPH_SIM_LOGIN_PAGE)
    {
      reply_page (state, call, user, reply);
      return;
    }

  location = g_string_new (redirect_uri);

  /* Tokens travel in the fragment, which browsers never send to a server;
   * codes and errors in the query, followed by Facebook's junk "#_=_". */
  in_query = outcome != GRAPH_SIM_LOGIN_APPROVE || !wants_token;
  g_string_append_c (location, !in_query ? '#' : g_uri_get_query (redirect) != NULL ? '&' : '?');

  if (outcome == GRAPH_SIM_LOGIN_DENY)
    {
      g_string_append (location, "error=access_denied&error_code=200"
                                 "&error_description=Permissions+error&error_reason=user_denied");
    }
  else if (outcome == GRAPH_SIM_LOGIN_CANCEL)
    {
      /* Meta's manual-flow page gives exactly this for a cancelled login. */
      g_string_append (location, "error_reason=user_denied&error=access_denied"
                                 "&error_description=Permissions+error");
    }
  else
    {
      g_autofree char *code_text = NULL;

      if (wants_code)
        {
          GraphSimCode *code = g_new0 (GraphSimCode, 1);

          code->code = g_strdup_printf ("AQSim%04u%08x%08x", ++state->token_serial,
                                        g_random_int (), g_random_int ());
          code->user = user;
          code->redirect_uri = g_strdup (redirect_uri);
          g_hash_table_replace (state->codes, code->code, code);
          _graph_sim_state_note_issued (state->issued_codes, code->code);
          code_text = g_strdup (code->code);
        }

      if (wants_token)
        {
          GraphSimToken *short_token = _graph_sim_issue_token (state, user,
                                                               GRAPH_SIM_SHORT_TOKEN_LIFETIME);
          g_autofree char *data_access = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                          short_token->data_access_expires_at);
          g_autofree char *expires_in = g_strdup_printf ("%d", GRAPH_SIM_SHORT_TOKEN_LIFETIME);

          append_param (location, TRUE, "access_token", short_token->token);
          if (code_text != NULL)
            append_param (location, FALSE, "code", code_text);
          append_param (location, FALSE, "data_access_expiration_time", data_access);
          append_param (location, FALSE, "expires_in", expires_in);
          if (is_onboarding (extras))
            {
              GraphSimToken *long_token = _graph_sim_issue_token (state, user,
                                                                  GRAPH_SIM_EXCHANGE_TOKEN_LIFETIME);

              append_param (location, FALSE, "long_lived_token", long_token->token);
            }
        }
      else
        {
          append_param (location, TRUE, "code", code_text);
        }
    }

  if (state_param != NULL)
    append_param (location, FALSE, "state", state_param);

  if (in_query)
    g_string_append (location, "#_=_");

  reply->status = 302;
  reply->content_type = HTML_TYPE;
  g_free (reply->body);
  reply->body = g_strdup ("");
  reply->location = g_string_free (location, FALSE);
}
