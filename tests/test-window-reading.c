/* test-window-reading.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pure parts of learning the API's days: which reading a probe's
 * answers show, the bounds a total is sent with under each reading, and
 * the zone whose midnights a set of end_times are.
 */

#include "config.h"

#include "instasync-day-zone.h"
#include "instasync-time.h"
#include "instasync-window-reading.h"

static const InstaSyncWindowReading readings[] = {
  INSTASYNC_WINDOW_READING_OVERLAP,
  INSTASYNC_WINDOW_READING_OVERLAP_INCLUSIVE,
  INSTASYNC_WINDOW_READING_BUCKET_END,
  INSTASYNC_WINDOW_READING_BUCKET_END_INCLUSIVE,
};

static void
set_date (GDate *day,
          int    y,
          int    m,
          int    d)
{
  g_date_clear (day, 1);
  g_date_set_dmy (day, (GDateDay)d, (GDateMonth)m, (GDateYear)y);
}

/* The days of @zone that [since, until] holds under @reading, from a day
 * before @from to a day after @to: the test's own model of the API. */
static GArray *
held_days (InstaSyncWindowReading reading,
           GTimeZone             *zone,
           const GDate           *from,
           const GDate           *to,
           gint64                 since,
           gint64                 until)
{
  GArray *days = g_array_new (FALSE, FALSE, sizeof (GDate));
  GDate day = *from;
  GDate last = *to;

  g_date_subtract_days (&day, 2);
  g_date_add_days (&last, 2);
  for (; g_date_compare (&day, &last) <= 0; g_date_add_days (&day, 1))
    if (instasync_window_reading_holds (reading, instasync_day_start (zone, &day),
                                        instasync_day_end (zone, &day), since, until))
      g_array_append_val (days, day);

  return days;
}

static void
test_names (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (readings); i++)
    g_assert_cmpint (instasync_window_reading_from_string (instasync_window_reading_to_string (readings[i])),
                     ==, readings[i]);
  g_assert_null (instasync_window_reading_to_string (INSTASYNC_WINDOW_READING_UNKNOWN));
  g_assert_cmpint (instasync_window_reading_from_string ("sideways"), ==,
                   INSTASYNC_WINDOW_READING_UNKNOWN);
  g_assert_cmpint (instasync_window_reading_from_string (NULL), ==,
                   INSTASYNC_WINDOW_READING_UNKNOWN);
}

/* Under each reading, in Pacific and Berlin days, the probe's two time
 * series tell that reading, and no other. */
static void
test_series_probe (void)
{
  static const char * const zones[] = { "America/Los_Angeles", "Europe/Berlin" };
  GDate today;

  /* Around the end of Berlin's summer time and of Pacific's. */
  set_date (&today, 2026, 11, 8);

  for (guint z = 0; z < G_N_ELEMENTS (zones); z++)
    for (guint r = 0; r < G_N_ELEMENTS (readings); r++)
      {
        g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (zones[z]);
        g_autoptr(GArray) a = NULL;
        g_autoptr(GArray) b = NULL;
        InstaSyncProbeDays days;
        gint64 since, until;

        instasync_probe_days_init (&days, &today);
        instasync_probe_bounds (INSTASYNC_PROBE_SERIES_A, zone, &days, &since, &until);
        a = held_days (readings[r], zone, &days.first, &days.last, since, until);
        instasync_probe_bounds (INSTASYNC_PROBE_SERIES_B, zone, &days, &since, &until);
        b = held_days (readings[r], zone, &days.first, &days.last, since, until);

        g_assert_cmpint (instasync_probe_series_reading (&days, a, b), ==, readings[r]);
      }
}

/* The one-day totals: from the daily values around D, each reading is
 * told; values too alike to tell, or totals that fit no reading, are not
 * taken for one. */
static void
test_total_probe (void)
{
  const gint64 previous = 310, day = 342, next = 295, both = 342 + (310 + 295) / 3;
  const InstaSyncProbeTotal none = { FALSE, 0 };
  const InstaSyncProbeTotal zero = { TRUE, 0 };
  const InstaSyncProbeTotal of_day = { TRUE, day };
  const InstaSyncProbeTotal of_previous = { TRUE, previous };
  const InstaSyncProbeTotal of_two = { TRUE, both };

  g_assert_cmpint (instasync_probe_total_reading (&of_day, &of_day, previous, day, next), ==,
                   INSTASYNC_WINDOW_READING_OVERLAP);
  g_assert_cmpint (instasync_probe_total_reading (&of_day, &of_two, previous, day, next), ==,
                   INSTASYNC_WINDOW_READING_OVERLAP_INCLUSIVE);
  g_assert_cmpint (instasync_probe_total_reading (&none, &of_day, previous, day, next), ==,
                   INSTASYNC_WINDOW_READING_BUCKET_END);
  /* A zero where the day has a value answers about no bucket. */
  g_assert_cmpint (instasync_probe_total_reading (&zero, &of_day, previous, day, next), ==,
                   INSTASYNC_WINDOW_READING_BUCKET_END);
  g_assert_cmpint (instasync_probe_total_reading (&of_previous, &of_day, previous, day, next), ==,
                   INSTASYNC_WINDOW_READING_BUCKET_END_INCLUSIVE);

  g_assert_cmpint (instasync_probe_total_reading (&of_two, &of_two, previous, day, next), ==,
                   INSTASYNC_WINDOW_READING_UNKNOWN);
  g_assert_cmpint (instasync_probe_total_reading (&none, &none, previous, day, next), ==,
                   INSTASYNC_WINDOW_READING_UNKNOWN);
  g_assert_cmpint (instasync_probe_total_reading (&of_day, &of_day, day, day, next), ==,
                   INSTASYNC_WINDOW_READING_UNKNOWN);
}

/* Under each reading, a total sent with the bounds planned for it holds
 * its own day and no other. */
static void
test_total_bounds (void)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("America/Los_Angeles");
  GDate day;

  /* 1 November 2026 is 25 hours long in Pacific time. */
  set_date (&day, 2026, 11, 1);

  for (guint r = 0; r < G_N_ELEMENTS (readings); r++)
    {
      g_autoptr(GArray) held = NULL;
      gint64 since, until;

      instasync_window_reading_total_bounds (readings[r], instasync_day_start (zone, &day),
                                             instasync_day_end (zone, &day), &since, &until);
      held = held_days (readings[r], zone, &day, &day, since, until);
      g_assert_cmpuint (held->len, ==, 1);
      g_assert_cmpint (g_date_compare (&g_array_index (held, GDate, 0), &day), ==, 0);
    }
}

static gint64
midnight (const char *zone_name,
          int         y,
          int         m,
          int         d)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (zone_name);
  g_autoptr(GDateTime) dt = g_date_time_new (zone, y, m, d, 0, 0, 0);

  return g_date_time_to_unix (dt);
}

static void
test_day_zone (void)
{
  /* Across Berlin's end of summer time: 22:00, then 23:00 UTC. */
  const gint64 berlin[] = {
    midnight ("Europe/Berlin", 2026, 10, 24), midnight ("Europe/Berlin", 2026, 10, 25),
    midnight ("Europe/Berlin", 2026, 10, 26),
  };
  const gint64 pacific[] = {
    midnight ("America/Los_Angeles", 2026, 10, 31), midnight ("America/Los_Angeles", 2026, 11, 2),
  };
  /* A whole-hour offset no named zone uses in winter and summer alike. */
  const gint64 odd[] = { G_GINT64_CONSTANT (1793000000) - 1793000000 % 86400 + 5 * 60 };
  const gint64 mixed[] = { berlin[0], pacific[0] };
  g_autoptr(GTimeZone) learnt = NULL;
  g_autoptr(GTimeZone) pacific_zone = instasync_day_zone_new (NULL);
  g_autoptr(GTimeZone) unknown = instasync_day_zone_new ("Mars/Olympus_Mons");

  g_assert_cmpstr (g_time_zone_get_identifier (pacific_zone), ==, "America/Los_Angeles");
  g_assert_cmpstr (g_time_zone_get_identifier (unknown), ==, "America/Los_Angeles");

  g_assert_true (instasync_day_zone_fits (pacific_zone, pacific, G_N_ELEMENTS (pacific)));
  g_assert_false (instasync_day_zone_fits (pacific_zone, berlin, G_N_ELEMENTS (berlin)));
  g_assert_true (instasync_day_zone_fits (pacific_zone, NULL, 0));

  /* Pacific is tried before the database. */
  learnt = instasync_day_zone_learn (pacific, G_N_ELEMENTS (pacific), NULL);
  g_assert_cmpstr (g_time_zone_get_identifier (learnt), ==, "America/Los_Angeles");
  g_clear_pointer (&learnt, g_time_zone_unref);

  /* A zone with Berlin's midnights on both sides of the change. */
  learnt = instasync_day_zone_learn (berlin, G_N_ELEMENTS (berlin), pacific_zone);
  g_assert_nonnull (learnt);
  g_assert_true (instasync_day_zone_fits (learnt, berlin, G_N_ELEMENTS (berlin)));
  g_clear_pointer (&learnt, g_time_zone_unref);

  /* Midnight at 00:05 UTC: no zone but a fixed offset has it. */
  learnt = instasync_day_zone_learn (odd, G_N_ELEMENTS (odd), NULL);
  g_assert_nonnull (learnt);
  g_assert_true (instasync_day_zone_fits (learnt, odd, G_N_ELEMENTS (odd)));
  g_clear_pointer (&learnt, g_time_zone_unref);

  /* Midnights of two zones at once fit none. */
  g_assert_null (instasync_day_zone_learn (mixed, G_N_ELEMENTS (mixed), NULL));
  g_assert_null (instasync_day_zone_learn (NULL, 0, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/window-reading/names", test_names);
  g_test_add_func ("/window-reading/series-probe", test_series_probe);
  g_test_add_func ("/window-reading/total-probe", test_total_probe);
  g_test_add_func ("/window-reading/total-bounds", test_total_bounds);
  g_test_add_func ("/window-reading/day-zone", test_day_zone);

  return g_test_run ();
}
