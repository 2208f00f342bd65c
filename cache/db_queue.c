/* db: POP3 UIDL records and the pending-operation queue. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cache/db_int.h"
#include "core/xalloc.h"

int
db_uidl_lookup(struct db *db, const char *account, const char *uidl,
    struct db_uidl *u_r, struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (u_r)
		memset(u_r, 0, sizeof(*u_r));
	if ((st = db_stmt(db, ST_UIDL_LOOKUP, err)) == NULL)
		return -1;
	db_bind_str(st, 1, account);
	db_bind_str(st, 2, uidl);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && u_r) {
		u_r->uidl = db_col_str(st, 0);
		u_r->key = db_col_strn(st, 1);
		u_r->downloaded_at = sqlite3_column_int64(st, 2);
		u_r->deleted_on_server = sqlite3_column_int(st, 3);
		u_r->delivered = sqlite3_column_int(st, 4);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "UIDL lookup");
}

int
db_uidl_add(struct db *db, const char *account, const char *uidl,
    const char *key, int64_t downloaded_at, int delivered, struct error *err)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, ST_UIDL_ADD, err)) == NULL)
		return -1;
	db_bind_str(st, 1, account);
	db_bind_str(st, 2, uidl);
	db_bind_str(st, 3, key);
	sqlite3_bind_int64(st, 4, downloaded_at);
	sqlite3_bind_int(st, 5, delivered != 0);
	return db_step_done(db, st, err, "UIDL record");
}

static int
uidl_update(struct db *db, enum db_stmt which, const char *account,
    const char *uidl, struct error *err)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, which, err)) == NULL)
		return -1;
	db_bind_str(st, 1, account);
	db_bind_str(st, 2, uidl);
	return db_step_done(db, st, err, "UIDL update");
}

int
db_uidl_set_delivered(struct db *db, const char *account, const char *uidl,
    struct error *err)
{
	return uidl_update(db, ST_UIDL_DELIVERED, account, uidl, err);
}

int
db_uidl_mark_deleted(struct db *db, const char *account, const char *uidl,
    struct error *err)
{
	return uidl_update(db, ST_UIDL_DELETED, account, uidl, err);
}

int
db_uidl_forget(struct db *db, const char *account, const char *uidl,
    struct error *err)
{
	return uidl_update(db, ST_UIDL_FORGET, account, uidl, err);
}

int
db_uidl_older(struct db *db, const char *account, int64_t cutoff,
    char ***uidls_r, size_t *n_r, struct error *err)
{
	sqlite3_stmt *st;
	char **v = NULL;
	size_t n = 0, cap = 0;
	int rc;

	if (sqlite3_prepare_v2(db->sq, "SELECT uidl FROM uidl WHERE"
	    " account = ? AND downloaded_at < ? AND deleted_on_server = 0"
	    " AND delivered = 1 ORDER BY downloaded_at", -1, &st, NULL) !=
	    SQLITE_OK)
		return db_fail(db, err, "UIDL list");
	db_bind_str(st, 1, account);
	sqlite3_bind_int64(st, 2, cutoff);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[n++] = db_col_str(st, 0);
	}
	sqlite3_finalize(st);
	if (v == NULL)
		v = xcalloc(1, sizeof(*v));
	if (rc != SQLITE_DONE) {
		while (n > 0)
			free(v[--n]);
		free(v);
		return db_fail(db, err, "UIDL list");
	}
	*uidls_r = v;
	*n_r = n;
	return 0;
}

int
db_uidl_undelivered(struct db *db, const char *account,
    struct db_uidl **list_r, size_t *n_r, struct error *err)
{
	sqlite3_stmt *st;
	struct db_uidl *v = NULL;
	size_t n = 0, cap = 0;
	int rc;

	if (sqlite3_prepare_v2(db->sq, "SELECT uidl, mkey, downloaded_at,"
	    " deleted_on_server, delivered FROM uidl WHERE account = ? AND"
	    " delivered = 0", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "UIDL list");
	db_bind_str(st, 1, account);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[n].uidl = db_col_str(st, 0);
		v[n].key = db_col_strn(st, 1);
		v[n].downloaded_at = sqlite3_column_int64(st, 2);
		v[n].deleted_on_server = sqlite3_column_int(st, 3);
		v[n].delivered = 0;
		n++;
	}
	sqlite3_finalize(st);
	if (v == NULL)
		v = xcalloc(1, sizeof(*v));
	*list_r = v;
	*n_r = n;
	if (rc != SQLITE_DONE) {
		while (n > 0)
			db_uidl_clear(&v[--n]);
		free(v);
		*list_r = NULL;
		*n_r = 0;
		return db_fail(db, err, "UIDL list");
	}
	return 0;
}

void
db_uidl_clear(struct db_uidl *u)
{
	free(u->uidl);
	free(u->key);
	memset(u, 0, sizeof(*u));
}

int
db_op_add(struct db *db, struct db_op *op, struct error *err)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, ST_OP_ADD, err)) == NULL)
		return -1;
	db_bind_str(st, 1, op->account);
	sqlite3_bind_int(st, 2, op->kind);
	sqlite3_bind_int64(st, 3, op->folder_id);
	sqlite3_bind_int64(st, 4, op->msg_id);
	sqlite3_bind_int64(st, 5, op->uid);
	db_bind_str(st, 6, op->key);
	db_bind_str(st, 7, op->args);
	if (db_step_done(db, st, err, "queue operation") < 0)
		return -1;
	op->id = sqlite3_last_insert_rowid(db->sq);
	op->state = DB_OP_PENDING;
	return 0;
}

int
db_op_next(struct db *db, const char *account, int64_t after,
    struct db_op *op, struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	memset(op, 0, sizeof(*op));
	if ((st = db_stmt(db, ST_OP_NEXT, err)) == NULL)
		return -1;
	db_bind_str(st, 1, account);
	sqlite3_bind_int64(st, 2, after);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		op->id = sqlite3_column_int64(st, 0);
		op->account = db_col_str(st, 1);
		op->kind = (enum db_op_kind)sqlite3_column_int(st, 2);
		op->folder_id = sqlite3_column_int64(st, 3);
		op->msg_id = sqlite3_column_int64(st, 4);
		op->uid = (uint32_t)sqlite3_column_int64(st, 5);
		op->key = db_col_strn(st, 6);
		op->args = db_col_strn(st, 7);
		op->state = (enum db_op_state)sqlite3_column_int(st, 8);
		op->error = db_col_strn(st, 9);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "queue");
}

static int
op_state(struct db *db, int64_t id, enum db_op_state state, const char *why,
    struct error *err)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, ST_OP_STATE, err)) == NULL)
		return -1;
	sqlite3_bind_int(st, 1, state);
	db_bind_str(st, 2, why);
	sqlite3_bind_int64(st, 3, id);
	return db_step_done(db, st, err, "queue update");
}

int
db_op_done(struct db *db, int64_t id, struct error *err)
{
	return op_state(db, id, DB_OP_DONE, NULL, err);
}

int
db_op_fail(struct db *db, int64_t id, const char *why, struct error *err)
{
	return op_state(db, id, DB_OP_FAILED, why, err);
}

int
db_op_pending(struct db *db, const char *account, size_t *n_r,
    struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db->sq, "SELECT count(*) FROM ops WHERE"
	    " state = 0 AND (?1 IS NULL OR account = ?1)", -1, &st, NULL) !=
	    SQLITE_OK)
		return db_fail(db, err, "queue count");
	db_bind_str(st, 1, account);
	rc = sqlite3_step(st);
	*n_r = rc == SQLITE_ROW ? (size_t)sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_fail(db, err, "queue count");
}

void
db_op_clear(struct db_op *op)
{
	free(op->account);
	free(op->key);
	free(op->args);
	free(op->error);
	memset(op, 0, sizeof(*op));
}
