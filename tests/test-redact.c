/* test-redact.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No secret survives any output: every way a token, the App Secret, the
 * token key or a database password can be written (URLs, forms, JSON,
 * headers, conninfo, any case, percent-encoded once or twice) is scrubbed,
 * by value and by structure; a short secret does not eat the words it is
 * part of; and g_print, g_printerr and the log writer all pass through it.
 */

#include "config.h"

#include <string.h>

#include "instasync-error.h"
#include "instasync-redact.h"
#include "instasync-secret.h"

#define TOKEN      "EAAGm0PX4ZCpsBAO5ZBaZCz1kqIxQYZD"
#define APP_SECRET "3f9c2a7e5b1d4c8a9e0f6b2d7c3a1e5f"
#define TOKEN_KEY  "5e2d8c1b7a3f9e4d6c0b8a2f7e1d3c5b"
#define PASSWORD   "s3cr3t-Pa55"

static void
assert_clean (const char *text,
              const char *secret)
{
  g_autofree char *clean = instasync_redact (text);

  g_test_message ("%s → %s", text, clean);
  g_assert_null (strstr (clean, secret));
  g_assert_nonnull (strstr (clean, "[redacted]"));
}

/* Secrets that nothing registered: only the structure gives them away. */
static void
test_structural_forms (void)
{
  const char * const forms[] = {
    "GET https://graph.facebook.com/v22.0/me?fields=id&access_token=" TOKEN " failed",
    "GET https://graph.facebook.com/v22.0/me?access_token=" TOKEN "&fields=id",
    "https://graph.facebook.com/me?ACCESS_TOKEN=" TOKEN,
    "https://graph.facebook.com/me?Access_Token=" TOKEN,
    "redirect to https://example.com/cb?next=https%3A%2F%2Fx.test%2F%3Faccess_token%3D" TOKEN "%26a%3Db",
    "double: access_token%253D" TOKEN,
    "access_token = " TOKEN,
    "access_token: " TOKEN,
    "{\"access_token\": \"" TOKEN "\", \"token_type\": \"bearer\"}",
    "{\"access_token\":\"" TOKEN "\"}",
    "{\\\"access_token\\\": \\\"" TOKEN "\\\"}",
    "Authorization: Bearer " TOKEN,
    "authorization: bearer " TOKEN,
    "Authorization: OAuth " TOKEN,
    "refresh_token=" TOKEN "&grant_type=refresh_token",
    "client_secret=" APP_SECRET,
    "appsecret_proof=" APP_SECRET,
    "fb_exchange_token=" TOKEN,
    "input_token=" TOKEN,
    "code=" TOKEN "&state=xyz",
    "https://www.facebook.com/connect/login_success.html#access_token=" TOKEN "&expires_in=5183999",
    "host=db.example.com password=" PASSWORD " dbname=instasync",
    "host=db.example.com password='" PASSWORD " with space' dbname=instasync",
    "PASSWORD=" PASSWORD,
    "postgresql://alice:" PASSWORD "@db.example.com:5432/instasync",
    "postgresql://alice:" PASSWORD "@db.example.com:notaport/instasync",
    "could not parse postgres://bob:" PASSWORD "@@host/db?sslmode=x",
  };

  _instasync_redact_forget_all ();
  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      const char *secret = strstr (forms[i], TOKEN) != NULL ? TOKEN
                         : strstr (forms[i], APP_SECRET) != NULL ? APP_SECRET : PASSWORD;

      assert_clean (forms[i], secret);
    }
}

/* What is not secret stays: the tail of a longer name, an error code,
 * prose, the rest of a URL. */
static void
test_structure_keeps_the_rest (void)
{
  const struct { const char *in; const char *out; } cases[] = {
    { "barcode=123&error_code=190", "barcode=123&error_code=190" },
    { "{\"error\": {\"code\": 190, \"error_subcode\": 463}}",
      "{\"error\": {\"code\": 190, \"error_subcode\": 463}}" },
    { "Invalid OAuth access token - Cannot parse access token",
      "Invalid OAuth access token - Cannot parse access token" },
    { "https://graph.facebook.com/v22.0/17841400000000001/insights?metric=reach&access_token=abc&period=day",
      "https://graph.facebook.com/v22.0/17841400000000001/insights?metric=reach&access_token=[redacted]&period=day" },
    { "{\"access_token\": \"abc\", \"expires_in\": 5183944}",
      "{\"access_token\": \"[redacted]\", \"expires_in\": 5183944}" },
    { "postgresql://alice:pw@db.example.com/x", "postgresql://alice:[redacted]@db.example.com/x" },
    { "postgresql://alice@db.example.com/x", "postgresql://alice@db.example.com/x" },
    { "[{\"metric\": \"views\", \"code\": 100}]", "[{\"metric\": \"views\", \"code\": 100}]" },
    { "{\"password\": 1234}", "{\"password\": \"[redacted]\"}" },
  };

  _instasync_redact_forget_all ();
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *clean = instasync_redact (cases[i].in);

      g_assert_cmpstr (clean, ==, cases[i].out);
    }
}

/* Secrets registered by value: wherever they turn up, in whatever prose,
 * percent-encoded or JSON-escaped. */
static void
test_registered_values (void)
{
  g_autoptr(InstaSyncSecret) token = instasync_secret_new (TOKEN);
  g_autoptr(InstaSyncSecret) app_secret = instasync_secret_new ("  " APP_SECRET "\n");
  g_autoptr(InstaSyncSecret) key = instasync_secret_new (TOKEN_KEY);
  g_autoptr(InstaSyncSecret) odd = instasync_secret_new ("tok/en+with=odd\"chars");
  const char * const texts[] = {
    "the server said: " TOKEN " is not valid",
    "(#190) Error validating access token: " TOKEN ".",
    "key " TOKEN_KEY " in prose",
    "secret " APP_SECRET " in prose",
    "encoded tok%2Fen%2Bwith%3Dodd%22chars here",
    "escaped \"tok/en+with=odd\\\"chars\" here",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *clean = instasync_redact (texts[i]);

      g_test_message ("%s → %s", texts[i], clean);
      g_assert_null (strstr (clean, TOKEN));
      g_assert_null (strstr (clean, TOKEN_KEY));
      g_assert_null (strstr (clean, APP_SECRET));
      g_assert_null (strstr (clean, "odd"));
      g_assert_nonnull (strstr (clean, "[redacted]"));
    }
  _instasync_redact_forget_all ();
}

/* A short secret goes where it stands alone, and nowhere else. */
static void
test_short_secret (void)
{
  g_autofree char *clean = NULL;

  _instasync_redact_forget_all ();
  instasync_redact_register ("ab");
  clean = instasync_redact ("about ab, the cab and tab: ab");
  g_assert_cmpstr (clean, ==, "about [redacted], the cab and tab: [redacted]");
  g_clear_pointer (&clean, g_free);

  instasync_redact_register ("key");
  clean = instasync_redact ("The token key does not match");
  g_assert_cmpstr (clean, ==, "The token [redacted] does not match");
  g_clear_pointer (&clean, g_free);
  clean = instasync_redact ("keyring monkey keys");
  g_assert_cmpstr (clean, ==, "keyring monkey keys");
  _instasync_redact_forget_all ();
}

/* A database password, from a good connection string and a bad one. */
static void
test_conninfo_password (void)
{
  const char * const strings[] = {
    "host=db.example.com user=alice password=" PASSWORD,
    "postgresql://alice:" PASSWORD "@db.example.com/instasync",
    "postgresql://alice:" PASSWORD "@db.example.com:notaport/instasync?bogus=1",
    "postgresql://alice:s3cr3t%2DPa55@db.example.com/instasync",
  };

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    {
      g_autofree char *clean = NULL;

      _instasync_redact_forget_all ();
      instasync_redact_register_conninfo (strings[i]);
      clean = instasync_redact ("libpq: invalid port number: \"notaport\"; password " PASSWORD
                                " was refused");
      g_test_message ("%s → %s", strings[i], clean);
      g_assert_null (strstr (clean, PASSWORD));
    }
  _instasync_redact_forget_all ();
}

/* The error helpers go through the same redactor. */
static void
test_error_paths (void)
{
  g_autoptr(GError) error = g_error_new (INSTASYNC_ERROR, INSTASYNC_ERROR_HTTP,
                                         "GET https://graph.facebook.com/me?access_token%%3D%s: "
                                         "Bearer %s", TOKEN, TOKEN);
  g_autofree char *text = NULL;

  _instasync_redact_forget_all ();
  instasync_error_redact_params (error);
  g_assert_null (strstr (error->message, TOKEN));

  text = instasync_redact_secret_params ("access_token = " TOKEN);
  g_assert_null (strstr (text, TOKEN));
  g_clear_pointer (&text, g_free);

  /* What the window shows: scrubbed, then escaped. */
  text = instasync_redact_markup ("<b>refused</b> https://x.test/?access_token=" TOKEN);
  g_assert_cmpstr (text, ==, "&lt;b&gt;refused&lt;/b&gt; https://x.test/?access_token=[redacted]");
}

/* Everything the programs print or log, once instasync_redact_install()
 * ran (as both do first thing). */
static void
test_installed_outputs (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(InstaSyncSecret) token = NULL;

      instasync_redact_install ();
      token = instasync_secret_new (TOKEN);
      g_print ("printed %s\n", token);
      g_print ("printed https://x.test/?access_token=%s\n", "unregistered-token-1234");
      g_printerr ("error %s\n", token);
      g_printerr ("error password=%s\n", PASSWORD);
      g_message ("logged %s", token);
      g_debug ("debugged Bearer %s", "unregistered-token-5678");
      return;
    }

  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*printed [redacted]*access_token=[redacted]*");
  g_test_trap_assert_stdout_unmatched ("*" TOKEN "*");
  g_test_trap_assert_stdout_unmatched ("*unregistered-token*");
  g_test_trap_assert_stderr ("*error [redacted]*password=[redacted]*logged [redacted]*");
  g_test_trap_assert_stderr_unmatched ("*" TOKEN "*");
  g_test_trap_assert_stderr_unmatched ("*" PASSWORD "*");
  g_test_trap_assert_stderr_unmatched ("*unregistered-token*");
}

/* instasyncctl told a database URL it cannot use: the error names the
 * problem and never the password. */
static void
test_database_url_errors (void)
{
  const char * const urls[] = {
    "postgresql://alice:" PASSWORD "@127.0.0.1:notaport/instasync",
    "postgresql://alice:" PASSWORD "@127.0.0.1:1/instasync?connect_timeout=2",
    "postgresql://alice:" PASSWORD "@127.0.0.1/instasync?nonsense=1",
    "host=127.0.0.1 port=1 password=" PASSWORD " connect_timeout=2",
    "host=127.0.0.1 password='" PASSWORD,
    "postgresql://alice:" PASSWORD "@[::1/instasync",
  };
  const char *ctl = g_getenv ("INSTASYNC_CTL");

  g_assert_nonnull (ctl);
  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) env = g_get_environ ();
      const char *argv[] = { ctl, "account", "list", NULL };
      int status = 0;

      env = g_environ_setenv (env, "INSTASYNC_DATABASE_URL", urls[i], TRUE);
      g_spawn_sync (NULL, (char **)argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                    &status, &error);
      g_assert_no_error (error);
      g_test_message ("%s → %s", urls[i], err);
      g_assert_false (g_spawn_check_wait_status (status, NULL));
      g_assert_cmpstr (err, !=, "");
      g_assert_null (strstr (err, PASSWORD));
      g_assert_null (strstr (out, PASSWORD));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/redact/structural-forms", test_structural_forms);
  g_test_add_func ("/redact/structure-keeps-the-rest", test_structure_keeps_the_rest);
  g_test_add_func ("/redact/registered-values", test_registered_values);
  g_test_add_func ("/redact/short-secret", test_short_secret);
  g_test_add_func ("/redact/conninfo-password", test_conninfo_password);
  g_test_add_func ("/redact/error-paths", test_error_paths);
  g_test_add_func ("/redact/installed-outputs", test_installed_outputs);
  g_test_add_func ("/redact/database-url-errors", test_database_url_errors);

  return g_test_run ();
}
