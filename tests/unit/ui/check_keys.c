/* Unit tests: key names <-> key codes (ui/keys.c). */
#include "config.h"

#include <check.h>
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "ui/keys.h"

static int
parse(const char *s)
{
	struct error err;
	int k = -12345;

	error_clear(&err);
	ck_assert_msg(ui_key_parse(s, &k, &err) == 0, "%s: %s", s, err.msg);
	return k;
}

static void
bad(const char *s)
{
	struct error err;
	int k;

	error_clear(&err);
	ck_assert_msg(ui_key_parse(s, &k, &err) == -1, "'%s' accepted", s);
	ck_assert(err.msg[0] != '\0');
}

START_TEST(test_plain)
{
	ck_assert_int_eq(parse("j"), 'j');
	ck_assert_int_eq(parse("$"), '$');
	ck_assert_int_eq(parse("?"), '?');
	ck_assert_int_eq(parse("<"), '<');
	ck_assert_int_eq(parse("\xc3\xbc"), 0xfc); /* ü */
}
END_TEST

START_TEST(test_ctrl)
{
	ck_assert_int_eq(parse("C-l"), 12);
	ck_assert_int_eq(parse("C-L"), 12);
	ck_assert_int_eq(parse("^L"), 12);
	ck_assert_int_eq(parse("<C-z>"), 26);
	ck_assert_int_eq(parse("C-?"), 127);
}
END_TEST

START_TEST(test_named)
{
	ck_assert_int_eq(parse("<enter>"), '\n');
	ck_assert_int_eq(parse("<Return>"), '\n');
	ck_assert_int_eq(parse("<tab>"), '\t');
	ck_assert_int_eq(parse("<space>"), ' ');
	ck_assert_int_eq(parse("<esc>"), 27);
	ck_assert_int_eq(parse("<pagedown>"), UI_KEY_FN(KEY_NPAGE));
	ck_assert_int_eq(parse("<PageUp>"), UI_KEY_FN(KEY_PPAGE));
	ck_assert_int_eq(parse("<up>"), UI_KEY_FN(KEY_UP));
	ck_assert_int_eq(parse("<home>"), UI_KEY_FN(KEY_HOME));
	ck_assert_int_eq(parse("<end>"), UI_KEY_FN(KEY_END));
	ck_assert_int_eq(parse("<f1>"), UI_KEY_FN(KEY_F(1)));
	ck_assert_int_eq(parse("<F12>"), UI_KEY_FN(KEY_F(12)));
}
END_TEST

START_TEST(test_bad)
{
	bad("");
	bad("jj");
	bad("<nope>");
	bad("<f13>");
	bad("<f0>");
	bad("C-");
	bad("C-ll");
	bad("C-1");
	bad("\x1b[A");
	bad("\x07");
	bad("\xff");
	bad("<>");
}
END_TEST

START_TEST(test_names_round_trip)
{
	const char *names[] = { "j", "C-l", "<pagedown>", "<enter>", "<tab>",
		"<f5>", "<esc>", "<space>", "$", "<backtab>", "C-z", NULL };
	char out[32];
	size_t i;

	for (i = 0; names[i]; i++)
		ck_assert_str_eq(ui_key_name(parse(names[i]), out,
		    sizeof(out)), names[i]);
}
END_TEST

START_TEST(test_from_curses)
{
	ck_assert_int_eq(ui_key_from_curses(OK, '\r'), '\n');
	ck_assert_int_eq(ui_key_from_curses(KEY_CODE_YES, KEY_ENTER), '\n');
	ck_assert_int_eq(ui_key_from_curses(KEY_CODE_YES, KEY_NPAGE),
	    parse("<pagedown>"));
	/* A code point that collides with a KEY_ value stays a character. */
	ck_assert_int_eq(ui_key_from_curses(OK, KEY_DOWN), KEY_DOWN);
	ck_assert_int_ne(ui_key_from_curses(OK, KEY_DOWN),
	    ui_key_from_curses(KEY_CODE_YES, KEY_DOWN));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ui_keys");
	TCase *tc = tcase_create("keys");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_plain);
	tcase_add_test(tc, test_ctrl);
	tcase_add_test(tc, test_named);
	tcase_add_test(tc, test_bad);
	tcase_add_test(tc, test_names_round_trip);
	tcase_add_test(tc, test_from_curses);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
