/*
 * postie send [-a ACCOUNT] [--queue] [FILE]: one message, as sendmail -t;
 * postie outbox [ACCOUNT]: what is not sent yet.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cache/cache.h"
#include "cache/outbox.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "mime/submit.h"
#include "ui/cli.h"
#include "ui/tui.h"

#define SEND_MAX (64u << 20) /* a message bigger than this is a mistake */

static int
read_all(int fd, struct buf *out, struct error *err)
{
	char chunk[65536];
	ssize_t n;

	while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
		buf_add(out, chunk, (size_t)n);
		if (out->len > SEND_MAX)
			return error_set(err, "the message is larger than "
			    "%u MB", SEND_MAX >> 20);
	}
	if (n < 0)
		return error_errno(err, errno, "cannot read the message");
	return 0;
}

/* The account: -a; else the one whose from is the message's From; else
 * the first that can send. */
static int
pick_account(struct cache *c, const char *name, const struct buf *raw,
    size_t *i_r, struct error *err)
{
	struct mime_submission s;
	struct error e2;
	const char *from = NULL;
	size_t i, n = cache_naccounts(c), first = SIZE_MAX;

	if (name)
		return cache_account_find(c, name, i_r, err);
	error_clear(&e2);
	if (mime_submission_prepare(raw->data ? raw->data : "", raw->len,
	    "x@invalid", &s, &e2) == 0 && strcmp(s.from, "x@invalid") != 0)
		from = s.from;
	for (i = 0; i < n; i++) {
		const struct config_account *a = cache_account(c, i)->cfg;
		struct mime_addrlist l = { 0 };

		if (a->from == NULL)
			continue;
		if (first == SIZE_MAX)
			first = i;
		if (from && mime_addrlist_parse(a->from, strlen(a->from),
		    "from", &l, &e2) == 0 && l.n > 0 &&
		    str_casecmp(l.v[0].addr, from) == 0) {
			mime_addrlist_free(&l);
			*i_r = i;
			mime_submission_free(&s);
			return 0;
		}
		mime_addrlist_free(&l);
	}
	if (from)
		mime_submission_free(&s);
	if (first == SIZE_MAX)
		return error_set(err, "no account can send: give one a 'from' "
		    "address in the configuration");
	*i_r = first;
	return 0;
}

int
cli_send(const struct cli_opts *opts, int argc, char **argv)
{
	struct cache *c = NULL;
	struct config *cfg;
	struct buf raw = BUF_INIT;
	struct cache_event ev;
	struct outbox_msg m;
	struct error err;
	struct pollfd pfd;
	const char *file = NULL;
	char *msgid = NULL;
	int64_t id;
	uint64_t ticket;
	size_t acct;
	const char *account = opts->account;
	int queue = 0, rc = 1, a, fd, waiting;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--queue") == 0)
			queue = 1;
		else if (strcmp(argv[a], "-a") == 0 && a + 1 < argc)
			account = argv[++a];
		else if (argv[a][0] == '-' && argv[a][1] != '\0')
			return cli_fail("usage: postie send [-a ACCOUNT] "
			    "[--queue] [FILE]"), 2;
		else if (file == NULL)
			file = argv[a];
		else
			return cli_fail("usage: postie send [-a ACCOUNT] "
			    "[--queue] [FILE]"), 2;
	}
	error_clear(&err);
	if (file && strcmp(file, "-") != 0) {
		if ((fd = open(file, O_RDONLY | O_CLOEXEC)) < 0)
			return cli_fail("cannot open %s: %s", file,
			    strerror(errno));
	} else
		fd = STDIN_FILENO;
	if (read_all(fd, &raw, &err) < 0) {
		if (fd != STDIN_FILENO)
			close(fd);
		buf_free(&raw);
		return cli_fail("%s", err.msg);
	}
	if (fd != STDIN_FILENO)
		close(fd);
	if ((cfg = cli_load_config(opts)) == NULL) {
		buf_free(&raw);
		return 1;
	}
	cli_open_log(opts);
	if (cache_open(cfg, NULL, &c, &err) < 0 ||
	    pick_account(c, account, &raw, &acct, &err) < 0 ||
	    cache_outbox_add(c, acct, raw.data ? raw.data : "", raw.len, &id,
	    &msgid, &err) < 0) {
		cli_fail("%s", err.msg);
		goto out;
	}
	if (queue) {
		rc = 0;
		goto out;
	}
	if (cache_request_send(c, acct, &ticket, &err) < 0) {
		cli_fail("%s (the message waits in the outbox)", err.msg);
		goto out;
	}
	pfd.fd = cache_event_fd(c);
	pfd.events = POLLIN;
	for (waiting = 1; waiting;) {
		if (poll(&pfd, 1, -1) < 0 && errno != EINTR) {
			cli_fail("poll: %s", strerror(errno));
			goto out;
		}
		while (cache_event_read(c, &ev) == 1)
			if (ev.kind == CACHE_EV_SEND_DONE && ev.ticket == ticket)
				waiting = 0;
			else if (ev.kind == CACHE_EV_ALERT)
				cli_alert(cache_account(c, ev.account)->name,
				    ev.text);
	}
	/* Gone from the outbox: the server took it, for every recipient
	 * unless a failed record with its Message-ID stayed for those it
	 * refused. */
	switch (cache_outbox_get(c, id, &m, &err)) {
	case 0: {
		struct outbox_msg *v = NULL;
		size_t n = 0, i;

		if (cache_outbox_list(c, acct, &v, &n, &err) < 0) {
			cli_fail("%s", err.msg);
			break;
		}
		for (i = 0; i < n; i++)
			if (v[i].message_id && strcmp(v[i].message_id,
			    msgid) == 0)
				break;
		if (i < n)
			cli_fail("%s: sent, but %s (the outbox keeps it for "
			    "them as %lld)", cache_account(c, acct)->name,
			    v[i].error ? v[i].error : "some recipients were "
			    "refused", (long long)v[i].id);
		else {
			/* The message's own Message-ID when it had one. */
			cli_print_clean(msgid, strlen(msgid), 0);
			putchar('\n');
			rc = fflush(stdout) == 0 ? 0 : cli_fail("cannot write "
			    "the output");
		}
		outbox_msgs_free(&v, n);
		break;
	}
	case 1:
		cli_fail("%s: %s (it stays in the outbox as %s, %lld)",
		    cache_account(c, acct)->name, m.error ? m.error :
		    "not sent yet", outbox_state_name(m.state),
		    (long long)m.id);
		outbox_msg_clear(&m);
		break;
	default:
		cli_fail("%s", err.msg);
	}
out:
	free(msgid);
	buf_free(&raw);
	cache_close(&c);
	config_free(&cfg);
	return rc;
}

/* A text field of a record, as the screens show it (the record then
 * escapes what is left: a backslash). */
static const char *
field(struct buf *b, const char *s)
{
	buf_reset(b);
	str_clean_display(b, s ? s : "", s ? strlen(s) : 0, 0);
	return buf_cstr(b);
}

int
cli_outbox(const struct cli_opts *opts, int argc, char **argv)
{
	struct cache *c = NULL;
	struct config *cfg;
	struct outbox_msg *v = NULL;
	struct buf f[4] = { BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT };
	struct error err;
	size_t n = 0, i, acct = SIZE_MAX;
	int rc = 1;

	if (argc > 2)
		return cli_fail("usage: postie outbox [ACCOUNT]"), 2;
	if ((cfg = cli_load_config(opts)) == NULL)
		return 1;
	error_clear(&err);
	if (cache_open(cfg, NULL, &c, &err) < 0 ||
	    (argc == 2 && cache_account_find(c, argv[1], &acct, &err) < 0) ||
	    cache_outbox_list(c, acct, &v, &n, &err) < 0) {
		cli_fail("%s", err.msg);
		goto out;
	}
	for (i = 0; i < n; i++) {
		char date[32], id[24];
		const char *rec[7];
		time_t t = (time_t)v[i].created;
		struct tm tm;

		if (gmtime_r(&t, &tm) == NULL || strftime(date, sizeof(date),
		    "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
			date[0] = '\0';
		snprintf(id, sizeof(id), "%lld", (long long)v[i].id);
		rec[0] = id;
		rec[1] = field(&f[0], v[i].account);
		rec[2] = outbox_state_name(v[i].state);
		rec[3] = date;
		rec[4] = field(&f[1], v[i].rcpts);
		rec[5] = field(&f[2], v[i].subject);
		rec[6] = field(&f[3], v[i].error);
		cli_record(rec, 7);
	}
	rc = fflush(stdout) == 0 ? 0 : cli_fail("cannot write the output");
out:
	for (i = 0; i < 4; i++)
		buf_free(&f[i]);
	outbox_msgs_free(&v, n);
	cache_close(&c);
	config_free(&cfg);
	return rc;
}

/*
 * postie compose [-a ACCOUNT] [ADDRESS... | mailto:URI]: the reader,
 * started in the editor on a new message; it ends once the message was
 * sent (or queued) or dropped.  Addresses become a mailto: URI, so that
 * one parser (mime_mailto_parse) reads both, and a handler for mailto:
 * links gets exactly what the link says.
 */
int
cli_compose(const struct cli_opts *opts, int argc, char **argv)
{
	struct cli_opts o = *opts;
	struct buf uri = BUF_INIT;
	int a, rc, naddr = 0;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "-a") == 0 && a + 1 < argc) {
			o.account = argv[++a];
			continue;
		}
		if (argv[a][0] == '-')
			return cli_fail("usage: postie compose [-a ACCOUNT] "
			    "[ADDRESS... | mailto:URI]"), 2;
		if (str_ncasecmp(argv[a], "mailto:", 7) == 0) {
			if (uri.len)
				return cli_fail("one mailto: URI at a time"), 2;
			buf_addstr(&uri, argv[a]);
			continue;
		}
		if (strpbrk(argv[a], "?&%\r\n") != NULL) {
			buf_free(&uri);
			return cli_fail("not an address: %s", argv[a]), 2;
		}
		if (uri.len && !naddr) {
			buf_free(&uri);
			return cli_fail("addresses or a mailto: URI, not "
			    "both"), 2;
		}
		buf_addstr(&uri, naddr++ ? "," : "mailto:");
		buf_addstr(&uri, argv[a]);
	}
	o.compose = 1;
	o.mailto = uri.len ? buf_cstr(&uri) : NULL;
	o.folder = NULL;
	rc = tui_run(&o);
	buf_free(&uri);
	return rc;
}
