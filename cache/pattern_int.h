/* The pattern compiler's two halves (cache/pattern.c, cache/pattern_fn.c)
 * share these; nothing else includes it. */
#ifndef POSTIE_CACHE_PATTERN_INT_H
#define POSTIE_CACHE_PATTERN_INT_H

#include <sqlite3.h>
#include <stddef.h>

#include "core/buf.h"

/* An FTS5 query: every word of s, each quoted (so no FTS syntax gets
 * through) and a prefix unless whole words are wanted.  0 words: 0. */
size_t pattern_fts_words(struct buf *q, const char *s, int whole);
/* postie_phrase, postie_body, postie_body_has and postie_regexp on sq. */
void pattern_register_functions(sqlite3 *sq);

#endif
