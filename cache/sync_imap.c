/*
 * sync_imap: the IMAP driver of the sync worker (doc/HACKING.md, Data
 * flow of a sync).
 *
 * One session stays logged in between syncs (IDLE in between).  A sync:
 * LIST (folders, roles), then per folder (INBOX first) SELECT, with
 * QRESYNC from the saved UIDVALIDITY/HIGHESTMODSEQ when enabled, else a
 * full UID FETCH of the flags of the known UIDs; then the headers of the
 * UIDs from the folder's watermark (db uidnext: every UID below it is
 * indexed) up to the server's UIDNEXT, newest first in chunks, one
 * transaction per chunk.  The watermark and HIGHESTMODSEQ are saved only
 * when a folder is complete, so a dropped connection refetches the range
 * (UIDs already indexed are skipped: no duplicates).  An interrupted
 * fetch remembers, in the session, the part already done.
 * A message with a pending local change keeps its local flags, and one
 * moved away locally is not fetched again, until the change was replayed;
 * one gone from the server goes (its pending change can only fail).
 * A folder's first fill is indexed on a second thread
 * (sync_imap_bulk.c) without per-message events; later new mail goes
 * through cache_sync_index_message.  One folder's sync is in
 * sync_imap_folder.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache/bodies.h"
#include "cache/login.h"
#include "cache/sync_imap.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/str.h"
#include "core/xalloc.h"



unsigned
si_msg_flags(unsigned f)
{
	return (f & IMAP_FLAG_SEEN ? MSG_SEEN : 0) |
	    (f & IMAP_FLAG_ANSWERED ? MSG_ANSWERED : 0) |
	    (f & IMAP_FLAG_FLAGGED ? MSG_FLAGGED : 0) |
	    (f & IMAP_FLAG_DELETED ? MSG_DELETED : 0) |
	    (f & IMAP_FLAG_DRAFT ? MSG_DRAFT : 0);
}

unsigned
si_imap_flags(unsigned f)
{
	return (f & MSG_SEEN ? IMAP_FLAG_SEEN : 0) |
	    (f & MSG_ANSWERED ? IMAP_FLAG_ANSWERED : 0) |
	    (f & MSG_FLAGGED ? IMAP_FLAG_FLAGGED : 0) |
	    (f & MSG_DELETED ? IMAP_FLAG_DELETED : 0) |
	    (f & MSG_DRAFT ? IMAP_FLAG_DRAFT : 0);
}

void
si_events_clear(struct si *s)
{
	size_t i;

	for (i = 0; i < s->nvanished; i++)
		free(s->vanished[i]);
	free(s->vanished);
	s->vanished = NULL;
	s->nvanished = s->capvanished = 0;
	s->nchg = 0;
}

/*
 * Whether a folder's STATUS (NOTIFY) tells only what the cache already
 * holds: the HIGHESTMODSEQ it synced to, and UIDVALIDITY and UIDNEXT
 * when given.  Without HIGHESTMODSEQ a flag change could hide behind
 * equal numbers: that is news.  Dovecot sends such a STATUS when we
 * first select a folder another client made, which set off one more
 * pass for nothing.
 */
static int
status_known(struct si *s, const struct imap_event *ev)
{
	const struct db_folder *f;

	if (ev->modseq == 0 || ev->folder == NULL ||
	    (f = si_folder_named(s, ev->folder)) == NULL)
		return 0;
	return f->uidvalidity != 0 && f->highestmodseq == ev->modseq &&
	    (ev->uidvalidity == 0 || ev->uidvalidity == f->uidvalidity) &&
	    (ev->uidnext == 0 || ev->uidnext == f->uidnext);
}

static void
on_event(void *arg, const struct imap_event *ev)
{
	struct si *s = arg;

	switch (ev->kind) {
	case IMAP_EV_EXISTS:
	case IMAP_EV_EXPUNGE:
		s->news = 1;
		break;
	case IMAP_EV_VANISHED:
		s->news = 1;
		if (ev->uidset == NULL)
			break;
		if (s->nvanished == s->capvanished) {
			s->capvanished = s->capvanished ?
			    s->capvanished * 2 : 16;
			s->vanished = xreallocarray(s->vanished,
			    s->capvanished, sizeof(*s->vanished));
		}
		s->vanished[s->nvanished++] = xstrdup(ev->uidset);
		break;
	case IMAP_EV_FETCH:
		s->news = 1;
		if (!ev->has_flags || ev->uid == 0)
			break;
		if (s->nchg == s->capchg) {
			s->capchg = s->capchg ? s->capchg * 2 : 64;
			s->chg = xreallocarray(s->chg, s->capchg,
			    sizeof(*s->chg));
		}
		s->chg[s->nchg].uid = ev->uid;
		s->chg[s->nchg++].flags = ev->flags;
		break;
	case IMAP_EV_MAILBOX:
		if (!status_known(s, ev))
			s->elsewhere = 1;
		break;
	case IMAP_EV_ALERT:
		/* RFC 3501 7.1: the user must see it (the engine cleaned it
		 * and passes it on only from a trusted, logged-in session). */
		if (s->ctx && ev->text)
			cache_sync_alert(s->ctx, ev->text);
		break;
	case IMAP_EV_BYE:
		break;
	}
}

void
si_drop(struct cache_sync_ctx *ctx, struct si *s)
{
	cache_sync_set_cancel_fd(ctx, -1);
	imap_close(&s->imap);
	free(s->selected);
	s->selected = NULL;
	s->selected_id = 0;
	s->listed = 0;
	s->notify_tried = 0;
}

static int
login_step(void *engine, const char *user, const char *password,
    struct error *err)
{
	return imap_login(engine, user, password, err);
}

static int
connect_login(const struct config_account *cfg, struct imap **imap_r,
    struct error *err)
{
	struct imap_opts o;
	int rc;

	memset(&o, 0, sizeof(o));
	cache_conn_opts(cfg, CACHE_SERVER_READ, &o.conn);
	o.security = cfg->tls == CONFIG_TLS_IMPLICIT ? IMAP_SEC_IMPLICIT :
	    cfg->tls == CONFIG_TLS_STARTTLS ? IMAP_SEC_STARTTLS :
	    IMAP_SEC_NONE;
	o.allow_plaintext = cfg->allow_plaintext;
	if (imap_open(&o, imap_r, err) < 0)
		return -1;
	/* A PREAUTH greeting needs no password: none is read. */
	rc = imap_authenticated(*imap_r) ?
	    imap_login(*imap_r, NULL, NULL, err) :
	    cache_login(cfg, CACHE_SERVER_READ, login_step, *imap_r, err);
	if (rc < 0)
		imap_close(imap_r);
	return rc;
}

static int
si_probe(const struct config_account *cfg, struct error *err)
{
	struct imap *imap = NULL;

	if (connect_login(cfg, &imap, err) < 0)
		return -1;
	return imap_logout(&imap, err);
}

int
si_session(struct cache_sync_ctx *ctx, struct si **s_r, struct error *err)
{
	const struct config_account *cfg = cache_sync_account(ctx)->cfg;
	struct si *s = cache_sync_data(ctx);

	if (s == NULL) {
		s = xcalloc(1, sizeof(*s));
		s->ctx = ctx;
		cache_sync_set_data(ctx, s);
	}
	*s_r = s;
	if (s->imap && imap_alive(s->imap))
		return 0;
	if (s->imap)
		si_drop(ctx, s);
	if (cache_sync_cancelled(ctx))
		return error_set(err, "synchronisation was cancelled");
	cache_sync_state(ctx, ACCOUNT_CONNECTING);
	if (connect_login(cfg, &s->imap, err) < 0)
		return -1;
	imap_set_event_cb(s->imap, on_event, s);
	cache_sync_set_cancel_fd(ctx, imap_fd(s->imap));
	cache_sync_state(ctx, ACCOUNT_SYNCING);
	return 0;
}

/*
 * UIDNEXT and UIDVALIDITY are optional in a SELECT answer (Courier sends
 * no UIDNEXT, RFC 3501 6.3.1 notwithstanding): what SELECT left out,
 * STATUS may tell.  Without a UIDNEXT the sync's starting point stays at
 * the highest UID indexed plus one (si_sync_folder); without a UIDVALIDITY
 * the stored one is kept (a zero would read as a new UIDVALIDITY and
 * drop the folder's cache).  -1 only when the session broke.
 */
int
si_status_fill(struct si *s, const char *name, struct imap_mailbox *mb)
{
	struct error scratch;
	uint32_t uidnext = 0, uidvalidity = 0;

	if (mb->uidnext != 0 && mb->uidvalidity != 0)
		return 0;
	error_clear(&scratch);
	if (imap_status(s->imap, name, NULL, NULL, &uidnext, &uidvalidity,
	    &scratch) < 0) {
		log_debug("imap: no STATUS of %s either: %s", name,
		    scratch.msg);
		return imap_alive(s->imap) ? 0 : -1;
	}
	if (mb->uidnext == 0)
		mb->uidnext = uidnext;
	if (mb->uidvalidity == 0)
		mb->uidvalidity = uidvalidity;
	return 0;
}

static void
select_begin(struct si *s)
{
	free(s->selected);
	s->selected = NULL;
	s->selected_id = 0;
	si_events_clear(s);
}

static void
select_done(struct si *s, int64_t fid, const char *name,
    const struct imap_mailbox *mb)
{
	s->selected = xstrdup(name);
	s->selected_id = fid;
	s->sel_noflags = si_noflags(mb);
	s->sel_readonly = mb->readonly;
	s->news = 0;
}

int
si_select_name(struct si *s, int64_t fid, const char *name,
    const struct imap_qresync *qr, struct imap_mailbox *mb,
    struct error *err)
{
	select_begin(s);
	if (imap_select(s->imap, name, 0, qr, mb, err) < 0)
		return -1;
	if (si_status_fill(s, name, mb) < 0)
		return error_set(err, "the connection to the server broke");
	select_done(s, fid, name, mb);
	return 0;
}

int
si_select_sent(struct si *s, int64_t fid, const char *name,
    struct imap_select_op **op, const struct imap_mailbox *mb,
    struct error *err)
{
	select_begin(s);
	if (imap_select_end(s->imap, op, err) < 0)
		return -1;
	select_done(s, fid, name, mb);
	return 0;
}

unsigned
si_noflags(const struct imap_mailbox *mb)
{
	return mb->readonly ? MSG_ALL_FLAGS :
	    MSG_ALL_FLAGS & ~si_msg_flags(mb->permflags);
}

int
si_resync_mark(struct cache_sync_ctx *ctx, struct si *s, int64_t fid,
    struct error *err)
{
	struct db_folder f, *fp = si_folder(s, fid);
	size_t i, k = 0;
	int rc;

	/* A HIGHESTMODSEQ of 0 asks for no QRESYNC and matches no LIST
	 * STATUS (unchanged()): the flags of every message are read, and
	 * what the server has that the cache lacks comes back
	 * (full_flags). */
	for (i = 0; i < s->nsame; i++)
		if (s->same[i] != fid)
			s->same[k++] = s->same[i];
	s->nsame = k;
	if (fp) {
		fp->highestmodseq = 0;
		return db_folder_update(cache_sync_db(ctx), fp, err);
	}
	if ((rc = db_folder_get(cache_sync_db(ctx), fid, &f, err)) <= 0)
		return rc;
	f.highestmodseq = 0;
	rc = db_folder_update(cache_sync_db(ctx), &f, err);
	db_folder_clear(&f);
	return rc;
}

int
si_select_mb(struct cache_sync_ctx *ctx, struct si *s, int64_t fid,
    struct imap_mailbox *mb, struct error *err)
{
	struct db_folder f, *fp = si_folder(s, fid);
	int rc;

	if (fp)
		return si_select_name(s, fid, fp->name, NULL, mb, err);
	if ((rc = db_folder_get(cache_sync_db(ctx), fid, &f, err)) <= 0)
		return rc < 0 ? -1 : error_set(err, "the folder is gone");
	rc = si_select_name(s, fid, f.name, NULL, mb, err);
	db_folder_clear(&f);
	return rc;
}

int
si_select_id(struct cache_sync_ctx *ctx, struct si *s, int64_t fid,
    struct error *err)
{
	struct imap_mailbox mb;

	if (s->selected && s->selected_id == fid)
		return 0;
	return si_select_mb(ctx, s, fid, &mb, err);
}


/*
 * A first sync of the account (the cache has synced none of its
 * folders) starts with INBOX, before the listing: RFC 3501 says it
 * always exists, the user sees its mail sooner, and Dovecot answers a
 * SELECT of a large INBOX far faster before any LIST than after one
 * (after the SELECT, the LIST and the other SELECTs stay cheap).  Puts
 * INBOX's row as the session's only folder until the listing and
 * returns its id, or 0 when the cache has synced a folder before.
 */
static int64_t
inbox_first(struct cache_sync_ctx *ctx, struct si *s, struct error *err)
{
	struct db *db = cache_sync_db(ctx);
	const char *acct = cache_sync_account(ctx)->name;
	struct db_folder *old = NULL, *f;
	size_t nold = 0, i;
	int64_t id = 0;
	int synced = 0;

	/* A session that listed before holds the rows already: a
	 * background pass needs no query for this. */
	for (i = 0; i < s->nf; i++)
		if (s->fl[i].uidvalidity != 0)
			return 0;
	if (db_folder_list(db, acct, &old, &nold, err) < 0)
		return -1;
	for (i = 0; i < nold; i++)
		synced |= old[i].uidvalidity != 0;
	db_folders_free(&old, nold);
	if (synced)
		return 0;
	f = xcalloc(2, sizeof(*f));
	if (db_folder_ensure(db, acct, "INBOX", FOLDER_ROLE_INBOX, &id,
	    err) < 0 || db_folder_get(db, id, f, err) != 1) {
		db_folders_free(&f, 1);
		return -1;
	}
	si_folders_set(s, f, 1);
	return id;
}

static void
done_add(struct si *s, int64_t id)
{
	if (s->ndone == s->capdone) {
		s->capdone = s->capdone ? s->capdone * 2 : 16;
		s->done = xreallocarray(s->done, s->capdone,
		    sizeof(*s->done));
	}
	s->done[s->ndone++] = id;
}

/* One folder of a pass, and its bodies when asked; then it counts as
 * done in this pass. */
static int
sync_one(struct cache_sync_ctx *ctx, struct si *s, int64_t id,
    unsigned flags, struct si_pend *p, struct error *err)
{
	int rc;

	if ((rc = si_sync_folder(ctx, s, id, p, NULL, err)) == 0 &&
	    (flags & CACHE_SYNC_BODIES))
		rc = si_fetch_bodies(ctx, s, id, err);
	if (rc != 0)
		return rc;
	done_add(s, id);
	return 0;
}

/*
 * The folders of order from *ip on that the cache has never filled and
 * that the listing says are small (si_pre_ok): every SELECT and UID FETCH
 * sent at once, then each folder synced from its answers in turn, so
 * that they cost one round trip together instead of two each.  When a
 * folder changed since the listing, what is still on its way is read
 * and dropped and the caller syncs that folder the usual way.  *ip: the
 * next position of order to sync.  0, 1 or -1 as sync_one.
 */
static int
sync_batch(struct cache_sync_ctx *ctx, struct si *s, const int64_t *order,
    size_t n, size_t *ip, size_t ndone0, struct si_pend *p,
    struct error *err)
{
	struct si_pre pre[SI_PRE_MAX];
	size_t i, k, m = 0;
	int rc = 0;

	memset(pre, 0, sizeof(pre));
	for (i = *ip; i < n && m < SI_PRE_MAX; i++) {
		if (si_has_id(s->done, ndone0, order[i]))
			continue;
		if (!si_pre_ok(s, order[i]))
			break;
		pre[m].pos = i;
		if (si_pre_send(s, &pre[m++], order[i], err) < 0) {
			rc = -1;
			break;
		}
	}
	*ip = i;
	for (k = 0; rc == 0 && k < m; k++) {
		rc = si_sync_folder(ctx, s, pre[k].fid, p, &pre[k], err);
		si_pre_drain(s, &pre[k], 1);
		if (rc == 0)
			done_add(s, pre[k].fid);
		if (rc == 2) { /* changed: the usual way from here on */
			si_pre_forget(s, pre[k].fid);
			*ip = pre[k].pos;
			rc = 0;
			break;
		}
	}
	si_pre_drain(s, pre, m);
	return rc;
}

static int
imap_sync(struct cache_sync_ctx *ctx, int64_t folder_id, unsigned flags,
    struct error *err)
{
	struct db_folder *fl;
	struct si_pend p;
	struct si *s;
	int64_t *order = NULL;
	size_t nf, n = 0, i, next, ndone0;
	int rc = -1;

	memset(&p, 0, sizeof(p));
	if (si_session(ctx, &s, err) < 0)
		return -1;
	cache_sync_state(ctx, ACCOUNT_SYNCING);
	if (si_pend_load(ctx, &p, err) < 0)
		goto out;
	if (!s->listed) {
		int64_t inbox = 0;

		if (s->ndone == 0 && (inbox = inbox_first(ctx, s, err)) < 0)
			goto out;
		if (inbox > 0 && (folder_id == 0 || folder_id == inbox)) {
			cache_sync_folder_changed(ctx, 0);
			if ((rc = sync_one(ctx, s, inbox, flags, &p, err)) != 0)
				goto out;
			rc = -1;
		}
		s->elsewhere = 0; /* what this listing brings */
		if (si_list_folders(ctx, s, err) < 0)
			goto out;
		s->listed = 1;
	}
	fl = s->fl;
	nf = s->nf;
	order = xcalloc(nf + 1, sizeof(*order));
	if (folder_id)
		order[n++] = folder_id;
	for (i = 0; i < nf; i++)
		if (fl[i].role == FOLDER_ROLE_INBOX && fl[i].id != folder_id)
			order[n++] = fl[i].id;
	for (i = 0; i < nf; i++)
		if (fl[i].role != FOLDER_ROLE_INBOX && fl[i].id != folder_id &&
		    !fl[i].noselect)
			order[n++] = fl[i].id;
	/* What this pass did before it was interrupted; what it adds now
	 * (after ndone0) is behind in order anyway. */
	si_ids_sort(s->done, s->ndone);
	ndone0 = s->ndone;
	for (i = 0; i < n; i = next) {
		next = i + 1;
		if (si_has_id(s->done, ndone0, order[i]))
			continue;
		if (!(flags & CACHE_SYNC_BODIES) &&
		    si_has_id(s->same, s->nsame, order[i])) {
			log_debug("imap: %s unchanged on the server, not "
			    "selected", si_folder(s, order[i]) ?
			    si_folder(s, order[i])->name : "?");
			continue;
		}
		if (cache_sync_cancelled(ctx)) {
			error_set(err, "synchronisation was cancelled");
			goto out;
		}
		if (!(flags & CACHE_SYNC_BODIES) && si_pre_ok(s, order[i])) {
			next = i;
			rc = sync_batch(ctx, s, order, n, &next, ndone0, &p,
			    err);
		} else {
			rc = sync_one(ctx, s, order[i], flags, &p, err);
		}
		if (rc != 0)
			goto out;
		rc = -1;
		if (next < n && cache_sync_interrupted(ctx)) {
			rc = 1;
			goto out;
		}
	}
	/* A complete pass: the next one starts over. */
	s->ndone = 0;
	s->listed = 0;
	s->placeholders = 0;
	s->news = 0;
	rc = 0;
out:
	if (rc < 0 && s->imap && !imap_alive(s->imap))
		si_drop(ctx, s);
	si_pend_free(&p);
	free(order);
	return rc;
}

const struct cache_driver cache_driver_imap = {
	"imap",
	imap_sync,
	si_fetch_body,
	si_replay_op,
	si_idle,
	si_disconnect,
	si_probe,
	&cache_local_imap,
	si_folder_op,
};
