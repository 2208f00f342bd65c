/*
 * imap_idle: waiting for changes (IDLE, or NOOP polling without it).
 */
#include <config.h>

#include "net/imap_int.h"

#include <errno.h>
#include <poll.h>
#include <string.h>

#include "core/clock.h"

#define IDLE_RESTART_MS (25 * 60 * 1000) /* servers may drop at 30 min */
#define NOOP_POLL_MS (30 * 1000)

/* Waits on the connection and wake_fd: 1 wake, 2 data, 0 timeout. */
static int
wait_fds(struct imap *imap, int wake_fd, long long ms, struct error *err)
{
	struct pollfd pfd[2];
	int n, r;

	if (imap->rpos < imap->rlen)
		return 2;
	if ((r = conn_wait_readable(imap->conn, 0, err)) != 0)
		return r < 0 ? imap_dead(imap, err) : 2;
	pfd[0].fd = conn_fd(imap->conn);
	pfd[0].events = POLLIN;
	pfd[1].fd = wake_fd;
	pfd[1].events = POLLIN;
	n = wake_fd >= 0 ? 2 : 1;
	do
		r = poll(pfd, (nfds_t)n, ms > 0x7fffffff ? 0x7fffffff : (int)ms);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return error_errno(err, errno, "poll");
	if (n == 2 && (pfd[1].revents & (POLLIN | POLLHUP | POLLERR)))
		return 1;
	if (r > 0 && pfd[0].revents) {
		/* Under TLS a readable socket may carry no application data. */
		if ((r = conn_wait_readable(imap->conn, 0, err)) < 0)
			return imap_dead(imap, err);
		return r ? 2 : 3;
	}
	return 0;
}

static int
read_one(struct imap *imap, struct error *err)
{
	const struct imap_resp *r;

	/* Between commands each response gets a deadline of its own. */
	conn_budget_start(imap->conn);
	r = imap_read(imap, err);

	if (r == NULL || imap_dispatch(imap, r, err) < 0)
		return -1;
	if (imap->bye) {
		error_set(err, "IMAP server %s closed the session",
		    conn_host(imap->conn));
		return imap_dead(imap, err);
	}
	return 0;
}

static int
idle_once(struct imap *imap, int wake_fd, long long until, struct error *err)
{
	struct imap_cmd cmd;
	const struct imap_resp *r;
	long long restart = clock_ms() + IDLE_RESTART_MS, left;
	int why = -1, w;

	imap_cmd_begin(imap, &cmd, "IDLE", NULL, NULL);
	imap_add(imap, "IDLE");
	if (imap_cmd_send(imap, &cmd, err) < 0)
		return -1;
	for (;;) { /* until "+ idling" */
		if ((r = imap_read(imap, err)) == NULL)
			return -1;
		if (r->kind == IMAP_RESP_CONT)
			break;
		if (imap_dispatch(imap, r, err) < 0)
			return -1;
		if (cmd.done)
			return imap_cmd_error(imap, &cmd, err);
	}
	/* Idling may last, by design; each response it brings may not. */
	conn_budget_stop(imap->conn);
	while (why < 0) {
		if (imap->events > 0) {
			why = 2;
			break;
		}
		left = (until < 0 ? restart : (until < restart ? until :
		    restart)) - clock_ms();
		w = wait_fds(imap, wake_fd, left < 0 ? 0 : left, err);
		if (w < 0)
			return imap_dead(imap, err); /* IDLE cannot be ended */
		if (w == 1)
			why = 1;
		else if (w == 2 && read_one(imap, err) < 0)
			return -1;
		else if (w == 0)
			why = (until >= 0 && clock_ms() >= until) ? 0 : 3;
		if (cmd.done) /* the server ended IDLE itself */
			break;
	}
	conn_budget_start(imap->conn);
	if (!cmd.done && conn_write(imap->conn, "DONE\r\n", 6, err) < 0)
		return imap_dead(imap, err);
	if (imap_cmd_wait(imap, &cmd, err) < 0) {
		imap_cmd_free(&cmd);
		return -1;
	}
	imap_cmd_free(&cmd);
	if (why < 0)
		why = 2; /* ended by the server: let the caller look again */
	if (why == 0 && imap->events > 0)
		why = 2;
	return why; /* 3: restart IDLE */
}

int
imap_wait(struct imap *imap, int wake_fd, int timeout_ms, struct error *err)
{
	long long until = timeout_ms < 0 ? -1 : clock_ms() + timeout_ms;
	long long left;
	int w;

	imap->events = 0;
	if (imap->caps & IMAP_CAP_IDLE) {
		while ((w = idle_once(imap, wake_fd, until, err)) == 3)
			;
		return w;
	}
	for (;;) {
		left = NOOP_POLL_MS;
		if (until >= 0 && until - clock_ms() < left)
			left = until - clock_ms();
		w = wait_fds(imap, wake_fd, left < 0 ? 0 : left, err);
		if (w < 0)
			return -1;
		if (w == 1)
			return 1;
		if (w == 2 && read_one(imap, err) < 0)
			return -1;
		if (w == 0 && imap_noop(imap, err) < 0)
			return -1;
		if (imap->events > 0)
			return 2;
		if (until >= 0 && clock_ms() >= until)
			return 0;
	}
}

int
imap_notify(struct imap *imap, struct error *err)
{
	struct imap_cmd cmd;

	if (!(imap->caps & IMAP_CAP_NOTIFY))
		return error_set(err, "IMAP server does not offer NOTIFY");
	/*
	 * The selected folder's events as without NOTIFY (EXISTS, EXPUNGE
	 * or VANISHED, FETCH of flags); for every other personal folder a
	 * STATUS when mail comes, goes or changes flags, and a LIST when
	 * one is made, renamed or deleted.  No STATUS indicator: that
	 * would ask for every folder's counts at once.
	 *
	 * Dovecot 2.3.19 (tests/server) leaves out some of these LISTs: a
	 * folder deleted or renamed during our IDLE by a session that
	 * logged in after the IDLE began.  A NOOP, or the next IDLE,
	 * reports it; so does the worker's timed pass.  A folder made that
	 * way is reported at once.
	 */
	imap_cmd_begin(imap, &cmd, "NOTIFY", NULL, NULL);
	imap_add(imap, "NOTIFY SET (selected (MessageNew MessageExpunge "
	    "FlagChange)) (personal (MessageNew MessageExpunge FlagChange "
	    "MailboxName))");
	return imap_cmd_run(imap, &cmd, err);
}
