/* test-request-planner.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "instasync-request-planner.h"
#include "instasync-time.h"

static const char * const four[] = { "reach", "profile_views", "accounts_engaged", "follower_count", NULL };

static void
set_day (GDate *day,
         guint  year,
         guint  month,
         guint  mday)
{
  g_date_clear (day, 1);
  g_date_set_dmy (day, (GDateDay)mday, (GDateMonth)month, (GDateYear)year);
}

static char *
describe (const InstaSyncPlannedRequest *request)
{
  g_autofree char *metrics = g_strjoinv (",", request->metrics);
  g_autofree char *first = instasync_format_date (&request->first);
  g_autofree char *last = instasync_format_date (&request->last);

  if (request->period_days != 0)
    return g_strdup_printf ("%s %s %s..%s total%u", metrics, request->metric_type, first, last,
                            request->period_days);
  return g_strdup_printf ("%s %s %s..%s", metrics, request->metric_type, first, last);
}

/* Plans and describes every request, one line each. */
static char *
plan (const char * const *metrics,
      const GDate        *since,
      const GDate        *until,
      const GDate        *today,
      const guint        *periods,
      GPtrArray          *notes)
{
  g_autoptr(GPtrArray) requests = instasync_plan_requests (metrics, since, until, today, periods, notes);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < requests->len; i++)
    {
      g_autofree char *line = describe (g_ptr_array_index (requests, i));
      g_string_append_printf (text, "%s\n", line);
    }

  return g_string_free (text, FALSE);
}

static void
test_daily_incremental (void)
{
  GDate since, until, today;
  g_autofree char *text = NULL;

  set_day (&today, 2026, 11, 24);
  set_day (&since, 2026, 11, 21);
  set_day (&until, 2026, 11, 23);

  /* The fewest requests: one time series, follower_count alone, one
   * request per day for both total-value metrics together. */
  text = plan (four, &since, &until, &today, NULL, NULL);
  g_assert_cmpstr (text, ==,
                   "reach time_series 2026-11-21..2026-11-23\n"
                   "profile_views,accounts_engaged total_value 2026-11-23..2026-11-23\n"
                   "profile_views,accounts_engaged total_value 2026-11-22..2026-11-22\n"
                   "profile_views,accounts_engaged total_value 2026-11-21..2026-11-21\n"
                   "follower_count time_series 2026-11-21..2026-11-23\n");
}

static void
test_chunks_newest_first (void)
{
  const char * const reach[] = { "reach", NULL };
  GDate since, until, today;
  g_autofree char *text = NULL;

  /* 70 days across the year end and the November DST change: chunks of 29
   * days at most, newest first, without gaps or overlaps. */
  set_day (&today, 2025, 1, 20);
  set_day (&since, 2024, 10, 27);
  set_day (&until, 2025, 1, 4);

  text = plan (reach, &since, &until, &today, NULL, NULL);
  g_assert_cmpstr (text, ==,
                   "reach time_series 2024-12-07..2025-01-04\n"
                   "reach time_series 2024-11-08..2024-12-06\n"
                   "reach time_series 2024-10-27..2024-11-07\n");
}

static void
test_span_never_over_30_days (void)
{
  const char * const reach[] = { "reach", NULL };
  GDate since, until, today;
  g_autoptr(GPtrArray) requests = NULL;

  set_day (&today, 2026, 11, 24);
  set_day (&since, 2025, 1, 1);
  set_day (&until, 2026, 11, 23);

  requests = instasync_plan_requests (reach, &since, &until, &today, NULL, NULL);
  for (guint i = 0; i < requests->len; i++)
    {
      InstaSyncPlannedRequest *request = g_ptr_array_index (requests, i);
      gint64 span = instasync_pacific_day_end (&request->last) - 1 -
                    instasync_pacific_day_start (&request->first);

      /* What is sent: since = start of the first day, until = one second
       * before the end of the last. */
      g_assert_cmpint (span, <=, 2592000);
      if (i > 0)
        {
          InstaSyncPlannedRequest *newer = g_ptr_array_index (requests, i - 1);
          GDate next = request->last;

          g_date_add_days (&next, 1);
          g_assert_cmpint (g_date_compare (&next, &newer->first), ==, 0);
        }
    }
}

static void
test_limits (void)
{
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  GDate since, until, today;
  g_autofree char *text = NULL;
  const char * const followers[] = { "follower_count", "website_clicks", NULL };

  /* follower_count: 29 whole days before today (the API counts 30 days
   * back from this second), never today; total values: two years less a
   * day, today allowed. */
  set_day (&today, 2026, 3, 1);
  set_day (&since, 2023, 1, 1);
  set_day (&until, 2026, 3, 1);

  text = plan (followers, &since, &until, &today, NULL, notes);
  g_assert_true (g_str_has_prefix (text, "follower_count time_series 2026-01-31..2026-02-28\n"
                                         "website_clicks total_value 2026-03-01..2026-03-01\n"));
  g_assert_true (g_str_has_suffix (text, "website_clicks total_value 2024-03-03..2024-03-03\n"));
  g_assert_null (strstr (text, "2024-03-02"));
  g_assert_cmpuint (notes->len, ==, 2);
  g_assert_nonnull (strstr (g_ptr_array_index (notes, 0), "follower_count: window narrowed to "
                                                            "2026-01-31 … 2026-02-28"));
  g_clear_pointer (&text, g_free);

  /* A window the API does not serve at all plans nothing, and says so. */
  g_ptr_array_set_size (notes, 0);
  set_day (&since, 2025, 1, 1);
  set_day (&until, 2025, 1, 31);
  {
    const char * const only[] = { "follower_count", NULL };
    text = plan (only, &since, &until, &today, NULL, notes);
  }
  g_assert_cmpstr (text, ==, "");
  g_assert_nonnull (strstr (g_ptr_array_index (notes, 0), "no data"));
}

static void
test_period_totals (void)
{
  const guint periods[] = { 7, 28, 90, 0 };
  const char * const metrics[] = { "reach", "likes", "accounts_engaged", NULL };
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  GDate since, until, today;
  g_autofree char *text = NULL;

  set_day (&today, 2024, 3, 15);
  set_day (&since, 2024, 3, 14);
  set_day (&until, 2024, 3, 14);

  /* Unique counts get totals of their own; likes add up and do not; 90
   * days is more than the API answers at once. The totals end on the last
   * settled day (today - 3), not on the provisional ones; the 7 days cross
   * the March DST change, the 28 the end of February. */
  text = plan (metrics, &since, &until, &today, periods, notes);
  g_assert_cmpstr (text, ==,
                   "reach time_series 2024-03-14..2024-03-14\n"
                   "likes,accounts_engaged total_value 2024-03-14..2024-03-14\n"
                   "reach,accounts_engaged total_value 2024-03-06..2024-03-12 total7\n"
                   "reach,accounts_engaged total_value 2024-02-14..2024-03-12 total28\n");
  g_assert_cmpuint (notes->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (notes, 0), "90-day"));
}

static void
test_split (void)
{
  GDate since, until, today;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GPtrArray) singles = NULL;
  InstaSyncPlannedRequest *grouped = NULL;

  set_day (&today, 2026, 11, 24);
  set_day (&since, 2026, 11, 23);
  set_day (&until, 2026, 11, 23);
  requests = instasync_plan_requests (four, &since, &until, &today, NULL, NULL);

  for (guint i = 0; i < requests->len; i++)
    {
      InstaSyncPlannedRequest *request = g_ptr_array_index (requests, i);
      if (g_strv_length (request->metrics) == 2)
        grouped = request;
    }
  g_assert_nonnull (grouped);

  singles = instasync_plan_split (grouped);
  g_assert_cmpuint (singles->len, ==, 2);
  for (guint i = 0; i < singles->len; i++)
    {
      InstaSyncPlannedRequest *single = g_ptr_array_index (singles, i);

      g_assert_cmpuint (g_strv_length (single->metrics), ==, 1);
      g_assert_cmpstr (single->metrics[0], ==, grouped->metrics[i]);
      g_assert_cmpstr (single->metric_type, ==, "total_value");
      g_assert_cmpint (g_date_compare (&single->first, &grouped->first), ==, 0);
    }
}

static void
test_merge_days (void)
{
  const char *one[] = { "profile_views", NULL };
  const char *other[] = { "accounts_engaged", "reach", NULL };
  const char *both[] = { "profile_views", "accounts_engaged", NULL };
  GDate today, since_old, since_new, until;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GPtrArray) more = NULL;
  guint daily = 0;

  set_day (&today, 2026, 11, 24);
  set_day (&since_old, 2026, 11, 1);
  set_day (&since_new, 2026, 11, 19);
  set_day (&until, 2026, 11, 21);

  /* profile_views from the 1st, accounts_engaged (and reach, a time
   * series) from the 19th: planned apart, then merged. */
  requests = instasync_plan_requests (one, &since_old, &until, &today, NULL, NULL);
  more = instasync_plan_requests (other, &since_new, &until, &today, NULL, NULL);
  for (guint i = 0; i < more->len; i++)
    g_ptr_array_add (requests, g_steal_pointer (&more->pdata[i]));
  g_ptr_array_set_size (more, 0);
  g_assert_cmpuint (requests->len, ==, 21 + 3 + 1);

  instasync_plan_merge_days (requests);
  /* 21 days of total values, and the time series untouched. */
  g_assert_cmpuint (requests->len, ==, 21 + 1);
  for (guint i = 0; i < requests->len; i++)
    {
      InstaSyncPlannedRequest *request = g_ptr_array_index (requests, i);
      GDate day;

      if (g_str_equal (request->metric_type, "time_series"))
        {
          g_assert_cmpstr (request->metrics[0], ==, "reach");
          g_assert_cmpint (g_date_compare (&request->first, &since_new), ==, 0);
          continue;
        }

      daily++;
      day = request->first;
      if (g_date_compare (&day, &since_new) >= 0)
        g_assert_cmpstrv (request->metrics, both);
      else
        g_assert_cmpstrv (request->metrics, one);
    }
  g_assert_cmpuint (daily, ==, 21);
}

static void
test_without (void)
{
  GDate since, until, today;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GHashTable) excluded = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(InstaSyncPlannedRequest) kept = NULL;
  g_autoptr(InstaSyncPlannedRequest) none = NULL;
  InstaSyncPlannedRequest *grouped = NULL;
  const char *expected[3] = { NULL, };

  set_day (&today, 2026, 11, 24);
  set_day (&since, 2026, 11, 20);
  set_day (&until, 2026, 11, 20);
  requests = instasync_plan_requests (four, &since, &until, &today, NULL, NULL);
  for (guint i = 0; i < requests->len; i++)
    if (g_strv_length (((InstaSyncPlannedRequest *)g_ptr_array_index (requests, i))->metrics) == 2)
      grouped = g_ptr_array_index (requests, i);
  g_assert_nonnull (grouped);

  /* Nothing excluded: the same request, as a copy. */
  kept = instasync_plan_without (grouped, excluded);
  g_assert_nonnull (kept);
  g_assert_true (kept != grouped);
  g_assert_cmpstrv (kept->metrics, grouped->metrics);
  g_clear_pointer (&kept, instasync_planned_request_free);

  /* One of two excluded: the other one alone, same shape and window. */
  g_hash_table_add (excluded, grouped->metrics[0]);
  expected[0] = grouped->metrics[1];
  kept = instasync_plan_without (grouped, excluded);
  g_assert_nonnull (kept);
  g_assert_cmpstrv (kept->metrics, expected);
  g_assert_cmpstr (kept->metric_type, ==, grouped->metric_type);
  g_assert_cmpint (g_date_compare (&kept->first, &grouped->first), ==, 0);
  g_assert_cmpint (g_date_compare (&kept->last, &grouped->last), ==, 0);
  g_assert_cmpuint (kept->period_days, ==, grouped->period_days);

  /* Both excluded: nothing left to ask. */
  g_hash_table_add (excluded, grouped->metrics[1]);
  none = instasync_plan_without (grouped, excluded);
  g_assert_null (none);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/planner/daily-incremental", test_daily_incremental);
  g_test_add_func ("/planner/chunks-newest-first", test_chunks_newest_first);
  g_test_add_func ("/planner/span-never-over-30-days", test_span_never_over_30_days);
  g_test_add_func ("/planner/limits", test_limits);
  g_test_add_func ("/planner/period-totals", test_period_totals);
  g_test_add_func ("/planner/split", test_split);
  g_test_add_func ("/planner/without", test_without);
  g_test_add_func ("/planner/merge-days", test_merge_days);

  return g_test_run ();
}
