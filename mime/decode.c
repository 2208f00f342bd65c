/* decode: transfer encodings (RFC 2045 §6), tolerant of garbage. */
#include "config.h"

#include <string.h>

#include "core/str.h"
#include "mime/mime_int.h"

/* -1 for bytes outside the alphabet (both the standard and URL-safe
 * ones are accepted). */
static const signed char b64[256] = {
    ['A'] = 1,
    ['B'] = 2,
    ['C'] = 3,
    ['D'] = 4,
    ['E'] = 5,
    ['F'] = 6,
    ['G'] = 7,
    ['H'] = 8,
    ['I'] = 9,
    ['J'] = 10,
    ['K'] = 11,
    ['L'] = 12,
    ['M'] = 13,
    ['N'] = 14,
    ['O'] = 15,
    ['P'] = 16,
    ['Q'] = 17,
    ['R'] = 18,
    ['S'] = 19,
    ['T'] = 20,
    ['U'] = 21,
    ['V'] = 22,
    ['W'] = 23,
    ['X'] = 24,
    ['Y'] = 25,
    ['Z'] = 26,
    ['a'] = 27,
    ['b'] = 28,
    ['c'] = 29,
    ['d'] = 30,
    ['e'] = 31,
    ['f'] = 32,
    ['g'] = 33,
    ['h'] = 34,
    ['i'] = 35,
    ['j'] = 36,
    ['k'] = 37,
    ['l'] = 38,
    ['m'] = 39,
    ['n'] = 40,
    ['o'] = 41,
    ['p'] = 42,
    ['q'] = 43,
    ['r'] = 44,
    ['s'] = 45,
    ['t'] = 46,
    ['u'] = 47,
    ['v'] = 48,
    ['w'] = 49,
    ['x'] = 50,
    ['y'] = 51,
    ['z'] = 52,
    ['0'] = 53,
    ['1'] = 54,
    ['2'] = 55,
    ['3'] = 56,
    ['4'] = 57,
    ['5'] = 58,
    ['6'] = 59,
    ['7'] = 60,
    ['8'] = 61,
    ['9'] = 62,
    ['+'] = 63,
    ['-'] = 63,
    ['/'] = 64,
    ['_'] = 64,
};

/* Table entries are value + 1, so that 0 means "not base64". */
static int
b64val(unsigned char c)
{
	return b64[c] - 1;
}

/* Characters outside the alphabet are skipped.  After padding, a line is
 * decoded only if it is all base64 (blobs glued together); other text
 * there (a list footer, a signature) is not base64 and is ignored. */
void
mime_base64_decode(const char *s, size_t len, struct buf *out)
{
	unsigned acc = 0;
	int bits = 0, padded = 0;
	size_t i;
	unsigned char *o;

	buf_grow(out, len / 4 * 3 + 3);
	o = (unsigned char *)out->data + out->len;
	for (i = 0; i < len; i++) {
		int v = b64val((unsigned char)s[i]);

		if (padded && (i == 0 || s[i - 1] == '\n')) {
			size_t j;

			for (j = i; j < len && s[j] != '\n' && s[j] != '\r';
			     j++)
				if (b64val((unsigned char)s[j]) < 0 &&
				    s[j] != '=')
					break;
			if (j < len && s[j] != '\n' && s[j] != '\r') {
				const char *nl = memchr(s + j, '\n', len - j);

				if (nl == NULL)
					break;
				i = (size_t)(nl - s); /* skip the line */
				continue;
			}
			if (j > i) /* blank lines keep waiting */
				padded = 0;
		}
		if (s[i] == '=') {
			acc = 0;
			bits = 0;
			padded = 1;
			continue;
		}
		if (v < 0)
			continue;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			*o++ = (unsigned char)(acc >> bits);
		}
		acc &= (1u << bits) - 1;
	}
	/* at most 3 bytes per 4 input bytes: the room reserved above */
	out->len = (size_t)((char *)o - out->data);
	out->data[out->len] = '\0';
}


/* Soft breaks ("=" at line end, blanks allowed after it) vanish; "=XX"
 * decodes; any other "=" stays as it is; blanks at line end go. */
void
mime_qp_decode(const char *s, size_t len, struct buf *out)
{
	size_t i = 0, blanks;

	buf_grow(out, len);
	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if (c == '=') {
			size_t j = i + 1;
			int h1, h2;

			while (j < len && (s[j] == ' ' || s[j] == '\t'))
				j++;
			if (j < len && s[j] == '\r')
				j++;
			if (j >= len || s[j] == '\n') {
				i = j < len ? j + 1 : j;
				continue;
			}
			if (i + 2 < len &&
			    (h1 = str_hexval((unsigned char)s[i + 1])) >= 0 &&
			    (h2 = str_hexval((unsigned char)s[i + 2])) >= 0) {
				buf_addch(out, h1 * 16 + h2);
				i += 3;
				continue;
			}
			buf_addch(out, '=');
			i++;
			continue;
		}
		if (c == ' ' || c == '\t') {
			for (blanks = i; blanks < len &&
			     (s[blanks] == ' ' || s[blanks] == '\t');
			     blanks++)
				;
			if (blanks < len && s[blanks] == '\r')
				blanks++;
			if (blanks >= len || s[blanks] == '\n') {
				i = blanks; /* trailing blanks: dropped */
				continue;
			}
			buf_add(out, s + i, blanks - i);
			i = blanks;
			continue;
		}
		if (c == '\r' && i + 1 < len && s[i + 1] == '\n') {
			i++;
			continue;
		}
		buf_addch(out, c);
		i++;
	}
}

void
mime_cte_decode(enum mime_cte cte, const char *s, size_t len, struct buf *out)
{
	switch (cte) {
	case MIME_CTE_BASE64: mime_base64_decode(s, len, out); break;
	case MIME_CTE_QP: mime_qp_decode(s, len, out); break;
	default: buf_add(out, s, len); break;
	}
}
