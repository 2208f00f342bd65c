/* cache internals shared by cache.c, worker.c, store.c (not public). */
#ifndef POSTIE_CACHE_CACHE_INT_H
#define POSTIE_CACHE_CACHE_INT_H

#include <pthread.h>

#include "cache/bodies.h"
#include "cache/cache.h"
#include "cache/driver.h"
#include "cache/maildir.h"

struct worker;
struct addrbook;

struct cache {
	const struct config *cfg;
	char *data_dir;
	char *cache_dir;
	char *db_path;
	char *outbox_dir;            /* DATA/outbox */
	struct db *db;
	struct bodies *bodies;
	struct account *accounts;
	size_t naccounts;
	struct worker **workers;     /* per account, NULL when not running */
	pthread_mutex_t lock;        /* events and account states */
	struct cache_event *evq;
	size_t evhead, evn, evcap;   /* ring buffer */
	uint64_t evpushed, evpopped; /* events ever queued and read */
	/* per account: 1 + the queue position (evpushed count) of its
	 * PROGRESS still queued, and of its last event queued; 0 none */
	uint64_t *ev_progress, *ev_last;
	int evpipe[2];
	enum account_state *states;
	char (*errors)[ERROR_MAX];
	uint64_t last_ticket;        /* cache_request_sync's (lock) */
	struct addrbook *addrbook;   /* cache_addr_complete's, or NULL */
	int64_t addr_last;           /* the last message id it has read */
	/* cache_addr_prepare's thread and the book it fills (addr.c) */
	pthread_t addr_bg_thread;
	int addr_bg_running, addr_bg_ok;
	struct addrbook *addr_bg;
	int64_t addr_bg_last;
	/* generations (cache_folder_gen), under lock */
	struct cache_gen {
		int64_t folder;
		uint64_t n;
	} *gens;
	size_t ngens, gencap;
	uint64_t *account_gens;      /* per account */
	uint64_t foreign_gen;        /* other processes' commits seen */
};
/* addr.c: ends cache_addr_prepare's thread (cache_close). */
void cache_addr_join(struct cache *c);

/* Queues an event (thread-safe; cache.h, Events).  A PROGRESS replaces
 * the account's PROGRESS still queued when no other event of the
 * account was queued after it.  FOLDER_CHANGED, MESSAGE_ARRIVED,
 * REFUSED, FOLDERS_CHANGED, SYNC_DONE and OUTBOX move the generations
 * they concern. */
void cache_post(struct cache *c, const struct cache_event *ev);
/* Moves the generation of folder_id (0: none) and of account
 * (thread-safe): every change the cache makes to a folder calls it. */
void cache_gen_bump(struct cache *c, size_t account, int64_t folder_id);
/* The folder name of account (created in the index when absent), else
 * the one the server marked role, else "Sent" or "Drafts". */
int cache_role_folder(struct db *db, const char *account, const char *name,
    enum folder_role role, int64_t *id_r, struct error *err);
/* Sets account i's state (and error sentence, or NULL) and posts it. */
void cache_set_state(struct cache *c, size_t i, enum account_state state,
    const char *error);
/* The Maildir folder of a POP3 account (allocated). */
char *cache_maildir_path(struct cache *c, size_t i, struct error *err);

/* cache_ops.c: what the local stores (struct cache_local) share. */
/* The account's local store, or NULL (err) without a driver. */
const struct cache_local *cache_local_of(struct cache *c, size_t account,
    struct error *err);
/* Opens account i's Maildir (existing). */
int cache_open_maildir(struct cache *c, size_t i, struct maildir **md_r,
    struct error *err);
/* db_op_add() of a change to w's message, inside the caller's
 * transaction. */
int cache_op_queue(struct cache *c, const struct cache_msg_loc *w,
    enum db_op_kind kind, int64_t msg_id, const char *args,
    struct error *err);
/* The UI thread's own change to a folder: moves its generation, posts
 * no event (cache.h, Generations). */
void cache_changed(struct cache *c, size_t account, int64_t folder_id);

/* store.c: what both the UI thread and workers do to a store. */
/* Parses raw with mime/ and inserts an index record; *id_r set. */
int store_index_raw(struct db *db, int64_t folder_id, uint32_t uid,
    const char *key, unsigned flags, int64_t internal_date, int64_t size,
    const char *raw, size_t len, int64_t *id_r, struct error *err);
/* The same from what cache_msg_prepare made of raw. */
int store_index_prepared(struct db *db, int64_t folder_id, uint32_t uid,
    const char *key, unsigned flags, int64_t internal_date, int64_t size,
    const struct cache_msg_prep *p, int64_t *id_r, struct error *err);
/* The words of a message's decoded body and quotes for search, each
 * once, ASCII letters folded (allocated; from at most 64 KB of text), or
 * NULL. */
char *store_body_text(const char *raw, size_t len);
/* Brings the index of folder_id in line with the Maildir; *changed_r
 * counts what changed. */
int store_reconcile(struct db *db, struct maildir *md, int64_t folder_id,
    size_t *changed_r, struct error *err);
/* Completes or drops UIDL records left undelivered by a crash. */
int store_recover(struct db *db, struct maildir *md, const char *account,
    int64_t folder_id, struct error *err);

/* cache.c: a new ticket for a request (never 0). */
uint64_t cache_new_ticket(struct cache *c);
/* folder_ops.c: a local store's folder_op that the server must do:
 * starts the worker and asks it (1 and *ticket_r), or -1. */
int cache_folder_request(struct cache *c, size_t i, enum cache_folder_op op,
    const char *name, const char *newname, uint64_t *ticket_r,
    struct error *err);

/* worker.c */
int worker_start(struct cache *c, size_t i, struct error *err);
/* kind: WORKER_* ; returns 0 or -1 (no worker). */
enum worker_req_kind { WORKER_FETCH, WORKER_FOLDER, WORKER_OPS, WORKER_SEND,
    WORKER_SYNC };
int worker_request(struct cache *c, size_t i, enum worker_req_kind kind,
    int64_t folder_id, int64_t msg_id, unsigned flags);
/* A sync request with its ticket (cache_request_sync; 0: none).  -1 with
 * err when the worker has stopped for good (its error). */
int worker_request_sync(struct cache *c, size_t i, int64_t folder_id,
    unsigned flags, uint64_t ticket, struct error *err);
/* The same for sending the outbox (kind WORKER_SEND). */
int worker_request_send(struct cache *c, size_t i, uint64_t ticket,
    struct error *err);
/* A cache_folder_op() for the server (kind WORKER_FOLDER); its
 * CACHE_EV_FOLDER_DONE carries ticket.  -1 with err when the worker
 * has stopped for good. */
int worker_request_folder(struct cache *c, size_t i, enum cache_folder_op op,
    const char *name, const char *newname, uint64_t ticket,
    struct error *err);
void worker_stop(struct worker **w);
int worker_watch(struct cache *c, size_t i, int64_t folder_id);

#endif
