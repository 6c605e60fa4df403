/* instasync-metric-names.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a user reads for a metric of the catalogue: "Profile views" for
 * profile_views. A metric without a name of its own is spelled out from its
 * API name. */
char *instasync_metric_dup_display_name (const char *metric);

G_END_DECLS
