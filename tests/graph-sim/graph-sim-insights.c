/* graph-sim-insights.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "graph-sim-insights"

#include "config.h"

#include "graph-sim-private.h"

#define MAX_SPAN      2592000                   /* 30 days */
#define MAX_HISTORY   (2 * 365 * 24 * 60 * 60)  /* 2 years */
#define DAY           86400

typedef struct
{
  const char         *name;
  const char * const *values;
} Dimension;

static const char * const media_product_types[] = { "AD", "FEED", "REELS", "STORY", NULL };
static const char * const follow_types[] = { "FOLLOWER", "NON_FOLLOWER", "UNKNOWN", NULL };
static const char * const follower_types[] = { "FOLLOWER", "NON_FOLLOWER", NULL };
static const char * const contact_button_types[] = {
  "BOOK_NOW", "CALL", "DIRECTION", "EMAIL", "INSTANT_EXPERIENCE", "TEXT", "UNDEFINED", NULL
};
static const char * const no_values[] = { NULL };

/* Every breakdown the API knows, including the demographic ones that no
 * day metric supports: those are valid names that fail per metric. */
static const Dimension dimensions[] = {
  { "age", no_values },
  { "city", no_values },
  { "contact_button_type", contact_button_types },
  { "country", no_values },
  { "follow_type", follow_types },
  { "follower_type", follower_types },
  { "gender", no_values },
  { "media_product_type", media_product_types },
};

static const Dimension *
dimension_lookup (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (dimensions); i++)
    {
      if (g_str_equal (dimensions[i].name, name))
        return &dimensions[i];
    }

  return NULL;
}

static gboolean
list_has (const char *comma_list,
          const char *item)
{
  g_auto(GStrv) items = NULL;

  if (comma_list == NULL)
    return FALSE;

  items = g_strsplit (comma_list, ",", -1);
  return g_strv_contains ((const char * const *) items, item);
}

static char **
split_list (const char *text)
{
  g_auto(GStrv) raw = g_strsplit (text, ",", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; raw[i] != NULL; i++)
    {
      g_strstrip (raw[i]);
      if (*raw[i] != '\0')
        g_strv_builder_add (builder, raw[i]);
    }

  return g_strv_builder_end (builder);
}

static gboolean
parse_time (const char *text,
            gint64     *out)
{
  return g_ascii_string_to_signed (text, 10, 0, G_MAXINT64 / 2, out, NULL);
}

/* Share i of n: weights n, n-1, …, 1, the last share taking the rest so
 * the parts always add up to the whole. */
static gint64
share (gint64 whole,
       guint  i,
       guint  n)
{
  gint64 weights = (gint64) n * (n + 1) / 2;
  gint64 given = 0;

  if (i + 1 < n)
    return whole * (n - i) / weights;

  for (guint j = 0; j + 1 < n; j++)
    given += whole * (n - j) / weights;

  return whole - given;
}

static void
add_results (JsonBuilder      *builder,
             const Dimension **dims,
             guint             n_dims,
             guint             depth,
             const char      **path,
             gint64            value)
{
  guint n = g_strv_length ((char **) dims[depth]->values);

  for (guint i = 0; i < n; i++)
    {
      gint64 part = share (value, i, n);

      path[depth] = dims[depth]->values[i];
      if (depth + 1 < n_dims)
        {
          add_results (builder, dims, n_dims, depth + 1, path, part);
          continue;
        }

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "dimension_values");
      json_builder_begin_array (builder);
      for (guint d = 0; d < n_dims; d++)
        json_builder_add_string_value (builder, path[d]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "value");
      json_builder_add_int_value (builder, part);
      json_builder_end_object (builder);
    }
}

static char *
metric_names (int version)
{
  GString *names = g_string_new (NULL);

  for (guint i = 0; i < _graph_sim_metric_count (); i++)
    {
      const GraphSimMetric *m = _graph_sim_metric_nth (i);

      if (m->max_version != 0 && version >= m->max_version)
        continue;
      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append (names, m->name);
    }

  return g_string_free (names, FALSE);
}

/* The value of one day of the account as seen at `now`: nothing before the
 * day starts, a growing share while it runs, the full value once it is over. */
static gboolean
day_value (const GraphSimState   *state,
           const GraphSimAccount *account,
           const char            *metric,
           const GDate           *day,
           gint64                 now,
           gint64                *value)
{
  GDate next = *day;
  gint64 start = _graph_sim_day_start_in (account->timezone, day);
  gint64 end;
  gint64 daily;

  if (start > now)
    return FALSE;

  g_date_add_days (&next, 1);
  end = _graph_sim_day_start_in (account->timezone, &next);
  if (state->data_delay_hours > 0 && end > now - (gint64) state->data_delay_hours * 3600)
    return FALSE;
  daily = graph_sim_daily_value (account->id, metric, day);
  *value = end <= now ? daily : daily * (now - start) / (end - start);

  return TRUE;
}

static gboolean
bucket_in_window (GraphSimReading reading,
                  gint64          start,
                  gint64          end,
                  gint64          since,
                  gint64          until)
{
  switch (reading)
    {
    case GRAPH_SIM_READING_OVERLAP:
      return start < until && end > since;
    case GRAPH_SIM_READING_OVERLAP_INCLUSIVE:
      return start <= until && end > since;
    case GRAPH_SIM_READING_BUCKET_END:
      return since < end && end <= until;
    case GRAPH_SIM_READING_BUCKET_END_INCLUSIVE:
      return since <= end && end <= until;
    default:
      g_assert_not_reached ();
    }
}

/* The account's days that [since, until] holds under @reading, oldest first. */
static GArray *
window_days (const GraphSimAccount *account,
             GraphSimReading        reading,
             gint64                 since,
             gint64                 until)
{
  GArray *days = g_array_new (FALSE, FALSE, sizeof (GDate));
  GDate day, last;

  if (until <= since)
    return days;

  /* Every reading holds only days touching the window or ending at its
   * start: one day either side covers them all. */
  _graph_sim_date_in (account->timezone, since, &day);
  _graph_sim_date_in (account->timezone, until, &last);
  g_date_subtract_days (&day, 1);
  g_date_add_days (&last, 1);

  for (; g_date_compare (&day, &last) <= 0; g_date_add_days (&day, 1))
    {
      GDate next = day;

      g_date_add_days (&next, 1);
      if (bucket_in_window (reading, _graph_sim_day_start_in (account->timezone, &day),
                            _graph_sim_day_start_in (account->timezone, &next), since, until))
        g_array_append_val (days, day);
    }

  return days;
}

/* Whether any of @days has a value to give: begun, and out of the delay. */
static gboolean
any_day_started (const GraphSimState   *state,
                 const GraphSimAccount *account,
                 GArray                *days,
                 gint64                 now)
{
  for (guint i = 0; i < days->len; i++)
    {
      gint64 value;

      /* The value itself does not matter; reach is in every table. */
      if (day_value (state, account, "reach", &g_array_index (days, GDate, i), now, &value))
        return TRUE;
    }

  return FALSE;
}

static gboolean
answers_nothing (const GraphSimAccount *account,
                 const char            *metric)
{
  return account->no_data_metrics != NULL &&
         g_strv_contains ((const char * const *) account->no_data_metrics, metric);
}

static void
paging_link (JsonBuilder   *builder,
             GraphSimCall  *call,
             const char    *member,
             const char    *ig_id,
             const char    *token,
             gint64         since,
             gint64         until)
{
  g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *path = g_strdup_printf ("/%s/insights", ig_id);
  g_autofree char *url = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, call->params);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (params, g_strdup (key), g_strdup (value));

  g_hash_table_insert (params, g_strdup ("access_token"), g_strdup (token));
  g_hash_table_insert (params, g_strdup ("since"), g_strdup_printf ("%" G_GINT64_FORMAT, since));
  g_hash_table_insert (params, g_strdup ("until"), g_strdup_printf ("%" G_GINT64_FORMAT, until));

  url = _graph_sim_build_url (call, path, params);
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, url);
}

void
_graph_sim_insights (GraphSimState   *state,
                     GraphSimCall    *call,
                     GraphSimToken   *token,
                     GraphSimAccount *account,
                     GraphSimReply   *reply)
{
  const char *metric_param = g_hash_table_lookup (call->params, "metric");
  const char *period = g_hash_table_lookup (call->params, "period");
  const char *metric_type = g_hash_table_lookup (call->params, "metric_type");
  const char *breakdown_param = g_hash_table_lookup (call->params, "breakdown");
  const char *since_param = g_hash_table_lookup (call->params, "since");
  const char *until_param = g_hash_table_lookup (call->params, "until");
  g_auto(GStrv) metric_list = NULL;
  g_auto(GStrv) breakdown_list = NULL;
  g_autoptr(GPtrArray) metrics = g_ptr_array_new ();
  g_autoptr(GString) offenders = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree const Dimension **dims = NULL;
  g_autofree const char **dim_path = NULL;
  gboolean total_value;
  gboolean wants_follower_count = FALSE;
  gint64 now = _graph_sim_state_now (state);
  gint64 since = 0;
  gint64 until = 0;
  g_autoptr(GArray) days = NULL;
  gboolean any_bucket;
  GDate today;

  if (metric_param == NULL || *metric_param == '\0')
    {
      _graph_sim_reply_error_literal (reply, 400, 100, 0, FALSE,
                                      "(#100) The parameter metric is required");
      return;
    }

  metric_list = split_list (metric_param);
  for (guint i = 0; metric_list[i] != NULL; i++)
    {
      const GraphSimMetric *m = _graph_sim_metric_lookup (metric_list[i], NULL);

      if (m != NULL && g_str_equal (m->name, "impressions") && reply->version >= m->max_version)
        {
          _graph_sim_reply_error_literal (reply, 400, 100, 0, FALSE,
                                          "(#100) Starting from version 22 and above, the impressions "
                                          "metric is no longer supported for the queried user. "
                                          "Please use views metric instead.");
          return;
        }

      if (m == NULL)
        {
          g_autofree char *names = metric_names (reply->version);

          _graph_sim_reply_error (reply, 400, 100, 0, FALSE,
                                  "(#100) metric[%u] must be one of the following values: %s",
                                  i, names);
          return;
        }

      if (g_str_equal (m->name, "follower_count"))
        wants_follower_count = TRUE;
      g_ptr_array_add (metrics, (gpointer) m);
    }

  if (period == NULL || *period == '\0')
    {
      _graph_sim_reply_error_literal (reply, 400, 100, 0, FALSE,
                                      "(#100) The parameter period is required");
      return;
    }

  if (!g_str_equal (period, "day"))
    {
      static const char * const periods[] = {
        "day", "week", "days_28", "month", "lifetime", "total_over_range", NULL
      };

      if (!g_strv_contains (periods, period))
        _graph_sim_reply_error_literal (reply, 400, 100, 0, FALSE,
                                        "(#100) period must be one of the following values: day, "
                                        "week, days_28, month, lifetime, total_over_range");
      else
        _graph_sim_reply_error (reply, 400, 100, 0, FALSE,
                                "(#100) Incompatible period (%s) for the following metrics (%s)",
                                period, metric_param);
      return;
    }

  if (metric_type != NULL && !g_str_equal (metric_type, "time_series") &&
      !g_str_equal (metric_type, "total_value"))
    {
      _graph_sim_reply_error_literal (reply, 400, 100, 0, FALSE,
                                      "(#100) metric_type must be one of the following values: "
                                      "time_series, total_value");
      return;
    }

  total_value = g_strcmp0 (metric_type, "total_value") == 0;

  offenders = g_string_new (NULL);
  for (guint i = 0; i < metrics->len; i++)
    {
      const GraphSimMetric *m = g_ptr_array_index (metrics, i);

      if (total_value ? m->total_value : m->time_series)
        continue;
      if (offenders->len > 0)
        g_string_append_c (offenders, ',');
      g_string_append (offenders, m->name);
    }

  if (offenders->len > 0)
    {
      if (total_value)
        _graph_sim_reply_error (reply, 400, 100, 0, FALSE,
                                "(#100) The following metrics (%s) do not support "
                                "metric_type=total_value", offenders->str);
      else
        _graph_sim_reply_error (reply, 400, 100, 0, FALSE,
                                "(#100) The following metrics (%s) should be specified with "
                                "parameter metric_type=total_value", offenders->str);
      return;
    }

  if ((since_param != NULL && !parse_time (since_param, &since)) ||
      (until_param != NULL && !parse_time (until_param, &until)))
    {
      _graph_sim_reply_error_literal (reply, 400, 100, 0, FALSE,
                                      "(#100) since and until must be UNIX timestamps");
      return;
    }

  /* Without a window the API looks back 24 hours: yesterday and today. */
  if (until_param == NULL)
    until = since_param != NULL ? MIN (since + DAY, now) : now;
  if (since_param == NULL)
    since = until - DAY;

  if (until - since > MAX_SPAN)
    {
      _graph_sim_reply_error_literal (reply, 400, 100, 0, FALSE,
                                      "(#100) There cannot be more than 30 days (2592000 s) between "
                                      "since and until");
      return;
    }

  if (since < now - MAX_HISTORY || since > now)
    {
      _graph_sim_reply_error_literal (reply, 400, 100, 0, FALSE,
                                      "(#100) since param is not valid. Metrics data is available "
                                      "for the last 2 years");
      return;
    }

  _graph_sim_date_in (account->timezone, now, &today);
  if (wants_follower_count)
    {
      gint64 today_start = _graph_sim_day_start_in (account->timezone, &today);

      /* Thirty days counted back from this very second, as the live API
       * is seen to count: a window from the start of day today-30 fails. */
      if (since < now - 30 * DAY || until > today_start)
        {
          _graph_sim_reply_error_literal (reply, 400, 100, 0, FALSE,
                                          "(#100) (follower_count) metric only supports querying "
                                          "data for the last 30 days excluding the current day");
          return;
        }
    }

  /* Breakdowns only mean something for total values; time series drop
   * them without a word. */
  if (total_value && breakdown_param != NULL && *breakdown_param != '\0')
    {
      breakdown_list = split_list (breakdown_param);
      dims = g_new0 (const Dimension *, g_strv_length (breakdown_list) + 1);
      dim_path = g_new0 (const char *, g_strv_length (breakdown_list) + 1);

      for (guint i = 0; breakdown_list[i] != NULL; i++)
        {
          dims[i] = dimension_lookup (breakdown_list[i]);
          if (dims[i] == NULL)
            {
              _graph_sim_reply_error (reply, 400, 100, 0, FALSE,
                                      "(#100) breakdown[%u] must be one of the following values: "
                                      "age, city, contact_button_type, country, follow_type, "
                                      "follower_type, gender, media_product_type", i);
              return;
            }

          for (guint j = 0; j < metrics->len; j++)
            {
              const GraphSimMetric *m = g_ptr_array_index (metrics, j);

              if (!list_has (m->breakdowns, breakdown_list[i]))
                {
                  _graph_sim_reply_error_literal (reply, 400, 1, 0, FALSE,
                                                  "An unknown error has occurred.");
                  return;
                }
            }
        }
    }

  days = window_days (account, total_value ? state->total_value_reading : state->until_reading,
                      since, until);
  any_bucket = any_day_started (state, account, days, now);

  if (total_value && !any_bucket && state->empty_total == GRAPH_SIM_EMPTY_TOTAL_ERROR)
    {
      /* The reference only says "an error"; code 100 is what the API uses
       * for every other complaint about a window. */
      _graph_sim_reply_error_literal (reply, 400, 100, 0, FALSE,
                                      "(#100) There is no data for the requested time range");
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);

  for (guint i = 0; i < metrics->len; i++)
    {
      const GraphSimMetric *m = g_ptr_array_index (metrics, i);
      g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autofree char *id = g_strdup_printf ("%s/insights/%s/day", account->id, m->name);
      gboolean follow_metric = g_str_equal (m->name, "follower_count") ||
                               g_str_equal (m->name, "follows_and_unfollows");

      /* Follower metrics are withheld for small accounts. */
      if (follow_metric && account->followers_count < 100)
        continue;
      if (answers_nothing (account, m->name))
        continue;
      if (total_value && !any_bucket && state->empty_total == GRAPH_SIM_EMPTY_TOTAL_MISSING)
        continue;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, m->name);
      json_builder_set_member_name (builder, "period");
      json_builder_add_string_value (builder, "day");

      if (!total_value)
        {
          json_builder_set_member_name (builder, "values");
          json_builder_begin_array (builder);
        }

      for (guint d = 0; d < days->len; d++)
        {
          const GDate *day = &g_array_index (days, GDate, d);
          gint64 value;

          if (!day_value (state, account, m->name, day, now, &value))
            continue;

          g_array_append_val (values, value);
          if (!total_value)
            {
              g_autofree char *end_time = _graph_sim_format_end_time_in (account->timezone, day);

              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "value");
              json_builder_add_int_value (builder, value);
              json_builder_set_member_name (builder, "end_time");
              json_builder_add_string_value (builder, end_time);
              json_builder_end_object (builder);
            }
        }

      if (!total_value)
        json_builder_end_array (builder);

      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, m->title);
      json_builder_set_member_name (builder, "description");
      json_builder_add_string_value (builder, m->description);

      if (total_value)
        {
          gint64 total = _graph_sim_total_of (m->name, (const gint64 *) (gpointer) values->data,
                                              values->len);

          if (state->reach_totals_estimated && g_str_equal (m->name, "reach") && values->len > 0)
            total += 1;

          json_builder_set_member_name (builder, "total_value");
          json_builder_begin_object (builder);
          if (!any_bucket)
            {
              /* A window holding no bucket: {} or {"value": 0}. */
              if (state->empty_total == GRAPH_SIM_EMPTY_TOTAL_ZERO)
                {
                  json_builder_set_member_name (builder, "value");
                  json_builder_add_int_value (builder, 0);
                }
            }
          /* With a breakdown the follow counts only make sense split. */
          else if (dims == NULL || !g_str_equal (m->name, "follows_and_unfollows"))
            {
              json_builder_set_member_name (builder, "value");
              json_builder_add_int_value (builder, total);
            }
          if (dims != NULL && any_bucket)
            {
              guint n_dims = g_strv_length (breakdown_list);

              json_builder_set_member_name (builder, "breakdowns");
              json_builder_begin_array (builder);
              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "dimension_keys");
              json_builder_begin_array (builder);
              for (guint d = 0; d < n_dims; d++)
                json_builder_add_string_value (builder, dims[d]->name);
              json_builder_end_array (builder);
              json_builder_set_member_name (builder, "results");
              json_builder_begin_array (builder);
              add_results (builder, dims, n_dims, 0, dim_path, total);
              json_builder_end_array (builder);
              json_builder_end_object (builder);
              json_builder_end_array (builder);
            }
          json_builder_end_object (builder);
        }

      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
      json_builder_end_object (builder);
    }

  json_builder_end_array (builder);

  if (until > since)
    {
      gint64 span = until - since;

      json_builder_set_member_name (builder, "paging");
      json_builder_begin_object (builder);
      paging_link (builder, call, "previous", account->id, token->token, since - span, until - span);
      if (since + span < now)
        paging_link (builder, call, "next", account->id, token->token, since + span, until + span);
      json_builder_end_object (builder);
    }

  json_builder_end_object (builder);

  _graph_sim_reply_json (reply, 200, builder);
}
