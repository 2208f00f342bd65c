/*
 * index_int: the index's private state, shared by index.c (loading,
 * lookups) and index_order.c (computing the orders).
 *
 * Records stay in load order (the order the folder query returns them);
 * every sort order is a permutation of them, computed once per load and
 * kept, so changing sort (or going back) only copies a permutation.
 */
#ifndef POSTIE_CACHE_INDEX_INT_H
#define POSTIE_CACHE_INDEX_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "cache/index.h"
#include "core/buf.h"

#define INDEX_NSORT 6

struct sqlite3_stmt;

struct index {
	int64_t folder_id;      /* the first (or only) folder */
	int64_t *folders;       /* every folder loaded (index_open_folders) */
	size_t nfolders;
	uint32_t *rfolder;      /* record -> its folder's position in
				   folders, or NULL when there is one */
	struct index_rec *recs; /* load order */
	size_t n;
	struct buf arena;       /* cleaned From and Subject strings */
	enum index_sort sort;
	int reverse;
	uint32_t *disp;         /* display position -> record */
	uint32_t *pos;          /* record -> display position, or NULL */
	uint32_t *byid;         /* id hash -> record + 1, or NULL */
	size_t byid_size;
	/* Forward orders (record numbers), NULL until computed. */
	uint32_t *ord[INDEX_NSORT];
	uint32_t *drank;        /* record -> rank by (date, arrival) */
	uint16_t *tdepth;       /* record -> thread depth, with the order */
	/* Message-ID, In-Reply-To, References per record (offset + 1 in
	 * tscratch, 0 for NULL), read with the rows when threading at once,
	 * else when first threading; freed once threaded. */
	struct buf tscratch;
	uint32_t (*toffs)[3];
	/* The helper computing the orders not asked for yet
	 * (index_precompute); joined before anything it reads changes. */
	pthread_t helper;
	int helper_on;
	pthread_mutex_t hmu;    /* helper_done, orphaned, hurry */
	pthread_cond_t hcond;   /* wakes the helper's initial wait */
	int hurry;              /* skip that wait: orders wanted now */
	int helper_done;
	int orphaned;           /* index_free()d while the helper ran */
	atomic_int cancel;      /* the helper stops between steps */
	char *dbpath;           /* for the helper's own connection, or NULL */
};

/* index_order.c */
void index_rank_arrival(struct index *ix, const int64_t *internal);
/* Computes ix->ord[sort] if missing.  Threading uses the strings read
 * with the rows, or reads them from db; with db NULL (the helper),
 * through a connection of its own to ix->dbpath, and if that fails the
 * order is left missing.  0 or -1 (db error). */
int index_order_compute(struct index *ix, struct db *db,
    enum index_sort sort, struct error *err);
/* Reads the threading strings of ix's records from db into tscratch. */
int index_read_threading(struct index *ix, struct db *db, struct error *err);
size_t index_rec_of_id(struct index *ix, int64_t id);
/* Appends a text column to b: its offset + 1, or 0 for NULL. */
uint32_t index_scratch_add(struct buf *b, struct sqlite3_stmt *st, int col);

#endif
