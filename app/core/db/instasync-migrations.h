/* instasync-migrations.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

/* One numbered file of sql/, as built into the binaries. */
typedef struct
{
  guint  version;   /* the number the file name starts with */
  char  *name;      /* the rest of the name, without ".sql" */
  char  *sql;
} InstaSyncMigration;

void       instasync_migration_free     (InstaSyncMigration  *migration);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (InstaSyncMigration, instasync_migration_free)

/* Every migration, lowest version first (InstaSyncMigration*). */
GPtrArray *instasync_migrations_list    (GError             **error);

/* Applies the migrations @conn's database does not list in
 * schema_migrations yet, each in its own transaction under an advisory lock,
 * so that processes migrating at the same time apply each one once. */
gboolean   instasync_migrations_apply   (PGconn              *conn,
                                         guint               *n_applied,
                                         GError             **error);

G_END_DECLS
