/* test-account-discovery.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Which accounts a token reaches, against the simulator: every page of
 * /me/accounts, Pages without Instagram, accounts that cannot be read, and
 * the errors that end the whole discovery.
 */

#include "config.h"

#include <string.h>

#include "graph-sim.h"
#include "instasync-account-discovery.h"
#include "instasync-error.h"
#include "instasync-graph-client.h"
#include "instasync-graph-error.h"

#define TOKEN          "EAAdiscovery-token-0123"
#define NO_IG_SCOPE    "EAAno-instagram-scope"
#define NO_PAGES       "EAAno-pages-token"
#define NO_LIST_SCOPE  "EAAno-list-scope"
#define EXPIRED        "EAAexpired-token-77"

#define N_PAGES        230
#define PAGE_ID(i)     (G_GINT64_CONSTANT (300000000000000) + (i))
#define IG_ID(i)       (G_GINT64_CONSTANT (17841400000100000) + (i))
/* Page 51 leads to page 50's account; page 120's account cannot be read;
 * every tenth Page (9, 19, …) has no Instagram account; page 99's name is
 * hostile. */
#define DUPLICATE_PAGE  51
#define UNREADABLE_PAGE 120
#define HOSTILE_PAGE    99

typedef struct
{
  GraphSim             *sim;
  InstaSyncGraphClient *client;
  char                 *base;
} Fixture;

static gboolean
has_instagram (guint i)
{
  return i % 10 != 9;
}

static char *
build_scenario (void)
{
  GString *json = g_string_new ("{\"users\": [");

  g_string_append (json, "{\"id\": \"10000000000001\", \"name\": \"Agency\", \"token\": \"" TOKEN "\", \"pages\": [");
  for (guint i = 0; i < N_PAGES; i++)
    {
      g_string_append_printf (json, "%s{\"id\": \"%" G_GINT64_FORMAT "\", \"name\": ",
                              i > 0 ? "," : "", PAGE_ID (i));
      if (i == HOSTILE_PAGE)
        g_string_append (json, "\"Evil\\u001b[2J\\u0007 Page\"");
      else
        g_string_append_printf (json, "\"Page %u\"", i);
      if (i == DUPLICATE_PAGE)
        g_string_append_printf (json, ", \"instagram_business_account\": \"%" G_GINT64_FORMAT "\"",
                                IG_ID (DUPLICATE_PAGE - 1));
      else if (has_instagram (i))
        g_string_append_printf (json, ", \"instagram_business_account\": \"%" G_GINT64_FORMAT "\"",
                                IG_ID (i));
      g_string_append_c (json, '}');
    }
  g_string_append (json, "]},");

  g_string_append (json,
                   "{\"id\": \"10000000000002\", \"token\": \"" NO_IG_SCOPE "\","
                   " \"scopes\": [\"pages_show_list\", \"pages_read_engagement\", \"business_management\"],"
                   " \"pages\": [{\"id\": \"400000000000001\", \"name\": \"Locked\","
                   "              \"instagram_business_account\": \"17841400000200001\"}]},"
                   "{\"id\": \"10000000000003\", \"token\": \"" NO_PAGES "\", \"pages\": []},"
                   "{\"id\": \"10000000000004\", \"token\": \"" NO_LIST_SCOPE "\","
                   " \"scopes\": [\"instagram_basic\", \"instagram_manage_insights\"],"
                   " \"pages\": [{\"id\": \"400000000000002\", \"instagram_business_account\": \"17841400000200002\"}]},"
                   "{\"id\": \"10000000000005\", \"token\": \"" EXPIRED "\", \"token_state\": \"expired\","
                   " \"pages\": [{\"id\": \"400000000000003\", \"instagram_business_account\": \"17841400000200003\"}]}"
                   "], \"accounts\": [");

  for (guint i = 0; i < N_PAGES; i++)
    g_string_append_printf (json, "%s{\"id\": \"%" G_GINT64_FORMAT "\", \"username\": \"acct.%u\","
                            " \"name\": \"Account %u\", \"followers_count\": %u}",
                            i > 0 ? "," : "", IG_ID (i), i, i, 1000 + i);

  g_string_append_printf (json, "], \"faults\": [{\"kind\": \"graph_error\", \"code\": 100, \"subcode\": 33,"
                          " \"account\": \"%" G_GINT64_FORMAT "\", \"message\": \"(#100) Object gone\"}]}",
                          IG_ID (UNREADABLE_PAGE));

  return g_string_free (json, FALSE);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *scenario = build_scenario ();

  f->sim = graph_sim_new ();
  g_assert_true (graph_sim_load_scenario_data (f->sim, scenario, -1, &error));
  g_assert_no_error (error);
  g_assert_true (graph_sim_start (f->sim, 0, &error));
  g_assert_no_error (error);
  f->base = graph_sim_get_base_url (f->sim);
  f->client = instasync_graph_client_new (f->base, "v22.0");
  instasync_graph_client_set_retry_policy (f->client, 1, 0, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->client);
  g_clear_object (&f->sim);
  g_free (f->base);
}

static InstaSyncSkippedPage *
find_skipped (InstaSyncDiscovery *discovery,
              gint64              page_id)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, page_id);

  for (guint i = 0; i < discovery->skipped->len; i++)
    {
      InstaSyncSkippedPage *page = g_ptr_array_index (discovery->skipped, i);

      if (g_str_equal (page->page_id, id))
        return page;
    }

  return NULL;
}

static void
test_many_pages (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncDiscovery) discovery = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  guint expected_accounts = 0;
  guint expected_skipped = 0;
  guint listing_calls;
  InstaSyncSkippedPage *skipped;
  InstaSyncDiscoveredAccount *first;
  guint next_page = 0;

  for (guint i = 0; i < N_PAGES; i++)
    {
      if (!has_instagram (i))
        expected_skipped++;
      else if (i != DUPLICATE_PAGE && i != UNREADABLE_PAGE)
        expected_accounts++;
    }
  expected_skipped++; /* the unreadable account */

  discovery = instasync_discover_accounts (f->client, TOKEN, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (discovery);

  g_assert_cmpuint (discovery->accounts->len, ==, expected_accounts);
  g_assert_cmpuint (discovery->skipped->len, ==, expected_skipped);

  /* 230 Pages at 100 a page: three listing calls, then one per account. */
  listing_calls = graph_sim_get_api_call_count (f->sim) - (expected_accounts + 1);
  g_assert_cmpuint (listing_calls, ==, 3);

  /* In listing order, each account once, all the way to the last page. */
  for (guint i = 0; i < discovery->accounts->len; i++)
    {
      InstaSyncDiscoveredAccount *account = g_ptr_array_index (discovery->accounts, i);
      const char *id = instasync_discovered_account_get_ig_user_id (account);
      g_autofree char *expected_id = NULL;
      g_autofree char *expected_page = NULL;
      g_autofree char *expected_username = NULL;

      while (!has_instagram (next_page) || next_page == DUPLICATE_PAGE || next_page == UNREADABLE_PAGE)
        next_page++;
      expected_id = g_strdup_printf ("%" G_GINT64_FORMAT, IG_ID (next_page));
      expected_page = g_strdup_printf ("%" G_GINT64_FORMAT, PAGE_ID (next_page));
      expected_username = g_strdup_printf ("acct.%u", next_page);

      g_assert_cmpstr (id, ==, expected_id);
      g_assert_cmpstr (instasync_discovered_account_get_page_id (account), ==, expected_page);
      g_assert_cmpstr (instasync_discovered_account_get_username (account), ==, expected_username);
      g_assert_cmpint (instasync_discovered_account_get_followers_count (account), ==, 1000 + next_page);
      g_assert_false (g_hash_table_contains (ids, id));
      g_hash_table_add (ids, (gpointer)id);
      next_page++;
    }
  while (next_page < N_PAGES && !has_instagram (next_page))
    next_page++;
  g_assert_cmpuint (next_page, ==, N_PAGES);

  first = g_ptr_array_index (discovery->accounts, 0);
  g_assert_cmpstr (instasync_discovered_account_get_name (first), ==, "Account 0");
  g_assert_cmpstr (instasync_discovered_account_get_page_name (first), ==, "Page 0");
  g_assert_true (g_str_has_prefix (instasync_discovered_account_get_profile_picture_url (first), f->base));
  {
    g_autofree char *username = NULL;
    gint64 followers = 0;

    g_object_get (first, "username", &username, "followers-count", &followers, NULL);
    g_assert_cmpstr (username, ==, "acct.0");
    g_assert_cmpint (followers, ==, 1000);
  }

  /* A Page without Instagram: skipped, with what to do about it. */
  skipped = find_skipped (discovery, PAGE_ID (9));
  g_assert_nonnull (skipped);
  g_assert_cmpstr (skipped->page_name, ==, "Page 9");
  g_assert_nonnull (strstr (skipped->reason, "Page “Page 9” has no Instagram professional account linked"));
  g_assert_nonnull (strstr (skipped->reason, "link one in the Page's settings"));
  /* The last page of the listing was read too. */
  g_assert_nonnull (find_skipped (discovery, PAGE_ID (229)));

  /* An account that cannot be read: that one is skipped, the rest is not. */
  skipped = find_skipped (discovery, PAGE_ID (UNREADABLE_PAGE));
  g_assert_nonnull (skipped);
  g_assert_nonnull (strstr (skipped->reason, "cannot be read"));
  g_assert_nonnull (strstr (skipped->reason, "Object gone"));

  /* A hostile Page name reaches the reason without its control characters. */
  skipped = find_skipped (discovery, PAGE_ID (HOSTILE_PAGE));
  g_assert_nonnull (skipped);
  g_assert_nonnull (strstr (skipped->reason, "Evil"));
  for (const char *p = skipped->reason; *p != '\0'; p++)
    g_assert_false ((guchar)*p < 0x20);

  /* The boxed copy is a deep copy. */
  {
    g_autoptr(InstaSyncSkippedPage) copy = instasync_skipped_page_copy (skipped);

    g_assert_cmpstr (copy->reason, ==, skipped->reason);
    g_assert_true (copy->reason != skipped->reason);
  }
}

static void
test_unshared_account (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncDiscovery) discovery = instasync_discover_accounts (f->client, NO_IG_SCOPE,
                                                                          NULL, &error);
  InstaSyncSkippedPage *skipped;

  /* The token lists the Page but may not read its account (403 code 10). */
  g_assert_no_error (error);
  g_assert_cmpuint (discovery->accounts->len, ==, 0);
  g_assert_cmpuint (discovery->skipped->len, ==, 1);
  skipped = g_ptr_array_index (discovery->skipped, 0);
  g_assert_cmpstr (skipped->page_id, ==, "400000000000001");
  g_assert_nonnull (strstr (skipped->reason, "Page “Locked”"));
  g_assert_nonnull (strstr (skipped->reason, "was not shared with InstaSync"));
}

static void
test_nothing_to_find (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncDiscovery) no_pages = instasync_discover_accounts (f->client, NO_PAGES, NULL, &error);
  g_autoptr(InstaSyncDiscovery) no_list = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (no_pages->accounts->len, ==, 0);
  g_assert_cmpuint (no_pages->skipped->len, ==, 0);

  /* Without pages_show_list the listing is empty, not an error. */
  no_list = instasync_discover_accounts (f->client, NO_LIST_SCOPE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (no_list->accounts->len, ==, 0);
  g_assert_cmpuint (no_list->skipped->len, ==, 0);
}

static void
test_fatal_errors (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) expired = NULL;
  g_autoptr(GError) throttled = NULL;
  g_autoptr(GError) garbled = NULL;
  g_autofree char *throttle = g_strdup_printf ("graph_error:code=80002:http_status=400:account=%" G_GINT64_FORMAT,
                                               IG_ID (3));

  /* A dead token ends everything, without itself in the message. */
  g_assert_null (instasync_discover_accounts (f->client, EXPIRED, NULL, &expired));
  g_assert_error (expired, INSTASYNC_GRAPH_ERROR, 190);
  g_assert_cmpint (instasync_graph_error_get_subcode (expired), ==, 463);
  g_assert_true (g_str_has_prefix (expired->message, "Listing your Facebook Pages: "));
  g_assert_null (strstr (expired->message, EXPIRED));

  /* So does throttling on any account: more calls only extend it. */
  g_assert_true (graph_sim_add_fault (f->sim, throttle, NULL));
  g_assert_null (instasync_discover_accounts (f->client, TOKEN, NULL, &throttled));
  g_assert_error (throttled, INSTASYNC_GRAPH_ERROR, 80002);
  g_assert_nonnull (strstr (throttled->message, "Page “Page 3”"));

  /* A listing that is not JSON. */
  g_assert_true (graph_sim_add_fault (f->sim, "malformed_json:path_contains=me/accounts", NULL));
  g_assert_null (instasync_discover_accounts (f->client, TOKEN, NULL, &garbled));
  g_assert_error (garbled, INSTASYNC_ERROR, INSTASYNC_ERROR_PARSE);
}

static void
test_appsecret_proof (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncDiscovery) unsigned_calls = NULL;
  g_autoptr(InstaSyncDiscovery) signed_calls = NULL;

  /* An app that requires appsecret_proof refuses unsigned calls… */
  graph_sim_set_app_secret (f->sim, "sim-app-secret");
  unsigned_calls = instasync_discover_accounts (f->client, NO_IG_SCOPE, NULL, &error);
  g_assert_null (unsigned_calls);
  g_assert_error (error, INSTASYNC_GRAPH_ERROR, 100);
  g_clear_error (&error);

  /* …and takes signed ones. */
  instasync_graph_client_set_app_secret (f->client, "sim-app-secret");
  signed_calls = instasync_discover_accounts (f->client, NO_IG_SCOPE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (signed_calls->skipped->len, ==, 1);
}

static void
discover_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  InstaSyncDiscovery **discovery = user_data;
  g_autoptr(GError) error = NULL;

  *discovery = instasync_discover_accounts_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(InstaSyncDiscovery) discovery = NULL;

  instasync_discover_accounts_async (f->base, "v22.0", NO_IG_SCOPE, NULL, NULL, discover_cb,
                                     &discovery);
  while (discovery == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (discovery->accounts->len, ==, 0);
  g_assert_cmpuint (discovery->skipped->len, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, fn) g_test_add ("/account-discovery/" name, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("many-pages", test_many_pages);
  ADD ("unshared-account", test_unshared_account);
  ADD ("nothing-to-find", test_nothing_to_find);
  ADD ("fatal-errors", test_fatal_errors);
  ADD ("appsecret-proof", test_appsecret_proof);
  ADD ("async", test_async);
#undef ADD

  return g_test_run ();
}
