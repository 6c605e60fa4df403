/* instasync-pg-util.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS


/* Sets an INSTASYNC_ERROR_DATABASE error for a failed statement. @result may
 * be NULL; @what says what we were doing ("reading the accounts"). Every
 * occurrence of @secret (may be NULL) in the server's message is replaced, so
 * that a token can never reach a log or a dialog through an error. */
void      instasync_pg_set_error        (GError        **error,
                                         PGconn         *conn,
                                         const PGresult *result,
                                         const char     *what,
                                         const char     *secret);

/* Checks that @result has @expected status, sets the error otherwise. Does
 * not free @result. */
gboolean  instasync_pg_check_result     (PGconn         *conn,
                                         const PGresult *result,
                                         ExecStatusType  expected,
                                         const char     *what,
                                         const char     *secret,
                                         GError        **error);

/* Runs a statement without parameters or results (BEGIN, COMMIT, ...). */
gboolean  instasync_pg_exec_command     (PGconn         *conn,
                                         const char     *sql,
                                         const char     *what,
                                         GError        **error);

/* Ends a failed transaction; failures are ignored because the statement that
 * failed already set the error the caller reports. */
void      instasync_pg_rollback         (PGconn         *conn);

/* The sslmode InstaSync adds to @conninfo: "verify-full" when the server is
 * reached over a network (any host that is not a Unix socket or loopback)
 * and neither the connection string nor PGSSLMODE chooses a mode; NULL
 * otherwise. libpq's own default, "prefer", falls back to plain text
 * without a word and checks no certificate. */
const char *instasync_pg_default_sslmode (const char *conninfo);

/* Connects with @conninfo (a connection string or URI) as InstaSync does:
 * UTF-8, application name "instasync" unless the string names one, the
 * default sslmode above and, when @connect_timeout is not NULL, that many
 * seconds at most to connect unless the string says otherwise. Never NULL
 * (libpq's out-of-memory aside); check PQstatus(). */
PGconn     *instasync_pg_connect         (const char *conninfo,
                                          const char *connect_timeout);

/* The SQLSTATE of @result, or "" when there is none. */
const char *instasync_pg_sqlstate       (const PGresult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

G_END_DECLS
