/* instasync-test-pg.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-test-pg"

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "instasync-test-pg.h"

struct _InstaSyncTestPg
{
  char                *dir;
  InstaSyncEmbeddedDb *db;
};

char *
instasync_test_pg_make_tmp_dir (GError **error)
{
  g_autofree char *dir = g_dir_make_tmp ("instasync-test-XXXXXX", error);

  if (dir == NULL)
    return NULL;

  /* As root the server runs as the postgres user, which must be able to
   * enter this directory to reach the cluster inside it. */
  if (g_chmod (dir, 0711) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Could not open up %s: %s", dir, g_strerror (saved_errno));
      g_rmdir (dir);
      return NULL;
    }

  return g_steal_pointer (&dir);
}

InstaSyncTestPg *
instasync_test_pg_start (GError **error)
{
  g_autoptr(InstaSyncTestPg) pg = g_new0 (InstaSyncTestPg, 1);
  g_autofree char *cluster_dir = NULL;

  pg->dir = instasync_test_pg_make_tmp_dir (error);
  if (pg->dir == NULL)
    return NULL;

  cluster_dir = g_build_filename (pg->dir, "cluster", NULL);
  pg->db = instasync_embedded_db_new (cluster_dir);
  instasync_embedded_db_set_throwaway (pg->db, TRUE);
  if (!instasync_embedded_db_start (pg->db, error))
    return NULL;

  return g_steal_pointer (&pg);
}

InstaSyncTestPg *
instasync_test_pg_start_checked (void)
{
  g_autoptr(GError) error = NULL;
  InstaSyncTestPg *pg = instasync_test_pg_start (&error);

  g_assert_no_error (error);
  g_assert_nonnull (pg);
  return pg;
}

const char *
instasync_test_pg_get_conninfo (InstaSyncTestPg *pg)
{
  g_return_val_if_fail (pg != NULL, NULL);

  return instasync_embedded_db_get_conninfo (pg->db);
}

InstaSyncEmbeddedDb *
instasync_test_pg_get_embedded_db (InstaSyncTestPg *pg)
{
  g_return_val_if_fail (pg != NULL, NULL);

  return pg->db;
}

const char *
instasync_test_pg_get_dir (InstaSyncTestPg *pg)
{
  g_return_val_if_fail (pg != NULL, NULL);

  return pg->dir;
}

InstaSyncStore *
instasync_test_pg_connect_migrated (InstaSyncTestPg  *pg,
                                    GError          **error)
{
  g_autoptr(InstaSyncStore) store = NULL;

  g_return_val_if_fail (pg != NULL, NULL);

  store = instasync_store_connect (instasync_test_pg_get_conninfo (pg), error);
  if (store == NULL || !instasync_store_migrate (store, NULL, error))
    return NULL;

  return g_steal_pointer (&store);
}

char *
instasync_test_pg_dump_all (const char *conninfo)
{
  PGconn *conn;
  PGresult *tables;
  GString *dump = g_string_new (NULL);

  g_return_val_if_fail (conninfo != NULL, NULL);

  conn = PQconnectdb (conninfo);
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  tables = PQexec (conn, "SELECT quote_ident (table_schema) || '.' || quote_ident (table_name) "
                         "FROM information_schema.tables "
                         "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') "
                         "AND table_type = 'BASE TABLE' "
                         "ORDER BY 1");
  g_assert_cmpint (PQresultStatus (tables), ==, PGRES_TUPLES_OK);

  for (int i = 0; i < PQntuples (tables); i++)
    {
      const char *table = PQgetvalue (tables, i, 0);
      g_autofree char *sql = g_strdup_printf ("SELECT t::text FROM %s t", table);
      PGresult *rows = PQexec (conn, sql);

      g_assert_cmpint (PQresultStatus (rows), ==, PGRES_TUPLES_OK);
      g_string_append_printf (dump, "-- %s\n", table);
      for (int r = 0; r < PQntuples (rows); r++)
        {
          g_string_append (dump, PQgetvalue (rows, r, 0));
          g_string_append_c (dump, '\n');
        }
      PQclear (rows);
    }

  PQclear (tables);
  PQfinish (conn);
  return g_string_free (dump, FALSE);
}

void
instasync_test_assert_secret_absent (const char *haystack,
                                     const char *where,
                                     const char *secret,
                                     const char *what)
{
  g_autoptr(GString) hex = g_string_new (NULL);
  g_autofree char *lower = NULL;

  g_return_if_fail (haystack != NULL);
  g_return_if_fail (secret != NULL && *secret != '\0');

  for (const guchar *p = (const guchar *)secret; *p != '\0'; p++)
    g_string_append_printf (hex, "%02x", *p);
  lower = g_ascii_strdown (haystack, -1);

  if (strstr (haystack, secret) != NULL || strstr (lower, hex->str) != NULL)
    g_error ("%s (%s) appears in %s", what, secret, where);
}

static void
remove_tree_file (GFile *file)
{
  g_autoptr(GFileEnumerator) children = NULL;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (children != NULL)
    {
      GFileInfo *info;
      GFile *child;

      while (g_file_enumerator_iterate (children, &info, &child, NULL, NULL) && info != NULL)
        {
          if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
            remove_tree_file (child);
          else
            g_file_delete (child, NULL, NULL);
        }
    }

  g_file_delete (file, NULL, NULL);
}

void
instasync_test_pg_remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  remove_tree_file (file);
}

void
instasync_test_pg_free (InstaSyncTestPg *pg)
{
  if (pg == NULL)
    return;

  if (pg->db != NULL)
    {
      g_autoptr(GError) error = NULL;

      /* The test may have left connections open; a throwaway cluster goes
       * whoever is connected. */
      if (!instasync_embedded_db_stop_force (pg->db, &error))
        g_printerr ("# Could not stop the test database: %s\n", error->message);
      g_clear_object (&pg->db);
    }

  if (pg->dir != NULL)
    {
      instasync_test_pg_remove_tree (pg->dir);
      g_free (pg->dir);
    }

  g_free (pg);
}

void
instasync_test_pg_assume_default_days (const char *conninfo,
                                       const char *graph_url)
{
  g_autoptr(GUri) uri = g_uri_parse (graph_url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *host = NULL;
  const char *params[1];
  PGconn *conn = PQconnectdb (conninfo);
  PGresult *result;

  g_assert_nonnull (uri);
  host = g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
  params[0] = host;
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);

  result = PQexecParams (conn,
                         "INSERT INTO graph_api_readings (api_host, api_version, "
                         "  time_series_reading, total_value_reading) "
                         "VALUES ($1, 22, 'overlap', 'overlap') ON CONFLICT DO NOTHING",
                         1, NULL, params, NULL, NULL, 0);
  g_assert_cmpstr (PQresultErrorMessage (result), ==, "");
  PQclear (result);

  result = PQexec (conn, "UPDATE instagram_accounts SET day_zone = 'America/Los_Angeles' "
                         "WHERE day_zone IS NULL");
  g_assert_cmpstr (PQresultErrorMessage (result), ==, "");
  PQclear (result);
  PQfinish (conn);
}
