/* test-e2e-connect.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "instasyncctl account connect" as a person runs it: the command prints
 * the dialog's address, the browser (here: an HTTP request to the
 * simulator's login dialog) ends on the redirect, whose address is pasted
 * back; the accounts land in a real PostgreSQL.
 *
 * After each test every token and code the simulator handed out, the App
 * Secret, the proofs made with it and the token key are searched for, in
 * plain text and in hex, in everything instasyncctl printed (with debug
 * messages on in the flows that succeed) and in a dump of every table.
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libpq-fe.h>
#include <libsoup/soup.h>
#include <string.h>

#include "graph-sim.h"
#include "instasync-graph-client.h"
#include "instasync-test-cli.h"
#include "instasync-store.h"
#include "instasync-test-pg.h"

#define META_APP_ID     "100000000000001"
#define APP_SECRET "sim-app-secret"
#define TOKEN_KEY  "test-token-key-connect-0123456789"
#define IG_BAKERY  "17841400000000901"
#define IG_STUDIO  "17841400000000902"

static const char scenario[] =
  "{\"app\": {\"id\": \"" META_APP_ID "\", \"secret\": \"" APP_SECRET "\"},"
  " \"users\": [{\"id\": \"10000000000001\", \"name\": \"Ada\", \"token\": \"scenario-token-ada\","
  "   \"pages\": [{\"id\": \"200000000000901\", \"name\": \"Bakery\", \"instagram_business_account\": \"" IG_BAKERY "\"},"
  "             {\"id\": \"200000000000902\", \"name\": \"Studio\", \"instagram_business_account\": \"" IG_STUDIO "\"},"
  "             {\"id\": \"200000000000903\", \"name\": \"No Instagram\"}]}],"
  " \"accounts\": [{\"id\": \"" IG_BAKERY "\", \"username\": \"ada.bakery\", \"followers_count\": 5000},"
  "              {\"id\": \"" IG_STUDIO "\", \"username\": \"ada.studio\", \"followers_count\": 5000}]}";

typedef struct
{
  InstaSyncTestPg *pg;
  GraphSim        *sim;
  char            *sim_url;
  char            *data_dir;
  GPtrArray       *env;
  SoupSession     *session;
  GString         *everything_printed;
  GPtrArray       *secrets;       /* the tokens and codes the browser saw */
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
  char *dialog_url;               /* the address the command printed, or NULL */
} ConnectRun;

/* What the "person" pastes for the dialog address; NULL closes stdin. */
typedef char *(*RespondFunc) (Fixture    *f,
                              const char *dialog_url);

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->pg = instasync_test_pg_start_checked ();
  f->sim = graph_sim_new ();
  g_assert_true (graph_sim_load_scenario_data (f->sim, scenario, -1, &error));
  g_assert_no_error (error);
  g_assert_true (graph_sim_start (f->sim, 0, &error));
  g_assert_no_error (error);
  f->sim_url = graph_sim_get_base_url (f->sim);
  f->data_dir = g_dir_make_tmp ("instasync-connect-XXXXXX", &error);
  g_assert_no_error (error);
  f->session = soup_session_new ();
  f->everything_printed = g_string_new (NULL);
  f->secrets = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (f->secrets, g_strdup ("scenario-token-ada"));

  f->env = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (f->env, g_strdup_printf ("INSTASYNC_DATABASE_URL=%s", instasync_test_pg_get_conninfo (f->pg)));
  g_ptr_array_add (f->env, g_strdup_printf ("INSTASYNC_GRAPH_URL=%s", f->sim_url));
  g_ptr_array_add (f->env, g_strdup ("INSTASYNC_TOKEN_KEY=" TOKEN_KEY));
  g_ptr_array_add (f->env, g_strdup ("INSTASYNC_APP_ID=" META_APP_ID));
  g_ptr_array_add (f->env, g_strdup ("INSTASYNC_RETRY_DELAY_MS=5"));
  g_ptr_array_add (f->env, g_strdup_printf ("INSTASYNC_DATA_DIR=%s", f->data_dir));
  g_ptr_array_add (f->env, g_strdup_printf ("INSTASYNC_SECRETS_FILE=%s/none.ini", f->data_dir));
  g_ptr_array_add (f->env, NULL);
}

/* Adds or replaces NAME=VALUE in the environment of every later run. */
static void
fixture_set_env (Fixture    *f,
                 const char *assignment)
{
  g_autofree char *prefix = g_strndup (assignment, strcspn (assignment, "=") + 1);

  for (guint i = 0; g_ptr_array_index (f->env, i) != NULL; i++)
    if (g_str_has_prefix (g_ptr_array_index (f->env, i), prefix))
      g_ptr_array_remove_index (f->env, i--);
  g_ptr_array_insert (f->env, f->env->len - 1, g_strdup (assignment));
}

static void
assert_no_secret_in (const char         *haystack,
                     const char         *where,
                     const char * const *secrets)
{
  for (guint i = 0; secrets[i] != NULL; i++)
    {
      g_autofree char *proof = instasync_graph_appsecret_proof (APP_SECRET, secrets[i]);

      instasync_test_assert_secret_absent (haystack, where, secrets[i], "a token, code or key");
      instasync_test_assert_secret_absent (haystack, where, proof, "an appsecret_proof");
    }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(GStrv) tokens = graph_sim_dup_issued_tokens (f->sim);
  g_auto(GStrv) codes = graph_sim_dup_issued_codes (f->sim);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) secrets = NULL;
  g_autofree char *dump = instasync_test_pg_dump_all (instasync_test_pg_get_conninfo (f->pg));

  /* What the browser saw is among what the simulator says it issued. */
  for (guint i = 0; i < f->secrets->len; i++)
    {
      const char *secret = g_ptr_array_index (f->secrets, i);

      g_assert_true (g_strv_contains ((const char * const *)tokens, secret) ||
                     g_strv_contains ((const char * const *)codes, secret) ||
                     g_str_equal (secret, "scenario-token-ada"));
    }

  /* No token, code or secret in anything InstaSync printed or stored. */
  g_strv_builder_addv (builder, (const char **)tokens);
  g_strv_builder_addv (builder, (const char **)codes);
  g_strv_builder_add (builder, "scenario-token-ada");
  g_strv_builder_add (builder, APP_SECRET);
  g_strv_builder_add (builder, TOKEN_KEY);
  secrets = g_strv_builder_end (builder);
  assert_no_secret_in (f->everything_printed->str, "what instasyncctl printed",
                       (const char * const *)secrets);
  assert_no_secret_in (dump, "the database", (const char * const *)secrets);

  g_ptr_array_unref (f->secrets);
  g_string_free (f->everything_printed, TRUE);
  g_clear_object (&f->session);
  g_clear_object (&f->sim);
  g_clear_pointer (&f->pg, instasync_test_pg_free);
  g_clear_pointer (&f->env, g_ptr_array_unref);
  g_clear_pointer (&f->sim_url, g_free);
  if (f->data_dir != NULL)
    instasync_test_pg_remove_tree (f->data_dir);
  g_clear_pointer (&f->data_dir, g_free);
}

static void
connect_run_clear (ConnectRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
  g_clear_pointer (&run->dialog_url, g_free);
}

static char *
read_rest (GInputStream *stream)
{
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_output_stream_splice (memory, stream, G_OUTPUT_STREAM_SPLICE_NONE, NULL, &error);
  g_assert_no_error (error);
  /* The terminating NUL, then the stream can be closed. */
  g_output_stream_write_all (memory, "", 1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (memory, NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (memory));
}

/* Runs "instasyncctl account connect @args" with @extra_env on top of the
 * fixture's environment, answering the prompt through @respond. */
static void
run_connect (Fixture            *f,
             const char * const *extra_env,
             const char * const *args,
             RespondFunc         respond,
             ConnectRun         *run)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GDataInputStream) err_lines = NULL;
  g_autoptr(GString) err = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *rest = NULL;
  const char *ctl = g_getenv ("INSTASYNC_CTL");
  const char * const keep[] = { "PATH", "HOME", "ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS",
                                "INSTASYNC_PG_BINDIR", "TZDIR", NULL };
  GOutputStream *input;

  g_assert_nonnull (ctl);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
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
  for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (extra_env[i], "=", 2);

      if (pair[1] == NULL)
        g_subprocess_launcher_unsetenv (launcher, pair[0]);
      else
        g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }

  g_ptr_array_add (argv, (char *)ctl);
  g_ptr_array_add (argv, (char *)"account");
  g_ptr_array_add (argv, (char *)"connect");
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *)args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);

  /* The prompt: read until the dialog's address, or until the command
   * gives up before printing one. */
  err_lines = g_data_input_stream_new (g_subprocess_get_stderr_pipe (process));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (err_lines, NULL, NULL, &error);

      g_assert_no_error (error);
      if (line == NULL)
        break;
      g_string_append_printf (err, "%s\n", line);
      if (g_str_has_prefix (line, "  http"))
        {
          run->dialog_url = g_strdup (line + 2);
          break;
        }
    }

  input = g_subprocess_get_stdin_pipe (process);
  answer = run->dialog_url != NULL ? respond (f, run->dialog_url) : NULL;
  if (answer != NULL)
    {
      g_autofree char *with_newline = g_strconcat (answer, "\n", NULL);

      /* The command may have given up already: a broken pipe is fine. */
      g_output_stream_write_all (input, with_newline, strlen (with_newline), NULL, NULL, NULL);
    }
  g_output_stream_close (input, NULL, NULL);

  run->out = read_rest (g_subprocess_get_stdout_pipe (process));
  rest = read_rest (G_INPUT_STREAM (err_lines));
  g_string_append (err, rest);
  run->err = g_strdup (err->str);

  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);

  g_test_message ("account connect → %d\n%s%s", run->status, run->out, run->err);
  g_string_append (f->everything_printed, run->out);
  g_string_append (f->everything_printed, run->err);
}

static void
remember_secrets (Fixture    *f,
                  const char *location)
{
  g_autoptr(GUri) uri = g_uri_parse (location, G_URI_FLAGS_ENCODED, NULL);
  const char *parts[2];

  g_assert_nonnull (uri);
  parts[0] = g_uri_get_query (uri);
  parts[1] = g_uri_get_fragment (uri);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      g_autoptr(GHashTable) params = NULL;

      if (parts[i] == NULL)
        continue;
      params = g_uri_parse_params (parts[i], -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
      g_assert_nonnull (params);
      for (const char * const *name = (const char * const[]) { "access_token", "long_lived_token", "code", NULL };
           *name != NULL; name++)
        if (g_hash_table_lookup (params, *name) != NULL)
          g_ptr_array_add (f->secrets, g_strdup (g_hash_table_lookup (params, *name)));
    }
}

/* The browser's part: opens @url and stops at the redirect. */
static char *
browse (Fixture    *f,
        const char *url)
{
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *location;

  g_assert_nonnull (message);
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  body = soup_session_send_and_read (f->session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 302);
  location = soup_message_headers_get_one (soup_message_get_response_headers (message), "Location");
  g_assert_nonnull (location);
  remember_secrets (f, location);
  return g_strdup (location);
}

static char *
approve (Fixture    *f,
         const char *dialog_url)
{
  g_autofree char *clicked = g_strconcat (dialog_url, "&sim_outcome=approve", NULL);

  g_assert_true (g_str_has_prefix (dialog_url, f->sim_url));
  return browse (f, clicked);
}

static char *
deny (Fixture    *f,
      const char *dialog_url)
{
  g_autofree char *clicked = g_strconcat (dialog_url, "&sim_outcome=deny", NULL);

  return browse (f, clicked);
}

static char *
cancel (Fixture    *f,
        const char *dialog_url)
{
  g_autofree char *clicked = g_strconcat (dialog_url, "&sim_outcome=cancel", NULL);

  return browse (f, clicked);
}

/* Someone else's login: the dialog's answer carries a state that is not
 * the one this command sent. */
static char *
foreign_state (Fixture    *f,
               const char *dialog_url)
{
  g_autofree char *forged = g_strdup (dialog_url);
  char *state = strstr (forged, "&state=");

  g_assert_nonnull (state);
  state[strlen ("&state=")] = state[strlen ("&state=")] == 'A' ? 'B' : 'A';
  return approve (f, forged);
}

static char *
garbage (Fixture    *f,
         const char *dialog_url)
{
  return g_strdup ("nonsense-without-a-scheme");
}

static char *
nothing (Fixture    *f,
         const char *dialog_url)
{
  return NULL;
}

static char *
stored_token (Fixture    *f,
              const char *ig_user_id)
{
  g_autoptr(InstaSyncStore) store = NULL;
  g_autoptr(GError) error = NULL;
  char *token;

  store = instasync_store_connect (instasync_test_pg_get_conninfo (f->pg), &error);
  g_assert_no_error (error);
  token = instasync_store_get_token (store, ig_user_id, TOKEN_KEY, &error);
  g_assert_no_error (error);
  return token;
}

/* "unknown", "never" or the Unix seconds of a user_tokens timestamp. */
static char *
stored_expiry (Fixture    *f,
               const char *ig_user_id,
               const char *column)
{
  PGconn *conn = PQconnectdb (instasync_test_pg_get_conninfo (f->pg));
  const char *params[1] = { ig_user_id };
  g_autofree char *sql = g_strdup_printf ("SELECT CASE WHEN %s IS NULL THEN 'unknown' "
                                          "WHEN %s = 'infinity' THEN 'never' "
                                          "ELSE extract (epoch FROM %s)::bigint::text END "
                                          "FROM user_tokens WHERE ig_user_id = $1",
                                          column, column, column);
  PGresult *result;
  char *value;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  result = PQexecParams (conn, sql, 1, NULL, params, NULL, NULL, 0);
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  g_assert_cmpint (PQntuples (result), ==, 1);
  value = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
  PQfinish (conn);
  return value;
}

/* Runs instasyncctl with the fixture's environment; what it prints joins
 * everything_printed. */
static void
run_ctl (Fixture            *f,
         const char * const *args,
         CtlRun             *run)
{
  instasync_test_ctl_run (run, (const char * const *)f->env->pdata, NULL, args);
  g_test_message ("%s → %d\n%s%s", args[0], run->status, run->out, run->err);
  g_string_append (f->everything_printed, run->out);
  g_string_append (f->everything_printed, run->err);
}

/* The JSON document in @out. With G_MESSAGES_DEBUG, GLib prints debug
 * messages on standard output too; the document (pretty-printed) is what
 * starts a line with a bracket, up to the line that closes it. */
static JsonNode *
parse_json_output (const char *out)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  g_autoptr(GString) json = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      gboolean first = json->len == 0;

      if (first && line[0] != '{' && line[0] != '[')
        continue;
      g_string_append_printf (json, "%s\n", line);
      if ((!first && (line[0] == '}' || line[0] == ']')) ||
          (first && (g_str_has_suffix (line, "}") || g_str_has_suffix (line, "]"))))
        break;
    }

  json_parser_load_from_data (parser, json->str, -1, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

static JsonNode *
list_accounts (Fixture *f)
{
  const char *args[] = { "account", "list", "--json", NULL };
  CtlRun run = { 0, };
  JsonNode *root;

  run_ctl (f, args, &run);
  g_assert_cmpint (run.status, ==, 0);
  root = parse_json_output (run.out);
  instasync_test_ctl_clear (&run);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  return root;
}

/* What the person runs after connecting: a sync, then the status. */
static void
sync_and_status (Fixture    *f,
                 const char *ig_user_id)
{
  const char *sync_args[] = { "sync", "--account", ig_user_id, "--metrics", "reach", "--json",
                              NULL };
  const char *status_args[] = { "status", NULL };
  const char *status_json_args[] = { "status", "--json", NULL };
  CtlRun run = { 0, };

  run_ctl (f, sync_args, &run);
  g_assert_cmpint (run.status, ==, 0);
  instasync_test_ctl_clear (&run);
  run_ctl (f, status_args, &run);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, ig_user_id));
  instasync_test_ctl_clear (&run);
  run_ctl (f, status_json_args, &run);
  g_assert_cmpint (run.status, ==, 0);
  instasync_test_ctl_clear (&run);
}

static gint64
count_rows (Fixture    *f,
            const char *table)
{
  PGconn *conn = PQconnectdb (instasync_test_pg_get_conninfo (f->pg));
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM %s", table);
  PGresult *result;
  gint64 count;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  result = PQexec (conn, sql);
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  count = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  PQclear (result);
  PQfinish (conn);
  return count;
}

static JsonObject *
find_account (JsonNode   *list,
              const char *ig_user_id)
{
  JsonArray *array = json_node_get_array (list);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *account = json_array_get_object_element (array, i);

      if (g_str_equal (json_object_get_string_member (account, "ig_user_id"), ig_user_id))
        return account;
    }

  return NULL;
}

static void
test_token_flow (Fixture       *f,
                 gconstpointer  data)
{
  ConnectRun run = { 0, };
  g_autoptr(JsonNode) list = NULL;
  g_autofree char *bakery_token = NULL;
  g_autofree char *studio_token = NULL;
  g_autofree char *long_lived = NULL;
  g_autofree char *expires_at = NULL;
  g_autofree char *data_access = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  JsonObject *bakery;

  /* Debug messages on: they are searched for tokens too. */
  fixture_set_env (f, "G_MESSAGES_DEBUG=all");
  run_connect (f, NULL, NULL, approve, &run);

  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (run.dialog_url);
  g_assert_true (g_str_has_prefix (run.dialog_url, f->sim_url));
  g_assert_nonnull (strstr (run.dialog_url, "/dialog/oauth?client_id=" META_APP_ID "&"));
  g_assert_nonnull (strstr (run.dialog_url, "&response_type=token&"));
  g_assert_nonnull (strstr (run.err, "login_success.html"));
  g_assert_nonnull (strstr (run.out, "Connected ada.bakery (" IG_BAKERY ") through Page “Bakery”"));
  g_assert_nonnull (strstr (run.out, "Connected ada.studio (" IG_STUDIO ") through Page “Studio”"));
  g_assert_nonnull (strstr (run.out, "Skipped: Page “No Instagram” has no Instagram professional account linked"));
  /* The onboarding token is long-lived: no warning. */
  g_assert_null (strstr (run.err, "short-lived"));

  /* Both accounts hold the long-lived token of this login, encrypted: the
   * second token the dialog issued, after the short-lived one. */
  {
    g_auto(GStrv) issued = graph_sim_dup_issued_tokens (f->sim);

    g_assert_cmpuint (g_strv_length (issued), >=, 2);
    long_lived = g_strdup (issued[1]);
    g_assert_true (g_ptr_array_find_with_equal_func (f->secrets, long_lived, g_str_equal, NULL));
  }
  bakery_token = stored_token (f, IG_BAKERY);
  studio_token = stored_token (f, IG_STUDIO);
  g_assert_cmpstr (bakery_token, ==, long_lived);
  g_assert_cmpstr (studio_token, ==, long_lived);

  /* Without the secret the token's expiry is unknown; the dialog told
   * when data access ends (90 days). */
  expires_at = stored_expiry (f, IG_BAKERY, "expires_at");
  data_access = stored_expiry (f, IG_BAKERY, "data_access_expires_at");
  g_assert_cmpstr (expires_at, ==, "unknown");
  g_assert_cmpint (g_ascii_strtoll (data_access, NULL, 10), >=, now + 90 * 86400 - 60);
  g_assert_cmpint (g_ascii_strtoll (data_access, NULL, 10), <=, now + 90 * 86400 + 60);

  list = list_accounts (f);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 2);
  bakery = find_account (list, IG_BAKERY);
  g_assert_nonnull (bakery);
  g_assert_cmpstr (json_object_get_string_member (bakery, "username"), ==, "ada.bakery");
  g_assert_cmpstr (json_object_get_string_member (bakery, "status"), ==, "active");

  /* And the token syncs. */
  sync_and_status (f, IG_BAKERY);
  /* The debug messages were on: there was something to search. */
  g_assert_nonnull (strstr (f->everything_printed->str, "DEBUG"));

  connect_run_clear (&run);
}

static void
test_code_flow_json (Fixture       *f,
                     gconstpointer  data)
{
  const char *args[] = { "--code", "--json", NULL };
  ConnectRun run = { 0, };
  g_autoptr(JsonNode) output = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_auto(GStrv) issued = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *expires_at = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  JsonObject *root;
  JsonArray *accounts;
  JsonArray *skipped;
  JsonObject *first;

  /* The app requires appsecret_proof, which a configured secret provides;
   * the later sync needs the secret too. Debug messages on. */
  graph_sim_set_app_secret (f->sim, APP_SECRET);
  fixture_set_env (f, "INSTASYNC_APP_SECRET=" APP_SECRET);
  fixture_set_env (f, "G_MESSAGES_DEBUG=all");
  run_connect (f, NULL, args, approve, &run);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.dialog_url, "&response_type=code&"));
  g_assert_null (strstr (run.dialog_url, "extras="));

  /* The JSON, among the debug messages (which go to stdout as well). */
  output = parse_json_output (run.out);
  root = json_node_get_object (output);
  accounts = json_object_get_array_member (root, "accounts");
  skipped = json_object_get_array_member (root, "skipped");
  g_assert_cmpuint (json_array_get_length (accounts), ==, 2);
  g_assert_cmpuint (json_array_get_length (skipped), ==, 1);
  first = json_array_get_object_element (accounts, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "ig_user_id"), ==, IG_BAKERY);
  g_assert_cmpstr (json_object_get_string_member (first, "page_name"), ==, "Bakery");
  g_assert_cmpint (json_object_get_int_member (first, "followers_count"), ==, 5000);
  g_assert_true (json_object_get_boolean_member (first, "token_long_lived"));
  /* The exchange told the expiry. */
  g_assert_nonnull (json_object_get_string_member (first, "token_expires_at"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (skipped, 0), "page_name"),
                   ==, "No Instagram");

  list = list_accounts (f);
  g_assert_nonnull (json_object_get_string_member (find_account (list, IG_STUDIO), "token_expires_at"));
  /* The long-lived exchange's 60 days. */
  expires_at = stored_expiry (f, IG_STUDIO, "expires_at");
  g_assert_cmpint (g_ascii_strtoll (expires_at, NULL, 10), >=, now + 5183944 - 60);
  g_assert_cmpint (g_ascii_strtoll (expires_at, NULL, 10), <=, now + 5183944 + 60);

  /* The code was exchanged for a token, and that one for a long-lived
   * one, which is the token stored: all three are searched for. */
  issued = graph_sim_dup_issued_tokens (f->sim);
  g_assert_cmpuint (g_strv_length (issued), >=, 2);
  stored = stored_token (f, IG_STUDIO);
  g_assert_cmpstr (stored, ==, issued[1]);

  sync_and_status (f, IG_STUDIO);
  g_assert_nonnull (strstr (f->everything_printed->str, "DEBUG"));

  connect_run_clear (&run);
}

/* Storing fails on the second account: neither account, nor a token, is
 * left behind; the same login then connects both. */
static void
test_store_fails_part_way (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(InstaSyncStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) list = NULL;
  ConnectRun run = { 0, };
  PGresult *result;

  store = instasync_test_pg_connect_migrated (f->pg, &error);
  g_assert_no_error (error);
  result = PQexec (instasync_store_get_connection (store),
                   "CREATE FUNCTION refuse_studio () RETURNS trigger LANGUAGE plpgsql AS "
                   "$$ BEGIN RAISE EXCEPTION 'no room for account %', NEW.ig_user_id; END $$;"
                   "CREATE TRIGGER refuse_studio BEFORE INSERT ON user_tokens FOR EACH ROW "
                   "WHEN (NEW.ig_user_id = '" IG_STUDIO "') EXECUTE FUNCTION refuse_studio ()");
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_COMMAND_OK);
  PQclear (result);

  fixture_set_env (f, "G_MESSAGES_DEBUG=all");
  run_connect (f, NULL, NULL, approve, &run);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "no room for account " IG_STUDIO));
  g_assert_null (strstr (run.out, "Connected"));
  g_assert_cmpint (count_rows (f, "instagram_accounts"), ==, 0);
  g_assert_cmpint (count_rows (f, "user_tokens"), ==, 0);
  connect_run_clear (&run);

  result = PQexec (instasync_store_get_connection (store),
                   "DROP TRIGGER refuse_studio ON user_tokens; DROP FUNCTION refuse_studio ()");
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_COMMAND_OK);
  PQclear (result);

  run_connect (f, NULL, NULL, approve, &run);
  g_assert_cmpint (run.status, ==, 0);
  list = list_accounts (f);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 2);
  g_assert_cmpint (count_rows (f, "user_tokens"), ==, 2);
  connect_run_clear (&run);
}

static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  const char *code_env[] = { "INSTASYNC_APP_SECRET=" APP_SECRET, NULL };
  const char *code_args[] = { "--code", NULL };
  const char *no_app_env[] = { "INSTASYNC_APP_ID", NULL };
  const struct {
    const char * const *env;
    const char * const *args;
    RespondFunc         respond;
    int                 status;
    const char         *says;
  } cases[] = {
    { NULL, NULL, deny, 1, "permissions were declined" },
    { code_env, code_args, cancel, 1, "login was cancelled" },
    { NULL, NULL, foreign_state, 1, "does not match this login" },
    { NULL, NULL, garbage, 2, "not a web address" },
    { NULL, NULL, nothing, 2, "no address on standard input" },
    /* Configuration: refused before the address is even printed. */
    { NULL, code_args, approve, 2, "INSTASYNC_APP_SECRET" },
    { no_app_env, NULL, approve, 2, "INSTASYNC_APP_ID" },
  };
  g_autoptr(JsonNode) list = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      ConnectRun run = { 0, };

      g_test_message ("case %u", i);
      run_connect (f, cases[i].env, cases[i].args, cases[i].respond, &run);
      g_assert_cmpint (run.status, ==, cases[i].status);
      g_assert_nonnull (strstr (run.err, cases[i].says));
      g_assert_cmpstr (run.out, ==, "");
      if (i >= 5)
        g_assert_null (run.dialog_url);
      connect_run_clear (&run);
    }

  list = list_accounts (f);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, fn) g_test_add ("/e2e-connect/" name, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("token-flow", test_token_flow);
  ADD ("code-flow-json", test_code_flow_json);
  ADD ("store-fails-part-way", test_store_fails_part_way);
  ADD ("refusals", test_refusals);
#undef ADD

  return g_test_run ();
}
