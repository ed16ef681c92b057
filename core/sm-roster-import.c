/* sm-roster-import.c — households and residents from the office's spreadsheets (CSV)
 *
 * Three steps, so that a dry run and an import report exactly the same thing:
 *
 *   1. decode: UTF-8 (a byte order mark is dropped) when the bytes are valid UTF-8, else
 *      GB18030, the superset of GBK that Chinese Windows spreadsheets write;
 *   2. read and check every row: RFC 4180 fields (quotes, doubled quotes, commas and line
 *      breaks inside quotes), headers mapped to fields, values normalised and validated
 *      with the same checks as a form (sm_field_validate_local), duplicates within the
 *      file found; a row with any problem is reported and left out;
 *   3. plan and write: rows grouped by household in the order of the file, matched
 *      against what the replica holds, and the new records handed to the writer a few
 *      hundred at a time, whole households per transaction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-roster"

#include "sm-roster-import.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>
#include <string.h>

#include "sm-validate.h"

G_DEFINE_QUARK (sm-roster-error-quark, sm_roster_error)

#define DEFAULT_BATCH_RECORDS 500
/* A moving-in date within this many days makes a household "new" (新住户) when the file
 * does not say: the window in which the three-door method expects a knock. */
#define NEW_RESIDENT_DAYS 365

/* ---------------------------------------------------------------- columns */

typedef enum {
  COL_HEAD_NAME,
  COL_NAME,
  COL_ID_NUMBER,
  COL_ID_TYPE,
  COL_PHONE,
  COL_HOUSEHOLD_PHONE,
  COL_COMPOUND,
  COL_COMPOUND_KIND,
  COL_BUILDING,
  COL_UNIT,
  COL_ROOM,
  COL_ADDRESS,
  COL_RELATION,
  COL_GENDER,
  COL_BIRTH_DATE,
  COL_ETHNICITY,
  COL_POLITICAL,
  COL_PARTY,
  COL_MOVED_IN,
  COL_TENURE,
  COL_DIFFICULTY,
  COL_NOTES,
  N_COLS
} Column;

/* Headers as offices write them, compared after normalisation (full-width folded,
 * spaces, "*" and parenthesised hints removed, lowercase). */
static const struct {
  Column      column;
  const char *names[12];
} column_names[] = {
  { COL_HEAD_NAME, { "户主姓名", "户主", "户主名", "head", "headofhousehold", "head_name", NULL } },
  { COL_NAME, { "姓名", "居民姓名", "成员姓名", "家庭成员", "name", "fullname", "residentname", NULL } },
  { COL_ID_NUMBER, { "身份证号", "身份证号码", "公民身份号码", "证件号码", "证件号", "身份证",
                     "idnumber", "id_number", "idcard", NULL } },
  { COL_ID_TYPE, { "证件类型", "idtype", "id_type", "documenttype", NULL } },
  { COL_PHONE, { "联系电话", "手机号", "手机号码", "手机", "电话", "联系方式", "phone", "mobile",
                 "telephone", NULL } },
  { COL_HOUSEHOLD_PHONE, { "户主电话", "家庭电话", "户联系电话", "householdphone", NULL } },
  { COL_COMPOUND, { "小区", "小区名称", "小区名", "compound", "estate", NULL } },
  { COL_COMPOUND_KIND, { "小区类型", "小区性质", "compoundkind", "compound_kind", NULL } },
  { COL_BUILDING, { "楼栋", "楼栋号", "楼号", "栋", "幢", "楼幢", "building", NULL } },
  { COL_UNIT, { "单元", "单元号", "unit", NULL } },
  { COL_ROOM, { "房号", "门牌号", "房间号", "室", "户号", "room", NULL } },
  { COL_ADDRESS, { "地址", "住址", "家庭住址", "详细地址", "居住地址", "address", NULL } },
  { COL_RELATION, { "与户主关系", "关系", "家庭关系", "relation", "relationship", NULL } },
  { COL_GENDER, { "性别", "gender", "sex", NULL } },
  { COL_BIRTH_DATE, { "出生日期", "出生年月日", "生日", "birthdate", "birth_date", "dateofbirth", NULL } },
  { COL_ETHNICITY, { "民族", "ethnicity", NULL } },
  { COL_POLITICAL, { "政治面貌", "politicalstatus", NULL } },
  { COL_PARTY, { "党员", "是否党员", "partymember", "party_member", NULL } },
  { COL_MOVED_IN, { "入住日期", "入住时间", "迁入日期", "movedin", "moved_in", NULL } },
  { COL_TENURE, { "住户类型", "新老住户", "tenure", NULL } },
  { COL_DIFFICULTY, { "困难类型", "困难情况", "困难群众类型", "difficulty", NULL } },
  { COL_NOTES, { "备注", "notes", "note", "remarks", NULL } },
};

/* ---------------------------------------------------------------- small tables */

typedef struct {
  const char *value;
  const char *words[10];
} Synonyms;

static const Synonyms genders[] = {
  { "male", { "男", "男性", "male", "m", NULL } },
  { "female", { "女", "女性", "female", "f", NULL } },
};

static const Synonyms relations[] = {
  { "self", { "户主", "本人", "self", "head", NULL } },
  { "spouse", { "配偶", "妻", "妻子", "夫", "丈夫", "老伴", "spouse", "wife", "husband", NULL } },
  { "child", { "子", "女", "儿子", "女儿", "子女", "长子", "长女", "次子", "次女", "child" } },
  { "parent", { "父亲", "母亲", "父", "母", "父母", "parent", "father", "mother", NULL } },
  { "grandchild", { "孙子", "孙女", "外孙", "外孙女", "grandchild", NULL } },
  { "grandparent", { "祖父", "祖母", "外祖父", "外祖母", "爷爷", "奶奶", "grandparent", NULL } },
  { "sibling", { "兄弟姐妹", "兄", "弟", "姐", "妹", "哥哥", "弟弟", "姐姐", "妹妹", "sibling" } },
  { "child_in_law", { "儿媳", "女婿", "媳妇", "childinlaw", "child_in_law", NULL } },
  { "tenant", { "租户", "租客", "承租人", "tenant", NULL } },
};

static const Synonyms tenures[] = {
  { "new", { "新住户", "新", "新户", "new", NULL } },
  { "existing", { "老住户", "老", "老户", "existing", "old", NULL } },
};

static const Synonyms compound_kinds[] = {
  { "commercial", { "商品房", "商品房小区", "commercial", NULL } },
  { "old", { "老旧小区", "老小区", "old", NULL } },
  { "resettlement", { "安置房", "安置小区", "回迁房", "resettlement", NULL } },
  { "rental", { "保障性租赁房", "保障房", "公租房", "rental", NULL } },
  { "basic", { "准物业", "basic", NULL } },
};

static const Synonyms id_types[] = {
  { "cn_id", { "居民身份证", "身份证", "cn_id", NULL } },
  { "hmt_permit", { "港澳台居民居住证", "居住证", "hmt_permit", NULL } },
  { "foreign_pr", { "外国人永久居留身份证", "永久居留证", "foreign_pr", NULL } },
  { "passport", { "护照", "passport", NULL } },
  { "other", { "其他", "other", NULL } },
};

static const Synonyms difficulty_tags[] = {
  { "tag_elderly_alone", { "独居老人", "独居", "elderly_alone", NULL } },
  { "tag_low_income", { "低保", "低保户", "低收入", "low_income", NULL } },
  { "tag_disabled", { "残疾", "残疾人", "disabled", NULL } },
  { "tag_serious_illness", { "大病", "重病", "serious_illness", NULL } },
  { "tag_unemployed", { "失业", "失业人员", "unemployed", NULL } },
  { "tag_left_behind_child", { "留守儿童", "left_behind_child", NULL } },
};

static const char *
synonym_lookup (const Synonyms *table,
                gsize           n,
                const char     *normal)
{
  for (gsize i = 0; i < n; i++)
    for (guint w = 0; w < G_N_ELEMENTS (table[i].words) && table[i].words[w] != NULL; w++)
      if (g_str_equal (table[i].words[w], normal))
        return table[i].value;

  return NULL;
}

#define SYNONYM(table, normal) synonym_lookup (table, G_N_ELEMENTS (table), normal)

/* ---------------------------------------------------------------- the report */

const char *
sm_roster_issue_code_to_string (SmRosterIssueCode code)
{
  static const char * const names[] = {
    "unterminated_quote", "too_many_fields", "missing_name", "missing_address",
    "bad_id_number", "id_birth_mismatch", "bad_phone", "bad_date", "bad_value",
    "duplicate_row", "duplicate_id",
  };

  g_return_val_if_fail ((guint) code < G_N_ELEMENTS (names), NULL);

  return names[code];
}

static void
issue_free (SmRosterIssue *issue)
{
  g_free (issue->column);
  g_free (issue->message);
  g_free (issue);
}

void
sm_roster_report_free (SmRosterReport *report)
{
  if (report == NULL)
    return;

  g_free (report->encoding);
  g_clear_pointer (&report->issues, g_ptr_array_unref);
  g_clear_pointer (&report->ignored_columns, g_ptr_array_unref);
  g_free (report);
}

static void
record_free (SmRosterRecord *record)
{
  g_free (record->id);
  g_free (record->grid_id);
  g_clear_pointer (&record->values, g_hash_table_unref);
  g_free (record);
}

void
sm_roster_options_init (SmRosterOptions *options,
                        const char      *grid_id)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->grid_id = grid_id;
}

/* ---------------------------------------------------------------- text helpers */

static const char *
list_separator (void)
{
  /* Translators: between the items of a list in a sentence ("compound, room") */
  return _(", ");
}

/* Full-width forms folded (ＡＢＣ１２３ → ABC123), every space removed, lowercase:
 * how two spellings of one address or header are compared. */
static char *
normalize (const char *text)
{
  g_autofree char *nfkc = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  g_autofree char *folded = NULL;
  GString *out;

  if (nfkc == NULL)
    return g_strdup ("");

  folded = g_utf8_casefold (nfkc, -1);
  out = g_string_sized_new (strlen (folded));
  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isspace (c) && c != 0x3000)
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/* Leading and trailing spaces, including the ideographic space U+3000, removed. */
static char *
trim (const char *text)
{
  const char *start = text, *end = text + strlen (text);

  while (*start != '\0' && (g_unichar_isspace (g_utf8_get_char (start)) ||
                            g_utf8_get_char (start) == 0x3000))
    start = g_utf8_next_char (start);
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);
      gunichar c = g_utf8_get_char (prev);

      if (!g_unichar_isspace (c) && c != 0x3000)
        break;
      end = prev;
    }

  return g_strndup (start, (gsize) (end - start));
}

static gboolean
strip_suffix (char       *text,
              const char *suffix)
{
  gsize length = strlen (text), suffix_length = strlen (suffix);

  if (length <= suffix_length || !g_str_has_suffix (text, suffix))
    return FALSE;

  text[length - suffix_length] = '\0';
  return TRUE;
}

/* "三" → 3, "十二" → 12, "二十三" → 23; -1 for anything else. */
static int
chinese_number (const char *text)
{
  static const char * const digits[] = { "零", "一", "二", "三", "四", "五", "六", "七", "八", "九" };
  int value = 0, current = -1;
  const char *p = text;

  if (*p == '\0')
    return -1;

  while (*p != '\0')
    {
      gboolean matched = FALSE;

      if (g_str_has_prefix (p, "十"))
        {
          value += (current < 0 ? 1 : current) * 10;
          current = -1;
          p += strlen ("十");
          continue;
        }
      if (g_str_has_prefix (p, "两"))
        {
          current = 2;
          p += strlen ("两");
          continue;
        }
      for (guint d = 0; d < G_N_ELEMENTS (digits); d++)
        if (g_str_has_prefix (p, digits[d]))
          {
            if (current >= 0)
              return -1;
            current = (int) d;
            p += strlen (digits[d]);
            matched = TRUE;
            break;
          }
      if (!matched)
        return -1;
    }

  return value + (current < 0 ? 0 : current);
}

/* The part of an address that identifies it: "3号楼", "3栋", "三幢" and "３" are all "3". */
static char *
normalize_part (const char         *text,
                const char * const *suffixes)
{
  char *normal = normalize (text);
  int number;

  for (guint i = 0; suffixes[i] != NULL; i++)
    if (strip_suffix (normal, suffixes[i]))
      break;

  if ((number = chinese_number (normal)) >= 0)
    {
      g_free (normal);
      normal = g_strdup_printf ("%d", number);
    }

  /* "03" and "3" are one room number. */
  if (normal[0] == '0' && normal[1] != '\0')
    {
      const char *p = normal;
      gboolean digits = TRUE;

      for (const char *q = normal; *q != '\0'; q++)
        digits = digits && g_ascii_isdigit (*q);
      while (digits && p[0] == '0' && p[1] != '\0')
        p++;
      if (p != normal)
        memmove (normal, p, strlen (p) + 1);
    }

  return normal;
}

static const char * const building_suffixes[] = { "号楼", "号栋", "栋", "幢", "座", "楼", "号", "#", NULL };
static const char * const unit_suffixes[] = { "单元", NULL };
static const char * const room_suffixes[] = { "室", "号", NULL };

static char *
household_key (const char *compound,
               const char *building,
               const char *unit,
               const char *room)
{
  g_autofree char *c = normalize (compound);
  g_autofree char *b = normalize_part (building, building_suffixes);
  g_autofree char *u = normalize_part (unit != NULL ? unit : "", unit_suffixes);
  g_autofree char *r = normalize_part (room, room_suffixes);

  return g_strconcat (c, "\x1f", b, "\x1f", u, "\x1f", r, NULL);
}

/* A date as spreadsheets write it: 1980-1-2, 1980/01/02, 1980.1.2, 1980年1月2日 or
 * 19800102. Returns "YYYY-MM-DD", or NULL when it is none of these or no real date. */
static char *
parse_date (const char *text)
{
  g_autofree char *normal = normalize (text);
  int parts[3] = { 0, 0, 0 };
  guint n = 0, digits = 0;
  const char *p;

  if (strlen (normal) == 8)
    {
      gboolean all = TRUE;

      for (guint i = 0; i < 8; i++)
        all = all && g_ascii_isdigit (normal[i]);
      if (all)
        {
          for (guint i = 0; i < 4; i++)
            parts[0] = parts[0] * 10 + (normal[i] - '0');
          parts[1] = (normal[4] - '0') * 10 + (normal[5] - '0');
          parts[2] = (normal[6] - '0') * 10 + (normal[7] - '0');
          n = 3;
          goto check;
        }
    }

  for (p = normal; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_ascii_isdigit (*p))
        {
          if (n == 3 || ++digits > (n == 0 ? 4u : 2u))
            return NULL;
          parts[n] = parts[n] * 10 + (*p - '0');
          continue;
        }
      if (digits == 0)
        return NULL;
      if (!(c == '-' || c == '/' || c == '.' || (n == 0 && c == 0x5E74 /* 年 */) ||
            (n == 1 && c == 0x6708 /* 月 */) || (n == 2 && c == 0x65E5 /* 日 */)))
        return NULL;
      if (n < 3)
        n++;
      digits = 0;
    }
  if (digits > 0)
    n++;

check:
  if (n != 3 || parts[0] < 1900 || parts[0] > 9999 || parts[1] < 1 || parts[1] > 12 || parts[2] < 1 ||
      !g_date_valid_dmy ((GDateDay) parts[2], (GDateMonth) parts[1], (GDateYear) parts[0]))
    return NULL;

  return g_strdup_printf ("%04d-%02d-%02d", parts[0], parts[1], parts[2]);
}

/* ---------------------------------------------------------------- decoding */

static char *
decode (const char  *data,
        gsize        length,
        char       **out_encoding,
        GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *utf8;

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
      if (!g_utf8_validate_len (data, length, NULL))
        {
          g_set_error_literal (error, SM_ROSTER_ERROR, SM_ROSTER_ERROR_ENCODING,
                               _("The file says it is UTF-8 but is not: save it again as "
                                 "“CSV UTF-8” and import that file"));
          return NULL;
        }
      *out_encoding = g_strdup ("UTF-8");
      return g_strndup (data, length);
    }

  if (g_utf8_validate_len (data, length, NULL))
    {
      *out_encoding = g_strdup ("UTF-8");
      return g_strndup (data, length);
    }

  /* What Excel and WPS write as "CSV" on a Chinese Windows: GBK, of which GB18030 is
   * the superset. */
  utf8 = g_convert (data, (gssize) length, "UTF-8", "GB18030", NULL, NULL, &local_error);
  if (utf8 == NULL || !g_utf8_validate (utf8, -1, NULL))
    {
      g_free (utf8);
      g_set_error_literal (error, SM_ROSTER_ERROR, SM_ROSTER_ERROR_ENCODING,
                           _("The file is neither UTF-8 nor GB18030 text: save the "
                             "spreadsheet as “CSV UTF-8” and import that file"));
      return NULL;
    }

  *out_encoding = g_strdup ("GB18030");
  return utf8;
}

/* ---------------------------------------------------------------- CSV */

typedef struct {
  GPtrArray *fields;        /* of char * */
  guint      line;          /* where the record starts */
  gboolean   unterminated;  /* a quoted field ran to the end of the file */
} CsvRecord;

static void
csv_record_free (CsvRecord *record)
{
  g_ptr_array_unref (record->fields);
  g_free (record);
}

/* RFC 4180, leniently: CRLF, LF or CR end a record; a quote inside an unquoted field is
 * kept as it is; text after a closing quote is appended. */
static GPtrArray *
csv_parse (const char *text,
           char        delimiter)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) csv_record_free);
  const char *p = text;
  guint line = 1;

  while (*p != '\0')
    {
      CsvRecord *record = g_new0 (CsvRecord, 1);
      GString *field = g_string_new (NULL);
      gboolean end_of_record = FALSE;

      record->fields = g_ptr_array_new_with_free_func (g_free);
      record->line = line;

      while (!end_of_record)
        {
          if (*p == '"')
            {
              p++;
              for (;;)
                {
                  if (*p == '\0')
                    {
                      record->unterminated = TRUE;
                      break;
                    }
                  if (*p == '"' && p[1] == '"')
                    {
                      g_string_append_c (field, '"');
                      p += 2;
                      continue;
                    }
                  if (*p == '"')
                    {
                      p++;
                      break;
                    }
                  if (*p == '\r' && p[1] == '\n')
                    {
                      /* A line break inside a field is stored as LF. */
                      g_string_append_c (field, '\n');
                      p += 2;
                      line++;
                      continue;
                    }
                  if (*p == '\n' || *p == '\r')
                    line++;
                  g_string_append_c (field, *p == '\r' ? '\n' : *p);
                  p++;
                }
            }

          while (*p != '\0' && *p != delimiter && *p != '\n' && *p != '\r')
            g_string_append_c (field, *p++);

          g_ptr_array_add (record->fields, g_string_free (g_steal_pointer (&field), FALSE));

          if (*p == delimiter)
            {
              p++;
              field = g_string_new (NULL);
              continue;
            }

          if (*p == '\r' && p[1] == '\n')
            p += 2;
          else if (*p != '\0')
            p++;
          line++;
          end_of_record = TRUE;
        }

      g_ptr_array_add (records, record);
    }

  return records;
}

/* Tab-separated when the header has tabs and no commas ("Unicode text" from Excel). */
static char
guess_delimiter (const char *text)
{
  guint commas = 0, tabs = 0;

  for (const char *p = text; *p != '\0' && *p != '\n' && *p != '\r'; p++)
    {
      commas += *p == ',';
      tabs += *p == '\t';
    }

  return tabs > 0 && commas == 0 ? '\t' : ',';
}

static gboolean
record_is_empty (CsvRecord *record)
{
  for (guint i = 0; i < record->fields->len; i++)
    {
      g_autofree char *value = trim (g_ptr_array_index (record->fields, i));

      if (*value != '\0')
        return FALSE;
    }

  return !record->unterminated;
}

/* ---------------------------------------------------------------- rows */

typedef struct {
  guint    line;
  gboolean bad;
  char    *hkey;          /* household key */
  /* Household */
  char    *compound;
  char    *compound_kind;
  char    *building;
  char    *unit;
  char    *room;
  char    *address;
  char    *household_phone;
  char    *tenure;
  GPtrArray *tags;        /* of static tag field names */
  /* Resident */
  char    *head_name;
  char    *name;
  char    *id_type;
  char    *id_number;
  char    *phone;
  char    *gender;
  char    *birth_date;
  char    *relation;
  char    *ethnicity;
  int      party_member;  /* -1 unknown */
  char    *moved_in;
  char    *notes;
} Row;

static void
row_free (Row *row)
{
  g_free (row->hkey);
  g_free (row->compound);
  g_free (row->compound_kind);
  g_free (row->building);
  g_free (row->unit);
  g_free (row->room);
  g_free (row->address);
  g_free (row->household_phone);
  g_free (row->tenure);
  g_clear_pointer (&row->tags, g_ptr_array_unref);
  g_free (row->head_name);
  g_free (row->name);
  g_free (row->id_type);
  g_free (row->id_number);
  g_free (row->phone);
  g_free (row->gender);
  g_free (row->birth_date);
  g_free (row->relation);
  g_free (row->ethnicity);
  g_free (row->moved_in);
  g_free (row->notes);
  g_free (row);
}

typedef struct {
  SmStore               *store;
  const SmRosterOptions *options;
  SmRosterReport        *report;
  int                    columns[N_COLS];   /* index in the record, or -1 */
  GPtrArray             *headers;           /* as written */
  GPtrArray             *rows;              /* of Row */
  GHashTable            *seen_ids;          /* ID number → Row, within the file */
  GHashTable            *seen_names;        /* household key + name → Row */
  const SmTable         *resident_table;
  const SmTable         *household_table;
  gint64                 now_unix;
} Import;

static void
add_issue (Import            *import,
           Row               *row,
           SmRosterIssueCode  code,
           int                column,
           char              *message)
{
  SmRosterIssue *issue = g_new0 (SmRosterIssue, 1);

  issue->line = row->line;
  issue->code = code;
  issue->column = column >= 0 ? g_strdup (g_ptr_array_index (import->headers, column)) : NULL;
  issue->message = message;
  g_ptr_array_add (import->report->issues, issue);
  row->bad = TRUE;
}

/* The trimmed value of @column, or NULL when the file has no such column or it is empty. */
static char *
cell (Import    *import,
      CsvRecord *record,
      Column     column)
{
  int index = import->columns[column];
  g_autofree char *value = NULL;

  if (index < 0 || (guint) index >= record->fields->len)
    return NULL;

  value = trim (g_ptr_array_index (record->fields, index));
  return *value != '\0' ? g_steal_pointer (&value) : NULL;
}

static gboolean
map_headers (Import     *import,
             CsvRecord  *header,
             GError    **error)
{
  g_autoptr(GString) missing = g_string_new (NULL);

  for (guint c = 0; c < N_COLS; c++)
    import->columns[c] = -1;

  for (guint i = 0; i < header->fields->len; i++)
    {
      g_autofree char *written = trim (g_ptr_array_index (header->fields, i));
      g_autofree char *normal = normalize (written);
      GString *key = g_string_new (NULL);
      int depth = 0;
      gboolean mapped = FALSE;

      /* "联系电话（手机）*" → "联系电话": hints and required markers are not the name. */
      for (const char *p = normal; *p != '\0'; p++)
        {
          if (*p == '(')
            depth++;
          else if (*p == ')' && depth > 0)
            depth--;
          else if (depth == 0 && *p != '*' && *p != ':' && *p != ' ')
            g_string_append_c (key, *p);
        }

      g_ptr_array_add (import->headers, g_strdup (written));

      for (guint c = 0; c < G_N_ELEMENTS (column_names) && !mapped; c++)
        for (guint n = 0; column_names[c].names[n] != NULL && !mapped; n++)
          if (g_str_equal (column_names[c].names[n], key->str))
            {
              /* The first of two columns with one meaning wins; the other is ignored. */
              if (import->columns[column_names[c].column] < 0)
                {
                  import->columns[column_names[c].column] = (int) i;
                  mapped = TRUE;
                }
              break;
            }

      if (!mapped && *written != '\0')
        g_ptr_array_add (import->report->ignored_columns, g_strdup (written));
      g_string_free (key, TRUE);
    }

  if (import->columns[COL_NAME] < 0 && import->columns[COL_HEAD_NAME] < 0)
    g_string_append_printf (missing, "%s%s", missing->len ? list_separator () : "", "姓名 (name)");
  if (import->columns[COL_COMPOUND] < 0)
    g_string_append_printf (missing, "%s%s", missing->len ? list_separator () : "", "小区 (compound)");
  if (import->columns[COL_BUILDING] < 0)
    g_string_append_printf (missing, "%s%s", missing->len ? list_separator () : "", "楼栋 (building)");
  if (import->columns[COL_ROOM] < 0)
    g_string_append_printf (missing, "%s%s", missing->len ? list_separator () : "", "房号 (room)");

  if (missing->len > 0)
    {
      g_set_error (error, SM_ROSTER_ERROR, SM_ROSTER_ERROR_MISSING_COLUMN,
                   /* Translators: %s lists header names such as 小区 (compound) */
                   _("The first line of the file must name the columns; these are missing: %s"),
                   missing->str);
      return FALSE;
    }

  return TRUE;
}

/* Runs a value through the checks of a form and returns its canonical text, or NULL
 * with @error (prefixed with the field's label). */
static char *
validate_field (const SmTable  *table,
                const char     *field_name,
                const char     *value,
                const char     *id_type,
                GError        **error)
{
  const SmField *field = sm_table_lookup_field (table, field_name);
  g_autoptr(GVariant) variant = g_variant_ref_sink (g_variant_new_string (value));
  g_autoptr(GVariant) canonical = NULL;

  if (!sm_field_validate_local (field, variant, id_type, &canonical, error))
    return NULL;

  return canonical != NULL ? g_variant_dup_string (canonical, NULL) : NULL;
}

static void
check_id_number (Import    *import,
                 Row       *row,
                 CsvRecord *record)
{
  g_autofree char *raw = cell (import, record, COL_ID_NUMBER);
  g_autofree char *type_text = cell (import, record, COL_ID_TYPE);
  g_autofree char *normal = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *text;
  gsize length;

  if (type_text != NULL)
    {
      g_autofree char *type_normal = normalize (type_text);

      if (!(row->id_type = g_strdup (SYNONYM (id_types, type_normal))))
        {
          add_issue (import, row, SM_ROSTER_ISSUE_BAD_VALUE, import->columns[COL_ID_TYPE],
                     /* Translators: %s is what the file says */
                     g_strdup_printf (_("Document type: “%s” is not a known kind of document"), type_text));
          return;
        }
    }

  if (raw == NULL)
    return;

  /* Excel shows a long number in scientific notation and saves it that way: the digits
   * are lost, and only the office can type them again. */
  if (strchr (raw, 'E') != NULL && strchr (raw, '+') != NULL && strchr (raw, '.') != NULL)
    {
      add_issue (import, row, SM_ROSTER_ISSUE_BAD_ID_NUMBER, import->columns[COL_ID_NUMBER],
                 g_strdup (_("ID number: the spreadsheet turned it into a rounded number; format "
                             "the column as text, type the numbers again and save")));
      return;
    }

  /* A leading apostrophe is how spreadsheets are told to keep digits as text. */
  text = raw[0] == '\'' ? raw + 1 : raw;
  normal = normalize (text);
  length = strlen (normal);

  if (row->id_type == NULL)
    {
      if (length == 15 && g_ascii_isalpha (normal[0]))
        row->id_type = g_strdup ("foreign_pr");
      else if (length == 18 && (g_str_has_prefix (normal, "81") || g_str_has_prefix (normal, "82") ||
                                g_str_has_prefix (normal, "83")))
        row->id_type = g_strdup ("hmt_permit");
      else if (length == 18 && normal[0] == '9')
        row->id_type = g_strdup ("foreign_pr");
      else
        row->id_type = g_strdup ("cn_id");
    }

  /* The 2017 foreign card has capital letters; casefolding made them small. */
  if (g_str_equal (row->id_type, "foreign_pr") || g_str_equal (row->id_type, "cn_id") ||
      g_str_equal (row->id_type, "hmt_permit"))
    {
      g_autofree char *upper = g_ascii_strup (normal, -1);

      g_free (normal);
      normal = g_steal_pointer (&upper);
    }
  else
    {
      g_free (normal);
      normal = g_strdup (text);
    }

  row->id_number = validate_field (import->resident_table, "id_number", normal, row->id_type, &local_error);
  if (row->id_number == NULL && local_error != NULL)
    add_issue (import, row, SM_ROSTER_ISSUE_BAD_ID_NUMBER, import->columns[COL_ID_NUMBER],
               g_strdup (local_error->message));
}

static char *
check_phone (Import     *import,
             Row        *row,
             CsvRecord  *record,
             Column      column,
             const char *table)
{
  g_autofree char *raw = cell (import, record, column);
  g_autoptr(GError) local_error = NULL;
  char *phone;

  if (raw == NULL)
    return NULL;

  /* "+86 138…" and "86-138…" are the same mobile number. */
  phone = validate_field (sm_schema_lookup_table (table), "phone",
                          g_str_has_prefix (raw, "+86") ? raw + 3 : raw, NULL, &local_error);
  if (phone == NULL && local_error != NULL)
    add_issue (import, row, SM_ROSTER_ISSUE_BAD_PHONE, import->columns[column],
               g_strdup (local_error->message));

  return phone;
}

static char *
check_date (Import     *import,
            Row        *row,
            CsvRecord  *record,
            Column      column,
            const char *label)
{
  g_autofree char *raw = cell (import, record, column);
  char *date;

  if (raw == NULL)
    return NULL;

  if (!(date = parse_date (raw)))
    add_issue (import, row, SM_ROSTER_ISSUE_BAD_DATE, import->columns[column],
               /* Translators: a field label, then what the file says; keep YYYY-MM-DD */
               g_strdup_printf (_("%s: “%s” is not a date such as 1980-01-31 or 1980/1/31"),
                                label, raw));

  return date;
}

/* Looks @column's value up in @table; an unknown value is an issue. */
static char *
check_choice (Import          *import,
              Row             *row,
              CsvRecord       *record,
              Column           column,
              const Synonyms  *table,
              gsize            n,
              const char      *label)
{
  g_autofree char *raw = cell (import, record, column);
  g_autofree char *normal = NULL;
  const char *value;

  if (raw == NULL)
    return NULL;

  normal = normalize (raw);
  if ((value = synonym_lookup (table, n, normal)) == NULL)
    {
      add_issue (import, row, SM_ROSTER_ISSUE_BAD_VALUE, import->columns[column],
                 /* Translators: a field label, then what the file says */
                 g_strdup_printf (_("%s: “%s” is not one of the values this field takes"), label, raw));
      return NULL;
    }

  return g_strdup (value);
}

static void
check_row (Import    *import,
           CsvRecord *record)
{
  Row *row = g_new0 (Row, 1);
  g_autofree char *political = NULL;
  g_autofree char *party = NULL;
  g_autofree char *relation = NULL;
  g_autofree char *difficulty = NULL;
  const SmTable *resident = import->resident_table;
  g_autoptr(GString) missing = g_string_new (NULL);

  row->line = record->line;
  row->party_member = -1;
  g_ptr_array_add (import->rows, row);

  if (record->unterminated)
    {
      add_issue (import, row, SM_ROSTER_ISSUE_UNTERMINATED_QUOTE, -1,
                 g_strdup (_("A quoted value is never closed: a quotation mark is missing, so "
                             "the rest of the file was read as one value")));
      return;
    }

  if (record->fields->len > import->headers->len)
    {
      gboolean extra = FALSE;

      /* Trailing empty cells are what spreadsheets leave after a deleted column. */
      for (guint i = import->headers->len; i < record->fields->len; i++)
        {
          g_autofree char *value = trim (g_ptr_array_index (record->fields, i));

          extra = extra || *value != '\0';
        }
      if (extra)
        {
          add_issue (import, row, SM_ROSTER_ISSUE_TOO_MANY_FIELDS, -1,
                     /* Translators: two counts of values; a comma in an unquoted value is the usual cause */
                     g_strdup_printf (_("The row has %u values but the header only %u: a value "
                                        "with a comma probably lacks its quotation marks"),
                                      record->fields->len, import->headers->len));
          return;
        }
    }

  row->head_name = cell (import, record, COL_HEAD_NAME);
  row->name = cell (import, record, COL_NAME);
  if (row->name == NULL)
    row->name = g_strdup (row->head_name);
  if (row->name == NULL)
    add_issue (import, row, SM_ROSTER_ISSUE_MISSING_NAME,
               import->columns[COL_NAME] >= 0 ? import->columns[COL_NAME] : import->columns[COL_HEAD_NAME],
               g_strdup (_("The name is empty")));

  row->compound = cell (import, record, COL_COMPOUND);
  row->building = cell (import, record, COL_BUILDING);
  row->unit = cell (import, record, COL_UNIT);
  row->room = cell (import, record, COL_ROOM);
  row->address = cell (import, record, COL_ADDRESS);
  if (row->compound == NULL)
    g_string_append_printf (missing, "%s%s", missing->len ? list_separator () : "", _("compound"));
  if (row->building == NULL)
    g_string_append_printf (missing, "%s%s", missing->len ? list_separator () : "", _("building"));
  if (row->room == NULL)
    g_string_append_printf (missing, "%s%s", missing->len ? list_separator () : "", _("room"));
  if (missing->len > 0)
    add_issue (import, row, SM_ROSTER_ISSUE_MISSING_ADDRESS, -1,
               /* Translators: %s lists the empty parts: compound, building, room */
               g_strdup_printf (_("The address is incomplete: no %s"), missing->str));

  row->compound_kind = check_choice (import, row, record, COL_COMPOUND_KIND, compound_kinds,
                                     G_N_ELEMENTS (compound_kinds),
                                     sm_field_get_label (sm_table_lookup_field (sm_schema_lookup_table ("compound"), "kind")));

  check_id_number (import, row, record);
  row->phone = check_phone (import, row, record, COL_PHONE, "resident");
  row->household_phone = check_phone (import, row, record, COL_HOUSEHOLD_PHONE, "household");

  row->gender = check_choice (import, row, record, COL_GENDER, genders, G_N_ELEMENTS (genders),
                              sm_field_get_label (sm_table_lookup_field (resident, "gender")));
  row->birth_date = check_date (import, row, record, COL_BIRTH_DATE,
                                sm_field_get_label (sm_table_lookup_field (resident, "birth_date")));
  row->moved_in = check_date (import, row, record, COL_MOVED_IN,
                              sm_field_get_label (sm_table_lookup_field (resident, "moved_in")));
  row->tenure = check_choice (import, row, record, COL_TENURE, tenures, G_N_ELEMENTS (tenures),
                              sm_field_get_label (sm_table_lookup_field (import->household_table, "tenure")));

  /* What an 18-character number says about its holder fills the gaps, and must agree
   * with what the row says. */
  if (row->id_number != NULL && strlen (row->id_number) == 18 && g_ascii_isdigit (row->id_number[16]) &&
      !g_str_equal (row->id_type, "passport") && !g_str_equal (row->id_type, "other"))
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *id_birth = NULL;
      gboolean male = (row->id_number[16] - '0') % 2 == 1;

      if (sm_validate_id_number (row->id_number, &id_birth, NULL))
        {
          if (row->birth_date != NULL && !g_str_equal (row->birth_date, id_birth))
            {
              sm_validate_id_number_birth (row->id_number, row->birth_date, &local_error);
              add_issue (import, row, SM_ROSTER_ISSUE_ID_BIRTH_MISMATCH, import->columns[COL_BIRTH_DATE],
                         g_strdup_printf ("%s: %s", sm_field_get_label (sm_table_lookup_field (resident, "id_number")),
                                          local_error->message));
            }
          else if (row->birth_date == NULL && !row->bad)
            row->birth_date = g_steal_pointer (&id_birth);

          if (row->gender == NULL && !row->bad)
            row->gender = g_strdup (male ? "male" : "female");
        }
    }

  relation = cell (import, record, COL_RELATION);
  if (relation != NULL)
    {
      g_autofree char *normal = normalize (relation);

      /* A relation the office wrote in its own words is kept as "other", not refused. */
      row->relation = g_strdup (SYNONYM (relations, normal));
      if (row->relation == NULL)
        row->relation = g_strdup ("other");
    }
  else if (row->name != NULL && (row->head_name == NULL || g_str_equal (row->name, row->head_name)))
    row->relation = g_strdup ("self");

  row->ethnicity = cell (import, record, COL_ETHNICITY);
  if (row->ethnicity != NULL && g_utf8_strlen (row->ethnicity, -1) == 1 &&
      (guchar) row->ethnicity[0] >= 0x80)
    {
      /* "汉" is "汉族". */
      char *full = g_strconcat (row->ethnicity, "族", NULL);

      g_free (row->ethnicity);
      row->ethnicity = full;
    }

  political = cell (import, record, COL_POLITICAL);
  if (political != NULL)
    row->party_member = strstr (political, "党员") != NULL && strstr (political, "非") == NULL;

  party = cell (import, record, COL_PARTY);
  if (party != NULL)
    {
      g_autofree char *normal = normalize (party);

      if (g_strv_contains ((const char *[]) { "是", "党员", "中共党员", "y", "yes", "true", "1", "√", NULL }, normal))
        row->party_member = TRUE;
      else if (g_strv_contains ((const char *[]) { "否", "不是", "n", "no", "false", "0", "×", NULL }, normal))
        row->party_member = FALSE;
      else
        add_issue (import, row, SM_ROSTER_ISSUE_BAD_VALUE, import->columns[COL_PARTY],
                   g_strdup_printf (_("%s: “%s” is not one of the values this field takes"),
                                    sm_field_get_label (sm_table_lookup_field (resident, "party_member")), party));
    }

  difficulty = cell (import, record, COL_DIFFICULTY);
  if (difficulty != NULL)
    {
      g_auto(GStrv) words = g_regex_split_simple ("[,，、;；/\\s]+", difficulty, 0, 0);

      row->tags = g_ptr_array_new ();
      for (guint i = 0; words[i] != NULL; i++)
        {
          g_autofree char *normal = normalize (words[i]);
          const char *tag;

          if (*normal == '\0' || g_str_equal (normal, "无"))
            continue;
          if ((tag = SYNONYM (difficulty_tags, normal)) != NULL)
            g_ptr_array_add (row->tags, (gpointer) tag);
          else
            add_issue (import, row, SM_ROSTER_ISSUE_BAD_VALUE, import->columns[COL_DIFFICULTY],
                       /* Translators: %s is what the file says */
                       g_strdup_printf (_("Difficulty: “%s” is not one of 独居老人, 低保, 残疾, 大病, "
                                          "失业, 留守儿童"), words[i]));
        }
    }

  row->notes = cell (import, record, COL_NOTES);

  /* Long free text: the same limit as any write. */
  if (row->notes != NULL && strlen (row->notes) > SM_SCHEMA_MAX_TEXT_BYTES)
    add_issue (import, row, SM_ROSTER_ISSUE_BAD_VALUE, import->columns[COL_NOTES],
               g_strdup_printf (_("%s: the text is longer than %d bytes"),
                                sm_field_get_label (sm_table_lookup_field (resident, "notes")),
                                SM_SCHEMA_MAX_TEXT_BYTES));

  if (row->compound != NULL && row->building != NULL && row->room != NULL)
    row->hkey = household_key (row->compound, row->building, row->unit, row->room);

  /* Duplicates within the file: the first row stays, later ones are reported. */
  if (!row->bad && row->id_number != NULL)
    {
      Row *earlier = g_hash_table_lookup (import->seen_ids, row->id_number);

      if (earlier != NULL && g_str_equal (earlier->name, row->name))
        add_issue (import, row, SM_ROSTER_ISSUE_DUPLICATE_ROW, import->columns[COL_ID_NUMBER],
                   /* Translators: %u is a line number of the file */
                   g_strdup_printf (_("The same resident as on line %u"), earlier->line));
      else if (earlier != NULL)
        add_issue (import, row, SM_ROSTER_ISSUE_DUPLICATE_ID, import->columns[COL_ID_NUMBER],
                   /* Translators: %u is a line number of the file */
                   g_strdup_printf (_("ID number: line %u has the same number for someone else"),
                                    earlier->line));
      else
        g_hash_table_insert (import->seen_ids, row->id_number, row);
    }
  if (!row->bad)
    {
      g_autofree char *name_key = g_strconcat (row->hkey, "\x1f", row->name, NULL);
      Row *earlier = g_hash_table_lookup (import->seen_names, name_key);

      /* Without ID numbers to tell them apart, one name twice in one home is one person. */
      if (earlier != NULL && (earlier->id_number == NULL || row->id_number == NULL))
        add_issue (import, row, SM_ROSTER_ISSUE_DUPLICATE_ROW, import->columns[COL_NAME],
                   g_strdup_printf (_("The same resident as on line %u"), earlier->line));
      else if (earlier == NULL)
        g_hash_table_insert (import->seen_names, g_steal_pointer (&name_key), row);
    }
}

/* ---------------------------------------------------------------- what is present */

typedef struct {
  GHashTable *compounds;    /* normalised name → id */
  GHashTable *buildings;    /* compound id + normalised name → id */
  GHashTable *households;   /* household key → id */
  GHashTable *id_numbers;   /* ID number → resident id */
  GHashTable *names;        /* household id + name → resident id */
  GHashTable *addresses;    /* building id → building address, for new households */
} Present;

static void
present_clear (Present *present)
{
  g_clear_pointer (&present->compounds, g_hash_table_unref);
  g_clear_pointer (&present->buildings, g_hash_table_unref);
  g_clear_pointer (&present->households, g_hash_table_unref);
  g_clear_pointer (&present->id_numbers, g_hash_table_unref);
  g_clear_pointer (&present->names, g_hash_table_unref);
  g_clear_pointer (&present->addresses, g_hash_table_unref);
}

static char *
join_key (const char *a,
          const char *b)
{
  return g_strconcat (a, "\x1f", b, NULL);
}

static gboolean
load_present (SmStore     *store,
              const char  *grid_id,
              Present     *present,
              GError     **error)
{
  /* Compounds and buildings of the grid; households by their address parts; residents of
   * every grid by ID number (one person is one record wherever they live). */
  static const char *compounds_sql =
    "SELECT id, name FROM compound WHERE grid_id = ?1 AND _deleted IS NOT 1";
  static const char *buildings_sql =
    "SELECT b.id, b.compound_id, b.name, b.address FROM building b"
    " WHERE b.grid_id = ?1 AND b._deleted IS NOT 1";
  static const char *households_sql =
    "SELECT h.id, c.name, b.name, h.unit, h.room FROM household h"
    " JOIN building b ON b.id = h.building_id JOIN compound c ON c.id = b.compound_id"
    " WHERE h.grid_id = ?1 AND h._deleted IS NOT 1";
  static const char *residents_sql =
    "SELECT id, household_id, name, id_number FROM resident WHERE _deleted IS NOT 1";
  sqlite3_stmt *stmt;
  int rc;

  present->compounds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  present->buildings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  present->households = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  present->id_numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  present->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  present->addresses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

#define STEP_ALL(sql, body)                                                  \
  if (!(stmt = sm_store_prepare (store, sql, error)))                        \
    return FALSE;                                                            \
  sqlite3_bind_text (stmt, 1, grid_id, -1, SQLITE_STATIC);                   \
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)                           \
    {                                                                        \
      body                                                                   \
    }                                                                        \
  sqlite3_reset (stmt);                                                      \
  if (rc != SQLITE_DONE)                                                     \
    {                                                                        \
      g_set_error (error, SM_STORE_ERROR, SM_STORE_ERROR_FAILED,             \
                   _("Cannot read the local database: %s"), sqlite3_errstr (rc)); \
      return FALSE;                                                          \
    }

#define TEXT_COL(i) ((const char *) sqlite3_column_text (stmt, i))

  STEP_ALL (compounds_sql, {
    if (TEXT_COL (1) != NULL)
      g_hash_table_insert (present->compounds, normalize (TEXT_COL (1)), g_strdup (TEXT_COL (0)));
  })

  STEP_ALL (buildings_sql, {
    if (TEXT_COL (1) != NULL && TEXT_COL (2) != NULL)
      {
        g_autofree char *name = normalize_part (TEXT_COL (2), building_suffixes);

        g_hash_table_insert (present->buildings, join_key (TEXT_COL (1), name), g_strdup (TEXT_COL (0)));
      }
    if (TEXT_COL (3) != NULL)
      g_hash_table_insert (present->addresses, g_strdup (TEXT_COL (0)), g_strdup (TEXT_COL (3)));
  })

  STEP_ALL (households_sql, {
    if (TEXT_COL (1) != NULL && TEXT_COL (2) != NULL && TEXT_COL (4) != NULL)
      g_hash_table_insert (present->households,
                           household_key (TEXT_COL (1), TEXT_COL (2), TEXT_COL (3), TEXT_COL (4)),
                           g_strdup (TEXT_COL (0)));
  })

  STEP_ALL (residents_sql, {
    if (TEXT_COL (3) != NULL)
      g_hash_table_insert (present->id_numbers, g_strdup (TEXT_COL (3)), g_strdup (TEXT_COL (0)));
    if (TEXT_COL (1) != NULL && TEXT_COL (2) != NULL)
      g_hash_table_insert (present->names, join_key (TEXT_COL (1), TEXT_COL (2)), g_strdup (TEXT_COL (0)));
  })

#undef STEP_ALL
#undef TEXT_COL

  return TRUE;
}

/* ---------------------------------------------------------------- planning and writing */

typedef struct {
  Import             *import;
  Present             present;
  GPtrArray          *batch;        /* of SmRosterRecord */
  SmRosterWriteFunc   write;
  gpointer            write_data;
  GCancellable       *cancellable;
  guint               done;
} Plan;

static SmRosterRecord *
plan_record (Plan       *plan,
             const char *table)
{
  SmRosterRecord *record = g_new0 (SmRosterRecord, 1);

  record->table = sm_schema_lookup_table (table);
  record->id = sm_id_new ();
  record->grid_id = g_strdup (plan->import->options->grid_id);
  record->values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_variant_unref);
  g_ptr_array_add (plan->batch, record);

  return record;
}

static void
put (SmRosterRecord *record,
     const char     *field,
     GVariant       *value)
{
  const SmField *f = sm_table_lookup_field (record->table, field);

  g_assert (f != NULL);
  g_hash_table_insert (record->values, (gpointer) f->name, g_variant_ref_sink (value));
}

static void
put_text (SmRosterRecord *record,
          const char     *field,
          const char     *text)
{
  if (text != NULL && *text != '\0')
    put (record, field, g_variant_new_string (text));
}

static gboolean
flush (Plan    *plan,
       GError **error)
{
  SmRosterReport *report = plan->import->report;
  const SmRosterOptions *options = plan->import->options;

  if (plan->batch->len > 0)
    {
      if (g_cancellable_set_error_if_cancelled (plan->cancellable, error))
        return FALSE;

      for (guint i = 0; i < plan->batch->len; i++)
        report->n_writes += g_hash_table_size (((SmRosterRecord *) g_ptr_array_index (plan->batch, i))->values) + 1;

      if (!plan->write (plan->batch, plan->write_data, error))
        return FALSE;
      g_ptr_array_set_size (plan->batch, 0);
    }

  if (options->progress != NULL)
    options->progress (plan->done, report->n_rows, options->progress_data);

  return TRUE;
}

/* The text people read for a new household: "<building address> 2单元 301". */
static char *
household_address (Plan       *plan,
                   Row        *row,
                   const char *building_id)
{
  const char *building_address = g_hash_table_lookup (plan->present.addresses, building_id);
  g_autofree char *unit = NULL;

  if (row->address != NULL)
    return g_strdup (row->address);

  if (row->unit != NULL)
    {
      g_autofree char *part = normalize_part (row->unit, unit_suffixes);

      unit = g_strdup_printf ("%s单元", part);
    }

  return g_strjoin (" ", building_address ? building_address : row->building,
                    unit ? unit : row->room, unit ? row->room : NULL, NULL);
}

/* A stored unit or room: "2单元" → "2", "301室" → "301"; other spellings as written. */
static char *
stored_part (const char         *text,
             const char * const *suffixes)
{
  g_autofree char *normal = NULL;

  if (text == NULL)
    return NULL;

  normal = normalize_part (text, suffixes);
  for (const char *p = normal; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return g_strdup (text);

  return g_steal_pointer (&normal);
}

static const char *
ensure_building (Plan *plan,
                 Row  *row)
{
  g_autofree char *compound_key = normalize (row->compound);
  g_autofree char *building_name = normalize_part (row->building, building_suffixes);
  g_autofree char *building_key = NULL;
  const char *compound_id = g_hash_table_lookup (plan->present.compounds, compound_key);
  const char *building_id;

  if (compound_id == NULL)
    {
      SmRosterRecord *record = plan_record (plan, "compound");

      put_text (record, "name", row->compound);
      /* The file may not say; the office corrects the kind in the client. */
      put_text (record, "kind", row->compound_kind ? row->compound_kind : "commercial");
      g_hash_table_insert (plan->present.compounds, g_steal_pointer (&compound_key), g_strdup (record->id));
      compound_id = record->id;
      plan->import->report->compounds_added++;
    }

  building_key = join_key (compound_id, building_name);
  if ((building_id = g_hash_table_lookup (plan->present.buildings, building_key)) == NULL)
    {
      SmRosterRecord *record = plan_record (plan, "building");
      g_autofree char *address = g_strdup_printf ("%s %s", row->compound, row->building);

      put_text (record, "compound_id", compound_id);
      put_text (record, "name", row->building);
      put_text (record, "address", address);
      g_hash_table_insert (plan->present.buildings, g_steal_pointer (&building_key), g_strdup (record->id));
      g_hash_table_insert (plan->present.addresses, g_strdup (record->id), g_steal_pointer (&address));
      building_id = record->id;
      plan->import->report->buildings_added++;
    }

  return building_id;
}

static gboolean
plan_household (Plan       *plan,
                GPtrArray  *rows,
                GError    **error)
{
  Import *import = plan->import;
  SmRosterReport *report = import->report;
  Row *first = g_ptr_array_index (rows, 0);
  Row *head = first;
  const char *household_id = g_hash_table_lookup (plan->present.households, first->hkey);
  g_autofree char *new_household_id = NULL;

  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = g_ptr_array_index (rows, i);

      if (g_strcmp0 (row->relation, "self") == 0)
        {
          head = row;
          break;
        }
    }

  if (household_id != NULL)
    report->households_unchanged++;
  else
    {
      const char *building_id = ensure_building (plan, first);
      SmRosterRecord *record = plan_record (plan, "household");
      g_autofree char *address = household_address (plan, first, building_id);
      g_autofree char *unit = stored_part (first->unit, unit_suffixes);
      g_autofree char *room = stored_part (first->room, room_suffixes);
      const char *tenure = head->tenure;
      const char *phone = NULL;

      if (tenure == NULL)
        {
          g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (import->now_unix);
          g_autoptr(GDateTime) since = g_date_time_add_days (now, -NEW_RESIDENT_DAYS);
          g_autofree char *since_text = g_date_time_format (since, "%Y-%m-%d");

          tenure = head->moved_in != NULL && strcmp (head->moved_in, since_text) >= 0 ? "new" : "existing";
        }

      for (guint i = 0; i < rows->len && phone == NULL; i++)
        phone = ((Row *) g_ptr_array_index (rows, i))->household_phone;
      if (phone == NULL)
        phone = head->phone;

      put_text (record, "building_id", building_id);
      put_text (record, "unit", unit);
      put_text (record, "room", room);
      put_text (record, "address", address);
      put_text (record, "tenure", tenure);
      put_text (record, "moved_in", head->moved_in);
      put_text (record, "phone", phone);
      for (guint i = 0; i < rows->len; i++)
        {
          Row *row = g_ptr_array_index (rows, i);

          for (guint t = 0; row->tags != NULL && t < row->tags->len; t++)
            put (record, g_ptr_array_index (row->tags, t), g_variant_new_boolean (TRUE));
        }

      new_household_id = g_strdup (record->id);
      household_id = new_household_id;
      g_hash_table_insert (plan->present.households, g_strdup (first->hkey), g_strdup (household_id));
      report->households_added++;
    }

  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = g_ptr_array_index (rows, i);
      g_autofree char *name_key = join_key (household_id, row->name);
      SmRosterRecord *record;

      plan->done++;

      if ((row->id_number != NULL && g_hash_table_contains (plan->present.id_numbers, row->id_number)) ||
          g_hash_table_contains (plan->present.names, name_key))
        {
          report->residents_unchanged++;
          continue;
        }

      record = plan_record (plan, "resident");
      put_text (record, "household_id", household_id);
      put_text (record, "name", row->name);
      put_text (record, "gender", row->gender);
      put_text (record, "birth_date", row->birth_date);
      if (row->id_number != NULL)
        put_text (record, "id_type", row->id_type);
      put_text (record, "id_number", row->id_number);
      put_text (record, "phone", row->phone);
      put_text (record, "relation", row->relation);
      put_text (record, "ethnicity", row->ethnicity);
      if (row->party_member >= 0)
        put (record, "party_member", g_variant_new_boolean (row->party_member));
      put_text (record, "moved_in", row->moved_in);
      put_text (record, "notes", row->notes);

      if (row->id_number != NULL)
        g_hash_table_insert (plan->present.id_numbers, g_strdup (row->id_number), g_strdup (record->id));
      g_hash_table_insert (plan->present.names, g_steal_pointer (&name_key), g_strdup (record->id));
      report->residents_added++;
    }

  /* A dry run plans the same records and drops them. */
  if (import->options->dry_run)
    g_ptr_array_set_size (plan->batch, 0);
  else if (plan->batch->len >= (import->options->batch_records ? import->options->batch_records
                                                                  : DEFAULT_BATCH_RECORDS))
    return flush (plan, error);

  return TRUE;
}

/* ---------------------------------------------------------------- the store writer */

typedef struct {
  SmStore    *store;
  GHashTable *ids;   /* importer's id → the store's */
} StoreWriter;

/* Local writes make their own ids; references to records of this import are mapped. */
static gboolean
store_write_cb (GPtrArray  *records,
                gpointer    user_data,
                GError    **error)
{
  StoreWriter *writer = user_data;

  if (!sm_store_begin (writer->store, error))
    return FALSE;

  for (guint i = 0; i < records->len; i++)
    {
      SmRosterRecord *record = g_ptr_array_index (records, i);
      g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                            (GDestroyNotify) g_variant_unref);
      GHashTableIter iter;
      gpointer key, value;
      char *id;

      g_hash_table_iter_init (&iter, record->values);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          const SmField *field = sm_table_lookup_field (record->table, key);
          const char *mapped = NULL;

          if (field->type == SM_FIELD_REF)
            mapped = g_hash_table_lookup (writer->ids, g_variant_get_string (value, NULL));
          g_hash_table_insert (values, key, mapped ? g_variant_ref_sink (g_variant_new_string (mapped))
                                                   : g_variant_ref (value));
        }

      if (!(id = sm_store_create (writer->store, record->table->name, record->grid_id, values, error)))
        {
          sm_store_rollback (writer->store);
          return FALSE;
        }
      g_hash_table_insert (writer->ids, g_strdup (record->id), id);
    }

  return sm_store_commit (writer->store, error);
}

/* ---------------------------------------------------------------- public API */

SmRosterReport *
sm_roster_import (SmStore                *store,
                  const char             *data,
                  gsize                   length,
                  const SmRosterOptions  *options,
                  SmRosterWriteFunc       write,
                  gpointer                write_data,
                  GCancellable           *cancellable,
                  GError                **error)
{
  g_autoptr(SmRosterReport) report = g_new0 (SmRosterReport, 1);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  g_autoptr(GHashTable) groups = NULL;
  g_autoptr(SmRecord) grid = NULL;
  g_autoptr(GHashTable) store_ids = NULL;
  g_autofree char *text = NULL;
  StoreWriter store_writer = { store, NULL };
  Import import = { 0, };
  Plan plan = { 0, };
  CsvRecord *header = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (SM_IS_STORE (store), NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (options != NULL && options->grid_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  report->issues = g_ptr_array_new_with_free_func ((GDestroyNotify) issue_free);
  report->ignored_columns = g_ptr_array_new_with_free_func (g_free);
  report->dry_run = options->dry_run;

  if (!(grid = sm_store_get (store, "grid", options->grid_id, NULL)) || sm_record_is_deleted (grid))
    {
      g_set_error (error, SM_ROSTER_ERROR, SM_ROSTER_ERROR_NO_GRID,
                   _("There is no grid “%s” to import into"), options->grid_id);
      return NULL;
    }

  if (!(text = decode (data, length, &report->encoding, error)))
    return NULL;

  records = csv_parse (text, guess_delimiter (text));
  /* Blank lines before the header are not the header. */
  while (records->len > 0 && record_is_empty (g_ptr_array_index (records, 0)))
    g_ptr_array_remove_index (records, 0);
  if (records->len == 0)
    {
      g_set_error_literal (error, SM_ROSTER_ERROR, SM_ROSTER_ERROR_EMPTY,
                           _("The file is empty: a roster starts with a line of column names"));
      return NULL;
    }

  import.store = store;
  import.options = options;
  import.report = report;
  import.headers = g_ptr_array_new_with_free_func (g_free);
  import.rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  import.seen_ids = g_hash_table_new (g_str_hash, g_str_equal);
  import.seen_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  import.resident_table = sm_schema_lookup_table ("resident");
  import.household_table = sm_schema_lookup_table ("household");
  import.now_unix = options->now_unix ? options->now_unix : g_get_real_time () / G_USEC_PER_SEC;

  header = g_ptr_array_index (records, 0);
  if (!map_headers (&import, header, error))
    goto out;

  for (guint i = 1; i < records->len; i++)
    {
      CsvRecord *record = g_ptr_array_index (records, i);

      if (record_is_empty (record))
        continue;
      report->n_rows++;
      check_row (&import, record);
    }

  /* Rows are checked in file order, so the issues are already by line. */

  /* Group the good rows by household, in the order households first appear. */
  groups = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < import.rows->len; i++)
    {
      Row *row = g_ptr_array_index (import.rows, i);
      GPtrArray *group;

      if (row->bad)
        {
          report->n_bad_rows++;
          plan.done++;
          continue;
        }
      if (!(group = g_hash_table_lookup (groups, row->hkey)))
        {
          group = g_ptr_array_new ();
          g_hash_table_insert (groups, row->hkey, group);
          g_ptr_array_add (order, group);
        }
      g_ptr_array_add (group, row);
    }

  plan.import = &import;
  plan.batch = g_ptr_array_new_with_free_func ((GDestroyNotify) record_free);
  plan.cancellable = cancellable;
  if (write != NULL)
    {
      plan.write = write;
      plan.write_data = write_data;
    }
  else
    {
      store_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      store_writer.ids = store_ids;
      plan.write = store_write_cb;
      plan.write_data = &store_writer;
    }

  if (!load_present (store, options->grid_id, &plan.present, error))
    goto out;

  for (guint i = 0; i < order->len; i++)
    if (!plan_household (&plan, g_ptr_array_index (order, i), error))
      goto out;

  if (!options->dry_run && !flush (&plan, error))
    goto out;
  if (options->dry_run && options->progress != NULL)
    options->progress (plan.done, report->n_rows, options->progress_data);

  ok = TRUE;

out:
  present_clear (&plan.present);
  g_clear_pointer (&plan.batch, g_ptr_array_unref);
  g_clear_pointer (&import.headers, g_ptr_array_unref);
  g_clear_pointer (&import.seen_ids, g_hash_table_unref);
  g_clear_pointer (&import.seen_names, g_hash_table_unref);
  g_clear_pointer (&groups, g_hash_table_unref);
  g_clear_pointer (&import.rows, g_ptr_array_unref);

  return ok ? g_steal_pointer (&report) : NULL;
}

SmRosterReport *
sm_roster_import_file (SmStore                *store,
                       GFile                  *file,
                       const SmRosterOptions  *options,
                       SmRosterWriteFunc       write,
                       gpointer                write_data,
                       GCancellable           *cancellable,
                       GError                **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, error))
    return NULL;

  return sm_roster_import (store, contents, length, options, write, write_data, cancellable, error);
}

GPtrArray *
sm_roster_records_to_changes (GPtrArray  *records,
                              SmHlc       hlc,
                              const char *site,
                              SmHlc       base)
{
  GPtrArray *changes = sm_change_batch_new ();

  g_return_val_if_fail (records != NULL && site != NULL, NULL);

  for (guint i = 0; i < records->len; i++)
    {
      SmRosterRecord *record = g_ptr_array_index (records, i);
      GHashTableIter iter;
      gpointer key, value;

      g_ptr_array_add (changes, sm_change_new (&record->table->fields[SM_FIELD_INDEX_GRID_ID], record->id,
                                               record->grid_id, g_variant_new_string (record->grid_id),
                                               hlc, site, base));
      g_hash_table_iter_init (&iter, record->values);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_ptr_array_add (changes, sm_change_new (sm_table_lookup_field (record->table, key), record->id,
                                                 record->grid_id, value, hlc, site, base));
    }

  return changes;
}
