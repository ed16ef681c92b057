/* sm-pinyin.c — pinyin for search, with ICU's Han-Latin transliterator
 *
 * Each Han character is transliterated on its own, so every character gives exactly one
 * syllable (its first reading in ICU's table: Han-Latin picks one reading per character,
 * whatever the context) and the result can be cached per character. Opening Han-Latin
 * takes tens of milliseconds and one call costs microseconds; the cache makes converting
 * a name a few hash lookups once its characters have been seen.
 *
 * Tones are dropped and ü is written "v", as people type it with a pinyin input method
 * (吕 → "lv", 略 → "lve"). A Han character ICU has no reading for (々, some rare ones)
 * gives no syllable. Other letters and digits are kept as words, lowercased, after NFKC
 * normalization (full-width "ＡＢ１" becomes "ab1"); everything else separates words.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-search"

#include "sm-pinyin.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <unicode/utf16.h>
#include <unicode/utrans.h>

struct _SmPinyin
{
  UTransliterator *trans;
  GHashTable      *cache;  /* gunichar → syllable (char *), "" when there is none */
};

/* "Han-Latin" as UTF-16: the transliterator's id. */
static const UChar han_latin_id[] = { 'H', 'a', 'n', '-', 'L', 'a', 't', 'i', 'n', 0 };

gboolean
sm_pinyin_is_han (gunichar c)
{
  GUnicodeType type;

  if (g_unichar_get_script (c) != G_UNICODE_SCRIPT_HAN)
    return FALSE;

  /* Ideographs (Lo), 々 (Lm) and 〇 (Nl); not radicals or strokes, which are symbols. */
  type = g_unichar_type (c);
  return g_unichar_isalpha (c) || type == G_UNICODE_LETTER_NUMBER;
}

gboolean
sm_pinyin_is_word_char (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_LOWERCASE_LETTER:
    case G_UNICODE_MODIFIER_LETTER:
    case G_UNICODE_OTHER_LETTER:
    case G_UNICODE_TITLECASE_LETTER:
    case G_UNICODE_UPPERCASE_LETTER:
    case G_UNICODE_DECIMAL_NUMBER:
    case G_UNICODE_LETTER_NUMBER:
    case G_UNICODE_OTHER_NUMBER:
    case G_UNICODE_PRIVATE_USE:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Folds ICU's output to lowercase ASCII letters: tone marks go, ü becomes v, and the
 * space or apostrophe of a character read as two syllables (瓩 → "qiān wǎ") is dropped.
 * Returns NULL when something else is left, e.g. a character ICU did not transliterate. */
static char *
fold_reading (const UChar *text,
              int32_t      length)
{
  g_autoptr(GString) out = g_string_new (NULL);
  int32_t i = 0;

  while (i < length)
    {
      gunichar decomposition[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
      gsize n;
      gboolean diaeresis = FALSE;
      UChar32 c;
      gunichar base;

      U16_NEXT (text, i, length, c);
      if (c == ' ' || c == '\'' || c == '-' || c == 0x2019)
        continue;

      n = g_unichar_fully_decompose ((gunichar) c, FALSE, decomposition,
                                     G_N_ELEMENTS (decomposition));
      if (n == 0)
        return NULL;
      base = g_unichar_tolower (decomposition[0]);
      for (gsize k = 1; k < n; k++)
        if (decomposition[k] == 0x0308)  /* combining diaeresis */
          diaeresis = TRUE;

      if (base > 0x7f || !g_ascii_isalpha ((char) base))
        return NULL;

      g_string_append_c (out, base == 'u' && diaeresis ? 'v' : (char) base);
    }

  if (out->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
transliterate (SmPinyin *self,
               gunichar  c)
{
  UChar buffer[64];
  int32_t length = 0;
  int32_t limit;
  UErrorCode status = U_ZERO_ERROR;
  char *reading;

  U16_APPEND_UNSAFE (buffer, length, (UChar32) c);
  limit = length;
  utrans_transUChars (self->trans, buffer, &length, G_N_ELEMENTS (buffer), 0, &limit, &status);
  if (U_FAILURE (status))
    {
      g_debug ("No reading for U+%04X: %s", c, u_errorName (status));
      return g_strdup ("");
    }

  reading = fold_reading (buffer, MIN (length, (int32_t) G_N_ELEMENTS (buffer)));
  return reading != NULL ? reading : g_strdup ("");
}

static const char *
lookup_reading (SmPinyin *self,
                gunichar  c)
{
  char *reading = g_hash_table_lookup (self->cache, GUINT_TO_POINTER (c));

  if (reading == NULL)
    {
      reading = transliterate (self, c);
      g_hash_table_insert (self->cache, GUINT_TO_POINTER (c), reading);
    }

  return reading;
}

static void
append_word (GString    *syllables,
             GString    *initials,
             const char *word,
             gssize      length)
{
  if (length < 0)
    length = (gssize) strlen (word);
  if (length == 0)
    return;

  if (syllables->len > 0)
    g_string_append_c (syllables, ' ');
  g_string_append_len (syllables, word, length);

  if (initials != NULL)
    g_string_append_len (initials, word, g_utf8_next_char (word) - word);
}

SmPinyin *
sm_pinyin_new (GError **error)
{
  g_autoptr(SmPinyin) self = g_new0 (SmPinyin, 1);
  UErrorCode status = U_ZERO_ERROR;
  UParseError parse_error;

  self->trans = utrans_openU (han_latin_id, -1, UTRANS_FORWARD, NULL, 0, &parse_error, &status);
  if (U_FAILURE (status))
    {
      self->trans = NULL;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   /* Translators: the first %s is an ICU transliterator id ("Han-Latin"),
                    * the second ICU's (English) error name */
                   _("Pinyin search is unavailable: the ICU transliterator “%s” cannot be opened (%s)"),
                   "Han-Latin", u_errorName (status));
      return NULL;
    }

  self->cache = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);

  return g_steal_pointer (&self);
}

void
sm_pinyin_free (SmPinyin *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->trans, utrans_close);
  g_clear_pointer (&self->cache, g_hash_table_unref);
  g_free (self);
}

/* Invalid UTF-8 is refused (FALSE, both outputs NULL) rather than guessed at; callers
 * that index untrusted text sanitize it first (sm-search-text does). */
gboolean
sm_pinyin_convert (SmPinyin    *self,
                   const char  *text,
                   char       **out_syllables,
                   char       **out_initials)
{
  g_autoptr(GString) syllables = NULL;
  g_autoptr(GString) initials = NULL;
  g_autoptr(GString) word = NULL;
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (out_syllables != NULL, FALSE);

  *out_syllables = NULL;
  if (out_initials != NULL)
    *out_initials = NULL;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return FALSE;

  normalized = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  if (normalized == NULL)
    return FALSE;

  syllables = g_string_new (NULL);
  initials = out_initials != NULL ? g_string_new (NULL) : NULL;
  word = g_string_new (NULL);

  for (const char *p = normalized; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (sm_pinyin_is_han (c))
        {
          append_word (syllables, initials, word->str, (gssize) word->len);
          g_string_truncate (word, 0);
          append_word (syllables, initials, lookup_reading (self, c), -1);
        }
      else if (sm_pinyin_is_word_char (c) || (word->len > 0 && g_unichar_ismark (c)))
        {
          g_string_append_unichar (word, g_unichar_tolower (c));
        }
      else
        {
          append_word (syllables, initials, word->str, (gssize) word->len);
          g_string_truncate (word, 0);
        }
    }
  append_word (syllables, initials, word->str, (gssize) word->len);

  *out_syllables = g_string_free (g_steal_pointer (&syllables), FALSE);
  if (out_initials != NULL)
    *out_initials = g_string_free (g_steal_pointer (&initials), FALSE);

  return TRUE;
}
