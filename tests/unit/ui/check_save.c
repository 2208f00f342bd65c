/* ui_save_file: attachments saved 0600, never overwritten unasked;
 * ui_save_mbox: appended to an mbox only; ui_save_target: safe names. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static void
slurp(const char *path, char *out, size_t size)
{
	FILE *fp = fopen(path, "r");
	size_t n;

	ck_assert_ptr_nonnull(fp);
	n = fread(out, 1, size - 1, fp);
	out[n] = '\0';
	fclose(fp);
}

static int
put(const char *path, const char *data, int raw, struct error *err)
{
	return ui_save_mbox(path, data, strlen(data), raw, err);
}

START_TEST(test_mbox)
{
	char dir[] = "/tmp/check_save_XXXXXX", box[256], other[256],
	    link[256], eml[256], got[512];
	struct error err;
	struct stat st;
	FILE *fp;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(box, sizeof(box), "%s/box", dir);
	snprintf(other, sizeof(other), "%s/notes", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	snprintf(eml, sizeof(eml), "%s/m.eml", dir);
	error_clear(&err);
	ck_assert_int_eq(put(box, "From a\nx\n\n", 0, &err), 0);
	ck_assert_int_eq(stat(box, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	/* an mbox whose last entry lacks its empty line gets one first */
	fp = fopen(box, "a");
	fputs("From b\ny", fp);
	fclose(fp);
	ck_assert_int_eq(put(box, "From c\nz\n\n", 0, &err), 0);
	slurp(box, got, sizeof(got));
	ck_assert_str_eq(got, "From a\nx\n\nFrom b\ny\n\nFrom c\nz\n\n");
	/* a file that is not an mbox is left alone */
	fp = fopen(other, "w");
	fputs("my notes\n", fp);
	fclose(fp);
	ck_assert_int_eq(put(other, "From c\n\n", 0, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "is not an mbox"));
	slurp(other, got, sizeof(got));
	ck_assert_str_eq(got, "my notes\n");
	/* never through a symlink */
	ck_assert_int_eq(symlink(other, link), 0);
	ck_assert_int_eq(put(link, "From c\n\n", 0, &err), -1);
	slurp(other, got, sizeof(got));
	ck_assert_str_eq(got, "my notes\n");
	/* one message as it is, never over a file */
	ck_assert_int_eq(put(eml, "Subject: x\n\nhi\n", 1, &err), 0);
	ck_assert_int_eq(put(eml, "other", 1, &err), -1);
	slurp(eml, got, sizeof(got));
	ck_assert_str_eq(got, "Subject: x\n\nhi\n");
	unlink(box);
	unlink(other);
	unlink(link);
	unlink(eml);
	rmdir(dir);
}
END_TEST

START_TEST(test_target)
{
	char *dir, *name;

	ui_save_target("/tmp/out/../../e\033[31mvil", "own", 0, &dir, &name);
	ck_assert_str_eq(dir, "/tmp/out/../..");
	ck_assert_ptr_null(strchr(name, '\033'));
	ck_assert_ptr_null(strchr(name, '/'));
	free(dir);
	free(name);
	ui_save_target("/tmp", "../../.hidden;rm -rf", 2, &dir, &name);
	ck_assert_str_eq(dir, "/tmp");
	ck_assert_str_eq(name, "hidden_rm -rf");
	free(dir);
	free(name);
	ui_save_target("plain.txt", "own", 0, &dir, &name);
	ck_assert_str_eq(dir, ".");
	ck_assert_str_eq(name, "plain.txt");
	free(dir);
	free(name);
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
	tcase_add_test(tc, test_mbox);
	tcase_add_test(tc, test_target);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
