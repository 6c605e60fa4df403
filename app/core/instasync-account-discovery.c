/* instasync-account-discovery.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-account-discovery"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "instasync-account-discovery.h"
#include "instasync-error.h"
#include "instasync-graph-error.h"
#include "instasync-insights-parser.h"
#include "instasync-secret.h"
#include "instasync-secrets-file.h"

/* The API's largest page; fewer round trips for agencies with many Pages. */
#define PAGE_LIMIT "100"
/* 100 000 Pages: past that the API is looping, not listing. */
#define MAX_LISTING_PAGES 1000

#define PAGE_FIELDS \
  "id,name,instagram_business_account{id,username,name,profile_picture_url,followers_count}"
#define ACCOUNT_FIELDS "id,username,name,profile_picture_url,followers_count"

struct _InstaSyncDiscoveredAccount
{
  GObject  parent_instance;

  char    *ig_user_id;
  char    *username;
  char    *name;
  char    *profile_picture_url;
  gint64   followers_count;
  char    *page_id;
  char    *page_name;
};

G_DEFINE_FINAL_TYPE (InstaSyncDiscoveredAccount, instasync_discovered_account, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (InstaSyncSkippedPage, instasync_skipped_page,
                     instasync_skipped_page_copy, instasync_skipped_page_free)

enum {
  PROP_0,
  PROP_IG_USER_ID,
  PROP_USERNAME,
  PROP_NAME,
  PROP_PROFILE_PICTURE_URL,
  PROP_FOLLOWERS_COUNT,
  PROP_PAGE_ID,
  PROP_PAGE_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A Page with a linked account, before the account itself was read. */
typedef struct
{
  char       *page_id;
  char       *page_name;
  char       *ig_user_id;
  JsonObject *linked;   /* the sub-fields /me/accounts gave, a fallback */
} Candidate;

/* Auxiliary */

static void
candidate_free (gpointer data)
{
  Candidate *candidate = data;

  g_free (candidate->page_id);
  g_free (candidate->page_name);
  g_free (candidate->ig_user_id);
  g_clear_pointer (&candidate->linked, json_object_unref);
  g_free (candidate);
}

static void
add_skipped (GPtrArray  *skipped,
             const char *page_id,
             const char *page_name,
             char       *reason)
{
  InstaSyncSkippedPage *page = g_new0 (InstaSyncSkippedPage, 1);

  page->page_id = g_strdup (page_id);
  page->page_name = g_strdup (page_name);
  page->reason = reason;
  g_ptr_array_add (skipped, page);
}

/* A Page's name for a sentence: names come from users, so they are quoted
 * short and without control characters. */
static char *
page_label (const char *page_id,
            const char *page_name)
{
  g_autofree char *quoted = instasync_quote_untrusted (page_name != NULL ? page_name : page_id);

  for (char *p = quoted; *p != '\0'; p++)
    if ((guchar)*p < 0x20 || *p == 0x7f)
      *p = ' ';

  return g_strdup_printf ("“%s”", quoted);
}

static gint64
get_count (JsonObject *object,
           const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_INT64 && json_node_get_int (node) >= 0)
    return json_node_get_int (node);
  return -1;
}

static const char *
first_string (JsonObject *preferred,
              JsonObject *fallback,
              const char *name)
{
  const char *value = preferred != NULL ? instasync_json_get_string (preferred, name) : NULL;

  if (value == NULL && fallback != NULL)
    value = instasync_json_get_string (fallback, name);
  return value;
}

/* Whether an error of one account's node ends the whole discovery: the
 * token, throttling and the network affect every other call too; a
 * permission or object error concerns this account only. */
static gboolean
is_fatal (const GError *error)
{
  InstaSyncErrorAction action;

  if (error->domain != INSTASYNC_GRAPH_ERROR)
    return TRUE;
  if (error->code == 190 || error->code == 102)
    return TRUE;

  action = instasync_error_classify (error);
  return action == INSTASYNC_ERROR_ACTION_BACK_OFF || action == INSTASYNC_ERROR_ACTION_RETRY;
}

static char *
unreadable_reason (const Candidate *candidate,
                   const GError    *error)
{
  g_autofree char *label = page_label (candidate->page_id, candidate->page_name);
  g_autofree char *message = instasync_quote_untrusted (error->message);
  gboolean permission = error->code == 10 || (error->code >= 200 && error->code <= 299);

  if (permission)
    return g_strdup_printf (_("The Instagram account linked to Page %s was not shared with "
                              "InstaSync during the login. Connect again and select this "
                              "Page and its Instagram account."), label);

  return g_strdup_printf (_("The Instagram account linked to Page %s cannot be read (“%s”). "
                            "Check that it is still a professional account linked to the "
                            "Page, then connect again."), label, message);
}

/* Reads one page of /me/accounts into @candidates and @skipped; sets
 * @after to the next cursor, or NULL on the last page. */
static gboolean
read_listing (JsonNode    *root,
              GPtrArray   *candidates,
              GHashTable  *seen,
              GPtrArray   *skipped,
              char       **after,
              GError     **error)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonNode *data = object != NULL ? json_object_get_member (object, "data") : NULL;
  JsonNode *paging_node = object != NULL ? json_object_get_member (object, "paging") : NULL;
  JsonArray *list;

  g_clear_pointer (after, g_free);

  if (data == NULL || !JSON_NODE_HOLDS_ARRAY (data))
    {
      g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_UNEXPECTED_SHAPE,
                           _("/me/accounts answered without a list of Pages"));
      return FALSE;
    }

  list = json_node_get_array (data);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *element = json_array_get_element (list, i);
      JsonObject *page = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      const char *page_id = page != NULL ? instasync_json_get_string (page, "id") : NULL;
      const char *page_name = page != NULL ? instasync_json_get_string (page, "name") : NULL;
      JsonNode *linked = page != NULL ? json_object_get_member (page, "instagram_business_account")
                                      : NULL;
      const char *ig_user_id;
      g_autofree char *label = NULL;
      Candidate *candidate;

      if (page_id == NULL)
        {
          g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_UNEXPECTED_SHAPE,
                               _("/me/accounts listed a Page without an id"));
          return FALSE;
        }

      label = page_label (page_id, page_name);

      /* The API leaves the member out when no account is linked. */
      if (linked == NULL || JSON_NODE_HOLDS_NULL (linked))
        {
          add_skipped (skipped, page_id, page_name,
                       g_strdup_printf (_("Page %s has no Instagram professional account "
                                          "linked: link one in the Page's settings (Linked "
                                          "accounts → Instagram), or switch the Instagram "
                                          "account to a business or creator account, then "
                                          "connect again."), label));
          continue;
        }

      ig_user_id = JSON_NODE_HOLDS_OBJECT (linked)
                   ? instasync_json_get_string (json_node_get_object (linked), "id") : NULL;
      if (ig_user_id == NULL || !instasync_check_ig_user_id (ig_user_id, NULL))
        {
          add_skipped (skipped, page_id, page_name,
                       g_strdup_printf (_("Page %s names a linked Instagram account the API "
                                          "gave no usable id for. Try connecting again "
                                          "later."), label));
          continue;
        }

      /* Two Pages may lead to one account; it is connected once. */
      if (g_hash_table_contains (seen, ig_user_id))
        continue;
      g_hash_table_add (seen, g_strdup (ig_user_id));

      candidate = g_new0 (Candidate, 1);
      candidate->page_id = g_strdup (page_id);
      candidate->page_name = g_strdup (page_name);
      candidate->ig_user_id = g_strdup (ig_user_id);
      candidate->linked = json_object_ref (json_node_get_object (linked));
      g_ptr_array_add (candidates, candidate);
    }

  /* Cursor paging: "next" says there is more; the cursor says from where.
   * Following "next" itself would send the token to whatever host a
   * response names. */
  if (paging_node != NULL && JSON_NODE_HOLDS_OBJECT (paging_node))
    {
      JsonObject *paging = json_node_get_object (paging_node);
      JsonNode *cursors = json_object_get_member (paging, "cursors");
      const char *cursor = NULL;

      if (instasync_json_get_string (paging, "next") == NULL)
        return TRUE;

      if (cursors != NULL && JSON_NODE_HOLDS_OBJECT (cursors))
        cursor = instasync_json_get_string (json_node_get_object (cursors), "after");
      if (cursor == NULL || *cursor == '\0')
        {
          g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_UNEXPECTED_SHAPE,
                               _("/me/accounts has more Pages but gave no cursor to them"));
          return FALSE;
        }
      *after = g_strdup (cursor);
    }

  return TRUE;
}

static InstaSyncDiscoveredAccount *
discovered_account_new (const Candidate *candidate,
                        JsonObject      *node)
{
  InstaSyncDiscoveredAccount *self = g_object_new (INSTASYNC_TYPE_DISCOVERED_ACCOUNT, NULL);
  gint64 followers = get_count (node, "followers_count");

  self->ig_user_id = g_strdup (candidate->ig_user_id);
  self->username = g_strdup (first_string (node, candidate->linked, "username"));
  self->name = g_strdup (first_string (node, candidate->linked, "name"));
  self->profile_picture_url = g_strdup (first_string (node, candidate->linked,
                                                      "profile_picture_url"));
  self->followers_count = followers >= 0 ? followers
                                         : get_count (candidate->linked, "followers_count");
  self->page_id = g_strdup (candidate->page_id);
  self->page_name = g_strdup (candidate->page_name);

  return self;
}

/* GObject overrides */

static void
instasync_discovered_account_finalize (GObject *object)
{
  InstaSyncDiscoveredAccount *self = (InstaSyncDiscoveredAccount *)object;

  g_free (self->ig_user_id);
  g_free (self->username);
  g_free (self->name);
  g_free (self->profile_picture_url);
  g_free (self->page_id);
  g_free (self->page_name);

  G_OBJECT_CLASS (instasync_discovered_account_parent_class)->finalize (object);
}

static void
instasync_discovered_account_get_property (GObject    *object,
                                           guint       prop_id,
                                           GValue     *value,
                                           GParamSpec *pspec)
{
  InstaSyncDiscoveredAccount *self = INSTASYNC_DISCOVERED_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_IG_USER_ID:
      g_value_set_string (value, self->ig_user_id);
      break;
    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_PROFILE_PICTURE_URL:
      g_value_set_string (value, self->profile_picture_url);
      break;
    case PROP_FOLLOWERS_COUNT:
      g_value_set_int64 (value, self->followers_count);
      break;
    case PROP_PAGE_ID:
      g_value_set_string (value, self->page_id);
      break;
    case PROP_PAGE_NAME:
      g_value_set_string (value, self->page_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
instasync_discovered_account_class_init (InstaSyncDiscoveredAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = instasync_discovered_account_finalize;
  object_class->get_property = instasync_discovered_account_get_property;

  properties[PROP_IG_USER_ID] = g_param_spec_string ("ig-user-id", NULL, NULL, NULL, flags);
  properties[PROP_USERNAME] = g_param_spec_string ("username", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_PROFILE_PICTURE_URL] = g_param_spec_string ("profile-picture-url", NULL, NULL,
                                                              NULL, flags);
  properties[PROP_FOLLOWERS_COUNT] = g_param_spec_int64 ("followers-count", NULL, NULL,
                                                         -1, G_MAXINT64, -1, flags);
  properties[PROP_PAGE_ID] = g_param_spec_string ("page-id", NULL, NULL, NULL, flags);
  properties[PROP_PAGE_NAME] = g_param_spec_string ("page-name", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
instasync_discovered_account_init (InstaSyncDiscoveredAccount *self)
{
  self->followers_count = -1;
}

/* Public API */

const char *
instasync_discovered_account_get_ig_user_id (InstaSyncDiscoveredAccount *self)
{
  g_return_val_if_fail (INSTASYNC_IS_DISCOVERED_ACCOUNT (self), NULL);
  return self->ig_user_id;
}

const char *
instasync_discovered_account_get_username (InstaSyncDiscoveredAccount *self)
{
  g_return_val_if_fail (INSTASYNC_IS_DISCOVERED_ACCOUNT (self), NULL);
  return self->username;
}

const char *
instasync_discovered_account_get_name (InstaSyncDiscoveredAccount *self)
{
  g_return_val_if_fail (INSTASYNC_IS_DISCOVERED_ACCOUNT (self), NULL);
  return self->name;
}

const char *
instasync_discovered_account_get_profile_picture_url (InstaSyncDiscoveredAccount *self)
{
  g_return_val_if_fail (INSTASYNC_IS_DISCOVERED_ACCOUNT (self), NULL);
  return self->profile_picture_url;
}

gint64
instasync_discovered_account_get_followers_count (InstaSyncDiscoveredAccount *self)
{
  g_return_val_if_fail (INSTASYNC_IS_DISCOVERED_ACCOUNT (self), -1);
  return self->followers_count;
}

const char *
instasync_discovered_account_get_page_id (InstaSyncDiscoveredAccount *self)
{
  g_return_val_if_fail (INSTASYNC_IS_DISCOVERED_ACCOUNT (self), NULL);
  return self->page_id;
}

const char *
instasync_discovered_account_get_page_name (InstaSyncDiscoveredAccount *self)
{
  g_return_val_if_fail (INSTASYNC_IS_DISCOVERED_ACCOUNT (self), NULL);
  return self->page_name;
}

InstaSyncSkippedPage *
instasync_skipped_page_copy (const InstaSyncSkippedPage *page)
{
  InstaSyncSkippedPage *copy;

  g_return_val_if_fail (page != NULL, NULL);

  copy = g_new0 (InstaSyncSkippedPage, 1);
  copy->page_id = g_strdup (page->page_id);
  copy->page_name = g_strdup (page->page_name);
  copy->reason = g_strdup (page->reason);
  return copy;
}

void
instasync_skipped_page_free (InstaSyncSkippedPage *page)
{
  if (page == NULL)
    return;

  g_free (page->page_id);
  g_free (page->page_name);
  g_free (page->reason);
  g_free (page);
}

void
instasync_discovery_free (InstaSyncDiscovery *discovery)
{
  if (discovery == NULL)
    return;

  g_clear_pointer (&discovery->accounts, g_ptr_array_unref);
  g_clear_pointer (&discovery->skipped, g_ptr_array_unref);
  g_free (discovery);
}

InstaSyncDiscovery *
instasync_discover_accounts (InstaSyncGraphClient  *client,
                             const char            *access_token,
                             GCancellable          *cancellable,
                             GError               **error)
{
  g_autoptr(InstaSyncDiscovery) discovery = NULL;
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func (candidate_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) cursors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *after = NULL;

  g_return_val_if_fail (INSTASYNC_IS_GRAPH_CLIENT (client), NULL);
  g_return_val_if_fail (access_token != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  discovery = g_new0 (InstaSyncDiscovery, 1);
  discovery->accounts = g_ptr_array_new_with_free_func (g_object_unref);
  discovery->skipped = g_ptr_array_new_with_free_func ((GDestroyNotify)instasync_skipped_page_free);

  for (guint n = 0; ; n++)
    {
      const char * const params[] = {
        "fields", PAGE_FIELDS,
        "limit", PAGE_LIMIT,
        after != NULL ? "after" : NULL, after,
        NULL
      };
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(GError) local_error = NULL;

      if (n >= MAX_LISTING_PAGES)
        {
          g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_UNEXPECTED_SHAPE,
                               _("/me/accounts never reached its last page"));
          return NULL;
        }

      root = instasync_graph_client_get (client, "me/accounts", params, access_token,
                                         cancellable, &local_error);
      if (root == NULL ||
          !read_listing (root, candidates, seen, discovery->skipped, &after, &local_error))
        {
          instasync_error_redact (local_error, access_token);
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ",
                                      _("Listing your Facebook Pages"));
          return NULL;
        }

      if (after == NULL)
        break;

      /* A cursor seen before would list the same Pages forever. */
      if (g_hash_table_contains (cursors, after))
        {
          g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_UNEXPECTED_SHAPE,
                               _("Listing your Facebook Pages: /me/accounts sent the same "
                                 "page of results twice"));
          return NULL;
        }
      g_hash_table_add (cursors, g_strdup (after));
    }

  for (guint i = 0; i < candidates->len; i++)
    {
      Candidate *candidate = g_ptr_array_index (candidates, i);
      const char * const params[] = { "fields", ACCOUNT_FIELDS, NULL };
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) local_error = NULL;

      node = instasync_graph_client_get (client, candidate->ig_user_id, params, access_token,
                                         cancellable, &local_error);
      if (node == NULL)
        {
          instasync_error_redact (local_error, access_token);
          if (is_fatal (local_error))
            {
              g_autofree char *label = page_label (candidate->page_id, candidate->page_name);

              g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                          _("Reading the Instagram account of Page %s: "), label);
              return NULL;
            }

          add_skipped (discovery->skipped, candidate->page_id, candidate->page_name,
                       unreadable_reason (candidate, local_error));
          continue;
        }

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error_literal (error, INSTASYNC_ERROR, INSTASYNC_ERROR_UNEXPECTED_SHAPE,
                               _("An Instagram account's node is not an object"));
          return NULL;
        }

      g_ptr_array_add (discovery->accounts,
                       discovered_account_new (candidate, json_node_get_object (node)));
    }

  return g_steal_pointer (&discovery);
}

typedef struct
{
  char *graph_url;
  char *api_version;
  char *access_token;
  char *app_secret;
} DiscoverData;

static void
discover_data_free (gpointer data)
{
  DiscoverData *discover = data;

  g_free (discover->graph_url);
  g_free (discover->api_version);
  instasync_secret_free (discover->access_token);
  instasync_secret_free (discover->app_secret);
  g_free (discover);
}

static void
discover_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  DiscoverData *discover = task_data;
  g_autoptr(InstaSyncGraphClient) client = NULL;
  g_autoptr(GError) error = NULL;
  InstaSyncDiscovery *discovery;

  client = instasync_graph_client_new (discover->graph_url, discover->api_version);
  instasync_graph_client_set_app_secret (client, discover->app_secret);
  discovery = instasync_discover_accounts (client, discover->access_token, cancellable, &error);
  if (discovery == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, discovery, (GDestroyNotify)instasync_discovery_free);
}

void
instasync_discover_accounts_async (const char          *graph_url,
                                   const char          *api_version,
                                   const char          *access_token,
                                   const char          *app_secret,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DiscoverData *discover;

  g_return_if_fail (graph_url != NULL);
  g_return_if_fail (api_version != NULL);
  g_return_if_fail (access_token != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, instasync_discover_accounts_async);

  discover = g_new0 (DiscoverData, 1);
  discover->graph_url = g_strdup (graph_url);
  discover->api_version = g_strdup (api_version);
  discover->access_token = g_strdup (access_token);
  discover->app_secret = g_strdup (app_secret);
  g_task_set_task_data (task, discover, discover_data_free);

  g_task_run_in_thread (task, discover_thread);
}

InstaSyncDiscovery *
instasync_discover_accounts_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        instasync_discover_accounts_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
