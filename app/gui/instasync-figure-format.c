/* instasync-figure-format.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "instasync-chart-scale.h"
#include "instasync-figure-format.h"

char *
instasync_format_change (gint64           current,
                         gint64           previous,
                         InstaSyncChange *direction)
{
  InstaSyncChange unused;
  double percent;

  if (direction == NULL)
    direction = &unused;

  if (current < 0 || previous < 0)
    {
      *direction = INSTASYNC_CHANGE_UNKNOWN;
      return g_strdup ("—");
    }

  if (previous == 0)
    {
      *direction = current > 0 ? INSTASYNC_CHANGE_UP : INSTASYNC_CHANGE_FLAT;
      /* Translators: a figure that was zero in the range before. */
      return current > 0 ? g_strdup (_("New")) : g_strdup ("±0%");
    }

  percent = round (100.0 * (double)(current - previous) / (double)previous);
  if (percent > 0)
    {
      *direction = INSTASYNC_CHANGE_UP;
      return g_strdup_printf ("+%.0f%%", percent);
    }
  if (percent < 0)
    {
      *direction = INSTASYNC_CHANGE_DOWN;
      return g_strdup_printf ("−%.0f%%", -percent);
    }

  *direction = INSTASYNC_CHANGE_FLAT;
  return g_strdup ("±0%");
}

char *
instasync_format_figure (gint64 value)
{
  if (value < 0)
    return g_strdup ("—");

  return instasync_chart_format_value ((double)value);
}
