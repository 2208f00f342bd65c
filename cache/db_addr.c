/* db_addr: the addresses of the index, for completion (cache/db.h). */
#include "config.h"

#include "cache/db_int.h"

int
db_msg_each_address(struct db *db, int64_t after,
    void (*fn)(void *arg, const char *from, const char *to, const char *cc,
    int64_t date), void *arg, int64_t *last_r, struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	*last_r = after;
	/* By rowid from after on: a range of the table's own b-tree, so a
	 * call after the first reads only the new rows. */
	if (sqlite3_prepare_v2(db->sq, "SELECT id, CASE WHEN date > 0 THEN"
	    " date ELSE internal_date END, from_, to_, cc FROM messages"
	    " WHERE id > ? ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "reading addresses");
	sqlite3_bind_int64(st, 1, after);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*last_r = sqlite3_column_int64(st, 0);
		fn(arg, (const char *)sqlite3_column_text(st, 2),
		    (const char *)sqlite3_column_text(st, 3),
		    (const char *)sqlite3_column_text(st, 4),
		    sqlite3_column_int64(st, 1));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "reading addresses");
}
