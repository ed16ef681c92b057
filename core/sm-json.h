/* sm-json.h — a strict streaming JSON reader and writer for the bulk of sync
 *
 * json-glib builds a tree of nodes, one allocation per value and member, then a generator
 * or a walk over it: for a pull page of thousands of changes that tree is most of the
 * cost. This reads JSON text token by token, straight into the caller's structures, and
 * writes it straight into a GString. The small parts of the protocol (login, errors) stay
 * with json-glib.
 *
 * The reader takes exactly RFC 8259 JSON, and refuses what json-glib would silently
 * alter (see sm_change_check_json_text()): an escaped NUL in a string, an integer beyond
 * 64 bits. Strings come out as valid UTF-8 without NUL. Nesting is limited to
 * SM_JSON_MAX_DEPTH. Errors are SM_CHANGE_ERROR_MALFORMED (SM_CHANGE_ERROR_INVALID_VALUE
 * for the two silent changes), as json-glib's were for the change codec.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SM_JSON_MAX_DEPTH 64

typedef enum {
  SM_JSON_NULL,
  SM_JSON_BOOLEAN,
  SM_JSON_INT,
  SM_JSON_DOUBLE,
  SM_JSON_STRING,
  SM_JSON_ARRAY,
  SM_JSON_OBJECT,
} SmJsonType;

typedef struct {
  SmJsonType  type;
  /* STRING: NUL-terminated; in the GString given to sm_json_reader_read() at
   * @offset, or else in the reader's own buffer until the next read. */
  const char *string;
  gsize       length;
  gsize       offset;
  gint64      integer;   /* INT */
  gboolean    boolean;   /* BOOLEAN */
} SmJsonValue;

typedef struct {
  /*< private >*/
  const char *p;
  const char *end;
  GString    *scratch;
  guint       depth;
  gboolean    failed;                    /* the text is not JSON, or not exact JSON */
  gboolean    first[SM_JSON_MAX_DEPTH];  /* no member or element read yet at this depth */
} SmJsonReader;

void      sm_json_reader_init         (SmJsonReader  *reader,
                                       const char    *data,
                                       gsize          length);
void      sm_json_reader_clear        (SmJsonReader  *reader);
/* Where the reader is in the text: with sm_json_reader_skip(), a value's span. */
const char *sm_json_reader_get_position (SmJsonReader *reader);

/* Reads one value: a scalar whole; of an array or an object only its opening bracket,
 * then sm_json_reader_next_element() or sm_json_reader_next_member() read its content.
 * A string is appended to @strings when given (followed by a NUL). */
gboolean  sm_json_reader_read         (SmJsonReader  *reader,
                                       SmJsonValue   *value,
                                       GString       *strings,
                                       GError       **error);
/* In an object: the next member's name in *@name (valid until the next read), its value
 * to be read next; or *@name NULL at the end of the object. */
gboolean  sm_json_reader_next_member  (SmJsonReader  *reader,
                                       const char   **name,
                                       GError       **error);
/* In an array: *@more TRUE when an element follows, to be read next; FALSE at its end. */
gboolean  sm_json_reader_next_element (SmJsonReader  *reader,
                                       gboolean      *more,
                                       GError       **error);
/* Skips the rest of @value (nothing for a scalar), checking it; counts the elements of an
 * array in @out_count. */
gboolean  sm_json_reader_skip         (SmJsonReader  *reader,
                                       const SmJsonValue *value,
                                       guint         *out_count,
                                       GError       **error);
/* Skips as sm_json_reader_skip() does, but checks only that brackets match, not the
 * grammar nor the text of strings: for a value read again later, which checks it. Much
 * faster (memchr() finds the end of a string). */
gboolean  sm_json_reader_skip_unchecked (SmJsonReader *reader,
                                       const SmJsonValue *value,
                                       guint         *out_count,
                                       GError       **error);
/* Whether an error came from the text itself rather than from what the caller made of
 * a value. */
gboolean  sm_json_reader_failed       (SmJsonReader  *reader);
/* Only whitespace is left. */
gboolean  sm_json_reader_end          (SmJsonReader  *reader,
                                       GError       **error);

/* Write at @out, which has room for SM_JSON_STRING_MAX (strlen (@text)) or
 * SM_JSON_INT_MAX bytes, and return the end of what they wrote. */
#define SM_JSON_STRING_MAX(length) (2 + 6 * (length))
#define SM_JSON_INT_MAX 20
char     *sm_json_write_string        (char          *out,
                                       const char    *text);
char     *sm_json_write_int           (char          *out,
                                       gint64         value);

/* @text must be valid UTF-8. */
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SmJsonReader, sm_json_reader_clear)

void      sm_json_append_string       (GString       *out,
                                       const char    *text);
void      sm_json_append_int          (GString       *out,
                                       gint64         value);

G_END_DECLS
