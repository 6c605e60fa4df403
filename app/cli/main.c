/* main.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasyncctl"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "instasyncctl.h"
#include "instasync-redact.h"
#include "instasync-secret.h"

static const char usage[] =
  "Usage: instasyncctl [--demo] COMMAND [OPTIONS]\n"
  "\n"
  "Sync Instagram insights into PostgreSQL.\n"
  "\n"
  "Commands:\n"
  "  account connect [--code] [--json]\n"
  "  account add --ig-user-id ID [--username NAME] --token-stdin\n"
  "  account list [--json]\n"
  "  account remove ID\n"
  "  sync [--account ID] [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--metrics LIST] [--json]\n"
  "  status [--json]\n"
  "  export --format csv [--account ID] [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--output FILE]\n"
  "\n"
  "  --demo [COMMAND]   run against a local Graph API simulator with demo accounts\n"
  "                     and a database of its own (default command: sync;\n"
  "                     --demo app opens the app on them)\n"
  "\n"
  "Environment:\n"
  "  INSTASYNC_DATABASE_URL   PostgreSQL to use (unset: a private embedded cluster)\n"
  "  INSTASYNC_GRAPH_URL      default https://graph.facebook.com\n"
  "  INSTASYNC_GRAPH_VERSION  default v22.0\n"
  "  INSTASYNC_METRICS        metrics to sync (default reach,profile_views,accounts_engaged,follower_count)\n"
  "  INSTASYNC_TOKEN_KEY      key that encrypts stored tokens (or INSTASYNC_TOKEN_KEY_FILE)\n"
  "  INSTASYNC_APP_ID         the Meta app's ID (account connect)\n"
  "  INSTASYNC_APP_SECRET     the Meta app's secret: code flow and long-lived exchange\n"
  "\n"
  "Exit status: 0 all succeeded, 1 some metric or account failed, 2 bad usage or configuration.\n";

int
main (int   argc,
      char *argv[])
{
  const char *command;

  /* Before anything secret is loaded: a crash must not leave the token
   * key, tokens or the App Secret in a core file. */
  instasync_process_harden ();
  instasync_redact_install ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("instasyncctl");

  if (argc < 2)
    {
      g_printerr ("%s", usage);
      return CTL_EXIT_USAGE;
    }

  command = argv[1];

  if (g_str_equal (command, "--help") || g_str_equal (command, "-h") ||
      g_str_equal (command, "help"))
    {
      g_print ("%s", usage);
      return CTL_EXIT_OK;
    }

  if (g_str_equal (command, "--version"))
    {
      g_print ("instasyncctl %s\n", PACKAGE_VERSION);
      return CTL_EXIT_OK;
    }

  if (g_str_equal (command, "--demo"))
    return ctl_command_demo (argc - 1, argv + 1);
  if (g_str_equal (command, "account"))
    return ctl_command_account (argc - 1, argv + 1);
  if (g_str_equal (command, "sync"))
    return ctl_command_sync (argc - 1, argv + 1);
  if (g_str_equal (command, "status"))
    return ctl_command_status (argc - 1, argv + 1);
  if (g_str_equal (command, "export"))
    return ctl_command_export (argc - 1, argv + 1);

  return ctl_fail (CTL_EXIT_USAGE, "unknown command “%s”; see “instasyncctl --help”", command);
}
