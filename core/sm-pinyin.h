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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmPinyin, sm_pinyin_free)

G_END_DECLS
