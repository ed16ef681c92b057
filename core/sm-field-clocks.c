/* sm-field-clocks.c — packed field clocks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sm-field-clocks.h"

#include <string.h>

/* Version 2 writes a field's hlc and base only when they differ from the previous
 * written field's, flagged in the site byte: the fields of a record written together
 * share one clock, and a record's row shrinks by 16 bytes for each of them. Version 1
 * (every entry whole) is still read. */
#define CLOCKS_VERSION 2
#define SITE_BYTES (SM_SITE_STRING_LEN / 2)
#define ENTRY_BYTES (1 + 1 + 8 + 8)
#define SAME_CLOCK 0x80

static int
hex_nibble (char c)
{
  return c <= '9' ? c - '0' : c - 'a' + 10;
}

static void
site_to_bytes (const char *site,
               guint8      out[SITE_BYTES])
{
  for (guint i = 0; i < SITE_BYTES; i++)
    out[i] = (guint8) ((hex_nibble (site[2 * i]) << 4) | hex_nibble (site[2 * i + 1]));
}

static void
site_from_bytes (const guint8 in[SITE_BYTES],
                 char         site[SM_SITE_STRING_LEN + 1])
{
  static const char digits[] = "0123456789abcdef";

  for (guint i = 0; i < SITE_BYTES; i++)
    {
      site[2 * i] = digits[in[i] >> 4];
      site[2 * i + 1] = digits[in[i] & 0xf];
    }
  site[SM_SITE_STRING_LEN] = '\0';
}

static void
put_u64 (guint8  *p,
         guint64  v)
{
  for (int i = 0; i < 8; i++)
    p[i] = (guint8) (v >> (8 * i));
}

static guint64
get_u64 (const guint8 *p)
{
  guint64 v = 0;

  for (int i = 7; i >= 0; i--)
    v = (v << 8) | p[i];
  return v;
}

void
sm_field_clocks_encode (const SmFieldClock *clocks,
                        guint               n_fields,
                        GByteArray         *out)
{
  const char *sites[256];
  guint n_sites = 0;
  guint8 header[2];

  g_assert (n_fields < 256);
  /* The site index shares its byte with the SAME_CLOCK flag. */
  G_STATIC_ASSERT (SAME_CLOCK == 0x80);

  g_byte_array_set_size (out, 0);

  /* Distinct sites in sorted order; a record has few fields, so insertion sort. */
  for (guint f = 0; f < n_fields; f++)
    {
      guint pos;
      gboolean seen = FALSE;

      if (clocks[f].hlc == SM_HLC_ZERO)
        continue;

      for (pos = 0; pos < n_sites; pos++)
        {
          int cmp = strcmp (clocks[f].site, sites[pos]);

          if (cmp == 0)
            seen = TRUE;
          if (cmp <= 0)
            break;
        }
      if (seen)
        continue;

      memmove (&sites[pos + 1], &sites[pos], (n_sites - pos) * sizeof sites[0]);
      sites[pos] = clocks[f].site;
      n_sites++;
    }

  header[0] = CLOCKS_VERSION;
  header[1] = (guint8) n_sites;
  g_byte_array_append (out, header, 2);

  for (guint i = 0; i < n_sites; i++)
    {
      guint8 bytes[SITE_BYTES];

      site_to_bytes (sites[i], bytes);
      g_byte_array_append (out, bytes, SITE_BYTES);
    }

  for (guint f = 0, previous = G_MAXUINT; f < n_fields; f++)
    {
      guint8 entry[ENTRY_BYTES];
      guint s = 0;
      gboolean same;

      if (clocks[f].hlc == SM_HLC_ZERO)
        continue;

      while (strcmp (sites[s], clocks[f].site) != 0)
        s++;

      same = previous != G_MAXUINT && clocks[previous].hlc == clocks[f].hlc &&
             clocks[previous].base == clocks[f].base;
      entry[0] = (guint8) f;
      entry[1] = (guint8) (s | (same ? SAME_CLOCK : 0));
      put_u64 (entry + 2, clocks[f].hlc);
      put_u64 (entry + 10, clocks[f].base);
      g_byte_array_append (out, entry, same ? 2 : ENTRY_BYTES);
      previous = f;
    }
}

gboolean
sm_field_clocks_decode (const guint8 *data,
                        gsize         length,
                        SmFieldClock *clocks,
                        guint         n_fields)
{
  guint n_sites;
  const guint8 *sites;
  const guint8 *p, *end;

  memset (clocks, 0, n_fields * sizeof *clocks);

  if (data == NULL || length == 0)
    return TRUE;

  if (length < 2 || (data[0] != 1 && data[0] != CLOCKS_VERSION))
    return FALSE;

  n_sites = data[1];
  if (n_sites >= SAME_CLOCK || length < 2 + (gsize) n_sites * SITE_BYTES)
    return FALSE;

  sites = data + 2;
  p = sites + n_sites * SITE_BYTES;
  end = data + length;

  for (const SmFieldClock *previous = NULL; p < end;)
    {
      guint f, s;
      gboolean same;

      if (end - p < 2)
        return FALSE;
      f = p[0];
      s = p[1] & ~SAME_CLOCK;
      same = data[0] != 1 && (p[1] & SAME_CLOCK) != 0;
      if (f >= n_fields || s >= n_sites || (same && previous == NULL))
        return FALSE;

      if (same)
        {
          clocks[f].hlc = previous->hlc;
          clocks[f].base = previous->base;
          p += 2;
        }
      else
        {
          if (end - p < ENTRY_BYTES)
            return FALSE;
          clocks[f].hlc = get_u64 (p + 2);
          clocks[f].base = get_u64 (p + 10);
          p += ENTRY_BYTES;
        }
      site_from_bytes (sites + s * SITE_BYTES, clocks[f].site);
      previous = &clocks[f];
    }

  return TRUE;
}
