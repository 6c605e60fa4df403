/* instasync-test-pg.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "instasync-embedded-db.h"
#include "instasync-store.h"

G_BEGIN_DECLS

/* A throwaway PostgreSQL cluster in a fresh temporary directory, for tests
 * that need a real server. Tests fail, never skip, when it cannot start:
 * a database test that silently does nothing proves nothing. */
typedef struct _InstaSyncTestPg InstaSyncTestPg;

InstaSyncTestPg     *instasync_test_pg_start            (GError          **error);
/* The same, for tests: a cluster that cannot start fails the test. */
InstaSyncTestPg     *instasync_test_pg_start_checked    (void);
const char          *instasync_test_pg_get_conninfo     (InstaSyncTestPg  *pg);
/* The cluster's embedded database object, to stop and restart the server. */
InstaSyncEmbeddedDb *instasync_test_pg_get_embedded_db  (InstaSyncTestPg  *pg);
/* The temporary directory; the cluster lives in its "cluster" subfolder. */
const char          *instasync_test_pg_get_dir          (InstaSyncTestPg  *pg);
/* A new connection with every migration applied. */
InstaSyncStore      *instasync_test_pg_connect_migrated (InstaSyncTestPg  *pg,
                                                         GError          **error);
/* A fresh temporary directory the server user can enter (see
 * instasync_test_pg_start), and its removal with everything inside. */
char                *instasync_test_pg_make_tmp_dir     (GError          **error);
void                 instasync_test_pg_remove_tree      (const char       *path);
/* Every row of every table outside the system schemas, as the text of
 * `SELECT t::text FROM <table> t`, one row a line under a "-- <table>"
 * line; bytea columns come out as \x and hex. For tests that search a
 * database for secrets. */
char                *instasync_test_pg_dump_all         (const char       *conninfo);
/* Fails the test when @secret, or its bytes in lowercase hex (as bytea
 * prints), appears in @haystack. @what names the secret and @where the
 * haystack in the failure message. */
void                 instasync_test_assert_secret_absent (const char      *haystack,
                                                          const char      *where,
                                                          const char      *secret,
                                                          const char      *what);
/* Stops the server and removes the directory. */
/* Records in the database at @conninfo what a first sync would learn with
 * a probe of reach: that the simulator at @graph_url (version 22) holds the
 * buckets overlapping a window (its default reading), and that every
 * account stored so far has US-Pacific days. For tests that count the
 * calls of the sync itself. */
void                 instasync_test_pg_assume_default_days (const char *conninfo,
                                                            const char *graph_url);
void                 instasync_test_pg_free             (InstaSyncTestPg  *pg);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InstaSyncTestPg, instasync_test_pg_free)

G_END_DECLS
