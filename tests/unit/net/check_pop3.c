/* Unit tests of the POP3 parsers (net/pop3_parse.c). */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "net/pop3.h"

struct collect {
	struct buf out;
	size_t calls;
	size_t maxchunk;
	int fail_at; /* fail on this call (1-based), 0 never */
};

static int
collect_sink(void *ctx, const char *p, size_t len, struct error *err)
{
	struct collect *c = ctx;

	c->calls++;
	if (c->fail_at && (int)c->calls == c->fail_at)
		return error_set(err, "disk full");
	if (len > c->maxchunk)
		c->maxchunk = len;
	buf_add(&c->out, p, len);
	return 0;
}

/* Feeds data in pieces of step bytes (0: all at once).  Returns the
 * parser's last result; *used_r the total consumed. */
static int
feed(const char *data, size_t len, size_t step, enum pop3_ml_mode mode,
    size_t max_line, struct collect *c, size_t *used_r, struct error *err)
{
	struct pop3_ml *ml = malloc(sizeof(*ml));
	size_t off = 0, n, used;
	int rc = 0;

	pop3_ml_init(ml, mode, max_line, collect_sink, c);
	while (off < len) {
		n = step == 0 || step > len - off ? len - off : step;
		rc = pop3_ml_feed(ml, data + off, n, &used, err);
		if (rc < 0)
			break;
		off += used;
		if (rc > 0)
			break;
		ck_assert_uint_eq(used, n);
	}
	*used_r = off;
	free(ml);
	return rc;
}

static void
check_body(const char *wire, const char *expect, enum pop3_ml_mode mode)
{
	struct collect c1 = { BUF_INIT, 0, 0, 0 }, c2 = { BUF_INIT, 0, 0, 0 };
	struct error err;
	size_t used1, used2;
	int rc1, rc2;

	error_clear(&err);
	rc1 = feed(wire, strlen(wire), 0, mode, 1000, &c1, &used1, &err);
	rc2 = feed(wire, strlen(wire), 1, mode, 1000, &c2, &used2, &err);
	ck_assert_int_eq(rc1, 1);
	ck_assert_int_eq(rc2, 1);
	ck_assert_uint_eq(used1, used2);
	ck_assert_uint_eq(c1.out.len, strlen(expect));
	ck_assert_mem_eq(c1.out.data ? c1.out.data : "", expect, c1.out.len);
	ck_assert_uint_eq(c2.out.len, c1.out.len);
	ck_assert_mem_eq(c2.out.data ? c2.out.data : "",
	    c1.out.data ? c1.out.data : "", c1.out.len);
	buf_free(&c1.out);
	buf_free(&c2.out);
}

START_TEST(test_ml_basic)
{
	check_body("a\r\nb\r\n.\r\n", "a\nb\n", POP3_ML_LF);
	check_body("a\r\nb\r\n.\r\n", "a\r\nb\r\n", POP3_ML_RAW);
	check_body(".\r\n", "", POP3_ML_LF);
	check_body("\r\n.\r\n", "\n", POP3_ML_LF);
}
END_TEST

START_TEST(test_ml_unstuff)
{
	check_body("..\r\n.\r\n", ".\n", POP3_ML_LF);
	check_body("...x\r\n.\r\n", "..x\n", POP3_ML_LF);
	check_body(".a\r\n.\r\n", "a\n", POP3_ML_LF);
	check_body("a.\r\n.b.\r\n.\r\n", "a.\nb.\n", POP3_ML_LF);
	/* A lone CR stays, CR CR LF keeps one CR. */
	check_body("a\rb\r\r\n.\r\n", "a\rb\r\n", POP3_ML_LF);
	/* Bare LF line ends and a bare-LF terminator are tolerated. */
	check_body("a\nb\n.\n", "a\nb\n", POP3_ML_LF);
	/* ".\r" followed by more is no terminator. */
	check_body(".\rx\r\n.\r\n", "\rx\n", POP3_ML_LF);
}
END_TEST

START_TEST(test_ml_leftover)
{
	const char *wire = "x\r\n.\r\n+OK next\r\n";
	struct collect c = { BUF_INIT, 0, 0, 0 };
	struct error err;
	size_t used;

	ck_assert_int_eq(feed(wire, strlen(wire), 0, POP3_ML_LF, 100, &c,
	    &used, &err), 1);
	ck_assert_uint_eq(used, 6);
	ck_assert_str_eq(wire + used, "+OK next\r\n");
	buf_free(&c.out);
}
END_TEST

START_TEST(test_ml_unterminated)
{
	const char *wire = "a\r\nb\r\n";
	struct collect c = { BUF_INIT, 0, 0, 0 };
	struct error err;
	size_t used;

	/* No terminator: never done, whatever the split. */
	ck_assert_int_eq(feed(wire, strlen(wire), 0, POP3_ML_LF, 100, &c,
	    &used, &err), 0);
	ck_assert_int_eq(feed(wire, strlen(wire), 1, POP3_ML_LF, 100, &c,
	    &used, &err), 0);
	ck_assert_int_eq(feed("a\r\n.x", 5, 0, POP3_ML_LF, 100, &c, &used,
	    &err), 0);
	buf_free(&c.out);
}
END_TEST

START_TEST(test_ml_limit)
{
	struct collect c = { BUF_INIT, 0, 0, 0 };
	struct error err;
	size_t used;

	error_clear(&err);
	ck_assert_int_eq(feed("12345\r\n.\r\n", 10, 0, POP3_ML_LF, 5, &c,
	    &used, &err), 1);
	ck_assert_int_eq(feed("123456\r\n.\r\n", 11, 0, POP3_ML_LF, 5, &c,
	    &used, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "longer than 5"));
	error_clear(&err);
	ck_assert_int_eq(feed("123456\r\n.\r\n", 11, 1, POP3_ML_LF, 5, &c,
	    &used, &err), -1);
	/* A stuffed dot is not counted, CRs in the line are. */
	ck_assert_int_eq(feed(".12345\r\n.\r\n", 11, 1, POP3_ML_LF, 5, &c,
	    &used, &err), 1);
	ck_assert_int_eq(feed("1234\r\r\n.\r\n", 10, 1, POP3_ML_LF, 4, &c,
	    &used, &err), -1);
	buf_free(&c.out);
}
END_TEST

START_TEST(test_ml_sink_error)
{
	struct collect c = { BUF_INIT, 0, 0, 1 };
	struct error err;
	size_t used;

	error_clear(&err);
	ck_assert_int_eq(feed("a\r\n.\r\n", 6, 0, POP3_ML_LF, 100, &c, &used,
	    &err), -1);
	ck_assert_str_eq(err.msg, "disk full");
	buf_free(&c.out);
}
END_TEST

/* A large random body: chunks are bounded and every split agrees. */
START_TEST(test_ml_random_splits)
{
	struct buf wire = BUF_INIT, expect = BUF_INIT, raw = BUF_INIT;
	struct collect c;
	struct error err;
	size_t i, used, steps[] = { 0, 1, 3, 7, 4096, 65535, 65536, 100000 };
	unsigned seed = 42;
	const char alphabet[] = "ab.\r\n x";

	for (i = 0; i < 150000; i++) {
		char ch;

		seed = seed * 1103515245 + 12345;
		ch = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		buf_addch(&expect, ch);
	}
	/* Wire form: CRLF line ends, dots stuffed, terminator. */
	for (i = 0; i < expect.len; i++) {
		char ch = expect.data[i];

		if ((i == 0 || wire.data[wire.len - 1] == '\n') && ch == '.')
			buf_addch(&wire, '.');
		if (ch == '\n' && (wire.len == 0 ||
		    wire.data[wire.len - 1] != '\r')) {
			buf_addch(&wire, '\r');
			buf_addch(&raw, '\r');
		}
		buf_addch(&wire, ch);
		buf_addch(&raw, ch);
	}
	if (wire.data[wire.len - 1] != '\n') {
		buf_addstr(&wire, "\r\n");
		buf_addstr(&raw, "\r\n");
	}
	buf_addstr(&wire, ".\r\n");
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		memset(&c, 0, sizeof(c));
		error_clear(&err);
		ck_assert_int_eq(feed(wire.data, wire.len, steps[i],
		    POP3_ML_RAW, 1000000, &c, &used, &err), 1);
		ck_assert_uint_eq(used, wire.len);
		ck_assert_uint_le(c.maxchunk, POP3_CHUNK);
		/* RAW mode returns the unstuffed CRLF text. */
		ck_assert_uint_eq(c.out.len, raw.len);
		ck_assert(memcmp(c.out.data, raw.data, raw.len) == 0);
		buf_free(&c.out);
	}
	buf_free(&wire);
	buf_free(&expect);
	buf_free(&raw);
}
END_TEST

START_TEST(test_status)
{
	struct pop3_status st;
	const char *l;

	ck_assert_int_eq(pop3_status_parse("+OK", 3, &st), 1);
	ck_assert_int_eq(st.kind, POP3_OK);
	ck_assert_uint_eq(st.text_len, 0);
	l = "+OK 2 320";
	ck_assert_int_eq(pop3_status_parse(l, strlen(l), &st), 1);
	ck_assert_uint_eq(st.text_len, 5);
	ck_assert_mem_eq(st.text, "2 320", 5);
	l = "-ERR [IN-USE] Mailbox locked";
	ck_assert_int_eq(pop3_status_parse(l, strlen(l), &st), 1);
	ck_assert_int_eq(st.kind, POP3_ERR);
	ck_assert_str_eq(st.code, "IN-USE");
	ck_assert_mem_eq(st.text, "Mailbox locked", st.text_len);
	l = "-ERR [SYS/TEMP]";
	ck_assert_int_eq(pop3_status_parse(l, strlen(l), &st), 1);
	ck_assert_str_eq(st.code, "SYS/TEMP");
	ck_assert_uint_eq(st.text_len, 0);
	l = "-ERR [unterminated code";
	ck_assert_int_eq(pop3_status_parse(l, strlen(l), &st), 1);
	ck_assert_str_eq(st.code, "");
	ck_assert_int_eq(pop3_status_parse("+ ", 2, &st), 1);
	ck_assert_int_eq(st.kind, POP3_CONT);
	ck_assert_int_eq(pop3_status_parse("+OKAY", 5, &st), -1);
	ck_assert_int_eq(pop3_status_parse("-ERROR", 6, &st), -1);
	ck_assert_int_eq(pop3_status_parse("* OK", 4, &st), -1);
	ck_assert_int_eq(pop3_status_parse("", 0, &st), -1);
}
END_TEST

START_TEST(test_status_error)
{
	static const struct {
		const char *line, *words;
	} cases[] = {
		{ "-ERR [IN-USE] locked", "in use by another session" },
		{ "-ERR [LOGIN-DELAY] wait", "another login so soon" },
		{ "-ERR [AUTH] Authentication failed.",
		    "rejected the user name or password" },
		{ "-ERR [SYS/TEMP] x", "temporary problem" },
		{ "-ERR [SYS/PERM] x", "permanent problem" },
		{ "-ERR nope", "the server refused" },
	};
	struct pop3_status st;
	struct error err;
	size_t i;
	const char *esc = "-ERR [AUTH] bad\x1b[31mred\x07";

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		error_clear(&err);
		pop3_status_parse(cases[i].line, strlen(cases[i].line), &st);
		ck_assert_int_eq(pop3_status_error(&st, "login failed", 1,
		    &err), -1);
		ck_assert_msg(strstr(err.msg, cases[i].words) != NULL, "%s",
		    err.msg);
		ck_assert(strncmp(err.msg, "login failed: ", 14) == 0);
	}
	/* Hidden text before TLS; cleaned text otherwise. */
	pop3_status_parse(esc, strlen(esc), &st);
	pop3_status_error(&st, "x", 0, &err);
	ck_assert_ptr_null(strstr(err.msg, "bad"));
	pop3_status_error(&st, "x", 1, &err);
	ck_assert_ptr_nonnull(strstr(err.msg, "bad"));
	ck_assert_ptr_null(strchr(err.msg, '\x1b'));
	ck_assert_ptr_null(strchr(err.msg, '\x07'));
}
END_TEST

START_TEST(test_capa)
{
	unsigned caps = 0;

	pop3_capa_line("TOP", 3, &caps);
	pop3_capa_line("uidl", 4, &caps);
	pop3_capa_line("SASL LOGIN plain", 16, &caps);
	pop3_capa_line("PIPELINING", 10, &caps);
	pop3_capa_line("STLSX", 5, &caps);
	ck_assert_uint_eq(caps, POP3_CAP_TOP | POP3_CAP_UIDL |
	    POP3_CAP_SASL_PLAIN | POP3_CAP_PIPELINING);
	caps = 0;
	pop3_capa_line("SASL PLAINX", 11, &caps);
	pop3_capa_line("STLS", 4, &caps);
	pop3_capa_line("USER", 4, &caps);
	ck_assert_uint_eq(caps, POP3_CAP_STLS | POP3_CAP_USER);
	/* RFC 6856: UTF8 alone or with USER; LANG is known to be ignored. */
	caps = 0;
	pop3_capa_line("UTF8 USER", 9, &caps);
	ck_assert_uint_eq(caps, POP3_CAP_UTF8);
	caps = 0;
	pop3_capa_line("utf8", 4, &caps);
	pop3_capa_line("LANG", 4, &caps);
	pop3_capa_line("UTF8X", 5, &caps);
	ck_assert_uint_eq(caps, POP3_CAP_UTF8);
}
END_TEST

START_TEST(test_list_uidl_lines)
{
	char uidl[POP3_UIDL_MAX + 1], big[100];
	unsigned num;
	uint64_t size;

	ck_assert_int_eq(pop3_list_line("1 100", 5, &num, &size), 1);
	ck_assert_uint_eq(num, 1);
	ck_assert_uint_eq(size, 100);
	ck_assert_int_eq(pop3_list_line("7 5 extra", 9, &num, &size), 1);
	ck_assert_int_eq(pop3_list_line("0 1", 3, &num, &size), -1);
	ck_assert_int_eq(pop3_list_line("1  1", 4, &num, &size), -1);
	ck_assert_int_eq(pop3_list_line("1 x", 3, &num, &size), -1);
	ck_assert_int_eq(pop3_list_line("-1 1", 4, &num, &size), -1);
	ck_assert_int_eq(pop3_list_line("99999999999999999999 1", 22, &num,
	    &size), -1);
	ck_assert_int_eq(pop3_list_line("1 99999999999999999999", 22, &num,
	    &size), -1);
	ck_assert_int_eq(pop3_uidl_line("3 abc-XYZ.1", 11, &num, uidl), 1);
	ck_assert_uint_eq(num, 3);
	ck_assert_str_eq(uidl, "abc-XYZ.1");
	ck_assert_int_eq(pop3_uidl_line("3 a b", 5, &num, uidl), -1);
	ck_assert_int_eq(pop3_uidl_line("3 ", 2, &num, uidl), -1);
	ck_assert_int_eq(pop3_uidl_line("3 a\x7f", 4, &num, uidl), -1);
	ck_assert_int_eq(pop3_uidl_line("3 \xc3\xa9", 4, &num, uidl), -1);
	memset(big, 'u', sizeof(big));
	big[0] = '1';
	big[1] = ' ';
	ck_assert_int_eq(pop3_uidl_line(big, 72, &num, uidl), 1);
	ck_assert_uint_eq(strlen(uidl), 70);
	ck_assert_int_eq(pop3_uidl_line(big, 73, &num, uidl), -1);
}
END_TEST

START_TEST(test_apop_stamp)
{
	struct buf b = BUF_INIT;
	const char *g = "+OK POP3 ready <1896.697170952@dbc.mtview.ca.us>";

	ck_assert_int_eq(pop3_apop_stamp(g, strlen(g), &b), 1);
	ck_assert_str_eq(b.data, "<1896.697170952@dbc.mtview.ca.us>");
	ck_assert_int_eq(pop3_apop_stamp("+OK hi", 6, &b), 0);
	ck_assert_int_eq(pop3_apop_stamp("+OK <noat>", 10, &b), 0);
	ck_assert_int_eq(pop3_apop_stamp("+OK <a b@c>", 11, &b), 0);
	buf_free(&b);
}
END_TEST

/* RFC 1939's example. */
START_TEST(test_apop_digest)
{
	const char *stamp = "<1896.697170952@dbc.mtview.ca.us>";
	char out[33];

	ck_assert_int_eq(pop3_apop_digest(stamp, strlen(stamp), "tanstaaf",
	    out), 0);
	ck_assert_str_eq(out, "c4c9334bac560ecc979e58001b3e22fb");
}
END_TEST

START_TEST(test_check_uidls)
{
	struct pop3_msg m[3];
	struct error err;

	memset(m, 0, sizeof(m));
	m[0].num = 1;
	m[1].num = 2;
	m[2].num = 3;
	strcpy(m[0].uidl, "a");
	strcpy(m[1].uidl, "b");
	strcpy(m[2].uidl, "c");
	error_clear(&err);
	ck_assert_int_eq(pop3_check_uidls(m, 3, &err), 0);
	strcpy(m[2].uidl, "a");
	ck_assert_int_eq(pop3_check_uidls(m, 3, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "messages 1 and 3 the same "
	    "UIDL"));
	m[2].uidl[0] = '\0';
	ck_assert_int_eq(pop3_check_uidls(m, 3, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "message 3 without a UIDL"));
	ck_assert_int_eq(pop3_check_uidls(m, 0, &err), 0);
}
END_TEST

static Suite *
pop3_suite(void)
{
	Suite *s = suite_create("pop3");
	TCase *tc = tcase_create("parse");

	tcase_set_timeout(tc, 60);

	tcase_add_test(tc, test_ml_basic);
	tcase_add_test(tc, test_ml_unstuff);
	tcase_add_test(tc, test_ml_leftover);
	tcase_add_test(tc, test_ml_unterminated);
	tcase_add_test(tc, test_ml_limit);
	tcase_add_test(tc, test_ml_sink_error);
	tcase_add_test(tc, test_ml_random_splits);
	tcase_add_test(tc, test_status);
	tcase_add_test(tc, test_status_error);
	tcase_add_test(tc, test_capa);
	tcase_add_test(tc, test_list_uidl_lines);
	tcase_add_test(tc, test_apop_stamp);
	tcase_add_test(tc, test_apop_digest);
	tcase_add_test(tc, test_check_uidls);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(pop3_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
