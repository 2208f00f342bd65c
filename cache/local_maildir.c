/*
 * local_maildir: the local-store side of the POP3 driver (cache/driver.h,
 * struct cache_local).  The account's Maildir is the only store: flags
 * live in file names and never reach the server, a deleted message's
 * file goes at once, and in keep mode the worker deletes the server's
 * copy (DB_OP_DELETE; the UIDL stays known, so nothing is downloaded
 * again).  Drafts and Sent are Maildir folders next to INBOX.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cache/cache_int.h"
#include "cache/send.h"
#include "cache/worker_int.h"
#include "core/log.h"
#include "core/paths.h"

/* Makes the Maildir (0700), finishes what a crash left and folds in what
 * other programs changed. */
static int
md_open(struct cache *c, size_t i, struct error *err)
{
	struct maildir *md = NULL;
	char *path;
	int64_t inbox;
	size_t changed = 0;
	int rc = -1;

	if ((path = cache_maildir_path(c, i, err)) == NULL)
		return -1;
	/* A Maildir named in the config may be anywhere (links followed);
	 * postie's own is inside the data folder, where none is. */
	if ((c->accounts[i].cfg->maildir ? paths_mkdir(path, err) :
	    paths_mkdir_below(c->data_dir, path, err)) == 0 &&
	    maildir_open(path, 1, &md, err) == 0 &&
	    db_folder_ensure(c->db, c->accounts[i].name, "INBOX",
	    FOLDER_ROLE_INBOX, &inbox, err) == 0 &&
	    store_recover(c->db, md, c->accounts[i].name, inbox, err) == 0 &&
	    store_reconcile(c->db, md, inbox, &changed, err) == 0)
		rc = 0;
	if (rc == 0 && changed)
		log_info("%s: %zu changes found in %s", c->accounts[i].name,
		    changed, path);
	maildir_close(&md);
	free(path);
	return rc;
}

static int
md_read(struct cache *c, const struct cache_msg_loc *w, struct buf *out,
    struct error *err)
{
	struct maildir *md = NULL;
	int rc;

	if ((rc = cache_open_maildir(c, w->account, &md, err)) == 0) {
		rc = maildir_read(md, w->m.key, out, err);
		if (rc == 0)
			rc = error_set(err, "the message file was removed "
			    "from %s", maildir_path(md));
	}
	maildir_close(&md);
	return rc < 0 ? -1 : 1;
}

static int
md_set_flags(struct cache *c, const struct cache_msg_loc *w, unsigned flags,
    unsigned add, unsigned remove, struct error *err)
{
	struct maildir *md = NULL;
	int rc = -1;

	(void)add;
	(void)remove;
	if (cache_open_maildir(c, w->account, &md, err) == 0 &&
	    maildir_set_flags(md, w->m.key, flags, err) >= 0 &&
	    db_msg_set_flags(c->db, w->m.id, flags, err) == 0)
		rc = 0;
	maildir_close(&md);
	return rc; /* cache_set_flags() moves the generation */
}

static int
md_remove(struct cache *c, const struct cache_msg_loc *w, struct error *err)
{
	struct maildir *md = NULL;
	int rc = -1;

	if (cache_open_maildir(c, w->account, &md, err) < 0)
		return -1;
	if (db_begin(c->db, err) == 0) {
		if (db_msg_delete(c->db, w->m.id, err) == 0 &&
		    (c->accounts[w->account].mode == ACCOUNT_MODE_DELETE ||
		    cache_op_queue(c, w, DB_OP_DELETE, 0, NULL, err) == 0) &&
		    maildir_remove(md, w->m.key, err) >= 0)
			rc = db_commit(c->db, err);
		else
			db_rollback(c->db);
	}
	maildir_close(&md);
	if (rc == 0) /* cache_delete() moves the generation */
		worker_request(c, w->account, WORKER_OPS, 0, 0, 0);
	return rc;
}

static int
md_expunge(struct cache *c, size_t account, const struct db_folder *f,
    const int64_t *ids, size_t n, uint32_t *uids, size_t nuids,
    struct error *err)
{
	size_t i;
	int rc = 0;

	(void)account;
	(void)f;
	(void)uids;
	(void)nuids;
	for (i = 0; i < n && rc == 0; i++)
		rc = cache_delete(c, ids[i], err);
	return rc;
}

static int
md_save_draft(struct cache *c, size_t i, const char *raw, size_t len,
    struct error *err)
{
	const struct config_account *a = c->accounts[i].cfg;
	char *inbox = cache_maildir_path(c, i, err);
	int rc;

	if (inbox == NULL)
		return -1;
	rc = send_local_copy(inbox, a->drafts_folder ? a->drafts_folder :
	    "Drafts", raw, len, MSG_DRAFT | MSG_SEEN, err);
	free(inbox);
	return rc;
}

static enum cache_delete_outcome
md_delete_outcome(const struct account *a)
{
	switch (a->mode) {
	case ACCOUNT_MODE_DELETE: return CACHE_DELETE_ONLY_COPY;
	case ACCOUNT_MODE_KEEP_DAYS: return CACHE_DELETE_SERVER_DAYS;
	case ACCOUNT_MODE_KEEP: break;
	}
	return CACHE_DELETE_SERVER_KEEPS;
}

/* The Sent copy goes into a Maildir next to INBOX, read by other
 * programs offline too.  The message is sent whatever happens here: a
 * copy that cannot be written is a warning in the log, and the outbox
 * entry still goes. */
static int
md_keep_sent(struct cache_sync_ctx *ctx, const char *outbox_path,
    const char *raw, size_t len, struct error *err)
{
	const struct config_account *a = ctx->acct->cfg;
	struct error e;

	(void)outbox_path;
	(void)err;
	error_clear(&e);
	if (send_local_copy(maildir_path(ctx->md), a->sent_folder ?
	    a->sent_folder : "Sent", raw, len, MSG_SEEN, &e) < 0)
		log_warn("%s: the Sent copy could not be stored: %s", a->name,
		    e.msg);
	return 0;
}

const struct cache_local cache_local_maildir = {
	md_open,
	worker_open_maildir,
	md_read,
	md_set_flags,
	md_remove,
	NULL, /* one folder: nothing to move to */
	NULL, /* bulk: one file rename at a time */
	md_expunge,
	md_save_draft,
	md_keep_sent,
	md_delete_outcome,
	NULL, /* one folder in the index: nothing to manage yet */
};
