/*
 * submit7: an 8-bit message made 7-bit for a submission server without
 * 8BITMIME (contract in submit.h, mime_submission_7bit).
 *
 * The message is walked as MIME entities on its raw bytes, so that
 * everything that needs no change (7-bit parts, boundaries, preambles,
 * the order and spelling of header fields) goes out byte for byte, and
 * the Sent copy (the original) and the wire copy differ only where they
 * must.  An entity with no 8-bit byte is copied whole.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/xalloc.h"
#include "mime/compose.h"
#include "mime/mime_int.h"
#include "mime/submit.h"

/* The end of the line at pos (after its LF, or len). */
static size_t
line_end(const char *s, size_t len, size_t pos)
{
	const char *nl = memchr(s + pos, '\n', len - pos);

	return nl ? (size_t)(nl - s) + 1 : len;
}

static int
blank_line(const char *s, size_t n)
{
	return n == 0 || (n == 1 && s[0] == '\n') ||
	    (n == 2 && s[0] == '\r' && s[1] == '\n');
}

/* "Name" of a raw field s[0..n) (up to ':'), 0 if it has none. */
static size_t
field_name(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && s[i] != ':'; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f)
			return 0;
	return i < n && i > 0 ? i : 0;
}

static int
name_is(const char *s, size_t n, const char *name)
{
	return strlen(name) == n && str_ncasecmp(s, name, n) == 0;
}

/* Unfolded value of the raw field s[0..n) after its name's colon. */
static char *
unfold(const char *s, size_t n)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != '\r' && s[i] != '\n')
			buf_addch(&b, s[i]);
	return buf_detach(&b, NULL);
}

static const char *const unstructured[] = {
	"Subject", "Comments", "Content-Description",
};
static const char *const addressed[] = {
	"From", "Sender", "To", "Cc", "Reply-To", "Mail-Followup-To",
	"Resent-From", "Resent-Sender", "Resent-To", "Resent-Cc",
};

/*
 * One header field with 8-bit bytes, written 7-bit where its kind allows:
 * an unstructured text (also X- fields, as the writer treats custom
 * headers) in encoded words, an address list with its display names in
 * encoded words.  Anything else (an 8-bit address, a file name
 * parameter, a Message-ID) has no 7-bit form without changing what it
 * says: -1.
 */
static int
field_7bit(const char *f, size_t n, struct buf *out, struct error *err)
{
	struct mime_addrlist l = { 0 };
	struct error e2;
	size_t nl = field_name(f, n), i;
	char *name, *value;
	int rc = -1, text = 0, addr = 0;

	if (nl == 0)
		return error_set(err, "a header line without a field name "
		    "has 8-bit characters");
	name = xstrndup(f, nl);
	value = unfold(f + nl + 1, n - nl - 1);
	for (i = 0; i < sizeof(unstructured) / sizeof(*unstructured); i++)
		text |= name_is(f, nl, unstructured[i]);
	text |= nl > 2 && str_ncasecmp(f, "X-", 2) == 0;
	for (i = 0; i < sizeof(addressed) / sizeof(*addressed); i++)
		addr |= name_is(f, nl, addressed[i]);
	error_clear(&e2);
	if (!mime_utf8_valid(value, strlen(value))) {
		error_set(err, "the %s header field has 8-bit characters that "
		    "are not UTF-8", name);
	} else if (text) {
		if (mime_write_unstructured(name, value, out, &e2) == 0)
			rc = 0;
		else
			error_set(err, "the %s header field: %s", name,
			    e2.msg);
	} else if (addr && mime_addrlist_parse(value, strlen(value), name,
	    &l, &e2) == 0) {
		for (i = 0; i < l.n && !mime_has_8bit(l.v[i].addr,
		    strlen(l.v[i].addr)); i++)
			;
		if (i < l.n)
			error_set(err, "the address %s in %s has non-ASCII "
			    "characters (it needs SMTPUTF8)", l.v[i].addr,
			    name);
		else if (l.n > 0) {
			mime_write_addresses(out, name, l.v, l.n);
			rc = 0;
		} else
			error_set(err, "the %s header field has 8-bit "
			    "characters and no address", name);
	} else if (addr) {
		error_set(err, "%s", e2.msg);
	} else {
		error_set(err, "the %s header field has 8-bit characters, "
		    "which only an 8-bit (SMTPUTF8) server takes as they "
		    "are", name);
	}
	mime_addrlist_free(&l);
	free(name);
	free(value);
	return rc;
}

enum cte_change { CTE_KEEP, CTE_7BIT, CTE_QP, CTE_BASE64 };

/*
 * The header s[0..hend) out: fields with 8-bit bytes made 7-bit, and,
 * unless change is CTE_KEEP, every Content-Transfer-Encoding replaced by
 * the new one.  Ends with the empty line.
 */
static int
header_out(const char *s, size_t hend, enum cte_change change,
    struct buf *out, struct error *err)
{
	static const char *const names[] = { "", "7bit",
		"quoted-printable", "base64" };
	size_t pos = 0, end, fend, nl;

	while (pos < hend) {
		end = line_end(s, hend, pos);
		if (blank_line(s + pos, end - pos))
			break;
		/* The field and its continuation lines. */
		for (fend = end; fend < hend && (s[fend] == ' ' ||
		    s[fend] == '\t'); fend = line_end(s, hend, fend))
			;
		nl = field_name(s + pos, fend - pos);
		if (change != CTE_KEEP && nl && name_is(s + pos, nl,
		    "Content-Transfer-Encoding")) {
			/* dropped: the new one follows */
		} else if (mime_has_8bit(s + pos, fend - pos)) {
			if (field_7bit(s + pos, fend - pos, out, err) < 0)
				return -1;
		} else {
			buf_add(out, s + pos, fend - pos);
			if (s[fend - 1] != '\n')
				buf_addstr(out, "\r\n");
		}
		pos = fend;
	}
	if (change != CTE_KEEP)
		buf_printf(out, "Content-Transfer-Encoding: %s\r\n",
		    names[change]);
	buf_addstr(out, "\r\n");
	return 0;
}

static int entity(const char *s, size_t len, const char *deftype, int depth,
    struct buf *out, struct error *err);

/* s[pos..) starts with "--boundary" (then blanks only): 1, 2 if it is the
 * closing "--boundary--", 0 if it is no delimiter. */
static int
delimiter(const char *s, size_t end, const char *b, size_t blen)
{
	size_t i = 2 + blen;
	int close = 0;

	if (end < i || s[0] != '-' || s[1] != '-' || memcmp(s + 2, b, blen))
		return 0;
	if (end >= i + 2 && s[i] == '-' && s[i + 1] == '-') {
		close = 1;
		i += 2;
	}
	for (; i < end; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1 + close;
}

/* Text outside the parts (preamble, epilogue) is never shown by a
 * reader; its 8-bit bytes become '?'. */
static void
outside(const char *s, size_t n, struct buf *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		buf_addch(out, (unsigned char)s[i] >= 0x80 ? '?' : s[i]);
}

static int
multipart(const char *body, size_t len, const char *boundary, int digest,
    int depth, struct buf *out, struct error *err)
{
	size_t blen = strlen(boundary), pos = 0, end, start = 0, stop;
	int in_part = 0, d;

	while (pos < len) {
		end = line_end(body, len, pos);
		d = delimiter(body + pos, end - pos, boundary, blen);
		if (d == 0) {
			pos = end;
			continue;
		}
		/* The line end before a delimiter belongs to it. */
		stop = pos;
		if (stop > start && body[stop - 1] == '\n')
			stop--;
		if (stop > start && body[stop - 1] == '\r')
			stop--;
		if (!in_part)
			outside(body, stop, out);
		else if (entity(body + start, stop - start, digest ?
		    "message/rfc822" : "text/plain", depth + 1, out, err) < 0)
			return -1;
		buf_add(out, body + stop, end - stop);
		start = pos = end;
		in_part = d == 1;
		if (d == 2) {
			outside(body + end, len - end, out);
			return 0;
		}
	}
	/* No closing delimiter: the last part runs to the end. */
	if (in_part)
		return entity(body + start, len - start, digest ?
		    "message/rfc822" : "text/plain", depth + 1, out, err);
	outside(body + start, len - start, out);
	return 0;
}

static int
entity(const char *s, size_t len, const char *deftype, int depth,
    struct buf *out, struct error *err)
{
	struct mime_headers h = { 0 };
	const struct mime_field *f;
	struct buf type = BUF_INIT, cte = BUF_INIT, bnd = BUF_INIT;
	struct buf raw = BUF_INIT;
	enum cte_change keep;
	size_t hend;
	int rc = -1;

	if (!mime_has_8bit(s, len)) {
		buf_add(out, s, len);
		return 0;
	}
	if (depth > MIME_MAX_DEPTH)
		return error_set(err, "its MIME parts are nested more than %d "
		    "deep", MIME_MAX_DEPTH);
	hend = mime_headers_parse(s, len, &h);
	if ((f = mime_headers_get(&h, "Content-Type")) != NULL)
		mime_value_token(f->value, f->vlen, &type);
	if (type.len == 0 || memchr(type.data, '/', type.len) == NULL) {
		buf_reset(&type);
		buf_addstr(&type, deftype);
	}
	if ((f = mime_headers_get(&h, "Content-Transfer-Encoding")) != NULL)
		mime_value_token(f->value, f->vlen, &cte);
	/* A container that said 8bit or binary is 7bit once converted. */
	keep = strcmp(buf_cstr(&cte), "8bit") == 0 ||
	    strcmp(buf_cstr(&cte), "binary") == 0 ? CTE_7BIT : CTE_KEEP;
	if (strncmp(buf_cstr(&type), "multipart/", 10) == 0) {
		f = mime_headers_get(&h, "Content-Type");
		if (!mime_param_raw(f->value, f->vlen, "boundary", &bnd) ||
		    bnd.len == 0) {
			error_set(err, "a multipart part has no boundary");
			goto out;
		}
		if (header_out(s, hend, keep, out, err) < 0 ||
		    multipart(s + hend, len - hend, buf_cstr(&bnd),
		    strcmp(buf_cstr(&type), "multipart/digest") == 0, depth,
		    out, err) < 0)
			goto out;
	} else if (strcmp(buf_cstr(&type), "message/rfc822") == 0 &&
	    strcmp(buf_cstr(&cte), "base64") != 0 &&
	    strcmp(buf_cstr(&cte), "quoted-printable") != 0) {
		/* A message inside may not be encoded (RFC 2046 5.2.1):
		 * it is made 7-bit itself. */
		if (header_out(s, hend, keep, out, err) < 0 || entity(s + hend, len - hend, "text/plain",
		    depth + 1, out, err) < 0)
			goto out;
	} else if (!mime_has_8bit(s + hend, len - hend)) {
		/* Only the header is 8-bit: the body goes as it is. */
		if (header_out(s, hend, CTE_KEEP, out, err) < 0)
			goto out;
		buf_add(out, s + hend, len - hend);
	} else {
		enum mime_cte c = strcmp(buf_cstr(&cte), "base64") == 0 ?
		    MIME_CTE_BASE64 : strcmp(buf_cstr(&cte),
		    "quoted-printable") == 0 ? MIME_CTE_QP : MIME_CTE_8BIT;
		int text = strncmp(buf_cstr(&type), "text/", 5) == 0;

		mime_cte_decode(c, s + hend, len - hend, &raw);
		if (header_out(s, hend, text ? CTE_QP : CTE_BASE64, out,
		    err) < 0)
			goto out;
		if (text)
			mime_qp_encode(raw.data ? raw.data : "", raw.len, out);
		else
			mime_b64_lines(raw.data ? raw.data : "", raw.len, out);
	}
	rc = 0;
out:
	mime_headers_free(&h);
	buf_free(&type);
	buf_free(&cte);
	buf_free(&bnd);
	buf_free(&raw);
	return rc;
}

int
mime_submission_7bit(const char *msg, size_t len, struct buf *out,
    struct error *err)
{
	size_t start = out->len;

	if (entity(msg, len, "text/plain", 0, out, err) == 0)
		return 0;
	out->len = start;
	if (out->data)
		out->data[start] = '\0';
	return error_prefix(err, "the message cannot be made 7-bit");
}
