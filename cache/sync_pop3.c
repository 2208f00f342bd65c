/*
 * sync_pop3: the POP3 driver of the sync worker (doc/HACKING.md, Data
 * flow of a sync).
 *
 * One sync = one POP3 session: login, UIDL + LIST, download what is not
 * recorded, delete what the account's mode says, QUIT.  The session is not
 * kept between syncs (a POP3 session locks the maildrop).
 *
 * The download runs on a thread of its own (pop3_fetch.c) that RETRs
 * every new message, pipelined, into tmp/ of the Maildir; this worker
 * thread meanwhile stores what has arrived, a batch at a time:
 *   1. (fetch thread) RETR each into tmp/KEY of the Maildir;
 *   2. one transaction records every UIDL of the batch with its KEY, "not
 *      delivered";
 *   3. one flush (syncfs) makes the files and those records durable, each
 *      file is renamed into new/, new/ is fsynced (maildir.c);
 *   4. one transaction indexes the batch and marks the UIDLs delivered;
 *   5. delete mode, once every message is stored: DELE them all (the
 *      server deletes at QUIT, so this is the same as after each batch).
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
#include "cache/login.h"
#include "cache/pop3_fetch.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/xalloc.h"
#include "net/pop3.h"

/* A commit waits for BATCH_MIN messages or BATCH_MIN_BYTES (or the end):
 * one flush per batch.  When the index falls behind the network, batches
 * grow up to BATCH_MAX and the flushes get fewer. */
#define BATCH_MIN 64
#define BATCH_MIN_BYTES (8u * 1024 * 1024)
#define BATCH_MAX 128

struct run {
	struct cache_sync_ctx *ctx;
	struct pop3_fetched got[BATCH_MAX];
	char *key[BATCH_MAX];
	unsigned char recorded[BATCH_MAX];
	unsigned char attempted[BATCH_MAX]; /* the commit was tried */
	size_t n;
	unsigned *stored; /* numbers safely stored, to DELE */
	size_t nstored;
	uint64_t total;
	int cancelled; /* stopped between two batches */
};

static void
progress(struct run *r)
{
	cache_sync_progress(r->ctx, "downloading", 0, r->total, 0);
}

static void
batch_clear(struct run *r)
{
	const char *acct = cache_sync_account(r->ctx)->name;
	size_t i;

	for (i = 0; i < r->n; i++) {
		/* Never committed, so not in new/: no record may claim it
		 * (the server still has it).  A failed commit may have left
		 * the file in new/: its record stays for store_recover. */
		if (r->recorded[i] && !r->attempted[i])
			db_uidl_forget(cache_sync_db(r->ctx), acct,
			    r->got[i].uidl, NULL);
		pop3_fetched_clear(&r->got[i]);
		free(r->key[i]);
		r->key[i] = NULL;
		r->recorded[i] = r->attempted[i] = 0;
	}
	r->n = 0;
}

/* Steps 2 to 4 of the file comment for the downloaded batch. */
static int
batch_store(struct run *r, struct error *err)
{
	struct cache_sync_ctx *ctx = r->ctx;
	struct db *db = cache_sync_db(ctx);
	const char *acct = cache_sync_account(ctx)->name;
	int64_t now = time(NULL), inbox = cache_sync_inbox(ctx), id;
	struct maildir_delivery *ds[BATCH_MAX];
	size_t i;

	for (i = 0; i < r->n; i++)
		r->key[i] = xstrdup(maildir_delivery_key(r->got[i].d));
	if (db_begin(db, err) < 0)
		return -1;
	for (i = 0; i < r->n; i++) {
		if (r->got[i].uidl[0] == '\0')
			continue;
		if (db_uidl_add(db, acct, r->got[i].uidl, r->key[i], now, 0,
		    err) < 0) {
			db_rollback(db);
			return -1;
		}
	}
	if (db_commit(db, err) < 0)
		return -1;
	for (i = 0; i < r->n; i++) {
		r->recorded[i] = r->got[i].uidl[0] != '\0';
		r->attempted[i] = 1;
		ds[i] = r->got[i].d;
		r->got[i].d = NULL;
	}
	/* The flush also makes the records above durable: a record never
	 * names a file in new/ that a crash could lose. */
	if (maildir_deliver_commit_many(ds, r->n, NULL, err) < 0)
		return -1;
	if (db_begin(db, err) < 0)
		return -1;
	for (i = 0; i < r->n; i++) {
		struct pop3_fetched *m = &r->got[i];

		if ((m->prep.ready ? cache_sync_index_prepared(ctx, inbox, 0,
		    r->key[i], 0, now, (int64_t)m->size, &m->prep, &id, err) :
		    cache_sync_index_message(ctx, inbox, 0, r->key[i], 0, now,
		    (int64_t)m->size, buf_cstr(&m->head), m->head.len, &id,
		    err)) < 0 || (m->uidl[0] != '\0' &&
		    db_uidl_set_delivered(db, acct, m->uidl, err) < 0)) {
			/* Files are in new/, records say "not delivered":
			 * the next start completes them. */
			db_rollback(db);
			return -1;
		}
	}
	if (db_commit(db, err) < 0)
		return -1;
	for (i = 0; i < r->n; i++)
		r->stored[r->nstored++] = r->got[i].num;
	cache_sync_folder_changed(ctx, inbox);
	return 0;
}

/*
 * Downloads msgs[want[]]: the fetch thread reads (step 1) while this one
 * stores batch after batch (steps 2 to 4).  Returns 0 with the session
 * usable, -1 with err; *usable_r says whether the session can still send
 * DELE and QUIT.
 */
static int
download(struct run *r, struct pop3 *p, const struct pop3_msg *msgs,
    const size_t *want, size_t nwant, int *usable_r, struct error *err)
{
	struct pop3_fetch *f = NULL;
	int rc = 0;

	*usable_r = 1;
	if (nwant == 0)
		return 0;
	if (pop3_fetch_start(r->ctx, p, msgs, want, nwant, &f, err) < 0)
		return -1;
	for (;;) {
		if (cache_sync_cancelled(r->ctx)) {
			r->cancelled = 1;
			rc = error_set(err, "synchronisation was cancelled");
			break;
		}
		if (pop3_fetch_take(f, BATCH_MIN, BATCH_MIN_BYTES, BATCH_MAX,
		    r->got, &r->n, err) < 0) {
			rc = -1;
			break;
		}
		if (r->n == 0)
			break;
		rc = batch_store(r, err);
		batch_clear(r);
		if (rc < 0)
			break;
	}
	*usable_r = pop3_fetch_end(&f) == 0;
	if (rc == 0 && !*usable_r)
		rc = error_set(err, "internal error: the download stopped");
	return rc;
}

static int
login_step(void *engine, const char *user, const char *password,
    struct error *err)
{
	return pop3_login(engine, user, password, err);
}

static int
connect_login(const struct account *a, struct pop3 **p_r, struct error *err)
{
	const struct config_account *cfg = a->cfg;
	struct pop3_opts o;

	memset(&o, 0, sizeof(o));
	cache_conn_opts(cfg, CACHE_SERVER_READ, &o.conn);
	o.security = cfg->tls == CONFIG_TLS_IMPLICIT ? POP3_SEC_IMPLICIT :
	    cfg->tls == CONFIG_TLS_STARTTLS ? POP3_SEC_STLS : POP3_SEC_NONE;
	o.allow_plaintext = cfg->allow_plaintext;
	o.apop = cfg->apop;
	if (pop3_open(&o, p_r, err) < 0)
		return -1;
	if (cache_login(cfg, CACHE_SERVER_READ, login_step, *p_r, err) < 0) {
		pop3_close(p_r);
		return -1;
	}
	return 0;
}

static int
pop3_probe(const struct config_account *cfg, struct error *err)
{
	struct account a;
	struct pop3 *p = NULL;
	int rc;

	account_init(&a, cfg);
	if (connect_login(&a, &p, err) < 0)
		return -1;
	/* No DELE was sent: QUIT commits nothing. */
	rc = pop3_quit(p, err);
	pop3_close(&p);
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
	int usable = 1;

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
	r.stored = xcalloc(nwant + 1, sizeof(*r.stored));
	if (download(&r, p, msgs, want, nwant, &usable, err) < 0)
		goto out;
	/* Deletions take effect at QUIT only: sending them all after the
	 * download is the same as after each batch, in fewer round trips. */
	if (dele && r.nstored > 0 &&
	    pop3_dele_many(p, r.stored, r.nstored, err) < 0)
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
	if (rc < 0 && p != NULL && r.cancelled && usable) {
		/* The download ended cleanly: commit the deletions of what
		 * is safely stored. */
		struct error qerr;

		if (!dele || r.nstored == 0 ||
		    pop3_dele_many(p, r.stored, r.nstored, &qerr) == 0)
			pop3_quit(p, &qerr);
	}
	cache_sync_set_cancel_fd(ctx, -1);
	cache_sync_set_data(ctx, NULL);
	pop3_close(&p);
	for (i = 0; i < nold; i++)
		free(old[i]);
	free(old);
	free(r.stored);
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
	pop3_probe,
	&cache_local_maildir,
	NULL, /* the server has no folders */
};
