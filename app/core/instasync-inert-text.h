/* instasync-inert-text.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Text InstaSync did not write (what the API, a user or the database
 * says: usernames, Page names, error messages) made harmless to show and
 * to store. A terminal obeys escape sequences, and bidirectional controls
 * reorder what people read: from outside, neither may pass. */

typedef enum
{
  INSTASYNC_INERT_FLAGS_NONE    = 0,
  /* Line feeds and tabs stay (text of several lines); otherwise they
   * become spaces, so that outside text cannot start a line of its own. */
  INSTASYNC_INERT_KEEP_NEWLINES = 1 << 0,
} InstaSyncInertFlags;

/* No cap on the length. */
#define INSTASYNC_INERT_NO_LIMIT G_MAXSIZE

/* What the database keeps of one error message or sync-log text. */
#define INSTASYNC_STORED_TEXT_MAX_CHARS 2000

/* TRUE for the characters that may not pass: C0 and C1 controls (ESC, BEL,
 * CSI, DEL…), bidirectional embeddings, overrides, isolates and marks,
 * other invisible format characters and the Unicode line separators. The
 * zero-width joiner and non-joiner stay: scripts and emoji need them. */
gboolean instasync_unichar_is_unsafe       (gunichar             c);

/* A copy of @text that is valid UTF-8 and free of unsafe characters, fit to
 * print on a terminal: invalid bytes and unsafe characters become U+FFFD,
 * line feeds and tabs spaces. At most @max_chars characters: a longer text
 * is cut at a character boundary and ends in "…". NULL gives "". */
char    *instasync_text_make_inert         (const char          *text,
                                            gsize                max_chars);

/* The same, for @length bytes of @text (-1: up to its NUL; with a length,
 * NUL bytes within count as invalid), and with @flags. */
char    *instasync_text_make_inert_full    (const char          *text,
                                            gssize               length,
                                            gsize                max_chars,
                                            InstaSyncInertFlags  flags);

/* @text as the database keeps it (an error message, a status reason, a
 * sync log's summary): made inert with its line feeds and tabs, and cut to
 * INSTASYNC_STORED_TEXT_MAX_CHARS, so that no answer from outside grows a
 * row without bound. NULL stays NULL. */
char    *instasync_text_cap_for_storage    (const char          *text);

/* A JSON document as the database keeps it: every string in it capped as
 * by instasync_text_cap_for_storage(), invalid UTF-8 made valid. NULL if
 * @json does not parse, with @error set. */
char    *instasync_json_cap_for_storage    (const char          *json,
                                            GError             **error);

/* A JSON document, as generated, made fit to print: unsafe characters in
 * its strings are written as \uXXXX escapes, which JSON already reads as
 * the same characters, and invalid UTF-8 becomes U+FFFD. The document says
 * exactly what it said (the generator escapes control characters below
 * U+0020 already, and DEL is escaped here). */
char    *instasync_json_text_make_inert    (const char          *json);

G_END_DECLS
