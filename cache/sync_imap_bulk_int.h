/*
 * sync_imap_bulk_int.h: what sync_imap_bulk.c (the queue, the indexer)
 * and sync_imap_fill.c (the fetch loop) share.  Not a
 * public header: sync_imap.h is the contract.
 */
#ifndef POSTIE_CACHE_SYNC_IMAP_BULK_INT_H
#define POSTIE_CACHE_SYNC_IMAP_BULK_INT_H

#include <pthread.h>
#include <stdint.h>

#include "cache/sync_imap.h"
#include "core/buf.h"
#include "core/error.h"

/* The queue's size: see sync_imap_bulk.c. */
#define NSLOT 16384

/* One message as its row: the strings live in str (offsets, or
 * NONE for NULL). */
enum { F_FROM, F_TO, F_CC, F_SUBJECT, F_MSGID, F_IRT, F_REFS, NFIELD };
#define NONE SIZE_MAX

struct slot {
	int64_t folder;
	uint32_t uid;
	unsigned flags;
	int check;
	int has_attachment;
	int64_t idate, size, date;
	size_t hdr_len;
	size_t off[NFIELD];
	size_t counted;           /* str.cap when queued */
	struct buf str;
};

struct si_bulk {
	struct cache_sync_ctx *ctx;
	struct db *db;
	pthread_t th;
	pthread_mutex_t lock;
	pthread_cond_t cv_work;   /* indexer: slots queued or sync/stop */
	pthread_cond_t cv_room;   /* worker: room, or sync done */
	struct slot slot[NSLOT];
	size_t head, n;           /* queued: slot[head .. head+n) */
	size_t qbytes;            /* their strings' buffers */
	int idle;                 /* the indexer waits for work */
	int full;                 /* the worker waits for room */
	int want_sync, stop;
	uint64_t synced;          /* sync requests served */
	int failed;
	struct error err;
	/* indexer only */
	int in_txn;
	size_t in_batch;
	int64_t last_folder;
	uint64_t done, bytes, total;
	const char *label;
};

/* The indexer thread's body (arg: the struct si_bulk). */
void *si_bulk_indexer(void *arg);

#endif
