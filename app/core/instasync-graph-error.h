/* instasync-graph-error.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Errors the Graph API reported in its error envelope. The GError code is the
 * Graph "code" (100, 190, 80002, ...); the rest of the envelope travels with
 * the error (an extended GError) so that classification never has to read the
 * message text. */
#define INSTASYNC_GRAPH_ERROR (instasync_graph_error_quark ())

GQuark instasync_graph_error_quark (void);

/* What to do about an error. */
typedef enum
{
  INSTASYNC_ERROR_ACTION_NONE,         /* not an error */
  INSTASYNC_ERROR_ACTION_RETRY,        /* transient: try again after a short backoff */
  INSTASYNC_ERROR_ACTION_BACK_OFF,     /* throttled: stop calling until access returns */
  INSTASYNC_ERROR_ACTION_RECONNECT,    /* the token is dead: the user must reconnect */
  INSTASYNC_ERROR_ACTION_SKIP_METRIC,  /* this metric cannot be fetched; the others can */
  INSTASYNC_ERROR_ACTION_FAIL,         /* the account cannot be synced until someone acts */
} InstaSyncErrorAction;

const char          *instasync_error_action_to_string     (InstaSyncErrorAction action);
/* A sentence telling a person what to do, translated. */
const char          *instasync_error_action_describe      (InstaSyncErrorAction action);

/* Sets @error from a parsed Graph error envelope ({"error": {...}}).
 * Returns FALSE when @root is not such an envelope. */
gboolean             instasync_graph_error_set_from_json  (GError     **error,
                                                           JsonNode    *root,
                                                           guint        http_status);
void                 instasync_graph_error_set            (GError     **error,
                                                           int          code,
                                                           int          subcode,
                                                           guint        http_status,
                                                           gboolean     is_transient,
                                                           const char  *message);

/* The envelope's other fields; 0 / FALSE / NULL when @error is not a Graph error. */
int                  instasync_graph_error_get_subcode       (const GError *error);
guint                instasync_graph_error_get_http_status   (const GError *error);
gboolean             instasync_graph_error_get_is_transient  (const GError *error);
const char          *instasync_graph_error_get_fbtrace_id    (const GError *error);
/* Minutes until the API lets us call again, from the error or the usage
 * headers that came with it; -1 when nobody said. */
int                  instasync_graph_error_get_regain_minutes (const GError *error);
void                 instasync_graph_error_set_regain_minutes (GError      *error,
                                                              int           minutes);

/* Marks an error that arrived while the usage headers said a limit was
 * reached: a 100/33 is then a throttle, not a missing object. */
void                 instasync_graph_error_set_usage_exhausted (GError *error);

/* TRUE when the API refused the call's appsecret_proof (missing while the
 * app requires it, or wrong): a configuration error, not the account's. */
gboolean             instasync_graph_error_is_appsecret_proof_refused (const GError *error);

/* Classifies any error of ours by domain, code, subcode and the envelope's
 * is_transient (which makes anything but a rate limit a retry), never by
 * message text; the one exception, the refused appsecret_proof, is told
 * apart once, when the envelope is read. */
InstaSyncErrorAction instasync_error_classify             (const GError *error);
/* The same for a bare Graph code/subcode/HTTP status. */
InstaSyncErrorAction instasync_graph_error_classify_code  (int           code,
                                                           int           subcode,
                                                           guint         http_status);

G_END_DECLS
