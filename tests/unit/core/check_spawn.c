/* spawn: a child's output is captured, never left on the terminal, and
 * how it ended is said in words. */
#include "config.h"

#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/spawn.h"

/* Runs cmd with stdout kept (at most max bytes) and a 10 s bound. */
static void
run(const char *cmd, struct buf *out, size_t max, struct spawn_result *r)
{
	struct spawn_opts o;
	struct error err;

	memset(&o, 0, sizeof(o));
	o.command = cmd;
	o.in_fd = -1;
	o.out = out;
	o.out_max = max;
	o.timeout_ms = 10000;
	error_clear(&err);
	ck_assert_int_eq(spawn_run(&o, r, &err), 0);
}

START_TEST(test_capture)
{
	struct buf out = BUF_INIT;
	struct spawn_result r;

	run("echo hello; echo warning >&2", &out, 100, &r);
	ck_assert(spawn_ok(&r));
	ck_assert_str_eq(buf_cstr(&out), "hello\n");
	ck_assert_str_eq(r.errline, "warning");
	/* Bounded: the rest is read (the child is not blocked) and
	 * dropped. */
	buf_reset(&out);
	run("head -c 300000 /dev/zero | tr '\\0' x; echo done >&2", &out, 10,
	    &r);
	ck_assert(spawn_ok(&r));
	ck_assert_uint_eq(out.len, 10);
	ck_assert_str_eq(r.errline, "done");
	/* stdout dropped when out is NULL; stdin is /dev/null, so a
	 * reader of stdin ends at once instead of taking the user's keys. */
	run("cat; echo read-eof >&2", NULL, 0, &r);
	ck_assert(spawn_ok(&r));
	ck_assert_str_eq(r.errline, "read-eof");
	buf_free(&out);
}
END_TEST

START_TEST(test_errline)
{
	struct spawn_result r;
	struct error err;

	/* blank lines skipped, escape sequences removed, one line only */
	run("printf '\\n  \\n\\033]0;title\\007sh: 1: \\033[31mpass: not "
	    "found\\nsecond line\\n' >&2; exit 127", NULL, 0, &r);
	ck_assert(!spawn_ok(&r));
	ck_assert_str_eq(r.errline, "sh: 1: pass: not found");
	spawn_error(&err, &r, 10000, "password_command of account '%s'",
	    "work");
	ck_assert_str_eq(err.msg, "password_command of account 'work' exited "
	    "with 127: sh: 1: pass: not found");
	/* a long line is cut, never inside a UTF-8 character */
	run("i=0; while [ $i -lt 150 ]; do printf '\\303\\251'; i=$((i+1)); "
	    "done >&2; exit 1", NULL, 0, &r);
	ck_assert_uint_eq(strlen(r.errline), sizeof(r.errline) - 2);
	ck_assert_int_eq((unsigned char)r.errline[strlen(r.errline) - 1],
	    0xa9);
	/* nothing on stderr: just the status */
	run("exit 3", NULL, 0, &r);
	spawn_error(&err, &r, 10000, "viewer");
	ck_assert_str_eq(err.msg, "viewer exited with 3");
}
END_TEST

START_TEST(test_status_words)
{
	struct spawn_result r;
	struct spawn_opts o;
	struct error err;
	char w[64];

	run("kill -9 $$", NULL, 0, &r);
	ck_assert_str_eq(spawn_status_words(&r, 0, w, sizeof(w)),
	    "was killed by signal 9");
	/* a raw system() status, as the pager used to print it */
	memset(&r, 0, sizeof(r));
	r.status = system("exit 1");
	ck_assert_int_eq(r.status, 256);
	ck_assert_str_eq(spawn_status_words(&r, 0, w, sizeof(w)),
	    "exited with 1");
	/* a child that never ends is killed at the deadline */
	memset(&o, 0, sizeof(o));
	o.command = "echo going to sleep >&2; exec sleep 30";
	o.in_fd = -1;
	o.timeout_ms = 300;
	ck_assert_int_eq(spawn_run(&o, &r, &err), 0);
	ck_assert(r.timed_out);
	ck_assert(!spawn_ok(&r));
	spawn_error(&err, &r, o.timeout_ms, "test");
	ck_assert_str_eq(err.msg, "test did not finish within 1 second: "
	    "going to sleep");
}
END_TEST

/* 1 while pid runs (a zombie nobody reaped yet does not run). */
static int
running(long pid)
{
	char path[64], stat[256], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return kill((pid_t)pid, 0) == 0;
	n = fread(stat, 1, sizeof(stat) - 1, f);
	fclose(f);
	stat[n] = '\0';
	p = strrchr(stat, ')');
	return p && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

/* At the deadline the child's whole group goes: a process the shell
 * started in the background does not outlive it. */
START_TEST(test_timeout_kills_group)
{
	struct spawn_opts o;
	struct spawn_result r;
	struct error err;
	struct buf out = BUF_INIT;
	char path[64];
	FILE *f;
	long pid = 0;
	int i, alive = 1;

	snprintf(path, sizeof(path), "/tmp/check_spawn_pid.%ld",
	    (long)getpid());
	memset(&o, 0, sizeof(o));
	o.command = "sleep 30 & echo $! >\"$1\"; wait";
	o.arg1 = path;
	o.in_fd = -1;
	o.out = &out;
	o.out_max = 64;
	o.timeout_ms = 300;
	error_clear(&err);
	ck_assert_int_eq(spawn_run(&o, &r, &err), 0);
	ck_assert(r.timed_out);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fscanf(f, "%ld", &pid), 1);
	fclose(f);
	unlink(path);
	ck_assert_int_gt(pid, 1);
	/* Killed: gone (or a zombie) within a moment. */
	for (i = 0; i < 200 && alive; i++) {
		alive = running(pid);
		if (alive)
			usleep(10000);
	}
	if (alive)
		kill((pid_t)pid, SIGKILL);
	ck_assert_msg(!alive, "the background sleep outlived the deadline");
	buf_free(&out);
}
END_TEST

/* Signals this process ignores are not handed down: with SIGPIPE
 * ignored, `yes | head -n 1` would never end. */
START_TEST(test_signals_reset)
{
	struct buf out = BUF_INIT;
	struct spawn_result r;

	signal(SIGPIPE, SIG_IGN);
	run("yes | head -n 1", &out, 100, &r);
	ck_assert(!r.timed_out);
	ck_assert(spawn_ok(&r));
	ck_assert_str_eq(buf_cstr(&out), "y\n");
	signal(SIGPIPE, SIG_DFL);
	buf_free(&out);
}
END_TEST

START_TEST(test_stdin_fd)
{
	char path[] = "/tmp/check_spawn_XXXXXX";
	struct buf out = BUF_INIT;
	struct spawn_result r;
	struct spawn_opts o;
	struct error err;
	int fd;

	ck_assert_int_ge(fd = mkstemp(path), 0);
	ck_assert_int_eq(write(fd, "from a file\n", 12), 12);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	memset(&o, 0, sizeof(o));
	o.command = "tr a-z A-Z";
	o.in_fd = fd;
	o.out = &out;
	o.out_max = 100;
	ck_assert_int_eq(spawn_run(&o, &r, &err), 0);
	ck_assert(spawn_ok(&r));
	ck_assert_str_eq(buf_cstr(&out), "FROM A FILE\n");
	close(fd);
	unlink(path);
	buf_free(&out);
}
END_TEST

/* A file name given as "$1" stays one word, never command text. */
START_TEST(test_arg1)
{
	struct buf out = BUF_INIT;
	struct spawn_result r;
	struct spawn_opts o;
	struct error err;

	memset(&o, 0, sizeof(o));
	o.command = "printf '%s|' \"$1\" \"$#\"";
	o.arg1 = "$(echo PWNED) it's `id`";
	o.in_fd = -1;
	o.out = &out;
	o.out_max = 100;
	ck_assert_int_eq(spawn_run(&o, &r, &err), 0);
	ck_assert(spawn_ok(&r));
	ck_assert_str_eq(buf_cstr(&out), "$(echo PWNED) it's `id`|1|");
	buf_free(&out);
}
END_TEST

/* spawn_argv: the command's words, then each argument whole; run
 * without a shell, so nothing in an argument is interpreted. */
START_TEST(test_argv)
{
	static const char *const args[] = {"a b;$(echo PWNED)", "", NULL};
	struct buf out = BUF_INIT;
	struct spawn_result r;
	struct spawn_opts o;
	struct error err;
	char **v;

	ck_assert_ptr_null(spawn_argv(" \t ", args));
	v = spawn_argv("  printf   %s| ", args);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(v[0], "printf");
	ck_assert_str_eq(v[1], "%s|");
	ck_assert_str_eq(v[2], "a b;$(echo PWNED)");
	ck_assert_str_eq(v[3], "");
	ck_assert_ptr_null(v[4]);
	memset(&o, 0, sizeof(o));
	o.argv = (const char *const *)v;
	o.in_fd = -1;
	o.out = &out;
	o.out_max = 100;
	ck_assert_int_eq(spawn_run(&o, &r, &err), 0);
	ck_assert(spawn_ok(&r));
	ck_assert_str_eq(buf_cstr(&out), "a b;$(echo PWNED)||");
	spawn_argv_free(&v);
	ck_assert_ptr_null(v);

	/* A program that is not there: 127 and a sentence on stderr. */
	v = spawn_argv("postie-no-such-program", NULL);
	o.argv = (const char *const *)v;
	buf_reset(&out);
	ck_assert_int_eq(spawn_run(&o, &r, &err), 0);
	ck_assert(!spawn_ok(&r));
	ck_assert_str_eq(r.errline, "cannot run the command");
	spawn_argv_free(&v);
	buf_free(&out);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("spawn");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_capture);
	tcase_add_test(tc, test_errline);
	tcase_add_test(tc, test_status_words);
	tcase_add_test(tc, test_signals_reset);
	tcase_add_test(tc, test_timeout_kills_group);
	tcase_add_test(tc, test_stdin_fd);
	tcase_add_test(tc, test_arg1);
	tcase_add_test(tc, test_argv);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
