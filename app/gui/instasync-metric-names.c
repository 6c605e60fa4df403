/* instasync-metric-names.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "instasync-metric-names.h"

static const struct
{
  const char *metric;
  const char *name;
} names[] = {
  { "reach", N_("Reach") },
  { "profile_views", N_("Profile views") },
  { "accounts_engaged", N_("Accounts engaged") },
  /* Instagram's follower_count is the followers gained each day. */
  { "follower_count", N_("New followers") },
  { "views", N_("Views") },
  { "total_interactions", N_("Interactions") },
  { "likes", N_("Likes") },
  { "comments", N_("Comments") },
  { "shares", N_("Shares") },
  { "saves", N_("Saves") },
  { "replies", N_("Replies") },
  { "reposts", N_("Reposts") },
  { "profile_links_taps", N_("Profile link taps") },
  { "follows_and_unfollows", N_("Follows and unfollows") },
  { "website_clicks", N_("Website clicks") },
  { "impressions", N_("Impressions") },
};

char *
instasync_metric_dup_display_name (const char *metric)
{
  char *spelled;

  g_return_val_if_fail (metric != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (names[i].metric, metric))
      return g_strdup (_(names[i].name));

  spelled = g_strdelimit (g_strdup (metric), "_", ' ');
  if (*spelled != '\0')
    *spelled = g_ascii_toupper (*spelled);
  return spelled;
}
