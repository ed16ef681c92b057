/* sm-demo.h — a deterministic demo community
 *
 * Grids, compounds of the five kinds, buildings, households (a mix of new and existing
 * residents, about 10% with difficulty tags), residents with common Chinese names,
 * well-formed mobile numbers and checksum-valid ID numbers, and a history of visits,
 * demands and demand events. The same options always give the same changes, byte for
 * byte: ids, values and clocks all come from the seed.
 */
#pragma once

#include "sm-change.h"
#include "sm-store.h"

G_BEGIN_DECLS

typedef struct {
  guint32     seed;
  guint       n_grids;
  guint       n_households;  /* in all, spread over the grids */
  gint64      now_unix;      /* "today" for the history, in Unix seconds */
  const char *site;          /* stamped on every change; 32 hex digits */
  guint       chunk_size;    /* changes handed over at a time */
} SmDemoOptions;

/* 4 grids, 400 households, seed 1, now = 2026-11-01T09:00:00+08:00, chunk 10,000. */
void      sm_demo_options_init   (SmDemoOptions  *options);

/* The grid ids the demo uses: "grid-01", "grid-02", … */
char     *sm_demo_grid_id        (guint           index);

/* Called with each chunk of changes, in an order that creates referenced records first.
 * Return FALSE with @error set to stop. */
typedef gboolean (*SmDemoChunkFunc) (GPtrArray  *changes,
                                     gpointer    user_data,
                                     GError    **error);

gboolean  sm_demo_generate       (const SmDemoOptions *options,
                                  SmDemoChunkFunc      func,
                                  gpointer             user_data,
                                  GError             **error);

/* Generates into @store through sm_store_apply(), one transaction per chunk. */
gboolean  sm_demo_populate_store (SmStore             *store,
                                  const SmDemoOptions *options,
                                  GError             **error);

G_END_DECLS
