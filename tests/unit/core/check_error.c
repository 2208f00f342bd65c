/* Unit tests of core/error. */
#include <config.h> /* the build's, for _GNU_SOURCE */

#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

START_TEST(test_set_clear)
{
	struct error err;

	error_clear(&err);
	ck_assert(!error_isset(&err));
	ck_assert_int_eq(error_set(&err, "bad %s on line %d", "key", 3), -1);
	ck_assert(error_isset(&err));
	ck_assert_str_eq(err.msg, "bad key on line 3");
	error_clear(&err);
	ck_assert(!error_isset(&err));
	ck_assert_str_eq(err.msg, "");
}
END_TEST

START_TEST(test_null)
{
	/* Every function accepts NULL and still returns -1. */
	error_clear(NULL);
	ck_assert_int_eq(error_set(NULL, "x"), -1);
	ck_assert_int_eq(error_prefix(NULL, "y"), -1);
	ck_assert_int_eq(error_errno(NULL, ENOENT, "z"), -1);
	ck_assert(!error_isset(NULL));
}
END_TEST

START_TEST(test_prefix_errno)
{
	struct error err;

	error_set(&err, "connection refused");
	ck_assert_int_eq(error_prefix(&err, "account %s", "work"), -1);
	ck_assert_str_eq(err.msg, "account work: connection refused");
	ck_assert_int_eq(error_errno(&err, ENOENT, "cannot open %s", "f"), -1);
	ck_assert_str_eq(err.msg, "cannot open f: No such file or directory");
}
END_TEST

START_TEST(test_truncation)
{
	struct error err;
	char big[2 * ERROR_MAX];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	error_set(&err, "%s", big);
	ck_assert_uint_eq(strlen(err.msg), ERROR_MAX - 1);
	error_prefix(&err, "p");
	ck_assert_uint_eq(strlen(err.msg), ERROR_MAX - 1);
	ck_assert(strncmp(err.msg, "p: xxx", 6) == 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("error");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_set_clear);
	tcase_add_test(tc, test_null);
	tcase_add_test(tc, test_prefix_errno);
	tcase_add_test(tc, test_truncation);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
