/* cache: message bodies and local changes queued for the server. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache/cache_int.h"
#include "core/buf.h"
#include "core/xalloc.h"
#include "net/imap.h"

/* The message, its folder and its account index. */
struct where {
	struct db_msg m;
	struct db_folder f;
	size_t account;
};

static int
locate(struct cache *c, int64_t msg_id, struct where *w, struct error *err)
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
unlocate(struct where *w)
{
	db_msg_clear(&w->m);
	db_folder_clear(&w->f);
}

static int
open_maildir(struct cache *c, size_t i, struct maildir **md_r,
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
	struct maildir *md = NULL;
	struct where w;
	int rc;

	if (locate(c, msg_id, &w, err) < 0)
		return -1;
	if (w.m.key) {
		if ((rc = open_maildir(c, w.account, &md, err)) == 0) {
			rc = maildir_read(md, w.m.key, out, err);
			if (rc == 0)
				rc = error_set(err, "the message file was "
				    "removed from %s", maildir_path(md));
		}
		maildir_close(&md);
		unlocate(&w);
		return rc < 0 ? -1 : 1;
	}
	rc = bodies_load(c->bodies, w.f.account, w.f.name, w.f.uidvalidity,
	    w.m.uid, out, err);
	if (rc == 0 && worker_request(c, w.account, WORKER_FETCH,
	    w.f.id, msg_id, 0) < 0)
		rc = error_set(err, "the message is not downloaded yet and "
		    "account %s is offline", w.f.account);
	unlocate(&w);
	return rc;
}

/*
 * A change the server would not keep in folder f (what its last SELECT
 * said: [READ-ONLY], [PERMANENTFLAGS]) is refused here, before anything
 * changes, with the sentence the user sees: a change made here and
 * refused there would only be undone later.  flags: the MSG_* flags the
 * change sets or clears (MSG_DELETED for removing messages).
 */
static int
server_refuses(const struct db_folder *f, unsigned flags, struct error *err)
{
	static const struct { unsigned bit; const char *name; } names[] = {
		{ MSG_SEEN, "\\Seen" }, { MSG_ANSWERED, "\\Answered" },
		{ MSG_FLAGGED, "\\Flagged" }, { MSG_DELETED, "\\Deleted" },
		{ MSG_DRAFT, "\\Draft" },
	};
	struct buf kept = BUF_INIT;
	size_t i;

	if (f->readonly)
		return error_set(err, "%s is read-only on the server; nothing "
		    "was changed", f->name);
	if ((flags & f->noflags) == 0)
		return 0;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!(f->noflags & names[i].bit))
			buf_printf(&kept, "%s%s", kept.len ? " " : "",
			    names[i].name);
	if (kept.len == 0)
		error_set(err, "the server keeps no flags in %s; nothing was "
		    "changed", f->name);
	else
		error_set(err, "the server keeps only %s in %s; nothing was "
		    "changed", buf_cstr(&kept), f->name);
	buf_free(&kept);
	return -1;
}

static int
queue(struct cache *c, struct where *w, enum db_op_kind kind,
    int64_t msg_id, const char *args, struct error *err)
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
static void
changed(struct cache *c, size_t account, int64_t folder_id)
{
	cache_gen_bump(c, account, folder_id);
}

/* An IMAP message's new flags, and the change queued for the server,
 * inside the caller's transaction; nothing when nothing changes. */
static int
flags_row(struct cache *c, struct where *w, unsigned add, unsigned remove,
    struct error *err)
{
	unsigned flags = ((w->m.flags | add) & ~remove) & MSG_ALL_FLAGS;
	char args[32];

	if (flags == w->m.flags)
		return 0;
	if (server_refuses(&w->f, flags ^ w->m.flags, err) < 0)
		return -1;
	snprintf(args, sizeof(args), "%u %u", add & MSG_ALL_FLAGS,
	    remove & MSG_ALL_FLAGS);
	if (db_msg_set_flags(c->db, w->m.id, flags, err) < 0)
		return -1;
	return queue(c, w, DB_OP_FLAGS, w->m.id, args, err);
}

int
cache_set_flags(struct cache *c, int64_t msg_id, unsigned add,
    unsigned remove, struct error *err)
{
	struct maildir *md = NULL;
	struct where w;
	unsigned flags;
	int rc = -1;

	if (locate(c, msg_id, &w, err) < 0)
		return -1;
	flags = ((w.m.flags | add) & ~remove) & MSG_ALL_FLAGS;
	if (flags == w.m.flags) {
		/* Nothing to do, and still one generation, so that a caller
		 * whose view was old sees more than its own +1. */
		changed(c, w.account, w.f.id);
		unlocate(&w);
		return 0;
	}
	if (w.m.key) { /* POP3: the Maildir holds the flags; no server op */
		if (open_maildir(c, w.account, &md, err) == 0 &&
		    maildir_set_flags(md, w.m.key, flags, err) >= 0 &&
		    db_msg_set_flags(c->db, msg_id, flags, err) == 0)
			rc = 0;
		maildir_close(&md);
	} else {
		if (db_begin(c->db, err) == 0) {
			if (flags_row(c, &w, add, remove, err) == 0)
				rc = db_commit(c->db, err);
			else
				db_rollback(c->db);
		}
		if (rc == 0)
			worker_request(c, w.account, WORKER_OPS, 0, 0, 0);
	}
	changed(c, w.account, w.f.id); /* a failure may have done part */
	unlocate(&w);
	return rc;
}

/* POP3: the file goes; in keep mode the server copy is deleted by the
 * worker (the UIDL stays known, so nothing is downloaded again). */
static int
pop3_delete(struct cache *c, struct where *w, struct error *err)
{
	struct maildir *md = NULL;
	int rc = -1;

	if (open_maildir(c, w->account, &md, err) < 0)
		return -1;
	if (db_begin(c->db, err) == 0) {
		if (db_msg_delete(c->db, w->m.id, err) == 0 &&
		    (c->accounts[w->account].mode == ACCOUNT_MODE_DELETE ||
		    queue(c, w, DB_OP_DELETE, 0, NULL, err) == 0) &&
		    maildir_remove(md, w->m.key, err) >= 0)
			rc = db_commit(c->db, err);
		else
			db_rollback(c->db);
	}
	maildir_close(&md);
	return rc;
}

int
cache_delete(struct cache *c, int64_t msg_id, struct error *err)
{
	struct where w;
	int rc;

	if (locate(c, msg_id, &w, err) < 0)
		return -1;
	if (w.m.key) {
		rc = pop3_delete(c, &w, err);
		changed(c, w.account, w.f.id);
		if (rc == 0)
			worker_request(c, w.account, WORKER_OPS, 0, 0, 0);
		unlocate(&w);
		return rc;
	}
	unlocate(&w);
	return cache_set_flags(c, msg_id, MSG_DELETED, 0, err);
}

/* The destination must be a folder of w's account. */
static int
check_dest(struct cache *c, const struct where *w, int64_t dest, int copy,
    struct error *err)
{
	struct db_folder df;
	int got, same;

	if (w->m.key)
		return error_set(err, "a POP3 account has only its INBOX");
	if ((got = db_folder_get(c->db, dest, &df, err)) <= 0)
		return got < 0 ? -1 : error_set(err, "no such destination "
		    "folder in this account");
	same = strcmp(df.account, w->f.account) == 0;
	/* a move removes the message from its folder */
	if (same && (server_refuses(&df, 0, err) < 0 ||
	    (!copy && server_refuses(&w->f, MSG_DELETED, err) < 0))) {
		db_folder_clear(&df);
		return -1;
	}
	db_folder_clear(&df);
	return same ? 0 : error_set(err, "no such destination folder in "
	    "this account");
}

/* The local move or copy and its queued change, inside the caller's
 * transaction. */
static int
move_row(struct cache *c, struct where *w, int64_t dest, int copy,
    struct error *err)
{
	int64_t id = w->m.id;
	char args[32];

	snprintf(args, sizeof(args), "%" PRId64, dest);
	if (copy) { /* a local copy, UID unknown until the server answers */
		struct db_msg m = w->m;

		m.folder_id = dest;
		m.uid = 0;
		m.text = NULL;
		if (db_msg_insert(c->db, &m, err) < 0)
			return -1;
		id = m.id;
	} else if (db_msg_set_folder(c->db, id, dest, 0, err) < 0)
		return -1;
	return queue(c, w, copy ? DB_OP_COPY : DB_OP_MOVE, id, args, err);
}

static int
move_or_copy(struct cache *c, int64_t msg_id, int64_t dest, int copy,
    struct error *err)
{
	struct where w;
	int rc = -1;

	if (locate(c, msg_id, &w, err) < 0)
		return -1;
	if (check_dest(c, &w, dest, copy, err) < 0) {
		unlocate(&w);
		return -1;
	}
	if (db_begin(c->db, err) == 0) {
		if (move_row(c, &w, dest, copy, err) == 0)
			rc = db_commit(c->db, err);
		else
			db_rollback(c->db);
	}
	if (rc == 0) {
		changed(c, w.account, w.f.id);
		changed(c, w.account, dest);
		worker_request(c, w.account, WORKER_OPS, 0, 0, 0);
	}
	unlocate(&w);
	return rc;
}

/*
 * Many messages at once: on IMAP every local change and every queued
 * change in one transaction (all or none; the worker sends them as UID
 * sets, sync_imap_ops.c); POP3 one by one (the Maildir renames are not
 * transactional anyway).
 */
int
cache_bulk(struct cache *c, const int64_t *ids, size_t n,
    enum cache_bulk_op op, int64_t dest, struct error *err)
{
	static const unsigned add[] = { MSG_DELETED, 0, MSG_FLAGGED, 0,
	    MSG_SEEN, 0, 0, 0 };
	static const unsigned rem[] = { 0, MSG_DELETED, 0, MSG_FLAGGED,
	    0, MSG_SEEN, 0, 0 };
	struct where w;
	size_t i, account = SIZE_MAX;
	int64_t folder = 0;
	int rc = 0;

	if (n == 0)
		return 0;
	if (locate(c, ids[0], &w, err) < 0)
		return -1;
	account = w.account;
	folder = w.f.id;
	if (w.m.key) { /* POP3 */
		unlocate(&w);
		for (i = 0; i < n && rc == 0; i++)
			rc = op == CACHE_BULK_MOVE || op == CACHE_BULK_COPY ?
			    move_or_copy(c, ids[i], dest, op ==
			    CACHE_BULK_COPY, err) :
			    cache_set_flags(c, ids[i], add[op], rem[op], err);
		return rc;
	}
	if ((op == CACHE_BULK_MOVE || op == CACHE_BULK_COPY) &&
	    check_dest(c, &w, dest, op == CACHE_BULK_COPY, err) < 0) {
		unlocate(&w);
		return -1;
	}
	unlocate(&w);
	if (db_begin(c->db, err) < 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		if (locate(c, ids[i], &w, err) < 0) {
			rc = -1;
			break;
		}
		if (w.account != account || w.m.key)
			rc = error_set(err, "the messages are not all of one "
			    "IMAP account");
		else if (op == CACHE_BULK_MOVE || op == CACHE_BULK_COPY)
			rc = move_row(c, &w, dest, op == CACHE_BULK_COPY, err);
		else
			rc = flags_row(c, &w, add[op], rem[op], err);
		if (w.f.id != folder)
			changed(c, account, w.f.id);
		unlocate(&w);
	}
	if (rc == 0)
		rc = db_commit(c->db, err);
	else
		db_rollback(c->db);
	changed(c, account, folder);
	if (op == CACHE_BULK_MOVE || op == CACHE_BULK_COPY)
		changed(c, account, dest);
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
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

#define EXPUNGE_SET_MAX 4000 /* bytes of one UID set: lines stay short */

/*
 * Queues the expunge of these UIDs (sorted, as "a:b,c" sets of at most
 * EXPUNGE_SET_MAX bytes each): the worker sends UID EXPUNGE, so messages
 * another client marked \Deleted stay.  Messages without a UID (copies
 * not yet seen on the server) cannot be named and are left to it.
 */
static int
queue_expunge(struct cache *c, struct where *w, uint32_t *uids, size_t n,
    struct error *err)
{
	struct buf set = BUF_INIT;
	size_t i = 0, j;
	int rc = 0;

	qsort(uids, n, sizeof(*uids), cmp_u32);
	while (rc == 0 && i < n) {
		buf_reset(&set);
		while (i < n && set.len < EXPUNGE_SET_MAX) {
			for (j = i; j + 1 < n && uids[j + 1] <= uids[j] + 1; j++)
				;
			imap_uidset_add(&set, uids[i], uids[j]);
			i = j + 1;
		}
		rc = queue(c, w, DB_OP_EXPUNGE, 0, buf_cstr(&set), err);
	}
	buf_free(&set);
	return rc;
}

static int
expunge(struct cache *c, int64_t folder_id, const int64_t *only,
    size_t nonly, struct error *err)
{
	struct gather g = { NULL, NULL, 0, 0, 0, only, nonly };
	struct db_folder f;
	struct where w;
	size_t i, account = 0;
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
	account = i;
	if (db_msg_each(c->db, folder_id, gather_deleted, &g, err) < 0)
		goto out;
	if (g.n && server_refuses(&f, MSG_DELETED, err) < 0)
		goto out;
	if (c->accounts[account].protocol == CONFIG_POP3) {
		for (i = 0, rc = 0; i < g.n && rc == 0; i++)
			rc = cache_delete(c, g.ids[i], err);
		goto out;
	}
	if (db_begin(c->db, err) < 0)
		goto out;
	for (i = 0; i < g.n; i++)
		if (db_msg_delete(c->db, g.ids[i], err) < 0)
			break;
	memset(&w, 0, sizeof(w));
	w.f = f;
	if (i == g.n && queue_expunge(c, &w, g.uids, g.nuids, err) == 0)
		rc = db_commit(c->db, err);
	else
		db_rollback(c->db);
	if (rc == 0) {
		changed(c, account, folder_id);
		worker_request(c, account, WORKER_OPS, 0, 0, 0);
	}
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
