/*
 * sync_pop3: the POP3 driver of the sync worker (DESIGN.md §2).
 *
 * One sync = one POP3 session: login, UIDL + LIST, download what is not
 * recorded, delete what the account's mode says, QUIT.  The session is not
 * kept between syncs (a POP3 session locks the maildrop).
 *
 * Crash safety, per batch of up to BATCH_MSGS messages:
 *   1. RETR (pipelined) each into tmp/KEY of the Maildir;
 *   2. one transaction records every UIDL with its KEY, "not delivered";
 *   3. each file: fsync, rename into new/, fsync new/ (maildir.c);
 *   4. one transaction indexes the batch and marks the UIDLs delivered;
 *   5. delete mode: DELE the batch (the server deletes at QUIT).
 * Killed in 1: files in tmp/ only (nothing reads them), no record: the
 * messages come again.  Killed between 2 and 4: the next worker start
 * (store_recover) keeps the records whose file is in the Maildir and
 * drops the others.  Killed after 4: the UIDLs are known, so nothing is
 * downloaded twice, and delete mode deletes them next time.  A record
 * left "not delivered" in a running worker is neither downloaded nor
 * deleted until that recovery has decided.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache/driver.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/xalloc.h"
#include "net/pop3.h"

#define BATCH_MSGS 64
#define BATCH_BYTES (8u * 1024 * 1024)
#define HEAD_MAX (32 * 1024) /* what the index parses */

struct item {
	unsigned num;
	const char *uidl; /* "" without UIDL */
	struct maildir_delivery *d;
	char *key;
	struct buf head;
	uint64_t size;
	int recorded;
	int attempted; /* maildir_deliver_commit was called */
};

struct run {
	struct cache_sync_ctx *ctx;
	struct item *items;
	size_t n, cur;
	uint64_t done, total, bytes, shown;
	int cancelled; /* stopped between two batches */
};

static void
progress(struct run *r)
{
	cache_sync_progress(r->ctx, "downloading", r->done, r->total,
	    r->bytes);
	r->shown = r->bytes;
}

static int
retr_begin(void *arg, unsigned num, struct error *err)
{
	struct run *r = arg;
	struct item *it = &r->items[r->cur];

	if (r->cur >= r->n || it->num != num)
		return error_set(err, "internal error: RETR out of order");
	if (cache_sync_deliver_begin(r->ctx, &it->d, err) < 0)
		return -1;
	it->key = xstrdup(maildir_delivery_key(it->d));
	return 0;
}

static int
retr_data(void *arg, const char *p, size_t len, struct error *err)
{
	struct run *r = arg;
	struct item *it = &r->items[r->cur];

	if (maildir_deliver_write(it->d, p, len, err) < 0)
		return -1;
	if (it->head.len < HEAD_MAX)
		buf_add(&it->head, p, len < HEAD_MAX - it->head.len ? len :
		    HEAD_MAX - it->head.len);
	it->size += len;
	r->bytes += len;
	if (r->bytes - r->shown >= 1024 * 1024)
		progress(r);
	return 0;
}

static int
retr_end(void *arg, unsigned num, struct error *err)
{
	struct run *r = arg;

	(void)num;
	(void)err;
	r->cur++;
	r->done++;
	progress(r);
	return 0;
}

static const struct pop3_retr_cb retr_cb = { retr_begin, retr_data,
	retr_end };

static void
batch_clear(struct run *r)
{
	const char *acct = cache_sync_account(r->ctx)->name;
	size_t i;

	for (i = 0; i < r->n; i++) {
		struct item *it = &r->items[i];

		/* Never committed, so not in new/: no record may claim it
		 * (the server still has it).  A failed commit may have left
		 * the file in new/: its record stays for store_recover. */
		if (it->recorded && !it->attempted)
			db_uidl_forget(cache_sync_db(r->ctx), acct, it->uidl,
			    NULL);
		if (it->d)
			cache_sync_deliver_abort(&it->d);
		free(it->key);
		buf_free(&it->head);
		memset(it, 0, sizeof(*it));
	}
	r->n = r->cur = 0;
}

/* Steps 2 to 4 of the file comment for the downloaded batch. */
static int
batch_store(struct run *r, struct error *err)
{
	struct cache_sync_ctx *ctx = r->ctx;
	struct db *db = cache_sync_db(ctx);
	const char *acct = cache_sync_account(ctx)->name;
	int64_t now = time(NULL), inbox = cache_sync_inbox(ctx), id;
	size_t i;

	if (db_begin(db, err) < 0)
		return -1;
	for (i = 0; i < r->n; i++) {
		if (r->items[i].uidl[0] == '\0')
			continue;
		if (db_uidl_add(db, acct, r->items[i].uidl, r->items[i].key,
		    now, 0, err) < 0) {
			db_rollback(db);
			return -1;
		}
	}
	if (db_commit(db, err) < 0)
		return -1;
	for (i = 0; i < r->n; i++)
		r->items[i].recorded = r->items[i].uidl[0] != '\0';
	{
		struct maildir_delivery *ds[BATCH_MSGS];

		for (i = 0; i < r->n; i++) {
			r->items[i].attempted = 1;
			ds[i] = r->items[i].d;
			r->items[i].d = NULL;
		}
		if (maildir_deliver_commit_many(ds, r->n, NULL, err) < 0)
			return -1;
	}
	if (db_begin(db, err) < 0)
		return -1;
	for (i = 0; i < r->n; i++) {
		struct item *it = &r->items[i];

		if (cache_sync_index_message(ctx, inbox, 0, it->key, 0, now,
		    (int64_t)it->size, buf_cstr(&it->head), it->head.len, &id,
		    err) < 0 || (it->uidl[0] != '\0' &&
		    db_uidl_set_delivered(db, acct, it->uidl, err) < 0)) {
			/* Files are in new/, records say "not delivered":
			 * the next start completes them. */
			db_rollback(db);
			return -1;
		}
	}
	if (db_commit(db, err) < 0)
		return -1;
	cache_sync_folder_changed(ctx, inbox);
	return 0;
}

static int
download(struct run *r, struct pop3 *p, const struct pop3_msg *msgs,
    const size_t *want, size_t nwant, int dele, struct error *err)
{
	unsigned nums[BATCH_MSGS];
	size_t i = 0, k;
	uint64_t bytes;
	int rc = 0;

	r->items = xcalloc(BATCH_MSGS, sizeof(*r->items));
	while (i < nwant && rc == 0) {
		if (cache_sync_cancelled(r->ctx)) {
			r->cancelled = 1;
			rc = error_set(err, "synchronisation was cancelled");
			break;
		}
		for (k = 0, bytes = 0; k < BATCH_MSGS && i < nwant &&
		    (k == 0 || bytes + msgs[want[i]].size <= BATCH_BYTES);
		    k++, i++) {
			memset(&r->items[k], 0, sizeof(r->items[k]));
			r->items[k].num = msgs[want[i]].num;
			r->items[k].uidl = msgs[want[i]].uidl;
			nums[k] = msgs[want[i]].num;
			bytes += msgs[want[i]].size;
		}
		r->n = k;
		r->cur = 0;
		if (pop3_retr_many(p, nums, k, &retr_cb, r, err) < 0 ||
		    batch_store(r, err) < 0)
			rc = -1;
		batch_clear(r);
		if (rc == 0 && dele && pop3_dele_many(p, nums, k, err) < 0)
			rc = -1;
	}
	free(r->items);
	r->items = NULL;
	return rc;
}

static int
connect_login(const struct account *a, struct pop3 **p_r, struct error *err)
{
	const struct config_account *cfg = a->cfg;
	struct pop3_opts o;
	char *pw;
	int rc;

	memset(&o, 0, sizeof(o));
	o.host = cfg->host;
	o.port = cfg->port;
	o.tls = cfg->tls == CONFIG_TLS_IMPLICIT ? POP3_TLS_IMPLICIT :
	    cfg->tls == CONFIG_TLS_STARTTLS ? POP3_TLS_STLS : POP3_TLS_NONE;
	o.allow_plaintext = cfg->allow_plaintext;
	o.timeout = cfg->timeout;
	o.ca_file = cfg->ca_file;
	o.fingerprint = cfg->tls_fingerprint;
	o.apop = cfg->apop;
	/* The password only once the connection is as safe as required. */
	if (pop3_open(&o, p_r, err) < 0)
		return -1;
	if ((pw = config_password(cfg, err)) == NULL) {
		pop3_close(p_r);
		return -1;
	}
	rc = pop3_login(*p_r, cfg->user, pw, err);
	explicit_bzero(pw, strlen(pw));
	free(pw);
	if (rc < 0)
		pop3_close(p_r);
	return rc;
}

/* Status of a UIDL's record: 0 none, 1 delivered, 2 not yet delivered. */
static int
record_state(struct db *db, const char *acct, const char *uidl,
    struct error *err)
{
	struct db_uidl u;
	int got, st;

	memset(&u, 0, sizeof(u));
	if ((got = db_uidl_lookup(db, acct, uidl, &u, err)) <= 0)
		return got;
	st = u.delivered ? 1 : 2;
	db_uidl_clear(&u);
	return st;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* 1 if s is in the sorted list. */
static int
in_list(const char *s, char **list, size_t n)
{
	return n > 0 && bsearch(&s, list, n, sizeof(*list), cmp_str) != NULL;
}

static int
pop3_sync(struct cache_sync_ctx *ctx, int64_t folder_id, unsigned flags,
    struct error *err)
{
	const struct account *a = cache_sync_account(ctx);
	struct db *db = cache_sync_db(ctx);
	struct pop3 *p = NULL;
	struct pop3_msg *msgs = NULL;
	struct run r;
	const char **present = NULL;
	char **old = NULL;
	size_t n = 0, i, nwant = 0, ndel = 0, nold = 0, *want = NULL;
	unsigned *del = NULL;
	int have_uidl = 0, st, rc = -1, dele = a->mode == ACCOUNT_MODE_DELETE;

	(void)folder_id;
	(void)flags;
	memset(&r, 0, sizeof(r));
	r.ctx = ctx;
	cache_sync_state(ctx, ACCOUNT_CONNECTING);
	if (connect_login(a, &p, err) < 0)
		return -1;
	cache_sync_set_data(ctx, p);
	/* So that stopping the worker breaks a blocked read at once. */
	cache_sync_set_cancel_fd(ctx, pop3_fd(p));
	cache_sync_state(ctx, ACCOUNT_SYNCING);
	if (pop3_scan(p, &msgs, &n, &have_uidl, err) < 0)
		goto out;
	if (!have_uidl && !dele) {
		error_set(err, "%s does not support UIDL, so postie cannot tell "
		    "which messages it already downloaded: keeping mail on "
		    "the server is not possible with it (set keep_on_server "
		    "= no)", a->cfg->host);
		goto out;
	}
	want = xcalloc(n + 1, sizeof(*want));
	del = xcalloc(n + 1, sizeof(*del));
	present = xcalloc(n + 1, sizeof(*present));
	for (i = 0; i < n; i++) {
		if (!have_uidl) {
			want[nwant++] = i;
			continue;
		}
		present[i] = msgs[i].uidl;
		if ((st = record_state(db, a->name, msgs[i].uidl, err)) < 0)
			goto out;
		if (st == 0)
			want[nwant++] = i;
		else if (st == 1 && dele)
			del[ndel++] = msgs[i].num; /* stored before a crash */
	}
	/* Records of messages the server no longer has. */
	if (have_uidl && cache_sync_uidl_prune(ctx, present, n, err) < 0)
		goto out;
	r.total = nwant;
	progress(&r);
	if (ndel > 0 && pop3_dele_many(p, del, ndel, err) < 0)
		goto out;
	if (download(&r, p, msgs, want, nwant, dele, err) < 0)
		goto out;
	if (a->mode == ACCOUNT_MODE_KEEP_DAYS && a->keep_days > 0) {
		if (cache_sync_uidl_older(ctx, a->keep_days, &old, &nold,
		    err) < 0)
			goto out;
		if (nold > 1)
			qsort(old, nold, sizeof(*old), cmp_str);
		ndel = 0;
		for (i = 0; i < n; i++)
			if (in_list(present[i], old, nold))
				del[ndel++] = msgs[i].num;
		if (ndel > 0 && pop3_dele_many(p, del, ndel, err) < 0)
			goto out;
	}
	if (pop3_quit(p, err) < 0)
		goto out;
	/* The server confirmed: those records must not be deleted again. */
	if (have_uidl && (dele || nold > 0)) {
		if (db_begin(db, err) < 0)
			goto out;
		for (i = 0; i < n; i++) {
			if (!dele && !in_list(present[i], old, nold))
				continue;
			if (record_state(db, a->name, msgs[i].uidl, err) == 1 &&
			    cache_sync_uidl_deleted(ctx, msgs[i].uidl,
			    err) < 0) {
				db_rollback(db);
				goto out;
			}
		}
		if (db_commit(db, err) < 0)
			goto out;
	}
	rc = 0;
out:
	if (rc < 0 && p != NULL && r.cancelled) {
		/* Between batches the session is clean: commit the
		 * deletions of what is safely stored. */
		struct error qerr;

		pop3_quit(p, &qerr);
	}
	cache_sync_set_cancel_fd(ctx, -1);
	cache_sync_set_data(ctx, NULL);
	pop3_close(&p);
	for (i = 0; i < nold; i++)
		free(old[i]);
	free(old);
	free(present);
	free(del);
	free(want);
	free(msgs);
	return rc;
}

static void
pop3_disconnect(struct cache_sync_ctx *ctx)
{
	struct pop3 *p = cache_sync_data(ctx);

	cache_sync_set_cancel_fd(ctx, -1);
	cache_sync_set_data(ctx, NULL);
	pop3_close(&p);
}

const struct cache_driver cache_driver_pop3 = {
	"pop3",
	pop3_sync,
	NULL, /* bodies are in the Maildir */
	NULL, /* no server-side operations */
	NULL, /* no IDLE: the worker polls on its timer */
	pop3_disconnect,
};
