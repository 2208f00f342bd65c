/*
 * Unit tests of the cache's queued operations: what an expunge queues.
 * The IMAP worker sends each EXPUNGE op's UID set as UID EXPUNGE, so the
 * set must name exactly the messages the user expunged.
 */
#include "config.h"

#include <inttypes.h>

#include "cache/cache.h"
#include "cache/db.h"
#include "core/buf.h"
#include "net/imap.h"
#include "tests/unit/cache/check_cache.h"

static char dir[64];
static struct config *cfg;

static void
setup(void)
{
	tmp_make(dir, sizeof(dir), "postie-ops");
}

static void
teardown(void)
{
	config_free(&cfg);
	tmp_remove(dir);
}

static void
add(struct cache *c, int64_t folder, uint32_t uid, unsigned flags)
{
	test_msg_add(cache_db(c), folder, uid, flags);
}

static int
count_uid(void *ctx, uint32_t lo, uint32_t hi)
{
	struct buf *seen = ctx;
	uint32_t u;

	for (u = lo; u <= hi; u++)
		buf_printf(seen, "%" PRIu32 " ", u);
	return 0;
}

static struct cache *
open_imap(int64_t *inbox_r, size_t *a_r)
{
	struct cache_opts o = { dir, dir };
	struct cache *c = NULL;
	struct error err;

	error_clear(&err);
	cfg = test_config(dir);
	ck_assert_msg(cache_open(cfg, &o, &c, &err) == 0, "%s",
	    err.msg);
	ck_assert_int_eq(cache_account_find(c, "imap", a_r, &err), 0);
	ck_assert_int_eq(db_folder_ensure(cache_db(c), "imap", "INBOX",
	    FOLDER_ROLE_INBOX, inbox_r, &err), 0);
	return c;
}

START_TEST(expunge_names_its_uids)
{
	struct cache *c;
	struct db_op op;
	struct error err;
	int64_t inbox, after;
	size_t a, n;

	c = open_imap(&inbox, &a);
	add(c, inbox, 1, MSG_DELETED);
	add(c, inbox, 2, MSG_DELETED | MSG_SEEN);
	add(c, inbox, 3, MSG_DELETED);
	add(c, inbox, 4, MSG_SEEN); /* kept */
	add(c, inbox, 5, MSG_DELETED);
	add(c, inbox, 9, MSG_DELETED);
	add(c, inbox, 0, MSG_DELETED); /* a copy without its UID yet */
	ck_assert_int_eq(cache_expunge(c, inbox, &err), 0);
	ck_assert_int_eq(db_op_next(cache_db(c), "imap", 0, &op, &err), 1);
	ck_assert_int_eq(op.kind, DB_OP_EXPUNGE);
	ck_assert_int_eq(op.folder_id, inbox);
	ck_assert_str_eq(op.args, "1:3,5,9");
	after = op.id;
	db_op_clear(&op);
	ck_assert_int_eq(db_op_next(cache_db(c), "imap", after, &op, &err),
	    0);
	ck_assert_int_eq(db_op_pending(cache_db(c), "imap", &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	cache_close(&c);
}
END_TEST

/* A bulk change is all or none: a message that is gone in the middle
 * leaves every flag as it was and queues nothing; without it, one op a
 * message is queued, on disk (a new connection sees them). */
START_TEST(bulk_is_all_or_none)
{
	struct cache *c;
	struct db_msg m;
	struct error err;
	int64_t inbox, ids[3];
	size_t a, n;

	c = open_imap(&inbox, &a);
	ids[0] = test_msg_add(cache_db(c), inbox, 1, 0);
	ids[2] = test_msg_add(cache_db(c), inbox, 3, 0);
	ids[1] = ids[2] + 100; /* no such message */
	ck_assert_int_eq(cache_bulk(c, ids, 3, CACHE_BULK_FLAG, 0, &err), -1);
	ck_assert_int_eq(db_msg_get(cache_db(c), ids[0], &m, &err), 1);
	ck_assert_uint_eq(m.flags & MSG_FLAGGED, 0);
	db_msg_clear(&m);
	ck_assert_int_eq(db_op_pending(cache_db(c), "imap", &n, &err), 0);
	ck_assert_uint_eq(n, 0);
	ids[1] = test_msg_add(cache_db(c), inbox, 2, 0);
	ck_assert_int_eq(cache_bulk(c, ids, 3, CACHE_BULK_FLAG, 0, &err), 0);
	cache_close(&c);
	config_free(&cfg);
	c = open_imap(&inbox, &a);
	ck_assert_int_eq(db_op_pending(cache_db(c), "imap", &n, &err), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(db_msg_get(cache_db(c), ids[1], &m, &err), 1);
	ck_assert_uint_ne(m.flags & MSG_FLAGGED, 0);
	db_msg_clear(&m);
	cache_close(&c);
}
END_TEST

/* Thousands of scattered UIDs: several ops, each set short and valid,
 * together naming each UID once. */
START_TEST(expunge_splits_long_sets)
{
	struct buf seen = BUF_INIT, want = BUF_INIT;
	struct cache *c;
	struct db_op op;
	struct error err;
	int64_t inbox, after = 0;
	size_t a, ops = 0;
	uint32_t u;
	int got;

	c = open_imap(&inbox, &a);
	ck_assert_int_eq(db_begin(cache_db(c), &err), 0);
	for (u = 1; u <= 6000; u++)
		add(c, inbox, u, u % 2 ? MSG_DELETED : 0);
	ck_assert_int_eq(db_commit(cache_db(c), &err), 0);
	for (u = 1; u <= 6000; u += 2)
		buf_printf(&want, "%" PRIu32 " ", u);
	ck_assert_int_eq(cache_expunge(c, inbox, &err), 0);
	while ((got = db_op_next(cache_db(c), "imap", after, &op,
	    &err)) == 1) {
		ck_assert_int_eq(op.kind, DB_OP_EXPUNGE);
		ck_assert_uint_le(strlen(op.args), 4100);
		ck_assert_int_eq(imap_uidset_foreach(op.args, count_uid,
		    &seen), 0);
		after = op.id;
		ops++;
		db_op_clear(&op);
	}
	ck_assert_int_eq(got, 0);
	ck_assert_uint_gt(ops, 1);
	ck_assert_str_eq(buf_cstr(&seen), buf_cstr(&want));
	buf_free(&seen);
	buf_free(&want);
	cache_close(&c);
}
END_TEST

/* A folder whose account left the config: the expunge is refused with a
 * sentence, and nothing is removed or queued under another account. */
/* What the folder's last SELECT said it keeps is honoured before
 * anything changes: nothing changes in the index, nothing is queued. */
START_TEST(refuses_what_the_server_does_not_keep)
{
	struct cache *c;
	struct db_folder f;
	struct db_msg m;
	struct error err;
	int64_t inbox, work, id;
	size_t a, n;

	c = open_imap(&inbox, &a);
	ck_assert_int_eq(db_folder_ensure(cache_db(c), "imap", "Work",
	    FOLDER_ROLE_NONE, &work, &err), 0);
	add(c, inbox, 7, 0);
	ck_assert_int_eq(db_msg_find_uid(cache_db(c), inbox, 7, &id, &err),
	    1);
	ck_assert_int_eq(db_folder_get(cache_db(c), inbox, &f, &err), 1);
	f.noflags = MSG_ALL_FLAGS & ~MSG_SEEN; /* [PERMANENTFLAGS (\Seen)] */
	ck_assert_int_eq(db_folder_update(cache_db(c), &f, &err), 0);
	ck_assert_int_eq(cache_set_flags(c, id, MSG_FLAGGED, 0, &err), -1);
	ck_assert_str_eq(err.msg, "the server keeps only \\Seen in INBOX; "
	    "nothing was changed");
	ck_assert_int_eq(cache_delete(c, id, &err), -1);
	ck_assert_int_eq(cache_move(c, id, work, &err), -1);
	ck_assert_int_eq(cache_set_flags(c, id, MSG_SEEN, 0, &err), 0);
	/* read-only: not even \Seen; a copy out of it is fine */
	f.readonly = 1;
	ck_assert_int_eq(db_folder_update(cache_db(c), &f, &err), 0);
	db_folder_clear(&f);
	ck_assert_int_eq(cache_set_flags(c, id, 0, MSG_SEEN, &err), -1);
	ck_assert_str_eq(err.msg, "INBOX is read-only on the server; "
	    "nothing was changed");
	ck_assert_int_eq(cache_copy(c, id, work, &err), 0);
	ck_assert_int_eq(db_msg_get(cache_db(c), id, &m, &err), 1);
	ck_assert_uint_eq(m.flags, MSG_SEEN);
	ck_assert_int_eq(m.folder_id, inbox);
	db_msg_clear(&m);
	ck_assert_int_eq(db_op_pending(cache_db(c), "imap", &n, &err), 0);
	ck_assert_uint_eq(n, 2); /* the \Seen change and the copy */
	cache_close(&c);
}
END_TEST

/* A folder whose MYRIGHTS lack the insert right (a shared folder with
 * "anyone lrs") takes no copy and no move, refused before anything
 * changes; what is done in the folder itself is still allowed. */
START_TEST(refuses_insert_without_the_right)
{
	struct cache *c;
	struct db_folder f;
	struct db_msg m;
	struct error err;
	int64_t inbox, pub, id, pid;
	size_t a, n;

	c = open_imap(&inbox, &a);
	ck_assert_int_eq(db_folder_ensure(cache_db(c), "imap", "Public",
	    FOLDER_ROLE_NONE, &pub, &err), 0);
	add(c, inbox, 7, 0);
	add(c, pub, 3, 0);
	ck_assert_int_eq(db_msg_find_uid(cache_db(c), inbox, 7, &id, &err),
	    1);
	ck_assert_int_eq(db_msg_find_uid(cache_db(c), pub, 3, &pid, &err),
	    1);
	ck_assert_int_eq(db_folder_get(cache_db(c), pub, &f, &err), 1);
	f.noinsert = 1;
	ck_assert_int_eq(db_folder_update(cache_db(c), &f, &err), 0);
	db_folder_clear(&f);
	ck_assert_int_eq(db_folder_get(cache_db(c), pub, &f, &err), 1);
	ck_assert_int_eq(f.noinsert, 1); /* stored */
	db_folder_clear(&f);
	ck_assert_int_eq(cache_copy(c, id, pub, &err), -1);
	ck_assert_str_eq(err.msg, "the server takes no messages into Public; "
	    "nothing was changed");
	ck_assert_int_eq(cache_move(c, id, pub, &err), -1);
	ck_assert_int_eq(db_msg_get(cache_db(c), id, &m, &err), 1);
	ck_assert_int_eq(m.folder_id, inbox);
	db_msg_clear(&m);
	ck_assert_int_eq(db_op_pending(cache_db(c), "imap", &n, &err), 0);
	ck_assert_uint_eq(n, 0);
	/* out of it, and its own flags: as the server allows */
	ck_assert_int_eq(cache_copy(c, pid, inbox, &err), 0);
	ck_assert_int_eq(cache_set_flags(c, pid, MSG_SEEN, 0, &err), 0);
	ck_assert_int_eq(db_op_pending(cache_db(c), "imap", &n, &err), 0);
	ck_assert_uint_eq(n, 2);
	cache_close(&c);
}
END_TEST

START_TEST(expunge_refuses_unknown_account)
{
	static const char text[] = "[account imap]\nprotocol = imap\n"
	    "host = imap.example.org\nuser = alice\npassword_command = true\n";
	struct cache_opts o = { dir, dir };
	struct cache *c = NULL;
	struct error err;
	int64_t gone, id;
	size_t n;

	error_clear(&err);
	ck_assert_int_eq(config_parse("test", text, sizeof(text) - 1, &cfg,
	    &err), 0);
	ck_assert_msg(cache_open(cfg, &o, &c, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(db_folder_ensure(cache_db(c), "gone", "INBOX",
	    FOLDER_ROLE_INBOX, &gone, &err), 0);
	add(c, gone, 7, MSG_DELETED);
	ck_assert_int_eq(cache_expunge(c, gone, &err), -1);
	ck_assert_msg(strstr(err.msg, "no longer configured") != NULL, "%s",
	    err.msg);
	ck_assert_int_eq(db_msg_find_uid(cache_db(c), gone, 7, &id, &err), 1);
	ck_assert_int_eq(db_op_pending(cache_db(c), NULL, &n, &err), 0);
	ck_assert_uint_eq(n, 0);
	cache_close(&c);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ops");
	TCase *tc = tcase_create("expunge");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, expunge_names_its_uids);
	tcase_add_test(tc, bulk_is_all_or_none);
	tcase_add_test(tc, expunge_splits_long_sets);
	tcase_add_test(tc, expunge_refuses_unknown_account);
	tcase_add_test(tc, refuses_what_the_server_does_not_keep);
	tcase_add_test(tc, refuses_insert_without_the_right);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
