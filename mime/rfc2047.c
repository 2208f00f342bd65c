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


static void
q_decode(const char *s, size_t len, struct buf *out)
{
	size_t i;
	int h1, h2;

	for (i = 0; i < len; i++) {
		if (s[i] == '_')
			buf_addch(out, ' ');
		else if (s[i] == '=' && i + 2 < len &&
		    (h1 = str_hexval((unsigned char)s[i + 1])) >= 0 &&
		    (h2 = str_hexval((unsigned char)s[i + 2])) >= 0) {
			buf_addch(out, h1 * 16 + h2);
			i += 2;
		} else
			buf_addch(out, s[i]);
	}
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

static void
flush(struct buf *pend, const char *cs, struct buf *out)
{
	if (pend->len > 0)
		mime_charset_to_utf8(cs, pend->data, pend->len, out);
	buf_reset(pend);
}

void
mime_rfc2047_decode(
    const char *s, size_t len, const char *assumed, struct buf *out)
{
	struct buf pend = BUF_INIT;
	char pcs[64] = "";
	struct word w;
	size_t i = 0, lit = 0;
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
			flush(&pend, pcs, out);
			literal(s + lit, i - lit, assumed, out);
		}
		/* Adjacent words in one charset are joined before conversion,
		 * so a character split across two words survives. */
		if (str_casecmp(pcs, w.charset) != 0)
			flush(&pend, pcs, out);
		str_lcpy(pcs, w.charset, sizeof(pcs));
		if (w.enc == 'B')
			mime_base64_decode(w.text, w.tlen, &pend);
		else
			q_decode(w.text, w.tlen, &pend);
		i = lit = w.end;
		after_word = 1;
	}
	flush(&pend, pcs, out);
	literal(s + lit, len - lit, assumed, out);
	buf_free(&pend);
}
