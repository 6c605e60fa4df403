/* test-time.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "instasync-error.h"
#include "instasync-time.h"

typedef struct
{
  const char *input;
  gint64      unix_seconds;
  int         microseconds;
} Accepted;

/* Every expected value was worked out by hand from the calendar, not by
 * running the code under test. */
static const Accepted accepted[] = {
  /* The API's own form. 2024-05-04T07:00:00Z = 1714806000. */
  { "2024-05-04T07:00:00+0000", 1714806000, 0 },
  { "2024-05-04T07:00:00+00:00", 1714806000, 0 },
  { "2024-05-04T07:00:00Z", 1714806000, 0 },
  { "2024-05-04T07:00:00z", 1714806000, 0 },
  { "2024-05-04 07:00:00+00", 1714806000, 0 },
  /* Pacific midnight written with its own offset is the same instant. */
  { "2024-05-04T00:00:00-0700", 1714806000, 0 },
  { "2024-05-04T00:00:00-07:00", 1714806000, 0 },
  { "2024-05-04T12:30:00+0530", 1714806000, 0 },
  /* Fractional seconds are kept to the microsecond. */
  { "2024-05-04T07:00:00.5Z", 1714806000, 500000 },
  { "2024-05-04T07:00:00.123456+0000", 1714806000, 123456 },
  { "2024-05-04T07:00:00,25Z", 1714806000, 250000 },
  /* A date alone is midnight UTC. */
  { "2024-05-04", 1714780800, 0 },
  /* Unix seconds. */
  { "1714806000", 1714806000, 0 },
  { "999999999", 999999999, 0 },
  /* A leap day, and a year end crossed by an offset. */
  { "2024-02-29T08:00:00+0000", 1709193600, 0 },
  { "2025-01-01T01:00:00+0200", 1735686000, 0 },
  /* Both sides of the 2024 US changes, written the API's way. */
  { "2024-03-10T08:00:00+0000", 1710057600, 0 },
  { "2024-03-11T07:00:00+0000", 1710140400, 0 },
  { "2024-11-03T07:00:00+0000", 1730617200, 0 },
  { "2024-11-04T08:00:00+0000", 1730707200, 0 },
};

static const char * const refused[] = {
  "",
  "yesterday",
  "2024-05-04T07:00:00",          /* no offset: ambiguous */
  "2024-05-04T07:00",             /* no seconds */
  "2024-13-01",                   /* no such month */
  "2023-02-29",                   /* not a leap year */
  "2024-04-31",
  "2024-05-04T24:00:00Z",
  "2024-05-04T07:60:00Z",
  "2024-05-04T07:00:00+2500",
  "2024-05-04T07:00:00+00:0",
  "2024-05-04T07:00:00.Z",
  "2024-05-04T07:00:00Z trailing",
  "2024-05-04X07:00:00Z",
  "20240504",                     /* a compact date is not Unix seconds */
  "17148060000000",               /* milliseconds are not seconds */
  "-1714806000",
  "1714806000.5",
  "2024/05/04",
  " 2024-05-04",
  "0001-01-01T00:00:00+0100",     /* the offset leaves the years 1 to 9999 */
  "9999-12-31T23:59:59-01:00",
  "2024-05-04T07:00:00+0000'; DROP TABLE instagram_insights; --",
};

static void
test_normalize_accepted (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDateTime) dt = instasync_normalize_timestamp (accepted[i].input, &error);

      g_test_message ("%s", accepted[i].input);
      g_assert_no_error (error);
      g_assert_nonnull (dt);
      g_assert_cmpint (g_date_time_to_unix (dt), ==, accepted[i].unix_seconds);
      g_assert_cmpint (g_date_time_get_microsecond (dt), ==, accepted[i].microseconds);
      /* A UTC instant, whatever the input's offset. */
      g_assert_cmpint (g_date_time_get_utc_offset (dt), ==, 0);
    }
}

static void
test_normalize_refused (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDateTime) dt = instasync_normalize_timestamp (refused[i], &error);

      g_test_message ("“%s”", refused[i]);
      g_assert_null (dt);
      g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_TIMESTAMP);
    }

  {
    g_autoptr(GError) error = NULL;
    g_assert_null (instasync_normalize_timestamp (NULL, &error));
    g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_TIMESTAMP);
  }
  {
    g_autoptr(GError) error = NULL;
    g_assert_null (instasync_normalize_timestamp ("2024-05-04T07:00:00\xff", &error));
    g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_TIMESTAMP);
  }
}

typedef struct
{
  guint  year, month, day;
  gint64 start;   /* Pacific midnight starting the day, Unix seconds */
  gint64 end;     /* Pacific midnight ending it */
  const char *end_text;
} PacificDay;

static const PacificDay pacific_days[] = {
  /* Summer: 07:00 UTC. */
  { 2024, 5, 3, 1714719600, 1714806000, "2024-05-04T07:00:00+0000" },
  /* Winter: 08:00 UTC. */
  { 2024, 1, 15, 1705305600, 1705392000, "2024-01-16T08:00:00+0000" },
  /* 2024-03-10 has 23 hours: starts in PST, ends in PDT. */
  { 2024, 3, 10, 1710057600, 1710140400, "2024-03-11T07:00:00+0000" },
  /* 2024-11-03 has 25 hours: starts in PDT, ends in PST. */
  { 2024, 11, 3, 1730617200, 1730707200, "2024-11-04T08:00:00+0000" },
  /* The year end. */
  { 2024, 12, 31, 1735632000, 1735718400, "2025-01-01T08:00:00+0000" },
  /* 2026's changes: 8 March and 1 November. */
  { 2026, 3, 8, 1772956800, 1773039600, "2026-03-09T07:00:00+0000" },
  { 2026, 11, 1, 1793516400, 1793606400, "2026-11-02T08:00:00+0000" },
};

static void
test_pacific_days (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (pacific_days); i++)
    {
      const PacificDay *d = &pacific_days[i];
      GDate day, back;
      g_autofree char *end_text = NULL;

      g_date_clear (&day, 1);
      g_date_set_dmy (&day, (GDateDay)d->day, (GDateMonth)d->month, (GDateYear)d->year);

      g_assert_cmpint (instasync_pacific_day_start (&day), ==, d->start);
      g_assert_cmpint (instasync_pacific_day_end (&day), ==, d->end);

      end_text = instasync_format_graph_time (d->end);
      g_assert_cmpstr (end_text, ==, d->end_text);

      /* The value with this end_time describes this day. */
      instasync_pacific_day_of_end_time (d->end, &back);
      g_assert_cmpint (g_date_compare (&back, &day), ==, 0);

      instasync_pacific_date_at (d->start, &back);
      g_assert_cmpint (g_date_compare (&back, &day), ==, 0);
      instasync_pacific_date_at (d->end - 1, &back);
      g_assert_cmpint (g_date_compare (&back, &day), ==, 0);
    }
}

static void
test_parse_date (void)
{
  GDate day;
  g_autofree char *text = NULL;
  const char * const bad[] = { "2024-02-30", "2024-5-04", "2024-05-04T00:00:00Z", "", "abcd-ef-gh",
                               "0000-01-01", "2024-05-04 ", NULL };

  g_assert_true (instasync_parse_date ("2024-02-29", &day, NULL));
  text = instasync_format_date (&day);
  g_assert_cmpstr (text, ==, "2024-02-29");

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (instasync_parse_date (bad[i], &day, &error));
      g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_INVALID_ARGUMENT);
    }
}

static void
test_format_iso (void)
{
  g_autofree char *text = instasync_format_iso8601_utc (1714806000);

  g_assert_cmpstr (text, ==, "2024-05-04T07:00:00Z");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/time/normalize/accepted", test_normalize_accepted);
  g_test_add_func ("/time/normalize/refused", test_normalize_refused);
  g_test_add_func ("/time/pacific-days", test_pacific_days);
  g_test_add_func ("/time/parse-date", test_parse_date);
  g_test_add_func ("/time/format-iso", test_format_iso);

  return g_test_run ();
}
