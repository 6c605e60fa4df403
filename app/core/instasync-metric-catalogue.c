/* instasync-metric-catalogue.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-catalogue"

#include "config.h"

#include <glib/gi18n.h>

#include "instasync-error.h"
#include "instasync-metric-catalogue.h"

#define TS INSTASYNC_METRIC_TYPE_TIME_SERIES
#define TV INSTASYNC_METRIC_TYPE_TOTAL_VALUE

static const char * const media_product_type[] = { "media_product_type", NULL };
static const char * const reach_breakdowns[] = { "media_product_type", "follow_type", NULL };
static const char * const follow_type[] = { "follow_type", NULL };
static const char * const views_breakdowns[] = { "follower_type", "media_product_type", NULL };
static const char * const contact_button_type[] = { "contact_button_type", NULL };

/* The table follows the Graph API insights reference. Only reach still takes
 * both metric types; profile_views and website_clicks lost their time series
 * form in v21, and follower_count never had a total value form. */
static const InstaSyncMetricInfo catalogue[] = {
  /* name                  period  types    breakdowns           history excl.today removed default */
  { "reach",                "day", TS | TV, reach_breakdowns,    0,      FALSE,     0,      TRUE },
  { "profile_views",        "day", TV,      NULL,                0,      FALSE,     0,      TRUE },
  { "accounts_engaged",     "day", TV,      NULL,                0,      FALSE,     0,      TRUE },
  /* New followers per day; the API serves only the last 30 days and refuses
   * today. follows_and_unfollows carries the longer history. */
  { "follower_count",       "day", TS,      NULL,                30,     TRUE,      0,      TRUE },
  { "views",                "day", TV,      views_breakdowns,    0,      FALSE,     0,      FALSE },
  { "total_interactions",   "day", TV,      media_product_type,  0,      FALSE,     0,      FALSE },
  { "likes",                "day", TV,      media_product_type,  0,      FALSE,     0,      FALSE },
  { "comments",             "day", TV,      media_product_type,  0,      FALSE,     0,      FALSE },
  { "shares",               "day", TV,      media_product_type,  0,      FALSE,     0,      FALSE },
  { "saves",                "day", TV,      media_product_type,  0,      FALSE,     0,      FALSE },
  { "replies",              "day", TV,      NULL,                0,      FALSE,     0,      FALSE },
  { "reposts",              "day", TV,      NULL,                0,      FALSE,     0,      FALSE },
  { "profile_links_taps",   "day", TV,      contact_button_type, 0,      FALSE,     0,      FALSE },
  { "follows_and_unfollows","day", TV,      follow_type,         0,      FALSE,     0,      FALSE },
  { "website_clicks",       "day", TV,      NULL,                0,      FALSE,     0,      FALSE },
  /* Kept so that an older pinned version can still be asked; v22 refuses it. */
  { "impressions",          "day", TS | TV, NULL,                0,      FALSE,     22,     FALSE },
};

#undef TS
#undef TV

const InstaSyncMetricInfo *
instasync_metric_catalogue_lookup (const char *name)
{
  if (name == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (catalogue); i++)
    if (g_str_equal (catalogue[i].name, name))
      return &catalogue[i];

  return NULL;
}

const InstaSyncMetricInfo *
instasync_metric_catalogue_get_all (guint *n_metrics)
{
  if (n_metrics != NULL)
    *n_metrics = G_N_ELEMENTS (catalogue);
  return catalogue;
}

GStrv
instasync_metric_catalogue_default_set (void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < G_N_ELEMENTS (catalogue); i++)
    if (catalogue[i].in_default_set)
      g_strv_builder_add (builder, catalogue[i].name);

  return g_strv_builder_end (builder);
}

GStrv
instasync_metric_catalogue_parse_list (const char  *list,
                                       GError     **error)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  gboolean wanted[G_N_ELEMENTS (catalogue)] = { FALSE, };
  gboolean any = FALSE;

  g_return_val_if_fail (list != NULL, NULL);

  parts = g_strsplit (list, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const InstaSyncMetricInfo *info;
      char *name = g_strstrip (parts[i]);

      if (*name == '\0')
        continue;

      info = instasync_metric_catalogue_lookup (name);
      if (info == NULL)
        {
          g_autofree char *shown = instasync_quote_untrusted (name);

          g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_INVALID_ARGUMENT,
                       _("Unknown metric “%s”"), shown);
          return NULL;
        }
      wanted[info - catalogue] = TRUE;
      any = TRUE;
    }

  if (!any)
    {
      g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_INVALID_ARGUMENT,
                           _("No metric named"));
      return NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (catalogue); i++)
    if (wanted[i])
      g_strv_builder_add (builder, catalogue[i].name);

  return g_strv_builder_end (builder);
}

const char *
instasync_metric_info_daily_type (const InstaSyncMetricInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);

  if (info->types & INSTASYNC_METRIC_TYPE_TIME_SERIES)
    return INSTASYNC_METRIC_TYPE_NAME_TIME_SERIES;
  return INSTASYNC_METRIC_TYPE_NAME_TOTAL_VALUE;
}

gboolean
instasync_metric_info_supports_breakdown (const InstaSyncMetricInfo *info,
                                          const char                *breakdown)
{
  g_return_val_if_fail (info != NULL, FALSE);

  if (info->breakdowns == NULL || breakdown == NULL)
    return FALSE;

  return g_strv_contains (info->breakdowns, breakdown);
}
