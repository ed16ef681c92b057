/* sm-report-export.h — the monthly reports the community office hands on (CSV and XLSX)
 *
 * Three tables for one calendar month, in China Standard Time (UTC+8, no daylight saving),
 * which is when the community's days and months begin:
 *
 *   visits by grid worker  one row per worker: 敲门 / 串门 / 上门 counts, total, distinct
 *                          households visited, outcomes (met / not at home / declined),
 *                          then a total row;
 *   visits by household    one row per household of the grid(s), visited or not, so the
 *                          office sees who was missed: grid, address, tenure, whether in
 *                          difficulty, 敲门 / 串门 / 上门 counts, total, last visit;
 *   demand ledger          every demand reported in the month: reported at, household
 *                          address, category, title, level, status, response minutes
 *                          (reported → first response), resolved at, satisfaction.
 *
 * Headers and labels are translated. No ID number or phone is ever exported: the tables
 * have no such column, and any mobile or ID number typed into an address or a title is
 * masked ("138****5678").
 *
 * CSV: UTF-8 with a byte order mark (so Excel and WPS read the Chinese), CRLF line ends,
 * RFC 4180 quoting. One table is a plain header + rows; several tables are sections, each
 * a title line, its header and its rows, with an empty line between sections. A text cell
 * that begins with = + @ or a tab gets a leading apostrophe, so a spreadsheet never runs
 * it as a formula. XLSX: one sheet per table, numbers stored as numbers, header frozen.
 */
#pragma once

#include <gio/gio.h>

#include "sm-store.h"

G_BEGIN_DECLS

#define SM_REPORT_ERROR (sm_report_error_quark ())
GQuark sm_report_error_quark (void);

typedef enum {
  SM_REPORT_ERROR_BAD_MONTH,   /* not YYYY-MM */
  SM_REPORT_ERROR_WRITE,       /* the output file could not be written */
} SmReportError;

typedef enum {
  SM_REPORT_VISITS  = 1 << 0,  /* the two visit tables */
  SM_REPORT_DEMANDS = 1 << 1,  /* the demand ledger */
  SM_REPORT_ALL     = SM_REPORT_VISITS | SM_REPORT_DEMANDS,
} SmReportKinds;

typedef enum {
  SM_REPORT_FORMAT_CSV,
  SM_REPORT_FORMAT_XLSX,
} SmReportFormat;

typedef enum {
  SM_REPORT_COLUMN_TEXT,
  SM_REPORT_COLUMN_NUMBER,     /* whole numbers; an empty cell stays empty */
} SmReportColumnType;

/* One table of a report: what both writers write, and what a UI could show. */
typedef struct {
  char      *title;       /* translated: the CSV section title, the sheet's name */
  GPtrArray *header;      /* of char *, translated */
  GArray    *types;       /* of SmReportColumnType, one per column */
  GPtrArray *rows;        /* of GPtrArray of char * (NULL for an empty cell) */
} SmReportTable;

void        sm_report_table_free     (SmReportTable   *table);

typedef struct {
  const char    *month;         /* "YYYY-MM" */
  const char    *grid_id;       /* NULL: every grid of the replica */
  SmReportKinds  kinds;
  /* Worker ids (and logins) → the names to show; NULL or a missing id shows the id. */
  GHashTable    *worker_names;
} SmReportOptions;

void        sm_report_options_init   (SmReportOptions       *options,
                                      const char            *month);

/* Checks "YYYY-MM" and gives the month's bounds as canonical UTC timestamps
 * ("2026-10-31T16:00:00Z" for the start of November in China). */
gboolean    sm_report_month_bounds   (const char            *month,
                                      char                 **out_start,
                                      char                 **out_end,
                                      GError               **error);

/* The tables of @options, in the order above. */
GPtrArray  *sm_report_build          (SmStore               *store,
                                      const SmReportOptions *options,
                                      GError               **error);

gboolean    sm_report_write_csv      (GPtrArray             *tables,
                                      const char            *path,
                                      GError               **error);
gboolean    sm_report_write_xlsx     (GPtrArray             *tables,
                                      const char            *path,
                                      GError               **error);

/* Builds and writes in one call. The file is written beside @path and renamed, so a
 * failed export never leaves a half-written report in its place. */
gboolean    sm_report_export         (SmStore               *store,
                                      const SmReportOptions *options,
                                      SmReportFormat         format,
                                      const char            *path,
                                      GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmReportTable, sm_report_table_free)

G_END_DECLS
