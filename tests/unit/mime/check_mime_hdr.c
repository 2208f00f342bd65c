/* Unit tests of mime/: headers, addresses, dates, RFC 2047, RFC 2231. */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "mime/mime.h"
#include "mime/mime_int.h"

static char *
hdr(const char *in)
{
	struct buf b = BUF_INIT;

	mime_header_decode(in, strlen(in), NULL, &b);
	return buf_detach(&b, NULL);
}

#define CHECK_HDR(in, want)                                                    \
	do {                                                                   \
		char *got_ = hdr(in);                                          \
		ck_assert_str_eq(got_, want);                                  \
		free(got_);                                                    \
	} while (0)

/* RFC 2047 section 8, the encoded-word examples. */
START_TEST(test_rfc2047_examples)
{
	CHECK_HDR("=?ISO-8859-1?Q?a?=", "a");
	CHECK_HDR("=?ISO-8859-1?Q?a?= b", "a b");
	CHECK_HDR("=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=", "ab");
	CHECK_HDR("=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=", "ab");
	CHECK_HDR("=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=", "ab");
	CHECK_HDR("=?ISO-8859-1?Q?a_b?=", "a b");
	CHECK_HDR("=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=", "a b");
	CHECK_HDR("=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?= "
	          "=?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=",
	    "If you can read this you understand the example.");
	CHECK_HDR("=?ISO-8859-1?Q?Andr=E9?= Pirard", "Andr\xc3\xa9 Pirard");
	CHECK_HDR("=?ISO-8859-1?Q?Olle_J=E4rnefors?=", "Olle J\xc3\xa4rnefors");
	/* RFC 2231 language suffix in an encoded word */
	CHECK_HDR("=?US-ASCII*EN?Q?Keith_Moore?=", "Keith Moore");
}
END_TEST

START_TEST(test_rfc2047_lenient)
{
	/* a character split over two words of one charset */
	CHECK_HDR("=?utf-8?q?=E2=82?= =?utf-8?q?=AC?=", "\xe2\x82\xac");
	/* malformed words shown as they are */
	CHECK_HDR("=?utf-8?x?abc?=", "=?utf-8?x?abc?=");
	CHECK_HDR("=?utf-8?q?unterminated", "=?utf-8?q?unterminated");
	CHECK_HDR("=?", "=?");
	CHECK_HDR("a =? b ?= c", "a =? b ?= c");
	/* words glued to text (not RFC, common) */
	CHECK_HDR("x=?utf-8?q?y?=z", "xyz");
	/* unknown charset: bytes read as windows-1252 */
	CHECK_HDR("=?x-unknown?q?caf=E9?=", "caf\xc3\xa9");
	/* invalid UTF-8 in a word becomes U+FFFD */
	CHECK_HDR("=?utf-8?q?a=FFb?=",
	    "a\xef\xbf\xbd"
	    "b");
	/* escape sequences never survive */
	CHECK_HDR("=?utf-8?q?=1B[31mred?=", "red");
	CHECK_HDR("\x1b]0;title\x07x", "x");
	/* 8-bit raw header: UTF-8 kept, other bytes as windows-1252 */
	CHECK_HDR("Gr\xc3\xbc\xc3\x9f"
	          "e Gr\xfc\xdf"
	          "e",
	    "Gr\xc3\xbc\xc3\x9f"
	    "e Gr\xc3\xbc\xc3\x9f"
	    "e");
	CHECK_HDR("=?gb2312?B?1tDOxA==?=", "\xe4\xb8\xad\xe6\x96\x87");
}
END_TEST

static char *
addrs(const char *in, char **first_r)
{
	struct buf b = BUF_INIT;

	mime_addr_display(in, strlen(in), NULL, &b, first_r);
	return buf_detach(&b, NULL);
}

#define CHECK_ADDR(in, want, first)                                            \
	do {                                                                   \
		char *f_ = NULL, *got_ = addrs(in, &f_);                       \
		ck_assert_str_eq(got_, want);                                  \
		ck_assert_str_eq(f_, first);                                   \
		free(got_);                                                    \
		free(f_);                                                      \
	} while (0)

START_TEST(test_addresses)
{
	CHECK_ADDR("John Doe <jdoe@machine.example>",
	    "John Doe <jdoe@machine.example>", "jdoe@machine.example");
	CHECK_ADDR("\"Joe Q. Public\" <john.q.public@example.com>",
	    "Joe Q. Public <john.q.public@example.com>",
	    "john.q.public@example.com");
	CHECK_ADDR("Mary Smith <mary@x.test>, jdoe@example.org, Who? "
	           "<one@y.test>",
	    "Mary Smith <mary@x.test>, jdoe@example.org, "
	    "Who? <one@y.test>",
	    "mary@x.test");
	CHECK_ADDR("<boss@nil.test>, \"Giant; \\\"Big\\\" Box\" "
	           "<sysservices@example.net>",
	    "boss@nil.test, Giant; \"Big\" Box <sysservices@example.net>",
	    "boss@nil.test");
	CHECK_ADDR("A Group:Ed Jones <c@a.test>,joe@where.test,John "
	           "<jdoe@one.test>;",
	    "A Group: Ed Jones <c@a.test>, "
	    "joe@where.test, John <jdoe@one.test>;",
	    "c@a.test");
	CHECK_ADDR("Undisclosed recipients:;", "Undisclosed recipients:;", "");
	/* comments, the old "addr (Name)" form */
	CHECK_ADDR("Pete(A nice \\) chap) <pete(his account)@silly.test(his "
	           "host)>",
	    "Pete <pete@silly.test>", "pete@silly.test");
	CHECK_ADDR("jdoe@example.org (John Doe)", "John Doe <jdoe@example.org>",
	    "jdoe@example.org");
	/* a missing domain, an empty list, an obsolete route */
	CHECK_ADDR("postmaster", "postmaster", "postmaster");
	CHECK_ADDR("", "", "");
	CHECK_ADDR("Route <@a.test,@b.test:user@c.test>", "Route <user@c.test>",
	    "user@c.test");
	CHECK_ADDR("=?utf-8?q?J=C3=BCrgen?= <j@x.test>",
	    "J\xc3\xbcrgen <j@x.test>", "j@x.test");
	CHECK_ADDR("\"=?utf-8?q?J=C3=BCrgen?=\" <j@x.test>",
	    "J\xc3\xbcrgen <j@x.test>", "j@x.test");
	CHECK_ADDR("\"Evil\x1b[2J\" <e@x.test>", "Evil <e@x.test>", "e@x.test");
}
END_TEST

static int
date(const char *s, time_t *t, int *z)
{
	return mime_date_parse(s, strlen(s), t, z);
}

#define CHECK_DATE(s, want, zone)                                              \
	do {                                                                   \
		time_t t_ = 0;                                                 \
		int z_ = 99999;                                                \
		ck_assert_msg(date(s, &t_, &z_) == 0, "not parsed: %s", s);    \
		ck_assert_msg((long long)t_ == (long long)(want), "%s: %lld",  \
		    s, (long long)t_);                                         \
		ck_assert_int_eq(z_, zone);                                    \
	} while (0)

START_TEST(test_dates)
{
	time_t t;
	int z;

	/* RFC 5322 appendix A */
	CHECK_DATE("Fri, 21 Nov 1997 09:55:06 -0600", 880127706, -360);
	CHECK_DATE("Tue, 1 Jul 2003 10:52:37 +0200", 1057049557, 120);
	CHECK_DATE("Thu, 13 Feb 1969 23:32:54 -0330", -27723426, -210);
	/* obsolete forms (RFC 5322 4.3) */
	CHECK_DATE("21 Nov 97 09:55:06 GMT", 880106106, 0);
	CHECK_DATE("Fri, 21 Nov 097 09:55:06 GMT", 880106106, 0);
	CHECK_DATE("Fri, 21 Nov 1997 09:55:06 EST", 880124106, -300);
	CHECK_DATE("Fri, 21 Nov 1997 09:55:06 Z", 880106106, 0);
	CHECK_DATE("Fri, 21 Nov 1997 09:55:06 A", 880106106, 0);
	CHECK_DATE("Fri, 21 Nov 1997 09:55 -0600", 880127700, -360);
	CHECK_DATE("Fri , 21 Nov 1997 09 : 55 : 06 -0600", 880127706, -360);
	CHECK_DATE("Fri, 21 Nov 1997 09:55:06 -0600 (CST)", 880127706, -360);
	CHECK_DATE("Friday, 21-Nov-97 09:55:06 GMT", 880106106, 0);
	CHECK_DATE("Fri Nov 21 09:55:06 1997", 880106106, 0);
	CHECK_DATE("Fri, 21 Nov 1997 09:55:06", 880106106, 0);
	CHECK_DATE("1 Jan 49 00:00:00 +0000", 2493072000LL, 0);
	CHECK_DATE("1 Jan 50 00:00:00 +0000", -631152000LL, 0);
	ck_assert_int_eq(date("not a date", &t, &z), -1);
	ck_assert_int_eq(date("", &t, &z), -1);
	ck_assert_int_eq(date("30 Feb 2001 10:00:00 +0000", &t, &z), -1);
	ck_assert_int_eq(date("1 Jan 2001 25:00:00 +0000", &t, &z), -1);
}
END_TEST

static char *
param(const char *value, const char *name)
{
	struct buf b = BUF_INIT;

	if (!mime_param(value, strlen(value), name, &b)) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

#define CHECK_PARAM(v, n, want)                                                \
	do {                                                                   \
		char *got_ = param(v, n);                                      \
		ck_assert_ptr_nonnull(got_);                                   \
		ck_assert_str_eq(got_, want);                                  \
		free(got_);                                                    \
	} while (0)

/* RFC 2231 sections 3, 4 and 5. */
START_TEST(test_rfc2231_examples)
{
	CHECK_PARAM(
	    "message/external-body; access-type=URL;\r\n"
	    " URL*0=\"ftp://\";\r\n"
	    " URL*1=\"cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar\"",
	    "url", "ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar");
	CHECK_PARAM("application/x-stuff;\r\n"
	            " title*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A",
	    "title", "This is ***fun***");
	CHECK_PARAM("application/x-stuff;\r\n"
	            " title*0*=us-ascii'en'This%20is%20even%20more%20;\r\n"
	            " title*1*=%2A%2A%2Afun%2A%2A%2A%20;\r\n"
	            " title*2=\"isn't it!\"",
	    "title", "This is even more ***fun*** isn't it!");
	CHECK_PARAM("message/external-body; access-type=URL;"
	            " URL*0=\"ftp://\"; URL*1=\"cs.utk.edu/pub\"",
	    "access-type", "URL");
}
END_TEST

START_TEST(test_params)
{
	char *p;

	CHECK_PARAM("attachment; filename*=UTF-8''%E2%82%AC.txt", "filename",
	    "\xe2\x82\xac.txt");
	CHECK_PARAM("attachment; filename*=iso-8859-1'de'%E4.txt", "filename",
	    "\xc3\xa4.txt");
	/* sections out of order, RFC 2047 inside quotes */
	CHECK_PARAM("a; n*1=\"b\"; n*0=\"a\"", "n", "ab");
	CHECK_PARAM("a; name=\"=?UTF-8?B?5pel5pys6Kqe?=.jpg\"", "name",
	    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e.jpg");
	CHECK_PARAM("a; NAME=\"q\\\"uo;te\"", "name", "q\"uo;te");
	CHECK_PARAM("text/plain;charset=utf-8", "charset", "utf-8");
	CHECK_PARAM(
	    "text/plain; charset = utf-8 ; format=flowed", "format", "flowed");
	/* the extended form wins over the plain one */
	CHECK_PARAM("a; filename=\"plain.txt\"; filename*=utf-8''ext.txt",
	    "filename", "ext.txt");
	p = param("text/plain; charset=utf-8", "name");
	ck_assert_ptr_null(p);
	p = param("a; name", "name");
	ck_assert_ptr_null(p);
	p = param("", "name");
	ck_assert_ptr_null(p);
}
END_TEST

START_TEST(test_headers)
{
	const char *m = "From nobody Mon Jan 1 00:00:00 2001\n"
	                "Subject: one\r\n two\r\n\tthree\r\n"
	                "X-Empty:\r\n"
	                "Content-Type : text/plain\n"
	                "SUBJECT: second\n"
	                "\n"
	                "body\n";
	struct mime_headers h;
	const struct mime_field *f;
	size_t off = mime_headers_parse(m, strlen(m), &h);

	ck_assert_str_eq(m + off, "body\n");
	ck_assert_uint_eq(h.n, 4);
	f = mime_headers_get(&h, "subject");
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->value, "one two\tthree");
	ck_assert_str_eq(mime_headers_get(&h, "x-empty")->value, "");
	ck_assert_str_eq(
	    mime_headers_get(&h, "content-type")->value, "text/plain");
	mime_headers_free(&h);
	/* no header at all */
	off = mime_headers_parse("just text\n", 10, &h);
	ck_assert_uint_eq(off, 0);
	ck_assert_uint_eq(h.n, 0);
	mime_headers_free(&h);
	/* a non-header line ends the header */
	m = "A: b\nthis is body\n";
	off = mime_headers_parse(m, strlen(m), &h);
	ck_assert_str_eq(m + off, "this is body\n");
	mime_headers_free(&h);
}
END_TEST

START_TEST(test_header_limits)
{
	struct buf m = BUF_INIT;
	struct mime_headers h;
	size_t i;

	for (i = 0; i < MIME_MAX_HEADERS + 50; i++)
		buf_printf(&m, "X-%zu: v\n", i);
	buf_addstr(&m, "Long: ");
	for (i = 0; i < 10000; i++)
		buf_addstr(&m, "0123456789\n ");
	buf_addstr(&m, "\n\nbody");
	mime_headers_parse(m.data, m.len, &h);
	ck_assert_uint_eq(h.n, MIME_MAX_HEADERS);
	mime_headers_free(&h);
	buf_free(&m);
}
END_TEST

START_TEST(test_summary)
{
	const char *m = "From: =?utf-8?q?Ren=C3=A9e?= <renee@x.test>\n"
	                "To: a@x.test, B <b@x.test>\n"
	                "Subject: =?utf-8?b?w6k=?= \x1b[31mhi\n"
	                "Date: Fri, 21 Nov 1997 09:55:06 -0600\n"
	                "Message-ID: <id1@x.test>\n"
	                "In-Reply-To: <id0@x.test> (comment)\n"
	                "References: <r1@x.test>\n <r2@x.test> <id0@x.test>\n"
	                "Content-Type: multipart/mixed; boundary=b\n\n"
	                "--b\nContent-Type: text/plain\n\nhi\n--b--\n";
	struct mime_summary *s;

	ck_assert_int_eq(mime_summary_parse(m, strlen(m), &s, NULL), 0);
	ck_assert_str_eq(s->from,
	    "Ren\xc3\xa9"
	    "e <renee@x.test>");
	ck_assert_str_eq(s->from_addr, "renee@x.test");
	ck_assert_str_eq(s->to, "a@x.test, B <b@x.test>");
	ck_assert_str_eq(s->cc, "");
	ck_assert_str_eq(s->subject, "\xc3\xa9 hi");
	ck_assert_int_eq(s->date_valid, 1);
	ck_assert_int_eq((long)s->date, 880127706L);
	ck_assert_int_eq(s->date_zone, -360);
	ck_assert_str_eq(s->message_id, "id1@x.test");
	ck_assert_uint_eq(s->n_in_reply_to, 1);
	ck_assert_str_eq(s->in_reply_to[0], "id0@x.test");
	ck_assert_uint_eq(s->n_references, 3);
	ck_assert_str_eq(s->references[2], "id0@x.test");
	/* multipart/mixed, but the body shows no attachment */
	ck_assert_int_eq(s->has_attachment, 0);
	mime_summary_free(&s);
	ck_assert_ptr_null(s);
	/* header only: the top Content-Type is the hint */
	m = "Subject: x\nContent-Type: multipart/mixed; boundary=b\n";
	ck_assert_int_eq(mime_summary_parse(m, strlen(m), &s, NULL), 0);
	ck_assert_int_eq(s->has_attachment, 1);
	ck_assert_int_eq(s->date_valid, 0);
	ck_assert_str_eq(s->message_id, "");
	mime_summary_free(&s);
	ck_assert_int_eq(mime_summary_parse(NULL, 0, &s, NULL), -1);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("mime_hdr");
	TCase *tc = tcase_create("all");

	tcase_add_test(tc, test_rfc2047_examples);
	tcase_add_test(tc, test_rfc2047_lenient);
	tcase_add_test(tc, test_addresses);
	tcase_add_test(tc, test_dates);
	tcase_add_test(tc, test_rfc2231_examples);
	tcase_add_test(tc, test_params);
	tcase_add_test(tc, test_headers);
	tcase_add_test(tc, test_header_limits);
	tcase_add_test(tc, test_summary);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
