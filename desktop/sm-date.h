/* sm-date.h — the dates and times the desktop writes and shows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The local date @days from today ("YYYY-MM-DD"): 0 for today, 1 for tomorrow. */
char      *sm_date_from_today  (int         days);
/* The local midnight of @date ("YYYY-MM-DD"), or NULL when @date is NULL or no date. */
GDateTime *sm_date_parse       (const char *date);
/* @date ("YYYY-MM-DD") in the locale's format; a copy of @date when it is not a date. */
char      *sm_date_format      (const char *date);
/* @time as the data model writes timestamps: in UTC, "YYYY-MM-DDTHH:MM:SSZ". */
char      *sm_date_timestamp   (GDateTime  *time);

G_END_DECLS
