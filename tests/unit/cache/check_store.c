/* Unit tests of the Maildir store, reconcile, local changes and the
 * pending-operation queue replayed by a worker exactly once. */
#include <config.h>

#include <check.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "cache/account.h"
#include "cache/bodies.h"
#include "cache/cache.h"
#include "cache/cache_int.h" /* store_body_text */
#include "cache/driver.h"
#include "cache/maildir.h"
#include "check_cache.h"
#include "core/buf.h"

static char dir[64];

static void
setup(void)
{
	tmp_make(dir, sizeof(dir), "check_store");
}

static void
teardown(void)
{
	tmp_remove(dir);
}

static void
put_file(const char *sub, const char *name, const char *text)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/Maildir/%s/%s", dir, sub, name);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	fputs(text, fp);
	ck_assert_int_eq(fclose(fp), 0);
}

static int
file_exists(const char *sub, const char *name)
{
	char path[512];
	struct stat sb;

	snprintf(path, sizeof(path), "%s/Maildir/%s/%s", dir, sub, name);
	return stat(path, &sb) == 0;
}

/* The victim: a folder of the user's outside the cache, with a file. */
static void
make_victim(char *victim, size_t size)
{
	FILE *fp;
	char f[512];

	snprintf(victim, size, "%s/victim", dir);
	ck_assert_int_eq(mkdir(victim, 0700), 0);
	snprintf(f, sizeof(f), "%s/1", victim);
	ck_assert_ptr_nonnull(fp = fopen(f, "w"));
	fputs("precious", fp);
	ck_assert_int_eq(fclose(fp), 0);
}

static void
victim_intact(const char *victim)
{
	char f[512], got[32] = "";
	struct stat sb;
	FILE *fp;

	snprintf(f, sizeof(f), "%s/1", victim);
	ck_assert_msg(stat(f, &sb) == 0, "the victim's file was removed");
	ck_assert_ptr_nonnull(fp = fopen(f, "r"));
	ck_assert_ptr_nonnull(fgets(got, sizeof(got), fp));
	fclose(fp);
	ck_assert_str_eq(got, "precious");
}

/* Links planted in the body cache (a folder, a file) are never followed:
 * not to store, load, remove or drop. */
START_TEST(bodies_no_links)
{
	struct bodies *bd;
	struct error err;
	struct buf b = BUF_INIT;
	char root[256], victim[256], p[512], q[512];

	error_clear(&err);
	make_victim(victim, sizeof(victim));
	snprintf(root, sizeof(root), "%s/cache", dir);
	bd = bodies_new(root);
	ck_assert_msg(bodies_store(bd, "imap", "INBOX", 100, 1, "body", 4,
	    &err) == 0, "%s", err.msg);
	/* The UIDVALIDITY folder becomes a link to the victim. */
	snprintf(p, sizeof(p), "%s/imap/INBOX/100", root);
	snprintf(q, sizeof(q), "%s/1", p);
	ck_assert_int_eq(unlink(q), 0);
	ck_assert_int_eq(rmdir(p), 0);
	ck_assert_int_eq(symlink(victim, p), 0);
	ck_assert_int_eq(bodies_store(bd, "imap", "INBOX", 100, 1, "evil", 4,
	    &err), -1);
	ck_assert_msg(strstr(err.msg, "symbolic link"), "%s", err.msg);
	victim_intact(victim);
	ck_assert_int_eq(bodies_load(bd, "imap", "INBOX", 100, 1, &b, &err),
	    -1);
	ck_assert_msg(strstr(err.msg, "symbolic link"), "%s", err.msg);
	ck_assert_uint_eq(b.len, 0);
	bodies_remove(bd, "imap", "INBOX", 100, 1, &err);
	victim_intact(victim);
	bodies_drop_folder(bd, "imap", "INBOX", 0, &err);
	victim_intact(victim);
	/* A body file that is a link: load refuses, store replaces the
	 * link itself. */
	ck_assert_msg(bodies_store(bd, "imap", "INBOX", 200, 5, "body", 4,
	    &err) == 0, "%s", err.msg);
	snprintf(p, sizeof(p), "%s/imap/INBOX/200/5", root);
	snprintf(q, sizeof(q), "%s/1", victim);
	ck_assert_int_eq(unlink(p), 0);
	ck_assert_int_eq(symlink(q, p), 0);
	ck_assert_int_eq(bodies_load(bd, "imap", "INBOX", 200, 5, &b, &err),
	    -1);
	ck_assert_msg(strstr(err.msg, "symbolic link"), "%s", err.msg);
	ck_assert_int_eq(bodies_store(bd, "imap", "INBOX", 200, 5, "new!", 4,
	    &err), 0);
	victim_intact(victim);
	ck_assert_int_eq(bodies_load(bd, "imap", "INBOX", 200, 5, &b, &err),
	    1);
	ck_assert_str_eq(buf_cstr(&b), "new!");
	buf_free(&b);
	bodies_free(&bd);
}
END_TEST

static int
count_cb(void *arg, const struct maildir_entry *e, struct error *err)
{
	(void)e;
	(void)err;
	(*(int *)arg)++;
	return 0;
}

/* A Maildir's tmp/ planted as a link to another folder: the sweep of
 * old files in tmp/ would empty that folder.  Refused, nothing removed.
 * A link among the messages is not taken for one, nor read. */
START_TEST(maildir_no_links)
{
	struct maildir *md = NULL;
	struct buf b = BUF_INIT;
	struct error err;
	struct timeval old[2] = { { 0, 0 }, { 0, 0 } };
	char path[256], victim[256], p[512], q[512];
	int n = 0;

	error_clear(&err);
	make_victim(victim, sizeof(victim));
	snprintf(q, sizeof(q), "%s/1", victim);
	old[0].tv_sec = old[1].tv_sec = time(NULL) - 7 * 24 * 3600;
	ck_assert_int_eq(utimes(q, old), 0);
	snprintf(path, sizeof(path), "%s/Maildir", dir);
	ck_assert_int_eq(maildir_open(path, 1, &md, &err), 0);
	maildir_close(&md);
	snprintf(p, sizeof(p), "%s/tmp", path);
	ck_assert_int_eq(rmdir(p), 0);
	ck_assert_int_eq(symlink(victim, p), 0);
	ck_assert_int_eq(maildir_open(path, 1, &md, &err), -1);
	ck_assert_msg(strstr(err.msg, "symbolic link") && strstr(err.msg, p),
	    "%s", err.msg);
	victim_intact(victim);
	ck_assert_int_eq(maildir_open(path, 0, &md, &err), -1);
	victim_intact(victim);
	ck_assert_int_eq(unlink(p), 0);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	/* new/ group-writable: refused too. */
	snprintf(p, sizeof(p), "%s/new", path);
	ck_assert_int_eq(chmod(p, 0770), 0);
	ck_assert_int_eq(maildir_open(path, 1, &md, &err), -1);
	ck_assert_msg(strstr(err.msg, "chmod go-w"), "%s", err.msg);
	ck_assert_int_eq(chmod(p, 0700), 0);
	/* A link in new/ to the victim's file. */
	snprintf(p, sizeof(p), "%s/new/123.M1P1Q1.host", path);
	ck_assert_int_eq(symlink(q, p), 0);
	ck_assert_msg(maildir_open(path, 1, &md, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(maildir_scan(md, count_cb, &n, &err), 0);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(maildir_read(md, "123.M1P1Q1.host", &b, &err), -1);
	ck_assert_msg(strstr(err.msg, "symbolic link"), "%s", err.msg);
	ck_assert_uint_eq(b.len, 0);
	maildir_close(&md);
	victim_intact(victim);
}
END_TEST

START_TEST(maildir_basics)
{
	struct maildir *md = NULL;
	struct maildir_delivery *d = NULL;
	struct buf b = BUF_INIT;
	struct error err;
	char path[128], *key, *found;
	struct stat sb;

	snprintf(path, sizeof(path), "%s/Maildir", dir);
	ck_assert_int_eq(maildir_open(path, 0, &md, &err), -1);
	ck_assert_int_eq(maildir_open(path, 1, &md, &err), 0);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0700);
	ck_assert_int_eq(maildir_deliver_begin(md, &d, &err), 0);
	key = strdup(maildir_delivery_key(d));
	ck_assert(maildir_key_valid(key));
	ck_assert_ptr_null(strchr(key, ':'));
	ck_assert(file_exists("tmp", key));
	ck_assert_int_eq(maildir_deliver_write(d, "Subject: x\n\n", 12, &err),
	    0);
	ck_assert_int_eq(maildir_deliver_write(d, "body\n", 5, &err), 0);
	ck_assert_int_eq(maildir_deliver_commit(&d, 0, &err), 0);
	ck_assert_ptr_null(d);
	ck_assert(!file_exists("tmp", key));
	ck_assert(file_exists("new", key));
	snprintf(path, sizeof(path), "%s/Maildir/new/%s", dir, key);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	ck_assert_int_eq(maildir_read(md, key, &b, &err), 1);
	ck_assert_str_eq(b.data, "Subject: x\n\nbody\n");
	/* Flags move it to cur/ with the standard info. */
	ck_assert_int_eq(maildir_set_flags(md, key, MSG_SEEN | MSG_FLAGGED |
	    MSG_ANSWERED, &err), 1);
	ck_assert_int_eq(maildir_find(md, key, &found, &err), 1);
	ck_assert_ptr_nonnull(strstr(found, "/cur/"));
	ck_assert_str_eq(strrchr(found, ':'), ":2,FRS");
	ck_assert_uint_eq(maildir_info_flags(found), MSG_SEEN | MSG_FLAGGED |
	    MSG_ANSWERED);
	free(found);
	ck_assert_int_eq(maildir_remove(md, key, &err), 1);
	ck_assert_int_eq(maildir_remove(md, key, &err), 0);
	ck_assert_int_eq(maildir_read(md, key, &b, &err), 0);
	/* Aborted: nothing left. */
	ck_assert_int_eq(maildir_deliver_begin(md, &d, &err), 0);
	free(key);
	key = strdup(maildir_delivery_key(d));
	maildir_deliver_abort(&d);
	ck_assert_ptr_null(d);
	ck_assert(!file_exists("tmp", key));
	maildir_deliver_abort(&d);
	/* Hostile keys never name a path. */
	ck_assert(!maildir_key_valid("../../etc/passwd"));
	ck_assert(!maildir_key_valid(".hidden"));
	ck_assert(!maildir_key_valid("a:2,S"));
	ck_assert(!maildir_key_valid(""));
	ck_assert_int_eq(maildir_read(md, "../x", &b, &err), -1);
	free(key);
	buf_free(&b);
	maildir_close(&md);
	ck_assert_ptr_null(md);
}
END_TEST

START_TEST(maildir_commit_many)
{
	struct maildir *md = NULL;
	struct maildir_delivery *d[4];
	struct buf b = BUF_INIT;
	struct error err;
	char path[128], *keys[4];
	size_t i, done = 99;

	snprintf(path, sizeof(path), "%s/Maildir", dir);
	ck_assert_int_eq(maildir_open(path, 1, &md, &err), 0);
	for (i = 0; i < 4; i++) {
		char text[64];

		ck_assert_int_eq(maildir_deliver_begin(md, &d[i], &err), 0);
		keys[i] = strdup(maildir_delivery_key(d[i]));
		snprintf(text, sizeof(text), "Subject: %zu\n\nbody %zu\n", i, i);
		ck_assert_int_eq(maildir_deliver_write(d[i], text, strlen(text),
		    &err), 0);
	}
	/* A NULL entry (a message dropped from the batch) is skipped. */
	maildir_deliver_abort(&d[2]);
	ck_assert_int_eq(maildir_deliver_commit_many(d, 4, &done, &err), 0);
	ck_assert_uint_eq(done, 3);
	for (i = 0; i < 4; i++) {
		char want[64];

		ck_assert_ptr_null(d[i]);
		ck_assert(!file_exists("tmp", keys[i]));
		ck_assert_int_eq(file_exists("new", keys[i]), i != 2);
		if (i == 2)
			continue;
		buf_reset(&b);
		ck_assert_int_eq(maildir_read(md, keys[i], &b, &err), 1);
		snprintf(want, sizeof(want), "Subject: %zu\n\nbody %zu\n", i, i);
		ck_assert_str_eq(b.data, want);
	}
	/* A key already in new/ is never overwritten: the batch fails. */
	ck_assert_int_eq(maildir_deliver_begin(md, &d[0], &err), 0);
	put_file("new", maildir_delivery_key(d[0]), "older");
	ck_assert_int_eq(maildir_deliver_commit_many(d, 1, &done, &err), -1);
	ck_assert_uint_eq(done, 0);
	ck_assert_ptr_null(d[0]);
	ck_assert_ptr_nonnull(strstr(err.msg, "cannot deliver"));
	for (i = 0; i < 4; i++)
		free(keys[i]);
	buf_free(&b);
	maildir_close(&md);
}
END_TEST

static struct index *
open_inbox(struct cache *c, const char *account)
{
	struct index *ix = NULL;
	struct error err;
	size_t a;
	int64_t f;

	ck_assert_int_eq(cache_account_find(c, account, &a, &err), 0);
	ck_assert_int_eq(cache_folder_find(c, a, "inbox", &f, &err), 0);
	ck_assert_int_eq(cache_index_open(c, f, INDEX_SORT_SUBJECT, 0, &ix,
	    &err), 0);
	return ix;
}

START_TEST(reconcile)
{
	struct cache_opts o = { dir, dir };
	struct config *cfg = test_config(dir);
	struct cache *c = NULL;
	struct index *ix;
	struct error err;
	struct buf b = BUF_INIT;
	size_t pop;

	error_clear(&err);
	ck_assert_msg(cache_open(cfg, &o, &c, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(cache_account_find(c, "pop", &pop, &err), 0);
	ix = open_inbox(c, "pop");
	ck_assert_uint_eq(index_count(ix), 0);
	index_free(&ix);
	/* Another program delivers two, one already read. */
	put_file("new", "1000.A.host", "From: a@x\nSubject: one\n\nfirst\n");
	put_file("cur", "1001.B.host:2,S", "From: b@x\nSubject: two\n\n2\n");
	ck_assert_int_eq(cache_reconcile(c, pop, &err), 0);
	ix = open_inbox(c, "pop");
	ck_assert_uint_eq(index_count(ix), 2);
	ck_assert_str_eq(index_subject(ix, index_get(ix, 0)), "one");
	ck_assert_uint_eq(index_get(ix, 0)->flags, 0);
	ck_assert_uint_eq(index_get(ix, 1)->flags, MSG_SEEN);
	/* Our own change renames the file. */
	ck_assert_int_eq(cache_set_flags(c, index_get(ix, 0)->id, MSG_SEEN |
	    MSG_FLAGGED, 0, &err), 0);
	ck_assert(file_exists("cur", "1000.A.host:2,FS"));
	ck_assert_int_eq(cache_message_raw(c, index_get(ix, 0)->id, &b, &err),
	    1);
	ck_assert_str_eq(b.data, "From: a@x\nSubject: one\n\nfirst\n");
	index_free(&ix);
	/* It re-flags one, removes the other, adds a third. */
	{
		char a[512], z[512];

		snprintf(a, sizeof(a), "%s/Maildir/cur/1000.A.host:2,FS", dir);
		snprintf(z, sizeof(z), "%s/Maildir/cur/1000.A.host:2,RS", dir);
		ck_assert_int_eq(rename(a, z), 0);
		snprintf(a, sizeof(a), "%s/Maildir/cur/1001.B.host:2,S", dir);
		ck_assert_int_eq(unlink(a), 0);
	}
	put_file("new", "1002.C.host", "From: c@x\nSubject: three\n\n3\n");
	ck_assert_int_eq(cache_reconcile(c, pop, &err), 0);
	ix = open_inbox(c, "pop");
	ck_assert_uint_eq(index_count(ix), 2);
	ck_assert_str_eq(index_subject(ix, index_get(ix, 0)), "one");
	ck_assert_uint_eq(index_get(ix, 0)->flags, MSG_SEEN | MSG_ANSWERED);
	ck_assert_str_eq(index_subject(ix, index_get(ix, 1)), "three");
	/* A deletion removes the file; the search index follows. */
	ck_assert_int_eq(cache_delete(c, index_get(ix, 1)->id, &err), 0);
	ck_assert(!file_exists("new", "1002.C.host"));
	index_free(&ix);
	ix = open_inbox(c, "pop");
	ck_assert_uint_eq(index_count(ix), 1);
	index_free(&ix);
	cache_close(&c);
	ck_assert_ptr_null(c);
	/* Reopening reconciles too. */
	put_file("new", "1003.D.host", "From: d@x\nSubject: four\n\n4\n");
	ck_assert_int_eq(cache_open(cfg, &o, &c, &err), 0);
	ix = open_inbox(c, "pop");
	ck_assert_uint_eq(index_count(ix), 2);
	index_free(&ix);
	cache_close(&c);
	buf_free(&b);
	config_free(&cfg);
}
END_TEST

/* --- a driver stub for the IMAP protocol: counts replays --- */

static int replays[64];
static int fetches;
static uint32_t server_uidvalidity; /* 0: the stub does not check */
static int dropped;

static int
stub_sync(struct cache_sync_ctx *ctx, int64_t folder_id, unsigned flags,
    struct error *err)
{
	struct db_folder f;
	int rc;

	if (server_uidvalidity == 0)
		return 0;
	if (db_folder_find(cache_sync_db(ctx), "imap", "INBOX", &f, err) <= 0)
		return -1;
	rc = cache_sync_uidvalidity(ctx, f.id, server_uidvalidity, err);
	db_folder_clear(&f);
	if (rc < 0)
		return -1;
	dropped += rc;
	return 0;
}

static int
stub_replay(struct cache_sync_ctx *ctx, const struct db_op *op,
    struct error *err)
{
	struct db *db = cache_sync_db(ctx);

	if (op->id >= 0 && op->id < 64)
		replays[op->id]++;
	/* The confirmation's local effect and "done" in one transaction. */
	if (db_begin(db, err) < 0)
		return -1;
	if (db_op_done(db, op->id, err) < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, err);
}

static int
stub_fetch(struct cache_sync_ctx *ctx, int64_t msg_id, struct error *err)
{
	static const char body[] = "Subject: fetched\n\nfrom the server\n";

	fetches++;
	return cache_sync_store_body(ctx, msg_id, body, sizeof(body) - 1, err);
}

const struct cache_driver cache_driver_imap = {
	"imap", stub_sync, stub_fetch, stub_replay, NULL, NULL, NULL,
	&cache_local_imap, NULL,
};

static int
wait_event(struct cache *c, enum cache_event_kind kind,
    struct cache_event *ev)
{
	struct pollfd pfd = { cache_event_fd(c), POLLIN, 0 };
	int i;

	for (i = 0; i < 200; i++) {
		while (cache_event_read(c, ev) == 1)
			if (ev->kind == kind)
				return 1;
		poll(&pfd, 1, 50);
	}
	return 0;
}

static void
sync_and_wait(struct cache *c, size_t a)
{
	struct cache_event ev;
	struct error err;

	ck_assert_int_eq(cache_request_sync(c, a, 0, 0, NULL, &err), 0);
	ck_assert(wait_event(c, CACHE_EV_SYNC_DONE, &ev));
	ck_assert_int_eq(ev.status, 0);
}

/* The search text of a body: each word once, ASCII folded as the
 * tokenizer folds it, split only where the tokenizer splits (ASCII
 * punctuation and space), quoted lines included, headers not. */
START_TEST(body_words)
{
	static const char msg[] =
	    "From: a@x\nSubject: ignored-subject\n"
	    "Content-Type: text/plain; charset=utf-8\n\n"
	    "Hello hello HELLO na\xc3\xafve caf\xc3\xa9-bar foo_bar\n"
	    "> quoted Hello words\n";
	char *t = store_body_text(msg, sizeof(msg) - 1);

	ck_assert_ptr_nonnull(t);
	ck_assert_str_eq(t, "hello na\xc3\xafve caf\xc3\xa9 bar foo quoted "
	    "words");
	free(t);
}
END_TEST

START_TEST(queue_replayed_once)
{
	struct cache_opts o = { dir, dir };
	struct config *cfg = test_config(dir);
	struct cache *c = NULL;
	struct cache_account_status st;
	struct cache_event ev;
	struct db_folder f;
	struct db_msg m;
	struct error err;
	struct buf b = BUF_INIT;
	int64_t inbox, trash, id;
	size_t a, i, pending;

	memset(replays, 0, sizeof(replays));
	error_clear(&err);
	ck_assert_int_eq(cache_open(cfg, &o, &c, &err), 0);
	ck_assert_int_eq(cache_account_find(c, "imap", &a, &err), 0);
	/* What an IMAP sync would have stored. */
	ck_assert_int_eq(db_folder_ensure(cache_db(c), "imap", "INBOX",
	    FOLDER_ROLE_INBOX, &inbox, &err), 0);
	ck_assert_int_eq(db_folder_ensure(cache_db(c), "imap", "Trash",
	    FOLDER_ROLE_TRASH, &trash, &err), 0);
	ck_assert_int_eq(db_folder_get(cache_db(c), inbox, &f, &err), 1);
	f.uidvalidity = 7;
	ck_assert_int_eq(db_folder_update(cache_db(c), &f, &err), 0);
	db_folder_clear(&f);
	memset(&m, 0, sizeof(m));
	m.folder_id = inbox;
	m.uid = 11;
	m.subject = "s";
	ck_assert_int_eq(db_msg_insert(cache_db(c), &m, &err), 0);
	id = m.id;
	/* Offline changes: applied at once, queued. */
	ck_assert_int_eq(cache_set_flags(c, id, MSG_SEEN | MSG_FLAGGED, 0,
	    &err), 0);
	ck_assert_int_eq(cache_move(c, id, trash, &err), 0);
	ck_assert_int_eq(db_msg_get(cache_db(c), id, &m, &err), 1);
	ck_assert_int_eq(m.folder_id, trash);
	ck_assert_uint_eq(m.flags, MSG_SEEN | MSG_FLAGGED);
	db_msg_clear(&m);
	ck_assert_int_eq(cache_account_status(c, a, &st, &err), 0);
	ck_assert_uint_eq(st.pending_ops, 2);
	ck_assert_int_eq(st.state, ACCOUNT_OFFLINE);
	cache_close(&c);

	/* A restart keeps them; a worker replays each once. */
	ck_assert_int_eq(cache_open(cfg, &o, &c, &err), 0);
	ck_assert_int_eq(db_op_pending(cache_db(c), "imap", &pending, &err),
	    0);
	ck_assert_uint_eq(pending, 2);
	sync_and_wait(c, a);
	sync_and_wait(c, a);
	ck_assert_int_eq(db_op_pending(cache_db(c), "imap", &pending, &err),
	    0);
	ck_assert_uint_eq(pending, 0);
	ck_assert_int_eq(cache_account_status(c, a, &st, &err), 0);
	ck_assert_int_eq(st.state, ACCOUNT_ONLINE);
	ck_assert_int_gt(st.last_sync, 0);
	cache_close(&c);
	ck_assert_int_eq(cache_open(cfg, &o, &c, &err), 0);
	sync_and_wait(c, a);
	for (i = 0; i < 64; i++)
		ck_assert_int_le(replays[i], 1);
	ck_assert_int_eq(replays[1] + replays[2], 2);

	/* A body not cached: asked of the worker, then there. */
	fetches = 0;
	ck_assert_int_eq(cache_move(c, id, inbox, &err), 0);
	ck_assert_int_eq(cache_message_raw(c, id, &b, &err), 0);
	ck_assert(wait_event(c, CACHE_EV_BODY_READY, &ev));
	ck_assert_int_eq(ev.msg_id, id);
	ck_assert_int_eq(cache_message_raw(c, id, &b, &err), 1);
	ck_assert_str_eq(b.data, "Subject: fetched\n\nfrom the server\n");
	ck_assert_int_eq(fetches, 1);
	/* The fetched body's text is searchable. */
	{
		int64_t *ids;
		size_t n;

		ck_assert_int_eq(cache_search(c, 0, "server", &ids, &n, &err),
		    0);
		ck_assert_uint_eq(n, 1);
		ck_assert_int_eq(ids[0], id);
		free(ids);
	}

	cache_close(&c);
	buf_free(&b);
	config_free(&cfg);
}
END_TEST

/* A saved search runs over the folders of the accounts it names, and
 * counts the unread messages among its matches. */
static int64_t
add_msg(struct cache *c, int64_t folder, uint32_t uid, const char *subject,
    unsigned flags)
{
	struct db_msg m;
	struct error err;

	memset(&m, 0, sizeof(m));
	m.folder_id = folder;
	m.uid = uid;
	m.subject = (char *)subject;
	m.from = (char *)"Alice <alice@example.org>";
	m.flags = flags;
	ck_assert_int_eq(db_msg_insert(cache_db(c), &m, &err), 0);
	return m.id;
}

START_TEST(saved_search)
{
	static const char text[] =
	    "[account a]\nhost = h\nuser = u\n"
	    "[account b]\nhost = h\nuser = u\n"
	    "[account c]\nhost = h\nuser = u\n"
	    "[searches]\n"
	    "inbox = a/INBOX, b/inbox:\n"
	    "budget = a, b: budget ~U\n"
	    "every = ~A\n";
	struct cache_opts o = { dir, dir };
	struct config *cfg = NULL;
	struct cache *c = NULL;
	struct error err;
	int64_t ain, aarch, bin, cin, ids_want[4], *ids;
	size_t n, i;
	unsigned unread = 99;

	error_clear(&err);
	ck_assert_int_eq(config_parse("t", text, strlen(text), &cfg, &err), 0);
	ck_assert_int_eq(cache_open(cfg, &o, &c, &err), 0);
	ck_assert_int_eq(db_folder_ensure(cache_db(c), "a", "INBOX",
	    FOLDER_ROLE_INBOX, &ain, &err), 0);
	ck_assert_int_eq(db_folder_ensure(cache_db(c), "a", "Archive",
	    FOLDER_ROLE_ARCHIVE, &aarch, &err), 0);
	ck_assert_int_eq(db_folder_ensure(cache_db(c), "b", "INBOX",
	    FOLDER_ROLE_INBOX, &bin, &err), 0);
	ck_assert_int_eq(db_folder_ensure(cache_db(c), "c", "INBOX",
	    FOLDER_ROLE_INBOX, &cin, &err), 0);
	ids_want[0] = add_msg(c, ain, 1, "budget draft", 0);
	ids_want[1] = add_msg(c, ain, 2, "lunch", MSG_SEEN);
	ids_want[2] = add_msg(c, bin, 1, "budget final", MSG_SEEN);
	ids_want[3] = add_msg(c, aarch, 1, "old budget", 0);
	add_msg(c, cin, 1, "budget elsewhere", 0);

	/* The unified inbox: both INBOXes (named in any case), not the
	 * archive nor account c. */
	ck_assert_int_eq(cache_saved_search(c, config_search(cfg, "inbox"),
	    &ids, &n, &unread, &err), 0);
	ck_assert_uint_eq(n, 3);
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(ids[i], ids_want[i]);
	ck_assert_uint_eq(unread, 1);
	free(ids);
	/* A pattern over every folder of a and b. */
	ck_assert_int_eq(cache_saved_search(c, config_search(cfg, "budget"),
	    &ids, &n, &unread, &err), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(ids[0], ids_want[0]);
	ck_assert_int_eq(ids[1], ids_want[3]);
	ck_assert_uint_eq(unread, 2);
	free(ids);
	/* No scope: every account. */
	ck_assert_int_eq(cache_saved_search(c, config_search(cfg, "every"),
	    &ids, &n, NULL, &err), 0);
	ck_assert_uint_eq(n, 5);
	free(ids);
	ck_assert(cache_saved_search_in(c, config_search(cfg, "inbox"), 1));
	ck_assert(!cache_saved_search_in(c, config_search(cfg, "inbox"), 2));
	ck_assert(cache_saved_search_in(c, config_search(cfg, "every"), 2));
	cache_close(&c);
	config_free(&cfg);
}
END_TEST

/* Gmail's All Mail holds every message once more: a saved search over a
 * whole account counts a message once (found in INBOX or Sent), and
 * still finds mail only All Mail holds (archived) or without a
 * Message-ID; All Mail named alone, and another account's folders, are
 * searched as they are. */
static int64_t
add_mid(struct cache *c, int64_t folder, uint32_t uid, const char *mid,
    unsigned flags)
{
	struct db_msg m;
	struct error err;

	memset(&m, 0, sizeof(m));
	m.folder_id = folder;
	m.uid = uid;
	m.subject = (char *)"s";
	m.message_id = (char *)mid;
	m.flags = flags;
	ck_assert_int_eq(db_msg_insert(cache_db(c), &m, &err), 0);
	return m.id;
}

START_TEST(saved_search_all_mail_once)
{
	static const char text[] =
	    "[account g]\nhost = h\nuser = u\n"
	    "[account h]\nhost = h\nuser = u\n"
	    "[searches]\n"
	    "gmail = g: ~A\n"
	    "allmail = g/[Gmail]/All Mail: ~A\n"
	    "both = ~A\n";
	struct cache_opts o = { dir, dir };
	struct config *cfg = NULL;
	struct cache *c = NULL;
	struct error err;
	int64_t in, all, sent, hin, want[4], *ids;
	size_t n, i;
	unsigned unread = 99;

	error_clear(&err);
	ck_assert_int_eq(config_parse("t", text, strlen(text), &cfg, &err), 0);
	ck_assert_int_eq(cache_open(cfg, &o, &c, &err), 0);
	ck_assert_int_eq(db_folder_ensure(cache_db(c), "g", "INBOX",
	    FOLDER_ROLE_INBOX, &in, &err), 0);
	ck_assert_int_eq(db_folder_ensure(cache_db(c), "g",
	    "[Gmail]/All Mail", FOLDER_ROLE_ALL, &all, &err), 0);
	ck_assert_int_eq(db_folder_ensure(cache_db(c), "g",
	    "[Gmail]/Sent Mail", FOLDER_ROLE_SENT, &sent, &err), 0);
	ck_assert_int_eq(db_folder_ensure(cache_db(c), "h", "INBOX",
	    FOLDER_ROLE_INBOX, &hin, &err), 0);
	want[0] = add_mid(c, in, 1, "<1@x>", 0);
	want[1] = add_mid(c, sent, 1, "<3@x>", MSG_SEEN);
	add_mid(c, all, 1, "<1@x>", 0);
	want[2] = add_mid(c, all, 2, "<2@x>", 0);    /* archived */
	add_mid(c, all, 3, "<3@x>", MSG_SEEN);
	want[3] = add_mid(c, all, 4, NULL, MSG_SEEN);
	add_mid(c, hin, 1, "<2@x>", 0);             /* another account */
	ck_assert_int_eq(cache_saved_search(c, config_search(cfg, "gmail"),
	    &ids, &n, &unread, &err), 0);
	ck_assert_uint_eq(n, 4);
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(ids[i], want[i]);
	ck_assert_uint_eq(unread, 2); /* <1@x> once, <2@x> */
	free(ids);
	ck_assert_int_eq(cache_saved_search(c, config_search(cfg, "allmail"),
	    &ids, &n, NULL, &err), 0);
	ck_assert_uint_eq(n, 4);
	free(ids);
	ck_assert_int_eq(cache_saved_search(c, config_search(cfg, "both"),
	    &ids, &n, NULL, &err), 0);
	ck_assert_uint_eq(n, 5);
	free(ids);
	cache_close(&c);
	config_free(&cfg);
}
END_TEST

START_TEST(uidvalidity_change)
{
	struct cache_opts o = { dir, dir };
	struct config *cfg = test_config(dir);
	struct cache *c = NULL;
	struct db_msg m;
	struct error err;
	struct buf b = BUF_INIT;
	int64_t inbox;
	size_t a;

	ck_assert_int_eq(cache_open(cfg, &o, &c, &err), 0);
	ck_assert_int_eq(cache_account_find(c, "imap", &a, &err), 0);
	ck_assert_int_eq(db_folder_ensure(cache_db(c), "imap", "INBOX",
	    FOLDER_ROLE_INBOX, &inbox, &err), 0);
	memset(&m, 0, sizeof(m));
	m.folder_id = inbox;
	m.uid = 3;
	ck_assert_int_eq(db_msg_insert(cache_db(c), &m, &err), 0);
	/* First sight: recorded, nothing dropped. */
	server_uidvalidity = 100;
	dropped = 0;
	sync_and_wait(c, a);
	ck_assert_int_eq(dropped, 0);
	ck_assert_int_eq(cache_message_raw(c, m.id, &b, &err), 0);
	{
		struct cache_event ev;

		ck_assert(wait_event(c, CACHE_EV_BODY_READY, &ev));
	}
	ck_assert_int_eq(cache_message_raw(c, m.id, &b, &err), 1);
	/* Same value: kept. */
	sync_and_wait(c, a);
	ck_assert_int_eq(dropped, 0);
	ck_assert_int_eq(db_msg_get(cache_db(c), m.id, &m, &err), 1);
	db_msg_clear(&m);
	/* Changed: index records and bodies go. */
	server_uidvalidity = 200;
	sync_and_wait(c, a);
	ck_assert_int_eq(dropped, 1);
	ck_assert_int_eq(db_msg_find_uid(cache_db(c), inbox, 3, &m.id, &err),
	    0);
	{
		struct bodies *bd = bodies_new(dir);

		buf_reset(&b);
		ck_assert_int_eq(bodies_load(bd, "imap", "INBOX", 100, 3, &b,
		    &err), 0);
		bodies_free(&bd);
	}
	server_uidvalidity = 0;
	cache_close(&c);
	buf_free(&b);
	config_free(&cfg);
}
END_TEST

START_TEST(folder_tree)
{
	static const char *names[] = { "Work/Projects", "Archive", "INBOX",
		"Work", "Sent", "Entwürfe" };
	static const enum folder_role roles[] = { 0, FOLDER_ROLE_ARCHIVE,
		FOLDER_ROLE_INBOX, 0, FOLDER_ROLE_SENT, 0 };
	struct cache_opts o = { dir, dir };
	struct config *cfg = test_config(dir);
	struct cache_folder *f;
	struct cache *c = NULL;
	struct error err;
	int64_t id;
	size_t a, n, i;

	ck_assert_int_eq(cache_open(cfg, &o, &c, &err), 0);
	ck_assert_int_eq(cache_account_find(c, "imap", &a, &err), 0);
	ck_assert_int_eq(cache_account_find(c, "nope", &a, &err), -1);
	ck_assert_int_eq(cache_account_find(c, "imap", &a, &err), 0);
	for (i = 0; i < 6; i++)
		ck_assert_int_eq(db_folder_ensure(cache_db(c), "imap",
		    names[i], roles[i], &id, &err), 0);
	ck_assert_int_eq(cache_folders(c, a, &f, &n, &err), 0);
	ck_assert_uint_eq(n, 6);
	ck_assert_str_eq(f[0].name, "INBOX");
	ck_assert_str_eq(f[1].name, "Sent");
	ck_assert_str_eq(f[2].name, "Archive");
	ck_assert_str_eq(f[3].name, "Entwürfe");
	ck_assert_str_eq(f[4].name, "Work");
	ck_assert_str_eq(f[5].name, "Work/Projects");
	ck_assert_str_eq(f[5].leaf, "Projects");
	ck_assert_uint_eq(f[5].depth, 1);
	ck_assert_uint_eq(f[4].depth, 0);
	cache_folders_free(&f, n);
	ck_assert_ptr_null(f);
	cache_close(&c);
	config_free(&cfg);
}
END_TEST

START_TEST(account_words)
{
	static const char text[] =
	    "[account i]\nprotocol = imap\nhost = h\nuser = u\n"
	    "password_command = true\n\n"
	    "[account d]\nprotocol = pop3\nhost = h\nuser = u\n"
	    "password_command = true\ntls = starttls\nkeep_on_server = no\n\n"
	    "[account k]\nprotocol = pop3\nhost = h\nuser = u\n"
	    "password_command = true\nkeep_on_server = yes\n\n"
	    "[account n]\nprotocol = pop3\nhost = h\nuser = u\n"
	    "password_command = true\nkeep_on_server = yes\nkeep_days = 7\n"
	    "tls = none\nallow_plaintext = yes\n\n"
	    "[account s]\nprotocol = imap\nhost = h\nuser = u\n"
	    "password_command = true\nfrom = u@example.org\n"
	    "smtp_tls = none\nallow_plaintext = yes\n";
	struct config *cfg = NULL;
	struct account a;
	struct error err;

	ck_assert_int_eq(config_parse("t", text, sizeof(text) - 1, &cfg, &err),
	    0);
	account_init(&a, &cfg->accounts[0]);
	ck_assert_str_eq(a.name, "i");
	ck_assert_int_eq(a.mode, ACCOUNT_MODE_KEEP);
	ck_assert_str_eq(a.mode_name, "keep-on-server");
	ck_assert_str_eq(a.mode_words, "keeps mail on server");
	ck_assert_str_eq(account_security_name(a.security), "tls");
	ck_assert(!a.insecure);
	account_init(&a, &cfg->accounts[1]);
	ck_assert_int_eq(a.mode, ACCOUNT_MODE_DELETE);
	ck_assert_str_eq(a.mode_name, "download-and-delete");
	ck_assert_str_eq(a.mode_words, "downloads and deletes");
	ck_assert_str_eq(account_security_name(a.security), "starttls");
	account_init(&a, &cfg->accounts[2]);
	ck_assert_int_eq(a.mode, ACCOUNT_MODE_KEEP);
	ck_assert_str_eq(a.mode_words, "keeps mail on server");
	account_init(&a, &cfg->accounts[3]);
	ck_assert_int_eq(a.mode, ACCOUNT_MODE_KEEP_DAYS);
	ck_assert_uint_eq(a.keep_days, 7);
	ck_assert_str_eq(a.mode_name, "keep-on-server-7-days");
	ck_assert_str_eq(a.mode_words, "keeps on server for 7 days");
	ck_assert_str_eq(account_security_name(a.security), "plaintext");
	ck_assert(a.insecure);
	ck_assert(!a.send_insecure); /* it does not send */
	/* Reads over TLS, sends in plaintext: insecure all the same. */
	account_init(&a, &cfg->accounts[4]);
	ck_assert(!a.insecure);
	ck_assert(a.send_insecure);
	account_init(&a, &cfg->accounts[0]);
	ck_assert(!a.send_insecure);
	ck_assert_str_eq(account_state_name(ACCOUNT_ONLINE), "online");
	ck_assert_str_eq(account_state_name(ACCOUNT_ERROR), "error");
	config_free(&cfg);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cache_store");
	TCase *tc = tcase_create("store");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, account_words);
	tcase_add_test(tc, body_words);
	tcase_add_test(tc, maildir_basics);
	tcase_add_test(tc, bodies_no_links);
	tcase_add_test(tc, maildir_no_links);
	tcase_add_test(tc, maildir_commit_many);
	tcase_add_test(tc, reconcile);
	tcase_add_test(tc, queue_replayed_once);
	tcase_add_test(tc, uidvalidity_change);
	tcase_add_test(tc, saved_search);
	tcase_add_test(tc, saved_search_all_mail_once);
	tcase_add_test(tc, folder_tree);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
