/* main.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-graph-sim"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include <glib-unix.h>

#include "graph-sim.h"

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);

  return G_SOURCE_REMOVE;
}

static gboolean
stdin_cb (int           fd,
          GIOCondition  condition,
          gpointer      data)
{
  char buffer[256];
  gssize n;

  /* Only the end of input matters: it means the parent has gone away. */
  do
    n = read (fd, buffer, sizeof buffer);
  while (n < 0 && errno == EINTR);

  if (n > 0)
    return G_SOURCE_CONTINUE;

  g_main_loop_quit (data);

  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GraphSim) sim = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *scenario = NULL;
  g_autofree char *url = NULL;
  g_autofree char *login_outcome = NULL;
  g_autofree char *usage_headers = NULL;
  g_autofree char *business_usage_key = NULL;
  g_auto(GStrv) faults = NULL;
  gboolean demo = FALSE;
  gboolean exit_on_stdin_eof = FALSE;
  gint port = 0;
  gint latency = -1;
  gint usage_after_calls = -1;
  gint64 now = -1;
  const GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (0: any free port)", "N" },
    { "scenario", 0, 0, G_OPTION_ARG_FILENAME, &scenario, "Scenario JSON file", "FILE" },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo, "Serve the built-in demo scenario", NULL },
    { "latency-ms", 0, 0, G_OPTION_ARG_INT, &latency, "Delay every response", "N" },
    { "fault", 0, 0, G_OPTION_ARG_STRING_ARRAY, &faults,
      "Inject a fault (repeatable)", "KIND:every=N[:code=N][:metric=M][:account=ID]" },
    { "now", 0, 0, G_OPTION_ARG_INT64, &now, "Freeze the clock at this UNIX time", "UNIX" },
    { "login-outcome", 0, 0, G_OPTION_ARG_STRING, &login_outcome,
      "What the login dialog answers (default: show its page)", "approve|deny|cancel|page" },
    { "usage-headers", 0, 0, G_OPTION_ARG_STRING, &usage_headers,
      "Where a batch's usage headers go (default: per_operation)", "per_operation|wrapper" },
    { "usage-headers-after-calls", 0, 0, G_OPTION_ARG_INT, &usage_after_calls,
      "No usage header until a window holds N calls", "N" },
    { "business-usage-key", 0, 0, G_OPTION_ARG_STRING, &business_usage_key,
      "What keys X-Business-Use-Case-Usage (default: ig_user_id)", "ig_user_id|page_id" },
    { "exit-on-stdin-eof", 0, 0, G_OPTION_ARG_NONE, &exit_on_stdin_eof,
      "Exit when standard input is closed", NULL },
    { NULL }
  };

  context = g_option_context_new ("— Instagram Graph API simulator for InstaSync");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (port < 0 || port > G_MAXUINT16 || latency < -1)
    {
      g_printerr ("--port must be 0…65535 and --latency-ms not negative\n");
      return 2;
    }

  sim = graph_sim_new ();

  if (scenario != NULL && !graph_sim_load_scenario_file (sim, scenario, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  else if (scenario == NULL && demo && !graph_sim_load_demo (sim, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  for (guint i = 0; faults != NULL && faults[i] != NULL; i++)
    {
      if (!graph_sim_add_fault (sim, faults[i], &error))
        {
          g_printerr ("%s\n", error->message);
          return 2;
        }
    }

  if (login_outcome != NULL && !graph_sim_set_login_outcome (sim, login_outcome))
    {
      g_printerr ("--login-outcome must be approve, deny, cancel or page\n");
      return 2;
    }

  if (usage_headers != NULL && !graph_sim_set_usage_headers (sim, usage_headers))
    {
      g_printerr ("--usage-headers must be per_operation or wrapper\n");
      return 2;
    }

  if (business_usage_key != NULL && !graph_sim_set_business_usage_key (sim, business_usage_key))
    {
      g_printerr ("--business-usage-key must be ig_user_id or page_id\n");
      return 2;
    }

  if (usage_after_calls < -1)
    {
      g_printerr ("--usage-headers-after-calls must not be negative\n");
      return 2;
    }
  if (usage_after_calls >= 0)
    graph_sim_set_usage_headers_after_calls (sim, (guint) usage_after_calls);

  if (latency >= 0)
    graph_sim_set_latency_ms (sim, (guint) latency);
  if (now >= 0)
    graph_sim_set_now (sim, now);

  if (!graph_sim_start (sim, (guint) port, &error))
    {
      g_printerr ("Cannot listen on 127.0.0.1:%d: %s\n", port, error->message);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  if (exit_on_stdin_eof)
    g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, stdin_cb, loop);

  url = graph_sim_get_base_url (sim);
  /* The one line a parent process waits for. */
  g_print ("GRAPH_SIM_URL=%s\n", url);
  fflush (stdout);

  g_main_loop_run (loop);

  graph_sim_stop (sim);

  return 0;
}
