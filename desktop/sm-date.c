/* sm-date.c — the dates and times the desktop writes and shows
 *
 * The data model keeps calendar dates (a follow-up, a moving-in) as "YYYY-MM-DD" in the
 * worker's local time and instants (a visit, a demand event) as UTC timestamps with a
 * "Z"; people read dates in their locale's format. These are the conversions the dialogs
 * and rows share, so a date typed in one place reads the same in every other.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-date.h"

#include <stdio.h>

char *
sm_date_from_today (int days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, days);

  return g_date_time_format (then, "%Y-%m-%d");
}

GDateTime *
sm_date_parse (const char *date)
{
  int y, m, d;

  if (date == NULL || sscanf (date, "%d-%d-%d", &y, &m, &d) != 3)
    return NULL;

  return g_date_time_new_local (y, m, d, 0, 0, 0);
}

char *
sm_date_format (const char *date)
{
  g_autoptr(GDateTime) dt = sm_date_parse (date);

  if (dt == NULL)
    return g_strdup (date);

  return g_date_time_format (dt, "%x");
}

char *
sm_date_timestamp (GDateTime *time)
{
  g_autoptr(GDateTime) utc = NULL;

  g_return_val_if_fail (time != NULL, NULL);

  utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}
