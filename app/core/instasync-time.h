/* instasync-time.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Turns any timestamp the Graph API or a user may hand us into a UTC instant:
 *
 *   2024-05-04T07:00:00+0000     the API's own form
 *   2024-05-04T07:00:00+00:00    ISO 8601 with a colon in the offset
 *   2024-05-04T07:00:00Z         Zulu
 *   2024-05-04T00:00:00-0700     any other offset, with or without a colon
 *   2024-05-04T07:00:00.123Z     fractional seconds (kept to the microsecond)
 *   2024-05-04 07:00:00+00       a space instead of T, an hour-only offset
 *   2024-05-04                   a date alone: midnight UTC of that date
 *   1714806000                   Unix seconds
 *
 * A date-time without an offset is ambiguous, so it is refused rather than
 * guessed at, and so is everything else: the result is NULL with
 * INSTASYNC_ERROR_TIMESTAMP. */
GDateTime *instasync_normalize_timestamp       (const char  *text,
                                                GError     **error);

/* Formats a Unix time as the API does: 2024-05-04T07:00:00+0000. */
char      *instasync_format_graph_time         (gint64       unix_seconds);
/* Formats a Unix time as ISO 8601 UTC: 2024-05-04T07:00:00Z. */
char      *instasync_format_iso8601_utc        (gint64       unix_seconds);

/* An account's days are the days of a time zone (see instasync-day-zone.h):
 * the start of @day, the start of the day after it (the end_time the API
 * gives the day's value), the calendar date at an instant, and the day a
 * value with this end_time describes (the date of end_time minus one day,
 * since end_time closes the bucket). */
gint64     instasync_day_start                 (GTimeZone   *zone,
                                                const GDate *day);
gint64     instasync_day_end                   (GTimeZone   *zone,
                                                const GDate *day);
void       instasync_date_at                   (GTimeZone   *zone,
                                                gint64       unix_seconds,
                                                GDate       *day);
void       instasync_day_of_end_time           (GTimeZone   *zone,
                                                gint64       end_time,
                                                GDate       *day);

/* Graph API day metrics are observed as US-Pacific days: the functions
 * above with America/Los_Angeles. */
GTimeZone *instasync_pacific_timezone          (void);
/* Unix seconds of the Pacific midnight that starts @day. */
gint64     instasync_pacific_day_start         (const GDate *day);
/* Unix seconds of the Pacific midnight that ends @day: the end_time the API
 * gives the day's value (07:00 UTC in summer, 08:00 UTC in winter). */
gint64     instasync_pacific_day_end           (const GDate *day);
/* The Pacific day a value with this end_time describes: the Pacific date of
 * end_time minus one day, since end_time closes the bucket. */
void       instasync_pacific_day_of_end_time   (gint64       end_time,
                                                GDate       *day);
/* The Pacific calendar date at @unix_seconds. */
void       instasync_pacific_date_at           (gint64       unix_seconds,
                                                GDate       *day);

/* Parses YYYY-MM-DD strictly (a real calendar date, nothing after it). */
gboolean   instasync_parse_date                (const char  *text,
                                                GDate       *day,
                                                GError     **error);
/* YYYY-MM-DD */
char      *instasync_format_date               (const GDate *day);

G_END_DECLS
