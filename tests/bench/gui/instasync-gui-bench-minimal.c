/* instasync-gui-bench-minimal.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The launch baseline: what any libadwaita application pays. An
 * AdwApplication with one empty AdwApplicationWindow of InstaSync's default
 * size, linked against GTK and libadwaita only (not WebKitGTK, libpq or
 * libsoup, which InstaSync loads too), launched and reported on like
 * InstaSync by instasync-gui-bench (see instasync-gui-bench-launch.h). */

#include "config.h"

#include <adwaita.h>
#include <locale.h>

#include "instasync-gui-bench-launch.h"

static void
on_activate (GtkApplication *app)
{
  GtkWidget *window = adw_application_window_new (app);

  gtk_window_set_title (GTK_WINDOW (window), "Minimal");
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gint64 main_started = g_get_monotonic_time ();
  g_autoptr(AdwApplication) app = NULL;
  char *args[] = { argv[0], NULL };
  int status;

  setlocale (LC_ALL, "");

  app = adw_application_new ("com.credify.InstaSync.GuiBenchMinimal", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);
  bench_launch_watch (G_APPLICATION (app), main_started, 30, NULL, NULL, NULL, NULL);

  status = g_application_run (G_APPLICATION (app), 1, args);

  return bench_launch_succeeded () ? status : 1;
}
