/* sm-search-text.h — what goes into the FTS5 index, and what a query becomes
 *
 * The index uses FTS5's unicode61 tokenizer. Han characters are written one token each
 * so that any run of them matches as a phrase; names also get their pinyin syllables,
 * the syllables run together and the initials, so "zs", "zhangsan" and "张三" all find
 * 张三. Queries become an AND of phrase and prefix terms, with every character that
 * could mean something to FTS5 removed, so no input can make a syntax error.
 */
#pragma once

#include <glib.h>

#include "sm-pinyin.h"

G_BEGIN_DECLS

/* Any argument may be NULL. */
char *sm_search_text_document (SmPinyin   *pinyin,
                               const char *name,
                               const char *phone,
                               const char *address);

/* An FTS5 MATCH expression, or NULL when @query holds nothing searchable. */
char *sm_search_text_query    (const char *query);

G_END_DECLS
