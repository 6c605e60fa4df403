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

/* Every parameter whose value unlocks something: tokens, the codes they are
 * made from, the App Secret and what is derived from it. */
static const char * const secret_params[] = {
  "access_token",
  "appsecret_proof",
  "client_secret",
  "code",
  "fb_exchange_token",
  "input_token",
  "long_lived_token",
  NULL
};

gboolean
instasync_is_secret_param (const char *name)
{
  if (name == NULL)
    return FALSE;

  return g_strv_contains (secret_params, name);
}

static GRegex *
secret_param_regex (void)
{
  static GRegex *regex;

  if (g_once_init_enter (&regex))
    {
      g_autofree char *names = g_strjoinv ("|", (char **)secret_params);
      /* name=value in URLs and forms, "name": "value" in JSON; the name must
       * not be the tail of a longer one (barcode=, error_code=). */
      g_autofree char *pattern =
        g_strdup_printf ("(?<![A-Za-z0-9_])(%s)(=|\\\\?\"\\s*:\\s*\\\\?\")[^&#\"'\\\\\\s<>]+",
                         names);
      GRegex *compiled = g_regex_new (pattern, G_REGEX_OPTIMIZE, 0, NULL);

      g_assert (compiled != NULL);
      g_once_init_leave (&regex, compiled);
    }

  return regex;
}

char *
instasync_redact_secret_params (const char *text)
{
  if (text == NULL)
    return NULL;

  return g_regex_replace (secret_param_regex (), text, -1, 0, "\\1\\2[redacted]", 0, NULL);
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
