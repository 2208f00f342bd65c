/* cache/outbox.c: a message is on disk and recorded before anything is
 * tried; a crash never turns into a second copy; orphans are recorded;
 * back-off; only one sender per account. */
#include "config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "cache/db.h"
#include "cache/outbox.h"
#include "check_cache.h"

static char dir[256], dbpath[300], obox[300];
static struct db *db;

static void
setup(void)
{
	struct error err;

	tmp_make(dir, sizeof(dir), "check_outbox");
	snprintf(dbpath, sizeof(dbpath), "%s/postie.db", dir);
	snprintf(obox, sizeof(obox), "%s/outbox", dir);
	error_clear(&err);
	ck_assert_msg(db_open(dbpath, &db, &err) == 0, "%s", err.msg);
}

static void
teardown(void)
{
	db_close(&db);
	tmp_remove(dir);
}

static int64_t
add(const char *account, const char *raw)
{
	struct mime_submission s;
	struct error err;
	int64_t id;

	error_clear(&err);
	ck_assert_msg(mime_submission_prepare(raw, strlen(raw), NULL, &s,
	    &err) == 0, "%s", err.msg);
	ck_assert_msg(outbox_add(db, obox, account, &s, &id, &err) == 0, "%s",
	    err.msg);
	mime_submission_free(&s);
	return id;
}

static const char *msg1 = "From: a@example.org\nTo: b@example.org\n"
    "Bcc: hidden@example.org\nSubject: first\n\nbody one\n";

START_TEST(stored_then_recorded)
{
	struct outbox_msg *v = NULL, m;
	struct error err;
	struct buf raw = BUF_INIT;
	struct stat sb;
	char path[600];
	size_t n;
	int64_t id;

	error_clear(&err);
	id = add("work", msg1);
	ck_assert_int_eq(outbox_list(db, NULL, &v, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(v[0].id, id);
	ck_assert_str_eq(v[0].account, "work");
	ck_assert_int_eq(v[0].state, OUTBOX_QUEUED);
	ck_assert_str_eq(v[0].rcpts, "b@example.org,hidden@example.org");
	ck_assert_str_eq(v[0].subject, "first");
	snprintf(path, sizeof(path), "%s/%s", obox, v[0].file);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	ck_assert_int_eq(outbox_read(obox, &v[0], &raw, &err), 0);
	ck_assert_ptr_null(memmem(raw.data, raw.len, "hidden", 6));
	ck_assert_ptr_nonnull(memmem(raw.data, raw.len, "\r\n\r\nbody one\r\n",
	    14));
	buf_free(&raw);
	ck_assert_int_eq(outbox_next_due(db, "work", time(NULL), &m, &err), 1);
	ck_assert_int_eq(m.id, id);
	outbox_msg_clear(&m);
	ck_assert_int_eq(outbox_next_due(db, "home", time(NULL), &m, &err), 0);
	/* Removed: the record and the file. */
	ck_assert_int_eq(outbox_remove(db, obox, id, &err), 0);
	ck_assert_int_ne(stat(path, &sb), 0);
	outbox_msgs_free(&v, n);
	ck_assert_int_eq(outbox_list(db, NULL, &v, &n, &err), 0);
	ck_assert_uint_eq(n, 0);
	outbox_msgs_free(&v, n);
}
END_TEST

START_TEST(crash_never_sends_twice)
{
	struct outbox_msg m;
	struct error err;
	int64_t a, b, c;

	error_clear(&err);
	a = add("work", msg1);
	b = add("work", msg1);
	c = add("work", msg1);
	/* Killed while sending a (before its final dot) and after b's. */
	ck_assert_int_eq(outbox_set(db, a, OUTBOX_SENDING, NULL, 0, &err), 0);
	ck_assert_int_eq(outbox_set(db, b, OUTBOX_DOT, NULL, 0, &err), 0);
	ck_assert_int_eq(outbox_recover(db, obox, &err), 2);
	ck_assert_int_eq(outbox_get(db, a, &m, &err), 1);
	ck_assert_int_eq(m.state, OUTBOX_QUEUED);
	outbox_msg_clear(&m);
	ck_assert_int_eq(outbox_get(db, b, &m, &err), 1);
	ck_assert_int_eq(m.state, OUTBOX_UNKNOWN);
	ck_assert_ptr_nonnull(strstr(m.error, "may or may not"));
	outbox_msg_clear(&m);
	/* unknown is never due: only a and c are sent again. */
	ck_assert_int_eq(outbox_next_due(db, "work", time(NULL), &m, &err), 1);
	ck_assert_int_eq(m.id, a);
	outbox_msg_clear(&m);
	ck_assert_int_eq(outbox_set(db, a, OUTBOX_SENDING, NULL, 0, &err), 0);
	ck_assert_int_eq(outbox_next_due(db, "work", time(NULL), &m, &err), 1);
	ck_assert_int_eq(m.id, c);
	outbox_msg_clear(&m);
}
END_TEST

START_TEST(recover_spares_a_live_sender)
{
	struct outbox_msg m;
	struct error err;
	int64_t a;
	int fd = -1, fd2 = -1;

	error_clear(&err);
	a = add("work", msg1);
	/* Another process's worker is sending (it holds the lock). */
	ck_assert_int_eq(outbox_lock(obox, "work", &fd, &err), 1);
	ck_assert_int_eq(outbox_lock(obox, "work", &fd2, &err), 0);
	ck_assert_int_eq(outbox_set(db, a, OUTBOX_DOT, NULL, 0, &err), 0);
	ck_assert_int_eq(outbox_recover(db, obox, &err), 0);
	ck_assert_int_eq(outbox_get(db, a, &m, &err), 1);
	ck_assert_int_eq(m.state, OUTBOX_DOT);
	outbox_msg_clear(&m);
	outbox_unlock(&fd);
	ck_assert_int_eq(outbox_recover(db, obox, &err), 1);
	ck_assert_int_eq(outbox_get(db, a, &m, &err), 1);
	ck_assert_int_eq(m.state, OUTBOX_UNKNOWN);
	outbox_msg_clear(&m);
}
END_TEST

START_TEST(orphan_recorded_when_old)
{
	struct outbox_msg *v = NULL;
	struct error err;
	struct utimbuf ut;
	char path[600];
	size_t n;
	int64_t a;

	error_clear(&err);
	a = add("w\xc3\xb6rk", msg1);
	/* As if the crash came between the file and its record. */
	ck_assert_int_eq(outbox_list(db, NULL, &v, &n, &err), 0);
	snprintf(path, sizeof(path), "%s/%s", obox, v[0].file);
	outbox_msgs_free(&v, n);
	/* The record goes, the file stays (removing from another folder). */
	ck_assert_int_eq(outbox_remove(db, "/nonexistent", a, &err), 0);
	/* Young: maybe another process between its two steps. */
	ck_assert_int_eq(outbox_recover(db, obox, &err), 0);
	ut.actime = ut.modtime = time(NULL) - 600;
	ck_assert_int_eq(utime(path, &ut), 0);
	ck_assert_int_eq(outbox_recover(db, obox, &err), 1);
	ck_assert_int_eq(outbox_list(db, NULL, &v, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(v[0].account, "w\xc3\xb6rk");
	ck_assert_int_eq(v[0].state, OUTBOX_QUEUED);
	ck_assert_str_eq(v[0].rcpts, "b@example.org");
	outbox_msgs_free(&v, n);
	ck_assert_int_eq(outbox_recover(db, obox, &err), 0);
}
END_TEST

START_TEST(back_off)
{
	struct outbox_msg m;
	struct error err;
	int64_t a, now = time(NULL);

	error_clear(&err);
	a = add("work", msg1);
	ck_assert_int_eq(outbox_retry_later(db, a, "421 busy", now, &err), 0);
	ck_assert_int_eq(outbox_get(db, a, &m, &err), 1);
	ck_assert_int_eq(m.next_try, now + 60);
	ck_assert_uint_eq(m.attempts, 1);
	ck_assert_str_eq(m.error, "421 busy");
	outbox_msg_clear(&m);
	ck_assert_int_eq(outbox_next_due(db, "work", now, &m, &err), 0);
	ck_assert_int_eq(outbox_retry_later(db, a, "421 busy", now, &err), 0);
	ck_assert_int_eq(outbox_get(db, a, &m, &err), 1);
	ck_assert_int_eq(m.next_try, now + 120);
	outbox_msg_clear(&m);
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(outbox_retry_later(db, a, "x", now, &err), 0);
	ck_assert_int_eq(outbox_get(db, a, &m, &err), 1);
	ck_assert_int_eq(m.next_try, now + 3600);
	outbox_msg_clear(&m);
}
END_TEST

/* The user's drop and retry never touch a message being sent, and the
 * sender never takes one the user dropped: whoever comes first wins. */
START_TEST(user_moves_and_sender_claim)
{
	struct outbox_msg m;
	struct error err;
	char path[600];
	int64_t a, b;

	error_clear(&err);
	a = add("work", msg1);
	b = add("work", msg1);
	/* The sender holds a: the user can neither drop nor requeue it. */
	ck_assert_int_eq(outbox_claim(db, a, &err), 1);
	ck_assert_int_eq(outbox_claim(db, a, &err), 0);
	ck_assert_int_eq(outbox_drop(db, obox, a, &err), 0);
	ck_assert_int_eq(outbox_retry_now(db, a, &err), 0);
	ck_assert_int_eq(outbox_get(db, a, &m, &err), 1);
	ck_assert_int_eq(m.state, OUTBOX_SENDING);
	outbox_msg_clear(&m);
	/* The user drops b first: record and file go, no claim after. */
	ck_assert_int_eq(outbox_get(db, b, &m, &err), 1);
	snprintf(path, sizeof(path), "%s/%s", obox, m.file);
	outbox_msg_clear(&m);
	ck_assert_int_eq(access(path, F_OK), 0);
	ck_assert_int_eq(outbox_drop(db, obox, b, &err), 1);
	ck_assert_int_eq(access(path, F_OK), -1);
	ck_assert_int_eq(outbox_claim(db, b, &err), 0);
	ck_assert_int_eq(outbox_drop(db, obox, b, &err), 0);
	/* unknown, then retried by the user: queued, due now, clean. */
	ck_assert_int_eq(outbox_set(db, a, OUTBOX_UNKNOWN, "lost after the dot",
	    0, &err), 0);
	ck_assert_int_eq(outbox_retry_later(db, a, "x", time(NULL), &err), 0);
	ck_assert_int_eq(outbox_set(db, a, OUTBOX_UNKNOWN, "lost after the dot",
	    time(NULL) + 3600, &err), 0);
	ck_assert_int_eq(outbox_retry_now(db, a, &err), 1);
	ck_assert_int_eq(outbox_get(db, a, &m, &err), 1);
	ck_assert_int_eq(m.state, OUTBOX_QUEUED);
	ck_assert_ptr_null(m.error);
	ck_assert_int_eq(m.next_try, 0);
	ck_assert_uint_eq(m.attempts, 0);
	outbox_msg_clear(&m);
	ck_assert_int_eq(outbox_next_due(db, "work", time(NULL), &m, &err), 1);
	ck_assert_int_eq(m.id, a);
	outbox_msg_clear(&m);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("outbox");
	TCase *tc = tcase_create("outbox");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, stored_then_recorded);
	tcase_add_test(tc, crash_never_sends_twice);
	tcase_add_test(tc, recover_spares_a_live_sender);
	tcase_add_test(tc, orphan_recorded_when_old);
	tcase_add_test(tc, back_off);
	tcase_add_test(tc, user_moves_and_sender_claim);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
