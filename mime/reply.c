/* reply: what reply, forward and mailto: put into a new message; the
 * contract is in mime/compose.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/str.h"
#include "core/xalloc.h"
#include "mime/compose.h"
#include "mime/mime_int.h"

static const char *
skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Length of a leading "Re:" (also "RE:", "re:", "Re[2]:", "Re(2):"),
 * or 0. */
static size_t
re_prefix(const char *s)
{
	size_t i = 2;

	if (!((s[0] == 'R' || s[0] == 'r') && (s[1] == 'e' || s[1] == 'E')))
		return 0;
	if (s[i] == '[' || s[i] == '(') {
		char close = s[i] == '[' ? ']' : ')';

		for (i++; s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (s[i] != close || i == 3)
			return 0;
		i++;
	}
	return s[i] == ':' ? i + 1 : 0;
}

static size_t
fwd_prefix(const char *s)
{
	if (str_has_casefix(s, "fwd:"))
		return 4;
	if (str_has_casefix(s, "fw:"))
		return 3;
	return 0;
}

static char *
prefixed(const char *prefix, const char *subject, size_t (*strip)(const char *))
{
	struct buf b = BUF_INIT;
	const char *s = skip_blanks(subject ? subject : "");
	size_t n;

	while ((n = strip(s)) > 0)
		s = skip_blanks(s + n);
	buf_addstr(&b, prefix);
	buf_addstr(&b, s);
	return buf_detach(&b, NULL);
}

char *
mime_reply_subject(const char *subject)
{
	return prefixed("Re: ", subject, re_prefix);
}

char *
mime_forward_subject(const char *subject)
{
	return prefixed("Fwd: ", subject, fwd_prefix);
}

/* ------------------------------------------------------------------ */

static int
id_ok(const char *id)
{
	size_t i;

	for (i = 0; id[i]; i++) {
		unsigned char c = (unsigned char)id[i];

		if (c <= ' ' || c >= 0x7f || c == '<' || c == '>' || c == '"' ||
		    c == '\\')
			return 0;
	}
	return i > 0 && i <= 900;
}

static void
set_str(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value);
}

static void
addrs_of(const struct mime_headers *h, const char *name,
    struct mime_addrlist *l)
{
	const struct mime_field *f = mime_headers_get(h, name);

	if (f != NULL)
		mime_addrlist_from_header(f->value, f->vlen, l);
}

/* The references of a reply: the original's (or its In-Reply-To), then
 * its Message-ID; the first and the last ones when there are too many
 * (RFC 5322 3.6.4 suggests keeping the first: the thread's root). */
static void
set_references(struct mime_compose *m, const struct mime_summary *s)
{
	char **v = NULL;
	size_t n = 0, i;

	for (i = 0; i < m->nreferences; i++)
		free(m->references[i]);
	free(m->references);
	m->references = NULL;
	m->nreferences = 0;
	v = xcalloc(s->n_references + 2, sizeof(*v));
	for (i = 0; i < s->n_references; i++)
		if (id_ok(s->references[i]))
			v[n++] = s->references[i];
	if (n == 0 && s->n_in_reply_to == 1 && id_ok(s->in_reply_to[0]))
		v[n++] = s->in_reply_to[0];
	if (id_ok(s->message_id) &&
	    (n == 0 || strcmp(v[n - 1], s->message_id) != 0))
		v[n++] = s->message_id;
	for (i = 0; i < n; i++)
		if (n <= MIME_REFERENCES_MAX || i == 0 ||
		    i >= n - (MIME_REFERENCES_MAX - 1))
			mime_compose_add_reference(m, v[i]);
	free(v);
	free(m->in_reply_to);
	m->in_reply_to = id_ok(s->message_id) ? xstrdup(s->message_id) : NULL;
}

/* The RFC 5322 date of t as it was in zone (minutes east). */
static void
date_in_zone(time_t t, int zone, struct buf *out)
{
	static const char *const days[] = {
	    "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t l = t + (time_t)zone * 60;
	struct tm tm;
	int a = zone < 0 ? -zone : zone;

	gmtime_r(&l, &tm);
	buf_printf(out, "%s, %d %s %d %02d:%02d:%02d %c%02d%02d",
	    days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    zone < 0 ? '-' : '+', a / 60, a % 60);
}

/* Appends the original's text lines (not its header block, notes or
 * attachment list), quoted when asked. */
static void
text_lines(const struct mime_view *v, int quote, struct buf *out)
{
	size_t i = 0;

	while (i < v->nlines && v->lines[i].kind == MIME_LINE_HEADER)
		i++;
	if (i > 0 && i < v->nlines && v->lines[i].len == 0)
		i++;
	for (; i < v->nlines; i++) {
		const struct mime_line *l = &v->lines[i];

		if (l->kind == MIME_LINE_NOTE ||
		    l->kind == MIME_LINE_ATTACHMENT)
			continue;
		if (quote)
			buf_addstr(out, l->len == 0 ? ">"
			        : l->text[0] == '>' ? ">"
			                            : "> ");
		buf_add(out, l->text, l->len);
		buf_addch(out, '\n');
	}
}

int
mime_reply_init(struct mime_compose *m, const char *raw, size_t len,
    enum mime_reply_kind kind, const struct mime_addrlist *me,
    struct error *err)
{
	static const struct mime_render_opts ro = {MIME_PREFER_PLAIN, NULL, 0};
	struct mime_headers h;
	struct mime_summary *s = NULL;
	struct mime_view *v = NULL;
	struct mime_addrlist from = {0}, to = {0}, cc = {0}, rt = {0},
	                     mft = {0}, nto = {0}, ncc = {0};
	struct buf b = BUF_INIT;
	const char *who;
	int rc = -1, from_me;

	if (raw == NULL)
		return error_set(err, "There is no message to reply to.");
	mime_headers_parse(raw, len, &h);
	if (mime_summary_parse(raw, len, &s, err) < 0 ||
	    mime_render(raw, len, &ro, &v, err) < 0)
		goto out;
	addrs_of(&h, "From", &from);
	addrs_of(&h, "To", &to);
	addrs_of(&h, "Cc", &cc);
	addrs_of(&h, "Reply-To", &rt);
	addrs_of(&h, "Mail-Followup-To", &mft);
	from_me = from.n > 0 && me != NULL &&
	    mime_addrlist_has(me, from.v[0].addr);

	if (kind == MIME_REPLY_LIST) {
		const struct mime_field *lp = mime_headers_get(&h, "List-Post");
		struct buf u = BUF_INIT;
		const char *p = lp ? memchr(lp->value, '<', lp->vlen) : NULL;
		const char *q = p ? memchr(p, '>', lp->vlen - (size_t)(p - lp->value)) : NULL;
		struct mime_compose tmp;

		if (p == NULL || q == NULL ||
		    !str_has_casefix(p + 1, "mailto:")) {
			error_set(err,
			    "This message has no List-Post mailto: address; "
			    "reply to the sender or to all instead.");
			goto out;
		}
		buf_add(&u, p + 1, (size_t)(q - p - 1));
		mime_compose_init(&tmp);
		if (mime_mailto_parse(buf_cstr(&u), &tmp, err) < 0 ||
		    tmp.to.n == 0) {
			if (!error_isset(err))
				error_set(err, "The List-Post address of this "
				               "message is empty.");
			mime_compose_free(&tmp);
			buf_free(&u);
			goto out;
		}
		mime_addrlist_merge(&nto, &tmp.to);
		mime_compose_free(&tmp);
		buf_free(&u);
	} else if (kind == MIME_REPLY_ALL && mft.n > 0) {
		mime_addrlist_merge(&nto, &mft);
	} else {
		/* to my own message: its recipients again, as Mutt does */
		if (from_me)
			mime_addrlist_merge(&nto, &to);
		else
			mime_addrlist_merge(&nto, rt.n > 0 ? &rt : &from);
		if (kind == MIME_REPLY_ALL) {
			if (!from_me)
				mime_addrlist_merge(&ncc, &to);
			mime_addrlist_merge(&ncc, &cc);
		}
	}
	if (kind == MIME_REPLY_ALL) {
		mime_addrlist_remove(&nto, me);
		mime_addrlist_remove(&ncc, me);
		mime_addrlist_remove(&ncc, &nto);
		if (nto.n == 0 && ncc.n > 0) { /* the first Cc moves up */
			mime_addrlist_add(&nto, ncc.v[0].name, ncc.v[0].addr);
			mime_addrlist_remove(&ncc, &nto);
		}
	}
	if (nto.n == 0) {
		error_set(err, "This message has no address to reply to.");
		goto out;
	}
	mime_addrlist_free(&m->to);
	mime_addrlist_free(&m->cc);
	m->to = nto;
	m->cc = ncc;
	memset(&nto, 0, sizeof(nto));
	memset(&ncc, 0, sizeof(ncc));

	free(m->subject);
	m->subject = mime_reply_subject(s->subject);
	set_references(m, s);

	who = from.n == 0 ? "someone"
	    : from.v[0].name[0] ? from.v[0].name
	                        : from.v[0].addr;
	if (s->date_valid) {
		buf_addstr(&b, "On ");
		date_in_zone(s->date, s->date_zone, &b);
		buf_printf(&b, ", %s wrote:\n", who);
	} else
		buf_printf(&b, "%s wrote:\n", who);
	text_lines(v, 1, &b);
	buf_addch(&b, '\n');
	free(m->body);
	m->body = buf_detach(&b, NULL);
	rc = 0;
out:
	mime_headers_free(&h);
	mime_summary_free(&s);
	mime_view_free(&v);
	mime_addrlist_free(&from);
	mime_addrlist_free(&to);
	mime_addrlist_free(&cc);
	mime_addrlist_free(&rt);
	mime_addrlist_free(&mft);
	mime_addrlist_free(&nto);
	mime_addrlist_free(&ncc);
	buf_free(&b);
	return rc;
}

int
mime_forward_init(struct mime_compose *m, const char *raw, size_t len,
    int as_attachment, struct error *err)
{
	static const struct mime_render_opts ro = {MIME_PREFER_PLAIN, NULL, 0};
	struct mime_summary *s = NULL;
	struct mime_view *v = NULL;
	struct buf b = BUF_INIT, d = BUF_INIT;
	size_t i;
	int rc = -1;

	if (raw == NULL)
		return error_set(err, "There is no message to forward.");
	if (mime_summary_parse(raw, len, &s, err) < 0)
		return -1;
	free(m->subject);
	m->subject = mime_forward_subject(s->subject);
	if (as_attachment) {
		mime_compose_attach_message(m, raw, len);
		rc = 0;
		goto out;
	}
	if (mime_render(raw, len, &ro, &v, err) < 0)
		goto out;
	buf_printf(&b, "----- Forwarded message from %s -----\n",
	    s->from[0] ? s->from : "an unknown sender");
	for (i = 0; i < v->nlines && v->lines[i].kind == MIME_LINE_HEADER;
	     i++) {
		buf_add(&b, v->lines[i].text, v->lines[i].len);
		buf_addch(&b, '\n');
	}
	buf_addch(&b, '\n');
	text_lines(v, 0, &b);
	buf_addstr(&b, "\n----- End forwarded message -----\n");
	free(m->body);
	m->body = buf_detach(&b, NULL);
	for (i = 0; i < v->nattachments; i++) {
		const struct mime_attachment *a = &v->attachments[i];

		if (a->inline_text)
			continue;
		buf_reset(&d);
		if (mime_attachment_data(v, i, &d, err) < 0)
			goto out;
		if (strcmp(a->type, "message/rfc822") == 0)
			mime_compose_attach_message(m, buf_cstr(&d), d.len);
		else
			mime_compose_attach_data(m, buf_cstr(&d), d.len,
			    a->name[0] ? a->name : NULL, a->type);
	}
	rc = 0;
out:
	mime_summary_free(&s);
	mime_view_free(&v);
	buf_free(&b);
	buf_free(&d);
	return rc;
}

/* ------------------------------------------------------------------ */
/* mailto: (RFC 6068). */

static int
pct_decode(const char *s, size_t len, struct buf *out, struct error *err)
{
	size_t i;
	int h1, h2;

	for (i = 0; i < len; i++) {
		if (s[i] != '%') {
			buf_addch(out, s[i]);
			continue;
		}
		if (i + 2 >= len ||
		    (h1 = str_hexval((unsigned char)s[i + 1])) < 0 ||
		    (h2 = str_hexval((unsigned char)s[i + 2])) < 0 ||
		    (h1 == 0 && h2 == 0))
			return error_set(err,
			    "The mailto: link has a broken %%-escape.");
		buf_addch(out, h1 * 16 + h2);
		i += 2;
	}
	if (!mime_utf8_valid(buf_cstr(out), out->len))
		return error_set(err, "The mailto: link is not UTF-8.");
	return 0;
}

static int
header_text(const char *field, const char *s, struct error *err)
{
	for (; *s; s++)
		if (((unsigned char)*s < 0x20 && *s != '\t') || *s == 0x7f)
			return error_set(err,
			    "The mailto: link's %s contains a line break or "
			    "control character; it was not used.", field);
	return 0;
}

int
mime_mailto_parse(const char *uri, struct mime_compose *m, struct error *err)
{
	struct mime_compose t;
	struct buf v = BUF_INIT, n = BUF_INIT;
	const char *q, *p;
	int rc = -1;

	if (uri == NULL || !str_has_casefix(uri, "mailto:"))
		return error_set(err, "\"%s\" is not a mailto: link.",
		    uri ? uri : "");
	mime_compose_init(&t);
	uri += 7;
	q = strchr(uri, '?');
	if (pct_decode(uri, q ? (size_t)(q - uri) : strlen(uri), &v, err) < 0 ||
	    mime_addrlist_parse(v.data ? v.data : "", v.len, "To", &t.to,
	        err) < 0)
		goto out;
	for (p = q ? q + 1 : NULL; p != NULL && *p != '\0';) {
		const char *amp = strchr(p, '&'), *eq;
		size_t flen = amp ? (size_t)(amp - p) : strlen(p);
		const char *name, *val;

		eq = memchr(p, '=', flen);
		buf_reset(&n);
		buf_reset(&v);
		if (eq == NULL) {
			p = amp ? amp + 1 : NULL;
			continue;
		}
		if (pct_decode(p, (size_t)(eq - p), &n, err) < 0 ||
		    pct_decode(eq + 1, flen - (size_t)(eq + 1 - p), &v, err) < 0)
			goto out;
		name = buf_cstr(&n);
		val = buf_cstr(&v);
		if (str_casecmp(name, "to") == 0 || str_casecmp(name, "cc") == 0 ||
		    str_casecmp(name, "bcc") == 0) {
			struct mime_addrlist *l = str_casecmp(name, "to") == 0
			    ? &t.to
			    : str_casecmp(name, "cc") == 0 ? &t.cc
			                                   : &t.bcc;
			const char *f = l == &t.to ? "To" : l == &t.cc ? "Cc"
			                                               : "Bcc";

			if (mime_addrlist_parse(val, v.len, f, l, err) < 0)
				goto out;
		} else if (str_casecmp(name, "subject") == 0) {
			if (header_text("subject", val, err) < 0)
				goto out;
			set_str(&t.subject, val);
		} else if (str_casecmp(name, "body") == 0) {
			struct buf body = BUF_INIT;
			size_t i;

			for (i = 0; i < v.len; i++)
				if (!(val[i] == '\r' && val[i + 1] == '\n'))
					buf_addch(&body, val[i]);
			free(t.body);
			t.body = buf_detach(&body, NULL);
		} else if (str_casecmp(name, "in-reply-to") == 0) {
			struct buf id = BUF_INIT;
			const char *s = val;

			if (header_text("in-reply-to", val, err) < 0)
				goto out;
			while (*s == ' ' || *s == '<')
				s++;
			buf_addstr(&id, s);
			while (id.len > 0 && (id.data[id.len - 1] == '>' ||
			                         id.data[id.len - 1] == ' '))
				buf_truncate(&id, id.len - 1);
			if (!id_ok(buf_cstr(&id))) {
				buf_free(&id);
				error_set(err, "The mailto: link's in-reply-to "
				               "is not a message id.");
				goto out;
			}
			free(t.in_reply_to);
			t.in_reply_to = buf_detach(&id, NULL);
		}
		/* other fields are ignored: a link must not set arbitrary
		 * headers (RFC 6068 7) */
		p = amp ? amp + 1 : NULL;
	}
	mime_addrlist_merge(&m->to, &t.to);
	mime_addrlist_merge(&m->cc, &t.cc);
	mime_addrlist_merge(&m->bcc, &t.bcc);
	if (t.subject) {
		free(m->subject);
		m->subject = t.subject;
		t.subject = NULL;
	}
	if (t.body) {
		free(m->body);
		m->body = t.body;
		t.body = NULL;
	}
	if (t.in_reply_to) {
		free(m->in_reply_to);
		m->in_reply_to = t.in_reply_to;
		t.in_reply_to = NULL;
	}
	rc = 0;
out:
	mime_compose_free(&t);
	buf_free(&v);
	buf_free(&n);
	return rc;
}
