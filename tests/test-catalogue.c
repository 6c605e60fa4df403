/* test-catalogue.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "instasync-error.h"
#include "instasync-metric-catalogue.h"

static void
test_required_metrics (void)
{
  const char * const required[] = {
    "reach", "profile_views", "accounts_engaged", "follower_count", "views",
    "total_interactions", "likes", "comments", "shares", "saves", "replies",
    "follows_and_unfollows", "website_clicks", NULL
  };

  for (guint i = 0; required[i] != NULL; i++)
    {
      const InstaSyncMetricInfo *info = instasync_metric_catalogue_lookup (required[i]);

      g_test_message ("%s", required[i]);
      g_assert_nonnull (info);
      g_assert_cmpstr (info->name, ==, required[i]);
      g_assert_cmpstr (info->period, ==, "day");
      g_assert_cmpint (info->types, !=, 0);
    }

  g_assert_null (instasync_metric_catalogue_lookup ("no_such_metric"));
  g_assert_null (instasync_metric_catalogue_lookup (NULL));
}

static void
test_metric_rules (void)
{
  const InstaSyncMetricInfo *reach = instasync_metric_catalogue_lookup ("reach");
  const InstaSyncMetricInfo *views = instasync_metric_catalogue_lookup ("profile_views");
  const InstaSyncMetricInfo *followers = instasync_metric_catalogue_lookup ("follower_count");
  const InstaSyncMetricInfo *follows = instasync_metric_catalogue_lookup ("follows_and_unfollows");
  const InstaSyncMetricInfo *impressions = instasync_metric_catalogue_lookup ("impressions");

  /* reach alone takes both types; daily values come as a time series. */
  g_assert_cmpint (reach->types, ==, INSTASYNC_METRIC_TYPE_TIME_SERIES | INSTASYNC_METRIC_TYPE_TOTAL_VALUE);
  g_assert_cmpstr (instasync_metric_info_daily_type (reach), ==, "time_series");
  g_assert_true (instasync_metric_info_supports_breakdown (reach, "media_product_type"));
  g_assert_false (instasync_metric_info_supports_breakdown (reach, "contact_button_type"));

  /* profile_views lost its time series in v21. */
  g_assert_cmpint (views->types, ==, INSTASYNC_METRIC_TYPE_TOTAL_VALUE);
  g_assert_cmpstr (instasync_metric_info_daily_type (views), ==, "total_value");
  g_assert_false (instasync_metric_info_supports_breakdown (views, "media_product_type"));

  /* follower_count: time series, last 30 days, never today. */
  g_assert_cmpint (followers->types, ==, INSTASYNC_METRIC_TYPE_TIME_SERIES);
  g_assert_cmpuint (followers->history_days, ==, 30);
  g_assert_true (followers->excludes_today);

  g_assert_true (instasync_metric_info_supports_breakdown (follows, "follow_type"));
  g_assert_cmpuint (impressions->removed_in_version, ==, 22);
}

static void
test_default_set (void)
{
  g_auto(GStrv) set = instasync_metric_catalogue_default_set ();
  const char * const expected[] = { "reach", "profile_views", "accounts_engaged", "follower_count", NULL };

  g_assert_cmpstrv (set, expected);
}

static void
test_parse_list (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) list = NULL;
  const char * const expected[] = { "reach", "likes", "website_clicks", NULL };

  /* Catalogue order, duplicates and blanks dropped. */
  list = instasync_metric_catalogue_parse_list (" website_clicks, reach ,likes,reach,,", &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (list, expected);

  g_assert_null (instasync_metric_catalogue_parse_list ("reach,bogus", &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "bogus"));
  g_clear_error (&error);

  g_assert_null (instasync_metric_catalogue_parse_list (" , ", &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_INVALID_ARGUMENT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/catalogue/required-metrics", test_required_metrics);
  g_test_add_func ("/catalogue/metric-rules", test_metric_rules);
  g_test_add_func ("/catalogue/default-set", test_default_set);
  g_test_add_func ("/catalogue/parse-list", test_parse_list);

  return g_test_run ();
}
