/* sm-validate.h — content checks for values people type
 *
 * Chinese ID numbers (GB 11643-1999: 17 digits and a mod 11-2 check character that
 * may be X), mainland mobile numbers, ISO 8601 dates and timestamps. Every failure is a
 * GError in SM_VALIDATE_ERROR whose message, translated, says why in plain words; the
 * caller prefixes the field's label.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SM_VALIDATE_ERROR (sm_validate_error_quark ())
GQuark sm_validate_error_quark (void);

typedef enum {
  SM_VALIDATE_ERROR_ID_LENGTH,      /* not 18 characters */
  SM_VALIDATE_ERROR_ID_CHARACTERS,  /* not 17 digits followed by a digit or X */
  SM_VALIDATE_ERROR_ID_REGION,      /* the first two digits are no province code */
  SM_VALIDATE_ERROR_ID_BIRTH_DATE,  /* digits 7–14 are not a real past date */
  SM_VALIDATE_ERROR_ID_CHECKSUM,    /* the check character does not match */
  SM_VALIDATE_ERROR_ID_MISMATCH,    /* the birth date differs from the record's */
  SM_VALIDATE_ERROR_PHONE,          /* not 11 digits starting 13–19 */
  SM_VALIDATE_ERROR_DATE,           /* not YYYY-MM-DD or not a real date */
  SM_VALIDATE_ERROR_TIMESTAMP,      /* not ISO 8601 with a time zone */
} SmValidateError;

/* The GB 11643 check character ('0'–'9' or 'X') for the first 17 digits of @digits17. */
char      sm_validate_id_check_char    (const char  *digits17);

/* Validates an 18-character ID number; a lowercase x is accepted. On success, if
 * @out_birth_date is not NULL, it receives the birth date as "YYYY-MM-DD". */
gboolean  sm_validate_id_number        (const char  *text,
                                        char       **out_birth_date,
                                        GError     **error);

/* As above, and the birth date must equal @birth_date ("YYYY-MM-DD") when that is set. */
gboolean  sm_validate_id_number_birth  (const char  *text,
                                        const char  *birth_date,
                                        GError     **error);

/* The foreign permanent resident ID card of 2017: 3 capital letters then 12 digits. */
gboolean  sm_validate_foreign_pr_2017  (const char  *text,
                                        GError     **error);

gboolean  sm_validate_mobile           (const char  *text,
                                        GError     **error);

gboolean  sm_validate_date             (const char  *text,
                                        GError     **error);

/* Parses an ISO 8601 timestamp that has a time zone ("Z" or "+08:00") and returns it in
 * canonical UTC form "YYYY-MM-DDTHH:MM:SSZ" (sub-seconds dropped), or NULL with @error. */
char     *sm_validate_timestamp        (const char  *text,
                                        GError     **error);

/* Replaces the middle of a sensitive string with '*': ID numbers keep the first 6 and
 * the last 4 characters, phones the first 3 and the last 4; short strings keep less. */
char     *sm_validate_mask             (const char  *text);

G_END_DECLS
