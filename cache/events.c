/*
 * events: what the cache tells the UI (cache.h, Events): the event queue
 * and its pipe, each account's state, and the folder generations.  The
 * workers, the drivers' context and the cache's own operations all post
 * here, so it sits below them (doc/HACKING.md, Events).
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache/cache_int.h"
#include "core/log.h"
#include "core/str.h"
#include "core/xalloc.h"

/* The counter of folder (lock held), created at 0. */
static uint64_t *
gen_slot(struct cache *c, int64_t folder)
{
	size_t i;

	for (i = 0; i < c->ngens; i++)
		if (c->gens[i].folder == folder)
			return &c->gens[i].n;
	if (c->ngens == c->gencap) {
		c->gencap = c->gencap ? c->gencap * 2 : 32;
		c->gens = xreallocarray(c->gens, c->gencap, sizeof(*c->gens));
	}
	c->gens[c->ngens].folder = folder;
	c->gens[c->ngens].n = 0;
	return &c->gens[c->ngens++].n;
}

static void
gen_bump_locked(struct cache *c, size_t account, int64_t folder_id)
{
	if (folder_id)
		(*gen_slot(c, folder_id))++;
	if (account < c->naccounts)
		c->account_gens[account]++;
}

void
cache_gen_bump(struct cache *c, size_t account, int64_t folder_id)
{
	pthread_mutex_lock(&c->lock);
	gen_bump_locked(c, account, folder_id);
	pthread_mutex_unlock(&c->lock);
}

/* Another process's commits move every generation. */
static void
foreign_check(struct cache *c)
{
	if (db_foreign_commit(c->db, NULL) == 1) {
		pthread_mutex_lock(&c->lock);
		c->foreign_gen++;
		pthread_mutex_unlock(&c->lock);
	}
}

uint64_t
cache_folder_gen(struct cache *c, int64_t folder_id)
{
	uint64_t g;

	foreign_check(c);
	pthread_mutex_lock(&c->lock);
	g = c->foreign_gen + (folder_id ? *gen_slot(c, folder_id) : 0);
	pthread_mutex_unlock(&c->lock);
	return g;
}

uint64_t
cache_account_gen(struct cache *c, size_t i)
{
	uint64_t g;

	foreign_check(c);
	pthread_mutex_lock(&c->lock);
	g = c->foreign_gen + (i < c->naccounts ? c->account_gens[i] : 0);
	pthread_mutex_unlock(&c->lock);
	return g;
}

void
cache_post(struct cache *c, const struct cache_event *ev)
{
	size_t a = ev->account < c->naccounts ? ev->account : c->naccounts;

	pthread_mutex_lock(&c->lock);
	switch (ev->kind) {
	case CACHE_EV_FOLDER_CHANGED:
	case CACHE_EV_MESSAGE_ARRIVED:
	case CACHE_EV_REFUSED: /* the change was undone */
		gen_bump_locked(c, ev->account, ev->folder_id);
		break;
	case CACHE_EV_FOLDERS_CHANGED:
	case CACHE_EV_SYNC_DONE:
	case CACHE_EV_OUTBOX: /* listed with the folders */
		gen_bump_locked(c, ev->account, 0);
		break;
	default:
		break;
	}
	/* The account's latest progress slot: still queued, and nothing
	 * of the account after it (so it never jumps over its SYNC_DONE). */
	if (ev->kind == CACHE_EV_PROGRESS && c->ev_progress[a] &&
	    c->ev_progress[a] == c->ev_last[a] &&
	    c->ev_progress[a] > c->evpopped) {
		c->evq[(c->evhead + (c->ev_progress[a] - 1 - c->evpopped)) %
		    c->evcap] = *ev;
		pthread_mutex_unlock(&c->lock);
		return;
	}
	if (c->evn == c->evcap) {
		size_t ncap = c->evcap ? c->evcap * 2 : 64, i;
		struct cache_event *q = xcalloc(ncap, sizeof(*q));

		for (i = 0; i < c->evn; i++)
			q[i] = c->evq[(c->evhead + i) % c->evcap];
		free(c->evq);
		c->evq = q;
		c->evcap = ncap;
		c->evhead = 0;
	}
	c->evq[(c->evhead + c->evn) % c->evcap] = *ev;
	c->evpushed++;
	c->ev_last[a] = c->evpushed;
	if (ev->kind == CACHE_EV_PROGRESS)
		c->ev_progress[a] = c->evpushed;
	if (c->evn++ == 0) {
		ssize_t w = write(c->evpipe[1], "e", 1);

		(void)w; /* full pipe: a wake-up is pending anyway */
	}
	pthread_mutex_unlock(&c->lock);
}

int
cache_event_fd(const struct cache *c)
{
	return c->evpipe[0];
}

int
cache_event_read(struct cache *c, struct cache_event *ev_r)
{
	char drain[64];
	int got = 0;

	pthread_mutex_lock(&c->lock);
	if (c->evn > 0) {
		*ev_r = c->evq[c->evhead];
		c->evhead = (c->evhead + 1) % c->evcap;
		c->evn--;
		c->evpopped++;
		got = 1;
	}
	if (c->evn == 0)
		while (read(c->evpipe[0], drain, sizeof(drain)) > 0)
			;
	pthread_mutex_unlock(&c->lock);
	return got;
}

void
cache_set_state(struct cache *c, size_t i, enum account_state state,
    const char *error)
{
	struct cache_event ev;

	memset(&ev, 0, sizeof(ev));
	pthread_mutex_lock(&c->lock);
	c->states[i] = state;
	if (error)
		str_lcpy(c->errors[i], error, sizeof(c->errors[i]));
	else if (state != ACCOUNT_ERROR)
		c->errors[i][0] = '\0';
	pthread_mutex_unlock(&c->lock);
	ev.kind = CACHE_EV_ACCOUNT;
	ev.account = i;
	ev.state = state;
	if (error)
		str_lcpy(ev.text, error, sizeof(ev.text));
	cache_post(c, &ev);
}
