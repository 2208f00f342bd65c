/* flowed: text/plain; format=flowed (RFC 3676) to fixed lines. */
#include "config.h"

#include <string.h>

#include "mime/mime_int.h"

/* Paragraphs are joined into one line (the renderer wraps them); quote
 * depth is written as ">" * depth + " " at the start of each line. */
void
mime_flowed_decode(const char *s, size_t len, int delsp, struct buf *out)
{
	size_t pos = 0, k;
	int open = 0, open_depth = 0;

	while (pos < len) {
		const char *nl = memchr(s + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (s + pos)) : len - pos;
		size_t next = nl ? pos + n + 1 : len;
		const char *l = s + pos;
		int depth = 0, flowed;

		if (n > 0 && l[n - 1] == '\r')
			n--;
		while ((size_t)depth < n && l[depth] == '>')
			depth++;
		l += depth;
		n -= (size_t)depth;
		if (n > 0 && l[0] == ' ') /* space-stuffing */
			l++, n--;
		flowed = n > 0 && l[n - 1] == ' ' &&
		    !(n == 3 && memcmp(l, "-- ", 3) == 0);
		if (open && depth != open_depth) { /* quote changed: end */
			buf_addch(out, '\n');
			open = 0;
		}
		if (!open && depth > 0) {
			for (k = 0; k < (size_t)depth; k++)
				buf_addch(out, '>');
			buf_addch(out, ' ');
		}
		if (flowed && delsp)
			n--;
		buf_add(out, l, n);
		if (flowed) {
			open = 1;
			open_depth = depth;
		} else {
			buf_addch(out, '\n');
			open = 0;
		}
		pos = next;
	}
	if (open)
		buf_addch(out, '\n');
}
