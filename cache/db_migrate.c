/* db_migrate: the schema's migrations, and bringing a file up to date
 * (db_int.h; the rules are in doc/HACKING.md, The index). */
#include "config.h"

#include <stdio.h>

#include "cache/db_int.h"
#include "core/log.h"

/* Migration N brings the schema from version N-1 to N.  Never edit an
 * applied one: add a new one. */
static const char *const migrations[DB_SCHEMA_VERSION] = {
	/* 1: the base schema */
	"CREATE TABLE folders(id INTEGER PRIMARY KEY,"
	" account TEXT NOT NULL, name TEXT NOT NULL,"
	" delim INTEGER NOT NULL DEFAULT 47,"
	" uidvalidity INTEGER NOT NULL DEFAULT 0,"
	" uidnext INTEGER NOT NULL DEFAULT 0,"
	" highestmodseq INTEGER NOT NULL DEFAULT 0,"
	" role INTEGER NOT NULL DEFAULT 0,"
	" noselect INTEGER NOT NULL DEFAULT 0,"
	" UNIQUE(account, name));"
	"CREATE TABLE messages(id INTEGER PRIMARY KEY,"
	" folder INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,"
	" uid INTEGER NOT NULL DEFAULT 0, mkey TEXT,"
	" flags INTEGER NOT NULL DEFAULT 0,"
	" internal_date INTEGER NOT NULL DEFAULT 0,"
	" size INTEGER NOT NULL DEFAULT 0, date INTEGER NOT NULL DEFAULT 0,"
	" from_ TEXT, to_ TEXT, cc TEXT, subject TEXT, message_id TEXT,"
	" in_reply_to TEXT, refs TEXT,"
	" has_attachment INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX messages_folder_uid ON messages(folder, uid);"
	"CREATE INDEX messages_folder_key ON messages(folder, mkey)"
	" WHERE mkey IS NOT NULL;"
	"CREATE TABLE uidl(account TEXT NOT NULL, uidl TEXT NOT NULL,"
	" mkey TEXT, downloaded_at INTEGER NOT NULL,"
	" deleted_on_server INTEGER NOT NULL DEFAULT 0,"
	" delivered INTEGER NOT NULL DEFAULT 1,"
	" PRIMARY KEY(account, uidl));"
	"CREATE TABLE ops(id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" account TEXT NOT NULL, kind INTEGER NOT NULL,"
	" folder INTEGER NOT NULL, msg INTEGER NOT NULL DEFAULT 0,"
	" uid INTEGER NOT NULL DEFAULT 0, mkey TEXT, args TEXT,"
	" state INTEGER NOT NULL DEFAULT 0, error TEXT);"
	"CREATE INDEX ops_pending ON ops(account, state, id);"
	"CREATE TABLE accounts(name TEXT PRIMARY KEY,"
	" last_sync INTEGER NOT NULL DEFAULT 0, last_error TEXT);",
	/* 2: full-text search over what version 1 already holds.  One
	 * column (headers, then body text) and detail=none: queries are
	 * ANDed prefix words, and this halves the cost of an insert. */
	"CREATE VIRTUAL TABLE fts USING fts5(text, detail = none, columnsize = 0,"
	" tokenize = 'unicode61 remove_diacritics 2');"
	"INSERT INTO fts(rowid, text) SELECT id, coalesce(from_, '') || ' ' ||"
	" coalesce(to_, '') || ' ' || coalesce(cc, '') || ' ' ||"
	" coalesce(subject, '') FROM messages;"
	"CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages"
	" BEGIN DELETE FROM fts WHERE rowid = old.id; END;",
	/* 3: folder counts read indexes only (db_count.c); partial, so it
	 * costs little where most mail is read, and holding flags so that
	 * counting needs no table row. */
	"CREATE INDEX messages_unread ON messages(folder, flags)"
	" WHERE flags & 1 = 0;",
	/* 4: the search index keeps no copy of what it indexed (a good
	 * part of the work of indexing a header, and the space of every
	 * From, To, Cc and Subject a second time).  Its text is now read from
	 * fts_src: the message's header fields, or the whole text kept in
	 * fts_text for a message whose body was indexed.  FTS5 needs that
	 * text again to remove a row, hence the trigger BEFORE the delete.
	 * fts_text takes every row whose old text is not exactly the
	 * headers as index_text() joins them: one that is kept needlessly
	 * gives the same words. */
	"CREATE TABLE fts_text(id INTEGER PRIMARY KEY, text TEXT NOT NULL);"
	"INSERT INTO fts_text(id, text) SELECT f.rowid, f.text FROM fts f"
	" JOIN messages m ON m.id = f.rowid WHERE f.text IS NOT substr("
	"  CASE WHEN coalesce(m.from_, '') <> '' THEN ' ' || m.from_"
	"  ELSE '' END"
	"  || CASE WHEN coalesce(m.to_, '') <> '' THEN ' ' || m.to_ ELSE '' END"
	"  || CASE WHEN coalesce(m.cc, '') <> '' THEN ' ' || m.cc ELSE '' END"
	"  || CASE WHEN coalesce(m.subject, '') <> '' THEN ' ' || m.subject"
	"  ELSE '' END, 2);"
	"DROP TRIGGER messages_fts_delete;"
	"DROP TABLE fts;"
	/* FTS_HEADERS as it was when this shipped: its own copy, so that a
	 * change to the live statements never changes this migration. */
	"CREATE VIEW fts_src(id, text) AS SELECT m.id, coalesce(t.text, "
	"coalesce(m.from_, '') || ' ' || coalesce(m.to_, '')"
	" || ' ' || coalesce(m.cc, '') || ' ' || coalesce(m.subject, '')"
	") FROM messages m LEFT JOIN fts_text t ON t.id = m.id;"
	"CREATE VIRTUAL TABLE fts USING fts5(text, content = 'fts_src',"
	" content_rowid = 'id', detail = none, columnsize = 0,"
	" tokenize = 'unicode61 remove_diacritics 2');"
	/* Leaves of a page each (FTS5's default suits 4 KB pages): less
	 * work per header indexed.  FTS5's default merge (four segments
	 * at a time) stays: merging more at once saves little during a
	 * first fill, and only by leaving the merge to the next commits,
	 * which then stall a small folder's sync. */
	"INSERT INTO fts(fts, rank) SELECT 'pgsz', page_size - 192"
	" FROM pragma_page_size();"
	"INSERT INTO fts(fts) VALUES ('rebuild');"
	"CREATE TRIGGER messages_fts_delete BEFORE DELETE ON messages BEGIN"
	" INSERT INTO fts(fts, rowid, text) SELECT 'delete', id, text"
	"  FROM fts_src WHERE id = old.id;"
	" DELETE FROM fts_text WHERE id = old.id; END;",
	/* 5: the outbox (outbox.h): a record per message not yet sent */
	"CREATE TABLE outbox(id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" account TEXT NOT NULL, state INTEGER NOT NULL DEFAULT 0,"
	" created INTEGER NOT NULL, next_try INTEGER NOT NULL DEFAULT 0,"
	" attempts INTEGER NOT NULL DEFAULT 0, file TEXT NOT NULL UNIQUE,"
	" message_id TEXT, mail_from TEXT, rcpts TEXT NOT NULL,"
	" subject TEXT, error TEXT, size INTEGER NOT NULL DEFAULT 0,"
	" eightbit INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX outbox_due ON outbox(account, state, next_try);",
	/* 6: what the server lets the user change in a folder (IMAP
	 * [PERMANENTFLAGS], [READ-ONLY]), so that a change it would refuse
	 * is refused before it is made, also before the first sync of a
	 * session: the MSG_* flags it does not keep, and read-only */
	"ALTER TABLE folders ADD COLUMN noflags INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE folders ADD COLUMN readonly INTEGER NOT NULL DEFAULT 0;",
	/* 7: the highest message id the reader showed when the user last
	 * left the folder: unread messages up to it are "old", as Mutt's
	 * mark_old has it (db_folder_mark_old) */
	"ALTER TABLE folders ADD COLUMN old_mark INTEGER NOT NULL DEFAULT 0;",
	/* 8: no message may be copied or moved into the folder (IMAP
	 * MYRIGHTS without the insert right) */
	"ALTER TABLE folders ADD COLUMN noinsert INTEGER NOT NULL DEFAULT 0;",
};

static int
read_version(struct db *db, struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations("
	    "version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
	    err) < 0)
		return -1;
	if (sqlite3_prepare_v2(db->sq, "SELECT coalesce(max(version), 0)"
	    " FROM schema_migrations", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "schema version");
	rc = sqlite3_step(st);
	db->version = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	if (db->version < 0)
		return db_fail(db, err, "schema version");
	return 0;
}

int
db_migrate(struct db *db, int target, struct error *err)
{
	char sql[128];

	if (read_version(db, err) < 0)
		return -1;
	if (db->version > DB_SCHEMA_VERSION)
		return error_set(err, "index database: schema version %d is "
		    "newer than this postie understands (%d)", db->version,
		    DB_SCHEMA_VERSION);
	while (db->version < target) {
		if (db_exec(db, "BEGIN IMMEDIATE", err) < 0)
			return -1;
		/* Another connection may have migrated meanwhile. */
		if (read_version(db, err) < 0 || db->version >= target) {
			db_exec(db, "ROLLBACK", NULL);
			return db->version < 0 ? -1 : 0;
		}
		snprintf(sql, sizeof(sql), "INSERT INTO schema_migrations"
		    " VALUES (%d, strftime('%%s','now'))", db->version + 1);
		if (db_exec(db, migrations[db->version], err) < 0 ||
		    db_exec(db, sql, err) < 0 || db_exec(db, "COMMIT", err) < 0) {
			db_exec(db, "ROLLBACK", NULL);
			return error_prefix(err, "upgrading to version %d",
			    db->version + 1);
		}
		log_info("index database upgraded to schema version %d",
		    db->version + 1);
		db->version++;
	}
	return 0;
}
