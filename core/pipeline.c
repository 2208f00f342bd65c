/* pipeline: a bounded queue with stop, first error and join (see
 * core/pipeline.h). */
#include <config.h>

#include "core/pipeline.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

struct pipeline {
	pthread_mutex_t lock;
	pthread_cond_t items; /* pushed, closed or stopped */
	pthread_cond_t room;  /* popped or stopped */
	unsigned char *buf;
	uint64_t *weights;
	size_t size, cap, head, n;
	uint64_t weight;      /* of the queued items */
	uint64_t max_w;       /* full above this weight (0: no bound) */
	/* The smallest batch a waiting popper wants: a push wakes them only
	 * once it is there (no waiter: SIZE_MAX, UINT64_MAX). */
	size_t need_n, waiters;
	uint64_t need_w;
	int closed, stopped, failed;
	struct error err;
	pthread_t th[PIPELINE_MAX_THREADS];
	size_t nth;
};

struct pipeline *
pipeline_new(size_t item_size, size_t capacity)
{
	struct pipeline *pl = xcalloc(1, sizeof(*pl));

	pl->size = item_size ? item_size : 1;
	pl->cap = capacity ? capacity : 1;
	pl->buf = xreallocarray(NULL, pl->cap, pl->size);
	pl->weights = xcalloc(pl->cap, sizeof(*pl->weights));
	pthread_mutex_init(&pl->lock, NULL);
	pthread_cond_init(&pl->items, NULL);
	pthread_cond_init(&pl->room, NULL);
	pl->need_n = SIZE_MAX;
	pl->need_w = UINT64_MAX;
	error_clear(&pl->err);
	return pl;
}

void
pipeline_max_weight(struct pipeline *pl, uint64_t max)
{
	pl->max_w = max;
}

/* Whether a push must wait (lock held). */
static int
full(const struct pipeline *pl)
{
	return pl->n == pl->cap ||
	    (pl->max_w > 0 && pl->n > 0 && pl->weight > pl->max_w);
}

int
pipeline_start(struct pipeline *pl, void *(*fn)(void *), void *arg,
    struct error *err)
{
	int rc;

	if (pl->nth == PIPELINE_MAX_THREADS)
		return error_set(err, "internal error: too many threads");
	if ((rc = pthread_create(&pl->th[pl->nth], NULL, fn, arg)) != 0)
		return error_errno(err, rc, "cannot start a thread");
	pl->nth++;
	return 0;
}

int
pipeline_push(struct pipeline *pl, const void *item, uint64_t weight)
{
	size_t k;

	pthread_mutex_lock(&pl->lock);
	while (full(pl) && !pl->stopped)
		pthread_cond_wait(&pl->room, &pl->lock);
	if (pl->stopped || pl->closed) {
		pthread_mutex_unlock(&pl->lock);
		return -1;
	}
	k = (pl->head + pl->n) % pl->cap;
	memcpy(pl->buf + k * pl->size, item, pl->size);
	pl->weights[k] = weight;
	pl->n++;
	pl->weight += weight;
	/* A consumer waiting for a batch is woken when the smallest batch
	 * wanted is there, not for every item; each waiter then checks its
	 * own (a broadcast: waking one whose batch is not ready would leave
	 * another asleep whose batch is). */
	if (pl->n >= pl->need_n || pl->weight >= pl->need_w)
		pthread_cond_broadcast(&pl->items);
	pthread_mutex_unlock(&pl->lock);
	return 0;
}

/* Takes up to max items (lock held). */
static size_t
take(struct pipeline *pl, void *out, size_t max)
{
	size_t k;

	for (k = 0; k < max && pl->n > 0; k++) {
		memcpy((unsigned char *)out + k * pl->size,
		    pl->buf + pl->head * pl->size, pl->size);
		pl->weight -= pl->weights[pl->head];
		pl->head = (pl->head + 1) % pl->cap;
		pl->n--;
	}
	if (k > 0)
		pthread_cond_broadcast(&pl->room);
	return k;
}

size_t
pipeline_pop(struct pipeline *pl, void *out, size_t min, uint64_t min_weight,
    size_t max)
{
	size_t k;

	if (min == 0)
		min = 1;
	if (min > pl->cap)
		min = pl->cap; /* a full queue is the largest batch */
	pthread_mutex_lock(&pl->lock);
	while (!pl->stopped && !pl->closed && pl->n < min &&
	    (min_weight == 0 || pl->weight < min_weight || pl->n == 0)) {
		if (min < pl->need_n)
			pl->need_n = min;
		if (min_weight > 0 && min_weight < pl->need_w)
			pl->need_w = min_weight;
		pl->waiters++;
		pthread_cond_wait(&pl->items, &pl->lock);
		if (--pl->waiters == 0) {
			pl->need_n = SIZE_MAX;
			pl->need_w = UINT64_MAX;
		}
	}
	k = pl->stopped ? 0 : take(pl, out, max);
	pthread_mutex_unlock(&pl->lock);
	return k;
}

void
pipeline_close(struct pipeline *pl)
{
	pthread_mutex_lock(&pl->lock);
	pl->closed = 1;
	pthread_cond_broadcast(&pl->items);
	pthread_mutex_unlock(&pl->lock);
}

/* Lock held. */
static void
stop_locked(struct pipeline *pl)
{
	pl->stopped = 1;
	pthread_cond_broadcast(&pl->items);
	pthread_cond_broadcast(&pl->room);
}

void
pipeline_stop(struct pipeline *pl)
{
	pthread_mutex_lock(&pl->lock);
	stop_locked(pl);
	pthread_mutex_unlock(&pl->lock);
}

int
pipeline_stopped(struct pipeline *pl)
{
	int s;

	pthread_mutex_lock(&pl->lock);
	s = pl->stopped;
	pthread_mutex_unlock(&pl->lock);
	return s;
}

void
pipeline_fail(struct pipeline *pl, const struct error *e)
{
	pthread_mutex_lock(&pl->lock);
	if (!pl->failed) {
		pl->failed = 1;
		pl->err = *e;
		if (!error_isset(&pl->err))
			error_set(&pl->err, "internal error: a pipeline "
			    "stage failed");
	}
	stop_locked(pl);
	pthread_mutex_unlock(&pl->lock);
}

int
pipeline_join(struct pipeline *pl, struct error *err)
{
	size_t i;
	int failed;

	for (i = 0; i < pl->nth; i++)
		pthread_join(pl->th[i], NULL);
	pl->nth = 0;
	pthread_mutex_lock(&pl->lock);
	failed = pl->failed;
	if (failed && err)
		*err = pl->err;
	pthread_mutex_unlock(&pl->lock);
	return failed ? -1 : 0;
}

size_t
pipeline_drain(struct pipeline *pl, void *out, size_t max)
{
	size_t k;

	pthread_mutex_lock(&pl->lock);
	k = take(pl, out, max);
	pthread_mutex_unlock(&pl->lock);
	return k;
}

size_t
pipeline_count(struct pipeline *pl)
{
	size_t n;

	pthread_mutex_lock(&pl->lock);
	n = pl->n;
	pthread_mutex_unlock(&pl->lock);
	return n;
}

void
pipeline_free(struct pipeline **pp)
{
	struct pipeline *pl = *pp;

	if (pl == NULL)
		return;
	pthread_cond_destroy(&pl->room);
	pthread_cond_destroy(&pl->items);
	pthread_mutex_destroy(&pl->lock);
	free(pl->weights);
	free(pl->buf);
	free(pl);
	*pp = NULL;
}
