/* instasync-test-cli.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "instasync-test-cli.h"

GSubprocess *
instasync_test_ctl_spawn (const char * const *env,
                          const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;
  const char *ctl = g_getenv ("INSTASYNC_CTL");
  const char * const keep[] = { "PATH", "HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME",
                                "ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS",
                                "INSTASYNC_PG_BINDIR", "TZDIR", NULL };

  g_assert_nonnull (ctl);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* A clean environment: nothing of the developer's INSTASYNC_* leaks in. */
  g_subprocess_launcher_set_environ (launcher, NULL);
  for (guint i = 0; keep[i] != NULL; i++)
    if (g_getenv (keep[i]) != NULL)
      g_subprocess_launcher_setenv (launcher, keep[i], g_getenv (keep[i]), TRUE);
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (env[i], "=", 2);
      g_subprocess_launcher_setenv (launcher, pair[0], pair[1] ? pair[1] : "", TRUE);
    }

  g_ptr_array_add (argv, (char *)ctl);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *)args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

void
instasync_test_ctl_wait (CtlRun             *run,
                         GSubprocess        *process,
                         const char         *input,
                         const char * const *args)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8 (process, input ? input : "", NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);

  g_test_message ("instasyncctl %s → %d\n%s%s", args[0], run->status, run->out, run->err);
}

void
instasync_test_ctl_run (CtlRun             *run,
                        const char * const *env,
                        const char         *input,
                        const char * const *args)
{
  g_autoptr(GSubprocess) process = instasync_test_ctl_spawn (env, args);

  instasync_test_ctl_wait (run, process, input, args);
}

void
instasync_test_ctl_clear (CtlRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}
