/*
 * Fuzz target for the POP3 parsers: the first byte picks how the rest is
 * split; each line goes through the status and list/UIDL/CAPA parsers,
 * and the whole input through the multi-line reader, in both modes, fed
 * at once and in pieces, which must agree.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "net/pop3.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
sink(void *ctx, const char *p, size_t len, struct error *err)
{
	(void)err;
	if (len > POP3_CHUNK)
		abort();
	buf_add(ctx, p, len);
	return 0;
}

static int
run(const char *d, size_t n, size_t step, enum pop3_ml_mode mode,
    struct buf *out, size_t *used_r)
{
	struct pop3_ml *ml = malloc(sizeof(*ml));
	struct error err;
	size_t off = 0, k, used;
	int rc = 0;

	pop3_ml_init(ml, mode, 200, sink, out);
	while (off < n) {
		k = step > n - off ? n - off : step;
		rc = pop3_ml_feed(ml, d + off, k, &used, &err);
		if (rc < 0)
			break;
		off += used;
		if (rc > 0)
			break;
	}
	*used_r = off;
	free(ml);
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf a = BUF_INIT, b = BUF_INIT, stamp = BUF_INIT;
	struct pop3_status st;
	struct pop3_msg msgs[8];
	struct error err;
	const char *d, *nl;
	char uidl[POP3_UIDL_MAX + 1];
	size_t n, step, ua, ub, len, nmsgs = 0;
	unsigned caps = 0, num;
	uint64_t sz;
	int ra, rb;

	if (size < 1)
		return 0;
	step = (size_t)data[0] % 17 + 1;
	d = (const char *)data + 1;
	n = size - 1;
	for (const char *p = d; p < d + n; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(d + n - p));
		if (nl == NULL)
			nl = d + n;
		len = (size_t)(nl - p);
		if (pop3_status_parse(p, len, &st) > 0) {
			pop3_status_error(&st, "fuzz", 1, &err);
			if (strlen(err.msg) >= sizeof(err.msg))
				abort();
		}
		pop3_capa_line(p, len, &caps);
		pop3_apop_stamp(p, len, &stamp);
		if (pop3_list_line(p, len, &num, &sz) > 0 && nmsgs < 8) {
			memset(&msgs[nmsgs], 0, sizeof(msgs[0]));
			msgs[nmsgs++].num = num;
		}
		if (pop3_uidl_line(p, len, &num, uidl) > 0) {
			if (!pop3_uidl_valid(uidl, strlen(uidl)))
				abort();
			if (nmsgs > 0)
				memcpy(msgs[num % nmsgs].uidl, uidl,
				    sizeof(uidl));
		}
		if (nl == d + n)
			break;
	}
	pop3_check_uidls(msgs, nmsgs, &err);
	for (int mode = 0; mode < 2; mode++) {
		ra = run(d, n, n ? n : 1, mode, &a, &ua);
		rb = run(d, n, step, mode, &b, &ub);
		/* An error may be found at a different point, never a
		 * different outcome or text. */
		if (ra != rb || (ra >= 0 && (ua != ub || a.len != b.len ||
		    (a.len && memcmp(a.data, b.data, a.len) != 0))))
			abort();
		buf_reset(&a);
		buf_reset(&b);
	}
	buf_free(&a);
	buf_free(&b);
	buf_free(&stamp);
	return 0;
}
