/* instasync-error.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "instasync-error.h"

G_DEFINE_QUARK (instasync-error-quark, instasync_error)
