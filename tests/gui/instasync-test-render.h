/* instasync-test-render.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* GUI tests: libadwaita's styles, a display (the tests run under Xvfb),
 * and widgets rendered to textures the way the screen would show them. */

void        instasync_test_gui_init        (int         *argc,
                                            char      ***argv);

/* Shows @widget alone in a window of @width × @height and waits until it
 * has been laid out. The window is returned; destroy it when done. */
GtkWindow  *instasync_test_show_widget     (GtkWidget   *widget,
                                            int          width,
                                            int          height);

/* Waits until @widget is mapped and has a size. */
void        instasync_test_wait_for_layout (GtkWidget   *widget);

/* Runs the main loop until @condition holds or @timeout_ms pass. */
gboolean    instasync_test_wait_for        (gboolean   (*condition) (gpointer data),
                                            gpointer     data,
                                            guint        timeout_ms);

/* Lets pending redraws, layouts and idles run. */
void        instasync_test_iterate         (void);

/* @widget as it looks now, rendered by its window's renderer. */
GdkTexture *instasync_test_render          (GtkWidget   *widget);

/* What @window shows: its content on the window's background, without the
 * shadow around it. */
GdkTexture *instasync_test_render_window   (GtkWindow   *window);

/* Saves @texture as @name.png in INSTASYNC_SCREENSHOT_DIR when that is
 * set, else in the test's build directory; returns the path. */
char       *instasync_test_save_png        (GdkTexture  *texture,
                                            const char  *name);

/* How many nearly opaque pixels of @texture lie within @tolerance (0–255
 * per channel) of @color. */
guint       instasync_test_count_color     (GdkTexture    *texture,
                                            const GdkRGBA *color,
                                            guint          tolerance);

G_END_DECLS
