/* decode: transfer encodings (RFC 2045 §6), tolerant of garbage. */
#include "config.h"

#include <string.h>

#include "mime/mime_int.h"

static int
b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
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

	buf_grow(out, len / 4 * 3 + 3);
	for (i = 0; i < len; i++) {
		int v = b64val((unsigned char)s[i]);

		if (padded && (i == 0 || s[i - 1] == '\n')) {
			size_t j;

			for (j = i; j < len && s[j] != '\n' && s[j] != '\r'; j++)
				if (b64val((unsigned char)s[j]) < 0 && s[j] != '=')
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
			buf_addch(out, (int)((acc >> bits) & 0xff));
		}
		acc &= (1u << bits) - 1;
	}
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
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
			    (h1 = hexval((unsigned char)s[i + 1])) >= 0 &&
			    (h2 = hexval((unsigned char)s[i + 2])) >= 0) {
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
			    (s[blanks] == ' ' || s[blanks] == '\t'); blanks++)
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
mime_cte_decode(enum mime_cte cte, const char *s, size_t len,
    struct buf *out)
{
	switch (cte) {
	case MIME_CTE_BASE64:
		mime_base64_decode(s, len, out);
		break;
	case MIME_CTE_QP:
		mime_qp_decode(s, len, out);
		break;
	default:
		buf_add(out, s, len);
		break;
	}
}
