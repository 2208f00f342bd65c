/*
 * cache/thread on hostile mail: whoever sends mail chooses Message-IDs,
 * References and subjects.  Each case is built so that an unkeyed hash
 * or a walk of a sibling list makes threading quadratic; it must finish
 * within a generous bound (it does not hang) and still order every
 * message exactly once.
 */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache/thread.h"
#include "check_cache.h"

/* CPU time a case may take, generously (ASan): CPU time, not the
 * clock, so a loaded machine does not fail it.  Quadratic threading
 * took minutes here. */
#define BOUND_MS 20000

static int64_t
cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
check_order(const struct thread_msg *m, size_t n)
{
	uint32_t *order = calloc(n, sizeof(*order));
	uint16_t *depth = calloc(n, sizeof(*depth));
	char *seen = calloc(n, 1);
	int64_t t0 = cpu_ms(), took;
	size_t i;

	ck_assert(order && depth && seen);
	thread_order(m, n, order, depth);
	took = cpu_ms() - t0;
	ck_assert_msg(took < BOUND_MS, "threading %zu messages took %lld ms "
	    "of CPU",
	    n, (long long)took);
	for (i = 0; i < n; i++) {
		ck_assert_uint_lt(order[i], n);
		ck_assert_uint_eq(seen[order[i]], 0);
		seen[order[i]] = 1;
	}
	free(order);
	free(depth);
	free(seen);
}

/* FNV-1a, 64 bits: what an unkeyed table would use. */
static uint64_t
fnv_step(uint64_t h, const char *s, size_t n)
{
	while (n--)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

#define NBLOCK 18 /* 2^18 ids */
#define MASK ((1u << 20) - 1) /* more low bits than any table here uses */

/*
 * 2^NBLOCK Message-IDs whose FNV-1a hashes share their low 20 bits:
 * the low bits of FNV depend only on the low bits of the state and the
 * input, so a pair of 3-byte blocks that collide from one state can be
 * chained: each id is one choice per position.
 */
static char **
colliding_ids(size_t *n_r)
{
	static const char al[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	char pair[NBLOCK][2][4], blk[4];
	uint32_t *seen = malloc(sizeof(*seen) * (MASK + 1));
	uint16_t *who = malloc(sizeof(*who) * (MASK + 1));
	uint64_t h = 1469598103934665603ull;
	size_t n = (size_t)1 << NBLOCK, i, j, c;
	char **ids = calloc(n, sizeof(*ids));
	int p;

	ck_assert(seen && who && ids);
	h = fnv_step(h, "x", 1);
	for (p = 0; p < NBLOCK; p++) {
		memset(seen, 0, sizeof(*seen) * (MASK + 1));
		for (c = 0;; c++) {
			uint64_t v;

			ck_assert_uint_lt(c, 36 * 36 * 36);
			blk[0] = al[c % 36];
			blk[1] = al[c / 36 % 36];
			blk[2] = al[c / 1296 % 36];
			blk[3] = '\0';
			v = fnv_step(h, blk, 3) & MASK;
			if (seen[v]) {
				j = who[v];
				snprintf(pair[p][0], 4, "%c%c%c", al[j % 36],
				    al[j / 36 % 36], al[j / 1296 % 36]);
				memcpy(pair[p][1], blk, 4);
				/* the state's low bits are the same either
				 * way, which is all that matters next */
				h = fnv_step(h, blk, 3);
				break;
			}
			seen[v] = 1;
			who[v] = (uint16_t)c;
		}
	}
	for (i = 0; i < n; i++) {
		char *s = malloc(3 + 3 * NBLOCK + 1);

		ck_assert(s != NULL);
		s[0] = '<';
		s[1] = 'x';
		for (p = 0; p < NBLOCK; p++)
			memcpy(s + 2 + 3 * p, pair[p][(i >> p) & 1], 3);
		s[2 + 3 * NBLOCK] = '>';
		s[3 + 3 * NBLOCK] = '\0';
		ids[i] = s;
	}
	free(seen);
	free(who);
	*n_r = n;
	return ids;
}

START_TEST(colliding_message_ids)
{
	size_t n, i;
	char **ids = colliding_ids(&n);
	struct thread_msg *m = calloc(n, sizeof(*m));
	uint64_t low;

	ck_assert(m != NULL);
	/* the construction is right: one low-bits value for all */
	low = fnv_step(1469598103934665603ull, ids[0] + 1,
	    strlen(ids[0]) - 2) & MASK;
	ck_assert_uint_eq(fnv_step(1469598103934665603ull, ids[n - 1] + 1,
	    strlen(ids[n - 1]) - 2) & MASK, low);
	for (i = 0; i < n; i++) {
		m[i].message_id = ids[i];
		m[i].subject = "same";
		m[i].date = (int64_t)i;
	}
	check_order(m, n);
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	free(m);
}
END_TEST

/*
 * One parent named by the References of many messages (its children),
 * then each child arrives with a reference to another parent: it must
 * leave the first parent's long child list without walking it.
 */
START_TEST(children_moved_one_by_one)
{
	size_t n = 150000, i;
	struct thread_msg *m = calloc(2 * n, sizeof(*m));
	char **s = calloc(4 * n, sizeof(*s));

	ck_assert(m && s);
	for (i = 0; i < n; i++) {
		s[4 * i] = malloc(32);
		s[4 * i + 1] = malloc(48);
		s[4 * i + 2] = malloc(32);
		ck_assert(s[4 * i] && s[4 * i + 1] && s[4 * i + 2]);
		snprintf(s[4 * i], 32, "<m%zu@x>", i);
		snprintf(s[4 * i + 1], 48, "<parent@x> <c%zu@x>", i);
		snprintf(s[4 * i + 2], 32, "<c%zu@x>", i);
		m[i].message_id = s[4 * i];
		m[i].references = s[4 * i + 1];
		m[i].subject = "first";
		m[n + i].message_id = s[4 * i + 2];
		m[n + i].references = "<other@x>";
		m[n + i].subject = "second";
		m[i].date = m[n + i].date = (int64_t)i;
	}
	check_order(m, 2 * n);
	for (i = 0; i < 4 * n; i++)
		free(s[i]);
	free(s);
	free(m);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("thread_hostile");
	TCase *tc = tcase_create("hostile");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, colliding_message_ids);
	tcase_add_test(tc, children_moved_one_by_one);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
