/* test-schedule.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * When the daily background sync runs: later today, tomorrow, across the
 * clock changes, and never for a time that is not one.
 */

#include "config.h"

#include "instasync-schedule.h"

static void
assert_next (GTimeZone  *zone,
             int         year,
             int         month,
             int         day,
             int         hour,
             int         minute,
             const char *time_of_day,
             const char *expected)
{
  g_autoptr(GDateTime) now = g_date_time_new (zone, year, month, day, hour, minute, 0);
  g_autoptr(GDateTime) next = instasync_schedule_next_run (now, time_of_day);
  g_autofree char *text = NULL;

  g_assert_nonnull (next);
  text = g_date_time_format (next, "%Y-%m-%d %H:%M %z");
  g_assert_cmpstr (text, ==, expected);
  g_assert_cmpint (g_date_time_compare (next, now), >, 0);
}

static void
test_next_run (void)
{
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  g_assert_nonnull (berlin);

  /* Later today, or tomorrow once the time has passed (or is now). */
  assert_next (utc, 2026, 12, 1, 5, 0, "06:00", "2026-12-01 06:00 +0000");
  assert_next (utc, 2026, 12, 1, 6, 0, "06:00", "2026-12-02 06:00 +0000");
  assert_next (utc, 2026, 12, 31, 23, 30, "00:15", "2027-01-01 00:15 +0000");

  /* Across the clock changes: the same wall-clock time, the new offset. */
  assert_next (berlin, 2026, 3, 28, 7, 0, "06:00", "2026-03-29 06:00 +0200");
  assert_next (berlin, 2026, 10, 24, 7, 0, "06:00", "2026-10-25 06:00 +0100");
  /* 02:30 does not exist on 29 March in Berlin: the run comes as the gap ends. */
  assert_next (berlin, 2026, 3, 29, 0, 0, "02:30", "2026-03-29 03:00 +0200");
}

static void
test_refused_times (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char * const bad[] = { "6:00", "24:00", "06:60", "06-00", "", "06:00:00", "ab:cd", NULL };

  for (guint i = 0; bad[i] != NULL; i++)
    g_assert_null (instasync_schedule_next_run (now, bad[i]));
  g_assert_null (instasync_schedule_next_run (now, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/schedule/next-run", test_next_run);
  g_test_add_func ("/schedule/refused-times", test_refused_times);

  return g_test_run ();
}
