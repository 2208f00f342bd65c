/* submit: a finished message made ready for submission (submit.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/str.h"
#include "core/xalloc.h"
#include "mime/mime.h"
#include "mime/submit.h"

#define LINE_MAX_OCTETS 998 /* RFC 5322 2.1.1, without the CRLF */

struct line {
	const char *p;
	size_t len; /* without the line end */
};

/* The next line of raw at *off (its CR LF or LF not included). */
static int
next_line(const char *raw, size_t len, size_t *off, struct line *l)
{
	const char *nl;

	if (*off >= len)
		return 0;
	l->p = raw + *off;
	nl = memchr(l->p, '\n', len - *off);
	l->len = nl ? (size_t)(nl - l->p) : len - *off;
	*off += l->len + (nl != NULL);
	if (l->len && l->p[l->len - 1] == '\r')
		l->len--;
	return 1;
}

/* A field line starts with a name of printable ASCII but ':', then ':'. */
static size_t
field_name_len(const struct line *l)
{
	size_t i;

	for (i = 0; i < l->len && l->p[i] != ':'; i++)
		if ((unsigned char)l->p[i] <= ' ' || (unsigned char)l->p[i] > '~')
			return 0;
	return i < l->len && i > 0 ? i : 0;
}

struct field {
	size_t first, nlines; /* index into the lines of the header */
	char *name;           /* as written */
	struct buf value;     /* unfolded */
};

static void
fields_free(struct field *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(f[i].name);
		buf_free(&f[i].value);
	}
	free(f);
}

static const struct field *
find(const struct field *f, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (str_casecmp(f[i].name, name) == 0)
			return &f[i];
	return NULL;
}

static char *
trimmed(const char *s)
{
	size_t a = 0, b = strlen(s);

	while (a < b && (s[a] == ' ' || s[a] == '\t'))
		a++;
	while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
		b--;
	return xstrndup(s + a, b - a);
}

static int
ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/* From the account's `from`: as the user wrote it when it is ASCII (the
 * parse accepted it), else the name as an encoded word. */
static void
add_from(struct buf *out, const char *as_written, const struct mime_address *a)
{
	struct buf name = BUF_INIT;
	struct error err;

	if (ascii(as_written) || a->name[0] == '\0' ||
	    mime_write_unstructured("From", a->name, &name, &err) < 0) {
		if (ascii(as_written))
			buf_printf(out, "From: %s\r\n", as_written);
		else
			buf_printf(out, "From: <%s>\r\n", a->addr);
		buf_free(&name);
		return;
	}
	while (name.len && (name.data[name.len - 1] == '\n' ||
	    name.data[name.len - 1] == '\r'))
		name.len--;
	buf_add(out, name.data, name.len);
	buf_printf(out, " <%s>\r\n", a->addr);
	buf_free(&name);
}

int
mime_submission_prepare(const char *raw, size_t len,
    const char *default_from, struct mime_submission *s, struct error *err)
{
	static const char *const rcpt_fields[] = { "To", "Cc", "Bcc" };
	struct line *hl = NULL, l;
	struct field *f = NULL;
	const struct field *fp;
	struct mime_addrlist from = { 0 };
	size_t nhl = 0, caphl = 0, nf = 0, off = 0, body_off, i, k, lineno = 0;
	char *id;

	memset(s, 0, sizeof(*s));
	if (memchr(raw, '\0', len) != NULL)
		return error_set(err, "the message holds a NUL byte, which mail "
		    "cannot carry");
	/* The header: field lines and their continuations, up to the empty
	 * line; a line that is neither starts the body (as sendmail -t). */
	for (;;) {
		size_t before = off, nlen;

		if (!next_line(raw, len, &off, &l))
			break;
		lineno++;
		if (l.len > LINE_MAX_OCTETS) {
			error_set(err, "line %zu of the message is longer than "
			    "%d octets", lineno, LINE_MAX_OCTETS);
			goto fail;
		}
		if (l.len == 0)
			break;
		if ((l.p[0] == ' ' || l.p[0] == '\t') && nf > 0) {
			f[nf - 1].nlines++;
			buf_add(&f[nf - 1].value, l.p, l.len);
		} else if ((nlen = field_name_len(&l)) > 0) {
			f = xreallocarray(f, nf + 1, sizeof(*f));
			memset(&f[nf], 0, sizeof(f[nf]));
			f[nf].first = nhl;
			f[nf].nlines = 1;
			f[nf].name = xstrndup(l.p, nlen);
			buf_add(&f[nf].value, l.p + nlen + 1, l.len - nlen - 1);
			nf++;
		} else {
			off = before; /* the body's first line */
			lineno--;
			break;
		}
		if (nhl == caphl) {
			caphl = caphl ? caphl * 2 : 32;
			hl = xreallocarray(hl, caphl, sizeof(*hl));
		}
		hl[nhl++] = l;
	}
	body_off = off;

	for (k = 0; k < 3; k++)
		for (i = 0; i < nf; i++) {
			if (str_casecmp(f[i].name, rcpt_fields[k]) != 0)
				continue;
			if (mime_addrlist_parse(buf_cstr(&f[i].value),
			    f[i].value.len, rcpt_fields[k], &s->rcpts, err) < 0)
				goto fail;
		}
	/* Each recipient once (an address's case does not make another). */
	{
		struct mime_addrlist once = { 0 };

		for (i = 0; i < s->rcpts.n; i++) {
			for (k = 0; k < once.n; k++)
				if (str_casecmp(once.v[k].addr,
				    s->rcpts.v[i].addr) == 0)
					break;
			if (k == once.n)
				mime_addrlist_add(&once, s->rcpts.v[i].name,
				    s->rcpts.v[i].addr);
		}
		mime_addrlist_free(&s->rcpts);
		s->rcpts = once;
	}
	if (s->rcpts.n == 0) {
		error_set(err, "the message names no recipient (To, Cc or Bcc)");
		goto fail;
	}

	if ((fp = find(f, nf, "From")) != NULL) {
		if (mime_addrlist_parse(buf_cstr(&fp->value), fp->value.len,
		    "From", &from, err) < 0)
			goto fail;
	} else if (default_from != NULL) {
		if (mime_addrlist_parse(default_from, strlen(default_from),
		    "from", &from, err) < 0)
			goto fail;
	}
	if (from.n == 0) {
		error_set(err, "the message has no From, and the account has "
		    "no from address");
		goto fail;
	}
	s->from = xstrdup(from.v[0].addr);

	if ((fp = find(f, nf, "Message-ID")) != NULL)
		s->message_id = trimmed(buf_cstr(&fp->value));
	else {
		struct buf b = BUF_INIT;

		id = mime_message_id_new(s->from);
		buf_printf(&b, "<%s>", id);
		free(id);
		s->message_id = buf_detach(&b, NULL);
	}
	if ((fp = find(f, nf, "Subject")) != NULL) {
		struct buf b = BUF_INIT;
		char *t = trimmed(buf_cstr(&fp->value));

		mime_header_decode(t, strlen(t), NULL, &b);
		free(t);
		s->subject = buf_detach(&b, NULL);
	} else
		s->subject = xstrdup("");

	/* The wire copy: what was missing first, then the header as written
	 * less every Bcc, then the body, all with CRLF. */
	if (find(f, nf, "From") == NULL)
		add_from(&s->msg, default_from, &from.v[0]);
	if (find(f, nf, "Date") == NULL) {
		buf_addstr(&s->msg, "Date: ");
		mime_write_date(time(NULL), &s->msg);
		buf_addstr(&s->msg, "\r\n");
	}
	if (find(f, nf, "Message-ID") == NULL)
		buf_printf(&s->msg, "Message-ID: %s\r\n", s->message_id);
	if (find(f, nf, "MIME-Version") == NULL)
		buf_addstr(&s->msg, "MIME-Version: 1.0\r\n");
	for (i = 0; i < nf; i++) {
		if (str_casecmp(f[i].name, "Bcc") == 0)
			continue;
		for (k = 0; k < f[i].nlines; k++) {
			buf_add(&s->msg, hl[f[i].first + k].p,
			    hl[f[i].first + k].len);
			buf_addstr(&s->msg, "\r\n");
		}
	}
	buf_addstr(&s->msg, "\r\n");
	off = body_off;
	while (next_line(raw, len, &off, &l)) {
		lineno++;
		if (l.len > LINE_MAX_OCTETS) {
			error_set(err, "line %zu of the message is longer than "
			    "%d octets", lineno, LINE_MAX_OCTETS);
			goto fail;
		}
		buf_add(&s->msg, l.p, l.len);
		buf_addstr(&s->msg, "\r\n");
	}
	for (i = 0; i < s->msg.len; i++)
		if ((unsigned char)s->msg.data[i] >= 0x80) {
			s->eightbit = 1;
			break;
		}
	mime_addrlist_free(&from);
	fields_free(f, nf);
	free(hl);
	return 0;
fail:
	mime_addrlist_free(&from);
	fields_free(f, nf);
	free(hl);
	mime_submission_free(s);
	return -1;
}

void
mime_submission_free(struct mime_submission *s)
{
	buf_free(&s->msg);
	mime_addrlist_free(&s->rcpts);
	free(s->from);
	free(s->message_id);
	free(s->subject);
	memset(s, 0, sizeof(*s));
}
