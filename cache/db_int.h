/* db internals shared by db.c, db_migrate.c, db_msg.c, db_queue.c and
 * db_count.c (not public). */
#ifndef POSTIE_CACHE_DB_INT_H
#define POSTIE_CACHE_DB_INT_H

#include <sqlite3.h>

#include "cache/db.h"
#include "core/buf.h"

enum db_stmt {
	ST_FOLDER_FIND, ST_FOLDER_INSERT, ST_FOLDER_ROLE, ST_FOLDER_GET,
	ST_FOLDER_UPDATE, ST_MSG_INSERT, ST_FTS_INSERT, ST_MSG_GET,
	ST_MSG_FIND_UID, ST_MSG_FIND_KEY, ST_MSG_FLAGS, ST_MSG_FOLDER,
	ST_MSG_KEY, ST_MSG_DELETE, ST_MSG_EACH, ST_FTS_FORGET, ST_FTS_TEXT,
	ST_FTS_KEEP, ST_FTS_ADD,
	ST_UIDL_LOOKUP, ST_UIDL_ADD, ST_UIDL_DELIVERED, ST_UIDL_DELETED,
	ST_UIDL_FORGET, ST_OP_ADD, ST_OP_NEXT, ST_OP_STATE,
	ST_ACCOUNT_SET, ST_ACCOUNT_GET, ST_DATA_VERSION, ST_FOLDER_COUNTS,
	ST_FOLDER_UNREAD,
	ST_COUNT
};

struct db_count {
	int64_t folder;
	unsigned total, unread;
};

struct db {
	sqlite3 *sq;
	int version;
	int counted;    /* in db.c's count of this process's connections */
	sqlite3_stmt *st[ST_COUNT];
	struct buf scratch;
	/* db_count.c: every folder's counts, valid while neither
	 * data_version nor this connection's change count moves */
	struct db_count *counts; /* sorted by folder */
	size_t counts_n, counts_cap;
	int counts_valid;
	int64_t counts_dv, counts_changes;
	/* db_foreign_commit(): this connection's commits, and what the
	 * last call saw */
	uint64_t own_commits;
	uint64_t seen_local;
	int64_t seen_dv;
	int seen;
};

/*
 * The process's connections to the index (db.c): db_recover.c reads the
 * file outside SQLite only while none is open, under db_open_lock(), and
 * opens through the _locked variants while holding it.
 */
void db_open_lock(void);
void db_open_unlock(void);
int db_open_conns_locked(void);
int db_open_version_locked(const char *path, int version, struct db **db_r,
    struct error *err);
void db_close_locked(struct db **dbp);
/* A sentence when path or its -wal, -shm or -journal is a symbolic link
 * or not a regular file (SQLite refuses those with "unable to open
 * database file"); lstat only, never an open.  0 or -1. */
int db_check_files(const char *path, struct error *err);

/* Runs SQL without rows (sqlite3_exec); 0, or -1 with its message. */
int db_exec(struct db *db, const char *sql, struct error *err);
/* Brings the schema up to version target (db_migrate.c), each
 * migration in its own transaction; refuses a newer file.  0 or -1. */
int db_migrate(struct db *db, int target, struct error *err);

/* The cached prepared statement (reset, bindings cleared), or NULL with
 * err set. */
sqlite3_stmt *db_stmt(struct db *db, enum db_stmt which, struct error *err);
/* error_set with the SQLite message; returns -1. */
int db_fail(struct db *db, struct error *err, const char *what);
/* Runs a statement that returns no rows (SQLITE_DONE), then resets it. */
int db_step_done(struct db *db, sqlite3_stmt *st, struct error *err,
    const char *what);
/* Binds a string or NULL. */
void db_bind_str(sqlite3_stmt *st, int i, const char *s);
/* Column as an allocated string, "" for NULL. */
char *db_col_str(sqlite3_stmt *st, int i);
/* Column as an allocated string, or NULL. */
char *db_col_strn(sqlite3_stmt *st, int i);

#endif
