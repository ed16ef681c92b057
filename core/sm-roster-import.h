/* sm-roster-import.h — households and residents from the office's spreadsheets (CSV)
 *
 * Community offices keep their rosters (花名册) in spreadsheets. Saved as CSV they come in
 * UTF-8 (with or without a byte order mark) or in GB18030 (what Excel and WPS write on a
 * Chinese Windows), with Chinese or English headers in any order. One row is one resident;
 * the household is the address (compound, building, unit, room) and the head of
 * household's name.
 *
 * An import never duplicates: a household already present in the grid (same compound,
 * building, unit and room once normalised: "3号楼" = "3栋" = "３", "2单元" = "2") is
 * reused, and so is a resident already present (same ID number anywhere, else same name
 * in the household). Existing records are left as they are: a spreadsheet is older than
 * what grid workers have recorded since. Importing the same file twice writes nothing
 * the second time. Compounds and buildings named in the file are created in the grid
 * when missing.
 *
 * Bad rows are reported, never written: the report lists every problem with the line of
 * the file where its record starts (the header is line 1; a quoted field may span lines)
 * and a translated reason. A dry run makes the same report and writes nothing.
 */
#pragma once

#include <gio/gio.h>

#include "sm-change.h"
#include "sm-store.h"

G_BEGIN_DECLS

#define SM_ROSTER_ERROR (sm_roster_error_quark ())
GQuark sm_roster_error_quark (void);

/* Failures of the file as a whole; problems of single rows are SmRosterIssues. */
typedef enum {
  SM_ROSTER_ERROR_ENCODING,        /* neither UTF-8 nor GB18030 */
  SM_ROSTER_ERROR_EMPTY,           /* no header line */
  SM_ROSTER_ERROR_MISSING_COLUMN,  /* no column for the name, compound, building or room */
  SM_ROSTER_ERROR_NO_GRID,         /* the grid to import into does not exist */
} SmRosterError;

typedef enum {
  SM_ROSTER_ISSUE_UNTERMINATED_QUOTE, /* a quoted field never closes before the end */
  SM_ROSTER_ISSUE_TOO_MANY_FIELDS,    /* more values than the header has columns */
  SM_ROSTER_ISSUE_MISSING_NAME,
  SM_ROSTER_ISSUE_MISSING_ADDRESS,    /* compound, building or room is empty */
  SM_ROSTER_ISSUE_BAD_ID_NUMBER,      /* length, characters, region, date or checksum */
  SM_ROSTER_ISSUE_ID_BIRTH_MISMATCH,  /* the ID number's birth date is not the one given */
  SM_ROSTER_ISSUE_BAD_PHONE,
  SM_ROSTER_ISSUE_BAD_DATE,           /* birth date or moving-in date */
  SM_ROSTER_ISSUE_BAD_VALUE,          /* gender, tenure, compound kind, difficulty, … */
  SM_ROSTER_ISSUE_DUPLICATE_ROW,      /* the same resident as an earlier line */
  SM_ROSTER_ISSUE_DUPLICATE_ID,       /* an earlier line has this ID number for someone else */
} SmRosterIssueCode;

/* A stable name for scripts and tests: "bad_id_number", "duplicate_row", … */
const char *sm_roster_issue_code_to_string (SmRosterIssueCode code);

typedef struct {
  guint              line;     /* where the record starts in the file, 1 = header */
  SmRosterIssueCode  code;
  char              *column;   /* the header as written in the file, or NULL */
  char              *message;  /* translated; never holds an ID number or phone */
} SmRosterIssue;

typedef struct {
  char      *encoding;               /* "UTF-8" or "GB18030" */
  guint      n_rows;                 /* data records, empty lines left out */
  guint      n_bad_rows;             /* rows with at least one issue: not written */
  guint      compounds_added;
  guint      buildings_added;
  guint      households_added;
  guint      households_unchanged;   /* already present: left as they are */
  guint      residents_added;
  guint      residents_unchanged;
  guint      n_writes;               /* field writes made; 0 for a dry run */
  gboolean   dry_run;                /* "added" then means "would be added" */
  GPtrArray *issues;                 /* of SmRosterIssue, by line */
  GPtrArray *ignored_columns;        /* of char *: headers that map to no field */
} SmRosterReport;

void sm_roster_report_free (SmRosterReport *report);

/* One record to create, as the importer planned it: ids are made by the importer so
 * that residents can name their household before either is written. */
typedef struct {
  const SmTable *table;
  char          *id;
  char          *grid_id;
  GHashTable    *values;   /* field name (static) → GVariant, validated and canonical */
} SmRosterRecord;

/* Writes @records (of SmRosterRecord; referenced records come first) in ONE transaction.
 * Called once per batch of whole households; return FALSE with @error to stop. */
typedef gboolean (*SmRosterWriteFunc)    (GPtrArray  *records,
                                          gpointer    user_data,
                                          GError    **error);

/* Rows done (bad rows included) out of @total; called in the importing thread. */
typedef void     (*SmRosterProgressFunc) (guint       done,
                                          guint       total,
                                          gpointer    user_data);

typedef struct {
  const char           *grid_id;
  gboolean              dry_run;
  gint64                now_unix;        /* "today" for tenure; 0: the real clock */
  guint                 batch_records;   /* records per transaction; 0: 500 */
  SmRosterProgressFunc  progress;
  gpointer              progress_data;
} SmRosterOptions;

void             sm_roster_options_init          (SmRosterOptions       *options,
                                                  const char            *grid_id);

/* Imports @data (the bytes of a CSV file) into the grid of @options. @store is read to
 * find what is already present. With @write NULL the records are written into @store
 * as local writes (with their outbox rows, so they sync like an edit); the server passes
 * its own function to write through its backend. Reads and writes @store from the
 * calling thread only; run it in a worker thread (GTask) to keep a UI responsive.
 *
 * Cancelling stops between batches: households already written stay, whole; importing
 * the file again completes the rest. Returns NULL with @error for a file that cannot be
 * read as a roster at all, or when a write fails. */
SmRosterReport  *sm_roster_import                (SmStore               *store,
                                                  const char            *data,
                                                  gsize                  length,
                                                  const SmRosterOptions *options,
                                                  SmRosterWriteFunc      write,
                                                  gpointer               write_data,
                                                  GCancellable          *cancellable,
                                                  GError               **error);
SmRosterReport  *sm_roster_import_file           (SmStore               *store,
                                                  GFile                 *file,
                                                  const SmRosterOptions *options,
                                                  SmRosterWriteFunc      write,
                                                  gpointer               write_data,
                                                  GCancellable          *cancellable,
                                                  GError               **error);

/* The field writes that create @records, all stamped @hlc by @site with base @base: what
 * a writer that merges (the server) pushes. Returns a batch (sm_change_batch_new()). */
GPtrArray       *sm_roster_records_to_changes    (GPtrArray             *records,
                                                  SmHlc                  hlc,
                                                  const char            *site,
                                                  SmHlc                  base);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmRosterReport, sm_roster_report_free)

G_END_DECLS
