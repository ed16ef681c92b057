/* sm-change.h — one field write, the unit of sync (DESIGN §3)
 *
 * {"t": table, "id": row, "f": field, "v": value, "h": hlc, "s": site, "b": base, "g": grid}
 *
 * SmChange is a plain refcounted struct rather than a GObject: a bootstrap moves millions
 * of them. The table and field point into the static schema, so they are never freed;
 * the row and grid ids live in the change's own allocation and must not be replaced.
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "sm-hlc.h"
#include "sm-json.h"
#include "sm-schema.h"

G_BEGIN_DECLS

#define SM_CHANGE_ERROR (sm_change_error_quark ())
GQuark sm_change_error_quark (void);

typedef enum {
  SM_CHANGE_ERROR_MALFORMED,       /* not JSON, not an object or array, missing member */
  SM_CHANGE_ERROR_UNKNOWN_TABLE,
  SM_CHANGE_ERROR_UNKNOWN_FIELD,
  SM_CHANGE_ERROR_WRONG_TYPE,      /* a value of the wrong JSON type for the field */
  SM_CHANGE_ERROR_INVALID_VALUE,   /* right type, bad content (enum, date, timestamp) */
  SM_CHANGE_ERROR_BAD_HLC,
  SM_CHANGE_ERROR_BAD_SITE,
  SM_CHANGE_ERROR_BAD_ID,
  SM_CHANGE_ERROR_TOO_LARGE,       /* a string or a batch over its limit */
  SM_CHANGE_ERROR_READ_ONLY,       /* a derived field */
} SmChangeError;

/* Row ids and grid ids are at most this many bytes of [0-9A-Za-z_-]. */
#define SM_CHANGE_MAX_ID_BYTES 64
/* The most changes one batch may hold. */
#define SM_CHANGE_MAX_BATCH 100000

typedef struct {
  const SmTable *table;
  const SmField *field;
  char          *row_id;
  char          *grid_id;
  GVariant      *value;    /* NULL is JSON null; otherwise s, x or b */
  SmHlc          hlc;
  SmHlc          base;
  char           site[SM_SITE_STRING_LEN + 1];
  /*< private >*/
  gint           ref_count;
} SmChange;

#define SM_TYPE_CHANGE (sm_change_get_type ())
GType      sm_change_get_type        (void) G_GNUC_CONST;

/* Sinks a floating @value, or adds a reference to one the caller keeps, as GVariant
 * containers do. */
SmChange  *sm_change_new             (const SmField *field,
                                      const char    *row_id,
                                      const char    *grid_id,
                                      GVariant      *value,
                                      SmHlc          hlc,
                                      const char    *site,
                                      SmHlc          base);
SmChange  *sm_change_ref             (SmChange      *change);
void       sm_change_unref           (SmChange      *change);

/* Orders by (hlc, site), the total order of writes. */
int        sm_change_compare_clock   (const SmChange *a,
                                      const SmChange *b);

SmChange  *sm_change_from_json       (JsonNode      *node,
                                      GError       **error);
JsonNode  *sm_change_to_json         (const SmChange *change);

/* A batch is a GPtrArray of SmChange with sm_change_unref as its free function. */
GPtrArray *sm_change_batch_new       (void);
/* Parses a JSON array of changes; on any bad element fails as a whole, and the error
 * message names the element's index. */
GPtrArray *sm_change_batch_from_json (JsonNode      *array,
                                      GError       **error);
GPtrArray *sm_change_batch_from_data (const char    *data,
                                      gssize         length,
                                      GError       **error);
/* Refuses JSON text that json-glib would read as something else than was sent (an escaped
 * NUL in a string, an integer beyond 64 bits). Call it on any body before parsing it. */
gboolean   sm_change_check_json_text (const char    *data,
                                      gsize          length,
                                      GError       **error);
/* Reads a JSON array of changes at the reader's position, as sm_change_batch_from_json()
 * checks them, without a tree: a pull page's thousands of changes. */
GPtrArray *sm_change_batch_read      (SmJsonReader  *reader,
                                      GError       **error);
JsonNode  *sm_change_batch_to_json   (GPtrArray     *batch);
/* Appends the JSON text of @change (of @batch, an array) to @out: the text
 * sm_change_to_json() would give, without building nodes. */
void       sm_change_append_json     (const SmChange *change,
                                      GString        *out);
void       sm_change_batch_append_json (GPtrArray    *batch,
                                      GString       *out);
char      *sm_change_batch_to_data   (GPtrArray     *batch,
                                      gsize         *length);

gboolean   sm_id_is_valid            (const char    *id);
/* A new UUIDv7 (RFC 9562): 48-bit Unix milliseconds then random bits, so ids made on
 * one device sort by creation time and keep SQLite's B-tree appends local. */
char      *sm_id_new                 (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmChange, sm_change_unref)

G_END_DECLS
