/* Unit tests of the SMTP engine's pure parts (net/smtp_parse.c). */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "net/smtp.h"

static int
feed(struct smtp_reply *r, const char *line, int enh)
{
	return smtp_reply_feed(r, line, strlen(line), enh);
}

START_TEST(reply_single)
{
	struct smtp_reply r;

	smtp_reply_init(&r);
	ck_assert_int_eq(feed(&r, "250 2.1.0 Ok", 1), 1);
	ck_assert_int_eq(r.code, 250);
	ck_assert_str_eq(r.enhanced, "2.1.0");
	ck_assert_str_eq(buf_cstr(&r.text), "Ok");
	/* Without ENHANCEDSTATUSCODES the text is left alone. */
	ck_assert_int_eq(feed(&r, "250 2.1.0 Ok", 0), 1);
	ck_assert_str_eq(r.enhanced, "");
	ck_assert_str_eq(buf_cstr(&r.text), "2.1.0 Ok");
	/* A bare code is a whole reply. */
	ck_assert_int_eq(feed(&r, "354", 1), 1);
	ck_assert_int_eq(r.code, 354);
	ck_assert_str_eq(buf_cstr(&r.text), "");
	smtp_reply_free(&r);
}
END_TEST

START_TEST(reply_multi)
{
	struct smtp_reply r;

	smtp_reply_init(&r);
	ck_assert_int_eq(feed(&r, "250-smtp.example.org", 0), 0);
	ck_assert_int_eq(feed(&r, "250-PIPELINING", 0), 0);
	ck_assert_int_eq(feed(&r, "250 SIZE 100", 0), 1);
	ck_assert_int_eq(r.nlines, 3);
	ck_assert_str_eq(buf_cstr(&r.text),
	    "smtp.example.org\nPIPELINING\nSIZE 100");
	/* The next feed starts a new reply. */
	ck_assert_int_eq(feed(&r, "221 bye", 0), 1);
	ck_assert_int_eq(r.nlines, 1);
	ck_assert_str_eq(buf_cstr(&r.text), "bye");
	smtp_reply_free(&r);
}
END_TEST

START_TEST(reply_malformed)
{
	static const char *const bad[] = { "", "25", "abc", "250x", "199 x",
		"600 x", "2a0 x", "250\tx", "-250 x" };
	struct smtp_reply r;
	size_t i;
	int k;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		smtp_reply_init(&r);
		ck_assert_msg(feed(&r, bad[i], 1) == -1, "'%s' accepted",
		    bad[i]);
		smtp_reply_free(&r);
	}
	/* The code may not change between the lines of one reply. */
	smtp_reply_init(&r);
	ck_assert_int_eq(feed(&r, "250-a", 0), 0);
	ck_assert_int_eq(feed(&r, "251 b", 0), -1);
	smtp_reply_free(&r);
	/* A reply may not go on for ever. */
	smtp_reply_init(&r);
	for (k = 0; k < SMTP_MAX_REPLY_LINES; k++)
		ck_assert_int_eq(feed(&r, "250-x", 0), 0);
	ck_assert_int_eq(feed(&r, "250 x", 0), -1);
	smtp_reply_free(&r);
}
END_TEST

START_TEST(reply_enhanced_shapes)
{
	struct smtp_reply r;

	smtp_reply_init(&r);
	ck_assert_int_eq(feed(&r, "550 5.1.10 Recipient unknown", 1), 1);
	ck_assert_str_eq(r.enhanced, "5.1.10");
	ck_assert_str_eq(buf_cstr(&r.text), "Recipient unknown");
	/* Not enhanced codes: wrong class, four digits, no space after. */
	ck_assert_int_eq(feed(&r, "550 3.1.1 x", 1), 1);
	ck_assert_str_eq(r.enhanced, "");
	ck_assert_int_eq(feed(&r, "550 5.1.1234 x", 1), 1);
	ck_assert_str_eq(r.enhanced, "");
	ck_assert_int_eq(feed(&r, "550 5.1.1x", 1), 1);
	ck_assert_str_eq(r.enhanced, "");
	ck_assert_str_eq(buf_cstr(&r.text), "5.1.1x");
	smtp_reply_free(&r);
}
END_TEST

static void
ehlo(const char *const *lines, struct smtp_caps *caps)
{
	struct smtp_reply r;

	smtp_reply_init(&r);
	for (; lines[1] != NULL; lines++)
		ck_assert_int_eq(feed(&r, *lines, 0), 0);
	ck_assert_int_eq(feed(&r, *lines, 0), 1);
	smtp_ehlo_parse(&r, caps);
	smtp_reply_free(&r);
}

START_TEST(ehlo_keywords)
{
	static const char *const postfix[] = { "250-localhost",
		"250-PIPELINING", "250-SIZE 1048576", "250-VRFY",
		"250-ETRN", "250-STARTTLS", "250-ENHANCEDSTATUSCODES",
		"250-8BITMIME", "250-DSN", "250-SMTPUTF8",
		"250 CHUNKING", NULL };
	static const char *const auth[] = { "250-mx STARTTLS SIZE",
		"250-auth plain login cram-md5 xoauth2 OAuthBearer",
		"250 size", NULL };
	static const char *const old[] = { "250-mx", "250-AUTH=LOGIN",
		"250 SIZE 99999999999999999999999", NULL };
	struct smtp_caps c;

	ehlo(postfix, &c);
	ck_assert_uint_eq(c.ext, SMTP_EXT_PIPELINING | SMTP_EXT_SIZE |
	    SMTP_EXT_STARTTLS | SMTP_EXT_ENHANCEDSTATUSCODES |
	    SMTP_EXT_8BITMIME | SMTP_EXT_DSN | SMTP_EXT_SMTPUTF8 |
	    SMTP_EXT_CHUNKING);
	ck_assert_uint_eq(c.size_max, 1048576);
	ck_assert_uint_eq(c.auth, 0);
	/* The greeting line's words are not keywords; case does not
	 * matter; SIZE without a number means no limit. */
	ehlo(auth, &c);
	ck_assert_uint_eq(c.ext, SMTP_EXT_AUTH | SMTP_EXT_SIZE);
	ck_assert_uint_eq(c.auth, SMTP_AUTH_PLAIN | SMTP_AUTH_LOGIN |
	    SMTP_AUTH_XOAUTH2 | SMTP_AUTH_OAUTHBEARER |
	    SMTP_AUTH_OTHER);
	ck_assert_uint_eq(c.size_max, 0);
	/* AUTH=, and a SIZE that does not fit: no limit, no overflow. */
	ehlo(old, &c);
	ck_assert_uint_eq(c.auth, SMTP_AUTH_LOGIN);
	ck_assert_uint_eq(c.size_max, 0);
	ck_assert(c.ext & SMTP_EXT_SIZE);
}
END_TEST

static void
check_encode(const char *in, const char *want)
{
	struct smtp_body_info bi;
	struct buf out = BUF_INIT;

	smtp_body_encode(in, strlen(in), &out);
	ck_assert_str_eq(buf_cstr(&out), want);
	smtp_body_scan(in, strlen(in), &bi);
	ck_assert_uint_eq(bi.wire_len, out.len);
	buf_free(&out);
}

START_TEST(body_encoding)
{
	check_encode("a\nb\n", "a\r\nb\r\n");
	check_encode("a\r\nb", "a\r\nb\r\n");       /* final CRLF added */
	check_encode("a\rb\r\n", "a\r\nb\r\n");     /* a bare CR ends a line */
	check_encode(".\n", "..\r\n");              /* never the terminator */
	check_encode("..x\n.y\nz.\n", "...x\r\n..y\r\nz.\r\n");
	check_encode("h: v\n\n\n", "h: v\r\n\r\n\r\n");
	check_encode("x\r\n.\r\n", "x\r\n..\r\n");
}
END_TEST

START_TEST(body_scan)
{
	struct smtp_body_info bi;
	char *big = malloc(3000);

	smtp_body_scan("Subject: \xc3\xa4\n\nok\n", 16, &bi);
	ck_assert(bi.eight_bit && bi.header_8bit);
	smtp_body_scan("Subject: a\n\n\xc3\xa4\n", 16, &bi);
	ck_assert(bi.eight_bit && !bi.header_8bit);
	smtp_body_scan("a\nb\0c\n", 6, &bi);
	ck_assert_uint_eq(bi.nul_line, 2);
	ck_assert_uint_eq(bi.lines, 2);
	/* 998 octets are allowed, 999 are not; the line is named. */
	memset(big, 'x', 3000);
	big[0] = 'a', big[1] = '\n';
	big[2 + 998] = '\n';
	smtp_body_scan(big, 2 + 998 + 1, &bi);
	ck_assert_uint_eq(bi.long_line, 0);
	big[2 + 998] = 'x';
	big[2 + 999] = '\n';
	smtp_body_scan(big, 2 + 999 + 1, &bi);
	ck_assert_uint_eq(bi.long_line, 2);
	/* The line end does not count, whatever it is. */
	big[2 + 998] = '\r';
	smtp_body_scan(big, 2 + 999 + 1, &bi);
	ck_assert_uint_eq(bi.long_line, 0);
	free(big);
}
END_TEST

START_TEST(addresses)
{
	int u;

	ck_assert(smtp_addr_ok("alice@example.org", 0, &u) && !u);
	ck_assert(smtp_addr_ok("", 1, &u));
	ck_assert(!smtp_addr_ok("", 0, &u));
	ck_assert(smtp_addr_ok("j\xc3\xb6rg@example.org", 0, &u) && u);
	ck_assert(!smtp_addr_ok("a@b>\r\nRCPT TO:<c@d", 0, &u));
	ck_assert(!smtp_addr_ok("a b@c", 0, &u));
	ck_assert(!smtp_addr_ok("<a@b>", 0, &u));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("smtp");
	TCase *tc = tcase_create("parse");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, reply_single);
	tcase_add_test(tc, reply_multi);
	tcase_add_test(tc, reply_malformed);
	tcase_add_test(tc, reply_enhanced_shapes);
	tcase_add_test(tc, ehlo_keywords);
	tcase_add_test(tc, body_encoding);
	tcase_add_test(tc, body_scan);
	tcase_add_test(tc, addresses);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
