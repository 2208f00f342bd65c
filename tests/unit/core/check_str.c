/* Unit tests of core/str, str_clean_display above all. */
#include <config.h> /* the build's, for _GNU_SOURCE */

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"

static struct buf out;

static const char *
clean(const char *s, size_t len, int keep_newlines)
{
	buf_reset(&out);
	str_clean_display(&out, s, len, keep_newlines);
	return buf_cstr(&out);
}

#define CLEAN(lit, nl) clean(lit, sizeof(lit) - 1, nl)

static void
teardown(void)
{
	buf_free(&out);
}

START_TEST(test_case)
{
	ck_assert_int_eq(str_casecmp("Hello", "hELLO"), 0);
	ck_assert_int_lt(str_casecmp("a", "b"), 0);
	ck_assert_int_gt(str_casecmp("abc", "ab"), 0);
	ck_assert_int_eq(str_ncasecmp("INBOX.x", "inbox.y", 6), 0);
	ck_assert_int_ne(str_ncasecmp("INBOX.x", "inbox.y", 7), 0);
	/* ASCII only: bytes above 0x7F compare as themselves. */
	ck_assert_int_ne(str_casecmp("\xC3\x89", "\xC3\xA9"), 0);
	ck_assert(str_has_prefix("* OK", "* "));
	ck_assert(!str_has_prefix("* OK", "+ "));
	ck_assert(str_has_casefix("Content-Type: x", "content-type:"));
	ck_assert(!str_has_casefix("Content", "content-type"));
}
END_TEST

START_TEST(test_lcpy_trim_ulong)
{
	char small[4], s[32];
	unsigned long v;

	ck_assert_uint_eq(str_lcpy(small, "abcdef", sizeof(small)), 6);
	ck_assert_str_eq(small, "abc");
	ck_assert_uint_eq(str_lcpy(small, "ab", sizeof(small)), 2);
	ck_assert_str_eq(small, "ab");
	ck_assert_uint_eq(str_lcpy(small, "zz", 0), 2);
	ck_assert_str_eq(small, "ab"); /* untouched */

	str_lcpy(s, " \t a b \t ", sizeof(s));
	ck_assert_str_eq(str_trim(s), "a b");
	str_lcpy(s, "   ", sizeof(s));
	ck_assert_str_eq(str_trim(s), "");

	ck_assert_int_eq(str_to_ulong("993", 65535, &v), 0);
	ck_assert_uint_eq(v, 993);
	ck_assert_int_eq(str_to_ulong("65535", 65535, &v), 0);
	ck_assert_int_eq(str_to_ulong("65536", 65535, &v), -1);
	ck_assert_int_eq(str_to_ulong("", 10, &v), -1);
	ck_assert_int_eq(str_to_ulong("-1", 10, &v), -1);
	ck_assert_int_eq(str_to_ulong("+1", 10, &v), -1);
	ck_assert_int_eq(str_to_ulong("1 ", 10, &v), -1);
	ck_assert_int_eq(str_to_ulong("99999999999999999999999", (unsigned
	    long)-1, &v), -1);
}
END_TEST

START_TEST(test_hexval)
{
	ck_assert_int_eq(str_hexval('0'), 0);
	ck_assert_int_eq(str_hexval('9'), 9);
	ck_assert_int_eq(str_hexval('a'), 10);
	ck_assert_int_eq(str_hexval('F'), 15);
	ck_assert_int_eq(str_hexval('g'), -1);
	ck_assert_int_eq(str_hexval('G'), -1);
	ck_assert_int_eq(str_hexval('/'), -1);
	ck_assert_int_eq(str_hexval(0xC3), -1);
}
END_TEST

START_TEST(test_utf8)
{
	unsigned cp;
	struct buf b = BUF_INIT;

	ck_assert_uint_eq(str_utf8_decode((const unsigned char *)"A", 1, &cp),
	    1);
	ck_assert_uint_eq(cp, 'A');
	ck_assert_uint_eq(str_utf8_decode((const unsigned char *)"\xC3\xA9", 2,
	    &cp), 2);
	ck_assert_uint_eq(cp, 0xE9);
	ck_assert_uint_eq(str_utf8_decode((const unsigned char *)
	    "\xF0\x9F\x98\x80", 4, &cp), 4);
	ck_assert_uint_eq(cp, 0x1F600);
	/* Overlong, surrogate, truncated, stray continuation: invalid. */
	ck_assert_uint_eq(str_utf8_decode((const unsigned char *)"\xC0\xAF", 2,
	    &cp), 0);
	ck_assert_uint_eq(cp, 0xFFFD);
	ck_assert_uint_eq(str_utf8_decode((const unsigned char *)"\xED\xA0\x80",
	    3, &cp), 0);
	ck_assert_uint_eq(str_utf8_decode((const unsigned char *)"\xE2\x82", 2,
	    &cp), 0);
	ck_assert_uint_eq(str_utf8_decode((const unsigned char *)"\x80", 1,
	    &cp), 0);
	ck_assert_uint_eq(str_utf8_decode((const unsigned char *)
	    "\xF4\x90\x80\x80", 4, &cp), 0); /* above U+10FFFF */

	str_utf8_encode(&b, 0xE9);
	str_utf8_encode(&b, 0x20AC);
	str_utf8_encode(&b, 0x1F600);
	str_utf8_encode(&b, 0xD800); /* surrogate: U+FFFD */
	ck_assert_str_eq(b.data, "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"
	    "\xEF\xBF\xBD");
	buf_free(&b);
}
END_TEST

START_TEST(test_clean_plain)
{
	ck_assert_str_eq(CLEAN("Hello, world", 0), "Hello, world");
	ck_assert_str_eq(CLEAN("caf\xC3\xA9 \xE2\x82\xAC", 0),
	    "caf\xC3\xA9 \xE2\x82\xAC");
	ck_assert_str_eq(CLEAN("", 0), "");
}
END_TEST

START_TEST(test_clean_escapes)
{
	/* CSI: colour, cursor movement, clear screen: removed whole. */
	ck_assert_str_eq(CLEAN("a\x1b[31mred\x1b[0m b", 0), "ared b");
	ck_assert_str_eq(CLEAN("\x1b[2J\x1b[1;1Hx", 0), "x");
	ck_assert_str_eq(CLEAN("x\x1b[?1049h", 0), "x");
	/* OSC ended by BEL and by ST: title and hyperlink injections. */
	ck_assert_str_eq(CLEAN("a\x1b]0;pwned\x07z", 0), "az");
	ck_assert_str_eq(CLEAN("a\x1b]8;;http://evil/\x1b\\link\x1b]8;;\x1b\\z",
	    0), "alinkz");
	/* DCS string. */
	ck_assert_str_eq(CLEAN("a\x1bPq#0;2;0;0;0\x1b\\b", 0), "ab");
	/* Two-byte escapes (charset switch, reset). */
	ck_assert_str_eq(CLEAN("a\x1b(0b\x1b" "c", 0), "ab");
	/* Unterminated sequences swallow the rest, printing no fragment. */
	ck_assert_str_eq(CLEAN("a\x1b[31", 0), "a");
	ck_assert_str_eq(CLEAN("a\x1b]0;title", 0), "a");
	ck_assert_str_eq(CLEAN("a\x1b", 0), "a");
	ck_assert_ptr_null(strchr(CLEAN("\x1b\x1b[1m\x1b", 0), 0x1b));
	/* ESC ESC: the second one starts its own sequence, dropped whole. */
	ck_assert_str_eq(CLEAN("a\x1b\x1b[31mb", 0), "ab");
	/* ESC before a control: only the ESC goes. */
	ck_assert_str_eq(CLEAN("a\x1b\tb", 0), "a b");
}
END_TEST

START_TEST(test_clean_c1_bidi)
{
	/* C1 controls as UTF-8 (U+009B is CSI) are removed. */
	ck_assert_str_eq(CLEAN("a\xC2\x9B" "31mb", 0), "a31mb");
	ck_assert_str_eq(CLEAN("a\xC2\x85\xC2\x80z", 0), "az");
	/* A raw C1 byte is invalid UTF-8: U+FFFD, not a control. */
	ck_assert_str_eq(CLEAN("a\x9B" "b", 0), "a\xEF\xBF\xBD" "b");
	/* Bidi overrides and isolates, LRM/RLM, ALM. */
	ck_assert_str_eq(CLEAN("a\xE2\x80\xAEtxt.exe", 0), "atxt.exe");
	ck_assert_str_eq(CLEAN("\xE2\x80\xAA\xE2\x80\xAB\xE2\x80\xAC\xE2\x80"
	    "\xAD\xE2\x81\xA6\xE2\x81\xA7\xE2\x81\xA8\xE2\x81\xA9\xE2\x80\x8E"
	    "\xE2\x80\x8F\xD8\x9Cok", 0), "ok");
}
END_TEST

START_TEST(test_clean_invalid_utf8)
{
	ck_assert_str_eq(CLEAN("a\xFF" "b", 0), "a\xEF\xBF\xBD" "b");
	ck_assert_str_eq(CLEAN("\xC0\xAF", 0), "\xEF\xBF\xBD\xEF\xBF\xBD");
	ck_assert_str_eq(CLEAN("x\xE2\x82", 0), "x\xEF\xBF\xBD\xEF\xBF\xBD");
	ck_assert_str_eq(CLEAN("\xED\xA0\x80", 0),
	    "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}
END_TEST

START_TEST(test_clean_controls)
{
	const char *r;
	size_t i;

	/* Tabs: a space on one line, kept with keep_newlines. */
	ck_assert_str_eq(CLEAN("a\tb", 0), "a b");
	ck_assert_str_eq(CLEAN("a\tb", 1), "a\tb");
	/* Newlines: dropped in a one-line field, kept in a body. */
	ck_assert_str_eq(CLEAN("a\r\nb", 0), "ab");
	ck_assert_str_eq(CLEAN("a\nb", 1), "a\nb");
	ck_assert_str_eq(CLEAN("a\r\nb", 1), "a\nb");
	/* Other C0 controls and DEL never reach the terminal. */
	r = CLEAN("a\x01\x07\x08\x0b\x0c\x7f" "b\0c", 0);
	for (i = 0; i < out.len; i++) {
		unsigned char c = (unsigned char)r[i];

		ck_assert(c >= 0x20 && c != 0x7F);
	}
	ck_assert_int_eq(r[0], 'a');
	ck_assert_int_eq(r[out.len - 1], 'c');
}
END_TEST

static const char *
esc(const char *s, size_t len)
{
	buf_reset(&out);
	str_escape_field(&out, s, len);
	return buf_cstr(&out);
}

#define ESC(lit) esc(lit, sizeof(lit) - 1)

/* unescape(escape(s)) == s, byte for byte. */
static void
assert_round_trip(const char *s, size_t len)
{
	struct buf back = BUF_INIT;

	esc(s, len);
	ck_assert_int_eq(str_unescape_field(&back, out.data, out.len), 0);
	ck_assert_uint_eq(back.len, len);
	ck_assert(len == 0 || memcmp(back.data, s, len) == 0);
	buf_free(&back);
}

START_TEST(test_escape_field)
{
	size_t i;
	char all[256];

	ck_assert_str_eq(ESC("INBOX"), "INBOX");
	ck_assert_str_eq(ESC("Gr\xc3\xbc\xc3\x9f" "e"), "Gr\xc3\xbc\xc3\x9f" "e");
	/* The separators and the escape character itself. */
	ck_assert_str_eq(ESC("Junk\t999\t0\nX\rY"), "Junk\\t999\\t0\\nX\\rY");
	ck_assert_str_eq(ESC("a\\b"), "a\\\\b");
	/* What a terminal acts on: ESC, BEL, NUL, DEL, C1 CSI, RLO. */
	ck_assert_str_eq(ESC("\x1b]52;c;eA==\x07"), "\\x1b]52;c;eA==\\x07");
	ck_assert_str_eq(ESC("a\0b\x7f"), "a\\x00b\\x7f");
	ck_assert_str_eq(ESC("\xc2\x9b" "2J"), "\\xc2\\x9b2J");
	ck_assert_str_eq(ESC("\xe2\x80\xae" "x"), "\\xe2\\x80\\xaex");
	/* Bytes that are not UTF-8, a bare C1 among them. */
	ck_assert_str_eq(ESC("\x9b\xff\xc3"), "\\x9b\\xff\\xc3");
	for (i = 0; i < sizeof(all); i++)
		all[i] = (char)i;
	assert_round_trip(all, sizeof(all));
	for (i = 0; i < out.len; i++) {
		unsigned char c = (unsigned char)out.data[i];

		ck_assert(c >= 0x20 && c < 0x7F);
	}
	assert_round_trip("", 0);
	assert_round_trip("\\x41\\", 6);
}
END_TEST

START_TEST(test_unescape_field)
{
	struct buf b = BUF_INIT;

	ck_assert_int_eq(str_unescape_field(&b, "a\\x1B\\tb", 9), 0);
	ck_assert_str_eq(buf_cstr(&b), "a\x1b\tb");
	buf_reset(&b);
	ck_assert_int_eq(str_unescape_field(&b, "a\\", 2), -1);
	buf_reset(&b);
	ck_assert_int_eq(str_unescape_field(&b, "a\\q", 3), -1);
	buf_reset(&b);
	ck_assert_int_eq(str_unescape_field(&b, "\\x4", 3), -1);
	buf_reset(&b);
	ck_assert_int_eq(str_unescape_field(&b, "\\x4g", 4), -1);
	buf_free(&b);
}
END_TEST

START_TEST(test_tsv_record)
{
	const char *f[] = { "Junk\t999\t0\nForged", "3", "" };

	buf_reset(&out);
	str_tsv_record(&out, f, 3);
	ck_assert_str_eq(buf_cstr(&out), "Junk\\t999\\t0\\nForged\t3\t\n");
	buf_reset(&out);
	str_tsv_record(&out, f + 2, 1);
	ck_assert_str_eq(buf_cstr(&out), "\n");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("str");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_case);
	tcase_add_test(tc, test_lcpy_trim_ulong);
	tcase_add_test(tc, test_utf8);
	tcase_add_test(tc, test_hexval);
	tcase_add_test(tc, test_clean_plain);
	tcase_add_test(tc, test_clean_escapes);
	tcase_add_test(tc, test_clean_c1_bidi);
	tcase_add_test(tc, test_clean_invalid_utf8);
	tcase_add_test(tc, test_clean_controls);
	tcase_add_test(tc, test_escape_field);
	tcase_add_test(tc, test_unescape_field);
	tcase_add_test(tc, test_tsv_record);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
