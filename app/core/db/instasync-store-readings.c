/* instasync-store-readings.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-store"

#include "config.h"

#include <glib/gi18n.h>

#include "instasync-pg-util.h"
#include "instasync-store-private.h"

gboolean
instasync_store_get_window_readings (InstaSyncStore         *self,
                                     const char             *api_host,
                                     int                     api_version,
                                     InstaSyncWindowReading *time_series,
                                     InstaSyncWindowReading *total_value,
                                     gboolean               *total_value_tried,
                                     GError                **error)
{
  g_autofree char *version = g_strdup_printf ("%d", api_version);
  const char *params[] = { api_host, version };
  g_autoptr(PGresult) result = NULL;
  PGconn *conn;

  g_return_val_if_fail (INSTASYNC_IS_STORE (self), FALSE);
  g_return_val_if_fail (api_host != NULL, FALSE);

  *time_series = INSTASYNC_WINDOW_READING_UNKNOWN;
  *total_value = INSTASYNC_WINDOW_READING_UNKNOWN;
  *total_value_tried = FALSE;

  if (!instasync_store_ensure_connected (self, error))
    return FALSE;

  conn = instasync_store_get_connection (self);
  result = PQexecParams (conn,
                         "SELECT time_series_reading, total_value_reading FROM graph_api_readings "
                         "WHERE api_host = $1 AND api_version = $2::integer",
                         2, NULL, params, NULL, NULL, 0);
  if (!instasync_pg_check_result (conn, result, PGRES_TUPLES_OK,
                                  N_("reading what was learnt of the API's days"), NULL, error))
    return FALSE;

  if (PQntuples (result) == 0)
    return TRUE;

  *time_series = instasync_window_reading_from_string (PQgetvalue (result, 0, 0));
  if (!PQgetisnull (result, 0, 1))
    *total_value = instasync_window_reading_from_string (PQgetvalue (result, 0, 1));
  *total_value_tried = TRUE;
  return TRUE;
}

gboolean
instasync_store_put_window_readings (InstaSyncStore          *self,
                                     const char              *api_host,
                                     int                      api_version,
                                     InstaSyncWindowReading   time_series,
                                     InstaSyncWindowReading   total_value,
                                     GError                 **error)
{
  g_autofree char *version = g_strdup_printf ("%d", api_version);
  const char *params[] = {
    api_host, version,
    instasync_window_reading_to_string (time_series),
    instasync_window_reading_to_string (total_value),
  };
  g_autoptr(PGresult) result = NULL;
  PGconn *conn;

  g_return_val_if_fail (INSTASYNC_IS_STORE (self), FALSE);
  g_return_val_if_fail (api_host != NULL, FALSE);
  g_return_val_if_fail (time_series != INSTASYNC_WINDOW_READING_UNKNOWN, FALSE);

  if (!instasync_store_ensure_connected (self, error))
    return FALSE;

  /* Two processes may learn it at once; they learn the same. */
  conn = instasync_store_get_connection (self);
  result = PQexecParams (conn,
                         "INSERT INTO graph_api_readings (api_host, api_version, "
                         "  time_series_reading, total_value_reading) "
                         "VALUES ($1, $2::integer, $3, $4) "
                         "ON CONFLICT (api_host, api_version) DO UPDATE SET "
                         "  time_series_reading = excluded.time_series_reading, "
                         "  total_value_reading = excluded.total_value_reading, "
                         "  learned_at = now ()",
                         4, NULL, params, NULL, NULL, 0);
  return instasync_pg_check_result (conn, result, PGRES_COMMAND_OK,
                                    N_("recording what was learnt of the API's days"), NULL, error);
}

gboolean
instasync_store_forget_window_readings (InstaSyncStore  *self,
                                        const char      *api_host,
                                        int              api_version,
                                        GError         **error)
{
  g_autofree char *version = g_strdup_printf ("%d", api_version);
  const char *params[] = { api_host, version };
  g_autoptr(PGresult) result = NULL;
  PGconn *conn;

  g_return_val_if_fail (INSTASYNC_IS_STORE (self), FALSE);

  if (!instasync_store_ensure_connected (self, error))
    return FALSE;

  conn = instasync_store_get_connection (self);
  result = PQexecParams (conn,
                         "DELETE FROM graph_api_readings "
                         "WHERE api_host = $1 AND api_version = $2::integer",
                         2, NULL, params, NULL, NULL, 0);
  return instasync_pg_check_result (conn, result, PGRES_COMMAND_OK,
                                    N_("forgetting what was learnt of the API's days"), NULL,
                                    error);
}

gboolean
instasync_store_set_day_zone (InstaSyncStore  *self,
                              const char      *ig_user_id,
                              const char      *zone,
                              GError         **error)
{
  const char *params[] = { ig_user_id, zone };
  g_autoptr(PGresult) result = NULL;
  PGconn *conn;

  g_return_val_if_fail (INSTASYNC_IS_STORE (self), FALSE);
  g_return_val_if_fail (ig_user_id != NULL, FALSE);

  if (!instasync_store_ensure_connected (self, error))
    return FALSE;

  conn = instasync_store_get_connection (self);
  result = PQexecParams (conn,
                         "UPDATE instagram_accounts SET day_zone = $2, updated_at = now () "
                         "WHERE ig_user_id = $1",
                         2, NULL, params, NULL, NULL, 0);
  return instasync_pg_check_result (conn, result, PGRES_COMMAND_OK,
                                    N_("recording the account's days"), NULL, error);
}
