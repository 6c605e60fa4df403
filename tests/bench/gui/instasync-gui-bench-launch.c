/* instasync-gui-bench-launch.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "instasync-gui-bench-launch.h"

typedef struct
{
  GApplication      *app;
  gint64             main_started;
  BenchLaunchAccept  accept;
  BenchLaunchReady   ready;
  BenchLaunchReport  report;
  gpointer           data;

  GtkWindow         *window;
  gboolean           rendered;        /* the window rendered in this frame */
  gboolean           ready_rendered;  /* … in the state @ready waits for */
  gboolean           first_done;
  gboolean           data_done;
} Launch;

static Launch launch;

gint64
bench_read_status_kib (const char *path,
                       const char *field)
{
  g_autofree char *contents = NULL;
  gsize field_length = strlen (field);

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return -1;

  for (const char *line = contents; line != NULL && *line != '\0';)
    {
      const char *end = strchr (line, '\n');

      if (strncmp (line, field, field_length) == 0 && line[field_length] == ':')
        return g_ascii_strtoll (line + field_length + 1, NULL, 10);
      line = end != NULL ? end + 1 : NULL;
    }

  return -1;
}

static gboolean
is_ready (void)
{
  return launch.ready == NULL || launch.ready (launch.window, launch.data);
}

/* Runs as the ::render emission starts, before GTK's own handler snapshots
 * the window: the state seen here is the state this frame shows. */
static gboolean
on_render_hook (GSignalInvocationHint *hint,
                guint                  n_params,
                const GValue          *params,
                gpointer               data)
{
  GdkSurface *surface = g_value_get_object (&params[0]);

  if (launch.window != NULL && gtk_widget_get_realized (GTK_WIDGET (launch.window)) &&
      surface == gtk_native_get_surface (GTK_NATIVE (launch.window)))
    {
      launch.rendered = TRUE;
      if (!launch.data_done && is_ready ())
        launch.ready_rendered = TRUE;
    }

  return TRUE;
}

static gboolean
quit_cb (gpointer data)
{
  g_application_quit (launch.app);
  return G_SOURCE_REMOVE;
}

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       data)
{
  gint64 now = g_get_monotonic_time ();

  if (!launch.rendered)
    return;
  launch.rendered = FALSE;

  if (!launch.first_done)
    {
      launch.first_done = TRUE;
      printf ("first-frame %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", now, launch.main_started);
      fflush (stdout);
    }

  if (!launch.data_done && launch.ready_rendered)
    {
      launch.data_done = TRUE;
      printf ("data-frame %" G_GINT64_FORMAT "\n", now);
      printf ("rss %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
              bench_read_status_kib ("/proc/self/status", "VmRSS"),
              bench_read_status_kib ("/proc/self/status", "VmHWM"));
      if (launch.report != NULL)
        launch.report (launch.window, launch.data);
      fflush (stdout);
      g_idle_add (quit_cb, NULL);
    }
}

static void
on_map (GtkWidget *window,
        gpointer   data)
{
  printf ("mapped %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
}

static void
on_realize (GtkWidget *window,
            gpointer   data)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_after_paint), NULL);
}

static void
on_window_added (GtkApplication *app,
                 GtkWindow      *window,
                 gpointer        data)
{
  if (launch.window != NULL)
    return;
  if (launch.accept != NULL && !launch.accept (window, launch.data))
    return;

  launch.window = window;
  g_signal_connect_after (window, "realize", G_CALLBACK (on_realize), NULL);
  g_signal_connect_after (window, "map", G_CALLBACK (on_map), NULL);
}

static gboolean
on_timeout (gpointer data)
{
  fprintf (stderr, "bench: launch timed out (first frame %s, data %s)\n",
           launch.first_done ? "seen" : "not seen", launch.data_done ? "seen" : "not seen");
  g_application_quit (launch.app);
  return G_SOURCE_REMOVE;
}

void
bench_launch_watch (GApplication      *app,
                    gint64             main_started,
                    guint              timeout_seconds,
                    BenchLaunchAccept  accept,
                    BenchLaunchReady   ready,
                    BenchLaunchReport  report,
                    gpointer           data)
{
  gpointer surface_class = g_type_class_ref (GDK_TYPE_SURFACE);

  launch.app = app;
  launch.main_started = main_started;
  launch.accept = accept;
  launch.ready = ready;
  launch.report = report;
  launch.data = data;

  g_signal_add_emission_hook (g_signal_lookup ("render", GDK_TYPE_SURFACE), 0, on_render_hook,
                              NULL, NULL);
  g_type_class_unref (surface_class);

  g_signal_connect (app, "window-added", G_CALLBACK (on_window_added), NULL);
  g_timeout_add_seconds (timeout_seconds, on_timeout, NULL);
}

gboolean
bench_launch_succeeded (void)
{
  return launch.data_done;
}
