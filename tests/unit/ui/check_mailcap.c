/* Unit tests: mailcap lookup (ui/mailcap.c) and list movement
 * (ui/list.c). */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui/tui_int.h"

static char dir[] = "/tmp/postie-mailcap-XXXXXX";
static char path[256];

static void
write_mailcap(const char *text)
{
	FILE *fp;

	snprintf(path, sizeof(path), "%s/mailcap", dir);
	ck_assert((fp = fopen(path, "w")) != NULL);
	fputs(text, fp);
	fclose(fp);
	setenv("MAILCAPS", path, 1);
}

static void
setup(void)
{
	ck_assert(mkdtemp(dir) != NULL);
}

static void
teardown(void)
{
	unlink(path);
	rmdir(dir);
}

START_TEST(test_lookup)
{
	char *cmd;

	write_mailcap("# comment\n"
	    "\n"
	    "image/png; viewer-png %s\n"
	    "image/*; viewer-any '%s' --type=%t\n"
	    "text; pager-text\n"
	    "application/pdf; pdf \\\n"
	    "  %s; needsterminal\n");
	cmd = ui_mailcap_command("image/png", "/tmp/a b.png");
	ck_assert_str_eq(cmd, "viewer-png '/tmp/a b.png'");
	free(cmd);
	cmd = ui_mailcap_command("IMAGE/JPEG", "/tmp/x.jpg");
	ck_assert_str_eq(cmd, "viewer-any ''/tmp/x.jpg'' --type=image/jpeg");
	free(cmd);
	cmd = ui_mailcap_command("image/jpeg", "/tmp/x.jpg");
	ck_assert_str_eq(cmd, "viewer-any ''/tmp/x.jpg'' --type=image/jpeg");
	free(cmd);
	/* No %s: the file comes on standard input. */
	cmd = ui_mailcap_command("text/plain", "/tmp/t.txt");
	ck_assert_str_eq(cmd, "pager-text < '/tmp/t.txt'");
	free(cmd);
	cmd = ui_mailcap_command("application/pdf", "/tmp/d.pdf");
	ck_assert_str_eq(cmd, "pdf   '/tmp/d.pdf'");
	free(cmd);
	ck_assert(ui_mailcap_command("audio/ogg", "/tmp/a.ogg") == NULL);
	ck_assert(ui_mailcap_command("imagex/png", "/tmp/a") == NULL);
}
END_TEST

/* A hostile file name cannot leave the quotes; a hostile type is cut to
 * harmless bytes. */
START_TEST(test_quoting)
{
	char *cmd;

	write_mailcap("text/plain; view %s %t\n");
	cmd = ui_mailcap_command("text/plain", "/tmp/it's; rm -rf ~");
	ck_assert_str_eq(cmd, "view '/tmp/it'\\''s; rm -rf ~' text/plain");
	free(cmd);
	write_mailcap("text/*; view %t\n");
	cmd = ui_mailcap_command("text/x;$(reboot)`id`", "/f");
	ck_assert(strchr(cmd, ';') == NULL && strchr(cmd, '$') == NULL &&
	    strchr(cmd, '`') == NULL && strchr(cmd, '(') == NULL);
	free(cmd);
}
END_TEST

START_TEST(test_test_field)
{
	char *cmd;

	write_mailcap("text/plain; first %s; test=false\n"
	    "text/plain; second %s; test=true\n");
	cmd = ui_mailcap_command("text/plain", "/f");
	ck_assert_str_eq(cmd, "second '/f'");
	free(cmd);
}
END_TEST

START_TEST(test_list)
{
	struct ui_list l = { 100, 0, 0, 0 };

	ui_list_move(&l, 1, 10);
	ck_assert_uint_eq(l.cur, 1);
	ck_assert_uint_eq(l.top, 0);
	ui_list_move(&l, 20, 10);
	ck_assert_uint_eq(l.cur, 21);
	ck_assert_uint_eq(l.top, 12); /* cursor on the last visible row */
	ui_list_move(&l, -1000, 10);
	ck_assert_uint_eq(l.cur, 0);
	ck_assert_uint_eq(l.top, 0);
	ui_list_set(&l, 99, 10);
	ck_assert_uint_eq(l.cur, 99);
	ck_assert_uint_eq(l.top, 90);
	ui_list_move(&l, 5, 10);
	ck_assert_uint_eq(l.cur, 99);
	/* The list shrinks (a limit, a deletion). */
	l.n = 3;
	ui_list_fix(&l, 10);
	ck_assert_uint_eq(l.cur, 2);
	ck_assert_uint_eq(l.top, 0);
	l.n = 0;
	ui_list_fix(&l, 10);
	ck_assert_uint_eq(l.cur, 0);
	ck_assert_uint_eq(l.top, 0);
}
END_TEST

START_TEST(test_list_scroll_only)
{
	struct ui_list l = { 25, 0, 0, 1 };

	ui_list_move(&l, 9, 10);
	ck_assert_uint_eq(l.top, 9);
	ui_list_move(&l, 9, 10); /* never past the last page */
	ck_assert_uint_eq(l.top, 15);
	ui_list_move(&l, -100, 10);
	ck_assert_uint_eq(l.top, 0);
	l.n = 4; /* shorter than a page */
	ui_list_set(&l, 3, 10);
	ck_assert_uint_eq(l.top, 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ui_mailcap_list");
	TCase *tc = tcase_create("mailcap");
	TCase *tl = tcase_create("list");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_lookup);
	tcase_add_test(tc, test_quoting);
	tcase_add_test(tc, test_test_field);
	tcase_add_test(tl, test_list);
	tcase_add_test(tl, test_list_scroll_only);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tl);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
