/* graph-sim-batch.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "graph-sim-batch"

#include "config.h"

#include <string.h>

#include "graph-sim-private.h"

#define MAX_BATCH 50

static void
run_operation (GraphSimState *state,
               GraphSimCall  *outer,
               JsonObject    *op,
               GraphSimReply *op_reply)
{
  const char *method = json_object_get_string_member_with_default (op, "method", "GET");
  const char *relative_url = json_object_get_string_member_with_default (op, "relative_url", NULL);
  const char *outer_token = g_hash_table_lookup (outer->params, "access_token");
  g_autofree char *path = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *upper = NULL;
  const char *query;
  const char *rest;
  GraphSimCall call = { 0 };
  int version = 0;

  if (relative_url == NULL)
    {
      g_atomic_int_inc (&state->api_calls);
      _graph_sim_reply_error_literal (op_reply, 400, 100, 0, FALSE,
                                      "(#100) Missing relative_url parameter in batch operation");
      return;
    }

  query = strchr (relative_url, '?');
  path = query != NULL ? g_strndup (relative_url, query - relative_url) : g_strdup (relative_url);
  params = _graph_sim_form_decode (query != NULL ? query + 1 : NULL, -1);

  /* Operations inherit the batch's token unless they carry their own. */
  if (outer_token != NULL && !g_hash_table_contains (params, "access_token"))
    g_hash_table_insert (params, g_strdup ("access_token"), g_strdup (outer_token));

  /* A relative URL may name its own version; otherwise the batch's. */
  if (!_graph_sim_split_version (path, &version, &rest))
    {
      version = outer->version;
      rest = path;
    }

  upper = g_ascii_strup (method, -1);
  call.method = upper;
  call.path = rest;
  call.version = version;
  call.params = params;
  call.bearer = outer->bearer;
  call.base_url = outer->base_url;
  call.in_batch = TRUE;

  _graph_sim_route (state, &call, op_reply);
}

/* The headers of an operation, NULL without include_headers. */
static void
headers_free (gpointer headers)
{
  if (headers != NULL)
    g_ptr_array_unref (headers);
}

static void
add_op_reply (JsonBuilder   *builder,
              GraphSimReply *op_reply,
              GPtrArray     *headers)
{
  if (op_reply->delivery == GRAPH_SIM_DELIVER_NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, op_reply->status);

  if (headers != NULL)
    {
      json_builder_set_member_name (builder, "headers");
      json_builder_begin_array (builder);
      for (guint i = 0; i + 1 < headers->len; i += 2)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, g_ptr_array_index (headers, i));
          json_builder_set_member_name (builder, "value");
          json_builder_add_string_value (builder, g_ptr_array_index (headers, i + 1));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  json_builder_set_member_name (builder, "body");
  json_builder_add_string_value (builder, op_reply->body != NULL ? op_reply->body : "");
  json_builder_end_object (builder);
}

/* In wrapper mode the batch response carries the business use case usage
 * of the account its operations called, as a single call on that account
 * would; in per-operation mode, as documented, no usage header at all. */
static void
set_wrapper_usage (GraphSimState *state,
                   GArray        *replies,
                   GraphSimReply *reply)
{
  if (state->usage_headers != GRAPH_SIM_USAGE_WRAPPER)
    {
      reply->without_usage = TRUE;
      return;
    }

  for (guint i = replies->len; i > 0; i--)
    {
      GraphSimReply *op_reply = &g_array_index (replies, GraphSimReply, i - 1);

      if (op_reply->account_id != NULL)
        {
          g_free (reply->account_id);
          reply->account_id = g_strdup (op_reply->account_id);
          break;
        }
    }
}

void
_graph_sim_batch (GraphSimState *state,
                  GraphSimCall  *call,
                  GraphSimReply *reply)
{
  const char *batch = g_hash_table_lookup (call->params, "batch");
  const char *include = g_hash_table_lookup (call->params, "include_headers");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GArray) replies = NULL;
  g_autoptr(GPtrArray) op_headers = NULL;
  gboolean include_headers = include == NULL || !g_str_equal (include, "false");
  JsonNode *root;
  JsonArray *ops;
  guint n_ops;

  if (batch == NULL)
    {
      _graph_sim_reply_error_literal (reply, 400, 100, 0, FALSE,
                                      "(#100) Unsupported post request. The parameter batch is required");
      return;
    }

  if (!json_parser_load_from_data (parser, batch, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      _graph_sim_reply_error_literal (reply, 400, 100, 0, FALSE,
                                      "(#100) The parameter batch must be a JSON array");
      return;
    }

  ops = json_node_get_array (root);
  n_ops = json_array_get_length (ops);

  if (n_ops > MAX_BATCH)
    {
      _graph_sim_reply_error_literal (reply, 400, 1, 0, FALSE,
                                      "(#1) Too many requests in batch message. Maximum batch size is 50");
      return;
    }

  replies = g_array_sized_new (FALSE, TRUE, sizeof (GraphSimReply), n_ops);
  g_array_set_clear_func (replies, (GDestroyNotify) _graph_sim_reply_clear);
  g_array_set_size (replies, n_ops);
  op_headers = g_ptr_array_new_full (n_ops, headers_free);

  for (guint i = 0; i < n_ops; i++)
    {
      JsonNode *node = json_array_get_element (ops, i);
      GraphSimReply *op_reply = &g_array_index (replies, GraphSimReply, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          run_operation (state, call, json_node_get_object (node), op_reply);
        }
      else
        {
          g_atomic_int_inc (&state->api_calls);
          _graph_sim_reply_error_literal (op_reply, 400, 100, 0, FALSE,
                                          "(#100) Each batch operation must be a JSON object");
        }

      /* A dropped connection takes the whole batch with it. */
      if (op_reply->delivery == GRAPH_SIM_DELIVER_DROP)
        {
          reply->delivery = GRAPH_SIM_DELIVER_DROP;
          return;
        }

      /* Taken now, not once the batch is done: each operation reports the
       * usage as of its own call. */
      g_ptr_array_add (op_headers, include_headers ? _graph_sim_reply_headers (state, op_reply)
                                                   : NULL);
    }

  builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_ops; i++)
    add_op_reply (builder, &g_array_index (replies, GraphSimReply, i),
                  g_ptr_array_index (op_headers, i));
  json_builder_end_array (builder);

  _graph_sim_reply_json (reply, 200, builder);
  set_wrapper_usage (state, replies, reply);
}
