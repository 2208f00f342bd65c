/* addr: RFC 5322 address lists and message-id lists, for display. */
#include "config.h"

#include <string.h>

#include "core/str.h"
#include "core/xalloc.h"
#include "mime/mime_int.h"

struct mbox {
	struct buf phrase, addr, comment;
	int angle; /* an <addr> was seen */
};

static void
add_space(struct buf *b)
{
	if (b->len > 0 && b->data[b->len - 1] != ' ')
		buf_addch(b, ' ');
}

static void
trim(struct buf *b)
{
	size_t i = 0;

	while (b->len > 0 && b->data[b->len - 1] == ' ')
		buf_truncate(b, b->len - 1);
	while (i < b->len && b->data[i] == ' ')
		i++;
	buf_consume(b, i);
}

struct out {
	struct buf *out;
	const char *assumed;
	char **first_r;
	int n;
};

static void
emit(struct out *o, struct mbox *m)
{
	struct buf dec = BUF_INIT;
	struct buf *addr = m->angle ? &m->addr : &m->phrase;
	struct buf *name = m->angle ? &m->phrase : &m->comment;

	trim(addr);
	trim(name);
	if (!m->angle && addr->len > 0) { /* bare addr-spec: no blanks */
		size_t i, j = 0;

		for (i = 0; i < addr->len; i++)
			if (addr->data[i] != ' ')
				addr->data[j++] = addr->data[i];
		buf_truncate(addr, j);
	}
	if (addr->len > 0 || name->len > 0) {
		if (o->n++ > 0)
			buf_addstr(o->out, ", ");
		else if (o->out->len > 0 &&
		    o->out->data[o->out->len - 1] == ':')
			buf_addch(o->out, ' ');
		if (name->len > 0) {
			mime_rfc2047_decode(
			    name->data, name->len, o->assumed, &dec);
			mime_clean(o->out, buf_cstr(&dec), dec.len, 0);
			if (addr->len > 0)
				buf_addstr(o->out, " <");
		}
		mime_clean(o->out, buf_cstr(addr), addr->len, 0);
		if (name->len > 0 && addr->len > 0)
			buf_addch(o->out, '>');
		if (o->first_r != NULL && *o->first_r == NULL &&
		    addr->len > 0) {
			buf_reset(&dec);
			mime_clean(&dec, addr->data, addr->len, 0);
			*o->first_r = buf_detach(&dec, NULL);
		}
	}
	buf_free(&dec);
	buf_reset(&m->phrase);
	buf_reset(&m->addr);
	buf_reset(&m->comment);
	m->angle = 0;
}

void
mime_addr_display(const char *s, size_t len, const char *assumed,
    struct buf *out, char **first_r)
{
	struct mbox m;
	struct out o = {out, assumed, first_r, 0};
	size_t i;
	int depth = 0, angle = 0;

	memset(&m, 0, sizeof(m));
	if (first_r != NULL)
		*first_r = NULL;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		struct buf *cur = angle ? &m.addr : &m.phrase;

		if (depth > 0) { /* inside a comment */
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
		case '"':
			for (i++; i < len && s[i] != '"'; i++) {
				if (s[i] == '\\' && i + 1 < len)
					i++;
				buf_addch(cur, s[i] == '\t' ? ' ' : s[i]);
			}
			break;
		case '(':
			depth = 1;
			add_space(&m.comment);
			break;
		case '<':
			if (!angle) {
				angle = 1;
				m.angle = 1;
				buf_reset(&m.addr);
			}
			break;
		case '>': angle = 0; break;
		case ':':
			if (angle) { /* obsolete route "@a,@b:" */
				buf_reset(&m.addr);
				break;
			}
			trim(&m.phrase); /* a group: show its name */
			if (o.n++ > 0)
				buf_addstr(out, ", ");
			{
				struct buf dec = BUF_INIT;

				mime_rfc2047_decode(buf_cstr(&m.phrase),
				    m.phrase.len, assumed, &dec);
				mime_clean(out, buf_cstr(&dec), dec.len, 0);
				buf_free(&dec);
			}
			buf_addch(out, ':');
			o.n = 0;
			buf_reset(&m.phrase);
			buf_reset(&m.comment);
			break;
		case ',':
		case ';':
			if (angle) {
				if (c == ',')
					buf_reset(&m.addr); /* route list */
				break;
			}
			emit(&o, &m);
			if (c == ';') {
				buf_addch(out, ';');
				o.n = 1;
			}
			break;
		case ' ':
		case '\t':
		case '\r':
		case '\n':
			if (!angle)
				add_space(cur);
			break;
		default: { /* a run of ordinary characters at once */
			size_t j = i + 1;

			while (j < len && s[j] != '\0' &&
			    strchr("\"(<>:,; \t\r\n", s[j]) == NULL)
				j++;
			buf_add(cur, s + i, j - i);
			i = j - 1;
			break;
		}
		}
	}
	emit(&o, &m);
	buf_free(&m.phrase);
	buf_free(&m.addr);
	buf_free(&m.comment);
	if (first_r != NULL && *first_r == NULL)
		*first_r = xstrdup("");
}

void
mime_msgids(const char *s, size_t len,
    void (*fn)(const char *id, size_t len, void *arg), void *arg)
{
	struct buf id = BUF_INIT;
	size_t i = 0, j;
	int any = memchr(s, '<', len) != NULL;

	while (i < len) {
		if (any) {
			const char *lt = memchr(s + i, '<', len - i);

			if (lt == NULL)
				break;
			i = (size_t)(lt - s) + 1;
			for (j = i; j < len && s[j] != '>' && s[j] != '<'; j++)
				;
		} else {
			while (i < len &&
			    (s[i] == ' ' || s[i] == '\t' || s[i] == ','))
				i++;
			for (j = i; j < len && s[j] != ' ' && s[j] != '\t' &&
			     s[j] != ',';
			     j++)
				;
		}
		buf_reset(&id);
		for (; i < j; i++)
			if ((unsigned char)s[i] > ' ' && s[i] != 0x7f)
				buf_addch(&id, s[i]);
		if (id.len > 0 && id.len <= 998)
			fn(id.data, id.len, arg);
		if (i < len && s[i] == '>')
			i++;
	}
	buf_free(&id);
}
