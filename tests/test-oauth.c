/* test-oauth.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Facebook Login flow in core: the dialog's address, the redirect's
 * parsing (every way it can be wrong), and the exchanges against the
 * simulator's login dialog.
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "graph-sim.h"
#include "instasync-error.h"
#include "instasync-graph-client.h"
#include "instasync-graph-error.h"
#include "instasync-oauth.h"

#define META_APP_ID     "100000000000001"
#define APP_SECRET "sim-app-secret"
#define REDIRECT   INSTASYNC_DEFAULT_REDIRECT_URI
#define SHORT      "EAAshortTOKEN0123456789"
#define LONG       "EAAlongLIVEDtoken9876543210"
#define CODE       "AQBcode-value_0123"

static const char scenario[] =
  "{\"app\": {\"id\": \"" META_APP_ID "\", \"secret\": \"" APP_SECRET "\"},"
  " \"users\": [{\"id\": \"10000000000001\", \"name\": \"Ada\", \"token\": \"scenario-token\","
  "   \"pages\": [{\"id\": \"200000000000001\", \"name\": \"Bakery\","
  "               \"instagram_business_account\": \"17841400000000001\"}]}],"
  " \"accounts\": [{\"id\": \"17841400000000001\", \"username\": \"ada.bakery\"}]}";

/* Auxiliary */

static InstaSyncOAuthFlow *
new_flow (const char                 *secret,
          InstaSyncOAuthResponseType  type)
{
  g_autoptr(GError) error = NULL;
  InstaSyncOAuthFlow *flow = instasync_oauth_flow_new (META_APP_ID, secret, REDIRECT, type, &error);

  g_assert_no_error (error);
  g_assert_nonnull (flow);
  return flow;
}

static GHashTable *
query_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  GHashTable *params;

  g_assert_nonnull (uri);
  g_assert_nonnull (g_uri_get_query (uri));
  params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
  g_assert_nonnull (params);
  return params;
}

/* Parses @url with @flow and expects the error (domain, code) without any
 * secret in its message. */
static void
assert_parse_error (InstaSyncOAuthFlow *flow,
                    const char         *url,
                    GQuark              domain,
                    int                 code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncOAuthGrant) grant = instasync_oauth_flow_parse_redirect (flow, url, &error);

  g_assert_null (grant);
  g_assert_error (error, domain, code);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_null (strstr (error->message, SHORT));
  g_assert_null (strstr (error->message, LONG));
  g_assert_null (strstr (error->message, CODE));
  g_test_message ("%s → %s", url, error->message);
}

static char *
redirect_with (InstaSyncOAuthFlow *flow,
               const char         *before_state,
               const char         *after_state)
{
  g_autofree char *state = g_uri_escape_string (instasync_oauth_flow_get_state (flow), NULL, FALSE);

  return g_strconcat (REDIRECT, before_state, "state=", state, after_state, NULL);
}

/* Dialog URL */

static void
test_dialog_url_token (void)
{
  g_autoptr(InstaSyncOAuthFlow) flow = new_flow (NULL, INSTASYNC_OAUTH_RESPONSE_TOKEN);
  g_autofree char *url = instasync_oauth_flow_build_dialog_url (flow);
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  g_autoptr(GHashTable) params = query_of (url);

  g_assert_cmpstr (g_uri_get_scheme (uri), ==, "https");
  g_assert_cmpstr (g_uri_get_host (uri), ==, "www.facebook.com");
  g_assert_cmpstr (g_uri_get_path (uri), ==, "/" INSTASYNC_DEFAULT_GRAPH_VERSION "/dialog/oauth");
  g_assert_null (g_uri_get_fragment (uri));

  g_assert_cmpuint (g_hash_table_size (params), ==, 7);
  g_assert_cmpstr (g_hash_table_lookup (params, "client_id"), ==, META_APP_ID);
  g_assert_cmpstr (g_hash_table_lookup (params, "redirect_uri"), ==,
                   "https://www.facebook.com/connect/login_success.html");
  g_assert_cmpstr (g_hash_table_lookup (params, "response_type"), ==, "token");
  g_assert_cmpstr (g_hash_table_lookup (params, "scope"), ==,
                   "instagram_basic,instagram_manage_insights,pages_show_list,"
                   "pages_read_engagement,business_management");
  g_assert_cmpstr (g_hash_table_lookup (params, "display"), ==, "page");
  g_assert_cmpstr (g_hash_table_lookup (params, "extras"), ==,
                   "{\"setup\":{\"channel\":\"IG_API_ONBOARDING\"}}");
  g_assert_cmpstr (g_hash_table_lookup (params, "state"), ==, instasync_oauth_flow_get_state (flow));

  /* Everything that is not plain is escaped on the wire. */
  g_assert_nonnull (strstr (url, "redirect_uri=https%3A%2F%2Fwww.facebook.com%2Fconnect%2F"
                                 "login_success.html&"));
  g_assert_nonnull (strstr (url, "scope=instagram_basic%2Cinstagram_manage_insights%2C"));
  g_assert_nonnull (strstr (url, "extras=%7B%22setup%22%3A%7B%22channel%22%3A%22IG_API_ONBOARDING"
                                 "%22%7D%7D"));
  for (const char *p = strchr (url, '?'); *p != '\0'; p++)
    g_assert_null (strchr ("{}\", #", *p));
}

static void
test_dialog_url_code (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncOAuthFlow) flow =
    instasync_oauth_flow_new (META_APP_ID, APP_SECRET, "https://app.example/cb?x=1&y=a%2Fb",
                              INSTASYNC_OAUTH_RESPONSE_CODE, &error);
  g_autofree char *url = NULL;
  g_autoptr(GHashTable) params = NULL;

  g_assert_no_error (error);
  instasync_oauth_flow_set_dialog_url (flow, "http://127.0.0.1:8080//");
  instasync_oauth_flow_set_api_version (flow, "v23.0");
  url = instasync_oauth_flow_build_dialog_url (flow);
  params = query_of (url);

  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:8080/v23.0/dialog/oauth?client_id="));
  g_assert_cmpstr (g_hash_table_lookup (params, "response_type"), ==, "code");
  /* The redirect URI travels whole, its own query included. */
  g_assert_cmpstr (g_hash_table_lookup (params, "redirect_uri"), ==,
                   "https://app.example/cb?x=1&y=a%2Fb");
  g_assert_nonnull (strstr (url, "redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fx%3D1%26y%3Da%252Fb&"));
  /* The onboarding variant is documented for the token flow only. */
  g_assert_false (g_hash_table_contains (params, "extras"));
  g_assert_cmpstr (g_hash_table_lookup (params, "display"), ==, "page");
  g_assert_nonnull (g_hash_table_lookup (params, "scope"));
  /* The secret never goes to the dialog. */
  g_assert_null (strstr (url, APP_SECRET));
}

static void
test_dialog_state (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint ones = 0;
  guint bits = 0;

  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(InstaSyncOAuthFlow) flow = new_flow (NULL, INSTASYNC_OAUTH_RESPONSE_TOKEN);
      const char *state = instasync_oauth_flow_get_state (flow);
      g_autofree char *standard = g_strdup (state);
      g_autofree char *padded = NULL;
      g_autofree guchar *raw = NULL;
      gsize length = 0;

      /* 32 bytes, base64url without padding: 43 URL-safe characters. */
      g_assert_cmpuint (strlen (state), ==, 43);
      for (const char *p = state; *p != '\0'; p++)
        g_assert_true (g_ascii_isalnum (*p) || *p == '-' || *p == '_');

      g_strdelimit (standard, "-", '+');
      g_strdelimit (standard, "_", '/');
      padded = g_strconcat (standard, "=", NULL);
      raw = g_base64_decode (padded, &length);
      g_assert_cmpuint (length, ==, 32);
      for (gsize b = 0; b < length; b++)
        for (guint bit = 0; bit < 8; bit++)
          {
            ones += (raw[b] >> bit) & 1;
            bits++;
          }

      g_assert_false (g_hash_table_contains (seen, state));
      g_hash_table_add (seen, g_strdup (state));
    }

  /* 51 200 fair bits: a biased or constant source lands far outside. */
  g_assert_cmpuint (ones, >, bits / 2 - bits / 50);
  g_assert_cmpuint (ones, <, bits / 2 + bits / 50);
}

static void
test_flow_config_errors (void)
{
  g_autoptr(GError) no_id = NULL;
  g_autoptr(GError) no_secret = NULL;
  g_autoptr(GError) bad_redirect = NULL;
  g_autoptr(GError) fragment_redirect = NULL;
  g_autofree char *real = instasync_oauth_dialog_url_for_graph ("https://graph.facebook.com");
  g_autofree char *sim = instasync_oauth_dialog_url_for_graph ("http://127.0.0.1:4000");

  g_assert_null (instasync_oauth_flow_new (NULL, NULL, NULL, INSTASYNC_OAUTH_RESPONSE_TOKEN, &no_id));
  g_assert_error (no_id, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFIG);
  g_assert_nonnull (strstr (no_id->message, "INSTASYNC_APP_ID"));
  g_assert_null (instasync_oauth_flow_new (META_APP_ID, "", NULL, INSTASYNC_OAUTH_RESPONSE_CODE, &no_secret));
  g_assert_error (no_secret, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFIG);
  g_assert_nonnull (strstr (no_secret->message, "INSTASYNC_APP_SECRET"));
  g_assert_null (instasync_oauth_flow_new (META_APP_ID, NULL, "ftp://x/", INSTASYNC_OAUTH_RESPONSE_TOKEN,
                                           &bad_redirect));
  g_assert_error (bad_redirect, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFIG);
  g_assert_null (instasync_oauth_flow_new (META_APP_ID, NULL, "https://x.example/#a",
                                           INSTASYNC_OAUTH_RESPONSE_TOKEN, &fragment_redirect));
  g_assert_error (fragment_redirect, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFIG);

  g_assert_cmpstr (real, ==, "https://www.facebook.com");
  g_assert_cmpstr (sim, ==, "http://127.0.0.1:4000");
}

/* Redirect parsing */

static void
test_parse_onboarding_fragment (void)
{
  g_autoptr(InstaSyncOAuthFlow) flow = new_flow (NULL, INSTASYNC_OAUTH_RESPONSE_TOKEN);
  g_autofree char *url = redirect_with (flow, "#access_token=" SHORT "&data_access_expiration_time=1789326000"
                                              "&expires_in=4815&long_lived_token=" LONG "&", "");
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncOAuthGrant) grant = instasync_oauth_flow_parse_redirect (flow, url, &error);

  g_assert_no_error (error);
  /* The long-lived token wins, and the short one's expires_in is not its. */
  g_assert_cmpstr (grant->access_token, ==, LONG);
  g_assert_true (grant->long_lived);
  g_assert_cmpint (grant->expires_at, ==, INSTASYNC_OAUTH_EXPIRY_UNKNOWN);
  g_assert_cmpint (grant->data_access_expires_at, ==, 1789326000);
  g_assert_null (grant->code);
}

static void
test_parse_short_token_and_query (void)
{
  g_autoptr(InstaSyncOAuthFlow) fragment_flow = new_flow (NULL, INSTASYNC_OAUTH_RESPONSE_TOKEN);
  g_autoptr(InstaSyncOAuthFlow) query_flow = new_flow (NULL, INSTASYNC_OAUTH_RESPONSE_TOKEN);
  g_autofree char *fragment = redirect_with (fragment_flow, "#access_token=" SHORT "&expires_in=4815&", "");
  g_autofree char *query = redirect_with (query_flow, "?access_token=" SHORT "&expires_in=5183944&", "");
  g_autofree char *padded = g_strconcat ("  \t", query, "\r\n", NULL);
  g_autoptr(InstaSyncOAuthGrant) short_grant = NULL;
  g_autoptr(InstaSyncOAuthGrant) query_grant = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  short_grant = instasync_oauth_flow_parse_redirect (fragment_flow, fragment, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (short_grant->access_token, ==, SHORT);
  g_assert_false (short_grant->long_lived);
  g_assert_cmpint (short_grant->expires_at, >=, now + 4815);
  g_assert_cmpint (short_grant->expires_at, <=, now + 4815 + 5);
  g_assert_cmpint (short_grant->data_access_expires_at, ==, INSTASYNC_OAUTH_EXPIRY_UNKNOWN);

  /* In the query instead, pasted with the whitespace a terminal adds; a
   * 60-day token is long-lived already. */
  query_grant = instasync_oauth_flow_parse_redirect (query_flow, padded, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (query_grant->access_token, ==, SHORT);
  g_assert_true (query_grant->long_lived);
  g_assert_cmpint (query_grant->expires_at, >=, now + 5183944);
}

static void
test_parse_code (void)
{
  g_autoptr(InstaSyncOAuthFlow) flow = new_flow (APP_SECRET, INSTASYNC_OAUTH_RESPONSE_CODE);
  g_autoptr(InstaSyncOAuthFlow) other = new_flow (APP_SECRET, INSTASYNC_OAUTH_RESPONSE_CODE);
  g_autofree char *url = redirect_with (flow, "?code=" CODE "&", "#_=_");
  g_autofree char *no_junk = redirect_with (other, "?code=" CODE "&", "");
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncOAuthGrant) grant = instasync_oauth_flow_parse_redirect (flow, url, &error);
  g_autoptr(InstaSyncOAuthGrant) plain = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (grant->code, ==, CODE);
  g_assert_null (grant->access_token);
  g_assert_false (grant->long_lived);

  plain = instasync_oauth_flow_parse_redirect (other, no_junk, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (plain->code, ==, CODE);
}

static void
test_parse_dialog_errors (void)
{
  struct {
    const char *answer;
    int         code;
    const char *says;
  } cases[] = {
    /* Declined permissions, as the dialog is seen to answer. */
    { "?error=access_denied&error_code=200&error_description=Permissions+error"
      "&error_reason=user_denied&", INSTASYNC_OAUTH_ERROR_DENIED, "declined" },
    /* Meta's documented "Canceled Login". */
    { "?error_reason=user_denied&error=access_denied&error_description=Permissions+error&",
      INSTASYNC_OAUTH_ERROR_CANCELLED, "cancelled" },
    /* The dialogs' "User canceled the Dialog flow". */
    { "?error_code=4201&error_message=User+canceled+the+Dialog+flow&",
      INSTASYNC_OAUTH_ERROR_CANCELLED, "cancelled" },
    { "#error=access_denied&error_reason=user_cancelled&", INSTASYNC_OAUTH_ERROR_CANCELLED,
      "cancelled" },
    { "?error=server_error&error_description=Something+broke&",
      INSTASYNC_OAUTH_ERROR_FAILED, "Something broke" },
    /* A description that echoes a token of the same answer is redacted,
     * even where the quote would cut the token short. */
    { "?error=invalid_request&error_description=bad+" SHORT "&access_token=" SHORT "&",
      INSTASYNC_OAUTH_ERROR_FAILED, "[redacted]" },
    { "?error=invalid_request&error_description=a+rather+long+preamble+then+" SHORT
      "&access_token=" SHORT "&", INSTASYNC_OAUTH_ERROR_FAILED, "preamble" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(InstaSyncOAuthFlow) flow = new_flow (NULL, INSTASYNC_OAUTH_RESPONSE_TOKEN);
      g_autofree char *url = redirect_with (flow, cases[i].answer, "#_=_");
      g_autoptr(GError) error = NULL;
      g_autoptr(InstaSyncOAuthGrant) grant = NULL;

      if (cases[i].answer[0] == '#')
        {
          g_free (url);
          url = redirect_with (flow, cases[i].answer, "");
        }

      grant = instasync_oauth_flow_parse_redirect (flow, url, &error);
      g_test_message ("case %u: %s", i, error ? error->message : "(no error)");
      g_assert_null (grant);
      g_assert_error (error, INSTASYNC_OAUTH_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].says));
      g_assert_null (strstr (error->message, SHORT));
      g_assert_null (strstr (error->message, "EAAshort"));
    }
}

static void
test_parse_hostile_description (void)
{
  g_autoptr(InstaSyncOAuthFlow) flow = new_flow (NULL, INSTASYNC_OAUTH_RESPONSE_TOKEN);
  g_autofree char *url = redirect_with (flow, "?error=x&error_description=%1B%5B2J%1B%5D0%3Bpwned%07"
                                              "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                                              "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&",
                                        "#_=_");
  g_autoptr(GError) error = NULL;

  g_assert_null (instasync_oauth_flow_parse_redirect (flow, url, &error));
  g_assert_error (error, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_FAILED);
  /* No escape sequence reaches a terminal, and the quote is short. */
  for (const char *p = error->message; *p != '\0'; p++)
    g_assert_false ((guchar)*p < 0x20 || *p == 0x7f);
  g_assert_null (strstr (error->message, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static void
test_parse_state (void)
{
  g_autoptr(InstaSyncOAuthFlow) flow = new_flow (NULL, INSTASYNC_OAUTH_RESPONSE_TOKEN);
  g_autoptr(InstaSyncOAuthFlow) other = new_flow (NULL, INSTASYNC_OAUTH_RESPONSE_TOKEN);
  const char *state = instasync_oauth_flow_get_state (flow);
  g_autofree char *missing = g_strconcat (REDIRECT, "#access_token=" SHORT "&expires_in=4815", NULL);
  g_autofree char *forged = redirect_with (other, "#access_token=" SHORT "&", "");
  g_autofree char *truncated = g_strdup_printf ("%s#access_token=" SHORT "&state=%.42s", REDIRECT, state);
  g_autofree char *longer = g_strdup_printf ("%s#access_token=" SHORT "&state=%sA", REDIRECT, state);
  g_autofree char *empty = g_strconcat (REDIRECT, "#access_token=" SHORT "&state=", NULL);
  g_autofree char *error_without_state = g_strconcat (REDIRECT, "?error=access_denied&error_code=200#_=_", NULL);
  g_autofree char *twice = g_strdup_printf ("%s#access_token=" SHORT "&state=%s&state=%s", REDIRECT,
                                            state, state);
  g_autofree char *split = g_strdup_printf ("%s?state=%s#access_token=" SHORT "&state=x", REDIRECT, state);
  g_autofree char *good = redirect_with (flow, "#access_token=" SHORT "&", "");
  g_autoptr(InstaSyncOAuthGrant) grant = NULL;
  g_autoptr(GError) error = NULL;

  assert_parse_error (flow, missing, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_STATE);
  assert_parse_error (flow, forged, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_STATE);
  assert_parse_error (flow, truncated, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_STATE);
  assert_parse_error (flow, longer, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_STATE);
  assert_parse_error (flow, empty, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_STATE);
  /* Even a refusal must be ours to be believed. */
  assert_parse_error (flow, error_without_state, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_STATE);
  /* Two states: whichever a parser kept, refused. */
  assert_parse_error (flow, twice, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_MALFORMED);
  assert_parse_error (flow, split, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_MALFORMED);

  /* None of those used the flow up; the right answer still works, once. */
  grant = instasync_oauth_flow_parse_redirect (flow, good, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (grant->access_token, ==, SHORT);
  assert_parse_error (flow, good, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_STATE);
}

static void
test_parse_garbled (void)
{
  g_autoptr(InstaSyncOAuthFlow) flow = new_flow (NULL, INSTASYNC_OAUTH_RESPONSE_TOKEN);
  g_autofree char *bad_escape = redirect_with (flow, "#access_token=" SHORT "%ZZ&", "");
  g_autofree char *space = redirect_with (flow, "#access_token=" SHORT " x&", "");
  g_autofree char *utf8 = redirect_with (flow, "#access_token=" SHORT "é&", "");
  g_autofree char *hostile_token = redirect_with (flow, "#access_token=%3Cscript%3E" SHORT "&", "");
  g_autofree char *bad_expiry = redirect_with (flow, "#access_token=" SHORT "&expires_in=soon&", "");
  g_autofree char *nul = redirect_with (flow, "#access_token=" SHORT "%00&", "");
  g_autofree char *other_host = redirect_with (flow, "#access_token=" SHORT "&", "");
  g_autofree char *http = NULL;
  g_autofree char *huge = NULL;
  g_autofree char *nothing = g_strconcat (REDIRECT, "#_=_", NULL);
  g_autofree char *only_state = redirect_with (flow, "#", "");
  GString *big = g_string_new (REDIRECT "#access_token=");

  while (big->len < 20000)
    g_string_append (big, "EAAB");
  huge = g_string_free (big, FALSE);

  memcpy (other_host + strlen ("https://"), "www.faceb0ok", strlen ("www.faceb0ok"));
  http = g_strconcat ("http://", strstr (other_host, "://") + 3, NULL);
  memcpy (http + strlen ("http://"), "www.facebook", strlen ("www.facebook"));

  assert_parse_error (flow, NULL, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_MALFORMED);
  assert_parse_error (flow, " \n", INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_MALFORMED);
  assert_parse_error (flow, "hello", INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_MALFORMED);
  assert_parse_error (flow, bad_escape, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_MALFORMED);
  assert_parse_error (flow, space, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_MALFORMED);
  assert_parse_error (flow, utf8, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_MALFORMED);
  assert_parse_error (flow, hostile_token, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_MALFORMED);
  assert_parse_error (flow, bad_expiry, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_MALFORMED);
  assert_parse_error (flow, nul, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_MALFORMED);
  assert_parse_error (flow, other_host, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_MALFORMED);
  assert_parse_error (flow, http, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_MALFORMED);
  assert_parse_error (flow, huge, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_MALFORMED);
  assert_parse_error (flow, nothing, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_MALFORMED);
  assert_parse_error (flow, only_state, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_MALFORMED);
  /* The dialog's own address pasted by mistake. */
  assert_parse_error (flow, "https://www.facebook.com/v22.0/dialog/oauth?client_id=" META_APP_ID,
                      INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_MALFORMED);
}

static void
test_parse_every_truncation (void)
{
  g_autoptr(InstaSyncOAuthFlow) flow = new_flow (NULL, INSTASYNC_OAUTH_RESPONSE_TOKEN);
  /* The dialog puts the state last: any cut loses or breaks it. */
  g_autofree char *url = redirect_with (flow, "#access_token=" SHORT "&data_access_expiration_time=1789326000"
                                              "&expires_in=4815&long_lived_token=" LONG "&", "");
  g_autoptr(InstaSyncOAuthGrant) grant = NULL;
  g_autoptr(GError) error = NULL;

  for (gsize length = 0; length < strlen (url); length++)
    {
      g_autofree char *cut = g_strndup (url, length);
      g_autoptr(GError) cut_error = NULL;
      g_autoptr(InstaSyncOAuthGrant) cut_grant = instasync_oauth_flow_parse_redirect (flow, cut, &cut_error);

      g_assert_null (cut_grant);
      g_assert_true (cut_error->domain == INSTASYNC_OAUTH_ERROR);
      g_assert_true (cut_error->code == INSTASYNC_OAUTH_ERROR_MALFORMED ||
                     cut_error->code == INSTASYNC_OAUTH_ERROR_STATE);
      g_assert_null (strstr (cut_error->message, SHORT));
      g_assert_null (strstr (cut_error->message, LONG));
    }

  grant = instasync_oauth_flow_parse_redirect (flow, url, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (grant->access_token, ==, LONG);
}

static void
test_is_redirect (void)
{
  g_autoptr(InstaSyncOAuthFlow) flow = new_flow (NULL, INSTASYNC_OAUTH_RESPONSE_TOKEN);

  g_assert_true (instasync_oauth_flow_is_redirect (flow, REDIRECT "#access_token=x"));
  g_assert_true (instasync_oauth_flow_is_redirect (flow, "https://WWW.Facebook.com:443/connect/login_success.html?code=1"));
  g_assert_false (instasync_oauth_flow_is_redirect (flow, "https://www.facebook.com:8443/connect/login_success.html"));
  g_assert_false (instasync_oauth_flow_is_redirect (flow, "https://www.facebook.com/connect/login_success.htm"));
  g_assert_false (instasync_oauth_flow_is_redirect (flow, "https://www.facebook.com.evil.example/connect/login_success.html"));
  g_assert_false (instasync_oauth_flow_is_redirect (flow, "https://www.facebook.com/v22.0/dialog/oauth"));
  g_assert_false (instasync_oauth_flow_is_redirect (flow, NULL));
}

/* Against the simulator */

typedef struct
{
  GraphSim             *sim;
  char                 *base;
  InstaSyncGraphClient *client;
  SoupSession          *session;
} SimFixture;

static void
sim_set_up (SimFixture    *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->sim = graph_sim_new ();
  g_assert_true (graph_sim_load_scenario_data (f->sim, scenario, -1, &error));
  g_assert_no_error (error);
  g_assert_true (graph_sim_start (f->sim, 0, &error));
  g_assert_no_error (error);
  f->base = graph_sim_get_base_url (f->sim);
  f->client = instasync_graph_client_new (f->base, "v22.0");
  instasync_graph_client_set_retry_policy (f->client, 1, 0, 0);
  f->session = soup_session_new ();
}

static void
sim_tear_down (SimFixture    *f,
               gconstpointer  data)
{
  g_clear_object (&f->session);
  g_clear_object (&f->client);
  g_clear_object (&f->sim);
  g_free (f->base);
}

static InstaSyncOAuthFlow *
sim_flow (SimFixture                 *f,
          const char                 *secret,
          InstaSyncOAuthResponseType  type)
{
  InstaSyncOAuthFlow *flow = new_flow (secret, type);

  instasync_oauth_flow_set_dialog_url (flow, f->base);
  instasync_oauth_flow_set_graph_url (flow, f->base);
  return flow;
}

/* Opens @url like a browser that stops at the first redirect. */
static char *
follow_dialog (SimFixture *f,
               const char *url)
{
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (message);
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  body = soup_session_send_and_read (f->session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 302);
  return g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                 "Location"));
}

static char *
login (SimFixture         *f,
       InstaSyncOAuthFlow *flow,
       const char         *outcome)
{
  g_autofree char *dialog = instasync_oauth_flow_build_dialog_url (flow);
  g_autofree char *clicked = g_strconcat (dialog, "&sim_outcome=", outcome, NULL);

  return follow_dialog (f, clicked);
}

static void
assert_token_works (SimFixture *f,
                    const char *token)
{
  const char * const params[] = { "fields", "username", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = instasync_graph_client_get (f->client, "17841400000000001", params,
                                                         token, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "username"), ==,
                   "ada.bakery");
}

static void
test_sim_token_flow (SimFixture    *f,
                     gconstpointer  data)
{
  g_autoptr(InstaSyncOAuthFlow) flow = sim_flow (f, NULL, INSTASYNC_OAUTH_RESPONSE_TOKEN);
  g_autofree char *location = login (f, flow, "approve");
  g_autoptr(InstaSyncOAuthGrant) grant = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) fragment = NULL;
  g_autoptr(GUri) uri = g_uri_parse (location, G_URI_FLAGS_ENCODED, NULL);

  fragment = g_uri_parse_params (g_uri_get_fragment (uri), -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
  g_assert_nonnull (g_hash_table_lookup (fragment, "long_lived_token"));

  grant = instasync_oauth_flow_complete (flow, f->client, location, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (grant->access_token, ==, g_hash_table_lookup (fragment, "long_lived_token"));
  g_assert_true (grant->long_lived);
  /* Without the secret nothing is exchanged or looked up. */
  g_assert_cmpuint (instasync_graph_client_get_api_calls (f->client), ==, 0);
  g_assert_cmpint (grant->expires_at, ==, INSTASYNC_OAUTH_EXPIRY_UNKNOWN);
  g_assert_cmpint (grant->data_access_expires_at, >, g_get_real_time () / G_USEC_PER_SEC);
  assert_token_works (f, grant->access_token);
}

static void
test_sim_token_flow_with_secret (SimFixture    *f,
                                 gconstpointer  data)
{
  g_autoptr(InstaSyncOAuthFlow) onboarding = sim_flow (f, APP_SECRET, INSTASYNC_OAUTH_RESPONSE_TOKEN);
  g_autoptr(InstaSyncOAuthFlow) plain = sim_flow (f, APP_SECRET, INSTASYNC_OAUTH_RESPONSE_TOKEN);
  g_autofree char *location = login (f, onboarding, "approve");
  g_autofree char *plain_dialog = instasync_oauth_flow_build_dialog_url (plain);
  g_autofree char *plain_location = NULL;
  g_autofree char *clicked = NULL;
  g_autoptr(InstaSyncOAuthGrant) grant = NULL;
  g_autoptr(InstaSyncOAuthGrant) exchanged = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  char *extras;

  graph_sim_set_app_secret (f->sim, APP_SECRET);
  instasync_graph_client_set_app_secret (f->client, APP_SECRET);

  /* The long-lived token's expiry comes from debug_token. */
  grant = instasync_oauth_flow_complete (onboarding, f->client, location, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (grant->long_lived);
  g_assert_cmpint (grant->expires_at, >=, now + 5183944);
  g_assert_cmpint (grant->expires_at, <=, now + 5183944 + 5);
  assert_token_works (f, grant->access_token);

  /* A dialog without the onboarding extras gives a short-lived token,
   * which the secret exchanges for a long-lived one. */
  extras = strstr (plain_dialog, "&extras=");
  g_assert_nonnull (extras);
  *extras = '\0';
  clicked = g_strconcat (plain_dialog, "&sim_outcome=approve", NULL);
  plain_location = follow_dialog (f, clicked);
  g_assert_null (strstr (plain_location, "long_lived_token"));
  exchanged = instasync_oauth_flow_complete (plain, f->client, plain_location, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (exchanged->long_lived);
  g_assert_null (strstr (plain_location, exchanged->access_token));
  g_assert_cmpint (exchanged->expires_at, >=, now + 5183944);
  assert_token_works (f, exchanged->access_token);
}

static void
test_sim_code_flow (SimFixture    *f,
                    gconstpointer  data)
{
  g_autoptr(InstaSyncOAuthFlow) flow = sim_flow (f, APP_SECRET, INSTASYNC_OAUTH_RESPONSE_CODE);
  g_autoptr(InstaSyncOAuthFlow) replay = sim_flow (f, APP_SECRET, INSTASYNC_OAUTH_RESPONSE_CODE);
  g_autofree char *dialog = NULL;
  g_autofree char *location = NULL;
  g_autofree char *code = NULL;
  g_autofree char *replayed = NULL;
  g_autoptr(InstaSyncOAuthGrant) grant = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) query = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  /* An app that requires appsecret_proof: the exchanges need none, the
   * token's calls do. */
  graph_sim_set_app_secret (f->sim, APP_SECRET);
  instasync_graph_client_set_app_secret (f->client, APP_SECRET);
  g_assert_true (graph_sim_set_login_outcome (f->sim, "approve"));
  dialog = instasync_oauth_flow_build_dialog_url (flow);
  location = follow_dialog (f, dialog);
  g_assert_true (g_str_has_suffix (location, "#_=_"));
  query = query_of (location);
  code = g_strdup (g_hash_table_lookup (query, "code"));

  grant = instasync_oauth_flow_complete (flow, f->client, location, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (grant->code);
  g_assert_true (grant->long_lived);
  g_assert_cmpint (grant->expires_at, >=, now + 5183944);
  g_assert_cmpint (grant->expires_at, <=, now + 5183944 + 5);
  /* The code exchange, then the long-lived exchange. */
  g_assert_cmpuint (instasync_graph_client_get_api_calls (f->client), ==, 2);
  assert_token_works (f, grant->access_token);

  /* A code is single use; the failure names neither it nor the secret. */
  replayed = g_strdup_printf ("%s?code=%s&state=%s#_=_", REDIRECT, code,
                              instasync_oauth_flow_get_state (replay));
  g_clear_pointer (&grant, instasync_oauth_grant_free);
  grant = instasync_oauth_flow_complete (replay, f->client, replayed, NULL, &error);
  g_assert_null (grant);
  g_assert_error (error, INSTASYNC_GRAPH_ERROR, 100);
  g_assert_cmpint (instasync_graph_error_get_subcode (error), ==, 36009);
  g_assert_null (strstr (error->message, code));
  g_assert_null (strstr (error->message, APP_SECRET));
}

static void
test_sim_code_flow_errors (SimFixture    *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncOAuthFlow) wrong_secret = NULL;
  g_autoptr(InstaSyncOAuthFlow) no_secret = sim_flow (f, NULL, INSTASYNC_OAUTH_RESPONSE_TOKEN);
  g_autoptr(InstaSyncOAuthGrant) grant = NULL;
  g_autofree char *location = NULL;
  g_autofree char *code_answer = NULL;

  wrong_secret = instasync_oauth_flow_new (META_APP_ID, "not-the-secret", REDIRECT,
                                           INSTASYNC_OAUTH_RESPONSE_CODE, &error);
  g_assert_no_error (error);
  instasync_oauth_flow_set_dialog_url (wrong_secret, f->base);
  location = login (f, wrong_secret, "approve");
  grant = instasync_oauth_flow_complete (wrong_secret, f->client, location, NULL, &error);
  g_assert_null (grant);
  g_assert_error (error, INSTASYNC_GRAPH_ERROR, 1);
  g_assert_nonnull (strstr (error->message, "Exchanging the login code"));
  g_assert_null (strstr (error->message, "not-the-secret"));
  g_clear_error (&error);

  /* A code where a token was expected, and no secret to exchange it. */
  code_answer = redirect_with (no_secret, "?code=" CODE "&", "#_=_");
  grant = instasync_oauth_flow_complete (no_secret, f->client, code_answer, NULL, &error);
  g_assert_null (grant);
  g_assert_error (error, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_NO_SECRET);
  g_assert_null (strstr (error->message, CODE));
  g_assert_cmpuint (instasync_graph_client_get_api_calls (f->client), ==, 1);
}

static void
test_sim_refusals (SimFixture    *f,
                   gconstpointer  data)
{
  const struct {
    InstaSyncOAuthResponseType type;
    const char                *outcome;
    int                        code;
  } cases[] = {
    { INSTASYNC_OAUTH_RESPONSE_TOKEN, "deny", INSTASYNC_OAUTH_ERROR_DENIED },
    { INSTASYNC_OAUTH_RESPONSE_TOKEN, "cancel", INSTASYNC_OAUTH_ERROR_CANCELLED },
    { INSTASYNC_OAUTH_RESPONSE_CODE, "deny", INSTASYNC_OAUTH_ERROR_DENIED },
    { INSTASYNC_OAUTH_RESPONSE_CODE, "cancel", INSTASYNC_OAUTH_ERROR_CANCELLED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(InstaSyncOAuthFlow) flow = sim_flow (f, APP_SECRET, cases[i].type);
      g_autofree char *location = login (f, flow, cases[i].outcome);
      g_autoptr(GError) error = NULL;
      g_autoptr(InstaSyncOAuthGrant) grant = NULL;

      g_assert_true (g_str_has_suffix (location, "#_=_"));
      grant = instasync_oauth_flow_complete (flow, f->client, location, NULL, &error);
      g_assert_null (grant);
      g_assert_error (error, INSTASYNC_OAUTH_ERROR, cases[i].code);
    }

  /* Nothing was exchanged for a refusal. */
  g_assert_cmpuint (instasync_graph_client_get_api_calls (f->client), ==, 0);
}

static void
complete_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  InstaSyncOAuthGrant **grant = user_data;
  g_autoptr(GError) error = NULL;

  *grant = instasync_oauth_flow_complete_finish (INSTASYNC_OAUTH_FLOW (source), result, &error);
  g_assert_no_error (error);
}

static void
forged_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GError **error = user_data;

  g_assert_null (instasync_oauth_flow_complete_finish (INSTASYNC_OAUTH_FLOW (source), result, error));
}

static void
test_sim_async (SimFixture    *f,
                gconstpointer  data)
{
  g_autoptr(InstaSyncOAuthFlow) flow = sim_flow (f, APP_SECRET, INSTASYNC_OAUTH_RESPONSE_CODE);
  g_autoptr(InstaSyncOAuthFlow) other = sim_flow (f, APP_SECRET, INSTASYNC_OAUTH_RESPONSE_CODE);
  g_autofree char *location = login (f, flow, "approve");
  g_autofree char *forged = redirect_with (other, "?code=" CODE "&", "#_=_");
  InstaSyncOAuthGrant *grant = NULL;
  GError *error = NULL;

  instasync_oauth_flow_complete_async (flow, location, NULL, complete_cb, &grant);
  while (grant == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (grant->long_lived);
  assert_token_works (f, grant->access_token);
  instasync_oauth_grant_free (grant);

  /* A refused answer fails without reaching the network. */
  instasync_oauth_flow_complete_async (flow, forged, NULL, forged_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, INSTASYNC_OAUTH_ERROR, INSTASYNC_OAUTH_ERROR_STATE);
  g_clear_error (&error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/oauth/dialog-url/token", test_dialog_url_token);
  g_test_add_func ("/oauth/dialog-url/code", test_dialog_url_code);
  g_test_add_func ("/oauth/dialog-url/state", test_dialog_state);
  g_test_add_func ("/oauth/dialog-url/config-errors", test_flow_config_errors);
  g_test_add_func ("/oauth/parse/onboarding-fragment", test_parse_onboarding_fragment);
  g_test_add_func ("/oauth/parse/short-token-and-query", test_parse_short_token_and_query);
  g_test_add_func ("/oauth/parse/code", test_parse_code);
  g_test_add_func ("/oauth/parse/dialog-errors", test_parse_dialog_errors);
  g_test_add_func ("/oauth/parse/hostile-description", test_parse_hostile_description);
  g_test_add_func ("/oauth/parse/state", test_parse_state);
  g_test_add_func ("/oauth/parse/garbled", test_parse_garbled);
  g_test_add_func ("/oauth/parse/every-truncation", test_parse_every_truncation);
  g_test_add_func ("/oauth/parse/is-redirect", test_is_redirect);

#define ADD(name, fn) g_test_add ("/oauth/sim/" name, SimFixture, NULL, sim_set_up, fn, sim_tear_down)
  ADD ("token-flow", test_sim_token_flow);
  ADD ("token-flow-with-secret", test_sim_token_flow_with_secret);
  ADD ("code-flow", test_sim_code_flow);
  ADD ("code-flow-errors", test_sim_code_flow_errors);
  ADD ("refusals", test_sim_refusals);
  ADD ("async", test_sim_async);
#undef ADD

  return g_test_run ();
}
