/* addrlist: address lists as structures (names and addr-specs apart), for
 * writing; addr.c reads them only for display. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/xalloc.h"
#include "mime/compose.h"
#include "mime/mime_int.h"

void
mime_addrlist_add(struct mime_addrlist *l, const char *name, const char *addr)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 4;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	l->v[l->n].name = xstrdup(name ? name : "");
	l->v[l->n].addr = xstrdup(addr ? addr : "");
	l->n++;
}

int
mime_addrlist_has(const struct mime_addrlist *l, const char *addr)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (str_casecmp(l->v[i].addr, addr) == 0)
			return 1;
	return 0;
}

void
mime_addrlist_merge(struct mime_addrlist *l, const struct mime_addrlist *src)
{
	size_t i;

	for (i = 0; i < src->n; i++)
		if (!mime_addrlist_has(l, src->v[i].addr))
			mime_addrlist_add(l, src->v[i].name, src->v[i].addr);
}

void
mime_addrlist_remove(struct mime_addrlist *l, const struct mime_addrlist *drop)
{
	size_t i, j = 0;

	for (i = 0; i < l->n; i++) {
		if (drop != NULL && mime_addrlist_has(drop, l->v[i].addr)) {
			free(l->v[i].name);
			free(l->v[i].addr);
			continue;
		}
		l->v[j++] = l->v[i];
	}
	l->n = j;
}

void
mime_addrlist_free(struct mime_addrlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].addr);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* ------------------------------------------------------------------ */

static int
is_atext(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != 0 && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

/* A dot-atom: atext (or UTF-8 when utf8) runs joined by single dots. */
static int
dot_atom(const char *s, size_t len, int utf8)
{
	size_t i;

	if (len == 0 || s[0] == '.' || s[len - 1] == '.')
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.') {
			if (s[i + 1] == '.')
				return 0;
		} else if (!is_atext(c) && !(utf8 && c >= 0x80))
			return 0;
	}
	return 1;
}

int
mime_has_8bit(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 1;
	return 0;
}

int
mime_addr_check(const char *addr, int smtputf8, const char *field,
    struct error *err)
{
	size_t len = strlen(addr), at, i;
	const char *dom;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)addr[i];

		if (c < 0x20 || c == 0x7f)
			return error_set(err,
			    "%s: an address contains a line break or control "
			    "character; remove it.", field);
	}
	if (!mime_utf8_valid(addr, len))
		return error_set(err, "%s: an address is not valid UTF-8.",
		    field);
	if (len > 254)
		return error_set(err,
		    "%s: an address is longer than 254 characters.", field);
	dom = strrchr(addr, '@');
	if (dom == NULL || dom == addr || dom[1] == '\0')
		return error_set(err,
		    "%s: \"%s\" is not an email address; write it as "
		    "name@example.org.", field, addr);
	at = (size_t)(dom - addr);
	dom++;
	if (mime_has_8bit(addr, len) && !smtputf8)
		return error_set(err,
		    "%s: %s has non-ASCII characters, which the mail server "
		    "does not accept (no SMTPUTF8).", field, addr);
	if (addr[0] == '"') { /* quoted local part */
		if (at < 2 || addr[at - 1] != '"')
			return error_set(err,
			    "%s: \"%s\" is not an email address.", field, addr);
		for (i = 1; i + 1 < at; i++) {
			if (addr[i] == '\\' && i + 2 < at)
				i++;
			else if (addr[i] == '"' || addr[i] == '\\')
				return error_set(err,
				    "%s: \"%s\" is not an email address.",
				    field, addr);
		}
	} else if (!dot_atom(addr, at, 1))
		return error_set(err, "%s: \"%s\" is not an email address.",
		    field, addr);
	if (dom[0] == '[') {
		size_t dl = strlen(dom);

		if (dl < 3 || dom[dl - 1] != ']' ||
		    strpbrk(dom + 1, "[\\ ") != NULL ||
		    memchr(dom + 1, ']', dl - 2) != NULL)
			return error_set(err,
			    "%s: \"%s\" is not an email address.", field, addr);
		return 0;
	}
	if (!dot_atom(dom, strlen(dom), 1))
		return error_set(err, "%s: \"%s\" is not an email address.",
		    field, addr);
	for (i = 0; dom[i]; i++) {
		unsigned char c = (unsigned char)dom[i];

		if (c < 0x80 && !(c == '.' || c == '-' || c == '_' ||
		                    (c >= '0' && c <= '9') ||
		                    (c >= 'a' && c <= 'z') ||
		                    (c >= 'A' && c <= 'Z')))
			return error_set(err,
			    "%s: \"%s\" has a domain that cannot exist.",
			    field, addr);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* The parser: one pass, a mailbox at a time. */

struct mb {
	struct buf phrase;  /* display words, quotes removed */
	struct buf bare;    /* the same bytes as written, for an addr-spec */
	struct buf angle;   /* inside <...> */
	struct buf comment; /* comment text */
	int in_angle, saw_angle;
};

static void
mb_reset(struct mb *m)
{
	buf_reset(&m->phrase);
	buf_reset(&m->bare);
	buf_reset(&m->angle);
	buf_reset(&m->comment);
	m->in_angle = m->saw_angle = 0;
}

static void
mb_free(struct mb *m)
{
	buf_free(&m->phrase);
	buf_free(&m->bare);
	buf_free(&m->angle);
	buf_free(&m->comment);
}

static void
space(struct buf *b)
{
	if (b->len > 0 && b->data[b->len - 1] != ' ')
		buf_addch(b, ' ');
}

/* s[0..len) without leading and trailing blanks, into out. */
static void
trim_into(const char *s, size_t len, struct buf *out)
{
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	while (len > 0 && (*s == ' ' || *s == '\t'))
		s++, len--;
	buf_add(out, s, len);
}

/* Strips blanks and controls (folded or damaged headers). */
static void
squeeze(const char *s, size_t len, struct buf *out)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] > ' ' && s[i] != 0x7f)
			buf_addch(out, s[i]);
}

struct parse {
	const char *field;
	int strict;
	struct mime_addrlist *l;
	struct error *err;
};

/* Ends the mailbox read so far.  Returns -1 (strict) on a bad one. */
static int
emit(struct parse *p, struct mb *m)
{
	struct buf addr = BUF_INIT, name = BUF_INIT, raw = BUF_INIT;
	int rc = 0;

	if (m->saw_angle) {
		squeeze(buf_cstr(&m->angle), m->angle.len, &addr);
		trim_into(buf_cstr(&m->phrase), m->phrase.len, &raw);
	} else {
		struct buf t = BUF_INIT;

		/* "Alice alice@x" is no address (nor "Alicealice@x") */
		trim_into(buf_cstr(&m->bare), m->bare.len, &t);
		if (memchr(buf_cstr(&t), ' ', t.len) == NULL)
			squeeze(buf_cstr(&t), t.len, &addr);
		else
			buf_addstr(&addr, buf_cstr(&t));
		buf_free(&t);
		trim_into(buf_cstr(&m->comment), m->comment.len, &raw);
	}
	if (addr.len == 0 && raw.len == 0 && !m->saw_angle)
		goto done;
	/* decoded names can hold anything: always cleaned */
	mime_rfc2047_clean(buf_cstr(&raw), raw.len, NULL, &name);
	if (mime_addr_check(buf_cstr(&addr), 1, p->field, p->err) < 0) {
		if (p->strict) {
			if (addr.len == 0)
				error_set(p->err,
				    "%s: \"%s\" has no email address; write "
				    "it as Name <name@example.org>.",
				    p->field, buf_cstr(&name));
			rc = -1;
		} else
			error_clear(p->err);
		goto done;
	}
	mime_addrlist_add(p->l, buf_cstr(&name), buf_cstr(&addr));
done:
	mb_reset(m);
	buf_free(&addr);
	buf_free(&name);
	buf_free(&raw);
	return rc;
}

static int
parse_list(const char *s, size_t len, struct parse *p)
{
	struct mb m;
	size_t i;
	int depth = 0, rc = 0;

	memset(&m, 0, sizeof(m));
	for (i = 0; i < len && rc == 0; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 && c != '\t') {
			if (p->strict) {
				rc = error_set(p->err,
				    "%s: contains a line break or control "
				    "character; remove it.", p->field);
				break;
			}
			c = ' ';
		}
		if (depth > 0) {
			if (c == '\\' && i + 1 < len)
				buf_addch(&m.comment, s[++i]);
			else if (c == '(')
				depth++;
			else if (c == ')')
				depth--;
			else
				buf_addch(&m.comment, c == '\t' ? ' ' : c);
			continue;
		}
		switch (c) {
		case '"': {
			struct buf *dst = m.in_angle ? &m.angle : &m.bare;
			size_t st = i;

			for (i++; i < len && s[i] != '"'; i++) {
				if (s[i] == '\\' && i + 1 < len)
					i++;
				if (!m.in_angle)
					buf_addch(&m.phrase, s[i]);
			}
			if (i >= len) {
				if (p->strict) {
					rc = error_set(p->err,
					    "%s: a quote (\") is not closed.",
					    p->field);
					break;
				}
				i = len - 1;
			}
			buf_add(dst, s + st, i + 1 - st);
			break;
		}
		case '(':
			depth = 1;
			space(&m.comment);
			break;
		case '<':
			if (m.in_angle && p->strict) {
				rc = error_set(p->err,
				    "%s: an address has two \"<\".", p->field);
				break;
			}
			m.in_angle = m.saw_angle = 1;
			buf_reset(&m.angle);
			break;
		case '>':
			m.in_angle = 0;
			break;
		case ':':
			if (m.in_angle) { /* obsolete route "@a,@b:" */
				buf_reset(&m.angle);
				break;
			}
			/* a group: its name is no mailbox */
			buf_reset(&m.phrase);
			buf_reset(&m.bare);
			buf_reset(&m.comment);
			break;
		case ',':
		case ';':
			if (m.in_angle) {
				if (c == ',')
					buf_reset(&m.angle);
				break;
			}
			rc = emit(p, &m);
			break;
		case ' ':
		case '\t':
			if (m.in_angle)
				break;
			space(&m.phrase);
			buf_addch(&m.bare, ' ');
			break;
		default:
			if (m.in_angle)
				buf_addch(&m.angle, c);
			else {
				buf_addch(&m.phrase, c);
				buf_addch(&m.bare, c);
			}
			break;
		}
	}
	if (rc == 0 && p->strict && (m.in_angle || depth > 0))
		rc = error_set(p->err, "%s: a \"%s\" is not closed.", p->field,
		    m.in_angle ? "<" : "(");
	if (rc == 0)
		rc = emit(p, &m);
	mb_free(&m);
	return rc;
}

int
mime_addrlist_parse(const char *s, size_t len, const char *field,
    struct mime_addrlist *l, struct error *err)
{
	struct mime_addrlist tmp = {NULL, 0, 0};
	struct parse p = {field, 1, &tmp, err};
	size_t i;

	if (parse_list(s, len, &p) < 0) {
		mime_addrlist_free(&tmp);
		return -1;
	}
	for (i = 0; i < tmp.n; i++)
		mime_addrlist_add(l, tmp.v[i].name, tmp.v[i].addr);
	mime_addrlist_free(&tmp);
	return 0;
}

void
mime_addrlist_from_header(const char *value, size_t len,
    struct mime_addrlist *l)
{
	struct error e;
	struct parse p = {"", 0, l, &e};

	parse_list(value, len, &p);
}

/* A name that mime_addrlist_parse reads back as it is without quotes:
 * atext words separated by single blanks, and no encoded word. */
static int
plain_phrase(const char *s)
{
	size_t i;

	if (*s == '\0' || strstr(s, "=?") != NULL)
		return 0;
	for (i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ' ') {
			if (i == 0 || s[i + 1] == ' ' || s[i + 1] == '\0')
				return 0;
		} else if (!is_atext(c) && c < 0x80)
			return 0;
	}
	return 1;
}

void
mime_addrlist_format(const struct mime_addrlist *l, struct buf *out)
{
	size_t i, k;

	for (i = 0; i < l->n; i++) {
		const char *name = l->v[i].name;

		if (i > 0)
			buf_add(out, ", ", 2);
		if (*name == '\0') {
			buf_addstr(out, l->v[i].addr);
			continue;
		}
		if (plain_phrase(name))
			buf_addstr(out, name);
		else {
			buf_addch(out, '"');
			for (k = 0; name[k]; k++) {
				if (name[k] == '"' || name[k] == '\\')
					buf_addch(out, '\\');
				buf_addch(out, name[k]);
			}
			buf_addch(out, '"');
		}
		buf_printf(out, " <%s>", l->v[i].addr);
	}
}
