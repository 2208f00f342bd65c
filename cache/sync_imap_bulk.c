/*
 * sync_imap_bulk: a folder's first fill on two threads (sync_imap.h).
 *
 * The reader (si_bulk_fetch in sync_imap_fill.c, on the worker's
 * thread) sends the FETCHes, reads the
 * responses, parses each header block into the strings of its row and
 * queues them (si_bulk_add); an indexer thread inserts the rows (and
 * their search rows) in large transactions.  That splits a cold
 * sync's work between two cores.  The queue is a ring of
 * slots whose buffers are reused, so memory stays bounded.  While the
 * indexer runs it owns the worker's database connection: the worker
 * does not touch it until si_bulk_sync or si_bulk_stop returned.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache/db.h"
#include "cache/sync_imap.h"
#include "cache/sync_imap_bulk_int.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "mime/mime.h"

/*
 * The queue: at most NSLOT messages (enough reading that a commit, an
 * FTS merge or a slow disk does not stop the reader) and
 * QBYTES of their strings; a slot
 * keeps a buffer of up to SLOT_KEEP bytes for reuse.  Memory therefore
 * stays under NSLOT * SLOT_KEEP + QBYTES (plus one message above that).
 */
#define SLOT_KEEP 1024
#define QBYTES (8 * 1024 * 1024)
#define BATCH 8000         /* messages per transaction */
/* Wake-ups in batches, not one per message: an idle indexer when this
 * many are queued, a waiting worker when the queue is half empty. */
#define WAKE_INDEXER 64
/*
 * Fills of at most this many messages (one chunk: most folders besides
 * INBOX) are indexed on the caller's thread as they arrive, with no
 * indexer: starting one, handing it the rows and waiting for its commit
 * costs more than a small folder's rows.
 */
#define INLINE_MAX SI_CHUNK_FIRST

/* A small fill: no indexer; the caller's thread indexes (add_inline),
 * in slot 0 only. */
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

/* Keeps the first failure (b->lock held, or a small fill's own thread);
 * -1. */
static int
remember(struct si_bulk *b, const struct error *err)
{
	if (!b->failed) {
		b->failed = 1;
		b->err = *err;
	}
	return -1;
}

void *
si_bulk_indexer(void *arg)
{
	struct si_bulk *b = arg;
	struct error err;
	struct slot *sl;
	int rc;

	error_clear(&err);
	pthread_mutex_lock(&b->lock);
	for (;;) {
		if (b->n == 0) {
			if (b->want_sync || b->stop) {
				pthread_mutex_unlock(&b->lock);
				rc = b->failed ? 0 : commit(b, &err);
				pthread_mutex_lock(&b->lock);
				if (rc < 0)
					remember(b, &err);
				b->want_sync = 0;
				b->synced++;
				pthread_cond_broadcast(&b->cv_room);
				if (b->stop)
					break;
				continue;
			}
			b->idle = 1;
			pthread_cond_wait(&b->cv_work, &b->lock);
			b->idle = 0;
			continue;
		}
		sl = &b->slot[b->head];
		pthread_mutex_unlock(&b->lock);
		rc = 0;
		if (!b->failed) {
			if (!b->in_txn) {
				if ((rc = db_begin(b->db, &err)) == 0)
					b->in_txn = 1;
			}
			if (rc == 0)
				rc = index_one(b, sl, &err);
			b->last_folder = sl->folder;
			if (rc == 0 && ++b->in_batch >= BATCH)
				rc = commit(b, &err);
		}
		if (sl->str.cap > SLOT_KEEP)
			buf_free(&sl->str);
		pthread_mutex_lock(&b->lock);
		b->qbytes -= sl->counted;
		if (rc < 0)
			remember(b, &err);
		b->head = (b->head + 1) % NSLOT;
		if (--b->n <= NSLOT / 2 && b->qbytes <= QBYTES / 2 && b->full)
			pthread_cond_signal(&b->cv_room);
	}
	pthread_mutex_unlock(&b->lock);
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
	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->cv_work, NULL);
	pthread_cond_init(&b->cv_room, NULL);
	if (is_inline(b)) {
		*b_r = b;
		return 0;
	}
	if (pthread_create(&b->th, NULL, si_bulk_indexer, b) != 0) {
		pthread_cond_destroy(&b->cv_room);
		pthread_cond_destroy(&b->cv_work);
		pthread_mutex_destroy(&b->lock);
		free(b);
		*b_r = NULL;
		return error_set(err, "cannot start the indexer thread");
	}
	*b_r = b;
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
	struct slot *sl = &b->slot[0];

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

int
si_bulk_add(struct si_bulk *b, int64_t folder, int check,
    const struct imap_msg *m, struct error *err)
{
	struct slot *sl;
	int rc = 0;

	if (is_inline(b))
		return add_inline(b, folder, check, m, err);
	pthread_mutex_lock(&b->lock);
	while ((b->n == NSLOT || (b->n > 0 && b->qbytes > QBYTES)) &&
	    !b->failed) {
		if (b->idle) /* fewer than WAKE_INDEXER, but large ones */
			pthread_cond_signal(&b->cv_work);
		b->full = 1;
		pthread_cond_wait(&b->cv_room, &b->lock);
		b->full = 0;
	}
	if (b->failed) {
		rc = failed(b, err);
		pthread_mutex_unlock(&b->lock);
		return rc;
	}
	sl = &b->slot[(b->head + b->n) % NSLOT];
	pthread_mutex_unlock(&b->lock);
	/* The slot is the worker's until n counts it. */
	if (fill_slot(sl, folder, check, m, err) < 0)
		return -1;
	sl->counted = sl->str.cap;
	pthread_mutex_lock(&b->lock);
	b->qbytes += sl->counted;
	if (++b->n >= WAKE_INDEXER && b->idle)
		pthread_cond_signal(&b->cv_work);
	pthread_mutex_unlock(&b->lock);
	return 0;
}

int
si_bulk_sync(struct si_bulk *b, struct error *err)
{
	uint64_t want;
	int rc = 0;

	if (is_inline(b)) {
		if (b->failed)
			return failed(b, err);
		return commit(b, err) < 0 ? remember(b, err) : 0;
	}
	pthread_mutex_lock(&b->lock);
	want = b->synced + 1;
	b->want_sync = 1;
	pthread_cond_signal(&b->cv_work);
	while (b->synced < want)
		pthread_cond_wait(&b->cv_room, &b->lock);
	if (b->failed)
		rc = failed(b, err);
	pthread_mutex_unlock(&b->lock);
	return rc;
}

int
si_bulk_stop(struct si_bulk **bp, struct error *err)
{
	struct si_bulk *b = *bp;
	size_t i;
	int rc = 0;

	if (b == NULL)
		return 0;
	if (is_inline(b) && !b->failed && commit(b, &b->err) < 0)
		b->failed = 1;
	pthread_mutex_lock(&b->lock);
	b->stop = 1;
	pthread_cond_signal(&b->cv_work);
	pthread_mutex_unlock(&b->lock);
	if (!is_inline(b))
		pthread_join(b->th, NULL);
	if (b->in_txn)
		db_rollback(b->db);
	if (b->failed && err)
		rc = failed(b, err);
	/* (a small fill touched slot 0 only: not the other pages) */
	for (i = 0; i < (is_inline(b) ? 1 : NSLOT); i++)
		buf_free(&b->slot[i].str);
	pthread_cond_destroy(&b->cv_room);
	pthread_cond_destroy(&b->cv_work);
	pthread_mutex_destroy(&b->lock);
	free(b);
	*bp = NULL;
	return rc;
}
