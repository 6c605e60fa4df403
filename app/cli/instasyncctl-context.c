/* instasyncctl-context.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasyncctl"

#include "config.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "instasync-error.h"
#include "instasync-secret.h"
#include "instasync-time.h"
#include "instasync-token-key.h"
#include "instasyncctl.h"

gboolean
ctl_context_open (CtlContext  *ctx,
                  GError     **error)
{
  const char *conninfo;

  ctx->config = instasync_config_new_from_env (error);
  if (ctx->config == NULL)
    return FALSE;

  if (ctx->config->database_url != NULL)
    {
      conninfo = ctx->config->database_url;
    }
  else
    {
      g_autofree char *cluster_dir = g_build_filename (ctx->config->data_dir, "postgres", NULL);

      ctx->embedded = instasync_embedded_db_new (cluster_dir);
      if (!instasync_embedded_db_start (ctx->embedded, error))
        return FALSE;
      conninfo = instasync_embedded_db_get_conninfo (ctx->embedded);
    }

  ctx->conninfo = g_strdup (conninfo);
  ctx->store = instasync_store_connect (conninfo, error);
  if (ctx->store == NULL)
    return FALSE;

  return instasync_store_migrate (ctx->store, NULL, error);
}

const char *
ctl_context_token_key (CtlContext  *ctx,
                       GError     **error)
{
  if (ctx->token_key == NULL)
    ctx->token_key = instasync_store_load_token_key (ctx->store, error);
  return ctx->token_key;
}

void
ctl_context_close (CtlContext *ctx)
{
  /* Close our connection first: the embedded server is stopped only when no
   * client is left on it. */
  g_clear_object (&ctx->store);

  if (ctx->embedded != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!instasync_embedded_db_stop (ctx->embedded, &error))
        {
          g_autofree char *message = instasync_text_make_inert (error->message,
                                                                CTL_MESSAGE_MAX_CHARS);

          g_printerr ("instasyncctl: the embedded database did not stop cleanly: %s\n", message);
        }
      g_clear_object (&ctx->embedded);
    }

  if (ctx->token_key != NULL)
    {
      /* The key unlocks every token: do not leave it in freed memory. */
      instasync_secret_clear (&ctx->token_key);
    }

  g_clear_pointer (&ctx->conninfo, g_free);
  g_clear_pointer (&ctx->config, instasync_config_free);
}

char *
ctl_inert (const char *text,
           const char *fallback)
{
  return instasync_text_make_inert (text != NULL ? text : fallback, CTL_FIELD_MAX_CHARS);
}

int
ctl_fail (int         status,
          const char *format,
          ...)
{
  va_list args;
  g_autofree char *message = NULL;
  g_autofree char *inert = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* Most messages quote a server, a database or the command line. */
  inert = instasync_text_make_inert (message, CTL_MESSAGE_MAX_CHARS);
  g_printerr ("instasyncctl: %s\n", inert);
  return status;
}

int
ctl_status_for_error (const GError *error)
{
  if (error->domain == INSTASYNC_ERROR)
    {
      switch ((InstaSyncErrorCode)error->code)
        {
        case INSTASYNC_ERROR_INVALID_ARGUMENT:
        case INSTASYNC_ERROR_CONFIG:
        case INSTASYNC_ERROR_KEY:
        case INSTASYNC_ERROR_NOT_FOUND:
        case INSTASYNC_ERROR_NOT_PERMITTED:
          return CTL_EXIT_USAGE;
        default:
          break;
        }
    }

  if (error->domain == G_OPTION_ERROR)
    return CTL_EXIT_USAGE;

  return CTL_EXIT_PARTIAL;
}

gboolean
ctl_parse_options (const char          *command,
                   const char          *summary,
                   const GOptionEntry  *entries,
                   int                 *argc,
                   char              ***argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (summary);
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      /* The message quotes the option as typed. */
      ctl_fail (CTL_EXIT_USAGE, "%s: %s", command, error->message);
      g_printerr ("Try “instasyncctl %s --help”.\n", command);
      return FALSE;
    }

  /* Every command takes options only: a stray word is a mistake. */
  if (*argc > 1)
    {
      g_autofree char *word = ctl_inert ((*argv)[1], NULL);

      g_printerr ("instasyncctl: %s: unexpected argument “%s”\n", command, word);
      return FALSE;
    }

  return TRUE;
}

void
ctl_json_add_time (JsonBuilder *builder,
                   const char  *name,
                   gint64       unix_seconds)
{
  json_builder_set_member_name (builder, name);
  if (unix_seconds != 0)
    {
      g_autofree char *text = instasync_format_iso8601_utc (unix_seconds);
      json_builder_add_string_value (builder, text);
    }
  else
    {
      json_builder_add_null_value (builder);
    }
}

void
ctl_json_add_account_members (JsonBuilder      *builder,
                              InstaSyncAccount *account)
{
  const char *username = instasync_account_get_username (account);

  json_builder_set_member_name (builder, "ig_user_id");
  json_builder_add_string_value (builder, instasync_account_get_ig_user_id (account));
  json_builder_set_member_name (builder, "username");
  if (username != NULL)
    json_builder_add_string_value (builder, username);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, instasync_account_get_status (account));
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, instasync_account_get_source (account));
  ctl_json_add_time (builder, "token_expires_at", instasync_account_get_token_expires_at (account));
}

void
ctl_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  g_autofree char *inert = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  /* The generator escapes C0 controls and DEL but writes C1 controls and
   * bidi overrides as they are: those become escapes too, which any JSON
   * reader turns back into the same text. */
  inert = instasync_json_text_make_inert (text);
  g_print ("%s\n", inert);
}
