/*
 * Unit tests of core/pipeline: order, the bound, batches by count and by
 * weight, close, stop waking blocked pushers and poppers, the first
 * error winning, and many producers against one consumer.  The same
 * file runs under ThreadSanitizer (check_pipeline_tsan.sh).
 */
#include <config.h>

#include <check.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "core/pipeline.h"

START_TEST(test_order_and_bound)
{
	struct pipeline *pl = pipeline_new(sizeof(int), 4);
	int v, out[8];
	size_t n;

	for (v = 1; v <= 4; v++)
		ck_assert_int_eq(pipeline_push(pl, &v, 0), 0);
	ck_assert_uint_eq(pipeline_count(pl), 4);
	n = pipeline_pop(pl, out, 1, 0, 3);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(pipeline_count(pl), 1);
	ck_assert_int_eq(out[0], 1);
	ck_assert_int_eq(out[2], 3);
	v = 5;
	ck_assert_int_eq(pipeline_push(pl, &v, 0), 0);
	pipeline_close(pl);
	/* Closed: what is queued still comes, then 0; no more pushes. */
	ck_assert_int_eq(pipeline_push(pl, &v, 0), -1);
	n = pipeline_pop(pl, out, 8, 0, 8);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(out[0], 4);
	ck_assert_int_eq(out[1], 5);
	ck_assert_uint_eq(pipeline_pop(pl, out, 1, 0, 8), 0);
	ck_assert_int_eq(pipeline_join(pl, NULL), 0);
	pipeline_free(&pl);
	ck_assert_ptr_null(pl);
}
END_TEST

START_TEST(test_weight_batch)
{
	struct pipeline *pl = pipeline_new(sizeof(int), 16);
	int v, out[16];

	for (v = 0; v < 3; v++)
		ck_assert_int_eq(pipeline_push(pl, &v, 10), 0);
	/* 3 items of 10: a batch of 30 bytes is ready, 100 items are not. */
	ck_assert_uint_eq(pipeline_pop(pl, out, 100, 30, 16), 3);
	/* min larger than the capacity means "a full queue". */
	for (v = 0; v < 16; v++)
		ck_assert_int_eq(pipeline_push(pl, &v, 0), 0);
	ck_assert_uint_eq(pipeline_pop(pl, out, 1000, 0, 16), 16);
	pipeline_free(&pl);
}
END_TEST

struct blocked {
	struct pipeline *pl;
	atomic_int entered;
	int rc;
	size_t got;
};

static void *
push_blocked(void *arg)
{
	struct blocked *b = arg;
	int v = 99;

	atomic_store(&b->entered, 1);
	b->rc = pipeline_push(b->pl, &v, 0); /* full: waits for stop */
	return NULL;
}

static void *
pop_blocked(void *arg)
{
	struct blocked *b = arg;
	int out[4];

	atomic_store(&b->entered, 1);
	b->got = pipeline_pop(b->pl, out, 1, 0, 4); /* empty: waits */
	return NULL;
}

START_TEST(test_stop_wakes_pusher)
{
	struct blocked b;
	struct error err;
	int v = 1, out[2];

	memset(&b, 0, sizeof(b));
	b.pl = pipeline_new(sizeof(int), 1);
	error_clear(&err);
	ck_assert_int_eq(pipeline_push(b.pl, &v, 0), 0);
	ck_assert_int_eq(pipeline_start(b.pl, push_blocked, &b, &err), 0);
	while (!atomic_load(&b.entered))
		sched_yield();
	pipeline_stop(b.pl);
	ck_assert_int_eq(pipeline_join(b.pl, &err), 0);
	ck_assert_int_eq(b.rc, -1);
	ck_assert_int_eq(pipeline_stopped(b.pl), 1);
	/* The item queued before the stop is left for the owner. */
	ck_assert_uint_eq(pipeline_pop(b.pl, out, 1, 0, 2), 0);
	ck_assert_uint_eq(pipeline_drain(b.pl, out, 2), 1);
	ck_assert_int_eq(out[0], 1);
	pipeline_free(&b.pl);
}
END_TEST

/* A weight bound: a push waits while the queue weighs more than it, and
 * goes on once a pop made it light enough; one heavy item still goes
 * into an empty queue. */
START_TEST(test_max_weight)
{
	struct blocked b;
	struct error err;
	int v = 1, out[4], i;

	memset(&b, 0, sizeof(b));
	b.pl = pipeline_new(sizeof(int), 16);
	pipeline_max_weight(b.pl, 100);
	error_clear(&err);
	ck_assert_int_eq(pipeline_push(b.pl, &v, 500), 0);
	ck_assert_uint_eq(pipeline_pop(b.pl, out, 1, 0, 4), 1);
	ck_assert_int_eq(pipeline_push(b.pl, &v, 60), 0);
	ck_assert_int_eq(pipeline_push(b.pl, &v, 60), 0);
	/* 120 > 100: the next push waits (push_blocked pushes weight 0) */
	ck_assert_int_eq(pipeline_start(b.pl, push_blocked, &b, &err), 0);
	while (!atomic_load(&b.entered))
		sched_yield();
	for (i = 0; i < 1000; i++) { /* it stays out */
		sched_yield();
		ck_assert_uint_eq(pipeline_count(b.pl), 2);
	}
	ck_assert_uint_eq(pipeline_pop(b.pl, out, 1, 0, 1), 1);
	ck_assert_int_eq(pipeline_join(b.pl, &err), 0);
	ck_assert_int_eq(b.rc, 0);
	ck_assert_uint_eq(pipeline_count(b.pl), 2);
	pipeline_free(&b.pl);
}
END_TEST

START_TEST(test_fail_wakes_popper_first_error_wins)
{
	struct blocked b;
	struct error e1, e2, got;

	memset(&b, 0, sizeof(b));
	b.got = 7;
	b.pl = pipeline_new(sizeof(int), 4);
	error_clear(&got);
	ck_assert_int_eq(pipeline_start(b.pl, pop_blocked, &b, &got), 0);
	while (!atomic_load(&b.entered))
		sched_yield();
	error_clear(&e1);
	error_set(&e1, "the disk is full");
	error_clear(&e2);
	error_set(&e2, "the server went away");
	pipeline_fail(b.pl, &e1);
	pipeline_fail(b.pl, &e2);
	ck_assert_int_eq(pipeline_join(b.pl, &got), -1);
	ck_assert_str_eq(got.msg, "the disk is full");
	ck_assert_uint_eq(b.got, 0);
	pipeline_free(&b.pl);
}
END_TEST

#define PRODUCERS 3
#define PER 20000

struct many {
	struct pipeline *pl;
	atomic_int left;
	int id[PRODUCERS];
};

struct item {
	int producer;
	int seq;
};

static struct many M;

static void *
producer(void *arg)
{
	int id = *(int *)arg, i;
	struct item it;

	for (i = 0; i < PER; i++) {
		it.producer = id;
		it.seq = i;
		if (pipeline_push(M.pl, &it, 1) < 0)
			return NULL;
	}
	if (atomic_fetch_sub(&M.left, 1) == 1)
		pipeline_close(M.pl);
	return NULL;
}

START_TEST(test_many_producers)
{
	struct item out[64];
	int next[PRODUCERS] = { 0 };
	struct error err;
	size_t n, k, total = 0;
	int i;

	M.pl = pipeline_new(sizeof(struct item), 32);
	atomic_store(&M.left, PRODUCERS);
	error_clear(&err);
	for (i = 0; i < PRODUCERS; i++) {
		M.id[i] = i;
		ck_assert_int_eq(pipeline_start(M.pl, producer, &M.id[i],
		    &err), 0);
	}
	/* Batches of 8 (or whatever is left once closed). */
	while ((n = pipeline_pop(M.pl, out, 8, 0, 64)) > 0) {
		for (k = 0; k < n; k++) {
			ck_assert_int_ge(out[k].producer, 0);
			ck_assert_int_lt(out[k].producer, PRODUCERS);
			/* Each producer's items come in its order. */
			ck_assert_int_eq(out[k].seq, next[out[k].producer]);
			next[out[k].producer]++;
		}
		total += n;
	}
	ck_assert_int_eq(pipeline_join(M.pl, &err), 0);
	ck_assert_uint_eq(total, (size_t)PRODUCERS * PER);
	for (i = 0; i < PRODUCERS; i++)
		ck_assert_int_eq(next[i], PER);
	ck_assert_uint_eq(pipeline_drain(M.pl, out, 64), 0);
	pipeline_free(&M.pl);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("pipeline");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_order_and_bound);
	tcase_add_test(tc, test_weight_batch);
	tcase_add_test(tc, test_stop_wakes_pusher);
	tcase_add_test(tc, test_max_weight);
	tcase_add_test(tc, test_fail_wakes_popper_first_error_wins);
	tcase_add_test(tc, test_many_producers);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
