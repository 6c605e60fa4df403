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

/* The highest percentage and wait over some X-Business-Use-Case-Usage
 * entries. */
typedef struct
{
  gboolean found;
  int      percent;
  int      regain;          /* minutes, -1 when no entry says */
} BusinessReading;

static void
read_entries (JsonArray       *entries,
              BusinessReading *reading)
{
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonNode *entry_node = json_array_get_element (entries, i);
      JsonObject *entry;
      JsonNode *regain_node;

      if (!JSON_NODE_HOLDS_OBJECT (entry_node))
        continue;
      entry = json_node_get_object (entry_node);

      reading->percent = MAX (reading->percent, max_percent (entry, &reading->found));

      regain_node = json_object_get_member (entry, "estimated_time_to_regain_access");
      if (regain_node != NULL && json_node_get_value_type (regain_node) == G_TYPE_INT64)
        reading->regain = MAX (reading->regain,
                               (int)CLAMP (json_node_get_int (regain_node), 0, 24 * 60 * 7));
    }
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
  return instasync_usage_parse_business_for (usage, header_value, NULL, NULL);
}

gboolean
instasync_usage_parse_business_for (InstaSyncUsage *usage,
                                    const char     *header_value,
                                    const char     *ig_user_id,
                                    const char     *page_id)
{
  g_autoptr(JsonNode) root = parse_header (header_value);
  BusinessReading any = { FALSE, 0, -1 };
  BusinessReading own = { FALSE, 0, -1 };
  const BusinessReading *reading;
  JsonObjectIter iter;
  const char *key;
  JsonNode *member;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;

  /* {"<business-object-id>": [{"type": "instagram", "call_count": 1, ...}]} */
  json_object_iter_init (&iter, json_node_get_object (root));
  while (json_object_iter_next (&iter, &key, &member))
    {
      if (!JSON_NODE_HOLDS_ARRAY (member))
        continue;

      read_entries (json_node_get_array (member), &any);
      if (g_strcmp0 (key, ig_user_id) == 0 || g_strcmp0 (key, page_id) == 0)
        read_entries (json_node_get_array (member), &own);
    }

  /* Another account's entry says nothing about this one: a busy sibling
   * must not pause it. But when no entry has one of its ids, the key is an
   * id the client does not know (the reference leaves open whether the IG
   * user, the Page or the business keys the header) and the entries may
   * well be this account's: the highest is then the safe reading, since
   * pausing early costs a delay and a throttle a longer block. */
  reading = own.found ? &own : &any;
  if (!reading->found)
    return FALSE;

  usage->business_known = TRUE;
  usage->business_percent = reading->percent;
  usage->regain_minutes = reading->regain;
  return TRUE;
}

gboolean
instasync_usage_parse_header (InstaSyncUsage *usage,
                              const char     *name,
                              const char     *value,
                              const char     *ig_user_id,
                              const char     *page_id)
{
  if (name == NULL)
    return FALSE;

  /* HTTP header names are case-insensitive, and batch answers spell them
   * as they please. */
  if (g_ascii_strcasecmp (name, "X-App-Usage") == 0)
    return instasync_usage_parse_app (usage, value);
  if (g_ascii_strcasecmp (name, "X-Business-Use-Case-Usage") == 0)
    return instasync_usage_parse_business_for (usage, value, ig_user_id, page_id);

  return FALSE;
}

void
instasync_usage_combine (InstaSyncUsage       *usage,
                         const InstaSyncUsage *other)
{
  if (other->app_known)
    {
      usage->app_percent = usage->app_known ? MAX (usage->app_percent, other->app_percent)
                                            : other->app_percent;
      usage->app_known = TRUE;
    }

  if (other->business_known)
    {
      if (usage->business_known)
        {
          usage->business_percent = MAX (usage->business_percent, other->business_percent);
          usage->regain_minutes = MAX (usage->regain_minutes, other->regain_minutes);
        }
      else
        {
          usage->business_percent = other->business_percent;
          usage->regain_minutes = other->regain_minutes;
        }
      usage->business_known = TRUE;
    }
}

void
instasync_usage_update (InstaSyncUsage       *usage,
                        const InstaSyncUsage *reading)
{
  if (reading->app_known)
    {
      usage->app_known = TRUE;
      usage->app_percent = reading->app_percent;
    }

  if (reading->business_known)
    {
      usage->business_known = TRUE;
      usage->business_percent = reading->business_percent;
      usage->regain_minutes = reading->regain_minutes;
    }
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
