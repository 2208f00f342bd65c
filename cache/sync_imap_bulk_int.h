/*
 * sync_imap_bulk_int.h: what sync_imap_bulk.c (the queue, the indexer)
 * and sync_imap_fill.c (the fetch loop) share.  Not a
 * public header: sync_imap.h is the contract.
 */
#ifndef POSTIE_CACHE_SYNC_IMAP_BULK_INT_H
#define POSTIE_CACHE_SYNC_IMAP_BULK_INT_H

#include <stdint.h>

#include "cache/sync_imap.h"
#include "core/buf.h"
#include "core/error.h"

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
	struct buf str;
};

struct pipeline;

struct si_bulk {
	struct cache_sync_ctx *ctx;
	struct db *db;
	/* the indexer's queue (struct slot *, the indexer frees them) and
	 * its answers to si_bulk_sync; NULL for a small fill */
	struct pipeline *q;
	struct pipeline *acks;
	struct slot inl;          /* a small fill's one row */
	int failed;               /* the worker knows: err */
	struct error err;
	/* the indexer's (the worker's for a small fill) */
	int in_txn;
	size_t in_batch;
	int64_t last_folder;
	uint64_t done, bytes, total;
	const char *label;
};

#endif
