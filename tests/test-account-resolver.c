/* test-account-resolver.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Account resolution: the database first (instagram_accounts and
 * user_tokens, as far as the connected role sees them), the local secrets
 * file when the database holds no account, and a clear error, saying the
 * secrets file was not used, when the database cannot be read. */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "instasync-account-resolver.h"
#include "instasync-error.h"
#include "instasync-test-pg.h"

/* One cluster for the whole file; every test starts from empty tables. The
 * test that stops its server has a cluster of its own. */
static InstaSyncTestPg *shared_pg;

#define KEY "resolver test key"

#define DB_ACCOUNT    "17841400000000001"
#define FILE_ACCOUNT  "17841400000000101"
#define FILE_ACCOUNT2 "17841400000000102"

static const char secrets_text[] =
  "# development accounts\n"
  "[account " FILE_ACCOUNT "]\n"
  "username=file.one\n"
  "access_token=FILE-TOKEN-1\n"
  "\n"
  "[account " FILE_ACCOUNT2 "]\n"
  "access_token=FILE-TOKEN-2\n";

/* Auxiliary */

typedef struct
{
  char *dir;
  char *secrets;   /* a valid secrets file with two accounts */
  char *broken;    /* its first group is fine, its second has no token */
  char *missing;   /* a path where there is no file */
} Files;

static void
files_free (Files *files)
{
  instasync_test_pg_remove_tree (files->dir);
  g_free (files->dir);
  g_free (files->secrets);
  g_free (files->broken);
  g_free (files->missing);
  g_free (files);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Files, files_free)

static Files *
files_new (void)
{
  g_autoptr(GError) error = NULL;
  Files *files = g_new0 (Files, 1);

  files->dir = g_dir_make_tmp ("instasync-resolver-XXXXXX", &error);
  g_assert_no_error (error);
  files->secrets = g_build_filename (files->dir, "secrets.ini", NULL);
  files->broken = g_build_filename (files->dir, "broken.ini", NULL);
  files->missing = g_build_filename (files->dir, "absent.ini", NULL);

  g_assert_true (g_file_set_contents (files->secrets, secrets_text, -1, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (files->broken,
                                      "[account " FILE_ACCOUNT "]\n"
                                      "access_token=FILE-TOKEN-1\n"
                                      "[account " FILE_ACCOUNT2 "]\n"
                                      "username=no.token\n", -1, &error));
  g_assert_no_error (error);

  return files;
}

static GHashTable *
new_tokens (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
exec_ok (InstaSyncStore *store,
         const char     *sql)
{
  PGresult *result = PQexec (instasync_store_get_connection (store), sql);

  g_assert_cmpstr (PQresultErrorMessage (result), ==, "");
  PQclear (result);
}

static InstaSyncStore *
fresh_store (void)
{
  g_autoptr(GError) error = NULL;
  InstaSyncStore *store = instasync_test_pg_connect_migrated (shared_pg, &error);

  g_assert_no_error (error);
  exec_ok (store, "TRUNCATE instagram_accounts, user_tokens, instagram_insights, "
                  "instagram_sync_logs, instagram_sync_cursors");
  return store;
}

static InstaSyncStore *
connect_as (InstaSyncTestPg *pg,
            const char      *role)
{
  g_autofree char *conninfo = g_strdup_printf ("%s user='%s'",
                                               instasync_test_pg_get_conninfo (pg), role);
  g_autoptr(GError) error = NULL;
  InstaSyncStore *store = instasync_store_connect (conninfo, &error);

  g_assert_no_error (error);
  return store;
}

static void
add_account (InstaSyncStore *store,
             const char     *ig_user_id,
             const char     *username,
             const char     *token)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (instasync_store_add_account (store, ig_user_id, username, token, KEY, &error));
  g_assert_no_error (error);
}

static InstaSyncAccount *
find_account (GPtrArray  *accounts,
              const char *ig_user_id)
{
  for (guint i = 0; i < accounts->len; i++)
    if (g_strcmp0 (instasync_account_get_ig_user_id (g_ptr_array_index (accounts, i)),
                   ig_user_id) == 0)
      return g_ptr_array_index (accounts, i);

  return NULL;
}

static void
assert_from_file (GPtrArray  *accounts,
                  GHashTable *tokens)
{
  InstaSyncAccount *one;
  InstaSyncAccount *two;

  g_assert_cmpuint (accounts->len, ==, 2);
  one = find_account (accounts, FILE_ACCOUNT);
  two = find_account (accounts, FILE_ACCOUNT2);
  g_assert_nonnull (one);
  g_assert_nonnull (two);
  g_assert_cmpstr (instasync_account_get_source (one), ==, "secrets-file");
  g_assert_cmpstr (instasync_account_get_source (two), ==, "secrets-file");
  g_assert_cmpstr (instasync_account_get_username (one), ==, "file.one");
  g_assert_cmpuint (g_hash_table_size (tokens), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (tokens, FILE_ACCOUNT), ==, "FILE-TOKEN-1");
  g_assert_cmpstr (g_hash_table_lookup (tokens, FILE_ACCOUNT2), ==, "FILE-TOKEN-2");
}

/* Tests */

/* Accounts in the database win: the secrets file is not even read. */
static void
test_database_first (void)
{
  g_autoptr(InstaSyncStore) store = fresh_store ();
  g_autoptr(Files) files = files_new ();
  g_autoptr(GHashTable) tokens = new_tokens ();
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  InstaSyncAccount *account;

  add_account (store, DB_ACCOUNT, "db.account", "DB-TOKEN");

  accounts = instasync_resolve_accounts (store, files->secrets, tokens, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 1);
  account = g_ptr_array_index (accounts, 0);
  g_assert_cmpstr (instasync_account_get_ig_user_id (account), ==, DB_ACCOUNT);
  g_assert_cmpstr (instasync_account_get_username (account), ==, "db.account");
  g_assert_cmpstr (instasync_account_get_source (account), ==, "database");
  g_assert_cmpuint (g_hash_table_size (tokens), ==, 0);

  /* Its token comes from user_tokens, decrypted only now. */
  token = instasync_account_resolver_get_token (store, account, tokens, KEY, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "DB-TOKEN");
  g_clear_pointer (&token, g_free);

  /* Without the key, or with another, it stays in the database. */
  g_assert_null (instasync_account_resolver_get_token (store, account, tokens, NULL, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY);
  g_clear_error (&error);
  g_assert_null (instasync_account_resolver_get_token (store, account, tokens, "other key",
                                                       &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY);
  g_assert_null (strstr (error->message, "DB-TOKEN"));
  g_clear_error (&error);

  /* An account without a token is still an account; syncing it says why
   * it cannot. */
  exec_ok (store, "DELETE FROM user_tokens");
  g_clear_pointer (&accounts, g_ptr_array_unref);
  accounts = instasync_resolve_accounts (store, files->secrets, tokens, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 1);
  g_assert_null (instasync_account_resolver_get_token (store, g_ptr_array_index (accounts, 0),
                                                       tokens, KEY, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND);
}

/* An empty database: the secrets file stands in for it. */
static void
test_fallback_when_database_empty (void)
{
  g_autoptr(InstaSyncStore) store = fresh_store ();
  g_autoptr(Files) files = files_new ();
  g_autoptr(GHashTable) tokens = new_tokens ();
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autoptr(InstaSyncAccount) stranger = NULL;

  accounts = instasync_resolve_accounts (store, files->secrets, tokens, &error);
  g_assert_no_error (error);
  assert_from_file (accounts, tokens);

  /* Its tokens come from the file, with no key needed. */
  token = instasync_account_resolver_get_token (store, find_account (accounts, FILE_ACCOUNT),
                                                tokens, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "FILE-TOKEN-1");

  /* A file account whose token is not at hand. */
  stranger = instasync_account_new ("17841400000000999");
  instasync_account_set_source (stranger, "secrets-file");
  g_assert_null (instasync_account_resolver_get_token (store, stranger, tokens, KEY, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "secrets file"));
}

/* No account anywhere is no error: an empty list. */
static void
test_no_accounts_anywhere (void)
{
  g_autoptr(InstaSyncStore) store = fresh_store ();
  g_autoptr(Files) files = files_new ();
  g_autoptr(GHashTable) tokens = new_tokens ();
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;

  accounts = instasync_resolve_accounts (store, files->missing, tokens, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 0);
  g_clear_pointer (&accounts, g_ptr_array_unref);

  accounts = instasync_resolve_accounts (store, NULL, tokens, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 0);
  g_assert_cmpuint (g_hash_table_size (tokens), ==, 0);
}

/* The fallback was used and failed: the error says both, and no token of
 * the half-read file is kept. */
static void
test_fallback_file_broken (void)
{
  g_autoptr(InstaSyncStore) store = fresh_store ();
  g_autoptr(Files) files = files_new ();
  g_autoptr(GHashTable) tokens = new_tokens ();
  g_autoptr(GError) error = NULL;

  g_assert_null (instasync_resolve_accounts (store, files->broken, tokens, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFIG);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "The database holds no account, so the "
                                                   "fallback to the secrets file was tried."));
  g_assert_nonnull (strstr (error->message, files->broken));
  g_assert_nonnull (strstr (error->message, "has no access_token"));
  g_assert_null (strstr (error->message, "FILE-TOKEN"));
  g_assert_cmpuint (g_hash_table_size (tokens), ==, 0);
}

/* The database went away (the server stopped under a connected store), and
 * came back. */
static void
test_database_unreachable (void)
{
  g_autoptr(InstaSyncTestPg) pg = instasync_test_pg_start_checked ();
  g_autoptr(Files) files = files_new ();
  g_autoptr(GHashTable) tokens = new_tokens ();
  g_autoptr(InstaSyncStore) store = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  InstaSyncEmbeddedDb *db = instasync_test_pg_get_embedded_db (pg);

  store = instasync_test_pg_connect_migrated (pg, &error);
  g_assert_no_error (error);
  add_account (store, DB_ACCOUNT, "db.account", "DB-TOKEN");

  g_assert_true (instasync_embedded_db_stop_force (db, &error));
  g_assert_no_error (error);

  /* The secrets file has accounts, but they do not replace a database that
   * cannot be asked: the error says the file was not used, and why the
   * database could not be read. */
  g_assert_null (instasync_resolve_accounts (store, files->secrets, tokens, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message,
                                   "The accounts could not be read from the database, and "
                                   "the secrets file "));
  g_assert_nonnull (strstr (error->message, files->secrets));
  g_assert_nonnull (strstr (error->message, "was not used in its place"));
  g_assert_nonnull (strstr (error->message, "connection to the database was lost"));
  g_assert_cmpuint (g_hash_table_size (tokens), ==, 0);
  g_clear_error (&error);

  g_assert_null (instasync_resolve_accounts (store, NULL, tokens, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "there is no secrets file to fall back on"));
  g_clear_error (&error);

  /* The server is back: the same store reconnects, and the database wins
   * again. */
  g_assert_true (instasync_embedded_db_start (db, &error));
  g_assert_no_error (error);
  accounts = instasync_resolve_accounts (store, files->secrets, tokens, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 1);
  g_assert_cmpstr (instasync_account_get_source (g_ptr_array_index (accounts, 0)), ==,
                   "database");
  g_assert_cmpuint (g_hash_table_size (tokens), ==, 0);
}

/* A database that was never there fails before any account is resolved:
 * connecting says where it looked. */
static void
test_database_never_reachable (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = instasync_test_pg_make_tmp_dir (&error);
  g_autofree char *conninfo = NULL;
  g_autoptr(InstaSyncStore) store = NULL;

  g_assert_no_error (error);
  conninfo = g_strdup_printf ("host='%s' dbname=instasync connect_timeout=5", dir);

  store = instasync_store_connect (conninfo, &error);
  g_assert_null (store);
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "Could not connect to the database: "));
  g_assert_nonnull (strstr (error->message, dir));

  instasync_test_pg_remove_tree (dir);
}

/* "The database holds no account" means: none that this role may see. */
static void
test_per_role (void)
{
  g_autoptr(InstaSyncStore) owner = fresh_store ();
  g_autoptr(InstaSyncStore) alice = NULL;
  g_autoptr(InstaSyncStore) bob = NULL;
  g_autoptr(Files) files = files_new ();
  g_autoptr(GHashTable) alice_tokens = new_tokens ();
  g_autoptr(GHashTable) bob_tokens = new_tokens ();
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;

  alice = connect_as (shared_pg, "resolver_alice");
  bob = connect_as (shared_pg, "resolver_bob");
  add_account (bob, DB_ACCOUNT, "bob.account", "BOB-TOKEN");

  accounts = instasync_resolve_accounts (alice, files->secrets, alice_tokens, &error);
  g_assert_no_error (error);
  assert_from_file (accounts, alice_tokens);
  g_clear_pointer (&accounts, g_ptr_array_unref);

  accounts = instasync_resolve_accounts (bob, files->secrets, bob_tokens, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 1);
  g_assert_cmpstr (instasync_account_get_source (g_ptr_array_index (accounts, 0)), ==,
                   "database");
  g_assert_cmpuint (g_hash_table_size (bob_tokens), ==, 0);
}

/* A role the database refuses is a database that cannot be read, not an
 * empty one. */
static void
test_permission_denied (void)
{
  g_autoptr(InstaSyncStore) owner = fresh_store ();
  g_autoptr(InstaSyncStore) stranger = NULL;
  g_autoptr(Files) files = files_new ();
  g_autoptr(GHashTable) tokens = new_tokens ();
  g_autoptr(GError) error = NULL;

  stranger = connect_as (shared_pg, "resolver_stranger");

  g_assert_null (instasync_resolve_accounts (stranger, files->secrets, tokens, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "was not used in its place"));
  g_assert_nonnull (strstr (error->message, "permission denied"));
  g_assert_cmpuint (g_hash_table_size (tokens), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  shared_pg = instasync_test_pg_start (&error);
  g_assert_no_error (error);

  {
    g_autoptr(InstaSyncStore) owner = fresh_store ();

    exec_ok (owner, "CREATE ROLE resolver_alice LOGIN IN ROLE instasync_user");
    exec_ok (owner, "CREATE ROLE resolver_bob LOGIN IN ROLE instasync_user");
    exec_ok (owner, "CREATE ROLE resolver_stranger LOGIN");
  }

  g_test_add_func ("/account-resolver/database-first", test_database_first);
  g_test_add_func ("/account-resolver/fallback-when-database-empty",
                   test_fallback_when_database_empty);
  g_test_add_func ("/account-resolver/no-accounts-anywhere", test_no_accounts_anywhere);
  g_test_add_func ("/account-resolver/fallback-file-broken", test_fallback_file_broken);
  g_test_add_func ("/account-resolver/database-unreachable", test_database_unreachable);
  g_test_add_func ("/account-resolver/database-never-reachable", test_database_never_reachable);
  g_test_add_func ("/account-resolver/per-role", test_per_role);
  g_test_add_func ("/account-resolver/permission-denied", test_permission_denied);

  status = g_test_run ();

  g_clear_pointer (&shared_pg, instasync_test_pg_free);
  return status;
}
