/* index: a folder's sorted message list, held compactly (see index.h). */
#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache/db_int.h"
#include "cache/index_int.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/str.h"
#include "core/xalloc.h"

/* Whether 8 bytes are all in 0x20-0x7E (no byte below 0x20, none above
 * 0x7E: the classic "has less / has more" word tricks). */
static int
printable8(const unsigned char *p)
{
	const uint64_t ones = 0x0101010101010101ull, highs = ones << 7;
	uint64_t x;

	memcpy(&x, p, 8);
	return (((x - ones * 0x20) & ~x & highs) |
	    ((x + ones * (127 - 0x7E)) | x)) & highs ? 0 : 1;
}

static uint32_t
arena_add(struct buf *a, const unsigned char *s, int len)
{
	uint32_t off = (uint32_t)a->len;
	unsigned cp;
	size_t n;
	int i;

	/*
	 * Most strings are already clean: printable ASCII, or UTF-8 whose
	 * code points str_clean_display keeps (conservatively: the C1 range
	 * and U+061C and U+2000-206F, where the bidi controls are, go to
	 * the real cleaner).  Copy those whole.
	 */
	for (i = 0; s && i < len; i++) {
		/* Eight printable ASCII bytes at a time. */
		while (i + 8 <= len && printable8(s + i))
			i += 8;
		if (i == len)
			break;
		if (s[i] >= 0x20 && s[i] < 0x7F)
			continue;
		if (s[i] < 0x80 || (n = str_utf8_decode(s + i, (size_t)(len -
		    i), &cp)) == 0 || cp < 0xA0 || cp == 0x061C ||
		    (cp >= 0x2000 && cp <= 0x206F))
			break;
		i += (int)n - 1;
	}
	if (s && i == len)
		buf_add(a, s, (size_t)len + 1); /* with SQLite's NUL */
	else {
		str_clean_display(a, (const char *)s, (size_t)len, 0);
		buf_addch(a, '\0');
	}
	return off;
}

/*
 * How many messages the folder holds, and whether reading the whole table
 * in rowid order beats the folder index: it does when the folder is most
 * of the table (an index walk looks every row up in the table: a sixth of
 * the load).  Ids may have gaps, which only makes the table look bigger.
 */
static int
plan(struct index *ix, struct db *db, size_t *n_r, int *scan_r)
{
	sqlite3_stmt *st;
	int64_t n, span;
	int rc;

	if (sqlite3_prepare_v2(db->sq, "SELECT count(*),"
	    " (SELECT max(id) FROM messages) - (SELECT min(id) FROM messages)"
	    " FROM messages WHERE folder = ?", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, ix->folder_id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		n = sqlite3_column_int64(st, 0);
		span = sqlite3_column_int64(st, 1) + 1;
		*n_r = n > 0 && n < (int64_t)1 << 31 ? (size_t)n : 0;
		*scan_r = n > 0 && n >= span / 2;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

static int
load(struct index *ix, struct db *db, int want_thread, struct error *err)
{
	sqlite3_stmt *st;
	int64_t *internal = NULL;
	size_t cap = 1024, k, count = 0, f = 0;
	int rc, scan = 0;
	char sql[256];

	/* Several folders (a saved search) read each through the folder
	 * index: none of them is most of the table. */
	if (ix->nfolders == 1 && plan(ix, db, &count, &scan) < 0)
		return db_fail(db, err, "folder index");
	if (count > cap)
		cap = count;
	snprintf(sql, sizeof(sql), "SELECT id, date, internal_date, uid, size,"
	    " flags, has_attachment, from_, subject%s FROM messages%s"
	    " WHERE folder = ?", want_thread ? ", message_id, in_reply_to,"
	    " refs" : "", scan ? " NOT INDEXED" : "");
	if (sqlite3_prepare_v2(db->sq, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "folder index");
	sqlite3_bind_int64(st, 1, ix->folders[0]);
	ix->recs = xreallocarray(NULL, cap, sizeof(*ix->recs));
	internal = xreallocarray(NULL, cap, sizeof(*internal));
	if (ix->nfolders > 1)
		ix->rfolder = xreallocarray(NULL, cap, sizeof(*ix->rfolder));
	/* Sized for typical mail: fewer copies as they grow. */
	if (want_thread) {
		ix->toffs = xreallocarray(NULL, cap, sizeof(*ix->toffs));
		buf_grow(&ix->tscratch, 64 * 1024 + count * 96);
	}
	buf_grow(&ix->arena, 64 * 1024 + count * 80);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW ||
	    (rc == SQLITE_DONE && ++f < ix->nfolders)) {
		struct index_rec *r;
		int64_t size;

		if (rc == SQLITE_DONE) { /* on to the next folder */
			sqlite3_reset(st);
			sqlite3_bind_int64(st, 1, ix->folders[f]);
			continue;
		}
		if (ix->n == cap) {
			cap *= 2;
			ix->recs = xreallocarray(ix->recs, cap,
			    sizeof(*ix->recs));
			internal = xreallocarray(internal, cap,
			    sizeof(*internal));
			if (ix->rfolder)
				ix->rfolder = xreallocarray(ix->rfolder, cap,
				    sizeof(*ix->rfolder));
			if (want_thread)
				ix->toffs = xreallocarray(ix->toffs, cap,
				    sizeof(*ix->toffs));
		}
		r = &ix->recs[ix->n];
		r->id = sqlite3_column_int64(st, 0);
		r->date = sqlite3_column_int64(st, 1);
		internal[ix->n] = sqlite3_column_int64(st, 2);
		if (r->date == 0)
			r->date = internal[ix->n];
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
		if (ix->rfolder)
			ix->rfolder[ix->n] = (uint32_t)f;
		for (k = 0; want_thread && k < 3; k++)
			ix->toffs[ix->n][k] = index_scratch_add(&ix->tscratch,
			    st, 9 + (int)k);
		ix->n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(internal);
		return db_fail(db, err, "folder index");
	}
	/* The arena stays as long as the index: give back the slack. */
	ix->arena.data = xrealloc(ix->arena.data, ix->arena.len + 1);
	ix->arena.cap = ix->arena.len + 1;
	index_rank_arrival(ix, internal);
	free(internal);
	return 0;
}

static void
join_helper(struct index *ix)
{
	if (ix->helper_on) {
		/* Someone wants the orders now: no more waiting. */
		pthread_mutex_lock(&ix->hmu);
		ix->hurry = 1;
		pthread_cond_signal(&ix->hcond);
		pthread_mutex_unlock(&ix->hmu);
		pthread_join(ix->helper, NULL);
		ix->helper_on = 0;
	}
}

/* The display order from the kept forward order. */
static void
apply(struct index *ix)
{
	const uint32_t *o = ix->ord[ix->sort];
	int threads = ix->sort == INDEX_SORT_THREAD;
	size_t i, end, start, out;

	free(ix->pos);
	ix->pos = NULL;
	free(ix->disp);
	ix->disp = xreallocarray(NULL, ix->n ? ix->n : 1, sizeof(*ix->disp));
	for (i = 0; i < ix->n; i++)
		ix->recs[i].depth = threads ? ix->tdepth[i] : 0;
	if (!ix->reverse) {
		if (ix->n > 0)
			memcpy(ix->disp, o, ix->n * sizeof(*ix->disp));
	} else if (!threads) {
		for (i = 0; i < ix->n; i++)
			ix->disp[i] = o[ix->n - 1 - i];
	} else {
		/* The threads reversed, each thread's own order kept. */
		for (end = ix->n, out = 0; end > 0; end = start) {
			start = end - 1;
			while (start > 0 && ix->tdepth[o[start]] != 0)
				start--;
			for (i = start; i < end; i++)
				ix->disp[out++] = o[i];
		}
	}
}

int
index_sort(struct index *ix, struct db *db, enum index_sort sort,
    int reverse, struct error *err)
{
	join_helper(ix);
	if (index_order_compute(ix, db, sort, err) < 0)
		return -1;
	if (ix->ord[sort] == NULL) {
		error_set(err, "threading needs the index database");
		return -1;
	}
	ix->sort = sort;
	ix->reverse = reverse;
	apply(ix);
	return 0;
}

/* How long the helper waits before computing (see helper()). */
#define PRECOMPUTE_DELAY_MS 300

static void destroy(struct index *ix);

static void *
helper(void *arg)
{
	static const enum index_sort sorts[] = { INDEX_SORT_DATE,
		INDEX_SORT_THREAD, INDEX_SORT_SUBJECT, INDEX_SORT_FROM,
		INDEX_SORT_SIZE, INDEX_SORT_ARRIVAL };
	struct index *ix = arg;
	struct timespec until;
	size_t i;
	int orphan;

	/*
	 * Wait a little first: while a sync reports changes, the UI reloads
	 * the index often, and each reload frees this one (and cancels us)
	 * before we spend CPU the sync could use.
	 */
	clock_in_ms(&until, PRECOMPUTE_DELAY_MS);
	pthread_mutex_lock(&ix->hmu);
	while (!ix->hurry && !atomic_load(&ix->cancel) &&
	    pthread_cond_timedwait(&ix->hcond, &ix->hmu, &until) == 0)
		;
	pthread_mutex_unlock(&ix->hmu);
	/* No db: threading reads through a connection of its own. */
	for (i = 0; i < sizeof(sorts) / sizeof(sorts[0]); i++) {
		if (atomic_load(&ix->cancel))
			break;
		index_order_compute(ix, NULL, sorts[i], NULL);
	}
	pthread_mutex_lock(&ix->hmu);
	ix->helper_done = 1;
	orphan = ix->orphaned;
	pthread_mutex_unlock(&ix->hmu);
	if (orphan) /* index_free() left the index to us */
		destroy(ix);
	return NULL;
}

void
index_precompute(struct index *ix)
{
	if (ix->helper_on)
		return;
	/* The helper looks records up by id: build the table first, here. */
	index_rec_of_id(ix, 0);
	ix->helper_done = ix->orphaned = ix->hurry = 0;
	atomic_store(&ix->cancel, 0);
	if (pthread_create(&ix->helper, NULL, helper, ix) == 0)
		ix->helper_on = 1;
	/* Else each order is computed when first asked for. */
}

int
index_open(struct db *db, int64_t folder_id, enum index_sort sort,
    int reverse, struct index **ix_r, struct error *err)
{
	return index_open_folders(db, &folder_id, 1, sort, reverse, ix_r,
	    err);
}

int
index_open_folders(struct db *db, const int64_t *folders, size_t nfolders,
    enum index_sort sort, int reverse, struct index **ix_r,
    struct error *err)
{
	struct index *ix = xcalloc(1, sizeof(*ix));
	const char *path;

	pthread_mutex_init(&ix->hmu, NULL);
	clock_cond_init(&ix->hcond);
	/* No folder at all loads the nonexistent folder 0: empty. */
	ix->nfolders = nfolders ? nfolders : 1;
	ix->folders = xcalloc(ix->nfolders, sizeof(*ix->folders));
	if (nfolders)
		memcpy(ix->folders, folders, nfolders * sizeof(*folders));
	ix->folder_id = ix->folders[0];
	if ((path = sqlite3_db_filename(db->sq, "main")) != NULL && *path)
		ix->dbpath = xstrdup(path);
	/* One read transaction: one snapshot even while a worker writes. */
	if (sqlite3_exec(db->sq, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		db_fail(db, err, "folder index");
		index_free(&ix);
		return -1;
	}
	if (load(ix, db, sort == INDEX_SORT_THREAD, err) < 0) {
		sqlite3_exec(db->sq, "ROLLBACK", NULL, NULL, NULL);
		index_free(&ix);
		return -1;
	}
	sqlite3_exec(db->sq, "COMMIT", NULL, NULL, NULL);
	if (index_sort(ix, db, sort, reverse, err) < 0) {
		index_free(&ix);
		return -1;
	}
	*ix_r = ix;
	return 0;
}

static void
drop_orders(struct index *ix)
{
	size_t s;

	for (s = 0; s < INDEX_NSORT; s++) {
		free(ix->ord[s]);
		ix->ord[s] = NULL;
	}
	free(ix->drank);
	ix->drank = NULL;
	free(ix->tdepth);
	ix->tdepth = NULL;
	free(ix->pos);
	ix->pos = NULL;
	free(ix->byid);
	ix->byid = NULL;
}

static void
destroy(struct index *ix)
{
	drop_orders(ix);
	free(ix->recs);
	free(ix->disp);
	buf_free(&ix->arena);
	buf_free(&ix->tscratch);
	free(ix->toffs);
	free(ix->folders);
	free(ix->rfolder);
	free(ix->dbpath);
	pthread_mutex_destroy(&ix->hmu);
	pthread_cond_destroy(&ix->hcond);
	free(ix);
}

void
index_free(struct index **ixp)
{
	struct index *ix = *ixp;

	if (ix == NULL)
		return;
	*ixp = NULL;
	if (ix->helper_on) {
		/* A reload must not wait for orders nobody will see: a
		 * helper still running is told to stop and frees the index
		 * itself. */
		pthread_mutex_lock(&ix->hmu);
		if (!ix->helper_done) {
			/* Detached before unlocking: once unlocked, the helper
			 * may free ix at any moment. */
			pthread_detach(ix->helper);
			ix->orphaned = 1;
			atomic_store(&ix->cancel, 1);
			pthread_cond_signal(&ix->hcond);
			pthread_mutex_unlock(&ix->hmu);
			return;
		}
		pthread_mutex_unlock(&ix->hmu);
		join_helper(ix);
	}
	destroy(ix);
}

size_t
index_count(const struct index *ix)
{
	return ix->n;
}

const struct index_rec *
index_get(const struct index *ix, size_t i)
{
	return i < ix->n ? &ix->recs[ix->disp[i]] : NULL;
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

int64_t
index_folder(const struct index *ix, const struct index_rec *r)
{
	return ix->rfolder ? ix->folders[ix->rfolder[r - ix->recs]] :
	    ix->folder_id;
}

size_t
index_find(struct index *ix, int64_t id)
{
	size_t r = index_rec_of_id(ix, id), i;

	if (r == (size_t)-1)
		return r;
	if (ix->pos == NULL) {
		ix->pos = xreallocarray(NULL, ix->n, sizeof(*ix->pos));
		for (i = 0; i < ix->n; i++)
			ix->pos[ix->disp[i]] = (uint32_t)i;
	}
	return ix->pos[r];
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
	uint32_t *newrec;
	size_t i, o = 0, d = 0;

	join_helper(ix);
	set = xcalloc(n ? n : 1, sizeof(*set));
	if (n > 0) {
		memcpy(set, ids, n * sizeof(*set));
		qsort(set, n, sizeof(*set), cmp_int64);
	}
	/* Compact the records (load order kept), then the display order. */
	newrec = xreallocarray(NULL, ix->n ? ix->n : 1, sizeof(*newrec));
	for (i = 0; i < ix->n; i++) {
		newrec[i] = UINT32_MAX;
		if (n == 0 || bsearch(&ix->recs[i].id, set, n, sizeof(*set),
		    cmp_int64) == NULL)
			continue;
		newrec[i] = (uint32_t)o;
		ix->recs[o] = ix->recs[i];
		if (ix->rfolder)
			ix->rfolder[o] = ix->rfolder[i];
		if (ix->toffs != NULL)
			memcpy(ix->toffs[o], ix->toffs[i],
			    sizeof(ix->toffs[o]));
		o++;
	}
	for (i = 0; i < ix->n; i++)
		if (newrec[ix->disp[i]] != UINT32_MAX)
			ix->disp[d++] = newrec[ix->disp[i]];
	ix->n = o;
	free(newrec);
	free(set);
	/* Orders of the remaining records are computed again on demand
	 * (threading a subset is not the whole threading filtered). */
	drop_orders(ix);
	return o;
}

void
index_set_flags(struct index *ix, int64_t id, unsigned flags)
{
	size_t r = index_rec_of_id(ix, id);

	if (r != (size_t)-1)
		ix->recs[r].flags = (uint8_t)(flags & MSG_ALL_FLAGS);
}

size_t
index_memory(const struct index *ix)
{
	/* Every order counted, computed or not: the helper may be filling
	 * them in (and this reads nothing it writes). */
	return sizeof(*ix) + ix->n * (sizeof(*ix->recs) + sizeof(*ix->disp) +
	    (INDEX_NSORT + 1) * sizeof(uint32_t) + sizeof(uint16_t)) +
	    ix->arena.cap + ix->byid_size * sizeof(*ix->byid);
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
