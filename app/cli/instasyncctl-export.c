/* instasyncctl-export.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasyncctl"

#include "config.h"

#include <gio/gunixoutputstream.h>
#include <unistd.h>

#include "instasync-secrets-file.h"
#include "instasync-time.h"
#include "instasyncctl.h"

int
ctl_command_export (int    argc,
                    char **argv)
{
  g_autofree char *format = NULL;
  g_autofree char *account = NULL;
  g_autofree char *since_text = NULL;
  g_autofree char *until_text = NULL;
  g_autofree char *output = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GFile) file = NULL;
  CtlContext ctx = { 0, };
  GDate since, until;
  int status = CTL_EXIT_OK;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, "Output format (csv)", "FORMAT" },
    { "account", 0, 0, G_OPTION_ARG_STRING, &account, "Only this account", "ID" },
    { "since", 0, 0, G_OPTION_ARG_STRING, &since_text, "First day (of each account's own days)", "YYYY-MM-DD" },
    { "until", 0, 0, G_OPTION_ARG_STRING, &until_text, "Last day (of each account's own days)", "YYYY-MM-DD" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write to FILE instead of standard output", "FILE" },
    { NULL }
  };

  if (!ctl_parse_options ("export", "- export stored insights", entries, &argc, &argv))
    return CTL_EXIT_USAGE;
  if (format == NULL)
    return ctl_fail (CTL_EXIT_USAGE, "export: --format is required (csv)");
  if (!g_str_equal (format, "csv"))
    return ctl_fail (CTL_EXIT_USAGE, "export: unknown format “%s”; only csv is supported", format);
  if (account != NULL && !instasync_check_ig_user_id (account, &error))
    return ctl_fail (CTL_EXIT_USAGE, "export: --account: %s", error->message);

  if (since_text != NULL && !instasync_parse_date (since_text, &since, &error))
    return ctl_fail (CTL_EXIT_USAGE, "export: --since: %s", error->message);
  if (until_text != NULL && !instasync_parse_date (until_text, &until, &error))
    return ctl_fail (CTL_EXIT_USAGE, "export: --until: %s", error->message);
  if (since_text != NULL && until_text != NULL && g_date_compare (&since, &until) > 0)
    return ctl_fail (CTL_EXIT_USAGE, "export: --since is after --until");

  if (output != NULL)
    {
      file = g_file_new_for_commandline_arg (output);
      out = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error));
      if (out == NULL)
        return ctl_fail (CTL_EXIT_USAGE, "export: %s", error->message);
    }
  else
    {
      out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
    }

  if (!ctl_context_open (&ctx, &error) ||
      !instasync_store_export_csv_days (ctx.store, account, since_text != NULL ? &since : NULL,
                                        until_text != NULL ? &until : NULL, out, &error) ||
      !g_output_stream_close (out, NULL, &error))
    {
      /* A reader that stopped early ("| head") is not worth a message. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
        status = CTL_EXIT_PARTIAL;
      else
        status = ctl_fail (ctl_status_for_error (error), "export: %s", error->message);

      /* Closing a replacement with a cancelled cancellable drops it and
       * keeps the file that was there: a failed export destroys nothing. */
      if (file != NULL && !g_output_stream_is_closed (out))
        {
          g_autoptr(GCancellable) abandon = g_cancellable_new ();

          g_cancellable_cancel (abandon);
          g_output_stream_close (out, abandon, NULL);
        }
    }

  ctl_context_close (&ctx);
  return status;
}
