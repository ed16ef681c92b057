/* sm-validate.c — content checks for values people type
 *
 * The messages are for the person at the keyboard: they say what is wrong in plain words
 * and, where it helps, what was expected. The caller prefixes the field's label.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-validate"

#include "sm-validate.h"

#include <glib/gi18n-lib.h>
#include <string.h>

G_DEFINE_QUARK (sm-validate-error-quark, sm_validate_error)

#define ID_NUMBER_LENGTH 18

/* GB 11643-1999: weight of each of the first 17 digits, and the check character for each
 * remainder of the weighted sum mod 11. */
static const guint8 id_weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
static const char id_check_chars[] = "10X98765432";

/* The first two digits: provinces of the mainland (GB/T 2260), 71 for Taiwan, 81–83 for
 * the residence permits of Hong Kong, Macao and Taiwan residents, and 91–96 for the 2023
 * foreign permanent resident ID card, which shares the format: 9, then the first digit of
 * the issuing province's code. */
static gboolean
is_region_code (int code)
{
  return (code >= 11 && code <= 15) || (code >= 21 && code <= 23) ||
         (code >= 31 && code <= 37) || (code >= 41 && code <= 46) ||
         (code >= 50 && code <= 54) || (code >= 61 && code <= 65) ||
         code == 71 || (code >= 81 && code <= 83) || (code >= 91 && code <= 96);
}

static int
digits_value (const char *text,
              guint       n)
{
  int value = 0;

  for (guint i = 0; i < n; i++)
    value = value * 10 + (text[i] - '0');

  return value;
}

static gboolean
all_digits (const char *text,
            gsize       n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;

  return TRUE;
}

/* Today in UTC as yyyymmdd, to refuse birth dates in the future. */
static int
today_yyyymmdd (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_get_year (now) * 10000 + g_date_time_get_month (now) * 100 +
         g_date_time_get_day_of_month (now);
}

char
sm_validate_id_check_char (const char *digits17)
{
  guint sum = 0;

  g_return_val_if_fail (digits17 != NULL, '\0');

  for (guint i = 0; i < 17; i++)
    {
      g_return_val_if_fail (g_ascii_isdigit (digits17[i]), '\0');
      sum += (guint) (digits17[i] - '0') * id_weights[i];
    }

  return id_check_chars[sum % 11];
}

gboolean
sm_validate_id_number (const char  *text,
                       char       **out_birth_date,
                       GError     **error)
{
  gsize length;
  int year, month, day;
  char check, expected;

  g_return_val_if_fail (text != NULL, FALSE);

  length = strlen (text);
  if (length != ID_NUMBER_LENGTH)
    {
      g_set_error (error, SM_VALIDATE_ERROR, SM_VALIDATE_ERROR_ID_LENGTH,
                   /* Translators: %d is the number of characters that were typed */
                   _("an ID number has 18 characters, not %d"),
                   (int) g_utf8_strlen (text, -1));
      return FALSE;
    }

  check = g_ascii_toupper (text[17]);
  if (!all_digits (text, 17) || !(g_ascii_isdigit (check) || check == 'X'))
    {
      g_set_error_literal (error, SM_VALIDATE_ERROR, SM_VALIDATE_ERROR_ID_CHARACTERS,
                           _("an ID number is 17 digits followed by a digit or X"));
      return FALSE;
    }

  if (!is_region_code (digits_value (text, 2)))
    {
      g_set_error (error, SM_VALIDATE_ERROR, SM_VALIDATE_ERROR_ID_REGION,
                   /* Translators: %.2s is the first two digits of the ID number */
                   _("an ID number cannot begin with %.2s: that is not a region code"),
                   text);
      return FALSE;
    }

  year = digits_value (text + 6, 4);
  month = digits_value (text + 10, 2);
  day = digits_value (text + 12, 2);
  if (year < 1900 || month < 1 || month > 12 || day < 1 ||
      !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year) ||
      year * 10000 + month * 100 + day > today_yyyymmdd ())
    {
      g_set_error (error, SM_VALIDATE_ERROR, SM_VALIDATE_ERROR_ID_BIRTH_DATE,
                   /* Translators: %.8s is the birth date part of the ID number, yyyymmdd */
                   _("the birth date in the ID number, %.8s, is not a real date in the past"),
                   text + 6);
      return FALSE;
    }

  expected = sm_validate_id_check_char (text);
  if (check != expected)
    {
      g_set_error_literal (error, SM_VALIDATE_ERROR, SM_VALIDATE_ERROR_ID_CHECKSUM,
                           _("the last character of the ID number does not match the others: "
                             "a digit is probably mistyped"));
      return FALSE;
    }

  if (out_birth_date != NULL)
    *out_birth_date = g_strdup_printf ("%04d-%02d-%02d", year, month, day);

  return TRUE;
}

gboolean
sm_validate_id_number_birth (const char  *text,
                             const char  *birth_date,
                             GError     **error)
{
  g_autofree char *id_birth_date = NULL;

  g_return_val_if_fail (text != NULL, FALSE);

  if (!sm_validate_id_number (text, &id_birth_date, error))
    return FALSE;

  if (birth_date != NULL && *birth_date != '\0' && strcmp (birth_date, id_birth_date) != 0)
    {
      g_set_error (error, SM_VALIDATE_ERROR, SM_VALIDATE_ERROR_ID_MISMATCH,
                   /* Translators: both are dates as yyyy-mm-dd */
                   _("the ID number gives the birth date %s, but the birth date entered is %s"),
                   id_birth_date, birth_date);
      return FALSE;
    }

  return TRUE;
}

gboolean
sm_validate_foreign_pr_2017 (const char  *text,
                             GError     **error)
{
  g_return_val_if_fail (text != NULL, FALSE);

  if (strlen (text) != 15 || !g_ascii_isupper (text[0]) || !g_ascii_isupper (text[1]) ||
      !g_ascii_isupper (text[2]) || !all_digits (text + 3, 12))
    {
      g_set_error_literal (error, SM_VALIDATE_ERROR, SM_VALIDATE_ERROR_ID_CHARACTERS,
                           _("a 2017-style foreign permanent resident ID card number has 3 capital "
                             "letters followed by 12 digits"));
      return FALSE;
    }

  return TRUE;
}

gboolean
sm_validate_mobile (const char  *text,
                    GError     **error)
{
  g_return_val_if_fail (text != NULL, FALSE);

  if (strlen (text) != 11 || !all_digits (text, 11) || text[0] != '1' || text[1] < '3')
    {
      g_set_error_literal (error, SM_VALIDATE_ERROR, SM_VALIDATE_ERROR_PHONE,
                           _("a mobile number has 11 digits and begins with 13 to 19"));
      return FALSE;
    }

  return TRUE;
}

/* Strictly "YYYY-MM-DD": dates are compared as text in SQL, so one form only. */
static gboolean
parse_date (const char *text,
            int        *out_year,
            int        *out_month,
            int        *out_day)
{
  if (strlen (text) < 10 || !all_digits (text, 4) || text[4] != '-' ||
      !all_digits (text + 5, 2) || text[7] != '-' || !all_digits (text + 8, 2))
    return FALSE;

  *out_year = digits_value (text, 4);
  *out_month = digits_value (text + 5, 2);
  *out_day = digits_value (text + 8, 2);

  return *out_year >= 1 && *out_month >= 1 && *out_month <= 12 && *out_day >= 1 &&
         g_date_valid_dmy ((GDateDay) *out_day, (GDateMonth) *out_month, (GDateYear) *out_year);
}

gboolean
sm_validate_date (const char  *text,
                  GError     **error)
{
  int year, month, day;

  g_return_val_if_fail (text != NULL, FALSE);

  if (strlen (text) != 10 || !parse_date (text, &year, &month, &day))
    {
      g_set_error (error, SM_VALIDATE_ERROR, SM_VALIDATE_ERROR_DATE,
                   /* Translators: %s is what was typed; keep YYYY-MM-DD as it is */
                   _("“%s” is not a date of the form YYYY-MM-DD"), text);
      return FALSE;
    }

  return TRUE;
}

char *
sm_validate_timestamp (const char  *text,
                       GError     **error)
{
  g_autoptr(GDateTime) parsed = NULL;
  g_autoptr(GDateTime) utc = NULL;
  int year, month, day;

  g_return_val_if_fail (text != NULL, NULL);

  /* GLib also reads week and ordinal dates; a calendar date keeps the form predictable. A
   * missing time zone is refused rather than guessed: the devices' zones may differ. */
  if (!parse_date (text, &year, &month, &day) || (text[10] != 'T' && text[10] != 't') ||
      !(parsed = g_date_time_new_from_iso8601 (text, NULL)))
    {
      g_set_error (error, SM_VALIDATE_ERROR, SM_VALIDATE_ERROR_TIMESTAMP,
                   /* Translators: %s is the value; keep the example as it is */
                   _("“%s” is not a time of the form 2026-11-01T09:30:00+08:00"), text);
      return NULL;
    }

  /* Near the ends of years 1–9999 the UTC time may fall outside what GDateTime holds. */
  if (!(utc = g_date_time_to_utc (parsed)))
    {
      g_set_error (error, SM_VALIDATE_ERROR, SM_VALIDATE_ERROR_TIMESTAMP,
                   _("“%s” is out of the range of times that can be stored"), text);
      return NULL;
    }

  /* By hand: strftime's %Y does not pad years before 1000 to four digits. */
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02dZ", g_date_time_get_year (utc),
                          g_date_time_get_month (utc), g_date_time_get_day_of_month (utc),
                          g_date_time_get_hour (utc), g_date_time_get_minute (utc),
                          g_date_time_get_second (utc));
}

char *
sm_validate_mask (const char *text)
{
  gboolean utf8;
  glong length;
  glong keep_head, keep_tail;
  GString *masked;
  const char *p;

  g_return_val_if_fail (text != NULL, NULL);

  /* Stored values are UTF-8; anything else is masked byte by byte rather than trusted. */
  utf8 = g_utf8_validate (text, -1, NULL);
  length = utf8 ? g_utf8_strlen (text, -1) : (glong) strlen (text);

  /* ID numbers keep their region and check part, phones their network prefix and the last
   * four digits people read out; anything shorter gives away less. */
  if (length >= 15)
    keep_head = 6, keep_tail = 4;
  else if (length >= 11)
    keep_head = 3, keep_tail = 4;
  else if (length >= 7)
    keep_head = 2, keep_tail = 2;
  else if (length >= 4)
    keep_head = 1, keep_tail = 1;
  else
    keep_head = 0, keep_tail = 0;

  masked = g_string_sized_new (strlen (text));
  p = text;
  for (glong i = 0; i < length; i++)
    {
      const char *next = utf8 ? g_utf8_next_char (p) : p + 1;

      if (i < keep_head || i >= length - keep_tail)
        g_string_append_len (masked, p, next - p);
      else
        g_string_append_c (masked, '*');
      p = next;
    }

  return g_string_free (masked, FALSE);
}
