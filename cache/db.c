/* db: connection, folders, account state (migrations: db_migrate.c). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache/db_int.h"
#include "core/log.h"
#include "core/str.h"
#include "core/xalloc.h"

/* A message's header fields as the search index reads them (the same
 * words as index_text() in db_msg.c gives, not the same spaces).  For
 * the live statements only: a migration keeps its own literal copy. */
#define FTS_HEADERS "coalesce(m.from_, '') || ' ' || coalesce(m.to_, '')" \
	" || ' ' || coalesce(m.cc, '') || ' ' || coalesce(m.subject, '')"

static const char *const stmt_sql[ST_COUNT] = {
	[ST_FOLDER_FIND] = "SELECT id FROM folders WHERE account = ? AND"
	    " name = ?",
	[ST_FOLDER_INSERT] = "INSERT INTO folders(account, name, role)"
	    " VALUES (?, ?, ?)",
	[ST_FOLDER_ROLE] = "UPDATE folders SET role = ? WHERE id = ?",
	[ST_FOLDER_GET] = "SELECT id, account, name, delim, uidvalidity,"
	    " uidnext, highestmodseq, role, noselect, noflags, readonly,"
	    " noinsert FROM folders WHERE id = ?",
	[ST_FOLDER_UPDATE] = "UPDATE folders SET uidvalidity = ?,"
	    " uidnext = ?, highestmodseq = ?, role = ?, delim = ?,"
	    " noselect = ?, noflags = ?, readonly = ?, noinsert = ?"
	    " WHERE id = ?",
	[ST_MSG_INSERT] = "INSERT INTO messages(folder, uid, mkey, flags,"
	    " internal_date, size, date, from_, to_, cc, subject, message_id,"
	    " in_reply_to, refs, has_attachment)"
	    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[ST_FTS_INSERT] = "INSERT INTO fts(rowid, text) VALUES (?, ?)",
	[ST_MSG_GET] = "SELECT id, folder, uid, mkey, flags, internal_date,"
	    " size, date, from_, to_, cc, subject, message_id, in_reply_to,"
	    " refs, has_attachment FROM messages WHERE id = ?",
	[ST_MSG_FIND_UID] = "SELECT id FROM messages WHERE folder = ? AND"
	    " uid = ?",
	[ST_MSG_FIND_KEY] = "SELECT id FROM messages WHERE folder = ? AND"
	    " mkey = ?",
	[ST_MSG_FLAGS] = "UPDATE messages SET flags = ? WHERE id = ?",
	[ST_MSG_FOLDER] = "UPDATE messages SET folder = ?, uid = ?"
	    " WHERE id = ?",
	[ST_MSG_KEY] = "UPDATE messages SET mkey = ? WHERE id = ?",
	[ST_MSG_DELETE] = "DELETE FROM messages WHERE id = ?",
	[ST_MSG_EACH] = "SELECT id, uid, mkey, flags FROM messages"
	    " WHERE folder = ? ORDER BY id",
	/* db_msg_set_text: out with the old words, in with the new. */
	[ST_FTS_FORGET] = "INSERT INTO fts(fts, rowid, text) SELECT 'delete',"
	    " id, text FROM fts_src WHERE id = ?",
	[ST_FTS_TEXT] = "INSERT OR REPLACE INTO fts_text(id, text)"
	    " SELECT m.id, " FTS_HEADERS " || ' ' || coalesce(?2, '')"
	    " FROM messages m WHERE m.id = ?1",
	[ST_FTS_KEEP] = "INSERT INTO fts_text(id, text) VALUES (?, ?)",
	[ST_FTS_ADD] = "INSERT INTO fts(rowid, text) SELECT id, text"
	    " FROM fts_src WHERE id = ?",
	[ST_UIDL_LOOKUP] = "SELECT uidl, mkey, downloaded_at,"
	    " deleted_on_server, delivered FROM uidl WHERE account = ? AND"
	    " uidl = ?",
	[ST_UIDL_ADD] = "INSERT OR REPLACE INTO uidl(account, uidl, mkey,"
	    " downloaded_at, deleted_on_server, delivered)"
	    " VALUES (?, ?, ?, ?, 0, ?)",
	[ST_UIDL_DELIVERED] = "UPDATE uidl SET delivered = 1"
	    " WHERE account = ? AND uidl = ?",
	[ST_UIDL_DELETED] = "UPDATE uidl SET deleted_on_server = 1"
	    " WHERE account = ? AND uidl = ?",
	[ST_UIDL_FORGET] = "DELETE FROM uidl WHERE account = ? AND uidl = ?",
	[ST_OP_ADD] = "INSERT INTO ops(account, kind, folder, msg, uid, mkey,"
	    " args, state) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
	[ST_OP_NEXT] = "SELECT id, account, kind, folder, msg, uid, mkey,"
	    " args, state, error FROM ops WHERE account = ? AND state = 0"
	    " AND id > ? ORDER BY id LIMIT 1",
	[ST_OP_STATE] = "UPDATE ops SET state = ?, error = ? WHERE id = ?",
	[ST_ACCOUNT_SET] = "INSERT INTO accounts(name, last_sync, last_error)"
	    " VALUES (?1, max(?2, 0), ?3) ON CONFLICT(name) DO UPDATE SET"
	    " last_sync = CASE WHEN ?2 < 0 THEN last_sync ELSE ?2 END,"
	    " last_error = ?3",
	[ST_ACCOUNT_GET] = "SELECT last_sync, last_error FROM accounts"
	    " WHERE name = ?",
	[ST_DATA_VERSION] = "PRAGMA data_version",
	/* Both read an index only: messages_folder_uid, messages_unread. */
	[ST_FOLDER_COUNTS] = "SELECT folder, count(*) FROM messages"
	    " GROUP BY folder ORDER BY folder",
	[ST_FOLDER_UNREAD] = "SELECT folder, count(*) FROM messages"
	    " WHERE flags & 1 = 0 GROUP BY folder ORDER BY folder",
};

int
db_fail(struct db *db, struct error *err, const char *what)
{
	return error_set(err, "index database: %s: %s", what,
	    db && db->sq ? sqlite3_errmsg(db->sq) : "cannot open");
}

sqlite3_stmt *
db_stmt(struct db *db, enum db_stmt which, struct error *err)
{
	sqlite3_stmt *st = db->st[which];

	if (st == NULL) {
		if (sqlite3_prepare_v3(db->sq, stmt_sql[which], -1,
		    SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
			db_fail(db, err, "prepare");
			return NULL;
		}
		db->st[which] = st;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

int
db_step_done(struct db *db, sqlite3_stmt *st, struct error *err,
    const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, what);
	return 0;
}

void
db_bind_str(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

char *
db_col_str(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return xstrdup(s ? (const char *)s : "");
}

char *
db_col_strn(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? xstrdup((const char *)s) : NULL;
}

int
db_exec(struct db *db, const char *sql, struct error *err)
{
	char *msg = NULL;

	if (sqlite3_exec(db->sq, sql, NULL, NULL, &msg) != SQLITE_OK) {
		error_set(err, "index database: %s",
		    msg ? msg : sqlite3_errmsg(db->sq));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* The WAL a connection lets grow before its commit checkpoints: 4 MB of
 * pages, whatever their size (SQLite's default is 1,000 pages). */
#define WAL_CHECKPOINT_BYTES (4 * 1024 * 1024)

/* Sets that from the file's page size (SQLite's for a new file until its
 * first page is written: the one set just before). */
static int
wal_autocheckpoint(struct db *db, struct error *err)
{
	sqlite3_stmt *st;
	int page_size = 0;
	char sql[64];

	if (sqlite3_prepare_v2(db->sq, "PRAGMA page_size", -1, &st, NULL) !=
	    SQLITE_OK)
		return db_fail(db, err, "page size");
	if (sqlite3_step(st) == SQLITE_ROW)
		page_size = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (page_size <= 0)
		page_size = 4096;
	snprintf(sql, sizeof(sql), "PRAGMA wal_autocheckpoint = %d",
	    WAL_CHECKPOINT_BYTES / page_size);
	return db_exec(db, sql, err);
}

/*
 * Once per process, before SQLite initializes: no memory statistics.
 * Keeping them takes a process-wide mutex on every allocation, a
 * measurable part of the work of indexing a message; nothing here reads
 * them.
 */
static void
configure_sqlite(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/*
 * Every connection this process opens on the index is counted under one
 * lock.  POSIX locks belong to the process, not to a descriptor: closing
 * any descriptor of the file drops the locks of every SQLite connection
 * the process holds on it, and another process then believes it is the
 * last user and removes the WAL under them (SQLite's "How To Corrupt an
 * SQLite Database File", 2.2).  So the file is opened outside SQLite only
 * by a process that holds no connection yet, with this lock held so that
 * no other thread opens one meanwhile (doc/HACKING.md, "The index").
 */
static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;

/* Commits of all this process's connections, for db_foreign_commit(). */
static uint64_t local_commits;

/* SQLite calls it on the committing thread, before the commit shows in
 * other connections' data_version: a reader that loads the count first
 * never takes one of ours for another process's. */
static int
commit_hook(void *arg)
{
	struct db *db = arg;

	db->own_commits++;
	__atomic_add_fetch(&local_commits, 1, __ATOMIC_SEQ_CST);
	return 0;
}

int
db_foreign_commit(struct db *db, struct error *err)
{
	uint64_t others = __atomic_load_n(&local_commits, __ATOMIC_SEQ_CST) -
	    db->own_commits;
	int64_t dv;
	int rc = 0;

	if (db_data_version(db, &dv, err) < 0)
		return -1;
	if (db->seen && dv != db->seen_dv && others == db->seen_local)
		rc = 1;
	if (!db->seen || rc || dv == db->seen_dv)
		db->seen_dv = dv;
	db->seen_local = others;
	db->seen = 1;
	return rc;
}
static int open_conns;

void
db_open_lock(void)
{
	pthread_mutex_lock(&open_lock);
}

void
db_open_unlock(void)
{
	pthread_mutex_unlock(&open_lock);
}

int
db_open_conns_locked(void)
{
	return open_conns;
}

int
db_check_files(const char *path, struct error *err)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	char name[4096];
	struct stat sb;
	size_t i;

	for (i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		snprintf(name, sizeof(name), "%s%s", path, suffix[i]);
		if (lstat(name, &sb) < 0 || S_ISREG(sb.st_mode))
			continue;
		return error_set(err, "refusing to open the index: %s is "
		    "%s; remove it", name, S_ISLNK(sb.st_mode) ? "a symbolic "
		    "link" : "not a regular file");
	}
	return 0;
}

/*
 * The file, made 0600 when absent (SQLite would follow the umask), never
 * through a symbolic link.  A new file is a new inode, which no
 * connection of this process can hold a lock on: closing it is safe.
 * *fresh_r: the file is empty (a new database).
 */
static int
create_file(const char *path, int *fresh_r, struct error *err)
{
	struct stat sb;
	int fd;

	if (db_check_files(path, err) < 0)
		return -1;
	if (lstat(path, &sb) == 0) {
		if (!S_ISREG(sb.st_mode))
			return error_set(err, "cannot open %s: not a regular "
			    "file", path);
		*fresh_r = sb.st_size == 0;
		return 0;
	}
	if (errno != ENOENT)
		return error_errno(err, errno, "cannot open %s", path);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd < 0 && errno != EEXIST)
		return error_errno(err, errno, "cannot create %s", path);
	if (fd >= 0)
		close(fd);
	*fresh_r = lstat(path, &sb) == 0 && sb.st_size == 0;
	return 0;
}

int
db_open_version_locked(const char *path, int version, struct db **db_r,
    struct error *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct db *db;
	int fresh = 0;

	pthread_once(&once, configure_sqlite);
	if (create_file(path, &fresh, err) < 0)
		return -1;
	db = xcalloc(1, sizeof(*db));
	if (sqlite3_open_v2(path, &db->sq, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
		db_fail(db, err, path);
		db_close_locked(&db);
		return -1;
	}
	db->counted = 1;
	open_conns++;
	sqlite3_commit_hook(db->sq, commit_hook, db);
	sqlite3_busy_timeout(db->sq, 10000);
	sqlite3_extended_result_codes(db->sq, 1);
	/*
	 * 8 KB pages (a new file only; SQLite ignores it otherwise): fewer
	 * writes than 4 KB ones when a first fill indexes a large folder,
	 * and the same work per row.
	 *
	 * An empty file is made a database without waiting for the disk:
	 * switching it to WAL and writing the schema made six fsyncs
	 * before a first sync could start.  It holds nothing
	 * yet; if the machine goes down before its first checkpoint, the
	 * next start finds it empty or damaged and makes it again
	 * (recover.h).  Then the usual NORMAL.
	 */
	if (db_exec(db, "PRAGMA page_size = 8192", err) < 0 ||
	    db_exec(db, fresh ? "PRAGMA synchronous = OFF" :
	        "PRAGMA synchronous = NORMAL", err) < 0 ||
	    db_exec(db, "PRAGMA journal_mode = WAL", err) < 0 ||
	    db_exec(db, "PRAGMA foreign_keys = ON", err) < 0 ||
	    db_exec(db, "PRAGMA cache_size = -4096", err) < 0 ||
	    wal_autocheckpoint(db, err) < 0 ||
	    db_migrate(db, version, err) < 0 ||
	    (fresh && db_exec(db, "PRAGMA synchronous = NORMAL", err) < 0)) {
		db_close_locked(&db);
		return -1;
	}
	*db_r = db;
	return 0;
}

int
db_open_version(const char *path, int version, struct db **db_r,
    struct error *err)
{
	int rc;

	db_open_lock();
	rc = db_open_version_locked(path, version, db_r, err);
	db_open_unlock();
	return rc;
}

int
db_integrity_check(struct db *db, struct error *err)
{
	sqlite3_stmt *st;
	const char *r;
	int rc;

	if (sqlite3_prepare_v2(db->sq, "PRAGMA integrity_check", -1, &st,
	    NULL) != SQLITE_OK)
		return db_fail(db, err, "integrity check");
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return db_fail(db, err, "integrity check");
	}
	r = (const char *)sqlite3_column_text(st, 0);
	rc = r != NULL && strcmp(r, "ok") == 0 ? 0 :
	    error_set(err, "integrity check: %s", r ? r : "no answer");
	sqlite3_finalize(st);
	return rc;
}

int
db_open(const char *path, struct db **db_r, struct error *err)
{
	return db_open_version(path, DB_SCHEMA_VERSION, db_r, err);
}

void
db_close_locked(struct db **dbp)
{
	struct db *db = *dbp;
	size_t i;

	if (db == NULL)
		return;
	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(db->st[i]);
	sqlite3_close(db->sq);
	if (db->counted)
		open_conns--;
	buf_free(&db->scratch);
	free(db->counts);
	free(db);
	*dbp = NULL;
}

void
db_close(struct db **dbp)
{
	if (*dbp == NULL)
		return;
	db_open_lock();
	db_close_locked(dbp);
	db_open_unlock();
}

int
db_version(struct db *db)
{
	return db->version;
}

int64_t
db_changes(struct db *db)
{
	return sqlite3_total_changes64(db->sq);
}

int
db_cache_kib(struct db *db, int kib, struct error *err)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%d", kib);
	return db_exec(db, sql, err);
}

int
db_begin(struct db *db, struct error *err)
{
	return db_exec(db, "BEGIN IMMEDIATE", err);
}

int
db_commit(struct db *db, struct error *err)
{
	if (db_exec(db, "COMMIT", err) < 0) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

void
db_rollback(struct db *db)
{
	struct error err;

	if (sqlite3_get_autocommit(db->sq))
		return;
	if (db_exec(db, "ROLLBACK", &err) < 0)
		log_warn("%s", err.msg);
}

int
db_folder_ensure(struct db *db, const char *account, const char *name,
    enum folder_role role, int64_t *id_r, struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_stmt(db, ST_FOLDER_FIND, err)) == NULL)
		return -1;
	db_bind_str(st, 1, account);
	db_bind_str(st, 2, name);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id_r = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		if (role == FOLDER_ROLE_NONE)
			return 0;
		if ((st = db_stmt(db, ST_FOLDER_ROLE, err)) == NULL)
			return -1;
		sqlite3_bind_int(st, 1, role);
		sqlite3_bind_int64(st, 2, *id_r);
		return db_step_done(db, st, err, "folder role");
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, "folder lookup");
	if ((st = db_stmt(db, ST_FOLDER_INSERT, err)) == NULL)
		return -1;
	db_bind_str(st, 1, account);
	db_bind_str(st, 2, name);
	sqlite3_bind_int(st, 3, role);
	if (db_step_done(db, st, err, "folder insert") < 0)
		return -1;
	*id_r = sqlite3_last_insert_rowid(db->sq);
	return 0;
}

static void
folder_from_row(sqlite3_stmt *st, struct db_folder *f)
{
	f->id = sqlite3_column_int64(st, 0);
	f->account = db_col_str(st, 1);
	f->name = db_col_str(st, 2);
	f->delim = (char)sqlite3_column_int(st, 3);
	f->uidvalidity = (uint32_t)sqlite3_column_int64(st, 4);
	f->uidnext = (uint32_t)sqlite3_column_int64(st, 5);
	f->highestmodseq = (uint64_t)sqlite3_column_int64(st, 6);
	f->role = (enum folder_role)sqlite3_column_int(st, 7);
	f->noselect = sqlite3_column_int(st, 8);
	f->noflags = (unsigned)sqlite3_column_int(st, 9) & MSG_ALL_FLAGS;
	f->readonly = sqlite3_column_int(st, 10);
	f->noinsert = sqlite3_column_int(st, 11);
}

int
db_folder_get(struct db *db, int64_t id, struct db_folder *f_r,
    struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	memset(f_r, 0, sizeof(*f_r));
	if ((st = db_stmt(db, ST_FOLDER_GET, err)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		folder_from_row(st, f_r);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "folder");
}

int
db_folder_find(struct db *db, const char *account, const char *name,
    struct db_folder *f_r, struct error *err)
{
	sqlite3_stmt *st;
	int64_t id;
	int rc;

	memset(f_r, 0, sizeof(*f_r));
	if ((st = db_stmt(db, ST_FOLDER_FIND, err)) == NULL)
		return -1;
	db_bind_str(st, 1, account);
	db_bind_str(st, 2, name);
	rc = sqlite3_step(st);
	id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return db_fail(db, err, "folder lookup");
	return db_folder_get(db, id, f_r, err);
}

int
db_folder_update(struct db *db, const struct db_folder *f, struct error *err)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, ST_FOLDER_UPDATE, err)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, f->uidvalidity);
	sqlite3_bind_int64(st, 2, f->uidnext);
	sqlite3_bind_int64(st, 3, (int64_t)f->highestmodseq);
	sqlite3_bind_int(st, 4, f->role);
	sqlite3_bind_int(st, 5, (unsigned char)f->delim);
	sqlite3_bind_int(st, 6, f->noselect);
	sqlite3_bind_int(st, 7, (int)(f->noflags & MSG_ALL_FLAGS));
	sqlite3_bind_int(st, 8, f->readonly != 0);
	sqlite3_bind_int(st, 9, f->noinsert != 0);
	sqlite3_bind_int64(st, 10, f->id);
	return db_step_done(db, st, err, "folder update");
}

int
db_folder_list(struct db *db, const char *account, struct db_folder **list_r,
    size_t *n_r, struct error *err)
{
	sqlite3_stmt *st;
	struct db_folder *list = NULL;
	size_t n = 0, cap = 0;
	int rc;

	if (sqlite3_prepare_v2(db->sq, "SELECT id, account, name, delim,"
	    " uidvalidity, uidnext, highestmodseq, role, noselect, noflags,"
	    " readonly, noinsert FROM folders WHERE account = ? ORDER BY name",
	    -1, &st,
	    NULL) != SQLITE_OK)
		return db_fail(db, err, "folder list");
	db_bind_str(st, 1, account);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			list = xreallocarray(list, cap, sizeof(*list));
		}
		folder_from_row(st, &list[n++]);
	}
	sqlite3_finalize(st);
	if (list == NULL)
		list = xcalloc(1, sizeof(*list));
	if (rc != SQLITE_DONE) {
		db_folders_free(&list, n);
		return db_fail(db, err, "folder list");
	}
	*list_r = list;
	*n_r = n;
	return 0;
}

static int
exec_id(struct db *db, const char *sql, int64_t id, struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db->sq, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "prepare");
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "update");
}

int
db_folder_reset(struct db *db, int64_t id, struct error *err)
{
	if (exec_id(db, "DELETE FROM messages WHERE folder = ?", id, err) < 0)
		return -1;
	return exec_id(db, "UPDATE folders SET uidvalidity = 0, uidnext = 0,"
	    " highestmodseq = 0 WHERE id = ?", id, err);
}

int
db_folder_delete(struct db *db, int64_t id, struct error *err)
{
	if (exec_id(db, "DELETE FROM messages WHERE folder = ?", id, err) < 0)
		return -1;
	return exec_id(db, "DELETE FROM folders WHERE id = ?", id, err);
}

int
db_folder_mark_old(struct db *db, int64_t id, struct error *err)
{
	return exec_id(db, "UPDATE folders SET old_mark = (SELECT"
	    " coalesce(max(id), 0) FROM messages WHERE folder = ?1)"
	    " WHERE id = ?1", id, err);
}

int
db_folder_old_mark(struct db *db, int64_t id, int64_t *mark_r,
    struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	*mark_r = 0;
	if (sqlite3_prepare_v2(db->sq, "SELECT old_mark FROM folders"
	    " WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "prepare");
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*mark_r = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 :
	    db_fail(db, err, "read");
}

int
db_folder_set_name(struct db *db, int64_t id, const char *name,
    struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db->sq, "UPDATE folders SET name = ? WHERE "
	    "id = ?", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "prepare");
	db_bind_str(st, 1, name);
	sqlite3_bind_int64(st, 2, id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "folder rename");
}

void
db_folder_clear(struct db_folder *f)
{
	free(f->account);
	free(f->name);
	memset(f, 0, sizeof(*f));
}

void
db_folders_free(struct db_folder **list, size_t n)
{
	size_t i;

	if (*list == NULL)
		return;
	for (i = 0; i < n; i++)
		db_folder_clear(&(*list)[i]);
	free(*list);
	*list = NULL;
}

int
db_account_set(struct db *db, const char *account, int64_t last_sync,
    const char *last_error, struct error *err)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, ST_ACCOUNT_SET, err)) == NULL)
		return -1;
	db_bind_str(st, 1, account);
	sqlite3_bind_int64(st, 2, last_sync);
	db_bind_str(st, 3, last_error);
	return db_step_done(db, st, err, "account state");
}

int
db_account_get(struct db *db, const char *account, int64_t *last_sync_r,
    char **error_r, struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	*last_sync_r = 0;
	*error_r = NULL;
	if ((st = db_stmt(db, ST_ACCOUNT_GET, err)) == NULL)
		return -1;
	db_bind_str(st, 1, account);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*last_sync_r = sqlite3_column_int64(st, 0);
		*error_r = db_col_strn(st, 1);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "account state");
}
