/*
 * Fuzz target for the SMTP parsers: the input's lines go through the reply
 * parser (with and without enhanced status codes) and each complete reply
 * through the EHLO parser; the whole input is also a message for the DATA
 * encoder, whose output must match what the scanner predicted and must
 * never contain the end-of-data line before its end.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "net/smtp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
replies(const char *d, size_t n, int enh)
{
	struct smtp_reply r;
	struct smtp_caps caps;
	const char *p, *nl;
	int rc;

	smtp_reply_init(&r);
	for (p = d; p < d + n; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(d + n - p));
		if (nl == NULL)
			nl = d + n;
		rc = smtp_reply_feed(&r, p, (size_t)(nl - p), enh);
		if (rc < 0) {
			smtp_reply_free(&r);
			smtp_reply_init(&r);
		} else if (rc > 0) {
			if (r.code < 200 || r.code > 599 || r.nlines < 1 ||
			    r.nlines > SMTP_MAX_REPLY_LINES ||
			    strlen(r.enhanced) >= sizeof(r.enhanced))
				abort();
			smtp_ehlo_parse(&r, &caps);
		}
		if (nl == d + n)
			break;
	}
	smtp_reply_free(&r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data;
	struct smtp_body_info bi;
	struct buf out = BUF_INIT;
	int u;

	replies(d, size, 0);
	replies(d, size, 1);
	smtp_body_scan(d, size, &bi);
	smtp_body_encode(d, size, &out);
	if (bi.wire_len != out.len)
		abort();
	if (out.len > 0 && (out.len < 2 ||
	    memcmp(out.data + out.len - 2, "\r\n", 2) != 0))
		abort();
	/* A line of the output that is a lone dot would end the message. */
	if (out.len >= 3 && (memcmp(out.data, ".\r\n", 3) == 0 ||
	    memmem(out.data, out.len, "\r\n.\r\n", 5) != NULL))
		abort();
	/* Every CR is followed by LF, every LF preceded by CR. */
	for (size_t i = 0; i < out.len; i++) {
		if (out.data[i] == '\r' && (i + 1 == out.len ||
		    out.data[i + 1] != '\n'))
			abort();
		if (out.data[i] == '\n' && (i == 0 || out.data[i - 1] != '\r'))
			abort();
	}
	buf_free(&out);
	if (size < 300) {
		char addr[300];

		memcpy(addr, d, size);
		addr[size] = '\0';
		smtp_addr_ok(addr, 1, &u);
	}
	return 0;
}
