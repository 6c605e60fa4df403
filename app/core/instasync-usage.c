/* instasync-usage.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-usage"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "instasync-usage.h"

static const char * const percent_fields[] = { "call_count", "total_time", "total_cputime" };

static int
max_percent (JsonObject *object,
             gboolean   *found)
{
  int best = 0;

  for (guint i = 0; i < G_N_ELEMENTS (percent_fields); i++)
    {
      JsonNode *node = json_object_get_member (object, percent_fields[i]);

      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
        continue;
      if (json_node_get_value_type (node) == G_TYPE_INT64)
        best = MAX (best, (int)CLAMP (json_node_get_int (node), 0, 1000));
      else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        best = MAX (best, (int)CLAMP (json_node_get_double (node), 0, 1000));
      else
        continue;
      *found = TRUE;
    }

  return best;
}

static JsonNode *
parse_header (const char *value)
{
  g_autoptr(JsonParser) parser = NULL;

  if (value == NULL || *value == '\0')
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, value, (gssize)strlen (value), NULL))
    return NULL;
  if (json_parser_get_root (parser) == NULL)
    return NULL;

  return json_node_ref (json_parser_get_root (parser));
}

void
instasync_usage_init (InstaSyncUsage *usage)
{
  memset (usage, 0, sizeof *usage);
  usage->regain_minutes = -1;
}

gboolean
instasync_usage_parse_app (InstaSyncUsage *usage,
                           const char     *header_value)
{
  g_autoptr(JsonNode) root = parse_header (header_value);
  gboolean found = FALSE;
  int percent;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;

  percent = max_percent (json_node_get_object (root), &found);
  if (!found)
    return FALSE;

  usage->app_known = TRUE;
  usage->app_percent = percent;
  return TRUE;
}

gboolean
instasync_usage_parse_business (InstaSyncUsage *usage,
                                const char     *header_value)
{
  g_autoptr(JsonNode) root = parse_header (header_value);
  JsonObjectIter iter;
  const char *key;
  JsonNode *member;
  gboolean found = FALSE;
  int percent = 0;
  int regain = -1;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;

  /* {"<business-object-id>": [{"type": "instagram", "call_count": 1, ...}]} */
  json_object_iter_init (&iter, json_node_get_object (root));
  while (json_object_iter_next (&iter, &key, &member))
    {
      JsonArray *entries;

      if (!JSON_NODE_HOLDS_ARRAY (member))
        continue;

      entries = json_node_get_array (member);
      for (guint i = 0; i < json_array_get_length (entries); i++)
        {
          JsonNode *entry_node = json_array_get_element (entries, i);
          JsonObject *entry;
          JsonNode *regain_node;

          if (!JSON_NODE_HOLDS_OBJECT (entry_node))
            continue;
          entry = json_node_get_object (entry_node);

          percent = MAX (percent, max_percent (entry, &found));

          regain_node = json_object_get_member (entry, "estimated_time_to_regain_access");
          if (regain_node != NULL && json_node_get_value_type (regain_node) == G_TYPE_INT64)
            regain = MAX (regain, (int)CLAMP (json_node_get_int (regain_node), 0, 24 * 60 * 7));
        }
    }

  if (!found)
    return FALSE;

  usage->business_known = TRUE;
  usage->business_percent = percent;
  usage->regain_minutes = regain;
  return TRUE;
}

int
instasync_usage_get_percent (const InstaSyncUsage *usage)
{
  int percent = 0;

  if (usage->app_known)
    percent = MAX (percent, usage->app_percent);
  if (usage->business_known)
    percent = MAX (percent, usage->business_percent);

  return percent;
}
