/* fuzz-sync-json.c — libFuzzer target for the JSON reader of the sync traffic
 *
 * The server reads pushed changes, and the client pulled pages, with sm-json's streaming
 * reader rather than json-glib: text from the network goes straight into it. This feeds
 * it arbitrary bytes three ways: as a batch of changes (sm_change_batch_read, what both
 * ends call), and as any value skipped with and without checking.
 *
 *   CC=clang meson setup _build-fuzz -Dfuzz=true -Dbench=false \
 *     -Db_sanitize=address,undefined -Db_lundef=false -Dc_args=-fsanitize=fuzzer-no-link
 *   ninja -C _build-fuzz tests/fuzz/fuzz-sync-json
 *   ./_build-fuzz/tests/fuzz/fuzz-sync-json -max_total_time=300 -max_len=65536 CORPUS_DIR
 *
 * (fuzzer-no-link instruments the core library too, or the fuzzer sees no coverage.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>

#include "sm-change.h"
#include "sm-json.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

typedef gboolean (*SkipFunc) (SmJsonReader      *reader,
                              const SmJsonValue *value,
                              guint             *out_count,
                              GError           **error);

static void
read_and_skip (const guint8 *data,
               size_t        size,
               SkipFunc      skip)
{
  SmJsonReader reader;
  SmJsonValue value;
  g_autoptr(GError) error = NULL;
  guint count = 0;

  sm_json_reader_init (&reader, (const char *) data, size);
  if (sm_json_reader_read (&reader, &value, NULL, &error))
    skip (&reader, &value, &count, &error);
  sm_json_reader_clear (&reader);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  SmJsonReader reader;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = NULL;

  sm_json_reader_init (&reader, (const char *) data, size);
  batch = sm_change_batch_read (&reader, &error);
  sm_json_reader_clear (&reader);

  read_and_skip (data, size, sm_json_reader_skip);
  read_and_skip (data, size, sm_json_reader_skip_unchecked);

  return 0;
}
