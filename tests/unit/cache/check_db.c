/* Unit tests of cache/db: schema, migrations, folders, messages, search,
 * UIDL records and the pending-operation queue. */
#include <config.h>

#include <check.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cache/db.h"
#include "cache/db_int.h" /* the raw connection, for what db.h hides */
#include "check_cache.h"

static char dir[64], path[128];

static void
setup(void)
{
	tmp_make(dir, sizeof(dir), "check_db");
	snprintf(path, sizeof(path), "%s/postie.db", dir);
}

static void
teardown(void)
{
	tmp_remove(dir);
}

static struct db *
open_db(void)
{
	struct db *db = NULL;
	struct error err;

	error_clear(&err);
	if (db_open(path, &db, &err) < 0)
		ck_abort_msg("db_open: %s", err.msg);
	return db;
}

static int64_t
add_msg(struct db *db, int64_t folder, uint32_t uid, const char *from,
    const char *subject, int64_t date, unsigned flags)
{
	struct db_msg m;
	struct error err;

	memset(&m, 0, sizeof(m));
	m.folder_id = folder;
	m.uid = uid;
	m.from = (char *)from;
	m.subject = (char *)subject;
	m.date = date;
	m.flags = flags;
	m.text = "the quick brown fox";
	ck_assert_int_eq(db_msg_insert(db, &m, &err), 0);
	return m.id;
}

/* FTS5's own check of the search index against its source (fts_src):
 * fails when any row's words differ from what the source gives. */
static void
fts_consistent(struct db *db)
{
	char *msg = NULL;

	if (sqlite3_exec(db->sq, "INSERT INTO fts(fts, rank)"
	    " VALUES ('integrity-check', 1)", NULL, NULL, &msg) != SQLITE_OK)
		ck_abort_msg("search index check: %s", msg ? msg : "?");
}

static int
count_sql(struct db *db, const char *sql)
{
	sqlite3_stmt *st;
	int n;

	ck_assert_int_eq(sqlite3_prepare_v2(db->sq, sql, -1, &st, NULL),
	    SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

START_TEST(schema_current)
{
	struct db *db = open_db();
	struct stat sb;

	ck_assert_int_eq(db_version(db), DB_SCHEMA_VERSION);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	/* A new file is made without fsyncs, then written as any other:
	 * WAL, synchronous NORMAL (1). */
	ck_assert_int_eq(count_sql(db, "SELECT count(*) FROM"
	    " pragma_journal_mode WHERE journal_mode = 'wal'"), 1);
	ck_assert_int_eq(count_sql(db, "PRAGMA synchronous"), 1);
	db_close(&db);
	ck_assert_ptr_null(db);
	/* Reopening applies nothing new. */
	db = open_db();
	ck_assert_int_eq(db_version(db), DB_SCHEMA_VERSION);
	ck_assert_int_eq(count_sql(db, "PRAGMA synchronous"), 1);
	db_close(&db);
}
END_TEST

START_TEST(upgrade_from_v1)
{
	struct db *db = NULL;
	struct error err;
	sqlite3 *sq;
	int64_t *ids;
	size_t n;

	ck_assert_int_eq(db_open_version(path, 1, &db, &err), 0);
	ck_assert_int_eq(db_version(db), 1);
	db_close(&db);
	/* Data written by a version-1 program. */
	ck_assert_int_eq(sqlite3_open(path, &sq), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(sq,
	    "INSERT INTO folders(id, account, name) VALUES (1, 'a', 'INBOX');"
	    "INSERT INTO messages(folder, uid, subject, from_)"
	    " VALUES (1, 7, 'Quarterly report', 'Ann <ann@x.org>');",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(sq);
	db = open_db();
	ck_assert_int_eq(db_version(db), DB_SCHEMA_VERSION);
	/* The upgrade indexed what was there. */
	ck_assert_int_eq(db_search(db, 0, "quarter", &ids, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	free(ids);
	ck_assert_int_eq(db_search(db, 0, "ann", &ids, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	free(ids);
	/* ...and schema 3 counts it. */
	{
		struct db_folder f = { .id = 1 };

		ck_assert_int_eq(db_folder_counts(db, &f, 1, &err), 0);
		ck_assert_uint_eq(f.total, 1);
		ck_assert_uint_eq(f.unread, 1);
	}
	db_close(&db);
}
END_TEST

/* Version 6 keeps what the server lets the user change in a folder: a
 * folder from version 5 lets everything change until its next SELECT
 * says otherwise, and the values survive a write and a read. */
START_TEST(upgrade_from_v5)
{
	struct db *db = NULL;
	struct db_folder f;
	struct error err;
	sqlite3 *sq;

	ck_assert_int_eq(db_open_version(path, 5, &db, &err), 0);
	db_close(&db);
	ck_assert_int_eq(sqlite3_open(path, &sq), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(sq, "INSERT INTO folders(id, account,"
	    " name, uidvalidity) VALUES (1, 'a', 'Public', 9);", NULL, NULL,
	    NULL), SQLITE_OK);
	sqlite3_close(sq);
	db = open_db();
	ck_assert_int_eq(db_version(db), DB_SCHEMA_VERSION);
	ck_assert_int_eq(db_folder_get(db, 1, &f, &err), 1);
	ck_assert_uint_eq(f.noflags, 0);
	ck_assert_int_eq(f.readonly, 0);
	ck_assert_uint_eq(f.uidvalidity, 9);
	f.noflags = MSG_ALL_FLAGS & ~MSG_SEEN;
	f.readonly = 1;
	ck_assert_int_eq(db_folder_update(db, &f, &err), 0);
	db_folder_clear(&f);
	ck_assert_int_eq(db_folder_get(db, 1, &f, &err), 1);
	ck_assert_uint_eq(f.noflags, MSG_ALL_FLAGS & ~MSG_SEEN);
	ck_assert_int_eq(f.readonly, 1);
	db_folder_clear(&f);
	db_close(&db);
}
END_TEST

/* Version 3 kept a copy of every row's text in the search index;
 * version 4 keeps only body text, and finds the same words. */
START_TEST(upgrade_from_v3)
{
	struct db *db = NULL;
	struct error err;
	sqlite3 *sq;
	int64_t *ids;
	size_t n;

	ck_assert_int_eq(db_open_version(path, 3, &db, &err), 0);
	db_close(&db);
	ck_assert_int_eq(sqlite3_open(path, &sq), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(sq,
	    "INSERT INTO folders(id, account, name) VALUES (1, 'a', 'INBOX');"
	    /* 1: headers only, as version 3 joined them */
	    "INSERT INTO messages(id, folder, uid, subject, from_, to_)"
	    " VALUES (1, 1, 7, 'Quarterly report', 'Ann <ann@x.org>', 'Bob');"
	    "INSERT INTO fts(rowid, text) VALUES (1,"
	    " 'Ann <ann@x.org> Bob Quarterly report');"
	    /* 2: body text after the headers */
	    "INSERT INTO messages(id, folder, uid, subject, from_)"
	    " VALUES (2, 1, 8, 'Lunch', 'Carol');"
	    "INSERT INTO fts(rowid, text) VALUES (2, 'Carol Lunch');"
	    "UPDATE fts SET text = 'Carol  Lunch pizza at noon'"
	    " WHERE rowid = 2;"
	    /* 3: no fields at all, body text only */
	    "INSERT INTO messages(id, folder, uid) VALUES (3, 1, 9);"
	    "INSERT INTO fts(rowid, text) VALUES (3, 'zebra');",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(sq);
	db = open_db();
	ck_assert_int_eq(db_version(db), DB_SCHEMA_VERSION);
	ck_assert_int_eq(count_sql(db, "SELECT count(*) FROM fts_text"), 2);
	fts_consistent(db);
	ck_assert_int_eq(db_search(db, 0, "quarterly bob", &ids, &n, &err),
	    0);
	ck_assert_uint_eq(n, 1);
	free(ids);
	ck_assert_int_eq(db_search(db, 0, "pizza carol", &ids, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	free(ids);
	ck_assert_int_eq(db_search(db, 0, "zebra", &ids, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	free(ids);
	/* Removal works on the upgraded rows. */
	ck_assert_int_eq(db_msg_delete(db, 2, &err), 0);
	ck_assert_int_eq(db_search(db, 0, "pizza", &ids, &n, &err), 0);
	ck_assert_uint_eq(n, 0);
	free(ids);
	fts_consistent(db);
	db_close(&db);
}
END_TEST

/* A shipped migration never changes: version 4 creates the view every
 * version-4 database in use has, whatever the live statements become. */
START_TEST(migration_4_unchanged)
{
	struct db *db = NULL;
	struct error err;
	sqlite3_stmt *st;

	ck_assert_int_eq(db_open_version(path, 4, &db, &err), 0);
	ck_assert_int_eq(sqlite3_prepare_v2(db->sq, "SELECT sql FROM"
	    " sqlite_master WHERE name = 'fts_src'", -1, &st, NULL),
	    SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 0),
	    "CREATE VIEW fts_src(id, text) AS SELECT m.id, coalesce(t.text, "
	    "coalesce(m.from_, '') || ' ' || coalesce(m.to_, '')"
	    " || ' ' || coalesce(m.cc, '') || ' ' || coalesce(m.subject, '')"
	    ") FROM messages m LEFT JOIN fts_text t ON t.id = m.id");
	sqlite3_finalize(st);
	db_close(&db);
}
END_TEST

START_TEST(newer_refused)
{
	struct db *db = open_db();
	struct error err;
	sqlite3 *sq;

	db_close(&db);
	ck_assert_int_eq(sqlite3_open(path, &sq), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(sq, "INSERT INTO schema_migrations"
	    " VALUES (99, 0)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(sq);
	error_clear(&err);
	ck_assert_int_eq(db_open(path, &db, &err), -1);
	ck_assert_ptr_null(db);
	ck_assert_ptr_nonnull(strstr(err.msg, "newer"));
}
END_TEST

START_TEST(folders_and_counts)
{
	struct db *db = open_db(), *other;
	struct db_folder *list, f;
	struct error err;
	int64_t inbox, inbox2, sent, id2;
	size_t n;

	ck_assert_int_eq(db_folder_ensure(db, "a", "INBOX", FOLDER_ROLE_INBOX,
	    &inbox, &err), 0);
	ck_assert_int_eq(db_folder_ensure(db, "a", "INBOX", FOLDER_ROLE_NONE,
	    &inbox2, &err), 0);
	ck_assert_int_eq(inbox, inbox2);
	ck_assert_int_eq(db_folder_ensure(db, "a", "Sent", FOLDER_ROLE_SENT,
	    &sent, &err), 0);
	ck_assert_int_eq(db_folder_ensure(db, "b", "INBOX", FOLDER_ROLE_INBOX,
	    &inbox2, &err), 0);
	ck_assert_int_ne(inbox, inbox2);
	add_msg(db, inbox, 1, "x", "s", 1, MSG_SEEN);
	id2 = add_msg(db, inbox, 2, "x", "s", 2, 0);
	add_msg(db, inbox, 3, "x", "s", 3, MSG_FLAGGED);
	add_msg(db, inbox2, 1, "x", "s", 1, 0);
	ck_assert_int_eq(db_folder_list(db, "a", &list, &n, &err), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(list[0].name, "INBOX");
	ck_assert_int_eq(list[0].role, FOLDER_ROLE_INBOX);
	ck_assert_int_eq(db_folder_counts(db, list, n, &err), 0);
	ck_assert_uint_eq(list[0].total, 3);
	ck_assert_uint_eq(list[0].unread, 2);
	ck_assert_uint_eq(list[1].total, 0);
	/* The kept counts follow this connection's writes... */
	ck_assert_int_eq(db_msg_set_flags(db, id2, MSG_SEEN, &err), 0);
	add_msg(db, sent, 1, "x", "s", 1, 0);
	ck_assert_int_eq(db_folder_counts(db, list, n, &err), 0);
	ck_assert_uint_eq(list[0].total, 3);
	ck_assert_uint_eq(list[0].unread, 1);
	ck_assert_uint_eq(list[1].total, 1);
	ck_assert_uint_eq(list[1].unread, 1);
	/* ...and another connection's. */
	other = open_db();
	ck_assert_int_eq(db_msg_delete(other, id2, &err), 0);
	db_close(&other);
	ck_assert_int_eq(db_folder_counts(db, list, n, &err), 0);
	ck_assert_uint_eq(list[0].total, 2);
	ck_assert_uint_eq(list[0].unread, 1);
	db_folders_free(&list, n);
	ck_assert_ptr_null(list);
	/* UIDVALIDITY change: the folder's state goes. */
	ck_assert_int_eq(db_folder_get(db, inbox, &f, &err), 1);
	f.uidvalidity = 42;
	f.highestmodseq = 1000;
	ck_assert_int_eq(db_folder_update(db, &f, &err), 0);
	db_folder_clear(&f);
	ck_assert_int_eq(db_folder_find(db, "a", "INBOX", &f, &err), 1);
	ck_assert_uint_eq(f.uidvalidity, 42);
	ck_assert_uint_eq(f.highestmodseq, 1000);
	db_folder_clear(&f);
	ck_assert_int_eq(db_folder_reset(db, inbox, &err), 0);
	ck_assert_int_eq(db_folder_get(db, inbox, &f, &err), 1);
	ck_assert_uint_eq(f.uidvalidity, 0);
	ck_assert_int_eq(db_folder_counts(db, &f, 1, &err), 0);
	ck_assert_uint_eq(f.total, 0);
	db_folder_clear(&f);
	ck_assert_int_eq(db_folder_find(db, "a", "Nope", &f, &err), 0);
	db_close(&db);
}
END_TEST

START_TEST(messages)
{
	struct db *db = open_db();
	struct error err;
	struct db_msg m;
	int64_t f, id, got;
	uint32_t max;

	ck_assert_int_eq(db_folder_ensure(db, "a", "INBOX", 0, &f, &err), 0);
	id = add_msg(db, f, 17, "Ann", "Hi", 5, MSG_SEEN);
	ck_assert_int_eq(db_msg_find_uid(db, f, 17, &got, &err), 1);
	ck_assert_int_eq(got, id);
	ck_assert_int_eq(db_msg_find_uid(db, f, 18, &got, &err), 0);
	ck_assert_int_eq(db_msg_set_flags(db, id, MSG_SEEN | MSG_FLAGGED,
	    &err), 0);
	ck_assert_int_eq(db_msg_get(db, id, &m, &err), 1);
	ck_assert_uint_eq(m.flags, MSG_SEEN | MSG_FLAGGED);
	ck_assert_str_eq(m.from, "Ann");
	ck_assert_str_eq(m.cc, "");
	ck_assert_ptr_null(m.key);
	db_msg_clear(&m);
	ck_assert_int_eq(db_msg_max_uid(db, f, &max, &err), 0);
	ck_assert_uint_eq(max, 17);
	ck_assert_int_eq(db_msg_delete(db, id, &err), 0);
	ck_assert_int_eq(db_msg_get(db, id, &m, &err), 0);
	db_close(&db);
}
END_TEST

START_TEST(search)
{
	struct db *db = open_db();
	struct error err;
	int64_t f1, f2, a, b, c, *ids;
	size_t n;

	ck_assert_int_eq(db_folder_ensure(db, "a", "INBOX", 0, &f1, &err), 0);
	ck_assert_int_eq(db_folder_ensure(db, "a", "Old", 0, &f2, &err), 0);
	a = add_msg(db, f1, 1, "Ann Example", "Budget meeting", 10, 0);
	b = add_msg(db, f1, 2, "Bob", "Lunch on Friday", 20, 0);
	c = add_msg(db, f2, 3, "Ann Example", "Budget draft", 30, 0);
	ck_assert_int_eq(db_search(db, 0, "budget", &ids, &n, &err), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(ids[0], c); /* newest first */
	ck_assert_int_eq(ids[1], a);
	free(ids);
	ck_assert_int_eq(db_search(db, f1, "BUDG", &ids, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(ids[0], a);
	free(ids);
	/* Words are ANDed. */
	ck_assert_int_eq(db_search(db, 0, "ann draft", &ids, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(ids[0], c);
	free(ids);
	/* Body text. */
	ck_assert_int_eq(db_msg_set_text(db, b, "pizza at noon", &err), 0);
	ck_assert_int_eq(db_search(db, 0, "pizza", &ids, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(ids[0], b);
	free(ids);
	fts_consistent(db);
	/* New body text replaces the old. */
	ck_assert_int_eq(db_msg_set_text(db, b, "sushi at one", &err), 0);
	ck_assert_int_eq(db_search(db, 0, "pizza", &ids, &n, &err), 0);
	ck_assert_uint_eq(n, 0);
	free(ids);
	ck_assert_int_eq(db_search(db, 0, "sushi lunch", &ids, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	free(ids);
	fts_consistent(db);
	/* The index keeps no copy of the text (no fts_content table);
	 * kept text is only that of messages with body text (add_msg
	 * gives each some). */
	ck_assert_int_eq(count_sql(db, "SELECT count(*) FROM sqlite_master"
	    " WHERE name = 'fts_content'"), 0);
	ck_assert_int_eq(count_sql(db, "SELECT count(*) FROM fts_text"), 3);
	{
		struct db_msg m;

		memset(&m, 0, sizeof(m));
		m.folder_id = f2;
		m.uid = 9;
		m.from = "Carol";
		m.subject = "Headers only";
		ck_assert_int_eq(db_msg_insert(db, &m, &err), 0);
		ck_assert_int_eq(count_sql(db, "SELECT count(*) FROM fts_text"),
		    3);
		ck_assert_int_eq(db_search(db, 0, "carol", &ids, &n, &err), 0);
		ck_assert_uint_eq(n, 1);
		free(ids);
	}
	fts_consistent(db);
	/* FTS syntax is neutralised, not an error. */
	ck_assert_int_eq(db_search(db, 0, "\"budget OR (NEAR* ^x:", &ids, &n,
	    &err), 0);
	free(ids);
	ck_assert_int_eq(db_search(db, 0, "  ()\"* ", &ids, &n, &err), 0);
	ck_assert_uint_eq(n, 0);
	free(ids);
	/* A deleted message leaves the search index, its kept text too. */
	ck_assert_int_eq(db_msg_delete(db, a, &err), 0);
	ck_assert_int_eq(db_search(db, 0, "budget", &ids, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	free(ids);
	ck_assert_int_eq(count_sql(db, "SELECT count(*) FROM fts_text"), 2);
	fts_consistent(db);
	/* So do a whole folder's. */
	ck_assert_int_eq(db_folder_delete(db, f2, &err), 0);
	ck_assert_int_eq(db_search(db, 0, "budget", &ids, &n, &err), 0);
	ck_assert_uint_eq(n, 0);
	free(ids);
	ck_assert_int_eq(db_search(db, 0, "carol", &ids, &n, &err), 0);
	ck_assert_uint_eq(n, 0);
	free(ids);
	ck_assert_int_eq(count_sql(db, "SELECT count(*) FROM fts_text"), 1);
	fts_consistent(db);
	db_close(&db);
}
END_TEST

START_TEST(uidl)
{
	struct db *db = open_db();
	struct db_uidl u, *und;
	struct error err;
	char **old;
	size_t n;

	ck_assert_int_eq(db_uidl_lookup(db, "p", "u1", &u, &err), 0);
	ck_assert_int_eq(db_uidl_add(db, "p", "u1", "k1", 100, 1, &err), 0);
	ck_assert_int_eq(db_uidl_add(db, "p", "u2", "k2", 200, 0, &err), 0);
	ck_assert_int_eq(db_uidl_add(db, "q", "u1", "k3", 50, 1, &err), 0);
	ck_assert_int_eq(db_uidl_lookup(db, "p", "u1", &u, &err), 1);
	ck_assert_str_eq(u.key, "k1");
	ck_assert_int_eq(u.downloaded_at, 100);
	ck_assert_int_eq(u.delivered, 1);
	db_uidl_clear(&u);
	ck_assert_int_eq(db_uidl_undelivered(db, "p", &und, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(und[0].uidl, "u2");
	db_uidl_clear(&und[0]);
	free(und);
	ck_assert_int_eq(db_uidl_set_delivered(db, "p", "u2", &err), 0);
	ck_assert_int_eq(db_uidl_older(db, "p", 150, &old, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(old[0], "u1");
	free(old[0]);
	free(old);
	ck_assert_int_eq(db_uidl_mark_deleted(db, "p", "u1", &err), 0);
	ck_assert_int_eq(db_uidl_older(db, "p", 1000, &old, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(old[0], "u2");
	free(old[0]);
	free(old);
	ck_assert_int_eq(db_uidl_lookup(db, "p", "u1", NULL, &err), 1);
	ck_assert_int_eq(db_uidl_forget(db, "p", "u1", &err), 0);
	ck_assert_int_eq(db_uidl_lookup(db, "p", "u1", NULL, &err), 0);
	ck_assert_int_eq(db_uidl_lookup(db, "q", "u1", NULL, &err), 1);
	db_close(&db);
}
END_TEST

START_TEST(op_queue_survives_restart)
{
	struct db *db = open_db();
	struct db_op op, got;
	struct error err;
	int64_t f, first;
	size_t n;

	ck_assert_int_eq(db_folder_ensure(db, "a", "INBOX", 0, &f, &err), 0);
	memset(&op, 0, sizeof(op));
	op.account = "a";
	op.kind = DB_OP_FLAGS;
	op.folder_id = f;
	op.uid = 5;
	op.args = "1 0";
	/* Queued in the local effect's transaction; a rollback drops it. */
	ck_assert_int_eq(db_begin(db, &err), 0);
	ck_assert_int_eq(db_op_add(db, &op, &err), 0);
	db_rollback(db);
	ck_assert_int_eq(db_op_pending(db, "a", &n, &err), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(db_op_add(db, &op, &err), 0);
	first = op.id;
	op.kind = DB_OP_MOVE;
	op.args = "9";
	ck_assert_int_eq(db_op_add(db, &op, &err), 0);
	ck_assert_int_gt(op.id, first);
	db_close(&db);

	db = open_db();
	ck_assert_int_eq(db_op_pending(db, NULL, &n, &err), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(db_op_next(db, "a", 0, &got, &err), 1);
	ck_assert_int_eq(got.id, first);
	ck_assert_int_eq(got.kind, DB_OP_FLAGS);
	ck_assert_uint_eq(got.uid, 5);
	ck_assert_str_eq(got.args, "1 0");
	ck_assert_int_eq(db_op_done(db, got.id, &err), 0);
	db_op_clear(&got);
	ck_assert_int_eq(db_op_next(db, "a", 0, &got, &err), 1);
	ck_assert_int_eq(got.kind, DB_OP_MOVE);
	ck_assert_int_eq(db_op_fail(db, got.id, "no such folder", &err), 0);
	db_op_clear(&got);
	ck_assert_int_eq(db_op_next(db, "a", 0, &got, &err), 0);
	ck_assert_int_eq(db_op_next(db, "other", 0, &got, &err), 0);
	db_close(&db);
}
END_TEST

static off_t
wal_size(void)
{
	char wal[160];
	struct stat st;

	snprintf(wal, sizeof(wal), "%s-wal", path);
	return stat(wal, &st) == 0 ? st.st_size : 0;
}

/* Big transactions on a: about 1.2 MB of pages each. */
static void
fill_some(struct db *a, int64_t folder, uint32_t *uid, int txns)
{
	struct error err;
	struct db_msg m;
	char text[1024];
	int t, i;

	memset(text, 'w', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	for (t = 0; t < txns; t++) {
		ck_assert_int_eq(db_begin(a, &err), 0);
		for (i = 0; i < 600; i++) {
			memset(&m, 0, sizeof(m));
			m.folder_id = folder;
			m.uid = ++*uid;
			m.subject = text;
			ck_assert_int_eq(db_msg_insert(a, &m, &err), 0);
		}
		ck_assert_int_eq(db_commit(a, &err), 0);
	}
}

/* A bulk fill's many commits: the WAL does not grow with them. */
START_TEST(wal_bounded)
{
	struct db *a = open_db();
	struct error err;
	int64_t folder;
	uint32_t uid = 0;

	ck_assert_int_eq(db_folder_ensure(a, "acct", "INBOX", FOLDER_ROLE_INBOX,
	    &folder, &err), 0);
	/* A connection checkpoints once the WAL holds 4 MB: it starts
	 * over and stays near that. */
	fill_some(a, folder, &uid, 8);
	ck_assert_int_lt(wal_size(), 6 * 1024 * 1024);
	db_close(&a);
	/* every row is there */
	a = open_db();
	{
		sqlite3_stmt *st;

		ck_assert_int_eq(sqlite3_prepare_v2(a->sq, "SELECT count(*) FROM"
		    " messages", -1, &st, NULL), SQLITE_OK);
		ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
		ck_assert_int_eq(sqlite3_column_int(st, 0), (int)uid);
		sqlite3_finalize(st);
	}
	db_close(&a);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cache_db");
	TCase *tc = tcase_create("db");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, schema_current);
	tcase_add_test(tc, upgrade_from_v1);
	tcase_add_test(tc, upgrade_from_v3);
	tcase_add_test(tc, upgrade_from_v5);
	tcase_add_test(tc, migration_4_unchanged);
	tcase_add_test(tc, newer_refused);
	tcase_add_test(tc, folders_and_counts);
	tcase_add_test(tc, messages);
	tcase_add_test(tc, search);
	tcase_add_test(tc, uidl);
	tcase_add_test(tc, op_queue_survives_restart);
	tcase_add_test(tc, wal_bounded);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
