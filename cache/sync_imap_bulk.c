/*
 * sync_imap_bulk: a folder's first fill on two threads (sync_imap.h).
 *
 * The reader (si_bulk_fetch in sync_imap_fill.c, on the worker's
 * thread) sends the FETCHes, reads the responses, parses each header
 * block into the strings of its row and queues them (si_bulk_add); an
 * indexer thread inserts the rows (and their search rows) in large
 * transactions.  That splits a cold sync's work between two cores.  The
 * queue is a core/pipeline, bounded in messages and in the bytes they
 * hold.  While the indexer runs it owns the worker's database
 * connection: the worker does not touch it until si_bulk_sync or
 * si_bulk_stop returned.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache/db.h"
#include "cache/sync_imap.h"
#include "cache/sync_imap_bulk_int.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/pipeline.h"
#include "core/xalloc.h"
#include "mime/mime.h"

/*
 * The queue: at most NSLOT messages (enough reading that a commit, an
 * FTS merge or a slow disk does not stop the reader) and QBYTES of
 * them, so memory stays under QBYTES plus one message.  A NULL in it is
 * a sync request (si_bulk_sync), weighing WAKE_BYTES so that it wakes
 * the indexer at once.
 */
#define NSLOT 16384
#define QBYTES (8 * 1024 * 1024)
#define BATCH 8000         /* messages per transaction */
/* Wake-ups in batches, not one per message: an idle indexer when this
 * many are queued, or this much (at most QBYTES: see pipeline.h). */
#define WAKE_INDEXER 64
#define WAKE_BYTES (QBYTES / 2)
/* What the indexer takes from the queue at once. */
#define TAKE 256
/*
 * Fills of at most this many messages (one chunk: most folders besides
 * INBOX) are indexed on the caller's thread as they arrive, with no
 * indexer: starting one, handing it the rows and waiting for its commit
 * costs more than a small folder's rows.
 */
#define INLINE_MAX SI_CHUNK_FIRST

/* A small fill: no indexer; the caller's thread indexes (add_inline),
 * in b->inl. */
static int
is_inline(const struct si_bulk *b)
{
	return b->total <= INLINE_MAX;
}

static void
put(struct slot *sl, int f, const char *v)
{
	sl->off[f] = sl->str.len;
	buf_addstr(&sl->str, v);
	buf_addch(&sl->str, '\0');
}

/* "<a> <b>" of ids[0..n), or NULL for none: none when n is 0 or, with
 * empty_none, when the first id is "" (store_index_raw's rules: bracket()
 * for a Message-ID or In-Reply-To, bracket_list() for References). */
static void
put_ids(struct slot *sl, int f, char **ids, size_t n, int empty_none)
{
	size_t i;

	if (n == 0 || (empty_none && ids[0][0] == '\0')) {
		sl->off[f] = NONE;
		return;
	}
	sl->off[f] = sl->str.len;
	for (i = 0; i < n; i++) {
		if (i)
			buf_addch(&sl->str, ' ');
		buf_addch(&sl->str, '<');
		buf_addstr(&sl->str, ids[i]);
		buf_addch(&sl->str, '>');
	}
	buf_addch(&sl->str, '\0');
}

/*
 * The row of one header block, as store_index_raw makes it (a header
 * block has no body, so no search text beyond the headers).  Runs on
 * the worker's thread: the parse is a large part of the work.
 */
static int
summarize(struct slot *sl, const struct imap_msg *m, struct error *err)
{
	struct mime_summary *s = NULL;
	char *msgid;

	if (mime_summary_parse(m->header, m->header_len, &s, err) < 0)
		return -1;
	buf_reset(&sl->str);
	sl->date = s->date_valid ? (int64_t)s->date : 0;
	sl->has_attachment = s->has_attachment;
	sl->hdr_len = m->header_len;
	put(sl, F_FROM, s->from);
	put(sl, F_TO, s->to);
	put(sl, F_CC, s->cc);
	put(sl, F_SUBJECT, s->subject);
	msgid = s->message_id;
	put_ids(sl, F_MSGID, &msgid, 1, 1);
	put_ids(sl, F_IRT, s->in_reply_to, s->n_in_reply_to ? 1 : 0, 1);
	put_ids(sl, F_REFS, s->references, s->n_references, 0);
	mime_summary_free(&s);
	return 0;
}

static char *
field(struct slot *sl, int f)
{
	return sl->off[f] == NONE ? NULL : sl->str.data + sl->off[f];
}

static int
index_one(struct si_bulk *b, struct slot *sl, struct error *err)
{
	struct db_msg m;
	int64_t id;
	int rc;

	if (sl->check && (rc = db_msg_find_uid(b->db, sl->folder, sl->uid,
	    &id, err)) != 0)
		return rc < 0 ? -1 : 0;
	memset(&m, 0, sizeof(m));
	m.folder_id = sl->folder;
	m.uid = sl->uid;
	m.flags = sl->flags;
	m.internal_date = sl->idate;
	m.size = sl->size;
	m.date = sl->date;
	m.from = field(sl, F_FROM);
	m.to = field(sl, F_TO);
	m.cc = field(sl, F_CC);
	m.subject = field(sl, F_SUBJECT);
	m.message_id = field(sl, F_MSGID);
	m.in_reply_to = field(sl, F_IRT);
	m.references = field(sl, F_REFS);
	m.has_attachment = sl->has_attachment;
	if ((rc = db_msg_insert(b->db, &m, err)) == 0) {
		b->done++;
		b->bytes += sl->hdr_len;
		cache_sync_count(b->ctx, CACHE_COUNT_NEW, 1);
	}
	return rc;
}

static int
commit(struct si_bulk *b, struct error *err)
{
	if (!b->in_txn)
		return 0;
	b->in_txn = 0;
	b->in_batch = 0;
	if (db_commit(b->db, err) < 0)
		return -1;
	cache_sync_progress(b->ctx, b->label, b->done, b->total, b->bytes);
	cache_sync_folder_changed(b->ctx, b->last_folder);
	return 0;
}

/* Keeps the first failure (the worker's thread); -1. */
static int
remember(struct si_bulk *b, const struct error *err)
{
	if (!b->failed) {
		b->failed = 1;
		b->err = *err;
	}
	return -1;
}

static void
slot_free(struct slot *sl)
{
	if (sl != NULL)
		buf_free(&sl->str);
	free(sl);
}

/* A NULL (sync request): commits, and says so through acks. */
static int
index_slot(struct si_bulk *b, struct slot *sl, struct error *err)
{
	int one = 1;

	if (sl == NULL) {
		if (commit(b, err) < 0)
			return -1;
		pipeline_push(b->acks, &one, 0);
		return 0;
	}
	if (!b->in_txn) {
		if (db_begin(b->db, err) < 0)
			return -1;
		b->in_txn = 1;
	}
	if (index_one(b, sl, err) < 0)
		return -1;
	b->last_folder = sl->folder;
	return ++b->in_batch >= BATCH ? commit(b, err) : 0;
}

/*
 * The indexer: until the worker closes the queue (si_bulk_stop), then
 * commits.  On a failure it stops both queues with the error, so the
 * worker, waiting to push or for a sync, learns it at once; what it
 * committed before stays.
 */
static void *
indexer(void *arg)
{
	struct si_bulk *b = arg;
	struct slot *got[TAKE];
	struct error err;
	size_t n, i;
	int rc = 0;

	error_clear(&err);
	while (rc == 0 &&
	    (n = pipeline_pop(b->q, got, WAKE_INDEXER, WAKE_BYTES, TAKE)) > 0)
		for (i = 0; i < n; i++) {
			if (rc == 0)
				rc = index_slot(b, got[i], &err);
			slot_free(got[i]);
		}
	if (rc == 0 && !pipeline_stopped(b->q))
		rc = commit(b, &err);
	if (rc < 0) {
		pipeline_fail(b->q, &err);
		pipeline_stop(b->acks);
	}
	return NULL;
}

int
si_bulk_start(struct cache_sync_ctx *ctx, struct db *db, const char *label,
    uint64_t total, struct si_bulk **b_r, struct error *err)
{
	struct si_bulk *b = xcalloc(1, sizeof(*b));

	b->ctx = ctx;
	b->db = db;
	b->label = label;
	b->total = total;
	*b_r = b;
	if (is_inline(b))
		return 0;
	b->q = pipeline_new(sizeof(struct slot *), NSLOT);
	pipeline_max_weight(b->q, QBYTES);
	b->acks = pipeline_new(sizeof(int), 1);
	if (pipeline_start(b->q, indexer, b, err) < 0) {
		pipeline_free(&b->acks);
		pipeline_free(&b->q);
		free(b);
		*b_r = NULL;
		return -1;
	}
	return 0;
}

static int
failed(struct si_bulk *b, struct error *err)
{
	*err = b->err;
	return -1;
}

static int
fill_slot(struct slot *sl, int64_t folder, int check,
    const struct imap_msg *m, struct error *err)
{
	sl->folder = folder;
	sl->uid = m->uid;
	sl->flags = si_msg_flags(m->flags);
	sl->check = check;
	sl->idate = m->internaldate < 0 ? 0 : (int64_t)m->internaldate;
	sl->size = (int64_t)m->size;
	return summarize(sl, m, err);
}

/* A small fill (INLINE_MAX): the row now, in the open transaction. */
static int
add_inline(struct si_bulk *b, int64_t folder, int check,
    const struct imap_msg *m, struct error *err)
{
	struct slot *sl = &b->inl;

	if (b->failed)
		return failed(b, err);
	if (fill_slot(sl, folder, check, m, err) < 0)
		return -1;
	if (!b->in_txn) {
		if (db_begin(b->db, err) < 0)
			return remember(b, err);
		b->in_txn = 1;
	}
	if (index_one(b, sl, err) < 0)
		return remember(b, err);
	b->last_folder = folder;
	return 0;
}

/* The indexer failed (the worker's thread): its error, once it ended. */
static int
indexer_failed(struct si_bulk *b, struct error *err)
{
	struct error e;

	if (!b->failed && pipeline_join(b->q, &e) < 0)
		remember(b, &e);
	if (!b->failed) /* stopped without an error: cannot be */
		error_set(&b->err, "internal error: the indexer stopped");
	b->failed = 1;
	return failed(b, err);
}

int
si_bulk_add(struct si_bulk *b, int64_t folder, int check,
    const struct imap_msg *m, struct error *err)
{
	struct slot *sl;

	if (is_inline(b))
		return add_inline(b, folder, check, m, err);
	if (b->failed || pipeline_stopped(b->q))
		return indexer_failed(b, err);
	sl = xcalloc(1, sizeof(*sl));
	if (fill_slot(sl, folder, check, m, err) < 0) {
		slot_free(sl);
		return -1;
	}
	if (pipeline_push(b->q, &sl, sizeof(*sl) + sl->str.cap) < 0) {
		slot_free(sl);
		return indexer_failed(b, err);
	}
	return 0;
}

int
si_bulk_sync(struct si_bulk *b, struct error *err)
{
	struct slot *none = NULL;
	int ack;

	if (is_inline(b)) {
		if (b->failed)
			return failed(b, err);
		return commit(b, err) < 0 ? remember(b, err) : 0;
	}
	if (b->failed || pipeline_push(b->q, &none, WAKE_BYTES) < 0 ||
	    pipeline_pop(b->acks, &ack, 1, 0, 1) == 0)
		return indexer_failed(b, err);
	return 0;
}

int
si_bulk_stop(struct si_bulk **bp, struct error *err)
{
	struct si_bulk *b = *bp;
	struct slot *left[TAKE];
	struct error e;
	size_t n, i;
	int rc = 0;

	if (b == NULL)
		return 0;
	if (is_inline(b) && !b->failed && commit(b, &e) < 0)
		remember(b, &e);
	if (!is_inline(b)) {
		pipeline_close(b->q);
		if (pipeline_join(b->q, &e) < 0)
			remember(b, &e);
		/* what a failed indexer left queued */
		while ((n = pipeline_drain(b->q, left, TAKE)) > 0)
			for (i = 0; i < n; i++)
				slot_free(left[i]);
		pipeline_free(&b->acks);
		pipeline_free(&b->q);
	}
	if (b->in_txn)
		db_rollback(b->db);
	if (b->failed && err)
		rc = failed(b, err);
	buf_free(&b->inl.str);
	free(b);
	*bp = NULL;
	return rc;
}
