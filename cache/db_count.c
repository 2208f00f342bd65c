/*
 * db_count: folder totals and unread counts for the reading side.
 *
 * Counting reads an index entry per message (messages_folder_uid for
 * totals, the partial messages_unread of schema 3 for unread messages),
 * which grows with the folder, so the result is kept per connection and
 * reused until the database changes: PRAGMA data_version moves when
 * another connection commits, sqlite3_total_changes64 when this one
 * writes.  Keeping counts in triggers instead made every insert several
 * times slower.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cache/db_int.h"
#include "core/xalloc.h"

static int
version(struct db *db, int64_t *dv_r, struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_stmt(db, ST_DATA_VERSION, err)) == NULL)
		return -1;
	rc = sqlite3_step(st);
	*dv_r = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : db_fail(db, err, "data version");
}

int
db_data_version(struct db *db, int64_t *dv_r, struct error *err)
{
	return version(db, dv_r, err);
}

static struct db_count *
lookup(const struct db *db, int64_t folder)
{
	size_t lo = 0, hi = db->counts_n;

	/* The statements group by folder: the rows come sorted by id. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (db->counts[mid].folder == folder)
			return &db->counts[mid];
		if (db->counts[mid].folder < folder)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int
recount(struct db *db, struct error *err)
{
	sqlite3_stmt *st;
	size_t cap = db->counts_cap;
	int rc;

	db->counts_valid = 0;
	if ((st = db_stmt(db, ST_FOLDER_COUNTS, err)) == NULL)
		return -1;
	db->counts_n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_count *c;

		if (db->counts_n == cap) {
			cap = cap ? cap * 2 : 32;
			db->counts = xreallocarray(db->counts, cap,
			    sizeof(*db->counts));
			db->counts_cap = cap;
		}
		c = &db->counts[db->counts_n++];
		c->folder = sqlite3_column_int64(st, 0);
		c->total = (unsigned)sqlite3_column_int64(st, 1);
		c->unread = 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, "folder counts");
	if ((st = db_stmt(db, ST_FOLDER_UNREAD, err)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_count *c = lookup(db,
		    sqlite3_column_int64(st, 0));

		if (c != NULL)
			c->unread = (unsigned)sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, "folder counts");
	return 0;
}

int
db_folder_counts(struct db *db, struct db_folder *list, size_t n,
    struct error *err)
{
	int64_t dv, changes = sqlite3_total_changes64(db->sq);
	size_t i;

	if (version(db, &dv, err) < 0)
		return -1;
	if (!db->counts_valid || dv != db->counts_dv ||
	    changes != db->counts_changes) {
		if (recount(db, err) < 0)
			return -1;
		db->counts_valid = 1;
		db->counts_dv = dv;
		db->counts_changes = changes;
	}
	for (i = 0; i < n; i++) {
		const struct db_count *c = lookup(db, list[i].id);

		list[i].total = c ? c->total : 0;
		list[i].unread = c ? c->unread : 0;
	}
	return 0;
}
