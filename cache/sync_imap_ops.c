/*
 * sync_imap_ops: the IMAP driver's bodies and queued operations (see
 * sync_imap.c for the sync itself, sync_imap_idle.c for IDLE and logout).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache/bodies.h"
#include "cache/sync_imap.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/xalloc.h"

#define BODY_MAX ((uint64_t)1 << 30)
/* Reserved at once for a body: the size is the server's word, so more
 * only as the bytes come. */
#define BODY_RESERVE ((uint64_t)1 << 20)

static int
body_sink(void *arg, uint64_t size, uint64_t offset, const void *data,
    size_t len)
{
	struct buf *b = arg;

	(void)offset;
	if (size > BODY_MAX)
		return -1;
	if (b->len == 0 && size > 0)
		buf_grow(b, (size_t)(size < BODY_RESERVE ? size :
		    BODY_RESERVE));
	buf_add(b, data, len);
	return 0;
}

int
si_dead(struct cache_sync_ctx *ctx, struct si *s)
{
	if (s->imap && imap_alive(s->imap))
		return 0;
	si_drop(ctx, s);
	return 1;
}

int
si_fetch_body(struct cache_sync_ctx *ctx, int64_t msg_id, struct error *err)
{
	struct buf b = BUF_INIT;
	struct db_msg m;
	struct si *s;
	uint64_t size = 0;
	int rc;

	if ((rc = db_msg_get(cache_sync_db(ctx), msg_id, &m, err)) <= 0)
		return rc < 0 ? -1 : error_set(err, "the message is gone");
	rc = -1;
	if (m.uid == 0) {
		error_set(err, "the message is not on the server yet");
		goto out;
	}
	if (si_session(ctx, &s, err) < 0)
		goto out;
	if (si_select_id(ctx, s, m.folder_id, err) < 0 ||
	    imap_fetch_body(s->imap, m.uid, "", 0, 0, body_sink, &b, &size,
	    err) < 0) {
		si_dead(ctx, s);
		goto out;
	}
	rc = cache_sync_store_body(ctx, msg_id, b.len ? b.data : "", b.len,
	    err);
out:
	buf_free(&b);
	db_msg_clear(&m);
	return rc;
}

struct ids {
	int64_t *v;
	size_t n, cap;
};

static int
ids_add(void *arg, int64_t id, uint32_t uid, const char *key,
    unsigned flags, struct error *err)
{
	struct ids *x = arg;

	(void)key;
	(void)flags;
	(void)err;
	if (uid == 0)
		return 0;
	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 256;
		x->v = xreallocarray(x->v, x->cap, sizeof(*x->v));
	}
	x->v[x->n++] = id;
	return 0;
}

int
si_fetch_bodies(struct cache_sync_ctx *ctx, struct si *s, int64_t fid,
    struct error *err)
{
	struct db *db = cache_sync_db(ctx);
	struct db_folder *f = si_folder(s, fid);
	struct ids x = { NULL, 0, 0 };
	struct buf b = BUF_INIT;
	struct db_msg m;
	char label[64];
	uint64_t size, bytes = 0;
	size_t i;
	int rc = -1, got;

	if (f == NULL || f->noselect)
		return 0;
	if (db_msg_each(db, fid, ids_add, &x, err) < 0)
		return -1;
	snprintf(label, sizeof(label), "bodies %s", f->name);
	for (i = 0; i < x.n; i++) {
		if ((got = db_msg_get(db, x.v[i], &m, err)) < 0)
			goto out;
		if (got == 0)
			continue;
		buf_reset(&b);
		got = bodies_load(cache_sync_bodies(ctx), f->account, f->name,
		    f->uidvalidity, m.uid, &b, err);
		if (got == 0) {
			buf_reset(&b);
			if (si_select_id(ctx, s, fid, err) < 0 ||
			    imap_fetch_body(s->imap, m.uid, "", 0, 0, body_sink,
			    &b, &size, err) < 0) {
				db_msg_clear(&m);
				if (!si_dead(ctx, s)) { /* gone meanwhile */
					error_clear(err);
					continue;
				}
				goto out;
			}
			got = cache_sync_store_body(ctx, x.v[i],
			    b.len ? b.data : "", b.len, err);
			bytes += b.len;
		}
		db_msg_clear(&m);
		if (got < 0)
			goto out;
		cache_sync_progress(ctx, label, i + 1, x.n, bytes);
		if (i + 1 < x.n && cache_sync_interrupted(ctx)) {
			rc = 1;
			goto out;
		}
	}
	rc = 0;
out:
	buf_free(&b);
	free(x.v);
	return rc;
}

static int
folder_name(struct cache_sync_ctx *ctx, struct si *s, int64_t fid,
    char **name_r, struct error *err)
{
	struct db_folder f, *fp = si_folder(s, fid);
	int rc;

	if (fp) {
		*name_r = xstrdup(fp->name);
		return 0;
	}
	if ((rc = db_folder_get(cache_sync_db(ctx), fid, &f, err)) <= 0)
		return rc < 0 ? -1 : error_set(err, "the folder is gone");
	*name_r = xstrdup(f.name);
	db_folder_clear(&f);
	return 0;
}

/*
 * Records a copy's or move's new UID in the destination; a record the
 * server's copy already got (synced meanwhile) makes the local one
 * redundant.  Unknown UID: a placeholder the next sync replaces.
 */
static int
record_dest(struct cache_sync_ctx *ctx, struct si *s, int64_t msg_id,
    int64_t dest, const char *uids, struct error *err)
{
	struct db *db = cache_sync_db(ctx);
	unsigned long uid = 0;
	int64_t other;
	int got;

	if (uids && strchr(uids, ',') == NULL && strchr(uids, ':') == NULL)
		uid = strtoul(uids, NULL, 10);
	if (uid == 0 || uid > UINT32_MAX) {
		s->placeholders = 1;
		return db_msg_set_folder(db, msg_id, dest, 0, err);
	}
	if ((got = db_msg_find_uid(db, dest, (uint32_t)uid, &other, err)) < 0)
		return -1;
	if (got && other != msg_id)
		return db_msg_delete(db, msg_id, err);
	return db_msg_set_folder(db, msg_id, dest, (uint32_t)uid, err);
}

/* Marks op done, with local (may be NULL) in the same transaction. */
static int
op_done(struct cache_sync_ctx *ctx, struct si *s, int64_t op_id,
    int64_t msg_id, int64_t dest, const char *uids, struct error *err)
{
	struct db *db = cache_sync_db(ctx);

	if (db_begin(db, err) < 0)
		return -1;
	if ((dest && record_dest(ctx, s, msg_id, dest, uids, err) < 0) ||
	    db_op_done(db, op_id, err) < 0 || db_commit(db, err) < 0) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

/* --- refused changes (doc/HACKING.md, Data flow of a sync) --- */

/* The MSG_* flags op sets or clears on the server (MSG_DELETED for what
 * removes a message from its folder). */
static unsigned
op_touches(const struct db_op *op)
{
	unsigned add = 0, rem = 0;

	switch (op->kind) {
	case DB_OP_FLAGS:
		if (op->args && sscanf(op->args, "%u %u", &add, &rem) == 2)
			return (add | rem) & MSG_ALL_FLAGS;
		return 0;
	case DB_OP_DELETE:
	case DB_OP_EXPUNGE:
	case DB_OP_MOVE:
		return MSG_DELETED;
	default:
		return 0;
	}
}

/*
 * 1 (err set) if the selected folder's SELECT said the server does not
 * keep what op changes ([READ-ONLY], [PERMANENTFLAGS]).  Such a change
 * is not sent: some servers refuse it, others (Dovecot with ACLs) answer
 * OK and keep nothing, and either way the cache would differ from the
 * server.
 */
static int
not_kept(const struct si *s, const struct db_op *op, struct error *err)
{
	if (s->sel_readonly && op->kind != DB_OP_COPY &&
	    op->kind != DB_OP_APPEND) {
		error_set(err, "the folder is read-only on the server");
		return 1;
	}
	if ((op_touches(op) & s->sel_noflags) == 0)
		return 0;
	if (s->sel_noflags == (MSG_ALL_FLAGS & ~MSG_SEEN))
		error_set(err, "it keeps only \\Seen there");
	else
		error_set(err, "it does not keep that flag there");
	return 1;
}

/*
 * The server refused op (why): its local effect goes back, the user is
 * told in one sentence, and its folder is synced whole at its next sync
 * (which the worker runs next), so the flags the server kept come back
 * and so do the messages removed here; a HIGHESTMODSEQ that did not move
 * would otherwise hide the difference for ever.  A move or copy whose
 * record has no UID in the destination yet goes back at once.
 * The sentence speaks of n messages: a refused bulk change is one thing
 * the user did, so the user hears of it once, not once per message
 * (refuse_all); n == 0 undoes without a word.
 */
static void
undo(struct cache_sync_ctx *ctx, struct si *s, const struct db_op *op,
    const char *why, size_t n)
{
	/* what the change does: before, the messages, after */
	static const struct { const char *pre, *post; int counted; } what[] = {
		[DB_OP_FLAGS] = { "change the flags of ", "", 1 },
		[DB_OP_DELETE] = { "mark ", " deleted", 1 },
		[DB_OP_EXPUNGE] = { "remove the deleted messages", "", 0 },
		[DB_OP_MOVE] = { "move ", "", 1 },
		[DB_OP_COPY] = { "copy ", "", 1 },
		[DB_OP_APPEND] = { "store the Sent copy", "", 0 },
	};
	struct db *db = cache_sync_db(ctx);
	struct error e;
	struct db_msg m;
	char *name = NULL, *dname = NULL, text[ERROR_MAX], count[32];
	char act[96];
	int64_t dest = 0;

	error_clear(&e);
	if ((op->kind == DB_OP_MOVE || op->kind == DB_OP_COPY) &&
	    op->args && sscanf(op->args, "%" SCNd64, &dest) == 1 &&
	    op->msg_id && db_msg_get(db, op->msg_id, &m, &e) > 0) {
		if (m.uid == 0 && m.folder_id == dest &&
		    (op->kind == DB_OP_COPY || op->uid == 0 ?
		    db_msg_delete(db, op->msg_id, &e) :
		    db_msg_set_folder(db, op->msg_id, op->folder_id, op->uid,
		    &e)) < 0)
			log_warn("%s", e.msg);
		db_msg_clear(&m);
		cache_sync_folder_changed(ctx, dest);
	}
	error_clear(&e);
	if (si_resync_mark(ctx, s, op->folder_id, &e) < 0)
		log_warn("%s", e.msg);
	cache_sync_folder_changed(ctx, op->folder_id);
	if (n == 0)
		return;
	error_clear(&e);
	if (folder_name(ctx, s, op->folder_id, &name, &e) < 0)
		name = xstrdup("its folder");
	if (dest && folder_name(ctx, s, dest, &dname, &e) < 0)
		dname = NULL;
	if (n == 1)
		snprintf(count, sizeof(count), "a message");
	else
		snprintf(count, sizeof(count), "%zu messages", n);
	if ((size_t)op->kind < sizeof(what) / sizeof(what[0]) &&
	    what[op->kind].pre)
		snprintf(act, sizeof(act), "%s%s%s", what[op->kind].pre,
		    what[op->kind].counted ? count : "", what[op->kind].post);
	else
		snprintf(act, sizeof(act), "make a change");
	snprintf(text, sizeof(text), "The server refused to %s%s%s %s %s "
	    "(%s); the change%s undone.", act, dname ? " to " : "",
	    dname ? dname : "", dname ? "from" : "in", name, why && *why ?
	    why : "no reason given", n > 1 ? "s were" : " was");
	cache_sync_refused(ctx, op->folder_id, text);
	free(name);
	free(dname);
}

/* The op as a STORE request (FLAGS, DELETE); 0 if it is none. */
static int
as_store(const struct db_op *op, struct imap_req *r, char *set,
    size_t setsize)
{
	unsigned add = 0, rem = 0;

	memset(r, 0, sizeof(*r));
	if (op->uid == 0)
		return 0;
	if (op->kind == DB_OP_DELETE)
		add = MSG_DELETED;
	else if (op->kind != DB_OP_FLAGS || op->args == NULL ||
	    sscanf(op->args, "%u %u", &add, &rem) != 2 || (add && rem))
		return 0; /* both ways: two requests, done one at a time */
	if (add == 0 && rem == 0)
		return 0;
	snprintf(set, setsize, "%u", op->uid);
	r->kind = IMAP_REQ_STORE;
	r->uidset = set;
	r->add = add != 0;
	r->flags = si_imap_flags(add ? add : rem);
	return 1;
}

#define BATCH 64

/*
 * FLAGS/DELETE ops on one folder are pipelined: op and the pending ops
 * after it on the same folder (up to BATCH) go in one imap_batch; each
 * confirmed one is marked done, each refused one failed, so the worker
 * skips them.  Returns op's own result like replay_op.
 */
static int
replay_stores(struct cache_sync_ctx *ctx, struct si *s, const struct db_op *op,
    struct error *err)
{
	struct db *db = cache_sync_db(ctx);
	const char *acct = cache_sync_account(ctx)->name;
	struct imap_req reqs[BATCH];
	char sets[BATCH][16];
	int64_t ids[BATCH], after = op->id;
	struct db_op next, kinds[BATCH]; /* (without their strings) */
	struct error scratch;
	size_t n = 0, i;
	int rc = 0;

	as_store(op, &reqs[0], sets[0], sizeof(sets[0]));
	ids[n] = op->id;
	kinds[n++] = *op;
	while (n < BATCH && db_op_next(db, acct, after, &next, err) == 1) {
		after = next.id;
		if (next.folder_id != op->folder_id ||
		    !as_store(&next, &reqs[n], sets[n], sizeof(sets[n]))) {
			db_op_clear(&next);
			break;
		}
		if (not_kept(s, &next, &scratch)) { /* not sent */
			db_op_fail(db, next.id, scratch.msg, NULL);
			undo(ctx, s, &next, scratch.msg, 1);
			db_op_clear(&next);
			continue;
		}
		ids[n] = next.id;
		kinds[n] = next;
		kinds[n].account = kinds[n].key = kinds[n].args = NULL;
		n++;
		db_op_clear(&next);
	}
	error_clear(err);
	if (imap_batch(s->imap, reqs, n, err) < 0) {
		si_drop(ctx, s);
		return 1; /* offline: every one stays pending */
	}
	for (i = 0; i < n; i++) {
		if (reqs[i].result < 0) {
			if (i == 0) {
				*err = reqs[i].err;
				rc = -1;
			} else {
				db_op_fail(db, ids[i], reqs[i].err.msg, NULL);
				undo(ctx, s, &kinds[i], reqs[i].err.msg, 1);
			}
			continue;
		}
		if (op_done(ctx, s, ids[i], 0, 0, NULL, err) < 0)
			return i == 0 ? 1 : rc;
	}
	return rc;
}

/*
 * Bulk changes (the tagged messages, cache_bulk): the pending ops after
 * op that do the same (kind, folder, arguments) to other messages go out
 * as one command with a UID set, at most GROUP_MAX messages each, so the
 * line stays under the server's limit (Dovecot: 64 KiB) even when the
 * UIDs have no runs.  All confirmed or all refused together.
 */
#define GROUP_MAX 5000

struct group {
	int64_t *op, *msg;
	uint32_t *uid;
	size_t n;
};

static void
group_add(struct group *g, const struct db_op *op)
{
	g->op[g->n] = op->id;
	g->msg[g->n] = op->msg_id;
	g->uid[g->n++] = op->uid;
}

static int
same_change(const struct db_op *a, const struct db_op *b)
{
	return a->kind == b->kind && a->folder_id == b->folder_id &&
	    b->uid != 0 && ((a->args == NULL && b->args == NULL) ||
	    (a->args && b->args && strcmp(a->args, b->args) == 0));
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The server refused op's change (why) for a group: op and every pending
 * op after it doing the same (the rest of a bulk action larger than one
 * command, which the server would refuse alike) are undone, and the user
 * hears one sentence for them all, not one per message.  op's own
 * failure: the caller.
 */
static void
refuse_all(struct cache_sync_ctx *ctx, struct si *s, const struct db_op *op,
    const char *why)
{
	struct db *db = cache_sync_db(ctx);
	const char *acct = cache_sync_account(ctx)->name;
	struct db_op next;
	int64_t after = op->id;
	size_t n = 1;

	while (db_op_next(db, acct, after, &next, NULL) == 1) {
		after = next.id;
		if (!same_change(op, &next)) {
			db_op_clear(&next);
			break;
		}
		db_op_fail(db, next.id, why, NULL);
		undo(ctx, s, &next, why, 0);
		db_op_clear(&next);
		n++;
	}
	undo(ctx, s, op, why, n);
}

/* op and the pending ops like it, their UIDs as a set in *set. */
static int
group_collect(struct cache_sync_ctx *ctx, const struct db_op *op,
    struct group *g, struct buf *set, struct error *err)
{
	struct db *db = cache_sync_db(ctx);
	const char *acct = cache_sync_account(ctx)->name;
	struct db_op next;
	uint32_t *sorted;
	int64_t after = op->id;
	size_t i, j;
	int got;

	g->op = xreallocarray(NULL, GROUP_MAX, sizeof(*g->op));
	g->msg = xreallocarray(NULL, GROUP_MAX, sizeof(*g->msg));
	g->uid = xreallocarray(NULL, GROUP_MAX, sizeof(*g->uid));
	g->n = 0;
	group_add(g, op);
	while (g->n < GROUP_MAX && (got = db_op_next(db, acct, after, &next,
	    err)) == 1) {
		after = next.id;
		if (!same_change(op, &next)) {
			db_op_clear(&next);
			break;
		}
		group_add(g, &next);
		db_op_clear(&next);
	}
	error_clear(err);
	sorted = xreallocarray(NULL, g->n, sizeof(*sorted));
	memcpy(sorted, g->uid, g->n * sizeof(*sorted));
	qsort(sorted, g->n, sizeof(*sorted), cmp_u32);
	for (i = 0; i < g->n; i = j + 1) {
		for (j = i; j + 1 < g->n && sorted[j + 1] <= sorted[j] + 1; j++)
			;
		imap_uidset_add(set, sorted[i], sorted[j]);
	}
	free(sorted);
	return 0;
}

static void
group_free(struct group *g)
{
	free(g->op);
	free(g->msg);
	free(g->uid);
}

/*
 * The group as one UID STORE or UID MOVE/COPY: 1 offline (all wait),
 * 0 confirmed, -2 refused (every op of the group failed, so the next
 * sync shows the server's state for all of them, not for some; all are
 * undone here and the user told once, so the caller does not undo op).
 * Moves and copies record placeholders in dest, which the next sync of
 * dest replaces with the server's records.
 */
static int
replay_group(struct cache_sync_ctx *ctx, struct si *s, const struct db_op *op,
    int64_t dest, const char *dest_name, struct error *err)
{
	struct db *db = cache_sync_db(ctx);
	struct group g;
	struct buf set = BUF_INIT;
	unsigned add = 0, rem = 0;
	size_t i;
	int rc;

	group_collect(ctx, op, &g, &set, err);
	log_debug("%s: one command for %zu changes", cache_sync_account(ctx)->name,
	    g.n);
	if (op->kind == DB_OP_FLAGS || op->kind == DB_OP_DELETE) {
		if (op->kind == DB_OP_DELETE)
			add = MSG_DELETED;
		else
			sscanf(op->args, "%u %u", &add, &rem);
		rc = imap_store(s->imap, buf_cstr(&set), add != 0,
		    si_imap_flags(add ? add : rem), err);
		dest = 0;
	} else if (op->kind == DB_OP_MOVE)
		rc = imap_move(s->imap, buf_cstr(&set), dest_name, NULL, err);
	else
		rc = imap_copy(s->imap, buf_cstr(&set), dest_name, NULL, err);
	if (rc < 0) {
		if (si_dead(ctx, s))
			rc = 1;
		else {
			refuse_all(ctx, s, op, err->msg);
			rc = -2;
		}
		goto out;
	}
	if (db_begin(db, err) < 0) {
		rc = 1;
		goto out;
	}
	for (i = 0; i < g.n; i++)
		if ((dest && record_dest(ctx, s, g.msg[i], dest, NULL,
		    err) < 0) || db_op_done(db, g.op[i], err) < 0)
			break;
	if (i < g.n || db_commit(db, err) < 0) {
		db_rollback(db);
		rc = 1;
		goto out;
	}
	if (dest)
		cache_sync_folder_changed(ctx, dest);
	cache_sync_folder_changed(ctx, op->folder_id);
	rc = 0;
out:
	buf_free(&set);
	group_free(&g);
	return rc;
}

/* Whether op can go in a group with the ops after it. */
static int
groupable(struct cache_sync_ctx *ctx, struct si *s, const struct db_op *op,
    uint32_t now_uid)
{
	struct db *db = cache_sync_db(ctx);
	const char *acct = cache_sync_account(ctx)->name;
	struct imap_req probe;
	struct db_op next;
	char probe_set[16];
	int got, rc;

	(void)now_uid;
	if (op->uid == 0)
		return 0;
	if (op->kind == DB_OP_MOVE && !imap_has_cap(s->imap, IMAP_CAP_MOVE))
		return 0; /* COPY + EXPUNGE: one by one (si_replay_op) */
	if ((op->kind == DB_OP_FLAGS || op->kind == DB_OP_DELETE) &&
	    !as_store(op, &probe, probe_set, sizeof(probe_set)))
		return 0;
	if (op->kind == DB_OP_EXPUNGE || op->kind == DB_OP_APPEND)
		return 0;
	if ((got = db_op_next(db, acct, op->id, &next, NULL)) != 1)
		return 0;
	rc = same_change(op, &next);
	db_op_clear(&next);
	return rc;
}

/*
 * A Sent copy: the file the outbox kept goes into the folder, \Seen; a
 * folder the server does not have yet is created once.  The file goes
 * once the server confirmed.  A connection lost between the APPEND and
 * the record may store the copy twice at the retry: a second Sent copy
 * is the lesser evil next to none.
 */
static int
replay_append(struct cache_sync_ctx *ctx, struct si *s,
    const struct db_op *op, struct error *err)
{
	struct buf raw = BUF_INIT;
	char *name = NULL;
	int fd, rc = -1;
	ssize_t n;
	char chunk[65536];

	if (op->args == NULL || (fd = open(op->args, O_RDONLY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0) {
		error_set(err, "the Sent copy's file is gone");
		return -1;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(&raw, chunk, (size_t)n);
	close(fd);
	if (n < 0) {
		error_errno(err, errno, "cannot read the Sent copy");
		goto out;
	}
	if (folder_name(ctx, s, op->folder_id, &name, err) < 0)
		goto out;
	if (imap_append(s->imap, name, op->uid ? op->uid : IMAP_FLAG_SEEN,
	    raw.data, raw.len, NULL, err) < 0) {
		if (si_dead(ctx, s)) {
			rc = 1;
			goto out;
		}
		error_clear(err);
		if (imap_create(s->imap, name, err) < 0 ||
		    imap_append(s->imap, name, op->uid ? op->uid :
		    IMAP_FLAG_SEEN, raw.data, raw.len, NULL, err) < 0) {
			rc = si_dead(ctx, s) ? 1 : -1;
			goto out;
		}
	}
	if (db_op_done(cache_sync_db(ctx), op->id, err) < 0)
		goto out;
	(void)unlink(op->args);
	cache_sync_folder_changed(ctx, op->folder_id);
	rc = 0;
out:
	buf_free(&raw);
	free(name);
	return rc;
}

/* As replay_op, and -2: refused, already undone and told (refuse_all). */
static int
replay_one(struct cache_sync_ctx *ctx, struct si *s, const struct db_op *op,
    struct error *err)
{
	struct db *db = cache_sync_db(ctx);
	struct imap_req probe;
	struct db_msg m;
	char set[16], probe_set[16], *dest_name = NULL, *uids = NULL;
	unsigned add = 0, rem = 0;
	int64_t dest = 0;
	uint32_t uid = op->uid, now_uid = 0;
	int rc = -1, got;

	if (op->kind == DB_OP_APPEND)
		return replay_append(ctx, s, op, err);
	if (op->msg_id && (got = db_msg_get(db, op->msg_id, &m, err)) > 0) {
		now_uid = m.uid;
		db_msg_clear(&m);
	}
	if (uid == 0 && op->kind != DB_OP_COPY && op->kind != DB_OP_MOVE)
		uid = now_uid; /* queued on a copy whose UID came since */
	if (op->kind != DB_OP_EXPUNGE && uid == 0)
		return error_set(err, "the message has no UID on the server");
	snprintf(set, sizeof(set), "%u", uid);
	if (si_select_id(ctx, s, op->folder_id, err) < 0)
		goto refused;
	if (not_kept(s, op, err)) { /* a bulk change: one sentence */
		refuse_all(ctx, s, op, err->msg);
		return -2;
	}
	if (groupable(ctx, s, op, now_uid)) {
		if (op->kind == DB_OP_MOVE || op->kind == DB_OP_COPY) {
			if (op->args == NULL || sscanf(op->args, "%" SCNd64,
			    &dest) != 1 || folder_name(ctx, s, dest,
			    &dest_name, err) < 0)
				return error_set(err, "the destination folder "
				    "is gone");
		}
		rc = replay_group(ctx, s, op, dest, dest_name, err);
		free(dest_name);
		return rc;
	}
	if (op->uid && as_store(op, &probe, probe_set, sizeof(probe_set)))
		return replay_stores(ctx, s, op, err);
	switch (op->kind) {
	case DB_OP_FLAGS:
		if (op->args == NULL ||
		    sscanf(op->args, "%u %u", &add, &rem) != 2)
			return error_set(err, "malformed flag change");
		if ((add && imap_store(s->imap, set, 1, si_imap_flags(add),
		    err) < 0) || (rem && imap_store(s->imap, set, 0,
		    si_imap_flags(rem), err) < 0))
			goto refused;
		break;
	case DB_OP_DELETE:
		if (imap_store(s->imap, set, 1, IMAP_FLAG_DELETED, err) < 0)
			goto refused;
		break;
	case DB_OP_EXPUNGE:
		/* Only what the user expunged: what another client marked
		 * \Deleted stays (imap_expunge, with or without UIDPLUS).
		 * Queue entries written before they carried their UIDs get
		 * the plain EXPUNGE. */
		if (imap_expunge(s->imap, op->args, err) < 0)
			goto refused;
		break;
	case DB_OP_MOVE:
	case DB_OP_COPY:
		if (op->args == NULL ||
		    sscanf(op->args, "%" SCNd64, &dest) != 1 ||
		    folder_name(ctx, s, dest, &dest_name, err) < 0)
			return error_set(err, "the destination folder is gone");
		if (op->kind == DB_OP_MOVE && (imap_has_cap(s->imap,
		    IMAP_CAP_MOVE) || !imap_has_cap(s->imap,
		    IMAP_CAP_UIDPLUS))) {
			/* UID MOVE is atomic and tells the new UID
			 * (COPYUID); without UIDPLUS a placeholder stays
			 * until the next sync of dest. */
			if (imap_move(s->imap, set, dest_name, &uids, err) < 0)
				goto refused;
			break;
		}
		/*
		 * COPY tells the new UID (UIDPLUS).  A move without MOVE
		 * records it at once, so a retry after a drop between COPY
		 * and EXPUNGE sees the copy made (the record has a UID) and
		 * does not copy twice.
		 */
		if (now_uid == 0 || op->kind == DB_OP_COPY) {
			if (imap_copy(s->imap, set, dest_name, &uids, err) < 0)
				goto refused;
			if (op->kind == DB_OP_COPY)
				break;
			if (db_begin(db, err) < 0)
				goto out;
			if (record_dest(ctx, s, op->msg_id, dest, uids,
			    err) < 0 || db_commit(db, err) < 0) {
				db_rollback(db);
				goto out;
			}
		}
		if (imap_store(s->imap, set, 1, IMAP_FLAG_DELETED, err) < 0 ||
		    imap_expunge(s->imap, set, err) < 0)
			goto refused;
		dest = 0; /* recorded */
		break;
	case DB_OP_APPEND: /* replay_append, above */
		break;
	}
	/* Confirmed: local effect and "done" together. */
	if (op_done(ctx, s, op->id, op->msg_id, dest, uids, err) < 0)
		goto out;
	rc = 0;
	goto out;
refused:
	rc = si_dead(ctx, s) ? 1 : -1;
out:
	free(dest_name);
	free(uids);
	return rc;
}

int
si_replay_op(struct cache_sync_ctx *ctx, const struct db_op *op,
    struct error *err)
{
	struct si *s;
	int rc;

	if (si_session(ctx, &s, err) < 0)
		return 1; /* offline: the op waits */
	/* refused, or cannot be made: the cache must not keep it */
	if ((rc = replay_one(ctx, s, op, err)) == -2)
		return -1; /* a group: undone and told (replay_group) */
	if (rc < 0)
		undo(ctx, s, op, err->msg, 1);
	return rc;
}
