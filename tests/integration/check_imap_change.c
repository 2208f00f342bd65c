/*
 * Integration tests of net/imap changes, each verified through a second
 * connection: STORE, COPY, MOVE, EXPUNGE, APPEND, and IDLE seeing another
 * client's APPEND; the wake fd interrupts a wait.
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check_imap.h"
#include "core/buf.h"

static const char msg[] =
    "From: Bob <bob@example.org>\r\n"
    "To: Alice <alice@example.org>\r\n"
    "Subject: pushed while idling\r\n"
    "Date: Thu, 26 Nov 2026 10:00:00 +0000\r\n"
    "Message-ID: <idle-test@example.org>\r\n"
    "\r\n"
    "Hello.\r\n";

/*
 * 1 once this test's Dovecot shows a session of user in IDLE: with
 * verbose_proctitle (tests/server/dovecot.conf.in) an IMAP process is
 * titled "dovecot-INSTANCE/imap [USER IP IDLE]" while it idles.  Waits
 * up to 20 s, checking every 10 ms; 0 if it never does.
 */
static int
wait_idling(const char *user)
{
	const char *conf = getenv("POSTIE_TEST_DOVECOT_CONF");
	char line[256], want[300], title[512];
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	FILE *fp;
	int i;

	want[0] = '\0';
	/* Only Dovecot shows an idling session; Cyrus and Courier report a
	 * message that arrived just before IDLE when IDLE starts. */
	if (!itest_server_is("dovecot"))
		return 1;
	if (conf == NULL || (fp = fopen(conf, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), fp))
		if (strncmp(line, "instance_name = ", 16) == 0) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(want, sizeof(want), "%s/imap [%s ", line + 16,
			    user);
		}
	fclose(fp);
	if (want[0] == '\0')
		return 0;
	for (i = 0; i < 2000; i++) {
		DIR *d = opendir("/proc");
		struct dirent *de;

		while (d && (de = readdir(d)) != NULL) {
			size_t n, k;
			int fd;

			if (!isdigit((unsigned char)de->d_name[0]))
				continue;
			snprintf(line, sizeof(line), "/proc/%s/cmdline",
			    de->d_name);
			if ((fd = open(line, O_RDONLY)) < 0)
				continue;
			n = 0;
			while (n < sizeof(title) - 1) {
				ssize_t r = read(fd, title + n,
				    sizeof(title) - 1 - n);

				if (r <= 0)
					break;
				n += (size_t)r;
			}
			close(fd);
			for (k = 0; k < n; k++)
				if (title[k] == '\0')
					title[k] = ' ';
			title[n] = '\0';
			if (strstr(title, want) && strstr(title, " IDLE]")) {
				closedir(d);
				return 1;
			}
		}
		if (d)
			closedir(d);
		nanosleep(&tick, NULL);
	}
	return 0;
}

/* 1 once the session's socket has bytes to read, within timeout_ms. */
static int
wait_readable(struct imap *imap, int timeout_ms)
{
	struct pollfd pfd = { imap_fd(imap), POLLIN, 0 };

	return poll(&pfd, 1, timeout_ms) == 1;
}

START_TEST(test_store_copy_move_expunge)
{
	struct imap *a = itest_open("alice", IMAP_SEC_IMPLICIT);
	struct imap *b = itest_open("alice", IMAP_SEC_STARTTLS);
	struct imap *c = itest_open("alice", IMAP_SEC_IMPLICIT); /* counts */
	struct imap_mailbox mb, mbb;
	struct error err;
	uint32_t uids[64], inbox, archive, trash;
	char set[32], *dest = NULL;
	unsigned n;

	ck_assert_int_eq(imap_select(a, "INBOX", 0, NULL, &mb, &err), 0);
	n = itest_uids(a, uids, 64);
	ck_assert_uint_ge(n, 4);
	ck_assert_int_eq(imap_select(b, "INBOX", 1, NULL, &mbb, &err), 0);

	/* Flags, seen from the other connection. */
	snprintf(set, sizeof(set), "%u", (unsigned)uids[1]);
	ck_assert_int_eq(imap_store(a, set, 1, IMAP_FLAG_FLAGGED |
	    IMAP_FLAG_ANSWERED | IMAP_FLAG_SEEN, &err), 0);
	/* Another session's flags need only show after a NOOP (RFC 3501
	 * 6.1.2); Courier waits for it, Dovecot and Cyrus need not. */
	ck_assert_int_eq(imap_noop(b, &err), 0);
	ck_assert_uint_eq(itest_flags(b, uids[1]) & (IMAP_FLAG_FLAGGED |
	    IMAP_FLAG_ANSWERED | IMAP_FLAG_SEEN), IMAP_FLAG_FLAGGED |
	    IMAP_FLAG_ANSWERED | IMAP_FLAG_SEEN);
	ck_assert_int_eq(imap_store(a, set, 0, IMAP_FLAG_SEEN, &err), 0);
	ck_assert_int_eq(imap_noop(b, &err), 0);
	ck_assert_uint_eq(itest_flags(b, uids[1]) & IMAP_FLAG_SEEN, 0);

	/* COPY to Archive, with the new UID from COPYUID. */
	inbox = itest_count(c, "INBOX");
	archive = itest_count(c, F("Archive"));
	trash = itest_count(c, F("Trash"));
	ck_assert_msg(imap_copy(a, set, F("Archive"), &dest, &err) == 0, "%s",
	    err.msg);
	ck_assert_ptr_nonnull(dest);
	free(dest);
	ck_assert_uint_eq(itest_count(c, F("Archive")), archive + 1);
	ck_assert_uint_eq(itest_count(c, "INBOX"), inbox);

	/* MOVE to Trash. */
	snprintf(set, sizeof(set), "%u", (unsigned)uids[2]);
	ck_assert_msg(imap_move(a, set, F("Trash"), &dest, &err) == 0, "%s",
	    err.msg);
	ck_assert_ptr_nonnull(dest); /* COPYUID during UID MOVE */
	ck_assert_int_eq(imap_uidset_foreach(dest, NULL, NULL), 0);
	free(dest);
	ck_assert_uint_eq(itest_count(c, "INBOX"), inbox - 1);
	ck_assert_uint_eq(itest_count(c, F("Trash")), trash + 1);

	/* \Deleted + UID EXPUNGE of one message only. */
	snprintf(set, sizeof(set), "%u", (unsigned)uids[3]);
	ck_assert_int_eq(imap_store(a, set, 1, IMAP_FLAG_DELETED, &err), 0);
	ck_assert_int_eq(imap_expunge(a, set, &err), 0);
	ck_assert_uint_eq(itest_count(c, "INBOX"), inbox - 2);

	/* APPEND to the non-ASCII folder. */
	inbox = itest_count(c, F("Entw\xc3\xbcrfe"));
	{
		uint32_t uid = 0;

		ck_assert_msg(imap_append(a, F("Entw\xc3\xbcrfe"), IMAP_FLAG_SEEN |
		    IMAP_FLAG_DRAFT, msg, sizeof(msg) - 1, &uid, &err) == 0,
		    "%s", err.msg);
		ck_assert_uint_gt(uid, 0);
	}
	ck_assert_uint_eq(itest_count(c, F("Entw\xc3\xbcrfe")), inbox + 1);
	ck_assert(imap_alive(a) && imap_alive(b));
	ck_assert_int_eq(imap_logout(&a, &err), 0);
	ck_assert_int_eq(imap_logout(&b, &err), 0);
	imap_close(&c);
}
END_TEST

START_TEST(test_idle_sees_append)
{
	struct imap *a = itest_open("alice", IMAP_SEC_IMPLICIT);
	struct imap_mailbox mb;
	struct evlog ev;
	struct error err;
	pid_t pid;
	int status, r, k;

	ck_assert_int_eq(imap_select(a, "INBOX", 0, NULL, &mb, &err), 0);
	memset(&ev, 0, sizeof(ev));
	imap_set_event_cb(a, evlog_cb, &ev);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct imap *b = NULL;

		if (!wait_idling("alice"))
			_exit(2); /* the parent never entered IDLE */
		if (itest_try("alice", NULL, IMAP_SEC_IMPLICIT, &b, &err) < 0 ||
		    imap_append(b, "INBOX", 0, msg, sizeof(msg) - 1, NULL,
		    &err) < 0)
			_exit(1);
		imap_logout(&b, &err);
		_exit(0);
	}
	/* Events may come in more than one wake-up; wait up to 20 s. */
	for (k = 0; k < 5 && ev.exists == 0; k++) {
		r = imap_wait(a, -1, 20000, &err);
		ck_assert_msg(r >= 0, "%s", err.msg);
		if (r == 0)
			break;
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_int_ge(ev.exists, 1);
	ck_assert_uint_eq(ev.last_exists, mb.exists + 1);
	/* The session is usable after IDLE. */
	ck_assert_int_eq(imap_noop(a, &err), 0);
	imap_close(&a);
}
END_TEST

START_TEST(test_wake_fd)
{
	struct imap *a = itest_open("alice", IMAP_SEC_IMPLICIT);
	struct imap_mailbox mb;
	struct error err;
	int p[2];

	ck_assert_int_eq(imap_select(a, F("Work"), 0, NULL, &mb, &err), 0);
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write(p[1], "x", 1), 1);
	ck_assert_int_eq(imap_wait(a, p[0], 20000, &err), 1);
	/* A short wait with nothing happening times out. */
	ck_assert_int_eq(imap_wait(a, -1, 300, &err), 0);
	ck_assert_int_eq(imap_noop(a, &err), 0);
	close(p[0]);
	close(p[1]);
	imap_close(&a);
}
END_TEST

struct cmp {
	const char *want;
	size_t len;
	uint64_t seen;
	unsigned calls;
};

static int
cmp_sink(void *ctx, uint64_t size, uint64_t off, const void *d, size_t n)
{
	struct cmp *c = ctx;

	ck_assert_uint_eq(size, c->len);
	ck_assert_uint_eq(off, c->seen);
	ck_assert_uint_le(off + n, c->len);
	ck_assert(memcmp(c->want + off, d, n) == 0);
	c->seen += n;
	c->calls++;
	return 0;
}

START_TEST(test_big_body)
{
	/* A 20 MB message goes up as a literal and comes back streamed in
	 * pieces, never held whole by the engine. */
	const size_t want = 20 * 1024 * 1024;
	struct imap *a = itest_open("alice", IMAP_SEC_IMPLICIT);
	struct imap_mailbox mb;
	struct error err;
	struct buf m = BUF_INIT;
	struct cmp c;
	uint32_t uid = 0;
	uint64_t got = 0;
	unsigned line = 0;

	buf_addstr(&m, "From: big@example.org\r\nSubject: big\r\n\r\n");
	while (m.len < want)
		buf_printf(&m, "%08u %066u\r\n", line++, 0u);
	ck_assert_msg(imap_append(a, F("Work"), 0, m.data, m.len, &uid, &err) ==
	    0, "%s", err.msg);
	ck_assert_uint_gt(uid, 0);
	ck_assert_int_eq(imap_select(a, F("Work"), 1, NULL, &mb, &err), 0);
	memset(&c, 0, sizeof(c));
	c.want = m.data;
	c.len = m.len;
	ck_assert_msg(imap_fetch_body(a, uid, "", 0, 0, cmp_sink, &c, &got,
	    &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(got, m.len);
	ck_assert_uint_eq(c.seen, m.len);
	ck_assert_uint_gt(c.calls, 10);
	buf_free(&m);
	ck_assert_int_eq(imap_logout(&a, &err), 0);
}
END_TEST

START_TEST(test_batch)
{
	struct imap *a, *c;
	struct imap_mailbox mb;
	struct imap_req q[6];
	struct error err;
	uint32_t uids[64], archive, trash, inbox;
	char s0[16], s1[16], s2[16];
	int pass, k;

	c = itest_open("alice", IMAP_SEC_IMPLICIT);
	for (pass = 0; pass < 2; pass++) {
		/* Second pass: MOVE falls back inside the batch. */
		itest_ignore_caps = pass ? IMAP_CAP_MOVE : 0;
		a = itest_open("alice", IMAP_SEC_IMPLICIT);
		itest_ignore_caps = 0;
		for (k = 0; k < 3; k++) /* earlier tests took messages away */
			ck_assert_int_eq(imap_append(a, "INBOX", 0, msg,
			    sizeof(msg) - 1, NULL, &err), 0);
		ck_assert_int_eq(imap_select(a, "INBOX", 0, NULL, &mb, &err), 0);
		ck_assert_uint_ge(itest_uids(a, uids, 64), 3);
		archive = itest_count(c, F("Archive"));
		trash = itest_count(c, F("Trash"));
		inbox = itest_count(c, "INBOX");
		snprintf(s0, sizeof(s0), "%u", (unsigned)uids[0]);
		snprintf(s1, sizeof(s1), "%u", (unsigned)uids[1]);
		snprintf(s2, sizeof(s2), "%u", (unsigned)uids[2]);
		memset(q, 0, sizeof(q));
		q[0].kind = IMAP_REQ_STORE;
		q[0].uidset = s0;
		q[0].add = 1;
		q[0].flags = IMAP_FLAG_FLAGGED;
		q[1].kind = IMAP_REQ_COPY;
		q[1].uidset = s0;
		q[1].folder = F("Archive");
		q[2].kind = IMAP_REQ_COPY;
		q[2].uidset = s0;
		q[2].folder = "No such folder";
		q[3].kind = IMAP_REQ_STORE;
		q[3].uidset = "not a set";
		q[4].kind = IMAP_REQ_MOVE;
		q[4].uidset = s1;
		q[4].folder = F("Trash");
		q[5].kind = IMAP_REQ_STORE;
		q[5].uidset = s2;
		q[5].add = 0;
		q[5].flags = IMAP_FLAG_SEEN;
		ck_assert_msg(imap_batch(a, q, 6, &err) == 0, "%s", err.msg);
		ck_assert_msg(q[0].result == 0, "%s", q[0].err.msg);
		ck_assert_msg(q[1].result == 0, "%s", q[1].err.msg);
		ck_assert_int_eq(q[2].result, -1);
		ck_assert_msg(strstr(q[2].err.msg, "refused COPY") != NULL, "%s",
		    q[2].err.msg);
		ck_assert_int_eq(q[3].result, -1);
		ck_assert_msg(q[4].result == 0, "%s", q[4].err.msg);
		ck_assert_msg(q[5].result == 0, "%s", q[5].err.msg);
		ck_assert_uint_eq(itest_count(c, F("Archive")), archive + 1);
		ck_assert_uint_eq(itest_count(c, F("Trash")), trash + 1);
		ck_assert_uint_eq(itest_count(c, "INBOX"), inbox - 1);
		ck_assert(itest_flags(a, uids[0]) & IMAP_FLAG_FLAGGED);
		ck_assert(!(itest_flags(a, uids[2]) & IMAP_FLAG_SEEN));
		ck_assert_int_eq(imap_logout(&a, &err), 0);
	}
	imap_close(&c);
}
END_TEST

START_TEST(test_kicked)
{
	/* The server ends the session (doveadm kick: "* BYE ..."): the call
	 * fails, the session is dead, the BYE text (after TLS) is shown. */
	struct imap *a = itest_open("carol", IMAP_SEC_IMPLICIT);
	struct imap_mailbox mb;
	struct error err;
	char cmd[1200];

	if (!itest_server_is("dovecot")) {
		/* Only Dovecot has a command (doveadm kick) to end a session
		 * from outside. */
		imap_close(&a);
		return;
	}
	ck_assert_int_eq(imap_select(a, "INBOX", 0, NULL, &mb, &err), 0);
	snprintf(cmd, sizeof(cmd), "doveadm -c '%s' kick carol >/dev/null 2>&1",
	    getenv("POSTIE_TEST_DOVECOT_CONF"));
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_msg(wait_readable(a, 20000), "no BYE within 20 s");
	ck_assert_int_eq(imap_noop(a, &err), -1);
	ck_assert(!imap_alive(a));
	ck_assert(err.msg[0] != '\0');
	fprintf(stderr, "kicked: %s\n", err.msg);
	if (strstr(err.msg, "ended the session"))
		ck_assert_msg(strstr(err.msg, "shutting down") != NULL, "%s",
		    err.msg);
	/* Later calls fail at once. */
	ck_assert_int_eq(imap_noop(a, &err), -1);
	imap_close(&a);
}
END_TEST

static int
count_cb(void *ctx, const struct imap_folder *f)
{
	int *n = ctx;

	(*n)++;
	ck_assert_msg(f->has_status || (f->attrs & IMAP_FOLDER_NOSELECT),
	    "%s has no counts", f->name);
	return 0;
}

START_TEST(test_fallbacks)
{
	/* Without LIST-STATUS, MOVE, IDLE, QRESYNC, LITERAL+ and SASL-IR:
	 * pipelined STATUS, COPY + STORE + UID EXPUNGE, NOOP polling,
	 * SELECT (CONDSTORE), synchronising literals, AUTHENTICATE with a
	 * continuation. */
	struct imap *a, *c;
	struct imap_mailbox mb;
	struct imap_qresync qr;
	struct evlog ev;
	struct error err;
	uint32_t uids[64], inbox, trash, uid;
	char set[16];
	int n = 0, p[2];

	itest_ignore_caps = IMAP_CAP_LIST_STATUS | IMAP_CAP_LIST_EXTENDED |
	    IMAP_CAP_MOVE | IMAP_CAP_IDLE | IMAP_CAP_QRESYNC |
	    IMAP_CAP_LITERALPLUS | IMAP_CAP_LITERALMINUS | IMAP_CAP_SASL_IR;
	a = itest_open("alice", IMAP_SEC_IMPLICIT);
	ck_assert(!imap_qresync(a));
	/* Courier-IMAP 5.0 has no CONDSTORE at all. */
	ck_assert(imap_condstore(a) == !itest_server_is("courier"));
	ck_assert(!imap_has_cap(a, IMAP_CAP_MOVE));
	ck_assert_int_eq(imap_list(a, count_cb, &n, &err), 0);
	ck_assert_int_ge(n, 9);

	itest_ignore_caps = IMAP_CAP_AUTH_PLAIN; /* LOGIN */
	c = itest_open("alice", IMAP_SEC_STARTTLS);
	inbox = itest_count(c, "INBOX");
	trash = itest_count(c, F("Trash"));

	ck_assert_int_eq(imap_select(a, "INBOX", 0, NULL, &mb, &err), 0);
	ck_assert(mb.highestmodseq > 0 || itest_server_is("courier"));
	ck_assert_uint_ge(itest_uids(a, uids, 64), 2);
	snprintf(set, sizeof(set), "%u", (unsigned)uids[0]);
	{
		char *dest = NULL;

		ck_assert_msg(imap_move(a, set, F("Trash"), &dest, &err) == 0,
		    "%s", err.msg);
		ck_assert_ptr_nonnull(dest); /* from the COPY's COPYUID */
		free(dest);
	}
	ck_assert_uint_eq(itest_count(c, "INBOX"), inbox - 1);
	ck_assert_uint_eq(itest_count(c, F("Trash")), trash + 1);

	/* Synchronising literal (a name with a quote is still quoted; the
	 * message body needs a literal). */
	ck_assert_msg(imap_append(a, "INBOX", 0, msg, sizeof(msg) - 1, &uid,
	    &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(itest_count(c, "INBOX"), inbox);

	/* SELECT with saved state under CONDSTORE only: no QRESYNC data. */
	memset(&ev, 0, sizeof(ev));
	imap_set_event_cb(a, evlog_cb, &ev);
	qr.uidvalidity = mb.uidvalidity;
	qr.modseq = mb.highestmodseq;
	qr.known_uids = NULL;
	ck_assert_int_eq(imap_select(a, "INBOX", 0, &qr, &mb, &err), 0);
	ck_assert_int_eq(ev.vanished, 0);
	ck_assert_int_eq(ev.fetch, 0);

	/* NOOP polling: the wake fd and the timeout. */
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write(p[1], "x", 1), 1);
	ck_assert_int_eq(imap_wait(a, p[0], 20000, &err), 1);
	ck_assert_int_eq(imap_wait(a, -1, 200, &err), 0);
	close(p[0]);
	close(p[1]);
	itest_ignore_caps = 0;
	ck_assert_int_eq(imap_logout(&a, &err), 0);
	ck_assert_int_eq(imap_logout(&c, &err), 0);
}
END_TEST

static int
has_uid(struct imap *imap, uint32_t uid)
{
	uint32_t uids[256];
	struct error err;
	unsigned n, k;

	ck_assert_int_eq(imap_noop(imap, &err), 0); /* expunges seen */
	n = itest_uids(imap, uids, 256);
	for (k = 0; k < n; k++)
		if (uids[k] == uid)
			return 1;
	return 0;
}

/*
 * An expunge of chosen messages leaves what another client marked
 * \Deleted, and what we marked but did not name: with UIDPLUS (UID
 * EXPUNGE), and without it (SEARCH, flags set aside, EXPUNGE), through
 * ESEARCH or plain SEARCH, alone, in a batch and in a MOVE without MOVE.
 */
START_TEST(test_expunge_only_named)
{
	static const unsigned ignore[] = { 0, IMAP_CAP_UIDPLUS,
		IMAP_CAP_UIDPLUS | IMAP_CAP_ESEARCH,
		IMAP_CAP_UIDPLUS | IMAP_CAP_MOVE };
	struct imap *a, *c = itest_open("alice", IMAP_SEC_IMPLICIT);
	struct imap *n = itest_open("alice", IMAP_SEC_IMPLICIT); /* counts */
	struct imap_mailbox mb;
	struct imap_req q;
	struct error err;
	uint32_t u[5], count, trash;
	char set[32], others[16];
	unsigned pass, k;

	for (pass = 0; pass < sizeof(ignore) / sizeof(ignore[0]); pass++) {
		itest_ignore_caps = ignore[pass];
		a = itest_open("alice", IMAP_SEC_IMPLICIT);
		itest_ignore_caps = 0;
		ck_assert(!imap_has_cap(a, IMAP_CAP_UIDPLUS) == (pass > 0));
		for (k = 0; k < 5; k++)
			ck_assert_msg(imap_append(c, F("Archive"), 0, msg,
			    sizeof(msg) - 1, &u[k], &err) == 0, "%s",
			    err.msg);
		ck_assert_int_eq(imap_select(c, F("Archive"), 0, NULL, &mb,
		    &err), 0);
		ck_assert_int_eq(imap_select(a, F("Archive"), 0, NULL, &mb,
		    &err), 0);
		/* u0 and u4: another client's; u1, u2, u3: ours. */
		snprintf(others, sizeof(others), "%u,%u", (unsigned)u[0],
		    (unsigned)u[4]);
		ck_assert_int_eq(imap_store(c, others, 1, IMAP_FLAG_DELETED,
		    &err), 0);
		snprintf(set, sizeof(set), "%u:%u", (unsigned)u[1],
		    (unsigned)u[3]);
		ck_assert_int_eq(imap_store(a, set, 1, IMAP_FLAG_DELETED,
		    &err), 0);
		count = itest_count(n, F("Archive"));
		trash = itest_count(n, F("Trash"));
		/* u1 alone */
		snprintf(set, sizeof(set), "%u", (unsigned)u[1]);
		if (pass == 3) {
			ck_assert_msg(imap_move(a, set, F("Trash"), NULL, &err) ==
			    0, "%s", err.msg);
			ck_assert_uint_eq(itest_count(n, F("Trash")), trash + 1);
		} else {
			ck_assert_msg(imap_expunge(a, set, &err) == 0, "%s",
			    err.msg);
		}
		ck_assert_uint_eq(itest_count(n, F("Archive")), count - 1);
		ck_assert(!has_uid(c, u[1]));
		/* u2 in a batch */
		snprintf(set, sizeof(set), "%u", (unsigned)u[2]);
		memset(&q, 0, sizeof(q));
		q.kind = IMAP_REQ_EXPUNGE;
		q.uidset = set;
		ck_assert_int_eq(imap_batch(a, &q, 1, &err), 0);
		ck_assert_msg(q.result == 0, "%s", q.err.msg);
		ck_assert_uint_eq(itest_count(n, F("Archive")), count - 2);
		ck_assert(!has_uid(c, u[2]));
		/* the rest stays, marked as it was */
		ck_assert(has_uid(c, u[0]) && has_uid(c, u[3]) &&
		    has_uid(c, u[4]));
		ck_assert(itest_flags(c, u[0]) & IMAP_FLAG_DELETED);
		ck_assert(itest_flags(c, u[3]) & IMAP_FLAG_DELETED);
		ck_assert(itest_flags(c, u[4]) & IMAP_FLAG_DELETED);
		ck_assert_int_eq(imap_expunge(c, NULL, &err), 0);
		ck_assert_int_eq(imap_logout(&a, &err), 0);
	}
	ck_assert_int_eq(imap_logout(&c, &err), 0);
	ck_assert_int_eq(imap_logout(&n, &err), 0);
}
END_TEST

/*
 * NOTIFY: with INBOX selected, another client's APPEND to Work ends the
 * wait as an IMAP_EV_MAILBOX event naming Work; a STATUS of INBOX asked
 * for meanwhile is not taken for Work's.
 */
START_TEST(test_notify)
{
	struct imap *a = itest_open("alice", IMAP_SEC_IMPLICIT);
	struct imap *c = itest_open("alice", IMAP_SEC_IMPLICIT);
	struct imap_mailbox mb;
	struct evlog ev;
	struct error err;
	uint32_t inbox, n, next, uv;
	int r, k;

	if (!itest_server_is("dovecot")) {
		/* Of the harness's servers only Dovecot offers NOTIFY; the
		 * engine must not claim it elsewhere. */
		ck_assert(!imap_has_cap(a, IMAP_CAP_NOTIFY));
		imap_close(&a);
		imap_close(&c);
		return;
	}
	ck_assert(imap_has_cap(a, IMAP_CAP_NOTIFY));
	ck_assert_int_eq(imap_select(a, "INBOX", 0, NULL, &mb, &err), 0);
	memset(&ev, 0, sizeof(ev));
	imap_set_event_cb(a, evlog_cb, &ev);
	ck_assert_msg(imap_notify(a, &err) == 0, "%s", err.msg);
	inbox = itest_count(c, "INBOX");
	ck_assert_int_eq(imap_status(c, F("Work"), NULL, NULL, &next, &uv, &err),
	    0);
	ck_assert_int_eq(imap_append(c, F("Work"), 0, msg, sizeof(msg) - 1,
	    NULL, &err), 0);
	for (k = 0; k < 5 && ev.mailbox == 0; k++) {
		r = imap_wait(a, -1, 20000, &err);
		ck_assert_msg(r >= 0, "%s", err.msg);
		if (r == 0)
			break;
	}
	ck_assert_int_ge(ev.mailbox, 1);
	ck_assert_str_eq(ev.mailbox_name, F("Work"));
	ck_assert_int_eq(ev.exists, 0); /* not the selected folder's */
	/* The STATUS's numbers come with it (HIGHESTMODSEQ: CONDSTORE is
	 * on), for the cache to tell news from what it holds; Dovecot
	 * leaves UIDVALIDITY out here (0: not said). */
	ck_assert_uint_eq(ev.mailbox_uidnext, next + 1);
	ck_assert(ev.mailbox_uidvalidity == 0 ||
	    ev.mailbox_uidvalidity == uv);
	ck_assert_uint_gt(ev.mailbox_modseq, 0);
	/* Work's news arriving during a STATUS of INBOX stays Work's. */
	ev.mailbox = 0;
	ck_assert_int_eq(imap_append(c, F("Work"), 0, msg, sizeof(msg) - 1,
	    NULL, &err), 0);
	/* Work's STATUS on its way before ours is asked. */
	ck_assert_msg(wait_readable(a, 20000), "no news of Work within 20 s");
	ck_assert_int_eq(imap_status(a, "INBOX", &n, NULL, NULL, NULL, &err),
	    0);
	ck_assert_uint_eq(n, inbox);
	for (k = 0; k < 5 && ev.mailbox == 0; k++)
		if (imap_wait(a, -1, 5000, &err) <= 0)
			break;
	ck_assert_int_ge(ev.mailbox, 1);
	ck_assert_str_eq(ev.mailbox_name, F("Work"));
	ck_assert_int_eq(imap_noop(a, &err), 0);
	ck_assert_int_eq(imap_logout(&a, &err), 0);
	ck_assert_int_eq(imap_logout(&c, &err), 0);
}
END_TEST

Suite *
imap_change_suite(void)
{
	Suite *s = suite_create("imap_change");
	TCase *tc = tcase_create("dovecot");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_store_copy_move_expunge);
	tcase_add_test(tc, test_idle_sees_append);
	tcase_add_test(tc, test_wake_fd);
	tcase_add_test(tc, test_fallbacks);
	tcase_add_test(tc, test_big_body);
	tcase_add_test(tc, test_batch);
	tcase_add_test(tc, test_kicked);
	tcase_add_test(tc, test_expunge_only_named);
	tcase_add_test(tc, test_notify);
	suite_add_tcase(s, tc);
	return s;
}
