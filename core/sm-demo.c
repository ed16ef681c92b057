/* sm-demo.c — a deterministic demo community, streamed as changes
 *
 * The community lies in Wuchang district, Wuhan (武汉市武昌区): subdistricts (街道) of six
 * communities (社区), each of up to four grids ("幸福社区第1网格"). A grid holds two to four
 * compounds (小区) of the five kinds; a compound has buildings of a height that fits its
 * kind; a building's rooms are taken by households of a composition that fits the kind
 * too (more elderly people in old compounds, more single tenants in rental housing).
 * Households in difficulty come from their composition (an old person living alone, a
 * child left with grandparents) or, for a few more, from low income, disability, serious
 * illness or unemployment: about one household in ten.
 *
 * Residents get common surnames in their real proportions and given names of their
 * generation, ID numbers whose region, birth date, sex digit and check character agree
 * with the record, and mobile numbers of real network prefixes. The history — knocks on
 * new residents' doors, drop-ins on existing ones, care visits to households in
 * difficulty, and demands followed through their events — is simulated forward in time
 * and cut at options->now_unix, so open demands are the recent ones and their derived
 * statuses cover the whole loop.
 *
 * Clocks and ids: the data is written as if entered on one device (options->site) at
 * options->now_unix, like the import of an existing ledger. Every record gets the next
 * HLC of that device (sm_hlc_tick() from now_unix), one for all its fields as a local
 * create does, so demand events replay in the order they happened. Record ids are
 * UUIDv7 strings whose time and counter bits come from that HLC and whose remaining 58
 * bits come from the seeded GRand: unique, increasing in generation order (SQLite appends
 * to its B-trees) and the same for the same options. Grids keep the ids of
 * sm_demo_grid_id().
 *
 * Order: a grid, then per compound the compound, per building the building, its
 * households each followed by its residents, visits, demands and demand events, and last
 * the building's leader (楼栋长), a later write to the building once its residents exist.
 * Nothing is kept but the household being generated, the chunk being filled and a set
 * of the ID numbers issued (4 bytes and its hash table slot per resident, so that no two
 * are alike): 100,000 households stream in about 12 MB.
 *
 * Determinism: every random draw comes from one GRand seeded with options->seed, one draw
 * per statement (C leaves the order of evaluating a call's arguments open, and the stream
 * must not depend on the compiler), and only integer arithmetic shapes the data.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-demo"

#include "sm-demo.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sm-validate.h"

/* The site the demo's writes come from when the caller has none: "de30" for demo. */
#define DEMO_SITE "de300000000000000000000000000001"
/* 2026-11-01T09:00:00+08:00 */
#define DEMO_NOW G_GINT64_CONSTANT (1793494800)
#define DEMO_CHUNK_SIZE 10000

#define DAY_SECONDS (24 * 3600)
#define BEIJING_OFFSET (8 * 3600)   /* China has one time zone and no summer time */
#define NO_DATE G_MININT64

#define GRIDS_PER_COMMUNITY 4
#define COMMUNITIES_PER_SUBDISTRICT 6
#define WORKERS_PER_GRID 2
#define MAX_MEMBERS 6
#define MAX_VISITS 16
#define MAX_EVENTS 12
#define ID_LEN 37                   /* a UUID string and its NUL */

/* ---------------------------------------------------------------- data */

/* The 100 commonest surnames with their weight per ten thousand people, roughly. */
static const struct {
  const char *name;
  guint       weight;
} surnames[] = {
  { "王", 720 }, { "李", 720 }, { "张", 680 }, { "刘", 540 }, { "陈", 450 }, { "杨", 310 },
  { "黄", 220 }, { "赵", 220 }, { "吴", 200 }, { "周", 190 }, { "徐", 130 }, { "孙", 120 },
  { "马", 120 }, { "朱", 110 }, { "胡", 110 }, { "郭", 100 }, { "何", 90 }, { "林", 90 },
  { "高", 90 }, { "罗", 80 }, { "郑", 80 }, { "梁", 70 }, { "谢", 60 }, { "宋", 60 },
  { "唐", 60 }, { "许", 50 }, { "韩", 50 }, { "冯", 50 }, { "邓", 50 }, { "曹", 50 },
  { "彭", 50 }, { "曾", 40 }, { "肖", 40 }, { "田", 40 }, { "董", 40 }, { "潘", 40 },
  { "袁", 40 }, { "蔡", 30 }, { "蒋", 30 }, { "余", 30 }, { "于", 30 }, { "杜", 30 },
  { "叶", 30 }, { "程", 30 }, { "魏", 30 }, { "苏", 30 }, { "吕", 30 }, { "丁", 30 },
  { "任", 30 }, { "卢", 20 }, { "姚", 20 }, { "沈", 20 }, { "钟", 20 }, { "姜", 20 },
  { "崔", 20 }, { "谭", 20 }, { "陆", 20 }, { "范", 20 }, { "汪", 20 }, { "廖", 20 },
  { "石", 20 }, { "金", 20 }, { "韦", 20 }, { "贾", 20 }, { "夏", 20 }, { "付", 20 },
  { "方", 20 }, { "邹", 20 }, { "熊", 20 }, { "白", 20 }, { "孟", 20 }, { "秦", 20 },
  { "邱", 20 }, { "侯", 20 }, { "江", 20 }, { "尹", 20 }, { "薛", 20 }, { "闫", 20 },
  { "段", 20 }, { "雷", 20 }, { "龙", 10 }, { "黎", 10 }, { "史", 10 }, { "陶", 10 },
  { "贺", 10 }, { "毛", 10 }, { "郝", 10 }, { "顾", 10 }, { "龚", 10 }, { "邵", 10 },
  { "万", 10 }, { "覃", 10 }, { "武", 10 }, { "钱", 10 }, { "戴", 10 }, { "严", 10 },
  { "欧阳", 5 }, { "莫", 10 }, { "孔", 10 }, { "向", 10 },
};

/* Given names by generation (born before 1960, 1960–79, 1980–99, from 2000) and sex. */
static const char * const given_names[4][2][40] = {
  {
    { "秀英", "桂英", "秀兰", "玉兰", "桂兰", "凤英", "玉珍", "淑珍", "秀珍", "玉梅", "淑芬",
      "桂芳", "秀云", "兰英", "凤兰", "红英", "翠花", "素芬", "美华", "桂珍", "金凤", "素珍",
      "秀芳", "玉英", "冬梅", "玉华", "桂香", "淑英", NULL },
    { "建国", "建华", "国强", "志强", "德明", "国华", "建军", "卫东", "文华", "振华", "永昌",
      "福生", "保国", "明", "军", "志华", "建平", "国庆", "解放", "新民", "长林", "树林",
      "玉山", "德胜", "金生", "洪", "忠", "秋生", "福林", "光明", "家富", NULL },
  },
  {
    { "丽", "静", "敏", "燕", "艳", "娟", "霞", "芳", "红", "玲", "丽华", "海燕", "晓燕",
      "美玲", "红梅", "丽娟", "春梅", "秀梅", "晓红", "雪梅", "慧", "琳", "莉", "萍", "红英",
      "丽萍", "小红", "晓玲", "玉兰", "秀兰", NULL },
    { "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏",
      "华", "建伟", "志刚", "海波", "晓明", "建新", "俊", "峰", "波", "宏", "东", "建华",
      "志华", "国平", "卫国", "红军", "文斌", NULL },
  },
  {
    { "婷", "雪", "颖", "倩", "璐", "佳", "欣怡", "思雨", "雨婷", "梦瑶", "晓雯", "佳怡",
      "婧", "丹", "琪", "蕾", "萌", "悦", "静", "敏", "丽", "娜", "洁", "晶", "璐瑶", "慧敏",
      "雪梅", "晓燕", "海燕", "美玲", NULL },
    { "浩", "宇", "鑫", "磊", "帅", "鹏飞", "俊杰", "晨", "博", "文博", "子豪", "家豪",
      "志远", "宇航", "浩然", "天宇", "明轩", "昊", "凯", "超", "亮", "阳", "斌", "伟", "杰",
      "涛", "俊", "建伟", "晓东", "志强", NULL },
  },
  {
    { "梓涵", "一诺", "欣怡", "诗涵", "雨涵", "可馨", "梓萱", "思涵", "语桐", "若曦", "子涵",
      "依诺", "芷若", "梦琪", "雨桐", "欣妍", "佳琪", "思琪", "梓琪", "紫涵", "安琪", "晓雯",
      "雨欣", "可欣", "沐晨", NULL },
    { "子轩", "浩宇", "宇轩", "梓豪", "一鸣", "睿", "子墨", "沐阳", "皓轩", "奕辰", "铭泽",
      "俊宇", "梓睿", "锦程", "宇航", "浩然", "天佑", "子豪", "博文", "思远", "嘉豪", "鑫",
      "晨", "俊熙", "明轩", NULL },
  },
};

/* Spouses from abroad, by sex, with the prefix of their passport numbers. */
static const char * const foreign_names[2][6] = {
  { "金敏智", "朴秀妍", "佐藤美咲", "山田由美", "安娜·伊万诺娃", "阮氏兰" },
  { "朴俊浩", "金成勋", "田中健一", "约翰·史密斯", "大卫·米勒", "阮文明" },
};
static const char * const passport_prefixes[] = { "M", "TK", "P", "C" };

/* Region codes (GB/T 2260) of ID numbers: Wuhan's central districts (the first
 * LOCAL_REGIONS; the demo lies in the first), the places people move to Wuhan from, and
 * last those of the residence permits of Hong Kong, Macao and Taiwan residents. */
static const char * const regions[] = {
  "420106", "420111", "420102", "420103", "420104", "420105", "420107",
  "420902", "421102", "421002", "420602", "420502", "421202", "411502", "430602",
  "360403", "341502", "510107", "500101", "440106", "110105", "310104", "370102",
  "130102", "610113", "230102", "520102",
  "810000", "820000", "830000",
};
#define DEMO_REGION 0
#define LOCAL_REGIONS 7
#define MAINLAND_REGIONS 27
#define ANY_REGION (-1)

static const struct {
  const char *name;
  guint       weight;
} ethnicities[] = {
  { "汉族", 920 }, { "回族", 12 }, { "满族", 10 }, { "壮族", 12 }, { "土家族", 14 },
  { "苗族", 8 }, { "蒙古族", 5 }, { "彝族", 4 }, { "藏族", 3 }, { "维吾尔族", 3 },
  { "朝鲜族", 3 }, { "侗族", 3 }, { "瑶族", 3 },
};

static const char * const mobile_prefixes[] = {
  "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "147", "150",
  "151", "152", "153", "155", "156", "157", "158", "159", "166", "173", "175", "176",
  "177", "178", "180", "181", "182", "183", "184", "185", "186", "187", "188", "189",
  "191", "193", "195", "198", "199",
};

static const char * const subdistricts[] = {
  "积玉桥街道", "杨园街道", "徐家棚街道", "粮道街道", "中华路街道", "黄鹤楼街道",
  "紫阳街道", "白沙洲街道", "首义路街道", "中南路街道", "水果湖街道", "珞珈山街道",
  "石洞街道", "南湖街道",
};

static const char * const community_words[] = {
  "幸福", "和平", "光明", "阳光", "团结", "建设", "东风", "朝阳", "文化", "民主", "友谊",
  "新华", "胜利", "育才", "红旗", "繁荣", "长青", "春晖", "锦绣", "翠苑", "金桥", "清河",
  "望江", "兴隆", "福安", "康乐", "丰收", "景和", "东湖", "南苑", "北苑", "临江",
};

static const char * const roads[] = {
  "中山路", "解放路", "和平大道", "友谊大道", "中南路", "武珞路", "徐东大街", "积玉桥路",
  "临江大道", "白沙洲大道", "南湖路", "珞狮路", "体育馆路", "建设路", "民主路", "胜利街",
  "新华路", "复兴路", "兴国路", "紫阳路", "彭刘杨路", "首义路", "粮道街", "公正路",
};

typedef enum {
  KIND_COMMERCIAL,
  KIND_OLD,
  KIND_RESETTLEMENT,
  KIND_RENTAL,
  KIND_BASIC,
  N_KINDS
} CompoundKind;

/* The schema's values, in the order of CompoundKind. */
static const char * const kind_values[N_KINDS] = {
  "commercial", "old", "resettlement", "rental", "basic",
};

static const guint kind_weights[N_KINDS] = { 35, 30, 15, 10, 10 };

static const char * const commercial_words[] = {
  "阳光", "锦绣", "翡翠", "金色", "碧水", "东湖", "书香", "世纪", "滨江", "梧桐", "紫金",
  "御景", "天悦", "春江", "丽岛", "山水", "华城", "静安",
};
static const char * const commercial_suffixes[] = {
  "花园", "家园", "名苑", "华府", "雅苑", "公馆", "尚城", "新城", "府", "湾",
};
static const char * const old_words[] = {
  "幸福里", "和平里", "友谊里", "胜利里", "建设", "民主", "解放", "团结", "工人", "红星",
  "东风", "前进", "向阳", "新村",
};
static const char * const work_units[] = {
  "机械厂", "纺织厂", "电厂", "粮食局", "铁路", "邮电局", "肉联厂", "棉纺厂", "水泥厂",
  "造船厂", "锅炉厂",
};
static const char * const resettlement_words[] = {
  "东湖", "南湖", "白沙", "青山", "杨园", "徐东", "石洞", "鲇鱼套", "四美塘", "武泰闸",
};
static const char * const resettlement_suffixes[] = { "还建小区", "安置小区", "新苑", "新村" };
static const char * const rental_words[] = { "青年", "人才", "安居", "和谐", "江城", "光谷" };
static const char * const rental_suffixes[] = { "人才公寓", "公租房小区", "保障房小区", "青年公寓" };
static const char * const basic_suffixes[] = { "街坊", "片区", "巷小区" };

static const char * const commercial_companies[] = {
  "万科物业", "保利物业", "碧桂园服务", "绿城服务", "龙湖智创生活", "中海物业", "招商积余",
  "金地物业", "华润万象生活", "长江物业",
};
static const char * const resettlement_companies[] = { "城投物业", "地产集团物业", "安居物业" };
static const char * const rental_companies[] = { "安居集团物业", "城市更新物业", "人才安居物业" };

/* Who lives in a household. */
typedef enum {
  COMP_SINGLE,
  COMP_COUPLE,
  COMP_COUPLE_CHILD,
  COMP_COUPLE_TWO_CHILDREN,
  COMP_THREE_GENERATIONS,
  COMP_ELDERLY_COUPLE,
  COMP_ELDERLY_ALONE,      /* 独居老人 */
  COMP_LEFT_BEHIND,        /* 留守儿童 with grandparents */
  COMP_SHARED,             /* tenants sharing a flat */
  N_COMPOSITIONS
} Composition;

/* Per compound kind; about 6% of households overall live alone in old age or are
 * children left behind, and 3.5% of the rest get another difficulty tag. */
static const guint composition_weights[N_KINDS][N_COMPOSITIONS] = {
  [KIND_COMMERCIAL]   = { 11, 21, 30, 10, 14, 10, 2, 1, 1 },
  [KIND_OLD]          = { 6, 15, 19, 5, 12, 27, 8, 2, 6 },
  [KIND_RESETTLEMENT] = { 7, 16, 22, 8, 20, 14, 5, 3, 5 },
  [KIND_RENTAL]       = { 32, 22, 18, 4, 3, 3, 1, 0, 17 },
  [KIND_BASIC]        = { 8, 15, 17, 4, 12, 24, 8, 2, 10 },
};

/* Shares of new residents (moved in within the last year), per thousand. */
static const guint new_tenure_permille[N_KINDS] = { 130, 60, 80, 350, 80 };

typedef enum {
  TAG_ELDERLY_ALONE     = 1 << 0,
  TAG_LOW_INCOME        = 1 << 1,
  TAG_DISABLED          = 1 << 2,
  TAG_SERIOUS_ILLNESS   = 1 << 3,
  TAG_UNEMPLOYED        = 1 << 4,
  TAG_LEFT_BEHIND_CHILD = 1 << 5,
} Tags;

/* The schema's tag fields, bit by bit. */
static const char * const tag_fields[] = {
  "tag_elderly_alone", "tag_low_income", "tag_disabled", "tag_serious_illness",
  "tag_unemployed", "tag_left_behind_child",
};

static const char * const household_notes[] = {
  "养了一只狗，敲门前先打电话",
  "白天上班，晚上七点后在家",
  "老人耳背，敲门要用力些",
  "家里有婴儿，避开午睡时间",
  "房东住在外地，有事先联系租户",
  "习惯用微信联系，不接陌生电话",
};

static const char * const relation_notes_moved_out[] = {
  "已迁出，在外地工作",
  "已迁出，在外地成家",
};

/* Visit notes by kind (knock, drop_in, care) and outcome (met, not_home, declined). */
static const char * const visit_notes[3][3][8] = {
  {
    { "新住户，已登记家庭成员信息，留下网格员联系方式",
      "介绍了社区服务和便民服务日，已加入楼栋微信群",
      "租住，已核对租赁信息，提醒办理居住证",
      "刚搬来，家里还在装修，提醒装修时间和建筑垃圾清运点",
      "已告知社区卫生服务中心位置和家庭医生签约", NULL },
    { "家中无人，已在门上留联系卡", "敲门无人应答，邻居说晚上才回来",
      "电话未接通，改日再访", NULL },
    { "住户表示不方便，隔门交谈了几句", "住户不愿登记，已留联系卡", NULL },
  },
  {
    { "拉家常，了解近况，无特殊诉求", "宣传防诈骗知识，发放宣传册",
      "了解到孩子今年升学，介绍了入学政策", "提醒电动车不要在楼道充电",
      "征求对小区环境整治的意见", "邀请参加周末的邻里节活动", NULL },
    { "家中无人，已留言", "白天上班不在家，改为晚上再访", NULL },
    { "住户正忙，约定改日再来", NULL },
  },
  {
    { "上门看望，身体状况良好，送去米和油", "测量血压，提醒按时服药",
      "协助准备低保年审材料", "帮助预约家庭医生上门服务",
      "检查家中燃气和用电安全", "了解生活困难，已联系志愿者定期帮助", NULL },
    { "家中无人，电话联系得知在医院复查", "敲门无人应答，联系家属确认平安", NULL },
    { "老人说一切都好，不需要帮助", NULL },
  },
};

static const char * const visit_kinds[] = { "knock", "drop_in", "care" };
static const char * const outcomes[] = { "met", "not_home", "declined" };

static const char * const companions[3][5] = {
  { "楼栋长", "物业管家", "社区民警", NULL },
  { "楼栋长", "志愿者", "物业管家", NULL },
  { "社区医生", "民政专干", "志愿者", "残联专干", NULL },
};

typedef enum {
  LEVEL_BUILDING,
  LEVEL_AREA,
  LEVEL_COMMUNITY,
  LEVEL_ESCALATED,
} Level;

static const char * const level_values[] = { "building", "area", "community", "escalated" };
static const int level_due_days[] = { 3, 5, 10, 20 };
/* How long handling takes, in hours: at least, and at most. */
static const int level_hours[][2] = { { 2, 72 }, { 24, 120 }, { 48, 240 }, { 120, 600 } };

static const struct {
  const char *category;
  const char *title;
  const char *description;
  Level       level;
  const char *handle_note;
  const char *resolve_note;
} demand_kinds[] = {
  { "设施维修", "楼道灯不亮", "三楼到五楼的楼道灯坏了，晚上上下楼看不清", LEVEL_BUILDING,
    "已通知物业电工", "已更换声控灯，居民确认正常" },
  { "设施维修", "单元门门禁损坏", "单元门刷卡没反应，门一直关不上", LEVEL_BUILDING,
    "物业已报修门禁厂家", "门禁已修复" },
  { "设施维修", "屋顶漏水", "下雨天顶楼卧室天花板渗水", LEVEL_AREA,
    "已申请维修基金，安排现场查勘", "屋面防水已重做，回访无渗漏" },
  { "设施维修", "电梯经常故障", "电梯这个月停了三次，老人上下楼困难", LEVEL_AREA,
    "已约谈电梯维保单位", "维保单位已更换控制板，运行正常" },
  { "设施维修", "自来水管漏水", "楼道里的自来水总管接口漏水", LEVEL_BUILDING,
    "已关闭分阀并通知水务", "已更换接口，恢复供水" },
  { "环境卫生", "楼道堆放杂物", "楼道里堆了旧家具和纸箱，存在消防隐患", LEVEL_BUILDING,
    "已张贴清理通知", "杂物已清理，楼道畅通" },
  { "环境卫生", "垃圾清运不及时", "小区垃圾桶满了两天没人清运，气味很大", LEVEL_AREA,
    "已联系环卫所加派清运车", "已恢复每日清运" },
  { "环境卫生", "下水道堵塞", "一楼下水道反水，厨房有异味", LEVEL_BUILDING,
    "已安排疏通", "管道已疏通" },
  { "治安安全", "电动车楼道充电", "有住户在楼道里给电动车充电，飞线很危险", LEVEL_BUILDING,
    "已上门劝导并宣传消防知识", "已拆除飞线，引导到集中充电桩充电" },
  { "治安安全", "小区监控损坏", "小区东门的监控探头坏了很久", LEVEL_AREA,
    "已报物业和派出所", "监控已修复并接入平台" },
  { "邻里纠纷", "楼上噪音扰民", "楼上晚上十一点后还经常有很大的响声", LEVEL_BUILDING,
    "已分别上门沟通", "双方达成谅解，约定夜间注意" },
  { "邻里纠纷", "空调外机滴水", "楼上空调外机滴水到阳台", LEVEL_BUILDING,
    "已联系楼上住户", "已加装冷凝水管" },
  { "邻里纠纷", "宠物扰民", "邻居家的狗白天一直叫，还在楼道便溺", LEVEL_BUILDING,
    "已上门宣传文明养犬", "住户已承诺规范养犬" },
  { "民生保障", "咨询低保申请", "家庭收入低，想了解低保怎么申请", LEVEL_COMMUNITY,
    "已讲解政策并指导准备材料", "申请材料已提交街道审核" },
  { "民生保障", "高龄津贴办理", "老人今年满八十岁，想办理高龄津贴", LEVEL_COMMUNITY,
    "已协助填写申请表", "津贴已审批发放" },
  { "民生保障", "残疾证办理", "家人肢体残疾，想办理残疾证", LEVEL_COMMUNITY,
    "已预约残联鉴定", "残疾证已办结" },
  { "养老服务", "需要助餐服务", "老人独自做饭不方便，希望能送餐", LEVEL_COMMUNITY,
    "已登记社区老年食堂助餐", "已开通助餐，每天中午送餐上门" },
  { "养老服务", "安装紧急呼叫设备", "老人希望安装一键呼叫设备", LEVEL_COMMUNITY,
    "已申报智慧养老设备", "设备已安装调试" },
  { "物业管理", "物业费收支不透明", "物业费涨了，但没有公示收支明细", LEVEL_COMMUNITY,
    "已约谈物业公司", "物业已在公告栏公示收支明细" },
  { "物业管理", "绿化带无人修剪", "小区绿化带杂草很高，蚊虫多", LEVEL_AREA,
    "已督促物业安排修剪", "绿化已修剪，并喷洒消杀" },
  { "物业管理", "停车位紧张", "晚上车位不够，车辆乱停堵住消防通道", LEVEL_COMMUNITY,
    "已召开居民议事会讨论", "已施划临时车位并规范停放" },
  { "就业创业", "求职登记", "失业在家，希望社区帮忙介绍工作", LEVEL_COMMUNITY,
    "已进行求职登记并推荐岗位", "已推荐到附近超市上岗" },
  { "医疗健康", "签约家庭医生", "想给家里老人签约家庭医生", LEVEL_COMMUNITY,
    "已联系社区卫生服务中心", "已完成签约" },
  { "医疗健康", "预约上门体检", "老人行动不便，希望医生上门体检", LEVEL_COMMUNITY,
    "已预约社区医生", "医生已上门完成体检" },
  { "市政设施", "小区门口路面破损", "小区门口的路面塌陷，下雨就积水", LEVEL_ESCALATED,
    "已上报街道城管科", "市政部门已修补路面" },
  { "市政设施", "公交站缺少雨棚", "附近公交站没有雨棚，老人等车不便", LEVEL_ESCALATED,
    "已上报街道并转交交通部门", "公交站雨棚已建成" },
};

/* Where demands come from when not from a visit, by weight. */
static const struct {
  const char *source;
  guint       weight;
} demand_sources[] = {
  { "phone", 20 }, { "walk_in", 12 }, { "wechat", 18 }, { "mailbox", 3 }, { "online", 8 },
  { "meeting", 4 }, { "window", 8 },
};

static const char * const comment_notes[] = {
  "等待配件到货", "已与居民电话沟通进展", "相关单位已到现场查看",
};

/* ---------------------------------------------------------------- the generator */

typedef struct {
  char        id[ID_LEN];
  const char *surname;
  char        name[64];
  gboolean    male;
  gint64      birth;           /* days since 1970-01-01 */
  int         age;             /* in whole years, today */
  const char *relation;
  const char *id_type;
  char        id_number[24];
  char        phone[12];       /* "" for none */
  const char *ethnicity;
  int         party_member;    /* -1: not asked (a minor) */
  gint64      moved_in;        /* days, or NO_DATE */
  gint64      moved_out;
  const char *notes;
  guint       tags;
} Person;

typedef struct {
  char        id[ID_LEN];
  const char *kind;
  const char *outcome;
  gint64      at;              /* Unix seconds */
  guint       seq;             /* order of planning, to break ties */
} Visit;

typedef struct {
  char        id[ID_LEN];
  guint       unit;
  guint       storey;
  guint       room;
  Composition composition;
  gboolean    is_new;
  gint64      moved_in;
  guint       tags;
  const char *notes;
  Person      members[MAX_MEMBERS];
  guint       n_members;
  Visit       visits[MAX_VISITS];
  guint       n_visits;
} Household;

typedef struct {
  const char *action;
  gint64      at;
  const char *actor;
  const char *satisfaction;
  const char *note;
  guint       seq;             /* order of planning, to break ties */
} Event;

typedef struct {
  guint  index;
  char  *id;
  char  *name;
  char  *community;
  char  *workers[WORKERS_PER_GRID];
  char  *office;
} Grid;

typedef struct {
  const SmDemoOptions *options;
  SmDemoChunkFunc      func;
  gpointer             user_data;
  GRand               *rand;
  GPtrArray           *chunk;
  guint                chunk_size;
  GError              *error;       /* the first failure; nothing is emitted after it */

  guint64              now_ms;
  gint64               now;         /* Unix seconds */
  gint64               today;       /* days since 1970-01-01, in Beijing */
  SmHlc                hlc;         /* the last clock handed out */

  /* The record being written. */
  const SmTable       *table;
  char                 row_id[SM_CHANGE_MAX_ID_BYTES + 1];
  SmHlc                row_hlc;
  const char          *grid_id;

  const SmTable       *grid_table;
  const SmTable       *compound_table;
  const SmTable       *building_table;
  const SmTable       *household_table;
  const SmTable       *resident_table;
  const SmTable       *visit_table;
  const SmTable       *demand_table;
  const SmTable       *event_table;

  GHashTable          *id_numbers;        /* issued, packed by make_id_number() */
  guint                n_compounds;       /* made so far, in all grids */
  CompoundKind         first_kinds[N_KINDS];
} Demo;

/* ---------------------------------------------------------------- random helpers */

static guint
pick (Demo  *demo,
      guint  n)
{
  g_assert (n > 0);

  return (guint) g_rand_int_range (demo->rand, 0, (gint32) n);
}

/* A whole number from @lo to @hi, both included. */
static gint64
between (Demo   *demo,
         gint64  lo,
         gint64  hi)
{
  g_assert (lo <= hi);
  g_assert (hi - lo < G_MAXINT32);

  return lo + g_rand_int_range (demo->rand, 0, (gint32) (hi - lo + 1));
}

/* TRUE with a probability of @permille / 1000. */
static gboolean
chance (Demo  *demo,
        guint  permille)
{
  return pick (demo, 1000) < permille;
}

static guint
pick_weighted (Demo        *demo,
               const guint *weights,
               guint        n)
{
  guint total = 0, r;

  for (guint i = 0; i < n; i++)
    total += weights[i];
  r = pick (demo, total);
  for (guint i = 0; i < n; i++)
    {
      if (r < weights[i])
        return i;
      r -= weights[i];
    }

  g_assert_not_reached ();
}

#define PICK(demo, array) ((array)[pick ((demo), G_N_ELEMENTS (array))])

/* From a NULL-terminated array. */
static const char *
pick_string (Demo               *demo,
             const char * const *strings)
{
  guint n = 0;

  while (strings[n] != NULL)
    n++;

  return strings[pick (demo, n)];
}

static const char *
pick_surname (Demo *demo)
{
  guint total = 0, r;

  for (guint i = 0; i < G_N_ELEMENTS (surnames); i++)
    total += surnames[i].weight;
  r = pick (demo, total);
  for (guint i = 0; i < G_N_ELEMENTS (surnames); i++)
    {
      if (r < surnames[i].weight)
        return surnames[i].name;
      r -= surnames[i].weight;
    }

  g_assert_not_reached ();
}

static const char *
pick_ethnicity (Demo *demo)
{
  guint total = 0, r;

  for (guint i = 0; i < G_N_ELEMENTS (ethnicities); i++)
    total += ethnicities[i].weight;
  r = pick (demo, total);
  for (guint i = 0; i < G_N_ELEMENTS (ethnicities); i++)
    {
      if (r < ethnicities[i].weight)
        return ethnicities[i].name;
      r -= ethnicities[i].weight;
    }

  g_assert_not_reached ();
}

/* ---------------------------------------------------------------- dates and times */

static gint64
floor_div (gint64 a,
           gint64 b)
{
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

/* Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm). */
static void
civil_from_days (gint64  days,
                 int    *out_year,
                 int    *out_month,
                 int    *out_day)
{
  gint64 z = days + 719468;
  gint64 era = floor_div (z, 146097);
  gint64 doe = z - era * 146097;
  gint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  gint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  gint64 mp = (5 * doy + 2) / 153;
  int month = (int) (mp < 10 ? mp + 3 : mp - 9);

  *out_day = (int) (doy - (153 * mp + 2) / 5 + 1);
  *out_month = month;
  *out_year = (int) (yoe + era * 400) + (month <= 2);
}

/* "YYYY-MM-DD", the form of date fields. */
static void
format_date (gint64  days,
             char    out[11])
{
  int y, m, d;

  civil_from_days (days, &y, &m, &d);
  g_snprintf (out, 11, "%04d-%02d-%02d", y, m, d);
}

/* "YYYY-MM-DDTHH:MM:SSZ", the canonical form of timestamp fields. */
static void
format_timestamp (gint64  unix_time,
                  char    out[21])
{
  gint64 days = floor_div (unix_time, DAY_SECONDS);
  gint64 secs = unix_time - days * DAY_SECONDS;
  int y, m, d;

  civil_from_days (days, &y, &m, &d);
  g_snprintf (out, 21, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d,
              (int) (secs / 3600), (int) (secs / 60 % 60), (int) (secs % 60));
}

/* The Unix time of @seconds after midnight of @day in Beijing. */
static gint64
beijing_moment (gint64 day,
                gint64 seconds)
{
  return day * DAY_SECONDS + seconds - BEIJING_OFFSET;
}

/* The day (since 1970-01-01) of @unix_time in Beijing. */
static gint64
beijing_day (gint64 unix_time)
{
  return floor_div (unix_time + BEIJING_OFFSET, DAY_SECONDS);
}

static gboolean
is_weekend (gint64 day)
{
  /* 1970-01-01 was a Thursday. */
  gint64 dow = (day % 7 + 7 + 4) % 7;  /* 0 = Sunday */

  return dow == 0 || dow == 6;
}

/* A working day from @lo to @hi (days, included) and a time within working hours
 * (08:30–20:00 Beijing time), to the minute. Grid workers work some weekends too. */
static gint64
pick_work_time (Demo   *demo,
                gint64  lo,
                gint64  hi)
{
  gint64 day = between (demo, lo, hi);

  if (is_weekend (day) && chance (demo, 700))
    day = between (demo, lo, hi);

  return beijing_moment (day, 60 * between (demo, 8 * 60 + 30, 20 * 60));
}

/* @t, or the next morning between 08:00 and 09:00 if it falls outside 08:00–21:00. */
static gint64
working_hours (Demo   *demo,
               gint64  t)
{
  gint64 day = floor_div (t + BEIJING_OFFSET, DAY_SECONDS);
  gint64 seconds = t + BEIJING_OFFSET - day * DAY_SECONDS;

  if (seconds < 8 * 3600)
    return beijing_moment (day, 8 * 3600 + between (demo, 0, 3599));
  if (seconds > 21 * 3600)
    return beijing_moment (day + 1, 8 * 3600 + between (demo, 0, 3599));

  return t;
}

/* ---------------------------------------------------------------- writing changes */

static void
flush (Demo *demo)
{
  g_autoptr(GPtrArray) chunk = NULL;

  if (demo->error != NULL || demo->chunk->len == 0)
    return;

  chunk = g_steal_pointer (&demo->chunk);
  demo->chunk = g_ptr_array_new_full (demo->chunk_size, (GDestroyNotify) sm_change_unref);

  if (!demo->func (chunk, demo->user_data, &demo->error) && demo->error == NULL)
    g_set_error_literal (&demo->error, G_IO_ERROR, G_IO_ERROR_FAILED,
                         _("Writing the demo data stopped before the end"));
}

/* A UUIDv7 from the record's clock: 48 bits of milliseconds, the 16-bit HLC counter in
 * rand_a and the top of rand_b (RFC 9562 §6.2, method 1), then 58 bits from the seed. */
static void
format_id (Demo   *demo,
           SmHlc   hlc,
           char    out[ID_LEN])
{
  guint64 ms = sm_hlc_get_physical_ms (hlc);
  guint counter = sm_hlc_get_counter (hlc);
  guint32 r1 = g_rand_int (demo->rand);
  guint32 r2 = g_rand_int (demo->rand);
  guint8 b[16];

  for (int i = 0; i < 6; i++)
    b[i] = (guint8) (ms >> (8 * (5 - i)));
  b[6] = (guint8) (0x70 | ((counter >> 12) & 0x0f));
  b[7] = (guint8) ((counter >> 4) & 0xff);
  b[8] = (guint8) (0x80 | ((counter & 0x0f) << 2) | (r1 >> 30));
  b[9] = (guint8) (r1 >> 22);
  b[10] = (guint8) (r1 >> 14);
  b[11] = (guint8) (r1 >> 6);
  b[12] = (guint8) (r2 >> 24);
  b[13] = (guint8) (r2 >> 16);
  b[14] = (guint8) (r2 >> 8);
  b[15] = (guint8) r2;

  g_snprintf (out, ID_LEN,
              "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
              b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
              b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* Takes the floating @value. */
static void
put (Demo       *demo,
     const char *name,
     GVariant   *value)
{
  const SmField *field = sm_table_lookup_field (demo->table, name);

  g_assert (field != NULL);
  g_assert (!(field->flags & SM_FIELD_FLAG_DERIVED));

  if (demo->error != NULL)
    {
      g_variant_unref (g_variant_ref_sink (value));
      return;
    }

  g_ptr_array_add (demo->chunk, sm_change_new (field, demo->row_id, demo->grid_id, value,
                                               demo->row_hlc, demo->options->site,
                                               SM_HLC_ZERO));
  if (demo->chunk->len >= demo->chunk_size)
    flush (demo);
}

/* Text fields are left out when empty, as a form leaves them. */
static void
put_text (Demo       *demo,
          const char *name,
          const char *text)
{
  if (text != NULL && *text != '\0')
    put (demo, name, g_variant_new_string (text));
}

static void
put_take_text (Demo       *demo,
               const char *name,
               char       *text)
{
  if (text != NULL && *text != '\0')
    put (demo, name, g_variant_new_take_string (text));
  else
    g_free (text);
}

static void
put_bool (Demo       *demo,
          const char *name,
          gboolean    value)
{
  put (demo, name, g_variant_new_boolean (value));
}

static void
put_int (Demo       *demo,
         const char *name,
         gint64      value)
{
  put (demo, name, g_variant_new_int64 (value));
}

static void
put_date (Demo       *demo,
          const char *name,
          gint64      days)
{
  char text[11];

  if (days == NO_DATE)
    return;
  format_date (days, text);
  put (demo, name, g_variant_new_string (text));
}

static void
put_timestamp (Demo       *demo,
               const char *name,
               gint64      unix_time)
{
  char text[21];

  format_timestamp (unix_time, text);
  put (demo, name, g_variant_new_string (text));
}

static void
put_tags (Demo  *demo,
          guint  tags)
{
  for (guint i = 0; i < G_N_ELEMENTS (tag_fields); i++)
    if (tags & (1u << i))
      put_bool (demo, tag_fields[i], TRUE);
}

/* Starts a record with the device's next clock, as a local create: one HLC for all its
 * fields, grid_id among them. @id NULL makes a new id, written to @out_id. */
static void
record_begin (Demo          *demo,
              const SmTable *table,
              const char    *id,
              char           out_id[ID_LEN])
{
  demo->hlc = demo->row_hlc = sm_hlc_tick (demo->hlc, demo->now_ms);
  demo->table = table;

  if (id != NULL)
    g_strlcpy (demo->row_id, id, sizeof demo->row_id);
  else
    format_id (demo, demo->row_hlc, demo->row_id);

  if (out_id != NULL)
    g_strlcpy (out_id, demo->row_id, ID_LEN);

  put_text (demo, "grid_id", demo->grid_id);
}

/* A later write to a record made before. */
static void
record_update (Demo          *demo,
               const SmTable *table,
               const char    *id)
{
  demo->hlc = demo->row_hlc = sm_hlc_tick (demo->hlc, demo->now_ms);
  demo->table = table;
  g_strlcpy (demo->row_id, id, sizeof demo->row_id);
}

/* ---------------------------------------------------------------- people */

static char *
chinese_number (guint n)
{
  static const char * const digits[] = { "〇", "一", "二", "三", "四", "五", "六", "七", "八", "九" };

  if (n < 10)
    return g_strdup (digits[n]);
  if (n < 20)
    return g_strconcat ("十", n % 10 ? digits[n % 10] : "", NULL);
  if (n < 100)
    return g_strconcat (digits[n / 10], "十", n % 10 ? digits[n % 10] : "", NULL);

  return g_strdup_printf ("%u", n);
}

static void
make_mobile (Demo *demo,
             char  out[12])
{
  const char *prefix = PICK (demo, mobile_prefixes);
  guint middle = pick (demo, 10000);
  guint last = pick (demo, 10000);

  g_snprintf (out, 12, "%s%04u%04u", prefix, middle, last);
}

static guint
generation_of (gint64 birth)
{
  int y, m, d;

  civil_from_days (birth, &y, &m, &d);
  if (y < 1960)
    return 0;
  if (y < 1980)
    return 1;
  if (y < 2000)
    return 2;
  return 3;
}

/* An 18-character ID number: region, birth date, a sequence number whose last digit is
 * odd for men and even for women, and the GB 11643 check character. Like real ones they
 * are unique: the first 17 digits issued so far are kept, packed in 31 bits (region
 * index, age in days, sequence), a few megabytes for 100,000 households. */
static void
make_id_number (Demo        *demo,
                guint        region,
                gint64       birth,
                gboolean     male,
                char         out[24])
{
  char digits[18];
  int y, m, d;
  guint seq = pick (demo, 100) * 10;
  gint64 age = demo->today - birth;   /* under 100 years: 16 bits */

  g_assert (region < G_N_ELEMENTS (regions));
  g_assert (age >= 0 && age < 65536);

  seq += 2 * pick (demo, 5) + (male ? 1 : 0);

  /* Another number of the same sex when taken; 000 is never issued. */
  for (guint tries = 0; tries < 500; tries++)
    {
      guint key = (region << 26) | ((guint) age << 10) | seq;

      if (seq != 0 && g_hash_table_add (demo->id_numbers, GUINT_TO_POINTER (key)))
        break;
      seq = (seq + 2) % 1000;
    }

  civil_from_days (birth, &y, &m, &d);
  g_snprintf (digits, sizeof digits, "%s%04d%02d%02d%03u", regions[region], y, m, d, seq);
  g_snprintf (out, 24, "%s%c", digits, sm_validate_id_check_char (digits));
}

/* Adds a member aged @age with @surname (NULL: any) born in @region (ANY_REGION: mostly
 * Wuhan, else anywhere on the mainland). */
static Person *
add_member (Demo        *demo,
            Household   *household,
            const char  *relation,
            gboolean     male,
            int          age,
            const char  *surname,
            int          region)
{
  Person *p;
  guint phone_permille;

  g_assert (household->n_members < MAX_MEMBERS);

  p = &household->members[household->n_members++];
  memset (p, 0, sizeof *p);

  age = CLAMP (age, 0, 95);
  p->relation = relation;
  p->male = male;
  p->surname = surname ? surname : pick_surname (demo);
  p->birth = demo->today - 1 - (gint64) age * 36524 / 100 - pick (demo, 364);
  p->age = (int) ((demo->today - p->birth) * 100 / 36524);
  p->id_type = "cn_id";
  g_snprintf (p->name, sizeof p->name, "%s%s", p->surname,
              pick_string (demo, given_names[generation_of (p->birth)][male ? 1 : 0]));
  if (region == ANY_REGION)
    region = (int) pick (demo, chance (demo, 600) ? LOCAL_REGIONS : MAINLAND_REGIONS);
  make_id_number (demo, (guint) region, p->birth, male, p->id_number);
  p->ethnicity = pick_ethnicity (demo);

  if (p->age >= 18)
    p->party_member = chance (demo, p->age >= 55 ? 140 : 60);
  else
    p->party_member = -1;

  if (p->age < 12)
    phone_permille = 0;
  else if (p->age < 18)
    phone_permille = 400;
  else if (p->age <= 65)
    phone_permille = 960;
  else if (p->age <= 80)
    phone_permille = 700;
  else
    phone_permille = 300;
  if (chance (demo, phone_permille))
    make_mobile (demo, p->phone);

  p->moved_in = NO_DATE;
  p->moved_out = NO_DATE;

  return p;
}

/* A member born anywhere, of any surname. */
static Person *
add_person (Demo       *demo,
            Household  *household,
            const char *relation,
            gboolean    male,
            gint64      age)
{
  return add_member (demo, household, relation, male, (int) age, NULL, ANY_REGION);
}

/* A spouse of the other sex, a few years apart; now and then from Hong Kong, Macao,
 * Taiwan or abroad. */
static Person *
add_spouse (Demo      *demo,
            Household *household,
            Person    *head)
{
  int age = head->age + (int) between (demo, -3, 3) + (head->male ? -1 : 1);
  Person *p = add_person (demo, household, "spouse", !head->male, MAX (age, 21));

  if (chance (demo, 4))
    {
      const char *prefix;

      g_strlcpy (p->name, foreign_names[p->male ? 1 : 0][pick (demo, 6)], sizeof p->name);
      p->id_type = "passport";
      prefix = PICK (demo, passport_prefixes);
      g_snprintf (p->id_number, sizeof p->id_number, "%s%08u", prefix, pick (demo, 100000000));
      p->ethnicity = NULL;
    }
  else if (chance (demo, 4))
    {
      guint region = MAINLAND_REGIONS + pick (demo, G_N_ELEMENTS (regions) - MAINLAND_REGIONS);

      p->id_type = "hmt_permit";
      make_id_number (demo, region, p->birth, p->male, p->id_number);
      p->ethnicity = NULL;
    }

  return p;
}

/* The father's surname, whichever of the couple heads the household. */
static const char *
family_surname (Household *household)
{
  for (guint i = 0; i < household->n_members && i < 2; i++)
    if (household->members[i].male)
      return household->members[i].surname;

  return household->members[0].surname;
}

static void
add_children (Demo      *demo,
              Household *household,
              guint      n,
              int        max_age)
{
  const char *surname = family_surname (household);

  for (guint i = 0; i < n; i++)
    {
      gboolean male = chance (demo, 510);
      int age = (int) between (demo, 0, MAX (max_age, 0));
      int region = chance (demo, 700) ? DEMO_REGION : ANY_REGION;
      Person *child = add_member (demo, household, "child", male, age, surname, region);

      child->ethnicity = household->members[0].ethnicity ? household->members[0].ethnicity : "汉族";
    }
}

static int
youngest_adult_age (Household *household)
{
  int age = 200;

  for (guint i = 0; i < household->n_members; i++)
    if (household->members[i].age >= 18)
      age = MIN (age, household->members[i].age);

  return age;
}

static void
fill_members (Demo         *demo,
              Household    *household,
              CompoundKind  kind)
{
  /* Random draws go one per statement: the order C evaluates arguments in is unspecified,
   * and the stream must be the same whatever the compiler. */
  gboolean male_head = chance (demo, 650);
  gboolean male;
  Person *head, *p;
  int age;

  household->composition = pick_weighted (demo, composition_weights[kind], N_COMPOSITIONS);

  switch (household->composition)
    {
    case COMP_SINGLE:
      male_head = chance (demo, 550);
      add_person (demo, household, "self", male_head, between (demo, 22, 45));
      break;

    case COMP_COUPLE:
      head = add_person (demo, household, "self", male_head, between (demo, 24, 62));
      add_spouse (demo, household, head);
      break;

    case COMP_COUPLE_CHILD:
    case COMP_COUPLE_TWO_CHILDREN:
      head = add_person (demo, household, "self", male_head, between (demo, 28, 55));
      add_spouse (demo, household, head);
      add_children (demo, household, household->composition == COMP_COUPLE_CHILD ? 1 : 2,
                    MIN (youngest_adult_age (household) - 22, 26));
      break;

    case COMP_THREE_GENERATIONS:
      head = add_person (demo, household, "self", male_head, between (demo, 30, 50));
      add_spouse (demo, household, head);
      add_children (demo, household, 1 + chance (demo, 300),
                    MIN (youngest_adult_age (household) - 22, 16));
      /* The head's parents: the father shares the head's surname. */
      age = head->age + (int) between (demo, 23, 32);
      if (chance (demo, 600))
        {
          p = add_member (demo, household, "parent", TRUE, age, head->surname, ANY_REGION);
          p->ethnicity = head->ethnicity;
        }
      p = add_person (demo, household, "parent", FALSE, age - between (demo, 0, 4));
      p->ethnicity = head->ethnicity;
      break;

    case COMP_ELDERLY_COUPLE:
      male_head = chance (demo, 800);
      head = add_person (demo, household, "self", male_head, between (demo, 63, 86));
      add_spouse (demo, household, head);
      break;

    case COMP_ELDERLY_ALONE:
      male_head = chance (demo, 350);
      head = add_person (demo, household, "self", male_head, between (demo, 70, 93));
      head->tags |= TAG_ELDERLY_ALONE;
      household->tags |= TAG_ELDERLY_ALONE;
      head->notes = chance (demo, 500) ? "子女在外地，每周电话联系" : NULL;
      if (chance (demo, 250))
        {
          head->tags |= TAG_LOW_INCOME;
          household->tags |= TAG_LOW_INCOME;
        }
      break;

    case COMP_LEFT_BEHIND:
      head = add_person (demo, household, "self", TRUE, between (demo, 58, 75));
      if (chance (demo, 750))
        add_spouse (demo, household, head);
      male = chance (demo, 520);
      p = add_member (demo, household, "grandchild", male, (int) between (demo, 3, 14),
                      head->surname, ANY_REGION);
      p->tags |= TAG_LEFT_BEHIND_CHILD;
      p->notes = "父母在外地务工，由祖父母照顾";
      household->tags |= TAG_LEFT_BEHIND_CHILD;
      break;

    case COMP_SHARED:
      male_head = chance (demo, 500);
      add_person (demo, household, "self", male_head, between (demo, 20, 35));
      for (guint i = 0, n = 1 + chance (demo, 400); i < n; i++)
        {
          male = chance (demo, 500);
          add_person (demo, household, "tenant", male, between (demo, 20, 35));
        }
      break;

    case N_COMPOSITIONS:
    default:
      g_assert_not_reached ();
    }
}

/* About 3.5% of the households not already in difficulty get one more reason. */
static void
add_difficulty (Demo      *demo,
                Household *household)
{
  static const guint weights[] = { 35, 25, 20, 20 };
  Person *p;

  if (household->tags != 0 || !chance (demo, 35))
    return;

  p = &household->members[pick (demo, household->n_members)];

  switch (pick_weighted (demo, weights, G_N_ELEMENTS (weights)))
    {
    case 0:
      p = &household->members[0];
      p->tags |= TAG_LOW_INCOME;
      p->notes = "低保户，每年复核";
      break;
    case 1:
      p->tags |= TAG_DISABLED;
      if (p->age < 6)
        p->notes = "先天残疾，定期做康复训练";
      else if (p->age < 18)
        p->notes = "智力残疾，在特殊教育学校就读";
      else
        p->notes = "肢体残疾二级，出行需要轮椅";
      break;
    case 2:
      if (p->age < 18)
        p = &household->members[0];
      p->tags |= TAG_SERIOUS_ILLNESS;
      p->notes = chance (demo, 500) ? "尿毒症，每周透析三次" : "癌症术后康复中";
      break;
    default:
      p = &household->members[0];
      if (p->age >= 60)
        {
          p->tags |= TAG_LOW_INCOME;
          p->notes = "低保户，每年复核";
        }
      else
        {
          p->tags |= TAG_UNEMPLOYED;
          p->notes = "已办理失业登记，正在找工作";
        }
      break;
    }

  household->tags |= p->tags;
}

/* Tenure: new residents moved in within the last year, a third of them within the last
 * month; existing ones years ago (no earlier than the youngest adult's 18th birthday, up
 * to 20 years, 40 for the old), or at a date nobody recorded. */
static void
fill_tenure (Demo         *demo,
             Household    *household,
             CompoundKind  kind)
{
  guint permille = new_tenure_permille[kind];
  int youngest = youngest_adult_age (household);
  gint64 longest = 365 * CLAMP (youngest - 18, 2, youngest >= 60 ? 40 : 20);

  if (household->tags & (TAG_ELDERLY_ALONE | TAG_LEFT_BEHIND_CHILD))
    permille /= 3;
  household->is_new = chance (demo, permille);

  if (household->is_new)
    household->moved_in = demo->today - (chance (demo, 350) ? between (demo, 1, 30)
                                                            : between (demo, 31, 365));
  else if (chance (demo, 150))
    household->moved_in = NO_DATE;
  else
    household->moved_in = demo->today - between (demo, 366, longest);

  for (guint i = 0; i < household->n_members; i++)
    {
      Person *p = &household->members[i];

      if (household->moved_in == NO_DATE)
        continue;

      p->moved_in = MAX (household->moved_in, p->birth);
      if (g_str_equal (p->relation, "spouse") && p->moved_in < demo->today - 30 &&
          chance (demo, 100))
        p->moved_in = between (demo, p->moved_in, demo->today - 1);

      if (g_str_equal (p->relation, "child") && p->age >= 20 && chance (demo, 150) &&
          p->moved_in < demo->today - 60)
        {
          p->moved_out = between (demo, MAX (p->moved_in + 30, demo->today - 700), demo->today - 1);
          p->notes = PICK (demo, relation_notes_moved_out);
        }
    }

  if (household->composition == COMP_SHARED)
    household->notes = "合租，房东不住本小区";
  else if (chance (demo, 70))
    household->notes = PICK (demo, household_notes);
}

/* ---------------------------------------------------------------- visits */

static gboolean
person_present (const Person *p)
{
  return p->moved_out == NO_DATE;
}

static void
add_visit (Demo        *demo,
           Household   *household,
           const char  *kind,
           gint64       at,
           const char  *outcome)
{
  Visit *v;

  if (household->n_visits >= MAX_VISITS || at >= demo->now)
    return;

  v = &household->visits[household->n_visits++];
  v->kind = kind;
  v->at = at;
  v->outcome = outcome;
  v->seq = household->n_visits;
}

static const char *
pick_outcome (Demo  *demo,
              guint  met_permille)
{
  if (chance (demo, met_permille))
    return "met";

  return chance (demo, 800) ? "not_home" : "declined";
}

static int
compare_visits (gconstpointer a,
                gconstpointer b)
{
  const Visit *va = a, *vb = b;

  if (va->at != vb->at)
    return va->at < vb->at ? -1 : 1;
  return (va->seq > vb->seq) - (va->seq < vb->seq);
}

/* The history: knocks for new residents (some not yet), drop-ins on existing ones over
 * the last half year, about monthly care visits to households in difficulty (and some
 * that are overdue). */
static void
plan_visits (Demo      *demo,
             Household *household)
{
  gint64 yesterday = demo->today - 1;
  gint64 drop_in_from = demo->today - 180;

  household->n_visits = 0;

  if (household->is_new)
    {
      gint64 since = demo->today - household->moved_in;
      gint64 first_day = household->moved_in + 1;
      gboolean knocked;

      if (since <= 14)
        knocked = since >= 2 && chance (demo, 500);
      else
        knocked = chance (demo, 820);

      if (knocked)
        {
          gint64 at = pick_work_time (demo, first_day, MIN (household->moved_in + 14, yesterday));

          /* Now and then nobody opened the first time. */
          if (chance (demo, 200) && at + 2 * DAY_SECONDS < demo->now - DAY_SECONDS)
            {
              add_visit (demo, household, "knock", at, "not_home");
              at += between (demo, 1, 4) * DAY_SECONDS;
              at += between (demo, -3600, 3600);
            }
          add_visit (demo, household, "knock", at, "met");
        }
      else if (since > 14 && chance (demo, 500))
        {
          gint64 at = pick_work_time (demo, first_day, yesterday);

          add_visit (demo, household, "knock", at, chance (demo, 800) ? "not_home" : "declined");
        }

      drop_in_from = MAX (drop_in_from, household->moved_in + 45);
    }

  if (drop_in_from < yesterday)
    {
      static const guint weights[] = { 25, 40, 25, 10 };
      guint n = pick_weighted (demo, weights, G_N_ELEMENTS (weights));

      for (guint i = 0; i < n; i++)
        {
          gint64 at = pick_work_time (demo, drop_in_from, yesterday);

          add_visit (demo, household, "drop_in", at, pick_outcome (demo, 750));
        }
    }

  if (household->tags != 0)
    {
      /* Monthly, from a point in the last half year; some stopped over a month ago. */
      gint64 last = yesterday - (chance (demo, 150) ? between (demo, 35, 90)
                                                    : between (demo, 0, 20));
      guint n = (guint) between (demo, 2, 6);

      for (guint i = 0; i < n; i++)
        {
          gint64 day = last - (gint64) i * 30 - between (demo, 0, 4);
          gint64 at;

          if (household->moved_in != NO_DATE && day <= household->moved_in)
            break;
          at = pick_work_time (demo, day, day);
          add_visit (demo, household, "care", at, pick_outcome (demo, 900));
        }
    }

  qsort (household->visits, household->n_visits, sizeof (Visit), compare_visits);
}

static guint
kind_index (const char *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (visit_kinds); i++)
    if (g_str_equal (visit_kinds[i], kind))
      return i;

  g_assert_not_reached ();
}

static guint
outcome_index (const char *outcome)
{
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    if (g_str_equal (outcomes[i], outcome))
      return i;

  g_assert_not_reached ();
}

/* The names of one or two people at home on the visit's day. */
static char *
met_names (Demo      *demo,
           Household *household,
           Visit     *visit)
{
  gint64 day = beijing_day (visit->at);
  g_autoptr(GString) names = g_string_new (NULL);
  guint want = 1 + chance (demo, 350);
  guint start = pick (demo, household->n_members);
  gboolean empty;

  for (guint i = 0; i < household->n_members && want > 0; i++)
    {
      const Person *p = &household->members[(start + i) % household->n_members];

      if (!person_present (p) || p->age < 12 || p->birth >= day ||
          (p->moved_in != NO_DATE && p->moved_in > day))
        continue;

      if (names->len > 0)
        g_string_append (names, "、");
      g_string_append (names, p->name);
      want--;
    }

  empty = names->len == 0;
  return g_string_free (g_steal_pointer (&names), empty);
}

static void
emit_visits (Demo       *demo,
             Grid       *grid,
             Household  *household,
             const char *worker)
{
  for (guint i = 0; i < household->n_visits; i++)
    {
      Visit *v = &household->visits[i];
      guint k = kind_index (v->kind);
      guint o = outcome_index (v->outcome);

      record_begin (demo, demo->visit_table, NULL, v->id);
      put_text (demo, "household_id", household->id);
      put_text (demo, "kind", v->kind);
      put_timestamp (demo, "visited_at", v->at);
      put_text (demo, "worker_id",
                chance (demo, 850) ? worker : grid->workers[pick (demo, WORKERS_PER_GRID)]);
      if (chance (demo, 200))
        put_text (demo, "companions", pick_string (demo, companions[k]));
      put_text (demo, "outcome", v->outcome);
      if (o == 0)
        put_take_text (demo, "met_names", met_names (demo, household, v));
      if (chance (demo, 800))
        put_text (demo, "notes", pick_string (demo, visit_notes[k][o]));

      /* A closed door is tried again within a week; care visits come back monthly. */
      if (o == 1)
        put_date (demo, "follow_up_on", beijing_day (v->at) + between (demo, 2, 7));
      else if (k == 2 && o == 0 && chance (demo, 300))
        put_date (demo, "follow_up_on", beijing_day (v->at) + 30);
    }
}

/* ---------------------------------------------------------------- demands */

static int
compare_events (gconstpointer a,
                gconstpointer b)
{
  const Event *ea = a, *eb = b;

  if (ea->at != eb->at)
    return ea->at < eb->at ? -1 : 1;
  return (ea->seq > eb->seq) - (ea->seq < eb->seq);
}

static void
push_event (Event       *events,
            guint       *n_events,
            const char  *action,
            gint64       at,
            const char  *actor,
            const char  *satisfaction,
            const char  *note)
{
  g_assert (*n_events < MAX_EVENTS);

  events[*n_events] = (Event) { action, at, actor, satisfaction, note, *n_events };
  (*n_events)++;
}

/* The return call after a resolution; an unsatisfied resident sees the demand handled
 * and resolved again, then evaluated once more. */
static void
plan_evaluation (Demo        *demo,
                 const char  *worker,
                 guint        kind,
                 gint64       resolved_at,
                 Event        events[MAX_EVENTS],
                 guint       *n)
{
  static const guint satisfaction_weights[] = { 70, 22, 8 };
  static const char * const satisfactions[] = { "satisfied", "basic", "unsatisfied" };
  gint64 t = working_hours (demo, resolved_at + between (demo, 6 * 3600, 7 * DAY_SECONDS));
  guint s = pick_weighted (demo, satisfaction_weights, G_N_ELEMENTS (satisfaction_weights));

  push_event (events, n, "evaluate", t, worker, satisfactions[s],
              s == 2 ? "回访：居民不满意，重新处置" : "电话回访，居民认可处理结果");
  if (s != 2)
    return;

  t = working_hours (demo, t + between (demo, 3600, DAY_SECONDS));
  push_event (events, n, "comment", t, worker, NULL, "已再次到现场查看");
  t = working_hours (demo, t + between (demo, DAY_SECONDS, 5 * DAY_SECONDS));
  push_event (events, n, "resolve", t, worker, NULL, demand_kinds[kind].resolve_note);
  t = working_hours (demo, t + between (demo, 3 * 3600, 2 * DAY_SECONDS));
  push_event (events, n, "evaluate", t, worker, satisfactions[pick (demo, 2)], "再次回访，居民认可");
}

/* The loop of one demand, simulated from its report and cut at now: accepted within
 * the 5-minute target most of the time, handled, escalated when beyond the community,
 * supervised when overdue, resolved, and evaluated on a return call; an unsatisfied
 * evaluation reopens it to be handled and resolved again. */
static guint
plan_events (Demo        *demo,
             Grid        *grid,
             const char  *worker,
             guint        kind,
             gint64       reported_at,
             gint64       due_at,
             Event        events[MAX_EVENTS])
{
  Level level = demand_kinds[kind].level;
  guint n = 0;
  gint64 t = reported_at, resolved_at;

  push_event (events, &n, "report", t, worker, NULL, NULL);

  /* A few of the last days' reports wait to be taken on. */
  if (t > demo->now - 3 * DAY_SECONDS && chance (demo, 350))
    return n;

  t += chance (demo, 850) ? between (demo, 40, 300) : between (demo, 301, 5400);
  push_event (events, &n, "accept", t, worker, NULL, "已接单");

  t = working_hours (demo, t + between (demo, 1800, 30 * 3600));
  push_event (events, &n, "handle", t, worker, NULL, demand_kinds[kind].handle_note);

  if (level == LEVEL_ESCALATED)
    {
      t = working_hours (demo, t + between (demo, 3600, 2 * DAY_SECONDS));
      push_event (events, &n, "escalate", t, worker, NULL, "超出社区处置能力，已上报街道");
    }

  resolved_at = t + 3600 * between (demo, level_hours[level][0], level_hours[level][1]);
  if (chance (demo, 60))
    resolved_at += 3 * (resolved_at - t);                       /* slow */
  else if (chance (demo, 60))
    resolved_at = t + DAY_SECONDS * between (demo, 30, 90);     /* stuck for long */
  resolved_at = working_hours (demo, resolved_at);

  if (chance (demo, 150))
    {
      gint64 at = working_hours (demo, t + (resolved_at - t) / 2);

      if (at < resolved_at)
        push_event (events, &n, "comment", at, worker, NULL, PICK (demo, comment_notes));
    }

  /* Past its due time the office steps in (督办). */
  if (resolved_at > due_at)
    {
      gint64 at = working_hours (demo, due_at + between (demo, 1800, DAY_SECONDS));

      if (at < resolved_at)
        push_event (events, &n, "supervise", at, grid->office, NULL, "已超过办理时限，请尽快办结");
    }

  push_event (events, &n, "resolve", resolved_at, worker, NULL, demand_kinds[kind].resolve_note);

  /* The return call; now and then nobody can be reached and it never happens. */
  if (!chance (demo, 80))
    plan_evaluation (demo, worker, kind, resolved_at, events, &n);

  qsort (events, n, sizeof (Event), compare_events);
  return n;
}

static void
emit_demand (Demo       *demo,
             Grid       *grid,
             Household  *household,
             const char *worker)
{
  Event events[MAX_EVENTS];
  char demand_id[ID_LEN];
  const Visit *visit = NULL;
  const char *source;
  gint64 reported_at, due_at;
  guint kind = pick (demo, G_N_ELEMENTS (demand_kinds));
  guint n_events;
  Level level;

  /* Nearly half come up on a visit where someone was met. */
  if (chance (demo, 450))
    for (guint i = 0, start = household->n_visits ? pick (demo, household->n_visits) : 0;
         i < household->n_visits; i++)
      {
        const Visit *v = &household->visits[(start + i) % household->n_visits];

        if (g_str_equal (v->outcome, "met") && v->at > demo->now - 150 * DAY_SECONDS)
          {
            visit = v;
            break;
          }
      }

  if (visit != NULL)
    {
      source = "visit";
      reported_at = visit->at + 60 * between (demo, 5, 40);
    }
  else
    {
      guint weights[G_N_ELEMENTS (demand_sources)];
      gint64 days_ago = chance (demo, 300) ? between (demo, 0, 13) : between (demo, 14, 120);

      for (guint i = 0; i < G_N_ELEMENTS (demand_sources); i++)
        weights[i] = demand_sources[i].weight;
      source = demand_sources[pick_weighted (demo, weights, G_N_ELEMENTS (weights))].source;
      reported_at = beijing_moment (demo->today - days_ago, 60 * between (demo, 8 * 60, 21 * 60));
      if (reported_at >= demo->now)
        reported_at -= DAY_SECONDS;
    }

  level = demand_kinds[kind].level;
  due_at = reported_at + (gint64) level_due_days[level] * DAY_SECONDS;

  record_begin (demo, demo->demand_table, NULL, demand_id);
  put_text (demo, "household_id", household->id);
  if (visit != NULL)
    put_text (demo, "visit_id", visit->id);
  put_text (demo, "source", source);
  put_text (demo, "category", demand_kinds[kind].category);
  put_text (demo, "level", level_values[level]);
  put_text (demo, "title", demand_kinds[kind].title);
  put_text (demo, "description", demand_kinds[kind].description);
  put_timestamp (demo, "reported_at", reported_at);
  put_timestamp (demo, "due_at", due_at);
  put_text (demo, "assignee", worker);

  n_events = plan_events (demo, grid, worker, kind, reported_at, due_at, events);

  for (guint i = 0; i < n_events && events[i].at < demo->now; i++)
    {
      record_begin (demo, demo->event_table, NULL, NULL);
      put_text (demo, "demand_id", demand_id);
      put_timestamp (demo, "at", events[i].at);
      put_text (demo, "actor", events[i].actor);
      put_text (demo, "action", events[i].action);
      put_text (demo, "satisfaction", events[i].satisfaction);
      put_text (demo, "note", events[i].note);
    }
}

/* ---------------------------------------------------------------- households */

static void
emit_household (Demo        *demo,
                Household   *household,
                const char  *building_id,
                const char  *building_address)
{
  const char *phone = NULL;

  for (guint i = 0; i < household->n_members && phone == NULL; i++)
    if (household->members[i].phone[0] != '\0' && person_present (&household->members[i]))
      phone = household->members[i].phone;

  record_begin (demo, demo->household_table, NULL, household->id);
  put_text (demo, "building_id", building_id);
  put_take_text (demo, "unit", g_strdup_printf ("%u", household->unit));
  put_take_text (demo, "room", g_strdup_printf ("%u%02u", household->storey, household->room));
  put_take_text (demo, "address", g_strdup_printf ("%s %u单元 %u%02u", building_address,
                                                   household->unit, household->storey,
                                                   household->room));
  put_text (demo, "tenure", household->is_new ? "new" : "existing");
  put_date (demo, "moved_in", household->moved_in);
  put_text (demo, "phone", phone);
  put_text (demo, "notes", household->notes);
  put_tags (demo, household->tags);

  for (guint i = 0; i < household->n_members; i++)
    {
      Person *p = &household->members[i];
      char birth[11];

      format_date (p->birth, birth);
      record_begin (demo, demo->resident_table, NULL, p->id);
      put_text (demo, "household_id", household->id);
      put_text (demo, "name", p->name);
      put_text (demo, "gender", p->male ? "male" : "female");
      put_text (demo, "birth_date", birth);
      put_text (demo, "id_type", p->id_type);
      put_text (demo, "id_number", p->id_number);
      put_text (demo, "phone", p->phone);
      put_text (demo, "relation", p->relation);
      put_text (demo, "ethnicity", p->ethnicity);
      if (p->party_member >= 0)
        put_bool (demo, "party_member", p->party_member);
      put_date (demo, "moved_in", p->moved_in);
      put_date (demo, "moved_out", p->moved_out);
      put_text (demo, "notes", p->notes);
      put_tags (demo, p->tags);
    }
}

/* A building leader: an adult living there, best someone settled, between 40 and 72,
 * and a party member. */
static void
consider_leader (Household *household,
                 char       leader[ID_LEN],
                 int       *leader_score)
{
  for (guint i = 0; i < household->n_members; i++)
    {
      const Person *p = &household->members[i];
      int score;

      if (p->age < 25 || !person_present (p))
        continue;

      score = 1 + (p->age >= 40 && p->age <= 72 ? 2 : 0) + (household->is_new ? 0 : 1) +
              (p->party_member > 0 ? 2 : 0);
      if (score > *leader_score)
        {
          *leader_score = score;
          g_strlcpy (leader, p->id, ID_LEN);
        }
    }
}

/* ---------------------------------------------------------------- buildings and compounds */

typedef struct {
  guint units[2];
  guint floors[2];
  guint rooms_per_floor;
  guint occupancy[2];  /* per thousand */
} BuildingShape;

static const BuildingShape building_shapes[N_KINDS] = {
  [KIND_COMMERCIAL]   = { { 1, 3 }, { 11, 33 }, 2, { 600, 950 } },
  [KIND_OLD]          = { { 2, 4 }, { 5, 7 }, 2, { 750, 980 } },
  [KIND_RESETTLEMENT] = { { 2, 3 }, { 11, 18 }, 2, { 750, 980 } },
  [KIND_RENTAL]       = { { 1, 2 }, { 12, 26 }, 4, { 600, 900 } },
  [KIND_BASIC]        = { { 1, 3 }, { 4, 6 }, 2, { 750, 980 } },
};

static char *
compound_name (Demo         *demo,
               CompoundKind  kind,
               const char   *road,
               guint         number)
{
  const char *word;

  /* One draw per statement, as in fill_members(). */
  switch (kind)
    {
    case KIND_COMMERCIAL:
      word = PICK (demo, commercial_words);
      return g_strconcat (word, PICK (demo, commercial_suffixes), NULL);
    case KIND_OLD:
      if (chance (demo, 300))
        {
          word = PICK (demo, work_units);
          return g_strconcat (word, chance (demo, 500) ? "宿舍" : "家属院", NULL);
        }
      return g_strconcat (PICK (demo, old_words), "小区", NULL);
    case KIND_RESETTLEMENT:
      word = PICK (demo, resettlement_words);
      return g_strconcat (word, PICK (demo, resettlement_suffixes), NULL);
    case KIND_RENTAL:
      word = PICK (demo, rental_words);
      return g_strconcat (word, PICK (demo, rental_suffixes), NULL);
    case KIND_BASIC:
      if (chance (demo, 500))
        return g_strdup_printf ("%s%u号院", road, number);
      word = PICK (demo, community_words);
      return g_strconcat (word, PICK (demo, basic_suffixes), NULL);
    case N_KINDS:
    default:
      g_assert_not_reached ();
    }
}

static const char *
property_company (Demo         *demo,
                  CompoundKind  kind)
{
  switch (kind)
    {
    case KIND_COMMERCIAL:
      return PICK (demo, commercial_companies);
    case KIND_OLD:
      /* Old compounds without a company are looked after by the community's red property. */
      return chance (demo, 600) ? "社区红色物业服务站" : NULL;
    case KIND_RESETTLEMENT:
      return PICK (demo, resettlement_companies);
    case KIND_RENTAL:
      return PICK (demo, rental_companies);
    case KIND_BASIC:
      return "社区准物业服务站";
    case N_KINDS:
    default:
      g_assert_not_reached ();
    }
}

/* One building: its record, up to @wanted households in rooms picked evenly from all its
 * rooms (selection sampling, so nothing is held in memory), then its leader. Households'
 * addresses read "幸福里小区 3栋 2单元 501"; the building's starts with its street. */
static guint
emit_building (Demo         *demo,
               Grid         *grid,
               CompoundKind  kind,
               const char   *compound_id,
               const char   *compound_name,
               const char   *street,
               guint         number,
               const char   *suffix,
               guint         wanted,
               guint         building_index)
{
  const BuildingShape *shape = &building_shapes[kind];
  g_autofree Household *household = g_new0 (Household, 1);
  g_autofree char *name = g_strdup_printf ("%u%s", number, suffix);
  g_autofree char *address = g_strdup_printf ("%s %s", compound_name, name);
  g_autofree char *full_address = g_strdup_printf ("%s %s", street, address);
  const char *worker = grid->workers[building_index % WORKERS_PER_GRID];
  char building_id[ID_LEN];
  char leader[ID_LEN] = "";
  int leader_score = 0;
  guint units = (guint) between (demo, shape->units[0], shape->units[1]);
  guint floors = (guint) between (demo, shape->floors[0], shape->floors[1]);
  guint rooms = units * floors * shape->rooms_per_floor;
  guint occupied = rooms * (guint) between (demo, shape->occupancy[0], shape->occupancy[1]) / 1000;
  guint n = MIN (wanted, MAX (1u, occupied));
  guint seen = 0, chosen = 0;

  record_begin (demo, demo->building_table, NULL, building_id);
  put_text (demo, "compound_id", compound_id);
  put_text (demo, "name", name);
  put_text (demo, "address", full_address);
  put_int (demo, "units", units);
  put_int (demo, "floors", floors);

  for (guint u = 1; u <= units && demo->error == NULL; u++)
    for (guint f = 1; f <= floors && demo->error == NULL; f++)
      for (guint r = 1; r <= shape->rooms_per_floor && demo->error == NULL; r++, seen++)
        {
          guint demands;

          if (chosen >= n || pick (demo, rooms - seen) >= n - chosen)
            continue;
          chosen++;

          memset (household, 0, sizeof *household);
          household->unit = u;
          household->storey = f;
          household->room = r;
          fill_members (demo, household, kind);
          add_difficulty (demo, household);
          fill_tenure (demo, household, kind);
          plan_visits (demo, household);

          emit_household (demo, household, building_id, address);
          emit_visits (demo, grid, household, worker);

          demands = chance (demo, 200);
      demands += chance (demo, 50);
          for (guint i = 0; i < demands; i++)
            emit_demand (demo, grid, household, worker);

          consider_leader (household, leader, &leader_score);
        }

  if (leader[0] != '\0')
    {
      record_update (demo, demo->building_table, building_id);
      put_text (demo, "leader_resident_id", leader);
    }

  return chosen;
}

static void
emit_compound (Demo  *demo,
               Grid  *grid,
               guint  n_households)
{
  g_autofree char *name = NULL;
  g_autofree char *street = NULL;
  const char *road = PICK (demo, roads);
  const char *suffix = chance (demo, 700) ? "栋" : "号楼";
  guint number = (guint) between (demo, 1, 300);
  char compound_id[ID_LEN];
  CompoundKind kind;
  guint done = 0;

  /* The first five compounds are one of each kind, so every demo shows them all. */
  if (demo->n_compounds < N_KINDS)
    kind = demo->first_kinds[demo->n_compounds];
  else
    kind = pick_weighted (demo, kind_weights, N_KINDS);
  demo->n_compounds++;

  name = compound_name (demo, kind, road, number);
  street = g_strdup_printf ("%s%u号", road, number);

  record_begin (demo, demo->compound_table, NULL, compound_id);
  put_text (demo, "name", name);
  put_text (demo, "kind", kind_values[kind]);
  put_text (demo, "property_company", property_company (demo, kind));

  for (guint b = 1; done < n_households && demo->error == NULL; b++)
    done += emit_building (demo, grid, kind, compound_id, name,
                           g_str_has_prefix (name, street) ? road : street,
                           b, suffix, n_households - done, b - 1);
}

/* ---------------------------------------------------------------- grids */

static void
grid_clear (Grid *grid)
{
  g_free (grid->id);
  g_free (grid->name);
  g_free (grid->community);
  for (guint i = 0; i < WORKERS_PER_GRID; i++)
    g_free (grid->workers[i]);
  g_free (grid->office);
}

static void
emit_grid (Demo  *demo,
           guint  index,
           guint  n_households)
{
  guint community = index / GRIDS_PER_COMMUNITY;
  guint subdistrict = community / COMMUNITIES_PER_SUBDISTRICT;
  guint cycle = community / G_N_ELEMENTS (community_words);
  g_autofree char *cycle_text = cycle > 0 ? chinese_number (cycle + 1) : g_strdup ("");
  g_autofree char *code = NULL;
  Grid grid = { index, };
  guint n_compounds, remaining = n_households;
  guint weights[4];
  guint total = 0;

  grid.id = sm_demo_grid_id (index);
  grid.community = g_strdup_printf ("%s%s社区",
                                    community_words[community % G_N_ELEMENTS (community_words)],
                                    cycle_text);
  grid.name = g_strdup_printf ("%s第%u网格", grid.community, index % GRIDS_PER_COMMUNITY + 1);
  grid.office = g_strdup_printf ("office-%02u", community + 1);
  for (guint i = 0; i < WORKERS_PER_GRID; i++)
    grid.workers[i] = g_strdup_printf ("worker-%02u-%u", index + 1, i + 1);
  code = g_strdup_printf ("%s%03u%03u%03u", regions[DEMO_REGION], subdistrict + 1,
                          community % COMMUNITIES_PER_SUBDISTRICT + 1,
                          index % GRIDS_PER_COMMUNITY + 1);

  demo->grid_id = grid.id;
  record_begin (demo, demo->grid_table, grid.id, NULL);
  put_text (demo, "name", grid.name);
  put_text (demo, "community", grid.community);
  put_text (demo, "subdistrict", subdistricts[subdistrict % G_N_ELEMENTS (subdistricts)]);
  put_text (demo, "code", code);

  /* Two to four compounds share the grid's households. */
  n_compounds = n_households == 0 ? 0 : n_households < 30 ? 1 : (guint) between (demo, 2, 4);
  for (guint c = 0; c < n_compounds; c++)
    total += weights[c] = (guint) between (demo, 1, 3);

  for (guint c = 0; c < n_compounds && demo->error == NULL; c++)
    {
      guint share = c + 1 == n_compounds ? remaining : MAX (1u, n_households * weights[c] / total);

      share = MIN (share, remaining);
      if (share == 0)
        break;
      emit_compound (demo, &grid, share);
      remaining -= share;
    }

  demo->grid_id = NULL;
  grid_clear (&grid);
}

/* ---------------------------------------------------------------- public API */

void
sm_demo_options_init (SmDemoOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->seed = 1;
  options->n_grids = 4;
  options->n_households = 400;
  options->now_unix = DEMO_NOW;
  options->site = DEMO_SITE;
  options->chunk_size = DEMO_CHUNK_SIZE;
}

char *
sm_demo_grid_id (guint index)
{
  return g_strdup_printf ("grid-%02u", index + 1);
}

/* A chunk_size of 0 means the default; more than SM_CHANGE_MAX_BATCH is cut to it, so a
 * chunk can always be sent as one batch. */
gboolean
sm_demo_generate (const SmDemoOptions  *options,
                  SmDemoChunkFunc       func,
                  gpointer              user_data,
                  GError              **error)
{
  Demo demo = { 0, };

  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (options->n_grids > 0, FALSE);
  g_return_val_if_fail (sm_site_is_valid (options->site), FALSE);
  g_return_val_if_fail (options->now_unix > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  demo.options = options;
  demo.func = func;
  demo.user_data = user_data;
  demo.rand = g_rand_new_with_seed (options->seed);
  demo.chunk_size = options->chunk_size == 0 ? DEMO_CHUNK_SIZE
                                             : MIN (options->chunk_size, SM_CHANGE_MAX_BATCH);
  demo.chunk = g_ptr_array_new_full (demo.chunk_size, (GDestroyNotify) sm_change_unref);
  demo.now = options->now_unix;
  demo.now_ms = (guint64) options->now_unix * 1000;
  demo.today = beijing_day (options->now_unix);
  demo.id_numbers = g_hash_table_new (g_direct_hash, NULL);

  demo.grid_table = sm_schema_lookup_table ("grid");
  demo.compound_table = sm_schema_lookup_table ("compound");
  demo.building_table = sm_schema_lookup_table ("building");
  demo.household_table = sm_schema_lookup_table ("household");
  demo.resident_table = sm_schema_lookup_table ("resident");
  demo.visit_table = sm_schema_lookup_table ("visit");
  demo.demand_table = sm_schema_lookup_table ("demand");
  demo.event_table = sm_schema_lookup_table ("demand_event");

  /* The five kinds in an order of the seed's choosing (Fisher–Yates). */
  for (guint i = 0; i < N_KINDS; i++)
    demo.first_kinds[i] = (CompoundKind) i;
  for (guint i = N_KINDS - 1; i > 0; i--)
    {
      guint j = pick (&demo, i + 1);
      CompoundKind k = demo.first_kinds[i];

      demo.first_kinds[i] = demo.first_kinds[j];
      demo.first_kinds[j] = k;
    }

  for (guint g = 0; g < options->n_grids && demo.error == NULL; g++)
    emit_grid (&demo, g, options->n_households / options->n_grids +
                         (g < options->n_households % options->n_grids ? 1 : 0));

  flush (&demo);

  g_ptr_array_unref (demo.chunk);
  g_hash_table_unref (demo.id_numbers);
  g_rand_free (demo.rand);

  if (demo.error != NULL)
    {
      g_propagate_error (error, demo.error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
apply_chunk (GPtrArray  *changes,
             gpointer    user_data,
             GError    **error)
{
  return sm_store_apply (SM_STORE (user_data), changes, NULL, NULL, error);
}

gboolean
sm_demo_populate_store (SmStore              *store,
                        const SmDemoOptions  *options,
                        GError              **error)
{
  g_return_val_if_fail (SM_IS_STORE (store), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return sm_demo_generate (options, apply_chunk, store, error);
}
