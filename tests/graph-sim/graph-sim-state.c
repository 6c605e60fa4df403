/* graph-sim-state.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "graph-sim-state"

#include "config.h"

#include "graph-sim-private.h"

static void
page_free (gpointer data)
{
  GraphSimPage *page = data;

  g_free (page->id);
  g_free (page->name);
  g_free (page->ig_id);
  g_free (page);
}

static void
user_free (gpointer data)
{
  GraphSimUser *user = data;

  g_free (user->id);
  g_free (user->name);
  g_strfreev (user->scopes);
  g_ptr_array_unref (user->pages);
  g_free (user);
}

static void
token_free (gpointer data)
{
  GraphSimToken *token = data;

  g_free (token->token);
  g_free (token);
}

static void
code_free (gpointer data)
{
  GraphSimCode *code = data;

  g_free (code->code);
  g_free (code->redirect_uri);
  g_free (code);
}

static void
account_free (gpointer data)
{
  GraphSimAccount *account = data;

  g_free (account->id);
  g_free (account->username);
  g_free (account->name);
  g_free (account->biography);
  g_free (account->website);
  g_free (account->page_id);
  g_array_unref (account->calls);
  g_clear_pointer (&account->timezone, g_time_zone_unref);
  g_strfreev (account->no_data_metrics);
  g_free (account);
}

void
_graph_sim_fault_free (GraphSimFault *fault)
{
  if (fault == NULL)
    return;

  g_free (fault->message);
  g_free (fault->account);
  g_free (fault->metric);
  g_free (fault->path_contains);
  g_free (fault);
}

GraphSimState *
_graph_sim_state_new (void)
{
  GraphSimState *state = g_new0 (GraphSimState, 1);

  state->users = g_ptr_array_new_with_free_func (user_free);
  state->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, token_free);
  state->codes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, code_free);
  state->issued_tokens = g_ptr_array_new_with_free_func (g_free);
  state->issued_codes = g_ptr_array_new_with_free_func (g_free);
  state->accounts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, account_free);
  state->faults = g_ptr_array_new_with_free_func ((GDestroyNotify) _graph_sim_fault_free);
  state->app_calls = g_array_new (FALSE, FALSE, sizeof (gint64));
  _graph_sim_state_reset (state);

  return state;
}

void
_graph_sim_state_reset (GraphSimState *state)
{
  /* Tokens and codes point at users, so they go first. */
  g_hash_table_remove_all (state->tokens);
  g_hash_table_remove_all (state->codes);
  g_ptr_array_set_size (state->issued_tokens, 0);
  g_ptr_array_set_size (state->issued_codes, 0);
  g_ptr_array_set_size (state->users, 0);
  g_hash_table_remove_all (state->accounts);
  g_ptr_array_set_size (state->faults, 0);
  g_array_set_size (state->app_calls, 0);

  g_clear_pointer (&state->app_id, g_free);
  g_clear_pointer (&state->app_secret, g_free);
  state->app_id = g_strdup ("100000000000001");
  state->app_secret = g_strdup ("sim-app-secret");
  state->app_call_limit = 100000;
  state->enforce_limits = FALSE;
  state->until_reading = GRAPH_SIM_READING_OVERLAP;
  state->total_value_reading = GRAPH_SIM_READING_OVERLAP;
  state->empty_total = GRAPH_SIM_EMPTY_TOTAL_OBJECT;
  state->data_delay_hours = 0;
  state->reach_totals_estimated = FALSE;
  state->exchange_same_long_lived = FALSE;
  state->enforce_data_access = FALSE;
  state->login_outcome = GRAPH_SIM_LOGIN_PAGE;
  state->usage_headers = GRAPH_SIM_USAGE_PER_OPERATION;
  state->usage_headers_after_calls = 0;
  state->business_usage_key = GRAPH_SIM_BUSINESS_KEY_IG_USER_ID;
}

void
_graph_sim_state_free (GraphSimState *state)
{
  if (state == NULL)
    return;

  g_hash_table_unref (state->tokens);
  g_hash_table_unref (state->codes);
  g_ptr_array_unref (state->issued_tokens);
  g_ptr_array_unref (state->issued_codes);
  g_ptr_array_unref (state->users);
  g_hash_table_unref (state->accounts);
  g_ptr_array_unref (state->faults);
  g_array_unref (state->app_calls);
  g_free (state->app_id);
  g_free (state->app_secret);
  g_free (state);
}

gint64
_graph_sim_state_now (GraphSimState *state)
{
  if (state->now != 0)
    return state->now;

  return g_get_real_time () / G_USEC_PER_SEC;
}

GraphSimUser *
_graph_sim_state_add_user (GraphSimState *state,
                           const char    *id,
                           const char    *name)
{
  GraphSimUser *user = g_new0 (GraphSimUser, 1);

  user->id = g_strdup (id);
  user->name = g_strdup (name);
  user->pages = g_ptr_array_new_with_free_func (page_free);
  g_ptr_array_add (state->users, user);

  return user;
}

GraphSimToken *
_graph_sim_state_add_token (GraphSimState *state,
                            GraphSimUser  *user,
                            const char    *token,
                            const char    *type)
{
  GraphSimToken *t = g_new0 (GraphSimToken, 1);

  t->token = g_strdup (token);
  t->user = user;
  t->type = type;
  t->state = GRAPH_SIM_TOKEN_VALID;
  g_hash_table_replace (state->tokens, t->token, t);

  return t;
}

/* Adds @text to @issued (state->issued_tokens or issued_codes) unless it
 * is there already: a page token or the app token is handed out again and
 * again, and listed once. */
void
_graph_sim_state_note_issued (GPtrArray  *issued,
                              const char *text)
{
  if (!g_ptr_array_find_with_equal_func (issued, text, g_str_equal, NULL))
    g_ptr_array_add (issued, g_strdup (text));
}

GraphSimAccount *
_graph_sim_state_add_account (GraphSimState *state,
                              const char    *id,
                              const char    *username)
{
  GraphSimAccount *account = g_new0 (GraphSimAccount, 1);

  account->id = g_strdup (id);
  account->username = g_strdup (username);
  account->name = g_strdup (username);
  account->biography = g_strdup ("");
  account->website = g_strdup ("");
  account->call_limit = 4800;
  account->calls = g_array_new (FALSE, FALSE, sizeof (gint64));
  account->timezone = g_time_zone_ref (_graph_sim_pacific ());
  g_hash_table_replace (state->accounts, account->id, account);

  return account;
}

gboolean
_graph_sim_user_owns_account (GraphSimUser *user,
                              const char   *ig_id)
{
  for (guint i = 0; i < user->pages->len; i++)
    {
      GraphSimPage *page = g_ptr_array_index (user->pages, i);

      if (page->ig_id != NULL && g_str_equal (page->ig_id, ig_id))
        return TRUE;
    }

  return FALSE;
}

gboolean
_graph_sim_user_has_scope (GraphSimUser *user,
                           const char   *scope)
{
  return user->scopes != NULL && g_strv_contains ((const char * const *) user->scopes, scope);
}

/* The index of @text in @names, where each enum value's name sits at its
 * own index: every setting of a scenario is one such table. */
static gboolean
lookup_name (const char * const *names,
             guint               n_names,
             const char         *text,
             guint              *value)
{
  for (guint i = 0; text != NULL && i < n_names; i++)
    {
      if (names[i] != NULL && g_str_equal (names[i], text))
        {
          *value = i;
          return TRUE;
        }
    }

  return FALSE;
}

gboolean
_graph_sim_token_state_parse (const char         *text,
                              GraphSimTokenState *state)
{
  static const char * const names[] = {
    [GRAPH_SIM_TOKEN_VALID] = "valid",
    [GRAPH_SIM_TOKEN_EXPIRED] = "expired",
    [GRAPH_SIM_TOKEN_PASSWORD_CHANGED] = "password_changed",
    [GRAPH_SIM_TOKEN_INVALID] = "invalid",
  };
  guint value;

  if (!lookup_name (names, G_N_ELEMENTS (names), text, &value))
    return FALSE;

  *state = (GraphSimTokenState) value;
  return TRUE;
}

gboolean
_graph_sim_login_outcome_parse (const char           *text,
                                GraphSimLoginOutcome *outcome)
{
  static const char * const names[] = {
    [GRAPH_SIM_LOGIN_PAGE] = "page",
    [GRAPH_SIM_LOGIN_APPROVE] = "approve",
    [GRAPH_SIM_LOGIN_DENY] = "deny",
    [GRAPH_SIM_LOGIN_CANCEL] = "cancel",
  };
  guint value;

  if (!lookup_name (names, G_N_ELEMENTS (names), text, &value))
    return FALSE;

  *outcome = (GraphSimLoginOutcome) value;
  return TRUE;
}

gboolean
_graph_sim_reading_parse (const char      *text,
                          GraphSimReading *reading)
{
  static const char * const names[] = {
    [GRAPH_SIM_READING_OVERLAP] = "overlap",
    [GRAPH_SIM_READING_OVERLAP_INCLUSIVE] = "overlap_inclusive",
    [GRAPH_SIM_READING_BUCKET_END] = "bucket_end",
    [GRAPH_SIM_READING_BUCKET_END_INCLUSIVE] = "bucket_end_inclusive",
  };
  guint value;

  if (!lookup_name (names, G_N_ELEMENTS (names), text, &value))
    return FALSE;

  *reading = (GraphSimReading) value;
  return TRUE;
}

gboolean
_graph_sim_empty_total_parse (const char         *text,
                              GraphSimEmptyTotal *answer)
{
  static const char * const names[] = {
    [GRAPH_SIM_EMPTY_TOTAL_OBJECT] = "empty_object",
    [GRAPH_SIM_EMPTY_TOTAL_ZERO] = "zero",
    [GRAPH_SIM_EMPTY_TOTAL_MISSING] = "missing",
    [GRAPH_SIM_EMPTY_TOTAL_ERROR] = "error",
  };
  guint value;

  if (!lookup_name (names, G_N_ELEMENTS (names), text, &value))
    return FALSE;

  *answer = (GraphSimEmptyTotal) value;
  return TRUE;
}

/* "new" | "same": what fb_exchange_token does with a long-lived token. */
gboolean
_graph_sim_exchange_mode_parse (const char *text,
                                gboolean   *same)
{
  static const char * const names[] = {
    [FALSE] = "new",
    [TRUE] = "same",
  };
  guint value;

  if (!lookup_name (names, G_N_ELEMENTS (names), text, &value))
    return FALSE;

  *same = (gboolean) value;
  return TRUE;
}

/* "ignored" | "enforced": whether data access expiry refuses calls. */
gboolean
_graph_sim_data_access_mode_parse (const char *text,
                                   gboolean   *enforced)
{
  static const char * const names[] = {
    [FALSE] = "ignored",
    [TRUE] = "enforced",
  };
  guint value;

  if (!lookup_name (names, G_N_ELEMENTS (names), text, &value))
    return FALSE;

  *enforced = (gboolean) value;
  return TRUE;
}

gboolean
_graph_sim_usage_headers_parse (const char           *text,
                                GraphSimUsageHeaders *where)
{
  static const char * const names[] = {
    [GRAPH_SIM_USAGE_PER_OPERATION] = "per_operation",
    [GRAPH_SIM_USAGE_WRAPPER] = "wrapper",
  };
  guint value;

  if (!lookup_name (names, G_N_ELEMENTS (names), text, &value))
    return FALSE;

  *where = (GraphSimUsageHeaders) value;
  return TRUE;
}

gboolean
_graph_sim_business_key_parse (const char          *text,
                               GraphSimBusinessKey *key)
{
  static const char * const names[] = {
    [GRAPH_SIM_BUSINESS_KEY_IG_USER_ID] = "ig_user_id",
    [GRAPH_SIM_BUSINESS_KEY_PAGE_ID] = "page_id",
  };
  guint value;

  if (!lookup_name (names, G_N_ELEMENTS (names), text, &value))
    return FALSE;

  *key = (GraphSimBusinessKey) value;
  return TRUE;
}
