/* instasync-graph-batch.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-graph-batch"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "instasync-error.h"
#include "instasync-graph-batch.h"
#include "instasync-graph-client-private.h"
#include "instasync-graph-error.h"
#include "instasync-insights-parser.h"

/* Auxiliary */

static gboolean
has_answer (InstaSyncBatchOp *op)
{
  return op->body != NULL || op->error != NULL;
}

/* An operation whose answer is worth asking for again. */
static gboolean
wants_retry (InstaSyncBatchOp *op)
{
  return !has_answer (op) ||
         (op->error != NULL &&
          instasync_error_classify (op->error) == INSTASYNC_ERROR_ACTION_RETRY);
}

static char *
build_form (InstaSyncBatchOp **ops,
            guint              n_ops)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *batch = NULL;
  g_autofree char *escaped = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < n_ops; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "method");
      json_builder_add_string_value (builder, "GET");
      json_builder_set_member_name (builder, "relative_url");
      json_builder_add_string_value (builder, ops[i]->relative_url);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  batch = json_to_string (root, FALSE);
  escaped = g_uri_escape_string (batch, NULL, FALSE);

  /* The usage headers come on each operation's own headers, and nothing
   * says the batch response carries them: without them the client could
   * not pace. Asked for explicitly, though it is the default. */
  return g_strdup_printf ("include_headers=true&batch=%s", escaped);
}

/* Sends one batch of at most 50 operations and fills in their answers. */
static gboolean
send_batch (InstaSyncGraphClient  *self,
            InstaSyncBatchOp     **ops,
            guint                  n_ops,
            const char            *access_token,
            GCancellable          *cancellable,
            GError               **error)
{
  g_autofree char *form = build_form (ops, n_ops);
  g_autoptr(JsonNode) root = NULL;
  InstaSyncUsage reading;

  for (guint i = 0; i < n_ops; i++)
    {
      g_clear_pointer (&ops[i]->body, json_node_unref);
      g_clear_error (&ops[i]->error);
    }

  _instasync_graph_client_count_calls (self, n_ops);
  root = _instasync_graph_client_post (self, form, access_token, cancellable, error);
  if (root == NULL)
    return FALSE;

  if (!instasync_graph_batch_parse (root, ops, n_ops, error))
    return FALSE;

  instasync_usage_init (&reading);
  instasync_graph_batch_parse_usage (root, _instasync_graph_client_get_usage_ig_user_id (self),
                                     _instasync_graph_client_get_usage_page_id (self), &reading);
  _instasync_graph_client_note_batch_usage (self, &reading);

  for (guint i = 0; i < n_ops; i++)
    {
      const InstaSyncUsage *usage = instasync_graph_client_get_usage (self);

      instasync_error_redact (ops[i]->error, access_token);
      if (instasync_usage_get_percent (usage) >= 100)
        instasync_graph_error_set_usage_exhausted (ops[i]->error);
      /* The time to wait comes in the usage headers. */
      if (instasync_error_classify (ops[i]->error) == INSTASYNC_ERROR_ACTION_BACK_OFF &&
          usage->regain_minutes >= 0)
        instasync_graph_error_set_regain_minutes (ops[i]->error, usage->regain_minutes);
    }

  return TRUE;
}


/* Public API */

InstaSyncBatchOp *
instasync_batch_op_new (const char         *path,
                        const char * const *params)
{
  InstaSyncBatchOp *op;

  g_return_val_if_fail (path != NULL, NULL);

  op = g_new0 (InstaSyncBatchOp, 1);
  op->path = g_strdup (path);
  op->params = g_strdupv ((char **)params);
  op->relative_url = _instasync_graph_client_relative_url (path, params);
  return op;
}

void
instasync_batch_op_free (InstaSyncBatchOp *op)
{
  if (op == NULL)
    return;

  g_free (op->path);
  g_strfreev (op->params);
  g_free (op->relative_url);
  g_clear_pointer (&op->body, json_node_unref);
  g_clear_error (&op->error);
  g_free (op);
}

void
instasync_batch_ops_fail_unanswered (GPtrArray    *ops,
                                     guint         start,
                                     const GError *error)
{
  g_return_if_fail (ops != NULL);
  g_return_if_fail (error != NULL);

  for (guint i = start; i < ops->len; i++)
    {
      InstaSyncBatchOp *op = g_ptr_array_index (ops, i);

      if (!has_answer (op))
        op->error = g_error_copy (error);
    }
}

gboolean
instasync_graph_batch_parse (JsonNode          *root,
                             InstaSyncBatchOp **ops,
                             guint              n_ops,
                             GError           **error)
{
  JsonArray *answers;

  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root) ||
      json_array_get_length (json_node_get_array (root)) != n_ops)
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_UNEXPECTED_SHAPE,
                   _("Unexpected batch response: not a list of %u answers"), n_ops);
      return FALSE;
    }

  answers = json_node_get_array (root);
  for (guint i = 0; i < n_ops; i++)
    {
      JsonNode *answer_node = json_array_get_element (answers, i);
      JsonObject *answer;
      JsonNode *code_node;
      const char *body;
      g_autoptr(JsonNode) parsed = NULL;
      g_autoptr(GError) parse_error = NULL;
      guint code;

      /* null: the operation timed out on the API's side. */
      if (JSON_NODE_HOLDS_NULL (answer_node))
        continue;

      if (!JSON_NODE_HOLDS_OBJECT (answer_node))
        {
          g_set_error (&ops[i]->error, INSTASYNC_ERROR, INSTASYNC_ERROR_UNEXPECTED_SHAPE,
                       _("Unexpected batch response: answer %u is not an object"), i);
          continue;
        }
      answer = json_node_get_object (answer_node);

      code_node = json_object_get_member (answer, "code");
      if (code_node == NULL || json_node_get_value_type (code_node) != G_TYPE_INT64)
        {
          g_set_error (&ops[i]->error, INSTASYNC_ERROR, INSTASYNC_ERROR_UNEXPECTED_SHAPE,
                       _("Unexpected batch response: answer %u has no status code"), i);
          continue;
        }
      code = (guint)CLAMP (json_node_get_int (code_node), 0, 999);

      /* The body is JSON inside a JSON string. */
      body = instasync_json_get_string (answer, "body");
      if (body != NULL)
        parsed = instasync_json_parse (body, strlen (body), &parse_error);

      if (code >= 200 && code < 300)
        {
          if (parsed != NULL)
            ops[i]->body = g_steal_pointer (&parsed);
          else if (parse_error != NULL)
            ops[i]->error = g_steal_pointer (&parse_error);
          else
            g_set_error (&ops[i]->error, INSTASYNC_ERROR, INSTASYNC_ERROR_UNEXPECTED_SHAPE,
                         _("Unexpected batch response: answer %u has no body"), i);
          continue;
        }

      if (parsed == NULL || !instasync_graph_error_set_from_json (&ops[i]->error, parsed, code))
        g_set_error (&ops[i]->error, INSTASYNC_ERROR,
                     code >= 500 ? INSTASYNC_ERROR_HTTP : INSTASYNC_ERROR_FAILED,
                     _("A batch operation answered HTTP %u without an error description"), code);
    }

  return TRUE;
}

/* The usage headers of one answer, combined into @usage. */
static gboolean
parse_answer_usage (JsonObject     *answer,
                    const char     *ig_user_id,
                    const char     *page_id,
                    InstaSyncUsage *usage)
{
  JsonNode *headers_node = json_object_get_member (answer, "headers");
  JsonArray *headers;
  InstaSyncUsage reading;
  gboolean found = FALSE;

  if (headers_node == NULL || !JSON_NODE_HOLDS_ARRAY (headers_node))
    return FALSE;

  instasync_usage_init (&reading);
  headers = json_node_get_array (headers_node);
  for (guint i = 0; i < json_array_get_length (headers); i++)
    {
      JsonNode *header_node = json_array_get_element (headers, i);
      JsonObject *header;

      if (!JSON_NODE_HOLDS_OBJECT (header_node))
        continue;
      header = json_node_get_object (header_node);
      found |= instasync_usage_parse_header (&reading, instasync_json_get_string (header, "name"),
                                             instasync_json_get_string (header, "value"),
                                             ig_user_id, page_id);
    }

  instasync_usage_combine (usage, &reading);
  return found;
}

gboolean
instasync_graph_batch_parse_usage (JsonNode       *root,
                                   const char     *ig_user_id,
                                   const char     *page_id,
                                   InstaSyncUsage *usage)
{
  JsonArray *answers;
  gboolean found = FALSE;

  g_return_val_if_fail (usage != NULL, FALSE);

  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return FALSE;

  /* Without depends_on the API may run a batch's operations in any order,
   * so the last answer need not be the latest call; usage only grows
   * within a batch, so the highest reading is. */
  answers = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (answers); i++)
    {
      JsonNode *answer = json_array_get_element (answers, i);

      if (JSON_NODE_HOLDS_OBJECT (answer))
        found |= parse_answer_usage (json_node_get_object (answer), ig_user_id, page_id, usage);
    }

  return found;
}

gboolean
instasync_graph_client_run_batch (InstaSyncGraphClient *self,
                                  GPtrArray            *ops,
                                  const char           *access_token,
                                  GCancellable         *cancellable,
                                  GError              **error)
{
  guint max_attempts;

  g_return_val_if_fail (INSTASYNC_IS_GRAPH_CLIENT (self), FALSE);
  g_return_val_if_fail (ops != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* One operation is cheaper as a plain GET: same call, no wrapping. */
  if (ops->len == 1)
    {
      InstaSyncBatchOp *op = g_ptr_array_index (ops, 0);

      g_clear_pointer (&op->body, json_node_unref);
      g_clear_error (&op->error);
      op->body = instasync_graph_client_get (self, op->path, (const char * const *)op->params,
                                             access_token, cancellable, &op->error);

      /* Errors of the one operation are the operation's; only those that
       * concern every call are the batch's too. */
      if (op->error != NULL)
        {
          InstaSyncErrorAction action = instasync_error_classify (op->error);

          if (action == INSTASYNC_ERROR_ACTION_RECONNECT ||
              action == INSTASYNC_ERROR_ACTION_BACK_OFF ||
              g_error_matches (op->error, INSTASYNC_ERROR, INSTASYNC_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_error_copy (op->error));
              return FALSE;
            }
        }
      return TRUE;
    }

  max_attempts = _instasync_graph_client_get_max_attempts (self);

  for (guint attempt = 0; attempt < max_attempts; attempt++)
    {
      g_autoptr(GPtrArray) pending = g_ptr_array_new ();

      for (guint i = 0; i < ops->len; i++)
        if (attempt == 0 || wants_retry (g_ptr_array_index (ops, i)))
          g_ptr_array_add (pending, g_ptr_array_index (ops, i));

      if (pending->len == 0)
        break;

      if (attempt > 0)
        {
          g_autoptr(GError) local_error = NULL;

          if (!_instasync_graph_client_backoff (self, attempt - 1, cancellable, &local_error))
            {
              instasync_batch_ops_fail_unanswered (ops, 0, local_error);
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
        }

      for (guint start = 0; start < pending->len; start += INSTASYNC_GRAPH_BATCH_MAX)
        {
          guint n = MIN (INSTASYNC_GRAPH_BATCH_MAX, pending->len - start);
          g_autoptr(GError) local_error = NULL;

          if (!send_batch (self, (InstaSyncBatchOp **)pending->pdata + start, n, access_token,
                           cancellable, &local_error))
            {
              instasync_error_redact (local_error, access_token);
              instasync_batch_ops_fail_unanswered (ops, 0, local_error);
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
        }
    }

  /* Still null after every attempt: say so rather than leave a hole. */
  for (guint i = 0; i < ops->len; i++)
    {
      InstaSyncBatchOp *op = g_ptr_array_index (ops, i);

      if (!has_answer (op))
        g_set_error_literal (&op->error, INSTASYNC_ERROR, INSTASYNC_ERROR_NETWORK,
                             _("The Graph API did not answer this request of a batch in time"));
    }

  return TRUE;
}
