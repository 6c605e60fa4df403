/* graph-sim-faults.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "graph-sim-faults"

#include "config.h"

#include <string.h>

#include "graph-sim-private.h"

gboolean
_graph_sim_fault_kind_parse (const char        *text,
                             GraphSimFaultKind *kind)
{
  static const struct { const char *name; GraphSimFaultKind kind; } kinds[] = {
    { "http_500", GRAPH_SIM_FAULT_HTTP_500 },
    { "malformed_json", GRAPH_SIM_FAULT_MALFORMED_JSON },
    { "drop_connection", GRAPH_SIM_FAULT_DROP_CONNECTION },
    { "graph_error", GRAPH_SIM_FAULT_GRAPH_ERROR },
    { "batch_null", GRAPH_SIM_FAULT_BATCH_NULL },
    { "unexpected_shape", GRAPH_SIM_FAULT_UNEXPECTED_SHAPE },
  };

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (kinds); i++)
    {
      if (g_str_equal (kinds[i].name, text))
        {
          *kind = kinds[i].kind;
          return TRUE;
        }
    }

  return FALSE;
}

static gboolean
parse_number (const char  *text,
              gint64       min,
              gint64       max,
              gint64      *out,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!g_ascii_string_to_signed (text, 10, min, max, out, &local_error))
    {
      g_set_error (error, GRAPH_SIM_ERROR, GRAPH_SIM_ERROR_FAULT_SPEC,
                   "Fault: %s", local_error->message);
      return FALSE;
    }

  return TRUE;
}

static void
replace_string (char       **field,
                const char  *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

GraphSimFault *
_graph_sim_fault_parse_spec (const char  *spec,
                             GError     **error)
{
  g_autoptr(GraphSimFault) fault = g_new0 (GraphSimFault, 1);
  g_auto(GStrv) parts = NULL;
  gboolean status_given = FALSE;

  g_return_val_if_fail (spec != NULL, NULL);

  parts = g_strsplit (spec, ":", -1);
  if (!_graph_sim_fault_kind_parse (parts[0], &fault->kind))
    {
      g_set_error (error, GRAPH_SIM_ERROR, GRAPH_SIM_ERROR_FAULT_SPEC,
                   "Fault “%s”: the kind must be http_500, malformed_json, "
                   "drop_connection, graph_error or batch_null", spec);
      return NULL;
    }

  fault->every = 1;
  fault->code = fault->kind == GRAPH_SIM_FAULT_HTTP_500 ? 2 : 1;
  fault->is_transient = -1;

  for (guint i = 1; parts[i] != NULL; i++)
    {
      const char *eq = strchr (parts[i], '=');
      g_autofree char *key = NULL;
      const char *value;
      gint64 n;

      if (eq == NULL)
        {
          g_set_error (error, GRAPH_SIM_ERROR, GRAPH_SIM_ERROR_FAULT_SPEC,
                       "Fault “%s”: expected key=value, got “%s”", spec, parts[i]);
          return NULL;
        }

      key = g_strndup (parts[i], eq - parts[i]);
      value = eq + 1;

      if (g_str_equal (key, "every"))
        {
          if (!parse_number (value, 1, G_MAXUINT, &n, error))
            return NULL;
          fault->every = (guint) n;
        }
      else if (g_str_equal (key, "first"))
        {
          if (!parse_number (value, 0, G_MAXUINT, &n, error))
            return NULL;
          fault->first = (guint) n;
        }
      else if (g_str_equal (key, "code"))
        {
          if (!parse_number (value, 0, G_MAXINT, &n, error))
            return NULL;
          fault->code = (int) n;
        }
      else if (g_str_equal (key, "subcode"))
        {
          if (!parse_number (value, 0, G_MAXINT, &n, error))
            return NULL;
          fault->subcode = (int) n;
        }
      else if (g_str_equal (key, "http_status"))
        {
          if (!parse_number (value, 100, 599, &n, error))
            return NULL;
          fault->http_status = (guint) n;
          status_given = TRUE;
        }
      else if (g_str_equal (key, "is_transient"))
        {
          if (g_str_equal (value, "true") || g_str_equal (value, "1"))
            fault->is_transient = 1;
          else if (g_str_equal (value, "false") || g_str_equal (value, "0"))
            fault->is_transient = 0;
          else
            {
              g_set_error (error, GRAPH_SIM_ERROR, GRAPH_SIM_ERROR_FAULT_SPEC,
                           "Fault “%s”: is_transient must be true or false", spec);
              return NULL;
            }
        }
      else if (g_str_equal (key, "metric"))
        replace_string (&fault->metric, value);
      else if (g_str_equal (key, "account"))
        replace_string (&fault->account, value);
      else if (g_str_equal (key, "path_contains") || g_str_equal (key, "path"))
        replace_string (&fault->path_contains, value);
      else if (g_str_equal (key, "message"))
        replace_string (&fault->message, value);
      else
        {
          g_set_error (error, GRAPH_SIM_ERROR, GRAPH_SIM_ERROR_FAULT_SPEC,
                       "Fault “%s”: unknown key “%s”", spec, key);
          return NULL;
        }
    }

  if (!status_given)
    fault->http_status = fault->kind == GRAPH_SIM_FAULT_HTTP_500 ? 500 : 400;

  return g_steal_pointer (&fault);
}

static gboolean
list_contains (const char *comma_list,
               const char *item)
{
  g_auto(GStrv) items = NULL;

  if (comma_list == NULL)
    return FALSE;

  items = g_strsplit (comma_list, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      if (g_str_equal (g_strstrip (items[i]), item))
        return TRUE;
    }

  return FALSE;
}

GraphSimFault *
_graph_sim_faults_match (GraphSimState *state,
                         const char    *path,
                         const char    *account,
                         const char    *metrics,
                         gboolean       in_batch)
{
  GraphSimFault *fired = NULL;

  /* Every fault counts its own matches, so two faults on the same
   * requests stay independent of each other and of their order. */
  for (guint i = 0; i < state->faults->len; i++)
    {
      GraphSimFault *fault = g_ptr_array_index (state->faults, i);
      gboolean fires;

      if (fault->kind == GRAPH_SIM_FAULT_BATCH_NULL && !in_batch)
        continue;
      if (fault->account != NULL && g_strcmp0 (fault->account, account) != 0)
        continue;
      if (fault->metric != NULL && !list_contains (metrics, fault->metric))
        continue;
      if (fault->path_contains != NULL && strstr (path, fault->path_contains) == NULL)
        continue;

      fault->matched++;
      fires = (fault->first == 0 || fault->matched <= fault->first) &&
              fault->matched % fault->every == 0;
      if (fires && fired == NULL)
        fired = fault;
    }

  return fired;
}

/* The API's own words for the codes the reference quotes them for (§2.2,
 * §3), so that a client shows what it would show against the real thing. */
static char *
graph_error_message (int code)
{
  switch (code)
    {
    case 1:
      return g_strdup ("An unknown error has occurred.");
    case 2:
      return g_strdup ("An unexpected error has occurred. Please retry your request later.");
    case 4:
      return g_strdup ("(#4) Application request limit reached");
    case 10:
      return g_strdup ("(#10) Application does not have permission for this action");
    case 17:
      return g_strdup ("(#17) User request limit reached");
    case 32:
      return g_strdup ("(#32) Page request limit reached");
    case 80002:
      return g_strdup ("(#80002) There have been too many calls to this Instagram account. "
                       "Wait a bit and try again.");
    default:
      return g_strdup_printf ("(#%d) Simulated error", code);
    }
}

void
_graph_sim_fault_apply (GraphSimFault *fault,
                        GraphSimReply *reply)
{
  switch (fault->kind)
    {
    case GRAPH_SIM_FAULT_HTTP_500:
      _graph_sim_reply_error_literal (reply, fault->http_status, fault->code, fault->subcode,
                                      fault->is_transient != 0,
                                      fault->message != NULL ? fault->message :
                                      fault->code == 1 ? "An unknown error has occurred." :
                                      "An unexpected error has occurred. Please retry your request later.");
      break;

    case GRAPH_SIM_FAULT_MALFORMED_JSON:
      /* A body cut off mid-way, as a proxy dropping the tail would leave it. */
      reply->status = 200;
      g_free (reply->body);
      reply->body = g_strdup ("{\"data\":[{\"name\":\"reach\",\"period\":\"day\",\"values\":[{\"value\":12");
      break;

    case GRAPH_SIM_FAULT_UNEXPECTED_SHAPE:
      /* Valid JSON, but not the documented shape: "data" is no list. */
      reply->status = 200;
      g_free (reply->body);
      reply->body = g_strdup ("{\"data\":{\"name\":\"reach\"}}");
      break;

    case GRAPH_SIM_FAULT_DROP_CONNECTION:
      reply->delivery = GRAPH_SIM_DELIVER_DROP;
      break;

    case GRAPH_SIM_FAULT_BATCH_NULL:
      reply->delivery = GRAPH_SIM_DELIVER_NULL;
      break;

    case GRAPH_SIM_FAULT_GRAPH_ERROR:
    default:
      {
        g_autofree char *message = NULL;

        message = fault->message != NULL ? g_strdup (fault->message)
                                         : graph_error_message (fault->code);
        _graph_sim_reply_error_literal (reply, fault->http_status, fault->code, fault->subcode,
                                        fault->is_transient == 1, message);
      }
      break;
    }
}
