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
/* The highest percentage known, 0 when none is. */
int      instasync_usage_get_percent          (const InstaSyncUsage *usage);

G_END_DECLS
