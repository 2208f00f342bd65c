/*
 * Fuzz target: a whole message through mime_render (both preferences,
 * narrow and no wrapping), mime_summary_parse and attachment extraction.
 * Besides memory safety it checks the contract: every line is clean
 * (valid UTF-8, no control characters), len matches, kinds are sane.
 * Then the 7-bit downgrade (mime_submission_7bit): what it gives has no
 * 8-bit byte, and a refusal leaves the output as it was.
 */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "mime/mime.h"
#include "mime/submit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_clean(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n;
	unsigned cp;

	if (strlen(s) != len)
		abort();
	while (i < len) {
		n = u[i] < 0x80 ? 1 : str_utf8_decode(u + i, len - i, &cp);
		if (n == 0)
			abort();
		if (n == 1)
			cp = u[i];
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			abort();
		i += n;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int widths[] = {80, 0, 12};
	const char *raw = (const char *)data;
	struct mime_summary *sum;
	struct mime_view *v;
	struct buf b = BUF_INIT;
	struct error err;
	size_t i, k;

	for (k = 0; k < 3; k++) {
		struct mime_render_opts o = {
		    k == 1 ? MIME_PREFER_HTML : MIME_PREFER_PLAIN,
		    k == 2 ? "gb2312" : NULL, widths[k]};

		if (mime_render(raw, size, &o, &v, NULL) != 0)
			abort();
		for (i = 0; i < v->nlines; i++) {
			check_clean(v->lines[i].text, v->lines[i].len);
			if (v->lines[i].kind == MIME_LINE_ATTACHMENT &&
			    (v->lines[i].attachment < 0 ||
			        (size_t)v->lines[i].attachment >=
			            v->nattachments))
				abort();
		}
		for (i = 0; i < v->nattachments; i++) {
			check_clean(v->attachments[i].name,
			    strlen(v->attachments[i].name));
			buf_reset(&b);
			if (mime_attachment_data(v, i, &b, NULL) != 0 ||
			    b.len != v->attachments[i].size)
				abort();
		}
		mime_view_free(&v);
	}
	if (mime_summary_parse(raw, size, &sum, NULL) != 0)
		abort();
	check_clean(sum->subject, strlen(sum->subject));
	check_clean(sum->from, strlen(sum->from));
	mime_summary_free(&sum);
	buf_reset(&b);
	buf_addstr(&b, "x");
	error_clear(&err);
	if (mime_submission_7bit(raw, size, &b, &err) == 0) {
		for (i = 0; i < b.len; i++)
			if ((unsigned char)b.data[i] >= 0x80)
				abort();
	} else if (b.len != 1 || err.msg[0] == '\0') {
		abort();
	}
	buf_free(&b);
	return 0;
}
