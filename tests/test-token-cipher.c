/* test-token-cipher.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tokens sealed in the client: what a sealed token resists (another key,
 * another row, a flipped bit), the key check value, tokens of an earlier
 * version read from pgcrypto's own output under every option it has, and
 * the key loader that never makes a key while tokens exist.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <string.h>

#include "instasync-error.h"
#include "instasync-pgp-legacy.h"
#include "instasync-store.h"
#include "instasync-test-pg.h"
#include "instasync-token-cipher.h"
#include "instasync-token-key.h"

#define KEY      "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
#define ACCOUNT  "17841400000000001"
#define OTHER    "17841400000000002"
#define TOKEN    "EAAGsealed-token-4d1c9a"

static InstaSyncTestPg *shared_pg;

/* Sealing */

static void
test_seal_round_trip (void)
{
  g_autoptr(GBytes) sealed = instasync_token_seal (KEY, ACCOUNT, TOKEN);
  g_autoptr(GBytes) again = instasync_token_seal (KEY, ACCOUNT, TOKEN);
  g_autoptr(InstaSyncSecret) opened = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  const guint8 *data = g_bytes_get_data (sealed, &length);

  g_assert_cmpuint (length, ==, strlen (TOKEN) + INSTASYNC_TOKEN_SEAL_OVERHEAD);
  g_assert_cmpint (data[0], ==, 1);
  /* The token's bytes are not in it, and two seals differ (fresh nonces). */
  for (gsize i = 0; i + strlen (TOKEN) <= length; i++)
    g_assert_false (memcmp (data + i, TOKEN, strlen (TOKEN)) == 0);
  g_assert_false (g_bytes_equal (sealed, again));

  opened = instasync_token_open (KEY, ACCOUNT, data, length, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (opened, ==, TOKEN);
}

static void
assert_does_not_open (const char   *key,
                      const char   *ig_user_id,
                      const guint8 *data,
                      gsize         length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncSecret) opened = instasync_token_open (key, ig_user_id, data, length, &error);

  g_assert_null (opened);
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY);
  g_assert_null (strstr (error->message, key));
}

static void
test_seal_refuses (void)
{
  g_autoptr(GBytes) sealed = instasync_token_seal (KEY, ACCOUNT, TOKEN);
  gsize length;
  g_autofree guint8 *data = g_memdup2 (g_bytes_get_data (sealed, &length), g_bytes_get_size (sealed));

  /* Another key; another row (the id is associated data); cut short;
   * nothing at all. */
  assert_does_not_open ("another key", ACCOUNT, data, length);
  assert_does_not_open (KEY, OTHER, data, length);
  assert_does_not_open (KEY, ACCOUNT "0", data, length);
  assert_does_not_open (KEY, ACCOUNT, data, length - 1);
  assert_does_not_open (KEY, ACCOUNT, data, INSTASYNC_TOKEN_SEAL_OVERHEAD - 1);
  assert_does_not_open (KEY, ACCOUNT, NULL, 0);

  /* Any single bit flipped anywhere. */
  for (gsize i = 0; i < length; i++)
    {
      data[i] ^= 0x10;
      assert_does_not_open (KEY, ACCOUNT, data, length);
      data[i] ^= 0x10;
    }

  /* Untouched, it still opens. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(InstaSyncSecret) opened = instasync_token_open (KEY, ACCOUNT, data, length, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (opened, ==, TOKEN);
  }
}

static void
test_fingerprint_and_check (void)
{
  g_autoptr(GBytes) a = instasync_token_fingerprint (KEY, ACCOUNT, TOKEN);
  g_autoptr(GBytes) same = instasync_token_fingerprint (KEY, ACCOUNT, TOKEN);
  g_autoptr(GBytes) other_token = instasync_token_fingerprint (KEY, ACCOUNT, TOKEN "x");
  g_autoptr(GBytes) other_row = instasync_token_fingerprint (KEY, OTHER, TOKEN);
  g_autoptr(GBytes) other_key = instasync_token_fingerprint ("another key", ACCOUNT, TOKEN);
  g_autoptr(GBytes) check = instasync_token_key_check (KEY);
  gsize length;
  const guint8 *data = g_bytes_get_data (check, &length);
  guint8 flipped[INSTASYNC_TOKEN_DIGEST_BYTES];

  g_assert_cmpuint (g_bytes_get_size (a), ==, INSTASYNC_TOKEN_DIGEST_BYTES);
  g_assert_true (g_bytes_equal (a, same));
  g_assert_false (g_bytes_equal (a, other_token));
  g_assert_false (g_bytes_equal (a, other_row));
  g_assert_false (g_bytes_equal (a, other_key));
  /* The subkeys are independent: the check value is no fingerprint. */
  g_assert_false (g_bytes_equal (a, check));

  g_assert_true (instasync_token_key_check_matches (KEY, data, length));
  g_assert_false (instasync_token_key_check_matches ("another key", data, length));
  g_assert_false (instasync_token_key_check_matches (KEY, data, length - 1));
  memcpy (flipped, data, sizeof flipped);
  flipped[7] ^= 1;
  g_assert_false (instasync_token_key_check_matches (KEY, flipped, sizeof flipped));
}

/* pgcrypto's messages, read in the client */

/* pgp_sym_encrypt (@plain, @key, @options) as the server makes it. */
static GBytes *
pgcrypto_encrypt (const char *plain,
                  const char *key,
                  const char *options)
{
  PGconn *conn = PQconnectdb (instasync_test_pg_get_conninfo (shared_pg));
  const char *params[3] = { plain, key, options };
  PGresult *result;
  unsigned char *raw;
  size_t length = 0;
  GBytes *bytes;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  PQclear (PQexec (conn, "CREATE EXTENSION IF NOT EXISTS pgcrypto"));
  result = PQexecParams (conn, "SELECT pgp_sym_encrypt ($1, $2, $3)", 3, NULL, params,
                         NULL, NULL, 0);
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  raw = PQunescapeBytea ((const unsigned char *)PQgetvalue (result, 0, 0), &length);
  bytes = g_bytes_new (raw, length);
  PQfreemem (raw);
  PQclear (result);
  PQfinish (conn);
  return bytes;
}

static void
test_pgcrypto_options (void)
{
  g_autofree char *long_token = NULL;
  const char * const options[] = {
    "",
    "cipher-algo=aes192",
    "cipher-algo=aes256, s2k-digest-algo=sha256",
    "s2k-mode=0",
    "s2k-mode=1",
    "s2k-mode=3, s2k-count=65011712",
    "s2k-digest-algo=md5",
    "sess-key=1",
    "sess-key=1, cipher-algo=aes256, s2k-cipher-algo=aes128",
    "convert-crlf=0",
  };
  GString *built = g_string_new (NULL);

  /* Long enough for pgcrypto to write partial body lengths. */
  while (built->len < 20000)
    g_string_append (built, "EAAGlong-token-0123456789abcdef");
  long_token = g_string_free (built, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    {
      const char * const plains[] = { TOKEN, "ünïcødé ☃", long_token };

      for (guint j = 0; j < G_N_ELEMENTS (plains); j++)
        {
          g_autoptr(GBytes) message = pgcrypto_encrypt (plains[j], KEY, options[i]);
          g_autoptr(GError) error = NULL;
          g_autoptr(InstaSyncSecret) plain = NULL;
          gsize length;
          const guint8 *data = g_bytes_get_data (message, &length);

          g_test_message ("options “%s”, text %u", options[i], j);
          plain = instasync_pgp_sym_decrypt (data, length, KEY, &error);
          g_assert_no_error (error);
          g_assert_cmpstr (plain, ==, plains[j]);
          g_clear_pointer (&plain, instasync_secret_free);

          plain = instasync_pgp_sym_decrypt (data, length, "another key", &error);
          g_assert_null (plain);
          g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY);
        }
    }
}

static void
test_pgcrypto_refused (void)
{
  g_autoptr(GBytes) message = pgcrypto_encrypt (TOKEN, KEY, "");
  gsize length;
  g_autofree guint8 *data = g_memdup2 (g_bytes_get_data (message, &length),
                                       g_bytes_get_size (message));
  const char * const unsupported[] = { "disable-mdc=1", "compress-algo=1", "compress-algo=2",
                                       "cipher-algo=bf", "cipher-algo=cast5" };

  for (guint i = 0; i < G_N_ELEMENTS (unsupported); i++)
    {
      g_autoptr(GBytes) other = pgcrypto_encrypt (TOKEN, KEY, unsupported[i]);
      g_autoptr(GError) error = NULL;

      g_assert_null (instasync_pgp_sym_decrypt (g_bytes_get_data (other, NULL),
                                                g_bytes_get_size (other), KEY, &error));
      g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_UNEXPECTED_SHAPE);
    }

  /* Every truncation and every flipped byte fails, and never crashes. */
  for (gsize cut = 0; cut < length; cut++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (instasync_pgp_sym_decrypt (data, cut, KEY, &error));
      g_assert_nonnull (error);
    }
  for (gsize i = 0; i < length; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(InstaSyncSecret) plain = NULL;

      data[i] ^= 0x01;
      plain = instasync_pgp_sym_decrypt (data, length, KEY, &error);
      /* The S2K count byte only changes the work, not the key, when it is
       * flipped in a way pgcrypto would also accept; everything else is
       * caught by the quick check or the MDC. */
      g_assert_true (plain == NULL || g_str_equal (plain, TOKEN));
      g_assert_true ((plain == NULL) == (error != NULL));
      data[i] ^= 0x01;
    }
}

/* The key as the database knows it */

typedef struct
{
  char *config_dir;
  char *key_path;
} KeyDir;

static gboolean
no_keyring (gpointer user_data)
{
  return FALSE;
}

static const InstaSyncKeyring absent_keyring = { no_keyring, NULL, NULL, NULL };

/* A fresh database, and a machine where the key can only come from a key
 * file under @dir (no environment, no keyring): as under cron. */
static InstaSyncStore *
fresh_store (KeyDir *dir)
{
  static guint n;
  g_autofree char *dbname = g_strdup_printf ("keys_%u", n++);
  g_autofree char *create = g_strdup_printf ("CREATE DATABASE %s", dbname);
  g_autofree char *conninfo = NULL;
  g_autoptr(GError) error = NULL;
  PGconn *admin = PQconnectdb (instasync_test_pg_get_conninfo (shared_pg));
  InstaSyncStore *store;

  PQclear (PQexec (admin, create));
  PQfinish (admin);
  conninfo = g_strdup_printf ("%s dbname=%s", instasync_test_pg_get_conninfo (shared_pg), dbname);
  store = instasync_store_connect (conninfo, &error);
  g_assert_no_error (error);
  g_assert_true (instasync_store_migrate (store, NULL, &error));
  g_assert_no_error (error);

  dir->config_dir = g_dir_make_tmp ("instasync-keys-XXXXXX", &error);
  g_assert_no_error (error);
  dir->key_path = g_build_filename (dir->config_dir, "instasync", "token.key", NULL);
  g_unsetenv ("INSTASYNC_TOKEN_KEY");
  g_unsetenv ("INSTASYNC_TOKEN_KEY_FILE");
  g_setenv ("XDG_CONFIG_HOME", dir->config_dir, TRUE);
  _instasync_token_key_set_keyring (&absent_keyring);
  return store;
}

static void
key_dir_clear (KeyDir *dir)
{
  g_autofree char *parent = g_path_get_dirname (dir->key_path);

  g_unlink (dir->key_path);
  g_rmdir (parent);
  g_rmdir (dir->config_dir);
  g_clear_pointer (&dir->config_dir, g_free);
  g_clear_pointer (&dir->key_path, g_free);
  g_unsetenv ("INSTASYNC_TOKEN_KEY");
  _instasync_token_key_set_keyring (NULL);
}

static void
exec_ok (InstaSyncStore *store,
         const char     *sql)
{
  PGresult *result = PQexec (instasync_store_get_connection (store), sql);

  g_assert_cmpint (PQresultStatus (result), !=, PGRES_FATAL_ERROR);
  PQclear (result);
}

static char *
query_text (InstaSyncStore *store,
            const char     *sql)
{
  PGresult *result = PQexec (instasync_store_get_connection (store), sql);
  char *text;

  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  text = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
  return text;
}

/* The first run makes a key and pins it with the first token; a key found
 * nowhere afterwards is an error, and none is made. */
static void
test_no_new_key_while_tokens_exist (void)
{
  KeyDir dir = { 0 };
  g_autoptr(InstaSyncStore) store = fresh_store (&dir);
  g_autoptr(InstaSyncSecret) key = NULL;
  g_autoptr(InstaSyncSecret) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *checks = NULL;

  /* An empty database: a key is made. */
  key = instasync_store_load_token_key (store, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (dir.key_path, G_FILE_TEST_EXISTS));
  g_assert_true (instasync_store_add_account (store, ACCOUNT, "one", TOKEN, key, &error));
  g_assert_no_error (error);
  checks = query_text (store, "SELECT count (*) FROM token_key_check");
  g_assert_cmpstr (checks, ==, "1");

  again = instasync_store_load_token_key (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, key);
  g_clear_pointer (&again, instasync_secret_free);

  /* The key file is gone (another user, a run without the session bus):
   * nothing is made, and the error says what to do. */
  g_assert_cmpint (g_unlink (dir.key_path), ==, 0);
  g_assert_null (instasync_store_load_token_key (store, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY);
  g_assert_nonnull (strstr (error->message, "INSTASYNC_TOKEN_KEY"));
  g_assert_nonnull (strstr (error->message, "No new key"));
  g_clear_error (&error);
  g_assert_false (g_file_test (dir.key_path, G_FILE_TEST_EXISTS));

  /* The right key from the environment works at once. */
  g_setenv ("INSTASYNC_TOKEN_KEY", key, TRUE);
  again = instasync_store_load_token_key (store, &error);
  g_assert_no_error (error);
  g_clear_pointer (&again, instasync_secret_free);

  /* A wrong one fails at start, clearly, and shows no key. */
  g_setenv ("INSTASYNC_TOKEN_KEY", "a different key", TRUE);
  g_assert_null (instasync_store_load_token_key (store, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY);
  g_assert_nonnull (strstr (error->message, "does not match the stored tokens"));
  g_assert_null (strstr (error->message, "a different key"));
  g_clear_error (&error);

  /* And it cannot seal a token beside the others. */
  g_assert_false (instasync_store_add_account (store, OTHER, "two", TOKEN, "a different key",
                                               &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY);
  g_clear_error (&error);
  g_clear_pointer (&checks, g_free);
  checks = query_text (store, "SELECT count (*) FROM user_tokens");
  g_assert_cmpstr (checks, ==, "1");

  /* Without the check value (a role that never sealed a token, such as a
   * worker), a wrong key still fails at start: it opens no token. */
  exec_ok (store, "DELETE FROM token_key_check");
  g_assert_null (instasync_store_load_token_key (store, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY);
  g_assert_nonnull (strstr (error->message, "does not match the stored tokens"));
  g_clear_error (&error);
  g_clear_pointer (&checks, g_free);
  checks = query_text (store, "SELECT count (*) FROM token_key_check");
  g_assert_cmpstr (checks, ==, "0");
  g_setenv ("INSTASYNC_TOKEN_KEY", key, TRUE);
  again = instasync_store_load_token_key (store, &error);
  g_assert_no_error (error);
  g_clear_pointer (&checks, g_free);
  checks = query_text (store, "SELECT count (*) FROM token_key_check");
  g_assert_cmpstr (checks, ==, "1");

  key_dir_clear (&dir);
}

/* A sealed token copied into another account's row does not open there. */
static void
test_moved_ciphertext (void)
{
  KeyDir dir = { 0 };
  g_autoptr(InstaSyncStore) store = fresh_store (&dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncSecret) token = NULL;

  g_assert_true (instasync_store_add_account (store, ACCOUNT, "one", TOKEN, KEY, &error));
  g_assert_no_error (error);
  g_assert_true (instasync_store_add_account (store, OTHER, "two", "EAAGother-token", KEY, &error));
  g_assert_no_error (error);

  exec_ok (store, "UPDATE user_tokens SET token_sealed = "
                  "(SELECT token_sealed FROM user_tokens WHERE ig_user_id = '" ACCOUNT "') "
                  "WHERE ig_user_id = '" OTHER "'");
  token = instasync_store_get_token (store, OTHER, KEY, &error);
  g_assert_null (token);
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY);
  g_clear_error (&error);

  token = instasync_store_get_token (store, ACCOUNT, KEY, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, TOKEN);

  key_dir_clear (&dir);
}

/* Tokens an earlier version stored through pgcrypto: the key opens them in
 * the client, they are sealed anew, and the key is pinned. */
static void
test_legacy_tokens_migrated (void)
{
  KeyDir dir = { 0 };
  g_autoptr(InstaSyncStore) store = fresh_store (&dir);
  g_autoptr(InstaSyncSecret) key = NULL;
  g_autoptr(InstaSyncSecret) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *left = NULL;
  g_autofree char *checks = NULL;

  exec_ok (store, "INSERT INTO instagram_accounts (ig_user_id) VALUES ('" ACCOUNT "'), ('" OTHER "')");
  exec_ok (store, "INSERT INTO user_tokens (ig_user_id, token_encrypted) VALUES "
                  "('" ACCOUNT "', pgp_sym_encrypt ('" TOKEN "', '" KEY "')), "
                  "('" OTHER "', pgp_sym_encrypt ('EAAGother-token', '" KEY "', 'cipher-algo=aes256'))");

  /* Tokens exist: without a key, none is made. */
  g_assert_null (instasync_store_load_token_key (store, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY);
  g_clear_error (&error);
  g_assert_false (g_file_test (dir.key_path, G_FILE_TEST_EXISTS));

  /* A wrong key opens none, and changes nothing. */
  g_setenv ("INSTASYNC_TOKEN_KEY", "a different key", TRUE);
  g_assert_null (instasync_store_load_token_key (store, &error));
  g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_KEY);
  g_assert_nonnull (strstr (error->message, "does not match the stored tokens"));
  g_clear_error (&error);
  left = query_text (store, "SELECT count (*) FROM user_tokens WHERE token_encrypted IS NOT NULL");
  g_assert_cmpstr (left, ==, "2");
  g_clear_pointer (&left, g_free);

  g_setenv ("INSTASYNC_TOKEN_KEY", KEY, TRUE);
  key = instasync_store_load_token_key (store, &error);
  g_assert_no_error (error);
  left = query_text (store, "SELECT count (*) FROM user_tokens WHERE token_encrypted IS NOT NULL "
                            "OR token_sealed IS NULL OR token_fingerprint IS NULL");
  g_assert_cmpstr (left, ==, "0");
  checks = query_text (store, "SELECT count (*) FROM token_key_check");
  g_assert_cmpstr (checks, ==, "1");

  token = instasync_store_get_token (store, OTHER, key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "EAAGother-token");
  g_clear_pointer (&token, instasync_secret_free);

  /* Rotation compares fingerprints, which the migration wrote. */
  g_assert_true (instasync_store_rotate_token (store, ACCOUNT, TOKEN, "EAAGrotated", 0, key,
                                               &error));
  g_assert_no_error (error);
  token = instasync_store_get_token (store, ACCOUNT, key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "EAAGrotated");

  key_dir_clear (&dir);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/token-cipher/seal-round-trip", test_seal_round_trip);
  g_test_add_func ("/token-cipher/seal-refuses", test_seal_refuses);
  g_test_add_func ("/token-cipher/fingerprint-and-check", test_fingerprint_and_check);
  g_test_add_func ("/token-cipher/pgcrypto-options", test_pgcrypto_options);
  g_test_add_func ("/token-cipher/pgcrypto-refused", test_pgcrypto_refused);
  g_test_add_func ("/token-cipher/no-new-key-while-tokens-exist", test_no_new_key_while_tokens_exist);
  g_test_add_func ("/token-cipher/moved-ciphertext", test_moved_ciphertext);
  g_test_add_func ("/token-cipher/legacy-tokens-migrated", test_legacy_tokens_migrated);

  shared_pg = instasync_test_pg_start_checked ();
  status = g_test_run ();
  instasync_test_pg_free (shared_pg);
  return status;
}
