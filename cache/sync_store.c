/* What drivers write through: indexing, bodies, POP3 deliveries, UIDLs. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache/worker_int.h"
#include "core/log.h"
#include "core/str.h"
#include "core/xalloc.h"

int
worker_open_maildir(struct cache_sync_ctx *ctx, struct error *err)
{
	struct worker *w = ctx->w;
	char *path;
	int rc;

	if ((path = cache_maildir_path(w->c, w->idx, err)) == NULL)
		return -1;
	rc = maildir_open(path, 1, &ctx->md, err);
	free(path);
	if (rc < 0 || db_folder_ensure(ctx->db, ctx->acct->name, "INBOX",
	    FOLDER_ROLE_INBOX, &ctx->inbox, err) < 0)
		return -1;
	return store_recover(ctx->db, ctx->md, ctx->acct->name, ctx->inbox,
	    err);
}

static void
arrived(struct cache_sync_ctx *ctx, int64_t folder_id, int64_t id)
{
	struct cache_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = CACHE_EV_MESSAGE_ARRIVED;
	ev.account = ctx->w->idx;
	ev.folder_id = folder_id;
	ev.msg_id = id;
	cache_post(ctx->w->c, &ev);
	cache_sync_count(ctx, CACHE_COUNT_NEW, 1);
	worker_arrival(ctx->w, folder_id);
}

int
cache_sync_index_message(struct cache_sync_ctx *ctx, int64_t folder_id,
    uint32_t uid, const char *key, unsigned flags, int64_t internal_date,
    int64_t size, const char *raw, size_t len, int64_t *id_r,
    struct error *err)
{
	int64_t id;

	if (store_index_raw(ctx->db, folder_id, uid, key, flags,
	    internal_date, size, raw, len, &id, err) < 0)
		return -1;
	if (id_r)
		*id_r = id;
	arrived(ctx, folder_id, id);
	return 0;
}

int
cache_sync_index_prepared(struct cache_sync_ctx *ctx, int64_t folder_id,
    uint32_t uid, const char *key, unsigned flags, int64_t internal_date,
    int64_t size, const struct cache_msg_prep *p, int64_t *id_r,
    struct error *err)
{
	int64_t id;

	if (store_index_prepared(ctx->db, folder_id, uid, key, flags,
	    internal_date, size, p, &id, err) < 0)
		return -1;
	if (id_r)
		*id_r = id;
	arrived(ctx, folder_id, id);
	return 0;
}

int
cache_sync_store_body(struct cache_sync_ctx *ctx, int64_t msg_id,
    const void *data, size_t len, struct error *err)
{
	struct cache_event ev;
	struct db_msg m;
	struct db_folder f;
	int rc;

	if ((rc = db_msg_get(ctx->db, msg_id, &m, err)) <= 0)
		return rc < 0 ? -1 : error_set(err, "the message is gone");
	if ((rc = db_folder_get(ctx->db, m.folder_id, &f, err)) <= 0) {
		db_msg_clear(&m);
		return rc < 0 ? -1 : error_set(err, "the folder is gone");
	}
	rc = bodies_store(ctx->w->c->bodies, f.account, f.name,
	    f.uidvalidity, m.uid, data, len, err);
	if (rc == 0) { /* now its text can be searched too */
		char *text = store_body_text(data, len);

		if (text && db_msg_set_text(ctx->db, msg_id, text, err) < 0)
			log_warn("%s: %s", ctx->acct->name, err->msg);
		free(text);
	}
	memset(&ev, 0, sizeof(ev));
	ev.kind = CACHE_EV_BODY_READY;
	ev.account = ctx->w->idx;
	ev.folder_id = f.id;
	ev.msg_id = msg_id;
	db_msg_clear(&m);
	db_folder_clear(&f);
	if (rc == 0)
		cache_post(ctx->w->c, &ev);
	return rc;
}

int
cache_sync_uidvalidity(struct cache_sync_ctx *ctx, int64_t folder_id,
    uint32_t uidvalidity, struct error *err)
{
	struct db_folder f;
	int rc, dropped = 0;

	if ((rc = db_folder_get(ctx->db, folder_id, &f, err)) <= 0)
		return rc < 0 ? -1 : error_set(err, "the folder is gone");
	if (f.uidvalidity == uidvalidity) {
		db_folder_clear(&f);
		return 0;
	}
	if (f.uidvalidity != 0) {
		log_info("%s: %s: UIDVALIDITY changed, dropping its cache",
		    ctx->acct->name, f.name);
		if (db_begin(ctx->db, err) < 0)
			goto fail;
		if (db_folder_reset(ctx->db, folder_id, err) < 0) {
			db_rollback(ctx->db);
			goto fail;
		}
		f.uidnext = 0;
		f.highestmodseq = 0;
		f.uidvalidity = uidvalidity;
		if (db_folder_update(ctx->db, &f, err) < 0 ||
		    db_commit(ctx->db, err) < 0) {
			db_rollback(ctx->db);
			goto fail;
		}
		/* Bodies of the old UIDVALIDITY only cost a download. */
		bodies_drop_folder(ctx->w->c->bodies, f.account, f.name,
		    uidvalidity, NULL);
		cache_sync_folder_changed(ctx, folder_id);
		dropped = 1;
	} else {
		f.uidvalidity = uidvalidity;
		if (db_folder_update(ctx->db, &f, err) < 0)
			goto fail;
	}
	db_folder_clear(&f);
	return dropped;
fail:
	db_folder_clear(&f);
	return -1;
}

int64_t
cache_sync_inbox(struct cache_sync_ctx *ctx)
{
	struct error err;

	if (ctx->inbox == 0 && db_folder_ensure(ctx->db, ctx->acct->name,
	    "INBOX", FOLDER_ROLE_INBOX, &ctx->inbox, &err) < 0)
		log_warn("%s: %s", ctx->acct->name, err.msg);
	return ctx->inbox;
}

int
cache_sync_deliver_begin(struct cache_sync_ctx *ctx,
    struct maildir_delivery **d_r, struct error *err)
{
	if (ctx->md == NULL)
		return error_set(err, "account %s has no Maildir",
		    ctx->acct->name);
	return maildir_deliver_begin(ctx->md, d_r, err);
}

int
cache_sync_deliver_commit(struct cache_sync_ctx *ctx,
    struct maildir_delivery **d, const char *uidl, char **key_r,
    struct error *err)
{
	const char *acct = ctx->acct->name;
	struct buf raw = BUF_INIT;
	char *key = xstrdup(maildir_delivery_key(*d));
	int64_t now = time(NULL), id = 0;
	int got, rc = -1;

	/* 1. the intent, so a crash after the rename is completed later */
	if (db_uidl_add(ctx->db, acct, uidl, key, now, 0, err) < 0) {
		maildir_deliver_abort(d);
		goto out;
	}
	/* 2. the file, durable in new/ */
	if (maildir_deliver_commit(d, 0, err) < 0) {
		db_uidl_forget(ctx->db, acct, uidl, NULL);
		goto out;
	}
	/* 3. the index and the UIDL's "delivered", together */
	if ((got = maildir_read(ctx->md, key, &raw, err)) <= 0) {
		if (got == 0)
			error_set(err, "%s vanished from the Maildir", key);
		goto out;
	}
	if (db_begin(ctx->db, err) < 0)
		goto out;
	got = db_msg_find_key(ctx->db, cache_sync_inbox(ctx), key, &id, err);
	if (got < 0 || (got == 0 && store_index_raw(ctx->db, ctx->inbox, 0,
	    key, 0, now, (int64_t)raw.len, buf_cstr(&raw), raw.len, &id,
	    err) < 0) || db_uidl_set_delivered(ctx->db, acct, uidl, err) < 0) {
		db_rollback(ctx->db);
		goto out;
	}
	if (db_commit(ctx->db, err) < 0)
		goto out;
	arrived(ctx, ctx->inbox, id);
	rc = 0;
out:
	/* A failure after step 2 is repaired by store_recover() at the next
	 * start: the file is there and the record says so. */
	if (rc == 0 && key_r)
		*key_r = key;
	else
		free(key);
	buf_free(&raw);
	return rc;
}

void
cache_sync_deliver_abort(struct maildir_delivery **d)
{
	maildir_deliver_abort(d);
}

int
cache_sync_uidl_known(struct cache_sync_ctx *ctx, const char *uidl,
    struct error *err)
{
	return db_uidl_lookup(ctx->db, ctx->acct->name, uidl, NULL, err);
}

int
cache_sync_uidl_older(struct cache_sync_ctx *ctx, unsigned days,
    char ***uidls_r, size_t *n_r, struct error *err)
{
	int64_t cutoff = (int64_t)time(NULL) - (int64_t)days * 86400;

	return db_uidl_older(ctx->db, ctx->acct->name, cutoff, uidls_r, n_r,
	    err);
}

int
cache_sync_uidl_deleted(struct cache_sync_ctx *ctx, const char *uidl,
    struct error *err)
{
	return db_uidl_mark_deleted(ctx->db, ctx->acct->name, uidl, err);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int
cache_sync_uidl_prune(struct cache_sync_ctx *ctx, const char *const *present,
    size_t n, struct error *err)
{
	const char **sorted = xcalloc(n + 1, sizeof(*sorted));
	char **old = NULL;
	size_t nold = 0, i;
	int rc = 0;

	if (n > 0) {
		memcpy(sorted, present, n * sizeof(*sorted));
		qsort(sorted, n, sizeof(*sorted), cmp_str);
	}
	/* Every delivered record (cutoff in the future). */
	if (db_uidl_older(ctx->db, ctx->acct->name, INT64_MAX, &old, &nold,
	    err) < 0) {
		free(sorted);
		return -1;
	}
	for (i = 0; i < nold; i++) {
		if (rc == 0 && (n == 0 || bsearch(&old[i], sorted, n,
		    sizeof(*sorted), cmp_str) == NULL))
			rc = db_uidl_forget(ctx->db, ctx->acct->name, old[i],
			    err);
		free(old[i]);
	}
	free(old);
	free(sorted);
	return rc;
}
