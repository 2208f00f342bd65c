#include "core/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int
str_ncasecmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; a++, b++, n--) {
		int ca = str_ascii_lower((unsigned char)*a);
		int cb = str_ascii_lower((unsigned char)*b);

		if (ca != cb)
			return ca - cb;
		if (ca == '\0')
			break;
	}
	return 0;
}

int
str_casecmp(const char *a, const char *b)
{
	return str_ncasecmp(a, b, (size_t)-1);
}

int
str_has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int
str_has_casefix(const char *s, const char *prefix)
{
	return str_ncasecmp(s, prefix, strlen(prefix)) == 0;
}

size_t
str_lcpy(char *dst, const char *src, size_t dstsize)
{
	size_t n = strlen(src);

	if (dstsize > 0) {
		size_t c = n < dstsize - 1 ? n : dstsize - 1;

		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}

char *
str_trim(char *s)
{
	size_t n = strlen(s), i = 0;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	memmove(s, s + i, n - i);
	s[n - i] = '\0';
	return s;
}

int
str_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
str_to_ulong(const char *s, unsigned long max, unsigned long *v_r)
{
	unsigned long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (max - (unsigned long)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	*v_r = v;
	return 0;
}

size_t
str_utf8_decode(const unsigned char *s, size_t len, unsigned *cp_r)
{
	unsigned cp, min;
	size_t n, i;

	*cp_r = 0xFFFD;
	if (s[0] < 0x80) {
		*cp_r = s[0];
		return 1;
	} else if ((s[0] & 0xE0) == 0xC0) {
		n = 2, cp = s[0] & 0x1F, min = 0x80;
	} else if ((s[0] & 0xF0) == 0xE0) {
		n = 3, cp = s[0] & 0x0F, min = 0x800;
	} else if ((s[0] & 0xF8) == 0xF0) {
		n = 4, cp = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	*cp_r = cp;
	return n;
}

void
str_utf8_encode(struct buf *out, unsigned cp)
{
	unsigned char b[4];
	size_t n;

	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		b[0] = (unsigned char)cp, n = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xC0 | cp >> 6);
		b[1] = (unsigned char)(0x80 | (cp & 0x3F)), n = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char)(0xE0 | cp >> 12);
		b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (unsigned char)(0x80 | (cp & 0x3F)), n = 3;
	} else {
		b[0] = (unsigned char)(0xF0 | cp >> 18);
		b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (unsigned char)(0x80 | (cp & 0x3F)), n = 4;
	}
	buf_add(out, b, n);
}

static int
is_bidi_control(unsigned cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 &&
	    cp <= 0x2069) || cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

/* Length of the escape sequence starting at s[0] == ESC (all of it). */
static size_t
esc_len(const unsigned char *s, size_t len)
{
	size_t i = 1;

	if (len < 2)
		return len;
	if (s[1] == '[') { /* CSI: parameters, then one final byte */
		for (i = 2; i < len; i++)
			if (s[i] >= 0x40 && s[i] <= 0x7E)
				return i + 1;
		return len;
	}
	if (s[1] == ']' || s[1] == 'P' || s[1] == '_' || s[1] == '^' ||
	    s[1] == 'X') { /* string: ends with BEL or ESC \ */
		for (i = 2; i < len; i++) {
			if (s[i] == 0x07)
				return i + 1;
			if (s[i] == 0x1B && i + 1 < len && s[i + 1] == '\\')
				return i + 2;
		}
		return len;
	}
	/* Other escapes: intermediates 0x20-0x2F, then one final byte
	 * 0x30-0x7E.  Anything else ends the escape without being part of
	 * it (a second ESC starts a sequence of its own). */
	while (i < len && s[i] >= 0x20 && s[i] <= 0x2F)
		i++;
	if (i < len && s[i] >= 0x30 && s[i] <= 0x7E)
		return i + 1;
	return i;
}

void
str_clean_display(struct buf *out, const char *str, size_t len,
    int keep_newlines)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned cp;
		size_t n;

		if (s[i] == 0x1B) {
			i += esc_len(s + i, len - i);
			continue;
		}
		if (s[i] < 0x80) {
			if (s[i] == '\n' && keep_newlines)
				buf_addch(out, '\n');
			else if (s[i] == '\t')
				buf_addch(out, keep_newlines ? '\t' : ' ');
			else if (s[i] >= 0x20 && s[i] != 0x7F)
				buf_addch(out, s[i]);
			else if (s[i] == '\n' || s[i] == '\r')
				; /* dropped: a header never breaks a line */
			else
				str_utf8_encode(out, 0xFFFD);
			i++;
			continue;
		}
		n = str_utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			str_utf8_encode(out, 0xFFFD);
			i++;
			continue;
		}
		i += n;
		if (cp >= 0x80 && cp < 0xA0) /* C1 controls, CSI 0x9B among them */
			continue;
		if (is_bidi_control(cp))
			continue;
		buf_add(out, s + i - n, n);
	}
}

static void
add_hex_escape(struct buf *out, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char e[4] = { '\\', 'x', hex[c >> 4], hex[c & 0xF] };

	buf_add(out, e, sizeof(e));
}

void
str_escape_field(struct buf *out, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, k;

	while (i < len) {
		unsigned cp;
		size_t n;

		if (s[i] < 0x80) {
			switch (s[i]) {
			case '\\': buf_addstr(out, "\\\\"); break;
			case '\t': buf_addstr(out, "\\t"); break;
			case '\n': buf_addstr(out, "\\n"); break;
			case '\r': buf_addstr(out, "\\r"); break;
			default:
				if (s[i] < 0x20 || s[i] == 0x7F)
					add_hex_escape(out, s[i]);
				else
					buf_addch(out, s[i]);
			}
			i++;
			continue;
		}
		if ((n = str_utf8_decode(s + i, len - i, &cp)) == 0) {
			add_hex_escape(out, s[i++]);
			continue;
		}
		/* C1 and bidi controls: escaped byte by byte, so the field
		 * still reads back to the same bytes. */
		if ((cp >= 0x80 && cp < 0xA0) || is_bidi_control(cp))
			for (k = 0; k < n; k++)
				add_hex_escape(out, s[i + k]);
		else
			buf_add(out, s + i, n);
		i += n;
	}
}

int
str_unescape_field(struct buf *out, const char *s, size_t len)
{
	size_t i = 0;
	int hi, lo;

	while (i < len) {
		if (s[i] != '\\') {
			buf_addch(out, s[i++]);
			continue;
		}
		if (i + 1 >= len)
			return -1;
		switch (s[i + 1]) {
		case '\\': buf_addch(out, '\\'); break;
		case 't': buf_addch(out, '\t'); break;
		case 'n': buf_addch(out, '\n'); break;
		case 'r': buf_addch(out, '\r'); break;
		case 'x':
			if (i + 3 >= len || (hi = str_hexval(s[i + 2])) < 0 ||
			    (lo = str_hexval(s[i + 3])) < 0)
				return -1;
			buf_addch(out, (char)(hi << 4 | lo));
			i += 4;
			continue;
		default:
			return -1;
		}
		i += 2;
	}
	return 0;
}

void
str_tsv_record(struct buf *out, const char *const *fields, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++) {
		if (k > 0)
			buf_addch(out, '\t');
		str_escape_field(out, fields[k], strlen(fields[k]));
	}
	buf_addch(out, '\n');
}
