/* ui_save_file: attachments saved 0600, never overwritten unasked. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ui/save.h"

START_TEST(test_save)
{
	char dir[] = "/tmp/check_save_XXXXXX", path[256];
	struct error err;
	struct stat st;
	FILE *fp;
	char got[16] = "";

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(ui_save_file(dir, "a.txt", "one", 3, 0, &err), 0);
	/* never overwritten without asking */
	ck_assert_int_eq(ui_save_file(dir, "a.txt", "two", 3, 0, &err), 1);
	snprintf(path, sizeof(path), "%s/a.txt", dir);
	fp = fopen(path, "r");
	ck_assert_ptr_nonnull(fp);
	ck_assert_ptr_nonnull(fgets(got, sizeof(got), fp));
	fclose(fp);
	ck_assert_str_eq(got, "one");
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(ui_save_file(dir, "a.txt", "two", 3, 1, &err), 0);
	fp = fopen(path, "r");
	ck_assert_ptr_nonnull(fgets(got, sizeof(got), fp));
	fclose(fp);
	ck_assert_str_eq(got, "two");
	ck_assert_int_eq(ui_save_file(dir, "../x", "", 0, 0, &err), -1);
	ck_assert_int_eq(ui_save_file(dir, ".x", "", 0, 0, &err), -1);
	unlink(path);
	rmdir(dir);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("save");
	TCase *tc = tcase_create("save");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_save);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
