/*
 * sync_imap_mbox: the IMAP driver's folder operations (struct
 * cache_driver, folder_op): CREATE, RENAME, DELETE, SUBSCRIBE and
 * UNSUBSCRIBE, then a LIST that brings the cache's folder rows in line
 * (doc/HACKING.md, Managing folders).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cache/sync_imap.h"
#include "core/xalloc.h"

/* 1 if folder is name or below it. */
static int
within(const char *folder, const char *name, char delim)
{
	size_t n = strlen(name);

	return imap_folder_same(folder, name) || (delim &&
	    strncmp(folder, name, n) == 0 && folder[n] == delim);
}

/* A server may refuse to rename or delete the folder a session has
 * selected: INBOX is selected instead. */
static int
leave(struct cache_sync_ctx *ctx, struct si *s, const char *name, char delim,
    struct error *err)
{
	struct imap_mailbox mb;
	struct db_folder f;
	int rc;

	if (s->selected == NULL || !within(s->selected, name, delim))
		return 0;
	if ((rc = db_folder_find(cache_sync_db(ctx),
	    cache_sync_account(ctx)->name, "INBOX", &f, err)) <= 0)
		return rc < 0 ? -1 : error_set(err, "INBOX is not known yet");
	rc = si_select_name(s, f.id, "INBOX", NULL, &mb, err);
	db_folder_clear(&f);
	return rc;
}

int
si_folder_op(struct cache_sync_ctx *ctx, enum cache_folder_op op,
    const char *name, const char *newname, struct error *err)
{
	struct db *db = cache_sync_db(ctx);
	struct db_folder *fp, f;
	struct error e;
	struct si *s;
	char delim;
	int rc;

	error_clear(&e);
	if (si_session(ctx, &s, &e) < 0)
		return error_set(err, "it needs the server, which cannot be "
		    "reached now, so nothing changed (%s)", e.msg);
	/* The delimiter as the cache knows it: a session that has not
	 * listed yet has no snapshot. */
	if ((fp = si_folder_named(s, name)) != NULL)
		delim = fp->delim;
	else if (db_folder_find(db, cache_sync_account(ctx)->name, name, &f,
	    &e) == 1) {
		delim = f.delim;
		db_folder_clear(&f);
	} else
		delim = '/';
	switch (op) {
	case CACHE_FOLDER_CREATE:
		rc = imap_create(s->imap, name, err);
		/* Most clients show subscribed folders only. */
		if (rc == 0 && imap_subscribe(s->imap, name, 1, &e) < 0 &&
		    !imap_alive(s->imap))
			rc = error_set(err, "%s", e.msg);
		break;
	case CACHE_FOLDER_RENAME:
		if ((rc = leave(ctx, s, name, delim, err)) < 0 ||
		    (rc = imap_rename(s->imap, name, newname, err)) < 0)
			break;
		(void)imap_subscribe(s->imap, newname, 1, &e);
		(void)imap_subscribe(s->imap, name, 0, &e);
		/* Before the LIST, so that it finds the rows by their new
		 * names and keeps their messages. */
		if (db_begin(db, err) < 0)
			return -1;
		if (cache_sync_folder_renamed(ctx, name, newname, delim,
		    err) < 0 || db_commit(db, err) < 0) {
			db_rollback(db);
			return -1;
		}
		break;
	case CACHE_FOLDER_DELETE:
		if ((rc = leave(ctx, s, name, delim, err)) < 0 ||
		    (rc = imap_delete(s->imap, name, err)) < 0)
			break;
		(void)imap_subscribe(s->imap, name, 0, &e);
		break;
	case CACHE_FOLDER_SUBSCRIBE:
	case CACHE_FOLDER_UNSUBSCRIBE:
		if (imap_subscribe(s->imap, name, op ==
		    CACHE_FOLDER_SUBSCRIBE, err) < 0) {
			si_dead(ctx, s);
			return -1;
		}
		return 0;
	default:
		return error_set(err, "unknown folder operation");
	}
	if (rc < 0) {
		si_dead(ctx, s);
		return -1;
	}
	if (s->selected && within(s->selected, name, delim)) {
		free(s->selected);
		s->selected = NULL;
	}
	return si_list_folders(ctx, s, err);
}
