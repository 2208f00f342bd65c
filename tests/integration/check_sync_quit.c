/*
 * Quit during a sync (check_sync_quit.py): starts a sync of the account,
 * waits until its header fill is complete (a progress event with done
 * equal to total, at least min_total), lets the sync go on for delay_ms,
 * then closes the cache as quitting does (cache_close: cancel and join
 * the worker) and times that.  Exit 0 when the close took at most
 * bound_ms and the sync had not ended before it (else the test proved
 * nothing).
 * Usage: check_sync_quit CONFIG ACCOUNT MIN_TOTAL DELAY_MS BOUND_MS
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache/cache.h"
#include "core/clock.h"
#include "core/config.h"

int
main(int argc, char **argv)
{
	struct config *cfg = NULL;
	struct cache *c = NULL;
	struct cache_event ev;
	struct error err;
	struct pollfd pfd;
	unsigned long min_total, delay, bound;
	int64_t t0, filled = 0, took;
	size_t acct;
	int ended = 0;

	if (argc < 6) {
		fprintf(stderr, "usage: check_sync_quit CONFIG ACCOUNT "
		    "MIN_TOTAL DELAY_MS BOUND_MS\n");
		return 2;
	}
	min_total = strtoul(argv[3], NULL, 10);
	delay = strtoul(argv[4], NULL, 10);
	bound = strtoul(argv[5], NULL, 10);
	error_clear(&err);
	if (config_load(argv[1], &cfg, &err) < 0 ||
	    cache_open(cfg, NULL, &c, &err) < 0 ||
	    cache_account_find(c, argv[2], &acct, &err) < 0 ||
	    cache_request_sync(c, acct, 0, 0, NULL, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	pfd.fd = cache_event_fd(c);
	pfd.events = POLLIN;
	while (!ended && (filled == 0 || clock_ms() < filled + (int64_t)delay)) {
		poll(&pfd, 1, 50);
		while (cache_event_read(c, &ev) == 1) {
			if (ev.kind == CACHE_EV_SYNC_DONE) {
				printf("sync ended (%d: %s)\n", ev.status,
				    ev.text);
				ended = 1;
			} else if (ev.kind == CACHE_EV_PROGRESS &&
			    filled == 0 && ev.total >= min_total &&
			    ev.done >= ev.total) {
				printf("fill complete: %llu\n",
				    (unsigned long long)ev.done);
				filled = clock_ms();
			}
		}
	}
	t0 = clock_ms();
	cache_close(&c);
	took = clock_ms() - t0;
	printf("quit took %lld ms (bound %lu)\n", (long long)took, bound);
	config_free(&cfg);
	if (ended) {
		printf("the sync ended before quit: nothing was proved\n");
		return 1;
	}
	return took <= (int64_t)bound ? 0 : 1;
}
