/* tree: the MIME structure of a message (RFC 2045, 2046). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/xalloc.h"
#include "mime/mime_int.h"

static struct mime_part *parse_part(struct mime_tree *t, const char *s,
    size_t len, int depth, const char *deftype);

/* The first Content-Type with a "type/subtype" wins: later duplicates
 * are more often forged or broken than right. */
static const struct mime_field *
content_type(const struct mime_headers *h, struct buf *type)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		if (str_casecmp(h->v[i].name, "content-type") != 0)
			continue;
		buf_reset(type);
		mime_value_token(h->v[i].value, h->v[i].vlen, type);
		if (type->len > 2 && type->len < 128 &&
		    memchr(type->data, '/', type->len) != NULL &&
		    type->data[0] != '/' && type->data[type->len - 1] != '/')
			return &h->v[i];
	}
	buf_reset(type);
	return NULL;
}

/* If the line at s is "--boundary" or "--boundary--" (blanks may follow),
 * returns 1 or 2. */
static int
delimiter(const char *s, size_t n, const char *b, size_t blen)
{
	size_t i;
	int kind = 1;

	if (n < blen + 2 || s[0] != '-' || s[1] != '-' ||
	    memcmp(s + 2, b, blen) != 0)
		return 0;
	i = blen + 2;
	if (n - i >= 2 && s[i] == '-' && s[i + 1] == '-') {
		kind = 2;
		i += 2;
	}
	for (; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return kind;
}

static void
split(struct mime_tree *t, struct mime_part *p, const char *b, size_t blen)
{
	const char *s = p->body, *start = NULL;
	size_t len = p->body_len, pos = 0;
	struct mime_part **tail = &p->child;
	const char *deftype = strcmp(p->type, "multipart/digest") == 0
	    ? "message/rfc822"
	    : "text/plain";

	while (pos < len) {
		const char *nl = memchr(s + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (s + pos)) : len - pos;
		size_t next = nl ? pos + n + 1 : len;
		int kind = s[pos] == '-' ? delimiter(s + pos, n, b, blen) : 0;

		if (kind > 0) {
			if (start != NULL && t->nparts < MIME_MAX_PARTS) {
				/* the line break before a delimiter is its own
				 */
				size_t end = pos;

				if (end > (size_t)(start - s) &&
				    s[end - 1] == '\n')
					end--;
				if (end > (size_t)(start - s) &&
				    s[end - 1] == '\r')
					end--;
				*tail = parse_part(t, start,
				    end - (size_t)(start - s), p->depth + 1,
				    deftype);
				tail = &(*tail)->next;
			}
			start = kind == 1 ? s + next : NULL;
			if (kind == 2)
				break;
		}
		pos = next;
	}
	/* a missing closing delimiter: the last part runs to the end */
	if (start != NULL && t->nparts < MIME_MAX_PARTS)
		*tail = parse_part(
		    t, start, len - (size_t)(start - s), p->depth + 1, deftype);
}

static struct mime_part *
parse_part(struct mime_tree *t, const char *s, size_t len, int depth,
    const char *deftype)
{
	struct mime_part *p = xcalloc(1, sizeof(*p));
	const struct mime_field *ct, *f;
	struct buf v = BUF_INIT;
	size_t off;

	t->nparts++;
	p->depth = depth;
	off = mime_headers_parse(s, len, &p->hdr);
	p->body = s + off;
	p->body_len = len - off;
	ct = content_type(&p->hdr, &v);
	p->type = xstrdup(ct ? buf_cstr(&v) : deftype);
	buf_reset(&v);
	if (ct)
		mime_param_raw(ct->value, ct->vlen, "charset", &v);
	p->charset = buf_detach(&v, NULL);
	if (ct && mime_param_raw(ct->value, ct->vlen, "format", &v))
		p->flowed = str_casecmp(buf_cstr(&v), "flowed") == 0;
	buf_reset(&v);
	if (ct && mime_param_raw(ct->value, ct->vlen, "delsp", &v))
		p->delsp = str_casecmp(buf_cstr(&v), "yes") == 0;
	buf_reset(&v);
	if ((f = mime_headers_get(&p->hdr, "content-transfer-encoding"))) {
		mime_value_token(f->value, f->vlen, &v);
		if (strcmp(buf_cstr(&v), "base64") == 0)
			p->cte = MIME_CTE_BASE64;
		else if (strcmp(buf_cstr(&v), "quoted-printable") == 0)
			p->cte = MIME_CTE_QP;
		buf_reset(&v);
	}
	if ((f = mime_headers_get(&p->hdr, "content-disposition"))) {
		mime_value_token(f->value, f->vlen, &v);
		p->attachment = strcmp(buf_cstr(&v), "attachment") == 0;
		buf_reset(&v);
		mime_param(f->value, f->vlen, "filename", &v);
	}
	if (v.len == 0 && ct)
		mime_param(ct->value, ct->vlen, "name", &v);
	p->filename = buf_detach(&v, NULL);

	if (depth + 1 < MIME_MAX_DEPTH && ct &&
	    str_has_prefix(p->type, "multipart/") &&
	    mime_param_raw(ct->value, ct->vlen, "boundary", &v) && v.len > 0 &&
	    v.len <= 200)
		split(t, p, v.data, v.len);
	else if (depth + 1 < MIME_MAX_DEPTH && t->nparts < MIME_MAX_PARTS &&
	    (strcmp(p->type, "message/rfc822") == 0 ||
	        strcmp(p->type, "message/global") == 0)) {
		const char *b = p->body;
		size_t blen = p->body_len;

		if (p->cte != MIME_CTE_8BIT) {
			struct buf d = BUF_INIT;

			mime_cte_decode(p->cte, p->body, p->body_len, &d);
			p->owned = buf_detach(&d, &blen);
			b = p->owned;
		}
		p->child = parse_part(t, b, blen, depth + 1, "text/plain");
	}
	buf_free(&v);
	return p;
}

struct mime_tree *
mime_tree_parse(const char *s, size_t len)
{
	struct mime_tree *t = xcalloc(1, sizeof(*t));

	t->root = parse_part(t, s, len, 0, "text/plain");
	return t;
}

static void
free_part(struct mime_part *p)
{
	while (p != NULL) {
		struct mime_part *next = p->next;

		free_part(p->child);
		mime_headers_free(&p->hdr);
		free(p->type);
		free(p->charset);
		free(p->filename);
		free(p->owned);
		free(p);
		p = next;
	}
}

void
mime_tree_free(struct mime_tree **t)
{
	if (*t == NULL)
		return;
	free_part((*t)->root);
	free(*t);
	*t = NULL;
}

int
mime_part_is_attachment(const struct mime_part *p)
{
	if (str_has_prefix(p->type, "multipart/"))
		return 0;
	if (p->attachment)
		return 1;
	if (str_has_prefix(p->type, "text/") ||
	    str_has_prefix(p->type, "message/"))
		return 0;
	return 1;
}
