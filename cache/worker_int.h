/* worker internals shared by worker.c and sync_store.c (not public). */
#ifndef POSTIE_CACHE_WORKER_INT_H
#define POSTIE_CACHE_WORKER_INT_H

#include <pthread.h>

#include "cache/cache_int.h"

struct worker_req {
	enum worker_req_kind kind; /* lower value = more urgent */
	int64_t folder_id;
	int64_t msg_id;
	unsigned flags;
	uint64_t *tickets;         /* WORKER_SYNC: every request merged in */
	size_t ntickets;
	int resumed;               /* an interrupted sync going on: its
				      counts go on too */
	/* WORKER_FOLDER: the cache_folder_op() and its names (owned) */
	enum cache_folder_op fop;
	char *name, *newname;
};

struct cache_sync_ctx {
	struct worker *w;
	const struct account *acct;
	struct db *db;        /* the worker's own connection */
	struct maildir *md;   /* POP3 only */
	int64_t inbox;        /* POP3 only */
	void *data;           /* the driver's */
};

struct worker {
	struct cache *c;
	size_t idx;
	const struct cache_driver *drv;
	pthread_t thread;
	int reqpipe[2];
	pthread_mutex_t lock; /* req */
	struct worker_req *req;
	size_t nreq, capreq;
	int stop;             /* atomic */
	int online;           /* the last sync succeeded */
	int cancel_fd;        /* the driver's socket, or -1 (lock) */
	int idle_sync;        /* the timer fired: sync in the background */
	int next_ms;          /* wait before the next background sync */
	int64_t watch;        /* the folder the user looks at, 0 none (lock) */
	int dead;             /* the thread ended on an error (lock) */
	char dead_error[ERROR_MAX]; /* its sentence (lock) */
	struct cache_sync_stats stats; /* of the sync running (atomic adds) */
	struct cache_sync_ctx ctx;
	/* New messages per folder since the last new_mail_command
	 * (arrival_lock: the bulk indexer adds too). */
	pthread_mutex_t arrival_lock;
	struct worker_arrival {
		int64_t folder_id;
		unsigned n;
	} *arrivals;
	size_t narrivals, caparrivals;
};

/* cache_local_maildir's worker_open: opens the Maildir and finishes
 * deliveries a crash interrupted (sync_store.c). */
int worker_open_maildir(struct cache_sync_ctx *ctx, struct error *err);

/* new_mail_command (cache/hook.c): counts a message new in folder_id;
 * after a sync, runs the command once per folder that got new mail,
 * without a shell, its output to the log, and forgets the counts. */
void worker_arrival(struct worker *w, int64_t folder_id);
void worker_new_mail_hook(struct worker *w);

#endif
