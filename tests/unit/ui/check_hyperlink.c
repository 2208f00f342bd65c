/* Unit tests of the OSC 8 pieces (ui/hyperlink.h): which URLs may be
 * links, the escape written, URLs found in text, and auto detection. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ui/cli.h"
#include "ui/hyperlink.h"

/* The TUI's helpers from main.c, never called here. */
int
cli_fail(const char *fmt, ...)
{
	return 1;
}

struct config *
cli_load_config(const struct cli_opts *opts)
{
	return NULL;
}

int
cli_open_log(const struct cli_opts *opts)
{
	return 0;
}

START_TEST(test_url_ok)
{
	static const struct {
		const char *url;
		int ok;
	} t[] = {
		{ "https://example.org/a?b=c&d#e", 1 },
		{ "mailto:ann@example.org", 1 },
		{ "http://x.example/;touch PWNED", 0 },  /* blank */
		{ "https://x.example/\033]8;;evil\033\\", 0 },
		{ "https://x.example/\a", 0 },
		{ "https://x.example/\x7f", 0 },
		{ "https://x.example/\xc2\x9b" "31m", 0 }, /* C1 CSI */
		{ "https://caf\xc3\xa9.example/", 0 },
		{ "//no-scheme", 0 },
		{ ":x", 0 },
		{ "", 0 },
		{ "javascript", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ck_assert_msg(ui_hyperlink_url_ok(t[i].url, strlen(t[i].url)) ==
		    t[i].ok, "%zu: %s", i, t[i].url);
	{
		char *big = malloc(UI_HYPERLINK_URL_MAX + 2);

		memset(big, 'a', UI_HYPERLINK_URL_MAX + 1);
		memcpy(big, "https://", 8);
		ck_assert(ui_hyperlink_url_ok(big, UI_HYPERLINK_URL_MAX));
		ck_assert(!ui_hyperlink_url_ok(big, UI_HYPERLINK_URL_MAX + 1));
		free(big);
	}
}
END_TEST

START_TEST(test_wrap)
{
	struct buf b = BUF_INIT;
	static const char evil[] = "https://x.example/\033\\\033]8;;https://y";

	ck_assert_int_eq(ui_hyperlink_wrap(&b, "https://example.org/a", 21,
	    "the text", 8), 0);
	ck_assert_str_eq(buf_cstr(&b), "\033]8;;https://example.org/a\033\\"
	    "the text\033]8;;\033\\");
	buf_reset(&b);
	ck_assert_int_eq(ui_hyperlink_wrap(&b, evil, sizeof(evil) - 1, "x", 1),
	    -1);
	ck_assert_uint_eq(b.len, 0);
	buf_free(&b);
}
END_TEST

START_TEST(test_find)
{
	static const char s[] = "see https://example.org/a, and "
	    "(http://b.example/x). Not xhttp://c.example nor https://";
	size_t start = 0, len;

	ck_assert(ui_url_find(s, sizeof(s) - 1, &start, &len));
	ck_assert_uint_eq(start, 4);
	ck_assert_uint_eq(len, 21);
	start += len;
	ck_assert(ui_url_find(s, sizeof(s) - 1, &start, &len));
	ck_assert(strncmp(s + start, "http://b.example/x", len) == 0);
	ck_assert_uint_eq(len, 18);
	start += len;
	ck_assert(!ui_url_find(s, sizeof(s) - 1, &start, &len));
}
END_TEST

static const char *const *fake;

static const char *
fake_env(const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; fake[i]; i++)
		if (strncmp(fake[i], name, n) == 0 && fake[i][n] == '=')
			return fake[i] + n + 1;
	return NULL;
}

START_TEST(test_auto)
{
	static const char *const kitty[] = { "TERM=xterm-kitty", NULL };
	static const char *const vte[] = { "TERM=xterm-256color",
		"VTE_VERSION=6800", NULL };
	static const char *const old_vte[] = { "TERM=xterm-256color",
		"VTE_VERSION=4802", NULL };
	static const char *const tmux[] = { "TERM=tmux-256color",
		"TMUX=/tmp/s,1,0", "TERM_PROGRAM=WezTerm", NULL };
	static const char *const screen[] = { "TERM=screen", NULL };
	static const char *const xterm[] = { "TERM=xterm-256color", NULL };
	static const char *const iterm[] = { "TERM=xterm-256color",
		"TERM_PROGRAM=iTerm.app", NULL };

	fake = kitty;
	ck_assert_int_eq(ui_hyperlink_auto(fake_env), 1);
	fake = vte;
	ck_assert_int_eq(ui_hyperlink_auto(fake_env), 1);
	fake = old_vte;
	ck_assert_int_eq(ui_hyperlink_auto(fake_env), 0);
	fake = tmux;
	ck_assert_int_eq(ui_hyperlink_auto(fake_env), 0);
	fake = screen;
	ck_assert_int_eq(ui_hyperlink_auto(fake_env), 0);
	fake = xterm;
	ck_assert_int_eq(ui_hyperlink_auto(fake_env), 0);
	fake = iterm;
	ck_assert_int_eq(ui_hyperlink_auto(fake_env), 1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("hyperlink");
	TCase *tc = tcase_create("all");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_url_ok);
	tcase_add_test(tc, test_wrap);
	tcase_add_test(tc, test_find);
	tcase_add_test(tc, test_auto);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
