/*
 * local_imap: the local-store side of the IMAP driver (cache/driver.h,
 * struct cache_local).  The server holds the messages; here are the
 * index, the body cache (cache/bodies.h) and the queue of changes
 * (db_op_add), which the worker replays (replay_op).  A change applies to
 * the index and is queued in one transaction, so it is never lost and
 * never applied twice.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "cache/cache_int.h"
#include "cache/worker_int.h"
#include "core/paths.h"
#include "net/imap.h"

static int
im_read(struct cache *c, const struct cache_msg_loc *w, struct buf *out,
    struct error *err)
{
	int rc;

	rc = bodies_load(c->bodies, w->f.account, w->f.name, w->f.uidvalidity,
	    w->m.uid, out, err);
	if (rc == 0 && worker_request(c, w->account, WORKER_FETCH, w->f.id,
	    w->m.id, 0) < 0)
		rc = error_set(err, "the message is not downloaded yet and "
		    "account %s is offline", w->f.account);
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

/* An IMAP message's new flags, and the change queued for the server,
 * inside the caller's transaction. */
static int
flags_row(struct cache *c, const struct cache_msg_loc *w, unsigned flags,
    unsigned add, unsigned remove, struct error *err)
{
	char args[32];

	if (server_refuses(&w->f, flags ^ w->m.flags, err) < 0)
		return -1;
	snprintf(args, sizeof(args), "%u %u", add & MSG_ALL_FLAGS,
	    remove & MSG_ALL_FLAGS);
	if (db_msg_set_flags(c->db, w->m.id, flags, err) < 0)
		return -1;
	return cache_op_queue(c, w, DB_OP_FLAGS, w->m.id, args, err);
}

static int
im_set_flags(struct cache *c, const struct cache_msg_loc *w, unsigned flags,
    unsigned add, unsigned remove, struct error *err)
{
	int rc = -1;

	if (db_begin(c->db, err) == 0) {
		if (flags_row(c, w, flags, add, remove, err) == 0)
			rc = db_commit(c->db, err);
		else
			db_rollback(c->db);
	}
	if (rc == 0) /* cache_set_flags() moves the generation */
		worker_request(c, w->account, WORKER_OPS, 0, 0, 0);
	return rc;
}

/* The local move or copy to dest and its queued change, inside the
 * caller's transaction; refused first when the server would not keep
 * it. */
static int
move_row(struct cache *c, const struct cache_msg_loc *w, int64_t dest,
    int copy, struct error *err)
{
	struct db_folder df;
	char args[32];
	int64_t id = w->m.id;
	int got;

	if ((got = db_folder_get(c->db, dest, &df, err)) <= 0)
		return got < 0 ? -1 : error_set(err, "no such destination "
		    "folder in this account");
	/* a move removes the message from its folder */
	got = server_refuses(&df, 0, err) < 0 ||
	    (df.noinsert && error_set(err, "the server takes no messages "
	    "into %s; nothing was changed", df.name) < 0) ||
	    (!copy && server_refuses(&w->f, MSG_DELETED, err) < 0);
	db_folder_clear(&df);
	if (got)
		return -1;
	snprintf(args, sizeof(args), "%" PRId64, dest);
	if (copy) { /* a local copy, UID unknown until the server answers */
		struct db_msg m = w->m;

		m.folder_id = dest;
		m.uid = 0;
		m.text = NULL;
		if (db_msg_insert(c->db, &m, err) < 0)
			return -1;
		id = m.id;
	} else if (db_msg_set_folder(c->db, w->m.id, dest, 0, err) < 0)
		return -1;
	return cache_op_queue(c, w, copy ? DB_OP_COPY : DB_OP_MOVE, id, args,
	    err);
}

static int
im_move(struct cache *c, const struct cache_msg_loc *w, int64_t dest,
    int copy, struct error *err)
{
	int rc = -1;

	if (db_begin(c->db, err) < 0)
		return -1;
	if (move_row(c, w, dest, copy, err) == 0)
		rc = db_commit(c->db, err);
	else
		db_rollback(c->db);
	if (rc == 0) {
		cache_changed(c, w->account, w->f.id);
		cache_changed(c, w->account, dest);
		worker_request(c, w->account, WORKER_OPS, 0, 0, 0);
	}
	return rc;
}

/* One message of a bulk change, in cache_bulk()'s transaction: all of
 * it is queued or none, and the worker sends the run as UID sets
 * (replay_group in sync_imap_ops.c). */
static int
im_bulk_row(struct cache *c, const struct cache_msg_loc *w, unsigned add,
    unsigned remove, int64_t dest, int copy, struct error *err)
{
	unsigned flags = ((w->m.flags | add) & ~remove) & MSG_ALL_FLAGS;

	if (dest)
		return move_row(c, w, dest, copy, err);
	if (flags == w->m.flags)
		return 0;
	return flags_row(c, w, flags, add, remove, err);
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
queue_expunge(struct cache *c, struct cache_msg_loc *w, uint32_t *uids,
    size_t n, struct error *err)
{
	struct buf set = BUF_INIT;
	size_t i = 0, j;
	int rc = 0;

	if (n > 1) /* uids may be NULL when none has a UID */
		qsort(uids, n, sizeof(*uids), cmp_u32);
	while (rc == 0 && i < n) {
		buf_reset(&set);
		while (i < n && set.len < EXPUNGE_SET_MAX) {
			for (j = i; j + 1 < n && uids[j + 1] <= uids[j] + 1; j++)
				;
			imap_uidset_add(&set, uids[i], uids[j]);
			i = j + 1;
		}
		rc = cache_op_queue(c, w, DB_OP_EXPUNGE, 0, buf_cstr(&set), err);
	}
	buf_free(&set);
	return rc;
}

static int
im_expunge(struct cache *c, size_t account, const struct db_folder *f,
    const int64_t *ids, size_t n, uint32_t *uids, size_t nuids,
    struct error *err)
{
	struct cache_msg_loc w;
	size_t i;
	int rc = -1;

	if (n && server_refuses(f, MSG_DELETED, err) < 0)
		return -1;
	if (db_begin(c->db, err) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (db_msg_delete(c->db, ids[i], err) < 0)
			break;
	memset(&w, 0, sizeof(w));
	w.f = *f;
	w.account = account;
	if (i == n && queue_expunge(c, &w, uids, nuids, err) == 0)
		rc = db_commit(c->db, err);
	else
		db_rollback(c->db);
	if (rc == 0) {
		cache_changed(c, account, f->id);
		worker_request(c, account, WORKER_OPS, 0, 0, 0);
	}
	return rc;
}

/* Kept on disk, then an APPEND queued like every change. */
static int
im_save_draft(struct cache *c, size_t i, const char *raw, size_t len,
    struct error *err)
{
	const struct config_account *a = c->accounts[i].cfg;
	struct buf path = BUF_INIT;
	struct db_op op;
	unsigned char rnd[8];
	int64_t fid;
	size_t k;
	int rc = -1;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return error_errno(err, errno, "cannot name the draft");
	buf_printf(&path, "%s/copies", c->data_dir);
	if (paths_mkdir_below(c->data_dir, buf_cstr(&path), err) < 0)
		goto out;
	buf_addstr(&path, "/draft-");
	for (k = 0; k < sizeof(rnd); k++)
		buf_printf(&path, "%02x", rnd[k]);
	buf_addstr(&path, ".eml");
	if (paths_write_atomic(buf_cstr(&path), raw, len, err) < 0 ||
	    cache_role_folder(c->db, a->name, a->drafts_folder,
	    FOLDER_ROLE_DRAFTS, &fid, err) < 0)
		goto out;
	memset(&op, 0, sizeof(op));
	op.account = (char *)a->name;
	op.kind = DB_OP_APPEND;
	op.folder_id = fid;
	op.uid = IMAP_FLAG_DRAFT | IMAP_FLAG_SEEN;
	op.args = (char *)buf_cstr(&path);
	if (db_op_add(c->db, &op, err) < 0) {
		(void)unlink(buf_cstr(&path));
		goto out;
	}
	worker_request(c, i, WORKER_OPS, 0, 0, 0);
	rc = 0;
out:
	buf_free(&path);
	return rc;
}

static enum cache_delete_outcome
im_delete_outcome(const struct account *a)
{
	(void)a;
	return CACHE_DELETE_SERVER;
}

/* The Sent copy is an APPEND queued like every change.  Its bytes are a
 * hard link of the outbox file, so they are on disk once and stay when
 * the outbox name goes. */
static int
im_keep_sent(struct cache_sync_ctx *ctx, const char *outbox_path,
    const char *raw, size_t len, struct error *err)
{
	const struct config_account *a = ctx->acct->cfg;
	const char *data = ctx->w->c->data_dir;
	const char *base = strrchr(outbox_path, '/');
	struct buf to = BUF_INIT;
	struct db_op op;
	int64_t fid;
	int rc = -1;

	(void)raw;
	(void)len;
	buf_printf(&to, "%s/sent-copies", data);
	/* Inside the data folder: no link followed. */
	if (paths_mkdir_below(data, buf_cstr(&to), err) < 0)
		goto out;
	buf_addstr(&to, base ? base : "/");
	if (base == NULL || base[1] == '\0') {
		error_set(err, "cannot keep the Sent copy: no outbox file");
		goto out;
	}
	if (link(outbox_path, buf_cstr(&to)) < 0 && errno != EEXIST) {
		error_errno(err, errno, "cannot keep the Sent copy");
		goto out;
	}
	memset(&op, 0, sizeof(op));
	op.account = (char *)a->name;
	op.kind = DB_OP_APPEND;
	op.args = (char *)buf_cstr(&to);
	if (cache_role_folder(ctx->db, a->name, a->sent_folder,
	    FOLDER_ROLE_SENT, &fid, err) < 0)
		goto out;
	op.folder_id = fid;
	rc = db_op_add(ctx->db, &op, err);
out:
	buf_free(&to);
	return rc;
}

const struct cache_local cache_local_imap = {
	NULL, /* nothing to open: the body cache is made on demand */
	NULL,
	im_read,
	im_set_flags,
	NULL, /* deleting marks \Deleted; the expunge removes */
	im_move,
	im_bulk_row,
	im_expunge,
	im_save_draft,
	im_keep_sent,
	im_delete_outcome,
	cache_folder_request, /* the server acts first */
};
