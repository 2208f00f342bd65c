/*
 * Fuzz target: the message writer.  The input is split at NUL bytes into
 * fields (subject, From name and address, To name and address, a custom
 * header's name and value, body, attachment name, In-Reply-To, a mailto:
 * link, an editor file).  A message built from them must either be
 * refused, or be written so that postie's reader sees exactly the header
 * fields the writer meant (no injected field, Bcc never on the wire),
 * every line CRLF-ended and at most 998 octets, and the subject as given.
 * A field with a control character (TAB aside) must be refused.  The
 * mailto: and editor parsers must never let a control character into a
 * header field.
 */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/xalloc.h"
#include "mime/compose.h"
#include "mime/mime.h"
#include "mime/mime_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { F_SUBJ, F_FNAME, F_FADDR, F_TNAME, F_TADDR, F_XNAME, F_XVAL, F_BODY,
	F_ANAME, F_IRT, F_MAILTO, F_EDIT, F_N };

static int
has_control(const char *s)
{
	for (; *s; s++)
		if (((unsigned char)*s < 0x20 && *s != '\t') || *s == 0x7f)
			return 1;
	return 0;
}

static void
check_lines(const struct buf *b)
{
	size_t pos = 0;

	while (pos < b->len) {
		const char *nl = memchr(b->data + pos, '\n', b->len - pos);
		size_t n;

		if (nl == NULL)
			abort();
		n = (size_t)(nl - (b->data + pos));
		if (n == 0 || b->data[pos + n - 1] != '\r' || n - 1 > 998 ||
		    memchr(b->data + pos, '\r', n - 1) != NULL)
			abort();
		pos += n + 1;
	}
}

/* The fields the writer writes, each at most once. */
static void
check_fields(const struct buf *b, const struct mime_compose *m, int copy)
{
	static const char *const ok[] = {"Date", "From", "To", "Cc", "Bcc",
	    "Reply-To", "Mail-Followup-To", "Subject", "Message-ID",
	    "In-Reply-To", "References", "User-Agent", "MIME-Version",
	    "Content-Type", "Content-Transfer-Encoding", NULL};
	struct mime_headers h;
	size_t i, j, k;

	mime_headers_parse(b->data, b->len, &h);
	for (i = 0; i < h.n; i++) {
		int known = 0, extra = 0;

		for (k = 0; ok[k]; k++)
			known |= strcmp(h.v[i].name, ok[k]) == 0;
		for (k = 0; k < m->nextra; k++)
			extra |= strcmp(h.v[i].name, m->extra[k].name) == 0;
		if (!(known || extra) ||
		    (!copy && strcmp(h.v[i].name, "Bcc") == 0))
			abort();
		for (j = 0; j < i && !extra; j++)
			if (str_casecmp(h.v[i].name, h.v[j].name) == 0)
				abort();
	}
	/* Date, From, Message-ID, MIME-Version, Content-Type (+ CTE when
	 * single-part), then each optional field */
	if (h.n != 5 + (m->nattach == 0) +
	        (m->subject && m->subject[strspn(m->subject, " \t")]) +
	        (m->to.n > 0) + (m->cc.n > 0) + (m->reply_to.n > 0) +
	        (m->followup_to.n > 0) + (m->in_reply_to != NULL) +
	        (m->nreferences > 0) + m->nextra + (copy && m->bcc.n > 0))
		abort();
	mime_headers_free(&h);
}

static void
check_subject(const struct buf *b, const char *subject)
{
	struct mime_summary *s = NULL;
	struct buf want = BUF_INIT;
	size_t st = 0, en = strlen(subject);

	while (subject[st] == ' ' || subject[st] == '\t')
		st++;
	while (en > st && (subject[en - 1] == ' ' || subject[en - 1] == '\t'))
		en--;
	if (st == en) /* a blank subject is not written */
		return;
	mime_clean(&want, subject + st, en - st, 0);
	if (mime_summary_parse(b->data, b->len, &s, NULL) < 0 ||
	    strcmp(s->subject, buf_cstr(&want)) != 0)
		abort();
	mime_summary_free(&s);
	buf_free(&want);
}

static void
build(char **f)
{
	struct mime_compose m;
	struct buf out = BUF_INIT;
	struct mime_write_opts o = {MIME_WRITE_WIRE, 0, 0, NULL};
	struct error e;
	int k, refused_header = 0, bcc_in_input = 0;

	mime_compose_init(&m);
	mime_compose_set(&m.subject, f[F_SUBJ]);
	mime_compose_set(&m.from.name, f[F_FNAME]);
	mime_compose_set(&m.from.addr, f[F_FADDR]);
	mime_addrlist_add(&m.to, f[F_TNAME], f[F_TADDR]);
	mime_addrlist_add(&m.bcc, "", "hidden@example.org");
	if (*f[F_XNAME])
		mime_compose_add_header(&m, f[F_XNAME], f[F_XVAL]);
	mime_compose_set(&m.body, f[F_BODY]);
	if (*f[F_ANAME])
		mime_compose_attach_data(&m, f[F_BODY], strlen(f[F_BODY]),
		    f[F_ANAME], NULL);
	if (*f[F_IRT])
		mime_compose_set(&m.in_reply_to, f[F_IRT]);
	m.flowed = f[F_BODY][0] & 1;
	for (k = F_SUBJ; k <= F_IRT; k++)
		bcc_in_input |= strstr(f[k], "hidden@example.org") != NULL;
	for (k = F_SUBJ; k <= F_IRT; k++)
		if (k != F_BODY && !(k == F_XVAL && !*f[F_XNAME]) &&
		    has_control(f[k]))
			refused_header = 1;
	for (k = 0; k < 2; k++) {
		o.mode = k ? MIME_WRITE_COPY : MIME_WRITE_WIRE;
		o.eightbit = o.smtputf8 = f[F_SUBJ][0] & 1;
		buf_reset(&out);
		if (mime_compose_write(&m, &o, &out, &e) < 0)
			continue;
		if (refused_header)
			abort();
		check_lines(&out);
		check_fields(&out, &m, k);
		check_subject(&out, f[F_SUBJ]);
		/* the Bcc address is nowhere on the wire (unless the input
		 * itself wrote it somewhere) */
		if (!k && !bcc_in_input &&
		    strstr(out.data, "hidden@example.org") != NULL)
			abort();
	}
	mime_compose_free(&m);
	buf_free(&out);
}

static void
parsers(char **f)
{
	struct mime_compose m;
	struct error e;
	struct buf out = BUF_INIT;
	size_t i;

	mime_compose_init(&m);
	if (mime_mailto_parse(f[F_MAILTO], &m, &e) == 0) {
		if (m.subject && has_control(m.subject))
			abort();
		for (i = 0; i < m.to.n; i++)
			if (has_control(m.to.v[i].name) ||
			    has_control(m.to.v[i].addr))
				abort();
	}
	mime_compose_free(&m);
	mime_compose_init(&m);
	mime_compose_set(&m.from.addr, "me@example.org");
	if (mime_edit_headers_parse(f[F_EDIT], strlen(f[F_EDIT]), &m, &e) ==
	    0) {
		if (m.subject && has_control(m.subject))
			abort();
		for (i = 0; i < m.nextra; i++)
			if (has_control(m.extra[i].value))
				abort();
		/* what the editor file gave is written or refused, never
		 * written with more fields than it had */
		if (mime_compose_write(&m, NULL, &out, &e) == 0) {
			check_lines(&out);
			check_fields(&out, &m, 0);
		}
	}
	mime_compose_free(&m);
	buf_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = xmalloc(size + 1), *f[F_N];
	size_t pos = 0;
	int k;

	memcpy(copy, data, size);
	copy[size] = '\0';
	for (k = 0; k < F_N; k++) {
		f[k] = pos <= size ? copy + pos : copy + size;
		pos += strlen(f[k]) + 1;
	}
	if (*f[F_FADDR] == '\0')
		f[F_FADDR] = (char *)"a@example.org";
	if (*f[F_TADDR] == '\0')
		f[F_TADDR] = (char *)"b@example.org";
	build(f);
	parsers(f);
	free(copy);
	return 0;
}
