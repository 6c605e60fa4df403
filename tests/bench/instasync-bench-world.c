/* instasync-bench-world.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-bench"

#include "config.h"

#include <json-glib/json-glib.h>
#include <sys/resource.h>

#include "instasync-bench.h"

const char * const bench_metrics[BENCH_N_METRICS + 1] = {
  "reach", "profile_views", "accounts_engaged", "follower_count", NULL
};

static void
bench_account_free (BenchAccount *account)
{
  g_free (account->ig_user_id);
  g_free (account->username);
  g_free (account->token);
  g_free (account);
}

/* An agency world: every user (one Facebook login) manages
 * @accounts_per_token pages, each linked to one Instagram account. */
static char *
build_scenario (guint              n_accounts,
                const BenchConfig *config,
                gboolean           enforce_limits,
                GPtrArray         *accounts)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  guint per_token = MAX (config->accounts_per_token, 1);
  guint n_users = (n_accounts + per_token - 1) / per_token;

  for (guint i = 0; i < n_accounts; i++)
    {
      BenchAccount *account = g_new0 (BenchAccount, 1);

      /* Seventeen digits, like real Instagram professional account ids. */
      account->ig_user_id = g_strdup_printf ("178414000000%05u", i + 1);
      account->username = g_strdup_printf ("bench.account%u", i + 1);
      account->token = g_strdup_printf ("bench-token-%u", i / per_token + 1);
      g_ptr_array_add (accounts, account);
    }

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "app");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "call_limit");
  json_builder_add_int_value (builder, config->app_call_limit);
  json_builder_set_member_name (builder, "enforce_limits");
  json_builder_add_boolean_value (builder, enforce_limits);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "users");
  json_builder_begin_array (builder);
  for (guint u = 0; u < n_users; u++)
    {
      g_autofree char *user_id = g_strdup_printf ("1000000%07u", u + 1);
      g_autofree char *token = g_strdup_printf ("bench-token-%u", u + 1);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, user_id);
      json_builder_set_member_name (builder, "token");
      json_builder_add_string_value (builder, token);
      json_builder_set_member_name (builder, "pages");
      json_builder_begin_array (builder);
      for (guint i = u * per_token; i < MIN ((u + 1) * per_token, n_accounts); i++)
        {
          BenchAccount *account = g_ptr_array_index (accounts, i);
          g_autofree char *page_id = g_strdup_printf ("2000000%08u", i + 1);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, page_id);
          json_builder_set_member_name (builder, "instagram_business_account");
          json_builder_add_string_value (builder, account->ig_user_id);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "accounts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_accounts; i++)
    {
      BenchAccount *account = g_ptr_array_index (accounts, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, account->ig_user_id);
      json_builder_set_member_name (builder, "username");
      json_builder_add_string_value (builder, account->username);
      /* At least 100 followers: below that the API leaves follower_count
       * out, and both modes would write fewer rows. */
      json_builder_set_member_name (builder, "followers_count");
      json_builder_add_int_value (builder, 1000 + i);
      json_builder_set_member_name (builder, "call_limit");
      json_builder_add_int_value (builder, config->account_call_limit);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

BenchWorld *
bench_world_new (guint              n_accounts,
                 const BenchConfig *config,
                 gboolean           enforce_limits,
                 GError           **error)
{
  g_autoptr(BenchWorld) world = g_new0 (BenchWorld, 1);
  g_autofree char *scenario = NULL;

  world->accounts = g_ptr_array_new_with_free_func ((GDestroyNotify)bench_account_free);
  scenario = build_scenario (n_accounts, config, enforce_limits, world->accounts);

  world->pg = instasync_test_pg_start (error);
  if (world->pg == NULL)
    return NULL;
  world->store = instasync_test_pg_connect_migrated (world->pg, error);
  if (world->store == NULL)
    return NULL;

  world->sim = graph_sim_new ();
  if (!graph_sim_load_scenario_data (world->sim, scenario, -1, error))
    return NULL;
  graph_sim_set_latency_ms (world->sim, config->latency_ms);
  if (!graph_sim_start (world->sim, 0, error))
    return NULL;
  world->base_url = graph_sim_get_base_url (world->sim);

  return g_steal_pointer (&world);
}

void
bench_world_free (BenchWorld *world)
{
  if (world == NULL)
    return;

  if (world->sim != NULL)
    graph_sim_stop (world->sim);
  g_clear_object (&world->sim);
  g_clear_object (&world->store);
  g_clear_pointer (&world->pg, instasync_test_pg_free);
  g_clear_pointer (&world->accounts, g_ptr_array_unref);
  g_free (world->base_url);
  g_free (world);
}

GTimeZone *
bench_pacific (void)
{
  static GTimeZone *pacific;

  if (g_once_init_enter (&pacific))
    {
      GTimeZone *tz = g_time_zone_new_identifier ("America/Los_Angeles");

      /* Without tzdata every day boundary would be wrong: stop here. */
      if (tz == NULL)
        g_error ("The America/Los_Angeles time zone is missing (install tzdata)");
      g_once_init_leave (&pacific, tz);
    }

  return pacific;
}

void
bench_pacific_today (GDate *today)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (bench_pacific ());

  g_date_clear (today, 1);
  g_date_set_dmy (today, (GDateDay)g_date_time_get_day_of_month (now),
                  (GDateMonth)g_date_time_get_month (now),
                  (GDateYear)g_date_time_get_year (now));
}

gint64
bench_pacific_day_start (const GDate *day)
{
  g_autoptr(GDateTime) midnight =
    g_date_time_new (bench_pacific (), g_date_get_year (day), g_date_get_month (day),
                     g_date_get_day (day), 0, 0, 0);

  return g_date_time_to_unix (midnight);
}

void
bench_incremental_window (GDate *since,
                          GDate *until)
{
  /* InstaSync's default window: the last 3 Pacific days ending yesterday. */
  bench_pacific_today (until);
  g_date_subtract_days (until, 1);
  *since = *until;
  g_date_subtract_days (since, 2);
}

void
bench_backfill_window (GDate *since,
                       GDate *until)
{
  GDate today;

  /* Two years back, kept two days inside the API's 730-day retention so
   * that the oldest window is served whatever the hour. */
  bench_pacific_today (&today);
  *until = today;
  g_date_subtract_days (until, 1);
  *since = today;
  g_date_subtract_days (since, 728);
}

gint64
bench_peak_rss_kib (void)
{
  struct rusage usage;

  if (getrusage (RUSAGE_SELF, &usage) != 0)
    return -1;

  /* Linux reports kibibytes. */
  return usage.ru_maxrss;
}
