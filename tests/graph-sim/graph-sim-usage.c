/* graph-sim-usage.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "graph-sim-usage"

#include "config.h"

#include "graph-sim-private.h"

#define APP_WINDOW     (60 * 60)        /* platform limits: one hour */
#define ACCOUNT_WINDOW (24 * 60 * 60)   /* business use case: 24 hours */

/* Calls are appended in time order, so expired ones sit at the front. */
static void
prune (GArray *calls,
       gint64  now,
       gint64  window)
{
  guint keep_from = 0;

  while (keep_from < calls->len && g_array_index (calls, gint64, keep_from) <= now - window)
    keep_from++;

  if (keep_from > 0)
    g_array_remove_range (calls, 0, keep_from);
}

static guint
percent (guint used,
         guint limit)
{
  return (guint) (((guint64) used * 100) / MAX (limit, 1));
}

guint
_graph_sim_usage_app_percent (GraphSimState *state)
{
  prune (state->app_calls, _graph_sim_state_now (state), APP_WINDOW);

  return percent (state->app_calls->len, state->app_call_limit);
}

guint
_graph_sim_usage_account_percent (GraphSimState   *state,
                                  GraphSimAccount *account)
{
  prune (account->calls, _graph_sim_state_now (state), ACCOUNT_WINDOW);

  return percent (account->calls->len, account->call_limit);
}

/* The API sends its usage headers only "once enough calls have been made"
 * (reference §3); each header counts the calls of its own window. */
gboolean
_graph_sim_usage_app_shown (GraphSimState *state)
{
  prune (state->app_calls, _graph_sim_state_now (state), APP_WINDOW);

  return state->app_calls->len >= state->usage_headers_after_calls;
}

gboolean
_graph_sim_usage_account_shown (GraphSimState   *state,
                                GraphSimAccount *account)
{
  prune (account->calls, _graph_sim_state_now (state), ACCOUNT_WINDOW);

  return account->calls->len >= state->usage_headers_after_calls;
}

gboolean
_graph_sim_usage_admit (GraphSimState *state,
                        const char    *account_id,
                        GraphSimReply *reply)
{
  gint64 now = _graph_sim_state_now (state);
  GraphSimAccount *account = NULL;

  if (account_id != NULL)
    account = g_hash_table_lookup (state->accounts, account_id);

  if (state->enforce_limits)
    {
      /* Rejected calls are not recorded: the block ends when enough of
       * the admitted calls have left the window. */
      if (account != NULL && _graph_sim_usage_account_percent (state, account) >= 100)
        {
          guint over = account->calls->len - MIN (account->calls->len, account->call_limit);
          gint64 frees_at = g_array_index (account->calls, gint64, over) + ACCOUNT_WINDOW;

          reply->regain_minutes = MAX (1, (frees_at - now + 59) / 60);
          _graph_sim_reply_error_literal (reply, 400, 80002, 0, FALSE,
                                          "(#80002) There have been too many calls to this "
                                          "Instagram account. Wait a bit and try again.");
          return FALSE;
        }

      if (_graph_sim_usage_app_percent (state) >= 100)
        {
          _graph_sim_reply_error_literal (reply, 403, 4, 0, TRUE,
                                          "(#4) Application request limit reached");
          return FALSE;
        }
    }

  g_array_append_val (state->app_calls, now);
  if (account != NULL)
    g_array_append_val (account->calls, now);

  return TRUE;
}
