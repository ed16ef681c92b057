/* test-merge.c — the merge rule, packed field clocks and the derived demand status
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "sm-demand-status.h"
#include "sm-field-clocks.h"
#include "sm-hlc.h"
#include "sm-merge.h"
#include "sm-schema.h"

#define SITE_0 "00000000000000000000000000000000"
#define SITE_A "0123456789abcdef0123456789abcdef"
#define SITE_B "3333333333333333333333333333333a"
#define SITE_C "fedcba9876543210fedcba9876543210"

static int
sign (int v)
{
  return (v > 0) - (v < 0);
}

static SmFieldClock
make_clock (SmHlc       hlc,
            const char *site,
            SmHlc       base)
{
  SmFieldClock clock = { hlc, base, "" };

  g_assert_true (strlen (site) <= SM_SITE_STRING_LEN);
  strcpy (clock.site, site);
  return clock;
}

/* ---- sm_merge_compare ---- */

static void
test_compare (void)
{
  const struct {
    SmHlc       ha;
    const char *sa;
    SmHlc       hb;
    const char *sb;
    int         expected;
  } cases[] = {
    { 1, SITE_A, 2, SITE_A, -1 },
    { 2, SITE_A, 1, SITE_A, 1 },
    { 7, SITE_A, 7, SITE_B, -1 },
    { 7, SITE_C, 7, SITE_B, 1 },
    { 7, SITE_A, 7, SITE_A, 0 },
    { 7, SITE_0, 7, SITE_A, -1 },
    /* The clock decides before the site. */
    { 1, SITE_C, 2, SITE_0, -1 },
    { 2, SITE_0, 1, SITE_C, 1 },
    /* Unsigned 64-bit order, not truncated to int. */
    { G_GUINT64_CONSTANT (0x8000000000000000), SITE_0,
      G_GUINT64_CONSTANT (0x7fffffffffffffff), SITE_C, 1 },
    { G_GUINT64_CONSTANT (0x100000000), SITE_0, 1, SITE_0, 1 },
    { 1, SITE_0, G_GUINT64_CONSTANT (0x100000001), SITE_0, -1 },
    { G_MAXUINT64, SITE_A, G_MAXUINT64, SITE_A, 0 },
    /* An unwritten clock has an empty site. */
    { 0, "", 0, "", 0 },
    { 0, "", 0, SITE_0, -1 },
    { 0, NULL, 0, "", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u", i);
      g_assert_cmpint (sign (sm_merge_compare (cases[i].ha, cases[i].sa, cases[i].hb, cases[i].sb)),
                       ==, cases[i].expected);
      g_assert_cmpint (sign (sm_merge_compare (cases[i].hb, cases[i].sb, cases[i].ha, cases[i].sa)),
                       ==, -cases[i].expected);
    }
}

/* ---- sm_merge_decide ---- */

static void
test_decide (void)
{
  const struct {
    const char      *desc;
    gboolean         have_current;
    SmHlc            current_hlc;
    const char      *current_site;
    SmHlc            hlc;
    const char      *site;
    SmMergeDecision  expected;
  } cases[] = {
    { "no current value", FALSE, 0, "", 5, SITE_A, SM_MERGE_TAKE },
    { "unwritten current value", TRUE, 0, "", 5, SITE_A, SM_MERGE_TAKE },
    { "unwritten, smallest write", TRUE, 0, "", 1, SITE_0, SM_MERGE_TAKE },
    { "greater clock", TRUE, 5, SITE_C, 6, SITE_0, SM_MERGE_TAKE },
    { "smaller clock", TRUE, 5, SITE_0, 4, SITE_C, SM_MERGE_KEEP },
    { "equal clock, greater site", TRUE, 5, SITE_A, 5, SITE_B, SM_MERGE_TAKE },
    { "equal clock, smaller site", TRUE, 5, SITE_B, 5, SITE_A, SM_MERGE_KEEP },
    { "exact duplicate", TRUE, 5, SITE_B, 5, SITE_B, SM_MERGE_DUPLICATE },
    { "top bit set", TRUE, G_GUINT64_CONSTANT (0x7fffffffffffffff), SITE_C,
      G_GUINT64_CONSTANT (0x8000000000000000), SITE_0, SM_MERGE_TAKE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SmFieldClock current = make_clock (cases[i].current_hlc, cases[i].current_site, 0);

      g_test_message ("case %u: %s", i, cases[i].desc);
      g_assert_cmpint (sm_merge_decide (cases[i].have_current ? &current : NULL,
                                        cases[i].hlc, cases[i].site),
                       ==, cases[i].expected);
    }
}

/* The base of the current value plays no part in who wins. */
static void
test_decide_ignores_base (void)
{
  for (SmHlc base = 0; base < 10; base++)
    {
      SmFieldClock current = make_clock (5, SITE_B, base);

      g_assert_cmpint (sm_merge_decide (&current, 6, SITE_A), ==, SM_MERGE_TAKE);
      g_assert_cmpint (sm_merge_decide (&current, 4, SITE_C), ==, SM_MERGE_KEEP);
      g_assert_cmpint (sm_merge_decide (&current, 5, SITE_B), ==, SM_MERGE_DUPLICATE);
    }
}

/* ---- sm_merge_is_conflict ---- */

static void
test_is_conflict (void)
{
  const struct {
    const char *desc;
    SmHlc       winner_hlc;
    SmHlc       winner_base;
    const char *winner_value;   /* NULL is null */
    SmHlc       loser_hlc;
    const char *loser_value;
    gboolean    expected;
  } cases[] = {
    { "concurrent, different values", 10, 0, "Wang", 8, "Li", TRUE },
    { "concurrent, same values", 10, 0, "Wang", 8, "Wang", FALSE },
    { "concurrent, base just before loser", 10, 7, "Wang", 8, "Li", TRUE },
    { "winner saw the loser", 10, 8, "Wang", 8, "Li", FALSE },
    { "winner saw a later value", 10, 9, "Wang", 8, "Li", FALSE },
    { "unwritten loser", 10, 0, "Wang", 0, NULL, FALSE },
    { "unwritten loser with a value", 10, 0, "Wang", 0, "Li", FALSE },
    { "null against a value", 10, 0, NULL, 8, "Li", TRUE },
    { "a value against null", 10, 0, "Wang", 8, NULL, TRUE },
    { "both null", 10, 0, NULL, 8, NULL, FALSE },
    { "empty text is not null", 10, 0, "", 8, NULL, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SmFieldClock winner = make_clock (cases[i].winner_hlc, SITE_A, cases[i].winner_base);
      SmFieldClock loser = make_clock (cases[i].loser_hlc, cases[i].loser_hlc ? SITE_B : "", 0);
      g_autoptr(GVariant) wv = NULL;
      g_autoptr(GVariant) lv = NULL;

      if (cases[i].winner_value)
        wv = g_variant_ref_sink (g_variant_new_string (cases[i].winner_value));
      if (cases[i].loser_value)
        lv = g_variant_ref_sink (g_variant_new_string (cases[i].loser_value));

      g_test_message ("case %u: %s", i, cases[i].desc);
      g_assert_cmpint (sm_merge_is_conflict (&winner, wv, &loser, lv), ==, cases[i].expected);
    }
}

static void
test_is_conflict_types (void)
{
  SmFieldClock winner = make_clock (10, SITE_A, 0);
  SmFieldClock loser = make_clock (8, SITE_B, 0);
  g_autoptr(GVariant) i3 = g_variant_ref_sink (g_variant_new_int64 (3));
  g_autoptr(GVariant) i3b = g_variant_ref_sink (g_variant_new_int64 (3));
  g_autoptr(GVariant) i4 = g_variant_ref_sink (g_variant_new_int64 (4));
  g_autoptr(GVariant) t = g_variant_ref_sink (g_variant_new_boolean (TRUE));
  g_autoptr(GVariant) f = g_variant_ref_sink (g_variant_new_boolean (FALSE));
  g_autoptr(GVariant) s3 = g_variant_ref_sink (g_variant_new_string ("3"));

  g_assert_false (sm_merge_is_conflict (&winner, i3, &loser, i3b));
  g_assert_true (sm_merge_is_conflict (&winner, i3, &loser, i4));
  g_assert_true (sm_merge_is_conflict (&winner, t, &loser, f));
  g_assert_false (sm_merge_is_conflict (&winner, t, &loser, t));
  g_assert_true (sm_merge_is_conflict (&winner, i3, &loser, s3));
}

/* ---- the merge as a fold: order does not matter ---- */

typedef struct {
  SmFieldClock clock;
  gint         value;
} Write;

static const char * const property_sites[] = { SITE_0, SITE_A, SITE_B, SITE_C };

/* Writes from few clocks and sites, so that ties of hlc and exact duplicates are common.
 * One (hlc, site) is one write, so its value and base follow from it. */
static Write
random_write (GRand *rand)
{
  Write w;
  guint s = (guint) g_rand_int_range (rand, 0, G_N_ELEMENTS (property_sites));
  SmHlc hlc = (SmHlc) g_rand_int_range (rand, 1, 5);

  if (g_rand_int_range (rand, 0, 8) == 0)
    hlc |= G_GUINT64_CONSTANT (0x8000000000000000);

  w.clock = make_clock (hlc, property_sites[s], (hlc * 7 + s) % hlc);
  w.value = (gint) ((hlc & 0xff) * 10 + s);
  return w;
}

/* Merges @w into @current exactly as a replica does. Returns FALSE if a write that is not
 * the current one was called a duplicate. */
static gboolean
merge_into (Write       *current,
            const Write *w)
{
  switch (sm_merge_decide (&current->clock, w->clock.hlc, w->clock.site))
    {
    case SM_MERGE_TAKE:
      *current = *w;
      return TRUE;
    case SM_MERGE_DUPLICATE:
      return current->clock.hlc == w->clock.hlc && strcmp (current->clock.site, w->clock.site) == 0;
    case SM_MERGE_KEEP:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
same_write (const Write *a,
            const Write *b)
{
  return a->clock.hlc == b->clock.hlc && a->clock.base == b->clock.base &&
         strcmp (a->clock.site, b->clock.site) == 0 && a->value == b->value;
}

static const Write *
oracle_max (const Write *w,
            guint        n)
{
  const Write *best = &w[0];

  for (guint i = 1; i < n; i++)
    if (w[i].clock.hlc > best->clock.hlc ||
        (w[i].clock.hlc == best->clock.hlc && strcmp (w[i].clock.site, best->clock.site) > 0))
      best = &w[i];

  return best;
}

static guint32
property_seed (void)
{
  const char *env = g_getenv ("SM_TEST_SEED");

  if (env != NULL && *env != '\0')
    return (guint32) g_ascii_strtoull (env, NULL, 10);

  return (guint32) g_test_rand_int ();
}

static void
test_property_order (void)
{
  static const guint perms[6][3] = {
    { 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 }, { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
  };
  guint32 seed = property_seed ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint n_ties = 0, n_duplicates = 0;

  g_test_message ("seed %u (set SM_TEST_SEED to repeat)", seed);

  for (guint trial = 0; trial < 10000; trial++)
    {
      Write w[3];
      Write reference;
      const Write *expected;

      for (guint i = 0; i < 3; i++)
        w[i] = random_write (rand);

      expected = oracle_max (w, 3);
      n_ties += w[0].clock.hlc == w[1].clock.hlc;
      n_duplicates += same_write (&w[0], &w[1]);

      for (guint p = 0; p < G_N_ELEMENTS (perms); p++)
        {
          Write seq = { { 0, 0, "" }, 0 };
          Write twice = { { 0, 0, "" }, 0 };
          Write grouped, right, left;
          gboolean ok = TRUE;

          /* Every arrival order. */
          for (guint i = 0; i < 3; i++)
            ok &= merge_into (&seq, &w[perms[p][i]]);

          /* Idempotent: each write delivered twice, the second copy late. */
          for (guint i = 0; i < 3; i++)
            ok &= merge_into (&twice, &w[perms[p][i]]);
          for (guint i = 0; i < 3; i++)
            ok &= merge_into (&twice, &w[perms[p][(i + 1) % 3]]);

          /* Associative: (a · b) · c against a · (b · c). */
          grouped = w[perms[p][0]];
          ok &= merge_into (&grouped, &w[perms[p][1]]);
          ok &= merge_into (&grouped, &w[perms[p][2]]);
          right = w[perms[p][1]];
          ok &= merge_into (&right, &w[perms[p][2]]);
          left = w[perms[p][0]];
          ok &= merge_into (&left, &right);

          if (p == 0)
            reference = seq;

          if (!ok || !same_write (&seq, expected) || !same_write (&seq, &reference) ||
              !same_write (&twice, &seq) || !same_write (&grouped, &seq) ||
              !same_write (&left, &seq))
            {
              g_test_fail_printf ("seed %u, trial %u, order %u%u%u: the winner is wrong or "
                                  "depends on the order of the writes",
                                  seed, trial, perms[p][0], perms[p][1], perms[p][2]);
              return;
            }
        }
    }

  /* The generator must actually produce the hard cases. */
  g_assert_cmpuint (n_ties, >, 1000);
  g_assert_cmpuint (n_duplicates, >, 100);
}

/* ---- packed field clocks ---- */

static void
assert_clocks_equal (const SmFieldClock *a,
                     const SmFieldClock *b,
                     guint               n)
{
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpuint (a[i].hlc, ==, b[i].hlc);
      g_assert_cmpuint (a[i].base, ==, b[i].base);
      g_assert_cmpstr (a[i].site, ==, b[i].site);
    }
}

#define N_FIELDS 20

static void
fill_sample_clocks (SmFieldClock clocks[N_FIELDS])
{
  memset (clocks, 0, N_FIELDS * sizeof *clocks);
  /* Sites first seen in reverse order: C, then A, then B. */
  clocks[0] = make_clock (G_GUINT64_CONSTANT (0x0190f2a17c3e0001), SITE_C, 0);
  clocks[2] = make_clock (G_GUINT64_CONSTANT (0x0190f2a17c3e0002), SITE_A,
                          G_GUINT64_CONSTANT (0x0190f2a17c3e0001));
  clocks[3] = make_clock (G_MAXUINT64, SITE_C, G_MAXUINT64 - 1);
  clocks[7] = make_clock (G_GUINT64_CONSTANT (0x8000000000000000), SITE_B, 1);
  clocks[8] = make_clock (1, SITE_0, 0);
  clocks[N_FIELDS - 1] = make_clock (0x1234, SITE_A, 0x1233);
}

static void
test_clocks_round_trip (void)
{
  SmFieldClock clocks[N_FIELDS], back[N_FIELDS];
  g_autoptr(GByteArray) out = g_byte_array_new ();
  const guint n_written = 6, n_sites = 4;

  fill_sample_clocks (clocks);
  sm_field_clocks_encode (clocks, N_FIELDS, out);

  g_assert_cmpuint (out->len, ==, 2 + n_sites * 16 + n_written * 18);
  g_assert_cmpuint (out->data[0], ==, 2);
  g_assert_cmpuint (out->data[1], ==, n_sites);

  memset (back, 0xaa, sizeof back);
  g_assert_true (sm_field_clocks_decode (out->data, out->len, back, N_FIELDS));
  assert_clocks_equal (clocks, back, N_FIELDS);

  /* The site table is sorted, whatever order the fields met the sites in. */
  {
    const guint8 *sites = out->data + 2;

    for (guint i = 1; i < n_sites; i++)
      g_assert_cmpint (memcmp (sites + (i - 1) * 16, sites + i * 16, 16), <, 0);
    g_assert_cmpuint (sites[0], ==, 0x00);   /* SITE_0 */
    g_assert_cmpuint (sites[16], ==, 0x01);  /* SITE_A */
    g_assert_cmpuint (sites[17], ==, 0x23);
    g_assert_cmpuint (sites[48], ==, 0xfe);  /* SITE_C */
  }

  /* Fields in index order, hlc and base little-endian. */
  {
    const guint8 *entry = out->data + 2 + n_sites * 16;

    g_assert_cmpuint (entry[0], ==, 0);
    g_assert_cmpuint (entry[1], ==, 3);  /* SITE_C */
    g_assert_cmpuint (entry[2], ==, 0x01);
    g_assert_cmpuint (entry[9], ==, 0x01);
    g_assert_cmpuint (entry[18], ==, 2);
    g_assert_cmpuint (entry[19], ==, 1);  /* SITE_A */
  }

  /* The output is cleared first. */
  {
    g_autoptr(GByteArray) again = g_byte_array_new ();

    g_byte_array_append (again, (const guint8 *) "junk", 4);
    sm_field_clocks_encode (clocks, N_FIELDS, again);
    g_assert_cmpmem (again->data, again->len, out->data, out->len);
  }
}

/* Hand-made blobs that list the same clocks' sites in each of the six orders decode to the
 * same clocks, and encoding those gives one canonical blob. */
static void
test_clocks_canonical (void)
{
  static const guint perms[6][3] = {
    { 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 }, { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
  };
  static const guint8 site_bytes[3][16] = {
    { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
      0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef },   /* SITE_A */
    { 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33,
      0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x3a },   /* SITE_B */
    { 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10,
      0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10 },   /* SITE_C */
  };
  /* field index, site (0 A, 1 B, 2 C), hlc, base */
  static const struct { guint8 field, site; guint64 hlc, base; } entries[] = {
    { 1, 2, 100, 0 }, { 4, 0, 101, 100 }, { 5, 1, 102, 0 }, { 9, 2, 103, 99 },
  };
  const guint n_fields = 10;
  SmFieldClock expected[10], decoded[10];
  g_autoptr(GByteArray) canonical = g_byte_array_new ();

  memset (expected, 0, sizeof expected);
  expected[1] = make_clock (100, SITE_C, 0);
  expected[4] = make_clock (101, SITE_A, 100);
  expected[5] = make_clock (102, SITE_B, 0);
  expected[9] = make_clock (103, SITE_C, 99);
  sm_field_clocks_encode (expected, n_fields, canonical);

  for (guint p = 0; p < G_N_ELEMENTS (perms); p++)
    {
      g_autoptr(GByteArray) blob = g_byte_array_new ();
      g_autoptr(GByteArray) reencoded = g_byte_array_new ();
      guint8 header[2] = { 2, 3 };
      guint position[3];

      g_byte_array_append (blob, header, 2);
      for (guint i = 0; i < 3; i++)
        {
          g_byte_array_append (blob, site_bytes[perms[p][i]], 16);
          position[perms[p][i]] = i;
        }
      for (guint e = 0; e < G_N_ELEMENTS (entries); e++)
        {
          guint8 entry[18];

          entry[0] = entries[e].field;
          entry[1] = (guint8) position[entries[e].site];
          for (guint b = 0; b < 8; b++)
            {
              entry[2 + b] = (guint8) (entries[e].hlc >> (8 * b));
              entry[10 + b] = (guint8) (entries[e].base >> (8 * b));
            }
          g_byte_array_append (blob, entry, sizeof entry);
        }

      g_test_message ("site order %u%u%u", perms[p][0], perms[p][1], perms[p][2]);
      g_assert_true (sm_field_clocks_decode (blob->data, blob->len, decoded, n_fields));
      assert_clocks_equal (expected, decoded, n_fields);

      sm_field_clocks_encode (decoded, n_fields, reencoded);
      g_assert_cmpmem (reencoded->data, reencoded->len, canonical->data, canonical->len);
      if (p == 0)
        g_assert_cmpmem (blob->data, blob->len, canonical->data, canonical->len);
    }
}

static void
test_clocks_unwritten (void)
{
  SmFieldClock clocks[N_FIELDS], back[N_FIELDS];
  g_autoptr(GByteArray) out = g_byte_array_new ();

  memset (clocks, 0, sizeof clocks);
  sm_field_clocks_encode (clocks, N_FIELDS, out);
  g_assert_cmpuint (out->len, ==, 2);
  g_assert_cmpuint (out->data[0], ==, 2);
  g_assert_cmpuint (out->data[1], ==, 0);

  memset (back, 0xaa, sizeof back);
  g_assert_true (sm_field_clocks_decode (out->data, out->len, back, N_FIELDS));
  assert_clocks_equal (clocks, back, N_FIELDS);

  /* One written field among unwritten ones: only it is stored. */
  clocks[7] = make_clock (42, SITE_B, 41);
  sm_field_clocks_encode (clocks, N_FIELDS, out);
  g_assert_cmpuint (out->len, ==, 2 + 16 + 18);
  g_assert_cmpuint (out->data[1], ==, 1);
  g_assert_cmpuint (out->data[2 + 16], ==, 7);
  g_assert_cmpuint (out->data[2 + 16 + 1], ==, 0);

  memset (back, 0xaa, sizeof back);
  g_assert_true (sm_field_clocks_decode (out->data, out->len, back, N_FIELDS));
  assert_clocks_equal (clocks, back, N_FIELDS);
}

static void
test_clocks_empty (void)
{
  SmFieldClock back[N_FIELDS], zero[N_FIELDS];
  const guint8 nothing[1] = { 0 };

  memset (zero, 0, sizeof zero);

  memset (back, 0xaa, sizeof back);
  g_assert_true (sm_field_clocks_decode (NULL, 0, back, N_FIELDS));
  g_assert_cmpmem (back, sizeof back, zero, sizeof zero);

  memset (back, 0xaa, sizeof back);
  g_assert_true (sm_field_clocks_decode (nothing, 0, back, N_FIELDS));
  g_assert_cmpmem (back, sizeof back, zero, sizeof zero);
}

static void
test_clocks_malformed (void)
{
  SmFieldClock clocks[N_FIELDS], back[N_FIELDS];
  g_autoptr(GByteArray) good = g_byte_array_new ();
  const gsize header = 2 + 4 * 16;

  fill_sample_clocks (clocks);
  sm_field_clocks_encode (clocks, N_FIELDS, good);
  g_assert_true (sm_field_clocks_decode (good->data, good->len, back, N_FIELDS));

  /* Truncated anywhere inside the header, the site table or an entry. Truncation exactly
   * between two entries cannot be seen: the format stores no entry count. */
  for (gsize len = 1; len < good->len; len++)
    {
      if (len >= header && (len - header) % 18 == 0)
        continue;

      g_test_message ("truncated to %" G_GSIZE_FORMAT " bytes", len);
      g_assert_false (sm_field_clocks_decode (good->data, len, back, N_FIELDS));
    }

  /* Trailing garbage shorter than an entry. */
  {
    g_autoptr(GByteArray) longer = g_byte_array_new ();

    g_byte_array_append (longer, good->data, good->len);
    g_byte_array_append (longer, (const guint8 *) "\x01\x02\x03", 3);
    g_assert_false (sm_field_clocks_decode (longer->data, longer->len, back, N_FIELDS));
  }

  /* Version 1 (no shared clocks) is still read; versions other than 1 and 2 are not. */
  {
    g_autoptr(GByteArray) old = g_byte_array_new ();

    g_byte_array_append (old, good->data, good->len);
    old->data[0] = 1;
    g_assert_true (sm_field_clocks_decode (old->data, old->len, back, N_FIELDS));
    assert_clocks_equal (clocks, back, N_FIELDS);
  }
  {
    const guint8 versions[] = { 0, 3, 0xff };

    for (guint i = 0; i < G_N_ELEMENTS (versions); i++)
      {
        g_autoptr(GByteArray) bad = g_byte_array_new ();

        g_byte_array_append (bad, good->data, good->len);
        bad->data[0] = versions[i];
        g_assert_false (sm_field_clocks_decode (bad->data, bad->len, back, N_FIELDS));
      }
  }

  /* A site count larger than the data holds. */
  {
    g_autoptr(GByteArray) bad = g_byte_array_new ();

    g_byte_array_append (bad, good->data, good->len);
    bad->data[1] = 0xff;
    g_assert_false (sm_field_clocks_decode (bad->data, bad->len, back, N_FIELDS));
  }

  /* Field index out of range: the last field index passes, one more fails. */
  {
    g_autoptr(GByteArray) bad = g_byte_array_new ();
    gsize last = good->len - 18;

    g_byte_array_append (bad, good->data, good->len);
    g_assert_cmpuint (bad->data[last], ==, N_FIELDS - 1);
    g_assert_true (sm_field_clocks_decode (bad->data, bad->len, back, N_FIELDS));
    g_assert_false (sm_field_clocks_decode (bad->data, bad->len, back, N_FIELDS - 1));
    bad->data[last] = N_FIELDS;
    g_assert_false (sm_field_clocks_decode (bad->data, bad->len, back, N_FIELDS));
    bad->data[last] = 0xff;
    g_assert_false (sm_field_clocks_decode (bad->data, bad->len, back, N_FIELDS));
  }

  /* Site index out of range. */
  {
    g_autoptr(GByteArray) bad = g_byte_array_new ();

    g_byte_array_append (bad, good->data, good->len);
    bad->data[header + 1] = 3;
    g_assert_true (sm_field_clocks_decode (bad->data, bad->len, back, N_FIELDS));
    bad->data[header + 1] = 4;
    g_assert_false (sm_field_clocks_decode (bad->data, bad->len, back, N_FIELDS));
    bad->data[header + 1] = 0xff;
    g_assert_false (sm_field_clocks_decode (bad->data, bad->len, back, N_FIELDS));
  }

  /* Entries with no sites at all. */
  {
    const guint8 no_sites[2 + 18] = { 1, 0, 3, 0, 1 };

    g_assert_false (sm_field_clocks_decode (no_sites, sizeof no_sites, back, N_FIELDS));
  }
}

/* Fields written together share one clock, stored once. */
static void
test_clocks_shared (void)
{
  SmFieldClock clocks[N_FIELDS], back[N_FIELDS];
  g_autoptr(GByteArray) out = g_byte_array_new ();

  memset (clocks, 0, sizeof clocks);
  for (guint f = 0; f < 5; f++)
    clocks[f] = make_clock (0x500, SITE_A, 0x400);
  clocks[5] = make_clock (0x500, SITE_B, 0x400);  /* same clock, other site: still shared */
  clocks[6] = make_clock (0x501, SITE_A, 0x400);  /* a later write: whole again */
  clocks[7] = make_clock (0x501, SITE_A, 0x400);

  sm_field_clocks_encode (clocks, N_FIELDS, out);
  /* header, 2 sites, then field 0 whole, 1–5 shared, 6 whole, 7 shared */
  g_assert_cmpuint (out->len, ==, 2 + 2 * 16 + 18 + 5 * 2 + 18 + 2);
  g_assert_cmpuint (out->data[2 + 32 + 18 + 1], ==, 0x80 | 0);
  g_assert_cmpuint (out->data[2 + 32 + 18 + 4 * 2 + 1], ==, 0x80 | 1);

  memset (back, 0xaa, sizeof back);
  g_assert_true (sm_field_clocks_decode (out->data, out->len, back, N_FIELDS));
  assert_clocks_equal (clocks, back, N_FIELDS);

  /* A shared clock with nothing before it to share is malformed. */
  {
    const guint8 orphan[] = { 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0x80 };

    g_assert_false (sm_field_clocks_decode (orphan, sizeof orphan, back, N_FIELDS));
  }

  /* Version 1 has no shared clocks: the flag bit there is a bad site index. */
  out->data[0] = 1;
  g_assert_false (sm_field_clocks_decode (out->data, out->len, back, N_FIELDS));
}

/* Every field of the real schema fits: indices are stored in one byte. */
static void
test_clocks_schema_fields (void)
{
  guint n_tables;
  const SmTable *tables = sm_schema_get_tables (&n_tables);

  for (guint t = 0; t < n_tables; t++)
    {
      g_autofree SmFieldClock *clocks = g_new0 (SmFieldClock, tables[t].n_fields);
      g_autofree SmFieldClock *back = g_new0 (SmFieldClock, tables[t].n_fields);
      g_autoptr(GByteArray) out = g_byte_array_new ();

      g_assert_cmpuint (tables[t].n_fields, <, 256);
      for (guint f = 0; f < tables[t].n_fields; f++)
        clocks[f] = make_clock (1000 + f, property_sites[f % G_N_ELEMENTS (property_sites)], f);

      sm_field_clocks_encode (clocks, tables[t].n_fields, out);
      g_assert_true (sm_field_clocks_decode (out->data, out->len, back, tables[t].n_fields));
      assert_clocks_equal (clocks, back, tables[t].n_fields);
    }
}

/* ---- the derived demand status ---- */

static const char * const all_statuses[] = {
  "reported", "accepted", "handling", "supervising", "resolved", "evaluated",
};

static const char * const all_actions[] = {
  "report", "accept", "handle", "escalate", "supervise", "resolve", "evaluate", "reopen",
  "comment", "delete", "",
};

/* The transition table of DESIGN §2, written out again here so that the test does not
 * read it from the code it checks. Anything not listed is refused. */
static const struct {
  const char *from;
  const char *action;
  const char *satisfaction;
  const char *to;
} valid_transitions[] = {
  { "reported", "accept", NULL, "accepted" },
  { "reported", "handle", NULL, "handling" },
  { "accepted", "handle", NULL, "handling" },
  { "reported", "escalate", NULL, "handling" },
  { "accepted", "escalate", NULL, "handling" },
  { "handling", "escalate", NULL, "handling" },
  { "supervising", "escalate", NULL, "supervising" },
  { "reported", "supervise", NULL, "supervising" },
  { "accepted", "supervise", NULL, "supervising" },
  { "handling", "supervise", NULL, "supervising" },
  { "reported", "resolve", NULL, "resolved" },
  { "accepted", "resolve", NULL, "resolved" },
  { "handling", "resolve", NULL, "resolved" },
  { "supervising", "resolve", NULL, "resolved" },
  { "resolved", "evaluate", "satisfied", "evaluated" },
  { "resolved", "evaluate", "basic", "evaluated" },
  { "resolved", "evaluate", "unsatisfied", "handling" },
  { "resolved", "reopen", NULL, "handling" },
  { "evaluated", "reopen", NULL, "handling" },
};

static const char *
expected_transition (const char *from,
                     const char *action,
                     const char *satisfaction)
{
  for (guint i = 0; i < G_N_ELEMENTS (valid_transitions); i++)
    if (g_str_equal (valid_transitions[i].from, from) &&
        g_str_equal (valid_transitions[i].action, action) &&
        (valid_transitions[i].satisfaction == NULL ||
         g_strcmp0 (valid_transitions[i].satisfaction, satisfaction) == 0))
      return valid_transitions[i].to;

  return NULL;
}

static void
test_status_table (void)
{
  const char *satisfactions[] = { "satisfied", "basic", "unsatisfied" };

  for (guint i = 0; i < G_N_ELEMENTS (valid_transitions); i++)
    {
      g_test_message ("%s --%s--> %s", valid_transitions[i].from, valid_transitions[i].action,
                      valid_transitions[i].to);
      g_assert_cmpstr (sm_demand_status_transition (valid_transitions[i].from,
                                                    valid_transitions[i].action,
                                                    valid_transitions[i].satisfaction),
                       ==, valid_transitions[i].to);
    }

  /* The whole matrix, so that nothing outside the table is allowed. */
  for (guint s = 0; s < G_N_ELEMENTS (all_statuses); s++)
    for (guint a = 0; a < G_N_ELEMENTS (all_actions); a++)
      for (guint q = 0; q < G_N_ELEMENTS (satisfactions); q++)
        {
          const char *expected = expected_transition (all_statuses[s], all_actions[a],
                                                      satisfactions[q]);

          g_test_message ("%s --%s (%s)--> %s", all_statuses[s], all_actions[a],
                          satisfactions[q], expected ? expected : "(refused)");
          g_assert_cmpstr (sm_demand_status_transition (all_statuses[s], all_actions[a],
                                                        satisfactions[q]), ==, expected);
        }
}

static void
test_status_invalid (void)
{
  const struct { const char *from, *action, *satisfaction; } cases[] = {
    { "resolved", "accept", NULL },
    { "handling", "evaluate", "satisfied" },
    { "handling", "accept", NULL },
    { "handling", "handle", NULL },
    { "supervising", "supervise", NULL },
    { "supervising", "handle", NULL },
    { "evaluated", "evaluate", "unsatisfied" },
    { "evaluated", "resolve", NULL },
    { "reported", "reopen", NULL },
    { "reported", "evaluate", "satisfied" },
    /* report and comment never move the status */
    { "reported", "report", NULL },
    { "handling", "report", NULL },
    { "resolved", "comment", NULL },
    { "reported", "comment", NULL },
    /* unknown names */
    { "closed", "resolve", NULL },
    { "", "resolve", NULL },
    { "reported", "Resolve", NULL },
    { "reported", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u", i);
      g_assert_null (sm_demand_status_transition (cases[i].from, cases[i].action,
                                                  cases[i].satisfaction));
    }
}

/* An evaluation with no satisfaction recorded is not a complaint. */
static void
test_status_evaluate_without_satisfaction (void)
{
  g_assert_cmpstr (sm_demand_status_transition ("resolved", "evaluate", NULL), ==, "evaluated");
}

#define EV(h, s, act, sat, when) { (h), (s), (act), (sat), (when) }

static void
test_derive_empty (void)
{
  SmDemandState state = { "garbage", "garbage" };
  SmDemandEvent report[] = { EV (1, SITE_A, "report", NULL, "2026-11-24T00:00:00Z") };

  sm_demand_status_derive (NULL, 0, &state);
  g_assert_cmpstr (state.status, ==, "reported");
  g_assert_null (state.responded_at);

  state.status = "garbage";
  state.responded_at = "garbage";
  sm_demand_status_derive (report, G_N_ELEMENTS (report), &state);
  g_assert_cmpstr (state.status, ==, "reported");
  g_assert_null (state.responded_at);
}

/* Replays @events in the order given, with the expected table above. */
static const char *
replay_in_order (const SmDemandEvent *events,
                 guint                n)
{
  const char *status = "reported";

  for (guint i = 0; i < n; i++)
    {
      const char *to = expected_transition (status, events[i].action, events[i].satisfaction);

      if (to != NULL)
        status = to;
    }

  return status;
}

static void
test_derive_shuffled (void)
{
  /* Listed in (hlc, site) order; two events share a clock and differ by site. */
  const SmDemandEvent sorted[] = {
    EV (10, SITE_A, "report", NULL, "2026-11-24T00:00:00Z"),
    EV (11, SITE_B, "comment", NULL, "2026-11-24T00:01:00Z"),
    EV (12, SITE_A, "accept", NULL, "2026-11-24T00:02:00Z"),
    EV (12, SITE_C, "handle", NULL, "2026-11-24T00:03:00Z"),
    EV (13, SITE_B, "accept", NULL, "2026-11-24T00:04:00Z"),   /* refused: handling */
    EV (14, SITE_A, "supervise", NULL, "2026-11-24T00:05:00Z"),
    EV (15, SITE_C, "resolve", NULL, "2026-11-24T00:06:00Z"),
    EV (16, SITE_A, "evaluate", "unsatisfied", "2026-11-24T00:07:00Z"),
    EV (17, SITE_B, "handle", NULL, "2026-11-24T00:08:00Z"),   /* refused: handling */
    EV (18, SITE_C, "resolve", NULL, "2026-11-24T00:09:00Z"),
    EV (19, SITE_A, "evaluate", "satisfied", "2026-11-24T00:10:00Z"),
    EV (20, SITE_B, "comment", NULL, "2026-11-24T00:11:00Z"),
  };
  const guint n = G_N_ELEMENTS (sorted);
  SmDemandEvent events[G_N_ELEMENTS (sorted)];
  SmDemandState state;
  guint32 seed = property_seed ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  g_assert_cmpstr (replay_in_order (sorted, n), ==, "evaluated");

  memcpy (events, sorted, sizeof sorted);
  sm_demand_status_derive (events, n, &state);
  g_assert_cmpstr (state.status, ==, "evaluated");
  g_assert_cmpstr (state.responded_at, ==, "2026-11-24T00:02:00Z");

  /* The sort leaves the events in clock order. */
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (events[i].at, ==, sorted[i].at);

  g_test_message ("seed %u (set SM_TEST_SEED to repeat)", seed);
  for (guint trial = 0; trial < 2000; trial++)
    {
      memcpy (events, sorted, sizeof sorted);
      for (guint i = n - 1; i > 0; i--)
        {
          guint j = (guint) g_rand_int_range (rand, 0, (gint32) i + 1);
          SmDemandEvent tmp = events[i];

          events[i] = events[j];
          events[j] = tmp;
        }

      sm_demand_status_derive (events, n, &state);
      if (g_strcmp0 (state.status, "evaluated") != 0 ||
          g_strcmp0 (state.responded_at, "2026-11-24T00:02:00Z") != 0)
        {
          g_test_fail_printf ("seed %u, trial %u: derived %s, responded at %s", seed, trial,
                              state.status, state.responded_at);
          return;
        }
    }

  /* Without the last two events the unsatisfied evaluation has reopened the demand, and
   * every prefix of the history agrees with the table. */
  for (guint k = 1; k <= n; k++)
    {
      memcpy (events, sorted, sizeof sorted);
      /* Reverse the prefix so that derive has to sort it. */
      for (guint i = 0; i < k / 2; i++)
        {
          SmDemandEvent tmp = events[i];

          events[i] = events[k - 1 - i];
          events[k - 1 - i] = tmp;
        }
      sm_demand_status_derive (events, k, &state);
      g_test_message ("first %u events: %s", k, state.status);
      g_assert_cmpstr (state.status, ==, replay_in_order (sorted, k));
    }
}

/* An offline worker's "handle" that reaches the replica after the office's "resolve". */
static void
test_derive_late_handle (void)
{
  SmDemandState state;

  {
    /* Written before the resolve (older clock), delivered after it. */
    SmDemandEvent events[] = {
      EV (10, SITE_A, "report", NULL, "2026-11-24T00:00:00Z"),
      EV (30, SITE_B, "resolve", NULL, "2026-11-24T02:00:00Z"),
      EV (20, SITE_C, "handle", NULL, "2026-11-24T01:00:00Z"),
    };

    sm_demand_status_derive (events, G_N_ELEMENTS (events), &state);
    g_assert_cmpstr (state.status, ==, "resolved");
    g_assert_cmpstr (state.responded_at, ==, "2026-11-24T01:00:00Z");
  }

  {
    /* Written after the resolve: not valid from resolved, so it stays a note. */
    SmDemandEvent events[] = {
      EV (10, SITE_A, "report", NULL, "2026-11-24T00:00:00Z"),
      EV (30, SITE_B, "resolve", NULL, "2026-11-24T02:00:00Z"),
      EV (40, SITE_C, "handle", NULL, "2026-11-24T03:00:00Z"),
      EV (41, SITE_C, "accept", NULL, "2026-11-24T03:01:00Z"),
      EV (42, SITE_C, "supervise", NULL, "2026-11-24T03:02:00Z"),
    };

    sm_demand_status_derive (events, G_N_ELEMENTS (events), &state);
    g_assert_cmpstr (state.status, ==, "resolved");
    g_assert_cmpstr (state.responded_at, ==, "2026-11-24T02:00:00Z");
  }

  {
    /* Same clock, the site breaks the tie the same way everywhere. */
    SmDemandEvent a[] = {
      EV (30, SITE_C, "handle", NULL, "2026-11-24T01:00:00Z"),
      EV (30, SITE_B, "resolve", NULL, "2026-11-24T02:00:00Z"),
    };
    SmDemandEvent b[] = {
      EV (30, SITE_B, "resolve", NULL, "2026-11-24T02:00:00Z"),
      EV (30, SITE_C, "handle", NULL, "2026-11-24T01:00:00Z"),
    };
    SmDemandState sa, sb;

    sm_demand_status_derive (a, G_N_ELEMENTS (a), &sa);
    sm_demand_status_derive (b, G_N_ELEMENTS (b), &sb);
    g_assert_cmpstr (sa.status, ==, "resolved");
    g_assert_cmpstr (sb.status, ==, "resolved");
  }
}

static void
test_derive_responded_at (void)
{
  const struct {
    const char    *desc;
    SmDemandEvent  events[4];
    guint          n;
    const char    *status;
    const char    *responded_at;
  } cases[] = {
    { "accept", {
        EV (1, SITE_A, "report", NULL, "T0"),
        EV (2, SITE_A, "accept", NULL, "T1"),
      }, 2, "accepted", "T1" },
    { "handle before a later-listed accept", {
        EV (1, SITE_A, "report", NULL, "T0"),
        EV (5, SITE_A, "accept", NULL, "T2"),
        EV (3, SITE_B, "handle", NULL, "T1"),
      }, 3, "handling", "T1" },
    { "escalate", {
        EV (1, SITE_A, "report", NULL, "T0"),
        EV (2, SITE_A, "escalate", NULL, "T1"),
        EV (3, SITE_A, "resolve", NULL, "T2"),
      }, 3, "resolved", "T1" },
    { "resolve on the spot", {
        EV (1, SITE_A, "report", NULL, "T0"),
        EV (2, SITE_A, "resolve", NULL, "T1"),
      }, 2, "resolved", "T1" },
    { "supervise is no response", {
        EV (1, SITE_A, "report", NULL, "T0"),
        EV (2, SITE_A, "supervise", NULL, "T1"),
        EV (3, SITE_A, "escalate", NULL, "T2"),
        EV (4, SITE_A, "resolve", NULL, "T3"),
      }, 4, "resolved", "T3" },
    { "comment is no response", {
        EV (1, SITE_A, "report", NULL, "T0"),
        EV (2, SITE_A, "comment", NULL, "T1"),
      }, 2, "reported", NULL },
    { "a refused accept is no response", {
        EV (1, SITE_A, "report", NULL, "T0"),
        EV (2, SITE_A, "supervise", NULL, "T1"),
        EV (3, SITE_A, "accept", NULL, "T2"),
      }, 3, "supervising", NULL },
    { "the first response stays after a reopen", {
        EV (1, SITE_A, "report", NULL, "T0"),
        EV (2, SITE_A, "accept", NULL, "T1"),
        EV (3, SITE_A, "resolve", NULL, "T2"),
        EV (4, SITE_A, "reopen", NULL, "T3"),
      }, 4, "handling", "T1" },
    { "equal clocks ordered by site", {
        EV (1, SITE_A, "report", NULL, "T0"),
        EV (2, SITE_C, "handle", NULL, "T2"),
        EV (2, SITE_B, "accept", NULL, "T1"),
      }, 3, "handling", "T1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SmDemandEvent events[4];
      SmDemandState state;

      g_test_message ("case %u: %s", i, cases[i].desc);
      memcpy (events, cases[i].events, sizeof events);
      sm_demand_status_derive (events, cases[i].n, &state);
      g_assert_cmpstr (state.status, ==, cases[i].status);
      g_assert_cmpstr (state.responded_at, ==, cases[i].responded_at);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/merge/compare", test_compare);
  g_test_add_func ("/core/merge/decide", test_decide);
  g_test_add_func ("/core/merge/decide-ignores-base", test_decide_ignores_base);
  g_test_add_func ("/core/merge/conflict", test_is_conflict);
  g_test_add_func ("/core/merge/conflict-types", test_is_conflict_types);
  g_test_add_func ("/core/merge/property-order", test_property_order);
  g_test_add_func ("/core/merge/clocks/round-trip", test_clocks_round_trip);
  g_test_add_func ("/core/merge/clocks/canonical", test_clocks_canonical);
  g_test_add_func ("/core/merge/clocks/unwritten", test_clocks_unwritten);
  g_test_add_func ("/core/merge/clocks/empty", test_clocks_empty);
  g_test_add_func ("/core/merge/clocks/malformed", test_clocks_malformed);
  g_test_add_func ("/core/merge/clocks/shared", test_clocks_shared);
  g_test_add_func ("/core/merge/clocks/schema-fields", test_clocks_schema_fields);
  g_test_add_func ("/core/merge/demand-status/table", test_status_table);
  g_test_add_func ("/core/merge/demand-status/invalid", test_status_invalid);
  g_test_add_func ("/core/merge/demand-status/evaluate-without-satisfaction",
                   test_status_evaluate_without_satisfaction);
  g_test_add_func ("/core/merge/demand-status/derive-empty", test_derive_empty);
  g_test_add_func ("/core/merge/demand-status/derive-shuffled", test_derive_shuffled);
  g_test_add_func ("/core/merge/demand-status/late-handle", test_derive_late_handle);
  g_test_add_func ("/core/merge/demand-status/responded-at", test_derive_responded_at);

  return g_test_run ();
}
