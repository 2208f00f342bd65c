/* worker: one sync thread per account (doc/HACKING.md, Threads and who
 * owns what). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cache/cache_int.h"
#include "cache/outbox.h"
#include "cache/send.h"
#include "cache/worker_int.h"
#include "core/log.h"
#include "core/str.h"
#include "core/xalloc.h"

#define POLL_INTERVAL_MS (5 * 60 * 1000) /* background sync without IDLE */
#define RETRY_MS (60 * 1000)

static int
stopping(struct worker *w)
{
	return __atomic_load_n(&w->stop, __ATOMIC_SEQ_CST);
}

static void
wake(struct worker *w)
{
	ssize_t n = write(w->reqpipe[1], "r", 1);

	(void)n; /* full pipe: a wake-up is pending anyway */
}

/* Takes the most urgent request: fetch, then ops, then sync. */
static int
take(struct worker *w, struct worker_req *r)
{
	size_t i, best = SIZE_MAX;

	pthread_mutex_lock(&w->lock);
	for (i = 0; i < w->nreq; i++)
		if (best == SIZE_MAX || w->req[i].kind < w->req[best].kind)
			best = i;
	if (best != SIZE_MAX) {
		*r = w->req[best];
		memmove(&w->req[best], &w->req[best + 1],
		    (w->nreq - best - 1) * sizeof(*w->req));
		w->nreq--;
	}
	pthread_mutex_unlock(&w->lock);
	return best != SIZE_MAX;
}

static void
drain(struct worker *w)
{
	char buf[64];

	while (read(w->reqpipe[0], buf, sizeof(buf)) > 0)
		;
}

/* One SYNC_DONE per ticket the request carries (one with ticket 0 for a
 * background sync), so every caller waiting for a merged request hears. */
static void
post_done(struct worker *w, const struct worker_req *r, int status,
    const char *text)
{
	struct cache_event ev;
	size_t i;

	memset(&ev, 0, sizeof(ev));
	ev.kind = r && r->kind == WORKER_SEND ? CACHE_EV_SEND_DONE :
	    CACHE_EV_SYNC_DONE;
	ev.account = w->idx;
	ev.status = status;
	ev.folder_id = r ? r->folder_id : 0;
	__atomic_load(&w->stats.new_msgs, &ev.stats.new_msgs, __ATOMIC_SEQ_CST);
	__atomic_load(&w->stats.changed, &ev.stats.changed, __ATOMIC_SEQ_CST);
	__atomic_load(&w->stats.removed, &ev.stats.removed, __ATOMIC_SEQ_CST);
	ev.stats.ops_sent = w->stats.ops_sent;
	ev.stats.ops_failed = w->stats.ops_failed;
	ev.stats.sent = w->stats.sent;
	ev.stats.send_failed = w->stats.send_failed;
	if (text)
		str_lcpy(ev.text, text, sizeof(ev.text));
	if (r == NULL || r->ntickets == 0) {
		cache_post(w->c, &ev);
		return;
	}
	for (i = 0; i < r->ntickets; i++) {
		ev.ticket = r->tickets[i];
		cache_post(w->c, &ev);
	}
}

static void
add_tickets(struct worker_req *to, const uint64_t *t, size_t n)
{
	if (n == 0)
		return;
	to->tickets = xreallocarray(to->tickets, to->ntickets + n,
	    sizeof(*to->tickets));
	memcpy(to->tickets + to->ntickets, t, n * sizeof(*t));
	to->ntickets += n;
}

/* Queues a request (lock held), merged into none. */
static struct worker_req *
append_req(struct worker *w, enum worker_req_kind kind, int64_t folder_id,
    unsigned flags, const uint64_t *t, size_t nt)
{
	struct worker_req *r;

	if (w->nreq == w->capreq) {
		w->capreq = w->capreq ? w->capreq * 2 : 16;
		w->req = xreallocarray(w->req, w->capreq, sizeof(*w->req));
	}
	r = &w->req[w->nreq++];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->folder_id = folder_id;
	r->flags = flags;
	add_tickets(r, t, nt);
	return r;
}

/* Queues a sync or send (lock held), merged into one of its kind for
 * the same folder. */
static struct worker_req *
queue_kind(struct worker *w, enum worker_req_kind kind, int64_t folder_id,
    unsigned flags, const uint64_t *t, size_t nt)
{
	size_t k;

	for (k = 0; k < w->nreq; k++)
		if (w->req[k].kind == kind &&
		    w->req[k].folder_id == folder_id) {
			w->req[k].flags |= flags;
			add_tickets(&w->req[k], t, nt);
			return &w->req[k];
		}
	return append_req(w, kind, folder_id, flags, t, nt);
}

static struct worker_req *
queue_sync(struct worker *w, int64_t folder_id, unsigned flags,
    const uint64_t *t, size_t nt)
{
	return queue_kind(w, WORKER_SYNC, folder_id, flags, t, nt);
}

static void
req_free(struct worker_req *r)
{
	free(r->tickets);
	free(r->name);
	free(r->newname);
}

/* The answer to a cache_folder_op() (cache.h): what was done, or why
 * nothing was. */
static void
folder_done(struct worker *w, const struct worker_req *r, int status,
    const char *why)
{
	static const char *const verb[] = {
		[CACHE_FOLDER_CREATE] = "create",
		[CACHE_FOLDER_RENAME] = "rename",
		[CACHE_FOLDER_DELETE] = "delete",
		[CACHE_FOLDER_SUBSCRIBE] = "subscribe to",
		[CACHE_FOLDER_UNSUBSCRIBE] = "unsubscribe from",
	};
	struct cache_event ev;
	struct buf b = BUF_INIT, c = BUF_INIT;

	memset(&ev, 0, sizeof(ev));
	ev.kind = CACHE_EV_FOLDER_DONE;
	ev.account = w->idx;
	ev.status = status;
	ev.ticket = r->ntickets ? r->tickets[0] : 0;
	if (status == 0 && r->fop == CACHE_FOLDER_RENAME)
		buf_printf(&b, "Renamed %s to %s", r->name, r->newname);
	else if (status == 0)
		buf_printf(&b, "%s %s", r->fop == CACHE_FOLDER_CREATE ?
		    "Created" : r->fop == CACHE_FOLDER_DELETE ? "Deleted" :
		    r->fop == CACHE_FOLDER_SUBSCRIBE ? "Subscribed to" :
		    "Unsubscribed from", r->name);
	else
		buf_printf(&b, "Could not %s %s: %s", verb[r->fop], r->name,
		    why);
	str_clean_display(&c, buf_cstr(&b), b.len, 0);
	str_lcpy(ev.text, buf_cstr(&c), sizeof(ev.text));
	buf_free(&b);
	buf_free(&c);
	cache_post(w->c, &ev);
}

/*
 * The thread ends on an error (or at shutdown): every sync still queued
 * is answered with it, and later requests fail at once with it instead
 * of waiting for a thread that is gone.
 */
static void
fail_queued(struct worker *w, const char *why, int dead)
{
	struct worker_req *q;
	size_t i, n;

	pthread_mutex_lock(&w->lock);
	q = w->req;
	n = w->nreq;
	w->req = NULL;
	w->nreq = w->capreq = 0;
	if (dead) {
		w->dead = 1;
		str_lcpy(w->dead_error, why, sizeof(w->dead_error));
	}
	pthread_mutex_unlock(&w->lock);
	for (i = 0; i < n; i++) {
		if ((q[i].kind == WORKER_SYNC || q[i].kind == WORKER_SEND) &&
		    q[i].ntickets)
			post_done(w, &q[i], -1, why);
		if (q[i].kind == WORKER_FOLDER)
			folder_done(w, &q[i], -1, why);
		req_free(&q[i]);
	}
	free(q);
}

/*
 * Replays the queued changes.  A change the server refused was undone
 * by the driver, or is at its folder's next sync, which is queued here
 * (when no sync follows anyway: in_sync).
 */
static void
replay_ops(struct worker *w, int in_sync)
{
	struct db_op op;
	struct error err;
	int64_t after = 0, refused = 0;
	int rc;

	while (!stopping(w) && db_op_next(w->ctx.db, w->ctx.acct->name, after,
	    &op, &err) == 1) {
		after = op.id;
		error_clear(&err);
		rc = w->drv->replay_op ? w->drv->replay_op(&w->ctx, &op, &err) :
		    db_op_done(w->ctx.db, op.id, &err);
		if (rc < 0) {
			log_warn("%s: change %lld refused: %s", w->ctx.acct->name,
			    (long long)op.id, err.msg);
			db_op_fail(w->ctx.db, op.id, err.msg, NULL);
			w->stats.ops_failed++;
			if (refused == 0)
				refused = op.folder_id;
		} else if (rc == 0)
			w->stats.ops_sent++;
		db_op_clear(&op);
		if (rc == 1)
			break; /* offline: later */
	}
	if (refused && !in_sync) {
		pthread_mutex_lock(&w->lock);
		queue_sync(w, refused, 0, NULL, 0);
		pthread_mutex_unlock(&w->lock);
	}
}

static int send_outbox(struct worker *w, struct error *err);

static void
do_sync(struct worker *w, const struct worker_req *r)
{
	struct error err;
	int rc;

	error_clear(&err);
	if (!r->resumed)
		memset(&w->stats, 0, sizeof(w->stats));
	cache_set_state(w->c, w->idx, ACCOUNT_SYNCING, NULL);
	replay_ops(w, 1);
	rc = w->drv->sync(&w->ctx, r->folder_id, r->flags, &err);
	if (rc == 1 && !stopping(w)) { /* interrupted: serve, then resume */
		pthread_mutex_lock(&w->lock);
		queue_sync(w, r->folder_id, r->flags, r->tickets,
		    r->ntickets)->resumed = 1;
		pthread_mutex_unlock(&w->lock);
		wake(w);
		return;
	}
	if (rc == 0) {
		struct error serr;

		replay_ops(w, 0);
		/* A sync also sends what waits; a message that cannot go
		 * now is the outbox's to show, not a failed sync.  Back
		 * online after an error: what waited on the connection goes
		 * now, not when its back-off ends. */
		error_clear(&serr);
		if (!w->online &&
		    outbox_due_now(w->ctx.db, w->ctx.acct->name, &serr) < 0) {
			log_warn("%s: %s", w->ctx.acct->name, serr.msg);
			error_clear(&serr);
		}
		(void)send_outbox(w, &serr);
		db_account_set(w->ctx.db, w->ctx.acct->name, time(NULL), NULL,
		    NULL);
		cache_set_state(w->c, w->idx, ACCOUNT_ONLINE, NULL);
		w->online = 1;
		post_done(w, r, 0, NULL);
		worker_new_mail_hook(w);
		w->next_ms = POLL_INTERVAL_MS;
		return;
	}
	if (!error_isset(&err))
		error_set(&err, "synchronisation was cancelled");
	log_warn("%s: %s", w->ctx.acct->name, err.msg);
	w->online = 0;
	/* The last sync that worked stays known (-1 keeps its time). */
	db_account_set(w->ctx.db, w->ctx.acct->name, -1, err.msg, NULL);
	if (w->drv->disconnect)
		w->drv->disconnect(&w->ctx);
	cache_set_state(w->c, w->idx, stopping(w) ? ACCOUNT_OFFLINE : ACCOUNT_ERROR,
	    err.msg);
	post_done(w, r, -1, err.msg);
	w->next_ms = RETRY_MS;
}

/* The outbox; 0, or -1 with the sentence of what did not go in err. */
static int
send_outbox(struct worker *w, struct error *err)
{
	struct send_stats st;

	if (cache_send_pass(&w->ctx, &st, err) < 0) {
		log_warn("%s: sending: %s", w->ctx.acct->name, err->msg);
		return -1;
	}
	w->stats.sent += st.sent;
	w->stats.send_failed += st.failed + st.deferred;
	if (st.sent)
		replay_ops(w, 0); /* the Sent copies */
	if (st.failed || st.deferred) {
		error_set(err, "%s", st.error.msg);
		return -1;
	}
	return 0;
}

static void
do_send(struct worker *w, const struct worker_req *r)
{
	struct error err;
	int rc;

	error_clear(&err);
	memset(&w->stats, 0, sizeof(w->stats));
	rc = send_outbox(w, &err);
	post_done(w, r, rc, rc < 0 ? err.msg : NULL);
}

static void
do_fetch(struct worker *w, const struct worker_req *r)
{
	struct cache_event ev;
	struct error err;

	error_clear(&err);
	memset(&ev, 0, sizeof(ev));
	ev.account = w->idx;
	ev.folder_id = r->folder_id;
	ev.msg_id = r->msg_id;
	if (w->drv->fetch_body == NULL)
		error_set(&err, "this account cannot fetch message bodies");
	if (w->drv->fetch_body == NULL ||
	    w->drv->fetch_body(&w->ctx, r->msg_id, &err) < 0) {
		ev.kind = CACHE_EV_BODY_FAILED;
		str_lcpy(ev.text, err.msg, sizeof(ev.text));
		cache_post(w->c, &ev);
	}
	/* On success cache_sync_store_body posted BODY_READY. */
}

/* A folder operation runs on the server at once or not at all: the
 * queued changes go first (a move into a folder about to be renamed
 * keeps its meaning), and a session that cannot be had is the answer,
 * so nothing waits offline for a later surprise (doc/HACKING.md,
 * Managing folders). */
static void
do_folder(struct worker *w, const struct worker_req *r)
{
	struct error err;
	enum account_state prev;
	char prev_error[ERROR_MAX];
	int rc;

	error_clear(&err);
	pthread_mutex_lock(&w->c->lock);
	prev = w->c->states[w->idx];
	str_lcpy(prev_error, w->c->errors[w->idx], sizeof(prev_error));
	pthread_mutex_unlock(&w->c->lock);
	if (r->fop == CACHE_FOLDER_RENAME || r->fop == CACHE_FOLDER_DELETE)
		replay_ops(w, 0);
	if (w->drv->folder_op == NULL)
		rc = error_set(&err, "%s accounts have no folders on the "
		    "server", w->drv->protocol);
	else
		rc = w->drv->folder_op(&w->ctx, r->fop, r->name, r->newname,
		    &err);
	if (rc == 0) {
		w->online = 1;
		cache_set_state(w->c, w->idx, ACCOUNT_ONLINE, NULL);
	} else {
		log_warn("%s: %s", w->ctx.acct->name, err.msg);
		cache_set_state(w->c, w->idx, prev, prev_error[0] ?
		    prev_error : NULL);
	}
	folder_done(w, r, rc, err.msg);
	if (rc == 0 && r->fop == CACHE_FOLDER_RENAME) {
		/* Its next sync tells whether the server kept the
		 * UIDVALIDITY (messages kept) or not (read again). */
		struct db_folder f;

		if (db_folder_find(w->ctx.db, w->ctx.acct->name, r->newname,
		    &f, &err) == 1) {
			pthread_mutex_lock(&w->lock);
			queue_sync(w, f.id, 0, NULL, 0);
			pthread_mutex_unlock(&w->lock);
			db_folder_clear(&f);
		}
	}
}

static void *
run(void *arg)
{
	struct worker *w = arg;
	struct worker_req r;
	struct pollfd pfd;
	struct error err;

	error_clear(&err);
	if (db_open(w->c->db_path, &w->ctx.db, &err) < 0 ||
	    (w->drv->local->worker_open &&
	    w->drv->local->worker_open(&w->ctx, &err) < 0)) {
		cache_set_state(w->c, w->idx, ACCOUNT_ERROR, err.msg);
		fail_queued(w, err.msg, 1);
		goto out;
	}
	while (!stopping(w)) {
		if (!take(w, &r)) {
			if (w->idle_sync) {
				/* The timer: background sync again. */
				w->idle_sync = 0;
				pthread_mutex_lock(&w->lock);
				queue_sync(w, 0, 0, NULL, 0);
				pthread_mutex_unlock(&w->lock);
				continue;
			}
			pfd.fd = w->reqpipe[0];
			pfd.events = POLLIN;
			if (w->drv->idle && w->online) {
				int rc = w->drv->idle(&w->ctx, w->next_ms, &err);

				if (rc == 0)
					w->idle_sync = 1;
				else if (rc < 0 && w->drv->disconnect) {
					w->drv->disconnect(&w->ctx);
					w->online = 0;
				}
				/* A session the server ended (Gmail drops an
				 * IDLE after some minutes) is made again at
				 * once: a wake-up byte already taken must not
				 * leave the account offline until the timer. */
				if (rc < 0 || (rc != 0 && poll(&pfd, 1, 0) == 0))
					w->idle_sync = 1;
			} else if (poll(&pfd, 1, w->next_ms) == 0)
				w->idle_sync = 1;
			drain(w);
			continue;
		}
		switch (r.kind) {
		case WORKER_FETCH: do_fetch(w, &r); break;
		case WORKER_FOLDER: do_folder(w, &r); break;
		case WORKER_OPS: replay_ops(w, 0); break;
		case WORKER_SEND: do_send(w, &r); break;
		case WORKER_SYNC: do_sync(w, &r); break;
		}
		req_free(&r);
	}
	if (w->drv->disconnect)
		w->drv->disconnect(&w->ctx);
	fail_queued(w, "synchronisation was cancelled", 0);
out:
	maildir_close(&w->ctx.md);
	db_close(&w->ctx.db);
	cache_set_state(w->c, w->idx, ACCOUNT_OFFLINE, NULL);
	return NULL;
}

int
worker_start(struct cache *c, size_t i, struct error *err)
{
	const struct cache_driver *drv;
	struct worker *w;

	if (c->workers[i]) {
		int dead;

		pthread_mutex_lock(&c->workers[i]->lock);
		dead = c->workers[i]->dead;
		pthread_mutex_unlock(&c->workers[i]->lock);
		if (!dead)
			return 0;
		/* It ended on an error (say, the Maildir could not be
		 * opened): a new request gets a new try. */
		worker_stop(&c->workers[i]);
	}
	if ((drv = cache_driver_find(c->accounts[i].protocol)) == NULL)
		return error_set(err, "syncing %s accounts is not available "
		    "yet (account %s)",
		    config_protocol_name(c->accounts[i].protocol),
		    c->accounts[i].name);
	w = xcalloc(1, sizeof(*w));
	w->c = c;
	w->idx = i;
	w->drv = drv;
	w->next_ms = POLL_INTERVAL_MS;
	w->cancel_fd = -1;
	w->ctx.w = w;
	w->ctx.acct = &c->accounts[i];
	pthread_mutex_init(&w->lock, NULL);
	pthread_mutex_init(&w->arrival_lock, NULL);
	if (pipe2(w->reqpipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		error_errno(err, errno, "cannot create a request pipe");
		pthread_mutex_destroy(&w->lock);
		pthread_mutex_destroy(&w->arrival_lock);
		free(w);
		return -1;
	}
	cache_set_state(c, i, ACCOUNT_CONNECTING, NULL);
	if ((errno = pthread_create(&w->thread, NULL, run, w)) != 0) {
		error_errno(err, errno, "cannot start the sync worker");
		close(w->reqpipe[0]);
		close(w->reqpipe[1]);
		pthread_mutex_destroy(&w->lock);
		pthread_mutex_destroy(&w->arrival_lock);
		free(w);
		cache_set_state(c, i, ACCOUNT_OFFLINE, NULL);
		return -1;
	}
	c->workers[i] = w;
	return 0;
}

int
worker_request(struct cache *c, size_t i, enum worker_req_kind kind,
    int64_t folder_id, int64_t msg_id, unsigned flags)
{
	struct worker *w = i < c->naccounts ? c->workers[i] : NULL;
	size_t k;

	if (w == NULL)
		return -1;
	pthread_mutex_lock(&w->lock);
	if (kind == WORKER_SYNC || kind == WORKER_SEND) {
		queue_kind(w, kind, folder_id, flags, NULL, 0);
		pthread_mutex_unlock(&w->lock);
		wake(w);
		return 0;
	}
	/* One ops request is enough. */
	for (k = 0; k < w->nreq; k++)
		if (w->req[k].kind == kind && kind != WORKER_FETCH &&
		    w->req[k].folder_id == folder_id) {
			w->req[k].flags |= flags;
			pthread_mutex_unlock(&w->lock);
			wake(w);
			return 0;
		}
	if (w->nreq == w->capreq) {
		w->capreq = w->capreq ? w->capreq * 2 : 16;
		w->req = xreallocarray(w->req, w->capreq, sizeof(*w->req));
	}
	memset(&w->req[w->nreq], 0, sizeof(w->req[w->nreq]));
	w->req[w->nreq].kind = kind;
	w->req[w->nreq].folder_id = folder_id;
	w->req[w->nreq].msg_id = msg_id;
	w->req[w->nreq].flags = flags;
	w->nreq++;
	pthread_mutex_unlock(&w->lock);
	wake(w);
	return 0;
}

/* Account i's worker with its lock held, or NULL (err) when none runs
 * or it has stopped for good. */
static struct worker *
live_worker(struct cache *c, size_t i, struct error *err)
{
	struct worker *w = i < c->naccounts ? c->workers[i] : NULL;

	if (w == NULL) {
		error_set(err, "no sync worker runs for this account");
		return NULL;
	}
	pthread_mutex_lock(&w->lock);
	if (w->dead) {
		error_set(err, "%s", w->dead_error);
		pthread_mutex_unlock(&w->lock);
		return NULL;
	}
	return w;
}

static int
request_ticket(struct cache *c, size_t i, enum worker_req_kind kind,
    int64_t folder_id, unsigned flags, uint64_t ticket, struct error *err)
{
	struct worker *w = live_worker(c, i, err);

	if (w == NULL)
		return -1;
	queue_kind(w, kind, folder_id, flags, &ticket, ticket ? 1 : 0);
	pthread_mutex_unlock(&w->lock);
	wake(w);
	return 0;
}

int
worker_request_sync(struct cache *c, size_t i, int64_t folder_id,
    unsigned flags, uint64_t ticket, struct error *err)
{
	return request_ticket(c, i, WORKER_SYNC, folder_id, flags, ticket,
	    err);
}

int
worker_request_send(struct cache *c, size_t i, uint64_t ticket,
    struct error *err)
{
	return request_ticket(c, i, WORKER_SEND, 0, 0, ticket, err);
}

int
worker_request_folder(struct cache *c, size_t i, enum cache_folder_op op,
    const char *name, const char *newname, uint64_t ticket,
    struct error *err)
{
	struct worker *w = live_worker(c, i, err);
	struct worker_req *r;

	if (w == NULL)
		return -1;
	r = append_req(w, WORKER_FOLDER, 0, 0, &ticket, 1);
	r->fop = op;
	r->name = xstrdup(name);
	r->newname = newname ? xstrdup(newname) : NULL;
	pthread_mutex_unlock(&w->lock);
	wake(w);
	return 0;
}

void
worker_stop(struct worker **wp)
{
	struct worker *w = *wp;

	if (w == NULL)
		return;
	__atomic_store_n(&w->stop, 1, __ATOMIC_SEQ_CST);
	wake(w);
	pthread_mutex_lock(&w->lock);
	if (w->cancel_fd >= 0)
		shutdown(w->cancel_fd, SHUT_RDWR);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	close(w->reqpipe[0]);
	close(w->reqpipe[1]);
	pthread_mutex_destroy(&w->lock);
	for (size_t k = 0; k < w->nreq; k++)
		req_free(&w->req[k]);
	free(w->req);
	free(w->arrivals);
	pthread_mutex_destroy(&w->arrival_lock);
	free(w);
	*wp = NULL;
}

int
worker_watch(struct cache *c, size_t i, int64_t folder_id)
{
	struct worker *w = i < c->naccounts ? c->workers[i] : NULL;
	int changed;

	if (w == NULL)
		return -1;
	pthread_mutex_lock(&w->lock);
	changed = w->watch != folder_id;
	w->watch = folder_id;
	pthread_mutex_unlock(&w->lock);
	if (changed && w->drv->idle)
		wake(w); /* an IDLE on the old folder ends */
	return 0;
}

int
cache_sync_interrupted(struct cache_sync_ctx *ctx)
{
	struct worker *w = ctx->w;
	size_t i;
	int urgent;

	if (__atomic_load_n(&w->stop, __ATOMIC_SEQ_CST))
		return 1;
	drain(w);
	pthread_mutex_lock(&w->lock);
	for (i = 0, urgent = 0; i < w->nreq; i++)
		if (w->req[i].kind == WORKER_FETCH ||
		    w->req[i].kind == WORKER_FOLDER)
			urgent = 1;
	pthread_mutex_unlock(&w->lock);
	return urgent;
}
