/* graph-sim-reply.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "graph-sim-reply"

#include "config.h"

#include "graph-sim-private.h"

static const char *
reply_trace_id (GraphSimReply *reply)
{
  static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  if (reply->trace_id == NULL)
    {
      char id[12];

      /* Same length and alphabet as the real ids; clients must treat them
       * as opaque. */
      for (guint i = 0; i < 11; i++)
        id[i] = alphabet[g_random_int_range (0, 64)];
      id[11] = '\0';
      reply->trace_id = g_strdup (id);
    }

  return reply->trace_id;
}

void
_graph_sim_reply_clear (GraphSimReply *reply)
{
  g_clear_pointer (&reply->body, g_free);
  g_clear_pointer (&reply->trace_id, g_free);
  g_clear_pointer (&reply->account_id, g_free);
  g_clear_pointer (&reply->location, g_free);
  reply->content_type = NULL;
}

void
_graph_sim_reply_json (GraphSimReply *reply,
                       guint          status,
                       JsonBuilder   *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  reply->status = status;
  g_free (reply->body);
  reply->body = json_to_string (root, FALSE);
}

void
_graph_sim_reply_error_literal (GraphSimReply *reply,
                                guint          status,
                                int            code,
                                int            subcode,
                                gboolean       is_transient,
                                const char    *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  reply->error_code = code;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "OAuthException");
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, code);
  if (subcode != 0)
    {
      json_builder_set_member_name (builder, "error_subcode");
      json_builder_add_int_value (builder, subcode);
    }
  if (is_transient)
    {
      json_builder_set_member_name (builder, "is_transient");
      json_builder_add_boolean_value (builder, TRUE);
    }
  json_builder_set_member_name (builder, "fbtrace_id");
  json_builder_add_string_value (builder, reply_trace_id (reply));
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  _graph_sim_reply_json (reply, status, builder);
}

void
_graph_sim_reply_error (GraphSimReply *reply,
                        guint          status,
                        int            code,
                        int            subcode,
                        gboolean       is_transient,
                        const char    *format,
                        ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  _graph_sim_reply_error_literal (reply, status, code, subcode, is_transient, message);
}

static char *
business_usage (GraphSimState   *state,
                GraphSimAccount *account,
                GraphSimReply   *reply)
{
  guint p = _graph_sim_usage_account_percent (state, account);
  /* An account no page links has only its own id to be keyed by. */
  const char *key = state->business_usage_key == GRAPH_SIM_BUSINESS_KEY_PAGE_ID &&
                    account->page_id != NULL ? account->page_id : account->id;

  return g_strdup_printf ("{\"%s\":[{\"type\":\"instagram\",\"call_count\":%u,"
                          "\"total_cputime\":%u,\"total_time\":%u,"
                          "\"estimated_time_to_regain_access\":%" G_GINT64_FORMAT "}]}",
                          key, p, p, p, reply->regain_minutes);
}

GPtrArray *
_graph_sim_reply_headers (GraphSimState *state,
                          GraphSimReply *reply)
{
  GPtrArray *headers = g_ptr_array_new_with_free_func (g_free);
  guint app = _graph_sim_usage_app_percent (state);
  GraphSimAccount *account = NULL;

#define ADD(name, value) G_STMT_START { \
    g_ptr_array_add (headers, g_strdup (name)); \
    g_ptr_array_add (headers, value); \
  } G_STMT_END

  if (reply->account_id != NULL)
    account = g_hash_table_lookup (state->accounts, reply->account_id);

  ADD ("Content-Type", g_strdup ("application/json; charset=UTF-8"));
  ADD ("x-fb-trace-id", g_strdup (reply_trace_id (reply)));
  ADD ("x-fb-rev", g_strdup ("1019876543"));
  ADD ("facebook-api-version",
       g_strdup_printf ("v%d.0", reply->version > 0 ? reply->version : GRAPH_SIM_DEFAULT_VERSION));
  if (!reply->without_usage && _graph_sim_usage_app_shown (state))
    ADD ("X-App-Usage",
         g_strdup_printf ("{\"call_count\":%u,\"total_time\":%u,\"total_cputime\":%u}",
                          app, app, app));

  if (!reply->without_usage && account != NULL && _graph_sim_usage_account_shown (state, account))
    ADD ("X-Business-Use-Case-Usage", business_usage (state, account, reply));

  if (reply->location != NULL)
    ADD ("Location", g_strdup (reply->location));

#undef ADD

  return headers;
}
