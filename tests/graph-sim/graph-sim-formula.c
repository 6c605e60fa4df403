/* graph-sim-formula.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "graph-sim-formula"

#include "config.h"

#include "graph-sim-private.h"

/* The simulator's own metric table. The index of a row is the k of the
 * value formula, so rows are only ever appended. */
static const GraphSimMetric metrics[] = {
  { "reach", 1000, TRUE, TRUE, 0, "media_product_type,follow_type",
    "Accounts reached",
    "The number of unique accounts that have seen your content, at least once, including in ads." },
  { "profile_views", 100, FALSE, TRUE, 0, NULL,
    "Profile views",
    "The number of times your profile was visited." },
  { "accounts_engaged", 300, FALSE, TRUE, 0, NULL,
    "Accounts engaged",
    "The number of accounts that have interacted with your content, including in ads." },
  { "follower_count", 5, TRUE, FALSE, 0, NULL,
    "Follower count",
    "Total number of unique accounts following this profile" },
  { "views", 5000, FALSE, TRUE, 0, "follower_type,media_product_type",
    "Views",
    "The number of times your content was played or displayed." },
  { "total_interactions", 200, FALSE, TRUE, 0, "media_product_type",
    "Content interactions",
    "The total number of post interactions, story interactions, reels interactions, video interactions and live video interactions." },
  { "likes", 150, FALSE, TRUE, 0, "media_product_type",
    "Likes",
    "The number of likes on your posts, reels and videos." },
  { "comments", 20, FALSE, TRUE, 0, "media_product_type",
    "Comments",
    "The number of comments on your posts, reels, videos and live videos." },
  { "shares", 10, FALSE, TRUE, 0, "media_product_type",
    "Shares",
    "The number of shares of your posts, stories, reels, videos and live videos." },
  { "saves", 15, FALSE, TRUE, 0, "media_product_type",
    "Saves",
    "The number of saves of your posts, reels and videos." },
  { "replies", 5, FALSE, TRUE, 0, NULL,
    "Replies",
    "The number of replies you received from your story, including text replies and quick reaction replies." },
  { "reposts", 3, FALSE, TRUE, 0, NULL,
    "Reposts",
    "The number of times your content was reposted." },
  { "profile_links_taps", 9, FALSE, TRUE, 0, "contact_button_type",
    "Profile links taps",
    "The number of taps on your business address, call button, email button and text button." },
  { "follows_and_unfollows", 8, FALSE, TRUE, 0, "follow_type",
    "Follows and unfollows",
    "The number of accounts that followed you and the number of accounts that unfollowed you or left Instagram in the selected time period." },
  { "website_clicks", 7, FALSE, TRUE, 0, NULL,
    "Website clicks",
    "Total number of taps on the website link in this profile" },
  { "impressions", 6000, TRUE, FALSE, 22, NULL,
    "Impressions",
    "Total number of times this profile has been seen" },
};

const GraphSimMetric *
_graph_sim_metric_lookup (const char *name,
                          guint      *index)
{
  if (name == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (metrics); i++)
    {
      if (g_str_equal (metrics[i].name, name))
        {
          if (index != NULL)
            *index = i;
          return &metrics[i];
        }
    }

  return NULL;
}

const GraphSimMetric *
_graph_sim_metric_nth (guint index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (metrics), NULL);

  return &metrics[index];
}

guint
_graph_sim_metric_count (void)
{
  return G_N_ELEMENTS (metrics);
}

guint32
_graph_sim_seed (const char *ig_user_id)
{
  guint64 h = 0;

  for (const guchar *p = (const guchar *) ig_user_id; *p != '\0'; p++)
    h = (h * 31 + *p) % 1000003;

  return (guint32) h;
}

static gboolean
is_unique_count (const char *metric)
{
  /* Reach and engaged accounts count unique accounts: an account seen on
   * two days is one account over the period, so a period total is less
   * than the sum of the days. */
  return g_str_equal (metric, "reach") || g_str_equal (metric, "accounts_engaged");
}

gint64
_graph_sim_total_of (const char   *metric,
                     const gint64 *values,
                     guint         n_values)
{
  gint64 sum = 0;
  gint64 max = 0;

  for (guint i = 0; i < n_values; i++)
    {
      sum += values[i];
      max = MAX (max, values[i]);
    }

  if (n_values > 1 && is_unique_count (metric))
    return max + (sum - max) / 3;

  return sum;
}

gint64
graph_sim_daily_value (const char  *ig_user_id,
                       const char  *metric,
                       const GDate *day)
{
  const GraphSimMetric *m;
  guint k = 0;
  guint32 seed;
  gint64 d;

  g_return_val_if_fail (ig_user_id != NULL, 0);
  g_return_val_if_fail (metric != NULL, 0);
  g_return_val_if_fail (day != NULL && g_date_valid (day), 0);

  m = _graph_sim_metric_lookup (metric, &k);
  g_return_val_if_fail (m != NULL, 0);

  seed = _graph_sim_seed (ig_user_id);
  d = g_date_get_julian (day);

  return m->base + (seed % 500) + ((d * (k + 3) + seed) % 97);
}

gint64
graph_sim_total_value (const char  *ig_user_id,
                       const char  *metric,
                       const GDate *first_day,
                       const GDate *last_day)
{
  g_autoptr(GArray) values = NULL;
  GDate day;

  g_return_val_if_fail (ig_user_id != NULL, 0);
  g_return_val_if_fail (metric != NULL, 0);
  g_return_val_if_fail (first_day != NULL && g_date_valid (first_day), 0);
  g_return_val_if_fail (last_day != NULL && g_date_valid (last_day), 0);
  g_return_val_if_fail (_graph_sim_metric_lookup (metric, NULL) != NULL, 0);

  values = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (day = *first_day; g_date_compare (&day, last_day) <= 0; g_date_add_days (&day, 1))
    {
      gint64 v = graph_sim_daily_value (ig_user_id, metric, &day);
      g_array_append_val (values, v);
    }

  return _graph_sim_total_of (metric, (const gint64 *) (gpointer) values->data, values->len);
}

GTimeZone *
_graph_sim_pacific (void)
{
  static GTimeZone *tz;

  if (g_once_init_enter (&tz))
    {
      GTimeZone *pacific = g_time_zone_new_identifier ("America/Los_Angeles");

      /* Without tzdata, fall back to the rule itself so days still move
       * between 07:00 and 08:00 UTC on the right Sundays. */
      if (pacific == NULL)
        pacific = g_time_zone_new_identifier ("PST8PDT,M3.2.0,M11.1.0");
      g_assert (pacific != NULL);
      g_once_init_leave (&tz, pacific);
    }

  return tz;
}

void
_graph_sim_date_in (GTimeZone *tz,
                    gint64     unix_seconds,
                    GDate     *date)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_seconds);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);

  g_date_clear (date, 1);
  g_date_set_dmy (date,
                  g_date_time_get_day_of_month (local),
                  g_date_time_get_month (local),
                  g_date_time_get_year (local));
}

gint64
_graph_sim_day_start_in (GTimeZone   *tz,
                         const GDate *date)
{
  /* Where a DST change skips midnight itself, GDateTime moves to the first
   * instant that exists, which is where that day starts. */
  g_autoptr(GDateTime) local = g_date_time_new (tz,
                                                g_date_get_year (date),
                                                g_date_get_month (date),
                                                g_date_get_day (date),
                                                0, 0, 0);

  return g_date_time_to_unix (local);
}

void
_graph_sim_pacific_date (gint64  unix_seconds,
                         GDate  *date)
{
  _graph_sim_date_in (_graph_sim_pacific (), unix_seconds, date);
}

gint64
_graph_sim_pacific_day_start (const GDate *date)
{
  /* Pacific DST changes happen at 02:00, so local midnight always exists
   * and is never ambiguous. */
  return _graph_sim_day_start_in (_graph_sim_pacific (), date);
}

char *
_graph_sim_format_end_time_in (GTimeZone   *tz,
                               const GDate *date)
{
  GDate next = *date;
  g_autoptr(GDateTime) end = NULL;

  g_date_add_days (&next, 1);
  end = g_date_time_new_from_unix_utc (_graph_sim_day_start_in (tz, &next));

  return g_date_time_format (end, "%Y-%m-%dT%H:%M:%S+0000");
}

char *
_graph_sim_format_end_time (const GDate *date)
{
  return _graph_sim_format_end_time_in (_graph_sim_pacific (), date);
}

char *
_graph_sim_format_pacific_time (gint64 unix_seconds)
{
  /* English names regardless of locale, as the API writes them. */
  static const char * const weekdays[] = {
    NULL, "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
  };
  static const char * const months[] = {
    NULL, "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  };
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_seconds);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, _graph_sim_pacific ());

  return g_strdup_printf ("%s, %02d-%s-%02d %02d:%02d:%02d %s",
                          weekdays[g_date_time_get_day_of_week (local)],
                          g_date_time_get_day_of_month (local),
                          months[g_date_time_get_month (local)],
                          g_date_time_get_year (local) % 100,
                          g_date_time_get_hour (local),
                          g_date_time_get_minute (local),
                          g_date_time_get_second (local),
                          g_date_time_get_timezone_abbreviation (local));
}
