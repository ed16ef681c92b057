/* test-search.c — full-text search over a real replica: names, pinyin, phones, addresses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <string.h>

#include "sanmen-core.h"
#include "sm-test-util.h"

#define GRID "grid-01"
#define SITE_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

typedef struct {
  char    *dir;
  SmStore *store;
  guint64  now_ms;

  char    *home;        /* 幸福社区阳光花园3栋2单元501, phone 13912340000 */
  char    *other_home;  /* 和平小区1栋101, no phone */
  char    *zhang_san;   /* 张三, 13812345678 */
  char    *zhang_sanfeng;
  char    *li_si;
} Fixture;

static guint64
fixture_clock (gpointer user_data)
{
  Fixture *fx = user_data;

  return fx->now_ms++;
}

static char *
create (Fixture    *fx,
        const char *table,
        const char *first_field,
        ...)
{
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                        (GDestroyNotify) g_variant_unref);
  g_autoptr(GError) error = NULL;
  const char *field = first_field;
  char *id;
  va_list args;

  va_start (args, first_field);
  while (field != NULL)
    {
      g_hash_table_insert (values, (gpointer) field, g_variant_ref_sink (va_arg (args, GVariant *)));
      field = va_arg (args, const char *);
    }
  va_end (args);

  id = sm_store_create (fx->store, table, GRID, values, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

static char *
create_household (Fixture    *fx,
                  const char *address,
                  const char *phone)
{
  if (phone == NULL)
    return create (fx, "household",
                   "address", g_variant_new_string (address),
                   "tenure", g_variant_new_string ("existing"),
                   NULL);

  return create (fx, "household",
                 "address", g_variant_new_string (address),
                 "tenure", g_variant_new_string ("existing"),
                 "phone", g_variant_new_string (phone),
                 NULL);
}

static char *
create_resident (Fixture    *fx,
                 const char *household,
                 const char *name,
                 const char *phone)
{
  if (phone == NULL)
    return create (fx, "resident",
                   "household_id", g_variant_new_string (household),
                   "name", g_variant_new_string (name),
                   NULL);

  return create (fx, "resident",
                 "household_id", g_variant_new_string (household),
                 "name", g_variant_new_string (name),
                 "phone", g_variant_new_string (phone),
                 NULL);
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fx->dir = g_dir_make_tmp ("sanmen-search-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fx->dir, "replica.db", NULL);
  fx->store = sm_store_open (path, &error);
  g_assert_no_error (error);
  fx->now_ms = 1790000000000;  /* 2026-09-21 */
  sm_store_set_clock_func (fx->store, fixture_clock, fx);

  fx->home = create_household (fx, "幸福社区阳光花园3栋2单元501", "13912340000");
  fx->other_home = create_household (fx, "和平小区1栋101", NULL);
  /* 张三 has a phone and 张三丰 none, so their documents are equally long: the rank of
   * the exact name cannot come from the length alone. */
  fx->zhang_san = create_resident (fx, fx->home, "张三", "13812345678");
  fx->zhang_sanfeng = create_resident (fx, fx->home, "张三丰", NULL);
  fx->li_si = create_resident (fx, fx->other_home, "李四", "15000001111");
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  g_assert_finalize_object (fx->store);
  sm_test_remove_tree (fx->dir);
  g_free (fx->dir);
  g_free (fx->home);
  g_free (fx->other_home);
  g_free (fx->zhang_san);
  g_free (fx->zhang_sanfeng);
  g_free (fx->li_si);
}

static GPtrArray *
search (Fixture    *fx,
        const char *query,
        guint       limit)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *hits = sm_store_search (fx->store, query, limit, &error);

  g_assert_no_error (error);
  g_assert_nonnull (hits);

  /* Best first: bm25 is lower for a better match. */
  for (guint i = 1; i < hits->len; i++)
    {
      const SmSearchHit *a = g_ptr_array_index (hits, i - 1);
      const SmSearchHit *b = g_ptr_array_index (hits, i);

      g_assert_cmpfloat (a->rank, <=, b->rank);
    }

  return hits;
}

/* The position of @id among @hits, or -1. */
static int
find_hit (GPtrArray  *hits,
          const char *id)
{
  for (guint i = 0; i < hits->len; i++)
    if (g_str_equal (((SmSearchHit *) g_ptr_array_index (hits, i))->id, id))
      return (int) i;

  return -1;
}

static void
assert_finds (Fixture    *fx,
              const char *query,
              const char *id)
{
  g_autoptr(GPtrArray) hits = search (fx, query, 0);

  if (find_hit (hits, id) < 0)
    g_error ("“%s” did not find %s (%u hits)", query, id, hits->len);
}

static void
assert_misses (Fixture    *fx,
               const char *query,
               const char *id)
{
  g_autoptr(GPtrArray) hits = search (fx, query, 0);

  if (find_hit (hits, id) >= 0)
    g_error ("“%s” found %s", query, id);
}

static void
assert_first (Fixture    *fx,
              const char *query,
              const char *id)
{
  g_autoptr(GPtrArray) hits = search (fx, query, 0);

  g_assert_cmpuint (hits->len, >, 0);
  if (!g_str_equal (((SmSearchHit *) g_ptr_array_index (hits, 0))->id, id))
    g_error ("“%s”: %s is not the first hit but at %d", query, id, find_hit (hits, id));
}

static void
test_pinyin_initials (Fixture       *fx,
                      gconstpointer  data)
{
  assert_first (fx, "zs", fx->zhang_san);
  assert_finds (fx, "zs", fx->zhang_sanfeng);  /* zsf starts with zs */
  assert_finds (fx, "ZS", fx->zhang_san);
  assert_finds (fx, "zsf", fx->zhang_sanfeng);
  assert_misses (fx, "zsf", fx->zhang_san);
  assert_misses (fx, "zs", fx->li_si);
  assert_finds (fx, "ls", fx->li_si);
}

static void
test_pinyin_full (Fixture       *fx,
                  gconstpointer  data)
{
  const char *queries[] = { "zhangsan", "zhangs", "zhang san", "Zhang San", "zhang s", "san", "zhang" };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    assert_finds (fx, queries[i], fx->zhang_san);

  assert_first (fx, "zhangsan", fx->zhang_san);
  assert_finds (fx, "zhangsanf", fx->zhang_sanfeng);
  assert_misses (fx, "zhangsanf", fx->zhang_san);
  assert_misses (fx, "zhangsan", fx->li_si);
  assert_finds (fx, "lisi", fx->li_si);
  /* Full-width letters, as some input methods type them. */
  assert_finds (fx, "ｚｈａｎｇｓａｎ", fx->zhang_san);
}

static void
test_han (Fixture       *fx,
          gconstpointer  data)
{
  g_autoptr(GPtrArray) hits = NULL;
  const SmSearchHit *hit;

  assert_first (fx, "张三", fx->zhang_san);
  assert_finds (fx, "张三", fx->zhang_sanfeng);
  assert_misses (fx, "张三", fx->li_si);
  assert_finds (fx, "张", fx->zhang_san);
  assert_finds (fx, "张", fx->zhang_sanfeng);
  assert_misses (fx, "张", fx->li_si);
  assert_finds (fx, "三丰", fx->zhang_sanfeng);
  assert_misses (fx, "三丰", fx->zhang_san);
  /* A phrase: the characters must be next to each other, in order. */
  assert_misses (fx, "张丰", fx->zhang_sanfeng);
  assert_misses (fx, "三张", fx->zhang_san);

  hits = search (fx, "张三", 0);
  hit = g_ptr_array_index (hits, 0);
  g_assert_true (hit->table == sm_schema_lookup_table ("resident"));
  g_assert_cmpstr (hit->title, ==, "张三");
  g_assert_cmpstr (hit->household_id, ==, fx->home);
  g_assert_cmpstr (hit->detail, ==, "幸福社区阳光花园3栋2单元501");
}

static void
test_phone (Fixture       *fx,
            gconstpointer  data)
{
  const char *queries[] = { "5678", "138", "1381234", "13812345678", "138 1234 5678",
                            "138-1234-5678", "+86 138 1234 5678", "１３８１２３４５６７８" };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    assert_finds (fx, queries[i], fx->zhang_san);

  assert_misses (fx, "5679", fx->zhang_san);
  assert_misses (fx, "1381235", fx->zhang_san);
  assert_misses (fx, "2345678", fx->zhang_san);  /* neither the start nor the last four */
  assert_finds (fx, "1111", fx->li_si);

  /* A household by its own phone, first digits or last four. */
  assert_finds (fx, "0000", fx->home);
  assert_finds (fx, "1391", fx->home);
  assert_misses (fx, "0000", fx->other_home);
}

static void
test_address (Fixture       *fx,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) hits = NULL;
  const SmSearchHit *hit;
  int at;

  assert_finds (fx, "阳光花园", fx->home);
  assert_finds (fx, "3栋2单元", fx->home);
  assert_finds (fx, "3栋2单元50", fx->home);
  assert_finds (fx, "501", fx->home);
  assert_finds (fx, "幸福 501", fx->home);
  assert_misses (fx, "阳光花园", fx->other_home);
  assert_finds (fx, "和平小区", fx->other_home);
  assert_finds (fx, "1栋101", fx->other_home);
  assert_misses (fx, "4栋", fx->home);
  assert_misses (fx, "和平 501", fx->home);

  hits = search (fx, "阳光花园", 0);
  at = find_hit (hits, fx->home);
  g_assert_cmpint (at, >=, 0);
  hit = g_ptr_array_index (hits, at);
  g_assert_true (hit->table == sm_schema_lookup_table ("household"));
  g_assert_cmpstr (hit->household_id, ==, fx->home);
  g_assert_cmpstr (hit->title, ==, "幸福社区阳光花园3栋2单元501");
}

/* Surnames with a reading of their own are found by either; ü by v and by u. */
static void
test_readings (Fixture       *fx,
               gconstpointer  data)
{
  g_autofree char *shan = create_resident (fx, fx->other_home, "单田芳", NULL);
  g_autofree char *zeng = create_resident (fx, fx->other_home, "曾国藩", NULL);
  g_autofree char *lv = create_resident (fx, fx->other_home, "吕布", NULL);

  assert_finds (fx, "shantianfang", shan);
  assert_finds (fx, "stf", shan);
  assert_finds (fx, "dantianfang", shan);
  assert_finds (fx, "zengguofan", zeng);
  assert_finds (fx, "zgf", zeng);
  assert_finds (fx, "lvbu", lv);
  assert_finds (fx, "lubu", lv);
  assert_finds (fx, "lü bu", lv);
  assert_misses (fx, "shan", fx->zhang_san);
}

static void
test_ranking (Fixture       *fx,
              gconstpointer  data)
{
  g_autofree char *zhang_sanfeng2 = create_resident (fx, fx->other_home, "张三峰", "13700002222");
  g_autofree char *zhang_wei = create_resident (fx, fx->other_home, "张伟", NULL);
  g_autoptr(GPtrArray) hits = search (fx, "张三", 0);

  /* The exact name first, then the names that start with it; 张伟 is no match. */
  g_assert_cmpuint (hits->len, ==, 3);
  g_assert_cmpstr (((SmSearchHit *) g_ptr_array_index (hits, 0))->id, ==, fx->zhang_san);
  g_assert_cmpint (find_hit (hits, fx->zhang_sanfeng), >, 0);
  g_assert_cmpint (find_hit (hits, zhang_sanfeng2), >, 0);
  g_assert_cmpint (find_hit (hits, zhang_wei), <, 0);

  assert_first (fx, "zhangsan", fx->zhang_san);
  assert_first (fx, "zs", fx->zhang_san);
  assert_first (fx, "zhangsanf", fx->zhang_sanfeng);
  assert_first (fx, "13812345678", fx->zhang_san);
}

/* The exact match wins even when its document is the longer one and it was written
 * last: 王明明's document repeats a syllable once, 王明 has a phone. */
static void
test_ranking_exact (Fixture       *fx,
                    gconstpointer  data)
{
  g_autofree char *partial = create_resident (fx, fx->other_home, "王明明", NULL);
  g_autofree char *exact = create_resident (fx, fx->other_home, "王明", "13655556666");
  g_autoptr(GPtrArray) hits = search (fx, "王明", 0);

  g_assert_cmpuint (hits->len, ==, 2);
  g_assert_cmpstr (((SmSearchHit *) g_ptr_array_index (hits, 0))->id, ==, exact);
  g_assert_cmpstr (((SmSearchHit *) g_ptr_array_index (hits, 1))->id, ==, partial);

  assert_first (fx, "wangming", exact);
  assert_first (fx, "wm", exact);
  assert_first (fx, "wangmingm", partial);
}

static void
test_limit (Fixture       *fx,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) five = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) one = NULL;

  g_assert_true (sm_store_begin (fx->store, NULL));
  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *name = g_strdup_printf ("张%u", i);
      G_GNUC_UNUSED g_autofree char *id = create_resident (fx, fx->home, name, NULL);
    }
  g_assert_true (sm_store_commit (fx->store, NULL));

  five = search (fx, "张", 5);
  g_assert_cmpuint (five->len, ==, 5);
  one = search (fx, "zhang", 1);
  g_assert_cmpuint (one->len, ==, 1);
  /* 0 asks for the default page, 50. */
  all = search (fx, "张", 0);
  g_assert_cmpuint (all->len, ==, 50);
}

static void
test_deleted (Fixture       *fx,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  assert_finds (fx, "zhangsan", fx->zhang_san);
  g_assert_true (sm_store_delete (fx->store, "resident", fx->zhang_san, &error));
  g_assert_no_error (error);

  assert_misses (fx, "zhangsan", fx->zhang_san);
  assert_misses (fx, "张三", fx->zhang_san);
  assert_misses (fx, "5678", fx->zhang_san);
  assert_finds (fx, "张三", fx->zhang_sanfeng);

  g_assert_true (sm_store_delete (fx->store, "household", fx->other_home, &error));
  g_assert_no_error (error);
  assert_misses (fx, "和平小区", fx->other_home);
}

static void
test_rename (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sm_store_update_with (fx->store, "resident", fx->zhang_san, &error,
                                       "name", g_variant_new_string ("李小龙"),
                                       NULL));
  g_assert_no_error (error);

  assert_misses (fx, "zs", fx->zhang_san);
  assert_misses (fx, "张三", fx->zhang_san);
  assert_finds (fx, "lxl", fx->zhang_san);
  assert_finds (fx, "lixiaolong", fx->zhang_san);
  assert_finds (fx, "小龙", fx->zhang_san);
  /* The phone was not touched and is still indexed. */
  assert_finds (fx, "5678", fx->zhang_san);

  /* A phone change too. */
  g_assert_true (sm_store_update_with (fx->store, "resident", fx->zhang_san, &error,
                                       "phone", g_variant_new_string ("18600009999"),
                                       NULL));
  g_assert_no_error (error);
  assert_misses (fx, "5678", fx->zhang_san);
  assert_finds (fx, "9999", fx->zhang_san);
  assert_finds (fx, "lxl", fx->zhang_san);

  /* The address of a household. */
  g_assert_true (sm_store_update_with (fx->store, "household", fx->other_home, &error,
                                       "address", g_variant_new_string ("和平小区7栋707"),
                                       NULL));
  g_assert_no_error (error);
  assert_misses (fx, "1栋101", fx->other_home);
  assert_finds (fx, "7栋707", fx->other_home);
}

/* A rename that arrives from another device goes through the merge, not a local write. */
static void
test_rename_merged (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) sm_change_unref);
  const SmTable *resident = sm_schema_lookup_table ("resident");
  SmHlc later = sm_store_get_last_hlc (fx->store) + sm_hlc_from_parts (1000, 0);

  g_ptr_array_add (batch, sm_change_new (sm_table_lookup_field (resident, "name"), fx->li_si,
                                         GRID, g_variant_new_string ("王五"), later, SITE_B,
                                         sm_store_get_last_hlc (fx->store)));
  g_assert_true (sm_store_apply (fx->store, batch, NULL, NULL, &error));
  g_assert_no_error (error);

  assert_misses (fx, "lisi", fx->li_si);
  assert_finds (fx, "wangwu", fx->li_si);
  assert_finds (fx, "王五", fx->li_si);
}

/* Nothing a person types or pastes is an error: no FTS5 syntax leaks through. */
static void
test_hostile (Fixture       *fx,
              gconstpointer  data)
{
  const char *queries[] = {
    "\"", "\"\"", "'", "*", "**", "zs*", "*zs", "-", "-zs", "+", "^", "^zs", ":", "a:b",
    "doc:zs", "doc : zs", "(", ")", "()", "(zs", "zs)", "{doc}: zs", "AND", "OR", "NOT",
    "zs OR", "OR zs", "zs AND", "zs NOT ls", "NEAR", "NEAR(zs ls)", "NEAR(zs ls, 2)",
    "zs + ls", "\"zs", "zs\"", "张\"三", "张*", "a-b", "a.b", "a,b", "1e5", "0x10",
    "%", "_", "\\", "\\\"", ";", "' OR 1=1 --", "\" OR \"\"=\"", "\t\n\r", "   ",
    "", "。，、！？", "😀", "\xef\xbf\xbd", "\xff", "\xc3\x28", "张\xe4\xb8", "zs\x01ls",
    "rank", "bm25", "rowid", "MATCH", "*)(*", "\"\"*", "NEAR/3", "zs NEAR/3 ls",
  };
  g_autoptr(GString) big = g_string_new (NULL);
  g_autoptr(GString) garbage = g_string_new (NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261101);

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autoptr(GPtrArray) hits = NULL;
      g_autofree char *escaped = g_strescape (queries[i], NULL);

      g_test_message ("query “%s”", escaped);
      hits = search (fx, queries[i], 10);
    }

  /* 10 KB of mixed text, operators and quotes. */
  while (big->len < 10 * 1024)
    g_string_append (big, "张三 zs \"AND\" OR (NEAR* -x:y) 13812345678 ");
  {
    G_GNUC_UNUSED g_autoptr(GPtrArray) hits = search (fx, big->str, 10);
  }

  /* Random NUL-free bytes, most of them not UTF-8. */
  for (guint round = 0; round < 200; round++)
    {
      g_autoptr(GPtrArray) hits = NULL;
      guint length = (guint) g_rand_int_range (rand, 1, 64);

      g_string_truncate (garbage, 0);
      for (guint i = 0; i < length; i++)
        g_string_append_c (garbage, (char) g_rand_int_range (rand, 1, 256));
      hits = search (fx, garbage->str, 10);
    }

  /* Operators are words like any other: they do not widen a search. */
  {
    g_autoptr(GPtrArray) hits = search (fx, "zs OR ls", 0);

    g_assert_cmpint (find_hit (hits, fx->li_si), <, 0);
  }
  /* Quotes and stars around a name are dropped, the name still found. */
  assert_finds (fx, "\"zs\"", fx->zhang_san);
  assert_finds (fx, "zs*", fx->zhang_san);
  assert_finds (fx, "(张三)", fx->zhang_san);
}

static void
test_nothing_searchable (Fixture       *fx,
                         gconstpointer  data)
{
  const char *queries[] = { "", " ", "\"", "*", "()", "-", ":", "。，！", "😀", "\xff\xfe" };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autoptr(GPtrArray) hits = search (fx, queries[i], 0);

      g_assert_null (sm_search_text_query (queries[i]));
      g_assert_cmpuint (hits->len, ==, 0);
    }

  g_assert_null (sm_search_text_query (NULL));
}

/* Lists never show a phone number in full. */
static void
test_phone_masked (Fixture       *fx,
                   gconstpointer  data)
{
  const char *queries[] = { "0000", "1391", "13912340000", "5678", "13812345678", "张三",
                            "阳光花园", "zs", "1111" };
  const char *phones[] = { "13912340000", "13812345678", "15000001111" };
  gboolean saw_household = FALSE;

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr(GPtrArray) hits = search (fx, queries[q], 0);

      for (guint i = 0; i < hits->len; i++)
        {
          const SmSearchHit *hit = g_ptr_array_index (hits, i);

          for (guint p = 0; p < G_N_ELEMENTS (phones); p++)
            {
              g_assert_null (hit->detail != NULL ? strstr (hit->detail, phones[p]) : NULL);
              g_assert_null (strstr (hit->title, phones[p]));
            }

          if (g_str_equal (hit->id, fx->home))
            {
              saw_household = TRUE;
              g_assert_nonnull (hit->detail);
              g_assert_nonnull (strchr (hit->detail, '*'));
            }
        }
    }

  g_assert_true (saw_household);
}

/* The exact forms, so that a change to them is a decision, not an accident. */
static void
test_query_format (void)
{
  static const struct {
    const char *query;
    const char *match;
  } cases[] = {
    { "zs", "(\"zs\"* OR \"zs\")" },
    { "ZhangSan", "(\"zhangsan\"* OR \"zhangsan\")" },
    { "张", "\"张\"" },
    { "张三", "(\"张 三\" OR \"张三\")" },
    { "zhang san", "(\"zhang\"* OR \"zhang\") AND (\"san\"* OR \"san\")" },
    { "3栋2单元", "(\"3 栋 2 单 元\" OR \"3栋2单元\")" },
    { "1栋10", "(\"1 栋 10\"* OR \"1栋10\")" },
    { "zs zs", "(\"zs\"* OR \"zs\")" },
    { "\"zs\" OR ls*", "(\"zs\"* OR \"zs\") AND (\"or\"* OR \"or\") AND (\"ls\"* OR \"ls\")" },
    { "doc:zs", "(\"doc\"* OR \"doc\") AND (\"zs\"* OR \"zs\")" },
    { "ＺＳ", "(\"zs\"* OR \"zs\")" },
    { "138 1234 5678", "(\"13812345678\"* OR \"13812345678\")" },
    { "+86 138-1234", "(\"1381234\"* OR \"1381234\")" },
    { "3 501", "(\"3\"* OR \"3\") AND (\"501\"* OR \"501\")" },
    { "a\xff" "b", "(\"a\"* OR \"a\") AND (\"b\"* OR \"b\")" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *match = sm_search_text_query (cases[i].query);

      g_assert_cmpstr (match, ==, cases[i].match);
    }
}

static void
test_query_bounded (void)
{
  g_autoptr(GString) words = g_string_new (NULL);
  g_autoptr(GString) han = g_string_new (NULL);
  g_autofree char *match = NULL;
  g_autofree char *long_match = NULL;
  guint terms = 0;

  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (words, "w%u ", i);
  match = sm_search_text_query (words->str);
  for (const char *p = match; (p = strstr (p, " AND ")); p++)
    terms++;
  g_assert_cmpuint (terms + 1, ==, 16);

  for (guint i = 0; i < 10000; i++)
    g_string_append (han, "张");
  long_match = sm_search_text_query (han->str);
  g_assert_nonnull (long_match);
  g_assert_cmpuint (strlen (long_match), <, 512);
}

static void
test_document_format (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SmPinyin) pinyin = sm_pinyin_new (&error);
  g_autofree char *resident = NULL;
  g_autofree char *household = NULL;
  g_autofree char *nothing = NULL;
  g_autofree char *invalid = NULL;

  g_assert_no_error (error);

  resident = sm_search_text_document (pinyin, "张三", "13812345678", NULL);
  g_assert_cmpstr (resident, ==, "张 三 张三 zhang san zhangsan zs 13812345678 5678");

  household = sm_search_text_document (NULL, NULL, "+86 139-1234-0000", "阳光花园3栋501");
  g_assert_cmpstr (household, ==, "13912340000 0000 阳 光 花 园 3 栋 501");

  nothing = sm_search_text_document (pinyin, NULL, NULL, NULL);
  g_assert_cmpstr (nothing, ==, "");

  /* Invalid UTF-8 is replaced, never passed on to SQLite. */
  invalid = sm_search_text_document (pinyin, "张\xff三", NULL, "\xc3\x28");
  g_assert_true (g_utf8_validate (invalid, -1, NULL));
  g_assert_true (g_str_has_prefix (invalid, "张 三 "));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/core/search/pinyin-initials", test_pinyin_initials);
  ADD ("/core/search/pinyin-full", test_pinyin_full);
  ADD ("/core/search/han", test_han);
  ADD ("/core/search/phone", test_phone);
  ADD ("/core/search/address", test_address);
  ADD ("/core/search/readings", test_readings);
  ADD ("/core/search/ranking", test_ranking);
  ADD ("/core/search/ranking-exact", test_ranking_exact);
  ADD ("/core/search/limit", test_limit);
  ADD ("/core/search/deleted", test_deleted);
  ADD ("/core/search/rename", test_rename);
  ADD ("/core/search/rename-merged", test_rename_merged);
  ADD ("/core/search/hostile", test_hostile);
  ADD ("/core/search/nothing-searchable", test_nothing_searchable);
  ADD ("/core/search/phone-masked", test_phone_masked);
#undef ADD
  g_test_add_func ("/core/search/query-format", test_query_format);
  g_test_add_func ("/core/search/query-bounded", test_query_bounded);
  g_test_add_func ("/core/search/document-format", test_document_format);

  return g_test_run ();
}
