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
  g_autofree char *exchange_long_lived = NULL;
  g_autofree char *data_access_expiry = NULL;
  g_autofree char *usage_headers = NULL;
  g_autofree char *business_usage_key = NULL;
  g_auto(GStrv) faults = NULL;
  g_auto(GStrv) account_zones = NULL;
  g_autofree char *until_reading = NULL;
  g_autofree char *total_value_reading = NULL;
  g_autofree char *empty_total = NULL;
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
    { "until-reading", 0, 0, G_OPTION_ARG_STRING, &until_reading,
      "Which buckets a since/until window holds",
      "overlap|overlap_inclusive|bucket_end|bucket_end_inclusive" },
    { "total-value-reading", 0, 0, G_OPTION_ARG_STRING, &total_value_reading,
      "The same for total values alone (default: as --until-reading)", "READING" },
    { "empty-total", 0, 0, G_OPTION_ARG_STRING, &empty_total,
      "What a total over no bucket answers", "empty_object|zero|missing|error" },
    { "account-timezone", 0, 0, G_OPTION_ARG_STRING_ARRAY, &account_zones,
      "Days of this account end at this zone's midnight (repeatable)", "IG_USER_ID=ZONE" },
    { "exchange-long-lived", 0, 0, G_OPTION_ARG_STRING, &exchange_long_lived,
      "What fb_exchange_token gives for a long-lived token (overrides the scenario)", "new|same" },
    { "data-access-expiry", 0, 0, G_OPTION_ARG_STRING, &data_access_expiry,
      "Whether ended data access refuses calls (overrides the scenario)", "ignored|enforced" },
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

  if ((until_reading != NULL && !graph_sim_set_until_reading (sim, until_reading)) ||
      (total_value_reading != NULL && !graph_sim_set_total_value_reading (sim, total_value_reading)))
    {
      g_printerr ("A reading must be overlap, overlap_inclusive, bucket_end or bucket_end_inclusive\n");
      return 2;
    }
  if (empty_total != NULL && !graph_sim_set_empty_total (sim, empty_total))
    {
      g_printerr ("--empty-total must be empty_object, zero, missing or error\n");
      return 2;
    }
  for (guint i = 0; account_zones != NULL && account_zones[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (account_zones[i], "=", 2);

      if (g_strv_length (parts) != 2 || !graph_sim_set_account_timezone (sim, parts[0], parts[1]))
        {
          g_printerr ("--account-timezone wants a known IG_USER_ID=ZONE: %s\n", account_zones[i]);
          return 2;
        }
    }

  if (exchange_long_lived != NULL && !graph_sim_set_exchange_long_lived (sim, exchange_long_lived))
    {
      g_printerr ("--exchange-long-lived must be new or same\n");
      return 2;
    }

  if (data_access_expiry != NULL && !graph_sim_set_data_access_expiry (sim, data_access_expiry))
    {
      g_printerr ("--data-access-expiry must be ignored or enforced\n");
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
