/* instasync-usage.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How much of its quota the app and an account have used, from the
 * X-App-Usage and X-Business-Use-Case-Usage headers. The API sends the
 * headers only once enough calls have been made, so "unknown" is normal. */
typedef struct
{
  gboolean app_known;
  int      app_percent;        /* max of call_count, total_time, total_cputime */
  gboolean business_known;
  int      business_percent;   /* the same over every business use case object */
  int      regain_minutes;     /* estimated_time_to_regain_access, -1 when absent */
} InstaSyncUsage;

void     instasync_usage_init                 (InstaSyncUsage *usage);
/* Each returns FALSE and leaves @usage as it was when the header is absent
 * or not the JSON the API documents: a garbled header never stops a sync. */
gboolean instasync_usage_parse_app            (InstaSyncUsage *usage,
                                               const char     *header_value);
gboolean instasync_usage_parse_business       (InstaSyncUsage *usage,
                                               const char     *header_value);
/* The same for one account: the header may list up to 32 objects, and only
 * the entries keyed by @ig_user_id or @page_id (either may be NULL) are its
 * own. When entries exist but none has one of those keys, the highest of
 * them is taken, as instasync_usage_parse_business() does. */
gboolean instasync_usage_parse_business_for   (InstaSyncUsage *usage,
                                               const char     *header_value,
                                               const char     *ig_user_id,
                                               const char     *page_id);
/* Reads @value as the usage header @name (X-App-Usage or
 * X-Business-Use-Case-Usage, in any case); FALSE for any other header or
 * an unreadable value. */
gboolean instasync_usage_parse_header         (InstaSyncUsage *usage,
                                               const char     *name,
                                               const char     *value,
                                               const char     *ig_user_id,
                                               const char     *page_id);
/* Merges readings taken at about the same time (the operations of one
 * batch): the highest of each known percentage, and its wait. */
void     instasync_usage_combine              (InstaSyncUsage       *usage,
                                               const InstaSyncUsage *other);
/* Takes what a newer @reading knows, keeping the rest of @usage. */
void     instasync_usage_update               (InstaSyncUsage       *usage,
                                               const InstaSyncUsage *reading);
/* The highest percentage known, 0 when none is. */
int      instasync_usage_get_percent          (const InstaSyncUsage *usage);

G_END_DECLS
