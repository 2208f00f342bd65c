/* Unit tests: theme files and colour mapping (ui/theme.c). */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ui/theme.h"

static int
parse_text(const char *text, struct theme *t, struct error *err)
{
	theme_defaults(t);
	error_clear(err);
	return theme_parse("t.theme", text, strlen(text), t, err);
}

START_TEST(test_colors)
{
	int c;

	ck_assert_int_eq(theme_color_parse("default", &c), 0);
	ck_assert_int_eq(c, -1);
	ck_assert_int_eq(theme_color_parse("red", &c), 0);
	ck_assert_int_eq(c, 1);
	ck_assert_int_eq(theme_color_parse("WHITE", &c), 0);
	ck_assert_int_eq(c, 7);
	ck_assert_int_eq(theme_color_parse("bright-blue", &c), 0);
	ck_assert_int_eq(c, 12);
	ck_assert_int_eq(theme_color_parse("0", &c), 0);
	ck_assert_int_eq(c, 0);
	ck_assert_int_eq(theme_color_parse("255", &c), 0);
	ck_assert_int_eq(c, 255);
	ck_assert_int_eq(theme_color_parse("256", &c), -1);
	ck_assert_int_eq(theme_color_parse("-1", &c), -1);
	ck_assert_int_eq(theme_color_parse("#12345", &c), -1);
	ck_assert_int_eq(theme_color_parse("#1234567", &c), -1);
	ck_assert_int_eq(theme_color_parse("#gg0000", &c), -1);
	ck_assert_int_eq(theme_color_parse("purple", &c), -1);
	ck_assert_int_eq(theme_color_parse("", &c), -1);
}
END_TEST

START_TEST(test_rgb_mapping)
{
	int c;

	/* Exact cube and grey entries map to themselves. */
	ck_assert_int_eq(theme_rgb_to_256(255, 0, 0), 196);
	ck_assert_int_eq(theme_rgb_to_256(0, 0, 0), 16);
	ck_assert_int_eq(theme_rgb_to_256(255, 255, 255), 231);
	ck_assert_int_eq(theme_rgb_to_256(0x87, 0xaf, 0xd7), 110);
	ck_assert_int_eq(theme_rgb_to_256(0x80, 0x80, 0x80), 244);
	ck_assert_int_eq(theme_color_parse("#5f87ff", &c), 0);
	ck_assert_int_eq(c, 69);
	/* Near a grey: the grey ramp wins. */
	ck_assert_int_eq(theme_rgb_to_256(0x31, 0x32, 0x30), 236);
}
END_TEST

START_TEST(test_reduce)
{
	ck_assert_int_eq(theme_color_reduce(-1, 8), -1);
	ck_assert_int_eq(theme_color_reduce(3, 8), 3);
	ck_assert_int_eq(theme_color_reduce(196, 256), 196);
	/* Bright red in 8 colours: red; pure blue: blue; white: white. */
	ck_assert_int_eq(theme_color_reduce(196, 8), 1);
	ck_assert_int_eq(theme_color_reduce(21, 8), 4);
	ck_assert_int_eq(theme_color_reduce(231, 8), 7);
	ck_assert_int_eq(theme_color_reduce(9, 8), 1);
	ck_assert_int_eq(theme_color_reduce(231, 16), 15);
	ck_assert_int_eq(theme_color_reduce(16, 8), 0);
	/* Fewer than 8 colours: no colour at all. */
	ck_assert_int_eq(theme_color_reduce(3, 2), -1);
}
END_TEST

START_TEST(test_parse_good)
{
	struct theme t;
	struct error err;
	const char *text =
	    "# a comment\n"
	    "\n"
	    "normal = white black\n"
	    "  status=black cyan bold  \n"
	    "quote2 = #87afd7 default underline italic\n"
	    "cursor = 236 255 reverse\n"
	    "new = default default none";

	ck_assert_msg(parse_text(text, &t, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(t.el[THEME_NORMAL].fg, 7);
	ck_assert_int_eq(t.el[THEME_NORMAL].bg, 0);
	ck_assert_int_eq(t.el[THEME_STATUS].bg, 6);
	ck_assert_uint_eq(t.el[THEME_STATUS].attrs, THEME_BOLD);
	ck_assert_int_eq(t.el[THEME_QUOTE2].fg, 110);
	ck_assert_int_eq(t.el[THEME_QUOTE2].bg, -1);
	ck_assert_uint_eq(t.el[THEME_QUOTE2].attrs,
	    THEME_UNDERLINE | THEME_ITALIC);
	ck_assert_int_eq(t.el[THEME_CURSOR].fg, 236);
	ck_assert_uint_eq(t.el[THEME_CURSOR].attrs, THEME_REVERSE);
	ck_assert_uint_eq(t.el[THEME_NEW].attrs, 0);
	/* Not mentioned: the built-in default stays. */
	ck_assert_int_eq(t.el[THEME_FLAGGED].fg, 1);
}
END_TEST

static void
bad(const char *text, const char *want)
{
	struct theme t;
	struct error err;

	ck_assert_msg(parse_text(text, &t, &err) == -1, "accepted: %s", text);
	ck_assert_msg(strstr(err.msg, want) != NULL, "'%s' lacks '%s'",
	    err.msg, want);
	ck_assert_msg(strstr(err.msg, "t.theme:") == err.msg, "%s", err.msg);
	/* No escape byte from the file reaches the message. */
	ck_assert(strchr(err.msg, 0x1b) == NULL);
}

START_TEST(test_parse_bad)
{
	bad("normal white black\n", "t.theme:1: expected");
	bad("\nbogus = red blue\n", "t.theme:2: unknown element 'bogus'");
	bad("normal = red\n", "needs a foreground and a background");
	bad("normal = red nope\n", "bad colour 'nope'");
	bad("normal = 300 red\n", "bad colour '300'");
	bad("normal = red blue blink\n", "unknown attribute 'blink'");
	bad("normal = #zzzzzz red\n", "bad colour");
	bad("n\x1b[31mormal = red blue\n", "control character");
	bad("normal = a b c d e f g h i j\n", "too many words");
}
END_TEST

static int
file_ok(const char *name)
{
	struct theme t;
	struct error err;
	char *path = NULL;
	int rc;

	error_clear(&err);
	rc = theme_load(name, &t, &path, &err);
	ck_assert_msg(rc == 0, "%s: %s", name, err.msg);
	ck_assert_str_eq(t.name, name);
	ck_assert(strstr(path, name) != NULL);
	free(path);
	return rc;
}

START_TEST(test_shipped_themes)
{
	const char *src = getenv("top_srcdir");
	char dir[4096];

	if (src) {
		snprintf(dir, sizeof(dir), "%s/themes", src);
		setenv("POSTIE_THEMES_DIR", dir, 1);
	}
	/* No user themes in the way. */
	setenv("XDG_CONFIG_HOME", "/nonexistent-postie-test", 1);
	file_ok("default");
	file_ok("light");
	file_ok("solarized-dark");
	file_ok("mono");
	file_ok("high-contrast");
}
END_TEST

START_TEST(test_load_refuses)
{
	struct theme t;
	struct error err;

	error_clear(&err);
	ck_assert_int_eq(theme_load("../etc/passwd", &t, NULL, &err), -1);
	ck_assert_int_eq(theme_load(".hidden", &t, NULL, &err), -1);
	ck_assert_int_eq(theme_load("", &t, NULL, &err), -1);
	ck_assert_int_eq(theme_load("no-such-theme-here", &t, NULL, &err),
	    -1);
	ck_assert(strstr(err.msg, "no theme named") != NULL);
}
END_TEST

/* The binary looks only where an installed postie looks: the user's
 * folder, $POSTIE_THEMES_DIR and the installed datadir, never at the
 * tree it was built from (a stale tree there could supply themes). */
START_TEST(test_no_build_tree_lookup)
{
	struct theme t;
	struct error err;

	if (access(POSTIE_DATADIR "/themes/default.theme", R_OK) == 0)
		return; /* installed here: it would rightly be found */
	unsetenv("POSTIE_THEMES_DIR");
	setenv("XDG_CONFIG_HOME", "/nonexistent-postie-test", 1);
	error_clear(&err);
	ck_assert_int_eq(theme_load("default", &t, NULL, &err), -1);
	ck_assert(strstr(err.msg, "no theme named 'default'") != NULL);
}
END_TEST

START_TEST(test_user_theme_first)
{
	char tmpl[] = "/tmp/postie-theme-XXXXXX", path[256];
	struct theme t;
	struct error err;
	FILE *fp;

	ck_assert(mkdtemp(tmpl) != NULL);
	snprintf(path, sizeof(path), "%s/postie", tmpl);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/postie/themes", tmpl);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/postie/themes/default.theme", tmpl);
	ck_assert((fp = fopen(path, "w")) != NULL);
	fputs("normal = 42 43\n", fp);
	fclose(fp);
	setenv("XDG_CONFIG_HOME", tmpl, 1);
	error_clear(&err);
	ck_assert_msg(theme_load("default", &t, NULL, &err) == 0, "%s",
	    err.msg);
	ck_assert_int_eq(t.el[THEME_NORMAL].fg, 42);
	unlink(path);
	snprintf(path, sizeof(path), "%s/postie/themes", tmpl);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/postie", tmpl);
	rmdir(path);
	rmdir(tmpl);
}
END_TEST

START_TEST(test_elem_names)
{
	int i, j;

	for (i = 0; i < THEME_NELEMS; i++) {
		ck_assert(theme_elem_name(i) != NULL);
		for (j = 0; j < i; j++)
			ck_assert_str_ne(theme_elem_name(i),
			    theme_elem_name(j));
	}
	ck_assert(theme_elem_name(THEME_NELEMS) == NULL);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ui_theme");
	TCase *tc = tcase_create("theme");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_colors);
	tcase_add_test(tc, test_rgb_mapping);
	tcase_add_test(tc, test_reduce);
	tcase_add_test(tc, test_parse_good);
	tcase_add_test(tc, test_parse_bad);
	tcase_add_test(tc, test_shipped_themes);
	tcase_add_test(tc, test_load_refuses);
	tcase_add_test(tc, test_no_build_tree_lookup);
	tcase_add_test(tc, test_user_theme_first);
	tcase_add_test(tc, test_elem_names);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
