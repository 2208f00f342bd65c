/*
 * sync_imap_folder: one folder's sync in the IMAP driver, split from
 * sync_imap.c (which keeps the session, SELECT and the pass over the
 * folders; the order of a sync is described there).  Here: vanished and
 * expunged messages, the flags of the known UIDs (full mode) and the
 * messages the cache lacks, and the headers fetched down from UIDNEXT
 * in chunks, or on the bulk indexer thread for a first fill.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache/bodies.h"
#include "cache/sync_imap.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/str.h"
#include "core/xalloc.h"

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
	/* no UIDNEXT (si_status_fill): the flags are read up to "*", and
	 * srvmax is the highest UID the server has, once they were */
	int no_uidnext, srvmax_known;
	uint32_t srvmax;
	/* full mode: UIDs below the watermark the server has and the
	 * cache lacks (restore_missing) */
	uint32_t *missing;
	size_t nmissing, capmissing;
	struct si_pre *pre; /* its commands sent ahead (si_pre_send) */
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
	si_events_clear(s);
	return 0;
fail:
	db_rollback(fs->db);
	si_events_clear(s);
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
	if (fs->nk > 1) /* fs->k is NULL in an empty folder */
		qsort(fs->k, fs->nk, sizeof(*fs->k), cmp_known);
	hi = fs->nk ? fs->k[fs->nk - 1].uid : 0;
	/* up to the watermark: the highest UIDs may be the missing ones */
	if (check_server && fs->f->uidnext > hi + 1)
		hi = fs->f->uidnext - 1;
	if (fs->nk == 0 && (!check_server || hi == 0))
		return 0;
	/* commands for other folders are on their way: none here */
	if (fs->pre && check_server && hi > 0)
		return 2;
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
	fl.pre = NULL;
	if (fs->pre) { /* its FETCH, sent ahead, is lo..hi or nothing */
		if (fs->pre->fetch == NULL || lo != 1 ||
		    hi != fs->pre->uidnext - 1)
			return error_set(fs->err, "internal error: %s is not "
			    "as listed", fs->f->name);
	}
	if (si_bulk_start(fs->ctx, fs->db, fs->label, fs->total, &fs->q,
	    fs->err) < 0)
		return -1;
	if (fs->pre) { /* (left to si_pre_drain until here) */
		fl.pre = fs->pre->fetch;
		fs->pre->fetch = NULL;
	}
	rc = si_bulk_fetch(fs->q, &fl, lo, hi, &fetched); /* ends fl.pre */
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

/*
 * Whether folder f, just selected (mb), takes no message in (RFC 4314
 * MYRIGHTS without "i"), which [PERMANENTFLAGS] cannot tell: a copy or
 * move into it is then refused before it is made.  Asked only where the
 * server offers ACL, when the folder is synced whole (no QRESYNC, or
 * after a refused change) and is new to the cache or already limited
 * (read-only, flags not kept, no insert): rights seldom change, a folder
 * the user may change freely seldom refuses mail, and a server without
 * QRESYNC (Courier) syncs every folder whole on every pass.  A failed
 * MYRIGHTS keeps what was known.
 */
static int
si_noinsert(struct si *s, const struct db_folder *f,
    const struct imap_mailbox *mb, int resync, int first)
{
	char rights[64];
	struct error e;

	error_clear(&e);
	if (resync || !imap_has_cap(s->imap, IMAP_CAP_ACL) || (!first &&
	    !mb->readonly && si_noflags(mb) == 0 && !f->noinsert))
		return f->noinsert;
	if (imap_myrights(s->imap, f->name, rights, sizeof(rights), &e) < 0) {
		log_warn("%s: %s: MYRIGHTS: %s", f->account, f->name, e.msg);
		error_clear(&e);
		return f->noinsert;
	}
	return rights[0] != '\0' && strchr(rights, 'i') == NULL;
}

int
si_sync_folder(struct cache_sync_ctx *ctx, struct si *s, int64_t fid,
    struct si_pend *p, struct si_pre *pre, struct error *err)
{
	struct db *db = cache_sync_db(ctx);
	struct imap_qresync qr, *qrp = NULL;
	struct imap_mailbox mb;
	struct db_folder *fp = si_folder(s, fid);
	struct fsync fs;
	int rc, reset = 0, noinsert = 0, first;
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
	fs.pre = pre;
	if (pre)
		pre->fs = &fs;
	rc = -1;
	if (fp->noselect) {
		rc = 0;
		goto out;
	}
	/* (imap_qresync may wait for the ENABLE: only asked when it
	 * matters) */
	if (fp->uidvalidity && fp->highestmodseq && imap_qresync(s->imap)) {
		qr.uidvalidity = fp->uidvalidity;
		qr.modseq = fp->highestmodseq;
		qr.known_uids = NULL;
		qrp = &qr;
	}
	if (pre) {
		rc = si_select_sent(s, fid, fp->name, &pre->sel, &pre->mb, err);
		mb = pre->mb;
		if (rc == 0 && (mb.uidvalidity != pre->uidvalidity ||
		    mb.uidnext != pre->uidnext || mb.exists != pre->messages)) {
			log_debug("imap: %s changed since it was listed",
			    fp->name);
			rc = 2;
			goto out;
		}
		rc = rc < 0 ? -1 : 0;
	} else {
		rc = si_select_name(s, fid, fp->name, qrp, &mb, err);
	}
	if (rc < 0) {
		rc = -1;
		if (imap_alive(s->imap)) { /* NO: skip this folder */
			log_warn("%s: %s: %s", fp->account, fp->name, err->msg);
			error_clear(err);
			rc = 0;
		}
		goto out;
	}
	first = fp->uidvalidity == 0;
	rc = -1;
	if (mb.uidvalidity == 0) /* not told (si_status_fill): as before */
		mb.uidvalidity = fp->uidvalidity;
	/* (cache_sync_uidvalidity reads the folder's row: only when
	 * the value is new) */
	if (mb.uidvalidity != fp->uidvalidity && (reset =
	    cache_sync_uidvalidity(ctx, fid, mb.uidvalidity, err)) < 0)
		goto out;
	if (reset) {
		si_events_clear(s);
		fp->uidnext = 0;
		fp->highestmodseq = 0;
		qrp = NULL;
	}
	fp->uidvalidity = mb.uidvalidity;
	/* Not while a pipelined batch is on its way (pre): a MYRIGHTS
	 * now would have to read past the answers sent ahead.  Such a
	 * folder's rights stay unknown until it is limited; a copy the
	 * server then refuses is undone as any refused change is. */
	noinsert = pre ? fp->noinsert :
	    si_noinsert(s, fp, &mb, qrp != NULL, first || reset);
	if (fp->noflags != si_noflags(&mb) || fp->readonly != mb.readonly ||
	    fp->noinsert != noinsert) {
		/* what the user may change here: saved with the rest */
		fp->noflags = si_noflags(&mb);
		fp->readonly = mb.readonly;
		fp->noinsert = noinsert;
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
		if ((rc = full_flags(&fs, 1)) != 0 ||
		    (rc = restore_missing(&fs)) != 0) {
			rc = rc == 2 ? 2 : -1;
			goto out;
		}
		rc = -1;
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
	if (pre)
		pre->fs = NULL;
	free(fs.k);
	free(fs.missing);
	free(fs.vr);
	free(fs.gone);
	return rc;
}

/* --- first fills sent ahead (sync_batch in sync_imap.c) --- */

static const struct si_lst *
listed(struct si *s, int64_t fid)
{
	struct db_folder *fp = si_folder(s, fid);

	return fp && s->lst ? &s->lst[fp - s->fl] : NULL;
}

int
si_pre_ok(struct si *s, int64_t fid)
{
	struct db_folder *fp = si_folder(s, fid);
	const struct si_lst *l = listed(s, fid);

	return l && l->has && l->uidvalidity != 0 && l->uidnext != 0 &&
	    l->messages <= SI_CHUNK_FIRST &&
	    (l->messages == 0 || l->uidnext > 1) && !fp->noselect &&
	    fp->uidvalidity == 0 && fp->uidnext == 0 &&
	    fp->highestmodseq == 0 && s->res_folder != fid &&
	    imap_alive(s->imap);
}

void
si_pre_forget(struct si *s, int64_t fid)
{
	struct db_folder *fp = si_folder(s, fid);

	if (fp && s->lst)
		s->lst[fp - s->fl].has = 0;
}

/* The FETCH answers of a folder sent ahead: to its sync once it runs,
 * dropped when it does not. */
static int
pre_header(void *arg, const struct imap_msg *m)
{
	struct si_pre *pre = arg;

	return pre->fs ? header_one(pre->fs, m) : 0;
}

int
si_pre_send(struct si *s, struct si_pre *pre, int64_t fid,
    struct error *err)
{
	struct db_folder *fp = si_folder(s, fid);
	const struct si_lst *l = listed(s, fid);
	char set[32];

	pre->fid = fid;
	pre->messages = l->messages;
	pre->uidnext = l->uidnext;
	pre->uidvalidity = l->uidvalidity;
	if (imap_select_send(s->imap, fp->name, 0, NULL, &pre->mb,
	    &pre->sel, err) < 0)
		return -1;
	if (l->messages == 0)
		return 0;
	snprintf(set, sizeof(set), "1:%u", l->uidnext - 1);
	return imap_fetch_send(s->imap, set, IMAP_FETCH_FLAGS |
	    IMAP_FETCH_HEADERS, 0, pre_header, pre, &pre->fetch, err);
}

void
si_pre_drain(struct si *s, struct si_pre *pre, size_t n)
{
	struct error scratch;
	size_t k;

	for (k = 0; k < n; k++) {
		pre[k].fs = NULL;
		error_clear(&scratch);
		if (pre[k].sel)
			imap_select_end(s->imap, &pre[k].sel, &scratch);
		error_clear(&scratch);
		if (pre[k].fetch)
			imap_fetch_end(s->imap, &pre[k].fetch, &scratch);
	}
}
