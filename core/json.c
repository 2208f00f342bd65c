/* json: see core/json.h. */
#include <config.h>

#include "core/json.h"
#include "core/str.h"

#include <string.h>

struct jp {
	const char *s;
	size_t n, i;
};

static void
ws(struct jp *p)
{
	while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' ||
	    p->s[p->i] == '\n' || p->s[p->i] == '\r'))
		p->i++;
}

static int
hex4(struct jp *p, unsigned *v)
{
	unsigned k;
	int d;

	if (p->n - p->i < 4)
		return -1;
	*v = 0;
	for (k = 0; k < 4; k++) {
		if ((d = str_hexval((unsigned char)p->s[p->i++])) < 0)
			return -1;
		*v = *v << 4 | (unsigned)d;
	}
	return 0;
}

static void
utf8(struct buf *out, unsigned cp)
{
	if (cp < 0x80) {
		buf_addch(out, (int)cp);
	} else if (cp < 0x800) {
		buf_addch(out, (int)(0xc0 | cp >> 6));
		buf_addch(out, (int)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		buf_addch(out, (int)(0xe0 | cp >> 12));
		buf_addch(out, (int)(0x80 | ((cp >> 6) & 0x3f)));
		buf_addch(out, (int)(0x80 | (cp & 0x3f)));
	} else {
		buf_addch(out, (int)(0xf0 | cp >> 18));
		buf_addch(out, (int)(0x80 | ((cp >> 12) & 0x3f)));
		buf_addch(out, (int)(0x80 | ((cp >> 6) & 0x3f)));
		buf_addch(out, (int)(0x80 | (cp & 0x3f)));
	}
}

/* A string at p->i (the opening quote); its text goes to out if not
 * NULL. */
static int
string(struct jp *p, struct buf *out)
{
	unsigned char c;
	unsigned cp, lo;

	if (p->i >= p->n || p->s[p->i] != '"')
		return -1;
	p->i++;
	for (;;) {
		if (p->i >= p->n)
			return -1;
		c = (unsigned char)p->s[p->i++];
		if (c == '"')
			return 0;
		if (c < 0x20)
			return -1;
		if (c != '\\') {
			if (out)
				buf_addch(out, c);
			continue;
		}
		if (p->i >= p->n)
			return -1;
		c = (unsigned char)p->s[p->i++];
		switch (c) {
		case '"': case '\\': case '/': break;
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		case 'u':
			if (hex4(p, &cp) < 0 || cp == 0 ||
			    (cp >= 0xdc00 && cp <= 0xdfff))
				return -1;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (p->n - p->i < 2 || p->s[p->i] != '\\' ||
				    p->s[p->i + 1] != 'u')
					return -1;
				p->i += 2;
				if (hex4(p, &lo) < 0 || lo < 0xdc00 ||
				    lo > 0xdfff)
					return -1;
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
			}
			if (out)
				utf8(out, cp);
			continue;
		default:
			return -1;
		}
		if (out)
			buf_addch(out, c);
	}
}

static int
digits(struct jp *p)
{
	size_t start = p->i;

	while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
		p->i++;
	return p->i > start ? 0 : -1;
}

static int
number(struct jp *p)
{
	if (p->i < p->n && p->s[p->i] == '-')
		p->i++;
	if (p->i < p->n && p->s[p->i] == '0')
		p->i++;
	else if (digits(p) < 0)
		return -1;
	if (p->i < p->n && p->s[p->i] == '.') {
		p->i++;
		if (digits(p) < 0)
			return -1;
	}
	if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
		p->i++;
		if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-'))
			p->i++;
		if (digits(p) < 0)
			return -1;
	}
	return 0;
}

static int
word(struct jp *p, const char *w)
{
	size_t len = strlen(w);

	if (p->n - p->i < len || memcmp(p->s + p->i, w, len) != 0)
		return -1;
	p->i += len;
	return 0;
}

static int value(struct jp *p, unsigned depth, struct buf *out, int *scalar);

static int
container(struct jp *p, unsigned depth, char close, const char *key,
    struct buf *out, int *found)
{
	struct buf name = BUF_INIT;
	int rc = -1, scalar;

	if (depth >= JSON_MAX_DEPTH)
		return -1;
	p->i++;
	ws(p);
	if (p->i < p->n && p->s[p->i] == close) {
		p->i++;
		return 0;
	}
	for (;;) {
		struct buf *dst = NULL;

		ws(p);
		if (close == '}') {
			buf_reset(&name);
			if (string(p, &name) < 0)
				goto out;
			ws(p);
			if (p->i >= p->n || p->s[p->i++] != ':')
				goto out;
			ws(p);
			if (key && !*found && name.len == strlen(key) &&
			    memcmp(name.data, key, name.len) == 0)
				dst = out;
		}
		if (value(p, depth + 1, dst, &scalar) < 0)
			goto out;
		if (dst && scalar)
			*found = 1;
		else if (dst)
			buf_reset(dst);
		ws(p);
		if (p->i >= p->n)
			goto out;
		if (p->s[p->i] == close) {
			p->i++;
			rc = 0;
			goto out;
		}
		if (p->s[p->i++] != ',')
			goto out;
	}
out:
	buf_free(&name);
	return rc;
}

/* One value; with out, a scalar's text goes there and *scalar is set. */
static int
value(struct jp *p, unsigned depth, struct buf *out, int *scalar)
{
	size_t start;
	int dummy = 0;

	*scalar = 0;
	if (p->i >= p->n)
		return -1;
	switch (p->s[p->i]) {
	case '{':
		return container(p, depth, '}', NULL, NULL, &dummy);
	case '[':
		return container(p, depth, ']', NULL, NULL, &dummy);
	case '"':
		*scalar = 1;
		return string(p, out);
	}
	start = p->i;
	if (word(p, "true") < 0 && word(p, "false") < 0 &&
	    word(p, "null") < 0 && number(p) < 0)
		return -1;
	*scalar = 1;
	if (out)
		buf_add(out, p->s + start, p->i - start);
	return 0;
}

int
json_get(const char *s, size_t n, const char *key, struct buf *out)
{
	struct jp p = { s, n, 0 };
	struct buf tmp = BUF_INIT;
	int found = 0, rc;

	buf_secret(&tmp);
	ws(&p);
	if (p.i >= p.n || s[p.i] != '{')
		return -1;
	rc = container(&p, 0, '}', key, &tmp, &found);
	ws(&p);
	if (rc == 0 && p.i != p.n)
		rc = -1;
	if (rc == 0 && found)
		buf_add(out, tmp.data, tmp.len);
	buf_wipe(&tmp); /* may be a token */
	buf_free(&tmp);
	return rc < 0 ? -1 : found;
}
