/* instasync-redact.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What keeps secrets out of every output: whatever is printed (g_print,
 * g_printerr), logged (g_log), stored as an error or a sync log, or put in
 * JSON passes through instasync_redact(), which removes
 *
 *  1. every live secret, by value: each InstaSyncSecret registers itself
 *     when it is made (tokens, the App Secret, the token key), and the
 *     database password is registered when a connection string is read.
 *     Its percent-encoded and JSON-escaped forms go too. A value shorter
 *     than INSTASYNC_REDACT_MIN_SUBSTRING is only taken out where it stands
 *     alone, so that a short password does not eat the words it is part of;
 *  2. the secret parts of every URL and connection string, found by their
 *     structure: the password of a URL's userinfo, and the value of each
 *     secret parameter (instasync_is_secret_param()) in a query, a
 *     fragment, a form, JSON or a conninfo string, whatever the case of its
 *     name and however it is written: name=v, name = v, name%3Dv, "name":
 *     "v", name='v';
 *  3. Authorization credentials: "Bearer v", "OAuth v".
 *
 * Each is replaced by "[redacted]". */

#define INSTASYNC_REDACT_MIN_SUBSTRING 8

/* Registers @secret (copied; NULL or "" is ignored). Thread-safe. */
void      instasync_redact_register        (const char *secret);

/* Registers the password in @conninfo (a libpq connection string or URI),
 * even when @conninfo is malformed. */
void      instasync_redact_register_conninfo (const char *conninfo);

/* A scrubbed copy of @text (NULL gives NULL). */
char     *instasync_redact                 (const char *text);

/* instasync_redact() of @text, escaped for Pango markup: what a label or a
 * toast shows of an error. */
char     *instasync_redact_markup          (const char *text);

/* TRUE for the names of parameters whose values are secrets, in any case:
 * access_token, appsecret_proof, client_secret, code, fb_exchange_token,
 * input_token, long_lived_token, refresh_token, password. */
gboolean  instasync_is_secret_param        (const char *name);

/* Routes g_print(), g_printerr() and the log writer through
 * instasync_redact(). Both programs call it first thing. */
void      instasync_redact_install         (void);

/* Tests: forgets every registered secret. */
void      _instasync_redact_forget_all     (void);

G_END_DECLS
