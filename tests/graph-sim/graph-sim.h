/* graph-sim.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * GraphSim: a local stand-in for the parts of the Instagram Graph API
 * (Facebook Login path) that InstaSync uses. It serves HTTP on 127.0.0.1
 * from a thread of its own, so a test may make blocking calls against it.
 *
 * The value formula (see README.md for the full description):
 *
 *   seed(ig)  = fold over the bytes b of the id: h = (h * 31 + b) mod 1000003,
 *               starting at h = 0
 *   k         = the metric's index in the simulator's table:
 *               reach 0, profile_views 1, accounts_engaged 2, follower_count 3,
 *               views 4, total_interactions 5, likes 6, comments 7, shares 8,
 *               saves 9, replies 10, reposts 11, profile_links_taps 12,
 *               follows_and_unfollows 13, website_clicks 14, impressions 15
 *   d         = g_date_get_julian (day), day = the Pacific day described
 *   daily     = base(m) + (seed mod 500) + ((d * (k + 3) + seed) mod 97)
 *   total     = sum of daily over the days, except reach and
 *               accounts_engaged over more than one day:
 *               max (daily) + (sum - max) / 3
 *
 * base: reach 1000, profile_views 100, accounts_engaged 300,
 * follower_count 5, views 5000, total_interactions 200, likes 150,
 * comments 20, shares 10, saves 15, replies 5, reposts 3,
 * profile_links_taps 9, follows_and_unfollows 8, website_clicks 7,
 * impressions 6000.
 */

#define GRAPH_TYPE_SIM (graph_sim_get_type ())

G_DECLARE_FINAL_TYPE (GraphSim, graph_sim, GRAPH, SIM, GObject)

#define GRAPH_SIM_ERROR (graph_sim_error_quark ())

typedef enum
{
  GRAPH_SIM_ERROR_SCENARIO,
  GRAPH_SIM_ERROR_FAULT_SPEC,
  GRAPH_SIM_ERROR_STATE,
} GraphSimError;

GQuark      graph_sim_error_quark        (void);

GraphSim   *graph_sim_new                (void);
gboolean    graph_sim_load_scenario_file (GraphSim    *self,
                                          const char  *path,
                                          GError     **error);
gboolean    graph_sim_load_scenario_data (GraphSim    *self,
                                          const char  *json,
                                          gssize       len,
                                          GError     **error);
gboolean    graph_sim_load_demo          (GraphSim    *self,
                                          GError     **error);
gboolean    graph_sim_add_fault          (GraphSim    *self,
                                          const char  *spec,
                                          GError     **error);
void        graph_sim_set_latency_ms     (GraphSim    *self,
                                          guint        ms);
void        graph_sim_set_now            (GraphSim    *self,
                                          gint64       unix_seconds);
gboolean    graph_sim_set_token_state    (GraphSim    *self,
                                          const char  *token,
                                          const char  *state);
/* What the login dialog (/dialog/oauth) answers: "approve", "deny",
 * "cancel", or "page"/NULL (the default) for the HTML page. A request's own
 * sim_outcome parameter wins. */
gboolean    graph_sim_set_login_outcome  (GraphSim    *self,
                                          const char  *outcome);
/* Serve "until" as inclusive: the reading "overlap_inclusive" below. */
void        graph_sim_set_until_inclusive (GraphSim   *self,
                                           gboolean    inclusive);
/* Which buckets (the account's days, [start, end)) a since/until window
 * holds, the reference leaving it open (§1.1):
 *   "overlap"               start < until and end > since (the default)
 *   "overlap_inclusive"     start ≤ until and end > since
 *   "bucket_end"            since < end ≤ until
 *   "bucket_end_inclusive"  since ≤ end ≤ until
 * Sets the reading of time series and total values alike; FALSE for an
 * unknown name. */
gboolean    graph_sim_set_until_reading  (GraphSim    *self,
                                          const char  *reading);
/* The reading of total values alone, for a world where the two differ. */
gboolean    graph_sim_set_total_value_reading (GraphSim   *self,
                                               const char *reading);
/* What a total over a window that holds no bucket answers: "empty_object"
 * ("total_value": {}, the default), "zero" ({"value": 0}), "missing" (no
 * item for the metric) or "error" (code 100 for the whole request). */
gboolean    graph_sim_set_empty_total    (GraphSim    *self,
                                          const char  *answer);
/* The time zone whose midnights end the days of @ig_user_id (default
 * America/Los_Angeles); FALSE for an unknown account or zone. */
gboolean    graph_sim_set_account_timezone (GraphSim   *self,
                                            const char *ig_user_id,
                                            const char *zone);
void        graph_sim_set_enforce_limits (GraphSim    *self,
                                          gboolean     enforce);
/* What fb_exchange_token does with a token that is long-lived already:
 * "new" (the default) hands out a new 60-day token, "same" hands back the
 * same token with what is left of its lifetime. FALSE for anything else. */
gboolean    graph_sim_set_exchange_long_lived (GraphSim   *self,
                                               const char *mode);
/* Whether calls for the user's data are refused (400, code 190) once the
 * token's data access has expired: "ignored" (the default) or "enforced".
 * FALSE for anything else. */
gboolean    graph_sim_set_data_access_expiry  (GraphSim   *self,
                                               const char *mode);
/* Where a batch's usage headers go: "per_operation" (the default, as
 * documented: each operation's headers, none on the batch response) or
 * "wrapper" (on the batch response too). FALSE for anything else. */
gboolean    graph_sim_set_usage_headers  (GraphSim    *self,
                                          const char  *where);
/* No usage header until a window holds @calls calls (0: always). */
void        graph_sim_set_usage_headers_after_calls (GraphSim *self,
                                                     guint     calls);
/* What keys X-Business-Use-Case-Usage: "ig_user_id" (the default) or
 * "page_id", the Page linked to the account. FALSE for anything else. */
gboolean    graph_sim_set_business_usage_key (GraphSim   *self,
                                              const char *key);
/* The App Secret the simulated app has (default "sim-app-secret"): with a
 * secret, appsecret_proof is required on every call made with a user or
 * page token (400, code 100 when missing or wrong); NULL lifts the
 * requirement. A scenario loaded afterwards replaces both. */
void        graph_sim_set_app_secret     (GraphSim    *self,
                                          const char  *secret);
gboolean    graph_sim_start              (GraphSim    *self,
                                          guint        port,
                                          GError     **error);
void        graph_sim_stop               (GraphSim    *self);
char       *graph_sim_get_base_url       (GraphSim    *self);
guint       graph_sim_get_request_count  (GraphSim    *self);
guint       graph_sim_get_api_call_count (GraphSim    *self);
/* Every token the simulator has handed out since the scenario was loaded,
 * in order, each once: the login dialog's short- and long-lived tokens,
 * those of code exchanges and fb_exchange_token, page tokens from
 * /me/accounts and the app token of client_credentials. Tokens the
 * scenario defines are not in it. For tests that search output for leaks. */
GStrv       graph_sim_dup_issued_tokens  (GraphSim    *self);
/* The same for the codes the login dialog handed out. */
GStrv       graph_sim_dup_issued_codes   (GraphSim    *self);
/* API calls answered with a rate-limit code (4, 17, 32, 613, 80001, 80002),
 * batch operations counted one by one. */
guint       graph_sim_get_throttle_error_count (GraphSim *self);

gint64      graph_sim_daily_value        (const char  *ig_user_id,
                                          const char  *metric,
                                          const GDate *day);
gint64      graph_sim_total_value        (const char  *ig_user_id,
                                          const char  *metric,
                                          const GDate *first_day,
                                          const GDate *last_day);

G_END_DECLS
