/* mbox: one message as an mboxrd entry (mime.h, "mbox"). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/str.h"
#include "mime/mime_int.h"

/* The envelope sender: an addr-spec of printable ASCII without blanks,
 * so the From_ line always reads back as one. */
static void
sender(const struct mime_headers *h, struct buf *out)
{
	const struct mime_field *f;
	char *first = NULL;
	struct buf tmp = BUF_INIT;
	const char *s;
	size_t i, start = out->len;

	if ((f = mime_headers_get(h, "return-path")) != NULL ||
	    (f = mime_headers_get(h, "from")) != NULL) {
		mime_addr_display(f->value, f->vlen, NULL, &tmp, &first);
		for (s = first ? first : ""; *s; s++)
			if ((unsigned char)*s > ' ' && (unsigned char)*s < 0x7f)
				buf_addch(out, *s);
	}
	free(first);
	buf_free(&tmp);
	for (i = start; i < out->len; i++)
		if (out->data[i] == '@')
			return;
	buf_truncate(out, start);
	buf_addstr(out, "MAILER-DAEMON");
}

/* ">*From " at s[0..n) */
static int
from_line(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] == '>')
		i++;
	return n - i >= 5 && memcmp(s + i, "From ", 5) == 0;
}

void
mime_mbox_entry(const char *raw, size_t len, time_t now, struct buf *out)
{
	struct mime_headers h = { 0 };
	const struct mime_field *f;
	time_t t = now;
	int zone;
	struct tm tm;
	char date[64];
	size_t pos = 0, n;
	const char *nl;

	/* A "From " line already in front belongs to another mbox. */
	if (len >= 5 && memcmp(raw, "From ", 5) == 0) {
		nl = memchr(raw, '\n', len);
		pos = nl ? (size_t)(nl - raw) + 1 : len;
	}
	mime_headers_parse(raw + pos, len - pos, &h);
	if ((f = mime_headers_get(&h, "date")) != NULL &&
	    mime_date_parse(f->value, f->vlen, &t, &zone) < 0)
		t = now;
	buf_addstr(out, "From ");
	sender(&h, out);
	mime_headers_free(&h);
	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%a %b %e %H:%M:%S %Y", &tm);
	buf_addch(out, ' ');
	buf_addstr(out, date);
	buf_addch(out, '\n');
	while (pos < len) {
		nl = memchr(raw + pos, '\n', len - pos);
		n = nl ? (size_t)(nl - (raw + pos)) : len - pos;
		if (from_line(raw + pos, n))
			buf_addch(out, '>');
		buf_add(out, raw + pos,
		    n > 0 && raw[pos + n - 1] == '\r' ? n - 1 : n);
		buf_addch(out, '\n');
		pos += n + (nl != NULL);
	}
	buf_addch(out, '\n');
}
