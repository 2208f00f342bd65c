/* pop3_fetch: the POP3 download thread (see pop3_fetch.h). */
#include "config.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "cache/pop3_fetch.h"
#include "core/pipeline.h"
#include "core/xalloc.h"

#define PROGRESS_BYTES (1024 * 1024)
/* Wake-ups in batches, not one per message: the prepare thread takes
 * this many downloaded messages at a time (or what is left at the end). */
#define PREP_WAKE 16
/* Files the prepare thread creates in tmp/ ahead of the download, so
 * that the download thread only writes: refilled when POOL_LOW are left. */
#define POOL 32
#define POOL_LOW 16

/*
 * Three core/pipeline queues: raw (download thread -> prepare thread),
 * ready (prepare thread -> worker, in the same order) and pool (files in
 * tmp/, prepare thread -> download thread).  Each queue holds half of
 * FETCH_QUEUE_MSGS, so at most that many messages wait in all.
 */
struct pop3_fetch {
	struct cache_sync_ctx *ctx;
	struct pop3 *p;
	unsigned *nums;
	const char **uidls; /* into the caller's msgs */
	size_t n;
	struct pipeline *raw, *ready, *pool;

	/* The download thread's own: the message being read. */
	size_t cur;
	struct pop3_fetched m;
	uint64_t bytes, shown;
	/* Written by the download thread before it closes raw; read by
	 * others only after ready said it ended (ordered by the queues). */
	int failed;
	struct error err;
	atomic_int done; /* the download thread returned from RETR */

	/* The prepare thread's own. */
	size_t created;  /* files put in the pool */
	int pool_failed; /* a creation failed: the download creates */
};

static void
progress(struct pop3_fetch *f)
{
	cache_sync_progress(f->ctx, "downloading", f->cur, f->n, f->bytes);
	f->shown = f->bytes;
}

static int
retr_begin(void *arg, unsigned num, struct error *err)
{
	struct pop3_fetch *f = arg;
	struct maildir_delivery *d = NULL;

	if (f->cur >= f->n || f->nums[f->cur] != num)
		return error_set(err, "internal error: RETR out of order");
	if (pipeline_stopped(f->raw))
		return error_set(err, "synchronisation was cancelled");
	memset(&f->m, 0, sizeof(f->m));
	f->m.num = num;
	f->m.uidl = f->uidls[f->cur];
	/* The oldest first: names keep the download order. */
	if (pipeline_drain(f->pool, &d, 1) == 1) {
		f->m.d = d;
		return 0;
	}
	return cache_sync_deliver_begin(f->ctx, &f->m.d, err);
}

static int
retr_data(void *arg, const char *p, size_t len, struct error *err)
{
	struct pop3_fetch *f = arg;
	struct pop3_fetched *m = &f->m;

	if (maildir_deliver_write(m->d, p, len, err) < 0)
		return -1;
	if (m->head.len < FETCH_HEAD_MAX)
		buf_add(&m->head, p, len < FETCH_HEAD_MAX - m->head.len ? len :
		    FETCH_HEAD_MAX - m->head.len);
	m->size += len;
	f->bytes += len;
	return 0;
}

static int
retr_end(void *arg, unsigned num, struct error *err)
{
	struct pop3_fetch *f = arg;

	(void)num;
	if (maildir_deliver_finish(f->m.d, err) < 0)
		return -1;
	/* While the queue is full the server waits: memory stays bounded. */
	if (pipeline_push(f->raw, &f->m, f->m.size) < 0)
		return error_set(err, "synchronisation was cancelled");
	memset(&f->m, 0, sizeof(f->m));
	f->cur++;
	if (f->bytes - f->shown >= PROGRESS_BYTES || f->cur == f->n)
		progress(f);
	return 0;
}

static const struct pop3_retr_cb retr_cb = { retr_begin, retr_data,
	retr_end };

static void
clear_all(struct pipeline *pl)
{
	struct pop3_fetched m;

	while (pipeline_drain(pl, &m, 1) == 1)
		pop3_fetched_clear(&m);
}

/* Frees f, its unused files and its queues (no thread runs). */
static void
fetch_free(struct pop3_fetch *f)
{
	struct maildir_delivery *d;

	if (f->raw)
		clear_all(f->raw);
	if (f->ready)
		clear_all(f->ready);
	while (f->pool && pipeline_drain(f->pool, &d, 1) == 1)
		maildir_deliver_abort(&d);
	pipeline_free(&f->raw);
	pipeline_free(&f->ready);
	pipeline_free(&f->pool);
	free(f->uidls);
	free(f->nums);
	free(f);
}

static void *
run(void *arg)
{
	struct pop3_fetch *f = arg;
	struct error e;
	int rc;

	error_clear(&e);
	rc = pop3_retr_many(f->p, f->nums, f->n, &retr_cb, f, &e);
	/* Cut short in the middle of a message: never queued. */
	pop3_fetched_clear(&f->m);
	f->failed = rc < 0;
	f->err = e;
	atomic_store(&f->done, 1);
	/* What was queued before a failure is still handed out. */
	pipeline_close(f->raw);
	return NULL;
}

/* Keeps files created in tmp/ for the download thread, up to POOL and
 * never more than there are messages. */
static void
refill(struct pop3_fetch *f)
{
	struct maildir_delivery *d;
	struct error e;

	if (f->pool_failed || pipeline_count(f->pool) > POOL_LOW)
		return;
	while (f->created < f->n && pipeline_count(f->pool) < POOL) {
		error_clear(&e);
		d = NULL;
		/* On failure the download meets the error itself. */
		(void)cache_sync_deliver_begin(f->ctx, &d, &e);
		if (d == NULL) {
			f->pool_failed = 1;
			return;
		}
		if (pipeline_push(f->pool, &d, 0) < 0) {
			maildir_deliver_abort(&d);
			return;
		}
		f->created++;
	}
}

/*
 * The prepare thread: refills the pool, and parses and renders each
 * downloaded message for the index (cache_msg_prepare), in order, so
 * that the worker only writes.  A message it could not prepare stays
 * unprepared; the worker then does it itself.
 */
static void *
prep_run(void *arg)
{
	struct pop3_fetch *f = arg;
	struct pop3_fetched batch[PREP_WAKE];
	struct error e;
	size_t n, k;

	for (;;) {
		refill(f);
		if ((n = pipeline_pop(f->raw, batch, PREP_WAKE, 0,
		    PREP_WAKE)) == 0)
			break;
		for (k = 0; k < n; k++) {
			error_clear(&e);
			if (cache_msg_prepare(buf_cstr(&batch[k].head),
			    batch[k].head.len, &batch[k].prep, &e) == 0)
				buf_free(&batch[k].head);
			if (pipeline_push(f->ready, &batch[k],
			    batch[k].size) < 0)
				break;
		}
		/* Stopped: what was not handed on is freed here. */
		for (; k < n; k++)
			pop3_fetched_clear(&batch[k]);
	}
	pipeline_close(f->ready);
	return NULL;
}

int
pop3_fetch_start(struct cache_sync_ctx *ctx, struct pop3 *p,
    const struct pop3_msg *msgs, const size_t *want, size_t n,
    struct pop3_fetch **f_r, struct error *err)
{
	struct pop3_fetch *f = xcalloc(1, sizeof(*f));
	size_t i;

	f->ctx = ctx;
	f->p = p;
	f->n = n;
	f->nums = xcalloc(n + 1, sizeof(*f->nums));
	f->uidls = xcalloc(n + 1, sizeof(*f->uidls));
	for (i = 0; i < n; i++) {
		f->nums[i] = msgs[want[i]].num;
		f->uidls[i] = msgs[want[i]].uidl;
	}
	f->raw = pipeline_new(sizeof(struct pop3_fetched),
	    FETCH_QUEUE_MSGS / 2);
	f->ready = pipeline_new(sizeof(struct pop3_fetched),
	    FETCH_QUEUE_MSGS / 2);
	f->pool = pipeline_new(sizeof(struct maildir_delivery *), POOL);
	if (pipeline_start(f->ready, prep_run, f, err) < 0) {
		fetch_free(f);
		return error_prefix(err, "cannot start the download");
	}
	if (pipeline_start(f->raw, run, f, err) < 0) {
		pipeline_stop(f->raw);
		pipeline_stop(f->pool);
		pipeline_join(f->ready, NULL);
		fetch_free(f);
		return error_prefix(err, "cannot start the download");
	}
	*f_r = f;
	return 0;
}

int
pop3_fetch_take(struct pop3_fetch *f, size_t min, uint64_t min_bytes,
    size_t max, struct pop3_fetched *out, size_t *n_r, struct error *err)
{
	size_t k;

	k = pipeline_pop(f->ready, out, min, min_bytes, max);
	*n_r = k;
	if (k == 0 && f->failed) {
		/* ready ended after the download thread closed raw: its
		 * error is settled. */
		if (err)
			*err = f->err;
		return -1;
	}
	return 0;
}

void
pop3_fetched_clear(struct pop3_fetched *m)
{
	maildir_deliver_abort(&m->d);
	buf_free(&m->head);
	cache_msg_prep_clear(&m->prep);
	memset(m, 0, sizeof(*m));
}

int
pop3_fetch_end(struct pop3_fetch **fp)
{
	struct pop3_fetch *f = *fp;
	int stopped = 0;

	if (f == NULL)
		return -1;
	if (!atomic_load(&f->done)) {
		/* Still downloading: every queue stops, and a read blocked
		 * on the server returns at once.  The session is spent. */
		stopped = 1;
		pipeline_stop(f->raw);
		pipeline_stop(f->ready);
		pipeline_stop(f->pool);
		pop3_shutdown(f->p);
	} else {
		/* Only the prepare thread may still wait, for the pool. */
		pipeline_stop(f->ready);
		pipeline_stop(f->pool);
	}
	pipeline_join(f->raw, NULL);
	pipeline_join(f->ready, NULL);
	stopped = stopped || f->failed;
	fetch_free(f);
	*fp = NULL;
	return stopped ? -1 : 0;
}
