/* test-secrets-in-output.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tokens, proofs, the App Secret and the token key appear in nothing
 * InstaSync prints or stores: full syncs through instasyncctl against the
 * simulator, with an App Secret (so every call carries appsecret_proof and a
 * token is refreshed), debug messages on, and every text of every table
 * searched afterwards. The server logs every statement with every
 * parameter in full, as an administrator may set it up, and its log is
 * searched too: neither a token nor the key ever reaches the server.
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libpq-fe.h>
#include <string.h>

#include "graph-sim.h"
#include "instasync-graph-client.h"
#include "instasync-test-cli.h"
#include "instasync-test-pg.h"

#define SIM_APP_ID    "100000000000001"
#define APP_SECRET    "e2e-app-secret-9c41d7f2"
#define WRONG_SECRET  "e2e-wrong-secret-5a0b33"
#define TOKEN_KEY     "e2e-token-key-6f1e2d0c"

#define ACCOUNT_SOON  "17841400000000301"
#define ACCOUNT_NEVER "17841400000000302"
#define TOKEN_SOON    "EAAsecret-soon-71c9d2e4"
#define TOKEN_NEVER   "EAAsecret-never-0d83b6a1"

#define DAY (24 * 60 * 60)

typedef struct
{
  InstaSyncTestPg *pg;
  GraphSim        *sim;
  char            *data_dir;
  GPtrArray       *env;
  GString         *printed;
} Fixture;

static void
ctl (Fixture            *fixture,
     GPtrArray          *env,
     const char         *input,
     const char * const *args,
     int                 expected_status,
     char              **out)
{
  CtlRun run = { 0, };

  instasync_test_ctl_run (&run, (const char * const *)(env != NULL ? env : fixture->env)->pdata,
                          input, args);
  g_string_append (fixture->printed, run.out);
  g_string_append (fixture->printed, run.err);
  if (expected_status >= 0)
    g_assert_cmpint (run.status, ==, expected_status);
  if (out != NULL)
    *out = g_strdup (run.out);
  instasync_test_ctl_clear (&run);
}

static GPtrArray *
env_with (Fixture    *fixture,
          const char *name,
          const char *assignment)
{
  GPtrArray *env = g_ptr_array_new ();
  g_autofree char *prefix = g_strconcat (name, "=", NULL);

  for (guint i = 0; g_ptr_array_index (fixture->env, i) != NULL; i++)
    if (!g_str_has_prefix (g_ptr_array_index (fixture->env, i), prefix))
      g_ptr_array_add (env, g_ptr_array_index (fixture->env, i));
  g_ptr_array_add (env, (char *)assignment);
  g_ptr_array_add (env, NULL);
  return env;
}

/* Every statement, with all its parameters uncut, into the server log,
 * from every later session. */
static void
log_every_statement (InstaSyncTestPg *pg)
{
  const char * const settings[] = {
    "ALTER SYSTEM SET log_statement = 'all'",
    "ALTER SYSTEM SET log_min_duration_statement = 0",
    "ALTER SYSTEM SET log_parameter_max_length = -1",
    "ALTER SYSTEM SET log_parameter_max_length_on_error = -1",
    "ALTER SYSTEM SET log_min_error_statement = 'info'",
    "SELECT pg_reload_conf ()",
  };
  PGconn *conn = PQconnectdb (instasync_test_pg_get_conninfo (pg));

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      PGresult *result = PQexec (conn, settings[i]);

      g_assert_cmpint (PQresultStatus (result), !=, PGRES_FATAL_ERROR);
      PQclear (result);
    }
  PQfinish (conn);
}

static char *
server_log (InstaSyncTestPg *pg)
{
  g_autofree char *path = g_build_filename (instasync_test_pg_get_dir (pg), "cluster",
                                            "server.log", NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
test_no_secret_anywhere (void)
{
  Fixture fixture_data = { 0, };
  Fixture *fixture = &fixture_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncStore) store = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) wrong_env = NULL;
  g_autofree char *scenario = NULL;
  g_autofree char *sim_url = NULL;
  g_autofree char *out = NULL;
  g_autofree char *new_token = NULL;
  g_autofree char *dump = NULL;
  g_autofree char *log = NULL;
  g_autofree char *sim_env = NULL;
  g_autofree char *db_env = NULL;
  g_autofree char *data_env = NULL;
  g_autofree char *secrets_env = NULL;
  g_autofree char *app_token = g_strdup_printf ("%s|%s", SIM_APP_ID, APP_SECRET);
  const char *secrets[16];
  const char *names[16];
  guint n = 0;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  JsonArray *results;
  const char *add_soon[] = { "account", "add", "--ig-user-id", ACCOUNT_SOON, "--username",
                             "soon.account", "--token-stdin", NULL };
  const char *add_never[] = { "account", "add", "--ig-user-id", ACCOUNT_NEVER, "--username",
                              "never.account", "--token-stdin", NULL };
  const char *sync_json[] = { "sync", "--json", NULL };
  const char *sync_text[] = { "sync", NULL };
  const char *status_text[] = { "status", NULL };
  const char *status_json[] = { "status", "--json", NULL };
  const char *list_json[] = { "account", "list", "--json", NULL };

  fixture->pg = instasync_test_pg_start_checked ();
  fixture->printed = g_string_new (NULL);
  log_every_statement (fixture->pg);

  scenario = g_strdup_printf (
    "{\"users\": ["
    " {\"id\": \"7001\", \"token\": \"" TOKEN_SOON "\", \"expires_at\": %" G_GINT64_FORMAT ","
    "  \"pages\": [{\"id\": \"7101\", \"instagram_business_account\": \"" ACCOUNT_SOON "\"}]},"
    " {\"id\": \"7002\", \"token\": \"" TOKEN_NEVER "\","
    "  \"pages\": [{\"id\": \"7102\", \"instagram_business_account\": \"" ACCOUNT_NEVER "\"}]}],"
    " \"accounts\": [{\"id\": \"" ACCOUNT_SOON "\", \"username\": \"soon.account\"},"
    "              {\"id\": \"" ACCOUNT_NEVER "\", \"username\": \"never.account\"}]}",
    now + 3 * DAY);
  fixture->sim = graph_sim_new ();
  g_assert_true (graph_sim_load_scenario_data (fixture->sim, scenario, -1, &error));
  g_assert_no_error (error);
  graph_sim_set_app_secret (fixture->sim, APP_SECRET);
  g_assert_true (graph_sim_start (fixture->sim, 0, &error));
  g_assert_no_error (error);
  sim_url = graph_sim_get_base_url (fixture->sim);

  fixture->data_dir = g_dir_make_tmp ("instasync-secrets-XXXXXX", &error);
  g_assert_no_error (error);

  db_env = g_strdup_printf ("INSTASYNC_DATABASE_URL=%s", instasync_test_pg_get_conninfo (fixture->pg));
  sim_env = g_strdup_printf ("INSTASYNC_GRAPH_URL=%s", sim_url);
  data_env = g_strdup_printf ("INSTASYNC_DATA_DIR=%s", fixture->data_dir);
  secrets_env = g_strdup_printf ("INSTASYNC_SECRETS_FILE=%s/none.ini", fixture->data_dir);
  fixture->env = g_ptr_array_new ();
  g_ptr_array_add (fixture->env, db_env);
  g_ptr_array_add (fixture->env, sim_env);
  g_ptr_array_add (fixture->env, data_env);
  g_ptr_array_add (fixture->env, secrets_env);
  g_ptr_array_add (fixture->env, (char *)"INSTASYNC_TOKEN_KEY=" TOKEN_KEY);
  g_ptr_array_add (fixture->env, (char *)"INSTASYNC_APP_ID=" SIM_APP_ID);
  g_ptr_array_add (fixture->env, (char *)"INSTASYNC_APP_SECRET=" APP_SECRET);
  g_ptr_array_add (fixture->env, (char *)"INSTASYNC_RETRY_DELAY_MS=5");
  g_ptr_array_add (fixture->env, (char *)"INSTASYNC_LOOKBACK_DAYS=2");
  g_ptr_array_add (fixture->env, (char *)"G_MESSAGES_DEBUG=all");
  g_ptr_array_add (fixture->env, NULL);

  ctl (fixture, NULL, TOKEN_SOON "\n", add_soon, 0, NULL);
  ctl (fixture, NULL, TOKEN_NEVER "\n", add_never, 0, NULL);

  /* First run: proofs on every call; after the sync the unknown expiries
   * are learned, and the token with three days left is refreshed. */
  ctl (fixture, NULL, NULL, sync_json, 0, &out);
  {
    /* GLib prints debug messages on standard output too: the JSON is the
     * block from "[" to "]" on lines of their own. */
    const char *start = g_str_has_prefix (out, "[\n") ? out : strstr (out, "\n[\n");
    const char *end;

    g_assert_nonnull (start);
    start = *start == '\n' ? start + 1 : start;
    end = strstr (start, "\n]\n");
    g_assert_nonnull (end);
    json_parser_load_from_data (parser, start, end + 2 - start, &error);
  }
  g_assert_no_error (error);
  results = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (results), ==, 2);
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);
      JsonObject *token = json_object_get_object_member (result, "token");
      gboolean soon = g_str_equal (json_object_get_string_member (result, "ig_user_id"), ACCOUNT_SOON);

      g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "succeeded");
      g_assert_cmpstr (json_object_get_string_member (token, "status"), ==,
                       soon ? "refreshed" : "valid");
    }

  store = instasync_test_pg_connect_migrated (fixture->pg, &error);
  g_assert_no_error (error);
  new_token = instasync_store_get_token (store, ACCOUNT_SOON, TOKEN_KEY, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (new_token, !=, TOKEN_SOON);

  /* Second run, with the new token and its proofs; then what people read. */
  ctl (fixture, NULL, NULL, sync_text, 0, NULL);
  ctl (fixture, NULL, NULL, status_text, 0, NULL);
  ctl (fixture, NULL, NULL, status_json, 0, NULL);
  ctl (fixture, NULL, NULL, list_json, 0, NULL);

  /* A wrong App Secret: every proof is refused, and the failure is told
   * without the secret. */
  wrong_env = env_with (fixture, "INSTASYNC_APP_SECRET", "INSTASYNC_APP_SECRET=" WRONG_SECRET);
  g_clear_pointer (&out, g_free);
  ctl (fixture, wrong_env, NULL, sync_json, 1, &out);
  g_assert_nonnull (strstr (fixture->printed->str, "Invalid appsecret_proof"));

  dump = instasync_test_pg_dump_all (instasync_test_pg_get_conninfo (fixture->pg));
  g_assert_nonnull (strstr (dump, ACCOUNT_SOON));
  g_assert_nonnull (strstr (dump, "-- public.user_tokens\n"));

  /* The log holds the statements that stored, read and rotated the tokens,
   * with their parameters: there was something to search. */
  log = server_log (fixture->pg);
  g_assert_nonnull (strstr (log, "INSERT INTO user_tokens"));
  g_assert_nonnull (strstr (log, "UPDATE user_tokens SET token_sealed"));
  g_assert_nonnull (strstr (log, "parameters: $1 = '" ACCOUNT_SOON "'"));

  names[n] = "the first token"; secrets[n++] = TOKEN_SOON;
  names[n] = "the second token"; secrets[n++] = TOKEN_NEVER;
  names[n] = "the refreshed token"; secrets[n++] = new_token;
  names[n] = "the App Secret"; secrets[n++] = APP_SECRET;
  names[n] = "the wrong App Secret"; secrets[n++] = WRONG_SECRET;
  names[n] = "the app token"; secrets[n++] = app_token;
  names[n] = "the token key"; secrets[n++] = TOKEN_KEY;
  {
    g_autofree char *proof_soon = instasync_graph_appsecret_proof (APP_SECRET, TOKEN_SOON);
    g_autofree char *proof_never = instasync_graph_appsecret_proof (APP_SECRET, TOKEN_NEVER);
    g_autofree char *proof_new = instasync_graph_appsecret_proof (APP_SECRET, new_token);
    g_autofree char *proof_wrong = instasync_graph_appsecret_proof (WRONG_SECRET, new_token);

    names[n] = "a proof"; secrets[n++] = proof_soon;
    names[n] = "a proof"; secrets[n++] = proof_never;
    names[n] = "a proof"; secrets[n++] = proof_new;
    names[n] = "a wrong proof"; secrets[n++] = proof_wrong;

    for (guint i = 0; i < n; i++)
      {
        instasync_test_assert_secret_absent (fixture->printed->str, "what instasyncctl printed",
                                             secrets[i], names[i]);
        instasync_test_assert_secret_absent (dump, "the database", secrets[i], names[i]);
        instasync_test_assert_secret_absent (log, "the server log", secrets[i], names[i]);
      }
  }

  /* Whatever else the simulator handed out (the refreshed token among
   * them, and any page token). */
  {
    g_auto(GStrv) issued = graph_sim_dup_issued_tokens (fixture->sim);

    g_assert_true (g_strv_contains ((const char * const *)issued, new_token));
    for (guint i = 0; issued[i] != NULL; i++)
      {
        instasync_test_assert_secret_absent (fixture->printed->str, "what instasyncctl printed",
                                             issued[i], "an issued token");
        instasync_test_assert_secret_absent (dump, "the database", issued[i], "an issued token");
        instasync_test_assert_secret_absent (log, "the server log", issued[i], "an issued token");
      }
  }

  /* The debug messages were on: there was something to search. */
  g_assert_nonnull (strstr (fixture->printed->str, "DEBUG"));

  g_clear_object (&store);
  g_clear_object (&fixture->sim);
  g_clear_pointer (&fixture->pg, instasync_test_pg_free);
  g_ptr_array_unref (fixture->env);
  g_string_free (fixture->printed, TRUE);
  instasync_test_pg_remove_tree (fixture->data_dir);
  g_free (fixture->data_dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/secrets/in-no-output", test_no_secret_anywhere);

  return g_test_run ();
}
