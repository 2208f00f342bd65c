/*
 * db: the SQLite index, postie.db (doc/HACKING.md, The index): folders,
 * the message index, POP3 UIDL records, the pending-operation queue,
 * account sync state and an FTS5 full-text index.
 *
 * Contract:
 *   - One struct db per thread (SQLite connection, not shared).  The file
 *     is in WAL mode, so readers never block the writer; every connection
 *     waits up to 10 s on a lock (busy timeout) before failing.
 *   - synchronous = NORMAL: a transaction is atomic, and durable once
 *     committed against a process crash (SIGKILL); a power cut may roll
 *     back the last few commits but never corrupts.  Mail itself is
 *     durable on its own (Maildir files are fsynced before they count).
 *   - db_open() creates the file (0600) and brings the schema to
 *     DB_SCHEMA_VERSION through the migrations table `schema_migrations`
 *     (one row per applied version, each applied in its own transaction).
 *     A database newer than this program is refused.
 *   - Writes are cheap inside db_begin()/db_commit(); outside, each call
 *     is its own transaction.  Batch writes (a chunk of headers) in one.
 *     db_begin() takes the write lock at once (BEGIN IMMEDIATE).
 *   - Every function returns 0 on success and -1 with an error, unless
 *     stated; lookups return 1 found, 0 not found, -1 error.
 *   - Strings passed in are copied by SQLite; strings handed out are owned
 *     by the caller (released by the matching _clear/_free function).
 *   - Message ids (rowids) are stable for the life of the message; a
 *     move keeps the id.
 */
#ifndef POSTIE_CACHE_DB_H
#define POSTIE_CACHE_DB_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/error.h"

#define DB_SCHEMA_VERSION 8

/* Message flags (stored as a bit set). */
#define MSG_SEEN     0x01u
#define MSG_ANSWERED 0x02u
#define MSG_FLAGGED  0x04u
#define MSG_DELETED  0x08u
#define MSG_DRAFT    0x10u
#define MSG_ALL_FLAGS 0x1fu

/* Special-use role of a folder (RFC 6154), INBOX first. */
enum folder_role {
	FOLDER_ROLE_NONE,
	FOLDER_ROLE_INBOX,
	FOLDER_ROLE_DRAFTS,
	FOLDER_ROLE_SENT,
	FOLDER_ROLE_TRASH,
	FOLDER_ROLE_JUNK,
	FOLDER_ROLE_ARCHIVE,
	FOLDER_ROLE_ALL,
	FOLDER_ROLE_FLAGGED,
};

struct db;

struct db_folder {
	int64_t id;
	char *account;
	char *name;           /* UTF-8 full name, delimiter-separated */
	char delim;           /* hierarchy delimiter, '/' by default, 0 none */
	uint32_t uidvalidity; /* 0 = unknown (POP3 Maildir: unused) */
	uint32_t uidnext;
	uint64_t highestmodseq;
	enum folder_role role;
	int noselect;         /* \Noselect: a node of the tree only */
	/* What the server lets the user change here (IMAP; 0 for POP3),
	 * as of the last SELECT: the MSG_* flags it does not keep, and
	 * read-only (nothing kept, nothing removed) */
	unsigned noflags;
	int readonly;
	int noinsert;         /* no message may be copied or moved in */
	unsigned total;       /* 0 unless filled by db_folder_counts */
	unsigned unread;      /* messages without MSG_SEEN, likewise */
};

/*
 * One message's index record.  On insert the strings are read (may be
 * NULL); from db_msg_get they are allocated (never NULL, "" when empty)
 * and freed by db_msg_clear().
 */
struct db_msg {
	int64_t id;            /* set by db_msg_insert */
	int64_t folder_id;
	uint32_t uid;          /* IMAP UID; 0 for a Maildir message */
	char *key;             /* Maildir key (unique name without ":2,"
				  info), or NULL for IMAP */
	unsigned flags;        /* MSG_* */
	int64_t internal_date; /* arrival time (IMAP INTERNALDATE, Maildir
				  delivery time) */
	int64_t size;          /* bytes of the raw message */
	int64_t date;          /* Date: header as time_t, 0 if unknown */
	char *from;            /* decoded UTF-8 display form */
	char *to;
	char *cc;
	char *subject;         /* decoded UTF-8 */
	char *message_id;      /* "<...>" or NULL */
	char *in_reply_to;     /* first "<...>" of In-Reply-To, or NULL */
	char *references;      /* space-separated "<...>" list, or NULL */
	int has_attachment;
	char *text;            /* decoded body text for search; insert only,
				  may be NULL (db_msg_set_text adds it later) */
};

struct db_uidl {
	char *uidl;
	char *key;             /* Maildir key it was delivered as */
	int64_t downloaded_at;
	int deleted_on_server;
	int delivered;         /* 0 while the file is being renamed in */
};

enum db_op_kind {
	DB_OP_FLAGS,   /* args: "+FLAGS -FLAGS" as two decimal bit sets */
	DB_OP_MOVE,    /* args: destination folder id (decimal) */
	DB_OP_COPY,    /* args: destination folder id (decimal) */
	DB_OP_DELETE,  /* set \Deleted (IMAP) / delete (POP3 keep mode) */
	DB_OP_EXPUNGE, /* expunge the folder (uid 0) */
	DB_OP_APPEND,  /* store a file (args: its path) in the folder with
			  the IMAP flags in uid (0: \Seen): a Sent copy or a
			  draft; the file is removed once the server has it */
};

enum db_op_state { DB_OP_PENDING, DB_OP_DONE, DB_OP_FAILED };

/* One queued operation.  Strings owned by the struct (db_op_clear). */
struct db_op {
	int64_t id;        /* increasing: replay in id order */
	char *account;
	enum db_op_kind kind;
	int64_t folder_id;
	int64_t msg_id;    /* local message id, or 0 */
	uint32_t uid;      /* server UID at queue time (IMAP), or 0 */
	char *key;         /* Maildir key, or NULL */
	char *args;        /* see enum db_op_kind, or NULL */
	enum db_op_state state;
	char *error;       /* why it failed, or NULL */
};

/* Opens (creating, migrating) the database at path. */
int db_open(const char *path, struct db **db_r, struct error *err);
/* For tests of the upgrade path: migrates only up to version. */
int db_open_version(const char *path, int version, struct db **db_r,
    struct error *err);
void db_close(struct db **db);
/* PRAGMA data_version: moves when another connection (a worker, another
 * process) commits, so a reader can tell that its view is old. */
int db_data_version(struct db *db, int64_t *dv_r, struct error *err);
/*
 * 1 when another process committed to the file since the last call on
 * db (doc/HACKING.md, Events).  data_version also moves for this
 * process's other connections (the workers), so their commits are
 * counted: when data_version moved and none of them committed, another
 * process did.  When both happened, whose commit it was is unknown:
 * the call answers 0 and keeps the old data_version, so the first call
 * with no commit of ours in between answers 1.  Another process's
 * commit is thus reported late but never missed, and a burst of our
 * own may be reported once.  The first call answers 0.  -1 with err.
 */
int db_foreign_commit(struct db *db, struct error *err);
/* The schema version of the open database. */
int db_version(struct db *db);
/* Rows written through this connection since it was opened (rolled
 * back ones included): equal values mean nothing was written between. */
int64_t db_changes(struct db *db);

/* Caps the connection's page cache at kib KiB (every connection starts
 * with 4 MB, which a bulk fill uses; a connection that mostly scans, such
 * as the UI's, gains nothing from it: the kernel keeps the file cached). */
int db_cache_kib(struct db *db, int kib, struct error *err);
/* PRAGMA integrity_check over the whole file: 0 when SQLite says "ok",
 * -1 with its first complaint (or the failure) in err. */
int db_integrity_check(struct db *db, struct error *err);
int db_begin(struct db *db, struct error *err);
int db_commit(struct db *db, struct error *err);
/* Never fails visibly: a failed rollback is logged. */
void db_rollback(struct db *db);

/* --- folders --- */
/* The folder's id, creating the row if absent (role set on creation or
 * when role != FOLDER_ROLE_NONE). */
int db_folder_ensure(struct db *db, const char *account, const char *name,
    enum folder_role role, int64_t *id_r, struct error *err);
/* 1 found (f_r filled, db_folder_clear it), 0 absent, -1 error. */
int db_folder_find(struct db *db, const char *account, const char *name,
    struct db_folder *f_r, struct error *err);
int db_folder_get(struct db *db, int64_t id, struct db_folder *f_r,
    struct error *err);
/* Writes uidvalidity, uidnext, highestmodseq, role, delim, noselect. */
int db_folder_update(struct db *db, const struct db_folder *f,
    struct error *err);
/* Every folder of the account, sorted by name, without counts. */
int db_folder_list(struct db *db, const char *account,
    struct db_folder **list_r, size_t *n_r, struct error *err);
/* Fills total and unread of each list[i] (by id).  The counts of every
 * folder are computed from two indexes (an entry read per message) and
 * kept on this connection until the database changes, so asking again
 * with nothing written in between costs a lookup. */
int db_folder_counts(struct db *db, struct db_folder *list, size_t n,
    struct error *err);
/* Deletes every message of the folder (UIDVALIDITY changed) and sets
 * uidvalidity, uidnext and highestmodseq to 0. */
int db_folder_reset(struct db *db, int64_t id, struct error *err);
/* Renames the folder (its messages stay). */
int db_folder_set_name(struct db *db, int64_t id, const char *name,
    struct error *err);
/* Removes the folder and its messages. */
int db_folder_delete(struct db *db, int64_t id, struct error *err);
/* The user leaves the folder: its messages as of now are no longer new,
 * and those still unread become old (the ~N and ~O patterns). */
int db_folder_mark_old(struct db *db, int64_t id, struct error *err);
/* The highest message id that is old in the folder (0: none is). */
int db_folder_old_mark(struct db *db, int64_t id, int64_t *mark_r,
    struct error *err);
void db_folder_clear(struct db_folder *f);
void db_folders_free(struct db_folder **list, size_t n);

/* --- messages --- */
/* Inserts m (m->id is set) and its FTS row.  No duplicate check: look up
 * first with db_msg_find_uid / db_msg_find_key. */
int db_msg_insert(struct db *db, struct db_msg *m, struct error *err);
/* Calls fn with the From, To and Cc (NULL when empty) and the date (the
 * Date header, else the arrival time) of each message whose id is above
 * after, in id order; *last_r: the highest id seen (after if none). */
int db_msg_each_address(struct db *db, int64_t after,
    void (*fn)(void *arg, const char *from, const char *to, const char *cc,
    int64_t date), void *arg, int64_t *last_r, struct error *err);
int db_msg_get(struct db *db, int64_t id, struct db_msg *m_r,
    struct error *err);
void db_msg_clear(struct db_msg *m);
int db_msg_find_uid(struct db *db, int64_t folder_id, uint32_t uid,
    int64_t *id_r, struct error *err);
int db_msg_find_key(struct db *db, int64_t folder_id, const char *key,
    int64_t *id_r, struct error *err);
int db_msg_set_flags(struct db *db, int64_t id, unsigned flags,
    struct error *err);
int db_msg_set_folder(struct db *db, int64_t id, int64_t folder_id,
    uint32_t uid, struct error *err);
int db_msg_set_key(struct db *db, int64_t id, const char *key,
    struct error *err);
/* Sets the decoded body text search finds the message by (after its
 * header fields), replacing any set before. */
int db_msg_set_text(struct db *db, int64_t id, const char *text,
    struct error *err);
int db_msg_delete(struct db *db, int64_t id, struct error *err);
/* Calls fn for each message of the folder in id order with its id, uid,
 * key (NULL for IMAP) and flags; fn returns 0 to go on, -1 to stop
 * (then db_msg_each returns -1 with whatever fn put in err). */
int db_msg_each(struct db *db, int64_t folder_id,
    int (*fn)(void *arg, int64_t id, uint32_t uid, const char *key,
	unsigned flags, struct error *err),
    void *arg, struct error *err);
/* The messages of the folder with a UID in lo..hi, in UID order: fn as
 * for db_msg_each (key NULL).  One indexed query, so the cost follows
 * what the folder holds in the range, never the width of the range (a
 * server may name 1:4294967295).  fn must not change the folder's rows. */
int db_msg_each_uid(struct db *db, int64_t folder_id, uint32_t lo,
    uint32_t hi,
    int (*fn)(void *arg, int64_t id, uint32_t uid, const char *key,
	unsigned flags, struct error *err),
    void *arg, struct error *err);
/* Highest UID stored in the folder, 0 if none. */
int db_msg_max_uid(struct db *db, int64_t folder_id, uint32_t *uid_r,
    struct error *err);

/*
 * Full-text search (FTS5, one column, detail=none) over from, to, cc,
 * subject and body text.  The index stores no text of its own: it reads
 * the view fts_src (header fields, or the text kept in fts_text when
 * there is body text), so every change to its words goes through
 * db_msg_insert, db_msg_set_text and the delete trigger.
 * query is what a user typed: words are ANDed, each a prefix match;
 * FTS syntax characters are neutralised.  folder_id 0 searches every
 * folder.  *ids_r (free()) holds message ids, newest date first.
 */
int db_search(struct db *db, int64_t folder_id, const char *query,
    int64_t **ids_r, size_t *n_r, struct error *err);

/* Lists handed out (folders, UIDLs, search ids) are never NULL on
 * success, even when empty: free them all the same. */

/* --- POP3 UIDL records --- */
int db_uidl_lookup(struct db *db, const char *account, const char *uidl,
    struct db_uidl *u_r, struct error *err);
/* Records a download (delivered as given). Replaces an older record. */
int db_uidl_add(struct db *db, const char *account, const char *uidl,
    const char *key, int64_t downloaded_at, int delivered, struct error *err);
int db_uidl_set_delivered(struct db *db, const char *account,
    const char *uidl, struct error *err);
/* UIDLs downloaded before cutoff and not yet deleted on the server
 * (free each and the array). */
int db_uidl_older(struct db *db, const char *account, int64_t cutoff,
    char ***uidls_r, size_t *n_r, struct error *err);
/* Every record of the account not yet delivered (crash recovery). */
int db_uidl_undelivered(struct db *db, const char *account,
    struct db_uidl **list_r, size_t *n_r, struct error *err);
int db_uidl_mark_deleted(struct db *db, const char *account,
    const char *uidl, struct error *err);
/* Drops the record (the server no longer has the message). */
int db_uidl_forget(struct db *db, const char *account, const char *uidl,
    struct error *err);
void db_uidl_clear(struct db_uidl *u);

/* --- pending operations --- */
/* Queues op (op->id set, state PENDING).  Call inside the transaction
 * that applies the local effect, so both or neither happen. */
int db_op_add(struct db *db, struct db_op *op, struct error *err);
/* The oldest PENDING op of the account with id > after (0: from the
 * start): 1 found (db_op_clear it), 0 none, -1 error. */
int db_op_next(struct db *db, const char *account, int64_t after,
    struct db_op *op_r, struct error *err);
/* Marks done.  Call inside the transaction that records the server's
 * confirmation, so a crash never replays a confirmed op. */
int db_op_done(struct db *db, int64_t id, struct error *err);
int db_op_fail(struct db *db, int64_t id, const char *why, struct error *err);
/* Number of PENDING ops of the account (NULL: all accounts). */
int db_op_pending(struct db *db, const char *account, size_t *n_r,
    struct error *err);
void db_op_clear(struct db_op *op);

/* --- account state --- */
/* last_sync < 0 keeps the stored time (a failed sync must not forget
 * the last one that worked); last_error NULL clears it. */
int db_account_set(struct db *db, const char *account, int64_t last_sync,
    const char *last_error, struct error *err);
/* *error_r: NULL or allocated; last_sync 0 = never. 1/0/-1. */
int db_account_get(struct db *db, const char *account, int64_t *last_sync_r,
    char **error_r, struct error *err);

#endif
