/* instasync-day-zone.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An account's days are the API's days: the instants its end_times fall on.
 * They are seen to be US-Pacific midnights, but whether an account's own
 * time zone moves them is not settled, so InstaSync learns, for each
 * account, a time zone whose midnights are exactly the end_times the API
 * returns for it, and checks every later answer against it. */

/* The zone named by @identifier (an IANA name such as "Europe/Berlin", or a
 * fixed offset such as "+01:00"), or America/Los_Angeles when @identifier
 * is NULL, empty or unknown on this machine. */
GTimeZone *instasync_day_zone_new     (const char   *identifier);

/* TRUE when each of the @n_end_times instants is the start of a day of
 * @zone (TRUE for none at all). */
gboolean   instasync_day_zone_fits    (GTimeZone    *zone,
                                       const gint64 *end_times,
                                       guint         n_end_times);

/* A zone whose midnights are all of @end_times: @current if it fits, else
 * America/Los_Angeles, else this machine's own zone, else the first zone of
 * the time zone database that fits, else the fixed offset of the first
 * end_time. NULL when @n_end_times is 0 or no zone fits them all (a fixed
 * offset cannot fit end_times of different offsets). */
GTimeZone *instasync_day_zone_learn   (const gint64 *end_times,
                                       guint         n_end_times,
                                       GTimeZone    *current);

G_END_DECLS
