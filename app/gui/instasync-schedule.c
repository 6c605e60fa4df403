/* instasync-schedule.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-gui"

#include "config.h"

#include <string.h>

#include "instasync-schedule.h"

static gboolean
parse_time (const char *text,
            int        *hour,
            int        *minute)
{
  guint64 h, m;
  g_auto(GStrv) parts = NULL;

  if (text == NULL)
    return FALSE;

  parts = g_strsplit (text, ":", -1);
  if (g_strv_length (parts) != 2 || strlen (parts[0]) != 2 || strlen (parts[1]) != 2 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 0, 23, &h, NULL) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 0, 59, &m, NULL))
    return FALSE;

  *hour = (int)h;
  *minute = (int)m;
  return TRUE;
}

GDateTime *
instasync_schedule_next_run (GDateTime  *now,
                             const char *time_of_day)
{
  int hour, minute;

  g_return_val_if_fail (now != NULL, NULL);

  if (!parse_time (time_of_day, &hour, &minute))
    return NULL;

  /* Today at that time, then the following days until one lies ahead. A
   * wall-clock time the clock skips (spring forward) is moved on by GLib to
   * the first instant after the gap. */
  for (int day = 0; day < 3; day++)
    {
      g_autoptr(GDateTime) date = g_date_time_add_days (now, day);
      GDateTime *candidate = g_date_time_new (g_date_time_get_timezone (now),
                                              g_date_time_get_year (date),
                                              g_date_time_get_month (date),
                                              g_date_time_get_day_of_month (date),
                                              hour, minute, 0);

      if (candidate != NULL && g_date_time_compare (candidate, now) > 0)
        return candidate;
      g_clear_pointer (&candidate, g_date_time_unref);
    }

  g_return_val_if_reached (NULL);
}
