/*
 * cache: the hub (doc/HACKING.md, Data flow of a sync; Threads and who
 * owns what).  The UI talks only to this; it owns
 * the main thread's db connection, the stores, the sync workers (one
 * thread per account) and the event pipe.
 *
 * Threads: every function here is for the thread that called
 * cache_open() (the UI thread).  Workers use their own connections.
 *
 * Contract:
 *   - Reading functions answer from disk at once and never wait for the
 *     network; they work with no worker running (offline, `postie list`).
 *   - Changes (flags, delete, move, copy, expunge) apply to the local
 *     index (and Maildir) at once and are queued in the same transaction
 *     for the account's worker to replay on the server, exactly once,
 *     surviving restarts.  Without a worker they wait in the queue.
 *   - Events: when a worker changes anything, one byte is written to the
 *     event pipe; poll cache_event_fd() for POLLIN and call
 *     cache_event_read() until it returns 0.  See "Events" below for the
 *     kinds and the one rule on what is merged; "Generations" for how a
 *     reader learns that a folder changed, whoever changed it.
 *   - cache_close() stops the workers (cancel + join, bounded by their
 *     timeouts), so no thread outlives it and no file is half-written.
 */
#ifndef POSTIE_CACHE_CACHE_H
#define POSTIE_CACHE_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "cache/account.h"
#include "cache/db.h"
#include "cache/index.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/error.h"

struct cache;

#define CACHE_SYNC_BODIES 0x1u /* `postie sync --bodies`: fetch bodies too */

struct cache_opts {
	const char *data_dir;  /* NULL: paths_data_dir() (postie.db, mail/) */
	const char *cache_dir; /* NULL: paths_cache_dir() (IMAP bodies) */
};

/* A live view of one account, for the account list. */
struct cache_account_status {
	enum account_state state;
	int64_t last_sync;      /* time_t of the last successful sync, 0 never */
	unsigned unread;        /* over all folders */
	unsigned total;
	size_t pending_ops;     /* queued changes not yet on the server */
	size_t to_send;         /* outbox: waiting to be sent */
	size_t not_sent;        /* outbox: failed or unknown: the user's */
	char error[ERROR_MAX];  /* the last error sentence, "" if none */
};

/* A folder in tree order (parents before children, siblings by role
 * then name); depth from the delimiter. */
struct cache_folder {
	int64_t id;
	const char *name;       /* full name, UTF-8 */
	const char *leaf;       /* last component, for the tree view */
	unsigned depth;
	enum folder_role role;
	int noselect;
	unsigned total;
	unsigned unread;
};

/*
 * Events (doc/HACKING.md, Events).  These are all the kinds.  Every
 * event posted is delivered, in the order posted; none is ever dropped,
 * and the queue grows while nobody reads it.  One thing is merged: a
 * PROGRESS replaces its account's PROGRESS that is still queued when no
 * other event of that account was queued after it (one "latest
 * progress" slot per account), since only the latest means anything.
 *
 * The UI thread's own changes through this header (cache_set_flags and
 * the others below) post no event: they move the folder's generation
 * (cache_folder_gen), which is how a screen learns of every change.
 */
enum cache_event_kind {
	CACHE_EV_ACCOUNT,         /* state changed (error: see text) */
	CACHE_EV_FOLDERS_CHANGED, /* a worker changed the folder list of
				     account */
	CACHE_EV_FOLDER_CHANGED,  /* a worker changed messages of folder_id
				     (the generation moved too) */
	CACHE_EV_MESSAGE_ARRIVED, /* msg_id new in folder_id: new mail */
	CACHE_EV_BODY_READY,      /* msg_id's raw bytes can be fetched now */
	CACHE_EV_BODY_FAILED,     /* msg_id could not be fetched (text) */
	CACHE_EV_PROGRESS,        /* done/total/bytes; text: what */
	CACHE_EV_SYNC_DONE,       /* a sync finished: status 0 ok, -1 failed
				     (text: the sentence); ticket: the
				     request's (0: a background sync);
				     stats: what it did */
	CACHE_EV_ALERT,           /* text: a server's alert (IMAP [ALERT]),
				     cleaned; the user must see it */
	CACHE_EV_REFUSED,         /* text: one sentence, cleaned: the server
				     refused a change made here, which was
				     undone (folder_id); the user must see
				     it */
	CACHE_EV_OUTBOX,          /* the account's outbox changed */
	CACHE_EV_SEND_DONE,       /* a send pass finished: ticket as for
				     SYNC_DONE; status -1 when a message
				     failed or waits (text: the last
				     sentence); stats.sent and .send_failed */
	CACHE_EV_FOLDER_DONE,     /* a cache_folder_op() the worker ran:
				     ticket; status 0 (text: "Created X")
				     or -1 (text: why nothing changed) */
};

/* What one sync did, for "work: 12 new, 3 changed, 1 change sent". */
struct cache_sync_stats {
	unsigned new_msgs;   /* indexed messages new to the cache */
	unsigned changed;    /* flag changes from the server */
	unsigned removed;    /* messages gone from the server */
	unsigned ops_sent;   /* queued changes the server confirmed */
	unsigned ops_failed; /* queued changes the server refused */
	unsigned sent;       /* messages the submission server accepted */
	unsigned send_failed; /* messages failed, unknown or deferred */
};

struct cache_event {
	enum cache_event_kind kind;
	size_t account;           /* index for cache_account() */
	enum account_state state; /* CACHE_EV_ACCOUNT */
	int64_t folder_id;
	int64_t msg_id;
	uint64_t done, total, bytes;
	int status;
	uint64_t ticket;          /* CACHE_EV_SYNC_DONE */
	struct cache_sync_stats stats; /* CACHE_EV_SYNC_DONE */
	char text[ERROR_MAX];     /* cleaned sentence or label, or "" */
};

/* Opens the database (creating folders 0700) and, for POP3 accounts,
 * reconciles each Maildir with the index.  cfg must outlive the cache. */
int cache_open(const struct config *cfg, const struct cache_opts *opts,
    struct cache **c_r, struct error *err);
void cache_close(struct cache **c);
struct db *cache_db(struct cache *c); /* the UI thread's connection */

/* --- accounts --- */
size_t cache_naccounts(const struct cache *c);
const struct account *cache_account(const struct cache *c, size_t i);
/* 0 and *i_r, or -1 with "no account named 'X'". */
int cache_account_find(const struct cache *c, const char *name, size_t *i_r,
    struct error *err);
int cache_account_status(struct cache *c, size_t i,
    struct cache_account_status *st_r, struct error *err);

/*
 * What removing a deleted message (expunge) costs in account a, one
 * value for each sentence the UI says before asking: every account marks
 * on `d` and removes on expunge; only the consequence differs, and the
 * account's driver (cache/driver.h) knows it.  Pure: no I/O.
 */
enum cache_delete_outcome {
	CACHE_DELETE_SERVER,      /* removed from the server (IMAP) */
	CACHE_DELETE_ONLY_COPY,   /* the local file is the only copy */
	CACHE_DELETE_SERVER_KEEPS, /* local only; the server keeps it */
	CACHE_DELETE_SERVER_DAYS, /* local only; the server keeps it until
				     keep_days after the download */
};
enum cache_delete_outcome cache_delete_outcome(const struct account *a);

/* --- folders --- */
/* The account's folders in tree order; free with cache_folders_free. */
int cache_folders(struct cache *c, size_t account, struct cache_folder **f_r,
    size_t *n_r, struct error *err);
void cache_folders_free(struct cache_folder **f, size_t n);
/* Folder id by name ("INBOX" matches case-insensitively); -1 with "no
 * folder" error when absent from the cache. */
int cache_folder_find(struct cache *c, size_t account, const char *name,
    int64_t *id_r, struct error *err);
/* The user leaves the folder in the reader: its unread messages become
 * old (Mutt's mark_old; the ~O pattern, `O` in the index), and only mail
 * that arrives after this is new (~N). */
int cache_folder_leave(struct cache *c, int64_t folder_id,
    struct error *err);
/* The highest message id that is old in the folder, 0 when none is. */
int64_t cache_folder_old_mark(struct cache *c, int64_t folder_id);
/*
 * Managing folders (doc/HACKING.md, Managing folders): creates name,
 * renames name to newname (its subfolders follow; the cached messages
 * stay when the server keeps the folder's UIDVALIDITY, else its next
 * sync reads it again), deletes name with its messages (and their
 * cached bodies), or subscribes to it / unsubscribes from it.  What
 * does not depend on the protocol is checked first, each refusal one
 * sentence: the names (cache_folder_name_check), INBOX is neither
 * renamed nor deleted, the folder exists (or, for a new name, does
 * not).  Then the account's store does it: returns 0 when it is done
 * (a local Maildir), 1 when the server must do it first: the account's
 * worker was asked, and a CACHE_EV_FOLDER_DONE carrying *ticket_r
 * follows.  Nothing is queued for later: offline, that event says the
 * server could not be reached and nothing changed.  -1 with err.
 */
enum cache_folder_op {
	CACHE_FOLDER_CREATE,
	CACHE_FOLDER_RENAME,
	CACHE_FOLDER_DELETE,
	CACHE_FOLDER_SUBSCRIBE,
	CACHE_FOLDER_UNSUBSCRIBE,
};
int cache_folder_op(struct cache *c, size_t account, enum cache_folder_op op,
    const char *name, const char *newname, uint64_t *ticket_r,
    struct error *err);
/* Only its checks, before asking the user anything (newname NULL for a
 * rename: the source only): 0, or -1 with the sentence. */
int cache_folder_op_check(struct cache *c, size_t account,
    enum cache_folder_op op, const char *name, const char *newname,
    struct error *err);
/* 0 when name may name a new folder of the account: not empty, at most
 * CACHE_FOLDER_NAME_MAX bytes of valid UTF-8 without control
 * characters, no empty level (the account's hierarchy delimiter at
 * either end or twice in a row), no level "." or "..", no LIST
 * wildcard (* %); else -1 with the sentence. */
#define CACHE_FOLDER_NAME_MAX 200
int cache_folder_name_check(struct cache *c, size_t account, const char *name,
    struct error *err);
/* The account's hierarchy delimiter ('/' until the server said). */
char cache_folder_delim(struct cache *c, size_t account);
/* Re-reads a POP3 account's Maildir (files added, removed, re-flagged
 * by other programs) into the index.  cache_open() does it once. */
int cache_reconcile(struct cache *c, size_t account, struct error *err);

/* --- the folder index, messages --- */
int cache_index_open(struct cache *c, int64_t folder_id, enum index_sort sort,
    int reverse, struct index **ix_r, struct error *err);
/*
 * The message's raw bytes, appended to out: 1 when there (Maildir or body
 * cache); 0 when a worker was asked for it (CACHE_EV_BODY_READY or
 * CACHE_EV_BODY_FAILED follows; urgent, ahead of background sync);
 * -1 error (e.g. not cached and the account has no worker running).
 */
int cache_message_raw(struct cache *c, int64_t msg_id, struct buf *out,
    struct error *err);
/*
 * Generations: a number per folder that moves whenever its messages may
 * have changed: each change this process makes (its workers' syncs,
 * and the calls below: cache_set_flags() and cache_delete() move it by
 * exactly one once they found the message, also when nothing needed
 * changing or the change failed;
 * cache_move(), cache_copy() and the expunges at least once for each
 * folder they touch), and commits of another process
 * (db_foreign_commit() in db.h says when they are seen).  A screen
 * keeps the generation it loaded and reloads when it moved; one that
 * made a change itself and sees its generation + 1 afterwards knows
 * that nothing else changed.  Nothing is counted, so nothing can drift.
 * cache_account_gen() moves with every folder of account i, with its
 * folder list and with its outbox.  UI thread only (they read cache_db()).
 */
uint64_t cache_folder_gen(struct cache *c, int64_t folder_id);
uint64_t cache_account_gen(struct cache *c, size_t i);
/* Sets and clears MSG_* flags (Maildir: renames the file as well). */
int cache_set_flags(struct cache *c, int64_t msg_id, unsigned add,
    unsigned remove, struct error *err);
/* Deletes as the account's store does (cache/driver.h, struct
 * cache_local): IMAP sets \Deleted (expunge removes it); a Maildir
 * (POP3) removes the file and the record (the UIDL stays known, so it is
 * not downloaded again). */
int cache_delete(struct cache *c, int64_t msg_id, struct error *err);
int cache_move(struct cache *c, int64_t msg_id, int64_t dest_folder,
    struct error *err);
int cache_copy(struct cache *c, int64_t msg_id, int64_t dest_folder,
    struct error *err);
/*
 * The same for many messages of one account (the tagged ones): on IMAP
 * all the local changes and the queued changes in one transaction, all
 * or none, and the worker sends them as few commands with UID sets (one
 * STORE or MOVE per folder and destination, up to the line limit); a
 * refusal fails them all, and the next sync shows the server's state.
 * A store without a queue (the Maildir): one by one.  dest for MOVE and
 * COPY only.
 */
enum cache_bulk_op {
	CACHE_BULK_DELETE, CACHE_BULK_UNDELETE, CACHE_BULK_FLAG,
	CACHE_BULK_UNFLAG, CACHE_BULK_READ, CACHE_BULK_UNREAD,
	CACHE_BULK_MOVE, CACHE_BULK_COPY
};
int cache_bulk(struct cache *c, const int64_t *ids, size_t n,
    enum cache_bulk_op op, int64_t dest, struct error *err);
/* Removes messages flagged MSG_DELETED from the folder. */
int cache_expunge(struct cache *c, int64_t folder_id, struct error *err);
/* The same for those of ids (n) that are still flagged MSG_DELETED: what
 * the user was asked about, not a mark that arrived since. */
int cache_expunge_ids(struct cache *c, int64_t folder_id, const int64_t *ids,
    size_t n, struct error *err);
/* The messages of the folder (0: every folder) that match a pattern
 * (cache/pattern.h: Mutt's ~f ~s ~d ~U ..., plain words for full text),
 * in id order, on the UI connection; a parse error is the sentence with
 * its column. */
int cache_search(struct cache *c, int64_t folder_id, const char *pattern,
    int64_t **ids_r, size_t *n_r, struct error *err);
/* The same with ~T matching the ids of tagged (sorted; the UI's tags). */
int cache_search_tagged(struct cache *c, int64_t folder_id,
    const char *pattern, const int64_t *tagged, size_t ntagged,
    int64_t **ids_r, size_t *n_r, struct error *err);

/*
 * A saved search (config [searches]): the messages that match its pattern
 * in the folders of its scope (every folder of every account when it has
 * none; a named folder not in the cache yet holds nothing), in id order;
 * *unread_r (if not NULL) counts those without MSG_SEEN.  Reads the UI
 * connection, like cache_search.
 */
int cache_saved_search(struct cache *c, const struct config_search *s,
    int64_t **ids_r, size_t *n_r, unsigned *unread_r, struct error *err);
/* 1 when the saved search looks in account i (the folder list shows it
 * there). */
int cache_saved_search_in(const struct cache *c, const struct config_search *s,
    size_t i);
/* The folders a saved search looks in (noselect ones left out), each
 * once, with its account: what its virtual folder shows. */
struct cache_scope {
	int64_t *folders;
	size_t *accounts; /* account of folders[k] */
	char **names;     /* its name (UTF-8, from the server: clean it) */
	int *whole;       /* 1: there as part of its whole account */
	size_t n;
};
int cache_saved_search_scope(struct cache *c, const struct config_search *s,
    struct cache_scope *sc_r, struct error *err);
void cache_scope_free(struct cache_scope *sc);
/* Moves whenever a folder of the scope may have changed: the sum of
 * their generations (Generations below), so a change of this process
 * to one message moves it by exactly one, as for one folder. */
uint64_t cache_scope_gen(struct cache *c, const struct cache_scope *sc);
/* The virtual folder: the matches of s in sc's folders (its scope, read
 * before) as one index, sorted or threaded across them; index_folder()
 * tells each message's folder.  A snapshot like cache_index_open's:
 * flags, deletes and moves go through the calls below by message id,
 * to the message's real folder. */
int cache_saved_search_open(struct cache *c, const struct config_search *s,
    const struct cache_scope *sc, enum index_sort sort, int reverse,
    struct index **ix_r, struct error *err);

/* --- address completion (cache/addrbook.h ranks) --- */
struct cache_addr {
	char *name; /* "" if none */
	char *addr;
	int from_query; /* 1: only query_command knows it */
};
/*
 * The addresses matching query, best first, at most max: those seen in
 * the index (the From, To and Cc of every message, the user's own
 * addresses left out, ranked by how often and how recently, recipients
 * of the user's mail first), then those [general] query_command prints
 * that are not among them.  The index is read in full at the first call
 * and afterwards only for messages added since.  query_command runs with
 * query as "$1" (core/spawn.h), bounded by CACHE_QUERY_SECONDS; when it
 * fails, the index's matches are still returned and *warn says why
 * (error_clear'ed otherwise).  Returns 0 with *hits_r (cache_addr_free),
 * or -1 with a sentence in warn (the index could not be read).
 */
#define CACHE_QUERY_SECONDS 10
int cache_addr_complete(struct cache *c, const char *query, size_t max,
    struct cache_addr **hits_r, size_t *n_r, struct error *warn);
void cache_addr_free(struct cache_addr *hits, size_t n);
/* Starts reading the index's addresses on a thread of its own (with its
 * own connection), so that the first cache_addr_complete() finds them
 * read: the compose screen calls it before the editor.  Harmless when
 * done already; cache_close() waits for it. */
void cache_addr_prepare(struct cache *c);

/* --- the outbox (outbox.h) --- */
struct outbox_msg;
/*
 * Stores raw (a finished message, as `sendmail -t` reads one) in account
 * i's outbox, durably, before anything is tried: *id_r its outbox id,
 * *msgid_r (if not NULL, allocated) its Message-ID.  The account needs a
 * `from`.  Nothing is sent: cache_request_send() does that.
 */
int cache_outbox_add(struct cache *c, size_t i, const char *raw, size_t len,
    int64_t *id_r, char **msgid_r, struct error *err);
/* Postpones raw (written in copy mode, Bcc kept) to account i's drafts
 * folder: IMAP, an APPEND with \Draft queued like every change; POP3, a
 * local Maildir next to INBOX. */
int cache_draft_store(struct cache *c, size_t i, const char *raw, size_t len,
    struct error *err);
/* Every message not yet sent (account i, or SIZE_MAX for all). */
int cache_outbox_list(struct cache *c, size_t i, struct outbox_msg **v_r,
    size_t *n_r, struct error *err);
/* 1 and *m (outbox_msg_clear) while id is in the outbox, 0 once sent. */
int cache_outbox_get(struct cache *c, int64_t id, struct outbox_msg *m,
    struct error *err);
/*
 * The user's outbox commands (outbox_drop, outbox_retry_now): 1 done, 0
 * when the message is being sent at this moment (or is gone), -1 error.
 * Retry only makes it due: cache_request_send() then sends it.
 */
int cache_outbox_drop(struct cache *c, int64_t id, struct error *err);
int cache_outbox_retry(struct cache *c, int64_t id, struct error *err);
/* Waiting and needing the user (failed, unknown), for the account list. */
int cache_outbox_counts(struct cache *c, size_t i, size_t *waiting_r,
    size_t *trouble_r, struct error *err);
/*
 * Asks account i's worker to send what is due in its outbox (starting
 * it if needed); *ticket_r as for cache_request_sync: exactly one
 * CACHE_EV_SEND_DONE carries it.
 */
int cache_request_send(struct cache *c, size_t i, uint64_t *ticket_r,
    struct error *err);

/* --- workers --- */
/*
 * Starts the worker of account i (no-op if running).  Fails with "syncing
 * PROTO accounts is not available yet" when no driver is linked in.
 */
int cache_worker_start(struct cache *c, size_t i, struct error *err);
/*
 * Asks for a sync (folder_id 0: all; flags CACHE_SYNC_*); starts the
 * worker if needed.  *ticket_r (if not NULL) is this request's ticket,
 * never 0: exactly one CACHE_EV_SYNC_DONE carries it, also when the
 * request was merged with another one waiting for the same sync, and
 * also when the worker could not start or stops before serving it.
 */
int cache_request_sync(struct cache *c, size_t i, int64_t folder_id,
    unsigned flags, uint64_t *ticket_r, struct error *err);
/*
 * Tells account i's worker which folder the user is looking at (0: none).
 * Its IDLE then watches that folder instead of INBOX, so other clients'
 * changes there show at once; meanwhile a background sync runs at least
 * every minute, so new mail in INBOX still shows.  Starts nothing: -1
 * if the account has no worker.
 */
int cache_watch(struct cache *c, size_t i, int64_t folder_id);
/* Stops every worker (cancel, join). */
void cache_workers_stop(struct cache *c);

/* --- events --- */
int cache_event_fd(const struct cache *c);
/* 1 and *ev_r filled, 0 when no event is queued. */
int cache_event_read(struct cache *c, struct cache_event *ev_r);

#endif
