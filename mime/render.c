/* render: a message as the pager shows it (lines with kinds). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/xalloc.h"
#include "mime/mime_int.h"

struct mime_view_priv {
	char *raw;
	struct mime_tree *tree;
	struct buf arena;         /* every string of the view */
	struct mime_part **parts; /* of each attachment */
};

struct rb {
	struct mime_view *v;
	struct mime_view_priv *p;
	size_t *offs;  /* arena offset of each line's text */
	size_t *aoffs; /* arena offsets of attachment name, type */
	size_t lcap, acap;
	const char *assumed;
	enum mime_prefer prefer;
	int width;
	int shown;     /* text parts shown so far */
	int truncated; /* MIME_MAX_LINES reached */
	int final;     /* the attachment list: not capped */
	int all_headers;
};

static void
add_line(struct rb *r, enum mime_line_kind kind, int level, int att,
    const char *s, size_t len)
{
	struct mime_view *v = r->v;
	struct mime_line *l;

	/* 20 MB of empty lines must not become 20 million lines */
	if (v->nlines >= MIME_MAX_LINES && !r->final &&
	    kind != MIME_LINE_HEADER && kind != MIME_LINE_NOTE) {
		r->truncated = 1;
		return;
	}
	if (v->nlines == r->lcap) {
		r->lcap = r->lcap ? r->lcap * 2 : 64;
		v->lines = xreallocarray(v->lines, r->lcap, sizeof(*v->lines));
		r->offs = xreallocarray(r->offs, r->lcap, sizeof(*r->offs));
	}
	l = &v->lines[v->nlines];
	r->offs[v->nlines++] = r->p->arena.len;
	l->kind = kind;
	l->level = level;
	l->attachment = att;
	l->text = NULL;
	l->len = len;
	buf_add(&r->p->arena, s, len);
	buf_addch(&r->p->arena, '\0');
}

static void
field_line(struct rb *r, const struct mime_field *f, const char *name)
{
	struct buf b = BUF_INIT;

	/* A name from the message (all headers) is cleaned like a value. */
	str_clean_display(&b, name, strlen(name), 0);
	buf_addstr(&b, ": ");
	if (str_casecmp(name, "from") == 0 || str_casecmp(name, "to") == 0 ||
	    str_casecmp(name, "cc") == 0)
		mime_addr_display(f->value, f->vlen, r->assumed, &b, NULL);
	else
		mime_header_decode(f->value, f->vlen, r->assumed, &b);
	add_line(r, MIME_LINE_HEADER, 0, -1, b.data, b.len);
	buf_free(&b);
}

static void
header_block(struct rb *r, const struct mime_headers *h)
{
	static const char *const names[] = {
	    "Date", "From", "To", "Cc", "Subject", NULL};
	const struct mime_field *f;
	size_t i;

	if (r->all_headers) {
		for (i = 0; i < h->n; i++)
			field_line(r, &h->v[i], h->v[i].name);
		return;
	}
	for (i = 0; names[i]; i++)
		if ((f = mime_headers_get(h, names[i])) != NULL)
			field_line(r, f, names[i]);
}

void
mime_size_text(size_t n, char *s, size_t len)
{
	if (n < 1024)
		snprintf(s, len, "%zu B", n);
	else if (n < 1024 * 1024)
		snprintf(s, len, "%zu.%zu KB", n / 1024, n % 1024 * 10 / 1024);
	else
		snprintf(s, len, "%zu.%zu MB", n / (1024 * 1024),
		    n % (1024 * 1024) * 10 / (1024 * 1024));
}

static void
add_attachment(struct rb *r, struct mime_part *p, int inline_text)
{
	struct mime_view *v = r->v;
	struct mime_attachment *a;
	struct buf d = BUF_INIT;

	if (v->nattachments == r->acap) {
		r->acap = r->acap ? r->acap * 2 : 8;
		v->attachments = xreallocarray(
		    v->attachments, r->acap, sizeof(*v->attachments));
		r->aoffs = xreallocarray(r->aoffs, r->acap, 2 * sizeof(size_t));
		r->p->parts =
		    xreallocarray(r->p->parts, r->acap, sizeof(*r->p->parts));
	}
	a = &v->attachments[v->nattachments];
	r->p->parts[v->nattachments] = p;
	mime_cte_decode(p->cte, p->body, p->body_len, &d);
	a->size = d.len;
	a->inline_text = inline_text;
	a->name = a->type = NULL;
	r->aoffs[2 * v->nattachments] = r->p->arena.len;
	str_clean_display(&r->p->arena, p->filename, strlen(p->filename), 0);
	buf_addch(&r->p->arena, '\0');
	r->aoffs[2 * v->nattachments + 1] = r->p->arena.len;
	str_clean_display(&r->p->arena, p->type, strlen(p->type), 0);
	buf_addch(&r->p->arena, '\0');
	v->nattachments++;
	buf_free(&d);
}

/* Quote depth of a line: '>' characters, single blanks between them. */
static int
quote_depth(const char *s, size_t len, size_t *plen_r)
{
	size_t i = 0, end = 0;
	int d = 0;

	while (i < len && s[i] == '>') {
		d++;
		end = ++i;
		if (i < len && s[i] == ' ')
			i++;
	}
	*plen_r = d > 0 && end < len && s[end] == ' ' ? end + 1 : end;
	return d;
}

static void
expand_tabs(const char *s, size_t len, struct buf *out)
{
	size_t i, col = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '\t') {
			do
				buf_addch(out, ' ');
			while (++col % 8 != 0);
			continue;
		}
		buf_addch(out, s[i]);
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			col++;
	}
}

/* Adds clean text (LF-separated) as body or quote lines, wrapped. */
static void
add_text(struct rb *r, const char *s, size_t len, int wrap)
{
	struct buf line = BUF_INIT, w = BUF_INIT, pre = BUF_INIT;
	size_t pos = 0, end = len;

	while (end > 0 && s[end - 1] == '\n') /* trailing blank lines */
		end--;
	while (pos < end) {
		const char *nl = memchr(s + pos, '\n', end - pos);
		size_t n = nl ? (size_t)(nl - (s + pos)) : end - pos, plen, k;
		int d;

		buf_reset(&line);
		if (memchr(s + pos, '\t', n) != NULL)
			expand_tabs(s + pos, n, &line);
		else
			buf_add(&line, s + pos, n);
		pos += n + 1;
		/* trailing blanks go, but the signature marker "-- " stays */
		while (line.len > 0 && line.data[line.len - 1] == ' ' &&
		    !(line.len == 3 && memcmp(line.data, "-- ", 3) == 0))
			buf_truncate(&line, line.len - 1);
		d = quote_depth(buf_cstr(&line), line.len, &plen);
		if (!wrap || line.len <= (size_t)r->width || r->width <= 0) {
			add_line(r, d ? MIME_LINE_QUOTE : MIME_LINE_BODY, d, -1,
			    buf_cstr(&line), line.len);
			continue;
		}
		buf_reset(&pre);
		buf_add(&pre, line.data, plen);
		buf_reset(&w);
		mime_wrap(line.data + plen, line.len - plen, buf_cstr(&pre),
		    buf_cstr(&pre), r->width, &w);
		for (k = 0; k < w.len;) {
			const char *e = memchr(w.data + k, '\n', w.len - k);
			size_t m = e ? (size_t)(e - (w.data + k)) : w.len - k;

			add_line(r, d ? MIME_LINE_QUOTE : MIME_LINE_BODY, d, -1,
			    w.data + k, m);
			k += m + 1;
		}
	}
	buf_free(&line);
	buf_free(&w);
	buf_free(&pre);
}

static void
note(struct rb *r, const struct mime_part *p)
{
	struct buf b = BUF_INIT;

	buf_addstr(&b, "[-- ");
	str_clean_display(&b, p->type, strlen(p->type), 0);
	if (p->filename[0] != '\0') {
		buf_addstr(&b, ": ");
		str_clean_display(&b, p->filename, strlen(p->filename), 0);
	}
	buf_addstr(&b, " --]");
	if (r->v->nlines > 0 && r->v->lines[r->v->nlines - 1].len > 0)
		add_line(r, MIME_LINE_BODY, 0, -1, "", 0);
	add_line(r, MIME_LINE_NOTE, 0, -1, b.data, b.len);
	add_line(r, MIME_LINE_BODY, 0, -1, "", 0);
	buf_free(&b);
}

static void
render_text(struct rb *r, struct mime_part *p, int html)
{
	struct buf dec = BUF_INIT, u = BUF_INIT, t = BUF_INIT, c = BUF_INIT;
	struct buf links = BUF_INIT, cs = BUF_INIT;
	const char *charset = p->charset;

	if (r->shown++ > 0)
		note(r, p);
	mime_cte_decode(p->cte, p->body, p->body_len, &dec);
	if (html && charset[0] == '\0' &&
	    mime_html_meta_charset(buf_cstr(&dec), dec.len, &cs))
		charset = buf_cstr(&cs);
	mime_text_to_utf8(charset, r->assumed, buf_cstr(&dec), dec.len, &u);
	buf_free(&dec);
	if (html)
		mime_html_render(buf_cstr(&u), u.len, r->width, &t, &links);
	else if (p->flowed)
		mime_flowed_decode(buf_cstr(&u), u.len, p->delsp, &t);
	else {
		t = u;
		memset(&u, 0, sizeof(u));
	}
	buf_free(&u); /* big messages: keep at most two copies alive */
	mime_clean(&c, buf_cstr(&t), t.len, 1);
	buf_free(&t);
	add_text(r, buf_cstr(&c), c.len, !html);
	if (links.len > 0) {
		size_t k = 0;

		buf_reset(&c);
		str_clean_display(&c, links.data, links.len, 1);
		for (k = 0; k < c.len; k++) /* a TAB in a URL */
			if (c.data[k] == '\t')
				c.data[k] = ' ';
		k = 0;
		add_line(r, MIME_LINE_BODY, 0, -1, "", 0);
		while (k < c.len) {
			const char *e = memchr(c.data + k, '\n', c.len - k);
			size_t m = e ? (size_t)(e - (c.data + k)) : c.len - k;

			if (m > 0)
				add_line(
				    r, MIME_LINE_LINK, 0, -1, c.data + k, m);
			k += m + 1;
		}
	}
	buf_free(&u);
	buf_free(&t);
	buf_free(&c);
	buf_free(&links);
	buf_free(&cs);
}

static struct mime_part *
choose(struct rb *r, struct mime_part *first)
{
	const char *want =
	    r->prefer == MIME_PREFER_HTML ? "text/html" : "text/plain";
	const char *other =
	    r->prefer == MIME_PREFER_HTML ? "text/plain" : "text/html";
	struct mime_part *c, *best = NULL, *alt = NULL, *multi = NULL;

	for (c = first; c != NULL; c = c->next) {
		if (c->attachment)
			continue;
		if (strcmp(c->type, want) == 0)
			best = c;
		else if (strcmp(c->type, other) == 0)
			alt = c;
		else if (str_has_prefix(c->type, "multipart/") && c->child)
			multi = c;
	}
	if (best == NULL && multi != NULL) {
		/* multipart/related around the preferred type */
		struct mime_part *k;

		for (k = multi->child; k; k = k->next)
			if (strcmp(k->type, want) == 0)
				return multi;
	}
	return best ? best : alt ? alt : multi ? multi : first;
}

static void render_part(struct rb *r, struct mime_part *p);

static void
render_children(struct rb *r, struct mime_part *p)
{
	struct mime_part *c;

	if (strcmp(p->type, "multipart/alternative") == 0) {
		render_part(r, choose(r, p->child));
		return;
	}
	for (c = p->child; c != NULL; c = c->next) {
		if (strcmp(p->type, "multipart/related") == 0 &&
		    c != p->child) {
			if (!str_has_prefix(c->type, "multipart/"))
				add_attachment(r, c, 0);
			continue;
		}
		render_part(r, c);
	}
}

static void
render_message(struct rb *r, struct mime_part *p)
{
	struct mime_part *m = p->child;

	add_attachment(r, p, 1);
	note(r, p);
	r->shown = 0;
	header_block(r, &m->hdr);
	add_line(r, MIME_LINE_BODY, 0, -1, "", 0);
	render_part(r, m);
	r->shown = 1;
}

static void
render_part(struct rb *r, struct mime_part *p)
{
	if (str_has_prefix(p->type, "multipart/") && p->child != NULL)
		render_children(r, p);
	else if (p->child != NULL && !p->attachment) /* message/rfc822 */
		render_message(r, p);
	else if (mime_part_is_attachment(p) &&
	    !str_has_prefix(p->type, "multipart/"))
		add_attachment(r, p, 0);
	else {
		/* a named inline part (a patch, say) can be saved too */
		if (p->filename[0] != '\0' && p->depth > 0)
			add_attachment(r, p, 1);
		/* text, message or a multipart that never split */
		render_text(r, p, strcmp(p->type, "text/html") == 0);
	}
}

static void
attachment_list(struct rb *r)
{
	struct mime_view *v = r->v;
	struct buf b = BUF_INIT;
	const char *arena = r->p->arena.data;
	size_t i;
	char size[32];

	r->final = 1;
	if (r->truncated)
		add_line(r, MIME_LINE_NOTE, 0, -1,
		    "[-- more lines not shown --]",
		    strlen("[-- more lines not shown --]"));
	if (v->nattachments > 0 && v->nlines > 0 &&
	    v->lines[v->nlines - 1].len > 0)
		add_line(r, MIME_LINE_BODY, 0, -1, "", 0);
	for (i = 0; i < v->nattachments; i++) {
		const char *name = r->p->arena.data + r->aoffs[2 * i];

		arena = r->p->arena.data;
		mime_size_text(v->attachments[i].size, size, sizeof(size));
		buf_reset(&b);
		buf_printf(&b, "[%zu] %s%s(%s, %s)", i + 1, name,
		    *name ? " " : "", arena + r->aoffs[2 * i + 1], size);
		add_line(r, MIME_LINE_ATTACHMENT, 0, (int)i, b.data, b.len);
	}
	buf_free(&b);
}

int
mime_render(const char *raw, size_t len, const struct mime_render_opts *o,
    struct mime_view **view_r, struct error *err)
{
	return mime_render_headers(raw, len, o, 0, view_r, err);
}

int
mime_render_headers(const char *raw, size_t len,
    const struct mime_render_opts *o, int all_headers,
    struct mime_view **view_r, struct error *err)
{
	struct rb r;
	struct mime_view *v;
	size_t i;

	*view_r = NULL;
	if (raw == NULL)
		return error_set(err, "no message to render");
	memset(&r, 0, sizeof(r));
	v = xcalloc(1, sizeof(*v));
	v->priv = r.p = xcalloc(1, sizeof(*r.p));
	r.v = v;
	r.width = o ? o->width : 80;
	r.prefer = o ? o->prefer : MIME_PREFER_PLAIN;
	r.assumed = o ? o->assumed_charset : NULL;
	r.all_headers = all_headers;
	r.p->raw = xmemdup(raw, len);
	r.p->tree = mime_tree_parse(r.p->raw, len);
	header_block(&r, &r.p->tree->root->hdr);
	if (v->nlines > 0)
		add_line(&r, MIME_LINE_BODY, 0, -1, "", 0);
	render_part(&r, r.p->tree->root);
	attachment_list(&r);
	for (i = 0; i < v->nlines; i++)
		v->lines[i].text = r.p->arena.data + r.offs[i];
	for (i = 0; i < v->nattachments; i++) {
		v->attachments[i].name = r.p->arena.data + r.aoffs[2 * i];
		v->attachments[i].type = r.p->arena.data + r.aoffs[2 * i + 1];
	}
	free(r.offs);
	free(r.aoffs);
	*view_r = v;
	return 0;
}

void
mime_view_free(struct mime_view **vp)
{
	struct mime_view *v = *vp;

	if (v == NULL)
		return;
	mime_tree_free(&v->priv->tree);
	free(v->priv->raw);
	free(v->priv->parts);
	buf_free(&v->priv->arena);
	free(v->priv);
	free(v->lines);
	free(v->attachments);
	free(v);
	*vp = NULL;
}

void
mime_view_text(const struct mime_view *v, struct buf *out)
{
	size_t i;

	for (i = 0; i < v->nlines; i++) {
		buf_add(out, v->lines[i].text, v->lines[i].len);
		buf_addch(out, '\n');
	}
}

int
mime_attachment_data(
    const struct mime_view *v, size_t index, struct buf *out, struct error *err)
{
	const struct mime_part *p;

	if (index >= v->nattachments)
		return error_set(err, "no attachment %zu", index + 1);
	p = v->priv->parts[index];
	mime_cte_decode(p->cte, p->body, p->body_len, out);
	return 0;
}

int
mime_attachment_param(const struct mime_view *v, size_t index,
    const char *name, struct buf *out)
{
	const struct mime_field *ct;

	if (index >= v->nattachments)
		return 0;
	ct = mime_headers_get(&v->priv->parts[index]->hdr, "Content-Type");
	return ct ? mime_param(ct->value, ct->vlen, name, out) : 0;
}
