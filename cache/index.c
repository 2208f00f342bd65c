/* index: a folder's sorted message list, held compactly (see index.h). */
#include "config.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "cache/db_int.h"
#include "cache/index.h"
#include "cache/thread.h"
#include "core/buf.h"
#include "core/str.h"
#include "core/xalloc.h"

struct index {
	int64_t folder_id;
	struct index_rec *recs;
	size_t n;
	struct buf arena;
	enum index_sort sort;
	int reverse;
	/* Threading strings read with the rows when index_open threads at
	 * once (saves a second pass); consumed by thread(). */
	struct buf tscratch;
	size_t (*toffs)[3];
	struct arr *byid; /* (id, position) sorted by id, or NULL */
};

static uint32_t
arena_add(struct buf *a, const unsigned char *s, int len)
{
	uint32_t off = (uint32_t)a->len;
	int i;

	/* Printable ASCII, the common case, needs no cleaning. */
	for (i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			break;
	if (s && i == len)
		buf_add(a, s, (size_t)len + 1); /* with SQLite's NUL */
	else {
		str_clean_display(a, (const char *)s, (size_t)len, 0);
		buf_addch(a, '\0');
	}
	return off;
}

struct arr {
	int64_t t;
	int64_t id;
	uint32_t pos;
};

static int
cmp_internal(const void *a, const void *b)
{
	const struct arr *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Arrival rank: by internal date, then id. */
static void
rank_arrival(struct index *ix, struct arr *a)
{
	size_t i;

	if (ix->n > 0)
		qsort(a, ix->n, sizeof(*a), cmp_internal);
	for (i = 0; i < ix->n; i++)
		ix->recs[a[i].pos].arrival = (uint32_t)i;
}

/* Appends a column to the scratch arena; its offset + 1, or 0 for NULL. */
static size_t
scratch_add(struct buf *b, sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	size_t off = b->len + 1;

	if (s == NULL)
		return 0;
	buf_add(b, s, (size_t)sqlite3_column_bytes(st, col) + 1);
	return off;
}

static int
load(struct index *ix, struct db *db, int want_thread, struct error *err)
{
	sqlite3_stmt *st;
	struct arr *arr = NULL;
	size_t cap = 1024, acap = 0, k;
	int rc;

	if (sqlite3_prepare_v2(db->sq, want_thread ?
	    "SELECT id, date, internal_date, uid, size, flags, has_attachment,"
	    " from_, subject, internal_date, message_id, in_reply_to, refs"
	    " FROM messages WHERE folder = ?" :
	    "SELECT id, date, internal_date, uid, size, flags, has_attachment,"
	    " from_, subject, internal_date FROM messages WHERE folder = ?",
	    -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "folder index");
	sqlite3_bind_int64(st, 1, ix->folder_id);
	ix->recs = xreallocarray(NULL, cap, sizeof(*ix->recs));
	buf_grow(&ix->arena, 64 * 1024);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct index_rec *r;
		int64_t size;

		if (ix->n == cap) {
			cap *= 2;
			ix->recs = xreallocarray(ix->recs, cap,
			    sizeof(*ix->recs));
		}
		r = &ix->recs[ix->n];
		r->id = sqlite3_column_int64(st, 0);
		r->date = sqlite3_column_int64(st, 1);
		if (r->date == 0)
			r->date = sqlite3_column_int64(st, 2);
		r->uid = (uint32_t)sqlite3_column_int64(st, 3);
		size = sqlite3_column_int64(st, 4);
		r->size = size < 0 ? 0 : size > UINT32_MAX ? UINT32_MAX :
		    (uint32_t)size;
		r->flags = (uint8_t)sqlite3_column_int(st, 5);
		r->has_attachment = (uint8_t)sqlite3_column_int(st, 6);
		r->from = arena_add(&ix->arena, sqlite3_column_text(st, 7),
		    sqlite3_column_bytes(st, 7));
		r->subject = arena_add(&ix->arena, sqlite3_column_text(st, 8),
		    sqlite3_column_bytes(st, 8));
		r->depth = 0;
		if (ix->n == acap) {
			acap = acap ? acap * 2 : 1024;
			arr = xreallocarray(arr, acap, sizeof(*arr));
		}
		if (want_thread) {
			if (ix->n % 1024 == 0)
				ix->toffs = xreallocarray(ix->toffs, ix->n +
				    1024, sizeof(*ix->toffs));
			for (k = 0; k < 3; k++)
				ix->toffs[ix->n][k] = scratch_add(
				    &ix->tscratch, st, 10 + (int)k);
		}
		arr[ix->n].t = sqlite3_column_int64(st, 9);
		arr[ix->n].id = r->id;
		arr[ix->n].pos = (uint32_t)ix->n;
		ix->n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(arr);
		return db_fail(db, err, "folder index");
	}
	if (ix->n < cap && ix->n > 0)
		ix->recs = xreallocarray(ix->recs, ix->n, sizeof(*ix->recs));
	/* The arena stays as long as the index: give back the slack. */
	ix->arena.data = xrealloc(ix->arena.data, ix->arena.len + 1);
	ix->arena.cap = ix->arena.len + 1;
	rank_arrival(ix, arr);
	free(arr);
	return 0;
}

static int
cmp_arrival(const void *a, const void *b, void *arg)
{
	const struct index_rec *x = a, *y = b;

	(void)arg;
	return x->arrival < y->arrival ? -1 : x->arrival > y->arrival;
}

static int
cmp_date(const void *a, const void *b, void *arg)
{
	const struct index_rec *x = a, *y = b;

	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return cmp_arrival(a, b, arg);
}

static int
cmp_size(const void *a, const void *b, void *arg)
{
	const struct index_rec *x = a, *y = b;

	if (x->size != y->size)
		return x->size < y->size ? -1 : 1;
	return cmp_date(a, b, arg);
}

/* Sender: the display name or address, case-folded, quotes skipped. */
static const char *
from_key(const char *s)
{
	while (*s == '"' || *s == '\'' || *s == ' ' || *s == '<')
		s++;
	return s;
}

static int
cmp_from(const void *a, const void *b, void *arg)
{
	const struct index_rec *x = a, *y = b;
	const char *ar = arg;
	int c = str_casecmp(from_key(ar + x->from), from_key(ar + y->from));

	return c ? c : cmp_date(a, b, arg);
}

static int
cmp_subject(const void *a, const void *b, void *arg)
{
	const struct index_rec *x = a, *y = b;
	const char *ar = arg, *s, *t;
	size_t sl, tl;
	int c;

	s = thread_base_subject(ar + x->subject, &sl);
	t = thread_base_subject(ar + y->subject, &tl);
	c = str_ncasecmp(s, t, sl < tl ? sl : tl);
	if (c == 0 && sl != tl)
		c = sl < tl ? -1 : 1;
	return c ? c : cmp_date(a, b, arg);
}

/*
 * Sorting by text: each record gets a 64-bit key, the first 8 bytes of
 * its sort string case-folded (big-endian, so integer order is the order
 * of str_ncasecmp), and the keys are sorted with the full comparison only
 * for ties.  Comparing two strings (and finding a subject's base) on every
 * step made sorting 100,000 messages take a second; this takes a few tens
 * of milliseconds.
 */
struct keyed {
	uint64_t key;
	const char *s; /* the sort string (text sorts) */
	uint32_t len;
	uint32_t i;
};

static uint64_t
prefix_key(const char *s, size_t len)
{
	uint64_t k = 0;
	size_t i;

	for (i = 0; i < 8; i++) {
		unsigned c = i < len ? (unsigned char)s[i] : 0;

		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		k = k << 8 | c;
	}
	return k;
}

/* Ties on the 8-byte key: the whole strings, then date and arrival as
 * cmp_date does (passed in the key of a second, date-keyed pass). */
static int
cmp_keyed(const void *a, const void *b, void *arg)
{
	const struct keyed *x = a, *y = b;
	const struct index_rec *recs = arg;
	int c;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->s != NULL) {
		c = str_ncasecmp(x->s, y->s, x->len < y->len ? x->len : y->len);
		if (c == 0 && x->len != y->len)
			c = x->len < y->len ? -1 : 1;
		if (c)
			return c;
		return cmp_date(&recs[x->i], &recs[y->i], NULL);
	}
	return x->i < y->i ? -1 : x->i > y->i;
}

/* Date and arrival in one integer: dates within +-2^39 s (17,000
 * years), arrival ranks below 2^24. */
static uint64_t
date_key(const struct index_rec *r)
{
	int64_t d = r->date;

	if (d < -((int64_t)1 << 39))
		d = -((int64_t)1 << 39);
	if (d >= (int64_t)1 << 39)
		d = ((int64_t)1 << 39) - 1;
	return (uint64_t)(d + ((int64_t)1 << 39)) << 24 |
	    (r->arrival & 0xFFFFFF);
}

static void
sort_keyed(struct index *ix, enum index_sort sort)
{
	struct keyed *k = xreallocarray(NULL, ix->n ? ix->n : 1, sizeof(*k));
	struct index_rec *out;
	size_t i, len;

	for (i = 0; i < ix->n; i++) {
		const struct index_rec *r = &ix->recs[i];
		const char *str = NULL;

		if (sort == INDEX_SORT_SUBJECT)
			str = thread_base_subject(ix->arena.data + r->subject,
			    &len);
		else if (sort == INDEX_SORT_FROM) {
			str = from_key(ix->arena.data + r->from);
			len = strlen(str);
		}
		if (str != NULL) {
			k[i].key = prefix_key(str, len);
			k[i].s = str;
			k[i].len = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
		} else {
			k[i].key = date_key(r);
			k[i].s = NULL;
			k[i].len = 0;
		}
		k[i].i = (uint32_t)i;
	}
	qsort_r(k, ix->n, sizeof(*k), cmp_keyed, ix->recs);
	out = xreallocarray(NULL, ix->n ? ix->n : 1, sizeof(*out));
	for (i = 0; i < ix->n; i++)
		out[i] = ix->recs[k[i].i];
	free(ix->recs);
	ix->recs = out;
	free(k);
}

static int
thread(struct index *ix, struct db *db, struct error *err)
{
	struct thread_msg *tm;
	struct index_rec *out;
	struct buf scratch = BUF_INIT;
	size_t (*offs)[3];
	sqlite3_stmt *st;
	uint32_t *order;
	uint16_t *depth;
	struct arr *byid, key, *hit;
	size_t i, k;
	int rc, sorted = 1;

	if (ix->toffs != NULL) { /* read with the rows */
		offs = ix->toffs;
		scratch = ix->tscratch;
		ix->toffs = NULL;
		buf_init(&ix->tscratch);
		rc = SQLITE_DONE;
		tm = xcalloc(ix->n ? ix->n : 1, sizeof(*tm));
		goto have;
	}
	/* Rows come in index order; find each record by id. */
	byid = xcalloc(ix->n ? ix->n : 1, sizeof(*byid));
	for (i = 0; i < ix->n; i++) {
		byid[i].t = ix->recs[i].id;
		byid[i].pos = (uint32_t)i;
		if (i > 0 && byid[i - 1].t >= byid[i].t)
			sorted = 0;
	}
	if (!sorted && ix->n > 0)
		qsort(byid, ix->n, sizeof(*byid), cmp_internal);
	tm = xcalloc(ix->n ? ix->n : 1, sizeof(*tm));
	offs = xcalloc(ix->n ? ix->n : 1, sizeof(*offs));
	if (sqlite3_prepare_v2(db->sq, "SELECT id, message_id, in_reply_to,"
	    " refs FROM messages WHERE folder = ?", -1, &st, NULL) !=
	    SQLITE_OK) {
		free(tm);
		free(offs);
		free(byid);
		return db_fail(db, err, "threading");
	}
	sqlite3_bind_int64(st, 1, ix->folder_id);
	buf_grow(&scratch, 64 * 1024);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		key.t = sqlite3_column_int64(st, 0);
		key.id = 0;
		if (ix->n == 0 || (hit = bsearch(&key, byid, ix->n,
		    sizeof(*byid), cmp_internal)) == NULL)
			continue; /* not in this snapshot */
		for (k = 0; k < 3; k++)
			offs[hit->pos][k] = scratch_add(&scratch, st,
			    (int)k + 1);
	}
	sqlite3_finalize(st);
	free(byid);
have:
	/* The arena no longer moves: make the pointers. */
	for (i = 0; i < ix->n; i++) {
		tm[i].message_id = offs[i][0] ? scratch.data + offs[i][0] - 1 :
		    NULL;
		tm[i].in_reply_to = offs[i][1] ? scratch.data + offs[i][1] -
		    1 : NULL;
		tm[i].references = offs[i][2] ? scratch.data + offs[i][2] - 1 :
		    NULL;
		tm[i].subject = ix->arena.data + ix->recs[i].subject;
		tm[i].date = ix->recs[i].date;
	}
	free(offs);
	order = xcalloc(ix->n ? ix->n : 1, sizeof(*order));
	depth = xcalloc(ix->n ? ix->n : 1, sizeof(*depth));
	thread_order(tm, ix->n, order, depth);
	out = xcalloc(ix->n ? ix->n : 1, sizeof(*out));
	for (i = 0; i < ix->n; i++) {
		out[i] = ix->recs[order[i]];
		out[i].depth = depth[i];
	}
	buf_free(&scratch);
	free(tm);
	free(order);
	free(depth);
	free(ix->recs);
	ix->recs = out;
	if (rc != SQLITE_DONE)
		return db_fail(db, err, "threading");
	return 0;
}

static void
drop_lookup(struct index *ix)
{
	free(ix->byid);
	ix->byid = NULL;
}

/* Reverses the order of threads, keeping each thread's own order. */
static void
reverse_threads(struct index *ix)
{
	struct index_rec *out = xcalloc(ix->n ? ix->n : 1, sizeof(*out));
	size_t end = ix->n, start, o = 0;

	while (end > 0) {
		start = end - 1;
		while (start > 0 && ix->recs[start].depth != 0)
			start--;
		memcpy(out + o, ix->recs + start, (end - start) *
		    sizeof(*out));
		o += end - start;
		end = start;
	}
	free(ix->recs);
	ix->recs = out;
}

int
index_sort(struct index *ix, struct db *db, enum index_sort sort,
    int reverse, struct error *err)
{
	int (*cmp)(const void *, const void *, void *) = cmp_date;
	size_t i;

	drop_lookup(ix);
	for (i = 0; i < ix->n; i++)
		ix->recs[i].depth = 0;
	ix->sort = sort;
	ix->reverse = reverse;
	switch (sort) {
	case INDEX_SORT_THREAD:
		if (thread(ix, db, err) < 0)
			return -1;
		if (reverse)
			reverse_threads(ix);
		return 0;
	case INDEX_SORT_ARRIVAL: cmp = cmp_arrival; break;
	case INDEX_SORT_FROM: cmp = cmp_from; break;
	case INDEX_SORT_SUBJECT: cmp = cmp_subject; break;
	case INDEX_SORT_SIZE: cmp = cmp_size; break;
	default: cmp = cmp_date; break;
	}
	if (ix->n == 0)
		;
	else if (sort == INDEX_SORT_FROM || sort == INDEX_SORT_SUBJECT ||
	    sort == INDEX_SORT_DATE)
		sort_keyed(ix, sort);
	else
		qsort_r(ix->recs, ix->n, sizeof(*ix->recs), cmp,
		    ix->arena.data);
	if (reverse)
		for (i = 0; i < ix->n / 2; i++) {
			struct index_rec t = ix->recs[i];

			ix->recs[i] = ix->recs[ix->n - 1 - i];
			ix->recs[ix->n - 1 - i] = t;
		}
	return 0;
}

int
index_open(struct db *db, int64_t folder_id, enum index_sort sort,
    int reverse, struct index **ix_r, struct error *err)
{
	struct index *ix = xcalloc(1, sizeof(*ix));

	ix->folder_id = folder_id;
	/* One read transaction: the rows and the threading query see the
	 * same snapshot even while a worker writes. */
	if (sqlite3_exec(db->sq, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		db_fail(db, err, "folder index");
		free(ix);
		return -1;
	}
	if (load(ix, db, sort == INDEX_SORT_THREAD, err) < 0 ||
	    index_sort(ix, db, sort, reverse, err) < 0) {
		sqlite3_exec(db->sq, "ROLLBACK", NULL, NULL, NULL);
		index_free(&ix);
		return -1;
	}
	sqlite3_exec(db->sq, "COMMIT", NULL, NULL, NULL);
	*ix_r = ix;
	return 0;
}

void
index_free(struct index **ixp)
{
	if (*ixp == NULL)
		return;
	free((*ixp)->recs);
	buf_free(&(*ixp)->arena);
	buf_free(&(*ixp)->tscratch);
	free((*ixp)->toffs);
	free((*ixp)->byid);
	free(*ixp);
	*ixp = NULL;
}

size_t
index_count(const struct index *ix)
{
	return ix->n;
}

const struct index_rec *
index_get(const struct index *ix, size_t i)
{
	return i < ix->n ? &ix->recs[i] : NULL;
}

const char *
index_from(const struct index *ix, const struct index_rec *r)
{
	return ix->arena.data + r->from;
}

const char *
index_subject(const struct index *ix, const struct index_rec *r)
{
	return ix->arena.data + r->subject;
}

size_t
index_find(struct index *ix, int64_t id)
{
	struct arr key, *hit;
	size_t i;

	if (ix->n == 0)
		return (size_t)-1;
	if (ix->byid == NULL) {
		ix->byid = xcalloc(ix->n, sizeof(*ix->byid));
		for (i = 0; i < ix->n; i++) {
			ix->byid[i].t = ix->recs[i].id;
			ix->byid[i].pos = (uint32_t)i;
		}
		qsort(ix->byid, ix->n, sizeof(*ix->byid), cmp_internal);
	}
	key.t = id;
	key.id = 0;
	hit = bsearch(&key, ix->byid, ix->n, sizeof(*ix->byid), cmp_internal);
	return hit ? hit->pos : (size_t)-1;
}

static int
cmp_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

size_t
index_limit(struct index *ix, const int64_t *ids, size_t n)
{
	int64_t *set;
	size_t i, o = 0;

	set = xcalloc(n ? n : 1, sizeof(*set));
	if (n > 0) {
		memcpy(set, ids, n * sizeof(*set));
		qsort(set, n, sizeof(*set), cmp_int64);
	}
	for (i = 0; i < ix->n; i++)
		if (n > 0 && bsearch(&ix->recs[i].id, set, n, sizeof(*set),
		    cmp_int64) != NULL)
			ix->recs[o++] = ix->recs[i];
	ix->n = o;
	free(set);
	drop_lookup(ix);
	return o;
}

void
index_set_flags(struct index *ix, int64_t id, unsigned flags)
{
	size_t i = index_find(ix, id);

	if (i != (size_t)-1)
		ix->recs[i].flags = (uint8_t)(flags & MSG_ALL_FLAGS);
}

size_t
index_memory(const struct index *ix)
{
	return sizeof(*ix) + ix->n * sizeof(*ix->recs) + ix->arena.cap;
}

int
index_sort_parse(const char *name, enum index_sort *sort_r)
{
	static const char *const names[] = { "date", "arrival", "from",
		"subject", "size", "thread" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (str_casecmp(name, names[i]) == 0) {
			*sort_r = (enum index_sort)i;
			return 0;
		}
	return -1;
}
