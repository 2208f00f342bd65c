/* Unit tests: mailcap lookup and the command builder (ui/mailcap.c),
 * the viewer's temporary file (ui/save.c), list movement (ui/list.c). */
#include "config.h"

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/spawn.h"
#include "ui/mailcap.h"
#include "ui/save.h"
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
	/* again for each test: with CK_FORK=no, one process runs them all */
	snprintf(dir, sizeof(dir), "/tmp/postie-mailcap-XXXXXX");
	ck_assert(mkdtemp(dir) != NULL);
}

static void
teardown(void)
{
	char pwned[300];

	snprintf(pwned, sizeof(pwned), "%s/PWNED", dir);
	unlink(pwned);
	unlink(path);
	rmdir(dir);
}

/* Content-Type parameters: "name=value" pairs, NULL-terminated. */
static int
params(const char *name, struct buf *out, void *arg)
{
	const char *const *p;

	for (p = arg; p && *p; p++) {
		size_t n = strlen(name);

		if (strncmp(*p, name, n) == 0 && (*p)[n] == '=') {
			buf_addstr(out, *p + n + 1);
			return 1;
		}
	}
	return 0;
}

/* The command for type and file, or NULL; *rc_r gets find's result. */
static char *
find(const char *type, const char *file, const char **pv, int *rc_r,
    struct mailcap_entry *e_r)
{
	struct mailcap_entry e;
	struct error err;
	int rc;

	error_clear(&err);
	rc = ui_mailcap_find(type, file, params, (void *)pv, &e, &err);
	if (rc_r)
		*rc_r = rc;
	if (rc < 0)
		ck_assert(err.msg[0] != '\0');
	if (rc <= 0)
		return NULL;
	if (e_r)
		*e_r = e;
	return e.command;
}

START_TEST(test_lookup)
{
	struct mailcap_entry e;
	char *cmd;
	int rc;

	write_mailcap("# comment\n"
	    "\n"
	    "image/png; viewer-png %s\n"
	    "image/*; viewer-any '%s' --type=%t\n"
	    "text/html; lynx -dump -assume_charset=%{charset} %s; "
	    "copiousoutput\n"
	    "text; pager-text\n"
	    "application/pdf; pdf \\\n"
	    "  %s 100\\% %%; needsterminal\n");
	cmd = find("image/png", "/tmp/a.png", NULL, NULL, &e);
	ck_assert_str_eq(cmd, "viewer-png /tmp/a.png");
	ck_assert(!e.file_on_stdin && !e.copiousoutput);
	free(cmd);
	cmd = find("IMAGE/JPEG", "/tmp/x.jpg", NULL, NULL, NULL);
	ck_assert_str_eq(cmd, "viewer-any '/tmp/x.jpg' --type=IMAGE/JPEG");
	free(cmd);
	/* No %s: the file comes on standard input. */
	cmd = find("text/plain", "/tmp/t.txt", NULL, NULL, &e);
	ck_assert_str_eq(cmd, "pager-text");
	ck_assert(e.file_on_stdin);
	free(cmd);
	{
		const char *pv[] = { "charset=ISO-8859-1", NULL };

		cmd = find("text/html", "/tmp/p.html", pv, NULL, &e);
		ck_assert_str_eq(cmd, "lynx -dump -assume_charset=ISO-8859-1 "
		    "/tmp/p.html");
		ck_assert(e.copiousoutput && !e.file_on_stdin);
		free(cmd);
		/* an absent parameter is empty */
		cmd = find("text/html", "/tmp/p.html", NULL, NULL, NULL);
		ck_assert_str_eq(cmd, "lynx -dump -assume_charset= "
		    "/tmp/p.html");
		free(cmd);
	}
	cmd = find("application/pdf", "/tmp/d.pdf", NULL, NULL, NULL);
	ck_assert_str_eq(cmd, "pdf   /tmp/d.pdf 100% %");
	free(cmd);
	ck_assert_ptr_null(find("audio/ogg", "/tmp/a.ogg", NULL, &rc, NULL));
	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_null(find("imagex/png", "/tmp/a", NULL, &rc, NULL));
	ck_assert_int_eq(rc, 0);
}
END_TEST

/* What the builder refuses, for every substitution: a sentence, and
 * nothing to run. */
START_TEST(test_refused)
{
	static const char *const files[] = {
	    "/tmp/a b.png", "/tmp/$(touch PWNED)", "/tmp/`id`", "/tmp/it's",
	    "/tmp/a\"b", "/tmp/a;b", "/tmp/a\nb", "-rf", "", "/",
	};
	static const char *const types[] = {
	    "text/x;$(touch PWNED)", "text/`id`", "text/a'b", "text/a\"b",
	    "text/a b", "text/a\nb", "-text/plain", "",
	};
	static const char *const values[] = {
	    "$(touch PWNED)", "`id`", "utf-8';touch PWNED;'",
	    "utf-8\";touch PWNED;\"", "a b", "utf-8\ntouch PWNED", "-x",
	    "a/b", "utf-8%s",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	};
	struct mailcap_entry e;
	struct error err;
	size_t i;
	int rc;

	write_mailcap("image/*; view %s\n");
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		ck_assert_ptr_null(find("image/png", files[i], NULL, &rc, NULL));
		ck_assert_int_eq(rc, -1);
	}
	write_mailcap("text/*; view --type=%t /f\n");
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		struct buf b = BUF_INIT;

		/* the builder itself, for types no pattern would match */
		error_clear(&err);
		ck_assert_int_eq(ui_mailcap_expand("view %t", types[i], "/f",
		    NULL, NULL, &b, NULL, &err), -1);
		ck_assert_ptr_nonnull(strstr(err.msg, "content type"));
		buf_free(&b);
	}
	ck_assert_ptr_null(find("text/x;$(touch PWNED)", "/f", NULL, &rc,
	    NULL));
	ck_assert_int_eq(rc, -1);
	write_mailcap("text/plain; iconv -f %{charset} -t utf-8 %s\n");
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		const char *pv[] = { NULL, NULL };
		char kv[128];

		snprintf(kv, sizeof(kv), "charset=%s", values[i]);
		pv[0] = kv;
		error_clear(&err);
		rc = ui_mailcap_find("text/plain", "/f", params, pv, &e, &err);
		ck_assert_int_eq(rc, -1);
		ck_assert_str_eq(err.msg, "The attachment's charset parameter "
		    "is not safe to give to the mailcap command; not opened.");
	}
}
END_TEST

/* Runs cmd (if not NULL) through the shell, its output dropped. */
static void
run_quietly(const char *cmd)
{
	struct spawn_opts o;
	struct spawn_result r;
	struct error err;

	if (cmd == NULL)
		return;
	memset(&o, 0, sizeof(o));
	o.command = cmd;
	o.in_fd = -1;
	o.timeout_ms = 10000;
	ck_assert_int_eq(spawn_run(&o, &r, &err), 0);
}

/* The whole path open-attachment takes, with hostile names, types and
 * parameters, for each way an entry may quote: the commands really run,
 * and no file PWNED is ever created. */
START_TEST(test_hostile_runs)
{
	static const char *const names[] = {
	    "$(touch PWNED).txt", "`touch PWNED`.txt", "x'; touch PWNED; '",
	    "x\"; touch PWNED; \"", "a\ntouch PWNED", "a.$(touch PWNED)",
	    "a;touch PWNED;.txt", "-rf .txt", "../../x.txt",
	};
	static const char *const tmpls[] = {
	    "cat %s", "cat '%s'", "cat \"%s\"", "cat <%s",
	    "cat %s; test=test -n \"%{charset}\"",
	    "cat '%s' # %t %{charset}", "cat \"%s\" # '%{name}' \"%t\"",
	    "cat",
	};
	static const char *const hostile[] = {
	    "$(touch PWNED)", "`touch PWNED`", "';touch PWNED;'",
	    "\";touch PWNED;\"", "\ntouch PWNED\n",
	};
	char line[256], pwned[300], cwd[4096];
	size_t i, j, k;

	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	ck_assert_int_eq(chdir(dir), 0);
	snprintf(pwned, sizeof(pwned), "%s/PWNED", dir);
	for (i = 0; i < sizeof(tmpls) / sizeof(tmpls[0]); i++) {
		snprintf(line, sizeof(line), "text/*; %s\n", tmpls[i]);
		write_mailcap(line);
		for (j = 0; j < sizeof(names) / sizeof(names[0]); j++) {
			char ext[MAILCAP_EXT_MAX + 2], *tdir, *file, *cmd;
			struct buf out = BUF_INIT;
			struct mailcap_entry e;
			struct spawn_opts o;
			struct spawn_result r;
			struct error err;
			const char *pv[] = { "charset=utf-8", "name=x", NULL };
			int fd = -1;

			ui_mailcap_extension(names[j], ext);
			ck_assert_int_eq(ui_save_temp(ext, "payload\n", 8, &tdir,
			    &file, &err), 0);
			/* a good file, type and parameters: it runs */
			cmd = find("text/plain", file, pv, NULL, &e);
			ck_assert_ptr_nonnull(cmd);
			memset(&o, 0, sizeof(o));
			o.command = cmd;
			o.in_fd = -1;
			if (e.file_on_stdin)
				o.in_fd = fd = open(file, O_RDONLY);
			o.out = &out;
			o.out_max = 100;
			o.timeout_ms = 10000;
			ck_assert_int_eq(spawn_run(&o, &r, &err), 0);
			ck_assert_msg(spawn_ok(&r), "%s: %s", cmd, r.errline);
			ck_assert_str_eq(buf_cstr(&out), "payload\n");
			if (fd >= 0)
				close(fd);
			free(cmd);
			buf_free(&out);
			/* hostile parameters and types: refused or kept out */
			for (k = 0; k < sizeof(hostile) / sizeof(hostile[0]);
			    k++) {
				char kv[2][64], type[64];
				const char *hv[] = { kv[0], kv[1], NULL };
				int rc;

				snprintf(kv[0], sizeof(kv[0]), "charset=%s",
				    hostile[k]);
				snprintf(kv[1], sizeof(kv[1]), "name=%s",
				    hostile[k]);
				snprintf(type, sizeof(type), "text/%s",
				    hostile[k]);
				cmd = find("text/plain", file, hv, &rc, NULL);
				run_quietly(cmd);
				free(cmd);
				cmd = find(type, file, pv, &rc, NULL);
				run_quietly(cmd);
				free(cmd);
				ck_assert_msg(access(pwned, F_OK) != 0,
				    "PWNED by %s with %s", tmpls[i],
				    hostile[k]);
			}
			ui_save_temp_remove(tdir, file);
			ck_assert_msg(access(pwned, F_OK) != 0,
			    "PWNED by %s with %s", tmpls[i], names[j]);
		}
	}
	ck_assert_int_eq(chdir(cwd), 0);
}
END_TEST

START_TEST(test_temp_file)
{
	char ext[MAILCAP_EXT_MAX + 2], *tdir, *file;
	const char *base;
	struct error err;
	struct stat st;
	size_t i;

	ui_mailcap_extension("$(touch PWNED).PDF", ext);
	ck_assert_str_eq(ext, ".PDF");
	ck_assert_int_eq(ui_save_temp(ext, "x", 1, &tdir, &file, &err), 0);
	ck_assert_int_eq(stat(tdir, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	ck_assert_int_eq(stat(file, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_uint_eq(st.st_size, 1);
	ck_assert(strncmp(file, tdir, strlen(tdir)) == 0);
	base = file + strlen(tdir);
	ck_assert(strncmp(base, "/postie-", 8) == 0);
	ck_assert_uint_eq(strlen(base), strlen("/postie-XXXXXX.PDF"));
	ck_assert_str_eq(base + 14, ".PDF");
	for (i = 0; file[i]; i++)
		ck_assert(strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
		    "TUVWXYZ0123456789/._-", file[i]) != NULL);
	ui_save_temp_remove(tdir, file);
	ck_assert_int_ne(access(base, F_OK), 0);
	/* A TMPDIR that would need quoting is not used. */
	setenv("TMPDIR", "/tmp/$(touch PWNED)", 1);
	ck_assert_int_eq(ui_save_temp("", "x", 1, &tdir, &file, &err), 0);
	ck_assert(strncmp(file, "/tmp/postie-", 12) == 0);
	ck_assert_ptr_null(strchr(file, '$'));
	ui_save_temp_remove(tdir, file);
	unsetenv("TMPDIR");
}
END_TEST

START_TEST(test_extension)
{
	static const char *const cases[][2] = {
	    { "report.pdf", ".pdf" }, { "a.tar.gz", ".gz" },
	    { "x.JPEG", ".JPEG" }, { "noext", "" }, { "a.", "" },
	    { ".bashrc", "" }, { "a.$(id)", "" }, { "a.p df", "" },
	    { "a.abcdefghij", ".abcdefghij" }, { "a.abcdefghijk", "" },
	    { "a.t\xc3\xa9xt", "" }, { "a.txt\n", "" }, { "", "" },
	};
	char ext[MAILCAP_EXT_MAX + 2];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ui_mailcap_extension(cases[i][0], ext);
		ck_assert_str_eq(ext, cases[i][1]);
	}
	ui_mailcap_extension(NULL, ext);
	ck_assert_str_eq(ext, "");
}
END_TEST

START_TEST(test_test_field)
{
	char *cmd, out[300];
	struct stat st;
	int fd, save1, save2;

	/* A test's output is dropped, never left on the terminal. */
	snprintf(out, sizeof(out), "%s/out", dir);
	write_mailcap("text/plain; first %s; test=echo noise\\; echo more >&2\\; "
	    "false\n"
	    "text/plain; second %s; test=true\n");
	ck_assert_int_ge(fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600),
	    0);
	fflush(stdout);
	fflush(stderr);
	save1 = dup(1);
	save2 = dup(2);
	dup2(fd, 1);
	dup2(fd, 2);
	cmd = find("text/plain", "/f", NULL, NULL, NULL);
	dup2(save1, 1);
	dup2(save2, 2);
	close(save1);
	close(save2);
	close(fd);
	ck_assert_str_eq(cmd, "second /f");
	free(cmd);
	ck_assert_int_eq(stat(out, &st), 0);
	ck_assert_int_eq(st.st_size, 0);
	unlink(out);
	/* An unsafe parameter in a test= skips the entry, and is the
	 * sentence if nothing else matches. */
	write_mailcap("text/plain; first %s; test=test \"%{charset}\" = x\n");
	{
		const char *pv[] = { "charset=$(touch PWNED)", NULL };
		int rc;

		ck_assert_ptr_null(find("text/plain", "/f", pv, &rc, NULL));
		ck_assert_int_eq(rc, -1);
	}
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
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_hostile_runs);
	tcase_add_test(tc, test_temp_file);
	tcase_add_test(tc, test_extension);
	tcase_add_test(tc, test_test_field);
	tcase_set_timeout(tc, 120);
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
