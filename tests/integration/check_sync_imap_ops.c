/*
 * check_sync_imap_ops: helper of sync_imap.py (the IMAP driver against
 * the harness Dovecot).  Uses libcache the way the UI does.
 *
 *   check_sync_imap_ops CONFIG ACCOUNT ops [ARCHIVE WORK]
 *	offline (no worker): flags "Welcome" \Flagged and unseen, deletes
 *	"Weekly news", moves "Minutes" to Archive, copies "Important" to
 *	Work; exits 0 when all are queued (prints the pending count).
 *   check_sync_imap_ops CONFIG ACCOUNT idle SUBJECT [FOLDER [WHERE]]
 *	syncs, tells the worker the user looks at FOLDER (cache_watch; no
 *	FOLDER or "-": none, so INBOX is watched), prints "synced" on
 *	stdout, then waits (up to 30 s, events only, no further sync
 *	request) until a message with SUBJECT is in WHERE (default FOLDER,
 *	else INBOX): the worker's IDLE saw it.  Then counts the background
 *	syncs the worker starts in the next 8 s after one ended (prints
 *	"syncs N"): news must not set off syncs that set off more.  Exit 0
 *	found and N <= 1, 1 not.
 *   check_sync_imap_ops CONFIG ACCOUNT reconnect SUBJECT
 *	as idle SUBJECT (INBOX watched), where the server drops the
 *	session during IDLE and SUBJECT comes only on the next one: exit 0
 *	when it arrived and the account never showed an error (prints
 *	"errors N").
 *   check_sync_imap_ops CONFIG ACCOUNT newfolder NAME
 *	syncs, prints "synced", then waits (up to 30 s, events only) until
 *	a folder NAME is in the cache (another client made it: NOTIFY's
 *	LIST), then counts syncs as idle does.  Exit 0 found and N == 0.
 *   check_sync_imap_ops CONFIG ACCOUNT change SUBJECT
 *	syncs (the INBOX message with SUBJECT must be in the cache, not
 *	flagged), prints "synced", then waits (up to 30 s, events only)
 *	until it is \Flagged in the cache and prints "flagged" (another
 *	client flagged it), then (up to 30 s more) until it has left the
 *	cache (another client expunged it).  Exit 0 both seen, 1 not.
 *   check_sync_imap_ops CONFIG ACCOUNT gone FOLDER SUBJECT
 *	syncs, prints "synced", reads a line from stdin (meanwhile the
 *	test deletes FOLDER on the server), watches FOLDER, prints
 *	"watching", then waits (up to 30 s) for SUBJECT in INBOX: IDLE fell
 *	back to INBOX and the session stayed up.  Exit 0 found, 1 not.
 *   check_sync_imap_ops CONFIG ACCOUNT flag SUBJECT
 *	offline: sets \Flagged on the INBOX message with SUBJECT.
 *   check_sync_imap_ops CONFIG ACCOUNT edit FOLDER ACTION SUBJECT [DEST]
 *	offline, on the message with SUBJECT in FOLDER: ACTION flag
 *	(\Flagged), seen, delete, expunge (delete, then expunge it alone),
 *	copy or move (to DEST).  Exit 0 done, 1 refused (the sentence on
 *	stderr).
 *   check_sync_imap_ops CONFIG ACCOUNT bulk FOLDER ACTION [DEST]
 *	offline, one cache_bulk over every message of FOLDER (as tagged
 *	messages): ACTION flag (\Flagged) or move (to DEST).  Exit 0
 *	queued, 1 refused.
 *   check_sync_imap_ops CONFIG ACCOUNT interrupt TOTAL
 *	starts a sync of a big INBOX (TOTAL messages on the server); once
 *	its first chunk is in, asks for the raw bytes of a message of it:
 *	exit 0 if the body arrived while INBOX was still incomplete (served
 *	between two chunks).
 *   check_sync_imap_ops CONFIG ACCOUNT open SUBJECT
 *	syncs, then asks for the raw message with SUBJECT in INBOX and
 *	waits for the body (prints its size).
 */
#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache/cache.h"
#include "core/buf.h"
#include "core/config.h"

static struct cache *c;
static size_t acct;
static int errors_seen; /* ACCOUNT events in the error state */

static int
fail(const char *what, const struct error *err)
{
	fprintf(stderr, "check_sync_imap_ops: %s: %s\n", what,
	    err ? err->msg : "failed");
	return 1;
}

struct find {
	const char *subject;
	int64_t id;
};

static int
find_one(void *arg, int64_t id, uint32_t uid, const char *key,
    unsigned flags, struct error *err)
{
	struct find *f = arg;
	struct db_msg m;

	(void)uid;
	(void)key;
	(void)flags;
	if (db_msg_get(cache_db(c), id, &m, err) <= 0)
		return 0;
	if (strstr(m.subject, f->subject) != NULL)
		f->id = id;
	db_msg_clear(&m);
	return 0;
}

/* Message id with subject in folder, 0 none. */
static int64_t
find(const char *folder, const char *subject)
{
	struct find f = { subject, 0 };
	struct error err;
	int64_t fid;

	if (cache_folder_find(c, acct, folder, &fid, &err) < 0)
		return 0;
	db_msg_each(cache_db(c), fid, find_one, &f, &err);
	return f.id;
}

/* Waits for one event kind (up to secs); 1 seen, 0 not. */
static int
wait_event(enum cache_event_kind kind, int secs, struct cache_event *ev_r)
{
	struct pollfd pfd = { cache_event_fd(c), POLLIN, 0 };
	time_t end = time(NULL) + secs;

	while (time(NULL) < end) {
		while (cache_event_read(c, ev_r) == 1)
			if (ev_r->kind == kind)
				return 1;
		poll(&pfd, 1, 500);
	}
	return 0;
}

static int
sync_now(void)
{
	struct cache_event ev;
	struct error err;

	if (cache_request_sync(c, acct, 0, 0, NULL, &err) < 0)
		return fail("sync", &err);
	if (!wait_event(CACHE_EV_SYNC_DONE, 120, &ev))
		return fail("sync", NULL);
	if (ev.status != 0) {
		fprintf(stderr, "sync failed: %s\n", ev.text);
		return 1;
	}
	return 0;
}

/* archive_name, work_name: the server's names of the fixture folders
 * Archive and Work (a prefix and separator on some servers). */
static int
ops(const char *archive_name, const char *work_name)
{
	struct error err;
	int64_t welcome = find("INBOX", "Welcome"),
	    news = find("INBOX", "Weekly news"),
	    minutes = find("INBOX", "Minutes"),
	    important = find("INBOX", "Important"), archive, work;
	size_t i;
	struct cache_account_status st;

	if (!welcome || !news || !minutes || !important)
		return fail("messages not in the cache", NULL);
	if (cache_folder_find(c, acct, archive_name, &archive, &err) < 0 ||
	    cache_folder_find(c, acct, work_name, &work, &err) < 0)
		return fail("folders", &err);
	if (cache_set_flags(c, welcome, MSG_FLAGGED, MSG_SEEN, &err) < 0)
		return fail("flags", &err);
	if (cache_delete(c, news, &err) < 0)
		return fail("delete", &err);
	if (cache_move(c, minutes, archive, &err) < 0)
		return fail("move", &err);
	if (cache_copy(c, important, work, &err) < 0)
		return fail("copy", &err);
	i = acct;
	if (cache_account_status(c, i, &st, &err) < 0)
		return fail("status", &err);
	printf("pending %zu\n", st.pending_ops);
	return st.pending_ops == 4 ? 0 : 1;
}

/* Waits (events only, up to 30 s) until seen(a, b): 0 seen, 1 not
 * (what: the failure). */
static int
wait_until(int (*seen)(const char *, const char *), const char *a,
    const char *b, const char *what)
{
	struct pollfd pfd = { 0, POLLIN, 0 };
	struct cache_event ev;
	time_t end;

	pfd.fd = cache_event_fd(c);
	for (end = time(NULL) + 30; time(NULL) < end;) {
		while (cache_event_read(c, &ev) == 1)
			errors_seen += ev.kind == CACHE_EV_ACCOUNT &&
			    ev.state == ACCOUNT_ERROR;
		if (seen(a, b)) {
			printf("seen\n");
			return 0;
		}
		poll(&pfd, 1, 500);
	}
	return fail(what, NULL);
}

static int
subject_in(const char *folder, const char *subject)
{
	return find(folder, subject) != 0;
}

static int
wait_subject(const char *folder, const char *subject)
{
	return wait_until(subject_in, folder, subject,
	    "the new message did not arrive through IDLE");
}

static int
folder_in(const char *name, const char *unused)
{
	struct error err;
	int64_t fid;

	(void)unused;
	return cache_folder_find(c, acct, name, &fid, &err) == 0;
}

/* Background syncs started within secs after one ended (a pass already
 * running does not count; a pass says "syncing" more than once). */
static int
count_syncs(int secs)
{
	struct pollfd pfd = { 0, POLLIN, 0 };
	struct cache_event ev;
	time_t end;
	int n = 0, ended = 0;

	pfd.fd = cache_event_fd(c);
	for (end = time(NULL) + secs; time(NULL) < end;) {
		while (cache_event_read(c, &ev) == 1) {
			if (ev.kind != CACHE_EV_ACCOUNT)
				continue;
			if (ev.state == ACCOUNT_ONLINE)
				ended = 1;
			else if (ev.state == ACCOUNT_SYNCING && ended) {
				n++;
				ended = 0;
			}
		}
		poll(&pfd, 1, 500);
	}
	return n;
}

/* After news: at most max more background syncs in the next 8 s. */
static int
settles(int max)
{
	int n = count_syncs(8);

	printf("syncs %d\n", n);
	return n <= max ? 0 : fail("news set off sync after sync", NULL);
}

static int
idle(const char *subject, const char *folder, const char *where)
{
	struct error err;
	int64_t fid = 0;

	if (folder && strcmp(folder, "-") == 0)
		folder = NULL;
	if (sync_now() != 0)
		return 1;
	if (folder && (cache_folder_find(c, acct, folder, &fid, &err) < 0 ||
	    cache_watch(c, acct, fid) < 0))
		return fail("watch", NULL);
	printf("synced\n");
	fflush(stdout);
	if (wait_subject(where ? where : folder ? folder : "INBOX",
	    subject) != 0)
		return 1;
	return settles(1);
}

static int
newfolder(const char *name)
{
	if (sync_now() != 0)
		return 1;
	printf("synced\n");
	fflush(stdout);
	if (wait_until(folder_in, name, NULL,
	    "the new folder did not arrive through IDLE") != 0)
		return 1;
	/* The pass that brought it selected it: Dovecot then reports the
	 * new folder's STATUS, which tells nothing the cache lacks. */
	return settles(0);
}

/* Whether the INBOX message with subject is \Flagged in the cache. */
static int
flagged_in(const char *subject, const char *unused)
{
	struct db_msg m;
	struct error err;
	int64_t id = find("INBOX", subject);
	int r;

	(void)unused;
	if (id == 0 || db_msg_get(cache_db(c), id, &m, &err) <= 0)
		return 0;
	r = (m.flags & MSG_FLAGGED) != 0;
	db_msg_clear(&m);
	return r;
}

static int
subject_out(const char *folder, const char *subject)
{
	return find(folder, subject) == 0;
}

static int
change(const char *subject)
{
	if (sync_now() != 0)
		return 1;
	if (find("INBOX", subject) == 0 || flagged_in(subject, NULL))
		return fail("the message to change is not in the cache as "
		    "expected", NULL);
	printf("synced\n");
	fflush(stdout);
	if (wait_until(flagged_in, subject, NULL,
	    "the flag change did not arrive through IDLE") != 0)
		return 1;
	printf("flagged\n");
	fflush(stdout);
	return wait_until(subject_out, "INBOX", subject,
	    "the expunge did not arrive through IDLE");
}

static int
gone(const char *folder, const char *subject)
{
	struct error err;
	char line[64];
	int64_t fid;

	if (sync_now() != 0)
		return 1;
	if (cache_folder_find(c, acct, folder, &fid, &err) < 0)
		return fail("find", &err);
	printf("synced\n");
	fflush(stdout);
	if (fgets(line, sizeof(line), stdin) == NULL)
		return fail("stdin", NULL);
	if (cache_watch(c, acct, fid) < 0)
		return fail("watch", NULL);
	printf("watching\n");
	fflush(stdout);
	return wait_subject("INBOX", subject);
}

static int
open_msg(const char *subject)
{
	struct buf b = BUF_INIT;
	struct cache_event ev;
	struct error err;
	int64_t id;
	int rc;

	if (sync_now() != 0)
		return 1;
	if ((id = find("INBOX", subject)) == 0)
		return fail("no such message", NULL);
	if ((rc = cache_message_raw(c, id, &b, &err)) < 0)
		return fail("raw", &err);
	if (rc == 0) {
		if (!wait_event(CACHE_EV_BODY_READY, 60, &ev) &&
		    ev.kind != CACHE_EV_BODY_READY)
			return fail("no body", NULL);
		if (cache_message_raw(c, id, &b, &err) != 1)
			return fail("raw after fetch", &err);
	}
	printf("body %zu\n", b.len);
	buf_free(&b);
	return 0;
}

static int
first_id(void *arg, int64_t id, uint32_t uid, const char *key,
    unsigned flags, struct error *err)
{
	int64_t *id_r = arg;

	(void)uid;
	(void)key;
	(void)flags;
	(void)err;
	if (*id_r == 0)
		*id_r = id;
	return 0;
}

static int
count_one(void *arg, int64_t id, uint32_t uid, const char *key,
    unsigned flags, struct error *err)
{
	(void)id;
	(void)uid;
	(void)key;
	(void)flags;
	(void)err;
	++*(size_t *)arg;
	return 0;
}

static int
interrupt(size_t total)
{
	struct pollfd pfd = { 0, POLLIN, 0 };
	struct cache_event ev;
	struct buf b = BUF_INIT;
	struct error err;
	int64_t inbox = 0, id = 0;
	int asked = 0, body = 0, done = 0;
	size_t n = 0;
	time_t end = time(NULL) + 120;

	if (cache_request_sync(c, acct, 0, 0, NULL, &err) < 0)
		return fail("sync", &err);
	pfd.fd = cache_event_fd(c);
	while (!done && time(NULL) < end) {
		poll(&pfd, 1, 200);
		while (cache_event_read(c, &ev) == 1) {
			if (ev.kind == CACHE_EV_SYNC_DONE) {
				done = 1;
				break; /* a body after this came too late */
			} else if (ev.kind == CACHE_EV_BODY_READY &&
			    ev.msg_id == id && !body) {
				body = 1;
				db_msg_each(cache_db(c), inbox, count_one, &n,
				    &err);
				printf("body arrived with %zu of %zu messages "
				    "indexed\n", n, total);
			} else if (ev.kind == CACHE_EV_BODY_FAILED)
				return fail(ev.text, NULL);
		}
		if (done || asked)
			continue;
		if (inbox == 0 && cache_folder_find(c, acct, "INBOX", &inbox,
		    &err) < 0)
			inbox = 0;
		if (inbox)
			db_msg_each(cache_db(c), inbox, first_id, &id, &err);
		if (id == 0)
			continue;
		if (cache_message_raw(c, id, &b, &err) < 0)
			return fail("raw", &err);
		asked = 1;
		printf("asked for a body during the sync\n");
	}
	buf_free(&b);
	printf("body %s, sync %s\n", body ? "arrived" : "missing",
	    done ? "done" : "running");
	return asked && body && n < total ? 0 : 1;
}

static int
edit(const char *folder, const char *action, const char *subject,
    const char *dest)
{
	struct error err;
	int64_t id = find(folder, subject), fid = 0, did = 0;
	int rc = -1;

	if (id == 0)
		return fail("no such message", NULL);
	error_clear(&err);
	if (strcmp(action, "flag") == 0)
		rc = cache_set_flags(c, id, MSG_FLAGGED, 0, &err);
	else if (strcmp(action, "seen") == 0)
		rc = cache_set_flags(c, id, MSG_SEEN, 0, &err);
	else if (strcmp(action, "delete") == 0)
		rc = cache_delete(c, id, &err);
	else if (strcmp(action, "expunge") == 0)
		rc = cache_delete(c, id, &err) < 0 || cache_folder_find(c,
		    acct, folder, &fid, &err) < 0 ? -1 :
		    cache_expunge_ids(c, fid, &id, 1, &err);
	else if ((strcmp(action, "copy") == 0 || strcmp(action,
	    "move") == 0) && dest)
		rc = cache_folder_find(c, acct, dest, &did, &err) < 0 ? -1 :
		    action[0] == 'c' ? cache_copy(c, id, did, &err) :
		    cache_move(c, id, did, &err);
	else
		error_set(&err, "unknown action %s", action);
	return rc < 0 ? fail(action, &err) : 0;
}

struct ids {
	int64_t *id;
	size_t n;
};

static int
collect_id(void *arg, int64_t id, uint32_t uid, const char *key,
    unsigned flags, struct error *err)
{
	struct ids *all = arg;
	int64_t *grown;

	(void)uid;
	(void)key;
	(void)flags;
	if ((grown = realloc(all->id, (all->n + 1) * sizeof(*grown))) == NULL)
		return error_set(err, "out of memory");
	all->id = grown;
	all->id[all->n++] = id;
	return 0;
}

/* One cache_bulk over every message of folder, as tagged messages from
 * the index screen: one op per message, which the replay groups. */
static int
bulk(const char *folder, const char *action, const char *dest)
{
	struct error err;
	struct ids all = { NULL, 0 };
	int64_t fid = 0, did = 0;
	int rc = -1;

	error_clear(&err);
	if (cache_folder_find(c, acct, folder, &fid, &err) < 0 ||
	    (dest && cache_folder_find(c, acct, dest, &did, &err) < 0))
		return fail(action, &err);
	db_msg_each(cache_db(c), fid, collect_id, &all, &err);
	if (strcmp(action, "flag") == 0)
		rc = cache_bulk(c, all.id, all.n, CACHE_BULK_FLAG, 0, &err);
	else if (strcmp(action, "move") == 0 && dest)
		rc = cache_bulk(c, all.id, all.n, CACHE_BULK_MOVE, did, &err);
	else
		error_set(&err, "unknown action %s", action);
	free(all.id);
	return rc < 0 ? fail(action, &err) : 0;
}

int
main(int argc, char **argv)
{
	struct config *cfg = NULL;
	struct error err;
	int rc;

	if (argc < 4)
		return fail("usage", NULL);
	if (config_load(argv[1], &cfg, &err) < 0)
		return fail("config", &err);
	if (cache_open(cfg, NULL, &c, &err) < 0)
		return fail("cache", &err);
	if (cache_account_find(c, argv[2], &acct, &err) < 0)
		return fail("account", &err);
	if (strcmp(argv[3], "ops") == 0)
		rc = ops(argc > 5 ? argv[4] : "Archive",
		    argc > 5 ? argv[5] : "Work");
	else if (strcmp(argv[3], "idle") == 0 && argc > 4)
		rc = idle(argv[4], argc > 5 ? argv[5] : NULL,
		    argc > 6 ? argv[6] : NULL);
	else if (strcmp(argv[3], "reconnect") == 0 && argc > 4) {
		rc = idle(argv[4], NULL, NULL);
		printf("errors %d\n", errors_seen);
		if (rc == 0 && errors_seen)
			rc = fail("the dropped IDLE showed as an error", NULL);
	} else if (strcmp(argv[3], "newfolder") == 0 && argc > 4)
		rc = newfolder(argv[4]);
	else if (strcmp(argv[3], "change") == 0 && argc > 4)
		rc = change(argv[4]);
	else if (strcmp(argv[3], "gone") == 0 && argc > 5)
		rc = gone(argv[4], argv[5]);
	else if (strcmp(argv[3], "flag") == 0 && argc > 4) {
		int64_t id = find("INBOX", argv[4]);

		rc = id && cache_set_flags(c, id, MSG_FLAGGED, 0, &err) == 0 ?
		    0 : fail("flag", id ? &err : NULL);
	} else if (strcmp(argv[3], "interrupt") == 0 && argc > 4)
		rc = interrupt(strtoul(argv[4], NULL, 10));
	else if (strcmp(argv[3], "edit") == 0 && argc > 6)
		rc = edit(argv[4], argv[5], argv[6], argc > 7 ? argv[7] : NULL);
	else if (strcmp(argv[3], "bulk") == 0 && argc > 5)
		rc = bulk(argv[4], argv[5], argc > 6 ? argv[6] : NULL);
	else if (strcmp(argv[3], "open") == 0 && argc > 4)
		rc = open_msg(argv[4]);
	else
		rc = fail("usage", NULL);
	cache_close(&c);
	config_free(&cfg);
	return rc;
}
