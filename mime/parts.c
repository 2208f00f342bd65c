/* parts: the MIME parts one by one, for the pager's attachment list
 * (mime.h, "The MIME parts"). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/xalloc.h"
#include "mime/mime_int.h"

struct mime_parts_priv {
	char *raw;                /* the copy the tree points into */
	struct mime_tree *tree;
	const struct mime_part **part; /* parallel to v */
	char **strings;           /* the cleaned names and charsets */
	size_t nstrings;
	size_t cap;
};

static const char *
keep(struct mime_parts_priv *pp, const char *s)
{
	struct buf b = BUF_INIT;

	mime_clean(&b, s, strlen(s), 0);
	pp->strings = xreallocarray(pp->strings, pp->nstrings + 1,
	    sizeof(*pp->strings));
	pp->strings[pp->nstrings] = buf_detach(&b, NULL);
	if (pp->strings[pp->nstrings] == NULL)
		pp->strings[pp->nstrings] = xstrdup("");
	return pp->strings[pp->nstrings++];
}

static int
is_container(const struct mime_part *p)
{
	return p->child != NULL;
}

/* Depth first, iteratively: a hostile message nests MIME_MAX_DEPTH deep
 * at most, but a loop costs no stack at all. */
static void
walk(struct mime_parts *ps, const struct mime_part *root)
{
	struct mime_parts_priv *pp = ps->priv;
	const struct mime_part *stack[2 * MIME_MAX_DEPTH + 4];
	const struct mime_part *p;
	struct mime_partinfo *in;
	struct buf d = BUF_INIT;
	size_t sp = 0;

	stack[sp++] = root;
	while (sp > 0) {
		p = stack[--sp];
		if (p == NULL)
			continue;
		if (ps->n == pp->cap) {
			pp->cap = pp->cap ? pp->cap * 2 : 16;
			ps->v = xreallocarray(ps->v, pp->cap, sizeof(*ps->v));
			pp->part = xreallocarray(pp->part, pp->cap,
			    sizeof(*pp->part));
		}
		in = &ps->v[ps->n];
		pp->part[ps->n++] = p;
		in->depth = p->depth;
		in->type = p->type;
		in->charset = keep(pp, p->charset);
		in->name = keep(pp, p->filename);
		in->attachment = p->attachment;
		in->container = is_container(p);
		if (in->container) {
			in->size = p->body_len;
		} else {
			buf_reset(&d);
			mime_cte_decode(p->cte, p->body, p->body_len, &d);
			in->size = d.len;
		}
		/* next sibling below, first child on top: children first */
		if (sp < sizeof(stack) / sizeof(stack[0]))
			stack[sp++] = p->next;
		if (sp < sizeof(stack) / sizeof(stack[0]))
			stack[sp++] = p->child;
	}
	buf_free(&d);
}

int
mime_parts_parse(const char *raw, size_t len, struct mime_parts **parts_r,
    struct error *err)
{
	struct mime_parts *ps;

	*parts_r = NULL;
	if (raw == NULL)
		return error_set(err, "no message");
	ps = xcalloc(1, sizeof(*ps));
	ps->priv = xcalloc(1, sizeof(*ps->priv));
	ps->priv->raw = xmalloc(len + 1);
	memcpy(ps->priv->raw, raw, len);
	ps->priv->raw[len] = '\0';
	ps->priv->tree = mime_tree_parse(ps->priv->raw, len);
	walk(ps, ps->priv->tree->root);
	*parts_r = ps;
	return 0;
}

void
mime_parts_free(struct mime_parts **parts)
{
	struct mime_parts *ps = *parts;
	size_t i;

	if (ps == NULL)
		return;
	for (i = 0; i < ps->priv->nstrings; i++)
		free(ps->priv->strings[i]);
	free(ps->priv->strings);
	free(ps->priv->part);
	mime_tree_free(&ps->priv->tree);
	free(ps->priv->raw);
	free(ps->priv);
	free(ps->v);
	free(ps);
	*parts = NULL;
}

int
mime_part_data(const struct mime_parts *ps, size_t i, struct buf *out,
    struct error *err)
{
	const struct mime_part *p;

	if (i >= ps->n)
		return error_set(err, "no part %zu", i + 1);
	p = ps->priv->part[i];
	if (ps->v[i].container)
		buf_add(out, p->body, p->body_len);
	else
		mime_cte_decode(p->cte, p->body, p->body_len, out);
	return 0;
}

int
mime_part_message(const struct mime_parts *ps, size_t i, struct buf *out,
    struct error *err)
{
	const struct mime_part *p;
	size_t k;

	if (i >= ps->n)
		return error_set(err, "no part %zu", i + 1);
	p = ps->priv->part[i];
	if (p->child && !str_has_prefix(p->type, "multipart/")) {
		/* message/rfc822: the enclosed message, decoded */
		if (p->owned)
			buf_add(out, p->owned, strlen(p->owned));
		else
			buf_add(out, p->body, p->body_len);
		return 0;
	}
	/* Not its Content-Disposition: shown alone, an attachment is the
	 * text to read. */
	for (k = 0; k < p->hdr.n; k++)
		if (str_casecmp(p->hdr.v[k].name, "content-type") == 0 ||
		    str_casecmp(p->hdr.v[k].name,
		    "content-transfer-encoding") == 0) {
			buf_add(out, p->hdr.v[k].name, p->hdr.v[k].nlen);
			buf_addstr(out, ": ");
			buf_add(out, p->hdr.v[k].value, p->hdr.v[k].vlen);
			buf_addch(out, '\n');
		}
	/* A part without a Content-Type is text/plain, or a digest's
	 * message: say so, as the message alone would mean otherwise. */
	if (mime_headers_get(&p->hdr, "content-type") == NULL) {
		buf_addstr(out, "Content-Type: ");
		buf_addstr(out, p->type);
		buf_addch(out, '\n');
	}
	buf_addch(out, '\n');
	buf_add(out, p->body, p->body_len);
	return 0;
}

int
mime_part_param(const struct mime_parts *ps, size_t i, const char *name,
    struct buf *out)
{
	const struct mime_field *ct;

	if (i >= ps->n)
		return 0;
	ct = mime_headers_get(&ps->priv->part[i]->hdr, "Content-Type");
	return ct ? mime_param(ct->value, ct->vlen, name, out) : 0;
}
