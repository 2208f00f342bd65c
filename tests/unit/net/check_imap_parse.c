/* Unit tests of net/imap_parse: RFC 9051 / 3501 examples and limits. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_imap.h"
#include "core/buf.h"

static void
dump_args(struct buf *o, const struct imap_arg *a)
{
	for (; a; a = a->next) {
		buf_printf(o, "%d:%zu:", (int)a->type, a->len);
		if (a->type == IMAP_ARG_LIST) {
			buf_addch(o, '(');
			dump_args(o, a->list);
			buf_addch(o, ')');
		} else {
			buf_add(o, a->str, a->len);
		}
		buf_addch(o, ' ');
	}
}

char *
imap_test_dump(const char *in, size_t len, size_t step,
    const struct imap_limits *lim)
{
	struct buf o = BUF_INIT;
	struct imap_parser *p = imap_parser_new(lim);
	struct error err;
	size_t pos = 0, used;
	int r = 0;

	error_clear(&err);
	while (pos < len) {
		size_t n = step && len - pos > step ? step : len - pos;

		r = imap_parser_feed(p, in + pos, n, &used, &err);
		ck_assert_uint_le(used, n);
		pos += used;
		if (r < 0)
			break;
		if (r > 0) {
			const struct imap_resp *rs = imap_parser_resp(p);

			buf_printf(&o, "[%d %s %s %s|", (int)rs->kind, rs->tag,
			    rs->status ? rs->status : "-",
			    rs->code ? rs->code : "-");
			dump_args(&o, rs->code_args);
			buf_printf(&o, "|%s|%u|%d:%u|", rs->text, rs->nargs,
			    rs->has_num, rs->num);
			dump_args(&o, rs->args);
			buf_addstr(&o, "]\n");
		}
	}
	buf_printf(&o, "end %d busy %d %s\n", r, imap_parser_busy(p),
	    err.msg);
	imap_parser_free(&p);
	return buf_detach(&o, NULL);
}

static struct imap_parser *one_p;

const struct imap_resp *
imap_test_one(const char *s)
{
	size_t len = strlen(s), used;
	struct error err;
	char *a, *b, *c;
	int r;

	a = imap_test_dump(s, len, 0, NULL);
	b = imap_test_dump(s, len, 1, NULL);
	c = imap_test_dump(s, len, 3, NULL);
	ck_assert_str_eq(a, b);
	ck_assert_str_eq(a, c);
	free(a);
	free(b);
	free(c);
	imap_parser_free(&one_p);
	one_p = imap_parser_new(NULL);
	r = imap_parser_feed(one_p, s, len, &used, &err);
	ck_assert_msg(r == 1, "parse of <%s> gave %d: %s", s, r, err.msg);
	ck_assert_uint_eq(used, len);
	return imap_parser_resp(one_p);
}

void
imap_test_fails(const char *s, size_t len, const struct imap_limits *lim,
    const char *want)
{
	char *a = imap_test_dump(s, len, 0, lim);
	char *b = imap_test_dump(s, len, 1, lim);

	ck_assert_str_eq(a, b);
	ck_assert_msg(strstr(a, "end -1") != NULL, "no error: %s", a);
	ck_assert_msg(strstr(a, want) != NULL, "want <%s> in %s", want, a);
	free(a);
	free(b);
}

static const struct imap_arg *
nth(const struct imap_resp *r, unsigned i)
{
	return imap_arg_nth(r->args, i);
}

START_TEST(test_status_tagged)
{
	const struct imap_resp *r =
	    imap_test_one("a002 OK [READ-WRITE] SELECT completed\r\n");

	ck_assert_int_eq(r->kind, IMAP_RESP_TAGGED);
	ck_assert_str_eq(r->tag, "a002");
	ck_assert_str_eq(r->status, "OK");
	ck_assert_str_eq(r->code, "READ-WRITE");
	ck_assert_ptr_null(r->code_args);
	ck_assert_str_eq(r->text, "SELECT completed");
	ck_assert(imap_arg_is(r->args, "ok"));

	r = imap_test_one("A142 NO\r\n");
	ck_assert_str_eq(r->status, "NO");
	ck_assert_str_eq(r->text, "");
	r = imap_test_one("* BAD Empty command line\r\n");
	ck_assert_int_eq(r->kind, IMAP_RESP_UNTAGGED);
	ck_assert_str_eq(r->status, "BAD");
	r = imap_test_one("* PREAUTH IMAP4rev2 server logged in as Smith\r\n");
	ck_assert_str_eq(r->status, "PREAUTH");
	r = imap_test_one("* BYE Autologout; idle for too long\r\n");
	ck_assert_str_eq(r->status, "BYE");
	ck_assert_str_eq(r->text, "Autologout; idle for too long");
}
END_TEST

START_TEST(test_codes)
{
	const struct imap_resp *r = imap_test_one(
	    "* OK [UIDVALIDITY 3857529045] UIDs valid\r\n");
	uint64_t v;

	ck_assert_str_eq(r->code, "UIDVALIDITY");
	ck_assert_int_eq(imap_arg_num(r->code_args, UINT32_MAX, &v), 0);
	ck_assert_uint_eq(v, 3857529045u);
	ck_assert_str_eq(r->text, "UIDs valid");

	r = imap_test_one("* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] "
	    "Limited\r\n");
	ck_assert_int_eq(r->code_args->type, IMAP_ARG_LIST);
	ck_assert_uint_eq(r->code_args->count, 3);
	ck_assert_str_eq(imap_arg_nth(r->code_args->list, 2)->str, "\\*");

	r = imap_test_one("A003 OK [COPYUID 38505 304,319:320 3956:3958] "
	    "Done\r\n");
	ck_assert_str_eq(imap_arg_nth(r->code_args, 1)->str, "304,319:320");
	ck_assert_str_eq(imap_arg_nth(r->code_args, 2)->str, "3956:3958");

	r = imap_test_one("* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS "
	    "ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN] Dovecot ready.\r\n");
	ck_assert_str_eq(r->code, "CAPABILITY");
	ck_assert_str_eq(imap_arg_nth(r->code_args, 8)->str, "AUTH=PLAIN");
	ck_assert_ptr_null(imap_arg_nth(r->code_args, 9));
	ck_assert_uint_eq(r->nargs, 1);
	ck_assert_ptr_null(r->args->next);

	r = imap_test_one("* NO [ALERT] System shutdown in 10 minutes\r\n");
	ck_assert_str_eq(r->code, "ALERT");
	r = imap_test_one("A001 NO [BADCHARSET (UTF-8 \"US-ASCII\")] bad\r\n");
	ck_assert_str_eq(imap_arg_nth(r->code_args->list, 1)->str, "US-ASCII");
	r = imap_test_one("* OK [HIGHESTMODSEQ 715194045007] Highest\r\n");
	ck_assert_int_eq(imap_arg_num(r->code_args, UINT64_MAX, &v), 0);
	ck_assert_uint_eq(v, 715194045007ull);
	/* Unparsable code arguments are kept as raw text. */
	r = imap_test_one("* OK [X-WEIRD some (text] hi\r\n");
	ck_assert_int_eq(r->code_args->type, IMAP_ARG_TEXT);
	ck_assert_str_eq(r->code_args->str, "some (text");
	ck_assert_str_eq(r->text, "hi");
}
END_TEST

START_TEST(test_untagged_data)
{
	const struct imap_resp *r = imap_test_one("* 23 EXISTS\r\n");

	ck_assert(r->has_num);
	ck_assert_uint_eq(r->num, 23);
	ck_assert(imap_arg_is(nth(r, 1), "EXISTS"));
	ck_assert_ptr_null(r->status);

	r = imap_test_one("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen "
	    "\\Draft)\r\n");
	ck_assert(!r->has_num);
	ck_assert_uint_eq(nth(r, 1)->count, 5);

	r = imap_test_one("* LIST (\\Noselect) \"/\" ~/Mail/foo\r\n");
	ck_assert_str_eq(nth(r, 2)->str, "/");
	ck_assert_int_eq(nth(r, 2)->type, IMAP_ARG_STRING);
	ck_assert_str_eq(nth(r, 3)->str, "~/Mail/foo");

	r = imap_test_one("* LIST () NIL INBOX\r\n");
	ck_assert_int_eq(nth(r, 1)->type, IMAP_ARG_LIST);
	ck_assert_uint_eq(nth(r, 1)->count, 0);
	ck_assert_ptr_null(nth(r, 1)->list);
	ck_assert_int_eq(nth(r, 2)->type, IMAP_ARG_NIL);
	ck_assert_ptr_null(imap_arg_str(nth(r, 2)));

	r = imap_test_one("* STATUS blurdybloop (MESSAGES 231 UIDNEXT "
	    "44292)\r\n");
	ck_assert_uint_eq(nth(r, 2)->count, 4);

	r = imap_test_one("* ESEARCH (TAG \"A285\") UID MIN 7 MAX 3800\r\n");
	ck_assert_uint_eq(r->nargs, 7);

	r = imap_test_one("* NAMESPACE ((\"\" \"/\")) ((\"~\" \"/\")) "
	    "((\"#shared/\" \"/\")(\"#public/\" \"/\"))\r\n");
	ck_assert_uint_eq(nth(r, 3)->count, 2);

	r = imap_test_one("* VANISHED (EARLIER) 41,43:116,118,120:211,"
	    "214:540\r\n");
	ck_assert(imap_arg_is(nth(r, 1)->list, "EARLIER"));
	ck_assert_str_eq(nth(r, 2)->str, "41,43:116,118,120:211,214:540");
	ck_assert(!r->has_num);

	r = imap_test_one("* ENABLED CONDSTORE QRESYNC\r\n");
	ck_assert_uint_eq(r->nargs, 3);
	r = imap_test_one("* SEARCH 2 84 882\r\n");
	ck_assert_uint_eq(r->nargs, 4);
	r = imap_test_one("* SEARCH\r\n");
	ck_assert_uint_eq(r->nargs, 1);
}
END_TEST

START_TEST(test_fetch)
{
	const struct imap_resp *r = imap_test_one(
	    "* 12 FETCH (FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 "
	    "-0700\" RFC822.SIZE 4286 ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 "
	    "-0700 (PDT)\" \"IMAP4rev1 WG mtg summary and minutes\" "
	    "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) NIL NIL "
	    "NIL NIL NIL NIL \"<B27397-0100000@cac.washington.edu>\") "
	    "BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL "
	    "\"7BIT\" 3028 92))\r\n");
	const struct imap_arg *l;

	ck_assert_uint_eq(r->num, 12);
	l = nth(r, 2);
	ck_assert_int_eq(l->type, IMAP_ARG_LIST);
	ck_assert_uint_eq(l->count, 10);
	ck_assert_str_eq(imap_arg_nth(l->list, 3)->str,
	    "17-Jul-1996 02:44:25 -0700");
	ck_assert_uint_eq(imap_arg_nth(l->list, 7)->count, 10);

	r = imap_test_one("* 2 FETCH (UID 44 BODY[HEADER.FIELDS (DATE FROM)] "
	    "{26}\r\nDate: today\r\nFrom: x@y\r\n\r\n FLAGS ())\r\n");
	l = nth(r, 2)->list;
	ck_assert_str_eq(imap_arg_nth(l, 2)->str,
	    "BODY[HEADER.FIELDS (DATE FROM)]");
	ck_assert_int_eq(imap_arg_nth(l, 3)->type, IMAP_ARG_LITERAL);
	ck_assert_uint_eq(imap_arg_nth(l, 3)->len, 26);
	ck_assert_str_eq(imap_arg_nth(l, 3)->str,
	    "Date: today\r\nFrom: x@y\r\n\r\n");
	ck_assert(imap_arg_is(imap_arg_nth(l, 4), "FLAGS"));

}
END_TEST

START_TEST(test_literal_forms)
{
	static const char in[] = "* 3 FETCH (BODY[]<0> {0}\r\n BINARY[1] "
	    "~{3}\r\na\0b X {2+}\r\nhi)\r\n";
	const size_t len = sizeof(in) - 1;
	struct imap_parser *p = imap_parser_new(NULL);
	const struct imap_arg *l;
	size_t used;
	struct error err;
	char *a, *b;

	ck_assert_int_eq(imap_parser_feed(p, in, len, &used, &err), 1);
	ck_assert_uint_eq(used, len);
	l = imap_arg_nth(imap_parser_resp(p)->args, 2)->list;
	ck_assert_str_eq(l->str, "BODY[]<0>");
	ck_assert_int_eq(l->next->type, IMAP_ARG_LITERAL);
	ck_assert_uint_eq(l->next->len, 0);
	ck_assert_uint_eq(imap_arg_nth(l, 3)->len, 3);
	ck_assert(memcmp(imap_arg_nth(l, 3)->str, "a\0b", 3) == 0);
	ck_assert_str_eq(imap_arg_nth(l, 5)->str, "hi");
	imap_parser_free(&p);
	a = imap_test_dump(in, len, 0, NULL);
	b = imap_test_dump(in, len, 1, NULL);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
}
END_TEST

START_TEST(test_quoted_cont)
{
	const struct imap_resp *r =
	    imap_test_one("* LIST () \"/\" \"a \\\"q\\\" \\\\ b\"\r\n");

	ck_assert_str_eq(nth(r, 3)->str, "a \"q\" \\ b");
	ck_assert_uint_eq(nth(r, 3)->len, 9);
	r = imap_test_one("+ Ready for additional command text\r\n");
	ck_assert_int_eq(r->kind, IMAP_RESP_CONT);
	ck_assert_str_eq(r->text, "Ready for additional command text");
	r = imap_test_one("+\r\n");
	ck_assert_str_eq(r->text, "");
	r = imap_test_one("+ \r\n");
	ck_assert_str_eq(r->text, "");
	/* Bare LF line ends are accepted. */
	r = imap_test_one("* 1 EXISTS\n");
	ck_assert_uint_eq(r->num, 1);
}
END_TEST

START_TEST(test_stream_sequence)
{
	static const char in[] =
	    "* 1 FETCH (UID 1 FLAGS (\\Seen))\r\n"
	    "* 2 FETCH (UID 2 BODY[] {5}\r\nhello)\r\n"
	    "* OK [UNSEEN 12] Message 12 is first unseen\r\n"
	    "a1 OK done\r\n";
	char *a = imap_test_dump(in, sizeof(in) - 1, 0, NULL);
	char *b = imap_test_dump(in, sizeof(in) - 1, 1, NULL);
	char *c = imap_test_dump(in, sizeof(in) - 1, 7, NULL);

	ck_assert_str_eq(a, b);
	ck_assert_str_eq(a, c);
	ck_assert_ptr_nonnull(strstr(a, "end 1 busy 0"));
	ck_assert_ptr_nonnull(strstr(a, "3:5:hello"));
	free(a);
	free(b);
	free(c);
}
END_TEST

struct sinkbuf {
	struct buf b;
	uint64_t size;
	int calls;
};

static int
sink(void *ctx, uint64_t size, uint64_t off, const void *d, size_t n)
{
	struct sinkbuf *s = ctx;

	ck_assert_uint_eq(off, s->b.len);
	s->size = size;
	s->calls++;
	buf_add(&s->b, d, n);
	return 0;
}

START_TEST(test_sink)
{
	static const char in[] = "* 2 FETCH (UID 9 BODY[] {26}\r\n"
	    "abcdefghijklmnopqrstuvwxyz BODY[HEADER] {4}\r\nab\r\n)\r\n";
	struct sinkbuf s = { BUF_INIT, 0, 0 };
	struct imap_parser *p = imap_parser_new(NULL);
	const struct imap_arg *l;
	size_t i, used;
	struct error err;
	int r = 0;

	imap_parser_set_sink(p, 10, sink, &s);
	for (i = 0; i < sizeof(in) - 1; i++) {
		r = imap_parser_feed(p, in + i, 1, &used, &err);
		ck_assert_int_ge(r, 0);
		ck_assert_uint_eq(used, 1);
	}
	ck_assert_int_eq(r, 1);
	ck_assert_str_eq(buf_cstr(&s.b), "abcdefghijklmnopqrstuvwxyz");
	ck_assert_uint_eq(s.size, 26);
	ck_assert_int_eq(s.calls, 26);
	l = imap_arg_nth(imap_parser_resp(p)->args, 2)->list;
	ck_assert_int_eq(imap_arg_nth(l, 3)->type, IMAP_ARG_STREAMED);
	ck_assert_uint_eq(imap_arg_nth(l, 3)->len, 26);
	/* Below sink_min: stored. */
	ck_assert_int_eq(imap_arg_nth(l, 5)->type, IMAP_ARG_LITERAL);
	ck_assert_str_eq(imap_arg_nth(l, 5)->str, "ab\r\n");
	buf_free(&s.b);
	/* Streamed literals have their own, larger limit. */
	imap_parser_reset(p);
	ck_assert_int_eq(imap_parser_feed(p, "* 1 FETCH (BODY[] {100000000}\r\n",
	    31, &used, &err), 0);
	imap_parser_reset(p);
	ck_assert_int_eq(imap_parser_feed(p, "* 1 FETCH (BODY[] {2000000000}\r\n",
	    32, &used, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "limit 1073741824"));
	imap_parser_free(&p);
}
END_TEST

START_TEST(test_limits)
{
	struct imap_limits lim;
	struct buf b = BUF_INIT;
	int i;

	imap_limits_default(&lim);
	lim.max_line = 40;
	imap_test_fails("* 1 FETCH (UID 1234567890 FLAGS (\\Seen \\Answered))"
	    "\r\n", 52, &lim, "longer than 40");
	imap_limits_default(&lim);
	lim.max_literal = 100;
	imap_test_fails("* 1 FETCH (BODY[] {101}\r\n", 25, &lim,
	    "literal of 101 bytes");
	imap_limits_default(&lim);
	/* 4 GiB literal: refused at once, before anything is stored. */
	imap_test_fails("* 1 FETCH (BODY[] {4294967296}\r\n", 32, NULL,
	    "literal of 4294967296 bytes");
	imap_test_fails("* 1 FETCH (BODY[] {99999999999999999999999}\r\n",
	    45, NULL, "absurd literal");
	lim.max_depth = 3;
	imap_test_fails("* X (((())))\r\n", 14, &lim, "deeper than 3");
	free(imap_test_dump("* X ((()))\r\n", 12, 0, &lim));
	imap_limits_default(&lim);
	lim.max_list = 4;
	imap_test_fails("* X (a b c d e)\r\n", 17, &lim, "more than 4 items");
	imap_test_fails("* X a b c d\r\n", 13, &lim, "more than 4 items");
	imap_limits_default(&lim);
	lim.max_args = 5;
	imap_test_fails("* X (a) (b) (c)\r\n", 17, &lim, "more than 5 values");
	imap_limits_default(&lim);
	lim.max_response = 64;
	for (i = 0; i < 4; i++)
		buf_addstr(&b, "* 1 FETCH (BODY[] {20}\r\n01234567890123456789 ");
	buf_addstr(&b, ")\r\n");
	imap_test_fails(b.data, b.len, &lim, "larger than 64 bytes");
	buf_free(&b);
	/* Default depth 64: 65 levels fail, 64 parse. */
	for (i = 0; i < 65; i++)
		buf_addch(&b, '(');
	for (i = 0; i < 65; i++)
		buf_addch(&b, ')');
	buf_addstr(&b, "\r\n");
	buf_consume(&b, 0);
	{
		struct buf c = BUF_INIT;

		buf_addstr(&c, "* X ");
		buf_add(&c, b.data, b.len);
		imap_test_fails(c.data, c.len, NULL, "deeper than 64");
		buf_free(&c);
	}
	buf_free(&b);
}
END_TEST

START_TEST(test_malformed)
{
	imap_test_fails("\r\n", 2, NULL, "empty line");
	imap_test_fails("a1\r\n", 4, NULL, "without a response");
	imap_test_fails("a1 FETCH x\r\n", 12, NULL, "without a status");
	imap_test_fails("* X \"abc\r\n", 10, NULL, "unterminated quoted");
	imap_test_fails("* X (a b\r\n", 10, NULL, "unbalanced \"(\"");
	imap_test_fails("* X a)\r\n", 8, NULL, "unbalanced \")\"");
	imap_test_fails("* X {12\r\n", 9, NULL, "malformed literal");
	imap_test_fails("* X {1} a\r\n", 11, NULL, "malformed literal");
	imap_test_fails("* X {}\r\n", 8, NULL, "malformed literal");
	imap_test_fails("* OK [ALERT\r\n", 13, NULL, "unterminated response");
	imap_test_fails("* X BODY[abc\r\n", 14, NULL, "unterminated \"[\"");
	imap_test_fails("* X a\0b\r\n", 9, NULL, "NUL byte");
	imap_test_fails("* OK a\0b\r\n", 10, NULL, "NUL byte");
	imap_test_fails("a(1 OK x\r\n", 10, NULL, "malformed tag");
}
END_TEST

START_TEST(test_error_sticky)
{
	struct imap_parser *p = imap_parser_new(NULL);
	struct error err;
	size_t used;

	ck_assert_int_eq(imap_parser_feed(p, "* X )\r\n", 7, &used, &err), -1);
	ck_assert_int_eq(imap_parser_feed(p, "* 1 EXISTS\r\n", 12, &used, &err),
	    -1);
	imap_parser_reset(p);
	ck_assert_int_eq(imap_parser_feed(p, "* 1 EXISTS\r\n", 12, &used, &err),
	    1);
	/* Incomplete input: need more, nothing lost. */
	ck_assert_int_eq(imap_parser_feed(p, "* 2 EXI", 7, &used, &err), 0);
	ck_assert_uint_eq(used, 7);
	ck_assert(imap_parser_busy(p));
	ck_assert_int_eq(imap_parser_feed(p, "STS\r\n", 5, &used, &err), 1);
	ck_assert_uint_eq(imap_parser_resp(p)->num, 2);
	ck_assert(!imap_parser_busy(p));
	imap_parser_free(&p);
	ck_assert_ptr_null(p);
}
END_TEST

START_TEST(test_speed_many_fetch)
{
	/* 100,000 header FETCH responses through one parser (bench/ times
	 * it; here it must simply all parse). */
	struct buf in = BUF_INIT;
	struct imap_parser *p = imap_parser_new(NULL);
	struct error err;
	size_t pos = 0, used;
	unsigned i, count = 0;

	for (i = 1; i <= 1000; i++)
		buf_printf(&in, "* %u FETCH (UID %u FLAGS (\\Seen) INTERNALDATE "
		    "\"17-Jul-1996 02:44:25 -0700\" RFC822.SIZE 4286 "
		    "BODY[HEADER.FIELDS (DATE FROM TO CC SUBJECT MESSAGE-ID)] "
		    "{72}\r\nDate: Wed, 17 Jul 1996 02:23:25 -0700\r\n"
		    "From: a@b.example\r\nSubject: x\r\n\r\n)\r\n", i, i);
	for (i = 0; i < 100; i++) {
		pos = 0;
		while (pos < in.len) {
			int r = imap_parser_feed(p, in.data + pos,
			    in.len - pos, &used, &err);

			ck_assert_msg(r >= 0, "%s", err.msg);
			pos += used;
			count += r > 0;
		}
	}
	ck_assert_uint_eq(count, 100000);
	buf_free(&in);
	imap_parser_free(&p);
}
END_TEST

static Suite *
parse_suite(void)
{
	Suite *s = suite_create("imap_parse");
	TCase *tc = tcase_create("rfc");

	tcase_add_test(tc, test_status_tagged);
	tcase_add_test(tc, test_codes);
	tcase_add_test(tc, test_untagged_data);
	tcase_add_test(tc, test_fetch);
	tcase_add_test(tc, test_literal_forms);
	tcase_add_test(tc, test_quoted_cont);
	tcase_add_test(tc, test_stream_sequence);
	tcase_add_test(tc, test_sink);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_error_sticky);
	tcase_add_test(tc, test_speed_many_fetch);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(parse_suite());
	int failed;

	srunner_add_suite(sr, imap_quirks_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
