/* sm-test-roster.h — the messy roster of the import tests, and the grid it goes into
 *
 * One roster, as offices make them (CRLF, a quoted note with a comma and a line break,
 * bad ID checksums, a bad phone, duplicate rows, a blank line, spellings of one address
 * that differ), whose import report is known line by line: test-roster.c checks the
 * importer against it, test-desktop-import.c the import dialog.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sanmen-core.h"

G_BEGIN_DECLS

/* The roster's text (UTF-8, no byte order mark). */
extern const char sm_test_roster_rows[];

/* What its import reports, in order: the line, the reason and the column (NULL: the row). */
typedef struct {
  guint             line;
  SmRosterIssueCode code;
  const char       *column;
} SmTestRosterIssue;

extern const SmTestRosterIssue sm_test_roster_issues[];
extern const guint             sm_test_roster_n_issues;

char *sm_test_roster_gb18030     (gsize      *length);
char *sm_test_roster_add_present (SmStore    *store,
                                  const char *grid_id,
                                  gboolean    low_income);

G_END_DECLS
