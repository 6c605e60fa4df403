/* instasync-inert-text.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-inert-text"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "instasync-inert-text.h"

#define REPLACEMENT 0xFFFD
#define ELLIPSIS    "…"

gboolean
instasync_unichar_is_unsafe (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:              /* C0, DEL, C1: ESC, BEL, CSI (U+009B)… */
    case G_UNICODE_LINE_SEPARATOR:       /* U+2028, a line break to some renderers */
    case G_UNICODE_PARAGRAPH_SEPARATOR:  /* U+2029 */
    case G_UNICODE_SURROGATE:
      return TRUE;

    case G_UNICODE_FORMAT:
      /* Bidi marks, embeddings, overrides (U+202A–202E) and isolates
       * (U+2066–2069), and the invisible rest (tags, U+FEFF…), which make
       * a text read other than it is. Joiners only shape what is there. */
      return c != 0x200C && c != 0x200D;

    default:
      return FALSE;
    }
}

char *
instasync_text_make_inert_full (const char          *text,
                                gssize               length,
                                gsize                max_chars,
                                InstaSyncInertFlags  flags)
{
  g_autofree char *valid = NULL;
  GString *inert;
  gsize n_bytes;
  gsize n_chars = 0;
  gsize last_start = 0;
  gboolean cut = FALSE;

  if (text == NULL)
    return g_strdup ("");

  n_bytes = length < 0 ? strlen (text) : (gsize)length;

  /* Characters are at most four bytes, and each invalid byte becomes one:
   * this many bytes hold more than @max_chars characters, so a huge text
   * costs no more than its start. */
  if (max_chars < G_MAXSIZE / 4 - 1 && n_bytes > (max_chars + 1) * 4)
    n_bytes = (max_chars + 1) * 4;

  valid = g_utf8_make_valid (text, (gssize)n_bytes);
  inert = g_string_sized_new (MIN (strlen (valid), (gsize)4096) + 1);

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (n_chars == max_chars)
        {
          cut = TRUE;
          break;
        }

      last_start = inert->len;
      n_chars++;

      if (c == '\n' || c == '\t')
        g_string_append_c (inert, (flags & INSTASYNC_INERT_KEEP_NEWLINES) ? (char)c : ' ');
      else if (c == '\r')
        g_string_append_c (inert, ' ');   /* it would rewrite the line it is on */
      else if (instasync_unichar_is_unsafe (c))
        g_string_append_unichar (inert, REPLACEMENT);
      else
        g_string_append_len (inert, p, g_utf8_next_char (p) - p);
    }

  /* The ellipsis takes the place of the last character that fitted. */
  if (cut && max_chars > 0)
    {
      g_string_truncate (inert, last_start);
      g_string_append (inert, ELLIPSIS);
    }

  return g_string_free (inert, FALSE);
}

char *
instasync_text_make_inert (const char *text,
                           gsize       max_chars)
{
  return instasync_text_make_inert_full (text, -1, max_chars, INSTASYNC_INERT_FLAGS_NONE);
}

char *
instasync_text_cap_for_storage (const char *text)
{
  if (text == NULL)
    return NULL;

  /* Lines stay: a summary has several, and nothing prints this raw. */
  return instasync_text_make_inert_full (text, -1, INSTASYNC_STORED_TEXT_MAX_CHARS,
                                         INSTASYNC_INERT_KEEP_NEWLINES);
}

static void
cap_strings (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, NULL, &member))
          cap_strings (member);
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          cap_strings (json_array_get_element (array, i));
      }
      break;

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        {
          g_autofree char *capped = instasync_text_cap_for_storage (json_node_get_string (node));

          json_node_set_string (node, capped);
        }
      break;

    case JSON_NODE_NULL:
    default:
      break;
    }
}

char *
instasync_json_cap_for_storage (const char  *json,
                                GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = NULL;
  g_autofree char *valid = NULL;
  JsonNode *root;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The parser refuses invalid UTF-8 outright; a message from outside
   * should not cost the whole record. */
  valid = g_utf8_make_valid (json, -1);
  if (!json_parser_load_from_data (parser, valid, -1, error))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL)
    return g_strdup ("");
  cap_strings (root);

  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

char *
instasync_json_text_make_inert (const char *json)
{
  g_autofree char *valid = NULL;
  GString *inert;

  if (json == NULL)
    return g_strdup ("");

  /* Outside its strings a generated document is ASCII, so every character
   * below is inside a string, where an escape means the same character. */
  valid = g_utf8_make_valid (json, -1);
  inert = g_string_sized_new (strlen (valid) + 1);

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* DEL is the one unsafe ASCII character the generator leaves. */
      if ((c < 0x80 && c != 0x7F) || !instasync_unichar_is_unsafe (c))
        {
          g_string_append_len (inert, p, g_utf8_next_char (p) - p);
        }
      else if (c < 0x10000)
        {
          g_string_append_printf (inert, "\\u%04x", c);
        }
      else
        {
          gunichar v = c - 0x10000;

          g_string_append_printf (inert, "\\u%04x\\u%04x", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF));
        }
    }

  return g_string_free (inert, FALSE);
}
