/* instasync-day-zone.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-day-zone"

#include "config.h"

#include "instasync-day-zone.h"
#include "instasync-time.h"

/* The zones of the time zone database, one per region since 1970. */
#define ZONE_TABLE "/usr/share/zoneinfo/zone1970.tab"
#define ZONE_TABLE_OLD "/usr/share/zoneinfo/zone.tab"

/* Auxiliary */

static gboolean
fits_all (GTimeZone    *zone,
          const gint64 *end_times,
          guint         n_end_times)
{
  for (guint i = 0; i < n_end_times; i++)
    {
      GDate day;

      instasync_date_at (zone, end_times[i], &day);
      if (instasync_day_start (zone, &day) != end_times[i])
        return FALSE;
    }

  return TRUE;
}

/* The IANA names in the third column of the zone table. */
static GStrv
database_zones (void)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (ZONE_TABLE, &contents, NULL, NULL) &&
      !g_file_get_contents (ZONE_TABLE_OLD, &contents, NULL, NULL))
    return g_strv_builder_end (names);

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) columns = NULL;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      columns = g_strsplit (lines[i], "\t", 4);
      if (g_strv_length (columns) >= 3)
        g_strv_builder_add (names, columns[2]);
    }

  return g_strv_builder_end (names);
}

/* The fixed offset whose midnight falls on @end_time, between −12 and +14
 * hours. */
static GTimeZone *
offset_zone_for (gint64 end_time)
{
  gint64 time_of_day = ((end_time % 86400) + 86400) % 86400;
  gint64 offset = (86400 - time_of_day) % 86400;

  if (offset > 14 * 3600)
    offset -= 86400;

  return g_time_zone_new_offset ((gint32)offset);
}

/* Public API */

GTimeZone *
instasync_day_zone_new (const char *identifier)
{
  GTimeZone *zone = NULL;

  if (identifier != NULL && *identifier != '\0')
    zone = g_time_zone_new_identifier (identifier);

  return zone != NULL ? zone : instasync_pacific_timezone ();
}

gboolean
instasync_day_zone_fits (GTimeZone    *zone,
                         const gint64 *end_times,
                         guint         n_end_times)
{
  g_return_val_if_fail (zone != NULL, FALSE);
  g_return_val_if_fail (end_times != NULL || n_end_times == 0, FALSE);

  return fits_all (zone, end_times, n_end_times);
}

GTimeZone *
instasync_day_zone_learn (const gint64 *end_times,
                          guint         n_end_times,
                          GTimeZone    *current)
{
  g_autoptr(GTimeZone) pacific = instasync_pacific_timezone ();
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GTimeZone) offset = NULL;
  g_auto(GStrv) names = NULL;

  g_return_val_if_fail (end_times != NULL || n_end_times == 0, NULL);

  if (n_end_times == 0)
    return NULL;

  /* The zones most likely to be right come first, so that a name stays put
   * once learnt and the zones that merely agree for now are not preferred. */
  if (current != NULL && fits_all (current, end_times, n_end_times))
    return g_time_zone_ref (current);
  if (fits_all (pacific, end_times, n_end_times))
    return g_steal_pointer (&pacific);
  if (fits_all (local, end_times, n_end_times))
    return g_steal_pointer (&local);

  names = database_zones ();
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (names[i]);

      if (zone != NULL && fits_all (zone, end_times, n_end_times))
        return g_steal_pointer (&zone);
    }

  offset = offset_zone_for (end_times[0]);
  if (fits_all (offset, end_times, n_end_times))
    return g_steal_pointer (&offset);

  return NULL;
}
