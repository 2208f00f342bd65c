/* What the fuzz targets of names and fields assert about text meant for
 * a terminal or a tab-separated record (shared by fuzz_mutf7 and
 * fuzz_tsv). */
#ifndef POSTIE_TESTS_FUZZ_CHECK_H
#define POSTIE_TESTS_FUZZ_CHECK_H

#include <stdlib.h>
#include <string.h>

#include "core/str.h"

/* Aborts unless s[0..len) is valid UTF-8 with no C0 control (TAB and LF
 * too unless allowed: tab_lf), no DEL, no C1 control and no bidi
 * control. */
static inline void
fuzz_assert_clean(const char *str, size_t len, int tab_lf)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n;
	unsigned cp;

	while (i < len) {
		if ((n = str_utf8_decode(s + i, len - i, &cp)) == 0)
			abort();
		if (cp < 0x20 && !(tab_lf && (cp == '\t' || cp == '\n')))
			abort();
		if (cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
			abort();
		if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 &&
		    cp <= 0x2069) || cp == 0x200E || cp == 0x200F ||
		    cp == 0x061C)
			abort();
		i += n;
	}
}

/* Aborts unless str_unescape_field(esc) gives back want[0..len). */
static inline void
fuzz_assert_unescapes_to(const char *esc, size_t esclen, const char *want,
    size_t len)
{
	struct buf back = BUF_INIT;

	if (str_unescape_field(&back, esc, esclen) < 0 || back.len != len ||
	    (len > 0 && memcmp(back.data, want, len) != 0))
		abort();
	buf_free(&back);
}

#endif
