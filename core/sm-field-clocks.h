/* sm-field-clocks.h — a record's field clocks packed into one blob
 *
 * Stored in each record's _clocks column so that a merge reads and writes a record once
 * instead of once per field. The encoding is canonical (sites sorted, fields in index
 * order, unwritten fields left out), so equal clocks give equal bytes:
 *
 *   u8 version (2), u8 n_sites, n_sites × 16-byte site,
 *   then per written field: u8 field index, u8 site index (bit 7 set: same hlc and base
 *   as the previous written field, which then follow not), u64 hlc LE, u64 base LE
 */
#pragma once

#include <glib.h>

#include "sm-merge.h"

G_BEGIN_DECLS

/* Appends the encoding of @clocks[0..n_fields) to @out (which is cleared first). */
void      sm_field_clocks_encode (const SmFieldClock *clocks,
                                  guint               n_fields,
                                  GByteArray         *out);

/* Fills @clocks[0..n_fields) (unwritten fields zeroed). FALSE if @data is malformed or
 * names a field index ≥ @n_fields. */
gboolean  sm_field_clocks_decode (const guint8       *data,
                                  gsize               length,
                                  SmFieldClock       *clocks,
                                  guint               n_fields);

G_END_DECLS
