/* instasync-window-reading.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-window-reading"

#include "config.h"

#include "instasync-time.h"
#include "instasync-window-reading.h"

#define NOON (12 * 3600)

static const char * const names[] = {
  [INSTASYNC_WINDOW_READING_UNKNOWN] = NULL,
  [INSTASYNC_WINDOW_READING_OVERLAP] = "overlap",
  [INSTASYNC_WINDOW_READING_OVERLAP_INCLUSIVE] = "overlap_inclusive",
  [INSTASYNC_WINDOW_READING_BUCKET_END] = "bucket_end",
  [INSTASYNC_WINDOW_READING_BUCKET_END_INCLUSIVE] = "bucket_end_inclusive",
};

typedef enum
{
  TOTAL_NONE,
  TOTAL_DAY,
  TOTAL_PREVIOUS,
  TOTAL_NEXT,
  TOTAL_OTHER,
} TotalSeen;

/* Auxiliary */

static gboolean
is_overlap_family (InstaSyncWindowReading reading)
{
  return reading == INSTASYNC_WINDOW_READING_OVERLAP ||
         reading == INSTASYNC_WINDOW_READING_OVERLAP_INCLUSIVE;
}

/* Whether @held is exactly the days @from … @to, in order. */
static gboolean
holds_days (GArray      *held,
            const GDate *from,
            int          from_offset,
            const GDate *to,
            int          to_offset)
{
  GDate day = *from;
  GDate last = *to;
  guint i = 0;

  if (from_offset < 0)
    g_date_subtract_days (&day, (guint)-from_offset);
  else
    g_date_add_days (&day, (guint)from_offset);
  if (to_offset < 0)
    g_date_subtract_days (&last, (guint)-to_offset);
  else
    g_date_add_days (&last, (guint)to_offset);

  for (; g_date_compare (&day, &last) <= 0; g_date_add_days (&day, 1), i++)
    if (i >= held->len || g_date_compare (&g_array_index (held, GDate, i), &day) != 0)
      return FALSE;

  return i == held->len;
}

static TotalSeen
total_seen (const InstaSyncProbeTotal *total,
            gint64                     previous,
            gint64                     day,
            gint64                     next)
{
  /* A zero where the day has a value is an answer about no bucket. */
  if (!total->present || (total->value == 0 && day != 0))
    return TOTAL_NONE;
  if (total->value == day)
    return TOTAL_DAY;
  if (total->value == previous)
    return TOTAL_PREVIOUS;
  if (total->value == next)
    return TOTAL_NEXT;
  return TOTAL_OTHER;
}

/* Public API */

const char *
instasync_window_reading_to_string (InstaSyncWindowReading reading)
{
  if ((guint)reading >= G_N_ELEMENTS (names))
    return NULL;
  return names[reading];
}

InstaSyncWindowReading
instasync_window_reading_from_string (const char *text)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (names); i++)
    if (names[i] != NULL && g_str_equal (names[i], text))
      return (InstaSyncWindowReading)i;

  return INSTASYNC_WINDOW_READING_UNKNOWN;
}

gboolean
instasync_window_reading_holds (InstaSyncWindowReading reading,
                                gint64                 start,
                                gint64                 end,
                                gint64                 since,
                                gint64                 until)
{
  switch (reading)
    {
    case INSTASYNC_WINDOW_READING_OVERLAP:
      return start < until && end > since;
    case INSTASYNC_WINDOW_READING_OVERLAP_INCLUSIVE:
      return start <= until && end > since;
    case INSTASYNC_WINDOW_READING_BUCKET_END:
      return since < end && end <= until;
    case INSTASYNC_WINDOW_READING_BUCKET_END_INCLUSIVE:
      return since <= end && end <= until;
    case INSTASYNC_WINDOW_READING_UNKNOWN:
    default:
      return FALSE;
    }
}

void
instasync_window_reading_total_bounds (InstaSyncWindowReading reading,
                                       gint64                 first_start,
                                       gint64                 last_end,
                                       gint64                *since,
                                       gint64                *until)
{
  *since = first_start;
  *until = last_end;

  /* The overlap readings would take the bucket that starts at until, the
   * bucket_end readings the one that ends at since. */
  if (is_overlap_family (reading))
    *until = last_end - 1;
  else if (reading != INSTASYNC_WINDOW_READING_UNKNOWN)
    *since = first_start + 1;
}

void
instasync_probe_days_init (InstaSyncProbeDays *days,
                           const GDate        *today)
{
  /* Two weeks back: past the API's 48-hour delay, with the day before F
   * and the day after L settled too, and inside follower_count's 30 days
   * should a probe ever need it. */
  days->first = *today;
  g_date_subtract_days (&days->first, 13);
  days->day = days->first;
  g_date_add_days (&days->day, 1);
  days->last = days->first;
  g_date_add_days (&days->last, 3);
}

void
instasync_probe_bounds (InstaSyncProbe            probe,
                        GTimeZone                *zone,
                        const InstaSyncProbeDays *days,
                        gint64                   *since,
                        gint64                   *until)
{
  switch (probe)
    {
    case INSTASYNC_PROBE_SERIES_A:
      *since = instasync_day_start (zone, &days->first);
      *until = instasync_day_start (zone, &days->last) + NOON;
      break;
    case INSTASYNC_PROBE_SERIES_B:
      *since = instasync_day_start (zone, &days->first) + NOON;
      *until = instasync_day_end (zone, &days->last);
      break;
    case INSTASYNC_PROBE_TOTAL_1:
      *since = instasync_day_start (zone, &days->day);
      *until = instasync_day_end (zone, &days->day) - 1;
      break;
    case INSTASYNC_PROBE_TOTAL_2:
      *since = instasync_day_start (zone, &days->day) + 1;
      *until = instasync_day_end (zone, &days->day);
      break;
    case INSTASYNC_N_PROBES:
    default:
      g_return_if_reached ();
    }
}

InstaSyncWindowReading
instasync_probe_series_reading (const InstaSyncProbeDays *days,
                                GArray                   *a_days,
                                GArray                   *b_days)
{
  const GDate *f = &days->first;
  const GDate *l = &days->last;

  g_return_val_if_fail (a_days != NULL && b_days != NULL, INSTASYNC_WINDOW_READING_UNKNOWN);

  if (holds_days (a_days, f, -1, l, -1) && holds_days (b_days, f, 0, l, 0))
    return INSTASYNC_WINDOW_READING_BUCKET_END_INCLUSIVE;
  if (holds_days (a_days, f, 0, l, -1) && holds_days (b_days, f, 0, l, 0))
    return INSTASYNC_WINDOW_READING_BUCKET_END;
  if (holds_days (a_days, f, 0, l, 0) && holds_days (b_days, f, 0, l, 1))
    return INSTASYNC_WINDOW_READING_OVERLAP_INCLUSIVE;
  if (holds_days (a_days, f, 0, l, 0) && holds_days (b_days, f, 0, l, 0))
    return INSTASYNC_WINDOW_READING_OVERLAP;

  return INSTASYNC_WINDOW_READING_UNKNOWN;
}

InstaSyncWindowReading
instasync_probe_total_reading (const InstaSyncProbeTotal *total_1,
                               const InstaSyncProbeTotal *total_2,
                               gint64                     previous,
                               gint64                     day,
                               gint64                     next)
{
  TotalSeen one, two;

  g_return_val_if_fail (total_1 != NULL && total_2 != NULL, INSTASYNC_WINDOW_READING_UNKNOWN);

  /* Neighbours with the same value could not be told apart. */
  if (previous == day || next == day || previous == next)
    return INSTASYNC_WINDOW_READING_UNKNOWN;

  one = total_seen (total_1, previous, day, next);
  two = total_seen (total_2, previous, day, next);

  if (one == TOTAL_DAY && two == TOTAL_DAY)
    return INSTASYNC_WINDOW_READING_OVERLAP;
  if (one == TOTAL_DAY && two == TOTAL_OTHER)
    return INSTASYNC_WINDOW_READING_OVERLAP_INCLUSIVE;
  if (one == TOTAL_NONE && two == TOTAL_DAY)
    return INSTASYNC_WINDOW_READING_BUCKET_END;
  if (one == TOTAL_PREVIOUS && two == TOTAL_DAY)
    return INSTASYNC_WINDOW_READING_BUCKET_END_INCLUSIVE;

  return INSTASYNC_WINDOW_READING_UNKNOWN;
}
