/* Unit tests of mime/: decoding, charsets, flowed, HTML, render, save. */
#include <config.h>

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "mime/mime.h"
#include "mime/mime_int.h"

#define CHECK_FN(fn, in, want)                                                 \
	do {                                                                   \
		struct buf b_ = BUF_INIT;                                      \
		fn(in, strlen(in), &b_);                                       \
		ck_assert_str_eq(buf_cstr(&b_), want);                         \
		buf_free(&b_);                                                 \
	} while (0)

START_TEST(test_base64)
{
	CHECK_FN(mime_base64_decode, "SGVsbG8=", "Hello");
	CHECK_FN(mime_base64_decode, "SGVs\r\nbG8h", "Hello!");
	/* garbage inside is skipped */
	CHECK_FN(mime_base64_decode,
	    "SG!!Vs*bG\x01"
	    "8h",
	    "Hello!");
	/* missing padding */
	CHECK_FN(mime_base64_decode, "SGVsbG8", "Hello");
	/* two padded blobs glued together */
	CHECK_FN(mime_base64_decode, "SGk=\nSGk=\n", "HiHi");
	/* text after the padding that is not base64 is no data */
	CHECK_FN(mime_base64_decode, "SGk=\n\n-- \nList footer\n", "Hi");
	CHECK_FN(mime_base64_decode, "", "");
	CHECK_FN(mime_base64_decode, "====", "");
}
END_TEST

START_TEST(test_qp)
{
	/* RFC 2045 6.7: soft line breaks, trailing blanks */
	CHECK_FN(mime_qp_decode, "soft=\r\nbreak", "softbreak");
	CHECK_FN(mime_qp_decode, "soft=  \nbreak", "softbreak");
	CHECK_FN(mime_qp_decode, "trailing   \nblanks", "trailing\nblanks");
	CHECK_FN(mime_qp_decode, "Caf=C3=A9 =3D", "Caf\xc3\xa9 =");
	CHECK_FN(mime_qp_decode, "lower =c3=a9", "lower \xc3\xa9");
	CHECK_FN(mime_qp_decode, "bad =ZZ and =", "bad =ZZ and ");
	CHECK_FN(mime_qp_decode, "=4", "=4");
	CHECK_FN(mime_qp_decode, "a\r\nb", "a\nb");
}
END_TEST

static char *
conv(const char *cs, const char *s, size_t len)
{
	struct buf b = BUF_INIT;

	mime_charset_to_utf8(cs, s, len, &b);
	return buf_detach(&b, NULL);
}

#define CHECK_CS(cs, in, want)                                                 \
	do {                                                                   \
		char *got_ = conv(cs, in, sizeof(in) - 1);                     \
		ck_assert_str_eq(got_, want);                                  \
		free(got_);                                                    \
	} while (0)

START_TEST(test_charsets)
{
	/* labels read as their supersets */
	CHECK_CS("iso-8859-1", "\x80 \xe9", "\xe2\x82\xac \xc3\xa9");
	CHECK_CS("ISO_8859-1", "\x93q\x94", "\xe2\x80\x9cq\xe2\x80\x9d");
	CHECK_CS("us-ascii", "\x92", "\xe2\x80\x99");
	CHECK_CS("\"latin1\"", "\xe9", "\xc3\xa9");
	CHECK_CS("gb2312", "\xd6\xec\xe9\x46", "\xe6\x9c\xb1\xe9\x95\x95");
	CHECK_CS("GBK", "\xd6\xd0", "\xe4\xb8\xad");
	CHECK_CS("ks_c_5601-1987", "\x8c\x63", "\xeb\x98\xa0");
	CHECK_CS("euc-kr", "\x8c\x63", "\xeb\x98\xa0");
	CHECK_CS("shift_jis", "\x87\x40", "\xe2\x91\xa0");
	CHECK_CS("big5", "\xa4\xa4", "\xe4\xb8\xad");
	CHECK_CS("koi8-r", "\xf0", "\xd0\x9f");
	CHECK_CS("iso-2022-jp", "\x1b$B$\"\x1b(B", "\xe3\x81\x82");
	/* invalid bytes: U+FFFD each, never dropped, never fatal */
	CHECK_CS("utf-8",
	    "a\xff"
	    "b\xc3",
	    "a\xef\xbf\xbd"
	    "b\xef\xbf\xbd");
	CHECK_CS(
	    "utf-8", "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_CS("shift_jis", "a\x81", "a\xef\xbf\xbd");
	CHECK_CS("gb2312",
	    "\xff\xff"
	    "x",
	    "\xef\xbf\xbd\xef\xbf\xbdx");
	/* unknown labels: UTF-8 if it is, else windows-1252 */
	CHECK_CS("x-nonsense", "\xc3\xa9", "\xc3\xa9");
	CHECK_CS("x-nonsense", "\xe9", "\xc3\xa9");
	CHECK_CS(NULL, "\xe9", "\xc3\xa9");
	CHECK_CS("utf-16le", "a\0b\0", "ab");
}
END_TEST

START_TEST(test_text_to_utf8)
{
	struct buf b = BUF_INIT;

	/* unlabelled: UTF-8 if valid, else the assumed charset */
	mime_text_to_utf8("", NULL, "\xc3\xa9", 2, &b);
	ck_assert_str_eq(buf_cstr(&b), "\xc3\xa9");
	buf_reset(&b);
	mime_text_to_utf8("", NULL, "\xe9", 1, &b);
	ck_assert_str_eq(buf_cstr(&b), "\xc3\xa9");
	buf_reset(&b);
	mime_text_to_utf8("", "koi8-r", "\xf0", 1, &b);
	ck_assert_str_eq(buf_cstr(&b), "\xd0\x9f");
	buf_reset(&b);
	/* us-ascii that is really UTF-8 */
	mime_text_to_utf8("us-ascii", NULL, "\xc3\xa9", 2, &b);
	ck_assert_str_eq(buf_cstr(&b), "\xc3\xa9");
	buf_free(&b);
}
END_TEST

static char *
flowed(const char *in, int delsp)
{
	struct buf b = BUF_INIT;

	mime_flowed_decode(in, strlen(in), delsp, &b);
	return buf_detach(&b, NULL);
}

/* RFC 3676: flowed lines join, quotes, stuffing, signature, DelSp. */
START_TEST(test_flowed)
{
	char *s;

	s = flowed("Flowed line \r\ncontinues \r\nhere.\r\nFixed.\r\n", 0);
	ck_assert_str_eq(s, "Flowed line continues here.\nFixed.\n");
	free(s);
	s = flowed("> quoted \r\n> text\r\n>> deeper \r\n>> more\r\n", 0);
	ck_assert_str_eq(s, "> quoted text\n>> deeper more\n");
	free(s);
	/* a quote depth change ends a paragraph */
	s = flowed("> a \r\n>> b\r\n", 0);
	ck_assert_str_eq(s, "> a \n>> b\n");
	free(s);
	s = flowed(" From me\r\n  two spaces\r\n", 0);
	ck_assert_str_eq(s, "From me\n two spaces\n");
	free(s);
	s = flowed("text \r\n-- \r\nsig\r\n", 0);
	ck_assert_str_eq(s, "text -- \nsig\n");
	free(s);
	s = flowed("-- \r\nsig\r\n", 0);
	ck_assert_str_eq(s, "-- \nsig\n");
	free(s);
	s = flowed("un \r\nbroken\r\n", 1);
	ck_assert_str_eq(s, "unbroken\n");
	free(s);
	s = flowed("ends flowed ", 0);
	ck_assert_str_eq(s, "ends flowed \n");
	free(s);
}
END_TEST

static char *
html(const char *in, int width)
{
	struct buf b = BUF_INIT;

	mime_html_to_text(in, strlen(in), width, &b);
	return buf_detach(&b, NULL);
}

#define CHECK_HTML(in, want)                                                   \
	do {                                                                   \
		char *got_ = html(in, 0);                                      \
		ck_assert_str_eq(got_, want);                                  \
		free(got_);                                                    \
	} while (0)

START_TEST(test_html)
{
	CHECK_HTML("<p>a</p><p>b</p>", "a\n\nb\n");
	CHECK_HTML("a<br>b<br/><br>c", "a\nb\n\nc\n");
	CHECK_HTML("<P>  lots   of\n\tspace </P>", "lots of space\n");
	CHECK_HTML("<ul><li>x</li><li>y</li></ul>", "* x\n* y\n");
	CHECK_HTML("<ol><li>x<li>y</ol>", "1. x\n2. y\n");
	CHECK_HTML("<h1>Title</h1>text", "Title\n\ntext\n");
	CHECK_HTML("<a href=\"http://a.test/\">here</a>",
	    "here[1]\n\n[1] http://a.test/\n");
	CHECK_HTML(
	    "<a href='http://a.test/'>http://a.test/</a>", "http://a.test/\n");
	CHECK_HTML("<a href=\"#top\">top</a> <a href=\"javascript:x()\">j</a>",
	    "top j\n");
	CHECK_HTML("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td>"
	           "<td>d</td></tr></table>",
	    "a | b\nc | d\n");
	CHECK_HTML("&lt;&amp;&gt;&quot;&#65;&#x42;&eacute;&euro;&#150;",
	    "<&>\"AB\xc3\xa9\xe2\x82\xac\xe2\x80\x93\n");
	CHECK_HTML("&#0;&#xD800;&#x110000;&bogus;&amp",
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd&bogus;&\n");
	CHECK_HTML(
	    "<script>alert('<p>x</p>')</script>ok<style>p{}</style>", "ok\n");
	CHECK_HTML("<head><title>T</title></head><body>b</body>", "b\n");
	CHECK_HTML("<!-- <p>hidden</p> -->shown", "shown\n");
	CHECK_HTML("<blockquote>q</blockquote>after", "> q\n\nafter\n");
	CHECK_HTML("<pre>a  b\n  c</pre>", "a  b\n  c\n");
	CHECK_HTML("1 < 2 and <3", "1 < 2 and <3\n");
	CHECK_HTML("<img src=x alt=\"logo\">", "[logo]\n");
	CHECK_HTML("<unterminated", "");
	CHECK_HTML("", "");
}
END_TEST

START_TEST(test_html_wrap)
{
	char *s = html("<p>aaaa bbbb cccc dddd eeee ffff</p>", 15);

	ck_assert_str_eq(s, "aaaa bbbb cccc\ndddd eeee ffff\n");
	free(s);
}
END_TEST

START_TEST(test_width)
{
	ck_assert_uint_eq(mime_width("abc", 3), 3);
	ck_assert_uint_eq(mime_width("\xe6\x97\xa5\xe6\x9c\xac", 6), 4);
	ck_assert_uint_eq(mime_width("\xf0\x9f\x98\x80", 4), 2);
	ck_assert_uint_eq(mime_width("e\xcc\x81", 3), 1);
	ck_assert_uint_eq(mime_width("\xea\xb0\x80", 3), 2);
	ck_assert_uint_eq(mime_width("\xff", 1), 1);
	ck_assert_uint_eq(mime_width("", 0), 0);
}
END_TEST

START_TEST(test_safe_filename)
{
	char *s;

#define CHECK_NAME(in, want)                                                   \
	s = mime_safe_filename(in, 0);                                         \
	ck_assert_str_eq(s, want);                                             \
	free(s)
	CHECK_NAME("report.pdf", "report.pdf");
	CHECK_NAME("../../etc/passwd", "passwd");
	CHECK_NAME("..\\evil\\.bashrc", "bashrc");
	CHECK_NAME(".hidden", "hidden");
	CHECK_NAME("a\x1b[31mb\x07.txt", "ab\xef\xbf\xbd.txt");
	CHECK_NAME("x/", "attachment-1");
	CHECK_NAME("", "attachment-1");
	CHECK_NAME(NULL, "attachment-1");
	CHECK_NAME("...", "attachment-1");
	CHECK_NAME("-rf", "rf");
	CHECK_NAME("a:b?.txt", "a_b_.txt");
	CHECK_NAME("\xe2\x82\xac rates.txt", "\xe2\x82\xac rates.txt");
	/* No shell metacharacter survives: the name may end up in a
	 * command line typed or pasted by the user. */
	CHECK_NAME("$(touch PWNED).txt", "__touch PWNED_.txt");
	CHECK_NAME("`id`;rm -rf ~&|<>.pdf", "_id__rm -rf _____.pdf");
	CHECK_NAME("it's \"q\" *?!#{}[]^\\x", "x");
	CHECK_NAME("a\nb\tc\rd.txt", "ab cd.txt");
	CHECK_NAME("report (1), v2+final=ok@x.pdf",
	    "report _1_, v2+final=ok@x.pdf");
	CHECK_NAME("~/.ssh/id_rsa", "id_rsa");
	CHECK_NAME("~user", "_user");
	s = mime_safe_filename("x", 4);
	ck_assert_str_eq(s, "x");
	free(s);
	{
		char big[600];

		memset(big, 'a', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		s = mime_safe_filename(big, 0);
		ck_assert_uint_eq(strlen(s), 200);
		free(s);
	}
}
END_TEST


static struct mime_view *
render(const char *m, enum mime_prefer prefer, int width)
{
	struct mime_render_opts o = {prefer, NULL, width};
	struct mime_view *v = NULL;

	ck_assert_int_eq(mime_render(m, strlen(m), &o, &v, NULL), 0);
	return v;
}

START_TEST(test_render_kinds)
{
	const char *m =
	    "From: A <a@x.test>\nSubject: s\n"
	    "Content-Type: multipart/mixed; boundary=b\n\n"
	    "--b\nContent-Type: text/plain\n\nhi\n> q1\n>> q2\n"
	    "--b\nContent-Type: application/pdf; name=r.pdf\n"
	    "Content-Transfer-Encoding: base64\n\nSGVsbG8=\n--b--\n";
	struct mime_view *v = render(m, MIME_PREFER_PLAIN, 80);
	struct buf d = BUF_INIT;
	struct error err;
	size_t i;

	ck_assert_uint_eq(v->nlines, 8);
	ck_assert_int_eq(v->lines[0].kind, MIME_LINE_HEADER);
	ck_assert_str_eq(v->lines[0].text, "From: A <a@x.test>");
	ck_assert_int_eq(v->lines[1].kind, MIME_LINE_HEADER);
	ck_assert_str_eq(v->lines[2].text, "");
	ck_assert_int_eq(v->lines[3].kind, MIME_LINE_BODY);
	ck_assert_int_eq(v->lines[4].kind, MIME_LINE_QUOTE);
	ck_assert_int_eq(v->lines[4].level, 1);
	ck_assert_int_eq(v->lines[5].level, 2);
	ck_assert_int_eq(v->lines[7].kind, MIME_LINE_ATTACHMENT);
	ck_assert_int_eq(v->lines[7].attachment, 0);
	ck_assert_str_eq(v->lines[7].text, "[1] r.pdf (application/pdf, 5 B)");
	ck_assert_uint_eq(v->nattachments, 1);
	ck_assert_str_eq(v->attachments[0].name, "r.pdf");
	ck_assert_str_eq(v->attachments[0].type, "application/pdf");
	ck_assert_uint_eq(v->attachments[0].size, 5);
	ck_assert_int_eq(mime_attachment_data(v, 0, &d, &err), 0);
	ck_assert_str_eq(buf_cstr(&d), "Hello");
	ck_assert_int_eq(mime_attachment_data(v, 1, &d, &err), -1);
	for (i = 0; i < v->nlines; i++)
		ck_assert_uint_eq(strlen(v->lines[i].text), v->lines[i].len);
	buf_free(&d);
	mime_view_free(&v);
	ck_assert_ptr_null(v);
}
END_TEST

START_TEST(test_render_alternative)
{
	const char *m =
	    "Content-Type: multipart/alternative; boundary=b\n\n"
	    "--b\nContent-Type: text/plain\n\nplain\n"
	    "--b\nContent-Type: text/html\n\n<a href=\"http://x.test\">html"
	    "</a>\n--b--\n";
	struct mime_view *v = render(m, MIME_PREFER_PLAIN, 80);

	ck_assert_uint_eq(v->nlines, 1);
	ck_assert_str_eq(v->lines[0].text, "plain");
	mime_view_free(&v);
	v = render(m, MIME_PREFER_HTML, 80);
	ck_assert_uint_eq(v->nlines, 3);
	ck_assert_str_eq(v->lines[0].text, "html[1]");
	ck_assert_int_eq(v->lines[2].kind, MIME_LINE_LINK);
	ck_assert_str_eq(v->lines[2].text, "[1] http://x.test");
	mime_view_free(&v);
}
END_TEST

START_TEST(test_render_wrap)
{
	const char *m =
	    "\n> aaaa bbbb cccc dddd eeee\n"
	    "\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5"
	    "\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\n";
	struct mime_view *v;

	/* no header: the first line is body, "\n" starts it */
	v = render(m + 1, MIME_PREFER_PLAIN, 12);
	ck_assert_uint_eq(v->nlines, 5);
	ck_assert_str_eq(v->lines[0].text, "> aaaa bbbb");
	ck_assert_str_eq(v->lines[1].text, "> cccc dddd");
	ck_assert_str_eq(v->lines[2].text, "> eeee");
	ck_assert_int_eq(v->lines[2].kind, MIME_LINE_QUOTE);
	/* CJK wraps by columns: 6 wide characters are 12 columns */
	ck_assert_str_eq(v->lines[3].text,
	    "\xe6\x97\xa5\xe6\x97\xa5\xe6\x97"
	    "\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5");
	mime_view_free(&v);
}
END_TEST

/* Nesting and part-count limits hold, and big input stays linear. */
START_TEST(test_limits)
{
	struct buf m = BUF_INIT;
	struct mime_tree *t;
	struct mime_view *v;
	size_t i;

	for (i = 0; i < 200; i++)
		buf_printf(&m,
		    "Content-Type: multipart/mixed; boundary=b%zu\n"
		    "\n--b%zu\n",
		    i, i);
	buf_addstr(&m, "Content-Type: text/plain\n\ndeep\n");
	t = mime_tree_parse(m.data, m.len);
	ck_assert_uint_le(t->nparts, MIME_MAX_DEPTH + 1);
	mime_tree_free(&t);
	ck_assert_int_eq(mime_render(m.data, m.len, NULL, &v, NULL), 0);
	mime_view_free(&v);

	buf_reset(&m);
	buf_addstr(&m, "Content-Type: multipart/mixed; boundary=x\n\n");
	for (i = 0; i < MIME_MAX_PARTS + 500; i++)
		buf_addstr(&m, "--x\n\na\n");
	t = mime_tree_parse(m.data, m.len);
	ck_assert_uint_le(t->nparts, MIME_MAX_PARTS);
	mime_tree_free(&t);

	/* 10 MB: many lines, then one huge line of HTML-ish junk (no
	 * timing is asserted; bench/mime_bench measures) */
	buf_reset(&m);
	buf_addstr(&m, "Subject: big\n\n");
	for (i = 0; i < 5 * 1024 * 1024 / 64; i++)
		buf_addstr(&m,
		    "0123456789 0123456789 0123456789 0123456789 "
		    "0123456789 012345678\n");
	for (i = 0; i < 5 * 1024 * 1024 / 16; i++)
		buf_addstr(&m, "=?=?<a href=x>&#");
	ck_assert_int_eq(mime_render(m.data, m.len, NULL, &v, NULL), 0);
	ck_assert_uint_gt(v->nlines, 5 * 1024 * 1024 / 64);
	mime_view_free(&v);

	/* more lines than MIME_MAX_LINES: capped, with a note at the end */
	buf_reset(&m);
	buf_addstr(&m, "Subject: x\n\nfirst\n");
	for (i = 0; i < MIME_MAX_LINES + 1000; i++)
		buf_add(&m, "y\n", 2);
	buf_addstr(&m, "last\n");
	ck_assert_int_eq(mime_render(m.data, m.len, NULL, &v, NULL), 0);
	ck_assert_uint_le(v->nlines, MIME_MAX_LINES + 1);
	ck_assert_int_eq(v->lines[v->nlines - 1].kind, MIME_LINE_NOTE);
	mime_view_free(&v);
	buf_free(&m);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("mime_body");
	TCase *tc = tcase_create("all");

	tcase_add_test(tc, test_base64);
	tcase_add_test(tc, test_qp);
	tcase_add_test(tc, test_charsets);
	tcase_add_test(tc, test_text_to_utf8);
	tcase_add_test(tc, test_flowed);
	tcase_add_test(tc, test_html);
	tcase_add_test(tc, test_html_wrap);
	tcase_add_test(tc, test_width);
	tcase_add_test(tc, test_safe_filename);
	tcase_add_test(tc, test_render_kinds);
	tcase_add_test(tc, test_render_alternative);
	tcase_add_test(tc, test_render_wrap);
	tcase_add_test(tc, test_limits);
	tcase_set_timeout(tc, 120); /* big inputs, sanitizer builds */
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
