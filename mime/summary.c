/* summary: the header fields the cache indexes. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/xalloc.h"
#include "mime/mime_int.h"

#define IDS_MAX 500

/*
 * The strings of a summary are built one after the other in one buffer
 * (each NUL-terminated, found by offset), then moved with the struct and
 * the id arrays into one allocation: a summary is one malloc, not a
 * dozen, and mime_summary_free frees that.
 */
struct text {
	struct buf b;
	size_t ids[2 * IDS_MAX]; /* offsets of In-Reply-To, References ids */
	size_t nids, max;        /* max: how many more this list takes */
};

/* NUL-terminates the string appended from start on; returns start. */
static size_t
end_string(struct text *t, size_t start)
{
	buf_addch(&t->b, '\0');
	return start;
}

static void
add_id(const char *id, size_t len, void *arg)
{
	struct text *t = arg;
	size_t i, st = t->b.len;

	if (t->max == 0)
		return;
	t->max--;
	/* mime_msgids hands out no blank or control byte: an ASCII id is
	 * clean as it is */
	for (i = 0; i < len && (unsigned char)id[i] < 0x80; i++)
		;
	if (i == len)
		buf_add(&t->b, id, len);
	else
		str_clean_display(&t->b, id, len, 0);
	t->ids[t->nids++] = end_string(t, st);
}

/* The ids of f (at most max), their offsets appended to t->ids. */
static size_t
ids(struct text *t, const struct mime_field *f, size_t max)
{
	size_t n = t->nids;

	t->max = max;
	if (f != NULL)
		mime_msgids(f->value, f->vlen, add_id, t);
	return t->nids - n;
}

static size_t
decoded(struct text *t, const struct mime_field *f, int addr, size_t *first_r)
{
	size_t st = t->b.len;
	char *first = NULL;

	if (f != NULL && addr)
		mime_addr_display(f->value, f->vlen, NULL, &t->b,
		    first_r != NULL ? &first : NULL);
	else if (f != NULL)
		mime_header_decode(f->value, f->vlen, NULL, &t->b);
	end_string(t, st);
	if (first_r != NULL) {
		*first_r = t->b.len;
		if (first != NULL)
			buf_addstr(&t->b, first);
		end_string(t, *first_r);
		free(first);
	}
	return st;
}

static int
any_attachment(const struct mime_part *p)
{
	for (; p != NULL; p = p->next) {
		if (mime_part_is_attachment(p) || any_attachment(p->child))
			return 1;
	}
	return 0;
}

enum { F_FROM, F_TO, F_CC, F_SUBJECT, F_DATE, F_MSGID, F_IRT, F_REFS,
	F_CTYPE, F_N };

static const char *const wanted[F_N] = {"from", "to", "cc", "subject",
    "date", "message-id", "in-reply-to", "references", "content-type"};

/* str_casecmp(f->name, lower) == 0, knowing the length. */
static int
same_name(const struct mime_field *f, const char *lower)
{
	size_t i;

	for (i = 0; i < f->nlen; i++)
		if (str_ascii_lower((unsigned char)f->name[i]) != lower[i])
			return 0;
	return lower[i] == '\0';
}

/* The first field of each wanted name, in one pass over the header
 * (what mime_headers_get would find for each). */
static void
find_fields(const struct mime_headers *h, const struct mime_field **f)
{
	size_t i, k;

	memset(f, 0, F_N * sizeof(*f));
	for (i = 0; i < h->n; i++) {
		int c = str_ascii_lower((unsigned char)h->v[i].name[0]);

		switch (h->v[i].nlen) { /* the length and first letter */
		case 2: k = c == 't' ? F_TO : F_CC; break;
		case 4: k = c == 'f' ? F_FROM : F_DATE; break;
		case 7: k = F_SUBJECT; break;
		case 10: k = c == 'r' ? F_REFS : F_MSGID; break;
		case 11: k = F_IRT; break;
		case 12: k = F_CTYPE; break;
		default: continue;
		}
		if (f[k] == NULL && same_name(&h->v[i], wanted[k]))
			f[k] = &h->v[i];
	}
}

/* Whether the top Content-Type token (lower-cased, up to a NUL) names
 * what the hint counts as an attachment; *multipart_r if multipart/. */
static int
type_attachment(const struct mime_field *f, int *multipart_r)
{
	const char *v = f->value;
	size_t i = 0, st, n;

	while (i < f->vlen && (v[i] == ' ' || v[i] == '\t'))
		i++;
	for (st = i; i < f->vlen && v[i] != ';' && v[i] != ' ' &&
	     v[i] != '\t' && v[i] != '(' && v[i] != '\0';
	     i++)
		;
	v += st;
	n = i - st;
	*multipart_r = n >= 10 && str_ncasecmp(v, "multipart/", 10) == 0;
	if (n == 15 && str_ncasecmp(v, "multipart/mixed", 15) == 0)
		return 1;
	if ((n >= 5 && str_ncasecmp(v, "text/", 5) == 0) || *multipart_r ||
	    (n >= 8 && str_ncasecmp(v, "message/", 8) == 0))
		return 0;
	return memchr(v, '/', n) != NULL;
}

int
mime_summary_parse(
    const char *raw, size_t len, struct mime_summary **sum_r, struct error *err)
{
	struct mime_summary *s, o;
	struct mime_headers h;
	const struct mime_field *f[F_N];
	struct text tx, *t = &tx; /* 8 KB: offsets, no allocation */
	size_t off, i, from, from_addr, to, cc, subject, mid = 0, nirt, nref;
	size_t size, nlen = 0;
	char *p, **v;
	int multipart = 0;

	*sum_r = NULL;
	if (raw == NULL)
		return error_set(err, "no message to parse");
	memset(&o, 0, sizeof(o));
	off = mime_headers_parse(raw, len, &h);
	find_fields(&h, f);
	for (i = 0; i < F_N; i++)
		nlen += f[i] != NULL ? f[i]->vlen : 0;
	memset(&t->b, 0, sizeof(t->b));
	t->nids = 0;
	buf_grow(&t->b, nlen + 64);
	buf_addch(&t->b, '\0'); /* offset 0: "" */
	from = decoded(t, f[F_FROM], 1, &from_addr);
	to = decoded(t, f[F_TO], 1, NULL);
	cc = decoded(t, f[F_CC], 1, NULL);
	subject = decoded(t, f[F_SUBJECT], 0, NULL);
	if (f[F_DATE] != NULL &&
	    mime_date_parse(f[F_DATE]->value, f[F_DATE]->vlen, &o.date,
	        &o.date_zone) == 0)
		o.date_valid = 1;
	if (ids(t, f[F_MSGID], 1) > 0)
		mid = t->ids[--t->nids];
	nirt = ids(t, f[F_IRT], IDS_MAX);
	nref = ids(t, f[F_REFS], IDS_MAX);
	if (f[F_CTYPE] != NULL)
		o.has_attachment = type_attachment(f[F_CTYPE], &multipart);
	if (off < len && multipart) {
		struct mime_tree *tr = mime_tree_parse(raw, len);

		o.has_attachment = any_attachment(tr->root->child);
		mime_tree_free(&tr);
	}
	mime_headers_free(&h);

	size = sizeof(*s) + (nirt + nref) * sizeof(char *);
	s = xmalloc(size + t->b.len);
	*s = o;
	v = (char **)(s + 1);
	p = (char *)(v + nirt + nref);
	memcpy(p, t->b.data, t->b.len);
	s->from = p + from;
	s->from_addr = p + from_addr;
	s->to = p + to;
	s->cc = p + cc;
	s->subject = p + subject;
	s->message_id = p + mid;
	for (i = 0; i < nirt + nref; i++)
		v[i] = p + t->ids[i];
	s->in_reply_to = nirt > 0 ? v : NULL;
	s->n_in_reply_to = nirt;
	s->references = nref > 0 ? v + nirt : NULL;
	s->n_references = nref;
	buf_free(&t->b);
	*sum_r = s;
	return 0;
}

void
mime_summary_free(struct mime_summary **sp)
{
	free(*sp); /* strings and id arrays live in the same block */
	*sp = NULL;
}
