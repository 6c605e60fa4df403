/* instasync-test-cli.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Runs the built instasyncctl (path in $INSTASYNC_CTL) the way a user does,
 * with the environment given as NULL-terminated NAME=VALUE pairs on top of a
 * clean one, @input on standard input. Returns the exit status. */
typedef struct
{
  int   status;
  char *out;
  char *err;
} CtlRun;

void  instasync_test_ctl_run   (CtlRun              *run,
                                const char * const  *env,
                                const char          *input,
                                const char * const  *args);
void  instasync_test_ctl_clear (CtlRun              *run);

/* instasync_test_ctl_run() in two halves, for several at once: start one,
 * then wait for it (and read its output) with the same @args. */
GSubprocess *instasync_test_ctl_spawn (const char * const  *env,
                                       const char * const  *args);
void         instasync_test_ctl_wait  (CtlRun              *run,
                                       GSubprocess         *process,
                                       const char          *input,
                                       const char * const  *args);

G_END_DECLS
