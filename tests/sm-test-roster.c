/* sm-test-roster.c — the messy roster of the import tests, and the grid it goes into
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sm-test-roster.h"

const char sm_test_roster_rows[] =
  "户主姓名,姓名,与户主关系,身份证号,手机号,小区,楼栋,单元,房号,性别,出生日期,民族,政治面貌,入住日期,备注\r\n"
  /* 2 */ "王建国,王建国,户主,110105194912310038,13800138000,和平小区,1号楼,1单元,101,男,1949-12-31,汉族,中共党员,2010-05-01,\r\n"
  /* 3 */ "王建国,刘芳,妻子,110105195001010020,138 0013 8001,和平小区,1栋,1,101室,女,1950/1/1,汉,群众,,\r\n"
  /* 4: checksum */ "王建国,王小明,儿子,110105198001010017,13800138002,和平小区,1号楼,1单元,101,男,,汉族,,,\r\n"
  /* 5: phone */ "陈静,陈静,户主,440301198006151231,1380013800,和平小区,2号楼,1单元,202,,,汉族,,,\r\n"
  /* 6–7: quoted comma and line break */
  "\"赵磊\",\"赵磊\",户主,310104199011024564,13900139000,\"和平小区\",\"3号楼\",2单元,301,,,汉族,群众,2026-03-01,\"腿脚不便,需上门\r\n每月一次\"\r\n"
  /* 8: duplicate of 3 */ "王建国,刘芳,妻子,110105195001010020,13800138001,和平小区,1栋,1,101室,女,1950/1/1,汉,群众,,\r\n"
  /* 9: ID of line 3, another person */ "孙丽,孙丽,户主,110105195001010020,13800138003,和平小区,4号楼,1单元,401,,,,,,\r\n"
  /* 10: no building */ "周强,周强,户主,,13700137000,和平小区,,1单元,501,,,,,,\r\n"
  /* 11: birth date differs from the ID's */ "吴敏,吴敏,户主,330106198512207897,13600136000,和平小区,5号楼,1单元,101,女,1985-12-21,汉族,,,\r\n"
  /* 12: blank */ "\r\n"
  /* 13: gender and date */ "郑洁,郑洁,户主,,,和平小区,5号楼,1单元,102,未知,,,,2026-13-01,\r\n"
  /* 14: no name */ ",,,,,和平小区,5号楼,1单元,103,,,,,,\r\n"
  /* 15: 17 characters */ "冯刚,冯刚,户主,11010519491231003,,和平小区,5号楼,1单元,104,,,,,,\r\n"
  /* 16: a comma without quotes */ "何平,何平,户主,,,和平小区,5号楼,1单元,105,,,,,,备注一,备注二\r\n"
  /* 17: already present */ "钱多,钱多,户主,,13500135000,和平小区,6号楼,1单元,601,,,,,,\r\n"
  /* 18: new in a present household */ "钱多,钱小宝,儿子,,,和平小区,6号楼,1,601,,,,,,\r\n";

const SmTestRosterIssue sm_test_roster_issues[] = {
  { 4, SM_ROSTER_ISSUE_BAD_ID_NUMBER, "身份证号" },
  { 5, SM_ROSTER_ISSUE_BAD_PHONE, "手机号" },
  { 8, SM_ROSTER_ISSUE_DUPLICATE_ROW, "身份证号" },
  { 9, SM_ROSTER_ISSUE_DUPLICATE_ID, "身份证号" },
  { 10, SM_ROSTER_ISSUE_MISSING_ADDRESS, NULL },
  { 11, SM_ROSTER_ISSUE_ID_BIRTH_MISMATCH, "出生日期" },
  { 13, SM_ROSTER_ISSUE_BAD_VALUE, "性别" },
  { 13, SM_ROSTER_ISSUE_BAD_DATE, "入住日期" },
  { 14, SM_ROSTER_ISSUE_MISSING_NAME, "姓名" },
  { 15, SM_ROSTER_ISSUE_BAD_ID_NUMBER, "身份证号" },
  { 16, SM_ROSTER_ISSUE_TOO_MANY_FIELDS, NULL },
};

const guint sm_test_roster_n_issues = G_N_ELEMENTS (sm_test_roster_issues);

/* The roster in GB18030, as Excel on a Chinese Windows saves it. */
char *
sm_test_roster_gb18030 (gsize *length)
{
  g_autoptr(GError) error = NULL;
  char *data = g_convert (sm_test_roster_rows, -1, "GB18030", "UTF-8", NULL, length, &error);

  g_assert_no_error (error);
  /* Not UTF-8: the importer has to notice and convert. */
  g_assert_false (g_utf8_validate (data, (gssize) *length, NULL));
  return data;
}

static void
put (GHashTable *values,
     const char *field,
     GVariant   *value)
{
  g_hash_table_insert (values, (gpointer) field, g_variant_ref_sink (value));
}

/**
 * sm_test_roster_add_present:
 * @store: the replica
 * @grid_id: the grid the roster is imported into
 * @low_income: whether the household is tagged 低保
 *
 * What the grid already holds of the roster (its lines 17 and 18): the compound 和平小区,
 * building 6栋 and, there, the household of 钱多 in 1单元 601.
 *
 * Returns: (transfer full): the household's id
 */
char *
sm_test_roster_add_present (SmStore    *store,
                            const char *grid_id,
                            gboolean    low_income)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                        (GDestroyNotify) g_variant_unref);
  g_autofree char *compound = NULL;
  g_autofree char *building = NULL;
  g_autofree char *resident = NULL;
  char *household;

  compound = sm_store_create_with (store, "compound", grid_id, &error,
                                   "name", g_variant_new_string ("和平小区"),
                                   "kind", g_variant_new_string ("old"), NULL);
  g_assert_no_error (error);
  building = sm_store_create_with (store, "building", grid_id, &error,
                                   "compound_id", g_variant_new_string (compound),
                                   "name", g_variant_new_string ("6栋"), NULL);
  g_assert_no_error (error);
  put (values, "building_id", g_variant_new_string (building));
  put (values, "unit", g_variant_new_string ("1"));
  put (values, "room", g_variant_new_string ("601"));
  put (values, "address", g_variant_new_string ("和平小区 6栋 1单元 601"));
  put (values, "tenure", g_variant_new_string ("existing"));
  /* Only where the test asks: a tag changes what the reports count. */
  if (low_income)
    put (values, "tag_low_income", g_variant_new_boolean (TRUE));
  household = sm_store_create (store, "household", grid_id, values, &error);
  g_assert_no_error (error);
  resident = sm_store_create_with (store, "resident", grid_id, &error,
                                   "household_id", g_variant_new_string (household),
                                   "name", g_variant_new_string ("钱多"), NULL);
  g_assert_no_error (error);

  return household;
}
