/*
 * index_order: the index's sort orders, computed in memory over the loaded
 * records (see index_int.h).  Radix sorts on 64-bit keys instead of
 * comparison sorts: text sorts take 8 case-folded bytes at a time and go
 * deeper only inside runs of equal keys, so 100,000 messages sort in a
 * few milliseconds; every tie ends on (date, arrival) as before.
 */
#include "config.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "cache/db_int.h"
#include "cache/index_int.h"
#include "cache/thread.h"
#include "core/str.h"
#include "core/xalloc.h"

struct rkey {
	uint64_t k;
	const char *s; /* text sorts: the sort string */
	uint32_t len;
	uint32_t i;    /* record */
};

/* Signed to unsigned, order kept. */
static uint64_t
ukey(int64_t v)
{
	return (uint64_t)v ^ (uint64_t)1 << 63;
}

/* Stable LSD radix sort on k, a byte at a time; bytes that are the same
 * in every key are skipped.  tmp holds n keys. */
static void
radix(struct rkey *a, struct rkey *tmp, size_t n)
{
	size_t cnt[8][256], i, b, sum, t;
	struct rkey *src = a, *dst = tmp, *sw;
	unsigned p;

	if (n < 2)
		return;
	if (n < 64) { /* insertion sort: no 16 KB of counters to clear */
		struct rkey x;
		size_t j;

		for (i = 1; i < n; i++) {
			x = a[i];
			for (j = i; j > 0 && a[j - 1].k > x.k; j--)
				a[j] = a[j - 1];
			a[j] = x;
		}
		return;
	}
	memset(cnt, 0, sizeof(cnt));
	for (i = 0; i < n; i++)
		for (p = 0; p < 8; p++)
			cnt[p][(a[i].k >> (8 * p)) & 0xFF]++;
	for (p = 0; p < 8; p++) {
		if (cnt[p][(a[0].k >> (8 * p)) & 0xFF] == n)
			continue;
		for (b = 0, sum = 0; b < 256; b++) {
			t = cnt[p][b];
			cnt[p][b] = sum;
			sum += t;
		}
		for (i = 0; i < n; i++)
			dst[cnt[p][(src[i].k >> (8 * p)) & 0xFF]++] = src[i];
		sw = src;
		src = dst;
		dst = sw;
	}
	if (src != a)
		memcpy(a, src, n * sizeof(*a));
}

static struct rkey *
keys_new(size_t n)
{
	return xreallocarray(NULL, n ? n : 1, sizeof(struct rkey));
}

static uint32_t *
keys_order(const struct rkey *k, size_t n)
{
	uint32_t *o = xreallocarray(NULL, n ? n : 1, sizeof(*o));
	size_t i;

	for (i = 0; i < n; i++)
		o[i] = k[i].i;
	return o;
}

static unsigned
bits_of(uint64_t v)
{
	unsigned b = 0;

	for (; v != 0; v >>= 1)
		b++;
	return b;
}

/*
 * Sorts records by (hi[r], lo[r]) into k (k[j].i = j on entry).  One
 * radix pass on both packed into 64 bits when their ranges fit (dates
 * span far less than 2^40 s, and ids and ranks 2^24), else two stable
 * passes, lo first.
 */
static void
sort_pair(struct rkey *k, struct rkey *tmp, size_t n, const uint64_t *hi,
    const uint64_t *lo)
{
	uint64_t hmin = UINT64_MAX, hmax = 0, lmin = UINT64_MAX, lmax = 0;
	unsigned lb;
	size_t i;

	for (i = 0; i < n; i++) {
		hmin = hi[i] < hmin ? hi[i] : hmin;
		hmax = hi[i] > hmax ? hi[i] : hmax;
		lmin = lo[i] < lmin ? lo[i] : lmin;
		lmax = lo[i] > lmax ? lo[i] : lmax;
	}
	lb = n ? bits_of(lmax - lmin) : 0;
	if (n && lb < 64 && bits_of(hmax - hmin) <= 64 - lb) {
		for (i = 0; i < n; i++)
			k[i].k = (lb ? (hi[k[i].i] - hmin) << lb :
			    hi[k[i].i] - hmin) | (lo[k[i].i] - lmin);
		radix(k, tmp, n);
		return;
	}
	for (i = 0; i < n; i++)
		k[i].k = lo[k[i].i];
	radix(k, tmp, n);
	for (i = 0; i < n; i++)
		k[i].k = hi[k[i].i];
	radix(k, tmp, n);
}

static uint64_t *
u64s(size_t n)
{
	return xreallocarray(NULL, n ? n : 1, sizeof(uint64_t));
}

void
index_rank_arrival(struct index *ix, const int64_t *internal)
{
	struct rkey *k = keys_new(ix->n), *tmp = keys_new(ix->n);
	uint64_t *hi = u64s(ix->n), *lo = u64s(ix->n);
	size_t i;

	/* By internal date, then id. */
	for (i = 0; i < ix->n; i++) {
		hi[i] = ukey(internal[i]);
		lo[i] = ukey(ix->recs[i].id);
		k[i].i = (uint32_t)i;
	}
	sort_pair(k, tmp, ix->n, hi, lo);
	for (i = 0; i < ix->n; i++)
		ix->recs[k[i].i].arrival = (uint32_t)i;
	free(hi);
	free(lo);
	free(k);
	free(tmp);
}

/* (date, arrival) order, and each record's rank in it: the tie-break of
 * every other order. */
static void
order_date(struct index *ix)
{
	struct rkey *k = keys_new(ix->n), *tmp = keys_new(ix->n);
	uint64_t *hi = u64s(ix->n), *lo = u64s(ix->n);
	size_t i;

	for (i = 0; i < ix->n; i++) {
		hi[i] = ukey(ix->recs[i].date);
		lo[i] = ix->recs[i].arrival;
		k[i].i = (uint32_t)i;
	}
	sort_pair(k, tmp, ix->n, hi, lo);
	free(hi);
	free(lo);
	ix->ord[INDEX_SORT_DATE] = keys_order(k, ix->n);
	ix->drank = xreallocarray(NULL, ix->n ? ix->n : 1,
	    sizeof(*ix->drank));
	for (i = 0; i < ix->n; i++)
		ix->drank[k[i].i] = (uint32_t)i;
	free(k);
	free(tmp);
}

static void
order_by_int(struct index *ix, enum index_sort sort)
{
	struct rkey *k = keys_new(ix->n), *tmp = keys_new(ix->n);
	size_t i;

	for (i = 0; i < ix->n; i++) {
		if (sort == INDEX_SORT_SIZE)
			k[i].k = (uint64_t)ix->recs[i].size << 32 |
			    ix->drank[i];
		else
			k[i].k = ix->recs[i].arrival;
		k[i].i = (uint32_t)i;
	}
	radix(k, tmp, ix->n);
	ix->ord[sort] = keys_order(k, ix->n);
	free(k);
	free(tmp);
}

/* The first 8 bytes of s, ASCII case-folded, big-endian: integer order is
 * str_ncasecmp's order, a shorter string first. */
static uint64_t
prefix_key(const char *s, size_t len)
{
	uint64_t k = 0;
	size_t i;

	for (i = 0; i < 8; i++) {
		unsigned c = i < len ? (unsigned char)s[i] : 0;

		k = k << 8 | (unsigned)str_ascii_lower((int)c);
	}
	return k;
}

struct tctx {
	const uint32_t *drank;
	size_t depth; /* bytes known equal */
};

/* The full comparison from depth on: text, length, then (date, arrival). */
static int
cmp_text(const void *a, const void *b, void *arg)
{
	const struct rkey *x = a, *y = b;
	const struct tctx *t = arg;
	size_t xl = x->len > t->depth ? x->len - t->depth : 0;
	size_t yl = y->len > t->depth ? y->len - t->depth : 0;
	int c = 0;

	if (xl && yl)
		c = str_ncasecmp(x->s + t->depth, y->s + t->depth,
		    xl < yl ? xl : yl);
	if (c == 0 && xl != yl)
		c = xl < yl ? -1 : 1;
	if (c == 0)
		c = t->drank[x->i] < t->drank[y->i] ? -1 :
		    t->drank[x->i] > t->drank[y->i];
	return c;
}

#define SMALL_RUN 32
#define MAX_DEPTH 4096

/* Sorts a[0..n), whose strings agree on their first depth bytes. */
static void
sort_text(struct rkey *a, struct rkey *tmp, size_t n, size_t depth,
    const uint32_t *drank)
{
	struct tctx t = { drank, depth };
	size_t lo, hi, i, ended;
	struct rkey sw;

	if (depth > MAX_DEPTH) {
		qsort_r(a, n, sizeof(*a), cmp_text, &t);
		return;
	}
	if (n < SMALL_RUN) {
		for (i = 1; i < n; i++) {
			sw = a[i];
			for (lo = i; lo > 0 &&
			    cmp_text(&a[lo - 1], &sw, &t) > 0; lo--)
				a[lo] = a[lo - 1];
			a[lo] = sw;
		}
		return;
	}
	for (i = 0; i < n; i++)
		a[i].k = prefix_key(a[i].s + depth, a[i].len > depth ?
		    a[i].len - depth : 0);
	radix(a, tmp, n);
	for (lo = 0; lo < n; lo = hi) {
		for (hi = lo + 1; hi < n && a[hi].k == a[lo].k; hi++)
			;
		if (hi - lo < 2)
			continue;
		/* Strings that end within these 8 bytes are equal and come
		 * before the longer ones: by (date, arrival). */
		for (i = lo, ended = lo; i < hi; i++)
			if (a[i].len <= depth + 8) {
				sw = a[ended];
				a[ended++] = a[i];
				a[i] = sw;
			}
		if (ended - lo > 1) {
			for (i = lo; i < ended; i++)
				a[i].k = drank[a[i].i];
			radix(a + lo, tmp, ended - lo);
		}
		if (hi - ended > 1)
			sort_text(a + ended, tmp, hi - ended, depth + 8, drank);
	}
}

/* Sender: the display name or address, quotes skipped. */
static const char *
from_key(const char *s)
{
	while (*s == '"' || *s == '\'' || *s == ' ' || *s == '<')
		s++;
	return s;
}

static void
order_text(struct index *ix, enum index_sort sort)
{
	struct rkey *k = keys_new(ix->n), *tmp = keys_new(ix->n);
	size_t i, len;

	for (i = 0; i < ix->n; i++) {
		const struct index_rec *r = &ix->recs[i];
		const char *s;

		if (sort == INDEX_SORT_SUBJECT)
			s = thread_base_subject(ix->arena.data + r->subject,
			    &len);
		else {
			s = from_key(ix->arena.data + r->from);
			len = strlen(s);
		}
		k[i].s = s;
		k[i].len = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
		k[i].i = (uint32_t)i;
	}
	sort_text(k, tmp, ix->n, 0, ix->drank);
	ix->ord[sort] = keys_order(k, ix->n);
	free(k);
	free(tmp);
}

static size_t
id_slot(int64_t id, size_t mask)
{
	return (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15ull) >> 32) & mask;
}

/* The record holding message id, or (size_t)-1: an open-addressing table
 * of record numbers + 1, built in one pass on first use. */
size_t
index_rec_of_id(struct index *ix, int64_t id)
{
	size_t mask, i, r;
	uint32_t k;

	if (ix->n == 0)
		return (size_t)-1;
	if (ix->byid == NULL) {
		for (ix->byid_size = 16; ix->byid_size < 2 * ix->n;)
			ix->byid_size *= 2;
		ix->byid = xcalloc(ix->byid_size, sizeof(*ix->byid));
		mask = ix->byid_size - 1;
		for (r = 0; r < ix->n; r++) {
			for (i = id_slot(ix->recs[r].id, mask); ix->byid[i];
			    i = (i + 1) & mask)
				;
			ix->byid[i] = (uint32_t)r + 1;
		}
	}
	mask = ix->byid_size - 1;
	for (i = id_slot(id, mask); (k = ix->byid[i]) != 0; i = (i + 1) & mask)
		if (ix->recs[k - 1].id == id)
			return k - 1;
	return (size_t)-1;
}

uint32_t
index_scratch_add(struct buf *b, sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	size_t off = b->len + 1;

	if (s == NULL || off > UINT32_MAX / 2)
		return 0;
	buf_add(b, s, (size_t)sqlite3_column_bytes(st, col) + 1);
	return (uint32_t)off;
}

/* The strings of ix's records through connection sq: SQLITE_DONE or an
 * error code. */
static int
read_strings(struct index *ix, sqlite3 *sq)
{
	sqlite3_stmt *st;
	size_t r, k, rows = 0, f = 0;
	int rc;

	ix->toffs = xcalloc(ix->n ? ix->n : 1, sizeof(*ix->toffs));
	if ((rc = sqlite3_prepare_v2(sq, "SELECT id, message_id, in_reply_to,"
	    " refs FROM messages WHERE folder = ?", -1, &st, NULL)) !=
	    SQLITE_OK) {
		free(ix->toffs);
		ix->toffs = NULL;
		return rc;
	}
	sqlite3_bind_int64(st, 1, ix->folders[0]);
	buf_grow(&ix->tscratch, 64 * 1024);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW ||
	    (rc == SQLITE_DONE && ++f < ix->nfolders)) {
		if (rc == SQLITE_DONE) { /* on to the next folder */
			sqlite3_reset(st);
			sqlite3_bind_int64(st, 1, ix->folders[f]);
			continue;
		}
		if ((++rows & 4095) == 0 && atomic_load(&ix->cancel)) {
			rc = SQLITE_INTERRUPT;
			break;
		}
		r = index_rec_of_id(ix, sqlite3_column_int64(st, 0));
		if (r == (size_t)-1)
			continue; /* not in this snapshot */
		for (k = 0; k < 3; k++)
			ix->toffs[r][k] = index_scratch_add(&ix->tscratch, st,
			    (int)k + 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(ix->toffs);
		ix->toffs = NULL;
		buf_free(&ix->tscratch);
	}
	return rc;
}

int
index_read_threading(struct index *ix, struct db *db, struct error *err)
{
	if (ix->toffs != NULL || read_strings(ix, db->sq) == SQLITE_DONE)
		return 0;
	return db_fail(db, err, "threading");
}

/*
 * On the helper thread: the strings through a connection of its own (the
 * main one belongs to the thread that opened the index).  It may see a
 * later snapshot: rows added since are skipped, records deleted since
 * thread without references until the reload their change brings.
 */
static int
read_strings_own(struct index *ix)
{
	sqlite3 *sq = NULL;
	int rc;

	if (ix->dbpath == NULL || sqlite3_open_v2(ix->dbpath, &sq,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		sqlite3_close(sq);
		return -1;
	}
	sqlite3_busy_timeout(sq, 2000);
	/* One scan: SQLite's default 2 MB of page cache would only hold
	 * pages it never reads again, for as long as the scan lasts. */
	sqlite3_exec(sq, "PRAGMA cache_size = -256", NULL, NULL, NULL);
	rc = read_strings(ix, sq);
	sqlite3_close(sq);
	return rc == SQLITE_DONE ? 0 : -1;
}

static const char *
tstr(const struct index *ix, uint32_t off)
{
	return off ? ix->tscratch.data + off - 1 : NULL;
}

/* Record numbers in id order, or NULL when the records are in id order. */
static uint32_t *
by_id(const struct index *ix)
{
	struct rkey *k, *tmp;
	uint32_t *o;
	size_t i;

	for (i = 1; i < ix->n && ix->recs[i - 1].id < ix->recs[i].id; i++)
		;
	if (i >= ix->n)
		return NULL;
	k = keys_new(ix->n);
	tmp = keys_new(ix->n);
	for (i = 0; i < ix->n; i++) {
		k[i].k = ukey(ix->recs[i].id);
		k[i].i = (uint32_t)i;
	}
	radix(k, tmp, ix->n);
	o = keys_order(k, ix->n);
	free(k);
	free(tmp);
	return o;
}

/* Threads the messages in id order (the order they entered the index),
 * whatever order the rows came in: the same threads, ties included, for
 * a fresh open and a re-sort, by any query plan. */
static void
order_thread(struct index *ix)
{
	struct thread_msg *tm = xcalloc(ix->n ? ix->n : 1, sizeof(*tm));
	uint16_t *depth = xcalloc(ix->n ? ix->n : 1, sizeof(*depth));
	uint32_t *order = xcalloc(ix->n ? ix->n : 1, sizeof(*order));
	uint32_t *idord = by_id(ix), r;
	size_t i;

	for (i = 0; i < ix->n; i++) {
		r = idord ? idord[i] : (uint32_t)i;
		tm[i].message_id = tstr(ix, ix->toffs[r][0]);
		tm[i].in_reply_to = tstr(ix, ix->toffs[r][1]);
		tm[i].references = tstr(ix, ix->toffs[r][2]);
		tm[i].subject = ix->arena.data + ix->recs[r].subject;
		tm[i].date = ix->recs[r].date;
	}
	thread_order(tm, ix->n, order, depth);
	free(tm);
	free(ix->tdepth);
	ix->tdepth = xcalloc(ix->n ? ix->n : 1, sizeof(*ix->tdepth));
	for (i = 0; i < ix->n; i++) {
		if (idord != NULL)
			order[i] = idord[order[i]];
		ix->tdepth[order[i]] = depth[i];
	}
	free(depth);
	free(idord);
	ix->ord[INDEX_SORT_THREAD] = order;
	/* Threading is kept: the strings are not needed again. */
	buf_free(&ix->tscratch);
	free(ix->toffs);
	ix->toffs = NULL;
}

int
index_order_compute(struct index *ix, struct db *db, enum index_sort sort,
    struct error *err)
{
	if (ix->ord[sort] != NULL)
		return 0;
	if (ix->drank == NULL && sort != INDEX_SORT_THREAD &&
	    sort != INDEX_SORT_ARRIVAL)
		order_date(ix);
	switch (sort) {
	case INDEX_SORT_DATE:
		break;
	case INDEX_SORT_ARRIVAL:
	case INDEX_SORT_SIZE:
		order_by_int(ix, sort);
		break;
	case INDEX_SORT_FROM:
	case INDEX_SORT_SUBJECT:
		order_text(ix, sort);
		break;
	case INDEX_SORT_THREAD:
		if (ix->toffs == NULL && db == NULL) {
			if (read_strings_own(ix) < 0 ||
			    atomic_load(&ix->cancel))
				return 0; /* left to index_sort */
		} else if (index_read_threading(ix, db, err) < 0)
			return -1;
		order_thread(ix);
		break;
	}
	return 0;
}
