/* test-usage.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading the usage headers: whose X-Business-Use-Case-Usage entries count,
 * and how readings of one batch and of later responses are put together.
 */

#include "config.h"

#include "instasync-usage.h"

#define IG_USER "17841400000000101"
#define PAGE    "200000000000101"
#define OTHER   "17841400000000999"

/* One entry of X-Business-Use-Case-Usage keyed @key. */
static char *
entry (const char *key,
       int         percent,
       int         regain)
{
  return g_strdup_printf ("\"%s\":[{\"type\":\"instagram\",\"call_count\":%d,\"total_cputime\":1,"
                          "\"total_time\":1,\"estimated_time_to_regain_access\":%d}]",
                          key, percent, regain);
}

static char *
header (const char *first,
        const char *second)
{
  return second != NULL ? g_strdup_printf ("{%s,%s}", first, second) : g_strdup_printf ("{%s}", first);
}

/* Of several objects, only the account's own entry counts, whichever of
 * its ids keys it: a busier account next to it must not pause it. */
static void
test_own_entry (void)
{
  g_autofree char *own_ig = entry (IG_USER, 30, 0);
  g_autofree char *own_page = entry (PAGE, 40, 5);
  g_autofree char *busy = entry (OTHER, 90, 12);
  g_autofree char *by_ig = header (busy, own_ig);
  g_autofree char *by_page = header (own_page, busy);
  InstaSyncUsage usage;

  instasync_usage_init (&usage);
  g_assert_true (instasync_usage_parse_business_for (&usage, by_ig, IG_USER, PAGE));
  g_assert_true (usage.business_known);
  g_assert_cmpint (usage.business_percent, ==, 30);
  g_assert_cmpint (usage.regain_minutes, ==, 0);

  instasync_usage_init (&usage);
  g_assert_true (instasync_usage_parse_business_for (&usage, by_page, IG_USER, PAGE));
  g_assert_cmpint (usage.business_percent, ==, 40);
  g_assert_cmpint (usage.regain_minutes, ==, 5);

  /* The Page's id alone is enough; an unknown IG id is no match. */
  instasync_usage_init (&usage);
  g_assert_true (instasync_usage_parse_business_for (&usage, by_page, NULL, PAGE));
  g_assert_cmpint (usage.business_percent, ==, 40);
}

/* Entries keyed by neither id may still be the account's (the key could be
 * the business): the highest counts, as it does with no ids at all. */
static void
test_fallback_to_highest (void)
{
  g_autofree char *low = entry ("300000000000001", 20, 0);
  g_autofree char *high = entry (OTHER, 70, 9);
  g_autofree char *value = header (low, high);
  InstaSyncUsage usage;

  instasync_usage_init (&usage);
  g_assert_true (instasync_usage_parse_business_for (&usage, value, IG_USER, PAGE));
  g_assert_cmpint (usage.business_percent, ==, 70);
  g_assert_cmpint (usage.regain_minutes, ==, 9);

  instasync_usage_init (&usage);
  g_assert_true (instasync_usage_parse_business (&usage, value));
  g_assert_cmpint (usage.business_percent, ==, 70);

  /* An own entry without any percentage is no reading of the account. */
  instasync_usage_init (&usage);
  g_assert_true (instasync_usage_parse_business_for (&usage,
                                                     "{\"" IG_USER "\":[{\"type\":\"instagram\"}],"
                                                     " \"" OTHER "\":[{\"call_count\":55}]}",
                                                     IG_USER, NULL));
  g_assert_cmpint (usage.business_percent, ==, 55);

  /* Nothing readable leaves the usage as it was. */
  g_assert_false (instasync_usage_parse_business_for (&usage, "{\"" IG_USER "\":[]}", IG_USER, PAGE));
  g_assert_false (instasync_usage_parse_business_for (&usage, "[]", IG_USER, PAGE));
  g_assert_cmpint (usage.business_percent, ==, 55);
}

static void
test_parse_header (void)
{
  InstaSyncUsage usage;

  instasync_usage_init (&usage);
  g_assert_true (instasync_usage_parse_header (&usage, "x-app-usage",
                                               "{\"call_count\":12,\"total_time\":3,\"total_cputime\":4}",
                                               NULL, NULL));
  g_assert_true (usage.app_known);
  g_assert_cmpint (usage.app_percent, ==, 12);

  g_assert_true (instasync_usage_parse_header (&usage, "X-BUSINESS-USE-CASE-USAGE",
                                               "{\"" PAGE "\":[{\"call_count\":33}],"
                                               " \"" OTHER "\":[{\"call_count\":80}]}",
                                               IG_USER, PAGE));
  g_assert_cmpint (usage.business_percent, ==, 33);

  g_assert_false (instasync_usage_parse_header (&usage, "x-fb-rev", "{\"call_count\":99}", NULL, NULL));
  g_assert_false (instasync_usage_parse_header (&usage, NULL, "{\"call_count\":99}", NULL, NULL));
  g_assert_cmpint (instasync_usage_get_percent (&usage), ==, 33);
}

/* Readings of one batch: the highest of each kind, and its wait. */
static void
test_combine (void)
{
  InstaSyncUsage usage, other;

  instasync_usage_init (&usage);
  instasync_usage_init (&other);
  other.app_known = TRUE;
  other.app_percent = 7;
  instasync_usage_combine (&usage, &other);
  g_assert_true (usage.app_known);
  g_assert_cmpint (usage.app_percent, ==, 7);
  g_assert_false (usage.business_known);
  g_assert_cmpint (usage.regain_minutes, ==, -1);

  instasync_usage_init (&other);
  other.business_known = TRUE;
  other.business_percent = 40;
  other.regain_minutes = 0;
  instasync_usage_combine (&usage, &other);
  other.business_percent = 25;
  other.regain_minutes = 3;
  instasync_usage_combine (&usage, &other);
  g_assert_true (usage.business_known);
  g_assert_cmpint (usage.business_percent, ==, 40);
  g_assert_cmpint (usage.regain_minutes, ==, 3);
  g_assert_cmpint (usage.app_percent, ==, 7);
}

/* A later reading replaces what it knows, even when lower: usage falls as
 * calls leave the window. What it does not know stays. */
static void
test_update (void)
{
  InstaSyncUsage usage, reading;

  instasync_usage_init (&usage);
  usage.app_known = TRUE;
  usage.app_percent = 50;
  usage.business_known = TRUE;
  usage.business_percent = 90;
  usage.regain_minutes = 4;

  instasync_usage_init (&reading);
  reading.business_known = TRUE;
  reading.business_percent = 10;
  reading.regain_minutes = -1;
  instasync_usage_update (&usage, &reading);
  g_assert_cmpint (usage.business_percent, ==, 10);
  g_assert_cmpint (usage.regain_minutes, ==, -1);
  g_assert_cmpint (usage.app_percent, ==, 50);

  instasync_usage_init (&reading);
  instasync_usage_update (&usage, &reading);
  g_assert_true (usage.app_known);
  g_assert_true (usage.business_known);
  g_assert_cmpint (usage.business_percent, ==, 10);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/usage/own-entry", test_own_entry);
  g_test_add_func ("/usage/fallback-to-highest", test_fallback_to_highest);
  g_test_add_func ("/usage/parse-header", test_parse_header);
  g_test_add_func ("/usage/combine", test_combine);
  g_test_add_func ("/usage/update", test_update);

  return g_test_run ();
}
