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
 * through cache_sync_index_message.
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

static void
events_clear(struct si *s)
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
 * the highest UID indexed plus one (sync_folder); without a UIDVALIDITY
 * the stored one is kept (a zero would read as a new UIDVALIDITY and
 * drop the folder's cache).  -1 only when the session broke.
 */
static int
status_fill(struct si *s, const char *name, struct imap_mailbox *mb)
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

static int
select_name(struct si *s, int64_t fid, const char *name,
    const struct imap_qresync *qr, struct imap_mailbox *mb,
    struct error *err)
{
	free(s->selected);
	s->selected = NULL;
	s->selected_id = 0;
	events_clear(s);
	if (imap_select(s->imap, name, 0, qr, mb, err) < 0)
		return -1;
	if (status_fill(s, name, mb) < 0)
		return error_set(err, "the connection to the server broke");
	s->selected = xstrdup(name);
	s->selected_id = fid;
	s->sel_noflags = si_noflags(mb);
	s->sel_readonly = mb->readonly;
	s->news = 0;
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
		return select_name(s, fid, fp->name, NULL, mb, err);
	if ((rc = db_folder_get(cache_sync_db(ctx), fid, &f, err)) <= 0)
		return rc < 0 ? -1 : error_set(err, "the folder is gone");
	rc = select_name(s, fid, f.name, NULL, mb, err);
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

/* --- one folder --- */

struct fsync {
	struct cache_sync_ctx *ctx;
	struct si *s;
	struct db *db;
	struct db_folder *f;
	struct si_pend *p;
	struct error *err;
	int failed;
	/* known messages (full mode), sorted by uid */
	struct known { uint32_t uid; int64_t id; unsigned flags; int seen; }
	    *k;
	size_t nk, capk;
	uint64_t got, done, total, bytes;
	int bulk;         /* first fill: no per-message events */
	int fresh;        /* the folder was empty: no UID to look up */
	struct si_bulk *q; /* bulk: the indexer thread, while fetching */
	char label[64];
	/* vanish_all: the VANISHED ranges, the cached messages in them */
	struct urange { uint32_t lo, hi; } *vr;
	size_t nvr, capvr;
	struct gone { int64_t id; uint32_t uid; } *gone;
	size_t ngone, capgone;
	uint64_t walked;
	uint32_t maxuid;  /* the highest UID indexed or fetched */
	/* no UIDNEXT (status_fill): the flags are read up to "*", and
	 * srvmax is the highest UID the server has, once they were */
	int no_uidnext, srvmax_known;
	uint32_t srvmax;
	/* full mode: UIDs below the watermark the server has and the
	 * cache lacks (restore_missing) */
	uint32_t *missing;
	size_t nmissing, capmissing;
};

static int
msg_remove(struct fsync *fs, int64_t id, uint32_t uid)
{
	if (db_msg_delete(fs->db, id, fs->err) < 0)
		return -1;
	cache_sync_count(fs->ctx, CACHE_COUNT_REMOVED, 1);
	if (uid)
		bodies_remove(cache_sync_bodies(fs->ctx), fs->f->account,
		    fs->f->name, fs->f->uidvalidity, uid, NULL);
	return 0;
}

/* A message of a VANISHED range: all are gathered before any goes
 * (db_msg_each_uid's rows may not change under it). */
static int
gone_add(void *arg, int64_t id, uint32_t uid, const char *key,
    unsigned flags, struct error *err)
{
	struct fsync *fs = arg;

	(void)key;
	(void)flags;
	(void)err;
	if (fs->ngone == fs->capgone) {
		fs->capgone = fs->capgone ? fs->capgone * 2 : 64;
		fs->gone = xreallocarray(fs->gone, fs->capgone,
		    sizeof(*fs->gone));
	}
	fs->gone[fs->ngone].id = id;
	fs->gone[fs->ngone++].uid = uid;
	return 0;
}

static int
cancelled(struct fsync *fs)
{
	if (!cache_sync_cancelled(fs->ctx))
		return 0;
	return error_set(fs->err, "synchronisation was cancelled");
}

static int
range_add(void *arg, uint32_t lo, uint32_t hi)
{
	struct fsync *fs = arg;

	if (fs->nvr == fs->capvr) {
		fs->capvr = fs->capvr ? fs->capvr * 2 : 64;
		fs->vr = xreallocarray(fs->vr, fs->capvr, sizeof(*fs->vr));
	}
	fs->vr[fs->nvr].lo = lo;
	fs->vr[fs->nvr++].hi = hi;
	return 0;
}

static int
cmp_range(const void *a, const void *b)
{
	const struct urange *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Sorted, overlapping and adjacent ranges joined. */
static void
ranges_merge(struct fsync *fs)
{
	size_t i, k = 0;

	if (fs->nvr < 2)
		return;
	qsort(fs->vr, fs->nvr, sizeof(*fs->vr), cmp_range);
	for (i = 1; i < fs->nvr; i++) {
		if (fs->vr[i].lo <= fs->vr[k].hi ||
		    fs->vr[i].lo - 1 == fs->vr[k].hi) {
			if (fs->vr[i].hi > fs->vr[k].hi)
				fs->vr[k].hi = fs->vr[i].hi;
		} else {
			fs->vr[++k] = fs->vr[i];
		}
	}
	fs->nvr = k + 1;
}

/* gone_add for a cached message whose UID is in one of the ranges. */
static int
gone_if_vanished(void *arg, int64_t id, uint32_t uid, const char *key,
    unsigned flags, struct error *err)
{
	struct fsync *fs = arg;
	size_t a = 0, b = fs->nvr, m;

	if (++fs->walked % 4096 == 0 && cancelled(fs) < 0)
		return -1;
	while (a < b) { /* the first range that ends at uid or later */
		m = a + (b - a) / 2;
		if (fs->vr[m].hi < uid)
			a = m + 1;
		else
			b = m;
	}
	if (a < fs->nvr && fs->vr[a].lo <= uid)
		return gone_add(arg, id, uid, key, flags, err);
	return 0;
}

/* Ranges a VANISHED may have before one walk over the cached UIDs is
 * cheaper than a lookup per range. */
#define VANISH_LOOKUPS 64

/*
 * The cached messages in the VANISHED sets go.  The server chooses the
 * sets (1:4294967295 is one line; 2,4,6,... as many ranges as a line
 * holds): the cost is that of the cached UIDs they cover, found by
 * indexed range lookups, or by one walk over the folder's UIDs when the
 * ranges are many; never the width of a range.  Quit is looked at as it
 * goes.
 */
static int
vanish_all(struct fsync *fs)
{
	struct si *s = fs->s;
	size_t i;

	fs->nvr = fs->ngone = 0;
	for (i = 0; i < s->nvanished; i++) {
		if (cancelled(fs) < 0)
			return -1;
		/* (the engine let only well-formed sets through) */
		imap_uidset_foreach(s->vanished[i], range_add, fs);
	}
	if (fs->nvr == 0)
		return 0;
	ranges_merge(fs);
	if (fs->nvr <= VANISH_LOOKUPS) {
		for (i = 0; i < fs->nvr; i++)
			if (cancelled(fs) < 0 || db_msg_each_uid(fs->db,
			    fs->f->id, fs->vr[i].lo, fs->vr[i].hi, gone_add,
			    fs, fs->err) < 0)
				return -1;
	} else if (db_msg_each_uid(fs->db, fs->f->id, fs->vr[0].lo,
	    fs->vr[fs->nvr - 1].hi, gone_if_vanished, fs, fs->err) < 0) {
		return -1;
	}
	for (i = 0; i < fs->ngone; i++) {
		if (i % 256 == 255 && cancelled(fs) < 0)
			return -1;
		/* gone on the server: ops on it can only fail now */
		if (msg_remove(fs, fs->gone[i].id, fs->gone[i].uid) < 0)
			return -1;
	}
	return 0;
}

/* Applies the VANISHED and FETCH flags events of the selected folder. */
static int
apply_events(struct fsync *fs)
{
	struct si *s = fs->s;
	size_t i;
	int64_t id;
	int got;

	if (s->nvanished == 0 && s->nchg == 0)
		return 0;
	if (db_begin(fs->db, fs->err) < 0)
		return -1;
	if (vanish_all(fs) < 0)
		goto fail;
	for (i = 0; i < s->nchg; i++) {
		if (i % 256 == 255 && cancelled(fs) < 0)
			goto fail;
		if ((got = db_msg_find_uid(fs->db, fs->f->id, s->chg[i].uid,
		    &id, fs->err)) < 0)
			goto fail;
		if (got && !si_pend_msg(fs->p, id) && db_msg_set_flags(fs->db,
		    id, si_msg_flags(s->chg[i].flags), fs->err) < 0)
			goto fail;
	}
	if (db_commit(fs->db, fs->err) < 0)
		goto fail;
	events_clear(s);
	return 0;
fail:
	db_rollback(fs->db);
	events_clear(s);
	return -1;
}

static int
cmp_known(const void *a, const void *b)
{
	const struct known *x = a, *y = b;

	return x->uid < y->uid ? -1 : x->uid > y->uid;
}

static int
known_add(void *arg, int64_t id, uint32_t uid, const char *key,
    unsigned flags, struct error *err)
{
	struct fsync *fs = arg;

	(void)key;
	(void)err;
	if (fs->nk == fs->capk) {
		fs->capk = fs->capk ? fs->capk * 2 : 256;
		fs->k = xreallocarray(fs->k, fs->capk, sizeof(*fs->k));
	}
	if (uid > fs->maxuid)
		fs->maxuid = uid;
	fs->k[fs->nk].uid = uid;
	fs->k[fs->nk].id = id;
	fs->k[fs->nk].flags = flags;
	fs->k[fs->nk++].seen = 0;
	return 0;
}

static int
flags_one(void *arg, const struct imap_msg *m)
{
	struct fsync *fs = arg;
	struct known key, *k;
	unsigned fl;

	if (m->uid > fs->srvmax)
		fs->srvmax = m->uid;
	if (!m->has_flags)
		return 0;
	key.uid = m->uid;
	if ((k = bsearch(&key, fs->k, fs->nk, sizeof(*fs->k),
	    cmp_known)) == NULL) {
		/* Every UID below the watermark was indexed: one the cache
		 * lacks now was removed here, and the server kept it (it
		 * refused the expunge or move, or said OK and did not). */
		if (m->uid < fs->f->uidnext &&
		    !si_pend_uid(fs->p, fs->f->id, m->uid)) {
			if (fs->nmissing == fs->capmissing) {
				fs->capmissing = fs->capmissing ?
				    fs->capmissing * 2 : 64;
				fs->missing = xreallocarray(fs->missing,
				    fs->capmissing, sizeof(*fs->missing));
			}
			fs->missing[fs->nmissing++] = m->uid;
		}
		return 0;
	}
	k->seen = 1;
	fl = si_msg_flags(m->flags);
	if (fl != k->flags && !si_pend_msg(fs->p, k->id)) {
		if (db_msg_set_flags(fs->db, k->id, fl, fs->err) < 0) {
			fs->failed = 1;
			return -1;
		}
		cache_sync_count(fs->ctx, CACHE_COUNT_CHANGED, 1);
	}
	return 0;
}

/*
 * Without QRESYNC: the flags of every known UID; what the server no
 * longer has goes.  Also drops UID-0 placeholders of replayed copies
 * (the server's copy is fetched as new).
 */
static int
full_flags(struct fsync *fs, int check_server)
{
	char set[32];
	size_t i;
	uint32_t hi;
	int rc;

	fs->nk = 0;
	fs->nmissing = 0;
	if (db_msg_each(fs->db, fs->f->id, known_add, fs, fs->err) < 0)
		return -1;
	qsort(fs->k, fs->nk, sizeof(*fs->k), cmp_known);
	hi = fs->nk ? fs->k[fs->nk - 1].uid : 0;
	/* up to the watermark: the highest UIDs may be the missing ones */
	if (check_server && fs->f->uidnext > hi + 1)
		hi = fs->f->uidnext - 1;
	if (fs->nk == 0 && (!check_server || hi == 0))
		return 0;
	if (db_begin(fs->db, fs->err) < 0)
		return -1;
	if (check_server && hi > 0) {
		if (fs->no_uidnext)
			str_lcpy(set, "1:*", sizeof(set));
		else
			snprintf(set, sizeof(set), "1:%u", hi);
		rc = imap_fetch(fs->s->imap, set, IMAP_FETCH_FLAGS, 0,
		    flags_one, fs, fs->err);
		if (rc != 0 || fs->failed)
			goto fail;
		fs->srvmax_known = fs->no_uidnext;
	}
	for (i = 0; i < fs->nk; i++) {
		struct known *k = &fs->k[i];

		/* a UID-0 record waits for its COPY/MOVE to be replayed */
		if (k->seen || (k->uid == 0 && si_pend_msg(fs->p, k->id)))
			continue;
		if ((k->uid == 0 || check_server) &&
		    msg_remove(fs, k->id, k->uid) < 0)
			goto fail;
	}
	return db_commit(fs->db, fs->err);
fail:
	db_rollback(fs->db);
	if (!error_isset(fs->err))
		error_set(fs->err, "could not read the flags of %s",
		    fs->f->name);
	return -1;
}

static int
header_one(void *arg, const struct imap_msg *m)
{
	struct fsync *fs = arg;
	int64_t id;
	int got;

	fs->got++;
	if (m->uid > fs->maxuid)
		fs->maxuid = m->uid;
	if (m->header == NULL)
		return 0;
	if (si_pend_uid(fs->p, fs->f->id, m->uid))
		return 0; /* moved or deleted here, not yet on the server */
	/* A first fill goes to the indexer thread, which skips the UIDs
	 * an interrupted fill already indexed. */
	if (fs->q) {
		if (si_bulk_add(fs->q, fs->f->id, !fs->fresh, m, fs->err) < 0)
			goto fail;
		return 0;
	}
	/* Chunks never overlap within a run, so a folder that was empty
	 * cannot hold the UID yet. */
	if (!fs->fresh && (got = db_msg_find_uid(fs->db, fs->f->id, m->uid,
	    &id, fs->err)) != 0) {
		if (got < 0)
			goto fail;
		return 0;
	}
	/*
	 * New mail after the first fill: one "arrived" event per message
	 * (a first fill posts one FOLDER_CHANGED per transaction instead:
	 * per-message events woke the UI thread so often that a cold sync
	 * of 20,000 messages took three times longer).
	 */
	if (cache_sync_index_message(fs->ctx, fs->f->id, m->uid, NULL,
	    si_msg_flags(m->flags), m->internaldate < 0 ? 0 :
	    (int64_t)m->internaldate, (int64_t)m->size, m->header,
	    m->header_len, &id, fs->err) < 0)
		goto fail;
	fs->done++;
	fs->bytes += m->header_len;
	return 0;
fail:
	fs->failed = 1;
	return -1;
}

/* The headers of the UIDs of set, in one transaction. */
static int
fetch_set(struct fsync *fs, const char *set)
{
	int rc;

	fs->got = 0;
	if (db_begin(fs->db, fs->err) < 0)
		return -1;
	rc = imap_fetch(fs->s->imap, set, IMAP_FETCH_FLAGS |
	    IMAP_FETCH_HEADERS, 0, header_one, fs, fs->err);
	if (rc != 0 || fs->failed) {
		db_rollback(fs->db);
		if (!error_isset(fs->err))
			error_set(fs->err, "could not fetch the headers of %s",
			    fs->f->name);
		return -1;
	}
	if (db_commit(fs->db, fs->err) < 0)
		return -1;
	cache_sync_progress(fs->ctx, fs->label, fs->done, fs->total,
	    fs->bytes);
	cache_sync_folder_changed(fs->ctx, fs->f->id);
	return 0;
}

static int
fetch_range(struct fsync *fs, uint32_t lo, uint32_t hi)
{
	char set[32];

	if (hi == UINT32_MAX)
		snprintf(set, sizeof(set), "%u:*", lo);
	else
		snprintf(set, sizeof(set), "%u:%u", lo, hi);
	return fetch_set(fs, set);
}

#define RESTORE_SET_MAX 4000 /* bytes of one UID set: lines stay short */

/* What full_flags found missing comes back from the server. */
static int
restore_missing(struct fsync *fs)
{
	struct buf set = BUF_INIT;
	size_t i = 0, j;
	int rc = 0;

	if (fs->nmissing)
		log_info("%s: %s: %zu messages the server kept come back",
		    fs->f->account, fs->f->name, fs->nmissing);
	while (rc == 0 && i < fs->nmissing) {
		buf_reset(&set);
		while (i < fs->nmissing && set.len < RESTORE_SET_MAX) {
			for (j = i; j + 1 < fs->nmissing &&
			    fs->missing[j + 1] == fs->missing[j] + 1; j++)
				;
			imap_uidset_add(&set, fs->missing[i], fs->missing[j]);
			i = j + 1;
		}
		rc = fetch_set(fs, buf_cstr(&set));
	}
	buf_free(&set);
	fs->nmissing = 0;
	return rc;
}

/* UIDs lo..hi newest first in chunks, one transaction each.  track:
 * record progress in the session (res_lo) so an interrupted fetch
 * resumes.  1 interrupted. */
static int
fetch_down(struct fsync *fs, uint32_t lo, uint32_t hi, int track)
{
	struct si *s = fs->s;
	uint32_t width = SI_CHUNK_FIRST, a;

	while (hi >= lo && hi != 0) {
		a = hi - lo + 1 <= width ? lo : hi - width + 1;
		if (fetch_range(fs, a, hi) < 0)
			return -1;
		if (track)
			s->res_lo = a;
		if (fs->got < width / 2)
			width = width < SI_CHUNK_MAX / 2 ? width * 2 :
			    SI_CHUNK_MAX;
		else if (width < SI_CHUNK)
			width = SI_CHUNK;
		if (a == lo)
			break;
		hi = a - 1;
		if (cache_sync_interrupted(fs->ctx))
			return 1;
	}
	return 0;
}

/*
 * A folder's first fill: the indexer thread takes the rows
 * (sync_imap_bulk.c).  Everything fetched is committed before this
 * returns, and res_lo moves only over what is committed.
 */
static int
fetch_down_bulk(struct fsync *fs, uint32_t lo, uint32_t hi, int track)
{
	struct si_fill fl;
	struct error scratch;
	uint32_t fetched = 0;
	int rc;

	fl.imap = fs->s->imap;
	fl.fn = header_one;
	fl.arg = fs;
	fl.got = &fs->got;
	fl.failed = &fs->failed;
	fl.name = fs->f->name;
	fl.err = fs->err;
	if (si_bulk_start(fs->ctx, fs->db, fs->label, fs->total, &fs->q,
	    fs->err) < 0)
		return -1;
	rc = si_bulk_fetch(fs->q, &fl, lo, hi, &fetched);
	error_clear(&scratch);
	if (si_bulk_stop(&fs->q, rc < 0 ? &scratch : fs->err) < 0)
		return -1;
	if (track && fetched)
		fs->s->res_lo = fetched;
	return rc;
}

static int
down(struct fsync *fs, uint32_t lo, uint32_t hi, int track)
{
	return fs->bulk ? fetch_down_bulk(fs, lo, hi, track) :
	    fetch_down(fs, lo, hi, track);
}

static int
sync_headers(struct fsync *fs, const struct imap_mailbox *mb)
{
	struct si *s = fs->s;
	uint32_t base = fs->f->uidnext ? fs->f->uidnext : 1, top;
	int rc;

	if (mb->exists == 0)
		return 0;
	if (mb->uidnext == 0) { /* no UIDNEXT: one command */
		if (!fs->srvmax_known)
			return fetch_range(fs, base, UINT32_MAX);
		/* (n:* names the last message even when n is above it) */
		return fs->srvmax < base ? 0 : fetch_range(fs, base,
		    fs->srvmax);
	}
	top = mb->uidnext - 1;
	if (top < base)
		return 0;
	if (s->res_folder == fs->f->id &&
	    s->res_uidvalidity == mb->uidvalidity && s->res_lo >= base &&
	    s->res_lo <= s->res_top + 1 && s->res_top <= top) {
		/* resumed: what arrived since, then the older rest */
		if (top > s->res_top && (rc = down(fs, s->res_top + 1,
		    top, 0)) != 0)
			return rc;
		s->res_top = top;
		if (s->res_lo <= base)
			return 0;
		return down(fs, base, s->res_lo - 1, 1);
	}
	s->res_folder = fs->f->id;
	s->res_uidvalidity = mb->uidvalidity;
	s->res_top = top;
	s->res_lo = top + 1;
	return down(fs, base, top, 1);
}

static int
sync_folder(struct cache_sync_ctx *ctx, struct si *s, int64_t fid,
    struct si_pend *p, struct error *err)
{
	struct db *db = cache_sync_db(ctx);
	struct imap_qresync qr, *qrp = NULL;
	struct imap_mailbox mb;
	struct db_folder *fp = si_folder(s, fid);
	struct fsync fs;
	int rc, reset = 0;
	int64_t changes = db_changes(db);

	if (fp == NULL)
		return 0; /* gone: nothing to do */
	memset(&fs, 0, sizeof(fs));
	fs.ctx = ctx;
	fs.s = s;
	fs.db = db;
	fs.f = fp;
	fs.p = p;
	fs.err = err;
	rc = -1;
	if (fp->noselect) {
		rc = 0;
		goto out;
	}
	if (imap_qresync(s->imap) && fp->uidvalidity && fp->highestmodseq) {
		qr.uidvalidity = fp->uidvalidity;
		qr.modseq = fp->highestmodseq;
		qr.known_uids = NULL;
		qrp = &qr;
	}
	if (select_name(s, fid, fp->name, qrp, &mb, err) < 0) {
		if (imap_alive(s->imap)) { /* NO: skip this folder */
			log_warn("%s: %s: %s", fp->account, fp->name, err->msg);
			error_clear(err);
			rc = 0;
		}
		goto out;
	}
	if (mb.uidvalidity == 0) /* not told (status_fill): as before */
		mb.uidvalidity = fp->uidvalidity;
	/* (cache_sync_uidvalidity reads the folder's row: only when
	 * the value is new) */
	if (mb.uidvalidity != fp->uidvalidity && (reset =
	    cache_sync_uidvalidity(ctx, fid, mb.uidvalidity, err)) < 0)
		goto out;
	if (reset) {
		events_clear(s);
		fp->uidnext = 0;
		fp->highestmodseq = 0;
		qrp = NULL;
	}
	fp->uidvalidity = mb.uidvalidity;
	if (fp->noflags != si_noflags(&mb) || fp->readonly != mb.readonly) {
		/* what the user may change here: saved with the rest */
		fp->noflags = si_noflags(&mb);
		fp->readonly = mb.readonly;
		cache_sync_folder_changed(ctx, 0);
	}
	/* Changes the UI queued since: they win over the server's state. */
	si_pend_free(p);
	if (si_pend_load(ctx, p, err) < 0)
		goto out;
	if (qrp) {
		if (apply_events(&fs) < 0)
			goto out;
		if (s->placeholders && full_flags(&fs, 0) < 0)
			goto out;
	} else {
		fs.no_uidnext = mb.uidnext == 0;
		snprintf(fs.label, sizeof(fs.label), "headers %s", fp->name);
		if (full_flags(&fs, 1) < 0 || restore_missing(&fs) < 0)
			goto out;
		fs.fresh = fs.nk == 0;
	}
	snprintf(fs.label, sizeof(fs.label), "headers %s", fp->name);
	fs.total = mb.exists;
	fs.bulk = fp->uidnext == 0;
	if ((rc = sync_headers(&fs, &mb)) != 0)
		goto out;
	rc = -1;
	si_pend_free(p);
	if (si_pend_load(ctx, p, err) < 0 || apply_events(&fs) < 0)
		goto out;
	/* Without UIDNEXT from the server, every UID up to the highest
	 * seen is indexed: the next sync starts above it. */
	if (mb.uidnext != 0)
		fp->uidnext = mb.uidnext;
	else if (fs.maxuid >= fp->uidnext && fs.maxuid < UINT32_MAX)
		fp->uidnext = fs.maxuid + 1;
	fp->highestmodseq = mb.highestmodseq;
	/* A resync that found nothing new costs the UI no reload. */
	if (db_changes(db) != changes)
		cache_sync_folder_changed(ctx, fid);
	if (db_folder_update(db, fp, err) < 0)
		goto out;
	s->res_folder = 0;
	rc = 0;
out:
	free(fs.k);
	free(fs.missing);
	free(fs.vr);
	free(fs.gone);
	return rc;
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

/* One folder of a pass, and its bodies when asked; then it counts as
 * done in this pass. */
static int
sync_one(struct cache_sync_ctx *ctx, struct si *s, int64_t id,
    unsigned flags, struct si_pend *p, struct error *err)
{
	int rc;

	if ((rc = sync_folder(ctx, s, id, p, err)) == 0 &&
	    (flags & CACHE_SYNC_BODIES))
		rc = si_fetch_bodies(ctx, s, id, err);
	if (rc != 0)
		return rc;
	if (s->ndone == s->capdone) {
		s->capdone = s->capdone ? s->capdone * 2 : 16;
		s->done = xreallocarray(s->done, s->capdone,
		    sizeof(*s->done));
	}
	s->done[s->ndone++] = id;
	return 0;
}

static int
imap_sync(struct cache_sync_ctx *ctx, int64_t folder_id, unsigned flags,
    struct error *err)
{
	struct db_folder *fl;
	struct si_pend p;
	struct si *s;
	struct error scratch;
	int64_t *order = NULL;
	size_t nf, n = 0, i, ndone0;
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
	for (i = 0; i < n; i++) {
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
		if ((rc = sync_one(ctx, s, order[i], flags, &p, err)) != 0)
			goto out;
		rc = -1;
		if (i + 1 < n && cache_sync_interrupted(ctx)) {
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
	/* Off since a large fill (si_bulk_stop): the WAL it left is copied
	 * from the next commit on, or when the database closes. */
	error_clear(&scratch);
	if (db_autocheckpoint(cache_sync_db(ctx), 1, &scratch) < 0)
		log_warn("%s", scratch.msg);
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
};
