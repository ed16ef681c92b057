/* sm-schema.h — the data model of DESIGN §2, as data
 *
 * Every table and field is one row of C data in sm-schema.c. The store derives its SQL
 * from it, the change codec its type checks, the UI its labels. A field's index in its
 * table is stored on disk (in the packed field clocks), so fields are only ever appended.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SM_SCHEMA_ERROR (sm_schema_error_quark ())
GQuark sm_schema_error_quark (void);

typedef enum {
  SM_SCHEMA_ERROR_UNKNOWN_TABLE,
  SM_SCHEMA_ERROR_UNKNOWN_FIELD,
  SM_SCHEMA_ERROR_WRONG_TYPE,
  SM_SCHEMA_ERROR_INVALID_VALUE,
  SM_SCHEMA_ERROR_REQUIRED,
  SM_SCHEMA_ERROR_READ_ONLY,
  SM_SCHEMA_ERROR_TOO_LONG,
} SmSchemaError;

typedef enum {
  SM_FIELD_TEXT,
  SM_FIELD_INT,
  SM_FIELD_BOOL,
  SM_FIELD_DATE,       /* "YYYY-MM-DD" */
  SM_FIELD_TIMESTAMP,  /* ISO 8601, stored canonical as UTC "YYYY-MM-DDTHH:MM:SSZ" */
  SM_FIELD_ENUM,       /* one of SmField.enum_values */
  SM_FIELD_REF,        /* the id of a row of SmField.ref_table */
} SmFieldType;

typedef enum {
  SM_FIELD_FLAG_NONE      = 0,
  SM_FIELD_FLAG_REQUIRED  = 1 << 0, /* must be set when a record is created locally */
  SM_FIELD_FLAG_SENSITIVE = 1 << 1, /* never logged, masked in lists */
  SM_FIELD_FLAG_DERIVED   = 1 << 2, /* computed by each replica, never written by a change */
  SM_FIELD_FLAG_INDEXED   = 1 << 3, /* the store keeps an SQL index on it */
  SM_FIELD_FLAG_TAG       = 1 << 4, /* a difficulty tag (boolean) */
  SM_FIELD_FLAG_SYSTEM    = 1 << 5, /* grid_id and _deleted, present in every table */
} SmFieldFlags;

/* Extra validation for text fields, applied to local writes. */
typedef enum {
  SM_CHECK_NONE,
  SM_CHECK_ID_NUMBER,  /* checked against the record's id_type */
  SM_CHECK_MOBILE,
} SmFieldCheck;

typedef enum {
  SM_TABLE_MUTABLE,      /* any field may be written any time */
  SM_TABLE_APPEND_ONLY,  /* each field written once, at creation; only _deleted later */
  SM_TABLE_OFFICE,       /* written by office users */
  SM_TABLE_SERVER,       /* created by the server (conflicts) */
} SmWritePattern;

typedef struct _SmTable SmTable;

typedef struct {
  const char         *name;         /* snake_case, the SQL column and JSON "f" */
  SmFieldType         type;
  SmFieldFlags        flags;
  SmFieldCheck        check;
  const char * const *enum_values;  /* NULL-terminated, for SM_FIELD_ENUM */
  const char * const *enum_labels;  /* N_() msgids, parallel to enum_values */
  const char         *ref_table;    /* for SM_FIELD_REF */
  const char         *label;        /* N_() msgid; translate with sm_field_get_label() */
  guint               index;        /* position in the table, stable on disk */
  const SmTable      *table;
} SmField;

struct _SmTable {
  const char     *name;
  const char     *label;            /* N_() msgid */
  SmWritePattern  pattern;
  const SmField  *fields;
  guint           n_fields;
  guint           index;            /* position in sm_schema_get_tables() */
};

/* The largest text value a change may carry, in bytes. */
#define SM_SCHEMA_MAX_TEXT_BYTES (64 * 1024)

/* The two system fields every table starts with. */
#define SM_FIELD_INDEX_GRID_ID 0
#define SM_FIELD_INDEX_DELETED 1

const SmTable  *sm_schema_get_tables      (guint         *n_tables);
const SmTable  *sm_schema_lookup_table    (const char    *name);
const SmField  *sm_table_lookup_field     (const SmTable *table,
                                           const char    *name);
gboolean        sm_table_is_append_only   (const SmTable *table);

const char     *sm_table_get_label        (const SmTable *table);
const char     *sm_field_get_label        (const SmField *field);
const char     *sm_field_get_enum_label   (const SmField *field,
                                           const char    *value);
gboolean        sm_field_has_enum_value   (const SmField *field,
                                           const char    *value);

/* Checks that @value (NULL meaning JSON null) has the field's type and, for enums, dates
 * and timestamps, a valid form. Returns the canonical value to store (a new reference;
 * NULL with no error for null). Errors name the field in the user's language. */
gboolean        sm_field_check_value      (const SmField *field,
                                           GVariant      *value,
                                           GVariant     **out_canonical,
                                           GError       **error);

/* The stricter checks of a local write: sm_field_check_value() plus content checks
 * (mobile numbers; ID numbers against @id_type, the record's id_type if known). */
gboolean        sm_field_validate_local   (const SmField *field,
                                           GVariant      *value,
                                           const char    *id_type,
                                           GVariant     **out_canonical,
                                           GError       **error);

/* Masks a sensitive value for lists: "110105********1234", "138****5678". */
char           *sm_field_mask_value       (const SmField *field,
                                           const char    *value);

/* Values compare equal if both are null or both have the same type and contents. */
gboolean        sm_value_equal            (GVariant      *a,
                                           GVariant      *b);

G_END_DECLS
