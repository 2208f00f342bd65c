/* mime/submit7.c: an 8-bit message made 7-bit for a server without
 * 8BITMIME.  Every case goes back through the MIME reader (mime_tree,
 * the transfer decoders, the header summary): what a recipient decodes
 * must be the original's bytes. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "mime/mime.h"
#include "mime/mime_int.h"
#include "mime/submit.h"

/* 7-bit, CRLF only, no line over 998 octets: what SMTP without
 * 8BITMIME may carry. */
static void
assert_wire_7bit(const struct buf *b)
{
	size_t i, col = 0;

	for (i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->data[i];

		ck_assert_msg(c < 0x80, "8-bit byte at %zu", i);
		if (c == '\n') {
			ck_assert_msg(i > 0 && b->data[i - 1] == '\r',
			    "bare LF at %zu", i);
			col = 0;
		} else
			ck_assert_msg(++col <= 999, "long line at %zu", i);
	}
}

static void
lf(struct buf *b)
{
	size_t i, j;

	for (i = j = 0; i < b->len; i++)
		if (!(b->data[i] == '\r' && i + 1 < b->len &&
		    b->data[i + 1] == '\n'))
			b->data[j++] = b->data[i];
	b->len = j;
}

/* Leaf by leaf, in order: the same type and the same decoded bytes. */
static void
same_leaves(const struct mime_part *a, const struct mime_part *b)
{
	struct buf da = BUF_INIT, db = BUF_INIT;

	for (; a || b; a = a->next, b = b->next) {
		ck_assert_msg(a && b, "the part counts differ");
		ck_assert_str_eq(a->type, b->type);
		if (a->child || b->child) {
			same_leaves(a->child, b->child);
			continue;
		}
		buf_reset(&da);
		buf_reset(&db);
		mime_cte_decode(a->cte, a->body, a->body_len, &da);
		mime_cte_decode(b->cte, b->body, b->body_len, &db);
		/* Text's line end is CRLF on the wire, whatever the reader
		 * makes of it (the QP decoder gives LF). */
		if (strncmp(a->type, "text/", 5) == 0) {
			lf(&da);
			lf(&db);
		}
		ck_assert_msg(da.len == db.len && memcmp(da.data ? da.data : "",
		    db.data ? db.data : "", da.len) == 0,
		    "part %s decodes differently: %zu vs %zu bytes", a->type,
		    da.len, db.len);
	}
	buf_free(&da);
	buf_free(&db);
}

/* Converts raw, checks the result is wire-safe and decodes as raw does;
 * returns it (free with buf_free). */
static struct buf
round_trip(const char *raw)
{
	struct buf out = BUF_INIT;
	struct mime_tree *ta, *tb;
	struct error err;

	error_clear(&err);
	ck_assert_msg(mime_submission_7bit(raw, strlen(raw), &out, &err) == 0,
	    "%s", err.msg);
	assert_wire_7bit(&out);
	ta = mime_tree_parse(raw, strlen(raw));
	tb = mime_tree_parse(out.data, out.len);
	same_leaves(ta->root, tb->root);
	mime_tree_free(&ta);
	mime_tree_free(&tb);
	return out;
}

static int
has(const struct buf *b, const char *needle)
{
	return memmem(b->data, b->len, needle, strlen(needle)) != NULL;
}

START_TEST(text_part_quoted_printable)
{
	const char *raw = "From: a@example.org\r\nTo: b@example.org\r\n"
	    "Subject: plain\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n\r\n"
	    "Gr\xc3\xbc\xc3\x9f" "e aus M\xc3\xbcnchen \r\n"
	    "From here a line\r\n"
	    ".a dot line\r\n"
	    "a long line \xe2\x82\xac with euros \xe2\x82\xac and more "
	    "words \xe2\x82\xac that go past seventy-six columns\r\n";
	struct buf out = round_trip(raw);

	ck_assert(has(&out, "Content-Transfer-Encoding: quoted-printable"
	    "\r\n\r\n"));
	ck_assert(!has(&out, "8bit"));
	/* The fields before it, byte for byte and in order. */
	ck_assert(has(&out, "Subject: plain\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"));
	buf_free(&out);
}
END_TEST

START_TEST(multipart_binary_and_untouched)
{
	char bin[129];
	struct buf raw = BUF_INIT, out;
	const char *seven = "Content-Type: application/pdf\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n"
	    "JVBERi0xLjQK\r\n";
	int i;

	for (i = 0; i < 128; i++)
		bin[i] = (char)(0x80 + i);
	bin[128] = '\0';
	buf_addstr(&raw, "From: a@example.org\r\nTo: b@example.org\r\n"
	    "Subject: parts\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=\"=-b\"\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n\r\n"
	    "preamble\r\n--=-b\r\n"
	    "Content-Type: text/plain; charset=iso-8859-1\r\n\r\n"
	    "caf\xe9 cr\xe8me\r\n"
	    "--=-b\r\n");
	buf_addstr(&raw, seven);
	buf_addstr(&raw, "--=-b\r\nContent-Type: application/octet-stream"
	    "\r\nContent-Disposition: attachment; filename=x.bin\r\n\r\n");
	buf_addstr(&raw, bin);
	buf_addstr(&raw, "\r\n--=-b--\r\nepilogue\r\n");
	out = round_trip(buf_cstr(&raw));
	/* The 7-bit part goes as it was; the binary one in base64; the
	 * multipart is 7bit now. */
	ck_assert(has(&out, seven));
	ck_assert(has(&out, "filename=x.bin\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n"));
	ck_assert(has(&out, "charset=iso-8859-1\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\ncaf=E9"));
	ck_assert(has(&out, "boundary=\"=-b\"\r\n"
	    "Content-Transfer-Encoding: 7bit\r\n\r\npreamble\r\n--=-b\r\n"));
	ck_assert(has(&out, "\r\n--=-b--\r\nepilogue\r\n"));
	buf_free(&raw);
	buf_free(&out);
}
END_TEST

START_TEST(headers_encoded)
{
	const char *raw = "From: J\xc3\xbcrgen M\xc3\xbcller <j@example.org>\r\n"
	    "To: \"Bob, the \xc3\xa9lu\" <b@example.org>, c@example.org\r\n"
	    "Subject: Gr\xc3\xbc\xc3\x9f" "e\r\n"
	    "X-Note: caf\xc3\xa9\r\n"
	    "Message-ID: <1@example.org>\r\n\r\n"
	    "body\r\n";
	struct mime_summary *sum = NULL;
	struct error err;
	struct buf out = round_trip(raw);

	error_clear(&err);
	ck_assert_int_eq(mime_summary_parse(out.data, out.len, &sum, &err), 0);
	ck_assert_str_eq(sum->subject, "Gr\xc3\xbc\xc3\x9f" "e");
	ck_assert_str_eq(sum->from, "J\xc3\xbcrgen M\xc3\xbcller "
	    "<j@example.org>");
	ck_assert_str_eq(sum->from_addr, "j@example.org");
	ck_assert_ptr_nonnull(strstr(sum->to, "Bob, the \xc3\xa9lu"));
	ck_assert_ptr_nonnull(strstr(sum->to, "c@example.org"));
	ck_assert(has(&out, "Message-ID: <1@example.org>\r\n"));
	ck_assert(has(&out, "X-Note: =?"));
	/* A 7-bit body needs no Content-Transfer-Encoding. */
	ck_assert(!has(&out, "Content-Transfer-Encoding"));
	mime_summary_free(&sum);
	buf_free(&out);
}
END_TEST

START_TEST(inner_message)
{
	const char *raw = "From: a@example.org\r\nTo: b@example.org\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=B\r\n\r\n"
	    "--B\r\nContent-Type: text/plain\r\n\r\nsee below\r\n"
	    "--B\r\nContent-Type: message/rfc822\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n\r\n"
	    "From: c@example.org\r\nSubject: na\xc3\xafve\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n\r\n"
	    "na\xc3\xafve inside\r\n"
	    "--B--\r\n";
	struct buf out = round_trip(raw);

	ck_assert(has(&out, "Content-Type: message/rfc822\r\n"
	    "Content-Transfer-Encoding: 7bit\r\n\r\nFrom: c@example.org\r\n"
	    "Subject: =?"));
	ck_assert(has(&out, "na=C3=AFve inside"));
	buf_free(&out);
}
END_TEST

START_TEST(seven_bit_unchanged)
{
	const char *raw = "From: a@example.org\r\nTo: b@example.org\r\n\r\n"
	    "plain\r\n";
	struct buf out = round_trip(raw);

	ck_assert_uint_eq(out.len, strlen(raw));
	ck_assert_mem_eq(out.data, raw, out.len);
	buf_free(&out);
}
END_TEST

START_TEST(refusals)
{
	static const struct {
		const char *raw, *why;
	} cases[] = {
		{ "From: a@example.org\r\nTo: m\xc3\xbcller@example.org\r\n\r\n"
		  "x\r\n", "SMTPUTF8" },
		{ "From: a@example.org\r\nTo: b@example.org\r\n"
		  "Content-Type: application/pdf\r\nContent-Disposition: "
		  "attachment; filename=\"\xc3\xa9t\xc3\xa9.pdf\"\r\n\r\nx\r\n",
		  "Content-Disposition" },
		{ "From: a@example.org\r\nTo: b@example.org\r\n"
		  "Subject: caf\xe9\r\n\r\nx\r\n", "not UTF-8" },
		{ "From: a@example.org\r\nContent-Type: multipart/mixed\r\n"
		  "\r\ncaf\xc3\xa9\r\n", "no boundary" },
	};
	struct buf out = BUF_INIT;
	struct error err;
	size_t i;

	buf_addstr(&out, "kept");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		error_clear(&err);
		ck_assert_int_eq(mime_submission_7bit(cases[i].raw,
		    strlen(cases[i].raw), &out, &err), -1);
		ck_assert_msg(strstr(err.msg, cases[i].why) != NULL &&
		    strstr(err.msg, "cannot be made 7-bit") != NULL,
		    "case %zu: %s", i, err.msg);
		ck_assert_str_eq(buf_cstr(&out), "kept");
	}
	buf_free(&out);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("submit7");
	TCase *tc = tcase_create("submit7");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, text_part_quoted_printable);
	tcase_add_test(tc, multipart_binary_and_untouched);
	tcase_add_test(tc, headers_encoded);
	tcase_add_test(tc, inner_message);
	tcase_add_test(tc, seven_bit_unchanged);
	tcase_add_test(tc, refusals);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
