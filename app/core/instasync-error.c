/* instasync-error.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-error"

#include "config.h"

#include <string.h>

#include "instasync-error.h"

/* Enough to recognise the value, too little to flood a terminal or a log. */
#define QUOTE_MAX_BYTES 40

G_DEFINE_QUARK (instasync-error-quark, instasync_error)

char *
instasync_quote_untrusted (const char *text)
{
  if (text == NULL)
    return g_strdup ("");

  return g_utf8_make_valid (text, MIN (strlen (text), QUOTE_MAX_BYTES));
}

void
instasync_error_redact (GError     *error,
                        const char *secret)
{
  g_auto(GStrv) parts = NULL;

  if (error == NULL || secret == NULL || *secret == '\0' ||
      strstr (error->message, secret) == NULL)
    return;

  parts = g_strsplit (error->message, secret, -1);
  g_free (error->message);
  error->message = g_strjoinv ("[redacted]", parts);
}
