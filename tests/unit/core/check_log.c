/* Unit tests of core/log: the file, levels, and credential redaction. */
#include <config.h> /* the build's, for _GNU_SOURCE */

#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/log.h"

static char tmpdir[64], logpath[128];
static struct buf got;

static void
setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/check_log.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(logpath, sizeof(logpath), "%s/postie.log", tmpdir);
}

static void
teardown(void)
{
	char cmd[128];

	log_close();
	buf_free(&got);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

static const char *
read_log(void)
{
	FILE *fp = fopen(logpath, "rb");
	char chunk[4096];
	size_t n;

	buf_reset(&got);
	if (fp == NULL)
		return "";
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&got, chunk, n);
	fclose(fp);
	return buf_cstr(&got);
}

static const char *
redact(const char *line, int cont)
{
	static struct buf b;

	buf_reset(&b);
	log_redact(&b, line, strlen(line), cont);
	return buf_cstr(&b);
}

START_TEST(test_redact)
{
	/* IMAP */
	ck_assert_str_eq(redact("a1 LOGIN alice s3cr3t\r\n", 0),
	    "a1 LOGIN <hidden>");
	ck_assert_str_eq(redact("a1 login \"alice\" \"s3 cr3t\"", 0),
	    "a1 login <hidden>");
	ck_assert_str_eq(redact("a2 AUTHENTICATE PLAIN AGFsaWNlAHMzY3IzdA==",
	    0), "a2 AUTHENTICATE PLAIN <hidden>");
	ck_assert_str_eq(redact("a2 AUTHENTICATE PLAIN", 0),
	    "a2 AUTHENTICATE PLAIN");
	ck_assert_str_eq(redact("a3 SELECT INBOX", 0), "a3 SELECT INBOX");
	ck_assert_str_eq(redact("a4 UID FETCH 1:* (FLAGS)", 0),
	    "a4 UID FETCH 1:* (FLAGS)");
	/* POP3 */
	ck_assert_str_eq(redact("USER alice\r\n", 0), "USER alice");
	ck_assert_str_eq(redact("PASS s3cr3t\r\n", 0), "PASS <hidden>");
	ck_assert_str_eq(redact("pass s3cr3t", 0), "pass <hidden>");
	ck_assert_str_eq(redact("AUTH PLAIN AGFsaWNlAHMzY3IzdA==", 0),
	    "AUTH PLAIN <hidden>");
	ck_assert_str_eq(redact("APOP alice c4c9334bac560ecc979e58001b3e22fb",
	    0), "APOP alice <hidden>");
	ck_assert_str_eq(redact("RETR 1", 0), "RETR 1");
	/* AUTH continuations are hidden whole. */
	ck_assert_str_eq(redact("AGFsaWNlAHMzY3IzdA==\r\n", 1), "<hidden>");
	ck_assert_str_eq(redact("", 1), "<hidden>");
	/* Control characters never reach the log. */
	ck_assert_str_eq(redact("a5 NOOP\x1b[2J", 0), "a5 NOOP");
	ck_assert_str_eq(redact("", 0), "");
}
END_TEST

START_TEST(test_file)
{
	struct error err;
	struct stat st;
	const char *s;

	log_info("dropped: not open yet");
	ck_assert_int_eq(log_open(logpath, 0, &err), 0);
	ck_assert_int_eq(log_debug_enabled(), 0);
	ck_assert_int_eq(stat(logpath, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	log_info("hello %d", 42);
	log_debug("debug is off");
	log_error("bad\x1b[31m thing\nsecond line");
	log_proto("work", "C", "a1 LOGIN alice s3cr3t", 21, 0);
	s = read_log();
	ck_assert_ptr_null(strstr(s, "dropped"));
	ck_assert_ptr_nonnull(strstr(s, " info hello 42\n"));
	ck_assert_ptr_null(strstr(s, "debug is off"));
	ck_assert_ptr_nonnull(strstr(s, " error bad thingsecond line\n"));
	ck_assert_ptr_null(strchr(s, 0x1b));
	ck_assert_ptr_null(strstr(s, "LOGIN")); /* proto: debug only */
	/* Lines start with a timestamp "YYYY-MM-DDTHH:MM:SS". */
	ck_assert_int_eq(s[4], '-');
	ck_assert_int_eq(s[10], 'T');
	log_close();
	log_info("dropped after close");

	/* Appends; debug on; a looser mode is tightened. */
	ck_assert_int_eq(chmod(logpath, 0644), 0);
	ck_assert_int_eq(log_open(logpath, 1, &err), 0);
	ck_assert_int_eq(stat(logpath, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(log_debug_enabled(), 1);
	log_debug("now %s", "visible");
	log_proto("work", "C", "a1 LOGIN alice s3cr3t\r\n", 23, 0);
	log_proto("work", "C", "PASS s3cr3t\r\n", 13, 0);
	log_proto("work", "C", "czNjcjN0", 8, 1);
	log_proto("work", "S", "* OK [CAPABILITY IMAP4rev1] ready\r\n", 35, 0);
	s = read_log();
	ck_assert_ptr_nonnull(strstr(s, " info hello 42\n"));
	ck_assert_ptr_null(strstr(s, "dropped after close"));
	ck_assert_ptr_nonnull(strstr(s, " debug now visible\n"));
	ck_assert_ptr_nonnull(strstr(s, "work C: a1 LOGIN <hidden>\n"));
	ck_assert_ptr_nonnull(strstr(s, "work C: PASS <hidden>\n"));
	ck_assert_ptr_nonnull(strstr(s, "work C: <hidden>\n"));
	ck_assert_ptr_nonnull(strstr(s,
	    "work S: * OK [CAPABILITY IMAP4rev1] ready\n"));
	ck_assert_ptr_null(strstr(s, "s3cr3t"));
	ck_assert_ptr_null(strstr(s, "czNjcjN0"));
	ck_assert_ptr_null(strstr(s, "alice"));
	log_close();
	ck_assert_int_eq(log_debug_enabled(), 0);

	error_clear(&err);
	ck_assert_int_eq(log_open("/nonexistent/dir/log", 0, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent/dir/log"));
}
END_TEST

static void *
writer(void *arg)
{
	int i;

	for (i = 0; i < 200; i++)
		log_info("thread %ld line %d end", (long)(size_t)arg, i);
	return NULL;
}

/* Whole lines: writers on several threads never interleave mid-line. */
START_TEST(test_threads)
{
	pthread_t t[4];
	struct error err;
	const char *s, *p;
	size_t i;
	int lines = 0;

	ck_assert_int_eq(log_open(logpath, 0, &err), 0);
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, writer,
		    (void *)i), 0);
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	log_close();
	s = read_log();
	for (p = s; *p; p = strchr(p, '\n') + 1) {
		const char *nl = strchr(p, '\n');

		ck_assert_ptr_nonnull(nl);
		ck_assert(nl - p > 4 && strncmp(nl - 4, " end", 4) == 0);
		lines++;
	}
	ck_assert_int_eq(lines, 800);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_redact);
	tcase_add_test(tc, test_file);
	tcase_add_test(tc, test_threads);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
