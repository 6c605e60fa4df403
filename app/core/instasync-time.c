/* instasync-time.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-time"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "instasync-error.h"
#include "instasync-time.h"

/* Auxiliary */

static gboolean
read_digits (const char **p,
             guint        count,
             int         *out)
{
  int value = 0;

  for (guint i = 0; i < count; i++)
    {
      if (!g_ascii_isdigit ((*p)[i]))
        return FALSE;
      value = value * 10 + ((*p)[i] - '0');
    }

  *p += count;
  *out = value;
  return TRUE;
}

static gboolean
expect_char (const char **p,
             char         c)
{
  if (**p != c)
    return FALSE;
  (*p)++;
  return TRUE;
}

static gboolean
is_all_digits (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (; *text != '\0'; text++)
    if (!g_ascii_isdigit (*text))
      return FALSE;
  return TRUE;
}

static GDateTime *
refuse (const char  *text,
        const char  *why,
        GError     **error)
{
  g_autofree char *shown = instasync_quote_untrusted (text);

  g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_TIMESTAMP,
               /* Translators: the first %s says what is wrong, e.g. "no HH:MM:SS
                * time"; the second is the text that was given */
               _("Not a timestamp InstaSync can read (%s): “%s”"), why, shown);
  return NULL;
}

/* Parses "+HHMM", "+HH:MM", "+HH", "Z"; returns the offset in seconds. */
static gboolean
read_offset (const char **p,
             int         *offset_seconds)
{
  int sign, hours, minutes = 0;

  if (**p == 'Z' || **p == 'z')
    {
      (*p)++;
      *offset_seconds = 0;
      return TRUE;
    }

  if (**p == '+')
    sign = 1;
  else if (**p == '-')
    sign = -1;
  else
    return FALSE;
  (*p)++;

  if (!read_digits (p, 2, &hours))
    return FALSE;
  if (**p == ':')
    {
      (*p)++;
      if (!read_digits (p, 2, &minutes))
        return FALSE;
    }
  else if (g_ascii_isdigit (**p))
    {
      if (!read_digits (p, 2, &minutes))
        return FALSE;
    }

  if (hours > 18 || minutes > 59)
    return FALSE;

  *offset_seconds = sign * (hours * 3600 + minutes * 60);
  return TRUE;
}

/* Public API */

GDateTime *
instasync_normalize_timestamp (const char  *text,
                               GError     **error)
{
  const char *p;
  int year, month, day, hour, minute, second;
  int microsecond = 0;
  int offset = 0;
  g_autoptr(GDateTime) as_utc = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (text == NULL)
    return refuse ("", _("nothing given"), error);

  if (!g_utf8_validate (text, -1, NULL))
    return refuse ("", _("not UTF-8"), error);

  /* Unix seconds: the API's since/until, and what scripts tend to pass. Ten
   * digits or fewer keeps "20240504" (a compact date) from being read as 1970. */
  if (is_all_digits (text))
    {
      guint64 seconds;

      if (strlen (text) > 10 || strlen (text) < 9)
        return refuse (text, _("digits only, but not Unix seconds"), error);
      seconds = g_ascii_strtoull (text, NULL, 10);
      return g_date_time_new_from_unix_utc ((gint64)seconds);
    }

  p = text;
  if (!read_digits (&p, 4, &year) || !expect_char (&p, '-') ||
      !read_digits (&p, 2, &month) || !expect_char (&p, '-') ||
      !read_digits (&p, 2, &day))
    return refuse (text, _("no YYYY-MM-DD date"), error);

  if (month < 1 || month > 12 || day < 1 ||
      !g_date_valid_dmy ((GDateDay)day, (GDateMonth)month, (GDateYear)year))
    return refuse (text, _("no such calendar date"), error);

  if (*p == '\0')
    return g_date_time_new_utc (year, month, day, 0, 0, 0);

  if (*p != 'T' && *p != 't' && *p != ' ')
    return refuse (text, _("unexpected text after the date"), error);
  p++;

  if (!read_digits (&p, 2, &hour) || !expect_char (&p, ':') ||
      !read_digits (&p, 2, &minute) || !expect_char (&p, ':') ||
      !read_digits (&p, 2, &second))
    return refuse (text, _("no HH:MM:SS time"), error);

  if (hour > 23 || minute > 59 || second > 59)
    return refuse (text, _("time out of range"), error);

  if (*p == '.' || *p == ',')
    {
      int scale = 100000;
      gboolean any = FALSE;

      p++;
      while (g_ascii_isdigit (*p))
        {
          microsecond += (*p - '0') * scale;
          scale /= 10;
          any = TRUE;
          p++;
        }
      if (!any)
        return refuse (text, _("empty fraction of a second"), error);
    }

  if (*p == '\0')
    return refuse (text, _("no UTC offset, so the instant is ambiguous"), error);

  if (!read_offset (&p, &offset))
    return refuse (text, _("unreadable UTC offset"), error);

  if (*p != '\0')
    return refuse (text, _("unexpected text after the offset"), error);

  /* Build the instant in UTC and subtract the offset ourselves: GTimeZone
   * accepts offsets it cannot represent and quietly falls back to UTC. */
  as_utc = g_date_time_new_utc (year, month, day, hour, minute, second);
  if (as_utc == NULL)
    return refuse (text, _("out of range"), error);

  {
    g_autoptr(GDateTime) shifted = g_date_time_add_seconds (as_utc, -offset);
    GDateTime *result = shifted != NULL ? g_date_time_add (shifted, microsecond) : NULL;

    /* The offset can push the instant outside the years 1 to 9999. */
    if (result == NULL)
      return refuse (text, _("out of range"), error);
    return result;
  }
}

char *
instasync_format_graph_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_seconds);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S+0000");
}

char *
instasync_format_iso8601_utc (gint64 unix_seconds)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_seconds);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

GTimeZone *
instasync_pacific_timezone (void)
{
  static GTimeZone *pacific;

  if (g_once_init_enter (&pacific))
    {
      GTimeZone *tz = g_time_zone_new_identifier ("America/Los_Angeles");

      /* Without tzdata there is no honest answer; say so loudly instead of
       * silently syncing the wrong days. */
      if (tz == NULL)
        g_error ("The time zone America/Los_Angeles is not installed (package tzdata)");
      g_once_init_leave (&pacific, tz);
    }

  return g_time_zone_ref (pacific);
}

gint64
instasync_day_start (GTimeZone   *zone,
                     const GDate *day)
{
  g_autoptr(GDateTime) dt = NULL;

  g_return_val_if_fail (zone != NULL, 0);
  g_return_val_if_fail (g_date_valid (day), 0);

  /* Where a clock change skips midnight itself, GDateTime moves on to the
   * first instant that exists: where that day starts. */
  dt = g_date_time_new (zone, g_date_get_year (day), g_date_get_month (day),
                        g_date_get_day (day), 0, 0, 0);
  return g_date_time_to_unix (dt);
}

gint64
instasync_day_end (GTimeZone   *zone,
                   const GDate *day)
{
  GDate next = *day;

  g_return_val_if_fail (g_date_valid (day), 0);

  g_date_add_days (&next, 1);
  return instasync_day_start (zone, &next);
}

void
instasync_date_at (GTimeZone *zone,
                   gint64     unix_seconds,
                   GDate     *day)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_seconds);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zone);

  g_date_clear (day, 1);
  g_date_set_dmy (day, (GDateDay)g_date_time_get_day_of_month (local),
                  (GDateMonth)g_date_time_get_month (local),
                  (GDateYear)g_date_time_get_year (local));
}

void
instasync_day_of_end_time (GTimeZone *zone,
                           gint64     end_time,
                           GDate     *day)
{
  /* One second before the close is inside the bucket, whatever the hour of
   * the close. */
  instasync_date_at (zone, end_time - 1, day);
}

gint64
instasync_pacific_day_start (const GDate *day)
{
  g_autoptr(GTimeZone) tz = instasync_pacific_timezone ();

  return instasync_day_start (tz, day);
}

gint64
instasync_pacific_day_end (const GDate *day)
{
  g_autoptr(GTimeZone) tz = instasync_pacific_timezone ();

  return instasync_day_end (tz, day);
}

void
instasync_pacific_date_at (gint64  unix_seconds,
                           GDate  *day)
{
  g_autoptr(GTimeZone) tz = instasync_pacific_timezone ();

  instasync_date_at (tz, unix_seconds, day);
}

void
instasync_pacific_day_of_end_time (gint64  end_time,
                                   GDate  *day)
{
  g_autoptr(GTimeZone) tz = instasync_pacific_timezone ();

  instasync_day_of_end_time (tz, end_time, day);
}

gboolean
instasync_parse_date (const char  *text,
                      GDate       *day,
                      GError     **error)
{
  const char *p = text;
  int year, month, mday;

  g_return_val_if_fail (day != NULL, FALSE);

  if (text == NULL ||
      !read_digits (&p, 4, &year) || !expect_char (&p, '-') ||
      !read_digits (&p, 2, &month) || !expect_char (&p, '-') ||
      !read_digits (&p, 2, &mday) || *p != '\0' ||
      month < 1 || month > 12 || mday < 1 || year < 1 ||
      !g_date_valid_dmy ((GDateDay)mday, (GDateMonth)month, (GDateYear)year))
    {
      g_autofree char *shown = instasync_quote_untrusted (text);

      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a date in the form YYYY-MM-DD"), shown);
      return FALSE;
    }

  g_date_clear (day, 1);
  g_date_set_dmy (day, (GDateDay)mday, (GDateMonth)month, (GDateYear)year);
  return TRUE;
}

char *
instasync_format_date (const GDate *day)
{
  g_return_val_if_fail (g_date_valid (day), NULL);

  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (day),
                          (guint)g_date_get_month (day), g_date_get_day (day));
}
