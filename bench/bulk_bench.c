/*
 * bulk_bench: a bulk move of tagged messages as the index screen makes
 * it (cache_bulk), until the server has it, for bench/bulk-move.
 *
 *   bulk_bench CONFIG ACCOUNT COUNT DEST
 *
 * Syncs the account first (not timed), takes the COUNT oldest messages
 * of INBOX by arrival, then times: the local change (cache_bulk: index
 * and queue in one transaction), and from there until the queue is
 * empty: the worker (connected and idle after the first sync) replayed
 * it, the MOVE commands, and recorded the answers.  A refusal fails the
 * run.  Prints rows "work<TAB>seconds", wall time and then this
 * process's CPU time.  Nothing is asserted.
 */
#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench/bench.h"
#include "cache/cache.h"
#include "core/xalloc.h"

/* Waits for the SYNC_DONE of ticket: its event, or NULL after 600 s. */
static int
wait_ticket(struct cache *c, uint64_t ticket, struct cache_event *ev)
{
	struct pollfd p = { cache_event_fd(c), POLLIN, 0 };
	double until = bench_now() + 600;

	while (bench_now() < until) {
		while (cache_event_read(c, ev) == 1)
			if (ev->kind == CACHE_EV_SYNC_DONE &&
			    ev->ticket == ticket)
				return 0;
		(void)poll(&p, 1, 1000);
	}
	return -1;
}

static int
sync_wait(struct cache *c, size_t a, int64_t fid, struct cache_event *ev,
    struct error *err)
{
	uint64_t t;

	if (cache_request_sync(c, a, fid, 0, &t, err) < 0)
		return -1;
	if (wait_ticket(c, t, ev) < 0)
		return error_set(err, "no SYNC_DONE in 600 s");
	if (ev->status < 0)
		return error_set(err, "%s", ev->text);
	return 0;
}

int
main(int argc, char **argv)
{
	struct config *cfg = NULL;
	struct cache *c = NULL;
	struct index *ix = NULL;
	struct cache_event ev;
	struct error err;
	int64_t inbox, dest, *ids;
	size_t a, n, i;
	double t0, t1, t2, c0, c1, c2;

	error_clear(&err);
	if (argc != 5) {
		fprintf(stderr, "usage: bulk_bench CONFIG ACCOUNT COUNT DEST\n");
		return 2;
	}
	n = strtoul(argv[3], NULL, 10);
	if (config_load(argv[1], &cfg, &err) < 0 ||
	    cache_open(cfg, NULL, &c, &err) < 0 ||
	    cache_account_find(c, argv[2], &a, &err) < 0 ||
	    sync_wait(c, a, 0, &ev, &err) < 0 ||
	    cache_folder_find(c, a, "INBOX", &inbox, &err) < 0 ||
	    cache_folder_find(c, a, argv[4], &dest, &err) < 0 ||
	    cache_index_open(c, inbox, INDEX_SORT_ARRIVAL, 0, &ix, &err) < 0)
		goto fail;
	if (index_count(ix) < n) {
		error_set(&err, "INBOX has %zu messages, fewer than %zu",
		    index_count(ix), n);
		goto fail;
	}
	ids = xreallocarray(NULL, n ? n : 1, sizeof(*ids));
	for (i = 0; i < n; i++)
		ids[i] = index_get(ix, i)->id;
	index_free(&ix);
	t0 = bench_now();
	c0 = bench_cpu();
	if (cache_bulk(c, ids, n, CACHE_BULK_MOVE, dest, &err) < 0) {
		free(ids);
		goto fail;
	}
	t1 = bench_now();
	c1 = bench_cpu();
	free(ids);
	/* Until the queue is empty: the worker replayed it and recorded
	 * the server's answers.  Events wake us; 2 ms polls bound the
	 * error of noticing. */
	for (;;) {
		struct cache_account_status st;
		struct pollfd p = { cache_event_fd(c), POLLIN, 0 };

		while (cache_event_read(c, &ev) == 1)
			if (ev.kind == CACHE_EV_REFUSED) {
				error_set(&err, "refused: %s", ev.text);
				goto fail;
			}
		if (cache_account_status(c, a, &st, &err) < 0)
			goto fail;
		if (st.pending_ops == 0)
			break;
		if (bench_now() - t1 > 600) {
			error_set(&err, "%zu changes still queued after 600 s",
			    st.pending_ops);
			goto fail;
		}
		(void)poll(&p, 1, 2);
	}
	t2 = bench_now();
	c2 = bench_cpu();
	/* CPU: this process's, all threads (the worker's in the second). */
	printf("local\t%.4f\nserver\t%.4f\ntotal\t%.4f\nlocal_cpu\t%.4f\n"
	    "server_cpu\t%.4f\n", t1 - t0, t2 - t1, t2 - t0, c1 - c0, c2 - c1);
	cache_close(&c);
	config_free(&cfg);
	return 0;
fail:
	fprintf(stderr, "bulk_bench: %s\n", err.msg);
	index_free(&ix);
	cache_close(&c);
	config_free(&cfg);
	return 1;
}
