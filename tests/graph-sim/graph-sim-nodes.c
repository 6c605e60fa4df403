/* graph-sim-nodes.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "graph-sim-nodes"

#include "config.h"

#include <string.h>

#include "graph-sim-private.h"

#define DEFAULT_PAGE_SIZE 25
#define MAX_PAGE_SIZE     100

typedef struct
{
  char  *name;
  char **subfields;             /* from `name{a,b}`, or NULL */
} Field;

static void
field_free (gpointer data)
{
  Field *field = data;

  g_free (field->name);
  g_strfreev (field->subfields);
  g_free (field);
}

/* Splits a `fields` value at the commas outside braces. */
static GPtrArray *
parse_fields (const char *text)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (field_free);
  const char *start = text;
  int depth = 0;

  for (const char *p = text; ; p++)
    {
      if (*p == '{')
        depth++;
      else if (*p == '}')
        depth = MAX (depth - 1, 0);
      else if ((*p == ',' && depth == 0) || *p == '\0')
        {
          g_autofree char *item = g_strstrip (g_strndup (start, p - start));
          char *brace = strchr (item, '{');
          Field *field;

          if (*item != '\0')
            {
              field = g_new0 (Field, 1);
              if (brace != NULL)
                {
                  char *close = strrchr (brace, '}');

                  if (close != NULL)
                    *close = '\0';
                  field->subfields = g_strsplit (brace + 1, ",", -1);
                  for (guint i = 0; field->subfields[i] != NULL; i++)
                    g_strstrip (field->subfields[i]);
                  *brace = '\0';
                }
              field->name = g_strdup (g_strstrip (item));
              g_ptr_array_add (fields, field);
            }

          if (*p == '\0')
            break;
          start = p + 1;
        }
    }

  return fields;
}

static gboolean
add_ig_field (JsonBuilder     *builder,
              GraphSimCall    *call,
              GraphSimAccount *account,
              const char      *name)
{
  json_builder_set_member_name (builder, name);

  if (g_str_equal (name, "id"))
    json_builder_add_string_value (builder, account->id);
  else if (g_str_equal (name, "username"))
    json_builder_add_string_value (builder, account->username);
  else if (g_str_equal (name, "name"))
    json_builder_add_string_value (builder, account->name);
  else if (g_str_equal (name, "biography"))
    json_builder_add_string_value (builder, account->biography);
  else if (g_str_equal (name, "website"))
    json_builder_add_string_value (builder, account->website);
  else if (g_str_equal (name, "followers_count"))
    json_builder_add_int_value (builder, account->followers_count);
  else if (g_str_equal (name, "follows_count"))
    json_builder_add_int_value (builder, account->follows_count);
  else if (g_str_equal (name, "media_count"))
    json_builder_add_int_value (builder, account->media_count);
  else if (g_str_equal (name, "ig_id"))
    json_builder_add_int_value (builder, 1000000000 + _graph_sim_seed (account->id));
  else if (g_str_equal (name, "profile_picture_url"))
    {
      g_autofree char *url = g_strdup_printf ("%s/static/profile/%s.png", call->base_url, account->id);

      json_builder_add_string_value (builder, url);
    }
  else
    return FALSE;

  return TRUE;
}

static gboolean
known_ig_field (const char *name)
{
  static const char * const names[] = {
    "id", "username", "name", "biography", "website", "followers_count", "follows_count",
    "media_count", "ig_id", "profile_picture_url", NULL
  };

  return g_strv_contains (names, name);
}

void
_graph_sim_ig_node (GraphSimState   *state,
                    GraphSimCall    *call,
                    GraphSimAccount *account,
                    GraphSimReply   *reply)
{
  const char *fields_param = g_hash_table_lookup (call->params, "fields");
  g_autoptr(GPtrArray) fields = parse_fields (fields_param != NULL ? fields_param : "id");
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean has_id = FALSE;

  for (guint i = 0; i < fields->len; i++)
    {
      Field *field = g_ptr_array_index (fields, i);

      if (!known_ig_field (field->name))
        {
          _graph_sim_reply_error (reply, 400, 100, 0, FALSE,
                                  "(#100) Tried accessing nonexisting field (%s) on node type "
                                  "(IGUser)", field->name);
          return;
        }
      has_id |= g_str_equal (field->name, "id");
    }

  json_builder_begin_object (builder);
  for (guint i = 0; i < fields->len; i++)
    add_ig_field (builder, call, account, ((Field *) g_ptr_array_index (fields, i))->name);
  /* The id comes back whether asked for or not. */
  if (!has_id)
    add_ig_field (builder, call, account, "id");
  json_builder_end_object (builder);

  _graph_sim_reply_json (reply, 200, builder);
}

void
_graph_sim_me (GraphSimState *state,
               GraphSimCall  *call,
               GraphSimToken *token,
               GraphSimReply *reply)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, token->user->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, token->user->name);
  json_builder_end_object (builder);

  _graph_sim_reply_json (reply, 200, builder);
}

static char *
encode_cursor (guint index)
{
  g_autofree char *text = g_strdup_printf ("sim-page-%u", index);

  return g_base64_encode ((const guchar *) text, strlen (text));
}

static gboolean
decode_cursor (const char *cursor,
               guint      *index)
{
  g_autofree guchar *raw = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;
  guint64 n;

  raw = g_base64_decode (cursor, &len);
  text = g_strndup ((const char *) raw, len);

  if (!g_str_has_prefix (text, "sim-page-") ||
      !g_ascii_string_to_unsigned (text + strlen ("sim-page-"), 10, 0, G_MAXUINT, &n, NULL))
    return FALSE;

  *index = (guint) n;
  return TRUE;
}

static const char *
page_token (GraphSimState *state,
            GraphSimToken *token,
            GraphSimPage  *page)
{
  g_autofree char *text = g_strdup_printf ("sim-page-token-%s-%08x", page->id,
                                           _graph_sim_seed (token->user->id));
  GraphSimToken *existing = g_hash_table_lookup (state->tokens, text);

  /* Page tokens act for the user who manages the page. */
  if (existing == NULL)
    existing = _graph_sim_state_add_token (state, token->user, text, "PAGE");
  _graph_sim_state_note_issued (state->issued_tokens, text);

  return existing->token;
}

static void
add_page (JsonBuilder   *builder,
          GraphSimState *state,
          GraphSimCall  *call,
          GraphSimToken *token,
          GraphSimPage  *page,
          GPtrArray     *fields)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, page->id);

  for (guint i = 0; i < fields->len; i++)
    {
      Field *field = g_ptr_array_index (fields, i);

      if (g_str_equal (field->name, "name"))
        {
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, page->name);
        }
      else if (g_str_equal (field->name, "access_token"))
        {
          json_builder_set_member_name (builder, "access_token");
          json_builder_add_string_value (builder, page_token (state, token, page));
        }
      else if (g_str_equal (field->name, "instagram_business_account") && page->ig_id != NULL)
        {
          GraphSimAccount *account = g_hash_table_lookup (state->accounts, page->ig_id);

          json_builder_set_member_name (builder, "instagram_business_account");
          json_builder_begin_object (builder);
          for (guint j = 0; field->subfields != NULL && field->subfields[j] != NULL; j++)
            {
              if (!g_str_equal (field->subfields[j], "id") && account != NULL)
                add_ig_field (builder, call, account, field->subfields[j]);
            }
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, page->ig_id);
          json_builder_end_object (builder);
        }
    }

  json_builder_end_object (builder);
}

void
_graph_sim_me_accounts (GraphSimState *state,
                        GraphSimCall  *call,
                        GraphSimToken *token,
                        GraphSimReply *reply)
{
  const char *fields_param = g_hash_table_lookup (call->params, "fields");
  const char *limit_param = g_hash_table_lookup (call->params, "limit");
  const char *after = g_hash_table_lookup (call->params, "after");
  const char *before = g_hash_table_lookup (call->params, "before");
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  GPtrArray *pages = token->user->pages;
  guint64 limit = DEFAULT_PAGE_SIZE;
  guint total = pages->len;
  guint offset = 0;
  guint end;

  /* Without pages_show_list the edge is empty rather than an error. */
  if (!_graph_sim_user_has_scope (token->user, "pages_show_list"))
    total = 0;

  fields = parse_fields (fields_param != NULL ? fields_param :
                         "id,name,access_token,instagram_business_account");

  for (guint i = 0; i < fields->len; i++)
    {
      Field *field = g_ptr_array_index (fields, i);
      static const char * const known[] = {
        "id", "name", "access_token", "instagram_business_account", "category", "tasks", NULL
      };

      if (!g_strv_contains (known, field->name))
        {
          _graph_sim_reply_error (reply, 400, 100, 0, FALSE,
                                  "(#100) Tried accessing nonexisting field (%s) on node type (Page)",
                                  field->name);
          return;
        }
    }

  if (limit_param != NULL &&
      !g_ascii_string_to_unsigned (limit_param, 10, 1, G_MAXUINT, &limit, NULL))
    {
      _graph_sim_reply_error_literal (reply, 400, 100, 0, FALSE,
                                      "(#100) The parameter limit must be a positive integer");
      return;
    }
  limit = MIN (limit, MAX_PAGE_SIZE);

  if (after != NULL || before != NULL)
    {
      guint index;

      if (!decode_cursor (after != NULL ? after : before, &index))
        {
          _graph_sim_reply_error_literal (reply, 400, 100, 0, FALSE,
                                          "(#100) The cursor is not valid");
          return;
        }

      if (after != NULL)
        offset = index + 1;
      else
        offset = index >= limit ? index - (guint) limit : 0;
    }

  offset = MIN (offset, total);
  end = MIN (offset + (guint) limit, total);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);
  for (guint i = offset; i < end; i++)
    add_page (builder, state, call, token, g_ptr_array_index (pages, i), fields);
  json_builder_end_array (builder);

  if (end > offset)
    {
      g_autofree char *first = encode_cursor (offset);
      g_autofree char *last = encode_cursor (end - 1);
      g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

      json_builder_set_member_name (builder, "paging");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "cursors");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "before");
      json_builder_add_string_value (builder, first);
      json_builder_set_member_name (builder, "after");
      json_builder_add_string_value (builder, last);
      json_builder_end_object (builder);

      g_hash_table_insert (params, g_strdup ("access_token"), g_strdup (token->token));
      g_hash_table_insert (params, g_strdup ("limit"), g_strdup_printf ("%u", (guint) limit));
      if (fields_param != NULL)
        g_hash_table_insert (params, g_strdup ("fields"), g_strdup (fields_param));

      if (offset > 0)
        {
          g_autofree char *url = NULL;

          g_hash_table_insert (params, g_strdup ("before"), g_strdup (first));
          url = _graph_sim_build_url (call, "/me/accounts", params);
          g_hash_table_remove (params, "before");
          json_builder_set_member_name (builder, "previous");
          json_builder_add_string_value (builder, url);
        }

      if (end < total)
        {
          g_autofree char *url = NULL;

          g_hash_table_insert (params, g_strdup ("after"), g_strdup (last));
          url = _graph_sim_build_url (call, "/me/accounts", params);
          json_builder_set_member_name (builder, "next");
          json_builder_add_string_value (builder, url);
        }
      json_builder_end_object (builder);
    }

  json_builder_end_object (builder);

  _graph_sim_reply_json (reply, 200, builder);
}
