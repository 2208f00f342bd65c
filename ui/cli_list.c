/* postie list ACCOUNT[/FOLDER] [PATTERN]: one line per cached message that
 * matches (doc/postie.1; patterns: cache/pattern.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache/cache.h"
#include "core/pattern_parse.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "ui/cli.h"

/*
 * The folder named on the command line, read as `postie folders` printed
 * it (escaped: a name with controls in it is given back as printed,
 * "Junk\x1b[2J"), so that each printed name finds its own folder even
 * when another folder is really called "Junk\x1b[2J".  A name that does
 * not read back that way, or names no folder then, is taken as typed.
 */
static int
find_folder(struct cache *c, size_t acct, const char *name, int64_t *fid_r,
    struct error *err)
{
	struct buf real = BUF_INIT;
	struct error err2;
	int found = 0;

	error_clear(&err2);
	if (strchr(name, '\\') != NULL &&
	    str_unescape_field(&real, name, strlen(name)) == 0 &&
	    (real.len == 0 || memchr(real.data, '\0', real.len) == NULL))
		found = cache_folder_find(c, acct, buf_cstr(&real), fid_r,
		    &err2) == 0;
	buf_free(&real);
	return found ? 0 : cache_folder_find(c, acct, name, fid_r, err);
}

static int
cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * One record per message of ix that is in ids (all when ids is NULL);
 * a saved search adds the account and folder as two more fields, after
 * the five of a folder, so that scripts reading those keep working.
 */
static void
print_index(struct index *ix, const int64_t *ids, size_t nids,
    const char *account, const char *folder)
{
	const struct index_rec *r;
	char flags[8], date[32], num[24];
	const char *rec[7];
	struct buf from = BUF_INIT, subject = BUF_INIT;
	size_t i, k;

	for (i = 0; i < index_count(ix); i++) {
		time_t t;
		struct tm tm;

		r = index_get(ix, i);
		/* ids: in id order (cache_search). */
		if (ids && bsearch(&r->id, ids, nids, sizeof(*ids),
		    cmp_id) == NULL)
			continue;
		k = 0;
		if (!(r->flags & MSG_SEEN))
			flags[k++] = 'N';
		if (r->flags & MSG_FLAGGED)
			flags[k++] = 'F';
		if (r->flags & MSG_ANSWERED)
			flags[k++] = 'R';
		if (r->flags & MSG_DELETED)
			flags[k++] = 'D';
		flags[k] = '\0';
		t = (time_t)r->date;
		if (gmtime_r(&t, &tm) == NULL ||
		    strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
			date[0] = '\0';
		/* POP3: the position in the Maildir, from 1. */
		snprintf(num, sizeof(num), "%lu",
		    r->uid ? (unsigned long)r->uid : (unsigned long)i + 1);
		rec[0] = num;
		rec[1] = flags;
		rec[2] = date;
		/* From and subject as the index screen shows them; the
		 * record then escapes what is left (a backslash). */
		buf_reset(&from);
		buf_reset(&subject);
		str_clean_display(&from, index_from(ix, r),
		    strlen(index_from(ix, r)), 0);
		str_clean_display(&subject, index_subject(ix, r),
		    strlen(index_subject(ix, r)), 0);
		rec[3] = buf_cstr(&from);
		rec[4] = buf_cstr(&subject);
		rec[5] = account;
		rec[6] = folder;
		cli_record(rec, account ? 7 : 5);
	}
	buf_free(&from);
	buf_free(&subject);
}

/* postie list SEARCH: the saved search's messages, folder by folder in
 * the order of `postie folders`, each in arrival order. */
static int
list_search(struct cache *c, const struct config_search *s,
    struct error *err)
{
	struct cache_folder *f = NULL;
	struct index *ix = NULL;
	int64_t *ids = NULL, *fids;
	size_t n = 0, nf = 0, i, k, a;
	struct db_msg m;

	if (cache_saved_search(c, s, &ids, &n, NULL, err) < 0)
		return -1;
	/* The folder of each match, sorted, to open only those. */
	fids = xreallocarray(NULL, n ? n : 1, sizeof(*fids));
	for (i = 0; i < n; i++) {
		fids[i] = 0;
		if (db_msg_get(cache_db(c), ids[i], &m, err) == 1) {
			fids[i] = m.folder_id;
			db_msg_clear(&m);
		}
	}
	if (n)
		qsort(fids, n, sizeof(*fids), cmp_id);
	for (a = 0; a < cache_naccounts(c); a++) {
		if (!cache_saved_search_in(c, s, a))
			continue;
		if (cache_folders(c, a, &f, &nf, err) < 0)
			goto fail;
		for (k = 0; k < nf; k++) {
			if (bsearch(&f[k].id, fids, n, sizeof(*fids),
			    cmp_id) == NULL)
				continue;
			if (cache_index_open(c, f[k].id, INDEX_SORT_ARRIVAL, 0,
			    &ix, err) < 0)
				goto fail;
			print_index(ix, ids, n, cache_account(c, a)->name,
			    f[k].name);
			index_free(&ix);
		}
		cache_folders_free(&f, nf);
		nf = 0;
	}
	free(fids);
	free(ids);
	return 0;
fail:
	cache_folders_free(&f, nf);
	free(fids);
	free(ids);
	return -1;
}

int
cli_list(const struct cli_opts *opts, int argc, char **argv)
{
	struct index *ix = NULL;
	struct buf pattern = BUF_INIT;
	int64_t *ids = NULL;
	size_t nids = 0;
	struct cache *c = NULL;
	struct config *cfg;
	const struct config_search *search;
	struct error err;
	const char *folder = "INBOX";
	char *account, *slash;
	size_t i, acct;
	int64_t fid;
	int rc = 1;

	if (argc < 2)
		return cli_fail("usage: postie list ACCOUNT[/FOLDER] "
		    "[PATTERN] | SEARCH"), 2;
	/* The pattern may come in several words (~f alice ~U): one
	 * pattern, as if quoted. */
	for (i = 2; i < (size_t)argc; i++) {
		if (i > 2)
			buf_addch(&pattern, ' ');
		buf_addstr(&pattern, argv[i]);
	}
	if (pattern.len) {
		struct pat_node *tree = NULL;

		/* A bad pattern is a usage error, told before anything is
		 * opened. */
		error_clear(&err);
		if (pat_parse(buf_cstr(&pattern), time(NULL), &tree, &err) < 0) {
			buf_free(&pattern);
			return cli_fail("%s", err.msg), 2;
		}
		pat_free(&tree);
	}
	account = xstrdup(argv[1]);
	if ((slash = strchr(account, '/')) != NULL) {
		*slash = '\0';
		if (slash[1] != '\0')
			folder = slash + 1;
	}
	if ((cfg = cli_load_config(opts)) == NULL) {
		free(account);
		return 1;
	}
	error_clear(&err);
	/* A saved search ([searches]): no account has its name. */
	if (slash == NULL && (search = config_search(cfg, account)) != NULL) {
		if (pattern.len) {
			cli_fail("'%s' is a saved search: it takes no "
			    "pattern (its own is '%s')", account,
			    search->pattern);
			rc = 2;
		} else if (cache_open(cfg, NULL, &c, &err) < 0 ||
		    list_search(c, search, &err) < 0)
			cli_fail("%s", err.msg);
		else
			rc = fflush(stdout) == 0 ? 0 : cli_fail("cannot write "
			    "the output");
		goto out;
	}
	if (cache_open(cfg, NULL, &c, &err) < 0 ||
	    cache_account_find(c, account, &acct, &err) < 0 ||
	    find_folder(c, acct, folder, &fid, &err) < 0 ||
	    cache_index_open(c, fid, INDEX_SORT_ARRIVAL, 0, &ix, &err) < 0 ||
	    (pattern.len && cache_search(c, fid, buf_cstr(&pattern), &ids,
	    &nids, &err) < 0)) {
		cli_fail("%s", err.msg);
		goto out;
	}
	print_index(ix, pattern.len ? ids : NULL, nids, NULL, NULL);
	rc = fflush(stdout) == 0 ? 0 : cli_fail("cannot write the output");
out:
	free(ids);
	buf_free(&pattern);
	index_free(&ix);
	cache_close(&c);
	config_free(&cfg);
	free(account);
	return rc;
}
