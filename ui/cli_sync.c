/* postie sync [ACCOUNT...] [--bodies]: the workers, headless. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache/cache.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "ui/cli.h"

/* One progress line over the last.  Its text names folders, which come
 * from the server: cleaned as the TUI's status line is. */
static void
progress(const struct cache *c, const struct cache_event *ev)
{
	const struct account *a = cache_account(c, ev->account);
	struct buf line = BUF_INIT;

	buf_addstr(&line, "\r\033[K");
	str_clean_display(&line, a->name, strlen(a->name), 0);
	buf_addstr(&line, ": ");
	str_clean_display(&line, ev->text, strnlen(ev->text,
	    sizeof(ev->text)), 0);
	if (ev->total)
		buf_printf(&line, " %llu/%llu", (unsigned long long)ev->done,
		    (unsigned long long)ev->total);
	else if (ev->done)
		buf_printf(&line, " %llu", (unsigned long long)ev->done);
	if (ev->bytes)
		buf_printf(&line, " (%llu KB)",
		    (unsigned long long)(ev->bytes / 1024));
	fwrite(line.data, 1, line.len, stdout);
	fflush(stdout);
	buf_free(&line);
}

/* "NAME: LABELTEXT" and a newline on fp, NAME and TEXT cleaned: TEXT
 * can be the server's own words. */
static void
print_line(FILE *fp, const char *name, const char *label, const char *text)
{
	struct buf b = BUF_INIT;

	str_clean_display(&b, name, strlen(name), 0);
	buf_addstr(&b, ": ");
	buf_addstr(&b, label);
	str_clean_display(&b, text, strlen(text), 0);
	buf_addch(&b, '\n');
	fwrite(b.data, 1, b.len, fp);
	buf_free(&b);
}

/* "work: 12 new, 3 changed, 1 queued change sent" (or "up to date"). */
static void
summary(const char *name, const struct cache_sync_stats *st)
{
	char line[512];
	size_t len = 0;

#define ADD(n, one, many) do { \
		if ((n) && len < sizeof(line)) \
			len += (size_t)snprintf(line + len, sizeof(line) - len, \
			    "%s%u %s", len ? ", " : "", (n), \
			    (n) == 1 ? (one) : (many)); \
	} while (0)
	ADD(st->new_msgs, "new", "new");
	ADD(st->changed, "changed", "changed");
	ADD(st->removed, "removed", "removed");
	ADD(st->ops_sent, "queued change sent", "queued changes sent");
	ADD(st->ops_failed, "queued change refused", "queued changes refused");
#undef ADD
	print_line(stdout, name, "", len ? line : "up to date");
}

struct want {
	size_t account;
	uint64_t ticket;
	int done;
};

int
cli_sync(const struct cli_opts *opts, int argc, char **argv)
{
	struct cache *c = NULL;
	struct config *cfg;
	struct cache_event ev;
	struct error err;
	struct want *want = NULL;
	unsigned flags = 0;
	size_t i, k, n = 0, waiting = 0, acct, failed = 0;
	int tty = isatty(STDOUT_FILENO), quiet = 0, shown = 0, rc = 1, a;
	struct pollfd pfd;

	for (a = 1; a < argc; a++)
		if (strcmp(argv[a], "--bodies") == 0)
			flags |= CACHE_SYNC_BODIES;
		else if (strcmp(argv[a], "-q") == 0 ||
		    strcmp(argv[a], "--quiet") == 0)
			quiet = 1;
		else if (argv[a][0] == '-')
			return cli_fail("usage: postie sync [-q] [ACCOUNT...] "
			    "[--bodies]"), 2;
	if ((cfg = cli_load_config(opts)) == NULL)
		return 1;
	error_clear(&err);
	if (cache_open(cfg, NULL, &c, &err) < 0) {
		cli_fail("%s", err.msg);
		goto out;
	}
	want = xcalloc(cache_naccounts(c) + (size_t)argc, sizeof(*want));
	for (a = 1; a < argc; a++) {
		if (argv[a][0] == '-')
			continue;
		if (cache_account_find(c, argv[a], &acct, &err) < 0) {
			cli_fail("%s", err.msg);
			goto out;
		}
		/* `postie sync a a` syncs a once and says so once. */
		for (k = 0; k < n && want[k].account != acct; k++)
			;
		if (k == n)
			want[n++].account = acct;
	}
	if (n == 0)
		for (i = 0; i < cache_naccounts(c); i++)
			want[n++].account = i;
	if (n == 0) {
		cli_fail("no account in the configuration");
		goto out;
	}
	/* Every account is asked first, so they sync side by side; each
	 * answer is the SYNC_DONE that carries its ticket. */
	for (i = 0; i < n; i++) {
		const char *name = cache_account(c, want[i].account)->name;

		if (cache_request_sync(c, want[i].account, 0, flags,
		    &want[i].ticket, &err) < 0) {
			cli_fail("%s: %s", name, err.msg);
			want[i].done = 1;
			failed++;
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
			const char *name = cache_account(c, ev.account)->name;

			if (ev.kind == CACHE_EV_PROGRESS && tty && !quiet) {
				progress(c, &ev);
				shown = 1;
				continue;
			}
			if (ev.kind == CACHE_EV_ALERT ||
			    ev.kind == CACHE_EV_REFUSED) {
				if (shown)
					printf("\r\033[K");
				fflush(stdout);
				/* The server must be heard (RFC 3501 7.1),
				 * and a change of the user's that it
				 * refused told, even with -q. */
				cli_say(name, ev.kind == CACHE_EV_ALERT ?
				    ": server alert: " : ": ", ev.text);
				continue;
			}
			if (ev.kind != CACHE_EV_SYNC_DONE || ev.ticket == 0)
				continue;
			for (k = 0; k < n; k++)
				if (!want[k].done && want[k].ticket == ev.ticket)
					break;
			if (k == n)
				continue;
			want[k].done = 1;
			waiting--;
			if (shown) {
				printf("\r\033[K");
				shown = 0;
			}
			fflush(stdout);
			if (ev.status < 0) {
				cli_fail("%s: %s", name, ev.text);
				failed++;
			} else if (!quiet)
				summary(name, &ev.stats);
			fflush(stdout);
		}
	}
	rc = failed ? 1 : 0;
out:
	free(want);
	cache_close(&c);
	config_free(&cfg);
	return rc;
}
