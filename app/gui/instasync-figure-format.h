/* instasync-figure-format.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  INSTASYNC_CHANGE_UNKNOWN,
  INSTASYNC_CHANGE_UP,
  INSTASYNC_CHANGE_DOWN,
  INSTASYNC_CHANGE_FLAT,
} InstaSyncChange;

/* An overview figure's change against the range before: "+12%", "−5%",
 * "±0%", "New" (nothing before) or "—" (either side unknown, as -1). */
char *instasync_format_change (gint64           current,
                               gint64           previous,
                               InstaSyncChange *direction);

/* A figure itself: "1,234", or "—" when unknown (-1). */
char *instasync_format_figure (gint64           value);

G_END_DECLS
