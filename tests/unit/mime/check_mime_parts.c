/*
 * Unit tests of the part list (mime_parts_parse and its accessors) and
 * of mboxrd entries (mime_mbox_entry): the tree order and depths, sizes
 * of decoded bodies, cleaned names and charsets, a part alone as a
 * message, From_ lines and ">From " quoting.
 */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "mime/mime.h"

static const char msg[] =
    "From: Ann <ann@example.org>\r\n"
    "Subject: parts\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"o\"\r\n"
    "\r\n"
    "--o\r\n"
    "Content-Type: multipart/alternative; boundary=\"i\"\r\n"
    "\r\n"
    "--i\r\n"
    "Content-Type: text/plain; charset=\"iso-8859-1\"\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "caf=E9\r\n"
    "--i\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "\r\n"
    "<p>html</p>\r\n"
    "--i--\r\n"
    "--o\r\n"
    "Content-Type: application/octet-stream; name=\"x\"\r\n"
    "Content-Disposition: attachment; filename=\"../../e\x1b[31mvil\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "AAECAwQ=\r\n"
    "--o\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "From: Bob <bob@example.org>\r\n"
    "Subject: inner\r\n"
    "\r\n"
    "inner body\r\n"
    "--o--\r\n";

START_TEST(test_tree)
{
	struct mime_parts *ps;
	struct error err;
	struct buf b = BUF_INIT;
	static const struct {
		int depth;
		const char *type;
		int container;
	} want[] = {
		{ 0, "multipart/mixed", 1 },
		{ 1, "multipart/alternative", 1 },
		{ 2, "text/plain", 0 },
		{ 2, "text/html", 0 },
		{ 1, "application/octet-stream", 0 },
		{ 1, "message/rfc822", 1 },
		{ 2, "text/plain", 0 },
	};
	size_t i;

	error_clear(&err);
	ck_assert_int_eq(mime_parts_parse(msg, sizeof(msg) - 1, &ps, &err), 0);
	ck_assert_uint_eq(ps->n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < ps->n; i++) {
		ck_assert_int_eq(ps->v[i].depth, want[i].depth);
		ck_assert_str_eq(ps->v[i].type, want[i].type);
		ck_assert_int_eq(ps->v[i].container, want[i].container);
	}
	ck_assert_str_eq(ps->v[2].charset, "iso-8859-1");
	/* "caf\xe9": the CRLF before a delimiter is the delimiter's */
	ck_assert_uint_eq(ps->v[2].size, 4);
	ck_assert_uint_eq(ps->v[4].size, 5);
	ck_assert_int_eq(ps->v[4].attachment, 1);
	/* cleaned for a terminal: the escape is gone */
	ck_assert_ptr_null(strchr(ps->v[4].name, '\x1b'));
	ck_assert_ptr_nonnull(strstr(ps->v[4].name, "vil"));

	ck_assert_int_eq(mime_part_data(ps, 4, &b, &err), 0);
	ck_assert_uint_eq(b.len, 5);
	ck_assert_int_eq(memcmp(b.data, "\0\1\2\3\4", 5), 0);
	buf_reset(&b);
	ck_assert_int_eq(mime_part_data(ps, 2, &b, &err), 0);
	ck_assert_str_eq(buf_cstr(&b), "caf\xe9");
	buf_reset(&b);
	ck_assert_int_eq(mime_part_data(ps, 7, &b, &err), -1);

	/* a part alone renders as the part */
	ck_assert_int_eq(mime_part_message(ps, 2, &b, &err), 0);
	ck_assert_ptr_nonnull(strstr(buf_cstr(&b), "Content-Transfer-Encoding"
	    ": quoted-printable\n\ncaf=E9"));
	buf_reset(&b);
	ck_assert_int_eq(mime_part_message(ps, 5, &b, &err), 0);
	ck_assert(strncmp(buf_cstr(&b), "From: Bob", 9) == 0);
	buf_reset(&b);
	ck_assert_int_eq(mime_part_param(ps, 4, "name", &b), 1);
	ck_assert_str_eq(buf_cstr(&b), "x");
	buf_free(&b);
	mime_parts_free(&ps);
	ck_assert_ptr_null(ps);
}
END_TEST

START_TEST(test_plain)
{
	struct mime_parts *ps;
	struct error err;
	static const char m[] = "Subject: x\n\nhello\n";

	error_clear(&err);
	ck_assert_int_eq(mime_parts_parse(m, sizeof(m) - 1, &ps, &err), 0);
	ck_assert_uint_eq(ps->n, 1);
	ck_assert_str_eq(ps->v[0].type, "text/plain");
	ck_assert_uint_eq(ps->v[0].size, 6);
	mime_parts_free(&ps);
	ck_assert_int_eq(mime_parts_parse(NULL, 0, &ps, &err), -1);
}
END_TEST

/* Nested as deep as the parser goes: every level listed. */
START_TEST(test_deep)
{
	struct buf m = BUF_INIT;
	struct mime_parts *ps;
	struct error err;
	int i;

	for (i = 0; i < 40; i++)
		buf_printf(&m, "Content-Type: multipart/mixed; boundary=b%d\n\n"
		    "--b%d\n", i, i);
	buf_addstr(&m, "\nleaf\n");
	error_clear(&err);
	ck_assert_int_eq(mime_parts_parse(m.data, m.len, &ps, &err), 0);
	ck_assert_uint_ge(ps->n, MIME_MAX_DEPTH - 1);
	for (i = 1; (size_t)i < ps->n; i++)
		ck_assert_int_eq(ps->v[i].depth, ps->v[i - 1].depth + 1);
	mime_parts_free(&ps);
	buf_free(&m);
}
END_TEST

START_TEST(test_mbox)
{
	struct buf b = BUF_INIT;
	static const char m[] =
	    "Return-Path: <bounce@example.org>\r\n"
	    "From: Ann <ann@example.org>\r\n"
	    "Date: Mon, 23 Nov 2026 10:00:00 +0100\r\n"
	    "\r\n"
	    "From here\r\n"
	    ">From there\r\n"
	    "no From at start\r\n"
	    "last";

	mime_mbox_entry(m, sizeof(m) - 1, 0, &b);
	ck_assert_str_eq(buf_cstr(&b),
	    "From bounce@example.org Mon Nov 23 09:00:00 2026\n"
	    "Return-Path: <bounce@example.org>\n"
	    "From: Ann <ann@example.org>\n"
	    "Date: Mon, 23 Nov 2026 10:00:00 +0100\n"
	    "\n"
	    ">From here\n"
	    ">>From there\n"
	    "no From at start\n"
	    "last\n"
	    "\n");
	buf_reset(&b);
	/* no usable sender, no date: MAILER-DAEMON and now; an old From_
	 * line is replaced */
	mime_mbox_entry("From x y\nFrom: <a b>\n\nhi\n", 25, 86400, &b);
	ck_assert_str_eq(buf_cstr(&b),
	    "From MAILER-DAEMON Fri Jan  2 00:00:00 1970\n"
	    "From: <a b>\n\nhi\n\n");
	buf_free(&b);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("mime_parts");
	TCase *tc = tcase_create("all");

	tcase_add_test(tc, test_tree);
	tcase_add_test(tc, test_plain);
	tcase_add_test(tc, test_deep);
	tcase_add_test(tc, test_mbox);
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
