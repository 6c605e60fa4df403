/* instasync-account-status.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "instasync-account-status.h"

#define MINUTE 60
#define HOUR (60 * MINUTE)
#define DAY (24 * HOUR)

static gboolean
token_expiring (InstaSyncAccount *account,
                gint64            now)
{
  gint64 expires_at = instasync_account_get_token_expires_at (account);

  if (g_strcmp0 (instasync_account_get_status (account), INSTASYNC_ACCOUNT_STATUS_EXPIRING) == 0)
    return TRUE;

  return expires_at > 0 && expires_at - now <= INSTASYNC_ACCOUNT_EXPIRY_WARNING_DAYS * DAY;
}

InstaSyncAccountState
instasync_account_state_get (InstaSyncAccount *account,
                             gboolean          syncing,
                             gint64            now)
{
  g_return_val_if_fail (INSTASYNC_IS_ACCOUNT (account), INSTASYNC_ACCOUNT_STATE_NEVER_SYNCED);

  if (syncing)
    return INSTASYNC_ACCOUNT_STATE_SYNCING;
  if (g_strcmp0 (instasync_account_get_status (account),
                 INSTASYNC_ACCOUNT_STATUS_NEEDS_RECONNECT) == 0)
    return INSTASYNC_ACCOUNT_STATE_NEEDS_RECONNECT;
  /* An expired token needs the user as much as a refused one. */
  if (instasync_account_get_token_expires_at (account) > 0 &&
      instasync_account_get_token_expires_at (account) <= now)
    return INSTASYNC_ACCOUNT_STATE_NEEDS_RECONNECT;
  if (instasync_account_get_paused_until (account) > now)
    return INSTASYNC_ACCOUNT_STATE_PAUSED;
  if (token_expiring (account, now))
    return INSTASYNC_ACCOUNT_STATE_EXPIRING;
  if (instasync_account_get_last_synced_at (account) > 0)
    return INSTASYNC_ACCOUNT_STATE_SYNCED;
  return INSTASYNC_ACCOUNT_STATE_NEVER_SYNCED;
}

static char *
synced_ago (gint64 seconds)
{
  gint64 amount;

  if (seconds < MINUTE)
    return g_strdup (_("Synced just now"));

  if (seconds < HOUR)
    {
      amount = seconds / MINUTE;
      return g_strdup_printf (ngettext ("Synced %d minute ago", "Synced %d minutes ago",
                                        (gulong)amount), (int)amount);
    }

  if (seconds < DAY)
    {
      amount = seconds / HOUR;
      return g_strdup_printf (ngettext ("Synced %d hour ago", "Synced %d hours ago",
                                        (gulong)amount), (int)amount);
    }

  amount = seconds / DAY;
  if (amount == 1)
    return g_strdup (_("Synced yesterday"));
  return g_strdup_printf (ngettext ("Synced %d day ago", "Synced %d days ago", (gulong)amount),
                          (int)MIN (amount, G_MAXINT));
}

char *
instasync_account_state_dup_text (InstaSyncAccount *account,
                                  gboolean          syncing,
                                  gint64            now)
{
  InstaSyncAccountState state;

  g_return_val_if_fail (INSTASYNC_IS_ACCOUNT (account), NULL);

  state = instasync_account_state_get (account, syncing, now);
  switch (state)
    {
    case INSTASYNC_ACCOUNT_STATE_SYNCING:
      return g_strdup (_("Syncing…"));

    case INSTASYNC_ACCOUNT_STATE_NEEDS_RECONNECT:
      return g_strdup (_("Needs reconnect"));

    case INSTASYNC_ACCOUNT_STATE_PAUSED:
      {
        g_autoptr(GDateTime) until =
          g_date_time_new_from_unix_local (instasync_account_get_paused_until (account));
        g_autofree char *time = g_date_time_format (until, "%H:%M");

        /* Translators: Instagram's rate limit; %s is a time like 14:30. */
        return g_strdup_printf (_("Paused until %s"), time);
      }

    case INSTASYNC_ACCOUNT_STATE_EXPIRING:
      {
        gint64 expires_at = instasync_account_get_token_expires_at (account);
        gint64 days = expires_at > now ? (expires_at - now) / DAY : 0;

        if (expires_at <= 0)
          return g_strdup (_("Token expires soon"));
        if (days == 0)
          return g_strdup (_("Token expires today"));
        return g_strdup_printf (ngettext ("Token expires in %d day", "Token expires in %d days",
                                          (gulong)days), (int)days);
      }

    case INSTASYNC_ACCOUNT_STATE_SYNCED:
      return synced_ago (MAX (0, now - instasync_account_get_last_synced_at (account)));

    case INSTASYNC_ACCOUNT_STATE_NEVER_SYNCED:
    default:
      return g_strdup (_("Not synced yet"));
    }
}

const char *
instasync_account_state_icon_name (InstaSyncAccountState state)
{
  switch (state)
    {
    case INSTASYNC_ACCOUNT_STATE_SYNCING:
      return "emblem-synchronizing-symbolic";
    case INSTASYNC_ACCOUNT_STATE_NEEDS_RECONNECT:
      return "dialog-error-symbolic";
    case INSTASYNC_ACCOUNT_STATE_PAUSED:
      return "media-playback-pause-symbolic";
    case INSTASYNC_ACCOUNT_STATE_EXPIRING:
      return "dialog-warning-symbolic";
    case INSTASYNC_ACCOUNT_STATE_SYNCED:
      return "object-select-symbolic";
    case INSTASYNC_ACCOUNT_STATE_NEVER_SYNCED:
    default:
      return "content-loading-symbolic";
    }
}

const char *
instasync_account_state_style (InstaSyncAccountState state)
{
  switch (state)
    {
    case INSTASYNC_ACCOUNT_STATE_NEEDS_RECONNECT:
      return "error";
    case INSTASYNC_ACCOUNT_STATE_PAUSED:
    case INSTASYNC_ACCOUNT_STATE_EXPIRING:
      return "warning";
    case INSTASYNC_ACCOUNT_STATE_SYNCED:
      return "success";
    case INSTASYNC_ACCOUNT_STATE_SYNCING:
    case INSTASYNC_ACCOUNT_STATE_NEVER_SYNCED:
    default:
      return NULL;
    }
}
