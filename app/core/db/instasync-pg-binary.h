/* instasync-pg-binary.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

/* PostgreSQL's binary formats, for the bulk write path: rows go in by
 * binary COPY and their confirmation comes back as binary results, so that
 * neither side prints or parses numbers and timestamps as text.
 *
 * Writing a COPY stream: begin, then for each row one row() followed by
 * exactly that many fields, then end. */
void     instasync_pg_copy_begin            (GByteArray     *out);
void     instasync_pg_copy_row              (GByteArray     *out,
                                             guint16         n_fields);
/* A text field; NULL writes SQL NULL. */
void     instasync_pg_copy_text             (GByteArray     *out,
                                             const char     *text);
void     instasync_pg_copy_int8             (GByteArray     *out,
                                             gint64          value);
/* A timestamptz at whole Unix seconds. FALSE (nothing written) when the
 * instant lies outside what a timestamptz holds. */
gboolean instasync_pg_copy_timestamptz      (GByteArray     *out,
                                             gint64          unix_seconds);
/* A jsonb field from its text; the server parses and checks it. */
void     instasync_pg_copy_jsonb            (GByteArray     *out,
                                             const char     *json);
void     instasync_pg_copy_end              (GByteArray     *out);

/* Reading a binary result (resultFormat 1). Each returns FALSE when the
 * field is NULL, text-formatted or of the wrong size, so that a result of
 * an unexpected shape is told apart from one with unexpected values. */
gboolean instasync_pg_binary_int8           (const PGresult *result,
                                             int             row,
                                             int             column,
                                             gint64         *value);
/* Whole Unix seconds; FALSE for an instant with a fraction of a second. */
gboolean instasync_pg_binary_timestamptz    (const PGresult *result,
                                             int             row,
                                             int             column,
                                             gint64         *unix_seconds);
gboolean instasync_pg_binary_bool           (const PGresult *result,
                                             int             row,
                                             int             column,
                                             gboolean       *value);
/* The text of a text column, or NULL when the field is NULL or not in
 * binary format. Text travels as its bytes, so the result's own
 * NUL-terminated copy is returned. */
const char *instasync_pg_binary_text        (const PGresult *result,
                                             int             row,
                                             int             column);

G_END_DECLS
