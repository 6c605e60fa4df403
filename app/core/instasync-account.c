/* instasync-account.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-account"

#include "config.h"

#include "instasync-account.h"

struct _InstaSyncAccount
{
  GObject  parent_instance;

  char    *ig_user_id;
  char    *username;
  char    *page_id;
  char    *status;
  char    *source;
  char    *status_reason;
  char    *day_zone;
  gint64   token_expires_at;
  gint64   data_access_expires_at;
  gboolean token_never_expires;
  gint64   last_synced_at;
  gint64   paused_until;
};

G_DEFINE_FINAL_TYPE (InstaSyncAccount, instasync_account, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_IG_USER_ID,
  PROP_USERNAME,
  PROP_STATUS,
  PROP_SOURCE,
  PROP_TOKEN_EXPIRES_AT,
  PROP_LAST_SYNCED_AT,
  PROP_PAUSED_UNTIL,
  PROP_TOKEN_NEVER_EXPIRES,
  PROP_DATA_ACCESS_EXPIRES_AT,
  PROP_STATUS_REASON,
  PROP_DAY_ZONE,
  PROP_PAGE_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Auxiliary */

static void
set_string (InstaSyncAccount *self,
            char            **field,
            const char       *value,
            guint             prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* GObject overrides */

static void
instasync_account_finalize (GObject *object)
{
  InstaSyncAccount *self = (InstaSyncAccount *)object;

  g_clear_pointer (&self->ig_user_id, g_free);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->page_id, g_free);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->source, g_free);
  g_clear_pointer (&self->status_reason, g_free);
  g_clear_pointer (&self->day_zone, g_free);

  G_OBJECT_CLASS (instasync_account_parent_class)->finalize (object);
}

static void
instasync_account_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  InstaSyncAccount *self = INSTASYNC_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_IG_USER_ID:
      g_value_set_string (value, self->ig_user_id);
      break;
    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    case PROP_SOURCE:
      g_value_set_string (value, self->source);
      break;
    case PROP_TOKEN_EXPIRES_AT:
      g_value_set_int64 (value, self->token_expires_at);
      break;
    case PROP_LAST_SYNCED_AT:
      g_value_set_int64 (value, self->last_synced_at);
      break;
    case PROP_PAUSED_UNTIL:
      g_value_set_int64 (value, self->paused_until);
      break;
    case PROP_TOKEN_NEVER_EXPIRES:
      g_value_set_boolean (value, self->token_never_expires);
      break;
    case PROP_DATA_ACCESS_EXPIRES_AT:
      g_value_set_int64 (value, self->data_access_expires_at);
      break;
    case PROP_STATUS_REASON:
      g_value_set_string (value, self->status_reason);
      break;
    case PROP_DAY_ZONE:
      g_value_set_string (value, self->day_zone);
      break;
    case PROP_PAGE_ID:
      g_value_set_string (value, self->page_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
instasync_account_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  InstaSyncAccount *self = INSTASYNC_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_IG_USER_ID:
      self->ig_user_id = g_value_dup_string (value);
      break;
    case PROP_USERNAME:
      instasync_account_set_username (self, g_value_get_string (value));
      break;
    case PROP_STATUS:
      instasync_account_set_status (self, g_value_get_string (value));
      break;
    case PROP_SOURCE:
      instasync_account_set_source (self, g_value_get_string (value));
      break;
    case PROP_TOKEN_EXPIRES_AT:
      instasync_account_set_token_expires_at (self, g_value_get_int64 (value));
      break;
    case PROP_LAST_SYNCED_AT:
      instasync_account_set_last_synced_at (self, g_value_get_int64 (value));
      break;
    case PROP_PAUSED_UNTIL:
      instasync_account_set_paused_until (self, g_value_get_int64 (value));
      break;
    case PROP_TOKEN_NEVER_EXPIRES:
      instasync_account_set_token_never_expires (self, g_value_get_boolean (value));
      break;
    case PROP_DATA_ACCESS_EXPIRES_AT:
      instasync_account_set_data_access_expires_at (self, g_value_get_int64 (value));
      break;
    case PROP_STATUS_REASON:
      instasync_account_set_status_reason (self, g_value_get_string (value));
      break;
    case PROP_DAY_ZONE:
      instasync_account_set_day_zone (self, g_value_get_string (value));
      break;
    case PROP_PAGE_ID:
      instasync_account_set_page_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
instasync_account_class_init (InstaSyncAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = instasync_account_finalize;
  object_class->get_property = instasync_account_get_property;
  object_class->set_property = instasync_account_set_property;

  properties[PROP_IG_USER_ID] =
    g_param_spec_string ("ig-user-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, INSTASYNC_ACCOUNT_STATUS_ACTIVE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOURCE] =
    g_param_spec_string ("source", NULL, NULL, "database",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN_EXPIRES_AT] =
    g_param_spec_int64 ("token-expires-at", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_SYNCED_AT] =
    g_param_spec_int64 ("last-synced-at", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_PAUSED_UNTIL] =
    g_param_spec_int64 ("paused-until", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN_NEVER_EXPIRES] =
    g_param_spec_boolean ("token-never-expires", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DATA_ACCESS_EXPIRES_AT] =
    g_param_spec_int64 ("data-access-expires-at", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS_REASON] =
    g_param_spec_string ("status-reason", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAGE_ID] =
    g_param_spec_string ("page-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* The time zone whose midnights end the account's days, as learnt from
   * the API; NULL until it is. */
  properties[PROP_DAY_ZONE] =
    g_param_spec_string ("day-zone", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
instasync_account_init (InstaSyncAccount *self)
{
  self->status = g_strdup (INSTASYNC_ACCOUNT_STATUS_ACTIVE);
  self->source = g_strdup ("database");
}

/* Public API */

InstaSyncAccount *
instasync_account_new (const char *ig_user_id)
{
  g_return_val_if_fail (ig_user_id != NULL, NULL);

  return g_object_new (INSTASYNC_TYPE_ACCOUNT, "ig-user-id", ig_user_id, NULL);
}

const char *
instasync_account_get_ig_user_id (InstaSyncAccount *self)
{
  g_return_val_if_fail (INSTASYNC_IS_ACCOUNT (self), NULL);
  return self->ig_user_id;
}

const char *
instasync_account_get_username (InstaSyncAccount *self)
{
  g_return_val_if_fail (INSTASYNC_IS_ACCOUNT (self), NULL);
  return self->username;
}

void
instasync_account_set_username (InstaSyncAccount *self,
                                const char       *username)
{
  g_return_if_fail (INSTASYNC_IS_ACCOUNT (self));
  set_string (self, &self->username, username, PROP_USERNAME);
}

const char *
instasync_account_get_page_id (InstaSyncAccount *self)
{
  g_return_val_if_fail (INSTASYNC_IS_ACCOUNT (self), NULL);
  return self->page_id;
}

void
instasync_account_set_page_id (InstaSyncAccount *self,
                               const char       *page_id)
{
  g_return_if_fail (INSTASYNC_IS_ACCOUNT (self));
  set_string (self, &self->page_id, page_id, PROP_PAGE_ID);
}

const char *
instasync_account_get_status (InstaSyncAccount *self)
{
  g_return_val_if_fail (INSTASYNC_IS_ACCOUNT (self), NULL);
  return self->status;
}

void
instasync_account_set_status (InstaSyncAccount *self,
                              const char       *status)
{
  g_return_if_fail (INSTASYNC_IS_ACCOUNT (self));
  set_string (self, &self->status, status, PROP_STATUS);
}

const char *
instasync_account_get_source (InstaSyncAccount *self)
{
  g_return_val_if_fail (INSTASYNC_IS_ACCOUNT (self), NULL);
  return self->source;
}

void
instasync_account_set_source (InstaSyncAccount *self,
                              const char       *source)
{
  g_return_if_fail (INSTASYNC_IS_ACCOUNT (self));
  set_string (self, &self->source, source, PROP_SOURCE);
}

gint64
instasync_account_get_token_expires_at (InstaSyncAccount *self)
{
  g_return_val_if_fail (INSTASYNC_IS_ACCOUNT (self), 0);
  return self->token_expires_at;
}

void
instasync_account_set_token_expires_at (InstaSyncAccount *self,
                                        gint64            expires_at)
{
  g_return_if_fail (INSTASYNC_IS_ACCOUNT (self));

  if (self->token_expires_at == expires_at)
    return;

  self->token_expires_at = expires_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN_EXPIRES_AT]);
}

gint64
instasync_account_get_last_synced_at (InstaSyncAccount *self)
{
  g_return_val_if_fail (INSTASYNC_IS_ACCOUNT (self), 0);
  return self->last_synced_at;
}

void
instasync_account_set_last_synced_at (InstaSyncAccount *self,
                                      gint64            last_synced_at)
{
  g_return_if_fail (INSTASYNC_IS_ACCOUNT (self));

  if (self->last_synced_at == last_synced_at)
    return;

  self->last_synced_at = last_synced_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNCED_AT]);
}

gint64
instasync_account_get_paused_until (InstaSyncAccount *self)
{
  g_return_val_if_fail (INSTASYNC_IS_ACCOUNT (self), 0);
  return self->paused_until;
}

void
instasync_account_set_paused_until (InstaSyncAccount *self,
                                    gint64            paused_until)
{
  g_return_if_fail (INSTASYNC_IS_ACCOUNT (self));

  if (self->paused_until == paused_until)
    return;

  self->paused_until = paused_until;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED_UNTIL]);
}

gboolean
instasync_account_get_token_never_expires (InstaSyncAccount *self)
{
  g_return_val_if_fail (INSTASYNC_IS_ACCOUNT (self), FALSE);
  return self->token_never_expires;
}

void
instasync_account_set_token_never_expires (InstaSyncAccount *self,
                                           gboolean          never)
{
  g_return_if_fail (INSTASYNC_IS_ACCOUNT (self));

  never = !!never;
  if (self->token_never_expires == never)
    return;

  self->token_never_expires = never;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN_NEVER_EXPIRES]);
}

gint64
instasync_account_get_data_access_expires_at (InstaSyncAccount *self)
{
  g_return_val_if_fail (INSTASYNC_IS_ACCOUNT (self), 0);
  return self->data_access_expires_at;
}

void
instasync_account_set_data_access_expires_at (InstaSyncAccount *self,
                                              gint64            expires_at)
{
  g_return_if_fail (INSTASYNC_IS_ACCOUNT (self));

  if (self->data_access_expires_at == expires_at)
    return;

  self->data_access_expires_at = expires_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATA_ACCESS_EXPIRES_AT]);
}

const char *
instasync_account_get_status_reason (InstaSyncAccount *self)
{
  g_return_val_if_fail (INSTASYNC_IS_ACCOUNT (self), NULL);
  return self->status_reason;
}

void
instasync_account_set_status_reason (InstaSyncAccount *self,
                                     const char       *reason)
{
  g_return_if_fail (INSTASYNC_IS_ACCOUNT (self));
  set_string (self, &self->status_reason, reason, PROP_STATUS_REASON);
}

const char *
instasync_account_get_day_zone (InstaSyncAccount *self)
{
  g_return_val_if_fail (INSTASYNC_IS_ACCOUNT (self), NULL);
  return self->day_zone;
}

void
instasync_account_set_day_zone (InstaSyncAccount *self,
                                const char       *zone)
{
  g_return_if_fail (INSTASYNC_IS_ACCOUNT (self));
  set_string (self, &self->day_zone, zone, PROP_DAY_ZONE);
}
