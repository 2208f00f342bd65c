/* Concurrency: one thread writes 50,000 messages in chunked transactions
 * on its own connection while another opens the folder index again and
 * again on its own: no error, no torn read (a reader sees whole chunks,
 * and every record's fields belong together). */
#include <config.h>

#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cache/db.h"
#include "cache/index.h"
#include "check_cache.h"

#define TOTAL 50000
#define CHUNK 500

static char dir[64], path[128];
static int64_t folder;
static volatile int writer_done;

static void *
writer(void *arg)
{
	struct db *db = NULL;
	struct error err;
	struct db_msg m;
	char from[64], subject[64];
	size_t i;

	(void)arg;
	if (db_open(path, &db, &err) < 0)
		return strdup(err.msg);
	for (i = 0; i < TOTAL; i++) {
		if (i % CHUNK == 0 && db_begin(db, &err) < 0)
			goto fail;
		memset(&m, 0, sizeof(m));
		snprintf(from, sizeof(from), "sender%zu@example.org", i);
		snprintf(subject, sizeof(subject), "message %zu", i);
		m.folder_id = folder;
		m.uid = (uint32_t)i + 1;
		m.internal_date = (int64_t)i;
		m.date = (int64_t)(i * 7919 % TOTAL);
		m.size = (int64_t)i;
		m.from = from;
		m.subject = subject;
		if (db_msg_insert(db, &m, &err) < 0)
			goto fail;
		if (i % CHUNK == CHUNK - 1 && db_commit(db, &err) < 0)
			goto fail;
	}
	db_close(&db);
	__atomic_store_n(&writer_done, 1, __ATOMIC_SEQ_CST);
	return NULL;
fail:
	db_close(&db);
	__atomic_store_n(&writer_done, 1, __ATOMIC_SEQ_CST);
	return strdup(err.msg);
}

START_TEST(write_while_reading)
{
	struct db *db = NULL;
	struct index *ix;
	struct error err;
	pthread_t t;
	void *werr;
	size_t last = 0, reads = 0, i, n;
	char want[64];
	int done;

	tmp_make(dir, sizeof(dir), "check_conc");
	snprintf(path, sizeof(path), "%s/postie.db", dir);
	ck_assert_int_eq(db_open(path, &db, &err), 0);
	ck_assert_int_eq(db_folder_ensure(db, "a", "INBOX", 0, &folder, &err),
	    0);
	writer_done = 0;
	ck_assert_int_eq(pthread_create(&t, NULL, writer, NULL), 0);
	do {
		done = __atomic_load_n(&writer_done, __ATOMIC_SEQ_CST);
		ix = NULL;
		ck_assert_msg(index_open(db, folder, reads % 2 ?
		    INDEX_SORT_ARRIVAL : INDEX_SORT_DATE, 0, &ix, &err) == 0,
		    "%s", err.msg);
		n = index_count(ix);
		ck_assert_msg(n % CHUNK == 0, "torn read: %zu records", n);
		ck_assert_uint_ge(n, last);
		last = n;
		for (i = 0; i < n; i++) {
			const struct index_rec *r = index_get(ix, i);

			snprintf(want, sizeof(want), "message %u", r->uid - 1);
			ck_assert_str_eq(index_subject(ix, r), want);
			ck_assert_uint_eq(r->size, r->uid - 1);
			if (reads % 2 && i > 0)
				ck_assert_uint_gt(r->uid, index_get(ix, i -
				    1)->uid);
		}
		index_free(&ix);
		reads++;
	} while (!done);
	ck_assert_int_eq(pthread_join(t, &werr), 0);
	ck_assert_msg(werr == NULL, "writer: %s", (char *)werr);
	ck_assert_uint_eq(last, TOTAL);
	fprintf(stderr, "concurrency: %zu index reads during 50,000 writes\n",
	    reads);
	db_close(&db);
	tmp_remove(dir);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cache_concurrency");
	TCase *tc = tcase_create("concurrency");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, write_while_reading);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
