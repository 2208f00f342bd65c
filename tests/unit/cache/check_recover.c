/* cache/db_recover.c: a damaged postie.db is detected, set aside (never
 * deleted) and rebuilt; anything else is an error that touches nothing. */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cache/cache.h"
#include "cache/recover.h"
#include "check_cache.h"

static char dir[256], path[300];

static void
setup(void)
{
	tmp_make(dir, sizeof(dir), "check_recover");
	snprintf(path, sizeof(path), "%s/postie.db", dir);
}

static void
teardown(void)
{
	tmp_remove(dir);
}

/* A database with a folder and n messages (enough pages to damage). */
static void
make_db(int n)
{
	struct db *db = NULL;
	struct error err;
	char subj[64], text[600];
	int64_t fid;
	int i;

	error_clear(&err);
	ck_assert_msg(db_open(path, &db, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(db_folder_ensure(db, "acct", "INBOX",
	    FOLDER_ROLE_INBOX, &fid, &err), 0);
	/* POP3 records first: their pages come early in the file. */
	for (i = 0; i < 20; i++) {
		snprintf(subj, sizeof(subj), "UIDL-%d", i);
		ck_assert_int_eq(db_uidl_add(db, "acct", subj, "1.M1P1Q1.h",
		    1000 + i, 1, &err), 0);
	}
	ck_assert_int_eq(db_uidl_mark_deleted(db, "acct", "UIDL-3", &err), 0);
	ck_assert_int_eq(db_begin(db, &err), 0);
	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	for (i = 0; i < n; i++) {
		struct db_msg m = { 0 };

		snprintf(subj, sizeof(subj), "message %d", i);
		m.folder_id = fid;
		m.uid = (uint32_t)i + 1;
		m.subject = subj;
		m.text = text;
		ck_assert_int_eq(db_msg_insert(db, &m, &err), 0);
	}
	ck_assert_int_eq(db_commit(db, &err), 0);
	db_close(&db);
}

static off_t
file_size(const char *p)
{
	struct stat sb;

	return stat(p, &sb) == 0 ? sb.st_size : -1;
}

/* The name of the one PATH.corrupt-* file in dir (suffix "" = the db). */
static int
count_aside(const char *suffix, char *name_r, size_t size)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name), sl = strlen(suffix);

		if (strncmp(e->d_name, "postie.db.corrupt-", 18) != 0)
			continue;
		if (sl ? l < sl || strcmp(e->d_name + l - sl, suffix) != 0 :
		    strchr(e->d_name + 18, 'w') != NULL)
			continue;
		n++;
		if (name_r)
			snprintf(name_r, size, "%s/%s", dir, e->d_name);
	}
	closedir(d);
	return n;
}

static char *
slurp(const char *p, size_t *n_r)
{
	FILE *fp = fopen(p, "rb");
	char *b;
	long n;

	ck_assert_ptr_nonnull(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	b = malloc((size_t)n + 1);
	ck_assert_int_eq(fread(b, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*n_r = (size_t)n;
	return b;
}

/* Recovery must report 1, keep the damaged bytes aside, give a working
 * empty database and a sentence naming both files. */
static void
expect_rebuilt(const char *before, size_t before_n)
{
	struct db *db = NULL;
	struct db_folder f;
	struct error err;
	char notice[ERROR_MAX], aside[512], *after;
	size_t after_n;
	int64_t fid;

	error_clear(&err);
	ck_assert_int_eq(db_recover_open(path, &db, notice, sizeof(notice),
	    &err), 1);
	ck_assert_ptr_nonnull(strstr(notice, "damaged"));
	ck_assert_ptr_nonnull(strstr(notice, path));
	ck_assert_int_eq(count_aside("", aside, sizeof(aside)), 1);
	ck_assert_ptr_nonnull(strstr(notice, aside));
	ck_assert_str_eq(db_recover_notice(), notice);
	after = slurp(aside, &after_n);
	ck_assert_uint_eq(after_n, before_n);
	ck_assert_int_eq(memcmp(after, before, before_n), 0);
	free(after);
	/* Fresh and usable. */
	ck_assert_int_eq(db_version(db), DB_SCHEMA_VERSION);
	ck_assert_int_eq(db_folder_find(db, "acct", "INBOX", &f, &err), 0);
	ck_assert_int_eq(db_folder_ensure(db, "acct", "INBOX",
	    FOLDER_ROLE_INBOX, &fid, &err), 0);
	db_close(&db);
	/* The new file starts the day of the full check. */
	snprintf(aside, sizeof(aside), "%s.checked", path);
	ck_assert_int_eq(access(aside, F_OK), 0);
	/* And it stays fine: a second open is not a recovery. */
	ck_assert_int_eq(db_recover_open(path, &db, notice, sizeof(notice),
	    &err), 0);
	ck_assert_str_eq(notice, "");
	db_close(&db);
	ck_assert_int_eq(count_aside("", NULL, 0), 1);
}

/* The POP3 records of make_db were read back into the fresh file. */
static void
expect_uidls(void)
{
	struct db *db = NULL;
	struct db_uidl u;
	struct error err;
	char name[32];
	int i;

	error_clear(&err);
	ck_assert_int_eq(db_open(path, &db, &err), 0);
	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "UIDL-%d", i);
		ck_assert_int_eq(db_uidl_lookup(db, "acct", name, &u, &err),
		    1);
		ck_assert_str_eq(u.key, "1.M1P1Q1.h");
		ck_assert_int_eq(u.downloaded_at, 1000 + i);
		ck_assert_int_eq(u.deleted_on_server, i == 3);
		ck_assert_int_eq(u.delivered, 1);
		db_uidl_clear(&u);
	}
	ck_assert_int_eq(db_uidl_lookup(db, "acct", "UIDL-20", &u, &err), 0);
	db_close(&db);
	ck_assert_ptr_nonnull(strstr(db_recover_notice(), "with 20 POP3"));
}

START_TEST(healthy_untouched)
{
	struct db *db = NULL;
	struct db_folder f;
	struct error err;
	char notice[ERROR_MAX] = "junk";

	error_clear(&err);
	/* Absent: created. */
	ck_assert_int_eq(db_recover_open(path, &db, notice, sizeof(notice),
	    &err), 0);
	ck_assert_str_eq(notice, "");
	db_close(&db);
	make_db(50);
	ck_assert_int_eq(db_recover_open(path, &db, notice, sizeof(notice),
	    &err), 0);
	ck_assert_int_eq(db_folder_find(db, "acct", "INBOX", &f, &err), 1);
	ck_assert_int_eq(db_folder_counts(db, &f, 1, &err), 0);
	ck_assert_uint_eq(f.total, 50); /* the data is still there */
	db_folder_clear(&f);
	db_close(&db);
	ck_assert_int_eq(count_aside("", NULL, 0), 0);
}
END_TEST

START_TEST(not_a_database)
{
	char junk[8192];
	FILE *fp;

	memset(junk, 'J', sizeof(junk));
	memcpy(junk, "this is not SQLite", 18);
	fp = fopen(path, "wb");
	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(junk, 1, sizeof(junk), fp), sizeof(junk));
	fclose(fp);
	expect_rebuilt(junk, sizeof(junk));
}
END_TEST

START_TEST(truncated)
{
	char *b;
	size_t n;

	make_db(400);
	ck_assert_int_gt(file_size(path), 64 * 1024);
	ck_assert_int_eq(truncate(path, file_size(path) / 2), 0);
	b = slurp(path, &n);
	expect_rebuilt(b, n);
	free(b);
	expect_uidls();
}
END_TEST

START_TEST(truncated_header)
{
	char *b;
	size_t n;

	make_db(10);
	ck_assert_int_eq(truncate(path, 60), 0);
	b = slurp(path, &n);
	expect_rebuilt(b, n);
	free(b);
}
END_TEST

/* A damaged page in the middle: the header is fine, quick_check is not. */
START_TEST(damaged_page)
{
	char junk[4096], *b;
	size_t n;
	int fd;

	make_db(400);
	memset(junk, 0xA5, sizeof(junk));
	fd = open(path, O_WRONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pwrite(fd, junk, sizeof(junk), 6 * 4096),
	    (ssize_t)sizeof(junk));
	close(fd);
	b = slurp(path, &n);
	expect_rebuilt(b, n);
	free(b);
}
END_TEST

/* A file db_recover_open creates gets a fresh stamp: the first open
 * after a big first sync does not read every page it just wrote. */
START_TEST(fresh_file_stamped)
{
	struct db *db = NULL;
	struct error err;
	struct stat sb;
	char stamp[512], notice[ERROR_MAX];

	error_clear(&err);
	snprintf(stamp, sizeof(stamp), "%s.checked", path);
	ck_assert_int_ne(access(path, F_OK), 0);
	ck_assert_int_ne(access(stamp, F_OK), 0);
	ck_assert_msg(db_recover_open(path, &db, notice, sizeof(notice),
	    &err) == 0, "%s", err.msg);
	db_close(&db);
	ck_assert_int_eq(stat(stamp, &sb), 0);
	ck_assert_int_le(llabs((long long)(time(NULL) - sb.st_mtime)), 5);
	/* An empty file (created, never written) counts as fresh too. */
	ck_assert_int_eq(unlink(stamp), 0);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(close(open(path, O_WRONLY | O_CREAT, 0600)), 0);
	ck_assert_int_eq(db_recover_open(path, &db, notice, sizeof(notice),
	    &err), 0);
	db_close(&db);
	ck_assert_int_eq(access(stamp, F_OK), 0);
}
END_TEST

/* A link planted at the stamp's name (symbolic, or hard: a second name
 * of a file of the user's) is replaced, never written through: the
 * victim keeps its bytes and its mode, for a new file and an old one. */
START_TEST(stamp_never_written_through)
{
	struct db *db = NULL;
	struct error err;
	struct stat sb;
	char stamp[512], victim[512], notice[ERROR_MAX], got[32];
	int fd, round;

	error_clear(&err);
	snprintf(stamp, sizeof(stamp), "%s.checked", path);
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	fd = open(victim, O_WRONLY | O_CREAT | O_EXCL, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "precious", 8), 8);
	ck_assert_int_eq(close(fd), 0);
	ck_assert_int_eq(chmod(victim, 0644), 0);
	for (round = 0; round < 4; round++) {
		/* Rounds 0 and 1: a new database; 2 and 3: an old one whose
		 * stamp is due (the link is not a stamp that vouches). */
		if (round < 2)
			unlink(path);
		else if (round == 2)
			make_db(10);
		unlink(stamp);
		if (round % 2 == 0)
			ck_assert_int_eq(link(victim, stamp), 0);
		else
			ck_assert_int_eq(symlink(victim, stamp), 0);
		ck_assert_msg(db_recover_open(path, &db, notice,
		    sizeof(notice), &err) >= 0, "%s", err.msg);
		db_close(&db);
		ck_assert_int_eq(stat(victim, &sb), 0);
		ck_assert_msg(sb.st_size == 8 && (sb.st_mode & 0777) == 0644,
		    "round %d: the victim is now %lld bytes, mode %o", round,
		    (long long)sb.st_size, (unsigned)(sb.st_mode & 0777));
		fd = open(victim, O_RDONLY);
		ck_assert_int_eq(read(fd, got, sizeof(got)), 8);
		close(fd);
		ck_assert_int_eq(memcmp(got, "precious", 8), 0);
		/* The stamp is now a file of its own. */
		ck_assert_int_eq(lstat(stamp, &sb), 0);
		ck_assert(S_ISREG(sb.st_mode) && sb.st_nlink == 1);
	}
}
END_TEST

/* The full check is skipped while its stamp is fresh (it reads every
 * page); once the stamp is a day old, a damaged page is found again. */
START_TEST(damaged_page_when_check_due)
{
	struct db *db = NULL;
	struct error err;
	struct timeval old[2];
	char junk[4096], stamp[512], notice[ERROR_MAX], *b;
	size_t n;
	int fd;

	error_clear(&err);
	make_db(400);
	ck_assert_int_eq(db_recover_open(path, &db, notice, sizeof(notice),
	    &err), 0);
	db_close(&db);
	snprintf(stamp, sizeof(stamp), "%s.checked", path);
	ck_assert_int_eq(access(stamp, F_OK), 0);
	memset(junk, 0xA5, sizeof(junk));
	fd = open(path, O_WRONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pwrite(fd, junk, sizeof(junk), 6 * 4096),
	    (ssize_t)sizeof(junk));
	close(fd);
	/* Fresh stamp: only the header and schema are read. */
	ck_assert_int_eq(db_recover_open(path, &db, notice, sizeof(notice),
	    &err), 0);
	db_close(&db);
	memset(old, 0, sizeof(old));
	old[0].tv_sec = old[1].tv_sec = time(NULL) - 2 * 24 * 3600;
	ck_assert_int_eq(utimes(stamp, old), 0);
	b = slurp(path, &n);
	expect_rebuilt(b, n);
	free(b);
}
END_TEST

/* A WAL left next to the damaged file goes aside with it, so the fresh
 * database does not replay it. */
START_TEST(wal_goes_aside)
{
	char junk[4096], walp[320];
	FILE *fp;

	memset(junk, 'J', sizeof(junk));
	fp = fopen(path, "wb");
	ck_assert_uint_eq(fwrite(junk, 1, sizeof(junk), fp), sizeof(junk));
	fclose(fp);
	snprintf(walp, sizeof(walp), "%s-wal", path);
	fp = fopen(walp, "wb");
	ck_assert_uint_eq(fwrite(junk, 1, 100, fp), 100);
	fclose(fp);
	expect_rebuilt(junk, sizeof(junk));
	ck_assert_int_eq(count_aside("-wal", NULL, 0), 1);
}
END_TEST

/* Twice in the same second: a second name, the first copy kept. */
START_TEST(two_copies_kept)
{
	struct db *db = NULL;
	struct error err;
	char notice[ERROR_MAX];
	int i;

	error_clear(&err);
	for (i = 0; i < 2; i++) {
		FILE *fp = fopen(path, "wb");

		ck_assert_int_eq(fputs("garbage garbage garbage garbage "
		    "garbage garbage garbage garbage garbage garbage garbage "
		    "garbage garbage garbage garbage garbage", fp) >= 0, 1);
		fclose(fp);
		ck_assert_int_eq(db_recover_open(path, &db, notice,
		    sizeof(notice), &err), 1);
		db_close(&db);
		unlink(path);
	}
	ck_assert_int_eq(count_aside("", NULL, 0), 2);
}
END_TEST

/* Not damage (here: a directory where the file should be): an error,
 * nothing moved. */
START_TEST(other_failure_touches_nothing)
{
	struct db *db = NULL;
	struct error err;
	char notice[ERROR_MAX];
	struct stat sb;

	error_clear(&err);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_int_eq(db_recover_open(path, &db, notice, sizeof(notice),
	    &err), -1);
	ck_assert_ptr_null(db);
	ck_assert_str_ne(err.msg, "");
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert(S_ISDIR(sb.st_mode));
	ck_assert_int_eq(count_aside("", NULL, 0), 0);
}
END_TEST

/* Through cache_open: the POP3 Maildir's messages are indexed again. */
START_TEST(cache_rebuilds_pop3_index)
{
	struct cache_opts opts = { dir, dir };
	struct cache_account_status st;
	struct config *cfg = test_config(dir);
	struct cache *c = NULL;
	struct error err;
	char p[512], junk[4096];
	size_t acct;
	FILE *fp;
	int i;

	error_clear(&err);
	snprintf(p, sizeof(p), "%s/Maildir", dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/Maildir/new", dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/Maildir/cur", dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/Maildir/tmp", dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	for (i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s/Maildir/%s/17000000%02d.M1P1Q%d.h%s",
		    dir, i ? "cur" : "new", i, i, i ? ":2,S" : "");
		fp = fopen(p, "wb");
		ck_assert_ptr_nonnull(fp);
		fprintf(fp, "From: a@example.org\nSubject: kept %d\n\n"
		    "body\n", i);
		fclose(fp);
	}
	ck_assert_msg(cache_open(cfg, &opts, &c, &err) == 0, "%s", err.msg);
	cache_close(&c);
	memset(junk, 'J', sizeof(junk));
	fp = fopen(path, "wb");
	ck_assert_uint_eq(fwrite(junk, 1, sizeof(junk), fp), sizeof(junk));
	fclose(fp);
	ck_assert_msg(cache_open(cfg, &opts, &c, &err) == 0, "%s", err.msg);
	ck_assert_ptr_nonnull(db_recover_notice());
	ck_assert_int_eq(count_aside("", NULL, 0), 1);
	ck_assert_int_eq(cache_account_find(c, "pop", &acct, &err), 0);
	ck_assert_int_eq(cache_account_status(c, acct, &st, &err), 0);
	ck_assert_uint_eq(st.total, 3);
	ck_assert_uint_eq(st.unread, 1);
	cache_close(&c);
	config_free(&cfg);
}
END_TEST

/*
 * Another process that opens and closes the index while this one holds
 * two connections (the TUI's main one and its worker's) must find it in
 * use: the WAL stays, and both processes keep reading what they wrote.
 * A raw open()+close() of the file in this process would drop every lock
 * its connections hold (POSIX locks belong to the process), and the other
 * process's last close would then remove the WAL under us.
 */
/* A child forked before this process opens the index (a fork holds
 * SQLite's view of its parent's locks): on a byte written to *go_w it
 * opens the index, writes and closes it, the way a CLI command does. */
static pid_t
other_process(int *go_w)
{
	struct db *db = NULL;
	struct error err;
	int64_t fid;
	int p[2];
	pid_t pid;
	char c;

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			_exit(2);
		error_clear(&err);
		if (db_recover_open(path, &db, NULL, 0, &err) < 0 ||
		    db_folder_ensure(db, "other", "INBOX", FOLDER_ROLE_INBOX,
		    &fid, &err) < 0)
			_exit(1);
		db_close(&db);
		_exit(0);
	}
	close(p[0]);
	*go_w = p[1];
	return pid;
}

static void
run_other(pid_t pid, int go_w)
{
	int st;

	ck_assert_int_eq(write(go_w, "g", 1), 1);
	close(go_w);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

START_TEST(wal_survives_other_process)
{
	struct db *main_db = NULL, *worker_db = NULL;
	struct error err;
	struct stat sb;
	char wal[320];
	int64_t fid;
	int i, go[3];
	pid_t kid[3];

	error_clear(&err);
	snprintf(wal, sizeof(wal), "%s-wal", path);
	for (i = 0; i < 3; i++)
		kid[i] = other_process(&go[i]);
	ck_assert_msg(db_recover_open(path, &main_db, NULL, 0, &err) >= 0,
	    "%s", err.msg);
	ck_assert_int_eq(db_folder_ensure(main_db, "acct", "INBOX",
	    FOLDER_ROLE_INBOX, &fid, &err), 0);
	/* The worker's connection, opened after the main one. */
	ck_assert_msg(db_open(path, &worker_db, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(stat(wal, &sb), 0);
	for (i = 0; i < 3; i++) {
		run_other(kid[i], go[i]);
		ck_assert_msg(stat(wal, &sb) == 0, "the WAL was removed by "
		    "another process's close (round %d)", i);
	}
	/* Both connections still see the same file as a newcomer does. */
	ck_assert_int_eq(db_folder_ensure(worker_db, "acct", "Sent",
	    FOLDER_ROLE_NONE, &fid, &err), 0);
	ck_assert_int_eq(db_folder_ensure(main_db, "acct", "Trash",
	    FOLDER_ROLE_NONE, &fid, &err), 0);
	db_close(&worker_db);
	db_close(&main_db);
	ck_assert_msg(db_open(path, &main_db, &err) == 0, "%s", err.msg);
	for (i = 0; i < 3; i++) {
		static const char *const want[][2] = { { "other", "INBOX" },
		    { "acct", "Sent" }, { "acct", "Trash" } };
		struct db_folder f;

		ck_assert_int_eq(db_folder_find(main_db, want[i][0],
		    want[i][1], &f, &err), 1);
		db_folder_clear(&f);
	}
	ck_assert_msg(db_integrity_check(main_db, &err) == 0, "%s", err.msg);
	db_close(&main_db);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("db_recover");
	TCase *tc = tcase_create("recover");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, healthy_untouched);
	tcase_add_test(tc, not_a_database);
	tcase_add_test(tc, truncated);
	tcase_add_test(tc, truncated_header);
	tcase_add_test(tc, damaged_page);
	tcase_add_test(tc, fresh_file_stamped);
	tcase_add_test(tc, stamp_never_written_through);
	tcase_add_test(tc, damaged_page_when_check_due);
	tcase_add_test(tc, wal_goes_aside);
	tcase_add_test(tc, two_copies_kept);
	tcase_add_test(tc, other_failure_touches_nothing);
	tcase_add_test(tc, cache_rebuilds_pop3_index);
	tcase_add_test(tc, wal_survives_other_process);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
