/* addr: RFC 5322 address lists and message-id lists, for display. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/xalloc.h"
#include "mime/mime_int.h"

/*
 * The phrase, address and comment of the mailbox being read.  Each input
 * byte adds at most one byte to one of them, so each fits in the length
 * of the value: fixed arrays, on the stack for the usual short list.
 */
struct span {
	char *d;
	size_t len;
};

struct mbox {
	struct span phrase, addr, comment;
	int angle; /* an <addr> was seen */
};

#define MBOX_STACK 512

/* Bytes that end a run of ordinary characters: "(<>:,; \t\r\n. */
static const unsigned char special[256] = {
    ['"'] = 1, ['('] = 1, ['<'] = 1, ['>'] = 1, [':'] = 1, [','] = 1,
    [';'] = 1, [' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 1,
};

static void
add_space(struct span *b)
{
	if (b->len > 0 && b->d[b->len - 1] != ' ')
		b->d[b->len++] = ' ';
}

/* The span without its leading and trailing spaces. */
static struct span
trimmed(const struct span *b)
{
	struct span t = *b;

	while (t.len > 0 && t.d[t.len - 1] == ' ')
		t.len--;
	while (t.len > 0 && t.d[0] == ' ') {
		t.d++;
		t.len--;
	}
	return t;
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
	struct span addr = trimmed(m->angle ? &m->addr : &m->phrase);
	struct span name = trimmed(m->angle ? &m->phrase : &m->comment);

	if (!m->angle && addr.len > 0) { /* bare addr-spec: no blanks */
		size_t i, j = 0;

		for (i = 0; i < addr.len; i++)
			if (addr.d[i] != ' ')
				addr.d[j++] = addr.d[i];
		addr.len = j;
	}
	if (addr.len > 0 || name.len > 0) {
		if (o->n++ > 0)
			buf_add(o->out, ", ", 2);
		else if (o->out->len > 0 &&
		    o->out->data[o->out->len - 1] == ':')
			buf_addch(o->out, ' ');
		if (name.len > 0) {
			mime_rfc2047_clean(
			    name.d, name.len, o->assumed, o->out);
			if (addr.len > 0)
				buf_add(o->out, " <", 2);
		}
		mime_clean(o->out, addr.d, addr.len, 0);
		if (name.len > 0 && addr.len > 0)
			buf_addch(o->out, '>');
		if (o->first_r != NULL && *o->first_r == NULL &&
		    addr.len > 0) {
			struct buf first = BUF_INIT;

			mime_clean(&first, addr.d, addr.len, 0);
			*o->first_r = buf_detach(&first, NULL);
		}
	}
	m->phrase.len = m->addr.len = m->comment.len = 0;
	m->angle = 0;
}

void
mime_addr_display(const char *s, size_t len, const char *assumed,
    struct buf *out, char **first_r)
{
	char stack[3 * MBOX_STACK], *heap = NULL, *room = stack;
	struct mbox m;
	struct out o = {out, assumed, first_r, 0};
	size_t i;
	int depth = 0, angle = 0;

	if (len > MBOX_STACK)
		room = heap = xmalloc(3 * len);
	m.phrase.d = room;
	m.addr.d = room + (len > MBOX_STACK ? len : MBOX_STACK);
	m.comment.d = m.addr.d + (len > MBOX_STACK ? len : MBOX_STACK);
	m.phrase.len = m.addr.len = m.comment.len = 0;
	m.angle = 0;
	if (first_r != NULL)
		*first_r = NULL;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		struct span *cur = angle ? &m.addr : &m.phrase;

		if (depth > 0) { /* inside a comment */
			if (c == '\\' && i + 1 < len)
				m.comment.d[m.comment.len++] = s[++i];
			else if (c == '(')
				depth++;
			else if (c == ')')
				depth--;
			else
				m.comment.d[m.comment.len++] =
				    c == '\t' ? ' ' : (char)c;
			continue;
		}
		switch (c) {
		case '"':
			for (i++; i < len && s[i] != '"'; i++) {
				if (s[i] == '\\' && i + 1 < len)
					i++;
				cur->d[cur->len++] = s[i] == '\t' ? ' ' : s[i];
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
				m.addr.len = 0;
			}
			break;
		case '>': angle = 0; break;
		case ':': {
			struct span ph;

			if (angle) { /* obsolete route "@a,@b:" */
				m.addr.len = 0;
				break;
			}
			ph = trimmed(&m.phrase); /* a group: show its name */
			if (o.n++ > 0)
				buf_add(out, ", ", 2);
			mime_rfc2047_clean(ph.d, ph.len, assumed, out);
			buf_addch(out, ':');
			o.n = 0;
			m.phrase.len = m.comment.len = 0;
			break;
		}
		case ',':
		case ';':
			if (angle) {
				if (c == ',')
					m.addr.len = 0; /* route list */
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

			while (j < len && !special[(unsigned char)s[j]])
				j++;
			memcpy(cur->d + cur->len, s + i, j - i);
			cur->len += j - i;
			i = j - 1;
			break;
		}
		}
	}
	emit(&o, &m);
	free(heap);
	if (first_r != NULL && *first_r == NULL)
		*first_r = xstrdup("");
}

/* 1 if an id byte is dropped: blanks and controls. */
#define ID_DROP(c) ((unsigned char)(c) <= ' ' || (c) == 0x7f)

void
mime_msgids(const char *s, size_t len,
    void (*fn)(const char *id, size_t len, void *arg), void *arg)
{
	struct buf id = BUF_INIT;
	size_t i = 0, j;
	int any = memchr(s, '<', len) != NULL, drop;

	while (i < len) {
		drop = 0;
		if (any) {
			const char *lt = memchr(s + i, '<', len - i);

			if (lt == NULL)
				break;
			i = (size_t)(lt - s) + 1;
			for (j = i; j < len && s[j] != '>' && s[j] != '<'; j++)
				drop |= ID_DROP(s[j]);
		} else {
			while (i < len &&
			    (s[i] == ' ' || s[i] == '\t' || s[i] == ','))
				i++;
			for (j = i; j < len && s[j] != ' ' && s[j] != '\t' &&
			     s[j] != ',';
			     j++)
				drop |= ID_DROP(s[j]);
		}
		if (!drop) { /* the usual id: passed as it stands */
			if (j > i && j - i <= 998)
				fn(s + i, j - i, arg);
		} else {
			buf_reset(&id);
			for (; i < j; i++)
				if (!ID_DROP(s[i]))
					buf_addch(&id, s[i]);
			if (id.len > 0 && id.len <= 998)
				fn(id.data, id.len, arg);
		}
		i = j;
		if (i < len && s[i] == '>')
			i++;
	}
	buf_free(&id);
}
