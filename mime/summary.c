/* summary: the header fields the cache indexes. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/xalloc.h"
#include "mime/mime_int.h"

#define IDS_MAX 500

struct ids {
	char **v;
	size_t n, cap;
};

static void
add_id(const char *id, size_t len, void *arg)
{
	struct ids *ids = arg;
	struct buf b = BUF_INIT;
	size_t i;

	if (ids->n >= IDS_MAX)
		return;
	if (ids->n == ids->cap) {
		ids->cap = ids->cap ? ids->cap * 2 : 4;
		ids->v = xreallocarray(ids->v, ids->cap, sizeof(*ids->v));
	}
	/* mime_msgids hands out no blank or control byte: an ASCII id is
	 * clean as it is */
	for (i = 0; i < len && (unsigned char)id[i] < 0x80; i++)
		;
	if (i == len) {
		ids->v[ids->n++] = xmemdup(id, len);
		return;
	}
	str_clean_display(&b, id, len, 0);
	ids->v[ids->n++] = buf_detach(&b, NULL);
}

static char *
decoded(const struct mime_field *f, int addr, char **first_r)
{
	struct buf b = BUF_INIT;

	if (f != NULL && addr)
		mime_addr_display(f->value, f->vlen, NULL, &b, first_r);
	else if (f != NULL)
		mime_header_decode(f->value, f->vlen, NULL, &b);
	else if (first_r != NULL)
		*first_r = xstrdup("");
	return buf_detach(&b, NULL);
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
	struct mime_summary *s;
	struct mime_headers h;
	const struct mime_field *f[F_N];
	struct ids ids = {NULL, 0, 0};
	size_t off;
	int multipart = 0;

	*sum_r = NULL;
	if (raw == NULL)
		return error_set(err, "no message to parse");
	s = xcalloc(1, sizeof(*s));
	off = mime_headers_parse(raw, len, &h);
	find_fields(&h, f);
	s->from = decoded(f[F_FROM], 1, &s->from_addr);
	s->to = decoded(f[F_TO], 1, NULL);
	s->cc = decoded(f[F_CC], 1, NULL);
	s->subject = decoded(f[F_SUBJECT], 0, NULL);
	if (f[F_DATE] != NULL &&
	    mime_date_parse(f[F_DATE]->value, f[F_DATE]->vlen, &s->date,
	        &s->date_zone) == 0)
		s->date_valid = 1;
	if (f[F_MSGID] != NULL)
		mime_msgids(f[F_MSGID]->value, f[F_MSGID]->vlen, add_id, &ids);
	s->message_id = ids.n > 0 ? ids.v[0] : xstrdup("");
	while (ids.n > 1)
		free(ids.v[--ids.n]);
	free(ids.v);
	memset(&ids, 0, sizeof(ids));
	if (f[F_IRT] != NULL)
		mime_msgids(f[F_IRT]->value, f[F_IRT]->vlen, add_id, &ids);
	s->in_reply_to = ids.v;
	s->n_in_reply_to = ids.n;
	memset(&ids, 0, sizeof(ids));
	if (f[F_REFS] != NULL)
		mime_msgids(f[F_REFS]->value, f[F_REFS]->vlen, add_id, &ids);
	s->references = ids.v;
	s->n_references = ids.n;
	if (f[F_CTYPE] != NULL)
		s->has_attachment = type_attachment(f[F_CTYPE], &multipart);
	if (off < len && multipart) {
		struct mime_tree *t = mime_tree_parse(raw, len);

		s->has_attachment = any_attachment(t->root->child);
		mime_tree_free(&t);
	}
	mime_headers_free(&h);
	*sum_r = s;
	return 0;
}

void
mime_summary_free(struct mime_summary **sp)
{
	struct mime_summary *s = *sp;
	size_t i;

	if (s == NULL)
		return;
	free(s->from);
	free(s->from_addr);
	free(s->to);
	free(s->cc);
	free(s->subject);
	free(s->message_id);
	for (i = 0; i < s->n_in_reply_to; i++)
		free(s->in_reply_to[i]);
	free(s->in_reply_to);
	for (i = 0; i < s->n_references; i++)
		free(s->references[i]);
	free(s->references);
	free(s);
	*sp = NULL;
}
