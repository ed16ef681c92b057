/* sm-hlc.c — hybrid logical clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sm-hlc.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

guint64
sm_hlc_now_ms (void)
{
  return (guint64) (g_get_real_time () / 1000);
}

/* A local write: strictly after everything this replica has seen, and no earlier than
 * the wall clock. When the counter would overflow we borrow the next millisecond, which
 * keeps the order total at the cost of running a little ahead of the wall clock. */
SmHlc
sm_hlc_tick (SmHlc   last,
             guint64 now_ms)
{
  SmHlc wall = sm_hlc_from_parts (now_ms, 0);

  if (wall > last)
    return wall;

  return last + 1;
}

SmHlc
sm_hlc_receive (SmHlc last,
                SmHlc remote)
{
  return MAX (last, remote);
}

void
sm_hlc_format (SmHlc hlc,
               char  out[SM_HLC_STRING_LEN + 1])
{
  static const char digits[] = "0123456789abcdef";

  for (int i = SM_HLC_STRING_LEN - 1; i >= 0; i--)
    {
      out[i] = digits[hlc & 0xf];
      hlc >>= 4;
    }
  out[SM_HLC_STRING_LEN] = '\0';
}

char *
sm_hlc_to_string (SmHlc hlc)
{
  char *out = g_malloc (SM_HLC_STRING_LEN + 1);

  sm_hlc_format (hlc, out);
  return out;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

/* Strict: exactly 16 lowercase hex digits. Upper case is refused so that every peer
 * writes one spelling and string comparison stays equal to numeric comparison. */
gboolean
sm_hlc_parse (const char *text,
              SmHlc      *out_hlc)
{
  SmHlc value = 0;

  g_return_val_if_fail (out_hlc != NULL, FALSE);

  if (text == NULL)
    return FALSE;

  for (int i = 0; i < SM_HLC_STRING_LEN; i++)
    {
      int v = hex_value (text[i]);

      if (v < 0)
        return FALSE;
      value = (value << 4) | (guint) v;
    }

  if (text[SM_HLC_STRING_LEN] != '\0')
    return FALSE;

  *out_hlc = value;
  return TRUE;
}

char *
sm_site_new_random (void)
{
  static const char digits[] = "0123456789abcdef";
  guint8 bytes[SM_SITE_STRING_LEN / 2];
  char *site = g_malloc (SM_SITE_STRING_LEN + 1);

  /* From the kernel, not GRand: two processes forked from one must differ. */
  if (getrandom (bytes, sizeof bytes, 0) != (gssize) sizeof bytes)
    g_error ("getrandom failed: %s", g_strerror (errno));

  for (gsize i = 0; i < sizeof bytes; i++)
    {
      site[2 * i] = digits[bytes[i] >> 4];
      site[2 * i + 1] = digits[bytes[i] & 0xf];
    }
  site[SM_SITE_STRING_LEN] = '\0';

  return site;
}

gboolean
sm_site_is_valid (const char *text)
{
  if (text == NULL)
    return FALSE;

  for (int i = 0; i < SM_SITE_STRING_LEN; i++)
    if (hex_value (text[i]) < 0)
      return FALSE;

  return text[SM_SITE_STRING_LEN] == '\0';
}
