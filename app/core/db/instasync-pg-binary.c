/* instasync-pg-binary.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "instasync-pg-binary.h"

/* PostgreSQL counts time from 2000-01-01 00:00 UTC, in microseconds. */
#define PG_EPOCH_UNIX_SECONDS G_GINT64_CONSTANT (946684800)
#define USEC_PER_SEC G_GINT64_CONSTANT (1000000)

/* The file header: signature, flags (none), header extension length (0). */
static const guint8 copy_signature[] = { 'P', 'G', 'C', 'O', 'P', 'Y', '\n', 0xff, '\r', '\n', '\0' };

static void
append_be16 (GByteArray *out,
             guint16     value)
{
  guint16 be = GUINT16_TO_BE (value);

  g_byte_array_append (out, (const guint8 *)&be, sizeof be);
}

static void
append_be32 (GByteArray *out,
             guint32     value)
{
  guint32 be = GUINT32_TO_BE (value);

  g_byte_array_append (out, (const guint8 *)&be, sizeof be);
}

static void
append_be64 (GByteArray *out,
             guint64     value)
{
  guint64 be = GUINT64_TO_BE (value);

  g_byte_array_append (out, (const guint8 *)&be, sizeof be);
}

void
instasync_pg_copy_begin (GByteArray *out)
{
  g_byte_array_append (out, copy_signature, sizeof copy_signature);
  append_be32 (out, 0);
  append_be32 (out, 0);
}

void
instasync_pg_copy_row (GByteArray *out,
                       guint16     n_fields)
{
  append_be16 (out, n_fields);
}

void
instasync_pg_copy_text (GByteArray *out,
                        const char *text)
{
  gsize length;

  if (text == NULL)
    {
      append_be32 (out, (guint32)-1);
      return;
    }

  /* A field is at most 1 GB on the server; the caller's batch limits keep
   * rows far below that. */
  length = strlen (text);
  append_be32 (out, (guint32)MIN (length, (gsize)G_MAXINT32));
  g_byte_array_append (out, (const guint8 *)text, (guint)MIN (length, (gsize)G_MAXINT32));
}

void
instasync_pg_copy_int8 (GByteArray *out,
                        gint64      value)
{
  append_be32 (out, 8);
  append_be64 (out, (guint64)value);
}

gboolean
instasync_pg_copy_timestamptz (GByteArray *out,
                               gint64      unix_seconds)
{
  gint64 seconds;

  /* Keeps the multiplication below from overflowing. */
  if (unix_seconds > G_MAXINT64 / USEC_PER_SEC - PG_EPOCH_UNIX_SECONDS ||
      unix_seconds < G_MININT64 / USEC_PER_SEC + PG_EPOCH_UNIX_SECONDS)
    return FALSE;

  seconds = unix_seconds - PG_EPOCH_UNIX_SECONDS;
  append_be32 (out, 8);
  append_be64 (out, (guint64)(seconds * USEC_PER_SEC));

  return TRUE;
}

void
instasync_pg_copy_jsonb (GByteArray *out,
                         const char *json)
{
  /* jsonb's binary form is a version byte (1) and the JSON text. */
  static const guint8 version = 1;
  gsize length = strlen (json);

  append_be32 (out, (guint32)MIN (length + 1, (gsize)G_MAXINT32));
  g_byte_array_append (out, &version, 1);
  g_byte_array_append (out, (const guint8 *)json, (guint)MIN (length, (gsize)G_MAXINT32 - 1));
}

void
instasync_pg_copy_end (GByteArray *out)
{
  append_be16 (out, (guint16)-1);
}

/* Reading */

static const char *
binary_field (const PGresult *result,
              int             row,
              int             column,
              int             size)
{
  if (row < 0 || row >= PQntuples (result) || column < 0 || column >= PQnfields (result) ||
      PQfformat (result, column) != 1 || PQgetisnull (result, row, column) ||
      (size >= 0 && PQgetlength (result, row, column) != size))
    return NULL;

  return PQgetvalue (result, row, column);
}

static guint64
read_be64 (const char *bytes)
{
  guint64 be;

  memcpy (&be, bytes, sizeof be);
  return GUINT64_FROM_BE (be);
}

gboolean
instasync_pg_binary_int8 (const PGresult *result,
                          int             row,
                          int             column,
                          gint64         *value)
{
  const char *bytes = binary_field (result, row, column, 8);

  if (bytes == NULL)
    return FALSE;

  *value = (gint64)read_be64 (bytes);
  return TRUE;
}

gboolean
instasync_pg_binary_timestamptz (const PGresult *result,
                                 int             row,
                                 int             column,
                                 gint64         *unix_seconds)
{
  gint64 usec;

  if (!instasync_pg_binary_int8 (result, row, column, &usec) || usec % USEC_PER_SEC != 0)
    return FALSE;

  /* ±infinity are the extreme values and have no Unix time. */
  if (usec == G_MAXINT64 || usec == G_MININT64)
    return FALSE;

  *unix_seconds = usec / USEC_PER_SEC + PG_EPOCH_UNIX_SECONDS;
  return TRUE;
}

gboolean
instasync_pg_binary_bool (const PGresult *result,
                          int             row,
                          int             column,
                          gboolean       *value)
{
  const char *bytes = binary_field (result, row, column, 1);

  if (bytes == NULL)
    return FALSE;

  *value = bytes[0] != 0;
  return TRUE;
}

const char *
instasync_pg_binary_text (const PGresult *result,
                          int             row,
                          int             column)
{
  const char *bytes = binary_field (result, row, column, -1);

  /* Text cannot hold a NUL byte, so the terminated copy is the whole value;
   * a field that disagrees was not text. */
  if (bytes == NULL || strlen (bytes) != (gsize)PQgetlength (result, row, column))
    return NULL;

  return bytes;
}
