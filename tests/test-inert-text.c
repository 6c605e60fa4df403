/* test-inert-text.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Text from outside made inert: what a hostile server, user or database
 * could send to a terminal, and what survives of it.
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libpq-fe.h>
#include <libsoup/soup.h>
#include <string.h>

#include "graph-sim.h"
#include "instasync-error.h"
#include "instasync-inert-text.h"
#include "instasync-store.h"
#include "instasync-test-cli.h"
#include "instasync-test-pg.h"

/* No byte or character a terminal could act on: ESC, BEL, the other C0
 * controls but line feeds (when kept), DEL, C1, bidi controls. */
static void
assert_inert (const char *text,
              gboolean    newlines_allowed)
{
  g_assert_true (g_utf8_validate (text, -1, NULL));

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (newlines_allowed && (c == '\n' || c == '\t'))
        continue;
      g_assert_false (c < 0x20 || c == 0x7F);
      g_assert_false (c >= 0x80 && c <= 0x9F);
      g_assert_false (c >= 0x202A && c <= 0x202E);
      g_assert_false (c >= 0x2066 && c <= 0x2069);
      g_assert_false (c == 0x200E || c == 0x200F || c == 0x061C);
      g_assert_false (c == 0x2028 || c == 0x2029);
    }
}

typedef struct
{
  const char *input;
  const char *expected;
} Case;

static void
test_escapes (void)
{
  /* Every expected text was written by hand. */
  static const Case cases[] = {
    /* OSC: sets the terminal's title, ended by BEL. */
    { "\x1b]0;title\x07", "\xef\xbf\xbd]0;title\xef\xbf\xbd" },
    /* CSI: clears the screen. */
    { "a\x1b[2Jb", "a\xef\xbf\xbd[2Jb" },
    /* The eight-bit CSI, U+009B, which some terminals obey. */
    { "x\xc2\x9b" "31my", "x\xef\xbf\xbd" "31my" },
    /* DEL and a carriage return that would rewrite the line. */
    { "ok\x7f\rFAKE", "ok\xef\xbf\xbd FAKE" },
    /* Right-to-left override, isolates, marks: text that reads other
     * than it is. */
    { "user\xe2\x80\xae" "gpj.exe", "user\xef\xbf\xbd" "gpj.exe" },
    { "\xe2\x81\xa6" "a\xe2\x81\xa9", "\xef\xbf\xbd" "a\xef\xbf\xbd" },
    { "\xe2\x80\x8f" "b\xe2\x80\xaa", "\xef\xbf\xbd" "b\xef\xbf\xbd" },
    /* Line and paragraph separators. */
    { "1\xe2\x80\xa8" "2\xe2\x80\xa9" "3", "1\xef\xbf\xbd" "2\xef\xbf\xbd" "3" },
    /* Line feeds and tabs: spaces, unless asked for. */
    { "line 1\nline 2\tend", "line 1 line 2 end" },
    /* What people write stays: accents, other scripts, emoji with their
     * joiner. */
    { "Café Zürich — 東京", "Café Zürich — 東京" },
    { "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x8d\xb3", "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x8d\xb3" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *inert = instasync_text_make_inert (cases[i].input, INSTASYNC_INERT_NO_LIMIT);

      g_assert_cmpstr (inert, ==, cases[i].expected);
      assert_inert (inert, FALSE);
    }

  {
    g_autofree char *null = instasync_text_make_inert (NULL, 10);

    g_assert_cmpstr (null, ==, "");
  }
}

static void
test_keep_newlines (void)
{
  g_autofree char *kept = instasync_text_make_inert_full ("a\nb\tc\r\nd\x1b[1A", -1,
                                                          INSTASYNC_INERT_NO_LIMIT,
                                                          INSTASYNC_INERT_KEEP_NEWLINES);

  g_assert_cmpstr (kept, ==, "a\nb\tc \nd\xef\xbf\xbd[1A");
  assert_inert (kept, TRUE);
}

static void
test_invalid_utf8 (void)
{
  static const Case cases[] = {
    { "a\xff" "b", "a\xef\xbf\xbd" "b" },
    /* A lone surrogate, as a JSON parser makes of "\ud800". */
    { "a\xed\xa0\x80" "b", "a\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "b" },
    /* Half a character at the end. */
    { "ok\xe2\x82", "ok\xef\xbf\xbd\xef\xbf\xbd" },
    /* Overlong slash. */
    { "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *inert = instasync_text_make_inert (cases[i].input, INSTASYNC_INERT_NO_LIMIT);

      g_assert_cmpstr (inert, ==, cases[i].expected);
      assert_inert (inert, FALSE);
    }
}

/* With a length, a NUL within is one more invalid byte: nothing after it
 * is lost, and the result holds none. */
static void
test_nul (void)
{
  static const char with_nul[] = "before\0after";
  g_autofree char *inert = instasync_text_make_inert_full (with_nul, sizeof with_nul - 1,
                                                           INSTASYNC_INERT_NO_LIMIT,
                                                           INSTASYNC_INERT_FLAGS_NONE);

  g_assert_cmpstr (inert, ==, "before\xef\xbf\xbd" "after");
  g_assert_null (memchr (inert, '\0', strlen (inert)));
}

static void
test_cap (void)
{
  g_autoptr(GString) huge = g_string_new (NULL);
  g_autofree char *capped = NULL;
  g_autofree char *exact = instasync_text_make_inert ("abcde", 5);
  g_autofree char *cut = instasync_text_make_inert ("abcdef", 5);
  g_autofree char *wide = instasync_text_make_inert ("äöüßé€", 4);
  g_autofree char *none = instasync_text_make_inert ("abc", 0);
  g_autofree char *one = instasync_text_make_inert ("abc", 1);

  g_assert_cmpstr (exact, ==, "abcde");
  g_assert_cmpstr (cut, ==, "abcd…");
  /* Whole characters only, the ellipsis counted among them. */
  g_assert_cmpstr (wide, ==, "äöü…");
  g_assert_cmpstr (none, ==, "");
  g_assert_cmpstr (one, ==, "…");

  /* 100 KB of three-byte characters and escapes: 2000 characters out. */
  for (guint i = 0; i < 10000; i++)
    g_string_append (huge, "€\x1b[2J");
  capped = instasync_text_make_inert (huge->str, INSTASYNC_STORED_TEXT_MAX_CHARS);
  g_assert_cmpuint (g_utf8_strlen (capped, -1), ==, INSTASYNC_STORED_TEXT_MAX_CHARS);
  g_assert_true (g_str_has_suffix (capped, "…"));
  assert_inert (capped, FALSE);

  /* Invalid bytes near the cap count one character each. */
  {
    g_autofree char *bytes = g_strnfill (50, '\xff');
    g_autofree char *short_cut = instasync_text_make_inert (bytes, 10);

    g_assert_cmpuint (g_utf8_strlen (short_cut, -1), ==, 10);
    g_assert_true (g_str_has_prefix (short_cut, "\xef\xbf\xbd"));
    g_assert_true (g_str_has_suffix (short_cut, "…"));
  }
}

/* The quotes in error messages are made by the same sanitizer. */
static void
test_quote_untrusted (void)
{
  g_autofree char *quoted = instasync_quote_untrusted ("\x1b]0;x\x07\xe2\x80\xae" "abc");
  g_autofree char *long_quote = instasync_quote_untrusted ("0123456789012345678901234567890123456789xyz");

  g_assert_cmpstr (quoted, ==, "\xef\xbf\xbd]0;x\xef\xbf\xbd\xef\xbf\xbd" "abc");
  g_assert_cmpuint (g_utf8_strlen (long_quote, -1), ==, 40);
  g_assert_true (g_str_has_suffix (long_quote, "…"));
}

/* JSON keeps every character, escaped where a terminal would act on it,
 * and stays valid. */
static void
test_json (void)
{
  static const char hostile[] = "a\x1b[2J\x7f\xc2\x9b\xe2\x80\xae\xf3\xa0\x80\x81z";
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *generated = NULL;
  g_autofree char *inert = NULL;
  JsonObject *object;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, hostile);
  json_builder_set_member_name (builder, "plain");
  json_builder_add_string_value (builder, "Café \"quoted\" \\ 東京");
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  generated = json_generator_to_data (generator, NULL);

  inert = instasync_json_text_make_inert (generated);
  assert_inert (inert, TRUE);
  g_assert_nonnull (strstr (inert, "\\u009b\\u202e\\udb40\\udc01z"));

  g_assert_true (json_parser_load_from_data (parser, inert, -1, &error));
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, hostile);
  g_assert_cmpstr (json_object_get_string_member (object, "plain"), ==, "Café \"quoted\" \\ 東京");

  /* Nothing to escape: the very same text. */
  {
    g_autofree char *same = instasync_json_text_make_inert ("{\n  \"a\" : \"Zürich\\n\"\n}");

    g_assert_cmpstr (same, ==, "{\n  \"a\" : \"Zürich\\n\"\n}");
  }
}

/* Storage: what the database keeps of outside text */

#define IG_STORED "17841400000000081"
#define TOKEN_KEY "test-token-key-inert-0123456789ab"

/* About 100 KB of what a hostile API could answer: a character of three
 * bytes, an escape sequence, a byte that is no UTF-8, the eight-bit CSI. */
static char *
hostile_message (void)
{
  GString *text = g_string_new ("(#100) ");

  while (text->len < 100 * 1000)
    g_string_append (text, "€\x1b[2J\xff\xc2\x9b");
  return g_string_free (text, FALSE);
}

/* Capped at a character, marked, valid, inert but for its lines. */
static void
assert_stored_capped (const char *what,
                      const char *stored)
{
  g_test_message ("%s: %zu bytes, %ld characters", what, strlen (stored),
                  g_utf8_strlen (stored, -1));
  g_assert_true (g_utf8_validate (stored, -1, NULL));
  g_assert_cmpint (g_utf8_strlen (stored, -1), ==, INSTASYNC_STORED_TEXT_MAX_CHARS);
  g_assert_true (g_str_has_prefix (stored, "(#100) €"));
  g_assert_true (g_str_has_suffix (stored, "…"));
  assert_inert (stored, TRUE);
}

static char *
query_text (PGconn     *conn,
            const char *sql)
{
  PGresult *result = PQexec (conn, sql);
  char *text;

  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  g_assert_cmpint (PQntuples (result), ==, 1);
  g_assert_false (PQgetisnull (result, 0, 0));
  text = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
  return text;
}

static void
test_storage_cap (void)
{
  g_autoptr(InstaSyncTestPg) pg = instasync_test_pg_start_checked ();
  g_autoptr(InstaSyncStore) store = instasync_test_pg_connect_migrated (pg, NULL);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) errors = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = hostile_message ();
  g_autofree char *errors_json = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *error_message = NULL;
  g_autofree char *metric = NULL;
  InstaSyncSyncLogEntry entry = { 0, };
  PGconn *conn;

  g_assert_nonnull (store);
  conn = instasync_store_get_connection (store);

  g_assert_true (instasync_store_add_account (store, IG_STORED, "hostile", "EAAtoken", TOKEN_KEY,
                                              &error));
  g_assert_no_error (error);

  /* Why the account needs attention, quoting the API. */
  g_assert_true (instasync_store_set_account_status_reason (store, IG_STORED, "needs_reconnect",
                                                            message, &error));
  g_assert_no_error (error);

  /* A sync log: its summary, and the message in its errors. */
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "metric");
  json_builder_add_string_value (builder, "reach");
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  errors = json_builder_get_root (builder);
  json_generator_set_root (generator, errors);
  errors_json = json_generator_to_data (generator, NULL);

  entry.ig_user_id = (char *)IG_STORED;
  entry.status = (char *)"failed";
  entry.started_at = g_get_real_time () - G_USEC_PER_SEC;
  entry.finished_at = g_get_real_time ();
  entry.window_since = (char *)"2026-01-01";
  entry.window_until = (char *)"2026-01-07";
  entry.errors_json = errors_json;
  entry.summary = message;
  g_assert_true (instasync_store_record_sync_log (store, &entry, &error));
  g_assert_no_error (error);
  g_assert_true (instasync_store_amend_sync_log_summary (store, IG_STORED, entry.started_at,
                                                         message, &error));
  g_assert_no_error (error);

  reason = query_text (conn, "SELECT status_reason FROM instagram_accounts "
                             "WHERE ig_user_id = '" IG_STORED "'");
  summary = query_text (conn, "SELECT summary FROM instagram_sync_logs "
                              "WHERE ig_user_id = '" IG_STORED "'");
  error_message = query_text (conn, "SELECT errors -> 0 ->> 'message' FROM instagram_sync_logs "
                                    "WHERE ig_user_id = '" IG_STORED "'");
  metric = query_text (conn, "SELECT errors -> 0 ->> 'metric' FROM instagram_sync_logs "
                             "WHERE ig_user_id = '" IG_STORED "'");

  assert_stored_capped ("status_reason", reason);
  assert_stored_capped ("summary", summary);
  assert_stored_capped ("errors[0].message", error_message);
  /* The rest of the document as it was. */
  g_assert_cmpstr (metric, ==, "reach");
}

/* End to end: what a hostile API says, through instasyncctl */

#define META_APP_ID "100000000000001"
#define IG_HOSTILE  "17841400000000071"

/* A username that clears the screen, a hyperlink elsewhere (OSC 8), a
 * write to the clipboard (OSC 52), the eight-bit CSI and a right-to-left
 * override; as JSON escapes, so that the simulator serves them as they
 * are. */
#define HOSTILE_JSON \
  "\\u001b[2J\\u001b]8;;https://evil.example/\\u0007click\\u001b]8;;\\u0007" \
  "\\u001b]52;c;ZXZpbA==\\u0007\\u009b31m\\u202egnp.exe\\r\\u0085"

static const char hostile_scenario[] =
  "{\"app\": {\"id\": \"" META_APP_ID "\", \"secret\": \"sim-app-secret\"},"
  " \"users\": [{\"id\": \"10000000000071\", \"name\": \"Mallory\", \"token\": \"scenario-token-m\","
  "   \"pages\": [{\"id\": \"200000000000971\", \"name\": \"Page " HOSTILE_JSON "\","
  "                \"instagram_business_account\": \"" IG_HOSTILE "\"},"
  "               {\"id\": \"200000000000972\", \"name\": \"Other " HOSTILE_JSON "\"}]},"
  "  {\"id\": \"10000000000072\", \"name\": \"Typist\", \"token\": \"scenario-token-t\","
  "   \"pages\": [{\"id\": \"200000000000973\", \"name\": \"Typed\","
  "                \"instagram_business_account\": \"17841400000000072\"}]}],"
  " \"accounts\": [{\"id\": \"" IG_HOSTILE "\", \"username\": \"user" HOSTILE_JSON "\","
  "                \"followers_count\": 5000},"
  "              {\"id\": \"17841400000000072\", \"username\": \"typed\"}],"
  " \"faults\": [{\"kind\": \"graph_error\", \"account\": \"" IG_HOSTILE "\", \"metric\": \"reach\","
  "   \"code\": 100, \"subcode\": 0, \"http_status\": 400, \"every\": 1,"
  "   \"message\": \"(#100) " HOSTILE_JSON "\"}]}";

typedef struct
{
  InstaSyncTestPg *pg;
  GraphSim        *sim;
  char            *sim_url;
  char            *data_dir;
  GPtrArray       *env;
} Cli;

static void
cli_set_up (Cli           *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->pg = instasync_test_pg_start_checked ();
  f->sim = graph_sim_new ();
  g_assert_true (graph_sim_load_scenario_data (f->sim, hostile_scenario, -1, &error));
  g_assert_no_error (error);
  g_assert_true (graph_sim_start (f->sim, 0, &error));
  g_assert_no_error (error);
  f->sim_url = graph_sim_get_base_url (f->sim);
  f->data_dir = instasync_test_pg_make_tmp_dir (&error);
  g_assert_no_error (error);

  f->env = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (f->env, g_strdup_printf ("INSTASYNC_DATABASE_URL=%s",
                                            instasync_test_pg_get_conninfo (f->pg)));
  g_ptr_array_add (f->env, g_strdup_printf ("INSTASYNC_GRAPH_URL=%s", f->sim_url));
  g_ptr_array_add (f->env, g_strdup ("INSTASYNC_TOKEN_KEY=" TOKEN_KEY));
  g_ptr_array_add (f->env, g_strdup ("INSTASYNC_APP_ID=" META_APP_ID));
  g_ptr_array_add (f->env, g_strdup ("INSTASYNC_RETRY_DELAY_MS=5"));
  g_ptr_array_add (f->env, g_strdup_printf ("INSTASYNC_DATA_DIR=%s", f->data_dir));
  g_ptr_array_add (f->env, g_strdup_printf ("INSTASYNC_SECRETS_FILE=%s/none.ini", f->data_dir));
  g_ptr_array_add (f->env, NULL);
}

static void
cli_tear_down (Cli           *f,
               gconstpointer  data)
{
  g_clear_object (&f->sim);
  g_clear_pointer (&f->pg, instasync_test_pg_free);
  g_clear_pointer (&f->env, g_ptr_array_unref);
  g_clear_pointer (&f->sim_url, g_free);
  if (f->data_dir != NULL)
    instasync_test_pg_remove_tree (f->data_dir);
  g_clear_pointer (&f->data_dir, g_free);
}

/* What a terminal would act on, byte by byte: ESC, BEL, the other C0
 * controls but line feeds and tabs, DEL, C1 in UTF-8, the bidi controls;
 * and no invalid UTF-8 either. */
static void
assert_printable (const char *what,
                  const char *text)
{
  if (!g_utf8_validate (text, -1, NULL))
    g_error ("%s: not valid UTF-8", what);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7F && c <= 0x9F) ||
          (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069))
        g_error ("%s: U+%04X at byte %td of:\n%s", what, c, p - text, text);
    }
}

static void
ctl (Cli                *f,
     const char         *input,
     const char * const *args,
     int                 expected_status)
{
  CtlRun run = { 0, };
  g_autofree char *what = g_strjoinv (" ", (char **)args);

  /* Output that is not valid UTF-8 fails in there already. */
  instasync_test_ctl_run (&run, (const char * const *)f->env->pdata, input, args);
  g_assert_cmpint (run.status, ==, expected_status);
  assert_printable (what, run.out);
  assert_printable (what, run.err);
  g_assert_null (strchr (run.out, '\x1b'));
  g_assert_null (strchr (run.err, '\x1b'));
  instasync_test_ctl_clear (&run);
}

static char *
read_rest (GInputStream *stream)
{
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_output_stream_splice (memory, stream, G_OUTPUT_STREAM_SPLICE_NONE, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (memory, "", 1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (memory, NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (memory));
}

/* The browser's part of a login: the simulator's dialog, approved, ends
 * on the redirect, whose address is what a person pastes. */
static char *
approve (const char *dialog_url)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *clicked = g_strconcat (dialog_url, "&sim_outcome=approve", NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", clicked);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (message);
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  body = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 302);
  return g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                 "Location"));
}

/* "instasyncctl account connect", the dialog approved: the accounts and
 * Pages it prints are the simulator's. */
static void
connect_accounts (Cli *f)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) err_lines = NULL;
  g_autoptr(GString) err = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dialog_url = NULL;
  g_autofree char *redirect = NULL;
  g_autofree char *out = NULL;
  g_autofree char *rest = NULL;
  const char * const keep[] = { "PATH", "HOME", "ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS",
                                "INSTASYNC_PG_BINDIR", "TZDIR", NULL };
  const char * const argv[] = { g_getenv ("INSTASYNC_CTL"), "account", "connect", NULL };
  GOutputStream *input;

  g_assert_nonnull (argv[0]);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_environ (launcher, NULL);
  for (guint i = 0; keep[i] != NULL; i++)
    if (g_getenv (keep[i]) != NULL)
      g_subprocess_launcher_setenv (launcher, keep[i], g_getenv (keep[i]), TRUE);
  for (guint i = 0; g_ptr_array_index (f->env, i) != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (g_ptr_array_index (f->env, i), "=", 2);

      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);

  err_lines = g_data_input_stream_new (g_subprocess_get_stderr_pipe (process));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (err_lines, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      g_string_append_printf (err, "%s\n", line);
      if (g_str_has_prefix (line, "  http"))
        {
          dialog_url = g_strdup (line + 2);
          break;
        }
    }

  redirect = approve (dialog_url);
  input = g_subprocess_get_stdin_pipe (process);
  g_output_stream_write_all (input, redirect, strlen (redirect), NULL, NULL, &error);
  g_output_stream_write_all (input, "\n", 1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (input, NULL, NULL);

  out = read_rest (g_subprocess_get_stdout_pipe (process));
  rest = read_rest (G_INPUT_STREAM (err_lines));
  g_string_append (err, rest);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("account connect → %d\n%s%s", g_subprocess_get_exit_status (process), out,
                  err->str);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  /* The account is there, under what is left of its name. */
  g_assert_nonnull (strstr (out, IG_HOSTILE));
  g_assert_nonnull (strstr (out, "user\xef\xbf\xbd[2J"));
  assert_printable ("account connect", out);
  assert_printable ("account connect", err->str);
}

static void
test_cli_hostile_names (Cli           *f,
                        gconstpointer  data)
{
  const char *list[] = { "account", "list", NULL };
  const char *list_json[] = { "account", "list", "--json", NULL };
  const char *status[] = { "status", NULL };
  const char *status_json[] = { "status", "--json", NULL };
  const char *sync[] = { "sync", NULL };
  const char *sync_json[] = { "sync", "--json", NULL };
  const char *add[] = { "account", "add", "--ig-user-id", "17841400000000072",
                        "--username", "typed\x1b]0;owned\x07\xc2\x9b" "2J", "--token-stdin", NULL };
  const char *unknown[] = { "account", "list", "\x1b[2Junexpected", NULL };
  const char *bad_command[] = { "\x1b]52;c;ZXZpbA==\x07", NULL };

  connect_accounts (f);
  instasync_test_pg_assume_default_days (instasync_test_pg_get_conninfo (f->pg), f->sim_url);

  /* What a user types is outside text too. */
  /* (A token that reaches the account: anything else is refused.) */
  ctl (f, "scenario-token-t\n", add, 0);
  ctl (f, NULL, unknown, 2);
  ctl (f, NULL, bad_command, 2);

  ctl (f, NULL, list, 0);
  ctl (f, NULL, status, 0);

  /* Whatever else wrote the database: a row is only text. */
  {
    PGconn *conn = PQconnectdb (instasync_test_pg_get_conninfo (f->pg));
    PGresult *result;

    g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
    result = PQexec (conn, "UPDATE instagram_accounts SET username = "
                           "  E'raw\\x1b[2J\\x1b]0;title\\x07' || chr (155) || chr (8238), "
                           "  status_reason = E'reason\\x1b[31m' WHERE ig_user_id = '" IG_HOSTILE "'");
    g_assert_cmpint (PQresultStatus (result), ==, PGRES_COMMAND_OK);
    g_assert_cmpstr (PQcmdTuples (result), ==, "1");
    PQclear (result);
    PQfinish (conn);
  }
  ctl (f, NULL, list, 0);
  ctl (f, NULL, status, 0);

  /* The API's error message, with the username, in the sync's details. */
  ctl (f, NULL, sync, 1);
  ctl (f, NULL, status, 0);

  /* JSON says it all, escaped, and stays valid. */
  {
    CtlRun run = { 0, };
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) error = NULL;
    JsonArray *accounts;
    gboolean found = FALSE;

    instasync_test_ctl_run (&run, (const char * const *)f->env->pdata, NULL, list_json);
    g_assert_cmpint (run.status, ==, 0);
    assert_printable ("account list --json", run.out);
    g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
    g_assert_no_error (error);
    accounts = json_node_get_array (json_parser_get_root (parser));
    for (guint i = 0; i < json_array_get_length (accounts); i++)
      {
        JsonObject *account = json_array_get_object_element (accounts, i);

        if (g_str_equal (json_object_get_string_member (account, "ig_user_id"), IG_HOSTILE))
          {
            /* Exactly what the database holds. */
            g_assert_cmpstr (json_object_get_string_member (account, "username"), ==,
                             "raw\x1b[2J\x1b]0;title\x07\xc2\x9b\xe2\x80\xae");
            found = TRUE;
          }
      }
    g_assert_true (found);
    instasync_test_ctl_clear (&run);
  }
  ctl (f, NULL, status_json, 0);
  ctl (f, NULL, sync_json, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/inert-text/escapes", test_escapes);
  g_test_add_func ("/inert-text/keep-newlines", test_keep_newlines);
  g_test_add_func ("/inert-text/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/inert-text/nul", test_nul);
  g_test_add_func ("/inert-text/cap", test_cap);
  g_test_add_func ("/inert-text/quote-untrusted", test_quote_untrusted);
  g_test_add_func ("/inert-text/json", test_json);
  g_test_add_func ("/inert-text/storage-cap", test_storage_cap);
  g_test_add ("/inert-text/cli-hostile-names", Cli, NULL, cli_set_up, test_cli_hostile_names,
              cli_tear_down);

  return g_test_run ();
}
