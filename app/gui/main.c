/* main.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "instasync-application.h"
#include "instasync-redact.h"
#include "instasync-secret.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(InstaSyncApplication) app = NULL;

  /* Before anything secret is loaded: a crash must not leave the token
   * key, tokens or the App Secret in a core file. */
  instasync_process_harden ();
  instasync_redact_install ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = instasync_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
