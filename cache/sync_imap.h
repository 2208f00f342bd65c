/*
 * sync_imap: private to the IMAP driver (sync_imap.c: connection, the
 * pass over the folders; sync_imap_list.c: folder list;
 * sync_imap_folder.c: one folder's sync; sync_imap_ops.c: bodies,
 * queued ops; sync_imap_idle.c: idle, logout).
 */
#ifndef POSTIE_CACHE_SYNC_IMAP_H
#define POSTIE_CACHE_SYNC_IMAP_H

#include <stddef.h>
#include <stdint.h>

#include "cache/driver.h"
#include "net/imap.h"

/* A FETCH (flags) seen as an event: applied after the command. */
struct si_flagchg {
	uint32_t uid;
	unsigned flags;
};

/* Driver state (cache_sync_data). */
struct si {
	struct cache_sync_ctx *ctx; /* the worker's, for events */
	struct imap *imap;
	char *selected;        /* UTF-8 name of the selected folder, or NULL */
	int64_t selected_id;
	/* what the selected folder's SELECT said the user may change:
	 * MSG_* flags not kept, read-only */
	unsigned sel_noflags;
	int sel_readonly;
	int news;              /* EXISTS/EXPUNGE/FETCH/VANISHED seen */
	int elsewhere;         /* another folder changed (NOTIFY) since the
				* last LIST */
	int notify_tried;      /* NOTIFY SET sent in this session */
	int64_t unwatchable;   /* the open folder, when IDLE could not
				* select it (cache_sync_watched) */
	char **vanished;       /* uid sets (EARLIER included) */
	size_t nvanished, capvanished;
	struct si_flagchg *chg;
	size_t nchg, capchg;
	/* folder ids already synced in this pass (resumed after return 1) */
	int64_t *done;
	size_t ndone, capdone;
	/* folder ids whose STATUS (UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ)
	 * equals the cache's at the last LIST: nothing to resync */
	int64_t *same;
	size_t nsame;
	int listed;            /* LIST done in this pass */
	/* resume of an interrupted header fetch */
	int64_t res_folder;
	uint32_t res_uidvalidity, res_lo, res_top;
	int placeholders;      /* a MOVE/COPY left a UID-0 record */
	/* the account's folders as of the last LIST (counts not kept),
	 * and their positions sorted by id and by name (si_folders_set):
	 * a server may list any number of folders */
	struct db_folder *fl;
	size_t nf;
	struct si_fkey { int64_t id; const char *name; size_t pos; }
	    *byid, *byname;
	/* what the last LIST's STATUS told of each fl[i] (has 0: nothing;
	 * NULL when the snapshot came from no listing) */
	struct si_lst { int has; uint32_t messages, uidnext, uidvalidity; }
	    *lst;
};

/* Pending local ops, so server state does not undo them. */
struct si_pend {
	int64_t *msgs;    /* sorted msg ids */
	size_t nmsgs;
	struct si_pend_uid { int64_t folder; uint32_t uid; } *uids;
	size_t nuids, capuids;
};

/* Loads the account's pending ops (si_pend_free them). */
int si_pend_load(struct cache_sync_ctx *ctx, struct si_pend *p,
    struct error *err);
/* 1 if message id has a pending op. */
int si_pend_msg(const struct si_pend *p, int64_t id);
/* 1 if a pending op was queued on UID uid of folder. */
int si_pend_uid(const struct si_pend *p, int64_t folder, uint32_t uid);
void si_pend_free(struct si_pend *p);
/* LIST into the cache: folders, delimiters, roles, \Noselect; folders
 * gone from the server leave the cache (and their bodies).  Sets the
 * session's folder snapshot s->fl. */
int si_list_folders(struct cache_sync_ctx *ctx, struct si *s,
    struct error *err);
/* Makes fl (n rows, taken) the session's snapshot, freeing the old. */
void si_folders_set(struct si *s, struct db_folder *fl, size_t n);
/* The snapshot's row of folder id, or NULL. */
struct db_folder *si_folder(struct si *s, int64_t id);
/* The snapshot's row of the folder named name (imap_folder_same), or
 * NULL. */
struct db_folder *si_folder_named(struct si *s, const char *name);
/* Sorts v for si_has_id. */
void si_ids_sort(int64_t *v, size_t n);
/* 1 if id is in v[0..n), sorted by si_ids_sort. */
int si_has_id(const int64_t *v, size_t n, int64_t id);

/* MSG_* from enum imap_flag and back. */
unsigned si_msg_flags(unsigned imap_flags);
unsigned si_imap_flags(unsigned msg_flags);
/* The connected session (connects and logs in when needed). */
int si_session(struct cache_sync_ctx *ctx, struct si **s_r,
    struct error *err);
/* SELECT folder (by id) unless it is selected already,
 * without QRESYNC. */
int si_select_id(struct cache_sync_ctx *ctx, struct si *s, int64_t fid,
    struct error *err);
/* SELECT folder fid (always), telling its state. */
int si_select_mb(struct cache_sync_ctx *ctx, struct si *s, int64_t fid,
    struct imap_mailbox *mb, struct error *err);
/* SELECT name (folder fid) with qr (or NULL), filling what the answer
 * left out from STATUS (si_status_fill); the session forgets the events
 * of the folder selected before (si_events_clear). */
int si_select_name(struct si *s, int64_t fid, const char *name,
    const struct imap_qresync *qr, struct imap_mailbox *mb,
    struct error *err);
int si_status_fill(struct si *s, const char *name, struct imap_mailbox *mb);
/* The end of a SELECT sent ahead (imap_select_send into mb): as
 * si_select_name, without STATUS. */
int si_select_sent(struct si *s, int64_t fid, const char *name,
    struct imap_select_op **op, const struct imap_mailbox *mb,
    struct error *err);
/*
 * A folder's first fill pipelined with others (sync_imap_folder.c): its
 * SELECT and the UID FETCH of all its headers, formed from what the
 * listing's STATUS told, sent before the answers of the folders before
 * it are read.
 */
#define SI_PRE_MAX 32 /* folders on their way at once */
struct si_pre {
	int64_t fid;
	size_t pos;                    /* the caller's */
	struct imap_select_op *sel;    /* NULL once ended */
	struct imap_fetch_op *fetch;   /* NULL: none (empty) or ended */
	struct imap_mailbox mb;        /* the SELECT's answer */
	uint32_t messages, uidnext, uidvalidity; /* as listed */
	struct fsync *fs;              /* while its folder's sync reads */
};
/* 1 if folder fid can be filled so: never filled, listed with its
 * UIDVALIDITY, UIDNEXT and at most SI_CHUNK_FIRST messages. */
int si_pre_ok(struct si *s, int64_t fid);
/* After a folder changed since its listing: never again in this pass. */
void si_pre_forget(struct si *s, int64_t fid);
/* Sends pre's commands (pre zeroed by the caller). */
int si_pre_send(struct si *s, struct si_pre *pre, int64_t fid,
    struct error *err);
/* Ends what is left of n pres, oldest first, dropping the answers. */
void si_pre_drain(struct si *s, struct si_pre *pre, size_t n);
void si_events_clear(struct si *s);
/* sync_imap_folder.c: syncs folder fid, SELECT included (p is reloaded
 * with the pending local changes, which win over the server's state).
 * 0 when done or skipped (gone, \Noselect, SELECT refused), 1 when the
 * worker interrupted the header fetch (resumed at the next sync), -1 on
 * error.  With pre (its commands sent: si_pre_send) it reads their
 * answers instead, and returns 2 without changing the folder when the
 * folder is not as listed (the caller drains and syncs it again). */
int si_sync_folder(struct cache_sync_ctx *ctx, struct si *s, int64_t fid,
    struct si_pend *p, struct si_pre *pre, struct error *err);
/* Drops the session after a connection error (keeps nothing). */
void si_drop(struct cache_sync_ctx *ctx, struct si *s);
/* The MSG_* flags a SELECT answer says the server does not keep. */
unsigned si_noflags(const struct imap_mailbox *mb);
/* Folder fid is synced whole at its next sync, whatever its
 * HIGHESTMODSEQ says (and its messages missing from the cache come
 * back): after the server refused a change made here. */
int si_resync_mark(struct cache_sync_ctx *ctx, struct si *s, int64_t fid,
    struct error *err);

int si_fetch_body(struct cache_sync_ctx *ctx, int64_t msg_id,
    struct error *err);
/* `postie sync --bodies`: every body of folder fid not in the body cache
 * yet.  0 done, 1 interrupted, -1 error. */
int si_fetch_bodies(struct cache_sync_ctx *ctx, struct si *s, int64_t fid,
    struct error *err);
/*
 * sync_imap_bulk.c: a folder's first fill, indexed on a second thread
 * (one of a single chunk on the caller's, as it arrives).
 * si_bulk_start hands db to the indexer: the caller does not use db
 * again until si_bulk_sync (everything queued is then committed, with
 * a progress and a FOLDER_CHANGED event) or si_bulk_stop (the same,
 * then the thread ends; NULL is fine).  Each message is one row with its
 * search row, committed whole; check: skip a UID the folder already
 * has.  si_bulk_add copies what it needs of m and blocks while the
 * queue (bounded) is full.  All return 0, or -1 with err once the
 * indexer failed (what it committed before stays).
 */
struct si_bulk;
/* Header fetches: UIDs per UID FETCH, first (the first screen), then
 * when dense; a sparse range widens up to SI_CHUNK_MAX. */
#define SI_CHUNK_FIRST 250
#define SI_CHUNK 2000
#define SI_CHUNK_MAX (1u << 24)
/* What si_bulk_fetch needs of its caller. */
struct si_fill {
	struct imap *imap;
	imap_msg_fn *fn;  /* per FETCH response: adds it (si_bulk_add) */
	void *arg;
	uint64_t *got;    /* counted by fn: the chunk's responses */
	int *failed;      /* set by fn */
	const char *name; /* the folder, for messages */
	struct error *err;
	/* the UID FETCH of all of lo..hi, sent ahead (fn and arg its
	 * own), or NULL; si_bulk_fetch ends it */
	struct imap_fetch_op *pre;
};
int si_bulk_start(struct cache_sync_ctx *ctx, struct db *db,
    const char *label, uint64_t total, struct si_bulk **b_r,
    struct error *err);
int si_bulk_add(struct si_bulk *b, int64_t folder, int check,
    const struct imap_msg *m, struct error *err);
int si_bulk_sync(struct si_bulk *b, struct error *err);
int si_bulk_stop(struct si_bulk **b, struct error *err);
/*
 * UID FETCH of the headers of lo..hi, newest first in chunks, into b:
 * the first chunk is committed at once (the first screen); the next
 * chunk's command is sent before the answer to the last one is read,
 * so the server never waits for us between two, and a request to open
 * a message waits for one chunk at most (cache_sync_interrupted is
 * checked after each).  *fetched_r: the lowest UID of the chunks
 * fetched whole (0 none).  0 done, 1 interrupted, -1 error.
 */
int si_bulk_fetch(struct si_bulk *b, const struct si_fill *f, uint32_t lo,
    uint32_t hi, uint32_t *fetched_r);

/* After a failed command: drops a dead session so the next call
 * reconnects; 1 if it was a connection failure. */
int si_dead(struct cache_sync_ctx *ctx, struct si *s);
int si_replay_op(struct cache_sync_ctx *ctx, const struct db_op *op,
    struct error *err);
int si_idle(struct cache_sync_ctx *ctx, int timeout_ms, struct error *err);
/* sync_imap_mbox.c: the driver's folder_op. */
int si_folder_op(struct cache_sync_ctx *ctx, enum cache_folder_op op,
    const char *name, const char *newname, struct error *err);
void si_disconnect(struct cache_sync_ctx *ctx);

#endif
