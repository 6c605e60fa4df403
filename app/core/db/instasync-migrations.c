/* instasync-migrations.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-migrations"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "instasync-db-resources.h"
#include "instasync-error.h"
#include "instasync-migrations.h"
#include "instasync-pg-util.h"

#define SQL_RESOURCE_PATH "/com/credify/InstaSync/sql"

/* Any constant will do as long as nothing else in the database uses it:
 * every InstaSync process takes the same lock before it looks at
 * schema_migrations. */
#define MIGRATION_LOCK_KEY "7383160220521"

void
instasync_migration_free (InstaSyncMigration *migration)
{
  if (migration == NULL)
    return;

  g_free (migration->name);
  g_free (migration->sql);
  g_free (migration);
}

static int
compare_migrations (gconstpointer a,
                    gconstpointer b)
{
  const InstaSyncMigration *ma = *(InstaSyncMigration * const *) a;
  const InstaSyncMigration *mb = *(InstaSyncMigration * const *) b;

  return (ma->version > mb->version) - (ma->version < mb->version);
}

static InstaSyncMigration *
load_migration (GResource   *resource,
                const char  *file_name,
                GError     **error)
{
  g_autoptr(InstaSyncMigration) migration = g_new0 (InstaSyncMigration, 1);
  g_autofree char *path = g_build_path ("/", SQL_RESOURCE_PATH, file_name, NULL);
  g_autoptr(GBytes) bytes = NULL;
  guint64 version;
  char *end = NULL;

  /* "0001_initial.sql": the number orders the files, the rest names them. */
  version = g_ascii_strtoull (file_name, &end, 10);
  if (end == file_name || *end != '_' || version == 0 || version > G_MAXINT)
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_FAILED,
                   _("The migration %s does not start with a version number"), file_name);
      return NULL;
    }

  bytes = g_resource_lookup_data (resource, path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;

  migration->version = (guint) version;
  migration->name = g_strndup (end + 1, strlen (end + 1) - strlen (".sql"));
  migration->sql = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  return g_steal_pointer (&migration);
}

GPtrArray *
instasync_migrations_list (GError **error)
{
  GResource *resource = instasync_db_get_resource ();
  g_autoptr(GPtrArray) migrations = g_ptr_array_new_with_free_func ((GDestroyNotify) instasync_migration_free);
  g_auto(GStrv) names = NULL;

  names = g_resource_enumerate_children (resource, SQL_RESOURCE_PATH,
                                         G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (names == NULL)
    return NULL;

  for (guint i = 0; names[i] != NULL; i++)
    {
      InstaSyncMigration *migration;

      if (!g_str_has_suffix (names[i], ".sql"))
        continue;

      migration = load_migration (resource, names[i], error);
      if (migration == NULL)
        return NULL;
      g_ptr_array_add (migrations, migration);
    }

  g_ptr_array_sort (migrations, compare_migrations);

  for (guint i = 1; i < migrations->len; i++)
    {
      const InstaSyncMigration *prev = g_ptr_array_index (migrations, i - 1);
      const InstaSyncMigration *cur = g_ptr_array_index (migrations, i);

      if (prev->version == cur->version)
        {
          g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_FAILED,
                       _("Two migrations have the version %u"), cur->version);
          return NULL;
        }
    }

  return g_steal_pointer (&migrations);
}

/* Opens a transaction that holds the migration lock until it ends. The lock
 * is transaction-level so that it can never outlive a failed migration. */
static gboolean
begin_locked (PGconn  *conn,
              GError **error)
{
  g_autoptr(PGresult) result = NULL;

  if (!instasync_pg_exec_command (conn, "BEGIN", N_("starting a migration"), error))
    return FALSE;

  result = PQexec (conn, "SELECT pg_advisory_xact_lock (" MIGRATION_LOCK_KEY ")");
  if (!instasync_pg_check_result (conn, result, PGRES_TUPLES_OK,
                                  N_("waiting for other migrations"), NULL, error))
    {
      instasync_pg_rollback (conn);
      return FALSE;
    }

  return TRUE;
}

static gboolean
ensure_migrations_table (PGconn  *conn,
                         GError **error)
{
  g_autoptr(PGresult) exists = NULL;

  /* A user's or a worker's role may not create tables (PostgreSQL 15 takes
   * CREATE on the public schema from PUBLIC), and even CREATE TABLE IF NOT
   * EXISTS asks for that right: look first, so that such a role can still
   * see that the schema is current. */
  exists = PQexec (conn, "SELECT to_regclass ('schema_migrations') IS NOT NULL");
  if (!instasync_pg_check_result (conn, exists, PGRES_TUPLES_OK,
                                  N_("looking for schema_migrations"), NULL, error))
    return FALSE;
  if (g_strcmp0 (PQgetvalue (exists, 0, 0), "t") == 0)
    return TRUE;

  /* Created under the lock: two concurrent CREATE TABLE IF NOT EXISTS can
   * still collide on the catalog otherwise. */
  if (!begin_locked (conn, error))
    return FALSE;

  if (!instasync_pg_exec_command (conn,
                                  "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                  "  version integer PRIMARY KEY,"
                                  "  name text NOT NULL,"
                                  "  applied_at timestamptz NOT NULL DEFAULT now())",
                                  N_("creating schema_migrations"), error))
    {
      instasync_pg_rollback (conn);
      return FALSE;
    }

  return instasync_pg_exec_command (conn, "COMMIT", N_("creating schema_migrations"), error);
}

/* Applies @migration unless it is already recorded. Returns TRUE and sets
 * @applied accordingly, or FALSE with nothing changed. */
static gboolean
apply_one (PGconn                   *conn,
           const InstaSyncMigration *migration,
           gboolean                 *applied,
           GError                  **error)
{
  g_autofree char *version = g_strdup_printf ("%u", migration->version);
  /* Translators: the name of a migration file, e.g. "0001_init" */
  g_autofree char *what = g_strdup_printf (_("applying migration %04u_%s"),
                                           migration->version, migration->name);
  const char *params[2] = { version, migration->name };
  g_autoptr(PGresult) seen = NULL;
  g_autoptr(PGresult) run = NULL;
  g_autoptr(PGresult) record = NULL;

  *applied = FALSE;

  if (!begin_locked (conn, error))
    return FALSE;

  /* Checked under the lock: another process may have applied it while we
   * were waiting. */
  seen = PQexecParams (conn, "SELECT 1 FROM schema_migrations WHERE version = $1::integer",
                       1, NULL, params, NULL, NULL, 0);
  if (!instasync_pg_check_result (conn, seen, PGRES_TUPLES_OK, what, NULL, error))
    goto fail;

  if (PQntuples (seen) > 0)
    return instasync_pg_exec_command (conn, "COMMIT", what, error);

  /* PQexec runs every statement of the file within our transaction. */
  run = PQexec (conn, migration->sql);
  if (run == NULL ||
      (PQresultStatus (run) != PGRES_COMMAND_OK && PQresultStatus (run) != PGRES_TUPLES_OK))
    {
      instasync_pg_set_error (error, conn, run, what, NULL);
      goto fail;
    }

  record = PQexecParams (conn,
                         "INSERT INTO schema_migrations (version, name) VALUES ($1::integer, $2)",
                         2, NULL, params, NULL, NULL, 0);
  if (!instasync_pg_check_result (conn, record, PGRES_COMMAND_OK, what, NULL, error))
    goto fail;

  if (!instasync_pg_exec_command (conn, "COMMIT", what, error))
    return FALSE;

  g_debug ("Applied migration %04u_%s", migration->version, migration->name);
  *applied = TRUE;
  return TRUE;

fail:
  instasync_pg_rollback (conn);
  return FALSE;
}

gboolean
instasync_migrations_apply (PGconn  *conn,
                            guint   *n_applied,
                            GError **error)
{
  g_autoptr(GPtrArray) migrations = NULL;
  guint count = 0;

  if (n_applied != NULL)
    *n_applied = 0;

  migrations = instasync_migrations_list (error);
  if (migrations == NULL)
    return FALSE;

  if (!ensure_migrations_table (conn, error))
    return FALSE;

  for (guint i = 0; i < migrations->len; i++)
    {
      gboolean applied;

      if (!apply_one (conn, g_ptr_array_index (migrations, i), &applied, error))
        return FALSE;
      if (applied)
        count++;
    }

  if (n_applied != NULL)
    *n_applied = count;

  return TRUE;
}
