/*
 * sync_imap_fill: si_bulk_fetch (sync_imap.h), the loop of UID FETCHes
 * of a first fill, newest first in chunks.
 *
 * A large fill runs the loop on spare CPU only (bgprio.h): a first
 * sync of a large folder takes seconds of CPU, and then it neither
 * slows the user's other programs nor the UI thread, and a server on
 * this machine (a local Dovecot, the bench) gets the CPU before us and
 * so answers sooner.  The first chunk (the first screen) is read and
 * indexed at normal priority all the same.  If other work leaves the
 * fill no CPU for half a second, it goes on at normal priority.
 */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#include "cache/sync_imap.h"
#include "cache/sync_imap_bulk_int.h"
#include "core/bgprio.h"
#include "core/clock.h"
#include "core/log.h"

/* How often the waiting worker looks at the spare-CPU threads. */
#define WATCH_MS 50

/*
 * The state of si_bulk_fetch's loop, so that it can stop between two
 * messages on the spare-CPU thread and go on on the worker.
 */
struct fill {
	struct si_bulk *b;
	const struct si_fill *f;
	struct imap_fetch_op *op[2];
	uint32_t opa[2], opw[2];
	uint32_t width, fetched, lo, hi;
	int rc, nop, more;
	int reading;      /* op[0]'s answer is being read */
	struct error scratch;
	/* the spare-CPU thread (lock) */
	long tid;
	int done;
};

/* How far fill_loop goes: to the end, to the first chunk committed
 * (the first screen), or on spare CPU until demoted. */
enum { FILL_ALL, FILL_FIRST, FILL_BG };

/* Runs the loop until done (0), or until mode says stop (1). */
static int
fill_loop(struct fill *s, int mode)
{
	struct si_bulk *b = s->b;
	const struct si_fill *f = s->f;
	uint32_t a, w;
	char set[32];
	int r;

	while (s->more || s->nop > 0) {
		if (mode == FILL_FIRST && s->fetched > 0)
			return 1;
		/* keep two commands on their way: the oldest is read next
		 * (the first screen's chunk too: the second's answer only
		 * follows it) */
		while (s->more && s->nop < 2 && s->rc == 0 && !s->reading) {
			a = s->hi - s->lo + 1 <= s->width ? s->lo :
			    s->hi - s->width + 1;
			if (s->hi == UINT32_MAX)
				snprintf(set, sizeof(set), "%u:*", a);
			else
				snprintf(set, sizeof(set), "%u:%u", a, s->hi);
			if (imap_fetch_send(f->imap, set, IMAP_FETCH_FLAGS |
			    IMAP_FETCH_HEADERS, 0, f->fn, f->arg,
			    &s->op[s->nop], f->err) < 0) {
				s->rc = -1;
				break;
			}
			s->opw[s->nop] = s->hi - a + 1;
			s->opa[s->nop++] = a;
			if (s->width < SI_CHUNK)
				s->width = SI_CHUNK;
			if (a == s->lo)
				s->more = 0;
			else
				s->hi = a - 1;
		}
		if (s->nop == 0)
			break;
		if (!s->reading) {
			*f->got = 0;
			s->reading = 1;
		}
		r = 0;
		while (mode == FILL_BG && s->rc >= 0 &&
		    (r = imap_fetch_step(f->imap, s->op[0], f->err)) == 0)
			if (atomic_load(&b->demote))
				return 1;
		if (r < 0) /* the session broke: end op[0] quietly */
			imap_fetch_end(f->imap, &s->op[0], &s->scratch);
		else
			r = imap_fetch_end(f->imap, &s->op[0], s->rc < 0 ?
			    &s->scratch : f->err);
		s->reading = 0;
		a = s->opa[0];
		w = s->opw[0];
		s->op[0] = s->op[1];
		s->opa[0] = s->opa[1];
		s->opw[0] = s->opw[1];
		s->op[1] = NULL;
		s->nop--;
		if (s->rc < 0)
			continue; /* only ends what was sent */
		if (r != 0 || *f->failed) {
			if (!error_isset(f->err))
				error_set(f->err, "could not fetch the headers "
				    "of %s", f->name);
			s->rc = -1;
			continue;
		}
		if (s->fetched == 0 && si_bulk_sync(b, f->err) < 0) {
			s->rc = -1;
			continue;
		}
		s->fetched = a;
		/* a sparse folder: fewer, wider commands */
		if (*f->got < w / 2 && s->width < SI_CHUNK_MAX / 2)
			s->width *= 2;
		if (s->rc == 0 && s->more && cache_sync_interrupted(b->ctx)) {
			s->more = 0;
			s->rc = 1;
		}
	}
	return 0;
}

static void *
fill_thread(void *arg)
{
	struct fill *s = arg;
	struct si_bulk *b = s->b;
	long tid = bgprio_self();
	int bg = bgprio_enter();

	pthread_mutex_lock(&b->lock);
	s->tid = tid;
	pthread_mutex_unlock(&b->lock);
	if (bg)
		fill_loop(s, FILL_BG);
	pthread_mutex_lock(&b->lock);
	s->done = 1;
	pthread_cond_broadcast(&b->cv_fill);
	pthread_mutex_unlock(&b->lock);
	return NULL;
}

/* After a demote: the spare-CPU indexer ends where it is, and one of
 * normal priority (this thread's) goes on with its queue. */
static void
indexer_replace(struct si_bulk *b)
{
	pthread_mutex_lock(&b->lock);
	pthread_cond_broadcast(&b->cv_work);
	pthread_mutex_unlock(&b->lock);
	pthread_join(b->th, NULL);
	b->bg_indexer = 0;
	if (pthread_create(&b->th, NULL, si_bulk_indexer, b) == 0)
		return;
	pthread_mutex_lock(&b->lock);
	if (!b->failed) {
		b->failed = 1;
		error_set(&b->err, "cannot start the indexer thread");
	}
	b->th_live = 0;
	pthread_cond_broadcast(&b->cv_room);
	pthread_mutex_unlock(&b->lock);
}

/* Whether the thread tid (0: not known yet) starves. */
static int
starving(struct bgprio_probe *p, long tid)
{
	if (tid == 0)
		return 0;
	if (p->tid != tid)
		bgprio_probe_init(p, tid);
	return bgprio_starved(p);
}

/*
 * A large fill reads and indexes on spare CPU (bgprio.h): a thread of
 * its own runs the loop, and this one watches it and the indexer.  When
 * the loop is over, or either thread starves, both are told to stop: a
 * normal indexer takes what is left of the queue, and this thread goes
 * on with the loop where it was left.  So the rest of a fill that was
 * interrupted (to open a message) runs at normal priority.
 */
static void
fill_spare(struct si_bulk *b, struct fill *s)
{
	struct bgprio_probe pr, pi;
	struct timespec ts;
	pthread_t th;
	long rtid, itid;
	int starved = 0, bgi;

	if (pthread_create(&th, NULL, fill_thread, s) != 0)
		return;
	bgprio_probe_init(&pr, 0);
	bgprio_probe_init(&pi, 0);
	pthread_mutex_lock(&b->lock);
	b->bg_go = 1;
	pthread_cond_signal(&b->cv_work);
	while (!s->done && !starved) {
		clock_in_ms(&ts, WATCH_MS);
		pthread_cond_timedwait(&b->cv_fill, &b->lock, &ts);
		if (s->done)
			break;
		rtid = s->tid;
		itid = b->indexer_tid;
		pthread_mutex_unlock(&b->lock);
		starved = starving(&pr, rtid) || starving(&pi, itid);
		pthread_mutex_lock(&b->lock);
	}
	/* Done or not, what is left of the queue is indexed at normal
	 * priority: nothing watches the indexer from here on. */
	atomic_store(&b->demote, 1);
	bgi = b->bg_indexer;
	pthread_mutex_unlock(&b->lock);
	if (starved)
		log_info("%s: other work left no spare CPU for half a second; "
		    "the fill goes on at normal priority", s->f->name);
	if (bgi)
		indexer_replace(b);
	pthread_join(th, NULL);
}

int
si_bulk_fetch(struct si_bulk *b, const struct si_fill *f, uint32_t lo,
    uint32_t hi, uint32_t *fetched_r)
{
	struct fill s = { .b = b, .f = f, .lo = lo, .hi = hi,
	    .width = SI_CHUNK_FIRST, .more = hi >= lo && hi != 0 };

	error_clear(&s.scratch);
	if (f->pre) {
		s.op[0] = f->pre;
		s.opa[0] = lo;
		s.opw[0] = hi - lo + 1;
		s.nop = 1;
		s.more = 0;
	}
	/* the first screen at normal priority, whatever else runs */
	if (b->bg && !atomic_load(&b->demote) &&
	    fill_loop(&s, FILL_FIRST) == 1)
		fill_spare(b, &s);
	fill_loop(&s, FILL_ALL);
	*fetched_r = s.fetched;
	return s.rc;
}
