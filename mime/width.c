/* width: terminal columns of UTF-8 text. */
#include "config.h"

#include <string.h>
#include <wchar.h>

#include "core/str.h"
#include "mime/mime_int.h"

struct range {
	unsigned lo, hi;
};

static const struct range zero[] = {
    {0x0300, 0x036F},
    {0x0483, 0x0489},
    {0x0591, 0x05BD},
    {0x0610, 0x061A},
    {0x064B, 0x065F},
    {0x0E31, 0x0E31},
    {0x0E34, 0x0E3A},
    {0x0E47, 0x0E4E},
    {0x1AB0, 0x1AFF},
    {0x1DC0, 0x1DFF},
    {0x200B, 0x200F},
    {0x2028, 0x202E},
    {0x2060, 0x206F},
    {0x20D0, 0x20FF},
    {0xFE00, 0xFE0F},
    {0xFE20, 0xFE2F},
    {0xFEFF, 0xFEFF},
    {0xE0000, 0xE0FFF},
};

static const struct range wide[] = {
    {0x1100, 0x115F},
    {0x231A, 0x231B},
    {0x2329, 0x232A},
    {0x23E9, 0x23EC},
    {0x23F0, 0x23F0},
    {0x23F3, 0x23F3},
    {0x25FD, 0x25FE},
    {0x2614, 0x2615},
    {0x2648, 0x2653},
    {0x267F, 0x267F},
    {0x2693, 0x2693},
    {0x26A1, 0x26A1},
    {0x26AA, 0x26AB},
    {0x26BD, 0x26BE},
    {0x26C4, 0x26C5},
    {0x26CE, 0x26CE},
    {0x26D4, 0x26D4},
    {0x26EA, 0x26EA},
    {0x26F2, 0x26F5},
    {0x26FA, 0x26FD},
    {0x2705, 0x2705},
    {0x270A, 0x270B},
    {0x2728, 0x2728},
    {0x274C, 0x274C},
    {0x2753, 0x2757},
    {0x2795, 0x2797},
    {0x27B0, 0x27B0},
    {0x27BF, 0x27BF},
    {0x2B1B, 0x2B1C},
    {0x2B50, 0x2B55},
    {0x2E80, 0x303E},
    {0x3041, 0x33FF},
    {0x3400, 0x4DBF},
    {0x4E00, 0x9FFF},
    {0xA000, 0xA4CF},
    {0xA960, 0xA97F},
    {0xAC00, 0xD7A3},
    {0xF900, 0xFAFF},
    {0xFE10, 0xFE19},
    {0xFE30, 0xFE6F},
    {0xFF00, 0xFF60},
    {0xFFE0, 0xFFE6},
    {0x16FE0, 0x18AFF},
    {0x1B000, 0x1B2FF},
    {0x1F004, 0x1F004},
    {0x1F0CF, 0x1F0CF},
    {0x1F18E, 0x1F18E},
    {0x1F191, 0x1F19A},
    {0x1F200, 0x1F251},
    {0x1F300, 0x1F64F},
    {0x1F680, 0x1F6FF},
    {0x1F7E0, 0x1F7EB},
    {0x1F90C, 0x1F9FF},
    {0x1FA70, 0x1FAFF},
    {0x20000, 0x3FFFD},
};

static int
in(const struct range *r, size_t n, unsigned cp)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (cp < r[mid].lo)
			hi = mid;
		else if (cp > r[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

int
mime_cp_width(unsigned cp)
{
	int w;

	if (cp < 0x300)
		return cp >= 0x20 && cp != 0x7f && (cp < 0x80 || cp >= 0xa0);
	/* wcwidth knows the current Unicode tables when the locale is
	 * UTF-8; in the C locale it answers -1 and the table decides. */
	if ((w = wcwidth((wchar_t)cp)) >= 0)
		return w;
	if (in(zero, sizeof(zero) / sizeof(zero[0]), cp))
		return 0;
	if (in(wide, sizeof(wide) / sizeof(wide[0]), cp))
		return 2;
	return 1;
}

size_t
mime_width(const char *utf8, size_t len)
{
	const unsigned char *s = (const unsigned char *)utf8;
	size_t i = 0, w = 0, n;
	unsigned cp;

	while (i < len) {
		if (s[i] < 0x80) {
			w += s[i] >= 0x20 && s[i] != 0x7f;
			i++;
			continue;
		}
		if ((n = str_utf8_decode(s + i, len - i, &cp)) == 0) {
			w++;
			i++;
			continue;
		}
		w += (size_t)mime_cp_width(cp);
		i += n;
	}
	return w;
}

/* Length in bytes of the character at s (1 for an invalid byte). */
static size_t
charlen(const char *s, size_t len, unsigned *cp_r)
{
	size_t n;

	if ((unsigned char)*s < 0x80) {
		*cp_r = (unsigned char)*s;
		return 1;
	}
	n = str_utf8_decode((const unsigned char *)s, len, cp_r);
	if (n == 0) {
		*cp_r = 0xFFFD;
		return 1;
	}
	return n;
}

void
mime_wrap(const char *s, size_t len, const char *prefix1, const char *prefix2,
    int width, struct buf *out)
{
	size_t p1len = strlen(prefix1), p2w;
	size_t col, start, i = 0, w = width > 0 ? (size_t)width : 0;

	buf_add(out, prefix1, p1len);
	/* short lines, the common case: bytes bound columns from above */
	if (w == 0 || p1len + len <= w) {
		buf_add(out, s, len);
		buf_addch(out, '\n');
		return;
	}
	p2w = mime_width(prefix2, strlen(prefix2));
	start = col = mime_width(prefix1, p1len);
	if (w < p2w + 10) /* keep room for text whatever the prefix */
		w = p2w + 10;
	while (i < len) {
		size_t st = i, ww = 0, sp = 0, k;
		unsigned cp;

		while (i < len && s[i] == ' ') /* blanks before the word */
			i++, sp++;
		st = i;
		while (i < len && s[i] != ' ') {
			k = charlen(s + i, len - i, &cp);
			ww += (size_t)mime_cp_width(cp);
			i += k;
		}
		if (i == st) /* trailing blanks */
			break;
		if (col + sp + ww <= w) {
			for (k = 0; k < sp; k++)
				buf_addch(out, ' ');
			buf_add(out, s + st, i - st);
			col += sp + ww;
			continue;
		}
		if (col > start) {
			buf_addch(out, '\n');
			buf_addstr(out, prefix2);
			start = col = p2w;
		}
		/* a word longer than the line is cut */
		for (k = st; k < i;) {
			size_t cl = charlen(s + k, i - k, &cp);
			size_t cw = (size_t)mime_cp_width(cp);

			if (col + cw > w && col > start) {
				buf_addch(out, '\n');
				buf_addstr(out, prefix2);
				start = col = p2w;
			}
			buf_add(out, s + k, cl);
			col += cw;
			k += cl;
		}
	}
	buf_addch(out, '\n');
}

/* str_clean_display, with runs of printable ASCII copied whole: the
 * common case of mail text, and the hot path of rendering.  A line with
 * anything else goes to str_clean_display whole, so an escape sequence is
 * always seen from its start.  One difference: an escape sequence left
 * open on its line (a CSI without its final byte, an OSC/DCS/APC string
 * without its terminator) ends at the line's end here, where
 * str_clean_display on the whole text would also drop the lines after it
 * up to a terminator; neither emits a control byte. */
void
mime_clean(struct buf *out, const char *s, size_t len, int keep_newlines)
{
	size_t i = 0, st;

	buf_grow(out, len);
	while (i < len) {
		for (st = i; i < len &&
		     (((unsigned char)s[i] >= 0x20 &&
		          (unsigned char)s[i] < 0x7f) ||
		         (s[i] == '\n' && keep_newlines));
		     i++)
			;
		buf_add(out, s + st, i - st);
		if (i >= len)
			break;
		st = i;
		{
			const char *nl = memchr(s + i + 1, '\n', len - i - 1);

			i = nl ? (size_t)(nl - s) : len;
		}
		str_clean_display(out, s + st, i - st, keep_newlines);
	}
}
