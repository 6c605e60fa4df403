/* instasync-pg-util.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-store"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "instasync-error.h"
#include "instasync-pg-util.h"

static char *
redact (const char *message,
        const char *secret)
{
  g_auto(GStrv) parts = NULL;

  if (secret == NULL || *secret == '\0' || strstr (message, secret) == NULL)
    return g_strdup (message);

  parts = g_strsplit (message, secret, -1);
  return g_strjoinv ("[redacted]", parts);
}

void
instasync_pg_set_error (GError        **error,
                        PGconn         *conn,
                        const PGresult *result,
                        const char     *what,
                        const char     *secret)
{
  const char *message = NULL;
  g_autofree char *clean = NULL;

  if (result != NULL)
    message = PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY);
  if ((message == NULL || *message == '\0') && result != NULL)
    message = PQresultErrorMessage (result);
  if ((message == NULL || *message == '\0') && conn != NULL)
    message = PQerrorMessage (conn);
  if (message == NULL || *message == '\0')
    message = _("no message from the server");

  clean = redact (message, secret);
  g_strstrip (clean);

  if (conn != NULL && PQstatus (conn) == CONNECTION_BAD)
    /* Translators: the first %s says what was being done, e.g. "reading the
     * accounts"; the second is the database's own message */
    g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE,
                 _("The connection to the database was lost while %s: %s"),
                 _(what), clean);
  else
    g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE,
                 /* Translators: the first %s says what was being done, e.g.
                  * "reading the accounts"; the second is the database's own message */
                 _("The database reported an error while %s: %s"), _(what), clean);
}

gboolean
instasync_pg_check_result (PGconn         *conn,
                           const PGresult *result,
                           ExecStatusType  expected,
                           const char     *what,
                           const char     *secret,
                           GError        **error)
{
  if (result != NULL && PQresultStatus (result) == expected)
    return TRUE;

  instasync_pg_set_error (error, conn, result, what, secret);
  return FALSE;
}

gboolean
instasync_pg_exec_command (PGconn     *conn,
                           const char *sql,
                           const char *what,
                           GError    **error)
{
  g_autoptr(PGresult) result = PQexec (conn, sql);

  return instasync_pg_check_result (conn, result, PGRES_COMMAND_OK, what, NULL, error);
}

void
instasync_pg_rollback (PGconn *conn)
{
  if (PQstatus (conn) != CONNECTION_OK)
    return;

  PQclear (PQexec (conn, "ROLLBACK"));
}

const char *
instasync_pg_sqlstate (const PGresult *result)
{
  const char *state = result != NULL ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;

  return state != NULL ? state : "";
}
