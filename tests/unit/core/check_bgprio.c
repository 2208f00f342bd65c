/*
 * Unit tests of core/bgprio: the starvation rule, and the probe against
 * real threads: one asleep, one spinning at normal priority and one in
 * SCHED_IDLE while every CPU is kept busy.
 */
#include <config.h> /* the build's, for _GNU_SOURCE */

#include <check.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "core/bgprio.h"

#define MS 1000000u
#define WIN ((uint64_t)BGPRIO_WINDOW_MS * MS)

START_TEST(test_judge)
{
	/* a window too short says nothing */
	ck_assert_int_eq(bgprio_judge(WIN - 1, 0, 10, 10), 0);
	ck_assert_int_eq(bgprio_judge(WIN, 0, 0, 0), 0);
	/* ready all along, hardly ran: starved */
	ck_assert_int_eq(bgprio_judge(WIN, 0, 10, 10), 1);
	ck_assert_int_eq(bgprio_judge(WIN, WIN / 100, 10, 8), 1);
	ck_assert_int_eq(bgprio_judge(2 * WIN, 2 * WIN / 100 * 4, 25, 25), 1);
	/* ran a fair share */
	ck_assert_int_eq(bgprio_judge(WIN, WIN / 100 * BGPRIO_CPU_PCT, 10, 10),
	    0);
	ck_assert_int_eq(bgprio_judge(WIN, WIN / 100 * 30, 10, 10), 0);
	/* mostly asleep (on the server, on the queue): not starving */
	ck_assert_int_eq(bgprio_judge(WIN, 0, 10, 7), 0);
	ck_assert_int_eq(bgprio_judge(WIN, 0, 10, 0), 0);
}
END_TEST

static atomic_int spin_stop;

struct spinner {
	pthread_t th;
	int idle;       /* enter SCHED_IDLE first */
	atomic_long tid;
	atomic_int entered;
};

static void *
spin(void *arg)
{
	struct spinner *sp = arg;
	volatile unsigned long n = 0;

	if (sp->idle)
		atomic_store(&sp->entered, bgprio_enter());
	atomic_store(&sp->tid, bgprio_self());
	while (!atomic_load(&spin_stop))
		n++;
	return NULL;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Probes tid every 20 ms for up to ms; the first call that said
 * starved (its number), or 0. */
static int
probe_for(long tid, long ms)
{
	struct bgprio_probe p;
	int i;

	bgprio_probe_init(&p, tid);
	for (i = 1; i <= ms / 20; i++) {
		if (bgprio_starved(&p))
			return i;
		sleep_ms(20);
	}
	return 0;
}

static int
ncpu(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
		return CPU_COUNT(&set);
	return (int)sysconf(_SC_NPROCESSORS_ONLN);
}

static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;
static atomic_long waiter_tid;

static void *
wait_lock(void *arg)
{
	(void)arg;
	atomic_store(&waiter_tid, bgprio_self());
	pthread_mutex_lock(&held);
	pthread_mutex_unlock(&held);
	return NULL;
}

START_TEST(test_asleep)
{
	pthread_t th;

	/* a thread asleep on a lock is not starving, even in SCHED_IDLE
	 * terms: it does not want a CPU */
	pthread_mutex_lock(&held);
	ck_assert_int_eq(pthread_create(&th, NULL, wait_lock, NULL), 0);
	while (atomic_load(&waiter_tid) == 0)
		sleep_ms(5);
	sleep_ms(20);
	ck_assert_int_eq(probe_for(atomic_load(&waiter_tid), 1200), 0);
	pthread_mutex_unlock(&held);
	pthread_join(th, NULL);
	/* a thread that has ended: no probe, no verdict */
	ck_assert_int_eq(probe_for(atomic_load(&waiter_tid), 600), 0);
}
END_TEST

START_TEST(test_busy)
{
	int n = ncpu(), i, got;
	struct spinner *sp;
	struct spinner idle = { 0 };

	ck_assert_int_gt(n, 0);
	sp = calloc((size_t)n, sizeof(*sp));
	ck_assert_ptr_nonnull(sp);
	atomic_store(&spin_stop, 0);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(pthread_create(&sp[i].th, NULL, spin, &sp[i]),
		    0);
	idle.idle = 1;
	ck_assert_int_eq(pthread_create(&idle.th, NULL, spin, &idle), 0);
	while (atomic_load(&idle.tid) == 0 || atomic_load(&sp[0].tid) == 0)
		sleep_ms(5);
	/* One of n spinners on n CPUs runs: never starved. */
	ck_assert_int_eq(probe_for(atomic_load(&sp[0].tid), 1500), 0);
	/* The SCHED_IDLE one gets next to nothing: starved within a few
	 * windows (where the kernel took it). */
	got = atomic_load(&idle.entered) ?
	    probe_for(atomic_load(&idle.tid), 5000) : -1;
	atomic_store(&spin_stop, 1);
	for (i = 0; i < n; i++)
		pthread_join(sp[i].th, NULL);
	pthread_join(idle.th, NULL);
	free(sp);
#ifdef __linux__
	ck_assert_int_eq(atomic_load(&idle.entered), 1);
#endif
	if (got >= 0)
		ck_assert_int_gt(got, 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("bgprio");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_judge);
	tcase_add_test(tc, test_asleep);
	tcase_add_test(tc, test_busy);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
