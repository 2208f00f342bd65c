/* write_hdr: header fields as the writer writes them: folding
 * (RFC 5322 2.2.3), encoded words (RFC 2047), phrases and address
 * lists, and RFC 2231 filename parameters.  Split from write.c, which
 * checks and assembles the message; the shared helpers are declared in
 * mime/mime_int.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/xalloc.h"
#include "mime/compose.h"
#include "mime/mime_int.h"

#define WORD_MAX_LEN 75 /* RFC 2047 2 */

/* ------------------------------------------------------------------ */
/* Header lines, folded. */

void
mime_hw_begin(struct mime_hw *h, struct buf *out, const char *name)
{
	h->out = out;
	buf_addstr(out, name);
	buf_addch(out, ':');
	h->col = strlen(name) + 1;
	h->empty = 1;
}

static void
hw_fold(struct mime_hw *h)
{
	buf_add(h->out, "\r\n", 2);
	h->col = 0;
}

/* ws (blanks; "" is taken as " ") then tok; folds before ws when the
 * line would pass MIME_FOLD_AT. */
void
mime_hw_add(struct mime_hw *h, const char *ws, size_t wslen, const char *tok,
    size_t toklen)
{
	if (wslen == 0) {
		ws = " ";
		wslen = 1;
	}
	if (!h->empty && h->col + wslen + toklen > MIME_FOLD_AT)
		hw_fold(h);
	buf_add(h->out, ws, wslen);
	buf_add(h->out, tok, toklen);
	h->col += wslen + toklen;
	h->empty = 0;
}

void
mime_hw_end(struct mime_hw *h)
{
	buf_add(h->out, "\r\n", 2);
}

/* RFC 2047 5(3): the characters a Q word may carry as they are, even in
 * a phrase. */
static int
q_plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '!' || c == '*' || c == '+' ||
	    c == '-' || c == '/';
}

static size_t
q_len(unsigned char c)
{
	return q_plain(c) || c == ' ' ? 1 : 3;
}

size_t
mime_b64_len(size_t n)
{
	return (n + 2) / 3 * 4;
}

void
mime_b64_encode(const unsigned char *s, size_t n, struct buf *out)
{
	static const char a[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16 | (unsigned)s[i + 1] << 8 |
		    s[i + 2];
		char q[4] = {a[v >> 18], a[(v >> 12) & 63], a[(v >> 6) & 63],
		    a[v & 63]};

		buf_add(out, q, 4);
	}
	if (i < n) {
		unsigned v = (unsigned)s[i] << 16 |
		    (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0);
		char q[4] = {a[v >> 18], a[(v >> 12) & 63],
		    i + 1 < n ? a[(v >> 6) & 63] : '=', '='};

		buf_add(out, q, 4);
	}
}

/* Length of the character at s (1 for a stray byte). */
static size_t
char_len(const char *s, size_t len)
{
	unsigned cp;
	size_t n;

	if ((unsigned char)*s < 0x80)
		return 1;
	n = str_utf8_decode((const unsigned char *)s, len, &cp);
	return n ? n : 1;
}

/*
 * s[0..len) as encoded words, the first after ws.  One encoding for the
 * run (Q or B, whichever is shorter); each word holds whole characters,
 * is at most WORD_MAX_LEN long and fits the line it starts on (folding
 * first when too little room is left).  The blank between two words is
 * dropped by every decoder, so blanks of the text travel inside words.
 */
static void
hw_encoded(struct mime_hw *h, const char *ws, size_t wslen, const char *s,
    size_t len)
{
	static const char pre_q[] = "=?utf-8?Q?", pre_b[] = "=?utf-8?B?";
	struct buf w = BUF_INIT;
	size_t i, qtot = 0, pos = 0;
	int q;

	for (i = 0; i < len; i++)
		qtot += q_len((unsigned char)s[i]);
	q = qtot <= mime_b64_len(len);
	if (wslen == 0) {
		ws = " ";
		wslen = 1;
	}
	while (pos < len) {
		size_t room, budget, end = pos, enc = 0, cl;

		room = h->col + wslen < MIME_FOLD_AT
		    ? MIME_FOLD_AT - h->col - wslen
		    : 0;
		if (room > WORD_MAX_LEN)
			room = WORD_MAX_LEN;
		if (room < 12 + 12) { /* under one 4-byte Q character */
			hw_fold(h);
			room = MIME_FOLD_AT > wslen + 12 + 12
			    ? MIME_FOLD_AT - wslen
			    : 12 + 12;
			if (room > WORD_MAX_LEN)
				room = WORD_MAX_LEN;
		}
		budget = room - 12;
		while (end < len) {
			size_t k, add = 0;

			cl = char_len(s + end, len - end);
			if (q) {
				for (k = 0; k < cl; k++)
					add += q_len((unsigned char)s[end + k]);
				if (enc + add > budget)
					break;
				enc += add;
			} else if (mime_b64_len(end + cl - pos) > budget)
				break;
			end += cl;
		}
		if (end == pos) /* cannot happen with budget >= 12 */
			end = pos + char_len(s + pos, len - pos);
		buf_reset(&w);
		buf_addstr(&w, q ? pre_q : pre_b);
		if (q) {
			for (i = pos; i < end; i++) {
				unsigned char c = (unsigned char)s[i];

				if (c == ' ')
					buf_addch(&w, '_');
				else if (q_plain(c))
					buf_addch(&w, c);
				else
					buf_printf(&w, "=%02X", c);
			}
		} else
			mime_b64_encode(
			    (const unsigned char *)s + pos, end - pos, &w);
		buf_add(&w, "?=", 2);
		/* the room was measured: mime_hw_add does not fold here */
		buf_add(h->out, ws, wslen);
		buf_add(h->out, w.data, w.len);
		h->col += wslen + w.len;
		h->empty = 0;
		ws = " ";
		wslen = 1;
		pos = end;
	}
	buf_free(&w);
}

/* 1 if a word of unstructured text or a phrase must be encoded: it is not
 * ASCII, would be mistaken for an encoded word, or is too long. */
static int
needs_encoding(const char *s, size_t len)
{
	size_t i;

	if (len > MIME_RAW_WORD_MAX)
		return 1;
	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] >= 0x80)
			return 1;
		if (s[i] == '=' && i + 1 < len && s[i + 1] == '?')
			return 1;
	}
	return 0;
}

/* Blanks between two words that a fold may carry to the next line; a
 * longer run goes inside encoded words, which can split it. */
#define BLANKS_MAX 8

/* The value of an unstructured field (checked, trimmed): words as they
 * are, or runs of words (with the blanks between them) as encoded words.
 * A word is encoded when needs_encoding says so or when a run of more
 * than BLANKS_MAX blanks touches it. */
void
mime_hw_unstructured(struct mime_hw *h, const char *s, size_t len)
{
	struct word {
		size_t ws, st, en; /* blanks before, word start, word end */
		int enc;
	} *w = NULL;
	size_t n = 0, cap = 0, pos = 0, i, j;

	while (pos < len) {
		size_t ws = pos;

		while (pos < len && mime_is_blank(s[pos]))
			pos++;
		if (pos == len)
			break;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			w = xreallocarray(w, cap, sizeof(*w));
		}
		w[n].ws = ws;
		w[n].st = pos;
		while (pos < len && !mime_is_blank(s[pos]))
			pos++;
		w[n].en = pos;
		w[n].enc = needs_encoding(s + w[n].st, w[n].en - w[n].st);
		if (n > 0 && w[n].st - w[n].ws > BLANKS_MAX)
			w[n].enc = w[n - 1].enc = 1;
		n++;
	}
	for (i = 0; i < n; i = j) {
		if (!w[i].enc) {
			mime_hw_add(h, s + w[i].ws, w[i].st - w[i].ws,
			    s + w[i].st, w[i].en - w[i].st);
			j = i + 1;
			continue;
		}
		for (j = i + 1; j < n && w[j].enc; j++)
			;
		hw_encoded(h, s + w[i].ws, w[i].st - w[i].ws, s + w[i].st,
		    w[j - 1].en - w[i].st);
	}
	free(w);
}

/* ------------------------------------------------------------------ */
/* Addresses. */

static int
atext_phrase(const char *s)
{
	size_t i;

	if (*s == '\0')
		return 0;
	for (i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ' ') {
			if (i == 0 || s[i + 1] == ' ' || s[i + 1] == '\0')
				return 0;
		} else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		               (c >= '0' && c <= '9') ||
		               strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL))
			return 0;
	}
	return 1;
}

static void
hw_phrase(struct mime_hw *h, const char *name)
{
	size_t len = strlen(name), i, st;
	struct buf q = BUF_INIT;

	if (needs_encoding(name, len) || mime_has_control(name)) {
		hw_encoded(h, " ", 1, name, len);
		return;
	}
	if (atext_phrase(name)) {
		for (i = 0; i < len; i = st) {
			st = i;
			while (st < len && name[st] != ' ')
				st++;
			mime_hw_add(h, " ", 1, name + i, st - i);
			if (st < len)
				st++;
		}
		return;
	}
	buf_addch(&q, '"');
	for (i = 0; i < len; i++) {
		if (name[i] == '"' || name[i] == '\\')
			buf_addch(&q, '\\');
		buf_addch(&q, name[i]);
	}
	buf_addch(&q, '"');
	mime_hw_add(h, " ", 1, q.data, q.len);
	buf_free(&q);
}

void
mime_write_addresses(struct buf *out, const char *field,
    const struct mime_address *v, size_t n)
{
	struct mime_hw h;
	struct buf t = BUF_INIT;
	size_t i;

	if (n == 0)
		return;
	mime_hw_begin(&h, out, field);
	for (i = 0; i < n; i++) {
		const char *nm = v[i].name;
		size_t en;

		buf_reset(&t);
		/* the name without leading and trailing blanks */
		while (mime_is_blank(*nm))
			nm++;
		for (en = strlen(nm); en > 0 && mime_is_blank(nm[en - 1]); en--)
			;
		if (en > 0) {
			char *cp = xstrndup(nm, en);

			hw_phrase(&h, cp);
			free(cp);
			buf_printf(&t, "<%s>", v[i].addr);
		} else
			buf_addstr(&t, v[i].addr);
		if (i + 1 < n)
			buf_addch(&t, ',');
		mime_hw_add(&h, " ", 1, t.data, t.len);
	}
	mime_hw_end(&h);
	buf_free(&t);
}

void
mime_write_ids(struct buf *out, const char *field, char *const *ids, size_t n)
{
	struct mime_hw h;
	struct buf t = BUF_INIT;
	size_t i;

	if (n == 0)
		return;
	mime_hw_begin(&h, out, field);
	for (i = 0; i < n; i++) {
		buf_reset(&t);
		buf_printf(&t, "<%s>", ids[i]);
		mime_hw_add(&h, " ", 1, t.data, t.len);
	}
	mime_hw_end(&h);
	buf_free(&t);
}

/* ------------------------------------------------------------------ */
/* Filename parameters (RFC 2231). */

static int
attr_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || strchr("!#$&+-.^_`|~", c) != NULL;
}

/* The plain filename= for readers without RFC 2231: ASCII, no quote or
 * backslash, no "=?", at most 60 octets with the extension kept. */
static void
ascii_fallback(const char *name, struct buf *out)
{
	size_t i = 0, len = strlen(name), st = out->len;
	const char *ext;

	while (i < len) {
		size_t cl = char_len(name + i, len - i);
		unsigned char c = (unsigned char)name[i];

		if (cl > 1 || c < 0x20 || c >= 0x7f || c == '"' || c == '\\' ||
		    (c == '?' && out->len > st && out->data[out->len - 1] == '='))
			buf_addch(out, '_');
		else
			buf_addch(out, c);
		i += cl;
	}
	if (out->len - st > 60) {
		char keep[16] = "";

		ext = strrchr(out->data + st, '.');
		if (ext != NULL && strlen(ext) < sizeof(keep))
			str_lcpy(keep, ext, sizeof(keep));
		buf_truncate(out, st + 60 - strlen(keep));
		buf_addstr(out, keep);
	}
}

static int
name_plain(const char *name)
{
	size_t i;

	for (i = 0; name[i]; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			return 0;
	}
	return i <= 60 && strstr(name, "=?") == NULL && name[0] != ' ' &&
	    name[i - 1] != ' ';
}

/* "; name=..." parameters, folded: a plain quoted value, or the ASCII
 * fallback and RFC 2231 sections of at most ~60 octets. */
void
mime_hw_name_params(
    struct mime_hw *h, const char *param, const char *name, int ext)
{
	struct buf t = BUF_INIT, sect = BUF_INIT;
	size_t i = 0, len = strlen(name);
	int n = 0;

	buf_printf(&t, "%s=\"", param);
	if (name_plain(name))
		buf_addstr(&t, name);
	else
		ascii_fallback(name, &t);
	buf_addch(&t, '"');
	if (!ext || name_plain(name)) {
		mime_hw_add(h, " ", 1, t.data, t.len);
		buf_free(&t);
		return;
	}
	buf_addch(&t, ';');
	mime_hw_add(h, " ", 1, t.data, t.len);
	/* one section when it fits, else numbered ones */
	for (i = 0; i < len; i++)
		n += attr_char((unsigned char)name[i]) ? 1 : 3;
	if (n <= 50) {
		buf_reset(&t);
		buf_printf(&t, "%s*=utf-8''", param);
		for (i = 0; i < len; i++) {
			unsigned char c = (unsigned char)name[i];

			if (attr_char(c))
				buf_addch(&t, c);
			else
				buf_printf(&t, "%%%02X", c);
		}
		mime_hw_add(h, " ", 1, t.data, t.len);
		goto done;
	}
	for (n = 0, i = 0; i < len; n++) {
		buf_reset(&sect);
		while (i < len && sect.len < 45) {
			size_t cl = char_len(name + i, len - i), k;

			for (k = 0; k < cl; k++) {
				unsigned char c = (unsigned char)name[i + k];

				if (attr_char(c))
					buf_addch(&sect, c);
				else
					buf_printf(&sect, "%%%02X", c);
			}
			i += cl;
		}
		buf_reset(&t);
		buf_printf(&t, "%s*%d*=%s%s%s", param, n, n == 0 ? "utf-8''" : "",
		    sect.data, i < len ? ";" : "");
		mime_hw_add(h, " ", 1, t.data, t.len);
	}
done:
	buf_free(&t);
	buf_free(&sect);
}
