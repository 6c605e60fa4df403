/* instasync-fetch-result.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-fetch-result"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "instasync-error.h"
#include "instasync-fetch-result.h"
#include "instasync-time.h"

struct _InstaSyncFetchResult
{
  GObject               parent_instance;

  char                 *ig_user_id;
  char                 *username;
  char                 *window_since;
  char                 *window_until;

  GPtrArray            *requested;
  GPtrArray            *succeeded;
  GPtrArray            *failed;
  GPtrArray            *errors;
  GPtrArray            *notes;
  GPtrArray            *warnings;
  GPtrArray            *without_data;
  GHashTable           *missing_days;   /* metric → GStrv of days */

  guint                 rows_inserted;
  guint                 rows_updated;
  guint                 rows_unchanged;
  guint                 rows_failed;
  guint                 api_calls;
  guint                 http_requests;

  gint64                started_at;
  gint64                finished_at;
  gint64                paused_until;
  InstaSyncFetchStatus  status;
  gboolean              log_failed;

  InstaSyncTokenStatus  token_status;
  gint64                token_expires_at;
  gboolean              token_never_expires;
  char                 *token_message;
  guint                 token_calls;
};

G_DEFINE_FINAL_TYPE (InstaSyncFetchResult, instasync_fetch_result, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_IG_USER_ID,
  PROP_USERNAME,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Auxiliary */

static void
metric_error_free (InstaSyncMetricError *error)
{
  g_free (error->metric);
  g_free (error->domain);
  g_free (error->message);
  g_free (error);
}

static GPtrArray *
new_string_list (void)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (g_free);

  /* Kept NULL-terminated so that it can be handed out as a strv. */
  g_ptr_array_add (list, NULL);
  return list;
}

static void
string_list_add (GPtrArray  *list,
                 const char *value)
{
  for (guint i = 0; i + 1 < list->len; i++)
    if (g_str_equal (g_ptr_array_index (list, i), value))
      return;

  g_ptr_array_insert (list, (int)list->len - 1, g_strdup (value));
}

static void
string_list_remove (GPtrArray  *list,
                    const char *value)
{
  for (guint i = 0; i + 1 < list->len; i++)
    if (g_str_equal (g_ptr_array_index (list, i), value))
      {
        g_ptr_array_remove_index (list, i);
        return;
      }
}

static guint
string_list_length (GPtrArray *list)
{
  return list->len - 1;
}

static const char *
domain_name (GQuark domain)
{
  if (domain == INSTASYNC_GRAPH_ERROR)
    return "graph";
  if (domain == INSTASYNC_ERROR)
    return "instasync";
  if (domain == G_IO_ERROR)
    return "io";
  return g_quark_to_string (domain);
}

/* Higher is more urgent: it decides which action the summary leads with. */
static int
action_rank (InstaSyncErrorAction action)
{
  switch (action)
    {
    case INSTASYNC_ERROR_ACTION_RECONNECT:   return 5;
    case INSTASYNC_ERROR_ACTION_FAIL:        return 4;
    case INSTASYNC_ERROR_ACTION_BACK_OFF:    return 3;
    case INSTASYNC_ERROR_ACTION_RETRY:       return 2;
    case INSTASYNC_ERROR_ACTION_SKIP_METRIC: return 1;
    case INSTASYNC_ERROR_ACTION_NONE:
    default:                                 return 0;
    }
}

static double
duration_seconds (InstaSyncFetchResult *self)
{
  gint64 end = self->finished_at != 0 ? self->finished_at : g_get_real_time ();

  return (double)(end - self->started_at) / G_USEC_PER_SEC;
}

static void
add_string_array (JsonBuilder *builder,
                  const char  *name,
                  GPtrArray   *list)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i + 1 < list->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (list, i));
  json_builder_end_array (builder);
}

/* What went wrong with @metric, as the errors list keeps it. */
static void
add_error_entry (InstaSyncFetchResult *self,
                 const char           *metric,
                 const GError         *error)
{
  InstaSyncMetricError *entry = g_new0 (InstaSyncMetricError, 1);

  entry->metric = g_strdup (metric);
  entry->domain = g_strdup (domain_name (error->domain));
  entry->code = error->code;
  entry->subcode = instasync_graph_error_get_subcode (error);
  /* Everything here goes to the sync log, the JSON and the screen: a
   * message quoting a URL loses the secrets in it. */
  entry->message = instasync_redact_secret_params (error->message);
  entry->action = instasync_error_classify (error);
  g_ptr_array_add (self->errors, entry);
}

/* "days_without_data": {"profile_views": ["2026-11-20", …]} */
static void
add_missing_days (JsonBuilder          *builder,
                  InstaSyncFetchResult *self)
{
  json_builder_set_member_name (builder, "days_without_data");
  json_builder_begin_object (builder);
  for (guint i = 0; i + 1 < self->without_data->len; i++)
    {
      const char *metric = g_ptr_array_index (self->without_data, i);
      char **days = g_hash_table_lookup (self->missing_days, metric);

      json_builder_set_member_name (builder, metric);
      json_builder_begin_array (builder);
      for (guint d = 0; days[d] != NULL; d++)
        json_builder_add_string_value (builder, days[d]);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
}

static void
add_errors (JsonBuilder *builder,
            GPtrArray   *errors)
{
  json_builder_begin_array (builder);
  for (guint i = 0; i < errors->len; i++)
    {
      InstaSyncMetricError *error = g_ptr_array_index (errors, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "metric");
      json_builder_add_string_value (builder, error->metric);
      json_builder_set_member_name (builder, "domain");
      json_builder_add_string_value (builder, error->domain);
      json_builder_set_member_name (builder, "code");
      json_builder_add_int_value (builder, error->code);
      json_builder_set_member_name (builder, "subcode");
      json_builder_add_int_value (builder, error->subcode);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, error->message);
      json_builder_set_member_name (builder, "action");
      json_builder_add_string_value (builder, instasync_error_action_to_string (error->action));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/* ISO 8601 UTC with milliseconds, or null for "not yet" / "never". */
static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       unix_usec)
{
  json_builder_set_member_name (builder, name);
  if (unix_usec == 0)
    {
      json_builder_add_null_value (builder);
    }
  else
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_usec / G_USEC_PER_SEC);
      g_autoptr(GDateTime) precise = g_date_time_add (dt, unix_usec % G_USEC_PER_SEC);
      g_autofree char *text = g_date_time_format (precise, "%Y-%m-%dT%H:%M:%S.%fZ");

      json_builder_add_string_value (builder, text);
    }
}

/* GObject overrides */

static void
instasync_fetch_result_finalize (GObject *object)
{
  InstaSyncFetchResult *self = (InstaSyncFetchResult *)object;

  g_clear_pointer (&self->ig_user_id, g_free);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->window_since, g_free);
  g_clear_pointer (&self->window_until, g_free);
  g_clear_pointer (&self->requested, g_ptr_array_unref);
  g_clear_pointer (&self->succeeded, g_ptr_array_unref);
  g_clear_pointer (&self->failed, g_ptr_array_unref);
  g_clear_pointer (&self->errors, g_ptr_array_unref);
  g_clear_pointer (&self->notes, g_ptr_array_unref);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);
  g_clear_pointer (&self->without_data, g_ptr_array_unref);
  g_clear_pointer (&self->missing_days, g_hash_table_unref);
  g_clear_pointer (&self->token_message, g_free);

  G_OBJECT_CLASS (instasync_fetch_result_parent_class)->finalize (object);
}

static void
instasync_fetch_result_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  InstaSyncFetchResult *self = INSTASYNC_FETCH_RESULT (object);

  switch (prop_id)
    {
    case PROP_IG_USER_ID:
      g_value_set_string (value, self->ig_user_id);
      break;
    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
instasync_fetch_result_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  InstaSyncFetchResult *self = INSTASYNC_FETCH_RESULT (object);

  switch (prop_id)
    {
    case PROP_IG_USER_ID:
      self->ig_user_id = g_value_dup_string (value);
      break;
    case PROP_USERNAME:
      self->username = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
instasync_fetch_result_class_init (InstaSyncFetchResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = instasync_fetch_result_finalize;
  object_class->get_property = instasync_fetch_result_get_property;
  object_class->set_property = instasync_fetch_result_set_property;

  properties[PROP_IG_USER_ID] =
    g_param_spec_string ("ig-user-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* An InstaSyncFetchStatus; notified when the result is finished. */
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       INSTASYNC_TYPE_FETCH_STATUS, INSTASYNC_FETCH_STATUS_RUNNING,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
instasync_fetch_result_init (InstaSyncFetchResult *self)
{
  self->requested = new_string_list ();
  self->succeeded = new_string_list ();
  self->failed = new_string_list ();
  self->notes = new_string_list ();
  self->warnings = new_string_list ();
  self->without_data = new_string_list ();
  self->missing_days = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify)g_strfreev);
  self->errors = g_ptr_array_new_with_free_func ((GDestroyNotify)metric_error_free);
  self->started_at = g_get_real_time ();
  self->status = INSTASYNC_FETCH_STATUS_RUNNING;
}

/* Public API */

GType
instasync_fetch_status_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { INSTASYNC_FETCH_STATUS_RUNNING, "INSTASYNC_FETCH_STATUS_RUNNING", "running" },
        { INSTASYNC_FETCH_STATUS_SUCCEEDED, "INSTASYNC_FETCH_STATUS_SUCCEEDED", "succeeded" },
        { INSTASYNC_FETCH_STATUS_PARTIAL, "INSTASYNC_FETCH_STATUS_PARTIAL", "partial" },
        { INSTASYNC_FETCH_STATUS_FAILED, "INSTASYNC_FETCH_STATUS_FAILED", "failed" },
        { INSTASYNC_FETCH_STATUS_PAUSED, "INSTASYNC_FETCH_STATUS_PAUSED", "paused" },
        { 0, NULL, NULL }
      };
      GType type = g_enum_register_static (g_intern_static_string ("InstaSyncFetchStatus"),
                                           values);

      g_once_init_leave (&type_id, type);
    }

  return (GType)type_id;
}

const char *
instasync_fetch_status_to_string (InstaSyncFetchStatus status)
{
  switch (status)
    {
    case INSTASYNC_FETCH_STATUS_RUNNING:   return "running";
    case INSTASYNC_FETCH_STATUS_SUCCEEDED: return "succeeded";
    case INSTASYNC_FETCH_STATUS_PARTIAL:   return "partial";
    case INSTASYNC_FETCH_STATUS_FAILED:    return "failed";
    case INSTASYNC_FETCH_STATUS_PAUSED:    return "paused";
    default:                               return "failed";
    }
}

InstaSyncFetchResult *
instasync_fetch_result_new (const char *ig_user_id,
                            const char *username)
{
  g_return_val_if_fail (ig_user_id != NULL, NULL);

  return g_object_new (INSTASYNC_TYPE_FETCH_RESULT,
                       "ig-user-id", ig_user_id,
                       "username", username,
                       NULL);
}

const char *
instasync_fetch_result_get_ig_user_id (InstaSyncFetchResult *self)
{
  g_return_val_if_fail (INSTASYNC_IS_FETCH_RESULT (self), NULL);
  return self->ig_user_id;
}

const char *
instasync_fetch_result_get_username (InstaSyncFetchResult *self)
{
  g_return_val_if_fail (INSTASYNC_IS_FETCH_RESULT (self), NULL);
  return self->username;
}

void
instasync_fetch_result_set_window (InstaSyncFetchResult *self,
                                   const GDate          *since,
                                   const GDate          *until)
{
  g_return_if_fail (INSTASYNC_IS_FETCH_RESULT (self));

  g_free (self->window_since);
  g_free (self->window_until);
  self->window_since = since && g_date_valid (since) ? instasync_format_date (since) : NULL;
  self->window_until = until && g_date_valid (until) ? instasync_format_date (until) : NULL;
}

const char *
instasync_fetch_result_get_window_since (InstaSyncFetchResult *self)
{
  g_return_val_if_fail (INSTASYNC_IS_FETCH_RESULT (self), NULL);
  return self->window_since;
}

const char *
instasync_fetch_result_get_window_until (InstaSyncFetchResult *self)
{
  g_return_val_if_fail (INSTASYNC_IS_FETCH_RESULT (self), NULL);
  return self->window_until;
}

void
instasync_fetch_result_add_requested (InstaSyncFetchResult *self,
                                      const char           *metric)
{
  g_return_if_fail (INSTASYNC_IS_FETCH_RESULT (self));
  string_list_add (self->requested, metric);
}

void
instasync_fetch_result_add_succeeded (InstaSyncFetchResult *self,
                                      const char           *metric)
{
  g_return_if_fail (INSTASYNC_IS_FETCH_RESULT (self));

  /* A metric that failed in one window stays failed. */
  for (guint i = 0; i + 1 < self->failed->len; i++)
    if (g_str_equal (g_ptr_array_index (self->failed, i), metric))
      return;

  string_list_add (self->succeeded, metric);
}

void
instasync_fetch_result_add_failed (InstaSyncFetchResult *self,
                                   const char           *metric,
                                   const GError         *error)
{
  g_return_if_fail (INSTASYNC_IS_FETCH_RESULT (self));
  g_return_if_fail (metric != NULL);
  g_return_if_fail (error != NULL);

  string_list_remove (self->succeeded, metric);
  string_list_add (self->failed, metric);
  add_error_entry (self, metric, error);
}

void
instasync_fetch_result_add_note (InstaSyncFetchResult *self,
                                 const char           *note)
{
  g_autofree char *clean = NULL;

  g_return_if_fail (INSTASYNC_IS_FETCH_RESULT (self));
  g_return_if_fail (note != NULL);

  clean = instasync_redact_secret_params (note);
  string_list_add (self->notes, clean);
}

void
instasync_fetch_result_add_warning (InstaSyncFetchResult *self,
                                    const char           *warning)
{
  g_autofree char *clean = NULL;

  g_return_if_fail (INSTASYNC_IS_FETCH_RESULT (self));
  g_return_if_fail (warning != NULL);

  clean = instasync_redact_secret_params (warning);
  string_list_add (self->warnings, clean);
}

const char * const *
instasync_fetch_result_get_warnings (InstaSyncFetchResult *self)
{
  g_return_val_if_fail (INSTASYNC_IS_FETCH_RESULT (self), NULL);
  return (const char * const *)self->warnings->pdata;
}

void
instasync_fetch_result_add_without_data (InstaSyncFetchResult *self,
                                         const char           *metric,
                                         const char * const   *days)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *listed = NULL;
  guint n_days;

  g_return_if_fail (INSTASYNC_IS_FETCH_RESULT (self));
  g_return_if_fail (metric != NULL);
  g_return_if_fail (days != NULL && days[0] != NULL);

  n_days = g_strv_length ((char **)days);
  string_list_remove (self->succeeded, metric);
  string_list_add (self->without_data, metric);
  g_hash_table_replace (self->missing_days, g_strdup (metric), g_strdupv ((char **)days));

  /* The first and the last are enough to find them; the JSON has them all. */
  listed = n_days == 1 ? g_strdup (days[0])
                       : g_strdup_printf ("%s … %s", days[0], days[n_days - 1]);
  g_set_error (&error, INSTASYNC_ERROR, INSTASYNC_ERROR_NO_DATA,
               /* Translators: %u is a number of days, %s one date or two */
               g_dngettext (GETTEXT_PACKAGE,
                            "The API answered, but with no value for %u settled day (%s)",
                            "The API answered, but with no value for %u settled days (%s)",
                            n_days),
               n_days, listed);
  add_error_entry (self, metric, error);
}

const char * const *
instasync_fetch_result_get_without_data (InstaSyncFetchResult *self)
{
  g_return_val_if_fail (INSTASYNC_IS_FETCH_RESULT (self), NULL);
  return (const char * const *)self->without_data->pdata;
}

const char * const *
instasync_fetch_result_get_days_without_data (InstaSyncFetchResult *self,
                                              const char           *metric)
{
  g_return_val_if_fail (INSTASYNC_IS_FETCH_RESULT (self), NULL);
  return g_hash_table_lookup (self->missing_days, metric);
}

const char * const *
instasync_fetch_result_get_requested (InstaSyncFetchResult *self)
{
  g_return_val_if_fail (INSTASYNC_IS_FETCH_RESULT (self), NULL);
  return (const char * const *)self->requested->pdata;
}

const char * const *
instasync_fetch_result_get_succeeded (InstaSyncFetchResult *self)
{
  g_return_val_if_fail (INSTASYNC_IS_FETCH_RESULT (self), NULL);
  return (const char * const *)self->succeeded->pdata;
}

const char * const *
instasync_fetch_result_get_failed (InstaSyncFetchResult *self)
{
  g_return_val_if_fail (INSTASYNC_IS_FETCH_RESULT (self), NULL);
  return (const char * const *)self->failed->pdata;
}

GPtrArray *
instasync_fetch_result_get_errors (InstaSyncFetchResult *self)
{
  g_return_val_if_fail (INSTASYNC_IS_FETCH_RESULT (self), NULL);
  return self->errors;
}

const char * const *
instasync_fetch_result_get_notes (InstaSyncFetchResult *self)
{
  g_return_val_if_fail (INSTASYNC_IS_FETCH_RESULT (self), NULL);
  return (const char * const *)self->notes->pdata;
}

void
instasync_fetch_result_add_rows (InstaSyncFetchResult *self,
                                 guint                 inserted,
                                 guint                 updated,
                                 guint                 unchanged,
                                 guint                 failed)
{
  g_return_if_fail (INSTASYNC_IS_FETCH_RESULT (self));

  self->rows_inserted += inserted;
  self->rows_updated += updated;
  self->rows_unchanged += unchanged;
  self->rows_failed += failed;
}

guint
instasync_fetch_result_get_rows_inserted (InstaSyncFetchResult *self)
{
  g_return_val_if_fail (INSTASYNC_IS_FETCH_RESULT (self), 0);
  return self->rows_inserted;
}

guint
instasync_fetch_result_get_rows_updated (InstaSyncFetchResult *self)
{
  g_return_val_if_fail (INSTASYNC_IS_FETCH_RESULT (self), 0);
  return self->rows_updated;
}

guint
instasync_fetch_result_get_rows_unchanged (InstaSyncFetchResult *self)
{
  g_return_val_if_fail (INSTASYNC_IS_FETCH_RESULT (self), 0);
  return self->rows_unchanged;
}

guint
instasync_fetch_result_get_rows_failed (InstaSyncFetchResult *self)
{
  g_return_val_if_fail (INSTASYNC_IS_FETCH_RESULT (self), 0);
  return self->rows_failed;
}

void
instasync_fetch_result_add_calls (InstaSyncFetchResult *self,
                                  guint                 api_calls,
                                  guint                 http_requests)
{
  g_return_if_fail (INSTASYNC_IS_FETCH_RESULT (self));

  self->api_calls += api_calls;
  self->http_requests += http_requests;
}

guint
instasync_fetch_result_get_api_calls (InstaSyncFetchResult *self)
{
  g_return_val_if_fail (INSTASYNC_IS_FETCH_RESULT (self), 0);
  return self->api_calls;
}

guint
instasync_fetch_result_get_http_requests (InstaSyncFetchResult *self)
{
  g_return_val_if_fail (INSTASYNC_IS_FETCH_RESULT (self), 0);
  return self->http_requests;
}

gint64
instasync_fetch_result_get_started_at (InstaSyncFetchResult *self)
{
  g_return_val_if_fail (INSTASYNC_IS_FETCH_RESULT (self), 0);
  return self->started_at;
}

gint64
instasync_fetch_result_get_finished_at (InstaSyncFetchResult *self)
{
  g_return_val_if_fail (INSTASYNC_IS_FETCH_RESULT (self), 0);
  return self->finished_at;
}

void
instasync_fetch_result_set_log_failed (InstaSyncFetchResult *self)
{
  g_return_if_fail (INSTASYNC_IS_FETCH_RESULT (self));
  self->log_failed = TRUE;
}

void
instasync_fetch_result_set_paused_until (InstaSyncFetchResult *self,
                                         gint64                unix_seconds)
{
  g_return_if_fail (INSTASYNC_IS_FETCH_RESULT (self));
  self->paused_until = unix_seconds;
}

gint64
instasync_fetch_result_get_paused_until (InstaSyncFetchResult *self)
{
  g_return_val_if_fail (INSTASYNC_IS_FETCH_RESULT (self), 0);
  return self->paused_until;
}

void
instasync_fetch_result_finish (InstaSyncFetchResult *self)
{
  InstaSyncFetchStatus status;

  g_return_if_fail (INSTASYNC_IS_FETCH_RESULT (self));

  self->finished_at = g_get_real_time ();

  if (self->paused_until != 0)
    status = INSTASYNC_FETCH_STATUS_PAUSED;
  else if (string_list_length (self->failed) == 0 && string_list_length (self->without_data) == 0 &&
           self->rows_failed == 0 && !self->log_failed)
    status = INSTASYNC_FETCH_STATUS_SUCCEEDED;
  else if (string_list_length (self->succeeded) > 0)
    status = INSTASYNC_FETCH_STATUS_PARTIAL;
  else
    status = INSTASYNC_FETCH_STATUS_FAILED;

  if (status != self->status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
}

InstaSyncFetchStatus
instasync_fetch_result_get_status (InstaSyncFetchResult *self)
{
  g_return_val_if_fail (INSTASYNC_IS_FETCH_RESULT (self), INSTASYNC_FETCH_STATUS_FAILED);
  return self->status;
}

InstaSyncErrorAction
instasync_fetch_result_get_action (InstaSyncFetchResult *self)
{
  InstaSyncErrorAction best = INSTASYNC_ERROR_ACTION_NONE;

  g_return_val_if_fail (INSTASYNC_IS_FETCH_RESULT (self), INSTASYNC_ERROR_ACTION_NONE);

  for (guint i = 0; i < self->errors->len; i++)
    {
      InstaSyncMetricError *error = g_ptr_array_index (self->errors, i);

      if (action_rank (error->action) > action_rank (best))
        best = error->action;
    }

  return best;
}

char *
instasync_fetch_result_to_summary (InstaSyncFetchResult *self)
{
  GString *summary;
  guint rows;

  g_return_val_if_fail (INSTASYNC_IS_FETCH_RESULT (self), NULL);

  rows = self->rows_inserted + self->rows_updated + self->rows_unchanged;
  summary = g_string_new (self->username != NULL ? self->username : self->ig_user_id);
  g_string_append (summary, ": ");

  /* Translators: "4 of 4 metrics" */
  g_string_append_printf (summary, _("%u of %u metrics"),
                          string_list_length (self->succeeded),
                          string_list_length (self->requested));
  for (guint i = 0; i + 1 < self->without_data->len; i++)
    {
      const char *metric = g_ptr_array_index (self->without_data, i);
      guint n_days = g_strv_length (g_hash_table_lookup (self->missing_days, metric));

      g_string_append (summary, " · ");
      /* Translators: %s is the API name of a metric, %u a number of days:
       * "profile_views: no data for 6 days" */
      g_string_append_printf (summary, g_dngettext (GETTEXT_PACKAGE, "%s: no data for %u day",
                                                    "%s: no data for %u days", n_days),
                              metric, n_days);
    }
  g_string_append (summary, " · ");
  g_string_append_printf (summary, g_dngettext (GETTEXT_PACKAGE, "%u row", "%u rows", rows), rows);
  g_string_append_printf (summary, _(", %u new"), self->rows_inserted);
  if (self->rows_updated > 0)
    g_string_append_printf (summary, _(", %u updated"), self->rows_updated);
  if (duration_seconds (self) < 1.0)
    g_string_append_printf (summary, " · %.0f ms", duration_seconds (self) * 1000.0);
  else
    g_string_append_printf (summary, " · %.1f s", duration_seconds (self));

  if (self->paused_until != 0)
    {
      g_autoptr(GDateTime) until = g_date_time_new_from_unix_local (self->paused_until);
      g_autofree char *when = g_date_time_format (until, "%H:%M");

      g_string_append (summary, " · ");
      g_string_append_printf (summary, _("paused until %s"), when);
    }
  else if (string_list_length (self->failed) > 0)
    {
      g_string_append (summary, " · ");
      g_string_append (summary,
                       instasync_error_action_to_string (instasync_fetch_result_get_action (self)));
    }

  for (guint i = 0; i + 1 < self->warnings->len; i++)
    {
      g_string_append (summary, " · ⚠ ");
      g_string_append (summary, g_ptr_array_index (self->warnings, i));
    }

  switch (self->token_status)
    {
    case INSTASYNC_TOKEN_STATUS_REFRESHED:
      g_string_append (summary, " · ");
      g_string_append (summary, _("token refreshed"));
      break;
    case INSTASYNC_TOKEN_STATUS_EXPIRING:
      g_string_append (summary, " · ");
      g_string_append (summary, _("token expiring: reconnect"));
      break;
    case INSTASYNC_TOKEN_STATUS_EXPIRED:
      g_string_append (summary, " · ");
      g_string_append (summary, _("token expired"));
      break;
    case INSTASYNC_TOKEN_STATUS_UNCHECKED:
    case INSTASYNC_TOKEN_STATUS_VALID:
    default:
      break;
    }

  return g_string_free (summary, FALSE);
}

char *
instasync_fetch_result_to_details (InstaSyncFetchResult *self)
{
  g_autofree char *summary = NULL;
  GString *details;

  g_return_val_if_fail (INSTASYNC_IS_FETCH_RESULT (self), NULL);

  summary = instasync_fetch_result_to_summary (self);
  details = g_string_new (summary);
  g_string_append_c (details, '\n');

  g_string_append_printf (details, "  %s: %s\n", _("Account"), self->ig_user_id);
  if (self->window_since != NULL)
    g_string_append_printf (details, "  %s: %s … %s\n", _("Window"),
                            self->window_since, self->window_until);
  g_string_append_printf (details, "  %s: %s\n", _("Status"),
                          instasync_fetch_status_to_string (self->status));
  g_string_append_printf (details, "  %s: %u %s, %u %s, %u %s, %u %s\n", _("Rows"),
                          self->rows_inserted, _("inserted"),
                          self->rows_updated, _("updated"),
                          self->rows_unchanged, _("unchanged"),
                          self->rows_failed, _("failed"));
  g_string_append_printf (details, "  %s: %u, %s: %u\n",
                          _("API calls"), self->api_calls,
                          _("HTTP requests"), self->http_requests);

  for (guint i = 0; i + 1 < self->requested->len; i++)
    {
      const char *metric = g_ptr_array_index (self->requested, i);
      gboolean failed = FALSE;

      for (guint j = 0; j < self->errors->len; j++)
        {
          InstaSyncMetricError *error = g_ptr_array_index (self->errors, j);

          if (!g_str_equal (error->metric, metric))
            continue;
          failed = TRUE;
          g_string_append_printf (details, "  ✗ %s: %s (%s %d", metric, error->message,
                                  error->domain, error->code);
          if (error->subcode != 0)
            g_string_append_printf (details, "/%d", error->subcode);
          g_string_append_printf (details, ")\n      → %s\n",
                                  instasync_error_action_describe (error->action));
        }

      if (!failed)
        g_string_append_printf (details, "  ✓ %s\n", metric);
    }

  for (guint i = 0; i + 1 < self->warnings->len; i++)
    g_string_append_printf (details, "  ⚠ %s\n", (const char *)g_ptr_array_index (self->warnings, i));
  for (guint i = 0; i + 1 < self->notes->len; i++)
    g_string_append_printf (details, "  • %s\n", (const char *)g_ptr_array_index (self->notes, i));

  if (self->token_message != NULL)
    g_string_append_printf (details, "  %s %s: %s\n",
                            self->token_status >= INSTASYNC_TOKEN_STATUS_EXPIRING ? "⚠" : "•",
                            _("Token"), self->token_message);

  return g_string_free (details, FALSE);
}

JsonNode *
instasync_fetch_result_to_json (InstaSyncFetchResult *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *summary = NULL;

  g_return_val_if_fail (INSTASYNC_IS_FETCH_RESULT (self), NULL);

  summary = instasync_fetch_result_to_summary (self);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ig_user_id");
  json_builder_add_string_value (builder, self->ig_user_id);
  json_builder_set_member_name (builder, "username");
  if (self->username != NULL)
    json_builder_add_string_value (builder, self->username);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, instasync_fetch_status_to_string (self->status));
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder,
                                 instasync_error_action_to_string (instasync_fetch_result_get_action (self)));

  json_builder_set_member_name (builder, "window");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "since");
  json_builder_add_string_value (builder, self->window_since);
  json_builder_set_member_name (builder, "until");
  json_builder_add_string_value (builder, self->window_until);
  json_builder_end_object (builder);

  add_string_array (builder, "metrics_requested", self->requested);
  add_string_array (builder, "metrics_succeeded", self->succeeded);
  add_string_array (builder, "metrics_failed", self->failed);
  add_string_array (builder, "metrics_without_data", self->without_data);
  add_missing_days (builder, self);

  json_builder_set_member_name (builder, "rows");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "inserted");
  json_builder_add_int_value (builder, self->rows_inserted);
  json_builder_set_member_name (builder, "updated");
  json_builder_add_int_value (builder, self->rows_updated);
  json_builder_set_member_name (builder, "unchanged");
  json_builder_add_int_value (builder, self->rows_unchanged);
  json_builder_set_member_name (builder, "failed");
  json_builder_add_int_value (builder, self->rows_failed);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "api_calls");
  json_builder_add_int_value (builder, self->api_calls);
  json_builder_set_member_name (builder, "http_requests");
  json_builder_add_int_value (builder, self->http_requests);

  json_builder_set_member_name (builder, "errors");
  add_errors (builder, self->errors);
  add_string_array (builder, "notes", self->notes);
  add_string_array (builder, "warnings", self->warnings);

  json_builder_set_member_name (builder, "token");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, instasync_token_status_to_string (self->token_status));
  add_time (builder, "expires_at", self->token_expires_at * G_USEC_PER_SEC);
  json_builder_set_member_name (builder, "never_expires");
  json_builder_add_boolean_value (builder, self->token_never_expires);
  json_builder_set_member_name (builder, "message");
  if (self->token_message != NULL)
    json_builder_add_string_value (builder, self->token_message);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "api_calls");
  json_builder_add_int_value (builder, self->token_calls);
  json_builder_end_object (builder);

  add_time (builder, "started_at", self->started_at);
  add_time (builder, "finished_at", self->finished_at);
  add_time (builder, "paused_until", self->paused_until * G_USEC_PER_SEC);
  json_builder_set_member_name (builder, "duration_ms");
  json_builder_add_int_value (builder, self->finished_at != 0
                                       ? (self->finished_at - self->started_at) / 1000 : 0);
  json_builder_set_member_name (builder, "summary");
  json_builder_add_string_value (builder, summary);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

char *
instasync_fetch_result_errors_to_json (InstaSyncFetchResult *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (INSTASYNC_IS_FETCH_RESULT (self), NULL);

  add_errors (builder, self->errors);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

const char *
instasync_token_status_to_string (InstaSyncTokenStatus status)
{
  switch (status)
    {
    case INSTASYNC_TOKEN_STATUS_UNCHECKED: return "unchecked";
    case INSTASYNC_TOKEN_STATUS_VALID:     return "valid";
    case INSTASYNC_TOKEN_STATUS_REFRESHED: return "refreshed";
    case INSTASYNC_TOKEN_STATUS_EXPIRING:  return "expiring";
    case INSTASYNC_TOKEN_STATUS_EXPIRED:   return "expired";
    default:                               return "unchecked";
    }
}

void
instasync_fetch_result_set_token (InstaSyncFetchResult *self,
                                  InstaSyncTokenStatus  status,
                                  gint64                expires_at,
                                  gboolean              never_expires,
                                  const char           *message)
{
  g_return_if_fail (INSTASYNC_IS_FETCH_RESULT (self));

  self->token_status = status;
  self->token_expires_at = never_expires ? 0 : MAX (expires_at, 0);
  self->token_never_expires = !!never_expires;
  g_clear_pointer (&self->token_message, g_free);
  if (message != NULL)
    self->token_message = instasync_redact_secret_params (message);
}

InstaSyncTokenStatus
instasync_fetch_result_get_token_status (InstaSyncFetchResult *self)
{
  g_return_val_if_fail (INSTASYNC_IS_FETCH_RESULT (self), INSTASYNC_TOKEN_STATUS_UNCHECKED);
  return self->token_status;
}

const char *
instasync_fetch_result_get_token_message (InstaSyncFetchResult *self)
{
  g_return_val_if_fail (INSTASYNC_IS_FETCH_RESULT (self), NULL);
  return self->token_message;
}

void
instasync_fetch_result_add_token_calls (InstaSyncFetchResult *self,
                                        guint                 api_calls)
{
  g_return_if_fail (INSTASYNC_IS_FETCH_RESULT (self));
  self->token_calls += api_calls;
}

guint
instasync_fetch_result_get_token_calls (InstaSyncFetchResult *self)
{
  g_return_val_if_fail (INSTASYNC_IS_FETCH_RESULT (self), 0);
  return self->token_calls;
}
