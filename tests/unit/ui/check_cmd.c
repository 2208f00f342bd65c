/* Unit tests: the command table, bindings, [keys] and the help text. */
#include "config.h"

#include <check.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/cli.h"
#include "ui/cmd.h"
#include "ui/keys.h"

/* The command functions link the TUI, which uses main.c's helpers; these
 * tests never start it. */
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

static const unsigned ctxs[] = { UI_CTX_ACCOUNTS, UI_CTX_FOLDERS,
	UI_CTX_INDEX, UI_CTX_PAGER, UI_CTX_HELP };

START_TEST(test_table_sane)
{
	const struct ui_cmd *c, *d;
	size_t n = 0;

	for (c = ui_cmds; c->name; c++, n++) {
		ck_assert_msg(c->fn != NULL, "%s has no function", c->name);
		ck_assert_msg(c->help && c->help[0], "%s has no help", c->name);
		ck_assert_msg(c->ctx != 0 && (c->ctx & ~UI_CTX_ALL) == 0,
		    "%s: bad screens", c->name);
		ck_assert_msg(strchr(c->name, ' ') == NULL &&
		    strchr(c->name, ';') == NULL, "%s: bad name", c->name);
		for (d = ui_cmds; d < c; d++)
			ck_assert_msg(strcmp(c->name, d->name) != 0,
			    "duplicate command %s", c->name);
		ck_assert(ui_cmd_find(c->name) == c);
	}
	ck_assert_uint_ge(n, 30);
	ck_assert(ui_cmd_find("no-such-command") == NULL);
}
END_TEST

/* Every default key parses, and no key means two commands on one kind of
 * screen (the later would silently win). */
START_TEST(test_default_keys_unique)
{
	const struct ui_cmd *c, *d;
	struct error err;
	char word[32];
	const char *p, *e;
	int keys[512], nkeys = 0, k, i;
	const struct ui_cmd *owner[512];

	for (c = ui_cmds; c->name; c++) {
		for (p = c->keys; *p; p = e) {
			while (*p == ' ')
				p++;
			if ((e = strchr(p, ' ')) == NULL)
				e = p + strlen(p);
			if (e == p)
				continue;
			ck_assert((size_t)(e - p) < sizeof(word));
			memcpy(word, p, (size_t)(e - p));
			word[e - p] = '\0';
			error_clear(&err);
			ck_assert_msg(ui_key_parse(word, &k, &err) == 0,
			    "%s: %s", c->name, err.msg);
			for (i = 0; i < nkeys; i++) {
				d = owner[i];
				ck_assert_msg(keys[i] != k ||
				    (d->ctx & c->ctx) == 0,
				    "key %s bound to %s and %s", word,
				    d->name, c->name);
			}
			ck_assert_int_lt(nkeys, 512);
			keys[nkeys] = k;
			owner[nkeys++] = c;
		}
	}
}
END_TEST

static const struct ui_cmd *
lookup(struct ui_keymap *km, const char *key, unsigned ctx)
{
	int k;

	ck_assert_int_eq(ui_key_parse(key, &k, NULL), 0);
	return ui_keymap_lookup(km, k, ctx);
}

static void
expect(struct ui_keymap *km, const char *key, unsigned ctx,
    const char *name)
{
	const struct ui_cmd *c = lookup(km, key, ctx);

	ck_assert_msg(c != NULL, "%s unbound", key);
	ck_assert_str_eq(c->name, name);
}

START_TEST(test_mutt_defaults)
{
	struct ui_keymap *km = ui_keymap_new();

	expect(km, "j", UI_CTX_INDEX, "down");
	expect(km, "<down>", UI_CTX_INDEX, "down");
	expect(km, "k", UI_CTX_INDEX, "up");
	expect(km, "<pagedown>", UI_CTX_INDEX, "page-down");
	expect(km, "<pageup>", UI_CTX_INDEX, "page-up");
	expect(km, "<home>", UI_CTX_INDEX, "first");
	expect(km, "<end>", UI_CTX_INDEX, "last");
	expect(km, "<enter>", UI_CTX_INDEX, "open");
	expect(km, "q", UI_CTX_INDEX, "back");
	expect(km, "<tab>", UI_CTX_INDEX, "next-unread");
	expect(km, "N", UI_CTX_INDEX, "toggle-new");
	expect(km, "F", UI_CTX_PAGER, "flag");
	expect(km, "d", UI_CTX_INDEX, "delete");
	expect(km, "u", UI_CTX_INDEX, "undelete");
	expect(km, "s", UI_CTX_INDEX, "move");
	expect(km, "C", UI_CTX_INDEX, "copy");
	expect(km, "$", UI_CTX_ACCOUNTS, "sync");
	expect(km, "/", UI_CTX_PAGER, "search");
	expect(km, "l", UI_CTX_INDEX, "limit");
	expect(km, "c", UI_CTX_INDEX, "change-folder");
	expect(km, "o", UI_CTX_INDEX, "sort");
	expect(km, "C-l", UI_CTX_PAGER, "redraw");
	expect(km, "C-z", UI_CTX_ACCOUNTS, "suspend");
	expect(km, "?", UI_CTX_FOLDERS, "help");
	expect(km, ":", UI_CTX_HELP, "command-line");
	/* Not on screens where they make no sense. */
	ck_assert(lookup(km, "d", UI_CTX_ACCOUNTS) == NULL);
	ck_assert(lookup(km, "X", UI_CTX_PAGER) == NULL);
	/* The pager's own o (Mutt's urlview-like link opener), h, e, |. */
	expect(km, "o", UI_CTX_PAGER, "open-link");
	expect(km, "h", UI_CTX_PAGER, "toggle-headers");
	expect(km, "e", UI_CTX_PAGER, "raw-message");
	expect(km, "|", UI_CTX_PAGER, "pipe-message");
	expect(km, "H", UI_CTX_PAGER, "toggle-html");
	ck_assert(lookup(km, "h", UI_CTX_INDEX) == NULL);
	ui_keymap_free(&km);
	ck_assert(km == NULL);
}
END_TEST

START_TEST(test_rebind)
{
	struct ui_keymap *km = ui_keymap_new();
	struct error err;

	error_clear(&err);
	ck_assert_int_eq(ui_keymap_bind(km, "x", "delete", &err), 0);
	expect(km, "x", UI_CTX_INDEX, "delete");
	/* Rebinding j on message screens leaves it "down" elsewhere. */
	ck_assert_int_eq(ui_keymap_bind(km, "j", "next-message", &err), 0);
	expect(km, "j", UI_CTX_PAGER, "next-message");
	expect(km, "j", UI_CTX_INDEX, "next-message");
	expect(km, "j", UI_CTX_FOLDERS, "down");
	ck_assert_int_eq(ui_keymap_bind(km, "<f2>", "sync", &err), 0);
	expect(km, "<f2>", UI_CTX_ACCOUNTS, "sync");
	ck_assert_int_eq(ui_keymap_bind(km, "q", "none", &err), 0);
	ck_assert(lookup(km, "q", UI_CTX_INDEX) == NULL);
	ck_assert_int_eq(ui_keymap_bind(km, "q", "nope", &err), -1);
	ck_assert(strstr(err.msg, "unknown command 'nope'") != NULL);
	ck_assert_int_eq(ui_keymap_bind(km, "<nokey>", "quit", &err), -1);
	ck_assert(strstr(err.msg, "bad key") != NULL);
	ui_keymap_free(&km);
}
END_TEST

START_TEST(test_config_keys)
{
	struct ui_keymap *km = ui_keymap_new();
	struct config_key keys[2] = {
		{ "C-d", "delete", 7 },
		{ "<f3>", "bogus", 8 },
	};
	struct config cfg;
	struct error err;

	memset(&cfg, 0, sizeof(cfg));
	cfg.path = "/x/config";
	cfg.keys = keys;
	cfg.nkeys = 1;
	error_clear(&err);
	ck_assert_int_eq(ui_keymap_config(km, &cfg, &err), 0);
	expect(km, "C-d", UI_CTX_INDEX, "delete");
	cfg.nkeys = 2;
	ck_assert_int_eq(ui_keymap_config(km, &cfg, &err), -1);
	ck_assert_msg(strstr(err.msg, "/x/config:8") == err.msg, "%s",
	    err.msg);
	ck_assert(strstr(err.msg, "bogus") != NULL);
	ui_keymap_free(&km);
}
END_TEST

START_TEST(test_help_generated)
{
	struct ui_keymap *km = ui_keymap_new();
	struct buf b = BUF_INIT;
	const struct ui_cmd *c;
	size_t i, lines;
	const char *p;

	for (i = 0; i < sizeof(ctxs) / sizeof(ctxs[0]); i++) {
		buf_reset(&b);
		ui_help_text(km, ctxs[i], &b);
		for (lines = 0, p = buf_cstr(&b); *p; p++)
			lines += *p == '\n';
		for (c = ui_cmds; c->name; c++) {
			if (!(c->ctx & ctxs[i]))
				continue;
			ck_assert_msg(strstr(b.data, c->help) != NULL,
			    "help lacks %s", c->name);
			lines--;
		}
		ck_assert_uint_eq(lines, 0);
	}
	buf_reset(&b);
	ui_help_text(km, UI_CTX_INDEX, &b);
	ck_assert(strstr(b.data, "j <down>\tdown\t") != NULL);
	ck_assert(strstr(b.data, "C-l\tredraw\t") != NULL);
	ck_assert(strstr(b.data, "\tsave-attachment\t") == NULL);
	/* Rebinding shows in the help. */
	ck_assert_int_eq(ui_keymap_bind(km, "X", "redraw", NULL), 0);
	buf_reset(&b);
	ui_help_text(km, UI_CTX_INDEX, &b);
	ck_assert(strstr(b.data, "C-l X\tredraw\t") != NULL);
	buf_free(&b);
	ui_keymap_free(&km);
}
END_TEST

START_TEST(test_cmdline_split)
{
	struct buf name = BUF_INIT, arg = BUF_INIT;
	const char *p = "  sort subject ;last;; search  hello world ; quit";

	ck_assert_int_eq(ui_cmdline_next(&p, &name, &arg), 1);
	ck_assert_str_eq(buf_cstr(&name), "sort");
	ck_assert_str_eq(buf_cstr(&arg), "subject");
	ck_assert_int_eq(ui_cmdline_next(&p, &name, &arg), 1);
	ck_assert_str_eq(buf_cstr(&name), "last");
	ck_assert_str_eq(buf_cstr(&arg), "");
	ck_assert_int_eq(ui_cmdline_next(&p, &name, &arg), 1);
	ck_assert_str_eq(buf_cstr(&name), "search");
	ck_assert_str_eq(buf_cstr(&arg), "hello world");
	ck_assert_int_eq(ui_cmdline_next(&p, &name, &arg), 1);
	ck_assert_str_eq(buf_cstr(&name), "quit");
	ck_assert_int_eq(ui_cmdline_next(&p, &name, &arg), 0);
	ck_assert_int_eq(ui_cmdline_next(&p, &name, &arg), 0);
	buf_free(&name);
	buf_free(&arg);
}
END_TEST

/* The man page lists every command (doc/postie.1, "\fBNAME\fR \(em"). */
START_TEST(test_man_page_lists_commands)
{
	const char *src = getenv("top_srcdir");
	const struct ui_cmd *c;
	struct buf page = BUF_INIT, want = BUF_INIT;
	char path[4096], chunk[4096];
	const char *p;
	FILE *fp;
	size_t n;

	snprintf(path, sizeof(path), "%s/doc/postie.1", src ? src : ".");
	fp = fopen(path, "r");
	ck_assert_msg(fp != NULL, "cannot read %s", path);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&page, chunk, n);
	fclose(fp);
	for (c = ui_cmds; c->name; c++) {
		buf_reset(&want);
		buf_addstr(&want, "\\fB");
		for (p = c->name; *p; p++) {
			if (*p == '-')
				buf_addstr(&want, "\\-");
			else
				buf_addch(&want, *p);
		}
		buf_addstr(&want, "\\fR \\(em");
		ck_assert_msg(strstr(page.data, want.data) != NULL,
		    "doc/postie.1 does not describe %s", c->name);
	}
	buf_free(&page);
	buf_free(&want);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ui_cmd");
	TCase *tc = tcase_create("cmd");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_table_sane);
	tcase_add_test(tc, test_default_keys_unique);
	tcase_add_test(tc, test_mutt_defaults);
	tcase_add_test(tc, test_rebind);
	tcase_add_test(tc, test_config_keys);
	tcase_add_test(tc, test_help_generated);
	tcase_add_test(tc, test_cmdline_split);
	tcase_add_test(tc, test_man_page_lists_commands);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
