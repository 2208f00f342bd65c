/* Unit tests of core/paths. */
#include <config.h> /* the build's, for _GNU_SOURCE */

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/paths.h"

static char tmpdir[64];

static void
setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/check_paths.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("XDG_DATA_HOME");
	unsetenv("XDG_CACHE_HOME");
	unsetenv("XDG_STATE_HOME");
	setenv("HOME", "/home/u", 1);
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

typedef char *(*dir_fn)(struct error *);

static void
expect(dir_fn fn, const char *want)
{
	struct error err;
	char *p;

	error_clear(&err);
	p = fn(&err);
	ck_assert_msg(p != NULL, "NULL: %s", err.msg);
	ck_assert_str_eq(p, want);
	free(p);
}

START_TEST(test_home_fallback)
{
	expect(paths_config_dir, "/home/u/.config/postie");
	expect(paths_config_file, "/home/u/.config/postie/config");
	expect(paths_data_dir, "/home/u/.local/share/postie");
	expect(paths_cache_dir, "/home/u/.cache/postie");
	expect(paths_state_dir, "/home/u/.local/state/postie");
}
END_TEST

START_TEST(test_xdg)
{
	setenv("XDG_CONFIG_HOME", "/x/conf", 1);
	setenv("XDG_DATA_HOME", "/x/data", 1);
	setenv("XDG_CACHE_HOME", "/x/cache", 1);
	setenv("XDG_STATE_HOME", "/x/state", 1);
	expect(paths_config_dir, "/x/conf/postie");
	expect(paths_config_file, "/x/conf/postie/config");
	expect(paths_data_dir, "/x/data/postie");
	expect(paths_cache_dir, "/x/cache/postie");
	expect(paths_state_dir, "/x/state/postie");
	/* Relative or empty values are ignored, as the spec says. */
	setenv("XDG_CONFIG_HOME", "rel/conf", 1);
	setenv("XDG_DATA_HOME", "", 1);
	expect(paths_config_dir, "/home/u/.config/postie");
	expect(paths_data_dir, "/home/u/.local/share/postie");
}
END_TEST

START_TEST(test_nowhere)
{
	struct error err;

	unsetenv("HOME");
	error_clear(&err);
	ck_assert_ptr_null(paths_config_file(&err));
	ck_assert_ptr_nonnull(strstr(err.msg, "HOME"));
	setenv("HOME", "relative", 1);
	ck_assert_ptr_null(paths_data_dir(&err));
	/* XDG alone is enough. */
	setenv("XDG_DATA_HOME", "/d", 1);
	expect(paths_data_dir, "/d/postie");
}
END_TEST

static void
check_component(const char *name)
{
	struct buf b = BUF_INIT;
	size_t i;

	paths_encode_component(&b, name);
	ck_assert_uint_gt(b.len, 0);
	ck_assert_uint_le(b.len, PATHS_COMPONENT_MAX);
	ck_assert_ptr_null(memchr(b.data, '/', b.len));
	ck_assert_uint_eq(strlen(b.data), b.len); /* no NUL inside */
	ck_assert_str_ne(b.data, ".");
	ck_assert_str_ne(b.data, "..");
	ck_assert_int_ne(b.data[0], '.');
	for (i = 0; i < b.len; i++) {
		unsigned char c = (unsigned char)b.data[i];

		ck_assert(c > 0x20 && c < 0x7F);
	}
	buf_free(&b);
}

static const char *
encode(struct buf *b, const char *name)
{
	buf_reset(b);
	paths_encode_component(b, name);
	return buf_cstr(b);
}

START_TEST(test_encode)
{
	static const char *const names[] = { "", ".", "..", "...", "/", "a/b",
		"../../etc/passwd", "INBOX", ".hidden", "a\nb", "%", "%2E",
		"\xC3\xA9t\xC3\xA9", " ", "\x01", "~", "Sent Items" };
	struct buf b = BUF_INIT;
	char big[600], big2[600];
	size_t i;
	int c;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		check_component(names[i]);
	ck_assert_str_eq(encode(&b, "INBOX"), "INBOX");
	ck_assert_str_eq(encode(&b, "a.b_c-d9"), "a.b_c-d9");
	ck_assert_str_eq(encode(&b, "."), "%2E");
	ck_assert_str_eq(encode(&b, ".."), "%2E.");
	ck_assert_str_eq(encode(&b, "a/b"), "a%2Fb");
	ck_assert_str_eq(encode(&b, "%"), "%25");
	ck_assert_str_eq(encode(&b, "Sent Items"), "Sent%20Items");
	ck_assert_str_eq(encode(&b, "\xC3\xA9"), "%C3%A9");
	ck_assert_str_ne(encode(&b, ""), "");
	/* Appends: what was in the buffer stays. */
	buf_reset(&b);
	buf_addstr(&b, "mail/");
	paths_encode_component(&b, "x/y");
	ck_assert_str_eq(b.data, "mail/x%2Fy");
	/* Every single byte value. */
	for (c = 1; c < 256; c++) {
		char s[3] = { (char)c, (char)c, 0 };

		check_component(s);
		check_component(s + 1);
	}
	/* Long names are cut under the limit yet stay distinct. */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big2, big, sizeof(big));
	big2[500] = 'y';
	check_component(big);
	{
		char *one = strdup(encode(&b, big));

		ck_assert_str_ne(one, encode(&b, big2));
		free(one);
	}
	memset(big, '/', sizeof(big) - 1); /* %2F each: cut mid-escape */
	for (i = 0; i < 3; i++) {
		big[sizeof(big) - 2 - i] = '\0';
		check_component(big);
		ck_assert_ptr_nonnull(strchr(encode(&b, big), '~'));
	}
	buf_free(&b);
}
END_TEST

START_TEST(test_mkdir)
{
	struct error err;
	struct stat st;
	char path[256];

	snprintf(path, sizeof(path), "%s/a/b//c/", tmpdir);
	ck_assert_int_eq(paths_mkdir(path, &err), 0);
	snprintf(path, sizeof(path), "%s/a/b/c", tmpdir);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	snprintf(path, sizeof(path), "%s/a", tmpdir);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	/* Existing: fine. */
	ck_assert_int_eq(paths_mkdir(path, &err), 0);
	/* A file in the way: an error naming it. */
	snprintf(path, sizeof(path), "%s/file", tmpdir);
	fclose(fopen(path, "w"));
	snprintf(path, sizeof(path), "%s/file/sub", tmpdir);
	error_clear(&err);
	ck_assert_int_eq(paths_mkdir(path, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "/file"));
	ck_assert_int_eq(paths_mkdir("", &err), -1);
}
END_TEST

static int
count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* A folder others can write to, or another user's, is refused with a
 * sentence naming it; one above it only when it lets others swap it. */
START_TEST(test_mkdir_unsafe)
{
	struct error err;
	char path[256], sub[300];

	snprintf(path, sizeof(path), "%s/data", tmpdir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_int_eq(chmod(path, 0777), 0);
	error_clear(&err);
	ck_assert_int_eq(paths_mkdir(path, &err), -1);
	ck_assert_msg(strstr(err.msg, path) && strstr(err.msg, "chmod go-w"),
	    "%s", err.msg);
	ck_assert_int_eq(chmod(path, 0720), 0); /* group only */
	ck_assert_int_eq(paths_mkdir(path, &err), -1);
	ck_assert_int_eq(chmod(path, 0755), 0);
	ck_assert_msg(paths_mkdir(path, &err) == 0, "%s", err.msg);
	/* Above it: writable by others lets them swap it... */
	snprintf(sub, sizeof(sub), "%s/postie", path);
	ck_assert_int_eq(chmod(path, 0777), 0);
	ck_assert_int_eq(paths_mkdir(sub, &err), -1);
	ck_assert_msg(strstr(err.msg, sub) && strstr(err.msg, "above"),
	    "%s", err.msg);
	/* ...unless sticky, as /tmp is. */
	ck_assert_int_eq(chmod(path, 01777), 0);
	ck_assert_msg(paths_mkdir(sub, &err) == 0, "%s", err.msg);
	/* Through a symbolic link, the real folder is checked. */
	snprintf(sub, sizeof(sub), "%s/link", tmpdir);
	ck_assert_int_eq(symlink(path, sub), 0);
	ck_assert_int_eq(chmod(path, 0777), 0);
	ck_assert_int_eq(paths_mkdir(sub, &err), -1);
	ck_assert_int_eq(chmod(path, 0700), 0);
	ck_assert_msg(paths_mkdir(sub, &err) == 0, "%s", err.msg);
	/* Another user's folder (root can make one). */
	if (geteuid() == 0) {
		ck_assert_int_eq(chown(path, 65534, 65534), 0);
		ck_assert_int_eq(paths_mkdir(path, &err), -1);
		ck_assert_msg(strstr(err.msg, "belongs to another user"), "%s",
		    err.msg);
		snprintf(sub, sizeof(sub), "%s/postie", path);
		ck_assert_int_eq(paths_mkdir(sub, &err), -1);
		ck_assert_int_eq(chown(path, 0, 0), 0);
		ck_assert_msg(paths_mkdir(sub, &err) == 0, "%s", err.msg);
	}
}
END_TEST

/* Below postie's own folder, no symbolic link is followed. */
START_TEST(test_mkdir_below)
{
	struct error err;
	struct stat st;
	char root[256], path[300], victim[256];

	snprintf(root, sizeof(root), "%s/cache", tmpdir);
	snprintf(victim, sizeof(victim), "%s/victim", tmpdir);
	ck_assert_int_eq(mkdir(victim, 0700), 0);
	ck_assert_int_eq(paths_mkdir(root, &err), 0);
	snprintf(path, sizeof(path), "%s/acct/INBOX/7", root);
	ck_assert_msg(paths_mkdir_below(root, path, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	snprintf(path, sizeof(path), "%s/evil", root);
	ck_assert_int_eq(symlink(victim, path), 0);
	snprintf(path, sizeof(path), "%s/evil/INBOX", root);
	error_clear(&err);
	ck_assert_int_eq(paths_mkdir_below(root, path, &err), -1);
	ck_assert_msg(strstr(err.msg, "symbolic link") &&
	    strstr(err.msg, "/evil"), "%s", err.msg);
	ck_assert_int_eq(count_entries(victim), 0);
	snprintf(path, sizeof(path), "%s/acct", root);
	ck_assert_int_eq(chmod(path, 0770), 0);
	snprintf(path, sizeof(path), "%s/acct/INBOX", root);
	ck_assert_int_eq(paths_mkdir_below(root, path, &err), -1);
	ck_assert_int_eq(paths_mkdir_below(root, "/elsewhere", &err), -1);
}
END_TEST

/* paths_open: never through a symbolic link; for writing, never a file
 * with other names or another owner. */
START_TEST(test_open)
{
	struct error err;
	struct stat st;
	char path[256], victim[256], buf[16];
	int fd;

	snprintf(victim, sizeof(victim), "%s/victim", tmpdir);
	fd = open(victim, O_WRONLY | O_CREAT, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "precious", 8), 8);
	close(fd);
	snprintf(path, sizeof(path), "%s/postie.log", tmpdir);
	ck_assert_int_eq(symlink(victim, path), 0);
	error_clear(&err);
	ck_assert_int_eq(paths_open(path, O_WRONLY | O_APPEND | O_CREAT, 0600,
	    &err), -1);
	ck_assert_msg(strstr(err.msg, "symbolic link") &&
	    strstr(err.msg, path), "%s", err.msg);
	ck_assert_int_eq(paths_open(path, O_RDONLY, 0, &err), -1);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(link(victim, path), 0);
	ck_assert_int_eq(paths_open(path, O_WRONLY | O_TRUNC, 0600, &err), -1);
	ck_assert_msg(strstr(err.msg, "hard links"), "%s", err.msg);
	ck_assert_int_eq(stat(victim, &st), 0);
	ck_assert_int_eq(st.st_size, 8);
	ck_assert_int_eq(st.st_mode & 0777, 0644);
	/* Reading one is harmless. */
	fd = paths_open(path, O_RDONLY, 0, &err);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(read(fd, buf, sizeof(buf)), 8);
	close(fd);
	ck_assert_int_eq(unlink(path), 0);
	/* A FIFO does not hang the open. */
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(paths_open(path, O_WRONLY | O_APPEND, 0, &err), -1);
	ck_assert_int_eq(unlink(path), 0);
	fd = paths_open(path, O_WRONLY | O_CREAT | O_EXCL, 0600, &err);
	ck_assert_msg(fd >= 0, "%s", err.msg);
	close(fd);
	ck_assert_int_eq(paths_open("/nonexistent/x", O_RDONLY, 0, &err), -1);
	ck_assert_int_eq(errno, ENOENT);
	if (geteuid() == 0) {
		ck_assert_int_eq(chown(path, 65534, 65534), 0);
		ck_assert_int_eq(paths_open(path, O_WRONLY, 0, &err), -1);
		ck_assert_msg(strstr(err.msg, "another user"), "%s", err.msg);
	}
}
END_TEST

START_TEST(test_write_atomic)
{
	struct error err;
	struct stat st;
	char path[256], data[100];
	FILE *fp;
	size_t n;

	snprintf(path, sizeof(path), "%s/state", tmpdir);
	ck_assert_int_eq(paths_write_atomic(path, "first", 5, &err), 0);
	ck_assert_int_eq(paths_write_atomic(path, "second\0x", 8, &err), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(st.st_size, 8);
	fp = fopen(path, "rb");
	n = fread(data, 1, sizeof(data), fp);
	fclose(fp);
	ck_assert_uint_eq(n, 8);
	ck_assert_int_eq(memcmp(data, "second\0x", 8), 0);
	ck_assert_int_eq(paths_write_atomic(path, "", 0, &err), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_size, 0);
	/* No temporary file is left behind. */
	ck_assert_int_eq(count_entries(tmpdir), 1);

	/* Failure: the target is a folder; the tmp file is cleaned up. */
	snprintf(path, sizeof(path), "%s/dir", tmpdir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/dir/x", tmpdir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_int_eq(paths_write_atomic(path, "data", 4, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "dir/x"));
	snprintf(path, sizeof(path), "%s/dir", tmpdir);
	ck_assert_int_eq(count_entries(path), 1);
	/* Failure: no such folder. */
	snprintf(path, sizeof(path), "%s/nodir/x", tmpdir);
	ck_assert_int_eq(paths_write_atomic(path, "data", 4, &err), -1);
	ck_assert_int_eq(count_entries(tmpdir), 2);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("paths");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_home_fallback);
	tcase_add_test(tc, test_xdg);
	tcase_add_test(tc, test_nowhere);
	tcase_add_test(tc, test_encode);
	tcase_add_test(tc, test_mkdir);
	tcase_add_test(tc, test_write_atomic);
	tcase_add_test(tc, test_mkdir_unsafe);
	tcase_add_test(tc, test_mkdir_below);
	tcase_add_test(tc, test_open);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
