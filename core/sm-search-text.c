/* sm-search-text.c — what goes into the FTS5 index, and what a query becomes
 *
 * The index is one FTS5 column tokenized by unicode61 (remove_diacritics 2) with prefix
 * indexes for 1–3 characters (sm-store.c). unicode61 would keep a run of Han characters
 * as one token, so the document puts a space around each of them; everything else is
 * written as words of letters and digits. Text is made valid UTF-8 and NFKC-normalized
 * first, so full-width letters and digits (ＡＢ１２) index and match as ASCII.
 *
 * A resident's document (name, phone):
 *
 *   张 三 张三 zhang san zhangsan zs 13812345678 5678
 *
 * the name's characters, the name run together, then its pinyin: each syllable, the
 * syllables run together and the initials, so "zs", "zhangs", "zhangsan" and "zhang san"
 * all match as prefixes. A surname with a reading of its own (单 dān, as a surname shàn;
 * 曾 céng/zēng) adds the tokens of that reading too, and so does ü written u as well as v
 * (吕: "lv" and "lu"). A household's document (phone, address) has no pinyin:
 *
 *   13812345678 5678 幸 福 社 区 1 栋 101
 *
 * A phone number is written as its digits (a +86 or 0086 country code dropped), and its
 * last four digits once more, so both the first digits and the last four find it.
 *
 * A query is cut into words at anything that is not a letter or a digit. Each word
 * becomes one term: a quoted phrase of its tokens (each Han character one token), and a
 * prefix when it ends in a letter or digit; the terms are joined with AND:
 *
 *   张三 zs   →  ("张 三" OR "张三") AND ("zs"* OR "zs")
 *   3号楼      →  ("3 号 楼" OR "3号楼")
 *   张         →  "张"
 *
 * The OR'd exact token matches no document the phrase does not (see format_term()); it
 * only ranks whole names, initials and numbers above longer ones that start the same.
 * Digits typed in groups as a phone number ("138 1234 5678", "+86 138-1234") become one
 * term. Inside double quotes FTS5 reads no operator, column filter or NEAR, and a word
 * never holds a double quote, so no input can make a syntax error. A query is cut at
 * 256 characters and 16 words, which bounds the work a pasted text can cause.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-search"

#include "sm-search-text.h"

#include <string.h>

/* A search box never needs more; the limits bound the work a pasted text can cause. */
#define MAX_QUERY_CHARS    256
#define MAX_QUERY_TERMS    16
#define MAX_PHRASE_TOKENS  32
/* Names are short; this bounds the run-together token of a damaged one. */
#define MAX_NAME_CHARS     64

typedef struct {
  char     *text;
  gboolean  han;         /* one Han character */
  gboolean  word_start;  /* the start of the text or a separator comes before it */
} Token;

/* Surnames read differently from the character's first reading, which is the one ICU's
 * Han-Latin gives. From the differences between ICU's Han-Latin and Han-Latin/Names, plus
 * a few common ones Han-Latin/Names leaves out; traditional forms where they differ. */
static const struct {
  const char *han;
  const char *reading;
} surname_readings[] = {
  { "曾", "zeng" }, { "单", "shan" }, { "單", "shan" }, { "解", "xie" }, { "仇", "qiu" },
  { "查", "zha" }, { "区", "ou" }, { "區", "ou" }, { "乐", "yue" }, { "樂", "yue" },
  { "翟", "zhai" }, { "尉", "yu" }, { "盖", "ge" }, { "蓋", "ge" }, { "朴", "piao" },
  { "缪", "miao" }, { "繆", "miao" }, { "覃", "qin" }, { "召", "shao" }, { "员", "yun" },
  { "員", "yun" }, { "种", "chong" }, { "種", "chong" }, { "重", "chong" }, { "长", "chang" },
  { "長", "chang" }, { "繁", "po" }, { "折", "she" }, { "秘", "bi" }, { "隗", "wei" },
  { "都", "du" }, { "薄", "bo" }, { "句", "gou" }, { "祭", "zhai" }, { "黑", "he" },
};

static void
token_clear (gpointer data)
{
  Token *token = data;

  g_free (token->text);
}

/* Valid, NFKC-normalized UTF-8 of at most @max_chars characters (-1: all) of @text. */
static char *
sanitize (const char *text,
          glong       max_chars)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  char *normalized;

  if (max_chars >= 0 && g_utf8_strlen (valid, -1) > max_chars)
    {
      char *cut = g_utf8_substring (valid, 0, max_chars);

      g_free (valid);
      valid = cut;
    }

  normalized = g_utf8_normalize (valid, -1, G_NORMALIZE_NFKC);
  return normalized != NULL ? normalized : g_strdup ("");
}

static void
push_token (GArray     *tokens,
            const char *text,
            gsize       length,
            gboolean    han,
            gboolean   *word_start)
{
  Token token = { g_strndup (text, length), han, *word_start };

  g_array_append_val (tokens, token);
  *word_start = FALSE;
}

/* Cuts sanitized @text into lowercase tokens: each Han character, and each run of
 * other word characters. */
static GArray *
tokenize (const char *text)
{
  GArray *tokens = g_array_new (FALSE, FALSE, sizeof (Token));
  g_autoptr(GString) word = g_string_new (NULL);
  gboolean word_start = TRUE;

  g_array_set_clear_func (tokens, token_clear);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (sm_pinyin_is_han (c))
        {
          if (word->len > 0)
            push_token (tokens, word->str, word->len, FALSE, &word_start);
          g_string_truncate (word, 0);
          push_token (tokens, p, (gsize) (g_utf8_next_char (p) - p), TRUE, &word_start);
        }
      else if (sm_pinyin_is_word_char (c) || (word->len > 0 && g_unichar_ismark (c)))
        {
          g_string_append_unichar (word, g_unichar_tolower (c));
        }
      else
        {
          if (word->len > 0)
            push_token (tokens, word->str, word->len, FALSE, &word_start);
          g_string_truncate (word, 0);
          word_start = TRUE;
        }
    }

  if (word->len > 0)
    push_token (tokens, word->str, word->len, FALSE, &word_start);

  return tokens;
}

/* ---------------------------------------------------------------- documents */

static void
append_token (GString    *doc,
              const char *token)
{
  if (*token == '\0')
    return;

  if (doc->len > 0)
    g_string_append_c (doc, ' ');
  g_string_append (doc, token);
}

/* Appends @token unless @seen already holds it. */
static void
append_once (GString    *doc,
             GHashTable *seen,
             const char *token)
{
  if (*token == '\0' || g_hash_table_contains (seen, token))
    return;

  g_hash_table_add (seen, g_strdup (token));
  append_token (doc, token);
}

static void
append_text (GString    *doc,
             GHashTable *seen,
             const char *text)
{
  g_autofree char *normalized = sanitize (text, -1);
  g_autoptr(GArray) tokens = tokenize (normalized);

  for (guint i = 0; i < tokens->len; i++)
    {
      const Token *token = &g_array_index (tokens, Token, i);

      /* Han characters are positions of a phrase: every one is written, even repeated. */
      append_token (doc, token->text);
      if (seen != NULL && !token->han)
        g_hash_table_add (seen, g_strdup (token->text));
    }
}

/* The name's tokens run together ("张三"), which a query for the whole name matches
 * exactly; see format_term(). */
static void
append_whole_name (GString    *doc,
                   GHashTable *seen,
                   const char *name)
{
  g_autofree char *normalized = sanitize (name, MAX_NAME_CHARS);
  g_autoptr(GArray) tokens = tokenize (normalized);
  g_autoptr(GString) whole = g_string_new (NULL);

  if (tokens->len < 2)
    return;

  for (guint i = 0; i < tokens->len; i++)
    g_string_append (whole, g_array_index (tokens, Token, i).text);

  append_once (doc, seen, whole->str);
}

/* One reading of a name: its syllables, run together, and their initials. */
static void
append_reading (GString     *doc,
                GHashTable  *seen,
                char       **syllables)
{
  g_autoptr(GString) joined = g_string_new (NULL);
  g_autoptr(GString) initials = g_string_new (NULL);
  guint n = g_strv_length (syllables);

  for (guint i = 0; i < n; i++)
    {
      append_once (doc, seen, syllables[i]);
      g_string_append (joined, syllables[i]);
      g_string_append_len (initials, syllables[i],
                           g_utf8_next_char (syllables[i]) - syllables[i]);
    }

  if (n < 2)
    return;

  append_once (doc, seen, joined->str);
  append_once (doc, seen, initials->str);
}

static gboolean
is_v_syllable (const char *syllable)
{
  return g_str_equal (syllable, "lv") || g_str_equal (syllable, "nv") ||
         g_str_equal (syllable, "lve") || g_str_equal (syllable, "nve");
}

/* Appends @syllables and, when it has ü (written v), the same reading with u. */
static void
append_reading_and_u (GString     *doc,
                      GHashTable  *seen,
                      char       **syllables)
{
  g_auto(GStrv) with_u = NULL;
  gboolean has_v = FALSE;

  append_reading (doc, seen, syllables);

  for (guint i = 0; syllables[i] != NULL; i++)
    has_v |= is_v_syllable (syllables[i]);
  if (!has_v)
    return;

  with_u = g_strdupv (syllables);
  for (guint i = 0; with_u[i] != NULL; i++)
    if (is_v_syllable (with_u[i]))
      *strchr (with_u[i], 'v') = 'u';

  append_reading (doc, seen, with_u);
}

static const char *
lookup_surname_reading (const char *name)
{
  gunichar first = g_utf8_get_char (name);

  for (guint i = 0; i < G_N_ELEMENTS (surname_readings); i++)
    if (g_utf8_get_char (surname_readings[i].han) == first)
      return surname_readings[i].reading;

  return NULL;
}

static void
append_pinyin (GString    *doc,
               GHashTable *seen,
               SmPinyin   *pinyin,
               const char *name)
{
  g_autofree char *normalized = sanitize (name, MAX_NAME_CHARS);
  g_autofree char *text = NULL;
  g_auto(GStrv) syllables = NULL;
  const char *start = normalized;
  const char *surname;

  if (!sm_pinyin_convert (pinyin, normalized, &text, NULL) || *text == '\0')
    return;

  syllables = g_strsplit (text, " ", -1);
  append_reading_and_u (doc, seen, syllables);

  /* The surname is the first character of the name, when it is a Han one. */
  while (*start != '\0' && !sm_pinyin_is_han (g_utf8_get_char (start)) &&
         !sm_pinyin_is_word_char (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);

  if (sm_pinyin_is_han (g_utf8_get_char (start)) &&
      (surname = lookup_surname_reading (start)) != NULL &&
      !g_str_equal (surname, syllables[0]))
    {
      g_auto(GStrv) other = g_strdupv (syllables);

      g_free (other[0]);
      other[0] = g_strdup (surname);
      append_reading_and_u (doc, seen, other);
    }
}

static void
append_number (GString *doc,
               GString *digits)
{
  const char *number = digits->str;
  gsize length = digits->len;

  /* +86 138…, 0086 138…: the country code is not what people type. */
  if (length >= 10 && g_str_has_prefix (number, "0086"))
    number += 4, length -= 4;
  else if (length == 13 && g_str_has_prefix (number, "861"))
    number += 2, length -= 2;

  if (length == 0)
    return;

  append_token (doc, number);
  if (length > 4)
    append_token (doc, number + length - 4);
}

static void
append_phone (GString    *doc,
              const char *phone)
{
  g_autofree char *normalized = sanitize (phone, -1);
  g_autoptr(GString) digits = g_string_new (NULL);

  /* Spaces, dashes, dots, brackets and '+' group the digits of one number ("010-1234
   * 5678", "+86 138 1234 5678"); anything else ("/", ",", "、", letters) separates two. */
  for (const char *p = normalized; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (strchr (" -.()+", *p) == NULL)
        {
          append_number (doc, digits);
          g_string_truncate (digits, 0);
        }
    }

  append_number (doc, digits);
}

char *
sm_search_text_document (SmPinyin   *pinyin,
                         const char *name,
                         const char *phone,
                         const char *address)
{
  g_autoptr(GString) doc = g_string_new (NULL);

  if (name != NULL)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      append_text (doc, seen, name);
      append_whole_name (doc, seen, name);
      if (pinyin != NULL)
        append_pinyin (doc, seen, pinyin, name);
    }

  if (phone != NULL)
    append_phone (doc, phone);

  if (address != NULL)
    append_text (doc, NULL, address);

  return g_string_free (g_steal_pointer (&doc), FALSE);
}

/* ---------------------------------------------------------------- queries */

/* The digits of a query that is only a phone number typed in groups ("138 1234 5678",
 * "010-8888", "+86 13812345678"), or NULL. A single group with no country code is left
 * to the ordinary path, and so are short groups that look like an address ("3 501"). */
static char *
phone_query_digits (const char *text)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  guint groups = 0;
  gsize first_group = 0;
  gboolean in_group = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          if (!in_group)
            groups++;
          in_group = TRUE;
          g_string_append_c (digits, *p);
          if (groups == 1)
            first_group++;
        }
      else if (strchr (" -.()+", *p) != NULL)
        in_group = FALSE;
      else
        return NULL;
    }

  while (*text == ' ')
    text++;

  if (g_str_has_prefix (text, "+86") && digits->len > 2)
    g_string_erase (digits, 0, 2);
  else if (digits->len > 4 && g_str_has_prefix (digits->str, "0086"))
    g_string_erase (digits, 0, 4);
  else if (digits->len == 13 && g_str_has_prefix (digits->str, "861"))
    g_string_erase (digits, 0, 2);
  else if (groups < 2 ||
           (digits->len < 7 && !(first_group >= 3 && (digits->str[0] == '0' || digits->str[0] == '1'))))
    return NULL;

  if (digits->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&digits), FALSE);
}

/* One word's tokens as a quoted phrase, a prefix when the last token is not Han. When
 * that phrase could match more than one whole token, the word written as one exact token
 * is offered as well: ("zs"* OR "zs"), ("张 三" OR "张三"). The second phrase matches
 * only documents the first matches too (a name's document holds its tokens and, run
 * together, the whole name), so it changes no result, only the rank: bm25 adds both
 * phrases' scores, and an exact name, initials or phone number comes before a longer
 * one that merely starts the same way. */
static char *
format_term (const Token *tokens,
             guint        n)
{
  g_autoptr(GString) phrase = g_string_new ("\"");
  g_autoptr(GString) exact = g_string_new ("\"");
  gboolean prefix;

  n = MIN (n, MAX_PHRASE_TOKENS);
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (phrase, ' ');
      g_string_append (phrase, tokens[i].text);
      g_string_append (exact, tokens[i].text);
    }
  g_string_append_c (phrase, '"');
  g_string_append_c (exact, '"');

  prefix = !tokens[n - 1].han;
  if (prefix)
    g_string_append_c (phrase, '*');

  if (!prefix && n == 1)
    return g_string_free (g_steal_pointer (&phrase), FALSE);

  return g_strdup_printf ("(%s OR %s)", phrase->str, exact->str);
}

static void
add_term (GPtrArray  *terms,
          GHashTable *seen,
          char       *term)
{
  if (terms->len >= MAX_QUERY_TERMS || g_hash_table_contains (seen, term))
    {
      g_free (term);
      return;
    }

  g_hash_table_add (seen, term);
  g_ptr_array_add (terms, term);
}

char *
sm_search_text_query (const char *query)
{
  g_autofree char *normalized = NULL;
  g_autofree char *digits = NULL;
  g_autoptr(GArray) tokens = NULL;
  g_autoptr(GPtrArray) terms = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GString) match = NULL;
  guint start = 0;

  if (query == NULL)
    return NULL;

  normalized = sanitize (query, MAX_QUERY_CHARS);

  if ((digits = phone_query_digits (normalized)) != NULL)
    return g_strdup_printf ("(\"%s\"* OR \"%s\")", digits, digits);

  tokens = tokenize (normalized);
  terms = g_ptr_array_new ();
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 1; i <= tokens->len; i++)
    {
      if (i < tokens->len && !g_array_index (tokens, Token, i).word_start)
        continue;

      add_term (terms, seen, format_term (&g_array_index (tokens, Token, start), i - start));
      start = i;
    }

  if (terms->len == 0)
    return NULL;

  match = g_string_new (NULL);
  for (guint i = 0; i < terms->len; i++)
    {
      if (i > 0)
        g_string_append (match, " AND ");
      g_string_append (match, g_ptr_array_index (terms, i));
    }

  return g_string_free (g_steal_pointer (&match), FALSE);
}
