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

static void
pend_uid_add(struct si_pend *p, int64_t folder, uint32_t uid)
{
	if (p->nuids == p->capuids) {
		p->capuids = p->capuids ? p->capuids * 2 : 64;
		p->uids = xreallocarray(p->uids, p->capuids,
		    sizeof(*p->uids));
	}
	p->uids[p->nuids].folder = folder;
	p->uids[p->nuids++].uid = uid;
}

struct pend_range {
	struct si_pend *p;
	int64_t folder;
};

/* A pending expunge names its messages in a UID set: each is removed
 * here and not yet on the server (only UIDs the user expunged, so the
 * set is as long as the index was). */
static int
pend_range(void *arg, uint32_t lo, uint32_t hi)
{
	struct pend_range *r = arg;
	uint32_t u;

	if (hi == UINT32_MAX || hi - lo > (1u << 20))
		return 0; /* not one of ours: queue_expunge names UIDs */
	for (u = lo;; u++) {
		pend_uid_add(r->p, r->folder, u);
		if (u == hi)
			break;
	}
	return 0;
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
		if (op.uid)
			pend_uid_add(p, op.folder_id, op.uid);
		if (op.kind == DB_OP_EXPUNGE && op.args) {
			struct pend_range r = { p, op.folder_id };

			(void)imap_uidset_foreach(op.args, pend_range, &r);
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

static int cmp_fkey_name(const void *a, const void *b);

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

/* One folder as LIST gave it. */
struct listed {
	char *name;
	enum folder_role role;
	char delim;
	int noselect;
	uint32_t uidvalidity, uidnext; /* 0: not reported */
	uint64_t highestmodseq;
	int has_status;
	uint32_t messages;
};

struct list_ctx {
	struct listed *v;
	size_t n, cap;
};

static int
list_one(void *arg, const struct imap_folder *f)
{
	struct list_ctx *lc = arg;
	enum folder_role role = role_of(f);
	struct listed *l;

	if (lc->n == lc->cap) {
		lc->cap = lc->cap ? lc->cap * 2 : 64;
		lc->v = xreallocarray(lc->v, lc->cap, sizeof(*lc->v));
	}
	l = &lc->v[lc->n++];
	l->name = xstrdup(role == FOLDER_ROLE_INBOX ? "INBOX" : f->name);
	l->role = role;
	l->delim = f->delim;
	l->noselect = (f->attrs & (IMAP_FOLDER_NOSELECT |
	    IMAP_FOLDER_NONEXISTENT)) != 0;
	l->uidvalidity = f->uidvalidity;
	l->uidnext = f->uidnext;
	l->highestmodseq = f->highestmodseq;
	l->has_status = f->has_status;
	l->messages = f->messages;
	return 0;
}

/* The server says the folder is as the cache last left it: same
 * UIDVALIDITY and UIDNEXT (nothing new), same HIGHESTMODSEQ (no flag
 * change, no expunge).  The cache saves HIGHESTMODSEQ only at the end of
 * a complete folder sync, so a half-filled folder never matches. */
static int
unchanged(const struct listed *l, const struct db_folder *f)
{
	return l->highestmodseq != 0 && f->highestmodseq == l->highestmodseq &&
	    f->uidvalidity != 0 && f->uidvalidity == l->uidvalidity &&
	    f->uidnext != 0 && f->uidnext == l->uidnext;
}

/* Brings one listed folder into the cache; *f is its row (old or new). */
static int
list_store(struct cache_sync_ctx *ctx, const struct listed *l,
    struct db_folder *f, int is_new, struct error *err)
{
	struct db *db = cache_sync_db(ctx);
	const char *acct = cache_sync_account(ctx)->name;

	if (is_new) {
		memset(f, 0, sizeof(*f));
		if (db_folder_ensure(db, acct, l->name, l->role, &f->id,
		    err) < 0)
			return -1;
		f->account = xstrdup(acct);
		f->name = xstrdup(l->name);
		f->delim = '/';
		f->role = l->role;
	}
	if (f->delim == l->delim && f->noselect == l->noselect &&
	    (l->role == FOLDER_ROLE_NONE || f->role == l->role))
		return 0;
	f->delim = l->delim;
	f->noselect = l->noselect;
	if (l->role != FOLDER_ROLE_NONE)
		f->role = l->role;
	return db_folder_update(db, f, err);
}

/*
 * One db_folder_list per LIST: the rows (without counts, which cost a
 * scan of the index each time) stay in the session as its snapshot.
 */
int
si_list_folders(struct cache_sync_ctx *ctx, struct si *s, struct error *err)
{
	struct db *db = cache_sync_db(ctx);
	const char *acct = cache_sync_account(ctx)->name;
	struct list_ctx lc = { NULL, 0, 0 };
	struct db_folder *old = NULL, *snap = NULL;
	size_t nold = 0, nsnap = 0, i, k;
	struct si_fkey *byname = NULL;
	char *used = NULL;
	int rc = -1, inbox = 0, counts = 0;

	if (db_folder_list(db, acct, &old, &nold, err) < 0)
		return -1;
	/* The counts only tell whether a folder the cache holds whole has
	 * changed (unchanged()); without one, every folder is selected. */
	for (i = 0; i < nold; i++)
		counts |= old[i].uidnext != 0 || old[i].highestmodseq != 0;
	if ((counts ? imap_list : imap_list_names)(s->imap, list_one, &lc,
	    err) != 0)
		goto out;
	for (k = 0; k < lc.n; k++)
		inbox |= strcmp(lc.v[k].name, "INBOX") == 0;
	if (!inbox) { /* some servers do not list it; it always exists */
		struct imap_folder in = { .name = "INBOX", .raw = "INBOX",
		    .delim = '/' };

		list_one(&lc, &in);
	}
	used = xcalloc(nold + 1, 1);
	snap = xcalloc(lc.n + 1, sizeof(*snap));
	/* The cache's rows by name: each listed folder is looked up. */
	byname = xcalloc(nold + 1, sizeof(*byname));
	for (i = 0; i < nold; i++) {
		byname[i].name = old[i].name;
		byname[i].pos = i;
	}
	qsort(byname, nold, sizeof(*byname), cmp_fkey_name);
	if (db_begin(db, err) < 0)
		goto out;
	for (k = 0; k < lc.n; k++) {
		struct si_fkey key = { 0, lc.v[k].name, 0 }, *hit;

		hit = bsearch(&key, byname, nold, sizeof(*byname),
		    cmp_fkey_name);
		i = hit && !used[hit->pos] ? hit->pos : nold;
		if (i < nold) {
			used[i] = 1;
			snap[nsnap] = old[i];
			memset(&old[i], 0, sizeof(old[i]));
		}
		if (list_store(ctx, &lc.v[k], &snap[nsnap], i == nold,
		    err) < 0) {
			nsnap++;
			db_rollback(db);
			goto out;
		}
		nsnap++;
	}
	/* Folders gone from the server go from the cache. */
	for (i = 0; i < nold; i++) {
		if (used[i])
			continue;
		if (db_folder_delete(db, old[i].id, err) < 0) {
			db_rollback(db);
			goto out;
		}
		bodies_drop_folder(cache_sync_bodies(ctx), acct, old[i].name,
		    0, NULL);
	}
	if (db_commit(db, err) < 0)
		goto out;
	s->nsame = 0;
	free(s->same);
	s->same = xcalloc(nsnap + 1, sizeof(*s->same));
	for (k = 0; k < nsnap; k++)
		if (unchanged(&lc.v[k], &snap[k]))
			s->same[s->nsame++] = snap[k].id;
	si_ids_sort(s->same, s->nsame);
	si_folders_set(s, snap, nsnap);
	/* what the listing told of each, for the pipelined first fills */
	s->lst = xcalloc(nsnap + 1, sizeof(*s->lst));
	for (k = 0; k < nsnap; k++) {
		s->lst[k].has = lc.v[k].has_status;
		s->lst[k].messages = lc.v[k].messages;
		s->lst[k].uidnext = lc.v[k].uidnext;
		s->lst[k].uidvalidity = lc.v[k].uidvalidity;
	}
	snap = NULL;
	cache_sync_folder_changed(ctx, 0);
	rc = 0;
out:
	db_folders_free(&snap, nsnap);
	db_folders_free(&old, nold);
	free(used);
	free(byname);
	for (k = 0; k < lc.n; k++)
		free(lc.v[k].name);
	free(lc.v);
	return rc;
}

static int
cmp_fkey_id(const void *a, const void *b)
{
	const struct si_fkey *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static int
cmp_fkey_name(const void *a, const void *b)
{
	const struct si_fkey *x = a, *y = b;

	return strcmp(x->name, y->name);
}

void
si_folders_set(struct si *s, struct db_folder *fl, size_t n)
{
	size_t i;

	db_folders_free(&s->fl, s->nf);
	free(s->byid);
	free(s->byname);
	free(s->lst);
	s->lst = NULL;
	s->fl = fl;
	s->nf = n;
	s->byid = xcalloc(n + 1, sizeof(*s->byid));
	s->byname = xcalloc(n + 1, sizeof(*s->byname));
	for (i = 0; i < n; i++) {
		s->byid[i].id = s->byname[i].id = fl[i].id;
		s->byid[i].name = s->byname[i].name = fl[i].name;
		s->byid[i].pos = s->byname[i].pos = i;
	}
	qsort(s->byid, n, sizeof(*s->byid), cmp_fkey_id);
	qsort(s->byname, n, sizeof(*s->byname), cmp_fkey_name);
}

struct db_folder *
si_folder(struct si *s, int64_t id)
{
	struct si_fkey key = { id, NULL, 0 }, *hit;

	if (s->nf == 0)
		return NULL;
	hit = bsearch(&key, s->byid, s->nf, sizeof(*s->byid), cmp_fkey_id);
	return hit ? &s->fl[hit->pos] : NULL;
}

struct db_folder *
si_folder_named(struct si *s, const char *name)
{
	struct si_fkey key = { 0, name, 0 }, *hit;

	if (s->nf == 0)
		return NULL;
	/* the cache spells INBOX so whatever the server's case */
	if (strcasecmp(name, "INBOX") == 0)
		key.name = "INBOX";
	hit = bsearch(&key, s->byname, s->nf, sizeof(*s->byname),
	    cmp_fkey_name);
	return hit ? &s->fl[hit->pos] : NULL;
}

void
si_ids_sort(int64_t *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_i64);
}

int
si_has_id(const int64_t *v, size_t n, int64_t id)
{
	return n > 0 && bsearch(&id, v, n, sizeof(*v), cmp_i64) != NULL;
}
