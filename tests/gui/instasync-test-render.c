/* instasync-test-render.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <stdlib.h>

#include "instasync-test-render.h"

void
instasync_test_gui_init (int    *argc,
                         char ***argv)
{
  gtk_test_init (argc, argv, NULL);
  adw_init ();

  /* A frame shows the state it is in, not a crossfade towards it. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
}

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
instasync_test_wait_for (gboolean (*condition) (gpointer data),
                         gpointer   data,
                         guint      timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  return condition (data);
}

void
instasync_test_iterate (void)
{
  /* Twice: a frame may queue another layout. */
  for (guint round = 0; round < 2; round++)
    while (g_main_context_pending (NULL))
      g_main_context_iteration (NULL, FALSE);
}

static gboolean
is_laid_out (gpointer data)
{
  GtkWidget *widget = data;

  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0;
}

void
instasync_test_wait_for_layout (GtkWidget *widget)
{
  g_assert_true (instasync_test_wait_for (is_laid_out, widget, 5000));
  instasync_test_iterate ();
}

GtkWindow *
instasync_test_show_widget (GtkWidget *widget,
                            int        width,
                            int        height)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  /* No title bar or shadow: the window is the widget on the app's background. */
  gtk_window_set_decorated (window, FALSE);
  gtk_window_set_default_size (window, width, height);
  gtk_window_set_child (window, widget);
  gtk_window_present (window);

  g_assert_true (instasync_test_wait_for (is_laid_out, widget, 5000));
  instasync_test_iterate ();

  return window;
}

static gboolean
count_frame_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       data)
{
  guint *frames = data;

  (*frames)++;
  return G_SOURCE_CONTINUE;
}

static gboolean
frames_drawn (gpointer data)
{
  return *(guint *)data >= 3;
}

/* A state change shows only after the frame clock has laid it out: wait
 * for a few frames of @widget's window. */
static void
settle (GtkWidget *widget)
{
  guint frames = 0;
  guint id = gtk_widget_add_tick_callback (widget, count_frame_cb, &frames, NULL);

  gtk_widget_queue_draw (widget);
  instasync_test_wait_for (frames_drawn, &frames, 2000);
  gtk_widget_remove_tick_callback (widget, id);
  instasync_test_iterate ();
}

static GdkTexture *
render (GtkWidget *widget,
        gboolean   on_background)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width;
  int height;

  g_assert_nonnull (renderer);
  settle (widget);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);

  /* A window's own background is drawn by the window, not its content. */
  if (on_background)
    {
      GdkRGBA background;

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (widget),
                                                     "window_bg_color", &background));
G_GNUC_END_IGNORE_DEPRECATIONS
      gtk_snapshot_append_color (snapshot, &background,
                                 &GRAPHENE_RECT_INIT (0, 0, (float)width, (float)height));
    }

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  return gsk_renderer_render_texture (renderer, node,
                                      &GRAPHENE_RECT_INIT (0, 0, (float)width, (float)height));
}

GdkTexture *
instasync_test_render (GtkWidget *widget)
{
  return render (widget, FALSE);
}

GdkTexture *
instasync_test_render_window (GtkWindow *window)
{
  GtkWidget *content = ADW_IS_APPLICATION_WINDOW (window)
    ? adw_application_window_get_content (ADW_APPLICATION_WINDOW (window))
    : ADW_IS_WINDOW (window) ? adw_window_get_content (ADW_WINDOW (window))
    : gtk_window_get_child (window);

  return render (content, TRUE);
}

char *
instasync_test_save_png (GdkTexture *texture,
                         const char *name)
{
  const char *dir = g_getenv ("INSTASYNC_SCREENSHOT_DIR");
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  char *path;

  if (dir == NULL || *dir == '\0')
    dir = g_test_get_dir (G_TEST_BUILT);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);

  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  return path;
}

guint
instasync_test_count_color (GdkTexture    *texture,
                            const GdkRGBA *color,
                            guint          tolerance)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize)width * 4;
  g_autofree guchar *data = g_malloc (stride * height);
  int want[3] = { (int)(color->red * 255 + 0.5), (int)(color->green * 255 + 0.5),
                  (int)(color->blue * 255 + 0.5) };
  guint count = 0;

  /* Cairo's layout: B, G, R, A in memory, alpha premultiplied. */
  gdk_texture_download (texture, data, stride);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guchar *pixel = data + y * stride + x * 4;

        /* Mostly see-through pixels have no colour to speak of. */
        if (pixel[3] < 200)
          continue;

        if ((guint)abs (pixel[2] - want[0]) <= tolerance &&
            (guint)abs (pixel[1] - want[1]) <= tolerance &&
            (guint)abs (pixel[0] - want[2]) <= tolerance)
          count++;
      }

  return count;
}
