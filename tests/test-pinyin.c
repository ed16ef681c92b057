/* test-pinyin.c — pinyin syllables and initials from ICU's Han-Latin
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "sanmen-core.h"

typedef struct {
  SmPinyin *pinyin;
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fx->pinyin = sm_pinyin_new (&error);
  g_assert_no_error (error);
  g_assert_nonnull (fx->pinyin);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  g_clear_pointer (&fx->pinyin, sm_pinyin_free);
}

static const struct {
  const char *text;
  const char *syllables;
  const char *initials;
} cases[] = {
  { "张三", "zhang san", "zs" },
  { "张三丰", "zhang san feng", "zsf" },
  { "王小明", "wang xiao ming", "wxm" },
  { "欧阳娜娜", "ou yang na na", "oynn" },
  /* Traditional characters read the same. */
  { "張三", "zhang san", "zs" },
  /* ü is written v, as a pinyin input method types it. */
  { "吕布", "lv bu", "lb" },
  { "女", "nv", "n" },
  { "略", "lve", "l" },
  /* One reading per character, whatever the context: Han-Latin's first one. */
  { "单", "dan", "d" },
  /* Other letters and digits are words of their own, lowercased. */
  { "王小明Tom", "wang xiao ming tom", "wxmt" },
  { "李A1", "li a1", "la" },
  { "3号楼2单元501", "3 hao lou 2 dan yuan 501", "3hl2dy5" },
  { "Zhang San", "zhang san", "zs" },
  /* Full-width letters and digits are NFKC-normalized first. */
  { "ＡＢＣ１２３", "abc123", "a" },
  /* Punctuation and spaces only separate. */
  { "阿依古丽·艾买提", "a yi gu li ai mai ti", "ayglamt" },
  { "  张，三！  ", "zhang san", "zs" },
  { "〇", "ling", "l" },
  { "", "", "" },
  { " ,.!?()\"*", "", "" },
};

static void
test_table (Fixture       *fx,
            gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *syllables = NULL;
      g_autofree char *initials = NULL;

      g_test_message ("converting “%s”", cases[i].text);
      g_assert_true (sm_pinyin_convert (fx->pinyin, cases[i].text, &syllables, &initials));
      g_assert_cmpstr (syllables, ==, cases[i].syllables);
      g_assert_cmpstr (initials, ==, cases[i].initials);
    }
}

static void
test_initials_optional (Fixture       *fx,
                        gconstpointer  data)
{
  g_autofree char *syllables = NULL;

  g_assert_true (sm_pinyin_convert (fx->pinyin, "李四", &syllables, NULL));
  g_assert_cmpstr (syllables, ==, "li si");
}

/* The cache must not change answers: the second conversion of a text equals the first. */
static void
test_repeatable (Fixture       *fx,
                 gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *i1 = NULL;
  g_autofree char *i2 = NULL;

  g_assert_true (sm_pinyin_convert (fx->pinyin, "赵钱孙李周吴郑王", &first, &i1));
  g_assert_true (sm_pinyin_convert (fx->pinyin, "赵钱孙李周吴郑王", &second, &i2));
  g_assert_cmpstr (first, ==, "zhao qian sun li zhou wu zheng wang");
  g_assert_cmpstr (first, ==, second);
  g_assert_cmpstr (i1, ==, "zqslzwzw");
  g_assert_cmpstr (i1, ==, i2);
}

static void
test_invalid_utf8 (Fixture       *fx,
                   gconstpointer  data)
{
  const char *invalid[] = {
    "\xff\xfe",
    "张\xe4\xb8",          /* a truncated character */
    "abc\xc0\xafxyz",      /* an overlong '/' */
    "\xed\xa0\x80",        /* a UTF-16 surrogate */
  };

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      char *syllables = (char *) "unset";
      char *initials = (char *) "unset";

      g_assert_false (sm_pinyin_convert (fx->pinyin, invalid[i], &syllables, &initials));
      g_assert_null (syllables);
      g_assert_null (initials);
    }
}

/* Every character of the CJK Unified Ideographs block gives at most one syllable, and a
 * syllable is lowercase ASCII letters only. */
static void
test_cjk_block (Fixture       *fx,
                gconstpointer  data)
{
  guint with_reading = 0;

  for (gunichar c = 0x4e00; c <= 0x9fff; c++)
    {
      char text[8] = { 0 };
      g_autofree char *syllables = NULL;
      g_autofree char *initials = NULL;

      g_unichar_to_utf8 (c, text);
      g_assert_true (sm_pinyin_convert (fx->pinyin, text, &syllables, &initials));

      if (*syllables == '\0')
        {
          g_assert_cmpstr (initials, ==, "");
          continue;
        }

      with_reading++;
      for (const char *p = syllables; *p; p++)
        if (!(*p >= 'a' && *p <= 'z'))
          g_error ("U+%04X gave “%s”", c, syllables);
      g_assert_cmpint (strlen (initials), ==, 1);
      g_assert_cmpint (initials[0], ==, syllables[0]);
    }

  /* Han-Latin covers the block almost entirely. */
  g_assert_cmpuint (with_reading, >, 20000);
}

static void
test_long_input (Fixture       *fx,
                 gconstpointer  data)
{
  enum { N = 50000 };
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *syllables = NULL;
  g_autofree char *initials = NULL;

  for (guint i = 0; i < N; i++)
    g_string_append (text, i % 2 ? "三" : "张");

  g_assert_true (sm_pinyin_convert (fx->pinyin, text->str, &syllables, &initials));

  g_assert_cmpuint (strlen (initials), ==, N);
  g_assert_true (g_str_has_prefix (syllables, "zhang san zhang san "));
  g_assert_true (g_str_has_suffix (syllables, " zhang san"));
  /* "zhang " and "san " alternate, without the last space. */
  g_assert_cmpuint (strlen (syllables), ==, (N / 2) * strlen ("zhang san ") - 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/core/pinyin/table", Fixture, NULL, fixture_setup, test_table, fixture_teardown);
  g_test_add ("/core/pinyin/initials-optional", Fixture, NULL, fixture_setup,
              test_initials_optional, fixture_teardown);
  g_test_add ("/core/pinyin/repeatable", Fixture, NULL, fixture_setup, test_repeatable,
              fixture_teardown);
  g_test_add ("/core/pinyin/invalid-utf8", Fixture, NULL, fixture_setup, test_invalid_utf8,
              fixture_teardown);
  g_test_add ("/core/pinyin/cjk-block", Fixture, NULL, fixture_setup, test_cjk_block,
              fixture_teardown);
  g_test_add ("/core/pinyin/long-input", Fixture, NULL, fixture_setup, test_long_input,
              fixture_teardown);

  return g_test_run ();
}
