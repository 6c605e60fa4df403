/* instasync-error.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "instasync-redact.h"

G_BEGIN_DECLS

/* Errors that do not come from the Graph API itself: input we could not read,
 * configuration, the network below HTTP, the database and write verification.
 * Graph API errors have their own domain, see instasync-graph-error.h. */
#define INSTASYNC_ERROR (instasync_error_quark ())

typedef enum
{
  INSTASYNC_ERROR_FAILED,
  INSTASYNC_ERROR_INVALID_ARGUMENT,  /* bad user input: a date, an id, a flag */
  INSTASYNC_ERROR_CONFIG,            /* missing or inconsistent configuration */
  INSTASYNC_ERROR_PARSE,             /* a body that is not valid JSON */
  INSTASYNC_ERROR_UNEXPECTED_SHAPE,  /* valid JSON, but not what the API documents */
  INSTASYNC_ERROR_TIMESTAMP,         /* a timestamp we refuse to guess about */
  INSTASYNC_ERROR_HTTP,              /* an HTTP status without a Graph error body */
  INSTASYNC_ERROR_NETWORK,           /* connection refused, dropped, timed out */
  INSTASYNC_ERROR_DATABASE,          /* libpq reported an error */
  INSTASYNC_ERROR_VERIFY,            /* the database did not confirm what we wrote */
  INSTASYNC_ERROR_NOT_FOUND,         /* no such account, token or file */
  INSTASYNC_ERROR_KEY,               /* the token encryption key is missing or wrong */
  INSTASYNC_ERROR_CANCELLED,
  INSTASYNC_ERROR_CONFLICT,          /* a stored value changed under us (another worker) */
  INSTASYNC_ERROR_NO_DATA,           /* the API answered, but no value for a settled day asked */
  INSTASYNC_ERROR_NOT_PERMITTED,     /* this role or token may not have that account */
} InstaSyncErrorCode;

GQuark instasync_error_quark       (void);

/* A short (40 characters at most), inert excerpt of text that came from
 * outside (a user, a file, the API), fit to quote in an error message: see
 * instasync_text_make_inert(). */
char  *instasync_quote_untrusted   (const char *text);

/* Replaces every occurrence of @secret in @error's message with
 * "[redacted]": for messages that come from elsewhere and may echo a
 * token back. */
void   instasync_error_redact      (GError     *error,
                                    const char *secret);

/* A copy of @text (a URL, a form body, a message quoting either, or JSON)
 * with every secret taken out: instasync_redact(), which
 * instasync-redact.h describes. "…?code=AQB…&state=1" becomes
 * "…?code=[redacted]&state=1". */
char  *instasync_redact_secret_params (const char *text);

/* instasync_redact_secret_params() on @error's message. */
void   instasync_error_redact_params  (GError     *error);

G_END_DECLS
