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
	size_t n;
};

static void
add_id(const char *id, size_t len, void *arg)
{
	struct ids *ids = arg;
	struct buf b = BUF_INIT;

	if (ids->n >= IDS_MAX)
		return;
	ids->v = xreallocarray(ids->v, ids->n + 1, sizeof(*ids->v));
	str_clean_display(&b, id, len, 0);
	ids->v[ids->n++] = buf_detach(&b, NULL);
}

static char *
decoded(
    const struct mime_headers *h, const char *name, int addr, char **first_r)
{
	const struct mime_field *f = mime_headers_get(h, name);
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

int
mime_summary_parse(
    const char *raw, size_t len, struct mime_summary **sum_r, struct error *err)
{
	struct mime_summary *s;
	struct mime_headers h;
	const struct mime_field *f;
	struct buf type = BUF_INIT;
	struct ids ids = {NULL, 0};
	size_t off;

	*sum_r = NULL;
	if (raw == NULL)
		return error_set(err, "no message to parse");
	s = xcalloc(1, sizeof(*s));
	off = mime_headers_parse(raw, len, &h);
	s->from = decoded(&h, "from", 1, &s->from_addr);
	s->to = decoded(&h, "to", 1, NULL);
	s->cc = decoded(&h, "cc", 1, NULL);
	s->subject = decoded(&h, "subject", 0, NULL);
	if ((f = mime_headers_get(&h, "date")) != NULL &&
	    mime_date_parse(f->value, f->vlen, &s->date, &s->date_zone) == 0)
		s->date_valid = 1;
	if ((f = mime_headers_get(&h, "message-id")) != NULL)
		mime_msgids(f->value, f->vlen, add_id, &ids);
	s->message_id = ids.n > 0 ? ids.v[0] : xstrdup("");
	while (ids.n > 1)
		free(ids.v[--ids.n]);
	free(ids.v);
	memset(&ids, 0, sizeof(ids));
	if ((f = mime_headers_get(&h, "in-reply-to")) != NULL)
		mime_msgids(f->value, f->vlen, add_id, &ids);
	s->in_reply_to = ids.v;
	s->n_in_reply_to = ids.n;
	memset(&ids, 0, sizeof(ids));
	if ((f = mime_headers_get(&h, "references")) != NULL)
		mime_msgids(f->value, f->vlen, add_id, &ids);
	s->references = ids.v;
	s->n_references = ids.n;
	if ((f = mime_headers_get(&h, "content-type")) != NULL) {
		mime_value_token(f->value, f->vlen, &type);
		s->has_attachment =
		    strcmp(buf_cstr(&type), "multipart/mixed") == 0 ||
		    (!str_has_prefix(buf_cstr(&type), "text/") &&
		        !str_has_prefix(buf_cstr(&type), "multipart/") &&
		        !str_has_prefix(buf_cstr(&type), "message/") &&
		        strchr(buf_cstr(&type), '/') != NULL);
	}
	if (off < len && str_has_prefix(buf_cstr(&type), "multipart/")) {
		struct mime_tree *t = mime_tree_parse(raw, len);

		s->has_attachment = any_attachment(t->root->child);
		mime_tree_free(&t);
	}
	buf_free(&type);
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
