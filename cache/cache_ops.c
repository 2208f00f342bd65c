/*
 * cache: message bodies and local changes, the protocol-neutral front.
 * It finds the message and its account, checks what does not depend on
 * the protocol, and hands the change to the account's local store
 * (struct cache_local in cache/driver.h): the Maildir of a POP3 account,
 * or the IMAP index with its queue of changes for the server.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache/cache_int.h"
#include "core/buf.h"
#include "core/paths.h"
#include "core/xalloc.h"

char *
cache_maildir_path(struct cache *c, size_t i, struct error *err)
{
	const struct config_account *a = c->accounts[i].cfg;
	struct buf p = BUF_INIT;

	if (a->maildir)
		return xstrdup(a->maildir);
	buf_printf(&p, "%s/mail/", c->data_dir);
	paths_encode_component(&p, a->name);
	buf_addstr(&p, "/INBOX");
	return buf_detach(&p, NULL);
}

const struct cache_local *
cache_local_of(struct cache *c, size_t account, struct error *err)
{
	const struct cache_driver *d =
	    cache_driver_find(c->accounts[account].protocol);

	if (d == NULL) {
		error_set(err, "account %s: its protocol is not available",
		    c->accounts[account].name);
		return NULL;
	}
	return d->local;
}

/* The message, its folder and its account index. */
static int
locate(struct cache *c, int64_t msg_id, struct cache_msg_loc *w,
    struct error *err)
{
	size_t i;
	int rc;

	memset(w, 0, sizeof(*w));
	if ((rc = db_msg_get(c->db, msg_id, &w->m, err)) <= 0)
		return rc < 0 ? -1 : error_set(err, "the message is no longer "
		    "in the cache");
	if ((rc = db_folder_get(c->db, w->m.folder_id, &w->f, err)) <= 0) {
		db_msg_clear(&w->m);
		return rc < 0 ? -1 : error_set(err, "the message's folder is "
		    "gone");
	}
	for (i = 0; i < c->naccounts; i++)
		if (strcmp(c->accounts[i].name, w->f.account) == 0) {
			w->account = i;
			return 0;
		}
	db_msg_clear(&w->m);
	db_folder_clear(&w->f);
	return error_set(err, "the message belongs to an account that is no "
	    "longer configured");
}

static void
unlocate(struct cache_msg_loc *w)
{
	db_msg_clear(&w->m);
	db_folder_clear(&w->f);
}

int
cache_open_maildir(struct cache *c, size_t i, struct maildir **md_r,
    struct error *err)
{
	char *path = cache_maildir_path(c, i, err);
	int rc;

	if (path == NULL)
		return -1;
	rc = maildir_open(path, 0, md_r, err);
	free(path);
	return rc;
}

int
cache_message_raw(struct cache *c, int64_t msg_id, struct buf *out,
    struct error *err)
{
	const struct cache_local *l;
	struct cache_msg_loc w;
	int rc = -1;

	if (locate(c, msg_id, &w, err) < 0)
		return -1;
	if ((l = cache_local_of(c, w.account, err)) != NULL)
		rc = l->read(c, &w, out, err);
	unlocate(&w);
	return rc;
}

int
cache_op_queue(struct cache *c, const struct cache_msg_loc *w,
    enum db_op_kind kind, int64_t msg_id, const char *args,
    struct error *err)
{
	struct db_op op;

	memset(&op, 0, sizeof(op));
	op.account = w->f.account;
	op.kind = kind;
	op.folder_id = w->f.id;
	op.msg_id = msg_id;
	op.uid = w->m.uid;
	op.key = w->m.key;
	op.args = (char *)args;
	return db_op_add(c->db, &op, err);
}

/* The UI thread's own change: the generation says so (cache.h,
 * Generations); no event, since the UI made it and shows it. */
void
cache_changed(struct cache *c, size_t account, int64_t folder_id)
{
	cache_gen_bump(c, account, folder_id);
}

int
cache_set_flags(struct cache *c, int64_t msg_id, unsigned add,
    unsigned remove, struct error *err)
{
	const struct cache_local *l;
	struct cache_msg_loc w;
	unsigned flags;
	int rc = -1;

	if (locate(c, msg_id, &w, err) < 0)
		return -1;
	flags = ((w.m.flags | add) & ~remove) & MSG_ALL_FLAGS;
	if (flags == w.m.flags)
		rc = 0;
	else if ((l = cache_local_of(c, w.account, err)) != NULL)
		rc = l->set_flags(c, &w, flags, add, remove, err);
	/* One generation whatever happened: nothing to do, done, or a
	 * failure that may have done part; a caller whose view was old
	 * then sees more than its own +1 (cache.h, Generations). */
	cache_changed(c, w.account, w.f.id);
	unlocate(&w);
	return rc;
}

int
cache_delete(struct cache *c, int64_t msg_id, struct error *err)
{
	const struct cache_local *l;
	struct cache_msg_loc w;
	int rc;

	if (locate(c, msg_id, &w, err) < 0)
		return -1;
	if ((l = cache_local_of(c, w.account, err)) == NULL) {
		unlocate(&w);
		return -1;
	}
	if (l->remove) {
		rc = l->remove(c, &w, err);
		cache_changed(c, w.account, w.f.id);
		unlocate(&w);
		return rc;
	}
	unlocate(&w);
	return cache_set_flags(c, msg_id, MSG_DELETED, 0, err);
}

/* 0 when dest is a folder of w's account, else -1 with the sentence. */
static int
dest_in_account(struct cache *c, const struct cache_msg_loc *w, int64_t dest,
    struct error *err)
{
	struct db_folder df;
	int got, same;

	if ((got = db_folder_get(c->db, dest, &df, err)) < 0)
		return -1;
	same = got > 0 && strcmp(df.account, w->f.account) == 0;
	if (got > 0)
		db_folder_clear(&df);
	return same ? 0 : error_set(err, "no such destination folder in "
	    "this account");
}

static int
move_or_copy(struct cache *c, int64_t msg_id, int64_t dest, int copy,
    struct error *err)
{
	const struct cache_local *l;
	struct cache_msg_loc w;
	int rc = -1;

	if (locate(c, msg_id, &w, err) < 0)
		return -1;
	if ((l = cache_local_of(c, w.account, err)) == NULL)
		goto out;
	if (l->move == NULL) {
		error_set(err, "account %s keeps only its INBOX here",
		    w.f.account);
		goto out;
	}
	if (dest_in_account(c, &w, dest, err) == 0)
		rc = l->move(c, &w, dest, copy, err);
out:
	unlocate(&w);
	return rc;
}

/*
 * Many messages at once.  Where the store has a bulk_row (IMAP) every
 * local change and every queued change is one transaction, all or none,
 * and the worker sends them as UID sets; elsewhere (the Maildir, whose
 * renames are not transactional anyway) one message at a time.
 */
int
cache_bulk(struct cache *c, const int64_t *ids, size_t n,
    enum cache_bulk_op op, int64_t dest, struct error *err)
{
	static const unsigned add[] = { MSG_DELETED, 0, MSG_FLAGGED, 0,
	    MSG_SEEN, 0, 0, 0 };
	static const unsigned rem[] = { 0, MSG_DELETED, 0, MSG_FLAGGED,
	    0, MSG_SEEN, 0, 0 };
	const struct cache_local *l;
	struct cache_msg_loc w;
	size_t i, account;
	int64_t folder;
	int rc = 0, moving = op == CACHE_BULK_MOVE ||
	    op == CACHE_BULK_COPY, copy = op == CACHE_BULK_COPY;

	if (n == 0)
		return 0;
	if (locate(c, ids[0], &w, err) < 0)
		return -1;
	account = w.account;
	folder = w.f.id;
	l = cache_local_of(c, account, err);
	if (l != NULL && moving && dest_in_account(c, &w, dest, err) < 0)
		l = NULL;
	unlocate(&w);
	if (l == NULL)
		return -1;
	if (l->bulk_row == NULL) {
		for (i = 0; i < n && rc == 0; i++)
			rc = moving ? move_or_copy(c, ids[i], dest, copy, err) :
			    cache_set_flags(c, ids[i], add[op], rem[op], err);
		return rc;
	}
	if (db_begin(c->db, err) < 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		if (locate(c, ids[i], &w, err) < 0) {
			rc = -1;
			break;
		}
		if (w.account != account)
			rc = error_set(err, "the messages are not all of one "
			    "account");
		else
			rc = l->bulk_row(c, &w, add[op], rem[op],
			    moving ? dest : 0, copy, err);
		if (w.f.id != folder)
			cache_changed(c, account, w.f.id);
		unlocate(&w);
	}
	if (rc == 0)
		rc = db_commit(c->db, err);
	else
		db_rollback(c->db);
	cache_changed(c, account, folder);
	if (moving)
		cache_changed(c, account, dest);
	if (rc == 0)
		worker_request(c, account, WORKER_OPS, 0, 0, 0);
	return rc;
}

int
cache_move(struct cache *c, int64_t msg_id, int64_t dest, struct error *err)
{
	return move_or_copy(c, msg_id, dest, 0, err);
}

int
cache_copy(struct cache *c, int64_t msg_id, int64_t dest, struct error *err)
{
	return move_or_copy(c, msg_id, dest, 1, err);
}

struct gather {
	int64_t *ids;
	uint32_t *uids; /* of those with one, for UID EXPUNGE */
	size_t n, nuids, cap;
	const int64_t *only; /* sorted: gather only these, if not NULL */
	size_t nonly;
};

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int
gather_deleted(void *arg, int64_t id, uint32_t uid, const char *key,
    unsigned flags, struct error *err)
{
	struct gather *g = arg;

	(void)key;
	(void)err;
	if ((flags & MSG_DELETED) && (g->only == NULL || (g->nonly &&
	    bsearch(&id, g->only, g->nonly, sizeof(id), cmp_i64)))) {
		if (g->n == g->cap) {
			g->cap = g->cap ? g->cap * 2 : 64;
			g->ids = xreallocarray(g->ids, g->cap, sizeof(*g->ids));
			g->uids = xreallocarray(g->uids, g->cap,
			    sizeof(*g->uids));
		}
		g->ids[g->n++] = id;
		if (uid)
			g->uids[g->nuids++] = uid;
	}
	return 0;
}

static int
expunge(struct cache *c, int64_t folder_id, const int64_t *only,
    size_t nonly, struct error *err)
{
	struct gather g = { NULL, NULL, 0, 0, 0, only, nonly };
	const struct cache_local *l;
	struct db_folder f;
	size_t i;
	int rc = -1, got;

	if ((got = db_folder_get(c->db, folder_id, &f, err)) <= 0)
		return got < 0 ? -1 : error_set(err, "no such folder");
	for (i = 0; i < c->naccounts; i++)
		if (strcmp(c->accounts[i].name, f.account) == 0)
			break;
	if (i == c->naccounts) {
		error_set(err, "the folder belongs to an account that is no "
		    "longer configured");
		goto out;
	}
	if ((l = cache_local_of(c, i, err)) != NULL &&
	    db_msg_each(c->db, folder_id, gather_deleted, &g, err) == 0)
		rc = l->expunge(c, i, &f, g.ids, g.n, g.uids, g.nuids, err);
out:
	free(g.ids);
	free(g.uids);
	db_folder_clear(&f);
	return rc;
}

int
cache_expunge(struct cache *c, int64_t folder_id, struct error *err)
{
	return expunge(c, folder_id, NULL, 0, err);
}

int
cache_expunge_ids(struct cache *c, int64_t folder_id, const int64_t *ids,
    size_t n, struct error *err)
{
	int64_t *sorted = xreallocarray(NULL, n ? n : 1, sizeof(*sorted));
	int rc;

	if (n)
		memcpy(sorted, ids, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_i64);
	rc = expunge(c, folder_id, sorted, n, err);
	free(sorted);
	return rc;
}
