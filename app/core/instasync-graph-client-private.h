/* instasync-graph-client-private.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "instasync-graph-client.h"

G_BEGIN_DECLS

/* "{path}?{params}", escaped, relative to the version: a batch operation's
 * relative_url, and the tail of every URL the client builds. */
char     *_instasync_graph_client_relative_url     (const char            *path,
                                                    const char * const    *params);
/* POST {base}/{version}/ with a form body, retried like a GET. Counts an
 * HTTP request, no API call: a batch counts its operations itself. */
JsonNode *_instasync_graph_client_post             (InstaSyncGraphClient  *self,
                                                    const char            *form,
                                                    const char            *access_token,
                                                    GCancellable          *cancellable,
                                                    GError               **error);
void      _instasync_graph_client_count_calls      (InstaSyncGraphClient  *self,
                                                    guint                  api_calls);
/* Takes the usage read from a batch's operations, together with that of the
 * batch response itself, as the client's usage. */
void      _instasync_graph_client_note_batch_usage (InstaSyncGraphClient  *self,
                                                    const InstaSyncUsage  *operations);
/* The ids set with instasync_graph_client_set_usage_account(). */
const char *_instasync_graph_client_get_usage_ig_user_id (InstaSyncGraphClient *self);
const char *_instasync_graph_client_get_usage_page_id    (InstaSyncGraphClient *self);
guint     _instasync_graph_client_get_max_attempts (InstaSyncGraphClient  *self);
/* Sleeps the backoff before attempt @attempt + 1; FALSE when cancelled. */
gboolean  _instasync_graph_client_backoff          (InstaSyncGraphClient  *self,
                                                    guint                  attempt,
                                                    GCancellable          *cancellable,
                                                    GError               **error);

G_END_DECLS
