/* Unit tests of net/mutf7: RFC 3501 examples, round trips, bad input. */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "core/buf.h"
#include "net/mutf7.h"

static void
dec_ok(const char *in, const char *want)
{
	struct buf b = BUF_INIT, e = BUF_INIT;

	ck_assert_msg(mutf7_decode(in, strlen(in), &b) == 0, "decode %s", in);
	ck_assert_str_eq(buf_cstr(&b), want);
	/* And back to the same bytes. */
	ck_assert_int_eq(mutf7_encode(b.data, b.len, &e), 0);
	ck_assert_str_eq(buf_cstr(&e), in);
	buf_free(&b);
	buf_free(&e);
}

static void
dec_bad(const char *in)
{
	struct buf b = BUF_INIT;

	ck_assert_msg(mutf7_decode(in, strlen(in), &b) == -1, "accepted <%s>",
	    in);
	buf_free(&b);
}

START_TEST(test_rfc_examples)
{
	dec_ok("~peter/mail/&U,BTFw-/&ZeVnLIqe-",
	    "~peter/mail/\xe5\x8f\xb0\xe5\x8c\x97/\xe6\x97\xa5\xe6\x9c\xac"
	    "\xe8\xaa\x9e");
	dec_ok("&Jjo-!", "\xe2\x98\xba!");
	dec_ok("Entw&APw-rfe", "Entw\xc3\xbcrfe");
	dec_ok("INBOX", "INBOX");
	dec_ok("Tom &- Jerry", "Tom & Jerry");
	dec_ok("", "");
	dec_ok("&AOQA9gD8-", "\xc3\xa4\xc3\xb6\xc3\xbc");
	/* Astral plane: surrogate pair (U+1F600). */
	dec_ok("&2D3eAA-", "\xf0\x9f\x98\x80");
	dec_ok("a&AAk-b", "a\tb");
	/* Controls are decoded as they are: the name must encode back to
	 * the server's bytes; showing it is the caller's (escaped) job. */
	dec_ok("Clip&ABs-]52;c;eA==&AAc-", "Clip\x1b]52;c;eA==\x07");
	dec_ok("C1&AJs-2J", "C1\xc2\x9b" "2J");
	dec_ok("Junk&AAk-999&AAk-0&AAo-x", "Junk\t999\t0\nx");
	dec_ok("Del&AH8-", "Del\x7f");
}
END_TEST

START_TEST(test_invalid)
{
	dec_bad("&Jjo");        /* no '-' */
	dec_bad("&Jjo!-");      /* bad base64 char */
	dec_bad("&AGE-");       /* encodes 'a' */
	dec_bad("&U,BTFw-&ZeVnLIqe-"); /* adjacent runs */
	dec_bad("&Jjp-");       /* nonzero padding bits */
	dec_bad("&2D0-");       /* lone high surrogate */
	dec_bad("&3gA-");       /* lone low surrogate */
	dec_bad("a\xc3\xa4");   /* 8-bit */
	dec_bad("a\tb");        /* control */
	dec_bad("&AAAA-");      /* 4 chars: 24 bits, stray bits */
}
END_TEST

/* An encoded NUL comes out as a NUL byte (the length says so): the
 * engine refuses such a name rather than cut it short. */
START_TEST(test_nul)
{
	struct buf b = BUF_INIT;

	ck_assert_int_eq(mutf7_decode("a&AAA-b", 7, &b), 0);
	ck_assert_uint_eq(b.len, 3);
	ck_assert(memcmp(b.data, "a\0b", 3) == 0);
	buf_free(&b);
}
END_TEST

START_TEST(test_encode)
{
	struct buf b = BUF_INIT;

	ck_assert_int_eq(mutf7_encode("A&B", 3, &b), 0);
	ck_assert_str_eq(buf_cstr(&b), "A&-B");
	buf_reset(&b);
	ck_assert_int_eq(mutf7_encode("\xe2\x98\xba\xe2\x98\xba", 6, &b), 0);
	ck_assert_str_eq(buf_cstr(&b), "&JjomOg-");
	buf_reset(&b);
	ck_assert_int_eq(mutf7_encode("\xff", 1, &b), -1);
	buf_reset(&b);
	ck_assert_int_eq(mutf7_encode("a\0b", 3, &b), -1);
	buf_reset(&b);
	ck_assert_int_eq(mutf7_encode("\xc3\xa4/\xc3\xb6", 5, &b), 0);
	ck_assert_str_eq(buf_cstr(&b), "&AOQ-/&APY-");
	buf_free(&b);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("mutf7");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_rfc_examples);
	tcase_add_test(tc, test_invalid);
	tcase_add_test(tc, test_nul);
	tcase_add_test(tc, test_encode);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
