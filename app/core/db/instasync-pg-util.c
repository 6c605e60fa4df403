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

#include <gio/gio.h>

#include "instasync-error.h"
#include "instasync-pg-util.h"
#include "instasync-redact.h"

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

/* A host that is this machine: a Unix socket directory (or an abstract
 * socket, "@name"), localhost or a loopback address. */
static gboolean
is_local_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host[0] == '/' || host[0] == '@' || g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* Every entry of a comma-separated host list is local (an empty list is
 * the default Unix socket). */
static gboolean
all_local (const char *hosts)
{
  g_auto(GStrv) entries = NULL;

  if (hosts == NULL || *hosts == '\0')
    return TRUE;

  entries = g_strsplit (hosts, ",", -1);
  for (guint i = 0; entries[i] != NULL; i++)
    if (*g_strstrip (entries[i]) != '\0' && !is_local_host (entries[i]))
      return FALSE;
  return TRUE;
}

const char *
instasync_pg_default_sslmode (const char *conninfo)
{
  PQconninfoOption *options;
  const char *host = NULL;
  const char *hostaddr = NULL;
  gboolean chosen = FALSE;
  gboolean local;
  char *message = NULL;

  options = PQconninfoParse (conninfo != NULL ? conninfo : "", &message);
  if (options == NULL)
    {
      /* Connecting reports what is wrong with it. */
      PQfreemem (message);
      return NULL;
    }

  for (PQconninfoOption *option = options; option->keyword != NULL; option++)
    {
      if (option->val == NULL)
        continue;
      if (g_str_equal (option->keyword, "sslmode") || g_str_equal (option->keyword, "requiressl"))
        chosen = TRUE;
      else if (g_str_equal (option->keyword, "host"))
        host = option->val;
      else if (g_str_equal (option->keyword, "hostaddr"))
        hostaddr = option->val;
    }

  if (host == NULL)
    host = g_getenv ("PGHOST");
  if (hostaddr == NULL)
    hostaddr = g_getenv ("PGHOSTADDR");
  chosen = chosen || g_getenv ("PGSSLMODE") != NULL || g_getenv ("PGREQUIRESSL") != NULL;
  /* libpq connects to hostaddr when both are given. */
  local = hostaddr != NULL && *hostaddr != '\0' ? all_local (hostaddr) : all_local (host);

  PQconninfoFree (options);
  return chosen || local ? NULL : "verify-full";
}

PGconn *
instasync_pg_connect (const char *conninfo,
                      const char *connect_timeout)
{
  const char *keywords[6];
  const char *values[6];
  const char *sslmode = instasync_pg_default_sslmode (conninfo);
  guint n = 0;

  /* From here on the password appears in no output, whatever libpq says
   * about the string. */
  instasync_redact_register_conninfo (conninfo);

  /* Keywords before "dbname" are defaults that the expanded connection
   * string overrides; those after it are fixed. */
  if (sslmode != NULL)
    {
      keywords[n] = "sslmode";
      values[n++] = sslmode;
    }
  if (connect_timeout != NULL)
    {
      keywords[n] = "connect_timeout";
      values[n++] = connect_timeout;
    }
  keywords[n] = "dbname";
  values[n++] = conninfo != NULL ? conninfo : "";
  /* Every string we send and read is UTF-8; fallback_application_name lets
   * a connection string choose its own. */
  keywords[n] = "client_encoding";
  values[n++] = "UTF8";
  keywords[n] = "fallback_application_name";
  values[n++] = "instasync";
  keywords[n] = NULL;
  values[n] = NULL;

  return PQconnectdbParams (keywords, values, 1);
}
