/*
 * sync_ctx: the context a driver sees (struct cache_sync_ctx, contract in
 * cache/driver.h): its account, database, body store and the events it
 * posts, read from the worker that runs it.  Apart from worker.c so that
 * the drivers and the send engine call down into it, never back up into
 * the worker's loop (doc/HACKING.md, Threads and who owns what).
 */
#include "config.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cache/cache_int.h"
#include "cache/send.h"
#include "cache/worker_int.h"
#include "core/str.h"

const struct account *
cache_sync_account(struct cache_sync_ctx *ctx)
{
	return ctx->acct;
}

struct db *
cache_sync_db(struct cache_sync_ctx *ctx)
{
	return ctx->db;
}

void *
cache_sync_data(struct cache_sync_ctx *ctx)
{
	return ctx->data;
}

void
cache_sync_set_data(struct cache_sync_ctx *ctx, void *data)
{
	ctx->data = data;
}

int64_t
cache_sync_watched(struct cache_sync_ctx *ctx)
{
	int64_t id;

	pthread_mutex_lock(&ctx->w->lock);
	id = ctx->w->watch;
	pthread_mutex_unlock(&ctx->w->lock);
	return id;
}

int
cache_sync_request_fd(struct cache_sync_ctx *ctx)
{
	return ctx->w->reqpipe[0];
}

void
cache_sync_set_cancel_fd(struct cache_sync_ctx *ctx, int fd)
{
	pthread_mutex_lock(&ctx->w->lock);
	ctx->w->cancel_fd = fd;
	pthread_mutex_unlock(&ctx->w->lock);
}

int
cache_sync_cancelled(struct cache_sync_ctx *ctx)
{
	return __atomic_load_n(&ctx->w->stop, __ATOMIC_SEQ_CST);
}

void
cache_sync_progress(struct cache_sync_ctx *ctx, const char *what,
    uint64_t done, uint64_t total, uint64_t bytes)
{
	struct cache_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = CACHE_EV_PROGRESS;
	ev.account = ctx->w->idx;
	ev.done = done;
	ev.total = total;
	ev.bytes = bytes;
	str_lcpy(ev.text, what ? what : "", sizeof(ev.text));
	cache_post(ctx->w->c, &ev);
}

void
cache_sync_count(struct cache_sync_ctx *ctx, enum cache_sync_count what,
    unsigned n)
{
	struct cache_sync_stats *st = &ctx->w->stats;
	unsigned *p = what == CACHE_COUNT_NEW ? &st->new_msgs :
	    what == CACHE_COUNT_CHANGED ? &st->changed : &st->removed;

	__atomic_add_fetch(p, n, __ATOMIC_SEQ_CST);
}

void
cache_sync_outbox_changed(struct cache_sync_ctx *ctx)
{
	struct cache_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = CACHE_EV_OUTBOX;
	ev.account = ctx->w->idx;
	cache_post(ctx->w->c, &ev);
}

static void
post_text(struct cache_sync_ctx *ctx, enum cache_event_kind kind,
    int64_t folder_id, const char *text)
{
	struct cache_event ev;
	struct buf b = BUF_INIT;

	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.account = ctx->w->idx;
	ev.folder_id = folder_id;
	if (text)
		str_clean_display(&b, text, strlen(text), 0);
	str_lcpy(ev.text, b.data ? b.data : "", sizeof(ev.text));
	buf_free(&b);
	cache_post(ctx->w->c, &ev);
}

void
cache_sync_alert(struct cache_sync_ctx *ctx, const char *text)
{
	post_text(ctx, CACHE_EV_ALERT, 0, text);
}

void
cache_sync_refused(struct cache_sync_ctx *ctx, int64_t folder_id,
    const char *text)
{
	post_text(ctx, CACHE_EV_REFUSED, folder_id, text);
}

void
cache_sync_state(struct cache_sync_ctx *ctx, enum account_state state)
{
	cache_set_state(ctx->w->c, ctx->w->idx, state, NULL);
}

void
cache_sync_folder_changed(struct cache_sync_ctx *ctx, int64_t folder_id)
{
	struct cache_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = folder_id ? CACHE_EV_FOLDER_CHANGED :
	    CACHE_EV_FOLDERS_CHANGED;
	ev.account = ctx->w->idx;
	ev.folder_id = folder_id;
	cache_post(ctx->w->c, &ev);
}

struct bodies *
cache_sync_bodies(struct cache_sync_ctx *ctx)
{
	return ctx->w->c->bodies;
}
