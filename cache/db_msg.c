/* db: the message index and full-text search. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cache/db_int.h"
#include "core/buf.h"
#include "core/xalloc.h"

/* What search sees of a message: the headers, then the body text. */
static void
index_text(struct buf *b, const struct db_msg *m)
{
	const char *parts[5] = { m->from, m->to, m->cc, m->subject, m->text };
	size_t i;

	buf_reset(b);
	for (i = 0; i < 5; i++)
		if (parts[i] && *parts[i]) {
			if (b->len)
				buf_addch(b, ' ');
			buf_addstr(b, parts[i]);
		}
	if (b->data == NULL)
		buf_addstr(b, "");
}

int
db_msg_insert(struct db *db, struct db_msg *m, struct error *err)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, ST_MSG_INSERT, err)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, m->folder_id);
	sqlite3_bind_int64(st, 2, m->uid);
	db_bind_str(st, 3, m->key);
	sqlite3_bind_int(st, 4, (int)(m->flags & MSG_ALL_FLAGS));
	sqlite3_bind_int64(st, 5, m->internal_date);
	sqlite3_bind_int64(st, 6, m->size);
	sqlite3_bind_int64(st, 7, m->date);
	db_bind_str(st, 8, m->from);
	db_bind_str(st, 9, m->to);
	db_bind_str(st, 10, m->cc);
	db_bind_str(st, 11, m->subject);
	db_bind_str(st, 12, m->message_id);
	db_bind_str(st, 13, m->in_reply_to);
	db_bind_str(st, 14, m->references);
	sqlite3_bind_int(st, 15, m->has_attachment != 0);
	if (db_step_done(db, st, err, "message insert") < 0)
		return -1;
	m->id = sqlite3_last_insert_rowid(db->sq);
	index_text(&db->scratch, m);
	/* With body text, the search index's source (fts_src) must give
	 * these words back: keep them. */
	if (m->text != NULL && *m->text != '\0') {
		if ((st = db_stmt(db, ST_FTS_KEEP, err)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, m->id);
		sqlite3_bind_text(st, 2, db->scratch.data,
		    (int)db->scratch.len, SQLITE_STATIC);
		if (db_step_done(db, st, err, "search text") < 0)
			return -1;
	}
	if ((st = db_stmt(db, ST_FTS_INSERT, err)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, m->id);
	sqlite3_bind_text(st, 2, db->scratch.data, (int)db->scratch.len,
	    SQLITE_STATIC);
	return db_step_done(db, st, err, "search index insert");
}

int
db_msg_get(struct db *db, int64_t id, struct db_msg *m, struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	memset(m, 0, sizeof(*m));
	if ((st = db_stmt(db, ST_MSG_GET, err)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		m->id = sqlite3_column_int64(st, 0);
		m->folder_id = sqlite3_column_int64(st, 1);
		m->uid = (uint32_t)sqlite3_column_int64(st, 2);
		m->key = db_col_strn(st, 3);
		m->flags = (unsigned)sqlite3_column_int(st, 4);
		m->internal_date = sqlite3_column_int64(st, 5);
		m->size = sqlite3_column_int64(st, 6);
		m->date = sqlite3_column_int64(st, 7);
		m->from = db_col_str(st, 8);
		m->to = db_col_str(st, 9);
		m->cc = db_col_str(st, 10);
		m->subject = db_col_str(st, 11);
		m->message_id = db_col_str(st, 12);
		m->in_reply_to = db_col_str(st, 13);
		m->references = db_col_str(st, 14);
		m->has_attachment = sqlite3_column_int(st, 15);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "message");
}

void
db_msg_clear(struct db_msg *m)
{
	free(m->key);
	free(m->from);
	free(m->to);
	free(m->cc);
	free(m->subject);
	free(m->message_id);
	free(m->in_reply_to);
	free(m->references);
	free(m->text);
	memset(m, 0, sizeof(*m));
}

static int
find_id(struct db *db, sqlite3_stmt *st, int64_t *id_r, struct error *err)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		*id_r = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "message lookup");
}

int
db_msg_find_uid(struct db *db, int64_t folder_id, uint32_t uid,
    int64_t *id_r, struct error *err)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, ST_MSG_FIND_UID, err)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, folder_id);
	sqlite3_bind_int64(st, 2, uid);
	return find_id(db, st, id_r, err);
}

int
db_msg_find_key(struct db *db, int64_t folder_id, const char *key,
    int64_t *id_r, struct error *err)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, ST_MSG_FIND_KEY, err)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, folder_id);
	db_bind_str(st, 2, key);
	return find_id(db, st, id_r, err);
}

int
db_msg_set_flags(struct db *db, int64_t id, unsigned flags,
    struct error *err)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, ST_MSG_FLAGS, err)) == NULL)
		return -1;
	sqlite3_bind_int(st, 1, (int)(flags & MSG_ALL_FLAGS));
	sqlite3_bind_int64(st, 2, id);
	return db_step_done(db, st, err, "flags update");
}

int
db_msg_set_folder(struct db *db, int64_t id, int64_t folder_id, uint32_t uid,
    struct error *err)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, ST_MSG_FOLDER, err)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, folder_id);
	sqlite3_bind_int64(st, 2, uid);
	sqlite3_bind_int64(st, 3, id);
	return db_step_done(db, st, err, "message move");
}

int
db_msg_set_key(struct db *db, int64_t id, const char *key, struct error *err)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, ST_MSG_KEY, err)) == NULL)
		return -1;
	db_bind_str(st, 1, key);
	sqlite3_bind_int64(st, 2, id);
	return db_step_done(db, st, err, "message key");
}

/* One step of db_msg_set_text: statement which, bound to id (and text). */
static int
text_step(struct db *db, enum db_stmt which, int64_t id, const char *text,
    struct error *err)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, which, err)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (which == ST_FTS_TEXT)
		db_bind_str(st, 2, text);
	return db_step_done(db, st, err, "search text");
}

/* The old words out of the search index, the new text kept, its words
 * in: all three or none (a savepoint, inside a transaction or not). */
int
db_msg_set_text(struct db *db, int64_t id, const char *text,
    struct error *err)
{
	if (sqlite3_exec(db->sq, "SAVEPOINT set_text", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return db_fail(db, err, "search text");
	if (text_step(db, ST_FTS_FORGET, id, NULL, err) < 0 ||
	    text_step(db, ST_FTS_TEXT, id, text, err) < 0 ||
	    text_step(db, ST_FTS_ADD, id, NULL, err) < 0) {
		sqlite3_exec(db->sq, "ROLLBACK TO set_text; RELEASE set_text",
		    NULL, NULL, NULL);
		return -1;
	}
	if (sqlite3_exec(db->sq, "RELEASE set_text", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return db_fail(db, err, "search text");
	return 0;
}

int
db_msg_delete(struct db *db, int64_t id, struct error *err)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, ST_MSG_DELETE, err)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return db_step_done(db, st, err, "message delete");
}

int
db_msg_each(struct db *db, int64_t folder_id,
    int (*fn)(void *, int64_t, uint32_t, const char *, unsigned,
	struct error *),
    void *arg, struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	/* Own statement: fn may call other db functions. */
	if (sqlite3_prepare_v2(db->sq, "SELECT id, uid, mkey, flags FROM"
	    " messages WHERE folder = ? ORDER BY id", -1, &st, NULL) !=
	    SQLITE_OK)
		return db_fail(db, err, "message list");
	sqlite3_bind_int64(st, 1, folder_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (fn(arg, sqlite3_column_int64(st, 0),
		    (uint32_t)sqlite3_column_int64(st, 1),
		    (const char *)sqlite3_column_text(st, 2),
		    (unsigned)sqlite3_column_int(st, 3), err) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "message list");
}

int
db_msg_each_uid(struct db *db, int64_t folder_id, uint32_t lo, uint32_t hi,
    int (*fn)(void *, int64_t, uint32_t, const char *, unsigned,
	struct error *),
    void *arg, struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	/* Own statement: fn may look other rows up.  The range walks the
	 * (folder, uid) index. */
	if (sqlite3_prepare_v2(db->sq, "SELECT id, uid, flags FROM messages"
	    " WHERE folder = ? AND uid BETWEEN ? AND ? ORDER BY uid", -1, &st,
	    NULL) != SQLITE_OK)
		return db_fail(db, err, "message range");
	sqlite3_bind_int64(st, 1, folder_id);
	sqlite3_bind_int64(st, 2, lo);
	sqlite3_bind_int64(st, 3, hi);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (fn(arg, sqlite3_column_int64(st, 0),
		    (uint32_t)sqlite3_column_int64(st, 1), NULL,
		    (unsigned)sqlite3_column_int(st, 2), err) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "message range");
}

int
db_msg_max_uid(struct db *db, int64_t folder_id, uint32_t *uid_r,
    struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db->sq, "SELECT coalesce(max(uid), 0) FROM"
	    " messages WHERE folder = ?", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "max uid");
	sqlite3_bind_int64(st, 1, folder_id);
	rc = sqlite3_step(st);
	*uid_r = rc == SQLITE_ROW ? (uint32_t)sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_fail(db, err, "max uid");
}

/* Each word becomes a quoted prefix term: no FTS syntax gets through. */
static void
fts_query(struct buf *q, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int in_word = 0;

	for (; *p; p++) {
		if (*p >= 0x80 || (*p >= '0' && *p <= '9') ||
		    (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    *p == '_') {
			if (!in_word) {
				if (q->len)
					buf_addch(q, ' ');
				buf_addch(q, '"');
				in_word = 1;
			}
			buf_addch(q, *p);
		} else if (in_word) {
			buf_addstr(q, "\"*");
			in_word = 0;
		}
	}
	if (in_word)
		buf_addstr(q, "\"*");
}

int
db_search(struct db *db, int64_t folder_id, const char *query,
    int64_t **ids_r, size_t *n_r, struct error *err)
{
	struct buf q = BUF_INIT;
	sqlite3_stmt *st;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int rc;

	*ids_r = NULL;
	*n_r = 0;
	fts_query(&q, query);
	if (q.len == 0) {
		buf_free(&q);
		*ids_r = xcalloc(1, sizeof(**ids_r));
		return 0;
	}
	if (sqlite3_prepare_v2(db->sq, "SELECT m.id FROM fts JOIN messages m"
	    " ON m.id = fts.rowid WHERE fts MATCH ?1 AND"
	    " (?2 = 0 OR m.folder = ?2) ORDER BY m.date DESC, m.id DESC", -1,
	    &st, NULL) != SQLITE_OK) {
		buf_free(&q);
		return db_fail(db, err, "search");
	}
	sqlite3_bind_text(st, 1, q.data, (int)q.len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, folder_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			ids = xreallocarray(ids, cap, sizeof(*ids));
		}
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	buf_free(&q);
	if (ids == NULL)
		ids = xcalloc(1, sizeof(*ids));
	if (rc != SQLITE_DONE) {
		free(ids);
		return db_fail(db, err, "search");
	}
	*ids_r = ids;
	*n_r = n;
	return 0;
}
