/* html: HTML to readable text, with no external program. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "mime/mime_int.h"

#define LIST_MAX 16
#define QUOTE_MAX 16

struct html {
	struct buf *text, *links;
	struct buf line, href, ltext, tmp;
	struct buf pfx1, pfx2; /* line prefixes for pfx_quote, pfx_nlist */
	int pfx_quote, pfx_nlist;
	int width;
	int space;      /* a blank is due before the next word */
	int want_blank; /* a paragraph break is due */
	int pre, quote, cells, nlinks, in_link;
	int nlist;
	struct {
		int ordered, n;
	} list[LIST_MAX];
};

static const struct {
	const char *name;
	unsigned cp;
} entities[] = {
    {"amp", '&'},
    {"lt", '<'},
    {"gt", '>'},
    {"quot", '"'},
    {"apos", '\''},
    {"nbsp", ' '},
    {"copy", 0xA9},
    {"reg", 0xAE},
    {"trade", 0x2122},
    {"hellip", 0x2026},
    {"mdash", 0x2014},
    {"ndash", 0x2013},
    {"lsquo", 0x2018},
    {"rsquo", 0x2019},
    {"sbquo", 0x201A},
    {"ldquo", 0x201C},
    {"rdquo", 0x201D},
    {"bdquo", 0x201E},
    {"bull", 0x2022},
    {"middot", 0xB7},
    {"euro", 0x20AC},
    {"pound", 0xA3},
    {"yen", 0xA5},
    {"cent", 0xA2},
    {"sect", 0xA7},
    {"para", 0xB6},
    {"deg", 0xB0},
    {"plusmn", 0xB1},
    {"times", 0xD7},
    {"divide", 0xF7},
    {"laquo", 0xAB},
    {"raquo", 0xBB},
    {"lsaquo", 0x2039},
    {"rsaquo", 0x203A},
    {"iexcl", 0xA1},
    {"iquest", 0xBF},
    {"shy", 0xAD},
    {"zwnj", 0x200C},
    {"zwj", 0x200D},
    {"thinsp", 0x2009},
    {"ensp", 0x2002},
    {"emsp", 0x2003},
    {"dagger", 0x2020},
    {"Dagger", 0x2021},
    {"permil", 0x2030},
    {"larr", 0x2190},
    {"rarr", 0x2192},
    {"uarr", 0x2191},
    {"darr", 0x2193},
    {"hearts", 0x2665},
    {"frac12", 0xBD},
    {"frac14", 0xBC},
    {"frac34", 0xBE},
    {"sup2", 0xB2},
    {"sup3", 0xB3},
    {"micro", 0xB5},
    {"ordf", 0xAA},
    {"ordm", 0xBA},
    {"acute", 0xB4},
    {"uml", 0xA8},
    {"cedil", 0xB8},
    {"macr", 0xAF},
    {"not", 0xAC},
    {"curren", 0xA4},
    {"brvbar", 0xA6},
    {"szlig", 0xDF},
    {"Auml", 0xC4},
    {"Ouml", 0xD6},
    {"Uuml", 0xDC},
    {"auml", 0xE4},
    {"ouml", 0xF6},
    {"uuml", 0xFC},
    {"Aacute", 0xC1},
    {"Agrave", 0xC0},
    {"Acirc", 0xC2},
    {"Atilde", 0xC3},
    {"Aring", 0xC5},
    {"AElig", 0xC6},
    {"Ccedil", 0xC7},
    {"Eacute", 0xC9},
    {"Egrave", 0xC8},
    {"Ecirc", 0xCA},
    {"Euml", 0xCB},
    {"Iacute", 0xCD},
    {"Igrave", 0xCC},
    {"Icirc", 0xCE},
    {"Iuml", 0xCF},
    {"Ntilde", 0xD1},
    {"Oacute", 0xD3},
    {"Ograve", 0xD2},
    {"Ocirc", 0xD4},
    {"Otilde", 0xD5},
    {"Oslash", 0xD8},
    {"Uacute", 0xDA},
    {"Ugrave", 0xD9},
    {"Ucirc", 0xDB},
    {"Yacute", 0xDD},
    {"aacute", 0xE1},
    {"agrave", 0xE0},
    {"acirc", 0xE2},
    {"atilde", 0xE3},
    {"aring", 0xE5},
    {"aelig", 0xE6},
    {"ccedil", 0xE7},
    {"eacute", 0xE9},
    {"egrave", 0xE8},
    {"ecirc", 0xEA},
    {"euml", 0xEB},
    {"iacute", 0xED},
    {"igrave", 0xEC},
    {"icirc", 0xEE},
    {"iuml", 0xEF},
    {"ntilde", 0xF1},
    {"oacute", 0xF3},
    {"ograve", 0xF2},
    {"ocirc", 0xF4},
    {"otilde", 0xF5},
    {"oslash", 0xF8},
    {"uacute", 0xFA},
    {"ugrave", 0xF9},
    {"ucirc", 0xFB},
    {"yacute", 0xFD},
    {"yuml", 0xFF},
    {"eth", 0xF0},
    {"thorn", 0xFE},
    {"ETH", 0xD0},
    {"THORN", 0xDE},
    {"OElig", 0x152},
    {"oelig", 0x153},
    {"Scaron", 0x160},
    {"scaron", 0x161},
    {"alpha", 0x3B1},
    {"beta", 0x3B2},
    {"gamma", 0x3B3},
    {"delta", 0x3B4},
    {"pi", 0x3C0},
    {"mu", 0x3BC},
    {"minus", 0x2212},
    {"le", 0x2264},
    {"ge", 0x2265},
    {"ne", 0x2260},
    {"infin", 0x221E},
};

/* Windows-1252 meanings of &#128;..&#159;, as browsers decode them. */
static const unsigned short c1[32] = {0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E,
    0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD,
    0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
    0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

/* Decodes the entity at s ("&..."); returns its length, or 0 if none. */
static size_t
entity(const char *s, size_t len, unsigned *cp_r)
{
	size_t i = 1, k;
	unsigned long v = 0;

	if (len > 2 && s[1] == '#') {
		int hex = len > 3 && (s[2] | 0x20) == 'x';
		size_t st = i = hex ? 3 : 2;

		for (; i < len && i - st < 8; i++) {
			int c = s[i], d;

			if (c >= '0' && c <= '9')
				d = c - '0';
			else if (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
				d = (c | 0x20) - 'a' + 10;
			else
				break;
			v = v * (hex ? 16 : 10) + (unsigned long)d;
		}
		if (i == st)
			return 0;
		if (i < len && s[i] == ';')
			i++;
		if (v >= 0x80 && v < 0xA0)
			v = c1[v - 0x80];
		if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v < 0xE000))
			v = 0xFFFD;
		*cp_r = (unsigned)v;
		return i;
	}
	while (i < len && i < 10 &&
	    (((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') ||
	        (s[i] >= '0' && s[i] <= '9')))
		i++;
	if (i == 1)
		return 0;
	for (k = 0; k < sizeof(entities) / sizeof(entities[0]); k++)
		if (strlen(entities[k].name) == i - 1 &&
		    memcmp(entities[k].name, s + 1, i - 1) == 0) {
			*cp_r = entities[k].cp;
			return i < len && s[i] == ';' ? i + 1 : i;
		}
	return 0;
}

/* Appends s with entities decoded. */
static void
decode_entities(const char *s, size_t len, struct buf *out)
{
	size_t i = 0, n;
	unsigned cp;

	while (i < len) {
		if (s[i] == '&' && (n = entity(s + i, len - i, &cp)) > 0) {
			str_utf8_encode(out, cp);
			i += n;
		} else
			buf_addch(out, s[i++]);
	}
}

static void
prefix(struct html *h, struct buf *p, int cont)
{
	int i;

	buf_reset(p);
	for (i = 0; i < h->quote; i++)
		buf_addch(p, '>');
	if (h->quote > 0)
		buf_addch(p, ' ');
	for (i = 1; i < h->nlist; i++)
		buf_addstr(p, "  ");
	if (cont && h->nlist > 0)
		buf_addstr(p, "  ");
}

static void
flush(struct html *h)
{
	if (h->line.len == 0)
		return;
	/* the prefixes change only with the quote and list depths */
	if (h->pfx_quote != h->quote || h->pfx_nlist != h->nlist ||
	    h->pfx1.data == NULL) {
		prefix(h, &h->pfx1, 0);
		prefix(h, &h->pfx2, 1);
		h->pfx_quote = h->quote;
		h->pfx_nlist = h->nlist;
	}
	mime_wrap(h->line.data, h->line.len, buf_cstr(&h->pfx1),
	    buf_cstr(&h->pfx2), h->pre ? 0 : h->width, h->text);
	buf_reset(&h->line);
	h->space = 0;
}

static int
last_blank(const struct html *h)
{
	const struct buf *t = h->text;
	size_t i;

	if (t->len == 0)
		return 1;
	for (i = t->len - 1; i > 0 && t->data[i - 1] != '\n'; i--)
		if (t->data[i - 1] != '>' && t->data[i - 1] != ' ')
			return 0;
	return 1;
}

static void
empty_line(struct html *h)
{
	int i;

	for (i = 0; i < h->quote; i++)
		buf_addch(h->text, '>');
	buf_addch(h->text, '\n');
}

static void
text(struct html *h, const char *s, size_t len)
{
	if (h->want_blank && h->line.len == 0) {
		if (!last_blank(h))
			empty_line(h);
		h->want_blank = 0;
	}
	if (h->space && h->line.len > 0)
		buf_addch(&h->line, ' ');
	h->space = 0;
	buf_add(&h->line, s, len);
	if (h->in_link && h->ltext.len < 2048)
		buf_add(&h->ltext, s, len);
}

/* Text between tags: entities decoded, blanks collapsed unless in <pre>. */
static void
chars(struct html *h, const char *s, size_t len)
{
	size_t i, st;

	buf_reset(&h->tmp);
	decode_entities(s, len, &h->tmp);
	s = buf_cstr(&h->tmp);
	len = h->tmp.len;
	for (i = 0; i < len;) {
		if (h->pre) {
			if (s[i] == '\n') {
				if (h->line.len == 0)
					buf_addch(&h->line, ' ');
				flush(h);
				i++;
				continue;
			}
			for (st = i; i < len && s[i] != '\n'; i++)
				;
			text(h, s + st, i - st);
			continue;
		}
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
		    s[i] == '\r' || s[i] == '\f') {
			h->space = 1;
			i++;
			continue;
		}
		for (st = i; i < len && s[i] != ' ' && s[i] != '\t' &&
		     s[i] != '\n' && s[i] != '\r' && s[i] != '\f';
		     i++)
			;
		text(h, s + st, i - st);
	}
}

static void
para(struct html *h)
{
	flush(h);
	h->want_blank = 1;
}

static void
br(struct html *h)
{
	if (h->line.len > 0)
		flush(h);
	else if (h->text->len > 0) {
		struct buf p = BUF_INIT;

		prefix(h, &p, 0);
		buf_add(h->text, p.data, p.len);
		while (
		    h->text->len > 0 && h->text->data[h->text->len - 1] == ' ')
			buf_truncate(h->text, h->text->len - 1);
		buf_addch(h->text, '\n');
		buf_free(&p);
	}
	h->want_blank = 0;
}

/* Value of attribute name in the tag text s (after the tag name). */
static int
attr(const char *s, size_t len, const char *name, struct buf *out)
{
	size_t i = 0, nl = strlen(name);

	while (i < len) {
		size_t st;
		int match;

		while (i < len &&
		    (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
		        s[i] == '\r' || s[i] == '/'))
			i++;
		st = i;
		while (i < len && s[i] != '=' && s[i] != ' ' && s[i] != '>' &&
		    s[i] != '\t' && s[i] != '\n')
			i++;
		match = i - st == nl && str_ncasecmp(s + st, name, nl) == 0;
		if (i == st) {
			i++;
			continue;
		}
		while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
			i++;
		if (i >= len || s[i] != '=')
			continue;
		i++;
		while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
			i++;
		if (i < len && (s[i] == '"' || s[i] == '\'')) {
			char q = s[i++];

			for (st = i; i < len && s[i] != q; i++)
				;
		} else
			for (st = i; i < len && s[i] != ' ' && s[i] != '>' &&
			     s[i] != '\t' && s[i] != '\n';
			     i++)
				;
		if (match) {
			decode_entities(s + st, i - st, out);
			return 1;
		}
		if (i < len)
			i++;
	}
	return 0;
}

static void
end_link(struct html *h)
{
	const char *u = buf_cstr(&h->href);

	if (h->in_link && h->href.len > 0 && h->ltext.len > 0 &&
	    strcmp(u, buf_cstr(&h->ltext)) != 0 &&
	    !(str_has_casefix(u, "mailto:") &&
	        strcmp(u + 7, buf_cstr(&h->ltext)) == 0)) {
		char num[24];

		snprintf(num, sizeof(num), "[%d]", ++h->nlinks);
		buf_addstr(&h->line, num);
		buf_printf(h->links, "%s %s\n", num, u);
	}
	h->in_link = 0;
	buf_reset(&h->href);
	buf_reset(&h->ltext);
}

static inline int
is(const char *name, size_t n, const char *what)
{
	/* name is lower case and has no NUL: strncmp stops inside what;
	 * the first letter rules out nearly every candidate cheaply */
	return n > 0 && name[0] == what[0] && strncmp(name, what, n) == 0 &&
	    what[n] == '\0';
}

static void
tag(struct html *h, const char *name, size_t n, int close, const char *a,
    size_t alen)
{
	static const char *const paras[] = {"p", "h1", "h2", "h3", "h4", "h5",
	    "h6", "table", "pre", "hr", "dl", "address", "figure", "center",
	    NULL};
	static const char *const lines[] = {"div", "tr", "dt", "dd", "section",
	    "article", "header", "footer", "nav", "main", "caption", "form",
	    "fieldset", "thead", "tbody", "tfoot", NULL};
	size_t k;

	for (k = 0; paras[k]; k++)
		if (is(name, n, paras[k])) {
			para(h);
			if (is(name, n, "pre"))
				h->pre = close ? 0 : 1;
			if (is(name, n, "table") || is(name, n, "tr"))
				h->cells = 0;
			return;
		}
	for (k = 0; lines[k]; k++)
		if (is(name, n, lines[k])) {
			flush(h);
			if (is(name, n, "tr"))
				h->cells = 0;
			return;
		}
	if (is(name, n, "br")) {
		br(h);
	} else if (is(name, n, "td") || is(name, n, "th")) {
		if (!close && h->cells++ > 0 && h->line.len > 0) {
			buf_addstr(&h->line, " |");
			h->space = 1;
		}
	} else if (is(name, n, "ul") || is(name, n, "ol")) {
		/* a paragraph break around the outermost list only */
		if (h->nlist == 0)
			para(h);
		else
			flush(h);
		if (!close && h->nlist < LIST_MAX) {
			h->list[h->nlist].ordered = is(name, n, "ol");
			h->list[h->nlist].n = 0;
			h->nlist++;
		} else if (close && h->nlist > 0 && --h->nlist == 0)
			h->want_blank = 1;
	} else if (is(name, n, "li") && !close) {
		char m[24];
		int d = h->nlist > 0 ? h->nlist - 1 : 0;

		flush(h);
		if (h->nlist > 0 && h->list[d].ordered)
			snprintf(m, sizeof(m), "%d.", ++h->list[d].n);
		else
			snprintf(m, sizeof(m), "*");
		text(h, m, strlen(m));
		h->space = 1;
	} else if (is(name, n, "blockquote")) {
		flush(h);
		if (!close) {
			if (!last_blank(h))
				empty_line(h);
			h->want_blank = 0;
			if (h->quote < QUOTE_MAX)
				h->quote++;
		} else {
			if (h->quote > 0)
				h->quote--;
			h->want_blank = 1;
		}
	} else if (is(name, n, "a")) {
		if (h->in_link)
			end_link(h);
		if (!close && attr(a, alen, "href", &h->href)) {
			const char *u = buf_cstr(&h->href);

			while (*u == ' ')
				u++;
			if (*u == '#' || str_has_casefix(u, "javascript:"))
				buf_reset(&h->href);
			h->in_link = 1;
		}
	} else if (is(name, n, "img") && !close) {
		buf_reset(&h->tmp);
		if (attr(a, alen, "alt", &h->tmp) && h->tmp.len > 0) {
			struct buf t = BUF_INIT;

			buf_addch(&t, '[');
			buf_add(&t, h->tmp.data, h->tmp.len);
			buf_addch(&t, ']');
			h->tmp.len = 0;
			chars(h, t.data, t.len);
			buf_free(&t);
		}
	}
}

/* Offset just past the end tag </name ...> at or after i, or len. */
static size_t
skip_to_end(const char *s, size_t len, size_t i, const char *name)
{
	size_t n = strlen(name);

	while (i < len) {
		const char *lt = memchr(s + i, '<', len - i);

		if (lt == NULL)
			return len;
		i = (size_t)(lt - s) + 1;
		if (i + n < len && s[i] == '/' &&
		    str_ncasecmp(s + i + 1, name, n) == 0) {
			const char *gt = memchr(s + i, '>', len - i);

			return gt ? (size_t)(gt - s) + 1 : len;
		}
	}
	return len;
}

void
mime_html_render(const char *s, size_t len, int width, struct buf *text_out,
    struct buf *links)
{
	struct html h;
	size_t i = 0;

	memset(&h, 0, sizeof(h));
	h.text = text_out;
	h.links = links;
	h.width = width;
	while (i < len) {
		const char *lt = memchr(s + i, '<', len - i);
		size_t st, j, nst;
		int close = 0;
		char name[16];

		if (lt == NULL) {
			chars(&h, s + i, len - i);
			break;
		}
		st = (size_t)(lt - s);
		if (st > i)
			chars(&h, s + i, st - i);
		i = st + 1;
		if (i + 2 < len && memcmp(s + i, "!--", 3) == 0) {
			const char *e =
			    memmem(s + i + 3, len - i - 3, "-->", 3);

			i = e ? (size_t)(e - s) + 3 : len;
			continue;
		}
		if (i < len && s[i] == '/')
			close = 1, i++;
		nst = i;
		while (i < len &&
		    (((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') ||
		        (i > nst && s[i] >= '0' && s[i] <= '9')))
			i++;
		if (i == nst && !(i < len && (s[i] == '!' || s[i] == '?'))) {
			chars(&h, "<", 1); /* a lone "<" is text */
			i = st + 1;
			continue;
		}
		for (j = i; j < len && s[j] != '>'; j++)
			if (s[j] == '"' || s[j] == '\'') {
				const char *q =
				    memchr(s + j + 1, s[j], len - j - 1);

				if (q == NULL)
					break;
				j = (size_t)(q - s);
			}
		if (j >= len) { /* unterminated tag: to the next '>' */
			const char *gt = memchr(s + i, '>', len - i);

			j = gt ? (size_t)(gt - s) : len;
		}
		if (i - nst < sizeof(name)) { /* longer: no tag we know */
			size_t k;

			for (k = 0; k < i - nst; k++)
				name[k] = (char)(s[nst + k] | 0x20);
			tag(&h, name, k, close, s + i, j - i);
			if (!close &&
			    (is(name, k, "script") || is(name, k, "style") ||
			        is(name, k, "title") ||
			        is(name, k, "template"))) {
				name[k] = '\0';
				i = skip_to_end(
				    s, len, j < len ? j + 1 : len, name);
				continue;
			}
		}
		i = j < len ? j + 1 : len;
	}
	if (h.in_link)
		end_link(&h);
	flush(&h);
	while (text_out->len > 0 && (text_out->data[text_out->len - 1] == '\n'))
		buf_truncate(text_out, text_out->len - 1);
	if (text_out->len > 0)
		buf_addch(text_out, '\n');
	buf_free(&h.line);
	buf_free(&h.href);
	buf_free(&h.ltext);
	buf_free(&h.tmp);
	buf_free(&h.pfx1);
	buf_free(&h.pfx2);
}

void
mime_html_to_text(const char *html, size_t len, int width, struct buf *out)
{
	struct buf links = BUF_INIT;

	mime_html_render(html, len, width, out, &links);
	if (links.len > 0) {
		buf_addch(out, '\n');
		buf_add(out, links.data, links.len);
	}
	buf_free(&links);
}

int
mime_html_meta_charset(const char *s, size_t len, struct buf *out)
{
	size_t i, lim = len < 4096 ? len : 4096;

	for (i = 0; i + 8 < lim; i++)
		if (str_ncasecmp(s + i, "charset=", 8) == 0) {
			size_t j = i + 8;

			while (j < lim &&
			    (s[j] == '"' || s[j] == '\'' || s[j] == ' '))
				j++;
			for (; j < lim && s[j] != '"' && s[j] != '\'' &&
			     s[j] != ' ' && s[j] != '>' && s[j] != ';' &&
			     s[j] != '/';
			     j++)
				buf_addch(out, s[j]);
			return out->len > 0;
		}
	return 0;
}
