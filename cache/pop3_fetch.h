/*
 * pop3_fetch: the POP3 download on its own thread, so that the network
 * never waits for the disk or the index (sync_pop3.c; doc/HACKING.md,
 * Threads and who owns what).
 *
 * pop3_fetch_start() starts a thread that owns the session until
 * pop3_fetch_end(): it RETRs the given messages in one pipelined run,
 * writes each into tmp/ of the account's Maildir (maildir.h: begin,
 * write, finish; never commit) and queues it, in the server's order.  The
 * worker thread takes queued messages with pop3_fetch_take() and does
 * every commit, record and index itself: the fetch thread touches no
 * database and posts nothing but progress.  A second thread creates the
 * files in tmp/ a few messages ahead of it and prepares each
 * queued message for the index in between (parse, render the text for
 * search: cache_msg_prepare), so that the worker only writes; the worker
 * is handed prepared messages only, in the server's order.
 *
 * The three threads hand messages and files on through core/pipeline
 * queues (bounded, with a stop flag and a join).
 *
 * Memory and descriptors stay bounded: at most FETCH_QUEUE_MSGS messages
 * wait, half of them downloaded, half prepared (each with at most FETCH_HEAD_MAX bytes of head, or once prepared
 * its summary and at most 64 KB of search words), and at most 32 files
 * are created ahead; while the queue is full the thread stops reading
 * and the server waits.
 *
 * A delivery handed out is the taker's (commit or abort it); pop3_fetch_end
 * removes the files created ahead and never used.  Nothing here renames
 * into new/, so a crash leaves at most files in tmp/ (maildir.c removes
 * old ones).
 */
#ifndef POSTIE_CACHE_POP3_FETCH_H
#define POSTIE_CACHE_POP3_FETCH_H

#include <stddef.h>
#include <stdint.h>

#include "cache/driver.h"
#include "core/buf.h"
#include "core/error.h"
#include "net/pop3.h"

#define FETCH_HEAD_MAX (32 * 1024) /* what the index parses */
#define FETCH_QUEUE_MSGS 256

struct pop3_fetch;

/* One downloaded message, complete in tmp/. */
struct pop3_fetched {
	unsigned num;
	const char *uidl;           /* msgs[i].uidl; "" without UIDL */
	struct maildir_delivery *d; /* finished, not committed */
	struct buf head;            /* its first FETCH_HEAD_MAX bytes, */
	struct cache_msg_prep prep; /* ... or, once ready, what they index */
	uint64_t size;
};

/*
 * Starts the thread on msgs[want[0..n-1]] (msgs outlives the fetch).  p
 * must not be used by the caller until pop3_fetch_end().
 */
int pop3_fetch_start(struct cache_sync_ctx *ctx, struct pop3 *p,
    const struct pop3_msg *msgs, const size_t *want, size_t n,
    struct pop3_fetch **f_r, struct error *err);
/*
 * Waits until at least min messages (or min_bytes of them) are queued or
 * the run ended, then moves up to max of them to out[] (the caller owns
 * them).  *n_r == 0 means every message was handed out.  -1: the
 * download failed (err); messages queued before the failure are still
 * handed out first.
 */
int pop3_fetch_take(struct pop3_fetch *f, size_t min, uint64_t min_bytes,
    size_t max, struct pop3_fetched *out, size_t *n_r, struct error *err);
/* Frees what a taken message holds besides its delivery (aborted). */
void pop3_fetched_clear(struct pop3_fetched *m);
/*
 * Ends the fetch: if it still runs, shuts the connection down so that it
 * stops at once; joins the thread; aborts the deliveries never taken.
 * Returns 0 when every RETR was answered (the session can go on: DELE,
 * QUIT), -1 when it is unusable.
 */
int pop3_fetch_end(struct pop3_fetch **f);

#endif
