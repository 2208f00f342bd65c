/* db_recover: a damaged postie.db is set aside and rebuilt (recover.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cache/db_int.h"
#include "cache/recover.h"
#include "core/log.h"
#include "core/str.h"

static char last_notice[ERROR_MAX];

const char *
db_recover_notice(void)
{
	return last_notice[0] ? last_notice : NULL;
}

static int
is_damage(int rc)
{
	rc &= 0xff;
	return rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT;
}

/*
 * The cheap part of the check, run at every open: the header's magic, and
 * a file size that fits the page size and the page count the header
 * vouches for.  1 damaged (why filled), 0 looks fine.
 */
static int
header_damaged(const char *path, off_t size, char *why, size_t whysz)
{
	unsigned char h[100];
	unsigned long psize, npages;
	ssize_t n;
	int fd;

	/* Only while this process holds no connection (recover_locked). */
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return 0; /* the real open reports it */
	n = read(fd, h, sizeof(h));
	close(fd);
	if (n < 0)
		return 0; /* not readable (a folder, ...): the open says why */
	if (n < (ssize_t)sizeof(h)) {
		snprintf(why, whysz, "the file is truncated");
		return 1;
	}
	if (memcmp(h, "SQLite format 3", 16) != 0) {
		snprintf(why, whysz, "file is not a database");
		return 1;
	}
	psize = (unsigned long)h[16] << 8 | h[17];
	if (psize == 1)
		psize = 65536;
	if (psize < 512 || (psize & (psize - 1)) != 0) {
		snprintf(why, whysz, "file is not a database");
		return 1;
	}
	npages = (unsigned long)h[28] << 24 | (unsigned long)h[29] << 16 |
	    (unsigned long)h[30] << 8 | h[31];
	/* The page count is valid when "version-valid-for" matches the
	 * change counter (SQLite file format, section 1.3.7). */
	if ((unsigned long long)size % psize != 0 ||
	    (memcmp(h + 24, h + 92, 4) == 0 &&
	    (unsigned long long)size < (unsigned long long)npages * psize)) {
		snprintf(why, whysz, "the file is truncated");
		return 1;
	}
	return 0;
}

/*
 * Whether the full (slower) integrity check is due: it reads every page,
 * which costs a quarter of a second on a big index, so it runs when
 * STAMP is missing or a day old, and then on every open until it passed.
 */
#define FULL_CHECK_EVERY (24 * 3600)

static int
full_check_due(const char *stamp)
{
	struct stat sb;

	/* Only our own empty file vouches (never one through a link). */
	return lstat(stamp, &sb) < 0 || !S_ISREG(sb.st_mode) ||
	    sb.st_nlink != 1 || time(NULL) - sb.st_mtime > FULL_CHECK_EVERY ||
	    time(NULL) < sb.st_mtime;
}

/*
 * The stamp is made anew, never written through: whatever is at its
 * name (a symbolic or hard link planted there) is removed, not followed
 * or truncated, and the new file is created O_EXCL.  Another process
 * doing the same at once made it: that is as good.
 */
static void
full_check_passed(const char *stamp)
{
	int fd;

	if (unlink(stamp) < 0 && errno != ENOENT) {
		log_warn("cannot replace %s: %s", stamp, strerror(errno));
		return;
	}
	fd = open(stamp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd >= 0)
		close(fd);
	else if (errno != EEXIST)
		log_warn("cannot write %s: %s", stamp, strerror(errno));
}

/*
 * 1 damaged (why filled), 0 fine or absent, -1 another failure (err).
 * Read-only: a WAL left by a crash is read as SQLite would, but never
 * checkpointed into (or deleted next to) a file that may be set aside.
 * Every open reads the header and the schema; PRAGMA quick_check runs
 * when due (full_check_due).  A file about to be created gets a fresh
 * stamp.
 */
static int
probe(const char *path, char *why, size_t whysz, struct error *err)
{
	sqlite3 *sq = NULL;
	sqlite3_stmt *st = NULL;
	struct stat sb;
	char stamp[4096];
	int rc, res = -1, full;

	snprintf(stamp, sizeof(stamp), "%s.checked", path);
	if (db_check_files(path, err) < 0)
		return -1;
	if (stat(path, &sb) < 0) {
		if (errno != ENOENT)
			return error_errno(err, errno, "cannot open %s", path);
		sb.st_size = 0;
	}
	if (sb.st_size == 0) {
		/* db_open creates (or fills) it: a fresh file starts the
		 * day, or the first open after a big first sync would read
		 * every page it just wrote. */
		full_check_passed(stamp);
		return 0;
	}
	if (header_damaged(path, sb.st_size, why, whysz))
		return 1;
	full = full_check_due(stamp);
	rc = sqlite3_open_v2(path, &sq, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(sq, 10000);
		sqlite3_extended_result_codes(sq, 1);
		rc = sqlite3_prepare_v2(sq, full ? "PRAGMA quick_check" :
		    "SELECT 'ok' FROM sqlite_master LIMIT 1", -1, &st, NULL);
	}
	if (rc == SQLITE_OK && ((rc = sqlite3_step(st)) == SQLITE_ROW ||
	    (!full && rc == SQLITE_DONE))) {
		const char *r = rc == SQLITE_ROW ?
		    (const char *)sqlite3_column_text(st, 0) : "ok";

		if (r != NULL && strcmp(r, "ok") == 0) {
			res = 0;
			if (full)
				full_check_passed(stamp);
		} else {
			snprintf(why, whysz, "the integrity check found: %s",
			    r ? r : "nothing readable");
			res = 1;
		}
	} else if (is_damage(rc)) {
		snprintf(why, whysz, "%s", sqlite3_errstr(rc));
		res = 1;
	} else
		error_set(err, "cannot check %s: %s", path,
		    sq ? sqlite3_errmsg(sq) : sqlite3_errstr(rc));
	sqlite3_finalize(st);
	sqlite3_close(sq);
	return res;
}

/* Renames path+suffix to aside+suffix if it exists (never overwrites). */
static int
move_aside(const char *path, const char *aside, const char *suffix,
    struct error *err)
{
	char from[4096], to[4096];
	struct stat sb;

	snprintf(from, sizeof(from), "%s%s", path, suffix);
	snprintf(to, sizeof(to), "%s%s", aside, suffix);
	if (lstat(from, &sb) < 0)
		return errno == ENOENT ? 0 :
		    error_errno(err, errno, "cannot set %s aside", from);
	if (lstat(to, &sb) == 0)
		return error_set(err, "cannot set %s aside: %s exists", from,
		    to);
	if (rename(from, to) < 0)
		return error_errno(err, errno, "cannot set %s aside", from);
	return 0;
}

/*
 * Copies the POP3 download records (table uidl) that can still be read
 * from the damaged file into the fresh database, so messages already
 * downloaded are not downloaded again.  Best effort: reading stops at
 * the first error; the number copied is returned (never fails).
 */
static long
salvage_uidls(const char *aside, struct db *db)
{
	sqlite3 *sq = NULL;
	sqlite3_stmt *st = NULL;
	struct error err;
	char shm[4096];
	long n = 0;

	error_clear(&err);
	/* writable_schema: a truncated file is read as far as it goes
	 * instead of refused whole (nothing is written: read-only). */
	if (sqlite3_open_v2(aside, &sq, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_exec(sq, "PRAGMA writable_schema = ON", NULL, NULL,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(sq, "SELECT account, uidl, mkey, downloaded_at,"
	    " deleted_on_server, delivered FROM uidl", -1, &st, NULL) !=
	    SQLITE_OK || db_begin(db, &err) < 0)
		goto out;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *acct = (const char *)sqlite3_column_text(st, 0);
		const char *uidl = (const char *)sqlite3_column_text(st, 1);
		const char *key = (const char *)sqlite3_column_text(st, 2);

		if (acct == NULL || uidl == NULL)
			continue;
		if (db_uidl_add(db, acct, uidl, key,
		    sqlite3_column_int64(st, 3), sqlite3_column_int(st, 5) != 0,
		    &err) < 0 || (sqlite3_column_int(st, 4) != 0 &&
		    db_uidl_mark_deleted(db, acct, uidl, &err) < 0))
			break;
		n++;
	}
	if (error_isset(&err) || db_commit(db, &err) < 0) {
		log_warn("salvaging POP3 records from %s: %s", aside, err.msg);
		db_rollback(db);
		n = 0;
	}
out:
	sqlite3_finalize(st);
	sqlite3_close(sq);
	/* Made by this read of a WAL-mode file; only an index of the WAL. */
	snprintf(shm, sizeof(shm), "%s-shm", aside);
	(void)unlink(shm);
	return n;
}

static void
sync_dir_of(const char *path)
{
	char dir[4096];
	char *slash;
	int fd;

	str_lcpy(dir, path, sizeof(dir));
	if ((slash = strrchr(dir, '/')) == NULL)
		str_lcpy(dir, ".", sizeof(dir));
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

static int
recover_locked(const char *path, struct db **db_r, char *notice,
    size_t notice_size, struct error *err)
{
	char why[256], stamp[32], aside[4096], shm[4096];
	struct stat sb;
	struct tm tm;
	time_t now = time(NULL);
	long salvaged;
	int n, rc;

	if (notice_size)
		notice[0] = '\0';
	/* A process that already holds a connection checked the file when
	 * it opened the first, and must not read it outside SQLite now
	 * (db.c, open_lock); nor could it set aside a file in use. */
	if (db_open_conns_locked() > 0)
		return db_open_version_locked(path, DB_SCHEMA_VERSION, db_r,
		    err);
	if ((rc = probe(path, why, sizeof(why), err)) < 0)
		return -1;
	if (rc == 0)
		return db_open_version_locked(path, DB_SCHEMA_VERSION, db_r,
		    err);

	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm) == 0)
		snprintf(stamp, sizeof(stamp), "%lld", (long long)now);
	for (n = 0; n < 100; n++) {
		if (n == 0)
			snprintf(aside, sizeof(aside), "%s.corrupt-%s", path,
			    stamp);
		else
			snprintf(aside, sizeof(aside), "%s.corrupt-%s-%d",
			    path, stamp, n);
		if (lstat(aside, &sb) < 0 && errno == ENOENT)
			break;
	}
	if (n == 100)
		return error_set(err, "the index %s is damaged (%s) and "
		    "cannot be set aside: too many copies", path, why);
	/* The WAL and journal belong to the damaged file: a fresh file
	 * must not replay them.  The -shm only indexes the WAL. */
	if (move_aside(path, aside, "-wal", err) < 0 ||
	    move_aside(path, aside, "-journal", err) < 0 ||
	    move_aside(path, aside, "", err) < 0)
		return error_prefix(err, "the index %s is damaged (%s)", path,
		    why);
	snprintf(shm, sizeof(shm), "%s-shm", path);
	if (unlink(shm) < 0 && errno != ENOENT)
		log_warn("cannot remove %s: %s", shm, strerror(errno));
	sync_dir_of(path);
	if (db_open_version_locked(path, DB_SCHEMA_VERSION, db_r, err) < 0)
		return -1;
	/* The stamp vouched for the old file; the new one starts the day. */
	snprintf(shm, sizeof(shm), "%s.checked", path);
	full_check_passed(shm);
	salvaged = salvage_uidls(aside, *db_r);
	snprintf(last_notice, sizeof(last_notice), "the index %s was damaged "
	    "(%s); it was set aside as %s and rebuilt from the Maildirs, "
	    "with %ld POP3 download records read back from it (IMAP folders "
	    "are fetched again at the next sync)", path, why, aside,
	    salvaged);
	log_warn("%s", last_notice);
	if (notice_size)
		str_lcpy(notice, last_notice, notice_size);
	return 1;
}

int
db_recover_open(const char *path, struct db **db_r, char *notice,
    size_t notice_size, struct error *err)
{
	int rc;

	db_open_lock();
	rc = recover_locked(path, db_r, notice, notice_size, err);
	db_open_unlock();
	return rc;
}
