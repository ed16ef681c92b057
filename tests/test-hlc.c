/* test-hlc.c — the hybrid logical clock and site identifiers of DESIGN §3
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "sm-hlc.h"

#define HLC(ms, counter) sm_hlc_from_parts ((ms), (counter))

/* The largest physical time an HLC can hold: 48 bits of milliseconds. */
#define MAX_MS G_GUINT64_CONSTANT (0xffffffffffff)

static int
sign (int v)
{
  return (v > 0) - (v < 0);
}

static int
cmp_u64 (guint64 a,
         guint64 b)
{
  return (a > b) - (a < b);
}

static gboolean
is_lower_hex (const char *text,
              gsize       n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (text[i]) && !(text[i] >= 'a' && text[i] <= 'f'))
      return FALSE;

  return TRUE;
}

static guint64
rand_u64 (void)
{
  return ((guint64) (guint32) g_test_rand_int () << 32) | (guint32) g_test_rand_int ();
}

/* ---- packing ---- */

static void
test_parts (void)
{
  const struct {
    guint64 ms;
    guint16 counter;
    SmHlc   expected;
  } cases[] = {
    { 0, 0, G_GUINT64_CONSTANT (0) },
    { 0, 1, G_GUINT64_CONSTANT (1) },
    { 0, 0xffff, G_GUINT64_CONSTANT (0xffff) },
    { 1, 0, G_GUINT64_CONSTANT (0x10000) },
    { 1, 0xffff, G_GUINT64_CONSTANT (0x1ffff) },
    { G_GUINT64_CONSTANT (0x123456789abc), 0xdef0, G_GUINT64_CONSTANT (0x123456789abcdef0) },
    /* 2024-03-01T00:00:00Z */
    { G_GUINT64_CONSTANT (1709251200000), 7, (G_GUINT64_CONSTANT (1709251200000) << 16) | 7 },
    { MAX_MS, 0, G_GUINT64_CONSTANT (0xffffffffffff0000) },
    { MAX_MS, 0xffff, G_MAXUINT64 },
    { G_GUINT64_CONSTANT (0x800000000000), 0, G_GUINT64_CONSTANT (0x8000000000000000) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SmHlc hlc = sm_hlc_from_parts (cases[i].ms, cases[i].counter);

      g_test_message ("case %u", i);
      g_assert_cmphex (hlc, ==, cases[i].expected);
      g_assert_cmpuint (sm_hlc_get_physical_ms (hlc), ==, cases[i].ms);
      g_assert_cmpuint (sm_hlc_get_counter (hlc), ==, cases[i].counter);
    }

  g_assert_cmphex (SM_HLC_ZERO, ==, 0);
}

static void
test_parts_random (void)
{
  for (guint i = 0; i < 10000; i++)
    {
      SmHlc hlc = rand_u64 ();
      guint64 ms = sm_hlc_get_physical_ms (hlc);
      guint16 counter = sm_hlc_get_counter (hlc);

      g_assert_cmpuint (ms, <=, MAX_MS);
      g_assert_cmphex (sm_hlc_from_parts (ms, counter), ==, hlc);
      g_assert_cmpuint (ms, ==, hlc >> 16);
      g_assert_cmpuint (counter, ==, hlc & 0xffff);
    }
}

/* Comparing HLCs as numbers is comparing (ms, counter) as a pair. */
static void
test_parts_order (void)
{
  for (guint i = 0; i < 10000; i++)
    {
      guint64 ms_a = rand_u64 () & MAX_MS;
      guint64 ms_b = (i % 3 == 0) ? ms_a : rand_u64 () & MAX_MS;
      guint16 c_a = (guint16) g_test_rand_int ();
      guint16 c_b = (guint16) g_test_rand_int ();
      int expected = ms_a != ms_b ? cmp_u64 (ms_a, ms_b) : cmp_u64 (c_a, c_b);

      g_assert_cmpint (cmp_u64 (HLC (ms_a, c_a), HLC (ms_b, c_b)), ==, expected);
    }
}

/* ---- the clock ---- */

static void
test_now (void)
{
  guint64 before = (guint64) (g_get_real_time () / 1000);
  guint64 now = sm_hlc_now_ms ();
  guint64 after = (guint64) (g_get_real_time () / 1000);

  g_assert_cmpuint (before, <=, now);
  g_assert_cmpuint (now, <=, after);
  /* Fits the 48 bits of an HLC for a long while: until the year 10889. */
  g_assert_cmpuint (now, <=, MAX_MS);
  /* Milliseconds, not seconds or microseconds: after 2020-01-01, before 2200-01-01. */
  g_assert_cmpuint (now, >, G_GUINT64_CONSTANT (1577836800000));
  g_assert_cmpuint (now, <, G_GUINT64_CONSTANT (7258118400000));
}

static void
test_tick (void)
{
  const struct {
    const char *desc;
    SmHlc       last;
    guint64     now_ms;
    SmHlc       expected;
  } cases[] = {
    { "first write", SM_HLC_ZERO, 1000, HLC (1000, 0) },
    { "first write at time zero", SM_HLC_ZERO, 0, HLC (0, 1) },
    { "wall clock moved on", HLC (1000, 5), 1001, HLC (1001, 0) },
    { "wall clock far ahead", HLC (1000, 5), 5000000, HLC (5000000, 0) },
    { "same millisecond", HLC (1000, 0), 1000, HLC (1000, 1) },
    { "same millisecond again", HLC (1000, 5), 1000, HLC (1000, 6) },
    { "wall clock one ms behind", HLC (1000, 5), 999, HLC (1000, 6) },
    { "wall clock went far back", HLC (1000, 5), 0, HLC (1000, 6) },
    { "wall clock behind a remote clock", HLC (90000, 0xfffe), 1000, HLC (90000, 0xffff) },
    { "counter overflow rolls into next ms", HLC (1000, 0xffff), 1000, HLC (1001, 0) },
    { "counter overflow, clock behind", HLC (1000, 0xffff), 10, HLC (1001, 0) },
    { "counter overflow, clock at next ms", HLC (1000, 0xffff), 1001, HLC (1001, 0) },
    { "counter overflow, clock further on", HLC (1000, 0xffff), 1002, HLC (1002, 0) },
    { "borrowed ms, same wall ms", HLC (1001, 0), 1000, HLC (1001, 1) },
    { "largest physical time", HLC (MAX_MS, 3), MAX_MS, HLC (MAX_MS, 4) },
    { "top bit of the HLC", HLC (G_GUINT64_CONSTANT (0x7fffffffffff), 0xffff),
      G_GUINT64_CONSTANT (0x7fffffffffff), HLC (G_GUINT64_CONSTANT (0x800000000000), 0) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SmHlc h = sm_hlc_tick (cases[i].last, cases[i].now_ms);

      g_test_message ("case %u: %s", i, cases[i].desc);
      g_assert_cmphex (h, ==, cases[i].expected);
      /* DESIGN §3: h = max (last + 1, now_ms << 16). */
      g_assert_cmphex (h, ==, MAX (cases[i].last + 1, cases[i].now_ms << 16));
    }
}

/* Many writes in a row: strictly increasing, never behind the wall clock, and close to it. */
static void
test_tick_sequence (void)
{
  SmHlc last = SM_HLC_ZERO;
  guint64 wall = G_GUINT64_CONSTANT (1709251200000);
  guint64 max_wall = 0;

  for (guint i = 0; i < 200000; i++)
    {
      SmHlc h;

      /* Mostly many writes per ms, sometimes a step forward, sometimes a jump back. */
      switch (g_test_rand_int_range (0, 10))
        {
        case 0:
          wall += (guint64) g_test_rand_int_range (1, 50);
          break;
        case 1:
          wall -= (guint64) g_test_rand_int_range (0, 20);
          break;
        default:
          break;
        }
      max_wall = MAX (max_wall, wall);

      h = sm_hlc_tick (last, wall);
      g_assert_cmphex (h, >, last);
      g_assert_cmpuint (sm_hlc_get_physical_ms (h), >=, wall);
      last = h;
    }

  /* 200000 writes borrow at most 200000 / 65536 ms beyond the latest wall time seen. */
  g_assert_cmpuint (sm_hlc_get_physical_ms (last), <=, max_wall + 200000 / 0x10000 + 1);
}

/* More than 65536 writes in one millisecond spill into the following ones, in order. */
static void
test_tick_overflow (void)
{
  SmHlc last = HLC (1000, 0);

  for (guint i = 1; i <= 3 * 0x10000; i++)
    {
      SmHlc h = sm_hlc_tick (last, 1000);

      g_assert_cmphex (h, ==, last + 1);
      g_assert_cmpuint (sm_hlc_get_physical_ms (h), ==, 1000 + i / 0x10000);
      g_assert_cmpuint (sm_hlc_get_counter (h), ==, i % 0x10000);
      last = h;
    }

  /* The wall clock catches up: the counter starts from zero again once it is ahead. */
  g_assert_cmphex (sm_hlc_tick (last, 1003), ==, HLC (1003, 1));
  g_assert_cmphex (sm_hlc_tick (last, 1004), ==, HLC (1004, 0));
}

static void
test_receive (void)
{
  const struct {
    SmHlc last;
    SmHlc remote;
    SmHlc expected;
  } cases[] = {
    { SM_HLC_ZERO, SM_HLC_ZERO, SM_HLC_ZERO },
    { SM_HLC_ZERO, HLC (1000, 3), HLC (1000, 3) },
    { HLC (1000, 3), SM_HLC_ZERO, HLC (1000, 3) },
    { HLC (1000, 3), HLC (1000, 4), HLC (1000, 4) },
    { HLC (1000, 4), HLC (1000, 3), HLC (1000, 4) },
    { HLC (1000, 3), HLC (1000, 3), HLC (1000, 3) },
    { HLC (999, 0xffff), HLC (1000, 0), HLC (1000, 0) },
    { HLC (1001, 0), HLC (1000, 0xffff), HLC (1001, 0) },
    { G_GUINT64_CONSTANT (0x7fffffffffffffff), G_GUINT64_CONSTANT (0x8000000000000000),
      G_GUINT64_CONSTANT (0x8000000000000000) },
    { G_GUINT64_CONSTANT (0x8000000000000000), G_GUINT64_CONSTANT (0x7fffffffffffffff),
      G_GUINT64_CONSTANT (0x8000000000000000) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u", i);
      g_assert_cmphex (sm_hlc_receive (cases[i].last, cases[i].remote), ==, cases[i].expected);
      /* A max is symmetric. */
      g_assert_cmphex (sm_hlc_receive (cases[i].remote, cases[i].last), ==, cases[i].expected);
    }
}

/* A write made after receiving a clock comes after it, even with a lagging wall clock. */
static void
test_receive_then_tick (void)
{
  for (guint i = 0; i < 10000; i++)
    {
      SmHlc last = rand_u64 () >> 2;
      SmHlc remote = rand_u64 () >> 2;
      guint64 wall = (rand_u64 () >> 2) >> 16;
      SmHlc seen = sm_hlc_receive (last, remote);
      SmHlc h = sm_hlc_tick (seen, wall);

      g_assert_cmphex (seen, >=, last);
      g_assert_cmphex (seen, >=, remote);
      g_assert_true (seen == last || seen == remote);
      g_assert_cmphex (h, >, last);
      g_assert_cmphex (h, >, remote);
      g_assert_cmpuint (sm_hlc_get_physical_ms (h), >=, wall);
    }
}

/* ---- the text form ---- */

static void
test_format (void)
{
  const struct {
    SmHlc       hlc;
    const char *text;
  } cases[] = {
    { SM_HLC_ZERO, "0000000000000000" },
    { 1, "0000000000000001" },
    { 0xf, "000000000000000f" },
    { 0x10, "0000000000000010" },
    { 0xffff, "000000000000ffff" },
    { 0x10000, "0000000000010000" },
    { G_GUINT64_CONSTANT (0x0123456789abcdef), "0123456789abcdef" },
    { G_GUINT64_CONSTANT (0xfedcba9876543210), "fedcba9876543210" },
    { G_GUINT64_CONSTANT (0x8000000000000000), "8000000000000000" },
    { G_MAXUINT64, "ffffffffffffffff" },
    { HLC (G_GUINT64_CONSTANT (1709251200000), 7), "018df74f84000007" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char buf[SM_HLC_STRING_LEN + 2];
      g_autofree char *str = NULL;
      SmHlc parsed = 42;

      g_test_message ("case %u: %s", i, cases[i].text);

      /* The buffer's spare byte shows the terminator lands at index 16 and not later. */
      memset (buf, 'Z', sizeof buf);
      sm_hlc_format (cases[i].hlc, buf);
      g_assert_cmpstr (buf, ==, cases[i].text);
      g_assert_cmpint (buf[SM_HLC_STRING_LEN + 1], ==, 'Z');

      str = sm_hlc_to_string (cases[i].hlc);
      g_assert_cmpstr (str, ==, cases[i].text);

      g_assert_true (sm_hlc_parse (cases[i].text, &parsed));
      g_assert_cmphex (parsed, ==, cases[i].hlc);
    }
}

static void
test_round_trip (void)
{
  for (guint i = 0; i < 20000; i++)
    {
      /* Random bits, and values with long runs of zeros or ones at either end. */
      SmHlc hlc = rand_u64 ();
      g_autofree char *str = NULL;
      SmHlc parsed = 0;

      switch (i % 4)
        {
        case 1:
          hlc >>= g_test_rand_int_range (0, 64);
          break;
        case 2:
          hlc <<= g_test_rand_int_range (0, 64);
          break;
        case 3:
          hlc |= G_MAXUINT64 << g_test_rand_int_range (0, 64);
          break;
        default:
          break;
        }

      str = sm_hlc_to_string (hlc);
      g_assert_cmpuint (strlen (str), ==, SM_HLC_STRING_LEN);
      g_assert_true (is_lower_hex (str, SM_HLC_STRING_LEN));
      g_assert_true (sm_hlc_parse (str, &parsed));
      g_assert_cmphex (parsed, ==, hlc);
    }
}

static void
test_parse_invalid (void)
{
  const char *cases[] = {
    "",
    "0",
    "000000000000000",        /* 15 digits */
    "00000000000000000",      /* 17 digits */
    "0000000000000000 ",
    " 000000000000000",
    " 0000000000000000",
    "0000000000000000\n",
    "00000000 0000000",
    "000000000000000A",       /* upper case: one spelling only */
    "ABCDEF0123456789",
    "0123456789ABCDEF",
    "000000000000000g",
    "000000000000000G",
    "g000000000000000",
    "0x00000000000000",
    "0x0000000000000000",
    "+000000000000000",
    "-000000000000001",
    "+0000000000000000",
    "-0000000000000000",
    "00000000000000-1",
    "000000000000000.",
    "000000000000000:",       /* the characters just after '9' and ... */
    "000000000000000/",       /* ... just before '0' */
    "000000000000000`",       /* just before 'a' */
    "0000000000000000000000000000000",
    "ffffffffffffffff0",
    "1ffffffffffffffff",      /* would overflow 64 bits */
    "00000000000000\xc3\xa9", /* é, 16 bytes */
    "0000000000000\xef\xbc\x90",  /* fullwidth zero, 16 bytes */
    "000000000000000\xff",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *escaped = g_strescape (cases[i], NULL);
      SmHlc out = 42;

      /* Escaped: some cases are not UTF-8, and the TAP stream must be. */
      g_test_message ("case %u: “%s”", i, escaped);
      g_assert_false (sm_hlc_parse (cases[i], &out));
    }

  {
    SmHlc out = 42;

    g_assert_false (sm_hlc_parse (NULL, &out));
  }

  /* A NUL inside: the first 16 bytes are hex, but the string is shorter. */
  {
    const char embedded[] = "00000000\0" "00000000";
    SmHlc out = 42;

    g_assert_false (sm_hlc_parse (embedded, &out));
  }
}

/* The encoded strings sort exactly like the numbers (DESIGN §3). */
static void
test_string_order (void)
{
  const SmHlc edges[] = {
    0, 1, 9, 0xa, 0xf, 0x10, 0x99, 0x9a, 0xa0, 0xff, 0x100, 0xffff, 0x10000,
    G_GUINT64_CONSTANT (0x9fffffffffffffff), G_GUINT64_CONSTANT (0xa000000000000000),
    G_GUINT64_CONSTANT (0x7fffffffffffffff), G_GUINT64_CONSTANT (0x8000000000000000),
    G_MAXUINT64 - 1, G_MAXUINT64,
  };

  for (guint i = 0; i < G_N_ELEMENTS (edges); i++)
    for (guint j = 0; j < G_N_ELEMENTS (edges); j++)
      {
        char a[SM_HLC_STRING_LEN + 1];
        char b[SM_HLC_STRING_LEN + 1];

        sm_hlc_format (edges[i], a);
        sm_hlc_format (edges[j], b);
        g_assert_cmpint (sign (strcmp (a, b)), ==, cmp_u64 (edges[i], edges[j]));
      }

  for (guint i = 0; i < 20000; i++)
    {
      SmHlc x = rand_u64 ();
      SmHlc y;
      char a[SM_HLC_STRING_LEN + 1];
      char b[SM_HLC_STRING_LEN + 1];

      /* Often close together, where only the low digits differ. */
      switch (i % 3)
        {
        case 0:
          y = rand_u64 ();
          break;
        case 1:
          y = x ^ ((guint64) 1 << g_test_rand_int_range (0, 64));
          break;
        default:
          y = x + (guint64) g_test_rand_int_range (-20, 20);
          break;
        }

      sm_hlc_format (x, a);
      sm_hlc_format (y, b);
      g_assert_cmpint (sign (strcmp (a, b)), ==, cmp_u64 (x, y));
      g_assert_cmpint (sign (memcmp (a, b, SM_HLC_STRING_LEN)), ==, cmp_u64 (x, y));
    }
}

/* ---- sites ---- */

static void
test_site_random (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint digit_count[16] = { 0 };
  const guint n = 2000;

  for (guint i = 0; i < n; i++)
    {
      char *site = sm_site_new_random ();

      g_assert_nonnull (site);
      g_assert_cmpuint (strlen (site), ==, SM_SITE_STRING_LEN);
      g_assert_true (is_lower_hex (site, SM_SITE_STRING_LEN));
      g_assert_true (sm_site_is_valid (site));

      for (guint k = 0; k < SM_SITE_STRING_LEN; k++)
        digit_count[g_ascii_xdigit_value (site[k])]++;

      g_assert_false (g_hash_table_contains (seen, site));
      g_hash_table_add (seen, site);
    }

  g_assert_cmpuint (g_hash_table_size (seen), ==, n);

  /* Each of the 16 digits should turn up about n * 32 / 16 = 4000 times; a generator that
   * only fills some nibbles or some digits is far off. */
  for (guint d = 0; d < 16; d++)
    {
      g_test_message ("digit %x: %u", d, digit_count[d]);
      g_assert_cmpuint (digit_count[d], >, 3000);
      g_assert_cmpuint (digit_count[d], <, 5000);
    }
}

static void
test_site_valid (void)
{
  const struct {
    const char *text;
    gboolean    valid;
  } cases[] = {
    { "0123456789abcdef0123456789abcdef", TRUE },
    { "00000000000000000000000000000000", TRUE },
    { "ffffffffffffffffffffffffffffffff", TRUE },
    { "fedcba9876543210fedcba9876543210", TRUE },
    { "", FALSE },
    { "0", FALSE },
    { "0123456789abcdef0123456789abcde", FALSE },         /* 31 */
    { "0123456789abcdef0123456789abcdef0", FALSE },       /* 33 */
    { "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", FALSE },
    { "0123456789ABCDEF0123456789ABCDEF", FALSE },
    { "0123456789abcdef0123456789abcdeF", FALSE },
    { "0123456789abcdef0123456789abcdeg", FALSE },
    { "0123456789abcdef 123456789abcdef", FALSE },
    { " 0123456789abcdef0123456789abcde", FALSE },
    { "0123456789abcdef0123456789abcdef ", FALSE },
    { "0123456789abcdef0123456789abcdef\n", FALSE },
    { "0123456789abcdef-0123456789abcdef", FALSE },
    { "01234567-89ab-cdef-0123-456789abcdef", FALSE },    /* UUID spelling */
    { "0x23456789abcdef0123456789abcdef", FALSE },
    { "+123456789abcdef0123456789abcdef", FALSE },
    { "0123456789abcdef0123456789abcd\xc3\xa9", FALSE },
    { "0000000000000000", FALSE },                         /* an HLC is no site */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *escaped = g_strescape (cases[i].text, NULL);

      g_test_message ("case %u: “%s”", i, escaped);
      g_assert_cmpint (sm_site_is_valid (cases[i].text), ==, cases[i].valid);
    }

  g_assert_false (sm_site_is_valid (NULL));

  {
    const char embedded[] = "0123456789abcdef\0" "0123456789abcdef";

    g_assert_false (sm_site_is_valid (embedded));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/hlc/parts", test_parts);
  g_test_add_func ("/core/hlc/parts-random", test_parts_random);
  g_test_add_func ("/core/hlc/parts-order", test_parts_order);
  g_test_add_func ("/core/hlc/now", test_now);
  g_test_add_func ("/core/hlc/tick", test_tick);
  g_test_add_func ("/core/hlc/tick-sequence", test_tick_sequence);
  g_test_add_func ("/core/hlc/tick-overflow", test_tick_overflow);
  g_test_add_func ("/core/hlc/receive", test_receive);
  g_test_add_func ("/core/hlc/receive-then-tick", test_receive_then_tick);
  g_test_add_func ("/core/hlc/format", test_format);
  g_test_add_func ("/core/hlc/round-trip", test_round_trip);
  g_test_add_func ("/core/hlc/parse-invalid", test_parse_invalid);
  g_test_add_func ("/core/hlc/string-order", test_string_order);
  g_test_add_func ("/core/site/random", test_site_random);
  g_test_add_func ("/core/site/valid", test_site_valid);

  return g_test_run ();
}
