/* instasync-window-reading.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Which buckets (an account's days, [start, end)) the API puts in a
 * since/until window. The reference cannot say (§1.1), so InstaSync learns
 * it from the API's own answers: a time series shows by its end_times which
 * buckets a window held, and reach, the one metric asked both ways, shows
 * whether total values follow the same reading. */
typedef enum
{
  INSTASYNC_WINDOW_READING_UNKNOWN,
  INSTASYNC_WINDOW_READING_OVERLAP,              /* start < until and end > since */
  INSTASYNC_WINDOW_READING_OVERLAP_INCLUSIVE,    /* start ≤ until and end > since */
  INSTASYNC_WINDOW_READING_BUCKET_END,           /* since < end ≤ until */
  INSTASYNC_WINDOW_READING_BUCKET_END_INCLUSIVE, /* since ≤ end ≤ until */
} InstaSyncWindowReading;

/* "overlap", "overlap_inclusive", "bucket_end", "bucket_end_inclusive";
 * NULL for UNKNOWN. */
const char            *instasync_window_reading_to_string   (InstaSyncWindowReading reading);
/* UNKNOWN for NULL or any other text. */
InstaSyncWindowReading instasync_window_reading_from_string (const char            *text);

/* Whether the bucket [@start, @end) is in the window [@since, @until]
 * under @reading (FALSE under UNKNOWN). */
gboolean               instasync_window_reading_holds       (InstaSyncWindowReading reading,
                                                             gint64                 start,
                                                             gint64                 end,
                                                             gint64                 since,
                                                             gint64                 until);

/* The since/until to send for a total over exactly the buckets from
 * @first_start to @last_end, under @reading: one second inside the
 * buckets on the side the reading would otherwise take a neighbour from.
 * Every reading of a family is served by the same bounds, so the
 * family is all a plan needs. UNKNOWN sends the buckets' own bounds. */
void                   instasync_window_reading_total_bounds (InstaSyncWindowReading reading,
                                                              gint64                 first_start,
                                                              gint64                 last_end,
                                                              gint64                *since,
                                                              gint64                *until);

/* The probe: four reach requests around settled days F < D < … < L that
 * together tell every reading apart.
 *
 *  SERIES_A  time series, since = start of F, until = noon of L
 *  SERIES_B  time series, since = noon of F, until = start of L + 1
 *  TOTAL_1   total value, since = start of D, until = end of D − 1 s
 *  TOTAL_2   total value, since = start of D + 1 s, until = end of D
 *
 * SERIES_A holds F … L under both overlap readings, F … L−1 under
 * bucket_end and F−1 … L−1 under bucket_end_inclusive; SERIES_B holds L+1
 * too under overlap_inclusive alone. The totals, compared with the daily
 * values SERIES_A gives for D−1, D and D+1, tell the reading of total
 * values the same way. */
typedef enum
{
  INSTASYNC_PROBE_SERIES_A,
  INSTASYNC_PROBE_SERIES_B,
  INSTASYNC_PROBE_TOTAL_1,
  INSTASYNC_PROBE_TOTAL_2,
  INSTASYNC_N_PROBES
} InstaSyncProbe;

typedef struct
{
  GDate first;   /* F */
  GDate day;     /* D = F + 1 */
  GDate last;    /* L = F + 3 */
} InstaSyncProbeDays;

/* Days old enough to be settled and young enough to be served. */
void                   instasync_probe_days_init            (InstaSyncProbeDays       *days,
                                                             const GDate              *today);
/* The since/until of @probe for days of @zone. */
void                   instasync_probe_bounds               (InstaSyncProbe            probe,
                                                             GTimeZone                *zone,
                                                             const InstaSyncProbeDays *days,
                                                             gint64                   *since,
                                                             gint64                   *until);
/* The time series reading from the days (GDate) SERIES_A and SERIES_B held;
 * UNKNOWN when they fit no reading. */
InstaSyncWindowReading instasync_probe_series_reading       (const InstaSyncProbeDays *days,
                                                             GArray                   *a_days,
                                                             GArray                   *b_days);

/* What a one-day total answered, next to the daily values around it. */
typedef struct
{
  gboolean present;    /* FALSE: no value (no item, {}, an error 100) */
  gint64   value;
} InstaSyncProbeTotal;

/* The total value reading from TOTAL_1 and TOTAL_2, given reach's daily
 * values on D − 1, D and D + 1; UNKNOWN when the answers cannot be
 * reconciled with any reading (or the daily values are too alike to tell). */
InstaSyncWindowReading instasync_probe_total_reading        (const InstaSyncProbeTotal *total_1,
                                                             const InstaSyncProbeTotal *total_2,
                                                             gint64                     previous,
                                                             gint64                     day,
                                                             gint64                     next);

G_END_DECLS
