/*
 * driver: how a protocol engine plugs into the cache's sync workers.
 *
 * One worker thread per account (cache/worker.c) owns a struct
 * cache_sync_ctx: the account, the worker's own db connection, the
 * account's stores, its request pipe and the event pipe to the UI.  The
 * worker calls the account protocol's struct cache_driver; the driver
 * talks to the server through net/ and writes results through the
 * functions below.  Drivers: cache/sync_pop3.c (cache_driver_pop3),
 * cache/sync_imap.c (cache_driver_imap); cache/drivers.c lists those that
 * are linked in.  A protocol without a driver is reported, never faked.
 *
 * Rules for a driver:
 *   - Every blocking wait has a timeout (the account's `timeout`) and
 *     also polls cache_sync_request_fd(), so the UI can interrupt it.
 *   - Between chunks (a batch of headers, one POP3 message) check
 *     cache_sync_interrupted(): if set, return 1 from sync() at once; the
 *     worker serves the request (e.g. open a message) and calls sync()
 *     again.  cache_sync_cancelled() means shut down: return quickly,
 *     leaving no half-written file (abort deliveries in progress).
 *   - Never print; errors go back in struct error as one sentence.
 *   - Driver state lives in cache_sync_set_data(); disconnect() frees it.
 */
#ifndef POSTIE_CACHE_DRIVER_H
#define POSTIE_CACHE_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#include "cache/account.h"
#include "cache/cache.h"
#include "cache/db.h"
#include "cache/maildir.h"
#include "core/buf.h"
#include "core/error.h"

struct cache_sync_ctx;
struct bodies;
struct cache;

/*
 * The local-store side of a driver: where an account's messages live on
 * this machine, and how a change the user makes (cache/cache.h: flags,
 * delete, move, copy, expunge, drafts) is applied there and handed on to
 * the server.  The cache's front (cache/cache_ops.c, cache/cache.c)
 * finds the message, checks what is protocol-neutral (the destination
 * folder is the same account's, the flags really change), then calls
 * these on the UI thread with the cache's own db connection; nothing
 * outside the drivers asks which protocol an account speaks.
 * Implementations: cache_local_maildir (cache/local_maildir.c: POP3, the
 * Maildir is the only store, flags are in file names, the server only
 * hears of deletions) and cache_local_imap (cache/local_imap.c: the IMAP
 * body cache plus the queue of changes the worker replays).
 */
struct cache_msg_loc {
	struct db_msg m;    /* the message's index record */
	struct db_folder f; /* its folder */
	size_t account;     /* its account's index */
};

struct cache_local {
	/* cache_open() and cache_reconcile(): makes the store usable and
	 * folds changes made outside postie into the index.  NULL: none. */
	int (*open)(struct cache *c, size_t account, struct error *err);
	/* The worker, on its thread and db, before its first request (e.g.
	 * finishing deliveries a crash interrupted).  NULL: nothing. */
	int (*worker_open)(struct cache_sync_ctx *ctx, struct error *err);
	/* The raw message appended to out: 1 read, 0 not here yet (a
	 * worker was asked for it), -1 error (cache_message_raw()). */
	int (*read)(struct cache *c, const struct cache_msg_loc *w,
	    struct buf *out, struct error *err);
	/* flags: the new set, different from w->m.flags; add and remove as
	 * the caller asked them (what the server is told).  The caller,
	 * cache_set_flags(), moves the folder's generation. */
	int (*set_flags)(struct cache *c, const struct cache_msg_loc *w,
	    unsigned flags, unsigned add, unsigned remove, struct error *err);
	/* Removes one message at once (cache_delete()).  NULL: deleting
	 * marks it deleted, and the expunge removes it.  The caller,
	 * cache_delete(), moves the folder's generation. */
	int (*remove)(struct cache *c, const struct cache_msg_loc *w,
	    struct error *err);
	/* Moves (copy 0) or copies it to dest, a folder of the same
	 * account, moving both folders' generations (cache_changed()).
	 * NULL: the store has one folder; refused. */
	int (*move)(struct cache *c, const struct cache_msg_loc *w,
	    int64_t dest, int copy, struct error *err);
	/* One message's part of cache_bulk(), inside the transaction the
	 * caller opened for all of them: add/remove its flags, or (dest not
	 * 0) move or copy it to dest, and queue the change.  NULL: the
	 * store changes messages one at a time (set_flags, remove, move). */
	int (*bulk_row)(struct cache *c, const struct cache_msg_loc *w,
	    unsigned add, unsigned remove, int64_t dest, int copy,
	    struct error *err);
	/* Removes from folder f (account) the messages ids[0..n) marked
	 * deleted; uids[0..nuids) are those of them with a server UID. */
	int (*expunge)(struct cache *c, size_t account,
	    const struct db_folder *f, const int64_t *ids, size_t n,
	    uint32_t *uids, size_t nuids, struct error *err);
	/* Stores a draft (cache_draft_store()). */
	int (*save_draft)(struct cache *c, size_t account, const char *raw,
	    size_t len, struct error *err);
	/* The worker's send pass, once the server took a message: keeps
	 * its Sent copy (raw; outbox_path is the outbox file holding the
	 * same bytes) inside the transaction the caller opened on ctx's db,
	 * in which the outbox entry then goes (cache/send.c).  -1: neither
	 * happens.  NULL: the store keeps no Sent copy. */
	int (*keep_sent)(struct cache_sync_ctx *ctx, const char *outbox_path,
	    const char *raw, size_t len, struct error *err);
	/* What an expunge costs in this account (cache_delete_outcome()). */
	enum cache_delete_outcome (*delete_outcome)(const struct account *a);
	/* cache_folder_op() once its checks passed: 0 done here, 1 handed
	 * to the worker (cache_folder_request()), -1 err.  NULL: the
	 * account cannot manage folders. */
	int (*folder_op)(struct cache *c, size_t account,
	    enum cache_folder_op op, const char *name, const char *newname,
	    uint64_t *ticket_r, struct error *err);
};

extern const struct cache_local cache_local_maildir;
extern const struct cache_local cache_local_imap;

struct cache_driver {
	const char *protocol; /* "pop3", "imap" */
	/*
	 * Connects if needed and brings the account up to date (folder_id 0:
	 * everything; else that folder first).  Returns 0 done, 1
	 * interrupted (call again), -1 error (err set; the worker reports it,
	 * calls disconnect() and retries later).
	 */
	int (*sync)(struct cache_sync_ctx *ctx, int64_t folder_id,
	    unsigned flags, struct error *err);
	/*
	 * Fetches message msg_id's raw bytes and stores them with
	 * cache_sync_store_body().  0 or -1.  NULL when bodies are always
	 * local (POP3).
	 */
	int (*fetch_body)(struct cache_sync_ctx *ctx, int64_t msg_id,
	    struct error *err);
	/*
	 * Applies one queued operation on the server.  On the server's
	 * confirmation the driver records its local effect (e.g. the new
	 * UID after a move) and calls db_op_done() in one db transaction, so
	 * a crash never replays a confirmed op.  Returns 0 done, 1 not now
	 * (offline: retried later, op stays pending), -1 refused by the
	 * server (the worker marks it failed with err).  NULL: the protocol
	 * has no server-side ops (the worker marks them done).
	 */
	int (*replay_op)(struct cache_sync_ctx *ctx, const struct db_op *op,
	    struct error *err);
	/*
	 * Waits for news (IMAP IDLE, else NOOP polling; POP3 nothing) for at
	 * most timeout_ms, returning early when cache_sync_request_fd() is
	 * readable.  It watches cache_sync_watched() if set, else INBOX.
	 * Returns 0 if the server reported changes (the worker syncs), 1
	 * on timeout or request, -1 error.  NULL: the worker
	 * sleeps and syncs again on its timer.
	 */
	int (*idle)(struct cache_sync_ctx *ctx, int timeout_ms,
	    struct error *err);
	/* Logs out if possible (bounded by the timeout), closes, frees the
	 * driver data.  Safe to call when not connected. */
	void (*disconnect)(struct cache_sync_ctx *ctx);
	/*
	 * Connects, logs in and out with the account's settings, touching
	 * nothing on the server or on disk (cache/probe.h: the setup form's
	 * login test).  Any thread; no worker needed.  0, or -1 with err.
	 */
	int (*probe)(const struct config_account *a, struct error *err);
	/* The local-store side (never NULL). */
	const struct cache_local *local;
	/*
	 * A cache_folder_op() on the server (the worker, for the local side's
	 * cache_folder_request()): connects when needed, runs it, and brings
	 * the cache's folder rows in line (cache_sync_folder_renamed() before
	 * re-reading the list).  0 done, -1 with the sentence of why nothing
	 * changed.  NULL: the server has no folders to manage.
	 */
	int (*folder_op)(struct cache_sync_ctx *ctx, enum cache_folder_op op,
	    const char *name, const char *newname, struct error *err);
};

extern const struct cache_driver cache_driver_pop3;
extern const struct cache_driver cache_driver_imap;
/* The driver for a protocol, or NULL if none is linked in yet. */
const struct cache_driver *cache_driver_find(enum config_protocol p);

/* --- what the worker gives a driver --- */
const struct account *cache_sync_account(struct cache_sync_ctx *ctx);
struct db *cache_sync_db(struct cache_sync_ctx *ctx); /* this thread's */
void *cache_sync_data(struct cache_sync_ctx *ctx);
void cache_sync_set_data(struct cache_sync_ctx *ctx, void *data);
/* Readable when a request waits; add it to every poll().  When it is
 * readable, call cache_sync_interrupted(): that clears the readiness. */
int cache_sync_request_fd(struct cache_sync_ctx *ctx);
/* 1 if a request more urgent than background sync (opening a message) or
 * shutdown waits: return 1 from sync() then.  Also drains the fd. */
int cache_sync_interrupted(struct cache_sync_ctx *ctx);
/* The folder the user looks at (cache_watch), 0 if none: idle() watches
 * it rather than INBOX. */
int64_t cache_sync_watched(struct cache_sync_ctx *ctx);
/* 1 once shutdown was asked: return as soon as possible. */
int cache_sync_cancelled(struct cache_sync_ctx *ctx);
/*
 * The connection's socket (or -1 when closed): at shutdown the UI thread
 * calls shutdown(2) on it so a blocked read returns at once, instead of
 * after the timeout.  Set it after connecting, reset it before close().
 */
void cache_sync_set_cancel_fd(struct cache_sync_ctx *ctx, int fd);

/* --- events to the UI (never fail; each is delivered: cache.h, Events) --- */
/* what: a short label ("downloading", "headers INBOX"); bytes so far. */
void cache_sync_progress(struct cache_sync_ctx *ctx, const char *what,
    uint64_t done, uint64_t total, uint64_t bytes);
void cache_sync_state(struct cache_sync_ctx *ctx, enum account_state state);
/* What the sync did, for its SYNC_DONE (any thread of the sync).  New
 * messages indexed through cache_sync_index_*() are counted already. */
enum cache_sync_count { CACHE_COUNT_NEW, CACHE_COUNT_CHANGED,
    CACHE_COUNT_REMOVED };
void cache_sync_count(struct cache_sync_ctx *ctx, enum cache_sync_count what,
    unsigned n);
/* A server's alert the user must see (cleaned here). */
void cache_sync_alert(struct cache_sync_ctx *ctx, const char *text);
/* The server refused a queued change of folder_id, which the driver
 * undid (or will at the folder's next sync, which the worker then
 * runs): text is the one sentence the user sees (cleaned here). */
void cache_sync_refused(struct cache_sync_ctx *ctx, int64_t folder_id,
    const char *text);
/* After committing a change to folder_id (0: the folder list): moves
 * its generation and posts FOLDER_CHANGED (FOLDERS_CHANGED). */
void cache_sync_folder_changed(struct cache_sync_ctx *ctx, int64_t folder_id);

/* Renames folder from of the account in the index, and its subfolders
 * (delim), keeping their messages; their cached bodies go (a cache).
 * Inside the caller's transaction if one is open. */
int cache_sync_folder_renamed(struct cache_sync_ctx *ctx, const char *from,
    const char *to, char delim, struct error *err);

/* --- indexing (IMAP and POP3) --- */
/*
 * Parses raw (the header part is enough; len bytes) with mime/ and
 * inserts an index record into folder_id: uid (IMAP) or key (Maildir),
 * flags MSG_*, internal_date, size of the whole message.  body_text
 * (decoded, or NULL) goes to the search index.  Posts a "message
 * arrived" event.  Runs inside the caller's transaction if one is open.
 */
int cache_sync_index_message(struct cache_sync_ctx *ctx, int64_t folder_id,
    uint32_t uid, const char *key, unsigned flags, int64_t internal_date,
    int64_t size, const char *raw, size_t len, int64_t *id_r,
    struct error *err);
/*
 * What indexing a raw message needs besides the database: its summary,
 * ids and search text.  cache_msg_prepare() touches no database and no
 * context, so another thread may prepare while the worker indexes;
 * ready is 1 once prepared.  Returns -1 only for a caller error.
 */
struct mime_summary;
struct cache_msg_prep {
	int ready;
	struct mime_summary *summary;
	char *message_id, *in_reply_to, *references; /* "<id>", or NULL */
	char *text; /* the body's search words, or NULL */
};
int cache_msg_prepare(const char *raw, size_t len, struct cache_msg_prep *p,
    struct error *err);
void cache_msg_prep_clear(struct cache_msg_prep *p);
/* cache_sync_index_message() for a prepared message. */
int cache_sync_index_prepared(struct cache_sync_ctx *ctx, int64_t folder_id,
    uint32_t uid, const char *key, unsigned flags, int64_t internal_date,
    int64_t size, const struct cache_msg_prep *p, int64_t *id_r,
    struct error *err);
/* IMAP: stores a fetched body in the body cache (and its text in the
 * search index) and posts a "body ready" event for msg_id. */
int cache_sync_store_body(struct cache_sync_ctx *ctx, int64_t msg_id,
    const void *data, size_t len, struct error *err);
struct bodies *cache_sync_bodies(struct cache_sync_ctx *ctx);
/*
 * IMAP: records the folder's UIDVALIDITY after SELECT/STATUS.  If a
 * different non-zero value was stored, the folder's index records,
 * HIGHESTMODSEQ/UIDNEXT and cached bodies are dropped first and 1 is
 * returned (sync it from scratch); otherwise 0.  -1 on error.
 */
int cache_sync_uidvalidity(struct cache_sync_ctx *ctx, int64_t folder_id,
    uint32_t uidvalidity, struct error *err);

/* --- POP3: delivery into the account's Maildir, UIDL records --- */
/* The account's INBOX folder id (created on first use). */
int64_t cache_sync_inbox(struct cache_sync_ctx *ctx);
/* Opens tmp/KEY for the message with this UIDL (see maildir.h). */
int cache_sync_deliver_begin(struct cache_sync_ctx *ctx,
    struct maildir_delivery **d_r, struct error *err);
/* Then maildir_deliver_write(d, ...) for each chunk. */
/*
 * Finishes a delivery, exactly once across crashes: records the UIDL
 * (with the key, downloaded now, not yet delivered), commits the file
 * (fsync, rename into new/, fsync new/), then in one transaction indexes
 * it and marks the UIDL delivered.  On a crash in between, the next
 * worker start completes or drops the record according to whether the
 * file is in the Maildir, so nothing is lost or downloaded twice.  *d is
 * consumed in every case.  key_r (may be NULL): allocated Maildir key.
 */
int cache_sync_deliver_commit(struct cache_sync_ctx *ctx,
    struct maildir_delivery **d, const char *uidl, char **key_r,
    struct error *err);
void cache_sync_deliver_abort(struct maildir_delivery **d);
/* 1 if the UIDL was downloaded already, 0 if not, -1 error. */
int cache_sync_uidl_known(struct cache_sync_ctx *ctx, const char *uidl,
    struct error *err);
/* UIDLs downloaded more than days days ago and not deleted on the server
 * (free each string and the array). */
int cache_sync_uidl_older(struct cache_sync_ctx *ctx, unsigned days,
    char ***uidls_r, size_t *n_r, struct error *err);
/* After the server confirmed a deletion (QUIT +OK): marks the record so
 * the message is not deleted again; the UIDL stays known. */
int cache_sync_uidl_deleted(struct cache_sync_ctx *ctx, const char *uidl,
    struct error *err);
/* Drops records of UIDLs the server no longer lists (present: the
 * server's UIDLs, n of them). */
int cache_sync_uidl_prune(struct cache_sync_ctx *ctx,
    const char *const *present, size_t n, struct error *err);

#endif
