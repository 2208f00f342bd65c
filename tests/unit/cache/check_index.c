/* Unit tests of cache/thread and cache/index: JWZ threading (missing
 * parents, reference loops, subject-only threads) and sorting. */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cache/db.h"
#include "cache/index.h"
#include "cache/thread.h"
#include "core/str.h"
#include "check_cache.h"

static void
order_of(const struct thread_msg *m, size_t n, uint32_t *order,
    uint16_t *depth)
{
	size_t i, *seen = calloc(n, sizeof(*seen));

	thread_order(m, n, order, depth);
	/* A permutation: every message exactly once. */
	for (i = 0; i < n; i++) {
		ck_assert_uint_lt(order[i], n);
		ck_assert_uint_eq(seen[order[i]], 0);
		seen[order[i]] = 1;
	}
	free(seen);
}

START_TEST(chain)
{
	struct thread_msg m[] = {
		{ "<c@x>", "<b@x>", "<a@x> <b@x>", "Re: hi", 30 },
		{ "<a@x>", NULL, NULL, "hi", 10 },
		{ "<b@x>", "<a@x>", "<a@x>", "Re: hi", 20 },
	};
	uint32_t o[3];
	uint16_t d[3];

	order_of(m, 3, o, d);
	ck_assert_uint_eq(o[0], 1);
	ck_assert_uint_eq(o[1], 2);
	ck_assert_uint_eq(o[2], 0);
	ck_assert_uint_eq(d[0], 0);
	ck_assert_uint_eq(d[1], 1);
	ck_assert_uint_eq(d[2], 2);
}
END_TEST

START_TEST(missing_parents)
{
	/* b and c answer x, which we never saw; d answers a through x. */
	struct thread_msg m[] = {
		{ "<b@x>", NULL, "<x@x>", "Re: topic", 20 },
		{ "<c@x>", "<x@x>", NULL, "Re: topic", 30 },
		{ "<a@x>", NULL, NULL, "start", 5 },
		{ "<d@x>", NULL, "<a@x> <y@x>", "Re: start", 40 },
	};
	uint32_t o[4];
	uint16_t d[4];

	order_of(m, 4, o, d);
	/* Thread of a (newest 40) after the thread of x (newest 30). */
	ck_assert_uint_eq(o[0], 0);
	ck_assert_uint_eq(o[1], 1);
	ck_assert_uint_eq(d[0], 0); /* the missing parent adds no depth */
	ck_assert_uint_eq(d[1], 0);
	ck_assert_uint_eq(o[2], 2);
	ck_assert_uint_eq(o[3], 3);
	ck_assert_uint_eq(d[2], 0);
	ck_assert_uint_eq(d[3], 1); /* a -> (y missing) -> d */
}
END_TEST

START_TEST(reference_loops)
{
	struct thread_msg m[] = {
		{ "<a@x>", "<b@x>", "<b@x>", "loop", 10 },
		{ "<b@x>", "<a@x>", "<a@x>", "loop", 20 },
		{ "<c@x>", NULL, "<c@x>", "self", 30 },
		{ "<d@x>", NULL, "<e@x> <f@x> <e@x> <d@x>", "cycle", 40 },
	};
	uint32_t o[4];
	uint16_t d[4];

	order_of(m, 4, o, d);
	ck_assert_uint_eq(d[0], 0);
}
END_TEST

START_TEST(subject_threads)
{
	struct thread_msg m[] = {
		{ "<1@x>", NULL, NULL, "Hello", 1 },
		{ "<2@x>", NULL, NULL, "Other", 3 },
		{ "<3@x>", NULL, NULL, "Re: [list] RE: hello", 5 },
		{ "<4@x>", NULL, NULL, "Fwd: Other", 2 },
		{ NULL, NULL, NULL, "", 0 },
	};
	uint32_t o[5];
	uint16_t d[5];
	size_t len;

	order_of(m, 5, o, d);
	/* The no-subject message stands alone (oldest). */
	ck_assert_uint_eq(o[0], 4);
	/* "Other" (newest 3) before "Hello" (newest 5). */
	ck_assert_uint_eq(o[1], 3);
	ck_assert_uint_eq(o[2], 1);
	ck_assert_uint_eq(d[2], 1);
	ck_assert_uint_eq(o[3], 0);
	ck_assert_uint_eq(o[4], 2);
	ck_assert_uint_eq(d[4], 1);
	ck_assert_int_eq(*thread_base_subject("Re: Fwd: x ", &len), 'x');
	ck_assert_uint_eq(len, 1);
}
END_TEST

START_TEST(duplicates_and_random)
{
	enum { N = 3000 };
	static struct thread_msg m[N];
	static char ids[N][16], refs[N][64];
	static uint32_t o[N];
	static uint16_t d[N];
	size_t i;

	srandom(42);
	for (i = 0; i < N; i++) {
		/* Only 200 distinct ids: many duplicates and cycles. */
		snprintf(ids[i], sizeof(ids[i]), "<%ld@x>", random() % 200);
		snprintf(refs[i], sizeof(refs[i]), "<%ld@x> <%ld@x> <%ld@x>",
		    random() % 250, random() % 250, random() % 250);
		m[i].message_id = ids[i];
		m[i].references = refs[i];
		m[i].subject = i % 3 ? "Re: s" : "s";
		m[i].date = random() % 1000;
	}
	order_of(m, N, o, d);
}
END_TEST

/* A root grouped by subject under a later root of the pre-order still
 * makes its thread newer. */
START_TEST(grouped_newest)
{
	struct thread_msg m[] = {
		{ "<b@x>", NULL, NULL, "Re: topic", 10 },
		{ "<a@x>", NULL, NULL, "topic", 1 },
		{ "<c@x>", NULL, NULL, "other", 5 },
	};
	uint32_t o[3];
	uint16_t d[3];

	order_of(m, 3, o, d);
	ck_assert_uint_eq(o[0], 2); /* other (5) before topic (newest 10) */
	ck_assert_uint_eq(o[1], 1);
	ck_assert_uint_eq(o[2], 0);
	ck_assert_uint_eq(d[2], 1);
}
END_TEST

/* Many roots (the radix path of the root sort): by date, ties in input
 * order. */
START_TEST(many_roots)
{
	enum { N = 10000 };
	static struct thread_msg m[N];
	static char ids[N][16], subj[N][16];
	static uint32_t o[N];
	static uint16_t d[N];
	size_t i;

	srandom(5);
	for (i = 0; i < N; i++) {
		snprintf(ids[i], sizeof(ids[i]), "<%zu@x>", i);
		snprintf(subj[i], sizeof(subj[i]), "s%zu", i);
		m[i].message_id = ids[i];
		m[i].subject = subj[i];
		m[i].date = random() % 500 - 250;
	}
	order_of(m, N, o, d);
	for (i = 1; i < N; i++) {
		ck_assert_uint_eq(d[i], 0);
		ck_assert(m[o[i - 1]].date < m[o[i]].date ||
		    (m[o[i - 1]].date == m[o[i]].date && o[i - 1] < o[i]));
	}
}
END_TEST

/* --- the index: sorting from the database --- */

static char dir[64];
static struct db *db;
static int64_t folder;

static void
setup(void)
{
	struct error err;
	char path[128];

	tmp_make(dir, sizeof(dir), "check_index");
	snprintf(path, sizeof(path), "%s/postie.db", dir);
	ck_assert_int_eq(db_open(path, &db, &err), 0);
	ck_assert_int_eq(db_folder_ensure(db, "a", "INBOX", 0, &folder, &err),
	    0);
}

static void
teardown(void)
{
	db_close(&db);
	tmp_remove(dir);
}

static int64_t
add(uint32_t uid, int64_t arrival, int64_t date, const char *from,
    const char *subject, int64_t size, const char *mid, const char *refs)
{
	struct db_msg m;
	struct error err;

	memset(&m, 0, sizeof(m));
	m.folder_id = folder;
	m.uid = uid;
	m.internal_date = arrival;
	m.date = date;
	m.from = (char *)from;
	m.subject = (char *)subject;
	m.size = size;
	m.message_id = (char *)mid;
	m.references = (char *)refs;
	ck_assert_int_eq(db_msg_insert(db, &m, &err), 0);
	return m.id;
}

static void
expect(enum index_sort sort, int reverse, const uint32_t *uids, size_t n)
{
	struct index *ix = NULL;
	struct error err;
	size_t i;

	ck_assert_int_eq(index_open(db, folder, sort, reverse, &ix, &err), 0);
	ck_assert_uint_eq(index_count(ix), n);
	for (i = 0; i < n; i++)
		ck_assert_msg(index_get(ix, i)->uid == uids[i],
		    "sort %d rev %d pos %zu: uid %u, want %u", sort, reverse,
		    i, index_get(ix, i)->uid, uids[i]);
	ck_assert_ptr_null(index_get(ix, n));
	index_free(&ix);
	ck_assert_ptr_null(ix);
}

START_TEST(sorting)
{
	add(1, 100, 300, "\"Zed\" <z@x>", "Re: banana", 500, "<1@x>", NULL);
	add(2, 200, 100, "alice <a@x>", "apple", 100, "<2@x>", NULL);
	add(3, 300, 0, "Bob <b@x>", "cherry", 300, "<3@x>", "<2@x>");
	add(4, 400, 200, "bob <b@y>", "Apple", 300, "<4@x>", "<1@x>");
	{
		const uint32_t arrival[] = { 1, 2, 3, 4 };
		/* uid 3 has no Date: its arrival (300) stands in. */
		const uint32_t date[] = { 2, 4, 1, 3 };
		const uint32_t date_rev[] = { 3, 1, 4, 2 };
		const uint32_t from[] = { 2, 3, 4, 1 };
		const uint32_t subject[] = { 2, 4, 1, 3 };
		const uint32_t size[] = { 2, 4, 3, 1 }; /* tie: by date */
		const uint32_t thread[] = { 2, 3, 1, 4 };
		const uint32_t thread_rev[] = { 1, 4, 2, 3 };

		expect(INDEX_SORT_ARRIVAL, 0, arrival, 4);
		expect(INDEX_SORT_DATE, 0, date, 4);
		expect(INDEX_SORT_DATE, 1, date_rev, 4);
		expect(INDEX_SORT_FROM, 0, from, 4);
		expect(INDEX_SORT_SUBJECT, 0, subject, 4);
		expect(INDEX_SORT_SIZE, 0, size, 4);
		expect(INDEX_SORT_THREAD, 0, thread, 4);
		expect(INDEX_SORT_THREAD, 1, thread_rev, 4);
	}
}
END_TEST

/* Text sorts use 8-byte keys: ties past the 8th byte, case, "Re:" and
 * quotes must still sort as the full comparison says. */
START_TEST(sorting_long_text)
{
	add(1, 1, 10, "Bob Zeta <z@x>", "Quarterly report B", 1, NULL, NULL);
	add(2, 2, 50, "bob alpha", "quarterly report a", 1, NULL, NULL);
	add(3, 3, 20, "\"Bob Alpha\" <c@x>", "Re: QUARTERLY REPORT A", 1,
	    NULL, NULL);
	add(4, 4, 5, "Bobby", "Quarterly", 1, NULL, NULL);
	add(5, 5, 1, "<zz@x>", "Quarterly report a longer", 1, NULL, NULL);
	{
		const uint32_t subject[] = { 4, 3, 2, 5, 1 };
		const uint32_t subject_rev[] = { 1, 5, 2, 3, 4 };
		const uint32_t from[] = { 2, 3, 1, 4, 5 };

		expect(INDEX_SORT_SUBJECT, 0, subject, 5);
		expect(INDEX_SORT_SUBJECT, 1, subject_rev, 5);
		expect(INDEX_SORT_FROM, 0, from, 5);
	}
}
END_TEST

START_TEST(strings_cleaned)
{
	struct index *ix = NULL;
	struct error err;
	enum index_sort s;
	int64_t id;

	id = add(9, 1, 1, "Evil \033[31mred\033[0m <e@x>",
	    "tab\there\x7f\xe2\x80\xae", 10, NULL, NULL);
	ck_assert_int_eq(index_open(db, folder, INDEX_SORT_DATE, 0, &ix, &err),
	    0);
	ck_assert_str_eq(index_from(ix, index_get(ix, 0)), "Evil red <e@x>");
	ck_assert_ptr_null(strchr(index_subject(ix, index_get(ix, 0)), '\t'));
	ck_assert_ptr_null(strchr(index_subject(ix, index_get(ix, 0)), 0x7f));
	ck_assert_uint_eq(index_find(ix, id), 0);
	ck_assert_uint_eq(index_find(ix, id + 100), (size_t)-1);
	index_set_flags(ix, id, MSG_FLAGGED);
	ck_assert_uint_eq(index_get(ix, 0)->flags, MSG_FLAGGED);
	ck_assert_uint_gt(index_memory(ix), 0);
	index_free(&ix);
	ck_assert_int_eq(index_sort_parse("thread", &s), 0);
	ck_assert_int_eq(s, INDEX_SORT_THREAD);
	ck_assert_int_eq(index_sort_parse("bogus", &s), -1);
}
END_TEST

START_TEST(find_and_limit)
{
	struct index *ix = NULL;
	struct error err;
	int64_t ids[6], want[3], *hits;
	size_t i, n;

	ids[0] = add(1, 1, 10, "a", "budget one", 1, NULL, NULL);
	ids[1] = add(2, 2, 20, "b", "lunch", 1, NULL, NULL);
	ids[2] = add(3, 3, 30, "c", "budget two", 1, NULL, NULL);
	ids[3] = add(4, 4, 40, "d", "other", 1, NULL, NULL);
	ids[4] = add(5, 5, 50, "e", "Budget three", 1, NULL, NULL);
	ids[5] = add(6, 6, 5, "f", "first", 1, NULL, NULL);
	ck_assert_int_eq(index_open(db, folder, INDEX_SORT_DATE, 1, &ix, &err),
	    0);
	/* Newest first: uid 5 at the top, uid 6 (date 5) last. */
	ck_assert_uint_eq(index_find(ix, ids[4]), 0);
	ck_assert_uint_eq(index_find(ix, ids[5]), 5);
	for (i = 0; i < 6; i++)
		ck_assert_int_eq(index_get(ix, index_find(ix, ids[i]))->id,
		    ids[i]);
	/* Search, then limit the index to the hits. */
	ck_assert_int_eq(db_search(db, folder, "budget", &hits, &n, &err), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(index_limit(ix, hits, n), 3);
	free(hits);
	want[0] = ids[4];
	want[1] = ids[2];
	want[2] = ids[0];
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(index_get(ix, i)->id, want[i]);
	ck_assert_uint_eq(index_find(ix, ids[1]), (size_t)-1);
	ck_assert_uint_eq(index_find(ix, ids[0]), 2);
	ck_assert_uint_eq(index_limit(ix, NULL, 0), 0);
	ck_assert_ptr_null(index_get(ix, 0));
	index_free(&ix);
}
END_TEST

/* --- orders kept in memory: same as a fresh open, and correct --- */

static const char *
ref_from(const char *s)
{
	while (*s == '"' || *s == '\'' || *s == ' ' || *s == '<')
		s++;
	return s;
}

/* The orders as index.h defines them, compared the slow way. */
static int
ref_cmp(struct index *ix, enum index_sort sort, const struct index_rec *x,
    const struct index_rec *y)
{
	const char *a, *b;
	size_t al, bl;
	int c = 0;

	switch (sort) {
	case INDEX_SORT_ARRIVAL:
		return x->arrival < y->arrival ? -1 : x->arrival > y->arrival;
	case INDEX_SORT_SIZE:
		c = x->size < y->size ? -1 : x->size > y->size;
		break;
	case INDEX_SORT_FROM:
		c = str_casecmp(ref_from(index_from(ix, x)),
		    ref_from(index_from(ix, y)));
		break;
	case INDEX_SORT_SUBJECT:
		a = thread_base_subject(index_subject(ix, x), &al);
		b = thread_base_subject(index_subject(ix, y), &bl);
		c = str_ncasecmp(a, b, al < bl ? al : bl);
		if (c == 0 && al != bl)
			c = al < bl ? -1 : 1;
		break;
	default:
		break;
	}
	if (c == 0 && x->date != y->date)
		c = x->date < y->date ? -1 : 1;
	if (c == 0)
		c = x->arrival < y->arrival ? -1 : x->arrival > y->arrival;
	return c;
}

static int64_t *
ids_of(struct index *ix, uint16_t **depth_r)
{
	size_t n = index_count(ix), i;
	int64_t *ids = calloc(n ? n : 1, sizeof(*ids));

	*depth_r = calloc(n ? n : 1, sizeof(**depth_r));
	for (i = 0; i < n; i++) {
		ids[i] = index_get(ix, i)->id;
		(*depth_r)[i] = index_get(ix, i)->depth;
	}
	return ids;
}

static void
fill_random(size_t n)
{
	static const char *const words[] = { "Quarterly", "quarterly",
		"report", "REPORT", "a", "meeting notes", "x", "" };
	static const char *const pre[] = { "", "Re: ", "RE: Fwd: ",
		"[list] ", "  " };
	char from[128], subj[256], mid[32], refs[64];
	struct error err;
	int64_t date;
	size_t i;

	srandom(7);
	ck_assert_int_eq(db_begin(db, &err), 0);
	for (i = 0; i < n; i++) {
		/* Long shared prefixes, case variants, equal strings, ties
		 * on date and size: every path of the text sorts. */
		snprintf(from, sizeof(from), "%s%s Longname-Familyname %s"
		    " <%ld@x>", random() % 3 ? "" : "\"",
		    words[random() % 8], words[random() % 8], random() % 40);
		snprintf(subj, sizeof(subj), "%s%s %s %s%s", pre[random() % 5],
		    words[random() % 8], words[random() % 8],
		    words[random() % 8], random() % 4 ? "" : " ");
		snprintf(mid, sizeof(mid), "<%zu@x>", i);
		snprintf(refs, sizeof(refs), "<%ld@x>", i ? random() % i :
		    0);
		date = random() % 5 ? random() % 300 : 0;
		if (i == 5 || i == 6) /* too far apart for one packed key */
			date = i == 5 ? (int64_t)1 << 62 : -((int64_t)1 << 62);
		add((uint32_t)i + 1, random() % 500, date, from, subj,
		    random() % 20, mid, random() % 3 ? refs : NULL);
	}
	ck_assert_int_eq(db_commit(db, &err), 0);
}

/* ix and pre show what a fresh open with (s, r) shows, and that is
 * the order index.h defines. */
static void
same_as_fresh(struct index *ix, struct index *pre, int s, int r, size_t n)
{
	struct index *fresh = NULL;
	struct error err;
	int64_t *want, *got, *got2;
	uint16_t *wd, *gd, *gd2;
	size_t i;

	ck_assert_int_eq(index_open(db, folder, s, r, &fresh, &err), 0);
	ck_assert_int_eq(index_sort(ix, db, s, r, &err), 0);
	ck_assert_int_eq(index_sort(pre, db, s, r, &err), 0);
	ck_assert_uint_eq(index_count(ix), n);
	want = ids_of(fresh, &wd);
	got = ids_of(ix, &gd);
	got2 = ids_of(pre, &gd2);
	for (i = 0; i < n; i++) {
		ck_assert_msg(want[i] == got[i] && want[i] == got2[i] &&
		    wd[i] == gd[i] && wd[i] == gd2[i], "sort %d rev %d pos %zu",
		    s, r, i);
		ck_assert_uint_eq(index_find(ix, got[i]), i);
	}
	for (i = 1; s != INDEX_SORT_THREAD && i < n; i++)
		ck_assert_int_lt(ref_cmp(fresh, s, index_get(fresh, r ? i :
		    i - 1), index_get(fresh, r ? i - 1 : i)), 0);
	free(want);
	free(got);
	free(got2);
	free(wd);
	free(gd);
	free(gd2);
	index_free(&fresh);
}

START_TEST(resort_matches_open)
{
	enum { N = 3000 };
	struct index *fresh = NULL, *ix = NULL, *pre = NULL;
	struct error err;
	int s, r, pass;
	size_t i;

	fill_random(N);
	ck_assert_int_eq(index_open(db, folder, INDEX_SORT_SIZE, 1, &ix,
	    &err), 0);
	ck_assert_int_eq(index_open(db, folder, INDEX_SORT_DATE, 0, &pre,
	    &err), 0);
	index_precompute(pre);
	/* Twice through: computed the first time, kept the second. */
	for (pass = 0; pass < 2; pass++)
		for (s = 0; s <= INDEX_SORT_THREAD; s++)
			for (r = 0; r < 2; r++)
				same_as_fresh(ix, pre, s, r, N);
	index_free(&pre);
	/* A limit, then a re-sort of what is left: same as the whole order
	 * filtered (threading excepted: a subset threads differently). */
	{
		int64_t keep[N / 2];
		size_t k = 0, j;

		for (i = 0; i < N; i += 2)
			keep[k++] = index_get(ix, i)->id;
		ck_assert_uint_eq(index_limit(ix, keep, k), k);
		for (s = 0; s < INDEX_SORT_THREAD; s++) {
			ck_assert_int_eq(index_open(db, folder, s, 0, &fresh,
			    &err), 0);
			ck_assert_int_eq(index_sort(ix, db, s, 0, &err), 0);
			for (i = 0, j = 0; i < N; i++) {
				int64_t id = index_get(fresh, i)->id;

				if (index_find(ix, id) == (size_t)-1)
					continue;
				ck_assert_int_eq(index_get(ix, j)->id, id);
				j++;
			}
			ck_assert_uint_eq(j, k);
			index_free(&fresh);
		}
		ck_assert_int_eq(index_sort(ix, db, INDEX_SORT_THREAD, 0,
		    &err), 0);
		ck_assert_uint_eq(index_count(ix), k);
	}
	index_free(&ix);
}
END_TEST

/* The helper while the index is used and freed under it: freeing never
 * waits for it (it finishes and frees on its own), nothing is lost. */
START_TEST(precompute_freed_early)
{
	struct index *ix = NULL;
	struct error err;
	int64_t id;
	int k;

	fill_random(2000);
	for (k = 0; k < 20; k++) {
		ck_assert_int_eq(index_open(db, folder, INDEX_SORT_DATE, 0, &ix,
		    &err), 0);
		index_precompute(ix);
		id = index_get(ix, (size_t)k)->id;
		index_set_flags(ix, id, MSG_FLAGGED);
		ck_assert_uint_eq(index_find(ix, id), (size_t)k);
		ck_assert_uint_eq(index_get(ix, (size_t)k)->flags, MSG_FLAGGED);
		if (k % 2)
			ck_assert_int_eq(index_sort(ix, db, INDEX_SORT_THREAD,
			    k % 4 == 1, &err), 0);
		index_free(&ix);
		ck_assert_ptr_null(ix);
	}
	/* Freed at once, many times: the helper wakes, stops and frees
	 * while index_free() returns (a race the sanitizers watch). */
	for (k = 0; k < 300; k++) {
		ck_assert_int_eq(index_open(db, folder, INDEX_SORT_DATE, 0, &ix,
		    &err), 0);
		index_precompute(ix);
		index_free(&ix);
	}
}
END_TEST

/* Several folders as one index (a saved search's virtual folder): one
 * order across them, threads across them, each record's folder known,
 * also after a limit. */
START_TEST(several_folders)
{
	struct index *ix = NULL;
	struct error err;
	int64_t inbox = folder, other, two[2], ids[4], keep[2];
	size_t i;

	ids[0] = add(1, 1, 10, "a", "root", 1, "<r@x>", NULL);
	ids[1] = add(2, 2, 40, "b", "late", 1, "<l@x>", NULL);
	ck_assert_int_eq(db_folder_ensure(db, "b", "INBOX", 0, &other, &err),
	    0);
	folder = other;
	ids[2] = add(1, 3, 20, "c", "Re: root", 1, "<c@x>", "<r@x>");
	ids[3] = add(2, 4, 30, "d", "middle", 1, "<m@x>", NULL);
	folder = inbox;
	two[0] = inbox;
	two[1] = other;
	ck_assert_int_eq(index_open_folders(db, two, 2, INDEX_SORT_DATE, 0,
	    &ix, &err), 0);
	ck_assert_uint_eq(index_count(ix), 4);
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(index_get(ix, i)->id, ids[i == 0 ? 0 :
		    i == 1 ? 2 : i == 2 ? 3 : 1]);
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(index_folder(ix, index_get(ix,
		    index_find(ix, ids[i]))), i < 2 ? inbox : other);
	/* The reply in the other folder threads under its root. */
	ck_assert_int_eq(index_sort(ix, db, INDEX_SORT_THREAD, 0, &err), 0);
	ck_assert_int_eq(index_get(ix, 0)->id, ids[0]);
	ck_assert_int_eq(index_get(ix, 1)->id, ids[2]);
	ck_assert_uint_eq(index_get(ix, 1)->depth, 1);
	keep[0] = ids[1];
	keep[1] = ids[3];
	ck_assert_uint_eq(index_limit(ix, keep, 2), 2);
	ck_assert_int_eq(index_folder(ix, index_get(ix, index_find(ix,
	    ids[3]))), other);
	ck_assert_int_eq(index_folder(ix, index_get(ix, index_find(ix,
	    ids[1]))), inbox);
	index_free(&ix);
	/* One folder: its id, no table. */
	ck_assert_int_eq(index_open(db, other, INDEX_SORT_DATE, 0, &ix, &err),
	    0);
	ck_assert_uint_eq(index_count(ix), 2);
	ck_assert_int_eq(index_folder(ix, index_get(ix, 0)), other);
	index_free(&ix);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cache_index");
	TCase *tt = tcase_create("thread"), *ti = tcase_create("index");

	tcase_add_test(tt, chain);
	tcase_add_test(tt, missing_parents);
	tcase_add_test(tt, reference_loops);
	tcase_add_test(tt, subject_threads);
	tcase_add_test(tt, duplicates_and_random);
	tcase_add_test(tt, many_roots);
	tcase_add_test(tt, grouped_newest);
	suite_add_tcase(s, tt);
	tcase_add_checked_fixture(ti, setup, teardown);
	tcase_add_test(ti, sorting);
	tcase_add_test(ti, sorting_long_text);
	tcase_add_test(ti, strings_cleaned);
	tcase_add_test(ti, find_and_limit);
	tcase_add_test(ti, resort_matches_open);
	tcase_add_test(ti, precompute_freed_early);
	tcase_add_test(ti, several_folders);
	suite_add_tcase(s, ti);
	return run_suite(s);
}
