/* test-validate.c — ID numbers, mobile numbers, dates, timestamps and masking
 *
 * Valid ID numbers are built here with their own GB 11643 check character, computed by
 * the test rather than by the code under test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "sm-validate.h"

/* Appends the mod 11-2 check character to 17 digits. */
static char *
make_id (const char *digits17)
{
  static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
  int sum = 0;

  g_assert_cmpuint (strlen (digits17), ==, 17);
  for (int i = 0; i < 17; i++)
    sum += (digits17[i] - '0') * weights[i];

  return g_strdup_printf ("%s%c", digits17, "10X98765432"[sum % 11]);
}

static void
test_id_check_char (void)
{
  /* The example of GB 11643-1999 itself, whose check character is X. */
  g_assert_cmpint (sm_validate_id_check_char ("11010519491231002"), ==, 'X');

  for (int i = 0; i < 200; i++)
    {
      g_autofree char *digits = g_strdup_printf ("3101041990%02d%02d%03d", 1 + i % 12, 1 + i % 28, i);
      g_autofree char *id = make_id (digits);

      g_assert_cmpint (sm_validate_id_check_char (digits), ==, id[17]);
    }
}

static void
test_id_valid (void)
{
  g_autofree char *with_x = make_id ("11010519491231002");
  g_autofree char *lower_x = g_ascii_strdown (with_x, -1);
  g_autofree char *hmt = make_id ("81000019900101123");
  g_autofree char *birth = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (sm_validate_id_number (with_x, &birth, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (birth, ==, "1949-12-31");

  g_assert_true (sm_validate_id_number (lower_x, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sm_validate_id_number (hmt, NULL, &error));
  g_assert_no_error (error);
}

static void
test_id_invalid (void)
{
  g_autofree char *good = make_id ("11010519900307123");
  g_autofree char *bad_check = g_strdup (good);
  g_autofree char *bad_region = make_id ("99010519900307123");
  g_autofree char *feb30 = make_id ("11010519900230123");
  g_autofree char *future = make_id ("11010530000101123");
  g_autofree char *too_old = make_id ("11010518500101123");
  g_autofree char *month13 = make_id ("11010519901301123");
  struct {
    const char *text;
    SmValidateError code;
  } cases[] = {
    { "", SM_VALIDATE_ERROR_ID_LENGTH },
    { "1101051990030712", SM_VALIDATE_ERROR_ID_LENGTH },
    { "1101051990030712345", SM_VALIDATE_ERROR_ID_LENGTH },
    { "一二三四五六七八九十一二三四五六", SM_VALIDATE_ERROR_ID_LENGTH },
    { "11010519900307123Y", SM_VALIDATE_ERROR_ID_CHARACTERS },
    { "1101051990030712X3", SM_VALIDATE_ERROR_ID_CHARACTERS },
    { "A10105199003071234", SM_VALIDATE_ERROR_ID_CHARACTERS },
    { " 1010519900307123X", SM_VALIDATE_ERROR_ID_CHARACTERS },
    { bad_region, SM_VALIDATE_ERROR_ID_REGION },
    { feb30, SM_VALIDATE_ERROR_ID_BIRTH_DATE },
    { future, SM_VALIDATE_ERROR_ID_BIRTH_DATE },
    { too_old, SM_VALIDATE_ERROR_ID_BIRTH_DATE },
    { month13, SM_VALIDATE_ERROR_ID_BIRTH_DATE },
    { bad_check, SM_VALIDATE_ERROR_ID_CHECKSUM },
  };

  /* Any other check character is wrong. */
  bad_check[17] = bad_check[17] == '0' ? '1' : '0';

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *birth = NULL;

      g_test_message ("case %u: %s", i, cases[i].text);
      g_assert_false (sm_validate_id_number (cases[i].text, &birth, &error));
      g_assert_error (error, SM_VALIDATE_ERROR, (int) cases[i].code);
      g_assert_null (birth);
      g_assert_cmpstr (error->message, !=, "");
    }

  /* Every single-digit typo in a valid number is caught by the checksum or the date. */
  for (int pos = 0; pos < 17; pos++)
    {
      g_autofree char *typo = g_strdup (good);
      g_autoptr(GError) error = NULL;

      typo[pos] = typo[pos] == '9' ? '0' : typo[pos] + 1;
      g_assert_false (sm_validate_id_number (typo, NULL, &error));
      g_assert_nonnull (error);
    }
}

static void
test_id_birth (void)
{
  g_autofree char *id = make_id ("32010219850615004");
  g_autoptr(GError) error = NULL;

  g_assert_true (sm_validate_id_number_birth (id, "1985-06-15", &error));
  g_assert_no_error (error);
  g_assert_true (sm_validate_id_number_birth (id, NULL, &error));
  g_assert_true (sm_validate_id_number_birth (id, "", &error));
  g_assert_no_error (error);

  g_assert_false (sm_validate_id_number_birth (id, "1985-06-16", &error));
  g_assert_error (error, SM_VALIDATE_ERROR, SM_VALIDATE_ERROR_ID_MISMATCH);
  /* The message shows both dates so the worker can tell which one is wrong. */
  g_assert_nonnull (strstr (error->message, "1985-06-15"));
  g_assert_nonnull (strstr (error->message, "1985-06-16"));
  g_clear_error (&error);

  /* A bad number reports its own problem, not a mismatch. */
  id[17] = id[17] == '0' ? '1' : '0';
  g_assert_false (sm_validate_id_number_birth (id, "1985-06-15", &error));
  g_assert_error (error, SM_VALIDATE_ERROR, SM_VALIDATE_ERROR_ID_CHECKSUM);
}

static void
test_mobile (void)
{
  const char *good[] = { "13800138000", "19912345678", "15000000000", "16612345678" };
  const char *bad[] = {
    "", "1380013800", "138001380000", "12800138000", "10800138000", "23800138000",
    "1380013800a", "+8613800138000", "138 0013 800", "138-0013-8000", "１３８００１３８０００",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (sm_validate_mobile (good[i], &error));
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("bad mobile %u: %s", i, bad[i]);
      g_assert_false (sm_validate_mobile (bad[i], &error));
      g_assert_error (error, SM_VALIDATE_ERROR, SM_VALIDATE_ERROR_PHONE);
    }
}

static void
test_date (void)
{
  const char *good[] = { "2026-11-24", "2024-02-29", "1900-01-01", "0001-01-01", "9999-12-31" };
  const char *bad[] = {
    "", "2026-11-1", "2026-1-01", "26-11-24", "2026/11/24", "2026-13-01", "2026-00-10",
    "2026-11-00", "2023-02-29", "2026-04-31", "2026-11-24T00:00:00Z", "20261124", "2026-11-24 ",
    "２０２６-11-24", "0000-01-01",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (sm_validate_date (good[i], &error));
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("bad date %u: %s", i, bad[i]);
      g_assert_false (sm_validate_date (bad[i], &error));
      g_assert_error (error, SM_VALIDATE_ERROR, SM_VALIDATE_ERROR_DATE);
      g_assert_nonnull (strstr (error->message, bad[i]));
    }
}

static void
test_timestamp (void)
{
  struct {
    const char *text;
    const char *canonical;
  } good[] = {
    { "2026-11-24T09:30:00Z", "2026-11-24T09:30:00Z" },
    { "2026-11-24T09:30:00+08:00", "2026-11-24T01:30:00Z" },
    { "2026-11-24T01:30:00.789Z", "2026-11-24T01:30:00Z" },
    { "2026-01-01T03:00:00+08:00", "2025-12-31T19:00:00Z" },
    { "2026-11-24t09:30:00-05:00", "2026-11-24T14:30:00Z" },
  };
  const char *bad[] = {
    "", "2026-11-24", "2026-11-24T09:30:00", "2026-11-24 09:30:00Z", "2026-11-24T25:00:00Z",
    "2026-02-30T09:30:00Z", "2026-W48-2T09:30:00Z", "2026-328T09:30:00Z", "now", "2026-11-24TZ",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *canonical = sm_validate_timestamp (good[i].text, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (canonical, ==, good[i].canonical);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *canonical = NULL;

      g_test_message ("bad timestamp %u: %s", i, bad[i]);
      canonical = sm_validate_timestamp (bad[i], &error);
      g_assert_null (canonical);
      g_assert_error (error, SM_VALIDATE_ERROR, SM_VALIDATE_ERROR_TIMESTAMP);
    }
}

static void
test_mask (void)
{
  struct {
    const char *text;
    const char *masked;
  } cases[] = {
    { "11010519491231002X", "110105********002X" },
    { "13800138000", "138****8000" },
    { "E12345678", "E1*****78" },
    { "12345", "1***5" },
    { "123", "***" },
    { "", "" },
    { "王小明的护照号码ABCD", "王小明*****ABCD" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *masked = sm_validate_mask (cases[i].text);

      g_assert_cmpstr (masked, ==, cases[i].masked);
    }

  /* Invalid UTF-8 is masked byte by byte, never passed through. */
  {
    g_autofree char *masked = sm_validate_mask ("138\xff\xfe""0138000");

    g_assert_cmpstr (masked, ==, "138*****8000");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/validate/id/check-char", test_id_check_char);
  g_test_add_func ("/core/validate/id/valid", test_id_valid);
  g_test_add_func ("/core/validate/id/invalid", test_id_invalid);
  g_test_add_func ("/core/validate/id/birth-date", test_id_birth);
  g_test_add_func ("/core/validate/mobile", test_mobile);
  g_test_add_func ("/core/validate/date", test_date);
  g_test_add_func ("/core/validate/timestamp", test_timestamp);
  g_test_add_func ("/core/validate/mask", test_mask);

  return g_test_run ();
}
