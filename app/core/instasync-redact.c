/* instasync-redact.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <libpq-fe.h>

#include "instasync-redact.h"
#include "instasync-secret.h"

#define REDACTED "[redacted]"

/* Every parameter whose value unlocks something: tokens, the codes they are
 * made from, the App Secret and what is derived from it, passwords. */
static const char * const secret_params[] = {
  "access_token",
  "appsecret_proof",
  "client_secret",
  "code",
  "fb_exchange_token",
  "input_token",
  "long_lived_token",
  "refresh_token",
  "password",
  NULL
};

gboolean
instasync_is_secret_param (const char *name)
{
  if (name == NULL)
    return FALSE;

  for (guint i = 0; secret_params[i] != NULL; i++)
    if (g_ascii_strcasecmp (name, secret_params[i]) == 0)
      return TRUE;
  return FALSE;
}

/* The registry */

G_LOCK_DEFINE_STATIC (registry);
static GPtrArray *registry;   /* of InstaSyncSecret, longest first */

static gint
longest_first (gconstpointer a,
               gconstpointer b)
{
  gsize la = strlen (*(const char * const *)a);
  gsize lb = strlen (*(const char * const *)b);

  return la < lb ? 1 : la > lb ? -1 : 0;
}

/* Called with the lock held. TRUE when @form was new. */
static gboolean
add_form (const char *form)
{
  if (form == NULL || *form == '\0')
    return FALSE;

  for (guint i = 0; i < registry->len; i++)
    if (g_str_equal (g_ptr_array_index (registry, i), form))
      return FALSE;

  /* Plain strdup: instasync_secret_new() would register again. */
  g_ptr_array_add (registry, g_strdup (form));
  return TRUE;
}

void
instasync_redact_register (const char *secret)
{
  g_autofree char *escaped = NULL;
  g_autofree char *json = NULL;

  g_autoptr(InstaSyncSecret) trimmed = NULL;

  if (secret == NULL)
    return;

  /* Keys and tokens are read from files and pasted: what counts is what is
   * left once the whitespace around them is gone. Made with g_strdup(), as
   * instasync_secret_new() would register again. */
  trimmed = g_strstrip (g_strdup (secret));
  if (*trimmed == '\0')
    return;

  /* As a URL or a form carries it, and as JSON does. */
  escaped = g_uri_escape_string (trimmed, NULL, FALSE);
  json = g_strescape (trimmed, NULL);

  G_LOCK (registry);
  if (registry == NULL)
    registry = g_ptr_array_new_with_free_func ((GDestroyNotify)instasync_secret_free);
  /* Bitwise or: every form is added. The longest first: a secret that
   * contains another goes whole. */
  if (add_form (trimmed) | add_form (escaped) | add_form (json))
    g_ptr_array_sort (registry, longest_first);
  G_UNLOCK (registry);

  instasync_secure_wipe (escaped, strlen (escaped));
  instasync_secure_wipe (json, strlen (json));
}

void
_instasync_redact_forget_all (void)
{
  G_LOCK (registry);
  g_clear_pointer (&registry, g_ptr_array_unref);
  G_UNLOCK (registry);
}

/* The password of a URI that libpq may not parse: what lies between the
 * first ':' of the userinfo and its '@'. */
static char *
uri_password (const char *conninfo)
{
  const char *scheme_end = strstr (conninfo, "://");
  const char *authority;
  const char *at;
  const char *colon;
  gsize authority_length;

  if (scheme_end == NULL)
    return NULL;

  authority = scheme_end + 3;
  authority_length = strcspn (authority, "/?#");
  /* The last '@' of the authority ends the userinfo: a password may hold
   * an unescaped '@'. */
  at = g_strrstr_len (authority, authority_length, "@");
  if (at == NULL)
    return NULL;
  colon = memchr (authority, ':', at - authority);
  if (colon == NULL)
    return NULL;
  return g_uri_unescape_segment (colon + 1, at, NULL);
}

void
instasync_redact_register_conninfo (const char *conninfo)
{
  PQconninfoOption *options;
  g_autofree char *from_uri = NULL;

  if (conninfo == NULL)
    return;

  options = PQconninfoParse (conninfo, NULL);
  if (options != NULL)
    {
      for (PQconninfoOption *option = options; option->keyword != NULL; option++)
        if (g_str_equal (option->keyword, "password") && option->val != NULL)
          instasync_redact_register (option->val);
      PQconninfoFree (options);
    }

  /* A malformed URI is reported by libpq, maybe quoting parts of it. */
  from_uri = uri_password (conninfo);
  if (from_uri != NULL)
    {
      instasync_redact_register (from_uri);
      instasync_secure_wipe (from_uri, strlen (from_uri));
    }
}

/* By value */

static gboolean
is_word_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '-' || c == '.' || c == '~' || c == '%' ||
         c == '+' || c == '/' || c == '=';
}

static void
replace_value (GString    *text,
               const char *secret)
{
  gsize length = strlen (secret);
  gboolean whole_only = length < INSTASYNC_REDACT_MIN_SUBSTRING;
  gsize from = 0;

  for (;;)
    {
      const char *found = strstr (text->str + from, secret);
      gsize at;

      if (found == NULL)
        return;

      at = found - text->str;
      if (whole_only &&
          ((at > 0 && is_word_char (text->str[at - 1])) ||
           is_word_char (text->str[at + length])))
        {
          from = at + 1;
          continue;
        }

      g_string_erase (text, at, length);
      g_string_insert (text, at, REDACTED);
      from = at + strlen (REDACTED);
    }
}

static void
redact_registered (GString *text)
{
  G_LOCK (registry);
  if (registry != NULL)
    for (guint i = 0; i < registry->len; i++)
      replace_value (text, g_ptr_array_index (registry, i));
  G_UNLOCK (registry);
}

/* By structure */

static GRegex *
compile_once (GRegex     **slot,
              const char  *pattern)
{
  if (g_once_init_enter (slot))
    {
      GRegex *compiled = g_regex_new (pattern, G_REGEX_OPTIMIZE | G_REGEX_CASELESS, 0, NULL);

      g_assert (compiled != NULL);
      g_once_init_leave (slot, compiled);
    }
  return *slot;
}

/* name, a separator, then the value. The name must not be the tail of a
 * longer one (barcode=, error_code=), though it may follow an escape
 * (%3Faccess_token%3D…); the separator is = (with or without
 * spaces), its percent-encoded %3D (a URL inside a URL), or : after a
 * quoted JSON name; the value is quoted, or runs to the next delimiter. */
static GRegex *
param_regex (void)
{
  static GRegex *regex;
  g_autofree char *names = g_strjoinv ("|", (char **)secret_params);
  g_autofree char *pattern =
    g_strdup_printf ("(?:(?<=%%[0-9A-Fa-f]{2})|(?<![A-Za-z0-9_]))((?:%s)(?:\\\\?[\"'])?)"
                     "(\\s*=\\s*|%%3D|%%253D|\\s*:\\s*)"
                     "(\\\\?\"(?:[^\"\\\\]|\\\\[^\"])*\\\\?\"|'(?:[^'\\\\]|\\\\.)*'|"
                     "(?:(?!%%26|%%2526)[^&#\"'\\\\\\s<>,;)}\\]])+)",
                     names);

  return compile_once (&regex, pattern);
}

static gboolean
replace_param (const GMatchInfo *info,
               GString          *result,
               gpointer          user_data)
{
  g_autofree char *name = g_match_info_fetch (info, 1);
  g_autofree char *separator = g_match_info_fetch (info, 2);
  g_autofree char *value = g_match_info_fetch (info, 3);
  g_autofree char *whole = g_match_info_fetch (info, 0);

  /* "code: 190" in prose, or a JSON "code": 190, is an error code, not an
   * OAuth code: those are never plain small numbers after a colon. */
  if (strchr (separator, ':') != NULL && g_ascii_strncasecmp (name, "code", 4) == 0 &&
      strspn (value, "0123456789") == strlen (value))
    {
      g_string_append (result, whole);
      return FALSE;
    }

  g_string_append (result, name);
  g_string_append (result, separator);
  if (value[0] == '"' || value[0] == '\'' || (value[0] == '\\' && value[1] == '"'))
    {
      /* Keep the quotes: JSON stays JSON. */
      gboolean escaped = value[0] == '\\';
      char quote = escaped ? '"' : value[0];

      if (escaped)
        g_string_append_c (result, '\\');
      g_string_append_c (result, quote);
      g_string_append (result, REDACTED);
      if (escaped)
        g_string_append_c (result, '\\');
      g_string_append_c (result, quote);
    }
  else if (strchr (separator, ':') != NULL)
    /* A bare JSON value (a number): quoted, so that JSON stays JSON. */
    g_string_append (result, "\"" REDACTED "\"");
  else
    g_string_append (result, REDACTED);
  return FALSE;
}

static GRegex *
credentials_regex (void)
{
  static GRegex *regex;

  /* A credential is long; "OAuth access token" in prose is not one. */
  return compile_once (&regex, "\\b(Bearer|OAuth)(\\s+)[A-Za-z0-9._~+/=|%-]{16,}");
}

/* scheme://user:password@ — the userinfo's password, up to the last '@'
 * before the path. */
static GRegex *
userinfo_regex (void)
{
  static GRegex *regex;

  return compile_once (&regex, "([a-z][a-z0-9+.-]*://[^\\s/?#@:]*:)[^\\s/?#]*(@)");
}

static char *
redact_structure (const char *text)
{
  g_autofree char *step1 = NULL;
  g_autofree char *step2 = NULL;

  step1 = g_regex_replace (userinfo_regex (), text, -1, 0, "\\1" REDACTED "\\2", 0, NULL);
  if (step1 == NULL)
    return g_strdup (text);
  step2 = g_regex_replace_eval (param_regex (), step1, -1, 0, 0, replace_param, NULL, NULL);
  if (step2 == NULL)
    return g_steal_pointer (&step1);
  return g_regex_replace (credentials_regex (), step2, -1, 0, "\\1\\2" REDACTED, 0, NULL);
}

char *
instasync_redact (const char *text)
{
  g_autoptr(GString) scrubbed = NULL;
  char *structured;

  if (text == NULL)
    return NULL;

  /* Values first: a secret the structure would cut in half is still
   * recognised whole. */
  scrubbed = g_string_new (text);
  redact_registered (scrubbed);
  structured = redact_structure (scrubbed->str);
  return structured != NULL ? structured : g_strdup (scrubbed->str);
}

char *
instasync_redact_markup (const char *text)
{
  g_autofree char *clean = instasync_redact (text != NULL ? text : "");

  return g_markup_escape_text (clean, -1);
}

/* Every output */

static void
print_redacted (const char *string)
{
  g_autofree char *clean = instasync_redact (string);

  fputs (clean, stdout);
  fflush (stdout);
}

static void
printerr_redacted (const char *string)
{
  g_autofree char *clean = instasync_redact (string);

  fputs (clean, stderr);
  fflush (stderr);
}

static GLogWriterOutput
log_writer_redacted (GLogLevelFlags   log_level,
                     const GLogField *fields,
                     gsize            n_fields,
                     gpointer         user_data)
{
  g_autofree GLogField *copy = NULL;
  g_autoptr(GPtrArray) owned = NULL;
  const char *domain = NULL;

  /* Debug messages nobody asked for cost nothing. */
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
      domain = fields[i].value;
  if (g_log_writer_default_would_drop (log_level, domain))
    return G_LOG_WRITER_HANDLED;

  copy = g_memdup2 (fields, n_fields * sizeof *fields);
  owned = g_ptr_array_new_with_free_func (g_free);
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (copy[i].key, "MESSAGE"))
      {
        g_autofree char *text = copy[i].length < 0
          ? g_strdup (copy[i].value)
          : g_strndup (copy[i].value, copy[i].length);
        char *clean = instasync_redact (text);

        g_ptr_array_add (owned, clean);
        copy[i].value = clean;
        copy[i].length = -1;
      }

  return g_log_writer_default (log_level, copy, n_fields, user_data);
}

void
instasync_redact_install (void)
{
  g_set_print_handler (print_redacted);
  g_set_printerr_handler (printerr_redacted);
  g_log_set_writer_func (log_writer_redacted, NULL, NULL);
}
