/* cache: the hub (see cache.h): accounts, folders, reading API, events. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cache/addrbook.h"
#include "cache/cache_int.h"
#include "cache/outbox.h"
#include "cache/pattern.h"
#include "cache/send.h"
#include "mime/submit.h"
#include "cache/recover.h"
#include "core/paths.h"
#include "core/str.h"
#include "core/xalloc.h"

/* The page cache of the main connection (see cache_open). */
#define CACHE_DB_CACHE_KIB 1024

int
cache_open(const struct config *cfg, const struct cache_opts *opts,
    struct cache **c_r, struct error *err)
{
	struct cache *c = xcalloc(1, sizeof(*c));
	struct buf p = BUF_INIT;
	size_t i;

	c->cfg = cfg;
	c->evpipe[0] = c->evpipe[1] = -1;
	pthread_mutex_init(&c->lock, NULL);
	c->data_dir = opts && opts->data_dir ? xstrdup(opts->data_dir) :
	    paths_data_dir(err);
	c->cache_dir = opts && opts->cache_dir ? xstrdup(opts->cache_dir) :
	    paths_cache_dir(err);
	/* Both checked now (paths_mkdir: the user's, writable by no one
	 * else), not at the first body stored, so a reader refuses too. */
	if (c->data_dir == NULL || c->cache_dir == NULL ||
	    paths_mkdir(c->data_dir, err) < 0 ||
	    paths_mkdir(c->cache_dir, err) < 0)
		goto fail;
	buf_printf(&p, "%s/postie.db", c->data_dir);
	c->db_path = buf_detach(&p, NULL);
	/* This connection loads folder indexes and answers searches: whole
	 * scans, which a large page cache only holds a slice of while it
	 * grows the process by that much. */
	if (db_recover_open(c->db_path, &c->db, NULL, 0, err) < 0 ||
	    db_cache_kib(c->db, CACHE_DB_CACHE_KIB, err) < 0)
		goto fail;
	if (pipe2(c->evpipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		error_errno(err, errno, "cannot create the event pipe");
		goto fail;
	}
	c->bodies = bodies_new(c->cache_dir);
	c->naccounts = cfg->naccounts;
	c->accounts = xcalloc(c->naccounts + 1, sizeof(*c->accounts));
	c->workers = xcalloc(c->naccounts + 1, sizeof(*c->workers));
	c->states = xcalloc(c->naccounts + 1, sizeof(*c->states));
	c->errors = xcalloc(c->naccounts + 1, sizeof(*c->errors));
	c->ev_progress = xcalloc(c->naccounts + 1, sizeof(*c->ev_progress));
	c->ev_last = xcalloc(c->naccounts + 1, sizeof(*c->ev_last));
	c->account_gens = xcalloc(c->naccounts + 1, sizeof(*c->account_gens));
	for (i = 0; i < c->naccounts; i++) {
		account_init(&c->accounts[i], &cfg->accounts[i]);
		if (cache_reconcile(c, i, err) < 0) {
			error_prefix(err, "account %s", c->accounts[i].name);
			goto fail;
		}
	}
	/* A send a crash interrupted: never sent twice (outbox.h). */
	buf_printf(&p, "%s/outbox", c->data_dir);
	c->outbox_dir = buf_detach(&p, NULL);
	if (outbox_recover(c->db, c->outbox_dir, err) < 0) {
		error_prefix(err, "the outbox");
		goto fail;
	}
	*c_r = c;
	return 0;
fail:
	cache_close(&c);
	return -1;
}

void
cache_close(struct cache **cp)
{
	struct cache *c = *cp;

	if (c == NULL)
		return;
	cache_workers_stop(c);
	cache_addr_join(c);
	db_close(&c->db);
	addrbook_free(&c->addrbook);
	bodies_free(&c->bodies);
	if (c->evpipe[0] >= 0)
		close(c->evpipe[0]);
	if (c->evpipe[1] >= 0)
		close(c->evpipe[1]);
	pthread_mutex_destroy(&c->lock);
	free(c->evq);
	free(c->accounts);
	free(c->workers);
	free(c->states);
	free(c->errors);
	free(c->ev_progress);
	free(c->ev_last);
	free(c->account_gens);
	free(c->gens);
	free(c->data_dir);
	free(c->cache_dir);
	free(c->db_path);
	free(c->outbox_dir);
	free(c);
	*cp = NULL;
}

struct db *
cache_db(struct cache *c)
{
	return c->db;
}

size_t
cache_naccounts(const struct cache *c)
{
	return c->naccounts;
}

const struct account *
cache_account(const struct cache *c, size_t i)
{
	return i < c->naccounts ? &c->accounts[i] : NULL;
}

int
cache_account_find(const struct cache *c, const char *name, size_t *i_r,
    struct error *err)
{
	size_t i;

	for (i = 0; i < c->naccounts; i++)
		if (strcmp(c->accounts[i].name, name) == 0) {
			*i_r = i;
			return 0;
		}
	return error_set(err, "no account named '%s' in the configuration",
	    name);
}

int
cache_account_status(struct cache *c, size_t i,
    struct cache_account_status *st, struct error *err)
{
	struct db_folder *f = NULL;
	char *dberr = NULL;
	size_t n = 0, k;

	memset(st, 0, sizeof(*st));
	if (i >= c->naccounts)
		return error_set(err, "no such account");
	pthread_mutex_lock(&c->lock);
	st->state = c->states[i];
	str_lcpy(st->error, c->errors[i], sizeof(st->error));
	pthread_mutex_unlock(&c->lock);
	if (db_account_get(c->db, c->accounts[i].name, &st->last_sync,
	    &dberr, err) < 0 ||
	    db_folder_list(c->db, c->accounts[i].name, &f, &n, err) < 0 ||
	    db_folder_counts(c->db, f, n, err) < 0 ||
	    db_op_pending(c->db, c->accounts[i].name, &st->pending_ops,
	    err) < 0 || outbox_counts(c->db, c->accounts[i].name,
	    &st->to_send, &st->not_sent, err) < 0) {
		free(dberr);
		return -1;
	}
	if (st->error[0] == '\0' && dberr && st->state == ACCOUNT_OFFLINE)
		str_lcpy(st->error, dberr, sizeof(st->error));
	free(dberr);
	for (k = 0; k < n; k++) {
		st->total += f[k].total;
		st->unread += f[k].unread;
	}
	db_folders_free(&f, n);
	return 0;
}

static int
role_rank(enum folder_role r)
{
	return r == FOLDER_ROLE_NONE ? 100 : (int)r;
}

static const struct db_folder *sort_list; /* for cmp_tree; UI thread */

/* Tree order: compare path components; at each level role, then name. */
static int
cmp_tree(const void *a, const void *b)
{
	const struct db_folder *x = &sort_list[*(const size_t *)a];
	const struct db_folder *y = &sort_list[*(const size_t *)b];
	const char *s = x->name, *t = y->name;
	char dx = x->delim ? x->delim : '/', dy = y->delim ? y->delim : '/';
	size_t ls, lt;
	int c;

	/* Top-level roles first (INBOX, Drafts, Sent...). */
	if (strchr(s, dx) == NULL && strchr(t, dy) == NULL &&
	    role_rank(x->role) != role_rank(y->role))
		return role_rank(x->role) - role_rank(y->role);
	for (;;) {
		ls = strcspn(s, (char[]){ dx, 0 });
		lt = strcspn(t, (char[]){ dy, 0 });
		c = strncmp(s, t, ls < lt ? ls : lt);
		if (c == 0 && ls != lt)
			c = ls < lt ? -1 : 1;
		if (c != 0)
			return c;
		if (s[ls] == '\0' || t[lt] == '\0')
			return s[ls] ? 1 : t[lt] ? -1 : 0;
		s += ls + 1;
		t += lt + 1;
	}
}

int
cache_folders(struct cache *c, size_t account, struct cache_folder **f_r,
    size_t *n_r, struct error *err)
{
	struct db_folder *list = NULL;
	struct cache_folder *out;
	size_t n = 0, i, *order;
	char *copy;

	*f_r = NULL;
	*n_r = 0;
	if (account >= c->naccounts)
		return error_set(err, "no such account");
	if (db_folder_list(c->db, c->accounts[account].name, &list, &n,
	    err) < 0)
		return -1;
	if (db_folder_counts(c->db, list, n, err) < 0) {
		db_folders_free(&list, n);
		return -1;
	}
	order = xcalloc(n + 1, sizeof(*order));
	for (i = 0; i < n; i++)
		order[i] = i;
	sort_list = list;
	qsort(order, n, sizeof(*order), cmp_tree);
	sort_list = NULL;
	out = xcalloc(n + 1, sizeof(*out));
	for (i = 0; i < n; i++) {
		const struct db_folder *f = &list[order[i]];
		const char *p;
		char d = f->delim;

		copy = xstrdup(f->name);
		out[i].id = f->id;
		out[i].name = copy;
		out[i].leaf = copy;
		if (d)
			for (p = copy; *p; p++)
				if (*p == d) {
					out[i].depth++;
					out[i].leaf = p + 1;
				}
		out[i].role = f->role;
		out[i].noselect = f->noselect;
		out[i].total = f->total;
		out[i].unread = f->unread;
	}
	free(order);
	db_folders_free(&list, n);
	*f_r = out;
	*n_r = n;
	return 0;
}

void
cache_folders_free(struct cache_folder **f, size_t n)
{
	size_t i;

	if (*f == NULL)
		return;
	for (i = 0; i < n; i++)
		free((char *)(*f)[i].name);
	free(*f);
	*f = NULL;
}

int
cache_folder_find(struct cache *c, size_t account, const char *name,
    int64_t *id_r, struct error *err)
{
	struct db_folder f;
	int rc;

	if (account >= c->naccounts)
		return error_set(err, "no such account");
	if (str_casecmp(name, "INBOX") == 0)
		name = "INBOX";
	rc = db_folder_find(c->db, c->accounts[account].name, name, &f, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return error_set(err, "no folder '%s' in the cache of account "
		    "%s (run postie sync %s)", name,
		    c->accounts[account].name, c->accounts[account].name);
	*id_r = f.id;
	db_folder_clear(&f);
	return 0;
}

int
cache_folder_leave(struct cache *c, int64_t folder_id, struct error *err)
{
	return db_folder_mark_old(c->db, folder_id, err);
}

int64_t
cache_folder_old_mark(struct cache *c, int64_t folder_id)
{
	struct error err;
	int64_t mark;

	error_clear(&err);
	if (db_folder_old_mark(c->db, folder_id, &mark, &err) < 0)
		return 0; /* shown as new: nothing is lost by that */
	return mark;
}

int
cache_reconcile(struct cache *c, size_t account, struct error *err)
{
	const struct cache_local *l;

	if (account >= c->naccounts)
		return error_set(err, "no such account");
	if ((l = cache_local_of(c, account, err)) == NULL)
		return -1;
	return l->open ? l->open(c, account, err) : 0;
}

int
cache_index_open(struct cache *c, int64_t folder_id, enum index_sort sort,
    int reverse, struct index **ix_r, struct error *err)
{
	return index_open(c->db, folder_id, sort, reverse, ix_r, err);
}

int
cache_search(struct cache *c, int64_t folder_id, const char *pattern,
    int64_t **ids_r, size_t *n_r, struct error *err)
{
	return pattern_search(c->db, folder_id, pattern, time(NULL), ids_r,
	    n_r, err);
}

int
cache_search_tagged(struct cache *c, int64_t folder_id, const char *pattern,
    const int64_t *tagged, size_t ntagged, int64_t **ids_r, size_t *n_r,
    struct error *err)
{
	return pattern_search_tagged(c->db, folder_id, pattern, time(NULL),
	    tagged, ntagged, ids_r, n_r, err);
}

/* --- workers --- */

int
cache_worker_start(struct cache *c, size_t i, struct error *err)
{
	if (i >= c->naccounts)
		return error_set(err, "no such account");
	return worker_start(c, i, err);
}

uint64_t
cache_new_ticket(struct cache *c)
{
	uint64_t t;

	pthread_mutex_lock(&c->lock);
	t = ++c->last_ticket;
	pthread_mutex_unlock(&c->lock);
	return t;
}

int
cache_request_sync(struct cache *c, size_t i, int64_t folder_id,
    unsigned flags, uint64_t *ticket_r, struct error *err)
{
	uint64_t t;

	if (cache_worker_start(c, i, err) < 0)
		return -1;
	t = cache_new_ticket(c);
	if (worker_request_sync(c, i, folder_id, flags, t, err) < 0)
		return -1;
	if (ticket_r)
		*ticket_r = t;
	return 0;
}

/* --- the outbox --- */

int
cache_outbox_add(struct cache *c, size_t i, const char *raw, size_t len,
    int64_t *id_r, char **msgid_r, struct error *err)
{
	const struct config_account *a;
	struct mime_submission s;
	int rc;

	if (i >= c->naccounts)
		return error_set(err, "no such account");
	a = c->accounts[i].cfg;
	if (a->from == NULL)
		return error_set(err, "account %s cannot send: it has no "
		    "'from' address in the configuration", a->name);
	if (mime_submission_prepare(raw, len, a->from, &s, err) < 0)
		return -1;
	rc = outbox_add(c->db, c->outbox_dir, a->name, &s, id_r, err);
	if (rc == 0 && msgid_r)
		*msgid_r = xstrdup(s.message_id);
	mime_submission_free(&s);
	return rc;
}

int
cache_role_folder(struct db *db, const char *account, const char *name,
    enum folder_role role, int64_t *id_r, struct error *err)
{
	struct db_folder *f = NULL;
	size_t n = 0, k;

	if (name == NULL) {
		if (db_folder_list(db, account, &f, &n, err) < 0)
			return -1;
		for (k = 0; k < n; k++)
			if (f[k].role == role) {
				*id_r = f[k].id;
				db_folders_free(&f, n);
				return 0;
			}
		db_folders_free(&f, n);
		name = role == FOLDER_ROLE_SENT ? "Sent" : "Drafts";
	}
	return db_folder_ensure(db, account, name, FOLDER_ROLE_NONE, id_r,
	    err);
}

int
cache_draft_store(struct cache *c, size_t i, const char *raw, size_t len,
    struct error *err)
{
	const struct cache_local *l;

	if (i >= c->naccounts)
		return error_set(err, "no such account");
	if ((l = cache_local_of(c, i, err)) == NULL)
		return -1;
	return l->save_draft(c, i, raw, len, err);
}

int
cache_outbox_list(struct cache *c, size_t i, struct outbox_msg **v_r,
    size_t *n_r, struct error *err)
{
	return outbox_list(c->db, i < c->naccounts ? c->accounts[i].name :
	    NULL, v_r, n_r, err);
}

int
cache_outbox_get(struct cache *c, int64_t id, struct outbox_msg *m,
    struct error *err)
{
	return outbox_get(c->db, id, m, err);
}

int
cache_outbox_drop(struct cache *c, int64_t id, struct error *err)
{
	return outbox_drop(c->db, c->outbox_dir, id, err);
}

int
cache_outbox_retry(struct cache *c, int64_t id, struct error *err)
{
	return outbox_retry_now(c->db, id, err);
}

int
cache_outbox_counts(struct cache *c, size_t i, size_t *waiting_r,
    size_t *trouble_r, struct error *err)
{
	if (i >= c->naccounts)
		return error_set(err, "no such account");
	return outbox_counts(c->db, c->accounts[i].name, waiting_r, trouble_r,
	    err);
}

int
cache_request_send(struct cache *c, size_t i, uint64_t *ticket_r,
    struct error *err)
{
	uint64_t t;

	if (cache_worker_start(c, i, err) < 0)
		return -1;
	t = cache_new_ticket(c);
	if (worker_request_send(c, i, t, err) < 0)
		return -1;
	if (ticket_r)
		*ticket_r = t;
	return 0;
}

int
cache_watch(struct cache *c, size_t i, int64_t folder_id)
{
	return worker_watch(c, i, folder_id);
}

void
cache_workers_stop(struct cache *c)
{
	size_t i;

	for (i = 0; c->workers && i < c->naccounts; i++)
		worker_stop(&c->workers[i]);
}
