/*
 * sync_imap_list: the IMAP driver's folder list (LIST into the cache's
 * folders, roles, folders gone from the server) and the pending local
 * ops a sync must not undo.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cache/bodies.h"
#include "cache/sync_imap.h"
#include "core/xalloc.h"

/* --- pending ops --- */

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int
cmp_pu(const void *a, const void *b)
{
	const struct si_pend_uid *x = a, *y = b;

	if (x->folder != y->folder)
		return x->folder < y->folder ? -1 : 1;
	return x->uid < y->uid ? -1 : x->uid > y->uid;
}

int
si_pend_load(struct cache_sync_ctx *ctx, struct si_pend *p, struct error *err)
{
	struct db_op op;
	int64_t after = 0;
	int got;

	memset(p, 0, sizeof(*p));
	while ((got = db_op_next(cache_sync_db(ctx),
	    cache_sync_account(ctx)->name, after, &op, err)) == 1) {
		after = op.id;
		if (op.msg_id) {
			p->msgs = xreallocarray(p->msgs, p->nmsgs + 1,
			    sizeof(*p->msgs));
			p->msgs[p->nmsgs++] = op.msg_id;
		}
		if (op.uid) {
			p->uids = xreallocarray(p->uids, p->nuids + 1,
			    sizeof(*p->uids));
			p->uids[p->nuids].folder = op.folder_id;
			p->uids[p->nuids++].uid = op.uid;
		}
		db_op_clear(&op);
	}
	if (p->nmsgs)
		qsort(p->msgs, p->nmsgs, sizeof(*p->msgs), cmp_i64);
	if (p->nuids)
		qsort(p->uids, p->nuids, sizeof(*p->uids), cmp_pu);
	return got < 0 ? -1 : 0;
}

int
si_pend_msg(const struct si_pend *p, int64_t id)
{
	return p->nmsgs && bsearch(&id, p->msgs, p->nmsgs, sizeof(*p->msgs),
	    cmp_i64) != NULL;
}

int
si_pend_uid(const struct si_pend *p, int64_t folder, uint32_t uid)
{
	struct si_pend_uid k = { folder, uid };

	return p->nuids && bsearch(&k, p->uids, p->nuids, sizeof(*p->uids),
	    cmp_pu) != NULL;
}

void
si_pend_free(struct si_pend *p)
{
	free(p->msgs);
	free(p->uids);
	memset(p, 0, sizeof(*p));
}

/* --- folder list --- */

struct list_ctx {
	struct cache_sync_ctx *ctx;
	char **names;
	size_t n;
	struct error *err;
};

static enum folder_role
role_of(const struct imap_folder *f)
{
	if (strcasecmp(f->name, "INBOX") == 0)
		return FOLDER_ROLE_INBOX;
	if (f->attrs & IMAP_FOLDER_DRAFTS)
		return FOLDER_ROLE_DRAFTS;
	if (f->attrs & IMAP_FOLDER_SENT)
		return FOLDER_ROLE_SENT;
	if (f->attrs & IMAP_FOLDER_TRASH)
		return FOLDER_ROLE_TRASH;
	if (f->attrs & IMAP_FOLDER_JUNK)
		return FOLDER_ROLE_JUNK;
	if (f->attrs & IMAP_FOLDER_ARCHIVE)
		return FOLDER_ROLE_ARCHIVE;
	if (f->attrs & IMAP_FOLDER_ALL)
		return FOLDER_ROLE_ALL;
	if (f->attrs & IMAP_FOLDER_FLAGGED)
		return FOLDER_ROLE_FLAGGED;
	return FOLDER_ROLE_NONE;
}

static int
list_one(void *arg, const struct imap_folder *f)
{
	struct list_ctx *lc = arg;
	struct db *db = cache_sync_db(lc->ctx);
	const char *acct = cache_sync_account(lc->ctx)->name;
	enum folder_role role = role_of(f);
	const char *name = role == FOLDER_ROLE_INBOX ? "INBOX" : f->name;
	struct db_folder df;
	int64_t id;
	int noselect = (f->attrs & (IMAP_FOLDER_NOSELECT |
	    IMAP_FOLDER_NONEXISTENT)) != 0;

	if (db_folder_ensure(db, acct, name, role, &id, lc->err) < 0 ||
	    db_folder_get(db, id, &df, lc->err) <= 0)
		return -1;
	if (df.delim != f->delim || df.noselect != noselect ||
	    (role != FOLDER_ROLE_NONE && df.role != role)) {
		df.delim = f->delim;
		df.noselect = noselect;
		if (role != FOLDER_ROLE_NONE)
			df.role = role;
		if (db_folder_update(db, &df, lc->err) < 0) {
			db_folder_clear(&df);
			return -1;
		}
	}
	db_folder_clear(&df);
	lc->names = xreallocarray(lc->names, lc->n + 1, sizeof(*lc->names));
	lc->names[lc->n++] = xstrdup(name);
	return 0;
}

int
si_list_folders(struct cache_sync_ctx *ctx, struct si *s, struct error *err)
{
	struct db *db = cache_sync_db(ctx);
	const char *acct = cache_sync_account(ctx)->name;
	struct list_ctx lc = { ctx, NULL, 0, err };
	struct db_folder *fl = NULL;
	size_t nf = 0, i, k;
	int rc = -1, r, inbox = 0;

	if (db_begin(db, err) < 0)
		return -1;
	if ((r = imap_list(s->imap, list_one, &lc, err)) != 0) {
		db_rollback(db);
		goto out;
	}
	for (k = 0; k < lc.n; k++)
		inbox |= strcmp(lc.names[k], "INBOX") == 0;
	if (!inbox) { /* some servers do not list it; it always exists */
		lc.names = xreallocarray(lc.names, lc.n + 1,
		    sizeof(*lc.names));
		lc.names[lc.n++] = xstrdup("INBOX");
		if (db_folder_ensure(db, acct, "INBOX", FOLDER_ROLE_INBOX,
		    NULL, err) < 0) {
			db_rollback(db);
			goto out;
		}
	}
	/* Folders gone from the server go from the cache. */
	if (db_folder_list(db, acct, &fl, &nf, err) < 0) {
		db_rollback(db);
		goto out;
	}
	for (i = 0; i < nf; i++) {
		for (k = 0; k < lc.n; k++)
			if (strcmp(lc.names[k], fl[i].name) == 0)
				break;
		if (k < lc.n)
			continue;
		if (db_folder_delete(db, fl[i].id, err) < 0) {
			db_rollback(db);
			goto out;
		}
		bodies_drop_folder(cache_sync_bodies(ctx), acct, fl[i].name,
		    0, NULL);
	}
	if (db_commit(db, err) < 0)
		goto out;
	cache_sync_folder_changed(ctx, 0);
	rc = 0;
out:
	db_folders_free(&fl, nf);
	for (k = 0; k < lc.n; k++)
		free(lc.names[k]);
	free(lc.names);
	return rc;
}

