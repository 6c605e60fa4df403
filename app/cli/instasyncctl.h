/* instasyncctl.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "instasync-config.h"
#include "instasync-embedded-db.h"
#include "instasync-inert-text.h"
#include "instasync-store.h"

G_BEGIN_DECLS

/* Exit statuses scripts rely on. */
#define CTL_EXIT_OK      0  /* everything succeeded */
#define CTL_EXIT_PARTIAL 1  /* some metric or account failed */
#define CTL_EXIT_USAGE   2  /* bad usage or configuration */

/* What every command needs: the configuration and an open, migrated store. */
typedef struct
{
  InstaSyncConfig     *config;
  InstaSyncEmbeddedDb *embedded;     /* NULL with INSTASYNC_DATABASE_URL */
  InstaSyncStore      *store;
  char                *conninfo;     /* for the sync workers' own connections */
  char                *token_key;    /* loaded on demand */
} CtlContext;

gboolean    ctl_context_open        (CtlContext   *ctx,
                                     GError      **error);
/* The token key, loaded the first time it is asked for. */
const char *ctl_context_token_key   (CtlContext   *ctx,
                                     GError      **error);
void        ctl_context_close       (CtlContext   *ctx);

/* Outside text in human output: a username or Page name in a table or a
 * sentence, and a whole message (an error that may quote the API). */
#define CTL_FIELD_MAX_CHARS   100
#define CTL_MESSAGE_MAX_CHARS INSTASYNC_STORED_TEXT_MAX_CHARS

/* @text (which may be NULL: then @fallback) as it may reach a terminal:
 * see instasync_text_make_inert(). */
char       *ctl_inert               (const char   *text,
                                     const char   *fallback);

/* Prints "instasyncctl: <message>" on stderr and returns @status. The
 * message is made inert: it often quotes an error from elsewhere. */
int         ctl_fail                (int           status,
                                     const char   *format,
                                     ...) G_GNUC_PRINTF (2, 3);
/* The exit status an error calls for: configuration and input errors are
 * usage errors (2), everything else a failure (1). */
int         ctl_status_for_error    (const GError *error);
/* Parses a command's own options; on a mistake prints it and returns FALSE. */
gboolean    ctl_parse_options       (const char          *command,
                                     const char          *summary,
                                     const GOptionEntry  *entries,
                                     int                 *argc,
                                     char              ***argv);
/* ISO 8601 UTC, or null for 0 ("unknown", "never"). */
void        ctl_json_add_time       (JsonBuilder  *builder,
                                     const char   *name,
                                     gint64        unix_seconds);
/* The members every account listing shares. */
void        ctl_json_add_account_members (JsonBuilder      *builder,
                                          InstaSyncAccount *account);
/* Pretty JSON on stdout, escaped where a terminal would act on it. */
void        ctl_print_json          (JsonNode     *node);

int         ctl_command_account     (int argc, char **argv);
int         ctl_command_sync        (int argc, char **argv);
int         ctl_command_status      (int argc, char **argv);
int         ctl_command_export      (int argc, char **argv);
int         ctl_command_demo        (int argc, char **argv);

G_END_DECLS
