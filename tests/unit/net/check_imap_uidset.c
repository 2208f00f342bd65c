/* Unit tests of imap_uidset_foreach (net/imap.h), the sequence-set reader
 * the cache uses on VANISHED and COPYUID data. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "core/buf.h"
#include "net/imap.h"

static int
collect(void *ctx, uint32_t lo, uint32_t hi)
{
	buf_printf(ctx, "[%u-%u]", (unsigned)lo, (unsigned)hi);
	return 0;
}

static void
ok(const char *set, const char *want)
{
	struct buf b = BUF_INIT;

	ck_assert_msg(imap_uidset_foreach(set, collect, &b) == 0, "%s", set);
	ck_assert_str_eq(buf_cstr(&b), want);
	buf_free(&b);
}

static int
stop_at_two(void *ctx, uint32_t lo, uint32_t hi)
{
	int *n = ctx;

	(void)lo;
	(void)hi;
	return ++*n == 2 ? 42 : 0;
}

START_TEST(test_sets)
{
	int n = 0;

	ok("1", "[1-1]");
	ok("1:5", "[1-5]");
	ok("41,43:116,118,120:211,214:540",
	    "[41-41][43-116][118-118][120-211][214-540]");
	ok("5:1", "[1-5]");
	ok("7:*", "[7-4294967295]");
	ok("*", "[4294967295-4294967295]");
	ok("4294967295", "[4294967295-4294967295]");
	ck_assert_int_eq(imap_uidset_foreach("1,2,3", stop_at_two, &n), 42);
	ck_assert_int_eq(n, 2);
}
END_TEST

START_TEST(test_bad_sets)
{
	static const char *const bad[] = { "", "0", "1:0", ",", "1,", ",1",
		"1::2", "a", "1 2", "4294967296", "99999999999999999999", "-1",
		"1:2:3", "1;2" };
	size_t k;

	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
		ck_assert_msg(imap_uidset_foreach(bad[k], NULL, NULL) == -1,
		    "accepted \"%s\"", bad[k]);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("imap_uidset");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_sets);
	tcase_add_test(tc, test_bad_sets);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
