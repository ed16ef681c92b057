/* test-roster.c — roster import from messy CSV files, and the monthly reports read back
 *
 * The roster is written by the test, as offices make them: a byte order mark, CRLF, a
 * quoted note with a comma and a line break, bad ID checksums, a bad phone, duplicate
 * rows, a blank line, spellings of one address that differ ("1号楼" / "1栋", "101" /
 * "101室"), and the same file in GB18030. The report must be exactly the one expected:
 * line numbers and reason codes. Importing twice must write nothing the second time.
 *
 * The reports are built from a small month whose every figure is known, written as CSV
 * and XLSX, and read back with readers of the test's own (an RFC 4180 parser; `unzip`
 * and GMarkup for the sheets' XML), cell by cell.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <string.h>

#include "sanmen-core.h"
#include "sm-test-roster.h"
#include "sm-test-store.h"
#include "sm-test-util.h"

#define GRID "grid-01"
/* 2026-11-01T00:00:00Z: "today" for tenure. */
#define NOW_UNIX G_GINT64_CONSTANT (1793491200)

typedef struct {
  char    *dir;
  SmStore *store;
  char    *existing_household;
} Fixture;

/* ---------------------------------------------------------------- the messy roster */

static char *
roster_utf8_bom (gsize *length)
{
  char *data = g_strconcat ("\xEF\xBB\xBF", sm_test_roster_rows, NULL);

  *length = strlen (data);
  return data;
}

/* ---------------------------------------------------------------- fixture */

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fx->dir = g_dir_make_tmp ("sanmen-roster-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fx->dir, "replica.db", NULL);
  fx->store = sm_store_open (path, &error);
  g_assert_no_error (error);

  sm_test_apply_grid (fx->store, GRID, "测试网格");
  fx->existing_household = sm_test_roster_add_present (fx->store, GRID, TRUE);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  g_assert_finalize_object (g_steal_pointer (&fx->store));
  sm_test_remove_tree (fx->dir);
  g_free (fx->dir);
  g_free (fx->existing_household);
}

typedef struct {
  guint calls;
  guint last_done;
  guint last_total;
} Progress;

static void
progress_cb (guint    done,
             guint    total,
             gpointer user_data)
{
  Progress *progress = user_data;

  g_assert_cmpuint (done, >=, progress->last_done);
  g_assert_cmpuint (done, <=, total);
  progress->calls++;
  progress->last_done = done;
  progress->last_total = total;
}

static SmRosterReport *
import (Fixture    *fx,
        const char *data,
        gsize       length,
        gboolean    dry_run,
        Progress   *progress)
{
  g_autoptr(GError) error = NULL;
  SmRosterOptions options;
  SmRosterReport *report;

  sm_roster_options_init (&options, GRID);
  options.dry_run = dry_run;
  options.now_unix = NOW_UNIX;
  /* Small batches: several transactions, and progress in between. */
  options.batch_records = 3;
  options.progress = progress ? progress_cb : NULL;
  options.progress_data = progress;
  report = sm_roster_import (fx->store, data, length, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);

  return report;
}

static void
assert_report (SmRosterReport *report,
               const char     *encoding)
{
  g_assert_cmpstr (report->encoding, ==, encoding);
  g_assert_cmpuint (report->n_rows, ==, 15);
  g_assert_cmpuint (report->n_bad_rows, ==, 10);

  for (guint i = 0; i < MIN (report->issues->len, sm_test_roster_n_issues); i++)
    {
      SmRosterIssue *issue = g_ptr_array_index (report->issues, i);

      g_test_message ("line %u %s (%s): %s", issue->line, sm_roster_issue_code_to_string (issue->code),
                      issue->column ? issue->column : "-", issue->message);
      g_assert_cmpuint (issue->line, ==, sm_test_roster_issues[i].line);
      g_assert_cmpstr (sm_roster_issue_code_to_string (issue->code), ==,
                       sm_roster_issue_code_to_string (sm_test_roster_issues[i].code));
      g_assert_cmpstr (issue->column, ==, sm_test_roster_issues[i].column);
      g_assert_true (g_utf8_validate (issue->message, -1, NULL) && *issue->message != '\0');
      /* A reason never repeats an ID number or a phone. */
      g_assert_null (strstr (issue->message, "110105"));
      g_assert_null (strstr (issue->message, "1380013800"));
    }
  g_assert_cmpuint (report->issues->len, ==, sm_test_roster_n_issues);

  /* The reasons are for people (the C locale shows the English msgids). */
  g_assert_cmpstr (((SmRosterIssue *) g_ptr_array_index (report->issues, 2))->message, ==,
                   "The same resident as on line 3");
  g_assert_cmpstr (((SmRosterIssue *) g_ptr_array_index (report->issues, 3))->message, ==,
                   "ID number: line 3 has the same number for someone else");
  g_assert_cmpstr (((SmRosterIssue *) g_ptr_array_index (report->issues, 4))->message, ==,
                   "The address is incomplete: no building");

  g_assert_cmpuint (report->ignored_columns->len, ==, 0);
  g_assert_cmpuint (report->compounds_added, ==, 0);
  g_assert_cmpuint (report->buildings_added, ==, 2);
  g_assert_cmpuint (report->households_added, ==, 2);
  g_assert_cmpuint (report->households_unchanged, ==, 1);
  g_assert_cmpuint (report->residents_added, ==, 4);
  g_assert_cmpuint (report->residents_unchanged, ==, 1);
}

/* ---------------------------------------------------------------- import tests */

static void
test_dry_run (Fixture       *fx,
              gconstpointer  data)
{
  g_autofree char *utf8 = NULL;
  g_autofree char *gb = NULL;
  gsize length;
  gint64 households = sm_test_count (fx->store, "household");
  gint64 outbox;
  g_autoptr(GError) error = NULL;

  outbox = sm_store_outbox_count (fx->store, &error);
  g_assert_no_error (error);

  utf8 = roster_utf8_bom (&length);
  {
    g_autoptr(SmRosterReport) report = import (fx, utf8, length, TRUE, NULL);

    assert_report (report, "UTF-8");
    g_assert_true (report->dry_run);
    g_assert_cmpuint (report->n_writes, ==, 0);
  }

  gb = sm_test_roster_gb18030 (&length);
  {
    g_autoptr(SmRosterReport) report = import (fx, gb, length, TRUE, NULL);

    assert_report (report, "GB18030");
  }

  /* Nothing written. */
  g_assert_cmpint (sm_test_count (fx->store, "household"), ==, households);
  g_assert_cmpint (sm_store_outbox_count (fx->store, &error), ==, outbox);
}

static void
test_import_twice (Fixture       *fx,
                   gconstpointer  data)
{
  g_autofree char *gb = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) residents = NULL;
  g_autoptr(GPtrArray) households = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *digest_again = NULL;
  Progress progress = { 0, };
  SmRecord *wang = NULL, *zhao = NULL;
  gint64 outbox;
  gsize length;

  gb = sm_test_roster_gb18030 (&length);
  {
    g_autoptr(SmRosterReport) report = import (fx, gb, length, FALSE, &progress);

    assert_report (report, "GB18030");
    g_assert_false (report->dry_run);
    g_assert_cmpuint (report->n_writes, >, 0);
  }
  g_assert_cmpuint (progress.calls, >=, 2);
  g_assert_cmpuint (progress.last_done, ==, 15);
  g_assert_cmpuint (progress.last_total, ==, 15);

  /* Local writes: they wait in the outbox for the next sync. */
  outbox = sm_store_outbox_count (fx->store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (outbox, >, 0);
  g_assert_cmpint (sm_test_count (fx->store, "compound"), ==, 1);
  g_assert_cmpint (sm_test_count (fx->store, "building"), ==, 3);
  g_assert_cmpint (sm_test_count (fx->store, "household"), ==, 3);
  g_assert_cmpint (sm_test_count (fx->store, "resident"), ==, 5);

  /* What was written, field by field. */
  households = sm_store_list_households (fx->store, GRID, NULL, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (households->len, ==, 3);
  for (guint i = 0; i < households->len; i++)
    {
      SmRecord *h = g_ptr_array_index (households, i);

      if (g_str_equal (sm_record_get_string (h, "address"), "和平小区 1号楼 1单元 101"))
        wang = h;
      else if (g_str_equal (sm_record_get_string (h, "address"), "和平小区 3号楼 2单元 301"))
        zhao = h;
      else
        g_assert_cmpstr (sm_record_get_id (h), ==, fx->existing_household);
    }
  g_assert_nonnull (wang);
  g_assert_nonnull (zhao);
  g_assert_cmpstr (sm_record_get_string (wang, "unit"), ==, "1");
  g_assert_cmpstr (sm_record_get_string (wang, "room"), ==, "101");
  g_assert_cmpstr (sm_record_get_string (wang, "tenure"), ==, "existing");
  g_assert_cmpstr (sm_record_get_string (wang, "moved_in"), ==, "2010-05-01");
  g_assert_cmpstr (sm_record_get_string (wang, "phone"), ==, "13800138000");
  g_assert_cmpstr (sm_record_get_string (zhao, "tenure"), ==, "new");

  residents = sm_store_list_residents (fx->store, sm_record_get_id (wang), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (residents->len, ==, 2);
  for (guint i = 0; i < residents->len; i++)
    {
      SmRecord *r = g_ptr_array_index (residents, i);

      if (g_str_equal (sm_record_get_string (r, "name"), "刘芳"))
        {
          g_assert_cmpstr (sm_record_get_string (r, "relation"), ==, "spouse");
          g_assert_cmpstr (sm_record_get_string (r, "birth_date"), ==, "1950-01-01");
          g_assert_cmpstr (sm_record_get_string (r, "ethnicity"), ==, "汉族");
          /* Grouped digits as people read them out are stored plain. */
          g_assert_cmpstr (sm_record_get_string (r, "phone"), ==, "13800138001");
          g_assert_false (sm_record_get_bool (r, "party_member"));
        }
      else
        {
          g_assert_cmpstr (sm_record_get_string (r, "name"), ==, "王建国");
          g_assert_cmpstr (sm_record_get_string (r, "relation"), ==, "self");
          g_assert_cmpstr (sm_record_get_string (r, "id_type"), ==, "cn_id");
          g_assert_cmpstr (sm_record_get_string (r, "gender"), ==, "male");
          g_assert_true (sm_record_get_bool (r, "party_member"));
        }
    }
  g_clear_pointer (&residents, g_ptr_array_unref);

  residents = sm_store_list_residents (fx->store, sm_record_get_id (zhao), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (residents->len, ==, 1);
  /* The quoted note kept its comma and its line break; gender and birth date come from
   * the ID number when the row leaves them out. */
  g_assert_cmpstr (sm_record_get_string (g_ptr_array_index (residents, 0), "notes"), ==, "腿脚不便,需上门\n每月一次");
  g_assert_cmpstr (sm_record_get_string (g_ptr_array_index (residents, 0), "gender"), ==, "female");
  g_assert_cmpstr (sm_record_get_string (g_ptr_array_index (residents, 0), "birth_date"), ==, "1990-11-02");
  g_clear_pointer (&residents, g_ptr_array_unref);

  residents = sm_store_list_residents (fx->store, fx->existing_household, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (residents->len, ==, 2);

  /* Search finds what was imported. */
  hits = sm_store_search (fx->store, "赵磊", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, >=, 1);

  /* Again, from the UTF-8 spelling of the same roster: nothing at all is written. */
  digest = sm_store_compute_digest (fx->store, &error);
  g_assert_no_error (error);
  {
    g_autofree char *utf8 = NULL;
    g_autoptr(SmRosterReport) report = NULL;

    utf8 = roster_utf8_bom (&length);
    report = import (fx, utf8, length, FALSE, NULL);
    g_assert_cmpuint (report->n_writes, ==, 0);
    g_assert_cmpuint (report->households_added, ==, 0);
    g_assert_cmpuint (report->households_unchanged, ==, 3);
    g_assert_cmpuint (report->residents_added, ==, 0);
    g_assert_cmpuint (report->residents_unchanged, ==, 5);
    g_assert_cmpuint (report->buildings_added, ==, 0);
    g_assert_cmpuint (report->issues->len, ==, sm_test_roster_n_issues);
  }
  digest_again = sm_store_compute_digest (fx->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (digest, ==, digest_again);
  g_assert_cmpint (sm_store_outbox_count (fx->store, &error), ==, outbox);
}

static void
test_cancel (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *utf8 = NULL;
  SmRosterOptions options;
  SmRosterReport *report;
  gint64 households = sm_test_count (fx->store, "household");
  gsize length;

  utf8 = roster_utf8_bom (&length);
  sm_roster_options_init (&options, GRID);
  g_cancellable_cancel (cancellable);
  report = sm_roster_import (fx->store, utf8, length, &options, NULL, NULL, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (report);
  g_assert_cmpint (sm_test_count (fx->store, "household"), ==, households);
}

static void
test_bad_files (Fixture       *fx,
                gconstpointer  data)
{
  static const struct {
    const char *data;
    GQuark      domain;
    int         code;
  } cases[] = {
    { "", 0, SM_ROSTER_ERROR_EMPTY },
    { "\r\n\r\n", 0, SM_ROSTER_ERROR_EMPTY },
    { "姓名,小区,房号\r\n张三,和平小区,101\r\n", 0, SM_ROSTER_ERROR_MISSING_COLUMN },
    { "\xEF\xBB\xBF\xFF\xFE,\r\n", 0, SM_ROSTER_ERROR_ENCODING },
    /* Not GB18030 either: 0x80 alone and 0xFF are no GB18030 bytes. */
    { "\x80\xFF\xFF,\r\n", 0, SM_ROSTER_ERROR_ENCODING },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      SmRosterOptions options;
      SmRosterReport *report;

      sm_roster_options_init (&options, GRID);
      report = sm_roster_import (fx->store, cases[i].data, strlen (cases[i].data), &options,
                                 NULL, NULL, NULL, &error);
      g_assert_null (report);
      g_assert_error (error, SM_ROSTER_ERROR, cases[i].code);
    }

  /* An unknown grid. */
  {
    g_autoptr(GError) error = NULL;
    SmRosterOptions options;

    sm_roster_options_init (&options, "grid-99");
    g_assert_null (sm_roster_import (fx->store, sm_test_roster_rows, strlen (sm_test_roster_rows), &options,
                                     NULL, NULL, NULL, &error));
    g_assert_error (error, SM_ROSTER_ERROR, SM_ROSTER_ERROR_NO_GRID);
  }

  /* A quotation mark that never closes: the row is reported, the rows before it kept. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SmRosterReport) report = NULL;
    SmRosterOptions options;
    const char *text = "name,compound,building,unit,room,id number\n"
                       "Li Lei,Peace Garden,Block 9,1,901,\n"
                       "Han Meimei,Peace Garden,Block 9,1,\"902,\n";

    sm_roster_options_init (&options, GRID);
    options.dry_run = TRUE;
    report = sm_roster_import (fx->store, text, strlen (text), &options, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (report->n_rows, ==, 2);
    g_assert_cmpuint (report->issues->len, ==, 1);
    g_assert_cmpuint (((SmRosterIssue *) g_ptr_array_index (report->issues, 0))->line, ==, 3);
    g_assert_cmpint (((SmRosterIssue *) g_ptr_array_index (report->issues, 0))->code, ==,
                     SM_ROSTER_ISSUE_UNTERMINATED_QUOTE);
    g_assert_cmpuint (report->households_added, ==, 1);
    g_assert_cmpuint (report->buildings_added, ==, 1);
  }
}

/* ---------------------------------------------------------------- a month to report */

typedef struct {
  char *a, *b, *c;   /* the three households, by address */
} Month;

static char *
find_household (SmStore    *store,
                const char *address)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) households = sm_store_list_households (store, GRID, NULL, 0, 0, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < households->len; i++)
    if (g_str_equal (sm_record_get_string (g_ptr_array_index (households, i), "address"), address))
      return g_strdup (sm_record_get_id (g_ptr_array_index (households, i)));

  g_assert_not_reached ();
}

static void
add_visit (SmStore    *store,
           const char *household,
           const char *kind,
           const char *at,
           const char *worker,
           const char *outcome)
{
  g_autoptr(GError) error = NULL;
  G_GNUC_UNUSED g_autofree char *id = sm_store_create_with (store, "visit", GRID, &error,
                                              "household_id", g_variant_new_string (household),
                                              "kind", g_variant_new_string (kind),
                                              "visited_at", g_variant_new_string (at),
                                              "worker_id", g_variant_new_string (worker),
                                              "outcome", g_variant_new_string (outcome), NULL);

  g_assert_no_error (error);
}

static void
add_event (SmStore    *store,
           const char *demand,
           const char *at,
           const char *action,
           const char *satisfaction)
{
  g_autoptr(GError) error = NULL;
  G_GNUC_UNUSED g_autofree char *id = sm_store_create_with (store, "demand_event", GRID, &error,
                                              "demand_id", g_variant_new_string (demand),
                                              "at", g_variant_new_string (at),
                                              "actor", g_variant_new_string ("w1"),
                                              "action", g_variant_new_string (action),
                                              "satisfaction", satisfaction ? g_variant_new_string (satisfaction) : NULL,
                                              NULL);

  g_assert_no_error (error);
}

static char *
add_demand (SmStore    *store,
            const char *household,
            const char *category,
            const char *title,
            const char *level,
            const char *reported_at)
{
  g_autoptr(GError) error = NULL;
  char *id = sm_store_create_with (store, "demand", GRID, &error,
                                   "household_id", g_variant_new_string (household),
                                   "source", g_variant_new_string ("visit"),
                                   "category", g_variant_new_string (category),
                                   "title", g_variant_new_string (title),
                                   "level", g_variant_new_string (level),
                                   "reported_at", g_variant_new_string (reported_at), NULL);

  g_assert_no_error (error);
  add_event (store, id, reported_at, "report", NULL);
  return id;
}

static void
make_month (Fixture *fx)
{
  g_autofree char *gb = NULL;
  g_autofree char *d1 = NULL;
  g_autofree char *d2 = NULL;
  g_autofree char *d3 = NULL;
  g_autofree char *a = NULL, *b = NULL;
  gsize length;

  gb = sm_test_roster_gb18030 (&length);
  sm_roster_report_free (import (fx, gb, length, FALSE, NULL));

  a = find_household (fx->store, "和平小区 1号楼 1单元 101");
  b = find_household (fx->store, "和平小区 3号楼 2单元 301");

  /* October 2026 in China time is [2026-09-30T16:00Z, 2026-10-31T16:00Z). */
  add_visit (fx->store, a, "knock", "2026-10-05T02:00:00Z", "w1", "met");
  add_visit (fx->store, a, "care", "2026-10-20T03:00:00Z", "w2", "not_home");
  add_visit (fx->store, b, "drop_in", "2026-10-31T17:30:00Z", "w2", "met");      /* November */
  add_visit (fx->store, b, "drop_in", "2026-09-30T16:30:00Z", "w2", "met");      /* October 1st */
  add_visit (fx->store, fx->existing_household, "knock", "2026-10-10T01:00:00Z", "w1", "declined");

  d1 = add_demand (fx->store, a, "环境卫生", "=楼道堆物 请联系13812345678", "building", "2026-10-05T02:10:00Z");
  add_event (fx->store, d1, "2026-10-05T02:13:20Z", "accept", NULL);
  add_event (fx->store, d1, "2026-10-06T08:00:00Z", "resolve", NULL);
  add_event (fx->store, d1, "2026-10-07T00:00:00Z", "evaluate", "satisfied");
  d2 = add_demand (fx->store, b, "物业维修", "-水管漏水, \"急\"", "area", "2026-10-20T01:00:00Z");
  d3 = add_demand (fx->store, b, "物业维修", "九月的诉求", "area", "2026-09-15T01:00:00Z");
}

/* What the month must give, cell by cell (NULL: an empty cell). */
static const char *expected_by_worker[][9] = {
  { "Grid worker", "Knock", "Drop in", "Care visit", "Total visits", "Households visited", "Met", "Not at home", "Declined" },
  { "w2", "0", "1", "1", "2", "2", "1", "1", "0" },
  { "张三 (w1)", "2", "0", "0", "2", "2", "1", "0", "1" },
  { "Total", "2", "1", "1", "4", "3", "2", "1", "1" },
};

static const char *expected_by_household[][9] = {
  { "Grid", "Address", "Tenure", "In difficulty", "Knock", "Drop in", "Care visit", "Total visits", "Last visit" },
  { "测试网格", "和平小区 1号楼 1单元 101", "Existing resident", "No", "1", "0", "1", "2", "2026-10-20 11:00" },
  { "测试网格", "和平小区 3号楼 2单元 301", "New resident", "No", "0", "1", "0", "1", "2026-10-01 00:30" },
  { "测试网格", "和平小区 6栋 1单元 601", "Existing resident", "Yes", "1", "0", "0", "1", "2026-10-10 09:00" },
};

static const char *expected_ledger[][9] = {
  { "Reported at", "Household address", "Category", "Title", "Level", "Status", "Response (minutes)", "Resolved at", "Satisfaction" },
  { "2026-10-05 10:10", "和平小区 1号楼 1单元 101", "环境卫生", "=楼道堆物 请联系138****5678", "Within the building",
    "Evaluated", "4", "2026-10-06 16:00", "Satisfied" },
  { "2026-10-20 09:00", "和平小区 3号楼 2单元 301", "物业维修", "-水管漏水, \"急\"", "Within the area", "Reported", NULL, NULL, NULL },
};

typedef struct {
  const char *title;
  const char *(*cells)[9];
  guint       n_rows;   /* header included */
} Expected;

static const Expected expected_tables[] = {
  { "Visits by grid worker", expected_by_worker, G_N_ELEMENTS (expected_by_worker) },
  { "Visits by household", expected_by_household, G_N_ELEMENTS (expected_by_household) },
  { "Demand ledger", expected_ledger, G_N_ELEMENTS (expected_ledger) },
};

static GPtrArray *
build (Fixture       *fx,
       SmReportKinds  kinds)
{
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  SmReportOptions options;
  GPtrArray *tables;

  g_hash_table_insert (names, "w1", "张三");
  sm_report_options_init (&options, "2026-10");
  options.kinds = kinds;
  options.grid_id = GRID;
  options.worker_names = names;
  tables = sm_report_build (fx->store, &options, &error);
  g_assert_no_error (error);

  return tables;
}

static void
test_month_bounds (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  const char *bad[] = { "2026-13", "2026-00", "2026-1", "26-10", "2026/10", "2026-1x", "", "12345-01" };

  g_assert_true (sm_report_month_bounds ("2026-10", &start, &end, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (start, ==, "2026-09-30T16:00:00Z");
  g_assert_cmpstr (end, ==, "2026-10-31T16:00:00Z");
  g_clear_pointer (&start, g_free);
  g_clear_pointer (&end, g_free);
  g_assert_true (sm_report_month_bounds ("2026-12", &start, &end, &error));
  g_assert_cmpstr (end, ==, "2026-12-31T16:00:00Z");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (sm_report_month_bounds (bad[i], NULL, NULL, &error));
      g_assert_error (error, SM_REPORT_ERROR, SM_REPORT_ERROR_BAD_MONTH);
      g_clear_error (&error);
    }
}

static void
assert_tables (GPtrArray *tables)
{
  g_assert_cmpuint (tables->len, ==, G_N_ELEMENTS (expected_tables));
  for (guint t = 0; t < tables->len; t++)
    {
      SmReportTable *table = g_ptr_array_index (tables, t);

      g_assert_cmpstr (table->title, ==, expected_tables[t].title);
      g_assert_cmpuint (table->rows->len + 1, ==, expected_tables[t].n_rows);
      for (guint c = 0; c < 9; c++)
        g_assert_cmpstr (g_ptr_array_index (table->header, c), ==, expected_tables[t].cells[0][c]);
      for (guint r = 0; r < table->rows->len; r++)
        {
          GPtrArray *row = g_ptr_array_index (table->rows, r);

          g_assert_cmpuint (row->len, ==, 9);
          for (guint c = 0; c < 9; c++)
            g_assert_cmpstr (g_ptr_array_index (row, c), ==, expected_tables[t].cells[r + 1][c]);
        }
    }
}

/* ---------------------------------------------------------------- an independent CSV reader */

/* Strict RFC 4180: records end with CRLF; a field is quoted or has no quote at all. */
static GPtrArray *
read_csv (const char *text)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  const char *p = text;

  while (*p != '\0')
    {
      GPtrArray *record = g_ptr_array_new_with_free_func (g_free);

      for (;;)
        {
          GString *field = g_string_new (NULL);

          if (*p == '"')
            {
              for (p++; !(*p == '"' && p[1] != '"'); p++)
                {
                  g_assert_true (*p != '\0');
                  if (*p == '"')
                    p++;
                  g_string_append_c (field, *p);
                }
              p++;
            }
          else
            while (*p != ',' && *p != '\r' && *p != '\0')
              {
                g_assert_true (*p != '"' && *p != '\n');
                g_string_append_c (field, *p++);
              }

          g_ptr_array_add (record, g_string_free (field, FALSE));
          if (*p == ',')
            {
              p++;
              continue;
            }
          g_assert_true (p[0] == '\r' && p[1] == '\n');
          p += 2;
          break;
        }
      g_ptr_array_add (records, record);
    }

  return records;
}

static void
assert_csv_row (GPtrArray          *record,
                const char * const *cells,
                gboolean            formula_guard)
{
  g_assert_cmpuint (record->len, ==, 9);
  for (guint c = 0; c < 9; c++)
    {
      const char *expected = cells[c] ? cells[c] : "";
      g_autofree char *guarded = NULL;

      if (formula_guard && (expected[0] == '=' || expected[0] == '-'))
        expected = guarded = g_strconcat ("'", expected, NULL);
      g_assert_cmpstr (g_ptr_array_index (record, c), ==, expected);
    }
}

/* No ID number or phone of any resident appears anywhere in @data. */
static void
assert_nothing_sensitive (Fixture    *fx,
                          const char *data,
                          gsize       length)
{
  const char *numbers[] = { "110105194912310038", "110105195001010020", "310104199011024564",
                            "13800138000", "13800138001", "13900139000", "13812345678" };

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    g_assert_null (g_strstr_len (data, (gssize) length, numbers[i]));
}

static void
test_csv (Fixture       *fx,
          gconstpointer  data)
{
  g_autoptr(GPtrArray) tables = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fx->dir, "report.csv", NULL);
  g_autofree char *text = NULL;
  gsize length;
  guint r = 0;

  make_month (fx);
  tables = build (fx, SM_REPORT_ALL);
  assert_tables (tables);

  g_assert_true (sm_report_write_csv (tables, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, &length, &error));
  g_assert_true (g_str_has_prefix (text, "\xEF\xBB\xBF"));
  assert_nothing_sensitive (fx, text, length);

  /* Three sections: title, header, rows, then an empty line before the next title. */
  records = read_csv (text + 3);
  for (guint t = 0; t < G_N_ELEMENTS (expected_tables); t++)
    {
      GPtrArray *title;

      if (t > 0)
        {
          GPtrArray *blank = g_ptr_array_index (records, r++);

          g_assert_cmpuint (blank->len, ==, 1);
          g_assert_cmpstr (g_ptr_array_index (blank, 0), ==, "");
        }
      title = g_ptr_array_index (records, r++);
      g_assert_cmpuint (title->len, ==, 1);
      g_assert_cmpstr (g_ptr_array_index (title, 0), ==, expected_tables[t].title);
      for (guint i = 0; i < expected_tables[t].n_rows; i++)
        assert_csv_row (g_ptr_array_index (records, r++), expected_tables[t].cells[i], i > 0);
    }
  g_assert_cmpuint (r, ==, records->len);

  /* One table alone is a plain table: header first. */
  g_clear_pointer (&tables, g_ptr_array_unref);
  g_clear_pointer (&records, g_ptr_array_unref);
  g_clear_pointer (&text, g_free);
  tables = build (fx, SM_REPORT_DEMANDS);
  g_assert_true (sm_report_write_csv (tables, path, &error));
  g_assert_true (g_file_get_contents (path, &text, &length, &error));
  records = read_csv (text + 3);
  g_assert_cmpuint (records->len, ==, G_N_ELEMENTS (expected_ledger));
  for (guint i = 0; i < records->len; i++)
    assert_csv_row (g_ptr_array_index (records, i), expected_ledger[i], i > 0);
  /* The quoted title kept its comma and quotes, behind the guard against a formula. */
  g_assert_nonnull (strstr (text, "\"'-水管漏水, \"\"急\"\"\""));
}

/* ---------------------------------------------------------------- an independent XLSX reader */

typedef struct {
  GPtrArray  *strings;   /* shared strings */
  GHashTable *cells;     /* "row:col" → text */
  GString    *text;
  char       *ref;
  char       *type;
  gboolean    in_value;
  guint       max_row;
} Sheet;

static void
sheet_start_cb (GMarkupParseContext  *context,
                const char           *element,
                const char          **names,
                const char          **values,
                gpointer              user_data,
                GError              **error)
{
  Sheet *sheet = user_data;

  if (g_str_equal (element, "c"))
    {
      g_clear_pointer (&sheet->ref, g_free);
      g_clear_pointer (&sheet->type, g_free);
      for (guint i = 0; names[i] != NULL; i++)
        {
          if (g_str_equal (names[i], "r"))
            sheet->ref = g_strdup (values[i]);
          else if (g_str_equal (names[i], "t"))
            sheet->type = g_strdup (values[i]);
        }
    }
  else if (g_str_equal (element, "v") || g_str_equal (element, "t"))
    {
      sheet->in_value = TRUE;
      g_string_truncate (sheet->text, 0);
    }
}

static void
sheet_text_cb (GMarkupParseContext  *context,
               const char           *text,
               gsize                 length,
               gpointer              user_data,
               GError              **error)
{
  Sheet *sheet = user_data;

  if (sheet->in_value)
    g_string_append_len (sheet->text, text, (gssize) length);
}

static void
sheet_end_cb (GMarkupParseContext  *context,
              const char           *element,
              gpointer              user_data,
              GError              **error)
{
  Sheet *sheet = user_data;

  if (!g_str_equal (element, "v") && !g_str_equal (element, "t"))
    return;
  sheet->in_value = FALSE;

  if (sheet->cells == NULL)
    {
      /* sharedStrings.xml: <si><t>…</t></si> */
      g_ptr_array_add (sheet->strings, g_strdup (sheet->text->str));
      return;
    }

  {
    guint col = 0, row;
    const char *p = sheet->ref;
    const char *value = sheet->text->str;

    for (; g_ascii_isupper (*p); p++)
      col = col * 26 + (guint) (*p - 'A' + 1);
    row = (guint) g_ascii_strtoull (p, NULL, 10);
    if (g_strcmp0 (sheet->type, "s") == 0)
      value = g_ptr_array_index (sheet->strings, (guint) g_ascii_strtoull (value, NULL, 10));
    g_hash_table_insert (sheet->cells, g_strdup_printf ("%u:%u", row, col), g_strdup (value));
    sheet->max_row = MAX (sheet->max_row, row);
  }
}

static char *
unzip (const char *archive,
       const char *member)
{
  const char *argv[] = { "unzip", "-p", archive, member, NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static void
parse_xml (const char *xml,
           Sheet      *sheet)
{
  static const GMarkupParser parser = { sheet_start_cb, sheet_end_cb, sheet_text_cb, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = g_markup_parse_context_new (&parser, 0, sheet, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_markup_parse_context_parse (context, xml, -1, &error));
  g_assert_no_error (error);
  g_assert_true (g_markup_parse_context_end_parse (context, &error));
}

static void
test_xlsx (Fixture       *fx,
           gconstpointer  data)
{
  g_autoptr(GPtrArray) tables = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *path = g_build_filename (fx->dir, "report.xlsx", NULL);
  g_autofree char *shared = NULL;
  g_autofree char *workbook = NULL;
  g_autofree char *raw = NULL;
  SmReportOptions options;
  gsize length;

  make_month (fx);
  tables = build (fx, SM_REPORT_ALL);
  assert_tables (tables);

  /* Through sm_report_export(): written beside the path, then renamed. */
  sm_report_options_init (&options, "2026-10");
  options.grid_id = GRID;
  options.worker_names = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (options.worker_names, "w1", "张三");
  g_assert_true (sm_report_export (fx->store, &options, SM_REPORT_FORMAT_XLSX, path, &error));
  g_assert_no_error (error);
  g_hash_table_unref (options.worker_names);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  {
    g_autofree char *partial = g_strconcat (path, ".partial", NULL);

    g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
  }

  g_assert_true (g_file_get_contents (path, &raw, &length, &error));
  g_assert_true (g_str_has_prefix (raw, "PK"));

  workbook = unzip (path, "xl/workbook.xml");
  for (guint t = 0; t < G_N_ELEMENTS (expected_tables); t++)
    {
      g_autofree char *name = g_strdup_printf ("name=\"%s\"", expected_tables[t].title);

      g_assert_nonnull (strstr (workbook, name));
    }

  shared = unzip (path, "xl/sharedStrings.xml");
  {
    Sheet reader = { strings, NULL, g_string_new (NULL), NULL, NULL, FALSE, 0 };

    parse_xml (shared, &reader);
    g_string_free (reader.text, TRUE);
  }
  assert_nothing_sensitive (fx, shared, strlen (shared));

  for (guint t = 0; t < G_N_ELEMENTS (expected_tables); t++)
    {
      g_autofree char *member = g_strdup_printf ("xl/worksheets/sheet%u.xml", t + 1);
      g_autofree char *xml = unzip (path, member);
      Sheet reader = { strings, g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
                       g_string_new (NULL), NULL, NULL, FALSE, 0 };

      parse_xml (xml, &reader);
      g_assert_cmpuint (reader.max_row, ==, expected_tables[t].n_rows);
      for (guint r = 0; r < expected_tables[t].n_rows; r++)
        for (guint c = 0; c < 9; c++)
          {
            g_autofree char *key = g_strdup_printf ("%u:%u", r + 1, c + 1);

            /* Numbers are numbers in the sheet, and no formula guard is needed there. */
            g_assert_cmpstr (g_hash_table_lookup (reader.cells, key), ==, expected_tables[t].cells[r][c]);
          }
      /* Counts are stored as numbers, not text. */
      if (t == 0)
        {
          g_assert_nonnull (strstr (xml, "<c r=\"B2\""));
          g_assert_null (strstr (xml, "<c r=\"B2\" t="));
        }

      g_hash_table_unref (reader.cells);
      g_string_free (reader.text, TRUE);
      g_free (reader.ref);
      g_free (reader.type);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/core/roster/dry-run", Fixture, NULL, fixture_set_up, test_dry_run, fixture_tear_down);
  g_test_add ("/core/roster/import-twice", Fixture, NULL, fixture_set_up, test_import_twice, fixture_tear_down);
  g_test_add ("/core/roster/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/core/roster/bad-files", Fixture, NULL, fixture_set_up, test_bad_files, fixture_tear_down);
  g_test_add_func ("/core/report/month-bounds", test_month_bounds);
  g_test_add ("/core/report/csv", Fixture, NULL, fixture_set_up, test_csv, fixture_tear_down);
  g_test_add ("/core/report/xlsx", Fixture, NULL, fixture_set_up, test_xlsx, fixture_tear_down);

  return g_test_run ();
}
