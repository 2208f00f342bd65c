/*
 * Fuzz target of net/imap_parse: the input is parsed whole and again in
 * chunks whose sizes come from the input itself; both runs must give the
 * same responses (compared as a dump) and the same verdict.  Small limits
 * so the limit paths are reached.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "net/imap_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
dump_args(struct buf *o, const struct imap_arg *a)
{
	for (; a; a = a->next) {
		buf_printf(o, "%d:%zu:", (int)a->type, a->len);
		if (a->type == IMAP_ARG_LIST) {
			buf_addch(o, '(');
			dump_args(o, a->list);
			buf_addch(o, ')');
		} else if (a->type == IMAP_ARG_STREAMED) {
			/* bytes went to the sink; len is the size, str is "" */
			if (a->str[0] != '\0')
				abort();
		} else {
			buf_add(o, a->str, a->len);
		}
		buf_addch(o, ' ');
	}
}

static int
sink(void *ctx, uint64_t size, uint64_t off, const void *d, size_t n)
{
	struct buf *o = ctx;

	if (off + n > size)
		abort();
	buf_add(o, d, n);
	return 0;
}

static int
run(const uint8_t *d, size_t len, size_t step, int stream, struct buf *o)
{
	struct imap_limits lim;
	struct imap_parser *p;
	struct error err;
	size_t pos = 0, used;
	int r = 0, nresp = 0;

	imap_limits_default(&lim);
	lim.max_line = 4096;
	lim.max_literal = 8192;
	lim.max_depth = 8;
	lim.max_list = 64;
	lim.max_args = 512;
	lim.max_response = 16384;
	p = imap_parser_new(&lim);
	if (stream)
		imap_parser_set_sink(p, 16, sink, o);
	while (pos < len && nresp < 1000) {
		size_t n = step && len - pos > step ? step : len - pos;

		r = imap_parser_feed(p, d + pos, n, &used, &err);
		if (used > n)
			abort();
		pos += used;
		if (r < 0)
			break;
		if (r > 0) {
			const struct imap_resp *rs = imap_parser_resp(p);

			nresp++;
			buf_printf(o, "[%d %s %s %s|", (int)rs->kind, rs->tag,
			    rs->status ? rs->status : "-",
			    rs->code ? rs->code : "-");
			dump_args(o, rs->code_args);
			buf_printf(o, "|%s|%u|", rs->text, rs->nargs);
			dump_args(o, rs->args);
			buf_addstr(o, "]\n");
		}
	}
	buf_printf(o, "end %d\n", r < 0 ? -1 : 0);
	imap_parser_free(&p);
	return r;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	size_t step = size ? (size_t)(data[0] % 7) + 1 : 1;

	run(data, size, 0, size > 0 && (data[0] & 0x80), &a);
	run(data, size, step, size > 0 && (data[0] & 0x80), &b);
	if (a.len != b.len || memcmp(buf_cstr(&a), buf_cstr(&b), a.len) != 0)
		abort();
	buf_free(&a);
	buf_free(&b);
	return 0;
}
