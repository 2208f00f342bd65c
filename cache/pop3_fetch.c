/* pop3_fetch: the POP3 download thread (see pop3_fetch.h). */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cache/pop3_fetch.h"
#include "core/xalloc.h"

#define PROGRESS_BYTES (1024 * 1024)
/* Wake-ups in batches, not one per message: the prepare thread when this
 * many wait for it (or the download ended), the worker once what it asked
 * pop3_fetch_take for is ready. */
#define PREP_WAKE 16
/* Files the prepare thread creates in tmp/ ahead of the download, so
 * that the download thread only writes: refilled when POOL_LOW are left. */
#define POOL 32
#define POOL_LOW 16

struct pop3_fetch {
	struct cache_sync_ctx *ctx;
	struct pop3 *p;
	unsigned *nums;
	const char **uidls; /* into the caller's msgs */
	size_t n;
	pthread_t thread;
	pthread_t prep_thread;

	/* The thread's own: the message being read. */
	size_t cur;
	struct pop3_fetched m;
	uint64_t bytes, shown;
	struct error terr;

	pthread_mutex_t lock; /* everything below */
	pthread_cond_t ready; /* a message was prepared, or the end */
	pthread_cond_t space; /* a message was taken, or stop */
	pthread_cond_t queued; /* a message was queued, or the run ended */
	struct pop3_fetched q[FETCH_QUEUE_MSGS];
	size_t qhead, qn;     /* queued: q[qhead .. qhead+qn) */
	size_t qready;        /* ... of which the first qready prepared */
	uint64_t rbytes;      /* their sizes */
	int finished; /* the download thread is done */
	int prep_done; /* the prepare thread is done */
	int prep_idle; /* ... waits for PREP_WAKE messages */
	int taker_waits; /* pop3_fetch_take waits for take_min/take_bytes */
	size_t take_min;
	uint64_t take_bytes;
	int failed;   /* ... and pop3_retr_many failed (err) */
	int stop;     /* asked to stop */
	int quit;     /* pop3_fetch_end: the prepare thread stops too */
	struct error err;
	/* created ahead, unused: pool[pool_head ..] in creation order */
	struct maildir_delivery *pool[POOL];
	size_t pool_head, pool_n;
	size_t begun;    /* messages the download began */
	int pool_failed; /* a creation failed: the download creates */
};

/* The pool should be refilled (wake the prepare thread). */
static int
pool_low(const struct pop3_fetch *f)
{
	return !f->pool_failed && f->pool_n <= POOL_LOW &&
	    f->begun + f->pool_n < f->n;
}

/* The pool has room for a file a message will use. */
static int
pool_room(const struct pop3_fetch *f)
{
	return !f->pool_failed && f->pool_n < POOL &&
	    f->begun + f->pool_n < f->n;
}

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
	int stop;

	if (f->cur >= f->n || f->nums[f->cur] != num)
		return error_set(err, "internal error: RETR out of order");
	/* Wait for room before reading on: the server waits meanwhile. */
	pthread_mutex_lock(&f->lock);
	while (f->qn == FETCH_QUEUE_MSGS && !f->stop)
		pthread_cond_wait(&f->space, &f->lock);
	stop = f->stop;
	if (!stop) {
		/* The oldest first: names keep the download order. */
		if (f->pool_n > 0) {
			d = f->pool[f->pool_head];
			f->pool_head = (f->pool_head + 1) % POOL;
			f->pool_n--;
		}
		f->begun++;
		if (f->prep_idle && pool_low(f)) {
			f->prep_idle = 0;
			pthread_cond_signal(&f->queued);
		}
	}
	pthread_mutex_unlock(&f->lock);
	if (stop)
		return error_set(err, "synchronisation was cancelled");
	memset(&f->m, 0, sizeof(f->m));
	f->m.num = num;
	f->m.uidl = f->uidls[f->cur];
	if (d != NULL) {
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
	size_t k;

	(void)num;
	if (maildir_deliver_finish(f->m.d, err) < 0)
		return -1;
	pthread_mutex_lock(&f->lock);
	/* retr_begin made room. */
	k = (f->qhead + f->qn) % FETCH_QUEUE_MSGS;
	f->q[k] = f->m;
	f->qn++;
	if (f->prep_idle && f->qn - f->qready >= PREP_WAKE) {
		f->prep_idle = 0; /* one wake-up is enough */
		pthread_cond_signal(&f->queued);
	}
	pthread_mutex_unlock(&f->lock);
	memset(&f->m, 0, sizeof(f->m));
	f->cur++;
	if (f->bytes - f->shown >= PROGRESS_BYTES || f->cur == f->n)
		progress(f);
	return 0;
}

static const struct pop3_retr_cb retr_cb = { retr_begin, retr_data,
	retr_end };

/* Frees f, its unused files and its synchronisation (no thread runs). */
static void
fetch_free(struct pop3_fetch *f)
{
	for (; f->pool_n > 0; f->pool_n--) {
		maildir_deliver_abort(&f->pool[f->pool_head]);
		f->pool_head = (f->pool_head + 1) % POOL;
	}
	pthread_cond_destroy(&f->queued);
	pthread_cond_destroy(&f->space);
	pthread_cond_destroy(&f->ready);
	pthread_mutex_destroy(&f->lock);
	free(f->uidls);
	free(f->nums);
	free(f);
}

static void *
run(void *arg)
{
	struct pop3_fetch *f = arg;
	int rc;

	error_clear(&f->terr);
	rc = pop3_retr_many(f->p, f->nums, f->n, &retr_cb, f, &f->terr);
	/* Cut short in the middle of a message: never queued. */
	pop3_fetched_clear(&f->m);
	pthread_mutex_lock(&f->lock);
	f->finished = 1;
	f->failed = rc < 0;
	f->err = f->terr;
	pthread_cond_broadcast(&f->queued);
	pthread_mutex_unlock(&f->lock);
	return NULL;
}

/*
 * The prepare thread: keeps files created in tmp/ for the download
 * thread (the pool), and parses and renders each queued message for the
 * index (cache_msg_prepare), in order, so that the worker only writes.
 * The slot it works on is its own: the download thread writes only past
 * qn, the worker takes only below qready.  A message it could not
 * prepare stays unprepared; the worker then does it itself.
 */
static void *
prep_run(void *arg)
{
	struct pop3_fetch *f = arg;
	struct pop3_fetched *m;
	struct maildir_delivery *d;
	struct error e;

	pthread_mutex_lock(&f->lock);
	for (;;) {
		while (f->qn - f->qready < PREP_WAKE && !pool_low(f) &&
		    !f->finished && !f->quit) {
			f->prep_idle = 1;
			pthread_cond_wait(&f->queued, &f->lock);
			f->prep_idle = 0;
		}
		if (f->quit)
			break;
		if (pool_room(f) && !f->finished) {
			pthread_mutex_unlock(&f->lock);
			error_clear(&e);
			d = NULL;
			/* On failure the download meets the error itself. */
			(void)cache_sync_deliver_begin(f->ctx, &d, &e);
			pthread_mutex_lock(&f->lock);
			if (d == NULL)
				f->pool_failed = 1;
			else if (pool_room(f))
				f->pool[(f->pool_head + f->pool_n++) % POOL] = d;
			else
				maildir_deliver_abort(&d);
			continue;
		}
		if (f->qready == f->qn) {
			if (f->finished)
				break;
			continue;
		}
		m = &f->q[(f->qhead + f->qready) % FETCH_QUEUE_MSGS];
		pthread_mutex_unlock(&f->lock);
		error_clear(&e);
		if (cache_msg_prepare(buf_cstr(&m->head), m->head.len,
		    &m->prep, &e) == 0)
			buf_free(&m->head);
		pthread_mutex_lock(&f->lock);
		f->qready++;
		f->rbytes += m->size;
		if (f->taker_waits && (f->qready >= f->take_min ||
		    f->rbytes >= f->take_bytes)) {
			f->taker_waits = 0;
			pthread_cond_signal(&f->ready);
		}
	}
	f->prep_done = 1;
	pthread_cond_broadcast(&f->ready);
	pthread_mutex_unlock(&f->lock);
	return NULL;
}

int
pop3_fetch_start(struct cache_sync_ctx *ctx, struct pop3 *p,
    const struct pop3_msg *msgs, const size_t *want, size_t n,
    struct pop3_fetch **f_r, struct error *err)
{
	struct pop3_fetch *f = xcalloc(1, sizeof(*f));
	size_t i;
	int rc;

	f->ctx = ctx;
	f->p = p;
	f->n = n;
	f->nums = xcalloc(n + 1, sizeof(*f->nums));
	f->uidls = xcalloc(n + 1, sizeof(*f->uidls));
	for (i = 0; i < n; i++) {
		f->nums[i] = msgs[want[i]].num;
		f->uidls[i] = msgs[want[i]].uidl;
	}
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->ready, NULL);
	pthread_cond_init(&f->space, NULL);
	pthread_cond_init(&f->queued, NULL);
	if ((rc = pthread_create(&f->prep_thread, NULL, prep_run, f)) != 0) {
		fetch_free(f);
		return error_errno(err, rc, "cannot start the download");
	}
	if ((rc = pthread_create(&f->thread, NULL, run, f)) != 0) {
		pthread_mutex_lock(&f->lock);
		f->quit = 1;
		pthread_cond_broadcast(&f->queued);
		pthread_mutex_unlock(&f->lock);
		pthread_join(f->prep_thread, NULL);
		fetch_free(f);
		return error_errno(err, rc, "cannot start the download");
	}
	*f_r = f;
	return 0;
}

int
pop3_fetch_take(struct pop3_fetch *f, size_t min, uint64_t min_bytes,
    size_t max, struct pop3_fetched *out, size_t *n_r, struct error *err)
{
	size_t k;
	int rc = 0;

	pthread_mutex_lock(&f->lock);
	f->take_min = min;
	f->take_bytes = min_bytes;
	while (!f->prep_done && f->qready < min && f->rbytes < min_bytes) {
		f->taker_waits = 1;
		pthread_cond_wait(&f->ready, &f->lock);
		f->taker_waits = 0;
	}
	for (k = 0; k < max && f->qready > 0; k++) {
		out[k] = f->q[f->qhead];
		memset(&f->q[f->qhead], 0, sizeof(f->q[f->qhead]));
		f->qhead = (f->qhead + 1) % FETCH_QUEUE_MSGS;
		f->qn--;
		f->qready--;
		f->rbytes -= out[k].size;
	}
	if (k > 0)
		pthread_cond_signal(&f->space);
	else if (f->failed) {
		if (err)
			*err = f->err;
		rc = -1;
	}
	pthread_mutex_unlock(&f->lock);
	*n_r = k;
	return rc;
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
	int ok;

	if (f == NULL)
		return -1;
	pthread_mutex_lock(&f->lock);
	if (!f->finished) {
		f->stop = 1;
		pthread_cond_broadcast(&f->space);
		/* A read blocked on the server returns at once. */
		pop3_shutdown(f->p);
	}
	f->quit = 1;
	pthread_cond_broadcast(&f->queued);
	pthread_mutex_unlock(&f->lock);
	pthread_join(f->thread, NULL);
	pthread_join(f->prep_thread, NULL);
	ok = !f->failed && !f->stop;
	while (f->qn > 0) {
		pop3_fetched_clear(&f->q[f->qhead]);
		f->qhead = (f->qhead + 1) % FETCH_QUEUE_MSGS;
		f->qn--;
	}
	fetch_free(f);
	*fp = NULL;
	return ok ? 0 : -1;
}
