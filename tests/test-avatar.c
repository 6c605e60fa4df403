/* test-avatar.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Profile pictures come from outside: only over https (or http on this
 * machine), only as images, and no bigger than the limit, however the
 * answer is made. A picture server of our own that misbehaves on purpose,
 * and the simulator's real portrait.
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "graph-sim.h"
#include "instasync-avatar.h"
#include "instasync-error.h"

#define BAKERY "17841400000000001"

/* The smallest PNG there is: one transparent pixel. */
static const guint8 pixel_png[] = {
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
  0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
  0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
  0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
  0x42, 0x60, 0x82,
};

#define MIB (1024 * 1024)

/* A server that answers by hand, one blocking thread per connection, so
 * that an answer can be as long, as slow or as wrong as a test needs. */
typedef struct
{
  GThreadedSocketService *service;
  GMainContext           *context;
  GMainLoop              *loop;
  GThread                *thread;
  guint16                 port;
  /* Bytes of body written by the endless answer, and whether the client
   * hung up on it. */
  gint                    endless_written;
  gint                    endless_abandoned;
} PictureServer;

static PictureServer server;

static void
write_all (GOutputStream *out,
           const void    *data,
           gsize          length)
{
  g_output_stream_write_all (out, data, length, NULL, NULL, NULL);
}

static void
write_head (GOutputStream *out,
            const char    *status,
            const char    *headers)
{
  g_autofree char *head = g_strdup_printf ("HTTP/1.1 %s\r\n%sConnection: close\r\n\r\n",
                                           status, headers);

  write_all (out, head, strlen (head));
}

/* Waits for the client to go: reading gives nothing once it has. */
static void
wait_for_hang_up (GInputStream *in)
{
  char byte;

  while (g_input_stream_read (in, &byte, 1, NULL, NULL) > 0)
    ;
}

/* Three MiB of what starts as a PNG, with no length and no end: the body
 * is never finished, so a client that reads it whole before it judges it
 * never finishes either. */
static void
answer_endless (GInputStream  *in,
                GOutputStream *out)
{
  g_autofree guint8 *chunk = g_malloc0 (64 * 1024);
  gsize written = 0;

  memcpy (chunk, pixel_png, 8);
  write_head (out, "200 OK", "Content-Type: image/png\r\n");
  while (written < 3 * MIB)
    {
      if (!g_output_stream_write_all (out, chunk, 64 * 1024, NULL, NULL, NULL))
        break;
      written += 64 * 1024;
      g_atomic_int_set (&server.endless_written, (gint)written);
    }
  wait_for_hang_up (in);
  g_atomic_int_set (&server.endless_abandoned, TRUE);
}

static gboolean
on_run_cb (GThreadedSocketService *service,
           GSocketConnection      *connection,
           GObject                *source,
           gpointer                user_data)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GDataInputStream) lines = g_data_input_stream_new (in);
  g_autofree char *request = NULL;
  g_auto(GStrv) words = NULL;
  const char *path;

  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (lines), FALSE);
  request = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, NULL);
  if (request == NULL)
    return TRUE;
  g_strchomp (request);
  words = g_strsplit (request, " ", 3);
  path = words[1] != NULL ? words[1] : "/";

  /* The rest of the request is of no interest. */
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, NULL);

      if (line == NULL || *g_strchomp (line) == '\0')
        break;
    }

  if (g_str_equal (path, "/pixel.png"))
    {
      g_autofree char *headers = g_strdup_printf ("Content-Type: image/png\r\n"
                                                  "Content-Length: %zu\r\n", sizeof pixel_png);

      write_head (out, "200 OK", headers);
      write_all (out, pixel_png, sizeof pixel_png);
    }
  else if (g_str_equal (path, "/pixel-typed-uppercase"))
    {
      write_head (out, "200 OK", "Content-Type: IMAGE/PNG; charset=binary\r\n");
      write_all (out, pixel_png, sizeof pixel_png);
    }
  else if (g_str_equal (path, "/page.html"))
    {
      /* Even with a picture's bytes: the type is what it says. */
      write_head (out, "200 OK", "Content-Type: text/html\r\n");
      write_all (out, pixel_png, sizeof pixel_png);
    }
  else if (g_str_equal (path, "/untyped"))
    {
      write_head (out, "200 OK", "");
      write_all (out, pixel_png, sizeof pixel_png);
    }
  else if (g_str_equal (path, "/disguised.png"))
    {
      static const char page[] = "<html><script>alert(1)</script></html>";

      write_head (out, "200 OK", "Content-Type: image/png\r\n");
      write_all (out, page, sizeof page - 1);
    }
  else if (g_str_equal (path, "/empty.png"))
    {
      write_head (out, "200 OK", "Content-Type: image/png\r\nContent-Length: 0\r\n");
    }
  else if (g_str_equal (path, "/declared-huge.png"))
    {
      /* Says 3 MiB and sends none of it: the length alone is enough. */
      write_head (out, "200 OK", "Content-Type: image/png\r\nContent-Length: 3145728\r\n");
      wait_for_hang_up (in);
    }
  else if (g_str_equal (path, "/endless.png"))
    {
      answer_endless (in, out);
    }
  else if (g_str_equal (path, "/missing.png"))
    {
      write_head (out, "404 Not Found", "Content-Type: image/png\r\n");
      write_all (out, pixel_png, sizeof pixel_png);
    }
  else if (g_str_equal (path, "/to-pixel"))
    {
      write_head (out, "302 Found", "Location: /pixel.png\r\n");
    }
  else if (g_str_equal (path, "/to-clear-text"))
    {
      /* Off this machine, in clear text: never followed (and so the test
       * needs no network). */
      write_head (out, "302 Found", "Location: http://cdn.example.com/pixel.png\r\n");
    }
  else if (g_str_equal (path, "/loop"))
    {
      write_head (out, "302 Found", "Location: /loop\r\n");
    }
  else
    {
      write_head (out, "404 Not Found", "Content-Type: text/plain\r\n");
    }

  g_output_stream_flush (out, NULL, NULL);
  return TRUE;
}

static char *
url_for (const char *path)
{
  return g_strdup_printf ("http://127.0.0.1:%u%s", server.port, path);
}

static GBytes *
download (const char  *path,
          GError     **error)
{
  g_autofree char *url = url_for (path);

  return instasync_avatar_download (url, NULL, error);
}

static void
assert_refused (const char *path,
                GQuark      domain,
                int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) image = download (path, &error);

  g_test_message ("%s: %s", path, error != NULL ? error->message : "(accepted)");
  g_assert_null (image);
  g_assert_error (error, domain, code);
}

/* Tests */

static void
test_accepted (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) image = download ("/pixel.png", &error);
  g_autoptr(GBytes) expected = g_bytes_new_static (pixel_png, sizeof pixel_png);
  g_autoptr(GBytes) uppercase = NULL;
  g_autoptr(GBytes) redirected = NULL;

  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (image, expected));

  /* Types are case-insensitive, and may carry parameters. */
  uppercase = download ("/pixel-typed-uppercase", &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (uppercase, expected));

  /* A redirect on this machine is followed, and checked like the first. */
  redirected = download ("/to-pixel", &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (redirected, expected));
}

/* Clear text leaves this machine for nothing: not the first address, not
 * a redirect. */
static void
test_clear_text (void)
{
  static const char * const refused[] = {
    "http://cdn.example.com/pixel.png",
    "http://10.0.0.1/pixel.png",
    "http://127.0.0.1.example.com/pixel.png",
    "ftp://127.0.0.1/pixel.png",
    "file:///etc/passwd",
    "data:image/png;base64,iVBORw0KGgo=",
    "not an address",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) image = instasync_avatar_download (refused[i], NULL, &error);

      g_assert_null (image);
      g_assert_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND);
    }

  assert_refused ("/to-clear-text", INSTASYNC_ERROR, INSTASYNC_ERROR_NOT_FOUND);
}

/* The answer's type decides, and then its bytes. */
static void
test_not_an_image (void)
{
  assert_refused ("/page.html", INSTASYNC_ERROR, INSTASYNC_ERROR_FAILED);
  assert_refused ("/untyped", INSTASYNC_ERROR, INSTASYNC_ERROR_FAILED);
  assert_refused ("/missing.png", INSTASYNC_ERROR, INSTASYNC_ERROR_FAILED);
  assert_refused ("/disguised.png", INSTASYNC_ERROR, INSTASYNC_ERROR_FAILED);
  assert_refused ("/empty.png", INSTASYNC_ERROR, INSTASYNC_ERROR_FAILED);
  assert_refused ("/loop", INSTASYNC_ERROR, INSTASYNC_ERROR_FAILED);
}

static void
test_too_big (void)
{
  gint64 start;

  /* Refused on its length, before a byte of the body. */
  assert_refused ("/declared-huge.png", INSTASYNC_ERROR, INSTASYNC_ERROR_FAILED);

  /* No length and no end: refused once the limit is passed, while the
   * server still has more to send. A reader that took it all first would
   * wait for an end that never comes (and then fail on a timeout). */
  start = g_get_monotonic_time ();
  assert_refused ("/endless.png", INSTASYNC_ERROR, INSTASYNC_ERROR_FAILED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC);
  g_assert_cmpint (g_atomic_int_get (&server.endless_written), <=, 3 * MIB);

  /* The client hung up on it. */
  start = g_get_monotonic_time ();
  while (!g_atomic_int_get (&server.endless_abandoned) &&
         g_get_monotonic_time () - start < 10 * G_USEC_PER_SEC)
    g_usleep (10000);
  g_assert_true (g_atomic_int_get (&server.endless_abandoned));
}

/* The simulator's portrait, by the API's own address for it. */
static void
test_from_the_api (void)
{
  g_autoptr(GraphSim) sim = graph_sim_new ();
  g_autoptr(InstaSyncGraphClient) client = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;

  g_assert_true (graph_sim_load_demo (sim, &error));
  g_assert_true (graph_sim_start (sim, 0, &error));
  g_assert_no_error (error);
  base = graph_sim_get_base_url (sim);
  client = instasync_graph_client_new (base, "v22.0");

  image = instasync_avatar_fetch (client, "demo-token", BAKERY, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (instasync_avatar_looks_like_image (image));
  graph_sim_stop (sim);
}

/* What the cache gives back is what a download would have accepted. */
static void
test_cache (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("instasync-avatar-XXXXXX", &error);
  g_autoptr(GBytes) png = g_bytes_new_static (pixel_png, sizeof pixel_png);
  g_autoptr(GBytes) page = g_bytes_new_static ("<html></html>", 13);
  g_autoptr(GBytes) cached = NULL;
  g_autoptr(GBytes) refused = NULL;
  g_autofree char *path = NULL;

  g_assert_no_error (error);
  g_assert_true (instasync_avatar_cache_store (dir, BAKERY, png, &error));
  g_assert_no_error (error);
  cached = instasync_avatar_cache_lookup (dir, BAKERY, INSTASYNC_AVATAR_MAX_AGE_SECONDS);
  g_assert_nonnull (cached);
  g_assert_true (g_bytes_equal (cached, png));

  /* Something else wrote the file. */
  g_assert_true (instasync_avatar_cache_store (dir, BAKERY, page, &error));
  refused = instasync_avatar_cache_lookup (dir, BAKERY, INSTASYNC_AVATAR_MAX_AGE_SECONDS);
  g_assert_null (refused);

  path = g_build_filename (dir, BAKERY ".img", NULL);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_magic (void)
{
  static const struct { const char *bytes; gsize length; gboolean image; } cases[] = {
    { "\x89PNG\r\n\x1a\n....", 12, TRUE },
    { "\xff\xd8\xff\xe0....", 8, TRUE },
    { "GIF89a..", 8, TRUE },
    { "GIF87a..", 8, TRUE },
    { "RIFF\x10\0\0\0WEBPVP8 ", 16, TRUE },
    { "RIFF\x10\0\0\0WAVEfmt ", 16, FALSE },
    { "\x89PNG", 4, FALSE },
    { "<svg xmlns=\"http://www.w3.org/2000/svg\"/>", 41, FALSE },
    { "", 0, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) data = g_bytes_new_static (cases[i].bytes, cases[i].length);

      g_assert_cmpint (instasync_avatar_looks_like_image (data), ==, cases[i].image);
    }
}

/* Connections are accepted from a main loop: not the tests' own, which
 * blocks in every download. */
static gpointer
server_thread (gpointer data)
{
  g_main_context_push_thread_default (server.context);
  g_main_loop_run (server.loop);
  g_main_context_pop_thread_default (server.context);
  return NULL;
}

static void
start_server (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  server.context = g_main_context_new ();
  server.loop = g_main_loop_new (server.context, FALSE);

  /* The service takes the thread-default context when it starts. */
  g_main_context_push_thread_default (server.context);
  server.service = G_THREADED_SOCKET_SERVICE (g_threaded_socket_service_new (8));
  g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (server.service), address,
                                                G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                                NULL, &bound, &error));
  g_assert_no_error (error);
  server.port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_signal_connect (server.service, "run", G_CALLBACK (on_run_cb), NULL);
  g_socket_service_start (G_SOCKET_SERVICE (server.service));
  g_main_context_pop_thread_default (server.context);

  server.thread = g_thread_new ("picture-server", server_thread, NULL);
}

static gboolean
quit_cb (gpointer data)
{
  g_socket_service_stop (G_SOCKET_SERVICE (server.service));
  g_socket_listener_close (G_SOCKET_LISTENER (server.service));
  g_main_loop_quit (server.loop);
  return G_SOURCE_REMOVE;
}

static void
stop_server (void)
{
  g_main_context_invoke (server.context, quit_cb, NULL);
  g_thread_join (server.thread);
  g_clear_object (&server.service);
  g_clear_pointer (&server.loop, g_main_loop_unref);
  g_clear_pointer (&server.context, g_main_context_unref);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  start_server ();

  g_test_add_func ("/avatar/accepted", test_accepted);
  g_test_add_func ("/avatar/clear-text", test_clear_text);
  g_test_add_func ("/avatar/not-an-image", test_not_an_image);
  g_test_add_func ("/avatar/too-big", test_too_big);
  g_test_add_func ("/avatar/from-the-api", test_from_the_api);
  g_test_add_func ("/avatar/cache", test_cache);
  g_test_add_func ("/avatar/magic", test_magic);

  status = g_test_run ();

  stop_server ();
  return status;
}
