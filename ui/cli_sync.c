/* postie sync [ACCOUNT...] [--bodies]: the workers, headless. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache/cache.h"
#include "core/xalloc.h"
#include "ui/cli.h"

static void
progress(const struct cache *c, const struct cache_event *ev)
{
	const struct account *a = cache_account(c, ev->account);

	printf("\r\033[K%s: %s", a->name, ev->text);
	if (ev->total)
		printf(" %llu/%llu", (unsigned long long)ev->done,
		    (unsigned long long)ev->total);
	else if (ev->done)
		printf(" %llu", (unsigned long long)ev->done);
	if (ev->bytes)
		printf(" (%llu KB)", (unsigned long long)(ev->bytes / 1024));
	fflush(stdout);
}

int
cli_sync(const struct cli_opts *opts, int argc, char **argv)
{
	struct cache *c = NULL;
	struct config *cfg;
	struct cache_event ev;
	struct error err;
	unsigned flags = 0;
	size_t i, n = 0, waiting = 0, acct, *idx = NULL;
	char *first_error = NULL;
	int tty = isatty(STDOUT_FILENO), shown = 0, rc = 1, a;
	struct pollfd pfd;

	for (a = 1; a < argc; a++)
		if (strcmp(argv[a], "--bodies") == 0)
			flags |= CACHE_SYNC_BODIES;
		else if (argv[a][0] == '-')
			return cli_fail("usage: postie sync [ACCOUNT...] "
			    "[--bodies]"), 2;
	if ((cfg = cli_load_config(opts)) == NULL)
		return 1;
	error_clear(&err);
	if (cache_open(cfg, NULL, &c, &err) < 0) {
		cli_fail("%s", err.msg);
		goto out;
	}
	idx = xcalloc(cache_naccounts(c) + (size_t)argc, sizeof(*idx));
	for (a = 1; a < argc; a++) {
		if (argv[a][0] == '-')
			continue;
		if (cache_account_find(c, argv[a], &acct, &err) < 0) {
			cli_fail("%s", err.msg);
			goto out;
		}
		idx[n++] = acct;
	}
	if (n == 0)
		for (i = 0; i < cache_naccounts(c); i++)
			idx[n++] = i;
	if (n == 0) {
		cli_fail("no account in the configuration");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (cache_request_sync(c, idx[i], 0, flags, &err) < 0) {
			if (first_error == NULL)
				first_error = xstrdup(err.msg);
			continue;
		}
		waiting++;
	}
	pfd.fd = cache_event_fd(c);
	pfd.events = POLLIN;
	while (waiting > 0) {
		if (poll(&pfd, 1, -1) < 0 && errno != EINTR) {
			cli_fail("poll: %s", strerror(errno));
			goto out;
		}
		while (cache_event_read(c, &ev) == 1) {
			if (ev.kind == CACHE_EV_PROGRESS && tty) {
				progress(c, &ev);
				shown = 1;
			} else if (ev.kind == CACHE_EV_SYNC_DONE) {
				waiting--;
				if (ev.status < 0 && first_error == NULL) {
					size_t len = strlen(cache_account(c,
					    ev.account)->name) + strlen(ev.text) + 3;

					first_error = xmalloc(len);
					snprintf(first_error, len, "%s: %s",
					    cache_account(c, ev.account)->name,
					    ev.text);
				}
			}
		}
	}
	if (shown)
		printf("\r\033[K");
	rc = first_error ? cli_fail("%s", first_error) : 0;
out:
	free(first_error);
	free(idx);
	cache_close(&c);
	config_free(&cfg);
	return rc;
}
