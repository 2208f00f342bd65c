/*
 * folder_ops: creating, renaming, deleting and subscribing folders
 * (cache.h, cache_folder_op; doc/HACKING.md, Managing folders).  What
 * every protocol shares is checked here, once; the account's store
 * (struct cache_local, folder_op) does the rest, through the worker
 * when the server must act first.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cache/cache_int.h"
#include "cache/worker_int.h"
#include "core/str.h"
#include "core/xalloc.h"

char
cache_folder_delim(struct cache *c, size_t account)
{
	struct db_folder *l = NULL;
	struct error err;
	size_t n = 0, i;
	char d = '/';

	error_clear(&err);
	if (account >= c->naccounts ||
	    db_folder_list(c->db, c->accounts[account].name, &l, &n, &err) < 0)
		return d;
	for (i = 0; i < n; i++)
		if (l[i].delim) {
			d = l[i].delim;
			break;
		}
	db_folders_free(&l, n);
	return d;
}

int
cache_folder_name_check(struct cache *c, size_t account, const char *name,
    struct error *err)
{
	size_t len = strlen(name), i, k, lvl = 0;
	char d = cache_folder_delim(c, account);
	unsigned cp;

	if (len == 0)
		return error_set(err, "a folder needs a name");
	if (len > CACHE_FOLDER_NAME_MAX)
		return error_set(err, "that folder name is too long (%zu bytes; "
		    "at most %d)", len, CACHE_FOLDER_NAME_MAX);
	for (i = 0; i < len; i += k) {
		if ((k = str_utf8_decode((const unsigned char *)name + i,
		    len - i, &cp)) == 0)
			return error_set(err, "a folder name must be UTF-8 text "
			    "(byte %zu is not)", i + 1);
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			return error_set(err, "a folder name cannot hold control "
			    "characters");
		if (cp == '*' || cp == '%')
			return error_set(err, "a folder name cannot hold '%c' "
			    "(a wildcard in IMAP)", (char)cp);
	}
	/* Each level between delimiters: not empty, not "." or "..". */
	for (i = 0; i <= len; i++) {
		if (i < len && name[i] != d)
			continue;
		if (i == lvl)
			return error_set(err, "'%s': a folder name cannot start "
			    "or end with '%c', or hold it twice in a row", name,
			    d);
		if ((i - lvl == 1 && name[lvl] == '.') ||
		    (i - lvl == 2 && name[lvl] == '.' && name[lvl + 1] == '.'))
			return error_set(err, "'%s': '.' and '..' are not "
			    "folder names", name);
		lvl = i + 1;
	}
	return 0;
}

/* 1 if name is INBOX, which every account has and new mail needs. */
static int
is_inbox(const char *name)
{
	return str_casecmp(name, "INBOX") == 0;
}

int
cache_folder_op_check(struct cache *c, size_t account,
    enum cache_folder_op op, const char *name, const char *newname,
    struct error *err)
{
	static const char *const verb[] = {
		[CACHE_FOLDER_RENAME] = "renamed",
		[CACHE_FOLDER_DELETE] = "deleted",
	};
	const struct cache_local *l;
	int64_t id;
	struct error e;
	size_t n;

	if (account >= c->naccounts)
		return error_set(err, "no such account");
	if ((l = cache_local_of(c, account, err)) == NULL)
		return -1;
	if (l->folder_op == NULL)
		return error_set(err, "account %s keeps its mail in one "
		    "folder here (INBOX): managing folders needs an IMAP "
		    "account", c->accounts[account].name);
	error_clear(&e);
	if (op == CACHE_FOLDER_CREATE) {
		if (cache_folder_name_check(c, account, name, err) < 0)
			return -1;
		if (cache_folder_find(c, account, name, &id, &e) == 0)
			return error_set(err, "there is already a folder %s",
			    name);
	} else if (cache_folder_find(c, account, name, &id, &e) < 0)
		return error_set(err, "no folder %s in %s", name,
		    c->accounts[account].name);
	if ((op == CACHE_FOLDER_RENAME || op == CACHE_FOLDER_DELETE) &&
	    is_inbox(name))
		return error_set(err, "INBOX cannot be %s: new mail arrives "
		    "there", verb[op]);
	if (op == CACHE_FOLDER_RENAME && newname) {
		n = strlen(name);
		if (cache_folder_name_check(c, account, newname, err) < 0)
			return -1;
		if (strcmp(name, newname) == 0)
			return error_set(err, "%s already has that name", name);
		if (is_inbox(newname) ||
		    cache_folder_find(c, account, newname, &id, &e) == 0)
			return error_set(err, "there is already a folder %s",
			    newname);
		if (strncmp(newname, name, n) == 0 &&
		    newname[n] == cache_folder_delim(c, account))
			return error_set(err, "%s cannot move inside itself",
			    name);
	}
	return 0;
}

int
cache_folder_op(struct cache *c, size_t account, enum cache_folder_op op,
    const char *name, const char *newname, uint64_t *ticket_r,
    struct error *err)
{
	if (op == CACHE_FOLDER_RENAME && newname == NULL)
		return error_set(err, "a new name is needed");
	if (cache_folder_op_check(c, account, op, name, newname, err) < 0)
		return -1;
	return cache_local_of(c, account, err)->folder_op(c, account, op,
	    name, newname, ticket_r, err);
}

int
cache_folder_request(struct cache *c, size_t i, enum cache_folder_op op,
    const char *name, const char *newname, uint64_t *ticket_r,
    struct error *err)
{
	uint64_t t;

	if (cache_worker_start(c, i, err) < 0)
		return -1;
	t = cache_new_ticket(c);
	if (worker_request_folder(c, i, op, name, newname, t, err) < 0)
		return -1;
	if (ticket_r)
		*ticket_r = t;
	return 1;
}

int
cache_sync_folder_renamed(struct cache_sync_ctx *ctx, const char *from,
    const char *to, char delim, struct error *err)
{
	struct db *db = cache_sync_db(ctx);
	const char *acct = cache_sync_account(ctx)->name;
	struct db_folder *l = NULL;
	struct buf nn = BUF_INIT;
	size_t n = 0, i, flen = strlen(from);
	int rc = 0;

	if (db_folder_list(db, acct, &l, &n, err) < 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		/* The folder itself, and each below it. */
		if (strcmp(l[i].name, from) != 0 &&
		    !(delim && strncmp(l[i].name, from, flen) == 0 &&
		    l[i].name[flen] == delim))
			continue;
		buf_reset(&nn);
		buf_addstr(&nn, to);
		buf_addstr(&nn, l[i].name + flen);
		rc = db_folder_set_name(db, l[i].id, buf_cstr(&nn), err);
		bodies_drop_folder(cache_sync_bodies(ctx), acct, l[i].name, 0,
		    NULL);
	}
	buf_free(&nn);
	db_folders_free(&l, n);
	return rc;
}
