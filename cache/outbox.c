/* outbox: messages waiting to be sent (outbox.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cache/db_int.h"
#include "cache/outbox.h"
#include "core/log.h"
#include "core/paths.h"
#include "core/str.h"
#include "core/xalloc.h"

#define COLS "id, account, state, created, next_try, attempts, file," \
	" message_id, mail_from, rcpts, subject, error, size, eightbit"

const char *
outbox_state_name(enum outbox_state st)
{
	switch (st) {
	case OUTBOX_QUEUED: return "queued";
	case OUTBOX_SENDING: return "sending";
	case OUTBOX_DOT: return "sending";
	case OUTBOX_FAILED: return "failed";
	case OUTBOX_UNKNOWN: return "unknown";
	}
	return "unknown";
}

static int
prep(struct db *db, const char *sql, sqlite3_stmt **st, struct error *err)
{
	if (sqlite3_prepare_v2(db->sq, sql, -1, st, NULL) != SQLITE_OK)
		return db_fail(db, err, "outbox");
	return 0;
}

static int
done(struct db *db, sqlite3_stmt *st, struct error *err)
{
	int rc = sqlite3_step(st);

	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, "outbox");
	return 0;
}

static void
row(sqlite3_stmt *st, struct outbox_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->id = sqlite3_column_int64(st, 0);
	m->account = db_col_str(st, 1);
	m->state = (enum outbox_state)sqlite3_column_int(st, 2);
	m->created = sqlite3_column_int64(st, 3);
	m->next_try = sqlite3_column_int64(st, 4);
	m->attempts = (unsigned)sqlite3_column_int(st, 5);
	m->file = db_col_str(st, 6);
	m->message_id = db_col_str(st, 7);
	m->mail_from = db_col_str(st, 8);
	m->rcpts = db_col_str(st, 9);
	m->subject = db_col_str(st, 10);
	m->error = db_col_strn(st, 11);
	m->size = sqlite3_column_int64(st, 12);
	m->eightbit = sqlite3_column_int(st, 13);
}

void
outbox_msg_clear(struct outbox_msg *m)
{
	free(m->account);
	free(m->file);
	free(m->message_id);
	free(m->mail_from);
	free(m->rcpts);
	free(m->subject);
	free(m->error);
	memset(m, 0, sizeof(*m));
}

void
outbox_msgs_free(struct outbox_msg **v, size_t n)
{
	size_t i;

	for (i = 0; *v && i < n; i++)
		outbox_msg_clear(&(*v)[i]);
	free(*v);
	*v = NULL;
}

/* The account's name in hex, so that a file found without its record
 * (a crash between the two) still says whose it is. */
static void
hex_name(struct buf *b, const char *account)
{
	for (; *account; account++)
		buf_printf(b, "%02x", (unsigned char)*account);
}

static char *
unhex_name(const char *file)
{
	struct buf b = BUF_INIT;
	unsigned v;

	for (; file[0] && file[0] != '.'; file += 2) {
		if (file[1] == '\0' || sscanf(file, "%2x", &v) != 1 || v == 0) {
			buf_free(&b);
			return NULL;
		}
		buf_addch(&b, (char)v);
	}
	return b.len ? buf_detach(&b, NULL) : NULL;
}

static int
insert(struct db *db, const char *account, const char *file, int64_t now,
    const char *msgid, const char *from, const char *rcpts,
    const char *subject, int64_t size, int eightbit, int64_t *id_r,
    struct error *err)
{
	sqlite3_stmt *st;

	if (prep(db, "INSERT INTO outbox(account, state, created, next_try,"
	    " file, message_id, mail_from, rcpts, subject, size, eightbit)"
	    " VALUES (?, 0, ?, 0, ?, ?, ?, ?, ?, ?, ?)", &st, err) < 0)
		return -1;
	db_bind_str(st, 1, account);
	sqlite3_bind_int64(st, 2, now);
	db_bind_str(st, 3, file);
	db_bind_str(st, 4, msgid);
	db_bind_str(st, 5, from);
	db_bind_str(st, 6, rcpts);
	db_bind_str(st, 7, subject);
	sqlite3_bind_int64(st, 8, size);
	sqlite3_bind_int(st, 9, eightbit);
	if (done(db, st, err) < 0)
		return -1;
	if (id_r)
		*id_r = sqlite3_last_insert_rowid(db->sq);
	return 0;
}

/* The outbox folder, inside the data folder (which cache_open checked):
 * made 0700, and never a symbolic link (its .eml files are sent). */
static int
outbox_mkdir(const char *dir, struct error *err)
{
	const char *slash = strrchr(dir, '/');
	char *root;
	int rc;

	if (slash == NULL || slash == dir)
		return paths_mkdir(dir, err);
	root = xstrndup(dir, (size_t)(slash - dir));
	rc = paths_mkdir_below(root, dir, err);
	free(root);
	return rc;
}

int
outbox_add(struct db *db, const char *dir, const char *account,
    const struct mime_submission *s, int64_t *id_r, struct error *err)
{
	struct buf name = BUF_INIT, path = BUF_INIT, rcpts = BUF_INIT;
	unsigned char rnd[6];
	int64_t now = time(NULL);
	size_t i;
	int rc = -1;

	if (outbox_mkdir(dir, err) < 0)
		return -1;
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return error_errno(err, errno, "cannot name a message in the "
		    "outbox");
	hex_name(&name, account);
	buf_printf(&name, ".%lld.%ld.", (long long)now, (long)getpid());
	for (i = 0; i < sizeof(rnd); i++)
		buf_printf(&name, "%02x", rnd[i]);
	buf_addstr(&name, ".eml");
	buf_printf(&path, "%s/%s", dir, buf_cstr(&name));
	for (i = 0; i < s->rcpts.n; i++)
		buf_printf(&rcpts, "%s%s", i ? "," : "", s->rcpts.v[i].addr);
	/* The file first, durably; then the record.  A crash between the
	 * two leaves a file that outbox_recover() records. */
	if (paths_write_atomic(buf_cstr(&path), s->msg.data, s->msg.len,
	    err) < 0)
		goto out;
	if (insert(db, account, buf_cstr(&name), now, s->message_id, s->from,
	    buf_cstr(&rcpts), s->subject, (int64_t)s->msg.len, s->eightbit,
	    id_r, err) < 0) {
		(void)unlink(buf_cstr(&path));
		goto out;
	}
	rc = 0;
out:
	buf_free(&name);
	buf_free(&path);
	buf_free(&rcpts);
	return rc;
}

int
outbox_list(struct db *db, const char *account, struct outbox_msg **v_r,
    size_t *n_r, struct error *err)
{
	sqlite3_stmt *st;
	size_t n = 0, cap = 0;
	int rc;

	*v_r = NULL;
	*n_r = 0;
	if (prep(db, account ? "SELECT " COLS " FROM outbox WHERE account = ?"
	    " ORDER BY id" : "SELECT " COLS " FROM outbox ORDER BY id", &st,
	    err) < 0)
		return -1;
	if (account)
		db_bind_str(st, 1, account);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			*v_r = xreallocarray(*v_r, cap, sizeof(**v_r));
		}
		row(st, &(*v_r)[n++]);
	}
	sqlite3_finalize(st);
	*n_r = n;
	if (rc != SQLITE_DONE) {
		outbox_msgs_free(v_r, n);
		*n_r = 0;
		return db_fail(db, err, "outbox");
	}
	return 0;
}

static int
one(struct db *db, sqlite3_stmt *st, struct outbox_msg *m, struct error *err)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		row(st, m);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return db_fail(db, err, "outbox");
}

int
outbox_get(struct db *db, int64_t id, struct outbox_msg *m,
    struct error *err)
{
	sqlite3_stmt *st;

	if (prep(db, "SELECT " COLS " FROM outbox WHERE id = ?", &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return one(db, st, m, err);
}

int
outbox_next_due(struct db *db, const char *account, int64_t now,
    struct outbox_msg *m, struct error *err)
{
	sqlite3_stmt *st;

	if (prep(db, "SELECT " COLS " FROM outbox WHERE account = ? AND"
	    " state = 0 AND next_try <= ? ORDER BY id LIMIT 1", &st, err) < 0)
		return -1;
	db_bind_str(st, 1, account);
	sqlite3_bind_int64(st, 2, now);
	return one(db, st, m, err);
}

int
outbox_set(struct db *db, int64_t id, enum outbox_state state,
    const char *error, int64_t next_try, struct error *err)
{
	sqlite3_stmt *st;

	if (prep(db, "UPDATE outbox SET state = ?, error = ?, next_try = ?"
	    " WHERE id = ?", &st, err) < 0)
		return -1;
	sqlite3_bind_int(st, 1, (int)state);
	db_bind_str(st, 2, error);
	sqlite3_bind_int64(st, 3, next_try);
	sqlite3_bind_int64(st, 4, id);
	return done(db, st, err);
}

int
outbox_retry_later(struct db *db, int64_t id, const char *error,
    int64_t now, struct error *err)
{
	sqlite3_stmt *st;

	/* 60 s doubled per attempt, at most an hour: a server that said
	 * "try later" is not hammered, and one back soon is used soon. */
	if (prep(db, "UPDATE outbox SET state = 0, error = ?,"
	    " attempts = attempts + 1,"
	    " next_try = ? + min(3600, 60 << min(attempts, 6)) WHERE id = ?",
	    &st, err) < 0)
		return -1;
	db_bind_str(st, 1, error);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, id);
	return done(db, st, err);
}

int
outbox_set_rcpts(struct db *db, int64_t id, const char *rcpts,
    struct error *err)
{
	sqlite3_stmt *st;

	if (prep(db, "UPDATE outbox SET rcpts = ? WHERE id = ?", &st, err) < 0)
		return -1;
	db_bind_str(st, 1, rcpts);
	sqlite3_bind_int64(st, 2, id);
	return done(db, st, err);
}

int
outbox_read(const char *dir, const struct outbox_msg *m, struct buf *out,
    struct error *err)
{
	char buf[65536];
	ssize_t n;
	int fd;
	struct buf path = BUF_INIT;

	buf_printf(&path, "%s/%s", dir, m->file);
	fd = open(buf_cstr(&path), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		error_errno(err, errno, "cannot read %s", buf_cstr(&path));
		buf_free(&path);
		return -1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		buf_add(out, buf, (size_t)n);
	if (n < 0)
		error_errno(err, errno, "cannot read %s", buf_cstr(&path));
	close(fd);
	buf_free(&path);
	return n < 0 ? -1 : 0;
}

/* Removes id's record when sql (a DELETE with the id as its parameter)
 * matches it, then its file: 1 removed, 0 not (gone, or refused by the
 * condition). */
static int
remove_if(struct db *db, const char *dir, int64_t id, const char *sql,
    struct error *err)
{
	struct outbox_msg m;
	struct buf path = BUF_INIT;
	sqlite3_stmt *st;
	int rc;

	if ((rc = outbox_get(db, id, &m, err)) <= 0)
		return rc;
	if (prep(db, sql, &st, err) < 0) {
		outbox_msg_clear(&m);
		return -1;
	}
	sqlite3_bind_int64(st, 1, id);
	if (done(db, st, err) < 0) {
		outbox_msg_clear(&m);
		return -1;
	}
	if (sqlite3_changes(db->sq) == 0) {
		outbox_msg_clear(&m);
		return 0;
	}
	/* The record went first: a crash now leaves a file that recovery
	 * would queue again, so remove it at once. */
	buf_printf(&path, "%s/%s", dir, m.file);
	if (unlink(buf_cstr(&path)) < 0 && errno != ENOENT)
		log_warn("cannot remove %s: %s", buf_cstr(&path),
		    strerror(errno));
	buf_free(&path);
	outbox_msg_clear(&m);
	return 1;
}

int
outbox_remove(struct db *db, const char *dir, int64_t id, struct error *err)
{
	return remove_if(db, dir, id, "DELETE FROM outbox WHERE id = ?",
	    err) < 0 ? -1 : 0;
}

/* The user's changes apply only to a message no sender holds (queued,
 * failed, unknown); the sender moves it out of queued only through
 * outbox_claim(), so one of the two wins, never both. */
int
outbox_drop(struct db *db, const char *dir, int64_t id, struct error *err)
{
	return remove_if(db, dir, id, "DELETE FROM outbox WHERE id = ? AND"
	    " state IN (0, 3, 4)", err);
}

int
outbox_claim(struct db *db, int64_t id, struct error *err)
{
	sqlite3_stmt *st;

	if (prep(db, "UPDATE outbox SET state = 1 WHERE id = ? AND state = 0",
	    &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (done(db, st, err) < 0)
		return -1;
	return sqlite3_changes(db->sq) > 0;
}

int
outbox_retry_now(struct db *db, int64_t id, struct error *err)
{
	sqlite3_stmt *st;

	if (prep(db, "UPDATE outbox SET state = 0, next_try = 0, attempts = 0,"
	    " error = NULL WHERE id = ? AND state IN (0, 3, 4)", &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (done(db, st, err) < 0)
		return -1;
	return sqlite3_changes(db->sq) > 0;
}

int
outbox_due_now(struct db *db, const char *account, struct error *err)
{
	sqlite3_stmt *st;

	if (prep(db, "UPDATE outbox SET next_try = 0 WHERE account = ? AND"
	    " state = 0 AND next_try > 0", &st, err) < 0)
		return -1;
	db_bind_str(st, 1, account);
	return done(db, st, err);
}

/* 1 when a record names file, 0 when none does. */
static int
known(struct db *db, const char *file, struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (prep(db, "SELECT 1 FROM outbox WHERE file = ?", &st, err) < 0)
		return -1;
	db_bind_str(st, 1, file);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return db_fail(db, err, "outbox");
}

/* A file a crash left without its record: record it queued again, with
 * the envelope read back from the message itself. */
static int
adopt(struct db *db, const char *dir, const char *file, struct error *err)
{
	struct outbox_msg m = { 0 };
	struct mime_submission s;
	struct buf raw = BUF_INIT;
	struct error e2;
	char *account = unhex_name(file);
	size_t i;
	struct buf rcpts = BUF_INIT;
	int rc = 0;

	if (account == NULL)
		return 0; /* not one of ours */
	m.file = (char *)file;
	error_clear(&e2);
	if (outbox_read(dir, &m, &raw, &e2) < 0 ||
	    mime_submission_prepare(raw.data ? raw.data : "", raw.len, NULL,
	    &s, &e2) < 0) {
		log_warn("outbox: %s is left alone: %s", file, e2.msg);
		goto out;
	}
	for (i = 0; i < s.rcpts.n; i++)
		buf_printf(&rcpts, "%s%s", i ? "," : "", s.rcpts.v[i].addr);
	rc = insert(db, account, file, time(NULL), s.message_id, s.from,
	    buf_cstr(&rcpts), s.subject, (int64_t)raw.len, s.eightbit, NULL,
	    err) < 0 ? -1 : 1;
	mime_submission_free(&s);
out:
	buf_free(&raw);
	buf_free(&rcpts);
	free(account);
	return rc;
}

int
outbox_lock(const char *dir, const char *account, int *fd_r,
    struct error *err)
{
	struct buf path = BUF_INIT;
	int fd;

	*fd_r = -1;
	if (outbox_mkdir(dir, err) < 0)
		return -1;
	buf_printf(&path, "%s/.lock-", dir);
	hex_name(&path, account);
	fd = open(buf_cstr(&path), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd < 0) {
		error_errno(err, errno, "cannot open %s", buf_cstr(&path));
		buf_free(&path);
		return -1;
	}
	buf_free(&path);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		if (errno == EWOULDBLOCK)
			return 0;
		return error_errno(err, errno, "cannot lock the outbox");
	}
	*fd_r = fd;
	return 1;
}

void
outbox_unlock(int *fd)
{
	if (*fd >= 0)
		close(*fd); /* drops the flock */
	*fd = -1;
}

/* A file is adopted only when older than this: a younger one may be
 * another process's outbox_add() between its file and its record. */
#define ORPHAN_AGE 120

int
outbox_recover(struct db *db, const char *dir, struct error *err)
{
	sqlite3_stmt *st;
	struct dirent *de;
	struct stat sb;
	DIR *d;
	char **accts = NULL;
	size_t nacct = 0, i;
	int n = 0, rc, lk;

	/* Accounts with a send in progress, or that a crash interrupted. */
	if (prep(db, "SELECT DISTINCT account FROM outbox WHERE state IN"
	    " (1, 2)", &st, err) < 0)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		accts = xreallocarray(accts, nacct + 1, sizeof(*accts));
		accts[nacct++] = db_col_str(st, 0);
	}
	sqlite3_finalize(st);
	for (i = 0; i < nacct; i++) {
		/* Only when no process is sending for the account: its
		 * worker holds the lock for the whole pass. */
		if ((lk = outbox_lock(dir, accts[i], &rc, err)) <= 0) {
			if (lk < 0)
				break;
			continue;
		}
		if (prep(db, "UPDATE outbox SET state = CASE state WHEN 1 THEN"
		    " 0 ELSE 4 END, error = CASE state WHEN 1 THEN error ELSE"
		    " 'the connection ended after the message was handed over"
		    " and before the server confirmed it: it may or may not"
		    " have been sent' END WHERE account = ? AND state IN"
		    " (1, 2)", &st, err) < 0) {
			outbox_unlock(&rc);
			lk = -1;
			break;
		}
		db_bind_str(st, 1, accts[i]);
		lk = done(db, st, err);
		n += sqlite3_changes(db->sq);
		outbox_unlock(&rc);
		if (lk < 0)
			break;
	}
	for (i = 0; i < nacct; i++)
		free(accts[i]);
	free(accts);
	if (i < nacct)
		return -1;
	/* Never through a link: a file found here is recorded, then sent. */
	if ((rc = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0 || (d = fdopendir(rc)) == NULL) {
		int e = errno;

		if (rc >= 0)
			close(rc);
		if (e == ENOENT)
			return n;
		if (e == ELOOP || e == ENOTDIR)
			return error_set(err, "refusing to use %s: it is a "
			    "symbolic link or not a folder; remove it", dir);
		return error_errno(err, e, "cannot read %s", dir);
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.' || len < 5 ||
		    strcmp(de->d_name + len - 4, ".eml") != 0)
			continue;
		if ((rc = known(db, de->d_name, err)) < 0) {
			closedir(d);
			return -1;
		}
		if (rc == 1 || fstatat(dirfd(d), de->d_name, &sb,
		    AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(sb.st_mode) ||
		    time(NULL) - sb.st_mtime < ORPHAN_AGE)
			continue;
		if ((rc = adopt(db, dir, de->d_name, err)) < 0) {
			closedir(d);
			return -1;
		}
		n += rc;
	}
	closedir(d);
	return n;
}

int
outbox_counts(struct db *db, const char *account, size_t *waiting_r,
    size_t *trouble_r, struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	*waiting_r = *trouble_r = 0;
	if (prep(db, "SELECT sum(state IN (0, 1, 2)), sum(state IN (3, 4))"
	    " FROM outbox WHERE account = ?", &st, err) < 0)
		return -1;
	db_bind_str(st, 1, account);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*waiting_r = (size_t)sqlite3_column_int64(st, 0);
		*trouble_r = (size_t)sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_fail(db, err, "outbox");
}
