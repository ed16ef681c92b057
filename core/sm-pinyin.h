/* sm-pinyin.h — pinyin for search, with ICU's Han-Latin transliterator
 *
 * "张三" → syllables "zhang san", initials "zs". Not thread-safe: one per store.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SmPinyin SmPinyin;

SmPinyin *sm_pinyin_new      (GError     **error);
void      sm_pinyin_free     (SmPinyin    *self);

/* Transliterates @text (UTF-8) to lowercase ASCII pinyin without tones, one syllable per
 * Han character, separated by spaces; other letters and digits are kept, lowercased.
 * @out_initials (nullable) receives the first letter of each syllable. */
gboolean  sm_pinyin_convert  (SmPinyin    *self,
                              const char  *text,
                              char       **out_syllables,
                              char       **out_initials);

/* What the search index and its queries agree on, so both cut text the same way: a Han
 * character is an ideograph (also 々 and 〇, not radicals or strokes); a word character
 * is one FTS5's unicode61 tokenizer keeps in a token (letters, digits, private use). */
gboolean  sm_pinyin_is_han       (gunichar     c);
gboolean  sm_pinyin_is_word_char (gunichar     c);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmPinyin, sm_pinyin_free)

G_END_DECLS
