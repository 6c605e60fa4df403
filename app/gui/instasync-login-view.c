/* instasync-login-view.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <gmodule.h>

#include "instasync-login-view.h"

G_LOCK_DEFINE_STATIC (module);

static GModule *
open_from (const char *dir)
{
  g_autofree char *path = NULL;

  if (dir == NULL || *dir == '\0')
    return NULL;

  path = g_module_build_path (dir, "instasync-webview");
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;

  return g_module_open (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
}

const InstaSyncLoginViewModule *
instasync_login_view_module_get (GError **error)
{
  static const InstaSyncLoginViewModule *table;
  const InstaSyncLoginViewModule *(*get_table) (void) = NULL;
  const char * const dirs[] = {
    g_getenv ("INSTASYNC_MODULE_DIR"), INSTASYNC_MODULE_DIR, INSTASYNC_MODULE_BUILD_DIR,
  };
  GModule *module = NULL;

  G_LOCK (module);

  if (table == NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (dirs) && module == NULL; i++)
        module = open_from (dirs[i]);

      if (module != NULL &&
          g_module_symbol (module, INSTASYNC_LOGIN_VIEW_SYMBOL, (gpointer *)&get_table) &&
          get_table != NULL)
        {
          /* WebKit registers types and threads: it stays for good. */
          g_module_make_resident (module);
          table = get_table ();
        }
      else if (module != NULL)
        {
          g_module_close (module);
        }
    }

  G_UNLOCK (module);

  if (table == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 _("The login page cannot be shown: the web view module is missing (%s)"),
                 g_module_error () != NULL ? g_module_error () : INSTASYNC_MODULE_DIR);

  return table;
}
