/*
 * Unit tests of folder generations (cache.h, Generations): how a screen
 * learns that a folder changed, whoever changed it, with nothing to
 * count.  A change by the UI thread moves the folder's generation by
 * exactly one (also when nothing needed changing), a worker's event
 * moves it, another process's commit moves it through PRAGMA
 * data_version, and this process's other connections do not pass for
 * another process.
 */
#include "config.h"

#include <sys/wait.h>

#include "cache/cache.h"
#include "cache/cache_int.h"
#include "cache/db.h"
#include "tests/unit/cache/check_cache.h"

static char dir[64];
static struct config *cfg;

static void
setup(void)
{
	tmp_make(dir, sizeof(dir), "postie-gen");
}

static void
teardown(void)
{
	config_free(&cfg);
	tmp_remove(dir);
}

static struct cache *
open_imap(int64_t *inbox_r, int64_t *other_r, size_t *a_r)
{
	struct cache_opts o = { dir, dir };
	struct cache *c = NULL;
	struct error err;

	error_clear(&err);
	cfg = test_config(dir);
	ck_assert_msg(cache_open(cfg, &o, &c, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(cache_account_find(c, "imap", a_r, &err), 0);
	ck_assert_int_eq(db_folder_ensure(cache_db(c), "imap", "INBOX",
	    FOLDER_ROLE_INBOX, inbox_r, &err), 0);
	ck_assert_int_eq(db_folder_ensure(cache_db(c), "imap", "Archive",
	    FOLDER_ROLE_ARCHIVE, other_r, &err), 0);
	return c;
}

/* What a worker posts after committing a change to folder. */
static void
worker_changed(struct cache *c, size_t a, int64_t folder)
{
	struct cache_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = CACHE_EV_FOLDER_CHANGED;
	ev.account = a;
	ev.folder_id = folder;
	cache_post(c, &ev);
}

/* Writes to the index from another process, as `postie sync` does. */
static void
other_process_writes(int64_t folder, uint32_t uid)
{
	char path[128];
	pid_t pid;
	int st;

	snprintf(path, sizeof(path), "%s/postie.db", dir);
	if ((pid = fork()) == 0) {
		struct db *db = NULL;
		struct error err;

		if (db_open(path, &db, &err) < 0)
			_exit(2);
		test_msg_add(db, folder, uid, 0);
		db_close(&db);
		_exit(0);
	}
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "the other process could not write");
}

START_TEST(own_changes_move_by_one)
{
	struct cache *c;
	struct error err;
	int64_t inbox, other, id;
	uint64_t g, go, ga;
	size_t a;

	c = open_imap(&inbox, &other, &a);
	id = test_msg_add(cache_db(c), inbox, 1, 0);
	g = cache_folder_gen(c, inbox);
	go = cache_folder_gen(c, other);
	ga = cache_account_gen(c, a);
	ck_assert_int_eq(cache_set_flags(c, id, MSG_SEEN, 0, &err), 0);
	ck_assert_uint_eq(cache_folder_gen(c, inbox), g + 1);
	ck_assert_uint_eq(cache_account_gen(c, a), ga + 1);
	ck_assert_uint_eq(cache_folder_gen(c, other), go);
	/* Already so: nothing to write, and still exactly one. */
	ck_assert_int_eq(cache_set_flags(c, id, MSG_SEEN, 0, &err), 0);
	ck_assert_uint_eq(cache_folder_gen(c, inbox), g + 2);
	ck_assert_int_eq(cache_delete(c, id, &err), 0);
	ck_assert_uint_eq(cache_folder_gen(c, inbox), g + 3);
	/* A move touches both folders. */
	ck_assert_int_eq(cache_move(c, id, other, &err), 0);
	ck_assert_uint_gt(cache_folder_gen(c, inbox), g + 3);
	ck_assert_uint_gt(cache_folder_gen(c, other), go);
	/* The UI's own changes post no event: the generation says it. */
	{
		struct cache_event ev;

		ck_assert_int_eq(cache_event_read(c, &ev), 0);
	}
	cache_close(&c);
}
END_TEST

START_TEST(noop_does_not_hide_a_real_change)
{
	struct cache *c;
	struct error err;
	int64_t inbox, other, id;
	uint64_t g;
	size_t a;

	/* A screen loaded at g; a worker then changes the folder, and the
	 * user's change finds nothing to do (the worker did it).  The
	 * screen must see more than its own +1, or it keeps the old view. */
	c = open_imap(&inbox, &other, &a);
	id = test_msg_add(cache_db(c), inbox, 1, MSG_SEEN);
	g = cache_folder_gen(c, inbox);
	worker_changed(c, a, inbox);
	ck_assert_int_eq(cache_set_flags(c, id, MSG_SEEN, 0, &err), 0);
	ck_assert_uint_eq(cache_folder_gen(c, inbox), g + 2);
	/* The worker's event is delivered, not swallowed. */
	{
		struct cache_event ev;

		ck_assert_int_eq(cache_event_read(c, &ev), 1);
		ck_assert_int_eq(ev.kind, CACHE_EV_FOLDER_CHANGED);
		ck_assert_int_eq(ev.folder_id, inbox);
	}
	cache_close(&c);
}
END_TEST

START_TEST(another_process_is_seen)
{
	struct cache *c;
	int64_t inbox, other;
	uint64_t g, go;
	size_t a;

	c = open_imap(&inbox, &other, &a);
	g = cache_folder_gen(c, inbox);
	go = cache_folder_gen(c, other);
	ck_assert_uint_eq(cache_folder_gen(c, inbox), g);
	other_process_writes(inbox, 7);
	/* Another process does not say which folder: every one moves. */
	ck_assert_uint_gt(cache_folder_gen(c, inbox), g);
	ck_assert_uint_gt(cache_folder_gen(c, other), go);
	g = cache_folder_gen(c, inbox);
	ck_assert_uint_eq(cache_folder_gen(c, inbox), g);
	cache_close(&c);
}
END_TEST

START_TEST(own_connections_are_not_another_process)
{
	struct cache *c;
	struct db *w = NULL;
	struct error err;
	char path[128];
	int64_t inbox, other;
	uint64_t g, go;
	size_t a;

	/* A worker's connection writes (its FOLDER_CHANGED says where). */
	c = open_imap(&inbox, &other, &a);
	snprintf(path, sizeof(path), "%s/postie.db", dir);
	ck_assert_int_eq(db_open(path, &w, &err), 0);
	g = cache_folder_gen(c, inbox);
	go = cache_folder_gen(c, other);
	test_msg_add(w, inbox, 3, 0);
	worker_changed(c, a, inbox);
	ck_assert_uint_eq(cache_folder_gen(c, inbox), g + 1);
	/* Not taken for another process's write at once; at most once,
	 * when ours are quiet (it cannot tell). */
	ck_assert_uint_le(cache_folder_gen(c, other), go + 1);
	go = cache_folder_gen(c, other);
	ck_assert_uint_eq(cache_folder_gen(c, other), go);

	/* Another process writes while ours does too: whose commit moved
	 * data_version is unknown then, and it is reported once ours are
	 * quiet, never lost. */
	g = cache_folder_gen(c, other);
	other_process_writes(other, 8);
	test_msg_add(w, inbox, 4, 0);
	ck_assert_uint_eq(cache_folder_gen(c, other), g);
	ck_assert_uint_eq(cache_folder_gen(c, other), g + 1);
	ck_assert_uint_eq(cache_folder_gen(c, other), g + 1);
	db_close(&w);
	cache_close(&c);
}
END_TEST

START_TEST(progress_keeps_one_slot)
{
	struct cache *c;
	struct cache_event ev, got;
	int64_t inbox, other;
	size_t a, n = 0;

	/* Many PROGRESS in a row make one (the latest); one after another
	 * event of the account is not moved before it. */
	c = open_imap(&inbox, &other, &a);
	memset(&ev, 0, sizeof(ev));
	ev.kind = CACHE_EV_PROGRESS;
	ev.account = a;
	for (ev.done = 1; ev.done <= 1000; ev.done++)
		cache_post(c, &ev);
	worker_changed(c, a, inbox);
	ev.done = 5000;
	cache_post(c, &ev);
	ck_assert_int_eq(cache_event_read(c, &got), 1);
	ck_assert_int_eq(got.kind, CACHE_EV_PROGRESS);
	ck_assert_uint_eq(got.done, 1000);
	ck_assert_int_eq(cache_event_read(c, &got), 1);
	ck_assert_int_eq(got.kind, CACHE_EV_FOLDER_CHANGED);
	ck_assert_int_eq(cache_event_read(c, &got), 1);
	ck_assert_int_eq(got.kind, CACHE_EV_PROGRESS);
	ck_assert_uint_eq(got.done, 5000);
	ck_assert_int_eq(cache_event_read(c, &got), 0);
	/* Nothing is dropped, however many are queued unread. */
	for (n = 0; n < 70000; n++) {
		ev.kind = CACHE_EV_MESSAGE_ARRIVED;
		ev.folder_id = inbox;
		ev.msg_id = (int64_t)n + 1;
		cache_post(c, &ev);
	}
	for (n = 0; cache_event_read(c, &got) == 1; n++)
		ck_assert_int_eq(got.msg_id, (int64_t)n + 1);
	ck_assert_uint_eq(n, 70000);
	cache_close(&c);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("gen");
	TCase *tc = tcase_create("gen");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, own_changes_move_by_one);
	tcase_add_test(tc, noop_does_not_hide_a_real_change);
	tcase_add_test(tc, another_process_is_seen);
	tcase_add_test(tc, own_connections_are_not_another_process);
	tcase_add_test(tc, progress_keeps_one_slot);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
