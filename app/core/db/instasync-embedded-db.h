/* instasync-embedded-db.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* A private PostgreSQL cluster in a directory of ours, reachable through a
 * Unix socket only. Used when INSTASYNC_DATABASE_URL is unset, and by the
 * tests for their throwaway clusters. */
#define INSTASYNC_TYPE_EMBEDDED_DB (instasync_embedded_db_get_type ())

G_DECLARE_FINAL_TYPE (InstaSyncEmbeddedDb, instasync_embedded_db, INSTASYNC, EMBEDDED_DB, GObject)

/* @cluster_dir: where the cluster lives; created on first start. */
InstaSyncEmbeddedDb *instasync_embedded_db_new           (const char           *cluster_dir);
/* The default cluster: $XDG_DATA_HOME/instasync/postgres. */
char                *instasync_embedded_db_default_dir   (void);
/* initdb when the directory holds no cluster yet, start the server when it is
 * not running (a stale postmaster.pid is cleaned up), and create the
 * database. Reuses a server another process started. Any number of
 * processes may start the same cluster at once. From here until
 * instasync_embedded_db_stop() or the object's end this object counts as a
 * user of the cluster, and no other process stops the server under it. */
gboolean             instasync_embedded_db_start         (InstaSyncEmbeddedDb  *self,
                                                          GError              **error);
/* A libpq connection string for the running cluster. */
const char          *instasync_embedded_db_get_conninfo  (InstaSyncEmbeddedDb  *self);
/* Ends this object's use of the cluster, and stops the server when it was
 * the last InstaSync user, in any process, and no other client is
 * connected (fast shutdown, then immediate if that does not finish). */
gboolean             instasync_embedded_db_stop          (InstaSyncEmbeddedDb  *self,
                                                          GError              **error);
/* Stops the server whoever started it; for tests. */
gboolean             instasync_embedded_db_stop_force    (InstaSyncEmbeddedDb  *self,
                                                          GError              **error);

/* A throwaway cluster (tests, demos) skips every fsync: much faster, and a
 * crash may lose it. Set before instasync_embedded_db_start(). */
void                 instasync_embedded_db_set_throwaway (InstaSyncEmbeddedDb  *self,
                                                          gboolean              throwaway);
/* Whether a server is running on the cluster, whoever started it. */
gboolean             instasync_embedded_db_is_running    (InstaSyncEmbeddedDb  *self);
const char          *instasync_embedded_db_get_cluster_dir (InstaSyncEmbeddedDb *self);

G_END_DECLS
