/* edit: the file the editor gets, headers on top (Mutt's edit_headers),
 * reading it back, and reading a stored draft back; the contract is in
 * mime/compose.h. */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/xalloc.h"
#include "mime/compose.h"
#include "mime/mime_int.h"

static void
addr_line(struct buf *out, const char *name, const struct mime_address *v,
    size_t n)
{
	struct mime_addrlist l = {(struct mime_address *)v, n, n};

	buf_printf(out, "%s: ", name);
	mime_addrlist_format(&l, out);
	buf_addch(out, '\n');
}

void
mime_edit_headers_write(const struct mime_compose *m, struct buf *out)
{
	size_t i;

	addr_line(out, "From", &m->from, m->from.addr && *m->from.addr ? 1 : 0);
	addr_line(out, "To", m->to.v, m->to.n);
	addr_line(out, "Cc", m->cc.v, m->cc.n);
	addr_line(out, "Bcc", m->bcc.v, m->bcc.n);
	buf_printf(out, "Subject: %s\n", m->subject ? m->subject : "");
	if (m->reply_to.n > 0)
		addr_line(out, "Reply-To", m->reply_to.v, m->reply_to.n);
	if (m->followup_to.n > 0)
		addr_line(out, "Mail-Followup-To", m->followup_to.v,
		    m->followup_to.n);
	for (i = 0; i < m->nextra; i++)
		buf_printf(out, "%s: %s\n", m->extra[i].name, m->extra[i].value);
	buf_addch(out, '\n');
	if (m->body)
		buf_addstr(out, m->body);
}

static int
name_ok(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f ||
		    s[i] == ':')
			return 0;
	return n > 0 && n <= 76;
}

static void
id_cb(const char *id, size_t len, void *arg)
{
	struct mime_compose *t = arg;
	char *s = xstrndup(id, len);

	mime_compose_add_reference(t, s);
	free(s);
}

static void
first_id_cb(const char *id, size_t len, void *arg)
{
	char **r = arg;

	if (*r == NULL)
		*r = xstrndup(id, len);
}

/* One unfolded field into t.  line is its first line number. */
static int
field(struct mime_compose *t, const char *name, const char *value,
    size_t line, int *have_from, struct error *err)
{
	static const char *const ignored[] = {
	    "date", "message-id", "mime-version", "user-agent", NULL};
	struct mime_addrlist *l = NULL;
	const char *fname = name;
	size_t i, vlen = strlen(value);

	for (i = 0; i < vlen; i++)
		if (((unsigned char)value[i] < 0x20 && value[i] != '\t') ||
		    value[i] == 0x7f)
			return error_set(err,
			    "%s: (line %zu) contains a control character; "
			    "remove it.", name, line);
	if (!mime_utf8_valid(value, vlen))
		return error_set(err, "%s: (line %zu) is not valid UTF-8.",
		    name, line);
	for (i = 0; ignored[i]; i++)
		if (str_casecmp(name, ignored[i]) == 0)
			return 0;
	if (str_has_casefix(name, "content-"))
		return 0;
	if (str_casecmp(name, "from") == 0) {
		struct mime_addrlist f = {0};

		if (mime_addrlist_parse(value, vlen, "From", &f, err) < 0)
			return -1;
		if (f.n > 1) {
			mime_addrlist_free(&f);
			return error_set(err,
			    "From: has %zu addresses; keep one.", f.n);
		}
		if (f.n == 1) {
			free(t->from.name);
			free(t->from.addr);
			t->from.name = xstrdup(f.v[0].name);
			t->from.addr = xstrdup(f.v[0].addr);
			*have_from = 1;
		}
		mime_addrlist_free(&f);
		return 0;
	}
	if (str_casecmp(name, "to") == 0)
		l = &t->to, fname = "To";
	else if (str_casecmp(name, "cc") == 0)
		l = &t->cc, fname = "Cc";
	else if (str_casecmp(name, "bcc") == 0)
		l = &t->bcc, fname = "Bcc";
	else if (str_casecmp(name, "reply-to") == 0)
		l = &t->reply_to, fname = "Reply-To";
	else if (str_casecmp(name, "mail-followup-to") == 0)
		l = &t->followup_to, fname = "Mail-Followup-To";
	if (l != NULL)
		return mime_addrlist_parse(value, vlen, fname, l, err);
	if (str_casecmp(name, "subject") == 0) {
		free(t->subject);
		t->subject = xstrdup(value);
	} else if (str_casecmp(name, "in-reply-to") == 0) {
		free(t->in_reply_to);
		t->in_reply_to = NULL;
		mime_msgids(value, vlen, first_id_cb, &t->in_reply_to);
	} else if (str_casecmp(name, "references") == 0)
		mime_msgids(value, vlen, id_cb, t);
	else
		mime_compose_add_header(t, name, value);
	return 0;
}

static void
swap_list(struct mime_addrlist *a, struct mime_addrlist *b)
{
	struct mime_addrlist x = *a;

	*a = *b;
	*b = x;
}

int
mime_edit_headers_parse(const char *text, size_t len, struct mime_compose *m,
    struct error *err)
{
	struct mime_compose t;
	struct buf name = BUF_INIT, value = BUF_INIT, body = BUF_INIT;
	size_t pos = 0, line = 0, fline = 0, i;
	int rc = -1, have_from = 0, have_refs = 0, have_irt = 0;

	mime_compose_init(&t);
	while (pos < len) {
		const char *l = text + pos, *nl = memchr(l, '\n', len - pos), *c;
		size_t n = nl ? (size_t)(nl - l) : len - pos;

		pos += nl ? n + 1 : n;
		line++;
		if (n > 0 && l[n - 1] == '\r')
			n--;
		if (n > 0 && (l[0] == ' ' || l[0] == '\t') && name.len > 0) {
			buf_add(&value, l, n); /* unfolding keeps the blank */
			continue;
		}
		if (name.len > 0) {
			char *v = str_trim(value.data ? value.data : (char *)"");

			if (str_casecmp(name.data, "references") == 0)
				have_refs = 1;
			if (str_casecmp(name.data, "in-reply-to") == 0)
				have_irt = 1;
			if (field(&t, name.data, v, fline, &have_from, err) < 0)
				goto out;
			buf_reset(&name);
			buf_reset(&value);
		}
		if (n == 0)
			break;
		c = memchr(l, ':', n);
		if (c == NULL || !name_ok(l, (size_t)(c - l))) {
			error_set(err,
			    "Line %zu of the header is not \"Name: value\"; "
			    "keep an empty line between the header and the "
			    "text.", line);
			goto out;
		}
		buf_add(&name, l, (size_t)(c - l));
		buf_add(&value, c + 1, n - (size_t)(c + 1 - l));
		fline = line;
	}
	if (name.len > 0) { /* a header without body */
		char *v = str_trim(value.data ? value.data : (char *)"");

		if (str_casecmp(name.data, "references") == 0)
			have_refs = 1;
		if (str_casecmp(name.data, "in-reply-to") == 0)
			have_irt = 1;
		if (field(&t, name.data, v, fline, &have_from, err) < 0)
			goto out;
	}
	/* the body: CRLF read as LF */
	for (i = pos; i < len; i++)
		if (!(text[i] == '\r' && i + 1 < len && text[i + 1] == '\n'))
			buf_addch(&body, text[i]);
	if (!mime_utf8_valid(buf_cstr(&body), body.len)) {
		size_t k, ln = line + 1;
		const unsigned char *u = (const unsigned char *)buf_cstr(&body);
		unsigned cp;

		for (k = 0; k < body.len;) {
			size_t cl = u[k] < 0x80 ? 1
			                        : str_utf8_decode(u + k,
			                              body.len - k, &cp);

			if (cl == 0 || u[k] == 0)
				break;
			if (u[k] == '\n')
				ln++;
			k += cl;
		}
		error_set(err,
		    "The text is not valid UTF-8 (line %zu); save the file as "
		    "UTF-8.", ln);
		goto out;
	}
	/* success: the file's fields replace m's */
	if (have_from) {
		free(m->from.name);
		free(m->from.addr);
		m->from = t.from;
		t.from.name = t.from.addr = NULL;
	}
	swap_list(&m->to, &t.to);
	swap_list(&m->cc, &t.cc);
	swap_list(&m->bcc, &t.bcc);
	swap_list(&m->reply_to, &t.reply_to);
	swap_list(&m->followup_to, &t.followup_to);
	free(m->subject);
	m->subject = t.subject;
	t.subject = NULL;
	if (have_irt) {
		free(m->in_reply_to);
		m->in_reply_to = t.in_reply_to;
		t.in_reply_to = NULL;
	}
	if (have_refs) {
		char **r = m->references;
		size_t nr = m->nreferences;

		m->references = t.references;
		m->nreferences = t.nreferences;
		t.references = r;
		t.nreferences = nr;
	}
	{
		struct mime_header_field *e = m->extra;
		size_t ne = m->nextra;

		m->extra = t.extra;
		m->nextra = t.nextra;
		t.extra = e;
		t.nextra = ne;
	}
	free(m->body);
	m->body = buf_detach(&body, NULL);
	rc = 0;
out:
	mime_compose_free(&t);
	buf_free(&name);
	buf_free(&value);
	buf_free(&body);
	return rc;
}

/* ------------------------------------------------------------------ */
/* A stored draft back into a description. */

static void
draft_text(const struct mime_part *p, struct mime_compose *m)
{
	struct buf d = BUF_INIT, u = BUF_INIT, t = BUF_INIT, r = BUF_INIT;
	size_t i;

	mime_cte_decode(p->cte, p->body, p->body_len, &d);
	mime_text_to_utf8(p->charset, NULL, buf_cstr(&d), d.len, &u);
	if (p->flowed) {
		mime_flowed_decode(buf_cstr(&u), u.len, p->delsp, &t);
		m->flowed = 1;
	} else
		buf_add(&t, buf_cstr(&u), u.len);
	for (i = 0; i < t.len; i++)
		if (!(t.data[i] == '\r' && i + 1 < t.len && t.data[i + 1] == '\n'))
			buf_addch(&r, t.data[i]);
	free(m->body);
	m->body = buf_detach(&r, NULL);
	buf_free(&d);
	buf_free(&u);
	buf_free(&t);
}

/* Leaves in order: the first text/plain that is no attachment is the
 * text; the other parts of a multipart/alternative are dropped (another
 * client's HTML twin); every other leaf is an attachment. */
static void
draft_walk(const struct mime_part *p, int in_alt, int *have_text,
    struct mime_compose *m)
{
	const struct mime_part *c;
	struct buf d = BUF_INIT;

	if (str_has_prefix(p->type, "multipart/")) {
		int alt = strcmp(p->type, "multipart/alternative") == 0;

		for (c = p->child; c != NULL; c = c->next)
			draft_walk(c, alt, have_text, m);
		return;
	}
	if (!*have_text && strcmp(p->type, "text/plain") == 0 &&
	    !p->attachment) {
		draft_text(p, m);
		*have_text = 1;
		return;
	}
	if (in_alt)
		return;
	mime_cte_decode(p->cte, p->body, p->body_len, &d);
	if (strcmp(p->type, "message/rfc822") == 0)
		mime_compose_attach_message(m, buf_cstr(&d), d.len);
	else {
		struct buf n = BUF_INIT;

		/* a name from a message is cleaned: the writer refuses
		 * control characters */
		mime_clean(&n, p->filename, strlen(p->filename), 0);
		mime_compose_attach_data(m, buf_cstr(&d), d.len,
		    n.len ? n.data : NULL, p->type);
		buf_free(&n);
	}
	buf_free(&d);
}

int
mime_compose_from_message(const char *raw, size_t len,
    struct mime_compose *m, struct error *err)
{
	static const struct {
		const char *name;
		size_t off;
	} lists[] = {
	    {"To", offsetof(struct mime_compose, to)},
	    {"Cc", offsetof(struct mime_compose, cc)},
	    {"Bcc", offsetof(struct mime_compose, bcc)},
	    {"Reply-To", offsetof(struct mime_compose, reply_to)},
	    {"Mail-Followup-To", offsetof(struct mime_compose, followup_to)},
	};
	struct mime_compose t;
	struct mime_tree *tree;
	const struct mime_headers *h;
	const struct mime_field *f;
	struct buf b = BUF_INIT;
	size_t i;
	int have_text = 0;

	if (raw == NULL)
		return error_set(err, "There is no draft to resume.");
	mime_compose_init(&t);
	tree = mime_tree_parse(raw, len);
	h = &tree->root->hdr;
	if ((f = mime_headers_get(h, "From")) != NULL) {
		struct mime_addrlist l = {0};

		mime_addrlist_from_header(f->value, f->vlen, &l);
		if (l.n > 0) {
			mime_compose_set(&t.from.name, l.v[0].name);
			mime_compose_set(&t.from.addr, l.v[0].addr);
		}
		mime_addrlist_free(&l);
	}
	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		if ((f = mime_headers_get(h, lists[i].name)) != NULL)
			mime_addrlist_from_header(f->value, f->vlen,
			    (struct mime_addrlist *)((char *)&t + lists[i].off));
	if ((f = mime_headers_get(h, "Subject")) != NULL) {
		mime_header_decode(f->value, f->vlen, NULL, &b);
		t.subject = buf_detach(&b, NULL);
	}
	if ((f = mime_headers_get(h, "In-Reply-To")) != NULL)
		mime_msgids(f->value, f->vlen, first_id_cb, &t.in_reply_to);
	if ((f = mime_headers_get(h, "References")) != NULL)
		mime_msgids(f->value, f->vlen, id_cb, &t);
	for (i = 0; i < h->n; i++)
		if (str_has_casefix(h->v[i].name, "X-") &&
		    name_ok(h->v[i].name, h->v[i].nlen)) {
			buf_reset(&b);
			mime_header_decode(h->v[i].value, h->v[i].vlen, NULL, &b);
			mime_compose_add_header(&t, h->v[i].name, buf_cstr(&b));
		}
	draft_walk(tree->root, 0, &have_text, &t);
	mime_tree_free(&tree);
	buf_free(&b);
	if (!t.from.addr[0] && m->from.addr) { /* keep the identity */
		mime_compose_set(&t.from.name, m->from.name);
		mime_compose_set(&t.from.addr, m->from.addr);
	}
	mime_compose_free(m);
	*m = t;
	return 0;
}
