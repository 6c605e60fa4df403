/* instasync-gui-bench.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The GUI benchmark: with 20 accounts and two years of daily insights in a
 * throwaway PostgreSQL cluster,
 *
 *  1. launch to the first frame, and to the first account's page showing
 *     its chart: each launch a fresh process (this program re-executed with
 *     --launch-once, running the real InstaSyncApplication), against the
 *     same launch of a minimal libadwaita application
 *     (instasync-gui-bench-minimal); and, when there is an X server with the
 *     DAMAGE extension, the real `instasync` executable timed from outside
 *     until its window is mapped;
 *  2. the chart's redraw over two years (730 points): InstaSyncChart against
 *     a naive cairo chart (instasync-gui-bench-naive-chart.c);
 *  3. resident memory of the launched process once the first account's page
 *     shows data, before the connect dialog has ever been opened.
 *
 * It prints the figures beside their baselines and whether each target is
 * met, and exits 0 whatever the figures; it fails only when it cannot
 * measure. See build-aux/bench-gui.sh. */

#define G_LOG_DOMAIN "instasync-gui-bench"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <poll.h>

#ifdef BENCH_HAVE_XDAMAGE
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/extensions/Xdamage.h>
#endif

#include "instasync-account-page.h"
#include "instasync-application.h"
#include "instasync-avatar.h"
#include "instasync-chart.h"
#include "instasync-gui-bench-launch.h"
#include "instasync-gui-bench.h"
#include "instasync-test-pg.h"
#include "instasync-time.h"
#include "instasync-window.h"

#define TOKEN_KEY            "0123456789abcdef0123456789abcdef"
#define DEFAULT_ACCOUNTS     20
#define DEFAULT_DAYS         730
#define DEFAULT_RUNS         5
#define DEFAULT_REDRAWS      200
#define LAUNCH_TIMEOUT_S     30
/* The largest chart the account page gives: its clamp is 960 pixels wide
 * and the chart asks for 260 pixels of height. */
#define CHART_WIDTH          960
#define CHART_HEIGHT         260
/* The read-out's day, towards the right as a pointer would often be. */
#define READOUT_INDEX        500

#define TARGET_FIRST_FRAME_MS 300.0
#define TARGET_REDRAW_MS      8.0
#define TARGET_RSS_MB         120.0     /* 10^6 bytes */

static const char * const metrics[] = {
  "reach", "profile_views", "accounts_engaged", "follower_count",
};

/* Statistics */

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a;
  double y = *(const double *)b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static GArray *
sorted_copy (GArray *samples)
{
  GArray *sorted = g_array_sized_new (FALSE, FALSE, sizeof (double), samples->len);

  g_array_append_vals (sorted, samples->data, samples->len);
  g_array_sort (sorted, compare_doubles);
  return sorted;
}

static double
median (GArray *samples)
{
  g_autoptr(GArray) sorted = NULL;
  guint n = samples != NULL ? samples->len : 0;

  if (n == 0)
    return NAN;

  sorted = sorted_copy (samples);
  if (n % 2 == 1)
    return g_array_index (sorted, double, n / 2);
  return (g_array_index (sorted, double, n / 2 - 1) + g_array_index (sorted, double, n / 2)) / 2;
}

/* The nearest-rank percentile: the smallest sample with at least @p of
 * the samples at or below it. */
static double
percentile (GArray *samples,
            double  p)
{
  g_autoptr(GArray) sorted = NULL;
  guint n = samples != NULL ? samples->len : 0;
  guint rank;

  if (n == 0)
    return NAN;

  sorted = sorted_copy (samples);
  rank = (guint)ceil (p * n);
  return g_array_index (sorted, double, CLAMP (rank, 1, n) - 1);
}

static double
maximum (GArray *samples)
{
  return percentile (samples, 1.0);
}

static GArray *
samples_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (double));
}

static void
add_sample (GArray *samples,
            double  value)
{
  g_array_append_val (samples, value);
}

/* The database: 20 accounts, two years of days */

static gboolean
is_time_series (const char *metric)
{
  return g_str_equal (metric, "reach") || g_str_equal (metric, "follower_count");
}

/* A weekly rhythm on a slow rise, different for every account. */
static gint64
daily_value (guint account,
             guint metric,
             guint day)
{
  guint base = 600 + 53 * account;
  guint weekend = (day % 7) < 2;

  switch (metric)
    {
    case 0:  /* reach */
      return base * 2 + 2 * day + weekend * 400 + (day * 7919u + account * 104729u) % 150;
    case 1:  /* profile_views */
      return base / 12 + day % 9;
    case 2:  /* accounts_engaged */
      return base / 3 + day / 5 + weekend * 60;
    default: /* follower_count: new followers that day */
      return 3 + (day + account) % 11;
    }
}

static char *
format_timestamp (gint64 unix_seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_seconds);

  return g_date_time_format (time, "%Y-%m-%d %H:%M:%S+00");
}

static char *
account_id (guint account)
{
  return g_strdup_printf ("178414000001%05u", account + 1);
}

static void
append_row (GString    *copy,
            const char *ig_user_id,
            const char *metric,
            const char *metric_type,
            gint64      window_start,
            gint64      end_time,
            gint64      value)
{
  g_autofree char *start = format_timestamp (window_start);
  g_autofree char *end = format_timestamp (end_time);

  g_string_append_printf (copy, "%s\t%s\tday\t%s\t%s\t%s\t%" G_GINT64_FORMAT "\n",
                          ig_user_id, metric, metric_type, start, end, value);
}

static cairo_status_t
write_png_cb (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* The accounts through the store, as the connect dialog adds them; the
 * insights in one COPY: for every account, @days Pacific days ending
 * yesterday of the four default metrics, and the 7- and 28-day totals of
 * reach and accounts engaged that a sync stores (the latest and the one
 * before, which the overview compares). */
static gboolean
fill_database (InstaSyncTestPg  *pg,
               guint             n_accounts,
               guint             n_days,
               guint            *n_rows,
               GError          **error)
{
  g_autoptr(InstaSyncStore) store = instasync_test_pg_connect_migrated (pg, error);
  g_autoptr(GString) copy = g_string_sized_new ((gsize)n_accounts * n_days * 4 * 100);
  g_autofree gint64 *starts = g_new (gint64, n_days);
  g_autofree gint64 *ends = g_new (gint64, n_days);
  PGconn *conn;
  PGresult *result;
  GDate day;
  gboolean ok = TRUE;

  if (store == NULL)
    return FALSE;

  *n_rows = 0;
  for (guint a = 0; a < n_accounts; a++)
    {
      g_autofree char *id = account_id (a);
      g_autofree char *username = g_strdup_printf ("bench.account%02u", a + 1);
      g_autofree char *token = g_strdup_printf ("EAAbench-token-%u", a + 1);

      if (!instasync_store_add_account (store, id, username, token, TOKEN_KEY, error))
        return FALSE;
    }

  instasync_pacific_date_at (g_get_real_time () / G_USEC_PER_SEC, &day);
  g_date_subtract_days (&day, n_days);
  for (guint d = 0; d < n_days; d++)
    {
      starts[d] = instasync_pacific_day_start (&day);
      ends[d] = instasync_pacific_day_end (&day);
      g_date_add_days (&day, 1);
    }

  for (guint a = 0; a < n_accounts; a++)
    {
      g_autofree char *id = account_id (a);

      for (guint m = 0; m < G_N_ELEMENTS (metrics); m++)
        for (guint d = 0; d < n_days; d++)
          {
            append_row (copy, id, metrics[m], is_time_series (metrics[m]) ? "time_series" : "total_value",
                        starts[d], ends[d], daily_value (a, m, d));
            (*n_rows)++;
          }

      /* The period totals: the last @span days up to yesterday, and the
       * @span days before them. */
      for (guint m = 0; m < G_N_ELEMENTS (metrics); m++)
        {
          const guint spans[] = { 7, 28 };

          if (m != 0 && m != 2)
            continue;

          for (guint s = 0; s < G_N_ELEMENTS (spans); s++)
            for (guint k = 0; k < 2; k++)
              {
                guint last = n_days - 1 - k * spans[s];
                guint first = last + 1 - spans[s];
                gint64 sum = 0;

                if (spans[s] * 2 > n_days)
                  continue;
                for (guint d = first; d <= last; d++)
                  sum += daily_value (a, m, d);
                /* People come back: fewer distinct ones than the days add up to. */
                append_row (copy, id, metrics[m], "total_value", starts[first], ends[last],
                            sum * 6 / 10);
                (*n_rows)++;
              }
        }
    }

  conn = instasync_store_get_connection (store);
  result = PQexec (conn, "COPY instagram_insights (ig_user_id, metric, period, metric_type, "
                         "window_start, end_time, value) FROM STDIN");
  if (PQresultStatus (result) != PGRES_COPY_IN)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "COPY: %s", PQerrorMessage (conn));
      PQclear (result);
      return FALSE;
    }
  PQclear (result);

  if (PQputCopyData (conn, copy->str, (int)copy->len) != 1 || PQputCopyEnd (conn, NULL) != 1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "COPY: %s", PQerrorMessage (conn));
      return FALSE;
    }
  while ((result = PQgetResult (conn)) != NULL)
    {
      if (PQresultStatus (result) != PGRES_COMMAND_OK && ok)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "COPY: %s",
                       PQresultErrorMessage (result));
          ok = FALSE;
        }
      PQclear (result);
    }
  if (!ok)
    return FALSE;

  /* As some time after a sync: the table vacuumed and analysed, so that
   * no autovacuum competes with the launches for the CPU. */
  result = PQexec (conn, "VACUUM ANALYZE instagram_insights");
  PQclear (result);

  return TRUE;
}

/* The profile pictures as a launch finds them after the first one: in the
 * cache, younger than a week (a 150 × 150 PNG each, Instagram's size). */
static gboolean
fill_avatar_cache (const char  *cache_dir,
                   guint        n_accounts,
                   GError     **error)
{
  g_autofree char *avatars = g_build_filename (cache_dir, "avatars", NULL);

  for (guint a = 0; a < n_accounts; a++)
    {
      g_autofree char *id = account_id (a);
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 150, 150);
      cairo_t *cr = cairo_create (surface);
      GByteArray *png = g_byte_array_new ();
      g_autoptr(GBytes) bytes = NULL;

      cairo_set_source_rgb (cr, 0.2 + 0.03 * (a % 20), 0.4, 0.8 - 0.03 * (a % 20));
      cairo_paint (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_arc (cr, 75, 60, 28, 0, 2 * G_PI);
      cairo_fill (cr);
      cairo_arc (cr, 75, 150, 55, G_PI, 2 * G_PI);
      cairo_fill (cr);
      cairo_destroy (cr);
      cairo_surface_write_to_png_stream (surface, write_png_cb, png);
      cairo_surface_destroy (surface);
      bytes = g_byte_array_free_to_bytes (png);

      if (!instasync_avatar_cache_store (avatars, id, bytes, error))
        return FALSE;
    }

  return TRUE;
}

/* Child: one launch of InstaSync (--launch-once) */

static gboolean
accept_instasync_window (GtkWindow *window,
                         gpointer   data)
{
  InstaSyncAccountPage *page;

  if (!INSTASYNC_IS_WINDOW (window))
    return FALSE;

  /* Each change towards the loaded page gets a frame of its own. */
  page = instasync_window_get_account_page (INSTASYNC_WINDOW (window));
  g_signal_connect_object (page, "notify::loading", G_CALLBACK (gtk_widget_queue_draw), window,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (instasync_account_page_get_chart (page), "notify::n-points",
                           G_CALLBACK (gtk_widget_queue_draw), window, G_CONNECT_SWAPPED);
  return TRUE;
}

/* The first account's page with its chart and figures loaded. */
static gboolean
instasync_page_ready (GtkWindow *window,
                      gpointer   data)
{
  InstaSyncWindow *self = INSTASYNC_WINDOW (window);
  InstaSyncAccountPage *page = instasync_window_get_account_page (self);

  return g_strcmp0 (instasync_window_get_page_name (self), "accounts") == 0 &&
         instasync_account_page_get_account (page) != NULL &&
         !instasync_account_page_get_loading (page) &&
         instasync_chart_get_n_points (instasync_account_page_get_chart (page)) > 0;
}

static void
instasync_report (GtkWindow *window,
                  gpointer   data)
{
  InstaSyncAccountPage *page = instasync_window_get_account_page (INSTASYNC_WINDOW (window));
  InstaSyncAccount *account = instasync_account_page_get_account (page);
  g_autofree char *card = instasync_account_page_dup_card_text (page, 0);

  printf ("points %u\n", instasync_chart_get_n_points (instasync_account_page_get_chart (page)));
  printf ("account %s\n", instasync_account_get_username (account) != NULL
                          ? instasync_account_get_username (account)
                          : instasync_account_get_ig_user_id (account));
  printf ("card %s\n", card != NULL ? card : "");
}

/* What main.c does, with the launch watched. Non-unique, unlike the real
 * application: a launch must never hand over to an InstaSync that runs on
 * the desktop. The name it then does not ask the bus for is one round trip. */
static int
launch_once (char   *argv0,
             gint64  main_started)
{
  g_autoptr(InstaSyncApplication) app = NULL;
  char *args[] = { argv0, NULL };
  int status;

  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = instasync_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  bench_launch_watch (G_APPLICATION (app), main_started, LAUNCH_TIMEOUT_S, accept_instasync_window,
                      instasync_page_ready, instasync_report, NULL);

  status = g_application_run (G_APPLICATION (app), 1, args);

  return bench_launch_succeeded () ? status : 1;
}

/* Parent: launches */

typedef struct
{
  GArray *mapped_ms;      /* spawn → window mapped */
  GArray *first_ms;       /* spawn → first frame */
  GArray *main_first_ms;  /* main() → first frame */
  GArray *data_ms;        /* spawn → the page with data */
  GArray *rss_mib;
  GArray *hwm_mib;
  guint   points;
  char   *account;
  char   *card;
} LaunchSeries;

static void
launch_series_init (LaunchSeries *series)
{
  series->mapped_ms = samples_new ();
  series->first_ms = samples_new ();
  series->main_first_ms = samples_new ();
  series->data_ms = samples_new ();
  series->rss_mib = samples_new ();
  series->hwm_mib = samples_new ();
}

static void
launch_series_clear (LaunchSeries *series)
{
  g_clear_pointer (&series->mapped_ms, g_array_unref);
  g_clear_pointer (&series->first_ms, g_array_unref);
  g_clear_pointer (&series->main_first_ms, g_array_unref);
  g_clear_pointer (&series->data_ms, g_array_unref);
  g_clear_pointer (&series->rss_mib, g_array_unref);
  g_clear_pointer (&series->hwm_mib, g_array_unref);
  g_clear_pointer (&series->account, g_free);
  g_clear_pointer (&series->card, g_free);
}

static char *
self_exe (void)
{
  g_autoptr(GError) error = NULL;
  char *path = g_file_read_link ("/proc/self/exe", &error);

  if (path == NULL)
    g_error ("Cannot find the benchmark's own executable: %s", error->message);

  return path;
}

static char *
minimal_exe (void)
{
  g_autofree char *self = self_exe ();
  g_autofree char *dir = g_path_get_dirname (self);

  return g_build_filename (dir, "instasync-gui-bench-minimal", NULL);
}

/* One launch in a fresh process; @series gets its figures unless @record
 * is FALSE (a warm-up run). */
static gboolean
run_launch (gboolean       instasync,
            LaunchSeries  *series,
            gboolean       record,
            GError       **error)
{
  g_autofree char *exe = instasync ? self_exe () : minimal_exe ();
  char *argv[] = { exe, instasync ? (char *)"--launch-once" : NULL, NULL };
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  gint64 mapped = 0, first = 0, main_started = 0, data = 0, rss = -1, hwm = -1;
  int wait_status;
  gint64 spawned;

  spawned = g_get_monotonic_time ();
  if (!g_spawn_sync (NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &wait_status, error))
    return FALSE;
  if (!g_spawn_check_wait_status (wait_status, error))
    {
      g_prefix_error (error, "Launch of %s: ", instasync ? "InstaSync" : "the minimal application");
      return FALSE;
    }

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (g_str_has_prefix (line, "mapped "))
        sscanf (line, "mapped %" G_GINT64_FORMAT, &mapped);
      else if (g_str_has_prefix (line, "first-frame "))
        sscanf (line, "first-frame %" G_GINT64_FORMAT " %" G_GINT64_FORMAT, &first, &main_started);
      else if (g_str_has_prefix (line, "data-frame "))
        sscanf (line, "data-frame %" G_GINT64_FORMAT, &data);
      else if (g_str_has_prefix (line, "rss "))
        sscanf (line, "rss %" G_GINT64_FORMAT " %" G_GINT64_FORMAT, &rss, &hwm);
      else if (g_str_has_prefix (line, "points ") && record)
        series->points = (guint)g_ascii_strtoull (line + 7, NULL, 10);
      else if (g_str_has_prefix (line, "account ") && record && series->account == NULL)
        series->account = g_strdup (line + 8);
      else if (g_str_has_prefix (line, "card ") && record && series->card == NULL)
        series->card = g_strdup (line + 5);
    }

  if (first == 0 || data == 0 || rss < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Launch of %s reported no frame (is an X or Wayland display there?)",
                   instasync ? "InstaSync" : "the minimal application");
      return FALSE;
    }

  if (record)
    {
      if (mapped != 0)
        add_sample (series->mapped_ms, (mapped - spawned) / 1000.0);
      add_sample (series->first_ms, (first - spawned) / 1000.0);
      add_sample (series->main_first_ms, (first - main_started) / 1000.0);
      add_sample (series->data_ms, (data - spawned) / 1000.0);
      add_sample (series->rss_mib, rss / 1024.0);
      add_sample (series->hwm_mib, hwm / 1024.0);
    }

  return TRUE;
}

/* Parent: the real executable, seen from the X server */

typedef struct
{
  GArray *mapped_ms;  /* spawn → its window mapped */
  GArray *rss_mib;    /* once it has stopped drawing */
  GArray *hwm_mib;
  guint   unsettled;  /* runs sampled while it still drew */
  char   *skipped;    /* why it was not measured */
  gpointer display;   /* the X display (Display *), while it is measured */
  int     damage_event;
} RealSeries;

#ifdef BENCH_HAVE_XDAMAGE

static int
ignore_x_error (Display     *display,
                XErrorEvent *event)
{
  /* Windows come and go under our feet (BadWindow, BadDamage): harmless. */
  return 0;
}

static gboolean
window_has_pid (Display *display,
                Window   window,
                Atom     net_wm_pid,
                GPid     pid)
{
  Atom type;
  int format;
  unsigned long n_items, after;
  unsigned char *data = NULL;
  gboolean match = FALSE;

  if (XGetWindowProperty (display, window, net_wm_pid, 0, 1, False, XA_CARDINAL, &type, &format,
                          &n_items, &after, &data) == Success &&
      data != NULL && n_items == 1 && format == 32)
    match = (GPid)*(unsigned long *)data == pid;
  if (data != NULL)
    XFree (data);

  return match;
}

/* The real `instasync` from spawn until the X server maps a top-level
 * window of its process (_NET_WM_PID): the moment a window appears. Its
 * first frame comes a little later, and cannot be told from outside: the
 * first DAMAGE report on the window is the server clearing it as it maps.
 * Then, once nothing has been drawn into the window for 700 ms (its data
 * loaded and shown; a DAMAGE object is created on every top-level as it is
 * created, before it can be drawn to) or 6 s after it was mapped, its
 * VmRSS; then SIGTERM. */
static gboolean
run_real_once (Display     *display,
               int          damage_event,
               RealSeries  *series,
               gboolean     record,
               GError     **error)
{
  Window root = DefaultRootWindow (display);
  Atom net_wm_pid = XInternAtom (display, "_NET_WM_PID", False);
  g_autoptr(GHashTable) ours = g_hash_table_new (NULL, NULL);
  g_autofree char *status_path = NULL;
  char *argv[] = { (char *)BENCH_INSTASYNC_EXE, NULL };
  gint64 spawned, mapped = 0, last_drawn = 0, deadline;
  gboolean settled = FALSE;
  GPid pid;
  int wait_status;

  XSelectInput (display, root, SubstructureNotifyMask);
  XSync (display, False);
  while (XPending (display))
    {
      XEvent event;

      XNextEvent (display, &event);
    }

  spawned = g_get_monotonic_time ();
  if (!g_spawn_async (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                      NULL, NULL, &pid, error))
    return FALSE;
  status_path = g_strdup_printf ("/proc/%d/status", (int)pid);
  deadline = spawned + 20 * G_USEC_PER_SEC;

  for (;;)
    {
      struct pollfd fd = { ConnectionNumber (display), POLLIN, 0 };
      gint64 now;

      while (XPending (display))
        {
          XEvent event;

          XNextEvent (display, &event);
          now = g_get_monotonic_time ();

          if (event.type == CreateNotify && event.xcreatewindow.parent == root)
            {
              XDamageCreate (display, event.xcreatewindow.window, XDamageReportNonEmpty);
              XFlush (display);
            }
          else if (event.type == MapNotify &&
                   window_has_pid (display, event.xmap.window, net_wm_pid, pid))
            {
              g_hash_table_add (ours, GSIZE_TO_POINTER (event.xmap.window));
              if (mapped == 0)
                mapped = last_drawn = now;
            }
          else if (event.type == damage_event + XDamageNotify)
            {
              XDamageNotifyEvent *damage = (XDamageNotifyEvent *)&event;

              XDamageSubtract (display, damage->damage, None, None);
              if (g_hash_table_contains (ours, GSIZE_TO_POINTER (damage->drawable)))
                last_drawn = now;
            }
        }

      now = g_get_monotonic_time ();
      if (mapped != 0 && now - last_drawn >= 700 * 1000)
        {
          settled = TRUE;
          break;
        }
      if ((mapped != 0 && now - mapped >= 6 * G_USEC_PER_SEC) || now >= deadline)
        break;
      if (waitpid (pid, &wait_status, WNOHANG) == pid)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "%s exited before it was measured", BENCH_INSTASYNC_EXE);
          g_spawn_close_pid (pid);
          XSelectInput (display, root, NoEventMask);
          return FALSE;
        }

      poll (&fd, 1, 50);
    }

  if (record && mapped != 0)
    {
      add_sample (series->mapped_ms, (mapped - spawned) / 1000.0);
      add_sample (series->rss_mib, bench_read_status_kib (status_path, "VmRSS") / 1024.0);
      add_sample (series->hwm_mib, bench_read_status_kib (status_path, "VmHWM") / 1024.0);
      if (!settled)
        series->unsettled++;
    }

  kill (pid, SIGTERM);
  waitpid (pid, &wait_status, 0);
  g_spawn_close_pid (pid);
  XSelectInput (display, root, NoEventMask);
  XSync (display, True);

  if (mapped == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "%s mapped no window within 20 s", BENCH_INSTASYNC_EXE);
      return FALSE;
    }

  return TRUE;
}

static void
real_open (RealSeries *series)
{
  const char *wayland = g_getenv ("WAYLAND_DISPLAY");
  const char *backend = g_getenv ("GDK_BACKEND");
  Display *display;
  int damage_error;

  if (wayland != NULL && *wayland != '\0' && g_strcmp0 (backend, "x11") != 0)
    {
      series->skipped = g_strdup ("a Wayland session: its window is not an X window");
      return;
    }
  if (!g_file_test (BENCH_INSTASYNC_EXE, G_FILE_TEST_IS_EXECUTABLE))
    {
      series->skipped = g_strdup_printf ("%s is not built", BENCH_INSTASYNC_EXE);
      return;
    }
  display = XOpenDisplay (NULL);
  if (display == NULL)
    {
      series->skipped = g_strdup ("no X display");
      return;
    }
  if (!XDamageQueryExtension (display, &series->damage_event, &damage_error))
    {
      series->skipped = g_strdup ("the X server has no DAMAGE extension");
      XCloseDisplay (display);
      return;
    }
  XSetErrorHandler (ignore_x_error);
  series->display = display;
}

static void
real_close (RealSeries *series)
{
  if (series->display != NULL)
    XCloseDisplay (series->display);
  series->display = NULL;
}

/* One run (a warm-up one unless @record); the first failure ends the
 * measure of the real executable, not the benchmark. */
static void
real_run (RealSeries *series,
          gboolean    record)
{
  g_autoptr(GError) error = NULL;

  if (series->display == NULL)
    return;

  if (!run_real_once (series->display, series->damage_event, series, record, &error))
    {
      series->skipped = g_strdup (error->message);
      real_close (series);
    }
}

#else

static void
real_open (RealSeries *series)
{
  series->skipped = g_strdup ("built without Xlib and the DAMAGE extension");
}

static void
real_close (RealSeries *series)
{
}

static void
real_run (RealSeries *series,
          gboolean    record)
{
}

#endif

/* Parent: the chart */

typedef struct
{
  GArray *redraw_ms;          /* snapshot + render of the chart */
  GArray *snapshot_ms;        /* of which the snapshot */
  GArray *readout_ms;         /* the same with the read-out */
  GArray *frame_ms;           /* a full frame of the window */
  GArray *frame_readout_ms;
} ChartSeries;

static void
chart_series_init (ChartSeries *series)
{
  series->redraw_ms = samples_new ();
  series->snapshot_ms = samples_new ();
  series->readout_ms = samples_new ();
  series->frame_ms = samples_new ();
  series->frame_readout_ms = samples_new ();
}

static void
chart_series_clear (ChartSeries *series)
{
  g_clear_pointer (&series->redraw_ms, g_array_unref);
  g_clear_pointer (&series->snapshot_ms, g_array_unref);
  g_clear_pointer (&series->readout_ms, g_array_unref);
  g_clear_pointer (&series->frame_ms, g_array_unref);
  g_clear_pointer (&series->frame_readout_ms, g_array_unref);
}

static GArray *
chart_points (guint n_days)
{
  GArray *points = g_array_new (FALSE, FALSE, sizeof (InstaSyncChartPoint));
  GDate day;

  instasync_pacific_date_at (g_get_real_time () / G_USEC_PER_SEC, &day);
  g_date_subtract_days (&day, n_days);
  for (guint i = 0; i < n_days; i++)
    {
      InstaSyncChartPoint point = { g_date_get_julian (&day), (double)daily_value (0, 0, i) };

      g_array_append_val (points, point);
      g_date_add_days (&day, 1);
    }

  return points;
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
wait_for (gboolean (*condition) (gpointer data),
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

static gboolean
is_laid_out (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

static void
iterate (void)
{
  for (guint round = 0; round < 2; round++)
    while (g_main_context_pending (NULL))
      g_main_context_iteration (NULL, FALSE);
}

/* The chart alone in an undecorated window of the size the account page
 * gives it at most. */
static GtkWindow *
show_chart (GtkWidget *chart)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_decorated (window, FALSE);
  gtk_window_set_default_size (window, CHART_WIDTH, CHART_HEIGHT);
  gtk_window_set_child (window, chart);
  gtk_window_present (window);
  if (!wait_for (is_laid_out, chart, 5000))
    g_error ("The chart's window was never shown");
  iterate ();

  return window;
}

/* One redraw of @chart as a frame does it: the widget asked to draw again
 * (its last render node thrown away), its snapshot taken (its CSS and its
 * own snapshot), and the node rendered by the window's renderer into a
 * texture of the chart's size. */
static void
redraw_once (GtkWindow *window,
             GtkWidget *chart,
             GArray    *redraw_ms,
             GArray    *snapshot_ms)
{
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  graphene_rect_t bounds;
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  GdkTexture *texture;
  gint64 started, snapshotted, rendered;

  if (!gtk_widget_compute_bounds (chart, GTK_WIDGET (window), &bounds))
    g_error ("The chart has no bounds");

  gtk_widget_queue_draw (chart);
  started = g_get_monotonic_time ();
  snapshot = gtk_snapshot_new ();
  gtk_widget_snapshot_child (GTK_WIDGET (window), chart, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  snapshotted = g_get_monotonic_time ();
  texture = gsk_renderer_render_texture (renderer, node, &bounds);
  rendered = g_get_monotonic_time ();

  g_object_unref (texture);
  gsk_render_node_unref (node);

  if (redraw_ms != NULL)
    add_sample (redraw_ms, (rendered - started) / 1000.0);
  if (snapshot_ms != NULL)
    add_sample (snapshot_ms, (snapshotted - started) / 1000.0);
}

/* Full frames: the frame clock from ::before-paint to ::after-paint, with
 * only the chart to draw again (update, layout, the window's snapshot with
 * the chart's new node, the render to the X window). */
typedef struct
{
  GtkWidget  *chart;
  GdkSurface *surface;
  GArray     *samples;
  guint       wanted;
  guint       skip;
  gint64      started;
  gboolean    rendered;
} FrameTimer;

static FrameTimer *frame_timer;

static gboolean
on_frame_render_hook (GSignalInvocationHint *hint,
                      guint                  n_params,
                      const GValue          *params,
                      gpointer               data)
{
  if (frame_timer != NULL && g_value_get_object (&params[0]) == (gpointer)frame_timer->surface)
    frame_timer->rendered = TRUE;
  return TRUE;
}

static void
on_before_paint (GdkFrameClock *clock,
                 FrameTimer    *timer)
{
  timer->started = g_get_monotonic_time ();
  timer->rendered = FALSE;
}

static void
on_after_paint (GdkFrameClock *clock,
                FrameTimer    *timer)
{
  gint64 now = g_get_monotonic_time ();

  if (timer->started == 0 || !timer->rendered || timer->samples->len >= timer->wanted)
    return;

  if (timer->skip > 0)
    timer->skip--;
  else
    add_sample (timer->samples, (now - timer->started) / 1000.0);

  if (timer->samples->len < timer->wanted)
    gtk_widget_queue_draw (timer->chart);
}

static gboolean
frames_done (gpointer data)
{
  FrameTimer *timer = data;

  return timer->samples->len >= timer->wanted;
}

/* @n more frames of @window, its chart drawn again in each, after two not
 * counted (the first after the window was shown draws all of it). */
static void
time_frames (GtkWindow *window,
             GtkWidget *chart,
             guint      n,
             GArray    *frame_ms)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  FrameTimer timer = {
    .chart = chart,
    .surface = gtk_native_get_surface (GTK_NATIVE (window)),
    .samples = frame_ms,
    .wanted = frame_ms->len + n,
    .skip = 2,
  };
  gulong before, after;

  frame_timer = &timer;
  before = g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_paint), &timer);
  after = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &timer);
  gtk_widget_queue_draw (chart);
  if (!wait_for (frames_done, &timer, 30000))
    g_printerr ("bench: only %u of %u frames were drawn\n", frame_ms->len, timer.wanted);
  g_signal_handler_disconnect (clock, before);
  g_signal_handler_disconnect (clock, after);
  frame_timer = NULL;
  iterate ();
}

typedef struct
{
  GtkWidget   *chart;
  GtkWindow   *window;
  ChartSeries *series;
} ChartRun;

static void
set_readout (ChartRun *run,
             gboolean  naive,
             int       index)
{
  if (naive)
    bench_naive_chart_set_selected (run->chart, index);
  else
    instasync_chart_set_selected (INSTASYNC_CHART (run->chart), index);
}

#define FRAME_BLOCK 25

/* Both charts, measured in turns so that whatever else runs on the
 * machine weighs on both alike: redraws alternate one by one (both windows
 * shown; rendering into a texture, they may overlap), frames come in
 * blocks of FRAME_BLOCK with only the measured window shown (an overlapped
 * window would be drawn in part). */
static void
run_charts (guint        n_days,
            guint        redraws,
            ChartSeries *naive_series,
            ChartSeries *series)
{
  g_autoptr(GArray) points = chart_points (n_days);
  const InstaSyncChartPoint *data = (const InstaSyncChartPoint *)(const void *)points->data;
  int readout = (int)MIN (READOUT_INDEX, n_days - 1);
  ChartRun runs[2];

  g_printerr ("bench: the charts, %u redraws and %u frames of each kind …\n", redraws, redraws);

  runs[0].chart = bench_naive_chart_new ();
  bench_naive_chart_set_points (runs[0].chart, data, points->len);
  runs[0].series = naive_series;

  runs[1].chart = instasync_chart_new ();
  instasync_chart_set_points (INSTASYNC_CHART (runs[1].chart), data, points->len);
  instasync_chart_set_metric_label (INSTASYNC_CHART (runs[1].chart), "Reach");
  runs[1].series = series;

  for (guint r = 0; r < 2; r++)
    runs[r].window = show_chart (runs[r].chart);

  for (guint with_readout = 0; with_readout < 2; with_readout++)
    {
      for (guint r = 0; r < 2; r++)
        {
          set_readout (&runs[r], r == 0, with_readout ? readout : -1);
          gtk_widget_set_visible (GTK_WIDGET (runs[r].window), TRUE);
          wait_for (is_laid_out, runs[r].chart, 5000);
        }
      iterate ();

      /* Five of each first, not counted: glyph and font caches. */
      for (guint i = 0; i < redraws + 5; i++)
        for (guint k = 0; k < 2; k++)
          {
            /* Each goes first every other time. */
            ChartRun *run = &runs[(i + k) % 2];

            redraw_once (run->window, run->chart,
                         i < 5 ? NULL : with_readout ? run->series->readout_ms : run->series->redraw_ms,
                         i < 5 || with_readout ? NULL : run->series->snapshot_ms);
          }
      iterate ();

      for (guint r = 0; r < 2; r++)
        gtk_widget_set_visible (GTK_WIDGET (runs[r].window), FALSE);
      iterate ();

      for (guint done = 0; done < redraws; done += FRAME_BLOCK)
        for (guint k = 0; k < 2; k++)
          {
            ChartRun *run = &runs[(done / FRAME_BLOCK + k) % 2];

            gtk_widget_set_visible (GTK_WIDGET (run->window), TRUE);
            wait_for (is_laid_out, run->chart, 5000);
            time_frames (run->window, run->chart, MIN (FRAME_BLOCK, redraws - done),
                         with_readout ? run->series->frame_readout_ms : run->series->frame_ms);
            gtk_widget_set_visible (GTK_WIDGET (run->window), FALSE);
            iterate ();
          }
    }

  for (guint r = 0; r < 2; r++)
    gtk_window_destroy (runs[r].window);
  iterate ();
}

/* Parent: the tables */

#define LABEL_WIDTH  38
#define COLUMN_WIDTH 12

static char *
format_value (double value,
              int    decimals)
{
  if (isnan (value))
    return g_strdup ("—");
  return g_strdup_printf ("%.*f", decimals, value);
}

static int
pad (const char *text)
{
  /* "—" is one column wide but three bytes long. */
  return COLUMN_WIDTH + (int)(strlen (text) - g_utf8_strlen (text, -1));
}

typedef enum
{
  THIRD_NONE,
  THIRD_OVERHEAD,   /* InstaSync − baseline */
  THIRD_RATIO,      /* baseline ÷ InstaSync */
} Third;

static void
print_row (const char *label,
           double      baseline,
           double      instasync,
           int         decimals,
           Third       third)
{
  g_autofree char *left = format_value (baseline, decimals);
  g_autofree char *right = format_value (instasync, decimals);
  g_autofree char *extra = NULL;

  if (!isnan (baseline) && !isnan (instasync))
    {
      if (third == THIRD_OVERHEAD)
        extra = g_strdup_printf ("%+.*f", decimals, instasync - baseline);
      else if (third == THIRD_RATIO && instasync > 0)
        extra = g_strdup_printf ("%.1fx", baseline / instasync);
    }

  g_print ("%-*s %*s %*s %*s\n", LABEL_WIDTH, label, pad (left), left, pad (right), right,
           10, extra != NULL ? extra : "");
}

static void
print_header (const char *baseline,
              const char *third)
{
  g_print ("%-*s %*s %*s %*s\n", LABEL_WIDTH, "", COLUMN_WIDTH, baseline, COLUMN_WIDTH, "InstaSync",
           10, third);
}

static void
print_target (const char *text,
              gboolean    known,
              gboolean    met)
{
  g_print ("  target: %s — %s\n", text, !known ? "not measured" : met ? "met" : "NOT MET");
}

static char *
read_proc_field (const char *path,
                 const char *field)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return g_strdup ("unknown");

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *colon = strchr (lines[i], ':');
      g_autofree char *name = NULL;

      if (colon == NULL)
        continue;
      name = g_strndup (lines[i], (gsize)(colon - lines[i]));
      if (g_str_equal (g_strstrip (name), field))
        return g_strstrip (g_strdup (colon + 1));
    }

  return g_strdup ("unknown");
}

/* The load average: other work on the machine shows in every figure. */
static char *
load_average (void)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &contents, NULL, NULL))
    return g_strdup ("unknown");
  fields = g_strsplit (g_strstrip (contents), " ", -1);
  if (g_strv_length (fields) < 3)
    return g_strdup ("unknown");
  return g_strdup_printf ("%s %s %s (1, 5, 15 min)", fields[0], fields[1], fields[2]);
}

static const char *
env_or (const char *name,
        const char *fallback)
{
  const char *value = g_getenv (name);

  return value != NULL && *value != '\0' ? value : fallback;
}

static void
print_machine (int    argc,
               char **argv)
{
  g_autoptr(GString) command = g_string_new (NULL);
  g_autofree char *cpu = read_proc_field ("/proc/cpuinfo", "model name");
  g_autofree char *memory_kib = read_proc_field ("/proc/meminfo", "MemTotal");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format_iso8601 (now);
  const char *wrapper = g_getenv ("INSTASYNC_BENCH_COMMAND");
  g_autofree char *load = load_average ();

  for (int i = 0; i < argc; i++)
    {
      g_autofree char *quoted = g_shell_quote (argv[i]);

      if (i > 0)
        g_string_append_c (command, ' ');
      if (strspn (argv[i], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=./,") ==
          strlen (argv[i]) && argv[i][0] != '\0')
        g_string_append (command, argv[i]);
      else
        g_string_append (command, quoted);
    }

  g_print ("InstaSync GUI benchmark, %s\n", stamp);
  if (wrapper != NULL)
    g_print ("command:  %s\n", wrapper);
  g_print ("binary:   %s\n", command->str);
  g_print ("machine:  %u CPUs (nproc), %s, %.1f GiB memory\n", g_get_num_processors (), cpu,
           g_ascii_strtod (memory_kib, NULL) / (1024 * 1024));
  g_print ("load:     %s at the start\n", load);
  g_print ("display:  %s, DISPLAY=%s, WAYLAND_DISPLAY=%s, GDK_BACKEND=%s, GSK_RENDERER=%s\n",
           env_or ("INSTASYNC_BENCH_DISPLAY", "the session's"), env_or ("DISPLAY", "(unset)"),
           env_or ("WAYLAND_DISPLAY", "(unset)"), env_or ("GDK_BACKEND", "(unset)"),
           env_or ("GSK_RENDERER", "(default)"));
  g_print ("versions: GTK %u.%u.%u, libadwaita %u.%u.%u\n", gtk_get_major_version (),
           gtk_get_minor_version (), gtk_get_micro_version (), adw_get_major_version (),
           adw_get_minor_version (), adw_get_micro_version ());
}

/* Parent */

static void
set_default_env (const char *name,
                 const char *value)
{
  g_setenv (name, value, FALSE);
}

int
main (int    argc,
      char **argv)
{
  gint64 main_started = g_get_monotonic_time ();
  int accounts = DEFAULT_ACCOUNTS;
  int days = DEFAULT_DAYS;
  int runs = DEFAULT_RUNS;
  int redraws = DEFAULT_REDRAWS;
  gboolean launch = FALSE;
  gboolean skip_real = FALSE;
  g_auto(GStrv) original_argv = g_strdupv (argv);
  int original_argc = argc;
  const GOptionEntry entries[] = {
    { "accounts", 0, 0, G_OPTION_ARG_INT, &accounts, "Accounts in the database (default 20)", "N" },
    { "days", 0, 0, G_OPTION_ARG_INT, &days, "Days of insights per account (default 730)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Launches of each application (default 5)", "N" },
    { "redraws", 0, 0, G_OPTION_ARG_INT, &redraws, "Chart redraws of each kind (default 200)", "N" },
    { "skip-real-exe", 0, 0, G_OPTION_ARG_NONE, &skip_real,
      "Do not time the real instasync executable from the X server", NULL },
    { "launch-once", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &launch,
      "Run InstaSync once and report its first frames", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(InstaSyncTestPg) pg = NULL;
  g_autofree char *data_dir = NULL;
  LaunchSeries minimal = { 0, }, instasync = { 0, };
  RealSeries real = { 0, };
  ChartSeries naive_chart = { 0, }, chart = { 0, };
  guint n_rows = 0;
  gint64 started;
  double fill_seconds;

  setlocale (LC_ALL, "");

  if (argc == 2 && g_str_equal (argv[1], "--launch-once"))
    return launch_once (argv[0], main_started);

  /* Figures are printed with a dot as decimal mark. */
  setlocale (LC_NUMERIC, "C");

  context = g_option_context_new ("— InstaSync's window: launch, chart redraw and memory, "
                                  "each beside its baseline");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (accounts < 1 || days < 2 || runs < 1 || redraws < 1)
    {
      g_printerr ("Sizes must be positive (and at least 2 days)\n");
      return 2;
    }
  if (launch)
    return launch_once (argv[0], main_started);

  /* What the GUI tests set, for a run without build-aux/bench-gui.sh: the
   * build's schemas and settings that touch nothing of the user's. */
  set_default_env ("GSETTINGS_SCHEMA_DIR", BENCH_SCHEMA_DIR);
  set_default_env ("GSETTINGS_BACKEND", "memory");

  print_machine (original_argc, original_argv);

  /* The display first: this connection also keeps an X server that has no
   * other client from resetting itself between two launches. */
  if (!gtk_init_check ())
    {
      g_printerr ("bench: cannot open a display (run build-aux/bench-gui.sh)\n");
      return 1;
    }
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  /* 1. The database */
  g_printerr ("bench: filling the database …\n");
  pg = instasync_test_pg_start (&error);
  if (pg == NULL)
    goto failed;
  started = g_get_monotonic_time ();
  if (!fill_database (pg, (guint)accounts, (guint)days, &n_rows, &error))
    goto failed;
  fill_seconds = (g_get_monotonic_time () - started) / (double)G_USEC_PER_SEC;

  data_dir = instasync_test_pg_make_tmp_dir (&error);
  if (data_dir == NULL)
    goto failed;
  g_setenv ("INSTASYNC_DATABASE_URL", instasync_test_pg_get_conninfo (pg), TRUE);
  g_setenv ("INSTASYNC_DATA_DIR", data_dir, TRUE);
  g_setenv ("INSTASYNC_TOKEN_KEY", TOKEN_KEY, TRUE);
  g_setenv ("INSTASYNC_SECRETS_FILE", "/nonexistent/secrets.ini", TRUE);
  g_setenv ("INSTASYNC_CACHE_DIR", data_dir, TRUE);
  /* Nothing leaves the machine: with every picture cached the API is not
   * asked, and were it asked, this port refuses at once. */
  g_setenv ("INSTASYNC_GRAPH_URL", "http://127.0.0.1:9", TRUE);
  if (!fill_avatar_cache (data_dir, (guint)accounts, &error))
    goto failed;

  g_print ("database: a throwaway local PostgreSQL cluster (Unix socket, fsync off): %d accounts,\n"
           "          %d Pacific days × 4 metrics each and the latest two 7- and 28-day totals of\n"
           "          reach and accounts engaged, %u rows (one COPY, %.1f s, then VACUUM ANALYZE);\n"
           "          every profile picture in the app's cache, as after a first launch\n\n",
           accounts, days, n_rows, fill_seconds);

  /* 2. Launches, interleaved (so that other work on the machine weighs on
   * all alike), after one warm-up launch of each */
  launch_series_init (&minimal);
  launch_series_init (&instasync);
  real.mapped_ms = samples_new ();
  real.rss_mib = samples_new ();
  real.hwm_mib = samples_new ();
  if (skip_real)
    real.skipped = g_strdup ("--skip-real-exe");
  else
    real_open (&real);

  g_printerr ("bench: %d launches of each application …\n", runs);
  for (int i = 0; i <= runs; i++)
    {
      if (!run_launch (FALSE, &minimal, i > 0, &error) ||
          !run_launch (TRUE, &instasync, i > 0, &error))
        goto failed;
      real_run (&real, i > 0);
    }
  real_close (&real);

  /* The chart needs no database: stop the cluster now, so that nothing
   * below can leave it running. */
  instasync_test_pg_remove_tree (data_dir);
  g_clear_pointer (&data_dir, g_free);
  g_clear_pointer (&pg, instasync_test_pg_free);

  /* 3. The chart, in this process */
  g_signal_add_emission_hook (g_signal_lookup ("render", GDK_TYPE_SURFACE), 0, on_frame_render_hook,
                              NULL, NULL);
  chart_series_init (&naive_chart);
  chart_series_init (&chart);
  run_charts ((guint)days, (guint)redraws, &naive_chart, &chart);

  /* The tables */
  g_print ("launch: %d launches of each, interleaved, after one warm-up launch of each (not counted);\n"
           "  each a fresh process; times from spawn (the benchmark's clock before fork) to the end\n"
           "  of the paint phase that rendered the window (frame clock ::after-paint)\n"
           "  baseline: an AdwApplication with one empty AdwApplicationWindow, 1000 × 700,\n"
           "            linked against GTK and libadwaita only (instasync-gui-bench-minimal)\n"
           "  InstaSync: InstaSyncApplication as main.c runs it, non-unique, in this benchmark's\n"
           "            binary (linked like `instasync`)\n",
           runs);
  print_header ("baseline", "overhead");
  print_row ("first frame, median (ms)", median (minimal.first_ms), median (instasync.first_ms), 0,
             THIRD_OVERHEAD);
  print_row ("first frame, max (ms)", maximum (minimal.first_ms), maximum (instasync.first_ms), 0,
             THIRD_OVERHEAD);
  print_row ("  of which main() → frame, median (ms)", median (minimal.main_first_ms),
             median (instasync.main_first_ms), 0, THIRD_OVERHEAD);
  print_row ("window mapped, median (ms)", median (minimal.mapped_ms), median (instasync.mapped_ms), 0,
             THIRD_OVERHEAD);
  print_row ("page with data, median (ms)", NAN, median (instasync.data_ms), 0, THIRD_NONE);
  print_row ("page with data, max (ms)", NAN, maximum (instasync.data_ms), 0, THIRD_NONE);
  if (real.skipped == NULL && real.mapped_ms->len > 0)
    {
      print_row ("real `instasync`, mapped, median (ms)", NAN, median (real.mapped_ms), 0, THIRD_NONE);
      print_row ("real `instasync`, mapped, max (ms)", NAN, maximum (real.mapped_ms), 0, THIRD_NONE);
    }
  g_print ("  page with data: the first frame showing the first account (%s) with its chart\n"
           "  (%u days, the default span) and its figures loaded (first card: %s)\n",
           instasync.account != NULL ? instasync.account : "?", instasync.points,
           instasync.card != NULL ? instasync.card : "?");
  if (real.skipped == NULL)
    g_print ("  real `instasync`: the build's app/gui/instasync spawned as is (unique), in turn with\n"
             "  the launches above, until the X server maps its window (seen from outside, where no\n"
             "  frame clock can be read; its first frame follows)\n");
  else
    g_print ("  real `instasync` executable: not measured (%s)\n", real.skipped);
  {
    g_autofree char *text = g_strdup_printf ("launch to first frame ≤ %.0f ms (median %.0f ms, max %.0f ms)",
                                             TARGET_FIRST_FRAME_MS, median (instasync.first_ms),
                                             maximum (instasync.first_ms));

    print_target (text, TRUE, median (instasync.first_ms) <= TARGET_FIRST_FRAME_MS);
  }
  g_print ("\n");

  g_print ("chart: %d days in a %d × %d chart (the account page's largest), %d redraws and %d\n"
           "  frames of each kind, the two charts measured in turns; GSK renderer: %s\n"
           "  redraw: queue_draw, the widget's snapshot, gsk_renderer_render_texture of its node\n"
           "  frame: a full frame of the chart alone in its window, ::before-paint to ::after-paint\n"
           "  baseline: a naive GtkDrawingArea drawing the same chart with cairo, each segment\n"
           "            its own stroke and fill, a new PangoLayout per label per frame\n",
           days, CHART_WIDTH, CHART_HEIGHT, redraws, redraws, env_or ("GSK_RENDERER", "(default)"));
  print_header ("naive", "ratio");
  print_row ("redraw, median (ms)", median (naive_chart.redraw_ms), median (chart.redraw_ms), 2,
             THIRD_RATIO);
  print_row ("redraw, p95 (ms)", percentile (naive_chart.redraw_ms, 0.95),
             percentile (chart.redraw_ms, 0.95), 2, THIRD_RATIO);
  print_row ("  of which snapshot, median (ms)", median (naive_chart.snapshot_ms),
             median (chart.snapshot_ms), 2, THIRD_RATIO);
  print_row ("redraw with read-out, median (ms)", median (naive_chart.readout_ms),
             median (chart.readout_ms), 2, THIRD_RATIO);
  print_row ("redraw with read-out, p95 (ms)", percentile (naive_chart.readout_ms, 0.95),
             percentile (chart.readout_ms, 0.95), 2, THIRD_RATIO);
  print_row ("full frame, median (ms)", median (naive_chart.frame_ms), median (chart.frame_ms), 2,
             THIRD_RATIO);
  print_row ("full frame, p95 (ms)", percentile (naive_chart.frame_ms, 0.95),
             percentile (chart.frame_ms, 0.95), 2, THIRD_RATIO);
  print_row ("full frame with read-out, median (ms)", median (naive_chart.frame_readout_ms),
             median (chart.frame_readout_ms), 2, THIRD_RATIO);
  print_row ("full frame with read-out, p95 (ms)", percentile (naive_chart.frame_readout_ms, 0.95),
             percentile (chart.frame_readout_ms, 0.95), 2, THIRD_RATIO);
  {
    double worst = MAX (percentile (chart.redraw_ms, 0.95), percentile (chart.readout_ms, 0.95));
    g_autofree char *text = g_strdup_printf ("chart redraw over %d days ≤ %.0f ms at the 95th percentile, "
                                             "with and without read-out (%.2f ms)",
                                             days, TARGET_REDRAW_MS, worst);

    print_target (text, TRUE, worst <= TARGET_REDRAW_MS);
  }
  g_print ("\n");

  g_print ("memory: /proc/<pid>/status of the launched process right after the frame that shows\n"
           "  the first account's page with data (the connect dialog never opened); median of %d\n",
           runs);
  print_header ("baseline", "overhead");
  print_row ("VmRSS (MiB)", median (minimal.rss_mib), median (instasync.rss_mib), 1, THIRD_OVERHEAD);
  print_row ("VmRSS, max (MiB)", maximum (minimal.rss_mib), maximum (instasync.rss_mib), 1,
             THIRD_OVERHEAD);
  print_row ("VmHWM (MiB)", median (minimal.hwm_mib), median (instasync.hwm_mib), 1, THIRD_OVERHEAD);
  if (real.skipped == NULL && real.rss_mib->len > 0)
    {
      print_row ("real `instasync`, VmRSS (MiB)", NAN, median (real.rss_mib), 1, THIRD_NONE);
      print_row ("real `instasync`, VmHWM (MiB)", NAN, median (real.hwm_mib), 1, THIRD_NONE);
      g_print ("  real `instasync`: sampled once it had drawn nothing for 0.7 s%s\n",
               real.unsettled > 0 ? " (or 6 s after its first frame: it kept drawing)" : "");
    }
  {
    double rss_mb = median (instasync.rss_mib) * 1024 * 1024 / 1e6;
    g_autofree char *text = g_strdup_printf ("resident memory ≤ %.0f MB before the connect dialog "
                                             "(median VmRSS %.1f MB = %.1f MiB)",
                                             TARGET_RSS_MB, rss_mb, median (instasync.rss_mib));

    print_target (text, TRUE, rss_mb <= TARGET_RSS_MB);
  }
  {
    g_autofree char *load = load_average ();

    g_print ("\nload:     %s at the end\n", load);
  }

  launch_series_clear (&minimal);
  launch_series_clear (&instasync);
  g_clear_pointer (&real.mapped_ms, g_array_unref);
  g_clear_pointer (&real.rss_mib, g_array_unref);
  g_clear_pointer (&real.hwm_mib, g_array_unref);
  g_free (real.skipped);
  chart_series_clear (&naive_chart);
  chart_series_clear (&chart);

  return 0;

failed:
  g_printerr ("bench: %s\n", error->message);
  if (data_dir != NULL)
    instasync_test_pg_remove_tree (data_dir);
  return 1;
}
