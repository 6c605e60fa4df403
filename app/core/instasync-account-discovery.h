/* instasync-account-discovery.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "instasync-graph-client.h"

G_BEGIN_DECLS

/* Which Instagram professional accounts a user token reaches: every Page of
 * /me/accounts (every page of the listing), the Instagram account linked to
 * each, and that account's node. A Page that leads nowhere is kept with a
 * reason the person can act on, so that "my account is missing" has an
 * answer on screen. */

/* One account the token can sync: an item for the connect dialog's list. */
#define INSTASYNC_TYPE_DISCOVERED_ACCOUNT (instasync_discovered_account_get_type ())

G_DECLARE_FINAL_TYPE (InstaSyncDiscoveredAccount, instasync_discovered_account,
                      INSTASYNC, DISCOVERED_ACCOUNT, GObject)

const char *instasync_discovered_account_get_ig_user_id          (InstaSyncDiscoveredAccount *self);
const char *instasync_discovered_account_get_username            (InstaSyncDiscoveredAccount *self);
/* NULL when the account has no display name. */
const char *instasync_discovered_account_get_name                (InstaSyncDiscoveredAccount *self);
const char *instasync_discovered_account_get_profile_picture_url (InstaSyncDiscoveredAccount *self);
/* -1 when the API did not say. */
gint64      instasync_discovered_account_get_followers_count     (InstaSyncDiscoveredAccount *self);
/* The Page the account was found through. */
const char *instasync_discovered_account_get_page_id             (InstaSyncDiscoveredAccount *self);
const char *instasync_discovered_account_get_page_name           (InstaSyncDiscoveredAccount *self);

/* A Page that led to no account, and what to do about it. */
typedef struct
{
  char *page_id;
  char *page_name;   /* NULL when the API gave none */
  char *reason;      /* a sentence for the person, translated */
} InstaSyncSkippedPage;

#define INSTASYNC_TYPE_SKIPPED_PAGE (instasync_skipped_page_get_type ())

GType                 instasync_skipped_page_get_type (void) G_GNUC_CONST;
InstaSyncSkippedPage *instasync_skipped_page_copy     (const InstaSyncSkippedPage *page);
void                  instasync_skipped_page_free     (InstaSyncSkippedPage       *page);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InstaSyncSkippedPage, instasync_skipped_page_free)

typedef struct
{
  GPtrArray *accounts;  /* InstaSyncDiscoveredAccount, in /me/accounts order, no duplicates */
  GPtrArray *skipped;   /* InstaSyncSkippedPage */
} InstaSyncDiscovery;

void instasync_discovery_free (InstaSyncDiscovery *discovery);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InstaSyncDiscovery, instasync_discovery_free)

/* Blocking, with @client. Fails as a whole only when the token itself is
 * refused, the API throttles or cannot be reached, or /me/accounts is not
 * what the API documents; one account that cannot be read is a skipped
 * Page. No Page at all is an empty result, not an error. */
InstaSyncDiscovery *instasync_discover_accounts        (InstaSyncGraphClient  *client,
                                                        const char            *access_token,
                                                        GCancellable          *cancellable,
                                                        GError               **error);
/* The same in a worker thread with a Graph client of its own, which signs
 * its calls with appsecret_proof when @app_secret is not NULL. */
void                instasync_discover_accounts_async  (const char            *graph_url,
                                                        const char            *api_version,
                                                        const char            *access_token,
                                                        const char            *app_secret,
                                                        GCancellable          *cancellable,
                                                        GAsyncReadyCallback    callback,
                                                        gpointer               user_data);
InstaSyncDiscovery *instasync_discover_accounts_finish (GAsyncResult          *result,
                                                        GError               **error);

G_END_DECLS
