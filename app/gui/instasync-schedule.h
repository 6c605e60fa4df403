/* instasync-schedule.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* When the daily background sync runs next: the first @time_of_day ("HH:MM"
 * in @now's time zone) strictly after @now. A day with a clock change still
 * gets its run at that wall-clock time (or just after the gap, when the
 * clock skips it). NULL when @time_of_day is not a valid time. */
GDateTime *instasync_schedule_next_run (GDateTime  *now,
                                        const char *time_of_day);

G_END_DECLS
