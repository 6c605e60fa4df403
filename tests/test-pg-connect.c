/* test-pg-connect.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A database reached over a network is used with TLS and a checked
 * certificate (sslmode=verify-full) unless the connection string or the
 * environment chooses otherwise; Unix sockets and loopback are left alone.
 */

#include "config.h"

#include <libpq-fe.h>

#include "instasync-pg-util.h"

static void
test_default_sslmode (void)
{
  const struct {
    const char *conninfo;
    const char *expected;
  } cases[] = {
    { "", NULL },
    { "dbname=instasync", NULL },
    { "host=/run/postgresql dbname=instasync", NULL },
    { "host=@abstract", NULL },
    { "host=localhost", NULL },
    { "host=LOCALHOST port=5433", NULL },
    { "host=127.0.0.1", NULL },
    { "host=127.1.2.3", NULL },
    { "host=::1", NULL },
    { "postgresql:///instasync?host=/tmp", NULL },
    { "postgresql://localhost/instasync", NULL },
    { "postgresql://[::1]:5432/instasync", NULL },
    { "host=db.example.com", "verify-full" },
    { "host=192.0.2.10 dbname=x", "verify-full" },
    { "postgresql://user:secret@db.example.com:6543/postgres", "verify-full" },
    { "postgresql://user@aws-0-eu-central-1.pooler.supabase.com/postgres", "verify-full" },
    { "host=localhost,db.example.com", "verify-full" },
    /* libpq connects to hostaddr when both are there. */
    { "host=localhost hostaddr=192.0.2.10", "verify-full" },
    { "host=db.example.com hostaddr=127.0.0.1", NULL },
    /* The string's own choice stands. */
    { "host=db.example.com sslmode=require", NULL },
    { "host=db.example.com sslmode=disable", NULL },
    { "postgresql://db.example.com/x?sslmode=verify-ca&sslrootcert=/etc/ca.crt", NULL },
    /* Connecting reports a malformed string; no default is made up. */
    { "host='unterminated", NULL },
  };

  g_unsetenv ("PGHOST");
  g_unsetenv ("PGHOSTADDR");
  g_unsetenv ("PGSSLMODE");
  g_unsetenv ("PGREQUIRESSL");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].conninfo);
      g_assert_cmpstr (instasync_pg_default_sslmode (cases[i].conninfo), ==, cases[i].expected);
    }

  /* The environment counts as the connection string does. */
  g_setenv ("PGHOST", "db.example.com", TRUE);
  g_assert_cmpstr (instasync_pg_default_sslmode ("dbname=x"), ==, "verify-full");
  g_assert_cmpstr (instasync_pg_default_sslmode ("host=/tmp dbname=x"), ==, NULL);
  g_setenv ("PGSSLMODE", "require", TRUE);
  g_assert_cmpstr (instasync_pg_default_sslmode ("dbname=x"), ==, NULL);
  g_unsetenv ("PGSSLMODE");
  g_unsetenv ("PGHOST");
}

static const char *
option_in_use (PGconn     *conn,
               const char *keyword,
               char      **value)
{
  PQconninfoOption *options = PQconninfo (conn);

  *value = NULL;
  for (PQconninfoOption *option = options; option->keyword != NULL; option++)
    if (g_str_equal (option->keyword, keyword) && option->val != NULL)
      *value = g_strdup (option->val);
  PQconninfoFree (options);
  return *value;
}

/* The connection libpq actually tried used the mode, and a mode in the
 * string wins over it. The host does not resolve: nothing leaves the
 * machine. */
static void
test_connect_applies_it (void)
{
  PGconn *conn;
  g_autofree char *sslmode = NULL;
  g_autofree char *timeout = NULL;
  g_autofree char *encoding = NULL;

  conn = instasync_pg_connect ("host=db.invalid port=1 dbname=x", "1");
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_BAD);
  g_assert_cmpstr (option_in_use (conn, "sslmode", &sslmode), ==, "verify-full");
  g_assert_cmpstr (option_in_use (conn, "connect_timeout", &timeout), ==, "1");
  g_assert_cmpstr (option_in_use (conn, "client_encoding", &encoding), ==, "UTF8");
  PQfinish (conn);
  g_clear_pointer (&sslmode, g_free);
  g_clear_pointer (&timeout, g_free);

  conn = instasync_pg_connect ("postgresql://db.invalid:1/x?sslmode=require&connect_timeout=2", "1");
  g_assert_cmpstr (option_in_use (conn, "sslmode", &sslmode), ==, "require");
  g_assert_cmpstr (option_in_use (conn, "connect_timeout", &timeout), ==, "2");
  PQfinish (conn);
  g_clear_pointer (&sslmode, g_free);

  conn = instasync_pg_connect ("host=/nonexistent-socket-dir port=1 dbname=x", NULL);
  g_assert_cmpstr (option_in_use (conn, "sslmode", &sslmode), ==, "prefer");
  PQfinish (conn);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pg-connect/default-sslmode", test_default_sslmode);
  g_test_add_func ("/pg-connect/connect-applies-it", test_connect_applies_it);

  return g_test_run ();
}
