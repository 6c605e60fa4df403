/* test-process-hygiene.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A process that holds tokens leaves nothing of them behind: no core file,
 * not dumpable, secrets wiped before their memory is freed, and random bytes
 * from the one CSPRNG. */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "instasync-secret.h"

static void
test_harden_in_process (void)
{
  struct rlimit core = { 4096, RLIM_INFINITY };

  /* Start from a state a shell could leave: cores allowed, dumpable. */
  g_assert_cmpint (setrlimit (RLIMIT_CORE, &core), ==, 0);
  g_assert_cmpint (prctl (PR_SET_DUMPABLE, 1, 0, 0, 0), ==, 0);

  instasync_process_harden ();

  g_assert_cmpint (getrlimit (RLIMIT_CORE, &core), ==, 0);
  g_assert_cmpuint (core.rlim_cur, ==, 0);
  g_assert_cmpuint (core.rlim_max, ==, 0);
  g_assert_cmpint (prctl (PR_GET_DUMPABLE, 0, 0, 0, 0), ==, 0);
}

/* The core limit of a running process, from /proc/PID/limits ("Max core
 * file size  SOFT  HARD  bytes"); -1 when it cannot be read. */
static gint64
core_limit_of (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/limits", (int) pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return -1;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "Max core file size"))
        {
          const char *soft = lines[i] + strlen ("Max core file size");

          while (*soft == ' ')
            soft++;
          if (g_str_has_prefix (soft, "unlimited"))
            return G_MAXINT64;
          return g_ascii_strtoll (soft, NULL, 10);
        }
    }
  return -1;
}

/* The CLI, waiting for a token on standard input, has already dropped its
 * core limit: it was started with cores allowed. */
static void
test_cli_drops_core_limit (void)
{
  const char *ctl = g_getenv ("INSTASYNC_CTL");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *data_dir = g_dir_make_tmp ("instasync-hygiene-XXXXXX", &error);
  struct rlimit core = { RLIM_INFINITY, RLIM_INFINITY };
  gint64 deadline;
  gint64 limit = -1;
  GPid pid;

  g_assert_no_error (error);
  g_assert_nonnull (ctl);
  /* The child inherits this limit; only the program itself lowers it. */
  g_assert_cmpint (setrlimit (RLIMIT_CORE, &core), ==, 0);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "INSTASYNC_DATA_DIR", data_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", data_dir, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
  process = g_subprocess_launcher_spawn (launcher, &error, ctl, "account", "add",
                                         "--ig-user-id", "17841400000000001",
                                         "--token-stdin", NULL);
  g_assert_no_error (error);
  pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (process), NULL, 10);

  /* It blocks on standard input; its limit drops as its main() starts. */
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      limit = core_limit_of (pid);
      if (limit == 0)
        break;
      g_usleep (10 * 1000);
    }
  g_subprocess_force_exit (process);
  g_subprocess_wait (process, NULL, NULL);
  g_assert_cmpint (limit, ==, 0);
  (void) g_rmdir (data_dir);
}

static void
test_secret_is_wiped (void)
{
  g_autofree char *plain = g_strdup ("EAAB-secret-token-value");
  InstaSyncSecret *taken = instasync_secret_take (g_strdup (plain));
  g_autoptr(InstaSyncSecret) copy = instasync_secret_new (plain);
  g_autoptr(InstaSyncSecret) part = instasync_secret_new_len (plain, 4);
  char buffer[32];

  g_assert_cmpstr (taken, ==, plain);
  g_assert_cmpstr (copy, ==, plain);
  g_assert_cmpstr (part, ==, "EAAB");
  g_assert_null (instasync_secret_new (NULL));
  instasync_secret_clear (&taken);
  g_assert_null (taken);
  instasync_secret_free (NULL);

  memset (buffer, 'x', sizeof buffer);
  instasync_secure_wipe (buffer, sizeof buffer);
  for (gsize i = 0; i < sizeof buffer; i++)
    g_assert_cmpint (buffer[i], ==, 0);
}

static void
test_random_bytes (void)
{
  guint8 first[32] = { 0 };
  guint8 second[32] = { 0 };
  static const guint8 zero[32] = { 0 };

  instasync_random_bytes (first, sizeof first);
  instasync_random_bytes (second, sizeof second);
  g_assert_true (memcmp (first, zero, sizeof first) != 0);
  g_assert_true (memcmp (first, second, sizeof first) != 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* First, while this process may still raise its own core limit. */
  g_test_add_func ("/process-hygiene/cli-drops-core-limit", test_cli_drops_core_limit);
  g_test_add_func ("/process-hygiene/harden-in-process", test_harden_in_process);
  g_test_add_func ("/process-hygiene/secret-is-wiped", test_secret_is_wiped);
  g_test_add_func ("/process-hygiene/random-bytes", test_random_bytes);
  return g_test_run ();
}
