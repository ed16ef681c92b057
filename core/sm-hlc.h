/* sm-hlc.h — the hybrid logical clock of DESIGN §3
 *
 * An HLC is 64 bits: the upper 48 are Unix milliseconds, the lower 16 a counter that
 * orders writes made within one millisecond (or while the wall clock lags behind a
 * clock already seen). Encoded in JSON as 16 lowercase hex digits so that the string
 * sorts like the number and JavaScript peers never have to hold a 64-bit integer.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef guint64 SmHlc;

#define SM_HLC_ZERO ((SmHlc) 0)
#define SM_HLC_STRING_LEN 16

/* A site is a device's random 128-bit identifier, written as 32 lowercase hex digits. */
#define SM_SITE_STRING_LEN 32

static inline SmHlc
sm_hlc_from_parts (guint64 physical_ms, guint16 counter)
{
  return (physical_ms << 16) | counter;
}

static inline guint64
sm_hlc_get_physical_ms (SmHlc hlc)
{
  return hlc >> 16;
}

static inline guint16
sm_hlc_get_counter (SmHlc hlc)
{
  return (guint16) (hlc & 0xffff);
}

guint64   sm_hlc_now_ms      (void);
SmHlc     sm_hlc_tick        (SmHlc       last,
                              guint64     now_ms);
SmHlc     sm_hlc_receive     (SmHlc       last,
                              SmHlc       remote);
void      sm_hlc_format      (SmHlc       hlc,
                              char        out[SM_HLC_STRING_LEN + 1]);
char     *sm_hlc_to_string   (SmHlc       hlc);
gboolean  sm_hlc_parse       (const char *text,
                              SmHlc      *out_hlc);

char     *sm_site_new_random (void);
gboolean  sm_site_is_valid   (const char *text);

G_END_DECLS
