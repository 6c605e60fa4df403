/* instasync-graph-batch.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "instasync-graph-client.h"

G_BEGIN_DECLS

/* The API takes at most 50 operations in one batch. */
#define INSTASYNC_GRAPH_BATCH_MAX 50

/* One GET inside a Graph batch request, and what came of it: either @body
 * or @error is set once the batch has run. */
typedef struct
{
  char      *path;          /* "{ig-user-id}/insights" */
  GStrv      params;        /* alternating names and values */
  char      *relative_url;  /* both together, escaped, without the version */
  JsonNode  *body;
  GError    *error;
  gpointer   user_data;     /* the caller's, e.g. what the operation asked */
} InstaSyncBatchOp;

InstaSyncBatchOp *instasync_batch_op_new             (const char         *path,
                                                      const char * const *params);
void              instasync_batch_op_free            (InstaSyncBatchOp   *op);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (InstaSyncBatchOp, instasync_batch_op_free)

/* Gives every operation of @ops from @start on that has no answer yet a
 * copy of @error: no operation is left with neither body nor error. */
void              instasync_batch_ops_fail_unanswered (GPtrArray          *ops,
                                                       guint               start,
                                                       const GError       *error);

/* Runs @ops (InstaSyncBatchOp*) as batch requests of at most 50 operations
 * (POST {base}/{version}/ with batch=[...]), or as a plain GET when there is
 * only one. Each operation counts as one API call. Operations the API left
 * null (they timed out) and operations that failed in a way worth retrying
 * are sent again in a later batch, within the client's retry policy.
 *
 * Every operation ends with a body or an error. FALSE means the batch as a
 * whole failed (the token, throttling, the network): @error says why and the
 * operations without an answer carry the same error. */
gboolean          instasync_graph_client_run_batch   (InstaSyncGraphClient *self,
                                                      GPtrArray            *ops,
                                                      const char           *access_token,
                                                      GCancellable         *cancellable,
                                                      GError              **error);

/* Parses a batch response (the JSON array) into @ops, which must be the
 * operations that were sent, in order. An entry that is null is left
 * without an answer; a malformed response is INSTASYNC_ERROR_UNEXPECTED_SHAPE. */
gboolean          instasync_graph_batch_parse        (JsonNode             *root,
                                                      InstaSyncBatchOp    **ops,
                                                      guint                 n_ops,
                                                      GError              **error);

/* Reads the usage headers (X-App-Usage, X-Business-Use-Case-Usage) that
 * the answers of a batch response carry in their "headers", combined into
 * @usage (see instasync_usage_combine()); @ig_user_id and @page_id pick the
 * account's own business use case entries. FALSE when no answer carries
 * one, as when the batch was sent with include_headers=false. */
gboolean          instasync_graph_batch_parse_usage  (JsonNode             *root,
                                                      const char           *ig_user_id,
                                                      const char           *page_id,
                                                      InstaSyncUsage       *usage);

G_END_DECLS
