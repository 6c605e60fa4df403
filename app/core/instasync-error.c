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
#include "instasync-redact.h"

/* Enough to recognise the value, too little to flood a terminal or a log. */
#define QUOTE_MAX_BYTES 40

G_DEFINE_QUARK (instasync-error-quark, instasync_error)

char *
instasync_quote_untrusted (const char *text)
{
  g_autofree char *valid = NULL;
  GString *quoted;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, MIN (strlen (text), QUOTE_MAX_BYTES));

  /* Control characters (escape sequences, carriage returns) would let a
   * server's text rewrite what a terminal or a log shows. */
  quoted = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        g_string_append_c (quoted, ' ');
      else
        g_string_append_unichar (quoted, c);
    }

  return g_string_free (quoted, FALSE);
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
