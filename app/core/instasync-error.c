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
#include "instasync-inert-text.h"
#include "instasync-redact.h"

/* Enough to recognise the value, too little to flood a terminal or a log. */
#define QUOTE_MAX_CHARS 40

G_DEFINE_QUARK (instasync-error-quark, instasync_error)

char *
instasync_quote_untrusted (const char *text)
{
  /* Escape sequences, carriage returns and bidi overrides would let a
   * server's text rewrite what a terminal or a log shows. */
  return instasync_text_make_inert (text, QUOTE_MAX_CHARS);
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

char *
instasync_redact_secret_params (const char *text)
{
  return instasync_redact (text);
}

void
instasync_error_redact_params (GError *error)
{
  char *clean;

  if (error == NULL)
    return;

  clean = instasync_redact_secret_params (error->message);
  if (clean == NULL)
    return;

  g_free (error->message);
  error->message = clean;
}
