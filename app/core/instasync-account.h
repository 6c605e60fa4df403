/* instasync-account.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* An Instagram professional account InstaSync syncs. The access token is
 * deliberately not a property: it is fetched from the store only when a sync
 * needs it, so that it never travels through bindings, logs or JSON. */
#define INSTASYNC_TYPE_ACCOUNT (instasync_account_get_type ())

G_DECLARE_FINAL_TYPE (InstaSyncAccount, instasync_account, INSTASYNC, ACCOUNT, GObject)

/* The values of the "status" property, as stored in instagram_accounts.status. */
#define INSTASYNC_ACCOUNT_STATUS_ACTIVE          "active"
#define INSTASYNC_ACCOUNT_STATUS_EXPIRING        "expiring"
#define INSTASYNC_ACCOUNT_STATUS_NEEDS_RECONNECT "needs_reconnect"

InstaSyncAccount *instasync_account_new                   (const char       *ig_user_id);
const char       *instasync_account_get_ig_user_id        (InstaSyncAccount *self);
const char       *instasync_account_get_username          (InstaSyncAccount *self);
void              instasync_account_set_username          (InstaSyncAccount *self,
                                                           const char       *username);
const char       *instasync_account_get_status            (InstaSyncAccount *self);
void              instasync_account_set_status            (InstaSyncAccount *self,
                                                           const char       *status);
/* Unix seconds, 0 when unknown or when the token never expires. */
gint64            instasync_account_get_token_expires_at  (InstaSyncAccount *self);
void              instasync_account_set_token_expires_at  (InstaSyncAccount *self,
                                                           gint64            expires_at);
/* TRUE when the token is known never to expire (a page or system user
 * token); token-expires-at is then 0. */
gboolean          instasync_account_get_token_never_expires (InstaSyncAccount *self);
void              instasync_account_set_token_never_expires (InstaSyncAccount *self,
                                                             gboolean          never);
/* Unix seconds when the app loses access to the person's data (90 days
 * after the login, renewed only by logging in again); 0 when unknown or never. */
gint64            instasync_account_get_data_access_expires_at (InstaSyncAccount *self);
void              instasync_account_set_data_access_expires_at (InstaSyncAccount *self,
                                                                gint64            expires_at);
/* Why the account has its status ("The access token expires on …"), for
 * people; NULL when there is nothing to say. */
const char       *instasync_account_get_status_reason     (InstaSyncAccount *self);
void              instasync_account_set_status_reason     (InstaSyncAccount *self,
                                                           const char       *reason);
/* Unix seconds of the last finished sync, 0 when never synced. */
gint64            instasync_account_get_last_synced_at    (InstaSyncAccount *self);
void              instasync_account_set_last_synced_at    (InstaSyncAccount *self,
                                                           gint64            last_synced_at);
/* Unix seconds until which the API throttles the account, 0 when not paused. */
gint64            instasync_account_get_paused_until      (InstaSyncAccount *self);
void              instasync_account_set_paused_until      (InstaSyncAccount *self,
                                                           gint64            paused_until);
/* The time zone whose midnights end the account's days (an identifier for
 * instasync_day_zone_new()), as learnt from the API's end_times; NULL until
 * it is learnt. */
const char       *instasync_account_get_day_zone          (InstaSyncAccount *self);
void              instasync_account_set_day_zone          (InstaSyncAccount *self,
                                                           const char       *zone);
/* The Facebook Page the account is linked through, NULL when unknown. */
const char       *instasync_account_get_page_id           (InstaSyncAccount *self);
void              instasync_account_set_page_id           (InstaSyncAccount *self,
                                                           const char       *page_id);
/* Where the account came from: "database" or "secrets-file". */
const char       *instasync_account_get_source            (InstaSyncAccount *self);
void              instasync_account_set_source            (InstaSyncAccount *self,
                                                           const char       *source);

G_END_DECLS
