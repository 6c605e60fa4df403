/* instasync-gui-bench-launch.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* One launch of an application, seen from inside its process: the
 * benchmark re-executes a program for each launch, and the program reports
 * on stdout, each as soon as it happens, with g_get_monotonic_time() values
 * (CLOCK_MONOTONIC, comparable across processes):
 *
 *   mapped T             the window was mapped (asked of the display server)
 *   first-frame T MAIN   the first frame of the first window was rendered
 *                        (T), main() started at MAIN
 *   data-frame T         the first frame rendered in a state @ready accepts
 *   rss VMRSS VMHWM      /proc/self/status right after it, in KiB
 *   …                    what @report prints
 *
 * then quits the application. A frame counts as rendered once the frame
 * clock's paint phase in which the window's surface emitted ::render is
 * over (at ::after-paint): the snapshot, the renderer and the drawing to
 * the window are done. */

/* Whether @window is the one to watch; called as the application adds a
 * window, which is not realized yet (a place to connect to its parts). */
typedef gboolean (*BenchLaunchAccept) (GtkWindow *window,
                                       gpointer   data);
/* Whether @window shows what the launch waits for; called when a frame
 * starts to render. NULL: the first frame is enough. */
typedef gboolean (*BenchLaunchReady)  (GtkWindow *window,
                                       gpointer   data);
/* Prints extra lines after the data frame. May be NULL. */
typedef void     (*BenchLaunchReport) (GtkWindow *window,
                                       gpointer   data);

/* Call before g_application_run(). */
void     bench_launch_watch     (GApplication      *app,
                                 gint64             main_started,
                                 guint              timeout_seconds,
                                 BenchLaunchAccept  accept,
                                 BenchLaunchReady   ready,
                                 BenchLaunchReport  report,
                                 gpointer           data);
/* Whether the data frame was seen (else the launch timed out). */
gboolean bench_launch_succeeded (void);

/* Reads "@field:   123 kB" from a /proc status file; -1 when missing. */
gint64   bench_read_status_kib  (const char        *path,
                                 const char        *field);

G_END_DECLS
