/*
 * sync_imap_idle: the IMAP driver's wait for news between syncs (IDLE,
 * NOTIFY where offered) and its logout.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cache/sync_imap.h"
#include "core/clock.h"
#include "core/log.h"

/*
 * Where the server offers NOTIFY, every other folder's news ends the
 * wait too (IMAP_EV_MAILBOX), and the background sync (LIST-STATUS:
 * unchanged folders cost nothing more) brings it.  While IDLE watches
 * another folder than INBOX, the wait also ends at least this often for
 * INBOX's sake: NOTIFY cannot tell of mail put into the server's INBOX
 * behind its back (a Maildir written by another program) until something
 * looks.
 */
#define WATCH_INBOX_MS (60 * 1000)

/* The folder the user looks at if it is one of this account's that can
 * be selected, else 0; -1 on a database error. */
static int64_t
watched(struct cache_sync_ctx *ctx, struct si *s, struct error *err)
{
	struct db_folder f, *fp;
	int64_t id = cache_sync_watched(ctx);
	int got, ok;

	if (id == 0 || id == s->unwatchable)
		return 0;
	if ((fp = si_folder(s, id)) != NULL)
		return fp->noselect ? 0 : id;
	if ((got = db_folder_get(cache_sync_db(ctx), id, &f, err)) <= 0)
		return got;
	ok = strcmp(f.account, cache_sync_account(ctx)->name) == 0 &&
	    !f.noselect;
	db_folder_clear(&f);
	return ok ? id : 0;
}

/* SELECTs folder fid to watch it: 1 if it changed since its last sync
 * (what came meanwhile shows in SELECT), 0 if not, -1 error. */
static int
watch_select(struct cache_sync_ctx *ctx, struct si *s, int64_t fid,
    struct error *err)
{
	struct imap_mailbox mb;
	struct db_folder f, *fp;
	int rc, got;

	if ((fp = si_folder(s, fid)) == NULL) {
		if ((got = db_folder_get(cache_sync_db(ctx), fid, &f,
		    err)) <= 0)
			return got < 0 ? -1 : error_set(err, "the folder is "
			    "gone");
		fp = &f;
	}
	rc = si_select_mb(ctx, s, fid, &mb, err);
	/* (a number the server did not tell, even through STATUS, is
	 * no news) */
	if (rc == 0 && ((mb.uidvalidity && mb.uidvalidity != fp->uidvalidity) ||
	    (mb.uidnext && mb.uidnext != fp->uidnext) || (mb.highestmodseq &&
	    mb.highestmodseq != fp->highestmodseq)))
		rc = 1;
	if (fp == &f)
		db_folder_clear(&f);
	return rc;
}

int
si_idle(struct cache_sync_ctx *ctx, int timeout_ms, struct error *err)
{
	struct si *s;
	int64_t inbox = 0, watch, deadline;
	int rc;

	if (si_session(ctx, &s, err) < 0)
		return -1;
	if (s->news || s->elsewhere) { /* seen since the last sync */
		s->news = 0;
		return 0;
	}
	if (db_folder_ensure(cache_sync_db(ctx), cache_sync_account(ctx)->name,
	    "INBOX", FOLDER_ROLE_INBOX, &inbox, err) < 0)
		return -1;
	if ((watch = watched(ctx, s, err)) < 0)
		return -1;
	if (watch == 0)
		watch = inbox;
	if (s->selected_id != watch) {
		rc = watch_select(ctx, s, watch, err);
		if (rc < 0 && watch != inbox && !si_dead(ctx, s)) {
			/* Refused (deleted elsewhere, no rights): INBOX
			 * instead, and no retry in this session. */
			log_info("IDLE cannot watch the open folder (%s); it "
			    "watches INBOX", err->msg);
			s->unwatchable = watch;
			rc = watch_select(ctx, s, inbox, err);
		}
		if (rc < 0) {
			si_dead(ctx, s);
			return -1;
		}
		s->news = 0;
		if (rc == 1)
			return 0;
	}
	if (!s->notify_tried && imap_has_cap(s->imap, IMAP_CAP_NOTIFY)) {
		s->notify_tried = 1;
		if (imap_notify(s->imap, err) < 0) {
			if (si_dead(ctx, s))
				return -1;
			log_info("no news from other folders between syncs "
			    "(%s)", err->msg);
		}
	}
	if (s->elsewhere) /* another folder's news came meanwhile */
		return 0;
	if (watch != inbox && timeout_ms > WATCH_INBOX_MS)
		timeout_ms = WATCH_INBOX_MS;
	deadline = timeout_ms < 0 ? 0 : clock_ms() + timeout_ms;
	for (;;) {
		rc = imap_wait(s->imap, cache_sync_request_fd(ctx), timeout_ms,
		    err);
		if (rc < 0) {
			si_dead(ctx, s);
			return -1;
		}
		if (rc == 2 && (s->news || s->elsewhere)) {
			s->news = 0;
			return 0;
		}
		if (rc != 2)
			return 1;
		/* Events that tell nothing new (a STATUS of what the cache
		 * holds): wait on, or the caller would sync as on a timeout. */
		if (deadline && (timeout_ms = (int)(deadline - clock_ms())) <= 0)
			return 1;
	}
}

void
si_disconnect(struct cache_sync_ctx *ctx)
{
	struct si *s = cache_sync_data(ctx);
	struct error err;
	size_t i;

	if (s == NULL)
		return;
	cache_sync_set_cancel_fd(ctx, -1);
	if (s->imap && imap_alive(s->imap) && !cache_sync_cancelled(ctx))
		imap_logout(&s->imap, &err);
	imap_close(&s->imap);
	free(s->selected);
	for (i = 0; i < s->nvanished; i++)
		free(s->vanished[i]);
	free(s->vanished);
	free(s->chg);
	free(s->done);
	free(s->same);
	db_folders_free(&s->fl, s->nf);
	free(s->byid);
	free(s->byname);
	free(s->lst);
	free(s);
	cache_sync_set_data(ctx, NULL);
}
