/* rfc2047: encoded words in headers ("=?charset?B?...?="). */
#include "config.h"

#include <string.h>

#include "core/str.h"
#include "mime/mime_int.h"

/* An encoded word longer than this is malformed; the bound keeps a header
 * full of "=?" linear. */
#define WORD_MAX 1024

struct word {
	char charset[64];
	int enc; /* 'B' or 'Q' */
	const char *text;
	size_t tlen;
	size_t end; /* offset after "?=" */
};

static int
parse_word(const char *s, size_t len, size_t i, struct word *w)
{
	size_t j = i + 2, k = 0, lim = len - i > WORD_MAX ? i + WORD_MAX : len;

	while (j < lim && s[j] != '?') {
		unsigned char c = (unsigned char)s[j];

		if (c <= ' ' || c >= 0x7f || k + 1 >= sizeof(w->charset))
			return 0;
		w->charset[k++] = (char)c;
		j++;
	}
	w->charset[k] = '\0';
	if (k == 0 || j + 3 >= lim)
		return 0;
	if (strchr(w->charset, '*') != NULL) /* RFC 2231 language */
		*strchr(w->charset, '*') = '\0';
	w->enc = s[j + 1] & ~0x20;
	if ((w->enc != 'B' && w->enc != 'Q') || s[j + 2] != '?')
		return 0;
	j += 3;
	w->text = s + j;
	while (j + 1 < lim && !(s[j] == '?' && s[j + 1] == '='))
		if (s[j++] == '\n')
			return 0;
	if (j + 1 >= lim)
		return 0;
	w->tlen = (size_t)(s + j - w->text);
	w->end = j + 2;
	return 1;
}


/* Q never lengthens the text: written straight into out's room. */
static void
q_decode(const char *s, size_t len, struct buf *out)
{
	size_t i;
	char *d;
	int h1, h2;

	buf_grow(out, len);
	d = out->data + out->len;
	for (i = 0; i < len; i++) {
		if (s[i] == '_')
			*d++ = ' ';
		else if (s[i] == '=' && i + 2 < len &&
		    (h1 = str_hexval((unsigned char)s[i + 1])) >= 0 &&
		    (h2 = str_hexval((unsigned char)s[i + 2])) >= 0) {
			*d++ = (char)(h1 * 16 + h2);
			i += 2;
		} else
			*d++ = s[i];
	}
	out->len = (size_t)(d - out->data);
	out->data[out->len] = '\0';
}

/* Raw header text: UTF-8 stays; with no assumed charset, each run of
 * bytes that are not UTF-8 is read as windows-1252, so a header mixing
 * both still shows both. */
static void
literal(const char *s, size_t len, const char *assumed, struct buf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, st, n;
	unsigned cp;

	if (mime_utf8_valid(s, len)) {
		buf_add(out, s, len);
		return;
	}
	if (assumed != NULL && *assumed != '\0') {
		mime_charset_to_utf8(assumed, s, len, out);
		return;
	}
	while (i < len) {
		for (st = i; i < len; i += n) {
			n = u[i] < 0x80 ? 1
			                : str_utf8_decode(u + i, len - i, &cp);
			if (n == 0)
				break;
		}
		buf_add(out, s + st, i - st);
		for (st = i; i < len && u[i] >= 0x80 &&
		     str_utf8_decode(u + i, len - i, &cp) == 0;
		     i++)
			;
		if (i > st)
			mime_charset_to_utf8(NULL, s + st, i - st, out);
	}
}

static int
blank(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

/*
 * The decoded bytes of adjacent words in one charset wait at the end of
 * out, from *pst on.  Most are already UTF-8 (or ASCII): they stay where
 * they are; others are converted through a copy.
 */
static void
flush(struct buf *out, size_t *pst, const char *cs)
{
	struct buf raw = BUF_INIT;
	size_t n = out->len - *pst;

	if (n > 0 && !mime_charset_same(cs, out->data + *pst, n)) {
		buf_add(&raw, out->data + *pst, n);
		buf_truncate(out, *pst);
		mime_charset_to_utf8(cs, raw.data, n, out);
		buf_free(&raw);
	}
	*pst = out->len;
}

void
mime_rfc2047_decode(
    const char *s, size_t len, const char *assumed, struct buf *out)
{
	char pcs[64] = "";
	struct word w;
	size_t i = 0, lit = 0, pst = out->len;
	int after_word = 0;

	while (i + 1 < len) {
		const char *q = memchr(s + i, '=', len - i - 1);

		if (q == NULL)
			break;
		i = (size_t)(q - s);
		if (s[i + 1] != '?' || !parse_word(s, len, i, &w)) {
			i++;
			continue;
		}
		if (!(after_word && blank(s + lit, i - lit))) {
			flush(out, &pst, pcs);
			literal(s + lit, i - lit, assumed, out);
			pst = out->len;
		}
		/* Adjacent words in one charset are joined before conversion,
		 * so a character split across two words survives. */
		if (str_casecmp(pcs, w.charset) != 0)
			flush(out, &pst, pcs);
		str_lcpy(pcs, w.charset, sizeof(pcs));
		if (w.enc == 'B')
			mime_base64_decode(w.text, w.tlen, out);
		else
			q_decode(w.text, w.tlen, out);
		i = lit = w.end;
		after_word = 1;
	}
	flush(out, &pst, pcs);
	literal(s + lit, len - lit, assumed, out);
}

/* 1 if str_clean_display (so mime_clean) leaves s[0..len) as it is:
 * printable ASCII and valid UTF-8 that is no C1 or bidi control. */
static int
clean_already(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n;
	unsigned cp;

	while (i < len) {
		if (s[i] < 0x80) {
			if (s[i] < 0x20 || s[i] == 0x7f)
				return 0;
			i++;
			continue;
		}
		if ((n = str_utf8_decode(s + i, len - i, &cp)) == 0 ||
		    cp < 0xA0 || (cp >= 0x202A && cp <= 0x202E) ||
		    (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
		    cp == 0x200F || cp == 0x061C)
			return 0;
		i += n;
	}
	return 1;
}

/* Most header text has no encoded word and is valid UTF-8 (usually
 * ASCII): decoding would copy it unchanged, so it is only cleaned.
 * Otherwise it is decoded in place, and cleaned through a copy only if
 * cleaning changes it. */
void
mime_rfc2047_clean(
    const char *s, size_t len, const char *assumed, struct buf *out)
{
	struct buf raw = BUF_INIT;
	const char *q;
	size_t i, st = out->len;

	for (i = 0; i < len && (unsigned char)s[i] >= 0x20 &&
	     (unsigned char)s[i] < 0x7f &&
	     !(s[i] == '=' && i + 1 < len && s[i + 1] == '?');
	     i++)
		;
	if (i == len) { /* printable ASCII, no word: stays as it is */
		buf_add(out, s, len);
		return;
	}
	q = len > 1 ? memchr(s, '=', len - 1) : NULL;
	while (q != NULL && q[1] != '?') {
		i = (size_t)(q - s) + 1;
		q = i + 1 < len ? memchr(s + i, '=', len - i - 1) : NULL;
	}
	if (q == NULL && mime_utf8_valid(s, len)) {
		mime_clean(out, s, len, 0);
		return;
	}
	mime_rfc2047_decode(s, len, assumed, out);
	if (clean_already(out->data + st, out->len - st))
		return;
	buf_add(&raw, out->data + st, out->len - st);
	buf_truncate(out, st);
	mime_clean(out, raw.data, raw.len, 0);
	buf_free(&raw);
}
